//! Literal forms through the whole pipeline: policy text → parse → check → evaluate → JSON, and
//! the same forms given as JSON facts.

use crate::common;
use common::{error, eval, run_error, val};
use serde_json::json;

fn date(lit: &str) -> serde_json::Value {
    val("日付", lit)
}

// ------------------------------------------------------------------ eras and their boundaries

#[test]
fn meiji_first_gregorian_day() {
    assert_eq!(date("明治6年1月1日"), json!("1873-01-01"));
}
#[test]
fn meiji_last_day() {
    assert_eq!(date("明治45年7月29日"), json!("1912-07-29"));
}
#[test]
fn meiji_after_its_end() {
    assert_eq!(
        error("出力 x: 日付 = 明治45年7月30日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn meiji_before_gregorian() {
    assert_eq!(
        error("出力 x: 日付 = 明治5年12月31日"),
        "onshi::literal::before_gregorian"
    );
}
#[test]
fn taisho_first_day() {
    assert_eq!(date("大正元年7月30日"), json!("1912-07-30"));
}
#[test]
fn taisho_before_its_start() {
    assert_eq!(
        error("出力 x: 日付 = 大正元年7月29日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn taisho_last_day() {
    assert_eq!(date("大正15年12月24日"), json!("1926-12-24"));
}
#[test]
fn taisho_after_its_end() {
    assert_eq!(
        error("出力 x: 日付 = 大正15年12月25日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn showa_first_day() {
    assert_eq!(date("昭和元年12月25日"), json!("1926-12-25"));
}
#[test]
fn showa_mid() {
    assert_eq!(date("昭和39年10月10日"), json!("1964-10-10"));
}
#[test]
fn showa_last_day() {
    assert_eq!(date("昭和64年1月7日"), json!("1989-01-07"));
}
#[test]
fn showa_after_its_end() {
    assert_eq!(
        error("出力 x: 日付 = 昭和64年1月8日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn heisei_first_day() {
    assert_eq!(date("平成元年1月8日"), json!("1989-01-08"));
}
#[test]
fn heisei_before_its_start() {
    assert_eq!(
        error("出力 x: 日付 = 平成元年1月7日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn heisei_last_day() {
    assert_eq!(date("平成31年4月30日"), json!("2019-04-30"));
}
#[test]
fn heisei_after_its_end() {
    assert_eq!(
        error("出力 x: 日付 = 平成31年5月1日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn reiwa_first_day() {
    assert_eq!(date("令和元年5月1日"), json!("2019-05-01"));
}
#[test]
fn reiwa_year_one_in_digits() {
    assert_eq!(date("令和1年5月1日"), json!("2019-05-01"));
}
#[test]
fn reiwa_before_its_start() {
    assert_eq!(
        error("出力 x: 日付 = 令和元年4月30日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn reiwa_year_zero() {
    assert_eq!(
        error("出力 x: 日付 = 令和0年5月1日"),
        "onshi::literal::era_range"
    );
}
#[test]
fn reiwa_7() {
    assert_eq!(date("令和7年12月1日"), json!("2025-12-01"));
}
#[test]
fn reiwa_full_width_digits() {
    assert_eq!(date("令和７年１２月１日"), json!("2025-12-01"));
}
#[test]
fn reiwa_far_future() {
    assert_eq!(date("令和100年1月1日"), json!("2118-01-01"));
}
#[test]
fn no_such_day_in_wareki() {
    assert_eq!(
        error("出力 x: 日付 = 令和7年2月30日"),
        "onshi::literal::no_such_day"
    );
}
#[test]
fn leap_day_in_wareki() {
    assert_eq!(date("令和6年2月29日"), json!("2024-02-29"));
}
#[test]
fn no_leap_day_in_2025() {
    assert_eq!(
        error("出力 x: 日付 = 令和7年2月29日"),
        "onshi::literal::no_such_day"
    );
}
#[test]
fn iso_date() {
    assert_eq!(date("2025-12-01"), json!("2025-12-01"));
}
#[test]
fn iso_date_short_fields() {
    assert_eq!(date("2025-1-5"), json!("2025-01-05"));
}
#[test]
fn iso_no_such_day() {
    assert_eq!(
        error("出力 x: 日付 = 2025-02-30"),
        "onshi::literal::no_such_day"
    );
}
#[test]
fn iso_month_13() {
    assert_eq!(
        error("出力 x: 日付 = 2025-13-01"),
        "onshi::literal::no_such_day"
    );
}
#[test]
fn iso_before_gregorian() {
    assert_eq!(
        error("出力 x: 日付 = 1872-12-31"),
        "onshi::literal::before_gregorian"
    );
}
#[test]
fn seireki_kanji_date() {
    assert_eq!(date("2025年12月1日"), json!("2025-12-01"));
}
#[test]
fn full_width_iso_like_kanji_date() {
    assert_eq!(date("２０２５年１２月１日"), json!("2025-12-01"));
}

// ------------------------------------------------------------------ money

#[test]
fn money_man() {
    assert_eq!(val("金額", "41.1万円"), json!(411000));
}
#[test]
fn money_grouped() {
    assert_eq!(val("金額", "411,000円"), json!(411000));
}
#[test]
fn money_zero() {
    assert_eq!(val("金額", "0円"), json!(0));
}
#[test]
fn money_oku() {
    assert_eq!(val("金額", "300億円"), json!(30_000_000_000_i64));
}
#[test]
fn money_oku_man() {
    assert_eq!(val("金額", "1億2000万円"), json!(120_000_000));
}
#[test]
fn money_sen() {
    assert_eq!(val("金額", "3千円"), json!(3000));
}
#[test]
fn money_full_width() {
    assert_eq!(val("金額", "１２３円"), json!(123));
}
#[test]
fn money_full_width_man() {
    assert_eq!(val("金額", "４１．１万円"), json!(411000));
}
#[test]
fn money_plain() {
    assert_eq!(val("金額", "99000円"), json!(99000));
}
#[test]
fn money_negative() {
    assert_eq!(val("金額", "-500円"), json!(-500));
}
#[test]
fn money_needs_yen() {
    assert_eq!(error("出力 x: 金額 = 1000"), "onshi::type::mismatch");
}
#[test]
fn money_bad_grouping() {
    assert!(!common::errors("出力 x: 金額 = 41,10円").is_empty());
}

// ------------------------------------------------------------------ ratios and numbers

#[test]
fn ratio_half() {
    assert_eq!(val("割合", "1/2"), json!("1/2"));
}
#[test]
fn ratio_lowest_terms() {
    assert_eq!(val("割合", "2/4"), json!("1/2"));
}
#[test]
fn ratio_percent() {
    assert_eq!(val("割合", "75%"), json!("3/4"));
}
#[test]
fn ratio_full_width_percent() {
    assert_eq!(val("割合", "７５％"), json!("3/4"));
}
#[test]
fn ratio_decimal_percent() {
    assert_eq!(val("割合", "12.5%"), json!("1/8"));
}
#[test]
fn ratio_hundred_percent() {
    assert_eq!(val("割合", "100%"), json!("1/1"));
}
#[test]
fn ratio_from_integer() {
    assert_eq!(val("割合", "1"), json!("1/1"));
}
#[test]
fn ratio_zero_denominator() {
    assert_eq!(
        error("出力 x: 割合 = 1/0"),
        "onshi::literal::zero_denominator"
    );
}
#[test]
fn integer_literal() {
    assert_eq!(val("整数", "40000"), json!(40000));
}
#[test]
fn integer_full_width() {
    assert_eq!(val("整数", "４００００"), json!(40000));
}
#[test]
fn integer_overflow() {
    assert_eq!(
        error("出力 x: 整数 = 99999999999999999999999"),
        "onshi::literal::overflow"
    );
}
#[test]
fn decimal_literal() {
    assert_eq!(val("小数", "1.25"), json!(1.25));
}

// ------------------------------------------------------------------ durations

#[test]
fn duration_months() {
    assert_eq!(val("期間", "6か月"), json!("6か月"));
}
#[test]
fn duration_months_katakana() {
    assert_eq!(val("期間", "6ヶ月"), json!("6か月"));
}
#[test]
fn duration_days() {
    assert_eq!(val("期間", "5日"), json!("5日"));
}
#[test]
fn duration_year() {
    assert_eq!(val("期間", "1年"), json!("1年"));
}
#[test]
fn duration_weeks() {
    assert_eq!(val("期間", "2週間"), json!("14日"));
}
#[test]
fn duration_year_is_twelve_months() {
    assert_eq!(val("真偽", "1年 = 12か月"), json!(true));
}
#[test]
fn date_plus_year() {
    assert_eq!(val("日付", "令和6年2月29日 + 1年"), json!("2025-02-28"));
}
#[test]
fn date_plus_days() {
    assert_eq!(val("日付", "2025-12-30 + 5日"), json!("2026-01-04"));
}
#[test]
fn date_minus_months() {
    assert_eq!(val("日付", "2024-03-31 - 1か月"), json!("2024-02-29"));
}

// ------------------------------------------------------------------ the same forms in JSON facts

fn fact(ty: &str, value: serde_json::Value) -> serde_json::Value {
    let src = format!("入力 v: {ty}\n出力 x: {ty} = v\n");
    eval(&src, json!({ "v": value }))["x"].clone()
}

fn fact_error(ty: &str, value: serde_json::Value) -> &'static str {
    let src = format!("入力 v: {ty}\n出力 x: {ty} = v\n");
    run_error(&src, json!({ "v": value }))
}

#[test]
fn facts_wareki_date() {
    assert_eq!(fact("日付", json!("令和7年12月1日")), json!("2025-12-01"));
}
#[test]
fn facts_gannen_date() {
    assert_eq!(fact("日付", json!("令和元年5月1日")), json!("2019-05-01"));
}
#[test]
fn facts_full_width_date() {
    assert_eq!(
        fact("日付", json!("令和７年１２月１日")),
        json!("2025-12-01")
    );
}
#[test]
fn facts_heisei_date() {
    assert_eq!(fact("日付", json!("平成31年4月30日")), json!("2019-04-30"));
}
#[test]
fn facts_heisei_past_its_end() {
    assert_eq!(
        fact_error("日付", json!("平成31年5月1日")),
        "onshi::facts::literal"
    );
}
#[test]
fn facts_iso_date() {
    assert_eq!(fact("日付", json!("2025-12-01")), json!("2025-12-01"));
}
#[test]
fn facts_impossible_date() {
    assert_eq!(
        fact_error("日付", json!("令和7年2月30日")),
        "onshi::facts::literal"
    );
}
#[test]
fn facts_date_as_number() {
    assert_eq!(fact_error("日付", json!(20251201)), "onshi::facts::type");
}
#[test]
fn facts_money_man_string() {
    assert_eq!(fact("金額", json!("41.1万円")), json!(411000));
}
#[test]
fn facts_money_grouped_string() {
    assert_eq!(fact("金額", json!("411,000円")), json!(411000));
}
#[test]
fn facts_money_without_yen() {
    assert_eq!(fact("金額", json!("411000")), json!(411000));
}
#[test]
fn facts_money_integer() {
    assert_eq!(fact("金額", json!(411000)), json!(411000));
}
#[test]
fn facts_money_full_width() {
    assert_eq!(fact("金額", json!("１２３円")), json!(123));
}
#[test]
fn facts_money_oku() {
    assert_eq!(fact("金額", json!("300億円")), json!(30_000_000_000_i64));
}
#[test]
fn facts_money_garbage() {
    assert_eq!(
        fact_error("金額", json!("たくさん")),
        "onshi::facts::literal"
    );
}
#[test]
fn facts_money_bool() {
    assert_eq!(fact_error("金額", json!(true)), "onshi::facts::type");
}
#[test]
fn facts_ratio_percent() {
    assert_eq!(fact("割合", json!("75%")), json!("3/4"));
}
#[test]
fn facts_ratio_fraction() {
    assert_eq!(fact("割合", json!("1/2")), json!("1/2"));
}
#[test]
fn facts_ratio_number() {
    assert_eq!(fact("割合", json!(0.5)), json!("1/2"));
}
#[test]
fn facts_ratio_zero_denominator() {
    assert_eq!(fact_error("割合", json!("1/0")), "onshi::facts::literal");
}
#[test]
fn facts_integer() {
    assert_eq!(fact("整数", json!(40000)), json!(40000));
}
#[test]
fn facts_integer_fraction() {
    assert_eq!(fact_error("整数", json!(1.5)), "onshi::facts::type");
}
#[test]
fn facts_duration() {
    assert_eq!(fact("期間", json!("6か月")), json!("6か月"));
}
#[test]
fn facts_bool() {
    assert_eq!(fact("真偽", json!(true)), json!(true));
}
#[test]
fn facts_text() {
    assert_eq!(fact("文字列", json!("メモ")), json!("メモ"));
}
#[test]
fn money_man_sen_yen() {
    assert_eq!(val("金額", "1万3千500円"), json!(13500));
}
#[test]
fn money_sen_yen() {
    assert_eq!(val("金額", "3千500円"), json!(3500));
}
#[test]
fn money_units_out_of_order() {
    assert_eq!(
        error("出力 x: 金額 = 3千2万円"),
        "onshi::literal::malformed"
    );
}
#[test]
fn money_full_width_grouped() {
    assert_eq!(val("金額", "４１１，０００円"), json!(411000));
}
#[test]
fn facts_seireki_kanji_date() {
    assert_eq!(fact("日付", json!("2025年12月1日")), json!("2025-12-01"));
}
