//! The front-desk module, `wasm/pkg/desk/` (an ES module for browsers, like `web/`): the package
//! built without its default features (`onshi-wasm`'s `compile`, `citations`, `all-policies`), so
//! it bundles only `r7/front_desk` (and what it imports), compiles no policy given in JavaScript
//! and checks no citations. Built with the `wasm-desk` profile (optimised for size: it never
//! sees a deeply nested policy, see `Cargo.toml`). The front-desk page loads it; the playground
//! keeps the full module.

use crate::{run, target_dir, write, Result, OUT_NAME, TARGET};
use std::path::{Path, PathBuf};
use std::process::Command;

/// The cargo profile of the front-desk module.
pub const PROFILE: &str = "wasm-desk";

/// Builds the front-desk module into `pkg/desk` (after `pkg/web`): returns the `.wasm`'s path.
pub fn build(root: &Path, pkg: &Path, wasm_opt: &Path) -> Result<PathBuf> {
    run(crate::cargo()
        .args(["build", "--package", "onshi-wasm", "--no-default-features"])
        .args(["--target", TARGET, "--profile", PROFILE])
        .current_dir(root))?;
    let module = target_dir(root)
        .join(TARGET)
        .join(PROFILE)
        .join("onshi_wasm.wasm");
    let out = pkg.join("desk");
    run(Command::new("wasm-bindgen")
        .args(["--target", "web", "--out-name", OUT_NAME, "--out-dir"])
        .arg(&out)
        .arg(&module))?;
    let bg = out.join(format!("{OUT_NAME}_bg.wasm"));
    run(Command::new(wasm_opt)
        .args(["-Oz", "--strip-debug", "--strip-producers"])
        .arg(&bg)
        .arg("-o")
        .arg(&bg))?;
    write(
        &out.join("package.json"),
        &format!(
            "{{\n  \"type\": \"module\",\n  \"main\": \"./{OUT_NAME}.js\",\n  \"types\": \"./{OUT_NAME}.d.ts\"\n}}\n"
        ),
    )?;
    Ok(bg)
}
