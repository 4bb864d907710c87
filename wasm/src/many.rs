//! `policy.evaluateMany(records)`: many records at once, for population runs in the browser. The
//! records come in as one JSON text (an array of facts objects; `evaluateMany` stringifies an
//! array it is given), are evaluated by chunk ([`onshi::Evaluator::chunk`]: the tree is walked
//! once per chunk, not once per record), and go back as one JSON text, one result per record in
//! order: `{"outputs":{…}}` exactly as `evaluate` gives it, or `{"error":{…}}` with the diagnostic
//! `evaluate` would have thrown for that record (bad facts or an evaluation error). A bad record
//! never stops the others.

use onshi::eval::{ChunkOutputs, Columns};
use onshi::schema::DiagnosticData;
use onshi::{Program, RunError, SourceMap};
use serde_json::value::RawValue;
use serde_json::Value as Json;

/// Records evaluated together: small enough that a chunk's columns stay in the cache, large
/// enough that walking the tree costs little per record.
const CHUNK: usize = 1024;

/// Why the records as a whole cannot be read (a single record's problem is that record's result).
#[derive(Debug, PartialEq, Eq)]
pub enum ManyError {
    /// The text is not JSON, or not an array.
    NotAnArray(String),
}

/// The results of evaluating every record of `records` (the JSON text of an array of facts
/// objects), as the JSON text of an array (see the module documentation). The array is read one
/// chunk of records at a time, so memory stays proportional to the input and output texts.
pub fn evaluate_many(
    program: &Program,
    sources: &SourceMap,
    records: &str,
) -> Result<String, ManyError> {
    let mut many = Many {
        program,
        sources,
        writer: Writer::new(program),
        chunk: Vec::with_capacity(CHUNK),
        out: Vec::with_capacity(records.len() + 2),
    };
    many.out.push(b'[');
    let mut de = serde_json::Deserializer::from_str(records);
    serde::de::DeserializeSeed::deserialize(&mut many, &mut de)
        .and_then(|()| de.end())
        .map_err(|e| ManyError::NotAnArray(e.to_string()))?;
    many.flush();
    many.out.push(b']');
    // Only JSON text was written (serde_json's and `Writer`'s): valid UTF-8.
    String::from_utf8(many.out).map_err(|e| ManyError::NotAnArray(e.to_string()))
}

/// The state of one `evaluate_many`: the records read but not yet evaluated, and the results.
struct Many<'p, 't> {
    program: &'p Program,
    sources: &'p SourceMap,
    writer: Writer<'p>,
    /// The JSON text of each record of the chunk.
    chunk: Vec<&'t str>,
    out: Vec<u8>,
}

impl Many<'_, '_> {
    /// Evaluates the records of `chunk` together and writes their results.
    fn flush(&mut self) {
        let program = self.program;
        let mut columns = Columns::new(program);
        // Per record: its row in `columns`, or the error of its facts.
        let slots: Vec<Result<usize, RunError>> = self
            .chunk
            .drain(..)
            .map(|text| {
                let k = columns.len();
                // Plain records are read straight from their text (`facts_from_str`'s fast path).
                let values = program.facts_from_str(text).map_err(RunError::Facts)?;
                columns.push(values);
                Ok(k)
            })
            .collect();
        let results = program.evaluator().chunk(&columns);
        for slot in slots {
            if self.out.len() > 1 {
                self.out.push(b',');
            }
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(RunError::Eval(e.clone())),
                None => Ok(k),
            });
            match outcome {
                Ok(k) => self
                    .writer
                    .outputs(&results, k, &mut self.out, self.sources),
                Err(e) => self.writer.error(&e, self.sources, &mut self.out),
            }
        }
    }
}

/// Reads the top-level array, evaluating every `CHUNK` records as they come.
impl<'t> serde::de::DeserializeSeed<'t> for &mut Many<'_, 't> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'t>>(self, de: D) -> Result<(), D::Error> {
        de.deserialize_seq(self)
    }
}

impl<'t> serde::de::Visitor<'t> for &mut Many<'_, 't> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an array of facts objects")
    }

    fn visit_seq<A: serde::de::SeqAccess<'t>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(facts) = seq.next_element::<&'t RawValue>()? {
            self.chunk.push(facts.get());
            if self.chunk.len() == CHUNK {
                self.flush();
            }
        }
        Ok(())
    }
}

/// Writes one record's result as JSON text.
struct Writer<'p> {
    program: &'p Program,
    /// Each output's name as a JSON string followed by `:`, in output order.
    keys: Vec<String>,
}

impl<'p> Writer<'p> {
    fn new(program: &'p Program) -> Self {
        let keys = program
            .output_defs()
            .map(|d| format!("{}:", Json::from(d.name.as_str())))
            .collect();
        Writer { program, keys }
    }

    /// `{"outputs":{…}}`: the same JSON as `evaluate`'s result (outputs in order).
    fn outputs(
        &self,
        results: &ChunkOutputs<'_>,
        k: usize,
        out: &mut Vec<u8>,
        sources: &SourceMap,
    ) {
        let start = out.len();
        out.extend_from_slice(b"{\"outputs\":{");
        for (o, (def, key)) in self.program.output_defs().zip(&self.keys).enumerate() {
            let value = match results.value(o, k) {
                Ok(v) => v,
                // Not reached: a record whose output failed has an error (`results.error`).
                Err(e) => {
                    out.truncate(start);
                    return self.error(&RunError::Eval(e), sources, out);
                }
            };
            if o > 0 {
                out.push(b',');
            }
            out.extend_from_slice(key.as_bytes());
            // `value_to_json`'s JSON, written without building it (as `onshi batch` writes JSONL).
            if self.program.write_json(&value, &def.ty, out).is_err() {
                // Not reached: writing to a Vec does not fail.
                out.extend_from_slice(b"null");
            }
        }
        out.extend_from_slice(b"}}");
    }

    /// `{"error":{…}}`: the diagnostic `evaluate` throws for this record.
    fn error(&self, e: &RunError, sources: &SourceMap, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"error\":");
        write_json(out, &DiagnosticData::of_run_error(e, sources));
        out.push(b'}');
    }
}

/// `data` as JSON text at the end of `out`.
fn write_json<T: serde::Serialize + ?Sized>(out: &mut Vec<u8>, data: &T) {
    if serde_json::to_writer(&mut *out, data).is_err() {
        // Not reached: the values and diagnostics serialize without error.
        out.extend_from_slice(b"null");
    }
}

#[cfg(test)]
pub(crate) mod tests;
