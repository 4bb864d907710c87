//! The bundler smoke test of `cargo xtask test-web` (issue 17): the one-page app of
//! `wasm/tests/bundlers/app/`, which imports the package by name (`import init, { Policy } from
//! 'onshi'`, a `file:` dependency on `wasm/pkg`, installed as a copy of the packed folder as from a
//! registry), built with Vite and with webpack 5 (the root's devDependencies, offline) into
//! `target/bundlers/{vite,webpack}`, then opened in headless Chromium by
//! `wasm/tests/bundlers/bundlers.test.mjs`, which also prints the bundles' sizes and runs the same
//! code under Node. Before the builds, `tsc` checks the app's script against the package's types.

use std::path::Path;
use std::process::Command;

use crate::{remove_dir, run, target_dir, Result};

/// Needs `wasm/pkg` (`cargo xtask wasm`), the root's node_modules and Chromium.
pub fn test(root: &Path) -> Result<()> {
    let here = root.join("wasm").join("tests").join("bundlers");
    let app = here.join("app");
    let out = target_dir(root).join("bundlers");
    let bin = root.join("node_modules").join(".bin");
    // The app's only dependency is the package folder. `--install-links` copies what `npm pack`
    // would publish (the `files` of its package.json) into node_modules, as a registry install
    // does; node_modules goes first so that the copy is always of this build.
    remove_dir(&app.join("node_modules"))?;
    run(Command::new("npm")
        .args([
            "install",
            "--offline",
            "--install-links",
            "--no-package-lock",
            "--no-audit",
            "--no-fund",
        ])
        .current_dir(&app))?;
    // The app's script as a vendor's editor checks it (the web build's types through `exports`).
    run(Command::new(bin.join("tsc"))
        .args(["-p", "tsconfig.json"])
        .current_dir(&app))?;
    run(Command::new(bin.join("vite"))
        .arg("build")
        .env("OUT_DIR", out.join("vite"))
        .current_dir(&app))?;
    run(Command::new(bin.join("webpack"))
        .args(["--config", "webpack.config.js"])
        .env("OUT_DIR", out.join("webpack"))
        .current_dir(&app))?;
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .arg(here.join("bundlers.test.mjs"))
        .env("ONSHI_BUNDLES", &out)
        .current_dir(root))
}
