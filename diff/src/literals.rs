//! The constants a program compares against, and the boundary values around them that the search
//! tries.

use chrono::NaiveDate;
use onshi::program::{CExpr, CKind, Matcher, Program};
use onshi::value::Value;
use onshi_grammar::literal::{self, Duration};
use onshi_grammar::num::Num;
use std::collections::BTreeSet;

/// The constants a program compares against: every literal in its definitions, rules, table cells
/// and input defaults (after constant folding, so `>= 大型チェーン薬局の受付回数` contributes 40000).
#[derive(Clone, Debug, Default)]
pub struct Literals {
    pub dates: BTreeSet<NaiveDate>,
    pub money: BTreeSet<Num>,
    pub ints: BTreeSet<i64>,
    pub ratios: BTreeSet<Num>,
    pub decimals: BTreeSet<Num>,
    pub durations: Vec<Duration>,
    pub texts: BTreeSet<String>,
}

impl Literals {
    /// The literals of one program (its imports included).
    pub fn of(program: &Program) -> Literals {
        let mut lits = Literals::default();
        let mut stack: Vec<&CExpr> = program.defs().iter().map(|d| &d.body).collect();
        for table in program.tables() {
            for row in &table.rows {
                for m in &row.keys {
                    match m {
                        Matcher::Any | Matcher::OneOf(_) => {}
                        Matcher::Eq(v) | Matcher::Cmp(_, v) => lits.add(v),
                        Matcher::Range(a, b) => {
                            lits.add(a);
                            lits.add(b);
                        }
                    }
                }
                stack.extend(row.results.iter());
            }
        }
        for input in program.inputs() {
            if let Some(v) = &input.default {
                lits.add(v);
            }
        }
        // An explicit stack (expression depth is bounded by the parser, but this needs no
        // recursion), filled by the library's visitor: children pushed in evaluation order, the
        // last one visited first.
        while let Some(e) = stack.pop() {
            if let CKind::Const(v) = &e.kind {
                lits.add(v);
            }
            e.for_each_child(|c| stack.push(c));
        }
        lits
    }

    /// The literals of both programs.
    pub fn merge(&mut self, other: &Literals) {
        self.dates.extend(other.dates.iter().copied());
        self.money.extend(other.money.iter().copied());
        self.ints.extend(other.ints.iter().copied());
        self.ratios.extend(other.ratios.iter().copied());
        self.decimals.extend(other.decimals.iter().copied());
        for d in &other.durations {
            if !self.durations.contains(d) {
                self.durations.push(*d);
            }
        }
        self.texts.extend(other.texts.iter().cloned());
    }

    fn add(&mut self, v: &Value) {
        match v {
            Value::Date(d) => {
                self.dates.insert(*d);
            }
            Value::Money(n) => {
                self.money.insert(*n);
            }
            Value::Int(i) => {
                self.ints.insert(*i);
            }
            Value::Ratio(n) => {
                self.ratios.insert(*n);
            }
            Value::Decimal(n) => {
                self.decimals.insert(*n);
            }
            Value::Duration(d) => {
                if !self.durations.contains(d) {
                    self.durations.push(*d);
                }
            }
            Value::Text(t) => {
                self.texts.insert(t.to_string());
            }
            Value::Row(cells) => cells.iter().for_each(|c| self.add(c)),
            Value::Bool(_) | Value::Enum(_) | Value::Set(_) | Value::Absent => {}
        }
    }

    /// The day before, on and after each date literal, ascending.
    pub fn date_boundaries(&self) -> Vec<NaiveDate> {
        let mut out = BTreeSet::new();
        for d in &self.dates {
            for x in [d.pred_opt(), Some(*d), d.succ_opt()].into_iter().flatten() {
                if literal::date_in_range(x) {
                    out.insert(x);
                }
            }
        }
        out.into_iter().collect()
    }

    /// 0, each money literal ±1 yen, and each amount divided by each rate (rounded both ways: the
    /// cost at which `rate × cost` reaches a cap), ascending. Negative amounts only when a literal
    /// is negative.
    pub fn money_boundaries(&self) -> Vec<Num> {
        let floor = self.money.iter().next().copied().unwrap_or(Num::ZERO);
        let lowest = if floor.signum() < 0 { floor } else { Num::ZERO };
        let mut out = BTreeSet::new();
        out.insert(Num::ZERO);
        let one = Num::ONE;
        let whole = |n: Num, out: &mut BTreeSet<Num>| {
            for x in [n.floor(), n.ceil()] {
                out.insert(x);
            }
        };
        for m in &self.money {
            whole(*m, &mut out);
            if let Some(x) = m.checked_sub(one) {
                whole(x, &mut out);
            }
            if let Some(x) = m.checked_add(one) {
                whole(x, &mut out);
            }
            for r in &self.ratios {
                if r.signum() > 0 && *r != Num::ONE {
                    if let Some(q) = m.checked_div(*r) {
                        whole(q, &mut out);
                    }
                }
            }
        }
        out.into_iter().filter(|n| *n >= lowest).collect()
    }

    /// 0, 1 and each integer literal ±1, ascending (negative only when a literal is negative).
    pub fn int_boundaries(&self) -> Vec<i64> {
        let lowest = self.ints.iter().next().copied().unwrap_or(0).min(0);
        let mut out: BTreeSet<i64> = [0, 1].into_iter().collect();
        for i in &self.ints {
            out.extend(
                [i.checked_sub(1), Some(*i), i.checked_add(1)]
                    .into_iter()
                    .flatten(),
            );
        }
        out.into_iter().filter(|i| *i >= lowest).collect()
    }
}
