//! The file system side of the CLI: the only place that reads policy files.

use onshi::{Files, Lang};
use std::path::{Path, PathBuf};

/// Reads sources from disk, paths relative to the working directory.
pub struct Disk;

impl Files for Disk {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

/// A path as the library sees it: `/`-separated.
pub fn display(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Files and directories → the `.onshi` files, directories searched recursively, sorted; a path
/// that is not there is an error worded in `lang`.
pub fn expand(paths: &[PathBuf], lang: Lang) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out).map_err(|e| format!("{}: {e}", p.display()))?;
        } else if p.is_file() {
            out.push(display(p));
        } else {
            return Err(not_found(p, lang));
        }
    }
    Ok(out)
}

/// `path: no such file or directory`, in `lang`.
pub fn not_found(p: &Path, lang: Lang) -> String {
    match lang {
        Lang::Ja => format!("{}: そのようなファイルやフォルダはありません", p.display()),
        _ => format!("{}: no such file or directory", p.display()),
    }
}

fn walk(dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "onshi") {
            out.push(display(&p));
        }
    }
    Ok(())
}
