//! The reading thread's whole work for JSONL and CSV: cutting the (decoded) input into blocks of
//! whole records, and counting what the workers need to number them. Workers parse the blocks
//! ([`super::split`]).
//!
//! A CSV block without a `"` ends after its last `\n`, and its records are the runs of bytes
//! between `\r`/`\n` (what the csv crate reads there). A block with a `"` is cut where the csv
//! crate's own reader ends a record, so a quoted newline never splits a record.

use std::io::Read;

/// Bytes read at a time (whole records: the cut waits for a record's end).
const BLOCK_BYTES: usize = 1 << 20;

/// Where a block starts in the input, as the csv crate counts: the byte, the line (1 + newlines
/// before it) and the record (the header is record 0). JSONL uses `line - 1` (lines before).
#[derive(Clone, Copy, Debug)]
pub(super) struct Start {
    pub byte: u64,
    pub line: u64,
    pub record: u64,
}

/// Whole records of the input.
pub(super) struct Block {
    pub bytes: Vec<u8>,
    pub start: Start,
    /// CSV: the block has a `"` (the workers read it with the csv crate).
    pub quoted: bool,
    /// The input could not be read after this block's records.
    pub error: Option<std::io::Error>,
}

pub(super) struct Cutter<R> {
    input: R,
    csv: bool,
    buf: Vec<u8>,
    eof: bool,
    next: Start,
}

impl<R: Read> Cutter<R> {
    fn new(input: R, csv: bool) -> Self {
        Cutter {
            input,
            csv,
            buf: Vec::new(),
            eof: false,
            next: Start {
                byte: 0,
                line: 1,
                record: 0,
            },
        }
    }

    /// A JSONL cutter.
    pub fn jsonl(input: R) -> Self {
        Cutter::new(input, false)
    }

    /// A CSV cutter and the header's names (trimmed), read with the csv crate.
    pub fn csv(input: R) -> Result<(Self, Vec<String>), String> {
        let mut cut = Cutter::new(input, true);
        let mut want = BLOCK_BYTES;
        loop {
            cut.fill(want)
                .map_err(|e| format!("CSV header: {}", csv::Error::from(e)))?;
            let mut reader = csv::ReaderBuilder::new()
                .flexible(true)
                .from_reader(cut.buf.as_slice());
            let header: Vec<String> = reader
                .headers()
                .map_err(|e| format!("CSV header: {e}"))?
                .iter()
                .map(|h| h.trim().to_string())
                .collect();
            let pos = reader.position().clone();
            let end = usize::try_from(pos.byte()).unwrap_or(usize::MAX);
            if end < cut.buf.len() || cut.eof {
                cut.buf.drain(..end.min(cut.buf.len()));
                cut.next = Start {
                    byte: pos.byte(),
                    line: pos.line(),
                    record: pos.record(),
                };
                return Ok((cut, header));
            }
            want = cut.buf.len() * 2;
        }
    }

    /// Reads until `buf` has `want` bytes or the input ends.
    fn fill(&mut self, want: usize) -> std::io::Result<()> {
        while self.buf.len() < want && !self.eof {
            let room = (want - self.buf.len()) as u64;
            match (&mut self.input).take(room).read_to_end(&mut self.buf) {
                Ok(got) => self.eof = got == 0,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    self.eof = true;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// The next block, or None at the end of the input.
    pub fn next_block(&mut self) -> Option<Block> {
        let mut want = BLOCK_BYTES;
        loop {
            let error = self.fill(want).err();
            if self.buf.is_empty() && error.is_none() && self.eof {
                return None;
            }
            let quoted = self.csv && memchr::memchr(b'"', &self.buf).is_some();
            let cut = if error.is_some() || (self.eof && !quoted) {
                Some(self.buf.len())
            } else if quoted {
                self.quoted_cut()
            } else {
                memchr::memrchr(b'\n', &self.buf).map(|p| p + 1)
            };
            let Some(end) = cut else {
                want = self.buf.len() * 2;
                continue;
            };
            let rest = self.buf.split_off(end.min(self.buf.len()));
            let bytes = std::mem::replace(&mut self.buf, rest);
            let start = self.next;
            let newlines = memchr::memchr_iter(b'\n', &bytes).count() as u64;
            let records = if !self.csv {
                0
            } else if quoted {
                csv_records(&bytes)
            } else {
                plain_records(&bytes)
            };
            self.next = Start {
                byte: start.byte + bytes.len() as u64,
                line: start.line + newlines,
                record: start.record + records,
            };
            if error.is_some() {
                self.eof = true;
            }
            return Some(Block {
                bytes,
                start,
                quoted,
                error,
            });
        }
    }

    /// Where the last record the csv crate reads whole in `buf` ends (the one the end of `buf`
    /// cuts is left for the next block), or None if there is none yet.
    fn quoted_cut(&self) -> Option<usize> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(self.buf.as_slice());
        let mut record = csv::ByteRecord::new();
        let (mut last, mut before) = (None, None);
        while let Ok(true) = reader.read_byte_record(&mut record) {
            before = last;
            last = usize::try_from(reader.position().byte()).ok();
        }
        if self.eof {
            Some(self.buf.len())
        } else {
            before
        }
    }
}

/// The records of a block without quotes: runs of bytes between `\r` and `\n`.
fn plain_records(bytes: &[u8]) -> u64 {
    let (mut n, mut from) = (0, 0);
    for p in memchr::memchr2_iter(b'\r', b'\n', bytes) {
        if p > from {
            n += 1;
        }
        from = p + 1;
    }
    if from < bytes.len() {
        n += 1;
    }
    n
}

/// The records the csv crate reads in a block.
fn csv_records(bytes: &[u8]) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut record = csv::ByteRecord::new();
    let mut n = 0;
    while let Ok(true) = reader.read_byte_record(&mut record) {
        n += 1;
    }
    n
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_without_quotes_are_runs_between_line_ends() {
        assert_eq!(plain_records(b"a,b\n\nc\r\nd\re"), 4);
        assert_eq!(
            plain_records(b"a,b\n\nc\r\nd\re"),
            csv_records(b"a,b\n\nc\r\nd\re")
        );
        assert_eq!(csv_records(b"a,\"b\nc\"\nd\n"), 2);
    }

    #[test]
    fn a_quoted_newline_is_never_cut() {
        let mut text = b"x,y\n".to_vec();
        for i in 0..100_000 {
            text.extend_from_slice(format!("{i},\"two\nlines\"\n").as_bytes());
        }
        let (mut cut, header) = Cutter::csv(text.as_slice()).unwrap();
        assert_eq!(header, ["x", "y"]);
        let (mut records, mut bytes) = (0, 4);
        while let Some(block) = cut.next_block() {
            assert_eq!(block.start.record, records + 1);
            assert_eq!(block.start.byte, bytes);
            assert!(block.bytes.starts_with(records.to_string().as_bytes()));
            records += csv_records(&block.bytes);
            bytes += block.bytes.len() as u64;
        }
        assert_eq!(records, 100_000);
    }
}
