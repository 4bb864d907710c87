//! 前提: each condition lowered as a 真偽 over the inputs. A premise is checked before any
//! definition is evaluated, so it may read only inputs: a definition or a table it reads is an
//! error (`onshi::premise::reads_definition`).

use super::expr::Lowering;
use super::CheckError;
use crate::program::{CExpr, CKind, Premise};
use crate::types::Type;

impl Lowering<'_> {
    pub(crate) fn lower_premises(&mut self) -> Vec<Premise> {
        let g = self.g;
        let mut out = Vec::new();
        for (decl, cites) in &g.premise_decls {
            let condition = self.check(&decl.condition, &Type::Bool);
            if let Some((span, what)) = self.reads(&condition) {
                self.errors.push(CheckError::PremiseReads {
                    span,
                    premise: decl.name.name.clone(),
                    what,
                });
            }
            out.push(Premise {
                name: decl.name.name.clone(),
                condition,
                cites: cites.clone(),
                span: decl.span,
            });
        }
        out
    }

    /// The first definition or table `e` reads (its span and name); without recursion (a
    /// work list), so no depth of expression can overflow the stack.
    fn reads(&self, e: &CExpr) -> Option<(onshi_grammar::ast::Span, String)> {
        let mut work = vec![e];
        while let Some(x) = work.pop() {
            match &x.kind {
                CKind::Def(d) => {
                    let name = self
                        .g
                        .def_decls
                        .get(d.index())
                        .map(|(decl, _)| decl.name.name.clone())
                        .unwrap_or_default();
                    return Some((x.span, name));
                }
                CKind::Lookup(t, _) => {
                    let name = self
                        .g
                        .table_decls
                        .get(t.0 as usize)
                        .map(|decl| decl.name.name.clone())
                        .unwrap_or_default();
                    return Some((x.span, name));
                }
                _ => x.for_each_child(|c| work.push(c)),
            }
        }
        None
    }
}
