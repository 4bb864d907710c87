//! What is responsible for a value: the definitions, table rows and winning rules it used (from the
//! evaluation trace), those whose text changed between the editions first.

use crate::joint::Joint;
use crate::space::{bit, Jv};
use crate::{Edition, Side};
use onshi::program::DefId;
use onshi::sources::SourceMap;
use onshi::trace::Recorder;
use onshi_grammar::ast::{RuleKind, Span};
use onshi_grammar::Text;
use std::collections::HashSet;

/// What can be behind a value: a definition, a table row (table, row) or a winning rule
/// (definition, rule).
enum Item {
    Def(DefId),
    Row(u32, u32),
    Rule(DefId, u32),
}

/// A rule, table row or definition behind a value, with its place and whether its text differs in
/// the other edition.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responsible {
    pub what: Text,
    /// `path:line`
    pub at: String,
    /// Its text differs in the other edition (or the other edition has no counterpart).
    pub changed: bool,
}

/// The text of a declaration for comparison: whitespace collapsed, comment lines dropped (a span
/// may run on over the comments before the next declaration).
fn normalized(s: &str) -> String {
    s.lines()
        .filter(|l| {
            let t = l.trim_start();
            !(t.starts_with('#') || t.starts_with("//") || t.starts_with('※'))
        })
        .flat_map(str::split_whitespace)
        .collect::<Vec<_>>()
        .join(" ")
}

fn at_line(sources: &SourceMap, span: Span) -> String {
    let (line, _) = sources.line_col(span);
    let path = sources.get(span.file).map_or("?", |f| f.path.as_str());
    format!("{path}:{line}")
}

/// (is a definition, description) of one item.
fn describe(item: &Item, me: Edition, other: Edition) -> Option<(bool, Responsible)> {
    let (p, q) = (me.program, other.program);
    let text_of = |e: Edition, span: Span| normalized(e.sources.snippet(span));
    Some(match item {
        Item::Def(d) => {
            let def = p.def(*d)?;
            let counterpart = q.defs().iter().find(|x| x.name == def.name);
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, def.span));
            let (ja, en) = if def.output {
                ("出力", "output")
            } else {
                ("定義", "definition")
            };
            (
                true,
                Responsible {
                    what: Text::new(format!("{ja} {}", def.name), format!("{en} {}", def.name)),
                    at: at_line(me.sources, def.span),
                    changed,
                },
            )
        }
        Item::Row(t, r) => {
            let table = p.tables().get(*t as usize)?;
            let row = table.rows.get(*r as usize)?;
            let counterpart = q
                .tables()
                .iter()
                .find(|x| x.name == table.name)
                .and_then(|x| x.rows.get(*r as usize));
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, row.span));
            (
                false,
                Responsible {
                    what: Text::new(
                        format!("表 {} の {} 行目", table.name, r + 1),
                        format!("table {} row {}", table.name, r + 1),
                    ),
                    at: at_line(me.sources, row.span),
                    changed,
                },
            )
        }
        Item::Rule(d, k) => {
            let def = p.def(*d)?;
            let rule = def.rules.get(*k as usize)?;
            let label = rule.label.clone().unwrap_or_default();
            let counterpart = q.defs().iter().find(|x| x.name == def.name).and_then(|x| {
                x.rules
                    .iter()
                    .find(|r| r.label == rule.label && r.kind == rule.kind)
            });
            let changed =
                counterpart.is_none_or(|c| text_of(other, c.span) != text_of(me, rule.span));
            let (ja, en) = match rule.kind {
                RuleKind::Principle => ("原則", "principle"),
                RuleKind::Exception => ("例外", "exception"),
            };
            (
                false,
                Responsible {
                    what: Text::new(
                        format!("{ja} {label}（{}）", def.name),
                        format!("{en} {label} ({})", def.name),
                    ),
                    at: at_line(me.sources, rule.span),
                    changed,
                },
            )
        }
    })
}

impl Joint<'_> {
    /// The rules, table rows and definitions behind output `def` of one side at `point`.
    pub(crate) fn responsible(&mut self, point: &[Jv], side: Side, def: DefId) -> Vec<Responsible> {
        let (me, other) = (self.edition(side), self.edition(side.other()));
        let p = me.program;
        let inputs = self.side_inputs(point, side);
        self.evaluations += 1;
        let (_, rec) =
            p.evaluator()
                .record_traced(&inputs, p.eval_order(), Recorder::new(p.defs().len()));
        let mut items: Vec<Item> = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![def];
        while let Some(d) = stack.pop() {
            if !seen.insert(d) {
                continue;
            }
            items.push(Item::Def(d));
            let Some(r) = rec.defs.get(d.index()) else {
                continue;
            };
            items.extend(r.rows.iter().map(|&(t, row)| Item::Row(t, row)));
            if let Some((_, winners)) = r.rules {
                for k in 0..128u32 {
                    if winners & bit(k) != 0 {
                        items.push(Item::Rule(d, k));
                    }
                }
            }
            stack.extend(r.defs.iter().rev().copied());
        }
        let described: Vec<(bool, Responsible)> = items
            .iter()
            .filter_map(|it| describe(it, me, other))
            .collect();
        let changed: Vec<Responsible> = described
            .iter()
            .filter(|(_, r)| r.changed)
            .map(|(_, r)| r.clone())
            .collect();
        if !changed.is_empty() {
            return changed;
        }
        let used: Vec<Responsible> = described
            .iter()
            .filter(|(is_def, _)| !is_def)
            .map(|(_, r)| r.clone())
            .collect();
        if !used.is_empty() {
            return used;
        }
        described.into_iter().take(1).map(|(_, r)| r).collect()
    }
}
