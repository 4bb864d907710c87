//! Japan's national holidays (国民の祝日に関する法律): `祝日(日付)` and `祝日を除く営業日後(日付, n)`.
//!
//! The calendar is exact for the years [`FIRST_YEAR`] to [`LAST_YEAR`] and knows nothing outside
//! them: a question about another date is [`Unknown`] (`onshi::eval::holiday_calendar`), never a
//! guess. Within those years it is the law's rules as they stood each year (fixed days, the
//! ハッピーマンデー days from 2000 and 2003, 振替休日 (the next day before 2007, the next day that
//! is not a 国民の祝日 since), 国民の休日 (a day between two 国民の祝日, from 1985-12-27), the
//! days set by special laws (1989, 1990, 1993, 2019, and the moved days of 2020 and 2021)) and
//! the 春分の日 and 秋分の日 that the 官報 published each February for the next year ([`EQUINOXES`]:
//! no formula). A later year is added by one row of [`EQUINOXES`] once its days are published, and
//! by a rule here if the law changes.

use chrono::{Datelike, NaiveDate, Weekday};

/// The first year the calendar knows.
pub const FIRST_YEAR: i32 = 1980;
/// The last year the calendar knows: its 春分の日 and 秋分の日 were published in February 2026.
pub const LAST_YEAR: i32 = 2027;

/// 春分の日 (a day of March) and 秋分の日 (a day of September) of each year from [`FIRST_YEAR`],
/// as published (国立天文台 暦要項 in the 官報).
#[rustfmt::skip]
const EQUINOXES: [(u32, u32); 48] = [
    (20, 23), (21, 23), (21, 23), (21, 23), (20, 23), (21, 23), (21, 23), (21, 23), // 1980-1987
    (20, 23), (21, 23), (21, 23), (21, 23), (20, 23), (20, 23), (21, 23), (21, 23), // 1988-1995
    (20, 23), (20, 23), (21, 23), (21, 23), (20, 23), (20, 23), (21, 23), (21, 23), // 1996-2003
    (20, 23), (20, 23), (21, 23), (21, 23), (20, 23), (20, 23), (21, 23), (21, 23), // 2004-2011
    (20, 22), (20, 23), (21, 23), (21, 23), (20, 22), (20, 23), (21, 23), (21, 23), // 2012-2019
    (20, 22), (20, 23), (21, 23), (21, 23), (20, 22), (20, 23), (20, 23), (21, 23), // 2020-2027
];

/// A date the calendar does not know: its year is outside [`FIRST_YEAR`]..=[`LAST_YEAR`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unknown(pub NaiveDate);

/// `d`, when the calendar knows its year.
fn known(d: NaiveDate) -> Result<NaiveDate, Unknown> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(Unknown(d))
    }
}

/// `祝日(d)`: whether `d` is a 休日 under the law: a 国民の祝日, a 振替休日, a 国民の休日, or a
/// day a special law made a 休日.
pub fn is_holiday(d: NaiveDate) -> Result<bool, Unknown> {
    let d = known(d)?;
    Ok(national(d) || special(d) || substitute(d) || between(d))
}

/// `祝日を除く営業日後(d, n)`: `n` business days after `d` (Monday to Friday, not a holiday),
/// counting back when `n` is negative. `Ok(None)` when the result leaves the range of dates (the
/// caller reports `onshi::eval::date_range`); |n| is at most 100,000, as for `営業日後`.
pub fn business_days(d: NaiveDate, n: i64) -> Result<Option<NaiveDate>, Unknown> {
    if n.unsigned_abs() > 100_000 {
        return Ok(None);
    }
    let step = chrono::Duration::days(if n < 0 { -1 } else { 1 });
    let mut left = n.unsigned_abs();
    let mut cur = d;
    while left > 0 {
        let Some(next) = cur.checked_add_signed(step) else {
            return Ok(None);
        };
        cur = next;
        if cur.weekday().number_from_monday() <= 5 && !is_holiday(cur)? {
            left -= 1;
        }
    }
    Ok(Some(cur).filter(|d| onshi_grammar::literal::date_in_range(*d)))
}

/// Every holiday the calendar knows, in order (the solver's table).
pub fn all() -> impl Iterator<Item = NaiveDate> {
    let first = NaiveDate::from_ymd_opt(FIRST_YEAR, 1, 1);
    let last = NaiveDate::from_ymd_opt(LAST_YEAR, 12, 31);
    first
        .into_iter()
        .flat_map(move |f| f.iter_days().take_while(move |d| Some(*d) <= last))
        .filter(|d| is_holiday(*d) == Ok(true))
}

/// The `n`th Monday of month `m` of year `y` (ハッピーマンデー).
fn nth_monday(y: i32, m: u32, n: u32) -> Option<u32> {
    let first = NaiveDate::from_ymd_opt(y, m, 1)?;
    let to_monday = (7 - first.weekday().num_days_from_monday()) % 7;
    Some(1 + to_monday + 7 * (n - 1))
}

/// Whether `d` is a 国民の祝日 (article 2 of the law as it stood in `d`'s year, with the days the
/// special laws of 2019–2021 moved or deemed 国民の祝日).
fn national(d: NaiveDate) -> bool {
    let (y, m, day) = (d.year(), d.month(), d.day());
    let monday = |n| nth_monday(y, m, n) == Some(day);
    let equinox = usize::try_from(y - FIRST_YEAR)
        .ok()
        .and_then(|i| EQUINOXES.get(i))
        .copied();
    match m {
        1 => day == 1 || if y < 2000 { day == 15 } else { monday(2) },
        2 => day == 11 || (y >= 2020 && day == 23),
        3 => equinox.is_some_and(|(spring, _)| day == spring),
        4 => day == 29,
        5 => day == 3 || day == 5 || (y >= 2007 && day == 4) || (y == 2019 && day == 1),
        7 => match y {
            2020 => day == 23 || day == 24,
            2021 => day == 22 || day == 23,
            1996..=2002 => day == 20,
            _ => y >= 2003 && monday(3),
        },
        8 => match y {
            2020 => day == 10,
            2021 => day == 8,
            _ => y >= 2016 && day == 11,
        },
        9 => {
            (if y < 2003 { day == 15 } else { monday(3) })
                || equinox.is_some_and(|(_, autumn)| day == autumn)
        }
        10 => match y {
            2020 | 2021 => false,
            2019 => day == 22 || monday(2),
            _ if y < 2000 => day == 10,
            _ => monday(2),
        },
        11 => day == 3 || day == 23,
        12 => (1989..=2018).contains(&y) && day == 23,
        _ => false,
    }
}

/// The 休日 of special laws that are not 国民の祝日: 昭和天皇の大喪の礼 (1989-02-24), 即位礼正殿の儀
/// (1990-11-12), 皇太子徳仁親王の結婚の儀 (1993-06-09).
fn special(d: NaiveDate) -> bool {
    matches!(
        (d.year(), d.month(), d.day()),
        (1989, 2, 24) | (1990, 11, 12) | (1993, 6, 9)
    )
}

/// 振替休日 (article 3 (2)): before 2007, the Monday after a 国民の祝日 on a Sunday; since 2007,
/// the first day after it that is not a 国民の祝日.
fn substitute(d: NaiveDate) -> bool {
    if national(d) {
        return false;
    }
    let mut prev = d.pred_opt();
    if d.year() < 2007 {
        return prev.is_some_and(|p| national(p) && p.weekday() == Weekday::Sun);
    }
    while let Some(p) = prev.filter(|p| national(*p)) {
        if p.weekday() == Weekday::Sun {
            return true;
        }
        prev = p.pred_opt();
    }
    false
}

/// 国民の休日 (article 3 (3), from 1985-12-27): a day that is not a 国民の祝日 between two of them;
/// before 2007 not a Sunday nor a 振替休日.
fn between(d: NaiveDate) -> bool {
    let around = d.pred_opt().is_some_and(national) && d.succ_opt().is_some_and(national);
    if !around || national(d) || d < NaiveDate::from_ymd_opt(1985, 12, 27).unwrap_or(d) {
        return false;
    }
    d.year() >= 2007 || (d.weekday() != Weekday::Sun && !substitute(d))
}

#[cfg(test)]
#[path = "holidays_tests.rs"]
mod tests;
