//! Embeds the shipped policies into a crate, from its build script: every `*.onshi` under
//! `../policies` (beside the crate's folder), keyed by its repository path
//! (`policies/r7/subsidy.onshi`), so imports resolve inside the embedded map exactly as they do on
//! disk, and explanations cite the same paths as `onshi eval` run from the repository root.
//! A file is a bundled *policy* when it declares an output (`出力` or `output`, as the parser reads
//! it). Other files (`common/facility.onshi`) are only there to be imported.
//!
//! [`generate`] writes `$OUT_DIR/bundled.rs` with `FILES`, `POLICIES` and `DIGESTS`; the crate
//! includes it. Used by the WASM package (`wasm/build.rs`) and the Python package
//! (`python/build.rs`), so both bundle the same files the same way.

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

/// The one policy the front-desk module (without `all-policies`) bundles.
pub const FRONT_DESK: &str = "policies/r7/front_desk.onshi";

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

/// Writes `$OUT_DIR/bundled.rs` for the crate whose build script calls it (see the crate
/// documentation). Without `all_policies`, only the front-desk policy (`FRONT_DESK`) and the files it
/// imports, directly or not, are embedded.
pub fn generate(all_policies: bool) -> Result<(), Box<dyn Error>> {
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
    let wanted = (!all_policies).then(|| needed(FRONT_DESK, &parsed));
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
