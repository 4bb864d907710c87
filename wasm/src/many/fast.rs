//! The facts of one record read straight from its JSON text into input values, without building
//! a JSON object first: each field's value is converted by [`Program::value_from_json`], the
//! function `facts_from_json` uses, with the field's path computed once per policy. Only records
//! that are objects of known fields that all convert take this path; for any other (not an object,
//! an unknown field, a value that does not convert, a required input missing) it gives up, and
//! the caller reads the record with `facts_from_str`, which gives the error exactly as `evaluate`
//! does.

use onshi::{Program, Value};
use serde::de::{Deserialize, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value as Json;
use std::borrow::Cow;
use std::fmt;

/// What the fast path needs of a policy, computed once per `evaluateMany`.
pub struct Reader<'p> {
    program: &'p Program,
    /// `$.name` of each input, in input order (for `value_from_json`, which names it in errors).
    paths: Vec<String>,
    /// The values of the record being read, by input; reused from record to record.
    slots: Vec<Option<Value>>,
}

impl<'p> Reader<'p> {
    pub fn new(program: &'p Program) -> Self {
        Reader {
            program,
            paths: program
                .inputs()
                .iter()
                .map(|i| format!("$.{}", i.name))
                .collect(),
            slots: vec![None; program.inputs().len()],
        }
    }

    /// The input values of the record whose JSON text is `text`, in input order (defaults filled
    /// in), or None when the record is not a plain, correct one (see the module documentation).
    pub fn read(&mut self, text: &str) -> Option<Vec<Value>> {
        self.slots.iter_mut().for_each(|s| *s = None);
        let mut de = serde_json::Deserializer::from_str(text);
        let ok = Record(self).deserialize(&mut de).ok()? && de.end().is_ok();
        if !ok {
            return None;
        }
        let program = self.program;
        program
            .inputs()
            .iter()
            .zip(self.slots.iter_mut())
            .map(|(input, slot)| slot.take().or_else(|| input.default.clone()))
            .collect()
    }
}

/// Reads one record into `Reader::slots`; `false` when it must take the slow path.
struct Record<'r, 'p>(&'r mut Reader<'p>);

impl<'de> DeserializeSeed<'de> for Record<'_, '_> {
    type Value = bool;

    fn deserialize<D: Deserializer<'de>>(self, de: D) -> Result<bool, D::Error> {
        de.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Record<'_, '_> {
    type Value = bool;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a facts object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let reader = self.0;
        let program = reader.program;
        let mut ok = true;
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            let found = program.input_index(&key).and_then(|i| {
                program
                    .inputs()
                    .get(i)
                    .zip(reader.paths.get(i))
                    .zip(reader.slots.get_mut(i))
            });
            let Some(((input, path), slot)) = found.filter(|_| ok) else {
                ok = false;
                map.next_value::<IgnoredAny>()?;
                continue;
            };
            let json: Json = map.next_value()?;
            match program.value_from_json(&json, &input.ty, path) {
                Ok(v) => *slot = Some(v),
                Err(_) => ok = false,
            }
        }
        // A required input left out is an error the slow path words.
        Ok(ok
            && program
                .inputs()
                .iter()
                .zip(&reader.slots)
                .all(|(input, slot)| slot.is_some() || input.default.is_some()))
    }
}

/// A field name, borrowed from the text when it has no escapes.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a field name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(v.to_string())))
    }
}
