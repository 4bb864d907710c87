//! The points to evaluate: every combination of the discrete inputs (or every pair of their
//! values), the boundaries of the others crossed with them, the extremes, then random samples.

use crate::joint::Joint;
use crate::rng::Rng;
use crate::space::Jv;
use crate::Options;
use onshi::eval::order_values;
use onshi::value::Value;
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashSet};

impl Joint<'_> {
    /// The points to evaluate, in order: phases 1 to 4 of the crate documentation, without
    /// repeats.
    pub(crate) fn points(&self, opts: &Options) -> Vec<Vec<Jv>> {
        let mut rng = Rng(opts.seed);
        let base = self.base_point();
        let varied: Vec<usize> = (0..self.inputs.len())
            .filter(|&j| self.inputs.get(j).is_some_and(|ji| ji.varied))
            .collect();
        let (discrete, continuous): (Vec<usize>, Vec<usize>) = varied
            .iter()
            .partition(|&&j| self.inputs.get(j).is_some_and(|ji| ji.domain.is_discrete()));
        let pool = |j: usize| self.inputs.get(j).map_or(&[][..], |ji| &ji.pool[..]);
        let sizes: Vec<usize> = discrete.iter().map(|&j| pool(j).len().max(1)).collect();
        let product = sizes
            .iter()
            .try_fold(1usize, |acc, s| acc.checked_mul(*s))
            .unwrap_or(usize::MAX);
        let rows: Vec<Vec<usize>> = if product <= (opts.budget / 4).max(1) {
            odometer(&sizes)
        } else {
            pairwise(&sizes, &mut rng)
        };
        let combos: Vec<Vec<Jv>> = rows
            .iter()
            .map(|row| {
                let mut p = base.clone();
                for (&j, &v) in discrete.iter().zip(row.iter()) {
                    if let (Some(slot), Some(val)) = (p.get_mut(j), pool(j).get(v)) {
                        *slot = val.clone();
                    }
                }
                p
            })
            .collect();
        let random_point = |rng: &mut Rng| -> Vec<Jv> {
            let mut p = base.clone();
            for &j in &varied {
                if let (Some(slot), Some(ji)) = (p.get_mut(j), self.inputs.get(j)) {
                    *slot = ji.domain.random(rng, &self.space);
                }
            }
            p
        };

        let mut out: Vec<Vec<Jv>> = Vec::new();
        let mut seen: HashSet<Vec<Jv>> = HashSet::new();
        let mut push = |p: Vec<Jv>, out: &mut Vec<Vec<Jv>>| {
            if seen.insert(p.clone()) {
                out.push(p);
            }
        };
        // 1. every combination of the discrete inputs (or every pair of their values)
        for c in &combos {
            push(c.clone(), &mut out);
        }
        // 2. the boundaries of every amount, date and integer, crossed with the combinations
        let boundaries: Vec<(usize, &Jv)> = continuous
            .iter()
            .flat_map(|&j| pool(j).iter().skip(1).map(move |v| (j, v)))
            .collect();
        let half = (opts.budget / 2).max(1);
        if combos.len().saturating_mul(boundaries.len()) <= half {
            for (j, v) in &boundaries {
                for c in &combos {
                    let mut p = c.clone();
                    if let Some(slot) = p.get_mut(*j) {
                        *slot = (*v).clone();
                    }
                    push(p, &mut out);
                }
            }
        } else if !boundaries.is_empty() {
            let k = (half / boundaries.len()).max(1);
            for (b, (j, v)) in boundaries.iter().enumerate() {
                for c in 0..k {
                    let mut p = if c % 2 == 0 && !combos.is_empty() {
                        let at = (b.wrapping_mul(k).wrapping_add(c / 2)) % combos.len();
                        combos.get(at).cloned().unwrap_or_else(|| base.clone())
                    } else {
                        random_point(&mut rng)
                    };
                    if let Some(slot) = p.get_mut(*j) {
                        *slot = (*v).clone();
                    }
                    push(p, &mut out);
                }
            }
        }
        // 3. every amount and date at its largest, and at its smallest, boundary
        let extremes = (opts.budget / 8).max(1);
        for (n, c) in combos.iter().enumerate().take(extremes) {
            for high in [true, false] {
                let mut p = c.clone();
                for &j in &continuous {
                    let candidates: Vec<&Jv> =
                        pool(j).iter().filter(|v| v.old != Value::Absent).collect();
                    let pick = if high {
                        candidates.iter().max_by(|a, b| order(&a.old, &b.old))
                    } else {
                        candidates.iter().min_by(|a, b| order(&a.old, &b.old))
                    };
                    if let (Some(slot), Some(v)) = (p.get_mut(j), pick) {
                        *slot = (*v).clone();
                    }
                }
                if n % 2 == 0 || high {
                    push(p, &mut out);
                }
            }
        }
        // 4. random samples
        for _ in 0..opts.samples {
            push(random_point(&mut rng), &mut out);
        }
        out
    }
}

/// Every combination of `sizes` (the last index fastest).
pub(crate) fn odometer(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut row = vec![0usize; sizes.len()];
    loop {
        out.push(row.clone());
        let mut k = sizes.len();
        loop {
            if k == 0 {
                return out;
            }
            k -= 1;
            let (Some(slot), Some(&size)) = (row.get_mut(k), sizes.get(k)) else {
                return out;
            };
            *slot += 1;
            if *slot < size {
                break;
            }
            *slot = 0;
        }
    }
}

/// A greedy covering array: rows in which every pair of values of any two dimensions appears.
pub(crate) fn pairwise(sizes: &[usize], rng: &mut Rng) -> Vec<Vec<usize>> {
    let n = sizes.len();
    let size = |i: usize| sizes.get(i).copied().unwrap_or(1);
    let mut uncovered: BTreeSet<(usize, usize, usize, usize)> = BTreeSet::new();
    for a in 0..n {
        for b in a + 1..n {
            for va in 0..size(a) {
                for vb in 0..size(b) {
                    uncovered.insert((a, va, b, vb));
                }
            }
        }
    }
    let mut rows = Vec::new();
    if n < 2 {
        return odometer(sizes);
    }
    while let Some(&(a, va, b, vb)) = uncovered.iter().next() {
        let mut best: Option<(usize, Vec<usize>)> = None;
        for _ in 0..16 {
            let mut row: Vec<Option<usize>> = vec![None; n];
            if let Some(s) = row.get_mut(a) {
                *s = Some(va);
            }
            if let Some(s) = row.get_mut(b) {
                *s = Some(vb);
            }
            let mut order: Vec<usize> = (0..n).filter(|&i| i != a && i != b).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for &i in &order {
                let mut best_v = rng.below(size(i));
                let mut best_gain = 0usize;
                for v in 0..size(i) {
                    let gain = row
                        .iter()
                        .enumerate()
                        .filter_map(|(k, x)| x.map(|x| (k, x)))
                        .filter(|&(k, x)| {
                            let key = if k < i { (k, x, i, v) } else { (i, v, k, x) };
                            uncovered.contains(&key)
                        })
                        .count();
                    if gain > best_gain {
                        best_gain = gain;
                        best_v = v;
                    }
                }
                if let Some(s) = row.get_mut(i) {
                    *s = Some(best_v);
                }
            }
            let full: Vec<usize> = row.iter().map(|x| x.unwrap_or(0)).collect();
            let mut covered = 0;
            for x in 0..n {
                for y in x + 1..n {
                    if let (Some(&vx), Some(&vy)) = (full.get(x), full.get(y)) {
                        if uncovered.contains(&(x, vx, y, vy)) {
                            covered += 1;
                        }
                    }
                }
            }
            if best.as_ref().is_none_or(|(c, _)| covered > *c) {
                best = Some((covered, full));
            }
        }
        let Some((_, row)) = best else {
            break;
        };
        for x in 0..n {
            for y in x + 1..n {
                if let (Some(&vx), Some(&vy)) = (row.get(x), row.get(y)) {
                    uncovered.remove(&(x, vx, y, vy));
                }
            }
        }
        uncovered.remove(&(a, va, b, vb));
        rows.push(row);
    }
    rows
}

fn order(a: &Value, b: &Value) -> Ordering {
    order_values(a, b).unwrap_or(Ordering::Equal)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairwise_covers_every_pair() {
        let sizes = [3, 4, 2, 5];
        let rows = pairwise(&sizes, &mut Rng(7));
        for a in 0..sizes.len() {
            for b in a + 1..sizes.len() {
                for va in 0..sizes[a] {
                    for vb in 0..sizes[b] {
                        assert!(rows.iter().any(|r| r[a] == va && r[b] == vb));
                    }
                }
            }
        }
        assert!(rows.len() < 3 * 4 * 2 * 5);
        assert_eq!(odometer(&[2, 3]).len(), 6);
    }
}
