//! Calls of the built-in functions ([`crate::builtins::BUILTINS`]), one record at a time: each
//! built-in's [`Imp`] applied to its arguments' values. Arguments are evaluated left to right;
//! `既定値(x, d)` ([`Imp::OrDefault`]) evaluates `d` only when `x` is absent.

use super::error::{fail, EvalErrorKind};
use super::expr::Operands;
use super::{arith, holidays, order, sets, R};
use crate::builtins::{Builtin, Imp};
use crate::program::CExpr;
use crate::value::Value;

/// `b(args)`; `e` is the call.
pub fn call<O: Operands>(o: &mut O, b: &Builtin, args: &[CExpr], e: &CExpr) -> R {
    let span = e.span;
    // Built-ins take one or two arguments (最小/最大 take any number): evaluate them into
    // locals, not a Vec (no allocation per call).
    let internal = || fail(EvalErrorKind::Internal("builtin arguments"), span);
    let first_arg = args.first().ok_or_else(internal)?;
    let first = &o.eval(first_arg)?;
    if let Imp::Extreme { wanted } = b.imp {
        let mut best = first.clone();
        for a in args.iter().skip(1) {
            let v = o.eval(a)?;
            let ord = order::compare(&v, &best, span)?.ok_or_else(internal)?;
            if ord == wanted {
                best = v;
            }
        }
        return Ok(best);
    }
    let second = match args.get(1) {
        // 既定値(x, d) evaluates its default only when x is absent.
        Some(_) if matches!(b.imp, Imp::OrDefault) && *first != Value::Absent => None,
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
    match b.imp {
        Imp::Extreme { .. } => Ok(first.clone()),
        Imp::Round(mode) => {
            let unit = second.ok_or_else(internal)?;
            let unit_span = args.get(1).map_or(span, |a| a.span);
            arith::round(first, unit, mode, &e.ty, span, unit_span)
        }
        Imp::Date(f) => in_range(f(date(first)?)),
        Imp::DateInt(f) => {
            let n = match second {
                Some(Value::Int(n)) => *n,
                _ => return Err(internal()),
            };
            in_range(f(date(first)?, n))
        }
        Imp::DatePeriod(f) => {
            let dur = match second {
                Some(Value::Duration(d)) => *d,
                _ => return Err(internal()),
            };
            in_range(f(date(first)?, dur))
        }
        Imp::OrDefault => match first {
            Value::Absent => second.cloned().ok_or_else(internal),
            v => Ok(v.clone()),
        },
        Imp::Count => match first {
            Value::Set(m) => Ok(Value::Int(sets::count(*m))),
            _ => Err(internal()),
        },
        Imp::Holiday => holidays::is_holiday(date(first)?)
            .map(Value::Bool)
            .map_err(|u| calendar(u, span)),
        Imp::HolidayBusinessDays => {
            let n = match second {
                Some(Value::Int(n)) => *n,
                _ => return Err(internal()),
            };
            in_range(holidays::business_days(date(first)?, n).map_err(|u| calendar(u, span))?)
        }
        Imp::Contains => match (first, second) {
            (Value::Set(m), Some(Value::Enum(i))) => Ok(Value::Bool(sets::contains(*m, *i))),
            _ => Err(internal()),
        },
    }
}

/// The holiday calendar's refusal of a date it does not know.
fn calendar(u: holidays::Unknown, span: onshi_grammar::ast::Span) -> super::EvalError {
    fail(EvalErrorKind::HolidayCalendar { date: u.0 }, span)
}
