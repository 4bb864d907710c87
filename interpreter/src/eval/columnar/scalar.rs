//! The per-record path of the columnar evaluator: a node evaluated record by record by the
//! per-record evaluator ([`crate::eval`]'s `Frame`), reading the chunk's input and definition
//! columns. Used for nodes without a typed loop and for the records a typed loop cannot answer
//! exactly, so both evaluators share one definition of every operation.

use super::col::{has, merge, Col, Errs};
use super::{Walk, V};
use crate::eval::{DefResults, Frame, NoTrace};
use crate::ops::R;
use crate::program::{CExpr, CKind, DefId};
use crate::value::Value;

impl<'a> Walk<'a> {
    /// Node `e` for every record, by the per-record evaluator.
    pub(super) fn scalar(&mut self, e: &CExpr) -> V<'a> {
        let mut at = Scalar::new(self, e);
        let mut values = Vec::with_capacity(self.n);
        let mut errs = Vec::new();
        for i in 0..self.n {
            if self.idle(i) {
                values.push(Value::Absent);
                continue;
            }
            match at.eval(self, e, i) {
                Ok(v) => values.push(v),
                Err(err) => {
                    values.push(Value::Absent);
                    errs.push((i as u32, err));
                }
            }
        }
        let col = self.typed(values, &errs);
        V::own(col, errs)
    }

    /// Ends a typed loop over node `e`: `col` holds every record's value except those in
    /// `failed` (records the loop could not answer exactly), which get theirs from the
    /// per-record evaluator; `errs` are the records that already have an error.
    pub(super) fn finish(&mut self, e: &CExpr, col: Col, failed: Vec<usize>, errs: Errs) -> V<'a> {
        if failed.iter().all(|i| self.idle(*i)) {
            return V::own(col, errs);
        }
        let mut at = Scalar::new(self, e);
        let mut values = col.values(self.n, &e.ty, self.program).into_owned();
        let mut new_errs = Vec::new();
        for i in failed {
            if self.idle(i) {
                continue;
            }
            match at.eval(self, e, i) {
                Ok(v) => {
                    if let Some(slot) = values.get_mut(i) {
                        *slot = v;
                    }
                }
                Err(err) => new_errs.push((i as u32, err)),
            }
        }
        new_errs.sort_by_key(|(i, _)| *i);
        let errs = merge(&errs, &new_errs);
        V::own(self.typed(values, &errs), errs)
    }
}

/// The inputs and definitions one node reads, and reusable per-record buffers for them.
struct Scalar {
    inputs: Vec<u32>,
    defs: Vec<u32>,
    input_buf: Vec<Value>,
    def_buf: DefResults,
}

impl Scalar {
    fn new(walk: &Walk, e: &CExpr) -> Scalar {
        let mut s = Scalar {
            inputs: Vec::new(),
            defs: Vec::new(),
            input_buf: vec![Value::Absent; walk.program.inputs.len()],
            def_buf: vec![None; walk.program.defs.len()],
        };
        s.refs(walk, e);
        s.inputs.sort_unstable();
        s.inputs.dedup();
        s.defs.sort_unstable();
        s.defs.dedup();
        s
    }

    fn refs(&mut self, walk: &Walk, e: &CExpr) {
        match &e.kind {
            CKind::Input(i) => self.inputs.push(i.0),
            CKind::Def(d) => self.defs.push(d.0),
            CKind::Lookup(t, _) => {
                let rows = walk.program.tables.get(t.0 as usize).map(|t| &t.rows);
                for cell in rows.into_iter().flatten().flat_map(|r| &r.results) {
                    self.refs(walk, cell);
                }
            }
            _ => {}
        }
        e.for_each_child(|c| self.refs(walk, c));
    }

    /// Node `e` for record `i`.
    fn eval(&mut self, walk: &Walk, e: &CExpr, i: usize) -> R {
        let p = walk.program;
        for &k in &self.inputs {
            let (Some(col), Some(input), Some(slot)) = (
                walk.inputs.get(k as usize),
                p.inputs.get(k as usize),
                self.input_buf.get_mut(k as usize),
            ) else {
                continue;
            };
            *slot = col.value(i, &input.ty, p).unwrap_or(Value::Absent);
        }
        for &d in &self.defs {
            let (Some(Some((col, errs))), Some(def), Some(slot)) = (
                walk.defs.get(d as usize),
                p.defs.get(d as usize),
                self.def_buf.get_mut(d as usize),
            ) else {
                continue;
            };
            *slot = if has(errs, i) {
                errs.iter()
                    .find(|(r, _)| *r as usize == i)
                    .map(|(_, err)| Err(err.clone()))
            } else {
                col.value(i, &def.ty, p).map(Ok)
            };
        }
        Frame::new(
            p,
            &self.input_buf,
            &mut self.def_buf,
            Some(DefId(walk.current)),
            NoTrace,
        )
        .eval(e)
    }
}
