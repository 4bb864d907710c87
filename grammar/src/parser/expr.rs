//! Expressions: pairs → [`Expr`], with the depth of the tree bounded.

use super::{Builder, Rule};
use crate::ast::*;
use crate::depth::with_stack;
use crate::syntax::SyntaxError;
use pest::iterators::Pair;

impl Builder {
    /// Any expression-level pair → Expr, refusing to build trees deeper than the limit (so no
    /// later recursive pass, nor dropping the tree, can overflow the stack).
    pub(super) fn expr(&mut self, p: Pair<Rule>) -> Option<Expr> {
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

    /// `acc op rhs`: the left fold of a chain of one precedence (`a + b - c`, `a と b と c`).
    fn binary(&mut self, acc: (Expr, u32), op: BinOp, rhs: Pair<Rule>) -> Option<(Expr, u32)> {
        let (lhs, depth) = acc;
        let (rhs, d) = self.expr_d(rhs)?;
        let span = lhs.span.to(rhs.span);
        self.node(
            ExprKind::Binary(op, Box::new(lhs), Box::new(rhs)),
            span,
            depth.max(d),
        )
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
                let first = self.expr_d(inner.next()?)?;
                inner.try_fold(first, |acc, q| self.binary(acc, op, q))
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
                let mut acc = self.expr_d(inner.next()?)?;
                while let (Some(op), Some(r)) = (inner.next(), inner.next()) {
                    let op = match op.as_str() {
                        "+" => BinOp::Add,
                        "-" | "−" => BinOp::Sub,
                        "∪" => BinOp::Union,
                        "×" | "*" => BinOp::Mul,
                        "÷" | "/" => BinOp::Div,
                        _ => BinOp::Intersect,
                    };
                    acc = self.binary(acc, op, r)?;
                }
                Some(acc)
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
}

pub(super) fn mk(kind: ExprKind, span: Span) -> Expr {
    Expr { kind, span }
}

pub(super) fn cmp_op(s: &str) -> Option<CmpOp> {
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
