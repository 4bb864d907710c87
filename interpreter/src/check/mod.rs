//! Name resolution and type checking: AST modules → [`Program`].
//!
//! Phases: load (entry and its imports) → parse → declare (collect every name) → lower (type and
//! resolve every expression to slots) → order (cycles, evaluation order). Every phase reports all
//! its errors; a later phase runs only when the earlier ones found no error.

mod cache;
mod errors;
mod examples;
mod expr;
mod ops;
mod premises;
mod readings;
mod rules;
mod table;
mod table_check;

pub use cache::ParseCache;
pub use errors::{CheckError, MismatchHint, NameKind, TypeText};

use crate::limits::Limits;
use crate::program::{Cite, Def, DefId, EnumInfo, Input, Program, Source, Table};
use crate::sources::{join_path, Files, SourceMap};
use crate::types::{EnumId, TableId, Type, BUILTIN_TYPES};
use onshi_grammar::ast::{self, FileId, Item, Module, Span};
use onshi_grammar::{suggest, Diagnostic};
use std::collections::HashMap;

/// Maximum variants of one enumeration (sets are bit masks).
pub const MAX_VARIANTS: usize = 128;

/// The result of compiling an entry file: the program when there was no error, every diagnostic
/// (errors and warnings), the sources they point into, and the syntax tree of every file read.
#[derive(Debug)]
pub struct Compiled {
    pub program: Option<Program>,
    pub diagnostics: Vec<Diagnostic>,
    pub sources: SourceMap,
    /// The syntax tree of each file read (entry first, then imports as they were found), also when
    /// there were errors: editors walk them for names, outlines and formatting.
    pub modules: Vec<(FileId, Module)>,
}

/// Compile the policy at `entry`, reading it and its imports from `files`, under the default
/// [`Limits`].
pub fn compile(files: &dyn Files, entry: &str) -> Compiled {
    compile_with(files, entry, &Limits::default())
}

/// [`compile`] under `limits`: exceeding one is a diagnostic with its code (`onshi::syntax::too_large`,
/// `onshi::syntax::too_deep`, `onshi::limit::definitions`, `onshi::limit::table_rows`,
/// `onshi::limit::depth`), and the program keeps them for evaluation (`onshi::limit::steps`).
/// Nesting and depth above [`Limits::MAX`] are taken as that maximum.
pub fn compile_with(files: &dyn Files, entry: &str, limits: &Limits) -> Compiled {
    compile_inner(files, entry, limits, None)
}

/// [`compile_with`], taking the syntax trees of files unchanged since an earlier compilation from
/// `cache` (and keeping the new ones there): the same result, without parsing those files again.
pub fn compile_cached(
    files: &dyn Files,
    entry: &str,
    limits: &Limits,
    cache: &mut ParseCache,
) -> Compiled {
    compile_inner(files, entry, limits, Some(cache))
}

fn compile_inner(
    files: &dyn Files,
    entry: &str,
    limits: &Limits,
    cache: Option<&mut ParseCache>,
) -> Compiled {
    let mut sources = SourceMap::default();
    let mut diagnostics = Vec::new();
    let modules = load(files, entry, limits, cache, &mut sources, &mut diagnostics);
    if diagnostics.iter().any(Diagnostic::is_error) {
        return Compiled {
            program: None,
            diagnostics,
            sources,
            modules,
        };
    }
    let mut errors = Vec::new();
    let program = check_modules(&modules, limits, &mut errors);
    diagnostics.extend(errors.iter().map(CheckError::to_diagnostic));
    let failed = diagnostics.iter().any(Diagnostic::is_error);
    Compiled {
        program: if failed { None } else { program },
        diagnostics,
        sources,
        modules,
    }
}

fn load(
    files: &dyn Files,
    entry: &str,
    limits: &Limits,
    mut cache: Option<&mut ParseCache>,
    sources: &mut SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Vec<(FileId, Module)> {
    let mut modules = Vec::new();
    let mut queue: Vec<(String, Option<Span>)> = vec![(entry.to_string(), None)];
    while let Some((path, from)) = queue.pop() {
        if sources.find(&path).is_some() {
            continue;
        }
        let Some(text) = files.read(&path) else {
            let err = match from {
                Some(span) => CheckError::ImportNotFound { span, path },
                None => CheckError::EntryNotFound { path },
            };
            diags.push(err.to_diagnostic());
            continue;
        };
        let id = sources.add(&path, text);
        let Some(f) = sources.get(id) else {
            continue;
        };
        let (module, errors) = match cache.as_deref_mut() {
            Some(cache) => cache.parse(&path, id, &f.text, limits.parse()),
            None => cache::parse(id, &f.text, limits.parse()),
        };
        diags.extend(errors);
        for item in &module.items {
            if let Item::Import(imp) = item {
                queue.push((join_path(&path, &imp.path), Some(imp.span)));
            }
        }
        modules.push((id, module));
    }
    modules
}

/// What a name in the value namespace refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Slot {
    Input(u32),
    Def(u32),
    Group(EnumId, u128),
}

#[derive(Clone, Debug)]
pub(crate) enum DefState {
    Pending,
    InProgress,
    Done(Type),
}

/// Everything declared, before expressions are lowered.
#[derive(Default)]
pub(crate) struct Globals {
    pub sources: Vec<Source>,
    pub source_spans: Vec<Span>,
    pub source_index: HashMap<String, u32>,
    pub enums: Vec<EnumInfo>,
    pub enum_index: HashMap<String, EnumId>,
    pub variants: HashMap<String, Vec<(EnumId, u32)>>,
    pub values: HashMap<String, (Slot, Span)>,
    pub inputs: Vec<Input>,
    pub input_defaults: Vec<Option<ast::Expr>>,
    pub def_decls: Vec<(ast::DefDecl, bool)>,
    pub table_decls: Vec<ast::TableDecl>,
    /// The entry file's examples.
    pub examples: Vec<ast::Example>,
    pub table_index: HashMap<String, TableId>,
    /// Table signatures (keys, results, single) resolved before lowering.
    pub table_sigs: Vec<Table>,
    /// Readings (解釈): each with the definition it is (in `def_decls`) and its adopted 案.
    pub readings: Vec<(ast::ReadingDecl, usize, usize)>,
    /// The 前提 declarations, with their citations resolved.
    pub premise_decls: Vec<(ast::PremiseDecl, Vec<Cite>)>,
}

impl Globals {
    pub fn type_names(&self) -> (Vec<String>, Vec<String>) {
        (
            self.enums.iter().map(|e| e.name.clone()).collect(),
            self.table_sigs.iter().map(|t| t.name.clone()).collect(),
        )
    }
    pub fn type_text(&self, t: &Type) -> TypeText {
        let (enums, tables) = self.type_names();
        let names = crate::types::TypeNames {
            enums: &enums,
            tables: &tables,
        };
        TypeText {
            ja: names.show(t, false),
            en: names.show(t, true),
        }
    }

    pub(crate) fn resolve_type(&self, t: &ast::TypeExpr, errors: &mut Vec<CheckError>) -> Type {
        match t {
            ast::TypeExpr::Named(id) => {
                if let Some((_, _, ty)) = BUILTIN_TYPES
                    .iter()
                    .find(|(ja, en, _)| *ja == id.name || *en == id.name)
                {
                    return ty.clone();
                }
                if let Some(e) = self.enum_index.get(&id.name) {
                    return Type::Enum(*e);
                }
                let candidates = BUILTIN_TYPES
                    .iter()
                    .map(|(ja, _, _)| *ja)
                    .chain(self.enum_index.keys().map(String::as_str));
                errors.push(CheckError::UnknownName {
                    span: id.span,
                    name: id.name.clone(),
                    kind: NameKind::Type,
                    suggestion: suggest(&id.name, candidates),
                });
                Type::Error
            }
            ast::TypeExpr::Set(inner, span) => match self.resolve_type(inner, errors) {
                Type::Enum(e) => Type::Set(e),
                Type::Error => Type::Error,
                other => {
                    errors.push(CheckError::Mismatch {
                        span: *span,
                        expected: TypeText {
                            ja: "列挙".into(),
                            en: "an enumeration".into(),
                        },
                        found: self.type_text(&other),
                        hint: Some(MismatchHint::SetElementEnum),
                    });
                    Type::Error
                }
            },
            ast::TypeExpr::Optional(inner, _) => self.resolve_type(inner, errors).optional(),
        }
    }

    pub fn cites(&self, cs: &[ast::Citation], errors: &mut Vec<CheckError>) -> Vec<Cite> {
        let mut out = Vec::new();
        for c in cs {
            match self.source_index.get(&c.source.name) {
                Some(i) => out.push(Cite {
                    source: *i,
                    locator: c.locator.clone(),
                    place: c.place.clone(),
                    passages: c.passages.iter().map(|p| p.text.clone()).collect(),
                    span: c.span,
                }),
                None => errors.push(CheckError::UnknownName {
                    span: c.source.span,
                    name: c.source.name.clone(),
                    kind: NameKind::Source,
                    suggestion: suggest(
                        &c.source.name,
                        self.source_index.keys().map(String::as_str),
                    ),
                }),
            }
        }
        out
    }

    fn declare_value(&mut self, name: &ast::Ident, slot: Slot, errors: &mut Vec<CheckError>) {
        if let Some((_, first)) = self.values.get(&name.name) {
            errors.push(CheckError::Duplicate {
                span: name.span,
                name: name.name.clone(),
                first: *first,
            });
        } else {
            self.values.insert(name.name.clone(), (slot, name.span));
        }
    }
}

fn check_modules(
    modules: &[(FileId, Module)],
    limits: &Limits,
    errors: &mut Vec<CheckError>,
) -> Option<Program> {
    let mut g = Globals::default();
    let mut program = Program {
        limits: *limits,
        ..Program::default()
    };
    // The entry is loaded first; its outputs are the program's outputs.
    let entry = modules.first().map(|(id, _)| *id);
    let items = || {
        modules
            .iter()
            .flat_map(|(id, m)| m.items.iter().map(move |i| (*id, i)))
    };

    for (file, item) in items() {
        match item {
            Item::Policy { name, .. } if Some(file) == entry => program.name = Some(name.clone()),
            Item::FiscalYear { year, .. } if Some(file) == entry => {
                program.fiscal_year = Some(*year)
            }
            Item::Source(s) => {
                if let Some(&i) = g.source_index.get(&s.name.name) {
                    // The same source declared again (e.g. by an imported file) is fine when it
                    // names the same document.
                    if g.sources
                        .get(i as usize)
                        .is_some_and(|x| x.document == s.document)
                    {
                        continue;
                    }
                    errors.push(CheckError::Duplicate {
                        span: s.name.span,
                        name: s.name.name.clone(),
                        first: g.source_spans.get(i as usize).copied().unwrap_or_default(),
                    });
                    continue;
                }
                g.source_index
                    .insert(s.name.name.clone(), g.sources.len() as u32);
                g.source_spans.push(s.name.span);
                let attr = |k: onshi_grammar::ast::SourceAttrKey| {
                    s.attrs.iter().find(|a| a.key == k).map(|a| a.text.clone())
                };
                g.sources.push(Source {
                    name: s.name.name.clone(),
                    document: s.document.clone(),
                    title: s.title.clone(),
                    external: s.external,
                    issuer: attr(onshi_grammar::ast::SourceAttrKey::Issuer),
                    date: attr(onshi_grammar::ast::SourceAttrKey::Date),
                    number: attr(onshi_grammar::ast::SourceAttrKey::Number),
                });
            }
            Item::Enum(e) => declare_enum(&mut g, e, errors),
            _ => {}
        }
    }
    for (file, item) in items() {
        match item {
            Item::Input(i) => {
                let ty = g.resolve_type(&i.ty, errors);
                let idx = g.inputs.len() as u32;
                g.declare_value(&i.name, Slot::Input(idx), errors);
                let cites = g.cites(&i.citations, errors);
                g.input_defaults.push(i.default.clone());
                g.inputs.push(Input {
                    name: i.name.name.clone(),
                    ty,
                    default: None,
                    cites,
                    span: i.span,
                });
            }
            Item::Def(d) if d.body.is_some() || !d.rules.is_empty() => {
                let idx = g.def_decls.len() as u32;
                g.declare_value(&d.name, Slot::Def(idx), errors);
                g.def_decls
                    .push((d.clone(), d.output && Some(file) == entry));
            }
            Item::Example(x) if Some(file) == entry => g.examples.push(x.clone()),
            // A 範囲外 declaration names a declared source; its quote is checked with `--sources`.
            Item::Scope(s) => {
                g.cites(std::slice::from_ref(&s.quote), errors);
            }
            Item::Reading(r) => readings::declare(&mut g, r, errors),
            Item::Premise(x) => {
                let cites = g.cites(&x.citations, errors);
                g.premise_decls.push((x.clone(), cites));
            }
            Item::Table(t) => {
                if let Some(first) = g
                    .table_index
                    .get(&t.name.name)
                    .and_then(|i| g.table_decls.get(i.0 as usize))
                {
                    errors.push(CheckError::Duplicate {
                        span: t.name.span,
                        name: t.name.name.clone(),
                        first: first.name.span,
                    });
                    continue;
                }
                g.table_index
                    .insert(t.name.name.clone(), TableId(g.table_decls.len() as u32));
                g.table_decls.push(t.clone());
            }
            _ => {}
        }
    }
    // Sizes are checked before any expression is lowered or any table is checked for overlaps.
    if exceeds_sizes(&g, limits, errors) {
        return None;
    }
    // `出力 x` without a body publishes the definition `x`.
    for (file, item) in items() {
        if let Item::Def(d) = item {
            if d.body.is_none() && d.rules.is_empty() && Some(file) == entry {
                match g.values.get(&d.name.name) {
                    Some((Slot::Def(i), _)) => {
                        if let Some(decl) = g.def_decls.get_mut(*i as usize) {
                            decl.1 = true;
                            decl.0.citations.extend(d.citations.iter().cloned());
                        }
                    }
                    _ => errors.push(CheckError::NoOutputBody {
                        span: d.span,
                        name: d.name.name.clone(),
                    }),
                }
            }
        }
    }
    table::declare_signatures(&mut g, errors);
    let mut cx = expr::Lowering::new(&g);
    cx.lower_inputs();
    // Definitions first, each after the ones it uses, so lowering never recurses along a chain of
    // definitions (the stack of WASM cannot grow); then tables, whose cells may use them.
    for i in def_order(&g) {
        cx.def_type(i, Span::default());
    }
    cx.lower_tables();
    cx.lower_defs();
    let lowered_readings = cx.lower_readings();
    program.premises = cx.lower_premises();
    program.examples = cx.lower_examples();
    errors.append(&mut cx.errors);
    let lowered = cx.finish();
    if errors.iter().any(|e| !e.is_warning()) {
        return None;
    }
    program.sources = g.sources.clone();
    program.enums = g.enums.clone();
    program.inputs = lowered.inputs;
    program.tables = lowered.tables;
    program.defs = lowered.defs;
    program.readings = lowered_readings;
    program.outputs = (0..program.defs.len() as u32)
        .filter(|i| program.defs.get(*i as usize).is_some_and(|d| d.output))
        .map(DefId)
        .collect();
    let graph = lowered.graph;
    let names: Vec<String> = program
        .defs
        .iter()
        .map(|d| d.name.clone())
        .chain(program.tables.iter().map(|t| t.name.clone()))
        .collect();
    if let Some(cycles) = order::cycles(&graph, &names) {
        errors.extend(cycles);
        return None;
    }
    if let Some(deep) = crate::limits::deep_lookup(&program, limits.max_depth) {
        errors.push(CheckError::TooDeepLookup {
            span: deep.span,
            depth: deep.depth,
            limit: limits.max_depth,
            chain: deep
                .chain
                .iter()
                .filter_map(|t| program.tables.get(*t as usize).map(|t| t.name.clone()))
                .collect(),
            more: deep.more,
        });
        return None;
    }
    let defs = program.defs.len() as u32;
    let outputs: Vec<u32> = program.outputs.iter().map(|d| d.0).collect();
    program.eval_order = order::eval_order(&graph, &outputs)
        .into_iter()
        .filter(|n| *n < defs)
        .map(DefId)
        .collect();
    let all: Vec<u32> = (0..defs).collect();
    program.full_order = order::eval_order(&graph, &all)
        .into_iter()
        .filter(|n| *n < defs)
        .map(DefId)
        .collect();
    program.step_bound = program.max_steps_of(&program.eval_order);
    Some(program)
}

/// The number of definitions and the rows of each table against `limits`; true when one is
/// exceeded (the errors are pushed).
fn exceeds_sizes(g: &Globals, limits: &Limits, errors: &mut Vec<CheckError>) -> bool {
    let mut exceeded = false;
    let count = g.def_decls.len();
    let limit = usize::try_from(limits.max_definitions).unwrap_or(usize::MAX);
    if let Some((first, _)) = g.def_decls.get(limit) {
        errors.push(CheckError::TooManyDefinitions {
            span: first.name.span,
            count,
            limit: limits.max_definitions,
        });
        exceeded = true;
    }
    let rows = usize::try_from(limits.max_table_rows).unwrap_or(usize::MAX);
    for t in &g.table_decls {
        if let Some(row) = t.rows.get(rows) {
            errors.push(CheckError::TooManyRows {
                span: row.span,
                table: t.name.span,
                name: t.name.name.clone(),
                rows: t.rows.len(),
                limit: limits.max_table_rows,
            });
            exceeded = true;
        }
    }
    exceeded
}

/// Definitions in an order where each comes after the definitions its expression names (as far
/// as names tell before lowering: a cycle is reported later), found without recursion.
fn def_order(g: &Globals) -> Vec<usize> {
    let uses: Vec<Vec<usize>> = g
        .def_decls
        .iter()
        .map(|(d, _)| {
            let mut names = Vec::new();
            if let Some(b) = &d.body {
                names_in(b, &mut names);
            }
            for r in &d.rules {
                if let Some(c) = &r.condition {
                    names_in(c, &mut names);
                }
                names_in(&r.value, &mut names);
            }
            names
                .into_iter()
                .filter_map(|n| match g.values.get(n) {
                    Some((Slot::Def(j), _)) => Some(*j as usize),
                    _ => None,
                })
                .collect()
        })
        .collect();
    let mut seen = vec![false; uses.len()];
    let mut out = Vec::with_capacity(uses.len());
    for root in 0..uses.len() {
        if seen.get(root).copied() != Some(false) {
            continue;
        }
        if let Some(s) = seen.get_mut(root) {
            *s = true;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, next)) = stack.last().copied() {
            if let Some(&to) = uses.get(node).and_then(|u| u.get(next)) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                if seen.get(to).copied() == Some(false) {
                    if let Some(s) = seen.get_mut(to) {
                        *s = true;
                    }
                    stack.push((to, 0));
                }
            } else {
                out.push(node);
                stack.pop();
            }
        }
    }
    out
}

/// Every plain name an expression reads (recursion bounded by the parser's depth limit).
fn names_in<'e>(e: &'e ast::Expr, out: &mut Vec<&'e str>) {
    use ast::ExprKind as K;
    match &e.kind {
        K::Name(id) => out.push(&id.name),
        K::Set(items) | K::Call(_, items) => items.iter().for_each(|x| names_in(x, out)),
        K::Field(a, _) | K::Neg(a) | K::Not(a) | K::Present(a, _) => names_in(a, out),
        K::Binary(_, a, b) | K::Compare(_, a, b) => {
            names_in(a, out);
            names_in(b, out);
        }
        K::If(branches, otherwise) => {
            for (c, t) in branches {
                names_in(c, out);
                names_in(t, out);
            }
            names_in(otherwise, out);
        }
        K::Match(s, arms) => {
            names_in(s, out);
            for a in arms {
                a.patterns.iter().for_each(|p| names_in(p, out));
                names_in(&a.body, out);
            }
        }
        K::Bool(_)
        | K::Int(_)
        | K::Money(_)
        | K::Ratio(_)
        | K::Decimal(_)
        | K::Date(_)
        | K::Duration(_)
        | K::Text(_) => {}
    }
}

fn declare_enum(g: &mut Globals, e: &ast::EnumDecl, errors: &mut Vec<CheckError>) {
    if let Some(first) = g
        .enum_index
        .get(&e.name.name)
        .and_then(|i| g.enums.get(i.0 as usize))
    {
        errors.push(CheckError::Duplicate {
            span: e.name.span,
            name: e.name.name.clone(),
            first: first.span,
        });
        return;
    }
    if e.variants.len() > MAX_VARIANTS {
        errors.push(CheckError::TooManyVariants {
            span: e.name.span,
            limit: MAX_VARIANTS,
        });
        return;
    }
    let id = EnumId(g.enums.len() as u32);
    let mut names: Vec<String> = Vec::new();
    let mut spans: Vec<Span> = Vec::new();
    for v in &e.variants {
        if let Some(i) = names.iter().position(|n| *n == v.name) {
            errors.push(CheckError::Duplicate {
                span: v.span,
                name: v.name.clone(),
                first: spans.get(i).copied().unwrap_or_default(),
            });
            continue;
        }
        g.variants
            .entry(v.name.clone())
            .or_default()
            .push((id, names.len() as u32));
        names.push(v.name.clone());
        spans.push(v.span);
    }
    let mut groups = Vec::new();
    for grp in &e.groups {
        let mut mask = 0u128;
        for m in &grp.members {
            match names.iter().position(|n| *n == m.name) {
                Some(i) => mask |= crate::ops::sets::bit_at(i),
                None => errors.push(CheckError::UnknownName {
                    span: m.span,
                    name: m.name.clone(),
                    kind: NameKind::Value,
                    suggestion: suggest(&m.name, names.iter().map(String::as_str)),
                }),
            }
        }
        g.declare_value(&grp.name, Slot::Group(id, mask), errors);
        groups.push((grp.name.name.clone(), mask));
    }
    g.enum_index.insert(e.name.name.clone(), id);
    g.enums.push(EnumInfo {
        name: e.name.name.clone(),
        variants: names,
        groups,
        span: e.span,
    });
}

/// Dependency graph over definitions (tables are folded into the definitions that use them).
pub(crate) mod order {
    use super::CheckError;
    use onshi_grammar::ast::Span;

    /// `graph[i]` = the definitions definition `i` uses, each with the span of the use.
    pub type Graph = Vec<Vec<(u32, Span)>>;

    pub fn cycles(graph: &Graph, names: &[String]) -> Option<Vec<CheckError>> {
        // Iterative DFS with colours; each back edge closes a cycle, reported once per cycle set.
        let n = graph.len();
        let mut colour = vec![0u8; n];
        let mut found: Vec<Vec<(u32, Span)>> = Vec::new();
        for root in 0..n {
            if colour.get(root).copied() != Some(0) {
                continue;
            }
            let mut stack: Vec<(u32, usize)> = vec![(root as u32, 0)];
            let mut path: Vec<(u32, Span)> = Vec::new();
            if let Some(c) = colour.get_mut(root) {
                *c = 1;
            }
            while let Some((node, next)) = stack.last().copied() {
                let edges = graph.get(node as usize).map_or(&[][..], Vec::as_slice);
                if let Some((to, span)) = edges.get(next).copied() {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    match colour.get(to as usize).copied() {
                        Some(0) => {
                            if let Some(c) = colour.get_mut(to as usize) {
                                *c = 1;
                            }
                            path.push((node, span));
                            stack.push((to, 0));
                        }
                        Some(1) => {
                            // Back edge: the cycle is the path from `to` to `node`, then this edge.
                            let mut cycle: Vec<(u32, Span)> = Vec::new();
                            let start = path.iter().position(|(n, _)| *n == to);
                            if let Some(s) = start {
                                cycle.extend(path.iter().skip(s).copied());
                            }
                            cycle.push((node, span));
                            found.push(cycle);
                        }
                        _ => {}
                    }
                } else {
                    if let Some(c) = colour.get_mut(node as usize) {
                        *c = 2;
                    }
                    stack.pop();
                    path.pop();
                }
            }
        }
        if found.is_empty() {
            return None;
        }
        Some(
            found
                .into_iter()
                .map(|cycle| CheckError::Cycle {
                    chain: cycle
                        .into_iter()
                        .map(|(d, span)| (names.get(d as usize).cloned().unwrap_or_default(), span))
                        .collect(),
                })
                .collect(),
        )
    }

    /// Post-order from the outputs: each definition after everything it uses.
    pub fn eval_order(graph: &Graph, outputs: &[u32]) -> Vec<u32> {
        let mut seen = vec![false; graph.len()];
        let mut order = Vec::new();
        for &root in outputs {
            if seen.get(root as usize).copied() != Some(false) {
                continue;
            }
            let mut stack: Vec<(u32, usize)> = vec![(root, 0)];
            if let Some(s) = seen.get_mut(root as usize) {
                *s = true;
            }
            while let Some((node, next)) = stack.last().copied() {
                let edges = graph.get(node as usize).map_or(&[][..], Vec::as_slice);
                if let Some((to, _)) = edges.get(next).copied() {
                    if let Some(top) = stack.last_mut() {
                        top.1 += 1;
                    }
                    if seen.get(to as usize).copied() == Some(false) {
                        if let Some(s) = seen.get_mut(to as usize) {
                            *s = true;
                        }
                        stack.push((to, 0));
                    }
                } else {
                    order.push(node);
                    stack.pop();
                }
            }
        }
        order
    }
}

pub(crate) fn new_def(
    decl: &ast::DefDecl,
    output: bool,
    ty: Type,
    body: crate::program::CExpr,
    rules: Vec<crate::program::RuleInfo>,
    cites: Vec<Cite>,
) -> Def {
    Def {
        name: decl.name.name.clone(),
        ty,
        body,
        rules,
        output,
        cites,
        span: decl.span,
    }
}
