//! `onshi check`'s proof that every rule decides for some facts (`onshi::proof::dead_rule`): an
//! exception whose condition no facts satisfy, and one always beaten by a broader exception, are
//! found with the rules labelled; the fixed policies show every rule deciding (each shown by facts
//! the interpreter evaluated); without a solver nothing is claimed.

use crate::check_proofs::{both, onshi, program, solver, write};

const BEATEN: &str = "入力 処方箋受付回数: 整数
出力 区分: 整数
  原則 少ない: 1
  例外 とても多い: もし 処方箋受付回数 >= 120000 ならば 3
  例外 多い > とても多い: もし 処方箋受付回数 >= 40000 ならば 2
";

const NEVER: &str = "入力 処方箋受付回数: 整数
出力 区分: 整数
  原則 少ない: 1
  例外 多い: もし 処方箋受付回数 >= 40000 と 処方箋受付回数 < 30000 ならば 2
";

#[test]
fn an_exception_always_beaten_is_found_and_the_fix_decides() {
    let path = write("beaten", BEATEN);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "a finding is a warning:\n{out}\n{err}");
    if !solver() {
        assert!(
            out.contains("値を決めない規則: 探索も証明もしていない"),
            "{out}"
        );
        return;
    }
    assert!(err.contains("onshi::proof::dead_rule"), "{err}");
    assert!(err.contains("いつも 多い も当てはまって優"), "{err}");
    assert!(
        out.contains("値を決めうると確かめた規則 2、決めない規則 1 件"),
        "{out}"
    );
    let fixed = "入力 処方箋受付回数: 整数
出力 区分: 整数
  原則 少ない: 1
  例外 多い: もし 処方箋受付回数 >= 40000 ならば 2
  例外 とても多い > 多い: もし 処方箋受付回数 >= 120000 ならば 3
";
    let path = write("beaten-fixed", fixed);
    let (_, out, err) = onshi(&["--lang", "en", "check"], &path, &[]);
    assert!(!err.contains("onshi::proof"), "{err}");
    assert!(
        out.contains("3 rule(s) shown to decide for some facts, 0 found, 0 not proved"),
        "{out}"
    );
}

#[test]
fn a_condition_no_facts_satisfy_is_found() {
    let path = write("never", NEVER);
    let (code, out, err) = onshi(&["check"], &path, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    if !solver() {
        return;
    }
    assert!(err.contains("onshi::proof::dead_rule"), "{err}");
    assert!(
        err.contains("区分 の規則 多い が当てはまる事実はない"),
        "{err}"
    );
    // The principle still decides (below 40000); only the exception is dead.
    assert!(
        out.contains("値を決めうると確かめた規則 1、決めない規則 1 件"),
        "{out}"
    );
}

#[test]
fn proof_dead_rule() {
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_dead_rule: no solver, not run");
        return;
    };
    for (name, src, lines) in [
        ("proof_dead_rule_beaten", BEATEN, vec![4, 5]),
        ("proof_dead_rule_never", NEVER, vec![4]),
    ] {
        let (p, sources) = program(src);
        let report = onshi_solver::proof::prove(&p, backend);
        let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
        assert_eq!(codes, ["onshi::proof::dead_rule"], "{name}");
        let d = &report.findings[0];
        let at: Vec<usize> = d
            .labels
            .iter()
            .map(|l| sources.line_col(l.span).0)
            .collect();
        assert_eq!(at, lines, "{name}");
        insta::assert_snapshot!(name, both(d, &sources));
    }
}
