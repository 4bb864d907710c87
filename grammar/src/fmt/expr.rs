//! The layout of expressions: operators, brackets, `もし`/`場合`, and the author's line breaks.

use super::out::{Pos, Sep};
use super::printer::{
    bin_spellings, cmp_spellings, Printer, ARROW, KW_ELIF, KW_ELSE, KW_IF, KW_MATCH, KW_THEN,
    PRESENCE, PRESENCE_WORD, R, WILDCARD,
};
use super::text::internal;
use super::INDENT;
use crate::ast::*;
use crate::depth::with_stack;

impl Printer<'_> {
    pub(super) fn expr(&mut self, e: &Expr, sep: Sep) -> R {
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
