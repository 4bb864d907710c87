//! Source files as the core sees them: given by the caller (the CLI reads the disk, the WASM shell
//! gets a map from JavaScript). The core never touches a file system.

use onshi_grammar::ast::{FileId, Span};
use std::collections::BTreeMap;

/// Where sources come from. Paths are `/`-separated; imports are resolved lexically.
pub trait Files {
    fn read(&self, path: &str) -> Option<String>;
}

impl Files for BTreeMap<String, String> {
    fn read(&self, path: &str) -> Option<String> {
        self.get(path).cloned()
    }
}

impl Files for std::collections::HashMap<String, String> {
    fn read(&self, path: &str) -> Option<String> {
        self.get(path).cloned()
    }
}

#[derive(Clone, Debug)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct SourceFile {
    pub path: String,
    pub text: String,
    line_starts: Vec<usize>,
}

/// Every file a compilation read, by [`FileId`].
#[derive(Clone, Debug, Default)]
#[cfg_attr(feature = "embed", derive(serde::Serialize, serde::Deserialize))]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    pub fn add(&mut self, path: &str, text: String) -> FileId {
        let mut line_starts = vec![0];
        line_starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        self.files.push(SourceFile {
            path: path.to_string(),
            text,
            line_starts,
        });
        id
    }
    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }
    pub fn find(&self, path: &str) -> Option<FileId> {
        self.files
            .iter()
            .position(|f| f.path == path)
            .and_then(|i| u32::try_from(i).ok())
            .map(FileId)
    }
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }
    /// 1-based line and column (in characters) of the start of `span`.
    pub fn line_col(&self, span: Span) -> (usize, usize) {
        let Some(f) = self.get(span.file) else {
            return (0, 0);
        };
        let pos = (span.start as usize).min(f.text.len());
        let line = f.line_starts.partition_point(|s| *s <= pos);
        let start = f
            .line_starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0);
        let col = f.text.get(start..pos).map_or(0, |s| s.chars().count()) + 1;
        (line, col)
    }
    /// `path:line:col` of a span.
    pub fn locate(&self, span: Span) -> String {
        let (l, c) = self.line_col(span);
        let path = self.get(span.file).map_or("?", |f| f.path.as_str());
        format!("{path}:{l}:{c}")
    }
    /// The source text of a span.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.range()))
            .unwrap_or("")
    }
}

/// Resolve `rel` against the directory of `from`, lexically (`..` and `.` are folded).
pub fn join_path(from: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        let mut p: Vec<&str> = from.split('/').collect();
        p.pop();
        p
    };
    let absolute = rel.starts_with('/') || (from.starts_with('/') && !parts.is_empty());
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if matches!(parts.last(), Some(&"..") | None) || parts.last() == Some(&"") {
                    if !absolute {
                        parts.push("..");
                    }
                } else {
                    parts.pop();
                }
            }
            s => parts.push(s),
        }
    }
    let joined = parts
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("/");
    if absolute {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_relative_paths() {
        assert_eq!(
            join_path("policies/r7/subsidy.onshi", "../common/facility.onshi"),
            "policies/common/facility.onshi"
        );
        assert_eq!(join_path("subsidy.onshi", "common.onshi"), "common.onshi");
        assert_eq!(join_path("a.onshi", "../x.onshi"), "../x.onshi");
        assert_eq!(join_path("/p/r7/s.onshi", "./c.onshi"), "/p/r7/c.onshi");
    }

    #[test]
    fn line_and_column_count_characters() {
        let mut m = SourceMap::default();
        let id = m.add("a", "定義 x = 1\n定義 y = 2\n".to_string());
        let pos = "定義 x = 1\n定義 ".len();
        assert_eq!(m.line_col(Span::new(id, pos, pos + 1)), (2, 4));
    }
}
