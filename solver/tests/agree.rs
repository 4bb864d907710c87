//! The encoding against the interpreter: for every example (例) of every shipped policy, the
//! solver, given the example's facts, must find no value or error of any output other than the
//! interpreter's; and z3 and cvc5 must give the same answers. Skipped (with a message) when
//! neither solver is on PATH.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onshi::program::Program;
use onshi::{compile, Files};
use onshi_solver::encode::ERRORS;
use onshi_solver::{solve, Answer, Backend, Encoded};
use std::path::{Path, PathBuf};
use std::time::Duration;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

struct Disk;
impl Files for Disk {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(root().join(path)).ok()
    }
}

pub fn shipped() -> Vec<(String, Program)> {
    let mut out = Vec::new();
    for year in ["common", "r2", "r7"] {
        let mut files: Vec<_> = std::fs::read_dir(root().join("policies").join(year))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
            .filter(|n| n.ends_with(".onshi"))
            .collect();
        files.sort();
        for f in files {
            let path = format!("policies/{year}/{f}");
            let c = compile(&Disk, &path);
            out.push((path, c.program.expect("shipped policies compile")));
        }
    }
    out
}

/// The query "some output differs from what the interpreter gives for example `n`".
fn query(p: &Program, n: usize) -> (String, Vec<String>) {
    let ex = &p.examples()[n];
    let inputs = p.example_inputs(ex);
    let mut enc = Encoded::new(p, "p");
    let mut asserts = Vec::new();
    for (i, v) in inputs.iter().enumerate() {
        let ty = p.inputs()[i].ty.clone();
        let c = enc.constant(v, &ty);
        asserts.push(onshi_solver::encode::eq(enc.input(i).unwrap(), &c));
    }
    let results = p
        .evaluator()
        .record_traced(&inputs, p.eval_order(), onshi::eval::NoTrace)
        .0;
    let mut differs = Vec::new();
    let mut names = Vec::new();
    for &d in p.outputs() {
        let def = p.def(d).unwrap();
        let e = enc.def(d).unwrap().clone();
        let err = e.err.clone().unwrap_or_else(|| "0".into());
        let want = match results.get(d.index()) {
            Some(Some(Ok(v))) => {
                let c = enc.constant(v, &def.ty);
                format!("(and (= {err} 0) {})", onshi_solver::encode::eq(&e.v, &c))
            }
            Some(Some(Err(x))) => {
                let code = ERRORS.iter().position(|c| *c == x.code()).unwrap();
                format!("(= {err} {code})")
            }
            _ => continue,
        };
        differs.push(format!("(not {want})"));
        names.push(def.name.clone());
    }
    let mut script = enc.script.clone();
    for a in asserts {
        script.push_str(&format!("(assert {a})\n"));
    }
    script.push_str(&format!("(assert (or false {}))\n", differs.join(" ")));
    assert!(
        enc.inexact.iter().all(|w| w.contains("営業日後")),
        "{:?}",
        enc.inexact
    );
    if !enc.inexact.is_empty() {
        return (String::new(), names);
    }
    (script, names)
}

#[test]
fn every_example_agrees_with_the_interpreter_on_both_solvers() {
    let backends: Vec<Backend> = [Backend::Z3, Backend::Cvc5]
        .into_iter()
        .filter(|b| b.available())
        .collect();
    if backends.is_empty() {
        eprintln!("no solver on PATH: skipped");
        return;
    }
    let mut queries = Vec::new();
    for (path, p) in shipped() {
        for n in 0..p.examples().len() {
            let (script, _) = query(&p, n);
            queries.push((
                format!("{path} example {n} ({})", p.examples()[n].name),
                script,
            ));
        }
    }
    let checked = queries.len();
    // Two workers (the machine has two cores); each query runs on every solver.
    let failures: Vec<String> = std::thread::scope(|s| {
        let (a, b) = queries.split_at(queries.len() / 2);
        let run = |part: &[(String, String)]| {
            let mut bad = Vec::new();
            for (what, script) in part {
                for be in &backends {
                    let (ans, _) = solve(*be, script, &[], Duration::from_secs(20));
                    if ans != Answer::Unsat {
                        bad.push(format!(
                            "{what}: {} answers {ans:?} (an output the interpreter does not give)",
                            be.name()
                        ));
                    }
                }
            }
            bad
        };
        let h = s.spawn(move || run(a));
        let mut out = run(b);
        out.extend(h.join().unwrap_or_default());
        out
    });
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked > 50, "{checked} examples");
}

/// `祝日`'s and `祝日を除く営業日後`'s tables against the interpreter's calendar: holidays of every
/// kind, days next to them, and dates at and outside the calendar's years (its error), on every
/// solver present.
#[test]
fn the_holiday_table_agrees_with_the_interpreter() {
    struct One;
    impl Files for One {
        fn read(&self, path: &str) -> Option<String> {
            let facts = [
                "令和7年11月24日", // 振替休日
                "令和7年11月25日",
                "令和8年9月22日",  // 国民の休日
                "令和8年3月20日",  // 春分の日
                "平成元年2月24日", // 大喪の礼
                "2027-12-31",
                "1980-01-01",
                "1979-12-31", // outside: the calendar's error
                "2028-01-01",
                "2028-01-03",    // counting back reaches 2027 over a weekend: a date
                "2028-01-04",    // counting back meets 2028-01-03 first: the error
                "1980-01-08",    // counting back meets 1979-12-31: the error
                "令和8年3月2日", // skips 天皇誕生日
            ];
            let mut src = String::from(
                "入力 日: 日付\n出力 休み: 真偽 = 祝日(日)\n出力 五日前: 日付 = 祝日を除く営業日後(日, -5)\n",
            );
            for (i, d) in facts.iter().enumerate() {
                src.push_str(&format!("例 \"{i}\"\n  事実 日 = {d}\n  期待 休み = 真\n"));
            }
            (path == "policies/r7/h.onshi").then_some(src)
        }
    }
    let backends: Vec<Backend> = [Backend::Z3, Backend::Cvc5]
        .into_iter()
        .filter(|b| b.available())
        .collect();
    let p = compile(&One, "policies/r7/h.onshi").program.unwrap();
    let holidays = p
        .examples()
        .iter()
        .filter(|ex| {
            let inputs = p.example_inputs(ex);
            let r = p
                .evaluator()
                .record_traced(&inputs, p.eval_order(), onshi::eval::NoTrace);
            matches!(
                r.0.iter().flatten().next(),
                Some(Ok(onshi::value::Value::Bool(true)))
            )
        })
        .count();
    assert_eq!(holidays, 5, "the interpreter's answers");
    for n in 0..p.examples().len() {
        let (script, _) = query(&p, n);
        assert!(!script.is_empty(), "祝日 is encoded exactly");
        for be in &backends {
            let (ans, _) = solve(*be, &script, &[], Duration::from_secs(20));
            assert_eq!(ans, Answer::Unsat, "example {n} on {}", be.name());
        }
    }
}
