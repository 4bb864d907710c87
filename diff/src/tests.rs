//! End to end over small policies: literals, a changed cap, interface changes, assertions.

use crate::report::facts_line;
use crate::{check_assertion, diff, parse_assertion, AssertOp, Edition, Literals, Options, Report};
use onshi::compile;
use onshi_grammar::num::Num;
use onshi_grammar::Lang;
use std::collections::BTreeMap;

const COMMON: &str = "列挙 種別 = 病院 | 診療所 | 薬局\n";

fn policy(cap: &str, extra: &str) -> String {
    format!(
        "政策 \"テスト\"\n取込 \"common.onshi\"\n\
入力 種別: 種別\n入力 費用: 金額 既定 0円\n入力 申請日: 日付\n{extra}\
表 上限(種別: 種別) → 金額\n  | 種別 | 上限 |\n  |------|------|\n  | 病院 | {cap} |\n  | {{診療所, 薬局}} | 10万円 |\n\
出力 限度額: 金額 = 上限(種別)\n\
出力 補助額: 金額 = もし 申請日 <= 令和8年1月15日 ならば 最小(限度額, 切り捨て(1/2 × 費用, 1000円)) そうでなければ 0円\n"
    )
}

fn compiled(src: &str) -> onshi::Compiled {
    let mut files = BTreeMap::new();
    files.insert("common.onshi".to_string(), COMMON.to_string());
    files.insert("p.onshi".to_string(), src.to_string());
    let c = compile(&files, "p.onshi");
    assert!(c.program.is_some(), "{:?}", c.diagnostics);
    c
}

fn run(a: &str, b: &str) -> Report {
    let (x, y) = (compiled(a), compiled(b));
    diff(
        Edition {
            program: x.program.as_ref().unwrap(),
            sources: &x.sources,
            label: "old",
        },
        Edition {
            program: y.program.as_ref().unwrap(),
            sources: &y.sources,
            label: "new",
        },
        &Options {
            samples: 200,
            ..Options::default()
        },
    )
}

#[test]
fn literals_and_boundaries() {
    let c = compiled(&policy("41.1万円", ""));
    let lits = Literals::of(c.program.as_ref().unwrap());
    assert!(lits.money.contains(&Num::from_int(411_000)));
    assert!(lits.money.contains(&Num::from_int(1000)));
    let money = lits.money_boundaries();
    for yen in [0, 410_999, 411_000, 411_001, 822_000, 999, 1001] {
        assert!(money.contains(&Num::from_int(yen)), "{yen} in {money:?}");
    }
    let dates: Vec<String> = lits
        .date_boundaries()
        .iter()
        .map(|d| d.to_string())
        .collect();
    assert_eq!(dates, ["2026-01-14", "2026-01-15", "2026-01-16"]);
}

#[test]
fn identical_editions_do_not_differ() {
    let src = policy("41.1万円", "");
    let r = run(&src, &src);
    assert!(!r.differs(), "{}", r.to_text(Lang::En));
    assert!(r.points > 10);
    assert_eq!(r.summary(Lang::En), "no difference");
}

#[test]
fn a_changed_cap_is_grouped_by_the_class_and_shrunk() {
    let r = run(&policy("41.1万円", ""), &policy("40万円", ""));
    let summary = r.summary(Lang::Ja);
    assert_eq!(
        summary,
        "限度額: 種別 = 病院\n補助額: 種別 = 病院",
        "{}",
        r.to_text(Lang::Ja)
    );
    let c = &r.changes[1];
    assert_eq!(c.witness.old.text, "411,000円");
    assert_eq!(c.witness.new.text, "400,000円");
    // the smallest boundary amount that still shows the change: 1/2 × 800,000 reaches 400,000
    let facts = facts_line(&c.witness.facts, Lang::Ja);
    assert!(facts.starts_with("種別 = 病院, 費用 = "), "{facts}");
    assert!(c.witness.responsible_new[0]
        .what
        .ja
        .contains("表 上限 の 1 行目"));
    assert!(c.witness.responsible_new[0].changed);
}

#[test]
fn interface_changes_are_listed() {
    let r = run(
        &policy("41.1万円", ""),
        &policy("41.1万円", "入力 台数: 整数 既定 1\n入力 区分: 種別\n"),
    );
    assert!(r.differs());
    assert_eq!(
        r.schema.inputs_only_new,
        vec![("台数".to_string(), false), ("区分".to_string(), true)]
    );
    assert!(r.changes.is_empty());
}

#[test]
fn assertions_hold_or_give_a_counterexample() {
    let (x, y) = (
        compiled(&policy("41.1万円", "")),
        compiled(&policy("40万円", "")),
    );
    fn ed<'a>(c: &'a onshi::Compiled, label: &'a str) -> Edition<'a> {
        Edition {
            program: c.program.as_ref().unwrap(),
            sources: &c.sources,
            label,
        }
    }
    let opts = Options {
        samples: 100,
        ..Options::default()
    };
    let a = parse_assertion("new.補助額 <= old.補助額").unwrap();
    assert_eq!(a.op, AssertOp::Le);
    let r = check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts).unwrap();
    assert!(r.holds(), "{}", r.to_text(Lang::En));
    let a = parse_assertion("新.補助額 ≥ 旧.補助額").unwrap();
    let r = check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts).unwrap();
    let c = r.counterexample.as_ref().unwrap();
    assert_eq!(c.left.text, "400,000円");
    assert_eq!(c.right.text, "411,000円");
    assert!(r.to_text(Lang::Ja).contains("成り立たない"));
    let a = parse_assertion("new.補助額 <= 400,000円").unwrap();
    assert!(check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts)
        .unwrap()
        .holds());
    assert!(check_assertion(
        ed(&x, "old"),
        ed(&y, "new"),
        &parse_assertion("new.ない <= old.補助額").unwrap(),
        &opts
    )
    .is_err());
    assert!(parse_assertion("new.補助額").is_err());
    assert!(parse_assertion("1 <= 2").is_err());
}

#[test]
fn a_witness_with_free_dates_moves_them_together_to_a_date_a_reader_expects() {
    use crate::joint::Joint;
    use crate::space::Jv;
    use onshi::value::Value;
    let ex = "例 \"期限内\"\n  事実 判定日 = 令和7年5月1日, 期限日 = 令和8年3月31日\n  期待 期限内 = 真\n";
    let old = format!(
        "入力 判定日: 日付\n入力 期限日: 日付\n入力 開始日: 日付 既定 令和7年4月1日\n\
出力 期限内: 真偽 = 判定日 <= 期限日 と 開始日 <= 令和9年4月1日\n{ex}"
    );
    let new = old.replace("判定日 <= 期限日", "判定日 < 期限日");
    let (x, y) = (compiled(&old), compiled(&new));
    fn edition(c: &onshi::Compiled) -> Edition<'_> {
        Edition {
            program: c.program.as_ref().unwrap(),
            sources: &c.sources,
            label: "",
        }
    }
    let mut joint = Joint::new(edition(&x), edition(&y));
    // What a solver's model may say: every date 1970-01-01 (the two compared ones must be equal).
    let epoch = Jv::same(Value::Date(
        chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap(),
    ));
    let point = vec![epoch.clone(); 3];
    let mut pred = |j: &mut Joint, q: &[Jv]| j.differs(0, q);
    assert!(pred(&mut joint, &point));
    let w = joint.shrink(point, &mut pred);
    let date = |name: &str| {
        let j = joint.inputs.iter().position(|ji| ji.name == name).unwrap();
        w[j].old.clone()
    };
    let default = Value::Date(chrono::NaiveDate::from_ymd_opt(2025, 4, 1).unwrap());
    assert_eq!(
        date("開始日"),
        default,
        "the irrelevant date at its default: {w:?}"
    );
    assert_eq!(date("判定日"), date("期限日"), "{w:?}");
    assert_ne!(date("判定日"), epoch.old, "moved off 1970: {w:?}");
    assert!(pred(&mut joint, &w), "still a witness");
}
