//! The per-record evaluator: walks a definition's expression for one set of facts, supplying the
//! operands [`crate::ops`] defines every operation on. Every operation is checked: overflow,
//! division by zero, dates out of range and rounding units that are not positive are errors with
//! the expression's span. Evaluation always terminates: the program has no recursion (cycles are
//! compile errors) and no loops, and expression depth is bounded by the parser.

use crate::ops::expr::{self, Operands};
use crate::ops::{fail, order, rules as winner, sets, R};
use crate::program::{CExpr, CRule, DefId, InputId, Matcher, Program};
use crate::value::Value;
use onshi_grammar::ast::Span;
use onshi_grammar::{Lang, Text};
use std::sync::Arc;

pub use crate::ops::arith::widen;
pub use crate::ops::order::{order_values, values_equal};
pub use crate::ops::{eval_const, ConflictingRule, EvalError, EvalErrorKind};

mod columnar;
pub use columnar::{
    day, days, typed_input, typed_value, ChunkOutputs, ColumnError, Columns, ColumnsBuilder,
    Fractions, Optional, OutputColumn, EPOCH_FROM_CE,
};

/// What an evaluation reports as it goes: the explanation recorder and the coverage counter
/// implement it; [`NoTrace`] does nothing, so evaluation without explanations does no tracing
/// work (the calls compile away).
pub trait Tracer {
    /// Definition `def` starts being evaluated; later events belong to it.
    fn enter(&mut self, _def: DefId) {}
    /// Input `i` was read.
    fn input(&mut self, _i: InputId) {}
    /// The value of definition `i` was used.
    fn def(&mut self, _i: DefId) {}
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
    program: &'p Program,
    inputs: &'p [Value],
    defs: &'p mut DefResults,
    current: Option<DefId>,
    tracer: T,
    /// Expression depth, to check the stack every few levels rather than at every node.
    depth: u32,
    /// Expression nodes evaluated so far, and how many are allowed (`Limits::max_steps`).
    steps: u64,
    step_limit: u64,
}

impl<'p, T: Tracer> Frame<'p, T> {
    fn new(
        program: &'p Program,
        inputs: &'p [Value],
        defs: &'p mut DefResults,
        current: Option<DefId>,
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
            step_limit: program.limits.max_steps,
        }
    }
}

/// Buffers reused across evaluations (batch runs evaluate millions of records with one).
#[derive(Debug, Default)]
pub struct Scratch {
    defs: DefResults,
}

impl Scratch {
    pub(crate) fn defs_mut(&mut self) -> &mut DefResults {
        &mut self.defs
    }
}

impl Program {
    /// The output values from an evaluation's definition results.
    pub(crate) fn outputs_of(&self, defs: &DefResults) -> Result<Vec<Value>, EvalError> {
        let mut out = Vec::with_capacity(self.outputs.len());
        for &o in &self.outputs {
            match defs.get(o.index()).cloned().flatten() {
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

    /// Evaluate `order`; returns the tracer and the steps taken. Once the step limit is reached,
    /// every definition left gets the same `onshi::limit::steps` error (pointing where it was
    /// reached), without evaluating anything more.
    pub(crate) fn run_order<T: Tracer>(
        &self,
        inputs: &[Value],
        order: &[DefId],
        tracer: T,
        defs: &mut DefResults,
    ) -> (T, u64) {
        defs.clear();
        defs.resize(self.defs.len(), None);
        let mut frame = Frame::new(self, inputs, defs, None, tracer);
        // Facts that break a 前提 are an error of every definition (as a bad fact is).
        let mut exhausted: Option<EvalError> = None;
        for p in &self.premises {
            let broken = match frame.eval(&p.condition) {
                Ok(Value::Bool(true)) => continue,
                Ok(_) => fail(
                    EvalErrorKind::Premise {
                        name: p.name.clone(),
                        source: p.cites.first().map(|c| self.cite_text(c)),
                    },
                    p.span,
                ),
                Err(e) => e,
            };
            exhausted = Some(broken);
            break;
        }
        for &i in order {
            let Some(def) = self.defs.get(i.index()) else {
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
            if let Some(slot) = frame.defs.get_mut(i.index()) {
                *slot = Some(v);
            }
        }
        let steps = frame.steps.min(frame.step_limit);
        (frame.tracer, steps)
    }
}

/// Evaluates expressions after an evaluation, reading the definitions it computed (and nothing
/// else): explanations use it to say why a rule's condition held or did not. Each call counts its
/// steps afresh against the program's limit, so every call terminates.
pub struct Probe<'p> {
    program: &'p Program,
    inputs: &'p [Value],
    defs: DefResults,
}

impl<'p> Probe<'p> {
    pub fn new(program: &'p Program, inputs: &'p [Value], defs: &DefResults) -> Probe<'p> {
        Probe {
            program,
            inputs,
            defs: defs.clone(),
        }
    }

    /// The value of `e` on the evaluation's facts.
    pub fn value(&mut self, e: &CExpr) -> R {
        Frame::new(self.program, self.inputs, &mut self.defs, None, NoTrace).eval(e)
    }
}

impl<T: Tracer> Frame<'_, T> {
    /// Node `e`: one step, then [`expr::step`] with this frame's operands.
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
            onshi_grammar::with_stack(|| expr::step(self, e))
        } else {
            expr::step(self, e)
        };
        self.depth -= 1;
        r
    }
}

impl<T: Tracer> Operands for Frame<'_, T> {
    #[inline]
    fn eval(&mut self, e: &CExpr) -> R {
        Frame::eval(self, e)
    }

    fn input(&mut self, i: InputId, span: Span) -> R {
        self.tracer.input(i);
        self.inputs
            .get(i.index())
            .cloned()
            .ok_or_else(|| fail(EvalErrorKind::Internal("input slot"), span))
    }

    fn def(&mut self, i: DefId, span: Span) -> R {
        match self.defs.get(i.index()) {
            Some(Some(r)) => {
                self.tracer.def(i);
                r.clone()
            }
            _ => Err(fail(
                EvalErrorKind::Internal("definition not yet evaluated"),
                span,
            )),
        }
    }

    fn lookup(&mut self, t: u32, args: &[CExpr], span: Span) -> R {
        Frame::lookup(self, t as usize, args, span)
    }

    fn rules(&mut self, rules: &[CRule], e: &CExpr) -> R {
        Frame::rules(self, rules, e)
    }
}

impl<T: Tracer> Frame<'_, T> {
    /// 原則/例外: the applicable rules no other applicable rule beats give the value.
    fn rules(&mut self, rules: &[CRule], e: &CExpr) -> R {
        let mut applicable = 0u128;
        for (i, r) in rules.iter().enumerate() {
            let applies = match &r.condition {
                None => true,
                Some(c) => expr::truth(self, c)?,
            };
            applicable = winner::applies(applicable, i, applies);
        }
        let winners = winner::winners(rules, applicable);
        self.tracer.rules(applicable, winners);
        let def = self.current.and_then(|c| self.program.def(c));
        let def_name = def.map(|d| d.name.clone()).unwrap_or_default();
        let mut result: Option<(usize, Value)> = None;
        for (i, r) in rules
            .iter()
            .enumerate()
            .filter(|(i, _)| sets::contains_at(winners, *i))
        {
            let v = self.eval(&r.value)?;
            match &result {
                None => result = Some((i, v)),
                Some((first, w)) if !order::values_equal(w, &v) => {
                    let describe = |k: usize, val: &Value| {
                        let info = def.and_then(|d| d.rules.get(k));
                        let value = match def {
                            Some(d) => Text::new(
                                self.program.value_text(val, &d.ty, Lang::Ja),
                                self.program.value_text(val, &d.ty, Lang::En),
                            ),
                            None => Text::new(format!("{val:?}"), format!("{val:?}")),
                        };
                        ConflictingRule {
                            label: info.and_then(|x| x.label.clone()),
                            span: info.map_or(e.span, |x| x.span),
                            value,
                        }
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
        let program = self.program;
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
                if !order::matches(m, &v, span)? {
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
            shown.push((
                c.name.clone(),
                Text::new(
                    program.value_text(&v, &c.ty, Lang::Ja),
                    program.value_text(&v, &c.ty, Lang::En),
                ),
            ));
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
