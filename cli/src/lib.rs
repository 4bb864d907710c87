//! The `onshi` command line's library part: rendering diagnostics as text (miette), for the binary
//! and for tests that compare rendered diagnostics. Everything else of the CLI is in the binary
//! (`main.rs`, one module per command).

pub mod render;
