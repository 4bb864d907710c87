//! The tests of issue 16 that drive outside programs: the JUnit report read by junitparser, the
//! lcov tracefile by `genhtml`, spreadsheets through LibreOffice (`soffice --convert-to`), and the
//! review documents of `onshi doc` in headless Chromium. The Debian packages are installed when
//! missing; the Rust tests are `#[ignore]`d in `cargo test` and run here with `--ignored`.

use super::{cargo, ensure_debian, run, Result};
use std::path::Path;

/// Install the programs, then run the ignored tests of `cli/tests/external.rs`.
pub fn test(root: &Path) -> Result<()> {
    ensure_debian(&["python3-junitparser", "lcov", "libreoffice-calc-nogui"])?;
    run(cargo()
        .args([
            "test",
            "--package",
            "onshi-cli",
            "--test",
            "external",
            "--",
            "--ignored",
        ])
        .current_dir(root))
}
