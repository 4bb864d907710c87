//! `onshi-lsp [--lang ja|en] [--sources <dir>]`: the language server on stdio (the same as
//! `onshi lsp`).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let value = |flag: &str| {
        args.iter()
            .position(|a| a == flag)
            .and_then(|i| args.get(i + 1))
    };
    let options = onshi_lsp::Options {
        lang: value("--lang").map(|l| onshi::Lang::from_tag(l)),
        sources: value("--sources").map(std::path::PathBuf::from),
        ..Default::default()
    };
    match onshi_lsp::run_stdio(&options) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("onshi lsp: {e}");
            ExitCode::FAILURE
        }
    }
}
