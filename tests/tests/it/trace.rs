//! Explanations (`--explain`, the JSON `trace`) of the shipped r7 policies: the table row with its
//! line and 出典, the exception that applied and the rules that did not, and only what each output
//! actually depended on. Lines are looked up in the policy text, not hard-coded.

use crate::common;
use common::workspace_file;
use onshi::{compile, Compiled, Lang, Program};
use onshi_tests::workspace::shipped_policies;
use serde_json::{json, Value};

const SUBSIDY: &str = "policies/r7/subsidy.onshi";
const OBLIGATION: &str = "policies/r7/obligation.onshi";

fn compiled(entry: &str) -> (Program, Compiled) {
    let mut c = compile(&shipped_policies(), entry);
    let errors: Vec<String> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| onshi_cli::render::render(d, &c.sources, Lang::En))
        .collect();
    let p = c
        .program
        .take()
        .unwrap_or_else(|| panic!("{entry} does not compile:\n{}", errors.join("\n")));
    (p, c)
}

/// The `trace` member for `facts`.
fn trace(entry: &str, facts: Value) -> Value {
    let (p, c) = compiled(entry);
    let out = p
        .evaluator()
        .explain(Some(&c.sources))
        .json(&facts)
        .unwrap_or_else(|e| panic!("evaluation failed: {:?}", e.to_diagnostic().message));
    assert!(out.get("outputs").is_some(), "{out}");
    out["trace"].clone()
}

fn hospital_facts() -> Value {
    serde_json::from_str(&workspace_file(
        "policies/examples/r7-subsidy-hospital.json",
    ))
    .unwrap()
}

/// The 1-based line of the first line of `text` for which `pred` holds (after line `after`).
fn line_where(text: &str, after: usize, pred: impl Fn(&str) -> bool) -> usize {
    text.lines()
        .enumerate()
        .skip(after)
        .find(|(_, l)| pred(l))
        .map(|(i, _)| i + 1)
        .unwrap_or_else(|| panic!("no such line after {after}"))
}

/// The line of data row `n` (1-based) of table `name` in `text`.
fn table_row_line(text: &str, name: &str, n: usize) -> usize {
    let head = line_where(text, 0, |l| l.starts_with(&format!("表 {name}(")));
    // Header row, separator row, then the data rows.
    let mut line = head;
    for _ in 0..(n + 2) {
        line = line_where(text, line, |l| l.trim_start().starts_with('|'));
    }
    line
}

/// The line where `decl` (e.g. `出力 補助限度額`) is declared.
fn decl_line(text: &str, decl: &str) -> usize {
    line_where(text, 0, |l| {
        l.starts_with(decl) && l[decl.len()..].starts_with([':', ' ', '='])
    })
}

/// Every node of a trace tree (depth first).
fn nodes(node: &Value) -> Vec<&Value> {
    let mut out = vec![node];
    for child in node["uses"].as_array().into_iter().flatten() {
        out.extend(nodes(child));
    }
    out
}

/// The names of the direct `uses` of a node, by kind.
fn uses(node: &Value, kind: &str) -> Vec<String> {
    node["uses"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|u| u["kind"] == json!(kind))
        .map(|u| u["name"].as_str().unwrap().to_string())
        .collect()
}

// ------------------------------------------------------------------ the subsidy: table rows

#[test]
fn subsidy_limit_names_the_table_row_with_its_line_and_source() {
    let t = trace(SUBSIDY, hospital_facts());
    let limit = &t["補助限度額"];
    assert_eq!(limit["kind"], json!("output"));
    assert_eq!(limit["value"], json!(411000));
    assert_eq!(limit["text"], json!("411,000円"));
    let text = workspace_file(SUBSIDY);
    assert_eq!(limit["at"]["file"], json!(SUBSIDY));
    assert_eq!(
        limit["at"]["line"],
        json!(decl_line(&text, "出力 補助限度額"))
    );

    // The row sits on the definition the output reads (内容 = 補助内容(事業, 補助区分)).
    let rows: Vec<&Value> = nodes(limit)
        .into_iter()
        .flat_map(|n| n["rows"].as_array().into_iter().flatten())
        .filter(|r| r["table"] == json!("補助内容"))
        .collect();
    assert_eq!(rows.len(), 1, "{limit:#}");
    let row = rows[0];
    assert_eq!(row["row"], json!(1));
    assert_eq!(row["at"]["file"], json!(SUBSIDY));
    assert_eq!(
        row["at"]["line"],
        json!(table_row_line(&text, "補助内容", 1))
    );
    assert!(
        text.lines()
            .nth(row["at"]["line"].as_u64().unwrap() as usize - 1)
            .unwrap()
            .contains("| 病院 "),
        "row 1 is the hospital row"
    );
    // One citation per annex (別添1〜4), each quoting its table, then the 手引き (001), which
    // repeats the table of 別添3.
    let sources = row["sources"].as_array().unwrap();
    assert_eq!(sources.len(), 5, "{row:#}");
    assert_eq!(sources[4]["source"], json!("手引き"));
    assert_eq!(sources[4]["document"], json!("001_fa454e3d1a8dd4bd.txt"));
    for (source, annex) in sources.iter().zip(["別添1", "別添2", "別添3", "別添4"]) {
        assert_eq!(source["source"], json!("周知依頼"));
        assert_eq!(source["document"], json!("000_f7c3df111ed24c00.txt"));
        let locator = source["locator"].as_str().unwrap();
        assert!(
            locator.starts_with(&format!("{annex} ２．補助内容「")),
            "{locator}"
        );
    }
    assert!(sources[0]["locator"]
        .as_str()
        .unwrap()
        .contains("病院 １／２ 41.1万円 事業額上限82.2万円"));
    assert!(sources[0]["title"]
        .as_str()
        .unwrap()
        .contains("財政支援について（周知依頼）"));
}

#[test]
fn a_pharmacy_gets_another_row() {
    let mut facts = hospital_facts();
    facts["施設種別"] = json!("薬局");
    facts["グループ処方箋受付回数"] = json!(40000);
    let t = trace(SUBSIDY, facts);
    let rows: Vec<u64> = nodes(&t["補助限度額"])
        .into_iter()
        .flat_map(|n| n["rows"].as_array().into_iter().flatten())
        .filter(|r| r["table"] == json!("補助内容"))
        .map(|r| r["row"].as_u64().unwrap())
        .collect();
    assert_eq!(rows, [2], "大型チェーン薬局 is row 2");
}

// ------------------------------------------------------------------ only what the output used

#[test]
fn a_constant_output_uses_nothing() {
    // 申請期限 reads 事業 and, for 外来診療等 only, its reading (解釈), a constant that uses nothing.
    let t = trace(SUBSIDY, hospital_facts());
    let deadline = &t["申請期限"];
    assert_eq!(deadline["value"], json!("2026-01-15"));
    let names: Vec<&str> = deadline["uses"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|u| u["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["事業"], "{deadline:#}");
    let mut facts = hospital_facts();
    facts["事業"] = json!("外来診療等");
    let t = trace(SUBSIDY, facts);
    let reading = &t["申請期限"]["uses"][1];
    assert_eq!(
        reading["name"],
        json!("外来診療等の申請期限"),
        "{:#}",
        t["申請期限"]
    );
    assert!(
        reading["uses"]
            .as_array()
            .into_iter()
            .flatten()
            .next()
            .is_none(),
        "{reading:#}"
    );
    assert!(deadline.get("rows").is_none());
    // Its citation is there.
    assert_eq!(deadline["sources"][0]["source"], json!("周知依頼"));
}

#[test]
fn the_class_of_a_hospital_uses_only_the_facility_type() {
    let t = trace(SUBSIDY, hospital_facts());
    let class = &t["補助区分"];
    assert_eq!(class["value"], json!("病院"));
    // Every input read anywhere below 補助区分.
    let inputs: Vec<String> = nodes(class)
        .into_iter()
        .flat_map(|n| uses(n, "input"))
        .collect();
    assert_eq!(inputs, ["施設種別"], "{class:#}");
}

#[test]
fn the_class_of_a_pharmacy_also_uses_the_prescription_count() {
    for (count, class) in [(39999, "診療所・薬局"), (40000, "大型チェーン薬局")] {
        let mut facts = hospital_facts();
        facts["施設種別"] = json!("薬局");
        facts["グループ処方箋受付回数"] = json!(count);
        let expected = class;
        let class = trace(SUBSIDY, facts)["補助区分"].clone();
        assert_eq!(class["value"], json!(expected));
        let mut inputs: Vec<String> = nodes(&class)
            .into_iter()
            .flat_map(|n| uses(n, "input"))
            .collect();
        inputs.sort();
        inputs.dedup();
        assert_eq!(inputs, ["グループ処方箋受付回数", "施設種別"], "{class:#}");
    }
    for facility in ["診療所", "歯科診療所"] {
        let mut facts = hospital_facts();
        facts["施設種別"] = json!(facility);
        facts["グループ処方箋受付回数"] = json!(50000);
        let class = trace(SUBSIDY, facts)["補助区分"].clone();
        let inputs: Vec<String> = nodes(&class)
            .into_iter()
            .flat_map(|n| uses(n, "input"))
            .collect();
        assert_eq!(inputs, ["施設種別"], "{facility}: {class:#}");
    }
}

#[test]
fn inputs_in_the_trace_carry_their_values_and_lines() {
    let t = trace(SUBSIDY, hospital_facts());
    let text = workspace_file(SUBSIDY);
    let all = nodes(&t["対象事業額"]);
    let cost = all
        .iter()
        .find(|n| n["kind"] == json!("input") && n["name"] == json!("モバイル端末費用"))
        .expect("モバイル端末費用 is used");
    assert_eq!(cost["value"], json!(41000));
    assert_eq!(cost["text"], json!("41,000円"));
    assert_eq!(
        cost["at"]["line"],
        json!(decl_line(&text, "入力 モバイル端末費用"))
    );
    // The facts never mention 汎用機器費用 and the branch taken does not read it.
    assert!(!all.iter().any(|n| n["name"] == json!("汎用機器費用")));
}

// ------------------------------------------------------------------ obligation: 原則/例外

fn rule<'a>(list: &'a Value, label: &str) -> Option<&'a Value> {
    list.as_array()?.iter().find(|r| r["label"] == json!(label))
}

#[test]
fn paper_claims_trace_the_exception_that_applied() {
    let t = trace(
        OBLIGATION,
        json!({"施設種別": "診療所", "判定日": "令和7年4月1日", "紙レセプト請求": true}),
    );
    let text = workspace_file(OBLIGATION);
    let decision = &t["判定"];
    assert_eq!(decision["value"], json!("義務化対象外"));
    let rules = &decision["rules"];

    let applied = rules["applied"].as_array().unwrap();
    assert_eq!(applied.len(), 1, "{rules:#}");
    let paper = &applied[0];
    assert_eq!(paper["kind"], json!("exception"));
    assert_eq!(paper["label"], json!("紙レセプト"));
    assert_eq!(paper["applicable"], json!(true));
    assert_eq!(
        paper["at"]["line"],
        json!(line_where(&text, 0, |l| l
            .trim_start()
            .starts_with("例外 紙レセプト")))
    );
    // Each citation quotes the seed's words (「…」); the whole entry is searched, so the test holds
    // whether the passage is part of the locator or a member of its own.
    let cited: Vec<(&str, String)> = paper["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["source"].as_str().unwrap(), s.to_string()))
        .collect();
    assert!(
        cited.iter().any(|(source, entry)| *source == "解説記事"
            && entry
                .contains("紙レセプトによる請求が認められている医療機関や薬局が、義務化の対象外")),
        "{cited:?}"
    );
    assert!(
        cited.iter().any(|(source, entry)| *source == "周知依頼"
            && entry.contains("参考４")
            && entry.contains("義務化対象外（紙レセプト請求等）の保険医療機関・薬局")),
        "{cited:?}"
    );

    // The principle applied too but was beaten; 経過措置中 did not apply.
    let principle = rule(&rules["not_applied"], "義務化").expect("義務化 is listed");
    assert_eq!(principle["kind"], json!("principle"));
    assert_eq!(principle["applicable"], json!(true));
    assert_eq!(principle["sources"][0]["source"], json!("ポータル"));
    let transitional = rule(&rules["not_applied"], "経過措置中").expect("経過措置中 is listed");
    assert_eq!(transitional["kind"], json!("exception"));
    assert_eq!(transitional["applicable"], json!(false));
    assert!(rule(&rules["applied"], "義務化").is_none());
    assert!(rule(&rules["applied"], "経過措置中").is_none());
    // Every rule of 判定 is listed exactly once.
    let listed =
        rules["applied"].as_array().unwrap().len() + rules["not_applied"].as_array().unwrap().len();
    let written = text
        .lines()
        .skip(decl_line(&text, "出力 判定"))
        .take_while(|l| l.starts_with("  "))
        .filter(|l| {
            let l = l.trim_start();
            l.starts_with("原則") || l.starts_with("例外")
        })
        .count();
    assert_eq!(listed, written);
}

#[test]
fn the_obligation_trace_in_text() {
    let (p, c) = compiled(OBLIGATION);
    let facts = json!({"施設種別": "診療所", "判定日": "令和7年4月1日", "紙レセプト請求": true});
    let run = p
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&facts)
        .unwrap();
    let trace = run.trace.unwrap();
    let mut text = String::new();
    trace.get("判定").unwrap().write_text(Lang::Ja, &mut text);
    assert!(text.starts_with("判定 = 義務化対象外  〔出力〕 policies/r7/obligation.onshi:"));
    assert!(
        text.contains("· 適用: 例外 紙レセプト policies/r7/obligation.onshi:"),
        "{text}"
    );
    assert!(
        text.contains("· 不適用: 原則 義務化（当てはまるが、より優先される規則がある）"),
        "{text}"
    );
    assert!(
        text.contains("· 不適用: 例外 経過措置中（条件に当てはまらない）"),
        "{text}"
    );
    let mut en = String::new();
    trace.get("判定").unwrap().write_text(Lang::En, &mut en);
    assert!(en.starts_with("判定 = 義務化対象外  [output] policies/r7/obligation.onshi:"));
    assert!(
        en.contains("· applied: exception 紙レセプト policies/r7/obligation.onshi:"),
        "{en}"
    );
    assert!(
        en.contains(
            "· not applied: principle 義務化 (applies, but a rule that wins over it applies too)"
        ),
        "{en}"
    );
    assert!(
        en.contains("· not applied: exception 経過措置中 (its condition does not hold)"),
        "{en}"
    );
}

// ------------------------------------------------------------------ text form and no-trace

#[test]
fn hospital_explanation_text() {
    let (p, c) = compiled(SUBSIDY);
    let run = p
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&hospital_facts())
        .unwrap();
    let trace = run.trace.expect("a trace with explain");
    insta::assert_snapshot!("hospital_explanation", trace.to_text(Lang::Ja));
    insta::assert_snapshot!("hospital_explanation_en", trace.to_text(Lang::En));
}

/// The English text has no Japanese words of its own: what is Japanese in it is the policy's
/// (names, values, sources and quoted passages); dates are ISO only.
#[test]
fn english_explanation_words() {
    let (p, c) = compiled(OBLIGATION);
    let facts = json!({"施設種別": "診療所", "判定日": "令和7年4月1日", "紙レセプト請求": true});
    let text = p
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&facts)
        .unwrap()
        .trace
        .unwrap()
        .to_text(Lang::En);
    for word in [
        "〔",
        "〕",
        "出典",
        "適用",
        "行目",
        "上と同じ",
        "エラー",
        "(令和",
    ] {
        assert!(!text.contains(word), "{word} in\n{text}");
    }
}

#[test]
fn no_trace_without_explain() {
    let (p, c) = compiled(SUBSIDY);
    let run = p.evaluator().facts(&hospital_facts()).unwrap();
    assert!(run.trace.is_none());
    let json = p.evaluator().json(&hospital_facts()).unwrap();
    assert!(json.get("trace").is_none(), "{json}");
    // The values are the same with and without the explanation.
    let explained = p
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&hospital_facts())
        .unwrap();
    assert_eq!(run.values, explained.values);
}
