//! Writing results as JSONL (`{"outputs": …}` or `{"error": …}` per line) or CSV (the output
//! columns, then `error_line`, `error_code`, `error_field`, `error_message`), with the JSON value
//! forms of `onshi eval --format json` (both forms come from `onshi::value::format`), error
//! messages in the language of `--lang`. Workers format their records into bytes; the main thread
//! writes the parts in order.

use super::encoding::{cp932_check, cp932_safe, encode, OutputEncoding};
use onshi::{EvalError, Lang, Program, RunError, Value};
use serde::Serialize;

/// The error record's code for a value the output encoding cannot represent.
pub(super) const UNREPRESENTABLE: &str = "batch::unrepresentable";

const ERROR_COLUMNS: [&str; 4] = ["error_line", "error_code", "error_field", "error_message"];

/// A JSONL error record: `{"error": {"line", "code", "field", "message"}}`.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    line: u64,
    code: &'a str,
    field: &'a str,
    message: &'a str,
}

/// The CSV header line.
pub(super) fn csv_header(program: &Program) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<&str> = program.output_defs().map(|d| d.name.as_str()).collect();
    head.extend(ERROR_COLUMNS);
    w.write_record(&head)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// Formats records into one buffer.
pub(super) struct Part<'p> {
    program: &'p Program,
    /// The language of error messages.
    lang: Lang,
    /// Written as CP932: values it cannot represent make error records.
    cp932: bool,
    sink: Sink,
    /// JSONL: each output's `"name":`.
    keys: Vec<Vec<u8>>,
    /// One record's values (reused).
    values: Vec<Value>,
}

enum Sink {
    Jsonl(Vec<u8>),
    /// The bytes and a buffer for one cell.
    Csv(Vec<u8>, String),
}

/// One CSV field as the csv crate writes it (`QuoteStyle::Necessary`): quoted, with `"`
/// doubled, when it has a `,`, `"`, `\r` or `\n`; `first` leaves out the `,` before it.
fn csv_field(out: &mut Vec<u8>, first: bool, field: &str) {
    if !first {
        out.push(b',');
    }
    if !field
        .bytes()
        .any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n'))
    {
        out.extend_from_slice(field.as_bytes());
        return;
    }
    out.push(b'"');
    for (k, part) in field.split('"').enumerate() {
        if k > 0 {
            out.extend_from_slice(b"\"\"");
        }
        out.extend_from_slice(part.as_bytes());
    }
    out.push(b'"');
}

/// A JSON string as serde_json writes it.
fn json_str(out: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return serde_json::to_writer(&mut *out, s).map_err(std::io::Error::other);
    }
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

impl<'p> Part<'p> {
    pub fn new(program: &'p Program, csv: bool, lang: Lang, cp932: bool) -> Part<'p> {
        let sink = if csv {
            Sink::Csv(Vec::new(), String::new())
        } else {
            Sink::Jsonl(Vec::new())
        };
        let keys = program
            .output_defs()
            .map(|d| {
                let mut key = Vec::new();
                if json_str(&mut key, &d.name).is_err() {
                    key.clear();
                    key.extend_from_slice(b"\"\"");
                }
                key.push(b':');
                key
            })
            .collect();
        Part {
            program,
            lang,
            cp932,
            sink,
            keys,
            values: Vec::new(),
        }
    }

    /// A record's outputs (`value(o)` for output `o`); if one is an error after all, the error
    /// record instead. Returns whether the record succeeded.
    pub fn write_record(
        &mut self,
        line: u64,
        value: impl Fn(usize) -> Result<Value, EvalError>,
    ) -> std::io::Result<bool> {
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let written = self.write_values(line, value, &mut values);
        self.values = values;
        written
    }

    /// [`Part::write_record`] with a buffer for the values.
    fn write_values(
        &mut self,
        line: u64,
        value: impl Fn(usize) -> Result<Value, EvalError>,
        values: &mut Vec<Value>,
    ) -> std::io::Result<bool> {
        let p = self.program;
        for o in 0..p.outputs().len() {
            match value(o) {
                Ok(v) => values.push(v),
                Err(e) => {
                    self.write_error(line, &RunError::Eval(e))?;
                    return Ok(false);
                }
            }
        }
        if self.cp932 {
            if let Some((name, c)) = self.unrepresentable(values) {
                let code = format!("U+{:04X}", c as u32);
                let message = match self.lang {
                    Lang::Ja => format!("出力 `{name}` の値に CP932 (Shift_JIS) で書けない文字 {code} があります。--output-encoding utf-8-bom で書いてください"),
                    Lang::En => format!("the value of output `{name}` has a character CP932 (Shift_JIS) cannot represent, {code}; write with --output-encoding utf-8-bom"),
                };
                self.write_fields(line, UNREPRESENTABLE, &cp932_safe(&name), &message)?;
                return Ok(false);
            }
        }
        match &mut self.sink {
            Sink::Csv(out, buf) => {
                let mut first = true;
                for (d, v) in p.output_defs().zip(values.iter()) {
                    buf.clear();
                    p.write_csv_cell(v, &d.ty, buf);
                    csv_field(out, first, buf);
                    first = false;
                }
                for _ in ERROR_COLUMNS {
                    csv_field(out, first, "");
                    first = false;
                }
                out.push(b'\n');
            }
            Sink::Jsonl(out) => {
                // `{"outputs": {name: value, …}}` as serde_json writes an `Evaluation`.
                out.extend_from_slice(b"{\"outputs\":{");
                let defs = p.output_defs().zip(&self.keys).zip(values.iter());
                for (k, ((d, key), v)) in defs.enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    out.extend_from_slice(key);
                    p.write_json(v, &d.ty, out)?;
                }
                out.extend_from_slice(b"}}\n");
            }
        }
        Ok(true)
    }

    /// The first output whose value CP932 cannot represent, and the character.
    fn unrepresentable(&self, values: &[Value]) -> Option<(String, char)> {
        let mut cell = String::new();
        for (d, v) in self.program.output_defs().zip(values) {
            cell.clear();
            self.program.write_csv_cell(v, &d.ty, &mut cell);
            if let Err(c) = cp932_check(&cell) {
                return Some((d.name.clone(), c));
            }
        }
        None
    }

    /// The error record of a record that failed.
    pub fn write_error(&mut self, line: u64, e: &RunError) -> std::io::Result<()> {
        let (code, field, message) = describe(e, self.lang);
        if self.cp932 {
            // The record's own text (a field name, a quoted value) may not be CP932 either.
            return self.write_fields(line, &code, &cp932_safe(&field), &cp932_safe(&message));
        }
        self.write_fields(line, &code, &field, &message)
    }

    fn write_fields(
        &mut self,
        line: u64,
        code: &str,
        field: &str,
        message: &str,
    ) -> std::io::Result<()> {
        match &mut self.sink {
            Sink::Csv(out, _) => {
                let mut first = true;
                for _ in self.program.output_defs() {
                    csv_field(out, first, "");
                    first = false;
                }
                for cell in [&line.to_string(), code, field, message] {
                    csv_field(out, first, cell);
                    first = false;
                }
                out.push(b'\n');
            }
            Sink::Jsonl(out) => {
                let record = ErrorRecord {
                    error: ErrorFields {
                        line,
                        code,
                        field,
                        message,
                    },
                };
                serde_json::to_writer(&mut *out, &record)?;
                out.push(b'\n');
            }
        }
        Ok(())
    }

    /// The bytes written since the last call (in the output encoding).
    pub fn take_bytes(&mut self) -> std::io::Result<Vec<u8>> {
        let bytes = match &mut self.sink {
            Sink::Jsonl(out) | Sink::Csv(out, _) => std::mem::take(out),
        };
        if self.cp932 {
            encode(bytes, OutputEncoding::Cp932)
        } else {
            Ok(bytes)
        }
    }
}

/// (code, field path, message in `lang`) of a failed record.
fn describe(e: &RunError, lang: Lang) -> (String, String, String) {
    let d = e.to_diagnostic();
    let field = match e {
        RunError::Facts(f) => f.path().to_string(),
        RunError::Eval(_) => String::new(),
    };
    (d.code.to_string(), field, d.message.get(lang).to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    /// Fields are written as the csv crate writes them.
    #[test]
    fn csv_fields_as_the_csv_crate_writes_them() {
        let fields = [
            "",
            "a",
            "1/2",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "cr\r",
            "髙橋",
            "\"",
        ];
        let mut w = csv::Writer::from_writer(Vec::new());
        w.write_record(fields).unwrap();
        let want = w.into_inner().unwrap();
        let mut out = Vec::new();
        for (k, f) in fields.iter().enumerate() {
            super::csv_field(&mut out, k == 0, f);
        }
        out.push(b'\n');
        assert_eq!(String::from_utf8(out), String::from_utf8(want));
    }
}
