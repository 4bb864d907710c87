//! `onshi test`: run the examples (例) of policy files, print pass/fail with a readable diff, and
//! with `--coverage` the rules and table rows no example exercised.

use crate::citations::{CitationRun, SourcesArg};
use crate::fs;
use crate::options::LimitArgs;
use onshi::examples::Coverage;
use onshi::{compile_with, Lang};
use onshi_cli::render::print_diagnostics;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Also list the rules and table rows no example exercised.
    #[arg(long)]
    coverage: bool,
    #[command(flatten)]
    sources: SourcesArg,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let (paths, coverage, sources) = (&args.paths, args.coverage, &args.sources);
    let limits = &args.limits.limits();
    let (files, mut cited) = match CitationRun::open(paths, sources) {
        Ok(x) => x,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let ja = lang == Lang::Ja;
    let (mut passed, mut failed, mut broken) = (0usize, 0usize, 0usize);
    // Coverage merged over the whole run by source location (path:line:column), so a table in
    // common/ counts as exercised when an example of any policy importing it exercised it.
    let mut items: BTreeMap<(String, u32), (String, bool)> = BTreeMap::new();
    for path in &files {
        let compiled = compile_with(&fs::Disk, path, limits);
        if let Some(run) = cited.as_mut() {
            run.add(&compiled, limits, lang);
        }
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let Some(program) = compiled.program else {
            print_diagnostics(&errors, &compiled.sources, lang);
            broken += 1;
            continue;
        };
        let mut cov = Coverage::default();
        for outcome in program.run_examples(&mut cov) {
            let at = compiled.sources.locate(outcome.span);
            let mark = if outcome.passed() { "✓" } else { "✗" };
            if ja {
                println!("{mark} {at} 例「{}」", outcome.name);
            } else {
                println!("{mark} {at} example \"{}\"", outcome.name);
            }
            if outcome.passed() {
                passed += 1;
                continue;
            }
            failed += 1;
            for m in &outcome.mismatches {
                let (expected, actual) =
                    (program.expected_text(m, lang), program.actual_text(m, lang));
                if ja {
                    println!("    {}: 期待 {expected} / 実際 {actual}", m.name);
                } else {
                    println!("    {}: expected {expected} / actual {actual}", m.name);
                }
            }
        }
        if coverage {
            for (u, covered) in program.coverage_items(&cov) {
                let file = compiled
                    .sources
                    .get(u.span.file)
                    .map(|f| f.path.clone())
                    .unwrap_or_default();
                let line = format!(
                    "  {} {}",
                    compiled.sources.locate(u.span),
                    u.item.text().get(lang)
                );
                let entry = items.entry((file, u.span.start)).or_insert((line, false));
                entry.1 |= covered;
            }
        }
    }
    // Report the files under test; an imported file counts only when it is tested too.
    let gaps: Vec<&String> = items
        .iter()
        .filter(|((file, _), (_, covered))| !covered && files.contains(file))
        .map(|(_, (line, _))| line)
        .collect();
    if coverage {
        if gaps.is_empty() {
            println!(
                "{}",
                if ja {
                    "網羅: すべての規則と表の行が例で確かめられています"
                } else {
                    "coverage: every rule and table row is exercised by an example"
                }
            );
        } else {
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
    }
    if broken > 0 {
        println!(
            "{}",
            if ja {
                format!("{broken} ファイルにエラーがあります")
            } else {
                format!("{broken} file(s) have errors")
            }
        );
    }
    let mut citation_errors = 0;
    if let Some(run) = &cited {
        citation_errors = run.errors;
        println!("{}", run.summary(lang));
    }
    // The plain closing line test runners and CI read.
    println!("{passed} passed, {failed} failed");
    if failed > 0 || broken > 0 || citation_errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
