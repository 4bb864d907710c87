//! Rules that never decide (`onshi::proof::dead_rule`): for each rule of each 原則/例外
//! definition an output uses, some facts make it a rule that gives the value (it applies, no
//! applicable rule beats it, and the definition evaluates without error).
//!
//! One query per rule. `sat` is checked: the model's facts are evaluated by the interpreter, which
//! must pick that rule among the winners (a [`Tracer`] records them); otherwise the rule is "not
//! proved". `unsat` over an exact encoding is a proof that the rule never decides, and two more
//! queries say why: no facts make its condition hold, or whenever it applies a rule that beats it
//! applies too (those rules are labelled).

use crate::proof::{facts, TIMEOUT};
use crate::proof_diag;
use crate::{solve, Answer, Backend, Encoded};
use onshi::eval::Tracer;
use onshi::program::{DefId, Program};
use onshi_grammar::{Diagnostic, Text};

/// What the proofs about rules found.
#[derive(Debug, Default)]
pub struct RulesOutcome {
    /// Rules proved to decide for some facts (each shown by facts the interpreter checked).
    pub live: usize,
    /// Rules proved never to decide (each a finding).
    pub dead: usize,
    /// Rules not proved either way (`定義名: ラベル`), and why.
    pub not_proved: Vec<(String, Text)>,
}

/// Why a rule never decides.
pub(crate) enum Dead {
    /// No facts make its condition hold.
    NeverApplies,
    /// Whenever it applies, one of these rules (indices) applies and beats it.
    AlwaysBeaten(Vec<usize>),
}

/// Records, per definition, the rules that gave its value.
struct Winners {
    current: Option<DefId>,
    seen: Vec<(DefId, u128)>,
}

impl Tracer for Winners {
    fn enter(&mut self, def: DefId) {
        self.current = Some(def);
    }
    fn rules(&mut self, _applicable: u128, winners: u128) {
        if let Some(d) = self.current {
            self.seen.push((d, winners));
        }
    }
}

/// The definitions the outputs use, in evaluation order.
fn used(p: &Program) -> Vec<DefId> {
    p.eval_order().to_vec()
}

/// The proofs about every rule of `p`'s definitions written as 原則/例外.
pub(crate) fn dead_rules(
    p: &Program,
    enc: &Encoded,
    backend: Backend,
    terms: &[String],
) -> (Vec<Diagnostic>, RulesOutcome) {
    let mut found = Vec::new();
    let mut o = RulesOutcome::default();
    for d in used(p) {
        let (Some(def), Some(rules)) = (p.def(d), enc.rule_terms(d)) else {
            continue;
        };
        let err = enc.def(d).and_then(|e| e.err.clone());
        let ok = err.map_or_else(|| "true".to_string(), |e| format!("(= {e} 0)"));
        for (i, (applies, decides)) in rules.iter().enumerate() {
            let name = match def.rules.get(i).and_then(|r| r.label.clone()) {
                Some(l) => format!("{}: {l}", def.name),
                None => format!("{}: 原則", def.name),
            };
            let ask = |extra: &str| {
                let script = format!("{}(assert {extra})\n", enc.script);
                solve(backend, &script, terms, TIMEOUT).0
            };
            let not_proved = |why: Text| (name.clone(), why);
            match ask(&format!("(and {decides} {ok})")) {
                Answer::Sat(model) => {
                    if decides_with(p, enc, &model, d, i) {
                        o.live += 1;
                    } else {
                        o.not_proved.push(not_proved(Text::new(
                            "ソルバーの示した事実では、インタプリタでこの規則が値を決めなかった",
                            "the solver's facts did not make the interpreter pick this rule",
                        )));
                    }
                }
                Answer::Unknown(why) => o.not_proved.push(not_proved(Text::new(
                    format!("ソルバーが答えなかった（時間切れ等: {why}）"),
                    format!("time-out or unknown ({why})"),
                ))),
                Answer::Unsat if !enc.inexact.is_empty() => {
                    let why = enc.inexact.join("; ");
                    o.not_proved.push(not_proved(Text::new(
                        format!("正確に符号化できない部分がある（{why}）"),
                        format!("not encoded exactly ({why})"),
                    )));
                }
                Answer::Unsat => {
                    // It may decide only with an error (another property reports that): say
                    // why it never decides only when it never even wins.
                    let why = match ask(decides) {
                        Answer::Unsat => match ask(applies) {
                            Answer::Unsat => Some(Dead::NeverApplies),
                            Answer::Sat(_) => Some(Dead::AlwaysBeaten(beaters(p, d, i))),
                            Answer::Unknown(_) => None,
                        },
                        _ => None,
                    };
                    match why {
                        Some(why) => {
                            o.dead += 1;
                            found.extend(proof_diag::dead_rule(p, d, i, &why));
                        }
                        None => o.not_proved.push(not_proved(Text::new(
                            "この規則が選ばれるときは、定義の評価がいつも誤りになる",
                            "whenever this rule is picked, the definition fails",
                        ))),
                    }
                }
            }
        }
    }
    (found, o)
}

/// The rules of `d` that beat rule `i`.
fn beaters(p: &Program, d: DefId, i: usize) -> Vec<usize> {
    let Some(def) = p.def(d) else {
        return Vec::new();
    };
    let onshi::program::CKind::Rules(rules) = &def.body.kind else {
        return Vec::new();
    };
    rules
        .iter()
        .enumerate()
        .filter(|(j, r)| *j != i && onshi::ops::sets::contains_at(r.beats, i))
        .map(|(j, _)| j)
        .collect()
}

/// Whether the model's facts, evaluated, make rule `i` one of those that give `d` its value.
fn decides_with(p: &Program, enc: &Encoded, model: &str, d: DefId, i: usize) -> bool {
    let Some(inputs) = facts(p, enc, model) else {
        return false;
    };
    let tracer = Winners {
        current: None,
        seen: Vec::new(),
    };
    let (results, w) = p.evaluator().record_traced(&inputs, p.eval_order(), tracer);
    let ok = matches!(results.get(d.index()), Some(Some(Ok(_))));
    ok && w
        .seen
        .iter()
        .any(|(x, mask)| *x == d && onshi::ops::sets::contains_at(*mask, i))
}
