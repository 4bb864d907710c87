//! Whole programs: declarations, imports, outputs, defaults, names.

use crate::common;
use common::{compile_with, error, errors, eval, out, run_error};
use serde_json::json;

#[test]
fn definitions_in_any_order() {
    assert_eq!(
        out("出力 x = y + 1\n定義 y = z × 2\n定義 z = 20"),
        json!(41)
    );
}
#[test]
fn output_publishes_a_definition() {
    assert_eq!(eval("定義 y = 3\n出力 y", json!({}))["y"], json!(3));
}
#[test]
fn output_without_definition() {
    assert_eq!(error("出力 y"), "onshi::name::no_definition");
}
#[test]
fn outputs_in_declaration_order() {
    let o = eval("出力 b = 2\n出力 a = 1\n出力 c = 3", json!({}));
    let keys: Vec<&String> = o.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["b", "a", "c"]);
}
#[test]
fn definitions_are_not_outputs() {
    assert_eq!(eval("定義 y = 3\n出力 x = y", json!({})), json!({"x": 3}));
}
#[test]
fn cycle() {
    assert_eq!(
        error("定義 a = b + 1\n定義 b = a + 1\n出力 x = a"),
        "onshi::name::cycle"
    );
}
#[test]
fn self_cycle() {
    assert_eq!(error("定義 a: 整数 = a\n出力 x = a"), "onshi::name::cycle");
}
#[test]
fn duplicate_definition() {
    assert_eq!(
        error("定義 a = 1\n定義 a = 2\n出力 x = a"),
        "onshi::name::duplicate"
    );
}
#[test]
fn duplicate_input_and_definition() {
    assert_eq!(
        error("入力 a: 整数\n定義 a = 2\n出力 x = a"),
        "onshi::name::duplicate"
    );
}
#[test]
fn unknown_name() {
    assert_eq!(error("出力 x = 未定義の名前"), "onshi::name::unknown");
}
#[test]
fn unknown_name_suggestion() {
    let c = common::compile_src("定義 申請期限 = 2026-01-15\n出力 x = 申請期眼");
    let help = c.diagnostics[0].help.clone().unwrap();
    assert!(help.ja.contains("申請期限"), "{}", help.ja);
}
#[test]
fn unknown_type() {
    assert_eq!(error("入力 a: 金学\n出力 x = a"), "onshi::name::unknown");
}
#[test]
fn unknown_function() {
    assert_eq!(error("出力 x = 最少(1, 2)"), "onshi::name::unknown");
}
#[test]
fn unknown_source_in_citation() {
    assert_eq!(
        error("出力 x = 1\n  出典 通知 \"p.1\""),
        "onshi::name::unknown"
    );
}
#[test]
fn citation_of_a_declared_source() {
    assert_eq!(
        out("出典 通知 = \"000.txt\" 「題」\n出力 x = 1\n  出典 通知 \"p.1\""),
        json!(1)
    );
}
#[test]
fn input_default_of_wrong_type() {
    assert_eq!(
        error("入力 a: 金額 既定 0\n出力 x = a"),
        "onshi::type::mismatch"
    );
}
#[test]
fn input_default_must_be_constant() {
    assert_eq!(
        error("入力 a: 整数\n入力 b: 整数 既定 a\n出力 x = b"),
        "onshi::type::not_constant"
    );
}
#[test]
fn input_default_constant_expression() {
    assert_eq!(
        eval("入力 a: 金額 既定 1000円 × 3\n出力 x = a", json!({}))["x"],
        json!(3000)
    );
}
#[test]
fn input_default_used() {
    assert_eq!(
        eval("入力 a: 整数 既定 7\n出力 x = a", json!({}))["x"],
        json!(7)
    );
}
#[test]
fn input_default_overridden() {
    assert_eq!(
        eval("入力 a: 整数 既定 7\n出力 x = a", json!({"a": 8}))["x"],
        json!(8)
    );
}
#[test]
fn required_input_missing() {
    assert_eq!(
        run_error("入力 a: 整数\n出力 x = a", json!({})),
        "onshi::facts::missing"
    );
}
#[test]
fn unknown_fact() {
    assert_eq!(
        run_error("入力 a: 整数 既定 1\n出力 x = a", json!({"b": 1})),
        "onshi::facts::unknown_field"
    );
}
#[test]
fn facts_not_an_object() {
    assert_eq!(run_error("出力 x = 1", json!([1])), "onshi::facts::json");
}
#[test]
fn unused_input_still_required() {
    assert_eq!(
        run_error("入力 a: 整数\n出力 x = 1", json!({})),
        "onshi::facts::missing"
    );
}
#[test]
fn wrong_type_for_declared_output() {
    assert_eq!(error("出力 x: 日付 = 1"), "onshi::type::mismatch");
}
#[test]
fn all_errors_reported_at_once() {
    assert_eq!(
        errors("出力 x: 日付 = 1\n出力 y = 1円 + 1\n出力 z = 不明").len(),
        3
    );
}
#[test]
fn english_keywords() {
    let src = "policy \"p\"\nfiscal_year 2025\nenum E = A | B\n  group G = A\ninput e: E\ninput d: optional<date>\ninput s: set<E> default {}\ndefine y: money = 100円\noutput x: bool = e in G and d is absent and not (count(s) > 0)\noutput y";
    assert_eq!(eval(src, json!({"e": "A"})), json!({"x": true, "y": 100}));
}
#[test]
fn mixed_keywords() {
    assert_eq!(out("出力 x = if 真 ならば 1 else 2"), json!(1));
}

const FACILITY: &str = "列挙 種別 = 病院 | 薬局\n定義 閾値: 整数 = 40000\n";

#[test]
fn import_brings_enums_and_definitions() {
    let c = compile_with("取込 \"common/f.onshi\"\n入力 k: 種別\n出力 x = もし k = 薬局 ならば 閾値 そうでなければ 0", &[("common/f.onshi", FACILITY)]);
    let p = c.program.expect("compiles");
    assert_eq!(
        p.evaluator().json(&json!({"k": "薬局"})).unwrap()["outputs"]["x"],
        json!(40000)
    );
}
#[test]
fn imported_outputs_are_not_outputs() {
    let c = compile_with("取込 \"f.onshi\"\n出力 x = 1", &[("f.onshi", "出力 y = 2")]);
    let p = c.program.expect("compiles");
    assert_eq!(
        p.evaluator().json(&json!({})).unwrap()["outputs"],
        json!({"x": 1})
    );
}
#[test]
fn import_not_found() {
    let c = compile_with("取込 \"nope.onshi\"\n出力 x = 1", &[]);
    assert_eq!(c.diagnostics[0].code, "onshi::name::import_not_found");
    let span = c.diagnostics[0].primary_span().unwrap();
    assert_eq!(c.sources.snippet(span), "取込 \"nope.onshi\"");
}
#[test]
fn import_cycle_is_harmless() {
    let c = compile_with(
        "取込 \"b.onshi\"\n出力 x = y",
        &[("b.onshi", "取込 \"test.onshi\"\n定義 y = 5")],
    );
    assert_eq!(
        c.program
            .expect("compiles")
            .evaluator()
            .json(&json!({}))
            .unwrap()["outputs"]["x"],
        json!(5)
    );
}
#[test]
fn errors_in_imported_files_point_there() {
    let c = compile_with(
        "取込 \"b.onshi\"\n出力 x = 1",
        &[("b.onshi", "定義 y = 1円 + 1")],
    );
    let d = &c.diagnostics[0];
    assert_eq!(d.code, "onshi::type::unit");
    assert_eq!(
        c.sources.get(d.primary_span().unwrap().file).unwrap().path,
        "b.onshi"
    );
}
#[test]
fn diamond_import_declares_once() {
    let c = compile_with(
        "取込 \"a.onshi\"\n取込 \"b.onshi\"\n入力 k: 種別\n出力 x = k",
        &[
            ("a.onshi", "取込 \"f.onshi\""),
            ("b.onshi", "取込 \"f.onshi\""),
            ("f.onshi", FACILITY),
        ],
    );
    assert!(c.program.is_some(), "{:?}", c.diagnostics);
}
#[test]
fn same_source_declared_by_two_files() {
    let s = "出典 通知 = \"000.txt\"\n";
    let c = compile_with(
        &format!("{s}取込 \"f.onshi\"\n出力 x = 1"),
        &[("f.onshi", s)],
    );
    assert!(c.program.is_some(), "{:?}", c.diagnostics);
}
#[test]
fn warnings_do_not_stop_compilation() {
    let src = "列挙 E = A | B\n入力 e: E\n出力 x = 場合 e { A → 1; B → 2; その他 → 3 }";
    let c = common::compile_src(src);
    assert!(c.program.is_some());
    assert_eq!(common::warnings(src), ["onshi::type::unreachable_arm"]);
}
