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

/// The `onshi` binary with `args`, run from the repository root, with `ONSHI_LANG` unset (so
/// the wording is the default, Japanese) and `NO_COLOR` set.
pub fn onshi_command(args: &[&str]) -> std::process::Command {
    let mut c = std::process::Command::new(env!("CARGO_BIN_EXE_onshi"));
    c.args(args)
        .current_dir(root())
        .env_remove("ONSHI_LANG")
        .env("NO_COLOR", "1");
    c
}

/// Runs `command` to its end: the exit code (-1 when killed), standard output as bytes, standard
/// error.
pub fn outcome(command: &mut std::process::Command) -> (i32, Vec<u8>, String) {
    let o = command.output().expect("run onshi");
    (
        o.status.code().unwrap_or(-1),
        o.stdout,
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs `onshi args`: the exit code (-1 when killed), standard output as bytes, standard error.
pub fn run_bytes(args: &[&str]) -> (i32, Vec<u8>, String) {
    outcome(&mut onshi_command(args))
}

/// Runs `onshi args`: the exit code (-1 when killed), standard output and standard error.
pub fn run(args: &[&str]) -> (i32, String, String) {
    let (code, out, err) = run_bytes(args);
    (code, String::from_utf8_lossy(&out).into_owned(), err)
}

/// A fresh, empty scratch directory `onshi-<prefix>-<tag>-<pid>` in the system's temp dir.
pub fn scratch(prefix: &str, tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("onshi-{prefix}-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("create a scratch directory");
    d
}
