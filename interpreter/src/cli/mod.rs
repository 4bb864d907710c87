//! `onshi check` and `onshi eval`. Exit codes: 0 success, 1 diagnostics or failed evaluation,
//! 2 usage errors (clap).

mod batch;
mod citations;
mod diff;
mod explain_error;
mod fmt;
mod fs;
mod limits;
mod table;
mod test;

use clap::{Parser, Subcommand, ValueEnum};
pub(crate) use limits::LimitArgs;
use onshi::{compile_with, Diagnostic, Lang, Limits, Program, RunError, SourceMap};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "onshi",
    version,
    about = "オンライン資格確認のルール言語 onshi — check and run policies"
)]
struct Cli {
    /// Language of messages: ja (default) or en. Also read from ONSHI_LANG.
    #[arg(long, global = true, env = "ONSHI_LANG", default_value = "ja")]
    lang: String,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check policy files (directories are searched for *.onshi).
    Check {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        sources: citations::SourcesArg,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Evaluate a policy on facts given as JSON.
    Eval {
        policy: PathBuf,
        /// Facts as a JSON file, or `-` for standard input.
        #[arg(long, short)]
        input: String,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// Explain each output: the inputs, definitions, table rows and rules it came from, with
        /// lines and 出典 (JSON: a `trace` member beside `outputs`).
        #[arg(long)]
        explain: bool,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Run the examples (例) written in policy files; exit 1 if any fails.
    Test {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also list the rules and table rows no example exercised.
        #[arg(long)]
        coverage: bool,
        #[command(flatten)]
        sources: citations::SourcesArg,
        #[command(flatten)]
        limits: LimitArgs,
    },
    /// Compare two editions of a policy (files, or year folders matched by file name).
    Diff(diff::Args),
    /// Evaluate a policy over every record of a JSONL or CSV file.
    Batch(batch::Args),
    /// Rewrite policy files in the canonical layout (`--check`: only report).
    Fmt(fmt::Args),
    /// Explain a diagnostic code with a failing example and its fix.
    ExplainError(explain_error::Args),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
enum Format {
    Text,
    Json,
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_tag(&cli.lang);
    match cli.command {
        Command::Check {
            paths,
            sources,
            limits,
        } => check(&paths, &sources, &limits.limits(), lang),
        Command::Eval {
            policy,
            input,
            format,
            explain,
            limits,
        } => eval(&policy, &input, format, explain, &limits.limits(), lang),
        Command::Test {
            paths,
            coverage,
            sources,
            limits,
        } => test::run(&paths, coverage, &sources, &limits.limits(), lang),
        Command::Diff(args) => diff::run(&args, lang),
        Command::Batch(args) => batch::run(&args, lang),
        Command::Fmt(args) => fmt::run(&args, lang),
        Command::ExplainError(args) => explain_error::run(&args, lang),
    }
}

pub(crate) fn print_diagnostics(diags: &[Diagnostic], sources: &SourceMap, lang: Lang) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diags {
        let theme = if color {
            miette::GraphicalTheme::unicode()
        } else {
            miette::GraphicalTheme::unicode_nocolor()
        };
        eprintln!("{}", onshi::render::render_with(d, sources, lang, theme));
    }
}

fn check(
    paths: &[PathBuf],
    sources: &citations::SourcesArg,
    limits: &Limits,
    lang: Lang,
) -> ExitCode {
    let files = match fs::expand(paths) {
        Ok(f) => f,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let mut cited = citations::CitationRun::new(sources);
    if let Some(Err(msg)) = cited.as_ref().map(citations::CitationRun::check_dir) {
        eprintln!("{msg}");
        return ExitCode::from(2);
    }
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
    println!("{summary}");
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn read_facts(input: &str) -> Result<String, String> {
    if input == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("standard input: {e}"))?;
        Ok(s)
    } else {
        std::fs::read_to_string(input).map_err(|e| format!("{input}: {e}"))
    }
}

fn eval(
    policy: &std::path::Path,
    input: &str,
    format: Format,
    explain: bool,
    limits: &Limits,
    lang: Lang,
) -> ExitCode {
    let path = fs::display(policy);
    let compiled = compile_with(&fs::Disk, &path, limits);
    print_diagnostics(&compiled.diagnostics, &compiled.sources, lang);
    let Some(program) = compiled.program else {
        return ExitCode::from(1);
    };
    let text = match read_facts(input) {
        Ok(t) => t,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(1);
        }
    };
    let json: serde_json::Value = match serde_json::from_str(&text) {
        Ok(j) => j,
        Err(e) => {
            let d = onshi::FactsError::Json {
                message: e.to_string(),
            }
            .to_diagnostic();
            print_diagnostics(&[d], &compiled.sources, lang);
            return ExitCode::from(1);
        }
    };
    match format {
        Format::Json => match program.evaluate_json(&json, explain.then_some(&compiled.sources)) {
            Ok(out) => {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                ExitCode::SUCCESS
            }
            Err(e) => report(&e, &compiled.sources, lang),
        },
        Format::Text => match run_text(&program, &json, explain.then_some(&compiled.sources)) {
            Ok(out) => {
                print!("{out}");
                ExitCode::SUCCESS
            }
            Err(e) => report(&e, &compiled.sources, lang),
        },
    }
}

fn report(e: &RunError, sources: &SourceMap, lang: Lang) -> ExitCode {
    print_diagnostics(&[e.to_diagnostic()], sources, lang);
    ExitCode::from(1)
}

fn run_text(
    program: &Program,
    facts: &serde_json::Value,
    explain: Option<&SourceMap>,
) -> Result<String, RunError> {
    let run = program.run(facts, explain)?;
    let rows: Vec<(String, String)> = program
        .output_defs()
        .zip(run.values.iter())
        .map(|(d, v)| (d.name.clone(), program.value_to_text(v, &d.ty)))
        .collect();
    let mut out = String::new();
    if let Some(name) = &program.name {
        out.push_str(name);
        out.push('\n');
    }
    out.push_str(&table::render(&rows));
    if let Some(trace) = run.trace.as_ref().and_then(serde_json::Value::as_object) {
        out.push_str("\n説明:\n");
        for node in trace.values() {
            onshi::trace::render_text(node, &mut out);
            out.push('\n');
        }
    }
    Ok(out)
}
