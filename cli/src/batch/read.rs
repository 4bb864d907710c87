//! Reading records into input values: workers turn each record of a block ([`super::split`]) or
//! of a spreadsheet into input values with the library's facts readers (JSON, and CSV cells by
//! the inputs' types: `onshi::facts::csv`), every bad cell reported, and the carried columns'
//! cells kept for the results.

use super::split::{Cells, Rec};
use super::write::Carried;
use onshi::eval::Columns;
use onshi::facts::{CsvColumns, CsvReader};
use onshi::{FactsError, Program};

/// Reads records into a chunk's input columns: JSONL lines through the JSON facts reader, CSV
/// rows through the library's CSV reader ([`onshi::facts::csv`]).
pub(super) struct Reader<'p> {
    program: &'p Program,
    csv: CsvReader<'p>,
    /// The carried columns' positions.
    carried: Vec<usize>,
}

impl<'p> Reader<'p> {
    pub fn new(program: &'p Program, columns: &'p CsvColumns) -> Self {
        Reader {
            program,
            csv: CsvReader::new(program, columns),
            carried: columns.carried().map(|(k, _)| k).collect(),
        }
    }

    /// The carried cells of a row.
    fn carry<'c>(&self, cells: impl Iterator<Item = &'c str>) -> Carried {
        if self.carried.is_empty() {
            return Carried::None;
        }
        let mut out = vec![String::new(); self.carried.len()];
        let mut next = self.carried.iter().zip(out.iter_mut()).peekable();
        for (k, cell) in cells.enumerate() {
            while let Some((_, slot)) = next.next_if(|(c, _)| **c == k) {
                *slot = cell.to_string();
            }
            if next.peek().is_none() {
                break;
            }
        }
        Carried::Cells(out)
    }

    /// Adds the record's input values to `columns`, or says everything wrong with it; its
    /// carried cells go to `carried` either way.
    pub fn read(
        &mut self,
        rec: Rec<'_>,
        columns: &mut Columns,
        carried: &mut Carried,
    ) -> Result<(), Vec<FactsError>> {
        match rec {
            Rec::Broken(e) => return Err(vec![e]),
            Rec::Json(text) => {
                let (values, fields) = self.program.facts_from_str_carrying(text);
                if !fields.is_empty() {
                    *carried = Carried::Json(fields);
                }
                columns.push(values?)
            }
            Rec::Line(line) => {
                *carried = self.carry(Cells::new(line));
                columns.push(self.csv.read_all(Cells::new(line))?)
            }
            Rec::Row(row) => {
                *carried = self.carry(row.iter());
                columns.push(self.csv.read_all(row.iter())?)
            }
        }
        Ok(())
    }
}
