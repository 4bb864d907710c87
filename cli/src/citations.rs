//! `--sources <dir>` on `onshi check` and `onshi test`: the quoted passages of every citation
//! checked against the documents in a directory (see [`onshi::citations`]).

use crate::fs;
use onshi::citations::{verify, Counts};
use onshi::{Compiled, Files, Lang, Limits};
use onshi_cli::render::print_diagnostics;
use std::collections::HashSet;
use std::path::PathBuf;

#[derive(clap::Args, Clone, Debug)]
pub struct SourcesArg {
    /// Check every passage quoted in 「…」 in a 出典 against the document its source declares,
    /// read from this directory (`出典 名前 = "file"`); prints how many citations are verified,
    /// external (unverifiable) and unquoted.
    #[arg(long, value_name = "DIR")]
    pub sources: Option<PathBuf>,
}

/// Documents read from a directory by file name (never outside it).
struct Dir(PathBuf);

impl Files for Dir {
    fn read(&self, name: &str) -> Option<String> {
        if name.contains(['/', '\\']) || name.starts_with('.') {
            return None;
        }
        std::fs::read_to_string(self.0.join(name)).ok()
    }
}

/// The citation check over a whole run: each citation (by file and position) counted once,
/// however many of the run's policies import its file.
pub struct CitationRun {
    dir: Dir,
    seen: HashSet<(String, u32)>,
    seen_errors: HashSet<(&'static str, String, u32)>,
    pub counts: Counts,
    pub errors: usize,
    pub warnings: usize,
}

impl CitationRun {
    /// The policy files of `paths` (directories searched) and, with `--sources`, the citation
    /// check over them; a path or a documents directory that is not there is a usage error.
    pub fn open(
        paths: &[PathBuf],
        arg: &SourcesArg,
        lang: Lang,
    ) -> Result<(Vec<String>, Option<CitationRun>), String> {
        let files = fs::expand(paths, lang)?;
        let Some(dir) = arg.sources.clone() else {
            return Ok((files, None));
        };
        Ok((files, Some(CitationRun::for_dir(dir, lang)?)))
    }

    /// The citation check against the documents of `dir` (a usage error if it is not there).
    pub fn for_dir(dir: PathBuf, lang: Lang) -> Result<CitationRun, String> {
        if !dir.is_dir() {
            return Err(match lang {
                Lang::Ja => format!(
                    "--sources {}: そのようなフォルダはありません",
                    dir.display()
                ),
                _ => format!("--sources {}: no such directory", dir.display()),
            });
        }
        Ok(CitationRun {
            dir: Dir(dir),
            seen: HashSet::new(),
            seen_errors: HashSet::new(),
            counts: Counts::default(),
            errors: 0,
            warnings: 0,
        })
    }

    /// Check the citations of one compilation's files; print the new diagnostics.
    pub fn add(&mut self, compiled: &Compiled, limits: &Limits, lang: Lang) {
        let v = verify(&compiled.sources, &self.dir, limits);
        let path = |span: onshi_grammar::ast::Span| {
            compiled
                .sources
                .get(span.file)
                .map(|f| f.path.clone())
                .unwrap_or_default()
        };
        for c in &v.citations {
            if self.seen.insert((path(c.span), c.span.start)) {
                self.counts.add(c.status);
            }
        }
        let fresh: Vec<_> = v
            .diagnostics()
            .into_iter()
            .filter(|d| {
                let at = d.primary_span().unwrap_or_default();
                self.seen_errors.insert((d.code, path(at), at.start))
            })
            .collect();
        self.errors += fresh.iter().filter(|d| d.is_error()).count();
        self.warnings += fresh.iter().filter(|d| !d.is_error()).count();
        print_diagnostics(&fresh, &compiled.sources, lang);
    }

    /// The coverage of the documents the run's files cite (all of them in `all`); prints the
    /// problems of its 範囲外 declarations.
    pub fn coverage(
        &mut self,
        all: &onshi::SourceMap,
        limits: &Limits,
        lang: Lang,
    ) -> onshi::citations::coverage::Coverage {
        let report = onshi::citations::coverage::coverage(all, &self.dir, limits);
        let ds: Vec<_> = report.errors.iter().map(|e| e.to_diagnostic()).collect();
        self.errors += ds.iter().filter(|d| d.is_error()).count();
        self.warnings += ds.iter().filter(|d| !d.is_error()).count();
        print_diagnostics(&ds, all, lang);
        report
    }

    pub fn summary(&self, lang: Lang) -> String {
        self.counts.summary().get(lang).to_string()
    }
}
