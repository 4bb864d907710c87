//! The proofs `onshi check` runs after the fast checks (`onshi_solver::proof`): none when no
//! solver is on PATH (`ONSHI_SOLVER=none` turns them off), which the summary line says.

use onshi::program::Program;
use onshi_solver::proof::{prove, Report};
use onshi_solver::Backend;

/// The proofs of `p`, or an empty report when there is no solver.
pub fn run(p: &Program, backend: Option<Backend>) -> Report {
    match backend {
        Some(b) => prove(p, b),
        None => Report::default(),
    }
}
