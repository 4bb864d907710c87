//! `onshi explain-error <code>`: the page of a diagnostic code, as `rustc --explain` prints one —
//! what it means, a failing example, the diagnostic onshi prints for it, and the fix. The codes and
//! their pages (`docs/errors/<code>.md`, Japanese, then English) are the registry's
//! (`onshi::codes`); `cli/tests/it/explain_error.rs` checks that their examples really fail and their
//! fixes are clean.

use onshi::{codes, Code, Lang};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The code, e.g. `onshi::type::mismatch` (also `type::mismatch` or `onshi-type-mismatch`).
    /// Without one, lists every code.
    pub code: Option<String>,
}

/// The page of `code` in `lang` as `onshi explain-error <code>` prints it (for the language
/// server's diagnostic links).
pub fn page(code: &str, lang: Lang) -> Option<String> {
    let code = Code::find(&normalize(code))?;
    Some(format!(
        "# {}\n\n{}",
        code.id,
        section(code.page(), lang).trim_start()
    ))
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let Some(wanted) = &args.code else {
        for code in codes::ALL {
            println!("{:<36} {}", code.id, summary(code.page(), lang));
        }
        return ExitCode::SUCCESS;
    };
    let code = normalize(wanted);
    match Code::find(&code) {
        Some(_) => {
            print!("{}", page(&code, lang).unwrap_or_default());
            ExitCode::SUCCESS
        }
        None => {
            let suggestion = onshi_grammar::suggest(&code, codes::ALL.iter().map(|c| c.id));
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
    fn pages_have_both_sections() {
        for c in codes::ALL {
            let (code, page) = (c.id, c.page());
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
