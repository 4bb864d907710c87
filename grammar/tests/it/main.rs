//! The integration tests of onshi-grammar: the parser and the formatter on their own.
//!
//! One test binary for the crate (`cargo test -p <crate> --test it`), one module per
//! subject. `#![cfg(test)]` marks the whole crate as test code, so the `allow-*-in-tests`
//! settings of the workspace's `clippy.toml` cover the helpers too, not only the `#[test]`s.
#![cfg(test)]

mod fmt;
mod parse;
