//! Running the examples (例) written beside the rules, and the coverage they give: which rules
//! (原則/例外) and table rows no example exercised.

use crate::eval::{values_equal, Tracer};
use crate::program::Program;
use onshi_grammar::ast::{RuleKind, Span};
use onshi_grammar::Text;
use std::collections::BTreeSet;

/// One expected value that did not come out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub name: String,
    pub expected: String,
    pub actual: String,
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

/// Rules that gave a value and table rows that matched, over every example run.
#[derive(Clone, Debug, Default)]
pub struct Coverage {
    current: Option<u32>,
    pub rules: BTreeSet<(u32, u32)>,
    pub rows: BTreeSet<(u32, u32)>,
}

impl Tracer for &mut Coverage {
    fn enter(&mut self, def: u32) {
        self.current = Some(def);
    }
    fn row(&mut self, table: u32, row: u32) {
        self.rows.insert((table, row));
    }
    fn rules(&mut self, _applicable: u128, winners: u128) {
        if let Some(d) = self.current {
            for k in (0..128u32).filter(|k| winners & (1u128 << k) != 0) {
                self.rules.insert((d, k));
            }
        }
    }
}

/// Something no example exercised.
#[derive(Clone, Debug)]
pub struct Uncovered {
    pub what: Text,
    pub span: Span,
}

impl Program {
    /// Run every example; the coverage collects what they exercised.
    pub fn run_examples(&self, coverage: &mut Coverage) -> Vec<Outcome> {
        let mut out = Vec::new();
        for ex in &self.examples {
            let inputs = self.example_inputs(ex);
            let (results, _) = self.evaluate_with(&inputs, &self.full_order, &mut *coverage);
            let mut mismatches = Vec::new();
            for (d, want) in &ex.expect {
                let Some(def) = self.defs.get(*d as usize) else {
                    continue;
                };
                let expected = self.value_to_text(want, &def.ty);
                let actual = match results.get(*d as usize).cloned().flatten() {
                    Some(Ok(v)) if values_equal(&v, want) => continue,
                    Some(Ok(v)) => self.value_to_text(&v, &def.ty),
                    Some(Err(e)) => {
                        format!("エラー {} ({})", e.code(), e.to_diagnostic().message.ja)
                    }
                    None => "未評価".to_string(),
                };
                mismatches.push(Mismatch {
                    name: def.name.clone(),
                    expected,
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

    /// Every rule and table row of this program, and whether `coverage` saw it. Callers that
    /// test several files merge these by source location: a shared table in `common/` counts as
    /// exercised when an example of any policy that imports it exercised it.
    pub fn coverage_items(&self, coverage: &Coverage) -> Vec<(Uncovered, bool)> {
        let mut out = Vec::new();
        for (d, def) in self.defs.iter().enumerate() {
            for (k, r) in def.rules.iter().enumerate() {
                let (ja, en) = match r.kind {
                    RuleKind::Principle => ("原則", "principle"),
                    RuleKind::Exception => ("例外", "exception"),
                };
                let label = r.label.clone().unwrap_or_default();
                let item = Uncovered {
                    what: Text::new(
                        format!("`{}` の{ja} {label}", def.name),
                        format!("{en} {label} of `{}`", def.name),
                    ),
                    span: r.span,
                };
                out.push((item, coverage.rules.contains(&(d as u32, k as u32))));
            }
        }
        for (t, table) in self.tables.iter().enumerate() {
            for (k, row) in table.rows.iter().enumerate() {
                let item = Uncovered {
                    what: Text::new(
                        format!("表 `{}` の {} 行目", table.name, k + 1),
                        format!("row {} of table `{}`", k + 1, table.name),
                    ),
                    span: row.span,
                };
                out.push((item, coverage.rows.contains(&(t as u32, k as u32))));
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
