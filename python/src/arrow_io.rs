//! `evaluate_arrow`: Arrow record batches in, Arrow record batches out, evaluated by chunk with
//! the columnar evaluator ([`onshi::Evaluator::chunk`]).
//!
//! Each input column is read by its input's type (see [`Cells`]): a null cell is an absent value
//! (the input's default applies, as for an empty CSV cell or a key left out of JSON facts); strings
//! are read as the JSON facts reader reads a string for that type (enumeration variants, 和暦 or
//! ISO dates, `41.1万円`, `1/2`…), so a bad value gets the same error code and message as
//! `onshi batch` gives it. A record whose facts are bad, or whose evaluation fails, gets nulls in
//! every output column and its error in `error_code`/`error_message`; nothing is dropped and rows
//! keep their order.

use crate::Lang;
use arrow::array::{
    Array, ArrayRef, BooleanArray, BooleanBuilder, Date32Array, Date32Builder, Decimal128Array,
    Int64Array, Int64Builder, ListArray, ListBuilder, RecordBatch, StringArray, StringBuilder,
};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field, Schema, SchemaRef};
use chrono::{Datelike, NaiveDate};
use onshi::eval::{ChunkOutputs, Columns, OutputColumn};
use onshi::facts::FactsError;
use onshi::program::Input;
use onshi::schema::DiagnosticData;
use onshi::{Program, RunError, SourceMap, Type, Value};
use onshi_grammar::num::Num;
use serde_json::Value as Json;
use std::sync::Arc;

/// Records evaluated together (one `Evaluator::chunk` call): a batch of any size is cut into
/// chunks of this many rows, so the chunk's columns stay in the cache.
const CHUNK: usize = 4096;

/// Days from 0001-01-01 (chrono's day 1 of the common era) to 1970-01-01 (Arrow's day 0).
const EPOCH_FROM_CE: i32 = 719_163;

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

/// One input's column in a batch, in the form it is read from.
enum Cells {
    /// No such column, or Arrow's null type: every cell is null.
    Null,
    Bool(BooleanArray),
    Int(Int64Array),
    /// Decimal128 with its scale.
    Dec(Decimal128Array, i8),
    Date(Date32Array),
    Str(StringArray),
    /// A list column and its items.
    List(ListArray, StringArray),
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

impl Cells {
    /// The column `a` for an input of type `ty`, or a `TypeError` naming the column when its Arrow
    /// type cannot hold the input's values.
    fn of(a: &ArrayRef, input: &Input, program: &Program) -> Result<Cells, ArgError> {
        let ty = input.ty.strip_optional();
        let dt = a.data_type();
        let to = |t: &DataType| cast(a, t).map_err(arrow_err);
        Ok(match (ty, dt) {
            (_, DataType::Null) => Cells::Null,
            (Type::Bool, DataType::Boolean) => Cells::Bool(downcast(a)?),
            (Type::Int | Type::Money | Type::Ratio | Type::Decimal, d) if is_int(d) => {
                Cells::Int(downcast(&to(&DataType::Int64)?)?)
            }
            (Type::Money | Type::Ratio | Type::Decimal, DataType::Decimal128(_, s)) => {
                Cells::Dec(downcast(a)?, *s)
            }
            (Type::Date, DataType::Date32) => Cells::Date(downcast(a)?),
            (Type::Date, DataType::Date64) => Cells::Date(downcast(&to(&DataType::Date32)?)?),
            (Type::Set(_), DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f))
                if is_string(f.data_type()) =>
            {
                let item = Arc::new(Field::new("item", DataType::Utf8, true));
                let list: ListArray = downcast(&to(&DataType::List(item))?)?;
                let values = downcast(list.values())?;
                Cells::List(list, values)
            }
            (_, d) if is_string(d) => Cells::Str(downcast(&to(&DataType::Utf8)?)?),
            _ => {
                let floats = matches!(
                    dt,
                    DataType::Float16 | DataType::Float32 | DataType::Float64
                );
                let hint = if floats {
                    " (no floats: give amounts as int64 yen or decimal128, ratios as decimal128 or text such as \"1/2\")"
                } else {
                    ""
                };
                return Err(ArgError::Type(format!(
                    "column {:?}: an Arrow {dt} column cannot hold {} values{hint}",
                    input.name,
                    program.type_text(&input.ty).en
                )));
            }
        })
    }

    /// Cell `i`: `None` when it is null.
    fn get(
        &self,
        i: usize,
        input: &Input,
        program: &Program,
        path: &str,
        cache: &mut StringCache,
    ) -> Option<Result<Value, FactsError>> {
        let ty = input.ty.strip_optional();
        let odd = |message: String| FactsError::Json { message };
        match self {
            Cells::Null => None,
            Cells::Bool(a) => a.is_valid(i).then(|| Ok(Value::Bool(a.value(i)))),
            Cells::Int(a) => a.is_valid(i).then(|| {
                let v = a.value(i);
                let num = || {
                    Num::new(i128::from(v), 1)
                        .ok_or_else(|| odd(format!("{path}: {v} is out of range")))
                };
                Ok(match ty {
                    Type::Int => Value::Int(v),
                    Type::Money => Value::Money(num()?),
                    Type::Ratio => Value::Ratio(num()?),
                    _ => Value::Decimal(num()?),
                })
            }),
            Cells::Dec(a, scale) => a.is_valid(i).then(|| {
                let m = a.value(i);
                let num = if *scale >= 0 {
                    10i128
                        .checked_pow(u32::from(scale.unsigned_abs()))
                        .and_then(|d| Num::new(m, d))
                } else {
                    10i128
                        .checked_pow(u32::from(scale.unsigned_abs()))
                        .and_then(|f| m.checked_mul(f))
                        .and_then(|n| Num::new(n, 1))
                };
                let num = num.ok_or_else(|| odd(format!("{path}: decimal out of range")))?;
                Ok(match ty {
                    Type::Money => Value::Money(num),
                    Type::Ratio => Value::Ratio(num),
                    _ => Value::Decimal(num),
                })
            }),
            Cells::Date(a) => a.is_valid(i).then(|| {
                let days = a.value(i);
                days.checked_add(EPOCH_FROM_CE)
                    .and_then(NaiveDate::from_num_days_from_ce_opt)
                    .map(Value::Date)
                    .ok_or_else(|| odd(format!("{path}: date32 {days} is out of range")))
            }),
            Cells::Str(a) => a.is_valid(i).then(|| {
                let s = a.value(i);
                if let Some((_, v)) = cache.iter().find(|(t, _)| t == s) {
                    return Ok(v.clone());
                }
                let v = program.value_from_json(&Json::String(s.to_string()), &input.ty, path)?;
                if cache.len() < 64 {
                    cache.push((s.to_string(), v.clone()));
                }
                Ok(v)
            }),
            Cells::List(a, items) => a.is_valid(i).then(|| {
                let offsets = a.value_offsets();
                let bounds = offsets.get(i).zip(offsets.get(i.saturating_add(1)));
                let (from, to) = bounds.map_or((0, 0), |(x, y)| (*x as usize, *y as usize));
                // The common case straight from the items: every item a variant, read once per
                // column (`cache`); anything else goes through the JSON reader, which words the error.
                if let Type::Set(e) = ty {
                    let mut bits = 0u128;
                    let mut plain = true;
                    for j in from..to {
                        let bit = items.is_valid(j).then(|| {
                            let item = items.value(j);
                            if let Some((_, v)) = cache.iter().find(|(t, _)| t == item) {
                                return Some(v.clone());
                            }
                            let v = program
                                .value_from_json(
                                    &Json::String(item.to_string()),
                                    &Type::Enum(*e),
                                    path,
                                )
                                .ok()?;
                            if cache.len() < 64 {
                                cache.push((item.to_string(), v.clone()));
                            }
                            Some(v)
                        });
                        match bit.flatten() {
                            Some(Value::Enum(k)) if k < 128 => bits |= 1u128 << k,
                            _ => {
                                plain = false;
                                break;
                            }
                        }
                    }
                    if plain {
                        return Ok(Value::Set(bits));
                    }
                }
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
                program.value_from_json(&json, &input.ty, path)
            }),
        }
    }
}

/// One output column being written.
enum Out {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Date(Date32Builder),
    Str(StringBuilder),
    Set(ListBuilder<StringBuilder>),
}

impl Out {
    fn new(ty: &Type, n: usize) -> Out {
        match output_type(ty) {
            DataType::Boolean => Out::Bool(BooleanBuilder::with_capacity(n)),
            DataType::Int64 => Out::Int(Int64Builder::with_capacity(n)),
            DataType::Date32 => Out::Date(Date32Builder::with_capacity(n)),
            DataType::List(_) => Out::Set(ListBuilder::new(StringBuilder::new())),
            _ => Out::Str(StringBuilder::with_capacity(n, n * 8)),
        }
    }

    fn null(&mut self) {
        match self {
            Out::Bool(b) => b.append_null(),
            Out::Int(b) => b.append_null(),
            Out::Date(b) => b.append_null(),
            Out::Str(b) => b.append_null(),
            Out::Set(b) => b.append_null(),
        }
    }

    /// Appends `v` (of type `ty`); `false` when it does not fit the column (a 金額 that is not
    /// whole yen), and then nothing was appended.
    fn push(&mut self, v: &Value, ty: &Type, program: &Program) -> bool {
        if matches!(v, Value::Absent) {
            self.null();
            return true;
        }
        match (self, v) {
            (Out::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (Out::Int(b), Value::Int(x)) => b.append_value(*x),
            (Out::Int(b), Value::Money(n)) => {
                match n
                    .is_integer()
                    .then(|| i64::try_from(n.numer()).ok())
                    .flatten()
                {
                    Some(x) => b.append_value(x),
                    None => return false,
                }
            }
            (Out::Date(b), Value::Date(d)) => {
                b.append_value(d.num_days_from_ce().saturating_sub(EPOCH_FROM_CE))
            }
            (Out::Set(b), _) => {
                if let Json::Array(items) = program.value_to_json(v, ty) {
                    for item in items {
                        if let Json::String(s) = item {
                            b.values().append_value(s);
                        }
                    }
                }
                b.append(true);
            }
            (Out::Str(b), _) => match program.value_to_json(v, ty) {
                Json::String(s) => b.append_value(s),
                other => b.append_value(other.to_string()),
            },
            // A value of another type than its output's: cannot happen for a checked program.
            (out, _) => out.null(),
        }
        true
    }

    /// Appends output `o` of record `k` (which has no error), from its typed column when it has
    /// one, else from its value.
    fn push_at(
        &mut self,
        results: &ChunkOutputs<'_>,
        o: usize,
        col: Option<&OutputColumn<'_>>,
        k: usize,
        ty: &Type,
        program: &Program,
    ) {
        let done = match (&mut *self, col, ty.strip_optional()) {
            (_, Some(OutputColumn::One(v)), _) => self.push(v, ty, program),
            (Out::Bool(b), Some(c), _) => c.bool(k).map(|x| b.append_value(x)).is_some(),
            (Out::Int(b), Some(c), _) => c.whole(k).map(|x| b.append_value(x)).is_some(),
            (Out::Str(b), Some(c), Type::Enum(e)) => c
                .ordinal(k)
                .map(|i| b.append_value(program.variant_name(*e, i)))
                .is_some(),
            _ => false,
        };
        if !done {
            match results.value(o, k) {
                Ok(v) => {
                    self.push(&v, ty, program);
                }
                Err(_) => self.null(),
            }
        }
    }

    fn finish(self) -> ArrayRef {
        match self {
            Out::Bool(mut b) => Arc::new(b.finish()),
            Out::Int(mut b) => Arc::new(b.finish()),
            Out::Date(mut b) => Arc::new(b.finish()),
            Out::Str(mut b) => Arc::new(b.finish()),
            Out::Set(mut b) => Arc::new(b.finish()),
        }
    }
}

/// Whether every 金額 output of record `k` is a whole number of yen that fits an `int64`.
fn whole_yen(
    results: &ChunkOutputs<'_>,
    cols: &[Option<OutputColumn<'_>>],
    types: &[&Type],
    k: usize,
) -> bool {
    types.iter().zip(cols).enumerate().all(|(o, (ty, col))| {
        if !matches!(ty.strip_optional(), Type::Money) {
            return true;
        }
        if col.as_ref().and_then(|c| c.whole(k)).is_some() {
            return true;
        }
        match results.value(o, k) {
            Ok(Value::Money(n)) => n.is_integer() && i64::try_from(n.numer()).is_ok(),
            _ => true,
        }
    })
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

/// The values of the strings of one column already read (enumeration variants, mostly).
type StringCache = Vec<(String, Value)>;

/// Reads the input columns of one batch into the evaluator's columns, a chunk at a time.
struct Reader<'p> {
    program: &'p Program,
    /// Per input: its column, its JSON path (for errors), the values of strings already read.
    cells: Vec<(Cells, String, StringCache)>,
    record: Vec<Value>,
}

impl<'p> Reader<'p> {
    fn new(
        program: &'p Program,
        schema: &SchemaRef,
        batch: &RecordBatch,
    ) -> Result<Self, ArgError> {
        let inputs = program.inputs();
        let mut cells = Vec::with_capacity(inputs.len());
        for input in inputs {
            let c = match schema.index_of(&input.name) {
                Ok(k) => match batch.columns().get(k) {
                    Some(a) => Cells::of(a, input, program)?,
                    None => Cells::Null,
                },
                Err(_) => Cells::Null,
            };
            cells.push((c, format!("$.{}", input.name), Vec::new()));
        }
        Ok(Reader {
            program,
            cells,
            record: Vec::with_capacity(inputs.len()),
        })
    }

    /// Rows `start..end`: the columns of the records whose facts are good, and per row its
    /// record's index in them or its facts error.
    fn chunk(&mut self, start: usize, end: usize) -> (Columns, Vec<Result<usize, RunError>>) {
        let program = self.program;
        let inputs = program.inputs();
        let mut columns = Columns::new(program);
        let mut slots: Vec<Result<usize, RunError>> = Vec::with_capacity(end - start);
        for i in start..end {
            self.record.clear();
            let mut error = None;
            for (input, (c, path, cache)) in inputs.iter().zip(self.cells.iter_mut()) {
                let v = match c.get(i, input, program, path, cache) {
                    Some(v) => v,
                    None => match &input.default {
                        Some(d) => Ok(d.clone()),
                        None => Err(FactsError::Missing {
                            path: path.clone(),
                            ty: program.type_text(&input.ty),
                        }),
                    },
                };
                match v {
                    Ok(v) => self.record.push(v),
                    Err(e) => {
                        error = Some(e);
                        break;
                    }
                }
            }
            slots.push(match error {
                None => {
                    let k = columns.len();
                    columns.push(self.record.drain(..));
                    Ok(k)
                }
                Some(e) => Err(RunError::Facts(e)),
            });
        }
        (columns, slots)
    }
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
            chunks.push(reader.chunk(start, end).0);
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
    let types: Vec<&Type> = program.output_defs().map(|d| &d.ty).collect();
    let n = batch.num_rows();
    let mut outs: Vec<Out> = types.iter().map(|t| Out::new(t, n)).collect();
    let mut codes = StringBuilder::with_capacity(n, 0);
    let mut messages = StringBuilder::with_capacity(n, 0);
    let mut start = 0;
    while start < n {
        let end = n.min(start.saturating_add(CHUNK));
        let (columns, slots) = reader.chunk(start, end);
        let results = program.evaluator().chunk(&columns);
        let cols: Vec<Option<OutputColumn<'_>>> =
            (0..types.len()).map(|o| results.column(o)).collect();
        for slot in slots {
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(RunError::Eval(e.clone())),
                None => Ok(k),
            });
            let error = match outcome {
                Ok(k) => {
                    if whole_yen(&results, &cols, &types, k) {
                        for (o, ((out, ty), col)) in
                            outs.iter_mut().zip(&types).zip(&cols).enumerate()
                        {
                            out.push_at(&results, o, col.as_ref(), k, ty, program);
                        }
                        codes.append_null();
                        messages.append_null();
                        continue;
                    }
                    (
                        NOT_WHOLE_YEN.to_string(),
                        match lang {
                            Lang::Ja => "金額の出力が円単位の整数ではありません（政策の中で 切り捨て などで丸めてください）".to_string(),
                            Lang::En => "an amount output is not a whole number of yen (round it in the policy, e.g. with 切り捨て)".to_string(),
                        },
                    )
                }
                Err(e) => {
                    let d = DiagnosticData::of_run_error(&e, sources);
                    (d.code.to_string(), lang.pick(&d.message).to_string())
                }
            };
            for out in &mut outs {
                out.null();
            }
            codes.append_value(error.0);
            messages.append_value(error.1);
        }
        start = end;
    }
    let mut arrays: Vec<ArrayRef> = outs.into_iter().map(Out::finish).collect();
    arrays.push(Arc::new(codes.finish()));
    arrays.push(Arc::new(messages.finish()));
    RecordBatch::try_new(out_schema.clone(), arrays).map_err(arrow_err)
}
