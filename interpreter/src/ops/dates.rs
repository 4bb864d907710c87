//! Dates: the date built-ins and date arithmetic. Every computed date lies in the range of date
//! literals (1873..=9999), so every result can be written back as a literal or a JSON fact; a date
//! outside it is `None` (the evaluator reports `onshi::eval::date_range`).

use chrono::{Datelike, NaiveDate};
use onshi_grammar::literal::{add_duration, date_in_range, Duration};

/// `d`, when it lies in the range of date literals.
fn in_range(d: Option<NaiveDate>) -> Option<NaiveDate> {
    d.filter(|d| date_in_range(*d))
}

/// `翌日(d)`.
pub fn next_day(d: NaiveDate) -> Option<NaiveDate> {
    in_range(d.succ_opt())
}

/// `前日(d)`.
pub fn previous_day(d: NaiveDate) -> Option<NaiveDate> {
    in_range(d.pred_opt())
}

/// `月末(d)`: the last day of `d`'s month.
pub fn end_of_month(d: NaiveDate) -> Option<NaiveDate> {
    let (y, m) = if d.month() == 12 {
        (d.year().checked_add(1)?, 1)
    } else {
        (d.year(), d.month() + 1)
    };
    in_range(NaiveDate::from_ymd_opt(y, m, 1)?.pred_opt())
}

/// `月初(d)`: the first day of `d`'s month.
pub fn start_of_month(d: NaiveDate) -> Option<NaiveDate> {
    in_range(d.with_day(1))
}

/// `営業日後(d, n)`: `n` business days after `d` (Monday to Friday; national holidays are not
/// modelled), counting back when `n` is negative. Bounded: |n| is at most 100,000, else `None`.
pub fn business_days(d: NaiveDate, n: i64) -> Option<NaiveDate> {
    if n.unsigned_abs() > 100_000 {
        return None;
    }
    let step = if n < 0 { -1 } else { 1 };
    let mut left = n.unsigned_abs();
    let mut cur = d;
    while left > 0 {
        cur = cur.checked_add_signed(chrono::Duration::days(step))?;
        if cur.weekday().number_from_monday() <= 5 {
            left -= 1;
        }
    }
    in_range(Some(cur))
}

/// `満了日(d, p)`: the last day of period `p` counted from the day after `d` (民法140条・143条).
pub fn period_end(d: NaiveDate, p: Duration) -> Option<NaiveDate> {
    in_range(onshi_grammar::literal::period_end(d, p))
}

/// `d + p` (`sign` 1) or `d - p` (`sign` -1).
pub fn shift(d: NaiveDate, p: Duration, sign: i64) -> Option<NaiveDate> {
    in_range(add_duration(d, p, sign))
}

/// `a - b`: the days from `b` to `a`.
pub fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    a.signed_duration_since(b).num_days()
}
