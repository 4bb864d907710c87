//! The one-pass writes of a chunk's output column (`Out::fast`): from the typed output columns
//! of the common forms, a column at a time, without a [`Value`] per record — 真偽 and 整数 as
//! slices, 金額 as whole yen, 日付 as day numbers (a date repeated is converted once), 割合/小数
//! by a text made once per distinct value, enumerations from their output's table of variant
//! names, and a value the same for the whole chunk written once.

use super::{text_of, whole, At, Out, Texts};
use chrono::NaiveDate;
use onshi::eval::{days, OutputColumn};
use onshi::{Type, Value};

impl Out {
    /// Appends output `o` of every record in one pass from its typed column, when it has one of
    /// the common forms (false: it has not, and nothing was appended).
    pub(super) fn fast(&mut self, at: At<'_, '_>, ok: &[bool], texts: &mut Texts) -> bool {
        let n = ok.len();
        let all = at.all;
        match (&mut *self, at.col, at.ty) {
            (Out::Bool(b), Some(OutputColumn::Bool(v)), Type::Bool) if v.len() == n => {
                if all {
                    b.append_slice(v);
                    true
                } else {
                    b.append_values(v, ok).is_ok()
                }
            }
            (Out::Int(b), Some(OutputColumn::Int(v)), Type::Int) if v.len() == n => {
                if all {
                    b.append_slice(v);
                } else {
                    b.append_values(v, ok);
                }
                true
            }
            // Every record without an error is whole yen (checked before); most are held with
            // denominator 1.
            (Out::Int(b), Some(OutputColumn::Fraction(f)), Type::Money) if f.len() == n => {
                let mut v = Vec::with_capacity(n);
                for (k, good) in ok.iter().enumerate() {
                    v.push(match f.get(k) {
                        Some((x, 1)) => x,
                        _ if !*good => 0,
                        _ => match f.whole(k) {
                            Some(x) => x,
                            None => return false,
                        },
                    });
                }
                match all {
                    true => b.append_slice(&v),
                    false => b.append_values(&v, ok),
                }
                true
            }
            (Out::Date(b), Some(OutputColumn::Date(v)), Type::Date) if v.len() == n => {
                // Dates repeat: the day number of the date before is kept.
                let mut last: Option<(NaiveDate, i32)> = None;
                let v: Vec<i32> = v
                    .iter()
                    .map(|d| match last {
                        Some((l, x)) if l == *d => x,
                        _ => {
                            let x = days(*d);
                            last = Some((*d, x));
                            x
                        }
                    })
                    .collect();
                match all {
                    true => b.append_slice(&v),
                    false => b.append_values(&v, ok),
                }
                true
            }
            // 割合 and 小数 by their texts, made once per distinct value.
            (Out::Str(b), Some(OutputColumn::Fraction(f)), t @ (Type::Ratio | Type::Decimal))
                if f.len() == n =>
            {
                // The entry of the record before, when it holds the same terms.
                let mut last: Option<((i64, i64), usize)> = None;
                for (k, good) in ok.iter().enumerate() {
                    match f.get(k).filter(|_| *good) {
                        Some(q) => {
                            let entry = match last {
                                Some((p, e)) if p == q => Some(e),
                                _ => texts.index(q, t, at.program),
                            };
                            last = entry.map(|e| (q, e));
                            match entry.and_then(|e| texts.text(e)) {
                                Some(s) => b.append_value(s),
                                // Not reached (a positive denominator): as `push` writes it.
                                None => match at.results.value(at.o, k) {
                                    Ok(v) if !matches!(v, Value::Absent) => {
                                        b.append_value(text_of(at.program.value_to_json(&v, t)))
                                    }
                                    _ => b.append_null(),
                                },
                            }
                        }
                        None => b.append_null(),
                    }
                }
                true
            }
            // Each name from the output's table of its variants' names.
            (Out::Str(b), Some(OutputColumn::Ordinal(v)), Type::Enum(e)) if v.len() == n => {
                for (x, good) in v.iter().zip(ok) {
                    match (good, usize::try_from(*x).ok().and_then(|x| at.names.get(x))) {
                        (true, Some(name)) => b.append_value(name),
                        (true, None) => b.append_value(at.program.variant_name(*e, *x)),
                        (false, _) => b.append_null(),
                    }
                }
                true
            }
            (out, Some(OutputColumn::One(v)), _) => out.one(v, ok),
            _ => false,
        }
    }

    /// Appends one value for every record of a chunk (a null where `ok` is false), when the
    /// column is 真偽, 整数, 金額 or 日付 and `v` has its form (false: nothing appended).
    fn one(&mut self, v: &Value, ok: &[bool]) -> bool {
        match (self, v) {
            (Out::Bool(b), Value::Bool(x)) => {
                for good in ok {
                    b.append_option(good.then_some(*x));
                }
            }
            (Out::Int(b), Value::Int(x)) => b.append_values(&vec![*x; ok.len()], ok),
            (Out::Int(b), Value::Money(m)) => match whole(m) {
                Some(x) => b.append_values(&vec![x; ok.len()], ok),
                None => return false,
            },
            (Out::Date(b), Value::Date(d)) => b.append_values(&vec![days(*d); ok.len()], ok),
            _ => return false,
        }
        true
    }
}
