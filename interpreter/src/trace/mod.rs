//! Explanations: what each output was computed from — the inputs read, the definitions used, the
//! table rows that matched, the rule (原則/例外) that applied and the ones that did not — each with
//! its line and its 出典. The [`Recorder`] notes what evaluation read; the [`Explainer`] builds
//! the typed tree ([`tree`]), which is serialized as the `trace` member of `onshi eval --format
//! json` and rendered as the text of `--explain` ([`text`]), in Japanese or English.

pub mod text;
pub mod tree;
pub mod why;

pub use tree::{DefNode, Explanation, InputNode, Node, RowHit, RuleNode, RuleTag, Rules};
pub use why::{Operand, Why, WhyDef};

use crate::eval::{DefResults, Tracer};
use crate::program::{DefId, InputId, Program};
use crate::schema::at;
use crate::sources::SourceMap;
use crate::value::Value;
use onshi_grammar::{Lang, Text};
use std::collections::HashSet;

/// How many definitions deep an explanation tree goes; below that a definition is shown with its
/// value but not what it was computed from (`"truncated": true`). Building, printing and
/// serializing the tree recurse once per level, and a chain of definitions can be as long as the program
/// (the stack cannot grow in WASM); no person reads an explanation this deep.
pub const MAX_EXPLAIN_DEPTH: usize = 64;

/// What one definition read while it was evaluated (only the branches taken).
#[derive(Clone, Debug, Default)]
pub struct DefRecord {
    pub inputs: Vec<InputId>,
    pub defs: Vec<DefId>,
    pub rows: Vec<(u32, u32)>,
    /// (applicable, winners) for a definition written as rules.
    pub rules: Option<(u128, u128)>,
}

/// The tracer behind explanations.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    current: Option<usize>,
    pub defs: Vec<DefRecord>,
}

impl Recorder {
    pub fn new(defs: usize) -> Recorder {
        Recorder {
            current: None,
            defs: vec![DefRecord::default(); defs],
        }
    }
    fn cur(&mut self) -> Option<&mut DefRecord> {
        self.current.and_then(|c| self.defs.get_mut(c))
    }
}

fn push_unique<T: PartialEq>(v: &mut Vec<T>, x: T) {
    if !v.contains(&x) {
        v.push(x);
    }
}

impl Tracer for Recorder {
    fn enter(&mut self, def: DefId) {
        self.current = Some(def.index());
    }
    fn input(&mut self, i: InputId) {
        if let Some(r) = self.cur() {
            push_unique(&mut r.inputs, i);
        }
    }
    fn def(&mut self, i: DefId) {
        if let Some(r) = self.cur() {
            push_unique(&mut r.defs, i);
        }
    }
    fn row(&mut self, table: u32, row: u32) {
        if let Some(r) = self.cur() {
            if !r.rows.contains(&(table, row)) {
                r.rows.push((table, row));
            }
        }
    }
    fn rules(&mut self, applicable: u128, winners: u128) {
        if let Some(r) = self.cur() {
            r.rules = Some((applicable, winners));
        }
    }
}

/// Builds explanation trees for one evaluation.
pub struct Explainer<'a> {
    pub program: &'a Program,
    pub sources: &'a SourceMap,
    pub record: &'a Recorder,
    pub results: &'a DefResults,
    pub inputs: &'a [Value],
}

impl Explainer<'_> {
    /// The tree of every output.
    pub fn explain(&self) -> Explanation {
        let mut outputs = Vec::with_capacity(self.program.outputs.len());
        for &o in &self.program.outputs {
            let mut seen = HashSet::new();
            if let Some(node) = self.def_node(o, &mut seen, 1) {
                outputs.push((node.name().to_string(), node));
            }
        }
        Explanation { outputs }
    }

    /// A value's readable forms in both languages.
    fn texts(&self, v: &Value, ty: &crate::Type) -> Text {
        let p = self.program;
        Text::new(p.value_text(v, ty, Lang::Ja), p.value_text(v, ty, Lang::En))
    }

    fn def_node(&self, i: DefId, seen: &mut HashSet<DefId>, depth: usize) -> Option<Node> {
        let p = self.program;
        let def = p.def(i)?;
        let mut node = DefNode {
            name: def.name.clone(),
            value: None,
            text: None,
            error: None,
            at: at(self.sources, def.span),
            sources: p.citations(&def.cites),
            truncated: false,
            repeated: false,
            rules: None,
            rows: Vec::new(),
            reading: tree::ReadingNote::of(p, i),
            uses: None,
        };
        match self.results.get(i.index()).cloned().flatten() {
            Some(Ok(v)) => {
                node.value = Some(p.value_to_json(&v, &def.ty));
                node.text = Some(self.texts(&v, &def.ty));
            }
            Some(Err(e)) => node.error = Some(e.code()),
            None => {}
        }
        let wrap = |node: DefNode| {
            Some(if def.output {
                Node::Output(node)
            } else {
                Node::Definition(node)
            })
        };
        if depth > MAX_EXPLAIN_DEPTH && !seen.contains(&i) {
            node.truncated = true;
            return wrap(node);
        }
        if !seen.insert(i) {
            node.repeated = true;
            return wrap(node);
        }
        let Some(rec) = self.record.defs.get(i.index()) else {
            return wrap(node);
        };
        if let Some((applicable, winners)) = rec.rules {
            let compiled: &[crate::program::CRule] = match &def.body.kind {
                crate::program::CKind::Rules(rules) => rules,
                _ => &[],
            };
            let mut reasons = why::Reasons::new(p, self.sources, self.inputs, self.results);
            let mut rule = |k: usize| {
                let info = def.rules.get(k)?;
                let because = compiled.get(k).and_then(|r| reasons.of_rule(r));
                Some(RuleNode {
                    kind: info.kind.into(),
                    label: info.label.clone(),
                    applicable: k < 128 && applicable & (1u128 << k) != 0,
                    at: at(self.sources, info.span),
                    sources: p.citations(&info.cites),
                    because,
                })
            };
            let (applied, not): (Vec<usize>, Vec<usize>) =
                (0..def.rules.len()).partition(|k| *k < 128 && winners & (1u128 << k) != 0);
            node.rules = Some(Rules {
                applied: applied.into_iter().filter_map(&mut rule).collect(),
                not_applied: not.into_iter().filter_map(&mut rule).collect(),
            });
        }
        node.rows = rec
            .rows
            .iter()
            .filter_map(|(t, r)| {
                let table = p.tables.get(*t as usize)?;
                let row = table.rows.get(*r as usize)?;
                Some(RowHit {
                    table: table.name.clone(),
                    row: r + 1,
                    at: at(self.sources, row.span),
                    sources: p.citations(&table.cites),
                })
            })
            .collect();
        let mut uses = Vec::with_capacity(rec.inputs.len() + rec.defs.len());
        for &inp in &rec.inputs {
            if let (Some(input), Some(v)) = (p.input(inp), self.inputs.get(inp.index())) {
                uses.push(Node::Input(InputNode {
                    name: input.name.clone(),
                    value: p.value_to_json(v, &input.ty),
                    text: self.texts(v, &input.ty),
                    at: at(self.sources, input.span),
                    sources: p.citations(&input.cites),
                }));
            }
        }
        for &d in &rec.defs {
            uses.extend(self.def_node(d, seen, depth + 1));
        }
        node.uses = Some(uses);
        wrap(node)
    }
}
