//! Semantics of 原則/例外 (principles with exceptions, as in default logic) and the static checks
//! of decision tables (unique hit policy: overlaps are errors, gaps are warnings).

use crate::common;
use common::{compile_src, error, errors, eval, program, run_error, warnings};
use serde_json::{json, Value};

/// The obligation's enum and facts; every test adds one definition `判定` (or `x`).
const HEAD: &str = "列挙 判定区分 = 施行前 | 義務 | 義務化対象外 | 経過措置
入力 判定日: 日付 既定 令和7年4月1日
入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
入力 届出日: 任意<日付>
";

fn src(body: &str) -> String {
    format!("{HEAD}{body}")
}

/// The value of output `判定` of `body` on `facts`.
fn decide(body: &str, facts: Value) -> Value {
    eval(&src(body), facts)["判定"].clone()
}

const PAPER_OR_GRACE: &str = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
";

// ------------------------------------------------------------------ priorities

#[test]
fn principle_only() {
    let body = "出力 判定: 判定区分\n  原則: 義務\n";
    assert_eq!(decide(body, json!({})), json!("義務"));
    assert_eq!(decide(body, json!({"紙レセプト請求": true})), json!("義務"));
}

#[test]
fn exception_beats_principle() {
    assert_eq!(decide(PAPER_OR_GRACE, json!({})), json!("義務"));
    assert_eq!(
        decide(PAPER_OR_GRACE, json!({"紙レセプト請求": true})),
        json!("義務化対象外")
    );
    assert_eq!(
        decide(PAPER_OR_GRACE, json!({"届出済": true})),
        json!("経過措置")
    );
}

#[test]
fn nested_exception_beats_the_exception_it_names() {
    let body = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 経過措置中: もし 届出済 ならば 経過措置
  例外 紙レセプト > 経過措置中: もし 紙レセプト請求 ならば 義務化対象外
";
    assert_eq!(
        decide(body, json!({"紙レセプト請求": true, "届出済": true})),
        json!("義務化対象外")
    );
    assert_eq!(decide(body, json!({"届出済": true})), json!("経過措置"));
    assert_eq!(decide(body, json!({})), json!("義務"));
}

#[test]
fn priority_is_transitive() {
    // 施行前 > 紙レセプト > 経過措置中 > (the principle): 施行前 wins over all three.
    let body = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 経過措置中: もし 届出済 ならば 経過措置
  例外 紙レセプト > 経過措置中: もし 紙レセプト請求 ならば 義務化対象外
  例外 施行前 > 紙レセプト: もし 判定日 < 令和5年4月1日 ならば 施行前
";
    let all = json!({"判定日": "令和5年3月31日", "紙レセプト請求": true, "届出済": true});
    assert_eq!(decide(body, all), json!("施行前"));
    assert_eq!(
        decide(
            body,
            json!({"判定日": "令和5年4月1日", "紙レセプト請求": true, "届出済": true})
        ),
        json!("義務化対象外")
    );
}

#[test]
fn the_english_keywords() {
    let body = "output 判定: 判定区分
  principle 義務化: 義務
  exception 経過措置中: if 届出済 then 経過措置
  exception 紙レセプト over 経過措置中: if 紙レセプト請求 then 義務化対象外
";
    assert_eq!(
        decide(body, json!({"紙レセプト請求": true, "届出済": true})),
        json!("義務化対象外")
    );
}

#[test]
fn equal_rank_exceptions_with_the_same_value_are_fine() {
    let body = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 施術所: もし 届出済 ならば 義務化対象外
";
    assert_eq!(
        decide(body, json!({"紙レセプト請求": true, "届出済": true})),
        json!("義務化対象外")
    );
    // Numbers compare by value across spellings (1/2 and 50%).
    let src = "入力 a: 真偽\n入力 b: 真偽\n出力 x: 割合\n  原則: 1/4\n  例外 甲: もし a ならば 1/2\n  例外 乙: もし b ならば 50%\n";
    assert_eq!(eval(src, json!({"a": true, "b": true}))["x"], json!("1/2"));
}

#[test]
fn equal_rank_exceptions_with_different_values_conflict() {
    let facts = json!({"紙レセプト請求": true, "届出済": true});
    assert_eq!(
        run_error(&src(PAPER_OR_GRACE), facts.clone()),
        "onshi::eval::conflict"
    );
    // The error names both rules, with their spans.
    let p = program(&src(PAPER_OR_GRACE));
    let err = p.evaluator().json(&facts).unwrap_err();
    let d = err.to_diagnostic();
    assert!(d.message.en.contains("`紙レセプト`"), "{}", d.message.en);
    assert!(d.message.en.contains("`経過措置中`"), "{}", d.message.en);
    assert_eq!(d.labels.len(), 2);
    match err {
        onshi::RunError::Eval(e) => match e.kind {
            onshi::EvalErrorKind::Conflict { def, rules } => {
                assert_eq!(def, "判定");
                let labels: Vec<(&str, &str)> = rules
                    .iter()
                    .map(|r| (r.label.as_deref().unwrap_or("原則"), r.value.ja.as_str()))
                    .collect();
                assert_eq!(
                    labels,
                    [("紙レセプト", "義務化対象外"), ("経過措置中", "経過措置")]
                );
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    // A conflict only when both apply.
    assert_eq!(
        decide(PAPER_OR_GRACE, json!({"紙レセプト請求": true})),
        json!("義務化対象外")
    );
}

#[test]
fn a_conflict_in_an_unused_definition_is_not_an_error() {
    // Evaluation computes what the outputs need; a definition no output uses is not evaluated.
    let body = "定義 判定の内訳: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
出力 判定: 判定区分 = 義務
";
    assert_eq!(
        decide(body, json!({"紙レセプト請求": true, "届出済": true})),
        json!("義務")
    );
}

#[test]
fn no_applicable_rule_is_an_error() {
    let body = "出力 判定: 判定区分
  原則 紙: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
";
    assert_eq!(run_error(&src(body), json!({})), "onshi::eval::no_rule");
    assert_eq!(
        decide(body, json!({"紙レセプト請求": true})),
        json!("義務化対象外")
    );
}

#[test]
fn conditional_principles() {
    // Two principles with disjoint conditions; the exception wins over both.
    let body = "出力 判定: 判定区分
  原則 施行後: もし 判定日 >= 令和5年4月1日 ならば 義務
  原則 施行前: もし 判定日 < 令和5年4月1日 ならば 施行前
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
";
    assert!(
        warnings(&src(body)).is_empty(),
        "{:?}",
        warnings(&src(body))
    );
    assert_eq!(
        decide(body, json!({"判定日": "令和5年4月1日"})),
        json!("義務")
    );
    assert_eq!(
        decide(body, json!({"判定日": "令和5年3月31日"})),
        json!("施行前")
    );
    assert_eq!(
        decide(
            body,
            json!({"判定日": "令和5年3月31日", "紙レセプト請求": true})
        ),
        json!("義務化対象外")
    );
}

#[test]
fn presence_in_a_condition_narrows_the_value() {
    // `届出日 が ある` in the condition lets the value use 届出日 as a date.
    let body = "出力 期限: 日付
  原則: 令和5年9月30日
  例外 届出あり: もし 届出日 が ある と 届出済 ならば 届出日 + 6か月
";
    let out = eval(
        &src(body),
        json!({"届出日": "令和5年8月31日", "届出済": true}),
    );
    assert_eq!(out["期限"], json!("2024-02-29"));
    let out = eval(&src(body), json!({"届出済": true}));
    assert_eq!(out["期限"], json!("2023-09-30"));
    // Without the test, the value may not use the optional.
    let unchecked = "出力 期限: 日付
  原則: 令和5年9月30日
  例外 届出あり: もし 届出済 ならば 届出日 + 6か月
";
    assert_eq!(error(&src(unchecked)), "onshi::type::optional");
}

#[test]
fn narrowing_does_not_leak_into_the_next_rule() {
    let body = "出力 期限: 日付
  原則: 令和5年9月30日
  例外 届出あり: もし 届出日 が ある ならば 届出日
  例外 届出済 > 届出あり: もし 届出済 ならば 届出日 + 1日
";
    assert_eq!(error(&src(body)), "onshi::type::optional");
}

#[test]
fn a_rule_cycle_is_an_error() {
    let body = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 A > B: もし 紙レセプト請求 ならば 義務化対象外
  例外 B > A: もし 届出済 ならば 経過措置
";
    assert_eq!(errors(&src(body)), ["onshi::rule::cycle"]);
    let self_loop = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 A > A: もし 紙レセプト請求 ならば 義務化対象外
";
    assert_eq!(errors(&src(self_loop)), ["onshi::rule::cycle"]);
}

#[test]
fn an_unknown_rule_and_a_duplicate_label_are_errors() {
    let unknown = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 A > 存在しない: もし 紙レセプト請求 ならば 義務化対象外
";
    assert_eq!(errors(&src(unknown)), ["onshi::name::unknown"]);
    let twice = "出力 判定: 判定区分
  原則 義務化: 義務
  例外 A: もし 紙レセプト請求 ならば 義務化対象外
  例外 A: もし 届出済 ならば 経過措置
";
    assert_eq!(errors(&src(twice)), ["onshi::name::duplicate"]);
}

#[test]
fn rules_of_a_declared_optional_type_may_give_absent() {
    let body = "出力 期限: 任意<日付>
  原則: 令和5年3月31日
  例外 届出不要: もし 紙レセプト請求 ならば 未設定
";
    assert_eq!(eval(&src(body), json!({}))["期限"], json!("2023-03-31"));
    assert_eq!(
        eval(&src(body), json!({"紙レセプト請求": true}))["期限"],
        json!(null)
    );
    // Undeclared, the type is the join of the values: 任意<日付>.
    let inferred = "定義 期限\n  原則: 令和5年3月31日\n  例外 届出不要: もし 紙レセプト請求 ならば 未設定\n出力 期限あり: 真偽 = 期限 が ある\n";
    assert_eq!(
        eval(&src(inferred), json!({"紙レセプト請求": true}))["期限あり"],
        json!(false)
    );
    // A value of another type is a type error.
    let wrong =
        "出力 期限: 任意<日付>\n  原則: 令和5年3月31日\n  例外 金額: もし 届出済 ならば 1000円\n";
    assert_eq!(error(&src(wrong)), "onshi::type::mismatch");
}

#[test]
fn a_rule_condition_must_be_a_truth_value() {
    let body = "出力 判定: 判定区分\n  原則: 義務\n  例外 A: もし 判定日 ならば 施行前\n";
    assert_eq!(error(&src(body)), "onshi::type::mismatch");
}

#[test]
fn rule_warnings() {
    let never = "出力 判定: 判定区分\n  原則: 義務\n  例外 A: もし 偽 ならば 施行前\n";
    assert_eq!(warnings(&src(never)), ["onshi::rule::unreachable"]);
    let beaten = "出力 判定: 判定区分\n  原則: 義務\n  例外 A: 施行前\n";
    assert_eq!(warnings(&src(beaten)), ["onshi::rule::unreachable"]);
    let conflict = "出力 判定: 判定区分\n  原則 甲: 義務\n  原則 乙: 施行前\n";
    assert_eq!(warnings(&src(conflict)), ["onshi::rule::conflict"]);
    // It still compiles, and evaluating it is the conflict error.
    assert_eq!(
        run_error(&src(conflict), json!({})),
        "onshi::eval::conflict"
    );
    // Same value: no warning, no error.
    let same = "出力 判定: 判定区分\n  原則 甲: 義務\n  原則 乙: 義務\n";
    assert!(warnings(&src(same)).is_empty());
    assert_eq!(decide(same, json!({})), json!("義務"));
    // Rules that never give the value are not also reported as conflicting.
    let overridden =
        "出力 判定: 判定区分\n  原則 甲: 義務\n  原則 乙: 施行前\n  例外 上書き: 経過措置\n";
    assert_eq!(
        warnings(&src(overridden)),
        ["onshi::rule::unreachable", "onshi::rule::unreachable"]
    );
    assert_eq!(decide(overridden, json!({})), json!("経過措置"));
    // Values equal as evaluation sees them do not conflict.
    let ratios = "出力 x: 割合\n  原則 甲: 1/2\n  原則 乙: 50%\n";
    assert!(warnings(ratios).is_empty(), "{:?}", warnings(ratios));
    // The shipped obligation-style definition has none.
    assert!(warnings(&src(PAPER_OR_GRACE)).is_empty());
}

// ------------------------------------------------------------------ tables: unique hit policy

fn table(key_ty: &str, rows: &str) -> String {
    format!(
        "入力 k: {key_ty}
表 上限(キー: {key_ty}) → 金額
  | キー | 上限 |
  |------|------|
{rows}出力 x: 金額 = 上限(k)
"
    )
}

const FACILITY: &str = "列挙 区分 = 病院 | 診療所 | 薬局\n";

#[test]
fn overlapping_rows_with_different_results_are_an_error() {
    let src = format!(
        "{FACILITY}{}",
        table(
            "区分",
            "  | 病院 | 41.1万円 |\n  | {病院, 診療所} | 12.8万円 |\n  | 薬局 | 9.7万円 |\n"
        )
    );
    assert_eq!(errors(&src), ["onshi::table::overlap"]);
    // `-` overlaps every row; it is reported once (with the first row it overlaps).
    let src = format!(
        "{FACILITY}{}",
        table(
            "区分",
            "  | 病院 | 41.1万円 |\n  | 診療所 | 12.8万円 |\n  | 薬局 | 9.7万円 |\n  | - | 0円 |\n"
        )
    );
    assert_eq!(errors(&src), ["onshi::table::overlap"]);
    let c = compile_src(&src);
    let lines: Vec<usize> = c.diagnostics[0]
        .labels
        .iter()
        .map(|l| c.sources.line_col(l.span).0)
        .collect();
    assert_eq!(lines, [9, 6], "the `-` row, then the 病院 row");
}

#[test]
fn overlapping_rows_with_identical_results_are_fine() {
    let src = format!(
        "{FACILITY}{}",
        table(
            "区分",
            "  | 病院 | 41.1万円 |\n  | {病院, 診療所} | 41.1万円 |\n  | 薬局 | 9.7万円 |\n"
        )
    );
    assert!(errors(&src).is_empty());
    assert!(warnings(&src).is_empty(), "{:?}", warnings(&src));
    assert_eq!(eval(&src, json!({"k": "診療所"}))["x"], json!(411000));
    // 41.1万円 and 411,000円 are the same constant.
    let src = format!(
        "{FACILITY}{}",
        table("区分", "  | 病院 | 41.1万円 |\n  | - | 411,000円 |\n")
    );
    assert!(errors(&src).is_empty());
}

#[test]
fn integer_ranges() {
    let disjoint = table(
        "整数",
        "  | < 40000 | 12.8万円 |\n  | 40000以上 | 8.5万円 |\n",
    );
    assert!(errors(&disjoint).is_empty());
    assert_eq!(eval(&disjoint, json!({"k": 39999}))["x"], json!(128000));
    assert_eq!(eval(&disjoint, json!({"k": 40000}))["x"], json!(85000));
    let touching = table(
        "整数",
        "  | <= 40000 | 12.8万円 |\n  | 40000以上 | 8.5万円 |\n",
    );
    assert_eq!(errors(&touching), ["onshi::table::overlap"]);
    // For whole numbers `> 39999` is `≥ 40000`.
    let gt = table(
        "整数",
        "  | < 40000 | 12.8万円 |\n  | > 39999 | 8.5万円 |\n",
    );
    assert!(errors(&gt).is_empty());
    let ranges = table(
        "整数",
        "  | 0 〜 39999 | 12.8万円 |\n  | 40000 〜 99999 | 8.5万円 |\n  | 100000以上 | 0円 |\n",
    );
    assert!(errors(&ranges).is_empty());
    let shared_end = table(
        "整数",
        "  | 0 〜 40000 | 12.8万円 |\n  | 40000 〜 99999 | 8.5万円 |\n",
    );
    assert_eq!(errors(&shared_end), ["onshi::table::overlap"]);
    let suffixes = table(
        "整数",
        "  | 40000未満 | 12.8万円 |\n  | 40000以上 | 8.5万円 |\n",
    );
    assert!(errors(&suffixes).is_empty());
    let both_inclusive = table(
        "整数",
        "  | 40000以下 | 12.8万円 |\n  | 40000以上 | 8.5万円 |\n",
    );
    assert_eq!(errors(&both_inclusive), ["onshi::table::overlap"]);
}

#[test]
fn money_ranges() {
    let disjoint = table("金額", "  | < 1万円 | 0円 |\n  | 1万円以上 | 1000円 |\n");
    assert!(errors(&disjoint).is_empty());
    let touching = table("金額", "  | ≤ 1万円 | 0円 |\n  | ≥ 1万円 | 1000円 |\n");
    assert_eq!(errors(&touching), ["onshi::table::overlap"]);
}

#[test]
fn date_ranges() {
    let disjoint = table(
        "日付",
        "  | < 令和6年12月2日 | 0円 |\n  | 令和6年12月2日以上 | 1000円 |\n",
    );
    assert!(errors(&disjoint).is_empty());
    assert_eq!(
        eval(&disjoint, json!({"k": "令和6年12月1日"}))["x"],
        json!(0)
    );
    assert_eq!(
        eval(&disjoint, json!({"k": "令和6年12月2日"}))["x"],
        json!(1000)
    );
    let touching = table(
        "日付",
        "  | <= 令和6年12月2日 | 0円 |\n  | 令和6年12月2日以上 | 1000円 |\n",
    );
    assert_eq!(errors(&touching), ["onshi::table::overlap"]);
    // Days are whole: `> 12月1日` is `≥ 12月2日`; ranges ending the day before do not touch.
    let ranges = table(
        "日付",
        "  | 令和6年4月1日 〜 令和6年12月1日 | 0円 |\n  | 令和6年12月2日 〜 令和7年3月31日 | 1000円 |\n",
    );
    assert!(errors(&ranges).is_empty());
    let shared_day = table(
        "日付",
        "  | 令和6年4月1日 〜 令和6年12月2日 | 0円 |\n  | 令和6年12月2日 〜 令和7年3月31日 | 1000円 |\n",
    );
    assert_eq!(errors(&shared_day), ["onshi::table::overlap"]);
    let gt = table(
        "日付",
        "  | < 令和6年12月2日 | 0円 |\n  | > 令和6年12月1日 | 1000円 |\n",
    );
    assert!(errors(&gt).is_empty());
}

#[test]
fn two_key_columns_overlap_only_when_every_column_does() {
    let src = format!(
        "{FACILITY}入力 k: 区分
入力 n: 整数
表 上限(区分: 区分, 回数: 整数) → 金額
  | 区分 | 回数 | 上限 |
  |------|------|------|
  | 病院 | - | 41.1万円 |
  | 薬局 | 40000以上 | 8.5万円 |
  | 薬局 | < 40000 | 12.8万円 |
  | 診療所 | - | 12.8万円 |
出力 x: 金額 = 上限(k, n)
"
    );
    assert!(errors(&src).is_empty());
    assert!(warnings(&src).is_empty(), "{:?}", warnings(&src));
    assert_eq!(
        eval(&src, json!({"k": "薬局", "n": 40000}))["x"],
        json!(85000)
    );
    let clash = src.replace("| 薬局 | < 40000 |", "| 薬局 | - |");
    assert_eq!(errors(&clash), ["onshi::table::overlap"]);
}

#[test]
fn a_gap_is_a_warning_that_names_the_missing_combination() {
    let src = format!(
        "{FACILITY}入力 k: 区分
入力 紙: 真偽
表 上限(区分: 区分, 紙: 真偽) → 金額
  | 区分 | 紙 | 上限 |
  |------|----|------|
  | 病院 | - | 41.1万円 |
  | 診療所 | 偽 | 12.8万円 |
  | 薬局 | - | 9.7万円 |
出力 x: 金額 = 上限(k, 紙)
"
    );
    let c = compile_src(&src);
    let gaps: Vec<_> = c
        .diagnostics
        .iter()
        .filter(|d| d.code == "onshi::table::gap")
        .collect();
    assert_eq!(gaps.len(), 1, "{:?}", c.diagnostics);
    assert_eq!(gaps[0].severity, onshi::Severity::Warning);
    assert!(
        gaps[0].message.ja.contains("区分=診療所×紙=真"),
        "{}",
        gaps[0].message.ja
    );
    assert!(gaps[0].message.en.contains("区分=診療所×紙=真"));
    assert!(c.program.is_some(), "a gap does not stop compilation");
    assert_eq!(warnings(&src), ["onshi::table::gap"]);
    // The covered combinations evaluate; the gap is an evaluation error naming the keys.
    assert_eq!(
        eval(&src, json!({"k": "診療所", "紙": false}))["x"],
        json!(128000)
    );
    assert_eq!(
        run_error(&src, json!({"k": "診療所", "紙": true})),
        "onshi::eval::no_row"
    );
}

#[test]
fn many_gaps_are_counted() {
    let src = format!("{FACILITY}{}", table("区分", "  | 病院 | 41.1万円 |\n"));
    let c = compile_src(&src);
    let gap = c
        .diagnostics
        .iter()
        .find(|d| d.code == "onshi::table::gap")
        .expect("a gap");
    assert!(
        gap.message.ja.contains("キー=診療所、キー=薬局"),
        "{}",
        gap.message.ja
    );
}

#[test]
fn a_bad_cell_does_not_add_spurious_overlaps() {
    // `≥ 病院` is no pattern for an enumeration: one error, not also an overlap with the
    // 診療所 row (the bad cell would read as `-`).
    let src = format!(
        "{FACILITY}{}",
        table(
            "区分",
            "  | ≥ 病院 | 41.1万円 |\n  | 診療所 | 12.8万円 |\n  | 薬局 | 9.7万円 |\n"
        )
    );
    assert_eq!(errors(&src), ["onshi::table::pattern"]);
}

#[test]
fn lookups_read_only_the_keys_the_rows_consult() {
    // The 病院 row has `-` for the count: its lookup does not evaluate the second key, so an
    // overflow there does not matter (and an explanation does not list it).
    let src = format!(
        "{FACILITY}入力 k: 区分
入力 n: 整数
表 上限(区分: 区分, 回数: 整数) → 金額
  | 区分 | 回数 | 上限 |
  |------|------|------|
  | 病院 | - | 41.1万円 |
  | {{診療所, 薬局}} | 40000以上 | 8.5万円 |
  | {{診療所, 薬局}} | < 40000 | 12.8万円 |
出力 x: 金額 = 上限(k, n × n)
"
    );
    assert_eq!(
        eval(&src, json!({"k": "病院", "n": 9_999_999_999i64}))["x"],
        json!(411000)
    );
    assert_eq!(
        run_error(&src, json!({"k": "薬局", "n": 9_999_999_999i64})),
        "onshi::eval::overflow"
    );
}
