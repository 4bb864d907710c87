//! The schema as data, on a small policy with an import, a set, an optional input and rules.

use super::*;
use crate::compile;
use serde_json::json;
use std::collections::BTreeMap;

const COMMON: &str = "出典 通知 = \"000.txt\" 「通知」\n\
列挙 書類 = 保険証 | 確認書 | 画面\n  群 紙 = 保険証 | 確認書\n";

const POLICY: &str = "政策 \"テスト\"\n取込 \"../common/c.onshi\"\n\
入力 日: 日付\n  出典 通知 \"第1条\"\n\
入力 提示: 集合<書類> 既定 {}\n\
入力 期限: 任意<日付>\n\
入力 額: 金額 既定 1000円\n\
定義 倍: 金額 = 額 × 2\n\
出力 可: 真偽\n  原則 不可: 偽\n  例外 紙あり: もし 要素数(提示 ∩ 紙) > 0 ならば 真\n    出典 通知 \"第2条\"\n\
出力 合計: 金額 = 倍 + 1円\n\
例 \"保険証で可\"\n  事実 日 = 令和7年12月1日, 提示 = {保険証}\n  期待 可 = 真, 倍 = 2000円, 合計 = 2001円\n";

fn compiled() -> crate::Compiled {
    let mut files = BTreeMap::new();
    files.insert("p/common/c.onshi".to_string(), COMMON.to_string());
    files.insert("p/r7/x.onshi".to_string(), POLICY.to_string());
    compile(&files, "p/r7/x.onshi")
}

#[test]
fn inputs_describe_types_defaults_and_sources() {
    let c = compiled();
    let Some(p) = c.program else {
        panic!("{:?}", c.diagnostics);
    };
    let inputs = p.inputs_json(&c.sources);
    assert_eq!(inputs[0]["name"], "日");
    assert_eq!(inputs[0]["type"], json!({"kind": "date"}));
    assert_eq!(inputs[0]["kind"], "date");
    assert_eq!(inputs[0]["required"], true);
    assert!(inputs[0].get("default").is_none());
    assert_eq!(inputs[0]["sources"][0]["locator"], "第1条");
    assert_eq!(inputs[0]["at"]["file"], "p/r7/x.onshi");
    assert_eq!(inputs[0]["at"]["line"], 3);
    assert_eq!(inputs[1]["type"]["kind"], "set");
    assert_eq!(
        inputs[1]["type"]["of"]["variants"],
        json!(["保険証", "確認書", "画面"])
    );
    assert_eq!(
        inputs[1]["type"]["of"]["groups"],
        json!([{"name": "紙", "variants": ["保険証", "確認書"]}])
    );
    assert_eq!(inputs[1]["default"], json!([]));
    assert_eq!(inputs[1]["type_text"]["ja"], "集合<書類>");
    assert_eq!(inputs[2]["type"]["kind"], "optional");
    assert_eq!(inputs[2]["required"], false);
    assert_eq!(inputs[2]["default"], Json::Null);
    assert_eq!(inputs[3]["default"], json!(1000));
}

#[test]
fn outputs_list_rules_with_labels() {
    let c = compiled();
    let p = c.program.unwrap();
    let outputs = p.outputs_json(&c.sources);
    assert_eq!(outputs.as_array().map(Vec::len), Some(2));
    assert_eq!(outputs[0]["name"], "可");
    assert_eq!(outputs[0]["rules"][1]["kind"], "exception");
    assert_eq!(outputs[0]["rules"][1]["label"], "紙あり");
    assert_eq!(outputs[0]["rules"][1]["sources"][0]["locator"], "第2条");
    assert_eq!(outputs[1]["type"], json!({"kind": "money"}));
}

#[test]
fn examples_evaluate_to_their_expectations() {
    let c = compiled();
    let p = c.program.unwrap();
    let examples = p.examples_json(&c.sources);
    let ex = &examples[0];
    assert_eq!(ex["facts"], json!({"日": "2025-12-01", "提示": ["保険証"]}));
    assert_eq!(ex["expect"], json!({"可": true, "合計": 2001}));
    assert_eq!(ex["expect_definitions"], json!({"倍": 2000}));
    let out = p.evaluator().json(&ex["facts"]).unwrap();
    for (k, v) in ex["expect"].as_object().unwrap() {
        assert_eq!(&out["outputs"][k], v);
    }
}

#[test]
fn diagnostics_carry_ranges_and_lines() {
    let mut files = BTreeMap::new();
    files.insert(
        "a.onshi".to_string(),
        "出力 x: 整数 =\n  未定義の名前\n".to_string(),
    );
    let c = compile(&files, "a.onshi");
    assert!(c.program.is_none());
    let diags = diagnostics_json(&c.diagnostics, &c.sources);
    let d = &diags[0];
    assert_eq!(d["phase"], "compile");
    assert_eq!(d["severity"], "error");
    assert!(d["code"].as_str().unwrap().starts_with("onshi::"));
    assert!(!d["message"]["ja"].as_str().unwrap().is_empty());
    assert!(!d["message"]["en"].as_str().unwrap().is_empty());
    let l = &d["labels"][0];
    assert_eq!(l["file"], "a.onshi");
    assert_eq!(l["line"], 2);
    assert_eq!(l["column"], 3);
    let start = "出力 x: 整数 =\n  ".len();
    assert_eq!(l["start"], start);
    assert_eq!(l["end"], start + "未定義の名前".len());
    assert_eq!(
        l["start_utf16"],
        "出力 x: 整数 =\n  ".encode_utf16().count()
    );
    assert_eq!(l["end_column"], 9);
}

#[test]
fn bad_facts_name_the_field() {
    let c = compiled();
    let p = c.program.unwrap();
    let e = p
        .evaluator()
        .json(&json!({"日": "令和7年2月30日"}))
        .unwrap_err();
    let d = run_error_json(&e, &c.sources);
    assert_eq!(d["phase"], "facts");
    assert_eq!(d["path"], "$.日");
    assert!(d["message"]["ja"].as_str().unwrap().contains("$.日"));
    let e = p.evaluator().json(&json!({"提示": []})).unwrap_err();
    assert_eq!(run_error_json(&e, &c.sources)["path"], "$.日");
}

#[test]
fn an_unknown_bundled_policy_names_the_front_ends_code_and_the_bundled_ones() {
    let names = ["r7/subsidy".to_string(), "r7/front_desk".to_string()];
    // A front end's own code (the WASM and Python packages' codes are theirs, with their pages).
    let d = DiagnosticData::unknown_policy("front::unknown_policy", "r9/x", &names);
    let d = &super::to_json(&d)[0];
    assert_eq!(d["code"], "front::unknown_policy");
    assert_eq!(d["phase"], "compile");
    assert_eq!(d["message"]["en"], "no bundled policy is named `r9/x`");
    assert_eq!(d["help"]["ja"], "同梱の政策: r7/subsidy, r7/front_desk");
}
