//! 原則/例外: definitions written as a principle with (possibly nested) exceptions, as in Catala.
//!
//! Priority: an exception without `>` wins over every principle of its definition; `例外 A > B, C`
//! wins over B and C (and, transitively, over what they win over). At evaluation the applicable
//! rules that no other applicable rule wins over give the value; if they disagree, that is a
//! conflict error naming both rules; if no rule applies, that is an error too.

use super::errors::{CheckError, NameKind};
use super::expr::Lowering;
use super::ops::is_const;
use crate::eval;
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
        let body = CExpr {
            kind: CKind::Rules(crules),
            ty,
            span: decl.span,
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
            .fold(0, |m, (i, _)| m | (1u128 << i));
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
                        Some(j) => m |= 1u128 << j,
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
                    if cur & (1u128 << j) != 0 {
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
        for (i, b) in beats.iter().enumerate() {
            if b & (1u128 << i) != 0 {
                if let Some(r) = rules.get(i) {
                    self.errors.push(CheckError::RuleCycle {
                        span: r.label.as_ref().map_or(r.span, |l| l.span),
                        label: r.label.as_ref().map(|l| l.name.clone()).unwrap_or_default(),
                    });
                }
            }
        }
        beats
    }

    /// Warnings the checker can see without facts: a rule that can never win, and two rules of
    /// equal rank that always apply and give different values.
    fn rule_warnings(&mut self, crules: &[CRule], rules: &[onshi_grammar::ast::DefRule]) {
        let always = |r: &CRule| match &r.condition {
            None => true,
            Some(c) => is_const(c) && matches!(eval::eval_const(c), Ok(Value::Bool(true))),
        };
        let never = |r: &CRule| match &r.condition {
            Some(c) => is_const(c) && matches!(eval::eval_const(c), Ok(Value::Bool(false))),
            None => false,
        };
        for (i, (r, decl)) in crules.iter().zip(rules.iter()).enumerate() {
            let beaten_by_always = crules
                .iter()
                .enumerate()
                .find(|(j, s)| *j != i && s.beats & (1u128 << i) != 0 && always(s));
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
                let same_rank = a.beats & (1u128 << j) == 0 && b.beats & (1u128 << i) == 0;
                if !(same_rank && always(a) && always(b)) {
                    continue;
                }
                let (va, vb) = (const_value(&a.value), const_value(&b.value));
                if let (Some(x), Some(y)) = (va, vb) {
                    if x != y {
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

fn const_value(e: &CExpr) -> Option<Value> {
    if is_const(e) {
        eval::eval_const(e).ok()
    } else {
        None
    }
}
