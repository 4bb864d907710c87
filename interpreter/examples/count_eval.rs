//! Evaluates one shipped policy's examples, cycled to 1,024 records, either per record or by one
//! chunk, a fixed number of times: a driver for instruction counts, where the two runs differ only
//! in the evaluator. Run from the repository root:
//!
//!     cargo build --release -p onshi --example count_eval
//!     valgrind --tool=cachegrind --cache-sim=no target/release/examples/count_eval \
//!         policies/r7/introduction.onshi chunk 20
//!
//! (`per` or `chunk`; the `I refs` of a run with 0 passes is the set-up to subtract.)

use onshi::eval::Columns;
use onshi::{compile, Value};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;

const CHUNK: usize = 1024;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let entry = args
        .first()
        .cloned()
        .unwrap_or_else(|| "policies/r7/introduction.onshi".into());
    let chunked = args.get(1).is_some_and(|m| m == "chunk");
    let passes: usize = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(10);
    let mut files = BTreeMap::new();
    let mut stack = vec![Path::new("policies").to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "onshi") {
                if let Ok(t) = std::fs::read_to_string(&p) {
                    files.insert(p.to_string_lossy().replace('\\', "/"), t);
                }
            }
        }
    }
    let Some(program) = compile(&files, &entry).program else {
        eprintln!("{entry} did not compile (run from the repository root)");
        return;
    };
    let cases: Vec<Vec<Value>> = program
        .examples()
        .iter()
        .map(|ex| program.example_inputs(ex))
        .collect();
    let records: Vec<&Vec<Value>> = cases.iter().cycle().take(CHUNK).collect();
    let columns = Columns::from_records(&program, &records);
    let mut ok = 0usize;
    for _ in 0..passes {
        if chunked {
            let out = program.evaluator().chunk(&columns);
            ok += (0..out.len()).filter(|i| out.error(*i).is_none()).count();
        } else {
            for r in &records {
                ok += usize::from(program.evaluator().record(r).is_ok());
            }
        }
    }
    println!(
        "{entry}: {} records × {passes}, {ok} without error",
        records.len()
    );
    black_box(ok);
}
