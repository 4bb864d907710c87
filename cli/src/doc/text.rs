//! Wording for the review document: values (money with separators, 和暦 beside ISO dates in both
//! languages), fiscal years, rules and rows, and the policy's own text (a rule or formula as
//! written, the comment above a declaration as what it means).
//!
//! The model ([`super::model`], [`super::compare`]) holds [`Words`] — the text in both languages —
//! wherever the reader's language matters, and makes no language choice; [`word`] picks the
//! reader's language for the whole page once, when it is rendered.

use minijinja::value::{Enumerator, Object, ObjectRepr, Value as Page, ValueKind};
use onshi::program::Matcher;
use onshi::types::Type;
use onshi::{Lang, Program, SourceMap, Text, Value};
use onshi_grammar::ast::{CmpOp, RuleKind, Span};
use onshi_grammar::literal::format_wareki;
use serde::Serialize;
use std::sync::Arc;

/// A text in both languages, as the model holds it (serialised as `{ja, en}`).
#[derive(Serialize, Clone, Debug, PartialEq, Eq)]
pub struct Words {
    pub ja: String,
    pub en: String,
}

impl Words {
    /// The text `f` words in each language.
    pub fn by(f: impl Fn(Lang) -> String) -> Words {
        Words {
            ja: f(Lang::Ja),
            en: f(Lang::En),
        }
    }

    /// The same text in both languages (a name, the policy's own words).
    pub fn same(text: impl Into<String>) -> Words {
        let text = text.into();
        Words {
            ja: text.clone(),
            en: text,
        }
    }

    /// Each language's text through `f`.
    pub fn map(&self, f: impl Fn(&str) -> String) -> Words {
        Words {
            ja: f(&self.ja),
            en: f(&self.en),
        }
    }
}

impl From<Text> for Words {
    fn from(t: Text) -> Words {
        Words { ja: t.ja, en: t.en }
    }
}

/// A page's data (the model, serialised) in the reader's language: each [`Words`] (a map of exactly
/// `ja` and `en`) reads as its text in `lang`; everything else is kept. The one place a document is
/// worded. Lazily: a map or a list is wrapped ([`Worded`]) and its members are worded as the
/// template reads them, so the parts of the model a page does not show cost nothing.
pub fn word(data: &Page, lang: Lang) -> Page {
    match data.kind() {
        ValueKind::Map if is_words(data) => data
            .get_attr(if lang == Lang::Ja { "ja" } else { "en" })
            .unwrap_or_else(|_| data.clone()),
        ValueKind::Map | ValueKind::Seq => Page::from_object(Worded {
            data: data.clone(),
            lang,
        }),
        _ => data.clone(),
    }
}

fn is_words(data: &Page) -> bool {
    data.len() == Some(2)
        && ["ja", "en"]
            .iter()
            .all(|k| data.get_attr(k).is_ok_and(|v| v.as_str().is_some()))
}

/// A map or a list of a page's data, whose members [`word`] words as they are read.
#[derive(Debug)]
struct Worded {
    data: Page,
    lang: Lang,
}

impl Object for Worded {
    fn repr(self: &Arc<Self>) -> ObjectRepr {
        match self.data.kind() {
            ValueKind::Seq => ObjectRepr::Seq,
            _ => ObjectRepr::Map,
        }
    }

    fn get_value(self: &Arc<Self>, key: &Page) -> Option<Page> {
        let v = self.data.get_item(key).ok()?;
        (!v.is_undefined()).then(|| word(&v, self.lang))
    }

    fn enumerate(self: &Arc<Self>) -> Enumerator {
        match self.data.kind() {
            ValueKind::Seq => Enumerator::Seq(self.data.len().unwrap_or(0)),
            _ => match self.data.try_iter() {
                Ok(keys) => Enumerator::Values(keys.collect()),
                Err(_) => Enumerator::Empty,
            },
        }
    }
}

/// A value in both languages; a date shows its 和暦 in English too.
pub fn value_text(p: &Program, v: &Value, ty: &Type) -> Words {
    Words::by(|lang| value_in(p, v, ty, lang))
}

fn value_in(p: &Program, v: &Value, ty: &Type, lang: Lang) -> String {
    let text = p.value_text(v, ty, lang);
    match v {
        Value::Date(d) if lang != Lang::Ja => match format_wareki(*d) {
            Some(w) => format!("{text} ({w})"),
            None => text,
        },
        _ => text,
    }
}

/// `令和7年度（2025年度）` / `FY2025 (令和7年度)`: the 年度 that starts in April of `year`.
pub fn fiscal_year_text(year: i32) -> Words {
    Words::by(|lang| fiscal_year_in(year, lang))
}

fn fiscal_year_in(year: i32, lang: Lang) -> String {
    let era = if year >= 2019 {
        Some(("令和", year - 2018))
    } else if year >= 1989 {
        Some(("平成", year - 1988))
    } else if year >= 1926 {
        Some(("昭和", year - 1925))
    } else {
        None
    };
    let wareki = era.map(|(name, n)| {
        if n == 1 {
            format!("{name}元年度")
        } else {
            format!("{name}{n}年度")
        }
    });
    match (lang, wareki) {
        (Lang::Ja, Some(w)) => format!("{w}（{year}年度）"),
        (Lang::Ja, None) => format!("{year}年度"),
        (_, Some(w)) => format!("FY{year} ({w})"),
        (_, None) => format!("FY{year}"),
    }
}

/// The comment lines written right above a declaration (`# …`), without their markers.
pub fn meaning(sources: &SourceMap, span: Span) -> Vec<String> {
    let Some(file) = sources.get(span.file) else {
        return Vec::new();
    };
    let before = file.text.get(..span.start as usize).unwrap_or_default();
    // The part of the declaration's own line before it (its indentation) is not a comment line.
    let skip = usize::from(!before.is_empty() && !before.ends_with('\n'));
    let mut lines: Vec<String> = Vec::new();
    for line in before.lines().rev().skip(skip) {
        let t = line.trim();
        match ["#", "//", "※"].iter().find_map(|m| t.strip_prefix(m)) {
            // Rulers (`# ---- 判定`) keep only their words.
            Some(rest) => {
                let words = rest.trim().trim_start_matches(['-', '─', '━', '=']).trim();
                if !words.is_empty() {
                    lines.push(words.to_string());
                }
            }
            None => break,
        }
    }
    lines.reverse();
    lines
}

/// A rule or a definition as written, for a reader: citation and comment lines dropped, the
/// heading (`例外 施行前 > 紙レセプト:`, `出力 補助額: 金額 =`) cut off, indentation evened.
pub fn rule_text(snippet: &str) -> String {
    let kept: Vec<&str> = snippet
        .lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with("出典")
                || t.starts_with('#')
                || t.starts_with("//")
                || t.starts_with('※')
                || t.is_empty())
        })
        .collect();
    let text = kept.join("\n");
    let t = text.trim_start();
    let body = if t.starts_with("原則") || t.starts_with("例外") {
        t.split_once(':').map_or(t, |(_, b)| b)
    } else if t.starts_with("出力") || t.starts_with("定義") {
        t.split_once('=').map_or(t, |(_, b)| b)
    } else {
        t
    };
    let lines: Vec<&str> = body.lines().collect();
    let indent = lines
        .iter()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start().len())
        .min()
        .unwrap_or(0);
    let mut out: Vec<&str> = Vec::new();
    for (k, l) in lines.iter().enumerate() {
        if k == 0 {
            out.push(l.trim());
        } else {
            out.push(l.get(indent..).unwrap_or(l.trim_start()));
        }
    }
    out.join("\n").trim().to_string()
}

/// A formula in words a reader follows: a field of a table's row (`内容.補助率`, where `内容` is a
/// row looked up in 補助内容) reads 「補助内容 の 補助率」; a field of anything else `a.b` reads
/// 「a の b」. Numbers (`4.1万円`) stay as written. `lookups`: (definition, table it looks up).
pub fn readable(formula: &str, lookups: &[(String, String)]) -> Words {
    Words::by(|lang| readable_in(formula, lookups, lang))
}

fn readable_in(formula: &str, lookups: &[(String, String)], lang: Lang) -> String {
    let of = if lang == Lang::Ja { " の " } else { "'s " };
    let word = |c: char| c.is_alphanumeric() || c == '_';
    let chars: Vec<char> = formula.chars().collect();
    let mut out = String::with_capacity(formula.len() + 8);
    let mut i = 0;
    while let Some(&c) = chars.get(i) {
        if !word(c) {
            out.push(c);
            i += 1;
            continue;
        }
        // A run of word characters, and whether a field access follows it.
        let start = i;
        while chars.get(i).is_some_and(|&c| word(c)) {
            i += 1;
        }
        let name: String = chars.get(start..i).unwrap_or_default().iter().collect();
        let field_follows =
            chars.get(i) == Some(&'.') && chars.get(i + 1).is_some_and(|&c| word(c));
        let numeric = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_digit() || ('０'..='９').contains(&c));
        if field_follows && !numeric {
            let table = lookups
                .iter()
                .find(|(d, _)| *d == name)
                .map_or(name.as_str(), |(_, t)| t.as_str());
            out.push_str(table);
            out.push_str(of);
            i += 1;
        } else {
            out.push_str(&name);
        }
    }
    out
}

/// 原則 / 例外 (principle / exception).
pub fn rule_kind(kind: RuleKind) -> Words {
    let (ja, en) = match kind {
        RuleKind::Principle => ("原則", "principle"),
        RuleKind::Exception => ("例外", "exception"),
    };
    Words {
        ja: ja.to_string(),
        en: en.to_string(),
    }
}

/// `例外 紙レセプト` / `exception 紙レセプト`.
pub fn rule_label(kind: RuleKind, label: Option<&str>) -> Words {
    rule_kind(kind).map(|k| {
        format!("{k} {}", label.unwrap_or_default())
            .trim()
            .to_string()
    })
}

/// `表 補助内容 の 2 行目` / `row 2 of table 補助内容` (`k` counts from 0).
pub fn row_text(table: &str, k: usize) -> Words {
    Words {
        ja: format!("表 {table} の {} 行目", k + 1),
        en: format!("row {} of table {table}", k + 1),
    }
}

/// A key cell: `-` (any), a value, variants, a comparison or a range.
pub fn matcher_text(p: &Program, m: &Matcher, ty: &Type) -> Words {
    match m {
        Matcher::Any => Words::same("-"),
        Matcher::Eq(v) => value_text(p, v, ty),
        Matcher::OneOf(bits) => match ty.strip_optional() {
            Type::Enum(e) => Words::same(p.set_members(*e, *bits).join(", ")),
            _ => Words::same("?"),
        },
        Matcher::Cmp(op, v) => {
            let op = match op {
                CmpOp::Lt => "<",
                CmpOp::Le => "≤",
                CmpOp::Gt => ">",
                CmpOp::Ge => "≥",
                CmpOp::Ne => "≠",
                _ => "=",
            };
            value_text(p, v, ty).map(|v| format!("{op} {v}"))
        }
        Matcher::Range(a, b) => {
            let (a, b) = (value_text(p, a, ty), value_text(p, b, ty));
            Words {
                ja: format!("{} 〜 {}", a.ja, b.ja),
                en: format!("{} 〜 {}", a.en, b.en),
            }
        }
    }
}

/// The values an input takes, when they are few: variants (and named groups), 真/偽.
pub fn allowed(p: &Program, ty: &Type) -> Option<Words> {
    Some(Words {
        ja: allowed_in(p, ty, Lang::Ja)?,
        en: allowed_in(p, ty, Lang::En)?,
    })
}

fn allowed_in(p: &Program, ty: &Type, lang: Lang) -> Option<String> {
    let ja = lang == Lang::Ja;
    let base = match ty.strip_optional() {
        Type::Bool => Some(if ja { "真, 偽" } else { "true, false" }.to_string()),
        Type::Enum(e) | Type::Set(e) => p.enums().get(e.0 as usize).map(|en| {
            let mut s = en.variants.join(", ");
            for (name, bits) in &en.groups {
                s.push_str(&format!(
                    "（{} {name} = {}）",
                    if ja { "群" } else { "group" },
                    p.set_members(*e, *bits).join(", ")
                ));
            }
            if matches!(ty.strip_optional(), Type::Set(_)) {
                s = if ja {
                    format!("次の値の集合: {s}")
                } else {
                    format!("a set of: {s}")
                };
            }
            s
        }),
        _ => None,
    };
    if ty.is_optional() {
        let absent = if ja { "未設定" } else { "absent" };
        Some(base.map_or_else(|| absent.to_string(), |b| format!("{b}, {absent}")))
    } else {
        base
    }
}

/// The comment block that opens a policy file (what the analyst wrote about the sources: where they
/// disagree, what was inferred), line by line as written, without the comment markers; blank
/// comment lines kept, rulers dropped.
pub fn header_notes(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for line in text.lines() {
        let t = line.trim_end();
        let Some(rest) = ["#", "//", "※"]
            .iter()
            .find_map(|m| t.trim_start().strip_prefix(m))
        else {
            if t.is_empty() && lines.is_empty() {
                continue;
            }
            break;
        };
        let words = rest.strip_prefix(' ').unwrap_or(rest);
        if !words.is_empty() && words.trim().trim_matches(['-', '─', '━', '=']).is_empty() {
            continue;
        }
        lines.push(words.to_string());
    }
    while lines.last().is_some_and(|l| l.trim().is_empty()) {
        lines.pop();
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fiscal_years() {
        assert_eq!(fiscal_year_text(2025).ja, "令和7年度（2025年度）");
        assert_eq!(fiscal_year_text(2019).ja, "令和元年度（2019年度）");
        assert_eq!(fiscal_year_text(2020).en, "FY2020 (令和2年度)");
        assert_eq!(fiscal_year_text(2018).ja, "平成30年度（2018年度）");
    }

    #[test]
    fn rules_and_formulas_lose_their_heading_and_citations() {
        assert_eq!(
            rule_text("例外 施行前 > 紙レセプト: もし 施行前 ならば 真\n    出典 ポータル \"…\""),
            "もし 施行前 ならば 真"
        );
        assert_eq!(
            rule_text(
                "出力 対象事業額: 金額 =\n  もし a ならば b\n  そうでなければ c\n  出典 x \"y\""
            ),
            "もし a ならば b\nそうでなければ c"
        );
        assert_eq!(
            rule_text("定義 内容 = 補助内容(事業, 区分)"),
            "補助内容(事業, 区分)"
        );
    }

    #[test]
    fn formulas_read_as_words() {
        let lookups = vec![("内容".to_string(), "補助内容".to_string())];
        assert_eq!(
            readable("最小(モバイル端末費用, 内容.端末上限) + 4.1万円", &lookups).ja,
            "最小(モバイル端末費用, 補助内容 の 端末上限) + 4.1万円"
        );
        assert_eq!(readable("行.上限 × 1/2", &[]).ja, "行 の 上限 × 1/2");
        assert_eq!(readable("内容.補助率", &lookups).en, "補助内容's 補助率");
        assert_eq!(readable("１.５", &[]).ja, "１.５");
    }

    #[test]
    fn a_page_is_worded_in_one_language() {
        #[derive(Serialize)]
        struct Row {
            name: String,
            kind: Words,
            cells: Vec<(String, Words)>,
            year: Option<Words>,
        }
        let row = Row {
            name: "補助額".to_string(),
            kind: rule_kind(RuleKind::Exception),
            cells: vec![("a".to_string(), row_text("t", 1))],
            year: None,
        };
        let data = Page::from(minijinja::value::Serde(&row));
        let ja = word(&data, Lang::Ja);
        let en = word(&data, Lang::En);
        assert_eq!(ja.get_attr("kind").unwrap().as_str(), Some("例外"));
        assert_eq!(en.get_attr("kind").unwrap().as_str(), Some("exception"));
        assert_eq!(en.get_attr("name").unwrap().as_str(), Some("補助額"));
        let cell = ja.get_attr("cells").unwrap().get_item_by_index(0).unwrap();
        assert_eq!(
            cell.get_item_by_index(1).unwrap().as_str(),
            Some("表 t の 2 行目")
        );
        assert!(en.get_attr("year").unwrap().is_none());
    }

    #[test]
    fn the_opening_comment_block_as_paragraphs() {
        let text = "# 題\n# Interface: x\n#\n# 資料が黙っている所:\n# - 一つ目の\n#   続き\n# ------\n#\n\n政策 \"x\"\n# 後のコメント\n";
        assert_eq!(
            header_notes(text),
            vec![
                "題",
                "Interface: x",
                "",
                "資料が黙っている所:",
                "- 一つ目の",
                "  続き"
            ]
        );
        assert!(header_notes("政策 \"x\"\n# a\n").is_empty());
    }
}
