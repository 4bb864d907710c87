//! `onshi lsp`: the language server on stdio, for editors (onshi-lsp). `--lang` (or ONSHI_LANG)
//! fixes the language of its messages; otherwise the editor's locale chooses it.

use onshi::Lang;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Accepted for editors that pass it; the server always speaks on stdin/stdout.
    #[arg(long)]
    stdio: bool,
}

pub fn run(_args: &Args, lang: Lang) -> ExitCode {
    // `--lang` has a default, so whether it was given is read from the command line itself.
    let given = std::env::args().any(|a| a == "--lang" || a.starts_with("--lang="))
        || std::env::var_os("ONSHI_LANG").is_some();
    match onshi_lsp::run_stdio(given.then_some(lang)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onshi lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
