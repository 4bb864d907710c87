//! Helpers shared by this crate's integration tests (the workspace-wide ones are in the
//! `onshi-tests` crate, which depends on this one). Each test file uses a part of them.
#![allow(
    dead_code,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    clippy::string_slice
)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// Every `.onshi` file under `policies/`, keyed by its `/`-separated path relative to `base`.
pub fn policy_files(base: &Path) -> BTreeMap<String, String> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let p = entry.unwrap().path();
            if p.is_dir() {
                walk(&p, base, out);
            } else if p.extension().is_some_and(|e| e == "onshi") {
                let rel = p
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(&root().join("policies"), base, &mut out);
    out
}

/// The diagnostic codes in the sources (`onshi_tests::workspace::codes_in_sources`), checked to be
/// found at all.
pub fn codes_in_sources() -> BTreeMap<String, PathBuf> {
    let found = onshi_tests::workspace::codes_in_sources();
    assert!(found.len() >= 40, "found only {found:?}");
    found
}
