//! A checked [`Program`] as SMT-LIB terms: each input a few declared constants, each definition
//! (in dependency order) a value and an error code bound by `define-fun`, so a term refers to a
//! definition by name and the script stays linear in the program.
//!
//! Values ([`V`]): 真偽 → `Bool`; 整数 → `Int`; 金額/割合/小数 → `Real` (exact fractions; a 金額
//! fact is whole yen: an `Int` constant); 日付 → `Int` (days from 1970-01-01); 期間 → months and
//! days (`Int`); an enumeration → `Int` (the variant's index); a set → one `Bool` per variant; 任意
//! → present (`Bool`) and the value; a table row → its columns. Every expression also has an error
//! code ([`E::err`]: `0` when it succeeds; the codes of [`ERRORS`]), so evaluation errors (no rule,
//! a conflict, no row, division by zero, a date out of range, a rounding unit, a date the holiday
//! calendar does not know) are compared like
//! values. What is not encoded exactly is listed in [`Encoded::inexact`]: a result that depends on
//! it is searched, never proved.

mod calendar;
pub(crate) mod expr;
mod holidays;
pub use expr::eq;
mod tables;

use onshi::program::{DefId, Program};
use onshi::types::Type;
use onshi::value::Value;
use std::fmt::Write;

/// The error codes of evaluation, by their number in the encoding (0: no error).
pub const ERRORS: &[&str] = &[
    "",
    "onshi::eval::overflow",
    "onshi::eval::division_by_zero",
    "onshi::eval::no_row",
    "onshi::eval::date_range",
    "onshi::eval::rounding_unit",
    "onshi::eval::incomparable_durations",
    "onshi::eval::conflict",
    "onshi::eval::no_rule",
    "onshi::eval::internal",
    "onshi::eval::holiday_calendar",
];
pub(crate) const DIV0: u32 = 2;
pub(crate) const NO_ROW: u32 = 3;
pub(crate) const DATE_RANGE: u32 = 4;
pub(crate) const ROUNDING_UNIT: u32 = 5;
pub(crate) const CONFLICT: u32 = 7;
pub(crate) const NO_RULE: u32 = 8;
pub(crate) const INTERNAL: u32 = 9;
pub(crate) const HOLIDAY_CALENDAR: u32 = 10;

/// The bound on 整数 and 金額 facts (their absolute value), said in every proof's limits. Overflow is
/// not encoded: within the bound an amount times a constant ratio stays far inside i128 (see the
/// crate's documentation for what that leaves out).
pub const FACT_BOUND: i64 = 1_000_000_000_000;

/// An encoded value: SMT-LIB terms.
#[derive(Clone, Debug)]
pub enum V {
    Bool(String),
    Int(String),
    Real(String),
    Date(String),
    Enum(String),
    Dur(String, String),
    Set(Vec<String>),
    Opt(String, Box<V>),
    Row(Vec<V>),
}

/// An encoded expression: its value and its error code (`None`: it cannot fail).
#[derive(Clone, Debug)]
pub struct E {
    pub v: V,
    pub err: Option<String>,
}

impl E {
    pub(crate) fn ok(v: V) -> E {
        E { v, err: None }
    }
}

/// A program in SMT-LIB.
pub struct Encoded<'p> {
    pub(crate) p: &'p Program,
    pub(crate) prefix: String,
    /// Declarations, definitions and the facts' ranges.
    pub script: String,
    pub(crate) inputs: Vec<V>,
    pub(crate) defs: Vec<Option<E>>,
    pub(crate) fresh: usize,
    pub(crate) emitted: std::collections::HashSet<String>,
    /// Why the encoding is not exact (empty: every output is encoded exactly).
    pub inexact: Vec<String>,
    /// Per definition written as 原則/例外: each rule's (applies, decides) terms, in the order
    /// written (decides: it applies and no applicable rule beats it).
    pub(crate) rule_terms: Vec<Option<Vec<(String, String)>>>,
    /// The terms of the last 原則/例外 encoded (taken by the definition whose body it is).
    pub(crate) last_rules: Option<Vec<(String, String)>>,
}

pub(crate) fn int_lit(i: i128) -> String {
    if i < 0 {
        format!("(- {})", i.unsigned_abs())
    } else {
        i.to_string()
    }
}

pub(crate) fn real_lit(n: i128, d: i128) -> String {
    let num = if n < 0 {
        format!("(- {}.0)", n.unsigned_abs())
    } else {
        format!("{n}.0")
    };
    if d == 1 {
        num
    } else {
        format!("(/ {num} {d}.0)")
    }
}

/// The first error of `errs`, in order.
pub(crate) fn first(errs: &[Option<String>]) -> Option<String> {
    let mut acc: Option<String> = None;
    for e in errs.iter().rev() {
        acc = match (e, acc) {
            (None, a) => a,
            (Some(e), None) => Some(e.clone()),
            (Some(e), Some(a)) => Some(format!("(ite (= {e} 0) {a} {e})")),
        };
    }
    acc
}

/// `c ? a : b` for error codes.
pub(crate) fn err_ite(c: &str, a: &Option<String>, b: &Option<String>) -> Option<String> {
    match (a, b) {
        (None, None) => None,
        _ => Some(format!(
            "(ite {c} {} {})",
            a.as_deref().unwrap_or("0"),
            b.as_deref().unwrap_or("0")
        )),
    }
}

/// A name for `content`: `kind` and a 128-bit hash of it (two SipHash keys).
pub(crate) fn hashed(kind: &str, content: &str) -> String {
    use std::hash::{Hash, Hasher};
    let h = |seed: u64| {
        let mut s = std::collections::hash_map::DefaultHasher::new();
        seed.hash(&mut s);
        content.hash(&mut s);
        s.finish()
    };
    format!("{kind}{:016x}{:016x}", h(1), h(2))
}

/// Two scripts as one: a line both have (a shared input, a computation both editions make) once.
pub fn merge(a: &str, b: &str) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut out = String::with_capacity(a.len() + b.len());
    for l in a.lines().chain(b.lines()) {
        if seen.insert(l) {
            out.push_str(l);
            out.push('\n');
        }
    }
    out
}

/// Days from 1970-01-01.
pub fn day_number(d: chrono::NaiveDate) -> i64 {
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    d.signed_duration_since(epoch).num_days()
}

impl<'p> Encoded<'p> {
    /// Encodes `p`, its names prefixed with `prefix` (two editions live in one script).
    pub fn new(p: &'p Program, prefix: &str) -> Encoded<'p> {
        let mut enc = Encoded {
            p,
            prefix: prefix.to_string(),
            script: String::new(),
            inputs: Vec::new(),
            defs: vec![None; p.defs().len()],
            fresh: 0,
            emitted: std::collections::HashSet::new(),
            inexact: Vec::new(),
            rule_terms: vec![None; p.defs().len()],
            last_rules: None,
        };
        if p.max_steps() > p.step_limit() {
            enc.inexact
                .push("the program may reach the step limit, which is not encoded".into());
        }
        for input in p.inputs() {
            let key = format!("{}:{}:{:?}", input.name, p.type_name(&input.ty, true), {
                let k = match input.ty.strip_optional() {
                    Type::Enum(e) | Type::Set(e) => Some(e.0 as usize),
                    _ => None,
                };
                k.and_then(|k| p.enums().get(k)).map(|e| e.variants.clone())
            });
            let v = enc.declare(&hashed("x", &key), &input.ty, true);
            enc.inputs.push(v);
        }
        // Every query assumes every 前提: facts that break one are an evaluation error
        // (`onshi::eval::premise`), never the facts a proof is about.
        for premise in p.premises() {
            let e = enc.expr(&premise.condition);
            let held = match &e.v {
                V::Bool(t) => t.clone(),
                _ => "false".into(),
            };
            let ok = e
                .err
                .map_or_else(|| "true".to_string(), |x| format!("(= {x} 0)"));
            enc.line(format!("(assert (and {ok} {held}))"));
        }
        for &d in p.full_order() {
            let Some(def) = p.def(d) else { continue };
            enc.last_rules = None;
            let e = enc.expr(&def.body);
            let e = enc.bind_e(e);
            if let Some(slot) = enc.defs.get_mut(d.index()) {
                *slot = Some(e);
            }
            if matches!(def.body.kind, onshi::program::CKind::Rules(_)) {
                if let Some(slot) = enc.rule_terms.get_mut(d.index()) {
                    *slot = enc.last_rules.take();
                }
            }
        }
        enc
    }

    pub(crate) fn note(&mut self, why: String) {
        if !self.inexact.contains(&why) {
            self.inexact.push(why);
        }
    }

    /// A declared constant of `ty` (an input, or a value the encoding cannot compute); `fact`:
    /// constrained to the range of facts.
    fn declare(&mut self, name: &str, ty: &Type, fact: bool) -> V {
        let n = if name.starts_with('x') {
            name.to_string()
        } else {
            format!("{}_{name}", self.prefix)
        };
        let decl = |sort: &str, s: &mut String| {
            let _ = writeln!(s, "(declare-const {n} {sort})");
        };
        match ty {
            Type::Bool => {
                decl("Bool", &mut self.script);
                V::Bool(n)
            }
            Type::Int | Type::Money => {
                decl("Int", &mut self.script);
                if fact {
                    let _ = writeln!(
                        self.script,
                        "(assert (<= (- {FACT_BOUND}) {n} {FACT_BOUND}))"
                    );
                }
                if *ty == Type::Int {
                    V::Int(n)
                } else {
                    V::Real(format!("(to_real {n})"))
                }
            }
            Type::Ratio | Type::Decimal => {
                decl("Real", &mut self.script);
                V::Real(n)
            }
            Type::Date => {
                decl("Int", &mut self.script);
                let (lo, hi) = if fact {
                    calendar::fact_range()
                } else {
                    calendar::range()
                };
                let _ = writeln!(self.script, "(assert (<= {lo} {n} {hi}))");
                V::Date(n)
            }
            Type::Enum(e) => {
                decl("Int", &mut self.script);
                let k = self.variants(e.0);
                let _ = writeln!(self.script, "(assert (and (<= 0 {n}) (< {n} {k})))");
                V::Enum(n)
            }
            Type::Set(e) => {
                let k = self.variants(e.0);
                V::Set(
                    (0..k)
                        .map(|b| {
                            let bn = format!("{n}_b{b}");
                            let _ = writeln!(self.script, "(declare-const {bn} Bool)");
                            bn
                        })
                        .collect(),
                )
            }
            Type::Optional(t) => {
                let present = format!("{n}_p");
                let _ = writeln!(self.script, "(declare-const {present} Bool)");
                let v = self.declare(&format!("{name}_v"), t, fact);
                V::Opt(present, Box::new(v))
            }
            Type::Duration => {
                let (m, d) = (format!("{n}_m"), format!("{n}_d"));
                let _ = writeln!(
                    self.script,
                    "(declare-const {m} Int)\n(declare-const {d} Int)"
                );
                V::Dur(m, d)
            }
            Type::Row(t) => {
                let cols: Vec<Type> = self
                    .p
                    .tables()
                    .get(t.0 as usize)
                    .map(|t| t.results.iter().map(|c| c.ty.clone()).collect())
                    .unwrap_or_default();
                V::Row(
                    cols.iter()
                        .enumerate()
                        .map(|(k, c)| self.declare(&format!("{name}_c{k}"), c, fact))
                        .collect(),
                )
            }
            Type::Text | Type::Absent | Type::Error => {
                self.note("文字列 values are not encoded".into());
                decl("Int", &mut self.script);
                V::Int(n)
            }
        }
    }

    /// A value the encoding does not compute: unconstrained (and the encoding inexact).
    pub(crate) fn unknown(&mut self, ty: &Type, why: String) -> E {
        self.note(why);
        self.fresh += 1;
        let v = self.declare(&format!("u{}", self.fresh), ty, false);
        E::ok(v)
    }

    pub(crate) fn variants(&self, e: u32) -> usize {
        self.p
            .enums()
            .get(e as usize)
            .map_or(0, |en| en.variants.len())
    }

    /// `term` bound to a fresh name of `sort`.
    ///
    /// Names are content-addressed (a 128-bit hash of the term), and inputs are named by their
    /// name and type: two editions that compute the same thing from the same facts get the same
    /// symbol, so the solver need not prove it equal (a line both scripts have is written once,
    /// [`merge`]).
    pub(crate) fn bind(&mut self, sort: &str, term: String) -> String {
        if !term.contains(' ') {
            return term;
        }
        let n = hashed("t", &term);
        if self.emitted.insert(n.clone()) {
            let _ = writeln!(self.script, "(define-fun {n} () {sort} {term})");
        }
        n
    }

    /// One line of the script, once.
    pub(crate) fn line(&mut self, text: String) {
        if self.emitted.insert(text.clone()) {
            self.script.push_str(&text);
            self.script.push('\n');
        }
    }

    pub(crate) fn bind_v(&mut self, v: V) -> V {
        match v {
            V::Bool(t) => V::Bool(self.bind("Bool", t)),
            V::Int(t) => V::Int(self.bind("Int", t)),
            V::Real(t) => V::Real(self.bind("Real", t)),
            V::Date(t) => V::Date(self.bind("Int", t)),
            V::Enum(t) => V::Enum(self.bind("Int", t)),
            V::Dur(m, d) => V::Dur(self.bind("Int", m), self.bind("Int", d)),
            V::Set(bits) => V::Set(bits.into_iter().map(|b| self.bind("Bool", b)).collect()),
            V::Opt(p, v) => {
                let p = self.bind("Bool", p);
                V::Opt(p, Box::new(self.bind_v(*v)))
            }
            V::Row(cs) => V::Row(cs.into_iter().map(|c| self.bind_v(c)).collect()),
        }
    }

    pub(crate) fn bind_e(&mut self, e: E) -> E {
        E {
            v: self.bind_v(e.v),
            err: e.err.map(|t| self.bind("Int", t)),
        }
    }

    /// A constant of type `ty`.
    pub fn constant(&mut self, v: &Value, ty: &Type) -> V {
        match (v, ty) {
            (Value::Absent, t) => {
                let inner = self.filler(t.strip_optional());
                V::Opt("false".into(), Box::new(inner))
            }
            (v, Type::Optional(t)) => {
                let inner = self.constant(v, t);
                V::Opt("true".into(), Box::new(inner))
            }
            (Value::Bool(b), _) => V::Bool(b.to_string()),
            (Value::Int(i), Type::Int) => V::Int(int_lit(i128::from(*i))),
            (Value::Int(i), _) => V::Real(real_lit(i128::from(*i), 1)),
            (Value::Money(n) | Value::Ratio(n) | Value::Decimal(n), _) => {
                V::Real(real_lit(n.numer(), n.denom()))
            }
            (Value::Date(d), _) => V::Date(int_lit(i128::from(day_number(*d)))),
            (Value::Duration(d), _) => {
                V::Dur(int_lit(i128::from(d.months)), int_lit(i128::from(d.days)))
            }
            (Value::Enum(i), _) => V::Enum(i.to_string()),
            (Value::Set(mask), Type::Set(e)) => V::Set(
                (0..self.variants(e.0))
                    .map(|b| onshi::ops::sets::contains_at(*mask, b).to_string())
                    .collect(),
            ),
            (Value::Row(cells), Type::Row(t)) => {
                let cols: Vec<Type> = self
                    .p
                    .tables()
                    .get(t.0 as usize)
                    .map(|t| t.results.iter().map(|c| c.ty.clone()).collect())
                    .unwrap_or_default();
                V::Row(
                    cells
                        .iter()
                        .zip(cols.iter())
                        .map(|(c, t)| self.constant(c, t))
                        .collect(),
                )
            }
            _ => {
                let e = self.unknown(ty, format!("a constant of type {ty:?} is not encoded"));
                e.v
            }
        }
    }

    /// Some value of type `ty` (where the value does not matter: an absent optional's).
    pub(crate) fn filler(&mut self, ty: &Type) -> V {
        match ty {
            Type::Bool => V::Bool("false".into()),
            Type::Int => V::Int("0".into()),
            Type::Money | Type::Ratio | Type::Decimal => V::Real("0.0".into()),
            Type::Date => V::Date("0".into()),
            Type::Duration => V::Dur("0".into(), "0".into()),
            Type::Enum(_) => V::Enum("0".into()),
            Type::Set(e) => V::Set(vec!["false".into(); self.variants(e.0)]),
            Type::Optional(t) => V::Opt("false".into(), Box::new(self.filler(t))),
            Type::Row(t) => {
                let cols: Vec<Type> = self
                    .p
                    .tables()
                    .get(t.0 as usize)
                    .map(|t| t.results.iter().map(|c| c.ty.clone()).collect())
                    .unwrap_or_default();
                V::Row(cols.iter().map(|c| self.filler(c)).collect())
            }
            Type::Text | Type::Absent | Type::Error => V::Int("0".into()),
        }
    }

    /// The encoded value and error of definition `d`.
    pub fn def(&self, d: DefId) -> Option<&E> {
        self.defs.get(d.index())?.as_ref()
    }

    /// The (applies, decides) terms of each rule of definition `d` (`None`: not written as
    /// 原則/例外).
    pub fn rule_terms(&self, d: DefId) -> Option<&[(String, String)]> {
        self.rule_terms.get(d.index())?.as_deref()
    }

    /// The encoded value of input `i`.
    pub fn input(&self, i: usize) -> Option<&V> {
        self.inputs.get(i)
    }
}
