//! Rendering diagnostics as text with miette: the code, the message, the source lines with
//! labelled spans, and the help — in Japanese or English.

use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError, MietteSpanContents,
    SourceCode, SourceSpan, SpanContents,
};
use onshi::SourceMap;
use onshi_grammar::{Diagnostic, Lang, Severity};
use std::fmt;

/// A source file whose reported columns count characters, not bytes (miette counts bytes, which
/// puts Japanese text three columns per character off).
struct Source {
    name: String,
    text: String,
}

impl SourceCode for Source {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let c = self.text.read_span(span, before, after)?;
        let start = span.offset().min(self.text.len());
        let line_start = self
            .text
            .get(..start)
            .and_then(|t| t.rfind('\n'))
            .map_or(0, |i| i + 1);
        let column = self
            .text
            .get(line_start..start)
            .map_or(c.column(), |t| t.chars().count());
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            c.data(),
            *c.span(),
            c.line(),
            column,
            c.line_count(),
        )))
    }
}

struct View<'a> {
    diag: &'a Diagnostic,
    lang: Lang,
    source: Option<Source>,
    file: Option<onshi_grammar::ast::FileId>,
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.diag.message.get(self.lang))
    }
}

impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.diag.message.get(self.lang))
    }
}

impl std::error::Error for View<'_> {}

impl miette::Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }
    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.diag.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.diag
            .help
            .as_ref()
            .map(|h| Box::new(h.get(self.lang)) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn miette::SourceCode> {
        self.source.as_ref().map(|s| s as &dyn miette::SourceCode)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let file = self.file;
        let lang = self.lang;
        Some(Box::new(
            self.diag
                .labels
                .iter()
                .filter(move |l| Some(l.span.file) == file)
                .map(move |l| {
                    let len = l.span.end.saturating_sub(l.span.start) as usize;
                    let span = SourceSpan::new((l.span.start as usize).into(), len);
                    if l.primary {
                        LabeledSpan::new_primary_with_span(Some(l.text.get(lang).to_string()), span)
                    } else {
                        LabeledSpan::new_with_span(Some(l.text.get(lang).to_string()), span)
                    }
                }),
        ))
    }
}

/// Render one diagnostic without colour (stable for snapshots and logs).
pub fn render(diag: &Diagnostic, sources: &SourceMap, lang: Lang) -> String {
    render_with(diag, sources, lang, GraphicalTheme::unicode_nocolor())
}

pub fn render_with(
    diag: &Diagnostic,
    sources: &SourceMap,
    lang: Lang,
    theme: GraphicalTheme,
) -> String {
    let file = diag.primary_span().map(|s| s.file);
    let source = file.and_then(|f| sources.get(f)).map(|f| Source {
        name: f.path.clone(),
        text: f.text.clone(),
    });
    let view = View {
        diag,
        lang,
        source,
        file,
    };
    let mut out = String::new();
    let handler = GraphicalReportHandler::new_themed(theme).with_width(100);
    if handler.render_report(&mut out, &view).is_err() {
        out = format!("{}: {}", diag.code, diag.message.get(lang));
    }
    // Labels in other files (a cycle across imports) are listed by location.
    for l in &diag.labels {
        if Some(l.span.file) != file {
            out.push_str(&format!(
                "  → {}: {}\n",
                sources.locate(l.span),
                l.text.get(lang)
            ));
        }
    }
    out
}

/// Print diagnostics to standard error, in colour on a terminal (unless `NO_COLOR` is set).
/// The errors (not the warnings) of a compilation, rendered to standard error: what a command
/// that goes on to the next policy says of one that does not compile.
pub fn print_errors(diags: &[Diagnostic], sources: &SourceMap, lang: Lang) {
    let errors: Vec<Diagnostic> = diags.iter().filter(|d| d.is_error()).cloned().collect();
    print_diagnostics(&errors, sources, lang);
}

pub fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap, lang: Lang) {
    use std::io::IsTerminal;
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diags {
        let theme = if color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        eprintln!("{}", render_with(d, sources, lang, theme));
    }
}
