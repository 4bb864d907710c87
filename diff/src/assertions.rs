//! `--assert`: a comparison of old./new. outputs (or literals) parsed from text, checked over the
//! same search as [`diff`](crate::diff), with a shrunk counterexample when it fails.

use crate::joint::{Joint, JointInput, Outcome};
use crate::prove::{ProofStatus, Query};
use crate::report::{facts_json, facts_line, responsible_json, responsible_line, shown, thousands};
use crate::report::{Fact, Shown};
use crate::responsible::Responsible;
use crate::space::Jv;
use crate::{Edition, Options, Side};
use onshi::eval::{order_values, values_equal};
use onshi::value::Value;
use onshi_grammar::literal;
use onshi_grammar::{Lang, Text};
use serde_json::{json, Value as Json};
use std::cmp::Ordering;

/// One side of an assertion: an output of one edition, or a literal (`411,000円`, `2026-01-15`,
/// `3/4`, `真`, `病院`).
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Output { side: Side, name: String },
    Literal { text: String, value: Value },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// `new.補助額 <= old.補助額`: a comparison that must hold on every input.
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    pub text: String,
    pub left: Operand,
    pub op: AssertOp,
    pub right: Operand,
}

const OPERATORS: [(&str, AssertOp); 10] = [
    ("<=", AssertOp::Le),
    (">=", AssertOp::Ge),
    ("!=", AssertOp::Ne),
    ("==", AssertOp::Eq),
    ("≤", AssertOp::Le),
    ("≥", AssertOp::Ge),
    ("≠", AssertOp::Ne),
    ("<", AssertOp::Lt),
    (">", AssertOp::Gt),
    ("=", AssertOp::Eq),
];

fn operand(s: &str) -> Result<Operand, Text> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Text::new(
            "比較の片側が空です",
            "one side of the comparison is empty",
        ));
    }
    if let Some((side, name)) = s.split_once('.') {
        let side = match side.trim() {
            "old" | "旧" => Some(Side::Old),
            "new" | "新" => Some(Side::New),
            _ => None,
        };
        if let Some(side) = side {
            let name = name.trim();
            if name.is_empty() {
                return Err(Text::new(
                    "出力の名前がありません",
                    "missing an output name",
                ));
            }
            return Ok(Operand::Output {
                side,
                name: name.to_string(),
            });
        }
    }
    let value = match s {
        "真" | "true" => Value::Bool(true),
        "偽" | "false" => Value::Bool(false),
        _ => {
            if let Ok(d) = literal::parse_date(s) {
                Value::Date(d)
            } else if let Ok(n) = literal::parse_money(s) {
                Value::Money(n)
            } else if let Ok(i) = literal::parse_integer(s) {
                Value::Int(i)
            } else if s.contains('/') || s.contains('%') {
                match literal::parse_ratio(s) {
                    Ok(n) => Value::Ratio(n),
                    Err(_) => Value::Text(s.into()),
                }
            } else if let Ok(n) = literal::parse_decimal(s) {
                Value::Decimal(n)
            } else {
                Value::Text(s.into())
            }
        }
    };
    Ok(Operand::Literal {
        text: s.to_string(),
        value,
    })
}

/// Parse `new.補助額 <= old.補助額` (also `旧.` / `新.`, `≤ ≥ ≠ < > = == !=`, and literals).
pub fn parse_assertion(text: &str) -> Result<Assertion, Text> {
    let found = text.char_indices().find_map(|(i, _)| {
        let rest = text.get(i..)?;
        OPERATORS
            .iter()
            .find(|(sym, _)| rest.starts_with(sym))
            .map(|(sym, op)| (i, sym.len(), *op))
    });
    let Some((at, len, op)) = found else {
        return Err(Text::new(
            format!("比較演算子がありません: 「{text}」（例: 'new.補助額 <= old.補助額'）"),
            format!("no comparison operator in `{text}` (e.g. 'new.補助額 <= old.補助額')"),
        ));
    };
    // A second operator (`<==`, `= =`, `a < b < c`) is a malformed assertion, not a text literal:
    // a usage error that points at it.
    let rest = text.get(at + len..).unwrap_or("");
    if let Some(extra) = rest.find(['<', '>', '=', '≤', '≥', '≠', '!']) {
        let head = text.get(..at + len + extra).unwrap_or("");
        let col = head.chars().count();
        let caret = format!(
            "{text}\n{}^",
            " ".repeat(unicode_width::UnicodeWidthStr::width(head))
        );
        return Err(Text::new(
            format!("比較演算子が二つあります（{} 文字目）:\n{caret}\n演算子は一つだけにしてください（例: 'new.補助額 <= old.補助額'）", col + 1),
            format!("a second comparison operator (column {}):\n{caret}\nuse one operator (e.g. 'new.補助額 <= old.補助額')", col + 1),
        ));
    }
    let left = operand(text.get(..at).unwrap_or(""))?;
    let right = operand(rest)?;
    if !matches!(left, Operand::Output { .. }) && !matches!(right, Operand::Output { .. }) {
        return Err(Text::new(
            "比較の少なくとも片側は old.出力 か new.出力 にしてください",
            "at least one side must be old.<output> or new.<output>",
        ));
    }
    Ok(Assertion {
        text: text.trim().to_string(),
        left,
        op,
        right,
    })
}

/// The outcome of one operand at one point.
struct Operated {
    outcome: Outcome,
    shown: Shown,
    structured: bool,
}

/// A point where an assertion fails, shrunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    pub facts: Vec<Fact>,
    pub left: Shown,
    pub right: Shown,
    /// (operand as written, rules and rows behind it) for each output operand.
    pub responsible: Vec<(String, Vec<Responsible>)>,
}

/// What [`check_assertion`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertReport {
    pub old: String,
    pub new: String,
    pub assertion: String,
    /// The two operands as written (`new.補助額`, `411,000円`).
    pub left: String,
    pub right: String,
    /// Input combinations evaluated (up to the first failure).
    pub points: usize,
    pub counterexample: Option<Counterexample>,
    /// What a solver said (`None`: no solver ran; `Changed`: a counterexample is shown).
    pub proof: Option<ProofStatus>,
}

impl AssertReport {
    pub fn holds(&self) -> bool {
        self.counterexample.is_none()
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let mut out = format!("{} → {}\n", self.old, self.new);
        match &self.counterexample {
            None => out.push_str(&match (&self.proof, ja) {
                (Some(ProofStatus::Proved { millis }), true) => format!(
                    "  「{}」は証明済み: どの事実でも成り立つ（{millis} ms。金額・整数は絶対値1兆以下、日付は1910〜2090年の範囲で）\n",
                    self.assertion
                ),
                (Some(ProofStatus::Proved { millis }), false) => format!(
                    "  `{}` is proved: it holds for all facts ({millis} ms; amounts and integers within ±10^12, dates 1910–2090)\n",
                    self.assertion
                ),
                (Some(ProofStatus::OnlyAtDefaults { millis }), true) => format!(
                    "  「{}」は、片方の版にしかない入力を既定値のままにしたときだけ証明済み（{millis} ms）。その入力に値が入ると成り立たないことがあります\n",
                    self.assertion
                ),
                (Some(ProofStatus::OnlyAtDefaults { millis }), false) => format!(
                    "  `{}` is proved only while the inputs one edition lacks stay at their defaults ({millis} ms); with values there it can fail\n",
                    self.assertion
                ),
                (proof, true) => format!(
                    "  「{}」は探索した {} 通りのすべてで成り立つ（探索のみ・未証明{}）\n",
                    self.assertion,
                    thousands(self.points),
                    match proof {
                        Some(ProofStatus::Searched { reason }) => format!(": {reason}"),
                        _ => ": ソルバーなし".to_string(),
                    }
                ),
                (proof, false) => format!(
                    "  `{}` holds on all {} combinations searched (searched, not proved{})\n",
                    self.assertion,
                    thousands(self.points),
                    match proof {
                        Some(ProofStatus::Searched { reason }) => format!(": {reason}"),
                        _ => ": no solver".to_string(),
                    }
                ),
            }),
            Some(c) => {
                out.push_str(&if ja {
                    format!("  「{}」は成り立たない。反例:\n", self.assertion)
                } else {
                    format!("  `{}` fails. Counterexample:\n", self.assertion)
                });
                out.push_str(&format!(
                    "    {} → {} = {}, {} = {}\n",
                    facts_line(&c.facts, lang),
                    self.left,
                    c.left.text,
                    self.right,
                    c.right.text
                ));
                for (label, items) in &c.responsible {
                    if !items.is_empty() {
                        out.push_str(&format!("    {label}: {}\n", responsible_line(items, lang)));
                    }
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> Json {
        json!({
            "old": self.old,
            "new": self.new,
            "assertion": self.assertion,
            "holds": self.holds(),
            "proved": matches!(self.proof, Some(ProofStatus::Proved { .. })),
            "points": self.points,
            "counterexample": self.counterexample.as_ref().map(|c| json!({
                "facts": {
                    "old": facts_json(&c.facts, Side::Old),
                    "new": facts_json(&c.facts, Side::New),
                },
                "left": {"value": c.left.json, "text": c.left.text},
                "right": {"value": c.right.json, "text": c.right.text},
                "responsible": c.responsible.iter().map(|(l, r)| json!({"operand": l, "items": responsible_json(r)})).collect::<Vec<_>>(),
            })),
        })
    }
}

impl Joint<'_> {
    pub(crate) fn output_def(&self, side: Side, name: &str) -> Option<onshi::program::DefId> {
        let p = self.program(side);
        p.outputs()
            .iter()
            .copied()
            .find(|&d| p.def(d).is_some_and(|x| x.name == name))
    }

    fn operate(&mut self, op: &Operand, point: &[Jv]) -> Operated {
        match op {
            Operand::Literal { text, value } => Operated {
                outcome: Ok(value.clone()),
                shown: Shown {
                    text: text.clone(),
                    json: Json::String(text.clone()),
                },
                structured: false,
            },
            Operand::Output { side, name } => {
                let p = self.program(*side);
                let def = self.output_def(*side, name);
                let results = self.run(point, *side);
                let outcome = match def.and_then(|d| results.get(d.index())) {
                    Some(Some(Ok(v))) => Ok(v.clone()),
                    Some(Some(Err(e))) => Err(e.code()),
                    _ => Err(onshi::Code::EVAL_INTERNAL.id),
                };
                let ty = def.and_then(|d| p.def(d)).map(|d| &d.ty);
                let structured =
                    matches!(outcome, Ok(Value::Enum(_) | Value::Set(_) | Value::Row(_)));
                Operated {
                    shown: shown(p, ty, &outcome),
                    outcome,
                    structured,
                }
            }
        }
    }

    /// Whether the assertion fails at `point`.
    fn fails(&mut self, a: &Assertion, point: &[Jv]) -> bool {
        let l = self.operate(&a.left, point);
        let r = self.operate(&a.right, point);
        !holds(a.op, &l, &r)
    }
}

fn operand_text(op: &Operand) -> String {
    match op {
        Operand::Output {
            side: Side::Old,
            name,
        } => format!("old.{name}"),
        Operand::Output {
            side: Side::New,
            name,
        } => format!("new.{name}"),
        Operand::Literal { text, .. } => text.clone(),
    }
}

fn holds(op: AssertOp, l: &Operated, r: &Operated) -> bool {
    let (Ok(x), Ok(y)) = (&l.outcome, &r.outcome) else {
        return false;
    };
    let text_side = |o: &Operated| matches!(o.outcome, Ok(Value::Text(_)));
    let equal = if l.structured || r.structured || text_side(l) || text_side(r) {
        let as_text = |o: &Operated| match &o.shown.json {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        l.shown.json == r.shown.json || as_text(l) == as_text(r)
    } else {
        values_equal(x, y)
    };
    match op {
        AssertOp::Eq => equal,
        AssertOp::Ne => !equal,
        _ => match order_values(x, y) {
            None => false,
            Some(ord) => match op {
                AssertOp::Lt => ord == Ordering::Less,
                AssertOp::Le => ord != Ordering::Greater,
                AssertOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            },
        },
    }
}

/// Check an assertion over the same search as [`diff`](crate::diff); the first failure found is
/// shrunk to a counterexample. An error on either side counts as a failure. Errs when an operand
/// names an output its edition does not have.
pub fn check_assertion(
    old: Edition,
    new: Edition,
    assertion: &Assertion,
    opts: &Options,
) -> Result<AssertReport, Text> {
    let mut joint = Joint::new(old, new);
    for op in [&assertion.left, &assertion.right] {
        if let Operand::Output { side, name } = op {
            if joint.output_def(*side, name).is_none() {
                let (label, ja, en) = match side {
                    Side::Old => (old.label, "旧", "old"),
                    Side::New => (new.label, "新", "new"),
                };
                return Err(Text::new(
                    format!("{ja}（{label}）に出力 {name} がありません"),
                    format!("the {en} edition ({label}) has no output {name}"),
                ));
            }
        }
    }
    let points = joint.points(opts);
    let mut evaluated = 0usize;
    let mut counterexample = None;
    for point in &points {
        evaluated += 1;
        if joint.fails(assertion, point) {
            counterexample = Some(joint.counterexample(assertion, point.clone()));
            break;
        }
    }
    let proof = match (counterexample.is_some(), opts.prove) {
        (true, _) => Some(ProofStatus::Changed),
        (false, false) => None,
        (false, true) => onshi_solver::Backend::detect().map(|backend| {
            match joint.query_assertion(backend, assertion, true) {
                Query::Equal(t) => joint.assertion_free(backend, assertion, t),
                Query::Unknown(reason) => ProofStatus::Searched { reason },
                Query::Differs(point) | Query::Inexact(point, _)
                    if {
                        evaluated += 1;
                        joint.fails(assertion, &point)
                    } =>
                {
                    // The solver's facts, confirmed by evaluating both editions.
                    counterexample = Some(joint.counterexample(assertion, point));
                    ProofStatus::Changed
                }
                Query::Inexact(_, reason) => ProofStatus::Searched { reason },
                Query::Differs(_) => ProofStatus::Searched {
                    reason: format!(
                        "{}'s counterexample did not reproduce in the interpreter",
                        backend.name()
                    ),
                },
            }
        }),
    };
    Ok(AssertReport {
        old: old.label.to_string(),
        new: new.label.to_string(),
        assertion: assertion.text.clone(),
        left: operand_text(&assertion.left),
        right: operand_text(&assertion.right),
        points: evaluated,
        counterexample,
        proof,
    })
}

impl Joint<'_> {
    /// `assertion` proved with the inputs one edition lacks at their defaults (in `held`): now
    /// with them free too.
    fn assertion_free(
        &mut self,
        backend: onshi_solver::Backend,
        assertion: &Assertion,
        held: std::time::Duration,
    ) -> ProofStatus {
        if !self.inputs.iter().any(JointInput::one_sided) {
            return ProofStatus::Proved {
                millis: held.as_millis(),
            };
        }
        match self.query_assertion(backend, assertion, false) {
            Query::Equal(t) => ProofStatus::Proved {
                millis: (held + t).as_millis(),
            },
            Query::Differs(p) | Query::Inexact(p, _) if self.fails(assertion, &p) => {
                ProofStatus::OnlyAtDefaults {
                    millis: held.as_millis(),
                }
            }
            Query::Differs(_) => ProofStatus::Searched {
                reason: format!(
                    "{}'s counterexample did not reproduce in the interpreter",
                    backend.name()
                ),
            },
            Query::Inexact(_, reason) | Query::Unknown(reason) => ProofStatus::Searched { reason },
        }
    }

    /// The shrunk counterexample from a point where `assertion` fails.
    fn counterexample(&mut self, assertion: &Assertion, point: Vec<Jv>) -> Counterexample {
        let mut pred = |j: &mut Joint, q: &[Jv]| j.fails(assertion, q);
        let w = self.shrink(point, &mut pred);
        let l = self.operate(&assertion.left, &w);
        let r = self.operate(&assertion.right, &w);
        let mut responsible = Vec::new();
        for op in [&assertion.left, &assertion.right] {
            if let Operand::Output { side, name } = op {
                if let Some(def) = self.output_def(*side, name) {
                    let items = self.responsible(&w, *side, def);
                    responsible.push((operand_text(op), items));
                }
            }
        }
        Counterexample {
            facts: self.facts(&w),
            left: l.shown,
            right: r.shown,
            responsible,
        }
    }
}
