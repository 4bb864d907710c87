//! Proofs about one policy, for `onshi check`, for each output: no facts make two applicable rules
//! that no other applicable rule beats give different values (the run-time
//! `onshi::eval::conflict`, in the output's own rules or in a definition it uses; finding
//! `onshi::proof::conflict`), and no facts leave a definition it uses with no applicable rule
//! (`onshi::eval::no_rule`; finding `onshi::proof::no_rule`), and no facts make a table lookup it
//! makes match no row (`onshi::eval::no_row`; finding `onshi::proof::no_row`, the lookup labelled;
//! a lookup takes the first row that matches, so two matching rows are not an error).
//!
//! Each output and property is one query (`err = conflict`, `err = no rule`, `err = no row`) with a time-out. `unsat` over an exact encoding is a
//! proof; a model is read back into facts and evaluated with the interpreter, and a finding
//! is shown only when the interpreter reproduces the run-time error, with the
//! facts as a `例` block. Everything else (no solver, a time-out, an inexact encoding, a witness
//! that does not reproduce) is a line saying the output was not proved, and why.

use crate::dead::{dead_rules, RulesOutcome};
use crate::encode::{CONFLICT, NO_ROW, NO_RULE};
use crate::proof_diag;
use crate::{solve, values, Answer, Backend, Encoded};
use onshi::eval::{EvalError, EvalErrorKind, NoTrace};
use onshi::program::Program;
use onshi::value::Value;
use onshi_grammar::{Code, Diagnostic, Lang, Text};
use std::time::Duration;

/// The time a solver may take per query.
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// A property proved of every output.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Property {
    /// No `onshi::eval::conflict`.
    Conflict,
    /// No `onshi::eval::no_rule`.
    NoRule,
    /// No `onshi::eval::no_row`: every table lookup finds a row.
    NoRow,
}

impl Property {
    pub const ALL: [Property; 3] = [Property::Conflict, Property::NoRule, Property::NoRow];

    /// Its error code in the encoding, and the run-time error it rules out.
    fn code(self) -> (u32, Code) {
        match self {
            Property::Conflict => (CONFLICT, Code::EVAL_CONFLICT),
            Property::NoRule => (NO_RULE, Code::EVAL_NO_RULE),
            Property::NoRow => (NO_ROW, Code::EVAL_NO_ROW),
        }
    }

    fn name(self) -> Text {
        match self {
            Property::Conflict => Text::new("規則の衝突", "rule conflicts"),
            Property::NoRule => Text::new("当てはまる規則なし", "no applicable rule"),
            Property::NoRow => Text::new("当たる行のない表の参照", "table lookups with no row"),
        }
    }
}

/// What the proofs of one property found.
#[derive(Debug)]
pub struct Outcome {
    pub property: Property,
    /// Outputs proved to have it.
    pub proved: Vec<String>,
    /// Outputs not proved, and why, in both languages.
    pub not_proved: Vec<(String, Text)>,
    /// Findings, each reproduced by the interpreter.
    pub found: usize,
}

/// What the proofs of one policy found.
#[derive(Debug, Default)]
pub struct Report {
    /// Findings (`onshi::proof::conflict`, `no_rule`, `no_row`), each reproduced by the
    /// interpreter.
    pub findings: Vec<Diagnostic>,
    /// Per property.
    pub outcomes: Vec<Outcome>,
    /// Whether each rule decides for some facts (`onshi::proof::dead_rule`).
    pub rules: RulesOutcome,
}

impl Report {
    /// The summary lines of the proofs (after the findings).
    pub fn summary(&self, lang: Lang, backend: Option<Backend>) -> String {
        let Some(b) = backend else {
            let mut names: Vec<String> = Property::ALL
                .iter()
                .map(|p| p.name().get(lang).to_string())
                .collect();
            names.push(
                Text::new("値を決めない規則", "rules that never decide")
                    .get(lang)
                    .to_string(),
            );
            return match lang {
                Lang::Ja => format!(
                    "{}: 探索も証明もしていない（ソルバー z3/cvc5 が見つからないか、ONSHI_SOLVER=none）",
                    names.join("・")
                ),
                Lang::En => format!(
                    "{}: not proved: no solver (z3 or cvc5 not found, or ONSHI_SOLVER=none)",
                    names.join(", ")
                ),
            };
        };
        let mut lines = Vec::new();
        for o in &self.outcomes {
            let name = o.property.name();
            lines.push(match lang {
                Lang::Ja => format!(
                    "{}（{}）: 証明済み {} 出力、発見 {} 件、未証明 {} 出力（金額・整数は絶対値1兆以下、日付は1910〜2090年の範囲で）",
                    name.get(lang),
                    b.name(),
                    o.proved.len(),
                    o.found,
                    o.not_proved.len()
                ),
                Lang::En => format!(
                    "{} ({}): {} output(s) proved, {} found, {} not proved (amounts and integers of absolute value at most 10^12, dates in 1910–2090)",
                    name.get(lang),
                    b.name(),
                    o.proved.len(),
                    o.found,
                    o.not_proved.len()
                ),
            });
            not_proved_lines(&o.not_proved, lang, &mut lines);
        }
        let r = &self.rules;
        if r.live + r.dead + r.not_proved.len() > 0 {
            lines.push(match lang {
                Lang::Ja => format!(
                    "値を決めない規則（{}）: 値を決めうると確かめた規則 {}、決めない規則 {} 件、未証明 {} 規則",
                    b.name(),
                    r.live,
                    r.dead,
                    r.not_proved.len()
                ),
                Lang::En => format!(
                    "rules that never decide ({}): {} rule(s) shown to decide for some facts, {} found, {} not proved",
                    b.name(),
                    r.live,
                    r.dead,
                    r.not_proved.len()
                ),
            });
            not_proved_lines(&r.not_proved, lang, &mut lines);
        }
        lines.join("\n")
    }
}

fn not_proved_lines(items: &[(String, Text)], lang: Lang, lines: &mut Vec<String>) {
    for (what, why) in items {
        lines.push(match lang {
            Lang::Ja => format!("  {what}: 未証明 — {}", why.get(lang)),
            Lang::En => format!("  {what}: not proved: {}", why.get(lang)),
        });
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
    for property in Property::ALL {
        let mut o = Outcome {
            property,
            proved: Vec::new(),
            not_proved: Vec::new(),
            found: 0,
        };
        for &d in p.outputs() {
            let Some(def) = p.def(d) else { continue };
            let name = def.name.clone();
            let Some(e) = enc.def(d) else {
                let why = Text::new("符号化されていない", "not encoded");
                o.not_proved.push((name, why));
                continue;
            };
            let Some(err) = &e.err else {
                // The output cannot fail at all.
                o.proved.push(name);
                continue;
            };
            let (number, code) = property.code();
            let script = format!("{}(assert (= {err} {number}))\n", enc.script);
            let (answer, _) = solve(backend, &script, &terms, TIMEOUT);
            match answer {
                Answer::Unsat if enc.inexact.is_empty() => o.proved.push(name),
                Answer::Unsat => {
                    let why = enc.inexact.join("; ");
                    o.not_proved.push((
                        name,
                        Text::new(
                            format!("正確に符号化できない部分がある（{why}）"),
                            format!("not encoded exactly ({why})"),
                        ),
                    ));
                }
                Answer::Unknown(why) => o.not_proved.push((
                    name,
                    Text::new(
                        format!("ソルバーが答えなかった（時間切れ等: {why}）"),
                        format!("time-out or unknown ({why})"),
                    ),
                )),
                Answer::Sat(model) => match witness(p, &enc, &model, code)
                    .map(|w| crate::shrink::finding(p, w, code))
                {
                    Some((inputs, error)) => {
                        // One finding per place (two outputs may meet the same conflict).
                        let key = match &error.kind {
                            EvalErrorKind::Conflict { rules, .. } => {
                                rules.iter().map(|r| r.span).collect()
                            }
                            _ => vec![error.span],
                        };
                        o.found += 1;
                        if !seen.contains(&key) {
                            seen.push(key);
                            report
                                .findings
                                .extend(proof_diag::finding(p, &name, &inputs, &error));
                        }
                    }
                    None => o.not_proved.push((
                        name,
                        Text::new(
                            "ソルバーの示した事実では、インタプリタで誤りが再現しなかった",
                            "the solver's facts did not reproduce the error in the interpreter",
                        ),
                    )),
                },
            }
        }
        report.outcomes.push(o);
    }
    let (dead, rules) = dead_rules(p, &enc, backend, &terms);
    report.findings.extend(dead);
    report.rules = rules;
    report
}

/// The facts of a model (an input the model leaves out at its default).
pub(crate) fn facts(p: &Program, enc: &Encoded, model: &str) -> Option<Vec<Value>> {
    let m = values(model)?;
    Some(
        p.inputs()
            .iter()
            .enumerate()
            .map(|(i, input)| {
                enc.input_value(i, &m)
                    .or_else(|| input.default.clone())
                    .unwrap_or(Value::Absent)
            })
            .collect(),
    )
}

/// The facts of a model, evaluated: the first error of code `code` they produce (`None`: they do
/// not reproduce one).
fn witness(p: &Program, enc: &Encoded, model: &str, code: Code) -> Option<(Vec<Value>, EvalError)> {
    let inputs = facts(p, enc, model)?;
    let results = p
        .evaluator()
        .record_traced(&inputs, p.eval_order(), NoTrace)
        .0;
    let error = results.into_iter().flatten().find_map(|r| match r {
        Err(e) if e.entry() == code => Some(e),
        _ => None,
    })?;
    Some((inputs, error))
}
