//! Running the examples (例) written beside the rules, and the coverage they give: which rules
//! (原則/例外) and table rows no example exercised.
//!
//! A rule counts as exercised only when an example makes it **win** (give the value): a 例外 whose
//! condition held but that a stronger rule overrode proves nothing about its value, and neither
//! does a 原則 that applied while an exception won. Such rules are listed apart
//! ([`Program::applied_without_winning`]), so a reviewer sees which exceptions need an example
//! where they decide the outcome.

use crate::eval::{values_equal, Tracer};
use crate::program::{DefId, Program};
use crate::types::Type;
use crate::value::Value;
use crate::EvalError;
use onshi_grammar::ast::{RuleKind, Span};
use onshi_grammar::{Lang, Text};
use std::collections::BTreeSet;

/// One expected value that did not come out: the definition's name and type, the value expected
/// and what came out instead. Worded by [`Program::expected_text`] / [`Program::actual_text`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub name: String,
    pub ty: Type,
    pub expected: Value,
    pub actual: Actual,
}

/// What came out where an example expected a value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actual {
    /// Another value.
    Value(Value),
    /// An evaluation error.
    Error(EvalError),
    /// The definition was not evaluated.
    NotEvaluated,
}

#[derive(Clone, Debug)]
pub struct Outcome {
    pub name: String,
    pub span: Span,
    pub mismatches: Vec<Mismatch>,
}

impl Outcome {
    pub fn passed(&self) -> bool {
        self.mismatches.is_empty()
    }
}

/// Rules that gave a value (won), rules that applied, and table rows that matched, over every
/// example run; each `(definition or table index, rule or row index)`.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    current: Option<DefId>,
    /// Rules that won: gave their definition's value.
    pub rules: BTreeSet<(u32, u32)>,
    /// Rules whose condition held (winning or not).
    pub applied: BTreeSet<(u32, u32)>,
    pub rows: BTreeSet<(u32, u32)>,
}

impl Tracer for &mut Coverage {
    fn enter(&mut self, def: DefId) {
        self.current = Some(def);
    }
    fn row(&mut self, table: u32, row: u32) {
        self.rows.insert((table, row));
    }
    fn rules(&mut self, applicable: u128, winners: u128) {
        if let Some(d) = self.current {
            for k in (0..128u32).filter(|k| winners & (1u128 << k) != 0) {
                self.rules.insert((d.0, k));
            }
            for k in (0..128u32).filter(|k| applicable & (1u128 << k) != 0) {
                self.applied.insert((d.0, k));
            }
        }
    }
}

/// A rule or a table row, as coverage lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A 原則/例外 rule of a definition.
    Rule {
        def: String,
        kind: RuleKind,
        label: Option<String>,
    },
    /// Row `row` (1-based) of a table.
    Row { table: String, row: usize },
}

impl Item {
    /// ``定義 `x` の原則 通常`` / ``principle 通常 of `x` ``, ``表 `t` の 2 行目`` / ``row 2 of table `t` ``.
    pub fn text(&self) -> Text {
        match self {
            Item::Rule { def, kind, label } => {
                let (ja, en) = match kind {
                    RuleKind::Principle => ("原則", "principle"),
                    RuleKind::Exception => ("例外", "exception"),
                };
                let label = label.as_deref().unwrap_or_default();
                Text::new(
                    format!("`{def}` の{ja} {label}"),
                    format!("{en} {label} of `{def}`"),
                )
            }
            Item::Row { table, row } => Text::new(
                format!("表 `{table}` の {row} 行目"),
                format!("row {row} of table `{table}`"),
            ),
        }
    }
}

/// Something an example may exercise: a rule or a table row, and where it is written.
#[derive(Clone, Debug)]
pub struct Uncovered {
    pub item: Item,
    pub span: Span,
}

impl Program {
    /// Run every example; the coverage collects what they exercised.
    pub fn run_examples(&self, coverage: &mut Coverage) -> Vec<Outcome> {
        let mut out = Vec::new();
        for ex in &self.examples {
            let inputs = self.example_inputs(ex);
            // An example that assumes other readings runs under them (checked when compiled).
            let assumed = match ex.readings.is_empty() {
                true => None,
                false => self.with_readings(&ex.readings).ok(),
            };
            let p = assumed.as_ref().unwrap_or(self);
            let (results, _) = p
                .evaluator()
                .record_traced(&inputs, &p.full_order, &mut *coverage);
            let mut mismatches = Vec::new();
            for (d, want) in &ex.expect {
                let Some(def) = self.defs.get(d.index()) else {
                    continue;
                };
                let actual = match results.get(d.index()).cloned().flatten() {
                    Some(Ok(v)) if values_equal(&v, want) => continue,
                    Some(Ok(v)) => Actual::Value(v),
                    Some(Err(e)) => Actual::Error(e),
                    None => Actual::NotEvaluated,
                };
                mismatches.push(Mismatch {
                    name: def.name.clone(),
                    ty: def.ty.clone(),
                    expected: want.clone(),
                    actual,
                });
            }
            out.push(Outcome {
                name: ex.name.clone(),
                span: ex.span,
                mismatches,
            });
        }
        out
    }

    /// The expected value of a mismatch, as text in `lang`.
    pub fn expected_text(&self, m: &Mismatch, lang: Lang) -> String {
        self.value_text(&m.expected, &m.ty, lang)
    }

    /// What came out instead, as text in `lang` (`エラー onshi::eval::no_row (…)`, `未評価`).
    pub fn actual_text(&self, m: &Mismatch, lang: Lang) -> String {
        match (&m.actual, lang) {
            (Actual::Value(v), _) => self.value_text(v, &m.ty, lang),
            (Actual::Error(e), Lang::Ja) => {
                format!("エラー {} ({})", e.code(), e.to_diagnostic().message.ja)
            }
            (Actual::Error(e), Lang::En) => {
                format!("error {} ({})", e.code(), e.to_diagnostic().message.en)
            }
            (Actual::NotEvaluated, Lang::Ja) => "未評価".to_string(),
            (Actual::NotEvaluated, Lang::En) => "not evaluated".to_string(),
        }
    }

    /// Every rule and table row of this program, and whether `coverage` saw it. Callers that
    /// test several files merge these by source location: a shared table in `common/` counts as
    /// exercised when an example of any policy that imports it exercised it.
    pub fn coverage_items(&self, coverage: &Coverage) -> Vec<(Uncovered, bool)> {
        let mut out = Vec::new();
        for (d, def) in self.defs.iter().enumerate() {
            for (k, r) in def.rules.iter().enumerate() {
                let item = Uncovered {
                    item: Item::Rule {
                        def: def.name.clone(),
                        kind: r.kind,
                        label: r.label.clone(),
                    },
                    span: r.span,
                };
                out.push((item, coverage.rules.contains(&(d as u32, k as u32))));
            }
        }
        for (t, table) in self.tables.iter().enumerate() {
            for (k, row) in table.rows.iter().enumerate() {
                let item = Uncovered {
                    item: Item::Row {
                        table: table.name.clone(),
                        row: k + 1,
                    },
                    span: row.span,
                };
                out.push((item, coverage.rows.contains(&(t as u32, k as u32))));
            }
        }
        out
    }

    /// The rules whose condition held in some example but that never won in any (a stronger rule
    /// always gave the value): not covered, and worth an example where they decide the outcome.
    pub fn applied_without_winning(&self, coverage: &Coverage) -> Vec<Uncovered> {
        let mut out = Vec::new();
        for (d, def) in self.defs.iter().enumerate() {
            for (k, r) in def.rules.iter().enumerate() {
                let key = (d as u32, k as u32);
                if coverage.applied.contains(&key) && !coverage.rules.contains(&key) {
                    out.push(Uncovered {
                        item: Item::Rule {
                            def: def.name.clone(),
                            kind: r.kind,
                            label: r.label.clone(),
                        },
                        span: r.span,
                    });
                }
            }
        }
        out
    }

    /// The rules and table rows of this program that `coverage` never saw.
    pub fn uncovered(&self, coverage: &Coverage) -> Vec<Uncovered> {
        self.coverage_items(coverage)
            .into_iter()
            .filter(|(_, covered)| !covered)
            .map(|(u, _)| u)
            .collect()
    }
}
