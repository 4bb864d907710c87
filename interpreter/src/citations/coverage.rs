//! Coverage of the sources: which sentences of each document a citation quotes, which a
//! `範囲外` declaration sets aside (with its reason), and which are neither.
//!
//! A citation covers the sentences its quoted fragments overlap: wholly when the fragments take
//! in every character of the sentence (blanks and quotation marks aside), in part otherwise (blanks, quotation marks and punctuation aside). A
//! `範囲外` declaration covers every sentence from its first quoted fragment to its last, so a
//! section is declared by quoting its first and last words (`「はじめの言葉…終わりの言葉」`); a
//! sentence both cited and declared counts as cited. Two declarations quoting the same words, and
//! a declaration quoting words a citation quotes, are errors. Sentences: [`super::sentences`].

use super::sentences::{split, Mark};
use super::text::{readable, Folded};
use super::{citations_of, CitationError};
use crate::sources::{Files, SourceMap};
use crate::Limits;
use onshi_grammar::ast::{Item, Module, ScopeReason, Span};
use std::collections::BTreeMap;
use std::ops::Range;

/// How one sentence is covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum State {
    /// A citation quotes it (`whole`: every character of it).
    Cited {
        whole: bool,
    },
    /// A `範囲外` declaration sets it aside.
    Declared {
        reason: ScopeReason,
        note: Option<String>,
        /// The declaration.
        span: Span,
    },
    Uncited,
}

/// One sentence of a document and how it is covered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SentenceCoverage {
    /// The line it starts on (1-based).
    pub line: usize,
    /// Its text, blanks and line breaks collapsed.
    pub text: String,
    /// What makes it normative (none: it is not).
    pub marks: Vec<Mark>,
    pub state: State,
}

/// The coverage of one document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentCoverage {
    /// The file name (`000_….txt`).
    pub document: String,
    /// The sources declared with it (`周知依頼`).
    pub sources: Vec<String>,
    pub sentences: Vec<SentenceCoverage>,
    /// Every `範囲外` declaration of the document, with the sentences it covers (a sentence a
    /// citation also quotes among them counts as cited).
    pub declarations: Vec<DeclarationCoverage>,
}

/// A `範囲外` declaration and the sentences it covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeclarationCoverage {
    pub span: Span,
    pub reason: ScopeReason,
    pub note: Option<String>,
    /// Indices into the document's sentences.
    pub sentences: Vec<usize>,
}

/// Counts of a document's sentences.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub sentences: usize,
    pub cited_whole: usize,
    pub cited_part: usize,
    pub declared: usize,
    pub uncited: usize,
    /// Uncited sentences with a date, an amount or a normative word.
    pub uncited_normative: usize,
}

impl DocumentCoverage {
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for s in &self.sentences {
            t.sentences += 1;
            match s.state {
                State::Cited { whole: true } => t.cited_whole += 1,
                State::Cited { whole: false } => t.cited_part += 1,
                State::Declared { .. } => t.declared += 1,
                State::Uncited => {
                    t.uncited += 1;
                    if !s.marks.is_empty() {
                        t.uncited_normative += 1;
                    }
                }
            }
        }
        t
    }

    /// The uncited sentences a policy must answer for.
    pub fn uncited_normative(&self) -> impl Iterator<Item = &SentenceCoverage> {
        self.sentences
            .iter()
            .filter(|s| s.state == State::Uncited && !s.marks.is_empty())
    }
}

/// The coverage of every document the files of `sources` cite, and the problems of their
/// `範囲外` declarations (a quote not found is [`super::verify`]'s to report).
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    pub documents: Vec<DocumentCoverage>,
    pub errors: Vec<CitationError>,
}

impl Coverage {
    /// Uncited normative sentences over all documents.
    pub fn uncited_normative(&self) -> usize {
        self.documents
            .iter()
            .map(|d| d.tally().uncited_normative)
            .sum()
    }
}

/// A `範囲外` declaration as matched in its document.
struct Scope {
    span: Span,
    source: String,
    reason: ScopeReason,
    note: Option<String>,
    /// The bytes of its quoted fragments.
    quoted: Vec<Range<usize>>,
    /// Whether a passage of it has fragments separated by `…` (it covers all between them).
    through: bool,
}

impl Scope {
    /// What it covers: from its first fragment to its last (several fragments: one passage in
    /// order), or each place its one fragment occurs.
    fn spans(&self) -> Vec<Range<usize>> {
        if !self.through {
            return self.quoted.clone();
        }
        let a = self.quoted.iter().map(|r| r.start).min().unwrap_or(0);
        let b = self.quoted.iter().map(|r| r.end).max().unwrap_or(0);
        std::iter::once(a..b).collect()
    }
}

#[derive(Default)]
struct Matches {
    /// The bytes of every quoted fragment, with the citation's span.
    cited: Vec<(Range<usize>, Span)>,
    scopes: Vec<Scope>,
}

/// Work out the coverage of the documents the files of `sources` (every policy of a run, in one
/// map) cite. Files that do not parse are skipped.
pub fn coverage(sources: &SourceMap, documents: &dyn Files, limits: &Limits) -> Coverage {
    let modules: Vec<Module> = sources
        .files()
        .map(|(id, f)| onshi_grammar::parse_with(id, &f.text, limits.parse()).module)
        .collect();
    // Source name → document, the first declaration winning (as `verify` does).
    let mut declared: BTreeMap<&str, &str> = BTreeMap::new();
    let mut names: BTreeMap<&str, Vec<String>> = BTreeMap::new();
    for item in modules.iter().flat_map(|m| m.items.iter()) {
        if let Item::Source(s) = item {
            if !s.external && !declared.contains_key(s.name.name.as_str()) {
                declared.insert(&s.name.name, &s.document);
                names
                    .entry(&s.document)
                    .or_default()
                    .push(s.name.name.clone());
            }
        }
    }
    let mut texts: BTreeMap<&str, (String, Folded)> = BTreeMap::new();
    for doc in names.keys() {
        if let Some(t) = documents.read(doc) {
            let f = Folded::new(&t);
            texts.insert(doc, (t, f));
        }
    }
    let mut found: BTreeMap<&str, Matches> = BTreeMap::new();
    for module in &modules {
        for c in citations_of(module) {
            let Some(doc) = declared.get(c.source.name.as_str()) else {
                continue;
            };
            let Some((_, folded)) = texts.get(doc) else {
                continue;
            };
            let m = found.entry(doc).or_default();
            for p in &c.passages {
                for r in locate(&p.text, folded).unwrap_or_default() {
                    m.cited.push((r, c.span));
                }
            }
        }
        for item in &module.items {
            let Item::Scope(s) = item else { continue };
            let Some(doc) = declared.get(s.quote.source.name.as_str()) else {
                continue;
            };
            let Some((_, folded)) = texts.get(doc) else {
                continue;
            };
            let mut quoted = Vec::new();
            let mut complete = !s.quote.passages.is_empty();
            for p in &s.quote.passages {
                match locate(&p.text, folded) {
                    Some(rs) => quoted.extend(rs),
                    None => complete = false,
                }
            }
            if complete && !quoted.is_empty() {
                found.entry(doc).or_default().scopes.push(Scope {
                    span: s.span,
                    source: s.quote.source.name.clone(),
                    reason: s.reason,
                    note: s.note.clone(),
                    quoted,
                    through: s.quote.passages.iter().any(|p| p.text.contains(['…', '⋯'])),
                });
            }
        }
    }
    let mut out = Coverage::default();
    for (doc, sources) in &names {
        let Some((text, _)) = texts.get(doc) else {
            continue;
        };
        let empty = Matches::default();
        let m = found.get(doc).unwrap_or(&empty);
        problems(doc, m, &mut out.errors);
        let (sentences, covered) = sentences(text, m);
        let declarations = m
            .scopes
            .iter()
            .zip(covered)
            .map(|(s, sentences)| DeclarationCoverage {
                span: s.span,
                reason: s.reason,
                note: s.note.clone(),
                sentences,
            })
            .collect();
        out.documents.push(DocumentCoverage {
            document: (*doc).to_string(),
            sources: sources.clone(),
            sentences,
            declarations,
        });
    }
    out
}

/// Declarations that quote what another declaration or a citation quotes.
fn problems(doc: &str, m: &Matches, errors: &mut Vec<CitationError>) {
    let overlaps =
        |a: &[Range<usize>], b: &Range<usize>| a.iter().any(|r| r.start < b.end && b.start < r.end);
    for (i, s) in m.scopes.iter().enumerate() {
        if let Some(first) = m
            .scopes
            .iter()
            .take(i)
            .find(|f| f.quoted.iter().any(|r| overlaps(&s.quoted, r)))
        {
            errors.push(CitationError::ScopeDuplicate {
                span: s.span,
                first: first.span,
                source: s.source.clone(),
                document: doc.to_string(),
            });
        } else if let Some((_, cite)) = m.cited.iter().find(|(r, _)| overlaps(&s.quoted, r)) {
            errors.push(CitationError::ScopeCited {
                span: s.span,
                citation: *cite,
                source: s.source.clone(),
                document: doc.to_string(),
            });
        }
    }
}

/// What a citation need not take in for a sentence to count as wholly cited (with the blanks).
const PUNCTUATION: &str = "「」『』\"'“”‘’※。、，,．・：:；;！？!?";

/// The sentences with their state, and for each declaration the sentences it covers.
fn sentences(text: &str, m: &Matches) -> (Vec<SentenceCoverage>, Vec<Vec<usize>>) {
    let spans: Vec<Vec<Range<usize>>> = m.scopes.iter().map(Scope::spans).collect();
    let mut covered: Vec<Vec<usize>> = vec![Vec::new(); m.scopes.len()];
    let mut cited = vec![false; text.len()];
    for (r, _) in &m.cited {
        for b in cited.get_mut(r.clone()).into_iter().flatten() {
            *b = true;
        }
    }
    let mut scope: Vec<Option<usize>> = vec![None; text.len()];
    for (i, s) in m.scopes.iter().enumerate() {
        for r in s.spans() {
            for x in scope.get_mut(r).into_iter().flatten() {
                x.get_or_insert(i);
            }
        }
    }
    let out = split(text)
        .into_iter()
        .enumerate()
        .map(|(index, s)| {
            for (d, rs) in spans.iter().enumerate() {
                if rs
                    .iter()
                    .any(|r| r.start < s.range.end && s.range.start < r.end)
                {
                    if let Some(c) = covered.get_mut(d) {
                        c.push(index);
                    }
                }
            }
            let body = text.get(s.range.clone()).unwrap_or_default();
            let kept = body
                .char_indices()
                .filter(|(_, c)| !c.is_whitespace() && !PUNCTUATION.contains(*c))
                .map(|(i, _)| cited.get(s.range.start + i).copied().unwrap_or(false));
            let (mut any, mut all) = (false, true);
            for k in kept {
                any |= k;
                all &= k;
            }
            let declared = scope
                .get(s.range.clone())
                .and_then(|xs| xs.iter().flatten().next())
                .and_then(|i| m.scopes.get(*i));
            let state = match (any, declared) {
                (true, _) => State::Cited { whole: all },
                (false, Some(d)) => State::Declared {
                    reason: d.reason,
                    note: d.note.clone(),
                    span: d.span,
                },
                (false, None) => State::Uncited,
            };
            SentenceCoverage {
                line: s.line,
                text: readable(body),
                marks: s.marks,
                state,
            }
        })
        .collect();
    (out, covered)
}

/// The bytes of each `…`-separated fragment of `passage`, found in order; `None` if one is not.
/// A passage of one fragment covers every place it occurs (the same words say the same thing
/// wherever the document repeats them, as its annexes repeat slides).
fn locate(passage: &str, doc: &Folded) -> Option<Vec<Range<usize>>> {
    let fragments: Vec<Vec<char>> = passage
        .split(['…', '⋯'])
        .map(|f| Folded::new(f).chars)
        .filter(|f| !f.is_empty())
        .collect();
    let mut out = Vec::new();
    if let [needle] = fragments.as_slice() {
        let mut from = 0usize;
        while let Some(at) = doc.find(needle, from) {
            from = at + needle.len();
            out.extend(doc.original(at, from));
        }
        return (!out.is_empty()).then_some(out);
    }
    let mut from = 0usize;
    for needle in &fragments {
        let at = doc.find(needle, from)?;
        from = at + needle.len();
        out.push(doc.original(at, from)?);
    }
    Some(out)
}
