//! `policy.evaluateColumns(columns)`: records as columns in, typed columns out, evaluated by chunk
//! ([`onshi::Evaluator::chunk`]). The forms are the Python package's Arrow forms (`evaluate_arrow`)
//! as JavaScript's typed arrays, so a column of an Arrow table in JavaScript (`apache-arrow`) can be
//! passed as its typed array: dates as day numbers since 1970-01-01 (Arrow `date32`), 整数 and
//! 金額 as whole numbers (yen), enumerations as variant indices (Arrow dictionary indices, the
//! dictionary being the enumeration's variants in declaration order), sets as bit masks, and a
//! presence mask where a value may be missing (Arrow's validity). Arrow IPC itself is not read: it
//! would bring the arrow crates into the package, and typed arrays are what both an Arrow table and
//! plain JavaScript hold.
//!
//! A record's facts error or evaluation error is the one `evaluateMany` (and `evaluate`) gives
//! that record as JSON facts: a value left out (presence 0, `null`, or no column) is a key left out
//! of the facts, so the input's default applies or the record is missing a required input. A
//! record with an error has no outputs (`ok` is 0 for it); the others are unaffected.
//!
//! This file is the part without JavaScript (tested natively); `js.rs` converts from and to
//! JavaScript values.

use chrono::NaiveDate;
use onshi::eval::Columns;
use onshi::facts::JsonKind;
use onshi::schema::DiagnosticData;
use onshi::types::EnumId;
use onshi::{FactsError, Program, RunError, SourceMap, Type, Value};
use onshi_grammar::literal::{LiteralError, LiteralKind};
use onshi_grammar::num::Num;
use serde_json::Value as Json;

pub mod js;
mod write;

use write::Writer;

/// Records evaluated together (one `Evaluator::chunk` call).
const CHUNK: usize = 4096;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01 (day 0 here).
const EPOCH_FROM_CE: i32 = 719_163;

/// The code of a record whose 金額 output is not a whole number of yen in the `int64` range (its
/// column holds whole yen), as the Python package's `onshi::python::not_whole_yen`.
pub const NOT_WHOLE_YEN: &str = "onshi::wasm::not_whole_yen";

/// One input's values as given.
#[derive(Clone, Debug, PartialEq)]
pub enum Data {
    /// No column: every value left out.
    Absent,
    /// A typed array of whole numbers, read by the input's type (see the module documentation).
    Ints(Vec<i64>),
    /// A plain array: each element read as the JSON facts read that input's value (`null` is a
    /// value left out).
    Json(Vec<Json>),
}

/// One input column: its values and, when given, which are present (0: left out).
#[derive(Clone, Debug, PartialEq)]
pub struct InColumn {
    pub data: Data,
    pub present: Option<Vec<u8>>,
}

impl InColumn {
    fn len(&self) -> Option<usize> {
        match &self.data {
            Data::Absent => None,
            Data::Ints(v) => Some(v.len()),
            Data::Json(v) => Some(v.len()),
        }
    }
}

/// Whether an input of type `ty` can be given as a typed array of whole numbers.
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

/// One output column.
#[derive(Clone, Debug, PartialEq)]
pub enum OutData {
    /// 真偽: 0 or 1.
    Bool(Vec<u8>),
    /// 整数, or 金額 in yen.
    Int(Vec<i64>),
    /// 日付: days since 1970-01-01.
    Date(Vec<i32>),
    /// Any other type: per record an index into `dictionary`, the values' JSON forms (as
    /// `evaluate` gives them); for an enumeration, its variants in declaration order.
    Dict {
        indices: Vec<u32>,
        dictionary: Vec<Json>,
    },
}

/// An output's column and, for an optional (任意) output, which values are present.
#[derive(Clone, Debug, PartialEq)]
pub struct OutColumn {
    pub name: String,
    pub data: OutData,
    pub present: Option<Vec<u8>>,
}

/// What `evaluateColumns` returns.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluated {
    pub len: usize,
    pub outputs: Vec<OutColumn>,
    /// 1 where the record has its outputs, 0 where it has an error.
    pub ok: Vec<u8>,
    /// The records with an error, in order: the row and its diagnostic.
    pub errors: Vec<(usize, DiagnosticData)>,
}

/// Why the columns as a whole cannot be evaluated (a `TypeError` in JavaScript).
#[derive(Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

/// Evaluates `len` records given as `columns` (one per input, in `program.inputs()` order).
pub fn evaluate(
    program: &Program,
    sources: &SourceMap,
    columns: &[InColumn],
    len: usize,
) -> Result<Evaluated, ArgError> {
    let inputs = program.inputs();
    for (input, c) in inputs.iter().zip(columns) {
        let lens = c.len().into_iter().chain(c.present.as_ref().map(Vec::len));
        if let Some(bad) = lens.into_iter().find(|l| *l != len) {
            return Err(ArgError(format!(
                "column {:?} has {bad} values, not {len} as the others",
                input.name
            )));
        }
        if matches!(c.data, Data::Ints(_)) && !typed_input(&input.ty) {
            return Err(ArgError(format!(
                "column {:?}: a {} input cannot be a typed array; give a plain array of its JSON forms",
                input.name,
                program.type_text(&input.ty).en
            )));
        }
    }
    let mut out = Writer::new(program, len);
    let mut start = 0;
    while start < len {
        let end = len.min(start.saturating_add(CHUNK));
        let mut chunk = Columns::new(program);
        let mut slots = Vec::with_capacity(end - start);
        let mut record = Vec::with_capacity(inputs.len());
        for i in start..end {
            record.clear();
            let read = inputs.iter().zip(columns).try_for_each(|(input, c)| {
                record.push(read(program, input, c, i)?);
                Ok::<(), FactsError>(())
            });
            slots.push(match read {
                Ok(()) => {
                    let k = chunk.len();
                    chunk.push(record.drain(..));
                    Ok(k)
                }
                Err(e) => Err(RunError::Facts(e)),
            });
        }
        let results = program.evaluator().chunk(&chunk);
        out.chunk(&results, slots, start, sources);
        start = end;
    }
    Ok(out.finish())
}

/// Record `i`'s value of `input`: the default when left out, or the error the JSON facts give.
fn read(
    program: &Program,
    input: &onshi::program::Input,
    c: &InColumn,
    i: usize,
) -> Result<Value, FactsError> {
    let path = || format!("$.{}", input.name);
    let present = match &c.present {
        None => true,
        Some(p) => p.get(i).is_some_and(|b| *b != 0),
    };
    let given = match (&c.data, present) {
        (_, false) | (Data::Absent, _) => None,
        (Data::Json(v), true) => match v.get(i) {
            None | Some(Json::Null) => None,
            Some(j) => Some(program.value_from_json(j, &input.ty, &path())?),
        },
        (Data::Ints(v), true) => match v.get(i) {
            None => None,
            Some(x) => Some(typed(program, &input.ty, *x, path)?),
        },
    };
    match (given, &input.default) {
        (Some(v), _) => Ok(v),
        (None, Some(d)) => Ok(d.clone()),
        (None, None) => Err(FactsError::Missing {
            path: path(),
            ty: program.type_text(&input.ty),
        }),
    }
}

/// The value a whole number stands for in an input of type `ty`, or the facts error a value out
/// of its range gets (as the JSON facts word it: a variant the enumeration does not have, a date
/// out of range, a truth value that is not 0 or 1).
fn typed(
    program: &Program,
    ty: &Type,
    x: i64,
    path: impl Fn() -> String,
) -> Result<Value, FactsError> {
    let enum_info = |e: &EnumId| program.enums().get(e.0 as usize);
    let no_variant = |e: &EnumId, variant: String| FactsError::UnknownVariant {
        path: path(),
        variant,
        enum_name: enum_info(e).map_or(String::new(), |e| e.name.clone()),
        suggestion: None,
    };
    Ok(match ty.strip_optional() {
        Type::Bool => match x {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            _ => {
                return Err(FactsError::WrongType {
                    path: path(),
                    expected: program.type_text(ty),
                    found: JsonKind::Number,
                })
            }
        },
        Type::Int => Value::Int(x),
        Type::Money => Value::Money(Num::from_int(i128::from(x))),
        Type::Ratio => Value::Ratio(Num::from_int(i128::from(x))),
        Type::Decimal => Value::Decimal(Num::from_int(i128::from(x))),
        Type::Date => i32::try_from(x)
            .ok()
            .and_then(|d| d.checked_add(EPOCH_FROM_CE))
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .map(Value::Date)
            .ok_or_else(|| FactsError::Literal {
                path: path(),
                text: x.to_string(),
                error: LiteralError::Overflow {
                    kind: LiteralKind::Date,
                },
            })?,
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
        _ => {
            return Err(FactsError::WrongType {
                path: path(),
                expected: program.type_text(ty),
                found: JsonKind::Number,
            })
        }
    })
}

#[cfg(test)]
mod tests;
