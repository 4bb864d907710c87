//! The coverage of the sources as a review page (`onshi doc --sources DIR`): per document, how
//! many sentences the policies cite, each `範囲外` declaration with its reason and the sentences
//! it sets aside, and every normative sentence that is neither (see
//! [`onshi::citations::coverage`]). Like the other pages' models it holds every text in both
//! languages ([`Words`]); the page is worded when it is rendered.

use super::text::Words;
use crate::coverage::{document_line, reason_text};
use onshi::citations::coverage::{Coverage, State};
use onshi::SourceMap;
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct SourcesPage {
    pub title: Words,
    pub intro: Words,
    pub documents: Vec<DocumentPage>,
    /// Column and section names.
    pub words: BTreeMap<&'static str, Words>,
}

#[derive(Serialize)]
pub struct DocumentPage {
    pub document: String,
    pub summary: Words,
    pub declarations: Vec<DeclarationRow>,
    pub uncited: Vec<SentenceRow>,
}

#[derive(Serialize)]
pub struct DeclarationRow {
    pub reason: Words,
    pub note: String,
    /// `policies/scope/000.onshi:12`.
    pub at: String,
    pub sentences: Vec<SentenceRow>,
}

#[derive(Serialize, Clone)]
pub struct SentenceRow {
    pub line: usize,
    pub text: String,
    /// A citation quotes it too (a declaration over a range takes in cited sentences).
    pub cited: bool,
}

pub fn page(c: &Coverage, sources: &SourceMap) -> SourcesPage {
    let documents = c
        .documents
        .iter()
        .map(|d| {
            // Each declaration with the sentences it covers (those a citation also quotes marked).
            let declarations: Vec<DeclarationRow> = d
                .declarations
                .iter()
                .map(|x| DeclarationRow {
                    reason: Words::by(|lang| reason_text(x.reason, lang).to_string()),
                    note: x.note.clone().unwrap_or_default(),
                    at: sources.locate(x.span),
                    sentences: x
                        .sentences
                        .iter()
                        .filter_map(|i| d.sentences.get(*i))
                        .map(|s| SentenceRow {
                            line: s.line,
                            text: s.text.clone(),
                            cited: matches!(s.state, State::Cited { .. }),
                        })
                        .collect(),
                })
                .collect();
            DocumentPage {
                document: d.document.clone(),
                summary: Words::by(|lang| document_line(d, lang)),
                declarations,
                uncited: d
                    .uncited_normative()
                    .map(|s| SentenceRow {
                        line: s.line,
                        text: s.text.clone(),
                        cited: false,
                    })
                    .collect(),
            }
        })
        .collect();
    let w = |ja: &str, en: &str| Words {
        ja: ja.to_string(),
        en: en.to_string(),
    };
    let words = [
        (
            "declared",
            w(
                "範囲外と宣言した文（理由つき）",
                "Sentences declared out of scope (with reasons)",
            ),
        ),
        ("reason", w("理由", "Reason")),
        ("note", w("説明", "Why")),
        ("at", w("宣言", "Declared at")),
        ("line", w("行", "Line")),
        ("sentence", w("文", "Sentence")),
        (
            "uncited",
            w(
                "引用も宣言もない規範的な文",
                "Normative sentences neither cited nor declared",
            ),
        ),
        ("none", w("ありません。", "None.")),
        ("also_cited", w("（規則が引用）", " (cited by a rule)")),
    ]
    .into_iter()
    .collect();
    SourcesPage {
        title: w("資料の網羅", "Coverage of the sources"),
        intro: w(
            "資料の文（。・行・表の行・箇条で区切る）ごとに、政策の出典が引用しているか、範囲外と宣言しているか。規範的な文（日付・金額・義務・必要・できる・対象・期限などを含む文）は、どちらかでなければなりません（onshi check --sources --require-coverage）。",
            "For each sentence of the documents (cut at 。, lines, table rows and list items): whether a citation of the policies quotes it or a declaration sets it out of scope. A normative sentence (with a date, an amount, or a word such as 義務, 必要, できる, 対象, 期限) must be one or the other (onshi check --sources --require-coverage).",
        ),
        documents,
        words,
    }
}
