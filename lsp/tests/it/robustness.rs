//! Never crash or hang on half-typed text: every corpus policy (tests/corpus/policies: each
//! diagnostic's failing input, the limit cases among them), every fuzz literal seed, and the
//! shipped policies cut off and mutated at many places go through the server's analysis and
//! every request it answers, at many positions.

use lsp_types::{Position, Range};
use onshi::Lang;
use onshi_lsp::workspace::Workspace;
use onshi_lsp::{actions, complete, diagnostics, hover, lens, navigate};
use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap()
}

/// Open `text` as the document `key` and ask everything at `points` positions; each document
/// must be answered within a bound (no hang).
fn exercise(ws: &mut Workspace, key: &str, text: &str, points: usize) {
    let started = Instant::now();
    ws.change(key.to_string(), text.to_string());
    let all: Vec<Rc<_>> = ws.analyses.values().cloned().collect();
    let published = diagnostics::collect(all.iter().map(|a| a.as_ref()), Lang::Ja);
    assert!(published.contains_key(key), "diagnostics for {key}");
    let a = ws.analysis_for(key).unwrap();
    let file = a.file_id(key).unwrap();
    let _ = navigate::symbols(a, file);
    let _ = actions::format(a, file, Lang::En);
    let _ = lens::lenses(a, file, Lang::Ja);
    let whole = Range::new(Position::new(0, 0), Position::new(u32::MAX, 0));
    let _ = actions::quick_fixes(a, file, whole, Lang::Ja);
    let step = (text.len() / points.max(1)).max(1);
    let mut offset = 0;
    while offset <= text.len() + 1 {
        let _ = hover::hover(a, file, offset, Lang::Ja);
        let _ = navigate::definition(a, file, offset);
        let _ = navigate::references(a, file, offset, &all, true);
        let _ = navigate::rename(a, file, offset, &all, "新しい名前", Lang::Ja);
        let _ = navigate::prepare_rename(a, file, offset, Lang::En);
        let _ = complete::complete(a, file, offset);
        offset += step;
    }
    // Positions that are not in the text at all, or inside a UTF-16 surrogate pair.
    for pos in [
        Position::new(0, 1),
        Position::new(9999, 3),
        Position::new(2, u32::MAX),
    ] {
        let o = a.offset(file, pos);
        assert!(o <= text.len());
        let _ = hover::hover(a, file, o, Lang::En);
    }
    assert!(
        started.elapsed() < Duration::from_secs(60),
        "{key}: {:?}",
        started.elapsed()
    );
}

fn onshi_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            out.extend(onshi_files(&p));
        } else if p.extension().is_some_and(|x| x == "onshi") {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn the_corpus_of_broken_policies() {
    let mut ws = Workspace::new(Lang::Ja);
    let files = onshi_files(&root().join("tests/corpus/policies"));
    assert!(files.len() > 50, "the corpus is there");
    for f in files {
        // Not every corpus file is UTF-8 (a NUL byte is; invalid UTF-8 is the editor's to refuse).
        let Ok(text) = std::fs::read_to_string(&f) else {
            continue;
        };
        let key = f.to_string_lossy().into_owned();
        exercise(&mut ws, &key, &text, 30);
        ws.close(&key);
    }
}

#[test]
fn fuzz_literal_seeds_as_definitions() {
    let mut ws = Workspace::new(Lang::En);
    let seeds = std::fs::read_to_string(root().join("fuzz/seeds/literals.txt")).unwrap();
    let text: String = seeds
        .lines()
        .enumerate()
        .map(|(i, l)| format!("定義 x{i} = {l}\n"))
        .collect();
    exercise(&mut ws, "/nonexistent/seeds.onshi", &text, 200);
}

/// The shipped policies cut off at many places (as while typing), with a line removed, and with
/// a character doubled.
#[test]
fn mutated_shipped_policies() {
    let mut ws = Workspace::new(Lang::Ja);
    for f in onshi_files(&root().join("policies")) {
        let text = std::fs::read_to_string(&f).unwrap();
        let key = f.to_string_lossy().into_owned();
        let cuts: Vec<usize> = (1..5).map(|k| text.len() * k / 5).collect();
        for cut in cuts {
            let mut c = cut;
            while !text.is_char_boundary(c) {
                c -= 1;
            }
            exercise(&mut ws, &key, &text[..c], 8);
            let line_end = text[c..].find('\n').map_or(text.len(), |i| c + i + 1);
            let line_start = text[..c].rfind('\n').map_or(0, |i| i + 1);
            let removed = format!("{}{}", &text[..line_start], &text[line_end..]);
            exercise(&mut ws, &key, &removed, 3);
            let ch = text[c..].chars().next().unwrap_or('x');
            let doubled = format!("{}{ch}{}", &text[..c], &text[c..]);
            exercise(&mut ws, &key, &doubled, 3);
        }
        ws.close(&key);
    }
}
