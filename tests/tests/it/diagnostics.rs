//! Every diagnostic onshi can emit, rendered as miette text in Japanese and English
//! (`onshi_cli::render::render`, no colour), from the cases in `tests/corpus/diagnostics/` (see
//! `tests/corpus/README.md`): one `insta::glob!` over `*.onshi`, each case's snapshot beside it
//! (`type_mismatch.onshi` → `type_mismatch.snap`).
//!
//! Each case's `.expect` also lists the exact diagnostics (severity and code, in order), so a wrong
//! or an extra diagnostic fails even when a snapshot is updated blindly, and every code of
//! [`ALL_CODES`] needs a case. Three inputs are built here instead (a 1 MiB policy, a parse under a small nesting limit, a
//! missing entry).

use crate::codes::{ALL_CODES, UNREACHABLE_CODES};
use onshi::{compile_with, Diagnostic, Lang, Limits, Severity, SourceMap};
use onshi_cli::render::render;
use onshi_tests::workspace::root;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Where a case's policy is compiled, beside `common/facility.onshi` (the shipped one).
const ENTRY: &str = "r7/policy.onshi";

/// Codes whose rendering is snapshot-tested elsewhere: a workbook `onshi batch` refuses needs the
/// binary (`cli/tests/it/batch_office.rs`, `limit_workbook`).
const RENDERED_ELSEWHERE: &[&str] = &[
    "onshi::limit::workbook",
    "onshi::proof::conflict",
    "onshi::proof::no_rule",
    "onshi::proof::no_row",
    "onshi::proof::dead_rule",
];

/// The inputs built in this file, by snapshot name, with their code.
const BUILT: &[(&str, &str)] = &[
    ("syntax_too_large", "onshi::syntax::too_large"),
    ("syntax_too_deep_chain", "onshi::syntax::too_deep"),
    ("name_entry_not_found", "onshi::name::entry_not_found"),
];

fn cases_dir() -> PathBuf {
    root().join("tests/corpus/diagnostics")
}

/// A case's `<name>.expect`: `key: value` lines.
#[derive(Default)]
struct Expect {
    /// `entry: policy.onshi`: the path the policy is compiled as (default [`ENTRY`]).
    entry: Option<String>,
    /// `limits: {"maxSteps": 9}` (the WASM names), for compiling and running.
    limits: Option<Limits>,
    /// `documents: documents`: a folder of `.txt` documents the citations are checked against.
    documents: Option<String>,
    /// `error: onshi::…` / `warning: onshi::…`: every diagnostic, in order.
    diagnostics: Vec<(Severity, String)>,
    /// `contains: …` / `lacks: …`: text the rendering must (not) contain.
    contains: Vec<String>,
    lacks: Vec<String>,
}

fn read_expect(file: &Path) -> Result<Expect, String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("{}: {e}", file.display()))?;
    let mut e = Expect::default();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Some((key, value)) = line.split_once(": ") else {
            return Err(format!("{}: `{line}` is not `key: value`", file.display()));
        };
        match key {
            "entry" => e.entry = Some(value.to_string()),
            "limits" => {
                let j = serde_json::from_str(value).map_err(|err| format!("{line}: {err}"))?;
                e.limits = Some(Limits::from_json(&j)?);
            }
            "documents" => e.documents = Some(value.to_string()),
            "error" => e.diagnostics.push((Severity::Error, value.to_string())),
            "warning" => e.diagnostics.push((Severity::Warning, value.to_string())),
            "contains" => e.contains.push(value.to_string()),
            "lacks" => e.lacks.push(value.to_string()),
            _ => return Err(format!("{}: unknown key `{key}`", file.display())),
        }
    }
    Ok(e)
}

/// The snapshot text: each diagnostic in both languages.
fn both(diagnostics: &[Diagnostic], sources: &SourceMap) -> String {
    diagnostics
        .iter()
        .map(|d| {
            format!(
                "--- ja ---\n{}\n--- en ---\n{}",
                render(d, sources, Lang::Ja),
                render(d, sources, Lang::En)
            )
        })
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Every `.onshi` below `dir`, keyed by its path there (the files a case imports).
fn files_below(dir: &Path, prefix: &str, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = format!("{prefix}{}", entry.file_name().to_string_lossy());
        if path.is_dir() {
            files_below(&path, &format!("{name}/"), out);
        } else if let Ok(text) = std::fs::read_to_string(&path) {
            out.insert(name, text);
        }
    }
}

/// `common/facility.onshi`, the shipped one, which every case may import.
fn facility() -> BTreeMap<String, String> {
    let text = std::fs::read_to_string(root().join("policies/common/facility.onshi")).unwrap();
    BTreeMap::from([("common/facility.onshi".to_string(), text)])
}

/// The policies a case sees: [`facility`] and the files in `<name>/`.
fn policy_files(case: &Path) -> BTreeMap<String, String> {
    let mut files = facility();
    files_below(&case.with_extension(""), "", &mut files);
    files
}

/// Compiles a case, checks its citations (`documents:`) and runs its facts (`<name>.json`).
/// Returns every diagnostic, those of the last phase that ran (which the snapshot renders), the
/// sources, and the problems found.
fn run_case(case: &Path, e: &Expect) -> (Vec<Diagnostic>, Vec<Diagnostic>, SourceMap, Vec<String>) {
    let mut problems = Vec::new();
    let entry = e.entry.clone().unwrap_or_else(|| ENTRY.to_string());
    let mut files = policy_files(case);
    match std::fs::read_to_string(case) {
        Ok(text) => files.insert(entry.clone(), text),
        Err(err) => return (vec![], vec![], SourceMap::default(), vec![err.to_string()]),
    };
    let limits = e.limits.unwrap_or_default();
    let c = compile_with(&files, &entry, &limits);
    let compile_errors = c.diagnostics.iter().any(Diagnostic::is_error);
    if compile_errors == c.program.is_some() {
        problems.push(format!(
            "compile errors {compile_errors}, but a program {}",
            c.program.is_some()
        ));
    }
    let mut all = c.diagnostics.clone();
    let mut last = c.diagnostics;
    if let Some(folder) = &e.documents {
        let mut documents = BTreeMap::new();
        files_below(&cases_dir().join(folder), "", &mut documents);
        let v = onshi::citations::verify(&c.sources, &documents, &Limits::default());
        // The coverage of the documents adds what only it finds (a 範囲外 declaration that
        // repeats another or that a citation quotes).
        let cov = onshi::citations::coverage::coverage(&c.sources, &documents, &Limits::default());
        last = v.diagnostics();
        last.extend(cov.errors.iter().map(|e| e.to_diagnostic()));
        all.extend(last.iter().cloned());
    }
    if let Ok(facts) = std::fs::read_to_string(case.with_extension("json")) {
        match &c.program {
            None => problems.push("the policy does not compile, so its facts cannot run".into()),
            Some(p) => {
                let failed = match p.facts_from_str(&facts) {
                    Err(err) => Some(err.to_diagnostic()),
                    Ok(inputs) => p
                        .evaluator()
                        .record(&inputs)
                        .err()
                        .map(|e| e.to_diagnostic()),
                };
                last = failed.into_iter().collect();
                all.extend(last.iter().cloned());
            }
        }
    }
    (all, last, c.sources, problems)
}

/// Runs one case: its diagnostics, its snapshot, the text its rendering must (not) contain.
/// Returns the problems found.
fn check_case(case: &Path) -> Vec<String> {
    let name = case
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let e = match read_expect(&case.with_extension("expect")) {
        Ok(e) => e,
        Err(err) => return vec![format!("{name}: {err}")],
    };
    let (all, last, sources, mut problems) = run_case(case, &e);
    let got: Vec<(Severity, String)> = all
        .iter()
        .map(|d| (d.severity, d.code.to_string()))
        .collect();
    if got != e.diagnostics {
        problems.push(format!(
            "expected {:?}, got {got:?}:\n{}",
            e.diagnostics,
            both(&all, &sources)
        ));
    }
    if e.diagnostics.is_empty() {
        return problems
            .into_iter()
            .map(|p| format!("{name}: {p}"))
            .collect();
    }
    let text = both(&last, &sources);
    for want in &e.contains {
        if !text.contains(want.as_str()) {
            problems.push(format!("the rendering lacks `{want}`:\n{text}"));
        }
    }
    for unwanted in &e.lacks {
        if text.contains(unwanted.as_str()) {
            problems.push(format!("the rendering contains `{unwanted}`:\n{text}"));
        }
    }
    snapshot(&name, &text);
    problems
        .into_iter()
        .map(|p| format!("{name}: {p}"))
        .collect()
}

/// `tests/corpus/diagnostics/<name>.snap`.
fn snapshot(name: &str, text: &str) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path(cases_dir());
    settings.set_prepend_module_to_snapshot(false);
    settings.remove_snapshot_suffix();
    settings.bind(|| insta::assert_snapshot!(name, text));
}

#[test]
fn every_case_renders_as_its_snapshot() {
    let mut problems = Vec::new();
    insta::glob!("../../corpus/diagnostics", "*.onshi", |path| {
        problems.extend(check_case(path));
    });
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

/// The cases' files, by extension (`onshi`, `expect`, `json`, `snap`): the stems.
fn stems(ext: &str) -> BTreeSet<String> {
    let Ok(entries) = std::fs::read_dir(cases_dir()) else {
        return BTreeSet::new();
    };
    entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .filter_map(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
        .collect()
}

#[test]
fn every_code_has_a_case_and_every_file_a_policy() {
    let policies = stems("onshi");
    assert!(policies.len() >= 80, "only {} cases", policies.len());
    let mut covered: BTreeSet<String> = BUILT.iter().map(|(_, c)| c.to_string()).collect();
    covered.extend(RENDERED_ELSEWHERE.iter().map(|c| c.to_string()));
    for name in &policies {
        let e = read_expect(&cases_dir().join(format!("{name}.expect"))).unwrap();
        covered.extend(e.diagnostics.into_iter().map(|(_, code)| code));
    }
    let missing: Vec<&&str> = ALL_CODES
        .iter()
        .filter(|c| !covered.contains(**c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes with no case in tests/corpus/diagnostics/ (add one, see tests/corpus/README.md): {missing:?}"
    );
    let unreachable: Vec<&&str> = UNREACHABLE_CODES
        .iter()
        .filter(|c| covered.contains(**c))
        .collect();
    assert!(
        unreachable.is_empty(),
        "a case reaches {unreachable:?}: move it to ALL_CODES"
    );

    // No stray files: each `.expect`, `.json` and `.snap` belongs to a policy (or a built input).
    let built: BTreeSet<String> = BUILT.iter().map(|(n, _)| n.to_string()).collect();
    for ext in ["expect", "json", "snap"] {
        let stray: Vec<String> = stems(ext)
            .into_iter()
            .filter(|s| !policies.contains(s) && (ext != "snap" || !built.contains(s)))
            .collect();
        assert!(
            stray.is_empty(),
            "`.{ext}` files with no policy beside them: {stray:?}"
        );
    }
}

// ------------------------------------------------------------------ inputs built here

#[test]
fn syntax_too_large() {
    // Through `compile`, with the default limit (1 MiB).
    let mut src = String::from("政策 \"大きな政策\"\n");
    while src.len() <= 1 << 20 {
        src.push_str("# 埋め草のコメント行です。\n");
    }
    let files = BTreeMap::from([(ENTRY.to_string(), src)]);
    let c = compile_with(&files, ENTRY, &Limits::default());
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::syntax::too_large"]);
    assert!(c.program.is_none());
    snapshot("syntax_too_large", &both(&c.diagnostics, &c.sources));
}

#[test]
fn syntax_too_deep_chain() {
    // A long operator chain is a deep tree too: the parser alone, under a nesting limit of 4 (so
    // the snapshot stays readable).
    let src = "定義 合計: 整数 = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10\n";
    let mut sources = SourceMap::default();
    let id = sources.add("policy.onshi", src.to_string());
    let limits = onshi_grammar::ParseLimits {
        max_depth: 4,
        ..Default::default()
    };
    let parsed = onshi_grammar::parse_with(id, src, limits);
    let diags: Vec<Diagnostic> = parsed.errors.iter().map(|e| e.to_diagnostic()).collect();
    let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::syntax::too_deep"]);
    snapshot("syntax_too_deep_chain", &both(&diags, &sources));
}

#[test]
fn name_entry_not_found() {
    // A missing entry file has a code of its own (library callers such as the WASM shell hit it).
    let c = compile_with(&facility(), "r7/missing.onshi", &Limits::default());
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::name::entry_not_found"]);
    assert!(c.program.is_none());
    snapshot("name_entry_not_found", &both(&c.diagnostics, &c.sources));
}
