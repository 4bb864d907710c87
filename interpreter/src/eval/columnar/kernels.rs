//! Typed loops for operators and built-ins. Each handles the common column types by calling the
//! scalar definitions of [`crate::ops`] on typed values (`i64`, ordinals, masks, dates), or the
//! small-fraction fast path ([`Q`], the same operations as [`onshi_grammar::num::Num`]'s), and
//! sends every other record to the per-record path ([`Walk::scalar`] / [`Walk::finish`]).

use super::arg::{order, try_zip_args, zip_args, Arg};
use super::col::{has, merge, Col, Errs};
use super::extreme::{pick_best, pick_best_q};
use super::plain::{plain, PLAIN_DEPTH};
use super::pool::{Buf, Pooled};
use super::q::Q;
use super::select::error_at;
use super::view::{self, take_merged};
use super::{Walk, V};
use crate::builtins::{Builtin, Imp};
use crate::ops::arith::{self, widen};
use crate::ops::{fail, sets, EvalErrorKind};
use crate::program::{Arith, CExpr};
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::CmpOp;
use std::borrow::Cow;
use std::cmp::Ordering;

fn is_num(t: &Type) -> bool {
    matches!(t, Type::Money | Type::Ratio | Type::Decimal)
}

/// `f` over two columns element by element; `None` from `f` marks the record failed unless it
/// already has an error.
fn zip_with<A: Copy, B: Copy, T: Default + Pooled>(
    a: &[A],
    b: &[B],
    errs: &Errs,
    f: impl Fn(A, B) -> Option<T>,
) -> (Buf<T>, Vec<usize>) {
    let mut out = Buf::with_capacity(a.len());
    let mut failed = Vec::new();
    for (i, (x, y)) in a.iter().zip(b).enumerate() {
        match f(*x, *y) {
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

impl<'a> Walk<'a> {
    pub(super) fn widen(&mut self, a: &CExpr, e: &CExpr) -> V<'a> {
        let v = self.eval(a);
        match &*v.col {
            Col::Int(x) => {
                let out = x.iter().map(|i| Q::int(*i)).collect();
                V::own(Col::Num(out), v.errs.into_owned())
            }
            Col::Num(_) => v,
            Col::One(x) => match widen(x, &e.ty) {
                Some(w) => V::own(Col::One(w), v.errs.into_owned()),
                None => self.scalar(e),
            },
            _ => self.scalar(e),
        }
    }

    pub(super) fn unwrap(&mut self, a: &CExpr, e: &CExpr) -> V<'a> {
        let mut v = self.eval(a);
        if matches!(&*v.col, Col::Opt(..)) {
            return self.unwrap_opt(v, e);
        }
        let vals = match &*v.col {
            Col::Any(vals) => vals,
            Col::One(Value::Absent) => return self.scalar(e),
            _ => return v,
        };
        let used = |i: usize| {
            let err = fail(EvalErrorKind::Internal("absent value used"), e.span);
            (i as u32, err)
        };
        // Dates, whole numbers and enumerations straight into their typed column: the absent
        // values are the view's odd records.
        let n = self.n;
        let typed = match Self::ty(e) {
            Type::Date => view::dates(&v.col, n).map(|w| (Col::Date(w.vals.into()), w.odd)),
            Type::Int => view::ints(&v.col, n).map(|w| (Col::Int(w.vals.into()), w.odd)),
            Type::Enum(_) => view::enums(&v.col, n).map(|w| (Col::Enum(w.vals.into()), w.odd)),
            _ => None,
        };
        if let Some((col, odd)) = typed {
            let mut absent: Errs = Vec::with_capacity(odd.len());
            let live = |i: &usize| !has(&v.errs, *i) && !self.idle(*i);
            absent.extend(odd.into_iter().filter(live).map(used));
            return V::own(col, take_merged(&mut v.errs, &mut Cow::Owned(absent)));
        }
        let absent: Errs = vals
            .iter()
            .enumerate()
            .filter(|(i, x)| **x == Value::Absent && !has(&v.errs, *i) && !self.idle(*i))
            .map(|(i, _)| used(i))
            .collect();
        let errs = merge(&v.errs, &absent);
        let col = self.typed(vals.clone(), &errs);
        V::own(col, errs)
    }

    pub(super) fn neg(&mut self, a: &CExpr, e: &CExpr) -> V<'a> {
        let v = self.eval(a);
        let errs = v.errs.into_owned();
        if *Self::ty(e) == Type::Int {
            if let Some(x) = v.col.ints(self.n) {
                let (out, failed) = zip_with(&x, &x, &errs, |p, _| arith::int_neg(p));
                return self.finish(e, Col::Int(out), failed, errs);
            }
        }
        if is_num(Self::ty(e)) {
            if let Some(x) = v.col.qs(self.n) {
                let (out, failed) = zip_with(&x, &x, &errs, |p, _| p.neg());
                return self.finish(e, Col::Num(out), failed, errs);
            }
        }
        self.scalar(e)
    }

    /// `と` (`and` = true) and `または`: the right side counts only for records the left side
    /// does not decide.
    pub(super) fn logic(&mut self, a: &CExpr, b: &CExpr, and: bool, e: &CExpr) -> V<'a> {
        let mut x = self.eval(a);
        let Some(p) = x.col.bools(self.n) else {
            return self.scalar(e);
        };
        let open = |i: usize, v: bool| v == and && !has(&x.errs, i);
        if !p.iter().enumerate().any(|(i, v)| open(i, *v)) {
            return V::own(Col::Bool(p.into()), x.errs.into_owned());
        }
        let y = if plain(b, PLAIN_DEPTH) {
            // Cheap and total for every record: computed for all, read for the open ones.
            self.eval(b)
        } else {
            let mut take: Vec<bool> = p.iter().map(|v| *v == and).collect();
            for (i, _) in x.errs.iter() {
                if let Some(t) = take.get_mut(*i as usize) {
                    *t = false;
                }
            }
            self.eval_on(b, take)
        };
        let Some(q) = y.col.bools(self.n) else {
            return self.scalar(e);
        };
        let out = p
            .iter()
            .zip(q.iter())
            .map(|(p, q)| if and { *p && *q } else { *p || *q })
            .collect();
        let reached: Errs = y
            .errs
            .iter()
            .filter(|(i, _)| p.get(*i as usize).is_some_and(|v| open(*i as usize, *v)))
            .cloned()
            .collect();
        V::own(
            Col::Bool(out),
            take_merged(&mut x.errs, &mut Cow::Owned(reached)),
        )
    }

    pub(super) fn arith(&mut self, op: Arith, a: &CExpr, b: &CExpr, e: &CExpr) -> V<'a> {
        let (mut x, mut y) = (self.eval(a), self.eval(b));
        let errs = take_merged(&mut x.errs, &mut y.errs);
        let n = self.n;
        if *Self::ty(e) == Type::Int {
            if let (Some(p), Some(q)) = (x.col.int_arg(), y.col.int_arg()) {
                let (out, failed) = try_zip_args(&p, &q, n, &errs, |p, q| arith::int(op, p, q));
                return self.finish(e, Col::Int(out), failed, errs);
            }
        } else if is_num(Self::ty(e)) {
            if let (Some(p), Some(q)) = (x.col.q_arg(), y.col.q_arg()) {
                // The operator chosen once per node, not per record.
                let (out, failed) = match op {
                    Arith::Add => try_zip_args(&p, &q, n, &errs, Q::add),
                    Arith::Sub => try_zip_args(&p, &q, n, &errs, Q::sub),
                    Arith::Mul => try_zip_args(&p, &q, n, &errs, Q::mul),
                    Arith::Div => try_zip_args(&p, &q, n, &errs, Q::div),
                };
                return self.finish(e, Col::Num(out), failed, errs);
            }
        }
        if let Some(v) = self.date_arith(op, (a, &x), (b, &y), &errs, e) {
            return v;
        }
        self.scalar(e)
    }

    pub(super) fn compare(&mut self, op: CmpOp, a: &CExpr, b: &CExpr, e: &CExpr) -> V<'a> {
        let (mut x, mut y) = (self.eval(a), self.eval(b));
        let errs = take_merged(&mut x.errs, &mut y.errs);
        let n = self.n;
        let (cx, cy) = (&*x.col, &*y.col);
        let out: Option<Buf<bool>> = match op {
            CmpOp::In | CmpOp::NotIn => match (cx.enum_arg(), cy.set_arg()) {
                // A constant set: the answer for each ordinal looked up in a table of 128.
                (Some(Arg::Each(p)), Some(Arg::One(s))) => {
                    let want = op == CmpOp::In;
                    let table: [bool; 128] =
                        std::array::from_fn(|v| sets::contains_at(s, v) == want);
                    Some(
                        p.iter()
                            .map(|v| table.get(*v as usize).copied().unwrap_or(!want))
                            .collect(),
                    )
                }
                (Some(p), Some(q)) => {
                    let want = op == CmpOp::In;
                    Some(zip_args(&p, &q, n, |v, s| sets::contains(s, v) == want))
                }
                _ => None,
            },
            CmpOp::Subset | CmpOp::Superset => match (cx.sets(n), cy.sets(n)) {
                (Some(p), Some(q)) => Some(
                    p.iter()
                        .zip(q.iter())
                        .map(|(a, b)| match op {
                            CmpOp::Subset => sets::subset(*a, *b),
                            _ => sets::superset(*a, *b),
                        })
                        .collect(),
                ),
                _ => None,
            },
            // Each operand a column or one value (a constant is not broadcast), `op` chosen
            // once per node.
            _ => {
                let equality = matches!(op, CmpOp::Eq | CmpOp::Ne);
                if let (Some(p), Some(q)) = (cx.int_arg(), cy.int_arg()) {
                    order(op, &p, &q, n, |a, b| a.cmp(&b))
                } else if let (Some(p), Some(q)) = (cx.q_arg(), cy.q_arg()) {
                    order(op, &p, &q, n, Q::cmp)
                } else if let (Some(p), Some(q)) = (cx.date_arg(), cy.date_arg()) {
                    order(op, &p, &q, n, |a, b| a.cmp(&b))
                } else if !equality {
                    None
                } else if let (Some(p), Some(q)) = (cx.enum_arg(), cy.enum_arg()) {
                    order(op, &p, &q, n, |a, b| a.cmp(&b))
                } else if let (Some(p), Some(q)) = (cx.bool_arg(), cy.bool_arg()) {
                    order(op, &p, &q, n, |a, b| a.cmp(&b))
                } else if let (Some(p), Some(q)) = (cx.set_arg(), cy.set_arg()) {
                    order(op, &p, &q, n, |a, b| a.cmp(&b))
                } else {
                    None
                }
            }
        };
        if let Some(out) = out {
            return V::own(Col::Bool(out), errs);
        }
        match self.compare_views(op, &x, &y, &errs, e) {
            Some(v) => v,
            None => self.scalar(e),
        }
    }

    pub(super) fn call(&mut self, b: &Builtin, args: &[CExpr], e: &CExpr) -> V<'a> {
        let n = self.n;
        match b.imp {
            Imp::Extreme { wanted } => {
                let cols: Vec<V> = args.iter().map(|a| self.eval(a)).collect();
                let errs = cols.iter().fold(Vec::new(), |acc, v| merge(&acc, &v.errs));
                let better = |o: Ordering| o == wanted;
                let ty = Self::ty(e);
                if *ty == Type::Int {
                    if let Some(views) = cols
                        .iter()
                        .map(|v| v.col.ints(n))
                        .collect::<Option<Vec<_>>>()
                    {
                        let out = pick_best(&views, n, |a, b| better(a.cmp(b)));
                        return V::own(Col::Int(out), errs);
                    }
                } else if is_num(ty) {
                    if let Some(views) =
                        cols.iter().map(|v| v.col.qs(n)).collect::<Option<Vec<_>>>()
                    {
                        let out = pick_best_q(&views, n, wanted);
                        return V::own(Col::Num(out), errs);
                    }
                } else if *ty == Type::Date {
                    if let Some(views) = cols
                        .iter()
                        .map(|v| v.col.dates(n))
                        .collect::<Option<Vec<_>>>()
                    {
                        let out = pick_best(&views, n, |a, b| better(a.cmp(b)));
                        return V::own(Col::Date(out), errs);
                    }
                }
                self.scalar(e)
            }
            Imp::Round(mode) if is_num(Self::ty(e)) => {
                let (Some(a0), Some(a1)) = (args.first(), args.get(1)) else {
                    return self.scalar(e);
                };
                let (mut x, mut unit) = (self.eval(a0), self.eval(a1));
                let errs = take_merged(&mut x.errs, &mut unit.errs);
                match (x.col.q_arg(), unit.col.q_arg()) {
                    (Some(p), Some(u)) => {
                        let (out, failed) = try_zip_args(&p, &u, n, &errs, |p, u| p.round(u, mode));
                        self.finish(e, Col::Num(out), failed, errs)
                    }
                    _ => self.scalar(e),
                }
            }
            Imp::Count => {
                let Some(a0) = args.first() else {
                    return self.scalar(e);
                };
                let x = self.eval(a0);
                match x.col.sets(n) {
                    Some(s) => {
                        // Sets of up to 8 variants (most enumerations): counted by a table.
                        let narrow = s.iter().fold(0u128, |acc, m| acc | m) < 256;
                        let out = if narrow {
                            let table = sets::count8_table();
                            let count = |m: u128| table.get(m as u8 as usize).copied();
                            s.iter()
                                .map(|m| i64::from(count(*m).unwrap_or(0)))
                                .collect()
                        } else {
                            s.iter().map(|m| sets::count(*m)).collect()
                        };
                        V::own(Col::Int(out), x.errs.into_owned())
                    }
                    None => self.scalar(e),
                }
            }
            Imp::Contains => {
                let (Some(a0), Some(a1)) = (args.first(), args.get(1)) else {
                    return self.scalar(e);
                };
                let (mut x, mut y) = (self.eval(a0), self.eval(a1));
                let errs = take_merged(&mut x.errs, &mut y.errs);
                match (x.col.sets(n), y.col.enums(n)) {
                    (Some(s), Some(v)) => {
                        let out = s
                            .iter()
                            .zip(v.iter())
                            .map(|(m, i)| sets::contains(*m, *i))
                            .collect();
                        V::own(Col::Bool(out), errs)
                    }
                    _ => self.scalar(e),
                }
            }
            Imp::OrDefault => self.or_default(args, e),
            // The holiday calendar walks dates one at a time: no typed loop gains anything.
            Imp::Round(_) | Imp::Holiday | Imp::HolidayBusinessDays => self.scalar(e),
            Imp::Date(_) | Imp::DateInt(_) | Imp::DatePeriod(_) => {
                match self.date_call(b.imp, args, e) {
                    Some(v) => v,
                    None => self.scalar(e),
                }
            }
        }
    }

    /// `既定値(x, d)`: `d` counts only for records where `x` is absent.
    fn or_default(&mut self, args: &[CExpr], e: &CExpr) -> V<'a> {
        let (Some(a0), Some(a1)) = (args.first(), args.get(1)) else {
            return self.scalar(e);
        };
        let x = self.eval(a0);
        if matches!(&*x.col, Col::Opt(..)) {
            return self.or_default_opt(x, a1, e);
        }
        let absent: Vec<usize> = match &*x.col {
            Col::Any(vals) => vals
                .iter()
                .enumerate()
                .filter(|(i, v)| **v == Value::Absent && !has(&x.errs, *i) && !self.idle(*i))
                .map(|(i, _)| i)
                .collect(),
            Col::One(Value::Absent) => (0..self.n)
                .filter(|i| !has(&x.errs, *i) && !self.idle(*i))
                .collect(),
            _ => return x,
        };
        if absent.is_empty() {
            return x;
        }
        let d = self.eval(a1);
        if let Some(v) = self.or_default_typed(&x, &d, &absent, e) {
            return v;
        }
        let mut values = x.col.values(self.n, &e.ty, self.program).into_owned();
        let mut reached = Vec::new();
        for i in absent {
            if let Ok(k) = d.errs.binary_search_by_key(&i, |(r, _)| *r as usize) {
                reached.extend(d.errs.get(k).cloned());
            } else if let (Some(slot), Some(v)) =
                (values.get_mut(i), d.col.value(i, &e.ty, self.program))
            {
                *slot = v;
            }
        }
        let errs = merge(&x.errs, &reached);
        let col = self.typed(values, &errs);
        V::own(col, errs)
    }

    /// `既定値(x, d)` for dates, whole numbers and enumerations: `x`'s values with `d`'s in the
    /// `absent` records, straight into a typed column; `None` when a record would take an absent
    /// `d` (the result then holds absent values) or the columns are not of the type.
    fn or_default_typed(&self, x: &V<'a>, d: &V<'a>, absent: &[usize], e: &CExpr) -> Option<V<'a>> {
        let n = self.n;
        macro_rules! fill {
            ($view:path, $variant:ident) => {{
                let (xv, dv) = ($view(&x.col, n)?, $view(&d.col, n)?);
                if dv.odd.iter().any(|i| !has(&d.errs, *i)) {
                    return None;
                }
                let mut out: Buf<_> = xv.vals.into();
                let mut reached = Vec::new();
                for &i in absent {
                    if let Some(err) = error_at(&d.errs, i) {
                        reached.push((i as u32, err.clone()));
                    } else if let (Some(slot), Some(v)) = (out.get_mut(i), dv.vals.get(i)) {
                        *slot = *v;
                    }
                }
                Some(V::own(Col::$variant(out), merge(&x.errs, &reached)))
            }};
        }
        match Self::ty(e) {
            Type::Date => fill!(view::dates, Date),
            Type::Int => fill!(view::ints, Int),
            Type::Enum(_) => fill!(view::enums, Enum),
            _ => None,
        }
    }

    pub(super) fn set_of(&mut self, items: &[CExpr], e: &CExpr) -> V<'a> {
        let mut out = Buf::filled(0u128, self.n);
        let mut errs = Vec::new();
        for item in items {
            let v = self.eval(item);
            if let Some(en) = v.col.enums(self.n) {
                for (o, x) in out.iter_mut().zip(en.iter()) {
                    match sets::with(*o, *x) {
                        Some(m) => *o = m,
                        // An ordinal no set holds: the per-record path reports it.
                        None => return self.scalar(e),
                    }
                }
            } else if let Some(s) = v.col.sets(self.n) {
                for (o, x) in out.iter_mut().zip(s.iter()) {
                    *o = sets::union(*o, *x);
                }
            } else {
                return self.scalar(e);
            }
            errs = merge(&errs, &v.errs);
        }
        V::own(Col::Set(out), errs)
    }
}
