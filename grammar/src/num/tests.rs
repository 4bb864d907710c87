use super::*;
use proptest::prelude::*;
use std::str::FromStr;

fn q(n: i128, d: i128) -> Num {
    Num::new(n, d).unwrap_or(Num::ZERO)
}

fn parts(x: Num) -> (i128, i128) {
    (x.numer(), x.denom())
}

#[test]
fn normalisation() {
    assert_eq!(parts(q(2, 4)), (1, 2));
    assert_eq!(parts(q(-2, 4)), (-1, 2));
    assert_eq!(parts(q(2, -4)), (-1, 2));
    assert_eq!(parts(q(-2, -4)), (1, 2));
    assert_eq!(parts(q(0, -7)), (0, 1));
    assert_eq!(Num::new(0, 5), Some(Num::ZERO));
    assert_eq!(Num::new(1, 0), None);
    assert_eq!(Num::new(0, 0), None);
    assert_eq!(Num::new(1, i128::MIN), None);
    assert_eq!(Num::new(i128::MIN, -1), None);
    assert_eq!(parts(q(i128::MIN, 2)), (i128::MIN / 2, 1));
    assert_eq!(Num::new(i128::MIN, i128::MIN), Some(Num::ONE));
    assert_eq!(Num::new(i128::MIN, 1), Some(Num::from_int(i128::MIN)));
    assert_eq!(Num::from_int(5), q(10, 2));
    assert!(q(10, 5).is_integer());
    assert!(!q(1, 2).is_integer());
    assert!(Num::ZERO.is_zero());
    assert_eq!(
        (q(-1, 3).signum(), Num::ZERO.signum(), q(1, 3).signum()),
        (-1, 0, 1)
    );
}

#[test]
fn arithmetic() {
    assert_eq!(q(1, 2).checked_add(q(1, 3)), Some(q(5, 6)));
    assert_eq!(q(1, 6).checked_add(q(1, 3)), Some(q(1, 2)));
    assert_eq!(q(1, 2).checked_add(q(-1, 2)), Some(Num::ZERO));
    assert_eq!(q(1, 2).checked_sub(q(1, 3)), Some(q(1, 6)));
    assert_eq!(q(3, 1).checked_sub(q(5, 1)), Some(q(-2, 1)));
    assert_eq!(q(2, 3).checked_mul(q(9, 4)), Some(q(3, 2)));
    assert_eq!(q(-2, 3).checked_mul(q(3, 2)), Some(q(-1, 1)));
    assert_eq!(q(2, 3).checked_div(q(4, 9)), Some(q(3, 2)));
    assert_eq!(q(2, 3).checked_div(q(-4, 9)), Some(q(-3, 2)));
    assert_eq!(q(6, 1).checked_div(q(4, 1)), Some(q(3, 2)));
    assert_eq!(q(1, 2).checked_neg(), Some(q(-1, 2)));
}

#[test]
fn overflow_and_division_by_zero() {
    let max = Num::from_int(i128::MAX);
    let min = Num::from_int(i128::MIN);
    assert_eq!(max.checked_add(Num::ONE), None);
    assert_eq!(min.checked_sub(Num::ONE), None);
    assert_eq!(max.checked_mul(Num::from_int(2)), None);
    assert_eq!(min.checked_neg(), None);
    assert_eq!(min.checked_div(Num::from_int(-1)), None);
    assert_eq!(Num::ONE.checked_div(Num::ZERO), None);
    assert_eq!(Num::ZERO.checked_div(Num::ZERO), None);
    assert_eq!(q(1, 2).checked_div(Num::ZERO), None);
    let tiny = q(1, i128::MAX);
    assert_eq!(tiny.checked_add(q(1, i128::MAX - 1)), None);
    assert_eq!(tiny.checked_mul(tiny), None);
    // Cross-reduction keeps results that fit.
    assert_eq!(max.checked_mul(q(1, i128::MAX)), Some(Num::ONE));
    assert_eq!(tiny.checked_add(tiny), Some(q(2, i128::MAX)));
    assert_eq!(
        min.checked_div(Num::from_int(2)),
        Some(Num::from_int(i128::MIN / 2))
    );
}

#[test]
fn floor_and_ceil() {
    assert_eq!(q(5, 2).floor(), Num::from_int(2));
    assert_eq!(q(5, 2).ceil(), Num::from_int(3));
    assert_eq!(q(-5, 2).floor(), Num::from_int(-3));
    assert_eq!(q(-5, 2).ceil(), Num::from_int(-2));
    assert_eq!(q(-4, 1).floor(), Num::from_int(-4));
    assert_eq!(q(-4, 1).ceil(), Num::from_int(-4));
    assert_eq!(q(-1, 3).ceil(), Num::ZERO);
    let min = Num::from_int(i128::MIN);
    assert_eq!((min.floor(), min.ceil()), (min, min));
    let max = Num::from_int(i128::MAX);
    assert_eq!((max.floor(), max.ceil()), (max, max));
    assert_eq!(q(i128::MAX, 2).ceil(), Num::from_int(i128::MAX / 2 + 1));
    assert_eq!(q(i128::MIN + 1, 2).floor(), Num::from_int(i128::MIN / 2));
}

#[test]
fn round_to_modes() {
    use RoundMode::*;
    let one = Num::ONE;
    assert_eq!(q(5, 2).round_to(one, HalfUp), Some(Num::from_int(3)));
    assert_eq!(q(-5, 2).round_to(one, HalfUp), Some(Num::from_int(-3)));
    assert_eq!(q(12, 5).round_to(one, HalfUp), Some(Num::from_int(2)));
    assert_eq!(q(-12, 5).round_to(one, HalfUp), Some(Num::from_int(-2)));
    assert_eq!(q(-13, 5).round_to(one, HalfUp), Some(Num::from_int(-3)));
    assert_eq!(q(5, 2).round_to(one, Down), Some(Num::from_int(2)));
    assert_eq!(q(-5, 2).round_to(one, Down), Some(Num::from_int(-3)));
    assert_eq!(q(5, 2).round_to(one, Up), Some(Num::from_int(3)));
    assert_eq!(q(-5, 2).round_to(one, Up), Some(Num::from_int(-2)));
    let ten = Num::from_int(10);
    assert_eq!(
        Num::from_int(411_005).round_to(ten, HalfUp),
        Some(Num::from_int(411_010))
    );
    assert_eq!(
        Num::from_int(411_004).round_to(ten, Up),
        Some(Num::from_int(411_010))
    );
    assert_eq!(
        Num::from_int(411_009).round_to(ten, Down),
        Some(Num::from_int(411_000))
    );
    assert_eq!(
        Num::from_int(411_000).round_to(ten, Up),
        Some(Num::from_int(411_000))
    );
    assert_eq!(q(1, 3).round_to(q(1, 100), HalfUp), Some(q(33, 100)));
    assert_eq!(q(2, 3).round_to(q(1, 100), HalfUp), Some(q(67, 100)));
    assert_eq!(q(5, 2).round_to(Num::ZERO, HalfUp), None);
    assert_eq!(q(5, 2).round_to(Num::from_int(-1), Down), None);
    assert_eq!(Num::from_int(i128::MAX).round_to(ten, Up), None);
}

#[test]
fn decimal_round_trip() {
    for text in [
        "0",
        "0.5",
        "-1.25",
        "411000",
        "0.001",
        "123456789.123456789",
        "-0.0000000000000000000000000001",
    ] {
        let dec = Decimal::from_str(text).unwrap_or_default();
        let num = Num::from_decimal(dec);
        assert!(num.is_some(), "{text}");
        let back = num.and_then(|n| n.to_decimal());
        assert_eq!(back, Some(dec), "{text}");
        assert_eq!(num.map(|n| n.to_string()), Some(text.to_string()));
    }
    assert_eq!(
        Num::from_decimal(Decimal::from_str("1.50").unwrap_or_default()),
        Some(q(3, 2))
    );
    assert_eq!(q(1, 3).to_decimal(), None);
    assert_eq!(
        q(1, 8).to_decimal().map(|d| d.to_string()),
        Some("0.125".to_string())
    );
    assert_eq!(Num::from_int(i128::MAX).to_decimal(), None);
    assert_eq!(q(1, 1_i128 << 100).to_decimal(), None);
}

#[test]
fn display() {
    assert_eq!(Num::from_int(411_000).to_string(), "411000");
    assert_eq!(q(1, 2).to_string(), "0.5");
    assert_eq!(q(-5, 4).to_string(), "-1.25");
    assert_eq!(q(-1, 4).to_string(), "-0.25");
    assert_eq!(q(1, 3).to_string(), "1/3");
    assert_eq!(q(-7, 6).to_string(), "-7/6");
    assert_eq!(Num::ZERO.to_string(), "0");
    assert_eq!(Num::from_int(i128::MIN).to_string(), i128::MIN.to_string());
    assert_eq!(q(1, 1_i128 << 100).to_string().len(), 102);
    // Terminating values are expanded whatever the denominator (found by fuzzing: denominators
    // above u128::MAX / 10 used to fall back to `n/d`, which no decimal reader accepts).
    let tiny = q(1, 1_i128 << 126).to_string();
    assert_eq!(tiny.len(), 128);
    assert!(tiny.starts_with("0.0000000000000000000000000000000000000117549"));
    assert!(tiny.ends_with("515625"));
    assert_eq!(
        q(-219, 10_i128.pow(38)).to_string(),
        "-0.00000000000000000000000000000000000219"
    );
}

#[test]
fn ordering_near_limits() {
    let max = i128::MAX;
    let min = i128::MIN;
    assert!(q(1, 3) < q(1, 2));
    assert!(q(-1, 2) < q(-1, 3));
    assert!(q(max - 1, max - 2) > q(max, max - 1));
    assert!(q(max - 2, max - 1) < q(max - 1, max));
    assert!(q(-(max - 2), max - 1) > q(-(max - 1), max));
    assert!(Num::from_int(min) < Num::from_int(max));
    assert!(Num::from_int(min) < q(min + 1, max));
    assert!(q(1, max) > Num::ZERO);
    assert!(q(1, max) < q(1, max - 1));
    assert_eq!(q(max, max - 1).cmp(&q(max, max - 1)), Ordering::Equal);
    let mut v = [
        q(max, 3),
        q(min, 7),
        q(max - 1, max),
        Num::ZERO,
        q(1, max),
        q(-1, max),
        Num::from_int(min),
        Num::from_int(max),
    ];
    v.sort();
    assert!(v.windows(2).all(|w| w.first() <= w.get(1)));
    assert_eq!(v.first(), Some(&Num::from_int(min)));
    assert_eq!(v.last(), Some(&Num::from_int(max)));
}

/// Full 256-bit product of two u128s as (high, low), for an independent reference ordering.
fn mul_wide(x: u128, y: u128) -> (u128, u128) {
    let mask = u128::from(u64::MAX);
    let (x1, x0, y1, y0) = (x >> 64, x & mask, y >> 64, y & mask);
    let (p00, p01, p10, p11) = (x0 * y0, x0 * y1, x1 * y0, x1 * y1);
    let mid = (p00 >> 64) + (p01 & mask) + (p10 & mask);
    let low = (p00 & mask) | (mid << 64);
    let high = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (high, low)
}

fn reference_cmp(a: Num, b: Num) -> Ordering {
    match a.signum().cmp(&b.signum()) {
        Ordering::Equal => {}
        unequal => return unequal,
    }
    let left = mul_wide(a.numer().unsigned_abs(), b.denom().unsigned_abs());
    let right = mul_wide(b.numer().unsigned_abs(), a.denom().unsigned_abs());
    if a.signum() < 0 {
        right.cmp(&left)
    } else {
        left.cmp(&right)
    }
}

fn small() -> impl Strategy<Value = Num> {
    (-1_000_000i128..1_000_000, 1i128..1_000_000).prop_map(|(n, d)| q(n, d))
}

proptest! {
    #[test]
    fn ordering_agrees_with_cross_multiplication(a in small(), b in small()) {
        let expected = (a.numer() * b.denom()).cmp(&(b.numer() * a.denom()));
        prop_assert_eq!(a.cmp(&b), expected);
        prop_assert_eq!(a == b, expected == Ordering::Equal);
    }

    #[test]
    fn ordering_on_huge_values_is_consistent(n1 in any::<i128>(), d1 in 1..i128::MAX, n2 in any::<i128>(), d2 in 1..i128::MAX) {
        if let (Some(a), Some(b)) = (Num::new(n1, d1), Num::new(n2, d2)) {
            prop_assert_eq!(a.cmp(&b), reference_cmp(a, b));
            prop_assert_eq!(a.cmp(&b), b.cmp(&a).reverse());
            prop_assert_eq!(a.cmp(&b) == Ordering::Equal, a == b);
            prop_assert!(a.floor() <= a && a <= a.ceil());
            if let Some(next) = a.floor().checked_add(Num::ONE) {
                prop_assert!(a < next);
            }
        }
    }

    #[test]
    fn ordering_of_close_huge_values(n in (i128::MAX / 2)..i128::MAX, d in (i128::MAX / 2)..i128::MAX, dn in -3i128..3, dd in -3i128..3) {
        let b = n.checked_add(dn).zip(d.checked_add(dd)).and_then(|(n2, d2)| Num::new(n2, d2));
        if let (Some(a), Some(b)) = (Num::new(n, d), b) {
            prop_assert_eq!(a.cmp(&b), reference_cmp(a, b));
            let (na, nb) = (a.checked_neg().unwrap_or(a), b.checked_neg().unwrap_or(b));
            prop_assert_eq!(na.cmp(&nb), reference_cmp(na, nb));
        }
    }

    #[test]
    fn add_sub_round_trip(a in small(), b in small()) {
        let sum = a.checked_add(b);
        prop_assert!(sum.is_some());
        prop_assert_eq!(sum.and_then(|s| s.checked_sub(b)), Some(a));
        prop_assert_eq!(a.checked_mul(b).and_then(|p| if b.is_zero() { Some(a) } else { p.checked_div(b) }), Some(a));
    }

    #[test]
    fn round_to_is_a_near_multiple(x in small(), unit in (1i128..1000, 1i128..1000).prop_map(|(n, d)| q(n, d))) {
        for mode in [RoundMode::Down, RoundMode::Up, RoundMode::HalfUp] {
            let r = x.round_to(unit, mode);
            prop_assert!(r.is_some());
            let r = r.unwrap_or(Num::ZERO);
            prop_assert!(r.checked_div(unit).is_some_and(|k| k.is_integer()));
            let diff = r.checked_sub(x).unwrap_or(Num::ZERO);
            let abs = if diff.signum() < 0 { diff.checked_neg().unwrap_or(diff) } else { diff };
            match mode {
                RoundMode::Down => prop_assert!(r <= x && abs < unit),
                RoundMode::Up => prop_assert!(r >= x && abs < unit),
                RoundMode::HalfUp => prop_assert!(abs.checked_mul(Num::from_int(2)).is_some_and(|a2| a2 <= unit)),
            }
        }
    }

    #[test]
    fn floor_and_ceil_bracket(x in small()) {
        let f = x.floor();
        prop_assert!(f.is_integer() && f <= x);
        prop_assert!(x < f.checked_add(Num::ONE).unwrap_or(Num::ZERO));
        let c = x.ceil();
        prop_assert!(c.is_integer() && c >= x);
        prop_assert!(c.checked_sub(x).is_some_and(|gap| gap < Num::ONE));
    }
}

proptest::proptest! {
    #[test]
    fn binary_gcd_agrees_with_euclid(a in proptest::prelude::any::<u64>(), b in proptest::prelude::any::<u64>()) {
        let (mut x, mut y) = (a, b);
        while y != 0 {
            (x, y) = (y, x % y);
        }
        proptest::prop_assert_eq!(super::gcd64(a, b), x);
        proptest::prop_assert_eq!(super::gcd64(a, 0), a);
        proptest::prop_assert_eq!(super::gcd64(0, b), b);
    }
}

/// The rounding of [`RoundMode::quotient`], stated without it: `k` is the integer the mode picks
/// for `n / d` (`d > 0`), checked by cross-multiplying in `i128` (the arguments are `i64`).
fn rounds_to(n: i64, d: i64, mode: RoundMode, k: i128) -> bool {
    let (n, d) = (i128::from(n), i128::from(d));
    let low = k * d; // k·d vs n: |k| ≤ |n| + 1, so no overflow
    match mode {
        RoundMode::Down => low <= n && n < low + d,
        RoundMode::Up => low - d < n && n <= low,
        RoundMode::HalfUp => {
            let gap = (n - low).abs() * 2;
            // Within half a unit; an exact half goes away from zero.
            gap < d || (gap == d && low.abs() > n.abs())
        }
    }
}

#[test]
fn quotient_needs_a_positive_divisor() {
    for mode in [RoundMode::Down, RoundMode::Up, RoundMode::HalfUp] {
        assert_eq!(mode.quotient(5, 0), None);
        assert_eq!(mode.quotient(5, -2), None);
        assert_eq!(mode.quotient(i128::MIN, 1), Some(i128::MIN));
        assert_eq!(mode.quotient(i128::MAX, 1), Some(i128::MAX));
    }
    assert_eq!(
        RoundMode::Up.quotient(i128::MAX, 2),
        Some(i128::MAX / 2 + 1)
    );
    assert_eq!(
        RoundMode::HalfUp.quotient(i128::MAX, 2),
        Some(i128::MAX / 2 + 1)
    );
    assert_eq!(
        RoundMode::HalfUp.quotient(i128::MIN + 1, 2),
        Some(i128::MIN / 2)
    );
    assert_eq!(
        RoundMode::Down.quotient(i128::MIN, 3),
        Some(i128::MIN.div_euclid(3))
    );
}

proptest::proptest! {
    #[test]
    fn quotient_rounds_as_its_mode_says(
        n in proptest::prelude::any::<i64>(),
        d in 1i64..=i64::MAX,
        mode in proptest::sample::select(vec![RoundMode::Down, RoundMode::Up, RoundMode::HalfUp]),
    ) {
        let k = mode.quotient(i128::from(n), i128::from(d));
        proptest::prop_assert!(k.is_some_and(|k| rounds_to(n, d, mode, k)), "{n}/{d} {mode:?} → {k:?}");
        // The 64-bit and the 128-bit forms are one rounding.
        let wide: i128 = round_quotient!(i128::from(n), i128::from(d), mode);
        proptest::prop_assert_eq!(k, Some(wide));
    }

    #[test]
    fn round_to_is_the_quotient_times_the_unit(
        n in -1_000_000_000i128..1_000_000_000,
        d in 1i128..1000,
        un in 1i128..10_000,
        ud in 1i128..100,
        mode in proptest::sample::select(vec![RoundMode::Down, RoundMode::Up, RoundMode::HalfUp]),
    ) {
        let (x, unit) = (q(n, d), q(un, ud));
        let k = x.checked_div(unit).and_then(|r| mode.quotient(r.numer(), r.denom()));
        let want = k.and_then(|k| Num::from_int(k).checked_mul(unit));
        proptest::prop_assert_eq!(x.round_to(unit, mode), want);
        proptest::prop_assert_eq!(x.floor(), Num::from_int(n.div_euclid(d)));
    }
}
