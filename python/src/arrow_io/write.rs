//! `evaluate_arrow`'s output side: a chunk's outputs written an output column at a time into
//! typed Arrow columns, from the chunk's typed output columns ([`ChunkOutputs::column`]) without
//! a [`Value`] per record: 真偽, 整数, 金額 (whole yen), 日付 (day numbers), enumerations (their
//! names), 割合 and 小数 (their text, made once per distinct value), sets (their names). An output
//! without a typed column (an optional one kept as values, a 期間, a row) is read as values.
//! A record whose facts are bad, whose evaluation fails or whose 金額 output is not whole yen gets
//! nulls in every output column and its error in `error_code`/`error_message`.

use super::{output_type, NOT_WHOLE_YEN};
use crate::Lang;
use arrow::array::{
    ArrayRef, BooleanBuilder, Date32Builder, Int64Builder, ListBuilder, StringBuilder,
};
use arrow::datatypes::DataType;
use onshi::eval::{days, ChunkOutputs, OutputColumn};
use onshi::facts::FactsError;
use onshi::schema::DiagnosticData;
use onshi::{Program, RunError, SourceMap, Type, Value};
use onshi_grammar::num::Num;
use serde_json::Value as Json;
use std::sync::Arc;

mod fast;

/// At most this many distinct fractions' texts are kept per output.
const TEXTS: usize = 64;

/// One output column being written.
enum Out {
    Bool(BooleanBuilder),
    Int(Int64Builder),
    Date(Date32Builder),
    Str(StringBuilder),
    Set(ListBuilder<StringBuilder>),
}

/// A value's text in a `string` column: its JSON form, a JSON string without its quotes.
fn text_of(json: Json) -> String {
    match json {
        Json::String(s) => s,
        other => other.to_string(),
    }
}

impl Out {
    fn new(ty: &Type, n: usize) -> Out {
        match output_type(ty) {
            DataType::Boolean => Out::Bool(BooleanBuilder::with_capacity(n)),
            DataType::Int64 => Out::Int(Int64Builder::with_capacity(n)),
            DataType::Date32 => Out::Date(Date32Builder::with_capacity(n)),
            DataType::List(_) => Out::Set(ListBuilder::new(StringBuilder::new())),
            // Room for a short Japanese name a record (no regrowth copies for most outputs).
            _ => Out::Str(StringBuilder::with_capacity(n, n.saturating_mul(24))),
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

    /// Appends `v` (of type `ty`); a value that does not fit the column (cannot happen for a
    /// checked program: whole yen are checked before) is a null.
    fn push(&mut self, v: &Value, ty: &Type, program: &Program) {
        match (self, v) {
            (out, Value::Absent) => out.null(),
            (Out::Bool(b), Value::Bool(x)) => b.append_value(*x),
            (Out::Int(b), Value::Int(x)) => b.append_value(*x),
            (Out::Int(b), Value::Money(n)) => b.append_option(whole(n)),
            (Out::Date(b), Value::Date(d)) => b.append_value(days(*d)),
            (Out::Set(b), Value::Set(bits)) => match ty.strip_optional() {
                Type::Set(e) => {
                    for name in program.set_members(*e, *bits) {
                        b.values().append_value(name);
                    }
                    b.append(true);
                }
                _ => b.append_null(),
            },
            (Out::Str(b), _) => b.append_value(text_of(program.value_to_json(v, ty))),
            (out, _) => out.null(),
        }
    }

    /// Appends output `o` of record `k` (which has no error) from its typed column `col` when it
    /// has one, else from its value.
    fn push_at(&mut self, at: At<'_, '_>, k: usize, texts: &mut Texts) {
        let At {
            results,
            o,
            col,
            ty,
            program,
            ..
        } = at;
        let done = match (&mut *self, col, ty.strip_optional()) {
            (Out::Bool(b), Some(c), _) => c.bool(k).map(|x| b.append_value(x)).is_some(),
            (Out::Int(b), Some(c), _) => c.whole(k).map(|x| b.append_value(x)).is_some(),
            (Out::Date(b), Some(c), _) => c.days(k).map(|x| b.append_value(x)).is_some(),
            (Out::Str(b), Some(c), Type::Enum(e)) => c
                .ordinal(k)
                .map(|i| b.append_value(program.variant_name(*e, i)))
                .is_some(),
            (Out::Str(b), Some(OutputColumn::Fraction(f)), t @ (Type::Ratio | Type::Decimal)) => f
                .get(k)
                .and_then(|q| texts.get(q, t, program))
                .map(|s| b.append_value(s))
                .is_some(),
            (Out::Set(b), Some(c), Type::Set(e)) => c
                .mask(k)
                .map(|bits| {
                    for name in program.set_members(*e, bits) {
                        b.values().append_value(name);
                    }
                    b.append(true);
                })
                .is_some(),
            _ => false,
        };
        if !done {
            match results.value(o, k) {
                Ok(v) => self.push(&v, ty, program),
                Err(_) => self.null(),
            }
        }
    }

    /// Appends output `o` of every record of a chunk, a null where `ok` is false.
    fn column(&mut self, at: At<'_, '_>, ok: &[bool], texts: &mut Texts) {
        if self.fast(at, ok, texts) {
            return;
        }
        // One value for the chunk: its text made once.
        if let (Out::Str(b), Some(OutputColumn::One(v))) = (&mut *self, at.col) {
            let s =
                (!matches!(v, Value::Absent)).then(|| text_of(at.program.value_to_json(v, at.ty)));
            for good in ok {
                match (good, &s) {
                    (true, Some(s)) => b.append_value(s),
                    _ => b.append_null(),
                }
            }
            return;
        }
        for (k, good) in ok.iter().enumerate() {
            if *good {
                self.push_at(at, k, texts);
            } else {
                self.null();
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

/// Where output `o` of a chunk is read.
#[derive(Clone, Copy)]
struct At<'a, 'c> {
    results: &'a ChunkOutputs<'c>,
    o: usize,
    col: Option<&'a OutputColumn<'c>>,
    ty: &'a Type,
    program: &'a Program,
    /// An enumeration output's variant names, by index (empty for other outputs).
    names: &'a [&'a str],
    /// Whether every record of the chunk has its outputs (no error).
    all: bool,
}

/// A 金額 as whole yen in the `int64` range.
fn whole(n: &Num) -> Option<i64> {
    n.is_integer()
        .then(|| i64::try_from(n.numer()).ok())
        .flatten()
}

/// The texts of the fractions of one output already written, by their terms as the typed column
/// holds them (not necessarily lowest: equal values may have several entries).
#[derive(Default)]
struct Texts(Vec<((i64, i64), String)>);

impl Texts {
    fn get(&mut self, (n, d): (i64, i64), ty: &Type, program: &Program) -> Option<&str> {
        let k = self.index((n, d), ty, program)?;
        self.text(k)
    }

    /// The text of entry `k`.
    fn text(&self, k: usize) -> Option<&str> {
        self.0.get(k).map(|(_, s)| s.as_str())
    }

    /// The entry of `(n, d)`, made when missing.
    fn index(&mut self, (n, d): (i64, i64), ty: &Type, program: &Program) -> Option<usize> {
        Some(match self.0.iter().position(|(q, _)| *q == (n, d)) {
            Some(k) => k,
            None => {
                let num = Num::new(i128::from(n), i128::from(d))?;
                let v = match ty {
                    Type::Ratio => Value::Ratio(num),
                    _ => Value::Decimal(num),
                };
                let s = text_of(program.value_to_json(&v, ty));
                if self.0.len() >= TEXTS {
                    self.0.pop();
                }
                self.0.push(((n, d), s));
                self.0.len().saturating_sub(1)
            }
        })
    }
}

/// The output columns of one batch being written.
pub(super) struct Writer<'p> {
    program: &'p Program,
    types: Vec<&'p Type>,
    /// Per output, an enumeration's variant names (empty for other outputs).
    names: Vec<Vec<&'p str>>,
    outs: Vec<Out>,
    texts: Vec<Texts>,
    codes: StringBuilder,
    messages: StringBuilder,
    lang: Lang,
}

impl<'p> Writer<'p> {
    pub(super) fn new(program: &'p Program, n: usize, lang: Lang) -> Self {
        let types: Vec<&Type> = program.output_defs().map(|d| &d.ty).collect();
        let names = types
            .iter()
            .map(|t| match t.strip_optional() {
                Type::Enum(e) => program
                    .enums()
                    .get(e.0 as usize)
                    .map(|en| en.variants.iter().map(String::as_str).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            })
            .collect();
        Writer {
            program,
            names,
            outs: types.iter().map(|t| Out::new(t, n)).collect(),
            texts: types.iter().map(|_| Texts::default()).collect(),
            types,
            codes: StringBuilder::with_capacity(n, 0),
            messages: StringBuilder::with_capacity(n, 0),
            lang,
        }
    }

    /// Writes a chunk's records: `facts` are the records' facts errors (by record, ascending).
    pub(super) fn chunk(
        &mut self,
        results: &ChunkOutputs<'_>,
        facts: Vec<(usize, FactsError)>,
        sources: &SourceMap,
    ) {
        let program = self.program;
        let n = results.len();
        let cols: Vec<Option<OutputColumn<'_>>> =
            (0..self.types.len()).map(|o| results.column(o)).collect();
        let mut ok = vec![true; n];
        let mut failed: Vec<(usize, String, String)> = Vec::new();
        let lang = self.lang;
        let mut fail = |k: usize, e: RunError, ok: &mut Vec<bool>| {
            if let Some(flag) = ok.get_mut(k) {
                *flag = false;
            }
            let d = DiagnosticData::of_run_error(&e, sources);
            failed.push((k, d.code.to_string(), lang.pick(&d.message).to_string()));
        };
        for (k, e) in facts {
            fail(k, RunError::Facts(e), &mut ok);
        }
        if results.has_errors() {
            for k in 0..n {
                if let (Some(true), Some(e)) = (ok.get(k), results.error(k)) {
                    fail(k, RunError::Eval(e.clone()), &mut ok);
                }
            }
        }
        // A 金額 output that is not whole yen (its column is `int64` yen) fails its record.
        for (o, (ty, col)) in self.types.iter().zip(&cols).enumerate() {
            if !matches!(ty.strip_optional(), Type::Money) {
                continue;
            }
            // Held with denominator 1 throughout: whole yen, nothing to check record by record.
            if let Some(OutputColumn::Fraction(f)) = col {
                if f.len() == n && (0..n).all(|k| matches!(f.get(k), Some((_, 1)))) {
                    continue;
                }
            }
            for k in 0..n {
                let typed = match col {
                    _ if ok.get(k) != Some(&true) => continue,
                    Some(OutputColumn::Fraction(f)) => {
                        f.get(k).is_some_and(|(_, d)| d == 1) || f.whole(k).is_some()
                    }
                    Some(c) => c.whole(k).is_some(),
                    None => false,
                };
                if typed {
                    continue;
                }
                if let Ok(Value::Money(x)) = results.value(o, k) {
                    if whole(&x).is_none() {
                        if let Some(flag) = ok.get_mut(k) {
                            *flag = false;
                        }
                        failed.push((k, NOT_WHOLE_YEN.to_string(), not_whole_yen(lang)));
                    }
                }
            }
        }
        failed.sort_by_key(|(k, _, _)| *k);
        let all = failed.is_empty();
        let outs = self.outs.iter_mut().zip(&mut self.texts).zip(&self.names);
        for (o, (((out, texts), names), (col, ty))) in
            outs.zip(cols.iter().zip(&self.types)).enumerate()
        {
            let at = At {
                results,
                o,
                col: col.as_ref(),
                ty,
                program,
                names,
                all,
            };
            out.column(at, &ok, texts);
        }
        let mut next = 0;
        for (k, code, message) in failed {
            self.codes.append_nulls(k.saturating_sub(next));
            self.messages.append_nulls(k.saturating_sub(next));
            self.codes.append_value(code);
            self.messages.append_value(message);
            next = k.saturating_add(1);
        }
        self.codes.append_nulls(n.saturating_sub(next));
        self.messages.append_nulls(n.saturating_sub(next));
    }

    /// The output columns, then `error_code` and `error_message`.
    pub(super) fn finish(mut self) -> Vec<ArrayRef> {
        let mut arrays: Vec<ArrayRef> = self.outs.into_iter().map(Out::finish).collect();
        arrays.push(Arc::new(self.codes.finish()));
        arrays.push(Arc::new(self.messages.finish()));
        arrays
    }
}

/// The message of [`NOT_WHOLE_YEN`].
fn not_whole_yen(lang: Lang) -> String {
    match lang {
        Lang::Ja => "金額の出力が円単位の整数ではありません（政策の中で 切り捨て などで丸めてください）",
        Lang::En => "an amount output is not a whole number of yen (round it in the policy, e.g. with 切り捨て)",
    }
    .to_string()
}
