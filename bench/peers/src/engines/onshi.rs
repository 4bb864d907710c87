//! onshi, the library of this repository (path dependency on `interpreter/`).
//!
//! Everything onshi-specific is here. The policy is compiled from the repository's `policies/`
//! folder; the records become input [`Value`]s once, before timing (through the library's own
//! facts reader, so every value is exactly what `onshi eval` would read), in input columns of
//! [`CHUNK`] records. [`Adapter::evaluate`] is the one function that evaluates: a chunk at a time
//! with [`onshi::Evaluator::chunk`] (the tree is walked once per chunk, as `onshi batch` does),
//! reading the three outputs through the library's typed output columns
//! ([`onshi::eval::ChunkOutputs::column`]): as slices, one match per chunk, when no record has an
//! error; record by record otherwise, and through `Value`s where an output has none.

use crate::harness::{measure, Timing};
use crate::records::{Answer, Record, CLASSES};
use onshi::eval::{ChunkOutputs, Columns, OutputColumn};
use onshi::{compile, Program, Type, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The policy, relative to the repository root.
pub const POLICY: &str = "policies/r7/subsidy.onshi";

/// The repository root: `ONSHI_ROOT`, else two levels above this crate.
pub fn repo_root() -> PathBuf {
    std::env::var_os("ONSHI_ROOT")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../.."))
}

/// Every `.onshi` file under `policies/`, keyed by its `/`-separated path from the root.
fn policy_files(root: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    let mut stack = vec![root.join("policies")];
    while let Some(dir) = stack.pop() {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "onshi") {
                let rel = path.strip_prefix(root).map_err(|e| e.to_string())?;
                let rel = rel.to_string_lossy().replace('\\', "/");
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                files.insert(rel, text);
            }
        }
    }
    Ok(files)
}

/// Compile [`POLICY`] from the repository.
pub fn load_program() -> Result<Program, String> {
    let files = policy_files(&repo_root())?;
    let compiled = compile(&files, POLICY);
    compiled.program.ok_or_else(|| {
        let messages: Vec<String> = compiled
            .diagnostics
            .iter()
            .map(|d| format!("{}: {}", d.code, d.message.en))
            .collect();
        format!("{POLICY} does not compile: {}", messages.join("; "))
    })
}

/// Records per input chunk (as `onshi batch` evaluates them).
const CHUNK: usize = 1024;

/// The compiled policy, the records as input columns and where the compared outputs are.
pub struct Adapter {
    program: Program,
    /// The records' input values, [`CHUNK`] records per chunk.
    chunks: Vec<Columns>,
    /// Positions of 補助額, 申請可 and 補助区分 among the outputs.
    amount: usize,
    eligible: usize,
    class: usize,
    /// 補助区分 variant index → index into [`CLASSES`].
    class_of_variant: Vec<u8>,
}

fn output_position(program: &Program, name: &str) -> Result<(usize, Type), String> {
    program
        .output_defs()
        .enumerate()
        .find(|(_, d)| d.name == name)
        .map(|(i, d)| (i, d.ty.clone()))
        .ok_or_else(|| format!("{POLICY} has no output {name}"))
}

impl Adapter {
    /// Convert every record to input values (untimed).
    pub fn new(program: Program, records: &[Record]) -> Result<Adapter, String> {
        let mut chunks = Vec::with_capacity(records.len().div_ceil(CHUNK));
        for (c, part) in records.chunks(CHUNK).enumerate() {
            let mut columns = Columns::new(&program);
            for (k, r) in part.iter().enumerate() {
                let values = program.facts_from_json(&r.to_json()).map_err(|e| {
                    let i = c * CHUNK + k + 1;
                    format!("record {i}: {}", e.to_diagnostic().message.en)
                })?;
                columns.push(values);
            }
            chunks.push(columns);
        }
        let (amount, _) = output_position(&program, "補助額")?;
        let (eligible, _) = output_position(&program, "申請可")?;
        let (class, class_ty) = output_position(&program, "補助区分")?;
        let Type::Enum(e) = class_ty else {
            return Err("補助区分 is not an enumeration".into());
        };
        let variants = program
            .enums()
            .get(e.0 as usize)
            .map_or(0, |en| en.variants.len());
        let class_of_variant = (0..variants)
            .map(|v| {
                let name = program.variant_name(e, v as u32);
                CLASSES
                    .iter()
                    .position(|c| *c == name)
                    .and_then(|p| u8::try_from(p).ok())
                    .ok_or_else(|| format!("unknown 補助区分 {name}"))
            })
            .collect::<Result<_, _>>()?;
        Ok(Adapter {
            program,
            chunks,
            amount,
            eligible,
            class,
            class_of_variant,
        })
    }

    /// Evaluate records `start..start + out.len()` into `out` (`start` is a multiple of
    /// [`CHUNK`]; a range ending inside a chunk evaluates the whole chunk).
    pub fn evaluate(&self, start: usize, out: &mut [Answer]) -> Result<(), String> {
        if !start.is_multiple_of(CHUNK) {
            return Err(format!("start {start} is not a multiple of {CHUNK}"));
        }
        for (c, answers) in out.chunks_mut(CHUNK).enumerate() {
            let first = start + c * CHUNK;
            let columns = self
                .chunks
                .get(first / CHUNK)
                .ok_or("record range out of bounds")?;
            let results = self.program.evaluator().chunk(columns);
            if self.read_typed(&results, answers) {
                continue;
            }
            let typed = (
                results.column(self.amount),
                results.column(self.eligible),
                results.column(self.class),
            );
            for (k, answer) in answers.iter_mut().enumerate() {
                let failed = |e: &onshi::EvalError| {
                    format!("record {}: {}", first + k + 1, e.to_diagnostic().message.en)
                };
                if let Some(e) = results.error(k) {
                    return Err(failed(e));
                }
                // The typed columns when the library has them; values otherwise.
                if let (Some(amount), Some(eligible), Some(class)) = (
                    typed.0.and_then(|c| c.whole(k)),
                    typed.1.and_then(|c| c.bool(k)),
                    typed
                        .2
                        .and_then(|c| c.ordinal(k))
                        .and_then(|v| self.class_of_variant.get(v as usize).copied()),
                ) {
                    *answer = Answer {
                        amount,
                        eligible,
                        class,
                    };
                    continue;
                }
                let value = |o: usize| results.value(o, k).map_err(|e| failed(&e));
                *answer = self.answer(
                    value(self.amount)?,
                    value(self.eligible)?,
                    value(self.class)?,
                )?;
            }
        }
        Ok(())
    }

    /// A chunk's answers read from its typed output columns as slices, with one match per chunk
    /// instead of one per record and output; `false` (the caller then reads record by record)
    /// when some record has an error or an output is not in the expected form.
    fn read_typed(&self, results: &ChunkOutputs<'_>, answers: &mut [Answer]) -> bool {
        if results.has_errors() {
            return false;
        }
        let (
            Some(OutputColumn::Fraction(amount)),
            Some(OutputColumn::Bool(eligible)),
            Some(OutputColumn::Ordinal(class)),
        ) = (
            results.column(self.amount),
            results.column(self.eligible),
            results.column(self.class),
        )
        else {
            return false;
        };
        if eligible.len() < answers.len() || class.len() < answers.len() {
            return false;
        }
        let mut ok = true;
        for (k, ((answer, eligible), variant)) in
            answers.iter_mut().zip(eligible).zip(class).enumerate()
        {
            match (
                amount.whole(k),
                self.class_of_variant.get(*variant as usize),
            ) {
                (Some(amount), Some(class)) => {
                    *answer = Answer {
                        amount,
                        eligible: *eligible,
                        class: *class,
                    }
                }
                _ => ok = false,
            }
        }
        ok
    }

    /// The compared outputs from the output values.
    fn answer(&self, amount: Value, eligible: Value, class: Value) -> Result<Answer, String> {
        let amount = match amount {
            Value::Money(n) if n.is_integer() => {
                i64::try_from(n.numer()).map_err(|_| "補助額 out of range")?
            }
            other => return Err(format!("補助額: unexpected {other:?}")),
        };
        let eligible = match eligible {
            Value::Bool(b) => b,
            other => return Err(format!("申請可: unexpected {other:?}")),
        };
        let class = match class {
            Value::Enum(v) => self.class_of_variant.get(v as usize).copied(),
            _ => None,
        }
        .ok_or("補助区分: unexpected value")?;
        Ok(Answer {
            amount,
            eligible,
            class,
        })
    }
}

pub fn run(records: &[Record]) -> Result<(Vec<Answer>, Timing), String> {
    let adapter = Adapter::new(load_program()?, records)?;
    measure(records.len(), |start, out| adapter.evaluate(start, out))
}
