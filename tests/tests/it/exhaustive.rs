//! Issue 25, item 5: `onshi diff`'s proofs cross-checked against exhaustive enumeration. A small
//! policy of enumerations and 真偽 only (12 input combinations) and every single edit of it (と/
//! または, =/≠, ∈/∉, a rule's value, a precedence dropped, which makes rules conflict) are
//! compared by `onshi diff` with almost no search, so the solver does the work; then every
//! combination is evaluated by the interpreter on both sides. For every output: proved equal ⇔ no
//! combination differs (a value, or the error that stops it), changed ⇔ some combination
//! differs, never merely searched; and every witness the report shows, read back from its facts
//! as JSON, reproduces the difference.

use onshi::eval::NoTrace;
use onshi::program::Program;
use onshi::value::Value;
use onshi::{compile, Compiled};
use onshi_diff::{self as diff, Edition, Options, ProofStatus};
use std::collections::BTreeMap;

const BASE: &str = "列挙 種別 = 病院 | 診療所 | 薬局
列挙 区分 = 義務 | 対象外 | 経過措置
入力 施設: 種別 既定 病院
入力 紙: 真偽 既定 偽
入力 届出: 真偽 既定 偽
出力 判定: 区分
  原則 通常: 義務
  例外 紙レセプト: もし 紙 と 施設 ≠ 薬局 ならば 対象外
  例外 届出済 > 紙レセプト: もし 届出 または 施設 = 診療所 ならば 経過措置
出力 対象: 真偽 = 施設 ∈ {病院, 診療所} と 紙
";

/// Every single edit of [`BASE`]: (what, edited text).
fn edits() -> Vec<(String, String)> {
    const SWAPS: &[(&str, &str)] = &[
        (" と ", " または "),
        (" または ", " と "),
        (" = ", " ≠ "),
        (" ≠ ", " = "),
        (" ∈ ", " ∉ "),
        ("ならば 対象外", "ならば 経過措置"),
        ("ならば 経過措置", "ならば 義務"),
        ("届出済 > 紙レセプト", "届出済"),
        ("原則 通常: 義務", "原則 通常: 対象外"),
    ];
    let mut out = Vec::new();
    for (from, to) in SWAPS {
        for (at, _) in BASE.match_indices(from) {
            let text = format!("{}{to}{}", &BASE[..at], &BASE[at + from.len()..]);
            out.push((format!("{from} → {to} at {at}"), text));
        }
    }
    out
}

fn load(text: &str) -> Compiled {
    let mut files = BTreeMap::new();
    files.insert("p.onshi".to_string(), text.to_string());
    compile(&files, "p.onshi")
}

/// Output `name` for `inputs`: its value as text, or the code of the error that stopped it.
fn outcome(p: &Program, inputs: &[Value], name: &str) -> String {
    let d = p
        .outputs()
        .iter()
        .copied()
        .find(|d| p.def(*d).is_some_and(|x| x.name == name))
        .unwrap();
    let ty = p.def(d).unwrap().ty.clone();
    let results = p
        .evaluator()
        .record_traced(inputs, p.eval_order(), NoTrace)
        .0;
    match results.into_iter().nth(d.0 as usize).flatten() {
        Some(Ok(v)) => p.value_to_text(&v, &ty),
        Some(Err(e)) => e.code().to_string(),
        None => "not evaluated".to_string(),
    }
}

/// Every combination of the inputs (by name, as text), in both programs' own values.
fn combinations(p: &Program) -> Vec<serde_json::Value> {
    let mut all = vec![serde_json::Map::new()];
    for input in p.inputs() {
        let choices: Vec<serde_json::Value> = match &input.ty {
            onshi::Type::Bool => vec![false.into(), true.into()],
            ty => {
                let names = match ty {
                    onshi::Type::Enum(e) => p.enums()[e.0 as usize].variants.clone(),
                    other => panic!("only enumerations and 真偽 here, not {other:?}"),
                };
                names.into_iter().map(serde_json::Value::from).collect()
            }
        };
        all = all
            .into_iter()
            .flat_map(|m| {
                choices.iter().map(move |c| {
                    let mut m = m.clone();
                    m.insert(input.name.clone(), c.clone());
                    m
                })
            })
            .collect();
    }
    all.into_iter().map(serde_json::Value::Object).collect()
}

#[test]
fn proofs_agree_with_every_input_combination() {
    if onshi_solver::Backend::detect().is_none() {
        eprintln!("no solver on PATH: skipped");
        return;
    }
    let old = load(BASE);
    let oldp = old.program.as_ref().expect("the base policy compiles");
    let space = combinations(oldp);
    assert_eq!(space.len(), 12);
    let quick = Options {
        budget: 4,
        samples: 0,
        ..Options::default()
    };
    let (mut changed, mut proved, mut witnesses) = (0, 0, 0);
    let mut compiled = 0;
    for (what, text) in &edits() {
        let new = load(text);
        let Some(newp) = new.program.as_ref() else {
            continue; // e.g. `=` → `≠` in an enumeration's declaration
        };
        compiled += 1;
        let ed = |p, s| Edition {
            program: p,
            sources: s,
            label: "",
        };
        let r = diff::diff(ed(oldp, &old.sources), ed(newp, &new.sources), &quick);
        let proofs = r.proofs.as_ref().expect("proofs with a solver");
        for (name, status) in &proofs.outputs {
            let differing: Vec<&serde_json::Value> = space
                .iter()
                .filter(|facts| {
                    let a = oldp.facts_from_json(facts).unwrap();
                    let b = newp.facts_from_json(facts).unwrap();
                    outcome(oldp, &a, name) != outcome(newp, &b, name)
                })
                .collect();
            match status {
                ProofStatus::Proved { .. } => {
                    assert!(
                        differing.is_empty(),
                        "{what}: {name} proved equal, yet differs on {differing:?}"
                    );
                    proved += 1;
                }
                ProofStatus::Changed => {
                    assert!(
                        !differing.is_empty(),
                        "{what}: {name} changed, yet no combination differs"
                    );
                    changed += 1;
                }
                other => panic!("{what}: {name}: {other:?}"),
            }
        }
        // Every witness shown reproduces, read back from its facts.
        for c in &r.changes {
            let mut old_facts = serde_json::Map::new();
            let mut new_facts = serde_json::Map::new();
            for f in &c.witness.facts {
                if let Some(v) = &f.old {
                    old_facts.insert(f.name.clone(), v.clone());
                }
                if let Some(v) = &f.new {
                    new_facts.insert(f.name.clone(), v.clone());
                }
            }
            let a = oldp.facts_from_json(&old_facts.into()).unwrap();
            let b = newp.facts_from_json(&new_facts.into()).unwrap();
            assert_ne!(
                outcome(oldp, &a, &c.output),
                outcome(newp, &b, &c.output),
                "{what}: the witness of {} does not reproduce: {:?}",
                c.output,
                c.witness.facts
            );
            witnesses += 1;
        }
    }
    eprintln!("{compiled} edits: {changed} outputs changed ({witnesses} witnesses), {proved} proved equal");
    // Both kinds of answer were exercised, on enough edits.
    assert!(compiled >= 10, "{compiled} edits compiled");
    assert!(
        changed > 5 && proved > 5 && witnesses >= changed,
        "{changed} changed, {proved} proved, {witnesses} witnesses"
    );
}
