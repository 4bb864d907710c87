//! Lowering of operators, calls and control flow, with onshi's unit rules.

use super::errors::{CheckError, NameKind, TypeText};
use super::expr::{numeric_widens, Lowering};
use crate::builtins::{self, Builtin, Param, Signature, BUILTINS};
use crate::ops::arith::result_type;
use crate::ops::order::ordered as is_ordered;
use crate::ops::{eval_const, sets};
use crate::program::{Arith, CExpr, CKind};
use crate::types::{EnumId, TableId, Type};
use crate::value::Value;
use onshi_grammar::ast::{Arm, BinOp, CmpOp, Expr, ExprKind, Span};
use onshi_grammar::{suggest, Text};

fn unit_hint(op: Arith, l: &Type, r: &Type, le: &Expr, re: &Expr) -> Option<Text> {
    use Type::{Date, Int, Money};
    let int_lit = |e: &Expr| matches!(e.kind, ExprKind::Int(_));
    match (op, l, r) {
        (Arith::Add | Arith::Sub, Money, Int) if int_lit(re) => Some(Text::new(
            "数に `円` を付けると金額になります（例: `1000円`）",
            "add `円` to make the number an amount (e.g. `1000円`)",
        )),
        (Arith::Add | Arith::Sub, Int, Money) if int_lit(le) => Some(Text::new(
            "数に `円` を付けると金額になります（例: `1000円`）",
            "add `円` to make the number an amount (e.g. `1000円`)",
        )),
        (_, Money, Date) | (_, Date, Money) => Some(Text::new(
            "金額と日付は足したり引いたりできません。日付には期間（`6か月`、`5日`）を足します",
            "money and dates do not mix: add a duration (`6か月`, `5日`) to a date",
        )),
        (Arith::Mul, Money, Money) => Some(Text::new(
            "金額どうしは掛けられません。一方を割合（`1/2`、`75%`）にしてください",
            "money times money has no meaning: multiply by a ratio (`1/2`, `75%`)",
        )),
        (Arith::Add, Date, Date) => Some(Text::new(
            "日付どうしは足せません。差（日数）は `日付 - 日付` で求めます",
            "dates cannot be added; `date - date` gives the days between them",
        )),
        _ => None,
    }
}

impl Lowering<'_> {
    pub(crate) fn arith(
        &mut self,
        op: BinOp,
        l: &Expr,
        r: &Expr,
        span: Span,
        hint: Option<&Type>,
    ) -> CExpr {
        let aop = match op {
            BinOp::Add => Arith::Add,
            BinOp::Sub => Arith::Sub,
            BinOp::Mul => Arith::Mul,
            _ => Arith::Div,
        };
        let (lc, rc) = self.pair(l, r, hint);
        let ty = if lc.ty.is_error() || rc.ty.is_error() {
            Type::Error
        } else if lc.ty.is_optional() || rc.ty.is_optional() {
            let which = if lc.ty.is_optional() { l } else { r };
            self.errors.push(CheckError::OptionalUse {
                span: which.span,
                name: name_of(which),
            });
            Type::Error
        } else {
            match result_type(aop, &lc.ty, &rc.ty) {
                Some(t) => t,
                None => {
                    let (left, right) = (self.g.type_text(&lc.ty), self.g.type_text(&rc.ty));
                    let hint = unit_hint(aop, &lc.ty, &rc.ty, l, r);
                    self.errors.push(CheckError::Unit {
                        span,
                        op: op.symbol(),
                        left,
                        right,
                        hint,
                    });
                    Type::Error
                }
            }
        };
        CExpr {
            kind: CKind::Arith(aop, Box::new(lc), Box::new(rc)),
            ty,
            span,
        }
    }

    pub(crate) fn compare(&mut self, op: CmpOp, l: &Expr, r: &Expr, span: Span) -> CExpr {
        let (lc, rc) = match op {
            // `k ∈ {病院, 薬局}`: the element's type decides the variants of a set literal.
            CmpOp::In | CmpOp::NotIn if self.contextual(r) && !self.contextual(l) => {
                let lc = self.infer(l, None);
                let set = match lc.ty.strip_optional() {
                    Type::Enum(e) => Some(Type::Set(*e)),
                    _ => None,
                };
                let rc = self.infer(r, set.as_ref());
                (lc, rc)
            }
            CmpOp::In | CmpOp::NotIn => {
                let rc = self.infer(r, None);
                let elem = match &rc.ty {
                    Type::Set(e) => Some(Type::Enum(*e)),
                    _ => None,
                };
                let lc = self.infer(l, elem.as_ref());
                (lc, rc)
            }
            _ => self.pair(l, r, None),
        };
        let ok = match (&lc.ty, &rc.ty) {
            (Type::Error, _) | (_, Type::Error) => true,
            (a, b) if a.is_optional() || b.is_optional() => {
                // Only `=`/`≠` may compare optionals (with each other or 未設定).
                matches!(op, CmpOp::Eq | CmpOp::Ne)
                    && (a.strip_optional() == b.strip_optional()
                        || *a == Type::Absent
                        || *b == Type::Absent)
            }
            (Type::Enum(a), Type::Set(b)) => matches!(op, CmpOp::In | CmpOp::NotIn) && a == b,
            (Type::Set(a), Type::Set(b)) => {
                matches!(op, CmpOp::Eq | CmpOp::Ne | CmpOp::Subset | CmpOp::Superset) && a == b
            }
            (a, b) => match op {
                CmpOp::Eq | CmpOp::Ne => a == b || (a.is_numeric() && b.is_numeric()),
                CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge => {
                    is_ordered(a) && is_ordered(b) && (a == b || (a.is_numeric() && b.is_numeric()))
                }
                _ => false,
            },
        };
        if !ok {
            if let Some(which) = [(&lc.ty, l), (&rc.ty, r)]
                .iter()
                .find(|(t, _)| t.is_optional())
                .map(|(_, e)| *e)
            {
                if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
                    self.errors.push(CheckError::OptionalUse {
                        span: which.span,
                        name: name_of(which),
                    });
                    return CExpr::constant(Value::Bool(false), Type::Bool, span);
                }
            }
            let (left, right) = (self.g.type_text(&lc.ty), self.g.type_text(&rc.ty));
            self.errors.push(CheckError::NotComparable {
                span,
                op: op.symbol(),
                left,
                right,
            });
        }
        CExpr {
            kind: CKind::Compare(op, Box::new(lc), Box::new(rc)),
            ty: Type::Bool,
            span,
        }
    }

    pub(crate) fn set_literal(&mut self, items: &[Expr], span: Span, hint: Option<&Type>) -> CExpr {
        // A set where a variant is expected (a table key cell `{病院, 薬局}`) holds that enum's variants.
        let mut elem = match hint.map(Type::strip_optional) {
            Some(Type::Set(e)) | Some(Type::Enum(e)) => Some(*e),
            _ => None,
        };
        let mut parts = Vec::new();
        for item in items {
            let h = elem.map(Type::Enum);
            let ce = self.infer(item, h.as_ref());
            match (&ce.ty, elem) {
                (Type::Enum(e), None) | (Type::Set(e), None) => elem = Some(*e),
                (Type::Enum(e), Some(x)) | (Type::Set(e), Some(x)) if *e == x => {}
                (Type::Error, _) => {}
                (t, _) => {
                    let found = self.g.type_text(t);
                    self.errors.push(CheckError::Mismatch {
                        span: item.span,
                        expected: TypeText {
                            ja: "列挙子".into(),
                            en: "a variant".into(),
                        },
                        found,
                        hint: Some(super::MismatchHint::SetOfOneEnum),
                    });
                }
            }
            parts.push(ce);
        }
        match elem {
            Some(e) => {
                let ce = CExpr {
                    kind: CKind::SetOf(parts),
                    ty: Type::Set(e),
                    span,
                };
                self.fold(ce)
            }
            None => {
                self.errors.push(CheckError::NeedsContext { span });
                CExpr::constant(Value::Set(0), Type::Error, span)
            }
        }
    }

    pub(crate) fn if_expr(
        &mut self,
        branches: &[(Expr, Expr)],
        otherwise: &Expr,
        span: Span,
        hint: Option<&Type>,
    ) -> CExpr {
        let mut lowered = Vec::new();
        let mut ty: Option<Type> = hint.cloned();
        let mut results = Vec::new();
        let mut negative = Vec::new();
        for (cond, then) in branches {
            let n = self.narrowed.len();
            self.narrowed.extend(negative.iter().copied());
            let cc = self.check(cond, &Type::Bool);
            let facts = self.presence_facts(cond, true);
            self.narrowed.extend(facts);
            let tc = self.infer(then, ty.as_ref());
            self.narrowed.truncate(n);
            negative.extend(self.presence_facts(cond, false));
            ty = Some(self.join(ty, &tc.ty));
            results.push(then);
            lowered.push((cc, tc));
        }
        let n = self.narrowed.len();
        self.narrowed.extend(negative);
        let ec = self.infer(otherwise, ty.as_ref());
        self.narrowed.truncate(n);
        let ty = self.join(ty, &ec.ty);
        results.push(otherwise);
        // Coerce every branch to the joined type, reporting the branch that does not fit.
        let mut out = Vec::new();
        for ((cc, tc), e) in lowered.into_iter().zip(results.iter()) {
            out.push((cc, self.coerce(tc, &ty, e)));
        }
        let ec = self.coerce(ec, &ty, otherwise);
        CExpr {
            kind: CKind::If(out, Box::new(ec)),
            ty,
            span,
        }
    }

    pub(crate) fn join_types(&self, a: &Type, b: &Type) -> Type {
        self.join(Some(a.clone()), b)
    }

    /// The common type of two branches: widen numbers, absent + T = 任意<T>; otherwise the first.
    fn join(&self, acc: Option<Type>, t: &Type) -> Type {
        let Some(a) = acc else {
            return t.clone();
        };
        match (&a, t) {
            _ if a == *t => a,
            (Type::Error, x) | (x, Type::Error) => x.clone(),
            (x, y) if numeric_widens(x, y) => y.clone(),
            (x, y) if numeric_widens(y, x) => x.clone(),
            (Type::Absent, x) | (x, Type::Absent) => x.clone().optional(),
            (Type::Optional(x), y) | (y, Type::Optional(x)) if x.as_ref() == y => {
                Type::Optional(x.clone())
            }
            _ => a,
        }
    }

    pub(crate) fn match_expr(
        &mut self,
        scrutinee: &Expr,
        arms: &[Arm],
        span: Span,
        hint: Option<&Type>,
    ) -> CExpr {
        let sc = self.infer(scrutinee, None);
        let e = match &sc.ty {
            Type::Enum(e) => Some(*e),
            Type::Error => None,
            t => {
                let found = self.g.type_text(t);
                self.errors.push(CheckError::Mismatch {
                    span: scrutinee.span,
                    expected: TypeText {
                        ja: "列挙".into(),
                        en: "an enumeration".into(),
                    },
                    found,
                    hint: Some(super::MismatchHint::MatchOnEnum),
                });
                None
            }
        };
        let all: u128 = e
            .and_then(|e| self.g.enums.get(e.0 as usize))
            .map_or(0, |x| sets::all(x.variants.len()));
        let mut covered = 0u128;
        let mut ty: Option<Type> = hint.cloned();
        let mut lowered = Vec::new();
        for arm in arms {
            let mut mask = 0u128;
            if arm.patterns.is_empty() {
                mask = all;
            }
            for p in &arm.patterns {
                let pc = self.infer(p, e.map(Type::Enum).as_ref());
                match (self.constant(&pc), &pc.ty) {
                    (Some(Value::Enum(i)), Type::Enum(x)) if Some(*x) == e && i < 128 => {
                        mask |= sets::bit(i)
                    }
                    (Some(Value::Set(m)), Type::Set(x)) if Some(*x) == e => mask |= m,
                    (_, Type::Error) => {}
                    (_, t) => {
                        let (expected, found) = (self.g.type_text(&sc.ty), self.g.type_text(t));
                        self.errors.push(CheckError::Mismatch {
                            span: p.span,
                            expected,
                            found,
                            hint: None,
                        });
                    }
                }
            }
            if e.is_some() && mask & !covered == 0 {
                self.errors
                    .push(CheckError::UnreachableArm { span: arm.span });
            }
            covered |= mask;
            let body = self.infer(&arm.body, ty.as_ref());
            ty = Some(self.join(ty, &body.ty));
            lowered.push((mask, body, &arm.body));
        }
        if let Some(en) = e.and_then(|e| self.g.enums.get(e.0 as usize)) {
            let missing: Vec<String> = en
                .variants
                .iter()
                .enumerate()
                .filter(|(i, _)| *i < 128 && !sets::contains_at(covered, *i))
                .map(|(_, v)| v.clone())
                .collect();
            if !missing.is_empty() {
                self.errors
                    .push(CheckError::NotExhaustive { span, missing });
            }
        }
        let ty = ty.unwrap_or(Type::Error);
        let arms = lowered
            .into_iter()
            .map(|(m, b, e)| (m, self.coerce(b, &ty, e)))
            .collect();
        CExpr {
            kind: CKind::Match(Box::new(sc), arms),
            ty,
            span,
        }
    }

    pub(crate) fn call(
        &mut self,
        name: &str,
        name_span: Span,
        args: &[Expr],
        span: Span,
        hint: Option<&Type>,
    ) -> CExpr {
        if let Some(b) = builtins::find(name) {
            return self.builtin(b, name, args, span, hint);
        }
        if let Some(&t) = self.g.table_index.get(name) {
            return self.lookup(t, name, args, span);
        }
        let candidates: Vec<&str> = BUILTINS
            .iter()
            .map(|b| b.ja)
            .chain(self.g.table_index.keys().map(String::as_str))
            .collect();
        self.errors.push(CheckError::UnknownName {
            span: name_span,
            name: name.to_string(),
            kind: NameKind::Function,
            suggestion: suggest(name, candidates),
        });
        CExpr::constant(Value::Absent, Type::Error, span)
    }

    fn arity(&mut self, name: &str, args: &[Expr], n: usize, span: Span) -> bool {
        if args.len() == n {
            return true;
        }
        self.errors.push(CheckError::Arity {
            span,
            name: name.to_string(),
            expected: n.to_string(),
            found: args.len(),
        });
        false
    }

    /// A call of built-in `b`, typed by its [`Signature`].
    fn builtin(
        &mut self,
        b: &'static Builtin,
        name: &str,
        args: &[Expr],
        span: Span,
        hint: Option<&Type>,
    ) -> CExpr {
        let err = CExpr::constant(Value::Absent, Type::Error, span);
        let (lowered, ty) = match &b.signature {
            Signature::Ordered => {
                if args.is_empty() {
                    self.errors.push(CheckError::Arity {
                        span,
                        name: name.into(),
                        expected: "1+".into(),
                        found: 0,
                    });
                    return err;
                }
                let mut ty: Option<Type> = hint.cloned().filter(is_ordered);
                let mut cs = Vec::new();
                for a in args {
                    let c = self.infer(a, ty.as_ref());
                    ty = Some(self.join(ty, &c.ty));
                    cs.push((c, a));
                }
                let ty = ty.unwrap_or(Type::Error);
                if !is_ordered(&ty) && !ty.is_error() {
                    let t = self.g.type_text(&ty);
                    self.errors.push(CheckError::NotComparable {
                        span,
                        op: "最小/最大",
                        left: t.clone(),
                        right: t,
                    });
                }
                let cs = cs
                    .into_iter()
                    .map(|(c, a)| self.coerce(c, &ty, a))
                    .collect();
                (cs, ty)
            }
            Signature::Rounding => {
                if !self.arity(name, args, 2, span) {
                    return err;
                }
                let (Some(x), Some(u)) = (args.first(), args.get(1)) else {
                    return err;
                };
                let xc = self.infer(x, hint);
                let unit_ty = match &xc.ty {
                    Type::Money => Type::Money,
                    Type::Int => Type::Int,
                    Type::Ratio | Type::Decimal => xc.ty.clone(),
                    Type::Error => Type::Error,
                    t => {
                        let found = self.g.type_text(t);
                        self.errors.push(CheckError::Mismatch {
                            span: x.span,
                            expected: TypeText {
                                ja: "金額または数".into(),
                                en: "money or a number".into(),
                            },
                            found,
                            hint: None,
                        });
                        Type::Error
                    }
                };
                let uc = self.check(u, &unit_ty);
                let ty = xc.ty.clone();
                (vec![xc, uc], ty)
            }
            Signature::OrDefault => {
                if !self.arity(name, args, 2, span) {
                    return err;
                }
                let (Some(x), Some(d)) = (args.first(), args.get(1)) else {
                    return err;
                };
                let xc = self.infer_raw(x);
                let inner = xc.ty.strip_optional().clone();
                let dc = self.check(d, &inner);
                (vec![xc, dc], inner)
            }
            Signature::Fixed { params, ret } => {
                if !self.arity(name, args, params.len(), span) {
                    return err;
                }
                // The enumeration of each set argument, for the parameters typed by it.
                let mut set_of: Vec<Option<EnumId>> = Vec::with_capacity(args.len());
                let mut cs = Vec::with_capacity(args.len());
                for (p, a) in params.iter().zip(args) {
                    let (c, set) = match p {
                        Param::Is(t) => (self.check(a, t), None),
                        Param::Set => {
                            let c = self.infer(a, None);
                            let set = self.require_set(Some(&c), Some(a));
                            (c, set)
                        }
                        Param::ElementOf(i) => match set_of.get(*i).copied().flatten() {
                            Some(e) => (self.check(a, &Type::Enum(e)), None),
                            None => (self.infer(a, None), None),
                        },
                    };
                    set_of.push(set);
                    cs.push(c);
                }
                (cs, ret.clone())
            }
        };
        CExpr {
            kind: CKind::Call(b, lowered),
            ty,
            span,
        }
    }

    fn require_set(&mut self, c: Option<&CExpr>, e: Option<&Expr>) -> Option<crate::types::EnumId> {
        let (c, e) = (c?, e?);
        match &c.ty {
            Type::Set(x) => Some(*x),
            Type::Error => None,
            t => {
                let found = self.g.type_text(t);
                self.errors.push(CheckError::Mismatch {
                    span: e.span,
                    expected: TypeText {
                        ja: "集合".into(),
                        en: "a set".into(),
                    },
                    found,
                    hint: None,
                });
                None
            }
        }
    }

    fn lookup(&mut self, t: TableId, name: &str, args: &[Expr], span: Span) -> CExpr {
        let Some(sig) = self.g.table_sigs.get(t.0 as usize) else {
            return CExpr::constant(Value::Absent, Type::Error, span);
        };
        let (keys, single, first) = (
            sig.keys.clone(),
            sig.single,
            sig.results.first().map(|c| c.ty.clone()),
        );
        if !self.arity(name, args, keys.len(), span) {
            return CExpr::constant(Value::Absent, Type::Error, span);
        }
        let node = self.table_node(t.0 as usize);
        self.edge(node, span);
        let cs = args
            .iter()
            .zip(keys.iter())
            .map(|(a, k)| self.check(a, &k.ty))
            .collect();
        let ty = if single {
            first.unwrap_or(Type::Error)
        } else {
            Type::Row(t)
        };
        CExpr {
            kind: CKind::Lookup(t, cs),
            ty,
            span,
        }
    }

    /// The value of a constant expression (literals, variants, groups, sets; no inputs).
    pub(crate) fn constant(&mut self, ce: &CExpr) -> Option<Value> {
        if ce.ty.is_error() {
            return None;
        }
        // A definition whose value is a constant (`定義 上限回数: 整数 = 40000`) may be named
        // where a constant is needed: table key cells, defaults, examples.
        let inlined;
        let ce = match self.inline_constant_defs(ce) {
            Some(c) => {
                inlined = c;
                &inlined
            }
            None => ce,
        };
        if !is_const(ce) {
            self.errors.push(CheckError::NotConstant { span: ce.span });
            return None;
        }
        eval_const(ce).ok()
    }

    /// `ce` with references to constant definitions replaced by their values (None: no change).
    fn inline_constant_defs(&mut self, ce: &CExpr) -> Option<CExpr> {
        match &ce.kind {
            CKind::Def(i) => {
                let body = self.def_body(i.index())?;
                if is_const(&body) {
                    Some(CExpr {
                        span: ce.span,
                        ..body
                    })
                } else {
                    None
                }
            }
            CKind::Widen(a) | CKind::Neg(a) | CKind::Not(a) => {
                let inner = self.inline_constant_defs(a)?;
                let kind = match &ce.kind {
                    CKind::Widen(_) => CKind::Widen(Box::new(inner)),
                    CKind::Neg(_) => CKind::Neg(Box::new(inner)),
                    _ => CKind::Not(Box::new(inner)),
                };
                Some(CExpr { kind, ..ce.clone() })
            }
            CKind::Arith(op, a, b) => {
                let (x, y) = (self.inline_constant_defs(a), self.inline_constant_defs(b));
                if x.is_none() && y.is_none() {
                    return None;
                }
                let x = x.unwrap_or_else(|| a.as_ref().clone());
                let y = y.unwrap_or_else(|| b.as_ref().clone());
                Some(CExpr {
                    kind: CKind::Arith(*op, Box::new(x), Box::new(y)),
                    ..ce.clone()
                })
            }
            _ => None,
        }
    }

    /// Fold a constant subtree to its value (keeps evaluation cheap).
    fn fold(&mut self, ce: CExpr) -> CExpr {
        if is_const(&ce) && !ce.ty.is_error() {
            if let Ok(v) = eval_const(&ce) {
                return CExpr::constant(v, ce.ty, ce.span);
            }
        }
        ce
    }
}

pub(crate) fn is_const(ce: &CExpr) -> bool {
    match &ce.kind {
        CKind::Const(_) => true,
        CKind::Input(_) | CKind::Def(_) | CKind::Lookup(..) | CKind::Unwrap(_) => false,
        CKind::Widen(a)
        | CKind::Neg(a)
        | CKind::Not(a)
        | CKind::Present(a, _)
        | CKind::Field(a, _) => is_const(a),
        CKind::Arith(_, a, b)
        | CKind::And(a, b)
        | CKind::Or(a, b)
        | CKind::Union(a, b)
        | CKind::Intersect(a, b)
        | CKind::Compare(_, a, b) => is_const(a) && is_const(b),
        CKind::Call(_, xs) | CKind::SetOf(xs) => xs.iter().all(is_const),
        CKind::Rules(_) => false,
        CKind::If(bs, e) => bs.iter().all(|(c, t)| is_const(c) && is_const(t)) && is_const(e),
        CKind::Match(s, arms) => is_const(s) && arms.iter().all(|(_, b)| is_const(b)),
    }
}

fn name_of(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        _ => "…".into(),
    }
}
