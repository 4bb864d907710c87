//! `onshi test --format json | junit | lcov`, `--min-coverage`, and the coverage rule: a 例外
//! counts as covered only when an example makes it win. The runs of real consumers (JUnit read by
//! junitparser, the lcov file by `genhtml`) are in `external.rs`, run by `cargo xtask test-web`.

use crate::common;
use common::root;

use serde_json::{json, Value};

const APPLIED: &str = "cli/tests/fixtures/applied.onshi";
const FAILING: &str = "cli/tests/fixtures/failing.onshi";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn onshi(args: &[&str]) -> Run {
    let (code, stdout, stderr) = common::run(args);
    Run {
        code,
        stdout,
        stderr,
    }
}

#[test]
fn an_exception_that_applied_but_never_won_is_not_covered() {
    let r = onshi(&["test", "--coverage", APPLIED]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let (_, rest) = r
        .stdout
        .split_once("当てはまったが一度も値を決めなかった規則（より強い規則が勝った）:\n")
        .unwrap_or_else(|| panic!("no applied-only section:\n{}", r.stdout));
    let listed: Vec<&str> = rest.lines().filter(|l| l.starts_with("  ")).collect();
    assert_eq!(
        listed,
        ["  cli/tests/fixtures/applied.onshi:11:3 `義務` の例外 紙レセプト"]
    );
    assert!(!r.stdout.contains("網羅: すべて"), "{}", r.stdout);

    let j: Value =
        serde_json::from_str(&onshi(&["test", "--format", "json", "--coverage", APPLIED]).stdout)
            .unwrap();
    let statuses: Vec<(u64, &str)> = j["coverage"]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| (i["line"].as_u64().unwrap(), i["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            (10, "covered"),
            (11, "applied_without_winning"),
            (12, "covered")
        ]
    );
    assert_eq!(
        (
            j["coverage"]["covered"].clone(),
            j["coverage"]["total"].clone()
        ),
        (json!(2), json!(3))
    );
}

#[test]
fn min_coverage_fails_the_run_below_the_threshold() {
    // 2 of 3 rules: 66.66 %.
    let ok = onshi(&["test", "--min-coverage", "66.6", APPLIED]);
    assert_eq!(ok.code, 0, "{}", ok.stdout);
    assert!(
        ok.stdout.contains("網羅率 66.66%（2/3 件、下限 66.60%）"),
        "{}",
        ok.stdout
    );
    let low = onshi(&["test", "--min-coverage", "67", "--lang", "en", APPLIED]);
    assert_eq!(low.code, 1, "{}", low.stdout);
    assert!(
        low.stdout
            .contains("coverage 66.66% is below the minimum 67.00% (2/3 items)"),
        "{}",
        low.stdout
    );
    // The shipped library is fully covered.
    let all = onshi(&["test", "--min-coverage", "100", "policies/"]);
    assert_eq!(all.code, 0, "{}", all.stdout);
    let bad = onshi(&["test", "--min-coverage", "101", APPLIED]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
}

#[test]
fn json_has_one_record_per_example_with_expected_and_actual() {
    let r = onshi(&["test", "--format", "json", FAILING]);
    assert_eq!(r.code, 1);
    let j: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (j["passed"].clone(), j["failed"].clone()),
        (json!(1), json!(1))
    );
    let ex = j["examples"].as_array().unwrap();
    assert_eq!(ex.len(), 2);
    assert_eq!(ex[0]["status"], "passed");
    assert_eq!(
        ex[0]["expected"],
        json!({"補助額": 411000, "期限": "2026-01-15"})
    );
    assert_eq!(ex[0]["actual"], ex[0]["expected"]);
    assert_eq!(ex[1]["policy"], FAILING);
    assert_eq!(ex[1]["policy_name"], "失敗する例");
    assert_eq!(ex[1]["name"], "誤った期待 <&>");
    assert_eq!(
        ex[1]["location"],
        json!({"file": FAILING, "line": 14, "column": 1})
    );
    assert_eq!(ex[1]["status"], "failed");
    assert_eq!(ex[1]["expected"], json!({"補助額": 90000}));
    assert_eq!(ex[1]["actual"], json!({"補助額": 100000}));
    assert_eq!(
        ex[1]["failures"],
        json!([{"name": "補助額", "expected": "90,000円", "actual": "100,000円"}])
    );
}

#[test]
fn junit_counts_failures_and_escapes_names() {
    let r = onshi(&[
        "test",
        "--format",
        "junit",
        FAILING,
        APPLIED,
        "cli/tests/fixtures/none.onshi",
    ]);
    assert_eq!(r.code, 2, "a missing path is a usage error: {}", r.stderr);
    let r = onshi(&["test", "--format", "junit", FAILING, APPLIED]);
    assert_eq!(r.code, 1);
    let x = &r.stdout;
    assert!(x.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"onshi test\" tests=\"4\" failures=\"1\" errors=\"0\""), "{x}");
    assert!(
        x.contains("<testsuite name=\"失敗する例\" tests=\"2\" failures=\"1\" errors=\"0\""),
        "{x}"
    );
    assert!(
        x.contains("<testsuite name=\"勝ちの網羅\" tests=\"2\" failures=\"0\""),
        "{x}"
    );
    assert!(
        x.contains(
            "<testcase name=\"誤った期待 &lt;&amp;&gt;\" classname=\"cli.tests.fixtures.failing\""
        ),
        "{x}"
    );
    assert!(x.contains("<failure type=\"onshi::example\" message=\"補助額: 期待 90,000円 / 実際 100,000円\">cli/tests/fixtures/failing.onshi:14:1\n"), "{x}");
    assert_eq!(x.matches("<testcase ").count(), 4);
    assert_eq!(x.matches("<failure ").count(), 1);
}

#[test]
fn junit_reports_a_policy_that_does_not_compile_as_an_error() {
    let dir = std::env::temp_dir().join(format!("onshi-junit-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.onshi");
    std::fs::write(&bad, "政策 \"壊れた\"\n出力 x: 金額 = 未定義の名前\n").unwrap();
    let r = onshi(&[
        "test",
        "--format",
        "junit",
        "--lang",
        "en",
        bad.to_str().unwrap(),
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("errors=\"1\""), "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "<error type=\"onshi::check\" message=\"the policy has errors; no example ran\">"
        ),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("未定義の名前"), "{}", r.stdout);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn lcov_lists_rules_and_rows_as_lines() {
    let r = onshi(&[
        "test",
        "--format",
        "lcov",
        APPLIED,
        "tests/fixtures/coverage.onshi",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        r.stdout,
        "TN:onshi\n\
         SF:cli/tests/fixtures/applied.onshi\nDA:10,1\nDA:11,0\nBRDA:11,0,0,0\nDA:12,1\nBRF:1\nBRH:0\nLF:3\nLH:2\nend_of_record\n\
         SF:tests/fixtures/coverage.onshi\nDA:15,1\nDA:16,1\nDA:17,0\nDA:22,1\nDA:23,1\nDA:24,0\nLF:6\nLH:4\nend_of_record\n"
    );
}

#[test]
fn json_reports_a_policy_that_does_not_compile_as_data() {
    let dir = std::env::temp_dir().join(format!("onshi-json-errors-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.onshi");
    std::fs::write(&bad, "政策 \"壊れた\"\n出力 x: 金額 = 未定義の名前\n").unwrap();
    let mut messages = Vec::new();
    for lang in ["ja", "en"] {
        let r = onshi(&[
            "test",
            "--format",
            "json",
            "--lang",
            lang,
            bad.to_str().unwrap(),
        ]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        let errors = doc["errors"].as_array().unwrap();
        assert_eq!(errors.len(), 1);
        let d = &errors[0]["diagnostics"][0];
        // Data, not box-drawn text: the code, where, and the message in the chosen language.
        assert_eq!(d["code"], "onshi::name::unknown", "{d}");
        assert_eq!(d["severity"], "error");
        assert!(d["file"].as_str().unwrap().ends_with("bad.onshi"), "{d}");
        assert_eq!(d["line"], 2);
        assert_eq!(d["column"], 12);
        let message = d["message"].as_str().unwrap().to_string();
        assert!(message.contains("未定義の名前"), "{message}");
        assert!(
            !message.contains('│') && !message.contains('╭'),
            "{message}"
        );
        messages.push(message);
    }
    assert_ne!(messages[0], messages[1], "the message follows --lang");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn junit_class_names_are_clean_for_relative_paths() {
    // Run from cli/ so the path starts with `../`.
    let o = common::onshi_command(&[
        "test",
        "--format",
        "junit",
        "../cli/tests/fixtures/failing.onshi",
    ])
    .current_dir(root().join("cli"))
    .output()
    .unwrap();
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(
        out.contains("classname=\"cli.tests.fixtures.failing\""),
        "{out}"
    );
    assert!(!out.contains("classname=\"..."), "{out}");
}

#[test]
fn a_missing_file_is_worded_in_the_chosen_language() {
    let ja = onshi(&["test", "no/such/policy.onshi"]);
    assert_eq!(ja.code, 2);
    assert!(
        ja.stderr
            .contains("no/such/policy.onshi: そのようなファイルやフォルダはありません"),
        "{}",
        ja.stderr
    );
    let en = onshi(&["test", "--lang", "en", "no/such/policy.onshi"]);
    assert_eq!(en.code, 2);
    assert!(
        en.stderr
            .contains("no/such/policy.onshi: no such file or directory"),
        "{}",
        en.stderr
    );
}
