//! Units, rounding, calendar arithmetic, tables, matches and optionals, each asserted on the value
//! a whole policy computes (or the diagnostic code it is rejected with).

use crate::common;
use common::{error, errors, eval, out, run_error, val, warnings};
use serde_json::json;

// ------------------------------------------------------------------ unit rules

#[test]
fn money_times_ratio() {
    assert_eq!(val("金額", "822000円 × 1/2"), json!(411000));
}
#[test]
fn ratio_times_money() {
    assert_eq!(val("金額", "75% × 171000円"), json!(128250));
}
#[test]
fn money_times_integer() {
    assert_eq!(val("金額", "99000円 × 3"), json!(297000));
}
#[test]
fn money_times_ratio_exact_fraction() {
    assert_eq!(val("金額", "1円 × 1/3"), json!("1/3"));
}
#[test]
fn money_plus_money() {
    assert_eq!(val("金額", "41000円 + 781000円"), json!(822000));
}
#[test]
fn money_minus_money() {
    assert_eq!(val("金額", "100円 - 300円"), json!(-200));
}
#[test]
fn money_divided_by_integer() {
    assert_eq!(val("金額", "1000円 ÷ 4"), json!(250));
}
#[test]
fn money_divided_by_money_is_ratio() {
    assert_eq!(val("割合", "411000円 ÷ 822000円"), json!("1/2"));
}
#[test]
fn money_divided_by_money_infers_ratio() {
    assert_eq!(out("出力 x = 3円 / 4円"), json!("3/4"));
}
#[test]
fn money_divided_by_zero_money() {
    assert_eq!(
        run_error("入力 a: 金額 既定 0円\n出力 x: 割合 = 1円 ÷ a", json!({})),
        "onshi::eval::division_by_zero"
    );
}
#[test]
fn integer_division_is_ratio() {
    assert_eq!(val("割合", "3 / 4"), json!("3/4"));
}
#[test]
fn integer_arithmetic() {
    assert_eq!(val("整数", "2 + 3 × 4 - 1"), json!(13));
}
#[test]
fn integer_overflow_is_an_error() {
    assert_eq!(
        run_error(
            "入力 a: 整数 既定 9223372036854775807\n出力 x: 整数 = a + 1",
            json!({})
        ),
        "onshi::eval::overflow"
    );
}
#[test]
fn ratio_plus_ratio() {
    assert_eq!(val("割合", "1/2 + 1/4"), json!("3/4"));
}
#[test]
fn date_minus_date_is_days() {
    assert_eq!(val("整数", "令和8年1月15日 - 令和7年12月1日"), json!(45));
}
#[test]
fn date_minus_date_infers_integer() {
    assert_eq!(out("出力 x = 2024-03-01 - 2024-02-01"), json!(29));
}
#[test]
fn date_minus_later_date_is_negative() {
    assert_eq!(val("整数", "2025-01-01 - 2025-01-11"), json!(-10));
}
#[test]
fn duration_times_integer() {
    assert_eq!(val("日付", "2025-01-31 + 2 × 1か月"), json!("2025-03-31"));
}
#[test]
fn money_plus_date() {
    assert_eq!(error("出力 x = 100円 + 2025-01-01"), "onshi::type::unit");
}
#[test]
fn date_plus_money() {
    assert_eq!(error("出力 x = 2025-01-01 + 100円"), "onshi::type::unit");
}
#[test]
fn money_times_money() {
    assert_eq!(error("出力 x = 100円 × 100円"), "onshi::type::unit");
}
#[test]
fn integer_plus_money() {
    assert_eq!(error("出力 x = 1 + 100円"), "onshi::type::unit");
}
#[test]
fn money_plus_integer() {
    assert_eq!(error("出力 x = 100円 + 1"), "onshi::type::unit");
}
#[test]
fn date_plus_date() {
    assert_eq!(
        error("出力 x = 2025-01-01 + 2025-01-02"),
        "onshi::type::unit"
    );
}
#[test]
fn date_times_integer() {
    assert_eq!(error("出力 x = 2025-01-01 × 2"), "onshi::type::unit");
}
#[test]
fn integer_divided_by_money() {
    assert_eq!(error("出力 x = 2 ÷ 100円"), "onshi::type::unit");
}
#[test]
fn money_plus_ratio() {
    assert_eq!(error("出力 x = 100円 + 1/2"), "onshi::type::unit");
}
#[test]
fn bool_plus_integer() {
    assert_eq!(error("出力 x = 真 + 1"), "onshi::type::unit");
}
#[test]
fn negate_date() {
    assert_eq!(error("出力 x = -2025-01-01"), "onshi::type::unit");
}
#[test]
fn money_declared_as_integer() {
    assert_eq!(error("出力 x: 整数 = 100円"), "onshi::type::mismatch");
}
#[test]
fn compare_money_with_date() {
    assert_eq!(
        error("出力 x = 100円 < 2025-01-01"),
        "onshi::type::not_comparable"
    );
}
#[test]
fn unit_error_in_input_reports_once() {
    assert_eq!(
        errors("入力 a: 金額\n出力 x = a × a + a"),
        vec!["onshi::type::unit"]
    );
}

// ------------------------------------------------------------------ rounding

#[test]
fn round_down_thousand() {
    assert_eq!(val("金額", "切り捨て(128250円, 1000円)"), json!(128000));
}
#[test]
fn round_up_thousand() {
    assert_eq!(val("金額", "切り上げ(128250円, 1000円)"), json!(129000));
}
#[test]
fn round_half_thousand_below() {
    assert_eq!(val("金額", "四捨五入(2499円, 1000円)"), json!(2000));
}
#[test]
fn round_half_thousand_exact_half() {
    assert_eq!(val("金額", "四捨五入(2500円, 1000円)"), json!(3000));
}
#[test]
fn round_half_exact_multiple() {
    assert_eq!(val("金額", "四捨五入(3000円, 1000円)"), json!(3000));
}
#[test]
fn round_down_exact_multiple() {
    assert_eq!(val("金額", "切り捨て(411000円, 1000円)"), json!(411000));
}
#[test]
fn round_up_exact_multiple() {
    assert_eq!(val("金額", "切り上げ(411000円, 1000円)"), json!(411000));
}
#[test]
fn round_down_one_yen() {
    assert_eq!(val("金額", "切り捨て(1000円 × 1/3, 1円)"), json!(333));
}
#[test]
fn round_up_one_yen() {
    assert_eq!(val("金額", "切り上げ(1000円 × 1/3, 1円)"), json!(334));
}
#[test]
fn round_half_one_yen_half() {
    assert_eq!(val("金額", "四捨五入(5円 × 1/2, 1円)"), json!(3));
}
#[test]
fn round_half_one_yen_below_half() {
    assert_eq!(val("金額", "四捨五入(1000円 × 1/3, 1円)"), json!(333));
}
#[test]
fn round_half_one_yen_above_half() {
    assert_eq!(val("金額", "四捨五入(2000円 × 1/3, 1円)"), json!(667));
}
#[test]
fn round_down_negative_goes_down() {
    assert_eq!(val("金額", "切り捨て(-1500円, 1000円)"), json!(-2000));
}
#[test]
fn round_up_negative_goes_up() {
    assert_eq!(val("金額", "切り上げ(-1500円, 1000円)"), json!(-1000));
}
#[test]
fn round_half_negative_half_away_from_zero() {
    assert_eq!(val("金額", "四捨五入(-2500円, 1000円)"), json!(-3000));
}
#[test]
fn round_half_negative_below_half() {
    assert_eq!(val("金額", "四捨五入(-2499円, 1000円)"), json!(-2000));
}
#[test]
fn round_english_names() {
    assert_eq!(val("金額", "round_down(1999円, 1000円)"), json!(1000));
}
#[test]
fn round_integer() {
    assert_eq!(val("整数", "切り捨て(1999, 1000)"), json!(1000));
}
#[test]
fn round_zero_unit_at_runtime() {
    assert_eq!(
        run_error(
            "入力 u: 金額 既定 0円\n出力 x: 金額 = 切り捨て(1500円, u)",
            json!({})
        ),
        "onshi::eval::rounding_unit"
    );
}
#[test]
fn round_negative_unit_from_facts() {
    assert_eq!(
        run_error(
            "入力 u: 金額\n出力 x: 金額 = 四捨五入(1500円, u)",
            json!({"u": -1000})
        ),
        "onshi::eval::rounding_unit"
    );
}
#[test]
fn round_unit_must_be_money() {
    assert_eq!(
        error("出力 x = 切り捨て(1500円, 1000)"),
        "onshi::type::mismatch"
    );
}
#[test]
fn round_arity() {
    assert_eq!(error("出力 x = 切り捨て(1500円)"), "onshi::type::arity");
}
#[test]
fn round_date() {
    assert_eq!(
        error("出力 x = 切り捨て(2025-01-01, 1000円)"),
        "onshi::type::mismatch"
    );
}
#[test]
fn min_of_money() {
    assert_eq!(
        val("金額", "最小(411000円, 500000円, 411001円)"),
        json!(411000)
    );
}
#[test]
fn max_of_dates() {
    assert_eq!(
        val("日付", "最大(2025-01-01, 令和7年12月1日)"),
        json!("2025-12-01")
    );
}
#[test]
fn min_mixed_units() {
    assert!(!errors("出力 x = 最小(1円, 2025-01-01)").is_empty());
}

// ------------------------------------------------------------------ calendar arithmetic (民法143条)

#[test]
fn month_end_clamps_to_leap_day() {
    assert_eq!(val("日付", "2023-08-31 + 6か月"), json!("2024-02-29"));
}
#[test]
fn month_end_january_to_february_leap() {
    assert_eq!(val("日付", "2024-01-31 + 1か月"), json!("2024-02-29"));
}
#[test]
fn month_end_january_to_february() {
    assert_eq!(val("日付", "2025-01-31 + 1か月"), json!("2025-02-28"));
}
#[test]
fn month_end_to_30_day_month() {
    assert_eq!(val("日付", "2025-03-31 + 1か月"), json!("2025-04-30"));
}
#[test]
fn months_over_year_end() {
    assert_eq!(val("日付", "2025-11-30 + 3か月"), json!("2026-02-28"));
}
#[test]
fn months_then_days() {
    assert_eq!(val("日付", "2025-01-31 + 1か月 + 1日"), json!("2025-03-01"));
}
#[test]
fn subtract_months() {
    assert_eq!(val("日付", "2024-05-31 - 3か月"), json!("2024-02-29"));
}
#[test]
fn duration_first_operand() {
    assert_eq!(val("日付", "6か月 + 2023-08-31"), json!("2024-02-29"));
}
#[test]
fn end_of_month_builtin() {
    assert_eq!(val("日付", "月末(2024-02-10)"), json!("2024-02-29"));
}
#[test]
fn end_of_month_december() {
    assert_eq!(val("日付", "月末(2025-12-01)"), json!("2025-12-31"));
}
#[test]
fn start_of_month_builtin() {
    assert_eq!(val("日付", "月初(2025-12-25)"), json!("2025-12-01"));
}
#[test]
fn next_day_over_year_end() {
    assert_eq!(val("日付", "翌日(2025-12-31)"), json!("2026-01-01"));
}
#[test]
fn next_day_leap() {
    assert_eq!(val("日付", "翌日(2024-02-28)"), json!("2024-02-29"));
}
#[test]
fn previous_day_over_month() {
    assert_eq!(val("日付", "前日(2024-03-01)"), json!("2024-02-29"));
}
#[test]
fn previous_day_era_boundary() {
    assert_eq!(val("日付", "前日(令和元年5月1日)"), json!("2019-04-30"));
}
#[test]
fn next_day_of_month_end_plus_months() {
    assert_eq!(
        val("日付", "翌日(月末(2023-08-31 + 6か月))"),
        json!("2024-03-01")
    );
}
#[test]
fn date_out_of_range() {
    assert_eq!(
        run_error(
            "入力 d: 日付 既定 9999-12-31\n出力 x: 日付 = 翌日(d)",
            json!({})
        ),
        "onshi::eval::date_range"
    );
}
#[test]
fn dates_compare() {
    assert_eq!(val("真偽", "令和8年1月15日 <= 2026-01-15"), json!(true));
}
#[test]
fn incomparable_durations() {
    assert_eq!(
        run_error(
            "入力 a: 期間 既定 1か月\n出力 x: 真偽 = a < 30日",
            json!({})
        ),
        "onshi::eval::incomparable_durations"
    );
}

// ------------------------------------------------------------------ tables

const CLASSES: &str = "列挙 区分 = 病院 | 大型チェーン薬局 | 診療所・薬局\n列挙 種別 = 病院 | 診療所 | 歯科診療所 | 薬局\n";

fn table_out(table: &str, expr: &str, facts: serde_json::Value) -> serde_json::Value {
    let src =
        format!("{CLASSES}入力 k: 種別 既定 病院\n入力 n: 整数 既定 0\n{table}\n出力 x = {expr}\n");
    eval(&src, facts)["x"].clone()
}

// Tables use the unique hit policy: the rows of each table here are disjoint.
const RATE: &str = "表 率(種別: 種別) → 割合
  | {病院, 薬局}         | 1/2 |
  | {診療所, 歯科診療所} | 3/4 |";

#[test]
fn table_set_cell_first() {
    assert_eq!(table_out(RATE, "率(k)", json!({"k": "病院"})), json!("1/2"));
}
#[test]
fn table_set_cell_second() {
    assert_eq!(table_out(RATE, "率(k)", json!({"k": "薬局"})), json!("1/2"));
}
#[test]
fn table_second_row() {
    assert_eq!(
        table_out(RATE, "率(k)", json!({"k": "歯科診療所"})),
        json!("3/4")
    );
}
#[test]
fn table_wildcard_row() {
    let t = "表 率(種別: 種別) → 割合\n  | - | 3/4 |";
    assert_eq!(
        table_out(t, "率(k)", json!({"k": "歯科診療所"})),
        json!("3/4")
    );
}
#[test]
fn table_constant_key() {
    assert_eq!(table_out(RATE, "率(診療所)", json!({})), json!("3/4"));
}

const CHAIN: &str = "表 規模(回数: 整数) → 区分
  | 40000以上 | 大型チェーン薬局 |
  | 40000未満 | 診療所・薬局     |";
#[test]
fn table_suffix_cell_at_bound() {
    assert_eq!(
        table_out(CHAIN, "規模(n)", json!({"n": 40000})),
        json!("大型チェーン薬局")
    );
}
#[test]
fn table_suffix_cell_below_bound() {
    assert_eq!(
        table_out(CHAIN, "規模(n)", json!({"n": 39999})),
        json!("診療所・薬局")
    );
}

const CMP: &str = "表 規模(回数: 整数) → 区分
  | >= 40000 | 大型チェーン薬局 |
  | < 40000  | 診療所・薬局     |";
#[test]
fn table_compare_cell_at_bound() {
    assert_eq!(
        table_out(CMP, "規模(n)", json!({"n": 40000})),
        json!("大型チェーン薬局")
    );
}
#[test]
fn table_compare_cell_below() {
    assert_eq!(
        table_out(CMP, "規模(n)", json!({"n": 0})),
        json!("診療所・薬局")
    );
}

const BANDS: &str = "表 帯(回数: 整数) → 整数
  | 0 〜 9      | 1 |
  | 10 ~ 99     | 2 |
  | 100 .. 999  | 3 |
  | 1000超      | 4 |
  | 未満0 | 0 |";
const BANDS_OK: &str = "表 帯(回数: 整数) → 整数
  | 0 〜 9      | 1 |
  | 10 ~ 99     | 2 |
  | 100 .. 999  | 3 |
  | 999超       | 4 |";
#[test]
fn table_range_low_end_included() {
    assert_eq!(table_out(BANDS_OK, "帯(n)", json!({"n": 10})), json!(2));
}
#[test]
fn table_range_high_end_included() {
    assert_eq!(table_out(BANDS_OK, "帯(n)", json!({"n": 99})), json!(2));
}
#[test]
fn table_range_dots() {
    assert_eq!(table_out(BANDS_OK, "帯(n)", json!({"n": 500})), json!(3));
}
#[test]
fn table_range_over() {
    assert_eq!(table_out(BANDS_OK, "帯(n)", json!({"n": 1000})), json!(4));
}
#[test]
fn table_malformed_cell_is_rejected() {
    assert!(!errors(&format!("{CLASSES}{BANDS}\n出力 x = 帯(1)")).is_empty());
}
#[test]
fn table_no_row() {
    let src = format!("{CLASSES}入力 n: 整数\n{BANDS_OK}\n出力 x = 帯(n)\n");
    assert_eq!(run_error(&src, json!({"n": -1})), "onshi::eval::no_row");
}
#[test]
fn table_no_row_message_names_table_and_key() {
    let src = format!("{CLASSES}入力 n: 整数\n{BANDS_OK}\n出力 x = 帯(n)\n");
    let p = common::program(&src);
    let e = p.evaluator().json(&json!({"n": -5})).unwrap_err();
    let msg = e.to_diagnostic().message.ja;
    assert!(msg.contains("帯") && msg.contains("回数=-5"), "{msg}");
}

const MULTI: &str = "表 内容(種別: 種別, 区分: 区分) → (補助率: 割合, 限度額: 金額)
  | 種別          | 区分             | 補助率 | 限度額   |
  |---------------|------------------|--------|----------|
  | 病院          | 病院             | 1/2    | 41.1万円 |
  | {薬局}        | 大型チェーン薬局 | 1/2    | 8.5万円  |
  | {診療所, 歯科診療所} | -         | 3/4    | 12.8万円 |";
#[test]
fn table_header_row_is_not_data() {
    assert_eq!(
        table_out(MULTI, "内容(k, 病院).限度額", json!({"k": "病院"})),
        json!(411000)
    );
}
#[test]
fn table_two_keys_second_row() {
    assert_eq!(
        table_out(
            MULTI,
            "内容(k, 大型チェーン薬局).限度額",
            json!({"k": "薬局"})
        ),
        json!(85000)
    );
}
#[test]
fn table_two_keys_fallback() {
    assert_eq!(
        table_out(
            MULTI,
            "内容(k, 大型チェーン薬局).補助率",
            json!({"k": "診療所"})
        ),
        json!("3/4")
    );
}
#[test]
fn table_row_as_json_object() {
    assert_eq!(
        table_out(MULTI, "内容(k, 病院)", json!({})),
        json!({"補助率": "1/2", "限度額": 411000})
    );
}
#[test]
fn table_unknown_column() {
    assert_eq!(
        error(&format!("{CLASSES}{MULTI}\n出力 x = 内容(病院, 病院).上限")),
        "onshi::name::unknown"
    );
}
#[test]
fn table_header_mismatch() {
    let bad = MULTI.replace("| 補助率 |", "| 割合 |");
    assert_eq!(
        error(&format!("{CLASSES}{bad}\n出力 x = 内容(病院, 病院).補助率")),
        "onshi::table::header"
    );
}
#[test]
fn table_row_width() {
    let src =
        format!("{CLASSES}表 率(種別: 種別) → 割合\n  | 病院 | 1/2 | 3/4 |\n出力 x = 率(病院)");
    assert_eq!(error(&src), "onshi::table::width");
}
#[test]
fn table_overlapping_rows_are_an_error() {
    // Unique hit policy: no "first matching row wins" between rows that disagree.
    let src = format!(
        "{CLASSES}表 率(種別: 種別) → 割合\n  | - | 1/4 |\n  | 病院 | 1/2 |\n出力 x = 率(病院)"
    );
    assert_eq!(error(&src), "onshi::table::overlap");
}
#[test]
fn table_overlapping_rows_that_agree() {
    let t = "表 率(種別: 種別) → 割合\n  | - | 1/4 |\n  | 病院 | 1/4 |";
    assert_eq!(table_out(t, "率(病院)", json!({})), json!("1/4"));
}
#[test]
fn table_single_result_date_column() {
    let t = "表 期限(種別: 種別) → 日付\n  | 病院 | 令和8年1月15日 |\n  | {診療所, 歯科診療所, 薬局} | 2026-01-31 |";
    assert_eq!(
        table_out(t, "期限(k)", json!({"k": "薬局"})),
        json!("2026-01-31")
    );
}
#[test]
fn table_money_range_key() {
    let t = "表 段階(費用: 金額) → 整数\n  | 0円 〜 9.9万円 | 1 |\n  | 10万円以上 | 2 |";
    assert_eq!(table_out(t, "段階(10万円)", json!({})), json!(2));
}
#[test]
fn table_date_key() {
    let t = "表 期(日: 日付) → 整数\n  | 令和7年4月1日 〜 令和8年3月31日 | 7 |\n  | 令和8年4月1日以上 | 8 |";
    assert_eq!(table_out(t, "期(2026-03-31)", json!({})), json!(7));
    assert_eq!(table_out(t, "期(2026-04-01)", json!({})), json!(8));
}
#[test]
fn table_range_on_enum_key_is_bad() {
    let src =
        format!("{CLASSES}表 率(種別: 種別) → 割合\n  | 病院 〜 薬局 | 1/2 |\n出力 x = 率(病院)");
    assert_eq!(error(&src), "onshi::table::pattern");
}
#[test]
fn table_key_cell_must_be_constant() {
    let src = format!("{CLASSES}入力 n: 整数\n表 t(回数: 整数) → 整数\n  | n | 1 |\n出力 x = t(1)");
    assert_eq!(error(&src), "onshi::type::not_constant");
}
#[test]
fn table_lookup_arity() {
    assert_eq!(
        error(&format!("{CLASSES}{RATE}\n出力 x = 率(病院, 病院)")),
        "onshi::type::arity"
    );
}

// ------------------------------------------------------------------ match

const FAC: &str =
    "列挙 種別 = 病院 | 診療所 | 歯科診療所 | 薬局\n  群 医科 = 病院 | 診療所\n入力 k: 種別\n";

fn m(body: &str, k: &str) -> serde_json::Value {
    eval(&format!("{FAC}出力 x = {body}\n"), json!({"k": k}))["x"].clone()
}

const EXHAUSTIVE: &str = "場合 k { 病院 → 1; 診療所 → 2; 歯科診療所 → 3; 薬局 → 4 }";
#[test]
fn match_first_arm() {
    assert_eq!(m(EXHAUSTIVE, "病院"), json!(1));
}
#[test]
fn match_last_arm() {
    assert_eq!(m(EXHAUSTIVE, "薬局"), json!(4));
}
#[test]
fn match_newline_arms() {
    assert_eq!(
        m(
            "場合 k {\n  病院 → 1\n  診療所 | 歯科診療所 → 2\n  薬局 → 3\n}",
            "歯科診療所"
        ),
        json!(2)
    );
}
#[test]
fn match_alternatives() {
    assert_eq!(
        m(
            "場合 k { 病院 | 薬局 → 1; 診療所 | 歯科診療所 → 2 }",
            "薬局"
        ),
        json!(1)
    );
}
#[test]
fn match_group_pattern() {
    assert_eq!(
        m("場合 k { 医科 → 1; 歯科診療所 → 2; 薬局 → 3 }", "診療所"),
        json!(1)
    );
}
#[test]
fn match_otherwise() {
    assert_eq!(m("場合 k { 病院 → 1; その他 → 9 }", "薬局"), json!(9));
}
#[test]
fn match_otherwise_not_taken() {
    assert_eq!(m("場合 k { 病院 → 1; その他 → 9 }", "病院"), json!(1));
}
#[test]
fn match_underscore() {
    assert_eq!(m("場合 k { 病院 → 1; _ → 9 }", "診療所"), json!(9));
}
#[test]
fn match_qualified_variant() {
    assert_eq!(m("場合 k { 種別.病院 → 1; その他 → 2 }", "病院"), json!(1));
}
#[test]
fn match_widens_branches() {
    assert_eq!(m("場合 k { 病院 → 1/2; その他 → 1 }", "薬局"), json!("1/1"));
}
#[test]
fn match_money_result() {
    assert_eq!(
        m("場合 k { 病院 → 41.1万円; その他 → 12.8万円 }", "病院"),
        json!(411000)
    );
}
#[test]
fn match_not_exhaustive() {
    assert_eq!(
        error(&format!("{FAC}出力 x = 場合 k {{ 病院 → 1; 診療所 → 2 }}")),
        "onshi::type::not_exhaustive"
    );
}
#[test]
fn match_group_not_exhaustive() {
    assert_eq!(
        error(&format!("{FAC}出力 x = 場合 k {{ 医科 → 1; 薬局 → 2 }}")),
        "onshi::type::not_exhaustive"
    );
}
#[test]
fn match_unreachable_arm_is_a_warning() {
    let src = format!("{FAC}出力 x = 場合 k {{ 医科 → 1; 病院 → 2; その他 → 3 }}");
    assert_eq!(warnings(&src), vec!["onshi::type::unreachable_arm"]);
    assert!(errors(&src).is_empty());
}
#[test]
fn match_arms_of_different_types() {
    assert_eq!(
        error(&format!(
            "{FAC}出力 x = 場合 k {{ 病院 → 1円; その他 → 2025-01-01 }}"
        )),
        "onshi::type::mismatch"
    );
}
#[test]
fn match_on_integer() {
    assert_eq!(
        error(&format!("{FAC}出力 x = 場合 1 {{ 病院 → 1; その他 → 2 }}")),
        "onshi::type::mismatch"
    );
}
#[test]
fn match_wrong_enum_pattern() {
    let src = format!("{FAC}列挙 色 = 赤 | 青\n出力 x = 場合 k {{ 赤 → 1; その他 → 2 }}");
    assert_eq!(error(&src), "onshi::type::mismatch");
}
#[test]
fn variant_in_group() {
    assert_eq!(m("k ∈ 医科", "診療所"), json!(true));
}
#[test]
fn variant_not_in_set() {
    assert_eq!(m("k ∉ {病院, 薬局}", "診療所"), json!(true));
}

// ------------------------------------------------------------------ if, optionals and sets

#[test]
fn if_else_if_chain() {
    let src = "入力 n: 整数\n出力 x = もし n > 10 ならば 3 そうでなければもし n > 5 ならば 2 そうでなければ 1";
    assert_eq!(eval(src, json!({"n": 7}))["x"], json!(2));
}
#[test]
fn if_english_keywords() {
    assert_eq!(
        out("input n: int default 3\noutput x = if n > 2 then 1 else_if n > 1 then 2 else 3"),
        json!(1)
    );
}
#[test]
fn if_condition_must_be_bool() {
    assert_eq!(
        error("出力 x = もし 1 ならば 1 そうでなければ 2"),
        "onshi::type::mismatch"
    );
}
#[test]
fn and_or_not() {
    assert_eq!(val("真偽", "(真 と 偽) または not 偽"), json!(true));
}
#[test]
fn postfix_not() {
    assert_eq!(val("真偽", "(1 > 2) でない"), json!(true));
}
#[test]
fn and_short_circuits() {
    let src = "入力 a: 金額 既定 0円\n出力 x: 真偽 = a ≠ 0円 かつ 1円 ÷ a > 1/2";
    assert_eq!(eval(src, json!({}))["x"], json!(false));
}

const OPT: &str = "入力 d: 任意<日付>\n";
#[test]
fn optional_input_absent_by_default() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d"), json!({}))["x"],
        json!(null)
    );
}
#[test]
fn optional_input_null_in_facts() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d"), json!({"d": null}))["x"],
        json!(null)
    );
}
#[test]
fn optional_input_present() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d"), json!({"d": "令和7年12月1日"}))["x"],
        json!("2025-12-01")
    );
}
#[test]
fn optional_is_present() {
    assert_eq!(
        eval(
            &format!("{OPT}出力 x = d が ある"),
            json!({"d": "2025-01-01"})
        )["x"],
        json!(true)
    );
}
#[test]
fn optional_is_absent() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d が ない"), json!({}))["x"],
        json!(true)
    );
}
#[test]
fn optional_english_presence() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d is absent"), json!({}))["x"],
        json!(true)
    );
}
#[test]
fn optional_narrowed_in_then() {
    let src =
        format!("{OPT}出力 x: 日付 = もし d が ある ならば d + 6か月 そうでなければ 2000-01-01");
    assert_eq!(
        eval(&src, json!({"d": "2023-08-31"}))["x"],
        json!("2024-02-29")
    );
    assert_eq!(eval(&src, json!({}))["x"], json!("2000-01-01"));
}
#[test]
fn optional_narrowed_in_else() {
    let src =
        format!("{OPT}出力 x: 日付 = もし d が ない ならば 2000-01-01 そうでなければ 翌日(d)");
    assert_eq!(
        eval(&src, json!({"d": "2025-12-31"}))["x"],
        json!("2026-01-01")
    );
}
#[test]
fn optional_narrowed_after_and() {
    let src = format!("{OPT}出力 x: 真偽 = d が ある と d < 2025-01-01");
    assert_eq!(eval(&src, json!({"d": "2024-12-31"}))["x"], json!(true));
    assert_eq!(eval(&src, json!({}))["x"], json!(false));
}
#[test]
fn optional_not_narrowed_after_or() {
    assert_eq!(
        error(&format!(
            "{OPT}出力 x: 真偽 = d が ある または d < 2025-01-01"
        )),
        "onshi::type::optional"
    );
}
#[test]
fn optional_used_without_test() {
    assert_eq!(
        error(&format!("{OPT}出力 x: 日付 = d + 1日")),
        "onshi::type::optional"
    );
}
#[test]
fn optional_compared_without_test() {
    assert_eq!(
        error(&format!("{OPT}出力 x = d < 2025-01-01")),
        "onshi::type::optional"
    );
}
#[test]
fn optional_default_builtin_absent() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = 既定値(d, 2026-01-15)"), json!({}))["x"],
        json!("2026-01-15")
    );
}
#[test]
fn optional_default_builtin_present() {
    assert_eq!(
        eval(
            &format!("{OPT}出力 x = 既定値(d, 2026-01-15)"),
            json!({"d": "2025-01-01"})
        )["x"],
        json!("2025-01-01")
    );
}
#[test]
fn optional_default_wrong_type() {
    assert_eq!(
        error(&format!("{OPT}出力 x = 既定値(d, 1円)")),
        "onshi::type::mismatch"
    );
}
#[test]
fn optional_equals_absent() {
    assert_eq!(
        eval(&format!("{OPT}出力 x = d = 未設定"), json!({}))["x"],
        json!(true)
    );
}
#[test]
fn optional_output_from_if() {
    let src = "入力 n: 整数\n出力 x: 任意<金額> = もし n > 0 ならば 100円 そうでなければ 未設定";
    assert_eq!(eval(src, json!({"n": 0}))["x"], json!(null));
    assert_eq!(eval(src, json!({"n": 1}))["x"], json!(100));
}
#[test]
fn optional_input_with_default() {
    assert_eq!(
        eval("入力 m: 任意<金額> 既定 5円\n出力 x = m", json!({}))["x"],
        json!(5)
    );
}
#[test]
fn presence_on_required_input() {
    assert_eq!(
        error("入力 n: 整数\n出力 x = n が ある"),
        "onshi::type::mismatch"
    );
}
#[test]
fn null_for_required_input() {
    assert_eq!(
        run_error("入力 n: 整数\n出力 x = n", json!({"n": null})),
        "onshi::facts::type"
    );
}

const SETS: &str = "列挙 事業 = 訪問 | オンライン | 外来 | 限定型\n入力 s: 集合<事業> 既定 {}\n";
#[test]
fn set_count_default_empty() {
    assert_eq!(
        eval(&format!("{SETS}出力 x = 要素数(s)"), json!({}))["x"],
        json!(0)
    );
}
#[test]
fn set_count_from_facts() {
    assert_eq!(
        eval(
            &format!("{SETS}出力 x = 要素数(s)"),
            json!({"s": ["訪問", "外来", "訪問"]})
        )["x"],
        json!(2)
    );
}
#[test]
fn set_intersection() {
    assert_eq!(
        eval(
            &format!("{SETS}出力 x = s ∩ {{オンライン, 外来}}"),
            json!({"s": ["外来", "訪問"]})
        )["x"],
        json!(["外来"])
    );
}
#[test]
fn set_union_in_declaration_order() {
    assert_eq!(
        eval(
            &format!("{SETS}出力 x = s ∪ {{訪問}}"),
            json!({"s": ["限定型"]})
        )["x"],
        json!(["訪問", "限定型"])
    );
}
#[test]
fn set_contains() {
    assert_eq!(
        eval(
            &format!("{SETS}出力 x = 含む(s, 外来)"),
            json!({"s": ["外来"]})
        )["x"],
        json!(true)
    );
}
#[test]
fn set_subset() {
    assert_eq!(
        eval(
            &format!("{SETS}出力 x = s ⊆ {{訪問, 外来}}"),
            json!({"s": ["外来"]})
        )["x"],
        json!(true)
    );
}
#[test]
fn set_unknown_variant_in_facts() {
    assert_eq!(
        run_error(
            &format!("{SETS}出力 x = 要素数(s)"),
            json!({"s": ["訪問", "往診"]})
        ),
        "onshi::facts::variant"
    );
}
#[test]
fn set_untyped_empty() {
    assert_eq!(error("出力 x = {}"), "onshi::type::needs_annotation");
}

// ------------------------------------------------------------------ variant names shared by two enumerations

const SHARED: &str = "列挙 区分 = 病院 | 大型チェーン薬局 | 診療所・薬局\n列挙 種別 = 病院 | 診療所 | 歯科診療所 | 薬局\n入力 k: 種別\n";
fn shared(body: &str, k: &str) -> serde_json::Value {
    eval(&format!("{SHARED}出力 x = {body}\n"), json!({"k": k}))["x"].clone()
}
#[test]
fn shared_name_in_membership_set() {
    assert_eq!(shared("k ∈ {病院, 薬局}", "薬局"), json!(true));
}
#[test]
fn shared_name_in_non_membership_set() {
    assert_eq!(shared("k ∉ {病院, 薬局}", "病院"), json!(false));
}
#[test]
fn shared_name_in_match_set_pattern() {
    assert_eq!(
        shared("場合 k { {病院, 薬局} → 1; その他 → 2 }", "薬局"),
        json!(1)
    );
}
#[test]
fn shared_name_compared() {
    assert_eq!(shared("病院 = k", "病院"), json!(true));
}
#[test]
fn shared_name_as_result() {
    assert_eq!(
        shared("場合 k { 病院 → 区分.病院; その他 → 診療所・薬局 }", "病院"),
        json!("病院")
    );
}
#[test]
fn shared_name_alone_is_ambiguous() {
    assert_eq!(
        error(&format!("{SHARED}出力 x = 病院")),
        "onshi::name::ambiguous"
    );
}
#[test]
fn date_before_gregorian_at_runtime() {
    assert_eq!(
        run_error(
            "入力 d: 日付 既定 1873-01-01\n出力 x: 日付 = d - 1日",
            json!({})
        ),
        "onshi::eval::date_range"
    );
}
#[test]
fn date_last_supported_day() {
    assert_eq!(val("日付", "9999-12-30 + 1日"), json!("9999-12-31"));
}

// ------------------------------------------------------------------ exactness and overflow

#[test]
fn money_overflow_is_an_error() {
    let src = "入力 a: 金額 既定 1億円\n出力 x: 金額 = a × 1000000000000000000 × 1000000000000000000 × 1000000000000000000";
    assert_eq!(run_error(src, json!({})), "onshi::eval::overflow");
}
#[test]
fn thirds_add_up_exactly() {
    assert_eq!(val("金額", "1円 × 1/3 + 1円 × 2/3"), json!(1));
}
#[test]
fn decimal_money_from_facts() {
    assert_eq!(
        eval("入力 a: 金額\n出力 x = a × 2", json!({"a": 41.25}))["x"],
        json!(82.5)
    );
}
#[test]
fn integer_fact_with_grouping() {
    assert_eq!(
        eval("入力 a: 整数\n出力 x = a", json!({"a": "40,000"}))["x"],
        json!(40000)
    );
}
#[test]
fn ratio_equals_integer() {
    assert_eq!(val("真偽", "2/2 = 1"), json!(true));
}
#[test]
fn integer_division_by_zero() {
    assert_eq!(
        run_error("入力 n: 整数 既定 0\n出力 x = 1 / n", json!({})),
        "onshi::eval::division_by_zero"
    );
}
