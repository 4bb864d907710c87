//! The r7 subsidy policy compiled from `policies/` (run the examples from the repository root),
//! shared by the examples that profile it.

use onshi::{compile, Program};
use std::collections::BTreeMap;

/// `policies/r7/subsidy.onshi` with what it imports, or `None` (with a message) when it does not
/// compile here.
pub fn subsidy() -> Option<Program> {
    let mut files = BTreeMap::new();
    for p in [
        "policies/r7/subsidy.onshi",
        "policies/common/facility.onshi",
    ] {
        if let Ok(t) = std::fs::read_to_string(p) {
            files.insert(p.to_string(), t);
        }
    }
    let program = compile(&files, "policies/r7/subsidy.onshi").program;
    if program.is_none() {
        eprintln!("policy did not compile (run from the repository root)");
    }
    program
}
