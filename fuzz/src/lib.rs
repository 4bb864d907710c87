//! Shared pieces of the onshi fuzz targets (`fuzz_targets/*.rs`): the shipped policies, facts
//! generated from a program's inputs, and the checks every target runs on what onshi gives back.
//!
//! A crash is a panic (including `assert!` failures below, which state properties onshi promises),
//! a stack overflow, a timeout or running out of memory.

use arbitrary::Unstructured;
use onshi::{compile, Compiled, Lang, Program, SourceMap, Type};
use serde_json::{Map, Value as Json};
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

/// The entry path fuzzed policy text is compiled as: beside the shipped `r7/` policies, so
/// `取込 "../common/facility.onshi"` resolves.
pub const ENTRY: &str = "r7/fuzz.onshi";

/// Every shipped `*.onshi`, keyed by its path under `policies/` (`common/facility.onshi`).
pub fn policies() -> &'static BTreeMap<String, String> {
    static POLICIES: OnceLock<BTreeMap<String, String>> = OnceLock::new();
    POLICIES.get_or_init(|| {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies");
        let mut out = BTreeMap::new();
        walk(&root, &root, &mut out);
        out
    })
}

fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, String>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<_> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, base, out);
        } else if p.extension().is_some_and(|e| e == "onshi") {
            if let (Ok(rel), Ok(text)) = (p.strip_prefix(base), std::fs::read_to_string(&p)) {
                let rel = rel.to_string_lossy().replace('\\', "/");
                out.insert(rel, text);
            }
        }
    }
}

/// One shipped policy (a file that declares an output), compiled.
pub struct Shipped {
    pub path: String,
    pub program: Program,
    pub sources: SourceMap,
}

/// The shipped policies that compile (all of them, unless the library is broken).
pub fn shipped() -> &'static [Shipped] {
    static SHIPPED: OnceLock<Vec<Shipped>> = OnceLock::new();
    SHIPPED.get_or_init(|| {
        let files = policies();
        let mut out = Vec::new();
        for (path, text) in files {
            if !text.lines().any(|l| l.starts_with("出力")) {
                continue;
            }
            let c = compile(files, path);
            if let Some(program) = c.program {
                out.push(Shipped {
                    path: path.clone(),
                    program,
                    sources: c.sources,
                });
            }
        }
        assert!(!out.is_empty(), "no shipped policy compiled");
        out
    })
}

/// Splits fuzz input at the first 0xFF byte (never part of UTF-8): policy text, then facts.
pub fn split(data: &[u8]) -> (&[u8], &[u8]) {
    match data.iter().position(|&b| b == 0xFF) {
        Some(i) => (
            data.get(..i).unwrap_or_default(),
            data.get(i + 1..).unwrap_or_default(),
        ),
        None => (data, &[]),
    }
}

/// Compile `text` as [`ENTRY`] beside the shipped policies, and check every diagnostic.
pub fn compile_text(text: &str) -> Compiled {
    let mut files = policies().clone();
    files.insert(ENTRY.to_string(), text.to_string());
    let c = compile(&files, ENTRY);
    check_diagnostics(&c);
    c
}

/// Every diagnostic points inside its file on character boundaries, renders in both languages,
/// and becomes JSON; an error means no program.
pub fn check_diagnostics(c: &Compiled) {
    for d in &c.diagnostics {
        assert!(d.code.starts_with("onshi::"), "code {}", d.code);
        for l in &d.labels {
            let file = c.sources.get(l.span.file);
            assert!(file.is_some(), "{}: span in an unknown file", d.code);
            if let Some(f) = file {
                let (s, e) = (l.span.start as usize, l.span.end as usize);
                assert!(s <= e && e <= f.text.len(), "{}: span {s}..{e}", d.code);
                assert!(
                    f.text.is_char_boundary(s) && f.text.is_char_boundary(e),
                    "{}: span {s}..{e} not on char boundaries",
                    d.code
                );
            }
        }
        let _ = onshi_cli::render::render(d, &c.sources, Lang::Ja);
        let _ = onshi_cli::render::render(d, &c.sources, Lang::En);
    }
    let _ = onshi::schema::diagnostics_json(&c.diagnostics, &c.sources);
    if c.diagnostics.iter().any(|d| d.is_error()) {
        assert!(c.program.is_none(), "a program despite errors");
    }
}

/// Everything a front end does with a program: its schema, its examples, and evaluating `facts`
/// with and without explanations (which must agree), rendering results and errors.
pub fn exercise(p: &Program, sources: &SourceMap, facts: &Json) {
    let _ = p.info_json();
    let _ = p.inputs_json(sources);
    let _ = p.outputs_json(sources);
    let _ = p.examples_json(sources);

    // Facts that are read back from their own JSON form give the same values.
    if let Ok(values) = p.facts_from_json(facts) {
        let mut again = Map::new();
        for (input, v) in p.inputs().iter().zip(values.iter()) {
            again.insert(input.name.clone(), p.value_to_json(v, &input.ty));
        }
        let reread = p.facts_from_json(&Json::Object(again));
        assert_eq!(
            reread.as_ref().ok(),
            Some(&values),
            "facts changed on a JSON round trip: {reread:?}"
        );
    }

    let plain = p.evaluator().facts(facts);
    let explained = p.evaluator().explain(Some(sources)).facts(facts);
    match (&plain, &explained) {
        (Ok(a), Ok(b)) => {
            assert_eq!(a.values, b.values, "values differ with --explain");
            for (def, v) in p.output_defs().zip(a.values.iter()) {
                let _ = p.value_to_text(v, &def.ty);
                let _ = p.value_to_json(v, &def.ty);
            }
            if let Some(trace) = &b.trace {
                let _ = trace.to_text(Lang::Ja);
                let _ = trace.to_text(Lang::En);
                let _ = serde_json::to_string(trace);
            }
        }
        (Err(a), Err(b)) => {
            let (da, db) = (a.to_diagnostic(), b.to_diagnostic());
            assert_eq!(da.code, db.code, "errors differ with --explain");
            let _ = onshi_cli::render::render(&da, sources, Lang::Ja);
            let _ = onshi_cli::render::render(&da, sources, Lang::En);
            let _ = onshi::schema::run_error_json(a, sources);
        }
        (a, b) => panic!(
            "--explain changes the outcome: {:?} / {:?}",
            a.as_ref().map(|r| &r.values),
            b.as_ref().map(|r| &r.values)
        ),
    }
}

/// Run the program's examples (例), with coverage.
pub fn run_examples(p: &Program) {
    let mut coverage = onshi::examples::Coverage::default();
    let _ = p.run_examples(&mut coverage);
    let _ = p.coverage_items(&coverage);
}

/// Facts for `p` built from fuzz bytes: mostly well-typed values (so evaluation gets deep), with
/// omitted defaults, nulls, wrong types, unknown fields and literal forms mixed in.
pub fn arbitrary_facts(p: &Program, u: &mut Unstructured) -> Json {
    let mut obj = Map::new();
    for input in p.inputs() {
        if input.default.is_some() && u.ratio(1, 3).unwrap_or(false) {
            continue;
        }
        if u.ratio(1, 40).unwrap_or(false) {
            continue; // a missing fact
        }
        obj.insert(input.name.clone(), value_for(p, &input.ty, u));
    }
    if u.ratio(1, 40).unwrap_or(false) {
        obj.insert(
            u.arbitrary::<String>().unwrap_or_default(),
            Json::Bool(true),
        );
    }
    Json::Object(obj)
}

/// Interesting dates: era boundaries, the policy deadlines, month ends, the range limits.
const DATES: &[&str] = &[
    "1873-01-01",
    "明治6年1月1日",
    "大正元年7月30日",
    "明治45年7月29日",
    "昭和64年1月7日",
    "平成元年1月8日",
    "平成31年4月30日",
    "令和元年5月1日",
    "令和5年4月1日",
    "令和6年12月2日",
    "令和7年3月31日",
    "令和7年4月1日",
    "令和7年10月1日",
    "令和7年12月1日",
    "令和8年1月15日",
    "令和8年3月31日",
    "2024-02-29",
    "2023-08-31",
    "9999-12-31",
    "令和7年2月30日",
    "平成31年5月1日",
    "",
];

const MONEY: &[&str] = &[
    "0円",
    "41.1万円",
    "411,000円",
    "1億2000万円",
    "3千円",
    "0.5円",
    "-100円",
    "9999999999999999999999999999999円",
    "170141183460469231731687303715884105727",
    "1/3",
    "",
];

fn value_for(p: &Program, ty: &Type, u: &mut Unstructured) -> Json {
    let pick = |u: &mut Unstructured, list: &[&str]| -> Json {
        Json::String(u.choose(list).copied().unwrap_or_default().to_string())
    };
    if u.ratio(1, 50).unwrap_or(false) {
        // Anything at all: a wrong type, a stray string.
        return match u.int_in_range(0u8..=4).unwrap_or(0) {
            0 => Json::Null,
            1 => Json::Bool(true),
            2 => Json::String(u.arbitrary::<String>().unwrap_or_default()),
            3 => Json::Array(Vec::new()),
            _ => Json::from(u.arbitrary::<i64>().unwrap_or(0)),
        };
    }
    match ty {
        Type::Bool => Json::Bool(u.arbitrary().unwrap_or(false)),
        Type::Int => match u.int_in_range(0u8..=3).unwrap_or(0) {
            0 => Json::from(u.int_in_range(-3i64..=3).unwrap_or(0)),
            1 => Json::from(u.int_in_range(0i64..=100_000).unwrap_or(0)),
            2 => Json::from(u.arbitrary::<i64>().unwrap_or(0)),
            _ => Json::String(format!("{}", u.arbitrary::<i32>().unwrap_or(0))),
        },
        Type::Money => match u.int_in_range(0u8..=3).unwrap_or(0) {
            0 => Json::from(u.int_in_range(0i64..=2_000_000).unwrap_or(0)),
            1 => Json::from(u.arbitrary::<i64>().unwrap_or(0)),
            2 => pick(u, MONEY),
            _ => Json::String(format!("{}万円", u.int_in_range(0u32..=999).unwrap_or(0))),
        },
        Type::Ratio => match u.int_in_range(0u8..=2).unwrap_or(0) {
            0 => Json::String(format!(
                "{}/{}",
                u.int_in_range(-4i64..=4).unwrap_or(1),
                u.int_in_range(0i64..=4).unwrap_or(1)
            )),
            1 => Json::String(format!("{}%", u.int_in_range(0u32..=100).unwrap_or(0))),
            _ => Json::from(u.arbitrary::<i32>().unwrap_or(0)),
        },
        Type::Decimal => match u.int_in_range(0u8..=1).unwrap_or(0) {
            0 => Json::String(format!(
                "{}.{}",
                u.arbitrary::<i32>().unwrap_or(0),
                u.arbitrary::<u16>().unwrap_or(0)
            )),
            _ => Json::from(u.arbitrary::<i64>().unwrap_or(0)),
        },
        Type::Date => match u.int_in_range(0u8..=2).unwrap_or(0) {
            0 => pick(u, DATES),
            1 => {
                let days = u.int_in_range(0i64..=3_000_000).unwrap_or(0);
                let d = chrono::NaiveDate::from_ymd_opt(1873, 1, 1)
                    .and_then(|d| d.checked_add_days(chrono::Days::new(days.unsigned_abs())))
                    .unwrap_or_default();
                if u.arbitrary().unwrap_or(false) {
                    Json::String(d.format("%Y-%m-%d").to_string())
                } else {
                    Json::String(onshi_grammar::literal::format_wareki(d).unwrap_or_default())
                }
            }
            _ => {
                let d = chrono::NaiveDate::from_ymd_opt(2023, 1, 1)
                    .and_then(|d| {
                        d.checked_add_days(chrono::Days::new(
                            u.int_in_range(0u64..=1500).unwrap_or(0),
                        ))
                    })
                    .unwrap_or_default();
                Json::String(d.format("%Y-%m-%d").to_string())
            }
        },
        Type::Duration => {
            let n = match u.int_in_range(0u8..=2).unwrap_or(0) {
                0 => i64::from(u.int_in_range(0u8..=40).unwrap_or(0)),
                1 => i64::from(u.arbitrary::<u32>().unwrap_or(0)),
                _ => u.arbitrary::<i64>().unwrap_or(0).saturating_abs(),
            };
            let unit = u
                .choose(&["か月", "日", "年", "週間"])
                .copied()
                .unwrap_or("日");
            Json::String(format!("{n}{unit}"))
        }
        Type::Text => Json::String(u.arbitrary::<String>().unwrap_or_default()),
        Type::Enum(e) => {
            let variants = p
                .enums()
                .get(e.0 as usize)
                .map(|e| e.variants.as_slice())
                .unwrap_or_default();
            match u.choose(variants) {
                Ok(v) if u.ratio(29, 30).unwrap_or(true) => Json::String(v.clone()),
                _ => Json::String(u.arbitrary::<String>().unwrap_or_default()),
            }
        }
        Type::Set(e) => {
            let variants = p
                .enums()
                .get(e.0 as usize)
                .map(|e| e.variants.as_slice())
                .unwrap_or_default();
            let mut items = Vec::new();
            for v in variants {
                if u.ratio(1, 3).unwrap_or(false) {
                    items.push(Json::String(v.clone()));
                }
            }
            Json::Array(items)
        }
        Type::Optional(inner) => {
            if u.ratio(1, 3).unwrap_or(true) {
                Json::Null
            } else {
                value_for(p, inner, u)
            }
        }
        _ => Json::Null,
    }
}

/// Columnar evaluation of `records` as one chunk gives, record by record, exactly the per-record
/// answers (values and errors).
pub fn by_chunk(p: &Program, records: &[Vec<onshi::Value>]) {
    let out = p.evaluator().chunk(&onshi::eval::Columns::from_records(p, records));
    assert_eq!(out.len(), records.len());
    for (i, r) in records.iter().enumerate() {
        assert_eq!(out.record(i), p.evaluator().record(r), "by chunk ≠ per record for {r:?}");
    }
}
