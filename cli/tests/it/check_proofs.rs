//! `onshi check`'s proofs (`onshi_solver::proof`): a policy with a real rule conflict gets an
//! `onshi::proof::conflict` warning whose `例` block, pasted into the policy, reproduces the conflict
//! under `onshi test`; a gap between two conditions gets `onshi::proof::no_rule` with facts in the
//! gap; the same policies resolved are proved; without a solver one line says nothing was proved.

use std::path::{Path, PathBuf};

const CONFLICT: &str = "入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
入力 件数: 整数 既定 0
出力 判定: 整数
  原則 義務化: 1
  例外 紙レセプト: もし 紙レセプト請求 ならば 2
  例外 経過措置中: もし 届出済 と 件数 > 40 ならば 3
";

const RESOLVED: &str = "入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
入力 件数: 整数 既定 0
出力 判定: 整数
  原則 義務化: 1
  例外 紙レセプト: もし 紙レセプト請求 ならば 2
  例外 経過措置中 > 紙レセプト: もし 届出済 と 件数 > 40 ならば 3
";

pub(crate) fn solver() -> bool {
    onshi_solver::Backend::detect().is_some()
}

pub(crate) fn write(tag: &str, text: &str) -> PathBuf {
    let path = crate::common::scratch("proofs", tag).join("policy.onshi");
    std::fs::write(&path, text).unwrap();
    path
}

/// `onshi check` (or another command) on `path`: exit code, standard output and error.
pub(crate) fn onshi(args: &[&str], path: &Path, env: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = crate::common::onshi_command(args);
    c.arg(path).envs(env.iter().copied());
    let (code, out, err) = crate::common::outcome(&mut c);
    (code, String::from_utf8_lossy(&out).into_owned(), err)
}

#[test]
fn a_conflict_is_found_and_its_example_reproduces_it() {
    let path = write("conflict", CONFLICT);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "a finding is a warning:\n{out}\n{err}");
    if !solver() {
        assert!(out.contains("探索も証明もしていない"), "{out}");
        return;
    }
    assert!(err.contains("onshi::proof::conflict"), "{err}");
    assert!(err.contains("紙レセプト → 2"), "{err}");
    assert!(err.contains("経過措置中 → 3"), "{err}");
    assert!(out.contains("規則の衝突（"), "{out}");
    assert!(out.contains("発見 1 件"), "{out}");
    assert!(out.contains("警告 1 件"), "{out}");
    // The witness needs 件数 above 40, and both flags.
    let line = err
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("事実 "))
        .expect("a 事実 line");
    assert!(line.contains("紙レセプト請求 = 真"), "{line}");
    assert!(line.contains("届出済 = 真"), "{line}");
    let n: i64 = line
        .split("件数 = ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .expect("件数 in the witness")
        .trim()
        .parse()
        .expect("a number");
    assert!(n > 40, "{line}");
    // Pasted with a 期待, the example fails with the run-time conflict: the witness is real.
    let pasted = format!("{CONFLICT}例 \"判定: 規則の衝突\"\n  {line}\n  期待 判定 = 2\n");
    let path = write("pasted", &pasted);
    let (code, out, err) = onshi(&["test"], &path, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("onshi::eval::conflict"), "{out}\n{err}");
}

#[test]
fn a_resolved_policy_is_proved() {
    let path = write("resolved", RESOLVED);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!err.contains("onshi::proof"), "{err}");
    if solver() {
        assert!(
            out.contains("証明済み 1 出力、発見 0 件、未証明 0 出力"),
            "{out}"
        );
        let (_, out, _) = onshi(&["--lang", "en", "check"], &path, &[]);
        assert!(
            out.contains("1 output(s) proved, 0 found, 0 not proved"),
            "{out}"
        );
    }
}

#[test]
fn without_a_solver_one_line_says_nothing_was_proved() {
    let path = write("none", CONFLICT);
    let (code, out, err) = onshi(&["check"], &path, &[("ONSHI_SOLVER", "none")]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(!err.contains("onshi::proof"), "{err}");
    assert!(
        out.contains(
            "規則の衝突・当てはまる規則なし・当たる行のない表の参照・値を決めない規則: 探索も証明もしていない"
        ),
        "{out}"
    );
    let (_, out, _) = onshi(
        &["--lang", "en", "check"],
        &path,
        &[("ONSHI_SOLVER", "none")],
    );
    assert!(out.contains("not proved: no solver"), "{out}");
}

#[test]
fn a_gap_is_found_in_the_gap() {
    let gap = "入力 件数: 整数
出力 区分: 整数
  原則 少ない: もし 件数 < 40000 ならば 1
  例外 多い: もし 件数 > 40000 ならば 2
";
    let path = write("gap", gap);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    if !solver() {
        assert!(out.contains("探索も証明もしていない"), "{out}");
        return;
    }
    assert!(err.contains("onshi::proof::no_rule"), "{err}");
    // The only facts with no rule: exactly 40000.
    assert!(err.contains("事実 件数 = 40000"), "{err}");
    assert!(!err.contains("onshi::proof::conflict"), "{err}");
    let fixed = gap.replace("件数 > 40000", "件数 >= 40000");
    let fixed = fixed.replace("もし 件数 < 40000 ならば 1", "1");
    let path = write("gap-fixed", &fixed);
    let (_, out, err) = onshi(&["check"], &path, &[]);
    assert!(!err.contains("onshi::proof"), "{err}");
    assert!(out.contains("当てはまる規則なし（"), "{out}");
    assert_eq!(
        out.matches("証明済み 1 出力、発見 0 件").count(),
        3,
        "{out}"
    );
}

// ------------------------------------------------------------------ the findings, rendered

/// The facts tests' rules: a 判定区分 and the inputs its rules read.
const RULES_POLICY: &str = "列挙 判定区分 = 施行前 | 義務 | 義務化対象外 | 経過措置
入力 判定日: 日付
入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
";

/// The checked program of `src` (as `r7/policy.onshi`), which must compile without errors.
pub(crate) fn program(src: &str) -> (onshi::Program, onshi::SourceMap) {
    let map = std::collections::BTreeMap::from([("r7/policy.onshi".to_string(), src.to_string())]);
    let c = onshi::compile(&map, "r7/policy.onshi");
    assert!(
        !c.diagnostics.iter().any(onshi::Diagnostic::is_error),
        "unexpected errors"
    );
    (c.program.expect("a program"), c.sources)
}

/// The snapshot text: the diagnostic in both languages.
pub(crate) fn both(d: &onshi::Diagnostic, sources: &onshi::SourceMap) -> String {
    use onshi_cli::render::render;
    format!(
        "--- ja ---\n{}\n--- en ---\n{}",
        render(d, sources, onshi::Lang::Ja),
        render(d, sources, onshi::Lang::En)
    )
}

#[test]
fn proof_conflict() {
    // The same two exceptions, found by `onshi check`'s proof (a solver) rather than by facts: both
    // rules labelled, the witness as a 例 block. Needs z3 or cvc5 (without one, nothing to show).
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
"
    );
    let (p, sources) = program(&src);
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_conflict: no solver, not run");
        return;
    };
    let report = onshi_solver::proof::prove(&p, backend);
    let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::proof::conflict"]);
    let d = &report.findings[0];
    assert!(!d.is_error());
    let lines: Vec<usize> = d
        .labels
        .iter()
        .map(|l| sources.line_col(l.span).0)
        .collect();
    assert_eq!(lines, [7, 8]);
    // 判定日 plays no part: the solver may pick any date, so it is left out of the snapshot.
    let text = both(d, &sources);
    let text: String = text
        .lines()
        .map(|l| match l.find("判定日 = ") {
            Some(i) => {
                let rest = &l[i..];
                let end = rest.find(", ").map_or(rest.len(), |e| e + 2);
                format!("{}{}", &l[..i], &rest[end..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("proof_conflict", text);
}

#[test]
fn proof_no_rule() {
    // No rule for exactly 40000: the solver finds that number, the interpreter reproduces it.
    let (p, sources) = program(
        "入力 件数: 整数
出力 区分: 整数
  原則 少ない: もし 件数 < 40000 ならば 1
  例外 多い: もし 件数 > 40000 ならば 2
",
    );
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_no_rule: no solver, not run");
        return;
    };
    let report = onshi_solver::proof::prove(&p, backend);
    let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::proof::no_rule"]);
    insta::assert_snapshot!("proof_no_rule", both(&report.findings[0], &sources));
}

const NO_ROW: &str = "入力 処方箋受付回数: 整数
表 加算表(処方箋受付回数: 整数) → 金額
  | 処方箋受付回数 | 加算表 |
  |---|---|
  | < 40000 | 100円 |
  | > 40000 | 50円 |
出力 加算: 金額 = 加算表(処方箋受付回数)
";

#[test]
fn a_missing_row_is_found_and_its_example_reproduces_it() {
    let path = write("no-row", NO_ROW);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "a finding is a warning:\n{out}\n{err}");
    if !solver() {
        assert!(out.contains("探索も証明もしていない"), "{out}");
        return;
    }
    assert!(err.contains("onshi::proof::no_row"), "{err}");
    assert!(out.contains("当たる行のない表の参照（"), "{out}");
    // The one key no row matches.
    let line = err
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("事実 "))
        .expect("a 事実 line");
    assert_eq!(line, "事実 処方箋受付回数 = 40000");
    // Pasted with a 期待, the example fails with the run-time error: the witness is real.
    let pasted = format!("{NO_ROW}例 \"加算: 行なし\"\n  {line}\n  期待 加算 = 50円\n");
    let path = write("no-row-pasted", &pasted);
    let (code, out, err) = onshi(&["test"], &path, &[]);
    assert_eq!(code, 1, "{out}\n{err}");
    assert!(out.contains("onshi::eval::no_row"), "{out}\n{err}");
    // With the boundary in a row, every lookup is proved to find one.
    let path = write("no-row-fixed", &NO_ROW.replace("| > 40000", "| >= 40000"));
    let (_, out, err) = onshi(&["check"], &path, &[]);
    assert!(!err.contains("onshi::proof"), "{err}");
    assert!(
        out.contains("当たる行のない表の参照（z3）: 証明済み 1 出力、発見 0 件")
            || out.contains("当たる行のない表の参照（cvc5）: 証明済み 1 出力、発見 0 件"),
        "{out}"
    );
}

#[test]
fn proof_no_row() {
    // Exactly 40000 has no row: the solver finds it, the interpreter reproduces it, the lookup is
    // labelled.
    let (p, sources) = program(NO_ROW);
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_no_row: no solver, not run");
        return;
    };
    let report = onshi_solver::proof::prove(&p, backend);
    let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::proof::no_row"]);
    let d = &report.findings[0];
    assert_eq!(sources.line_col(d.labels[0].span).0, 7);
    insta::assert_snapshot!("proof_no_row", both(d, &sources));
}
