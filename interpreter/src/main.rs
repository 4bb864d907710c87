//! The `onshi` command line: a thin shell over the library (reads files, prints results).

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
