//! The typed loops of [`ColumnsBuilder::ints`](super::ColumnsBuilder::ints): whole numbers checked
//! against the input's type and written straight into the evaluator's column (no [`Value`] per
//! cell). Each loop gives exactly what the generic path (`fill.rs`: [`typed_value`](super::fill::typed_value)
//! pushed through `Stored::push`) gives, values and errors; an input it has no loop for (an
//! optional type, a default without a typed form) is left to the generic path (`None`).

use super::col::Col;
use super::fill::{day, record_error, EPOCH_FROM_CE};
use super::pool::{Buf, Pooled};
use super::q::Q;
use super::stored::Stored;
use crate::facts::FactsError;
use crate::program::{Input, Program};
use crate::types::Type;
use crate::value::Value;
use chrono::NaiveDate;
use onshi_grammar::literal::date_in_range;

/// Input `info` (number `k`) from whole numbers, or `None` for the generic path.
pub(super) fn fill(
    program: &Program,
    info: &Input,
    k: usize,
    values: &[i64],
    present: Option<&[u8]>,
    errors: &mut Vec<(usize, usize, FactsError)>,
) -> Option<Stored> {
    let mut run = Run {
        program,
        info,
        k,
        values,
        present,
        errors,
    };
    let default = info.default.as_ref();
    Some(match (&info.ty, default) {
        (Type::Bool, d) => {
            let d = typed_default(d, |v| match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            })?;
            Stored::Col(Col::Bool(run.column(d, false, |x| match x {
                0 => Some(false),
                1 => Some(true),
                _ => None,
            })))
        }
        (Type::Int, d) => {
            let d = typed_default(d, |v| match v {
                Value::Int(x) => Some(*x),
                _ => None,
            })?;
            Stored::Col(Col::Int(run.column(d, 0, Some)))
        }
        (Type::Money | Type::Ratio | Type::Decimal, d) => {
            let d = typed_default(d, |v| match v {
                Value::Money(x) | Value::Ratio(x) | Value::Decimal(x) => x
                    .is_integer()
                    .then(|| i64::try_from(x.numer()).ok())
                    .flatten(),
                _ => None,
            })?;
            // The evaluator's form (a chunk built column by column is evaluated at once; the
            // narrow forms are for chunks kept between evaluations).
            let whole = run.column(d.map(Q::int), Q::int(0), |x| Some(Q::int(x)));
            Stored::Col(Col::Num(whole))
        }
        (Type::Date, d) => {
            let d = typed_default(d, |v| match v {
                Value::Date(x) => Some(*x),
                _ => None,
            })?;
            // One range check for the column: when every value given lies in a short span of
            // dates the facts take, each is read from a table made by stepping a day at a
            // time (no calendar conversion per value); else each is converted and checked.
            let table =
                given_range(values, present).and_then(|(lo, hi)| date_table(lo, hi, values.len()));
            let dates = match table {
                Some(t) => run.column(d, NaiveDate::MIN, |x| {
                    usize::try_from(x.wrapping_sub(t.0))
                        .ok()
                        .and_then(|i| t.1.get(i).copied())
                }),
                None => run.column(d, NaiveDate::MIN, |x| day(x).filter(|d| date_in_range(*d))),
            };
            Stored::Col(Col::Date(dates))
        }
        (Type::Enum(e), d) => {
            let variants = program.enums().get(e.0 as usize)?.variants.len();
            let d = typed_default(d, |v| match v {
                Value::Enum(x) => Some(*x),
                _ => None,
            })?;
            Stored::Col(Col::Enum(run.column(d, 0, |x| {
                u32::try_from(x)
                    .ok()
                    .filter(|k| usize::try_from(*k).is_ok_and(|k| k < variants))
            })))
        }
        (Type::Set(e), d) => {
            let variants = program.enums().get(e.0 as usize)?.variants.len();
            let d = typed_default(d, |v| match v {
                Value::Set(x) => Some(*x),
                _ => None,
            })?;
            let masks = run.column(d, 0, |x| {
                u128::try_from(x)
                    .ok()
                    .filter(|m| variants >= 128 || m >> variants == 0)
            });
            Stored::Col(Col::Set(masks))
        }
        _ => return None,
    })
}

/// The least and the greatest value given (present), `None` when none is.
fn given_range(values: &[i64], present: Option<&[u8]>) -> Option<(i64, i64)> {
    let fold = |r: Option<(i64, i64)>, x: i64| match r {
        None => Some((x, x)),
        Some((lo, hi)) => Some((lo.min(x), hi.max(x))),
    };
    match present {
        None => values.iter().copied().fold(None, fold),
        Some(p) => values
            .iter()
            .zip(p)
            .filter(|(_, p)| **p != 0)
            .map(|(x, _)| *x)
            .fold(None, fold),
    }
}

/// Day numbers `lo..=hi` as dates (`(lo, dates)`: day `lo + i` is `dates[i]`), when the span is
/// shorter than `limit` days and both ends (so every day between) are dates the facts take.
fn date_table(lo: i64, hi: i64, limit: usize) -> Option<(i64, Vec<NaiveDate>)> {
    let span = usize::try_from(hi.checked_sub(lo)?).ok()?;
    if span >= limit {
        return None;
    }
    let first = day(lo).filter(|d| date_in_range(*d))?;
    day(hi).filter(|d| date_in_range(*d))?;
    let mut dates = Vec::with_capacity(span.saturating_add(1));
    let mut d = first;
    dates.push(d);
    for _ in 0..span {
        d = d.succ_opt()?;
        dates.push(d);
    }
    Some((lo, dates))
}

/// The default's typed form: `Some(None)` without a default, `None` when the default has none
/// (the generic path then).
fn typed_default<T>(d: Option<&Value>, of: impl Fn(&Value) -> Option<T>) -> Option<Option<T>> {
    match d {
        None => Some(None),
        Some(v) => of(v).map(Some),
    }
}

struct Run<'a> {
    program: &'a Program,
    info: &'a Input,
    k: usize,
    values: &'a [i64],
    present: Option<&'a [u8]>,
    errors: &'a mut Vec<(usize, usize, FactsError)>,
}

impl Run<'_> {
    /// Every record's value by `of`; a value left out takes `default`; a record with an error
    /// (a value `of` refuses, or left out without a default) holds `placeholder`.
    #[inline]
    fn column<T: Copy + Pooled>(
        &mut self,
        default: Option<T>,
        placeholder: T,
        of: impl Fn(i64) -> Option<T>,
    ) -> Buf<T> {
        let mut out = Buf::with_capacity(self.values.len());
        // Most columns hold no error: checked first, then written in one pass that has no
        // error to record (the loops below record each one).
        let clean = match self.present {
            None => self.values.iter().all(|x| of(*x).is_some()),
            Some(present) => self.values.iter().zip(present).all(|(x, p)| match *p != 0 {
                true => of(*x).is_some(),
                false => default.is_some(),
            }),
        };
        if clean && self.present.is_none_or(|p| p.len() == self.values.len()) {
            match self.present {
                None => out.extend(self.values.iter().map(|x| of(*x).unwrap_or(placeholder))),
                Some(present) => out.extend(self.values.iter().zip(present).map(|(x, p)| {
                    match (*p != 0, default) {
                        (true, _) => of(*x).unwrap_or(placeholder),
                        (false, Some(d)) => d,
                        (false, None) => placeholder,
                    }
                })),
            }
            return out;
        }
        match self.present {
            None => {
                for (i, x) in self.values.iter().enumerate() {
                    out.push(match of(*x) {
                        Some(v) => v,
                        None => self.error(i, Some(*x), placeholder),
                    });
                }
            }
            Some(present) => {
                for (i, (x, p)) in self.values.iter().zip(present).enumerate() {
                    let v = match (*p != 0, default) {
                        (true, _) => of(*x).ok_or(Some(*x)),
                        (false, Some(d)) => Ok(d),
                        (false, None) => Err(None),
                    };
                    out.push(match v {
                        Ok(v) => v,
                        Err(x) => self.error(i, x, placeholder),
                    });
                }
            }
        }
        out
    }

    #[cold]
    fn error<T>(&mut self, i: usize, x: Option<i64>, placeholder: T) -> T {
        record_error(self.program, self.info, self.k, i, x, self.errors);
        placeholder
    }
}

/// The day number of a date (days since 1970-01-01).
#[inline]
pub fn days(d: NaiveDate) -> i32 {
    use chrono::Datelike;
    d.num_days_from_ce().saturating_sub(EPOCH_FROM_CE)
}
