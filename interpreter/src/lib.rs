//! onshi: a rules language for the compliance policy of Japan's online health-insurance
//! eligibility checks (オンライン資格確認).
//!
//! The pipeline is one-way: text → AST ([`onshi_grammar`]) → checked [`Program`] ([`compile`]) →
//! values ([`Program::evaluate`]). The library does no IO: sources come through [`Files`], facts as
//! JSON values, and results go back as values. The `onshi` binary and the WASM package are thin
//! shells over it.

pub mod check;
pub mod eval;
pub mod facts;
pub mod program;
pub mod render;
pub mod sources;
pub mod types;
pub mod value;

pub use check::{compile, Compiled};
pub use eval::{EvalError, EvalErrorKind};
pub use facts::FactsError;
pub use onshi_grammar::{Diagnostic, Lang, Severity, Text};
pub use program::Program;
pub use sources::{Files, SourceMap};
pub use types::Type;
pub use value::Value;

use serde_json::{Map, Value as Json};

impl Program {
    /// Evaluate from JSON facts to the JSON result of `onshi eval --format json`:
    /// `{"outputs": {name: value, …}}`.
    pub fn evaluate_json(&self, facts: &Json) -> Result<Json, RunError> {
        let inputs = self.facts_from_json(facts).map_err(RunError::Facts)?;
        let values = self.evaluate(&inputs).map_err(RunError::Eval)?;
        let mut outputs = Map::new();
        for (def, v) in self.output_defs().zip(values.iter()) {
            outputs.insert(def.name.clone(), self.value_to_json(v, &def.ty));
        }
        let mut root = Map::new();
        root.insert("outputs".into(), Json::Object(outputs));
        Ok(Json::Object(root))
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
