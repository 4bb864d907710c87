use super::*;
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn int(i: i128) -> Num {
    Num::from_int(i)
}

fn frac(n: i128, d: i128) -> Num {
    Num::new(n, d).unwrap_or(Num::ZERO)
}

fn outside(era: Era, era_year: u32, month: u32, day: u32, suggestion: &str) -> LiteralError {
    LiteralError::OutsideEra {
        era,
        era_year,
        month,
        day,
        suggestion: Some(suggestion.to_string()),
    }
}

const MALFORMED_DATE: LiteralError = LiteralError::Malformed {
    kind: LiteralKind::Date,
};
const MALFORMED_MONEY: LiteralError = LiteralError::Malformed {
    kind: LiteralKind::Money,
};
const MALFORMED_RATIO: LiteralError = LiteralError::Malformed {
    kind: LiteralKind::Ratio,
};
const MALFORMED_DURATION: LiteralError = LiteralError::Malformed {
    kind: LiteralKind::Duration,
};

#[test]
fn era_table() {
    let names: Vec<_> = Era::ALL.iter().map(|e| e.name()).collect();
    assert_eq!(names, ["明治", "大正", "昭和", "平成", "令和"]);
    let firsts: Vec<_> = Era::ALL.iter().map(|e| e.first_day()).collect();
    assert_eq!(
        firsts,
        [
            date(1868, 10, 23),
            date(1912, 7, 30),
            date(1926, 12, 25),
            date(1989, 1, 8),
            date(2019, 5, 1)
        ]
    );
    let lasts: Vec<_> = Era::ALL.iter().map(|e| e.last_day()).collect();
    assert_eq!(
        lasts,
        [
            Some(date(1912, 7, 29)),
            Some(date(1926, 12, 24)),
            Some(date(1989, 1, 7)),
            Some(date(2019, 4, 30)),
            None
        ]
    );
    for era in Era::ALL {
        assert_eq!(era.first_year(), era.first_day().year());
    }
}

#[test]
fn era_first_and_last_days_round_trip() {
    for era in Era::ALL {
        let mut days = vec![era.first_day().max(GREGORIAN_START)];
        days.extend(era.last_day());
        for d in days {
            let text = format_wareki(d).unwrap_or_default();
            assert!(text.starts_with(era.name()), "{text}");
            assert_eq!(parse_date(&text), Ok(d), "{text}");
        }
    }
    assert_eq!(
        format_wareki(date(1912, 7, 30)).as_deref(),
        Some("大正元年7月30日")
    );
    assert_eq!(
        format_wareki(date(1989, 1, 7)).as_deref(),
        Some("昭和64年1月7日")
    );
    assert_eq!(
        format_wareki(date(2025, 12, 1)).as_deref(),
        Some("令和7年12月1日")
    );
    assert_eq!(
        format_wareki(date(2019, 5, 1)).as_deref(),
        Some("令和元年5月1日")
    );
    assert_eq!(
        format_wareki(date(1873, 1, 1)).as_deref(),
        Some("明治6年1月1日")
    );
    assert_eq!(format_wareki(date(1872, 12, 31)), None);
}

#[test]
fn era_boundaries() {
    assert_eq!(parse_date("明治45年7月29日"), Ok(date(1912, 7, 29)));
    assert_eq!(
        parse_date("明治45年7月30日"),
        Err(outside(Era::Meiji, 45, 7, 30, "大正元年7月30日"))
    );
    assert_eq!(
        parse_date("大正元年7月29日"),
        Err(outside(Era::Taisho, 1, 7, 29, "明治45年7月29日"))
    );
    assert_eq!(parse_date("大正15年12月24日"), Ok(date(1926, 12, 24)));
    assert_eq!(
        parse_date("大正15年12月25日"),
        Err(outside(Era::Taisho, 15, 12, 25, "昭和元年12月25日"))
    );
    assert_eq!(
        parse_date("昭和元年12月24日"),
        Err(outside(Era::Showa, 1, 12, 24, "大正15年12月24日"))
    );
    assert_eq!(parse_date("昭和64年1月7日"), Ok(date(1989, 1, 7)));
    assert_eq!(
        parse_date("昭和64年1月8日"),
        Err(outside(Era::Showa, 64, 1, 8, "平成元年1月8日"))
    );
    assert_eq!(
        parse_date("平成元年1月7日"),
        Err(outside(Era::Heisei, 1, 1, 7, "昭和64年1月7日"))
    );
    assert_eq!(parse_date("平成31年4月30日"), Ok(date(2019, 4, 30)));
    assert_eq!(
        parse_date("平成31年5月1日"),
        Err(outside(Era::Heisei, 31, 5, 1, "令和元年5月1日"))
    );
    assert_eq!(
        parse_date("令和元年4月30日"),
        Err(outside(Era::Reiwa, 1, 4, 30, "平成31年4月30日"))
    );
    assert_eq!(parse_date("令和元年5月1日"), Ok(date(2019, 5, 1)));
    assert_eq!(
        parse_date("平成99年1月1日"),
        Err(outside(Era::Heisei, 99, 1, 1, "令和69年1月1日"))
    );
    assert_eq!(
        parse_date("令和0年5月1日"),
        Err(outside(Era::Reiwa, 0, 5, 1, "平成30年5月1日"))
    );
}

#[test]
fn date_forms() {
    assert_eq!(parse_date("令和7年12月1日"), Ok(date(2025, 12, 1)));
    assert_eq!(parse_date("令和1年5月1日"), parse_date("令和元年5月1日"));
    assert_eq!(parse_date("令和７年１２月１日"), Ok(date(2025, 12, 1)));
    assert_eq!(parse_date("令和07年01月01日"), Ok(date(2025, 1, 1)));
    assert_eq!(parse_date("2025-12-01"), Ok(date(2025, 12, 1)));
    assert_eq!(parse_date("2025-1-5"), Ok(date(2025, 1, 5)));
    assert_eq!(parse_date("２０２５－１２－０１"), Ok(date(2025, 12, 1)));
    assert_eq!(parse_date("9999-12-31"), Ok(date(9999, 12, 31)));
    assert_eq!(parse_date("1873-01-01"), Ok(date(1873, 1, 1)));
    assert_eq!(parse_date("1872-12-31"), Err(LiteralError::BeforeGregorian));
    assert_eq!(parse_date("0000-01-01"), Err(LiteralError::BeforeGregorian));
    assert_eq!(
        parse_date("明治5年12月2日"),
        Err(LiteralError::BeforeGregorian)
    );
    assert_eq!(parse_date("明治6年1月1日"), Ok(date(1873, 1, 1)));
    let no_such = |year, month, day| Err(LiteralError::NoSuchDay { year, month, day });
    assert_eq!(parse_date("令和7年2月30日"), no_such(2025, 2, 30));
    assert_eq!(parse_date("2025-13-01"), no_such(2025, 13, 1));
    assert_eq!(parse_date("2025-00-10"), no_such(2025, 0, 10));
    assert_eq!(parse_date("令和6年2月29日"), Ok(date(2024, 2, 29)));
    assert_eq!(parse_date("令和7年2月29日"), no_such(2025, 2, 29));
    assert_eq!(parse_date("2024-02-29"), Ok(date(2024, 2, 29)));
    assert_eq!(parse_date("1900-02-29"), no_such(1900, 2, 29));
    let overflow = Err(LiteralError::Overflow {
        kind: LiteralKind::Date,
    });
    assert_eq!(parse_date("令和99999999999年1月1日"), overflow);
    assert_eq!(parse_date("令和7981年12月31日"), Ok(date(9999, 12, 31)));
    assert_eq!(parse_date("令和7982年1月1日"), overflow);
    for bad in [
        "",
        "令和",
        "令和年1月1日",
        "令和7年",
        "令和7年12月1",
        "令和7年12月1日 ",
        " 2025-12-01",
        "令和7年123月1日",
        "令和元元年1月1日",
        "R7年1月1日",
        "25-12-01",
        "02025-12-01",
        "2025-12",
        "2025-12-01-",
        "2025/12/01",
        "2025-123-01",
        "令和-1年1月1日",
        "令和7年1月1日日",
        "西暦2025年1月1日",
        "2025-12-1a",
    ] {
        assert_eq!(parse_date(bad), Err(MALFORMED_DATE), "{bad}");
    }
}

#[test]
fn full_width_mapping() {
    assert!(matches!(ascii_digits("令和7年"), Cow::Borrowed("令和7年")));
    assert_eq!(
        ascii_digits("０１２３４５６７８９，．／％－"),
        "0123456789,./%-"
    );
    assert!(matches!(ascii_digits("３"), Cow::Owned(_)));
}

#[test]
fn money_forms() {
    assert_eq!(parse_money("41.1万円"), Ok(int(411_000)));
    assert_eq!(parse_money("411,000円"), Ok(int(411_000)));
    assert_eq!(parse_money("411000円"), Ok(int(411_000)));
    assert_eq!(parse_money("0円"), Ok(Num::ZERO));
    assert_eq!(parse_money("8.5万円"), Ok(int(85_000)));
    assert_eq!(parse_money("300億円"), Ok(int(30_000_000_000)));
    assert_eq!(parse_money("1億2000万円"), Ok(int(120_000_000)));
    assert_eq!(parse_money("1億2,000万円"), Ok(int(120_000_000)));
    assert_eq!(parse_money("1万3千500円"), Ok(int(13_500)));
    assert_eq!(parse_money("3千円"), Ok(int(3_000)));
    assert_eq!(parse_money("1,000万円"), Ok(int(10_000_000)));
    assert_eq!(parse_money("0.5円"), Ok(frac(1, 2)));
    assert_eq!(parse_money("-100円"), Ok(int(-100)));
    assert_eq!(parse_money("４１．１万円"), Ok(int(411_000)));
    assert_eq!(parse_money("４１１，０００円"), Ok(int(411_000)));
    assert_eq!(
        parse_money("1.00000000000000000000000000000000000000000万円"),
        Ok(int(10_000))
    );
    for bad in [
        "41,1000円",
        "円",
        "万円",
        "411000",
        "1,00円",
        "1000,000円",
        ",100円",
        "1.円",
        ".5円",
        "1..5円",
        "1万円円",
        "1億20000万円",
        "1万1億円",
        "1万万円",
        "1.5億2000万円",
        "1万0.5円",
        "--1円",
        "1円 ",
        "1 円",
        "1e3円",
        "1万5千6000円",
        "百円",
        "1,000.5,0円",
    ] {
        assert_eq!(parse_money(bad), Err(MALFORMED_MONEY), "{bad}");
    }
    let overflow = Err(LiteralError::Overflow {
        kind: LiteralKind::Money,
    });
    assert_eq!(parse_money(&format!("{}円", "9".repeat(60))), overflow);
    assert_eq!(parse_money(&format!("{}億円", i128::MAX)), overflow);
    assert_eq!(parse_money(&format!("0.{}1円", "0".repeat(60))), overflow);
}

#[test]
fn yen_numbers() {
    assert_eq!(parse_yen_number("411000"), Ok(int(411_000)));
    assert_eq!(parse_yen_number("41.1万"), Ok(int(411_000)));
    assert_eq!(parse_yen_number("41.1万円"), Ok(int(411_000)));
    assert_eq!(parse_yen_number("411,000"), Ok(int(411_000)));
    assert_eq!(parse_yen_number(""), Err(MALFORMED_MONEY));
    assert_eq!(parse_yen_number("円"), Err(MALFORMED_MONEY));
    assert_eq!(parse_yen_number("万"), Err(MALFORMED_MONEY));
    assert_eq!(parse_yen_number("41,1000"), Err(MALFORMED_MONEY));
    let grouped: Vec<_> = [0, 999, 1000, 1_234_567].map(group_with_commas).into();
    assert_eq!(grouped, ["0", "999", "1,000", "1,234,567"]);
}

#[test]
fn ratio_forms() {
    assert_eq!(parse_ratio("1/2"), Ok(frac(1, 2)));
    assert_eq!(parse_ratio("3/4"), Ok(frac(3, 4)));
    assert_eq!(parse_ratio("2/4"), Ok(frac(1, 2)));
    assert_eq!(parse_ratio("-3/4"), Ok(frac(-3, 4)));
    assert_eq!(parse_ratio("75%"), Ok(frac(3, 4)));
    assert_eq!(parse_ratio("12.5%"), Ok(frac(1, 8)));
    assert_eq!(parse_ratio("100%"), Ok(Num::ONE));
    assert_eq!(parse_ratio("0.5"), Ok(frac(1, 2)));
    assert_eq!(parse_ratio("3"), Ok(int(3)));
    assert_eq!(parse_ratio("３／４"), Ok(frac(3, 4)));
    assert_eq!(parse_ratio("７５％"), Ok(frac(3, 4)));
    assert_eq!(parse_ratio("1/0"), Err(LiteralError::ZeroDenominator));
    assert_eq!(parse_ratio("0/0"), Err(LiteralError::ZeroDenominator));
    for bad in [
        "", "/", "1/", "/2", "1/2/3", "1.5/2", "1/-2", "%", "75%%", "1,000%", "a", "1/2%", "0.5.5",
        "1 / 2",
    ] {
        assert_eq!(parse_ratio(bad), Err(MALFORMED_RATIO), "{bad}");
    }
    let overflow = Err(LiteralError::Overflow {
        kind: LiteralKind::Ratio,
    });
    assert_eq!(parse_ratio(&format!("1/{}", "9".repeat(50))), overflow);
    assert_eq!(parse_ratio(&format!("{}%", "9".repeat(50))), overflow);
}

#[test]
fn integer_and_decimal_forms() {
    assert_eq!(parse_integer("42"), Ok(42));
    assert_eq!(parse_integer("-7"), Ok(-7));
    assert_eq!(parse_integer("+7"), Ok(7));
    assert_eq!(parse_integer("1,000"), Ok(1000));
    assert_eq!(parse_integer("１２３"), Ok(123));
    assert_eq!(parse_integer("－１２３"), Ok(-123));
    assert_eq!(parse_integer("9223372036854775807"), Ok(i64::MAX));
    assert_eq!(parse_integer("-9223372036854775808"), Ok(i64::MIN));
    let overflow = Err(LiteralError::Overflow {
        kind: LiteralKind::Integer,
    });
    assert_eq!(parse_integer("9223372036854775808"), overflow);
    assert_eq!(parse_integer(&"9".repeat(100)), overflow);
    let malformed = Err(LiteralError::Malformed {
        kind: LiteralKind::Integer,
    });
    for bad in ["", "-", "1.5", "1,00", "1e3", "١٢", "12円", "+-1"] {
        assert_eq!(parse_integer(bad), malformed, "{bad}");
    }
    assert_eq!(parse_decimal("1.5"), Ok(frac(3, 2)));
    assert_eq!(parse_decimal("-0.25"), Ok(frac(-1, 4)));
    assert_eq!(parse_decimal("3"), Ok(int(3)));
    assert_eq!(parse_decimal("1,234.5"), Ok(frac(2469, 2)));
    let malformed = Err(LiteralError::Malformed {
        kind: LiteralKind::Decimal,
    });
    for bad in ["", ".5", "5.", "1.2.3", "-", "1/2", "50%"] {
        assert_eq!(parse_decimal(bad), malformed, "{bad}");
    }
}

#[test]
fn duration_forms() {
    let months = |months| Ok(Duration { months, days: 0 });
    let days = |days| Ok(Duration { months: 0, days });
    for text in [
        "6か月",
        "6ヶ月",
        "6カ月",
        "6ケ月",
        "6ヵ月",
        "6箇月",
        "６か月",
        "6か月間",
    ] {
        assert_eq!(parse_duration(text), months(6), "{text}");
    }
    assert_eq!(parse_duration("1年"), months(12));
    assert_eq!(parse_duration("1年間"), months(12));
    assert_eq!(parse_duration("5日"), days(5));
    assert_eq!(parse_duration("5日間"), days(5));
    assert_eq!(parse_duration("2週間"), days(14));
    assert_eq!(parse_duration("2週"), days(14));
    assert_eq!(parse_duration("0日"), days(0));
    assert_eq!(parse_duration("1年6か月"), months(18));
    assert_eq!(
        parse_duration("1年2か月3週4日"),
        Ok(Duration {
            months: 14,
            days: 25
        })
    );
    for bad in [
        "",
        "6",
        "6月",
        "か月",
        "6か月6か月",
        "5日1年",
        "6週間間",
        "2週間3日",
        "-1日",
        "1.5年",
        "6 か月",
        "1年 ",
        "6か月間間",
    ] {
        assert_eq!(parse_duration(bad), Err(MALFORMED_DURATION), "{bad}");
    }
    let overflow = Err(LiteralError::Overflow {
        kind: LiteralKind::Duration,
    });
    assert_eq!(parse_duration(&format!("{}年", i64::MAX)), overflow);
    assert_eq!(parse_duration(&format!("{}日", "9".repeat(40))), overflow);
}

#[test]
fn calendar_addition() {
    let m = |months| Duration { months, days: 0 };
    assert_eq!(
        add_duration(date(2023, 8, 31), m(6), 1),
        Some(date(2024, 2, 29))
    );
    assert_eq!(
        add_duration(date(2024, 1, 31), m(1), 1),
        Some(date(2024, 2, 29))
    );
    assert_eq!(
        add_duration(date(2023, 1, 31), m(1), 1),
        Some(date(2023, 2, 28))
    );
    assert_eq!(
        add_duration(date(2024, 3, 31), m(1), -1),
        Some(date(2024, 2, 29))
    );
    assert_eq!(
        add_duration(date(2024, 12, 15), m(12), 1),
        Some(date(2025, 12, 15))
    );
    let mixed = Duration { months: 1, days: 5 };
    assert_eq!(
        add_duration(date(2024, 1, 31), mixed, 1),
        Some(date(2024, 3, 5))
    );
    assert_eq!(
        add_duration(date(2024, 3, 5), mixed, -1),
        Some(date(2024, 1, 31))
    );
    assert_eq!(
        add_duration(date(2025, 12, 31), Duration { months: 0, days: 1 }, 1),
        Some(date(2026, 1, 1))
    );
    assert_eq!(add_duration(date(2025, 1, 1), m(1), 0), None);
    assert_eq!(add_duration(date(2025, 1, 1), m(i64::MAX), 1), None);
    assert_eq!(add_duration(date(2025, 1, 1), m(i64::MIN), -1), None);
    assert_eq!(
        add_duration(
            date(2025, 1, 1),
            Duration {
                months: 0,
                days: i64::MAX
            },
            1
        ),
        None
    );
    assert_eq!(
        add_duration(
            date(2025, 1, 1),
            Duration {
                months: 0,
                days: i64::MAX
            },
            -1
        ),
        None
    );
}

fn group_with_commas(n: u64) -> String {
    if n < 1000 {
        n.to_string()
    } else {
        format!("{},{:03}", group_with_commas(n / 1000), n % 1000)
    }
}

fn junk() -> impl Strategy<Value = String> {
    let alphabet: Vec<char> =
        "0123456789０１２３４５６７８９年月日元令和平成昭和大正明治万億千円,.%/か月日年週間-－，．／％+ヶカケ箇ヵ"
            .chars()
            .collect();
    prop::collection::vec(prop::sample::select(alphabet), 0..24)
        .prop_map(|v| v.into_iter().collect())
}

fn parse_all(s: &str) {
    let _ = parse_date(s);
    let _ = parse_money(s);
    let _ = parse_yen_number(s);
    let _ = parse_ratio(s);
    let _ = parse_integer(s);
    let _ = parse_decimal(s);
    let _ = parse_duration(s);
    let _ = ascii_digits(s);
}

proptest! {
    #[test]
    fn every_date_round_trips(offset in 0i64..=(date(9999, 12, 31) - GREGORIAN_START).num_days()) {
        let d = GREGORIAN_START.checked_add_days(Days::new(offset.unsigned_abs())).unwrap_or(GREGORIAN_START);
        let wareki = format_wareki(d);
        prop_assert!(wareki.is_some());
        prop_assert_eq!(parse_date(&wareki.unwrap_or_default()), Ok(d));
        let iso = format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day());
        prop_assert_eq!(parse_date(&iso), Ok(d));
    }

    #[test]
    fn arbitrary_strings_never_panic(s in any::<String>()) {
        parse_all(&s);
    }

    #[test]
    fn literal_alphabet_never_panics(s in junk()) {
        parse_all(&s);
    }

    #[test]
    fn money_with_commas_round_trips(n in 0u64..1_000_000_000_000) {
        let text = format!("{}円", group_with_commas(n));
        prop_assert_eq!(parse_money(&text), Ok(Num::from_int(i128::from(n))));
        prop_assert_eq!(parse_money(&format!("{n}円")), Ok(Num::from_int(i128::from(n))));
        prop_assert_eq!(parse_integer(&group_with_commas(n)), Ok(i64::try_from(n).unwrap_or(-1)));
    }

    #[test]
    fn plain_digits_mean_what_the_general_parsers_say(n in 0u64..1_000_000_000_000_000_000, zeros in 0usize..3) {
        // The fast path (`plain_digits`) against the general scanner (`yen_body`, `signed_number`).
        let text = format!("{}{n}", "0".repeat(zeros));
        let general_yen = yen_body(&text).map_err(|f| f.into_error(LiteralKind::Money));
        let general_int = signed_number(&text, true, false).map_err(|f| f.into_error(LiteralKind::Integer));
        prop_assert_eq!(parse_yen_number(&text), general_yen);
        prop_assert_eq!(parse_integer(&text).map(|i| Num::from_int(i128::from(i))), general_int);
        let general_decimal = signed_number(&text, true, true).map_err(|f| f.into_error(LiteralKind::Decimal));
        prop_assert_eq!(parse_decimal(&text), general_decimal);
        if let Some(i) = plain_digits(&text) {
            prop_assert_eq!(i128::from(i), i128::from(n));
        }
    }

    #[test]
    fn add_then_subtract_days(offset in 0u64..3_000_000, days in 0i64..100_000) {
        let d = GREGORIAN_START.checked_add_days(Days::new(offset)).unwrap_or(GREGORIAN_START);
        let dur = Duration { months: 0, days };
        prop_assert_eq!(add_duration(d, dur, 1).and_then(|e| add_duration(e, dur, -1)), Some(d));
    }
}

#[test]
fn legal_period_end() {
    let m = |months| Duration { months, days: 0 };
    // 民法140条・143条: counted from the next day, ending the day before the corresponding day.
    for (start, months, end) in [
        (date(2023, 9, 30), 6, date(2024, 3, 31)),
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2024, 1, 31), 6, date(2024, 7, 31)),
        (date(2024, 2, 29), 6, date(2024, 8, 31)),
        (date(2023, 8, 30), 6, date(2024, 2, 29)),
        (date(2024, 1, 15), 6, date(2024, 7, 15)),
        (date(2024, 4, 30), 1, date(2024, 5, 31)),
        (date(2024, 12, 31), 12, date(2025, 12, 31)),
    ] {
        assert_eq!(
            period_end(start, m(months)),
            Some(end),
            "{start} + {months}"
        );
    }
    // Plain month addition differs when the start is a month's last day.
    assert_eq!(
        add_duration(date(2023, 9, 30), m(6), 1),
        Some(date(2024, 3, 30))
    );
    // Days and weeks: the first day is not counted, the period ends with its last day.
    let days = |days| Duration { months: 0, days };
    assert_eq!(
        period_end(date(2024, 3, 1), days(5)),
        Some(date(2024, 3, 6))
    );
    assert_eq!(
        period_end(date(2024, 3, 1), days(14)),
        Some(date(2024, 3, 15))
    );
    assert_eq!(
        period_end(date(2024, 3, 1), days(0)),
        Some(date(2024, 3, 1))
    );
    // Negative periods and overflow are not periods.
    assert_eq!(period_end(date(2024, 3, 1), days(-1)), None);
    assert_eq!(period_end(date(2024, 3, 1), m(-1)), None);
    assert_eq!(period_end(date(2024, 3, 1), m(i64::MAX)), None);
}

proptest! {
    /// The legal end is plain month addition, except from a month's last day, where it is the
    /// last day of the month reached (143条: counting starts on the 1st of the next month).
    #[test]
    fn legal_period_end_against_month_addition(
        days in 0i64..(366 * 200),
        months in 0i64..400,
    ) {
        let start = date(1900, 1, 1) + chrono::Days::new(days.unsigned_abs());
        let dur = Duration { months, days: 0 };
        let plain = add_duration(start, dur, 1);
        let month_end = start.succ_opt().is_some_and(|n| n.day() == 1);
        let expected = if month_end {
            plain
                .and_then(|p| p.with_day(1))
                .and_then(|f| f.checked_add_months(Months::new(1)))
                .and_then(|n| n.pred_opt())
        } else {
            plain
        };
        prop_assert!(expected.is_some());
        prop_assert_eq!(period_end(start, dur), expected);
    }
}

/// Full-width digits for every ASCII digit of `s`.
fn wide(s: &str) -> String {
    s.chars()
        .map(|c| match c.to_digit(10) {
            Some(d) => char::from_u32(u32::from('０') + d).unwrap_or(c),
            None => c,
        })
        .collect()
}

/// Text shaped like the grammar's `date_lit` (和暦, ISO, 西暦年月日), days that exist or not.
fn date_lit_text() -> impl Strategy<Value = String> {
    (
        0usize..7,
        0u32..70,
        1860i32..2101,
        0u32..14,
        0u32..33,
        any::<bool>(),
    )
        .prop_map(|(form, era_year, year, month, day, full)| {
            let eras = ["明治", "大正", "昭和", "平成", "令和"];
            let text = match eras.get(form) {
                Some(era) if era_year == 0 => format!("{era}元年{month}月{day}日"),
                Some(era) => format!("{era}{era_year}年{month}月{day}日"),
                None if form == 5 => format!("{year:04}-{month}-{day}"),
                None => format!("{year:04}年{month}月{day}日"),
            };
            if full {
                wide(&text)
            } else {
                text
            }
        })
}

#[test]
fn office_dates() {
    let cases = [
        ("2025/10/1", date(2025, 10, 1)),
        ("2025/10/01", date(2025, 10, 1)),
        ("２０２５／１０／１", date(2025, 10, 1)),
        ("R7.4.1", date(2025, 4, 1)),
        ("R07.04.01", date(2025, 4, 1)),
        ("r7/4/1", date(2025, 4, 1)),
        ("H31.4.30", date(2019, 4, 30)),
        ("S64.1.7", date(1989, 1, 7)),
        ("Ｒ７．４．１", date(2025, 4, 1)),
        ("令和7年4月1日", date(2025, 4, 1)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("2025年10月1日", date(2025, 10, 1)),
        ("２０２５年１０月１日", date(2025, 10, 1)),
        ("2025-10-01", date(2025, 10, 1)),
    ];
    let more = [
        ("令7.4.1", date(2025, 4, 1)),
        ("平31.4.30", date(2019, 4, 30)),
        ("R.7.4.1", date(2025, 4, 1)),
        ("R7-4-1", date(2025, 4, 1)),
        ("2025.10.1", date(2025, 10, 1)),
        (" 2025/10/1 ", date(2025, 10, 1)),
    ];
    for (text, want) in cases.into_iter().chain(more) {
        assert_eq!(parse_date_fact(text), Ok(want), "{text}");
    }
    assert_eq!(
        parse_date_fact("H31.5.1"),
        Err(outside(Era::Heisei, 31, 5, 1, "令和元年5月1日"))
    );
    assert_eq!(
        parse_date_fact("平成31年5月1日"),
        Err(outside(Era::Heisei, 31, 5, 1, "令和元年5月1日"))
    );
    assert_eq!(
        parse_date_fact("2025/2/30"),
        Err(LiteralError::NoSuchDay {
            year: 2025,
            month: 2,
            day: 30
        })
    );
    for bad in [
        "2025/10",
        "25/10/1",
        "2025/10/1/",
        "2025/100/1",
        "R7.4",
        "R7.4/1",
        "R123.4.1",
        "X7.4.1",
        "R.4.1",
        "2025/10-1",
        "",
        "/",
        "R",
        "R7..1",
        "2025.10/1",
        "令和7.4.1",
        "令",
        "大7",
    ] {
        assert_eq!(parse_date_fact(bad), Err(MALFORMED_DATE), "{bad}");
    }
}

#[test]
fn office_amounts() {
    for (text, want) in [
        ("￥41,000", 41_000),
        ("¥41,000", 41_000),
        ("\\41,000", 41_000),
        ("41,000円", 41_000),
        ("4.1万円", 41_000),
        ("41000", 41_000),
        ("-￥1,000", -1_000),
        ("￥４１，０００", 41_000),
    ] {
        assert_eq!(parse_yen_fact(text), Ok(int(want)), "{text}");
    }
    for bad in ["￥", "￥-1", "￥￥1", "41,00円", "円", "1￥"] {
        assert_eq!(parse_yen_fact(bad), Err(MALFORMED_MONEY), "{bad}");
    }
}

proptest! {
    /// The facts' date reader reads every text the grammar's date literal takes as the grammar
    /// does: the same day, or the same error (era range, no such day, before 1873).
    #[test]
    fn the_facts_date_reader_agrees_with_the_literals(text in date_lit_text()) {
        prop_assert_eq!(parse_date_fact(&text), parse_date(&text), "{}", text);
    }

    /// The facts' reader's fast path for `dddd-dd-dd` reads what the general path reads: the same
    /// day, or the same error (no such day, month 00 or 13, before 1873).
    #[test]
    fn iso_dates_read_fast_as_in_general(y in 0u32..10000, m in 0u32..100, d in 0u32..100) {
        let text = format!("{y:04}-{m:02}-{d:02}");
        prop_assert_eq!(parse_date_fact(&text), parse_date(&text), "{}", text);
    }

    /// Any text the literal parser reads, the facts' reader reads to the same day.
    #[test]
    fn the_facts_date_reader_extends_the_literals(s in junk()) {
        if let Ok(d) = parse_date(&s) {
            prop_assert_eq!(parse_date_fact(&s), Ok(d));
        }
        let _ = parse_yen_fact(&s);
    }

    /// Short 和暦 and slashes mean the same day as the long 和暦 and ISO forms.
    #[test]
    fn short_forms_mean_the_long_ones(offset in 0i64..=(date(2100, 12, 31) - GREGORIAN_START).num_days(), pad in any::<bool>()) {
        let d = GREGORIAN_START.checked_add_days(Days::new(offset.unsigned_abs())).unwrap_or(GREGORIAN_START);
        let slash = if pad {
            format!("{:04}/{:02}/{:02}", d.year(), d.month(), d.day())
        } else {
            format!("{}/{}/{}", d.year(), d.month(), d.day())
        };
        prop_assert_eq!(parse_date_fact(&slash), Ok(d));
        let wareki = format_wareki(d).unwrap_or_default();
        let era = Era::containing(d);
        prop_assert!(era.is_some());
        let era = era.unwrap_or(Era::Reiwa);
        let letters = ["M", "T", "S", "H", "R"];
        let letter = Era::ALL.iter().position(|e| *e == era).and_then(|k| letters.get(k)).unwrap_or(&"R");
        let n = d.year() - era.first_year() + 1;
        let short = if pad {
            format!("{letter}{n:02}.{:02}.{:02}", d.month(), d.day())
        } else {
            format!("{letter}{n}.{}.{}", d.month(), d.day())
        };
        prop_assert_eq!(parse_date_fact(&short), parse_date(&wareki), "{} / {}", short, wareki);
    }
}
