//! The one way to evaluate a checked [`Program`]: an [`Evaluator`], kept apart from the program
//! (the program is what the rules say; an evaluator is one way of asking it, as Cedar keeps its
//! `Evaluator` apart from its `PolicySet`). It evaluates
//!
//! - one record of input values ([`Evaluator::record`], reusing buffers with
//!   [`Evaluator::record_in`], counting steps with [`Evaluator::record_counting`], or with a
//!   [`Tracer`] over chosen definitions with [`Evaluator::record_traced`]),
//! - a chunk of records by columns ([`Evaluator::chunk`]: `onshi batch`, `evaluateMany`),
//! - JSON facts ([`Evaluator::facts`], [`Evaluator::evaluation`], [`Evaluator::json`]: `onshi
//!   eval`, `policy.evaluate`), with the explanation of each output when built with
//!   [`Evaluator::explain`].
//!
//! Every evaluation runs under the program's [`Limits`] (its step limit: [`Program::step_limit`];
//! [`Program::with_limits`] gives the program under others).

mod run;

pub use run::{Evaluation, Run, RunError};

use crate::eval::{ChunkOutputs, Columns, DefResults, EvalError, NoTrace, Scratch, Tracer};
use crate::program::{DefId, Program};
use crate::sources::SourceMap;
use crate::value::Value;
use crate::{schema, trace, Limits};
use serde_json::{Map, Value as Json};

/// Evaluates one program: by record, by chunk, or from JSON facts, explained or not.
#[derive(Clone, Copy)]
pub struct Evaluator<'p> {
    program: &'p Program,
    /// The sources explanations cite lines from; `None`: no explanation (and no tracing work).
    explain: Option<&'p SourceMap>,
}

impl Program {
    /// An evaluator of this program (see [`Evaluator`]).
    pub fn evaluator(&self) -> Evaluator<'_> {
        Evaluator::new(self)
    }
}

impl<'p> Evaluator<'p> {
    /// An evaluator of `program`, without explanations.
    pub fn new(program: &'p Program) -> Self {
        Evaluator {
            program,
            explain: None,
        }
    }

    /// With `Some(sources)`, [`Evaluator::facts`] and the JSON forms also explain each output,
    /// citing lines of `sources`; with `None`, they do no tracing work.
    pub fn explain(self, sources: Option<&'p SourceMap>) -> Self {
        Evaluator {
            explain: sources,
            ..self
        }
    }

    /// The program it evaluates.
    pub fn program(&self) -> &'p Program {
        self.program
    }

    /// The limits it evaluates under (the program's).
    pub fn limits(&self) -> &'p Limits {
        self.program.limits()
    }

    /// Every output for one set of input values (in `inputs` order), in `outputs` order.
    pub fn record(&self, inputs: &[Value]) -> Result<Vec<Value>, EvalError> {
        self.record_in(inputs, &mut Scratch::default())
    }

    /// [`Evaluator::record`] reusing `scratch`'s buffers (no allocation for them per record).
    pub fn record_in(
        &self,
        inputs: &[Value],
        scratch: &mut Scratch,
    ) -> Result<Vec<Value>, EvalError> {
        let p = self.program;
        p.run_order(inputs, p.eval_order(), NoTrace, scratch.defs_mut());
        p.outputs_of(scratch.defs_mut())
    }

    /// [`Evaluator::record`], and the steps it took (expression nodes evaluated, counted against
    /// [`Program::step_limit`]; never more than [`Program::max_steps`]).
    pub fn record_counting(&self, inputs: &[Value]) -> (Result<Vec<Value>, EvalError>, u64) {
        let p = self.program;
        let mut defs = Vec::new();
        let (_, steps) = p.run_order(inputs, p.eval_order(), NoTrace, &mut defs);
        (p.outputs_of(&defs), steps)
    }

    /// The definitions in `order` (dependencies first) for one set of input values, reported to
    /// `tracer` as they are evaluated. A definition's error is kept in its slot and surfaces only
    /// where its value is used.
    pub fn record_traced<T: Tracer>(
        &self,
        inputs: &[Value],
        order: &[DefId],
        tracer: T,
    ) -> (DefResults, T) {
        let mut defs = Vec::new();
        let (tracer, _) = self.program.run_order(inputs, order, tracer, &mut defs);
        (defs, tracer)
    }

    /// Every output for every record of `inputs`, walking the tree once for the whole chunk.
    /// Record `i` of the result equals [`Evaluator::record`] of record `i`.
    pub fn chunk(&self, inputs: &Columns) -> ChunkOutputs<'p> {
        self.program.evaluate_columns(inputs)
    }

    /// JSON facts evaluated, and explained when the evaluator explains.
    pub fn facts(&self, facts: &Json) -> Result<Run, RunError> {
        let p = self.program;
        let inputs = p.facts_from_json(facts).map_err(RunError::Facts)?;
        let Some(sources) = self.explain else {
            let values = self.record(&inputs).map_err(RunError::Eval)?;
            return Ok(Run {
                values,
                trace: None,
            });
        };
        let recorder = trace::Recorder::new(p.defs().len());
        let (results, record) = self.record_traced(&inputs, p.eval_order(), recorder);
        let values = p.outputs_of(&results).map_err(RunError::Eval)?;
        let explainer = trace::Explainer {
            program: p,
            sources,
            record: &record,
            results: &results,
            inputs: &inputs,
        };
        Ok(Run {
            values,
            trace: Some(explainer.explain()),
        })
    }

    /// The result of [`Evaluator::facts`] as data (see [`Evaluation`]).
    pub fn evaluation(&self, facts: &Json) -> Result<Evaluation, RunError> {
        let run = self.facts(facts)?;
        Ok(Evaluation {
            outputs: self.program.output_values_json(&run.values),
            trace: run.trace,
        })
    }

    /// [`Evaluator::evaluation`] as a JSON value.
    pub fn json(&self, facts: &Json) -> Result<Json, RunError> {
        self.evaluation(facts).map(|e| schema::to_json(&e))
    }
}

impl Program {
    /// The outputs' values (in `outputs` order) by output name, in their JSON forms.
    pub fn output_values_json(&self, values: &[Value]) -> Map<String, Json> {
        let mut outputs = Map::new();
        for (def, v) in self.output_defs().zip(values.iter()) {
            outputs.insert(def.name.clone(), self.value_to_json(v, &def.ty));
        }
        outputs
    }
}
