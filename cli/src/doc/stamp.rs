//! What a signature on a review document refers to: the digest of the policy files the page was
//! made from, the onshi version that made it, and the day it was made.
//!
//! The digest is SHA-256 over the files a compilation read (the policy and what it imports), each as
//! its path with `.`/`..` steps resolved, NUL, its text, NUL, in path order — the same bytes the
//! WASM package hashes for `Policy.bundledDigest`, so the review document of
//! `policies/r7/front_desk.onshi` made from the repository root names the edition the front desk
//! prints on its records.

use chrono::{DateTime, Utc};
use onshi::SourceMap;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;

#[derive(Serialize, Clone)]
pub struct Stamp {
    /// SHA-256, hex.
    pub digest: String,
    /// Its first 8 hex digits, as the front desk shows an edition.
    pub short: String,
    pub version: &'static str,
    /// `2026-12-07`: `SOURCE_DATE_EPOCH` when set (reproducible builds), else today (UTC).
    pub date: String,
    /// How many files the digest covers.
    pub files: usize,
}

/// `policies/r7/../common/x.onshi` → `policies/common/x.onshi`.
pub fn normalise(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// The digest of `files` (path, text), in the order described above.
pub fn digest<'a>(files: impl IntoIterator<Item = (&'a str, &'a str)>) -> String {
    let mut list: Vec<(String, &str)> = files.into_iter().map(|(p, t)| (normalise(p), t)).collect();
    list.sort();
    list.dedup_by(|a, b| a.0 == b.0);
    let mut h = Sha256::new();
    for (p, t) in &list {
        h.update(p.as_bytes());
        h.update([0]);
        h.update(t.as_bytes());
        h.update([0]);
    }
    let mut hex = String::with_capacity(64);
    for b in h.finalize() {
        let _ = write!(hex, "{b:02x}");
    }
    hex
}

/// The day the documents are made: `SOURCE_DATE_EPOCH` (seconds) when set, else now.
fn today() -> String {
    let clock = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .ok()
            .and_then(|d| i64::try_from(d.as_secs()).ok())
            .unwrap_or(0)
    };
    let secs = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or_else(clock);
    DateTime::<Utc>::from_timestamp(secs, 0)
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The stamp of one compilation's files.
pub fn of_sources(sources: &SourceMap) -> Stamp {
    let files: Vec<(&str, &str)> = sources
        .files()
        .map(|(_, f)| (f.path.as_str(), f.text.as_str()))
        .collect();
    stamp(digest(files.iter().copied()), files.len())
}

/// The stamp of several compilations' files together (the index of a run).
pub fn of_all<'a>(all: impl IntoIterator<Item = &'a SourceMap>) -> Stamp {
    let mut files: Vec<(&str, &str)> = Vec::new();
    for s in all {
        files.extend(s.files().map(|(_, f)| (f.path.as_str(), f.text.as_str())));
    }
    let mut paths: Vec<String> = files.iter().map(|(p, _)| normalise(p)).collect();
    paths.sort();
    paths.dedup();
    stamp(digest(files.iter().copied()), paths.len())
}

fn stamp(digest: String, files: usize) -> Stamp {
    Stamp {
        short: digest.get(..8).unwrap_or_default().to_string(),
        digest,
        version: env!("CARGO_PKG_VERSION"),
        date: today(),
        files,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_resolved_and_files_taken_once_in_path_order() {
        assert_eq!(
            normalise("policies/r7/../common/x.onshi"),
            "policies/common/x.onshi"
        );
        assert_eq!(normalise("./a//b.onshi"), "a/b.onshi");
        let a = digest([("b.onshi", "2"), ("a.onshi", "1")]);
        assert_eq!(
            a,
            digest([("a.onshi", "1"), ("./b.onshi", "2"), ("b.onshi", "2")])
        );
        assert_ne!(a, digest([("a.onshi", "1"), ("b.onshi", "2 ")]));
        // SHA-256 of the bytes "a.onshi", NUL, "1", NUL (as Python's hashlib gives it).
        assert_eq!(
            digest([("a.onshi", "1")]),
            "3f9a1f9aa62823243a368547828bae793e8eb5bb927cf45de81d1ee322edb3ec"
        );
    }
}
