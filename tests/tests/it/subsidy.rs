//! The r7 subsidy policy against an independent reference of domain.md §5.1, and "compile once,
//! evaluate many": one Program evaluated on 1,000 facts gives what compiling each time gives.

use crate::common;
use common::r7_subsidy;
use serde_json::{json, Value};

const FACILITIES: [&str; 4] = ["病院", "診療所", "歯科診療所", "薬局"];
const PROJECTS: [&str; 4] = [
    "訪問診療等",
    "オンライン診療等",
    "外来診療等",
    "資格確認限定型",
];

/// A deterministic stream of pseudo-random numbers (no dependency, reproducible).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn facts(r: &mut Lcg) -> Value {
    let money = |r: &mut Lcg| match r.next(4) {
        0 => json!(r.next(2_000_000)),
        1 => json!(format!("{}円", r.next(1_000_000))),
        2 => json!(format!("{}.{}万円", r.next(100), r.next(10))),
        _ => json!([0, 41000, 130000, 781000, 999999][r.next(5) as usize]),
    };
    let mut done = Vec::new();
    for p in PROJECTS {
        if r.next(5) == 0 {
            done.push(p);
        }
    }
    let day = [
        "2025-04-01",
        "令和8年1月15日",
        "2026-01-16",
        "令和7年12月1日",
        "令和元年5月1日",
    ][r.next(5) as usize];
    let facility = FACILITIES[r.next(4) as usize];
    let count = [0, 39999, 40000, 120000][r.next(4) as usize];
    let project = PROJECTS[r.next(4) as usize];
    let outside = r.next(2) == 0;
    json!({
        "施設種別": facility,
        "グループ処方箋受付回数": count,
        "事業": project,
        "モバイル端末費用": money(r),
        "レセコン改修費用": money(r),
        "汎用機器費用": money(r),
        "申請日": day,
        "補助済事業": done,
        "義務化対象外": outside,
    })
}

fn yen(v: &Value) -> i64 {
    match v {
        Value::Number(n) => n.as_i64().unwrap(),
        Value::String(s) => {
            let s = s.trim_end_matches('円');
            match s.strip_suffix('万') {
                Some(m) => {
                    let (a, b) = m.split_once('.').unwrap_or((m, "0"));
                    a.parse::<i64>().unwrap() * 10_000 + b.parse::<i64>().unwrap() * 1000
                }
                None => s.parse().unwrap(),
            }
        }
        _ => panic!("{v}"),
    }
}

/// domain.md §5.1 by hand: (区分, 補助率, 補助限度額, 対象事業額, 申請可, 補助額).
fn reference(f: &Value) -> Value {
    let facility = f["施設種別"].as_str().unwrap();
    let count = f["グループ処方箋受付回数"].as_i64().unwrap();
    let project = f["事業"].as_str().unwrap();
    let class = match facility {
        "病院" => "病院",
        "薬局" if count >= 40000 => "大型チェーン薬局",
        _ => "診療所・薬局",
    };
    // (numerator, denominator, cap, device cap, modification cap)
    let (n, d, cap, dev, modif) = match (project, class) {
        ("資格確認限定型", _) => (3, 4, 31000, 0, 0),
        ("オンライン診療等", "病院") => (1, 2, 390000, 0, 781000),
        ("オンライン診療等", "大型チェーン薬局") => (1, 2, 65000, 0, 130000),
        ("オンライン診療等", _) => (3, 4, 97000, 0, 130000),
        (_, "病院") => (1, 2, 411000, 41000, 781000),
        (_, "大型チェーン薬局") => (1, 2, 85000, 41000, 130000),
        _ => (3, 4, 128000, 41000, 130000),
    };
    let eligible = if project == "資格確認限定型" {
        yen(&f["汎用機器費用"])
    } else {
        yen(&f["モバイル端末費用"]).min(dev) + yen(&f["レセコン改修費用"]).min(modif)
    };
    let done: Vec<&str> = f["補助済事業"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let same_system = ["オンライン診療等", "外来診療等"];
    let excluded = same_system.contains(&project) && done.iter().any(|p| same_system.contains(p));
    let day = match f["申請日"].as_str().unwrap() {
        "令和8年1月15日" => "2026-01-15",
        "令和7年12月1日" => "2025-12-01",
        "令和元年5月1日" => "2019-05-01",
        iso => iso,
    };
    // 資格確認限定型 only for a facility outside the obligation (000 本文, 別添4).
    let outside = f["義務化対象外"].as_bool().unwrap();
    let ok = day <= "2026-01-15"
        && !excluded
        && !done.contains(&project)
        && (project != "資格確認限定型" || outside);
    let paid = if ok {
        cap.min((eligible * n / d).div_euclid(1000) * 1000)
    } else {
        0
    };
    json!({
        "補助区分": class,
        "補助率": format!("{n}/{d}"),
        "補助限度額": cap,
        "対象事業額": eligible,
        "申請期限": "2026-01-15",
        "申請可": ok,
        "補助額": paid,
    })
}

#[test]
fn every_table_row_is_reproduced() {
    let p = r7_subsidy();
    // 補助額 at full business cost equals the cap, for every row of domain.md §5.1.
    let rows = [
        ("訪問診療等", "病院", 0, 411000),
        ("訪問診療等", "薬局", 40000, 85000),
        ("訪問診療等", "診療所", 0, 128000),
        ("オンライン診療等", "病院", 0, 390000),
        ("オンライン診療等", "薬局", 40000, 65000),
        ("オンライン診療等", "歯科診療所", 0, 97000),
        ("外来診療等", "病院", 0, 411000),
        ("外来診療等", "薬局", 40000, 85000),
        ("外来診療等", "薬局", 39999, 128000),
        ("資格確認限定型", "病院", 0, 31000),
        ("資格確認限定型", "薬局", 0, 31000),
    ];
    for (project, facility, count, cap) in rows {
        let facts = json!({
            "施設種別": facility, "事業": project, "グループ処方箋受付回数": count,
            "モバイル端末費用": "4.1万円", "レセコン改修費用": "78.1万円", "汎用機器費用": "4.2万円",
            "申請日": "令和7年12月1日", "義務化対象外": project == "資格確認限定型"
        });
        let out = &p.evaluator().json(&facts).unwrap()["outputs"];
        assert_eq!(out["補助限度額"], json!(cap), "{project} {facility}");
        assert_eq!(out["補助額"], json!(cap), "{project} {facility}: {out}");
    }
}

#[test]
fn online_and_outpatient_share_one_system() {
    let p = r7_subsidy();
    let facts = json!({"施設種別": "病院", "事業": "外来診療等", "申請日": "2025-12-01",
        "モバイル端末費用": 41000, "補助済事業": ["オンライン診療等"]});
    let out = &p.evaluator().json(&facts).unwrap()["outputs"];
    assert_eq!(out["申請可"], json!(false));
    assert_eq!(out["補助額"], json!(0));
    // 訪問診療等 and オンライン診療等 may both be subsidised.
    let facts = json!({"施設種別": "病院", "事業": "訪問診療等", "申請日": "2025-12-01",
        "モバイル端末費用": 41000, "補助済事業": ["オンライン診療等"]});
    assert_eq!(
        p.evaluator().json(&facts).unwrap()["outputs"]["補助額"],
        json!(20000)
    );
}

#[test]
fn small_costs_are_rounded_down_to_the_thousand() {
    let p = r7_subsidy();
    let facts = json!({"施設種別": "診療所", "事業": "訪問診療等", "申請日": "2025-12-01",
        "モバイル端末費用": 1333, "レセコン改修費用": 0});
    // 3/4 × 1,333 = 999.75 → 0
    assert_eq!(
        p.evaluator().json(&facts).unwrap()["outputs"]["補助額"],
        json!(0)
    );
    let facts = json!({"施設種別": "診療所", "事業": "訪問診療等", "申請日": "2025-12-01",
        "モバイル端末費用": 1334});
    // 3/4 × 1,334 = 1,000.5 → 1,000
    assert_eq!(
        p.evaluator().json(&facts).unwrap()["outputs"]["補助額"],
        json!(1000)
    );
}

#[test]
fn compile_once_evaluate_many() {
    let once = r7_subsidy();
    let mut r = Lcg(7);
    let mut seen_classes = std::collections::BTreeSet::new();
    let mut paid = 0;
    for i in 0..1000 {
        let f = facts(&mut r);
        let out = once.evaluator().json(&f).unwrap()["outputs"].clone();
        assert_eq!(out, reference(&f), "facts #{i}: {f}");
        if i % 10 == 0 {
            let fresh = r7_subsidy().evaluator().json(&f).unwrap()["outputs"].clone();
            assert_eq!(out, fresh, "facts #{i}: {f}");
        }
        seen_classes.insert(out["補助区分"].as_str().unwrap().to_string());
        if out["補助額"] != json!(0) {
            paid += 1;
        }
    }
    assert_eq!(seen_classes.len(), 3, "every 補助区分 row was exercised");
    assert!(paid > 100, "enough paying cases: {paid}");
}

#[test]
fn evaluation_has_no_hidden_state() {
    let p = r7_subsidy();
    let a = json!({"施設種別": "病院", "事業": "訪問診療等", "申請日": "2025-12-01", "モバイル端末費用": 41000, "レセコン改修費用": 781000});
    let b = json!({"施設種別": "薬局", "事業": "資格確認限定型", "申請日": "2026-02-01"});
    let first = p.evaluator().json(&a).unwrap();
    let _ = p.evaluator().json(&b).unwrap();
    let _ = p.evaluator().json(&json!({"bad": 1}));
    assert_eq!(p.evaluator().json(&a).unwrap(), first);
}

#[test]
fn evaluation_from_several_threads() {
    let p = std::sync::Arc::new(r7_subsidy());
    let handles: Vec<_> = (0..4u64)
        .map(|t| {
            let p = p.clone();
            std::thread::spawn(move || {
                let mut r = Lcg(100 + t);
                for _ in 0..100 {
                    let f = facts(&mut r);
                    assert_eq!(p.evaluator().json(&f).unwrap()["outputs"], reference(&f));
                }
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
