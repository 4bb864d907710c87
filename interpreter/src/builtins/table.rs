//! The table of built-in functions: one entry per function. Adding one here makes the checker
//! accept it, both evaluators compute it, and the language server, the WASM package's
//! `builtins()` and the playground offer it.

use super::{Builtin, Encoding, Imp, Param, Signature};
use crate::ops::dates;
use crate::types::Type;
use onshi_grammar::num::RoundMode;
use std::cmp::Ordering;

const DATE: &[Param] = &[Param::Is(Type::Date)];

/// A date built-in: `(日付) → 日付`.
const fn date(
    ja: &'static str,
    en: &'static str,
    doc: &'static str,
    example: &'static str,
    f: fn(chrono::NaiveDate) -> Option<chrono::NaiveDate>,
    enc: Result<Encoding, &'static str>,
) -> Builtin {
    Builtin {
        ja,
        en,
        params: "日付",
        doc,
        example,
        signature: Signature::Fixed {
            params: DATE,
            ret: Type::Date,
        },
        imp: Imp::Date(f),
        solver: enc,
    }
}

/// A rounding built-in: `(値, 単位) → 値's type`.
const fn rounding(
    ja: &'static str,
    en: &'static str,
    doc: &'static str,
    example: &'static str,
    mode: RoundMode,
) -> Builtin {
    Builtin {
        ja,
        en,
        params: "値, 単位",
        doc,
        example,
        signature: Signature::Rounding,
        imp: Imp::Round(mode),
        solver: Ok(Encoding::Round),
    }
}

/// `最小` / `最大`.
const fn extreme(
    ja: &'static str,
    en: &'static str,
    doc: &'static str,
    example: &'static str,
    wanted: Ordering,
) -> Builtin {
    Builtin {
        ja,
        en,
        params: "a, b, …",
        doc,
        example,
        signature: Signature::Ordered,
        imp: Imp::Extreme { wanted },
        solver: Ok(Encoding::Extreme),
    }
}

/// Every built-in function, in the order the documentation lists them.
pub static BUILTINS: &[Builtin] = &[
    extreme(
        "最小",
        "min",
        "the smallest",
        "最小(41.1万円, 30万円) = 300,000円",
        Ordering::Less,
    ),
    extreme(
        "最大",
        "max",
        "the largest",
        "最大(0円, 残額)",
        Ordering::Greater,
    ),
    rounding(
        "切り捨て",
        "round_down",
        "rounded down to a multiple of 単位",
        "切り捨て(123,456円, 1000円) = 123,000円",
        RoundMode::Down,
    ),
    rounding(
        "切り上げ",
        "round_up",
        "rounded up to a multiple of 単位",
        "切り上げ(123,456円, 1000円) = 124,000円",
        RoundMode::Up,
    ),
    rounding(
        "四捨五入",
        "round",
        "rounded half up to a multiple of 単位",
        "四捨五入(123,500円, 1000円) = 124,000円",
        RoundMode::HalfUp,
    ),
    date(
        "翌日",
        "next_day",
        "the next day",
        "翌日(令和7年12月31日) = 令和8年1月1日",
        dates::next_day,
        Ok(Encoding::Days(1)),
    ),
    date(
        "前日",
        "previous_day",
        "the day before",
        "前日(令和7年3月1日) = 令和7年2月28日",
        dates::previous_day,
        Ok(Encoding::Days(-1)),
    ),
    date(
        "月末",
        "end_of_month",
        "the last day of its month",
        "月末(令和7年2月10日) = 令和7年2月28日",
        dates::end_of_month,
        Ok(Encoding::EndOfMonth),
    ),
    date(
        "月初",
        "start_of_month",
        "the first day of its month",
        "月初(令和7年2月10日) = 令和7年2月1日",
        dates::start_of_month,
        Ok(Encoding::StartOfMonth),
    ),
    Builtin {
        ja: "営業日後",
        en: "business_days_after",
        params: "日付, 整数",
        doc: "n business days (Mon–Fri) later; negative counts back",
        example: "営業日後(令和7年12月5日, 1) = 令和7年12月8日",
        signature: Signature::Fixed {
            params: &[Param::Is(Type::Date), Param::Is(Type::Int)],
            ret: Type::Date,
        },
        imp: Imp::DateInt(dates::business_days),
        solver: Ok(Encoding::BusinessDays),
    },
    Builtin {
        ja: "祝日を除く営業日後",
        en: "business_days_after_skipping_holidays",
        params: "日付, 整数",
        doc: "n business days later, skipping Saturdays, Sundays and national holidays (祝日, 振替休日, 国民の休日); negative counts back; the holiday calendar knows 1980–2027 and fails outside",
        example: "祝日を除く営業日後(令和7年12月1日, -5) = 令和7年11月21日",
        signature: Signature::Fixed {
            params: &[Param::Is(Type::Date), Param::Is(Type::Int)],
            ret: Type::Date,
        },
        imp: Imp::HolidayBusinessDays,
        solver: Ok(Encoding::HolidayBusinessDays),
    },
    Builtin {
        ja: "祝日",
        en: "is_holiday",
        params: "日付",
        doc: "whether the day is a national holiday or 休日 under 国民の祝日に関する法律 (振替休日, 国民の休日 included); the calendar knows 1980–2027 and fails outside",
        example: "祝日(令和7年11月24日) = 真",
        signature: Signature::Fixed {
            params: DATE,
            ret: Type::Bool,
        },
        imp: Imp::Holiday,
        solver: Ok(Encoding::Holiday),
    },
    Builtin {
        ja: "満了日",
        en: "period_end",
        params: "日付, 期間",
        doc: "the last day of the period counted from the next day (民法140条・143条)",
        example: "満了日(2023-09-30, 6か月) = 2024-03-31",
        signature: Signature::Fixed {
            params: &[Param::Is(Type::Date), Param::Is(Type::Duration)],
            ret: Type::Date,
        },
        imp: Imp::DatePeriod(dates::period_end),
        solver: Ok(Encoding::PeriodEnd),
    },
    Builtin {
        ja: "既定値",
        en: "or_default",
        params: "任意の値, 既定",
        doc: "the value, or 既定 when it is absent",
        example: "既定値(前回申請日, 令和7年4月1日)",
        signature: Signature::OrDefault,
        imp: Imp::OrDefault,
        solver: Ok(Encoding::OrDefault),
    },
    Builtin {
        ja: "要素数",
        en: "count",
        params: "集合",
        doc: "how many variants it holds",
        example: "要素数({病院, 診療所}) = 2",
        signature: Signature::Fixed {
            params: &[Param::Set],
            ret: Type::Int,
        },
        imp: Imp::Count,
        solver: Ok(Encoding::Count),
    },
    Builtin {
        ja: "含む",
        en: "contains",
        params: "集合, 値",
        doc: "whether the set holds the variant",
        example: "含む(補助済事業, 外来診療等)",
        signature: Signature::Fixed {
            params: &[Param::Set, Param::ElementOf(0)],
            ret: Type::Bool,
        },
        imp: Imp::Contains,
        solver: Ok(Encoding::Contains),
    },
];
