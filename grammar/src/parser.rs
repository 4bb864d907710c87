//! Text → AST. Never panics: malformed text becomes [`SyntaxError`]s with spans.
//!
//! A file is split into declaration chunks (each starting at a line whose first word is a
//! declaration keyword) and each chunk is parsed on its own, so one broken declaration does not
//! hide the errors in the next ones. Nesting depth is measured before pest runs, so deeply nested
//! input cannot overflow the stack.

use crate::ast::*;
use crate::depth::{too_deep, with_stack};
use crate::literal::{self, LiteralError};
use crate::syntax::{Expected, SyntaxError};
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

const DECL_KEYWORDS: &[&str] = &[
    "例",
    "example",
    "政策",
    "年度",
    "取込",
    "列挙",
    "入力",
    "定義",
    "出力",
    "表",
    "policy",
    "fiscal_year",
    "import",
    "enum",
    "input",
    "define",
    "output",
    "table",
];

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
fn meaningful_end(text: &str) -> usize {
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
fn chunks(src: &str) -> Vec<(usize, usize)> {
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

fn pest_error(
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
        | Rule::import_decl
        | Rule::enum_decl
        | Rule::input_decl
        | Rule::def_decl
        | Rule::output_decl
        | Rule::table_decl => Expected::Declaration,
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

    fn item(&mut self, p: Pair<Rule>) -> Option<Item> {
        let span = self.span(&p);
        let rule = p.as_rule();
        let mut inner = p.into_inner();
        Some(match rule {
            Rule::policy_decl => Item::Policy {
                name: self.string(inner.next()?),
                span,
            },
            Rule::year_decl => {
                let fy = inner.next()?;
                let text = fy.as_str().to_string();
                match parse_fiscal_year(&text) {
                    Ok(year) => Item::FiscalYear { year, span },
                    Err(error) => {
                        let span = self.span(&fy);
                        self.errors.push(SyntaxError::Literal { span, text, error });
                        return None;
                    }
                }
            }
            Rule::source_decl => {
                let name = self.ident(inner.next()?);
                let mut next = inner.next()?;
                let external = next.as_rule() == Rule::external_mark;
                if external {
                    next = inner.next()?;
                }
                let document = self.string(next);
                let title = inner.next().map(|t| self.string(t));
                Item::Source(SourceDecl {
                    name,
                    document,
                    title,
                    external,
                    span,
                })
            }
            Rule::import_decl => Item::Import(Import {
                path: self.string(inner.next()?),
                span,
            }),
            Rule::enum_decl => {
                let name = self.ident(inner.next()?);
                let mut variants = Vec::new();
                let mut groups = Vec::new();
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::ident => variants.push(self.ident(q)),
                        Rule::citation => citations.push(self.citation(q)?),
                        Rule::group_decl => {
                            let gspan = self.span(&q);
                            let mut gi = q.into_inner();
                            let gname = self.ident(gi.next()?);
                            let members = gi.map(|m| self.ident(m)).collect();
                            groups.push(GroupDecl {
                                name: gname,
                                members,
                                span: gspan,
                            });
                        }
                        _ => {}
                    }
                }
                Item::Enum(EnumDecl {
                    name,
                    variants,
                    groups,
                    citations,
                    span,
                })
            }
            Rule::input_decl => {
                let name = self.ident(inner.next()?);
                let ty = self.type_expr(inner.next()?)?;
                let mut default = None;
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::default => default = Some(self.expr(q.into_inner().next()?)?),
                        Rule::citation => citations.push(self.citation(q)?),
                        _ => {}
                    }
                }
                Item::Input(InputDecl {
                    name,
                    ty,
                    default,
                    citations,
                    span,
                })
            }
            Rule::def_decl | Rule::output_decl => {
                let name = self.ident(inner.next()?);
                let mut ty = None;
                let mut body = None;
                let mut rules = Vec::new();
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::type_expr => ty = Some(self.type_expr(q)?),
                        Rule::expr => body = Some(self.expr(q)?),
                        Rule::citation => citations.push(self.citation(q)?),
                        Rule::def_rule => rules.push(self.rule(q)?),
                        _ => {}
                    }
                }
                Item::Def(DefDecl {
                    name,
                    ty,
                    body,
                    rules,
                    output: rule == Rule::output_decl,
                    citations,
                    span,
                })
            }
            Rule::table_decl => Item::Table(self.table(inner, span)?),
            Rule::example_decl => {
                let head = inner.next()?;
                let name_span = self.span(&head);
                let name = match head.as_rule() {
                    Rule::string => self.string(head),
                    _ => ident_text(&head),
                };
                let (mut given, mut expect) = (Vec::new(), Vec::new());
                let mut expecting = false;
                for b in inner {
                    if b.as_rule() == Rule::expect_mark {
                        expecting = true;
                        continue;
                    }
                    let mut bi = b.into_inner();
                    let id = self.ident(bi.next()?);
                    let value = self.expr(bi.next()?)?;
                    if expecting {
                        expect.push((id, value));
                    } else {
                        given.push((id, value));
                    }
                }
                Item::Example(Example {
                    name,
                    name_span,
                    given,
                    expect,
                    span,
                })
            }
            _ => return None,
        })
    }

    fn rule(&mut self, p: Pair<Rule>) -> Option<DefRule> {
        // pest keeps the blanks (and comments) after the rule in its pair: end at its last token.
        let mut span = self.span(&p);
        span.end = span
            .start
            .saturating_add(u32::try_from(meaningful_end(p.as_str())).unwrap_or(u32::MAX));
        let mut inner = p.into_inner();
        let head = inner.next()?;
        let kind = if head.as_rule() == Rule::principle {
            RuleKind::Principle
        } else {
            RuleKind::Exception
        };
        let mut label = None;
        let mut over = Vec::new();
        let mut condition = None;
        let mut value = None;
        for q in head.into_inner() {
            match q.as_rule() {
                Rule::ident if label.is_none() => label = Some(self.ident(q)),
                Rule::ident => over.push(self.ident(q)),
                Rule::rule_body => {
                    let mut parts: Vec<Pair<Rule>> = q.into_inner().collect();
                    let v = parts.pop()?;
                    if let Some(c) = parts.pop() {
                        condition = Some(self.expr(c)?);
                    }
                    value = Some(self.expr(v)?);
                }
                _ => {}
            }
        }
        let mut citations = Vec::new();
        for c in inner {
            citations.push(self.citation(c)?);
        }
        Some(DefRule {
            kind,
            label,
            over,
            condition,
            value: value?,
            citations,
            span,
        })
    }

    fn citation(&self, p: Pair<Rule>) -> Option<Citation> {
        // pest keeps the blanks after the citation in its pair (before `!"="`): end at its last token.
        let mut span = self.span(&p);
        span.end = span
            .start
            .saturating_add(u32::try_from(meaningful_end(p.as_str())).unwrap_or(u32::MAX));
        let mut inner = p.into_inner();
        let source = self.ident(inner.next()?);
        let mut passages = Vec::new();
        let mut place = None;
        let locator = inner.next().map(|s| {
            let text = s.as_str();
            let content = self.string(s.clone());
            let at = self.span(&s).start as usize;
            if text.starts_with('「') {
                // `「…」`: the whole string is the quoted passage.
                let start = at + '「'.len_utf8();
                passages.push(Passage {
                    span: Span::new(self.file, start, start + content.len()),
                    text: content.clone(),
                });
            } else {
                place = place_of(&content);
                let start = at + 1;
                for (offset, text) in passages_of(&content) {
                    let from = start + offset;
                    passages.push(Passage {
                        span: Span::new(self.file, from, from + text.len()),
                        text,
                    });
                }
            }
            content
        });
        Some(Citation {
            source,
            locator,
            place,
            passages,
            span,
        })
    }

    fn type_expr(&self, p: Pair<Rule>) -> Option<TypeExpr> {
        let q = p.into_inner().next()?;
        let span = self.span(&q);
        Some(match q.as_rule() {
            Rule::ident => TypeExpr::Named(self.ident(q)),
            Rule::set_type => {
                TypeExpr::Set(Box::new(self.type_expr(q.into_inner().next()?)?), span)
            }
            Rule::opt_type => {
                TypeExpr::Optional(Box::new(self.type_expr(q.into_inner().next()?)?), span)
            }
            _ => return None,
        })
    }

    fn column(&self, p: Pair<Rule>) -> Option<Column> {
        let mut inner = p.into_inner();
        Some(Column {
            name: self.ident(inner.next()?),
            ty: self.type_expr(inner.next()?)?,
        })
    }

    fn table(&mut self, inner: pest::iterators::Pairs<Rule>, span: Span) -> Option<TableDecl> {
        let mut name = None;
        let mut keys = Vec::new();
        let mut results = None;
        let mut citations = Vec::new();
        let mut raw_rows: Vec<Option<Row>> = Vec::new();
        for q in inner {
            match q.as_rule() {
                Rule::ident => name = Some(self.ident(q)),
                Rule::column => keys.push(self.column(q)?),
                Rule::table_result => {
                    let mut cols = Vec::new();
                    let mut single = None;
                    for c in q.into_inner() {
                        match c.as_rule() {
                            Rule::column => cols.push(self.column(c)?),
                            Rule::type_expr => single = Some(self.type_expr(c)?),
                            _ => {}
                        }
                    }
                    results = Some(match single {
                        Some(t) => TableResult::Single(t),
                        None => TableResult::Columns(cols),
                    });
                }
                Rule::citation => citations.push(self.citation(q)?),
                Rule::table_row => {
                    let row = q.into_inner().next()?;
                    match row.as_rule() {
                        Rule::sep_row => raw_rows.push(None),
                        _ => {
                            let rspan = self.span(&row);
                            let mut cells = Vec::new();
                            for c in row.into_inner() {
                                cells.push(self.cell(c)?);
                            }
                            raw_rows.push(Some(Row { cells, span: rspan }));
                        }
                    }
                }
                _ => {}
            }
        }
        // A row followed by a `|---|` separator is the header, as in the source's tables.
        let mut header = None;
        let mut rows = Vec::new();
        let mut iter = raw_rows.into_iter().peekable();
        if let Some(Some(first)) = iter.peek().cloned() {
            let mut probe = iter.clone();
            probe.next();
            if matches!(probe.peek(), Some(None)) {
                header = Some(first);
                iter.next();
            }
        }
        rows.extend(iter.flatten());
        Some(TableDecl {
            name: name?,
            keys,
            results: results?,
            header,
            rows,
            citations,
            span,
        })
    }

    fn cell(&mut self, p: Pair<Rule>) -> Option<Cell> {
        let span = self.span(&p);
        let q = p.into_inner().next()?;
        let kind = match q.as_rule() {
            Rule::any_cell => CellKind::Any,
            Rule::cmp_cell => {
                let mut i = q.into_inner();
                let op = cmp_op(i.next()?.as_str())?;
                CellKind::Compare(op, self.expr(i.next()?)?)
            }
            Rule::range_cell => {
                let mut i = q.into_inner();
                let a = self.expr(i.next()?)?;
                let b = self.expr(i.next()?)?;
                CellKind::Range(a, b)
            }
            Rule::suffix_cell => {
                let mut i = q.into_inner();
                let v = self.expr(i.next()?)?;
                let op = match i.next()?.as_str() {
                    "以上" => CmpOp::Ge,
                    "以下" => CmpOp::Le,
                    "未満" => CmpOp::Lt,
                    _ => CmpOp::Gt,
                };
                CellKind::Compare(op, v)
            }
            _ => CellKind::Expr(self.expr(q)?),
        };
        Some(Cell { kind, span })
    }

    /// Any expression-level pair → Expr, refusing to build trees deeper than the limit (so no
    /// later recursive pass, nor dropping the tree, can overflow the stack).
    fn expr(&mut self, p: Pair<Rule>) -> Option<Expr> {
        self.expr_d(p).map(|(e, _)| e)
    }

    fn node(&mut self, kind: ExprKind, span: Span, depth: u32) -> Option<(Expr, u32)> {
        let depth = depth + 1;
        if depth as usize > self.max_depth {
            if !self.too_deep {
                self.too_deep = true;
                self.errors.push(SyntaxError::TooDeep {
                    span,
                    limit: self.max_depth,
                });
            }
            return None;
        }
        Some((mk(kind, span), depth))
    }

    fn expr_d(&mut self, p: Pair<Rule>) -> Option<(Expr, u32)> {
        with_stack(|| self.expr_step(p))
    }

    fn expr_step(&mut self, p: Pair<Rule>) -> Option<(Expr, u32)> {
        let span = self.span(&p);
        let rule = p.as_rule();
        match rule {
            Rule::expr | Rule::expr_no_match => self.expr_d(p.into_inner().next()?),
            Rule::if_expr => {
                let parts: Vec<Pair<Rule>> = p.into_inner().collect();
                let mut exprs = Vec::with_capacity(parts.len());
                let mut depth = 0;
                for part in parts {
                    let (e, d) = self.expr_d(part)?;
                    depth = depth.max(d);
                    exprs.push(e);
                }
                let otherwise = exprs.pop()?;
                let mut branches = Vec::new();
                let mut it = exprs.into_iter();
                while let (Some(c), Some(t)) = (it.next(), it.next()) {
                    branches.push((c, t));
                }
                self.node(ExprKind::If(branches, Box::new(otherwise)), span, depth)
            }
            Rule::match_expr => {
                let mut inner = p.into_inner();
                let (scrutinee, mut depth) = self.expr_d(inner.next()?)?;
                let mut arms = Vec::new();
                for a in inner {
                    let aspan = self.span(&a);
                    let mut ai = a.into_inner();
                    let pats = ai.next()?;
                    let mut patterns = Vec::new();
                    for pp in pats.into_inner() {
                        if pp.as_rule() != Rule::wildcard {
                            let (e, d) = self.expr_d(pp)?;
                            depth = depth.max(d);
                            patterns.push(e);
                        }
                    }
                    let (body, d) = self.expr_d(ai.next()?)?;
                    depth = depth.max(d);
                    arms.push(Arm {
                        patterns,
                        body,
                        span: aspan,
                    });
                }
                self.node(ExprKind::Match(Box::new(scrutinee), arms), span, depth)
            }
            Rule::or_expr | Rule::and_expr => {
                let op = if rule == Rule::or_expr {
                    BinOp::Or
                } else {
                    BinOp::And
                };
                let mut inner = p.into_inner();
                let (mut acc, mut depth) = self.expr_d(inner.next()?)?;
                for q in inner {
                    let (rhs, d) = self.expr_d(q)?;
                    let s = acc.span.to(rhs.span);
                    (acc, depth) = self.node(
                        ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                        s,
                        depth.max(d),
                    )?;
                }
                Some((acc, depth))
            }
            Rule::not_expr => {
                let mut inner = p.into_inner();
                let first = inner.next()?;
                // `not x` (the keyword is silent, so the only child is the operand's not_expr).
                let prefix = first.as_rule() == Rule::not_expr;
                let (mut e, mut depth) = self.expr_d(first)?;
                for q in inner {
                    if q.as_rule() == Rule::kw_postnot {
                        (e, depth) = self.node(ExprKind::Not(Box::new(e)), span, depth)?;
                    }
                }
                if prefix {
                    (e, depth) = self.node(ExprKind::Not(Box::new(e)), span, depth)?;
                }
                Some((e, depth))
            }
            Rule::cmp_expr => {
                let mut inner = p.into_inner();
                let (lhs, d1) = self.expr_d(inner.next()?)?;
                match inner.next() {
                    None => Some((lhs, d1)),
                    Some(q) if q.as_rule() == Rule::presence => {
                        let present = q.into_inner().next().is_some_and(|k| {
                            matches!(k.as_rule(), Rule::kw_aru | Rule::kw_present)
                        });
                        self.node(ExprKind::Present(Box::new(lhs), present), span, d1)
                    }
                    Some(q) => {
                        let op = cmp_op(q.as_str())?;
                        let (rhs, d2) = self.expr_d(inner.next()?)?;
                        self.node(
                            ExprKind::Compare(op, Box::new(lhs), Box::new(rhs)),
                            span,
                            d1.max(d2),
                        )
                    }
                }
            }
            Rule::sum | Rule::product => {
                let mut inner = p.into_inner();
                let (mut acc, mut depth) = self.expr_d(inner.next()?)?;
                while let (Some(op), Some(r)) = (inner.next(), inner.next()) {
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" | "−" => BinOp::Sub,
                        "∪" => BinOp::Union,
                        "×" | "*" => BinOp::Mul,
                        "÷" | "/" => BinOp::Div,
                        _ => BinOp::Intersect,
                    };
                    let (rhs, d) = self.expr_d(r)?;
                    let s = acc.span.to(rhs.span);
                    (acc, depth) = self.node(
                        ExprKind::Binary(op, Box::new(acc), Box::new(rhs)),
                        s,
                        depth.max(d),
                    )?;
                }
                Some((acc, depth))
            }
            Rule::unary => {
                let parts: Vec<Pair<Rule>> = p.into_inner().collect();
                let negs = parts.iter().filter(|q| q.as_rule() == Rule::neg).count();
                let last = parts.into_iter().last()?;
                let (mut e, mut depth) = self.expr_d(last)?;
                for _ in 0..negs {
                    (e, depth) = self.node(ExprKind::Neg(Box::new(e)), span, depth)?;
                }
                Some((e, depth))
            }
            Rule::postfix => {
                let mut inner = p.into_inner();
                let (mut e, mut depth) = self.expr_d(inner.next()?)?;
                for f in inner {
                    let field = self.ident(f);
                    let s = e.span.to(field.span);
                    (e, depth) = self.node(ExprKind::Field(Box::new(e), field), s, depth)?;
                }
                Some((e, depth))
            }
            Rule::call | Rule::set_lit => {
                let mut inner = p.into_inner();
                let name = if rule == Rule::call {
                    Some(self.ident(inner.next()?))
                } else {
                    None
                };
                let mut args = Vec::new();
                let mut depth = 0;
                for a in inner {
                    let (e, d) = self.expr_d(a)?;
                    depth = depth.max(d);
                    args.push(e);
                }
                let kind = match name {
                    Some(n) => ExprKind::Call(n, args),
                    None => ExprKind::Set(args),
                };
                self.node(kind, span, depth)
            }
            Rule::ident => Some((mk(ExprKind::Name(self.ident(p)), span), 1)),
            Rule::string => Some((mk(ExprKind::Text(self.string(p)), span), 1)),
            Rule::bool_lit => {
                let v = p
                    .into_inner()
                    .next()
                    .is_some_and(|k| k.as_rule() == Rule::kw_true);
                Some((mk(ExprKind::Bool(v), span), 1))
            }
            _ => self.literal(p, span).map(|e| (e, 1)),
        }
    }

    fn literal(&mut self, p: Pair<Rule>, span: Span) -> Option<Expr> {
        let text = p.as_str();
        let result: Result<ExprKind, LiteralError> = match p.as_rule() {
            Rule::date_lit => literal::parse_date(text).map(ExprKind::Date),
            Rule::money_lit => literal::parse_money(text).map(ExprKind::Money),
            Rule::duration_lit => literal::parse_duration(text).map(ExprKind::Duration),
            Rule::percent_lit | Rule::ratio_lit => literal::parse_ratio(text).map(ExprKind::Ratio),
            Rule::decimal_lit => literal::parse_decimal(text).map(ExprKind::Decimal),
            Rule::int_lit => literal::parse_integer(text).map(ExprKind::Int),
            _ => return None,
        };
        match result {
            Ok(kind) => Some(mk(kind, span)),
            Err(error) => {
                self.errors.push(SyntaxError::Literal {
                    span,
                    text: text.to_string(),
                    error,
                });
                // Keep building the tree: the error is reported, the value is a placeholder.
                Some(mk(ExprKind::Int(0), span))
            }
        }
    }
}

fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

fn cmp_op(s: &str) -> Option<CmpOp> {
    Some(match s.trim() {
        "=" | "==" => CmpOp::Eq,
        "!=" | "≠" => CmpOp::Ne,
        "<" => CmpOp::Lt,
        "<=" | "≤" => CmpOp::Le,
        ">" => CmpOp::Gt,
        ">=" | "≥" => CmpOp::Ge,
        "∈" | "in" => CmpOp::In,
        "∉" => CmpOp::NotIn,
        "⊆" => CmpOp::Subset,
        "⊇" => CmpOp::Superset,
        _ => return None,
    })
}

/// `令和7年度`, `2025年度` or `2025` → 2025 (the year in which the fiscal year starts on 4月1日).
fn parse_fiscal_year(text: &str) -> Result<i32, LiteralError> {
    let digits = literal::ascii_digits(text);
    if let Ok(y) = digits.parse::<i32>() {
        return Ok(y);
    }
    let stem = text.strip_suffix("度").unwrap_or(text);
    // An era's first fiscal year starts before the era (令和元年度 starts on 平成31年4月1日), and its
    // last may end after it: the year is valid when any of its days lies in the era.
    let mut first_error = None;
    for day in ["4月1日", "12月31日", "1月1日"] {
        match literal::parse_date(&format!("{stem}{day}")) {
            Ok(d) => return Ok(chrono::Datelike::year(&d)),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    // Suggest a fiscal year, not the day used to probe it: 令和0年度 → 平成30年度.
    if let Some(LiteralError::OutsideEra { suggestion, .. }) = &mut first_error {
        *suggestion = suggestion
            .as_deref()
            .and_then(|s| s.strip_suffix("4月1日"))
            .map(|y| format!("{y}度"));
    }
    Err(first_error.unwrap_or(LiteralError::Malformed {
        kind: literal::LiteralKind::Date,
    }))
}
