//! Writing results as JSONL (`{"outputs": …}` or `{"error": …}` per line) or CSV (the output
//! columns, then `error_line`, `error_code`, `error_field`, `error_message`), with the JSON value
//! forms of `onshi eval --format json`. Workers format their records into bytes; the main thread
//! writes the parts in order.

use chrono::Datelike;
use onshi::{EvalError, Program, RunError, Type, Value};
use serde_json::{Map, Value as Json};
use std::fmt::Write as _;

const ERROR_COLUMNS: [&str; 4] = ["error_line", "error_code", "error_field", "error_message"];

/// The CSV header line.
pub(super) fn csv_header(program: &Program) -> std::io::Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut head: Vec<&str> = program.output_defs().map(|d| d.name.as_str()).collect();
    head.extend(ERROR_COLUMNS);
    w.write_record(&head)?;
    w.into_inner().map_err(|e| e.into_error())
}

/// Formats records into one buffer.
pub(super) enum Part<'p> {
    Jsonl(&'p Program, Vec<u8>),
    /// The writer and a buffer for one cell.
    Csv(&'p Program, Box<csv::Writer<Vec<u8>>>, String),
}

impl<'p> Part<'p> {
    pub fn new(program: &'p Program, csv: bool) -> Part<'p> {
        if csv {
            let w = csv::WriterBuilder::new().from_writer(Vec::new());
            Part::Csv(program, Box::new(w), String::new())
        } else {
            Part::Jsonl(program, Vec::new())
        }
    }

    /// A record's outputs (`value(o)` for output `o`); if one is an error after all, the error
    /// record instead. Returns whether the record succeeded.
    pub fn write_record(
        &mut self,
        line: u64,
        value: impl Fn(usize) -> Result<Value, EvalError>,
    ) -> std::io::Result<bool> {
        let p = self.program();
        let mut values = Vec::with_capacity(p.outputs.len());
        for o in 0..p.outputs.len() {
            match value(o) {
                Ok(v) => values.push(v),
                Err(e) => {
                    self.write_error(line, &RunError::Eval(e))?;
                    return Ok(false);
                }
            }
        }
        match self {
            Part::Csv(p, w, buf) => {
                for (d, v) in p.output_defs().zip(&values) {
                    buf.clear();
                    csv_text(p, v, &d.ty, buf);
                    w.write_field(buf.as_str())?;
                }
                for _ in ERROR_COLUMNS {
                    w.write_field("")?;
                }
                w.write_record(None::<&[u8]>)?;
            }
            Part::Jsonl(p, out) => {
                let mut outputs = Map::new();
                for (d, v) in p.output_defs().zip(&values) {
                    outputs.insert(d.name.clone(), p.value_to_json(v, &d.ty));
                }
                let mut m = Map::new();
                m.insert("outputs".into(), Json::Object(outputs));
                serde_json::to_writer(&mut *out, &Json::Object(m))?;
                out.push(b'\n');
            }
        }
        Ok(true)
    }

    /// The error record of a record that failed.
    pub fn write_error(&mut self, line: u64, e: &RunError) -> std::io::Result<()> {
        let (code, field, message) = describe(e);
        match self {
            Part::Csv(p, w, _) => {
                for _ in p.output_defs() {
                    w.write_field("")?;
                }
                for cell in [line.to_string(), code, field, message] {
                    w.write_field(cell)?;
                }
                w.write_record(None::<&[u8]>)?;
            }
            Part::Jsonl(_, out) => {
                let json = serde_json::json!({ "error": { "line": line, "code": code, "field": field, "message": message } });
                serde_json::to_writer(&mut *out, &json)?;
                out.push(b'\n');
            }
        }
        Ok(())
    }

    fn program(&self) -> &'p Program {
        match self {
            Part::Csv(p, _, _) | Part::Jsonl(p, _) => p,
        }
    }

    pub fn into_bytes(self) -> std::io::Result<Vec<u8>> {
        match self {
            Part::Jsonl(_, out) => Ok(out),
            Part::Csv(_, w, _) => w.into_inner().map_err(|e| e.into_error()),
        }
    }
}

/// A value as a CSV cell: its JSON form, strings unquoted, arrays joined with `;`. The common
/// types are written directly (the same text, without building JSON).
fn csv_text(p: &Program, v: &Value, ty: &Type, out: &mut String) {
    let _ = match (v, ty.strip_optional()) {
        (Value::Bool(b), _) => write!(out, "{b}"),
        (Value::Int(i), _) => write!(out, "{i}"),
        (Value::Money(n), _) if n.is_integer() && i64::try_from(n.numer()).is_ok() => {
            write!(out, "{}", i64::try_from(n.numer()).unwrap_or_default())
        }
        (Value::Ratio(n), _) => write!(out, "{}/{}", n.numer(), n.denom()),
        (Value::Date(d), _) => write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day()),
        (Value::Enum(i), Type::Enum(e)) => write!(out, "{}", p.variant_name(*e, *i)),
        (Value::Set(bits), Type::Set(e)) => write!(out, "{}", p.set_members(*e, *bits).join(";")),
        _ => write!(out, "{}", csv_cell(&p.value_to_json(v, ty))),
    };
}

fn csv_cell(j: &Json) -> String {
    match j {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

/// (code, field path, message) of a failed record.
fn describe(e: &RunError) -> (String, String, String) {
    let d = e.to_diagnostic();
    let field = match e {
        RunError::Facts(f) => f.path().to_string(),
        RunError::Eval(_) => String::new(),
    };
    (d.code.to_string(), field, d.message.ja.clone())
}
