//! The proofs of `onshi check` against exhaustive enumeration: on policies whose inputs are all
//! 真偽 or enumerations, every combination of facts is evaluated by the interpreter, and the proof
//! results must agree with what the facts show — a conflict, a missing rule or a missing row is
//! found by the proofs exactly when some facts produce it, and the rules that decide for some
//! facts are exactly the ones the proofs show deciding. Facts that break a `前提` are left out, as
//! the proofs assume every premise.

use crate::check_proofs::program;
use onshi::eval::Tracer;
use onshi::program::{DefId, Program};
use onshi::types::Type;
use onshi::value::Value;
use onshi_solver::proof::Property;

const POLICIES: &[(&str, &str)] = &[
    (
        "conflict",
        include_str!("../../../tests/corpus/proofs/proof-conflict.onshi"),
    ),
    (
        "dead and beaten",
        "列挙 種別 = 病院 | 診療所 | 薬局
入力 施設種別: 種別
入力 紙: 真偽 既定 偽
出力 区分: 整数
  原則 通常: 1
  例外 病院: もし 施設種別 = 病院 ならば 2
  例外 病院で紙 > 病院: もし 施設種別 = 病院 と 紙 ならば 3
  例外 紙だけ > 病院で紙: もし 紙 ならば 4
  例外 ありえない: もし 施設種別 = 病院 と 施設種別 = 薬局 ならば 5
",
    ),
    (
        "no rule",
        "列挙 種別 = 病院 | 診療所 | 薬局
入力 施設種別: 種別
出力 区分: 整数
  原則 病院: もし 施設種別 = 病院 ならば 1
  例外 診療所: もし 施設種別 = 診療所 ならば 2
",
    ),
    (
        "no row",
        "列挙 種別 = 病院 | 診療所 | 薬局
入力 施設種別: 種別
入力 訪問: 真偽 既定 偽
表 加算(施設: 種別, 訪問あり: 真偽) → 整数
  | 施設 | 訪問あり | 加算 |
  |---|---|---|
  | 病院 | - | 1 |
  | 診療所 | - | 2 |
  | 薬局 | 偽 | 3 |
出力 点数: 整数 = 加算(施設種別, 訪問)
",
    ),
    (
        "no row ruled out by a premise",
        "列挙 種別 = 病院 | 診療所 | 薬局
入力 施設種別: 種別
入力 訪問: 真偽 既定 偽
# 判断（テスト用）: 薬局は訪問しない
前提 薬局は訪問しない: 施設種別 ≠ 薬局 または (訪問 でない)
表 加算(施設: 種別, 訪問あり: 真偽) → 整数
  | 施設 | 訪問あり | 加算 |
  |---|---|---|
  | 病院 | - | 1 |
  | 診療所 | - | 2 |
  | 薬局 | 偽 | 3 |
出力 点数: 整数 = 加算(施設種別, 訪問)
",
    ),
];

/// Every value of an input type, when it is small (真偽, an enumeration, optional ones).
fn values(p: &Program, ty: &Type) -> Option<Vec<Value>> {
    Some(match ty {
        Type::Bool => vec![Value::Bool(false), Value::Bool(true)],
        Type::Enum(e) => {
            let n = p.enums().get(e.0 as usize)?.variants.len() as u32;
            (0..n).map(Value::Enum).collect()
        }
        Type::Optional(t) => {
            let mut v = values(p, t)?;
            v.push(Value::Absent);
            v
        }
        _ => return None,
    })
}

/// Every combination of facts (`None`: some input is not small).
fn all_facts(p: &Program) -> Option<Vec<Vec<Value>>> {
    let mut out: Vec<Vec<Value>> = vec![Vec::new()];
    for input in p.inputs() {
        let vs = values(p, &input.ty)?;
        out = out
            .into_iter()
            .flat_map(|f| {
                vs.iter().map(move |v| {
                    let mut g = f.clone();
                    g.push(v.clone());
                    g
                })
            })
            .collect();
    }
    Some(out)
}

/// The rules that gave each definition its value.
struct Winners {
    current: Option<DefId>,
    won: Vec<(DefId, u128)>,
}

impl Tracer for Winners {
    fn enter(&mut self, def: DefId) {
        self.current = Some(def);
    }
    fn rules(&mut self, _applicable: u128, winners: u128) {
        if let Some(d) = self.current {
            self.won.push((d, winners));
        }
    }
}

#[test]
fn proofs_agree_with_every_combination_of_facts() {
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proofs_agree_with_every_combination_of_facts: no solver, not run");
        return;
    };
    for (name, src) in POLICIES {
        let (p, _) = program(src);
        let facts = all_facts(&p).expect("small inputs");
        let mut seen = std::collections::BTreeSet::new();
        let mut decided = std::collections::BTreeSet::new();
        for f in &facts {
            let (results, w) = p.evaluator().record_traced(
                f,
                p.eval_order(),
                Winners {
                    current: None,
                    won: Vec::new(),
                },
            );
            let errors: Vec<&str> = results
                .iter()
                .flatten()
                .filter_map(|r| r.as_ref().err().map(|e| e.code()))
                .collect();
            if errors.contains(&"onshi::eval::premise") {
                continue;
            }
            seen.extend(errors);
            for (d, mask) in w.won {
                if matches!(results.get(d.index()), Some(Some(Ok(_)))) {
                    for i in 0..128 {
                        if mask & (1u128 << i) != 0 {
                            decided.insert((d.0, i));
                        }
                    }
                }
            }
        }
        let report = onshi_solver::proof::prove(&p, backend);
        for o in &report.outcomes {
            assert!(o.not_proved.is_empty(), "{name}: {:?}", o.not_proved);
            let code = match o.property {
                Property::Conflict => "onshi::eval::conflict",
                Property::NoRule => "onshi::eval::no_rule",
                Property::NoRow => "onshi::eval::no_row",
            };
            assert_eq!(
                o.found > 0,
                seen.contains(code),
                "{name}: {code}: proofs found {}, enumeration saw {seen:?}",
                o.found
            );
        }
        // Every rule of every definition the outputs use: deciding for some facts ⇔ shown so.
        let total: usize = p
            .eval_order()
            .iter()
            .filter_map(|d| p.def(*d))
            .map(|d| d.rules.len())
            .sum();
        assert!(report.rules.not_proved.is_empty(), "{name}");
        assert_eq!(report.rules.live, decided.len(), "{name}: {decided:?}");
        assert_eq!(report.rules.dead, total - decided.len(), "{name}");
    }
}
