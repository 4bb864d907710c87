//! Runtime values and their two outward forms: the JSON of policy-interfaces.md and readable text.

use crate::program::Program;
use crate::types::Type;
use chrono::NaiveDate;
use onshi_grammar::literal::{format_wareki, Duration};
use onshi_grammar::num::Num;
use serde_json::Value as Json;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Money(Num),
    Ratio(Num),
    Decimal(Num),
    Date(NaiveDate),
    Duration(Duration),
    Text(Arc<str>),
    /// The index of a variant in its enumeration.
    Enum(u32),
    /// A set of variants of one enumeration, as a bit mask (bit i = variant i).
    Set(u128),
    /// A table row: the result columns in declaration order.
    Row(Arc<[Value]>),
    /// An optional value that is not there.
    Absent,
}

impl Value {
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }
}

/// Money in JSON: an integer when whole yen; an exact decimal number otherwise; a fraction string
/// ("1000/3") only when the amount has no finite decimal form.
fn num_json(n: &Num) -> Json {
    if n.is_integer() {
        if let Ok(i) = i64::try_from(n.numer()) {
            return Json::from(i);
        }
    }
    match n.to_decimal() {
        Some(d) => serde_json::from_str::<Json>(&d.normalize().to_string())
            .unwrap_or_else(|_| Json::String(d.to_string())),
        None => Json::String(n.to_string()),
    }
}

fn ratio_text(n: &Num) -> String {
    format!("{}/{}", n.numer(), n.denom())
}

fn duration_text(d: &Duration) -> String {
    let mut parts = Vec::new();
    if d.months != 0 || d.days == 0 {
        if d.months % 12 == 0 && d.months != 0 {
            parts.push(format!("{}年", d.months / 12));
        } else {
            parts.push(format!("{}か月", d.months));
        }
    }
    if d.days != 0 {
        parts.push(format!("{}日", d.days));
    }
    parts.join("")
}

/// `411000` → `411,000`
pub fn group_thousands(n: &Num) -> String {
    let s = match n.to_decimal() {
        Some(d) => d.normalize().to_string(),
        None => return n.to_string(),
    };
    let (sign, rest) = match s.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", s.as_str()),
    };
    let (int, frac) = match rest.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (rest, None),
    };
    let mut out = String::new();
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match frac {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

impl Program {
    /// The JSON form of a value of type `ty` (policy-interfaces.md).
    pub fn value_to_json(&self, v: &Value, ty: &Type) -> Json {
        match (v, ty.strip_optional()) {
            (Value::Absent, _) => Json::Null,
            (Value::Bool(b), _) => Json::Bool(*b),
            (Value::Int(i), _) => Json::from(*i),
            (Value::Money(n), _) | (Value::Decimal(n), _) => num_json(n),
            (Value::Ratio(n), _) => Json::String(ratio_text(n)),
            (Value::Date(d), _) => Json::String(d.format("%Y-%m-%d").to_string()),
            (Value::Duration(d), _) => Json::String(duration_text(d)),
            (Value::Text(t), _) => Json::String(t.to_string()),
            (Value::Enum(i), Type::Enum(e)) => Json::String(self.variant_name(*e, *i).to_string()),
            (Value::Set(bits), Type::Set(e)) => Json::Array(
                self.set_members(*e, *bits)
                    .into_iter()
                    .map(|s| Json::String(s.to_string()))
                    .collect(),
            ),
            (Value::Row(cells), Type::Row(t)) => {
                let mut obj = serde_json::Map::new();
                if let Some(table) = self.tables.get(t.0 as usize) {
                    for (col, cell) in table.results.iter().zip(cells.iter()) {
                        obj.insert(col.name.clone(), self.value_to_json(cell, &col.ty));
                    }
                }
                Json::Object(obj)
            }
            (other, _) => Json::String(format!("{other:?}")),
        }
    }

    /// The readable form: yen with separators, 和暦 beside ISO dates, ratios as fractions.
    pub fn value_to_text(&self, v: &Value, ty: &Type) -> String {
        match (v, ty.strip_optional()) {
            (Value::Absent, _) => "未設定".to_string(),
            (Value::Bool(b), _) => if *b { "真" } else { "偽" }.to_string(),
            (Value::Int(i), _) => i.to_string(),
            (Value::Money(n), _) => format!("{}円", group_thousands(n)),
            (Value::Decimal(n), _) => n.to_string(),
            (Value::Ratio(n), _) => ratio_text(n),
            (Value::Date(d), _) => match format_wareki(*d) {
                Some(w) => format!("{} ({w})", d.format("%Y-%m-%d")),
                None => d.format("%Y-%m-%d").to_string(),
            },
            (Value::Duration(d), _) => duration_text(d),
            (Value::Text(t), _) => format!("「{t}」"),
            (Value::Enum(i), Type::Enum(e)) => self.variant_name(*e, *i).to_string(),
            (Value::Set(bits), Type::Set(e)) => {
                format!("{{{}}}", self.set_members(*e, *bits).join(", "))
            }
            (Value::Row(cells), Type::Row(t)) => {
                let mut parts = Vec::new();
                if let Some(table) = self.tables.get(t.0 as usize) {
                    for (col, cell) in table.results.iter().zip(cells.iter()) {
                        parts.push(format!(
                            "{}: {}",
                            col.name,
                            self.value_to_text(cell, &col.ty)
                        ));
                    }
                }
                format!("({})", parts.join(", "))
            }
            (other, _) => format!("{other:?}"),
        }
    }

    pub fn variant_name(&self, e: crate::types::EnumId, i: u32) -> &str {
        self.enums
            .get(e.0 as usize)
            .and_then(|en| en.variants.get(i as usize))
            .map_or("?", |s| s.as_str())
    }

    pub fn set_members(&self, e: crate::types::EnumId, bits: u128) -> Vec<&str> {
        let Some(en) = self.enums.get(e.0 as usize) else {
            return Vec::new();
        };
        en.variants
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 128 && bits & (1u128 << i) != 0)
            .map(|(_, s)| s.as_str())
            .collect()
    }
}
