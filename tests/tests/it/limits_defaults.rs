//! Limits (`onshi::Limits`): every limit gives its code at the limit values of
//! `tests/fixtures/limits.json` (the WASM tests, `wasm/tests/limits.test.mjs`, run the same cases
//! in WASM and through the CLI), the defaults are exceeded by generated policies, the deepest
//! policies the defaults accept compile and evaluate, the defaults are far above what the shipped
//! policies need, and `Program::max_steps` bounds the steps evaluation counts.

use onshi_tests::workspace::{root, shipped_policies};

use onshi::{compile_with, Compiled, Limits, Program};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

const ENTRY: &str = "r7/p.onshi";

fn one_file(src: &str) -> BTreeMap<String, String> {
    BTreeMap::from([(ENTRY.to_string(), src.to_string())])
}

/// Compile `files` under `limits` and evaluate `facts` (when it compiles): every code, compile
/// time first, and the program.
fn run(
    files: &BTreeMap<String, String>,
    limits: &Limits,
    facts: Option<&Json>,
) -> (Vec<&'static str>, Option<Program>) {
    let Compiled {
        program,
        diagnostics,
        ..
    } = compile_with(files, ENTRY, limits);
    let mut codes: Vec<&'static str> = diagnostics.iter().map(|d| d.code).collect();
    if let (Some(p), Some(facts)) = (&program, facts) {
        if let Err(e) = p.evaluator().json(facts) {
            codes.push(e.to_diagnostic().code);
        }
    }
    (codes, program)
}

fn limits(j: &Json) -> Limits {
    Limits::from_json(j).unwrap()
}

// ------------------------------------------------------------------ the shared cases

#[test]
fn every_limit_gives_its_code_and_passes_above_it() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/limits.json")).unwrap();
    let fixture: Json = serde_json::from_str(&text).unwrap();
    let cases = fixture["cases"].as_array().unwrap();
    let mut codes_seen = Vec::new();
    for case in cases {
        let name = case["name"].as_str().unwrap();
        let code = case["code"].as_str().unwrap();
        let files: BTreeMap<String, String> =
            serde_json::from_value(case["files"].clone()).unwrap();
        let facts = case.get("facts");
        let (codes, _) = run(&files, &limits(&case["limits"]), facts);
        assert_eq!(codes, [code], "{name}: under {}", case["limits"]);
        let (codes, program) = run(&files, &limits(&case["passes"]), facts);
        assert!(
            codes.is_empty(),
            "{name}: under {}: {codes:?}",
            case["passes"]
        );
        let p = program.unwrap();
        assert!(p.max_steps() <= p.step_limit() || code == "onshi::limit::steps");
        codes_seen.push(code);
    }
    for code in [
        "onshi::syntax::too_large",
        "onshi::syntax::too_deep",
        "onshi::limit::depth",
        "onshi::limit::definitions",
        "onshi::limit::table_rows",
        "onshi::limit::steps",
    ] {
        assert!(codes_seen.contains(&code), "no case for {code}");
    }
}

// ------------------------------------------------------------------ the defaults

/// `n` levels of nesting, alternating brackets and `もし`.
fn nested(levels: usize) -> String {
    let (mut open, mut close) = (String::new(), String::new());
    for i in 0..levels {
        if i % 2 == 0 {
            open.push('(');
            close.insert(0, ')');
        } else {
            open.push_str("もし 額 > 0円 ならば ");
            close.insert_str(0, " そうでなければ 0円");
        }
    }
    format!("入力 額: 金額\n出力 補助額: 金額 = {open}額{close}\n")
}

fn chain(terms: usize) -> String {
    format!(
        "入力 額: 金額\n出力 合計: 金額 = {}\n",
        vec!["額"; terms].join(" + ")
    )
}

/// Tables T1 … Tn, each looking up the one before in its cell (`twice`: two lookups, doubling the
/// steps at each level).
fn tables(n: usize, twice: bool) -> String {
    let mut src = String::from("入力 x: 整数\n");
    for i in 1..=n {
        let cell = match (i, twice) {
            (1, false) => "x + 1".to_string(),
            (1, true) => "x + x".to_string(),
            (_, false) => format!("T{}(x) + 1", i - 1),
            (_, true) => format!("T{p}(x) + T{p}(x)", p = i - 1),
        };
        src.push_str(&format!(
            "表 T{i}(k: 整数) → 整数\n  | k | T{i} |\n  |---|---|\n  | - | {cell} |\n"
        ));
    }
    src.push_str(&format!("出力 y: 整数 = T{n}(x)\n"));
    src
}

fn definitions(n: usize) -> String {
    let mut src = String::from("入力 区分: 整数\n");
    for i in 1..n {
        src.push_str(&format!("定義 上限{i}: 金額 = {i} × 1000円\n"));
    }
    src.push_str("出力 上限: 金額 = 上限1\n");
    src
}

fn rows(n: usize) -> String {
    let mut src = String::from(
        "入力 点数: 整数\n表 加算(点数: 整数) → 金額\n  | 点数 | 加算 |\n  |---|---|\n",
    );
    for i in 1..=n {
        src.push_str(&format!("  | {i} | {i}円 |\n"));
    }
    src.push_str("出力 加算額: 金額 = 加算(点数)\n");
    src
}

fn default_codes(src: &str, facts: Json) -> Vec<&'static str> {
    run(&one_file(src), &Limits::default(), Some(&facts)).0
}

#[test]
fn the_defaults_are_exceeded_with_their_codes() {
    let d = Limits::default();
    let mut big = String::from("入力 額: 金額\n出力 補助額: 金額 = 額\n");
    while big.len() as u64 <= d.max_source_bytes {
        big.push_str("# 埋め草のコメント行です。\n");
    }
    let x = json!({"x": 1});
    let cases: Vec<(&str, String, Json, &str)> = vec![
        ("1 MiB", big, json!({"額": 1}), "onshi::syntax::too_large"),
        (
            "65 levels",
            nested(65),
            json!({"額": 1}),
            "onshi::syntax::too_deep",
        ),
        (
            "100,000 brackets",
            format!(
                "入力 額: 金額\n出力 x: 金額 = {}額{}\n",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
            json!({"額": 1}),
            "onshi::syntax::too_deep",
        ),
        (
            "129 terms",
            chain(129),
            json!({"額": 1}),
            "onshi::syntax::too_deep",
        ),
        (
            "2001 definitions",
            definitions(2001),
            json!({"区分": 1}),
            "onshi::limit::definitions",
        ),
        (
            "2001 rows",
            rows(2001),
            json!({"点数": 1}),
            "onshi::limit::table_rows",
        ),
        (
            "64 nested tables",
            tables(64, false),
            x.clone(),
            "onshi::limit::depth",
        ),
        (
            "2000 nested tables",
            tables(2000, false),
            x.clone(),
            "onshi::limit::depth",
        ),
        (
            "20 doubling tables",
            tables(20, true),
            x.clone(),
            "onshi::limit::steps",
        ),
        (
            "60 doubling tables",
            tables(60, true),
            json!({"x": 0}),
            "onshi::limit::steps",
        ),
    ];
    for (name, src, facts, code) in cases {
        assert_eq!(default_codes(&src, facts), [code], "{name}");
    }
}

#[test]
fn the_deepest_policies_the_defaults_accept_run() {
    let d = Limits::default();
    assert_eq!((d.max_nesting, d.max_depth), (64, 128));
    let ok = |src: &str, facts: Json| {
        let (codes, program) = run(&one_file(src), &Limits::default(), Some(&facts));
        assert!(codes.is_empty(), "{codes:?}");
        let p = program.unwrap();
        let sources = onshi::SourceMap::default();
        let _ = p.evaluator().explain(Some(&sources)).json(&facts);
        p
    };
    ok(&nested(64), json!({"額": 1}));
    ok(&chain(128), json!({"額": 1}));
    // 63 tables nest 126 levels (two a table); 2000 rows and definitions are allowed.
    ok(&tables(63, false), json!({"x": 1}));
    ok(&rows(2000), json!({"点数": 2000}));
    ok(&definitions(2000), json!({"区分": 1}));
    // 17 doubling tables take under a million steps, and max_steps says so.
    let p = ok(&tables(17, true), json!({"x": 1}));
    let inputs = p.facts_from_str(r#"{"x": 1}"#).unwrap();
    let (result, steps) = p.evaluator().record_counting(&inputs);
    assert!(result.is_ok());
    assert!(steps <= p.max_steps(), "{steps} > {}", p.max_steps());
    assert!(p.max_steps() <= p.step_limit(), "{}", p.max_steps());
}

/// A chain of definitions declared in reverse order (each uses the next one down): checking used
/// to recurse once per definition, which overflowed the WASM stack at about 200; explanations are
/// cut at `MAX_EXPLAIN_DEPTH` definitions.
#[test]
fn long_chains_of_definitions_compile_and_explain() {
    // 2000 definitions with the output.
    let n = 1998;
    let mut src = format!("入力 x: 整数\n出力 y: 整数 = d{n}\n");
    for i in (1..=n).rev() {
        src.push_str(&format!("定義 d{i} = d{} + 1\n", i - 1));
    }
    src.push_str("定義 d0: 整数 = x\n");
    let c = compile_with(&one_file(&src), ENTRY, &Limits::default());
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = c.program.unwrap();
    let out = p
        .evaluator()
        .explain(Some(&c.sources))
        .json(&json!({"x": 1}))
        .unwrap();
    assert_eq!(out["outputs"]["y"], json!(n + 1));
    let mut node = &out["trace"]["y"];
    let mut depth = 1;
    while let Some(next) = node
        .get("uses")
        .and_then(|u| u.as_array())
        .and_then(|u| u.first())
    {
        node = next;
        depth += 1;
    }
    assert_eq!(depth, onshi::trace::MAX_EXPLAIN_DEPTH + 1);
    assert_eq!(node["truncated"], json!(true));
    assert_eq!(
        node["value"],
        json!(n + 2 - onshi::trace::MAX_EXPLAIN_DEPTH)
    );
}

// ------------------------------------------------------------------ the shipped policies

/// The smallest value of one limit under which `entry` still compiles.
fn least(files: &BTreeMap<String, String>, entry: &str, set: impl Fn(u64) -> Limits) -> u64 {
    let (mut lo, mut hi) = (1u64, 1u64 << 21);
    while lo < hi {
        let mid = (lo + hi) / 2;
        if compile_with(files, entry, &set(mid)).program.is_some() {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// What the shipped policies need of each limit; the defaults must be far above it (the numbers
/// are quoted in `onshi::limits` and the error pages).
#[test]
fn the_defaults_are_far_above_what_the_shipped_policies_need() {
    let files = shipped_policies();
    let d = Limits::default();
    let mut need = Limits {
        max_source_bytes: 0,
        max_nesting: 0,
        max_depth: 0,
        max_definitions: 0,
        max_table_rows: 0,
        max_steps: 0,
    };
    let mut runtime_steps = 0;
    for entry in files.keys() {
        let c = compile_with(&files, entry, &d);
        let p = c.program.unwrap_or_else(|| panic!("{entry} compiles"));
        need.max_source_bytes = need.max_source_bytes.max(files[entry].len() as u64);
        let nesting = least(&files, entry, |v| Limits {
            max_nesting: v,
            ..Limits::default()
        });
        need.max_nesting = need.max_nesting.max(nesting);
        let depth = least(&files, entry, |v| Limits {
            max_depth: v,
            ..Limits::default()
        });
        need.max_depth = need.max_depth.max(depth);
        need.max_definitions = need.max_definitions.max(p.defs().len() as u64);
        let rows = p
            .tables()
            .iter()
            .map(|t| t.rows.len() as u64)
            .max()
            .unwrap_or(0);
        need.max_table_rows = need.max_table_rows.max(rows);
        need.max_steps = need.max_steps.max(p.max_steps_of(p.full_order()));
        // Evaluation never counts more steps than the bound.
        for ex in p.examples() {
            let inputs = p.example_inputs(ex);
            let (_, steps) = p.evaluator().record_counting(&inputs);
            assert!(
                steps <= p.max_steps(),
                "{entry} 例「{}」: {steps} > {}",
                ex.name,
                p.max_steps()
            );
            runtime_steps = runtime_steps.max(steps);
        }
    }
    eprintln!(
        "the shipped policies need {need:?}; their examples take at most {runtime_steps} steps"
    );
    for ((name, needed, _), (_, default, _)) in need.fields().into_iter().zip(d.fields()) {
        assert!(
            needed.saturating_mul(4) <= default,
            "{name}: the shipped policies need {needed}, the default is {default}"
        );
    }
}

// ------------------------------------------------------------------ Limits as data

#[test]
fn limits_read_from_json() {
    assert_eq!(Limits::from_json(&Json::Null).unwrap(), Limits::default());
    assert_eq!(Limits::from_json(&json!({})).unwrap(), Limits::default());
    let l = Limits::from_json(&json!({"maxSteps": 10, "max_table_rows": 3})).unwrap();
    assert_eq!((l.max_steps, l.max_table_rows), (10, 3));
    assert_eq!(l.max_definitions, Limits::default().max_definitions);
    for bad in [
        json!({"maxStep": 10}),
        json!({"maxSteps": 0}),
        json!({"maxSteps": -1}),
        json!({"maxSteps": 1.5}),
        json!({"maxSteps": "10"}),
        json!({"maxNesting": Limits::MAX.max_nesting + 1}),
        json!({"maxDepth": Limits::MAX.max_depth + 1}),
        json!([1]),
    ] {
        let e = Limits::from_json(&bad).expect_err("refused");
        assert!(e.starts_with("limits: "), "{e}");
    }
    assert_eq!(
        Limits::from_json(&Limits::default().to_json()).unwrap(),
        Limits::default()
    );
    assert_eq!(
        Limits::default().to_json(),
        json!({
            "maxSourceBytes": 1048576, "maxNesting": 64, "maxDepth": 128,
            "maxDefinitions": 2000, "maxTableRows": 2000, "maxSteps": 1000000
        })
    );
}
