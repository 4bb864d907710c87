//! Readings (解釈): declared as a definition whose body is the adopted 案; every other 案 is
//! lowered against the reading's type with the reading as the current node, so the dependency
//! graph (cycles, evaluation order) covers every 案 and another can be chosen without checking
//! again ([`crate::program::Program::with_readings`]).

use super::errors::CheckError;
use super::expr::Lowering;
use super::{Globals, Slot};
use crate::program::DefId;
use crate::readings::{Reading, ReadingOption};
use onshi_grammar::ast::{self, Span};
use onshi_grammar::suggest;

/// Declares reading `r` as a definition (its value is the adopted 案's), checking its 案 names.
pub(super) fn declare(g: &mut Globals, r: &ast::ReadingDecl, errors: &mut Vec<CheckError>) {
    let mut seen: Vec<(&str, Span)> = Vec::new();
    for o in &r.options {
        match seen.iter().find(|(n, _)| *n == o.name.name) {
            Some((_, first)) => errors.push(CheckError::Duplicate {
                span: o.name.span,
                name: o.name.name.clone(),
                first: *first,
            }),
            None => seen.push((&o.name.name, o.name.span)),
        }
    }
    let adopted = match r.options.iter().position(|o| o.name.name == r.adopted.name) {
        Some(i) => i,
        None => {
            let names: Vec<String> = r.options.iter().map(|o| o.name.name.clone()).collect();
            errors.push(CheckError::UnknownOption {
                span: r.adopted.span,
                reading: r.name.name.clone(),
                name: r.adopted.name.clone(),
                suggestion: suggest(&r.adopted.name, names.iter().map(String::as_str)),
                options: names,
            });
            0
        }
    };
    let Some(option) = r.options.get(adopted) else {
        return;
    };
    let idx = g.def_decls.len();
    g.declare_value(&r.name, Slot::Def(idx as u32), errors);
    let decl = ast::DefDecl {
        name: r.name.clone(),
        ty: r.ty.clone(),
        body: Some(option.value.clone()),
        rules: Vec::new(),
        output: false,
        // The definition cites the question and the adopted 案's passages (explanations show them).
        citations: r
            .citations
            .iter()
            .chain(&option.citations)
            .cloned()
            .collect(),
        span: r.span,
    };
    g.def_decls.push((decl, false));
    g.readings.push((r.clone(), idx, adopted));
}

impl Lowering<'_> {
    /// Every 案 of every reading, typed as its reading (after the definitions are lowered).
    pub(crate) fn lower_readings(&mut self) -> Vec<Reading> {
        let g = self.g;
        let mut out = Vec::new();
        for (r, idx, adopted) in &g.readings {
            let ty = self.def_type(*idx, Span::default());
            let mut options = Vec::new();
            for (i, o) in r.options.iter().enumerate() {
                let body = if i == *adopted {
                    self.def_body(*idx)
                } else {
                    Some(self.with_node(*idx, |cx| cx.check(&o.value, &ty)))
                };
                // The adopted 案's citations were checked with the definition's.
                let mut errs = Vec::new();
                let cites = g.cites(&o.citations, &mut errs);
                if i != *adopted {
                    self.errors.extend(errs);
                }
                if let Some(body) = body {
                    options.push(ReadingOption {
                        name: o.name.name.clone(),
                        body,
                        cites,
                        span: o.span,
                    });
                }
            }
            // Checked with the definition's citations.
            let cites = g.cites(&r.citations, &mut Vec::new());
            out.push(Reading {
                name: r.name.name.clone(),
                def: DefId(*idx as u32),
                cites,
                options,
                adopted: *adopted,
                chosen: *adopted,
                span: r.span,
            });
        }
        out
    }
}
