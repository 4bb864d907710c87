//! `onshi fmt`: rewrite policy files in the canonical layout (`onshi_grammar::fmt`), or with
//! `--check` list the files whose layout would change (for CI). Exit codes: 0 nothing to do (or
//! everything rewritten), 1 syntax errors, unplaceable comments, unreadable or unwritable files, or
//! with `--check` files that would change; 2 usage errors.

use crate::fs;
use onshi::{Lang, SourceMap};
use onshi_cli::render::print_diagnostics;
use onshi_grammar::fmt::format_detailed;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Policy files, or directories (searched for *.onshi).
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Write nothing: list the files whose layout would change, and exit 1 if there are any.
    #[arg(long)]
    check: bool,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let files = match fs::expand(&args.paths, lang) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let ja = lang == Lang::Ja;
    let (mut changed, mut failed) = (0usize, 0usize);
    for path in &files {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{path}: {e}");
                failed += 1;
                continue;
            }
        };
        let formatted = match format_detailed(&text) {
            Ok(f) => f,
            Err(e) => {
                let mut sources = SourceMap::default();
                sources.add(path, text);
                print_diagnostics(&e.to_diagnostics(), &sources, lang);
                failed += 1;
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if args.check {
            println!("{path}");
        } else if let Err(e) = std::fs::write(path, formatted) {
            eprintln!("{path}: {e}");
            failed += 1;
        } else if ja {
            println!("整形しました: {path}");
        } else {
            println!("formatted {path}");
        }
    }
    let n = files.len();
    let summary = match (args.check, ja) {
        (true, true) => format!("{n} ファイルを確認: 整形が必要 {changed} 件、エラー {failed} 件"),
        (true, false) => {
            format!("checked {n} file(s): {changed} would be reformatted, {failed} with errors")
        }
        (false, true) => format!("{n} ファイルを確認: 整形 {changed} 件、エラー {failed} 件"),
        (false, false) => {
            format!("checked {n} file(s): {changed} reformatted, {failed} with errors")
        }
    };
    eprintln!("{summary}");
    if failed > 0 || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
