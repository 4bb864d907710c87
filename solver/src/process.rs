//! The solver as a process: SMT-LIB text in, `sat`/`unsat`/`unknown` and a model out. z3
//! (`z3 -in -smt2`) or cvc5 (`cvc5 --lang smt2`), found on `PATH`; one process per query, with
//! the solver's own time limit.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A solver program on this machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Z3,
    Cvc5,
}

impl Backend {
    /// Its name on `PATH` and in reports.
    pub fn name(self) -> &'static str {
        match self {
            Backend::Z3 => "z3",
            Backend::Cvc5 => "cvc5",
        }
    }

    /// Whether it runs here (`--version` answers).
    pub fn available(self) -> bool {
        Command::new(self.name())
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    }

    /// The first available solver: `ONSHI_SOLVER` (`z3`, `cvc5`, or `none`) when set, else cvc5,
    /// else z3 (cvc5 answers this library's queries 1.3–5× faster: README, "Proofs").
    pub fn detect() -> Option<Backend> {
        let wanted = std::env::var("ONSHI_SOLVER").ok();
        let order: &[Backend] = match wanted.as_deref() {
            Some("none") => &[],
            Some("cvc5") => &[Backend::Cvc5],
            Some("z3") => &[Backend::Z3],
            _ => &[Backend::Cvc5, Backend::Z3],
        };
        order.iter().copied().find(|b| b.available())
    }

    fn command(self, timeout: Duration) -> Command {
        let ms = timeout.as_millis().max(1);
        match self {
            Backend::Z3 => {
                let mut c = Command::new("z3");
                c.args(["-in", "-smt2", &format!("-t:{ms}")]);
                c
            }
            Backend::Cvc5 => {
                let mut c = Command::new("cvc5");
                c.args([
                    "--lang",
                    "smt2",
                    "--produce-models",
                    &format!("--tlimit={ms}"),
                ]);
                c
            }
        }
    }
}

/// What the solver answered to one `check-sat`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// Satisfiable: the text of `(get-value …)`.
    Sat(String),
    Unsat,
    /// Unknown, a time-out, or a solver that failed (with why).
    Unknown(String),
}

/// Runs `script` (declarations and assertions, without `check-sat`), then asks for the values
/// of `terms` when it is satisfiable.
pub fn solve(
    backend: Backend,
    script: &str,
    terms: &[String],
    timeout: Duration,
) -> (Answer, Duration) {
    let start = Instant::now();
    let mut text = String::with_capacity(script.len() + 200);
    text.push_str("(set-option :produce-models true)\n(set-logic ALL)\n");
    text.push_str(script);
    text.push_str("(check-sat)\n");
    if !terms.is_empty() {
        text.push_str("(get-value (");
        text.push_str(&terms.join(" "));
        text.push_str("))\n");
    }
    text.push_str("(exit)\n");
    // A debugging aid: `ONSHI_SMT_DUMP=folder` keeps each query as a file.
    if let Ok(dir) = std::env::var("ONSHI_SMT_DUMP") {
        let name = format!(
            "q{}.smt2",
            start.elapsed().as_nanos() ^ u128::from(std::process::id())
        );
        let _ = std::fs::write(std::path::Path::new(&dir).join(name), &text);
    }
    let answer = run(backend, &text, timeout);
    (answer, start.elapsed())
}

fn run(backend: Backend, text: &str, timeout: Duration) -> Answer {
    let child = backend
        .command(timeout)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let mut child = match child {
        Ok(c) => c,
        Err(e) => return Answer::Unknown(format!("{} did not start: {e}", backend.name())),
    };
    if let Some(mut stdin) = child.stdin.take() {
        if let Err(e) = stdin.write_all(text.as_bytes()) {
            return Answer::Unknown(format!("{}: {e}", backend.name()));
        }
    }
    let out = match child.wait_with_output() {
        Ok(o) => o,
        Err(e) => return Answer::Unknown(format!("{}: {e}", backend.name())),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let mut lines = stdout.lines();
    match lines.next().map(str::trim) {
        Some("unsat") => Answer::Unsat,
        Some("sat") => Answer::Sat(lines.collect::<Vec<_>>().join("\n")),
        Some(other) => Answer::Unknown(format!("{}: {other}", backend.name())),
        None => Answer::Unknown(format!(
            "{}: no answer ({})",
            backend.name(),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}
