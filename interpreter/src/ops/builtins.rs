//! The built-in functions (`最小`, `切り捨て`, `翌日`, `既定値`, `含む`, …): their arguments are
//! evaluated left to right, `既定値(x, d)` evaluates `d` only when `x` is absent.

use super::error::{fail, EvalErrorKind};
use super::expr::Operands;
use super::{arith, dates, order, sets, R};
use crate::program::{Builtin, CExpr};
use crate::value::Value;
use onshi_grammar::num::RoundMode;

/// How `切り捨て`/`切り上げ`/`四捨五入` round (`None` for the other built-ins).
pub fn round_mode(b: Builtin) -> Option<RoundMode> {
    match b {
        Builtin::RoundDown => Some(RoundMode::Down),
        Builtin::RoundUp => Some(RoundMode::Up),
        Builtin::RoundHalfUp => Some(RoundMode::HalfUp),
        _ => None,
    }
}

/// `b(args)`; `e` is the call.
pub fn call<O: Operands>(o: &mut O, b: Builtin, args: &[CExpr], e: &CExpr) -> R {
    let span = e.span;
    // Built-ins take one or two arguments (最小/最大 take any number): evaluate them into
    // locals, not a Vec (no allocation per call).
    let internal = || fail(EvalErrorKind::Internal("builtin arguments"), span);
    let first_arg = args.first().ok_or_else(internal)?;
    let first = &o.eval(first_arg)?;
    if matches!(b, Builtin::Min | Builtin::Max) {
        let mut best = first.clone();
        for a in args.iter().skip(1) {
            let v = o.eval(a)?;
            let ord = order::compare(&v, &best, span)?.ok_or_else(internal)?;
            if ord == order::replacing(b == Builtin::Min) {
                best = v;
            }
        }
        return Ok(best);
    }
    let second = match args.get(1) {
        // 既定値(x, d) evaluates its default only when x is absent.
        Some(_) if b == Builtin::OrDefault && *first != Value::Absent => None,
        Some(a) => Some(o.eval(a)?),
        None => None,
    };
    let second = second.as_ref();

    let date = |v: &Value| match v {
        Value::Date(d) => Ok(*d),
        _ => Err(internal()),
    };
    let in_range = |d: Option<chrono::NaiveDate>| {
        d.map(Value::Date)
            .ok_or_else(|| fail(EvalErrorKind::DateOutOfRange, span))
    };
    match b {
        Builtin::Min | Builtin::Max => Ok(first.clone()),
        Builtin::RoundDown | Builtin::RoundUp | Builtin::RoundHalfUp => {
            let (Some(mode), Some(unit)) = (round_mode(b), second) else {
                return Err(internal());
            };
            let unit_span = args.get(1).map_or(span, |a| a.span);
            arith::round(first, unit, mode, &e.ty, span, unit_span)
        }
        Builtin::NextDay => in_range(dates::next_day(date(first)?)),
        Builtin::PrevDay => in_range(dates::previous_day(date(first)?)),
        Builtin::EndOfMonth => in_range(dates::end_of_month(date(first)?)),
        Builtin::StartOfMonth => in_range(dates::start_of_month(date(first)?)),
        Builtin::BusinessDays => {
            let n = match second {
                Some(Value::Int(n)) => *n,
                _ => return Err(internal()),
            };
            in_range(dates::business_days(date(first)?, n))
        }
        Builtin::PeriodEnd => {
            let dur = match second {
                Some(Value::Duration(d)) => *d,
                _ => return Err(internal()),
            };
            in_range(dates::period_end(date(first)?, dur))
        }
        Builtin::OrDefault => match first {
            Value::Absent => second.cloned().ok_or_else(internal),
            v => Ok(v.clone()),
        },
        Builtin::Count => match first {
            Value::Set(m) => Ok(Value::Int(sets::count(*m))),
            _ => Err(internal()),
        },
        Builtin::Contains => match (first, second) {
            (Value::Set(m), Some(Value::Enum(i))) => Ok(Value::Bool(sets::contains(*m, *i))),
            _ => Err(internal()),
        },
    }
}
