//! The walk: the printer reads the text token by token, guided by the tree, and lays each token
//! out. Here: the spellings of keywords and operators, and the token-level steps (a keyword, a
//! name, a string); declarations, tables and expressions are laid out in their own modules.

use super::out::{Out, Pos, Sep};
use super::text::{internal, is_ident_char, next_token, scan_gap, starts_with_token};
use super::FmtError;
use crate::ast::*;
use std::collections::HashMap;
use unicode_width::UnicodeWidthStr;

pub(super) const KW_POLICY: &[&str] = &["政策", "policy"];
pub(super) const KW_YEAR: &[&str] = &["年度", "fiscal_year"];
pub(super) const KW_SOURCE: &[&str] = &["出典", "source"];
pub(super) const KW_SCOPE: &[&str] = &["範囲外", "out_of_scope"];
pub(super) const KW_EXTERNAL: &[&str] = &["外部", "external"];
pub(super) const KW_IMPORT: &[&str] = &["取込", "import"];
pub(super) const KW_ENUM: &[&str] = &["列挙", "enum"];
pub(super) const KW_GROUP: &[&str] = &["群", "group"];
pub(super) const KW_INPUT: &[&str] = &["入力", "input"];
pub(super) const KW_DEFAULT: &[&str] = &["既定", "default"];
pub(super) const KW_DEF: &[&str] = &["定義", "define"];
pub(super) const KW_OUTPUT: &[&str] = &["出力", "output"];
pub(super) const KW_TABLE: &[&str] = &["表", "table"];
pub(super) const KW_SET: &[&str] = &["集合", "set"];
pub(super) const KW_OPTIONAL: &[&str] = &["任意", "optional"];
pub(super) const KW_IF: &[&str] = &["もし", "if"];
pub(super) const KW_THEN: &[&str] = &["ならば", "then"];
pub(super) const KW_ELIF: &[&str] = &["そうでなければもし", "else_if"];
pub(super) const KW_ELSE: &[&str] = &["そうでなければ", "else"];
pub(super) const KW_MATCH: &[&str] = &["場合", "match"];
pub(super) const KW_PRINCIPLE: &[&str] = &["原則", "principle"];
pub(super) const KW_EXCEPTION: &[&str] = &["例外", "exception"];
pub(super) const KW_EXAMPLE: &[&str] = &["例", "example"];
pub(super) const KW_GIVEN: &[&str] = &["事実", "given"];
pub(super) const KW_EXPECT: &[&str] = &["期待", "expect"];
pub(super) const KW_READING: &[&str] = &["解釈", "reading"];
pub(super) const KW_PREMISE: &[&str] = &["前提", "assume"];
pub(super) const KW_OPTION: &[&str] = &["案", "option"];
pub(super) const KW_ADOPT: &[&str] = &["採用", "adopt"];
pub(super) const ARROW: &[&str] = &["→", "=>", "->"];
pub(super) const ANY_CELL: &[&str] = &["-", "*", "その他", "otherwise"];
pub(super) const WILDCARD: &[&str] = &["その他", "otherwise", "_"];
pub(super) const BOUND_SUFFIX: &[&str] = &["以上", "以下", "未満", "超"];
pub(super) const RANGE_SEP: &[&str] = &["〜", "~", ".."];
pub(super) const PRESENCE: &[&str] = &["が", "is"];
pub(super) const PRESENCE_WORD: &[&str] = &["ある", "ない", "present", "absent"];
/// Every spelling of a comparison, in the grammar's order.
pub(super) const CMP_OPS: &[&str] = &[
    "==", "!=", "<=", ">=", "=", "≠", "≤", "≥", "<", ">", "∈", "∉", "⊆", "⊇", "in",
];

pub(super) fn cmp_spellings(op: CmpOp) -> &'static [&'static str] {
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

pub(super) fn bin_spellings(op: BinOp) -> &'static [&'static str] {
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
pub(super) fn ends_in_literal(e: &Expr) -> bool {
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
pub(super) struct RowOut {
    pub(super) gap_start: usize,
    pub(super) start: usize,
    pub(super) end: usize,
    pub(super) kind: RowKind,
}

pub(super) enum RowKind {
    Data(Vec<String>),
    /// `|---|`: the `:` marks of each cell (left, right).
    Separator(Vec<(bool, bool)>),
}

pub(super) struct Printer<'a> {
    pub(super) src: &'a str,
    /// The end of the last token read.
    pub(super) pos: usize,
    pub(super) parens: HashMap<usize, usize>,
    pub(super) out: Out,
    /// The byte range of the last token read.
    pub(super) last_token: (usize, usize),
}

pub(super) type R<T = Pos> = Result<T, FmtError>;

impl Printer<'_> {
    pub(super) fn peek(&self) -> usize {
        next_token(self.src, self.pos)
    }

    pub(super) fn rest(&self) -> &str {
        self.src.get(self.peek()..).unwrap_or("")
    }

    pub(super) fn at(&self, word: &str) -> bool {
        starts_with_token(self.rest(), word)
    }

    pub(super) fn emit(&mut self, start: usize, end: usize, sep: Sep) -> R {
        let text = self.src.get(start..end).ok_or_else(|| internal(start))?;
        self.pos = end;
        self.last_token = (start, end);
        self.out.emit(self.src, text, start, end, sep)
    }

    /// The next token, which must be one of `spellings`.
    pub(super) fn take(&mut self, spellings: &[&str], sep: Sep) -> R {
        let start = self.peek();
        let rest = self.src.get(start..).unwrap_or("");
        let word = spellings
            .iter()
            .find(|w| starts_with_token(rest, w))
            .ok_or_else(|| internal(start))?;
        self.emit(start, start + word.len(), sep)
    }

    /// The display width of the last token read.
    pub(super) fn last_width(&self) -> usize {
        self.src
            .get(self.last_token.0..self.last_token.1)
            .map_or(0, UnicodeWidthStr::width)
    }

    /// A name or literal, as written.
    pub(super) fn leaf(&mut self, span: Span, sep: Sep) -> R {
        let start = self.peek();
        if start != span.start as usize || span.end < span.start {
            return Err(internal(start));
        }
        self.emit(start, span.end as usize, sep)
    }

    /// A string `"…"` or `「…」`, as written.
    pub(super) fn string(&mut self, sep: Sep) -> R {
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
    pub(super) fn word(&mut self, sep: Sep) -> R {
        let start = self.peek();
        let rest = self.src.get(start..).unwrap_or("");
        let len = rest.len() - rest.trim_start_matches(is_ident_char).len();
        if len == 0 {
            return Err(internal(start));
        }
        self.emit(start, start + len, sep)
    }

    pub(super) fn finish(&mut self) -> R<()> {
        if !self.out.capture.is_empty() {
            return Err(internal(self.pos));
        }
        let gap = scan_gap(self.src, self.out.last_end, self.src.len())?;
        self.out.place_comments(self.src, &gap, 0, true, false);
        Ok(())
    }
}
