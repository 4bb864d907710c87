//! The integration tests of onshi-lsp: the server over stdio (protocol, features, rename,
//! robustness) and the editor clients (Neovim, the VS Code grammar's tables).
//!
//! One test binary for the crate (`cargo test -p <crate> --test it`), one module per
//! subject. `#![cfg(test)]` marks the whole crate as test code, so the `allow-*-in-tests`
//! settings of the workspace's `clippy.toml` cover the helpers too, not only the `#[test]`s.
#![cfg(test)]

mod common;
mod editors;
mod features;
mod neovim;
mod proofs;
mod protocol;
mod rename;
mod robustness;
