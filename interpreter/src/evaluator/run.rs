//! What one evaluation from JSON facts returns ([`Run`], [`Evaluation`]) and why it can fail
//! ([`RunError`]).

use crate::facts::FactsError;
use crate::ops::EvalError;
use crate::trace;
use crate::value::Value;
use onshi_grammar::Diagnostic;
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
