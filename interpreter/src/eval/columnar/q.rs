//! Small fractions: the columnar evaluator's fast path for 金額, 割合 and 小数.
//!
//! A [`Q`] is `n/d` in `i64`s, not necessarily in lowest terms (reducing costs a gcd; comparisons
//! cross-multiply in `i128` instead). It is the same number as its [`Num`] ([`Q::num`]), and each
//! operation is the same operation as [`Num`]'s: it gives the exact rational result, or `None`,
//! which hands the record to the per-record evaluator (where [`crate::ops`] computes with [`Num`]
//! and reports the overflow, the division by zero or the rounding unit). It never answers where
//! [`Num`] fails: [`Num`] reduces its operands before it multiplies, so its intermediate integers
//! are never larger than these, and these fit in `i64` where [`Num`]'s must fit in `i128`.
//! Rounding picks its multiple through [`RoundMode::quotient`], as [`Num::round_to`] does. The
//! tests below hold both to this.

use onshi_grammar::num::{Num, RoundMode};
use std::cmp::Ordering;

/// A small exact fraction `n/d` with `d > 0`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Q {
    pub n: i64,
    pub d: i64,
}

impl Default for Q {
    fn default() -> Q {
        Q::ZERO
    }
}

impl Q {
    pub const ZERO: Q = Q { n: 0, d: 1 };

    /// `n`, when its numerator and denominator fit in `i64`.
    pub fn of(n: &Num) -> Option<Q> {
        Some(Q {
            n: i64::try_from(n.numer()).ok()?,
            d: i64::try_from(n.denom()).ok()?,
        })
    }

    pub fn int(i: i64) -> Q {
        Q { n: i, d: 1 }
    }

    /// The value in lowest terms.
    pub fn num(self) -> Option<Num> {
        if self.d == 1 {
            return Some(Num::from_int(i128::from(self.n)));
        }
        Num::new(i128::from(self.n), i128::from(self.d))
    }

    /// The exact order, as [`Num`]'s `Ord` (the products of two `i64` fit in `i128`).
    pub fn cmp(self, o: Q) -> Ordering {
        if self.d == o.d {
            return self.n.cmp(&o.n);
        }
        (i128::from(self.n) * i128::from(o.d)).cmp(&(i128::from(o.n) * i128::from(self.d)))
    }

    /// `x` where `take`, else `self`: numerator and denominator blended with masks, as a 16-byte
    /// select compiles to a jump (mispredicted half the time when which side wins is data).
    #[inline]
    pub fn or_take(self, x: Q, take: bool) -> Q {
        // All ones where the record takes `x`.
        let m = -i64::from(take);
        Q {
            n: (x.n & m) | (self.n & !m),
            d: (x.d & m) | (self.d & !m),
        }
    }

    /// Both numerators over one denominator.
    fn lift(self, o: Q) -> Option<(i64, i64, i64)> {
        if self.d == o.d {
            Some((self.n, o.n, self.d))
        } else {
            Some((
                self.n.checked_mul(o.d)?,
                o.n.checked_mul(self.d)?,
                self.d.checked_mul(o.d)?,
            ))
        }
    }

    /// [`Num::checked_add`].
    pub fn add(self, o: Q) -> Option<Q> {
        let (a, b, d) = self.lift(o)?;
        Some(Q {
            n: a.checked_add(b)?,
            d,
        })
    }

    /// [`Num::checked_sub`].
    pub fn sub(self, o: Q) -> Option<Q> {
        let (a, b, d) = self.lift(o)?;
        Some(Q {
            n: a.checked_sub(b)?,
            d,
        })
    }

    /// [`Num::checked_mul`].
    pub fn mul(self, o: Q) -> Option<Q> {
        Some(Q {
            n: self.n.checked_mul(o.n)?,
            d: self.d.checked_mul(o.d)?,
        })
    }

    /// [`Num::checked_div`]; `None` on division by zero too (the per-record path reports it).
    pub fn div(self, o: Q) -> Option<Q> {
        let n = self.n.checked_mul(o.d)?;
        let d = self.d.checked_mul(o.n)?;
        match d.cmp(&0) {
            Ordering::Greater => Some(Q { n, d }),
            Ordering::Less => Some(Q {
                n: n.checked_neg()?,
                d: d.checked_neg()?,
            }),
            Ordering::Equal => None,
        }
    }

    /// [`Num::checked_neg`].
    pub fn neg(self) -> Option<Q> {
        Some(Q {
            n: self.n.checked_neg()?,
            d: self.d,
        })
    }

    /// [`Num::round_to`]: the multiple `k × unit` with `k = self / unit` rounded by `mode`
    /// ([`RoundMode::quotient`]); `None` when `unit` is not positive (the per-record path reports
    /// it) or on overflow.
    pub fn round(self, unit: Q, mode: RoundMode) -> Option<Q> {
        if unit.n <= 0 {
            return None;
        }
        // The usual case (yen and rates times a whole unit): self / unit in `i64`.
        if let (Some(a), Some(b)) = (self.n.checked_mul(unit.d), self.d.checked_mul(unit.n)) {
            let k = mode.quotient64(a, b)?;
            return Some(Q {
                n: k.checked_mul(unit.n)?,
                d: unit.d,
            });
        }
        // self / unit = a / b with b > 0 (products of two i64 fit in i128).
        let a = i128::from(self.n) * i128::from(unit.d);
        let b = i128::from(self.d) * i128::from(unit.n);
        // A `k` beyond `i64` makes `k × unit.n` beyond it too (`unit.n ≥ 1`).
        let k = i64::try_from(mode.quotient(a, b)?).ok()?;
        Some(Q {
            n: k.checked_mul(unit.n)?,
            d: unit.d,
        })
    }
}

#[cfg(test)]
mod tests;
