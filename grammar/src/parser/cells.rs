//! Table cells and literals (a literal that does not parse is reported and built as a placeholder).

use super::expr::{cmp_op, mk};
use super::{Builder, Rule};
use crate::ast::*;
use crate::literal::{self, LiteralError};
use crate::syntax::SyntaxError;
use pest::iterators::Pair;

impl Builder {
    pub(super) fn cell(&mut self, p: Pair<Rule>) -> Option<Cell> {
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

    pub(super) fn literal(&mut self, p: Pair<Rule>, span: Span) -> Option<Expr> {
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

/// `令和7年度`, `2025年度` or `2025` → 2025 (the year in which the fiscal year starts on 4月1日).
pub(super) fn parse_fiscal_year(text: &str) -> Result<i32, LiteralError> {
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
