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
