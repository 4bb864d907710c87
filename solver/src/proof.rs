//! Proofs about one policy, for `onshi check`: for each output, no facts make two applicable rules
//! that no other applicable rule beats give different values (the run-time
//! `onshi::eval::conflict`, in the output's own rules or in a definition it uses).
//!
//! Each output is one query (`err = conflict`) with a time-out. `unsat` over an exact encoding is a
//! proof; a model is read back into facts and evaluated with the interpreter, and a finding
//! (`onshi::proof::conflict`) is shown only when the interpreter reproduces the conflict, with the
//! facts as a `例` block. Everything else (no solver, a time-out, an inexact encoding, a witness
//! that does not reproduce) is a line saying the output was not proved, and why.

use crate::encode::CONFLICT;
use crate::{solve, values, Answer, Backend, Encoded};
use onshi::eval::{EvalErrorKind, NoTrace};
use onshi::program::Program;
use onshi::value::Value;
use onshi_grammar::{Code, Diagnostic, Lang, Text};
use std::time::Duration;

/// The time a solver may take per query.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// What the proofs of one policy found.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings (`onshi::proof::conflict`), each reproduced by the interpreter.
    pub findings: Vec<Diagnostic>,
    /// Outputs proved free of conflicts.
    pub proved: Vec<String>,
    /// Outputs not proved, and why, in both languages.
    pub not_proved: Vec<(String, Text)>,
}

impl Report {
    /// The summary line of the proofs (after the findings).
    pub fn summary(&self, lang: Lang, backend: Option<Backend>) -> String {
        let Some(b) = backend else {
            return match lang {
                Lang::Ja => {
                    "規則の衝突: 探索も証明もしていない（ソルバー z3/cvc5 が見つからない）".into()
                }
                Lang::En => "rule conflicts: not proved: no solver (z3 or cvc5) found".into(),
            };
        };
        let mut out = match lang {
            Lang::Ja => format!(
                "規則の衝突（{}）: 証明済み {} 出力、発見 {} 件、未証明 {} 出力（金額・整数は絶対値1兆以下、日付は1910〜2090年の範囲で）",
                b.name(),
                self.proved.len(),
                self.findings.len(),
                self.not_proved.len()
            ),
            Lang::En => format!(
                "rule conflicts ({}): {} output(s) proved, {} found, {} not proved (amounts and integers of absolute value at most 10^12, dates in 1910–2090)",
                b.name(),
                self.proved.len(),
                self.findings.len(),
                self.not_proved.len()
            ),
        };
        for (name, why) in &self.not_proved {
            out.push_str(&match lang {
                Lang::Ja => format!("\n  {name}: 未証明 — {}", why.get(lang)),
                Lang::En => format!("\n  {name}: not proved: {}", why.get(lang)),
            });
        }
        out
    }
}

/// The proofs of `p` with `backend`.
pub fn prove(p: &Program, backend: Backend) -> Report {
    let enc = Encoded::new(p, "p");
    let terms: Vec<String> = (0..p.inputs().len())
        .flat_map(|i| enc.input_terms(i))
        .collect();
    let mut report = Report::default();
    let mut seen = Vec::new();
    for &d in p.outputs() {
        let Some(def) = p.def(d) else { continue };
        let name = def.name.clone();
        let Some(e) = enc.def(d) else {
            let why = Text::new("符号化されていない", "not encoded");
            report.not_proved.push((name, why));
            continue;
        };
        let Some(err) = &e.err else {
            // The output cannot fail at all.
            report.proved.push(name);
            continue;
        };
        let script = format!("{}(assert (= {err} {CONFLICT}))\n", enc.script);
        let (answer, _) = solve(backend, &script, &terms, TIMEOUT);
        match answer {
            Answer::Unsat if enc.inexact.is_empty() => report.proved.push(name),
            Answer::Unsat => {
                let why = enc.inexact.join("; ");
                report.not_proved.push((
                    name,
                    Text::new(
                        format!("正確に符号化できない部分がある（{why}）"),
                        format!("not encoded exactly ({why})"),
                    ),
                ));
            }
            Answer::Unknown(why) => report.not_proved.push((
                name,
                Text::new(
                    format!("ソルバーが答えなかった（時間切れ等: {why}）"),
                    format!("time-out or unknown ({why})"),
                ),
            )),
            Answer::Sat(model) => match witness(p, &enc, &model) {
                Some((inputs, kind)) => {
                    if let EvalErrorKind::Conflict { def, rules } = &kind {
                        let key: Vec<_> = rules.iter().map(|r| r.span).collect();
                        if !seen.contains(&key) {
                            seen.push(key);
                            report
                                .findings
                                .push(crate::proof_diag::conflict(p, &inputs, def, rules));
                        }
                    }
                }
                None => report.not_proved.push((
                    name,
                    Text::new(
                        "ソルバーの示した事実で衝突が再現しなかった",
                        "the solver's facts did not reproduce a conflict",
                    ),
                )),
            },
        }
    }
    report
}

/// The facts of a model, evaluated: the conflict they produce (`None`: they do not reproduce one).
fn witness(p: &Program, enc: &Encoded, model: &str) -> Option<(Vec<Value>, EvalErrorKind)> {
    let m = values(model)?;
    let inputs: Vec<Value> = p
        .inputs()
        .iter()
        .enumerate()
        .map(|(i, input)| {
            enc.input_value(i, &m)
                .or_else(|| input.default.clone())
                .unwrap_or(Value::Absent)
        })
        .collect();
    let results = p
        .evaluator()
        .record_traced(&inputs, p.eval_order(), NoTrace)
        .0;
    let kind = results.into_iter().flatten().find_map(|r| match r {
        Err(e) if e.entry() == Code::EVAL_CONFLICT => Some(e.kind),
        _ => None,
    })?;
    Some((inputs, kind))
}
