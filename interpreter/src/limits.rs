//! Configurable limits: what a policy may ask of onshi before it is refused with a diagnostic.
//!
//! onshi runs policies written by anyone (in the playground, untrusted) over personal data, so
//! every cost is bounded, and bounded the same way natively and in WASM (where the stack cannot be
//! grown): the size of a source file, how deeply expressions nest, how many definitions and table
//! rows a program has, how deeply evaluation nests through table lookups, and how many steps one
//! evaluation may take. [`Limits::default`] is safe everywhere and far above what the shipped
//! policies need; [`crate::compile_with`] takes other limits, and a [`Program`] keeps its step limit.
//!
//! | limit | default (max) | the shipped policies need | exceeded |
//! |---|---|---|---|
//! | `max_source_bytes`: bytes of one source file | 1 MiB | 36 KB | `onshi::syntax::too_large` |
//! | `max_nesting`: brackets and `もし`/`場合`/`not`/`任意<`/`集合<` open at once | 64 (128) | 5 | `onshi::syntax::too_deep` |
//! | `max_depth`: depth of an expression tree, and of evaluation through table lookups | 128 (160) | 8 | `onshi::syntax::too_deep`, `onshi::limit::depth` |
//! | `max_definitions`: 定義 and 出力 of the program, imports included | 2,000 | 19 | `onshi::limit::definitions` |
//! | `max_table_rows`: rows of one table | 2,000 | 7 | `onshi::limit::table_rows` |
//! | `max_steps`: expression nodes evaluated for one set of facts | 1,000,000 | 186 | `onshi::limit::steps` |
//!
//! Chains of definitions are not limited apart from their number: checking and evaluating follow
//! them without recursion, and explanations stop at [`crate::trace::MAX_EXPLAIN_DEPTH`].

use crate::program::{CExpr, CKind, DefId, Program, Table};
use onshi_grammar::ast::Span;
use onshi_grammar::ParseLimits;
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

/// The limits a policy is compiled and evaluated under. Read from JSON ([`Limits::from_json`]; serde
/// the same way) with camelCase names (`{"maxSteps": 10000}`, as the WASM package takes them;
/// snake_case is accepted too); a missing field takes its default, an unknown one is an error.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct Limits {
    /// Bytes of one source file (each import is a file of its own): `onshi::syntax::too_large`.
    #[serde(alias = "max_source_bytes")]
    pub max_source_bytes: u64,
    /// Brackets, and constructs that nest without brackets (`もし`, `場合`, `not`, `任意<`, `集合<`),
    /// open at once, measured on the text before parsing: `onshi::syntax::too_deep`.
    #[serde(alias = "max_nesting")]
    pub max_nesting: u64,
    /// Depth of an expression tree (a long operator chain is deep too): `onshi::syntax::too_deep`;
    /// and depth of evaluation, where looking up a table continues into the expression of the
    /// matched row's cell (tables looked up inside table cells add up): `onshi::limit::depth`.
    #[serde(alias = "max_depth")]
    pub max_depth: u64,
    /// `定義` and `出力` declarations with an expression or rules, in the entry file and every
    /// file it imports (inputs, tables and enumerations are not counted):
    /// `onshi::limit::definitions`.
    #[serde(alias = "max_definitions")]
    pub max_definitions: u64,
    /// Rows of one table (the header and the `|---|` line are not rows):
    /// `onshi::limit::table_rows`.
    #[serde(alias = "max_table_rows")]
    pub max_table_rows: u64,
    /// Steps of one evaluation (one set of facts): every expression node evaluated is a step, so a
    /// definition costs its size once and a table lookup the size of its keys and the matched cell.
    /// See [`Program::max_steps`] for a static bound. `onshi::limit::steps`.
    #[serde(alias = "max_steps")]
    pub max_steps: u64,
}

impl Limits {
    /// The defaults: safe natively and in WASM, and far above what the shipped policies need (at
    /// most 36 KB in a file, nesting 5, depth 8, 19 definitions, 7 rows in a table and 186 steps;
    /// `tests/tests/it/limits_defaults.rs` measures them).
    pub const DEFAULT: Limits = Limits {
        max_source_bytes: ParseLimits::DEFAULT.max_source_bytes as u64,
        max_nesting: ParseLimits::DEFAULT.max_nesting as u64,
        max_depth: ParseLimits::DEFAULT.max_depth as u64,
        max_definitions: 2_000,
        max_table_rows: 2_000,
        max_steps: 1_000_000,
    };

    /// The largest values accepted. Nesting and depth are bounded by the stack: parsing, checking
    /// and evaluating recurse once per level, WASM cannot grow its stack, and in a browser the
    /// module runs on the JavaScript engine's native stack (about 1 MB in V8). Measured in Node 20
    /// (V8, optimised code): checking fails near 330 levels of depth and parsing near 280 levels of
    /// nesting, so these maxima keep half the stack free and the defaults more. The others are
    /// not bounded here.
    pub const MAX: Limits = Limits {
        max_source_bytes: u64::MAX,
        max_nesting: 128,
        max_depth: 160,
        max_definitions: u64::MAX,
        max_table_rows: u64::MAX,
        max_steps: u64::MAX,
    };

    /// The parser's part.
    pub fn parse(&self) -> ParseLimits {
        let size = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        ParseLimits {
            max_source_bytes: size(self.max_source_bytes),
            max_nesting: size(self.max_nesting.min(Limits::MAX.max_nesting)),
            max_depth: size(self.max_depth.min(Limits::MAX.max_depth)),
        }
    }

    /// Every limit as (JSON name, value, largest accepted value).
    pub fn fields(&self) -> [(&'static str, u64, u64); 6] {
        let m = Limits::MAX;
        [
            ("maxSourceBytes", self.max_source_bytes, m.max_source_bytes),
            ("maxNesting", self.max_nesting, m.max_nesting),
            ("maxDepth", self.max_depth, m.max_depth),
            ("maxDefinitions", self.max_definitions, m.max_definitions),
            ("maxTableRows", self.max_table_rows, m.max_table_rows),
            ("maxSteps", self.max_steps, m.max_steps),
        ]
    }

    /// Every limit is at least 1 and at most its value in [`Limits::MAX`]. (Compiling clamps
    /// nesting and depth to their maximum anyway; the front ends refuse such values instead.)
    pub fn validate(&self) -> Result<(), String> {
        for (name, value, max) in self.fields() {
            if value == 0 || value > max {
                return Err(format!("{name} must be between 1 and {max}, not {value}"));
            }
        }
        Ok(())
    }

    /// Limits from JSON (`null` gives the defaults), validated; the error says what is wrong.
    /// Read by hand rather than through serde, so a module that reads limits carries no float
    /// formatting (serde's error for `1.5` prints it as an `f64`).
    pub fn from_json(j: &Json) -> Result<Limits, String> {
        let Some(fields) = j.as_object() else {
            return if j.is_null() {
                Ok(Limits::default())
            } else {
                Err("limits: expected an object such as {\"maxSteps\": 10000}".to_string())
            };
        };
        let mut limits = Limits::default();
        for (key, value) in fields {
            let Some(field) = limits.field_mut(key) else {
                let names: Vec<&str> = Limits::MAX.fields().iter().map(|f| f.0).collect();
                return Err(format!(
                    "limits: unknown field `{key}`, expected one of `{}`",
                    names.join("`, `")
                ));
            };
            *field = value.as_u64().ok_or_else(|| {
                format!("limits: `{key}` must be a whole number of at least 1, not {value}")
            })?;
        }
        limits.validate().map_err(|e| format!("limits: {e}"))?;
        Ok(limits)
    }

    /// The field named `key`, camelCase (`maxSteps`) or snake_case (`max_steps`).
    fn field_mut(&mut self, key: &str) -> Option<&mut u64> {
        Some(match key {
            "maxSourceBytes" | "max_source_bytes" => &mut self.max_source_bytes,
            "maxNesting" | "max_nesting" => &mut self.max_nesting,
            "maxDepth" | "max_depth" => &mut self.max_depth,
            "maxDefinitions" | "max_definitions" => &mut self.max_definitions,
            "maxTableRows" | "max_table_rows" => &mut self.max_table_rows,
            "maxSteps" | "max_steps" => &mut self.max_steps,
            _ => return None,
        })
    }

    /// The limits as JSON, camelCase (what `defaultLimits()` returns in WASM).
    pub fn to_json(&self) -> Json {
        serde_json::to_value(self).unwrap_or(Json::Null)
    }
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

// ------------------------------------------------------------------ static bounds

/// The tables each table's result cells look up (edges of the table graph).
fn table_uses(tables: &[Table]) -> Vec<Vec<u32>> {
    tables
        .iter()
        .map(|t| {
            let mut uses = Vec::new();
            for row in t.rows.iter().filter(|r| r.value.is_none()) {
                for cell in &row.results {
                    lookups(cell, &mut uses);
                }
            }
            uses
        })
        .collect()
}

fn lookups(e: &CExpr, out: &mut Vec<u32>) {
    if let CKind::Lookup(t, _) = &e.kind {
        out.push(t.0);
    }
    e.for_each_child(|c| lookups(c, out));
}

/// Tables in dependency order (each after the tables its cells look up), without recursion: a
/// chain of thousands of tables must not overflow the stack. Tables in a cycle (which the checker
/// rejects) are left out.
fn table_order(uses: &[Vec<u32>]) -> Vec<u32> {
    let n = uses.len();
    // 0: not seen, 1: on the stack, 2: done
    let mut state = vec![0u8; n];
    let mut order = Vec::with_capacity(n);
    for root in 0..n {
        if state.get(root).copied() != Some(0) {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        if let Some(s) = state.get_mut(root) {
            *s = 1;
        }
        while let Some((node, next)) = stack.last().copied() {
            let edges = uses.get(node).map_or(&[][..], Vec::as_slice);
            if let Some(&to) = edges.get(next) {
                if let Some(top) = stack.last_mut() {
                    top.1 += 1;
                }
                if state.get(to as usize).copied() == Some(0) {
                    if let Some(s) = state.get_mut(to as usize) {
                        *s = 1;
                    }
                    stack.push((to as usize, 0));
                }
            } else {
                if let Some(s) = state.get_mut(node) {
                    *s = 2;
                }
                order.push(node as u32);
                stack.pop();
            }
        }
    }
    order
}

/// A value per table, computed in dependency order: `f(table, values so far)`.
fn per_table(tables: &[Table], f: impl Fn(&Table, &[u64]) -> u64) -> Vec<u64> {
    let uses = table_uses(tables);
    let mut values = vec![0u64; tables.len()];
    for t in table_order(&uses) {
        if let Some(table) = tables.get(t as usize) {
            let v = f(table, &values);
            if let Some(slot) = values.get_mut(t as usize) {
                *slot = v;
            }
        }
    }
    values
}

/// The most steps evaluating `e` can take: one per node, and for a lookup the most its table's
/// matched row can add.
fn steps_of(e: &CExpr, table_steps: &[u64]) -> u64 {
    let mut n: u64 = 1;
    if let CKind::Lookup(t, _) = &e.kind {
        n = n.saturating_add(table_steps.get(t.0 as usize).copied().unwrap_or(0));
    }
    e.for_each_child(|c| n = n.saturating_add(steps_of(c, table_steps)));
    n
}

/// The steps a lookup of `table` adds beyond its keys: the cells of the costliest row (a row whose
/// cells are all constants costs nothing; a single-result table evaluates its one cell).
fn row_steps(table: &Table, table_steps: &[u64]) -> u64 {
    table
        .rows
        .iter()
        .filter(|r| r.value.is_none())
        .map(|r| {
            let cells = if table.single { 1 } else { r.results.len() };
            r.results
                .iter()
                .take(cells)
                .fold(0u64, |acc, c| acc.saturating_add(steps_of(c, table_steps)))
        })
        .max()
        .unwrap_or(0)
}

/// Whether a node is an implicit conversion the checker wrapped around an expression (not written
/// in the source, so not counted in depth: the parser already bounded what was written).
fn is_wrapper(e: &CExpr) -> bool {
    matches!(e.kind, CKind::Widen(_) | CKind::Unwrap(_))
}

/// How deeply evaluating `e` nests, counting the nodes written in the source, and for a lookup the
/// depth of its table's cells.
fn depth_of(e: &CExpr, table_depth: &[u64]) -> u64 {
    let mut d: u64 = 0;
    if let CKind::Lookup(t, _) = &e.kind {
        d = table_depth.get(t.0 as usize).copied().unwrap_or(0);
    }
    e.for_each_child(|c| d = d.max(depth_of(c, table_depth)));
    d.saturating_add(u64::from(!is_wrapper(e)))
}

fn cell_depth(table: &Table, table_depth: &[u64]) -> u64 {
    table
        .rows
        .iter()
        .filter(|r| r.value.is_none())
        .flat_map(|r| r.results.iter())
        .map(|c| depth_of(c, table_depth))
        .max()
        .unwrap_or(0)
}

/// Where evaluation nests deepest through a table lookup: the first lookup (in `e`, entered at
/// `level`) below which evaluation is deeper than `limit`, with the depth reached there.
fn too_deep_lookup(
    e: &CExpr,
    level: u64,
    limit: u64,
    table_depth: &[u64],
) -> Option<(Span, u32, u64)> {
    let level = level.saturating_add(u64::from(!is_wrapper(e)));
    if let CKind::Lookup(t, _) = &e.kind {
        let through = level.saturating_add(table_depth.get(t.0 as usize).copied().unwrap_or(0));
        if through > limit {
            return Some((e.span, t.0, through));
        }
    }
    let mut found = None;
    e.for_each_child(|c| {
        if found.is_none() {
            found = too_deep_lookup(c, level, limit, table_depth);
        }
    });
    found
}

/// Evaluation nesting deeper than the limit through tables looked up inside table cells.
pub(crate) struct DeepLookup {
    /// The lookup below which evaluation nests too deeply.
    pub span: Span,
    /// The depth reached.
    pub depth: u64,
    /// The tables evaluation goes through from there, deepest path first (at most 8).
    pub chain: Vec<u32>,
    /// The path goes on beyond `chain`.
    pub more: bool,
}

/// The first expression (definition bodies, then table cells, in order) whose evaluation would
/// nest deeper than `limit` through table lookups.
pub(crate) fn deep_lookup(program: &Program, limit: u64) -> Option<DeepLookup> {
    let depths = per_table(&program.tables, cell_depth);
    // Every 案 of every reading too: another can replace the adopted one (`Program::with_readings`).
    let bodies = program
        .defs
        .iter()
        .map(|d| &d.body)
        .chain(
            program
                .readings
                .iter()
                .flat_map(|r| r.options.iter().map(|o| &o.body)),
        )
        .chain(
            program
                .tables
                .iter()
                .flat_map(|t| t.rows.iter().filter(|r| r.value.is_none()))
                .flat_map(|r| r.results.iter()),
        );
    let uses = table_uses(&program.tables);
    for body in bodies {
        if let Some((span, table, depth)) = too_deep_lookup(body, 0, limit, &depths) {
            // The deepest path: from each table, the table its cells look up that nests deepest.
            let mut chain = vec![table];
            let mut at = table;
            let mut more = false;
            while let Some(&next) = uses
                .get(at as usize)
                .and_then(|u| u.iter().max_by_key(|t| depths.get(**t as usize)))
            {
                if chain.contains(&next) {
                    break;
                }
                if chain.len() == 8 {
                    more = true;
                    break;
                }
                chain.push(next);
                at = next;
            }
            return Some(DeepLookup {
                span,
                depth,
                chain,
                more,
            });
        }
    }
    None
}

impl Program {
    /// The step limit evaluations of this program run under ([`Limits::max_steps`]).
    pub fn step_limit(&self) -> u64 {
        self.limits.max_steps
    }

    /// An upper bound of the steps one evaluation of [`Program::eval_order`] can take (what
    /// [`Evaluator::record`](crate::Evaluator::record) counts against [`Program::step_limit`]): every definition is evaluated
    /// at most once, each expression node costs one step, and a table lookup adds the cells of its
    /// costliest row (tables looked up inside cells included). Saturates at `u64::MAX`.
    ///
    /// When `max_steps() <= step_limit()`, no evaluation of this program can fail with
    /// `onshi::limit::steps`, so an evaluator may skip counting. Computed once, when the program
    /// is checked ([`Program::step_bound`]).
    pub fn max_steps(&self) -> u64 {
        self.step_bound
    }

    /// [`Program::max_steps`] for evaluating the definitions `order` (e.g. [`Program::full_order`],
    /// which examples and coverage evaluate).
    pub fn max_steps_of(&self, order: &[DefId]) -> u64 {
        let tables = per_table(&self.tables, row_steps);
        let premises = self.premises.iter().fold(0u64, |acc, p| {
            acc.saturating_add(steps_of(&p.condition, &tables))
        });
        order
            .iter()
            .filter_map(|&i| self.def(i))
            .fold(premises, |acc, d| {
                acc.saturating_add(steps_of(&d.body, &tables))
            })
    }
}
