//! Chunking and error recovery: the file is cut into declarations, and pest's errors are turned
//! into [`SyntaxError`]s that point at the right place.

use super::Rule;
use crate::ast::*;
use crate::syntax::{Expected, SyntaxError};

const DECL_KEYWORDS: &[&str] = &[
    "例",
    "example",
    "政策",
    "年度",
    "取込",
    "範囲外",
    "列挙",
    "入力",
    "定義",
    "出力",
    "表",
    "解釈",
    "前提",
    "policy",
    "fiscal_year",
    "import",
    "out_of_scope",
    "enum",
    "input",
    "define",
    "output",
    "table",
    "reading",
    "assume",
];

/// pest does not export its token type; its Debug form is `Sensitive { token: ":" }`.
fn token_text(debug: &str) -> Option<String> {
    if !(debug.starts_with("Sensitive") || debug.starts_with("Insensitive")) {
        return None;
    }
    let start = debug.find('"')?;
    let end = debug.rfind('"')?;
    let inner = debug.get(start + 1..end)?;
    Some(inner.replace("\\\"", "\"").replace("\\\\", "\\"))
}

/// The end of the last character that is neither blank nor inside a trailing comment.
pub(super) fn meaningful_end(text: &str) -> usize {
    let mut end = 0;
    let mut in_comment = false;
    let mut in_str: Option<char> = None;
    let mut prev = '\n';
    for (i, c) in text.char_indices() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
            }
        } else if let Some(close) = in_str {
            if c == close || c == '\n' {
                in_str = None;
            }
            end = i + c.len_utf8();
        } else if c == '#' || c == '※' || (c == '/' && prev == '/') {
            in_comment = true;
            if c == '/' {
                end = end.min(i.saturating_sub(1)).max(end.min(i));
            }
        } else if c == '"' || c == '「' {
            in_str = Some(if c == '"' { '"' } else { '」' });
            end = i + c.len_utf8();
        } else if !c.is_whitespace() && c != '\u{feff}' {
            end = i + c.len_utf8();
        }
        prev = c;
    }
    end
}

/// Byte ranges of declaration chunks.
pub(super) fn chunks(src: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut offset = 0;
    for line in src.split_inclusive('\n') {
        let trimmed = line.trim_start_matches([' ', '\t', '\u{3000}']);
        let indent = line.len() - trimmed.len();
        let word_end = trimmed
            .find(|c: char| c.is_whitespace())
            .unwrap_or(trimmed.len());
        let word = trimmed.get(..word_end).unwrap_or("");
        if offset > 0 && DECL_KEYWORDS.contains(&word) && word_end < trimmed.len() {
            starts.push(offset + indent);
        }
        offset += line.len();
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(src.len());
        out.push((*s, e));
    }
    out
}

pub(super) fn pest_error(
    file: FileId,
    base: usize,
    text: &str,
    e: &pest::error::Error<Rule>,
    limit: usize,
) -> SyntaxError {
    let mut pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    // pest names only rules; the detailed attempts also know the literal tokens it tried (`:`,
    // `=`, `)`), and the furthest position any alternative reached.
    let mut tokens: Vec<Expected> = Vec::new();
    if let Some(attempts) = e.parse_attempts() {
        if attempts.max_position >= pos {
            // Move to the furthest point reached, but never into the middle of a word
            // (`a がある` stays at `がある`, where the missing space is).
            let skipped = text.get(pos..attempts.max_position).unwrap_or("");
            if attempts.max_position > pos && skipped.contains(char::is_whitespace) {
                pos = attempts.max_position;
            }
            tokens = attempts
                .expected_tokens()
                .into_iter()
                .filter_map(|t| token_text(&format!("{t:?}")))
                .filter(|t| {
                    !t.trim().is_empty()
                        && !t.starts_with('\\')
                        && !["#", "//", "※", "_"].contains(&t.as_str())
                })
                .map(Expected::Token)
                .take(8)
                .collect();
        }
    }
    // Nothing but blanks and comments follow: the declaration ended too early. Point at its end,
    // not at the next declaration.
    let meaningful_end = meaningful_end(text);
    if pos >= meaningful_end {
        pos = meaningful_end;
    }
    let rest = text.get(pos..meaningful_end).unwrap_or("");
    let found: Option<String> = {
        let word: String = rest
            .chars()
            .take_while(|c| !c.is_whitespace())
            .take(12)
            .collect();
        if word.is_empty() {
            None
        } else {
            Some(word)
        }
    };
    let found_len = found.as_ref().map_or(0, |f| f.len());
    let mut expected: Vec<Expected> = match &e.variant {
        pest::error::ErrorVariant::ParsingError { positives, .. } => {
            positives.iter().filter_map(|r| describe(*r)).collect()
        }
        // pest's own stack guard stopped it: the input nests too deeply for this stack.
        pest::error::ErrorVariant::CustomError { .. } => {
            return SyntaxError::TooDeep {
                span: Span::new(file, base + pos, base + pos + found_len),
                limit,
            };
        }
    };
    if expected.is_empty() {
        expected = tokens;
    }
    expected.sort();
    expected.dedup();
    if found.is_none() && pos > 0 {
        // Point at the last character written.
        let last = text
            .get(..pos)
            .and_then(|t| t.char_indices().last())
            .map_or(pos, |(i, _)| i);
        return SyntaxError::Unexpected {
            span: Span::new(file, base + last, base + pos),
            expected,
            found,
        };
    }
    SyntaxError::Unexpected {
        span: Span::new(file, base + pos, base + pos + found_len),
        expected,
        found,
    }
}

fn describe(r: Rule) -> Option<Expected> {
    Some(match r {
        Rule::EOI => Expected::Declaration,
        Rule::policy_decl
        | Rule::year_decl
        | Rule::source_decl
        | Rule::scope_decl
        | Rule::import_decl
        | Rule::enum_decl
        | Rule::input_decl
        | Rule::def_decl
        | Rule::output_decl
        | Rule::table_decl
        | Rule::reading_decl
        | Rule::premise_decl => Expected::Declaration,
        Rule::ident | Rule::column => Expected::Name,
        Rule::type_expr | Rule::set_type | Rule::opt_type | Rule::table_result => Expected::Type,
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::cmp_expr
        | Rule::sum
        | Rule::product
        | Rule::unary
        | Rule::neg
        | Rule::postfix
        | Rule::call
        | Rule::set_lit
        | Rule::if_expr
        | Rule::match_expr => Expected::Expression,
        Rule::cmp_op | Rule::add_op | Rule::mul_op | Rule::presence | Rule::kw_postnot => {
            Expected::Operator
        }
        Rule::string => Expected::Token("\"…\"".into()),
        Rule::fiscal_year => Expected::Keyword("令和7年度"),
        Rule::citation => Expected::Keyword("出典"),
        Rule::default => Expected::Keyword("既定"),
        Rule::table_row | Rule::data_row | Rule::sep_row => Expected::Token("|".into()),
        Rule::cell | Rule::sep_cell => Expected::Cell,
        Rule::arm | Rule::arm_patterns | Rule::wildcard => Expected::Keyword("→"),
        Rule::bool_lit
        | Rule::date_lit
        | Rule::money_lit
        | Rule::duration_lit
        | Rule::percent_lit
        | Rule::ratio_lit
        | Rule::decimal_lit
        | Rule::int_lit => Expected::Literal,
        Rule::group_decl => Expected::Keyword("群"),
        _ => return None,
    })
}
