//! The `onshi` binary end to end, run from the workspace root so `policies/...` resolves.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

const SUBSIDY: &str = "policies/r7/subsidy.onshi";

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

fn onshi(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_onshi"));
    c.args(args)
        .current_dir(root())
        .env_remove("ONSHI_LANG")
        .env("NO_COLOR", "1");
    c
}

/// Run with `stdin` as standard input.
fn run(mut cmd: Command, stdin: &str) -> Output {
    cmd.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().expect("spawn onshi");
    // onshi may exit before reading (a missing policy): a broken pipe here is not a failure.
    let _ = child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stdin.as_bytes());
    child.wait_with_output().expect("wait for onshi")
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn eval_facts(facts: &str, extra: &[&str]) -> Run {
    let mut args = vec!["eval", SUBSIDY, "--input", "-"];
    args.extend_from_slice(extra);
    let o = run(onshi(&args), facts);
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn hospital(extra: Value) -> String {
    let mut facts = json!({
        "施設種別": "病院",
        "事業": "訪問診療等",
        "モバイル端末費用": 41000,
        "レセコン改修費用": 781000,
        "申請日": "令和7年12月1日"
    });
    if let (Some(f), Some(e)) = (facts.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            if v.is_null() {
                f.remove(k);
            } else {
                f.insert(k.clone(), v.clone());
            }
        }
    }
    facts.to_string()
}

fn outputs(r: &Run) -> Value {
    assert_eq!(r.code, 0, "stderr: {}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).expect("JSON on stdout");
    v["outputs"].clone()
}

#[test]
fn hospital_home_visits_full_costs_json() {
    let out = outputs(&eval_facts(&hospital(json!({})), &["--format", "json"]));
    assert_eq!(out["補助区分"], json!("病院"));
    assert_eq!(out["補助率"], json!("1/2"));
    assert_eq!(out["補助限度額"], json!(411000));
    assert_eq!(out["対象事業額"], json!(822000));
    assert_eq!(out["申請期限"], json!("2026-01-15"));
    assert_eq!(out["申請可"], json!(true));
    assert_eq!(out["補助額"], json!(411000));
}

#[test]
fn costs_as_japanese_money_strings() {
    let facts = hospital(json!({"モバイル端末費用": "4.1万円", "レセコン改修費用": "781,000円"}));
    let out = outputs(&eval_facts(&facts, &["--format", "json"]));
    assert_eq!(out["補助額"], json!(411000));
}

#[test]
fn large_chain_pharmacy_via_prescription_count() {
    let facts = hospital(json!({"施設種別": "薬局", "グループ処方箋受付回数": 40000}));
    let out = outputs(&eval_facts(&facts, &["--format", "json"]));
    assert_eq!(out["補助区分"], json!("大型チェーン薬局"));
    assert_eq!(out["補助額"], json!(85000));
}

#[test]
fn after_the_deadline_nothing_is_paid() {
    let facts = hospital(json!({"申請日": "2026-01-16"}));
    let out = outputs(&eval_facts(&facts, &["--format", "json"]));
    assert_eq!(out["申請可"], json!(false));
    assert_eq!(out["補助額"], json!(0));
}

#[test]
fn text_output_has_yen_separators_and_wareki() {
    let r = eval_facts(&hospital(json!({})), &[]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("411,000円"), "{}", r.stdout);
    assert!(r.stdout.contains("822,000円"), "{}", r.stdout);
    assert!(
        r.stdout.contains("2026-01-15 (令和8年1月15日)"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .starts_with("令和7年度 地域診療情報連携推進費補助金\n"));
}

#[test]
fn facts_from_a_file() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("facts.json");
    std::fs::write(&path, hospital(json!({}))).unwrap();
    let o = onshi(&[
        "eval",
        SUBSIDY,
        "-i",
        path.to_str().unwrap(),
        "--format",
        "json",
    ])
    .output()
    .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["outputs"]["補助額"], json!(411000));
}

#[test]
fn check_shipped_policies() {
    let o = onshi(&["check", "policies/"]).output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("✓ policies/r7/subsidy.onshi"), "{stdout}");
    assert!(stdout.contains("エラー 0 件"), "{stdout}");
}

#[test]
fn check_a_broken_policy() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.onshi");
    std::fs::write(&path, "出力 x: 金額 = 100円 + 2025-01-01\n").unwrap();
    let o = onshi(&["check", path.to_str().unwrap()]).output().unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("onshi::type::unit"), "{stderr}");
    assert!(String::from_utf8_lossy(&o.stdout).contains("✗"));
}

#[test]
fn check_missing_path() {
    let o = onshi(&["check", "policies/nope.onshi"]).output().unwrap();
    assert_ne!(o.status.code(), Some(0));
}

fn bad(facts: &str) -> Run {
    let r = eval_facts(facts, &["--format", "json"]);
    assert_eq!(r.code, 1, "stdout: {}\nstderr: {}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "no result on bad facts: {}", r.stdout);
    r
}

#[test]
fn unknown_field_with_did_you_mean() {
    let r = bad(&hospital(json!({"施設種類": "病院"})));
    assert!(r.stderr.contains("$.施設種類"), "{}", r.stderr);
    assert!(r.stderr.contains("施設種別"), "{}", r.stderr);
    assert!(
        r.stderr.contains("onshi::facts::unknown_field"),
        "{}",
        r.stderr
    );
}

#[test]
fn wrong_type_names_the_field() {
    let r = bad(&hospital(json!({"申請日": 20251201})));
    assert!(r.stderr.contains("$.申請日"), "{}", r.stderr);
    assert!(r.stderr.contains("onshi::facts::type"), "{}", r.stderr);
}

#[test]
fn unknown_variant_names_the_field() {
    let r = bad(&hospital(json!({"施設種別": "診療書"})));
    assert!(r.stderr.contains("$.施設種別"), "{}", r.stderr);
    assert!(r.stderr.contains("`診療所`"), "did-you-mean: {}", r.stderr);
}

#[test]
fn unknown_variant_in_a_set_names_the_element() {
    let r = bad(&hospital(json!({"補助済事業": ["訪問診療等", "往診"]})));
    assert!(r.stderr.contains("$.補助済事業[1]"), "{}", r.stderr);
}

#[test]
fn impossible_date() {
    let r = bad(&hospital(json!({"申請日": "令和7年2月30日"})));
    assert!(r.stderr.contains("$.申請日"), "{}", r.stderr);
    assert!(r.stderr.contains("令和7年2月30日"), "{}", r.stderr);
}

#[test]
fn missing_required_input() {
    let r = bad(&hospital(json!({"申請日": null})));
    assert!(r.stderr.contains("$.申請日"), "{}", r.stderr);
    assert!(r.stderr.contains("onshi::facts::missing"), "{}", r.stderr);
}

#[test]
fn malformed_json() {
    let r = bad("{\"施設種別\": \"病院\",");
    assert!(r.stderr.contains("onshi::facts::json"), "{}", r.stderr);
}

#[test]
fn facts_that_are_not_an_object() {
    let r = bad("[1, 2]");
    assert!(r.stderr.contains("onshi::facts::json"), "{}", r.stderr);
}

/// The diagnostic the library gives for these facts (so the CLI tests do not hard-code wording).
fn facts_diagnostic(facts: &str) -> onshi::Diagnostic {
    let files: std::collections::BTreeMap<String, String> = [
        "policies/r7/subsidy.onshi",
        "policies/common/facility.onshi",
    ]
    .iter()
    .map(|p| {
        (
            p.to_string(),
            std::fs::read_to_string(root().join(p)).unwrap(),
        )
    })
    .collect();
    let program = onshi::compile(&files, SUBSIDY)
        .program
        .expect("the policy compiles");
    let json: Value = serde_json::from_str(facts).unwrap();
    program
        .evaluate_json(&json, None)
        .expect_err("these facts are bad")
        .to_diagnostic()
}

#[test]
fn english_by_flag() {
    let facts = hospital(json!({"申請日": null}));
    let d = facts_diagnostic(&facts);
    let r = eval_facts(&facts, &["--lang", "en"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains(&d.message.en), "{}", r.stderr);
    assert!(!r.stderr.contains(&d.message.ja), "{}", r.stderr);
}

#[test]
fn english_by_environment() {
    let facts = hospital(json!({"施設種類": "病院"}));
    let d = facts_diagnostic(&facts);
    let mut cmd = onshi(&["eval", SUBSIDY, "--input", "-"]);
    cmd.env("ONSHI_LANG", "en");
    let o = run(cmd, &facts);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains(&d.message.en), "{stderr}");
    assert!(stderr.contains(&d.help.unwrap().en), "{stderr}");
}

#[test]
fn japanese_by_default() {
    let facts = hospital(json!({"申請日": null}));
    let d = facts_diagnostic(&facts);
    let r = eval_facts(&facts, &[]);
    assert!(r.stderr.contains(&d.message.ja), "{}", r.stderr);
    assert!(!r.stderr.contains(&d.message.en), "{}", r.stderr);
}

#[test]
fn flag_wins_over_environment() {
    let facts = hospital(json!({"申請日": null}));
    let d = facts_diagnostic(&facts);
    let mut cmd = onshi(&["eval", SUBSIDY, "--input", "-", "--lang", "ja"]);
    cmd.env("ONSHI_LANG", "en");
    let o = run(cmd, &facts);
    assert!(String::from_utf8_lossy(&o.stderr).contains(&d.message.ja));
}

#[test]
fn english_syntax_errors_in_check() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-en-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bad.onshi");
    std::fs::write(&path, "出力 x: 日付 = 令和7年2月30日\n").unwrap();
    let o = onshi(&["check", path.to_str().unwrap(), "--lang", "en"])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr.contains("onshi::literal::no_such_day"), "{stderr}");
    let mut files = std::collections::BTreeMap::new();
    files.insert(
        "bad.onshi".to_string(),
        "出力 x: 日付 = 令和7年2月30日\n".to_string(),
    );
    let d = onshi::compile(&files, "bad.onshi").diagnostics.remove(0);
    assert!(stderr.contains(&d.message.en), "{stderr}");
    assert!(!stderr.contains(&d.message.ja), "{stderr}");
}

#[test]
fn check_summary_in_english() {
    let o = onshi(&["--lang", "en", "check", "policies/"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stdout).contains("checked 2 file(s): 0 error(s)"));
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    let o = onshi(&["run", SUBSIDY]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let o = onshi(&["eval", SUBSIDY, "--input", "-", "--colour"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn unknown_format_is_a_usage_error() {
    let o = onshi(&["eval", SUBSIDY, "--input", "-", "--format", "yaml"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_input_flag_is_a_usage_error() {
    let o = onshi(&["eval", SUBSIDY]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn no_subcommand_is_a_usage_error() {
    let o = onshi(&[]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn missing_facts_file() {
    let o = onshi(&["eval", SUBSIDY, "--input", "no-such-facts.json"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn missing_policy_file() {
    let r = run(
        onshi(&["eval", "policies/none.onshi", "--input", "-"]),
        "{}",
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("policies/none.onshi"));
}
