//! The coverage of the sources (`onshi check --sources`): per document, the sentences cited,
//! declared out of scope, and neither; the uncited normative ones listed (see
//! [`onshi::citations::coverage`]). Text (ja/en) or JSON.

use onshi::citations::coverage::{Coverage, DocumentCoverage, State};
use onshi::citations::sentences::Mark;
use onshi::{Lang, SourceMap};
use onshi_grammar::ast::ScopeReason;
use serde_json::{json, Value};

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CoverageFormat {
    /// Counts per document and the uncited normative sentences.
    #[default]
    Text,
    /// Every sentence of every document with how it is covered.
    Json,
    /// Nothing: the check of quotes only (the coverage is not worked out, so the problems of
    /// 範囲外 declarations other than a quote not found are not looked for either).
    None,
}

/// Collects the files of every compilation of a run into one map (each path once).
#[derive(Default)]
pub struct AllFiles {
    pub map: SourceMap,
}

impl AllFiles {
    pub fn add(&mut self, sources: &SourceMap) {
        for (_, f) in sources.files() {
            if self.map.find(&f.path).is_none() {
                self.map.add(&f.path, f.text.clone());
            }
        }
    }
}

pub fn reason_text(r: ScopeReason, lang: Lang) -> &'static str {
    match (r, lang) {
        (ScopeReason::NotARule, Lang::Ja) => "規則でない",
        (ScopeReason::OutsideDomain, Lang::Ja) => "領域外",
        (ScopeReason::Later, Lang::Ja) => "先送り",
        (ScopeReason::NotARule, _) => "not a rule",
        (ScopeReason::OutsideDomain, _) => "outside the domain",
        (ScopeReason::Later, _) => "left for later",
    }
}

fn mark_text(m: &Mark, lang: Lang) -> String {
    match (m, lang) {
        (Mark::Date, Lang::Ja) => "日付".into(),
        (Mark::Amount, Lang::Ja) => "金額".into(),
        (Mark::Date, _) => "date".into(),
        (Mark::Amount, _) => "amount".into(),
        (Mark::Word(w), _) => (*w).to_string(),
    }
}

/// The heading line of a document: `000_….txt（周知依頼）: 文 120、引用 40（全文 12・一部 28）、範囲外 70、未引用 10（うち規範的 0）`.
pub fn document_line(d: &DocumentCoverage, lang: Lang) -> String {
    let t = d.tally();
    let names = d.sources.join("・");
    match lang {
        Lang::Ja => format!(
            "{}（{names}）: 文 {}、引用 {}（全文 {}・一部 {}）、範囲外 {}、未引用 {}（うち規範的 {}）",
            d.document,
            t.sentences,
            t.cited_whole + t.cited_part,
            t.cited_whole,
            t.cited_part,
            t.declared,
            t.uncited,
            t.uncited_normative
        ),
        _ => format!(
            "{} ({names}): {} sentences, {} cited ({} wholly, {} in part), {} out of scope, {} uncited ({} normative)",
            d.document,
            t.sentences,
            t.cited_whole + t.cited_part,
            t.cited_whole,
            t.cited_part,
            t.declared,
            t.uncited,
            t.uncited_normative
        ),
    }
}

/// One uncited normative sentence: `  L12 [日付, 対象] 補助対象は…`.
pub fn uncited_line(line: usize, marks: &[Mark], text: &str, lang: Lang) -> String {
    let marks: Vec<String> = marks.iter().map(|m| mark_text(m, lang)).collect();
    format!(
        "  L{line} [{}] {}",
        marks.join(", "),
        onshi_grammar::diagnostic::clip(text, 120)
    )
}

/// The text section `onshi check --sources` prints.
pub fn text(c: &Coverage, lang: Lang) -> String {
    let mut out = String::from(match lang {
        Lang::Ja => "資料の網羅（文ごと）:\n",
        _ => "coverage of the sources (by sentence):\n",
    });
    for d in &c.documents {
        out.push_str(&document_line(d, lang));
        out.push('\n');
        for s in d.uncited_normative() {
            out.push_str(&uncited_line(s.line, &s.marks, &s.text, lang));
            out.push('\n');
        }
    }
    let n = c.uncited_normative();
    out.push_str(&match lang {
        Lang::Ja => format!("引用も範囲外の宣言もない規範的な文: {n} 件"),
        _ => format!("normative sentences neither cited nor declared out of scope: {n}"),
    });
    out
}

/// The JSON report: every sentence with its state.
pub fn json(c: &Coverage, sources: &SourceMap) -> Value {
    let docs: Vec<Value> = c
        .documents
        .iter()
        .map(|d| {
            let t = d.tally();
            let sentences: Vec<Value> = d
                .sentences
                .iter()
                .map(|s| {
                    let marks: Vec<String> =
                        s.marks.iter().map(|m| mark_text(m, Lang::En)).collect();
                    let (state, reason, note, at) = match &s.state {
                        State::Cited { whole: true } => ("cited", None, None, None),
                        State::Cited { whole: false } => ("cited_in_part", None, None, None),
                        State::Declared { reason, note, span } => (
                            "out_of_scope",
                            Some(reason.word_en()),
                            note.clone(),
                            Some(sources.locate(*span)),
                        ),
                        State::Uncited => ("uncited", None, None, None),
                    };
                    let mut v = serde_json::Map::new();
                    v.insert("line".into(), json!(s.line));
                    v.insert("text".into(), json!(s.text));
                    v.insert("normative".into(), json!(marks));
                    v.insert("state".into(), json!(state));
                    if let Some(r) = reason {
                        v.insert("reason".into(), json!(r));
                        v.insert("note".into(), json!(note));
                        v.insert("declared_at".into(), json!(at));
                    }
                    Value::Object(v)
                })
                .collect();
            json!({
                "document": d.document,
                "sources": d.sources,
                "sentences_total": t.sentences,
                "cited": t.cited_whole,
                "cited_in_part": t.cited_part,
                "out_of_scope": t.declared,
                "uncited": t.uncited,
                "uncited_normative": t.uncited_normative,
                "sentences": sentences,
            })
        })
        .collect();
    json!({ "documents": docs, "uncited_normative": c.uncited_normative() })
}
