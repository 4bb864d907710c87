//! The cells of one chunk of an input column: whole numbers and presence masks for
//! [`ColumnsBuilder::ints`](onshi::eval::ColumnsBuilder::ints) when every cell has one, else
//! each cell's value as the JSON facts reader reads it.

use super::Spellings;
use arrow::array::{Array, Decimal128Array, ListArray, StringArray};
use arrow::buffer::NullBuffer;
use onshi::facts::FactsError;
use onshi::{Program, Type, Value};
use onshi_grammar::num::Num;
use serde_json::Value as Json;

/// Rows `start..end`'s presence mask (1: a value), `None` when none is null.
pub(super) fn presence(nulls: Option<&NullBuffer>, start: usize, end: usize) -> Option<Vec<u8>> {
    let nulls = nulls?;
    let n = end.saturating_sub(start);
    (nulls.slice(start, n).null_count() > 0)
        .then(|| (start..end).map(|i| u8::from(nulls.is_valid(i))).collect())
}

/// Whole numbers and their presence mask.
pub(super) type Typed = (Vec<i64>, Option<Vec<u8>>);

/// Each row's whole number by `cell` (`Some(None)`: null), with the presence mask; `None` when
/// `cell` says some row has none the typed forms can say (`None`).
pub(super) fn typed(
    rows: std::ops::Range<usize>,
    mut cell: impl FnMut(usize) -> Option<Option<i64>>,
) -> Option<Typed> {
    let mut v = Vec::with_capacity(rows.len());
    let mut present = Vec::with_capacity(rows.len());
    for i in rows {
        let (x, p) = match cell(i)? {
            None => (0, 0),
            Some(x) => (x, 1),
        };
        v.push(x);
        present.push(p);
    }
    let present = present.contains(&0).then_some(present);
    Some((v, present))
}

/// Rows `start..end` of a set column as bit masks; `None` when an item is null or no variant,
/// or a mask does not fit a positive `i64` (an enumeration of more than 63 variants).
pub(super) fn masks<'a>(
    a: &ListArray,
    items: &'a StringArray,
    start: usize,
    end: usize,
    mut index: impl FnMut(&str) -> Option<u32>,
) -> Option<Typed> {
    let offsets = a.value_offsets();
    // The item read last (most lists repeat a few names).
    let mut last: Option<(&'a str, u32)> = None;
    typed(start..end, |i| {
        if a.is_null(i) {
            return Some(None);
        }
        let from = usize::try_from(*offsets.get(i)?).ok()?;
        let to = usize::try_from(*offsets.get(i.saturating_add(1))?).ok()?;
        let mut bits = 0i64;
        for j in from..to {
            if items.is_null(j) {
                return None;
            }
            let name = items.value(j);
            let bit = match last {
                Some((t, x)) if t == name => x,
                _ => {
                    let x = index(name)?;
                    last = Some((name, x));
                    x
                }
            };
            bits |= 1i64.checked_shl(bit).filter(|b| *b > 0)?;
        }
        Some(Some(bits))
    })
}

/// Rows `start..end` of a decimal column as whole numbers, when every value is whole and fits.
pub(super) fn whole_decimals(
    a: &Decimal128Array,
    scale: i8,
    start: usize,
    end: usize,
) -> Option<Typed> {
    let f = 10i128.checked_pow(u32::from(scale.unsigned_abs()))?;
    typed(start..end, |i| {
        if a.is_null(i) {
            return Some(None);
        }
        let m = a.value(i);
        let whole = if scale >= 0 {
            (m.checked_rem(f)? == 0)
                .then(|| m.checked_div(f))
                .flatten()?
        } else {
            m.checked_mul(f)?
        };
        i64::try_from(whole).ok().map(Some)
    })
}

/// Cell `i` of a decimal column as a value (`None`: null).
pub(super) fn decimal(
    a: &Decimal128Array,
    scale: i8,
    i: usize,
    ty: &Type,
    path: &str,
) -> Result<Option<Value>, FactsError> {
    if a.is_null(i) {
        return Ok(None);
    }
    let m = a.value(i);
    let f = 10i128.checked_pow(u32::from(scale.unsigned_abs()));
    let num = if scale >= 0 {
        f.and_then(|d| Num::new(m, d))
    } else {
        f.and_then(|f| m.checked_mul(f))
            .and_then(|n| Num::new(n, 1))
    };
    let num = num.ok_or_else(|| FactsError::Json {
        message: format!("{path}: decimal out of range"),
    })?;
    Ok(Some(match ty.strip_optional() {
        Type::Money => Value::Money(num),
        Type::Ratio => Value::Ratio(num),
        _ => Value::Decimal(num),
    }))
}

/// A text cell (`None`: null) read as the JSON facts read a string of type `ty`.
pub(super) fn text(
    cell: Option<&str>,
    seen: &mut Spellings,
    ty: &Type,
    path: &str,
    program: &Program,
) -> Result<Option<Value>, FactsError> {
    cell.map(|s| seen.read(s, ty, path, program)).transpose()
}

/// Cell `i` of a set column read as the JSON facts read an array of strings (`None`: null).
pub(super) fn list(
    a: &ListArray,
    items: &StringArray,
    i: usize,
    ty: &Type,
    path: &str,
    program: &Program,
) -> Result<Option<Value>, FactsError> {
    if a.is_null(i) {
        return Ok(None);
    }
    let offsets = a.value_offsets();
    let bound = |j: usize| offsets.get(j).and_then(|x| usize::try_from(*x).ok());
    let (from, to) = bound(i).zip(bound(i.saturating_add(1))).unwrap_or((0, 0));
    let json = Json::Array(
        (from..to)
            .map(|j| {
                if items.is_valid(j) {
                    Json::String(items.value(j).to_string())
                } else {
                    Json::Null
                }
            })
            .collect(),
    );
    program.value_from_json(&json, ty, path).map(Some)
}
