//! Table lookups over a chunk: rows are tried in order, each row filtering the records still
//! without a row by one typed loop per key cell. A record reads a key only where a row it reaches
//! has a cell for it, as in the per-record evaluator, so key errors count the same way.

use super::col::{has, Col, Errs};
use super::select::{error_at, gather};
use super::{Walk, V};
use crate::ops::order::{holds, matches};
use crate::ops::sets;
use crate::program::{CExpr, Matcher};
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::{CmpOp, Span};
use std::cmp::Ordering;

/// `cand` keeps the records whose key satisfies `m` (or sends them to `errs` when testing it is
/// an error).
struct Filter<'c> {
    cand: &'c mut Vec<u32>,
    errs: &'c mut Errs,
    done: &'c mut [bool],
}

impl Filter<'_> {
    fn keep(&mut self, mut f: impl FnMut(usize) -> bool) {
        self.cand.retain(|i| f(*i as usize));
    }
}

/// The ordering test a matcher makes against one constant (`None`: not a single comparison).
fn single(m: &Matcher) -> Option<(CmpOp, &Value)> {
    match m {
        Matcher::Eq(x) => Some((CmpOp::Eq, x)),
        Matcher::Cmp(op, x) if holds(*op, Ordering::Equal).is_some() => Some((*op, x)),
        _ => None,
    }
}

impl<'a> Walk<'a> {
    pub(super) fn lookup(&mut self, t: u32, args: &[CExpr], e: &CExpr) -> V<'a> {
        let program = self.program;
        let Some(table) = program.tables.get(t as usize) else {
            return self.internal("table slot", e);
        };
        if table.rows.iter().any(|r| r.value.is_none()) {
            return self.scalar(e);
        }
        let n = self.n;
        let keys: Vec<V<'a>> = args.iter().map(|a| self.eval(a)).collect();
        if let Some(row_of) = self.dense(t, &keys) {
            // Only the first key may have errors there, and every record reads it first.
            let errs = keys.first().map(|k| k.errs.to_vec()).unwrap_or_default();
            return V::own(result(program, t, table.single, row_of), errs);
        }
        let mut row_of = vec![u32::MAX; n];
        let mut pending: Vec<u32> = (0..n as u32).collect();
        let mut done = vec![false; n];
        let mut errs: Errs = Vec::new();
        let mut cand = Vec::with_capacity(n);
        for (r, row) in table.rows.iter().enumerate() {
            if pending.is_empty() {
                break;
            }
            cand.clear();
            cand.extend_from_slice(&pending);
            for (k, m) in row.keys.iter().enumerate() {
                if matches!(m, Matcher::Any) {
                    continue;
                }
                let (Some(key), Some(column)) = (keys.get(k), table.keys.get(k)) else {
                    return self.internal("table key", e);
                };
                let mut f = Filter {
                    cand: &mut cand,
                    errs: &mut errs,
                    done: &mut done,
                };
                if !key.errs.is_empty() {
                    f.cand.retain(|i| match error_at(&key.errs, *i as usize) {
                        Some(err) => {
                            f.errs.push((*i, err.clone()));
                            if let Some(d) = f.done.get_mut(*i as usize) {
                                *d = true;
                            }
                            false
                        }
                        None => true,
                    });
                }
                self.filter(&key.col, &column.ty, m, &mut f, e.span);
            }
            for &i in &cand {
                if let (Some(slot), Some(d)) =
                    (row_of.get_mut(i as usize), done.get_mut(i as usize))
                {
                    *slot = r as u32;
                    *d = true;
                }
            }
            pending.retain(|i| !done.get(*i as usize).copied().unwrap_or(true));
        }
        errs.sort_by_key(|(i, _)| *i);
        let col = result(program, t, table.single, row_of);
        // Records no row matched: the per-record evaluator words the error (it reads every key).
        let failed = pending.iter().map(|i| *i as usize).collect();
        self.finish(e, col, failed, errs)
    }

    /// A table whose keys are enumerations and whole numbers compared with constants, looked up
    /// by one index: each key value becomes a digit (an enumeration's ordinal; for a number, which
    /// of the intervals between the rows' constants it falls in, where every row's test is the
    /// same for the whole interval), and each combination of digits holds the first row that
    /// matches it. Built per chunk. `None` — the row scan then decides — when a key is of another
    /// type, the combinations are too many, or an active record matches no row (an idle one is
    /// left without a row); or when a key has errors, except the first key when the first row has
    /// a cell for it: every record then reads that key first, so a record whose first key is an
    /// error gets that error (the caller adds it).
    fn dense(&self, t: u32, keys: &[V<'a>]) -> Option<Vec<u32>> {
        let program = self.program;
        let table = program.tables.get(t as usize)?;
        let n = self.n;
        let mut digits: Vec<Digits> = Vec::with_capacity(keys.len());
        let read_first = table
            .rows
            .first()
            .and_then(|r| r.keys.first())
            .is_some_and(|m| !matches!(m, Matcher::Any));
        for (k, (key, column)) in keys.iter().zip(&table.keys).enumerate() {
            let errs_allowed = k == 0 && read_first;
            if !key.errs.is_empty() && !errs_allowed {
                return None;
            }
            let cells = table.rows.iter().map(|r| r.keys.get(k));
            digits.push(match column.ty {
                Type::Enum(e) => {
                    let size = program.enums.get(e.0 as usize)?.variants.len().min(128);
                    Digits::Enum(key.col.enums(n)?, size)
                }
                Type::Int => Digits::Int(key.col.ints(n)?, bounds(cells)?),
                _ => return None,
            });
        }
        let sizes: Vec<usize> = digits.iter().map(Digits::size).collect();
        let slots = sizes
            .iter()
            .try_fold(1usize, |acc, s| acc.checked_mul(*s))
            .filter(|s| *s <= 4096)?;
        // The first matching row of every combination (u32::MAX: none).
        let mut index = vec![u32::MAX; slots];
        let mut values = Vec::with_capacity(digits.len());
        for (slot, entry) in index.iter_mut().enumerate() {
            let mut rest = slot;
            values.clear();
            for (d, size) in digits.iter().zip(&sizes).rev() {
                values.push(d.representative(rest % size));
                rest /= size;
            }
            values.reverse();
            if values.iter().any(Option::is_none) {
                continue;
            }
            for (r, row) in table.rows.iter().enumerate() {
                let mut hit = true;
                for (m, v) in row.keys.iter().zip(values.iter().flatten()) {
                    hit &= matches(m, v, Span::default()).ok()?;
                }
                if hit {
                    *entry = u32::try_from(r).ok()?;
                    break;
                }
            }
        }
        // The first key's digits start the codes (no zeroed column first).
        let mut parts = digits.iter().zip(&sizes);
        let mut code = match parts.next() {
            Some((d, size)) => d.first(*size, n)?,
            None => vec![0usize; n],
        };
        for (d, size) in parts {
            d.shift_in(&mut code, *size)?;
        }
        let row_of: Vec<u32> = code
            .iter()
            .map(|c| index.get(*c).copied().unwrap_or(u32::MAX))
            .collect();
        if !row_of.contains(&u32::MAX) {
            return Some(row_of);
        }
        let failing = keys.first().map_or(&[][..], |k| &k.errs[..]);
        let unmatched = row_of
            .iter()
            .enumerate()
            .any(|(i, r)| *r == u32::MAX && !has(failing, i) && !self.idle(i));
        (!unmatched).then_some(row_of)
    }

    /// Keeps the candidates whose value of key column `col` (of type `ty`) matches `m`.
    fn filter(&self, col: &Col, ty: &Type, m: &Matcher, f: &mut Filter<'_>, span: Span) {
        let n = self.n;
        match m {
            Matcher::Any => return,
            Matcher::OneOf(mask) => {
                if let Some(en) = col.enums(n) {
                    f.keep(|i| en.get(i).is_some_and(|v| sets::contains(*mask, *v)));
                    return;
                }
            }
            Matcher::Range(lo, hi) => {
                // `lo..hi` is `≥ lo` and `≤ hi`, as `matches` tests it.
                let inside = |o1: Ordering, o2: Ordering| {
                    holds(CmpOp::Ge, o1).unwrap_or(false) && holds(CmpOp::Le, o2).unwrap_or(false)
                };
                if let (Some(v), Value::Int(a), Value::Int(b)) = (col.ints(n), lo, hi) {
                    f.keep(|i| v.get(i).is_some_and(|x| inside(x.cmp(a), x.cmp(b))));
                    return;
                }
                if let (Some(v), Value::Date(a), Value::Date(b)) = (col.dates(n), lo, hi) {
                    f.keep(|i| v.get(i).is_some_and(|x| inside(x.cmp(a), x.cmp(b))));
                    return;
                }
            }
            _ => {}
        }
        if let Some((op, x)) = single(m) {
            let test = |o: Ordering| holds(op, o).unwrap_or(false);
            match x {
                Value::Int(c) => {
                    if let Some(v) = col.ints(n) {
                        f.keep(|i| v.get(i).is_some_and(|x| test(x.cmp(c))));
                        return;
                    }
                }
                Value::Date(c) => {
                    if let Some(v) = col.dates(n) {
                        f.keep(|i| v.get(i).is_some_and(|x| test(x.cmp(c))));
                        return;
                    }
                }
                Value::Enum(c) if matches!(op, CmpOp::Eq | CmpOp::Ne) => {
                    if let Some(v) = col.enums(n) {
                        f.keep(|i| v.get(i).is_some_and(|x| test(x.cmp(c))));
                        return;
                    }
                }
                _ => {}
            }
        }
        // Every other matcher and column: value by value, as the per-record evaluator does.
        let program = self.program;
        let Filter { cand, errs, done } = f;
        cand.retain(|i| {
            let v = col.value(*i as usize, ty, program).unwrap_or(Value::Absent);
            match matches(m, &v, span) {
                Ok(b) => b,
                Err(err) => {
                    errs.push((*i, err));
                    if let Some(d) = done.get_mut(*i as usize) {
                        *d = true;
                    }
                    false
                }
            }
        });
    }
}

/// The lookup's column: the single result of each record's row, or the rows themselves.
fn result(program: &crate::program::Program, t: u32, single: bool, row_of: Vec<u32>) -> Col {
    if !single {
        return Col::Rows(t, row_of.into());
    }
    let values: Vec<Value> = program
        .tables
        .get(t as usize)
        .map(|table| {
            table
                .rows
                .iter()
                .map(|r| r.value.clone().unwrap_or(Value::Absent))
                .collect()
        })
        .unwrap_or_default();
    gather(&Col::typed(values, &Vec::new()), &row_of)
}

/// One key's digits for [`Walk::dense`].
enum Digits<'c> {
    /// Ordinals, and the number of variants.
    Enum(std::borrow::Cow<'c, [u32]>, usize),
    /// Values, and the sorted points where some row's test changes.
    Int(std::borrow::Cow<'c, [i64]>, Vec<i64>),
}

impl Digits<'_> {
    fn size(&self) -> usize {
        match self {
            Digits::Enum(_, size) => *size,
            Digits::Int(_, bounds) => bounds.len() + 1,
        }
    }

    /// A value with digit `d` (`None`: no value has it).
    fn representative(&self, d: usize) -> Option<Value> {
        match self {
            Digits::Enum(..) => u32::try_from(d).ok().map(Value::Enum),
            Digits::Int(_, bounds) => match d.checked_sub(1) {
                None => match bounds.first() {
                    Some(b) => b.checked_sub(1).map(Value::Int),
                    None => Some(Value::Int(0)),
                },
                Some(k) => bounds.get(k).copied().map(Value::Int),
            },
        }
    }

    /// Every record's digit (`n` records), as [`Digits::shift_in`] on codes of 0.
    fn first(&self, size: usize, n: usize) -> Option<Vec<usize>> {
        match self {
            Digits::Enum(v, _) => {
                // One check for the whole column, not a branch per record.
                let mut bad = false;
                let code: Vec<usize> = v
                    .iter()
                    .map(|x| {
                        let x = *x as usize;
                        bad |= x >= size;
                        x
                    })
                    .collect();
                (!bad).then_some(code)
            }
            Digits::Int(..) => {
                let mut code = vec![0usize; n];
                self.shift_in(&mut code, size)?;
                Some(code)
            }
        }
    }

    /// `code = code × size + digit` for every record.
    fn shift_in(&self, code: &mut [usize], size: usize) -> Option<()> {
        match self {
            Digits::Enum(v, _) => {
                let mut bad = false;
                for (c, x) in code.iter_mut().zip(v.iter()) {
                    let x = *x as usize;
                    bad |= x >= size;
                    // A bad digit fails the whole column below: wrapping only keeps it from
                    // trapping first.
                    *c = c.wrapping_mul(size).wrapping_add(x);
                }
                if bad {
                    return None;
                }
            }
            // The number of points at or below the value (the points are sorted): counted without
            // a branch when they are few, by binary search otherwise.
            Digits::Int(v, bounds) if bounds.len() == 1 => {
                let b = bounds.first().copied().unwrap_or(i64::MAX);
                for (c, x) in code.iter_mut().zip(v.iter()) {
                    *c = *c * size + usize::from(b <= *x);
                }
            }
            Digits::Int(v, bounds) if bounds.len() <= 8 => {
                for (c, x) in code.iter_mut().zip(v.iter()) {
                    let below = bounds.iter().map(|b| usize::from(b <= x)).sum::<usize>();
                    *c = *c * size + below;
                }
            }
            Digits::Int(v, bounds) => {
                for (c, x) in code.iter_mut().zip(v.iter()) {
                    *c = *c * size + bounds.partition_point(|b| b <= x);
                }
            }
        }
        Some(())
    }
}

/// The points where a whole-number key's cells change their answer: `None` when a cell is not a
/// comparison with a whole-number constant.
fn bounds<'m>(cells: impl Iterator<Item = Option<&'m Matcher>>) -> Option<Vec<i64>> {
    let mut out = Vec::new();
    for cell in cells {
        match cell? {
            Matcher::Any => {}
            Matcher::Eq(Value::Int(c)) => {
                out.extend([Some(*c), c.checked_add(1)].into_iter().flatten())
            }
            Matcher::Cmp(op, Value::Int(c)) => match op {
                CmpOp::Lt | CmpOp::Ge => out.push(*c),
                CmpOp::Le | CmpOp::Gt => out.extend(c.checked_add(1)),
                CmpOp::Eq | CmpOp::Ne => {
                    out.extend([Some(*c), c.checked_add(1)].into_iter().flatten())
                }
                _ => return None,
            },
            Matcher::Range(Value::Int(lo), Value::Int(hi)) => {
                out.extend([Some(*lo), hi.checked_add(1)].into_iter().flatten())
            }
            _ => return None,
        }
    }
    out.sort_unstable();
    out.dedup();
    (out.len() < 64).then_some(out)
}
