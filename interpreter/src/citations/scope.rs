//! `範囲外` declarations as citations see them: their quotes checked against the document, and
//! the wording of their problems (`onshi::scope::*`).

use super::text::Folded;
use super::{check_passage, CitationError, Declared};
use onshi_grammar::ast::ScopeDecl;
use onshi_grammar::diagnostic::clip;
use onshi_grammar::{Code, Diagnostic, Text};
use std::collections::BTreeMap;

impl CitationError {
    pub(super) fn scope_diagnostic(&self) -> Diagnostic {
        match self {
            CitationError::ScopeNotFound {
                span,
                source,
                document,
                fragment,
                closest,
            } => {
                let fragment = clip(fragment, 60);
                let message = if fragment.is_empty() {
                    Text::new(
                        format!("範囲外の宣言が出典 {source}（{document}）から何も引用していません"),
                        format!("this out-of-scope declaration quotes nothing from source {source} ({document})"),
                    )
                } else {
                    Text::new(
                        format!("範囲外とした引用「{fragment}」が出典 {source}（{document}）に見つかりません"),
                        format!("the passage 「{fragment}」 declared out of scope is not in source {source} ({document})"),
                    )
                };
                let help = match closest {
                    Some(c) => Text::new(
                        format!("資料でいちばん近い箇所: 「{c}」。範囲外とする箇所を資料の文言どおりに「…」で引用してください"),
                        format!("the closest passage of the document: 「{c}」. Quote the passage you declare out of scope word for word in 「…」"),
                    ),
                    None => Text::new(
                        "範囲外とする箇所を資料の文言どおりに「…」で引用してください（節全体なら「最初の言葉…最後の言葉」）",
                        "quote the passage you declare out of scope word for word in 「…」 (a whole section: 「its first words…its last words」)",
                    ),
                };
                Diagnostic::new(Code::SCOPE_NOT_FOUND, message)
                    .with_label(*span, Text::new("この引用", "this passage"))
                    .with_help(help)
            }
            CitationError::ScopeDuplicate {
                span,
                first,
                source,
                document,
            } => Diagnostic::new(
                Code::SCOPE_DUPLICATE,
                Text::new(
                    format!("出典 {source}（{document}）の同じ箇所が二度、範囲外と宣言されています"),
                    format!("the same passage of source {source} ({document}) is declared out of scope twice"),
                ),
            )
            .with_label(*span, Text::new("二度目の宣言", "declared again here"))
            .with_label(*first, Text::new("最初の宣言", "first declared here"))
            .with_help(Text::new(
                "どちらか一方の宣言を消すか、重ならない箇所を引用してください",
                "remove one of the declarations, or quote passages that do not overlap",
            )),
            CitationError::ScopeCited {
                span,
                citation,
                source,
                document,
            } => Diagnostic::new(
                Code::SCOPE_CITED,
                Text::new(
                    format!("範囲外と宣言した出典 {source}（{document}）の箇所を、規則が引用しています"),
                    format!("a rule cites the passage of source {source} ({document}) declared out of scope"),
                ),
            )
            .with_label(*span, Text::new("範囲外の宣言", "the out-of-scope declaration"))
            .with_label(*citation, Text::new("この出典が同じ箇所を引用", "this citation quotes the same passage"))
            .with_help(Text::new(
                "規則が定めている箇所は範囲外ではありません。宣言を消すか、規則の引用していない箇所だけを引用してください",
                "a passage a rule encodes is not out of scope: remove the declaration, or quote only what no rule cites",
            )),
            other => other.to_diagnostic(),
        }
    }
}

/// The quote of a `範囲外` declaration, checked as a citation's (it must quote something).
pub(super) fn check_scope(
    s: &ScopeDecl,
    declared: &BTreeMap<String, Declared>,
    texts: &BTreeMap<String, Option<Folded>>,
    originals: &BTreeMap<&str, String>,
    errors: &mut Vec<CitationError>,
) {
    let name = &s.quote.source.name;
    let Some(d) = declared.get(name) else { return };
    let (Some(Some(doc)), Some(original)) = (texts.get(name), originals.get(name.as_str())) else {
        return;
    };
    let quoting = s
        .quote
        .passages
        .iter()
        .any(|p| !Folded::new(&p.text.replace(['…', '⋯'], "")).is_empty());
    if !quoting {
        errors.push(CitationError::ScopeNotFound {
            span: s.quote.span,
            source: name.clone(),
            document: d.document.clone(),
            fragment: String::new(),
            closest: None,
        });
    }
    for p in &s.quote.passages {
        if let Some(e) = check_passage(&p.text, doc, original) {
            errors.push(CitationError::ScopeNotFound {
                span: p.span,
                source: name.clone(),
                document: d.document.clone(),
                fragment: e.fragment,
                closest: e.closest,
            });
        }
    }
}
