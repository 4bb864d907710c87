//! `--reading 名前=案` end to end: eval, batch, test and diff under another reading than the one a
//! shipped policy adopts; unknown readings and 案 are usage errors (exit 2) that list the valid
//! ones and where they are declared.

use crate::common::root;

use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

const SUBSIDY: &str = "policies/r7/subsidy.onshi";
/// 外来診療等 on 令和8年1月20日: after the 周知依頼's deadline, before the 手引き's.
const LATE_OUTPATIENT: &str = r#"{"施設種別": "診療所", "事業": "外来診療等", "モバイル端末費用": "41000円", "申請日": "2026-01-20"}"#;
const LATER: &str = "外来診療等の申請期限=手引き";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn onshi(args: &[&str], stdin: &str) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_onshi"))
        .args(args)
        .current_dir(root())
        .env_remove("ONSHI_LANG")
        .env("NO_COLOR", "1")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn onshi");
    let _ = child.stdin.take().unwrap().write_all(stdin.as_bytes());
    let o = child.wait_with_output().unwrap();
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn outputs(r: &Run) -> Value {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    serde_json::from_str::<Value>(&r.stdout).unwrap()["outputs"].clone()
}

#[test]
fn eval_under_another_reading() {
    let args = ["eval", SUBSIDY, "--input", "-", "--format", "json"];
    let adopted = outputs(&onshi(&args, LATE_OUTPATIENT));
    assert_eq!(adopted["申請期限"], "2026-01-15");
    assert_eq!(adopted["申請可"], false);
    let mut other = args.to_vec();
    other.extend(["--reading", LATER]);
    let read = outputs(&onshi(&other, LATE_OUTPATIENT));
    assert_eq!(read["申請期限"], "2026-01-31");
    assert_eq!(read["申請可"], true);
    assert_eq!(read["補助額"], 30000);
}

#[test]
fn the_explanation_says_which_option_was_read() {
    let r = onshi(
        &[
            "eval",
            SUBSIDY,
            "--input",
            "-",
            "--explain",
            "--reading",
            LATER,
        ],
        LATE_OUTPATIENT,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains(
            "解釈『外来診療等の申請期限』は案『手引き』で評価（政策が採用するのは案『周知依頼』）"
        ),
        "{}",
        r.stdout
    );
    let r = onshi(
        &["eval", SUBSIDY, "--input", "-", "--explain"],
        LATE_OUTPATIENT,
    );
    assert!(
        r.stdout
            .contains("解釈『外来診療等の申請期限』は案『周知依頼』を採用"),
        "{}",
        r.stdout
    );
}

#[test]
fn unknown_readings_and_options_are_usage_errors_listing_the_valid_ones() {
    let base = ["eval", SUBSIDY, "--input", "-"];
    let r = onshi(
        &[&base[..], &["--reading", "申請期限=手引き"]].concat(),
        LATE_OUTPATIENT,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("解釈 `申請期限` はこの政策にありません"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("外来診療等の申請期限"), "{}", r.stderr);
    assert!(
        r.stderr.contains("policies/r7/subsidy.onshi:"),
        "{}",
        r.stderr
    );
    let r = onshi(
        &[
            &base[..],
            &["--reading", "外来診療等の申請期限=ポータル", "--lang", "en"],
        ]
        .concat(),
        LATE_OUTPATIENT,
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("has no option `ポータル` (options: 周知依頼, 手引き)"),
        "{}",
        r.stderr
    );
    let r = onshi(
        &[&base[..], &["--reading", "名前だけ"]].concat(),
        LATE_OUTPATIENT,
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn batch_under_another_reading() {
    let dir = std::env::temp_dir().join(format!("onshi-readings-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("facts.jsonl");
    std::fs::write(&path, format!("{LATE_OUTPATIENT}\n")).unwrap();
    let input = path.to_str().unwrap();
    for (extra, expected) in [(vec![], false), (vec!["--reading", LATER], true)] {
        let r = onshi(
            &[&["batch", SUBSIDY, "--input", input][..], &extra].concat(),
            "",
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let rec: Value = serde_json::from_str(r.stdout.lines().next().unwrap()).unwrap();
        assert_eq!(rec["outputs"]["申請可"], expected, "{}", r.stdout);
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn test_runs_the_examples_under_the_reading() {
    // The example that expects the adopted deadline fails under the other reading.
    let r = onshi(&["test", SUBSIDY, "--reading", LATER], "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("✗"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("周知依頼の読み（採用）では1月20日は申請不可"),
        "{}",
        r.stdout
    );
    // A folder: only the files that declare the reading run under it; a reading no file declares
    // is a usage error.
    let r = onshi(&["test", "policies/", "--reading", "どこにもない=案"], "");
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn diff_between_two_readings_reports_who_is_affected() {
    let r = onshi(&["diff", SUBSIDY, "--reading", LATER], "");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("（解釈 外来診療等の申請期限 = 手引き）"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("申請期限 が変わる: 事業 = 外来診療等"),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("事業 = 訪問診療等"), "{}", r.stdout);
    let r = onshi(
        &["diff", SUBSIDY, "--reading", LATER, "--format", "json"],
        "",
    );
    let j: Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        j["changes"].as_array().is_some_and(|c| !c.is_empty()),
        "{j}"
    );
    // A folder compares each file that declares the reading.
    let r = onshi(
        &[
            "diff",
            "policies/r7",
            "--reading",
            "施行前のお知らせ=認めない",
        ],
        "",
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stdout.contains("front_desk.onshi"), "{}", r.stdout);
    assert!(!r.stdout.contains("subsidy.onshi"), "{}", r.stdout);
    // Without a new edition, --reading is required.
    let r = onshi(&["diff", SUBSIDY], "");
    assert_eq!(r.code, 2);
}
