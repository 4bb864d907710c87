//! `onshi fmt`: the canonical layout of a policy file. No IO: text in, text out.
//!
//! The formatter changes layout only. Every token is printed as written and in the same order:
//! literals (`令和7年12月1日`, `41.1万円`, `411,000円`, `1/2`, `75%`), names, the spelling of each
//! keyword and operator (`<=` stays `<=`, `もし` stays `もし`, `if` stays `if`), optional commas and
//! semicolons, and redundant parentheses. What it sets is the whitespace between tokens:
//!
//! - each declaration starts a line at column 0; blank lines between declarations are kept (at
//!   most one), blank lines inside a declaration are removed;
//! - citations (`出典`), groups (`群`), rules (`原則`/`例外`), table rows and the `事実`/`期待` lines
//!   of an example start their own line, indented two spaces (a rule's citations four);
//! - one space around operators and keywords, none inside brackets, before `,` `:` `;` `.`, after a
//!   prefix `-`, or between a name and its `(`;
//! - tables are aligned column by column by display width (a Japanese character is two columns),
//!   `| cell |` with one space of padding, and each `|---|` separator row is redrawn to the column
//!   widths (keeping `:` alignment marks) where it was;
//! - line breaks inside an expression are the author's: where the text breaks a line at a place
//!   where a break is allowed (around a binary operator or comparison, after `=` before a body,
//!   before `そうでなければ`, after `ならば`, after a `,` in arguments, sets and example bindings,
//!   around `|` in an enumeration, between the arms of a `場合`), the break is kept and the next
//!   line is indented by the structure (continuations of an expression that starts a line align
//!   with it; of one that starts mid-line, two more than the line; example bindings align after
//!   `事実 `/`期待 `); line breaks anywhere else are joined.
//!
//! Comments are skipped by pest, so they are recovered from the text: they live in the gaps between
//! tokens. A comment after a token on the same line stays at the end of that token's line; a comment
//! on its own line stays on its own line before the token that followed it, indented like the line
//! before or the line after it (whichever is closer to where it was). A comment in a gap that the
//! layout puts on one line (inside a table row, between a name and its `:`) cannot be placed without
//! moving it: the file is refused ([`FmtError::Comment`]) rather than a comment lost or moved.
//!
//! Before the result is returned it is parsed again: its syntax tree must equal the input's (spans
//! aside) and its comments must be the input's, in order; otherwise formatting fails with
//! [`FmtError::Internal`] and the caller keeps the file as it was.

mod check;
mod decl;
mod expr;
mod out;
mod printer;
mod table;
mod text;

use crate::ast::*;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Text};
use crate::parser::parse;
use crate::syntax::SyntaxError;
use check::check;
use out::Out;
use printer::Printer;
use text::scan;

/// One level of indentation.
const INDENT: usize = 2;

/// Why a file was not formatted.
#[derive(Clone, Debug, PartialEq)]
pub enum FmtError {
    /// The text does not parse; nothing is formatted.
    Syntax(Vec<SyntaxError>),
    /// A comment sits in a part of a line that the layout joins or aligns (inside a table row,
    /// between a name and its `:`, before a `,`): formatting would move it, so the file is refused.
    Comment { span: Span },
    /// The layout could not be produced, or would not have kept the policy or its comments exactly
    /// (a bug in the formatter). The file is left as it is.
    Internal { span: Span },
}

impl FmtError {
    /// The errors as diagnostics (syntax errors as the parser words them).
    pub fn to_diagnostics(&self) -> Vec<Diagnostic> {
        // Reuses the syntax code: fmt has no diagnostic code of its own.
        let code = Code::SYNTAX_UNEXPECTED;
        match self {
            FmtError::Syntax(errors) => errors.iter().map(SyntaxError::to_diagnostic).collect(),
            FmtError::Comment { span } => vec![Diagnostic::new(
                code,
                Text::new(
                    "整形できません: このコメントは、整形で一行にまとめる所にあります",
                    "cannot format: this comment is inside a part of a line that the layout joins or aligns",
                ),
            )
            .with_label(*span, Text::new("このコメント", "this comment"))
            .with_help(Text::new(
                "コメントを行の末尾か、宣言・規則・表の行の前の行に移してください（ファイルは変更していません）",
                "move the comment to the end of a line, or onto its own line before a declaration, a rule or a table row (the file is unchanged)",
            ))],
            FmtError::Internal { span } => vec![Diagnostic::new(
                code,
                Text::new(
                    "整形できません（onshi fmt の不具合です）。ファイルは変更していません",
                    "cannot format this file (a bug in onshi fmt); the file is unchanged",
                ),
            )
            .with_label(*span, Text::new("ここ", "here"))],
        }
    }

    /// The errors as syntax errors, for [`format`].
    pub fn into_syntax_errors(self, src: &str) -> Vec<SyntaxError> {
        match self {
            FmtError::Syntax(errors) => errors,
            FmtError::Comment { span } | FmtError::Internal { span } => {
                let found: String = src
                    .get(span.range())
                    .unwrap_or("")
                    .chars()
                    .take(12)
                    .collect();
                vec![SyntaxError::Unexpected {
                    span,
                    expected: Vec::new(),
                    found: (!found.is_empty()).then_some(found),
                }]
            }
        }
    }
}

/// The canonical layout of `src` (one policy file), or why it cannot be produced: the syntax errors,
/// or (as an `onshi::syntax::unexpected` error on its span) a comment that cannot stay in place.
pub fn format(src: &str) -> Result<String, Vec<SyntaxError>> {
    format_detailed(src).map_err(|e| e.into_syntax_errors(src))
}

/// [`format`], telling a syntax error from a comment that cannot be placed.
pub fn format_detailed(src: &str) -> Result<String, FmtError> {
    let parsed = parse(FileId(0), src);
    if !parsed.errors.is_empty() {
        return Err(FmtError::Syntax(parsed.errors));
    }
    let (parens, comments) = scan(src);
    let mut p = Printer {
        src,
        pos: 0,
        parens,
        out: Out {
            lines: Vec::new(),
            capture: Vec::new(),
            last_end: 0,
            prev_code_indent: 0,
        },
        last_token: (0, 0),
    };
    for item in &parsed.module.items {
        p.item(item)?;
    }
    p.finish()?;
    let mut text = p.out.render();
    if src.starts_with('\u{feff}') {
        text.insert(0, '\u{feff}');
    }

    // The layout must not change the policy, nor lose or reorder a comment.
    check(src, parsed.module, &comments, &text)?;
    Ok(text)
}
