//! `--reading 名前=案` (eval, batch, test, diff): evaluate a policy under another reading
//! (解釈) than the one it adopts. An unknown reading or 案 is a usage error (exit 2) that lists the
//! valid ones and where they are declared.

use onshi::readings::{parse_choice, ChoiceError};
use onshi::{Lang, Program, SourceMap};
use std::process::ExitCode;

#[derive(clap::Args, Clone, Debug, Default)]
pub struct ReadingArgs {
    /// Evaluate under another reading (解釈) than the one the policy adopts: `名前=案`
    /// (repeatable). `onshi doc` lists each policy's readings and their 案.
    #[arg(long = "reading", value_name = "名前=案", value_parser = choice)]
    pub choices: Vec<(String, String)>,
}

fn choice(s: &str) -> Result<(String, String), String> {
    parse_choice(s).ok_or_else(|| format!("{s}: expected 名前=案 (a reading and one of its 案)"))
}

impl ReadingArgs {
    /// Whether any reading was chosen.
    pub fn any(&self) -> bool {
        !self.choices.is_empty()
    }

    /// `program` under the chosen readings; on an unknown reading or 案, the usage error is
    /// printed and the exit code (2) returned.
    pub fn apply(
        &self,
        program: Program,
        sources: &SourceMap,
        lang: Lang,
    ) -> Result<Program, ExitCode> {
        if self.choices.is_empty() {
            return Ok(program);
        }
        program
            .with_readings(&self.choices)
            .map_err(|e| usage(&e, &program, sources, lang))
    }

    /// [`ReadingArgs::apply`] with only the chosen readings `program` declares (a run over many
    /// files); `None` when it declares none of them.
    pub fn apply_declared(
        &self,
        program: &Program,
        sources: &SourceMap,
        lang: Lang,
    ) -> Result<Option<Program>, ExitCode> {
        let mine: Vec<(String, String)> = self
            .choices
            .iter()
            .filter(|(n, _)| program.reading(n).is_some())
            .cloned()
            .collect();
        if mine.is_empty() {
            return Ok(None);
        }
        program
            .with_readings(&mine)
            .map(Some)
            .map_err(|e| usage(&e, program, sources, lang))
    }

    /// The chosen readings no program of a run declares: a usage error (printed; exit 2).
    pub fn check_all_known(&self, declared: &[String], lang: Lang) -> Result<(), ExitCode> {
        for (name, _) in &self.choices {
            if !declared.contains(name) {
                let e = ChoiceError::UnknownReading {
                    name: name.clone(),
                    known: declared.to_vec(),
                };
                eprintln!("error: --reading: {}", e.text().get(lang));
                return Err(ExitCode::from(2));
            }
        }
        Ok(())
    }
}

/// The usage error, with where the valid readings (or the reading's 案) are declared.
fn usage(e: &ChoiceError, program: &Program, sources: &SourceMap, lang: Lang) -> ExitCode {
    eprintln!("error: --reading: {}", e.text().get(lang));
    match e {
        ChoiceError::UnknownReading { .. } => {
            for r in program.readings() {
                eprintln!("  --> {} 解釈 {}", sources.locate(r.span), r.name);
            }
        }
        ChoiceError::UnknownOption { reading, .. } => {
            if let Some(r) = program.reading(reading) {
                for o in &r.options {
                    eprintln!("  --> {} 案 {}", sources.locate(o.span), o.name);
                }
            }
        }
    }
    ExitCode::from(2)
}
