//! `evaluateColumns`' output side: a chunk's outputs written column by column into typed columns
//! (whole numbers, day numbers, dictionary indices), from the chunk's typed output columns
//! ([`ChunkOutputs::column`]) without a [`Value`] per record; an output without a typed column
//! (an optional one the evaluator keeps as values, a 期間) is read as values. 割合 and 小数 go into
//! their dictionary keyed by the reduced fraction, sets by their mask: the dictionary holds each
//! distinct value's JSON form once (割合 as `"1/2"`, as the Python package's text column).

use super::{Evaluated, OutColumn, OutData, NOT_WHOLE_YEN};
use onshi::eval::{days, ChunkOutputs, OutputColumn};
use onshi::schema::{DiagnosticData, Phase};
use onshi::{Diagnostic, FactsError, Program, RunError, SourceMap, Text, Type, Value};
use onshi_grammar::num::Num;
use serde_json::Value as Json;
use std::collections::HashMap;

/// A distinct value of a dictionary column, as its typed column gives it.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// A fraction in lowest terms.
    Frac(i64, i64),
    Mask(u128),
}

/// How many keys a dictionary looks up by comparison before hashing.
const RECENT: usize = 8;

/// One output's dictionary: each value's index, by value and by key.
#[derive(Default)]
struct Dict {
    seen: HashMap<Value, u32>,
    keys: HashMap<Key, u32>,
    /// The first keys seen and their indices, looked up before `keys` (most columns repeat a
    /// few values).
    recent: Vec<(Key, u32)>,
}

/// The output columns being written.
pub(super) struct Writer<'p> {
    program: &'p Program,
    types: Vec<&'p Type>,
    outputs: Vec<OutColumn>,
    dicts: Vec<Dict>,
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
            dicts: types.iter().map(|_| Dict::default()).collect(),
            types,
            outputs,
            ok: Vec::with_capacity(len),
            errors: Vec::new(),
        }
    }

    /// Writes the chunk's records (rows `start..`): `facts` are the records' facts errors (by
    /// record, ascending).
    pub(super) fn chunk(
        &mut self,
        results: &ChunkOutputs<'_>,
        facts: Vec<(usize, FactsError)>,
        start: usize,
        sources: &SourceMap,
    ) {
        let n = results.len();
        let cols: Vec<Option<OutputColumn<'_>>> =
            (0..self.types.len()).map(|o| results.column(o)).collect();
        // Each record's error: its facts or evaluation error, else its first 金額 output that is
        // not whole yen (its column holds whole yen).
        let mut failed: Vec<(usize, DiagnosticData)> = Vec::new();
        let mut ok = vec![true; n];
        for (k, e) in facts {
            if let Some(flag) = ok.get_mut(k) {
                *flag = false;
            }
            failed.push((
                k,
                DiagnosticData::of_run_error(&RunError::Facts(e), sources),
            ));
        }
        if results.has_errors() {
            for (k, flag) in ok.iter_mut().enumerate() {
                if let (true, Some(e)) = (*flag, results.error(k)) {
                    *flag = false;
                    let e = RunError::Eval(e.clone());
                    failed.push((k, DiagnosticData::of_run_error(&e, sources)));
                }
            }
        }
        for (o, (ty, col)) in self.types.iter().zip(&cols).enumerate() {
            if !matches!(ty.strip_optional(), Type::Money) {
                continue;
            }
            for (k, flag) in ok.iter_mut().enumerate() {
                let typed_whole = match col {
                    // The common case, read without going through `OutputColumn::whole`.
                    Some(OutputColumn::Fraction(f)) => f.get(k).is_some_and(|(_, d)| d == 1),
                    Some(c) => c.whole(k).is_some(),
                    None => false,
                };
                if !*flag || typed_whole || col.as_ref().and_then(|c| c.whole(k)).is_some() {
                    continue;
                }
                if let Ok(Value::Money(x)) = results.value(o, k) {
                    if whole(&x).is_none() {
                        *flag = false;
                        let name = self.outputs.get(o).map_or("", |c| c.name.as_str());
                        failed.push((k, not_whole_yen(name)));
                    }
                }
            }
        }
        failed.sort_by_key(|(k, _)| *k);
        let all = failed.is_empty();
        for (o, col) in cols.iter().enumerate() {
            if !(all && self.fast(o, col.as_ref(), n)) {
                self.column(results, o, col.as_ref(), &ok);
            }
        }
        self.ok.extend(ok.iter().map(|f| u8::from(*f)));
        self.errors.extend(
            failed
                .into_iter()
                .map(|(k, d)| (start.saturating_add(k), d)),
        );
    }

    /// Writes output `o` of a chunk of `n` records without errors from its typed column, when it
    /// has one of the common forms (false: it has not).
    fn fast(&mut self, o: usize, col: Option<&OutputColumn<'_>>, n: usize) -> bool {
        let (Some(c), Some(ty), Some(col)) = (self.outputs.get_mut(o), self.types.get(o), col)
        else {
            return false;
        };
        // A typed column has one value per record; anything else is written record by record.
        let len = match col {
            OutputColumn::Bool(v) => v.len(),
            OutputColumn::Int(v) => v.len(),
            OutputColumn::Ordinal(v) => v.len(),
            OutputColumn::Fraction(f) => f.len(),
            OutputColumn::Date(v) => v.len(),
            _ => 0,
        };
        if c.present.is_some() || len != n {
            return false;
        }
        match (&mut c.data, ty, col) {
            (OutData::Bool(out), Type::Bool, OutputColumn::Bool(v)) => {
                out.extend(v.iter().map(|b| u8::from(*b)));
            }
            (OutData::Int(out), Type::Int, OutputColumn::Int(v)) => {
                out.extend_from_slice(v);
            }
            // Every value is whole yen (checked before).
            (OutData::Int(out), Type::Money, OutputColumn::Fraction(f)) => {
                out.extend((0..n).map(|k| match f.get(k) {
                    Some((x, 1)) => x,
                    _ => f.whole(k).unwrap_or(0),
                }));
            }
            (OutData::Date(out), Type::Date, OutputColumn::Date(v)) => {
                out.extend(v.iter().map(|d| days(*d)));
            }
            (OutData::Dict { indices, .. }, Type::Enum(_), OutputColumn::Ordinal(v)) => {
                indices.extend_from_slice(v);
            }
            _ => return false,
        }
        true
    }

    /// Writes output `o` of the records, record by record (a placeholder where `ok` is false).
    fn column(
        &mut self,
        results: &ChunkOutputs<'_>,
        o: usize,
        col: Option<&OutputColumn<'_>>,
        ok: &[bool],
    ) {
        let (Some(c), Some(ty), Some(dict)) = (
            self.outputs.get_mut(o),
            self.types.get(o).copied(),
            self.dicts.get_mut(o),
        ) else {
            return;
        };
        let program = self.program;
        for (k, flag) in ok.iter().enumerate() {
            let cell = flag.then(|| cell(results, o, col, k, ty));
            let present = matches!(cell, Some(Cell::Int(_) | Cell::Key(_) | Cell::Other(_)));
            if let Some(p) = &mut c.present {
                p.push(u8::from(present));
            }
            match (&mut c.data, cell) {
                (OutData::Bool(v), Some(Cell::Int(x))) => v.push(u8::from(x != 0)),
                (OutData::Int(v), Some(Cell::Int(x))) => v.push(x),
                (OutData::Date(v), Some(Cell::Int(x))) => v.push(i32::try_from(x).unwrap_or(0)),
                (OutData::Dict { indices, .. }, Some(Cell::Int(x))) => {
                    indices.push(u32::try_from(x).unwrap_or(0));
                }
                (
                    OutData::Dict {
                        indices,
                        dictionary,
                    },
                    Some(Cell::Key(key)),
                ) => indices.push(dict.key(key, ty, dictionary, program)),
                (
                    OutData::Dict {
                        indices,
                        dictionary,
                    },
                    Some(Cell::Other(v)),
                ) => indices.push(dict.value(v, ty, dictionary, program)),
                // A record with an error, an absent optional value, or a value of another
                // type than its output's (not for a checked program).
                (data, _) => placeholder(data),
            }
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

/// Output `o` of record `k` (which has no error): from its typed column when it has one.
#[inline]
fn cell(
    results: &ChunkOutputs<'_>,
    o: usize,
    col: Option<&OutputColumn<'_>>,
    k: usize,
    ty: &Type,
) -> Cell {
    let fast = col.and_then(|c| match (ty.strip_optional(), c) {
        (Type::Bool, c) => c.bool(k).map(|b| Cell::Int(i64::from(b))),
        (Type::Int | Type::Money, c) => c.whole(k).map(Cell::Int),
        (Type::Date, c) => c.days(k).map(|d| Cell::Int(i64::from(d))),
        (Type::Enum(_), c) => c.ordinal(k).map(|i| Cell::Int(i64::from(i))),
        (Type::Ratio | Type::Decimal, OutputColumn::Fraction(f)) => {
            f.reduced(k).map(|(n, d)| Cell::Key(Key::Frac(n, d)))
        }
        (Type::Set(_), c) => c.mask(k).map(|m| Cell::Key(Key::Mask(m))),
        _ => None,
    });
    if let Some(cell) = fast {
        return cell;
    }
    match results.value(o, k) {
        Ok(Value::Absent) | Err(_) => Cell::Absent,
        Ok(Value::Bool(b)) => Cell::Int(i64::from(b)),
        Ok(Value::Int(x)) => Cell::Int(x),
        Ok(Value::Money(n)) => whole(&n).map_or(Cell::Absent, Cell::Int),
        Ok(Value::Date(d)) => Cell::Int(i64::from(days(d))),
        Ok(Value::Enum(i)) => Cell::Int(i64::from(i)),
        Ok(v) => Cell::Other(v),
    }
}

impl Dict {
    /// The index of the value `key` stands for, added to `dictionary` when new.
    #[inline]
    fn key(&mut self, key: Key, ty: &Type, dictionary: &mut Vec<Json>, program: &Program) -> u32 {
        if let Some((_, at)) = self.recent.iter().find(|(k, _)| *k == key) {
            return *at;
        }
        let at = match self.keys.get(&key) {
            Some(at) => *at,
            None => {
                let v = match key {
                    Key::Frac(n, d) => {
                        let num =
                            Num::new(i128::from(n), i128::from(d)).unwrap_or(Num::from_int(0));
                        match ty.strip_optional() {
                            Type::Decimal => Value::Decimal(num),
                            _ => Value::Ratio(num),
                        }
                    }
                    Key::Mask(m) => Value::Set(m),
                };
                let at = self.value(v, ty, dictionary, program);
                self.keys.insert(key, at);
                at
            }
        };
        if self.recent.len() < RECENT {
            self.recent.push((key, at));
        }
        at
    }

    /// The index of `v`, added to `dictionary` when new.
    fn value(&mut self, v: Value, ty: &Type, dictionary: &mut Vec<Json>, program: &Program) -> u32 {
        let next = u32::try_from(dictionary.len()).unwrap_or(u32::MAX);
        match self.seen.get(&v) {
            Some(at) => *at,
            None => {
                dictionary.push(program.value_to_json(&v, ty));
                self.seen.insert(v, next);
                next
            }
        }
    }
}

/// An output value on its way to its column.
enum Cell {
    Absent,
    /// 真偽 (0/1), 整数, 金額 (yen), a date's day number or an enumeration's variant index.
    Int(i64),
    /// A 割合, 小数 or set by its key in the output's dictionary.
    Key(Key),
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
fn placeholder(data: &mut OutData) {
    match data {
        OutData::Bool(v) => v.push(0),
        OutData::Int(v) => v.push(0),
        OutData::Date(v) => v.push(0),
        OutData::Dict { indices, .. } => indices.push(0),
    }
}
