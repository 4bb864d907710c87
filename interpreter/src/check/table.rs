//! Decision tables: signatures, header check, key cells folded to matchers, result cells lowered.
//! Hit policy: unique (checked by `table_check`: overlapping rows with different results are an
//! error); no matching row is an evaluation error naming the table and the key values.

use super::errors::{CheckError, TypeText};
use super::expr::Lowering;
use super::Globals;
use crate::program::{CExpr, Column, Matcher, Table, TableRow};
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::{self, CellKind, CmpOp, ExprKind, TableResult};

pub(crate) fn declare_signatures(g: &mut Globals, errors: &mut Vec<CheckError>) {
    let mut sigs = Vec::new();
    for t in &g.table_decls {
        let col = |c: &ast::Column, errors: &mut Vec<CheckError>| Column {
            name: c.name.name.clone(),
            ty: g.resolve_type(&c.ty, errors),
        };
        let keys = t.keys.iter().map(|c| col(c, errors)).collect();
        let (results, single) = match &t.results {
            TableResult::Single(ty) => (
                vec![Column {
                    name: t.name.name.clone(),
                    ty: g.resolve_type(ty, errors),
                }],
                true,
            ),
            TableResult::Columns(cs) => (cs.iter().map(|c| col(c, errors)).collect(), false),
        };
        let cites = g.cites(&t.citations, errors);
        sigs.push(Table {
            name: t.name.name.clone(),
            keys,
            results,
            single,
            rows: Vec::new(),
            cites,
            span: t.span,
        });
    }
    g.table_sigs = sigs;
}

impl Lowering<'_> {
    pub fn lower_tables(&mut self) {
        let g = self.g;
        for (i, decl) in g.table_decls.iter().enumerate() {
            let Some(sig) = g.table_sigs.get(i) else {
                continue;
            };
            let mut table = sig.clone();
            let errors_before = self.errors.len();
            let node = self.table_node(i);
            let width = sig.keys.len() + sig.results.len();
            if let Some(header) = &decl.header {
                self.check_header(header, sig, width);
            }
            for row in &decl.rows {
                if row.cells.len() != width {
                    self.errors.push(CheckError::TableWidth {
                        span: row.span,
                        expected: width,
                        found: row.cells.len(),
                    });
                    continue;
                }
                let mut keys = Vec::new();
                for (cell, col) in row.cells.iter().zip(sig.keys.iter()) {
                    keys.push(self.key_cell(cell, &col.ty));
                }
                let results: Vec<CExpr> = self.with_node(node, |cx| {
                    row.cells
                        .iter()
                        .skip(sig.keys.len())
                        .zip(sig.results.iter())
                        .map(|(cell, col)| cx.result_cell(cell, &col.ty))
                        .collect()
                });
                let value = constant_row(&results, sig.single);
                table.rows.push(TableRow {
                    keys,
                    results,
                    value,
                    span: row.span,
                });
            }
            // A table with errors is not checked for overlaps and gaps: a bad key cell reads as
            // `-` and a bad row is left out, so the findings would be spurious.
            if self.errors.len() == errors_before {
                self.errors
                    .extend(super::table_check::check(&table, decl.name.span, self.g));
            }
            if let Some(slot) = self.tables.get_mut(i) {
                *slot = Some(table);
            }
        }
    }

    fn check_header(&mut self, header: &ast::Row, sig: &Table, width: usize) {
        if header.cells.len() != width {
            self.errors.push(CheckError::TableWidth {
                span: header.span,
                expected: width,
                found: header.cells.len(),
            });
            return;
        }
        let names = sig
            .keys
            .iter()
            .chain(sig.results.iter())
            .map(|c| c.name.as_str());
        for (cell, name) in header.cells.iter().zip(names) {
            let found = match &cell.kind {
                CellKind::Expr(e) => match &e.kind {
                    ExprKind::Name(id) => id.name.clone(),
                    _ => String::from("…"),
                },
                _ => String::from("…"),
            };
            if found != name {
                self.errors.push(CheckError::TableHeader {
                    span: cell.span,
                    expected: name.to_string(),
                    found,
                });
            }
        }
    }

    fn key_cell(&mut self, cell: &ast::Cell, ty: &Type) -> Matcher {
        let bad = |cx: &mut Self| {
            let t: TypeText = cx.g.type_text(ty);
            cx.errors.push(CheckError::BadPattern {
                span: cell.span,
                ty: t,
            });
            Matcher::Any
        };
        let ordered = matches!(
            ty,
            Type::Int | Type::Money | Type::Ratio | Type::Decimal | Type::Date | Type::Duration
        );
        match &cell.kind {
            CellKind::Any => Matcher::Any,
            CellKind::Expr(e) => {
                let ce = self.infer(e, Some(ty));
                let ce = match (&ce.ty, ty) {
                    (Type::Set(a), Type::Enum(b)) if a == b => ce,
                    _ => self.coerce(ce, ty, e),
                };
                match (self.constant(&ce), ty) {
                    (Some(Value::Enum(i)), Type::Enum(_)) if i < 128 => {
                        Matcher::OneOf(crate::ops::sets::bit(i))
                    }
                    (Some(Value::Set(m)), Type::Enum(_)) => Matcher::OneOf(m),
                    (Some(v), _) => Matcher::Eq(v),
                    (None, _) => Matcher::Any,
                }
            }
            CellKind::Compare(op, e) if ordered => {
                let ce = self.check(e, ty);
                match self.constant(&ce) {
                    Some(v) => Matcher::Cmp(*op, v),
                    None => Matcher::Any,
                }
            }
            CellKind::Range(a, b) if ordered => {
                let (ac, bc) = (self.check(a, ty), self.check(b, ty));
                match (self.constant(&ac), self.constant(&bc)) {
                    (Some(x), Some(y)) => Matcher::Range(x, y),
                    _ => Matcher::Any,
                }
            }
            CellKind::Compare(CmpOp::Eq, _) | CellKind::Compare(..) | CellKind::Range(..) => {
                bad(self)
            }
        }
    }

    fn result_cell(&mut self, cell: &ast::Cell, ty: &Type) -> CExpr {
        match &cell.kind {
            CellKind::Expr(e) => self.check(e, ty),
            _ => {
                let t = self.g.type_text(ty);
                self.errors.push(CheckError::BadPattern {
                    span: cell.span,
                    ty: t,
                });
                CExpr::constant(Value::Absent, Type::Error, cell.span)
            }
        }
    }
}

/// The value of a row whose result cells are all constants.
fn constant_row(results: &[CExpr], single: bool) -> Option<Value> {
    let mut values = Vec::with_capacity(results.len());
    for r in results {
        if !super::ops::is_const(r) {
            return None;
        }
        values.push(crate::ops::eval_const(r).ok()?);
    }
    if single {
        values.into_iter().next()
    } else {
        Some(Value::Row(std::sync::Arc::from(values)))
    }
}
