//! Arithmetic with units: which types combine and the type of the result ([`result_type`], the
//! checker's unit rules), and the computation on values ([`arith`], [`neg`], [`round`]) — exact
//! rationals for 金額/割合/小数, `i64` for 整数, dates and durations. Every operation is checked:
//! overflow, division by zero, dates out of range and rounding units that are not positive are
//! errors with the expression's span.

use super::dates;
use super::error::{fail, EvalErrorKind};
use super::R;
use crate::program::Arith;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::Span;
use onshi_grammar::literal::Duration;
use onshi_grammar::num::{Num, RoundMode};

/// The unit rules of arithmetic: the result type, or `None` when the units do not fit.
pub fn result_type(op: Arith, l: &Type, r: &Type) -> Option<Type> {
    use Type::*;
    let numeric = |a: &Type, b: &Type| -> Option<Type> {
        match (a, b) {
            (Int, Int) => Some(Int),
            (Decimal, x) | (x, Decimal) if x.is_numeric() => Some(Decimal),
            (Ratio, x) | (x, Ratio) if x.is_numeric() => Some(Ratio),
            _ => None,
        }
    };
    match op {
        Arith::Add | Arith::Sub => match (l, r) {
            (Money, Money) => Some(Money),
            (Date, Duration) => Some(Date),
            (Duration, Date) if op == Arith::Add => Some(Date),
            (Date, Date) if op == Arith::Sub => Some(Int),
            (Duration, Duration) => Some(Duration),
            (a, b) => numeric(a, b),
        },
        Arith::Mul => match (l, r) {
            (Money, x) | (x, Money) if x.is_numeric() => Some(Money),
            (Duration, Int) | (Int, Duration) => Some(Duration),
            (a, b) => numeric(a, b),
        },
        Arith::Div => match (l, r) {
            (Money, x) if x.is_numeric() => Some(Money),
            (Money, Money) => Some(Ratio),
            (Int, Int) => Some(Ratio),
            (a, b) => numeric(a, b),
        },
    }
}

/// Whether numbers of type `from` widen to `to` (整数 → 割合 → 小数).
pub fn widens(from: &Type, to: &Type) -> bool {
    matches!(
        (from, to),
        (Type::Int, Type::Ratio | Type::Decimal) | (Type::Ratio, Type::Decimal)
    )
}

/// A number widened to 割合 or 小数.
pub fn widen(v: &Value, to: &Type) -> Option<Value> {
    let n = match v {
        Value::Int(i) => Num::from_int(i128::from(*i)),
        Value::Ratio(n) | Value::Decimal(n) => *n,
        _ => return None,
    };
    match to.strip_optional() {
        Type::Ratio => Some(Value::Ratio(n)),
        Type::Decimal => Some(Value::Decimal(n)),
        _ => None,
    }
}

/// The exact value of a number (整数, 金額, 割合, 小数).
pub fn num_of(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::from_int(i128::from(*i))),
        Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => Some(*n),
        _ => None,
    }
}

/// `n` as a value of number type `ty` (`None`: not a number type, or not a whole `i64` for 整数).
pub fn wrap_num(n: Num, ty: &Type) -> Option<Value> {
    Some(match ty.strip_optional() {
        Type::Money => Value::Money(n),
        Type::Ratio => Value::Ratio(n),
        Type::Decimal => Value::Decimal(n),
        Type::Int => Value::Int(i64::try_from(n.numer()).ok().filter(|_| n.is_integer())?),
        _ => return None,
    })
}

/// 整数 arithmetic: the result, `None` when it does not fit an `i64` (an overflow). Whole numbers
/// divide into a 割合, never here.
pub fn int(op: Arith, a: i64, b: i64) -> Option<i64> {
    match op {
        Arith::Add => a.checked_add(b),
        Arith::Sub => a.checked_sub(b),
        Arith::Mul => a.checked_mul(b),
        Arith::Div => None,
    }
}

/// `-a` for 整数, `None` on overflow.
pub fn int_neg(a: i64) -> Option<i64> {
    a.checked_neg()
}

/// `x op y` with the result type `ty` (from [`result_type`]).
pub fn arith(op: Arith, x: &Value, y: &Value, ty: &Type, span: Span) -> R {
    let overflow = || fail(EvalErrorKind::Overflow, span);
    let range = || fail(EvalErrorKind::DateOutOfRange, span);
    match (x, y) {
        (Value::Date(d), Value::Duration(p)) => {
            let sign = if op == Arith::Sub { -1 } else { 1 };
            dates::shift(*d, *p, sign)
                .map(Value::Date)
                .ok_or_else(range)
        }
        (Value::Duration(p), Value::Date(d)) => {
            dates::shift(*d, *p, 1).map(Value::Date).ok_or_else(range)
        }
        (Value::Date(a), Value::Date(b)) => Ok(Value::Int(dates::days_between(*a, *b))),
        (Value::Duration(a), Value::Duration(b)) => {
            let (m, d) = if op == Arith::Add {
                (a.months.checked_add(b.months), a.days.checked_add(b.days))
            } else {
                (a.months.checked_sub(b.months), a.days.checked_sub(b.days))
            };
            match (m, d) {
                (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                _ => Err(overflow()),
            }
        }
        (Value::Duration(p), Value::Int(k)) | (Value::Int(k), Value::Duration(p)) => {
            match (p.months.checked_mul(*k), p.days.checked_mul(*k)) {
                (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                _ => Err(overflow()),
            }
        }
        (Value::Int(a), Value::Int(b)) if *ty == Type::Int => {
            int(op, *a, *b).map(Value::Int).ok_or_else(overflow)
        }
        _ => {
            let (a, b) = match (num_of(x), num_of(y)) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(fail(EvalErrorKind::Internal("arithmetic operands"), span)),
            };
            let r = match op {
                Arith::Add => a.checked_add(b),
                Arith::Sub => a.checked_sub(b),
                Arith::Mul => a.checked_mul(b),
                Arith::Div => {
                    if b.is_zero() {
                        return Err(fail(EvalErrorKind::DivisionByZero, span));
                    }
                    a.checked_div(b)
                }
            }
            .ok_or_else(overflow)?;
            wrap_num(r, ty).ok_or_else(overflow)
        }
    }
}

/// `-v` with the type `ty`.
pub fn neg(v: &Value, ty: &Type, span: Span) -> R {
    match v {
        Value::Int(i) => int_neg(*i)
            .map(Value::Int)
            .ok_or_else(|| fail(EvalErrorKind::Overflow, span)),
        Value::Duration(d) => match (d.months.checked_neg(), d.days.checked_neg()) {
            (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
            _ => Err(fail(EvalErrorKind::Overflow, span)),
        },
        v => {
            let n = num_of(v).ok_or_else(|| fail(EvalErrorKind::Internal("negate"), span))?;
            let n = n
                .checked_neg()
                .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?;
            wrap_num(n, ty).ok_or_else(|| fail(EvalErrorKind::Internal("negate"), span))
        }
    }
}

/// `切り捨て`/`切り上げ`/`四捨五入(x, unit)` with the type `ty`: the multiple of `unit` that
/// [`Num::round_to`] picks. A unit that is not positive is an error at `unit_span`.
pub fn round(
    x: &Value,
    unit: &Value,
    mode: RoundMode,
    ty: &Type,
    span: Span,
    unit_span: Span,
) -> R {
    let internal = || fail(EvalErrorKind::Internal("builtin arguments"), span);
    let x = num_of(x).ok_or_else(internal)?;
    let unit = num_of(unit).ok_or_else(internal)?;
    if unit.signum() <= 0 {
        return Err(fail(EvalErrorKind::RoundingUnit, unit_span));
    }
    let r = x
        .round_to(unit, mode)
        .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?;
    wrap_num(r, ty).ok_or_else(|| fail(EvalErrorKind::Overflow, span))
}
