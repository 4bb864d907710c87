//! Benchmarks: parse + check of the policy library, compile of each policy, and evaluation of each
//! shipped policy on its own examples (ns/eval). Run with `cargo bench -p onshi`.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use onshi::eval::Columns;
use onshi::{compile, Value};
use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::Path;

fn policy_files() -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut stack = vec![root.join("policies")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for e in entries.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "onshi") {
                let rel = p
                    .strip_prefix(&root)
                    .map(|r| r.to_string_lossy().replace('\\', "/"));
                if let (Ok(rel), Ok(text)) = (rel, std::fs::read_to_string(&p)) {
                    files.insert(rel, text);
                }
            }
        }
    }
    files
}

fn benches(c: &mut Criterion) {
    let files = policy_files();
    let entries: Vec<String> = files
        .keys()
        .filter(|p| !p.contains("/common/"))
        .cloned()
        .collect();
    c.bench_function("parse+check whole library", |b| {
        b.iter(|| {
            for e in &entries {
                black_box(compile(&files, e).program.is_some());
            }
        })
    });
    for entry in &entries {
        let name = entry
            .trim_start_matches("policies/")
            .trim_end_matches(".onshi");
        c.bench_function(&format!("compile {name}"), |b| {
            b.iter(|| black_box(compile(&files, entry).program.is_some()))
        });
        let Some(program) = compile(&files, entry).program else {
            continue;
        };
        let cases: Vec<Vec<Value>> = program
            .examples()
            .iter()
            .map(|ex| program.example_inputs(ex))
            .collect();
        if cases.is_empty() {
            continue;
        }
        c.bench_function(
            &format!("eval {name} (per record, {} example records)", cases.len()),
            |b| {
                let mut k = 0usize;
                b.iter(|| {
                    k = (k + 1) % cases.len();
                    if let Some(inputs) = cases.get(k) {
                        black_box(program.evaluator().record(inputs).is_ok());
                    }
                })
            },
        );
        // The same records, a chunk at a time (columnar evaluation, as `onshi batch` runs).
        let chunk: Vec<&Vec<Value>> = cases.iter().cycle().take(CHUNK).collect();
        let columns = Columns::from_records(&program, &chunk);
        let mut group = c.benchmark_group(format!("eval {name} (by chunk of {CHUNK})"));
        group.throughput(Throughput::Elements(CHUNK as u64));
        group.bench_function("columnar", |b| {
            b.iter(|| black_box(program.evaluator().chunk(&columns).len()))
        });
        group.finish();
    }
}

/// Records per chunk in the columnar benchmarks (`onshi batch` evaluates this many at a time).
const CHUNK: usize = 1024;

criterion_group!(group, benches);
criterion_main!(group);
