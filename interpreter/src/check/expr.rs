//! Lowering: typed, resolved expressions. Names become slots here; evaluation never looks a
//! name up by string.

use super::errors::{CheckError, NameKind};
use super::order::Graph;
use super::{new_def, DefState, Globals, Slot};
use crate::ops::arith;
use crate::program::{CExpr, CKind, Def, DefId, Input, InputId, Table};
use crate::types::{EnumId, Type};
use crate::value::Value;
use onshi_grammar::ast::{BinOp, Expr, ExprKind, Span};
use onshi_grammar::suggest;

pub(crate) struct Lowering<'g> {
    pub g: &'g Globals,
    pub errors: Vec<CheckError>,
    def_state: Vec<DefState>,
    defs: Vec<Option<Def>>,
    inputs: Vec<Input>,
    pub tables: Vec<Option<Table>>,
    /// Dependencies of each node: definitions are nodes `0..D`, tables `D..D+T`.
    graph: Graph,
    /// The node being lowered and the optionals proven present where we are.
    current: Option<usize>,
    pub(crate) narrowed: Vec<Slot>,
}

pub(crate) struct Lowered {
    pub inputs: Vec<Input>,
    pub defs: Vec<Def>,
    pub tables: Vec<Table>,
    pub graph: Graph,
}

/// The absent literal.
const ABSENT: [&str; 2] = ["未設定", "none"];

impl<'g> Lowering<'g> {
    pub fn new(g: &'g Globals) -> Self {
        let d = g.def_decls.len();
        let t = g.table_decls.len();
        Lowering {
            g,
            errors: Vec::new(),
            def_state: vec![DefState::Pending; d],
            defs: vec![None; d],
            inputs: g.inputs.clone(),
            tables: vec![None; t],
            graph: vec![Vec::new(); d + t],
            current: None,
            narrowed: Vec::new(),
        }
    }

    /// The lowered body of definition `i` (lowering it first if needed).
    pub(crate) fn def_body(&mut self, i: usize) -> Option<CExpr> {
        self.def_type(i, Span::default());
        self.defs.get(i)?.as_ref().map(|d| d.body.clone())
    }

    pub(crate) fn inputs_view(&self) -> &[Input] {
        &self.inputs
    }

    pub fn finish(self) -> Lowered {
        Lowered {
            inputs: self.inputs,
            defs: self.defs.into_iter().flatten().collect(),
            tables: self.tables.into_iter().flatten().collect(),
            graph: self.graph,
        }
    }

    pub fn table_node(&self, t: usize) -> usize {
        self.g.def_decls.len() + t
    }

    pub(crate) fn edge(&mut self, to: usize, span: Span) {
        if let Some(cur) = self.current {
            if let Some(edges) = self.graph.get_mut(cur) {
                edges.push((to as u32, span));
            }
        }
    }

    pub fn with_node<T>(&mut self, node: usize, f: impl FnOnce(&mut Self) -> T) -> T {
        let saved_node = self.current.replace(node);
        let saved_narrowed = std::mem::take(&mut self.narrowed);
        let out = f(self);
        self.current = saved_node;
        self.narrowed = saved_narrowed;
        out
    }

    pub fn lower_inputs(&mut self) {
        let g = self.g;
        for (i, decl) in g.inputs.iter().enumerate() {
            let Some(default) = self.input_default(i) else {
                continue;
            };
            let ty = decl.ty.clone();
            let ce = self.check(default, &ty);
            if let Some(v) = self.constant(&ce) {
                if let Some(input) = self.inputs.get_mut(i) {
                    input.default = Some(v);
                }
            }
        }
        // Optional inputs without a default are absent by default.
        for input in &mut self.inputs {
            if input.default.is_none() && input.ty.is_optional() {
                input.default = Some(Value::Absent);
            }
        }
    }

    fn input_default(&self, i: usize) -> Option<&'g Expr> {
        self.g.input_defaults.get(i).and_then(Option::as_ref)
    }

    pub fn lower_defs(&mut self) {
        for i in 0..self.g.def_decls.len() {
            self.def_type(i, Span::default());
        }
    }

    /// The type of definition `i`, lowering it first if needed (so declaration order is free).
    pub(crate) fn def_type(&mut self, i: usize, _use_span: Span) -> Type {
        match self.def_state.get(i) {
            Some(DefState::Done(t)) => return t.clone(),
            Some(DefState::InProgress) => return Type::Error, // a cycle: reported by `order`
            Some(DefState::Pending) => {}
            None => return Type::Error,
        }
        let g = self.g;
        let Some((decl, output)) = g.def_decls.get(i) else {
            return Type::Error;
        };
        if let Some(s) = self.def_state.get_mut(i) {
            *s = DefState::InProgress;
        }
        let declared = decl.ty.as_ref().map(|t| {
            let mut errs = Vec::new();
            let ty = g.resolve_type(t, &mut errs);
            self.errors.extend(errs);
            ty
        });
        let (body, rules) = self.with_node(i, |cx| match (&decl.body, &declared) {
            (_, t) if !decl.rules.is_empty() => cx.lower_rules(decl, t.as_ref()),
            (Some(b), Some(t)) => (cx.check(b, t), Vec::new()),
            (Some(b), None) => (cx.infer(b, None), Vec::new()),
            (None, _) => (
                CExpr::constant(Value::Absent, Type::Error, decl.span),
                Vec::new(),
            ),
        });
        let ty = declared.unwrap_or_else(|| body.ty.clone());
        if ty == Type::Absent {
            self.errors.push(CheckError::NeedsContext {
                span: decl.name.span,
            });
        }
        let mut errs = Vec::new();
        let cites = g.cites(&decl.citations, &mut errs);
        self.errors.extend(errs);
        if let Some(slot) = self.defs.get_mut(i) {
            *slot = Some(new_def(decl, *output, ty.clone(), body, rules, cites));
        }
        if let Some(s) = self.def_state.get_mut(i) {
            *s = DefState::Done(ty.clone());
        }
        ty
    }

    // ------------------------------------------------------------------ checking

    /// Lower `e` and require type `want` (numeric widening and T → 任意<T> are allowed).
    pub fn check(&mut self, e: &Expr, want: &Type) -> CExpr {
        let ce = self.infer(e, Some(want));
        self.coerce(ce, want, e)
    }

    pub(crate) fn coerce(&mut self, ce: CExpr, want: &Type, e: &Expr) -> CExpr {
        if ce.ty == *want || ce.ty.is_error() || want.is_error() {
            return ce;
        }
        match (&ce.ty, want) {
            (found, w) if numeric_widens(found, w) => convert(ce, want.clone()),
            (Type::Absent, Type::Optional(_)) => CExpr {
                ty: want.clone(),
                ..ce
            },
            (found, Type::Optional(inner)) if found == inner.as_ref() => CExpr {
                ty: want.clone(),
                ..ce
            },
            (found, Type::Optional(inner)) if numeric_widens(found, inner) => {
                let c = convert(ce, inner.as_ref().clone());
                CExpr {
                    ty: want.clone(),
                    ..c
                }
            }
            (Type::Optional(inner), w) if inner.as_ref() == w => {
                self.errors.push(CheckError::OptionalUse {
                    span: e.span,
                    name: name_of(e),
                });
                ce
            }
            (found, _) => {
                let hint = match (&e.kind, want) {
                    (ExprKind::Int(n), Type::Money) => {
                        Some(super::MismatchHint::MoneyUnit(n.to_string()))
                    }
                    _ => None,
                };
                self.errors.push(CheckError::Mismatch {
                    span: e.span,
                    expected: self.g.type_text(want),
                    found: self.g.type_text(found),
                    hint,
                });
                CExpr {
                    ty: Type::Error,
                    ..ce
                }
            }
        }
    }

    /// Lower `e`; `hint` is the type the context expects (it decides bare variant names and `{}`).
    pub fn infer(&mut self, e: &Expr, hint: Option<&Type>) -> CExpr {
        onshi_grammar::with_stack(|| self.infer_step(e, hint))
    }

    fn infer_step(&mut self, e: &Expr, hint: Option<&Type>) -> CExpr {
        let span = e.span;
        let c = |kind: CKind, ty: Type| CExpr { kind, ty, span };
        match &e.kind {
            ExprKind::Bool(b) => c(CKind::Const(Value::Bool(*b)), Type::Bool),
            ExprKind::Int(i) => c(CKind::Const(Value::Int(*i)), Type::Int),
            ExprKind::Money(n) => c(CKind::Const(Value::Money(*n)), Type::Money),
            ExprKind::Ratio(n) => c(CKind::Const(Value::Ratio(*n)), Type::Ratio),
            ExprKind::Decimal(n) => c(CKind::Const(Value::Decimal(*n)), Type::Decimal),
            ExprKind::Date(d) => c(CKind::Const(Value::Date(*d)), Type::Date),
            ExprKind::Duration(d) => c(CKind::Const(Value::Duration(*d)), Type::Duration),
            ExprKind::Text(t) => c(CKind::Const(Value::Text(t.as_str().into())), Type::Text),
            ExprKind::Name(id) => self.name(&id.name, span, hint),
            ExprKind::Field(base, field) => self.field(base, field, span),
            ExprKind::Call(name, args) => self.call(&name.name, name.span, args, span, hint),
            ExprKind::Set(items) => self.set_literal(items, span, hint),
            ExprKind::Neg(inner) => {
                let ce = self.infer(inner, hint);
                match ce.ty {
                    Type::Int
                    | Type::Money
                    | Type::Ratio
                    | Type::Decimal
                    | Type::Duration
                    | Type::Error => {
                        let ty = ce.ty.clone();
                        c(CKind::Neg(Box::new(ce)), ty)
                    }
                    ref t => {
                        let found = self.g.type_text(t);
                        self.errors.push(CheckError::Unit {
                            span,
                            op: "-",
                            left: found.clone(),
                            right: found,
                            hint: None,
                        });
                        c(CKind::Neg(Box::new(ce)), Type::Error)
                    }
                }
            }
            ExprKind::Not(inner) => {
                let ce = self.check(inner, &Type::Bool);
                c(CKind::Not(Box::new(ce)), Type::Bool)
            }
            ExprKind::Binary(BinOp::And, l, r) => {
                let lc = self.check(l, &Type::Bool);
                let facts = self.presence_facts(l, true);
                let n = self.narrowed.len();
                self.narrowed.extend(facts);
                let rc = self.check(r, &Type::Bool);
                self.narrowed.truncate(n);
                c(CKind::And(Box::new(lc), Box::new(rc)), Type::Bool)
            }
            ExprKind::Binary(BinOp::Or, l, r) => {
                // `x が ない または x > …`: the right side runs only when x is present.
                let lc = self.check(l, &Type::Bool);
                let facts = self.presence_facts(l, false);
                let n = self.narrowed.len();
                self.narrowed.extend(facts);
                let rc = self.check(r, &Type::Bool);
                self.narrowed.truncate(n);
                c(CKind::Or(Box::new(lc), Box::new(rc)), Type::Bool)
            }
            ExprKind::Binary(op @ (BinOp::Union | BinOp::Intersect), l, r) => {
                let (lc, rc) = self.pair(l, r, hint);
                let ty = match (&lc.ty, &rc.ty) {
                    (Type::Set(a), Type::Set(b)) if a == b => Type::Set(*a),
                    (Type::Error, _) | (_, Type::Error) => Type::Error,
                    (a, b) => {
                        let (left, right) = (self.g.type_text(a), self.g.type_text(b));
                        self.errors.push(CheckError::Unit {
                            span,
                            op: op.symbol(),
                            left,
                            right,
                            hint: None,
                        });
                        Type::Error
                    }
                };
                let kind = if *op == BinOp::Union {
                    CKind::Union(Box::new(lc), Box::new(rc))
                } else {
                    CKind::Intersect(Box::new(lc), Box::new(rc))
                };
                c(kind, ty)
            }
            ExprKind::Binary(op, l, r) => self.arith(*op, l, r, span, hint),
            ExprKind::Compare(op, l, r) => self.compare(*op, l, r, span),
            ExprKind::Present(inner, present) => {
                let ce = self.infer_raw(inner);
                if !ce.ty.is_optional() && !ce.ty.is_error() {
                    self.errors.push(CheckError::Mismatch {
                        span: inner.span,
                        expected: super::TypeText {
                            ja: "任意<…>".into(),
                            en: "optional<…>".into(),
                        },
                        found: self.g.type_text(&ce.ty),
                        hint: Some(super::MismatchHint::PresenceOfRequired),
                    });
                }
                c(CKind::Present(Box::new(ce), *present), Type::Bool)
            }
            ExprKind::If(branches, otherwise) => self.if_expr(branches, otherwise, span, hint),
            ExprKind::Match(scrutinee, arms) => self.match_expr(scrutinee, arms, span, hint),
        }
    }

    /// Lower without unwrapping a narrowed optional (for `x が ある` itself).
    pub(crate) fn infer_raw(&mut self, e: &Expr) -> CExpr {
        let saved = std::mem::take(&mut self.narrowed);
        let ce = self.infer(e, None);
        self.narrowed = saved;
        ce
    }

    /// Optionals proven present when `cond` is `want`.
    pub(crate) fn presence_facts(&self, cond: &Expr, want: bool) -> Vec<Slot> {
        match &cond.kind {
            ExprKind::Present(inner, p) if *p == want => match &inner.kind {
                ExprKind::Name(id) => self
                    .g
                    .values
                    .get(&id.name)
                    .map(|(s, _)| *s)
                    .into_iter()
                    .collect(),
                _ => Vec::new(),
            },
            ExprKind::Binary(BinOp::And, l, r) if want => {
                let mut v = self.presence_facts(l, true);
                v.extend(self.presence_facts(r, true));
                v
            }
            ExprKind::Binary(BinOp::Or, l, r) if !want => {
                let mut v = self.presence_facts(l, false);
                v.extend(self.presence_facts(r, false));
                v
            }
            ExprKind::Not(inner) => self.presence_facts(inner, !want),
            _ => Vec::new(),
        }
    }

    pub(crate) fn name(&mut self, name: &str, span: Span, hint: Option<&Type>) -> CExpr {
        let c = |kind: CKind, ty: Type| CExpr { kind, ty, span };
        if ABSENT.contains(&name) {
            return c(CKind::Const(Value::Absent), Type::Absent);
        }
        let hinted_enum = match hint.map(Type::strip_optional) {
            Some(Type::Enum(e)) | Some(Type::Set(e)) => Some(*e),
            _ => None,
        };
        let variant_of_hint = hinted_enum.and_then(|e| self.variant_index(e, name).map(|i| (e, i)));
        if let Some((slot, _)) = self.g.values.get(name).copied() {
            let value = self.slot(slot, span);
            // A value whose type does not fit, where the context wants an enum with a variant of
            // this name, is the variant (context decides).
            let fits = matches!((&value.ty, hinted_enum), (Type::Enum(a), Some(b)) | (Type::Set(a), Some(b)) if *a == b);
            match variant_of_hint {
                Some((e, i)) if !fits => return c(CKind::Const(Value::Enum(i)), Type::Enum(e)),
                _ => return value,
            }
        }
        if let Some((e, i)) = variant_of_hint {
            return c(CKind::Const(Value::Enum(i)), Type::Enum(e));
        }
        // The other side of `x = 病院` already failed: do not report the variant as ambiguous too.
        if hint == Some(&Type::Error) && self.g.variants.contains_key(name) {
            return c(CKind::Const(Value::Absent), Type::Error);
        }
        match self.g.variants.get(name).map(Vec::as_slice) {
            Some([(e, i)]) => c(CKind::Const(Value::Enum(*i)), Type::Enum(*e)),
            Some(many) if !many.is_empty() => {
                let enums = many
                    .iter()
                    .filter_map(|(e, _)| self.g.enums.get(e.0 as usize).map(|x| x.name.clone()))
                    .collect();
                self.errors.push(CheckError::AmbiguousVariant {
                    span,
                    name: name.to_string(),
                    enums,
                });
                c(CKind::Const(Value::Absent), Type::Error)
            }
            _ => {
                let candidates: Vec<&str> = self
                    .g
                    .values
                    .keys()
                    .chain(self.g.variants.keys())
                    .map(String::as_str)
                    .collect();
                self.errors.push(CheckError::UnknownName {
                    span,
                    name: name.to_string(),
                    kind: NameKind::Value,
                    suggestion: suggest(name, candidates),
                });
                c(CKind::Const(Value::Absent), Type::Error)
            }
        }
    }

    fn variant_index(&self, e: EnumId, name: &str) -> Option<u32> {
        self.g
            .enums
            .get(e.0 as usize)?
            .variants
            .iter()
            .position(|v| v == name)
            .map(|i| i as u32)
    }

    fn slot(&mut self, slot: Slot, span: Span) -> CExpr {
        let (kind, ty) = match slot {
            Slot::Input(i) => (
                CKind::Input(InputId(i)),
                self.inputs
                    .get(i as usize)
                    .map_or(Type::Error, |x| x.ty.clone()),
            ),
            Slot::Def(i) => {
                self.edge(i as usize, span);
                let ty = self.def_type(i as usize, span);
                (CKind::Def(DefId(i)), ty)
            }
            Slot::Group(e, mask) => (CKind::Const(Value::Set(mask)), Type::Set(e)),
        };
        let ce = CExpr { kind, ty, span };
        match (&ce.ty, self.narrowed.contains(&slot)) {
            (Type::Optional(inner), true) => {
                let ty = inner.as_ref().clone();
                CExpr {
                    kind: CKind::Unwrap(Box::new(ce)),
                    ty,
                    span,
                }
            }
            _ => ce,
        }
    }

    pub(crate) fn field(
        &mut self,
        base: &Expr,
        field: &onshi_grammar::ast::Ident,
        span: Span,
    ) -> CExpr {
        // `施設種別.病院`: a qualified variant, when the base names an enumeration and no value.
        if let ExprKind::Name(id) = &base.kind {
            if let Some(&e) = self.g.enum_index.get(&id.name) {
                if !self.g.values.contains_key(&id.name)
                    || self.variant_index(e, &field.name).is_some()
                {
                    if let Some(i) = self.variant_index(e, &field.name) {
                        return CExpr::constant(Value::Enum(i), Type::Enum(e), span);
                    }
                }
            }
        }
        let b = self.infer(base, None);
        if let Type::Row(t) = b.ty {
            let cols = self
                .g
                .table_sigs
                .get(t.0 as usize)
                .map(|s| s.results.clone())
                .unwrap_or_default();
            if let Some(i) = cols.iter().position(|c| c.name == field.name) {
                let ty = cols.get(i).map_or(Type::Error, |c| c.ty.clone());
                return CExpr {
                    kind: CKind::Field(Box::new(b), i as u32),
                    ty,
                    span,
                };
            }
            self.errors.push(CheckError::UnknownName {
                span: field.span,
                name: field.name.clone(),
                kind: NameKind::Field,
                suggestion: suggest(&field.name, cols.iter().map(|c| c.name.as_str())),
            });
        } else if !b.ty.is_error() {
            self.errors.push(CheckError::UnknownName {
                span: field.span,
                name: field.name.clone(),
                kind: NameKind::Field,
                suggestion: None,
            });
        }
        CExpr {
            ty: Type::Error,
            ..b
        }
    }

    /// Lower two operands where either may need the other's type as context (`薬局 = 施設種別`).
    pub(crate) fn pair(&mut self, l: &Expr, r: &Expr, hint: Option<&Type>) -> (CExpr, CExpr) {
        if self.contextual(l) && !self.contextual(r) {
            let rc = self.infer(r, hint);
            let lh = rc.ty.clone();
            let lc = self.infer(l, Some(&lh));
            (lc, rc)
        } else {
            let lc = self.infer(l, hint);
            let rh = match (&lc.ty, hint) {
                (Type::Error | Type::Absent, Some(h)) => h.clone(),
                (t, _) => t.clone(),
            };
            let rc = self.infer(r, Some(&rh));
            (lc, rc)
        }
    }

    /// Needs its type from context: a bare name that is not a value, `{…}`, `未設定`.
    pub(crate) fn contextual(&self, e: &Expr) -> bool {
        match &e.kind {
            ExprKind::Name(id) => !self.g.values.contains_key(&id.name),
            ExprKind::Set(_) => true,
            _ => false,
        }
    }
}

pub(crate) fn convert(ce: CExpr, to: Type) -> CExpr {
    if let CKind::Const(v) = &ce.kind {
        if let Some(v) = arith::widen(v, &to) {
            return CExpr::constant(v, to, ce.span);
        }
    }
    let span = ce.span;
    CExpr {
        kind: CKind::Widen(Box::new(ce)),
        ty: to,
        span,
    }
}

pub(crate) use arith::widens as numeric_widens;

fn name_of(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Name(id) => id.name.clone(),
        _ => "…".into(),
    }
}
