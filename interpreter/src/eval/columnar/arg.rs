//! Typed operands without broadcasting: a column's values, or one value that holds for every
//! record (a constant, a definition every record shares). The loops below take each pairing of
//! the two forms as its own loop, so comparing or combining a column with a constant reads the
//! constant from a register instead of from a column built for it first.

use super::col::{has, Col, Errs};
use super::pool::{Buf, Pooled};
use super::q::Q;
use crate::ops::arith::num_of;
use crate::value::Value;
use chrono::NaiveDate;
use onshi_grammar::ast::CmpOp;
use std::borrow::Cow;
use std::cmp::Ordering;

/// One operand of a typed loop.
pub(super) enum Arg<'c, T: Clone> {
    /// One value per record.
    Each(Cow<'c, [T]>),
    /// The same value for every record.
    One(T),
}

/// A column as an [`Arg`] of one `Copy` type.
macro_rules! typed_arg {
    ($name:ident, $t:ty, $variant:ident, $one:pat => $x:expr) => {
        pub fn $name(&self) -> Option<Arg<'_, $t>> {
            match self {
                Col::$variant(v) => Some(Arg::Each(Cow::Borrowed(v.as_slice()))),
                Col::One($one) => Some(Arg::One($x)),
                _ => None,
            }
        }
    };
}

impl Col {
    typed_arg!(bool_arg, bool, Bool, Value::Bool(b) => *b);
    typed_arg!(int_arg, i64, Int, Value::Int(i) => *i);
    typed_arg!(date_arg, NaiveDate, Date, Value::Date(d) => *d);
    typed_arg!(enum_arg, u32, Enum, Value::Enum(e) => *e);
    typed_arg!(set_arg, u128, Set, Value::Set(s) => *s);

    /// Numbers as fractions, as [`Col::qs`]: 整数 columns widen; `None` when a value does not fit.
    pub fn q_arg(&self) -> Option<Arg<'_, Q>> {
        match self {
            Col::Num(v) => Some(Arg::Each(Cow::Borrowed(v.as_slice()))),
            Col::Int(v) => Some(Arg::Each(Cow::Owned(
                v.iter().map(|i| Q::int(*i)).collect(),
            ))),
            Col::One(v) => Some(Arg::One(Q::of(&num_of(v)?)?)),
            _ => None,
        }
    }
}

/// `f` over two operands, record by record (`n` records).
pub(super) fn zip_args<A: Copy, B: Copy, T: Clone + Pooled>(
    a: &Arg<'_, A>,
    b: &Arg<'_, B>,
    n: usize,
    f: impl Fn(A, B) -> T,
) -> Buf<T> {
    match (a, b) {
        (Arg::Each(x), Arg::Each(y)) => x.iter().zip(y.iter()).map(|(x, y)| f(*x, *y)).collect(),
        (Arg::Each(x), Arg::One(c)) => x.iter().map(|x| f(*x, *c)).collect(),
        (Arg::One(c), Arg::Each(y)) => y.iter().map(|y| f(*c, *y)).collect(),
        (Arg::One(c), Arg::One(d)) => Buf::filled(f(*c, *d), n),
    }
}

/// `f` over two operands; `None` from `f` marks the record failed (it goes to the per-record
/// evaluator) unless it already has an error in `errs`. One pass writes every value (a
/// placeholder where `f` fails) without a branch per record; only when some record failed does a
/// second pass (`f` is pure) find which.
pub(super) fn try_zip_args<A: Copy, B: Copy, T: Default + Clone + Pooled>(
    a: &Arg<'_, A>,
    b: &Arg<'_, B>,
    n: usize,
    errs: &Errs,
    f: impl Fn(A, B) -> Option<T>,
) -> (Buf<T>, Vec<usize>) {
    let mut bad = false;
    let mut value = |r: Option<T>| match r {
        Some(v) => v,
        None => {
            bad = true;
            T::default()
        }
    };
    let out: Buf<T> = match (a, b) {
        (Arg::Each(x), Arg::Each(y)) => x
            .iter()
            .zip(y.iter())
            .map(|(x, y)| value(f(*x, *y)))
            .collect(),
        (Arg::Each(x), Arg::One(c)) => x.iter().map(|x| value(f(*x, *c))).collect(),
        (Arg::One(c), Arg::Each(y)) => y.iter().map(|y| value(f(*c, *y))).collect(),
        (Arg::One(c), Arg::One(d)) => Buf::filled(value(f(*c, *d)), n),
    };
    if !bad {
        return (out, Vec::new());
    }
    let at = |i: usize| -> Option<(A, B)> {
        let x = match a {
            Arg::Each(x) => *x.get(i)?,
            Arg::One(c) => *c,
        };
        let y = match b {
            Arg::Each(y) => *y.get(i)?,
            Arg::One(d) => *d,
        };
        Some((x, y))
    };
    let failed = (0..out.len())
        .filter(|i| !has(errs, *i) && at(*i).is_some_and(|(x, y)| f(x, y).is_none()))
        .collect();
    (out, failed)
}

/// `a op b` for an ordering operator, record by record, with `op` chosen once outside the loop;
/// `None` for the set operators.
pub(super) fn order<T: Copy>(
    op: CmpOp,
    a: &Arg<'_, T>,
    b: &Arg<'_, T>,
    n: usize,
    cmp: impl Fn(T, T) -> Ordering,
) -> Option<Buf<bool>> {
    use Ordering::{Equal, Greater, Less};
    Some(match op {
        CmpOp::Eq => zip_args(a, b, n, |x, y| cmp(x, y) == Equal),
        CmpOp::Ne => zip_args(a, b, n, |x, y| cmp(x, y) != Equal),
        CmpOp::Lt => zip_args(a, b, n, |x, y| cmp(x, y) == Less),
        CmpOp::Le => zip_args(a, b, n, |x, y| cmp(x, y) != Greater),
        CmpOp::Gt => zip_args(a, b, n, |x, y| cmp(x, y) == Greater),
        CmpOp::Ge => zip_args(a, b, n, |x, y| cmp(x, y) != Less),
        CmpOp::In | CmpOp::NotIn | CmpOp::Subset | CmpOp::Superset => return None,
    })
}
