//! `onshi test`: run the examples (例) of policy files, print pass/fail with a readable diff, and
//! with `--coverage` the rules and table rows no example exercised. `--format json | junit | lcov`
//! writes the same run for CI systems and coverage tools ([`formats`]); `--min-coverage` fails
//! the run below a share of covered rules and rows.

mod collect;
mod formats;

use crate::citations::{CitationRun, SourcesArg};
use crate::fs;
use crate::options::LimitArgs;
use collect::{coverage_counts, Results, Status};
use onshi::{compile_with, Lang};
use onshi_cli::render::print_errors;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Pass/fail lines and the closing `N passed, M failed`.
    Text,
    /// One JSON document: a record per example, errors, coverage with `--coverage`.
    Json,
    /// JUnit XML (GitLab, Jenkins, GitHub Actions).
    Junit,
    /// lcov tracefile of the rules and table rows (implies --coverage).
    Lcov,
}

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also list the rules and table rows no example exercised (a 例外 counts only when an
    /// example makes it win).
    #[arg(long)]
    coverage: bool,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Fail (exit 1) when fewer than this percentage of rules and table rows are covered
    /// (`90`, `87.5`).
    #[arg(long, value_name = "PERCENT", value_parser = parse_percent)]
    min_coverage: Option<u32>,
    #[command(flatten)]
    sources: SourcesArg,
    #[command(flatten)]
    readings: crate::readings::ReadingArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

/// A percentage with up to two decimals, in hundredths of a percent (`87.5` → 8750).
fn parse_percent(s: &str) -> Result<u32, String> {
    let bad = || format!("{s}: expected a percentage from 0 to 100 (e.g. 90 or 87.5)");
    let t = s.trim().trim_end_matches('%');
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    if whole.is_empty() || frac.len() > 2 || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    let w: u32 = whole.parse().map_err(|_| bad())?;
    let f: u32 = if frac.is_empty() {
        0
    } else {
        format!("{frac:0<2}").parse().map_err(|_| bad())?
    };
    let v = w
        .checked_mul(100)
        .and_then(|x| x.checked_add(f))
        .ok_or_else(bad)?;
    if v > 10_000 {
        return Err(bad());
    }
    Ok(v)
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let limits = &args.limits.limits();
    let (files, mut cited) = match CitationRun::open(&args.paths, &args.sources, lang) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let text = args.format == Format::Text;
    let mut results = Results::default();
    let mut declared: Vec<String> = Vec::new();
    for path in &files {
        let compiled = compile_with(&fs::Disk, path, limits);
        if let Some(run) = cited.as_mut() {
            run.add(&compiled, limits, lang);
        }
        // Under `--reading`, each file that declares (or imports) a chosen reading runs its
        // examples under it.
        let chosen = match &compiled.program {
            Some(p) => {
                declared.extend(p.readings().iter().map(|r| r.name.clone()));
                match args.readings.apply_declared(p, &compiled.sources, lang) {
                    Ok(x) => x,
                    Err(code) => return code,
                }
            }
            None => None,
        };
        match chosen.as_ref().or(compiled.program.as_ref()) {
            Some(program) => results.add(path, program, &compiled, lang),
            None => {
                if text {
                    print_errors(&compiled.diagnostics, &compiled.sources, lang);
                }
                results.add_broken(path, &compiled, lang);
            }
        }
    }
    if let Err(code) = args.readings.check_all_known(&declared, lang) {
        return code;
    }
    let coverage = args.coverage || args.format == Format::Lcov || args.min_coverage.is_some();
    match args.format {
        Format::Text => print_text(&results, &files, args.coverage, lang),
        Format::Json => println!("{}", formats::to_json(&results, &files, coverage)),
        Format::Junit => print!("{}", formats::to_junit(&results, lang)),
        Format::Lcov => print!("{}", formats::to_lcov(&results, &files)),
    }
    let mut citation_errors = 0;
    if let Some(run) = &cited {
        citation_errors = run.errors;
        // On standard error in the machine formats, so their output stays one document.
        if text {
            println!("{}", run.summary(lang));
        } else {
            eprintln!("{}", run.summary(lang));
        }
    }
    let mut below = false;
    if let Some(min) = args.min_coverage {
        let (covered, total) = coverage_counts(&results, &files);
        // covered / total < min / 10000, without division.
        below = (covered as u128) * 10_000 < (min as u128) * (total as u128);
        let shown = |h: u128| format!("{}.{:02}", h / 100, h % 100);
        let got = if total == 0 {
            10_000
        } else {
            (covered as u128) * 10_000 / (total as u128)
        };
        let (got, min) = (shown(got), shown(u128::from(min)));
        let msg = match (lang, below) {
            (Lang::Ja, true) => {
                format!("網羅率 {got}% が下限 {min}% を下回っています（{covered}/{total} 件）")
            }
            (Lang::Ja, false) => format!("網羅率 {got}%（{covered}/{total} 件、下限 {min}%）"),
            (_, true) => {
                format!("coverage {got}% is below the minimum {min}% ({covered}/{total} items)")
            }
            (_, false) => format!("coverage {got}% ({covered}/{total} items, minimum {min}%)"),
        };
        if text {
            println!("{msg}");
        } else {
            eprintln!("{msg}");
        }
    }
    if text {
        // The plain closing line test runners and CI read.
        println!("{} passed, {} failed", results.passed(), results.failed());
    }
    if results.failed() > 0 || results.broken() > 0 || citation_errors > 0 || below {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn print_text(results: &Results, files: &[String], coverage: bool, lang: Lang) {
    let ja = lang == Lang::Ja;
    for p in &results.policies {
        for c in &p.cases {
            let mark = if c.passed { "✓" } else { "✗" };
            let at = format!("{}:{}:{}", c.at.file, c.at.line, c.at.column);
            if ja {
                println!("{mark} {at} 例「{}」", c.name);
            } else {
                println!("{mark} {at} example \"{}\"", c.name);
            }
            for (name, expected, actual) in &c.failures {
                if ja {
                    println!("    {name}: 期待 {expected} / 実際 {actual}");
                } else {
                    println!("    {name}: expected {expected} / actual {actual}");
                }
            }
        }
    }
    if coverage {
        let line = |i: &collect::Item| format!("  {}:{}:{} {}", i.file, i.line, i.column, i.text);
        let gaps: Vec<String> = results
            .tested_items(files)
            .filter(|i| i.status == Status::Uncovered)
            .map(line)
            .collect();
        let applied: Vec<String> = results
            .tested_items(files)
            .filter(|i| i.status == Status::AppliedOnly)
            .map(line)
            .collect();
        if gaps.is_empty() && applied.is_empty() {
            println!(
                "{}",
                if ja {
                    "網羅: すべての規則と表の行が例で確かめられています"
                } else {
                    "coverage: every rule and table row is exercised by an example"
                }
            );
        } else if !gaps.is_empty() {
            println!(
                "{}",
                if ja {
                    "例で確かめられていない規則・表の行:"
                } else {
                    "not exercised by any example:"
                }
            );
            for g in &gaps {
                println!("{g}");
            }
        }
        if !applied.is_empty() {
            println!(
                "{}",
                if ja {
                    "当てはまったが一度も値を決めなかった規則（より強い規則が勝った）:"
                } else {
                    "rules that applied but never won (a stronger rule gave the value):"
                }
            );
            for a in &applied {
                println!("{a}");
            }
        }
    }
    let broken = results.broken();
    if broken > 0 {
        if ja {
            println!("{broken} ファイルにエラーがあります");
        } else {
            println!("{broken} file(s) have errors");
        }
    }
}
