//! Evaluates the r7 subsidy on its examples N times (for profilers: `valgrind --tool=callgrind`).

use onshi::eval::Scratch;
use onshi::{compile, Value};
use std::collections::BTreeMap;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut files = BTreeMap::new();
    for p in [
        "policies/r7/subsidy.onshi",
        "policies/common/facility.onshi",
    ] {
        if let Ok(t) = std::fs::read_to_string(p) {
            files.insert(p.to_string(), t);
        }
    }
    let Some(program) = compile(&files, "policies/r7/subsidy.onshi").program else {
        eprintln!("policy did not compile (run from the repository root)");
        return;
    };
    let cases: Vec<Vec<Value>> = program
        .examples
        .iter()
        .map(|ex| {
            let mut inputs: Vec<Value> = program
                .inputs
                .iter()
                .map(|i| i.default.clone().unwrap_or(Value::Absent))
                .collect();
            for (i, v) in &ex.given {
                if let Some(slot) = inputs.get_mut(*i as usize) {
                    *slot = v.clone();
                }
            }
            inputs
        })
        .collect();
    let mut scratch = Scratch::default();
    let mut ok = 0usize;
    let start = std::time::Instant::now();
    for k in 0..n {
        if let Some(inputs) = cases.get(k % cases.len().max(1)) {
            ok += usize::from(program.evaluate_in(inputs, &mut scratch).is_ok());
        }
    }
    let el = start.elapsed();
    println!(
        "{n} evaluations ({ok} ok) in {el:?}: {:.0} ns/eval",
        el.as_nanos() as f64 / n as f64
    );
}
