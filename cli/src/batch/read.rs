//! Reading records: the main thread splits the input into raw records (a JSONL line, a CSV row);
//! workers turn them into input values. CSV cells of the common types are parsed straight into
//! values; any cell the direct path does not take (and every JSONL line) goes through the JSON
//! facts reader, which also words every error, so both paths give the same values and errors.

use onshi::eval::Columns;
use onshi::{FactsError, Program, Type, Value};
use onshi_grammar::literal;
use serde_json::{Map, Value as Json};
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

/// Reads raw records in chunks, from JSONL or CSV.
pub(super) enum Records<R: Read> {
    Jsonl {
        lines: std::io::Lines<BufReader<R>>,
        line: u64,
    },
    Csv {
        reader: csv::Reader<BufReader<R>>,
        line: u64,
    },
}

impl<R: Read> Records<R> {
    /// The reader and, for CSV, the header's columns.
    pub fn new(csv: bool, reader: BufReader<R>) -> Result<(Self, Vec<String>), String> {
        if !csv {
            let lines = reader.lines();
            return Ok((Records::Jsonl { lines, line: 0 }, Vec::new()));
        }
        let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
        let header = reader
            .headers()
            .map_err(|e| format!("CSV header: {e}"))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        Ok((Records::Csv { reader, line: 1 }, header))
    }

    pub fn next_chunk(&mut self, n: usize) -> Vec<Raw> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self {
                Records::Jsonl { lines, line } => {
                    let Some(next) = lines.next() else { break };
                    *line += 1;
                    let kind = match next {
                        Ok(text) if text.trim().is_empty() => continue,
                        Ok(text) => RawKind::Json(text),
                        Err(e) => RawKind::Broken(FactsError::Json {
                            message: e.to_string(),
                        }),
                    };
                    out.push(Raw { line: *line, kind });
                }
                Records::Csv { reader, line } => {
                    let mut row = csv::StringRecord::new();
                    *line += 1;
                    let kind = match reader.read_record(&mut row) {
                        Ok(false) => break,
                        Ok(true) => RawKind::Csv(row),
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

/// How CSV columns map to inputs, worked out once from the header.
pub(super) struct CsvPlan {
    /// Per column: the input's index and type (None: not an input).
    columns: Vec<(String, Option<(usize, Type)>)>,
    /// Every column is an input and no input appears twice: the direct path may be tried.
    direct: bool,
}

impl CsvPlan {
    pub fn new(program: &Program, header: Vec<String>) -> CsvPlan {
        let columns: Vec<(String, Option<(usize, Type)>)> = header
            .into_iter()
            .map(|name| {
                let input = program.input_index(&name);
                let slot = input.and_then(|k| program.inputs.get(k).map(|i| (k, i.ty.clone())));
                (name, slot)
            })
            .collect();
        let mut seen = vec![false; program.inputs.len()];
        let direct = columns.iter().all(|(_, slot)| match slot {
            Some((k, _)) => seen
                .get_mut(*k)
                .is_some_and(|s| !std::mem::replace(s, true)),
            None => false,
        });
        CsvPlan { columns, direct }
    }
}

/// Reads raw records into a chunk's input columns.
pub(super) struct Reader<'p> {
    program: &'p Program,
    plan: &'p CsvPlan,
    /// One record's values on the direct path.
    buf: Vec<Option<Value>>,
}

impl<'p> Reader<'p> {
    pub fn new(program: &'p Program, plan: &'p CsvPlan) -> Self {
        Reader {
            program,
            plan,
            buf: Vec::new(),
        }
    }

    /// Adds the record's input values to `columns`, or says why it has none.
    pub fn read(&mut self, raw: &Raw, columns: &mut Columns) -> Result<(), FactsError> {
        let program = self.program;
        let values = match &raw.kind {
            RawKind::Broken(e) => return Err(e.clone()),
            RawKind::Json(text) => program.facts_from_str(text)?,
            RawKind::Csv(row) => {
                if self.plan.direct && self.direct(row) {
                    columns.push(self.buf.drain(..).map(|v| v.unwrap_or(Value::Absent)));
                    return Ok(());
                }
                program.facts_from_json(&csv_facts(self.plan, row))?
            }
        };
        columns.push(values);
        Ok(())
    }

    /// The direct path into `buf`: false as soon as a cell is anything but a plain value of its
    /// type or a required input has no cell (the JSON path then decides, and words the error).
    fn direct(&mut self, row: &csv::StringRecord) -> bool {
        let program = self.program;
        self.buf.clear();
        self.buf.resize(program.inputs.len(), None);
        for ((_, slot), cell) in self.plan.columns.iter().zip(row.iter()) {
            let Some((k, ty)) = slot.as_ref() else {
                return false;
            };
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            match (cell_value(program, ty, cell), self.buf.get_mut(*k)) {
                (Some(v), Some(slot)) => *slot = Some(v),
                _ => return false,
            }
        }
        for (slot, input) in self.buf.iter_mut().zip(&program.inputs) {
            if slot.is_none() {
                match &input.default {
                    Some(d) => *slot = Some(d.clone()),
                    None => return false,
                }
            }
        }
        true
    }
}

/// A CSV cell of one of the common types, when it is a plain value of that type.
fn cell_value(program: &Program, ty: &Type, cell: &str) -> Option<Value> {
    Some(match ty {
        Type::Bool => match cell {
            "true" | "真" | "TRUE" | "1" => Value::Bool(true),
            "false" | "偽" | "FALSE" | "0" => Value::Bool(false),
            _ => return None,
        },
        Type::Int => Value::Int(literal::parse_integer(cell).ok()?),
        Type::Money => Value::Money(literal::parse_yen_number(cell).ok()?),
        Type::Date => Value::Date(literal::parse_date(cell).ok()?),
        Type::Enum(e) => {
            let variants = &program.enums.get(e.0 as usize)?.variants;
            Value::Enum(variants.iter().position(|v| v == cell)? as u32)
        }
        Type::Set(e) if !cell.starts_with('[') => {
            let variants = &program.enums.get(e.0 as usize)?.variants;
            let mut bits = 0u128;
            for name in cell.split([';', '、', '|']).map(str::trim) {
                if !name.is_empty() {
                    let i = variants.iter().position(|v| v == name)?;
                    bits |= 1u128.checked_shl(u32::try_from(i).ok()?)?;
                }
            }
            Value::Set(bits)
        }
        _ => return None,
    })
}

/// A CSV row as JSON facts: empty cells are left out (the input's default applies); cells of
/// 真偽, 整数 and set inputs are converted from text; every other cell stays a string, which the
/// facts reader parses by the input's type (和暦, 万円, 75%, …). Unknown columns are kept, so the
/// facts reader reports them.
fn csv_facts(plan: &CsvPlan, row: &csv::StringRecord) -> Json {
    let mut map = Map::new();
    for ((name, slot), cell) in plan.columns.iter().zip(row.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let value = match slot.as_ref().map(|(_, ty)| ty.strip_optional()) {
            Some(Type::Bool) => match cell {
                "true" | "真" | "TRUE" | "1" => Json::Bool(true),
                "false" | "偽" | "FALSE" | "0" => Json::Bool(false),
                other => Json::String(other.to_string()),
            },
            Some(Type::Set(_)) => match serde_json::from_str::<Json>(cell) {
                Ok(j @ Json::Array(_)) => j,
                _ => Json::Array(
                    cell.split([';', '、', '|'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Json::String(s.to_string()))
                        .collect(),
                ),
            },
            _ => Json::String(cell.to_string()),
        };
        map.insert(name.clone(), value);
    }
    Json::Object(map)
}
