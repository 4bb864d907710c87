//! Diagnostics as data: `phase`, `code`, `severity` (`"error"` / `"warning"`), `message` and
//! `help` in both languages (`help` may be null), and `labels`, each with `text`, `primary` and its
//! position: file, UTF-8 byte range, UTF-16 range (for JavaScript editors), and 1-based
//! line/column (in characters) of both ends. Bad facts also carry the JSON `path` of the field.

use super::model::{opt_text, text};
use crate::evaluator::RunError;
use crate::sources::SourceMap;
use onshi_grammar::ast::Span;
use onshi_grammar::{Diagnostic, Severity, Text};
use serde::{Serialize, Serializer};
use serde_json::Value as Json;

/// Which phase a diagnostic came from: `"compile"` (syntax and checking), `"facts"` (the
/// facts; the diagnostic then has a `path`), or `"eval"`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
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

fn severity<S: Serializer>(s: &Severity, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
    })
}

/// One diagnostic as data (see the module documentation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DiagnosticData {
    pub phase: Phase,
    pub code: &'static str,
    #[serde(serialize_with = "severity")]
    pub severity: Severity,
    #[serde(serialize_with = "text")]
    pub message: Text,
    #[serde(serialize_with = "opt_text")]
    pub help: Option<Text>,
    pub labels: Vec<LabelData>,
    /// The JSON path of the field at fault, for bad facts (`"$.受診日"`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
}

/// A label's position and text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LabelData {
    pub file: String,
    pub start: u32,
    pub end: u32,
    pub start_utf16: usize,
    pub end_utf16: usize,
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    #[serde(serialize_with = "text")]
    pub text: Text,
    pub primary: bool,
}

impl LabelData {
    fn new(sources: &SourceMap, span: Span, text: Text, primary: bool) -> LabelData {
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
        LabelData {
            file: file.to_string(),
            start: span.start,
            end: span.end,
            start_utf16: utf16.0,
            end_utf16: utf16.1,
            line,
            column,
            end_line,
            end_column,
            text,
            primary,
        }
    }
}

impl DiagnosticData {
    pub fn new(d: &Diagnostic, sources: &SourceMap, phase: Phase) -> DiagnosticData {
        DiagnosticData {
            phase,
            code: d.code,
            severity: d.severity,
            message: d.message.clone(),
            help: d.help.clone(),
            labels: d
                .labels
                .iter()
                .map(|l| LabelData::new(sources, l.span, l.text.clone(), l.primary))
                .collect(),
            path: None,
        }
    }

    /// A failed evaluation: bad facts (with the field's `path`) or an evaluation error.
    pub fn of_run_error(e: &RunError, sources: &SourceMap) -> DiagnosticData {
        match e {
            RunError::Facts(f) => DiagnosticData {
                path: Some(f.path().to_string()),
                ..DiagnosticData::new(&f.to_diagnostic(), sources, Phase::Facts)
            },
            RunError::Eval(ev) => DiagnosticData::new(&ev.to_diagnostic(), sources, Phase::Eval),
        }
    }

    /// Compile diagnostics as data.
    pub fn compile(diags: &[Diagnostic], sources: &SourceMap) -> Vec<DiagnosticData> {
        diags
            .iter()
            .map(|d| DiagnosticData::new(d, sources, Phase::Compile))
            .collect()
    }

    /// A front end (the WASM and Python packages) asked for a shipped policy it does not bundle:
    /// the error `code` of that front end (`onshi::wasm::unknown_policy`), naming the policies it
    /// has (`names`).
    pub fn unknown_policy(code: &'static str, name: &str, names: &[String]) -> Vec<DiagnosticData> {
        let names = names.join(", ");
        let d = Diagnostic::error(
            code,
            Text::new(
                format!("同梱の政策に `{name}` はありません"),
                format!("no bundled policy is named `{name}`"),
            ),
        )
        .with_help(Text::new(
            format!("同梱の政策: {names}"),
            format!("bundled policies: {names}"),
        ));
        DiagnosticData::compile(&[d], &SourceMap::default())
    }
}

/// One diagnostic as JSON.
pub fn diagnostic_json(d: &Diagnostic, sources: &SourceMap, phase: Phase) -> Json {
    super::to_json(&DiagnosticData::new(d, sources, phase))
}

/// Compile diagnostics as a JSON array.
pub fn diagnostics_json(diags: &[Diagnostic], sources: &SourceMap) -> Json {
    super::to_json(&DiagnosticData::compile(diags, sources))
}

/// A failed evaluation as a diagnostic; bad facts also carry the JSON `path` of the field
/// (`"$.受診日"`).
pub fn run_error_json(e: &RunError, sources: &SourceMap) -> Json {
    super::to_json(&DiagnosticData::of_run_error(e, sources))
}
