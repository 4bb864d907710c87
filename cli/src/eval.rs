//! `onshi eval`: evaluate a policy on facts given as JSON (text or JSON, with `--explain`).

use crate::fs;
use crate::options::LimitArgs;
use crate::readings::ReadingArgs;
use crate::table;
use onshi::{compile_with, Lang, Limits, Program, RunError, SourceMap};
use onshi_cli::render::print_diagnostics;
use std::io::Read;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

#[derive(clap::Args)]
pub struct Args {
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
    readings: ReadingArgs,
    #[command(flatten)]
    limits: LimitArgs,
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    eval(
        &args.policy,
        &args.input,
        args.format,
        args.explain,
        &args.readings,
        &args.limits.limits(),
        lang,
    )
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
    readings: &ReadingArgs,
    limits: &Limits,
    lang: Lang,
) -> ExitCode {
    let path = fs::display(policy);
    let compiled = compile_with(&fs::Disk, &path, limits);
    print_diagnostics(&compiled.diagnostics, &compiled.sources, lang);
    let Some(program) = compiled.program else {
        return ExitCode::from(1);
    };
    let program = match readings.apply(program, &compiled.sources, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let text = match read_facts(input) {
        Ok(t) => t,
        Err(msg) => {
            // An unreadable --input is a usage error (exit 2), as in `onshi batch` and for the
            // paths of `onshi check`; bad facts in a readable file exit 1.
            eprintln!("{msg}");
            return ExitCode::from(2);
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
        Format::Json => match program
            .evaluator()
            .explain(explain.then_some(&compiled.sources))
            .evaluation(&json)
        {
            Ok(out) => {
                println!("{}", serde_json::to_string_pretty(&out).unwrap_or_default());
                ExitCode::SUCCESS
            }
            Err(e) => report(&e, &compiled.sources, lang),
        },
        Format::Text => match run_text(&program, &json, explain.then_some(&compiled.sources), lang)
        {
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

/// The outputs as a table, then with `--explain` each output's explanation, in `lang`.
fn run_text(
    program: &Program,
    facts: &serde_json::Value,
    explain: Option<&SourceMap>,
    lang: Lang,
) -> Result<String, RunError> {
    let run = program.evaluator().explain(explain).facts(facts)?;
    let rows: Vec<(String, String)> = program
        .output_defs()
        .zip(run.values.iter())
        .map(|(d, v)| (d.name.clone(), program.value_text(v, &d.ty, lang)))
        .collect();
    let mut out = String::new();
    if let Some(name) = &program.name() {
        out.push_str(name);
        out.push('\n');
    }
    out.push_str(&table::render(&rows));
    if let Some(trace) = &run.trace {
        out.push_str(match lang {
            Lang::Ja => "\n説明:\n",
            Lang::En => "\nexplanation:\n",
        });
        out.push_str(&trace.to_text(lang));
    }
    Ok(out)
}
