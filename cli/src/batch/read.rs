//! Reading records into input values: workers turn each record of a block ([`super::split`]) or
//! of a spreadsheet into input values with the library's facts readers (JSON, and CSV cells by
//! the inputs' types: `onshi::facts::csv`).

use super::split::{Cells, Rec};
use onshi::eval::Columns;
use onshi::facts::{CsvColumns, CsvReader};
use onshi::{FactsError, Program};

/// Reads records into a chunk's input columns: JSONL lines through the JSON facts reader, CSV
/// rows through the library's CSV reader ([`onshi::facts::csv`]).
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
    pub fn read(&mut self, rec: Rec<'_>, columns: &mut Columns) -> Result<(), FactsError> {
        match rec {
            Rec::Broken(e) => return Err(e),
            Rec::Json(text) => columns.push(self.program.facts_from_str(text)?),
            Rec::Line(line) => columns.push(self.csv.read(Cells::new(line))?),
            Rec::Row(row) => columns.push(self.csv.read(row.iter())?),
        }
        Ok(())
    }
}
