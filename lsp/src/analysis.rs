//! One compilation seen from the editor: the policy compiled as an entry (every diagnostic, the
//! checked program when there is no error), the syntax tree of each file it read, and the name
//! index over them.

use crate::index::Index;
use crate::text::LineIndex;
use crate::workspace::uri_of;
use lsp_types::{Location, Range};
use onshi::examples::{Coverage, Outcome};
use onshi::{compile, Compiled, Files, Program};
use onshi_grammar::ast::{FileId, Module, Span};
use std::collections::HashMap;

/// Syntax trees kept between analyses, by (file, its id in the compilation): a keystroke parses
/// again only the file it changed.
#[derive(Default)]
pub struct ParseCache {
    trees: HashMap<(String, u32), (String, Module)>,
}

impl ParseCache {
    fn module(&mut self, path: &str, id: FileId, text: &str) -> Module {
        let key = (path.to_string(), id.0);
        if let Some((t, m)) = self.trees.get(&key) {
            if t == text {
                return m.clone();
            }
        }
        let m = onshi_grammar::parse(id, text).module;
        self.trees.insert(key, (text.to_string(), m.clone()));
        m
    }

    /// Forget the files no analysis read (closed documents, removed imports).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.trees.retain(|(path, _), _| keep(path));
    }
}

pub struct Analysis {
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
        Analysis::with_cache(files, entry, &mut ParseCache::default(), None)
    }

    /// With `documents`, the citations are checked against them too (`onshi check --sources`).
    pub fn with_cache(
        files: &dyn Files,
        entry: &str,
        cache: &mut ParseCache,
        documents: Option<&dyn Files>,
    ) -> Analysis {
        let compiled = compile(files, entry);
        let mut modules = Vec::new();
        let mut lines = Vec::new();
        for (id, f) in compiled.sources.files() {
            modules.push((id, cache.module(&f.path, id, &f.text)));
            lines.push(LineIndex::new(&f.text));
        }
        let index = Index::build(&modules);
        let outcomes = compiled
            .program
            .as_ref()
            .map(|p| p.run_examples(&mut Coverage::default()))
            .unwrap_or_default();
        let citations = documents.map_or_else(Vec::new, |docs| {
            onshi::citations::verify(&compiled.sources, docs, &onshi::Limits::default())
                .diagnostics()
        });
        Analysis {
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
