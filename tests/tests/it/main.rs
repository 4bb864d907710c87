//! The cross-crate tests of onshi: the language's semantics, the shipped policies and their
//! interfaces, properties, the corpus of bad inputs and the rendered diagnostics (`tests/corpus/`),
//! limits, diffs, formatting.
//!
//! One test binary for the crate (`cargo test -p <crate> --test it`), one module per
//! subject. `#![cfg(test)]` marks the whole crate as test code, so the `allow-*-in-tests`
//! settings of the workspace's `clippy.toml` cover the helpers too, not only the `#[test]`s.
#![cfg(test)]

mod citations;
mod codes;
mod columnar;
mod common;
mod corpus;
mod deep;
mod diagnostics;
mod diff;
mod exhaustive;
mod fixes;
mod fmt;
mod interfaces;
mod limit_edges;
mod limits;
mod limits_defaults;
mod literals;
mod mutations;
mod programs;
mod properties;
mod readings;
mod regressions;
mod robustness;
mod rules;
mod schema;
mod semantics;
mod subsidy;
mod trace;
mod why_not;
