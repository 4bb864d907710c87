//! `onshi diff`: what changed between two editions of a policy, and for whom.
//!
//! [`diff`] compares every output two programs share (by name) over the inputs they share. An
//! input only one side has stays at its default; one without a default is searched too. The search
//! is systematic, then random (a fixed seed, so runs repeat):
//!
//! 1. every combination of the enumeration, 真偽 and set inputs (sets: empty, each singleton, each
//!    named group, everything; optionals also absent) — or, when the product exceeds a quarter of
//!    the budget, a greedy covering array of every pair of their values;
//! 2. the boundary values of every date, amount and integer either policy compares against — the
//!    day before, on and after each date literal; each money literal and cap ±1 yen, and each cap
//!    divided by each rate (the cost at which a cap starts to bind); integer literals ±1 — each
//!    crossed with those combinations (or, past the budget, with a rotation of them and random
//!    contexts);
//! 3. per combination, every amount and date at its largest and at its smallest boundary;
//! 4. seeded random samples.
//!
//! Each difference is shrunk to a minimal witness (inputs reset to their defaults one at a time while
//! the difference persists, amounts lowered to the smallest boundary that keeps it) and grouped by
//! the enumeration and 真偽 inputs that matter at the witness (those for which some other value
//! makes the difference vanish), so a reader sees "補助限度額 changed for 施設種別 = 病院 × 事業 ∈
//! {訪問診療等, 外来診療等}" once, with the number of searched combinations it covers, rather than a
//! thousand rows. Each witness names the rules and table rows responsible on each side (from the
//! [`Recorder`] trace): those whose text differs between the editions, else every one the output
//! used.
//!
//! [`check_assertion`] answers "does this edition ever give a larger value than that one?"
//! (`new.補助額 <= old.補助額`) over the same search, with a shrunk counterexample when it fails.
//!
//! No IO: programs and their sources come in, a [`Report`] (text or JSON) goes out.

use chrono::NaiveDate;
use onshi::eval::{order_values, values_equal, DefResults, NoTrace};
use onshi::program::{CExpr, CKind, Matcher, Program};
use onshi::sources::SourceMap;
use onshi::trace::Recorder;
use onshi::types::{EnumId, Type};
use onshi::value::Value;
use onshi_grammar::ast::{RuleKind, Span};
use onshi_grammar::literal::{self, Duration};
use onshi_grammar::num::Num;
use onshi_grammar::{Lang, Text};
use serde_json::{json, Map, Value as Json};
use std::cmp::Ordering;
use std::collections::{BTreeSet, HashMap, HashSet};

// ------------------------------------------------------------------------------------------------
// Settings and inputs

/// One edition: its checked program, the sources it was compiled from (for lines and for telling
/// which rules changed), and how to name it in reports (usually its path).
#[derive(Clone, Copy)]
pub struct Edition<'a> {
    pub program: &'a Program,
    pub sources: &'a SourceMap,
    pub label: &'a str,
}

/// How hard to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// About how many input combinations the systematic phases may evaluate (each on both sides).
    pub budget: usize,
    /// Random samples after the systematic phases.
    pub samples: usize,
    /// Seed of the random phases: the same seed gives the same report.
    pub seed: u64,
    /// Groups shown per output; further differing combinations are only counted.
    pub max_groups: usize,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            budget: 20_000,
            samples: 2_000,
            seed: 0x6f6e_7368_6921,
            max_groups: 12,
        }
    }
}

// ------------------------------------------------------------------------------------------------
// Literals

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
        let mut stack: Vec<&CExpr> = program.defs.iter().map(|d| &d.body).collect();
        for table in &program.tables {
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
        for input in &program.inputs {
            if let Some(v) = &input.default {
                lits.add(v);
            }
        }
        // An explicit stack: expression depth is bounded by the parser, but this needs no recursion.
        while let Some(e) = stack.pop() {
            match &e.kind {
                CKind::Const(v) => lits.add(v),
                CKind::Input(_) | CKind::Def(_) => {}
                CKind::Widen(a)
                | CKind::Unwrap(a)
                | CKind::Field(a, _)
                | CKind::Neg(a)
                | CKind::Not(a)
                | CKind::Present(a, _) => stack.push(a),
                CKind::Call(_, args) | CKind::Lookup(_, args) | CKind::SetOf(args) => {
                    stack.extend(args.iter());
                }
                CKind::Arith(_, a, b)
                | CKind::And(a, b)
                | CKind::Or(a, b)
                | CKind::Union(a, b)
                | CKind::Intersect(a, b)
                | CKind::Compare(_, a, b) => {
                    stack.push(a);
                    stack.push(b);
                }
                CKind::If(branches, otherwise) => {
                    for (c, t) in branches {
                        stack.push(c);
                        stack.push(t);
                    }
                    stack.push(otherwise);
                }
                CKind::Match(s, arms) => {
                    stack.push(s);
                    stack.extend(arms.iter().map(|(_, body)| body));
                }
                CKind::Rules(rules) => {
                    for r in rules {
                        if let Some(c) = &r.condition {
                            stack.push(c);
                        }
                        stack.push(&r.value);
                    }
                }
            }
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

// ------------------------------------------------------------------------------------------------
// Random numbers (deterministic, no dependency)

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            usize::try_from(self.next() % n as u64).unwrap_or(0)
        }
    }
    fn chance(&mut self, one_in: u64) -> bool {
        one_in != 0 && self.next().is_multiple_of(one_in)
    }
    fn pick<'v, T>(&mut self, items: &'v [T]) -> Option<&'v T> {
        items.get(self.below(items.len()))
    }
}

// ------------------------------------------------------------------------------------------------
// The joint input space

/// One value of a joint input, as each side represents it (enumerations by their own indices).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Jv {
    old: Value,
    new: Value,
}

impl Jv {
    fn same(v: Value) -> Jv {
        Jv {
            old: v.clone(),
            new: v,
        }
    }
}

/// A variant both sides know, with its index on each side.
#[derive(Clone, Debug)]
struct Variant {
    old: u32,
    new: u32,
}

#[derive(Clone, Debug)]
enum Domain {
    Bool,
    Int,
    Money,
    Ratio,
    Decimal,
    Date,
    Duration,
    Text,
    Enum(Vec<Variant>),
    /// The variants, and the named groups as masks over positions in the variant list.
    Set(Vec<Variant>, Vec<u128>),
    Optional(Box<Domain>),
}

fn bit(i: u32) -> u128 {
    if i < 128 {
        1u128 << i
    } else {
        0
    }
}

/// The variants of `a` (old) and `b` (new) that both have, by name.
fn shared_variants(o: &Program, a: EnumId, n: &Program, b: EnumId) -> Option<Vec<Variant>> {
    let ov = &o.enums.get(a.0 as usize)?.variants;
    let nv = &n.enums.get(b.0 as usize)?.variants;
    let out: Vec<Variant> = ov
        .iter()
        .enumerate()
        .filter_map(|(i, name)| {
            let j = nv.iter().position(|x| x == name)?;
            Some(Variant {
                old: u32::try_from(i).ok()?,
                new: u32::try_from(j).ok()?,
            })
        })
        .collect();
    (!out.is_empty()).then_some(out)
}

/// The domain of an input typed `ot` on the old side and `nt` on the new one; None when the types
/// do not correspond.
fn domain(o: &Program, ot: &Type, n: &Program, nt: &Type) -> Option<Domain> {
    Some(match (ot, nt) {
        (Type::Bool, Type::Bool) => Domain::Bool,
        (Type::Int, Type::Int) => Domain::Int,
        (Type::Money, Type::Money) => Domain::Money,
        (Type::Ratio, Type::Ratio) => Domain::Ratio,
        (Type::Decimal, Type::Decimal) => Domain::Decimal,
        (Type::Date, Type::Date) => Domain::Date,
        (Type::Duration, Type::Duration) => Domain::Duration,
        (Type::Text, Type::Text) => Domain::Text,
        (Type::Enum(a), Type::Enum(b)) => Domain::Enum(shared_variants(o, *a, n, *b)?),
        (Type::Set(a), Type::Set(b)) => {
            let variants = shared_variants(o, *a, n, *b)?;
            let mut groups: Vec<u128> = Vec::new();
            let mut add = |mask: u128, new_side: bool| {
                let positions = variants
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| mask & bit(if new_side { v.new } else { v.old }) != 0)
                    .fold(0u128, |acc, (k, _)| acc | bit(k as u32));
                if positions != 0 && !groups.contains(&positions) {
                    groups.push(positions);
                }
            };
            for (_, mask) in o.enums.get(a.0 as usize).map_or(&[][..], |e| &e.groups) {
                add(*mask, false);
            }
            for (_, mask) in n.enums.get(b.0 as usize).map_or(&[][..], |e| &e.groups) {
                add(*mask, true);
            }
            Domain::Set(variants, groups)
        }
        (Type::Optional(a), Type::Optional(b)) => Domain::Optional(Box::new(domain(o, a, n, b)?)),
        _ => return None,
    })
}

/// What the value generators draw on: the boundaries of both programs' literals.
struct Space {
    lits: Literals,
    dates: Vec<NaiveDate>,
    money: Vec<Num>,
    ints: Vec<i64>,
    base_date: NaiveDate,
}

impl Space {
    fn new(old: &Program, new: &Program) -> Space {
        let mut lits = Literals::of(old);
        lits.merge(&Literals::of(new));
        let dates = lits.date_boundaries();
        let literal_dates: Vec<NaiveDate> = lits.dates.iter().copied().collect();
        let fallback = new
            .fiscal_year
            .or(old.fiscal_year)
            .and_then(|y| NaiveDate::from_ymd_opt(y, 4, 1))
            .or_else(|| NaiveDate::from_ymd_opt(2025, 4, 1))
            .unwrap_or_default();
        let base_date = literal_dates
            .get(literal_dates.len().saturating_sub(1) / 2)
            .copied()
            .unwrap_or(fallback);
        Space {
            money: lits.money_boundaries(),
            ints: lits.int_boundaries(),
            dates,
            lits,
            base_date,
        }
    }
}

impl Domain {
    fn is_discrete(&self) -> bool {
        match self {
            Domain::Bool | Domain::Enum(_) | Domain::Set(..) => true,
            Domain::Optional(inner) => inner.is_discrete(),
            _ => false,
        }
    }

    /// Enumerations and 真偽: the inputs differences are grouped by.
    fn groups_by(&self) -> bool {
        matches!(self, Domain::Bool | Domain::Enum(_))
    }

    fn variant(v: &Variant) -> Jv {
        Jv {
            old: Value::Enum(v.old),
            new: Value::Enum(v.new),
        }
    }

    /// A set given as a mask over positions in the variant list.
    fn set(variants: &[Variant], positions: u128) -> Jv {
        let (mut o, mut n) = (0u128, 0u128);
        for (k, v) in variants.iter().enumerate() {
            if positions & bit(k as u32) != 0 {
                o |= bit(v.old);
                n |= bit(v.new);
            }
        }
        Jv {
            old: Value::Set(o),
            new: Value::Set(n),
        }
    }

    /// The value an input without a default starts from.
    fn base(&self, space: &Space) -> Jv {
        match self {
            Domain::Bool => Jv::same(Value::Bool(false)),
            Domain::Int => Jv::same(Value::Int(0)),
            Domain::Money => Jv::same(Value::Money(Num::ZERO)),
            Domain::Ratio => Jv::same(Value::Ratio(Num::ZERO)),
            Domain::Decimal => Jv::same(Value::Decimal(Num::ZERO)),
            Domain::Date => Jv::same(Value::Date(space.base_date)),
            Domain::Duration => Jv::same(Value::Duration(Duration::default())),
            Domain::Text => Jv::same(Value::Text("".into())),
            Domain::Enum(vs) => vs.first().map_or(Jv::same(Value::Absent), Domain::variant),
            Domain::Set(..) => Jv::same(Value::Set(0)),
            Domain::Optional(_) => Jv::same(Value::Absent),
        }
    }

    /// The values the systematic phases try.
    fn pool(&self, space: &Space) -> Vec<Jv> {
        match self {
            Domain::Bool => vec![Jv::same(Value::Bool(false)), Jv::same(Value::Bool(true))],
            Domain::Enum(vs) => vs.iter().map(Domain::variant).collect(),
            Domain::Set(vs, groups) => {
                let mut masks: Vec<u128> = vec![0];
                masks.extend((0..vs.len()).map(|k| bit(k as u32)));
                masks.extend(groups.iter().copied());
                masks.push((0..vs.len()).fold(0, |acc, k| acc | bit(k as u32)));
                let mut seen = HashSet::new();
                masks
                    .into_iter()
                    .filter(|m| seen.insert(*m))
                    .map(|m| Domain::set(vs, m))
                    .collect()
            }
            Domain::Optional(inner) => {
                let mut out = vec![Jv::same(Value::Absent)];
                out.extend(inner.pool(space));
                out
            }
            Domain::Int => space
                .ints
                .iter()
                .map(|i| Jv::same(Value::Int(*i)))
                .collect(),
            Domain::Money => space
                .money
                .iter()
                .map(|n| Jv::same(Value::Money(*n)))
                .collect(),
            Domain::Date => {
                let mut dates = space.dates.clone();
                if dates.is_empty() {
                    dates.push(space.base_date);
                }
                dates
                    .into_iter()
                    .map(|d| Jv::same(Value::Date(d)))
                    .collect()
            }
            Domain::Ratio | Domain::Decimal => {
                let lits = if matches!(self, Domain::Ratio) {
                    &space.lits.ratios
                } else {
                    &space.lits.decimals
                };
                let mut all: BTreeSet<Num> = lits.clone();
                all.insert(Num::ZERO);
                all.insert(Num::ONE);
                all.into_iter()
                    .map(|n| {
                        Jv::same(if matches!(self, Domain::Ratio) {
                            Value::Ratio(n)
                        } else {
                            Value::Decimal(n)
                        })
                    })
                    .collect()
            }
            Domain::Duration => {
                let mut all = vec![Duration::default()];
                all.extend(space.lits.durations.iter().copied());
                all.dedup();
                all.into_iter()
                    .map(|d| Jv::same(Value::Duration(d)))
                    .collect()
            }
            Domain::Text => {
                let mut all: BTreeSet<String> = space.lits.texts.clone();
                all.insert(String::new());
                all.into_iter()
                    .map(|t| Jv::same(Value::Text(t.as_str().into())))
                    .collect()
            }
        }
    }

    /// A random value: mostly a boundary, sometimes anything nearby.
    fn random(&self, rng: &mut Rng, space: &Space) -> Jv {
        match self {
            Domain::Bool => Jv::same(Value::Bool(rng.chance(2))),
            Domain::Enum(vs) => rng
                .pick(vs)
                .map_or(Jv::same(Value::Absent), Domain::variant),
            Domain::Set(vs, groups) => {
                if !groups.is_empty() && rng.chance(4) {
                    let g = rng.pick(groups).copied().unwrap_or(0);
                    return Domain::set(vs, g);
                }
                let mut m = 0u128;
                for k in 0..vs.len() {
                    if rng.chance(3) {
                        m |= bit(k as u32);
                    }
                }
                Domain::set(vs, m)
            }
            Domain::Optional(inner) => {
                if rng.chance(4) {
                    Jv::same(Value::Absent)
                } else {
                    inner.random(rng, space)
                }
            }
            Domain::Int => {
                let hi = space.ints.last().copied().unwrap_or(10).max(10);
                if rng.chance(2) {
                    let i = rng.pick(&space.ints).copied().unwrap_or(0);
                    Jv::same(Value::Int(i))
                } else {
                    let span = u64::try_from(hi.saturating_mul(2)).unwrap_or(20).max(1);
                    Jv::same(Value::Int(i64::try_from(rng.next() % span).unwrap_or(0)))
                }
            }
            Domain::Money => {
                let hi = space
                    .money
                    .last()
                    .and_then(|n| i64::try_from(n.numer() / n.denom()).ok())
                    .unwrap_or(1_000_000)
                    .max(1000);
                if rng.chance(2) {
                    let n = rng.pick(&space.money).copied().unwrap_or(Num::ZERO);
                    Jv::same(Value::Money(n))
                } else {
                    let span = u64::try_from(hi.saturating_mul(2)).unwrap_or(1);
                    let yen = i128::from(rng.next() % span.max(1));
                    Jv::same(Value::Money(Num::from_int(yen)))
                }
            }
            Domain::Date => {
                let anchor: Vec<NaiveDate> = if space.lits.dates.is_empty() {
                    vec![space.base_date]
                } else {
                    space.lits.dates.iter().copied().collect()
                };
                let d = anchor.get(rng.below(anchor.len())).copied();
                let d = match rng.below(4) {
                    0 | 1 => rng.pick(&space.dates).copied().or(d),
                    2 => d.and_then(|d| {
                        let p = rng.pick(&space.lits.durations).copied()?;
                        let sign = if rng.chance(2) { 1 } else { -1 };
                        let moved = literal::add_duration(d, p, sign)?;
                        let nudge = Duration {
                            months: 0,
                            days: i64::try_from(rng.below(3)).unwrap_or(0) - 1,
                        };
                        literal::add_duration(moved, nudge, 1)
                    }),
                    _ => d.and_then(|d| {
                        let days = i64::try_from(rng.below(801)).unwrap_or(0) - 400;
                        literal::add_duration(d, Duration { months: 0, days }, 1)
                    }),
                }
                .filter(|d| literal::date_in_range(*d))
                .unwrap_or(space.base_date);
                Jv::same(Value::Date(d))
            }
            Domain::Ratio | Domain::Decimal | Domain::Duration | Domain::Text => {
                let pool = self.pool(space);
                rng.pick(&pool).cloned().unwrap_or_else(|| self.base(space))
            }
        }
    }

    /// The set `jv` without its `k`th shared variant (None when it does not have it).
    fn set_without(&self, jv: &Jv, k: usize) -> Option<Jv> {
        let Domain::Set(vs, _) = self else {
            return None;
        };
        let v = vs.get(k)?;
        match (&jv.old, &jv.new) {
            (Value::Set(o), Value::Set(n)) if o & bit(v.old) != 0 => Some(Jv {
                old: Value::Set(o & !bit(v.old)),
                new: Value::Set(n & !bit(v.new)),
            }),
            _ => None,
        }
    }
}

/// An input of the joint space.
#[derive(Clone, Debug)]
struct JointInput {
    name: String,
    /// Index in the old program's inputs (None: only the new side has it).
    old: Option<usize>,
    new: Option<usize>,
    domain: Domain,
    /// Where searching and shrinking start from: each side's default, or (no default) a value of
    /// the domain.
    base: Jv,
    /// The base is each side's default: a fact set may omit this input.
    defaulted: bool,
    /// Searched (false: held at its default, e.g. an input only one side has).
    varied: bool,
    pool: Vec<Jv>,
}

/// A compared output: its name and its definition index on each side.
#[derive(Clone, Debug)]
struct Compared {
    name: String,
    old: u32,
    new: u32,
    /// Enumeration-valued on both sides: shown as context of the other outputs' changes.
    context: bool,
}

/// How the two editions' interfaces differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Outputs both have, compared.
    pub outputs: Vec<String>,
    pub outputs_only_old: Vec<String>,
    pub outputs_only_new: Vec<String>,
    /// (output, old type, new type)
    pub output_types: Vec<(String, String, String)>,
    /// Inputs both have (with corresponding types).
    pub inputs: Vec<String>,
    /// (input, required): inputs only one side has. Required ones are searched, the others stay
    /// at their defaults.
    pub inputs_only_old: Vec<(String, bool)>,
    pub inputs_only_new: Vec<(String, bool)>,
    /// (input, old type, new type): compared as two one-sided inputs.
    pub input_types: Vec<(String, String, String)>,
    /// (input, old default, new default); `None`: required.
    pub defaults: Vec<(String, Option<String>, Option<String>)>,
    /// (input, variants): enumeration values only one side accepts (not searched).
    pub variants_only_old: Vec<(String, Vec<String>)>,
    pub variants_only_new: Vec<(String, Vec<String>)>,
}

impl Schema {
    /// Whether the interfaces are the same (apart from the lists of what is shared).
    pub fn unchanged(&self) -> bool {
        self.outputs_only_old.is_empty()
            && self.outputs_only_new.is_empty()
            && self.output_types.is_empty()
            && self.inputs_only_old.is_empty()
            && self.inputs_only_new.is_empty()
            && self.input_types.is_empty()
            && self.defaults.is_empty()
            && self.variants_only_old.is_empty()
            && self.variants_only_new.is_empty()
    }
}

type Outcome = Result<Value, &'static str>;

/// Both editions over the joint input space.
struct Joint<'a> {
    old: Edition<'a>,
    new: Edition<'a>,
    inputs: Vec<JointInput>,
    /// The joint index of each old input, in the old program's input order.
    old_map: Vec<usize>,
    new_map: Vec<usize>,
    outputs: Vec<Compared>,
    space: Space,
    schema: Schema,
    evaluations: usize,
}

fn enum_names(p: &Program, ty: &Type) -> Vec<String> {
    match ty.strip_optional() {
        Type::Enum(e) | Type::Set(e) => p
            .enums
            .get(e.0 as usize)
            .map(|en| en.variants.clone())
            .unwrap_or_default(),
        _ => Vec::new(),
    }
}

impl<'a> Joint<'a> {
    fn new(old: Edition<'a>, new: Edition<'a>) -> Joint<'a> {
        let (o, n) = (old.program, new.program);
        let space = Space::new(o, n);
        let mut schema = Schema::default();
        let mut inputs: Vec<JointInput> = Vec::new();
        let one_sided = |p: &Program, i: usize, old_side: bool| -> Option<JointInput> {
            let input = p.inputs.get(i)?;
            let domain = domain(p, &input.ty, p, &input.ty)?;
            let (base, defaulted) = match &input.default {
                Some(d) => (Jv::same(d.clone()), true),
                None => (domain.base(&space), false),
            };
            Some(JointInput {
                name: input.name.clone(),
                old: old_side.then_some(i),
                new: (!old_side).then_some(i),
                varied: !defaulted,
                pool: Vec::new(),
                domain,
                base,
                defaulted,
            })
        };
        for (i, input) in o.inputs.iter().enumerate() {
            let Some(j) = n.input_index(&input.name) else {
                schema
                    .inputs_only_old
                    .push((input.name.clone(), input.default.is_none()));
                inputs.extend(one_sided(o, i, true));
                continue;
            };
            let Some(other) = n.inputs.get(j) else {
                continue;
            };
            let Some(dom) = domain(o, &input.ty, n, &other.ty) else {
                schema.input_types.push((
                    input.name.clone(),
                    o.type_name(&input.ty, false),
                    n.type_name(&other.ty, false),
                ));
                inputs.extend(one_sided(o, i, true));
                inputs.extend(one_sided(n, j, false));
                continue;
            };
            schema.inputs.push(input.name.clone());
            let ov = enum_names(o, &input.ty);
            let nv = enum_names(n, &other.ty);
            let only_old: Vec<String> = ov.iter().filter(|v| !nv.contains(v)).cloned().collect();
            let only_new: Vec<String> = nv.iter().filter(|v| !ov.contains(v)).cloned().collect();
            if !only_old.is_empty() {
                schema
                    .variants_only_old
                    .push((input.name.clone(), only_old));
            }
            if !only_new.is_empty() {
                schema
                    .variants_only_new
                    .push((input.name.clone(), only_new));
            }
            let shown = |p: &Program, d: &Option<Value>, ty: &Type| {
                d.as_ref().map(|v| p.value_to_text(v, ty))
            };
            let (od, nd) = (
                shown(o, &input.default, &input.ty),
                shown(n, &other.default, &other.ty),
            );
            if od != nd {
                schema.defaults.push((input.name.clone(), od, nd));
            }
            let (base, defaulted) = match (&input.default, &other.default) {
                (Some(a), Some(b)) => (
                    Jv {
                        old: a.clone(),
                        new: b.clone(),
                    },
                    true,
                ),
                _ => (dom.base(&space), false),
            };
            inputs.push(JointInput {
                name: input.name.clone(),
                old: Some(i),
                new: Some(j),
                domain: dom,
                base,
                defaulted,
                varied: true,
                pool: Vec::new(),
            });
        }
        for (j, input) in n.inputs.iter().enumerate() {
            if o.input_index(&input.name).is_none() {
                schema
                    .inputs_only_new
                    .push((input.name.clone(), input.default.is_none()));
                inputs.extend(one_sided(n, j, false));
            }
        }
        for ji in &mut inputs {
            let mut pool = vec![ji.base.clone()];
            if ji.varied {
                for v in ji.domain.pool(&space) {
                    if !pool.contains(&v) {
                        pool.push(v);
                    }
                }
            }
            ji.pool = pool;
        }
        let map = |count: usize, old_side: bool| -> Vec<usize> {
            (0..count)
                .map(|k| {
                    inputs
                        .iter()
                        .position(|ji| if old_side { ji.old } else { ji.new } == Some(k))
                        .unwrap_or(usize::MAX)
                })
                .collect()
        };
        let old_map = map(o.inputs.len(), true);
        let new_map = map(n.inputs.len(), false);

        let mut outputs = Vec::new();
        for &od in &o.outputs {
            let Some(def) = o.defs.get(od as usize) else {
                continue;
            };
            let found = n
                .outputs
                .iter()
                .copied()
                .find(|&k| n.defs.get(k as usize).is_some_and(|d| d.name == def.name));
            match found.and_then(|k| n.defs.get(k as usize).map(|d| (k, d))) {
                Some((nd, ndef)) => {
                    let (ot, nt) = (o.type_name(&def.ty, false), n.type_name(&ndef.ty, false));
                    if ot != nt {
                        schema.output_types.push((def.name.clone(), ot, nt));
                    }
                    schema.outputs.push(def.name.clone());
                    outputs.push(Compared {
                        name: def.name.clone(),
                        old: od,
                        new: nd,
                        context: matches!((&def.ty, &ndef.ty), (Type::Enum(_), Type::Enum(_))),
                    });
                }
                None => schema.outputs_only_old.push(def.name.clone()),
            }
        }
        for ndef in n.output_defs() {
            if !o.output_defs().any(|d| d.name == ndef.name) {
                schema.outputs_only_new.push(ndef.name.clone());
            }
        }
        Joint {
            old,
            new,
            inputs,
            old_map,
            new_map,
            outputs,
            space,
            schema,
            evaluations: 0,
        }
    }

    fn base_point(&self) -> Vec<Jv> {
        self.inputs.iter().map(|ji| ji.base.clone()).collect()
    }

    fn side_inputs(&self, point: &[Jv], old_side: bool) -> Vec<Value> {
        let map = if old_side {
            &self.old_map
        } else {
            &self.new_map
        };
        map.iter()
            .map(|&j| {
                point.get(j).map_or(Value::Absent, |jv| {
                    if old_side {
                        jv.old.clone()
                    } else {
                        jv.new.clone()
                    }
                })
            })
            .collect()
    }

    fn run(&mut self, point: &[Jv], old_side: bool) -> DefResults {
        self.evaluations += 1;
        let p = if old_side {
            self.old.program
        } else {
            self.new.program
        };
        let inputs = self.side_inputs(point, old_side);
        p.evaluate_with(&inputs, &p.eval_order, NoTrace).0
    }

    /// The compared outputs on both sides.
    fn eval(&mut self, point: &[Jv]) -> (Vec<Outcome>, Vec<Outcome>) {
        let o = self.run(point, true);
        let n = self.run(point, false);
        let pick = |r: &DefResults, d: u32| -> Outcome {
            match r.get(d as usize) {
                Some(Some(Ok(v))) => Ok(v.clone()),
                Some(Some(Err(e))) => Err(e.code()),
                _ => Err("onshi::eval::internal"),
            }
        };
        (
            self.outputs.iter().map(|c| pick(&o, c.old)).collect(),
            self.outputs.iter().map(|c| pick(&n, c.new)).collect(),
        )
    }

    fn same(&self, k: usize, a: &Outcome, b: &Outcome) -> bool {
        match (a, b) {
            (Err(x), Err(y)) => x == y,
            (Ok(x), Ok(y)) => {
                let structured =
                    |v: &Value| matches!(v, Value::Enum(_) | Value::Set(_) | Value::Row(_));
                if structured(x) || structured(y) {
                    let Some(c) = self.outputs.get(k) else {
                        return false;
                    };
                    let (od, nd) = (
                        self.old.program.defs.get(c.old as usize),
                        self.new.program.defs.get(c.new as usize),
                    );
                    match (od, nd) {
                        (Some(od), Some(nd)) => {
                            self.old.program.value_to_json(x, &od.ty)
                                == self.new.program.value_to_json(y, &nd.ty)
                        }
                        _ => false,
                    }
                } else {
                    values_equal(x, y)
                }
            }
            _ => false,
        }
    }

    fn differs(&mut self, k: usize, point: &[Jv]) -> bool {
        let (o, n) = self.eval(point);
        match (o.get(k), n.get(k)) {
            (Some(a), Some(b)) => !self.same(k, a, b),
            _ => false,
        }
    }

    /// The text of an output's outcome on one side.
    fn shown(&self, k: usize, r: &Outcome, old_side: bool) -> Shown {
        let (p, c) = (self.program(old_side), self.outputs.get(k));
        let def = c.and_then(|c| p.defs.get(if old_side { c.old } else { c.new } as usize));
        shown(p, def.map(|d| &d.ty), r)
    }

    fn program(&self, old_side: bool) -> &'a Program {
        if old_side {
            self.old.program
        } else {
            self.new.program
        }
    }

    /// The text of a joint input's value.
    fn value_text(&self, j: usize, jv: &Jv) -> String {
        let Some(ji) = self.inputs.get(j) else {
            return String::new();
        };
        match (ji.new, ji.old) {
            (Some(k), _) => self
                .new
                .program
                .inputs
                .get(k)
                .map(|i| self.new.program.value_to_text(&jv.new, &i.ty))
                .unwrap_or_default(),
            (None, Some(k)) => self
                .old
                .program
                .inputs
                .get(k)
                .map(|i| self.old.program.value_to_text(&jv.old, &i.ty))
                .unwrap_or_default(),
            (None, None) => String::new(),
        }
    }

    // --------------------------------------------------------------------------------------------
    // The points to evaluate

    fn points(&self, opts: &Options) -> Vec<Vec<Jv>> {
        let mut rng = Rng(opts.seed);
        let base = self.base_point();
        let varied: Vec<usize> = (0..self.inputs.len())
            .filter(|&j| self.inputs.get(j).is_some_and(|ji| ji.varied))
            .collect();
        let (discrete, continuous): (Vec<usize>, Vec<usize>) = varied
            .iter()
            .partition(|&&j| self.inputs.get(j).is_some_and(|ji| ji.domain.is_discrete()));
        let pool = |j: usize| self.inputs.get(j).map_or(&[][..], |ji| &ji.pool[..]);
        let sizes: Vec<usize> = discrete.iter().map(|&j| pool(j).len().max(1)).collect();
        let product = sizes
            .iter()
            .try_fold(1usize, |acc, s| acc.checked_mul(*s))
            .unwrap_or(usize::MAX);
        let rows: Vec<Vec<usize>> = if product <= (opts.budget / 4).max(1) {
            odometer(&sizes)
        } else {
            pairwise(&sizes, &mut rng)
        };
        let combos: Vec<Vec<Jv>> = rows
            .iter()
            .map(|row| {
                let mut p = base.clone();
                for (&j, &v) in discrete.iter().zip(row.iter()) {
                    if let (Some(slot), Some(val)) = (p.get_mut(j), pool(j).get(v)) {
                        *slot = val.clone();
                    }
                }
                p
            })
            .collect();
        let random_point = |rng: &mut Rng| -> Vec<Jv> {
            let mut p = base.clone();
            for &j in &varied {
                if let (Some(slot), Some(ji)) = (p.get_mut(j), self.inputs.get(j)) {
                    *slot = ji.domain.random(rng, &self.space);
                }
            }
            p
        };

        let mut out: Vec<Vec<Jv>> = Vec::new();
        let mut seen: HashSet<Vec<Jv>> = HashSet::new();
        let mut push = |p: Vec<Jv>, out: &mut Vec<Vec<Jv>>| {
            if seen.insert(p.clone()) {
                out.push(p);
            }
        };
        // 1. every combination of the discrete inputs (or every pair of their values)
        for c in &combos {
            push(c.clone(), &mut out);
        }
        // 2. the boundaries of every amount, date and integer, crossed with the combinations
        let boundaries: Vec<(usize, &Jv)> = continuous
            .iter()
            .flat_map(|&j| pool(j).iter().skip(1).map(move |v| (j, v)))
            .collect();
        let half = (opts.budget / 2).max(1);
        if combos.len().saturating_mul(boundaries.len()) <= half {
            for (j, v) in &boundaries {
                for c in &combos {
                    let mut p = c.clone();
                    if let Some(slot) = p.get_mut(*j) {
                        *slot = (*v).clone();
                    }
                    push(p, &mut out);
                }
            }
        } else if !boundaries.is_empty() {
            let k = (half / boundaries.len()).max(1);
            for (b, (j, v)) in boundaries.iter().enumerate() {
                for c in 0..k {
                    let mut p = if c % 2 == 0 && !combos.is_empty() {
                        let at = (b.wrapping_mul(k).wrapping_add(c / 2)) % combos.len();
                        combos.get(at).cloned().unwrap_or_else(|| base.clone())
                    } else {
                        random_point(&mut rng)
                    };
                    if let Some(slot) = p.get_mut(*j) {
                        *slot = (*v).clone();
                    }
                    push(p, &mut out);
                }
            }
        }
        // 3. every amount and date at its largest, and at its smallest, boundary
        let extremes = (opts.budget / 8).max(1);
        for (n, c) in combos.iter().enumerate().take(extremes) {
            for high in [true, false] {
                let mut p = c.clone();
                for &j in &continuous {
                    let candidates: Vec<&Jv> =
                        pool(j).iter().filter(|v| v.old != Value::Absent).collect();
                    let pick = if high {
                        candidates.iter().max_by(|a, b| order(&a.old, &b.old))
                    } else {
                        candidates.iter().min_by(|a, b| order(&a.old, &b.old))
                    };
                    if let (Some(slot), Some(v)) = (p.get_mut(j), pick) {
                        *slot = (*v).clone();
                    }
                }
                if n % 2 == 0 || high {
                    push(p, &mut out);
                }
            }
        }
        // 4. random samples
        for _ in 0..opts.samples {
            push(random_point(&mut rng), &mut out);
        }
        out
    }

    // --------------------------------------------------------------------------------------------
    // Shrinking, grouping, explaining

    /// A minimal point for which `pred` still holds: inputs reset to their base one at a time, then
    /// amounts lowered and set members removed.
    fn shrink(
        &mut self,
        point: Vec<Jv>,
        pred: &mut dyn FnMut(&mut Self, &[Jv]) -> bool,
    ) -> Vec<Jv> {
        let mut p = point;
        let varied: Vec<usize> = (0..self.inputs.len())
            .filter(|&j| self.inputs.get(j).is_some_and(|ji| ji.varied))
            .collect();
        for _ in 0..3 {
            let mut changed = false;
            for &j in &varied {
                let Some(base) = self.inputs.get(j).map(|ji| ji.base.clone()) else {
                    continue;
                };
                if p.get(j) == Some(&base) {
                    continue;
                }
                let mut q = p.clone();
                if let Some(slot) = q.get_mut(j) {
                    *slot = base;
                }
                if pred(self, &q) {
                    p = q;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        for &j in &varied {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            let Some(current) = p.get(j).and_then(|v| magnitude(&v.old)) else {
                continue;
            };
            let mut candidates: Vec<(Num, Jv)> = ji
                .pool
                .iter()
                .filter_map(|v| magnitude(&v.old).map(|m| (m, v.clone())))
                .filter(|(m, _)| *m < current)
                .collect();
            candidates.sort_by_key(|c| c.0);
            for (_, v) in candidates {
                let mut q = p.clone();
                if let Some(slot) = q.get_mut(j) {
                    *slot = v;
                }
                if pred(self, &q) {
                    p = q;
                    break;
                }
            }
        }
        // Dates off the boundaries (from the random phases): the nearest boundary that keeps it.
        for &j in &varied {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            let Some(Value::Date(current)) = p.get(j).map(|v| v.old.clone()) else {
                continue;
            };
            if ji.pool.iter().any(|v| v.old == Value::Date(current)) {
                continue;
            }
            let mut candidates: Vec<(i64, Jv)> = ji
                .pool
                .iter()
                .filter_map(|v| match v.old {
                    Value::Date(d) => {
                        Some((d.signed_duration_since(current).num_days().abs(), v.clone()))
                    }
                    _ => None,
                })
                .collect();
            candidates.sort_by_key(|(distance, _)| *distance);
            for (_, v) in candidates {
                let mut q = p.clone();
                if let Some(slot) = q.get_mut(j) {
                    *slot = v;
                }
                if pred(self, &q) {
                    p = q;
                    break;
                }
            }
        }
        for &j in &varied {
            let Some(domain) = self.inputs.get(j).map(|ji| ji.domain.clone()) else {
                continue;
            };
            if let Domain::Set(vs, _) = &domain {
                for k in 0..vs.len() {
                    let Some(smaller) = p.get(j).and_then(|v| domain.set_without(v, k)) else {
                        continue;
                    };
                    let mut q = p.clone();
                    if let Some(slot) = q.get_mut(j) {
                        *slot = smaller;
                    }
                    if pred(self, &q) {
                        p = q;
                    }
                }
            }
        }
        p
    }

    /// The enumeration and 真偽 inputs that matter at `w`: for each, the values that keep `pred`,
    /// when some value does not.
    fn conditions(
        &mut self,
        w: &[Jv],
        pred: &mut dyn FnMut(&mut Self, &[Jv]) -> bool,
    ) -> Vec<(usize, Vec<Jv>)> {
        let mut out = Vec::new();
        for j in 0..self.inputs.len() {
            let Some(ji) = self.inputs.get(j) else {
                continue;
            };
            if !ji.varied || !ji.domain.groups_by() {
                continue;
            }
            let values = ji.pool.clone();
            let mut keep = Vec::new();
            for v in &values {
                let mut q = w.to_vec();
                if let Some(slot) = q.get_mut(j) {
                    *slot = v.clone();
                }
                if pred(self, &q) {
                    keep.push(v.clone());
                }
            }
            if keep.len() < values.len() {
                out.push((j, keep));
            }
        }
        out
    }

    /// The inputs a witness shows: those not at their default, and every required one.
    fn facts(&self, point: &[Jv]) -> Vec<Fact> {
        let mut out = Vec::new();
        for (j, (ji, v)) in self.inputs.iter().zip(point.iter()).enumerate() {
            if !ji.varied || (ji.defaulted && *v == ji.base) {
                continue;
            }
            let json_of = |p: &Program, k: Option<usize>, val: &Value| {
                k.and_then(|k| p.inputs.get(k))
                    .map(|i| p.value_to_json(val, &i.ty))
            };
            out.push(Fact {
                name: ji.name.clone(),
                text: self.value_text(j, v),
                old: json_of(self.old.program, ji.old, &v.old),
                new: json_of(self.new.program, ji.new, &v.new),
            });
        }
        out
    }

    /// The rules, table rows and definitions behind output `def` of one side at `point`.
    fn responsible(&mut self, point: &[Jv], old_side: bool, def: u32) -> Vec<Responsible> {
        let (me, other) = if old_side {
            (self.old, self.new)
        } else {
            (self.new, self.old)
        };
        let p = me.program;
        let inputs = self.side_inputs(point, old_side);
        self.evaluations += 1;
        let (_, rec) = p.evaluate_with(&inputs, &p.eval_order, Recorder::new(p.defs.len()));
        let mut items: Vec<Item> = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![def];
        while let Some(d) = stack.pop() {
            if !seen.insert(d) {
                continue;
            }
            items.push(Item::Def(d));
            let Some(r) = rec.defs.get(d as usize) else {
                continue;
            };
            items.extend(r.rows.iter().map(|&(t, row)| Item::Row(t, row)));
            if let Some((_, winners)) = r.rules {
                for k in 0..128u32 {
                    if winners & bit(k) != 0 {
                        items.push(Item::Rule(d, k));
                    }
                }
            }
            stack.extend(r.defs.iter().rev());
        }
        let described: Vec<(bool, Responsible)> = items
            .iter()
            .filter_map(|it| describe(it, me, other))
            .collect();
        let changed: Vec<Responsible> = described
            .iter()
            .filter(|(_, r)| r.changed)
            .map(|(_, r)| r.clone())
            .collect();
        if !changed.is_empty() {
            return changed;
        }
        let used: Vec<Responsible> = described
            .iter()
            .filter(|(is_def, _)| !is_def)
            .map(|(_, r)| r.clone())
            .collect();
        if !used.is_empty() {
            return used;
        }
        described.into_iter().take(1).map(|(_, r)| r).collect()
    }
}

/// Every combination of `sizes` (the last index fastest).
fn odometer(sizes: &[usize]) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut row = vec![0usize; sizes.len()];
    loop {
        out.push(row.clone());
        let mut k = sizes.len();
        loop {
            if k == 0 {
                return out;
            }
            k -= 1;
            let (Some(slot), Some(&size)) = (row.get_mut(k), sizes.get(k)) else {
                return out;
            };
            *slot += 1;
            if *slot < size {
                break;
            }
            *slot = 0;
        }
    }
}

/// A greedy covering array: rows in which every pair of values of any two dimensions appears.
fn pairwise(sizes: &[usize], rng: &mut Rng) -> Vec<Vec<usize>> {
    let n = sizes.len();
    let size = |i: usize| sizes.get(i).copied().unwrap_or(1);
    let mut uncovered: BTreeSet<(usize, usize, usize, usize)> = BTreeSet::new();
    for a in 0..n {
        for b in a + 1..n {
            for va in 0..size(a) {
                for vb in 0..size(b) {
                    uncovered.insert((a, va, b, vb));
                }
            }
        }
    }
    let mut rows = Vec::new();
    if n < 2 {
        return odometer(sizes);
    }
    while let Some(&(a, va, b, vb)) = uncovered.iter().next() {
        let mut best: Option<(usize, Vec<usize>)> = None;
        for _ in 0..16 {
            let mut row: Vec<Option<usize>> = vec![None; n];
            if let Some(s) = row.get_mut(a) {
                *s = Some(va);
            }
            if let Some(s) = row.get_mut(b) {
                *s = Some(vb);
            }
            let mut order: Vec<usize> = (0..n).filter(|&i| i != a && i != b).collect();
            for i in (1..order.len()).rev() {
                order.swap(i, rng.below(i + 1));
            }
            for &i in &order {
                let mut best_v = rng.below(size(i));
                let mut best_gain = 0usize;
                for v in 0..size(i) {
                    let gain = row
                        .iter()
                        .enumerate()
                        .filter_map(|(k, x)| x.map(|x| (k, x)))
                        .filter(|&(k, x)| {
                            let key = if k < i { (k, x, i, v) } else { (i, v, k, x) };
                            uncovered.contains(&key)
                        })
                        .count();
                    if gain > best_gain {
                        best_gain = gain;
                        best_v = v;
                    }
                }
                if let Some(s) = row.get_mut(i) {
                    *s = Some(best_v);
                }
            }
            let full: Vec<usize> = row.iter().map(|x| x.unwrap_or(0)).collect();
            let mut covered = 0;
            for x in 0..n {
                for y in x + 1..n {
                    if let (Some(&vx), Some(&vy)) = (full.get(x), full.get(y)) {
                        if uncovered.contains(&(x, vx, y, vy)) {
                            covered += 1;
                        }
                    }
                }
            }
            if best.as_ref().is_none_or(|(c, _)| covered > *c) {
                best = Some((covered, full));
            }
        }
        let Some((_, row)) = best else {
            break;
        };
        for x in 0..n {
            for y in x + 1..n {
                if let (Some(&vx), Some(&vy)) = (row.get(x), row.get(y)) {
                    uncovered.remove(&(x, vx, y, vy));
                }
            }
        }
        uncovered.remove(&(a, va, b, vb));
        rows.push(row);
    }
    rows
}

fn order(a: &Value, b: &Value) -> Ordering {
    order_values(a, b).unwrap_or(Ordering::Equal)
}

/// The size of a number, for shrinking toward smaller amounts.
fn magnitude(v: &Value) -> Option<Num> {
    match v {
        Value::Int(i) => Some(Num::from_int(i128::from(*i).abs())),
        Value::Money(n) | Value::Ratio(n) | Value::Decimal(n) => {
            if n.signum() < 0 {
                n.checked_neg()
            } else {
                Some(*n)
            }
        }
        _ => None,
    }
}

// ------------------------------------------------------------------------------------------------
// What is responsible

enum Item {
    Def(u32),
    Row(u32, u32),
    Rule(u32, u32),
}

/// A rule, table row or definition behind a value, with its place and whether its text differs in
/// the other edition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responsible {
    pub what: Text,
    /// `path:line`
    pub at: String,
    /// Its text differs in the other edition (or the other edition has no counterpart).
    pub changed: bool,
}

/// The text of a declaration for comparison: whitespace collapsed, comment lines dropped (a span
/// may run on over the comments before the next declaration).
fn normalized(s: &str) -> String {
    s.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with('#') || t.starts_with("//") || t.starts_with('※'))
        })
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

fn at_line(sources: &SourceMap, span: Span) -> String {
    let (line, _) = sources.line_col(span);
    let path = sources.get(span.file).map_or("?", |f| f.path.as_str());
    format!("{path}:{line}")
}

/// (is a definition, description) of one item.
fn describe(item: &Item, me: Edition, other: Edition) -> Option<(bool, Responsible)> {
    let (p, q) = (me.program, other.program);
    let text_of = |e: Edition, span: Span| normalized(e.sources.snippet(span));
    Some(match item {
        Item::Def(d) => {
            let def = p.defs.get(*d as usize)?;
            let counterpart = q.defs.iter().find(|x| x.name == def.name);
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, def.span));
            let (ja, en) = if def.output {
                ("出力", "output")
            } else {
                ("定義", "definition")
            };
            (
                true,
                Responsible {
                    what: Text::new(format!("{ja} {}", def.name), format!("{en} {}", def.name)),
                    at: at_line(me.sources, def.span),
                    changed,
                },
            )
        }
        Item::Row(t, r) => {
            let table = p.tables.get(*t as usize)?;
            let row = table.rows.get(*r as usize)?;
            let counterpart = q
                .tables
                .iter()
                .find(|x| x.name == table.name)
                .and_then(|x| x.rows.get(*r as usize));
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, row.span));
            (
                false,
                Responsible {
                    what: Text::new(
                        format!("表 {} の {} 行目", table.name, r + 1),
                        format!("table {} row {}", table.name, r + 1),
                    ),
                    at: at_line(me.sources, row.span),
                    changed,
                },
            )
        }
        Item::Rule(d, k) => {
            let def = p.defs.get(*d as usize)?;
            let rule = def.rules.get(*k as usize)?;
            let label = rule.label.clone().unwrap_or_default();
            let counterpart = q.defs.iter().find(|x| x.name == def.name).and_then(|x| {
                x.rules
                    .iter()
                    .find(|r| r.label == rule.label && r.kind == rule.kind)
            });
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, rule.span));
            let (ja, en) = match rule.kind {
                RuleKind::Principle => ("原則", "principle"),
                RuleKind::Exception => ("例外", "exception"),
            };
            (
                false,
                Responsible {
                    what: Text::new(
                        format!("{ja} {label}（{}）", def.name),
                        format!("{en} {label} ({})", def.name),
                    ),
                    at: at_line(me.sources, rule.span),
                    changed,
                },
            )
        }
    })
}

// ------------------------------------------------------------------------------------------------
// Reports

/// A value as shown: readable text and the JSON form of `onshi eval --format json` (an error is
/// `{"error": code}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub json: Json,
}

fn shown(p: &Program, ty: Option<&Type>, r: &Outcome) -> Shown {
    match (r, ty) {
        (Ok(v), Some(ty)) => Shown {
            text: p.value_to_text(v, ty),
            json: p.value_to_json(v, ty),
        },
        (Ok(v), None) => Shown {
            text: format!("{v:?}"),
            json: Json::Null,
        },
        (Err(code), _) => Shown {
            text: format!("エラー {code}"),
            json: json!({ "error": code }),
        },
    }
}

/// One input of a witness: its text and its JSON fact on each side that has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub name: String,
    pub text: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

/// A minimal set of facts on which the editions disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The inputs not at their defaults (and every required one).
    pub facts: Vec<Fact>,
    pub old: Shown,
    pub new: Shown,
    pub responsible_old: Vec<Responsible>,
    pub responsible_new: Vec<Responsible>,
}

/// An input that matters to a change, and the values for which the output changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub input: String,
    pub values: Vec<String>,
}

/// One group of differences of one output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub output: String,
    /// The enumeration and 真偽 inputs that matter (at the witness), with the values for which the
    /// output changes. Empty: whatever their values.
    pub when: Vec<Condition>,
    /// Enumeration-valued outputs that are the same on both sides and had one value over every
    /// combination in the group (e.g. 補助区分 = 病院).
    pub context: Vec<(String, String)>,
    /// Searched combinations in this group.
    pub points: usize,
    pub witness: Witness,
}

/// What [`diff`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub schema: Schema,
    /// Input combinations evaluated on both sides.
    pub points: usize,
    /// Evaluations in all (search, shrinking, grouping, explaining).
    pub evaluations: usize,
    pub changes: Vec<Change>,
    /// (output, differing combinations no group shows, past `max_groups`)
    pub ungrouped: Vec<(String, usize)>,
}

impl Report {
    /// Whether the editions differ: a shared output changed, or the interfaces differ.
    pub fn differs(&self) -> bool {
        !self.changes.is_empty() || !self.ungrouped.is_empty() || !self.schema.unchanged()
    }

    /// One line per interface difference and per change (no counts, no witnesses): stable enough
    /// to pin in tests.
    pub fn summary(&self, lang: Lang) -> String {
        let mut lines = schema_lines(&self.schema, lang);
        for c in &self.changes {
            lines.push(format!("{}: {}", c.output, change_scope(c, lang)));
        }
        for (output, n) in &self.ungrouped {
            lines.push(match lang {
                Lang::Ja => format!("{output}: ほかに {} 通り", thousands(*n)),
                Lang::En => format!("{output}: {} more combinations", thousands(*n)),
            });
        }
        if !self.differs() {
            lines.push(match lang {
                Lang::Ja => "差分なし".to_string(),
                Lang::En => "no difference".to_string(),
            });
        }
        lines.join("\n")
    }

    /// The report for people: each change with its one-line witness and the rules responsible.
    pub fn to_text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let mut out = format!("{} → {}\n", self.old, self.new);
        for line in schema_lines(&self.schema, lang) {
            out.push_str(&format!("  {line}\n"));
        }
        for c in &self.changes {
            let count = if ja {
                format!("{} 通り", thousands(c.points))
            } else {
                format!("{} combination(s)", thousands(c.points))
            };
            if ja {
                out.push_str(&format!(
                    "  {} が変わる: {} — {count}\n",
                    c.output,
                    change_scope(c, lang)
                ));
            } else {
                out.push_str(&format!(
                    "  {} changed {} — {count}\n",
                    c.output,
                    change_scope(c, lang)
                ));
            }
            out.push_str(&witness_lines(&c.witness, lang, "    "));
        }
        for (output, n) in &self.ungrouped {
            out.push_str(&if ja {
                format!(
                    "  {output}: ほかに {} 通り（グループの上限を超えた分）\n",
                    thousands(*n)
                )
            } else {
                format!(
                    "  {output}: {} more differing combination(s) past the group limit\n",
                    thousands(*n)
                )
            });
        }
        let (outputs, inputs, points) = (
            self.schema.outputs.len(),
            self.schema.inputs.len(),
            thousands(self.points),
        );
        let agree = self.changes.is_empty() && self.ungrouped.is_empty();
        out.push_str(&if agree {
            let head = match (ja, self.schema.unchanged()) {
                (true, true) => "差分なし: ",
                (true, false) => "入出力の違いは上のとおり。",
                (false, true) => "no difference: ",
                (false, false) => "interfaces differ as above; ",
            };
            if ja {
                format!("  {head}共有する出力 {outputs} 件は、共有する入力 {inputs} 件の {points} 通りの組み合わせですべて一致\n")
            } else {
                format!("  {head}the {outputs} shared output(s) agree on all {points} combinations of the {inputs} shared input(s) searched\n")
            }
        } else if ja {
            format!(
                "  変更 {} 件（共有する出力 {outputs} 件、共有する入力 {inputs} 件、{points} 通りを探索）\n",
                self.changes.len()
            )
        } else {
            format!(
                "  {} change(s) ({outputs} shared output(s), {inputs} shared input(s), {points} combinations searched)\n",
                self.changes.len()
            )
        });
        out
    }

    /// The report for tools.
    pub fn to_json(&self) -> Json {
        json!({
            "old": self.old,
            "new": self.new,
            "differs": self.differs(),
            "points": self.points,
            "schema": schema_json(&self.schema),
            "changes": self.changes.iter().map(|c| {
                let when: Map<String, Json> = c
                    .when
                    .iter()
                    .map(|w| (w.input.clone(), json!(w.values)))
                    .collect();
                let context: Map<String, Json> = c
                    .context
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                json!({
                    "output": c.output,
                    "when": when,
                    "context": context,
                    "points": c.points,
                    "witness": witness_json(&c.witness),
                })
            }).collect::<Vec<_>>(),
            "ungrouped": self.ungrouped.iter().map(|(o, n)| json!({"output": o, "points": n})).collect::<Vec<_>>(),
        })
    }
}

fn thousands(n: usize) -> String {
    onshi::value::group_thousands(&Num::from_int(i128::try_from(n).unwrap_or(i128::MAX)))
}

/// `施設種別 = 病院 × 事業 ∈ {訪問診療等, 外来診療等}（補助区分 = 病院）`
fn change_scope(c: &Change, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut s = if c.when.is_empty() {
        if ja {
            "列挙・真偽の入力によらない".to_string()
        } else {
            "for every value of the enumeration and boolean inputs".to_string()
        }
    } else {
        let parts: Vec<String> = c
            .when
            .iter()
            .map(|w| match w.values.as_slice() {
                [one] => format!("{} = {one}", w.input),
                many => format!("{} ∈ {{{}}}", w.input, many.join(", ")),
            })
            .collect();
        let joined = parts.join(" × ");
        if ja {
            joined
        } else {
            format!("for {joined}")
        }
    };
    if !c.context.is_empty() {
        let ctx: Vec<String> = c
            .context
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        if ja {
            s.push_str(&format!("（{}）", ctx.join(", ")));
        } else {
            s.push_str(&format!(" ({})", ctx.join(", ")));
        }
    }
    s
}

fn facts_line(facts: &[Fact], lang: Lang) -> String {
    if facts.is_empty() {
        return match lang {
            Lang::Ja => "（すべて既定値）".to_string(),
            Lang::En => "(every input at its default)".to_string(),
        };
    }
    facts
        .iter()
        .map(|f| format!("{} = {}", f.name, f.text))
        .collect::<Vec<_>>()
        .join(", ")
}

fn responsible_line(items: &[Responsible], lang: Lang) -> String {
    items
        .iter()
        .map(|r| {
            let mark = if r.changed { "*" } else { "" };
            format!("{}{mark} {}", r.what.get(lang), r.at)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn witness_lines(w: &Witness, lang: Lang, indent: &str) -> String {
    let ja = lang == Lang::Ja;
    let mut out = if ja {
        format!(
            "{indent}例: {} → 旧 {} / 新 {}\n",
            facts_line(&w.facts, lang),
            w.old.text,
            w.new.text
        )
    } else {
        format!(
            "{indent}witness: {} → old {} / new {}\n",
            facts_line(&w.facts, lang),
            w.old.text,
            w.new.text
        )
    };
    for (label, items) in [
        (if ja { "旧" } else { "old" }, &w.responsible_old),
        (if ja { "新" } else { "new" }, &w.responsible_new),
    ] {
        if !items.is_empty() {
            out.push_str(&format!(
                "{indent}{label}: {}\n",
                responsible_line(items, lang)
            ));
        }
    }
    out
}

fn schema_lines(s: &Schema, lang: Lang) -> Vec<String> {
    let ja = lang == Lang::Ja;
    let mut lines = Vec::new();
    let list = |xs: &[String]| xs.join(", ");
    let mut add = |ja_label: &str, en_label: &str, body: String| {
        if !body.is_empty() {
            lines.push(format!("{}: {body}", if ja { ja_label } else { en_label }));
        }
    };
    add(
        "出力（旧のみ）",
        "outputs only in old",
        list(&s.outputs_only_old),
    );
    add(
        "出力（新のみ）",
        "outputs only in new",
        list(&s.outputs_only_new),
    );
    add(
        "出力の型",
        "output types",
        s.output_types
            .iter()
            .map(|(n, a, b)| format!("{n} {a} → {b}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let sided = |xs: &[(String, bool)], required: bool| {
        xs.iter()
            .filter(|(_, r)| *r == required)
            .map(|(n, _)| n.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    add(
        "入力（旧のみ・既定値のまま）",
        "inputs only in old (held at their defaults)",
        sided(&s.inputs_only_old, false),
    );
    add(
        "入力（旧のみ・必須のため探索）",
        "inputs only in old (required, so searched)",
        sided(&s.inputs_only_old, true),
    );
    add(
        "入力（新のみ・既定値のまま）",
        "inputs only in new (held at their defaults)",
        sided(&s.inputs_only_new, false),
    );
    add(
        "入力（新のみ・必須のため探索）",
        "inputs only in new (required, so searched)",
        sided(&s.inputs_only_new, true),
    );
    add(
        "入力の型",
        "input types",
        s.input_types
            .iter()
            .map(|(n, a, b)| format!("{n} {a} → {b}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let required = if ja { "必須" } else { "required" };
    add(
        "既定値",
        "defaults",
        s.defaults
            .iter()
            .map(|(n, a, b)| {
                format!(
                    "{n} {} → {}",
                    a.as_deref().unwrap_or(required),
                    b.as_deref().unwrap_or(required)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    );
    let variants = |xs: &[(String, Vec<String>)]| {
        xs.iter()
            .map(|(n, vs)| format!("{n} {{{}}}", vs.join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    add(
        "列挙値（旧のみ）",
        "enumeration values only in old",
        variants(&s.variants_only_old),
    );
    add(
        "列挙値（新のみ）",
        "enumeration values only in new",
        variants(&s.variants_only_new),
    );
    lines
}

fn schema_json(s: &Schema) -> Json {
    let sided = |xs: &[(String, bool)]| {
        xs.iter()
            .map(|(n, r)| json!({"name": n, "required": r}))
            .collect::<Vec<_>>()
    };
    json!({
        "outputs": s.outputs,
        "outputs_only_old": s.outputs_only_old,
        "outputs_only_new": s.outputs_only_new,
        "output_types": s.output_types.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "inputs": s.inputs,
        "inputs_only_old": sided(&s.inputs_only_old),
        "inputs_only_new": sided(&s.inputs_only_new),
        "input_types": s.input_types.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "defaults": s.defaults.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "variants_only_old": s.variants_only_old.iter().map(|(n, v)| json!({"name": n, "variants": v})).collect::<Vec<_>>(),
        "variants_only_new": s.variants_only_new.iter().map(|(n, v)| json!({"name": n, "variants": v})).collect::<Vec<_>>(),
    })
}

fn facts_json(facts: &[Fact], old_side: bool) -> Json {
    Json::Object(
        facts
            .iter()
            .filter_map(|f| {
                let v = if old_side { &f.old } else { &f.new };
                v.clone().map(|v| (f.name.clone(), v))
            })
            .collect(),
    )
}

fn responsible_json(items: &[Responsible]) -> Json {
    Json::Array(
        items
            .iter()
            .map(|r| json!({"what": {"ja": r.what.ja, "en": r.what.en}, "at": r.at, "changed": r.changed}))
            .collect(),
    )
}

fn witness_json(w: &Witness) -> Json {
    json!({
        "facts": {"old": facts_json(&w.facts, true), "new": facts_json(&w.facts, false)},
        "old": {"value": w.old.json, "text": w.old.text, "responsible": responsible_json(&w.responsible_old)},
        "new": {"value": w.new.json, "text": w.new.text, "responsible": responsible_json(&w.responsible_new)},
    })
}

// ------------------------------------------------------------------------------------------------
// diff

struct Group {
    conditions: Vec<(usize, Vec<Jv>)>,
    contexts: Vec<BTreeSet<String>>,
    points: usize,
    witness: Witness,
}

impl Joint<'_> {
    /// The enumeration and 真偽 values of a point (what groups are keyed by).
    fn signature(&self, point: &[Jv]) -> Vec<Jv> {
        self.inputs
            .iter()
            .zip(point.iter())
            .filter(|(ji, _)| ji.varied && ji.domain.groups_by())
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The values of the enumeration-valued outputs that agree, for the context of output `k`.
    fn contexts(&self, k: usize, o: &[Outcome], n: &[Outcome]) -> Vec<Option<String>> {
        self.outputs
            .iter()
            .enumerate()
            .map(|(e, c)| {
                if e == k || !c.context {
                    return None;
                }
                let (a, b) = (o.get(e)?, n.get(e)?);
                if !self.same(e, a, b) {
                    return None;
                }
                let v = a.as_ref().ok()?;
                let def = self.old.program.defs.get(c.old as usize)?;
                Some(self.old.program.value_to_text(v, &def.ty))
            })
            .collect()
    }

    fn witness(&mut self, k: usize, w: &[Jv]) -> Option<Witness> {
        let (o, n) = self.eval(w);
        let c = self.outputs.get(k)?.clone();
        let old = self.shown(k, o.get(k)?, true);
        let new = self.shown(k, n.get(k)?, false);
        Some(Witness {
            facts: self.facts(w),
            old,
            new,
            responsible_old: self.responsible(w, true, c.old),
            responsible_new: self.responsible(w, false, c.new),
        })
    }
}

/// The differences found so far, grouped per output.
struct Found {
    groups: Vec<Vec<Group>>,
    by_signature: Vec<HashMap<Vec<Jv>, usize>>,
    ungrouped: Vec<usize>,
}

impl Found {
    fn new(outputs: usize) -> Found {
        Found {
            groups: (0..outputs).map(|_| Vec::new()).collect(),
            by_signature: vec![HashMap::new(); outputs],
            ungrouped: vec![0; outputs],
        }
    }

    /// Evaluate one point and file its differences; returns the witnesses of new groups.
    fn visit(&mut self, joint: &mut Joint, point: &[Jv], opts: &Options) -> Vec<Vec<Jv>> {
        let mut fresh = Vec::new();
        let (o, n) = joint.eval(point);
        for k in 0..joint.outputs.len() {
            let (Some(a), Some(b)) = (o.get(k), n.get(k)) else {
                continue;
            };
            if joint.same(k, a, b) {
                continue;
            }
            let contexts = joint.contexts(k, &o, &n);
            let sig = joint.signature(point);
            let Some(gs) = self.groups.get(k) else {
                continue;
            };
            let mut target = self.by_signature.get(k).and_then(|m| m.get(&sig)).copied();
            if target.is_none() {
                target = gs.iter().position(|g| {
                    g.conditions
                        .iter()
                        .all(|(j, allowed)| point.get(*j).is_some_and(|v| allowed.contains(v)))
                });
            }
            if target.is_none() && gs.len() < opts.max_groups {
                let mut pred = |j: &mut Joint, q: &[Jv]| j.differs(k, q);
                let w = joint.shrink(point.to_vec(), &mut pred);
                let conditions = joint.conditions(&w, &mut pred);
                let (wo, wn) = joint.eval(&w);
                let wctx = joint.contexts(k, &wo, &wn);
                let Some(witness) = joint.witness(k, &w) else {
                    continue;
                };
                let Some(gs) = self.groups.get_mut(k) else {
                    continue;
                };
                let at = match gs.iter().position(|g| g.conditions == conditions) {
                    Some(at) => at,
                    None => {
                        gs.push(Group {
                            conditions,
                            contexts: vec![BTreeSet::new(); wctx.len()],
                            points: 0,
                            witness,
                        });
                        fresh.push(w);
                        gs.len() - 1
                    }
                };
                if let Some(g) = gs.get_mut(at) {
                    for (set, v) in g.contexts.iter_mut().zip(wctx.iter()) {
                        set.extend(v.iter().cloned());
                    }
                }
                target = Some(at);
            }
            let (Some(gs), Some(sigs)) = (self.groups.get_mut(k), self.by_signature.get_mut(k))
            else {
                continue;
            };
            match target.and_then(|t| gs.get_mut(t).map(|g| (t, g))) {
                Some((t, g)) => {
                    g.points += 1;
                    for (set, v) in g.contexts.iter_mut().zip(contexts.iter()) {
                        // A context output that differs or failed has no single value to show.
                        set.insert(v.clone().unwrap_or_default());
                    }
                    sigs.insert(sig, t);
                }
                None => {
                    if let Some(u) = self.ungrouped.get_mut(k) {
                        *u += 1;
                    }
                }
            }
        }
        fresh
    }
}

/// Compare two editions: every output they share, over the inputs they share.
pub fn diff(old: Edition, new: Edition, opts: &Options) -> Report {
    let mut joint = Joint::new(old, new);
    let points = joint.points(opts);
    let mut seen: HashSet<Vec<Jv>> = points.iter().cloned().collect();
    let mut found = Found::new(joint.outputs.len());
    let mut witnesses = Vec::new();
    for point in &points {
        witnesses.extend(found.visit(&mut joint, point, opts));
    }
    let mut searched = points.len();
    // 5. Around each witness, every boundary of every input, one at a time (differences cluster:
    //    a changed deadline shows in the decision on the days a witness's own dates bring near).
    for _round in 0..2 {
        let mut next = Vec::new();
        for w in &witnesses {
            for j in 0..joint.inputs.len() {
                let Some(pool) = joint
                    .inputs
                    .get(j)
                    .filter(|ji| ji.varied)
                    .map(|ji| ji.pool.clone())
                else {
                    continue;
                };
                for v in pool {
                    let mut p = w.clone();
                    if let Some(slot) = p.get_mut(j) {
                        *slot = v;
                    }
                    if seen.insert(p.clone()) {
                        searched += 1;
                        next.extend(found.visit(&mut joint, &p, opts));
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        witnesses = next;
    }
    let mut changes = Vec::new();
    for (k, gs) in found.groups.into_iter().enumerate() {
        let Some(c) = joint.outputs.get(k) else {
            continue;
        };
        for g in gs {
            let when = g
                .conditions
                .iter()
                .filter_map(|(j, allowed)| {
                    let ji = joint.inputs.get(*j)?;
                    Some(Condition {
                        input: ji.name.clone(),
                        values: allowed.iter().map(|v| joint.value_text(*j, v)).collect(),
                    })
                })
                .collect();
            let context = joint
                .outputs
                .iter()
                .zip(g.contexts.iter())
                .filter_map(|(o, set)| match (set.len(), set.iter().next()) {
                    (1, Some(v)) if !v.is_empty() => Some((o.name.clone(), v.clone())),
                    _ => None,
                })
                .collect();
            changes.push(Change {
                output: c.name.clone(),
                when,
                context,
                points: g.points,
                witness: g.witness,
            });
        }
    }
    let ungrouped = joint
        .outputs
        .iter()
        .zip(found.ungrouped)
        .filter(|(_, n)| *n > 0)
        .map(|(c, n)| (c.name.clone(), n))
        .collect();
    Report {
        old: old.label.to_string(),
        new: new.label.to_string(),
        schema: joint.schema.clone(),
        points: searched,
        evaluations: joint.evaluations,
        changes,
        ungrouped,
    }
}

// ------------------------------------------------------------------------------------------------
// Assertions

/// Which edition an operand reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

/// One side of an assertion: an output of one edition, or a literal (`411,000円`, `2026-01-15`,
/// `3/4`, `真`, `病院`).
#[derive(Clone, Debug, PartialEq)]
pub enum Operand {
    Output { side: Side, name: String },
    Literal { text: String, value: Value },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssertOp {
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
}

/// `new.補助額 <= old.補助額`: a comparison that must hold on every input.
#[derive(Clone, Debug, PartialEq)]
pub struct Assertion {
    pub text: String,
    pub left: Operand,
    pub op: AssertOp,
    pub right: Operand,
}

const OPERATORS: [(&str, AssertOp); 10] = [
    ("<=", AssertOp::Le),
    (">=", AssertOp::Ge),
    ("!=", AssertOp::Ne),
    ("==", AssertOp::Eq),
    ("≤", AssertOp::Le),
    ("≥", AssertOp::Ge),
    ("≠", AssertOp::Ne),
    ("<", AssertOp::Lt),
    (">", AssertOp::Gt),
    ("=", AssertOp::Eq),
];

fn operand(s: &str) -> Result<Operand, Text> {
    let s = s.trim();
    if s.is_empty() {
        return Err(Text::new(
            "比較の片側が空です",
            "one side of the comparison is empty",
        ));
    }
    if let Some((side, name)) = s.split_once('.') {
        let side = match side.trim() {
            "old" | "旧" => Some(Side::Old),
            "new" | "新" => Some(Side::New),
            _ => None,
        };
        if let Some(side) = side {
            let name = name.trim();
            if name.is_empty() {
                return Err(Text::new(
                    "出力の名前がありません",
                    "missing an output name",
                ));
            }
            return Ok(Operand::Output {
                side,
                name: name.to_string(),
            });
        }
    }
    let value = match s {
        "真" | "true" => Value::Bool(true),
        "偽" | "false" => Value::Bool(false),
        _ => {
            if let Ok(d) = literal::parse_date(s) {
                Value::Date(d)
            } else if let Ok(n) = literal::parse_money(s) {
                Value::Money(n)
            } else if let Ok(i) = literal::parse_integer(s) {
                Value::Int(i)
            } else if s.contains('/') || s.contains('%') {
                match literal::parse_ratio(s) {
                    Ok(n) => Value::Ratio(n),
                    Err(_) => Value::Text(s.into()),
                }
            } else if let Ok(n) = literal::parse_decimal(s) {
                Value::Decimal(n)
            } else {
                Value::Text(s.into())
            }
        }
    };
    Ok(Operand::Literal {
        text: s.to_string(),
        value,
    })
}

/// Parse `new.補助額 <= old.補助額` (also `旧.` / `新.`, `≤ ≥ ≠ < > = == !=`, and literals).
pub fn parse_assertion(text: &str) -> Result<Assertion, Text> {
    let found = text.char_indices().find_map(|(i, _)| {
        let rest = text.get(i..)?;
        OPERATORS
            .iter()
            .find(|(sym, _)| rest.starts_with(sym))
            .map(|(sym, op)| (i, sym.len(), *op))
    });
    let Some((at, len, op)) = found else {
        return Err(Text::new(
            format!("比較演算子がありません: 「{text}」（例: 'new.補助額 <= old.補助額'）"),
            format!("no comparison operator in `{text}` (e.g. 'new.補助額 <= old.補助額')"),
        ));
    };
    let left = operand(text.get(..at).unwrap_or(""))?;
    let right = operand(text.get(at + len..).unwrap_or(""))?;
    if !matches!(left, Operand::Output { .. }) && !matches!(right, Operand::Output { .. }) {
        return Err(Text::new(
            "比較の少なくとも片側は old.出力 か new.出力 にしてください",
            "at least one side must be old.<output> or new.<output>",
        ));
    }
    Ok(Assertion {
        text: text.trim().to_string(),
        left,
        op,
        right,
    })
}

/// The outcome of one operand at one point.
struct Operated {
    outcome: Outcome,
    shown: Shown,
    structured: bool,
}

/// A point where an assertion fails, shrunk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Counterexample {
    pub facts: Vec<Fact>,
    pub left: Shown,
    pub right: Shown,
    /// (operand as written, rules and rows behind it) for each output operand.
    pub responsible: Vec<(String, Vec<Responsible>)>,
}

/// What [`check_assertion`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssertReport {
    pub old: String,
    pub new: String,
    pub assertion: String,
    /// The two operands as written (`new.補助額`, `411,000円`).
    pub left: String,
    pub right: String,
    /// Input combinations evaluated (up to the first failure).
    pub points: usize,
    pub counterexample: Option<Counterexample>,
}

impl AssertReport {
    pub fn holds(&self) -> bool {
        self.counterexample.is_none()
    }

    pub fn to_text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let mut out = format!("{} → {}\n", self.old, self.new);
        match &self.counterexample {
            None => out.push_str(&if ja {
                format!(
                    "  「{}」は探索した {} 通りのすべてで成り立つ\n",
                    self.assertion,
                    thousands(self.points)
                )
            } else {
                format!(
                    "  `{}` holds on all {} combinations searched\n",
                    self.assertion,
                    thousands(self.points)
                )
            }),
            Some(c) => {
                out.push_str(&if ja {
                    format!("  「{}」は成り立たない。反例:\n", self.assertion)
                } else {
                    format!("  `{}` fails. Counterexample:\n", self.assertion)
                });
                out.push_str(&format!(
                    "    {} → {} = {}, {} = {}\n",
                    facts_line(&c.facts, lang),
                    self.left,
                    c.left.text,
                    self.right,
                    c.right.text
                ));
                for (label, items) in &c.responsible {
                    if !items.is_empty() {
                        out.push_str(&format!("    {label}: {}\n", responsible_line(items, lang)));
                    }
                }
            }
        }
        out
    }

    pub fn to_json(&self) -> Json {
        json!({
            "old": self.old,
            "new": self.new,
            "assertion": self.assertion,
            "holds": self.holds(),
            "points": self.points,
            "counterexample": self.counterexample.as_ref().map(|c| json!({
                "facts": {"old": facts_json(&c.facts, true), "new": facts_json(&c.facts, false)},
                "left": {"value": c.left.json, "text": c.left.text},
                "right": {"value": c.right.json, "text": c.right.text},
                "responsible": c.responsible.iter().map(|(l, r)| json!({"operand": l, "items": responsible_json(r)})).collect::<Vec<_>>(),
            })),
        })
    }
}

impl Joint<'_> {
    fn output_def(&self, side: Side, name: &str) -> Option<u32> {
        let p = self.program(side == Side::Old);
        p.outputs
            .iter()
            .copied()
            .find(|&d| p.defs.get(d as usize).is_some_and(|x| x.name == name))
    }

    fn operate(&mut self, op: &Operand, point: &[Jv]) -> Operated {
        match op {
            Operand::Literal { text, value } => Operated {
                outcome: Ok(value.clone()),
                shown: Shown {
                    text: text.clone(),
                    json: Json::String(text.clone()),
                },
                structured: false,
            },
            Operand::Output { side, name } => {
                let old_side = *side == Side::Old;
                let p = self.program(old_side);
                let def = self.output_def(*side, name);
                let results = self.run(point, old_side);
                let outcome = match def.and_then(|d| results.get(d as usize)) {
                    Some(Some(Ok(v))) => Ok(v.clone()),
                    Some(Some(Err(e))) => Err(e.code()),
                    _ => Err("onshi::eval::internal"),
                };
                let ty = def.and_then(|d| p.defs.get(d as usize)).map(|d| &d.ty);
                let structured =
                    matches!(outcome, Ok(Value::Enum(_) | Value::Set(_) | Value::Row(_)));
                Operated {
                    shown: shown(p, ty, &outcome),
                    outcome,
                    structured,
                }
            }
        }
    }

    /// Whether the assertion fails at `point`.
    fn fails(&mut self, a: &Assertion, point: &[Jv]) -> bool {
        let l = self.operate(&a.left, point);
        let r = self.operate(&a.right, point);
        !holds(a.op, &l, &r)
    }
}

fn operand_text(op: &Operand) -> String {
    match op {
        Operand::Output {
            side: Side::Old,
            name,
        } => format!("old.{name}"),
        Operand::Output {
            side: Side::New,
            name,
        } => format!("new.{name}"),
        Operand::Literal { text, .. } => text.clone(),
    }
}

fn holds(op: AssertOp, l: &Operated, r: &Operated) -> bool {
    let (Ok(x), Ok(y)) = (&l.outcome, &r.outcome) else {
        return false;
    };
    let text_side = |o: &Operated| matches!(o.outcome, Ok(Value::Text(_)));
    let equal = if l.structured || r.structured || text_side(l) || text_side(r) {
        let as_text = |o: &Operated| match &o.shown.json {
            Json::String(s) => s.clone(),
            other => other.to_string(),
        };
        l.shown.json == r.shown.json || as_text(l) == as_text(r)
    } else {
        values_equal(x, y)
    };
    match op {
        AssertOp::Eq => equal,
        AssertOp::Ne => !equal,
        _ => match order_values(x, y) {
            None => false,
            Some(ord) => match op {
                AssertOp::Lt => ord == Ordering::Less,
                AssertOp::Le => ord != Ordering::Greater,
                AssertOp::Gt => ord == Ordering::Greater,
                _ => ord != Ordering::Less,
            },
        },
    }
}

/// Check an assertion over the same search as [`diff`]; the first failure found is shrunk to a
/// counterexample. An error on either side counts as a failure. Errs when an operand names an
/// output its edition does not have.
pub fn check_assertion(
    old: Edition,
    new: Edition,
    assertion: &Assertion,
    opts: &Options,
) -> Result<AssertReport, Text> {
    let mut joint = Joint::new(old, new);
    for op in [&assertion.left, &assertion.right] {
        if let Operand::Output { side, name } = op {
            if joint.output_def(*side, name).is_none() {
                let (label, ja, en) = match side {
                    Side::Old => (old.label, "旧", "old"),
                    Side::New => (new.label, "新", "new"),
                };
                return Err(Text::new(
                    format!("{ja}（{label}）に出力 {name} がありません"),
                    format!("the {en} edition ({label}) has no output {name}"),
                ));
            }
        }
    }
    let points = joint.points(opts);
    let mut evaluated = 0usize;
    let mut counterexample = None;
    for point in &points {
        evaluated += 1;
        if !joint.fails(assertion, point) {
            continue;
        }
        let mut pred = |j: &mut Joint, q: &[Jv]| j.fails(assertion, q);
        let w = joint.shrink(point.clone(), &mut pred);
        let l = joint.operate(&assertion.left, &w);
        let r = joint.operate(&assertion.right, &w);
        let mut responsible = Vec::new();
        for op in [&assertion.left, &assertion.right] {
            if let Operand::Output { side, name } = op {
                if let Some(def) = joint.output_def(*side, name) {
                    let items = joint.responsible(&w, *side == Side::Old, def);
                    responsible.push((operand_text(op), items));
                }
            }
        }
        counterexample = Some(Counterexample {
            facts: joint.facts(&w),
            left: l.shown,
            right: r.shown,
            responsible,
        });
        break;
    }
    Ok(AssertReport {
        old: old.label.to_string(),
        new: new.label.to_string(),
        assertion: assertion.text.clone(),
        left: operand_text(&assertion.left),
        right: operand_text(&assertion.right),
        points: evaluated,
        counterexample,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::panic, clippy::indexing_slicing)]
mod tests {
    use super::*;
    use onshi::compile;
    use std::collections::BTreeMap;

    const COMMON: &str = "列挙 種別 = 病院 | 診療所 | 薬局\n";

    fn policy(cap: &str, extra: &str) -> String {
        format!(
            "政策 \"テスト\"\n取込 \"common.onshi\"\n\
入力 種別: 種別\n入力 費用: 金額 既定 0円\n入力 申請日: 日付\n{extra}\
表 上限(種別: 種別) → 金額\n  | 種別 | 上限 |\n  |------|------|\n  | 病院 | {cap} |\n  | {{診療所, 薬局}} | 10万円 |\n\
出力 限度額: 金額 = 上限(種別)\n\
出力 補助額: 金額 = もし 申請日 <= 令和8年1月15日 ならば 最小(限度額, 切り捨て(1/2 × 費用, 1000円)) そうでなければ 0円\n"
        )
    }

    fn compiled(src: &str) -> onshi::Compiled {
        let mut files = BTreeMap::new();
        files.insert("common.onshi".to_string(), COMMON.to_string());
        files.insert("p.onshi".to_string(), src.to_string());
        let c = compile(&files, "p.onshi");
        assert!(c.program.is_some(), "{:?}", c.diagnostics);
        c
    }

    fn run(a: &str, b: &str) -> Report {
        let (x, y) = (compiled(a), compiled(b));
        diff(
            Edition {
                program: x.program.as_ref().unwrap(),
                sources: &x.sources,
                label: "old",
            },
            Edition {
                program: y.program.as_ref().unwrap(),
                sources: &y.sources,
                label: "new",
            },
            &Options {
                samples: 200,
                ..Options::default()
            },
        )
    }

    #[test]
    fn literals_and_boundaries() {
        let c = compiled(&policy("41.1万円", ""));
        let lits = Literals::of(c.program.as_ref().unwrap());
        assert!(lits.money.contains(&Num::from_int(411_000)));
        assert!(lits.money.contains(&Num::from_int(1000)));
        let money = lits.money_boundaries();
        for yen in [0, 410_999, 411_000, 411_001, 822_000, 999, 1001] {
            assert!(money.contains(&Num::from_int(yen)), "{yen} in {money:?}");
        }
        let dates: Vec<String> = lits
            .date_boundaries()
            .iter()
            .map(|d| d.to_string())
            .collect();
        assert_eq!(dates, ["2026-01-14", "2026-01-15", "2026-01-16"]);
    }

    #[test]
    fn identical_editions_do_not_differ() {
        let src = policy("41.1万円", "");
        let r = run(&src, &src);
        assert!(!r.differs(), "{}", r.to_text(Lang::En));
        assert!(r.points > 10);
        assert_eq!(r.summary(Lang::En), "no difference");
    }

    #[test]
    fn a_changed_cap_is_grouped_by_the_class_and_shrunk() {
        let r = run(&policy("41.1万円", ""), &policy("40万円", ""));
        let summary = r.summary(Lang::Ja);
        assert_eq!(
            summary,
            "限度額: 種別 = 病院\n補助額: 種別 = 病院",
            "{}",
            r.to_text(Lang::Ja)
        );
        let c = &r.changes[1];
        assert_eq!(c.witness.old.text, "411,000円");
        assert_eq!(c.witness.new.text, "400,000円");
        // the smallest boundary amount that still shows the change: 1/2 × 800,000 reaches 400,000
        let facts = facts_line(&c.witness.facts, Lang::Ja);
        assert!(facts.starts_with("種別 = 病院, 費用 = "), "{facts}");
        assert!(c.witness.responsible_new[0]
            .what
            .ja
            .contains("表 上限 の 1 行目"));
        assert!(c.witness.responsible_new[0].changed);
    }

    #[test]
    fn interface_changes_are_listed() {
        let r = run(
            &policy("41.1万円", ""),
            &policy("41.1万円", "入力 台数: 整数 既定 1\n入力 区分: 種別\n"),
        );
        assert!(r.differs());
        assert_eq!(
            r.schema.inputs_only_new,
            vec![("台数".to_string(), false), ("区分".to_string(), true)]
        );
        assert!(r.changes.is_empty());
    }

    #[test]
    fn assertions_hold_or_give_a_counterexample() {
        let (x, y) = (
            compiled(&policy("41.1万円", "")),
            compiled(&policy("40万円", "")),
        );
        fn ed<'a>(c: &'a onshi::Compiled, label: &'a str) -> Edition<'a> {
            Edition {
                program: c.program.as_ref().unwrap(),
                sources: &c.sources,
                label,
            }
        }
        let opts = Options {
            samples: 100,
            ..Options::default()
        };
        let a = parse_assertion("new.補助額 <= old.補助額").unwrap();
        assert_eq!(a.op, AssertOp::Le);
        let r = check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts).unwrap();
        assert!(r.holds(), "{}", r.to_text(Lang::En));
        let a = parse_assertion("新.補助額 ≥ 旧.補助額").unwrap();
        let r = check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts).unwrap();
        let c = r.counterexample.as_ref().unwrap();
        assert_eq!(c.left.text, "400,000円");
        assert_eq!(c.right.text, "411,000円");
        assert!(r.to_text(Lang::Ja).contains("成り立たない"));
        let a = parse_assertion("new.補助額 <= 400,000円").unwrap();
        assert!(check_assertion(ed(&x, "old"), ed(&y, "new"), &a, &opts)
            .unwrap()
            .holds());
        assert!(check_assertion(
            ed(&x, "old"),
            ed(&y, "new"),
            &parse_assertion("new.ない <= old.補助額").unwrap(),
            &opts
        )
        .is_err());
        assert!(parse_assertion("new.補助額").is_err());
        assert!(parse_assertion("1 <= 2").is_err());
    }

    #[test]
    fn pairwise_covers_every_pair() {
        let sizes = [3, 4, 2, 5];
        let rows = pairwise(&sizes, &mut Rng(7));
        for a in 0..sizes.len() {
            for b in a + 1..sizes.len() {
                for va in 0..sizes[a] {
                    for vb in 0..sizes[b] {
                        assert!(rows.iter().any(|r| r[a] == va && r[b] == vb));
                    }
                }
            }
        }
        assert!(rows.len() < 3 * 4 * 2 * 5);
        assert_eq!(odometer(&[2, 3]).len(), 6);
    }
}
