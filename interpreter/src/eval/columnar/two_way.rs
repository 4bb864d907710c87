//! A two-way `もし c ならば t そうでなければ f` whose condition has no error: each record's
//! choice is the condition's value itself, and one pass picks each record's value.

use super::arg::Arg;
use super::col::{merge, Col, Errs};
use super::plain::{plain, PLAIN_DEPTH};
use super::pool::{Buf, Pooled};
use super::q::Q;
use super::{Walk, V};
use crate::program::CExpr;
use crate::types::Type;

/// Sets `o` to `x` where `take`.
fn take_copy<T: Copy>(o: &mut T, x: T, take: bool) {
    *o = if take { x } else { *o };
}

/// `take[i] ? x[i] : y[i]` for every record, in one pass (`blend(o, x, take)` sets `o` to `x`
/// where `take`).
fn select2<T: Copy + Pooled>(
    take: &[bool],
    x: &Arg<'_, T>,
    y: &Arg<'_, T>,
    blend: impl Fn(&mut T, T, bool),
) -> Buf<T> {
    let pick = |t: &bool, x: T, mut y: T| {
        blend(&mut y, x, *t);
        y
    };
    match (x, y) {
        (Arg::Each(x), Arg::Each(y)) => take
            .iter()
            .zip(x.iter())
            .zip(y.iter())
            .map(|((t, x), y)| pick(t, *x, *y))
            .collect(),
        (Arg::Each(x), Arg::One(y)) => take
            .iter()
            .zip(x.iter())
            .map(|(t, x)| pick(t, *x, *y))
            .collect(),
        (Arg::One(x), Arg::Each(y)) => take
            .iter()
            .zip(y.iter())
            .map(|(t, y)| pick(t, *x, *y))
            .collect(),
        (Arg::One(x), Arg::One(y)) => take.iter().map(|t| pick(t, *x, *y)).collect(),
    }
}

impl<'a> Walk<'a> {
    /// `もし c ならば t そうでなければ f` when `c` has no error: each record's choice is `c`'s
    /// value itself, the two bodies are evaluated (a body that is [`plain`] for all records,
    /// another for the records that take it), and a typed column picks per record. `None` when
    /// `c` has errors or is not a truth value (the general path then decides).
    pub(super) fn branch2(&mut self, c: &CExpr, t: &CExpr, f: &CExpr, e: &CExpr) -> Option<V<'a>> {
        let v = self.eval(c);
        if !v.errs.is_empty() {
            return None;
        }
        let b = match v.col.bool_arg()? {
            Arg::One(b) => return Some(self.eval(if b { t } else { f })),
            Arg::Each(b) => b,
        };
        if !b.contains(&false) {
            return Some(self.eval(t));
        }
        if !b.contains(&true) {
            return Some(self.eval(f));
        }
        let x = if plain(t, PLAIN_DEPTH) {
            self.eval(t)
        } else {
            self.eval_on(t, b.to_vec())
        };
        let y = if plain(f, PLAIN_DEPTH) {
            self.eval(f)
        } else {
            self.eval_on(f, b.iter().map(|t| !t).collect())
        };
        // Each body's errors for the records that take it.
        let took = |i: &u32, want: bool| b.get(*i as usize) == Some(&want);
        let ex: Errs = x
            .errs
            .iter()
            .filter(|(i, _)| took(i, true))
            .cloned()
            .collect();
        let ey: Errs = y
            .errs
            .iter()
            .filter(|(i, _)| took(i, false))
            .cloned()
            .collect();
        let errs = merge(&ex, &ey);
        let (cx, cy) = (&*x.col, &*y.col);
        let col = match Self::ty(e) {
            Type::Money | Type::Ratio | Type::Decimal => match (cx.q_arg(), cy.q_arg()) {
                (Some(p), Some(q)) => Some(Col::Num(select2(&b, &p, &q, |o: &mut Q, x, t| {
                    *o = o.or_take(x, t)
                }))),
                _ => None,
            },
            Type::Int => cx
                .int_arg()
                .zip(cy.int_arg())
                .map(|(p, q)| Col::Int(select2(&b, &p, &q, take_copy))),
            Type::Date => cx
                .date_arg()
                .zip(cy.date_arg())
                .map(|(p, q)| Col::Date(select2(&b, &p, &q, take_copy))),
            Type::Bool => cx
                .bool_arg()
                .zip(cy.bool_arg())
                .map(|(p, q)| Col::Bool(select2(&b, &p, &q, take_copy))),
            Type::Enum(_) => cx
                .enum_arg()
                .zip(cy.enum_arg())
                .map(|(p, q)| Col::Enum(select2(&b, &p, &q, take_copy))),
            Type::Set(_) => cx
                .set_arg()
                .zip(cy.set_arg())
                .map(|(p, q)| Col::Set(select2(&b, &p, &q, take_copy))),
            _ => None,
        };
        let col = match col {
            Some(col) => col,
            None => {
                let choice: Vec<u32> = b.iter().map(|t| u32::from(!t)).collect();
                self.choose_col(&e.ty, &choice, &[Some(x), Some(y)])
            }
        };
        Some(V::own(col, errs))
    }
}
