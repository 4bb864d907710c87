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

/// The text of a 真偽 cell, if it is one of the accepted forms ([`super::truth`]).
fn bool_cell(cell: &str) -> Option<bool> {
    super::truth(cell)
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
/// A column that is not an input and not close to one ([`Program::is_carried`]: a facility's
/// name, a code, a memo) is carried: left out of the facts, for the front end to copy into its
/// results. A column close to an input's name (`申請曰`) stays an unknown field, an error with
/// its did-you-mean.
#[derive(Clone, Debug)]
pub struct CsvColumns {
    /// Per column: its name, and the input's index and type (None: not an input).
    columns: Vec<(String, Option<(usize, Type)>)>,
    /// Per column: carried along, not read.
    carried: Vec<bool>,
    /// Every column is an input or carried, and no input appears twice: the direct path may be
    /// tried.
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
        let carried: Vec<bool> = columns
            .iter()
            .map(|(name, slot)| slot.is_none() && self.is_carried(name))
            .collect();
        let mut seen = vec![false; self.inputs.len()];
        let direct = columns
            .iter()
            .zip(&carried)
            .all(|((_, slot), carried)| match slot {
                Some((k, _)) => seen
                    .get_mut(*k)
                    .is_some_and(|s| !std::mem::replace(s, true)),
                None => *carried,
            });
        CsvColumns {
            columns,
            carried,
            direct,
        }
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
    /// The carried columns: their positions (0-based) and names, in order.
    pub fn carried(&self) -> impl Iterator<Item = (usize, &str)> + '_ {
        self.columns
            .iter()
            .zip(&self.carried)
            .enumerate()
            .filter(|(_, (_, c))| **c)
            .map(|(k, ((name, _), _))| (k, name.as_str()))
    }

    /// The number of columns of the header.
    pub fn len(&self) -> usize {
        self.columns.len()
    }

    /// Whether the header has no column.
    pub fn is_empty(&self) -> bool {
        self.columns.is_empty()
    }

    /// The column (0-based) and name of the field a facts error names (`$.申請日`, `$.提示[1]`),
    /// if a column has that name.
    pub fn column_of(&self, path: &str) -> Option<(usize, &str)> {
        let name = path.strip_prefix("$.")?;
        let name = name.split('[').next().unwrap_or(name);
        self.columns
            .iter()
            .enumerate()
            .find(|(_, (n, _))| n == name)
            .map(|(k, (n, _))| (k, n.as_str()))
    }

    /// A row as JSON facts: empty cells are left out (the input's default applies); cells of
    /// 真偽 and set inputs are converted from text; every other cell stays a string, which the
    /// facts reader parses by the input's type. Carried columns are left out; unknown columns
    /// are kept, so the facts reader reports them.
    pub fn facts_json<'c>(&self, cells: impl IntoIterator<Item = &'c str>) -> Json {
        let mut map = Map::new();
        for (((name, slot), carried), cell) in self.columns.iter().zip(&self.carried).zip(cells) {
            let cell = cell.trim();
            if cell.is_empty() || *carried {
                continue;
            }
            let value = match slot.as_ref().map(|(_, ty)| ty.strip_optional()) {
                Some(Type::Bool) => match bool_cell(cell) {
                    Some(b) => Json::Bool(b),
                    None => Json::String(cell.to_string()),
                },
                Some(Type::Set(_)) => match super::json::parse(cell) {
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
            self.take_direct();
        } else {
            self.values = self.program.facts_from_csv(self.columns, cells)?;
        }
        Ok(self.values.drain(..))
    }

    /// The values the fast path read into `buf`, an absent one for each empty cell.
    fn take_direct(&mut self) {
        self.values.clear();
        self.values
            .extend(self.buf.drain(..).map(|v| v.unwrap_or(Value::Absent)));
    }

    /// [`CsvReader::read`], reporting every bad cell of the row (in column order: unknown
    /// columns, then the inputs' cells), never only the first.
    pub fn read_all<'c, I>(
        &mut self,
        cells: I,
    ) -> Result<std::vec::Drain<'_, Value>, Vec<FactsError>>
    where
        I: IntoIterator<Item = &'c str>,
        I::IntoIter: Clone,
    {
        let cells = cells.into_iter();
        if self.columns.direct && self.direct(cells.clone()) {
            self.take_direct();
        } else {
            self.values = self
                .program
                .facts_from_json_all(&self.columns.facts_json(cells), false)?;
        }
        Ok(self.values.drain(..))
    }

    /// The direct path into `buf`: false as soon as a cell is anything but a plain value of its
    /// type or a required input has no cell (the JSON path then decides, and words the error).
    fn direct<'c>(&mut self, cells: impl Iterator<Item = &'c str>) -> bool {
        let program = self.program;
        self.buf.clear();
        self.buf.resize(program.inputs.len(), None);
        for (((_, slot), carried), cell) in self
            .columns
            .columns
            .iter()
            .zip(&self.columns.carried)
            .zip(cells)
        {
            let Some((k, ty)) = slot.as_ref() else {
                if *carried {
                    continue;
                }
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
        Type::Money => Value::Money(literal::parse_yen_fact(cell).ok()?),
        Type::Date => Value::Date(literal::parse_date_fact(cell).ok()?),
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

    /// Columns that are not inputs are carried, unless their name is close to an input's.
    #[test]
    fn carried_columns_and_misspelt_ones() {
        let p = program();
        let cols = p.csv_columns(["施設名", "種別", "開始", "メモ", "開姶"]);
        assert_eq!(
            cols.carried().collect::<Vec<_>>(),
            [(0, "施設名"), (3, "メモ")]
        );
        let row = ["髙橋医院", "病院", "2025/10/1", "=1+1", "x"];
        let err = p.facts_from_csv(&cols, row.iter().copied()).unwrap_err();
        assert_eq!(err.code(), "onshi::facts::unknown_field");
        assert!(err.to_diagnostic().help.unwrap().ja.contains("`開始`"));
        let cols = p.csv_columns(["施設名", "種別", "開始", "メモ"]);
        let mut reader = super::CsvReader::new(&p, &cols);
        let values: Vec<Value> = reader.read_all(row.iter().copied()).unwrap().collect();
        assert_eq!(values[0], Value::Enum(0));
        assert_eq!(cols.column_of("$.開始"), Some((2, "開始")));
        assert_eq!(cols.column_of("$.提示[2]"), None);
    }

    /// Every bad cell of a row is reported, in column order.
    #[test]
    fn every_bad_cell() {
        let p = program();
        let cols = p.csv_columns(["施設名", "種別", "開始", "額", "紙"]);
        let row = ["髙橋医院", "病完", "2025/13/1", "#N/A", "多分"];
        let mut reader = super::CsvReader::new(&p, &cols);
        let errors = reader.read_all(row.iter().copied()).unwrap_err();
        let got: Vec<(&str, &str)> = errors.iter().map(|e| (e.code(), e.path())).collect();
        assert_eq!(
            got,
            [
                ("onshi::facts::variant", "$.種別"),
                ("onshi::facts::literal", "$.開始"),
                ("onshi::facts::spreadsheet_error", "$.額"),
                ("onshi::facts::type", "$.紙"),
            ]
        );
        // The first is what `facts_from_csv` reports alone.
        assert_eq!(
            p.facts_from_csv(&cols, row.iter().copied()).unwrap_err(),
            errors[0]
        );
    }

    /// Office forms of dates, amounts and truth values, by both paths and in JSON facts.
    #[test]
    fn office_forms() {
        let p = program();
        let cols = p.csv_columns(["種別", "開始", "額", "紙"]);
        let mut reader = super::CsvReader::new(&p, &cols);
        for (date, money, truth, want_truth) in [
            ("2025/10/1", "￥41,000", "○", true),
            ("R7.10.1", "41,000円", "×", false),
            ("R07.10.01", "4.1万円", "はい", true),
            ("令和7年10月1日", "41000", "無", false),
            ("2025年10月1日", "¥41,000", "TRUE", true),
            ("２０２５／１０／０１", "４１，０００円", "有", true),
        ] {
            let row = ["病院", date, money, truth];
            let direct: Vec<Value> = reader.read_all(row.iter().copied()).unwrap().collect();
            let json = p.facts_from_csv(&cols, row.iter().copied()).unwrap();
            assert_eq!(direct, json, "{row:?}");
            let facts = serde_json::json!({"種別": "病院", "開始": date, "額": money, "紙": truth});
            assert_eq!(p.facts_from_json(&facts).unwrap(), json, "{row:?}");
            assert_eq!(
                json[1],
                Value::Date(chrono::NaiveDate::from_ymd_opt(2025, 10, 1).unwrap())
            );
            assert_eq!(
                json[2],
                Value::Money(onshi_grammar::num::Num::from_int(41_000))
            );
            assert_eq!(json[3], Value::Bool(want_truth));
        }
        let e = p
            .facts_from_json(&serde_json::json!({"種別": "病院", "開始": "H31.5.1"}))
            .unwrap_err();
        assert_eq!(e.code(), "onshi::facts::literal");
        assert!(e
            .to_diagnostic()
            .help
            .unwrap()
            .ja
            .contains("令和元年5月1日"));
        let e = p
            .facts_from_json(&serde_json::json!({"種別": "病院", "開始": "10/1"}))
            .unwrap_err();
        assert!(e.to_diagnostic().help.unwrap().ja.contains("R7.12.1"));
    }
}
