//! onshi: a rules language for the compliance policy of Japan's online health-insurance
//! eligibility checks (オンライン資格確認).
//!
//! The pipeline is one-way: text → AST ([`onshi_grammar`]) → checked [`Program`] ([`compile`]) →
//! values ([`Program::evaluator`], an [`Evaluator`]). The library does no IO: sources come through [`Files`], facts as
//! JSON values, and results go back as values. The `onshi` binary and the WASM package are thin
//! shells over it.

pub mod builtins;
pub mod check;
#[cfg(feature = "citations")]
pub mod citations;
#[cfg(all(test, feature = "citations"))]
mod codes_tests;
#[cfg(feature = "embed")]
pub mod embed;
pub mod eval;
pub mod evaluator;
pub mod examples;
pub mod facts;
pub mod limits;
pub mod ops;
pub mod program;
pub mod readings;
pub mod schema;
pub mod sources;
pub mod trace;
pub mod types;
pub mod value;

pub use check::{compile, compile_cached, compile_with, Compiled, ParseCache};
pub use eval::{EvalError, EvalErrorKind};
pub use evaluator::{Evaluation, Evaluator, Run, RunError};
pub use facts::FactsError;
pub use limits::Limits;
pub use onshi_grammar::codes;
pub use onshi_grammar::{Code, Diagnostic, Lang, Severity, Text};
pub use program::Program;
pub use sources::{Files, SourceMap};
pub use types::Type;
pub use value::Value;
