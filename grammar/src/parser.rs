//! Text → AST. Never panics: malformed text becomes [`SyntaxError`]s with spans.
//!
//! A file is split into declaration chunks (each starting at a line whose first word is a
//! declaration keyword) and each chunk is parsed on its own, so one broken declaration does not
//! hide the errors in the next ones. Nesting depth is measured before pest runs, so deeply nested
//! input cannot overflow the stack.

use crate::ast::*;
use crate::literal::{self, LiteralError};
use crate::syntax::{Expected, SyntaxError};
use pest::iterators::Pair;
use pest::Parser as _;

#[derive(pest_derive::Parser)]
#[grammar = "onshi.pest"]
struct OnshiParser;

/// Limits that keep parsing bounded; the defaults are safe for native and WASM stacks.
#[derive(Clone, Copy, Debug)]
pub struct ParseLimits {
    pub max_source_bytes: usize,
    /// Brackets and prefix constructs, measured on the text before pest runs.
    pub max_nesting: usize,
    /// Depth of the built expression tree (long operator chains count too).
    pub max_depth: usize,
}

impl Default for ParseLimits {
    fn default() -> Self {
        ParseLimits {
            max_source_bytes: 1 << 20,
            max_nesting: 48,
            max_depth: 256,
        }
    }
}

#[derive(Debug, Default)]
pub struct Parsed {
    pub module: Module,
    pub errors: Vec<SyntaxError>,
}

const DECL_KEYWORDS: &[&str] = &[
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
            out.errors.push(SyntaxError::TooDeep {
                span: Span::new(file, start + at, start + at + 1),
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
        match OnshiParser::parse(Rule::chunk, text) {
            Ok(mut pairs) => {
                if let Some(chunk) = pairs.next() {
                    for p in chunk.into_inner() {
                        if let Some(item) = b.item(p) {
                            out.module.items.push(item);
                        }
                    }
                }
            }
            Err(e) => b.errors.push(pest_error(file, start, text, &e)),
        }
        out.errors.append(&mut b.errors);
    }
    out
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

/// Returns the byte offset where nesting first exceeds `limit`: brackets, plus the prefix
/// constructs (`もし`, `場合`, `not`, unary minus) that nest without brackets.
fn too_deep(text: &str, limit: usize) -> Option<usize> {
    let mut depth: usize = 0;
    let mut prefix: usize = 0;
    let mut in_str: Option<char> = None;
    let mut in_comment = false;
    let mut prev_alpha = false;
    for (i, c) in text.char_indices() {
        if in_comment {
            if c == '\n' {
                in_comment = false;
            }
            continue;
        }
        if let Some(close) = in_str {
            if c == close || c == '\n' {
                in_str = None;
            }
            continue;
        }
        match c {
            '"' => in_str = Some('"'),
            '「' => in_str = Some('」'),
            '#' | '※' => in_comment = true,
            '(' | '{' | '[' => depth += 1,
            ')' | '}' | ']' => depth = depth.saturating_sub(1),
            '-' | '−' => prefix += 1,
            _ => {}
        }
        let rest = text.get(i..).unwrap_or("");
        if !prev_alpha
            && (rest.starts_with("もし")
                || rest.starts_with("場合")
                || rest.starts_with("if ")
                || rest.starts_with("not ")
                || rest.starts_with("match "))
        {
            prefix += 1;
        }
        prev_alpha = c.is_alphanumeric() || c == '_';
        if depth > limit || prefix > limit * 4 {
            return Some(i);
        }
    }
    None
}

fn pest_error(file: FileId, base: usize, text: &str, e: &pest::error::Error<Rule>) -> SyntaxError {
    let pos = match e.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    let rest = text.get(pos..).unwrap_or("");
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
        pest::error::ErrorVariant::CustomError { .. } => Vec::new(),
    };
    expected.sort();
    expected.dedup();
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
        Rule::expr | Rule::or_expr => Expected::Expression,
        Rule::cmp_op | Rule::add_op | Rule::mul_op | Rule::presence | Rule::kw_postnot => {
            Expected::Operator
        }
        Rule::string => Expected::Token("\"…\""),
        Rule::fiscal_year => Expected::Keyword("令和7年度"),
        Rule::citation => Expected::Keyword("出典"),
        Rule::default => Expected::Keyword("既定"),
        Rule::table_row | Rule::data_row | Rule::sep_row => Expected::Token("|"),
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
                let document = self.string(inner.next()?);
                let title = inner.next().map(|t| self.string(t));
                Item::Source(SourceDecl {
                    name,
                    document,
                    title,
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
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::type_expr => ty = Some(self.type_expr(q)?),
                        Rule::expr => body = Some(self.expr(q)?),
                        Rule::citation => citations.push(self.citation(q)?),
                        _ => {}
                    }
                }
                Item::Def(DefDecl {
                    name,
                    ty,
                    body,
                    output: rule == Rule::output_decl,
                    citations,
                    span,
                })
            }
            Rule::table_decl => Item::Table(self.table(inner, span)?),
            _ => return None,
        })
    }

    fn citation(&self, p: Pair<Rule>) -> Option<Citation> {
        let span = self.span(&p);
        let mut inner = p.into_inner();
        let source = self.ident(inner.next()?);
        let locator = inner.next().map(|s| self.string(s));
        Some(Citation {
            source,
            locator,
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
    literal::parse_date(&format!("{stem}4月1日")).map(|d| chrono::Datelike::year(&d))
}
