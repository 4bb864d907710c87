//! Static checks of decision tables. Hit policy: **unique** — two rows that can match the same
//! facts with different results are an error (`onshi::table::overlap`); key combinations that no
//! row covers are reported as a warning (`onshi::table::gap`) when every key column is an
//! enumeration or 真偽 (for numbers and dates, a lookup outside every row is an evaluation error).

use super::errors::CheckError;
use super::ops::is_const;
use super::Globals;
use crate::ops::eval_const;
use crate::ops::order::{matches, order_values, values_equal};
use crate::ops::sets;
use crate::program::{Matcher, Table, TableRow};
use crate::types::Type;
use crate::value::Value;
use chrono::Duration as Days;
use onshi_grammar::ast::{CmpOp, Span};
use std::cmp::Ordering;

/// At most this many key combinations are enumerated when looking for gaps.
const MAX_COMBINATIONS: usize = 4096;

/// The overlap errors and the gap warning of `table` (`name`: the span of its name).
pub(crate) fn check(table: &Table, name: Span, g: &Globals) -> Vec<CheckError> {
    let mut errors = Vec::new();
    // One error per row at most (with the first earlier row it overlaps), so a long table with a
    // wrong `-` row gives one error per row, not one per pair.
    for (j, b) in table.rows.iter().enumerate() {
        let clash = table.rows.iter().take(j).find(|a| {
            a.keys
                .iter()
                .zip(b.keys.iter())
                .zip(table.keys.iter())
                .all(|((x, y), col)| intersects(x, y, &col.ty))
                && !same_results(a, b)
        });
        if let Some(a) = clash {
            errors.push(CheckError::TableOverlap {
                first: a.span,
                second: b.span,
            });
        }
    }
    if let Some(gap) = gaps(table, name, g) {
        errors.push(gap);
    }
    errors
}

fn same_results(a: &TableRow, b: &TableRow) -> bool {
    a.results.iter().zip(b.results.iter()).all(|(x, y)| {
        is_const(x)
            && is_const(y)
            && matches!((eval_const(x), eval_const(y)), (Ok(v), Ok(w)) if values_equal(&v, &w))
    })
}

/// A bound of an interval: the value and whether it is included.
type Bound = Option<(Value, bool)>;

fn interval(m: &Matcher) -> Option<(Bound, Bound)> {
    Some(match m {
        Matcher::Any => (None, None),
        Matcher::Eq(v) => (Some((v.clone(), true)), Some((v.clone(), true))),
        Matcher::Range(lo, hi) => (Some((lo.clone(), true)), Some((hi.clone(), true))),
        Matcher::Cmp(op, v) => match op {
            CmpOp::Ge => (Some((v.clone(), true)), None),
            CmpOp::Gt => (Some((v.clone(), false)), None),
            CmpOp::Le => (None, Some((v.clone(), true))),
            CmpOp::Lt => (None, Some((v.clone(), false))),
            CmpOp::Eq => (Some((v.clone(), true)), Some((v.clone(), true))),
            _ => (None, None),
        },
        Matcher::OneOf(_) => return None,
    })
}

/// For whole numbers and days, `> 3` is `≥ 4`: make bounds inclusive where the type is discrete.
fn inclusive(b: Bound, up: bool) -> Bound {
    match b {
        Some((Value::Int(i), false)) => {
            let j = if up {
                i.checked_add(1)
            } else {
                i.checked_sub(1)
            };
            j.map(|j| (Value::Int(j), true))
        }
        Some((Value::Date(d), false)) => {
            let e = if up {
                d.checked_add_signed(Days::days(1))
            } else {
                d.checked_sub_signed(Days::days(1))
            };
            e.map(|e| (Value::Date(e), true))
        }
        other => other,
    }
}

fn intersects(a: &Matcher, b: &Matcher, ty: &Type) -> bool {
    match (a, b) {
        (Matcher::Any, _) | (_, Matcher::Any) => true,
        (Matcher::OneOf(x), Matcher::OneOf(y)) => x & y != 0,
        (Matcher::OneOf(x), Matcher::Eq(Value::Enum(i)))
        | (Matcher::Eq(Value::Enum(i)), Matcher::OneOf(x)) => sets::contains(*x, *i),
        (Matcher::Eq(v), Matcher::Eq(w))
            if !matches!(
                ty,
                Type::Int | Type::Money | Type::Ratio | Type::Decimal | Type::Date | Type::Duration
            ) =>
        {
            values_equal(v, w)
        }
        _ => {
            let (Some((alo, ahi)), Some((blo, bhi))) = (interval(a), interval(b)) else {
                return true;
            };
            let lo = max_low(inclusive(alo, true), inclusive(blo, true));
            let hi = min_high(inclusive(ahi, false), inclusive(bhi, false));
            match (lo, hi) {
                (Some((l, li)), Some((h, hi))) => match order_values(&l, &h) {
                    Some(Ordering::Less) => true,
                    Some(Ordering::Equal) => li && hi,
                    Some(Ordering::Greater) => false,
                    None => true,
                },
                _ => true,
            }
        }
    }
}

fn max_low(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => match order_values(&x.0, &y.0) {
            Some(Ordering::Greater) => Some(x),
            Some(Ordering::Less) => Some(y),
            _ => Some((x.0, x.1 && y.1)),
        },
    }
}

fn min_high(a: Bound, b: Bound) -> Bound {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some(x), Some(y)) => match order_values(&x.0, &y.0) {
            Some(Ordering::Less) => Some(x),
            Some(Ordering::Greater) => Some(y),
            _ => Some((x.0, x.1 && y.1)),
        },
    }
}

/// The values of a finite key column, with their names.
fn domain(ty: &Type, g: &Globals) -> Option<Vec<(Value, String)>> {
    match ty {
        Type::Bool => Some(vec![
            (Value::Bool(true), "真".into()),
            (Value::Bool(false), "偽".into()),
        ]),
        Type::Enum(e) => g.enums.get(e.0 as usize).map(|en| {
            en.variants
                .iter()
                .enumerate()
                .map(|(i, v)| (Value::Enum(i as u32), v.clone()))
                .collect()
        }),
        _ => None,
    }
}

/// Whether a cell surely matches `v` (comparisons are not counted: gaps are looked for only in
/// enumerations and 真偽).
fn accepts(m: &Matcher, v: &Value) -> bool {
    match m {
        Matcher::Any | Matcher::OneOf(_) | Matcher::Eq(_) => {
            matches(m, v, Span::default()).unwrap_or(false)
        }
        Matcher::Cmp(..) | Matcher::Range(..) => false,
    }
}

fn gaps(table: &Table, name: Span, g: &Globals) -> Option<CheckError> {
    let domains: Vec<Vec<(Value, String)>> = table
        .keys
        .iter()
        .map(|k| domain(&k.ty, g))
        .collect::<Option<Vec<_>>>()?;
    let total = domains
        .iter()
        .try_fold(1usize, |acc, d| acc.checked_mul(d.len()))?;
    if total == 0 || total > MAX_COMBINATIONS {
        return None;
    }
    let mut missing = Vec::new();
    let mut count = 0usize;
    for n in 0..total {
        // Decode combination n (mixed radix).
        let mut rest = n;
        let mut combo: Vec<&(Value, String)> = Vec::with_capacity(domains.len());
        for d in &domains {
            let len = d.len().max(1);
            combo.extend(d.get(rest % len));
            rest /= len;
        }
        let covered = table.rows.iter().any(|row| {
            row.keys
                .iter()
                .zip(combo.iter())
                .all(|(m, (v, _))| accepts(m, v))
        });
        if !covered {
            count += 1;
            if missing.len() < 5 {
                let text: Vec<String> = table
                    .keys
                    .iter()
                    .zip(combo.iter())
                    .map(|(k, (_, name))| format!("{}={name}", k.name))
                    .collect();
                missing.push(text.join("×"));
            }
        }
    }
    if count == 0 {
        return None;
    }
    Some(CheckError::TableGap {
        span: name,
        more: count - missing.len(),
        missing,
    })
}
