//! A checked program described as JSON data, for shells that build forms, run examples or show
//! diagnostics without reading the policy (the WASM package, the playground, scripts):
//!
//! - [`Program::inputs_json`] / [`Program::outputs_json`]: names, types (with enumeration variants and
//!   groups), defaults, and 出典;
//! - [`Program::examples_json`]: the examples (例) as JSON facts and the expected values, in the JSON
//!   forms of `onshi eval --format json`, so another engine can run the same cases;
//! - [`diagnostic_json`] / [`run_error_json`]: diagnostics as data, each label with its byte range and
//!   line/column.
//!
//! Types are tagged by `kind`: `bool`, `int`, `money`, `ratio`, `decimal`, `date`, `duration`,
//! `text`, `enum` (with `name`, `variants`, `groups`), `set` (`of`: an enum type), `optional` (`of`),
//! and `row` (`table`, `columns`).

use crate::program::{Cite, Program};
use crate::sources::SourceMap;
use crate::types::Type;
use crate::RunError;
use onshi_grammar::ast::{RuleKind, Span};
use onshi_grammar::{Diagnostic, Severity, Text};
use serde_json::{json, Map, Value as Json};

/// `{"ja": …, "en": …}`
pub fn text_json(t: &Text) -> Json {
    json!({ "ja": t.ja, "en": t.en })
}

/// `{"file", "line", "column"}` of the start of a span (1-based; columns count characters).
pub fn at_json(sources: &SourceMap, span: Span) -> Json {
    let (line, column) = sources.line_col(span);
    let file = sources.get(span.file).map_or("", |f| f.path.as_str());
    json!({ "file": file, "line": line, "column": column })
}

/// A label's position: file, UTF-8 byte range, UTF-16 range (for JavaScript editors), and
/// 1-based line/column (in characters) of both ends.
fn range_json(sources: &SourceMap, span: Span) -> Map<String, Json> {
    let (line, column) = sources.line_col(span);
    let end = Span {
        start: span.end,
        ..span
    };
    let (end_line, end_column) = sources.line_col(end);
    let (file, utf16) = match sources.get(span.file) {
        Some(f) => {
            let units = |pos: u32| {
                let pos = (pos as usize).min(f.text.len());
                f.text.get(..pos).map_or(0, |s| s.encode_utf16().count())
            };
            (f.path.as_str(), (units(span.start), units(span.end)))
        }
        None => ("", (0, 0)),
    };
    let mut m = Map::new();
    m.insert("file".into(), json!(file));
    m.insert("start".into(), json!(span.start));
    m.insert("end".into(), json!(span.end));
    m.insert("start_utf16".into(), json!(utf16.0));
    m.insert("end_utf16".into(), json!(utf16.1));
    m.insert("line".into(), json!(line));
    m.insert("column".into(), json!(column));
    m.insert("end_line".into(), json!(end_line));
    m.insert("end_column".into(), json!(end_column));
    m
}

/// Which phase a diagnostic came from: `"compile"` (syntax and checking), `"facts"` (the JSON
/// facts; the diagnostic then has a `path`), or `"eval"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Compile,
    Facts,
    Eval,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Compile => "compile",
            Phase::Facts => "facts",
            Phase::Eval => "eval",
        }
    }
}

/// One diagnostic as data: `phase`, `code`, `severity` (`"error"` / `"warning"`), `message` and
/// `help` in both languages (`help` may be null), and `labels`, each with `text`, `primary` and its
/// position (see the module documentation).
pub fn diagnostic_json(d: &Diagnostic, sources: &SourceMap, phase: Phase) -> Json {
    let labels: Vec<Json> = d
        .labels
        .iter()
        .map(|l| {
            let mut m = range_json(sources, l.span);
            m.insert("text".into(), text_json(&l.text));
            m.insert("primary".into(), json!(l.primary));
            Json::Object(m)
        })
        .collect();
    let mut m = Map::new();
    m.insert("phase".into(), json!(phase.as_str()));
    m.insert("code".into(), json!(d.code));
    m.insert(
        "severity".into(),
        json!(match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }),
    );
    m.insert("message".into(), text_json(&d.message));
    m.insert("help".into(), d.help.as_ref().map_or(Json::Null, text_json));
    m.insert("labels".into(), Json::Array(labels));
    Json::Object(m)
}

/// Compile diagnostics as a JSON array.
pub fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap) -> Json {
    Json::Array(
        diags
            .iter()
            .map(|d| diagnostic_json(d, sources, Phase::Compile))
            .collect(),
    )
}

/// A failed evaluation as a diagnostic; bad facts also carry the JSON `path` of the field
/// (`"$.受診日"`).
pub fn run_error_json(e: &RunError, sources: &SourceMap) -> Json {
    match e {
        RunError::Facts(f) => {
            let mut d = diagnostic_json(&f.to_diagnostic(), sources, Phase::Facts);
            if let Json::Object(m) = &mut d {
                m.insert("path".into(), json!(f.path()));
            }
            d
        }
        RunError::Eval(ev) => diagnostic_json(&ev.to_diagnostic(), sources, Phase::Eval),
    }
}

impl Program {
    /// The description of a type (tagged by `kind`).
    pub fn type_json(&self, ty: &Type) -> Json {
        let simple = |k: &str| json!({ "kind": k });
        match ty {
            Type::Bool => simple("bool"),
            Type::Int => simple("int"),
            Type::Money => simple("money"),
            Type::Ratio => simple("ratio"),
            Type::Decimal => simple("decimal"),
            Type::Date => simple("date"),
            Type::Duration => simple("duration"),
            Type::Text => simple("text"),
            Type::Enum(e) => match self.enums.get(e.0 as usize) {
                Some(en) => json!({
                    "kind": "enum",
                    "name": en.name,
                    "variants": en.variants,
                    "groups": en.groups.iter().map(|(name, bits)| json!({
                        "name": name,
                        "variants": self.set_members(*e, *bits),
                    })).collect::<Vec<_>>(),
                }),
                None => simple("error"),
            },
            Type::Set(e) => json!({ "kind": "set", "of": self.type_json(&Type::Enum(*e)) }),
            Type::Optional(t) => json!({ "kind": "optional", "of": self.type_json(t) }),
            Type::Row(t) => match self.tables.get(t.0 as usize) {
                Some(table) => json!({
                    "kind": "row",
                    "table": table.name,
                    "columns": table.results.iter().map(|c| json!({
                        "name": c.name,
                        "type": self.type_json(&c.ty),
                    })).collect::<Vec<_>>(),
                }),
                None => simple("error"),
            },
            Type::Absent => simple("absent"),
            Type::Error => simple("error"),
        }
    }

    fn type_text_json(&self, ty: &Type) -> Json {
        json!({ "ja": self.type_name(ty, false), "en": self.type_name(ty, true) })
    }

    /// 出典 citations: `[{source, document, title, external, locator, place, passages}]` (the form
    /// explanations use): `locator` as written, `place` the locator without its quotes (where in the
    /// document), `passages` the quoted words of the document, `external` for a document declared
    /// `外部` (not at hand, so not verifiable).
    pub fn cites_json(&self, cites: &[Cite]) -> Json {
        Json::Array(
            cites
                .iter()
                .filter_map(|c| {
                    let s = self.sources.get(c.source as usize)?;
                    Some(json!({
                        "source": s.name,
                        "document": s.document,
                        "title": s.title,
                        "external": s.external,
                        "locator": c.locator,
                        "place": c.place,
                        "passages": c.passages,
                    }))
                })
                .collect(),
        )
    }

    /// The policy itself: `name`, `fiscal_year` (Gregorian year the 年度 starts), and its declared
    /// sources `[{name, document, title}]`.
    pub fn info_json(&self) -> Json {
        json!({
            "name": self.name,
            "fiscal_year": self.fiscal_year,
            "sources": self.sources.iter().map(|s| json!({
                "name": s.name,
                "document": s.document,
                "title": s.title,
                "external": s.external,
            })).collect::<Vec<_>>(),
        })
    }

    /// Every input, in declaration order: `name`, `kind` (the type's `kind`, so a tagged union can
    /// narrow on it), `type`, `type_text` ({ja, en}), `required`,
    /// `default` (present only when not required; `null` for an optional input without one, in the
    /// JSON forms of the facts), `sources` and `at`.
    pub fn inputs_json(&self, sources: &SourceMap) -> Json {
        Json::Array(
            self.inputs
                .iter()
                .map(|i| {
                    let ty = self.type_json(&i.ty);
                    let mut m = Map::new();
                    m.insert("name".into(), json!(i.name));
                    m.insert("kind".into(), ty.get("kind").cloned().unwrap_or(Json::Null));
                    m.insert("type".into(), ty);
                    m.insert("type_text".into(), self.type_text_json(&i.ty));
                    m.insert("required".into(), json!(i.default.is_none()));
                    if let Some(d) = &i.default {
                        m.insert("default".into(), self.value_to_json(d, &i.ty));
                    }
                    m.insert("sources".into(), self.cites_json(&i.cites));
                    m.insert("at".into(), at_json(sources, i.span));
                    Json::Object(m)
                })
                .collect(),
        )
    }

    /// Every output, in declaration order: `name`, `kind` (the type's), `type`, `type_text`,
    /// `sources`, `at`, and
    /// `rules` (for an output written as 原則/例外: `[{kind: "原則"|"例外", label, sources, at}]`).
    pub fn outputs_json(&self, sources: &SourceMap) -> Json {
        Json::Array(
            self.output_defs()
                .map(|d| {
                    let rules: Vec<Json> = d
                        .rules
                        .iter()
                        .map(|r| {
                            json!({
                                "kind": match r.kind {
                                    RuleKind::Principle => "原則",
                                    RuleKind::Exception => "例外",
                                },
                                "label": r.label,
                                "sources": self.cites_json(&r.cites),
                                "at": at_json(sources, r.span),
                            })
                        })
                        .collect();
                    let ty = self.type_json(&d.ty);
                    json!({
                        "name": d.name,
                        "kind": ty.get("kind").cloned().unwrap_or(Json::Null),
                        "type": ty,
                        "type_text": self.type_text_json(&d.ty),
                        "sources": self.cites_json(&d.cites),
                        "at": at_json(sources, d.span),
                        "rules": rules,
                    })
                })
                .collect(),
        )
    }

    /// The examples (例) of the entry file as cases another engine can run: `name`, `at`, `facts`
    /// (only the inputs the example gives, as JSON facts), `expect` (expected outputs, in the JSON
    /// form of `onshi eval --format json`) and `expect_definitions` (expected values of
    /// definitions that are not outputs, which `evaluate` does not report).
    pub fn examples_json(&self, sources: &SourceMap) -> Json {
        Json::Array(
            self.examples
                .iter()
                .map(|ex| {
                    let mut facts = Map::new();
                    for (i, v) in &ex.given {
                        if let Some(input) = self.inputs.get(*i as usize) {
                            facts.insert(input.name.clone(), self.value_to_json(v, &input.ty));
                        }
                    }
                    let mut expect = Map::new();
                    let mut other = Map::new();
                    for (d, v) in &ex.expect {
                        if let Some(def) = self.defs.get(*d as usize) {
                            let target = if def.output { &mut expect } else { &mut other };
                            target.insert(def.name.clone(), self.value_to_json(v, &def.ty));
                        }
                    }
                    json!({
                        "name": ex.name,
                        "at": at_json(sources, ex.span),
                        "facts": facts,
                        "expect": expect,
                        "expect_definitions": other,
                    })
                })
                .collect(),
        )
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use crate::compile;
    use std::collections::BTreeMap;

    const COMMON: &str = "出典 通知 = \"000.txt\" 「通知」\n\
列挙 書類 = 保険証 | 確認書 | 画面\n  群 紙 = 保険証 | 確認書\n";

    const POLICY: &str = "政策 \"テスト\"\n取込 \"../common/c.onshi\"\n\
入力 日: 日付\n  出典 通知 \"第1条\"\n\
入力 提示: 集合<書類> 既定 {}\n\
入力 期限: 任意<日付>\n\
入力 額: 金額 既定 1000円\n\
定義 倍: 金額 = 額 × 2\n\
出力 可: 真偽\n  原則 不可: 偽\n  例外 紙あり: もし 要素数(提示 ∩ 紙) > 0 ならば 真\n    出典 通知 \"第2条\"\n\
出力 合計: 金額 = 倍 + 1円\n\
例 \"保険証で可\"\n  事実 日 = 令和7年12月1日, 提示 = {保険証}\n  期待 可 = 真, 倍 = 2000円, 合計 = 2001円\n";

    fn compiled() -> crate::Compiled {
        let mut files = BTreeMap::new();
        files.insert("p/common/c.onshi".to_string(), COMMON.to_string());
        files.insert("p/r7/x.onshi".to_string(), POLICY.to_string());
        compile(&files, "p/r7/x.onshi")
    }

    #[test]
    fn inputs_describe_types_defaults_and_sources() {
        let c = compiled();
        let Some(p) = c.program else {
            panic!("{:?}", c.diagnostics);
        };
        let inputs = p.inputs_json(&c.sources);
        assert_eq!(inputs[0]["name"], "日");
        assert_eq!(inputs[0]["type"], json!({"kind": "date"}));
        assert_eq!(inputs[0]["kind"], "date");
        assert_eq!(inputs[0]["required"], true);
        assert!(inputs[0].get("default").is_none());
        assert_eq!(inputs[0]["sources"][0]["locator"], "第1条");
        assert_eq!(inputs[0]["at"]["file"], "p/r7/x.onshi");
        assert_eq!(inputs[0]["at"]["line"], 3);
        assert_eq!(inputs[1]["type"]["kind"], "set");
        assert_eq!(
            inputs[1]["type"]["of"]["variants"],
            json!(["保険証", "確認書", "画面"])
        );
        assert_eq!(
            inputs[1]["type"]["of"]["groups"],
            json!([{"name": "紙", "variants": ["保険証", "確認書"]}])
        );
        assert_eq!(inputs[1]["default"], json!([]));
        assert_eq!(inputs[1]["type_text"]["ja"], "集合<書類>");
        assert_eq!(inputs[2]["type"]["kind"], "optional");
        assert_eq!(inputs[2]["required"], false);
        assert_eq!(inputs[2]["default"], Json::Null);
        assert_eq!(inputs[3]["default"], json!(1000));
    }

    #[test]
    fn outputs_list_rules_with_labels() {
        let c = compiled();
        let p = c.program.unwrap();
        let outputs = p.outputs_json(&c.sources);
        assert_eq!(outputs.as_array().map(Vec::len), Some(2));
        assert_eq!(outputs[0]["name"], "可");
        assert_eq!(outputs[0]["rules"][1]["kind"], "例外");
        assert_eq!(outputs[0]["rules"][1]["label"], "紙あり");
        assert_eq!(outputs[0]["rules"][1]["sources"][0]["locator"], "第2条");
        assert_eq!(outputs[1]["type"], json!({"kind": "money"}));
    }

    #[test]
    fn examples_evaluate_to_their_expectations() {
        let c = compiled();
        let p = c.program.unwrap();
        let examples = p.examples_json(&c.sources);
        let ex = &examples[0];
        assert_eq!(ex["facts"], json!({"日": "2025-12-01", "提示": ["保険証"]}));
        assert_eq!(ex["expect"], json!({"可": true, "合計": 2001}));
        assert_eq!(ex["expect_definitions"], json!({"倍": 2000}));
        let out = p.evaluate_json(&ex["facts"], None).unwrap();
        for (k, v) in ex["expect"].as_object().unwrap() {
            assert_eq!(&out["outputs"][k], v);
        }
    }

    #[test]
    fn diagnostics_carry_ranges_and_lines() {
        let mut files = BTreeMap::new();
        files.insert(
            "a.onshi".to_string(),
            "出力 x: 整数 =\n  未定義の名前\n".to_string(),
        );
        let c = compile(&files, "a.onshi");
        assert!(c.program.is_none());
        let diags = diagnostics_json(&c.diagnostics, &c.sources);
        let d = &diags[0];
        assert_eq!(d["phase"], "compile");
        assert_eq!(d["severity"], "error");
        assert!(d["code"].as_str().unwrap().starts_with("onshi::"));
        assert!(!d["message"]["ja"].as_str().unwrap().is_empty());
        assert!(!d["message"]["en"].as_str().unwrap().is_empty());
        let l = &d["labels"][0];
        assert_eq!(l["file"], "a.onshi");
        assert_eq!(l["line"], 2);
        assert_eq!(l["column"], 3);
        let start = "出力 x: 整数 =\n  ".len();
        assert_eq!(l["start"], start);
        assert_eq!(l["end"], start + "未定義の名前".len());
        assert_eq!(
            l["start_utf16"],
            "出力 x: 整数 =\n  ".encode_utf16().count()
        );
        assert_eq!(l["end_column"], 9);
    }

    #[test]
    fn bad_facts_name_the_field() {
        let c = compiled();
        let p = c.program.unwrap();
        let e = p
            .evaluate_json(&json!({"日": "令和7年2月30日"}), None)
            .unwrap_err();
        let d = run_error_json(&e, &c.sources);
        assert_eq!(d["phase"], "facts");
        assert_eq!(d["path"], "$.日");
        assert!(d["message"]["ja"].as_str().unwrap().contains("$.日"));
        let e = p.evaluate_json(&json!({"提示": []}), None).unwrap_err();
        assert_eq!(run_error_json(&e, &c.sources)["path"], "$.日");
    }
}
