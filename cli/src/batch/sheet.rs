//! Spreadsheets read directly (`.xlsx`, `.xlsm`, `.xls`, `.ods`, with calamine): the first sheet,
//! or `--sheet <name>`; its first row names the inputs, each further row is a record, numbered by
//! its row in the sheet. Cells become the text the CSV reader takes: numbers as written (whole
//! numbers without a decimal point), dates as ISO dates, booleans as `true`/`false`; a cell holding
//! an error (`#N/A`, `#DIV/0!`) makes its row an error record.

use calamine::{open_workbook_auto, Data, Reader};
use onshi::FactsError;
use std::path::Path;

/// Whether a path names a spreadsheet rather than CSV or JSONL.
pub fn is_sheet(p: &Path) -> bool {
    p.extension().and_then(|e| e.to_str()).is_some_and(|e| {
        matches!(
            e.to_ascii_lowercase().as_str(),
            "xlsx" | "xlsm" | "xls" | "ods"
        )
    })
}

/// One row: its number in the sheet (1-based), and its cells or why they cannot be read.
pub type Row = (u64, Result<csv::StringRecord, FactsError>);

/// The header and the rows of a sheet.
pub fn read(path: &Path, sheet: Option<&str>) -> Result<(Vec<String>, Vec<Row>), String> {
    let mut book = open_workbook_auto(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let range = match sheet {
        Some(name) => book.worksheet_range(name).map_err(|e| {
            format!(
                "{}: sheet {name}: {e} (sheets: {})",
                path.display(),
                book.sheet_names().join(", ")
            )
        })?,
        None => match book.worksheet_range_at(0) {
            Some(r) => r.map_err(|e| format!("{}: {e}", path.display()))?,
            None => return Err(format!("{}: no sheet", path.display())),
        },
    };
    let first_row = u64::from(range.start().map_or(0, |(r, _)| r)) + 1;
    let mut rows = range.rows();
    let header: Vec<String> = match rows.next() {
        Some(cells) => cells
            .iter()
            .map(|c| cell_text(c).unwrap_or_default().trim().to_string())
            .collect(),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (k, cells) in rows.enumerate() {
        let line = first_row + 1 + k as u64;
        let mut record = csv::StringRecord::new();
        let mut broken = None;
        for (col, cell) in cells.iter().enumerate() {
            match cell_text(cell) {
                Ok(text) => record.push_field(&text),
                Err(e) => {
                    let name = header.get(col).map_or("?", String::as_str);
                    broken.get_or_insert(FactsError::Json {
                        message: format!("{}: {name}: {e}", cell_name(line, col)),
                    });
                    record.push_field("");
                }
            }
        }
        // Rows left empty in the sheet are not records.
        if broken.is_none() && record.iter().all(str::is_empty) {
            continue;
        }
        out.push((line, broken.map_or(Ok(record), Err)));
    }
    Ok((header, out))
}

/// `C7`: a cell's name from its row (1-based) and column (0-based).
fn cell_name(row: u64, col: usize) -> String {
    let mut letters = Vec::new();
    let mut n = col + 1;
    while n > 0 {
        let d = (n - 1) % 26;
        letters.push(char::from(b'A' + d as u8));
        n = (n - 1) / 26;
    }
    letters.reverse();
    format!("{}{row}", letters.into_iter().collect::<String>())
}

/// The text of a cell, or the error it holds.
fn cell_text(cell: &Data) -> Result<String, String> {
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // A whole number (as amounts and counts are) without a decimal point; other numbers in
        // their shortest exact decimal form, which the CSV reader parses exactly.
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
        Data::Float(f) => format!("{f}"),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => match d.as_datetime() {
            Some(dt) => dt.date().format("%Y-%m-%d").to_string(),
            None => format!("{}", d.as_f64()),
        },
        Data::DateTimeIso(s) => s
            .get(..10)
            .filter(|_| s.len() > 10)
            .unwrap_or(s)
            .to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(format!("#{e:?} ({e})")),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(cell_name(7, 2), "C7");
        assert_eq!(cell_name(1, 26), "AA1");
        assert_eq!(cell_text(&Data::Float(411000.0)).unwrap(), "411000");
        assert_eq!(cell_text(&Data::Float(0.75)).unwrap(), "0.75");
        assert_eq!(cell_text(&Data::Bool(true)).unwrap(), "true");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-10-01T00:00:00".into())).unwrap(),
            "2025-10-01"
        );
        assert!(cell_text(&Data::Error(calamine::CellErrorType::NA)).is_err());
    }
}
