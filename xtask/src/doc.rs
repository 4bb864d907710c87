//! The tests of issue 16 that drive outside programs: the JUnit report read by junitparser, the
//! lcov tracefile by `genhtml`, spreadsheets through LibreOffice (`soffice --convert-to`)
//! (`cli/tests/it/external.rs`, `#[ignore]`d in `cargo test` and run here with `--ignored`), and the
//! review documents of `onshi doc` in headless Chromium (`cli/tests/doc.test.mjs`: no console
//! error, no request off the page, screenshots into `target/doc-screenshots/`, `page.pdf()`). The
//! Debian packages are installed when missing; Chromium and playwright-core are there already
//! (`test_web` installs them first).

use super::{cargo, ensure_debian, run, target_dir, Result};
use std::path::Path;
use std::process::Command;

pub fn test(root: &Path) -> Result<()> {
    ensure_debian(&["python3-junitparser", "lcov", "libreoffice-calc-nogui"])?;
    run(cargo()
        .args([
            "test",
            "--package",
            "onshi-cli",
            "--test",
            "it",
            "--",
            "--ignored",
            "external::",
        ])
        .current_dir(root))?;
    let onshi = target_dir(root).join("debug").join("onshi");
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .arg(root.join("cli").join("tests").join("doc.test.mjs"))
        .env("ONSHI_BIN", &onshi)
        .env("SHOTS", target_dir(root).join("doc-screenshots"))
        .current_dir(root))
}
