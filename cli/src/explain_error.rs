//! `onshi explain-error <code>`: the page of a diagnostic code, as `rustc --explain` prints one —
//! what it means, a failing example, the diagnostic onshi prints for it, and the fix. The pages are
//! `docs/errors/<code>.md` (Japanese, then English), embedded here; `cli/tests/it/explain_error.rs`
//! checks that every code has one and that their examples really fail and their fixes are clean.

use onshi::Lang;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. `onshi::type::mismatch` (also `type::mismatch` or `onshi-type-mismatch`).
    /// Without one, lists every code.
    pub code: Option<String>,
}

/// The page of every diagnostic code, in the order of the phases. Each starts with `# <code>`; the
/// codes are not written out here, so that scanning the sources for codes finds only real ones.
const PAGES: &[&str] = &[
    include_str!("../../docs/errors/onshi-syntax-too_deep.md"),
    include_str!("../../docs/errors/onshi-syntax-too_large.md"),
    include_str!("../../docs/errors/onshi-syntax-unexpected.md"),
    include_str!("../../docs/errors/onshi-literal-before_gregorian.md"),
    include_str!("../../docs/errors/onshi-literal-era_range.md"),
    include_str!("../../docs/errors/onshi-literal-malformed.md"),
    include_str!("../../docs/errors/onshi-literal-no_such_day.md"),
    include_str!("../../docs/errors/onshi-literal-overflow.md"),
    include_str!("../../docs/errors/onshi-literal-zero_denominator.md"),
    include_str!("../../docs/errors/onshi-name-ambiguous.md"),
    include_str!("../../docs/errors/onshi-name-cycle.md"),
    include_str!("../../docs/errors/onshi-name-duplicate.md"),
    include_str!("../../docs/errors/onshi-name-entry_not_found.md"),
    include_str!("../../docs/errors/onshi-name-import_not_found.md"),
    include_str!("../../docs/errors/onshi-name-no_definition.md"),
    include_str!("../../docs/errors/onshi-name-unknown.md"),
    include_str!("../../docs/errors/onshi-type-arity.md"),
    include_str!("../../docs/errors/onshi-type-mismatch.md"),
    include_str!("../../docs/errors/onshi-type-needs_annotation.md"),
    include_str!("../../docs/errors/onshi-type-not_comparable.md"),
    include_str!("../../docs/errors/onshi-type-not_constant.md"),
    include_str!("../../docs/errors/onshi-type-not_exhaustive.md"),
    include_str!("../../docs/errors/onshi-type-optional.md"),
    include_str!("../../docs/errors/onshi-type-unit.md"),
    include_str!("../../docs/errors/onshi-type-unreachable_arm.md"),
    include_str!("../../docs/errors/onshi-table-gap.md"),
    include_str!("../../docs/errors/onshi-table-header.md"),
    include_str!("../../docs/errors/onshi-table-overlap.md"),
    include_str!("../../docs/errors/onshi-table-pattern.md"),
    include_str!("../../docs/errors/onshi-table-width.md"),
    include_str!("../../docs/errors/onshi-rule-conflict.md"),
    include_str!("../../docs/errors/onshi-rule-cycle.md"),
    include_str!("../../docs/errors/onshi-rule-unreachable.md"),
    include_str!("../../docs/errors/onshi-source-not_found.md"),
    include_str!("../../docs/errors/onshi-source-missing_document.md"),
    include_str!("../../docs/errors/onshi-source-unquoted.md"),
    include_str!("../../docs/errors/onshi-example-missing_input.md"),
    include_str!("../../docs/errors/onshi-limit-rules.md"),
    include_str!("../../docs/errors/onshi-limit-variants.md"),
    include_str!("../../docs/errors/onshi-limit-definitions.md"),
    include_str!("../../docs/errors/onshi-limit-table_rows.md"),
    include_str!("../../docs/errors/onshi-limit-depth.md"),
    include_str!("../../docs/errors/onshi-limit-steps.md"),
    include_str!("../../docs/errors/onshi-limit-workbook.md"),
    include_str!("../../docs/errors/onshi-facts-json.md"),
    include_str!("../../docs/errors/onshi-facts-literal.md"),
    include_str!("../../docs/errors/onshi-facts-missing.md"),
    include_str!("../../docs/errors/onshi-facts-type.md"),
    include_str!("../../docs/errors/onshi-facts-unknown_field.md"),
    include_str!("../../docs/errors/onshi-facts-variant.md"),
    include_str!("../../docs/errors/onshi-facts-spreadsheet_error.md"),
    include_str!("../../docs/errors/onshi-eval-conflict.md"),
    include_str!("../../docs/errors/onshi-eval-date_range.md"),
    include_str!("../../docs/errors/onshi-eval-division_by_zero.md"),
    include_str!("../../docs/errors/onshi-eval-incomparable_durations.md"),
    include_str!("../../docs/errors/onshi-eval-internal.md"),
    include_str!("../../docs/errors/onshi-eval-no_row.md"),
    include_str!("../../docs/errors/onshi-eval-no_rule.md"),
    include_str!("../../docs/errors/onshi-eval-overflow.md"),
    include_str!("../../docs/errors/onshi-eval-rounding_unit.md"),
];

/// The code a page is for: its first line, `# onshi::type::mismatch`.
fn code_of(page: &str) -> &str {
    page.lines()
        .next()
        .and_then(|l| l.strip_prefix("# "))
        .unwrap_or("")
        .trim()
}

/// The page of `code` in `lang` as `onshi explain-error <code>` prints it (for the language
/// server's diagnostic links).
pub fn page(code: &str, lang: Lang) -> Option<String> {
    let code = normalize(code);
    let page = PAGES.iter().find(|p| code_of(p) == code)?;
    Some(format!("# {code}\n\n{}", section(page, lang).trim_start()))
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let Some(wanted) = &args.code else {
        for page in PAGES {
            println!("{:<36} {}", code_of(page), summary(page, lang));
        }
        return ExitCode::SUCCESS;
    };
    let code = normalize(wanted);
    match PAGES.iter().find(|p| code_of(p) == code) {
        Some(_) => {
            print!("{}", page(&code, lang).unwrap_or_default());
            ExitCode::SUCCESS
        }
        None => {
            let suggestion = onshi_grammar::suggest(&code, PAGES.iter().map(|p| code_of(p)));
            let hint = match (suggestion, lang) {
                (Some(s), Lang::Ja) => format!("`{s}` のことですか？"),
                (Some(s), Lang::En) => format!("did you mean `{s}`?"),
                (None, Lang::Ja) => "`onshi explain-error` でコードの一覧を表示します".to_string(),
                (None, Lang::En) => "`onshi explain-error` lists the codes".to_string(),
            };
            match lang {
                Lang::Ja => eprintln!("診断コード `{wanted}` はありません。{hint}"),
                Lang::En => eprintln!("unknown diagnostic code `{wanted}`: {hint}"),
            }
            ExitCode::from(1)
        }
    }
}

/// `type::mismatch`, `onshi-type-mismatch`, `onshi-type-mismatch.md`, ` ONSHI::Type::Mismatch `
/// → `onshi::type::mismatch`.
fn normalize(code: &str) -> String {
    let c = code.trim().to_ascii_lowercase();
    let c = c.strip_suffix(".md").unwrap_or(&c);
    let c = c.rsplit('/').next().unwrap_or(c).replace('-', "::");
    if c.starts_with("onshi::") {
        c
    } else {
        format!("onshi::{c}")
    }
}

/// The page's section in `lang`: from its `## 日本語` or `## English` heading to the next one.
fn section(page: &str, lang: Lang) -> &str {
    let ja = page.find("\n## 日本語\n");
    let en = page.find("\n## English\n");
    let text = match (lang, ja, en) {
        (Lang::Ja, Some(ja), Some(en)) if ja < en => page.get(ja..en),
        (Lang::Ja, Some(ja), _) => page.get(ja..),
        (Lang::En, _, Some(en)) => page.get(en..),
        _ => None,
    };
    text.unwrap_or(page)
}

/// The first line of the section's text (its one-sentence summary), without Markdown emphasis.
fn summary(page: &str, lang: Lang) -> String {
    section(page, lang)
        .lines()
        .skip(1)
        .find(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .unwrap_or("")
        .replace("**", "")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_codes() {
        // (No quoted `onshi::…` codes here: the completeness tests scan the sources for codes.)
        let want = ["onshi", "type", "mismatch"].join("::");
        for c in [
            "type::mismatch",
            "onshi-type-mismatch",
            "docs/errors/onshi-type-mismatch.md",
            " ONSHI::Type::Mismatch ",
        ] {
            assert_eq!(normalize(c), want, "{c}");
        }
        assert_eq!(normalize(&want), want);
        assert_eq!(
            normalize("onshi-type-not_exhaustive"),
            ["onshi", "type", "not_exhaustive"].join("::")
        );
    }

    #[test]
    fn pages_start_with_their_code() {
        let mut seen = std::collections::HashSet::new();
        for page in PAGES {
            let code = code_of(page);
            assert!(code.starts_with("onshi::"), "{code}");
            assert!(seen.insert(code), "two pages for {code}");
            assert!(
                section(page, Lang::Ja).starts_with("\n## 日本語\n"),
                "{code}"
            );
            assert!(
                section(page, Lang::En).starts_with("\n## English\n"),
                "{code}"
            );
            assert!(!summary(page, Lang::Ja).is_empty(), "{code}");
            assert!(!summary(page, Lang::En).is_empty(), "{code}");
        }
    }
}
