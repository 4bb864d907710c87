//! Typed views of any column for the typed loops: a typed column as it is, one value repeated,
//! and a column of [`Value`]s (optional values, the branches of `もし … そうでなければ 未設定`,
//! 原則/例外 over optional values) read value by value. A record whose value has not the view's
//! type — an absent value where the node needs one, a placeholder — is *odd*: the loop leaves it
//! to the per-record evaluator ([`Walk::finish`](super::Walk::finish)), which gives its value or
//! its error. So a view never guesses a value.

use super::col::{has, merge, Col, Errs};
use crate::ops::EvalError;
use crate::value::Value;
use chrono::NaiveDate;
use onshi_grammar::literal::Duration;
use std::borrow::Cow;

/// The values of a column as `T`, and the records (ascending) whose value is not a `T`.
pub(super) struct View<'c, T: Clone> {
    pub vals: Cow<'c, [T]>,
    pub odd: Vec<usize>,
}

impl<'c, T: Copy + Default> View<'c, T> {
    /// A view of `col`: `typed` borrows a typed column; `of` reads one value. `None` when the
    /// column holds values of another type (the node then has no typed loop here).
    fn of(
        col: &'c Col,
        n: usize,
        typed: impl Fn(&'c Col) -> Option<Cow<'c, [T]>>,
        of: impl Fn(&Value) -> Option<T>,
    ) -> Option<View<'c, T>> {
        if let Some(vals) = typed(col) {
            return Some(View {
                vals,
                odd: Vec::new(),
            });
        }
        match col {
            // Absent records are odd: the per-record evaluator gives their value or error.
            Col::Opt(c, p) => Some(View {
                vals: typed(c)?,
                odd: p
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| !**p)
                    .map(|(i, _)| i)
                    .collect(),
            }),
            Col::One(v) => Some(View {
                vals: Cow::Owned(vec![of(v)?; n]),
                odd: Vec::new(),
            }),
            Col::Any(values) => {
                let mut vals = Vec::with_capacity(values.len());
                let mut odd = Vec::new();
                for (i, v) in values.iter().enumerate() {
                    match of(v) {
                        Some(x) => vals.push(x),
                        None if *v == Value::Absent => {
                            vals.push(T::default());
                            odd.push(i);
                        }
                        None => return None,
                    }
                }
                Some(View {
                    vals: Cow::Owned(vals),
                    odd,
                })
            }
            _ => None,
        }
    }
}

pub(super) fn dates(col: &Col, n: usize) -> Option<View<'_, NaiveDate>> {
    View::of(
        col,
        n,
        |c| c.dates(n),
        |v| match v {
            Value::Date(d) => Some(*d),
            _ => None,
        },
    )
}

pub(super) fn ints(col: &Col, n: usize) -> Option<View<'_, i64>> {
    View::of(
        col,
        n,
        |c| c.ints(n),
        |v| match v {
            Value::Int(i) => Some(*i),
            _ => None,
        },
    )
}

pub(super) fn enums(col: &Col, n: usize) -> Option<View<'_, u32>> {
    View::of(
        col,
        n,
        |c| c.enums(n),
        |v| match v {
            Value::Enum(e) => Some(*e),
            _ => None,
        },
    )
}

pub(super) fn durations(col: &Col, n: usize) -> Option<View<'_, Duration>> {
    View::of(
        col,
        n,
        |_| None,
        |v| match v {
            Value::Duration(d) => Some(*d),
            _ => None,
        },
    )
}

/// Whether some record is odd in one of `odds`.
fn any_odd(odds: &[&[usize]]) -> bool {
    odds.iter().any(|o| !o.is_empty())
}

/// `mask[i]`: record `i` is odd in one of `odds`.
fn odd_mask(n: usize, odds: &[&[usize]]) -> Vec<bool> {
    let mut mask = vec![false; n];
    for i in odds.iter().flat_map(|o| o.iter()) {
        if let Some(m) = mask.get_mut(*i) {
            *m = true;
        }
    }
    mask
}

/// Whether record `i` is idle under `active` (the records whose value is read; `None`: all).
#[inline]
fn idle(active: Option<&[bool]>, i: usize) -> bool {
    active.is_some_and(|a| !a.get(i).copied().unwrap_or(false))
}

/// `f` over one view: the values, and the records the loop leaves to the per-record evaluator
/// (odd, or `f` gave `None`) that have no error yet. `f` is not called for odd records, nor for
/// the records `active` says are idle (they get a placeholder and are never sent on).
pub(super) fn map1<A: Copy + Default, T: Default>(
    a: &View<'_, A>,
    errs: &Errs,
    active: Option<&[bool]>,
    f: impl Fn(A) -> Option<T>,
) -> (Vec<T>, Vec<usize>) {
    let mut out = Vec::with_capacity(a.vals.len());
    let mut failed = Vec::new();
    let mask = any_odd(&[&a.odd]).then(|| odd_mask(a.vals.len(), &[&a.odd]));
    for (i, x) in a.vals.iter().enumerate() {
        if idle(active, i) {
            out.push(T::default());
            continue;
        }
        let odd = mask
            .as_ref()
            .is_some_and(|m| m.get(i).copied().unwrap_or(true));
        match (!odd).then(|| f(*x)).flatten() {
            Some(v) => out.push(v),
            None => {
                out.push(T::default());
                if !has(errs, i) {
                    failed.push(i);
                }
            }
        }
    }
    (out, failed)
}

/// `f` over two views element by element, as [`map1`].
pub(super) fn map2<A: Copy + Default, B: Copy + Default, T: Default>(
    a: &View<'_, A>,
    b: &View<'_, B>,
    errs: &Errs,
    active: Option<&[bool]>,
    f: impl Fn(A, B) -> Option<T>,
) -> (Vec<T>, Vec<usize>) {
    let n = a.vals.len().min(b.vals.len());
    let mut out = Vec::with_capacity(n);
    let mut failed = Vec::new();
    let odds: [&[usize]; 2] = [&a.odd, &b.odd];
    let mask = any_odd(&odds).then(|| odd_mask(n, &odds));
    for (i, (x, y)) in a.vals.iter().zip(b.vals.iter()).enumerate() {
        if idle(active, i) {
            out.push(T::default());
            continue;
        }
        let odd = mask
            .as_ref()
            .is_some_and(|m| m.get(i).copied().unwrap_or(true));
        match (!odd).then(|| f(*x, *y)).flatten() {
            Some(v) => out.push(v),
            None => {
                out.push(T::default());
                if !has(errs, i) {
                    failed.push(i);
                }
            }
        }
    }
    (out, failed)
}

/// `first`'s errors, then `later`'s for records `first` has none for, as [`merge`] gives them;
/// moved out of an owned side rather than copied when the other side has none (errors flow up a
/// chain of nodes without a copy per node). Both sides are left empty or as they were.
pub(super) fn take_merged(
    first: &mut Cow<'_, [(u32, EvalError)]>,
    later: &mut Cow<'_, [(u32, EvalError)]>,
) -> Errs {
    if later.is_empty() {
        return std::mem::take(first).into_owned();
    }
    if first.is_empty() {
        return std::mem::take(later).into_owned();
    }
    merge(first, later)
}
