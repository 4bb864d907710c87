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

use onshi::eval::{Columns, ColumnsBuilder};
use onshi::schema::DiagnosticData;
use onshi::{FactsError, Program, SourceMap};
use serde_json::Value as Json;

pub use onshi::eval::typed_input;

pub mod js;
mod write;

use write::Writer;

/// Records evaluated together (one `Evaluator::chunk` call).
const CHUNK: usize = 4096;

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
        let (chunk, errors) = chunk(program, columns, start, end)?;
        let results = program.evaluator().chunk(&chunk);
        out.chunk(&results, errors, start, sources);
        start = end;
    }
    Ok(out.finish())
}

/// Records `start..end` of `columns` as a chunk's input columns (typed arrays checked and written
/// without a value per cell), and each record's facts error: the one the JSON facts give that
/// record. A value left out (presence 0, `null`, or no column) is a key left out of the facts.
fn chunk(
    program: &Program,
    columns: &[InColumn],
    start: usize,
    end: usize,
) -> Result<(Columns, Vec<(usize, FactsError)>), ArgError> {
    let mut b = ColumnsBuilder::new(program, end - start);
    for (k, (input, c)) in program.inputs().iter().zip(columns).enumerate() {
        let present = c.present.as_ref().and_then(|p| p.get(start..end));
        let given = match &c.data {
            // No column: left out for every record, as a column never given.
            Data::Absent => Ok(()),
            Data::Ints(v) => b.ints(k, v.get(start..end).unwrap_or_default(), present),
            Data::Json(v) => {
                let path = format!("$.{}", input.name);
                let values = v.get(start..end).unwrap_or_default();
                let on = |j: usize| present.is_none_or(|p| p.get(j).is_some_and(|b| *b != 0));
                b.values(
                    k,
                    values.iter().enumerate().map(|(j, json)| match json {
                        Json::Null => Ok(None),
                        _ if !on(j) => Ok(None),
                        json => program.value_from_json(json, &input.ty, &path).map(Some),
                    }),
                )
            }
        };
        given.map_err(|e| ArgError(format!("column {:?}: {e}", input.name)))?;
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests;
