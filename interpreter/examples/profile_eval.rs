//! Evaluates the r7 subsidy per record and by chunk, for profilers (`perf record`, `valgrind
//! --tool=callgrind`) and quick checks. Run from the repository root:
//!
//!     cargo run --release -p onshi --example profile_eval -- [records.jsonl] [passes]
//!
//! Records default to the policy's own examples; `bench/gen_records.py N out` writes `out.jsonl`.
//! Prints records/s per record (`evaluate_in`) and by chunks of 4,096 (`evaluate_columns`), and
//! checks that both give the same answers.

#[path = "shared/subsidy.rs"]
mod subsidy;

use onshi::eval::{Columns, Scratch};
use onshi::Value;
use std::time::Instant;

const CHUNK: usize = 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let passes: usize = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(3);
    let Some(program) = subsidy::subsidy() else {
        return;
    };
    let records: Vec<Vec<Value>> = match args.first() {
        Some(path) => std::fs::read_to_string(path)
            .unwrap_or_default()
            .lines()
            .filter_map(|l| program.facts_from_str(l).ok())
            .collect(),
        None => program
            .examples()
            .iter()
            .map(|ex| program.example_inputs(ex))
            .collect(),
    };
    let n = records.len();
    let chunks: Vec<Columns> = records
        .chunks(CHUNK)
        .map(|c| Columns::from_records(&program, c))
        .collect();

    let mut scratch = Scratch::default();
    let mut best = f64::MAX;
    let mut per_record = Vec::with_capacity(n);
    // `ONSHI_PROFILE=chunk`: profile the chunked path only (per-record answers then unchecked).
    let per_record_passes = if std::env::var("ONSHI_PROFILE").is_ok_and(|v| v == "chunk") {
        0
    } else {
        passes
    };
    for _ in 0..per_record_passes {
        per_record.clear();
        let start = Instant::now();
        for r in &records {
            per_record.push(program.evaluator().record_in(r, &mut scratch));
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!("per record: {n} records, {:.0} records/s", n as f64 / best);

    let mut best = f64::MAX;
    let mut same = true;
    for _ in 0..passes {
        let start = Instant::now();
        let outs: Vec<_> = chunks
            .iter()
            .map(|c| program.evaluator().chunk(c))
            .collect();
        best = best.min(start.elapsed().as_secs_f64());
        let mut k = 0;
        for out in &outs {
            for i in 0..out.len() {
                same &= per_record.get(k).is_none_or(|want| *want == out.record(i));
                k += 1;
            }
        }
    }
    println!(
        "by chunk of {CHUNK}: {n} records, {:.0} records/s; same answers as per record: {same}",
        n as f64 / best
    );

    // By chunk, reading every output of every record back as a value (what a caller does).
    let mut best = f64::MAX;
    let mut count = 0usize;
    for _ in 0..passes {
        let start = Instant::now();
        for c in &chunks {
            let out = program.evaluator().chunk(c);
            for i in 0..out.len() {
                if out.error(i).is_none() {
                    for o in 0..program.outputs().len() {
                        count += usize::from(out.value(o, i).is_ok());
                    }
                }
            }
        }
        best = best.min(start.elapsed().as_secs_f64());
    }
    println!(
        "by chunk, every output read back: {:.0} records/s ({count} values)",
        n as f64 / best
    );

    if std::env::var("ONSHI_PROFILE").is_ok_and(|v| v == "readback") {
        if let Some(c) = chunks.first() {
            let out = program.evaluator().chunk(c);
            for o in 0..program.outputs().len() {
                let start = Instant::now();
                let mut ok = 0usize;
                for _ in 0..20_000 {
                    for i in 0..out.len() {
                        ok += usize::from(out.value(o, i).is_ok());
                    }
                }
                let ns = start.elapsed().as_nanos() as f64 / (20_000 * out.len()) as f64;
                println!("output {o}: {ns:.1} ns per value ({ok})");
            }
        }
    }
}
