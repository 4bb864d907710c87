//! Parsers for the literals of policy text and JSON facts (dates, 金額, 割合, integers,
//! decimals, 期間) and 和暦 formatting.
//!
//! Every parser takes the literal without surrounding whitespace, accepts full-width digits
//! and punctuation (see [`ascii_digits`]) and is total: it never panics, whatever the input.

use std::borrow::Cow;

use chrono::{Datelike, Days, Months, NaiveDate};

use crate::num::Num;

/// A Japanese era (元号) since the Meiji restoration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Era {
    Meiji,
    Taisho,
    Showa,
    Heisei,
    Reiwa,
}

/// `NaiveDate` from constant, known-valid parts (the fallback is never taken; tests check).
const fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => date,
        None => NaiveDate::MIN,
    }
}

/// 明治6年1月1日, the day Japan adopted the Gregorian calendar.
const GREGORIAN_START: NaiveDate = ymd(1873, 1, 1);
/// The first year a date literal may have.
pub const FIRST_YEAR: i32 = 1873;
/// The last year a date literal may have (ISO dates have exactly four digits).
const LAST_YEAR: i32 = 9999;

impl Era {
    /// All eras, oldest first.
    pub const ALL: [Era; 5] = [Era::Meiji, Era::Taisho, Era::Showa, Era::Heisei, Era::Reiwa];

    /// Name and first day (year, month, day) of the era.
    const fn info(self) -> (&'static str, i32, u32, u32) {
        match self {
            Era::Meiji => ("明治", 1868, 10, 23),
            Era::Taisho => ("大正", 1912, 7, 30),
            Era::Showa => ("昭和", 1926, 12, 25),
            Era::Heisei => ("平成", 1989, 1, 8),
            Era::Reiwa => ("令和", 2019, 5, 1),
        }
    }

    /// The era name as written: "明治", "大正", "昭和", "平成", "令和".
    pub const fn name(self) -> &'static str {
        self.info().0
    }

    /// The first day of the era (明治: 1868-10-23, the Gregorian date of 慶応4年9月8日).
    pub const fn first_day(self) -> NaiveDate {
        let (_, year, month, day) = self.info();
        ymd(year, month, day)
    }

    /// The last day of the era (the day before the next era's first day); `None` for 令和.
    pub fn last_day(self) -> Option<NaiveDate> {
        let next = Era::ALL.into_iter().skip_while(|&era| era != self).nth(1)?;
        next.first_day().pred_opt()
    }

    /// The Gregorian year of the era's 元年.
    pub const fn first_year(self) -> i32 {
        self.info().1
    }

    /// The era that contains `date`, `None` before 明治.
    fn containing(date: NaiveDate) -> Option<Era> {
        Era::ALL
            .into_iter()
            .rev()
            .find(|era| era.first_day() <= date)
    }

    /// Splits a leading era name off `s`.
    fn strip_prefix(s: &str) -> Option<(Era, &str)> {
        Era::ALL
            .into_iter()
            .find_map(|era| Some((era, s.strip_prefix(era.name())?)))
    }
}

/// The kind of literal a parser was reading, for error reports.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiteralKind {
    Date,
    Money,
    Ratio,
    Duration,
    Integer,
    Decimal,
}

/// Error data only (no wording: the diagnostics layer words them in Japanese and English).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LiteralError {
    /// The text is not a literal of this kind at all.
    Malformed { kind: LiteralKind },
    /// A calendar day that does not exist: 令和7年2月30日, 2025-13-01. `year` is the
    /// Gregorian year, also for 和暦 input.
    NoSuchDay { year: i32, month: u32, day: u32 },
    /// A 和暦 date outside its era, e.g. 平成31年5月1日 (平成 ended 2019-04-30). `suggestion` is the same
    /// day written in the era that contains it ("令和元年5月1日"), None if no era does.
    /// Year 0 (令和0年…) is reported here too, as the year before 元年.
    OutsideEra {
        era: Era,
        era_year: u32,
        month: u32,
        day: u32,
        suggestion: Option<String>,
    },
    /// 明治5年 and earlier used the lunisolar calendar: dates before 1873-01-01 (明治6年1月1日, when Japan
    /// adopted the Gregorian calendar) are rejected, for 和暦 and ISO alike.
    BeforeGregorian,
    /// A number too large for exact arithmetic; for dates, a year past 9999.
    Overflow { kind: LiteralKind },
    /// 1/0
    ZeroDenominator,
}

/// A period of whole months and days (年 is 12 months, 週 is 7 days).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub struct Duration {
    pub months: i64,
    pub days: i64,
}

/// Why a number scan failed, before it is given a [`LiteralKind`].
enum Fail {
    Malformed,
    Overflow,
}

impl Fail {
    fn into_error(self, kind: LiteralKind) -> LiteralError {
        match self {
            Fail::Malformed => LiteralError::Malformed { kind },
            Fail::Overflow => LiteralError::Overflow { kind },
        }
    }
}

fn ascii_char(c: char) -> Option<char> {
    match c {
        '０'..='９' => char::from_digit(u32::from(c).wrapping_sub(u32::from('０')), 10),
        '，' => Some(','),
        '．' => Some('.'),
        '／' => Some('/'),
        '％' => Some('%'),
        '－' => Some('-'),
        _ => None,
    }
}

/// Full-width ０-９ → 0-9, and full-width ，．／％－ → , . / % -; borrowed when nothing changes.
pub fn ascii_digits(s: &str) -> Cow<'_, str> {
    if s.chars().any(|c| ascii_char(c).is_some()) {
        Cow::Owned(s.chars().map(|c| ascii_char(c).unwrap_or(c)).collect())
    } else {
        Cow::Borrowed(s)
    }
}

/// `s` when it is 1 to 18 ASCII digits without a leading zero (or `0`): the common case of facts
/// files (`41000`), read without the general scanner. Every such text means the same number to
/// the general parsers (a property test checks it).
pub fn plain_digits(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let plain = (1..=18).contains(&b.len())
        && b.iter().all(u8::is_ascii_digit)
        && (b.len() == 1 || b.first() != Some(&b'0'));
    if plain {
        s.parse().ok()
    } else {
        None
    }
}

/// Splits the leading ASCII digits off `s`.
fn split_digits(s: &str) -> (&str, &str) {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    s.split_at_checked(end).unwrap_or((s, ""))
}

/// Appends decimal digits to `acc`; `None` on overflow (or if `acc` already overflowed).
fn accumulate(acc: Option<i128>, digits: &str) -> Option<i128> {
    digits.bytes().try_fold(acc?, |a, b| {
        a.checked_mul(10)?
            .checked_add(i128::from(b.wrapping_sub(b'0')))
    })
}

/// Splits an optional leading `+` or `-` off `s`; true when negative.
fn strip_sign(s: &str) -> (bool, &str) {
    match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    }
}

/// A scanned unsigned number: `value` is `None` when it overflowed (syntax was fine).
struct Scanned<'a> {
    value: Option<Num>,
    fraction: bool,
    rest: &'a str,
}

/// Scans `digits[,ddd…][.digits]` at the start of `s` (commas and fraction when allowed;
/// comma groups are 1-3 digits, then groups of exactly 3).
fn scan_unsigned(s: &str, commas: bool, fraction: bool) -> Result<Scanned<'_>, Fail> {
    let (first, mut rest) = split_digits(s);
    if first.is_empty() {
        return Err(Fail::Malformed);
    }
    let mut mantissa = accumulate(Some(0), first);
    if commas && rest.starts_with(',') {
        if first.len() > 3 {
            return Err(Fail::Malformed);
        }
        while let Some(after) = rest.strip_prefix(',') {
            let (group, tail) = split_digits(after);
            if group.len() != 3 {
                return Err(Fail::Malformed);
            }
            mantissa = accumulate(mantissa, group);
            rest = tail;
        }
    }
    let mut scale = 0;
    let mut has_fraction = false;
    if let Some(after) = rest.strip_prefix('.').filter(|_| fraction) {
        let (digits, tail) = split_digits(after);
        if digits.is_empty() {
            return Err(Fail::Malformed);
        }
        let digits = digits.trim_end_matches('0');
        mantissa = accumulate(mantissa, digits);
        scale = u32::try_from(digits.len()).unwrap_or(u32::MAX);
        has_fraction = true;
        rest = tail;
    }
    let value = mantissa.and_then(|m| Num::new(m, 10i128.checked_pow(scale)?));
    Ok(Scanned {
        value,
        fraction: has_fraction,
        rest,
    })
}

/// A whole signed number (`-1,234.5`), nothing else after it.
fn signed_number(s: &str, commas: bool, fraction: bool) -> Result<Num, Fail> {
    let (negative, body) = strip_sign(s);
    let scanned = scan_unsigned(body, commas, fraction)?;
    if !scanned.rest.is_empty() {
        return Err(Fail::Malformed);
    }
    let value = scanned.value.ok_or(Fail::Overflow)?;
    if negative {
        value.checked_neg().ok_or(Fail::Overflow)
    } else {
        Ok(value)
    }
}

/// The body of a yen amount (without 円): `411,000`, `41.1万`, `1億2000万`, `1万3千500`.
/// Units 億 > 万 > 千 appear in decreasing order, each term below the previous unit; a
/// decimal point is allowed only in a single-term amount.
fn yen_body(s: &str) -> Result<Num, Fail> {
    let (negative, mut rest) = strip_sign(s);
    let mut terms: Vec<(Option<Num>, u32)> = Vec::new();
    let mut fraction = false;
    loop {
        let scanned = scan_unsigned(rest, true, true)?;
        fraction |= scanned.fraction;
        let (exponent, tail) = [('億', 8), ('万', 4), ('千', 3)]
            .into_iter()
            .find_map(|(unit, e)| Some((e, scanned.rest.strip_prefix(unit)?)))
            .unwrap_or((0, scanned.rest));
        if terms
            .last()
            .is_some_and(|&(_, previous)| exponent >= previous)
        {
            return Err(Fail::Malformed);
        }
        terms.push((scanned.value, exponent));
        rest = tail;
        if exponent == 0 || rest.is_empty() {
            break;
        }
    }
    if !rest.is_empty() || (fraction && terms.len() > 1) {
        return Err(Fail::Malformed);
    }
    let mut total = Num::ZERO;
    let mut limit: Option<Num> = None;
    for (value, exponent) in terms {
        let scale = Num::from_int(10i128.checked_pow(exponent).ok_or(Fail::Overflow)?);
        let term = value
            .and_then(|v| v.checked_mul(scale))
            .ok_or(Fail::Overflow)?;
        if limit.is_some_and(|limit| term >= limit) {
            return Err(Fail::Malformed);
        }
        total = total.checked_add(term).ok_or(Fail::Overflow)?;
        limit = Some(scale);
    }
    if negative {
        total.checked_neg().ok_or(Fail::Overflow)
    } else {
        Ok(total)
    }
}

/// A yen amount with a required trailing 円: `0円`, `411,000円`, `41.1万円`, `300億円`,
/// `1億2000万円`, `3千円`, `0.5円`, `-100円`.
pub fn parse_money(s: &str) -> Result<Num, LiteralError> {
    let text = ascii_digits(s);
    let body = text.strip_suffix('円').ok_or(LiteralError::Malformed {
        kind: LiteralKind::Money,
    })?;
    yen_body(body).map_err(|f| f.into_error(LiteralKind::Money))
}

/// Like [`parse_money`] but the trailing 円 is optional (JSON facts: `"411000"`, `"41.1万"`).
pub fn parse_yen_number(s: &str) -> Result<Num, LiteralError> {
    if let Some(i) = plain_digits(s) {
        return Ok(Num::from_int(i128::from(i)));
    }
    let text = ascii_digits(s);
    let body = text.strip_suffix('円').unwrap_or(&text);
    yen_body(body).map_err(|f| f.into_error(LiteralKind::Money))
}

/// A ratio: `1/2`, `-3/4`, `75%`, `12.5%`, `100%`, or a plain decimal `0.5`; exact.
pub fn parse_ratio(s: &str) -> Result<Num, LiteralError> {
    const KIND: LiteralKind = LiteralKind::Ratio;
    let text = ascii_digits(s);
    if let Some(body) = text.strip_suffix('%') {
        let percent = signed_number(body, false, true).map_err(|f| f.into_error(KIND))?;
        return percent
            .checked_div(Num::from_int(100))
            .ok_or(LiteralError::Overflow { kind: KIND });
    }
    if let Some((numerator, denominator)) = text.split_once('/') {
        let n = signed_number(numerator, false, false).map_err(|f| f.into_error(KIND));
        let d = scan_unsigned(denominator, false, false).map_err(|f| f.into_error(KIND))?;
        if !d.rest.is_empty() {
            return Err(LiteralError::Malformed { kind: KIND });
        }
        let n = n?;
        let d = d.value.ok_or(LiteralError::Overflow { kind: KIND })?;
        if d.is_zero() {
            return Err(LiteralError::ZeroDenominator);
        }
        return n
            .checked_div(d)
            .ok_or(LiteralError::Overflow { kind: KIND });
    }
    signed_number(&text, false, true).map_err(|f| f.into_error(KIND))
}

/// An integer with optional sign and optional comma grouping: `42`, `-7`, `1,000`.
pub fn parse_integer(s: &str) -> Result<i64, LiteralError> {
    if let Some(i) = plain_digits(s) {
        return Ok(i);
    }
    const KIND: LiteralKind = LiteralKind::Integer;
    let value = signed_number(&ascii_digits(s), true, false).map_err(|f| f.into_error(KIND))?;
    i64::try_from(value.numer()).map_err(|_| LiteralError::Overflow { kind: KIND })
}

/// A decimal with optional sign and optional comma grouping: `1.5`, `-0.25`, `3`; exact.
pub fn parse_decimal(s: &str) -> Result<Num, LiteralError> {
    if let Some(i) = plain_digits(s) {
        return Ok(Num::from_int(i128::from(i)));
    }
    signed_number(&ascii_digits(s), true, true).map_err(|f| f.into_error(LiteralKind::Decimal))
}

/// A period: `6か月` (also ヶ月 カ月 ケ月 ヵ月 箇月), `1年` (12 months), `2週間` / `2週`
/// (14 days), `5日`; terms may be combined largest first (`1年6か月`) and the last may
/// end in 間 (`3か月間`, `5日間`).
pub fn parse_duration(s: &str) -> Result<Duration, LiteralError> {
    const KIND: LiteralKind = LiteralKind::Duration;
    const MALFORMED: LiteralError = LiteralError::Malformed { kind: KIND };
    // (unit, rank, months per unit, days per unit); ranks must strictly decrease.
    const UNITS: [(&str, u8, i64, i64); 9] = [
        ("年", 3, 12, 0),
        ("か月", 2, 1, 0),
        ("ヶ月", 2, 1, 0),
        ("カ月", 2, 1, 0),
        ("ケ月", 2, 1, 0),
        ("ヵ月", 2, 1, 0),
        ("箇月", 2, 1, 0),
        ("週", 1, 0, 7),
        ("日", 0, 0, 1),
    ];
    let text = ascii_digits(s);
    let mut rest: &str = &text;
    let mut previous: Option<u8> = None;
    let mut total = Some(Duration::default());
    while !rest.is_empty() {
        let (digits, tail) = split_digits(rest);
        let (rank, months, days, tail) = UNITS
            .into_iter()
            .find_map(|(unit, rank, m, d)| Some((rank, m, d, tail.strip_prefix(unit)?)))
            .ok_or(MALFORMED)?;
        if digits.is_empty() || previous.is_some_and(|p| rank >= p) {
            return Err(MALFORMED);
        }
        rest = match tail.strip_prefix('間') {
            Some("") => "",
            Some(_) => return Err(MALFORMED),
            None => tail,
        };
        previous = Some(rank);
        let n = accumulate(Some(0), digits).and_then(|n| i64::try_from(n).ok());
        total = total.zip(n).and_then(|(t, n)| {
            Some(Duration {
                months: t.months.checked_add(n.checked_mul(months)?)?,
                days: t.days.checked_add(n.checked_mul(days)?)?,
            })
        });
    }
    if previous.is_none() {
        return Err(MALFORMED);
    }
    total.ok_or(LiteralError::Overflow { kind: KIND })
}

/// 民法143条-style calendar addition: add whole months (clamping to the last day of the target
/// month: 2023-08-31 + 6か月 = 2024-02-29), then days. `sign` must be +1 or -1 (else `None`).
/// `None` on overflow or outside chrono's range.
pub fn add_duration(d: NaiveDate, dur: Duration, sign: i64) -> Option<NaiveDate> {
    if sign != 1 && sign != -1 {
        return None;
    }
    let months = dur.months.checked_mul(sign)?;
    let days = dur.days.checked_mul(sign)?;
    let whole = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    let d = if months >= 0 {
        d.checked_add_months(whole)?
    } else {
        d.checked_sub_months(whole)?
    };
    let days_abs = Days::new(days.unsigned_abs());
    if days >= 0 {
        d.checked_add_days(days_abs)
    } else {
        d.checked_sub_days(days_abs)
    }
}

/// The last day of a period of `dur` counted as the 民法 counts it (`満了日`): the first day `d` is
/// not counted (140条, 初日不算入), so counting starts the next day; a period of days or weeks ends
/// at the end of its last day (141条: `d` + the days); a period of months or years ends the day
/// before the day of its last month that corresponds to the day counting started, or on that
/// month's last day when it has no such day (143条). 2023-09-30 + 6か月 → 2024-03-31 (plain month
/// addition gives 2024-03-30); 2023-08-31 → 2024-02-29; 2024-02-29 → 2024-08-31. Days are added
/// after the months. `None` for a negative period, on overflow or outside chrono's range.
pub fn period_end(d: NaiveDate, dur: Duration) -> Option<NaiveDate> {
    if dur.months < 0 || dur.days < 0 {
        return None;
    }
    let end = if dur.months == 0 {
        d
    } else {
        let start = d.succ_opt()?;
        let first = start.with_day(1)?;
        let target = first.checked_add_months(Months::new(u32::try_from(dur.months).ok()?))?;
        match target.with_day(start.day()) {
            Some(corresponding) => corresponding.pred_opt()?,
            // No corresponding day (the 31st in a month of 30 days): that month's last day.
            None => target.checked_add_months(Months::new(1))?.pred_opt()?,
        }
    };
    end.checked_add_days(Days::new(dur.days.unsigned_abs()))
}

/// A date: ISO `YYYY-MM-DD` (four-digit year, 1-2 digit month and day), `YYYY年M月D日`, or 和暦
/// `ERA(N|元)年M月D日` with ERA one of 明治 大正 昭和 平成 令和 (`令和1年` = `令和元年`).
/// Years must be 1873..=9999 ([`LiteralError::BeforeGregorian`] / `Overflow` otherwise);
/// 和暦 dates must lie inside their era ([`LiteralError::OutsideEra`]).
pub fn parse_date(s: &str) -> Result<NaiveDate, LiteralError> {
    let text = ascii_digits(s);
    match Era::strip_prefix(&text) {
        Some((era, rest)) => parse_wareki(era, rest),
        None => parse_iso(&text),
    }
}

const DATE_MALFORMED: LiteralError = LiteralError::Malformed {
    kind: LiteralKind::Date,
};

/// Reads 1-2 digits then `sep` (if any) at the start of `s`.
fn small_field<'a>(s: &'a str, sep: &str) -> Result<(u32, &'a str), LiteralError> {
    let (digits, tail) = split_digits(s);
    let tail = tail.strip_prefix(sep).ok_or(DATE_MALFORMED)?;
    if !(1..=2).contains(&digits.len()) {
        return Err(DATE_MALFORMED);
    }
    let value = accumulate(Some(0), digits).and_then(|v| u32::try_from(v).ok());
    Ok((value.ok_or(DATE_MALFORMED)?, tail))
}

/// `2025-12-01`, or the same date with kanji separators, `2025年12月1日` (西暦).
fn parse_iso(s: &str) -> Result<NaiveDate, LiteralError> {
    let (year_digits, tail) = split_digits(s);
    let (after_month, after_day, tail) = match tail.strip_prefix('-') {
        Some(t) => ("-", "", t),
        None => ("月", "日", tail.strip_prefix('年').ok_or(DATE_MALFORMED)?),
    };
    let (month, tail) = small_field(tail, after_month)?;
    let (day, tail) = small_field(tail, after_day)?;
    if year_digits.len() != 4 || !tail.is_empty() {
        return Err(DATE_MALFORMED);
    }
    let year = accumulate(Some(0), year_digits).and_then(|y| i32::try_from(y).ok());
    calendar_day(year.ok_or(DATE_MALFORMED)?, month, day)
}

fn parse_wareki(era: Era, s: &str) -> Result<NaiveDate, LiteralError> {
    let (year_digits, tail) = split_digits(s);
    let (era_year, tail) = if year_digits.is_empty() {
        (Some(1), tail.strip_prefix('元').ok_or(DATE_MALFORMED)?)
    } else {
        let year = accumulate(Some(0), year_digits).and_then(|y| u32::try_from(y).ok());
        (year, tail)
    };
    let tail = tail.strip_prefix('年').ok_or(DATE_MALFORMED)?;
    let (month, tail) = small_field(tail, "月")?;
    let (day, tail) = small_field(tail, "日")?;
    if !tail.is_empty() {
        return Err(DATE_MALFORMED);
    }
    wareki_day(era, era_year, month, day)
}

/// The day `era_year`/`month`/`day` of `era` (`None`: the year overflowed), checked to lie in
/// the era as for 和暦 literals.
fn wareki_day(
    era: Era,
    era_year: Option<u32>,
    month: u32,
    day: u32,
) -> Result<NaiveDate, LiteralError> {
    const OVERFLOW: LiteralError = LiteralError::Overflow {
        kind: LiteralKind::Date,
    };
    let era_year = era_year.ok_or(OVERFLOW)?;
    let year = i64::from(era.first_year()) + i64::from(era_year) - 1;
    let date = calendar_day(i32::try_from(year).map_err(|_| OVERFLOW)?, month, day)?;
    if date < era.first_day() || era.last_day().is_some_and(|last| date > last) {
        return Err(LiteralError::OutsideEra {
            era,
            era_year,
            month,
            day,
            suggestion: format_wareki(date),
        });
    }
    Ok(date)
}

/// A date as facts, CSV cells and spreadsheets write it: every form [`parse_date`] reads (so a
/// policy's date literal and the same text in the facts are the same day), and the forms Japanese
/// Excel and people write: `2025/10/1`, `2025/10/01`, `2025.10.1` (one separator), and the short
/// 和暦 `R7.4.1`, `R07.04.01`, `H31.4.30`, `令7.4.1` (`M`/`明` 明治, `T`/`大` 大正, `S`/`昭` 昭和,
/// `H`/`平` 平成, `R`/`令` 令和, letters in either case, `.`, `/` or `-` between the fields), with
/// full-width digits and letters too — the forms the pages' date reader (`playground/shared/
/// dates.js`) takes. Era checks are those of 和暦 literals: `H31.5.1` is
/// [`LiteralError::OutsideEra`] suggesting `令和元年5月1日`. Total, like every parser here.
pub fn parse_date_fact(s: &str) -> Result<NaiveDate, LiteralError> {
    // The common case of facts files, `2025-12-01`, read without the general scanner: exactly
    // what the path below reads from it (four digits, `-`, two, `-`, two; then the calendar).
    if let [y0, y1, y2, y3, b'-', m0, m1, b'-', d0, d1] = *s.as_bytes() {
        let digit = |b: u8| b.is_ascii_digit().then(|| i32::from(b) - i32::from(b'0'));
        if let (Some(y0), Some(y1), Some(y2), Some(y3), Some(m0), Some(m1), Some(d0), Some(d1)) = (
            digit(y0),
            digit(y1),
            digit(y2),
            digit(y3),
            digit(m0),
            digit(m1),
            digit(d0),
            digit(d1),
        ) {
            let year = ((y0 * 10 + y1) * 10 + y2) * 10 + y3;
            let (month, day) = ((m0 * 10 + m1).unsigned_abs(), (d0 * 10 + d1).unsigned_abs());
            return calendar_day(year, month, day);
        }
    }
    let text = ascii_digits(s);
    let text: Cow<'_, str> = if text.chars().any(|c| matches!(c, 'Ａ'..='Ｚ' | 'ａ'..='ｚ')) {
        Cow::Owned(
            text.chars()
                .map(|c| match c {
                    'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
                        char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
                    }
                    c => c,
                })
                .collect(),
        )
    } else {
        text
    };
    let text = text.trim();
    let mut chars = text.chars();
    let first = chars.next();
    let rest = chars.as_str();
    let short_kanji = !rest.starts_with(['和', '成', '正', '治']);
    let era = match first {
        Some('M' | 'm') => Some(Era::Meiji),
        Some('T' | 't') => Some(Era::Taisho),
        Some('S' | 's') => Some(Era::Showa),
        Some('H' | 'h') => Some(Era::Heisei),
        Some('R' | 'r') => Some(Era::Reiwa),
        Some('明') if short_kanji => Some(Era::Meiji),
        Some('大') if short_kanji => Some(Era::Taisho),
        Some('昭') if short_kanji => Some(Era::Showa),
        Some('平') if short_kanji => Some(Era::Heisei),
        Some('令') if short_kanji => Some(Era::Reiwa),
        _ => None,
    };
    if let Some(era) = era {
        return parse_short_wareki(era, rest.strip_prefix('.').unwrap_or(rest));
    }
    let (year_digits, tail) = split_digits(text);
    if let Some(sep) = ['/', '.'].into_iter().find(|c| tail.starts_with(*c)) {
        let tail = tail.get(1..).ok_or(DATE_MALFORMED)?;
        let mut buf = [0u8; 4];
        let (month, tail) = small_field(tail, sep.encode_utf8(&mut buf))?;
        let (day, tail) = small_field(tail, "")?;
        if year_digits.len() != 4 || !tail.is_empty() {
            return Err(DATE_MALFORMED);
        }
        let year = accumulate(Some(0), year_digits).and_then(|y| i32::try_from(y).ok());
        return calendar_day(year.ok_or(DATE_MALFORMED)?, month, day);
    }
    parse_date(text)
}

/// `7.4.1`, `07/04/01`, `7-4-1` after an era's letter: 1-2 digit year, month and day, one
/// separator.
fn parse_short_wareki(era: Era, s: &str) -> Result<NaiveDate, LiteralError> {
    let (year_digits, tail) = split_digits(s);
    let sep = match tail.chars().next() {
        Some(c @ ('.' | '/' | '-')) => c,
        _ => return Err(DATE_MALFORMED),
    };
    let tail = tail.get(1..).ok_or(DATE_MALFORMED)?;
    let mut buf = [0u8; 4];
    let sep = sep.encode_utf8(&mut buf);
    let (month, tail) = small_field(tail, sep)?;
    let (day, tail) = small_field(tail, "")?;
    if !(1..=2).contains(&year_digits.len()) || !tail.is_empty() {
        return Err(DATE_MALFORMED);
    }
    let era_year = accumulate(Some(0), year_digits).and_then(|y| u32::try_from(y).ok());
    wareki_day(era, era_year, month, day)
}

/// An amount as facts and spreadsheets write it: every form of [`parse_yen_number`] (`41000`,
/// `41,000円`, `4.1万円`), also after a yen sign (`￥41,000`, `¥41,000`, and `\41,000`, the yen sign
/// of CP932 text).
pub fn parse_yen_fact(s: &str) -> Result<Num, LiteralError> {
    if let Some(i) = plain_digits(s) {
        return Ok(Num::from_int(i128::from(i)));
    }
    let (negative, body) = match s.strip_prefix(['-', '－']) {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    match body.strip_prefix(['￥', '¥', '\\']) {
        Some(rest) if !rest.starts_with(['-', '－', '+']) => {
            let n = parse_yen_number(rest)?;
            if negative {
                n.checked_neg().ok_or(LiteralError::Overflow {
                    kind: LiteralKind::Money,
                })
            } else {
                Ok(n)
            }
        }
        Some(_) => Err(LiteralError::Malformed {
            kind: LiteralKind::Money,
        }),
        None => parse_yen_number(s),
    }
}

/// Whether `d` lies in the range a date literal may have (1873-01-01 to 9999-12-31), so that every
/// date the evaluator computes can be written back as a literal or a JSON fact.
pub fn date_in_range(d: NaiveDate) -> bool {
    d >= GREGORIAN_START && d.year() <= LAST_YEAR
}

/// Checks the year range and that the day exists.
fn calendar_day(year: i32, month: u32, day: u32) -> Result<NaiveDate, LiteralError> {
    if year < FIRST_YEAR {
        return Err(LiteralError::BeforeGregorian);
    }
    if year > LAST_YEAR {
        return Err(LiteralError::Overflow {
            kind: LiteralKind::Date,
        });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or(LiteralError::NoSuchDay { year, month, day })
}

/// The date in 和暦: "令和7年12月1日", "令和元年5月1日"; `None` before 1873-01-01.
pub fn format_wareki(d: NaiveDate) -> Option<String> {
    if d < GREGORIAN_START {
        return None;
    }
    let era = Era::containing(d)?;
    let n = d.year() - era.first_year() + 1;
    let year = if n == 1 {
        "元".to_string()
    } else {
        n.to_string()
    };
    Some(format!(
        "{}{}年{}月{}日",
        era.name(),
        year,
        d.month(),
        d.day()
    ))
}

#[cfg(test)]
mod tests;
