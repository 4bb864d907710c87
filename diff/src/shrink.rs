//! Shrinking a point to a minimal witness, and finding the enumeration and 真偽 inputs that matter
//! at it (what a change is grouped by).

use crate::joint::Joint;
use crate::space::{Domain, Jv};
use onshi::value::Value;
use onshi_grammar::num::Num;

impl Joint<'_> {
    /// A minimal point for which `pred` still holds: inputs reset to their base one at a time, then
    /// amounts lowered and set members removed.
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
        p
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
