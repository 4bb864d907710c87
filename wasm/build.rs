//! Embeds the shipped policies into the package (see `onshi-bundle`, shared with the Python
//! package): every `*.onshi` under `../policies`, keyed by its repository path.
//!
//! Without the feature `all-policies` (the front-desk module), only the front-desk policy and the
//! files it imports, directly or not, are embedded. Without the feature `compile` (the front-desk
//! module too), the package has no parser and no checker: the front-desk policy is checked here,
//! at build time, and embedded checked (`onshi::embed`, `$OUT_DIR/embedded.rs`); a policy with
//! errors fails the build with its diagnostics.

use std::collections::BTreeMap;
use std::error::Error;
use std::fmt::Write as _;
use std::path::Path;

/// The stack of the WASM module, in linear memory: 8 MiB instead of Rust's default 1 MiB. Parsing
/// and checking recurse once per nesting level, and the stack cannot grow in WASM (an overflow
/// traps and leaves the module unusable); with the default limits (`onshi::Limits`) the deepest
/// accepted policy uses a small part of it (see `wasm/tests/limits.test.mjs`).
const WASM_STACK_BYTES: u32 = 8 << 20;

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f == "wasm") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={WASM_STACK_BYTES}");
    }
    onshi_bundle::generate(std::env::var_os("CARGO_FEATURE_ALL_POLICIES").is_some())?;
    let compile = std::env::var_os("CARGO_FEATURE_COMPILE").is_some();
    embed(if compile { &[] } else { &["r7/front_desk"] })
}

/// Every file under `dir`, by repository path (`policies/r7/front_desk.onshi`).
fn read_all(
    root: &Path,
    dir: &Path,
    out: &mut BTreeMap<String, String>,
) -> Result<(), Box<dyn Error>> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            read_all(root, &path, out)?;
        } else if path.extension().is_some_and(|e| e == "onshi") {
            let rel = path.strip_prefix(root)?.components();
            let rel: Vec<_> = rel
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect();
            out.insert(rel.join("/"), std::fs::read_to_string(&path)?);
        }
    }
    Ok(())
}

/// Writes `$OUT_DIR/embedded.rs`: `EMBEDDED`, (name, the checked program and its sources as
/// `onshi::embed` text) of each of `names`.
fn embed(names: &[&str]) -> Result<(), Box<dyn Error>> {
    let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?);
    let mut code = String::from(
        "/// (name, `onshi::embed` bytes of the checked program and its sources) of each policy checked at build time.\n\
         pub static EMBEDDED: &[(&str, &[u8])] = &[\n",
    );
    if !names.is_empty() {
        let root = Path::new(&std::env::var("CARGO_MANIFEST_DIR")?).join("..");
        let mut files = BTreeMap::new();
        read_all(&root, &root.join("policies"), &mut files)?;
        for name in names {
            let compiled = onshi::compile(&files, &format!("policies/{name}.onshi"));
            let Some(program) = compiled.program else {
                let messages: Vec<String> = compiled
                    .diagnostics
                    .iter()
                    .map(|d| format!("{}: {}", d.code, d.message.en))
                    .collect();
                return Err(format!("{name} does not compile: {}", messages.join("; ")).into());
            };
            let file = format!("{}.bin", name.replace('/', "_"));
            std::fs::write(
                out.join(&file),
                onshi::embed::write(&program, &compiled.sources)?,
            )?;
            writeln!(
                code,
                "    ({name:?}, include_bytes!(concat!(env!(\"OUT_DIR\"), \"/{file}\")) as &[u8]),"
            )?;
        }
    }
    code.push_str("];\n");
    std::fs::write(out.join("embedded.rs"), code)?;
    Ok(())
}
