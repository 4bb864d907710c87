//! `evaluateColumns`' output side: each record's outputs written into typed columns (whole
//! numbers, day numbers, dictionary indices), or its error.

use super::{Evaluated, OutColumn, OutData, EPOCH_FROM_CE, NOT_WHOLE_YEN};
use chrono::Datelike;
use onshi::eval::{ChunkOutputs, OutputColumn};
use onshi::schema::{DiagnosticData, Phase};
use onshi::{Diagnostic, Program, RunError, SourceMap, Text, Type, Value};
use onshi_grammar::num::Num;
use serde_json::Value as Json;
use std::collections::HashMap;

/// The output columns being written.
pub(super) struct Writer<'p> {
    program: &'p Program,
    types: Vec<&'p Type>,
    outputs: Vec<OutColumn>,
    /// Per dictionary column: the index of each value in it.
    seen: Vec<HashMap<Value, u32>>,
    ok: Vec<u8>,
    errors: Vec<(usize, DiagnosticData)>,
}

impl<'p> Writer<'p> {
    pub(super) fn new(program: &'p Program, len: usize) -> Self {
        let types: Vec<&Type> = program.output_defs().map(|d| &d.ty).collect();
        let outputs = program
            .output_defs()
            .map(|d| {
                let data = match d.ty.strip_optional() {
                    Type::Bool => OutData::Bool(Vec::with_capacity(len)),
                    Type::Int | Type::Money => OutData::Int(Vec::with_capacity(len)),
                    Type::Date => OutData::Date(Vec::with_capacity(len)),
                    ty => OutData::Dict {
                        indices: Vec::with_capacity(len),
                        dictionary: match ty {
                            Type::Enum(e) => program
                                .enums()
                                .get(e.0 as usize)
                                .map(|e| {
                                    e.variants.iter().map(|v| Json::from(v.as_str())).collect()
                                })
                                .unwrap_or_default(),
                            _ => Vec::new(),
                        },
                    },
                };
                let optional = matches!(d.ty, Type::Optional(_));
                OutColumn {
                    name: d.name.clone(),
                    data,
                    present: optional.then(|| Vec::with_capacity(len)),
                }
            })
            .collect();
        Writer {
            program,
            seen: types.iter().map(|_| HashMap::new()).collect(),
            types,
            outputs,
            ok: Vec::with_capacity(len),
            errors: Vec::new(),
        }
    }

    pub(super) fn chunk(
        &mut self,
        results: &ChunkOutputs<'_>,
        slots: Vec<Result<usize, RunError>>,
        start: usize,
        sources: &SourceMap,
    ) {
        let cols: Vec<Option<OutputColumn<'_>>> =
            (0..self.types.len()).map(|o| results.column(o)).collect();
        for (j, slot) in slots.into_iter().enumerate() {
            let row = start.saturating_add(j);
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(RunError::Eval(e.clone())),
                None => Ok(k),
            });
            let error = match outcome {
                Ok(k) => match self.record(results, &cols, k, sources) {
                    Ok(()) => {
                        self.ok.push(1);
                        continue;
                    }
                    Err(d) => *d,
                },
                Err(e) => DiagnosticData::of_run_error(&e, sources),
            };
            for c in &mut self.outputs {
                placeholder(c);
            }
            self.ok.push(0);
            self.errors.push((row, error));
        }
    }

    /// Writes record `k`'s outputs, or gives the error of a 金額 that is not whole yen (then
    /// nothing was written).
    fn record(
        &mut self,
        results: &ChunkOutputs<'_>,
        cols: &[Option<OutputColumn<'_>>],
        k: usize,
        sources: &SourceMap,
    ) -> Result<(), Box<DiagnosticData>> {
        let mut values = Vec::with_capacity(self.types.len());
        for (o, (ty, col)) in self.types.iter().zip(cols).enumerate() {
            let fast = match (ty.strip_optional(), col) {
                (Type::Bool, Some(c)) => c.bool(k).map(|b| Cell::Int(i64::from(b))),
                (Type::Int | Type::Money, Some(c)) => c.whole(k).map(Cell::Int),
                (Type::Enum(_), Some(c)) => c.ordinal(k).map(|i| Cell::Int(i64::from(i))),
                _ => None,
            };
            let cell = match fast {
                Some(cell) => cell,
                None => match results.value(o, k) {
                    Ok(Value::Absent) => Cell::Absent,
                    Ok(Value::Bool(b)) => Cell::Int(i64::from(b)),
                    Ok(Value::Int(x)) => Cell::Int(x),
                    Ok(Value::Money(n)) => match whole(&n) {
                        Some(x) => Cell::Int(x),
                        None => {
                            let name = self.outputs.get(o).map_or("", |c| c.name.as_str());
                            return Err(Box::new(not_whole_yen(name)));
                        }
                    },
                    Ok(Value::Date(d)) => {
                        Cell::Int(i64::from(d.num_days_from_ce()) - i64::from(EPOCH_FROM_CE))
                    }
                    Ok(Value::Enum(i)) => Cell::Int(i64::from(i)),
                    Ok(v) => Cell::Other(v),
                    // Not reached: a record whose output failed has an error (`results.error`).
                    Err(e) => {
                        let e = RunError::Eval(e);
                        return Err(Box::new(DiagnosticData::of_run_error(&e, sources)));
                    }
                },
            };
            values.push(cell);
        }
        for (o, cell) in values.into_iter().enumerate() {
            self.push(o, cell);
        }
        Ok(())
    }

    fn push(&mut self, o: usize, cell: Cell) {
        let (Some(c), Some(ty), Some(seen)) = (
            self.outputs.get_mut(o),
            self.types.get(o),
            self.seen.get_mut(o),
        ) else {
            return;
        };
        if let Some(p) = &mut c.present {
            p.push(u8::from(!matches!(cell, Cell::Absent)));
        }
        match (&mut c.data, cell) {
            (_, Cell::Absent) => placeholder_data(&mut c.data),
            (OutData::Bool(v), Cell::Int(x)) => v.push(u8::from(x != 0)),
            (OutData::Int(v), Cell::Int(x)) => v.push(x),
            (OutData::Date(v), Cell::Int(x)) => v.push(i32::try_from(x).unwrap_or_default()),
            (OutData::Dict { indices, .. }, Cell::Int(x)) => {
                indices.push(u32::try_from(x).unwrap_or_default());
            }
            (
                OutData::Dict {
                    indices,
                    dictionary,
                },
                Cell::Other(v),
            ) => {
                let next = u32::try_from(dictionary.len()).unwrap_or(u32::MAX);
                let at = match seen.get(&v) {
                    Some(at) => *at,
                    None => {
                        dictionary.push(self.program.value_to_json(&v, ty));
                        seen.insert(v, next);
                        next
                    }
                };
                indices.push(at);
            }
            // A value of another type than its output's: cannot happen for a checked program.
            (data, Cell::Other(_)) => placeholder_data(data),
        }
    }

    pub(super) fn finish(self) -> Evaluated {
        Evaluated {
            len: self.ok.len(),
            outputs: self.outputs,
            ok: self.ok,
            errors: self.errors,
        }
    }
}

/// An output value on its way to its column.
enum Cell {
    Absent,
    /// 真偽 (0/1), 整数, 金額 (yen), a date's day number or an enumeration's variant index.
    Int(i64),
    Other(Value),
}

/// A whole number of yen that fits an `i64`.
pub(super) fn whole(n: &Num) -> Option<i64> {
    n.is_integer()
        .then(|| i64::try_from(n.numer()).ok())
        .flatten()
}

/// The error of a record whose 金額 output `name` is not a whole number of yen in the `int64` range.
fn not_whole_yen(name: &str) -> DiagnosticData {
    let d = Diagnostic::error(
        NOT_WHOLE_YEN,
        Text::new(
            format!("出力 `{name}` の金額が円単位の整数ではありません（列は円単位の整数です）"),
            format!("the amount output `{name}` is not a whole number of yen (its column holds whole yen)"),
        ),
    )
    .with_help(Text::new(
        "政策の中で 切り捨て などで円単位に丸めるか、この記録を evaluateMany で評価してください（分数のまま返します）",
        "round it to whole yen in the policy (e.g. with 切り捨て), or evaluate this record with evaluateMany (it gives the exact fraction)",
    ));
    DiagnosticData::new(&d, &SourceMap::default(), Phase::Eval)
}

/// The value of a record without outputs (with an error, or an absent optional output).
fn placeholder(c: &mut OutColumn) {
    if let Some(p) = &mut c.present {
        p.push(0);
    }
    placeholder_data(&mut c.data);
}

fn placeholder_data(data: &mut OutData) {
    match data {
        OutData::Bool(v) => v.push(0),
        OutData::Int(v) => v.push(0),
        OutData::Date(v) => v.push(0),
        OutData::Dict { indices, .. } => indices.push(0),
    }
}
