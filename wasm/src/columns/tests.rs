//! `evaluate` (columns) gives, record by record, what `evaluate_many` gives the same records as
//! JSON facts — outputs, and the diagnostic of each record that fails — with every column a plain
//! array of JSON values, and with every column that can be typed given as whole numbers.

use super::write::whole;
use super::*;
use crate::many::evaluate_many;
use crate::many::tests::{bundled, records_for};
use chrono::{Datelike, NaiveDate};
use onshi::eval::EPOCH_FROM_CE;
use onshi::{Type, Value};
use serde_json::{json, Map};

/// The records `columns` can hold: objects whose keys are all inputs and whose values are not
/// `null` (a column has no way to say "an unknown key" or "an explicit null").
fn columnar(program: &Program, records: &[Json]) -> Vec<Json> {
    records
        .iter()
        .filter(|r| {
            r.as_object().is_some_and(|m| {
                m.iter()
                    .all(|(k, v)| program.input_index(k).is_some() && !v.is_null())
            })
        })
        .cloned()
        .collect()
}

/// A value as the whole number its typed column holds, when it has one.
fn encode(program: &Program, ty: &Type, j: &Json) -> Option<i64> {
    let v = program.value_from_json(j, ty, "$").ok()?;
    match v {
        Value::Bool(b) => Some(i64::from(b)),
        Value::Int(x) => Some(x),
        Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => whole(&n),
        Value::Date(d) => Some(i64::from(d.num_days_from_ce() - EPOCH_FROM_CE)),
        Value::Enum(i) => Some(i64::from(i)),
        Value::Set(m) => i64::try_from(m).ok(),
        _ => None,
    }
}

/// The records' columns: with `typed`, every input whose values all have a typed form is a
/// column of whole numbers with a presence mask; the others are plain arrays (`null` left out).
fn columns_of(program: &Program, records: &[Json], typed: bool) -> Vec<InColumn> {
    program
        .inputs()
        .iter()
        .map(|input| {
            let values: Vec<Option<&Json>> = records.iter().map(|r| r.get(&input.name)).collect();
            let ints: Option<Vec<i64>> = values
                .iter()
                .map(|v| v.map_or(Some(0), |j| encode(program, &input.ty, j)))
                .collect();
            match ints {
                Some(ints) if typed && typed_input(&input.ty) => InColumn {
                    data: Data::Ints(ints),
                    present: Some(values.iter().map(|v| u8::from(v.is_some())).collect()),
                },
                _ => InColumn {
                    data: Data::Json(
                        values
                            .iter()
                            .map(|v| v.cloned().unwrap_or(Json::Null))
                            .collect(),
                    ),
                    present: None,
                },
            }
        })
        .collect()
}

/// Record `i` of the columns' result in `evaluateMany`'s form.
fn record_json(program: &Program, e: &Evaluated, i: usize) -> Json {
    if let Some((_, d)) = e.errors.iter().find(|(row, _)| *row == i) {
        return json!({ "error": d });
    }
    let mut outputs = Map::new();
    for (c, def) in e.outputs.iter().zip(program.output_defs()) {
        let present = c.present.as_ref().is_none_or(|p| p.get(i) == Some(&1));
        let v = match &c.data {
            _ if !present => Json::Null,
            OutData::Bool(v) => Json::Bool(v.get(i) == Some(&1)),
            OutData::Int(v) => json!(v.get(i)),
            OutData::Date(v) => {
                let d = v
                    .get(i)
                    .and_then(|d| NaiveDate::from_num_days_from_ce_opt(d + EPOCH_FROM_CE));
                program.value_to_json(&d.map_or(Value::Absent, Value::Date), &def.ty)
            }
            OutData::Dict {
                indices,
                dictionary,
            } => {
                let k = indices.get(i).map_or(usize::MAX, |k| *k as usize);
                dictionary
                    .get(k)
                    .cloned()
                    .unwrap_or(json!("out of the dictionary"))
            }
        };
        outputs.insert(c.name.clone(), v);
    }
    json!({ "outputs": outputs })
}

/// Whether `many`'s result has a 金額 output that is not a whole number (the columns give that
/// record `onshi::wasm::not_whole_yen`).
fn fractional_yen(program: &Program, many: &Json) -> bool {
    program.output_defs().any(|d| {
        matches!(d.ty.strip_optional(), Type::Money)
            && many["outputs"]
                .get(&d.name)
                .is_some_and(|v| !v.is_null() && !v.is_i64())
    })
}

/// Evaluates `records` as columns (both forms) and as JSON; returns how many records failed.
fn assert_same(program: &Program, sources: &SourceMap, records: &[Json]) -> usize {
    let text = Json::Array(records.to_vec()).to_string();
    let many: Vec<Json> = evaluate_many(program, sources, &text)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default();
    assert_eq!(many.len(), records.len());
    let mut errors = 0;
    for typed in [false, true] {
        let columns = columns_of(program, records, typed);
        let got =
            evaluate(program, sources, &columns, records.len()).unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!((got.len, got.ok.len()), (records.len(), records.len()));
        errors = 0;
        for (i, want) in many.iter().enumerate() {
            let have = record_json(program, &got, i);
            errors += usize::from(got.ok.get(i) == Some(&0));
            assert_eq!(got.ok.get(i) == Some(&0), have.get("error").is_some());
            if have["error"]["code"] == NOT_WHOLE_YEN {
                assert!(fractional_yen(program, want), "record {i}: {want}");
                continue;
            }
            assert_eq!(
                have.to_string(),
                want.to_string(),
                "typed {typed}, record {i}: {}",
                records[i]
            );
        }
    }
    errors
}

#[test]
fn every_bundled_policy_answers_as_evaluate_many() {
    for (name, _) in crate::bundled::POLICIES {
        let (program, sources) = bundled(name);
        let records = columnar(&program, &records_for(&program, &sources));
        // Over more than one chunk.
        let records: Vec<Json> = records
            .iter()
            .cycle()
            .take(CHUNK + records.len())
            .cloned()
            .collect();
        let errors = assert_same(&program, &sources, &records);
        assert!(
            errors > 0 && errors < records.len(),
            "{name}: {errors} failed"
        );
        // The records whose every value has a typed form: every typed column is whole numbers.
        let clean: Vec<Json> = records
            .iter()
            .filter(|r| {
                program.inputs().iter().all(|input| {
                    r.get(&input.name).is_none_or(|j| {
                        !typed_input(&input.ty) || encode(&program, &input.ty, j).is_some()
                    })
                })
            })
            .cloned()
            .collect();
        let typed = columns_of(&program, &clean, true);
        let plain = program.inputs().iter().zip(&typed);
        let plain: Vec<_> = plain
            .filter(|(i, c)| typed_input(&i.ty) && !matches!(c.data, Data::Ints(_)))
            .map(|(i, _)| &i.name)
            .collect();
        assert!(plain.is_empty(), "{name}: {plain:?}");
        assert_same(&program, &sources, &clean);
    }
}

#[test]
fn typed_values_out_of_range_are_facts_errors() {
    let (program, sources) = bundled("r7/subsidy");
    let k = |name: &str| program.input_index(name).unwrap_or(usize::MAX);
    let mut columns: Vec<InColumn> = program
        .inputs()
        .iter()
        .map(|_| InColumn {
            data: Data::Absent,
            present: None,
        })
        .collect();
    let set = |columns: &mut Vec<InColumn>, name, v: Vec<i64>| {
        if let Some(c) = columns.get_mut(k(name)) {
            c.data = Data::Ints(v);
        }
    };
    // 施設種別 has 4 variants; 申請日 as day numbers (20,000 is 2024-10-04); 義務化対象外 0/1.
    set(&mut columns, "施設種別", vec![0, 4, 1, -1, 0]);
    set(&mut columns, "事業", vec![0, 0, 0, 0, 0]);
    set(
        &mut columns,
        "申請日",
        vec![20_000, 20_000, 20_000, 20_000, i64::MAX],
    );
    set(&mut columns, "義務化対象外", vec![0, 0, 2, 1, 1]);
    let got = evaluate(&program, &sources, &columns, 5).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(got.ok, vec![1, 0, 0, 0, 0]);
    let paths: Vec<_> = got
        .errors
        .iter()
        .map(|(r, d)| (*r, d.path.clone()))
        .collect();
    let path = |s: &str| Some(format!("$.{s}"));
    assert_eq!(
        paths,
        vec![
            (1, path("施設種別")),
            (2, path("義務化対象外")),
            (3, path("施設種別")),
            (4, path("申請日")),
        ]
    );
    // Left out (no column, or presence 0): the default, or the required input missing.
    columns[k("申請日")].present = Some(vec![1, 1, 1, 1, 0]);
    let got = evaluate(&program, &sources, &columns, 5).unwrap_or_else(|e| panic!("{e:?}"));
    let missing = got.errors.last().map(|(r, d)| (*r, d.code, d.path.clone()));
    assert_eq!(missing, Some((4, "onshi::facts::missing", path("申請日"))));
}

#[test]
fn bad_columns_are_argument_errors() {
    let (program, sources) = bundled("r7/subsidy");
    let mut columns: Vec<InColumn> = program
        .inputs()
        .iter()
        .map(|_| InColumn {
            data: Data::Ints(vec![0, 0]),
            present: None,
        })
        .collect();
    assert!(evaluate(&program, &sources, &columns, 2).is_ok());
    assert!(evaluate(&program, &sources, &columns, 3).is_err());
    if let Some(c) = columns.first_mut() {
        c.present = Some(vec![1]);
    }
    let e = evaluate(&program, &sources, &columns, 2);
    assert!(matches!(e, Err(ArgError(m)) if m.contains("has 1 values")));
}
