//! Dates as day numbers (days from 1970-01-01), and the civil calendar in linear integer
//! arithmetic: a day number taken apart into year, month and day and put together again with
//! division by constants only (H. Hinnant's `civil_from_days`/`days_from_civil`), so month
//! arithmetic (`+ Nか月`, 月末, 月初, 満了日) is exact, not sampled.

use super::{day_number, first, int_lit, Encoded, DATE_RANGE, E, V};

/// A date taken apart: year, month, day, and the leap-year count `q` and remainder `r` of the
/// year (`y − 1969 = 4q + r`).
struct Ymd {
    y: String,
    m: String,
    d: String,
    q: String,
    r: String,
}

/// The day numbers of the first and last date fact a proof covers: 1910-01-01 to 2090-12-31,
/// so every date a policy computes from them (a few years on either side) lies where the
/// four-year leap rule is the Gregorian one (1901–2099). Said in every proof's limits.
pub(crate) fn fact_range() -> (String, String) {
    let d = |y, m, dd| {
        chrono::NaiveDate::from_ymd_opt(y, m, dd)
            .map(day_number)
            .unwrap_or_default()
    };
    (
        int_lit(i128::from(d(1910, 1, 1))),
        int_lit(i128::from(d(2090, 12, 31))),
    )
}

/// The day numbers of the first and last date a result may be (1873-01-01 to
/// 9999-12-31, the range of date literals).
pub(crate) fn range() -> (String, String) {
    let d = |y, m, dd| {
        chrono::NaiveDate::from_ymd_opt(y, m, dd)
            .map(day_number)
            .unwrap_or_default()
    };
    (
        int_lit(i128::from(d(1873, 1, 1))),
        int_lit(i128::from(d(9999, 12, 31))),
    )
}

/// A literal integer term's value.
pub(super) fn lit(t: &str) -> Option<i64> {
    let t = t.trim();
    match t.strip_prefix("(- ").and_then(|r| r.strip_suffix(')')) {
        Some(n) => n.trim().parse::<i64>().ok().map(|n| -n),
        None => t.parse().ok(),
    }
}

impl Encoded<'_> {
    /// The date-range error of a computed day number.
    fn ranged(&mut self, day: String) -> E {
        let day = self.bind("Int", day);
        let (lo, hi) = range();
        E {
            err: Some(format!("(ite (<= {lo} {day} {hi}) 0 {DATE_RANGE})")),
            v: V::Date(day),
        }
    }

    /// Fresh year, month and day with the year's leap-year count: `y − 1969 = 4q + r`,
    /// `0 ≤ r ≤ 3` (leap exactly when `r = 3`: the rule of every fourth year, exact from 1901
    /// to 2099, which is why date facts are bounded by [`fact_range`]).
    fn ymd(&mut self, key: &str) -> Ymd {
        let base = super::hashed("c", key);
        let names: Vec<String> = ["y", "m", "d", "q", "r"]
            .iter()
            .map(|k| {
                let n = format!("{base}{k}");
                self.line(format!("(declare-const {n} Int)"));
                n
            })
            .collect();
        let g = |i: usize| names.get(i).cloned().unwrap_or_default();
        let v = Ymd {
            y: g(0),
            m: g(1),
            d: g(2),
            q: g(3),
            r: g(4),
        };
        self.line(format!(
            "(assert (and (= (- {y} 1969) (+ (* 4 {q}) {r})) (<= 0 {r} 3) (<= 1 {m} 12)))",
            y = v.y,
            q = v.q,
            r = v.r,
            m = v.m
        ));
        v
    }

    /// The day number of `y`/`m` (a [`Ymd`]'s) and day `d`.
    fn dfc(&self, v: &Ymd, d: &str) -> String {
        let cum = "(ite (= M 1) 0 (ite (= M 2) 31 (ite (= M 3) 59 (ite (= M 4) 90 (ite (= M 5) 120 (ite (= M 6) 151 (ite (= M 7) 181 (ite (= M 8) 212 (ite (= M 9) 243 (ite (= M 10) 273 (ite (= M 11) 304 334)))))))))))"
            .replace('M', &v.m);
        format!(
            "(+ (* 365 (- {y} 1970)) {q} {cum} (ite (and (> {m} 2) (= {r} 3)) 1 0) (- {d} 1))",
            y = v.y,
            q = v.q,
            m = v.m,
            r = v.r
        )
    }

    /// The last day of a [`Ymd`]'s month.
    fn last(&self, v: &Ymd) -> String {
        format!(
            "(ite (= {m} 2) (ite (= {r} 3) 29 28) (ite (or (= {m} 4) (= {m} 6) (= {m} 9) (= {m} 11)) 30 31))",
            m = v.m,
            r = v.r
        )
    }

    /// Year, month and day of day number `z` (fresh constants tied to it).
    fn civil(&mut self, z: &str) -> Ymd {
        let v = self.ymd(&format!("civil {z}"));
        let (dfc, last) = (self.dfc(&v, &v.d), self.last(&v));
        self.line(format!(
            "(assert (and (<= 1 {d} {last}) (= {z} {dfc})))",
            d = v.d
        ));
        v
    }

    /// The year and month `k` months after `v`'s.
    fn month_plus(&mut self, v: &Ymd, k: i64) -> Ymd {
        let w = self.ymd(&format!("plus {} {} {k}", v.y, v.m));
        self.line(format!(
            "(assert (= (+ (* {y} 12) (- {m} 1) {k}) (+ (* {y2} 12) (- {m2} 1))))",
            y = v.y,
            m = v.m,
            k = int_lit(k.into()),
            y2 = w.y,
            m2 = w.m
        ));
        w
    }

    /// `d + (months, days) × sign`: months first (the day clamped to the month's last, as
    /// chrono's `checked_add_months`), then days.
    pub(crate) fn shift(&mut self, d: &str, months: &str, days: &str, sign: i64) -> E {
        let Some(k) = lit(months) else {
            self.note("a date plus a period whose months are not a constant".into());
            let (lo, _) = range();
            return self.ranged(lo);
        };
        let moved = if k == 0 {
            d.to_string()
        } else {
            let v = self.civil(d);
            let w = self.month_plus(&v, k * sign);
            let last = self.last(&w);
            let day = format!("(ite (<= {dd} {last}) {dd} {last})", dd = v.d);
            self.dfc(&w, &day)
        };
        let term = if sign < 0 {
            format!("(- {moved} {days})")
        } else {
            format!("(+ {moved} {days})")
        };
        self.ranged(term)
    }

    /// `営業日後(d, n)` for a constant `n`: `d` plus the offset of `d`'s weekday, each of the seven
    /// computed here by the interpreter's own function on a week of reference dates.
    pub(crate) fn business_days(&mut self, d: &str, n: &str) -> E {
        let Some(n) = lit(n) else {
            self.note("営業日後 of a count that is not a constant".into());
            let (lo, _) = range();
            return self.ranged(lo);
        };
        // 2024-01-01 is a Monday; weekday w (0 = Monday) is that day + w.
        let Some(monday) = chrono::NaiveDate::from_ymd_opt(2024, 1, 1) else {
            return self.unknown(&onshi::types::Type::Date, "a reference date".into());
        };
        let mut offsets = Vec::new();
        for w in 0..7 {
            let day = monday + chrono::Duration::days(w);
            match onshi::ops::dates::business_days(day, n) {
                Some(r) => offsets.push(r.signed_duration_since(day).num_days()),
                None => {
                    return E {
                        v: V::Date("0".into()),
                        err: Some(DATE_RANGE.to_string()),
                    }
                }
            }
        }
        // Weekday of day number z: 1970-01-01 was a Thursday (3).
        let base = super::hashed("w", d);
        let (k, w) = (format!("{base}k"), format!("{base}w"));
        self.line(format!("(declare-const {k} Int)"));
        self.line(format!("(declare-const {w} Int)"));
        self.line(format!(
            "(assert (and (= (+ {d} 3) (+ (* 7 {k}) {w})) (<= 0 {w} 6)))"
        ));
        let mut off = int_lit(offsets.last().copied().unwrap_or(0).into());
        for (i, o) in offsets.iter().enumerate().rev().skip(1) {
            off = format!("(ite (= {w} {i}) {} {off})", int_lit((*o).into()));
        }
        self.ranged(format!("(+ {d} {off})"))
    }

    pub(crate) fn end_of_month(&mut self, d: &str) -> E {
        let v = self.civil(d);
        let last = self.last(&v);
        let day = self.dfc(&v, &last);
        self.ranged(day)
    }

    pub(crate) fn start_of_month(&mut self, d: &str) -> E {
        let v = self.civil(d);
        let day = self.dfc(&v, "1");
        self.ranged(day)
    }

    /// `満了日(d, months/days)` (民法140条・143条), a constant period.
    pub(crate) fn period_end(&mut self, d: &str, months: &str, days: &str) -> E {
        let (Some(k), Some(n)) = (lit(months), lit(days)) else {
            self.note("満了日 of a period that is not a constant".into());
            let (lo, _) = range();
            return self.ranged(lo);
        };
        if k < 0 || n < 0 {
            return E {
                v: V::Date("0".into()),
                err: Some(DATE_RANGE.to_string()),
            };
        }
        let end = if k == 0 {
            d.to_string()
        } else {
            let start = self.bind("Int", format!("(+ {d} 1)"));
            let v = self.civil(&start);
            let w = self.month_plus(&v, k);
            let last = self.last(&w);
            let corresponding = self.dfc(&w, &v.d);
            let last_date = self.dfc(&w, &last);
            self.bind(
                "Int",
                format!(
                    "(ite (<= {dd} {last}) (- {corresponding} 1) {last_date})",
                    dd = v.d
                ),
            )
        };
        let r = self.ranged(format!("(+ {end} {n})"));
        // The start (the day after `d`) must itself be a date.
        E {
            v: r.v,
            err: first(&[r.err]),
        }
    }
}
