//! `onshi check`: parse and check policy files (directories are searched for `*.onshi`); with
//! `--sources`, also check every quoted passage against its document and report the coverage of
//! each document (`--coverage`, `--require-coverage`).

use crate::citations::{CitationRun, SourcesArg};
use crate::coverage::{AllFiles, CoverageFormat};
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
    /// With --sources: how to report the coverage of each document (which sentences a citation
    /// quotes, which a 範囲外 declaration sets aside, which are neither). `json` puts only the
    /// report on standard output (the other lines go to standard error).
    #[arg(long, value_enum, default_value_t = CoverageFormat::Text)]
    coverage: CoverageFormat,
    /// With --sources: fail (exit status 1) when a sentence with a date, an amount or a normative
    /// word is neither cited nor declared out of scope (CI uses this).
    #[arg(long, requires = "sources")]
    require_coverage: bool,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    check(args, &args.limits.limits(), lang)
}

fn check(args: &Args, limits: &Limits, lang: Lang) -> ExitCode {
    let json = args.coverage == CoverageFormat::Json && args.sources.sources.is_some();
    // With a JSON report, standard output holds the report alone.
    let say = |line: &str| {
        if json {
            eprintln!("{line}");
        } else {
            println!("{line}");
        }
    };
    let mut all = AllFiles::default();
    let (files, mut cited) = match CitationRun::open(&args.paths, &args.sources, lang) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let mut seen = std::collections::HashSet::new();
    let (mut errors, mut warnings) = (0usize, 0usize);
    let backend = onshi_solver::Backend::detect();
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
            all.add(&compiled.sources);
        }
        // The proofs run after the fast checks, on a policy with no error.
        let proofs = match &compiled.program {
            Some(p) if !p.outputs().is_empty() && !fresh.iter().any(|d| d.is_error()) => {
                Some(crate::prove::run(p, backend))
            }
            _ => None,
        };
        if let Some(report) = &proofs {
            let found: Vec<_> = report
                .findings
                .iter()
                .filter(|d| {
                    let key = (
                        d.code,
                        d.primary_span()
                            .map(|s| (compiled.sources.locate(s), s.end)),
                    );
                    seen.insert(key)
                })
                .cloned()
                .collect();
            warnings += found.len();
            let _ = std::io::stdout().flush();
            print_diagnostics(&found, &compiled.sources, lang);
            let _ = std::io::stderr().flush();
            say(&report.summary(lang, backend));
        }
        if compiled.program.is_some() {
            say(&format!("✓ {path}"));
        } else {
            say(&format!("✗ {path}"));
        }
    }
    let mut uncovered = 0usize;
    if let Some(run) = &mut cited {
        // `--coverage none` checks the quotes only (unless the coverage is required).
        let report = if args.coverage == CoverageFormat::None && !args.require_coverage {
            onshi::citations::coverage::Coverage::default()
        } else {
            run.coverage(&all.map, limits, lang)
        };
        errors += run.errors;
        warnings += run.warnings;
        say(&run.summary(lang));
        uncovered = report.uncited_normative();
        match args.coverage {
            CoverageFormat::Text => say(&crate::coverage::text(&report, lang)),
            CoverageFormat::Json => {
                println!("{:#}", crate::coverage::json(&report, &all.map));
            }
            CoverageFormat::None => {}
        }
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
    say(&summary);
    if errors > 0 || (args.require_coverage && uncovered > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
