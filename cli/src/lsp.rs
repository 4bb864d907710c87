//! `onshi lsp`: the language server on stdio, for editors (onshi-lsp). `--lang` (or ONSHI_LANG)
//! fixes the language of its messages; otherwise the editor's locale chooses it. `--sources`: the
//! folder of the documents the citations quote, checked as `onshi check --sources` does. The
//! `--max-…` limits are those of `onshi check` (the messages of the limit diagnostics name them).
//! A diagnostic's code links to its page: under `docs/errors/` when the policy is in the
//! repository, else the page `onshi explain-error <code>` prints, written by the server to the
//! cache folder (see `onshi_lsp::diagnostics::Pages`).

use onshi::Lang;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; the server always speaks on stdin/stdout.
    #[arg(long)]
    stdio: bool,
    /// The folder of the source documents: citations are checked against them as you type.
    #[arg(long, value_name = "DIR")]
    sources: Option<std::path::PathBuf>,
    #[command(flatten)]
    limits: crate::options::LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    // `--lang` has a default, so whether it was given is read from the command line itself.
    let given = std::env::args().any(|a| a == "--lang" || a.starts_with("--lang="))
        || std::env::var_os("ONSHI_LANG").is_some();
    let options = onshi_lsp::Options {
        lang: given.then_some(lang),
        sources: args.sources.clone(),
        limits: args.limits.limits(),
        explain: Some(crate::explain_error::page),
    };
    match onshi_lsp::run_stdio(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onshi lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
