//! Why not: an explanation names, for each rule with a condition, the parts of the condition that
//! decided it and the values that made them hold or fail (`受診日 2025-12-02 > 健康保険証の使用期限
//! 2025-12-01`), in JSON (`rules.*[].because`) and in text (ja/en, snapshot-tested).

use onshi::{compile, Lang, Program, SourceMap};
use onshi_tests::workspace::shipped_policies;
use serde_json::{json, Value};

const FRONT_DESK: &str = "policies/r7/front_desk.onshi";

fn front_desk() -> (Program, SourceMap) {
    let mut c = compile(&shipped_policies(), FRONT_DESK);
    let p = c.program.take().expect("front_desk compiles");
    (p, c.sources)
}

/// The `trace` member of the front desk's answer for `facts`.
fn trace(facts: Value) -> Value {
    let (p, sources) = front_desk();
    p.evaluator().explain(Some(&sources)).json(&facts).unwrap()["trace"].clone()
}

/// The rule labelled `label` among `rules.applied` and `rules.not_applied` of output `output`.
fn rule<'t>(t: &'t Value, output: &str, label: &str) -> &'t Value {
    let rules = &t[output]["rules"];
    ["applied", "not_applied"]
        .iter()
        .flat_map(|k| rules[*k].as_array().unwrap())
        .find(|r| r["label"] == json!(label))
        .unwrap_or_else(|| panic!("no rule {label} in {rules:#}"))
}

/// Every node of a reason (depth first).
fn reasons(why: &Value) -> Vec<&Value> {
    let mut out = vec![why];
    for part in why["because"].as_array().into_iter().flatten() {
        out.extend(reasons(part));
    }
    out
}

/// The comparisons of a reason, as `left op_holds right` with the operands' values.
fn comparisons(why: &Value) -> Vec<String> {
    reasons(why)
        .into_iter()
        .filter(|n| n.get("op_holds").is_some())
        .map(|n| {
            let side = |o: &Value| match o.get("value") {
                Some(v) if !v.is_null() => format!("{} {}", o["expr"].as_str().unwrap(), v),
                _ => o["expr"].as_str().unwrap().to_string(),
            };
            let ops = n["operands"].as_array().unwrap();
            format!(
                "{} {} {}",
                side(&ops[0]),
                n["op_holds"].as_str().unwrap(),
                side(&ops[1])
            )
        })
        .collect()
}

#[test]
fn an_expired_health_insurance_card_is_refused_because_the_visit_is_after_its_last_day() {
    let t = trace(json!({"受診日": "2025-12-02", "オン資": "導入済", "提示書類": ["健康保険証"]}));
    assert_eq!(t["確認方法"]["value"], json!("確認不可"));
    let seen = rule(&t, "確認方法", "証の目視");
    assert_eq!(seen["applicable"], json!(false));
    let why = &seen["because"];
    assert_eq!(why["expr"], json!("有効な証"));
    assert_eq!(why["holds"], json!(false));
    assert_eq!(why["definition"]["name"], json!("有効な証"));
    let cmp = comparisons(why);
    assert!(
        cmp.contains(&r#"受診日 "2025-12-02" > 健康保険証の使用期限 "2025-12-01""#.to_string()),
        "{cmp:#?}"
    );
    // The card was shown: its presence is not a reason; the 資格確認書 was not shown.
    assert!(
        !cmp.iter().any(|c| c.starts_with("健康保険証 ∉")),
        "{cmp:#?}"
    );
    assert!(
        cmp.contains(&r#"資格確認書 ∉ 提示書類 ["健康保険証"]"#.to_string()),
        "{cmp:#?}"
    );
    // Expressions as written, without the comments that follow a definition's body.
    for r in ["証の目視", "マイナ保険証と資格情報", "記号番号でオン資"] {
        for n in reasons(&rule(&t, "確認方法", r)["because"]) {
            let expr = n["expr"].as_str().unwrap();
            assert!(!expr.contains('#') && !expr.is_empty(), "{expr}");
        }
    }
    // The definition that held the date carries its 出典 and quoted passage.
    let card = reasons(why)
        .into_iter()
        .find(|n| n["definition"]["name"] == json!("健康保険証が有効"))
        .unwrap();
    assert_eq!(
        card["definition"]["sources"][0]["passages"],
        json!(["健康保険証（～2025.12/1）"])
    );
}

#[test]
fn the_day_before_the_cards_last_day_is_after_it_holds_the_other_way() {
    let t = trace(json!({"受診日": "2025-12-01", "オン資": "未導入", "提示書類": ["健康保険証"]}));
    assert_eq!(t["確認方法"]["value"], json!("目視確認"));
    let seen = rule(&t, "確認方法", "証の目視");
    assert_eq!(seen["because"]["holds"], json!(true));
    let cmp = comparisons(&seen["because"]);
    assert!(
        cmp.contains(&r#"受診日 "2025-12-01" ≤ 健康保険証の使用期限 "2025-12-01""#.to_string()),
        "{cmp:#?}"
    );
}

#[test]
fn an_out_of_date_eligibility_certificate_names_its_expiry() {
    let t = trace(json!({
        "受診日": "2026-04-01", "オン資": "未導入", "提示書類": ["資格確認書"],
        "資格確認書有効期限": "2026-03-31"
    }));
    assert_eq!(t["確認方法"]["value"], json!("確認不可"));
    let cmp = comparisons(&rule(&t, "確認方法", "証の目視")["because"]);
    assert!(
        cmp.contains(&r#"受診日 "2026-04-01" > 資格確認書有効期限 "2026-03-31""#.to_string()),
        "{cmp:#?}"
    );
}

#[test]
fn a_my_number_card_alone_at_a_facility_without_online_checks_names_the_facility() {
    let t =
        trace(json!({"受診日": "2025-10-01", "オン資": "未導入", "提示書類": ["マイナ保険証"]}));
    let online = rule(&t, "確認方法", "マイナ保険証でオン資");
    let why = &online["because"];
    assert_eq!(why["holds"], json!(false));
    // Only the part that failed: the card was shown.
    let parts: Vec<&str> = why["because"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["expr"].as_str().unwrap())
        .collect();
    assert_eq!(parts, ["オンライン資格確認可能"]);
    assert!(
        comparisons(why).contains(&r#"オン資 "未導入" = 未導入"#.to_string()),
        "{:#?}",
        comparisons(why)
    );
    // At such a facility the rule that applied cites the 未導入 passage …
    let facility = rule(&t, "オンライン資格確認可能", "未導入の施設");
    assert_eq!(facility["applicable"], json!(true));
    assert!(facility["sources"][0]["passages"][0]
        .as_str()
        .unwrap()
        .starts_with("オンライン資格確認を未導入の場合"));
}

#[test]
fn at_a_facility_with_online_checks_the_rule_that_applied_cites_that_case() {
    let t =
        trace(json!({"受診日": "2025-10-01", "オン資": "導入済", "提示書類": ["マイナ保険証"]}));
    let applied = &t["オンライン資格確認可能"]["rules"]["applied"];
    assert_eq!(applied.as_array().unwrap().len(), 1, "{applied:#}");
    assert_eq!(applied[0]["label"], json!("導入済の施設"));
    // 導入済 (the full system) is cited first, 資格確認限定型 (slide 10) second.
    let passage = |i: usize| applied[0]["sources"][i]["passages"][0].as_str().unwrap();
    assert!(
        passage(0).contains("マイナンバーカードのICチップまたは健康保険証の記号番号等によって"),
        "{}",
        passage(0)
    );
    assert!(
        passage(1).contains("導入済の場合は、マイナ保険証のみで"),
        "{}",
        passage(1)
    );
    let not_facility = rule(&t, "オンライン資格確認可能", "未導入の施設");
    assert_eq!(not_facility["because"]["holds"], json!(false));
    assert_eq!(
        comparisons(&not_facility["because"]),
        [r#"オン資 "導入済" ≠ 未導入"#]
    );
}

#[test]
fn a_rule_without_a_condition_or_computed_value_has_no_reason() {
    let t = trace(json!({"受診日": "2025-12-02", "オン資": "導入済", "提示書類": []}));
    assert!(rule(&t, "確認方法", "確認できない")
        .get("because")
        .is_none());
}

/// The `--explain` text of the output 確認方法 for an expired card, in both languages.
fn explanation_text(lang: Lang) -> String {
    let (p, sources) = front_desk();
    let facts = json!({"受診日": "2025-12-02", "オン資": "導入済", "提示書類": ["健康保険証"]});
    let run = p.evaluator().explain(Some(&sources)).facts(&facts).unwrap();
    let mut out = String::new();
    run.trace
        .unwrap()
        .get("確認方法")
        .unwrap()
        .write_text(lang, &mut out);
    out
}

#[test]
fn the_reason_in_japanese_text() {
    insta::assert_snapshot!(explanation_text(Lang::Ja));
}

#[test]
fn the_reason_in_english_text() {
    insta::assert_snapshot!(explanation_text(Lang::En));
}
