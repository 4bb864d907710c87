//! `onshi lsp`: the language server on stdio, for editors (onshi-lsp). `--lang` (or ONSHI_LANG)
//! fixes the language of its messages; otherwise the editor's locale chooses it. `--sources`: the
//! folder of the documents the citations quote, checked as `onshi check --sources` does.

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
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    // `--lang` has a default, so whether it was given is read from the command line itself.
    let given = std::env::args().any(|a| a == "--lang" || a.starts_with("--lang="))
        || std::env::var_os("ONSHI_LANG").is_some();
    let options = onshi_lsp::Options {
        lang: given.then_some(lang),
        sources: args.sources.clone(),
    };
    match onshi_lsp::run_stdio(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onshi lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
