//! The public interfaces of the shipped policies, as `../shared/spec/policy-interfaces.md` lists
//! them: front-desk apps and scripts call the policies by these names, so each policy must accept
//! the listed inputs with the listed defaults (omitting a defaulted or optional input works, omitting
//! a required one is `onshi::facts::missing`), answer with exactly the listed outputs, and use the
//! JSON value forms (money as integer yen, 割合 as `"1/2"`, dates as `"2025-12-01"`, enums by name,
//! an absent optional as `null`). Facts may be written as 和暦 strings (also with full-width digits
//! and 元年) and as `"41.1万円"` / `"411,000円"` strings.

use onshi::{compile, Lang, Program, Type};
use onshi_tests::workspace::shipped_policies;
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

// ------------------------------------------------------------------ the interfaces, as listed

/// The type an interface lists for an input or output.
#[derive(Clone, Copy, Debug)]
enum Kind {
    Bool,
    Int,
    Money,
    Ratio,
    Date,
    Enum(&'static [&'static str]),
    Set(&'static [&'static str]),
    OptionalDate,
}

struct In {
    name: &'static str,
    kind: Kind,
    /// None: required.
    default: Option<Value>,
}

struct Out {
    name: &'static str,
    kind: Kind,
}

struct Interface {
    path: &'static str,
    inputs: Vec<In>,
    outputs: Vec<Out>,
    /// Values for the required inputs (and only those).
    required: Value,
}

fn req(name: &'static str, kind: Kind) -> In {
    In {
        name,
        kind,
        default: None,
    }
}

fn def(name: &'static str, kind: Kind, default: Value) -> In {
    In {
        name,
        kind,
        default: Some(default),
    }
}

fn out(name: &'static str, kind: Kind) -> Out {
    Out { name, kind }
}

const MEDICAL: &[&str] = &["病院", "診療所", "歯科診療所", "薬局"];
const SUBSIDY_CLASS: &[&str] = &["病院", "大型チェーン薬局", "診療所・薬局"];
const PROJECTS: &[&str] = &[
    "訪問診療等",
    "オンライン診療等",
    "外来診療等",
    "資格確認限定型",
];
const DOCUMENTS: &[&str] = &[
    "マイナ保険証",
    "健康保険証",
    "資格確認書",
    "マイナポータル画面",
    "資格情報のお知らせ",
];
const FACILITIES: &[&str] = &[
    "病院",
    "診療所",
    "歯科診療所",
    "薬局",
    "訪問看護ステーション",
    "柔道整復施術所",
    "あはき施術所",
];
const GRACE: &[&str] = &[
    "なし",
    "システム整備中",
    "ネットワーク環境事情",
    "訪問診療のみ",
    "改築工事中",
    "臨時施設",
    "廃止休止",
    "その他困難",
];

fn r7_subsidy() -> Interface {
    Interface {
        path: "policies/r7/subsidy.onshi",
        inputs: vec![
            req("施設種別", Kind::Enum(MEDICAL)),
            def("グループ処方箋受付回数", Kind::Int, json!(0)),
            req("事業", Kind::Enum(PROJECTS)),
            def("モバイル端末費用", Kind::Money, json!(0)),
            def("レセコン改修費用", Kind::Money, json!(0)),
            def("汎用機器費用", Kind::Money, json!(0)),
            req("申請日", Kind::Date),
            def("補助済事業", Kind::Set(PROJECTS), json!([])),
            def("義務化対象外", Kind::Bool, json!(false)),
        ],
        outputs: vec![
            out("補助区分", Kind::Enum(SUBSIDY_CLASS)),
            out("補助率", Kind::Ratio),
            out("補助限度額", Kind::Money),
            out("対象事業額", Kind::Money),
            out("申請期限", Kind::Date),
            out("申請可", Kind::Bool),
            out("補助額", Kind::Money),
        ],
        required: json!({"施設種別": "病院", "事業": "訪問診療等", "申請日": "2025-10-01"}),
    }
}

fn r2_subsidy() -> Interface {
    Interface {
        path: "policies/r2/subsidy.onshi",
        inputs: vec![
            req("施設種別", Kind::Enum(MEDICAL)),
            def("グループ処方箋受付回数", Kind::Int, json!(0)),
            def("カードリーダー台数", Kind::Int, json!(1)),
            def("カードリーダー費用", Kind::Money, json!(0)),
            def("システム整備費用", Kind::Money, json!(0)),
        ],
        outputs: vec![
            out("補助区分", Kind::Enum(SUBSIDY_CLASS)),
            out("カードリーダー補助額", Kind::Money),
            out("システム補助限度額", Kind::Money),
            out("システム補助額", Kind::Money),
            out("補助額", Kind::Money),
        ],
        required: json!({"施設種別": "診療所"}),
    }
}

fn r7_front_desk() -> Interface {
    Interface {
        path: "policies/r7/front_desk.onshi",
        inputs: vec![
            req("受診日", Kind::Date),
            req(
                "オン資",
                Kind::Enum(&["導入済", "資格確認限定型", "未導入"]),
            ),
            def("カードリーダー故障", Kind::Bool, json!(false)),
            def("モバイル端末", Kind::Bool, json!(false)),
            def("ネットワーク障害", Kind::Bool, json!(false)),
            req("提示書類", Kind::Set(DOCUMENTS)),
            def("資格確認書有効期限", Kind::OptionalDate, Value::Null),
            def("災害時モード", Kind::Bool, json!(false)),
        ],
        outputs: vec![
            out("オンライン資格確認可能", Kind::Bool),
            out("資格確認可", Kind::Bool),
            out(
                "確認方法",
                Kind::Enum(&["オンライン資格確認", "災害時照会", "目視確認", "確認不可"]),
            ),
        ],
        required: json!({"受診日": "2025-10-01", "オン資": "導入済", "提示書類": ["マイナ保険証"]}),
    }
}

fn r7_obligation() -> Interface {
    let absent = |name| def(name, Kind::OptionalDate, Value::Null);
    Interface {
        path: "policies/r7/obligation.onshi",
        inputs: vec![
            req("施設種別", Kind::Enum(FACILITIES)),
            req("判定日", Kind::Date),
            def("紙レセプト請求", Kind::Bool, json!(false)),
            def("猶予類型", Kind::Enum(GRACE), json!("なし")),
            absent("猶予届出日"),
            absent("契約日"),
            absent("整備完了日"),
            absent("光回線整備日"),
            absent("工事完了日"),
            absent("臨時施設終了日"),
            absent("廃止休止日"),
            def("受領委任", Kind::Bool, json!(true)),
            def("施術者全員70歳以上", Kind::Bool, json!(false)),
            absent("廃止予定日"),
            absent("受領委任中止予定日"),
            absent("指定日"),
            def("訪問診療等実施", Kind::Bool, json!(false)),
            def("オンライン診療等実施", Kind::Bool, json!(false)),
        ],
        outputs: vec![
            out(
                "判定",
                Kind::Enum(&["施行前", "義務", "義務化対象外", "経過措置"]),
            ),
            out("経過措置期限", Kind::OptionalDate),
            out(
                "居宅同意取得型",
                Kind::Enum(&["対象外", "経過措置", "応需義務"]),
            ),
        ],
        required: json!({"施設種別": "病院", "判定日": "2025-10-01"}),
    }
}

fn interfaces() -> Vec<Interface> {
    vec![r7_subsidy(), r2_subsidy(), r7_front_desk(), r7_obligation()]
}

// ------------------------------------------------------------------ loading and running

fn load(path: &str) -> Program {
    let c = compile(&shipped_policies(), path);
    let rendered: Vec<String> = c
        .diagnostics
        .iter()
        .map(|d| onshi_cli::render::render(d, &c.sources, Lang::En))
        .collect();
    match c.program {
        Some(p) => p,
        None => panic!("{path} does not compile:\n{}", rendered.join("\n")),
    }
}

/// The `outputs` object of evaluating `facts`, or a panic naming the error.
fn outputs(p: &Program, path: &str, facts: &Value) -> Map<String, Value> {
    match p.evaluator().json(facts) {
        Ok(v) => v["outputs"].as_object().cloned().unwrap(),
        Err(e) => panic!("{path} on {facts}: {:?}", e.to_diagnostic()),
    }
}

/// The error code (and JSON path, for bad facts) of evaluating `facts`; panics when it succeeds.
fn failure(p: &Program, path: &str, facts: &Value) -> (&'static str, String) {
    match p.evaluator().json(facts) {
        Ok(v) => panic!("{path} on {facts}: expected an error, got {v}"),
        Err(onshi::RunError::Facts(e)) => (e.code(), e.path().to_string()),
        Err(e) => (e.to_diagnostic().code, String::new()),
    }
}

fn with(base: &Value, extra: Value) -> Value {
    let mut m = base.as_object().cloned().unwrap();
    for (k, v) in extra.as_object().unwrap() {
        m.insert(k.clone(), v.clone());
    }
    Value::Object(m)
}

// ------------------------------------------------------------------ checks of one value or type

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn gcd(a: u64, b: u64) -> u64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// `"n/d"` in lowest terms.
fn is_ratio(s: &str) -> bool {
    let Some((n, d)) = s.split_once('/') else {
        return false;
    };
    match (n.parse::<u64>(), d.parse::<u64>()) {
        (Ok(n), Ok(d)) => d > 0 && gcd(n, d) == 1,
        _ => false,
    }
}

/// Does the JSON value have the form the interface gives for `kind`?
fn has_form(v: &Value, kind: Kind) -> bool {
    match kind {
        Kind::Bool => v.is_boolean(),
        Kind::Int | Kind::Money => v.is_i64(),
        Kind::Ratio => v.as_str().is_some_and(is_ratio),
        Kind::Date => v.as_str().is_some_and(is_date),
        Kind::OptionalDate => v.is_null() || v.as_str().is_some_and(is_date),
        Kind::Enum(variants) => v.as_str().is_some_and(|s| variants.contains(&s)),
        Kind::Set(variants) => v.as_array().is_some_and(|xs| {
            xs.iter()
                .all(|x| x.as_str().is_some_and(|s| variants.contains(&s)))
        }),
    }
}

fn variants(p: &Program, e: onshi::types::EnumId) -> BTreeSet<String> {
    p.enums()[e.0 as usize].variants.iter().cloned().collect()
}

fn listed(vs: &[&str]) -> BTreeSet<String> {
    vs.iter().map(|s| (*s).to_string()).collect()
}

/// Is `ty` (of program `p`) the type the interface lists?
fn has_type(p: &Program, ty: &Type, kind: Kind) -> bool {
    match (kind, ty) {
        (Kind::Bool, Type::Bool)
        | (Kind::Int, Type::Int)
        | (Kind::Money, Type::Money)
        | (Kind::Ratio, Type::Ratio)
        | (Kind::Date, Type::Date) => true,
        (Kind::OptionalDate, Type::Optional(inner)) => **inner == Type::Date,
        (Kind::Enum(vs), Type::Enum(e)) | (Kind::Set(vs), Type::Set(e)) => {
            variants(p, *e) == listed(vs)
        }
        _ => false,
    }
}

// ------------------------------------------------------------------ the tests

#[test]
fn inputs_have_the_listed_types_and_defaults() {
    for i in interfaces() {
        let p = load(i.path);
        for input in &i.inputs {
            let Some(ix) = p.input_index(input.name) else {
                panic!("{}: no input `{}`", i.path, input.name);
            };
            let decl = &p.inputs()[ix];
            assert!(
                has_type(&p, &decl.ty, input.kind),
                "{}: input `{}` has type {}, the interface lists {:?}",
                i.path,
                input.name,
                p.type_name(&decl.ty, false),
                input.kind
            );
            let default = decl.default.as_ref().map(|d| p.value_to_json(d, &decl.ty));
            assert_eq!(
                default, input.default,
                "{}: default of `{}`",
                i.path, input.name
            );
        }
        // A policy may have more inputs than listed, but callers that follow the interface never
        // give them: each must have a default.
        for decl in p.inputs() {
            if !i.inputs.iter().any(|x| x.name == decl.name) {
                assert!(
                    decl.default.is_some(),
                    "{}: input `{}` is required but not in the interface",
                    i.path,
                    decl.name
                );
            }
        }
    }
}

#[test]
fn outputs_are_exactly_the_listed_ones_with_their_types() {
    for i in interfaces() {
        let p = load(i.path);
        let names: BTreeSet<String> = p.output_defs().map(|d| d.name.clone()).collect();
        let expected: BTreeSet<String> = i.outputs.iter().map(|o| o.name.to_string()).collect();
        assert_eq!(names, expected, "{}: output names", i.path);
        for o in &i.outputs {
            let d = p.output_defs().find(|d| d.name == o.name).unwrap();
            assert!(
                has_type(&p, &d.ty, o.kind),
                "{}: output `{}` has type {}, the interface lists {:?}",
                i.path,
                o.name,
                p.type_name(&d.ty, false),
                o.kind
            );
        }
    }
}

#[test]
fn the_required_inputs_alone_are_enough_and_answer_in_the_json_forms() {
    for i in interfaces() {
        let p = load(i.path);
        let outs = outputs(&p, i.path, &i.required);
        let names: BTreeSet<&str> = outs.keys().map(String::as_str).collect();
        let expected: BTreeSet<&str> = i.outputs.iter().map(|o| o.name).collect();
        assert_eq!(names, expected, "{}: output names in the JSON", i.path);
        for o in &i.outputs {
            assert!(
                has_form(&outs[o.name], o.kind),
                "{}: output `{}` = {} is not in the JSON form of {:?}",
                i.path,
                o.name,
                outs[o.name],
                o.kind
            );
        }
    }
}

#[test]
fn giving_the_listed_defaults_changes_nothing() {
    for i in interfaces() {
        let p = load(i.path);
        let mut full = i.required.as_object().cloned().unwrap();
        for input in &i.inputs {
            if let Some(d) = &input.default {
                full.insert(input.name.to_string(), d.clone());
            }
        }
        assert_eq!(
            outputs(&p, i.path, &Value::Object(full)),
            outputs(&p, i.path, &i.required),
            "{}",
            i.path
        );
    }
}

#[test]
fn omitting_a_required_input_is_missing() {
    for i in interfaces() {
        let p = load(i.path);
        let required: Vec<&In> = i.inputs.iter().filter(|x| x.default.is_none()).collect();
        assert!(!required.is_empty(), "{}", i.path);
        for input in required {
            let mut facts = i.required.as_object().cloned().unwrap();
            assert!(facts.remove(input.name).is_some(), "{}", input.name);
            let (code, at) = failure(&p, i.path, &Value::Object(facts.clone()));
            assert_eq!(code, "onshi::facts::missing", "{}: {}", i.path, input.name);
            assert_eq!(at, format!("$.{}", input.name));
            // `null` is the absent value of an optional input only: for a required one it is bad
            // facts that name the field (the interface leaves the code open).
            facts.insert(input.name.to_string(), Value::Null);
            let (code, at) = failure(&p, i.path, &Value::Object(facts));
            assert!(code.starts_with("onshi::facts::"), "{}: {code}", i.path);
            assert_eq!(at, format!("$.{}", input.name));
        }
    }
}

#[test]
fn an_unknown_field_is_refused_by_name() {
    for i in interfaces() {
        let p = load(i.path);
        let facts = with(&i.required, json!({"施設種類": "病院"}));
        assert_eq!(
            failure(&p, i.path, &facts),
            ("onshi::facts::unknown_field", "$.施設種類".to_string()),
            "{}",
            i.path
        );
    }
}

// ------------------------------------------------------------------ 和暦 and 万円 facts, values

#[test]
fn r7_subsidy_takes_wareki_and_man_yen_facts() {
    let i = r7_subsidy();
    let p = load(i.path);
    let wareki = json!({
        "施設種別": "病院",
        "事業": "訪問診療等",
        "申請日": "令和７年１０月１日",
        "モバイル端末費用": "4.1万円",
        "レセコン改修費用": "781,000円",
        "補助済事業": ["オンライン診療等"],
    });
    let plain = json!({
        "施設種別": "病院",
        "事業": "訪問診療等",
        "申請日": "2025-10-01",
        "モバイル端末費用": 41000,
        "レセコン改修費用": 781000,
        "補助済事業": ["オンライン診療等"],
    });
    let outs = outputs(&p, i.path, &wareki);
    assert_eq!(outs, outputs(&p, i.path, &plain));
    assert_eq!(
        Value::Object(outs),
        json!({
            "補助区分": "病院",
            "補助率": "1/2",
            "補助限度額": 411000,
            "対象事業額": 822000,
            "申請期限": "2026-01-15",
            "申請可": true,
            "補助額": 411000,
        })
    );
    // 3/4 as a string in lowest terms; a 薬局 of a large group is derived, not asked for.
    let clinic = outputs(
        &p,
        i.path,
        &json!({"施設種別": "薬局", "グループ処方箋受付回数": 39999, "事業": "オンライン診療等",
                "申請日": "令和7年12月1日", "レセコン改修費用": "13万円"}),
    );
    assert_eq!(clinic["補助区分"], json!("診療所・薬局"));
    assert_eq!(clinic["補助率"], json!("3/4"));
    assert_eq!(clinic["補助額"], json!(97000));
    let chain = outputs(
        &p,
        i.path,
        &json!({"施設種別": "薬局", "グループ処方箋受付回数": 40000, "事業": "オンライン診療等",
                "申請日": "令和7年12月1日", "レセコン改修費用": "13万円"}),
    );
    assert_eq!(chain["補助区分"], json!("大型チェーン薬局"));
    assert_eq!(chain["補助率"], json!("1/2"));
}

#[test]
fn r2_subsidy_takes_man_yen_facts() {
    let i = r2_subsidy();
    let p = load(i.path);
    let outs = outputs(
        &p,
        i.path,
        &json!({"施設種別": "病院", "カードリーダー台数": 4, "カードリーダー費用": "40万円",
                "システム整備費用": "190.3万円"}),
    );
    assert_eq!(
        Value::Object(outs),
        json!({
            "補助区分": "病院",
            "カードリーダー補助額": 297000,
            "システム補助限度額": 951000,
            "システム補助額": 951000,
            "補助額": 1248000,
        })
    );
    let clinic = outputs(
        &p,
        i.path,
        &json!({"施設種別": "歯科診療所", "システム整備費用": "100,500円"}),
    );
    assert_eq!(clinic["補助区分"], json!("診療所・薬局"));
    assert_eq!(clinic["システム補助限度額"], json!(321000));
    assert_eq!(clinic["システム補助額"], json!(75000));
}

#[test]
fn r7_front_desk_takes_wareki_dates() {
    let i = r7_front_desk();
    let p = load(i.path);
    let card = |day: &str, facility: &str| {
        outputs(
            &p,
            i.path,
            &json!({"受診日": day, "オン資": facility, "提示書類": ["健康保険証"]}),
        )
    };
    let last = card("令和７年１２月１日", "未導入");
    assert_eq!(last, card("2025-12-01", "未導入"));
    assert_eq!(
        Value::Object(last),
        json!({"オンライン資格確認可能": false, "資格確認可": true, "確認方法": "目視確認"})
    );
    assert_eq!(
        Value::Object(card("令和7年12月2日", "未導入")),
        json!({"オンライン資格確認可能": false, "資格確認可": false, "確認方法": "確認不可"})
    );
    assert_eq!(
        card("令和7年12月1日", "導入済")["確認方法"],
        json!("オンライン資格確認")
    );
    let certificate = |day: &str, expiry: Value| {
        outputs(
            &p,
            i.path,
            &json!({"受診日": day, "オン資": "未導入", "提示書類": ["資格確認書"],
                    "資格確認書有効期限": expiry}),
        )["資格確認可"]
            .clone()
    };
    assert_eq!(
        certificate("令和8年7月31日", json!("令和８年７月３１日")),
        json!(true)
    );
    assert_eq!(certificate("2026-08-01", json!("2026-07-31")), json!(false));
    assert_eq!(certificate("令和6年12月1日", Value::Null), json!(false));
    assert_eq!(certificate("令和6年12月2日", Value::Null), json!(true));
}

#[test]
fn r7_front_desk_number_lookup_and_disaster_mode() {
    let i = r7_front_desk();
    let p = load(i.path);
    let run = |extra: Value| outputs(&p, i.path, &with(&i.required, extra));
    // The 記号番号 look-up needs the terminal and the network, not the card reader (003 §4).
    let broken = run(json!({"カードリーダー故障": true, "提示書類": ["健康保険証"]}));
    assert_eq!(broken["オンライン資格確認可能"], json!(false));
    assert_eq!(broken["確認方法"], json!("オンライン資格確認"));
    let offline = run(
        json!({"カードリーダー故障": true, "ネットワーク障害": true, "提示書類": ["健康保険証"]}),
    );
    assert_eq!(offline["確認方法"], json!("目視確認"));
    // 災害時モード: no document at all, at a facility with full オン資 whose network works (002).
    let disaster = run(json!({"災害時モード": true, "提示書類": []}));
    assert_eq!(
        Value::Object(disaster),
        json!({"オンライン資格確認可能": true, "資格確認可": true, "確認方法": "災害時照会"})
    );
    let limited = run(json!({"災害時モード": true, "オン資": "資格確認限定型", "提示書類": []}));
    assert_eq!(limited["確認方法"], json!("確認不可"));
    // オンライン資格確認 comes first.
    assert_eq!(
        run(json!({"災害時モード": true}))["確認方法"],
        json!("オンライン資格確認")
    );
}

#[test]
fn r7_subsidy_limited_type_only_outside_the_obligation() {
    let i = r7_subsidy();
    let p = load(i.path);
    let facts = json!({"施設種別": "診療所", "事業": "資格確認限定型", "汎用機器費用": "5万円",
                       "申請日": "令和7年10月1日"});
    let inside = outputs(&p, i.path, &facts);
    assert_eq!(inside["申請可"], json!(false));
    assert_eq!(inside["補助額"], json!(0));
    let outside = outputs(&p, i.path, &with(&facts, json!({"義務化対象外": true})));
    assert_eq!(outside["申請可"], json!(true));
    assert_eq!(outside["補助額"], json!(31000));
}

#[test]
fn r7_obligation_takes_wareki_dates_and_answers_null_when_absent() {
    let i = r7_obligation();
    let p = load(i.path);
    let grace = outputs(
        &p,
        i.path,
        &json!({"施設種別": "病院", "判定日": "令和５年９月３０日", "猶予類型": "システム整備中",
                "猶予届出日": "令和5年3月31日", "契約日": "2023-02-28"}),
    );
    assert_eq!(grace["判定"], json!("経過措置"));
    assert_eq!(grace["経過措置期限"], json!("2023-09-30"));
    let plain = outputs(&p, i.path, &i.required);
    assert_eq!(plain["判定"], json!("義務"));
    assert_eq!(plain["経過措置期限"], Value::Null);
    assert_eq!(plain["居宅同意取得型"], json!("対象外"));
    // 元年: long before the obligation.
    let early = outputs(
        &p,
        i.path,
        &json!({"施設種別": "薬局", "判定日": "令和元年5月1日"}),
    );
    assert_eq!(early["判定"], json!("施行前"));
    // 指定日 in 和暦 (full-width digits): newly designated from 2024-04-01, not yet in force the day before.
    let eve = outputs(
        &p,
        i.path,
        &json!({"施設種別": "診療所", "判定日": "令和７年３月３１日", "指定日": "令和７年４月１日"}),
    );
    assert_eq!(eve["判定"], json!("施行前"));
}
