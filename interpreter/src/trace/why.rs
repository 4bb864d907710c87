//! Why a rule's condition held or did not: the counterfactual side of an explanation. For a
//! condition, the parts that decided its truth value on these facts — for `A と B` that failed, the
//! parts that failed; for `A または B` that failed, every part; for a 真偽 definition, the parts of
//! its body (or the rules that gave its value) — down to the comparisons, with the values they
//! compared (`受診日 2025-12-02 > 健康保険証の使用期限 2025-12-01`). Built after evaluation from the
//! definitions it computed ([`Probe`]), only when an explanation is asked for.

use super::tree::{is_false, japanese};
use crate::eval::{DefResults, Probe};
use crate::ops::rules as winner;
use crate::ops::sets::contains_at;
use crate::program::{CExpr, CKind, CRule, Program};
use crate::schema::{at, At, Citation};
use crate::sources::SourceMap;
use crate::value::Value;
use onshi_grammar::{Lang, Text};
use serde::Serialize;
use serde_json::Value as Json;

/// How deep a reason goes (conditions within definitions within conditions …).
pub const MAX_WHY_DEPTH: usize = 8;
/// How many nodes one rule's reason may have.
const MAX_WHY_NODES: usize = 64;
/// Expression text longer than this (in characters) is cut with `…`.
const MAX_EXPR_CHARS: usize = 120;

/// Why a condition (or a part of one) has the truth value it has.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Why {
    /// The expression as written (blanks and line breaks folded to one space).
    pub expr: String,
    /// Its truth value on these facts.
    pub holds: bool,
    pub at: At,
    /// For a comparison or membership: the operator as written (`≤`, `∈`) …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op: Option<&'static str>,
    /// … and the one that holds between the operands (`>` when `≤` does not hold).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub op_holds: Option<&'static str>,
    /// The values the comparison (or presence test, or built-in) looked at.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operands: Vec<Operand>,
    /// When the expression is a 真偽 definition: its name, line and 出典.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub definition: Option<WhyDef>,
    /// The parts that decided the truth value.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub because: Vec<Why>,
}

/// One value a comparison looked at: a constant as written, or an expression with its value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Operand {
    pub expr: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Json>,
    /// The readable value (Japanese in JSON; see [`super::tree`]).
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "japanese")]
    pub text: Option<Text>,
    /// Written as a literal in the policy (its `expr` is its value).
    #[serde(skip_serializing_if = "is_false")]
    pub constant: bool,
}

/// The definition a part of a reason refers to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WhyDef {
    pub name: String,
    pub at: At,
    pub sources: Vec<Citation>,
    /// When the definition is a reading (解釈): the 案 it was evaluated under and the adopted one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<super::tree::ReadingNote>,
}

/// Builds the reasons of one evaluation's rules.
pub(super) struct Reasons<'a> {
    program: &'a Program,
    sources: &'a SourceMap,
    probe: Probe<'a>,
    budget: usize,
}

impl<'a> Reasons<'a> {
    pub(super) fn new(
        program: &'a Program,
        sources: &'a SourceMap,
        inputs: &'a [Value],
        results: &DefResults,
    ) -> Reasons<'a> {
        Reasons {
            program,
            sources,
            probe: Probe::new(program, inputs, results),
            budget: MAX_WHY_NODES,
        }
    }

    /// Why a rule applied or not: its condition (`もし … ならば`), or for an unconditional rule
    /// whose value is a computed truth value (`原則: オン資 ≠ 未導入`), that value. None for a rule
    /// that is a plain constant, or when the expression cannot be evaluated.
    pub(super) fn of_rule(&mut self, rule: &CRule) -> Option<Why> {
        self.budget = MAX_WHY_NODES;
        match &rule.condition {
            Some(c) => self.why(c, 0),
            None if !is_constant(&rule.value) => self.why(&rule.value, 0),
            None => None,
        }
    }

    fn why(&mut self, e: &CExpr, depth: usize) -> Option<Why> {
        if let CKind::Widen(a) | CKind::Unwrap(a) = &e.kind {
            return self.why(a, depth);
        }
        if self.budget == 0 || depth > MAX_WHY_DEPTH {
            return None;
        }
        self.budget -= 1;
        let holds = self.probe.value(e).ok()?.as_bool()?;
        let mut node = Why {
            expr: self.text(e),
            holds,
            at: at(self.sources, e.span),
            op: None,
            op_holds: None,
            operands: Vec::new(),
            definition: None,
            because: Vec::new(),
        };
        match &e.kind {
            CKind::And(..) | CKind::Or(..) => node.because = self.parts(e, holds, depth),
            CKind::Not(a) => node.because.extend(self.why(a, depth + 1)),
            CKind::Def(d) => {
                let def = self.program.def(*d)?;
                node.definition = Some(WhyDef {
                    name: def.name.clone(),
                    at: at(self.sources, def.span),
                    sources: self.program.citations(&def.cites),
                    reading: super::tree::ReadingNote::of(self.program, *d),
                });
                node.because = self.body(&def.body, holds, depth);
            }
            CKind::Compare(op, a, b) => {
                node.op = Some(op.symbol());
                node.op_holds = Some(if holds {
                    op.symbol()
                } else {
                    op.negated_symbol()
                });
                node.operands = vec![self.operand(a), self.operand(b)];
            }
            CKind::Present(a, _) => node.operands = vec![self.operand(a)],
            CKind::Call(_, args) => {
                node.operands = args.iter().map(|a| self.operand(a)).collect();
            }
            _ => {}
        }
        Some(node)
    }

    /// The parts of a chain of `と` (or of `または`) whose truth value is the chain's: for a
    /// failed `と`, the parts that failed; for a `または` that held, the parts that held; else all.
    fn parts(&mut self, e: &CExpr, holds: bool, depth: usize) -> Vec<Why> {
        let mut leaves = Vec::new();
        flatten(e, &mut leaves);
        leaves
            .into_iter()
            .filter_map(|p| self.why(p, depth + 1))
            .filter(|w| w.holds == holds)
            .collect()
    }

    /// Why a 真偽 definition's body has value `holds`: the parts of a `と`/`または` body, the
    /// rules that decided a 原則/例外 body, or the body itself.
    fn body(&mut self, body: &CExpr, holds: bool, depth: usize) -> Vec<Why> {
        match &body.kind {
            CKind::Widen(a) | CKind::Unwrap(a) => self.body(a, holds, depth),
            CKind::Const(_) => Vec::new(),
            CKind::And(..) | CKind::Or(..) => self.parts(body, holds, depth),
            CKind::Rules(rules) => {
                let mut applicable = 0u128;
                for (i, r) in rules.iter().enumerate() {
                    let applies = match &r.condition {
                        None => true,
                        Some(c) => self
                            .probe
                            .value(c)
                            .ok()
                            .and_then(|v| v.as_bool())
                            .unwrap_or(false),
                    };
                    applicable = winner::applies(applicable, i, applies);
                }
                let winners = winner::winners(rules, applicable);
                // The rules that gave the value: each one's condition, and its value when that is
                // computed (`原則: オン資 ≠ 未導入`). When they are unconditional constants, the
                // value came from no condition holding: the conditions that failed are the reason.
                let mut reasons: Vec<&CExpr> = Vec::new();
                for (i, r) in rules.iter().enumerate() {
                    if contains_at(winners, i) {
                        reasons.extend(r.condition.as_ref());
                        if !is_constant(&r.value) {
                            reasons.push(&r.value);
                        }
                    }
                }
                if reasons.is_empty() {
                    reasons = rules
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| !contains_at(applicable, *i))
                        .filter_map(|(_, r)| r.condition.as_ref())
                        .collect();
                }
                reasons
                    .into_iter()
                    .filter_map(|c| self.why(c, depth + 1))
                    .collect()
            }
            _ => self.why(body, depth + 1).into_iter().collect(),
        }
    }

    fn operand(&mut self, e: &CExpr) -> Operand {
        let inner = match &e.kind {
            CKind::Widen(a) | CKind::Unwrap(a) => a,
            _ => e,
        };
        if let CKind::Const(_) | CKind::SetOf(_) = inner.kind {
            return Operand {
                expr: self.text(e),
                value: None,
                text: None,
                constant: true,
            };
        }
        let v = self.probe.value(e).ok();
        let p = self.program;
        Operand {
            expr: self.text(e),
            value: v.as_ref().map(|v| p.value_to_json(v, &e.ty)),
            text: v.as_ref().map(|v| {
                Text::new(
                    p.value_text(v, &e.ty, Lang::Ja),
                    p.value_text(v, &e.ty, Lang::En),
                )
            }),
            constant: false,
        }
    }

    /// The source text of `e`, comments dropped, blanks folded, cut at [`MAX_EXPR_CHARS`].
    fn text(&self, e: &CExpr) -> String {
        let raw = without_comments(self.sources.snippet(e.span));
        let mut out = String::new();
        for (n, word) in raw.split_whitespace().enumerate() {
            if n > 0 {
                out.push(' ');
            }
            out.push_str(word);
        }
        if out.chars().count() > MAX_EXPR_CHARS {
            out = out.chars().take(MAX_EXPR_CHARS).collect();
            out.push('…');
        }
        out
    }
}

/// `text` without its `#` comments (a `#` inside a "string" is kept). The span of a definition's
/// body runs on over comment lines that follow it.
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        let mut quoted = false;
        for c in line.chars() {
            match c {
                '"' => quoted = !quoted,
                '#' if !quoted => break,
                _ => {}
            }
            out.push(c);
        }
        out.push('\n');
    }
    out
}

/// A literal (through widening): nothing to explain.
fn is_constant(e: &CExpr) -> bool {
    match &e.kind {
        CKind::Const(_) => true,
        CKind::Widen(a) | CKind::Unwrap(a) => is_constant(a),
        _ => false,
    }
}

/// The operands of a chain of the same connective (`A と B と C` → A, B, C), without the
/// connective nodes, in the order written; parentheses are not nodes, so `A と (B と C)` is the same
/// chain. Iterative: a long chain is as deep as it is long.
fn flatten<'e>(e: &'e CExpr, out: &mut Vec<&'e CExpr>) {
    let and = matches!(e.kind, CKind::And(..));
    let mut stack = vec![e];
    while let Some(x) = stack.pop() {
        match &x.kind {
            CKind::And(a, b) if and => stack.extend([&**b, &**a]),
            CKind::Or(a, b) if !and => stack.extend([&**b, &**a]),
            _ => out.push(x),
        }
    }
}
