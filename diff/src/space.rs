//! The joint input space: the values an input takes on both sides (an enumeration by its own
//! indices on each), and the values the search draws on (the boundaries of both programs'
//! literals).

use crate::literals::Literals;
use crate::rng::Rng;
use crate::Side;
use chrono::NaiveDate;
use onshi::program::Program;
use onshi::types::{EnumId, Type};
use onshi::value::Value;
use onshi_grammar::literal::{self, Duration};
use onshi_grammar::num::Num;
use std::collections::{BTreeSet, HashSet};

/// One value of a joint input, as each side represents it (enumerations by their own indices).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) struct Jv {
    pub(crate) old: Value,
    pub(crate) new: Value,
}

impl Jv {
    pub(crate) fn same(v: Value) -> Jv {
        Jv {
            old: v.clone(),
            new: v,
        }
    }

    /// The value as `side` represents it.
    pub(crate) fn get(&self, side: Side) -> &Value {
        side.pick(&self.old, &self.new)
    }
}

/// A variant both sides know, with its index on each side.
#[derive(Clone, Debug)]
pub(crate) struct Variant {
    old: u32,
    new: u32,
}

impl Variant {
    /// Its index on `side`.
    fn on(&self, side: Side) -> u32 {
        side.pick(self.old, self.new)
    }
}

/// The values an input can take on both sides.
#[derive(Clone, Debug)]
pub(crate) enum Domain {
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

pub(crate) fn bit(i: u32) -> u128 {
    if i < 128 {
        1u128 << i
    } else {
        0
    }
}

/// The variants of `a` (old) and `b` (new) that both have, by name.
fn shared_variants(o: &Program, a: EnumId, n: &Program, b: EnumId) -> Option<Vec<Variant>> {
    let ov = &o.enums().get(a.0 as usize)?.variants;
    let nv = &n.enums().get(b.0 as usize)?.variants;
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
pub(crate) fn domain(o: &Program, ot: &Type, n: &Program, nt: &Type) -> Option<Domain> {
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
            let mut add = |mask: u128, side: Side| {
                let positions = variants
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| mask & bit(v.on(side)) != 0)
                    .fold(0u128, |acc, (k, _)| acc | bit(k as u32));
                if positions != 0 && !groups.contains(&positions) {
                    groups.push(positions);
                }
            };
            for (_, mask) in o.enums().get(a.0 as usize).map_or(&[][..], |e| &e.groups) {
                add(*mask, Side::Old);
            }
            for (_, mask) in n.enums().get(b.0 as usize).map_or(&[][..], |e| &e.groups) {
                add(*mask, Side::New);
            }
            Domain::Set(variants, groups)
        }
        (Type::Optional(a), Type::Optional(b)) => Domain::Optional(Box::new(domain(o, a, n, b)?)),
        _ => return None,
    })
}

/// What the value generators draw on: the boundaries of both programs' literals.
pub(crate) struct Space {
    lits: Literals,
    dates: Vec<NaiveDate>,
    money: Vec<Num>,
    ints: Vec<i64>,
    base_date: NaiveDate,
}

impl Space {
    pub(crate) fn new(old: &Program, new: &Program) -> Space {
        let mut lits = Literals::of(old);
        lits.merge(&Literals::of(new));
        let dates = lits.date_boundaries();
        let literal_dates: Vec<NaiveDate> = lits.dates.iter().copied().collect();
        let fallback = new
            .fiscal_year()
            .or(old.fiscal_year())
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
    pub(crate) fn is_discrete(&self) -> bool {
        match self {
            Domain::Bool | Domain::Enum(_) | Domain::Set(..) => true,
            Domain::Optional(inner) => inner.is_discrete(),
            _ => false,
        }
    }

    /// Enumerations and 真偽: the inputs differences are grouped by.
    pub(crate) fn groups_by(&self) -> bool {
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
    pub(crate) fn base(&self, space: &Space) -> Jv {
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
    pub(crate) fn pool(&self, space: &Space) -> Vec<Jv> {
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
    pub(crate) fn random(&self, rng: &mut Rng, space: &Space) -> Jv {
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
    pub(crate) fn set_without(&self, jv: &Jv, k: usize) -> Option<Jv> {
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
