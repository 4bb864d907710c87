//! The tree-walking evaluator. Every operation is checked: overflow, division by zero, dates out of
//! range and rounding units that are not positive are errors with the expression's span.
//! Evaluation always terminates: the program has no recursion (cycles are compile errors) and no
//! loops, and expression depth is bounded by the parser.

use crate::program::{Arith, Builtin, CExpr, CKind, Matcher, Program};
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use onshi_grammar::ast::{CmpOp, Span};
use onshi_grammar::literal::{add_duration, date_in_range, Duration};
use onshi_grammar::num::{Num, RoundMode};
use onshi_grammar::{Diagnostic, Text};
use std::cmp::Ordering;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalErrorKind {
    Overflow,
    DivisionByZero,
    /// No row of the table matched these key values.
    NoRow {
        table: String,
        keys: Vec<String>,
    },
    DateOutOfRange,
    /// The unit of 切り捨て/切り上げ/四捨五入 is zero or negative.
    RoundingUnit,
    /// Durations in months and in days cannot be ordered (is 1か月 more than 30日?).
    IncomparableDurations,
    /// A broken invariant of the checker; reported, never a panic.
    Internal(&'static str),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub span: Span,
}

impl EvalError {
    pub fn code(&self) -> &'static str {
        match self.kind {
            EvalErrorKind::Overflow => "onshi::eval::overflow",
            EvalErrorKind::DivisionByZero => "onshi::eval::division_by_zero",
            EvalErrorKind::NoRow { .. } => "onshi::eval::no_row",
            EvalErrorKind::DateOutOfRange => "onshi::eval::date_range",
            EvalErrorKind::RoundingUnit => "onshi::eval::rounding_unit",
            EvalErrorKind::IncomparableDurations => "onshi::eval::incomparable_durations",
            EvalErrorKind::Internal(_) => "onshi::eval::internal",
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let (msg, help) = match &self.kind {
            EvalErrorKind::Overflow => (
                Text::new(
                    "計算結果が大きすぎます（桁あふれ）",
                    "the result is too large (overflow)",
                ),
                Text::new(
                    "入力の値の桁数を確かめてください",
                    "check the size of the input values",
                ),
            ),
            EvalErrorKind::DivisionByZero => (
                Text::new("0で割っています", "division by zero"),
                Text::new(
                    "割る数が0になる場合を `もし … ならば` で分けてください",
                    "handle the zero case first with `if … then … else`",
                ),
            ),
            EvalErrorKind::NoRow { table, keys } => (
                Text::new(
                    format!(
                        "（{}）に当てはまる行が表 `{table}` にありません",
                        keys.join("、")
                    ),
                    format!("no row of table `{table}` matches ({})", keys.join(", ")),
                ),
                Text::new(
                    "この組み合わせの行か、`-` の既定行を表に加えてください",
                    "add a row for this combination, or a default row of `-` cells",
                ),
            ),
            EvalErrorKind::DateOutOfRange => (
                Text::new("日付が扱える範囲を超えました", "the date is out of range"),
                Text::new(
                    "日付と期間の値を確かめてください",
                    "check the dates and durations",
                ),
            ),
            EvalErrorKind::RoundingUnit => (
                Text::new(
                    "丸めの単位が0以下です",
                    "the rounding unit is zero or negative",
                ),
                Text::new(
                    "`切り捨て(x, 1000円)` のように正の単位を指定してください",
                    "use a positive unit, e.g. `round_down(x, 1000円)`",
                ),
            ),
            EvalErrorKind::IncomparableDurations => (
                Text::new(
                    "月単位の期間と日単位の期間は比べられません",
                    "durations in months and in days cannot be compared",
                ),
                Text::new(
                    "比べる前に日付に足してください",
                    "add them to a date and compare the dates",
                ),
            ),
            EvalErrorKind::Internal(what) => (
                Text::new(
                    format!("内部エラー: {what}"),
                    format!("internal error: {what}"),
                ),
                Text::new(
                    "onshi の不具合です。報告してください",
                    "this is a bug in onshi; please report it",
                ),
            ),
        };
        Diagnostic::error(self.code(), msg)
            .with_label(self.span, Text::new("この式", "this expression"))
            .with_help(help)
    }
}

type R = Result<Value, EvalError>;

fn fail(kind: EvalErrorKind, span: Span) -> EvalError {
    EvalError { kind, span }
}

/// One evaluation: the facts and the definitions computed so far.
struct Frame<'p> {
    program: Option<&'p Program>,
    inputs: &'p [Value],
    defs: Vec<Option<R>>,
}

impl Program {
    /// Evaluate every output for one set of input values (in `inputs` order). Returns the output
    /// values in `outputs` order.
    pub fn evaluate(&self, inputs: &[Value]) -> Result<Vec<Value>, EvalError> {
        let mut frame = Frame {
            program: Some(self),
            inputs,
            defs: vec![None; self.defs.len()],
        };
        for &i in &self.eval_order {
            let Some(def) = self.defs.get(i as usize) else {
                continue;
            };
            let v = frame.eval(&def.body);
            if let Some(slot) = frame.defs.get_mut(i as usize) {
                *slot = Some(v);
            }
        }
        let mut out = Vec::with_capacity(self.outputs.len());
        for &o in &self.outputs {
            match frame.defs.get(o as usize).cloned().flatten() {
                Some(v) => out.push(v?),
                None => {
                    return Err(fail(
                        EvalErrorKind::Internal("output not evaluated"),
                        Span::default(),
                    ))
                }
            }
        }
        Ok(out)
    }
}

/// Evaluate an expression with no inputs (defaults, table keys, folding).
pub fn eval_const(ce: &CExpr) -> R {
    let mut frame = Frame {
        program: None,
        inputs: &[],
        defs: Vec::new(),
    };
    frame.eval(ce)
}

/// Widen a number to 割合 or 小数.
pub fn widen(v: &Value, to: &Type) -> Option<Value> {
    let n = match v {
        Value::Int(i) => Num::from_int(i128::from(*i)),
        Value::Ratio(n) | Value::Decimal(n) => *n,
        _ => return None,
    };
    match to.strip_optional() {
        Type::Ratio => Some(Value::Ratio(n)),
        Type::Decimal => Some(Value::Decimal(n)),
        _ => None,
    }
}

fn num_of(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::from_int(i128::from(*i))),
        Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => Some(*n),
        _ => None,
    }
}

fn wrap_num(n: Num, ty: &Type) -> Option<Value> {
    Some(match ty.strip_optional() {
        Type::Money => Value::Money(n),
        Type::Ratio => Value::Ratio(n),
        Type::Decimal => Value::Decimal(n),
        Type::Int => Value::Int(i64::try_from(n.numer()).ok().filter(|_| n.is_integer())?),
        _ => return None,
    })
}

/// Ordering of two values of comparable types.
fn compare(a: &Value, b: &Value, span: Span) -> Result<Option<Ordering>, EvalError> {
    Ok(match (a, b) {
        (Value::Int(x), Value::Int(y)) => Some(x.cmp(y)),
        (Value::Date(x), Value::Date(y)) => Some(x.cmp(y)),
        (Value::Duration(x), Value::Duration(y)) => {
            if x.days == 0 && y.days == 0 {
                Some(x.months.cmp(&y.months))
            } else if x.months == 0 && y.months == 0 {
                Some(x.days.cmp(&y.days))
            } else if x == y {
                Some(Ordering::Equal)
            } else {
                return Err(fail(EvalErrorKind::IncomparableDurations, span));
            }
        }
        _ => match (num_of(a), num_of(b)) {
            (Some(x), Some(y)) => Some(x.cmp(&y)),
            _ => None,
        },
    })
}

fn equal(a: &Value, b: &Value) -> bool {
    match (num_of(a), num_of(b)) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

/// A computed date, when it lies in the range of date literals (1873..=9999): every result can be
/// written back as a literal or a JSON fact.
fn in_range(d: Option<NaiveDate>) -> Option<Value> {
    d.filter(|d| date_in_range(*d)).map(Value::Date)
}

fn end_of_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year().checked_add(1)?, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt()
}

impl Frame<'_> {
    fn eval(&mut self, e: &CExpr) -> R {
        onshi_grammar::with_stack(|| self.eval_step(e))
    }

    fn eval_step(&mut self, e: &CExpr) -> R {
        let span = e.span;
        match &e.kind {
            CKind::Const(v) => Ok(v.clone()),
            CKind::Input(i) => self
                .inputs
                .get(*i as usize)
                .cloned()
                .ok_or(fail(EvalErrorKind::Internal("input slot"), span)),
            CKind::Def(i) => match self.defs.get(*i as usize) {
                Some(Some(r)) => r.clone(),
                _ => Err(fail(
                    EvalErrorKind::Internal("definition not yet evaluated"),
                    span,
                )),
            },
            CKind::Widen(a) => {
                let v = self.eval(a)?;
                widen(&v, &e.ty).ok_or(fail(EvalErrorKind::Internal("widen"), span))
            }
            CKind::Unwrap(a) => match self.eval(a)? {
                Value::Absent => Err(fail(EvalErrorKind::Internal("absent value used"), span)),
                v => Ok(v),
            },
            CKind::Field(a, i) => match self.eval(a)? {
                Value::Row(cells) => cells
                    .get(*i as usize)
                    .cloned()
                    .ok_or(fail(EvalErrorKind::Internal("row column"), span)),
                _ => Err(fail(EvalErrorKind::Internal("field of a non-row"), span)),
            },
            CKind::Call(b, args) => self.builtin(*b, args, e),
            CKind::Lookup(t, args) => self.lookup(t.0 as usize, args, span),
            CKind::Neg(a) => match self.eval(a)? {
                Value::Int(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or(fail(EvalErrorKind::Overflow, span)),
                Value::Duration(d) => match (d.months.checked_neg(), d.days.checked_neg()) {
                    (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                    _ => Err(fail(EvalErrorKind::Overflow, span)),
                },
                v => {
                    let n = num_of(&v).ok_or(fail(EvalErrorKind::Internal("negate"), span))?;
                    let n = n.checked_neg().ok_or(fail(EvalErrorKind::Overflow, span))?;
                    wrap_num(n, &e.ty).ok_or(fail(EvalErrorKind::Internal("negate"), span))
                }
            },
            CKind::Not(a) => Ok(Value::Bool(!self.bool(a)?)),
            CKind::And(a, b) => Ok(Value::Bool(self.bool(a)? && self.bool(b)?)),
            CKind::Or(a, b) => Ok(Value::Bool(self.bool(a)? || self.bool(b)?)),
            CKind::Union(a, b) | CKind::Intersect(a, b) => {
                let union = matches!(e.kind, CKind::Union(..));
                match (self.eval(a)?, self.eval(b)?) {
                    (Value::Set(x), Value::Set(y)) => {
                        Ok(Value::Set(if union { x | y } else { x & y }))
                    }
                    _ => Err(fail(EvalErrorKind::Internal("set operands"), span)),
                }
            }
            CKind::Arith(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                arith(*op, &x, &y, &e.ty, span)
            }
            CKind::Compare(op, a, b) => {
                let (x, y) = (self.eval(a)?, self.eval(b)?);
                compare_op(*op, &x, &y, span).map(Value::Bool)
            }
            CKind::Present(a, want) => {
                let v = self.eval(a)?;
                Ok(Value::Bool((v != Value::Absent) == *want))
            }
            CKind::If(branches, otherwise) => {
                for (c, t) in branches {
                    if self.bool(c)? {
                        return self.eval(t);
                    }
                }
                self.eval(otherwise)
            }
            CKind::Match(s, arms) => {
                let Value::Enum(i) = self.eval(s)? else {
                    return Err(fail(EvalErrorKind::Internal("match on a non-enum"), span));
                };
                let bit = if i < 128 { 1u128 << i } else { 0 };
                for (mask, body) in arms {
                    if mask & bit != 0 {
                        return self.eval(body);
                    }
                }
                Err(fail(EvalErrorKind::Internal("no match arm"), span))
            }
            CKind::SetOf(items) => {
                let mut bits = 0u128;
                for item in items {
                    match self.eval(item)? {
                        Value::Enum(i) if i < 128 => bits |= 1u128 << i,
                        Value::Set(m) => bits |= m,
                        _ => return Err(fail(EvalErrorKind::Internal("set element"), span)),
                    }
                }
                Ok(Value::Set(bits))
            }
        }
    }

    fn bool(&mut self, e: &CExpr) -> Result<bool, EvalError> {
        self.eval(e)?.as_bool().ok_or(fail(
            EvalErrorKind::Internal("condition is not a truth value"),
            e.span,
        ))
    }

    fn builtin(&mut self, b: Builtin, args: &[CExpr], e: &CExpr) -> R {
        let span = e.span;
        let mut vals = Vec::with_capacity(args.len());
        for a in args {
            vals.push(self.eval(a)?);
        }
        let internal = || fail(EvalErrorKind::Internal("builtin arguments"), span);
        let first = vals.first().ok_or_else(internal)?;
        let date = |v: &Value| match v {
            Value::Date(d) => Ok(*d),
            _ => Err(internal()),
        };
        let range = || fail(EvalErrorKind::DateOutOfRange, span);
        match b {
            Builtin::Min | Builtin::Max => {
                let mut best = first.clone();
                for v in vals.iter().skip(1) {
                    let ord = compare(v, &best, span)?.ok_or_else(internal)?;
                    if (b == Builtin::Min && ord == Ordering::Less)
                        || (b == Builtin::Max && ord == Ordering::Greater)
                    {
                        best = v.clone();
                    }
                }
                Ok(best)
            }
            Builtin::RoundDown | Builtin::RoundUp | Builtin::RoundHalfUp => {
                let mode = match b {
                    Builtin::RoundDown => RoundMode::Down,
                    Builtin::RoundUp => RoundMode::Up,
                    _ => RoundMode::HalfUp,
                };
                let x = num_of(first).ok_or_else(internal)?;
                let unit = vals.get(1).and_then(num_of).ok_or_else(internal)?;
                if unit.signum() <= 0 {
                    return Err(fail(
                        EvalErrorKind::RoundingUnit,
                        args.get(1).map_or(span, |a| a.span),
                    ));
                }
                let r = x
                    .round_to(unit, mode)
                    .ok_or(fail(EvalErrorKind::Overflow, span))?;
                wrap_num(r, &e.ty).ok_or(fail(EvalErrorKind::Overflow, span))
            }
            Builtin::NextDay => in_range(date(first)?.succ_opt()).ok_or_else(range),
            Builtin::PrevDay => in_range(date(first)?.pred_opt()).ok_or_else(range),
            Builtin::EndOfMonth => in_range(end_of_month(date(first)?)).ok_or_else(range),
            Builtin::StartOfMonth => in_range(date(first)?.with_day(1)).ok_or_else(range),
            Builtin::OrDefault => match first {
                Value::Absent => vals.get(1).cloned().ok_or_else(internal),
                v => Ok(v.clone()),
            },
            Builtin::Count => match first {
                Value::Set(m) => Ok(Value::Int(i64::from(m.count_ones()))),
                _ => Err(internal()),
            },
            Builtin::Contains => match (first, vals.get(1)) {
                (Value::Set(m), Some(Value::Enum(i))) => {
                    Ok(Value::Bool(*i < 128 && m & (1u128 << i) != 0))
                }
                _ => Err(internal()),
            },
        }
    }

    fn lookup(&mut self, t: usize, args: &[CExpr], span: Span) -> R {
        let program = self.program.ok_or(fail(
            EvalErrorKind::Internal("table outside a program"),
            span,
        ))?;
        let table = program
            .tables
            .get(t)
            .ok_or(fail(EvalErrorKind::Internal("table slot"), span))?;
        let mut keys = Vec::with_capacity(args.len());
        for a in args {
            keys.push(self.eval(a)?);
        }
        for row in &table.rows {
            let mut hit = true;
            for (m, k) in row.keys.iter().zip(keys.iter()) {
                if !matches(m, k, span)? {
                    hit = false;
                    break;
                }
            }
            if !hit {
                continue;
            }
            if table.single {
                let cell = row
                    .results
                    .first()
                    .ok_or(fail(EvalErrorKind::Internal("empty row"), span))?;
                return self.eval(cell);
            }
            let mut cells = Vec::with_capacity(row.results.len());
            for c in &row.results {
                cells.push(self.eval(c)?);
            }
            return Ok(Value::Row(Arc::from(cells)));
        }
        let keys = keys
            .iter()
            .zip(table.keys.iter())
            .map(|(v, c)| format!("{}={}", c.name, program.value_to_text(v, &c.ty)))
            .collect();
        Err(fail(
            EvalErrorKind::NoRow {
                table: table.name.clone(),
                keys,
            },
            span,
        ))
    }
}

fn matches(m: &Matcher, v: &Value, span: Span) -> Result<bool, EvalError> {
    Ok(match m {
        Matcher::Any => true,
        Matcher::Eq(x) => equal(x, v),
        Matcher::OneOf(mask) => matches!(v, Value::Enum(i) if *i < 128 && mask & (1u128 << i) != 0),
        Matcher::Cmp(op, x) => compare_op(*op, v, x, span)?,
        Matcher::Range(lo, hi) => {
            compare_op(CmpOp::Ge, v, lo, span)? && compare_op(CmpOp::Le, v, hi, span)?
        }
    })
}

fn compare_op(op: CmpOp, x: &Value, y: &Value, span: Span) -> Result<bool, EvalError> {
    let ord = |x: &Value, y: &Value| -> Result<Ordering, EvalError> {
        compare(x, y, span)?.ok_or(fail(
            EvalErrorKind::Internal("values are not ordered"),
            span,
        ))
    };
    Ok(match op {
        CmpOp::Eq => equal(x, y),
        CmpOp::Ne => !equal(x, y),
        CmpOp::Lt => ord(x, y)? == Ordering::Less,
        CmpOp::Le => ord(x, y)? != Ordering::Greater,
        CmpOp::Gt => ord(x, y)? == Ordering::Greater,
        CmpOp::Ge => ord(x, y)? != Ordering::Less,
        CmpOp::In | CmpOp::NotIn => {
            let inside = matches!((x, y), (Value::Enum(i), Value::Set(m)) if *i < 128 && m & (1u128 << i) != 0);
            inside == (op == CmpOp::In)
        }
        CmpOp::Subset => matches!((x, y), (Value::Set(a), Value::Set(b)) if a & !b == 0),
        CmpOp::Superset => matches!((x, y), (Value::Set(a), Value::Set(b)) if b & !a == 0),
    })
}

fn arith(op: Arith, x: &Value, y: &Value, ty: &Type, span: Span) -> R {
    let overflow = || fail(EvalErrorKind::Overflow, span);
    let range = || fail(EvalErrorKind::DateOutOfRange, span);
    match (x, y) {
        (Value::Date(d), Value::Duration(p)) => {
            let sign = if op == Arith::Sub { -1 } else { 1 };
            in_range(add_duration(*d, *p, sign)).ok_or_else(range)
        }
        (Value::Duration(p), Value::Date(d)) => in_range(add_duration(*d, *p, 1)).ok_or_else(range),
        (Value::Date(a), Value::Date(b)) => Ok(Value::Int(a.signed_duration_since(*b).num_days())),
        (Value::Duration(a), Value::Duration(b)) => {
            let (m, d) = if op == Arith::Add {
                (a.months.checked_add(b.months), a.days.checked_add(b.days))
            } else {
                (a.months.checked_sub(b.months), a.days.checked_sub(b.days))
            };
            match (m, d) {
                (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                _ => Err(overflow()),
            }
        }
        (Value::Duration(p), Value::Int(k)) | (Value::Int(k), Value::Duration(p)) => {
            match (p.months.checked_mul(*k), p.days.checked_mul(*k)) {
                (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                _ => Err(overflow()),
            }
        }
        (Value::Int(a), Value::Int(b)) if *ty == Type::Int => {
            let r = match op {
                Arith::Add => a.checked_add(*b),
                Arith::Sub => a.checked_sub(*b),
                Arith::Mul => a.checked_mul(*b),
                Arith::Div => None,
            };
            r.map(Value::Int).ok_or_else(overflow)
        }
        _ => {
            let (a, b) = match (num_of(x), num_of(y)) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(fail(EvalErrorKind::Internal("arithmetic operands"), span)),
            };
            let r = match op {
                Arith::Add => a.checked_add(b),
                Arith::Sub => a.checked_sub(b),
                Arith::Mul => a.checked_mul(b),
                Arith::Div => {
                    if b.is_zero() {
                        return Err(fail(EvalErrorKind::DivisionByZero, span));
                    }
                    a.checked_div(b)
                }
            }
            .ok_or_else(overflow)?;
            wrap_num(r, ty).ok_or_else(overflow)
        }
    }
}
