//! The self-check: the formatted text is parsed again and compared with the input, spans aside.

use super::text::scan;
use super::FmtError;
use crate::ast::*;
use crate::depth::with_stack;
use crate::parser::parse;

/// The layout must not change the policy, nor lose or reorder a comment: `text`, the layout of
/// `src` (whose tree is `before` and whose comments are at `comments`), is parsed again and
/// compared with it.
pub(super) fn check(
    src: &str,
    mut before: Module,
    comments: &[(usize, usize)],
    text: &str,
) -> Result<(), FmtError> {
    let again = parse(FileId(0), text);
    let mut after = again.module;
    erase_module(&mut before);
    erase_module(&mut after);
    let comment_texts = |s: &str, list: &[(usize, usize)]| -> Vec<String> {
        list.iter()
            .map(|(a, b)| s.get(*a..*b).unwrap_or("").trim_end().to_string())
            .collect()
    };
    let (_, out_comments) = scan(text);
    if !again.errors.is_empty()
        || before != after
        || comment_texts(src, comments) != comment_texts(text, &out_comments)
    {
        return Err(FmtError::Internal {
            span: Span::new(FileId(0), 0, 0),
        });
    }
    Ok(())
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
                for a in &mut s.attrs {
                    a.span = Span::default();
                }
            }
            Item::Scope(s) => {
                s.span = Span::default();
                erase_citations(std::slice::from_mut(&mut s.quote));
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
            Item::Premise(x) => {
                x.span = Span::default();
                erase_ident(&mut x.name);
                erase_expr(&mut x.condition);
                erase_citations(&mut x.citations);
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
                for (r, o) in &mut x.readings {
                    erase_ident(r);
                    erase_ident(o);
                }
                for (i, v) in x.given.iter_mut().chain(x.expect.iter_mut()) {
                    erase_ident(i);
                    erase_expr(v);
                }
            }
            Item::Reading(r) => {
                r.span = Span::default();
                erase_ident(&mut r.name);
                if let Some(t) = &mut r.ty {
                    erase_type(t);
                }
                erase_citations(&mut r.citations);
                for o in &mut r.options {
                    o.span = Span::default();
                    erase_ident(&mut o.name);
                    erase_expr(&mut o.value);
                    erase_citations(&mut o.citations);
                }
                erase_ident(&mut r.adopted);
            }
        }
    }
}
