//! Exact rational numbers for 金額 (yen), 割合 and 小数.
//!
//! [`Num`] is a fraction of two `i128`s kept in lowest terms with a positive
//! denominator, so the derived `PartialEq`/`Hash` are value equality. Every
//! operation that can overflow is checked and returns `None` instead.

use std::cmp::Ordering;
use std::fmt;

use rust_decimal::Decimal;

/// An exact rational number: numerator / denominator, denominator > 0, always in lowest terms.
/// Used for 金額 (yen), 割合 and 小数. All arithmetic is checked: overflow → None.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Num {
    /// Numerator; may be `i128::MIN` (only reachable through [`Num::from_int`] / [`Num::new`]).
    n: i128,
    /// Denominator; always `> 0` and coprime with `n` (zero is `0/1`).
    d: i128,
}

/// How [`Num::round_to`] picks a multiple of the unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RoundMode {
    /// 切り捨て: toward -∞ (floor).
    Down,
    /// 切り上げ: toward +∞ (ceil).
    Up,
    /// 四捨五入: to the nearest multiple, halves away from zero.
    HalfUp,
}

impl RoundMode {
    /// The integer `n / d` rounded by this mode, for `d > 0` (`None` otherwise). This is the one
    /// definition of rounding: [`Num::round_to`], [`Num::floor`], [`Num::ceil`] and the
    /// evaluator's small fractions all round through it.
    pub fn quotient(self, n: i128, d: i128) -> Option<i128> {
        (d > 0).then(|| rounded_quotient(n, d, self))
    }

    /// [`RoundMode::quotient`] in `i64` (the same rounding, for callers whose operands fit).
    #[inline]
    pub fn quotient64(self, n: i64, d: i64) -> Option<i64> {
        (d > 0).then(|| rounded_quotient64(n, d, self))
    }
}

/// `n / d` rounded by `mode`, for `d > 0`, in the integer type of `n` and `d`: the floor, plus one
/// when the mode rounds the remainder up. It cannot overflow: rounding up needs a remainder, so
/// `d ≥ 2` and `|floor| ≤ |n| / 2 + 1`.
macro_rules! round_quotient {
    ($n:expr, $d:expr, $mode:expr) => {{
        let (n, d) = ($n, $d);
        let floor = n.div_euclid(d);
        // n / d - floor = rem / d, in [0, 1).
        let up = |rem| match $mode {
            RoundMode::Down => false,
            RoundMode::Up => rem != 0,
            // Positive halves go up; negative halves go down (away from zero).
            RoundMode::HalfUp => {
                let other = d - rem;
                if n >= 0 {
                    rem >= other
                } else {
                    rem > other
                }
            }
        };
        if $mode != RoundMode::Down && up(n.rem_euclid(d)) {
            floor.saturating_add(1)
        } else {
            floor
        }
    }};
}

/// [`RoundMode::quotient`] for `d > 0`; amounts and rates are small, and 64-bit division is
/// several times faster than 128-bit, so the same rounding runs in `i64` when both fit.
fn rounded_quotient(n: i128, d: i128, mode: RoundMode) -> i128 {
    if let (Ok(n), Ok(d)) = (i64::try_from(n), i64::try_from(d)) {
        return i128::from(rounded_quotient64(n, d, mode));
    }
    round_quotient!(n, d, mode)
}

/// [`rounded_quotient`] in `i64`, for `d > 0`.
#[inline]
fn rounded_quotient64(n: i64, d: i64, mode: RoundMode) -> i64 {
    round_quotient!(n, d, mode)
}

/// Greatest common divisor of two magnitudes (`gcd(0, 0) = 0`).
fn gcd(mut a: u128, mut b: u128) -> u128 {
    // Amounts and rates are small: 64-bit division is several times faster than 128-bit.
    if let (Ok(x), Ok(y)) = (u64::try_from(a), u64::try_from(b)) {
        return u128::from(gcd64(x, y));
    }
    while b != 0 {
        let r = a % b;
        a = b;
        b = r;
    }
    a
}

/// Binary gcd (Stein): shifts and subtractions, no division.
fn gcd64(mut a: u64, mut b: u64) -> u64 {
    if a == 0 || b == 0 {
        return a | b;
    }
    let shift = (a | b).trailing_zeros();
    a >>= a.trailing_zeros();
    loop {
        b >>= b.trailing_zeros();
        if a > b {
            std::mem::swap(&mut a, &mut b);
        }
        b -= a;
        if b == 0 {
            return a << shift;
        }
    }
}

/// `gcd(|a|, |b|)` as an `i128`; `None` only when it is 2^127 (both are `i128::MIN` or 0).
fn gcd_i(a: i128, b: i128) -> Option<i128> {
    i128::try_from(gcd(a.unsigned_abs(), b.unsigned_abs())).ok()
}

/// Builds `±magnitude` as an `i128`; `None` when it does not fit.
fn signed(negative: bool, magnitude: u128) -> Option<i128> {
    if negative {
        0i128.checked_sub_unsigned(magnitude)
    } else {
        i128::try_from(magnitude).ok()
    }
}

/// Compares `a/b` with `c/d` (all magnitudes, `b, d > 0`) without overflow, Euclid-style.
fn cmp_magnitudes(mut a: u128, mut b: u128, mut c: u128, mut d: u128) -> Ordering {
    let mut flipped = false;
    loop {
        let ord = if let (Some(x), Some(y)) = (a.checked_mul(d), c.checked_mul(b)) {
            Some(x.cmp(&y))
        } else {
            let (qa, ra) = (a / b, a % b);
            let (qc, rc) = (c / d, c % d);
            if qa != qc {
                Some(qa.cmp(&qc))
            } else {
                match (ra == 0, rc == 0) {
                    (true, true) => Some(Ordering::Equal),
                    (true, false) => Some(Ordering::Less),
                    (false, true) => Some(Ordering::Greater),
                    // ra/b vs rc/d compares reversed like b/ra vs d/rc, both > 1.
                    (false, false) => {
                        (a, b, c, d) = (b, ra, d, rc);
                        flipped = !flipped;
                        None
                    }
                }
            }
        };
        if let Some(ord) = ord {
            return if flipped { ord.reverse() } else { ord };
        }
    }
}

impl Num {
    /// 0.
    pub const ZERO: Num = Num { n: 0, d: 1 };
    /// 1.
    pub const ONE: Num = Num { n: 1, d: 1 };

    /// The integer `i` (denominator 1).
    pub const fn from_int(i: i128) -> Num {
        Num { n: i, d: 1 }
    }

    /// `n / d` in lowest terms with a positive denominator. `None` when `d == 0` or the
    /// normalised form does not fit (e.g. `new(1, i128::MIN)` would need denominator 2^127).
    pub fn new(n: i128, d: i128) -> Option<Num> {
        if d == 0 {
            return None;
        }
        if n == 0 {
            return Some(Num::ZERO);
        }
        let g = gcd(n.unsigned_abs(), d.unsigned_abs());
        let negative = (n < 0) != (d < 0);
        let n = signed(negative, n.unsigned_abs() / g)?;
        let d = i128::try_from(d.unsigned_abs() / g).ok()?;
        Some(Num { n, d })
    }

    /// The numerator (carries the sign).
    pub const fn numer(&self) -> i128 {
        self.n
    }

    /// The denominator (always positive).
    pub const fn denom(&self) -> i128 {
        self.d
    }

    /// Whether the value is a whole number.
    pub const fn is_integer(&self) -> bool {
        self.d == 1
    }

    /// Whether the value is 0.
    pub const fn is_zero(&self) -> bool {
        self.n == 0
    }

    /// -1, 0 or 1.
    pub const fn signum(&self) -> i32 {
        if self.n < 0 {
            -1
        } else if self.n > 0 {
            1
        } else {
            0
        }
    }

    /// `self + other` or `self - other`, reducing by the gcd of the denominators first.
    fn add_sub(self, other: Num, subtract: bool) -> Option<Num> {
        if self.d == 1 && other.d == 1 {
            let n = if subtract {
                self.n.checked_sub(other.n)?
            } else {
                self.n.checked_add(other.n)?
            };
            return Some(Num::from_int(n));
        }
        let g = gcd_i(self.d, other.d)?;
        let (bs, ds) = (self.d / g, other.d / g);
        let left = self.n.checked_mul(ds)?;
        let right = other.n.checked_mul(bs)?;
        let t = if subtract {
            left.checked_sub(right)?
        } else {
            left.checked_add(right)?
        };
        if t == 0 {
            return Some(Num::ZERO);
        }
        // gcd(t, b·d/g) only shares factors of g with t, so reduce by gcd(t, g).
        let g2 = gcd_i(t, g)?;
        let d = bs.checked_mul(other.d / g2)?;
        Num::new(t / g2, d)
    }

    /// `self + other`, `None` on overflow.
    pub fn checked_add(self, other: Num) -> Option<Num> {
        self.add_sub(other, false)
    }

    /// `self - other`, `None` on overflow.
    pub fn checked_sub(self, other: Num) -> Option<Num> {
        self.add_sub(other, true)
    }

    /// `self × other`, `None` on overflow.
    pub fn checked_mul(self, other: Num) -> Option<Num> {
        if self.d == 1 && other.d == 1 {
            return self.n.checked_mul(other.n).map(Num::from_int);
        }
        let g1 = gcd_i(self.n, other.d)?;
        let g2 = gcd_i(other.n, self.d)?;
        if g1 == 0 || g2 == 0 {
            // Only possible for a zero numerator over a zero denominator, which never exists.
            return None;
        }
        let n = (self.n / g1).checked_mul(other.n / g2)?;
        let d = (self.d / g2).checked_mul(other.d / g1)?;
        Num::new(n, d)
    }

    /// `self ÷ other`, `None` on division by zero or overflow.
    pub fn checked_div(self, other: Num) -> Option<Num> {
        if other.n == 0 {
            return None;
        }
        if self.d == 1 && other.d == 1 {
            return Num::new(self.n, other.n);
        }
        self.checked_mul(Num::new(other.d, other.n)?)
    }

    /// `-self`, `None` only for `i128::MIN`.
    pub fn checked_neg(self) -> Option<Num> {
        Some(Num {
            n: self.n.checked_neg()?,
            d: self.d,
        })
    }

    /// The greatest integer `≤ self`.
    pub fn floor(self) -> Num {
        Num::from_int(rounded_quotient(self.n, self.d, RoundMode::Down))
    }

    /// The least integer `≥ self`.
    pub fn ceil(self) -> Num {
        Num::from_int(rounded_quotient(self.n, self.d, RoundMode::Up))
    }

    /// Rounds to a multiple `k × unit` of `unit` (which must be `> 0`, else `None`): `k` is
    /// `self / unit` rounded by `mode` ([`RoundMode::quotient`]). `None` also on overflow.
    pub fn round_to(self, unit: Num, mode: RoundMode) -> Option<Num> {
        if unit.signum() <= 0 {
            return None;
        }
        let q = self.checked_div(unit)?;
        Num::from_int(mode.quotient(q.n, q.d)?).checked_mul(unit)
    }

    /// The exact value of a [`Decimal`] (`mantissa / 10^scale`).
    pub fn from_decimal(d: Decimal) -> Option<Num> {
        Num::new(d.mantissa(), 10i128.checked_pow(d.scale())?)
    }

    /// `Some` when the value has a terminating decimal expansion that a [`Decimal`] holds
    /// exactly (denominator of the form 2^a·5^b, at most 28 fractional digits, mantissa < 2^96).
    pub fn to_decimal(&self) -> Option<Decimal> {
        let scale = self.decimal_scale()?;
        let factor = 10i128.checked_pow(scale)? / self.d;
        let mantissa = self.n.checked_mul(factor)?;
        Decimal::try_from_i128_with_scale(mantissa, scale).ok()
    }

    /// The number of fractional digits of a terminating expansion (`max(a, b)` for
    /// `d = 2^a·5^b`), `None` for non-terminating values.
    fn decimal_scale(&self) -> Option<u32> {
        let mut d = self.d;
        let (mut twos, mut fives) = (0u32, 0u32);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        (d == 1).then_some(twos.max(fives))
    }
}

impl PartialOrd for Num {
    fn partial_cmp(&self, other: &Num) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Num {
    /// Exact, total and overflow-free.
    fn cmp(&self, other: &Num) -> Ordering {
        match self.signum().cmp(&other.signum()) {
            Ordering::Equal => {}
            unequal => return unequal,
        }
        let magnitudes = cmp_magnitudes(
            self.n.unsigned_abs(),
            self.d.unsigned_abs(),
            other.n.unsigned_abs(),
            other.d.unsigned_abs(),
        );
        if self.n < 0 {
            magnitudes.reverse()
        } else {
            magnitudes
        }
    }
}

impl fmt::Display for Num {
    /// Terminating values as plain decimals (`411000`, `0.5`, `-1.25`), others as `n/d`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.decimal_scale().is_some() {
            let (d, n) = (self.d.unsigned_abs(), self.n.unsigned_abs());
            let mut digits = String::new();
            let mut rem = n % d;
            while rem != 0 {
                // rem × 10 = digit × d + rem', by ten additions: rem < d ≤ i128::MAX, so the sum
                // never overflows u128 (rem × 10 would for denominators above u128::MAX / 10).
                let (mut digit, mut next) = (0u32, 0u128);
                for _ in 0..10 {
                    next += rem;
                    if next >= d {
                        next -= d;
                        digit += 1;
                    }
                }
                digits.push(char::from_digit(digit, 10).unwrap_or('?'));
                rem = next;
            }
            let sign = if self.n < 0 { "-" } else { "" };
            if digits.is_empty() {
                write!(f, "{sign}{}", n / d)
            } else {
                write!(f, "{sign}{}.{digits}", n / d)
            }
        } else {
            write!(f, "{}/{}", self.n, self.d)
        }
    }
}

#[cfg(test)]
mod tests;
