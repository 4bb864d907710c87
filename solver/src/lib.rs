//! `onshi-solver`: a checked [`Program`] in SMT-LIB ([`Encoded`]), solved by z3 or cvc5 as a
//! process ([`Backend`]), for `onshi diff` (proved equal, or a witness), `--assert` and the
//! checker. The `onshi` core and the WASM package never depend on it.
//!
//! A solver's answer is never trusted unchecked: a model is read back into facts
//! ([`Encoded::input_value`]), and its callers evaluate those facts with the interpreter before
//! they show anything. An `unsat` answer is a proof only when the encoding is exact
//! ([`Encoded::inexact`] empty); otherwise the result is "searched", with the reasons.
//!
//! What a proof assumes, said with every proof: every 前提 of the policy (asserted by
//! [`Encoded::new`]; facts that break one are an evaluation error, not a finding); 整数 and 金額 facts are whole numbers of absolute
//! value at most [`encode::FACT_BOUND`], and date facts lie in 1910–2090 (where the calendar's
//! linear encoding is the Gregorian calendar). Overflow (`onshi::eval::overflow`) is not encoded:
//! within the bound, sums and products of amounts with constant ratios stay far inside i128, but a
//! policy that multiplies two 整数 facts could overflow i64 there, and a proof would not see it.

mod dead;
pub mod encode;
pub mod process;
pub mod proof;
mod proof_diag;
mod sexp;
pub mod shrink;

pub use dead::RulesOutcome;
pub use encode::{Encoded, E, V};
pub use process::{solve, Answer, Backend};
pub use sexp::{values, ModelValue};

use encode::expr::{and, eq, or};
use onshi::program::{DefId, Program};
use onshi::types::Type;
use onshi::value::Value;
use onshi_grammar::num::Num;
use std::collections::HashMap;

/// The variant names of an enumeration or set type of `p`.
fn names(p: &Program, ty: &Type) -> Vec<String> {
    match ty.strip_optional() {
        Type::Enum(e) | Type::Set(e) => p
            .enums()
            .get(e.0 as usize)
            .map(|en| en.variants.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

/// `a = b` across two programs: enumerations and sets by variant name (each program numbers its
/// own variants), the rest as [`eq`].
pub fn eq_named(a: &V, ta: &Type, pa: &Program, b: &V, tb: &Type, pb: &Program) -> String {
    match (a, b) {
        (V::Enum(x), V::Enum(y)) => {
            let (na, nb) = (names(pa, ta), names(pb, tb));
            or(na.iter().enumerate().flat_map(|(i, n)| {
                nb.iter()
                    .enumerate()
                    .filter(move |(_, m)| *m == n)
                    .map(move |(j, _)| format!("(and (= {x} {i}) (= {y} {j}))"))
            }))
        }
        (V::Set(x), V::Set(y)) => {
            let (na, nb) = (names(pa, ta), names(pb, tb));
            let bit = |names: &[String], bits: &[String], n: &str| {
                names
                    .iter()
                    .position(|m| m == n)
                    .and_then(|i| bits.get(i).cloned())
                    .unwrap_or_else(|| "false".into())
            };
            let mut all: Vec<&String> = na.iter().collect();
            all.extend(nb.iter().filter(|n| !na.contains(n)));
            and(all
                .into_iter()
                .map(|n| format!("(= {} {})", bit(&na, x, n), bit(&nb, y, n))))
        }
        (V::Opt(p, x), V::Opt(q, y)) => format!(
            "(and (= {p} {q}) (or (not {p}) {}))",
            eq_named(x, ta.strip_optional(), pa, y, tb.strip_optional(), pb)
        ),
        _ => eq(a, b),
    }
}

/// Whether definition `da` of `a` and `db` of `b` agree: the same error, or both succeed with
/// equal values.
pub fn same_outcome(a: &Encoded, da: DefId, b: &Encoded, db: DefId) -> Option<String> {
    let (x, y) = (a.def(da)?, b.def(db)?);
    let (ta, tb) = (&a.p.def(da)?.ty, &b.p.def(db)?.ty);
    let (ex, ey) = (
        x.err.clone().unwrap_or_else(|| "0".into()),
        y.err.clone().unwrap_or_else(|| "0".into()),
    );
    Some(format!(
        "(and (= {ex} {ey}) (or (not (= {ex} 0)) {}))",
        eq_named(&x.v, ta, a.p, &y.v, tb, b.p)
    ))
}

/// Input `i` of `a` equal to input `j` of `b` (a shared input of two editions).
pub fn same_input(a: &Encoded, i: usize, b: &Encoded, j: usize) -> Option<String> {
    let (x, y) = (a.input(i)?, b.input(j)?);
    let (ta, tb) = (&a.p.inputs().get(i)?.ty, &b.p.inputs().get(j)?.ty);
    let mut t = eq_named(x, ta, a.p, y, tb, b.p);
    if let (Type::Enum(_), Type::Enum(_)) = (ta.strip_optional(), tb.strip_optional()) {
        // A variant only one side has is not a shared fact.
        if !t.contains("(= ") {
            t = "false".into();
        }
    }
    Some(t)
}

impl Encoded<'_> {
    /// Input `i` held at its default (`None`: it has none).
    pub fn at_default(&mut self, i: usize) -> Option<String> {
        let input = self.p.inputs().get(i)?;
        let d = input.default.clone()?;
        let ty = input.ty.clone();
        let c = self.constant(&d, &ty);
        Some(eq(self.input(i)?, &c))
    }

    /// The declared constants that hold input `i` (what `get-value` asks for).
    pub fn input_terms(&self, i: usize) -> Vec<String> {
        fn walk(v: &V, out: &mut Vec<String>) {
            match v {
                V::Bool(t) | V::Int(t) | V::Date(t) | V::Enum(t) => out.push(t.clone()),
                V::Real(t) => out.push(
                    t.strip_prefix("(to_real ")
                        .and_then(|r| r.strip_suffix(')'))
                        .unwrap_or(t)
                        .to_string(),
                ),
                V::Dur(m, d) => {
                    out.push(m.clone());
                    out.push(d.clone());
                }
                V::Set(bits) => out.extend(bits.iter().cloned()),
                V::Opt(p, v) => {
                    out.push(p.clone());
                    walk(v, out);
                }
                V::Row(cs) => cs.iter().for_each(|c| walk(c, out)),
            }
        }
        let mut out = Vec::new();
        if let Some(v) = self.input(i) {
            walk(v, &mut out);
        }
        out
    }

    /// Input `i`'s value in a model (`None`: the model does not give it).
    pub fn input_value(&self, i: usize, model: &HashMap<String, ModelValue>) -> Option<Value> {
        let ty = &self.p.inputs().get(i)?.ty;
        read(self.input(i)?, ty, model)
    }
}

fn read(v: &V, ty: &Type, model: &HashMap<String, ModelValue>) -> Option<Value> {
    let num = |t: &str| -> Option<Num> {
        let t = t
            .strip_prefix("(to_real ")
            .and_then(|r| r.strip_suffix(')'))
            .unwrap_or(t);
        match model.get(t)? {
            ModelValue::Num(n) => Some(*n),
            ModelValue::Bool(_) => None,
        }
    };
    let int = |t: &str| -> Option<i64> {
        let n = num(t)?;
        (n.denom() == 1).then(|| i64::try_from(n.numer()).ok())?
    };
    let boolean = |t: &str| match model.get(t)? {
        ModelValue::Bool(b) => Some(*b),
        ModelValue::Num(_) => None,
    };
    Some(match (v, ty) {
        (V::Opt(p, inner), Type::Optional(t)) => {
            if boolean(p)? {
                read(inner, t, model)?
            } else {
                Value::Absent
            }
        }
        (V::Bool(t), _) => Value::Bool(boolean(t)?),
        (V::Int(t), _) => Value::Int(int(t)?),
        (V::Real(t), Type::Money) => Value::Money(num(t)?),
        (V::Real(t), Type::Ratio) => Value::Ratio(num(t)?),
        (V::Real(t), _) => Value::Decimal(num(t)?),
        (V::Date(t), _) => {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
            Value::Date(epoch.checked_add_signed(chrono::Duration::days(int(t)?))?)
        }
        (V::Enum(t), _) => Value::Enum(u32::try_from(int(t)?).ok()?),
        (V::Set(bits), _) => {
            let mut mask = 0u128;
            for (i, b) in bits.iter().enumerate() {
                if boolean(b)? {
                    mask |= onshi::ops::sets::bit_at(i);
                }
            }
            Value::Set(mask)
        }
        _ => return None,
    })
}
