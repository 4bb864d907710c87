//! Citations checked against their documents (`onshi check --sources <dir>`).
//!
//! A `出典 名前 = "file"` declaration names a document; every passage a citation of it quotes in
//! 「…」 must occur in that document, as matching sees text ([`text::Folded`]: widths, radical
//! look-alikes, blanks, quotation marks and ※ ignored). `…` inside a quote separates fragments that
//! must occur in that order. A source declared `外部` is a document the project does not have: its
//! citations are counted, not checked. The documents come from the caller (the CLI reads a
//! directory, the WASM package gets a map), through the same [`Files`] trait as policies.

pub mod coverage;
pub mod sentences;
pub mod text;

use crate::sources::{Files, SourceMap};
use crate::Limits;
use onshi_grammar::ast::{Item, Module, Span};
use onshi_grammar::diagnostic::clip;
use onshi_grammar::{Code, Diagnostic, Text};
use std::collections::BTreeMap;
use text::{readable, Folded};

/// How one citation fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    /// Every passage it quotes was found in its document.
    Verified,
    /// It cites a source declared `外部`: nothing to check it against.
    External,
    /// It cites a document at hand but quotes nothing.
    Unquoted,
    /// A passage was not found, or the document is missing.
    Failed,
}

/// One citation and what the check found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checked {
    pub span: Span,
    pub status: Status,
}

/// What checking citations found: one error per problem (data; worded by
/// [`CitationError::to_diagnostic`]) and the status of every citation.
#[derive(Clone, Debug, Default)]
pub struct Verification {
    pub errors: Vec<CitationError>,
    pub citations: Vec<Checked>,
}

/// Counts of citations by [`Status`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub verified: usize,
    pub external: usize,
    pub unquoted: usize,
    pub failed: usize,
}

impl Counts {
    pub fn add(&mut self, status: Status) {
        match status {
            Status::Verified => self.verified += 1,
            Status::External => self.external += 1,
            Status::Unquoted => self.unquoted += 1,
            Status::Failed => self.failed += 1,
        }
    }

    /// `引用の照合: 確認 86 件、外部資料（照合不可） 9 件、引用なし 0 件、不一致 0 件`.
    pub fn summary(&self) -> Text {
        let Counts {
            verified,
            external,
            unquoted,
            failed,
        } = *self;
        Text::new(
            format!("出典の引用: 照合済み {verified} 件、外部資料（照合できない） {external} 件、引用なし {unquoted} 件、見つからない {failed} 件"),
            format!("citations: {verified} verified, {external} external (unverifiable), {unquoted} unquoted, {failed} not found"),
        )
    }
}

impl Verification {
    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for x in &self.citations {
            c.add(x.status);
        }
        c
    }

    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.errors
            .iter()
            .map(CitationError::to_diagnostic)
            .collect()
    }
}

/// A problem with a citation, as data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CitationError {
    /// A quoted passage (or one `…` fragment of it) does not occur in the document.
    NotFound {
        span: Span,
        source: String,
        document: String,
        fragment: String,
        /// The closest window of the document, as its text reads.
        closest: Option<String>,
        /// The fragment occurs, but before the fragment quoted ahead of it.
        out_of_order: bool,
    },
    /// The declared document is not among the documents given.
    MissingDocument {
        span: Span,
        source: String,
        document: String,
    },
    /// A citation of a document at hand quotes no passage.
    Unquoted {
        span: Span,
        source: String,
        document: String,
    },
    /// A passage a `範囲外` declaration quotes is not in the document.
    ScopeNotFound {
        span: Span,
        source: String,
        document: String,
        fragment: String,
        closest: Option<String>,
    },
    /// A `範囲外` declaration quotes words another declaration already quotes.
    ScopeDuplicate {
        span: Span,
        first: Span,
        source: String,
        document: String,
    },
    /// A `範囲外` declaration quotes words a citation quotes: the passage is encoded, not out of
    /// scope.
    ScopeCited {
        span: Span,
        citation: Span,
        source: String,
        document: String,
    },
}

impl CitationError {
    /// Its entry in the registry of codes.
    pub fn entry(&self) -> Code {
        match self {
            CitationError::NotFound { .. } => Code::SOURCE_NOT_FOUND,
            CitationError::MissingDocument { .. } => Code::SOURCE_MISSING_DOCUMENT,
            CitationError::Unquoted { .. } => Code::SOURCE_UNQUOTED,
            CitationError::ScopeNotFound { .. } => Code::SCOPE_NOT_FOUND,
            CitationError::ScopeDuplicate { .. } => Code::SCOPE_DUPLICATE,
            CitationError::ScopeCited { .. } => Code::SCOPE_CITED,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = self.entry();
        match self {
            CitationError::NotFound {
                span,
                source,
                document,
                fragment,
                closest,
                out_of_order,
            } => {
                let fragment = clip(fragment, 60);
                let message = if *out_of_order {
                    Text::new(
                        format!("引用「{fragment}」は出典 {source}（{document}）で、前の引用より後に出てきません"),
                        format!("the quoted passage 「{fragment}」 does not come after the passage quoted before it in source {source} ({document})"),
                    )
                } else {
                    Text::new(
                        format!("引用「{fragment}」が出典 {source}（{document}）に見つかりません"),
                        format!("the quoted passage 「{fragment}」 is not in source {source} ({document})"),
                    )
                };
                let help = match (closest, out_of_order) {
                    (_, true) => Text::new(
                        "`…` で区切った引用は、資料に出てくる順に並べてください",
                        "passages separated by `…` must be in the order the document has them",
                    ),
                    (Some(c), false) => Text::new(
                        format!("資料でいちばん近い箇所: 「{c}」。資料の文言どおりに引用してください（空白・改行・全角半角・「」は区別しません）"),
                        format!("the closest passage of the document: 「{c}」. Quote the document word for word (blanks, line breaks, full/half width and 「」 do not matter)"),
                    ),
                    (None, false) => Text::new(
                        "資料の文言どおりに引用してください",
                        "quote the document word for word",
                    ),
                };
                Diagnostic::new(code, message)
                    .with_label(*span, Text::new("この引用", "this passage"))
                    .with_help(help)
            }
            CitationError::MissingDocument {
                span,
                source,
                document,
            } => Diagnostic::new(
                code,
                Text::new(
                    format!("出典 {source} の資料 {document} が資料フォルダにありません"),
                    format!("the document {document} of source {source} is not in the documents folder"),
                ),
            )
            .with_label(*span, Text::new("ここで宣言", "declared here"))
            .with_help(Text::new(
                "ファイル名を直すか、資料を --sources のフォルダに置いてください。手元にない通知は `出典 名前 = 外部 \"…\"` と宣言します",
                "fix the file name or put the document in the --sources folder; declare a notice the project does not have as `source name = external \"…\"`",
            )),
            CitationError::Unquoted {
                span,
                source,
                document,
            } => Diagnostic::new(
                code,
                Text::new(
                    format!("出典 {source}（{document}）の引用がありません"),
                    format!("this citation of source {source} ({document}) quotes nothing"),
                ),
            )
            .with_label(*span, Text::new("引用のない出典", "citation without a quote"))
            .with_help(Text::new(
                "根拠となる資料の文言を「…」で引用してください（例: `出典 通知 \"別添1「補助率は1/2」\"`）",
                "quote the passage the rule rests on in 「…」 (e.g. `source notice \"annex 1「補助率は1/2」\"`)",
            )),
            CitationError::ScopeNotFound { .. }
            | CitationError::ScopeDuplicate { .. }
            | CitationError::ScopeCited { .. } => self.scope_diagnostic(),
        }
    }
}

/// A declared source, as the citations of every file see it.
struct Declared {
    document: String,
    external: bool,
    span: Span,
    /// Its 発行 / 日付 / 番号, each with the span of its quoted string.
    attrs: Vec<(String, Span)>,
}

/// Check every citation in the files of `sources` (a compilation's files) against `documents`.
/// Files that do not parse are skipped (their syntax errors are the compiler's to report).
pub fn verify(sources: &SourceMap, documents: &dyn Files, limits: &Limits) -> Verification {
    let modules: Vec<Module> = sources
        .files()
        .map(|(id, f)| onshi_grammar::parse_with(id, &f.text, limits.parse()).module)
        .collect();
    let mut declared: BTreeMap<String, Declared> = BTreeMap::new();
    for item in modules.iter().flat_map(|m| m.items.iter()) {
        if let Item::Source(s) = item {
            declared
                .entry(s.name.name.clone())
                .or_insert_with(|| Declared {
                    document: s.document.clone(),
                    external: s.external,
                    span: s.span,
                    attrs: s.attrs.iter().map(|a| (a.text.clone(), a.span)).collect(),
                });
        }
    }
    let mut out = Verification::default();
    let mut texts: BTreeMap<String, Option<Folded>> = BTreeMap::new();
    for (name, d) in &declared {
        if d.external {
            continue;
        }
        let folded = documents.read(&d.document).map(|t| Folded::new(&t));
        if folded.is_none() {
            out.errors.push(CitationError::MissingDocument {
                span: d.span,
                source: name.clone(),
                document: d.document.clone(),
            });
        }
        texts.insert(name.clone(), folded);
    }
    let originals: BTreeMap<&str, String> = declared
        .iter()
        .filter(|(_, d)| !d.external)
        .filter_map(|(n, d)| Some((n.as_str(), documents.read(&d.document)?)))
        .collect();
    // What a document is known by (発行, 日付, 番号) is quoted from it, as a passage is.
    for (name, d) in &declared {
        let (Some(Some(doc)), Some(original)) = (texts.get(name), originals.get(name.as_str()))
        else {
            continue;
        };
        for (text, span) in &d.attrs {
            if let Some(e) = check_passage(text, doc, original) {
                out.errors.push(CitationError::NotFound {
                    span: *span,
                    source: name.clone(),
                    document: d.document.clone(),
                    fragment: e.fragment,
                    closest: e.closest,
                    out_of_order: e.out_of_order,
                });
            }
        }
    }
    for module in &modules {
        for s in module.items.iter().filter_map(|i| match i {
            Item::Scope(s) => Some(s),
            _ => None,
        }) {
            scope::check_scope(s, &declared, &texts, &originals, &mut out.errors);
        }
        for c in citations_of(module) {
            let Some(d) = declared.get(&c.source.name) else {
                continue;
            };
            let status = if d.external {
                Status::External
            } else if let Some(Some(doc)) = texts.get(&c.source.name) {
                let original = originals
                    .get(c.source.name.as_str())
                    .map_or("", String::as_str);
                // A quote with nothing to match (`「」`, `「…」`) quotes nothing.
                let quoting = c
                    .passages
                    .iter()
                    .any(|p| !Folded::new(&p.text.replace(['…', '⋯'], "")).is_empty());
                if !quoting {
                    out.errors.push(CitationError::Unquoted {
                        span: c.span,
                        source: c.source.name.clone(),
                        document: d.document.clone(),
                    });
                    Status::Unquoted
                } else {
                    let before = out.errors.len();
                    for p in &c.passages {
                        if let Some(e) = check_passage(&p.text, doc, original) {
                            out.errors.push(CitationError::NotFound {
                                span: p.span,
                                source: c.source.name.clone(),
                                document: d.document.clone(),
                                fragment: e.fragment,
                                closest: e.closest,
                                out_of_order: e.out_of_order,
                            });
                        }
                    }
                    if out.errors.len() == before {
                        Status::Verified
                    } else {
                        Status::Failed
                    }
                }
            } else {
                Status::Failed
            };
            out.citations.push(Checked {
                span: c.span,
                status,
            });
        }
    }
    out
}

struct Miss {
    fragment: String,
    closest: Option<String>,
    out_of_order: bool,
}

/// Find each `…`-separated fragment of `passage` in order; the first that is missing.
fn check_passage(passage: &str, doc: &Folded, original: &str) -> Option<Miss> {
    let mut from = 0usize;
    for fragment in passage.split(['…', '⋯']) {
        let needle = Folded::new(fragment).chars;
        if needle.is_empty() {
            continue;
        }
        match doc.find(&needle, from) {
            Some(at) => from = at + needle.len(),
            None => {
                let out_of_order = doc.find(&needle, 0).is_some();
                let closest = doc
                    .closest(&needle)
                    .and_then(|(s, e, _)| doc.original(s, e))
                    .and_then(|r| original.get(r))
                    .map(|t| clip(&readable(t), 120).into_owned());
                return Some(Miss {
                    fragment: fragment.trim().to_string(),
                    closest,
                    out_of_order,
                });
            }
        }
    }
    None
}

/// Every citation of a module, in source order.
fn citations_of(m: &Module) -> Vec<&onshi_grammar::ast::Citation> {
    let mut out = Vec::new();
    for item in &m.items {
        match item {
            Item::Enum(e) => out.extend(&e.citations),
            Item::Input(i) => out.extend(&i.citations),
            Item::Def(d) => {
                out.extend(&d.citations);
                for r in &d.rules {
                    out.extend(&r.citations);
                }
            }
            Item::Table(t) => out.extend(&t.citations),
            Item::Premise(x) => out.extend(&x.citations),
            Item::Reading(r) => {
                out.extend(&r.citations);
                for o in &r.options {
                    out.extend(&o.citations);
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|c| c.span.start);
    out
}

#[cfg(test)]
mod coverage_tests;
mod scope;
#[cfg(test)]
mod tests;
