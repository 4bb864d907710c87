//! The layout of tables: rows captured cell by cell, then aligned column by column.

use super::out::Sep;
use super::printer::{
    cmp_spellings, ends_in_literal, Printer, RowKind, RowOut, ANY_CELL, ARROW, BOUND_SUFFIX,
    CMP_OPS, KW_TABLE, R, RANGE_SEP,
};
use super::text::{internal, is_ident_char, sep_cell_at};
use super::INDENT;
use crate::ast::*;
use unicode_width::UnicodeWidthStr;

impl Printer<'_> {
    pub(super) fn table(&mut self, t: &TableDecl) -> R<()> {
        self.take(KW_TABLE, Sep::Item)?;
        self.leaf(t.name.span, Sep::Space)?;
        self.take(&["("], Sep::None)?;
        self.columns(&t.keys)?;
        self.take(&[")"], Sep::None)?;
        self.take(ARROW, Sep::Space)?;
        match &t.results {
            TableResult::Single(ty) => {
                self.ty(ty, Sep::Space)?;
            }
            TableResult::Columns(cols) => {
                self.take(&["("], Sep::Space)?;
                self.columns(cols)?;
                self.take(&[")"], Sep::None)?;
            }
        }
        self.citations(&t.citations, INDENT)?;

        // Read every row (data rows from the tree, `|---|` rows from the text), then align.
        let data: Vec<&Row> = t.header.iter().chain(t.rows.iter()).collect();
        let mut next = 0;
        let mut rows = Vec::new();
        while self.at("|") {
            let at = self.peek();
            match data.get(next) {
                Some(row) if row.span.start as usize == at => {
                    rows.push(self.data_row(row)?);
                    next += 1;
                }
                _ => rows.push(self.separator_row()?),
            }
        }
        if next != data.len() {
            return Err(internal(self.peek()));
        }
        self.emit_rows(&rows)
    }

    /// Start a row: its first `|` (the gap before it is laid out with the row).
    fn row_start(&mut self) -> (usize, usize) {
        let gap_start = self.out.last_end;
        let start = self.peek();
        self.pos = start + 1;
        self.out.last_end = start + 1;
        (gap_start, start)
    }

    /// Read `text` (a cell or a `|`) into a string, refusing comments inside the row.
    fn captured(&mut self, f: impl FnOnce(&mut Self) -> R<()>) -> R<String> {
        self.out.capture.push(String::new());
        let r = f(self);
        let text = self.out.capture.pop().unwrap_or_default();
        r.map(|()| text)
    }

    fn data_row(&mut self, row: &Row) -> R<RowOut> {
        let (gap_start, start) = self.row_start();
        let mut cells = Vec::new();
        for c in &row.cells {
            cells.push(self.captured(|p| p.cell(c))?);
            self.captured(|p| p.take(&["|"], Sep::None).map(|_| ()))?;
        }
        Ok(RowOut {
            gap_start,
            start,
            end: self.pos,
            kind: RowKind::Data(cells),
        })
    }

    fn separator_row(&mut self) -> R<RowOut> {
        let (gap_start, start) = self.row_start();
        let mut marks = Vec::new();
        while let Some((end, left, right)) = sep_cell_at(self.src, self.peek()) {
            let at = self.peek();
            self.captured(|p| p.emit(at, end, Sep::None).map(|_| ()))?;
            self.captured(|p| p.take(&["|"], Sep::None).map(|_| ()))?;
            marks.push((left, right));
        }
        if marks.is_empty() {
            return Err(internal(start));
        }
        Ok(RowOut {
            gap_start,
            start,
            end: self.pos,
            kind: RowKind::Separator(marks),
        })
    }

    fn cell(&mut self, c: &Cell) -> R<()> {
        match &c.kind {
            CellKind::Any => {
                self.take(ANY_CELL, Sep::None)?;
            }
            CellKind::Expr(e) => {
                self.expr(e, Sep::None)?;
            }
            CellKind::Compare(op, e) => {
                if CMP_OPS.iter().any(|w| self.at(w)) {
                    self.take(cmp_spellings(*op), Sep::None)?;
                    self.expr(e, Sep::Space)?;
                } else {
                    self.expr(e, Sep::None)?;
                    let glued = self
                        .out
                        .capture
                        .last()
                        .and_then(|b| b.chars().last())
                        .is_some_and(|c| !is_ident_char(c))
                        || ends_in_literal(e);
                    self.take(BOUND_SUFFIX, if glued { Sep::None } else { Sep::Space })?;
                }
            }
            CellKind::Range(a, b) => {
                self.expr(a, Sep::None)?;
                self.take(RANGE_SEP, Sep::Space)?;
                self.expr(b, Sep::Space)?;
            }
        }
        Ok(())
    }

    fn emit_rows(&mut self, rows: &[RowOut]) -> R<()> {
        let mut widths: Vec<usize> = Vec::new();
        let mut widen = |i: usize, w: usize| {
            if widths.len() <= i {
                widths.resize(i + 1, 1);
            }
            if let Some(x) = widths.get_mut(i) {
                *x = (*x).max(w);
            }
        };
        for r in rows {
            match &r.kind {
                RowKind::Data(cells) => {
                    for (i, c) in cells.iter().enumerate() {
                        widen(i, c.width());
                    }
                }
                // A separator cell needs three dashes besides its `:` marks.
                RowKind::Separator(marks) => {
                    for (i, (l, r)) in marks.iter().enumerate() {
                        widen(i, 1 + usize::from(*l) + usize::from(*r));
                    }
                }
            }
        }
        for r in rows {
            let mut text = String::from("|");
            match &r.kind {
                RowKind::Data(cells) => {
                    for (i, c) in cells.iter().enumerate() {
                        let w = widths.get(i).copied().unwrap_or(1);
                        text.push(' ');
                        text.push_str(c);
                        text.push_str(&" ".repeat(w.saturating_sub(c.width())));
                        text.push_str(" |");
                    }
                }
                RowKind::Separator(marks) => {
                    for (i, (l, r)) in marks.iter().enumerate() {
                        let w = widths.get(i).copied().unwrap_or(1);
                        let dashes = (w + 2).saturating_sub(usize::from(*l) + usize::from(*r));
                        if *l {
                            text.push(':');
                        }
                        text.push_str(&"-".repeat(dashes));
                        if *r {
                            text.push(':');
                        }
                        text.push('|');
                    }
                }
            }
            self.out.last_end = r.gap_start;
            self.out
                .emit(self.src, &text, r.start, r.end, Sep::Line(INDENT))?;
        }
        Ok(())
    }
}
