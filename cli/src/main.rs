//! The `onshi` command line: a thin shell over the library. This file only parses the arguments
//! and dispatches; each command is a module. Exit codes: 0 success, 1 diagnostics or failed
//! evaluation, 2 usage errors (clap, unreadable paths).

mod batch;
mod check;
mod citations;
mod coverage;
mod diff;
mod diff_readings;
mod doc;
mod eval;
mod explain_error;
mod fmt;
mod fs;
mod lsp;
mod options;
mod prove;
mod readings;
mod table;
mod test;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "onshi",
    version,
    about = "オンライン資格確認のルール言語 onshi — check and run policies"
)]
struct Cli {
    #[command(flatten)]
    global: options::Global,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Parse and check policy files (directories are searched for *.onshi).
    Check(check::Args),
    /// Evaluate a policy on facts given as JSON.
    Eval(eval::Args),
    /// Run the examples (例) written in policy files; exit 1 if any fails.
    Test(test::Args),
    /// Compare two editions of a policy (files, or year folders matched by file name), or one
    /// policy with itself under other readings (`--reading 名前=案`).
    Diff(diff::Args),
    /// Write review documents (HTML) of policies, or of what changed between two editions.
    Doc(doc::Args),
    /// Evaluate a policy over every record of a JSONL or CSV file.
    Batch(batch::Args),
    /// Rewrite policy files in the canonical layout (`--check`: only report).
    Fmt(fmt::Args),
    /// Explain a diagnostic code with a failing example and its fix.
    ExplainError(explain_error::Args),
    /// The language server for editors, on stdio (VS Code, Neovim, …).
    Lsp(lsp::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = cli.global.lang();
    match &cli.command {
        Command::Check(args) => check::run(args, lang),
        Command::Eval(args) => eval::run(args, lang),
        Command::Test(args) => test::run(args, lang),
        Command::Diff(args) => diff::run(args, lang),
        Command::Doc(args) => doc::run(args, lang),
        Command::Batch(args) => batch::run(args, lang),
        Command::Fmt(args) => fmt::run(args, lang),
        Command::ExplainError(args) => explain_error::run(args, lang),
        Command::Lsp(args) => lsp::run(args, lang),
    }
}
