use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn holidays_of(y: i32) -> Vec<(u32, u32)> {
    all()
        .filter(|h| h.year() == y)
        .map(|h| (h.month(), h.day()))
        .collect()
}

/// Whole years against the lists the Cabinet Office (内閣府「国民の祝日について」) publishes.
#[test]
fn whole_years_as_published() {
    // 2019: 即位の日 and 即位礼正殿の儀, the 国民の休日 around 5月1日, 振替休日 after 5月6日 and 8月12日.
    assert_eq!(
        holidays_of(2019),
        [
            (1, 1),
            (1, 14),
            (2, 11),
            (3, 21),
            (4, 29),
            (4, 30),
            (5, 1),
            (5, 2),
            (5, 3),
            (5, 4),
            (5, 5),
            (5, 6),
            (7, 15),
            (8, 11),
            (8, 12),
            (9, 16),
            (9, 23),
            (10, 14),
            (10, 22),
            (11, 3),
            (11, 4),
            (11, 23),
        ]
    );
    // 2021: the Olympic year's moved days (7月22日・23日, 8月8日 and its 振替休日 9日), no スポーツの日 in October.
    assert_eq!(
        holidays_of(2021),
        [
            (1, 1),
            (1, 11),
            (2, 11),
            (2, 23),
            (3, 20),
            (4, 29),
            (5, 3),
            (5, 4),
            (5, 5),
            (7, 22),
            (7, 23),
            (8, 8),
            (8, 9),
            (9, 20),
            (9, 23),
            (11, 3),
            (11, 23),
        ]
    );
    // 2026: 振替休日 5月6日 (5月3日 is a Sunday, 4日 and 5日 are holidays) and the 国民の休日 9月22日.
    assert_eq!(
        holidays_of(2026),
        [
            (1, 1),
            (1, 12),
            (2, 11),
            (2, 23),
            (3, 20),
            (4, 29),
            (5, 3),
            (5, 4),
            (5, 5),
            (5, 6),
            (7, 20),
            (8, 11),
            (9, 21),
            (9, 22),
            (9, 23),
            (10, 12),
            (11, 3),
            (11, 23),
        ]
    );
    // 1990: 振替休日 after 4月29日 and 9月23日, 即位礼正殿の儀 11月12日, 天皇誕生日 12月23日.
    assert_eq!(
        holidays_of(1990),
        [
            (1, 1),
            (1, 15),
            (2, 11),
            (2, 12),
            (3, 21),
            (4, 29),
            (4, 30),
            (5, 3),
            (5, 4),
            (5, 5),
            (9, 15),
            (9, 23),
            (9, 24),
            (10, 10),
            (11, 3),
            (11, 12),
            (11, 23),
            (12, 23),
            (12, 24),
        ]
    );
}

#[test]
fn the_laws_changes_over_the_years() {
    // 5月4日: 国民の休日 from 1988 (not on a Sunday, not when it is a 振替休日), みどりの日 from 2007.
    assert_eq!(is_holiday(d(1985, 5, 4)), Ok(false));
    assert_eq!(is_holiday(d(1988, 5, 4)), Ok(true));
    assert_eq!(is_holiday(d(1997, 5, 4)), Ok(false)); // a Sunday
    assert_eq!(is_holiday(d(2008, 5, 4)), Ok(true)); // a Sunday, みどりの日
    assert_eq!(is_holiday(d(2008, 5, 6)), Ok(true)); // 振替休日 two days after the Sunday
                                                     // Before 2007 a 振替休日 is only the next day.
    assert_eq!(is_holiday(d(1998, 5, 4)), Ok(true)); // 5月3日 a Sunday: 4日 振替休日
                                                     // 天皇誕生日 moved with the reign; none in 2019.
    assert_eq!(is_holiday(d(1988, 4, 29)), Ok(true));
    assert_eq!(is_holiday(d(2018, 12, 24)), Ok(true)); // 振替休日
    assert_eq!(is_holiday(d(2019, 12, 23)), Ok(false));
    assert_eq!(is_holiday(d(2020, 2, 24)), Ok(true)); // 振替休日
                                                      // ハッピーマンデー: 成人の日 and 体育の日 from 2000, 海の日 and 敬老の日 from 2003.
    assert_eq!(is_holiday(d(1999, 1, 15)), Ok(true));
    assert_eq!(is_holiday(d(2000, 1, 10)), Ok(true));
    assert_eq!(is_holiday(d(2000, 1, 15)), Ok(false));
    assert_eq!(is_holiday(d(2002, 7, 20)), Ok(true));
    assert_eq!(is_holiday(d(2003, 7, 21)), Ok(true));
    assert_eq!(is_holiday(d(2003, 9, 15)), Ok(true));
    assert_eq!(is_holiday(d(1995, 7, 20)), Ok(false)); // 海の日 from 1996
    assert_eq!(is_holiday(d(2015, 8, 11)), Ok(false)); // 山の日 from 2016
                                                       // The special days and the moved days of 2020.
    assert_eq!(is_holiday(d(1989, 2, 24)), Ok(true));
    assert_eq!(is_holiday(d(1993, 6, 9)), Ok(true));
    assert_eq!(is_holiday(d(2020, 7, 24)), Ok(true));
    assert_eq!(is_holiday(d(2020, 10, 12)), Ok(false));
    // The 2025-2027 days this project's policies meet.
    assert_eq!(is_holiday(d(2025, 11, 24)), Ok(true)); // 勤労感謝の日 on a Sunday
    assert_eq!(is_holiday(d(2027, 3, 22)), Ok(true)); // 春分の日 on a Sunday
    assert_eq!(is_holiday(d(2026, 3, 2)), Ok(false));
}

#[test]
fn outside_its_years_the_calendar_says_it_does_not_know() {
    assert_eq!(is_holiday(d(1979, 12, 31)), Err(Unknown(d(1979, 12, 31))));
    assert_eq!(is_holiday(d(2028, 1, 1)), Err(Unknown(d(2028, 1, 1))));
    assert_eq!(is_holiday(d(2027, 12, 31)), Ok(false));
    assert_eq!(is_holiday(d(1980, 1, 1)), Ok(true));
    // A count that walks out of the known years fails at the first weekday it cannot judge.
    assert_eq!(
        business_days(d(2027, 12, 30), 2),
        Err(Unknown(d(2028, 1, 3)))
    );
    assert_eq!(
        business_days(d(1980, 1, 4), -3),
        Err(Unknown(d(1979, 12, 31)))
    );
}

#[test]
fn business_days_skip_weekends_and_holidays() {
    // 令和7年12月1日 (Mon) back 5: 11月24日 is a 振替休日, so 11月21日 (Fri).
    assert_eq!(business_days(d(2025, 12, 1), -5), Ok(Some(d(2025, 11, 21))));
    // 令和8年3月2日 (Mon) back 5: 2月23日 天皇誕生日 is skipped, so 2月20日.
    assert_eq!(business_days(d(2026, 3, 2), -5), Ok(Some(d(2026, 2, 20))));
    // Golden Week 2026: 4月30日 (Thu) + 1 is 5月1日, + 2 is 5月7日.
    assert_eq!(business_days(d(2026, 4, 30), 1), Ok(Some(d(2026, 5, 1))));
    assert_eq!(business_days(d(2026, 4, 30), 2), Ok(Some(d(2026, 5, 7))));
    assert_eq!(business_days(d(2026, 4, 30), 0), Ok(Some(d(2026, 4, 30))));
    assert_eq!(business_days(d(2026, 4, 30), 100_001), Ok(None));
}

#[test]
fn every_known_year_has_all_its_days() {
    // 16 国民の祝日 a year since 2016 (15 from 2007, 14 from 海の日 in 1996, 13 from 1989, 12
    // before), plus the 振替休日 and 国民の休日 of the year: a missing equinox row would lose one.
    for y in FIRST_YEAR..=LAST_YEAR {
        let floor = match y {
            ..=1988 => 12,
            1989..=1995 => 13,
            1996..=2006 => 14,
            2007..=2015 => 15,
            _ => 16,
        };
        let n = holidays_of(y).len();
        assert!((floor..=22).contains(&n), "{y}: {n}");
    }
}
