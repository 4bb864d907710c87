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
        Some(d) => match d.normalize().to_string().parse::<serde_json::Number>() {
            Ok(number) => Json::Number(number),
            Err(_) => Json::String(d.to_string()),
        },
        None => Json::String(n.to_string()),
    }
}

/// A JSON string as serde_json writes it.
fn json_str(out: &mut Vec<u8>, s: &str) -> std::io::Result<()> {
    if s.bytes().any(|b| b == b'"' || b == b'\\' || b < 0x20) {
        return Ok(serde_json::to_writer(&mut *out, s)?);
    }
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
    Ok(())
}

/// The amount as an `i64`, when it is a whole number that fits.
fn whole(n: &Num) -> Option<i64> {
    if n.is_integer() {
        i64::try_from(n.numer()).ok()
    } else {
        None
    }
}

/// `i` in decimal, as `{i}` writes it (without the formatting machinery when it fits a `u64`).
fn write_int(i: i128, out: &mut String) {
    if i < 0 {
        out.push('-');
    }
    let n = i.unsigned_abs();
    let Ok(mut n) = u64::try_from(n) else {
        let _ = write!(out, "{n}");
        return;
    };
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        if let Some(d) = digits.get_mut(k) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || k == 0 {
            break;
        }
    }
    if let Some(s) = digits.get(k..).and_then(|d| std::str::from_utf8(d).ok()) {
        out.push_str(s);
    }
}

/// `n` as two digits (`n` < 100).
fn write_two(n: u32, out: &mut String) {
    out.push(char::from(b'0' + (n / 10 % 10) as u8));
    out.push(char::from(b'0' + (n % 10) as u8));
}

fn write_ratio(n: &Num, out: &mut String) {
    write_int(n.numer(), out);
    out.push('/');
    write_int(n.denom(), out);
}

/// `2025-12-01` (dates are 1873..=9999, so four digits always suffice).
fn write_date(d: NaiveDate, out: &mut String) {
    match u32::try_from(d.year()) {
        Ok(y) if y <= 9999 => {
            write_two(y / 100, out);
            write_two(y % 100, out);
            out.push('-');
            write_two(d.month(), out);
            out.push('-');
            write_two(d.day(), out);
        }
        _ => {
            let _ = write!(out, "{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        }
    }
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

    /// [`Program::value_to_json`] written as serde_json writes it, straight into `out` for the
    /// common types (without building JSON).
    pub fn write_json(&self, v: &Value, ty: &Type, out: &mut Vec<u8>) -> std::io::Result<()> {
        let mut cell = String::new();
        match (v, ty.strip_optional()) {
            (Value::Absent, _) => out.extend_from_slice(b"null"),
            (Value::Bool(b), _) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
            (Value::Int(i), _) => write_int(i128::from(*i), &mut cell),
            (Value::Money(n) | Value::Decimal(n), _) if whole(n).is_some() => {
                write_int(i128::from(whole(n).unwrap_or_default()), &mut cell)
            }
            (Value::Ratio(n), _) => {
                cell.push('"');
                write_ratio(n, &mut cell);
                cell.push('"');
            }
            (Value::Date(d), _) => {
                cell.push('"');
                write_date(*d, &mut cell);
                cell.push('"');
            }
            (Value::Enum(i), Type::Enum(e)) => json_str(out, self.variant_name(*e, *i))?,
            (Value::Set(bits), Type::Set(e)) => {
                out.push(b'[');
                for (k, name) in self.set_members(*e, *bits).into_iter().enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    json_str(out, name)?;
                }
                out.push(b']');
            }
            _ => serde_json::to_writer(&mut *out, &self.value_to_json(v, ty))?,
        }
        out.extend_from_slice(cell.as_bytes());
        Ok(())
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
            (Value::Int(i), _) => write_int(i128::from(*i), out),
            (Value::Money(n), _) if whole(n).is_some() => {
                write_int(i128::from(whole(n).unwrap_or_default()), out)
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    /// `write_json` writes the bytes serde_json writes for `value_to_json`, on every type.
    #[test]
    fn write_json_is_serde_json_of_value_to_json() {
        let src = "列挙 種別 = 病院 | 診療所 | 薬局\n入力 種別: 種別\n出力 x: 金額 = 0円\n";
        let mut files = BTreeMap::new();
        files.insert("a.onshi".to_string(), src.to_string());
        let c = crate::compile(&files, "a.onshi");
        let p = c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics));
        let date = NaiveDate::from_ymd_opt(2026, 1, 15).unwrap();
        let money = |n, d| Value::Money(Num::new(n, d).unwrap());
        let cases = [
            (Value::Absent, Type::Optional(Box::new(Type::Money))),
            (Value::Bool(true), Type::Bool),
            (Value::Int(-12), Type::Int),
            (Value::Int(i64::MIN), Type::Int),
            (Value::Int(0), Type::Int),
            (Value::Ratio(Num::new(-i128::MAX, 7).unwrap()), Type::Ratio),
            (
                Value::Date(NaiveDate::from_ymd_opt(1873, 1, 1).unwrap()),
                Type::Date,
            ),
            (
                Value::Date(NaiveDate::from_ymd_opt(9999, 12, 31).unwrap()),
                Type::Date,
            ),
            (money(411000, 1), Type::Money),
            (money(-5, 1), Type::Optional(Box::new(Type::Money))),
            (money(1, 3), Type::Money),
            (money(3, 2), Type::Money),
            (Value::Decimal(Num::new(7, 4).unwrap()), Type::Decimal),
            (Value::Ratio(Num::new(3, 4).unwrap()), Type::Ratio),
            (Value::Date(date), Type::Date),
            (Value::Text("「あ」\"\n".into()), Type::Text),
            (Value::Enum(0), Type::Enum(EnumId(0))),
            (Value::Enum(1), Type::Enum(EnumId(0))),
            (Value::Enum(0), Type::Int),
            (Value::Set(0b101), Type::Set(EnumId(0))),
            (Value::Set(0), Type::Set(EnumId(0))),
        ];
        for (v, ty) in cases {
            let mut out = Vec::new();
            p.write_json(&v, &ty, &mut out).unwrap();
            let want = serde_json::to_vec(&p.value_to_json(&v, &ty)).unwrap();
            assert_eq!(String::from_utf8(out), String::from_utf8(want), "{v:?}");
            // A CSV cell is the JSON form with strings unquoted.
            let mut cell = String::new();
            p.write_csv_cell(&v, &ty, &mut cell);
            let json = p.value_to_json(&v, &ty);
            let want = match &json {
                Json::Null => String::new(),
                Json::String(s) => s.clone(),
                Json::Array(items) => {
                    let items: Vec<&str> = items.iter().filter_map(|i| i.as_str()).collect();
                    items.join(";")
                }
                other => other.to_string(),
            };
            assert_eq!(cell, want, "{v:?}");
        }
    }
}
