//! The time to re-check the whole shipped library after one keystroke: every policy file under
//! `policies/` open in the server, one character typed into `policies/common/facility.onshi`
//! (imported by most policies), then what the server does before it publishes: every open
//! document compiled again with its imports, the name index rebuilt, the examples run, and the
//! diagnostics of every file gathered. Also one policy alone (`r7/subsidy.onshi`), and for
//! comparison the library's compile of every file alone.
//! Run with `cargo bench -p onshi-lsp`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, Criterion};
use onshi::Lang;
use onshi_lsp::diagnostics;
use onshi_lsp::workspace::Workspace;
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn policy_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            policy_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "onshi") {
            out.push(p);
        }
    }
}

/// Open `files`, then time one keystroke in `edited` (a space typed at the end of a comment line,
/// then taken back: each iteration is a real change).
fn keystroke(c: &mut Criterion, name: &str, files: &[PathBuf], edited: &Path) {
    let mut ws = Workspace::new(Lang::Ja);
    for f in files {
        ws.open(
            f.to_string_lossy().into_owned(),
            std::fs::read_to_string(f).unwrap(),
        );
    }
    let key = edited.to_string_lossy().into_owned();
    let text = std::fs::read_to_string(edited).unwrap();
    let typed = text.replacen('\n', " \n", 1);
    let mut flip = false;
    c.bench_function(name, |b| {
        b.iter(|| {
            flip = !flip;
            ws.change(key.clone(), if flip { typed.clone() } else { text.clone() });
            let published =
                diagnostics::collect(ws.analyses.values().map(|a| a.as_ref()), Lang::Ja);
            black_box(published.len())
        })
    });
}

fn recheck(c: &mut Criterion) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let mut all = Vec::new();
    policy_files(&root.join("policies"), &mut all);
    all.sort();
    let common = root.join("policies/common/facility.onshi");
    keystroke(c, "keystroke/whole library open", &all, &common);
    // The floor: the library's own compile of every file as an entry, nothing else.
    let mut ws = Workspace::new(Lang::Ja);
    for f in &all {
        ws.files.open.insert(
            f.to_string_lossy().into_owned(),
            std::fs::read_to_string(f).unwrap(),
        );
    }
    c.bench_function("compile only/whole library", |b| {
        b.iter(|| {
            for f in &all {
                black_box(
                    onshi::compile(&ws.files, &f.to_string_lossy())
                        .diagnostics
                        .len(),
                );
            }
        })
    });
    let subsidy = root.join("policies/r7/subsidy.onshi");
    keystroke(
        c,
        "keystroke/r7 subsidy alone",
        std::slice::from_ref(&subsidy),
        &subsidy,
    );
}

criterion_group!(benches, recheck);
criterion_main!(benches);
