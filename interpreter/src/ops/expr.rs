//! What each expression node computes from its operands: one definition for the per-record
//! evaluator (which supplies one evaluation's inputs, definitions, tables and rules through
//! [`Operands`]) and for the checker's constant folding ([`eval_const`], which has none).
//! Operands are evaluated left to right; `と`/`または`, `もし`, `場合` and `既定値` evaluate only the
//! branch taken, so a record's error is the first its own evaluation meets.

use super::error::{fail, EvalError, EvalErrorKind};
use super::{arith, builtins, order, sets, R};
use crate::program::{CExpr, CKind, CRule, DefId, InputId};
use crate::value::Value;
use onshi_grammar::ast::Span;

/// Where the operands of an expression come from.
pub trait Operands {
    /// Evaluates a sub-expression (the evaluator counts its steps and guards the stack here,
    /// then calls [`step`]).
    fn eval(&mut self, e: &CExpr) -> R;
    /// The value of input `i`.
    fn input(&mut self, i: InputId, span: Span) -> R;
    /// The value of definition `i` (its error, if it failed).
    fn def(&mut self, i: DefId, span: Span) -> R;
    /// A lookup in table `t` with the key expressions `args`.
    fn lookup(&mut self, t: u32, args: &[CExpr], span: Span) -> R;
    /// The value of a 原則/例外 definition (`e` is its body).
    fn rules(&mut self, rules: &[CRule], e: &CExpr) -> R;
}

/// `e` evaluated as a truth value.
pub fn truth<O: Operands>(o: &mut O, e: &CExpr) -> Result<bool, EvalError> {
    o.eval(e)?.as_bool().ok_or_else(|| {
        fail(
            EvalErrorKind::Internal("condition is not a truth value"),
            e.span,
        )
    })
}

/// The value of node `e`, its operands evaluated through `o`.
pub fn step<O: Operands>(o: &mut O, e: &CExpr) -> R {
    let span = e.span;
    match &e.kind {
        CKind::Const(v) => Ok(v.clone()),
        CKind::Input(i) => o.input(*i, span),
        CKind::Def(i) => o.def(*i, span),
        CKind::Widen(a) => {
            let v = o.eval(a)?;
            arith::widen(&v, &e.ty).ok_or_else(|| fail(EvalErrorKind::Internal("widen"), span))
        }
        CKind::Unwrap(a) => match o.eval(a)? {
            Value::Absent => Err(fail(EvalErrorKind::Internal("absent value used"), span)),
            v => Ok(v),
        },
        CKind::Field(a, i) => match o.eval(a)? {
            Value::Row(cells) => cells
                .get(*i as usize)
                .cloned()
                .ok_or_else(|| fail(EvalErrorKind::Internal("row column"), span)),
            _ => Err(fail(EvalErrorKind::Internal("field of a non-row"), span)),
        },
        CKind::Call(b, args) => builtins::call(o, b, args, e),
        CKind::Lookup(t, args) => o.lookup(t.0, args, span),
        CKind::Neg(a) => {
            let v = o.eval(a)?;
            arith::neg(&v, &e.ty, span)
        }
        CKind::Not(a) => Ok(Value::Bool(!truth(o, a)?)),
        CKind::And(a, b) => Ok(Value::Bool(truth(o, a)? && truth(o, b)?)),
        CKind::Or(a, b) => Ok(Value::Bool(truth(o, a)? || truth(o, b)?)),
        CKind::Union(a, b) | CKind::Intersect(a, b) => {
            let union = matches!(e.kind, CKind::Union(..));
            match (o.eval(a)?, o.eval(b)?) {
                (Value::Set(x), Value::Set(y)) => Ok(Value::Set(if union {
                    sets::union(x, y)
                } else {
                    sets::intersect(x, y)
                })),
                _ => Err(fail(EvalErrorKind::Internal("set operands"), span)),
            }
        }
        CKind::Arith(op, a, b) => {
            let (x, y) = (o.eval(a)?, o.eval(b)?);
            arith::arith(*op, &x, &y, &e.ty, span)
        }
        CKind::Compare(op, a, b) => {
            let (x, y) = (o.eval(a)?, o.eval(b)?);
            order::compare_op(*op, &x, &y, span).map(Value::Bool)
        }
        CKind::Present(a, want) => {
            let v = o.eval(a)?;
            Ok(Value::Bool(present(&v, *want)))
        }
        CKind::If(branches, otherwise) => {
            for (c, t) in branches {
                if truth(o, c)? {
                    return o.eval(t);
                }
            }
            o.eval(otherwise)
        }
        CKind::Match(s, arms) => {
            let Value::Enum(i) = o.eval(s)? else {
                return Err(fail(EvalErrorKind::Internal("match on a non-enum"), span));
            };
            match sets::arm(arms, i).and_then(|k| arms.get(k)) {
                Some((_, body)) => o.eval(body),
                None => Err(fail(EvalErrorKind::Internal("no match arm"), span)),
            }
        }
        CKind::Rules(rules) => o.rules(rules, e),
        CKind::SetOf(items) => {
            let mut bits = 0u128;
            for item in items {
                bits = match o.eval(item)? {
                    Value::Enum(i) => sets::with(bits, i),
                    Value::Set(m) => Some(sets::union(bits, m)),
                    _ => None,
                }
                .ok_or_else(|| fail(EvalErrorKind::Internal("set element"), span))?;
            }
            Ok(Value::Set(bits))
        }
    }
}

/// `v が ある` (`want`) / `v が ない`.
pub fn present(v: &Value, want: bool) -> bool {
    (*v != Value::Absent) == want
}

/// Evaluates an expression with no inputs, definitions or tables (the checker's constant folding:
/// defaults, table cells, folded subtrees).
pub fn eval_const(ce: &CExpr) -> R {
    Const { depth: 0 }.eval(ce)
}

/// The operands of a constant expression.
struct Const {
    depth: u32,
}

impl Operands for Const {
    fn eval(&mut self, e: &CExpr) -> R {
        // Depth is bounded by the parser; make sure of the stack every 8 levels, as the
        // evaluator does.
        self.depth += 1;
        let r = if self.depth.is_multiple_of(8) {
            onshi_grammar::with_stack(|| step(self, e))
        } else {
            step(self, e)
        };
        self.depth -= 1;
        r
    }

    fn input(&mut self, _: InputId, span: Span) -> R {
        Err(fail(EvalErrorKind::Internal("input slot"), span))
    }

    fn def(&mut self, _: DefId, span: Span) -> R {
        Err(fail(
            EvalErrorKind::Internal("definition not yet evaluated"),
            span,
        ))
    }

    fn lookup(&mut self, _: u32, _: &[CExpr], span: Span) -> R {
        Err(fail(
            EvalErrorKind::Internal("table outside a program"),
            span,
        ))
    }

    fn rules(&mut self, _: &[CRule], e: &CExpr) -> R {
        Err(fail(
            EvalErrorKind::Internal("rules outside a definition"),
            e.span,
        ))
    }
}
