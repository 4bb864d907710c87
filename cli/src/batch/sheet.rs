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
        Some(cells) => cells.iter().map(|c| cell_text(c).trim().to_string()).collect(),
        None => Vec::new(),
    };
    let mut out = Vec::new();
    for (k, cells) in rows.enumerate() {
        let line = first_row + 1 + k as u64;
        let mut record = csv::StringRecord::new();
        for cell in cells.iter() {
            record.push_field(&cell_text(cell));
        }
        // Rows left empty in the sheet are not records.
        if record.iter().all(str::is_empty) {
            continue;
        }
        out.push((line, Ok(record)));
    }
    Ok((header, out))
}

/// The text of a cell; an error cell as the spreadsheet shows it (`#N/A`), which the facts
/// readers report as `onshi::facts::spreadsheet_error` with the cell's name.
fn cell_text(cell: &Data) -> String {
    match cell {
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
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn cells() {
        assert_eq!(cell_text(&Data::Float(411000.0)), "411000");
        assert_eq!(cell_text(&Data::Float(0.75)), "0.75");
        assert_eq!(cell_text(&Data::Bool(true)), "true");
        assert_eq!(
            cell_text(&Data::DateTimeIso("2025-10-01T00:00:00".into())),
            "2025-10-01"
        );
        assert_eq!(cell_text(&Data::Error(calamine::CellErrorType::NA)), "#N/A");
    }
}
