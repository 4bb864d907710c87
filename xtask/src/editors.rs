//! Editor tasks:
//!
//! - `cargo xtask vsix`: test the VS Code extension (`editors/vscode/test/`: its TextMate grammar
//!   through VS Code's own tokenizer, its activation), bundle it with the root's esbuild
//!   (`extension.js` and vscode-languageclient into `dist/extension.js`, as vsce asks) and package
//!   it to `editors/vscode/onshi-<version>.vsix` with npm `@vscode/vsce` (`npm ci` in that folder
//!   first, from its own package-lock.json; the bundle only, no node_modules), then check the
//!   bundle and the package (`test/bundle.test.mjs`);
//! - [`neovim`], from `test-web`: the end-to-end test with a real editor's LSP client (Debian's
//!   `neovim`, 0.7.2, installed when missing): `lsp/tests/it/neovim.rs`, which starts headless Neovim
//!   with the README's own set-up (copied from README.md) and `onshi` of the debug build on PATH,
//!   and drives it with `editors/nvim/e2e.lua`.

use super::{cargo, ensure_debian, ensure_npm, fail, run, target_dir, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Build the `.vsix`; returns its path.
pub fn vsix(root: &Path) -> Result<PathBuf> {
    let dir = root.join("editors").join("vscode");
    ensure_npm(root)?;
    ensure_npm(&dir)?;
    let manifest = std::fs::read_to_string(dir.join("package.json"))?;
    let Some(version) = manifest.lines().find_map(|l| {
        let v = l.trim().strip_prefix("\"version\": \"")?;
        v.split('"').next().map(str::to_string)
    }) else {
        return fail("editors/vscode/package.json: no version");
    };
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec", "test/grammar.test.mjs"])
        .current_dir(&dir))?;
    run(
        Command::new(root.join("node_modules").join(".bin").join("esbuild"))
            .args([
                "extension.js",
                "--bundle",
                "--platform=node",
                "--target=node18",
                "--format=cjs",
                "--external:vscode",
                "--minify",
                "--legal-comments=linked",
                "--outfile=dist/extension.js",
            ])
            .current_dir(&dir),
    )?;
    let out = dir.join(format!("onshi-{version}.vsix"));
    run(
        Command::new(dir.join("node_modules").join(".bin").join("vsce"))
            .args([
                "package",
                "--allow-missing-repository",
                "--no-dependencies",
                "--out",
            ])
            .arg(&out)
            .stdin(Stdio::null())
            .current_dir(&dir),
    )?;
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec", "test/bundle.test.mjs"])
        .current_dir(&dir))?;
    eprintln!("vsix: {}", out.display());
    Ok(out)
}

/// The Neovim end-to-end test, against `onshi lsp` of the debug build.
pub fn neovim(root: &Path) -> Result<()> {
    ensure_debian(&["neovim"])?;
    run(cargo()
        .args(["build", "--package", "onshi-cli", "--bin", "onshi"])
        .current_dir(root))?;
    let onshi = target_dir(root).join("debug").join("onshi");
    run(cargo()
        .args([
            "test",
            "--package",
            "onshi-lsp",
            "--test",
            "it",
            "--",
            "--ignored",
            "neovim::",
        ])
        .env("ONSHI_BIN", &onshi)
        .current_dir(root))
}
