//! The tree-walking evaluator. Every operation is checked: overflow, division by zero, dates out of
//! range and rounding units that are not positive are errors with the expression's span.
//! Evaluation always terminates: the program has no recursion (cycles are compile errors) and no
//! loops, and expression depth is bounded by the parser.

use crate::program::{Arith, Builtin, CExpr, CKind, Matcher, Program};
use crate::types::Type;
use crate::value::Value;
use chrono::{Datelike, NaiveDate};
use onshi_grammar::ast::{CmpOp, Span};
use onshi_grammar::literal::{add_duration, date_in_range, period_end, Duration};
use onshi_grammar::num::{Num, RoundMode};
use std::cmp::Ordering;
use std::sync::Arc;

mod error;
pub use error::{EvalError, EvalErrorKind};

type R = Result<Value, EvalError>;

mod columnar;
pub use columnar::{ChunkOutputs, Columns};

fn fail(kind: EvalErrorKind, span: Span) -> EvalError {
    EvalError { kind, span }
}

/// What an evaluation reports as it goes: the explanation recorder and the coverage counter
/// implement it; [`NoTrace`] does nothing, so evaluation without explanations does no tracing
/// work (the calls compile away).
pub trait Tracer {
    /// Definition `def` starts being evaluated; later events belong to it.
    fn enter(&mut self, _def: u32) {}
    /// Input `i` was read.
    fn input(&mut self, _i: u32) {}
    /// The value of definition `i` was used.
    fn def(&mut self, _i: u32) {}
    /// Row `row` of table `table` matched.
    fn row(&mut self, _table: u32, _row: u32) {}
    /// 原則/例外: the rules that applied and the ones that gave the value (bit masks).
    fn rules(&mut self, _applicable: u128, _winners: u128) {}
}

/// The tracer that records nothing.
pub struct NoTrace;
impl Tracer for NoTrace {}

/// The result of every definition of one evaluation (None: not evaluated).
pub type DefResults = Vec<Option<Result<Value, EvalError>>>;

/// One evaluation: the facts and the definitions computed so far.
struct Frame<'p, T: Tracer> {
    program: Option<&'p Program>,
    inputs: &'p [Value],
    defs: &'p mut DefResults,
    current: Option<u32>,
    tracer: T,
    /// Expression depth, to check the stack every few levels rather than at every node.
    depth: u32,
    /// Expression nodes evaluated so far, and how many are allowed (`Limits::max_steps`).
    steps: u64,
    step_limit: u64,
}

impl<'p, T: Tracer> Frame<'p, T> {
    fn new(
        program: Option<&'p Program>,
        inputs: &'p [Value],
        defs: &'p mut DefResults,
        current: Option<u32>,
        tracer: T,
    ) -> Self {
        Frame {
            program,
            inputs,
            defs,
            current,
            tracer,
            depth: 0,
            steps: 0,
            step_limit: program.map_or(u64::MAX, |p| p.limits.max_steps),
        }
    }
}

/// Buffers reused across evaluations (batch runs evaluate millions of records with one).
#[derive(Debug, Default)]
pub struct Scratch {
    defs: DefResults,
}

impl Program {
    /// Evaluate every output for one set of input values (in `inputs` order). Returns the output
    /// values in `outputs` order.
    pub fn evaluate(&self, inputs: &[Value]) -> Result<Vec<Value>, EvalError> {
        self.evaluate_in(inputs, &mut Scratch::default())
    }

    /// [`Program::evaluate`] reusing `scratch`'s buffers (no allocation for them per record).
    pub fn evaluate_in(
        &self,
        inputs: &[Value],
        scratch: &mut Scratch,
    ) -> Result<Vec<Value>, EvalError> {
        self.run_order(inputs, &self.eval_order, NoTrace, &mut scratch.defs);
        self.outputs_of(&scratch.defs)
    }

    /// [`Program::evaluate`], and the steps it took (expression nodes evaluated, counted against
    /// [`Program::step_limit`]; never more than [`Program::max_steps`]).
    pub fn evaluate_counting(&self, inputs: &[Value]) -> (Result<Vec<Value>, EvalError>, u64) {
        let mut defs = Vec::new();
        let (_, steps) = self.run_order(inputs, &self.eval_order, NoTrace, &mut defs);
        (self.outputs_of(&defs), steps)
    }

    /// The output values from an evaluation's definition results.
    pub fn outputs_of(&self, defs: &DefResults) -> Result<Vec<Value>, EvalError> {
        let mut out = Vec::with_capacity(self.outputs.len());
        for &o in &self.outputs {
            match defs.get(o as usize).cloned().flatten() {
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

    /// Evaluate the definitions in `order` (dependencies first) with a tracer. A definition's
    /// error is kept in its slot and surfaces only where its value is used.
    pub fn evaluate_with<T: Tracer>(
        &self,
        inputs: &[Value],
        order: &[u32],
        tracer: T,
    ) -> (DefResults, T) {
        let mut defs = Vec::new();
        let (tracer, _) = self.run_order(inputs, order, tracer, &mut defs);
        (defs, tracer)
    }

    /// Evaluate `order`; returns the tracer and the steps taken. Once the step limit is reached,
    /// every definition left gets the same `onshi::limit::steps` error (pointing where it was
    /// reached), without evaluating anything more.
    fn run_order<T: Tracer>(
        &self,
        inputs: &[Value],
        order: &[u32],
        tracer: T,
        defs: &mut DefResults,
    ) -> (T, u64) {
        defs.clear();
        defs.resize(self.defs.len(), None);
        let mut frame = Frame::new(Some(self), inputs, defs, None, tracer);
        let mut exhausted: Option<EvalError> = None;
        for &i in order {
            let Some(def) = self.defs.get(i as usize) else {
                continue;
            };
            frame.current = Some(i);
            frame.tracer.enter(i);
            let v = match &exhausted {
                Some(e) => Err(e.clone()),
                None => frame.eval(&def.body),
            };
            if exhausted.is_none() && frame.steps > frame.step_limit {
                exhausted = v.as_ref().err().cloned();
            }
            if let Some(slot) = frame.defs.get_mut(i as usize) {
                *slot = Some(v);
            }
        }
        let steps = frame.steps.min(frame.step_limit);
        (frame.tracer, steps)
    }
}

/// Evaluate an expression with no inputs (defaults, table keys, folding).
pub fn eval_const(ce: &CExpr) -> R {
    let mut defs = Vec::new();
    let mut frame = Frame::new(None, &[], &mut defs, None, NoTrace);
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

/// `n` business days after `d` (Monday to Friday; national holidays are not modelled), counting
/// back when `n` is negative. Bounded: |n| is at most 100,000, else None.
fn business_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n.unsigned_abs() > 100_000 {
        return None;
    }
    let step = if n < 0 { -1 } else { 1 };
    let mut left = n.unsigned_abs();
    let mut cur = d;
    while left > 0 {
        cur = cur.checked_add_signed(chrono::Duration::days(step))?;
        if cur.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    Some(cur)
}

/// The order of two values of one ordered type (None when they are not ordered).
pub fn order_values(a: &Value, b: &Value) -> Option<Ordering> {
    compare(a, b, Span::default()).ok().flatten()
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

/// Equality of values as the language sees it (numbers compare exactly across 整数/割合/小数).
pub fn values_equal(a: &Value, b: &Value) -> bool {
    equal(a, b)
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

impl<T: Tracer> Frame<'_, T> {
    fn eval(&mut self, e: &CExpr) -> R {
        // Every node evaluated is a step (one add and one compare).
        self.steps += 1;
        if self.steps > self.step_limit {
            return Err(fail(
                EvalErrorKind::Steps {
                    limit: self.step_limit,
                },
                e.span,
            ));
        }
        // Expression depth is bounded by the parser; within that bound, make sure of the stack
        // every 8 levels (a check per node costs more than the node).
        self.depth += 1;
        let r = if self.depth.is_multiple_of(8) {
            onshi_grammar::with_stack(|| self.eval_step(e))
        } else {
            self.eval_step(e)
        };
        self.depth -= 1;
        r
    }

    fn eval_step(&mut self, e: &CExpr) -> R {
        let span = e.span;
        match &e.kind {
            CKind::Const(v) => Ok(v.clone()),
            CKind::Input(i) => {
                self.tracer.input(*i);
                self.inputs
                    .get(*i as usize)
                    .cloned()
                    .ok_or_else(|| fail(EvalErrorKind::Internal("input slot"), span))
            }
            CKind::Def(i) => match self.defs.get(*i as usize) {
                Some(Some(r)) => {
                    self.tracer.def(*i);
                    r.clone()
                }
                _ => Err(fail(
                    EvalErrorKind::Internal("definition not yet evaluated"),
                    span,
                )),
            },
            CKind::Widen(a) => {
                let v = self.eval(a)?;
                widen(&v, &e.ty).ok_or_else(|| fail(EvalErrorKind::Internal("widen"), span))
            }
            CKind::Unwrap(a) => match self.eval(a)? {
                Value::Absent => Err(fail(EvalErrorKind::Internal("absent value used"), span)),
                v => Ok(v),
            },
            CKind::Field(a, i) => match self.eval(a)? {
                Value::Row(cells) => cells
                    .get(*i as usize)
                    .cloned()
                    .ok_or_else(|| fail(EvalErrorKind::Internal("row column"), span)),
                _ => Err(fail(EvalErrorKind::Internal("field of a non-row"), span)),
            },
            CKind::Call(b, args) => self.builtin(*b, args, e),
            CKind::Lookup(t, args) => self.lookup(t.0 as usize, args, span),
            CKind::Neg(a) => match self.eval(a)? {
                Value::Int(i) => i
                    .checked_neg()
                    .map(Value::Int)
                    .ok_or_else(|| fail(EvalErrorKind::Overflow, span)),
                Value::Duration(d) => match (d.months.checked_neg(), d.days.checked_neg()) {
                    (Some(months), Some(days)) => Ok(Value::Duration(Duration { months, days })),
                    _ => Err(fail(EvalErrorKind::Overflow, span)),
                },
                v => {
                    let n =
                        num_of(&v).ok_or_else(|| fail(EvalErrorKind::Internal("negate"), span))?;
                    let n = n
                        .checked_neg()
                        .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?;
                    wrap_num(n, &e.ty).ok_or_else(|| fail(EvalErrorKind::Internal("negate"), span))
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
            CKind::Rules(rules) => self.rules(rules, e),
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
        self.eval(e)?.as_bool().ok_or_else(|| {
            fail(
                EvalErrorKind::Internal("condition is not a truth value"),
                e.span,
            )
        })
    }

    fn builtin(&mut self, b: Builtin, args: &[CExpr], e: &CExpr) -> R {
        let span = e.span;
        // Built-ins take one or two arguments (最小/最大 take any number): evaluate them into
        // locals, not a Vec (no allocation per call).
        let internal = || fail(EvalErrorKind::Internal("builtin arguments"), span);
        let first_arg = args.first().ok_or_else(internal)?;
        let first = &self.eval(first_arg)?;
        if matches!(b, Builtin::Min | Builtin::Max) {
            let mut best = first.clone();
            for a in args.iter().skip(1) {
                let v = self.eval(a)?;
                let ord = compare(&v, &best, span)?.ok_or_else(internal)?;
                if (b == Builtin::Min && ord == Ordering::Less)
                    || (b == Builtin::Max && ord == Ordering::Greater)
                {
                    best = v;
                }
            }
            return Ok(best);
        }
        let second = match args.get(1) {
            // 既定値(x, d) evaluates its default only when x is absent.
            Some(_) if b == Builtin::OrDefault && *first != Value::Absent => None,
            Some(a) => Some(self.eval(a)?),
            None => None,
        };
        let second = second.as_ref();

        let date = |v: &Value| match v {
            Value::Date(d) => Ok(*d),
            _ => Err(internal()),
        };
        let range = || fail(EvalErrorKind::DateOutOfRange, span);
        match b {
            Builtin::Min | Builtin::Max => Ok(first.clone()),
            Builtin::RoundDown | Builtin::RoundUp | Builtin::RoundHalfUp => {
                let mode = match b {
                    Builtin::RoundDown => RoundMode::Down,
                    Builtin::RoundUp => RoundMode::Up,
                    _ => RoundMode::HalfUp,
                };
                let x = num_of(first).ok_or_else(internal)?;
                let unit = second.and_then(num_of).ok_or_else(internal)?;
                if unit.signum() <= 0 {
                    return Err(fail(
                        EvalErrorKind::RoundingUnit,
                        args.get(1).map_or(span, |a| a.span),
                    ));
                }
                let r = x
                    .round_to(unit, mode)
                    .ok_or_else(|| fail(EvalErrorKind::Overflow, span))?;
                wrap_num(r, &e.ty).ok_or_else(|| fail(EvalErrorKind::Overflow, span))
            }
            Builtin::NextDay => in_range(date(first)?.succ_opt()).ok_or_else(range),
            Builtin::PrevDay => in_range(date(first)?.pred_opt()).ok_or_else(range),
            Builtin::EndOfMonth => in_range(end_of_month(date(first)?)).ok_or_else(range),
            Builtin::StartOfMonth => in_range(date(first)?.with_day(1)).ok_or_else(range),
            Builtin::BusinessDays => {
                let n = match second {
                    Some(Value::Int(n)) => *n,
                    _ => return Err(internal()),
                };
                in_range(business_days(date(first)?, n)).ok_or_else(range)
            }
            Builtin::PeriodEnd => {
                let dur = match second {
                    Some(Value::Duration(d)) => *d,
                    _ => return Err(internal()),
                };
                in_range(period_end(date(first)?, dur)).ok_or_else(range)
            }
            Builtin::OrDefault => match first {
                Value::Absent => second.cloned().ok_or_else(internal),
                v => Ok(v.clone()),
            },
            Builtin::Count => match first {
                Value::Set(m) => Ok(Value::Int(i64::from(m.count_ones()))),
                _ => Err(internal()),
            },
            Builtin::Contains => match (first, second) {
                (Value::Set(m), Some(Value::Enum(i))) => {
                    Ok(Value::Bool(*i < 128 && m & (1u128 << i) != 0))
                }
                _ => Err(internal()),
            },
        }
    }

    /// 原則/例外: the applicable rules no other applicable rule beats give the value.
    fn rules(&mut self, rules: &[crate::program::CRule], e: &CExpr) -> R {
        let mut applicable = 0u128;
        for (i, r) in rules.iter().enumerate() {
            let applies = match &r.condition {
                None => true,
                Some(c) => self.bool(c)?,
            };
            if applies && i < 128 {
                applicable |= 1u128 << i;
            }
        }
        let mut winners = 0u128;
        for (i, _) in rules
            .iter()
            .enumerate()
            .filter(|(i, _)| applicable & (1u128 << i) != 0)
        {
            let beaten = rules.iter().enumerate().any(|(j, s)| {
                j != i && applicable & (1u128 << j) != 0 && s.beats & (1u128 << i) != 0
            });
            if !beaten {
                winners |= 1u128 << i;
            }
        }
        self.tracer.rules(applicable, winners);
        let def = self
            .current
            .and_then(|c| self.program.and_then(|p| p.defs.get(c as usize)));
        let def_name = def.map(|d| d.name.clone()).unwrap_or_default();
        let mut result: Option<(usize, Value)> = None;
        for (i, r) in rules
            .iter()
            .enumerate()
            .filter(|(i, _)| winners & (1u128 << i) != 0)
        {
            let v = self.eval(&r.value)?;
            match &result {
                None => result = Some((i, v)),
                Some((first, w)) if !equal(w, &v) => {
                    let describe = |k: usize, val: &Value| {
                        let info = def.and_then(|d| d.rules.get(k));
                        let label = info
                            .and_then(|x| x.label.clone())
                            .unwrap_or_else(|| "原則".to_string());
                        let text = match (self.program, def) {
                            (Some(p), Some(d)) => p.value_to_text(val, &d.ty),
                            _ => format!("{val:?}"),
                        };
                        (label, info.map_or(e.span, |x| x.span), text)
                    };
                    let rules = vec![describe(*first, w), describe(i, &v)];
                    return Err(fail(
                        EvalErrorKind::Conflict {
                            def: def_name,
                            rules,
                        },
                        e.span,
                    ));
                }
                Some(_) => {}
            }
        }
        match result {
            Some((_, v)) => Ok(v),
            None => Err(fail(EvalErrorKind::NoRule { def: def_name }, e.span)),
        }
    }

    fn lookup(&mut self, t: usize, args: &[CExpr], span: Span) -> R {
        let program = self
            .program
            .ok_or_else(|| fail(EvalErrorKind::Internal("table outside a program"), span))?;
        let table = program
            .tables
            .get(t)
            .ok_or_else(|| fail(EvalErrorKind::Internal("table slot"), span))?;
        // A key is evaluated only when a row's cell for it is not `-`, so an explanation lists
        // only the keys the lookup consulted (a `病院 | -` row does not read the second key).
        let mut small: [Option<Value>; 4] = [const { None }; 4];
        let mut big: Vec<Option<Value>>;
        let keys: &mut [Option<Value>] = match small.get_mut(..args.len()) {
            Some(k) => k,
            None => {
                big = vec![None; args.len()];
                &mut big
            }
        };
        for (n, row) in table.rows.iter().enumerate() {
            let mut hit = true;
            for (k, m) in row.keys.iter().enumerate() {
                if matches!(m, Matcher::Any) {
                    continue;
                }
                let v = self.key(keys, args, k, span)?;
                if !matches(m, &v, span)? {
                    hit = false;
                    break;
                }
            }
            if !hit {
                continue;
            }
            self.tracer.row(t as u32, n as u32);
            if let Some(v) = &row.value {
                return Ok(v.clone());
            }
            if table.single {
                let cell = row
                    .results
                    .first()
                    .ok_or_else(|| fail(EvalErrorKind::Internal("empty row"), span))?;
                return self.eval(cell);
            }
            let mut cells = Vec::with_capacity(row.results.len());
            for c in &row.results {
                cells.push(self.eval(c)?);
            }
            return Ok(Value::Row(Arc::from(cells)));
        }
        let mut shown = Vec::with_capacity(args.len());
        for (k, c) in table.keys.iter().enumerate() {
            let v = self.key(keys, args, k, span)?;
            shown.push(format!("{}={}", c.name, program.value_to_text(&v, &c.ty)));
        }
        let keys = shown;
        Err(fail(
            EvalErrorKind::NoRow {
                table: table.name.clone(),
                keys,
            },
            span,
        ))
    }
}

impl<T: Tracer> Frame<'_, T> {
    /// Key `k` of a lookup, evaluated on first use.
    fn key(&mut self, keys: &mut [Option<Value>], args: &[CExpr], k: usize, span: Span) -> R {
        if let Some(Some(v)) = keys.get(k) {
            return Ok(v.clone());
        }
        let arg = args
            .get(k)
            .ok_or_else(|| fail(EvalErrorKind::Internal("table key"), span))?;
        let v = self.eval(arg)?;
        if let Some(slot) = keys.get_mut(k) {
            *slot = Some(v.clone());
        }
        Ok(v)
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
        compare(x, y, span)?
            .ok_or_else(|| fail(EvalErrorKind::Internal("values are not ordered"), span))
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
