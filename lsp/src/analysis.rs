//! One compilation seen from the editor: the policy compiled as an entry (every diagnostic, the
//! checked program when there is no error), the syntax tree of each file it read, and the name
//! index over them.

use crate::index::Index;
use crate::text::LineIndex;
use crate::workspace::uri_of;
use lsp_types::{Location, Range};
use onshi::examples::{Coverage, Outcome};
use onshi::{compile_cached, Compiled, Files, Limits, ParseCache, Program};
use onshi_grammar::ast::{FileId, Module, Span};

pub struct Analysis {
    /// Unique per analysis in this process: the proofs of the language server are matched to
    /// the analysis they were made on by it.
    pub id: u64,
    pub entry: String,
    pub compiled: Compiled,
    pub modules: Vec<(FileId, Module)>,
    pub lines: Vec<LineIndex>,
    pub index: Index,
    /// The examples (例) of the entry file, run once per analysis.
    pub outcomes: Vec<Outcome>,
    /// The citations checked against the documents, when the server was given their folder.
    pub citations: Vec<onshi::Diagnostic>,
}

impl Analysis {
    pub fn new(files: &dyn Files, entry: &str) -> Analysis {
        Analysis::with_cache(
            files,
            entry,
            &mut ParseCache::default(),
            None,
            &Limits::default(),
        )
    }

    /// With `documents`, the citations are checked against them too (`onshi check --sources`);
    /// compiled, run and checked under `limits` (`onshi lsp --max-…`).
    pub fn with_cache(
        files: &dyn Files,
        entry: &str,
        cache: &mut ParseCache,
        documents: Option<&dyn Files>,
        limits: &Limits,
    ) -> Analysis {
        Analysis::build(files, entry, cache, documents, limits, true)
    }

    /// For finding names only (references and rename across the policies on disk): compiled and
    /// indexed, the examples not run.
    pub fn names_only(files: &dyn Files, entry: &str, limits: &Limits) -> Analysis {
        Analysis::build(
            files,
            entry,
            &mut ParseCache::default(),
            None,
            limits,
            false,
        )
    }

    fn build(
        files: &dyn Files,
        entry: &str,
        cache: &mut ParseCache,
        documents: Option<&dyn Files>,
        limits: &Limits,
        run_examples: bool,
    ) -> Analysis {
        // The compilation's own syntax trees: each file is parsed once, and only when it changed.
        let mut compiled = compile_cached(files, entry, limits, cache);
        let modules = std::mem::take(&mut compiled.modules);
        let lines = compiled
            .sources
            .files()
            .map(|(_, f)| LineIndex::new(&f.text))
            .collect();
        let index = Index::build(&modules);
        let outcomes = compiled
            .program
            .as_ref()
            .filter(|_| run_examples)
            .map(|p| p.run_examples(&mut Coverage::default()))
            .unwrap_or_default();
        let citations = documents.map_or_else(Vec::new, |docs| {
            onshi::citations::verify(&compiled.sources, docs, limits).diagnostics()
        });
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Analysis {
            id: NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            entry: entry.to_string(),
            compiled,
            modules,
            lines,
            index,
            outcomes,
            citations,
        }
    }

    pub fn program(&self) -> Option<&Program> {
        self.compiled.program.as_ref()
    }

    pub fn file_id(&self, key: &str) -> Option<FileId> {
        self.compiled.sources.find(key)
    }

    pub fn key(&self, file: FileId) -> Option<&str> {
        self.compiled.sources.get(file).map(|f| f.path.as_str())
    }

    pub fn text(&self, file: FileId) -> &str {
        self.compiled
            .sources
            .get(file)
            .map_or("", |f| f.text.as_str())
    }

    pub fn module(&self, file: FileId) -> Option<&Module> {
        self.modules
            .iter()
            .find(|(id, _)| *id == file)
            .map(|(_, m)| m)
    }

    pub fn line_index(&self, file: FileId) -> Option<&LineIndex> {
        self.lines.get(file.0 as usize)
    }

    pub fn range(&self, span: Span) -> Range {
        let text = self.text(span.file);
        match self.line_index(span.file) {
            Some(l) => l.range(text, span.start as usize, span.end as usize),
            None => Range::default(),
        }
    }

    /// The byte offset of an LSP position in `file`.
    pub fn offset(&self, file: FileId, pos: lsp_types::Position) -> usize {
        let text = self.text(file);
        self.line_index(file).map_or(0, |l| l.offset(text, pos))
    }

    pub fn location(&self, span: Span) -> Option<Location> {
        let uri = uri_of(self.key(span.file)?)?;
        Some(Location::new(uri, self.range(span)))
    }

    /// The source text of a span.
    pub fn snippet(&self, span: Span) -> &str {
        self.compiled.sources.snippet(span)
    }
}
