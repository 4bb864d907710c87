//! Proofs behind the search: for each shared output the search found no change for, ask a solver
//! (`onshi-solver`: z3 or cvc5 as a process) for facts that make the editions disagree. `unsat`
//! over an exact encoding is a proof (「証明済み」); a model becomes a point of the joint space that
//! the caller evaluates with the interpreter, so a witness is shown only when it reproduces.
//! Inputs only one edition has are held at their defaults first (as the search holds them), then
//! left free: an output that agrees only in the first case agrees "only because of the defaults".

use crate::assertions::{AssertOp, Assertion, Operand};
use crate::joint::Joint;
use crate::space::Jv;
use crate::Side;
use onshi::types::Type;
use onshi::value::Value;
use onshi_grammar::ast::CmpOp;
use onshi_solver::{same_input, same_outcome, solve, values, Answer, Backend, Encoded, E, V};
use std::time::Duration;

/// What the solver said about one shared output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProofStatus {
    /// Equal for all facts (within the stated limits of facts), in this many milliseconds.
    Proved { millis: u128 },
    /// Equal while the inputs only one edition has stay at their defaults, and not otherwise.
    OnlyAtDefaults { millis: u128 },
    /// The search's witness shows the change (nothing to prove).
    Changed,
    /// Not proved: why (an encoding that is not exact, a time-out, a witness that did not
    /// reproduce).
    Searched { reason: String },
}

/// The proof lines of a report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proofs {
    /// The solver that answered (`z3`, `cvc5`).
    pub backend: String,
    /// Per shared output, in the report's order.
    pub outputs: Vec<(String, ProofStatus)>,
}

/// The time a solver may take per output (when it answers unknown or runs out, the other solver,
/// if installed, gets the same time).
pub const TIMEOUT: Duration = Duration::from_secs(5);

/// One query: some facts where output `k` differs (`None`: proved equal; `Err`: unknown).
pub(crate) enum Query {
    Equal(Duration),
    Differs(Vec<Jv>),
    /// Facts where it may differ, from an encoding that is not exact (why): a candidate the
    /// interpreter must confirm, and no proof when it does not.
    Inexact(Vec<Jv>, String),
    Unknown(String),
}

impl<'p> Joint<'p> {
    /// Both editions encoded, their shared inputs linked (and, with `defaults`, the inputs one
    /// side lacks held at their defaults), as the start of a script.
    fn encode(&self, defaults: bool) -> (Encoded<'p>, Encoded<'p>, String) {
        let (po, pn) = (self.program(Side::Old), self.program(Side::New));
        let mut a = Encoded::new(po, "o");
        let mut b = Encoded::new(pn, "n");
        let mut links = Vec::new();
        for ji in &self.inputs {
            match (ji.index(Side::Old), ji.index(Side::New)) {
                (Some(i), Some(j)) => links.extend(same_input(&a, i, &b, j)),
                (Some(i), None) if defaults => links.extend(a.at_default(i)),
                (None, Some(j)) if defaults => links.extend(b.at_default(j)),
                _ => {}
            }
        }
        let mut script = onshi_solver::encode::merge(&a.script, &b.script);
        for l in &links {
            script.push_str(&format!("(assert {l})\n"));
        }
        (a, b, script)
    }

    /// Solves `script` and reads a model back into a point of the joint space.
    fn ask(&self, backend: Backend, a: &Encoded, b: &Encoded, script: &str) -> Query {
        let mut inexact = a.inexact.clone();
        inexact.extend(b.inexact.iter().filter(|w| !a.inexact.contains(w)).cloned());
        let mut terms = Vec::new();
        for ji in &self.inputs {
            if let Some(i) = ji.index(Side::Old) {
                terms.extend(a.input_terms(i));
            }
            if let Some(j) = ji.index(Side::New) {
                terms.extend(b.input_terms(j));
            }
        }
        terms.sort();
        terms.dedup();
        let (mut answer, mut took) = solve(backend, script, &terms, TIMEOUT);
        if let Answer::Unknown(first) = &answer {
            // A time-out or an unknown: the other solver, when there is one, may answer.
            let other = match backend {
                Backend::Z3 => Backend::Cvc5,
                Backend::Cvc5 => Backend::Z3,
            };
            if other.available() {
                let first = first.clone();
                let (a, t) = solve(other, script, &terms, TIMEOUT);
                took += t;
                answer = match a {
                    Answer::Unknown(second) => Answer::Unknown(format!("{first}; {second}")),
                    a => a,
                };
            }
        }
        match answer {
            Answer::Unsat if inexact.is_empty() => Query::Equal(took),
            Answer::Unsat => Query::Unknown(format!("not encoded exactly: {}", inexact.join("; "))),
            Answer::Unknown(why) => Query::Unknown(why),
            Answer::Sat(model) => {
                let Some(m) = values(&model) else {
                    return Query::Unknown(format!(
                        "{}: a model that cannot be read",
                        backend.name()
                    ));
                };
                let point = self
                    .inputs
                    .iter()
                    .map(|ji| {
                        let old = ji.index(Side::Old).and_then(|i| a.input_value(i, &m));
                        let new = ji.index(Side::New).and_then(|j| b.input_value(j, &m));
                        match (old, new) {
                            (Some(o), Some(n)) => Jv { old: o, new: n },
                            (Some(v), None) | (None, Some(v)) => Jv::same(v),
                            (None, None) => ji.base.clone(),
                        }
                    })
                    .collect();
                if inexact.is_empty() {
                    Query::Differs(point)
                } else {
                    Query::Inexact(
                        point,
                        format!("not encoded exactly: {}", inexact.join("; ")),
                    )
                }
            }
        }
    }

    /// Asks `backend` whether output `k` can differ; `defaults`: inputs only one side has are
    /// held at their defaults.
    pub(crate) fn query(&self, backend: Backend, k: usize, defaults: bool) -> Query {
        let (a, b, mut script) = self.encode(defaults);
        let Some(c) = self.outputs.get(k) else {
            return Query::Unknown("no such output".into());
        };
        let Some(same) = same_outcome(&a, c.def(Side::Old), &b, c.def(Side::New)) else {
            return Query::Unknown("an output not encoded".into());
        };
        script.push_str(&format!("(assert (not {same}))\n"));
        self.ask(backend, &a, &b, &script)
    }

    /// Asks `backend` for facts where `assertion` fails (an operand fails, or the comparison is
    /// false); `defaults`: the inputs one side lacks at their defaults (as the search holds them).
    pub(crate) fn query_assertion(
        &self,
        backend: Backend,
        assertion: &Assertion,
        defaults: bool,
    ) -> Query {
        let (mut a, mut b, mut script) = self.encode(defaults);
        let mut terms = Vec::new();
        for op in [&assertion.left, &assertion.right] {
            let term = match op {
                Operand::Output { side, name } => {
                    let Some(d) = self.output_def(*side, name) else {
                        return Query::Unknown(format!("no output {name}"));
                    };
                    let enc = side.pick(&a, &b);
                    let Some(e) = enc.def(d) else {
                        return Query::Unknown(format!("{name} not encoded"));
                    };
                    if matches!(e.v, V::Enum(_) | V::Set(_) | V::Row(_) | V::Opt(..)) {
                        return Query::Unknown(format!("comparing {name} is not encoded"));
                    }
                    e.clone()
                }
                Operand::Literal { value, .. } => {
                    let ty = match value {
                        Value::Bool(_) => Type::Bool,
                        Value::Int(_) => Type::Int,
                        Value::Money(_) => Type::Money,
                        Value::Ratio(_) => Type::Ratio,
                        Value::Decimal(_) => Type::Decimal,
                        Value::Date(_) => Type::Date,
                        _ => {
                            return Query::Unknown(
                                "a literal that is not a number, date or truth value".into(),
                            )
                        }
                    };
                    E {
                        v: a.constant(value, &ty),
                        err: None,
                    }
                }
            };
            terms.push(term);
        }
        let (Some(l), Some(r)) = (terms.first(), terms.get(1)) else {
            return Query::Unknown("operands".into());
        };
        let op = match assertion.op {
            AssertOp::Lt => CmpOp::Lt,
            AssertOp::Le => CmpOp::Le,
            AssertOp::Gt => CmpOp::Gt,
            AssertOp::Ge => CmpOp::Ge,
            AssertOp::Eq => CmpOp::Eq,
            AssertOp::Ne => CmpOp::Ne,
        };
        let holds = a.compare(op, &l.v, &r.v);
        let err = |e: &E| e.err.clone().unwrap_or_else(|| "0".into());
        script.push_str(&format!(
            "(assert (or (not (= {} 0)) (not (= {} 0)) (not {holds})))\n",
            err(l),
            err(r)
        ));
        // Notes made while comparing (periods of months and days) make the query inexact.
        b.inexact.extend(a.inexact.iter().cloned());
        self.ask(backend, &a, &b, &script)
    }
}
