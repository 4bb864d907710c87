//! onshi: a rules language for the compliance policy of Japan's online health-insurance
//! eligibility checks (オンライン資格確認).
//!
//! The pipeline is one-way: text → AST ([`onshi_grammar`]) → checked [`Program`] ([`compile`]) →
//! values ([`Program::evaluate`]). The library does no IO: sources come through [`Files`], facts as
//! JSON values, and results go back as values. The `onshi` binary and the WASM package are thin
//! shells over it.

pub mod builtins;
pub mod check;
#[cfg(feature = "citations")]
pub mod citations;
pub mod eval;
pub mod examples;
pub mod facts;
pub mod limits;
pub mod ops;
pub mod program;
pub mod schema;
pub mod sources;
pub mod trace;
pub mod types;
pub mod value;

pub use check::{compile, compile_cached, compile_with, Compiled, ParseCache};
pub use eval::{EvalError, EvalErrorKind};
pub use facts::FactsError;
pub use limits::Limits;
pub use onshi_grammar::{Diagnostic, Lang, Severity, Text};
pub use program::Program;
pub use sources::{Files, SourceMap};
pub use types::Type;
pub use value::Value;

use serde::Serialize;
use serde_json::{Map, Value as Json};

/// One evaluation from JSON facts: the output values (in `outputs` order) and, when asked for, the
/// explanation of each output.
#[derive(Clone, Debug)]
pub struct Run {
    pub values: Vec<Value>,
    pub trace: Option<trace::Explanation>,
}

/// The JSON result of one evaluation, as `onshi eval --format json` prints it and
/// `policy.evaluate` returns it: `{"outputs": {name: value, …}}` in the value forms of
/// policy-interfaces.md, plus `"trace": {name: tree, …}` when explained.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Evaluation {
    pub outputs: Map<String, Json>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trace: Option<trace::Explanation>,
}

impl Program {
    /// Evaluate JSON facts. With `explain` (the sources the trace cites lines from), also build
    /// the explanation; without it, evaluation does no tracing work.
    pub fn run(&self, facts: &Json, explain: Option<&SourceMap>) -> Result<Run, RunError> {
        let inputs = self.facts_from_json(facts).map_err(RunError::Facts)?;
        let Some(sources) = explain else {
            let values = self.evaluate(&inputs).map_err(RunError::Eval)?;
            return Ok(Run {
                values,
                trace: None,
            });
        };
        let recorder = trace::Recorder::new(self.defs.len());
        let (results, record) = self.evaluate_with(&inputs, &self.eval_order, recorder);
        let values = self.outputs_of(&results).map_err(RunError::Eval)?;
        let explainer = trace::Explainer {
            program: self,
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

    /// The outputs' values (in `outputs` order) by output name, in their JSON forms.
    pub fn output_values_json(&self, values: &[Value]) -> Map<String, Json> {
        let mut outputs = Map::new();
        for (def, v) in self.output_defs().zip(values.iter()) {
            outputs.insert(def.name.clone(), self.value_to_json(v, &def.ty));
        }
        outputs
    }

    /// The result of [`Program::run`] as data (see [`Evaluation`]).
    pub fn evaluation(
        &self,
        facts: &Json,
        explain: Option<&SourceMap>,
    ) -> Result<Evaluation, RunError> {
        let run = self.run(facts, explain)?;
        Ok(Evaluation {
            outputs: self.output_values_json(&run.values),
            trace: run.trace,
        })
    }

    /// [`Program::evaluation`] as a JSON value.
    pub fn evaluate_json(
        &self,
        facts: &Json,
        explain: Option<&SourceMap>,
    ) -> Result<Json, RunError> {
        self.evaluation(facts, explain).map(|e| schema::to_json(&e))
    }
}

/// Why one evaluation failed: bad facts, or an error while computing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunError {
    Facts(FactsError),
    Eval(EvalError),
}

impl RunError {
    pub fn to_diagnostic(&self) -> Diagnostic {
        match self {
            RunError::Facts(e) => e.to_diagnostic(),
            RunError::Eval(e) => e.to_diagnostic(),
        }
    }
}
