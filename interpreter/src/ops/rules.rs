//! 原則/例外: among the rules that apply, the ones no other applicable rule beats give the value;
//! if their values differ ([`super::order::values_equal`]), that is a conflict, and if no rule
//! applies, an error. Rules are masks of `u128` (a definition has at most 128 rules,
//! `check::rules::MAX_RULES`); `CRule::beats` is closed transitively by the checker.

use super::sets::{bit_at, contains_at};
use crate::program::CRule;

/// `applicable` with rule `i` added when it applies.
pub fn applies(applicable: u128, i: usize, applies: bool) -> u128 {
    if applies {
        applicable | bit_at(i)
    } else {
        applicable
    }
}

/// The rules (a mask) among `applicable` that no other applicable rule beats.
pub fn winners(rules: &[CRule], applicable: u128) -> u128 {
    let mut out = 0u128;
    for i in (0..rules.len()).filter(|i| contains_at(applicable, *i)) {
        let beaten = rules
            .iter()
            .enumerate()
            .any(|(j, s)| j != i && contains_at(applicable, j) && contains_at(s.beats, i));
        if !beaten {
            out |= bit_at(i);
        }
    }
    out
}
