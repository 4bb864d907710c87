//! `onshi-lsp [--lang ja|en]`: the language server on stdio (the same as `onshi lsp`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = args
        .iter()
        .position(|a| a == "--lang")
        .and_then(|i| args.get(i + 1))
        .map(|l| onshi::Lang::from_tag(l));
    match onshi_lsp::run_stdio(lang) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onshi lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
