//! `evaluate_arrow`'s input side: each input column of a batch read a chunk at a time into the
//! evaluator's columns through [`ColumnsBuilder`], which checks every value against its input's
//! type and gives a bad one the facts error the JSON facts reader gives it.
//!
//! The typed forms go in as whole numbers without a [`Value`] per cell: `bool` as 0/1, integers
//! and `int64` yen as themselves, `decimal128` when every value of the chunk is whole yen,
//! `date32`/`date64` as day numbers, enumerations as variant indices (a `string` column's names
//! and a dictionary's entries each read once by the JSON facts reader, then looked up), sets of
//! `list<string>` as bit masks; a null is a value left out (the input's default, or the record's
//! missing-input error). A chunk of a column that holds something those forms cannot say — a
//! name no variant has, a null set item, an amount that is not whole yen — is read cell by cell
//! through the JSON facts reader instead, so its error (code, wording, path `$.<input>`) is the one
//! `onshi batch` gives. Text columns for other types (和暦 or ISO dates, `41.1万円`, `1/2`…) are
//! read cell by cell the same way, as before.

use super::{arrow_err, downcast, is_int, is_string, ArgError};
use arrow::array::{
    Array, ArrayRef, AsArray, BooleanArray, Date32Array, Decimal128Array, Int64Array, ListArray,
    StringArray,
};
use arrow::buffer::{NullBuffer, ScalarBuffer};
use arrow::compute::cast;
use arrow::datatypes::{DataType, Field};
use onshi::eval::{Columns, ColumnsBuilder};
use onshi::facts::FactsError;
use onshi::program::Input;
use onshi::{Program, Type, Value};
use serde_json::Value as Json;
use std::sync::Arc;

mod cells;

use cells::{decimal, list, masks, presence, text, typed, whole_decimals};

/// At most this many spellings are kept per column (a column of garbage stays cheap).
const CACHE: usize = 64;

/// One input's column in a batch, in the form it is read from.
enum Source {
    /// No such column, or Arrow's null type: every value left out.
    Absent,
    /// Whole numbers as [`ColumnsBuilder::ints`] reads them, and which are null.
    Ints(ScalarBuffer<i64>, Option<NullBuffer>),
    /// `decimal128` with its scale.
    Dec(Decimal128Array, i8),
    /// An enumeration by name.
    Names(StringArray),
    /// An enumeration as a dictionary: per row its entry (`None`: null), the entries' text, and
    /// per entry its variant index (`Some(None)`: a null entry; `None`: a name no variant has,
    /// read once when the reader is made).
    Dict(Vec<Option<usize>>, StringArray, Vec<Option<Option<u32>>>),
    /// A set as a list of names: the lists and their items.
    List(ListArray, StringArray),
    /// Text read as the JSON facts read a string for the input's type.
    Text(StringArray),
}

fn validity(a: &dyn Array) -> Option<NullBuffer> {
    a.logical_nulls().filter(|n| n.null_count() > 0)
}

impl Source {
    /// The column `a` for input `input`, or a `TypeError` naming the column when its Arrow type
    /// cannot hold the input's values.
    fn of(a: &ArrayRef, input: &Input, program: &Program) -> Result<Source, ArgError> {
        let ty = input.ty.strip_optional();
        let dt = a.data_type();
        let to = |t: &DataType| cast(a, t).map_err(arrow_err);
        let ints = |v: Vec<i64>| Source::Ints(ScalarBuffer::from(v), validity(a.as_ref()));
        Ok(match (ty, dt) {
            (_, DataType::Null) => Source::Absent,
            (Type::Bool, DataType::Boolean) => {
                let b: BooleanArray = downcast(a)?;
                ints(b.values().iter().map(i64::from).collect())
            }
            (Type::Int | Type::Money | Type::Ratio | Type::Decimal, d) if is_int(d) => {
                let v: Int64Array = downcast(&to(&DataType::Int64)?)?;
                Source::Ints(v.values().clone(), validity(&v))
            }
            (Type::Money | Type::Ratio | Type::Decimal, DataType::Decimal128(_, s)) => {
                Source::Dec(downcast(a)?, *s)
            }
            (Type::Date, DataType::Date32 | DataType::Date64) => {
                let v: Date32Array = downcast(&to(&DataType::Date32)?)?;
                Source::Ints(
                    v.values().iter().map(|d| i64::from(*d)).collect(),
                    validity(&v),
                )
            }
            (Type::Set(_), DataType::List(f) | DataType::LargeList(f) | DataType::ListView(f))
                if is_string(f.data_type()) =>
            {
                let item = Arc::new(Field::new("item", DataType::Utf8, true));
                let list: ListArray = downcast(&to(&DataType::List(item))?)?;
                let values = downcast(list.values())?;
                Source::List(list, values)
            }
            (Type::Enum(_), DataType::Dictionary(_, v)) if is_string(v) => {
                match a.as_any_dictionary_opt() {
                    Some(d) => {
                        let entries =
                            downcast(&cast(d.values(), &DataType::Utf8).map_err(arrow_err)?)?;
                        let nulls = d.keys().logical_nulls();
                        let keys = d.normalized_keys();
                        let rows = keys
                            .into_iter()
                            .enumerate()
                            .map(|(i, k)| nulls.as_ref().is_none_or(|n| n.is_valid(i)).then_some(k))
                            .collect();
                        Source::Dict(rows, entries, Vec::new())
                    }
                    None => Source::Names(downcast(&to(&DataType::Utf8)?)?),
                }
            }
            (Type::Enum(_), d) if is_string(d) => Source::Names(downcast(&to(&DataType::Utf8)?)?),
            (_, d) if is_string(d) => Source::Text(downcast(&to(&DataType::Utf8)?)?),
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
}

/// The spellings of one column already read: a string and its value.
#[derive(Default)]
struct Spellings(Vec<(String, Value)>);

impl Spellings {
    /// `s` read as the JSON facts read a string of type `ty` (kept when there is room).
    fn read(&mut self, s: &str, ty: &Type, path: &str, p: &Program) -> Result<Value, FactsError> {
        if let Some((_, v)) = self.0.iter().find(|(t, _)| t == s) {
            return Ok(v.clone());
        }
        let v = p.value_from_json(&Json::String(s.to_string()), ty, path)?;
        if self.0.len() < CACHE {
            self.0.push((s.to_string(), v.clone()));
        }
        Ok(v)
    }

    /// The variant index of name `s` of enumeration type `ty`, `None` when it names none.
    fn variant(&mut self, s: &str, ty: &Type, path: &str, p: &Program) -> Option<u32> {
        match self.read(s, ty, path, p) {
            Ok(Value::Enum(k)) => Some(k),
            _ => None,
        }
    }
}

/// A dictionary column every row of which is null or an entry naming a variant, as the
/// variant indices of the whole batch (read once per batch, then sliced per chunk); `None` when
/// some row's entry names none (that row's chunk is then read cell by cell).
fn dict_ints(s: &Source) -> Option<Source> {
    let Source::Dict(rows, _, variants) = s else {
        return None;
    };
    let mut v = Vec::with_capacity(rows.len());
    let mut valid = Vec::with_capacity(rows.len());
    for row in rows {
        let x = match row {
            None => None,
            Some(e) => (*variants.get(*e)?)?,
        };
        v.push(x.map_or(0, i64::from));
        valid.push(x.is_some());
    }
    let nulls = valid.contains(&false).then(|| NullBuffer::from(valid));
    Some(Source::Ints(ScalarBuffer::from(v), nulls))
}

/// Reads the input columns of one batch into the evaluator's columns, a chunk at a time.
pub(super) struct Reader<'p> {
    program: &'p Program,
    /// Per input: its column, its JSON path (for errors), the spellings already read.
    sources: Vec<(Source, String, Spellings)>,
}

impl<'p> Reader<'p> {
    pub(super) fn new(
        program: &'p Program,
        schema: &arrow::datatypes::SchemaRef,
        batch: &arrow::array::RecordBatch,
    ) -> Result<Self, ArgError> {
        let inputs = program.inputs();
        let mut sources = Vec::with_capacity(inputs.len());
        for input in inputs {
            let column = schema
                .index_of(&input.name)
                .ok()
                .and_then(|k| batch.columns().get(k));
            let mut s = match column {
                Some(a) => Source::of(a, input, program)?,
                None => Source::Absent,
            };
            let path = format!("$.{}", input.name);
            let mut seen = Spellings::default();
            if let Source::Dict(_, entries, variants) = &mut s {
                *variants = (0..entries.len())
                    .map(|e| match entries.is_valid(e) {
                        true => seen
                            .variant(entries.value(e), &input.ty, &path, program)
                            .map(Some),
                        false => Some(None),
                    })
                    .collect();
                if let Some(ints) = dict_ints(&s) {
                    s = ints;
                }
            }
            sources.push((s, path, seen));
        }
        Ok(Reader { program, sources })
    }

    /// Rows `start..end`: their columns, and each record's facts error (by record, ascending; the
    /// first input's in input order, as the JSON facts reader reports it).
    pub(super) fn chunk(
        &mut self,
        start: usize,
        end: usize,
    ) -> Result<(Columns, Vec<(usize, FactsError)>), ArgError> {
        let program = self.program;
        let n = end.saturating_sub(start);
        let mut b = ColumnsBuilder::new(program, n);
        for (k, (input, (source, path, seen))) in program
            .inputs()
            .iter()
            .zip(self.sources.iter_mut())
            .enumerate()
        {
            let ty = &input.ty;
            let rows = start..end;
            let given = match source {
                Source::Absent => Ok(()),
                Source::Ints(v, nulls) => {
                    let present = presence(nulls.as_ref(), start, end);
                    b.ints(k, v.get(rows).unwrap_or_default(), present.as_deref())
                }
                Source::Dec(a, scale) => match whole_decimals(a, *scale, start, end) {
                    Some((v, present)) => b.ints(k, &v, present.as_deref()),
                    None => b.values(k, rows.map(|i| decimal(a, *scale, i, ty, path))),
                },
                Source::Names(a) => {
                    let name = |i: usize| a.is_valid(i).then(|| a.value(i));
                    let mut last: Option<(&str, u32)> = None;
                    let ordinals = typed(rows.clone(), |i| match name(i) {
                        None => Some(None),
                        Some(s) => match last {
                            Some((t, x)) if t == s => Some(Some(i64::from(x))),
                            _ => {
                                let x = seen.variant(s, ty, path, program)?;
                                last = Some((s, x));
                                Some(Some(i64::from(x)))
                            }
                        },
                    });
                    match ordinals {
                        Some((v, present)) => b.ints(k, &v, present.as_deref()),
                        None => b.values(k, rows.map(|i| text(name(i), seen, ty, path, program))),
                    }
                }
                Source::Dict(keys, entries, entry_variants) => {
                    let ordinals = typed(rows.clone(), |i| match keys.get(i).copied().flatten() {
                        None => Some(None),
                        Some(e) => entry_variants.get(e)?.map(|x| x.map(i64::from)),
                    });
                    let name = |i: usize| {
                        let e = keys.get(i).copied().flatten()?;
                        entries.is_valid(e).then(|| entries.value(e))
                    };
                    match ordinals {
                        Some((v, present)) => b.ints(k, &v, present.as_deref()),
                        None => b.values(k, rows.map(|i| text(name(i), seen, ty, path, program))),
                    }
                }
                Source::List(a, items) => match masks(a, items, start, end, |s| {
                    let Type::Set(e) = ty.strip_optional() else {
                        return None;
                    };
                    seen.variant(s, &Type::Enum(*e), path, program)
                }) {
                    Some((v, present)) => b.ints(k, &v, present.as_deref()),
                    None => b.values(k, rows.map(|i| list(a, items, i, ty, path, program))),
                },
                Source::Text(a) => {
                    let cell = |i: usize| a.is_valid(i).then(|| a.value(i));
                    b.values(k, rows.map(|i| text(cell(i), seen, ty, path, program)))
                }
            };
            given.map_err(|e| ArgError::Value(format!("column {:?}: {e}", input.name)))?;
        }
        Ok(b.finish())
    }
}
