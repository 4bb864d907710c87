//! Choosing per record: `もし … ならば`, `場合`, and gathering table cells by row.

use super::arg::Arg;
use super::col::{has, merge, Col, Errs};
use super::pool::{Buf, Pooled};
use super::q::Q;
use super::{Walk, V};
use crate::ops::{fail, sets, EvalError, EvalErrorKind};
use crate::program::CExpr;
use crate::types::Type;
use crate::value::Value;
use chrono::NaiveDate;
use std::borrow::Cow;

/// A record whose branch is not chosen yet / whose choice met an error.
const OPEN: u32 = u32::MAX;
const ERR: u32 = u32::MAX - 1;

/// The error of record `i` in `errs`.
pub(super) fn error_at(errs: &[(u32, EvalError)], i: usize) -> Option<&EvalError> {
    if errs.is_empty() {
        return None;
    }
    let k = errs.binary_search_by_key(&i, |(r, _)| *r as usize).ok()?;
    errs.get(k).map(|(_, e)| e)
}

fn pick<T: Clone + Pooled>(src: &[T], idx: &[u32], placeholder: T) -> Buf<T> {
    // The rows and the placeholder last: an index past the rows is clamped to it, a select
    // rather than a jump per record.
    let padded: Vec<T> = src.iter().cloned().chain([placeholder.clone()]).collect();
    let last = src.len();
    idx.iter()
        .map(|r| {
            padded
                .get((*r as usize).min(last))
                .cloned()
                .unwrap_or_else(|| placeholder.clone())
        })
        .collect()
}

/// `src[idx[i]]` for every record `i` (`src` has one value per table row).
pub(super) fn gather(src: &Col, idx: &[u32]) -> Col {
    match src {
        Col::One(v) => Col::One(v.clone()),
        Col::Bool(s) => Col::Bool(pick(s, idx, false)),
        Col::Int(s) => Col::Int(pick(s, idx, 0)),
        Col::Num(s) => Col::Num(pick(s, idx, Q::ZERO)),
        Col::Date(s) => Col::Date(pick(s, idx, NaiveDate::MIN)),
        Col::Enum(s) => Col::Enum(pick(s, idx, 0)),
        Col::Set(s) => Col::Set(pick(s, idx, 0)),
        Col::Rows(t, s) => Col::Rows(*t, pick(s, idx, OPEN)),
        Col::Any(s) => Col::Any(pick(s, idx, Value::Absent).into_vec()),
        Col::Opt(c, p) => Col::Opt(Box::new(gather(c, idx)), pick(p, idx, false)),
        Col::Dur(s) => Col::Dur(pick(s, idx, Default::default())),
    }
}

/// For every record, the value of the branch it chose (`views[choice[i]][i]`).
fn choose<T: Clone + Pooled>(
    choice: &[u32],
    views: &[Option<Cow<'_, [T]>>],
    placeholder: T,
) -> Buf<T> {
    choice
        .iter()
        .enumerate()
        .map(|(i, c)| {
            views
                .get(*c as usize)
                .and_then(Option::as_ref)
                .and_then(|v| v.get(i))
                .cloned()
                .unwrap_or_else(|| placeholder.clone())
        })
        .collect()
}

/// [`choose`] for plain values: the first branch's values, then one pass per other branch, a
/// select rather than a jump per record (which record takes which branch is data, and
/// unpredictable); a branch of one value is not broadcast first. `blend(o, x, take)` sets `o` to
/// `x` where `take`.
fn choose_by<T: Copy + Pooled>(
    choice: &[u32],
    views: &[Option<Arg<'_, T>>],
    placeholder: T,
    blend: impl Fn(&mut T, T, bool),
) -> Buf<T> {
    let n = choice.len();
    let mut used = views
        .iter()
        .enumerate()
        .filter_map(|(k, v)| Some((k as u32, v.as_ref()?)));
    let mut out = match used.next() {
        None => return Buf::filled(placeholder, n),
        Some((_, Arg::Each(v))) => {
            let mut out: Buf<T> = v.iter().copied().collect();
            out.resize(n, placeholder);
            out
        }
        Some((_, Arg::One(x))) => Buf::filled(*x, n),
    };
    // Records that chose the first branch, or none, keep its value (a placeholder where none).
    for (k, view) in used {
        match view {
            Arg::Each(view) => {
                for ((o, c), x) in out.iter_mut().zip(choice).zip(view.iter()) {
                    blend(o, *x, *c == k);
                }
            }
            Arg::One(x) => {
                for (o, c) in out.iter_mut().zip(choice) {
                    blend(o, *x, *c == k);
                }
            }
        }
    }
    out
}

pub(super) fn choose_copy<T: Copy + Pooled>(
    choice: &[u32],
    views: &[Option<Arg<'_, T>>],
    placeholder: T,
) -> Buf<T> {
    choose_by(choice, views, placeholder, |o, x, take| {
        *o = if take { x } else { *o }
    })
}

/// [`choose_copy`] for fractions: numerator and denominator blended with masks, as a 16-byte
/// select compiles to a jump (mispredicted half the time when branches are taken at random).
pub(super) fn choose_q(choice: &[u32], views: &[Option<Arg<'_, Q>>]) -> Buf<Q> {
    choose_by(choice, views, Q::ZERO, |o, x, take| {
        // All ones where the record takes `x`.
        let m = -i64::from(take);
        *o = Q {
            n: (x.n & m) | (o.n & !m),
            d: (x.d & m) | (o.d & !m),
        };
    })
}

impl<'a> Walk<'a> {
    pub(super) fn branches(
        &mut self,
        branches: &[(CExpr, CExpr)],
        otherwise: &CExpr,
        e: &CExpr,
    ) -> V<'a> {
        if let [(c, t)] = branches {
            if let Some(v) = self.branch2(c, t, otherwise, e) {
                return v;
            }
        }
        let mut choice = vec![OPEN; self.n];
        let mut errs: Errs = Vec::new();
        let mut open = self.n;
        for (k, (c, _)) in branches.iter().enumerate() {
            if open == 0 {
                break;
            }
            let v = self.eval(c);
            let Some(b) = v.col.bools(self.n) else {
                return self.scalar(e);
            };
            if v.errs.is_empty() {
                // No errors: a select per record, and one count.
                let k = k as u32;
                for (ch, t) in choice.iter_mut().zip(b.iter()) {
                    *ch = if *ch == OPEN && *t { k } else { *ch };
                }
                open = choice.iter().filter(|c| **c == OPEN).count();
                continue;
            }
            let mut reached = Vec::new();
            for (i, (ch, t)) in choice.iter_mut().zip(b.iter()).enumerate() {
                if *ch != OPEN {
                    continue;
                }
                if let Some(err) = error_at(&v.errs, i) {
                    reached.push((i as u32, err.clone()));
                    *ch = ERR;
                    open -= 1;
                } else if *t {
                    *ch = k as u32;
                    open -= 1;
                }
            }
            errs = merge(&errs, &reached);
        }
        let last = branches.len() as u32;
        for c in choice.iter_mut() {
            *c = if *c == OPEN { last } else { *c };
        }
        let bodies: Vec<&CExpr> = branches
            .iter()
            .map(|(_, t)| t)
            .chain(std::iter::once(otherwise))
            .collect();
        self.select(e, &choice, errs, &bodies)
    }

    pub(super) fn matching(&mut self, s: &CExpr, arms: &[(u128, CExpr)], e: &CExpr) -> V<'a> {
        let v = self.eval(s);
        let Some(en) = v.col.enums(self.n) else {
            return self.scalar(e);
        };
        let mut choice = Vec::with_capacity(self.n);
        let mut none = Vec::new();
        for (i, x) in en.iter().enumerate() {
            if has(&v.errs, i) {
                choice.push(ERR);
                continue;
            }
            match sets::arm(arms, *x) {
                Some(k) => choice.push(k as u32),
                None if self.idle(i) => choice.push(ERR),
                None => {
                    choice.push(ERR);
                    none.push((
                        i as u32,
                        fail(EvalErrorKind::Internal("no match arm"), e.span),
                    ));
                }
            }
        }
        let errs = merge(&v.errs, &none);
        let bodies: Vec<&CExpr> = arms.iter().map(|(_, b)| b).collect();
        self.select(e, &choice, errs, &bodies)
    }

    /// The value of body `choice[i]` for each record `i`; a body is evaluated only when some
    /// record chose it, and its errors count only for those records.
    fn select(&mut self, e: &CExpr, choice: &[u32], errs: Errs, bodies: &[&CExpr]) -> V<'a> {
        let mut used = vec![false; bodies.len()];
        for c in choice {
            if let Some(u) = used.get_mut(*c as usize) {
                *u = true;
            }
        }
        let cols: Vec<Option<V<'a>>> = bodies
            .iter()
            .zip(&used)
            .enumerate()
            .map(|(k, (b, u))| {
                let k = k as u32;
                u.then(|| self.eval_on(b, choice.iter().map(|c| *c == k).collect()))
            })
            .collect();
        let mut reached: Errs = Vec::new();
        for (k, v) in cols.iter().enumerate() {
            for (i, err) in v.iter().flat_map(|v| v.errs.iter()) {
                if choice.get(*i as usize) == Some(&(k as u32)) {
                    reached.push((*i, err.clone()));
                }
            }
        }
        reached.sort_by_key(|(i, _)| *i);
        let errs = merge(&errs, &reached);
        if used.iter().filter(|u| **u).count() == 1 {
            if let Some(v) = cols.into_iter().flatten().next() {
                return V {
                    col: v.col,
                    errs: Cow::Owned(errs),
                };
            }
            return V::own(Col::Any(vec![Value::Absent; self.n]), errs);
        }
        let col = self.choose_col(&e.ty, choice, &cols);
        V::own(col, errs)
    }

    pub(super) fn choose_col(&self, ty: &Type, choice: &[u32], cols: &[Option<V<'a>>]) -> Col {
        let n = self.n;
        if let Some(col) = self.choose_opt(ty, choice, cols) {
            return col;
        }
        macro_rules! typed {
            ($view:ident, $variant:ident, $placeholder:expr) => {
                let views: Option<Vec<_>> = cols
                    .iter()
                    .map(|c| match c {
                        None => Some(None),
                        Some(v) => v.col.$view().map(Some),
                    })
                    .collect();
                if let Some(views) = views {
                    return Col::$variant(choose_copy(choice, &views, $placeholder));
                }
            };
        }
        match ty.strip_optional() {
            Type::Int => {
                typed!(int_arg, Int, 0);
            }
            Type::Money | Type::Ratio | Type::Decimal => {
                let views: Option<Vec<_>> = cols
                    .iter()
                    .map(|c| match c {
                        None => Some(None),
                        Some(v) => v.col.q_arg().map(Some),
                    })
                    .collect();
                if let Some(views) = views {
                    return Col::Num(choose_q(choice, &views));
                }
            }
            Type::Date => {
                typed!(date_arg, Date, NaiveDate::MIN);
            }
            Type::Bool => {
                typed!(bool_arg, Bool, false);
            }
            Type::Enum(_) => {
                typed!(enum_arg, Enum, 0);
            }
            Type::Set(_) => {
                typed!(set_arg, Set, 0);
            }
            _ => {}
        }
        let views: Vec<Option<Cow<'_, [Value]>>> = cols
            .iter()
            .map(|c| c.as_ref().map(|v| v.col.values(n, ty, self.program)))
            .collect();
        Col::Any(choose(choice, &views, Value::Absent).into_vec())
    }

    pub(super) fn field(&mut self, a: &CExpr, j: u32, e: &CExpr) -> V<'a> {
        let v = self.eval(a);
        let col = match &*v.col {
            Col::Rows(t, idx) => {
                let Some(table) = self.program.tables.get(*t as usize) else {
                    return self.internal("table slot", e);
                };
                let cells: Vec<Value> = table
                    .rows
                    .iter()
                    .map(|r| match &r.value {
                        Some(Value::Row(cells)) => {
                            cells.get(j as usize).cloned().unwrap_or(Value::Absent)
                        }
                        _ => Value::Absent,
                    })
                    .collect();
                gather(&Col::typed(cells, &Vec::new()), idx)
            }
            Col::One(Value::Row(cells)) => match cells.get(j as usize) {
                Some(c) => Col::One(c.clone()),
                None => return self.internal("row column", e),
            },
            _ => return self.scalar(e),
        };
        V::own(col, v.errs.into_owned())
    }
}
