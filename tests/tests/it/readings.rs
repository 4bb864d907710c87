//! Readings (解釈): the language (a reading used by name, every 案 typed, the adopted one's value,
//! evaluation under another 案, examples that assume one, errors), and the shipped library: every
//! 案 of every shipped reading has an example that assumes it and that the adopted reading fails,
//! so each alternative is evaluated on facts that tell it apart.

use crate::common;

use common::compile_src;
use onshi::examples::Coverage;
use onshi::readings::ChoiceError;
use onshi::{compile, Files, Program, Value};
use onshi_tests::workspace::{root, shipped_policies};
use serde_json::json;

const DEADLINE: &str = "\
入力 申請日: 日付
解釈 期限: 日付
  案 早い = 令和8年1月15日
  案 遅い = 令和8年1月31日
  採用 早い
出力 申請可: 真偽 = 申請日 <= 期限
";

fn program(src: &str) -> Program {
    let c = compile_src(src);
    c.program
        .unwrap_or_else(|| panic!("does not compile: {:?}", c.diagnostics))
}

fn codes(src: &str) -> Vec<String> {
    compile_src(src)
        .diagnostics
        .iter()
        .map(|d| d.code.to_string())
        .collect()
}

fn applies(p: &Program, date: &str) -> serde_json::Value {
    p.evaluator().json(&json!({ "申請日": date })).unwrap()["outputs"]["申請可"].clone()
}

#[test]
fn a_reading_is_used_by_name_and_gives_its_adopted_option() {
    let p = program(DEADLINE);
    assert_eq!(p.readings().len(), 1);
    let r = &p.readings()[0];
    assert_eq!((r.name.as_str(), r.adopted, r.chosen), ("期限", 0, 0));
    assert_eq!(r.option_names(), ["早い", "遅い"]);
    assert_eq!(applies(&p, "2026-01-20"), json!(false));
}

#[test]
fn another_option_is_evaluated_without_checking_again() {
    let p = program(DEADLINE);
    let q = p.with_readings(&[("期限".into(), "遅い".into())]).unwrap();
    assert_eq!(applies(&q, "2026-01-20"), json!(true));
    assert_eq!(applies(&q, "2026-02-01"), json!(false));
    assert!(q.readings()[0].departs());
    // The original is unchanged.
    assert_eq!(applies(&p, "2026-01-20"), json!(false));
    // Back to the adopted one.
    let back = q.with_readings(&[("期限".into(), "早い".into())]).unwrap();
    assert_eq!(applies(&back, "2026-01-20"), json!(false));
}

#[test]
fn unknown_readings_and_options_are_errors_that_list_the_valid_ones() {
    let p = program(DEADLINE);
    let e = p
        .with_readings(&[("期日".into(), "遅い".into())])
        .unwrap_err();
    assert_eq!(
        e,
        ChoiceError::UnknownReading {
            name: "期日".into(),
            known: vec!["期限".into()]
        }
    );
    let e = p
        .with_readings(&[("期限".into(), "中".into())])
        .unwrap_err();
    assert!(
        e.text().en.contains("options: 早い, 遅い"),
        "{}",
        e.text().en
    );
}

#[test]
fn an_option_that_uses_other_definitions_is_ordered_and_counted() {
    // The option not adopted uses a definition no output needs otherwise: choosing it must still
    // evaluate that definition first (the evaluation order covers every option).
    let src = "\
入力 申請日: 日付
定義 延長: 日付 = 令和8年1月15日 + 16日
解釈 期限: 日付
  案 早い = 令和8年1月15日
  案 遅い = 延長
  採用 早い
出力 申請可: 真偽 = 申請日 <= 期限
";
    let p = program(src);
    let q = p.with_readings(&[("期限".into(), "遅い".into())]).unwrap();
    assert_eq!(applies(&q, "2026-01-31"), json!(true));
    assert!(q.max_steps() > 0);
}

#[test]
fn options_are_checked_like_definitions() {
    // Every 案 has the reading's type.
    assert_eq!(
        codes("解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  案 金 = 1000円\n  採用 早い\n"),
        ["onshi::type::mismatch"]
    );
    // The adopted 案 exists.
    assert_eq!(
        codes("解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  採用 遅い\n"),
        ["onshi::reading::unknown_option"]
    );
    // 案 names are unique, and so is the reading's name among values.
    assert_eq!(
        codes("解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  案 早い = 令和8年1月31日\n  採用 早い\n"),
        ["onshi::name::duplicate"]
    );
    assert_eq!(
        codes("定義 期限: 日付 = 令和8年1月15日\n解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  採用 早い\n"),
        ["onshi::name::duplicate"]
    );
    // A name an option uses is resolved, and a cycle through an option not adopted is a cycle.
    assert_eq!(
        codes("解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  案 遅い = 未知\n  採用 早い\n"),
        ["onshi::name::unknown"]
    );
    assert_eq!(
        codes("定義 延長: 日付 = 期限 + 1日\n解釈 期限: 日付\n  案 早い = 令和8年1月15日\n  案 遅い = 延長\n  採用 早い\n出力 x: 日付 = 期限\n"),
        ["onshi::name::cycle"]
    );
}

#[test]
fn examples_may_assume_a_reading() {
    let src = format!(
        "{DEADLINE}例 \"採用\" 事実 申請日 = 令和8年1月20日 期待 申請可 = 偽\n\
         例 \"遅い\" 採用 期限 = 遅い 事実 申請日 = 令和8年1月20日 期待 申請可 = 真\n"
    );
    let p = program(&src);
    assert_eq!(
        p.examples()[1].readings,
        [("期限".to_string(), "遅い".to_string())]
    );
    let outcomes = p.run_examples(&mut Coverage::default());
    assert!(outcomes.iter().all(|o| o.mismatches.is_empty()));
    // An unknown reading or 案 in an example is an error.
    assert_eq!(
        codes(&format!(
            "{DEADLINE}例 \"x\" 採用 期日 = 遅い 事実 申請日 = 令和8年1月20日 期待 申請可 = 真\n"
        )),
        ["onshi::name::unknown"]
    );
    assert_eq!(
        codes(&format!(
            "{DEADLINE}例 \"x\" 採用 期限 = 中 事実 申請日 = 令和8年1月20日 期待 申請可 = 真\n"
        )),
        ["onshi::reading::unknown_option"]
    );
}

#[test]
fn the_explanation_names_the_reading_and_its_option() {
    let p = program(DEADLINE);
    let c = compile_src(DEADLINE);
    let facts = json!({ "申請日": "2026-01-20" });
    let text = p
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&facts)
        .unwrap()
        .trace
        .unwrap()
        .to_text(onshi::Lang::Ja);
    assert!(text.contains("解釈『期限』は案『早い』を採用"), "{text}");
    let q = p.with_readings(&[("期限".into(), "遅い".into())]).unwrap();
    let text = q
        .evaluator()
        .explain(Some(&c.sources))
        .facts(&facts)
        .unwrap()
        .trace
        .unwrap()
        .to_text(onshi::Lang::En);
    assert!(
        text.contains("reading `期限` evaluated as option `遅い` (the policy adopts `早い`)"),
        "{text}"
    );
}

// ------------------------------------------------------------------------------------------------
// The shipped library

struct Repo;
impl Files for Repo {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(root().join(path)).ok()
    }
}

/// The readings the issue lists, declared where the policies decide them (all fourteen; the holiday
/// reading of r7/introduction through the national-holiday calendar, 祝日を除く営業日後).
const SHIPPED: &[(&str, &str)] = &[
    ("policies/r7/subsidy.onshi", "外来診療等の申請期限"),
    (
        "policies/r7/subsidy.onshi",
        "同一システム補助済なら申請不可",
    ),
    ("policies/r7/obligation.onshi", "期限のない経過措置と居宅"),
    ("policies/r7/obligation.onshi", "訪問看護と居宅同意取得型"),
    (
        "policies/r7/obligation.onshi",
        "義務化前の紙レセプト施設と居宅",
    ),
    ("policies/r7/obligation.onshi", "施行前の受領委任なし施術所"),
    ("policies/r7/consent.onshi", "オンライン診療等の前日の同意"),
    ("policies/r7/consent.onshi", "往診の閲覧期限"),
    ("policies/r7/consent.onshi", "薬局の特定健診情報"),
    ("policies/r7/consent.onshi", "災害時の薬局の特定健診情報"),
    ("policies/r7/introduction.onshi", "指定申請期限の数え方"),
    ("policies/r7/introduction.onshi", "利用申請期限の営業日"),
    (
        "policies/r7/front_desk.onshi",
        "ネットワーク障害時のモバイル端末",
    ),
    ("policies/r7/front_desk.onshi", "施行前のお知らせ"),
];

#[test]
fn the_shipped_readings_are_declared() {
    for (path, name) in SHIPPED {
        let c = compile(&Repo, path);
        let p = c
            .program
            .unwrap_or_else(|| panic!("{path}: {:?}", c.diagnostics));
        assert!(
            p.reading(name).is_some(),
            "{path} declares no reading {name}"
        );
    }
}

/// Every 案 not adopted has an example assuming it that the adopted reading fails: the example
/// tells the two apart, and under its own 案 it passes (onshi test runs it so).
#[test]
fn each_shipped_option_has_an_example_that_tells_it_from_the_adopted_one() {
    let mut missing = Vec::new();
    let mut checked = 0;
    for path in shipped_policies().into_keys() {
        let c = compile(&Repo, &path);
        let p = c
            .program
            .unwrap_or_else(|| panic!("{path}: {:?}", c.diagnostics));
        let own: Vec<_> = p
            .readings()
            .iter()
            .filter(|r| c.sources.get(r.span.file).is_some_and(|f| f.path == path))
            .collect();
        for r in own {
            for (i, o) in r.options.iter().enumerate() {
                if i == r.adopted {
                    continue;
                }
                let choice = (r.name.clone(), o.name.clone());
                let tells = p.examples().iter().any(|ex| {
                    if !ex.readings.contains(&choice) {
                        return false;
                    }
                    let inputs = p.example_inputs(ex);
                    let under = p.with_readings(&ex.readings).unwrap();
                    let mut adopted_readings = ex.readings.clone();
                    adopted_readings.retain(|(n, _)| n != &r.name);
                    let adopted = p.with_readings(&adopted_readings).unwrap();
                    let (a, b) = (
                        under.evaluator().record(&inputs).unwrap(),
                        adopted.evaluator().record(&inputs).unwrap(),
                    );
                    let equal = |x: &[Value], y: &[Value]| {
                        x.iter()
                            .zip(y)
                            .all(|(x, y)| onshi::ops::order::values_equal(x, y))
                    };
                    !equal(&a, &b)
                });
                checked += 1;
                if !tells {
                    missing.push(format!("{path}: {} = {}", r.name, o.name));
                }
            }
        }
    }
    assert!(checked >= SHIPPED.len(), "only {checked} options checked");
    assert!(
        missing.is_empty(),
        "options no example tells apart:\n{}",
        missing.join("\n")
    );
}
