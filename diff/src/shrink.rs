//! Shrinking a point to a minimal witness, and finding the enumeration and 真偽 inputs that matter
//! at it (what a change is grouped by).

use crate::joint::Joint;
use crate::space::{Domain, Jv};
use crate::Side;
use onshi::value::Value;
use onshi_grammar::num::Num;

impl Joint<'_> {
    /// A minimal point for which `pred` still holds: inputs reset to their base one at a time, then
    /// amounts lowered and set members removed; a value still off the search's systematic ones (a
    /// solver's model may hold an input that matters at any value it likes) then goes to a value
    /// the policies' own examples (例) give it, or such dates move together.
    pub(crate) fn shrink(
        &mut self,
        point: Vec<Jv>,
        pred: &mut dyn FnMut(&mut Self, &[Jv]) -> bool,
    ) -> Vec<Jv> {
        let mut p = point;
        let varied: Vec<usize> = (0..self.inputs.len())
            .filter(|&j| self.inputs.get(j).is_some_and(|ji| ji.varied))
            .collect();
        for _ in 0..3 {
            let mut changed = false;
            for &j in &varied {
                let Some(base) = self.inputs.get(j).map(|ji| ji.base.clone()) else {
                    continue;
                };
                if p.get(j) == Some(&base) {
                    continue;
                }
                let mut q = p.clone();
                if let Some(slot) = q.get_mut(j) {
                    *slot = base;
                }
                if pred(self, &q) {
                    p = q;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for &j in &varied {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            let Some(current) = p.get(j).and_then(|v| magnitude(&v.old)) else {
                continue;
            };
            let mut candidates: Vec<(Num, Jv)> = ji
                .pool
                .iter()
                .filter_map(|v| magnitude(&v.old).map(|m| (m, v.clone())))
                .filter(|(m, _)| *m < current)
                .collect();
            candidates.sort_by_key(|c| c.0);
            if let Some(q) = first_kept(self, &p, j, candidates.into_iter().map(|c| c.1), pred) {
                p = q;
            }
        }
        // Dates off the boundaries (from the random phases): the nearest boundary that keeps it.
        for &j in &varied {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            let Some(Value::Date(current)) = p.get(j).map(|v| v.old.clone()) else {
                continue;
            };
            if ji.pool.iter().any(|v| v.old == Value::Date(current)) {
                continue;
            }
            let mut candidates: Vec<(i64, Jv)> = ji
                .pool
                .iter()
                .filter_map(|v| match v.old {
                    Value::Date(d) => {
                        Some((d.signed_duration_since(current).num_days().abs(), v.clone()))
                    }
                    _ => None,
                })
                .collect();
            candidates.sort_by_key(|(distance, _)| *distance);
            if let Some(q) = first_kept(self, &p, j, candidates.into_iter().map(|c| c.1), pred) {
                p = q;
            }
        }
        for &j in &varied {
            let Some(domain) = self.inputs.get(j).map(|ji| ji.domain.clone()) else {
                continue;
            };
            if let Domain::Set(vs, _) = &domain {
                for k in 0..vs.len() {
                    let Some(smaller) = p.get(j).and_then(|v| domain.set_without(v, k)) else {
                        continue;
                    };
                    let mut q = p.clone();
                    if let Some(slot) = q.get_mut(j) {
                        *slot = smaller;
                    }
                    if pred(self, &q) {
                        p = q;
                    }
                }
            }
        }
        // Values no phase above brought to a systematic one (a solver's model, a random sample):
        // an example's value, else such dates moved together.
        for &j in &varied {
            if self.systematic(j, p.get(j)) {
                continue;
            }
            let candidates = self.typical(j);
            if let Some(q) = first_kept(self, &p, j, candidates.into_iter(), pred) {
                p = q;
            }
        }
        self.dates_together(p, &varied, pred)
    }

    /// Whether `v` is one of the values the search tries for input `j` (its base, the boundaries
    /// of the policies' literals, the variants): readable as it is.
    fn systematic(&self, j: usize, v: Option<&Jv>) -> bool {
        match (self.inputs.get(j), v) {
            (Some(ji), Some(v)) => ji.pool.contains(v),
            _ => true,
        }
    }

    /// Dates moved together: every date input shifted by the same number of days so that one of
    /// them lands on its base or an example's date, which keeps how the dates lie to each other (a
    /// difference that needs two dates equal, from a solver's model in 1970, moves as a whole).
    fn dates_together(
        &mut self,
        mut p: Vec<Jv>,
        varied: &[usize],
        pred: &mut dyn FnMut(&mut Self, &[Jv]) -> bool,
    ) -> Vec<Jv> {
        let date = |v: Option<&Jv>| match v {
            Some(Jv {
                old: Value::Date(a),
                new: Value::Date(b),
            }) if a == b => Some(*a),
            _ => None,
        };
        let expected = |me: &Self, j: usize| {
            let mut out: Vec<Jv> = me
                .inputs
                .get(j)
                .map(|ji| ji.base.clone())
                .into_iter()
                .collect();
            out.extend(me.typical(j));
            out
        };
        // The dates off every value a reader expects: those the model chose.
        let dated: Vec<usize> = varied
            .iter()
            .copied()
            .filter(|&j| date(p.get(j)).is_some() && !self.systematic(j, p.get(j)))
            .filter(|&j| p.get(j).is_some_and(|v| !expected(self, j).contains(v)))
            .collect();
        if dated.len() < 2 {
            return p;
        }
        for &j in &dated {
            let expected = expected(self, j);
            if p.get(j).is_some_and(|v| expected.contains(v)) {
                continue;
            }
            for target in expected {
                let (Some(from), Some(to)) = (date(p.get(j)), date(Some(&target))) else {
                    continue;
                };
                let shift = to.signed_duration_since(from);
                let mut q = p.clone();
                for &k in &dated {
                    let moved = date(q.get(k)).and_then(|d| d.checked_add_signed(shift));
                    if let (Some(d), Some(slot)) = (moved, q.get_mut(k)) {
                        *slot = Jv::same(Value::Date(d));
                    }
                }
                if pred(self, &q) {
                    p = q;
                    break;
                }
            }
        }
        p
    }

    /// The values the examples of either edition (old first) give input `j`, when both sides read
    /// them alike (all but enumerations and sets, which each side numbers its own way).
    fn typical(&self, j: usize) -> Vec<Jv> {
        let Some(ji) = self.inputs.get(j) else {
            return Vec::new();
        };
        let mut out: Vec<Jv> = Vec::new();
        for side in [Side::Old, Side::New] {
            let Some(i) = ji.index(side) else {
                continue;
            };
            for ex in self.program(side).examples() {
                for (id, v) in &ex.given {
                    let same = !matches!(v, Value::Enum(_) | Value::Set(_));
                    let jv = Jv::same(v.clone());
                    if id.index() == i && same && !out.contains(&jv) {
                        out.push(jv);
                    }
                }
            }
        }
        out
    }

    /// The enumeration and 真偽 inputs that matter at `w`: for each, the values that keep `pred`,
    /// when some value does not.
    pub(crate) fn conditions(
        &mut self,
        w: &[Jv],
        pred: &mut dyn FnMut(&mut Self, &[Jv]) -> bool,
    ) -> Vec<(usize, Vec<Jv>)> {
        let mut out = Vec::new();
        for j in 0..self.inputs.len() {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            if !ji.varied || !ji.domain.groups_by() {
                continue;
            }
            let values = ji.pool.clone();
            let mut keep = Vec::new();
            for v in &values {
                let mut q = w.to_vec();
                if let Some(slot) = q.get_mut(j) {
                    *slot = v.clone();
                }
                if pred(self, &q) {
                    keep.push(v.clone());
                }
            }
            if keep.len() < values.len() {
                out.push((j, keep));
            }
        }
        out
    }
}

/// The size of a number, for shrinking toward smaller amounts.
/// `p` with input `j` set to the first of `candidates` for which `pred` still holds.
fn first_kept<J>(
    joint: &mut J,
    p: &[Jv],
    j: usize,
    candidates: impl Iterator<Item = Jv>,
    pred: &mut dyn FnMut(&mut J, &[Jv]) -> bool,
) -> Option<Vec<Jv>> {
    for v in candidates {
        let mut q = p.to_vec();
        if let Some(slot) = q.get_mut(j) {
            *slot = v;
        }
        if pred(joint, &q) {
            return Some(q);
        }
    }
    None
}

fn magnitude(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::from_int(i128::from(*i).abs())),
        Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => {
            if n.signum() < 0 {
                n.checked_neg()
            } else {
                Some(*n)
            }
        }
        _ => None,
    }
}
