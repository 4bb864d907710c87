//! The name index of one compilation (a policy and its 取込 imports): every declared name, where it
//! is declared, and every place a name refers to it. Built from the syntax trees alone, so it is
//! there for half-typed text too (names resolve as the checker resolves them: one global namespace
//! per compilation; values, types, tables, sources, columns and rule labels apart).

use onshi_grammar::ast::*;
use std::collections::HashMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Input,
    Def,
    Output,
    Enum,
    Variant,
    Group,
    Table,
    /// A key column (`key`) or a result column of a table.
    Column {
        key: bool,
    },
    Source,
    /// A labelled 原則/例外 rule of a definition.
    Rule,
}

impl Kind {
    pub fn word(self, en: bool) -> &'static str {
        match (self, en) {
            (Kind::Input, false) => "入力",
            (Kind::Input, true) => "input",
            (Kind::Def, false) => "定義",
            (Kind::Def, true) => "definition",
            (Kind::Output, false) => "出力",
            (Kind::Output, true) => "output",
            (Kind::Enum, false) => "列挙",
            (Kind::Enum, true) => "enumeration",
            (Kind::Variant, false) => "列挙の値",
            (Kind::Variant, true) => "variant",
            (Kind::Group, false) => "群",
            (Kind::Group, true) => "group",
            (Kind::Table, false) => "表",
            (Kind::Table, true) => "table",
            (Kind::Column { key: true }, false) => "表の鍵の列",
            (Kind::Column { key: true }, true) => "key column",
            (Kind::Column { key: false }, false) => "表の結果の列",
            (Kind::Column { key: false }, true) => "result column",
            (Kind::Source, false) => "出典",
            (Kind::Source, true) => "source",
            (Kind::Rule, false) => "規則",
            (Kind::Rule, true) => "rule",
        }
    }

    /// Whether a plain name in an expression may refer to it.
    fn is_value(self) -> bool {
        matches!(
            self,
            Kind::Input | Kind::Def | Kind::Output | Kind::Variant | Kind::Group
        )
    }
}

#[derive(Clone, Debug)]
pub struct Symbol {
    pub name: String,
    pub kind: Kind,
    /// The name where it is declared.
    pub decl: Span,
    /// The whole declaration.
    pub item: Span,
    /// The enumeration of a variant or group, the table of a column, the definition of a rule.
    pub parent: Option<usize>,
}

/// Every declaration and reference of one compilation.
#[derive(Clone, Debug, Default)]
pub struct Index {
    pub symbols: Vec<Symbol>,
    /// (the name as written, the symbol it refers to)
    pub refs: Vec<(Span, usize)>,
    by_name: HashMap<String, Vec<usize>>,
}

fn contains(span: Span, file: FileId, offset: usize) -> bool {
    span.file == file && (span.start as usize) <= offset && offset <= span.end as usize
}

impl Index {
    pub fn build(modules: &[(FileId, Module)]) -> Index {
        let mut ix = Index::default();
        for (_, m) in modules {
            for item in &m.items {
                ix.declare(item);
            }
        }
        for (_, m) in modules {
            for item in &m.items {
                ix.refer_item(item);
            }
        }
        ix
    }

    fn add(&mut self, id: &Ident, kind: Kind, item: Span, parent: Option<usize>) -> usize {
        let n = self.symbols.len();
        self.symbols.push(Symbol {
            name: id.name.clone(),
            kind,
            decl: id.span,
            item,
            parent,
        });
        self.by_name.entry(id.name.clone()).or_default().push(n);
        n
    }

    /// Symbols named `name` of a kind `pick` accepts.
    pub fn named(&self, name: &str, pick: impl Fn(&Symbol) -> bool) -> Vec<usize> {
        self.by_name
            .get(name)
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&i| self.symbols.get(i).is_some_and(&pick))
                    .collect()
            })
            .unwrap_or_default()
    }

    pub fn get(&self, i: usize) -> Option<&Symbol> {
        self.symbols.get(i)
    }

    /// The symbol declared or referred to at `offset` of `file`, and the span of the name there.
    pub fn at(&self, file: FileId, offset: usize) -> Option<(usize, Span)> {
        let decl = self
            .symbols
            .iter()
            .enumerate()
            .find(|(_, s)| contains(s.decl, file, offset))
            .map(|(i, s)| (i, s.decl));
        decl.or_else(|| {
            self.refs
                .iter()
                .find(|(span, _)| contains(*span, file, offset))
                .map(|(span, i)| (*i, *span))
        })
    }

    /// Every occurrence of symbol `i`: its declaration first, then its references.
    pub fn occurrences(&self, i: usize) -> Vec<Span> {
        let mut out: Vec<Span> = self.symbols.get(i).map(|s| s.decl).into_iter().collect();
        out.extend(
            self.refs
                .iter()
                .filter(|(_, s)| *s == i)
                .map(|(span, _)| *span),
        );
        out
    }

    /// The variants and groups of enumeration `e`.
    pub fn members(&self, e: usize) -> impl Iterator<Item = (usize, &Symbol)> {
        self.symbols.iter().enumerate().filter(move |(_, s)| {
            s.parent == Some(e) && matches!(s.kind, Kind::Variant | Kind::Group)
        })
    }

    /// The columns of table `t`.
    pub fn columns(&self, t: usize) -> impl Iterator<Item = (usize, &Symbol)> {
        self.symbols
            .iter()
            .enumerate()
            .filter(move |(_, s)| s.parent == Some(t) && matches!(s.kind, Kind::Column { .. }))
    }

    fn declare(&mut self, item: &Item) {
        match item {
            Item::Source(s) => {
                self.add(&s.name, Kind::Source, s.span, None);
            }
            Item::Enum(e) => {
                let id = self.add(&e.name, Kind::Enum, e.span, None);
                for v in &e.variants {
                    self.add(v, Kind::Variant, v.span, Some(id));
                }
                for g in &e.groups {
                    self.add(&g.name, Kind::Group, g.span, Some(id));
                }
            }
            Item::Input(i) => {
                self.add(&i.name, Kind::Input, i.span, None);
            }
            Item::Def(d) if !publishes_only(d) => {
                let kind = if d.output { Kind::Output } else { Kind::Def };
                let id = self.add(&d.name, kind, d.span, None);
                for r in &d.rules {
                    if let Some(label) = &r.label {
                        self.add(label, Kind::Rule, r.span, Some(id));
                    }
                }
            }
            // A reading is used by name like a definition (hover, definition, completion).
            Item::Reading(r) => {
                self.add(&r.name, Kind::Def, r.span, None);
            }
            Item::Table(t) => {
                let id = self.add(&t.name, Kind::Table, t.span, None);
                for c in &t.keys {
                    self.add(&c.name, Kind::Column { key: true }, t.span, Some(id));
                }
                if let TableResult::Columns(cols) = &t.results {
                    for c in cols {
                        self.add(&c.name, Kind::Column { key: false }, t.span, Some(id));
                    }
                }
            }
            _ => {}
        }
    }

    fn refer(&mut self, id: &Ident, pick: impl Fn(&Symbol) -> bool) {
        for s in self.named(&id.name, pick) {
            self.refs.push((id.span, s));
        }
    }

    fn cites(&mut self, cites: &[Citation]) {
        for c in cites {
            self.refer(&c.source, |s| s.kind == Kind::Source);
        }
    }

    fn ty(&mut self, t: &TypeExpr) {
        match t {
            TypeExpr::Named(id) => self.refer(id, |s| matches!(s.kind, Kind::Enum | Kind::Table)),
            TypeExpr::Set(inner, _) | TypeExpr::Optional(inner, _) => self.ty(inner),
        }
    }

    fn refer_item(&mut self, item: &Item) {
        match item {
            Item::Enum(e) => {
                self.cites(&e.citations);
                let owner = self.named(&e.name.name, |s| {
                    s.kind == Kind::Enum && s.decl == e.name.span
                });
                for g in &e.groups {
                    for m in &g.members {
                        let found = self.named(&m.name, |s| {
                            s.kind == Kind::Variant && owner.iter().any(|o| s.parent == Some(*o))
                        });
                        self.refs.extend(found.into_iter().map(|s| (m.span, s)));
                    }
                }
            }
            Item::Input(i) => {
                self.ty(&i.ty);
                if let Some(d) = &i.default {
                    self.expr(d);
                }
                self.cites(&i.citations);
            }
            Item::Scope(s) => self.cites(std::slice::from_ref(&s.quote)),
            Item::Def(d) => self.def(d),
            Item::Table(t) => self.table(t),
            Item::Example(x) => {
                for (name, value) in &x.given {
                    self.refer(name, |s| s.kind == Kind::Input);
                    self.expr(value);
                }
                for (name, value) in &x.expect {
                    self.refer(name, |s| matches!(s.kind, Kind::Def | Kind::Output));
                    self.expr(value);
                }
            }
            Item::Premise(x) => {
                self.expr(&x.condition);
                self.cites(&x.citations);
            }
            Item::Reading(r) => {
                if let Some(t) = &r.ty {
                    self.ty(t);
                }
                self.cites(&r.citations);
                for o in &r.options {
                    self.expr(&o.value);
                    self.cites(&o.citations);
                }
            }
            Item::Policy { .. } | Item::FiscalYear { .. } | Item::Source(_) | Item::Import(_) => {}
        }
    }

    fn def(&mut self, d: &DefDecl) {
        if publishes_only(d) {
            self.refer(&d.name, |s| matches!(s.kind, Kind::Def | Kind::Output));
        }
        if let Some(t) = &d.ty {
            self.ty(t);
        }
        if let Some(b) = &d.body {
            self.expr(b);
        }
        self.cites(&d.citations);
        let owner = self.named(&d.name.name, |s| s.decl == d.name.span);
        for r in &d.rules {
            for o in &r.over {
                let found = self.named(&o.name, |s| {
                    s.kind == Kind::Rule && owner.iter().any(|w| s.parent == Some(*w))
                });
                self.refs.extend(found.into_iter().map(|s| (o.span, s)));
            }
            if let Some(c) = &r.condition {
                self.expr(c);
            }
            self.expr(&r.value);
            self.cites(&r.citations);
        }
    }

    fn table(&mut self, t: &TableDecl) {
        for c in &t.keys {
            self.ty(&c.ty);
        }
        match &t.results {
            TableResult::Single(ty) => self.ty(ty),
            TableResult::Columns(cols) => cols.iter().for_each(|c| self.ty(&c.ty)),
        }
        self.cites(&t.citations);
        for row in &t.rows {
            for cell in &row.cells {
                match &cell.kind {
                    CellKind::Any => {}
                    CellKind::Expr(e) | CellKind::Compare(_, e) => self.expr(e),
                    CellKind::Range(a, b) => {
                        self.expr(a);
                        self.expr(b);
                    }
                }
            }
        }
    }

    fn expr(&mut self, e: &Expr) {
        match &e.kind {
            ExprKind::Name(id) => self.refer(id, |s| s.kind.is_value()),
            ExprKind::Set(items) => items.iter().for_each(|x| self.expr(x)),
            ExprKind::Field(inner, field) => {
                self.expr(inner);
                let table = match &inner.kind {
                    ExprKind::Call(t, _) => self.named(&t.name, |s| s.kind == Kind::Table),
                    _ => Vec::new(),
                };
                self.refer(field, |s| {
                    s.kind == (Kind::Column { key: false })
                        && (table.is_empty() || table.iter().any(|t| s.parent == Some(*t)))
                });
            }
            ExprKind::Call(f, args) => {
                self.refer(f, |s| s.kind == Kind::Table);
                args.iter().for_each(|x| self.expr(x));
            }
            ExprKind::Neg(a) | ExprKind::Not(a) | ExprKind::Present(a, _) => self.expr(a),
            ExprKind::Binary(_, a, b) | ExprKind::Compare(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            ExprKind::If(branches, otherwise) => {
                for (c, v) in branches {
                    self.expr(c);
                    self.expr(v);
                }
                self.expr(otherwise);
            }
            ExprKind::Match(scrutinee, arms) => {
                self.expr(scrutinee);
                for arm in arms {
                    arm.patterns.iter().for_each(|p| self.expr(p));
                    self.expr(&arm.body);
                }
            }
            ExprKind::Bool(_)
            | ExprKind::Int(_)
            | ExprKind::Money(_)
            | ExprKind::Ratio(_)
            | ExprKind::Decimal(_)
            | ExprKind::Date(_)
            | ExprKind::Duration(_)
            | ExprKind::Text(_) => {}
        }
    }
}

/// `出力 x` alone: publishes the definition `x` (a reference, not a declaration).
pub fn publishes_only(d: &DefDecl) -> bool {
    d.output && d.body.is_none() && d.rules.is_empty() && d.ty.is_none()
}
