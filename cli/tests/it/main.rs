//! The integration tests of onshi-cli: the `onshi` binary's commands, batch runs (CSV, encodings,
//! workbooks), review documents, CI formats, the pages of `onshi explain-error`, and `onshi lsp`.
//!
//! One test binary for the crate (`cargo test -p <crate> --test it`), one module per
//! subject. `#![cfg(test)]` marks the whole crate as test code, so the `allow-*-in-tests`
//! settings of the workspace's `clippy.toml` cover the helpers too, not only the `#[test]`s.
#![cfg(test)]

mod batch;
mod batch_encoding;
mod batch_office;
mod check_exhaustive;
mod check_proofs;
mod check_rules;
mod cli;
mod common;
mod doc;
mod doc_readings;
mod explain_error;
mod external;
mod lsp;
mod readings;
mod test_formats;
mod witnesses;
