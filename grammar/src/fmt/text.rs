//! The text: comments, brackets, the gaps between tokens.

use super::FmtError;
use crate::ast::*;
use std::collections::HashMap;

pub(super) fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '・' | 'ー' | '々' | '〆' | 'ヶ')
}

pub(super) fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

/// Where a comment starting at byte `i` of `text` (at `c`) ends, if one starts there.
pub(super) fn comment_at(text: &str, i: usize, c: char) -> Option<usize> {
    let rest = text.get(i..)?;
    if c == '#' || c == '※' || rest.starts_with("//") {
        Some(i + rest.find('\n').unwrap_or(rest.len()))
    } else {
        None
    }
}

/// The matching `)` of each `(` and the byte ranges of the comments, outside strings.
pub(super) fn scan(src: &str) -> (HashMap<usize, usize>, Vec<(usize, usize)>) {
    let mut parens = HashMap::new();
    let mut open = Vec::new();
    let mut comments = Vec::new();
    let mut in_str: Option<char> = None;
    let mut skip_to = 0;
    for (i, c) in src.char_indices() {
        if i < skip_to {
            continue;
        }
        if let Some(close) = in_str {
            if c == close || c == '\n' {
                in_str = None;
            }
            continue;
        }
        if let Some(end) = comment_at(src, i, c) {
            comments.push((i, end));
            skip_to = end;
            continue;
        }
        match c {
            '"' => in_str = Some('"'),
            '「' => in_str = Some('」'),
            '(' => open.push(i),
            ')' => {
                if let Some(o) = open.pop() {
                    parens.insert(o, i);
                }
            }
            _ => {}
        }
    }
    (parens, comments)
}

/// A comment found between two tokens.
#[derive(Debug)]
pub(super) struct GapComment {
    pub(super) start: usize,
    pub(super) end: usize,
    /// Display column where it started (meaningful for comments on their own line).
    pub(super) col: usize,
    /// Line breaks between the previous token or comment and this comment.
    pub(super) newlines_before: usize,
}

/// What lies between two tokens: blanks and comments only.
#[derive(Debug, Default)]
pub(super) struct Gap {
    pub(super) comments: Vec<GapComment>,
    /// Line breaks between the last comment (or the previous token) and the next token.
    pub(super) newlines_before_next: usize,
    pub(super) newline: bool,
}

pub(super) fn internal(at: usize) -> FmtError {
    FmtError::Internal {
        span: Span::new(FileId(0), at, at),
    }
}

pub(super) fn scan_gap(src: &str, from: usize, to: usize) -> Result<Gap, FmtError> {
    let text = src.get(from..to).ok_or_else(|| internal(from))?;
    let mut gap = Gap::default();
    let (mut newlines, mut col) = (0usize, 0usize);
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            continue;
        }
        match c {
            '\n' => {
                newlines += 1;
                col = 0;
                gap.newline = true;
            }
            ' ' | '\r' => col += 1,
            '\t' | '\u{3000}' => col += 2,
            '\u{feff}' if from + i == 0 => {}
            _ => {
                let end = comment_at(text, i, c).ok_or_else(|| internal(from + i))?;
                let body = text.get(i..end).unwrap_or("").trim_end();
                gap.comments.push(GapComment {
                    start: from + i,
                    end: from + i + body.len(),
                    col,
                    newlines_before: newlines,
                });
                newlines = 0;
                skip_to = end;
            }
        }
    }
    gap.newlines_before_next = newlines;
    Ok(gap)
}

/// The first byte at or after `from` that is neither blank nor in a comment.
pub(super) fn next_token(src: &str, from: usize) -> usize {
    let Some(text) = src.get(from..) else {
        return src.len();
    };
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to || is_blank(c) || (c == '\u{feff}' && from + i == 0) {
            continue;
        }
        match comment_at(text, i, c) {
            Some(end) => skip_to = end,
            None => return from + i,
        }
    }
    src.len()
}

/// `rest` starts with `word`, as a whole word when `word` ends in a name character (as the
/// grammar's keywords require: `と` is a keyword in `a と b`, not in `とき`).
pub(super) fn starts_with_token(rest: &str, word: &str) -> bool {
    let Some(after) = rest.strip_prefix(word) else {
        return false;
    };
    !(word.ends_with(is_ident_char) && after.starts_with(is_ident_char))
}

/// A `|---|` cell at `i`: its end and whether it has a `:` on the left and on the right.
pub(super) fn sep_cell_at(src: &str, i: usize) -> Option<(usize, bool, bool)> {
    let rest = src.get(i..)?;
    let left = rest.starts_with(':');
    let body = rest.get(usize::from(left)..)?;
    let dashes = body.len() - body.trim_start_matches('-').len();
    if dashes < 3 {
        return None;
    }
    let right = body.get(dashes..).is_some_and(|r| r.starts_with(':'));
    Some((
        i + usize::from(left) + dashes + usize::from(right),
        left,
        right,
    ))
}
