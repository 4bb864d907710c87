//! A worker's first step: a block's records with the line numbers `onshi batch` gives them, as
//! the line-by-line reading did — JSONL by physical line (`BufRead::lines`: `\n` or `\r\n`, blank
//! lines skipped but counted), CSV by record (the header is line 1, each record the next line
//! number). A CSV block without quotes is split on `\r`/`\n` and `,` (what the csv crate reads
//! there); one with quotes or bytes that are not UTF-8 is read by the csv crate itself, placed at
//! the block's position so that its error messages name the same record, line and byte.

use super::cut::Block;
use onshi::FactsError;

/// One record of a block.
pub(super) enum Rec<'a> {
    Json(&'a str),
    /// A CSV line without quotes: its cells are split on `,`.
    Line(&'a str),
    Row(&'a csv::StringRecord),
    Broken(FactsError),
}

/// The runs of text between `\r` and `\n` (some empty).
struct Records<'a>(&'a str);

impl<'a> Iterator for Records<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if self.0.is_empty() {
            return None;
        }
        let text = self.0;
        let (record, rest) = match memchr::memchr2(b'\r', b'\n', text.as_bytes()) {
            Some(p) => (text.get(..p), text.get(p + 1..)),
            None => (Some(text), Some("")),
        };
        self.0 = rest.unwrap_or_default();
        record
    }
}

/// The cells of a CSV line without quotes (between `,`).
#[derive(Clone)]
pub(super) struct Cells<'a>(Option<&'a str>);

impl<'a> Cells<'a> {
    pub fn new(line: &'a str) -> Self {
        Cells(Some(line))
    }
}

impl<'a> Iterator for Cells<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let line = self.0?;
        match line.bytes().position(|b| b == b',') {
            Some(p) => {
                self.0 = line.get(p + 1..);
                line.get(..p)
            }
            None => {
                self.0 = None;
                Some(line)
            }
        }
    }
}

/// The error of a record with bytes that are not CP932 (decoded as U+FFFD).
fn undecodable() -> FactsError {
    FactsError::Json {
        message: "CP932 (Shift_JIS) として読めないバイトがあります / bytes that are not CP932 (Shift_JIS)"
            .to_string(),
    }
}

/// Calls `f(line, record)` for every record of `block`, in order.
pub(super) fn each<E>(
    block: &Block,
    csv: bool,
    lossy: bool,
    mut f: impl FnMut(u64, Rec<'_>) -> Result<(), E>,
) -> Result<(), E> {
    let last = if csv {
        csv_records(block, lossy, &mut f)?
    } else {
        json_lines(block, lossy, &mut f)?
    };
    if let Some(e) = &block.error {
        let message = if csv {
            format!(
                "CSV: {}",
                csv::Error::from(std::io::Error::new(e.kind(), e.to_string()))
            )
        } else {
            e.to_string()
        };
        f(last + 1, Rec::Broken(FactsError::Json { message }))?;
    }
    Ok(())
}

/// JSONL lines; returns the last line number.
fn json_lines<E>(
    block: &Block,
    lossy: bool,
    f: &mut impl FnMut(u64, Rec<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    let mut line = block.start.line - 1;
    match std::str::from_utf8(&block.bytes) {
        Ok(text) => {
            for piece in text.split_inclusive('\n') {
                line += 1;
                json_line(f, lossy, line, piece)?;
            }
        }
        Err(_) => {
            for piece in block.bytes.split_inclusive(|&b| b == b'\n') {
                line += 1;
                match std::str::from_utf8(piece) {
                    Ok(text) => json_line(f, lossy, line, text)?,
                    Err(_) => {
                        // The error `BufRead::lines` gives for this line.
                        let (mut bytes, mut s) = (piece, String::new());
                        let message = match std::io::BufRead::read_line(&mut bytes, &mut s) {
                            Err(e) => e.to_string(),
                            Ok(_) => String::new(),
                        };
                        f(line, Rec::Broken(FactsError::Json { message }))?;
                    }
                }
            }
        }
    }
    Ok(line)
}

/// One JSONL line (with its `\n`, if it has one).
fn json_line<E>(
    f: &mut impl FnMut(u64, Rec<'_>) -> Result<(), E>,
    lossy: bool,
    line: u64,
    text: &str,
) -> Result<(), E> {
    let text = match text.strip_suffix('\n') {
        Some(t) => t.strip_suffix('\r').unwrap_or(t),
        None => text,
    };
    if text.trim().is_empty() {
        return Ok(());
    }
    if lossy && text.contains('\u{FFFD}') {
        return f(line, Rec::Broken(undecodable()));
    }
    f(line, Rec::Json(text))
}

/// CSV records; returns the last line number.
fn csv_records<E>(
    block: &Block,
    lossy: bool,
    f: &mut impl FnMut(u64, Rec<'_>) -> Result<(), E>,
) -> Result<u64, E> {
    let mut line = block.start.record;
    if !block.quoted {
        if let Ok(text) = std::str::from_utf8(&block.bytes) {
            for record in Records(text).filter(|r| !r.is_empty()) {
                line += 1;
                if lossy && record.contains('\u{FFFD}') {
                    f(line, Rec::Broken(undecodable()))?;
                } else {
                    f(line, Rec::Line(record))?;
                }
            }
            return Ok(line);
        }
    }
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::Cursor::new(block.bytes.as_slice()));
    let mut pos = csv::Position::new();
    pos.set_byte(block.start.byte)
        .set_line(block.start.line)
        .set_record(block.start.record);
    if let Err(e) = reader.seek_raw(std::io::SeekFrom::Start(0), pos) {
        line += 1;
        f(
            line,
            Rec::Broken(FactsError::Json {
                message: format!("CSV: {e}"),
            }),
        )?;
        return Ok(line);
    }
    let mut row = csv::StringRecord::new();
    loop {
        line += 1;
        match reader.read_record(&mut row) {
            Ok(false) => return Ok(line - 1),
            Ok(true) if lossy && row.iter().any(|c| c.contains('\u{FFFD}')) => {
                f(line, Rec::Broken(undecodable()))?
            }
            Ok(true) => f(line, Rec::Row(&row))?,
            Err(e) => f(
                line,
                Rec::Broken(FactsError::Json {
                    message: format!("CSV: {e}"),
                }),
            )?,
        }
    }
}
