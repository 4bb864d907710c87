//! The built-in functions (`最小`, `切り捨て`, `満了日`, `営業日後`, `祝日`, …), listed once: [`BUILTINS`]
//! ([`table`]) holds one [`Builtin`] per function, with everything anyone needs to know about it:
//!
//! - its Japanese name and English alias, its parameters as the documentation writes them, what it
//!   returns and an example: the language server's hover and completion read these (`onshi-lsp`'s
//!   `catalog`), and the WASM package exports them as JSON (`builtins()`) for the playground's
//!   highlighter and completion;
//! - its [`Signature`]: how the checker types a call (`check/ops.rs`);
//! - its [`Imp`]: what it computes, as the scalar function of [`crate::ops`] that both evaluators
//!   call: the per-record evaluator ([`crate::ops::builtins::call`]) on values, the columnar
//!   evaluator's typed loops on typed columns (`eval/columnar/kernels.rs`);
//! - [`Builtin::solver`]: its encoding for an SMT solver (see [`Encoding`]), or why it has none.
//!
//! A new built-in whose signature and implementation have an existing shape is one entry of the
//! table (and its scalar function in `ops/`, e.g. a date function in `ops/dates.rs`). A new shape
//! is a variant of [`Signature`] or [`Imp`], which the checker and the two evaluators interpret
//! (the compiler lists every `match` to extend).

mod table;

pub use table::BUILTINS;

use crate::types::Type;
use chrono::NaiveDate;
use onshi_grammar::literal::Duration;
use onshi_grammar::num::RoundMode;
use serde::ser::{Serialize, SerializeStruct, Serializer};
use std::cmp::Ordering;

/// One built-in function: one row of [`BUILTINS`].
pub struct Builtin {
    /// The Japanese name (`切り捨て`).
    pub ja: &'static str,
    /// The English alias (`round_down`).
    pub en: &'static str,
    /// The parameters as the documentation names them (`値, 単位`).
    pub params: &'static str,
    /// What it returns, in a phrase (`rounded down to a multiple of 単位`).
    pub doc: &'static str,
    /// A call and, where it helps, its value (`切り捨て(123,456円, 1000円) = 123,000円`).
    pub example: &'static str,
    /// How the checker types a call.
    pub signature: Signature,
    /// What it computes.
    pub imp: Imp,
    /// Its encoding for an SMT solver (`onshi-solver`, behind `diff`, `--assert` and `check`).
    /// `Err` gives the reason it has none: a program that calls it is then only searched, never
    /// proved.
    pub solver: Result<Encoding, &'static str>,
}

/// The encoding of a built-in for an SMT solver, in linear integer and real arithmetic (the
/// solver crate, `onshi-solver`, turns each into SMT-LIB terms; the core only names them).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `最小`/`最大`: an `ite` chain keeping the first of equals.
    Extreme,
    /// Rounding to a multiple of the unit: `to_int` (the floor) of the quotient, plus one when
    /// the mode rounds the remainder up; exact when the unit is a constant (a variable unit makes
    /// the quotient non-linear).
    Round,
    /// A date moved by a number of days (翌日 +1, 前日 −1), with the range check of date facts.
    Days(i64),
    /// `月末`/`月初`: the day number taken apart into year, month and day by division by
    /// constants (linear), and put together again.
    EndOfMonth,
    StartOfMonth,
    /// `満了日` with a constant period: the same civil-calendar terms.
    PeriodEnd,
    /// `営業日後` with a constant count: the date plus one of seven offsets, picked by the
    /// weekday (the day number modulo 7); a count that is not a constant is not encoded.
    BusinessDays,
    /// `祝日`: the date is one of the day numbers of [`crate::ops::holidays::all`] (exact: a
    /// finite table), and the calendar's error outside its years.
    Holiday,
    /// `祝日を除く営業日後` with a constant count: `営業日後`'s term plus a shift tabulated over the
    /// dates near the calendar's years (exact: a finite table, as a search tree of runs).
    HolidayBusinessDays,
    /// `既定値`: `ite(present, value, default)`.
    OrDefault,
    /// `要素数`: the sum of the set's membership bits.
    Count,
    /// `含む`: the membership bit of the variant.
    Contains,
}

/// The type of one parameter of a [`Signature::Fixed`] built-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Param {
    /// An argument checked against this type.
    Is(Type),
    /// A set of variants (`集合<E>`) of any enumeration.
    Set,
    /// A variant of the enumeration whose set parameter `i` is.
    ElementOf(usize),
}

/// How the checker types a call of a built-in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Signature {
    /// One or more arguments of one ordered type (the type they join to, or the context's);
    /// the result has that type (`最小`, `最大`).
    Ordered,
    /// `(値, 単位)`: 金額 or a number, and a unit of the same type; the result has the value's type
    /// (`切り捨て`, …).
    Rounding,
    /// `(値, 既定)`: a value of any type, usually `任意<T>`, and a default of type `T`; the result
    /// has type `T` (`既定値`).
    OrDefault,
    /// These parameters, in order; the result has type `ret`.
    Fixed { params: &'static [Param], ret: Type },
}

/// What a built-in computes: the scalar function of [`crate::ops`] that the per-record and the
/// columnar evaluators both call, in the shape both know how to apply. A function that refuses
/// (`None`) makes the call's result out of range (`onshi::eval::date_range`).
#[derive(Clone, Copy, Debug)]
pub enum Imp {
    /// The first argument that no later argument orders `wanted` against (`Less`: the smallest,
    /// the first of equals).
    Extreme { wanted: Ordering },
    /// Rounding to a multiple of the unit ([`crate::ops::arith::round`]).
    Round(RoundMode),
    /// A date from a date.
    Date(fn(NaiveDate) -> Option<NaiveDate>),
    /// A date from a date and a whole number.
    DateInt(fn(NaiveDate, i64) -> Option<NaiveDate>),
    /// A date from a date and a period.
    DatePeriod(fn(NaiveDate, Duration) -> Option<NaiveDate>),
    /// The first argument, or the second when the first is absent; the second is evaluated only
    /// then.
    OrDefault,
    /// How many variants a set holds ([`crate::ops::sets::count`]). Named, not a function
    /// pointer, so the columnar loop inlines it.
    Count,
    /// Whether a set holds a variant ([`crate::ops::sets::contains`]); named as [`Imp::Count`].
    Contains,
    /// Whether a date is a national holiday ([`crate::ops::holidays::is_holiday`]); a date the
    /// calendar does not know is `onshi::eval::holiday_calendar`.
    Holiday,
    /// A date from a date and a whole number, counting business days that are not holidays
    /// ([`crate::ops::holidays::business_days`]); fails as [`Imp::Holiday`] does.
    HolidayBusinessDays,
}

impl Builtin {
    /// The signature as the documentation writes it: `切り捨て(値, 単位) → rounded down to a
    /// multiple of 単位`.
    pub fn signature_text(&self) -> String {
        format!("{}({}) → {}", self.ja, self.params, self.doc)
    }
}

/// The built-in called `name` (its Japanese name or English alias).
pub fn find(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.ja == name || b.en == name)
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Builtin({})", self.ja)
    }
}

impl PartialEq for Builtin {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

impl Eq for Builtin {}

/// A built-in as front ends get it (`builtins()` of the WASM package): `{"ja", "en", "signature",
/// "doc", "example"}`.
impl Serialize for Builtin {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Builtin", 5)?;
        st.serialize_field("ja", self.ja)?;
        st.serialize_field("en", self.en)?;
        st.serialize_field("signature", &self.signature_text())?;
        st.serialize_field("doc", self.doc)?;
        st.serialize_field("example", self.example)?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Each implementation takes the arguments its signature gives it.
    #[test]
    fn every_implementation_fits_its_signature() {
        for b in BUILTINS {
            let fits = match (&b.signature, b.imp) {
                (Signature::Ordered, Imp::Extreme { .. })
                | (Signature::Rounding, Imp::Round(_))
                | (Signature::OrDefault, Imp::OrDefault) => true,
                (Signature::Fixed { params, ret }, imp) => match imp {
                    Imp::Date(_) => params == &[Param::Is(Type::Date)] && *ret == Type::Date,
                    Imp::DateInt(_) => {
                        params == &[Param::Is(Type::Date), Param::Is(Type::Int)]
                            && *ret == Type::Date
                    }
                    Imp::DatePeriod(_) => {
                        params == &[Param::Is(Type::Date), Param::Is(Type::Duration)]
                            && *ret == Type::Date
                    }
                    Imp::Count => params == &[Param::Set] && *ret == Type::Int,
                    Imp::Contains => {
                        params == &[Param::Set, Param::ElementOf(0)] && *ret == Type::Bool
                    }
                    Imp::Holiday => params == &[Param::Is(Type::Date)] && *ret == Type::Bool,
                    Imp::HolidayBusinessDays => {
                        params == &[Param::Is(Type::Date), Param::Is(Type::Int)]
                            && *ret == Type::Date
                    }
                    _ => false,
                },
                _ => false,
            };
            assert!(fits, "{}: {:?} / {:?}", b.ja, b.signature, b.imp);
        }
    }

    #[test]
    fn names_are_unique_and_found() {
        let mut names: Vec<&str> = BUILTINS.iter().flat_map(|b| [b.ja, b.en]).collect();
        let n = names.len();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), n);
        for b in BUILTINS {
            assert_eq!(find(b.ja), Some(b));
            assert_eq!(find(b.en), Some(b));
        }
    }
}
