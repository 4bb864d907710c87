//! Every outward form of a value, in one place:
//!
//! - JSON ([`Program::value_to_json`]): the forms of policy-interfaces.md — money as integer yen,
//!   ratios as `"1/2"`, dates as `"2025-12-01"`, enumerations by variant name, sets as arrays, an
//!   absent optional as `null`, a table row as an object;
//! - text ([`Program::value_text`]): yen with separators, ratios as fractions; in Japanese a date
//!   has its 和暦 beside the ISO form (`2026-01-15 (令和8年1月15日)`), 真偽 are `真`/`偽` and an
//!   absent value is `未設定`; in English a date is ISO only, `true`/`false`, `absent`;
//! - CSV cells ([`Program::write_csv_cell`]): the JSON form with strings unquoted and arrays joined
//!   with `;` (`onshi batch`).

use super::Value;
use crate::program::Program;
use crate::types::{EnumId, Type};
use chrono::{Datelike, NaiveDate};
use onshi_grammar::literal::{format_wareki, Duration};
use onshi_grammar::num::Num;
use onshi_grammar::Lang;
use serde_json::Value as Json;
use std::fmt::Write as _;

/// Money and decimals in JSON: an integer when whole; an exact decimal number otherwise; a
/// fraction string ("1000/3") only when the amount has no finite decimal form.
fn num_json(n: &Num) -> Json {
    if let Some(i) = whole(n) {
        return Json::from(i);
    }
    match n.to_decimal() {
        Some(d) => serde_json::from_str::<Json>(&d.normalize().to_string())
            .unwrap_or_else(|_| Json::String(d.to_string())),
        None => Json::String(n.to_string()),
    }
}

/// The amount as an `i64`, when it is a whole number that fits.
fn whole(n: &Num) -> Option<i64> {
    if n.is_integer() {
        i64::try_from(n.numer()).ok()
    } else {
        None
    }
}

fn write_ratio(n: &Num, out: &mut String) {
    let _ = write!(out, "{}/{}", n.numer(), n.denom());
}

/// `2025-12-01` (dates are 1873..=9999, so four digits always suffice).
fn write_date(d: NaiveDate, out: &mut String) {
    let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
}

fn date_iso(d: NaiveDate) -> String {
    let mut s = String::with_capacity(10);
    write_date(d, &mut s);
    s
}

/// `6か月`, `1年`, `1か月5日`, `0か月`.
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

/// Money as text: `411,000円`.
pub fn money_text(n: &Num) -> String {
    format!("{}円", group_thousands(n))
}

impl Program {
    /// The JSON form of a value of type `ty` (policy-interfaces.md).
    pub fn value_to_json(&self, v: &Value, ty: &Type) -> Json {
        match (v, ty.strip_optional()) {
            (Value::Absent, _) => Json::Null,
            (Value::Bool(b), _) => Json::Bool(*b),
            (Value::Int(i), _) => Json::from(*i),
            (Value::Money(n), _) | (Value::Decimal(n), _) => num_json(n),
            (Value::Ratio(n), _) => {
                let mut s = String::new();
                write_ratio(n, &mut s);
                Json::String(s)
            }
            (Value::Date(d), _) => Json::String(date_iso(*d)),
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

    /// The readable Japanese form (the `text` of explanations in JSON): yen with separators,
    /// 和暦 beside ISO dates, ratios as fractions.
    pub fn value_to_text(&self, v: &Value, ty: &Type) -> String {
        self.value_text(v, ty, Lang::Ja)
    }

    /// The readable form in `lang` (see the module documentation).
    pub fn value_text(&self, v: &Value, ty: &Type, lang: Lang) -> String {
        let mut out = String::new();
        self.write_text(v, ty, lang, &mut out);
        out
    }

    /// [`Program::value_text`] into `out`.
    pub fn write_text(&self, v: &Value, ty: &Type, lang: Lang, out: &mut String) {
        let ja = lang == Lang::Ja;
        match (v, ty.strip_optional()) {
            (Value::Absent, _) => out.push_str(if ja { "未設定" } else { "absent" }),
            (Value::Bool(b), _) => out.push_str(match (b, ja) {
                (true, true) => "真",
                (false, true) => "偽",
                (true, false) => "true",
                (false, false) => "false",
            }),
            (Value::Int(i), _) => {
                let _ = write!(out, "{i}");
            }
            (Value::Money(n), _) => out.push_str(&money_text(n)),
            (Value::Decimal(n), _) => {
                let _ = write!(out, "{n}");
            }
            (Value::Ratio(n), _) => write_ratio(n, out),
            (Value::Date(d), _) => {
                write_date(*d, out);
                if let Some(w) = format_wareki(*d).filter(|_| ja) {
                    let _ = write!(out, " ({w})");
                }
            }
            (Value::Duration(d), _) => out.push_str(&duration_text(d)),
            (Value::Text(t), _) => {
                let _ = write!(out, "「{t}」");
            }
            (Value::Enum(i), Type::Enum(e)) => out.push_str(self.variant_name(*e, *i)),
            (Value::Set(bits), Type::Set(e)) => {
                let _ = write!(out, "{{{}}}", self.set_members(*e, *bits).join(", "));
            }
            (Value::Row(cells), Type::Row(t)) => {
                out.push('(');
                if let Some(table) = self.tables.get(t.0 as usize) {
                    for (k, (col, cell)) in table.results.iter().zip(cells.iter()).enumerate() {
                        if k > 0 {
                            out.push_str(", ");
                        }
                        let _ = write!(out, "{}: ", col.name);
                        self.write_text(cell, &col.ty, lang, out);
                    }
                }
                out.push(')');
            }
            (other, _) => {
                let _ = write!(out, "{other:?}");
            }
        }
    }

    /// A value as a CSV cell: its JSON form, strings unquoted, arrays joined with `;`, `null` as
    /// an empty cell. The common types are written straight into `out`, without building JSON.
    pub fn write_csv_cell(&self, v: &Value, ty: &Type, out: &mut String) {
        match (v, ty.strip_optional()) {
            (Value::Bool(b), _) => {
                let _ = write!(out, "{b}");
            }
            (Value::Int(i), _) => {
                let _ = write!(out, "{i}");
            }
            (Value::Money(n), _) if whole(n).is_some() => {
                let _ = write!(out, "{}", whole(n).unwrap_or_default());
            }
            (Value::Ratio(n), _) => write_ratio(n, out),
            (Value::Date(d), _) => write_date(*d, out),
            (Value::Enum(i), Type::Enum(e)) => out.push_str(self.variant_name(*e, *i)),
            (Value::Set(bits), Type::Set(e)) => {
                out.push_str(&self.set_members(*e, *bits).join(";"))
            }
            _ => match self.value_to_json(v, ty) {
                Json::Null => {}
                Json::String(s) => out.push_str(&s),
                Json::Array(items) => {
                    let cells: Vec<String> = items
                        .iter()
                        .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
                        .collect();
                    out.push_str(&cells.join(";"));
                }
                other => {
                    let _ = write!(out, "{other}");
                }
            },
        }
    }

    /// The name of variant `i` of enumeration `e` (`?` if there is none).
    pub fn variant_name(&self, e: EnumId, i: u32) -> &str {
        self.enums
            .get(e.0 as usize)
            .and_then(|en| en.variants.get(i as usize))
            .map_or("?", |s| s.as_str())
    }

    /// The names of the variants in the set `bits`, in declaration order.
    pub fn set_members(&self, e: EnumId, bits: u128) -> Vec<&str> {
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
