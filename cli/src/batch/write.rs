//! Writing results as JSONL (`{"outputs": …}` or `{"error": …}` per line), CSV (the carried
//! columns, the output columns, then `error_line`, `error_code`, `error_field`,
//! `error_message`, `error_cell`, `error_help`) or workbook rows ([`super::xlsx`]), with the
//! value forms of `onshi eval --format json` (from `onshi::value::format`) except where a
//! spreadsheet would change them ([`csv_value`]), error messages in the language of `--lang`.
//! Workers format their records; the main thread writes the parts in order.

use super::encoding::{cp932_check, cp932_safe, encode, OutputEncoding};
use super::xlsx::XCell;
use onshi::types::Type;
use onshi::{EvalError, Lang, Program, Value};
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// The error record's code for a value the output encoding cannot represent.
pub(super) const UNREPRESENTABLE: &str = "batch::unrepresentable";

pub(super) const ERROR_COLUMNS: [&str; 6] = [
    "error_line",
    "error_code",
    "error_field",
    "error_message",
    "error_cell",
    "error_help",
];

/// One thing wrong with a record, worded: several when a row has several bad cells.
#[derive(Clone, Debug, Serialize)]
pub(super) struct Failure {
    pub code: String,
    /// The field's JSON path (`$.申請日`), empty for the whole record.
    pub field: String,
    /// The spreadsheet cell (`E5`), when the record is a row of a CSV file or a sheet.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub cell: String,
    pub message: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub help: String,
}

/// The cells carried from the input into a record's results.
#[derive(Default)]
pub(super) enum Carried {
    #[default]
    None,
    /// The carried columns' cells of a CSV or sheet row, in column order.
    Cells(Vec<String>),
    /// The carried fields of a JSONL record.
    Json(Map<String, Json>),
}

/// A JSONL error record: `{"error": {"line", "code", "field", "message", "help", "errors"}}`.
#[derive(Serialize)]
struct ErrorRecord<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    carried: Option<Json>,
    error: ErrorFields<'a>,
}

#[derive(Serialize)]
struct ErrorFields<'a> {
    line: u64,
    code: &'a str,
    field: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    cell: &'a str,
    message: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    help: &'a str,
    /// Every failure of the record (the fields above are the first's), when it has several.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<&'a [Failure]>,
}

/// The header of the results: the carried columns, the outputs, the error columns.
pub(super) fn header<'a>(program: &'a Program, carried: &'a [String]) -> Vec<&'a str> {
    let mut head: Vec<&str> = carried.iter().map(String::as_str).collect();
    head.extend(program.output_defs().map(|d| d.name.as_str()));
    head.extend(ERROR_COLUMNS);
    head
}

/// The CSV header line.
pub(super) fn csv_header(program: &Program, carried: &[String]) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    for (k, name) in header(program, carried).into_iter().enumerate() {
        csv_field(&mut out, k == 0, &neutralised(name));
    }
    out.push(b'\n');
    Ok(out)
}

/// Where a worker's records go.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Target {
    Jsonl,
    Csv,
    Xlsx,
}

/// Formats records into one buffer.
pub(super) struct Part<'p> {
    program: &'p Program,
    /// The language of error messages.
    lang: Lang,
    /// Written as CP932: values it cannot represent make error records.
    cp932: bool,
    target: Target,
    /// The carried columns' names (CSV and sheet input).
    carried: &'p [String],
    /// JSONL or CSV bytes.
    out: Vec<u8>,
    /// One cell's text (reused).
    buf: String,
    /// Workbook rows.
    rows: Vec<Vec<XCell>>,
    /// JSONL: each output's `"name":`.
    keys: Vec<Vec<u8>>,
    /// One record's values (reused).
    values: Vec<Value>,
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

/// Text that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` first, or a tab or
/// carriage return, as OWASP lists for CSV injection) with a `'` before it, so that it stays
/// text; other text as it is.
pub(super) fn neutralised(text: &str) -> std::borrow::Cow<'_, str> {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        std::borrow::Cow::Owned(format!("'{text}"))
    } else {
        std::borrow::Cow::Borrowed(text)
    }
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

/// The exact decimal digits of `n / d` when the denominator has no prime factor but 2 and 5
/// (`1/2` → `0.5`, `3/4` → `0.75`), else None.
pub(super) fn terminating_decimal(n: i128, d: i128) -> Option<String> {
    if d <= 0 {
        return None;
    }
    let (mut twos, mut fives, mut rest) = (0u32, 0u32, d);
    while rest % 2 == 0 {
        rest /= 2;
        twos += 1;
    }
    while rest % 5 == 0 {
        rest /= 5;
        fives += 1;
    }
    if rest != 1 {
        return None;
    }
    let scale = twos.max(fives);
    let factor = 10i128.checked_pow(scale)?.checked_div(d)?;
    let scaled = n.checked_mul(factor)?;
    let digits = scaled.unsigned_abs().to_string();
    let sign = if scaled < 0 { "-" } else { "" };
    let scale = scale as usize;
    if scale == 0 {
        return Some(format!("{sign}{digits}"));
    }
    let padded = format!("{digits:0>width$}", width = scale + 1);
    let (int, frac) = padded.split_at(padded.len() - scale);
    Some(format!("{sign}{int}.{frac}"))
}

/// A value as a CSV cell that a spreadsheet keeps as it is: the cell of `onshi::value::format`,
/// except ratios, which a spreadsheet reads as dates (`1/2` is 2 January in Japanese Excel and
/// LibreOffice), written as exact decimals (`0.5`) or, when they have none, as `1 / 3` (text);
/// truth values as `TRUE`/`FALSE`, as spreadsheets write them; text neutralised against
/// formulas ([`neutralised`]).
pub(super) fn csv_value(program: &Program, v: &Value, ty: &Type, out: &mut String) {
    match (v, ty.strip_optional()) {
        (Value::Ratio(n), _) => match terminating_decimal(n.numer(), n.denom()) {
            Some(text) => out.push_str(&text),
            None => out.push_str(&format!("{} / {}", n.numer(), n.denom())),
        },
        (Value::Bool(b), _) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        (Value::Text(_), _) => {
            let mut text = String::new();
            program.write_csv_cell(v, ty, &mut text);
            out.push_str(&neutralised(&text));
        }
        _ => program.write_csv_cell(v, ty, out),
    }
}

impl<'p> Part<'p> {
    pub fn new(
        program: &'p Program,
        target: Target,
        carried: &'p [String],
        lang: Lang,
        cp932: bool,
    ) -> Part<'p> {
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
            target,
            carried,
            out: Vec::new(),
            buf: String::new(),
            rows: Vec::new(),
            keys,
            values: Vec::new(),
        }
    }

    /// A record's outputs (`value(o)` for output `o`); if one is an error after all, the error
    /// record instead. Returns whether the record succeeded.
    pub fn write_record(
        &mut self,
        line: u64,
        carried: &Carried,
        value: impl Fn(usize) -> Result<Value, EvalError>,
    ) -> std::io::Result<bool> {
        let mut values = std::mem::take(&mut self.values);
        values.clear();
        let written = self.write_values(line, carried, value, &mut values);
        self.values = values;
        written
    }

    /// The carried cells as JSON (JSONL output), if there are any.
    fn carried_json(&self, carried: &Carried) -> Option<Json> {
        match carried {
            Carried::None => None,
            Carried::Json(map) if map.is_empty() => None,
            Carried::Json(map) => Some(Json::Object(map.clone())),
            Carried::Cells(cells) => Some(Json::Object(
                self.carried
                    .iter()
                    .zip(cells)
                    .map(|(k, v)| (k.clone(), Json::String(v.clone())))
                    .collect(),
            )),
        }
    }

    /// The carried cells of a CSV or workbook row (empty ones when the record has none).
    fn carried_cells<'c>(&self, carried: &'c Carried) -> impl Iterator<Item = &'c str> + 'c {
        let cells: &'c [String] = match carried {
            Carried::Cells(cells) => cells,
            _ => &[],
        };
        let n = self.carried.len();
        cells
            .iter()
            .map(String::as_str)
            .chain(std::iter::repeat(""))
            .take(n)
    }

    /// [`Part::write_record`] with a buffer for the values.
    fn write_values(
        &mut self,
        line: u64,
        carried: &Carried,
        value: impl Fn(usize) -> Result<Value, EvalError>,
        values: &mut Vec<Value>,
    ) -> std::io::Result<bool> {
        let p = self.program;
        for o in 0..p.outputs().len() {
            match value(o) {
                Ok(v) => values.push(v),
                Err(e) => {
                    let failure = eval_failure(&e, self.lang);
                    self.write_failures(line, carried, &[failure])?;
                    return Ok(false);
                }
            }
        }
        if self.cp932 {
            if let Some((name, output, c)) = self.unrepresentable(values, carried) {
                let code = format!("U+{:04X}", c as u32);
                let message = match (self.lang, output) {
                    (Lang::Ja, true) => format!("出力 `{name}` の値に CP932 (Shift_JIS) で書けない文字 {code} があります"),
                    (Lang::Ja, false) => format!("列 `{name}` の値に CP932 (Shift_JIS) で書けない文字 {code} があります"),
                    (Lang::En, true) => format!("the value of output `{name}` has a character CP932 (Shift_JIS) cannot represent, {code}"),
                    (Lang::En, false) => format!("the value of column `{name}` has a character CP932 (Shift_JIS) cannot represent, {code}"),
                };
                let help = match self.lang {
                    Lang::Ja => "`--output-encoding utf-8-bom` で書いてください",
                    Lang::En => "write with `--output-encoding utf-8-bom`",
                };
                let failure = Failure {
                    code: UNREPRESENTABLE.to_string(),
                    field: cp932_safe(&name),
                    cell: String::new(),
                    message: cp932_safe(&message),
                    help: help.to_string(),
                };
                self.write_failures(line, carried, &[failure])?;
                return Ok(false);
            }
        }
        match self.target {
            Target::Csv => {
                let mut first = true;
                let mut out = std::mem::take(&mut self.out);
                for cell in self.carried_cells(carried) {
                    csv_field(&mut out, first, &neutralised(cell));
                    first = false;
                }
                for (d, v) in p.output_defs().zip(values.iter()) {
                    self.buf.clear();
                    csv_value(p, v, &d.ty, &mut self.buf);
                    csv_field(&mut out, first, &self.buf);
                    first = false;
                }
                for _ in ERROR_COLUMNS {
                    csv_field(&mut out, first, "");
                    first = false;
                }
                out.push(b'\n');
                self.out = out;
            }
            Target::Jsonl => {
                // `{"outputs": {name: value, …}}` as serde_json writes an `Evaluation`, after
                // the carried fields, if any.
                let carried = self.carried_json(carried);
                let out = &mut self.out;
                out.push(b'{');
                if let Some(c) = carried {
                    out.extend_from_slice(b"\"carried\":");
                    serde_json::to_writer(&mut *out, &c)?;
                    out.push(b',');
                }
                out.extend_from_slice(b"\"outputs\":{");
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
            Target::Xlsx => {
                let mut row: Vec<XCell> = self
                    .carried_cells(carried)
                    .map(|c| XCell::Text(c.to_string()))
                    .collect();
                for (d, v) in p.output_defs().zip(values.iter()) {
                    row.push(XCell::of(p, v, &d.ty));
                }
                self.rows.push(row);
            }
        }
        Ok(true)
    }

    /// The first output or carried cell whose value CP932 cannot represent (its name, whether
    /// it is an output) and the character.
    fn unrepresentable(&self, values: &[Value], carried: &Carried) -> Option<(String, bool, char)> {
        let mut cell = String::new();
        for (d, v) in self.program.output_defs().zip(values) {
            cell.clear();
            csv_value(self.program, v, &d.ty, &mut cell);
            if let Err(c) = cp932_check(&cell) {
                return Some((d.name.clone(), true, c));
            }
        }
        for (name, cell) in self.carried.iter().zip(self.carried_cells(carried)) {
            if let Err(c) = cp932_check(cell) {
                return Some((name.clone(), false, c));
            }
        }
        None
    }

    /// The error record of a record that failed: every failure, in order. Each error column
    /// lists one entry per failure, in the same order (`; ` between codes, fields and cells,
    /// ` / ` between messages and helps).
    pub fn write_failures(
        &mut self,
        line: u64,
        carried: &Carried,
        failures: &[Failure],
    ) -> std::io::Result<()> {
        let join = |sep: &str, f: fn(&Failure) -> &str| {
            let parts: Vec<&str> = failures.iter().map(f).collect();
            let text = parts.join(sep);
            if self.cp932 {
                cp932_safe(&text)
            } else {
                text
            }
        };
        let code = join("; ", |f| &f.code);
        let field = join("; ", |f| &f.field);
        let cell = join("; ", |f| &f.cell);
        let message = join(" / ", |f| &f.message);
        let help = join(" / ", |f| &f.help);
        match self.target {
            Target::Csv => {
                let mut first = true;
                let mut out = std::mem::take(&mut self.out);
                for c in self.carried_cells(carried) {
                    let c = if self.cp932 {
                        cp932_safe(c)
                    } else {
                        c.to_string()
                    };
                    csv_field(&mut out, first, &neutralised(&c));
                    first = false;
                }
                for _ in self.program.output_defs() {
                    csv_field(&mut out, first, "");
                    first = false;
                }
                for c in [&line.to_string(), &code, &field, &message, &cell, &help] {
                    csv_field(&mut out, first, &neutralised(c));
                    first = false;
                }
                out.push(b'\n');
                self.out = out;
            }
            Target::Jsonl => {
                let Some(first) = failures.first() else {
                    return Ok(());
                };
                let record = ErrorRecord {
                    carried: self.carried_json(carried),
                    error: ErrorFields {
                        line,
                        code: &first.code,
                        field: &first.field,
                        cell: &first.cell,
                        message: &first.message,
                        help: &first.help,
                        errors: (failures.len() > 1).then_some(failures),
                    },
                };
                serde_json::to_writer(&mut self.out, &record)?;
                self.out.push(b'\n');
            }
            Target::Xlsx => {
                let mut row: Vec<XCell> = self
                    .carried_cells(carried)
                    .map(|c| XCell::Text(c.to_string()))
                    .collect();
                row.extend(self.program.output_defs().map(|_| XCell::Empty));
                row.push(XCell::Int(i64::try_from(line).unwrap_or(i64::MAX)));
                for c in [code, field, message, cell, help] {
                    row.push(XCell::Text(c));
                }
                self.rows.push(row);
            }
        }
        Ok(())
    }

    /// The bytes written since the last call (in the output encoding).
    pub fn take_bytes(&mut self) -> std::io::Result<Vec<u8>> {
        let bytes = std::mem::take(&mut self.out);
        if self.cp932 {
            encode(bytes, OutputEncoding::Cp932)
        } else {
            Ok(bytes)
        }
    }

    /// The workbook rows written since the last call.
    pub fn take_rows(&mut self) -> Vec<Vec<XCell>> {
        std::mem::take(&mut self.rows)
    }
}

/// An evaluation error as a failure.
pub(super) fn eval_failure(e: &EvalError, lang: Lang) -> Failure {
    let d = e.to_diagnostic();
    Failure {
        code: d.code.to_string(),
        field: String::new(),
        cell: String::new(),
        message: d.message.get(lang).to_string(),
        help: d
            .help
            .as_ref()
            .map(|h| h.get(lang).to_string())
            .unwrap_or_default(),
    }
}

/// A facts error as a failure; `locate` gives the column (0-based) and name of a field when
/// the record is a row, which then names the cell (`E5`) as a spreadsheet does.
pub(super) fn facts_failure(
    e: &onshi::FactsError,
    line: u64,
    lang: Lang,
    locate: impl Fn(&str) -> Option<(usize, String)>,
) -> Failure {
    let d = e.to_diagnostic();
    let field = e.path().to_string();
    let mut message = d.message.get(lang).to_string();
    let mut cell = String::new();
    if let Some((col, name)) = locate(&field) {
        cell = cell_name(line, col);
        let rest = message
            .strip_prefix(&format!("{field}: "))
            .unwrap_or(&message)
            .to_string();
        message = format!("{cell} {name}: {rest}");
    }
    Failure {
        code: d.code.to_string(),
        field,
        cell,
        message,
        help: d
            .help
            .as_ref()
            .map(|h| h.get(lang).to_string())
            .unwrap_or_default(),
    }
}

/// `C7`: a cell's name from its row (1-based) and column (0-based).
pub(super) fn cell_name(row: u64, col: usize) -> String {
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

#[cfg(test)]
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

    #[test]
    fn ratios_as_exact_decimals() {
        use super::terminating_decimal as t;
        assert_eq!(t(1, 2).as_deref(), Some("0.5"));
        assert_eq!(t(3, 4).as_deref(), Some("0.75"));
        assert_eq!(t(-3, 4).as_deref(), Some("-0.75"));
        assert_eq!(t(1, 8).as_deref(), Some("0.125"));
        assert_eq!(t(1, 20).as_deref(), Some("0.05"));
        assert_eq!(t(2, 1).as_deref(), Some("2"));
        assert_eq!(t(7, 5).as_deref(), Some("1.4"));
        assert_eq!(t(1, 3), None);
        assert_eq!(t(1, 0), None);
    }

    #[test]
    fn formulas_are_neutralised() {
        for (text, want) in [
            ("=HYPERLINK(\"x\")", "'=HYPERLINK(\"x\")"),
            ("+1", "'+1"),
            ("-1", "'-1"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("髙橋医院", "髙橋医院"),
            ("", ""),
        ] {
            assert_eq!(super::neutralised(text), want);
        }
        assert_eq!(super::cell_name(7, 2), "C7");
        assert_eq!(super::cell_name(1, 26), "AA1");
    }
}
