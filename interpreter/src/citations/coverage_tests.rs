//! Tests of the coverage of the sources (`coverage.rs`).
#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use super::coverage::{coverage, Coverage, State};
use crate::sources::SourceMap;
use crate::Limits;
use std::collections::BTreeMap;

const DOC: &str = "ご挨拶です。\n補助率は１／２です。\n申請が必要です。\n期限は令和8年1月15日です。\n連絡先。\n補助率は１／２です。\n";

fn run(policy: &str) -> Coverage {
    let mut map = SourceMap::default();
    map.add("p.onshi", format!("出典 通知 = \"n.txt\"\n{policy}"));
    let docs = BTreeMap::from([("n.txt".to_string(), DOC.to_string())]);
    coverage(&map, &docs, &Limits::default())
}

fn states(c: &Coverage) -> Vec<String> {
    c.documents[0]
        .sentences
        .iter()
        .map(|s| match &s.state {
            State::Cited { whole: true } => "cited".to_string(),
            State::Cited { whole: false } => "part".to_string(),
            State::Declared { reason, .. } => reason.word().to_string(),
            State::Uncited => "-".to_string(),
        })
        .collect()
}

#[test]
fn a_passage_covers_every_place_it_occurs_and_a_range_all_between() {
    let c = run("定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は1/2」\"\n範囲外 通知 \"「申請が…連絡先」\" 理由 先送り \"手続き\"\n");
    assert!(c.errors.is_empty(), "{:?}", c.errors);
    assert_eq!(
        states(&c),
        ["-", "part", "先送り", "先送り", "先送り", "part"]
    );
    assert_eq!(c.uncited_normative(), 0);
    let t = c.documents[0].tally();
    assert_eq!((t.cited_part, t.declared, t.uncited), (2, 3, 1));
}

#[test]
fn uncited_normative_sentences_are_listed() {
    let c = run("定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は１／２です。」\"\n");
    assert_eq!(states(&c), ["-", "cited", "-", "-", "-", "cited"]);
    let lines: Vec<usize> = c.documents[0].uncited_normative().map(|s| s.line).collect();
    assert_eq!(lines, [3, 4]);
}

#[test]
fn a_declaration_that_repeats_another_or_a_citation_is_an_error() {
    let c = run("定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は1/2」\"\n範囲外 通知 \"「申請が必要」\" 理由 先送り\n範囲外 通知 \"「必要です」\" 理由 領域外\n範囲外 通知 \"「1/2です」\" 理由 規則でない\n");
    let codes: Vec<&str> = c.errors.iter().map(|e| e.to_diagnostic().code).collect();
    assert_eq!(codes, ["onshi::scope::duplicate", "onshi::scope::cited"]);
    // The citation wins: the sentence counts as cited.
    assert_eq!(states(&c)[1], "part");
}
