//! Output lines: tokens and the comments between them, placed on lines.

use super::text::{scan_gap, Gap, GapComment};
use super::{FmtError, INDENT};
use crate::ast::*;

/// How a token is separated from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Sep {
    /// Directly after it.
    None,
    /// One space.
    Space,
    /// A line break to this indentation where the text had one, otherwise one space.
    Soft(usize),
    /// Always a line break to this indentation.
    Line(usize),
    /// A new declaration: a line break to column 0, after a blank line where the text had one.
    Item,
}

/// Where a token landed: the indentation of its line, and whether it starts the line.
#[derive(Clone, Copy, Debug)]
pub(super) struct Pos {
    pub(super) indent: usize,
    pub(super) line_start: bool,
}

impl Pos {
    /// The indentation of continuation lines of a construct starting here.
    pub(super) fn cont(self) -> usize {
        if self.line_start {
            self.indent
        } else {
            self.indent + INDENT
        }
    }
}

pub(super) struct Line {
    pub(super) indent: usize,
    pub(super) text: String,
}

pub(super) struct Out {
    pub(super) lines: Vec<Line>,
    /// Text collected for a table cell instead of being laid out (innermost last).
    pub(super) capture: Vec<String>,
    /// The end of the last token laid out: the gap before the next starts here.
    pub(super) last_end: usize,
    /// The indentation of the last line of code (not comment).
    pub(super) prev_code_indent: usize,
}

impl Out {
    pub(super) fn emit(
        &mut self,
        src: &str,
        text: &str,
        start: usize,
        end: usize,
        sep: Sep,
    ) -> Result<Pos, FmtError> {
        let gap = scan_gap(src, self.last_end, start)?;
        self.last_end = end;
        if let Some(buf) = self.capture.last_mut() {
            if let Some(c) = gap.comments.first() {
                return Err(comment_error(c));
            }
            if !buf.is_empty() && sep != Sep::None {
                buf.push(' ');
            }
            buf.push_str(text);
            return Ok(Pos {
                indent: 0,
                line_start: false,
            });
        }
        let brk = match sep {
            Sep::None | Sep::Space => None,
            Sep::Soft(i) => gap.newline.then_some(i),
            Sep::Line(i) => Some(i),
            Sep::Item => Some(0),
        };
        match (brk, self.lines.last_mut()) {
            (None, Some(line)) => {
                if let Some(c) = gap.comments.first() {
                    return Err(comment_error(c));
                }
                if sep != Sep::None {
                    line.text.push(' ');
                }
                line.text.push_str(text);
                Ok(Pos {
                    indent: line.indent,
                    line_start: false,
                })
            }
            (brk, _) => {
                let indent = brk.unwrap_or(0);
                self.place_comments(src, &gap, indent, sep == Sep::Item, true);
                self.lines.push(Line {
                    indent,
                    text: text.to_string(),
                });
                self.prev_code_indent = indent;
                Ok(Pos {
                    indent,
                    line_start: true,
                })
            }
        }
    }

    /// Lay out the comments of a gap that ends in a line break to `next_indent`.
    pub(super) fn place_comments(
        &mut self,
        src: &str,
        gap: &Gap,
        next_indent: usize,
        blank_lines: bool,
        blank_before_next: bool,
    ) {
        for (i, c) in gap.comments.iter().enumerate() {
            let text = src.get(c.start..c.end).unwrap_or("");
            match self.lines.last_mut() {
                Some(line) if i == 0 && c.newlines_before == 0 => {
                    line.text.push(' ');
                    line.text.push_str(text);
                }
                _ => {
                    if blank_lines && c.newlines_before >= 2 {
                        self.blank();
                    }
                    let (prev, next) = (self.prev_code_indent, next_indent);
                    let indent = if c.col.abs_diff(prev) < c.col.abs_diff(next) {
                        prev
                    } else {
                        next
                    };
                    self.lines.push(Line {
                        indent,
                        text: text.to_string(),
                    });
                }
            }
        }
        if blank_lines && blank_before_next && gap.newlines_before_next >= 2 {
            self.blank();
        }
    }

    pub(super) fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.text.is_empty()) {
            self.lines.push(Line {
                indent: 0,
                text: String::new(),
            });
        }
    }

    pub(super) fn render(&self) -> String {
        let mut s = String::new();
        for l in &self.lines {
            let text = l.text.trim_end();
            if !text.is_empty() {
                s.push_str(&" ".repeat(l.indent));
                s.push_str(text);
            }
            s.push('\n');
        }
        s
    }
}

pub(super) fn comment_error(c: &GapComment) -> FmtError {
    FmtError::Comment {
        span: Span::new(FileId(0), c.start, c.end),
    }
}
