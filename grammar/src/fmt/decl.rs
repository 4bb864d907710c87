//! The layout of declarations: items, citations, rules, example bindings, types.

use super::out::Sep;
use super::printer::{
    Printer, KW_DEF, KW_DEFAULT, KW_ENUM, KW_EXAMPLE, KW_EXCEPTION, KW_EXPECT, KW_EXTERNAL,
    KW_GIVEN, KW_GROUP, KW_IF, KW_IMPORT, KW_INPUT, KW_OPTIONAL, KW_OUTPUT, KW_POLICY,
    KW_PRINCIPLE, KW_SCOPE, KW_SET, KW_SOURCE, KW_THEN, KW_YEAR, R,
};
use super::printer::{KW_ADOPT, KW_OPTION, KW_PREMISE, KW_READING};
use super::INDENT;
use crate::ast::*;
use crate::depth::with_stack;

impl Printer<'_> {
    pub(super) fn item(&mut self, item: &Item) -> R<()> {
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
                // Each attribute after the title, on the next line (indented) where the text broke it.
                for _ in &s.attrs {
                    self.take(
                        &["発行", "日付", "番号", "issuer", "dated", "number"],
                        Sep::Soft(INDENT),
                    )?;
                    self.string(Sep::Space)?;
                }
            }
            Item::Scope(s) => {
                self.take(KW_SCOPE, Sep::Item)?;
                self.leaf(s.quote.source.span, Sep::Space)?;
                self.string(Sep::Space)?;
                // The reason on the next line (indented) where the text broke it.
                self.take(&["理由", "reason"], Sep::Soft(INDENT))?;
                self.take(
                    &[
                        "規則でない",
                        "領域外",
                        "先送り",
                        "not_a_rule",
                        "outside_domain",
                        "later",
                    ],
                    Sep::Space,
                )?;
                if s.note.is_some() {
                    self.string(Sep::Soft(INDENT))?;
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
            Item::Premise(x) => {
                self.take(KW_PREMISE, Sep::Item)?;
                self.leaf(x.name.span, Sep::Space)?;
                self.take(&[":"], Sep::None)?;
                self.expr(&x.condition, Sep::Space)?;
                self.citations(&x.citations, INDENT)?;
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
                for (reading, option) in &x.readings {
                    self.take(KW_ADOPT, Sep::Line(INDENT))?;
                    self.leaf(reading.span, Sep::Space)?;
                    self.take(&["="], Sep::Space)?;
                    self.leaf(option.span, Sep::Space)?;
                }
                self.bindings(KW_GIVEN, &x.given)?;
                self.bindings(KW_EXPECT, &x.expect)?;
            }
            Item::Reading(r) => {
                self.take(KW_READING, Sep::Item)?;
                self.leaf(r.name.span, Sep::Space)?;
                if let Some(t) = &r.ty {
                    self.take(&[":"], Sep::None)?;
                    self.ty(t, Sep::Space)?;
                }
                self.citations(&r.citations, INDENT)?;
                for o in &r.options {
                    self.take(KW_OPTION, Sep::Line(INDENT))?;
                    self.leaf(o.name.span, Sep::Space)?;
                    self.take(&["="], Sep::Space)?;
                    self.expr(&o.value, Sep::Soft(2 * INDENT))?;
                    self.citations(&o.citations, 2 * INDENT)?;
                }
                self.take(KW_ADOPT, Sep::Line(INDENT))?;
                self.leaf(r.adopted.span, Sep::Space)?;
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

    pub(super) fn citations(&mut self, cs: &[Citation], indent: usize) -> R<()> {
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

    pub(super) fn ty(&mut self, t: &TypeExpr, sep: Sep) -> R {
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

    pub(super) fn columns(&mut self, cols: &[Column]) -> R<()> {
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
}
