//! Facts → input values: JSON objects by the JSON forms of policy-interfaces.md, and CSV rows
//! ([`csv`]: cell text by the input's type). Every error names the field by its JSON path
//! (`$.提示書類[2]`).

pub mod csv;
mod error;
pub mod json;
mod scan;

pub use csv::{CsvColumns, CsvReader};
pub use error::is_spreadsheet_error;
pub use error::{FactsError, JsonKind};

use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::literal::{self, LiteralError};
use onshi_grammar::num::Num;
use onshi_grammar::{suggest, Text};
use serde_json::Value as Json;

impl Program {
    /// Parse facts from JSON text. A record of plain values is read straight from the text
    /// (`scan`); any other goes through `serde_json::Value` and [`Program::facts_from_json`], which
    /// decide and word every error.
    pub fn facts_from_str(&self, text: &str) -> Result<Vec<Value>, FactsError> {
        if let Some(values) = self.facts_fast(text) {
            return Ok(values);
        }
        let json: Json = serde_json::from_str(text).map_err(|e| FactsError::Json {
            message: e.to_string(),
        })?;
        self.facts_from_json(&json)
    }

    /// [`Program::facts_from_str`] for a record among many (`onshi batch`): every bad field is
    /// reported, and the fields that are carried along rather than read
    /// ([`Program::is_carried`]) are given back, whether the record is good or not.
    pub fn facts_from_str_carrying(
        &self,
        text: &str,
    ) -> (
        Result<Vec<Value>, Vec<FactsError>>,
        serde_json::Map<String, Json>,
    ) {
        if let Some(values) = self.facts_fast(text) {
            return (Ok(values), serde_json::Map::new());
        }
        let json: Json = match serde_json::from_str(text) {
            Ok(j) => j,
            Err(e) => {
                let message = e.to_string();
                return (
                    Err(vec![FactsError::Json { message }]),
                    serde_json::Map::new(),
                );
            }
        };
        let carried = match &json {
            Json::Object(map) => map
                .iter()
                .filter(|(k, _)| self.is_carried(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
            _ => serde_json::Map::new(),
        };
        (self.facts_from_json_all(&json, true), carried)
    }

    /// Turn a JSON object into input values (defaults filled in), in `inputs` order.
    pub fn facts_from_json(&self, json: &Json) -> Result<Vec<Value>, FactsError> {
        self.facts_from_json_all(json, false).map_err(|mut errors| {
            if errors.is_empty() {
                FactsError::Json {
                    message: String::new(),
                }
            } else {
                errors.swap_remove(0)
            }
        })
    }

    /// [`Program::facts_from_json`], reporting every bad field (unknown fields first, then the
    /// inputs in order), never only the first. With `carry`, a key that is not an input and not
    /// close to one (no did-you-mean) is left out instead of being an error: it is data the
    /// caller carries along (a facility's name, an ID), see [`Program::is_carried`].
    pub fn facts_from_json_all(
        &self,
        json: &Json,
        carry: bool,
    ) -> Result<Vec<Value>, Vec<FactsError>> {
        let Json::Object(map) = json else {
            return Err(vec![FactsError::NotObject {
                found: JsonKind::of(json),
            }]);
        };
        let mut errors = Vec::new();
        for key in map.keys() {
            if self.input_index(key).is_none() {
                if carry && self.is_carried(key) {
                    continue;
                }
                let suggestion = suggest(key, self.inputs.iter().map(|i| i.name.as_str()));
                errors.push(FactsError::UnknownField {
                    path: format!("$.{key}"),
                    suggestion,
                });
            }
        }
        let mut out = Vec::with_capacity(self.inputs.len());
        for input in &self.inputs {
            let path = format!("$.{}", input.name);
            match map.get(&input.name) {
                Some(j) => match self.value_from_json(j, &input.ty, &path) {
                    Ok(v) => out.push(v),
                    Err(e) => errors.push(e),
                },
                None => match &input.default {
                    Some(d) => out.push(d.clone()),
                    None => errors.push(FactsError::Missing {
                        path,
                        ty: self.type_text(&input.ty),
                    }),
                },
            }
        }
        if errors.is_empty() {
            Ok(out)
        } else {
            Err(errors)
        }
    }

    /// Whether a field or column named `name` is carried along rather than read: it is not an
    /// input, and not a misspelling of one ([`onshi_grammar::typo_of`]: `申請曰` for `申請日` is an
    /// error with its did-you-mean, never carried; `施設名` beside `施設種別` is carried).
    pub fn is_carried(&self, name: &str) -> bool {
        self.input_index(name).is_none()
            && onshi_grammar::typo_of(name, self.inputs.iter().map(|i| i.name.as_str())).is_none()
    }

    /// A type's name in both languages (`金額` / `money (金額)`).
    pub fn type_text(&self, ty: &Type) -> Text {
        Text::new(self.type_name(ty, false), self.type_name(ty, true))
    }

    /// One JSON value as a value of type `ty`; `path` names it in errors.
    pub fn value_from_json(&self, j: &Json, ty: &Type, path: &str) -> Result<Value, FactsError> {
        let wrong = || FactsError::WrongType {
            path: path.to_string(),
            expected: self.type_text(ty),
            found: JsonKind::of(j),
        };
        let lit = |text: &str, r: Result<Num, LiteralError>| {
            r.map_err(|error| FactsError::Literal {
                path: path.to_string(),
                text: text.to_string(),
                error,
            })
        };
        if let Json::String(text) = j {
            if is_spreadsheet_error(text.trim()) {
                return Err(FactsError::SpreadsheetError {
                    path: path.to_string(),
                    text: text.trim().to_string(),
                });
            }
        }
        match (ty, j) {
            (Type::Optional(_), Json::Null) => Ok(Value::Absent),
            (Type::Optional(inner), _) => self.value_from_json(j, inner, path),
            (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
            (Type::Bool, Json::String(s)) => truth(s.trim()).map(Value::Bool).ok_or_else(wrong),
            (Type::Int, Json::Number(n)) => n.as_i64().map(Value::Int).ok_or_else(wrong),
            (Type::Int, Json::String(s)) => {
                literal::parse_integer(s)
                    .map(Value::Int)
                    .map_err(|error| FactsError::Literal {
                        path: path.to_string(),
                        text: s.clone(),
                        error,
                    })
            }
            (Type::Money | Type::Ratio | Type::Decimal, Json::Number(n)) => {
                let text = n.to_string();
                let parsed = literal::parse_decimal(&text);
                let num = lit(&text, parsed)?;
                Ok(match ty {
                    Type::Money => Value::Money(num),
                    Type::Ratio => Value::Ratio(num),
                    _ => Value::Decimal(num),
                })
            }
            (Type::Money, Json::String(s)) => {
                lit(s, literal::parse_yen_fact(s.trim())).map(Value::Money)
            }
            (Type::Ratio, Json::String(s)) => lit(s, literal::parse_ratio(s)).map(Value::Ratio),
            (Type::Decimal, Json::String(s)) => {
                lit(s, literal::parse_decimal(s)).map(Value::Decimal)
            }
            (Type::Date, Json::String(s)) => {
                literal::parse_date_fact(s)
                    .map(Value::Date)
                    .map_err(|error| FactsError::Literal {
                        path: path.to_string(),
                        text: s.clone(),
                        error,
                    })
            }
            (Type::Duration, Json::String(s)) => literal::parse_duration(s)
                .map(Value::Duration)
                .map_err(|error| FactsError::Literal {
                    path: path.to_string(),
                    text: s.clone(),
                    error,
                }),
            (Type::Text, Json::String(s)) => Ok(Value::Text(s.as_str().into())),
            (Type::Enum(e), Json::String(s)) => {
                let en = self.enums.get(e.0 as usize).ok_or_else(wrong)?;
                match en.variants.iter().position(|v| v == s) {
                    Some(i) => Ok(Value::Enum(i as u32)),
                    None => Err(FactsError::UnknownVariant {
                        path: path.to_string(),
                        variant: s.clone(),
                        enum_name: en.name.clone(),
                        suggestion: suggest(s, en.variants.iter().map(String::as_str)),
                    }),
                }
            }
            (Type::Set(e), Json::Array(items)) => {
                let mut bits = 0u128;
                for (i, item) in items.iter().enumerate() {
                    match self.value_from_json(item, &Type::Enum(*e), &format!("{path}[{i}]"))? {
                        Value::Enum(k) if k < 128 => bits |= 1u128 << k,
                        _ => return Err(wrong()),
                    }
                }
                Ok(Value::Set(bits))
            }
            _ => Err(wrong()),
        }
    }
}

/// A truth value as facts and spreadsheets write it: `true`/`false`, `TRUE`/`FALSE` (Excel),
/// `True`/`False`, `真`/`偽`, `1`/`0`, `○`/`×` (also `◯`, `〇` and `✕`), `はい`/`いいえ`,
/// `有`/`無`, `あり`/`なし`.
pub fn truth(text: &str) -> Option<bool> {
    match text {
        "true" | "TRUE" | "True" | "真" | "1" | "○" | "◯" | "〇" | "はい" | "有" | "あり" => {
            Some(true)
        }
        "false" | "FALSE" | "False" | "偽" | "0" | "×" | "✕" | "いいえ" | "無" | "なし" => {
            Some(false)
        }
        _ => None,
    }
}
