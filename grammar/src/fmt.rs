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

use crate::ast::*;
use crate::depth::with_stack;
use crate::diagnostic::{Diagnostic, Text};
use crate::parser::parse;
use crate::syntax::SyntaxError;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

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
        let code = SyntaxError::Unexpected {
            span: Span::default(),
            expected: Vec::new(),
            found: None,
        }
        .code();
        match self {
            FmtError::Syntax(errors) => errors.iter().map(SyntaxError::to_diagnostic).collect(),
            FmtError::Comment { span } => vec![Diagnostic::error(
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
            FmtError::Internal { span } => vec![Diagnostic::error(
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
    let again = parse(FileId(0), &text);
    let mut before = parsed.module;
    let mut after = again.module;
    erase_module(&mut before);
    erase_module(&mut after);
    let comment_texts = |s: &str, list: &[(usize, usize)]| -> Vec<String> {
        list.iter()
            .map(|(a, b)| s.get(*a..*b).unwrap_or("").trim_end().to_string())
            .collect()
    };
    let (_, out_comments) = scan(&text);
    if !again.errors.is_empty()
        || before != after
        || comment_texts(src, &comments) != comment_texts(&text, &out_comments)
    {
        return Err(FmtError::Internal {
            span: Span::new(FileId(0), 0, 0),
        });
    }
    Ok(text)
}

// ------------------------------------------------------------------ the text: comments, brackets

fn is_ident_char(c: char) -> bool {
    c.is_alphanumeric() || matches!(c, '_' | '・' | 'ー' | '々' | '〆' | 'ヶ')
}

fn is_blank(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{3000}')
}

/// Where a comment starting at byte `i` of `text` (at `c`) ends, if one starts there.
fn comment_at(text: &str, i: usize, c: char) -> Option<usize> {
    let rest = text.get(i..)?;
    if c == '#' || c == '※' || rest.starts_with("//") {
        Some(i + rest.find('\n').unwrap_or(rest.len()))
    } else {
        None
    }
}

/// The matching `)` of each `(` and the byte ranges of the comments, outside strings.
fn scan(src: &str) -> (HashMap<usize, usize>, Vec<(usize, usize)>) {
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
struct GapComment {
    start: usize,
    end: usize,
    /// Display column where it started (meaningful for comments on their own line).
    col: usize,
    /// Line breaks between the previous token or comment and this comment.
    newlines_before: usize,
}

/// What lies between two tokens: blanks and comments only.
#[derive(Debug, Default)]
struct Gap {
    comments: Vec<GapComment>,
    /// Line breaks between the last comment (or the previous token) and the next token.
    newlines_before_next: usize,
    newline: bool,
}

fn internal(at: usize) -> FmtError {
    FmtError::Internal {
        span: Span::new(FileId(0), at, at),
    }
}

fn scan_gap(src: &str, from: usize, to: usize) -> Result<Gap, FmtError> {
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
fn next_token(src: &str, from: usize) -> usize {
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
fn starts_with_token(rest: &str, word: &str) -> bool {
    let Some(after) = rest.strip_prefix(word) else {
        return false;
    };
    !(word.ends_with(is_ident_char) && after.starts_with(is_ident_char))
}

/// A `|---|` cell at `i`: its end and whether it has a `:` on the left and on the right.
fn sep_cell_at(src: &str, i: usize) -> Option<(usize, bool, bool)> {
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

// ------------------------------------------------------------------ output lines

/// How a token is separated from the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Sep {
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
struct Pos {
    indent: usize,
    line_start: bool,
}

impl Pos {
    /// The indentation of continuation lines of a construct starting here.
    fn cont(self) -> usize {
        if self.line_start {
            self.indent
        } else {
            self.indent + INDENT
        }
    }
}

struct Line {
    indent: usize,
    text: String,
}

struct Out {
    lines: Vec<Line>,
    /// Text collected for a table cell instead of being laid out (innermost last).
    capture: Vec<String>,
    /// The end of the last token laid out: the gap before the next starts here.
    last_end: usize,
    /// The indentation of the last line of code (not comment).
    prev_code_indent: usize,
}

impl Out {
    fn emit(
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
    fn place_comments(
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

    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.text.is_empty()) {
            self.lines.push(Line {
                indent: 0,
                text: String::new(),
            });
        }
    }

    fn render(&self) -> String {
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

fn comment_error(c: &GapComment) -> FmtError {
    FmtError::Comment {
        span: Span::new(FileId(0), c.start, c.end),
    }
}

// ------------------------------------------------------------------ the walk

const KW_POLICY: &[&str] = &["政策", "policy"];
const KW_YEAR: &[&str] = &["年度", "fiscal_year"];
const KW_SOURCE: &[&str] = &["出典", "source"];
const KW_EXTERNAL: &[&str] = &["外部", "external"];
const KW_IMPORT: &[&str] = &["取込", "import"];
const KW_ENUM: &[&str] = &["列挙", "enum"];
const KW_GROUP: &[&str] = &["群", "group"];
const KW_INPUT: &[&str] = &["入力", "input"];
const KW_DEFAULT: &[&str] = &["既定", "default"];
const KW_DEF: &[&str] = &["定義", "define"];
const KW_OUTPUT: &[&str] = &["出力", "output"];
const KW_TABLE: &[&str] = &["表", "table"];
const KW_SET: &[&str] = &["集合", "set"];
const KW_OPTIONAL: &[&str] = &["任意", "optional"];
const KW_IF: &[&str] = &["もし", "if"];
const KW_THEN: &[&str] = &["ならば", "then"];
const KW_ELIF: &[&str] = &["そうでなければもし", "else_if"];
const KW_ELSE: &[&str] = &["そうでなければ", "else"];
const KW_MATCH: &[&str] = &["場合", "match"];
const KW_PRINCIPLE: &[&str] = &["原則", "principle"];
const KW_EXCEPTION: &[&str] = &["例外", "exception"];
const KW_EXAMPLE: &[&str] = &["例", "example"];
const KW_GIVEN: &[&str] = &["事実", "given"];
const KW_EXPECT: &[&str] = &["期待", "expect"];
const ARROW: &[&str] = &["→", "=>", "->"];
const ANY_CELL: &[&str] = &["-", "*", "その他", "otherwise"];
const WILDCARD: &[&str] = &["その他", "otherwise", "_"];
const BOUND_SUFFIX: &[&str] = &["以上", "以下", "未満", "超"];
const RANGE_SEP: &[&str] = &["〜", "~", ".."];
const PRESENCE: &[&str] = &["が", "is"];
const PRESENCE_WORD: &[&str] = &["ある", "ない", "present", "absent"];
/// Every spelling of a comparison, in the grammar's order.
const CMP_OPS: &[&str] = &[
    "==", "!=", "<=", ">=", "=", "≠", "≤", "≥", "<", ">", "∈", "∉", "⊆", "⊇", "in",
];

fn cmp_spellings(op: CmpOp) -> &'static [&'static str] {
    match op {
        CmpOp::Eq => &["==", "="],
        CmpOp::Ne => &["!=", "≠"],
        CmpOp::Lt => &["<"],
        CmpOp::Le => &["<=", "≤"],
        CmpOp::Gt => &[">"],
        CmpOp::Ge => &[">=", "≥"],
        CmpOp::In => &["∈", "in"],
        CmpOp::NotIn => &["∉"],
        CmpOp::Subset => &["⊆"],
        CmpOp::Superset => &["⊇"],
    }
}

fn bin_spellings(op: BinOp) -> &'static [&'static str] {
    match op {
        BinOp::Add => &["+"],
        BinOp::Sub => &["-", "−"],
        BinOp::Mul => &["×", "*"],
        BinOp::Div => &["÷", "/"],
        BinOp::And => &["かつ", "と", "and"],
        BinOp::Or => &["または", "or"],
        BinOp::Union => &["∪"],
        BinOp::Intersect => &["∩"],
    }
}

/// The expression ends in a literal, so a suffix such as `以上` can follow it without a space
/// (`40000以上`); after a name it needs one (`上限 以上`, or it would be part of the name).
fn ends_in_literal(e: &Expr) -> bool {
    match &e.kind {
        ExprKind::Int(_)
        | ExprKind::Money(_)
        | ExprKind::Ratio(_)
        | ExprKind::Decimal(_)
        | ExprKind::Date(_)
        | ExprKind::Duration(_) => true,
        ExprKind::Binary(_, _, r) | ExprKind::Compare(_, _, r) => ends_in_literal(r),
        ExprKind::Neg(x) => ends_in_literal(x),
        _ => false,
    }
}

/// One table row as laid out: where it was, and its cells' text.
struct RowOut {
    gap_start: usize,
    start: usize,
    end: usize,
    kind: RowKind,
}

enum RowKind {
    Data(Vec<String>),
    /// `|---|`: the `:` marks of each cell (left, right).
    Separator(Vec<(bool, bool)>),
}

struct Printer<'a> {
    src: &'a str,
    /// The end of the last token read.
    pos: usize,
    parens: HashMap<usize, usize>,
    out: Out,
    /// The byte range of the last token read.
    last_token: (usize, usize),
}

type R<T = Pos> = Result<T, FmtError>;

impl Printer<'_> {
    fn peek(&self) -> usize {
        next_token(self.src, self.pos)
    }

    fn rest(&self) -> &str {
        self.src.get(self.peek()..).unwrap_or("")
    }

    fn at(&self, word: &str) -> bool {
        starts_with_token(self.rest(), word)
    }

    fn emit(&mut self, start: usize, end: usize, sep: Sep) -> R {
        let text = self.src.get(start..end).ok_or_else(|| internal(start))?;
        self.pos = end;
        self.last_token = (start, end);
        self.out.emit(self.src, text, start, end, sep)
    }

    /// The next token, which must be one of `spellings`.
    fn take(&mut self, spellings: &[&str], sep: Sep) -> R {
        let start = self.peek();
        let rest = self.src.get(start..).unwrap_or("");
        let word = spellings
            .iter()
            .find(|w| starts_with_token(rest, w))
            .ok_or_else(|| internal(start))?;
        self.emit(start, start + word.len(), sep)
    }

    /// The display width of the last token read.
    fn last_width(&self) -> usize {
        self.src
            .get(self.last_token.0..self.last_token.1)
            .map_or(0, UnicodeWidthStr::width)
    }

    /// A name or literal, as written.
    fn leaf(&mut self, span: Span, sep: Sep) -> R {
        let start = self.peek();
        if start != span.start as usize || span.end < span.start {
            return Err(internal(start));
        }
        self.emit(start, span.end as usize, sep)
    }

    /// A string `"…"` or `「…」`, as written.
    fn string(&mut self, sep: Sep) -> R {
        let start = self.peek();
        let rest = self.src.get(start..).unwrap_or("");
        let close = if rest.starts_with('"') {
            '"'
        } else if rest.starts_with('「') {
            '」'
        } else {
            return Err(internal(start));
        };
        let open_len = if close == '"' { 1 } else { '「'.len_utf8() };
        let body = rest.get(open_len..).unwrap_or("");
        let len = body
            .find(close)
            .filter(|n| !body.get(..*n).unwrap_or("").contains('\n'))
            .ok_or_else(|| internal(start))?;
        self.emit(start, start + open_len + len + close.len_utf8(), sep)
    }

    /// A run of name characters (a fiscal year such as `令和7年度`).
    fn word(&mut self, sep: Sep) -> R {
        let start = self.peek();
        let rest = self.src.get(start..).unwrap_or("");
        let len = rest.len() - rest.trim_start_matches(is_ident_char).len();
        if len == 0 {
            return Err(internal(start));
        }
        self.emit(start, start + len, sep)
    }

    fn finish(&mut self) -> R<()> {
        if !self.out.capture.is_empty() {
            return Err(internal(self.pos));
        }
        let gap = scan_gap(self.src, self.out.last_end, self.src.len())?;
        self.out.place_comments(self.src, &gap, 0, true, false);
        Ok(())
    }

    // -------------------------------------------------------------- declarations

    fn item(&mut self, item: &Item) -> R<()> {
        match item {
            Item::Policy { .. } => {
                self.take(KW_POLICY, Sep::Item)?;
                self.string(Sep::Space)?;
            }
            Item::FiscalYear { .. } => {
                self.take(KW_YEAR, Sep::Item)?;
                self.word(Sep::Space)?;
            }
            Item::Source(s) => {
                self.take(KW_SOURCE, Sep::Item)?;
                self.leaf(s.name.span, Sep::Space)?;
                self.take(&["="], Sep::Space)?;
                if s.external {
                    self.take(KW_EXTERNAL, Sep::Space)?;
                }
                self.string(Sep::Space)?;
                if s.title.is_some() {
                    self.string(Sep::Space)?;
                }
            }
            Item::Import(_) => {
                self.take(KW_IMPORT, Sep::Item)?;
                self.string(Sep::Space)?;
            }
            Item::Enum(e) => {
                self.take(KW_ENUM, Sep::Item)?;
                self.leaf(e.name.span, Sep::Space)?;
                self.take(&["="], Sep::Space)?;
                self.alternatives(&e.variants)?;
                self.citations(&e.citations, INDENT)?;
                for g in &e.groups {
                    self.take(KW_GROUP, Sep::Line(INDENT))?;
                    self.leaf(g.name.span, Sep::Space)?;
                    self.take(&["="], Sep::Space)?;
                    self.alternatives(&g.members)?;
                }
            }
            Item::Input(i) => {
                self.take(KW_INPUT, Sep::Item)?;
                self.leaf(i.name.span, Sep::Space)?;
                self.take(&[":"], Sep::None)?;
                self.ty(&i.ty, Sep::Space)?;
                if let Some(d) = &i.default {
                    self.take(KW_DEFAULT, Sep::Space)?;
                    self.expr(d, Sep::Space)?;
                }
                self.citations(&i.citations, INDENT)?;
            }
            Item::Def(d) => {
                self.take(if d.output { KW_OUTPUT } else { KW_DEF }, Sep::Item)?;
                self.leaf(d.name.span, Sep::Space)?;
                if let Some(t) = &d.ty {
                    self.take(&[":"], Sep::None)?;
                    self.ty(t, Sep::Space)?;
                }
                if let Some(b) = &d.body {
                    self.take(&["="], Sep::Space)?;
                    self.expr(b, Sep::Soft(INDENT))?;
                }
                for r in &d.rules {
                    self.rule(r, INDENT)?;
                }
                self.citations(&d.citations, INDENT)?;
            }
            Item::Table(t) => self.table(t)?,
            Item::Example(x) => {
                self.take(KW_EXAMPLE, Sep::Item)?;
                self.leaf(x.name_span, Sep::Space)?;
                self.bindings(KW_GIVEN, &x.given)?;
                self.bindings(KW_EXPECT, &x.expect)?;
            }
        }
        Ok(())
    }

    /// `a | b | c` (variants of an enumeration, members of a group).
    fn alternatives(&mut self, names: &[Ident]) -> R<()> {
        let mut cont = INDENT;
        for (i, n) in names.iter().enumerate() {
            if i == 0 {
                cont = self.leaf(n.span, Sep::Space)?.cont();
            } else {
                self.take(&["|"], Sep::Soft(cont))?;
                self.leaf(n.span, Sep::Soft(cont))?;
            }
        }
        Ok(())
    }

    fn citations(&mut self, cs: &[Citation], indent: usize) -> R<()> {
        for c in cs {
            self.take(KW_SOURCE, Sep::Line(indent))?;
            self.leaf(c.source.span, Sep::Space)?;
            if c.locator.is_some() {
                self.string(Sep::Space)?;
            }
        }
        Ok(())
    }

    fn rule(&mut self, r: &DefRule, indent: usize) -> R<()> {
        let kw = match r.kind {
            RuleKind::Principle => KW_PRINCIPLE,
            RuleKind::Exception => KW_EXCEPTION,
        };
        self.take(kw, Sep::Line(indent))?;
        if let Some(l) = &r.label {
            self.leaf(l.span, Sep::Space)?;
        }
        for (i, o) in r.over.iter().enumerate() {
            if i == 0 {
                self.take(&[">", "over"], Sep::Space)?;
            } else {
                self.take(&[","], Sep::None)?;
            }
            self.leaf(o.span, Sep::Space)?;
        }
        self.take(&[":"], Sep::None)?;
        match &r.condition {
            Some(c) => {
                self.take(KW_IF, Sep::Space)?;
                self.expr(c, Sep::Space)?;
                self.take(KW_THEN, Sep::Space)?;
                self.expr(&r.value, Sep::Soft(indent + INDENT))?;
            }
            None => {
                self.expr(&r.value, Sep::Space)?;
            }
        }
        self.citations(&r.citations, indent + INDENT)
    }

    /// `事実 a = 1, b = 2` (continuation lines align after the keyword).
    fn bindings(&mut self, kw: &[&str], list: &[(Ident, Expr)]) -> R<()> {
        self.take(kw, Sep::Line(INDENT))?;
        let cont = INDENT + self.last_width() + 1;
        for (i, (name, value)) in list.iter().enumerate() {
            let sep = if i == 0 { Sep::Space } else { Sep::Soft(cont) };
            self.leaf(name.span, sep)?;
            self.take(&["="], Sep::Space)?;
            self.expr(value, Sep::Space)?;
            if self.at(",") {
                self.take(&[","], Sep::None)?;
            }
        }
        Ok(())
    }

    fn ty(&mut self, t: &TypeExpr, sep: Sep) -> R {
        with_stack(|| match t {
            TypeExpr::Named(i) => self.leaf(i.span, sep),
            TypeExpr::Set(inner, _) | TypeExpr::Optional(inner, _) => {
                let kw = if matches!(t, TypeExpr::Set(..)) {
                    KW_SET
                } else {
                    KW_OPTIONAL
                };
                let p = self.take(kw, sep)?;
                self.take(&["<"], Sep::None)?;
                self.ty(inner, Sep::None)?;
                self.take(&[">"], Sep::None)?;
                Ok(p)
            }
        })
    }

    fn columns(&mut self, cols: &[Column]) -> R<()> {
        for (i, c) in cols.iter().enumerate() {
            let sep = if i == 0 {
                Sep::None
            } else {
                self.take(&[","], Sep::None)?;
                Sep::Space
            };
            self.leaf(c.name.span, sep)?;
            self.take(&[":"], Sep::None)?;
            self.ty(&c.ty, Sep::Space)?;
        }
        Ok(())
    }

    // -------------------------------------------------------------- tables

    fn table(&mut self, t: &TableDecl) -> R<()> {
        self.take(KW_TABLE, Sep::Item)?;
        self.leaf(t.name.span, Sep::Space)?;
        self.take(&["("], Sep::None)?;
        self.columns(&t.keys)?;
        self.take(&[")"], Sep::None)?;
        self.take(ARROW, Sep::Space)?;
        match &t.results {
            TableResult::Single(ty) => {
                self.ty(ty, Sep::Space)?;
            }
            TableResult::Columns(cols) => {
                self.take(&["("], Sep::Space)?;
                self.columns(cols)?;
                self.take(&[")"], Sep::None)?;
            }
        }
        self.citations(&t.citations, INDENT)?;

        // Read every row (data rows from the tree, `|---|` rows from the text), then align.
        let data: Vec<&Row> = t.header.iter().chain(t.rows.iter()).collect();
        let mut next = 0;
        let mut rows = Vec::new();
        while self.at("|") {
            let at = self.peek();
            match data.get(next) {
                Some(row) if row.span.start as usize == at => {
                    rows.push(self.data_row(row)?);
                    next += 1;
                }
                _ => rows.push(self.separator_row()?),
            }
        }
        if next != data.len() {
            return Err(internal(self.peek()));
        }
        self.emit_rows(&rows)
    }

    /// Start a row: its first `|` (the gap before it is laid out with the row).
    fn row_start(&mut self) -> (usize, usize) {
        let gap_start = self.out.last_end;
        let start = self.peek();
        self.pos = start + 1;
        self.out.last_end = start + 1;
        (gap_start, start)
    }

    /// Read `text` (a cell or a `|`) into a string, refusing comments inside the row.
    fn captured(&mut self, f: impl FnOnce(&mut Self) -> R<()>) -> R<String> {
        self.out.capture.push(String::new());
        let r = f(self);
        let text = self.out.capture.pop().unwrap_or_default();
        r.map(|()| text)
    }

    fn data_row(&mut self, row: &Row) -> R<RowOut> {
        let (gap_start, start) = self.row_start();
        let mut cells = Vec::new();
        for c in &row.cells {
            cells.push(self.captured(|p| p.cell(c))?);
            self.captured(|p| p.take(&["|"], Sep::None).map(|_| ()))?;
        }
        Ok(RowOut {
            gap_start,
            start,
            end: self.pos,
            kind: RowKind::Data(cells),
        })
    }

    fn separator_row(&mut self) -> R<RowOut> {
        let (gap_start, start) = self.row_start();
        let mut marks = Vec::new();
        while let Some((end, left, right)) = sep_cell_at(self.src, self.peek()) {
            let at = self.peek();
            self.captured(|p| p.emit(at, end, Sep::None).map(|_| ()))?;
            self.captured(|p| p.take(&["|"], Sep::None).map(|_| ()))?;
            marks.push((left, right));
        }
        if marks.is_empty() {
            return Err(internal(start));
        }
        Ok(RowOut {
            gap_start,
            start,
            end: self.pos,
            kind: RowKind::Separator(marks),
        })
    }

    fn cell(&mut self, c: &Cell) -> R<()> {
        match &c.kind {
            CellKind::Any => {
                self.take(ANY_CELL, Sep::None)?;
            }
            CellKind::Expr(e) => {
                self.expr(e, Sep::None)?;
            }
            CellKind::Compare(op, e) => {
                if CMP_OPS.iter().any(|w| self.at(w)) {
                    self.take(cmp_spellings(*op), Sep::None)?;
                    self.expr(e, Sep::Space)?;
                } else {
                    self.expr(e, Sep::None)?;
                    let glued = self
                        .out
                        .capture
                        .last()
                        .and_then(|b| b.chars().last())
                        .is_some_and(|c| !is_ident_char(c))
                        || ends_in_literal(e);
                    self.take(BOUND_SUFFIX, if glued { Sep::None } else { Sep::Space })?;
                }
            }
            CellKind::Range(a, b) => {
                self.expr(a, Sep::None)?;
                self.take(RANGE_SEP, Sep::Space)?;
                self.expr(b, Sep::Space)?;
            }
        }
        Ok(())
    }

    fn emit_rows(&mut self, rows: &[RowOut]) -> R<()> {
        let mut widths: Vec<usize> = Vec::new();
        let mut widen = |i: usize, w: usize| {
            if widths.len() <= i {
                widths.resize(i + 1, 1);
            }
            if let Some(x) = widths.get_mut(i) {
                *x = (*x).max(w);
            }
        };
        for r in rows {
            match &r.kind {
                RowKind::Data(cells) => {
                    for (i, c) in cells.iter().enumerate() {
                        widen(i, c.width());
                    }
                }
                // A separator cell needs three dashes besides its `:` marks.
                RowKind::Separator(marks) => {
                    for (i, (l, r)) in marks.iter().enumerate() {
                        widen(i, 1 + usize::from(*l) + usize::from(*r));
                    }
                }
            }
        }
        for r in rows {
            let mut text = String::from("|");
            match &r.kind {
                RowKind::Data(cells) => {
                    for (i, c) in cells.iter().enumerate() {
                        let w = widths.get(i).copied().unwrap_or(1);
                        text.push(' ');
                        text.push_str(c);
                        text.push_str(&" ".repeat(w.saturating_sub(c.width())));
                        text.push_str(" |");
                    }
                }
                RowKind::Separator(marks) => {
                    for (i, (l, r)) in marks.iter().enumerate() {
                        let w = widths.get(i).copied().unwrap_or(1);
                        let dashes = (w + 2).saturating_sub(usize::from(*l) + usize::from(*r));
                        if *l {
                            text.push(':');
                        }
                        text.push_str(&"-".repeat(dashes));
                        if *r {
                            text.push(':');
                        }
                        text.push('|');
                    }
                }
            }
            self.out.last_end = r.gap_start;
            self.out
                .emit(self.src, &text, r.start, r.end, Sep::Line(INDENT))?;
        }
        Ok(())
    }

    // -------------------------------------------------------------- expressions

    fn expr(&mut self, e: &Expr, sep: Sep) -> R {
        with_stack(|| self.expr_step(e, sep))
    }

    fn expr_step(&mut self, e: &Expr, sep: Sep) -> R {
        // Grouping parentheses around exactly this node: those whose `)` comes after it. (The tree
        // keeps no parentheses; one that closes earlier belongs to a sub-expression.)
        let mut first: Option<Pos> = None;
        let mut opened = 0;
        loop {
            let at = self.peek();
            let wraps = self.src.get(at..).is_some_and(|r| r.starts_with('('))
                && self
                    .parens
                    .get(&at)
                    .is_some_and(|close| *close >= e.span.end as usize);
            if !wraps {
                break;
            }
            let p = self.emit(at, at + 1, if opened == 0 { sep } else { Sep::None })?;
            first.get_or_insert(p);
            opened += 1;
        }
        let p = self.expr_kind(e, if opened == 0 { sep } else { Sep::None })?;
        for _ in 0..opened {
            self.take(&[")"], Sep::None)?;
        }
        Ok(first.unwrap_or(p))
    }

    fn expr_kind(&mut self, e: &Expr, sep: Sep) -> R {
        match &e.kind {
            ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Money(_)
            | ExprKind::Ratio(_)
            | ExprKind::Decimal(_)
            | ExprKind::Date(_)
            | ExprKind::Duration(_)
            | ExprKind::Text(_) => self.leaf(e.span, sep),
            ExprKind::Name(id) => self.leaf(id.span, sep),
            ExprKind::Set(items) => {
                let p = self.take(&["{"], sep)?;
                self.list(items, p.indent + INDENT)?;
                self.take(&["}"], Sep::None)?;
                Ok(p)
            }
            ExprKind::Field(base, field) => {
                let p = self.expr(base, sep)?;
                self.take(&["."], Sep::None)?;
                self.leaf(field.span, Sep::None)?;
                Ok(p)
            }
            ExprKind::Call(name, args) => {
                let p = self.leaf(name.span, sep)?;
                self.take(&["("], Sep::None)?;
                self.list(args, p.indent + INDENT)?;
                self.take(&[")"], Sep::None)?;
                Ok(p)
            }
            ExprKind::Neg(x) => {
                let p = self.take(&["-", "−"], sep)?;
                self.expr(x, Sep::None)?;
                Ok(p)
            }
            ExprKind::Not(x) => {
                if self.at("not") {
                    let p = self.take(&["not"], sep)?;
                    self.expr(x, Sep::Space)?;
                    Ok(p)
                } else {
                    let p = self.expr(x, sep)?;
                    self.take(&["でない"], Sep::Space)?;
                    Ok(p)
                }
            }
            ExprKind::Binary(op, l, r) => {
                let p = self.expr(l, sep)?;
                let cont = p.cont();
                self.take(bin_spellings(*op), Sep::Soft(cont))?;
                self.expr(r, Sep::Soft(cont))?;
                Ok(p)
            }
            ExprKind::Compare(op, l, r) => {
                let p = self.expr(l, sep)?;
                let cont = p.cont();
                self.take(cmp_spellings(*op), Sep::Soft(cont))?;
                self.expr(r, Sep::Soft(cont))?;
                Ok(p)
            }
            ExprKind::Present(x, _) => {
                let p = self.expr(x, sep)?;
                self.take(PRESENCE, Sep::Space)?;
                self.take(PRESENCE_WORD, Sep::Space)?;
                Ok(p)
            }
            ExprKind::If(branches, otherwise) => {
                let p = self.take(KW_IF, sep)?;
                let head = p.cont();
                for (i, (cond, value)) in branches.iter().enumerate() {
                    if i > 0 {
                        self.take(KW_ELIF, Sep::Soft(head))?;
                    }
                    self.expr(cond, Sep::Space)?;
                    self.take(KW_THEN, Sep::Space)?;
                    self.expr(value, Sep::Soft(head + INDENT))?;
                }
                self.take(KW_ELSE, Sep::Soft(head))?;
                self.expr(otherwise, Sep::Soft(head + INDENT))?;
                Ok(p)
            }
            ExprKind::Match(scrutinee, arms) => {
                let p = self.take(KW_MATCH, sep)?;
                self.expr(scrutinee, Sep::Space)?;
                let brace = self.take(&["{"], Sep::Space)?;
                // One arm per line when the text breaks the line after `{`.
                let multi = self
                    .src
                    .get(self.pos..self.peek())
                    .is_some_and(|g| g.contains('\n'));
                let arm_indent = brace.indent + INDENT;
                for arm in arms {
                    let sep = if multi {
                        Sep::Line(arm_indent)
                    } else {
                        Sep::Space
                    };
                    self.arm(arm, sep)?;
                    if self.at(";") {
                        self.take(&[";"], Sep::None)?;
                    }
                }
                let close = if multi {
                    Sep::Line(brace.indent)
                } else {
                    Sep::Space
                };
                self.take(&["}"], close)?;
                Ok(p)
            }
        }
    }

    /// Comma-separated expressions (arguments, set elements); a break after a `,` is kept.
    fn list(&mut self, items: &[Expr], cont: usize) -> R<()> {
        for (i, x) in items.iter().enumerate() {
            if i == 0 {
                self.expr(x, Sep::None)?;
            } else {
                self.take(&[","], Sep::None)?;
                self.expr(x, Sep::Soft(cont))?;
            }
        }
        Ok(())
    }

    fn arm(&mut self, arm: &Arm, sep: Sep) -> R<()> {
        let p = if arm.patterns.is_empty() {
            self.take(WILDCARD, sep)?
        } else {
            let mut first = None;
            for (i, pat) in arm.patterns.iter().enumerate() {
                if i == 0 {
                    first = Some(self.expr(pat, sep)?);
                } else {
                    if self.at(",") {
                        self.take(&[","], Sep::None)?;
                    } else {
                        self.take(&["|"], Sep::Space)?;
                    }
                    self.expr(pat, Sep::Space)?;
                }
            }
            first.ok_or_else(|| internal(self.pos))?
        };
        self.take(ARROW, Sep::Space)?;
        self.expr(&arm.body, Sep::Soft(p.indent + INDENT))?;
        Ok(())
    }
}

// ------------------------------------------------------------------ the tree without spans

fn erase_ident(i: &mut Ident) {
    i.span = Span::default();
}

fn erase_type(t: &mut TypeExpr) {
    with_stack(|| match t {
        TypeExpr::Named(i) => erase_ident(i),
        TypeExpr::Set(inner, s) | TypeExpr::Optional(inner, s) => {
            *s = Span::default();
            erase_type(inner);
        }
    })
}

fn erase_citations(cs: &mut [Citation]) {
    for c in cs {
        c.span = Span::default();
        erase_ident(&mut c.source);
        for p in &mut c.passages {
            p.span = Span::default();
        }
    }
}

fn erase_expr(e: &mut Expr) {
    with_stack(|| {
        e.span = Span::default();
        match &mut e.kind {
            ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Money(_)
            | ExprKind::Ratio(_)
            | ExprKind::Decimal(_)
            | ExprKind::Date(_)
            | ExprKind::Duration(_)
            | ExprKind::Text(_) => {}
            ExprKind::Name(i) => erase_ident(i),
            ExprKind::Set(items) => items.iter_mut().for_each(erase_expr),
            ExprKind::Field(x, i) => {
                erase_expr(x);
                erase_ident(i);
            }
            ExprKind::Call(i, args) => {
                erase_ident(i);
                args.iter_mut().for_each(erase_expr);
            }
            ExprKind::Neg(x) | ExprKind::Not(x) | ExprKind::Present(x, _) => erase_expr(x),
            ExprKind::Binary(_, l, r) | ExprKind::Compare(_, l, r) => {
                erase_expr(l);
                erase_expr(r);
            }
            ExprKind::If(branches, otherwise) => {
                for (c, v) in branches {
                    erase_expr(c);
                    erase_expr(v);
                }
                erase_expr(otherwise);
            }
            ExprKind::Match(x, arms) => {
                erase_expr(x);
                for a in arms {
                    a.span = Span::default();
                    a.patterns.iter_mut().for_each(erase_expr);
                    erase_expr(&mut a.body);
                }
            }
        }
    })
}

fn erase_columns(cols: &mut [Column]) {
    for c in cols {
        erase_ident(&mut c.name);
        erase_type(&mut c.ty);
    }
}

fn erase_row(r: &mut Row) {
    r.span = Span::default();
    for c in &mut r.cells {
        c.span = Span::default();
        match &mut c.kind {
            CellKind::Any => {}
            CellKind::Expr(e) | CellKind::Compare(_, e) => erase_expr(e),
            CellKind::Range(a, b) => {
                erase_expr(a);
                erase_expr(b);
            }
        }
    }
}

fn erase_module(m: &mut Module) {
    for item in &mut m.items {
        match item {
            Item::Policy { span, .. } | Item::FiscalYear { span, .. } => *span = Span::default(),
            Item::Source(s) => {
                s.span = Span::default();
                erase_ident(&mut s.name);
            }
            Item::Import(i) => i.span = Span::default(),
            Item::Enum(e) => {
                e.span = Span::default();
                erase_ident(&mut e.name);
                e.variants.iter_mut().for_each(erase_ident);
                for g in &mut e.groups {
                    g.span = Span::default();
                    erase_ident(&mut g.name);
                    g.members.iter_mut().for_each(erase_ident);
                }
                erase_citations(&mut e.citations);
            }
            Item::Input(i) => {
                i.span = Span::default();
                erase_ident(&mut i.name);
                erase_type(&mut i.ty);
                if let Some(d) = &mut i.default {
                    erase_expr(d);
                }
                erase_citations(&mut i.citations);
            }
            Item::Def(d) => {
                d.span = Span::default();
                erase_ident(&mut d.name);
                if let Some(t) = &mut d.ty {
                    erase_type(t);
                }
                if let Some(b) = &mut d.body {
                    erase_expr(b);
                }
                for r in &mut d.rules {
                    r.span = Span::default();
                    if let Some(l) = &mut r.label {
                        erase_ident(l);
                    }
                    r.over.iter_mut().for_each(erase_ident);
                    if let Some(c) = &mut r.condition {
                        erase_expr(c);
                    }
                    erase_expr(&mut r.value);
                    erase_citations(&mut r.citations);
                }
                erase_citations(&mut d.citations);
            }
            Item::Table(t) => {
                t.span = Span::default();
                erase_ident(&mut t.name);
                erase_columns(&mut t.keys);
                match &mut t.results {
                    TableResult::Single(ty) => erase_type(ty),
                    TableResult::Columns(cols) => erase_columns(cols),
                }
                if let Some(h) = &mut t.header {
                    erase_row(h);
                }
                t.rows.iter_mut().for_each(erase_row);
                erase_citations(&mut t.citations);
            }
            Item::Example(x) => {
                x.span = Span::default();
                x.name_span = Span::default();
                for (i, v) in x.given.iter_mut().chain(x.expect.iter_mut()) {
                    erase_ident(i);
                    erase_expr(v);
                }
            }
        }
    }
}
