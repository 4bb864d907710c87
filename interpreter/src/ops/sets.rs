//! Sets of enumeration variants (集合): a mask of `u128`, bit `i` for the variant with ordinal `i`
//! (an enumeration has at most 128 variants, `check::MAX_VARIANTS`). Used alike for set values,
//! `場合` arms, table cells listing variants and the rules of a 原則/例外 definition.

/// The mask of variant (or rule) `i` alone; empty for an ordinal a mask cannot hold.
pub fn bit(i: u32) -> u128 {
    if i < 128 {
        1u128 << i
    } else {
        0
    }
}

/// [`bit`] for an index.
pub fn bit_at(i: usize) -> u128 {
    u32::try_from(i).map_or(0, bit)
}

/// The mask of the first `n` variants (every variant of an enumeration of `n`).
pub fn all(n: usize) -> u128 {
    if n >= 128 {
        u128::MAX
    } else {
        (1u128 << n) - 1
    }
}

/// `i ∈ set` (`含む(set, i)`, `i ∈ set`, a cell listing variants).
pub fn contains(set: u128, i: u32) -> bool {
    i < 128 && set & (1u128 << i) != 0
}

/// [`contains`] for an index.
pub fn contains_at(set: u128, i: usize) -> bool {
    set & bit_at(i) != 0
}

/// `set` with variant `i` added; `None` for an ordinal a set cannot hold.
pub fn with(set: u128, i: u32) -> Option<u128> {
    (i < 128).then(|| set | bit(i))
}

/// `a ∪ b`.
pub fn union(a: u128, b: u128) -> u128 {
    a | b
}

/// `a ∩ b`.
pub fn intersect(a: u128, b: u128) -> u128 {
    a & b
}

/// `a ⊆ b`.
pub fn subset(a: u128, b: u128) -> bool {
    a & !b == 0
}

/// `a ⊇ b`.
pub fn superset(a: u128, b: u128) -> bool {
    subset(b, a)
}

/// `要素数(set)`.
pub fn count(set: u128) -> i64 {
    i64::from(set.count_ones())
}

/// [`count`] of every set whose members are among the first 8 variants, as a table: a column of
/// such sets is counted by a load per set instead of a population count (which x86-64 without
/// `popcnt` spells out in about a dozen instructions per 64 bits).
pub fn count8_table() -> [u8; 256] {
    std::array::from_fn(|m| m.count_ones() as u8)
}

/// The `場合` arm variant `i` takes: the first whose mask holds it.
pub fn arm<B>(arms: &[(u128, B)], i: u32) -> Option<usize> {
    arms.iter().position(|(mask, _)| contains(*mask, i))
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_table_counts_as_count_does() {
        let table = super::count8_table();
        for m in 0..=u8::MAX {
            let counted = table.get(usize::from(m)).copied().map(i64::from);
            assert_eq!(counted, Some(super::count(u128::from(m))), "{m:#b}");
        }
    }
}
