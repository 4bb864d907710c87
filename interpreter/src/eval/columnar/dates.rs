//! Typed loops for dates: date ± period, the days between two dates, the date built-ins
//! ([`Imp::Date`], [`Imp::DateInt`], [`Imp::DatePeriod`]: `翌日`, `営業日後`, `満了日`, …) and comparisons of columns read through
//! [`view`]s. Each calls the scalar definition in [`crate::ops::dates`]; a record whose result that
//! definition refuses (a date out of range, an overflow) or whose operand is odd goes to the
//! per-record evaluator, which reports it.

use super::col::{Col, Errs};
use super::view::{self, map1, map2};
use super::{Walk, V};
use crate::builtins::Imp;
use crate::ops::dates;
use crate::ops::order::holds;
use crate::program::{Arith, CExpr};
use crate::types::Type;
use onshi_grammar::ast::CmpOp;
use std::cmp::Ordering;

impl<'a> Walk<'a> {
    /// `a op b` over dates and periods (`x`, `y` are their columns, `errs` their records' errors);
    /// `None` when the operands are not dates and periods.
    pub(super) fn date_arith(
        &mut self,
        op: Arith,
        (a, x): (&CExpr, &V<'a>),
        (b, y): (&CExpr, &V<'a>),
        errs: &Errs,
        e: &CExpr,
    ) -> Option<V<'a>> {
        let n = self.n;
        let sign = if op == Arith::Sub { -1 } else { 1 };
        let (out, failed) = match (Self::ty(a), Self::ty(b), Self::ty(e)) {
            (Type::Date, Type::Duration, Type::Date) if matches!(op, Arith::Add | Arith::Sub) => {
                let (d, p) = (view::dates(&x.col, n)?, view::durations(&y.col, n)?);
                map2(&d, &p, errs, self.active.as_deref(), |d, p| {
                    dates::shift(d, p, sign)
                })
            }
            (Type::Duration, Type::Date, Type::Date) if op == Arith::Add => {
                let (p, d) = (view::durations(&x.col, n)?, view::dates(&y.col, n)?);
                map2(&p, &d, errs, self.active.as_deref(), |p, d| {
                    dates::shift(d, p, 1)
                })
            }
            (Type::Date, Type::Date, Type::Int) if op == Arith::Sub => {
                let (p, q) = (view::dates(&x.col, n)?, view::dates(&y.col, n)?);
                let (out, failed) = map2(&p, &q, errs, self.active.as_deref(), |p, q| {
                    Some(dates::days_between(p, q))
                });
                return Some(self.finish(e, Col::Int(out), failed, errs.clone()));
            }
            _ => return None,
        };
        Some(self.finish(e, Col::Date(out), failed, errs.clone()))
    }

    /// A date built-in over a chunk; `None` for the other built-ins.
    pub(super) fn date_call(&mut self, imp: Imp, args: &[CExpr], e: &CExpr) -> Option<V<'a>> {
        let n = self.n;
        let one = match imp {
            Imp::Date(f) => f,
            Imp::DateInt(_) | Imp::DatePeriod(_) => {
                let (a0, a1) = (args.first()?, args.get(1)?);
                let (mut x, mut y) = (self.eval(a0), self.eval(a1));
                let errs = view::take_merged(&mut x.errs, &mut y.errs);
                let d = view::dates(&x.col, n)?;
                let (out, failed) = match imp {
                    Imp::DateInt(f) => map2(
                        &d,
                        &view::ints(&y.col, n)?,
                        &errs,
                        self.active.as_deref(),
                        f,
                    ),
                    Imp::DatePeriod(f) => map2(
                        &d,
                        &view::durations(&y.col, n)?,
                        &errs,
                        self.active.as_deref(),
                        f,
                    ),
                    _ => return None,
                };
                return Some(self.finish(e, Col::Date(out), failed, errs));
            }
            _ => return None,
        };
        let x = self.eval(args.first()?);
        let errs = x.errs.into_owned();
        let (out, failed) = map1(&view::dates(&x.col, n)?, &errs, self.active.as_deref(), one);
        Some(self.finish(e, Col::Date(out), failed, errs))
    }

    /// An ordering comparison of two columns read through views (dates, whole numbers, or
    /// enumerations for `=`/`≠`), for columns the plain typed loops do not take (values of an
    /// optional type, branches with `未設定`); `None` when neither fits.
    pub(super) fn compare_views(
        &mut self,
        op: CmpOp,
        x: &V<'a>,
        y: &V<'a>,
        errs: &Errs,
        e: &CExpr,
    ) -> Option<V<'a>> {
        let n = self.n;
        let test = |ord: Ordering| holds(op, ord);
        holds(op, Ordering::Equal)?;
        let (out, failed) =
            if let (Some(p), Some(q)) = (view::dates(&x.col, n), view::dates(&y.col, n)) {
                map2(&p, &q, errs, self.active.as_deref(), |a, b| test(a.cmp(&b)))
            } else if let (Some(p), Some(q)) = (view::ints(&x.col, n), view::ints(&y.col, n)) {
                map2(&p, &q, errs, self.active.as_deref(), |a, b| test(a.cmp(&b)))
            } else if matches!(op, CmpOp::Eq | CmpOp::Ne) {
                let (p, q) = (view::enums(&x.col, n)?, view::enums(&y.col, n)?);
                map2(&p, &q, errs, self.active.as_deref(), |a, b| test(a.cmp(&b)))
            } else {
                return None;
            };
        Some(self.finish(e, Col::Bool(out), failed, errs.clone()))
    }
}
