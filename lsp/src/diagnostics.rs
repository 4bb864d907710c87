//! Diagnostics as the editor shows them: every phase (syntax, names and types, the citations
//! checked against their documents when the server has them, then the examples run), each on the file it is in (an error in an imported file is reported on that file), in the
//! user's language, with its stable code and a link to its page under `docs/errors/`.

use crate::analysis::Analysis;
use crate::workspace::{uri_of, Key};
use lsp_types::{
    CodeDescription, Diagnostic as LspDiagnostic, DiagnosticRelatedInformation, DiagnosticSeverity,
    NumberOrString,
};
use onshi::examples::Actual;
use onshi::{Diagnostic, Lang, Severity};
use onshi_grammar::ast::Span;
use std::collections::BTreeMap;
use std::path::Path;

pub const SOURCE: &str = "onshi";

/// The page of a diagnostic code as `onshi explain-error <code>` prints it, in a language
/// (`onshi lsp` passes the CLI's own; `None` when the code has no page).
pub type Explain = fn(&str, Lang) -> Option<String>;

/// Where a diagnostic's code links to (`codeDescription.href`): its page under `docs/errors/` when
/// the policy is in a folder that has one above it (the repository), else a page the server
/// writes once from [`Explain`] — the text of `onshi explain-error <code>` in the server's
/// language — to `<dir>/<lang>/onshi-type-mismatch.md`, a `file:` link every editor opens. The
/// folder is `$XDG_CACHE_HOME/onshi/errors/<version>` (else `~/.cache/…`, else the temporary
/// folder).
#[derive(Default)]
pub struct Pages {
    pub explain: Option<Explain>,
    pub dir: Option<std::path::PathBuf>,
    written: std::cell::RefCell<BTreeMap<(String, bool), Option<lsp_types::Uri>>>,
}

impl Pages {
    pub fn new(explain: Option<Explain>) -> Pages {
        let base = std::env::var_os("XDG_CACHE_HOME")
            .filter(|v| !v.is_empty())
            .map(std::path::PathBuf::from)
            .or_else(|| {
                std::env::var_os("HOME")
                    .filter(|v| !v.is_empty())
                    .map(|h| std::path::PathBuf::from(h).join(".cache"))
            })
            .unwrap_or_else(std::env::temp_dir);
        Pages {
            explain,
            dir: Some(
                base.join("onshi")
                    .join("errors")
                    .join(env!("CARGO_PKG_VERSION")),
            ),
            written: Default::default(),
        }
    }

    /// The link of `code` for a diagnostic on the file `key`.
    pub fn link(&self, key: &str, code: &str, lang: Lang) -> Option<CodeDescription> {
        if let Some(d) = error_page(key, code) {
            return Some(d);
        }
        let memo = (code.to_string(), lang == Lang::En);
        if let Some(done) = self.written.borrow().get(&memo) {
            return done.clone().map(|href| CodeDescription { href });
        }
        let href = self.write(code, lang);
        self.written.borrow_mut().insert(memo, href.clone());
        href.map(|href| CodeDescription { href })
    }

    fn write(&self, code: &str, lang: Lang) -> Option<lsp_types::Uri> {
        let text = (self.explain?)(code, lang)?;
        let tag = if lang == Lang::En { "en" } else { "ja" };
        let dir = self.dir.as_ref()?.join(tag);
        let page = dir.join(format!("{}.md", code.replace("::", "-")));
        // Written when missing or different; a page that cannot be written has no link.
        if std::fs::read_to_string(&page).ok().as_deref() != Some(text.as_str()) {
            std::fs::create_dir_all(&dir).ok()?;
            let tmp = page.with_extension(format!("md.{}", std::process::id()));
            std::fs::write(&tmp, &text).ok()?;
            std::fs::rename(&tmp, &page).ok()?;
        }
        uri_of(&page.to_string_lossy())
    }
}

/// The diagnostics of every file the analyses read, by file.
pub fn collect<'a>(
    analyses: impl IntoIterator<Item = &'a Analysis>,
    lang: Lang,
) -> BTreeMap<Key, Vec<LspDiagnostic>> {
    collect_with(analyses, lang, &Pages::default())
}

/// [`collect`], the codes linked through `pages`.
pub fn collect_with<'a>(
    analyses: impl IntoIterator<Item = &'a Analysis>,
    lang: Lang,
    pages: &Pages,
) -> BTreeMap<Key, Vec<LspDiagnostic>> {
    let mut out: BTreeMap<Key, Vec<LspDiagnostic>> = BTreeMap::new();
    for a in analyses {
        for (_, f) in a.compiled.sources.files() {
            out.entry(f.path.clone()).or_default();
        }
        for d in a.compiled.diagnostics.iter().chain(&a.citations) {
            let (key, mut diag) = convert(a, d, lang);
            if diag.code_description.is_none() {
                diag.code_description = pages.link(&key, d.code, lang);
            }
            push_unique(out.entry(key).or_default(), diag);
        }
        for (key, mut diag) in examples(a, lang) {
            if let (None, Some(NumberOrString::String(code))) = (&diag.code_description, &diag.code)
            {
                diag.code_description = pages.link(&key, code, lang);
            }
            push_unique(out.entry(key).or_default(), diag);
        }
    }
    out
}

/// Adds `found` (diagnostics made on analysis `a` after it, e.g. the proofs' findings), each on
/// the file of its primary label.
pub fn add(
    out: &mut BTreeMap<Key, Vec<LspDiagnostic>>,
    a: &Analysis,
    found: &[Diagnostic],
    lang: Lang,
    pages: &Pages,
) {
    for d in found {
        let (key, mut diag) = convert(a, d, lang);
        if diag.code_description.is_none() {
            diag.code_description = pages.link(&key, d.code, lang);
        }
        push_unique(out.entry(key).or_default(), diag);
    }
}

fn push_unique(list: &mut Vec<LspDiagnostic>, d: LspDiagnostic) {
    if !list.contains(&d) {
        list.push(d);
    }
}

/// One compile diagnostic, on the file of its primary label (the entry when it has none).
pub fn convert(a: &Analysis, d: &Diagnostic, lang: Lang) -> (Key, LspDiagnostic) {
    let span = d.primary_span().unwrap_or_default();
    let key = a.key(span.file).unwrap_or(&a.entry).to_string();
    let mut message = d.message.get(lang).to_string();
    if let Some(help) = &d.help {
        message.push('\n');
        message.push_str(help.get(lang));
    }
    let related: Vec<DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .skip(1)
        .filter_map(|l| {
            Some(DiagnosticRelatedInformation {
                location: a.location(l.span)?,
                message: l.text.get(lang).to_string(),
            })
        })
        .collect();
    let diag = LspDiagnostic {
        range: if d.primary_span().is_some() {
            a.range(span)
        } else {
            Default::default()
        },
        severity: Some(match d.severity {
            Severity::Error => DiagnosticSeverity::ERROR,
            Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(NumberOrString::String(d.code.to_string())),
        code_description: error_page(&key, d.code),
        source: Some(SOURCE.to_string()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data: d.fix.as_ref().map(|f| serde_json::json!({ "replace": f })),
    };
    (key, diag)
}

/// The page of a code, `docs/errors/onshi-type-mismatch.md`, in the repository that holds the
/// file (the nearest folder above it with `docs/errors/`).
pub fn error_page(key: &str, code: &str) -> Option<CodeDescription> {
    let name = format!("{}.md", code.replace("::", "-"));
    let mut dir = Path::new(key).parent();
    while let Some(d) = dir {
        let page = d.join("docs").join("errors").join(&name);
        if page.is_file() {
            let href = uri_of(&page.to_string_lossy())?;
            return Some(CodeDescription { href });
        }
        dir = d.parent();
    }
    None
}

/// The examples (例) of the entry file that fail, each on its 例: the expected and actual values,
/// or the evaluation error (with that error's code).
fn examples(a: &Analysis, lang: Lang) -> Vec<(Key, LspDiagnostic)> {
    let Some(program) = a.program() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for outcome in &a.outcomes {
        if outcome.passed() {
            continue;
        }
        let Some(key) = a.key(outcome.span.file) else {
            continue;
        };
        for m in &outcome.mismatches {
            let (code, detail) = match &m.actual {
                Actual::Error(e) => (
                    Some(e.code()),
                    e.to_diagnostic().message.get(lang).to_string(),
                ),
                _ => (None, String::new()),
            };
            let expected = program.expected_text(m, lang);
            let actual = program.actual_text(m, lang);
            let message = match lang {
                Lang::Ja => format!(
                    "例「{}」が通りません: `{}` は {expected} のはずが {actual}",
                    outcome.name, m.name
                ),
                Lang::En => format!(
                    "example \"{}\" fails: `{}` should be {expected} but is {actual}",
                    outcome.name, m.name
                ),
            };
            let message = if detail.is_empty() {
                message
            } else {
                format!("{message}\n{detail}")
            };
            out.push((
                key.to_string(),
                LspDiagnostic {
                    range: a.range(example_name_span(a, outcome.span)),
                    severity: Some(DiagnosticSeverity::ERROR),
                    code: code.map(|c| NumberOrString::String(c.to_string())),
                    code_description: code.and_then(|c| error_page(key, c)),
                    source: Some(SOURCE.to_string()),
                    message,
                    ..Default::default()
                },
            ));
        }
    }
    out
}

/// The name of the example whose declaration is `span` (`"名前"`), else the whole example.
fn example_name_span(a: &Analysis, span: Span) -> Span {
    a.module(span.file)
        .and_then(|m| {
            m.items.iter().find_map(|i| match i {
                onshi_grammar::ast::Item::Example(x) if x.span == span => Some(x.name_span),
                _ => None,
            })
        })
        .unwrap_or(span)
}
