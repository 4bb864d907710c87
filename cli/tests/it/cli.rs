//! The `onshi` binary end to end, run from the workspace root so `policies/...` resolves.

use crate::common;
use common::root;

use serde_json::{json, Value};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const SUBSIDY: &str = "policies/r7/subsidy.onshi";

use common::onshi_command as onshi;

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
fn check_sources_verifies_the_shipped_library() {
    let o = onshi(&[
        "--lang",
        "en",
        "check",
        "--sources",
        "../shared/seeds",
        "policies/",
    ])
    .output()
    .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{stdout}{stderr}");
    assert!(stderr.is_empty(), "{stderr}");
    // Each citation counted once, however many policies import its file.
    let counts = stdout
        .lines()
        .find(|l| l.starts_with("citations: "))
        .unwrap_or_else(|| panic!("no counts in {stdout}"));
    assert!(
        counts.ends_with("external (unverifiable), 0 unquoted, 0 not found"),
        "{counts}"
    );
    let verified: usize = counts["citations: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(verified >= 100, "{counts}");
    // Without --sources nothing is checked and no counts are printed.
    let plain = onshi(&["check", "policies/"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&plain.stdout).contains("出典の引用"));
}

#[test]
fn check_and_test_sources_report_a_misquote() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-sources-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(dir.join("docs/notice.txt"), "補助率は\n１／２です。").unwrap();
    let policy = dir.join("p.onshi");
    std::fs::write(
        &policy,
        "出典 通知 = \"notice.txt\"\n出典 欠 = \"gone.txt\"\n出力 率: 割合 = 1/2\n  出典 通知 \"「補助率は3/4です」\"\n例 \"率\" 事実 期待 率 = 1/2\n",
    )
    .unwrap();
    let docs = dir.join("docs");
    let (p, d) = (policy.to_str().unwrap(), docs.to_str().unwrap());
    let check = onshi(&["check", "--sources", d, p]).output().unwrap();
    let test = onshi(&["test", "--sources", d, p]).output().unwrap();
    let bad_dir = onshi(&["check", "--sources", "no/such/dir", p])
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    for o in [&check, &test] {
        assert_eq!(o.status.code(), Some(1));
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(stderr.contains("onshi::source::not_found"), "{stderr}");
        assert!(stderr.contains("補助率は１／２です"), "{stderr}");
        assert!(
            stderr.contains("onshi::source::missing_document"),
            "{stderr}"
        );
        let stdout = String::from_utf8_lossy(&o.stdout);
        assert!(stdout.contains("見つからない 1 件"), "{stdout}");
    }
    assert!(String::from_utf8_lossy(&test.stdout).contains("1 passed, 0 failed"));
    assert_eq!(bad_dir.status.code(), Some(2));
}

#[test]
fn check_sources_reports_the_coverage_and_require_coverage_fails_on_an_uncited_duty() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-coverage-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(
        dir.join("docs/notice.txt"),
        "日頃よりご協力いただき、ありがとうございます。\n補助率は１／２です。\n申請が必要です。\n申請期限は令和８年１月15日です。\n",
    )
    .unwrap();
    let policy = dir.join("p.onshi");
    let head =
        "出典 通知 = \"notice.txt\"\n出力 率: 割合 = 1/2\n  出典 通知 \"「補助率は１／２です」\"\n";
    std::fs::write(&policy, head).unwrap();
    let scoped = dir.join("scoped.onshi");
    std::fs::write(
        &scoped,
        format!("{head}範囲外 通知 \"「申請が必要です」\" 理由 先送り \"手続き\"\n範囲外 通知 \"「申請期限は令和８年１月15日です」\" 理由 領域外\n"),
    )
    .unwrap();
    let docs = dir.join("docs");
    let d = docs.to_str().unwrap();
    let (p, q) = (policy.to_str().unwrap(), scoped.to_str().unwrap());
    let text = onshi(&["--lang", "en", "check", "--sources", d, p])
        .output()
        .unwrap();
    let required = onshi(&["check", "--sources", d, "--require-coverage", p])
        .output()
        .unwrap();
    let covered = onshi(&["check", "--sources", d, "--require-coverage", q])
        .output()
        .unwrap();
    let json = onshi(&["check", "--sources", d, "--coverage", "json", q])
        .output()
        .unwrap();
    let out = dir.join("doc");
    let doc = onshi(&["doc", "--sources", d, "--out", out.to_str().unwrap(), q])
        .output()
        .unwrap();
    let page = std::fs::read_to_string(out.join("sources.html")).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();

    // Text: the counts of the document and each uncited normative sentence, with why.
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.status.code(), Some(0), "{stdout}");
    assert!(
        stdout.contains("notice.txt (通知): 4 sentences, 1 cited (1 wholly, 0 in part), 0 out of scope, 3 uncited (2 normative)"),
        "{stdout}"
    );
    assert!(stdout.contains("  L3 [必要] 申請が必要です。"), "{stdout}");
    assert!(
        stdout.contains("  L4 [date, 期限] 申請期限は令和８年１月15日です。"),
        "{stdout}"
    );
    assert!(
        !stdout.contains("L1 "),
        "a greeting is not normative: {stdout}"
    );
    // --require-coverage fails on them, and passes once they are declared.
    assert_eq!(required.status.code(), Some(1));
    assert_eq!(
        covered.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&covered.stdout)
    );
    // JSON: standard output holds the report alone.
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(v["uncited_normative"], 0);
    let sentences = &v["documents"][0]["sentences"];
    assert_eq!(sentences[1]["state"], "cited");
    assert_eq!(sentences[2]["state"], "out_of_scope");
    assert_eq!(sentences[2]["reason"], "later");
    assert_eq!(sentences[2]["note"], "手続き");
    assert_eq!(sentences[3]["reason"], "outside_domain");
    assert_eq!(sentences[0]["state"], "uncited");
    // onshi doc --sources: the page an approver reads.
    assert_eq!(doc.status.code(), Some(0));
    assert!(
        page.contains("先送り") && page.contains("手続き") && page.contains("申請が必要です。"),
        "{page}"
    );
}

#[test]
fn a_source_is_known_by_its_issuer_date_and_number_quoted_from_it() {
    let dir = std::env::temp_dir().join(format!("onshi-cli-source-attrs-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("docs")).unwrap();
    std::fs::write(
        dir.join("docs/notice.txt"),
        "保連発1129第1号\n令和６年11月29日\n厚生労働省保険局\n補助率は１／２です。",
    )
    .unwrap();
    let write = |issuer: &str| {
        let p = dir.join("p.onshi");
        std::fs::write(
            &p,
            format!("出典 通知 = \"notice.txt\" 「通知」 発行 「{issuer}」 日付 「令和６年11月29日」\n  番号 「保連発1129第1号」\n出力 率: 割合 = 1/2\n  出典 通知 \"「補助率は１／２です」\"\n"),
        )
        .unwrap();
        p
    };
    let docs = dir.join("docs");
    let good = write("厚生労働省保険局");
    let ok = onshi(&[
        "check",
        "--sources",
        docs.to_str().unwrap(),
        good.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    assert_eq!(
        ok.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&ok.stderr)
    );
    // The formatter keeps them where they are (the number on its own line, indented).
    let fmt = onshi(&["fmt", "--check", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(
        fmt.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&fmt.stdout)
    );
    // An issuer the document does not say is a misquote, at the issuer.
    let bad = write("厚生労働大臣");
    let o = onshi(&[
        "check",
        "--sources",
        docs.to_str().unwrap(),
        bad.to_str().unwrap(),
    ])
    .output()
    .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("onshi::source::not_found"), "{stderr}");
    assert!(stderr.contains("厚生労働大臣"), "{stderr}");
    assert!(stderr.contains("p.onshi:1:"), "{stderr}");
}

#[test]
fn check_output_merged_keeps_the_summary_on_its_own_line() {
    // Regression: merged standard output and error once put the summary and a diagnostic on one
    // line (`…0 warning(s)onshi::name::unknown`).
    let dir = std::env::temp_dir().join(format!("onshi-cli-merged-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.onshi");
    std::fs::write(&bad, "出力 x = y\n").unwrap();
    let script = format!(
        "{} --lang en check {} policies/r7/subsidy.onshi {} 2>&1",
        env!("CARGO_BIN_EXE_onshi"),
        bad.display(),
        bad.display()
    );
    let o = Command::new("sh")
        .args(["-c", &script])
        .current_dir(root())
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    std::fs::remove_dir_all(&dir).ok();
    let out = String::from_utf8_lossy(&o.stdout);
    let last = out.lines().last().unwrap_or_default();
    assert!(last.starts_with("checked 3 file(s): 1 error(s)"), "{out}");
    for line in out.lines() {
        assert!(
            !(line.contains("warning(s)") && line.contains("onshi::")),
            "{out}"
        );
        assert!(!line.contains("✓") || line.starts_with("✓"), "{out}");
    }
    assert!(out.lines().any(|l| l == "onshi::name::unknown"), "{out}");
}

#[test]
fn an_unreadable_input_is_a_usage_error_in_eval_and_batch() {
    // Regression: `eval` exited 1 and `batch` 2 for the same unreadable --input.
    let missing = "no/such/facts.json";
    let eval = onshi(&["eval", SUBSIDY, "--input", missing])
        .output()
        .unwrap();
    let batch = onshi(&["batch", SUBSIDY, "--input", missing])
        .output()
        .unwrap();
    assert_eq!(eval.status.code(), Some(2));
    assert_eq!(batch.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&eval.stderr).contains(missing));
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
        .evaluator()
        .json(&json)
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
    // Every .onshi file under policies/, found recursively.
    let n = onshi_files(&root().join("policies"));
    assert!(n >= 3, "{n}");
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(&format!("checked {n} file(s): 0 error(s), 0 warning(s)")),
        "{stdout}"
    );
}

fn onshi_files(dir: &Path) -> usize {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            if p.is_dir() {
                onshi_files(&p)
            } else {
                usize::from(p.extension().is_some_and(|e| e == "onshi"))
            }
        })
        .sum()
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
fn missing_policy_file() {
    let r = run(
        onshi(&["eval", "policies/none.onshi", "--input", "-"]),
        "{}",
    );
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stderr).contains("policies/none.onshi"));
}

// ------------------------------------------------------------------ onshi test, --explain, conflicts
// The fixtures live in tests/fixtures (not under policies/, which `onshi check policies/` walks).

fn output(o: &Output) -> Run {
    Run {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// `N passed, M failed`: the closing line of `onshi test`.
fn passed_failed(stdout: &str) -> (usize, usize) {
    let last = stdout.lines().last().unwrap_or("");
    let words: Vec<&str> = last.split_whitespace().collect();
    match words.as_slice() {
        [p, "passed,", f, "failed"] => (p.parse().unwrap(), f.parse().unwrap()),
        _ => panic!("no closing `N passed, M failed` line:\n{stdout}"),
    }
}

#[test]
fn test_reports_a_wrong_expectation_with_a_diff() {
    let r = output(
        &onshi(&["test", "tests/fixtures/wrong_example.onshi"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("✗ tests/fixtures/wrong_example.onshi:12:1 例「4.2万円の3/4（期待が間違い）」\n    補助額: 期待 32,000円 / 実際 31,000円\n"),
        "{}",
        r.stdout
    );
    assert!(r
        .stdout
        .contains("✓ tests/fixtures/wrong_example.onshi:9:1 例「13万円の3/4」"));
    assert_eq!(passed_failed(&r.stdout), (1, 1));
}

#[test]
fn test_diff_in_english() {
    let r = output(
        &onshi(&["test", "tests/fixtures/wrong_example.onshi", "--lang", "en"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert!(
        r.stdout
            .contains("    補助額: expected 32,000円 / actual 31,000円\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn test_shipped_policies_pass() {
    let r = output(&onshi(&["test", "policies/"]).output().unwrap());
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let (passed, failed) = passed_failed(&r.stdout);
    assert_eq!(failed, 0, "{}", r.stdout);
    assert!(passed >= 40, "only {passed} examples:\n{}", r.stdout);
    assert!(!r.stdout.contains('✗'), "{}", r.stdout);
    // Both policies with examples ran.
    assert!(
        r.stdout.contains("✓ policies/r7/obligation.onshi:"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("✓ policies/r7/subsidy.onshi:"),
        "{}",
        r.stdout
    );
}

#[test]
fn test_shipped_policies_cover_every_rule_and_row() {
    let r = output(
        &onshi(&["test", "--coverage", "policies/"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("網羅: すべての規則と表の行が例で確かめられています"),
        "{}",
        r.stdout
    );
}

#[test]
fn test_coverage_lists_exactly_what_no_example_exercised() {
    let r = output(
        &onshi(&["test", "--coverage", "tests/fixtures/coverage.onshi"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(passed_failed(&r.stdout), (2, 0));
    let (_, listed) = r
        .stdout
        .split_once("例で確かめられていない規則・表の行:\n")
        .unwrap_or_else(|| panic!("no coverage section:\n{}", r.stdout));
    let gaps: Vec<&str> = listed.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        gaps,
        [
            // In source order: the 薬局 row of 上限 (line 17) and 例外 経過措置 (line 24).
            "  tests/fixtures/coverage.onshi:17:3 表 `上限` の 3 行目",
            "  tests/fixtures/coverage.onshi:24:3 `義務あり` の例外 経過措置",
        ],
        "{}",
        r.stdout
    );
}

#[test]
fn test_coverage_in_english() {
    let r = output(
        &onshi(&[
            "test",
            "--coverage",
            "--lang",
            "en",
            "tests/fixtures/coverage.onshi",
        ])
        .output()
        .unwrap(),
    );
    assert_eq!(r.code, 0);
    assert!(
        r.stdout.contains("not exercised by any example:\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  tests/fixtures/coverage.onshi:24:3 exception 経過措置 of `義務あり`\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("  tests/fixtures/coverage.onshi:17:3 row 3 of table `上限`\n"),
        "{}",
        r.stdout
    );
}

#[test]
fn test_a_broken_policy_fails() {
    let r = output(
        &onshi(&["test", "tests/fixtures/no-such.onshi"])
            .output()
            .unwrap(),
    );
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}

#[test]
fn eval_conflicting_exceptions_is_an_error_naming_both() {
    // The acceptance test: a deliberately conflicting pair of exceptions gives the conflict error.
    let o = run(
        onshi(&["eval", "tests/fixtures/conflict.onshi", "--input", "-"]),
        r#"{"紙レセプト請求": true, "猶予届出済": true}"#,
    );
    let r = output(&o);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.is_empty(), "no result on a conflict: {}", r.stdout);
    assert!(r.stderr.contains("onshi::eval::conflict"), "{}", r.stderr);
    // Both rules, by label and by line, each with the value it gives.
    assert!(
        r.stderr
            .contains("`紙レセプト` と `経過措置中` が同時に当てはまり"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("紙レセプト → 義務化対象外"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("経過措置中 → 経過措置"), "{}", r.stderr);
    assert!(
        r.stderr.contains("tests/fixtures/conflict.onshi:15:3"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(" 16 │   例外 経過措置中"), "{}", r.stderr);
}

#[test]
fn eval_conflict_from_the_fixture_facts_json() {
    let r = output(
        &onshi(&[
            "eval",
            "tests/fixtures/conflict.onshi",
            "--input",
            "tests/fixtures/conflict.json",
            "--format",
            "json",
            "--lang",
            "en",
        ])
        .output()
        .unwrap(),
    );
    assert_eq!(r.code, 1);
    assert!(r.stdout.is_empty(), "{}", r.stdout);
    assert!(
        r.stderr
            .contains("`紙レセプト` and `経過措置中` both apply and give different values"),
        "{}",
        r.stderr
    );
}

#[test]
fn eval_without_a_conflict_picks_the_exception() {
    // Only one exception applies: no conflict, the exception wins over the principle.
    let o = run(
        onshi(&[
            "eval",
            "tests/fixtures/conflict.onshi",
            "--input",
            "-",
            "--format",
            "json",
        ]),
        r#"{"紙レセプト請求": true}"#,
    );
    let r = output(&o);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outputs"]["判定"], json!("義務化対象外"));
    assert!(v.get("trace").is_none(), "no trace without --explain");
}

#[test]
fn eval_explain_json_has_a_trace_beside_the_outputs() {
    let r = eval_facts(&hospital(json!({})), &["--format", "json", "--explain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(v["outputs"]["補助限度額"], json!(411000));
    let t = &v["trace"]["補助限度額"];
    assert_eq!(t["name"], json!("補助限度額"));
    assert_eq!(t["value"], json!(411000));
    assert_eq!(t["at"]["file"], json!(SUBSIDY));
    assert_eq!(t["at"]["line"], json!(line_of(SUBSIDY, "出力 補助限度額:")));
    assert_eq!(
        v["trace"].as_object().unwrap().len(),
        v["outputs"].as_object().unwrap().len()
    );
}

/// The 1-based line of the first line of workspace file `path` that starts with `prefix`.
fn line_of(path: &str, prefix: &str) -> usize {
    std::fs::read_to_string(root().join(path))
        .unwrap()
        .lines()
        .position(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("no `{prefix}` in {path}"))
        + 1
}

#[test]
fn eval_explain_text() {
    let r = eval_facts(&hospital(json!({})), &["--explain"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.contains("\n説明:\n"), "{}", r.stdout);
    let row = line_of(SUBSIDY, "| {訪問診療等, 外来診療等} | 病院");
    // The row, then its citations (each quoting its annex's table, so on lines of their own).
    let at = format!("表 補助内容 の 1 行目 policies/r7/subsidy.onshi:{row}");
    let after = r.stdout.split_once(&at).map(|(_, rest)| rest);
    assert!(
        after.is_some_and(|rest| rest
            .trim_start_matches([' ', '·', '\n', '│'])
            .starts_with("出典 周知依頼")),
        "{}",
        r.stdout
    );
}
