//! The meaning of every operation of the language, defined once: arithmetic with units
//! ([`arith`]), comparison and ordering ([`order`]), rounding ([`arith::round`], through
//! [`onshi_grammar::num::RoundMode::quotient`]), set operations ([`sets`]), the date built-ins
//! ([`dates`]), the national-holiday calendar ([`holidays`]), the other built-ins ([`builtins`]), the 原則/例外 winner rule ([`rules`]) and what
//! each expression node computes from its operands ([`expr`]).
//!
//! Three callers share these definitions:
//! - the per-record evaluator ([`crate::eval`]) walks an expression with [`expr::step`], supplying
//!   the inputs, definitions, tables and rules of one evaluation;
//! - the checker folds constant expressions with [`eval_const`] (the same [`expr::step`], with no
//!   inputs), so a folded constant is what evaluation would have computed;
//! - the columnar evaluator's typed loops call the scalar functions here on their typed values
//!   (`i64`, enumeration ordinals, set masks, dates) and, for small fractions, compute exactly
//!   what [`onshi_grammar::num::Num`] computes or hand the record to the per-record evaluator.
//!
//! Nothing here depends on the evaluator: `check` and `eval` both depend on `ops`.

pub mod arith;
pub mod builtins;
pub mod dates;
mod error;
pub mod expr;
pub mod holidays;
pub mod order;
pub mod rules;
pub mod sets;

pub use error::{ConflictingRule, EvalError, EvalErrorKind};
pub use expr::eval_const;

pub(crate) use error::fail;

/// The result of evaluating an expression.
pub type R = Result<crate::value::Value, EvalError>;
