//! JSON facts → input values, by the JSON forms of policy-interfaces.md. Every error names the
//! field by its JSON path (`$.提示書類[2]`).

use crate::program::Program;
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::literal::{self, LiteralError};
use onshi_grammar::num::Num;
use onshi_grammar::{suggest, Diagnostic, Text};
use serde_json::Value as Json;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactsError {
    /// The text is not JSON (or not an object).
    Json {
        message: String,
    },
    UnknownField {
        path: String,
        suggestion: Option<String>,
    },
    Missing {
        path: String,
        ty: String,
    },
    WrongType {
        path: String,
        expected: String,
        found: String,
    },
    UnknownVariant {
        path: String,
        variant: String,
        enum_name: String,
        suggestion: Option<String>,
    },
    Literal {
        path: String,
        text: String,
        error: LiteralError,
    },
}

impl FactsError {
    pub fn code(&self) -> &'static str {
        match self {
            FactsError::Json { .. } => "onshi::facts::json",
            FactsError::UnknownField { .. } => "onshi::facts::unknown_field",
            FactsError::Missing { .. } => "onshi::facts::missing",
            FactsError::WrongType { .. } => "onshi::facts::type",
            FactsError::UnknownVariant { .. } => "onshi::facts::variant",
            FactsError::Literal { .. } => "onshi::facts::literal",
        }
    }

    /// The JSON path of the field at fault (`$` for the whole document).
    pub fn path(&self) -> &str {
        match self {
            FactsError::Json { .. } => "$",
            FactsError::UnknownField { path, .. }
            | FactsError::Missing { path, .. }
            | FactsError::WrongType { path, .. }
            | FactsError::UnknownVariant { path, .. }
            | FactsError::Literal { path, .. } => path,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let did_you_mean = |s: &Option<String>| {
            s.as_ref().map(|s| {
                Text::new(
                    format!("`{s}` のことですか？"),
                    format!("did you mean `{s}`?"),
                )
            })
        };
        // Keys and variants come from the facts and may be megabytes long: quote their start.
        let clip = |s: &str| onshi_grammar::diagnostic::clip(s, 100).into_owned();
        let (msg, help) = match self {
            FactsError::Json { message } => (
                Text::new(format!("事実の JSON を読み取れません: {message}"), format!("cannot read the facts JSON: {message}")),
                Some(Text::new(
                    "`{\"施設種別\": \"病院\"}` のような JSON オブジェクトを渡してください",
                    "pass a JSON object such as `{\"施設種別\": \"病院\"}`",
                )),
            ),
            FactsError::UnknownField { path, suggestion } => (
                Text::new(format!("{}: この政策にない入力です", clip(path)), format!("{}: this policy has no such input", clip(path))),
                did_you_mean(suggestion).or(Some(Text::new(
                    "`onshi check` の入力一覧にある名前を使ってください",
                    "use one of the policy's input names",
                ))),
            ),
            FactsError::Missing { path, ty } => (
                Text::new(format!("{path}: 必須の入力がありません（{ty}）"), format!("{path}: required input is missing ({ty})")),
                Some(Text::new("この入力を事実に加えてください", "add this input to the facts")),
            ),
            FactsError::WrongType { path, expected, found } => (
                Text::new(
                    format!("{path}: {expected} が必要ですが {found} です"),
                    format!("{path}: expected {expected}, found {found}"),
                ),
                Some(Text::new(
                    "値の形は policy-interfaces.md の表のとおりです（金額は整数か \"41.1万円\"、日付は \"2025-12-01\" か \"令和7年12月1日\"）",
                    "value forms follow policy-interfaces.md (money: an integer or \"41.1万円\"; dates: \"2025-12-01\" or \"令和7年12月1日\")",
                )),
            ),
            FactsError::UnknownVariant { path, variant, enum_name, suggestion } => (
                Text::new(
                    format!("{path}: `{}` は {enum_name} にありません", clip(variant)),
                    format!("{path}: `{}` is not a variant of {enum_name}", clip(variant)),
                ),
                did_you_mean(suggestion),
            ),
            FactsError::Literal { path, text, error } => {
                let (m, h) = onshi_grammar::syntax::literal_message(text, error);
                (
                    Text::new(format!("{path}: {}", m.ja), format!("{path}: {}", m.en)),
                    Some(h),
                )
            }
        };
        let d = Diagnostic::error(self.code(), msg);
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}

fn json_kind(j: &Json) -> String {
    match j {
        Json::Null => "null",
        Json::Bool(_) => "真偽 (true/false)",
        Json::Number(_) => "数 (number)",
        Json::String(_) => "文字列 (string)",
        Json::Array(_) => "配列 (array)",
        Json::Object(_) => "オブジェクト (object)",
    }
    .to_string()
}

impl Program {
    /// Parse facts from JSON text.
    pub fn facts_from_str(&self, text: &str) -> Result<Vec<Value>, FactsError> {
        let json: Json = serde_json::from_str(text).map_err(|e| FactsError::Json {
            message: e.to_string(),
        })?;
        self.facts_from_json(&json)
    }

    /// Turn a JSON object into input values (defaults filled in), in `inputs` order.
    pub fn facts_from_json(&self, json: &Json) -> Result<Vec<Value>, FactsError> {
        let Json::Object(map) = json else {
            return Err(FactsError::Json {
                message: format!("expected an object, found {}", json_kind(json)),
            });
        };
        for key in map.keys() {
            if self.input_index(key).is_none() {
                return Err(FactsError::UnknownField {
                    path: format!("$.{key}"),
                    suggestion: suggest(key, self.inputs.iter().map(|i| i.name.as_str())),
                });
            }
        }
        let mut out = Vec::with_capacity(self.inputs.len());
        for input in &self.inputs {
            let path = format!("$.{}", input.name);
            let v = match map.get(&input.name) {
                Some(j) => self.value_from_json(j, &input.ty, &path)?,
                None => match &input.default {
                    Some(d) => d.clone(),
                    None => {
                        return Err(FactsError::Missing {
                            path,
                            ty: self.type_name(&input.ty, false),
                        })
                    }
                },
            };
            out.push(v);
        }
        Ok(out)
    }

    pub fn value_from_json(&self, j: &Json, ty: &Type, path: &str) -> Result<Value, FactsError> {
        let wrong = || FactsError::WrongType {
            path: path.to_string(),
            expected: self.type_name(ty, false),
            found: json_kind(j),
        };
        let lit = |text: &str, r: Result<Num, LiteralError>| {
            r.map_err(|error| FactsError::Literal {
                path: path.to_string(),
                text: text.to_string(),
                error,
            })
        };
        match (ty, j) {
            (Type::Optional(_), Json::Null) => Ok(Value::Absent),
            (Type::Optional(inner), _) => self.value_from_json(j, inner, path),
            (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
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
                lit(s, literal::parse_yen_number(s)).map(Value::Money)
            }
            (Type::Ratio, Json::String(s)) => lit(s, literal::parse_ratio(s)).map(Value::Ratio),
            (Type::Decimal, Json::String(s)) => {
                lit(s, literal::parse_decimal(s)).map(Value::Decimal)
            }
            (Type::Date, Json::String(s)) => {
                literal::parse_date(s)
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
