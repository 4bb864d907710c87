//! Text → AST. Never panics: malformed text becomes [`SyntaxError`]s with spans.
//!
//! A file is split into declaration chunks (each starting at a line whose first word is a
//! declaration keyword) and each chunk is parsed on its own, so one broken declaration does not
//! hide the errors in the next ones. Nesting depth is measured before pest runs, so deeply nested
//! input cannot overflow the stack.

mod cells;
mod chunk;
mod decl;
mod expr;

use crate::ast::*;
use crate::depth::{too_deep, with_stack};
use crate::syntax::SyntaxError;
use chunk::{chunks, pest_error};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "onshi.pest"]
struct OnshiParser;

/// Limits that keep parsing bounded; the defaults are safe for native and WASM stacks (the
/// interpreter's `onshi::Limits` holds them with the other limits, and says how they were chosen).
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    pub max_source_bytes: usize,
    /// Brackets and prefix constructs open at once, measured on the text before pest runs.
    pub max_nesting: usize,
    /// Depth of the built expression tree (long operator chains count too).
    pub max_depth: usize,
}

impl ParseLimits {
    pub const DEFAULT: ParseLimits = ParseLimits {
        max_source_bytes: 1 << 20,
        max_nesting: 64,
        max_depth: 128,
    };
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits::DEFAULT
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub module: Module,
    pub errors: Vec<SyntaxError>,
}

/// Rule calls allowed for one declaration chunk (a 600-row table needs about half a million).
const CALL_LIMIT: usize = 20_000_000;

/// Parse one file.
pub fn parse(file: FileId, src: &str) -> Parsed {
    parse_with(file, src, ParseLimits::default())
}

pub fn parse_with(file: FileId, src: &str, limits: ParseLimits) -> Parsed {
    pest::set_error_detail(true);
    // A bound on the work of one chunk's parse, whatever the input (a safety net: the grammar is
    // written so that nothing backtracks exponentially).
    pest::set_call_limit(std::num::NonZeroUsize::new(CALL_LIMIT));
    let mut out = Parsed::default();
    if src.len() > limits.max_source_bytes {
        out.errors.push(SyntaxError::TooLarge {
            span: Span::new(file, 0, 0),
            size: src.len(),
            limit: limits.max_source_bytes,
        });
        return out;
    }
    for (start, end) in chunks(src) {
        let Some(text) = src.get(start..end) else {
            continue;
        };
        if let Some(at) = too_deep(text, limits.max_nesting) {
            // The span covers the whole character there (`も` of `もし` is three bytes).
            let width = text
                .get(at..)
                .and_then(|t| t.chars().next())
                .map_or(1, char::len_utf8);
            out.errors.push(SyntaxError::TooDeep {
                span: Span::new(file, start + at, start + at + width),
                limit: limits.max_nesting,
            });
            continue;
        }
        let mut b = Builder {
            file,
            base: start,
            errors: Vec::new(),
            max_depth: limits.max_depth,
            too_deep: false,
        };
        match with_stack(|| OnshiParser::parse(Rule::chunk, text)) {
            Ok(mut pairs) => {
                if let Some(chunk) = pairs.next() {
                    for p in chunk.into_inner() {
                        if let Some(item) = b.item(p) {
                            out.module.items.push(item);
                        }
                    }
                }
            }
            Err(e) => b
                .errors
                .push(pest_error(file, start, text, &e, limits.max_nesting)),
        }
        out.errors.append(&mut b.errors);
    }
    out
}

/// Builds the AST of one chunk from pest's pairs (declarations, expressions and cells each have
/// their own module).
struct Builder {
    file: FileId,
    base: usize,
    errors: Vec<SyntaxError>,
    max_depth: usize,
    too_deep: bool,
}

fn ident_text(p: &Pair<Rule>) -> String {
    p.as_str().to_string()
}

impl Builder {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        Span::new(self.file, self.base + s.start(), self.base + s.end())
    }

    fn ident(&self, p: Pair<Rule>) -> Ident {
        Ident {
            name: ident_text(&p),
            span: self.span(&p),
        }
    }

    fn string(&self, p: Pair<Rule>) -> String {
        p.into_inner()
            .next()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default()
    }
}
