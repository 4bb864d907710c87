//! `onshi_diff` across editions: an edition against itself, a copy with one cap changed (for every
//! row of the r7 table), r2 against r7, and the draft front-desk edition of
//! tests/fixtures/diff/r8/front_desk.onshi; assertions with counterexamples.

use onshi::{compile, Compiled, Files, Lang};
use onshi_diff::{self as diff, Edition, Options, Report};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// The repository by path, with some files replaced in memory.
struct Repo(BTreeMap<String, String>);
impl Files for Repo {
    fn read(&self, path: &str) -> Option<String> {
        self.0
            .get(path)
            .cloned()
            .or_else(|| std::fs::read_to_string(root().join(path)).ok())
    }
}

fn load(path: &str) -> Compiled {
    load_with(path, &[])
}

fn load_with(path: &str, replaced: &[(&str, String)]) -> Compiled {
    let files = Repo(
        replaced
            .iter()
            .map(|(p, t)| (p.to_string(), t.clone()))
            .collect(),
    );
    let c = compile(&files, path);
    assert!(c.program.is_some(), "{path}: {:?}", c.diagnostics);
    c
}

fn edition<'a>(c: &'a Compiled, label: &'a str) -> Edition<'a> {
    Edition {
        program: c.program.as_ref().unwrap(),
        sources: &c.sources,
        label,
    }
}

fn run(old: &Compiled, new: &Compiled, opts: &Options) -> Report {
    diff::diff(edition(old, "old"), edition(new, "new"), opts)
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

const R2: &str = "policies/r2/subsidy.onshi";
const R7: &str = "policies/r7/subsidy.onshi";
const FRONT_DESK: &str = "policies/r7/front_desk.onshi";
const DRAFT_FRONT_DESK: &str = "tests/fixtures/diff/r8/front_desk.onshi";
/// An edition drafted beside r7 in memory (never written to disk), so `../common` resolves.
const DRAFT: &str = "policies/r8/subsidy.onshi";

#[test]
fn an_edition_does_not_differ_from_itself() {
    let c = load(R7);
    let r = run(&c, &c, &Options::default());
    assert!(!r.differs(), "{}", r.to_text(Lang::En));
    assert_eq!(r.summary(Lang::Ja), "差分なし");
    assert_eq!(r.schema.outputs.len(), 7);
    assert!(r.points > 10_000, "{} combinations searched", r.points);
    assert!(r
        .to_text(Lang::Ja)
        .contains("差分なし: 共有する出力 7 件は、共有する入力 10 件の"));
}

/// The r7 table rows: the cap as written, and the scope a change of it must be reported for.
const ROWS: [(&str, &str, &str); 7] = [
    (
        "| {訪問診療等, 外来診療等} | 病院             | 1/2    | 41.1万円 ",
        "41.1万円",
        "施設種別 = 病院 × 事業 ∈ {訪問診療等, 外来診療等}（補助区分 = 病院）",
    ),
    (
        "| {訪問診療等, 外来診療等} | 大型チェーン薬局 | 1/2    | 8.5万円  ",
        "8.5万円",
        "施設種別 = 薬局 × 事業 ∈ {訪問診療等, 外来診療等}（補助区分 = 大型チェーン薬局）",
    ),
    (
        "| {訪問診療等, 外来診療等} | 診療所・薬局     | 3/4    | 12.8万円 ",
        "12.8万円",
        "施設種別 ∈ {診療所, 歯科診療所, 薬局} × 事業 ∈ {訪問診療等, 外来診療等}（補助区分 = 診療所・薬局）",
    ),
    (
        "| オンライン診療等         | 病院             | 1/2    | 39万円   ",
        "39万円",
        "施設種別 = 病院 × 事業 = オンライン診療等（補助区分 = 病院）",
    ),
    (
        "| オンライン診療等         | 大型チェーン薬局 | 1/2    | 6.5万円  ",
        "6.5万円",
        "施設種別 = 薬局 × 事業 = オンライン診療等（補助区分 = 大型チェーン薬局）",
    ),
    (
        "| オンライン診療等         | 診療所・薬局     | 3/4    | 9.7万円  ",
        "9.7万円",
        "施設種別 ∈ {診療所, 歯科診療所, 薬局} × 事業 = オンライン診療等（補助区分 = 診療所・薬局）",
    ),
    (
        "| 資格確認限定型           | -                | 3/4    | 3.1万円  ",
        "3.1万円",
        "事業 = 資格確認限定型",
    ),
];

/// The r7 policy with the 補助限度額 of one row lowered by 1,000 yen.
fn with_cap_lowered(row: &str, cap: &str) -> String {
    let text = read(R7);
    assert_eq!(text.matches(row).count(), 1, "row {row:?} in {R7}");
    let lowered = match cap {
        "41.1万円" => "41万円  ",
        "8.5万円" => "8.4万円",
        "12.8万円" => "12.7万円",
        "39万円" => "38.9万円",
        "6.5万円" => "6.4万円",
        "9.7万円" => "9.6万円",
        "3.1万円" => "3万円  ",
        other => panic!("{other}"),
    };
    text.replace(row, &row.replacen(cap, lowered, 1))
}

#[test]
fn one_changed_cap_is_reported_for_exactly_its_class_and_project() {
    let old = load(R7);
    // the first row with the full search (the acceptance case), the others with a smaller budget
    for (n, (row, cap, scope)) in ROWS.iter().enumerate() {
        let new = load_with(DRAFT, &[(DRAFT, with_cap_lowered(row, cap))]);
        let opts = if n == 0 {
            Options::default()
        } else {
            Options {
                budget: 6_000,
                samples: 500,
                ..Options::default()
            }
        };
        let r = run(&old, &new, &opts);
        // 資格確認限定型 pays only a facility outside the obligation (000 本文), so its cap reaches
        // 補助額 only there.
        let paid = if *cap == "3.1万円" {
            format!("{scope} × 義務化対象外 = 真")
        } else {
            (*scope).to_string()
        };
        assert_eq!(
            r.summary(Lang::Ja),
            format!("補助限度額: {scope}\n補助額: {paid}"),
            "{}",
            r.to_text(Lang::Ja)
        );
        // each change has one witness line, and the changed row is named on both sides
        let text = r.to_text(Lang::Ja);
        assert_eq!(text.matches("    例: ").count(), 2, "{text}");
        for c in &r.changes {
            for side in [&c.witness.responsible_old, &c.witness.responsible_new] {
                assert_eq!(side.len(), 1, "{text}");
                assert_eq!(side[0].what.ja, format!("表 補助内容 の {} 行目", n + 1));
                assert!(side[0].changed);
            }
        }
    }
}

#[test]
fn the_hospital_cap_witness_is_one_line() {
    let (row, cap, _) = ROWS[0];
    let old = load(R7);
    let new = load_with(DRAFT, &[(DRAFT, with_cap_lowered(row, cap))]);
    let r = run(&old, &new, &Options::default());
    let limit = &r.changes[0];
    assert_eq!(limit.output, "補助限度額");
    let text = r.to_text(Lang::Ja);
    assert!(
        text.contains(
            "    例: 施設種別 = 病院, 事業 = 訪問診療等, 申請日 = 2025-06-30 (令和7年6月30日) → 旧 411,000円 / 新 410,000円\n"
        ),
        "{text}"
    );
    assert!(text.contains("    旧: 表 補助内容 の 1 行目* policies/r7/subsidy.onshi:65\n"));
    assert!(text.contains("    新: 表 補助内容 の 1 行目* policies/r8/subsidy.onshi:65\n"));
    // the paid amount: the smallest boundary costs that still reach the lowered cap
    let paid = &r.changes[1];
    assert_eq!(paid.output, "補助額");
    assert_eq!(paid.witness.old.text, "411,000円");
    assert_eq!(paid.witness.new.text, "410,000円");
    let json = r.to_json();
    assert_eq!(
        json["changes"][0]["when"]["施設種別"],
        serde_json::json!(["病院"])
    );
    assert_eq!(json["changes"][0]["context"]["補助区分"], "病院");
    assert_eq!(
        json["changes"][0]["witness"]["facts"]["new"],
        serde_json::json!({"施設種別": "病院", "事業": "訪問診療等", "申請日": "2025-06-30"})
    );
}

#[test]
fn r2_against_r7() {
    let (r2, r7) = (load(R2), load(R7));
    let r = run(&r2, &r7, &Options::default());
    // Over the inputs the editions share (施設種別, グループ処方箋受付回数), with every other input at
    // its default, the shared outputs agree: both derive 補助区分 from common/facility.onshi, and
    // with no costs both pay 0円. Everything else is a difference of interface.
    assert_eq!(r.schema.outputs, ["補助区分", "補助額"]);
    assert_eq!(r.schema.inputs, ["施設種別", "グループ処方箋受付回数"]);
    assert!(r.changes.is_empty());
    assert_eq!(
        r.summary(Lang::Ja),
        "出力（旧のみ）: カードリーダー補助額, システム補助限度額, システム補助額\n\
         出力（新のみ）: 補助率, 補助限度額, 対象事業額, 申請期限, 申請可\n\
         入力（旧のみ・既定値のまま）: カードリーダー台数, カードリーダー費用, システム整備費用\n\
         入力（新のみ・既定値のまま）: モバイル端末費用, レセコン改修費用, 汎用機器費用, 補助済事業, 義務化対象外, 機器故障時\n\
         入力（新のみ・必須のため探索）: 事業, 申請日\n\
         前提（旧のみ・証明は新にも仮定）: カードリーダーは1台以上"
    );
    assert_eq!(
        r.summary(Lang::En),
        "outputs only in old: カードリーダー補助額, システム補助限度額, システム補助額\n\
         outputs only in new: 補助率, 補助限度額, 対象事業額, 申請期限, 申請可\n\
         inputs only in old (held at their defaults): カードリーダー台数, カードリーダー費用, システム整備費用\n\
         inputs only in new (held at their defaults): モバイル端末費用, レセコン改修費用, 汎用機器費用, 補助済事業, 義務化対象外, 機器故障時\n\
         inputs only in new (required, so searched): 事業, 申請日\n\
         premises only in old (proofs assume them for new too): カードリーダーは1台以上"
    );
    assert!(r.differs());
    // the hospital pays less in r7 than in r2 whatever the shared facts
    let a = diff::parse_assertion("new.補助額 <= old.補助額").unwrap();
    let held =
        diff::check_assertion(edition(&r2, R2), edition(&r7, R7), &a, &Options::default()).unwrap();
    assert!(held.holds(), "{}", held.to_text(Lang::En));
}

#[test]
fn the_draft_front_desk_accepting_expired_cards() {
    let (old, new) = (load(FRONT_DESK), load(DRAFT_FRONT_DESK));
    let r = run(&old, &new, &Options::default());
    // Both outputs are reported. The scope of the 資格確認可 change is not pinned: since r7 gained
    // 災害時モード, the search reports it as `災害時モード = 偽`, yet 災害時モード = 真 at a facility
    // without オン資 (未導入, 2025-12-02, {健康保険証}) differs too (旧 偽 / 新 真): a witness the
    // search does not reach (reported to the lead).
    let summary = r.summary(Lang::Ja);
    let lines: Vec<&str> = summary.lines().collect();
    assert_eq!(lines.len(), 2, "{}", r.to_text(Lang::Ja));
    assert!(lines[0].starts_with("資格確認可: "), "{summary}");
    assert_eq!(
        lines[1], "確認方法: 列挙・真偽の入力によらない",
        "{summary}"
    );
    let text = r.to_text(Lang::Ja);
    assert!(text.contains(
        "    例: 受診日 = 2025-12-02 (令和7年12月2日), オン資 = 導入済, 提示書類 = {健康保険証} → 旧 確認不可 / 新 オンライン資格確認\n"
    ), "{text}");
    // what is responsible: the changed definition on each side
    let c = &r.changes[1];
    assert_eq!(
        c.witness.responsible_old[0].what.ja,
        "定義 健康保険証が有効"
    );
    assert!(c
        .witness
        .responsible_new
        .iter()
        .any(|x| x.what.ja == "定義 健康保険証の延長期限" && x.changed));
    let a = diff::parse_assertion("new.資格確認可 = old.資格確認可").unwrap();
    let failed = diff::check_assertion(
        edition(&old, "old"),
        edition(&new, "new"),
        &a,
        &Options::default(),
    )
    .unwrap();
    let cx = failed.counterexample.as_ref().expect("a counterexample");
    assert_eq!(
        (cx.left.text.as_str(), cx.right.text.as_str()),
        ("真", "偽")
    );
    assert!(failed.to_text(Lang::En).contains("受診日 = 2025-12-02"));
}

#[test]
fn assertions_over_a_lowered_cap() {
    let (row, cap, _) = ROWS[0];
    let old = load(R7);
    let new = load_with(DRAFT, &[(DRAFT, with_cap_lowered(row, cap))]);
    let opts = Options::default();
    let check = |text: &str| {
        let a = diff::parse_assertion(text).unwrap();
        diff::check_assertion(edition(&old, R7), edition(&new, DRAFT), &a, &opts).unwrap()
    };
    assert!(check("new.補助額 <= old.補助額").holds());
    assert!(check("new.補助限度額 ≤ 旧.補助限度額").holds());
    let failed = check("new.補助額 >= old.補助額");
    let cx = failed.counterexample.as_ref().unwrap();
    assert_eq!(cx.left.text, "410,000円");
    assert_eq!(cx.right.text, "411,000円");
    assert!(cx
        .facts
        .iter()
        .any(|f| f.name == "施設種別" && f.text == "病院"));
    let text = failed.to_text(Lang::Ja);
    assert!(
        text.contains("「new.補助額 >= old.補助額」は成り立たない。反例:"),
        "{text}"
    );
    assert!(
        text.contains("new.補助額 = 410,000円, old.補助額 = 411,000円"),
        "{text}"
    );
    assert!(check("new.補助額 <= 411,000円").holds());
    assert!(!check("new.補助額 < 410,000円").holds());
}

/// The change the search alone missed (issue 25): `<=` → `<` in 施術所対象外 changes 判定 only for a
/// 施術所 whose 受領委任中止予定日 is exactly 令和7年12月2日 — four inputs at once. With a solver on
/// PATH, diff finds it and shows a witness the interpreter reproduced; the unchanged output is proved.
#[test]
fn the_solver_finds_the_four_input_change_the_search_misses() {
    if onshi_solver::Backend::detect().is_none() {
        eprintln!("no solver on PATH: skipped");
        return;
    }
    let path = "policies/r7/obligation.onshi";
    let text = std::fs::read_to_string(root().join(path)).unwrap();
    let edited = text.replace(
        "受領委任中止予定日 <= 施術所の期限",
        "受領委任中止予定日 < 施術所の期限",
    );
    assert_ne!(text, edited);
    let old = load(path);
    let new = load_with(path, &[(path, edited)]);
    let r = run(&old, &new, &Options::default());
    let change = r
        .changes
        .iter()
        .find(|c| c.output == "判定")
        .unwrap_or_else(|| panic!("{}", r.to_text(Lang::Ja)));
    let facts: Vec<&str> = change
        .witness
        .facts
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert!(facts.contains(&"受領委任中止予定日"), "{facts:?}");
    let proofs = r.proofs.as_ref().unwrap();
    assert!(proofs
        .outputs
        .iter()
        .any(|(o, s)| o == "居宅同意取得型" && matches!(s, diff::ProofStatus::Proved { .. })));
}
