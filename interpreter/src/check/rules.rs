//! 原則/例外: definitions written as a principle with (possibly nested) exceptions, as in Catala.
//!
//! Priority: an exception without `>` wins over every principle of its definition; `例外 A > B, C`
//! wins over B and C (and, transitively, over what they win over). At evaluation the applicable
//! rules that no other applicable rule wins over give the value; if they disagree, that is a
//! conflict error naming both rules; if no rule applies, that is an error too.

use super::errors::{CheckError, NameKind};
use super::expr::Lowering;
use super::ops::is_const;
use crate::ops;
use crate::ops::sets::{bit_at, contains_at};
use crate::program::{CExpr, CKind, CRule, RuleInfo};
use crate::types::Type;
use crate::value::Value;
use onshi_grammar::ast::{DefDecl, RuleKind, Span};
use onshi_grammar::suggest;

/// Rules of one definition (bit masks of u128).
pub const MAX_RULES: usize = 128;

impl Lowering<'_> {
    /// Lower the rules of `decl`; returns the body and the rule metadata.
    pub(crate) fn lower_rules(
        &mut self,
        decl: &DefDecl,
        declared: Option<&Type>,
    ) -> (CExpr, Vec<RuleInfo>) {
        let rules = &decl.rules;
        if rules.len() > MAX_RULES {
            self.errors.push(CheckError::TooManyRules {
                span: decl.name.span,
                limit: MAX_RULES,
            });
            return (
                CExpr::constant(Value::Absent, Type::Error, decl.span),
                Vec::new(),
            );
        }
        let mut infos = Vec::new();
        for r in rules {
            let mut errs = Vec::new();
            let cites = self.g.cites(&r.citations, &mut errs);
            self.errors.extend(errs);
            infos.push(RuleInfo {
                kind: r.kind,
                label: r.label.as_ref().map(|l| l.name.clone()),
                cites,
                span: r.span,
            });
        }
        let beats = self.priorities(decl);

        // Conditions are 真偽; values share one type (the declared one, or their join).
        let mut ty = declared.cloned();
        let mut lowered = Vec::new();
        for r in rules {
            let n = self.narrowed.len();
            let condition = r.condition.as_ref().map(|c| {
                let cc = self.check(c, &Type::Bool);
                let facts = self.presence_facts(c, true);
                self.narrowed.extend(facts);
                cc
            });
            let value = self.infer(&r.value, ty.as_ref());
            self.narrowed.truncate(n);
            ty = Some(match &ty {
                None => value.ty.clone(),
                Some(t) => self.join_types(t, &value.ty),
            });
            lowered.push((condition, value));
        }
        let ty = ty.unwrap_or(Type::Error);
        let mut crules = Vec::new();
        for ((condition, value), (r, b)) in lowered.into_iter().zip(rules.iter().zip(beats.iter()))
        {
            let value = self.coerce(value, &ty, &r.value);
            crules.push(CRule {
                condition,
                value,
                beats: *b,
            });
        }
        self.rule_warnings(&crules, rules);
        // The body's span is the definition's name: onshi::eval::no_rule points there.
        let body = CExpr {
            kind: CKind::Rules(crules),
            ty,
            span: decl.name.span,
        };
        (body, infos)
    }

    /// `beats[i]`: the rules rule i wins over, transitively.
    fn priorities(&mut self, decl: &DefDecl) -> Vec<u128> {
        let rules = &decl.rules;
        let principles: u128 = rules
            .iter()
            .enumerate()
            .filter(|(_, r)| r.kind == RuleKind::Principle)
            .fold(0, |m, (i, _)| m | bit_at(i));
        // Labels are unique within a definition.
        let mut labels: Vec<(&str, Span)> = Vec::new();
        for r in rules {
            if let Some(l) = &r.label {
                if let Some((_, first)) = labels.iter().find(|(n, _)| *n == l.name) {
                    self.errors.push(CheckError::Duplicate {
                        span: l.span,
                        name: l.name.clone(),
                        first: *first,
                    });
                } else {
                    labels.push((&l.name, l.span));
                }
            }
        }
        let mut direct: Vec<u128> = Vec::with_capacity(rules.len());
        for r in rules {
            let mut m = 0u128;
            if r.kind == RuleKind::Exception {
                if r.over.is_empty() {
                    m = principles;
                }
                for target in &r.over {
                    match rules
                        .iter()
                        .position(|x| x.label.as_ref().is_some_and(|l| l.name == target.name))
                    {
                        Some(j) => m |= bit_at(j),
                        None => self.errors.push(CheckError::UnknownName {
                            span: target.span,
                            name: target.name.clone(),
                            kind: NameKind::Rule,
                            suggestion: suggest(&target.name, labels.iter().map(|(n, _)| *n)),
                        }),
                    }
                }
            }
            direct.push(m);
        }
        // Transitive closure (at most 128 rules, so a fixed point is reached quickly).
        let mut beats = direct.clone();
        loop {
            let mut changed = false;
            for i in 0..beats.len() {
                let cur = beats.get(i).copied().unwrap_or(0);
                let mut next = cur;
                for (j, d) in beats.iter().enumerate() {
                    if contains_at(cur, j) {
                        next |= d;
                    }
                }
                if next != cur {
                    if let Some(b) = beats.get_mut(i) {
                        *b = next;
                    }
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        // One error per cycle (not one per rule on it), naming the rules around it.
        let mut reported = 0u128;
        for (i, b) in beats.iter().enumerate() {
            let bit = bit_at(i);
            if b & bit == 0 || reported & bit != 0 {
                continue;
            }
            let members = beats
                .iter()
                .enumerate()
                .filter(|(j, bj)| contains_at(*b, *j) && *bj & bit != 0)
                .fold(0u128, |m, (j, _)| m | bit_at(j));
            reported |= members;
            let label = |k: usize| {
                rules
                    .get(k)
                    .and_then(|r| r.label.as_ref())
                    .map(|l| l.name.clone())
                    .unwrap_or_default()
            };
            let cycle = shortest_cycle(i, &direct, members);
            let chain: Vec<(String, Span)> = cycle
                .iter()
                .zip(cycle.iter().cycle().skip(1))
                .map(|(&k, &next)| {
                    let target = label(next);
                    let span = rules
                        .get(k)
                        .and_then(|r| r.over.iter().find(|t| t.name == target))
                        .map(|t| t.span)
                        .or_else(|| rules.get(k).map(|r| r.span))
                        .unwrap_or(decl.span);
                    (label(k), span)
                })
                .collect();
            self.errors.push(CheckError::RuleCycle { chain });
        }
        beats
    }

    /// Warnings the checker can see without facts: a rule that can never win, and two rules of
    /// equal rank that always apply and give different values.
    fn rule_warnings(&mut self, crules: &[CRule], rules: &[onshi_grammar::ast::DefRule]) {
        let always = |r: &CRule| match &r.condition {
            None => true,
            Some(c) => is_const(c) && matches!(ops::eval_const(c), Ok(Value::Bool(true))),
        };
        let never = |r: &CRule| match &r.condition {
            Some(c) => is_const(c) && matches!(ops::eval_const(c), Ok(Value::Bool(false))),
            None => false,
        };
        // Rules that can never give the value (they are not in conflict with anything either).
        let mut dead = 0u128;
        for (i, (r, decl)) in crules.iter().zip(rules.iter()).enumerate() {
            let beaten_by_always = crules
                .iter()
                .enumerate()
                .find(|(j, s)| *j != i && contains_at(s.beats, i) && always(s));
            if never(r) || beaten_by_always.is_some() {
                dead |= bit_at(i);
            }
            if never(r) {
                self.errors.push(CheckError::UnreachableRule {
                    span: decl.span,
                    by: None,
                });
            } else if let Some((j, _)) = beaten_by_always {
                self.errors.push(CheckError::UnreachableRule {
                    span: decl.span,
                    by: rules.get(j).map(|x| x.span),
                });
            }
        }
        for (i, a) in crules.iter().enumerate() {
            for (j, b) in crules.iter().enumerate().skip(i + 1) {
                let same_rank = !contains_at(a.beats, j) && !contains_at(b.beats, i);
                let live = dead & (bit_at(i) | bit_at(j)) == 0;
                if !(same_rank && live && always(a) && always(b)) {
                    continue;
                }
                let (va, vb) = (const_value(&a.value), const_value(&b.value));
                if let (Some(x), Some(y)) = (va, vb) {
                    // Equal as evaluation sees it (1/2 = 50%), so no warning where no conflict is.
                    if !ops::order::values_equal(&x, &y) {
                        if let (Some(ra), Some(rb)) = (rules.get(i), rules.get(j)) {
                            self.errors.push(CheckError::RuleConflict {
                                first: ra.span,
                                second: rb.span,
                            });
                        }
                    }
                }
            }
        }
    }
}

/// The shortest way from rule `start` back to itself along the `>` edges in `direct`, through
/// `members` only: the rules in order (the last one wins over `start`).
fn shortest_cycle(start: usize, direct: &[u128], members: u128) -> Vec<usize> {
    let mut parent: Vec<Option<usize>> = vec![None; direct.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut last = None;
    'search: while let Some(k) = queue.pop_front() {
        let edges = direct.get(k).copied().unwrap_or(0) & members;
        for j in (0..direct.len()).filter(|j| contains_at(edges, *j)) {
            if j == start {
                last = Some(k);
                break 'search;
            }
            if parent.get(j).is_some_and(Option::is_none) {
                if let Some(p) = parent.get_mut(j) {
                    *p = Some(k);
                }
                queue.push_back(j);
            }
        }
    }
    let mut path = Vec::new();
    let mut cur = last;
    while let Some(k) = cur {
        path.push(k);
        if k == start || path.len() > direct.len() {
            break;
        }
        cur = parent.get(k).copied().flatten();
    }
    path.reverse();
    if path.first() != Some(&start) {
        path = vec![start];
    }
    path
}

fn const_value(e: &CExpr) -> Option<Value> {
    if is_const(e) {
        ops::eval_const(e).ok()
    } else {
        None
    }
}
