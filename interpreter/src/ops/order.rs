//! Equality and order: numbers compare exactly across 整数/金額/割合/小数, dates by day, durations
//! only when both count months or both count days. The comparison operators, `最小`/`最大` and the
//! key cells of tables are defined here.

use super::arith::num_of;
use super::error::{fail, EvalError, EvalErrorKind};
use super::sets;
use crate::program::Matcher;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::{CmpOp, Span};
use std::cmp::Ordering;

/// Whether values of type `t` are ordered (`<`, `最小`, a range in a table cell).
pub fn ordered(t: &Type) -> bool {
    matches!(
        t,
        Type::Int | Type::Ratio | Type::Decimal | Type::Money | Type::Date | Type::Duration
    )
}

/// The order of two values of comparable types (`None` when they are not ordered); comparing a
/// duration in months with one in days is an error at `span`.
pub fn compare(a: &Value, b: &Value, span: Span) -> Result<Option<Ordering>, EvalError> {
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => {
            if x.days == 0 && y.days == 0 {
                Some(x.months.cmp(&y.months))
            } else if x.months == 0 && y.months == 0 {
                Some(x.days.cmp(&y.days))
            } else if x == y {
                Some(Ordering::Equal)
            } else {
                return Err(fail(EvalErrorKind::IncomparableDurations, span));
            }
        }
        _ => match (num_of(a), num_of(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
    })
}

/// The order of two values of one ordered type (`None` when they are not ordered).
pub fn order_values(a: &Value, b: &Value) -> Option<Ordering> {
    compare(a, b, Span::default()).ok().flatten()
}

/// Equality of values as the language sees it (numbers compare exactly across 整数/割合/小数).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    match (num_of(a), num_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// Whether `ord` (left against right) satisfies an ordering comparison; `None` for the set
/// operators. For `=`/`≠`, `ord` must be an exact order (equal exactly when the values are).
pub fn holds(op: CmpOp, ord: Ordering) -> Option<bool> {
    Some(match op {
        CmpOp::Eq => ord == Ordering::Equal,
        CmpOp::Ne => ord != Ordering::Equal,
        CmpOp::Lt => ord == Ordering::Less,
        CmpOp::Le => ord != Ordering::Greater,
        CmpOp::Gt => ord == Ordering::Greater,
        CmpOp::Ge => ord != Ordering::Less,
        CmpOp::In | CmpOp::NotIn | CmpOp::Subset | CmpOp::Superset => return None,
    })
}

/// `x op y`.
pub fn compare_op(op: CmpOp, x: &Value, y: &Value, span: Span) -> Result<bool, EvalError> {
    Ok(match op {
        CmpOp::Eq => values_equal(x, y),
        CmpOp::Ne => !values_equal(x, y),
        CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
            let ord = compare(x, y, span)?
                .ok_or_else(|| fail(EvalErrorKind::Internal("values are not ordered"), span))?;
            holds(op, ord).unwrap_or(false)
        }
        CmpOp::In | CmpOp::NotIn => {
            let inside =
                matches!((x, y), (Value::Enum(i), Value::Set(m)) if sets::contains(*m, *i));
            inside == (op == CmpOp::In)
        }
        CmpOp::Subset => matches!((x, y), (Value::Set(a), Value::Set(b)) if sets::subset(*a, *b)),
        CmpOp::Superset => {
            matches!((x, y), (Value::Set(a), Value::Set(b)) if sets::superset(*a, *b))
        }
    })
}

/// Whether a table key cell matches key value `v`.
pub fn matches(m: &Matcher, v: &Value, span: Span) -> Result<bool, EvalError> {
    Ok(match m {
        Matcher::Any => true,
        Matcher::Eq(x) => values_equal(x, v),
        Matcher::OneOf(mask) => matches!(v, Value::Enum(i) if sets::contains(*mask, *i)),
        Matcher::Cmp(op, x) => compare_op(*op, v, x, span)?,
        Matcher::Range(lo, hi) => {
            compare_op(CmpOp::Ge, v, lo, span)? && compare_op(CmpOp::Le, v, hi, span)?
        }
    })
}
