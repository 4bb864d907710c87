//! Typed views of any column for the typed loops: a typed column as it is, one value repeated,
//! an optional column's typed values (its absent records odd), and a column of [`Value`]s read
//! value by value. A record whose value has not the view's
//! type — an absent value where the node needs one, a placeholder — is *odd*: the loop leaves it
//! to the per-record evaluator ([`Walk::finish`](super::Walk::finish)), which gives its value or
//! its error. So a view never guesses a value.

use super::col::{has, merge, Col, Errs};
use super::pool::{Buf, Pooled};
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
        |c| c.durs(n),
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

/// What a loop does with each record: computes it (`LIVE`), leaves it a placeholder (`IDLE`: its
/// value is never read), or sends it to the per-record evaluator (`ODD`); `None`: all live.
const LIVE: u8 = 0;
const IDLE: u8 = 1;
const ODD: u8 = 2;

fn states(n: usize, odds: &[&[usize]], active: Option<&[bool]>) -> Option<Vec<u8>> {
    if active.is_none() && !any_odd(odds) {
        return None;
    }
    let mut state = match active {
        Some(a) => {
            let mut s: Vec<u8> = a.iter().map(|a| if *a { LIVE } else { IDLE }).collect();
            s.resize(n, IDLE);
            s
        }
        None => vec![LIVE; n],
    };
    for i in odds.iter().flat_map(|o| o.iter()) {
        if let Some(s) = state.get_mut(*i) {
            *s = if *s == IDLE { IDLE } else { ODD };
        }
    }
    Some(state)
}

/// `g(i)` for every record under `state`: the values, and the records left to the per-record
/// evaluator (odd, or `g` gave `None`) that have no error yet.
fn run<T: Default + Pooled>(
    n: usize,
    state: Option<Vec<u8>>,
    errs: &Errs,
    g: impl Fn(usize) -> Option<T>,
) -> (Buf<T>, Vec<usize>) {
    let mut out = Buf::with_capacity(n);
    let mut failed = Vec::new();
    let mut put = |i: usize, r: Option<T>| match r {
        Some(v) => out.push(v),
        None => {
            out.push(T::default());
            if !has(errs, i) {
                failed.push(i);
            }
        }
    };
    match state {
        None => (0..n).for_each(|i| put(i, g(i))),
        Some(state) => {
            for (i, s) in state.iter().enumerate().take(n) {
                match *s {
                    LIVE => put(i, g(i)),
                    ODD => put(i, None),
                    // Idle: a placeholder, never sent on.
                    _ => put(i, Some(T::default())),
                }
            }
        }
    }
    (out, failed)
}

/// `f` over one view: the values, and the records the loop leaves to the per-record evaluator
/// (odd, or `f` gave `None`) that have no error yet. `f` is not called for odd records, nor for
/// the records `active` says are idle (they get a placeholder and are never sent on).
pub(super) fn map1<A: Copy + Default, T: Default + Pooled>(
    a: &View<'_, A>,
    errs: &Errs,
    active: Option<&[bool]>,
    f: impl Fn(A) -> Option<T>,
) -> (Buf<T>, Vec<usize>) {
    let n = a.vals.len();
    let state = states(n, &[&a.odd], active);
    run(n, state, errs, |i| a.vals.get(i).and_then(|x| f(*x)))
}

/// `f` over two views element by element, as [`map1`].
pub(super) fn map2<A: Copy + Default, B: Copy + Default, T: Default + Pooled>(
    a: &View<'_, A>,
    b: &View<'_, B>,
    errs: &Errs,
    active: Option<&[bool]>,
    f: impl Fn(A, B) -> Option<T>,
) -> (Buf<T>, Vec<usize>) {
    let n = a.vals.len().min(b.vals.len());
    let state = states(n, &[&a.odd, &b.odd], active);
    run(n, state, errs, |i| match (a.vals.get(i), b.vals.get(i)) {
        (Some(x), Some(y)) => f(*x, *y),
        _ => None,
    })
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
