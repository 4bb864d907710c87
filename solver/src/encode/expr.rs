//! Expressions: each `CKind` as terms, with the evaluator's order of errors (operands left to
//! right; `と`/`または`, `もし`, `場合` and `既定値` only on the branch taken).

use super::{err_ite, first, Encoded, DIV0, E, INTERNAL, V};
use onshi::program::{Arith, CExpr, CKind};
use onshi::types::Type;
use onshi_grammar::ast::CmpOp;

/// `v` as a `Real` term (整数 widened).
pub(crate) fn real(v: &V) -> String {
    match v {
        V::Int(t) => format!("(to_real {t})"),
        V::Real(t) | V::Date(t) | V::Enum(t) => t.clone(),
        V::Bool(t) => t.clone(),
        _ => "0.0".into(),
    }
}

/// `c ? a : b`, component by component.
pub(crate) fn ite(c: &str, a: &V, b: &V) -> V {
    let t = |x: &str, y: &str| {
        if x == y {
            x.to_string()
        } else {
            format!("(ite {c} {x} {y})")
        }
    };
    match (a, b) {
        (V::Bool(x), V::Bool(y)) => V::Bool(t(x, y)),
        (V::Int(x), V::Int(y)) => V::Int(t(x, y)),
        (V::Date(x), V::Date(y)) => V::Date(t(x, y)),
        (V::Enum(x), V::Enum(y)) => V::Enum(t(x, y)),
        (V::Dur(m, d), V::Dur(n, e)) => V::Dur(t(m, n), t(d, e)),
        (V::Set(x), V::Set(y)) => V::Set(x.iter().zip(y).map(|(x, y)| t(x, y)).collect()),
        (V::Opt(p, x), V::Opt(q, y)) => V::Opt(t(p, q), Box::new(ite(c, x, y))),
        (V::Row(x), V::Row(y)) => V::Row(x.iter().zip(y).map(|(x, y)| ite(c, x, y)).collect()),
        (V::Opt(p, x), y) => V::Opt(t(p, "true"), Box::new(ite(c, x, y))),
        (x, V::Opt(q, y)) => V::Opt(t("true", q), Box::new(ite(c, x, y))),
        (x, y) => V::Real(t(&real(x), &real(y))),
    }
}

/// `a = b` as the language sees it (numbers exactly across 整数/割合/小数).
pub fn eq(a: &V, b: &V) -> String {
    match (a, b) {
        (V::Bool(x), V::Bool(y))
        | (V::Int(x), V::Int(y))
        | (V::Date(x), V::Date(y))
        | (V::Enum(x), V::Enum(y)) => format!("(= {x} {y})"),
        (V::Dur(m, d), V::Dur(n, e)) => format!("(and (= {m} {n}) (= {d} {e}))"),
        (V::Set(x), V::Set(y)) => and(x.iter().zip(y).map(|(x, y)| format!("(= {x} {y})"))),
        (V::Opt(p, x), V::Opt(q, y)) => {
            format!("(and (= {p} {q}) (or (not {p}) {}))", eq(x, y))
        }
        (V::Opt(p, x), y) | (y, V::Opt(p, x)) => format!("(and {p} {})", eq(x, y)),
        (V::Row(x), V::Row(y)) => and(x.iter().zip(y).map(|(x, y)| eq(x, y))),
        (x, y) => format!("(= {} {})", real(x), real(y)),
    }
}

pub(crate) fn and(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    match v.len() {
        0 => "true".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(and {})", v.join(" ")),
    }
}

pub(crate) fn or(items: impl Iterator<Item = String>) -> String {
    let v: Vec<String> = items.collect();
    match v.len() {
        0 => "false".into(),
        1 => v.into_iter().next().unwrap_or_default(),
        _ => format!("(or {})", v.join(" ")),
    }
}

fn bool_of(v: &V) -> String {
    match v {
        V::Bool(t) => t.clone(),
        _ => "false".into(),
    }
}

/// `x ∈ s`.
pub(crate) fn member(x: &V, s: &V) -> String {
    match (x, s) {
        (V::Enum(t), V::Set(bits)) => or(bits
            .iter()
            .enumerate()
            .map(|(i, b)| format!("(and (= {t} {i}) {b})"))),
        _ => "false".into(),
    }
}

/// `v` in the shape of `ty`: an optional where `ty` is one (present), its value where it is not
/// (the checker proved it present).
pub(crate) fn fit(v: V, ty: &Type) -> V {
    match (v, ty) {
        (V::Opt(p, inner), Type::Optional(t)) => V::Opt(p, Box::new(fit(*inner, t))),
        (v, Type::Optional(t)) => V::Opt("true".into(), Box::new(fit(v, t))),
        (V::Opt(_, inner), t) => fit(*inner, t),
        (v, _) => v,
    }
}

impl Encoded<'_> {
    pub(crate) fn expr(&mut self, e: &CExpr) -> E {
        let r = self.node(e);
        E {
            v: fit(r.v, &e.ty),
            err: r.err,
        }
    }

    fn node(&mut self, e: &CExpr) -> E {
        match &e.kind {
            CKind::Const(v) => E::ok(self.constant(v, &e.ty)),
            CKind::Input(i) => match self.inputs.get(i.index()) {
                Some(v) => E::ok(v.clone()),
                None => self.unknown(&e.ty, "an input slot".into()),
            },
            CKind::Def(d) => match self.defs.get(d.index()).cloned().flatten() {
                Some(x) => x,
                None => self.unknown(&e.ty, "a definition out of order".into()),
            },
            CKind::Widen(a) => {
                let x = self.expr(a);
                let v = match (&x.v, &e.ty) {
                    (V::Int(t), Type::Money | Type::Ratio | Type::Decimal) => {
                        V::Real(format!("(to_real {t})"))
                    }
                    (v, _) => v.clone(),
                };
                E { v, err: x.err }
            }
            CKind::Unwrap(a) => {
                let x = self.expr(a);
                match x.v {
                    V::Opt(_, v) => E { v: *v, err: x.err },
                    v => E { v, err: x.err },
                }
            }
            CKind::Field(a, i) => {
                let x = self.expr(a);
                match x.v {
                    V::Row(cols) => match cols.into_iter().nth(*i as usize) {
                        Some(v) => E { v, err: x.err },
                        None => self.unknown(&e.ty, "a row column".into()),
                    },
                    _ => self.unknown(&e.ty, "a field of a non-row".into()),
                }
            }
            CKind::Call(b, args) => self.call(b, args, e),
            CKind::Lookup(t, args) => self.lookup(t.0 as usize, args, &e.ty),
            CKind::Neg(a) => {
                let x = self.expr(a);
                let v = match x.v {
                    V::Int(t) => V::Int(format!("(- {t})")),
                    V::Dur(m, d) => V::Dur(format!("(- {m})"), format!("(- {d})")),
                    v => V::Real(format!("(- {})", real(&v))),
                };
                E { v, err: x.err }
            }
            CKind::Not(a) => {
                let x = self.expr(a);
                E {
                    v: V::Bool(format!("(not {})", bool_of(&x.v))),
                    err: x.err,
                }
            }
            CKind::And(a, b) | CKind::Or(a, b) => {
                let is_and = matches!(e.kind, CKind::And(..));
                let (x, y) = (self.expr(a), self.expr(b));
                let (xb, yb) = (bool_of(&x.v), bool_of(&y.v));
                let op = if is_and { "and" } else { "or" };
                let guard = if is_and {
                    xb.clone()
                } else {
                    format!("(not {xb})")
                };
                let err = first(&[x.err, err_ite(&guard, &y.err, &None)]);
                E {
                    v: V::Bool(format!("({op} {xb} {yb})")),
                    err,
                }
            }
            CKind::Union(a, b) | CKind::Intersect(a, b) => {
                let op = if matches!(e.kind, CKind::Union(..)) {
                    "or"
                } else {
                    "and"
                };
                let (x, y) = (self.expr(a), self.expr(b));
                let v = match (&x.v, &y.v) {
                    (V::Set(p), V::Set(q)) => V::Set(
                        p.iter()
                            .zip(q)
                            .map(|(p, q)| format!("({op} {p} {q})"))
                            .collect(),
                    ),
                    _ => return self.unknown(&e.ty, "set operands".into()),
                };
                E {
                    v,
                    err: first(&[x.err, y.err]),
                }
            }
            CKind::Arith(op, a, b) => {
                let (x, y) = (self.expr(a), self.expr(b));
                self.arith(*op, x, y, &e.ty)
            }
            CKind::Compare(op, a, b) => {
                let (x, y) = (self.expr(a), self.expr(b));
                let err = first(&[x.err.clone(), y.err.clone()]);
                let v = self.compare(*op, &x.v, &y.v);
                E { v: V::Bool(v), err }
            }
            CKind::Present(a, want) => {
                let x = self.expr(a);
                let p = match &x.v {
                    V::Opt(p, _) => p.clone(),
                    _ => "true".into(),
                };
                let v = if *want { p } else { format!("(not {p})") };
                E {
                    v: V::Bool(v),
                    err: x.err,
                }
            }
            CKind::If(branches, otherwise) => {
                let mut acc = self.expr(otherwise);
                for (c, t) in branches.iter().rev() {
                    let (ce, te) = (self.expr(c), self.expr(t));
                    let cb = bool_of(&ce.v);
                    let err = first(&[ce.err, err_ite(&cb, &te.err, &acc.err)]);
                    acc = self.bind_e(E {
                        v: ite(&cb, &te.v, &acc.v),
                        err,
                    });
                }
                acc
            }
            CKind::Match(s, arms) => {
                let se = self.expr(s);
                let V::Enum(t) = se.v.clone() else {
                    return self.unknown(&e.ty, "a match on a non-enumeration".into());
                };
                let k = match &s.ty.strip_optional() {
                    Type::Enum(id) => self.variants(id.0),
                    _ => 0,
                };
                let filler = self.filler(&e.ty);
                let mut acc = E {
                    v: filler,
                    err: Some(INTERNAL.to_string()),
                };
                for (mask, body) in arms.iter().rev() {
                    let b = self.expr(body);
                    let cond = or((0..k)
                        .filter(|i| onshi::ops::sets::contains_at(*mask, *i))
                        .map(|i| format!("(= {t} {i})")));
                    acc = self.bind_e(E {
                        v: ite(&cond, &b.v, &acc.v),
                        err: err_ite(&cond, &b.err, &acc.err),
                    });
                }
                E {
                    v: acc.v,
                    err: first(&[se.err, acc.err]),
                }
            }
            CKind::SetOf(items) => {
                let k = match &e.ty {
                    Type::Set(id) => self.variants(id.0),
                    _ => 0,
                };
                let xs: Vec<E> = items.iter().map(|i| self.expr(i)).collect();
                let bits = (0..k)
                    .map(|b| {
                        or(xs.iter().map(|x| match &x.v {
                            V::Enum(t) => format!("(= {t} {b})"),
                            V::Set(bs) => bs.get(b).cloned().unwrap_or_else(|| "false".into()),
                            _ => "false".into(),
                        }))
                    })
                    .collect();
                let errs: Vec<Option<String>> = xs.into_iter().map(|x| x.err).collect();
                E {
                    v: V::Set(bits),
                    err: first(&errs),
                }
            }
            CKind::Rules(rules) => self.rules(rules, &e.ty),
        }
    }

    fn arith(&mut self, op: Arith, x: E, y: E, ty: &Type) -> E {
        let mut err = first(&[x.err.clone(), y.err.clone()]);
        let sym = match op {
            Arith::Add => "+",
            Arith::Sub => "-",
            Arith::Mul => "*",
            Arith::Div => "/",
        };
        let v = match (&x.v, &y.v) {
            (V::Date(d), V::Dur(m, n)) | (V::Dur(m, n), V::Date(d)) => {
                let sign = if op == Arith::Sub { -1 } else { 1 };
                let shifted = self.shift(d, m, n, sign);
                err = first(&[err, shifted.err]);
                shifted.v
            }
            (V::Date(a), V::Date(b)) => V::Int(format!("(- {a} {b})")),
            (V::Dur(m, d), V::Dur(n, e)) => {
                V::Dur(format!("({sym} {m} {n})"), format!("({sym} {d} {e})"))
            }
            (V::Dur(m, d), V::Int(k)) | (V::Int(k), V::Dur(m, d)) => {
                V::Dur(format!("(* {m} {k})"), format!("(* {d} {k})"))
            }
            (V::Int(a), V::Int(b)) if *ty == Type::Int && op != Arith::Div => {
                V::Int(format!("({sym} {a} {b})"))
            }
            (a, b) => {
                let (a, b) = (real(a), real(b));
                if op == Arith::Div {
                    err = first(&[err, Some(format!("(ite (= {b} 0.0) {DIV0} 0)"))]);
                }
                let r = format!("({sym} {a} {b})");
                if *ty == Type::Int {
                    V::Int(format!("(to_int {r})"))
                } else {
                    V::Real(r)
                }
            }
        };
        E { v, err }
    }

    /// `a op b` as a `Bool` term.
    pub fn compare(&mut self, op: CmpOp, a: &V, b: &V) -> String {
        let ord = |s: &str, a: &V, b: &V| match (a, b) {
            (V::Int(x), V::Int(y)) | (V::Date(x), V::Date(y)) => format!("({s} {x} {y})"),
            (x, y) => format!("({s} {} {})", real(x), real(y)),
        };
        let sym = match op {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => return eq(a, b),
            CmpOp::Ne => return format!("(not {})", eq(a, b)),
            CmpOp::In => return member(a, b),
            CmpOp::NotIn => return format!("(not {})", member(a, b)),
            CmpOp::Subset | CmpOp::Superset => {
                let (x, y) = if op == CmpOp::Subset { (a, b) } else { (b, a) };
                return match (x, y) {
                    (V::Set(p), V::Set(q)) => {
                        and(p.iter().zip(q).map(|(p, q)| format!("(=> {p} {q})")))
                    }
                    _ => "false".into(),
                };
            }
        };
        match (a, b) {
            (V::Dur(m, d), V::Dur(n, e)) => {
                if d == "0" && e == "0" {
                    format!("({sym} {m} {n})")
                } else if m == "0" && n == "0" {
                    format!("({sym} {d} {e})")
                } else {
                    self.note("comparing periods of months and of days".into());
                    "false".into()
                }
            }
            (a, b) => ord(sym, a, b),
        }
    }
}
