//! 原則/例外 over a chunk: every rule's condition is a column; per record, the applicable rules
//! no other applicable rule beats give the value. Records where the winners disagree, or no rule
//! applies, go to the per-record evaluator, which words the conflict or the missing rule.

use super::col::{merge, Errs};
use super::select::error_at;
use super::{Walk, V};
use crate::ops::order::values_equal;
use crate::ops::rules::{applies, winners};
use crate::ops::sets::contains_at;
use crate::program::{CExpr, CRule};

impl<'a> Walk<'a> {
    pub(super) fn rules(&mut self, rules: &[CRule], e: &CExpr) -> V<'a> {
        let n = self.n;
        if rules.len() > 128 {
            return self.scalar(e);
        }
        // Conditions, in order: a record's first condition error is its error.
        let mut applicable = vec![0u128; n];
        let mut errs: Errs = Vec::new();
        for (k, rule) in rules.iter().enumerate() {
            let Some(c) = &rule.condition else {
                applicable
                    .iter_mut()
                    .for_each(|a| *a = applies(*a, k, true));
                continue;
            };
            let v = self.eval(c);
            let Some(b) = v.col.bools(n) else {
                return self.scalar(e);
            };
            // An earlier condition's error stays the record's error (merge keeps the first).
            errs = merge(&errs, &v.errs);
            for (a, t) in applicable.iter_mut().zip(b.iter()) {
                *a = applies(*a, k, *t);
            }
        }
        // Winners per distinct set of applicable rules (there are few: a short list searched in
        // order is cheaper than hashing every record's set).
        let mut cache: Vec<(u128, u128)> = Vec::new();
        let won: Vec<u128> = applicable
            .iter()
            .map(|a| match cache.iter().find(|(k, _)| k == a) {
                Some((_, w)) => *w,
                None => {
                    let w = winners(rules, *a);
                    if cache.len() < 16 {
                        cache.push((*a, w));
                    }
                    w
                }
            })
            .collect();
        let mut choice = Vec::with_capacity(n);
        let mut failed = Vec::new();
        for (i, w) in won.iter().enumerate() {
            if error_at(&errs, i).is_some() {
                choice.push(u32::MAX);
            } else if *w == 0 {
                // No rule applies: the per-record evaluator words it.
                choice.push(u32::MAX);
                failed.push(i);
            } else {
                choice.push(w.trailing_zeros());
            }
        }
        let mut used = vec![false; rules.len()];
        for w in won.iter().zip(&choice).filter(|(_, c)| **c != u32::MAX) {
            for (k, u) in used.iter_mut().enumerate() {
                *u |= contains_at(*w.0, k);
            }
        }
        let values: Vec<Option<V<'a>>> = rules
            .iter()
            .zip(&used)
            .map(|(r, u)| u.then(|| self.eval(&r.value)))
            .collect();
        // Records with more than one winner, or whose winner's value is an error: the
        // per-record evaluator decides (equal values, the first error, or the conflict).
        for (i, (w, c)) in won.iter().zip(choice.iter_mut()).enumerate() {
            if *c == u32::MAX {
                continue;
            }
            let erring = values
                .get(*c as usize)
                .and_then(Option::as_ref)
                .is_none_or(|v| error_at(&v.errs, i).is_some());
            if w.count_ones() > 1 && !self.same_values(rules, *w, &values, i, e) || erring {
                *c = u32::MAX;
                failed.push(i);
            }
        }
        failed.sort_unstable();
        let col = self.choose_col(&e.ty, &choice, &values);
        self.finish(e, col, failed, errs)
    }

    /// Whether every winning rule's value for record `i` is the same and none is an error.
    fn same_values(
        &self,
        rules: &[CRule],
        won: u128,
        values: &[Option<V<'a>>],
        i: usize,
        e: &CExpr,
    ) -> bool {
        let mut first = None;
        for (k, _) in rules
            .iter()
            .enumerate()
            .filter(|(k, _)| contains_at(won, *k))
        {
            let Some(Some(v)) = values.get(k) else {
                return false;
            };
            if error_at(&v.errs, i).is_some() {
                return false;
            }
            let Some(x) = v.col.value(i, &e.ty, self.program) else {
                return false;
            };
            match &first {
                None => first = Some(x),
                Some(f) if !values_equal(f, &x) => return false,
                Some(_) => {}
            }
        }
        true
    }
}
