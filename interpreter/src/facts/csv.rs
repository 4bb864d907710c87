//! Facts from CSV rows: the header names inputs, each cell is the text of one input's value
//! (empty: the input's default). The reading is the same for every front end (`onshi batch`, the
//! WASM package, scripts); splitting the file into rows and cells is the front end's job.
//!
//! A cell is read by its input's type: 真偽 as `true`/`真`/`TRUE`/`1` (or the false forms), sets as
//! `a;b` (also `、` or `|` between members, or a JSON array), every other cell as the string the
//! JSON facts reader takes for that type (和暦, `41.1万円`, `75%`, …). Cells of the common types
//! are parsed straight into values ([`CsvReader`]); a row the direct path does not take goes through
//! the JSON facts reader ([`CsvColumns::facts_json`]), which also words every error, so both paths
//! give the same values and the same errors.

use super::FactsError;
use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::literal;
use serde_json::{Map, Value as Json};

/// The text of a 真偽 cell, if it is one of the accepted forms.
fn bool_cell(cell: &str) -> Option<bool> {
    match cell {
        "true" | "真" | "TRUE" | "1" => Some(true),
        "false" | "偽" | "FALSE" | "0" => Some(false),
        _ => None,
    }
}

/// `cell.trim()`, skipped when the cell starts and ends with a visible ASCII character.
fn trim(cell: &str) -> &str {
    let b = cell.as_bytes();
    match (b.first(), b.last()) {
        (Some(x), Some(y)) if x.is_ascii_graphic() && y.is_ascii_graphic() => cell,
        _ => cell.trim(),
    }
}

/// The members of a set cell (`a;b`, `a、b`, `a|b`), blanks trimmed, empty ones left out.
fn set_members(cell: &str) -> impl Iterator<Item = &str> {
    cell.split([';', '、', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// How the columns of a CSV header map to a program's inputs, worked out once for every row.
#[derive(Clone, Debug)]
pub struct CsvColumns {
    /// Per column: its name, and the input's index and type (None: not an input).
    columns: Vec<(String, Option<(usize, Type)>)>,
    /// Every column is an input and no input appears twice: the direct path may be tried.
    direct: bool,
}

impl Program {
    /// The columns of a CSV header (names are trimmed).
    pub fn csv_columns<S: AsRef<str>>(&self, header: impl IntoIterator<Item = S>) -> CsvColumns {
        let columns: Vec<(String, Option<(usize, Type)>)> = header
            .into_iter()
            .map(|name| {
                let name = name.as_ref().trim().to_string();
                let input = self.input_index(&name);
                let slot = input.and_then(|k| self.inputs.get(k).map(|i| (k, i.ty.clone())));
                (name, slot)
            })
            .collect();
        let mut seen = vec![false; self.inputs.len()];
        let direct = columns.iter().all(|(_, slot)| match slot {
            Some((k, _)) => seen
                .get_mut(*k)
                .is_some_and(|s| !std::mem::replace(s, true)),
            None => false,
        });
        CsvColumns { columns, direct }
    }

    /// One CSV row's input values (defaults filled in), in `inputs` order.
    pub fn facts_from_csv<'c>(
        &self,
        columns: &CsvColumns,
        cells: impl IntoIterator<Item = &'c str>,
    ) -> Result<Vec<Value>, FactsError> {
        self.facts_from_json(&columns.facts_json(cells))
    }
}

impl CsvColumns {
    /// A row as JSON facts: empty cells are left out (the input's default applies); cells of
    /// 真偽 and set inputs are converted from text; every other cell stays a string, which the
    /// facts reader parses by the input's type. Unknown columns are kept, so the facts reader
    /// reports them.
    pub fn facts_json<'c>(&self, cells: impl IntoIterator<Item = &'c str>) -> Json {
        let mut map = Map::new();
        for ((name, slot), cell) in self.columns.iter().zip(cells) {
            let cell = cell.trim();
            if cell.is_empty() {
                continue;
            }
            let value = match slot.as_ref().map(|(_, ty)| ty.strip_optional()) {
                Some(Type::Bool) => match bool_cell(cell) {
                    Some(b) => Json::Bool(b),
                    None => Json::String(cell.to_string()),
                },
                Some(Type::Set(_)) => match serde_json::from_str::<Json>(cell) {
                    Ok(j @ Json::Array(_)) => j,
                    _ => Json::Array(
                        set_members(cell)
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
}

/// Reads CSV rows into input values, reusing its buffers from row to row.
pub struct CsvReader<'p> {
    program: &'p Program,
    columns: &'p CsvColumns,
    /// One row's values on the direct path.
    buf: Vec<Option<Value>>,
    /// The values handed out.
    values: Vec<Value>,
}

impl<'p> CsvReader<'p> {
    pub fn new(program: &'p Program, columns: &'p CsvColumns) -> Self {
        CsvReader {
            program,
            columns,
            buf: Vec::new(),
            values: Vec::new(),
        }
    }

    /// One row's input values, in `inputs` order (drain them, e.g. into
    /// [`crate::eval::Columns::push`]), or why the row has none.
    pub fn read<'c, I>(&mut self, cells: I) -> Result<std::vec::Drain<'_, Value>, FactsError>
    where
        I: IntoIterator<Item = &'c str>,
        I::IntoIter: Clone,
    {
        let cells = cells.into_iter();
        if self.columns.direct && self.direct(cells.clone()) {
            self.values.clear();
            self.values
                .extend(self.buf.drain(..).map(|v| v.unwrap_or(Value::Absent)));
        } else {
            self.values = self.program.facts_from_csv(self.columns, cells)?;
        }
        Ok(self.values.drain(..))
    }

    /// The direct path into `buf`: false as soon as a cell is anything but a plain value of its
    /// type or a required input has no cell (the JSON path then decides, and words the error).
    fn direct<'c>(&mut self, cells: impl Iterator<Item = &'c str>) -> bool {
        let program = self.program;
        self.buf.clear();
        self.buf.resize(program.inputs.len(), None);
        for ((_, slot), cell) in self.columns.columns.iter().zip(cells) {
            let Some((k, ty)) = slot.as_ref() else {
                return false;
            };
            let cell = trim(cell);
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
        Type::Bool => Value::Bool(bool_cell(cell)?),
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
            for name in set_members(cell) {
                let i = variants.iter().position(|v| v == name)?;
                bits |= 1u128.checked_shl(u32::try_from(i).ok()?)?;
            }
            Value::Set(bits)
        }
        _ => return None,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use crate::compile;
    use crate::value::Value;
    use std::collections::BTreeMap;

    const POLICY: &str = "列挙 種別 = 病院 | 診療所\n\
入力 種別: 種別\n入力 開始: 日付\n入力 額: 金額 既定 0円\n入力 紙: 真偽 既定 偽\n\
入力 提示: 集合<種別> 既定 {}\n出力 x: 金額 = 額\n";

    fn program() -> crate::Program {
        let mut files = BTreeMap::new();
        files.insert("a.onshi".to_string(), POLICY.to_string());
        let c = compile(&files, "a.onshi");
        c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
    }

    /// The direct path and the JSON path give the same values and the same errors.
    #[test]
    fn both_paths_agree() {
        let p = program();
        let cols = p.csv_columns(["種別", " 開始 ", "額", "紙", "提示"]);
        let rows: [&[&str]; 6] = [
            &["病院", "2025-12-01", "411000", "1", "病院;診療所"],
            &["病院", "令和7年12月1日", "41.1万円", "真", "病院、診療所"],
            &["診療所", "2025-12-01", "", "", ""],
            &["診療所", "2025-12-01", "", "", "[\"病院\"]"],
            &["歯科", "2025-12-01", "", "", ""],
            &["病院", "", "", "", ""],
        ];
        let mut reader = super::CsvReader::new(&p, &cols);
        for row in rows {
            let direct = reader.read(row.iter().copied()).map(Iterator::collect);
            let json = p.facts_from_csv(&cols, row.iter().copied());
            assert_eq!(direct, json, "{row:?}");
        }
        let first = p.facts_from_csv(&cols, rows[0].iter().copied()).unwrap();
        assert_eq!(first[3], Value::Bool(true));
        assert_eq!(first[4], Value::Set(0b11));
        assert_eq!(
            p.facts_from_csv(&cols, rows[4].iter().copied())
                .unwrap_err()
                .path(),
            "$.種別"
        );
    }
}
