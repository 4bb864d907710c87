//! Lane selection: a node inside a branch is evaluated for the whole chunk, but only the records
//! that take the branch (the *active* lanes) read its value. The others are *idle*: a loop leaves
//! them a placeholder, gives them no error (an absent optional input in a branch guarded by
//! `が ある` is not an error for records that do not take it) and sends none of them to the
//! per-record evaluator. Their values and errors are never read: [`Walk::select`] takes each
//! record's value and errors from the branch it chose, and `と`/`または` read their right side
//! only for the records the left side leaves open — exactly the records made active there.

use super::col::{has, Col, Errs};
use super::{Walk, V};
use crate::program::CExpr;
use crate::value::Value;

impl<'a> Walk<'a> {
    /// Whether record `i`'s value of the current node is never read.
    #[inline]
    pub(super) fn idle(&self, i: usize) -> bool {
        self.active
            .as_ref()
            .is_some_and(|a| !a.get(i).copied().unwrap_or(false))
    }

    /// [`Col::typed`], where idle records may hold anything too.
    pub(super) fn typed(&self, values: Vec<Value>, errs: &Errs) -> Col {
        Col::typed_opt_by(values, |i| has(errs, i) || self.idle(i))
    }

    /// Evaluates `e` with only the records `take[i]` (among those already active) active.
    pub(super) fn eval_on(&mut self, e: &CExpr, mut take: Vec<bool>) -> V<'a> {
        take.resize(self.n, false);
        if let Some(active) = &self.active {
            for (t, a) in take.iter_mut().zip(active) {
                *t &= *a;
            }
        }
        if !take.contains(&false) {
            return self.eval(e);
        }
        let mask = take;
        let outer = self.active.replace(mask);
        let v = self.eval(e);
        self.active = outer;
        v
    }
}
