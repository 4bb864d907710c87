//! Spreadsheets read directly (`.xlsx`, `.xlsm`, `.xls`, `.ods`, with calamine): the first sheet,
//! or `--sheet <name>`; its first row names the inputs, each further row is a record, numbered by
//! its row in the sheet. Cells become the text the CSV reader takes: numbers as written (whole
//! numbers without a decimal point), dates as ISO dates, booleans as `true`/`false`, an error cell
//! as the spreadsheet shows it (`#N/A`: `onshi::facts::spreadsheet_error` for that cell).
//!
//! A workbook is a zip archive, and a few megabytes can inflate to gigabytes: before calamine
//! reads it, every member is inflated into nothing, counting, and a workbook that inflates past
//! `--max-workbook-bytes` is refused (`onshi::limit::workbook`). An `.xlsx`/`.xlsm` sheet is
//! then streamed cell by cell ([`Stream`]), a chunk of rows at a time, never as calamine's dense
//! range (which a sheet with cells in A1 and XFD1048576 would make 17 billion cells): memory stays
//! flat. `.xls` and `.ods` are read whole, after the same check.

use calamine::{open_workbook, open_workbook_auto, Data, Reader, Xlsx};
use onshi::{Code, Diagnostic, FactsError, Text};
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

/// What a workbook may inflate to by default: 256 MiB (a facility list of 200,000 rows and six
/// columns inflates to 70 MB).
pub const DEFAULT_MAX_BYTES: u64 = 256 << 20;

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

/// Why a workbook is not read.
pub enum SheetError {
    /// It cannot be opened or read (the message names the file).
    Unreadable(String),
    /// It inflates past the limit.
    TooLarge { file: String, limit: u64 },
}

impl SheetError {
    /// The diagnostic of a workbook that inflates past the limit.
    pub fn to_diagnostic(&self) -> Option<Diagnostic> {
        let SheetError::TooLarge { file, limit } = self else {
            return None;
        };
        let mib = limit / (1 << 20);
        let (ja, en) = if limit % (1 << 20) == 0 {
            (format!("{mib} MiB"), format!("{mib} MiB"))
        } else {
            (format!("{limit} バイト"), format!("{limit} bytes"))
        };
        Some(
            Diagnostic::new(
                Code::LIMIT_WORKBOOK,
                Text::new(
                    format!("{file}: ブックを展開すると上限の {ja} を超えます（--max-workbook-bytes）"),
                    format!("{file}: the workbook inflates past the limit of {en} (--max-workbook-bytes)"),
                ),
            )
            .with_help(Text::new(
                "中身が本当にこの大きさなら --max-workbook-bytes で上限を上げるか、CSV で保存して渡してください（CSV は読みながら評価します）。心当たりがなければ、このファイルは開かないでください",
                "if the data really is this large, raise the limit with --max-workbook-bytes or save the sheet as CSV (read as it is evaluated); if not, do not open this file",
            )),
        )
    }
}

impl std::fmt::Display for SheetError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SheetError::Unreadable(m) => f.write_str(m),
            SheetError::TooLarge { file, limit } => {
                write!(f, "{file}: inflates past {limit} bytes")
            }
        }
    }
}

/// A sheet to read: streamed (`.xlsx`, `.xlsm`) or read whole.
pub enum Sheet {
    Stream(Box<Stream>),
    Rows(Vec<Row>),
}

/// An `.xlsx` sheet read cell by cell.
pub struct Stream {
    book: Xlsx<BufReader<File>>,
    name: String,
    /// The header's row (0-based) and width (its last named column + 1).
    header_row: u32,
    width: usize,
}

/// Fails unless every member of the zip archive at `path` inflates, together, to at most
/// `limit` bytes. A file that is not a zip archive (`.xls`) passes: calamine reports it.
pub fn check_inflated(path: &Path, limit: u64) -> Result<(), SheetError> {
    let unreadable =
        |e: &dyn std::fmt::Display| SheetError::Unreadable(format!("{}: {e}", path.display()));
    let file = File::open(path).map_err(|e| unreadable(&e))?;
    let Ok(mut zip) = zip::ZipArchive::new(BufReader::new(file)) else {
        return Ok(());
    };
    let mut total: u64 = 0;
    for k in 0..zip.len() {
        let mut member = zip.by_index(k).map_err(|e| unreadable(&e))?;
        let left = limit.saturating_sub(total);
        let n = std::io::copy(
            &mut (&mut member).take(left.saturating_add(1)),
            &mut std::io::sink(),
        )
        .map_err(|e| unreadable(&e))?;
        total = total.saturating_add(n);
        if total > limit {
            return Err(SheetError::TooLarge {
                file: path.display().to_string(),
                limit,
            });
        }
    }
    Ok(())
}

/// The header and the rows of a sheet.
pub fn open(
    path: &Path,
    sheet: Option<&str>,
    limit: u64,
) -> Result<(Vec<String>, Sheet), SheetError> {
    check_inflated(path, limit)?;
    let streamed = path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm"));
    if streamed {
        return open_stream(path, sheet);
    }
    read_whole(path, sheet)
        .map(|(h, rows)| (h, Sheet::Rows(rows)))
        .map_err(SheetError::Unreadable)
}

fn sheet_name(names: &[String], sheet: Option<&str>, path: &Path) -> Result<String, SheetError> {
    match sheet {
        Some(name) if names.iter().any(|n| n == name) => Ok(name.to_string()),
        Some(name) => Err(SheetError::Unreadable(format!(
            "{}: sheet {name}: not found (sheets: {})",
            path.display(),
            names.join(", ")
        ))),
        None => names
            .first()
            .cloned()
            .ok_or_else(|| SheetError::Unreadable(format!("{}: no sheet", path.display()))),
    }
}

fn open_stream(path: &Path, sheet: Option<&str>) -> Result<(Vec<String>, Sheet), SheetError> {
    let unreadable =
        |e: &dyn std::fmt::Display| SheetError::Unreadable(format!("{}: {e}", path.display()));
    let mut book: Xlsx<BufReader<File>> = open_workbook(path).map_err(|e| unreadable(&e))?;
    let name = sheet_name(&book.sheet_names(), sheet, path)?;
    let mut header: Vec<String> = Vec::new();
    let mut header_row = None;
    {
        let mut cells = book
            .worksheet_cells_reader(&name)
            .map_err(|e| unreadable(&e))?;
        while let Some(cell) = cells.next_cell().map_err(|e| unreadable(&e))? {
            let (r, c) = cell.get_position();
            if header_row.is_some_and(|h| h != r) {
                break;
            }
            header_row = Some(r);
            let text = cell_text(&Data::from(cell.get_value().clone()));
            let c = c as usize;
            // A header wider than a sheet can be is not a header.
            if c >= (1 << 14) {
                break;
            }
            if c >= header.len() {
                header.resize(c, String::new());
                header.push(text.trim().to_string());
            }
        }
    }
    while header.last().is_some_and(String::is_empty) {
        header.pop();
    }
    let width = header.len();
    Ok((
        header,
        Sheet::Stream(Box::new(Stream {
            book,
            name,
            header_row: header_row.unwrap_or(0),
            width,
        })),
    ))
}

impl Stream {
    /// Reads the rows after the header, `chunk` at a time, handing each chunk to `send` (which
    /// says whether to go on). A sheet that cannot be read further ends with an error record.
    pub fn each(mut self, chunk: usize, mut send: impl FnMut(Vec<Row>) -> bool) {
        let width = self.width;
        let header_row = self.header_row;
        let mut rows: Vec<Row> = Vec::with_capacity(chunk);
        let mut current: Option<(u32, csv::StringRecord)> = None;
        let mut last_line = u64::from(header_row) + 1;
        let flush_row = |row: Option<(u32, csv::StringRecord)>, rows: &mut Vec<Row>| {
            if let Some((r, record)) = row {
                // Rows left empty in the sheet are not records.
                if !record.iter().all(str::is_empty) {
                    rows.push((u64::from(r) + 1, Ok(record)));
                }
            }
        };
        let mut cells = match self.book.worksheet_cells_reader(&self.name) {
            Ok(c) => c,
            Err(e) => {
                send(vec![(
                    last_line + 1,
                    Err(FactsError::Json {
                        message: e.to_string(),
                    }),
                )]);
                return;
            }
        };
        loop {
            let cell = match cells.next_cell() {
                Ok(Some(cell)) => cell,
                Ok(None) => break,
                Err(e) => {
                    flush_row(current.take(), &mut rows);
                    rows.push((
                        last_line + 1,
                        Err(FactsError::Json {
                            message: e.to_string(),
                        }),
                    ));
                    break;
                }
            };
            let (r, c) = cell.get_position();
            if r <= header_row {
                continue;
            }
            if current.as_ref().is_none_or(|(cr, _)| *cr != r) {
                flush_row(current.take(), &mut rows);
                if rows.len() >= chunk && !send(std::mem::take(&mut rows)) {
                    return;
                }
                last_line = u64::from(r) + 1;
                current = Some((r, csv::StringRecord::new()));
            }
            let c = c as usize;
            if let Some((_, record)) = current.as_mut() {
                // Cells beyond the header have no name; cells out of order are not read.
                if c < width && c >= record.len() {
                    for _ in record.len()..c {
                        record.push_field("");
                    }
                    record.push_field(&cell_text(&Data::from(cell.get_value().clone())));
                }
            }
        }
        flush_row(current.take(), &mut rows);
        if !rows.is_empty() {
            send(rows);
        }
    }
}

/// The header and the rows of an `.xls` or `.ods` sheet, read whole.
fn read_whole(path: &Path, sheet: Option<&str>) -> Result<(Vec<String>, Vec<Row>), String> {
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
            .map(|c| cell_text(c).trim().to_string())
            .collect(),
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
