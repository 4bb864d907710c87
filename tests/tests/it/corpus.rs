//! The corpus of bad inputs (`tests/corpus/`, see its README): every file gives exactly its
//! expected diagnostic code, never a panic, and every diagnostic points inside its file and renders
//! in both languages. Inputs too large to keep in git (10 MB lines, deep nesting) are built here.
//! Together they cover every code of the syntax, literal, name, type, table, rule, example, limit,
//! facts and eval phases.

use crate::codes::ALL_CODES;
use onshi::{compile_with, Compiled, Diagnostic, Lang, Limits, Severity, SourceMap};
use onshi_tests::workspace::{root, shipped_policies};
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Every shipped `*.onshi`, keyed by its path under `policies/`.
fn shipped() -> BTreeMap<String, String> {
    shipped_policies()
        .into_iter()
        .map(|(k, v)| (k.trim_start_matches("policies/").to_string(), v))
        .collect()
}

fn corpus() -> PathBuf {
    root().join("tests/corpus")
}

fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == ext))
        .collect();
    out.sort();
    out
}

/// The code in a policy's first line, `# expect: onshi::…`.
fn expected_in(text: &[u8], file: &Path) -> String {
    let first = text.split(|&b| b == b'\n').next().unwrap_or_default();
    let first = String::from_utf8_lossy(first);
    first
        .strip_prefix("# expect: ")
        .unwrap_or_else(|| panic!("{}: no `# expect: <code>` first line", file.display()))
        .trim()
        .to_string()
}

/// The limits in a policy's second line, `# limits: {"maxSteps": 20}` (JSON, as the WASM package
/// takes them); the defaults without one.
fn limits_in(text: &[u8], file: &Path) -> Limits {
    let second = text.split(|&b| b == b'\n').nth(1).unwrap_or_default();
    match String::from_utf8_lossy(second).strip_prefix("# limits: ") {
        Some(json) => {
            let j: serde_json::Value = serde_json::from_str(json)
                .unwrap_or_else(|e| panic!("{}: bad `# limits:` line: {e}", file.display()));
            Limits::from_json(&j).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
        }
        None => Limits::default(),
    }
}

/// The outcome of one case: every diagnostic, compile time first, and the sources.
struct Outcome {
    diagnostics: Vec<Diagnostic>,
    sources: SourceMap,
    compiled_ok: bool,
}

/// Compile `text` as `r7/<name>.onshi` beside the shipped policies and, when given facts, evaluate
/// them as the CLI does (text → JSON → values).
fn run_case(name: &str, text: &str, facts: Option<&[u8]>, limits: &Limits) -> Outcome {
    let entry = format!("r7/{name}.onshi");
    let mut files = shipped();
    files.insert(entry.clone(), text.to_string());
    run_entry(&files, &entry, facts, limits)
}

fn run_entry(
    files: &BTreeMap<String, String>,
    entry: &str,
    facts: Option<&[u8]>,
    limits: &Limits,
) -> Outcome {
    let Compiled {
        program,
        mut diagnostics,
        sources,
        ..
    } = compile_with(files, entry, limits);
    let compiled_ok = program.is_some();
    if let (Some(program), Some(facts)) = (program, facts) {
        let result = match serde_json::from_slice::<serde_json::Value>(facts) {
            Err(e) => Err(onshi::FactsError::Json {
                message: e.to_string(),
            }
            .to_diagnostic()),
            Ok(json) => program
                .evaluator()
                .json(&json)
                .map(|_| ())
                .map_err(|e| e.to_diagnostic()),
        };
        if let Err(d) = result {
            diagnostics.push(d);
        }
    }
    Outcome {
        diagnostics,
        sources,
        compiled_ok,
    }
}

/// The promise for one case: only `expected`, at least once; spans inside their files; rendering
/// in both languages; a program exactly when there is no error. Returns the problems found.
fn check(case: &str, expected: &str, o: &Outcome) -> Vec<String> {
    let mut problems = Vec::new();
    let codes: Vec<&str> = o.diagnostics.iter().map(|d| d.code).collect();
    if codes.is_empty() || codes.iter().any(|c| *c != expected) {
        let rendered: Vec<String> = o
            .diagnostics
            .iter()
            .map(|d| short(&onshi_cli::render::render(d, &o.sources, Lang::En)))
            .collect();
        problems.push(format!(
            "{case}: expected {expected}, got {codes:?}\n{}",
            rendered.join("\n")
        ));
    }
    for d in &o.diagnostics {
        if let Some(span) = d.primary_span() {
            match o.sources.get(span.file) {
                None => problems.push(format!("{case}: {} points into no file", d.code)),
                Some(f) => {
                    let (s, e) = (span.start as usize, span.end as usize);
                    if s > e
                        || e > f.text.len()
                        || !f.text.is_char_boundary(s)
                        || !f.text.is_char_boundary(e)
                    {
                        problems.push(format!("{case}: {} has a bad span {s}..{e}", d.code));
                    }
                }
            }
        }
        for lang in [Lang::Ja, Lang::En] {
            let text = onshi_cli::render::render(d, &o.sources, lang);
            if !text.contains(d.code) {
                problems.push(format!("{case}: the rendered {} lacks its code", d.code));
            }
        }
    }
    let errors = o.diagnostics.iter().any(|d| d.severity == Severity::Error);
    let compile_errors = o
        .diagnostics
        .iter()
        .any(|d| d.severity == Severity::Error && !is_run_code(d.code));
    if compile_errors == o.compiled_ok {
        problems.push(format!(
            "{case}: compile errors {compile_errors} but program {}",
            o.compiled_ok
        ));
    }
    if !errors && !o.compiled_ok {
        problems.push(format!("{case}: no error and no program"));
    }
    problems
}

fn is_run_code(code: &str) -> bool {
    code.starts_with("onshi::facts::")
        || code.starts_with("onshi::source::")
        || code.starts_with("onshi::scope::")
        || code.starts_with("onshi::eval::")
        || code == "onshi::limit::steps"
}

/// A long rendering cut down for failure messages.
fn short(s: &str) -> String {
    if s.chars().count() > 2000 {
        let cut: String = s.chars().take(2000).collect();
        format!("{cut}…")
    } else {
        s.to_string()
    }
}

// ------------------------------------------------------------------ the cases on disk

/// `tests/corpus/policies/*.onshi`: compile-time codes.
fn policy_cases(seen: &mut BTreeSet<String>, problems: &mut Vec<String>) -> usize {
    let files = files_in(&corpus().join("policies"), "onshi");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let expected = expected_in(&bytes, file);
        let limits = limits_in(&bytes, file);
        let text = String::from_utf8(bytes).expect("corpus policies are UTF-8");
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let o = run_case(&name, &text, None, &limits);
        problems.extend(check(&format!("policies/{name}"), &expected, &o));
        seen.insert(expected);
    }
    files.len()
}

/// `tests/corpus/proofs/*.onshi`: a policy that compiles cleanly, and the finding of the proofs
/// `onshi check` runs when a solver (z3 or cvc5) is installed. Without one the cases are not run.
fn proof_cases(seen: &mut BTreeSet<String>, problems: &mut Vec<String>) -> usize {
    let files = files_in(&corpus().join("proofs"), "onshi");
    let backend = onshi_solver::Backend::detect();
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let expected = expected_in(&bytes, file);
        seen.insert(expected.clone());
        let Some(backend) = backend else { continue };
        let text = String::from_utf8(bytes).expect("corpus policies are UTF-8");
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let entry = format!("r7/{name}.onshi");
        let mut files = shipped();
        files.insert(entry.clone(), text);
        let c = compile_with(&files, &entry, &Limits::default());
        let mut diagnostics = c.diagnostics;
        if let Some(program) = &c.program {
            diagnostics.extend(onshi_solver::proof::prove(program, backend).findings);
        }
        let o = Outcome {
            diagnostics,
            sources: c.sources,
            compiled_ok: c.program.is_some(),
        };
        problems.extend(check(&format!("proofs/{name}"), &expected, &o));
    }
    files.len()
}

/// `tests/corpus/eval/<name>.onshi` + `<name>.json`: a policy that compiles, and facts that fail.
fn eval_cases(seen: &mut BTreeSet<String>, problems: &mut Vec<String>) -> usize {
    let files = files_in(&corpus().join("eval"), "onshi");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let expected = expected_in(&bytes, file);
        let limits = limits_in(&bytes, file);
        let text = String::from_utf8(bytes).expect("corpus policies are UTF-8");
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let facts = std::fs::read(file.with_extension("json"))
            .unwrap_or_else(|e| panic!("{}: no facts beside it: {e}", file.display()));
        let o = run_case(&name, &text, Some(&facts), &limits);
        if !o.compiled_ok {
            problems.push(format!("eval/{name}: the policy does not compile"));
        }
        problems.extend(check(&format!("eval/{name}"), &expected, &o));
        seen.insert(expected);
    }
    let stray: Vec<PathBuf> = files_in(&corpus().join("eval"), "json")
        .into_iter()
        .filter(|j| !j.with_extension("onshi").exists())
        .collect();
    assert!(
        stray.is_empty(),
        "facts with no policy beside them: {stray:?}"
    );
    files.len()
}

/// `tests/corpus/sources/*.onshi`: policies that compile, whose citations are checked against the
/// documents in `tests/corpus/sources/documents/` (as `onshi check --sources` does).
fn sources_cases(seen: &mut BTreeSet<String>, problems: &mut Vec<String>) -> usize {
    let dir = corpus().join("sources");
    let mut documents = BTreeMap::new();
    for file in files_in(&dir.join("documents"), "txt") {
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        documents.insert(name, std::fs::read_to_string(&file).unwrap());
    }
    let files = files_in(&dir, "onshi");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        let expected = expected_in(&bytes, file);
        let text = String::from_utf8(bytes).expect("corpus policies are UTF-8");
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let mut o = run_case(&name, &text, None, &Limits::default());
        if !o.compiled_ok {
            problems.push(format!("sources/{name}: the policy does not compile"));
        }
        let v = onshi::citations::verify(&o.sources, &documents, &Limits::default());
        o.diagnostics.extend(v.diagnostics());
        // The problems of 範囲外 declarations that only the coverage sees (duplicates, cited).
        let c = onshi::citations::coverage::coverage(&o.sources, &documents, &Limits::default());
        o.diagnostics
            .extend(c.errors.iter().map(|e| e.to_diagnostic()));
        problems.extend(check(&format!("sources/{name}"), &expected, &o));
        seen.insert(expected);
    }
    files.len()
}

/// `tests/corpus/facts/<name>.json` + `<name>.code` (`<code> [policy path]`): facts against a
/// shipped policy (`policies/r7/subsidy.onshi` unless named).
fn facts_cases(seen: &mut BTreeSet<String>, problems: &mut Vec<String>) -> usize {
    let files = files_in(&corpus().join("facts"), "json");
    let shipped = shipped();
    for file in &files {
        let name = file.file_stem().unwrap().to_string_lossy().into_owned();
        let sidecar = std::fs::read_to_string(file.with_extension("code"))
            .unwrap_or_else(|e| panic!("{}: no .code beside it: {e}", file.display()));
        let mut words = sidecar.split_whitespace();
        let expected = words.next().expect("a code").to_string();
        let policy = words.next().unwrap_or("policies/r7/subsidy.onshi");
        let entry = policy.strip_prefix("policies/").expect("a shipped policy");
        assert!(shipped.contains_key(entry), "{name}: no policy {policy}");
        let facts = std::fs::read(file).unwrap();
        let o = run_entry(&shipped, entry, Some(&facts), &Limits::default());
        problems.extend(check(&format!("facts/{name}"), &expected, &o));
        seen.insert(expected);
    }
    files.len()
}

// ------------------------------------------------------------------ built here

const TEN_MB: usize = 10 << 20;

/// Inputs too large for git, with their codes: (name, code, policy text, facts).
fn generated() -> Vec<(&'static str, &'static str, String, Option<Vec<u8>>)> {
    let facts_policy =
        "入力 申請日: 日付\n入力 費用: 金額 既定 0円\n出力 申請可: 真偽 = 申請日 <= 令和8年1月15日\n"
            .to_string();
    let mut out = vec![
        (
            "a 10 MB line",
            "onshi::syntax::too_large",
            format!("定義 x: 整数 = {}\n", "1".repeat(TEN_MB)),
            None,
        ),
        (
            "a 10 MB comment",
            "onshi::syntax::too_large",
            format!("# {}\n", "あ".repeat(TEN_MB / 3)),
            None,
        ),
        (
            "10 MB of NUL bytes",
            "onshi::syntax::too_large",
            "\0".repeat(TEN_MB),
            None,
        ),
        (
            "100 000 open brackets",
            "onshi::syntax::too_deep",
            format!(
                "定義 x: 整数 = {}1{}\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
            None,
        ),
        (
            "a 10 000-term sum",
            "onshi::syntax::too_deep",
            format!("定義 x: 整数 = {}\n", vec!["1"; 10_000].join(" + ")),
            None,
        ),
        (
            "a 10 MB date string in the facts",
            "onshi::facts::literal",
            facts_policy.clone(),
            Some(format!("{{\"申請日\": \"{}\"}}", "1".repeat(TEN_MB)).into_bytes()),
        ),
        (
            "a 10 MB money string in the facts",
            "onshi::facts::literal",
            facts_policy.clone(),
            Some(
                format!(
                    "{{\"申請日\": \"令和7年4月1日\", \"費用\": \"{}円\"}}",
                    "9".repeat(TEN_MB)
                )
                .into_bytes(),
            ),
        ),
        (
            "a 10 MB number in the facts",
            "onshi::facts::literal",
            facts_policy.clone(),
            Some(
                format!(
                    "{{\"申請日\": \"令和7年4月1日\", \"費用\": {}}}",
                    "9".repeat(TEN_MB)
                )
                .into_bytes(),
            ),
        ),
        (
            "a 10 MB field name in the facts",
            "onshi::facts::unknown_field",
            facts_policy.clone(),
            Some(format!("{{\"{}\": 1}}", "申".repeat(TEN_MB / 3)).into_bytes()),
        ),
        (
            "100 000 nested arrays in the facts",
            "onshi::facts::json",
            facts_policy.clone(),
            Some(format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ),
        (
            "100 000 nested objects in the facts",
            "onshi::facts::json",
            facts_policy.clone(),
            Some("{\"a\":".repeat(100_000).into_bytes()),
        ),
    ];
    // The limits of onshi::limit::*, exceeded with their defaults.
    out.extend(limits_exceeded());
    // A 10 MB variant name.
    out.push((
        "a 10 MB variant in the facts",
        "onshi::facts::variant",
        "列挙 施設 = 病院 | 薬局\n入力 施設種別: 施設\n出力 x: 真偽 = 施設種別 = 病院\n"
            .to_string(),
        Some(format!("{{\"施設種別\": \"{}\"}}", "病".repeat(TEN_MB / 3)).into_bytes()),
    ));
    out
}

/// Policies over the default limits of definitions, table rows, evaluation depth and steps.
fn limits_exceeded() -> Vec<(&'static str, &'static str, String, Option<Vec<u8>>)> {
    let d = Limits::default();
    let mut defs = String::from("入力 区分: 整数\n");
    for i in 1..=d.max_definitions {
        defs.push_str(&format!("定義 上限{i}: 金額 = {i} × 1000円\n"));
    }
    defs.push_str("出力 上限: 金額 = 上限1\n");
    let mut rows = String::from(
        "入力 点数: 整数\n表 加算(点数: 整数) → 金額\n  | 点数 | 加算 |\n  |---|---|\n",
    );
    for i in 0..=d.max_table_rows {
        rows.push_str(&format!("  | {i} | 10円 |\n"));
    }
    rows.push_str("出力 加算額: 金額 = 加算(点数)\n");
    // Each table looks up the one before in its cell (about two levels each), or twice (doubling
    // the steps).
    let chain = |n: u64, cell: &dyn Fn(u64) -> String| {
        let mut src = String::from("入力 x: 整数\n");
        for i in 1..=n {
            src.push_str(&format!(
                "表 T{i}(k: 整数) → 整数\n  | k | T{i} |\n  |---|---|\n  | - | {} |\n",
                cell(i)
            ));
        }
        src.push_str(&format!("出力 y: 整数 = T{n}(x)\n"));
        src
    };
    let nested = |i: u64| {
        if i == 1 {
            "x + 1".to_string()
        } else {
            format!("T{}(x) + 1", i - 1)
        }
    };
    let doubled = |i: u64| {
        if i == 1 {
            "x + x".to_string()
        } else {
            format!("T{p}(x) + T{p}(x)", p = i - 1)
        }
    };
    vec![
        (
            "one definition over the limit",
            "onshi::limit::definitions",
            defs,
            None,
        ),
        (
            "one table row over the limit",
            "onshi::limit::table_rows",
            rows,
            None,
        ),
        (
            "200 tables, each looking up the one before in its cell",
            "onshi::limit::depth",
            chain(200, &nested),
            None,
        ),
        (
            "20 tables, each looking up the one before twice",
            "onshi::limit::steps",
            chain(20, &doubled),
            Some(b"{\"x\": 1}".to_vec()),
        ),
        (
            "60 tables doubling (2^60 steps without the limit)",
            "onshi::limit::steps",
            chain(60, &doubled),
            Some(b"{\"x\": 0}".to_vec()),
        ),
    ]
}

// ------------------------------------------------------------------ tests

/// Codes no corpus file can produce: a missing entry file has a test of its own below, and a
/// workbook `onshi batch` refuses has its test in `cli/tests/it/batch_office.rs` (which builds the
/// workbook).
const NOT_FROM_FILES: &[&str] = &["onshi::name::entry_not_found", "onshi::limit::workbook"];

#[test]
fn corpus_files_give_their_codes() {
    let mut seen = BTreeSet::new();
    let mut problems = Vec::new();
    let n = policy_cases(&mut seen, &mut problems)
        + eval_cases(&mut seen, &mut problems)
        + facts_cases(&mut seen, &mut problems)
        + sources_cases(&mut seen, &mut problems)
        + proof_cases(&mut seen, &mut problems);
    assert!(n >= 100, "only {n} corpus cases");
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));

    // Every code of these phases has a case: a file, or one of the inputs built here.
    seen.extend(
        generated()
            .into_iter()
            .map(|(_, code, _, _)| code.to_string()),
    );
    let missing: Vec<&str> = ALL_CODES
        .iter()
        .copied()
        .filter(|c| !seen.contains(*c) && !NOT_FROM_FILES.contains(c))
        .collect();
    assert!(
        missing.is_empty(),
        "codes with no case under tests/corpus/ (add a file, see tests/corpus/README.md): {missing:?}"
    );
}

#[test]
fn huge_and_deep_inputs_give_their_codes_quickly() {
    let mut problems = Vec::new();
    for (name, code, text, facts) in generated() {
        let start = Instant::now();
        let o = run_case("generated", &text, facts.as_deref(), &Limits::default());
        problems.extend(check(name, code, &o));
        // Generous for debug builds on a loaded 2-core machine; it catches quadratic behaviour.
        let took = start.elapsed();
        if took > Duration::from_secs(45) {
            problems.push(format!("{name}: took {took:?}"));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn a_missing_entry_gives_its_code() {
    let o = run_entry(&shipped(), "r7/存在しない.onshi", None, &Limits::default());
    let problems = check("a missing entry", "onshi::name::entry_not_found", &o);
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
