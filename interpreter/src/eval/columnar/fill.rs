//! Input columns filled a whole column at a time ([`ColumnsBuilder`]): typed data (whole numbers
//! with a presence mask, as Arrow and JavaScript's typed arrays hold them) is checked against the
//! input's type and written straight into the evaluator's columns, without a [`Value`] per cell.
//! The whole-number forms: 真偽 as 0/1, 整数 as itself, 金額/割合/小数 as whole numbers (yen), dates
//! as days since 1970-01-01 (Arrow `date32`), enumerations as variant indices (declaration order),
//! sets as bit masks (bit k: variant k). A value its type has no value for gets the facts error the
//! JSON facts reader gives that record (its code and wording; path `$.<input>`); a value left out
//! takes the input's default, or is the record's [`FactsError::Missing`].
//!
//! Each typed loop is a fast path of [`typed_value`] pushed through [`Stored::push`] (the generic
//! path, which inputs with an optional type or a default without a typed form take); the tests
//! hold the two equal.

use super::col::Col;
use super::stored::Stored;
use super::Columns;
use crate::facts::{FactsError, JsonKind};
use crate::program::{Input, Program};
use crate::types::{EnumId, Type};
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use onshi_grammar::literal::{date_in_range, LiteralError, LiteralKind, FIRST_YEAR};
use onshi_grammar::num::Num;
use std::fmt;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01 (day 0 here).
pub const EPOCH_FROM_CE: i32 = 719_163;

/// Why a column cannot be added at all (the caller's mistake, not a record's).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ColumnError {
    /// No input has this index.
    NoInput { input: usize },
    /// The column has another number of values, or of presence flags, than there are records.
    Length {
        input: usize,
        expected: usize,
        found: usize,
    },
    /// The input's type has no whole-number form ([`typed_input`] is false).
    NotTyped { input: usize },
}

impl fmt::Display for ColumnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ColumnError::NoInput { input } => write!(f, "no input has index {input}"),
            ColumnError::Length {
                input,
                expected,
                found,
            } => write!(
                f,
                "input {input}: the column has {found} values, not {expected} as the records"
            ),
            ColumnError::NotTyped { input } => {
                write!(f, "input {input}: its type has no whole-number form")
            }
        }
    }
}

/// Whether an input of type `ty` can be given as whole numbers ([`ColumnsBuilder::ints`]).
pub fn typed_input(ty: &Type) -> bool {
    matches!(
        ty.strip_optional(),
        Type::Bool
            | Type::Int
            | Type::Money
            | Type::Ratio
            | Type::Decimal
            | Type::Date
            | Type::Enum(_)
            | Type::Set(_)
    )
}

/// The value whole number `x` stands for in an input of type `ty` (see the module
/// documentation), or the facts error the JSON facts reader gives a value out of its range (a
/// variant the enumeration does not have, a date out of range, a truth value not 0 or 1).
pub fn typed_value(program: &Program, ty: &Type, x: i64, path: &str) -> Result<Value, FactsError> {
    let enum_info = |e: &EnumId| program.enums().get(e.0 as usize);
    let no_variant = |e: &EnumId, variant: String| FactsError::UnknownVariant {
        path: path.to_string(),
        variant,
        enum_name: enum_info(e).map_or(String::new(), |e| e.name.clone()),
        suggestion: None,
    };
    let wrong = || FactsError::WrongType {
        path: path.to_string(),
        expected: program.type_text(ty),
        found: JsonKind::Number,
    };
    Ok(match ty.strip_optional() {
        Type::Bool => match x {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            _ => return Err(wrong()),
        },
        Type::Int => Value::Int(x),
        Type::Money => Value::Money(Num::from_int(i128::from(x))),
        Type::Ratio => Value::Ratio(Num::from_int(i128::from(x))),
        Type::Decimal => Value::Decimal(Num::from_int(i128::from(x))),
        // The dates the JSON facts reader takes (1873-01-01 to 9999-12-31), with its errors.
        Type::Date => {
            let refused = |text: String, error| FactsError::Literal {
                path: path.to_string(),
                text,
                error,
            };
            match day(x) {
                Some(d) if date_in_range(d) => Value::Date(d),
                Some(d) if d.year() < FIRST_YEAR => {
                    return Err(refused(d.to_string(), LiteralError::BeforeGregorian))
                }
                // Before any date chrono holds: before 1873 all the same, not "too large".
                None if x < 0 => return Err(refused(x.to_string(), LiteralError::BeforeGregorian)),
                _ => {
                    let kind = LiteralKind::Date;
                    return Err(refused(x.to_string(), LiteralError::Overflow { kind }));
                }
            }
        }
        Type::Enum(e) => {
            let n = enum_info(e).map_or(0, |e| e.variants.len());
            match u32::try_from(x) {
                Ok(k) if usize::try_from(k).is_ok_and(|k| k < n) => Value::Enum(k),
                _ => return Err(no_variant(e, x.to_string())),
            }
        }
        Type::Set(e) => {
            let n = enum_info(e).map_or(0, |e| e.variants.len());
            let mask = u128::try_from(x).map_err(|_| no_variant(e, x.to_string()))?;
            if n < 128 && mask >> n != 0 {
                let bit = 127 - (mask >> n << n).leading_zeros();
                return Err(no_variant(e, format!("bit {bit}")));
            }
            Value::Set(mask)
        }
        _ => return Err(wrong()),
    })
}

/// Day number `x` (days since 1970-01-01) as a date, when chrono has it.
#[inline]
pub fn day(x: i64) -> Option<NaiveDate> {
    i32::try_from(x)
        .ok()
        .and_then(|d| d.checked_add(EPOCH_FROM_CE))
        .and_then(NaiveDate::from_num_days_from_ce_opt)
}

/// The facts error of input `input` left out with no default.
fn missing(program: &Program, input: &Input) -> FactsError {
    FactsError::Missing {
        path: path(input),
        ty: program.type_text(&input.ty),
    }
}

fn path(input: &Input) -> String {
    format!("$.{}", input.name)
}

/// The value a record with a facts error holds in its columns (never read: its error is).
fn placeholder(ty: &Type) -> Value {
    match ty {
        Type::Bool => Value::Bool(false),
        Type::Int => Value::Int(0),
        Type::Money => Value::Money(Num::from_int(0)),
        Type::Ratio => Value::Ratio(Num::from_int(0)),
        Type::Decimal => Value::Decimal(Num::from_int(0)),
        Type::Date => Value::Date(NaiveDate::MIN),
        Type::Enum(_) => Value::Enum(0),
        Type::Set(_) => Value::Set(0),
        _ => Value::Absent,
    }
}

/// Records' facts errors: (record, input, error).
type Found = Vec<(usize, usize, FactsError)>;

/// [`Columns`] for `n` records, filled one input column at a time. A column not given is left
/// out for every record.
#[derive(Debug)]
pub struct ColumnsBuilder<'p> {
    program: &'p Program,
    n: usize,
    cols: Vec<Option<Stored>>,
    errors: Found,
}

impl<'p> ColumnsBuilder<'p> {
    pub fn new(program: &'p Program, n: usize) -> Self {
        ColumnsBuilder {
            program,
            n,
            cols: program.inputs().iter().map(|_| None).collect(),
            errors: Vec::new(),
        }
    }

    fn input(&self, input: usize) -> Result<&'p Input, ColumnError> {
        self.program
            .inputs()
            .get(input)
            .ok_or(ColumnError::NoInput { input })
    }

    fn length(&self, input: usize, found: usize) -> Result<(), ColumnError> {
        if found == self.n {
            return Ok(());
        }
        Err(ColumnError::Length {
            input,
            expected: self.n,
            found,
        })
    }

    /// Input `input` (in `program.inputs()` order) as whole numbers, record `i`'s value left out
    /// where `present[i]` is 0.
    pub fn ints(
        &mut self,
        input: usize,
        values: &[i64],
        present: Option<&[u8]>,
    ) -> Result<(), ColumnError> {
        let info = self.input(input)?;
        self.length(input, values.len())?;
        if let Some(p) = present {
            self.length(input, p.len())?;
        }
        if !typed_input(&info.ty) {
            return Err(ColumnError::NotTyped { input });
        }
        let program = self.program;
        let mut errors = Vec::new();
        let stored = super::typed::fill(program, info, input, values, present, &mut errors)
            .unwrap_or_else(|| {
                let given = |i: usize| {
                    let on = present.is_none_or(|p| p.get(i).is_some_and(|b| *b != 0));
                    let x = values.get(i).copied().filter(|_| on);
                    x.map(|x| typed_value(program, &info.ty, x, &path(info)))
                        .transpose()
                };
                generic(program, info, input, values.len(), given, &mut errors)
            });
        self.set(input, stored, errors);
        Ok(())
    }

    /// Input `input`'s values already read, record by record: a value, `None` for a value left
    /// out, or the record's facts error.
    pub fn values<I>(&mut self, input: usize, cells: I) -> Result<(), ColumnError>
    where
        I: IntoIterator<Item = Result<Option<Value>, FactsError>>,
    {
        let info = self.input(input)?;
        let cells: Vec<_> = cells.into_iter().take(self.n.saturating_add(1)).collect();
        self.length(input, cells.len())?;
        let mut cells = cells.into_iter();
        let mut errors = Vec::new();
        let stored = generic(
            self.program,
            info,
            input,
            self.n,
            |_| cells.next().unwrap_or(Ok(None)),
            &mut errors,
        );
        self.set(input, stored, errors);
        Ok(())
    }

    fn set(&mut self, input: usize, stored: Stored, errors: Found) {
        // A column given again replaces the first, errors included.
        self.errors.retain(|(_, k, _)| *k != input);
        self.errors.extend(errors);
        if let Some(slot) = self.cols.get_mut(input) {
            *slot = Some(stored);
        }
    }

    /// The columns, and each record's facts error (records in order, at most one each: the
    /// first input's in `program.inputs()` order, as the JSON facts reader reports it). A record
    /// with an error holds a placeholder: read its error instead of its outputs.
    pub fn finish(mut self) -> (Columns, Vec<(usize, FactsError)>) {
        let program = self.program;
        let mut cols = Vec::with_capacity(self.cols.len());
        for (k, (slot, info)) in self.cols.into_iter().zip(program.inputs()).enumerate() {
            cols.push(match (slot, &info.default) {
                (Some(s), _) => s,
                // Left out for every record: the default, one value for the chunk (an absent
                // optional value stays a column of values, as the evaluator expects it).
                (None, Some(d)) if self.n > 0 && !matches!(d, Value::Absent) => {
                    Stored::Col(Col::One(d.clone()))
                }
                (None, _) => generic(program, info, k, self.n, |_| Ok(None), &mut self.errors),
            });
        }
        self.errors.sort_by_key(|(i, k, _)| (*i, *k));
        self.errors.dedup_by_key(|(i, _, _)| *i);
        let columns = Columns {
            n: self.n,
            cols,
            types: program.inputs().iter().map(|i| i.ty.clone()).collect(),
        };
        let errors = self.errors.into_iter().map(|(i, _, e)| (i, e)).collect();
        (columns, errors)
    }
}

/// The column of input `info` (number `k`) from each record's value as `given` reads it, pushed
/// one [`Value`] at a time: the reference the typed loops are fast paths of.
fn generic(
    program: &Program,
    info: &Input,
    k: usize,
    n: usize,
    mut given: impl FnMut(usize) -> Result<Option<Value>, FactsError>,
    errors: &mut Found,
) -> Stored {
    let mut stored = Stored::empty(&info.ty);
    for i in 0..n {
        let v = match given(i) {
            Ok(Some(v)) => v,
            Ok(None) => match &info.default {
                Some(d) => d.clone(),
                None => {
                    errors.push((i, k, missing(program, info)));
                    placeholder(&info.ty)
                }
            },
            Err(e) => {
                errors.push((i, k, e));
                placeholder(&info.ty)
            }
        };
        stored.push(v, i, &info.ty);
    }
    stored
}

/// Records record `i`'s facts error for input `info` (number `k`): `x` refused by
/// [`typed_value`], or left out (`None`) without a default. For the typed loops (`typed.rs`).
pub(super) fn record_error(
    program: &Program,
    info: &Input,
    k: usize,
    i: usize,
    x: Option<i64>,
    errors: &mut Found,
) {
    let e = match x {
        None => missing(program, info),
        Some(x) => match typed_value(program, &info.ty, x, &path(info)) {
            Err(e) => e,
            // Not reached: the typed loop calls this only for a value `typed_value` refuses.
            Ok(_) => return,
        },
    };
    errors.push((i, k, e));
}

#[cfg(test)]
mod tests;
