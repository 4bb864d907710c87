//! Every [`Q`] operation is [`Num`]'s: where a small fraction answers, it answers the exact value
//! [`Num`] gives, and it never answers where [`Num`] fails.

use super::*;
use proptest::prelude::*;

const MODES: [RoundMode; 3] = [RoundMode::Down, RoundMode::Up, RoundMode::HalfUp];

/// Holds `q_op` to `num_op` on `a` and `b`.
fn same(a: Q, b: Q, q_op: impl Fn(Q, Q) -> Option<Q>, num_op: impl Fn(Num, Num) -> Option<Num>) {
    let (Some(x), Some(y)) = (a.num(), b.num()) else {
        return;
    };
    if let Some(r) = q_op(a, b) {
        assert!(r.d > 0, "{a:?} {b:?} → {r:?}");
        assert_eq!(r.num(), num_op(x, y), "{a:?} {b:?}");
    }
}

fn check_pair(a: Q, b: Q) {
    same(a, b, Q::add, Num::checked_add);
    same(a, b, Q::sub, Num::checked_sub);
    same(a, b, Q::mul, Num::checked_mul);
    same(a, b, Q::div, Num::checked_div);
    same(a, b, |p, _| p.neg(), |x, _| x.checked_neg());
    for mode in MODES {
        same(a, b, |p, u| p.round(u, mode), |x, u| x.round_to(u, mode));
    }
    if let (Some(x), Some(y)) = (a.num(), b.num()) {
        assert_eq!(a.cmp(b), x.cmp(&y), "{a:?} {b:?}");
    }
}

/// Edge values, unreduced ones among them (`2/4`), since typed loops do not reduce.
fn edges() -> Vec<Q> {
    let ns = [
        0,
        1,
        -1,
        2,
        -2,
        3,
        5,
        -5,
        7,
        10,
        1000,
        411_005,
        -411_005,
        i64::from(i32::MAX),
        i64::MAX / 2,
        i64::MAX,
        i64::MIN + 1,
        i64::MIN,
    ];
    let ds = [1, 2, 3, 4, 10, 100, 1000, 7, i64::from(i32::MAX), i64::MAX];
    ns.iter()
        .flat_map(|n| ds.iter().map(move |d| Q { n: *n, d: *d }))
        .collect()
}

#[test]
fn small_fractions_compute_what_exact_rationals_compute_on_edge_values() {
    let qs = edges();
    for a in &qs {
        for b in &qs {
            check_pair(*a, *b);
        }
    }
}

#[test]
fn halves_round_away_from_zero_in_both() {
    let half = |n| Q { n, d: 2 };
    let one = Q::int(1);
    for (x, want) in [(5, 3), (-5, -3), (1, 1), (-1, -1), (3, 2), (-3, -2)] {
        let r = half(x).round(one, RoundMode::HalfUp).and_then(Q::num);
        assert_eq!(r, Some(Num::from_int(want)), "{x}/2");
    }
}

fn small() -> impl Strategy<Value = Q> {
    (-2_000_000i64..2_000_000, 1i64..10_000).prop_map(|(n, d)| Q { n, d })
}

fn wide() -> impl Strategy<Value = Q> {
    (any::<i64>(), 1i64..=i64::MAX).prop_map(|(n, d)| Q { n, d })
}

proptest! {
    #[test]
    fn small_fractions_compute_what_exact_rationals_compute(a in small(), b in small()) {
        check_pair(a, b);
    }

    #[test]
    fn wide_fractions_compute_what_exact_rationals_compute(a in wide(), b in prop_oneof![small(), wide()]) {
        check_pair(a, b);
        check_pair(b, a);
    }
}
