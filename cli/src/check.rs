//! `onshi check`: parse and check policy files (directories are searched for `*.onshi`); with
//! `--sources`, also check every quoted passage against its document.

use crate::citations::{CitationRun, SourcesArg};
use crate::fs;
use crate::options::LimitArgs;
use onshi::{compile_with, Lang, Limits};
use onshi_cli::render::print_diagnostics;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    #[command(flatten)]
    sources: SourcesArg,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    check(&args.paths, &args.sources, &args.limits.limits(), lang)
}

fn check(paths: &[PathBuf], sources: &SourcesArg, limits: &Limits, lang: Lang) -> ExitCode {
    let (files, mut cited) = match CitationRun::open(paths, sources, lang) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let mut seen = std::collections::HashSet::new();
    let (mut errors, mut warnings) = (0usize, 0usize);
    for path in &files {
        let compiled = compile_with(&fs::Disk, path, limits);
        let mut fresh = Vec::new();
        for d in compiled.diagnostics.iter().cloned() {
            let key = (
                d.code,
                d.primary_span()
                    .map(|s| (compiled.sources.locate(s), s.end)),
            );
            if seen.insert(key) {
                fresh.push(d);
            }
        }
        errors += fresh.iter().filter(|d| d.is_error()).count();
        warnings += fresh.iter().filter(|d| !d.is_error()).count();
        // Diagnostics go to standard error and the file lines to standard output: flush each before
        // the other writes, so that merged (`2>&1`) they never share a line.
        let _ = std::io::stdout().flush();
        print_diagnostics(&fresh, &compiled.sources, lang);
        if let Some(run) = cited.as_mut() {
            run.add(&compiled, limits, lang);
        }
        if compiled.program.is_some() {
            println!("✓ {path}");
        } else {
            println!("✗ {path}");
        }
    }
    if let Some(run) = &cited {
        errors += run.errors;
        warnings += run.warnings;
        println!("{}", run.summary(lang));
    }
    let summary = match lang {
        Lang::Ja => format!(
            "{} ファイルを検査: エラー {errors} 件、警告 {warnings} 件",
            files.len()
        ),
        Lang::En => format!(
            "checked {} file(s): {errors} error(s), {warnings} warning(s)",
            files.len()
        ),
    };
    let _ = std::io::stderr().flush();
    println!("{summary}");
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
