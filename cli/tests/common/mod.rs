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

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every `"onshi::phase::name"` string literal in the sources of the crates: the
/// diagnostic codes, with a file that emits each.
pub fn codes_in_sources() -> BTreeMap<String, PathBuf> {
    let mut files = Vec::new();
    for krate in ["grammar", "interpreter", "diff", "cli"] {
        rust_files(&root().join(krate).join("src"), &mut files);
    }
    let mut found = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for (i, _) in text.match_indices("\"onshi::") {
            let rest = &text[i + 1..];
            let end = rest.find('"').unwrap_or(rest.len());
            let code = &rest[..end];
            // Codes are `onshi::phase::name`; skip paths such as `onshi::render`.
            if code.matches("::").count() == 2
                && code
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c == ':')
            {
                found.insert(code.to_string(), file.clone());
            }
        }
    }
    assert!(found.len() >= 40, "found only {found:?}");
    found
}
