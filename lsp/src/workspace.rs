//! The files the server sees: the documents the editor has open (their unsaved text wins) over the
//! disk, and one [`Analysis`] per open document, recomputed when any document changes.

use crate::analysis::Analysis;
use crate::text::{path_to_uri, uri_to_path};
use lsp_types::Uri;
use onshi::ParseCache;
use onshi::{Files, Lang};
use std::collections::BTreeMap;
use std::path::Path;
use std::rc::Rc;
use std::str::FromStr;

/// A file's key: its absolute path for `file://` documents, else the URI as written (an unsaved
/// `untitled:` buffer); imports are resolved against it lexically.
pub type Key = String;

pub fn key_of(uri: &Uri) -> Key {
    uri_to_path(uri).unwrap_or_else(|| uri.as_str().to_string())
}

pub fn uri_of(key: &str) -> Option<Uri> {
    if key.starts_with('/') {
        path_to_uri(key)
    } else {
        Uri::from_str(key).ok()
    }
}

/// Open documents over the disk.
#[derive(Default)]
pub struct Overlay {
    pub open: BTreeMap<Key, String>,
}

/// Files above this size are not read from the disk (the compiler would refuse them anyway).
const MAX_READ: u64 = 4 << 20;

impl Files for Overlay {
    fn read(&self, path: &str) -> Option<String> {
        if let Some(text) = self.open.get(path) {
            return Some(text.clone());
        }
        if !path.starts_with('/') {
            return None;
        }
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() || meta.len() > MAX_READ {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }
}

/// Everything the server knows.
pub struct Workspace {
    pub files: Overlay,
    pub lang: Lang,
    /// The analyses of the open documents, each compiled as an entry.
    pub analyses: BTreeMap<Key, Rc<Analysis>>,
    /// Workspace folders (absolute paths), searched for the other policies that import a file
    /// when finding references and renaming.
    pub roots: Vec<String>,
    /// The folder of the documents citations quote (`onshi lsp --sources <dir>`).
    pub documents: Option<Documents>,
    /// The limits every policy is compiled and run under (`onshi lsp --max-…`).
    pub limits: onshi::Limits,
    /// Where the diagnostics' codes link to.
    pub pages: crate::diagnostics::Pages,
    cache: ParseCache,
}

/// The source documents, read from a folder by file name.
pub struct Documents(pub std::path::PathBuf);

impl Files for Documents {
    fn read(&self, name: &str) -> Option<String> {
        // A document name, not a path out of the folder.
        if name.contains('/') || name.contains('\\') || name == ".." {
            return None;
        }
        let path = self.0.join(name);
        let meta = std::fs::metadata(&path).ok()?;
        if !meta.is_file() || meta.len() > 4 * MAX_READ {
            return None;
        }
        std::fs::read_to_string(path).ok()
    }
}

impl Workspace {
    pub fn new(lang: Lang) -> Workspace {
        Workspace {
            files: Overlay::default(),
            lang,
            analyses: BTreeMap::new(),
            roots: Vec::new(),
            documents: None,
            limits: onshi::Limits::default(),
            pages: crate::diagnostics::Pages::default(),
            cache: ParseCache::default(),
        }
    }

    pub fn open(&mut self, key: Key, text: String) {
        self.files.open.insert(key.clone(), text);
        self.refresh(Some(&key));
    }

    pub fn close(&mut self, key: &str) {
        self.files.open.remove(key);
        self.analyses.remove(key);
        self.refresh(Some(key));
    }

    pub fn change(&mut self, key: Key, text: String) {
        self.files.open.insert(key.clone(), text);
        self.refresh(Some(&key));
    }

    /// Re-analyse the open documents that read `changed` (its own, and those that import it), or
    /// every open document; the others keep their analysis.
    pub fn refresh(&mut self, changed: Option<&str>) {
        let mut analyses = BTreeMap::new();
        for key in self.files.open.keys() {
            // An import that was not found may be the file just opened or changed.
            let missing_import = |a: &Analysis| {
                a.compiled
                    .diagnostics
                    .iter()
                    .any(|d| d.code == onshi::Code::NAME_IMPORT_NOT_FOUND.id)
            };
            let keep = match (self.analyses.get(key), changed) {
                (Some(a), Some(c)) if key != c && a.file_id(c).is_none() && !missing_import(a) => {
                    Some(Rc::clone(a))
                }
                _ => None,
            };
            let docs = self.documents.as_ref().map(|d| d as &dyn Files);
            let a = keep.unwrap_or_else(|| {
                Rc::new(Analysis::with_cache(
                    &self.files,
                    key,
                    &mut self.cache,
                    docs,
                    &self.limits,
                ))
            });
            analyses.insert(key.clone(), a);
        }
        self.analyses = analyses;
        let read: std::collections::BTreeSet<String> = self
            .analyses
            .values()
            .flat_map(|a| {
                a.compiled
                    .sources
                    .files()
                    .map(|(_, f)| f.path.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        self.cache.retain(|p| read.contains(p));
    }

    /// An analysis that contains `key`: its own when it is open, else the first open document's
    /// that imports it.
    pub fn analysis_for(&self, key: &str) -> Option<&Analysis> {
        self.analyses
            .get(key)
            .or_else(|| self.analyses.values().find(|a| a.file_id(key).is_some()))
            .map(Rc::as_ref)
    }

    /// Every analysis that may refer to the symbol named `name` declared in `decl` (a file key):
    /// the open documents', and those of the policies on disk that import `decl`, directly or
    /// not, open or not (each compiled once here, for references and rename). The policies on disk
    /// are looked for under the workspace folders and under the folder that holds every file
    /// `here` (the analysis the request started in) reads: for `r7/subsidy.onshi` importing
    /// `../common/facility.onshi`, the policies folder, so `r2/` is searched even when the editor
    /// gave `r7/` (or nothing) as its root. A policy on disk that imports nothing (and is not
    /// `decl`) cannot read it and is not compiled. Every importer counts, even one that does not
    /// name the symbol: a rename must not clash with the names it declares.
    pub fn analyses_reaching(&self, here: &Analysis, decl: &str) -> Vec<Rc<Analysis>> {
        let mut out = Vec::new();
        let mut entries: Vec<String> = Vec::new();
        let mut folders: Vec<std::path::PathBuf> =
            self.roots.iter().map(std::path::PathBuf::from).collect();
        if let Some(folder) = common_folder(here) {
            if !folders.iter().any(|f| folder.starts_with(f)) {
                folders.push(folder);
            }
        }
        for folder in &folders {
            policy_files(folder, 0, &mut entries);
        }
        entries.sort();
        entries.dedup();
        entries.retain(|e| !self.analyses.contains_key(e));
        for a in self.analyses.values() {
            if a.file_id(decl).is_some() {
                out.push(Rc::clone(a));
            }
        }
        for entry in entries {
            let imports = entry == decl
                || self
                    .files
                    .read(&entry)
                    .is_some_and(|t| t.contains("取込") || t.contains("import"));
            if !imports {
                continue;
            }
            let a = Rc::new(Analysis::names_only(&self.files, &entry, &self.limits));
            if a.file_id(decl).is_some() {
                out.push(a);
            }
        }
        out
    }
}

/// The deepest folder that holds every file (on disk) the analysis read.
fn common_folder(a: &Analysis) -> Option<std::path::PathBuf> {
    let mut common: Option<std::path::PathBuf> = None;
    for (_, f) in a.compiled.sources.files() {
        if !f.path.starts_with('/') {
            continue;
        }
        let Some(dir) = Path::new(&f.path).parent() else {
            continue;
        };
        common = Some(match common {
            None => dir.to_path_buf(),
            Some(c) => c
                .ancestors()
                .find(|anc| dir.starts_with(anc))
                .map_or_else(|| std::path::PathBuf::from("/"), Path::to_path_buf),
        });
    }
    // Never the whole disk or the home folder by accident: a folder at least two levels deep, not
    // $HOME itself.
    let home = std::env::var_os("HOME").map(std::path::PathBuf::from);
    common.filter(|c| c.components().count() > 2 && Some(c) != home.as_ref())
}

/// At most this many policy files are gathered from the workspace folders, and at most this many
/// folders looked into.
const MAX_POLICIES: usize = 500;
const MAX_FOLDERS: usize = 2000;

/// `*.onshi` files under `dir` (not in hidden folders, `target` or `node_modules`).
fn policy_files(dir: &Path, depth: usize, out: &mut Vec<String>) {
    let mut budget = MAX_FOLDERS;
    walk(dir, depth, out, &mut budget);
}

fn walk(dir: &Path, depth: usize, out: &mut Vec<String>, budget: &mut usize) {
    if depth > 8 || out.len() >= MAX_POLICIES || *budget == 0 {
        return;
    }
    *budget -= 1;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(Result::ok).collect();
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name().to_string_lossy().into_owned();
        let path = e.path();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            walk(&path, depth + 1, out, budget);
        } else if name.ends_with(".onshi") && out.len() < MAX_POLICIES {
            out.push(path.to_string_lossy().into_owned());
        }
    }
}
