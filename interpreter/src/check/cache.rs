//! Syntax trees kept between compilations of the same files (the language server compiles on every
//! keystroke): a file whose text and parse limits are unchanged is not parsed again.

use onshi_grammar::ast::{FileId, Module};
use onshi_grammar::{Diagnostic, ParseLimits};
use std::collections::HashMap;

/// Parsed files by (path, id in the compilation), with the text and limits they were parsed from.
#[derive(Debug, Default)]
pub struct ParseCache {
    trees: HashMap<(String, u32), Entry>,
}

#[derive(Debug)]
struct Entry {
    text: String,
    limits: [usize; 3],
    module: Module,
    errors: Vec<Diagnostic>,
}

fn key(limits: ParseLimits) -> [usize; 3] {
    [
        limits.max_source_bytes,
        limits.max_nesting,
        limits.max_depth,
    ]
}

impl ParseCache {
    /// The syntax tree of `text` and its syntax errors: from the cache when `path` was parsed with
    /// this id, text and limits before, else parsed now and kept.
    pub(crate) fn parse(
        &mut self,
        path: &str,
        id: FileId,
        text: &str,
        limits: ParseLimits,
    ) -> (Module, Vec<Diagnostic>) {
        let k = (path.to_string(), id.0);
        if let Some(e) = self.trees.get(&k) {
            if e.text == text && e.limits == key(limits) {
                return (e.module.clone(), e.errors.clone());
            }
        }
        let (module, errors) = parse(id, text, limits);
        let entry = Entry {
            text: text.to_string(),
            limits: key(limits),
            module: module.clone(),
            errors: errors.clone(),
        };
        self.trees.insert(k, entry);
        (module, errors)
    }

    /// Forget the files `keep` says no (closed documents, removed imports).
    pub fn retain(&mut self, keep: impl Fn(&str) -> bool) {
        self.trees.retain(|(path, _), _| keep(path));
    }

    /// The number of files kept.
    pub fn len(&self) -> usize {
        self.trees.len()
    }

    pub fn is_empty(&self) -> bool {
        self.trees.is_empty()
    }
}

/// Parse one file: its tree and its syntax errors as diagnostics.
pub(crate) fn parse(id: FileId, text: &str, limits: ParseLimits) -> (Module, Vec<Diagnostic>) {
    let parsed = onshi_grammar::parse_with(id, text, limits);
    let errors = parsed.errors.iter().map(|e| e.to_diagnostic()).collect();
    (parsed.module, errors)
}

#[cfg(test)]
mod tests {
    use super::ParseCache;
    use crate::{compile_cached, compile_with, Limits};
    use std::collections::BTreeMap;

    fn files(entry: &str) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("a.onshi".to_string(), entry.to_string()),
            (
                "b.onshi".to_string(),
                "政策 \"b\"\n定義 二: 整数 = 2\n".to_string(),
            ),
        ])
    }

    /// The cached compilation equals the plain one, before and after a file changes, syntax
    /// errors included (they are kept with the tree).
    #[test]
    fn same_result_as_without_cache() {
        let limits = Limits::default();
        let mut cache = ParseCache::default();
        let first = files("政策 \"a\"\n取込 \"b.onshi\"\n出力 x: 整数 = 二 + 1\n");
        let cached = compile_cached(&first, "a.onshi", &limits, &mut cache);
        let plain = compile_with(&first, "a.onshi", &limits);
        assert_eq!(cached.diagnostics, plain.diagnostics);
        assert!(cached.program.is_some());
        assert_eq!(cached.modules.len(), 2);
        assert_eq!(cache.len(), 2);

        // A syntax error in the entry: reported from a fresh parse, b.onshi's tree reused.
        let broken = files("政策 \"a\"\n取込 \"b.onshi\"\n出力 x: 整数 = 二 +\n");
        let cached = compile_cached(&broken, "a.onshi", &limits, &mut cache);
        let plain = compile_with(&broken, "a.onshi", &limits);
        assert!(cached.program.is_none());
        assert!(!cached.diagnostics.is_empty());
        assert_eq!(cached.diagnostics, plain.diagnostics);
        assert_eq!(cached.modules, plain.modules);

        // The same text again: the cached errors are reported again.
        let again = compile_cached(&broken, "a.onshi", &limits, &mut cache);
        assert_eq!(again.diagnostics, plain.diagnostics);

        cache.retain(|path| path != "a.onshi");
        assert_eq!(cache.len(), 1);
    }
}
