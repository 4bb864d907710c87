//! Helpers shared by this crate's integration tests (the workspace-wide ones are in the
//! `onshi-tests` crate, which depends on this one). Each test file uses a part of them.
#![allow(dead_code, unused_imports, clippy::string_slice)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

pub use onshi_tests::workspace::policy_files;

/// The diagnostic codes in the sources (`onshi_tests::workspace::codes_in_sources`), checked to be
/// found at all.
pub fn codes_in_sources() -> BTreeMap<String, PathBuf> {
    let found = onshi_tests::workspace::codes_in_sources();
    assert!(found.len() >= 40, "found only {found:?}");
    found
}
