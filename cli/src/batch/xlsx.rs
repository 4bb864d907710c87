//! Results as a workbook (`--output results.xlsx`, with rust_xlsxwriter): one sheet of results
//! (結果 / results) with a bold, frozen header, typed cells — dates as dates, amounts as numbers
//! shown with separators (`#,##0`), ratios as numbers shown as fractions (`1/2`), truth values as
//! TRUE/FALSE, text (the carried columns among it) as text, never as a formula — the carried
//! columns, the outputs and the error columns; with `--summary` a second sheet (集計 / summary).
//! Rows are written in order as they arrive, through a temporary file (constant memory mode), so
//! memory stays flat.
//!
//! An amount is a number cell only when it is whole yen within ±2^53 (every such number is exact
//! in a workbook's double); any other amount, and any number a double cannot hold exactly, is
//! written as text in the JSON form.

use super::write::terminating_decimal;
use chrono::Datelike;
use onshi::types::Type;
use onshi::{Lang, Program, Value};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use std::path::Path;

/// The largest whole number every double holds exactly.
const EXACT: i128 = 1 << 53;

/// One cell of a result row.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum XCell {
    Empty,
    Text(String),
    Int(i64),
    Yen(i64),
    /// A ratio: its exact decimal digits (`0.5`), or None and the fraction's parts.
    Ratio(Option<String>, i128, i128),
    Decimal(String),
    Date(chrono::NaiveDate),
    Bool(bool),
}

impl XCell {
    /// The cell of an output value.
    pub fn of(program: &Program, v: &Value, ty: &Type) -> XCell {
        let text = || {
            let mut s = String::new();
            program.write_csv_cell(v, ty, &mut s);
            XCell::Text(s)
        };
        match v {
            Value::Absent => XCell::Empty,
            Value::Bool(b) => XCell::Bool(*b),
            Value::Int(i) if i128::from(*i).abs() < EXACT => XCell::Int(*i),
            Value::Money(n) if n.is_integer() && n.numer().abs() < EXACT => {
                XCell::Yen(i64::try_from(n.numer()).unwrap_or_default())
            }
            Value::Ratio(n) => XCell::Ratio(
                terminating_decimal(n.numer(), n.denom()),
                n.numer(),
                n.denom(),
            ),
            Value::Decimal(n) => match terminating_decimal(n.numer(), n.denom()) {
                Some(d) if d.len() <= 15 => XCell::Decimal(d),
                _ => text(),
            },
            Value::Date(d) => XCell::Date(*d),
            _ => text(),
        }
    }
}

/// The workbook being written.
pub(super) struct XlsxOut {
    book: Workbook,
    row: u32,
    bold: Format,
    yen: Format,
    ratio: Format,
    date: Format,
}

fn io(e: XlsxError) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl XlsxOut {
    /// A workbook whose first sheet has `header` (bold, frozen).
    pub fn new(header: &[&str], lang: Lang) -> std::io::Result<XlsxOut> {
        let mut book = Workbook::new();
        let bold = Format::new().set_bold();
        let sheet = book.add_worksheet_with_constant_memory().map_err(io)?;
        sheet
            .set_name(match lang {
                Lang::Ja => "結果",
                Lang::En => "results",
            })
            .map_err(io)?;
        sheet.set_freeze_panes(1, 0).map_err(io)?;
        for (col, name) in header.iter().enumerate() {
            let col = u16::try_from(col).map_err(std::io::Error::other)?;
            sheet
                .write_string_with_format(0, col, *name, &bold)
                .map_err(io)?;
            sheet
                .set_column_width(col, (name.chars().count() as f64 * 2.2).clamp(8.0, 40.0))
                .map_err(io)?;
        }
        Ok(XlsxOut {
            book,
            row: 1,
            bold,
            yen: Format::new().set_num_format("#,##0"),
            ratio: Format::new().set_num_format("# ?/?"),
            date: Format::new().set_num_format("yyyy-mm-dd"),
        })
    }

    /// Writes rows below the previous ones.
    pub fn write_rows(&mut self, rows: Vec<Vec<XCell>>) -> std::io::Result<()> {
        let sheet = self.book.worksheet_from_index(0).map_err(io)?;
        for cells in rows {
            for (col, cell) in cells.into_iter().enumerate() {
                let col = u16::try_from(col).map_err(std::io::Error::other)?;
                let r = self.row;
                match cell {
                    XCell::Empty => Ok(()),
                    XCell::Text(s) if s.is_empty() => Ok(()),
                    XCell::Text(s) => sheet.write_string(r, col, s).map(drop),
                    XCell::Int(i) => sheet.write_number(r, col, i as f64).map(drop),
                    XCell::Yen(i) => sheet
                        .write_number_with_format(r, col, i as f64, &self.yen)
                        .map(drop),
                    XCell::Ratio(Some(d), _, _) => match d.parse::<f64>() {
                        Ok(x) => sheet
                            .write_number_with_format(r, col, x, &self.ratio)
                            .map(drop),
                        Err(_) => sheet.write_string(r, col, d).map(drop),
                    },
                    XCell::Ratio(None, n, d) => {
                        sheet.write_string(r, col, format!("{n}/{d}")).map(drop)
                    }
                    XCell::Decimal(d) => match d.parse::<f64>() {
                        Ok(x) => sheet.write_number(r, col, x).map(drop),
                        Err(_) => sheet.write_string(r, col, d).map(drop),
                    },
                    XCell::Date(d) => {
                        let date = u16::try_from(d.year()).ok().and_then(|y| {
                            ExcelDateTime::from_ymd(y, d.month() as u8, d.day() as u8).ok()
                        });
                        match date {
                            Some(x) => sheet
                                .write_datetime_with_format(r, col, &x, &self.date)
                                .map(drop),
                            None => sheet
                                .write_string(r, col, d.format("%Y-%m-%d").to_string())
                                .map(drop),
                        }
                    }
                    XCell::Bool(b) => sheet.write_boolean(r, col, b).map(drop),
                }
                .map_err(io)?;
            }
            self.row = self.row.saturating_add(1);
        }
        Ok(())
    }

    /// A second sheet with the summary's lines, each split at its first `: ` into a label and
    /// the rest.
    pub fn summary(&mut self, text: &str, lang: Lang) -> std::io::Result<()> {
        let sheet = self.book.add_worksheet();
        sheet
            .set_name(match lang {
                Lang::Ja => "集計",
                Lang::En => "summary",
            })
            .map_err(io)?;
        sheet.set_column_width(0, 28).map_err(io)?;
        sheet.set_column_width(1, 80).map_err(io)?;
        for (r, line) in text.lines().enumerate() {
            let r = u32::try_from(r).map_err(std::io::Error::other)?;
            let line = line.trim();
            match line.split_once(": ") {
                Some((label, rest)) => {
                    sheet.write_string(r, 0, label).map_err(io)?;
                    sheet.write_string(r, 1, rest).map_err(io)?;
                }
                None => {
                    sheet
                        .write_string_with_format(r, 0, line.trim_end_matches(':'), &self.bold)
                        .map_err(io)?;
                }
            }
        }
        Ok(())
    }

    pub fn save(mut self, path: &Path) -> std::io::Result<()> {
        self.book.save(path).map_err(io)
    }
}
