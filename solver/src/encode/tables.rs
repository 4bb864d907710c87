//! Built-in calls (through the `solver` column of the built-ins table), table lookups (the first
//! row whose key cells match; a key evaluated at its first use) and 原則/例外 (the applicable rules
//! no applicable rule beats; a conflict when they disagree; no rule when none applies).

use super::expr::{eq, ite, or, real};
use super::{err_ite, first, Encoded, CONFLICT, E, NO_ROW, NO_RULE, ROUNDING_UNIT, V};
use onshi::builtins::{Builtin, Encoding};
use onshi::program::{CExpr, CRule, Matcher};
use onshi::types::Type;
use onshi_grammar::ast::CmpOp;
use onshi_grammar::num::RoundMode;

impl Encoded<'_> {
    pub(crate) fn call(&mut self, b: &Builtin, args: &[CExpr], e: &CExpr) -> E {
        let enc = match b.solver {
            Ok(enc) => enc,
            Err(why) => return self.unknown(&e.ty, format!("{}: {why}", b.ja)),
        };
        if enc == Encoding::OrDefault {
            let (Some(a), Some(d)) = (args.first(), args.get(1)) else {
                return self.unknown(&e.ty, "既定値 arguments".into());
            };
            let (x, y) = (self.expr(a), self.expr(d));
            let (p, v) = match &x.v {
                V::Opt(p, v) => (p.clone(), (**v).clone()),
                v => ("true".into(), v.clone()),
            };
            return E {
                v: ite(&p, &v, &y.v),
                err: first(&[x.err, err_ite(&format!("(not {p})"), &y.err, &None)]),
            };
        }
        let xs: Vec<E> = args.iter().map(|a| self.expr(a)).collect();
        let errs: Vec<Option<String>> = xs.iter().map(|x| x.err.clone()).collect();
        let err = first(&errs);
        let vs: Vec<V> = xs.into_iter().map(|x| x.v).collect();
        let date = |v: Option<&V>| match v {
            Some(V::Date(t)) => t.clone(),
            _ => "0".into(),
        };
        let r = match enc {
            Encoding::Extreme => {
                let less = b.en == "min";
                let mut it = vs.iter();
                let Some(mut acc) = it.next().cloned() else {
                    return self.unknown(&e.ty, "最小/最大 without arguments".into());
                };
                for v in it {
                    let c = self.compare(if less { CmpOp::Lt } else { CmpOp::Gt }, v, &acc);
                    acc = self.bind_v(ite(&c, v, &acc));
                }
                E::ok(acc)
            }
            Encoding::Round => {
                let (Some(x), Some(u)) = (vs.first(), vs.get(1)) else {
                    return self.unknown(&e.ty, "rounding arguments".into());
                };
                let (x, u) = (self.bind("Real", real(x)), self.bind("Real", real(u)));
                let q = self.bind("Real", format!("(/ {x} {u})"));
                let f = self.bind("Int", format!("(to_int {q})"));
                let rem = format!("(- {q} (to_real {f}))");
                let up = match b.imp {
                    onshi::builtins::Imp::Round(RoundMode::Down) => "false".to_string(),
                    onshi::builtins::Imp::Round(RoundMode::Up) => format!("(> {rem} 0.0)"),
                    _ => format!("(ite (>= {x} 0.0) (>= {rem} (/ 1.0 2.0)) (> {rem} (/ 1.0 2.0)))"),
                };
                let n = format!("(+ {f} (ite {up} 1 0))");
                let v = if e.ty == Type::Int {
                    V::Int(format!("(to_int (* (to_real {n}) {u}))"))
                } else {
                    V::Real(format!("(* (to_real {n}) {u})"))
                };
                E {
                    v,
                    err: Some(format!("(ite (<= {u} 0.0) {ROUNDING_UNIT} 0)")),
                }
            }
            Encoding::Days(k) => {
                let d = date(vs.first());
                let (lo, hi) = super::calendar::range();
                let t = self.bind("Int", format!("(+ {d} {})", super::int_lit(k.into())));
                E {
                    v: V::Date(t.clone()),
                    err: Some(format!("(ite (<= {lo} {t} {hi}) 0 {})", super::DATE_RANGE)),
                }
            }
            Encoding::BusinessDays => match vs.get(1) {
                Some(V::Int(n)) => {
                    let n = n.clone();
                    self.business_days(&date(vs.first()), &n)
                }
                _ => return self.unknown(&e.ty, "営業日後 arguments".into()),
            },
            Encoding::Holiday => self.holiday(&date(vs.first())),
            Encoding::HolidayBusinessDays => match vs.get(1) {
                Some(V::Int(n)) => {
                    let n = n.clone();
                    self.holiday_business_days(&date(vs.first()), &n)
                }
                _ => return self.unknown(&e.ty, "祝日を除く営業日後 arguments".into()),
            },
            Encoding::EndOfMonth => self.end_of_month(&date(vs.first())),
            Encoding::StartOfMonth => self.start_of_month(&date(vs.first())),
            Encoding::PeriodEnd => match vs.get(1) {
                Some(V::Dur(m, n)) => {
                    let (m, n) = (m.clone(), n.clone());
                    self.period_end(&date(vs.first()), &m, &n)
                }
                _ => return self.unknown(&e.ty, "満了日 arguments".into()),
            },
            Encoding::Count => match vs.first() {
                Some(V::Set(bits)) => {
                    let terms: Vec<String> =
                        bits.iter().map(|b| format!("(ite {b} 1 0)")).collect();
                    E::ok(V::Int(if terms.is_empty() {
                        "0".into()
                    } else {
                        format!("(+ 0 {})", terms.join(" "))
                    }))
                }
                _ => return self.unknown(&e.ty, "要素数 argument".into()),
            },
            Encoding::Contains => match (vs.first(), vs.get(1)) {
                (Some(s), Some(x)) => E::ok(V::Bool(super::expr::member(x, s))),
                _ => return self.unknown(&e.ty, "含む arguments".into()),
            },
            Encoding::OrDefault => return self.unknown(&e.ty, "既定値".into()),
        };
        E {
            v: r.v,
            err: first(&[err, r.err]),
        }
    }

    fn matcher(&mut self, m: &Matcher, key: &V, ty: &Type) -> String {
        match m {
            Matcher::Any => "true".into(),
            Matcher::Eq(x) => {
                let c = self.constant(x, ty.strip_optional());
                eq(&c, key)
            }
            Matcher::OneOf(mask) => match key {
                V::Enum(t) => or((0..128usize)
                    .filter(|i| onshi::ops::sets::contains_at(*mask, *i))
                    .map(|i| format!("(= {t} {i})"))),
                _ => "false".into(),
            },
            Matcher::Cmp(op, x) => {
                let c = self.constant(x, ty.strip_optional());
                self.compare(*op, key, &c)
            }
            Matcher::Range(lo, hi) => {
                let (l, h) = (
                    self.constant(lo, ty.strip_optional()),
                    self.constant(hi, ty.strip_optional()),
                );
                let a = self.compare(CmpOp::Ge, key, &l);
                let b = self.compare(CmpOp::Le, key, &h);
                format!("(and {a} {b})")
            }
        }
    }

    pub(crate) fn lookup(&mut self, t: usize, args: &[CExpr], ty: &Type) -> E {
        let p = self.p;
        let Some(table) = p.tables().get(t) else {
            return self.unknown(ty, "a table slot".into());
        };
        let keys: Vec<E> = args.iter().map(|a| self.expr(a)).collect();
        let key_errs: Vec<Option<String>> = keys.iter().map(|k| k.err.clone()).collect();
        let filler = self.filler(ty);
        let mut acc = E {
            v: filler,
            err: first(&[first(&key_errs), Some(NO_ROW.to_string())]),
        };
        for row in table.rows.iter().rev() {
            let mut hit = match &row.value {
                Some(v) => E::ok(self.constant(v, ty)),
                None if table.single => match row.results.first() {
                    Some(c) => self.expr(c),
                    None => self.unknown(ty, "an empty row".into()),
                },
                None => {
                    let cells: Vec<E> = row.results.iter().map(|c| self.expr(c)).collect();
                    let errs: Vec<Option<String>> = cells.iter().map(|c| c.err.clone()).collect();
                    E {
                        v: V::Row(cells.into_iter().map(|c| c.v).collect()),
                        err: first(&errs),
                    }
                }
            };
            for (k, m) in row.keys.iter().enumerate().rev() {
                if matches!(m, Matcher::Any) {
                    continue;
                }
                let (Some(key), Some(col)) = (keys.get(k), table.keys.get(k)) else {
                    continue;
                };
                let c = self.matcher(m, &key.v, &col.ty);
                let c = self.bind("Bool", c);
                let inner = err_ite(&c, &hit.err, &acc.err);
                hit = E {
                    v: ite(&c, &hit.v, &acc.v),
                    err: first(&[key.err.clone(), inner]),
                };
            }
            acc = self.bind_e(hit);
        }
        acc
    }

    pub(crate) fn rules(&mut self, rules: &[CRule], ty: &Type) -> E {
        let conds: Vec<E> = rules
            .iter()
            .map(|r| match &r.condition {
                Some(c) => self.expr(c),
                None => E::ok(V::Bool("true".into())),
            })
            .collect();
        let cerr = first(&conds.iter().map(|c| c.err.clone()).collect::<Vec<_>>());
        let app: Vec<String> = conds
            .iter()
            .map(|c| match &c.v {
                V::Bool(t) => t.clone(),
                _ => "false".into(),
            })
            .collect();
        let app: Vec<String> = app.into_iter().map(|a| self.bind("Bool", a)).collect();
        let mut found = "false".to_string();
        let mut val = self.filler(ty);
        let mut err: Option<String> = None;
        let mut terms = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            let beaten = or(rules.iter().enumerate().filter_map(|(j, s)| {
                (j != i && onshi::ops::sets::contains_at(s.beats, i))
                    .then(|| app.get(j).cloned())
                    .flatten()
            }));
            let a = app.get(i).cloned().unwrap_or_else(|| "false".into());
            let w = self.bind("Bool", format!("(and {a} (not {beaten}))"));
            terms.push((a.clone(), w.clone()));
            let x = self.expr(&r.value);
            let clash = format!("(ite (and {found} (not {})) {CONFLICT} 0)", eq(&val, &x.v));
            let here = err_ite(&w, &first(&[x.err, Some(clash)]), &None);
            err = first(&[err, here]).map(|t| self.bind("Int", t));
            let take = format!("(and (not {found}) {w})");
            val = self.bind_v(ite(&take, &x.v, &val));
            found = self.bind("Bool", format!("(or {found} {w})"));
        }
        self.last_rules = Some(terms);
        let none = format!("(ite {found} 0 {NO_RULE})");
        E {
            v: val,
            err: first(&[cerr, err, Some(none)]),
        }
    }
}
