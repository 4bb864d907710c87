//! Citations checked against the seed documents (`onshi check --sources`): the shipped library is
//! clean, and matching finds a passage however PDF extraction or quoting re-spaced and re-widthed
//! it, but not a passage with one character changed.

use onshi::citations::text::Folded;
use onshi::citations::{verify, CitationError, Status};
use onshi::{compile, Limits, SourceMap};
use onshi_tests::workspace::{seed_documents, shipped_policies};
use proptest::prelude::*;
use std::collections::BTreeMap;

fn seeds() -> BTreeMap<String, String> {
    let s = seed_documents();
    assert_eq!(s.len(), 5, "the five seeds in ../shared/seeds");
    s
}

#[test]
fn every_citation_of_the_shipped_library_is_verified() {
    let seeds = seeds();
    let files = shipped_policies();
    let mut statuses = BTreeMap::new();
    let mut problems = Vec::new();
    for path in files.keys().filter(|p| p.starts_with("policies/r")) {
        let c = compile(&files, path);
        assert!(c.program.is_some(), "{path} does not compile");
        let v = verify(&c.sources, &seeds, &Limits::default());
        for e in v.diagnostics() {
            problems.push(onshi_cli::render::render(&e, &c.sources, onshi::Lang::En));
        }
        for x in v.citations {
            let file = c.sources.get(x.span.file).unwrap().path.clone();
            statuses.insert((file, x.span.start), x.status);
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    let count = |s: Status| statuses.values().filter(|x| **x == s).count();
    assert!(count(Status::Verified) >= 100, "{statuses:?}");
    assert!(count(Status::External) >= 1, "the 留意事項 notice is cited");
    assert_eq!(count(Status::Unquoted), 0);
    // Every file of the library was looked at (common/ through the policies that import it).
    for path in files.keys() {
        assert!(
            statuses.keys().any(|(f, _)| f == path) || !files[path].contains("\n  出典"),
            "{path}: no citation checked"
        );
    }
}

/// A policy whose one citation of `doc` quotes `quote`.
fn policy(doc: &str, quote: &str) -> String {
    format!("出典 資料 = \"{doc}\"\n定義 x: 整数 = 1\n  出典 資料 \"本文「{quote}」\"\n")
}

fn check_quote(doc: &str, quote: &str) -> Vec<CitationError> {
    let mut sources = SourceMap::default();
    sources.add("p.onshi", policy(doc, quote));
    verify(&sources, &seeds(), &Limits::default()).errors
}

/// Full width for ASCII letters and digits, half width for their full-width forms.
fn flip_width(c: char) -> char {
    match c {
        '0'..='9' | 'A'..='Z' | 'a'..='z' => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}

/// A window of `len` characters of a seed, cut at `at` (a fraction of its length): the text as an
/// analyst would copy it, minus what a policy string cannot hold.
fn window(doc: &str, at: f64, len: usize) -> Option<String> {
    let chars: Vec<char> = doc.chars().collect();
    let start = ((chars.len().saturating_sub(len)) as f64 * at) as usize;
    let w: String = chars.get(start..start + len)?.iter().collect();
    let w = w
        .replace('…', "...")
        .replace(['"', '「', '」', '\n', '\r'], " ");
    (Folded::new(&w).len() >= 6).then_some(w)
}

fn documents() -> Vec<(String, String)> {
    seeds().into_iter().collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(onshi_tests::cases(64)))]

    /// Re-spaced (blanks removed and inserted anywhere) and re-widthed, a cut passage is found.
    #[test]
    fn a_respaced_rewidthed_passage_is_found(
        doc in 0usize..5,
        at in 0.0f64..1.0,
        len in 6usize..120,
        spaces in proptest::collection::vec(any::<bool>(), 120),
        widths in proptest::collection::vec(any::<bool>(), 120),
    ) {
        let docs = documents();
        let (name, text) = &docs[doc];
        let Some(w) = window(text, at, len) else { return Ok(()) };
        let mut quote = String::new();
        for (i, c) in w.chars().filter(|c| !c.is_whitespace()).enumerate() {
            if spaces.get(i).copied().unwrap_or(false) {
                quote.push(if i % 2 == 0 { ' ' } else { '　' });
            }
            quote.push(if widths.get(i).copied().unwrap_or(false) { flip_width(c) } else { c });
        }
        let errors = check_quote(name, &quote);
        prop_assert!(errors.is_empty(), "「{quote}」 not found in {name}: {errors:?}");
    }

    /// One character changed to one the document does not have: never found, and the help
    /// names a passage of the document.
    #[test]
    fn a_changed_character_is_not_found(
        doc in 0usize..5,
        at in 0.0f64..1.0,
        len in 10usize..80,
        pick in 0.0f64..1.0,
    ) {
        let docs = documents();
        let (name, text) = &docs[doc];
        let Some(w) = window(text, at, len) else { return Ok(()) };
        let mut chars: Vec<char> = w.chars().collect();
        let kept: Vec<usize> = (0..chars.len())
            .filter(|&i| !Folded::new(&chars[i].to_string()).is_empty())
            .collect();
        let i = kept[((kept.len() - 1) as f64 * pick) as usize];
        chars[i] = '☃';
        let quote: String = chars.into_iter().collect();
        let errors = check_quote(name, &quote);
        let is_miss_with_help = matches!(
            errors.as_slice(),
            [CitationError::NotFound { closest: Some(_), .. }]
        );
        prop_assert!(is_miss_with_help, "{errors:?}");
    }

    /// A substituted character that the document does have: found exactly when the changed text
    /// occurs in the document (checked here by a plain search of the folded texts).
    #[test]
    fn matching_agrees_with_a_plain_search(
        doc in 0usize..5,
        at in 0.0f64..1.0,
        len in 4usize..30,
        pick in 0.0f64..1.0,
        other in 0.0f64..1.0,
    ) {
        let docs = documents();
        let (name, text) = &docs[doc];
        let Some(w) = window(text, at, len) else { return Ok(()) };
        let folded_doc = Folded::new(text).chars;
        let mut chars: Vec<char> = w.chars().collect();
        let i = ((chars.len() - 1) as f64 * pick) as usize;
        chars[i] = folded_doc[((folded_doc.len() - 1) as f64 * other) as usize];
        let quote: String = chars.into_iter().collect();
        let needle = Folded::new(&quote).chars;
        let occurs = needle.is_empty() || folded_doc.windows(needle.len()).any(|x| x == needle);
        let errors = check_quote(name, &quote);
        prop_assert_eq!(errors.is_empty(), occurs, "「{}」: {:?}", quote, errors);
    }
}

#[test]
fn huge_and_repetitive_quotes_finish() {
    // A 1 MB document of one character and a quote of 200,000 of it plus another: the search is
    // linear and the closest-window search is bounded, so this finishes quickly (not timed).
    let doc = "あ".repeat(1 << 20);
    let quote = format!("{}い", "あ".repeat(200_000));
    let mut sources = SourceMap::default();
    sources.add("p.onshi", policy("d.txt", &quote));
    let mut docs = BTreeMap::new();
    docs.insert("d.txt".to_string(), doc);
    let v = verify(&sources, &docs, &Limits::default());
    assert!(matches!(
        v.errors.as_slice(),
        [CitationError::NotFound { .. }]
    ));
}

/// Every shipped file in one map, as `onshi check --sources ../shared/seeds policies/` reads them.
fn shipped_map() -> SourceMap {
    let mut map = SourceMap::default();
    for (path, text) in shipped_policies() {
        map.add(&path, text);
    }
    map
}

#[test]
fn every_normative_sentence_of_the_seeds_is_cited_or_declared_out_of_scope() {
    let map = shipped_map();
    let c = onshi::citations::coverage::coverage(&map, &seeds(), &Limits::default());
    let problems: Vec<String> = c
        .errors
        .iter()
        .map(|e| onshi_cli::render::render(&e.to_diagnostic(), &map, onshi::Lang::En))
        .collect();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert_eq!(c.documents.len(), 5, "every seed is covered");
    let uncited: Vec<String> = c
        .documents
        .iter()
        .flat_map(|d| {
            d.uncited_normative()
                .map(move |s| format!("{} L{}: {}", d.document, s.line, s.text))
        })
        .collect();
    assert!(
        uncited.is_empty(),
        "normative sentences neither cited nor declared out of scope (cite them from the rule that \
         encodes them, or declare them in policies/scope/):\n{}",
        uncited.join("\n")
    );
    // The declarations do work: each document has sentences declared and sentences cited.
    for d in &c.documents {
        let t = d.tally();
        assert!(t.cited_whole + t.cited_part > 0, "{}: {t:?}", d.document);
        assert!(t.declared > 0, "{}: {t:?}", d.document);
    }
}

#[test]
fn without_the_scope_declarations_the_coverage_lists_uncited_sentences() {
    let mut map = SourceMap::default();
    for (path, text) in shipped_policies() {
        if !path.starts_with("policies/scope/") {
            map.add(&path, text);
        }
    }
    let c = onshi::citations::coverage::coverage(&map, &seeds(), &Limits::default());
    assert!(c.errors.is_empty());
    assert!(c.uncited_normative() > 50, "{}", c.uncited_normative());
}
