//! Optional (`任意`) values as a typed column and a presence mask ([`Col::Opt`]): optional inputs,
//! the branches of `もし … そうでなければ 未設定`, 原則/例外 and `既定値` over optional values, and
//! table cells with `未設定` stay typed, so a node reading them runs the typed loop instead of
//! reading [`Value`]s one by one. An absent record holds a placeholder in the typed column; every
//! reader checks the mask first: `が ある`/`が ない` read the mask alone, an unwrap (a value used
//! where the checker narrowed it) gives the typed column and an error for each absent record it
//! reads, and the typed views ([`super::view`]) send absent records to the per-record evaluator.

use super::arg::Arg;
use super::col::{has, Col, Errs, NO_DATE};
use super::pool::Buf;
use super::q::Q;
use super::select::{choose_copy, choose_q};
use super::view::take_merged;
use super::{Fractions, OutputColumn, Walk, V};
use crate::ops::{fail, EvalErrorKind};
use crate::program::CExpr;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::literal::Duration;
use std::borrow::Cow;

impl Col {
    /// Whether `v` goes into this typed column as it is.
    pub(super) fn fits(&self, v: &Value) -> bool {
        match (self, v) {
            (Col::Bool(_), Value::Bool(_))
            | (Col::Int(_), Value::Int(_))
            | (Col::Date(_), Value::Date(_))
            | (Col::Enum(_), Value::Enum(_))
            | (Col::Set(_), Value::Set(_))
            | (Col::Dur(_), Value::Duration(_)) => true,
            (Col::Num(_), Value::Money(x) | Value::Ratio(x) | Value::Decimal(x)) => {
                Q::of(x).is_some()
            }
            _ => false,
        }
    }

    /// Appends `v` when it [fits](Col::fits); `false` (nothing appended) when not.
    fn push_fit(&mut self, v: &Value) -> bool {
        match (self, v) {
            (Col::Bool(c), Value::Bool(x)) => c.push(*x),
            (Col::Int(c), Value::Int(x)) => c.push(*x),
            (Col::Date(c), Value::Date(x)) => c.push(*x),
            (Col::Enum(c), Value::Enum(x)) => c.push(*x),
            (Col::Set(c), Value::Set(x)) => c.push(*x),
            (Col::Dur(c), Value::Duration(x)) => c.push(*x),
            (Col::Num(c), Value::Money(x) | Value::Ratio(x) | Value::Decimal(x)) => {
                match Q::of(x) {
                    Some(q) => c.push(q),
                    None => return false,
                }
            }
            _ => return false,
        }
        true
    }

    /// Appends the placeholder of an absent record to a typed column.
    pub(super) fn push_placeholder(&mut self) {
        match self {
            Col::Bool(c) => c.push(false),
            Col::Int(c) => c.push(0),
            Col::Num(c) => c.push(Q::ZERO),
            Col::Date(c) => c.push(NO_DATE),
            Col::Enum(c) => c.push(0),
            Col::Set(c) => c.push(0),
            Col::Dur(c) => c.push(Duration::default()),
            Col::Opt(c, p) => {
                c.push_placeholder();
                p.push(false);
            }
            Col::One(_) | Col::Rows(..) | Col::Any(_) => {}
        }
    }

    /// [`Col::typed_by`], and an optional column ([`Col::Opt`]) when the values are of one type
    /// but some are absent.
    pub fn typed_opt_by(values: Vec<Value>, skip: impl Fn(usize) -> bool) -> Col {
        match Col::typed_by(values, &skip) {
            Col::Any(values) => Col::opt_of(values, &skip),
            c => c,
        }
    }

    /// The optional column of `values` (records `skip(i)` may hold anything); a column of values
    /// when the present ones are not all of one typed form.
    fn opt_of(values: Vec<Value>, skip: &impl Fn(usize) -> bool) -> Col {
        let first = values
            .iter()
            .enumerate()
            .find(|(i, v)| !skip(*i) && !matches!(v, Value::Absent))
            .map(|(_, v)| v);
        let n = values.len();
        let mut inner = match first {
            Some(Value::Bool(_)) => Col::Bool(Buf::with_capacity(n)),
            Some(Value::Int(_)) => Col::Int(Buf::with_capacity(n)),
            Some(Value::Date(_)) => Col::Date(Buf::with_capacity(n)),
            Some(Value::Enum(_)) => Col::Enum(Buf::with_capacity(n)),
            Some(Value::Set(_)) => Col::Set(Buf::with_capacity(n)),
            Some(Value::Duration(_)) => Col::Dur(Buf::with_capacity(n)),
            Some(Value::Money(_) | Value::Ratio(_) | Value::Decimal(_)) => {
                Col::Num(Buf::with_capacity(n))
            }
            _ => return Col::Any(values),
        };
        let mut present = Buf::with_capacity(n);
        for (i, v) in values.iter().enumerate() {
            if matches!(v, Value::Absent) {
                inner.push_placeholder();
                present.push(false);
            } else if inner.push_fit(v) {
                present.push(true);
            } else if skip(i) {
                inner.push_placeholder();
                present.push(true);
            } else {
                return Col::Any(values);
            }
        }
        Col::Opt(Box::new(inner), present)
    }
}

impl Col {
    /// 期間 values as an operand of a typed loop.
    fn dur_arg(&self) -> Option<Arg<'_, Duration>> {
        match self {
            Col::Dur(v) => Some(Arg::Each(Cow::Borrowed(v.as_slice()))),
            Col::One(Value::Duration(d)) => Some(Arg::One(*d)),
            _ => None,
        }
    }
}

/// The presence of a branch's values: the mask, all absent, or all present; `None` for a column of
/// values.
fn presence(c: &Col) -> Option<Arg<'_, bool>> {
    match c {
        Col::Opt(_, p) => Some(Arg::Each(Cow::Borrowed(p.as_slice()))),
        Col::One(Value::Absent) => Some(Arg::One(false)),
        Col::Any(_) | Col::Rows(..) => None,
        _ => Some(Arg::One(true)),
    }
}

/// The typed column under a mask (a typed column is its own).
fn inner(c: &Col) -> &Col {
    match c {
        Col::Opt(c, _) => c,
        c => c,
    }
}

impl<'a> Walk<'a> {
    /// `choice[i]`'s value for each record, as [`Walk::choose_col`], when some branch is
    /// optional and every branch has a typed form of `ty`: the typed values and the presence
    /// chosen by the same selects. `None` otherwise (the caller's loops decide).
    pub(super) fn choose_opt(
        &self,
        ty: &Type,
        choice: &[u32],
        cols: &[Option<V<'a>>],
    ) -> Option<Col> {
        let optional = cols
            .iter()
            .flatten()
            .any(|v| matches!(&*v.col, Col::Opt(..) | Col::One(Value::Absent)));
        if !optional {
            return None;
        }
        let pres: Vec<Option<Arg<'_, bool>>> = cols
            .iter()
            .map(|c| match c {
                None => Some(None),
                Some(v) => presence(&v.col).map(Some),
            })
            .collect::<Option<_>>()?;
        macro_rules! typed {
            ($arg:ident, $placeholder:expr) => {
                cols.iter()
                    .map(|c| match c {
                        None => Some(None),
                        Some(v) => match &*v.col {
                            Col::One(Value::Absent) => Some(Some(Arg::One($placeholder))),
                            c => inner(c).$arg().map(Some),
                        },
                    })
                    .collect::<Option<Vec<_>>>()?
            };
        }
        let vals = match ty.strip_optional() {
            Type::Int => Col::Int(choose_copy(choice, &typed!(int_arg, 0), 0)),
            Type::Money | Type::Ratio | Type::Decimal => {
                Col::Num(choose_q(choice, &typed!(q_arg, Q::ZERO)))
            }
            Type::Date => Col::Date(choose_copy(choice, &typed!(date_arg, NO_DATE), NO_DATE)),
            Type::Bool => Col::Bool(choose_copy(choice, &typed!(bool_arg, false), false)),
            Type::Enum(_) => Col::Enum(choose_copy(choice, &typed!(enum_arg, 0), 0)),
            Type::Set(_) => Col::Set(choose_copy(choice, &typed!(set_arg, 0), 0)),
            Type::Duration => {
                let none = Duration::default();
                Col::Dur(choose_copy(choice, &typed!(dur_arg, none), none))
            }
            _ => return None,
        };
        let mask = choose_copy(choice, &pres, false);
        Some(if mask.iter().all(|p| *p) {
            vals
        } else {
            Col::Opt(Box::new(vals), mask)
        })
    }

    /// An optional column used as a value (`v` holds a [`Col::Opt`]): its typed column, and for
    /// each absent record that reads it and has no error yet, the per-record evaluator's error.
    pub(super) fn unwrap_opt(&self, v: V<'a>, e: &CExpr) -> V<'a> {
        let V { col, mut errs } = v;
        let mut absent: Errs = Vec::new();
        if let Col::Opt(_, p) = &*col {
            // Absent records that read the value: rare, so one pass over the masks first.
            let reads = |i: usize| !self.idle(i) && !has(&errs, i);
            let mut used = |i: usize| {
                let err = fail(EvalErrorKind::Internal("absent value used"), e.span);
                absent.push((i as u32, err));
            };
            match &self.active {
                Some(active) => {
                    for (i, (present, a)) in p.iter().zip(active).enumerate() {
                        if !present & a && reads(i) {
                            used(i);
                        }
                    }
                }
                None => {
                    for (i, present) in p.iter().enumerate() {
                        if !present && reads(i) {
                            used(i);
                        }
                    }
                }
            }
        }
        let col = match col {
            Cow::Borrowed(Col::Opt(c, _)) => Cow::Borrowed(&**c),
            Cow::Owned(Col::Opt(c, _)) => Cow::Owned(*c),
            c => c,
        };
        if absent.is_empty() {
            return V { col, errs };
        }
        let errs = take_merged(&mut errs, &mut Cow::Owned(absent));
        V {
            col,
            errs: Cow::Owned(errs),
        }
    }

    /// `既定値(x, d)` where `x` is optional (`x` holds a [`Col::Opt`]): `d` is evaluated only
    /// for the records where `x` is absent, and its errors count only for them.
    pub(super) fn or_default_opt(&mut self, x: V<'a>, d: &CExpr, e: &CExpr) -> V<'a> {
        let Col::Opt(_, p) = &*x.col else {
            return x;
        };
        let take: Vec<bool> = p
            .iter()
            .enumerate()
            .map(|(i, present)| !present && !self.idle(i) && !has(&x.errs, i))
            .collect();
        if !take.contains(&true) {
            // No record that reads it lacks the value: `x`'s typed column as it is.
            let col = match x.col {
                Cow::Borrowed(Col::Opt(c, _)) => Cow::Borrowed(&**c),
                Cow::Owned(Col::Opt(c, _)) => Cow::Owned(*c),
                c => c,
            };
            return V { col, errs: x.errs };
        }
        // Records with an error take the default's placeholder (never read), so a result of a
        // type without `任意` stays a plain typed column.
        let choice: Vec<u32> = p
            .iter()
            .enumerate()
            .map(|(i, present)| u32::from(!present || has(&x.errs, i)))
            .collect();
        let defaults = self.eval_on(d, take.clone());
        let reached: Errs = defaults
            .errs
            .iter()
            .filter(|(i, _)| take.get(*i as usize).copied().unwrap_or(false))
            .cloned()
            .collect();
        let mut first = x.errs.clone();
        let errs = take_merged(&mut first, &mut Cow::Owned(reached));
        let cols = [Some(x), Some(defaults)];
        let col = self.choose_col(&e.ty, &choice, &cols);
        V::own(col, errs)
    }
}

/// The values of an [`OutputColumn::Optional`] and which records have one.
#[derive(Clone, Copy, Debug)]
pub struct Optional<'c> {
    pub(super) present: &'c [bool],
    pub(super) values: &'c Col,
}

impl<'c> Optional<'c> {
    /// Whether record `i` has a value (`false`: the output is absent, JSON `null`).
    #[inline]
    pub fn present(&self, i: usize) -> Option<bool> {
        self.present.get(i).copied()
    }

    /// Every record's presence.
    pub fn presence(&self) -> &'c [bool] {
        self.present
    }

    /// The values as a column of one of the other forms, a placeholder where a record has none.
    pub fn values(&self) -> OutputColumn<'c> {
        match self.values {
            Col::Bool(v) => OutputColumn::Bool(v),
            Col::Int(v) => OutputColumn::Int(v),
            Col::Enum(v) => OutputColumn::Ordinal(v),
            Col::Num(v) => OutputColumn::Fraction(Fractions(v)),
            _ => OutputColumn::Bool(&[]),
        }
    }

    /// The values where record `i` has one.
    #[inline]
    pub(super) fn at(&self, i: usize) -> Option<OutputColumn<'c>> {
        self.present(i)?.then(|| self.values())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::Program;
    use chrono::NaiveDate;

    fn day(d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(2025, 4, d).unwrap())
    }

    /// Optional inputs stay typed as values are pushed; a value of another form turns the column
    /// into values, which read the same.
    #[test]
    fn optional_inputs_are_a_typed_column_and_a_mask() {
        let ty = Type::Optional(Box::new(Type::Date));
        let values = [day(1), Value::Absent, day(3)];
        let mut col = Col::empty(&ty);
        for (n, v) in values.iter().enumerate() {
            col.push(v.clone(), n, &ty);
        }
        assert!(
            matches!(&col, Col::Opt(c, p) if matches!(**c, Col::Date(_)) && **p == [true, false, true])
        );
        let p = Program::default();
        assert_eq!(col.values(3, &ty, &p).as_ref(), &values);
        col.push(Value::Int(1), 3, &ty);
        assert!(matches!(&col, Col::Any(_)));
        assert_eq!(col.values(4, &ty, &p).get(..3), Some(&values[..]));
    }

    /// Values of one form with absent ones among them make an optional column; records that may
    /// hold anything (`skip`) take a placeholder.
    #[test]
    fn values_with_absent_ones_make_an_optional_column() {
        let col = Col::typed_opt_by(vec![Value::Absent, Value::Int(2), Value::Bool(true)], |i| {
            i == 2
        });
        assert!(
            matches!(&col, Col::Opt(c, p) if matches!(&**c, Col::Int(v) if **v == [0, 2, 0]) && **p == [false, true, true])
        );
        let col = Col::typed_opt_by(
            vec![Value::Absent, Value::Int(2), Value::Bool(true)],
            |_| false,
        );
        assert!(matches!(col, Col::Any(_)));
        let col = Col::typed_opt_by(vec![Value::Absent, Value::Absent], |_| false);
        assert!(matches!(col, Col::Any(_)));
        let d = Value::Duration(Duration { months: 3, days: 0 });
        let col = Col::typed_opt_by(vec![d.clone(), d], |_| false);
        assert!(matches!(col, Col::Dur(_)));
    }
}
