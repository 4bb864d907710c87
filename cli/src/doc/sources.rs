//! The coverage of the sources as a review page (`onshi doc --sources DIR`): per document, how
//! many sentences the policies cite, each `範囲外` declaration with its reason and the sentences
//! it sets aside, and every normative sentence that is neither (see
//! [`onshi::citations::coverage`]).

use crate::coverage::{document_line, reason_text};
use onshi::citations::coverage::{Coverage, State};
use onshi::{Lang, SourceMap};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Serialize)]
pub struct SourcesPage {
    pub title: String,
    pub intro: String,
    pub documents: Vec<DocumentPage>,
    /// Column and section names.
    pub words: BTreeMap<&'static str, &'static str>,
}

#[derive(Serialize)]
pub struct DocumentPage {
    pub document: String,
    pub summary: String,
    pub declarations: Vec<DeclarationRow>,
    pub uncited: Vec<SentenceRow>,
}

#[derive(Serialize)]
pub struct DeclarationRow {
    pub reason: &'static str,
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

pub fn page(c: &Coverage, sources: &SourceMap, lang: Lang) -> SourcesPage {
    let ja = lang == Lang::Ja;
    let documents = c
        .documents
        .iter()
        .map(|d| {
            // Each declaration with the sentences it covers (those a citation also quotes marked).
            let declarations: Vec<DeclarationRow> = d
                .declarations
                .iter()
                .map(|x| DeclarationRow {
                    reason: reason_text(x.reason, lang),
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
                summary: document_line(d, lang),
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
    let words = [
        (
            "declared",
            if ja {
                "範囲外と宣言した文（理由つき）"
            } else {
                "Sentences declared out of scope (with reasons)"
            },
        ),
        ("reason", if ja { "理由" } else { "Reason" }),
        ("note", if ja { "説明" } else { "Why" }),
        ("at", if ja { "宣言" } else { "Declared at" }),
        ("line", if ja { "行" } else { "Line" }),
        ("sentence", if ja { "文" } else { "Sentence" }),
        (
            "uncited",
            if ja {
                "引用も宣言もない規範的な文"
            } else {
                "Normative sentences neither cited nor declared"
            },
        ),
        ("none", if ja { "ありません。" } else { "None." }),
        (
            "also_cited",
            if ja {
                "（規則が引用）"
            } else {
                " (cited by a rule)"
            },
        ),
    ]
    .into_iter()
    .collect();
    SourcesPage {
        title: (if ja { "資料の網羅" } else { "Coverage of the sources" }).to_string(),
        intro: (if ja {
            "資料の文（。・行・表の行・箇条で区切る）ごとに、政策の出典が引用しているか、範囲外と宣言しているか。規範的な文（日付・金額・義務・必要・できる・対象・期限などを含む文）は、どちらかでなければなりません（onshi check --sources --require-coverage）。"
        } else {
            "For each sentence of the documents (cut at 。, lines, table rows and list items): whether a citation of the policies quotes it or a declaration sets it out of scope. A normative sentence (with a date, an amount, or a word such as 義務, 必要, できる, 対象, 期限) must be one or the other (onshi check --sources --require-coverage)."
        })
        .to_string(),
        documents,
        words,
    }
}
