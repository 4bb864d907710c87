//! `r7/subsidy` by chunk as `bench/peers` calls it (chunks of 1,024 input columns, then 補助額,
//! 申請可 and 補助区分 of every record read back through the typed output columns), for
//! instruction counts and CPU time without the peers' LTO build. Run from the repository root:
//!
//!     python3 bench/gen_records.py 100000 /tmp/rec
//!     cargo build --release -p onshi --example peers_eval
//!     valgrind --tool=callgrind --toggle-collect='*peers_eval*pass*' \
//!         target/release/examples/peers_eval /tmp/rec.jsonl 1
//!
//! Prints the mean CPU time of a pass (user + system of this process, so other processes on the
//! machine count less than in wall time) and a checksum of the answers.

#[path = "shared/subsidy.rs"]
mod subsidy;

use onshi::eval::{Columns, OutputColumn};
use onshi::{Program, Value};
use std::hint::black_box;

const CHUNK: usize = 1024;

/// One record's compared answers: 補助額, 申請可, 補助区分 (variant index).
type Answer = (i64, bool, u32);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let passes: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(5);
    let Some(program) = subsidy::subsidy() else {
        return;
    };
    let Some(path) = args.first() else {
        eprintln!("usage: peers_eval records.jsonl [passes]");
        return;
    };
    let records: Vec<Vec<Value>> = std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| program.facts_from_str(l).ok())
        .collect();
    let chunks: Vec<Columns> = records
        .chunks(CHUNK)
        .map(|c| Columns::from_records(&program, c))
        .collect();
    let position = |name: &str| program.output_defs().position(|d| d.name == name);
    let (Some(amount), Some(eligible), Some(class)) =
        (position("補助額"), position("申請可"), position("補助区分"))
    else {
        eprintln!("the policy lacks an output");
        return;
    };
    let mut out: Vec<Answer> = vec![(0, false, 0); records.len()];
    let start = cpu_seconds();
    for _ in 0..passes {
        black_box(pass(&program, &chunks, [amount, eligible, class], &mut out));
    }
    let per_pass = (cpu_seconds() - start) / passes.max(1) as f64;
    let sum = out.iter().fold(0i64, |acc, (a, e, c)| {
        acc.wrapping_mul(31)
            .wrapping_add(*a ^ i64::from(*e) ^ i64::from(*c))
    });
    println!(
        "{} records × {passes}: {:.1} ms CPU per pass ({:.2} M records/s of CPU); checksum {sum}",
        records.len(),
        per_pass * 1e3,
        records.len() as f64 / per_pass / 1e6
    );
}

/// Every chunk evaluated and its three answers read back; the number of records that failed.
#[inline(never)]
fn pass(program: &Program, chunks: &[Columns], outs: [usize; 3], out: &mut [Answer]) -> usize {
    let mut failed = 0;
    for (columns, answers) in chunks.iter().zip(out.chunks_mut(CHUNK)) {
        let results = program.evaluator().chunk(columns);
        let [a, e, c] = outs.map(|o| results.column(o));
        // As `bench/peers` reads them: slices, one match per chunk, when no record has an error.
        if let (
            false,
            Some(OutputColumn::Fraction(a)),
            Some(OutputColumn::Bool(e)),
            Some(OutputColumn::Ordinal(c)),
        ) = (results.has_errors(), a, e, c)
        {
            for (k, ((answer, e), c)) in answers.iter_mut().zip(e).zip(c).enumerate() {
                match a.whole(k) {
                    Some(x) => *answer = (x, *e, *c),
                    None => failed += 1,
                }
            }
            failed += answers.len().saturating_sub(e.len().min(c.len()));
            continue;
        }
        for (k, answer) in answers.iter_mut().enumerate() {
            match (
                results.error(k),
                a.and_then(|c| c.whole(k)),
                e.and_then(|c| c.bool(k)),
                c.and_then(|c| c.ordinal(k)),
            ) {
                (None, Some(x), Some(y), Some(z)) => *answer = (x, y, z),
                _ => failed += 1,
            }
        }
    }
    failed
}

/// This process's CPU time (user + system) in seconds.
fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which ends at the last ')'): utime is the 12th, stime 13th.
    let rest = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |k: usize| {
        fields
            .get(k)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}
