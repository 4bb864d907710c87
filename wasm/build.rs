//! Embeds every `*.onshi` under `../policies` into the package, keyed by its repository path
//! (`policies/r7/subsidy.onshi`), so imports resolve inside the embedded map exactly as they do on
//! disk, and explanations cite the same paths as `onshi eval` run from the repository root.
//! A file is a bundled *policy* (listed by `Policy.bundledNames()`) when it declares an output
//! (`出力` or `output`, as the parser reads it). Other files (`common/facility.onshi`) are only
//! there to be imported.
//!
//! Without the feature `all-policies` (the front-desk module), only the front-desk policy
//! (`FRONT_DESK`) and the files it imports, directly or not, are embedded.

use sha2::{Digest, Sha256};
use std::error::Error;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), Box<dyn Error>> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "onshi") {
            out.push(path);
        }
    }
    Ok(())
}

/// The stack of the WASM module, in linear memory: 8 MiB instead of Rust's default 1 MiB. Parsing
/// and checking recurse once per nesting level, and the stack cannot grow in WASM (an overflow
/// traps and leaves the module unusable); with the default limits (`onshi::Limits`) the deepest
/// accepted policy uses a small part of it (see `wasm/tests/limits.test.mjs`).
const WASM_STACK_BYTES: u32 = 8 << 20;

/// The one policy the front-desk module (without `all-policies`) bundles.
const FRONT_DESK: &str = "policies/r7/front_desk.onshi";

/// `to` imported from the file at repository path `from`, as a repository path
/// (`policies/r7/x.onshi` imports `../common/d.onshi` → `policies/common/d.onshi`).
fn resolve(from: &str, to: &str) -> String {
    let mut parts: Vec<&str> = from.split('/').collect();
    parts.pop();
    for part in to.split('/') {
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

/// The files `entry` needs: itself and what it imports, directly or not.
fn needed(entry: &str, parsed: &[(String, onshi_grammar::ast::Module)]) -> Vec<String> {
    let mut out = vec![entry.to_string()];
    let mut i = 0;
    while let Some(path) = out.get(i).cloned() {
        i += 1;
        let Some((_, module)) = parsed.iter().find(|(p, _)| *p == path) else {
            continue;
        };
        for item in &module.items {
            if let onshi_grammar::ast::Item::Import(import) = item {
                let target = resolve(&path, &import.path);
                if !out.contains(&target) {
                    out.push(target);
                }
            }
        }
    }
    out
}

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f == "wasm") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={WASM_STACK_BYTES}");
    }
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR")?);
    let root = manifest.join("..");
    let policies = root.join("policies");
    println!("cargo:rerun-if-changed={}", policies.display());
    let mut files = Vec::new();
    walk(&policies, &mut files)?;
    files.sort();
    let mut parsed = Vec::new();
    for f in &files {
        println!("cargo:rerun-if-changed={}", f.display());
        let rel = f
            .strip_prefix(&root)?
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect::<Vec<_>>()
            .join("/");
        let text = std::fs::read_to_string(f)?;
        let module = onshi_grammar::parse(onshi_grammar::ast::FileId(0), &text).module;
        parsed.push((rel, module));
    }
    let wanted = (std::env::var_os("CARGO_FEATURE_ALL_POLICIES").is_none())
        .then(|| needed(FRONT_DESK, &parsed));
    let mut code = String::from("/// (repository path, source) of every bundled file.\n");
    code.push_str("pub static FILES: &[(&str, &str)] = &[\n");
    let mut names = Vec::new();
    for (f, (rel, module)) in files.iter().zip(&parsed) {
        if wanted.as_ref().is_some_and(|w| !w.contains(rel)) {
            continue;
        }
        let abs = f.canonicalize()?;
        writeln!(
            code,
            "    ({rel:?}, include_str!({:?})),",
            abs.display().to_string()
        )?;
        // A policy is a file that declares an output, in either spelling (`出力` / `output`).
        if module.declares_outputs() {
            let name = rel
                .strip_prefix("policies/")
                .and_then(|r| r.strip_suffix(".onshi"))
                .unwrap_or(rel)
                .to_string();
            names.push((name, rel.clone()));
        }
    }
    code.push_str(
        "];\n\n/// (name, repository path) of every bundled policy (a file with outputs).\n",
    );
    code.push_str("pub static POLICIES: &[(&str, &str)] = &[\n");
    for (name, rel) in &names {
        writeln!(code, "    ({name:?}, {rel:?}),")?;
    }
    code.push_str("];\n\n");
    // The edition of each policy: SHA-256 of its files (itself and what it imports), in path order,
    // each as its repository path, NUL, its text, NUL. The same text gives the same digest on any
    // machine; a changed comment gives another (the answer names exactly the text it came from).
    code.push_str("/// (name, SHA-256 hex of its files) of every bundled policy.\n");
    code.push_str("pub static DIGESTS: &[(&str, &str)] = &[\n");
    for (name, rel) in &names {
        let mut paths = needed(rel, &parsed);
        paths.sort();
        let mut hasher = Sha256::new();
        for p in &paths {
            let text = files
                .iter()
                .zip(&parsed)
                .find(|(_, (r, _))| r == p)
                .map(|(f, _)| std::fs::read_to_string(f))
                .transpose()?
                .unwrap_or_default();
            hasher.update(p.as_bytes());
            hasher.update([0]);
            hasher.update(text.as_bytes());
            hasher.update([0]);
        }
        let mut hex = String::new();
        for b in hasher.finalize() {
            write!(hex, "{b:02x}")?;
        }
        writeln!(code, "    ({name:?}, {hex:?}),")?;
    }
    code.push_str("];\n");
    let out = PathBuf::from(std::env::var("OUT_DIR")?).join("bundled.rs");
    std::fs::write(out, code)?;
    Ok(())
}
