//! Columns: the values of one expression for every record of a chunk, stored by type so the
//! evaluator's inner loops run over plain integers. A column that has no typed form holds
//! [`Value`]s.

use super::pool::Buf;
use super::q::Q;
use crate::ops::arith::num_of;
use crate::ops::{fail, EvalError, EvalErrorKind};
use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use chrono::NaiveDate;
use onshi_grammar::ast::Span;
use onshi_grammar::literal::Duration;
use std::borrow::Cow;
use std::cmp::Ordering;

/// The values of one expression over a chunk.
#[derive(Clone, Debug)]
pub(crate) enum Col {
    /// The same value for every record.
    One(Value),
    Bool(Buf<bool>),
    Int(Buf<i64>),
    /// 金額, 割合 or 小数 (the expression's type says which).
    Num(Buf<Q>),
    Date(Buf<NaiveDate>),
    Enum(Buf<u32>),
    Set(Buf<u128>),
    /// Rows of table `.0`, by index, for a table whose rows are all constant.
    Rows(u32, Buf<u32>),
    Any(Vec<Value>),
    /// Values of an optional (`任意`) type: a typed column (Bool, Int, Num, Date, Enum or Set)
    /// holding a placeholder where the value is absent, and the presence mask (`true`: present).
    Opt(Box<Col>, Buf<bool>),
    /// 期間.
    Dur(Buf<Duration>),
}

/// The records (by index in the chunk, ascending) whose value is an error, with the error.
pub(crate) type Errs = Vec<(u32, EvalError)>;

/// A placeholder date for records whose value is an error.
pub(super) const NO_DATE: NaiveDate = NaiveDate::MIN;

/// Turns a slice of one `Copy` type into a column-sized slice: borrowed when the column has it,
/// repeated when it is one value.
macro_rules! typed_view {
    ($name:ident, $t:ty, $variant:ident, $one:pat => $x:expr) => {
        pub fn $name(&self, n: usize) -> Option<Cow<'_, [$t]>> {
            match self {
                Col::$variant(v) => Some(Cow::Borrowed(v.as_slice())),
                Col::One($one) => Some(Cow::Owned(vec![$x; n])),
                _ => None,
            }
        }
    };
}

impl Col {
    typed_view!(bools, bool, Bool, Value::Bool(b) => *b);
    typed_view!(ints, i64, Int, Value::Int(i) => *i);
    typed_view!(dates, NaiveDate, Date, Value::Date(d) => *d);
    typed_view!(enums, u32, Enum, Value::Enum(e) => *e);
    typed_view!(sets, u128, Set, Value::Set(s) => *s);
    typed_view!(durs, Duration, Dur, Value::Duration(d) => *d);

    /// An empty column for values of type `ty`.
    pub fn empty(ty: &Type) -> Col {
        match ty {
            Type::Bool => Col::Bool(Buf::new()),
            Type::Int => Col::Int(Buf::new()),
            Type::Money | Type::Ratio | Type::Decimal => Col::Num(Buf::new()),
            Type::Date => Col::Date(Buf::new()),
            Type::Enum(_) => Col::Enum(Buf::new()),
            Type::Set(_) => Col::Set(Buf::new()),
            Type::Duration => Col::Dur(Buf::new()),
            Type::Optional(t) => match Col::empty(t) {
                Col::Any(v) => Col::Any(v),
                c => Col::Opt(Box::new(c), Buf::new()),
            },
            _ => Col::Any(Vec::new()),
        }
    }

    /// Appends `v` to a column of `n` values of type `ty` (not rows); a value the column's
    /// representation cannot hold turns it into a column of [`Value`]s.
    pub fn push(&mut self, v: Value, n: usize, ty: &Type) {
        match (&mut *self, &v) {
            (Col::Bool(c), Value::Bool(x)) => c.push(*x),
            (Col::Int(c), Value::Int(x)) => c.push(*x),
            (Col::Date(c), Value::Date(x)) => c.push(*x),
            (Col::Enum(c), Value::Enum(x)) => c.push(*x),
            (Col::Set(c), Value::Set(x)) => c.push(*x),
            (Col::Num(c), Value::Money(x) | Value::Ratio(x) | Value::Decimal(x))
                if Q::of(x).is_some() =>
            {
                c.extend(Q::of(x));
            }
            (Col::Any(c), _) => c.push(v),
            (Col::Dur(c), Value::Duration(x)) => c.push(*x),
            (Col::Opt(c, p), Value::Absent) => {
                c.push_placeholder();
                p.push(false);
            }
            (Col::Opt(c, p), _) if c.fits(&v) => {
                c.push(v, p.len(), ty.strip_optional());
                p.push(true);
            }
            _ => {
                let mut values = self.values(n, ty, &Program::default()).into_owned();
                values.push(v);
                *self = Col::Any(values);
            }
        }
    }

    /// Numbers as fractions: 整数 columns widen; `None` when a value does not fit.
    pub fn qs(&self, n: usize) -> Option<Cow<'_, [Q]>> {
        match self {
            Col::Num(v) => Some(Cow::Borrowed(v.as_slice())),
            Col::Int(v) => Some(Cow::Owned(v.iter().map(|i| Q::int(*i)).collect())),
            Col::One(v) => Some(Cow::Owned(vec![Q::of(&num_of(v)?)?; n])),
            _ => None,
        }
    }

    /// The value of record `i` (`ty` is the expression's type).
    #[inline]
    pub fn value(&self, i: usize, ty: &Type, program: &Program) -> Option<Value> {
        Some(match self {
            Col::One(v) => v.clone(),
            Col::Bool(v) => Value::Bool(*v.get(i)?),
            Col::Int(v) => Value::Int(*v.get(i)?),
            Col::Num(v) => {
                let n = v.get(i)?.num()?;
                match ty.strip_optional() {
                    Type::Money => Value::Money(n),
                    Type::Ratio => Value::Ratio(n),
                    Type::Decimal => Value::Decimal(n),
                    _ => return None,
                }
            }
            Col::Date(v) => Value::Date(*v.get(i)?),
            Col::Enum(v) => Value::Enum(*v.get(i)?),
            Col::Set(v) => Value::Set(*v.get(i)?),
            Col::Rows(t, v) => {
                let row = program
                    .tables
                    .get(*t as usize)?
                    .rows
                    .get(*v.get(i)? as usize)?;
                row.value.clone()?
            }
            Col::Any(v) => v.get(i)?.clone(),
            Col::Dur(v) => Value::Duration(*v.get(i)?),
            Col::Opt(c, p) => match p.get(i)? {
                true => c.value(i, ty, program)?,
                false => Value::Absent,
            },
        })
    }

    /// Every value (for the per-record paths).
    pub fn values(&self, n: usize, ty: &Type, program: &Program) -> Cow<'_, [Value]> {
        match self {
            Col::Any(v) => Cow::Borrowed(v.as_slice()),
            _ => Cow::Owned(
                (0..n)
                    .map(|i| self.value(i, ty, program).unwrap_or(Value::Absent))
                    .collect(),
            ),
        }
    }

    /// The typed column of `values`, when they all have one type; records in `errs` may hold
    /// anything (their value is never read).
    pub fn typed(values: Vec<Value>, errs: &Errs) -> Col {
        Col::typed_opt_by(values, |i| has(errs, i))
    }

    /// [`Col::typed`] where the records `skip(i)` may hold anything.
    pub fn typed_by(values: Vec<Value>, skip: impl Fn(usize) -> bool) -> Col {
        let Some(first) = values
            .iter()
            .enumerate()
            .find(|(i, _)| !skip(*i))
            .map(|(_, v)| v)
        else {
            return Col::Any(values);
        };
        macro_rules! collect {
            ($variant:ident, $pat:pat => $x:expr, $placeholder:expr) => {{
                let mut out = Buf::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    match v {
                        $pat => out.push($x),
                        _ if skip(i) => out.push($placeholder),
                        _ => return Col::Any(values),
                    }
                }
                Col::$variant(out)
            }};
        }
        match first {
            Value::Bool(_) => collect!(Bool, Value::Bool(b) => *b, false),
            Value::Int(_) => collect!(Int, Value::Int(x) => *x, 0),
            Value::Date(_) => collect!(Date, Value::Date(d) => *d, NO_DATE),
            Value::Enum(_) => collect!(Enum, Value::Enum(e) => *e, 0),
            Value::Set(_) => collect!(Set, Value::Set(s) => *s, 0),
            Value::Duration(_) => collect!(Dur, Value::Duration(d) => *d, Duration::default()),
            Value::Money(_) | Value::Ratio(_) | Value::Decimal(_) => {
                let mut out = Buf::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    match v {
                        Value::Money(x) | Value::Ratio(x) | Value::Decimal(x) => match Q::of(x) {
                            Some(q) => out.push(q),
                            None => return Col::Any(values),
                        },
                        _ if skip(i) => out.push(Q::ZERO),
                        _ => return Col::Any(values),
                    }
                }
                Col::Num(out)
            }
            _ => Col::Any(values),
        }
    }
}

/// `first`'s errors, then `later`'s for records `first` has none for (a record's error is the
/// first one its evaluation meets).
pub(crate) fn merge(first: &[(u32, EvalError)], later: &[(u32, EvalError)]) -> Errs {
    if later.is_empty() {
        return first.to_vec();
    }
    if first.is_empty() {
        return later.to_vec();
    }
    let mut out = Vec::with_capacity(first.len() + later.len());
    let (mut a, mut b) = (first.iter().peekable(), later.iter().peekable());
    loop {
        match (a.peek(), b.peek()) {
            (Some(x), Some(y)) => match x.0.cmp(&y.0) {
                Ordering::Less => out.extend(a.next().cloned()),
                Ordering::Greater => out.extend(b.next().cloned()),
                Ordering::Equal => {
                    out.extend(a.next().cloned());
                    b.next();
                }
            },
            (Some(_), None) => out.extend(a.next().cloned()),
            (None, Some(_)) => out.extend(b.next().cloned()),
            (None, None) => return out,
        }
    }
}

/// Whether record `i` is in `errs`.
pub(crate) fn has(errs: &[(u32, EvalError)], i: usize) -> bool {
    errs.binary_search_by_key(&i, |(k, _)| *k as usize).is_ok()
}

/// The same error for every record (a broken invariant).
pub(crate) fn all_internal(n: usize, what: &'static str, span: Span) -> Errs {
    (0..n)
        .map(|i| (i as u32, fail(EvalErrorKind::Internal(what), span)))
        .collect()
}
