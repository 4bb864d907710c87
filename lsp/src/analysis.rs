//! One compilation seen from the editor: the policy compiled as an entry (every diagnostic, the
//! checked program when there is no error), the syntax tree of each file it read, and the name
//! index over them.

use crate::index::Index;
use crate::text::LineIndex;
use crate::workspace::uri_of;
use lsp_types::{Location, Range};
use onshi::{compile, Compiled, Files, Program};
use onshi_grammar::ast::{FileId, Module, Span};

pub struct Analysis {
    pub entry: String,
    pub compiled: Compiled,
    pub modules: Vec<(FileId, Module)>,
    pub lines: Vec<LineIndex>,
    pub index: Index,
}

impl Analysis {
    pub fn new(files: &dyn Files, entry: &str) -> Analysis {
        let compiled = compile(files, entry);
        let mut modules = Vec::new();
        let mut lines = Vec::new();
        for (id, f) in compiled.sources.files() {
            modules.push((id, onshi_grammar::parse(id, &f.text).module));
            lines.push(LineIndex::new(&f.text));
        }
        let index = Index::build(&modules);
        Analysis {
            entry: entry.to_string(),
            compiled,
            modules,
            lines,
            index,
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
