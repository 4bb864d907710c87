//! `evaluate_many` gives, record by record, exactly what `evaluate` gives (outputs) or throws
//! (the diagnostic): on every bundled policy's examples, on facts broken in every field, and on a
//! policy whose evaluation fails for some records — over more records than one chunk.

use super::{evaluate_many, ManyError};
use crate::Bundled;
use onshi::schema::DiagnosticData;
use onshi::{compile_with, Limits, Program, SourceMap};
use serde_json::{json, Value as Json};
use std::collections::BTreeMap;

/// What `evaluate` gives for one record, in `evaluateMany`'s form.
fn expected(program: &Program, sources: &SourceMap, facts: &Json) -> Json {
    match program.evaluator().json(facts) {
        Ok(result) => result,
        Err(e) => json!({ "error": DiagnosticData::of_run_error(&e, sources) }),
    }
}

/// Evaluates `records` both ways and compares them record by record (as JSON text: the order
/// of the outputs counts); returns how many records failed.
fn assert_same(program: &Program, sources: &SourceMap, records: &[Json]) -> usize {
    let text = Json::Array(records.to_vec()).to_string();
    let many = evaluate_many(program, sources, &text).map_err(|e| format!("{e:?}"));
    let many: Vec<Json> = many
        .and_then(|t| serde_json::from_str(&t).map_err(|e| e.to_string()))
        .unwrap_or_else(|e| panic!("evaluate_many failed: {e}"));
    assert_eq!(many.len(), records.len());
    let mut errors = 0;
    for (i, (facts, got)) in records.iter().zip(&many).enumerate() {
        let want = expected(program, sources, facts);
        assert_eq!(got.to_string(), want.to_string(), "record {i}: {facts}");
        errors += usize::from(got.get("error").is_some());
    }
    errors
}

pub(crate) fn bundled(name: &str) -> (Program, SourceMap) {
    let compiled = compile_with(
        &Bundled,
        &format!("policies/{name}.onshi"),
        &Limits::default(),
    );
    let program = compiled
        .program
        .unwrap_or_else(|| panic!("{name} does not compile"));
    (program, compiled.sources)
}

/// Odd values for a field: wrong types, out of range, other spellings.
fn odd_values() -> Vec<Json> {
    vec![
        Json::Null,
        json!(true),
        json!(0),
        json!(-1),
        json!(1.5),
        json!(1e30),
        json!(9223372036854775807_i64),
        json!("x"),
        json!(""),
        json!("令和7年12月1日"),
        json!("2025-02-30"),
        json!("41.1万円"),
        json!("75%"),
        json!([]),
        json!(["x"]),
        json!({}),
    ]
}

/// The examples' facts, and each with every field left out and set to every odd value, and a
/// field the policy does not have, and a record that is not an object.
pub(crate) fn records_for(program: &Program, sources: &SourceMap) -> Vec<Json> {
    let examples = onshi::schema::to_json(&program.example_specs(sources));
    let facts: Vec<Json> = examples
        .as_array()
        .map(|es| es.iter().filter_map(|e| e.get("facts").cloned()).collect())
        .unwrap_or_default();
    assert!(!facts.is_empty(), "a policy without examples");
    let mut out = facts.clone();
    for f in &facts {
        let Some(map) = f.as_object() else { continue };
        for key in map.keys() {
            let mut without = map.clone();
            without.shift_remove(key);
            out.push(Json::Object(without));
            for v in odd_values() {
                let mut changed = map.clone();
                changed.insert(key.clone(), v);
                out.push(Json::Object(changed));
            }
        }
        let mut extra = map.clone();
        extra.insert("存在しない入力".to_string(), json!(1));
        out.push(Json::Object(extra));
    }
    out.push(json!(1));
    out.push(json!([]));
    out.push(Json::Null);
    out
}

#[test]
fn every_bundled_policy_gives_evaluates_answers() {
    for (name, _) in crate::bundled::POLICIES {
        let (program, sources) = bundled(name);
        let records = records_for(&program, &sources);
        let errors = assert_same(&program, &sources, &records);
        assert!(
            errors > 0 && errors < records.len(),
            "{name}: {errors} of {} failed",
            records.len()
        );
    }
}

#[test]
fn evaluation_errors_per_record_across_chunks() {
    let src = "入力 x: 整数\n入力 y: 整数 既定 1\n\
        表 区分(k: 整数) → 金額\n  | k | 区分 |\n  |---|---|\n  | 1 | 100円 |\n  | 2 | 200円 |\n\
        出力 商: 割合 = x ÷ y\n\
        出力 積: 整数 = x × 9223372036854775807\n\
        出力 額: 金額 = もし x > 2 ならば 0円 そうでなければ 区分(x)\n";
    let files = BTreeMap::from([("p.onshi".to_string(), src.to_string())]);
    let compiled = compile_with(&files, "p.onshi", &Limits::default());
    let Some(program) = compiled.program else {
        panic!("{:?}", compiled.diagnostics)
    };
    // 3,000 records (three chunks): x in -2..=3 and y in 0..=2, some bad facts between them.
    let records: Vec<Json> = (0..3000)
        .map(|i| match i % 23 {
            22 => json!({ "y": 1 }),
            21 => json!({ "x": "三" }),
            _ => json!({ "x": (i % 6) - 2, "y": (i / 6) % 3 }),
        })
        .collect();
    let errors = assert_same(&program, &compiled.sources, &records);
    assert!(errors > 1000 && errors < 3000, "{errors} errors");
}

#[test]
fn not_an_array() {
    let (program, sources) = bundled("r7/front_desk");
    for text in ["", "{}", "1", "[1,", "null"] {
        assert!(
            matches!(
                evaluate_many(&program, &sources, text),
                Err(ManyError::NotAnArray(_))
            ),
            "{text:?}"
        );
    }
    assert_eq!(
        evaluate_many(&program, &sources, "[]"),
        Ok("[]".to_string())
    );
}
