//! Quick fixes (the did-you-mean of an unknown name, the same day in its own era for a 和暦 date
//! outside its era: `平成31年5月1日` → `令和元年5月1日`) and whole-file formatting (`onshi fmt`).

use crate::analysis::Analysis;
use crate::diagnostics::convert;
use crate::workspace::uri_of;
use lsp_types::{CodeAction, CodeActionKind, Range, TextEdit, WorkspaceEdit};
use onshi::Lang;
use onshi_grammar::ast::FileId;
use std::collections::HashMap;

fn overlaps(a: Range, b: Range) -> bool {
    a.start <= b.end && b.start <= a.end
}

/// The quick fixes for the diagnostics of `file` that touch `range`.
// lsp-types' WorkspaceEdit is keyed by Uri (its hash does not change once built).
#[allow(clippy::mutable_key_type)]
pub fn quick_fixes(a: &Analysis, file: FileId, range: Range, lang: Lang) -> Vec<CodeAction> {
    let Some(key) = a.key(file) else {
        return Vec::new();
    };
    let Some(uri) = uri_of(key) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for d in &a.compiled.diagnostics {
        let Some(span) = d.primary_span() else {
            continue;
        };
        if span.file != file {
            continue;
        }
        let Some(fix) = &d.fix else { continue };
        let (_, diag) = convert(a, d, lang);
        if !overlaps(diag.range, range) {
            continue;
        }
        let written = a.snippet(span);
        let replacement = glued(written, fix).unwrap_or_else(|| fix.clone());
        let title = match lang {
            Lang::Ja => format!("`{written}` を `{replacement}` に直す"),
            Lang::En => format!("change `{written}` to `{replacement}`"),
        };
        let edit = TextEdit::new(diag.range, replacement);
        out.push(CodeAction {
            title,
            kind: Some(CodeActionKind::QUICKFIX),
            diagnostics: Some(vec![diag]),
            edit: Some(WorkspaceEdit::new(HashMap::from([(
                uri.clone(),
                vec![edit],
            )]))),
            is_preferred: Some(true),
            ..Default::default()
        });
    }
    out
}

/// `申請日がある` with the suggestion `申請日`: the name and the keywords apart (`申請日 が ある`).
fn glued(written: &str, name: &str) -> Option<String> {
    let rest = written.strip_prefix(name)?;
    if rest.is_empty() {
        return None;
    }
    let rest = match rest.strip_prefix('が') {
        Some(r) => format!("が {r}"),
        None => rest.to_string(),
    };
    Some(format!("{name} {}", rest.trim_end()))
}

/// The whole file in the canonical layout, as one edit; `None` when it is already so; an error
/// text when it cannot be formatted (syntax errors, a comment the layout would move).
pub fn format(a: &Analysis, file: FileId, lang: Lang) -> Result<Option<Vec<TextEdit>>, String> {
    let text = a.text(file);
    match onshi_grammar::fmt::format_detailed(text) {
        Ok(formatted) if formatted == text => Ok(None),
        Ok(formatted) => {
            let end = a
                .range(onshi_grammar::ast::Span::new(file, text.len(), text.len()))
                .end;
            let whole = Range::new(Default::default(), end);
            Ok(Some(vec![TextEdit::new(whole, formatted)]))
        }
        Err(e) => Err(e
            .to_diagnostics()
            .first()
            .map(|d| d.message.get(lang).to_string())
            .unwrap_or_default()),
    }
}

#[cfg(test)]
mod tests {
    use super::glued;

    #[test]
    fn glued_names_are_taken_apart() {
        assert_eq!(
            glued("申請日がある", "申請日").as_deref(),
            Some("申請日 が ある")
        );
        assert_eq!(glued("申請日", "申請日"), None);
        assert_eq!(glued("申請曜日", "申請日"), None);
    }
}
