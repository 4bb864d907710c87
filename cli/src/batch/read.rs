//! Reading records: the main thread splits the input into raw records (a JSONL line, a CSV row);
//! workers turn them into input values with the library's facts readers (JSON, and CSV cells by
//! the inputs' types: `onshi::facts::csv`).

use onshi::eval::Columns;
use onshi::facts::{CsvColumns, CsvReader};
use onshi::{FactsError, Program};
use std::io::{BufRead, BufReader, Read};

/// One input record as read: its line number and its text.
pub(super) struct Raw {
    pub line: u64,
    pub kind: RawKind,
}

pub(super) enum RawKind {
    Json(String),
    Csv(csv::StringRecord),
    /// The record could not be read at all.
    Broken(FactsError),
}

/// Reads raw records in chunks, from JSONL, CSV or a spreadsheet's rows. `lossy`: the text was
/// decoded from CP932 with U+FFFD for bytes that are not CP932 (CP932 has no U+FFFD, so a record
/// containing one was not readable).
pub(super) enum Records<R: Read> {
    Jsonl {
        lines: std::io::Lines<BufReader<R>>,
        line: u64,
        lossy: bool,
    },
    Csv {
        reader: csv::Reader<BufReader<R>>,
        line: u64,
        lossy: bool,
    },
    Sheet {
        rows: std::vec::IntoIter<super::sheet::Row>,
    },
}

/// The error of a record with bytes that are not CP932.
fn undecodable(lossy: bool, text: &str) -> Option<FactsError> {
    (lossy && text.contains('\u{FFFD}')).then(|| FactsError::Json {
        message: "CP932 (Shift_JIS) として読めないバイトがあります / bytes that are not CP932 (Shift_JIS)"
            .to_string(),
    })
}

impl<R: Read> Records<R> {
    /// A spreadsheet's rows (read whole by [`super::sheet::read`]).
    pub fn sheet(rows: Vec<super::sheet::Row>) -> Self {
        Records::Sheet {
            rows: rows.into_iter(),
        }
    }

    /// The reader and, for CSV, the header's columns.
    pub fn new(
        csv: bool,
        reader: BufReader<R>,
        lossy: bool,
    ) -> Result<(Self, Vec<String>), String> {
        if !csv {
            let lines = reader.lines();
            return Ok((
                Records::Jsonl {
                    lines,
                    line: 0,
                    lossy,
                },
                Vec::new(),
            ));
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header = reader
            .headers()
            .map_err(|e| format!("CSV header: {e}"))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok((
            Records::Csv {
                reader,
                line: 1,
                lossy,
            },
            header,
        ))
    }

    pub fn next_chunk(&mut self, n: usize) -> Vec<Raw> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self {
                Records::Jsonl { lines, line, lossy } => {
                    let Some(next) = lines.next() else { break };
                    *line += 1;
                    let kind = match next {
                        Ok(text) if text.trim().is_empty() => continue,
                        Ok(text) => match undecodable(*lossy, &text) {
                            Some(e) => RawKind::Broken(e),
                            None => RawKind::Json(text),
                        },
                        Err(e) => RawKind::Broken(FactsError::Json {
                            message: e.to_string(),
                        }),
                    };
                    out.push(Raw { line: *line, kind });
                }
                Records::Sheet { rows } => {
                    let Some((line, row)) = rows.next() else {
                        break;
                    };
                    let kind = match row {
                        Ok(row) => RawKind::Csv(row),
                        Err(e) => RawKind::Broken(e),
                    };
                    out.push(Raw { line, kind });
                }
                Records::Csv {
                    reader,
                    line,
                    lossy,
                } => {
                    let mut row = csv::StringRecord::new();
                    *line += 1;
                    let kind = match reader.read_record(&mut row) {
                        Ok(false) => break,
                        Ok(true) => match row.iter().find_map(|c| undecodable(*lossy, c)) {
                            Some(e) => RawKind::Broken(e),
                            None => RawKind::Csv(row),
                        },
                        Err(e) => RawKind::Broken(FactsError::Json {
                            message: format!("CSV: {e}"),
                        }),
                    };
                    out.push(Raw { line: *line, kind });
                }
            }
        }
        out
    }
}

/// Reads raw records into a chunk's input columns: JSONL lines through the JSON facts reader,
/// CSV rows through the library's CSV reader ([`onshi::facts::csv`]).
pub(super) struct Reader<'p> {
    program: &'p Program,
    csv: CsvReader<'p>,
}

impl<'p> Reader<'p> {
    pub fn new(program: &'p Program, columns: &'p CsvColumns) -> Self {
        Reader {
            program,
            csv: CsvReader::new(program, columns),
        }
    }

    /// Adds the record's input values to `columns`, or says why it has none.
    pub fn read(&mut self, raw: &Raw, columns: &mut Columns) -> Result<(), FactsError> {
        match &raw.kind {
            RawKind::Broken(e) => return Err(e.clone()),
            RawKind::Json(text) => columns.push(self.program.facts_from_str(text)?),
            RawKind::Csv(row) => columns.push(self.csv.read(row.iter())?),
        }
        Ok(())
    }
}
