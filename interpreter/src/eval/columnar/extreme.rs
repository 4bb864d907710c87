//! `最小`/`最大` over columns: per record, the first argument no later one beats.

use super::pool::{Buf, Pooled};
use super::q::Q;
use std::cmp::Ordering;

/// Per record, the first of `views` that no later one beats.
pub(super) fn pick_best<T: Copy + Default + Pooled, S: AsRef<[T]>>(
    views: &[S],
    n: usize,
    better: impl Fn(&T, &T) -> bool,
) -> Buf<T> {
    let mut out: Buf<T> = match views {
        [] => Buf::filled(T::default(), n),
        [v] => v.as_ref().iter().copied().collect(),
        // Two views (the usual case): one pass that writes each value once.
        [a, b, ..] => a
            .as_ref()
            .iter()
            .zip(b.as_ref())
            .map(|(a, b)| if better(b, a) { *b } else { *a })
            .collect(),
    };
    for v in views.iter().skip(2) {
        for (best, x) in out.iter_mut().zip(v.as_ref()) {
            // A select, not a branch: which side wins is data, and unpredictable.
            let take = better(x, best);
            *best = if take { *x } else { *best };
        }
    }
    out
}

/// Whether every value of `v` is a whole number written over 1 (one pass, no early exit, so it
/// vectorises).
fn all_whole(v: &[Q]) -> bool {
    v.iter().fold(true, |acc, q| acc & (q.d == 1))
}

/// [`pick_best`] for fractions: the winner blended in without a jump ([`Q::or_take`]); two
/// columns of whole numbers (yen, most often) compare their numerators only.
pub(super) fn pick_best_q<S: AsRef<[Q]>>(views: &[S], n: usize, wanted: Ordering) -> Buf<Q> {
    if let [a, b] = views {
        let (a, b) = (a.as_ref(), b.as_ref());
        if all_whole(a) && all_whole(b) {
            let whole = |n| Q { n, d: 1 };
            match wanted {
                Ordering::Less => {
                    return a.iter().zip(b).map(|(a, b)| whole(a.n.min(b.n))).collect();
                }
                Ordering::Greater => {
                    return a.iter().zip(b).map(|(a, b)| whole(a.n.max(b.n))).collect();
                }
                Ordering::Equal => {}
            }
        }
    }
    let mut out: Buf<Q> = match views {
        [] => Buf::filled(Q::ZERO, n),
        [v] => v.as_ref().iter().copied().collect(),
        [a, b, ..] => a
            .as_ref()
            .iter()
            .zip(b.as_ref())
            .map(|(a, b)| a.or_take(*b, b.cmp(*a) == wanted))
            .collect(),
    };
    for v in views.iter().skip(2) {
        for (best, x) in out.iter_mut().zip(v.as_ref()) {
            *best = best.or_take(*x, x.cmp(*best) == wanted);
        }
    }
    out
}
