//! The national-holiday built-ins, exact over the interpreter's calendar
//! ([`onshi::ops::holidays`], 1980–2027): `祝日(d)` as membership in the table of holiday day
//! numbers, and `祝日を除く営業日後(d, n)` for a constant `n` as `営業日後(d, n)` plus a shift read
//! from a search tree over the runs of dates that share it. Both are the interpreter's own
//! functions tabulated here, so the encoding says what the interpreter computes, error included.

use super::calendar::lit;
use super::{day_number, int_lit, Encoded, DATE_RANGE, E, HOLIDAY_CALENDAR, V};
use chrono::NaiveDate;
use onshi::ops::{dates, holidays};

/// The largest |n| tabulated; a larger count is searched, not proved.
const MAX_COUNT: i64 = 400;

/// The first and last day the calendar knows, as day numbers.
fn known_days() -> (i64, i64) {
    let day = |y, m, d| {
        NaiveDate::from_ymd_opt(y, m, d)
            .map(day_number)
            .unwrap_or_default()
    };
    (
        day(holidays::FIRST_YEAR, 1, 1),
        day(holidays::LAST_YEAR, 12, 31),
    )
}

/// `(ite (< d start) left right)` over runs `(first day, term)` sorted by first day: the term of
/// the run holding `d` (the first run's before it), in depth log2(runs).
fn tree(d: &str, runs: &[(i64, String)]) -> String {
    match runs {
        [] => "0".into(),
        [(_, t)] => t.clone(),
        _ => {
            let (left, right) = runs.split_at(runs.len() / 2);
            let start = right.first().map_or(0, |r| r.0);
            format!(
                "(ite (< {d} {}) {} {})",
                int_lit(start.into()),
                tree(d, left),
                tree(d, right)
            )
        }
    }
}

impl Encoded<'_> {
    /// A large table term as a declared constant asserted equal to it: z3 takes seconds to
    /// expand such a term bound by `define-fun`, and milliseconds this way.
    fn table(&mut self, term: String) -> String {
        let name = super::hashed("h", &term);
        if self.emitted.insert(name.clone()) {
            self.line(format!("(declare-const {name} Int)"));
            self.line(format!("(assert (= {name} {term}))"));
        }
        name
    }

    /// `祝日(d)`: `d` is one of the holidays the interpreter's calendar lists (a finite table, so
    /// exact); outside the calendar's years, its error.
    pub(crate) fn holiday(&mut self, d: &str) -> E {
        let d = self.bind("Int", d.to_string());
        let (lo, hi) = known_days();
        let is = super::expr::or(
            holidays::all().map(|h| format!("(= {d} {})", int_lit(day_number(h).into()))),
        );
        let err = format!(
            "(ite (<= {} {d} {}) 0 {HOLIDAY_CALENDAR})",
            int_lit(lo.into()),
            int_lit(hi.into())
        );
        E {
            v: V::Bool(self.bind("Bool", is)),
            err: Some(self.bind("Int", err)),
        }
    }

    /// `祝日を除く営業日後(d, n)` for a constant `n` (|n| ≤ [`MAX_COUNT`]): every date from which
    /// the count can stay within the calendar's years is tabulated with the interpreter's
    /// function, as its shift from `営業日後(d, n)` (zero away from holidays) or its error; a date
    /// further out has the calendar's error, as in the interpreter.
    pub(crate) fn holiday_business_days(&mut self, d: &str, n: &str) -> E {
        let Some(n) = lit(n).filter(|n| n.abs() <= MAX_COUNT) else {
            return self.unknown(
                &onshi::types::Type::Date,
                format!("祝日を除く営業日後 of a count that is not a constant from -{MAX_COUNT} to {MAX_COUNT}"),
            );
        };
        let d = self.bind("Int", d.to_string());
        let plain = self.business_days(&d, &n.to_string());
        if n == 0 {
            return plain;
        }
        // n business days span fewer than 2|n| + 30 days, holidays included.
        let (lo, hi) = known_days();
        let margin = 2 * n.abs() + 30;
        let (first, last) = (lo - margin, hi + margin);
        let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
        let mut shifts: Vec<(i64, String)> = Vec::new();
        let mut errs: Vec<(i64, String)> = Vec::new();
        let push = |runs: &mut Vec<(i64, String)>, at: i64, t: String| {
            if runs.last().map(|r| &r.1) != Some(&t) {
                runs.push((at, t));
            }
        };
        for z in first..=last {
            let day = epoch + chrono::Duration::days(z);
            let (shift, err) = match (
                holidays::business_days(day, n),
                dates::business_days(day, n),
            ) {
                (Ok(Some(h)), Some(p)) => (h.signed_duration_since(p).num_days(), 0),
                (Ok(_), _) => (0, DATE_RANGE),
                (Err(_), _) => (0, HOLIDAY_CALENDAR),
            };
            push(&mut shifts, z, int_lit(shift.into()));
            push(&mut errs, z, err.to_string());
        }
        let shift = self.table(tree(&d, &shifts));
        let err = self.table(tree(&d, &errs));
        let v = match plain.v {
            V::Date(p) => self.bind("Int", format!("(+ {p} {shift})")),
            _ => return self.unknown(&onshi::types::Type::Date, "祝日を除く営業日後".into()),
        };
        let err = format!(
            "(ite (<= {} {d} {}) {err} {HOLIDAY_CALENDAR})",
            int_lit(first.into()),
            int_lit(last.into())
        );
        E {
            v: V::Date(v),
            err: Some(self.bind("Int", err)),
        }
    }
}
