//! `cargo xtask test-python`: the Python package (`python/`) built into a virtual environment
//! under the target folder and tested with pytest against the `onshi` binary.
//!
//! Needs `python3` (≥ 3.9, with `venv` and pip). Installs Debian's `openjdk-17-jre-headless` (Java
//! for the local Spark session) with apt-get when missing, and into the venv, when missing,
//! maturin, pytest, pyarrow, pandas, Polars, DuckDB and PySpark (from PyPI), then `maturin develop` builds the
//! extension (debug: the tests evaluate thousands of records, not millions) and installs it
//! into the venv. pytest's exit status is the task's: "no tests collected" (5) fails too.

use crate::{build_cli, ensure_debian, fail, run, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// What the tests import, from PyPI.
const PACKAGES: &[&str] = &[
    "maturin>=1.5,<2",
    "pytest",
    "pyarrow",
    "pandas",
    "polars",
    "duckdb",
    "pyspark",
];

/// The venv under the target folder (created when missing), and its `bin/`.
fn venv(root: &Path) -> Result<PathBuf> {
    let dir = target_dir(root).join("python-venv");
    if !dir.join("bin").join("python").exists() {
        run(Command::new("python3").arg("-m").arg("venv").arg(&dir))?;
    }
    Ok(dir)
}

pub fn test(root: &Path) -> Result<()> {
    // Java for the local Spark session of the Spark test (pyspark comes from PyPI).
    ensure_debian(&["openjdk-17-jre-headless"])?;
    let onshi = build_cli(root)?;
    let venv = venv(root)?;
    let bin = venv.join("bin");
    let python = bin.join("python");
    run(Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
        ])
        .args(PACKAGES))?;
    let path = match std::env::var_os("PATH") {
        Some(p) => {
            let mut dirs = vec![bin.clone()];
            dirs.extend(std::env::split_paths(&p));
            std::env::join_paths(dirs).map_err(|e| crate::Error(e.to_string()))?
        }
        None => bin.clone().into_os_string(),
    };
    run(Command::new(bin.join("maturin"))
        .args(["develop", "--quiet", "--manifest-path"])
        .arg(root.join("python").join("Cargo.toml"))
        .env("VIRTUAL_ENV", &venv)
        .env("PATH", &path)
        .current_dir(root))?;
    let status = Command::new(&python)
        .args(["-m", "pytest", "-p", "no:cacheprovider", "-q"])
        .arg(root.join("python").join("tests"))
        .env("ONSHI_BIN", &onshi)
        .env("PATH", &path)
        .current_dir(root)
        .status()
        .map_err(|e| crate::Error(format!("pytest: cannot start: {e}")))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(5) => fail("pytest collected no tests (exit 5): the Python tests did not run"),
        _ => fail(format!("pytest: {status}")),
    }
}
