//! A checked program and the sources its spans point into, as bytes and back (feature `embed`;
//! postcard, a compact serde form). A build script checks a policy with the full library and
//! writes [`write`]'s bytes; a
//! package built without the parser and checker (the WASM front-desk module) reads it with
//! [`read`] and evaluates and explains exactly as if it had compiled the policy itself. The bytes
//! are only ever read by the same build of onshi that wrote them (it is not a stable format).

use crate::builtins::{Builtin, BUILTINS};
use crate::{Program, SourceMap};

/// Why bytes cannot be written or read back (postcard's error).
pub type Error = postcard::Error;

/// The program and its sources as bytes.
pub fn write(program: &Program, sources: &SourceMap) -> Result<Vec<u8>, Error> {
    postcard::to_allocvec(&(program, sources))
}

/// The program and sources [`write`] wrote.
pub fn read(bytes: &[u8]) -> Result<(Program, SourceMap), Error> {
    postcard::from_bytes(bytes)
}

/// A built-in function by its Japanese name (they are unique: `BUILTINS`).
pub(crate) mod builtin {
    use super::{Builtin, BUILTINS};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &&'static Builtin, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(b.ja)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<&'static Builtin, D::Error> {
        let name = <&str>::deserialize(d)?;
        BUILTINS
            .iter()
            .find(|b| b.ja == name)
            .ok_or_else(|| serde::de::Error::custom(format!("no built-in function `{name}`")))
    }
}

/// A date as its day number (days from 0001-01-01, day 1), not as text: reading it back needs no
/// date parser (chrono's would be most of the date code in the module).
pub(crate) mod date {
    use chrono::{Datelike, NaiveDate};
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_i32(d.num_days_from_ce())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let days = i32::deserialize(d)?;
        NaiveDate::from_num_days_from_ce_opt(days)
            .ok_or_else(|| serde::de::Error::custom("a day number out of range"))
    }
}

#[cfg(test)]
mod tests {
    use crate::{compile, Evaluator};
    use std::collections::BTreeMap;

    /// Every example of a policy gives the same outputs and explanation through the program read
    /// back as through the program compiled.
    #[test]
    fn a_program_read_back_evaluates_and_explains_as_compiled() {
        // Every shipped policy file, by repository path (imports resolve inside the map).
        let mut files = BTreeMap::new();
        for dir in std::fs::read_dir("../policies")
            .into_iter()
            .flatten()
            .flatten()
        {
            for file in std::fs::read_dir(dir.path())
                .into_iter()
                .flatten()
                .flatten()
            {
                let path = file.path();
                if let (Ok(rel), Ok(text)) =
                    (path.strip_prefix(".."), std::fs::read_to_string(&path))
                {
                    files.insert(rel.to_string_lossy().into_owned(), text);
                }
            }
        }
        for entry in ["policies/r7/front_desk.onshi", "policies/r7/subsidy.onshi"] {
            let compiled = compile(&files, entry);
            let program = compiled
                .program
                .unwrap_or_else(|| panic!("{:?}", compiled.diagnostics));
            let text = super::write(&program, &compiled.sources).unwrap_or_default();
            let (back, sources) = super::read(&text).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(super::write(&back, &sources).ok(), Some(text));
            let specs = program.example_specs(&compiled.sources);
            assert!(!specs.is_empty());
            for spec in specs {
                let facts = serde_json::Value::Object(spec.facts.clone());
                let explained = |p: &crate::Program, s| {
                    Evaluator::new(p)
                        .explain(Some(s))
                        .evaluation(&facts)
                        .map(|e| crate::schema::to_json(&e))
                };
                let want = explained(&program, &compiled.sources);
                let got = explained(&back, &sources);
                assert_eq!(
                    format!("{got:?}"),
                    format!("{want:?}"),
                    "{entry} {}",
                    spec.name
                );
            }
        }
    }
}
