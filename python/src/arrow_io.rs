//! `evaluate_arrow`: Arrow record batches in, Arrow record batches out, evaluated by chunk with
//! the columnar evaluator ([`onshi::Evaluator::chunk`]).
//!
//! Each input column is read by its input's type, a column at a time (`read.rs`: typed columns
//! through `onshi::eval::ColumnsBuilder`, text cells as the JSON facts reader reads a string for
//! that type — enumeration variants, 和暦 or ISO dates, `41.1万円`, `1/2`…): a null cell is an
//! absent value (the input's default applies, as for an empty CSV cell or a key left out of JSON
//! facts), and a bad value gets the same error code and message as `onshi batch` gives it. The
//! outputs are written from the typed output columns (`write.rs`). A record whose facts are bad,
//! or whose evaluation fails, gets nulls in every output column and its error in
//! `error_code`/`error_message`; nothing is dropped and rows keep their order.

use crate::Lang;
use arrow::array::{Array, ArrayRef, RecordBatch};
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use onshi::{Program, SourceMap, Type};
use std::sync::Arc;

mod read;
mod write;

use read::Reader;
use write::Writer;

/// Records evaluated together (one `Evaluator::chunk` call): a batch of any size is cut into
/// chunks of this many rows, so the chunk's columns stay in the cache.
const CHUNK: usize = 4096;

/// The code of a 金額 output that is not a whole number of yen (its column is `int64` yen).
const NOT_WHOLE_YEN: &str = "onshi::python::not_whole_yen";

/// Why a table cannot be evaluated at all (a column of a type that cannot hold its input).
pub enum ArgError {
    Type(String),
    Value(String),
}

impl ArgError {
    pub fn into_py(self) -> pyo3::PyErr {
        match self {
            ArgError::Type(m) => pyo3::exceptions::PyTypeError::new_err(m),
            ArgError::Value(m) => pyo3::exceptions::PyValueError::new_err(m),
        }
    }
}

fn arrow_err(e: arrow::error::ArrowError) -> ArgError {
    ArgError::Value(e.to_string())
}

/// How the values of an output are written: its Arrow type.
fn output_type(ty: &Type) -> DataType {
    match ty.strip_optional() {
        Type::Bool => DataType::Boolean,
        Type::Int | Type::Money => DataType::Int64,
        Type::Date => DataType::Date32,
        Type::Set(_) => DataType::List(Arc::new(Field::new("item", DataType::Utf8, true))),
        // Enumerations by variant name; 割合 as `1/2`, 小数 as its decimal text, 期間 and rows
        // as their JSON forms: exact, never floats.
        _ => DataType::Utf8,
    }
}

/// The fields of `evaluate_arrow`'s result: the outputs, then `error_code` and `error_message`.
fn output_fields(program: &Program) -> Vec<Field> {
    let mut fields: Vec<Field> = program
        .output_defs()
        .map(|d| Field::new(d.name.as_str(), output_type(&d.ty), true))
        .collect();
    fields.push(Field::new("error_code", DataType::Utf8, true));
    fields.push(Field::new("error_message", DataType::Utf8, true));
    fields
}

fn is_string(dt: &DataType) -> bool {
    match dt {
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, v) => is_string(v),
        _ => false,
    }
}

fn is_int(dt: &DataType) -> bool {
    matches!(
        dt,
        DataType::Int8
            | DataType::Int16
            | DataType::Int32
            | DataType::Int64
            | DataType::UInt8
            | DataType::UInt16
            | DataType::UInt32
    )
}

fn downcast<A: Array + Clone + 'static>(a: &ArrayRef) -> Result<A, ArgError> {
    a.as_any()
        .downcast_ref::<A>()
        .cloned()
        .ok_or_else(|| ArgError::Value(format!("unexpected Arrow array {}", a.data_type())))
}

/// Evaluates every row of `batches`: one output batch per input batch, rows in order.
pub fn evaluate(
    program: &Program,
    sources: &SourceMap,
    schema: &SchemaRef,
    batches: &[RecordBatch],
    lang: Lang,
) -> Result<arrow::pyarrow::Table, ArgError> {
    let out_schema = Arc::new(Schema::new(output_fields(program)));
    let mut out = Vec::with_capacity(batches.len());
    for batch in batches {
        out.push(evaluate_batch(
            program,
            sources,
            schema,
            batch,
            &out_schema,
            lang,
        )?);
    }
    arrow::pyarrow::Table::try_new(out, out_schema).map_err(arrow_err)
}

/// For the bench (bench/python/): the seconds `Evaluator::chunk` alone takes over every chunk of
/// `batches` — the Rust chunk evaluator on the same records, their columns read beforehand
/// (not timed), nothing converted back.
pub fn time_columns(
    program: &Program,
    schema: &SchemaRef,
    batches: &[RecordBatch],
) -> Result<f64, ArgError> {
    let mut chunks = Vec::new();
    for batch in batches {
        let mut reader = Reader::new(program, schema, batch)?;
        let n = batch.num_rows();
        let mut start = 0;
        while start < n {
            let end = n.min(start.saturating_add(CHUNK));
            chunks.push(reader.chunk(start, end)?.0);
            start = end;
        }
    }
    let t = std::time::Instant::now();
    let mut records = 0usize;
    for columns in &chunks {
        records = records.saturating_add(program.evaluator().chunk(columns).len());
    }
    std::hint::black_box(records);
    Ok(t.elapsed().as_secs_f64())
}

fn evaluate_batch(
    program: &Program,
    sources: &SourceMap,
    schema: &SchemaRef,
    batch: &RecordBatch,
    out_schema: &SchemaRef,
    lang: Lang,
) -> Result<RecordBatch, ArgError> {
    let mut reader = Reader::new(program, schema, batch)?;
    let n = batch.num_rows();
    let mut writer = Writer::new(program, n, lang);
    let mut start = 0;
    while start < n {
        let end = n.min(start.saturating_add(CHUNK));
        let (columns, facts) = reader.chunk(start, end)?;
        let results = program.evaluator().chunk(&columns);
        writer.chunk(&results, facts, sources);
        start = end;
    }
    RecordBatch::try_new(out_schema.clone(), writer.finish()).map_err(arrow_err)
}
