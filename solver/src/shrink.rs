//! Witnesses an approver can read. A solver's model gives every input some value, and for the
//! inputs that do not matter it picks whatever it likes (a date of 1970, an amount of 7,777 yen).
//! After the interpreter has reproduced a finding, each input is set back, one at a time, to a
//! value a reader expects — its default, else the values the policy's own examples (例) give it,
//! first example first, else (an optional input) absent — and the change is kept when the
//! interpreter still reproduces the same finding. What is left differs from the defaults only
//! where it must.

use onshi::eval::{EvalError, EvalErrorKind, NoTrace};
use onshi::program::Program;
use onshi::value::Value;
use onshi_grammar::ast::Span;
use onshi_grammar::Code;

/// The values tried for input `i`, most expected first: its default, the examples' values, absent
/// for an optional input.
pub fn typical(p: &Program, i: usize) -> Vec<Value> {
    let Some(input) = p.inputs().get(i) else {
        return Vec::new();
    };
    let mut out: Vec<Value> = input.default.iter().cloned().collect();
    for ex in p.examples() {
        for (id, v) in &ex.given {
            if id.index() == i && !out.contains(v) {
                out.push(v.clone());
            }
        }
    }
    if matches!(input.ty, onshi::types::Type::Optional(_)) && !out.contains(&Value::Absent) {
        out.push(Value::Absent);
    }
    out
}

/// `inputs` with each input set back to the first of its [`typical`] values for which `keeps`
/// still holds (two passes: setting one input back may let another go back too).
pub fn shrink(
    p: &Program,
    inputs: Vec<Value>,
    keeps: &mut dyn FnMut(&[Value]) -> bool,
) -> Vec<Value> {
    let mut now = inputs;
    for _ in 0..2 {
        let mut changed = false;
        for i in 0..now.len() {
            for v in typical(p, i) {
                if now.get(i) == Some(&v) {
                    // Already the most expected value that keeps the finding.
                    break;
                }
                let mut q = now.clone();
                if let Some(slot) = q.get_mut(i) {
                    *slot = v;
                }
                if keeps(&q) {
                    now = q;
                    changed = true;
                    break;
                }
            }
        }
        if !changed {
            break;
        }
    }
    dates_together(p, now, keeps)
}

/// The dates no typical value kept (those the model chose) shifted together by the same number of
/// days, so that one lands on a typical date: how they lie to each other is kept (a finding that
/// needs two dates equal moves out of 1970 as a whole).
fn dates_together(
    p: &Program,
    now: Vec<Value>,
    keeps: &mut dyn FnMut(&[Value]) -> bool,
) -> Vec<Value> {
    let free: Vec<usize> = (0..now.len())
        .filter(|&i| match now.get(i) {
            Some(v @ Value::Date(_)) => !typical(p, i).contains(v),
            _ => false,
        })
        .collect();
    if free.len() < 2 {
        return now;
    }
    for &i in &free {
        let Some(Value::Date(from)) = now.get(i).cloned() else {
            continue;
        };
        for to in typical(p, i) {
            let Value::Date(to) = to else { continue };
            let shift = to.signed_duration_since(from);
            let mut q = now.clone();
            for &k in &free {
                if let Some(Value::Date(d)) = q.get_mut(k) {
                    if let Some(moved) = d.checked_add_signed(shift) {
                        *d = moved;
                    }
                }
            }
            if keeps(&q) {
                return q;
            }
        }
    }
    now
}

/// Where an evaluation error is: the spans of the rules in conflict, else its own span.
fn place(e: &EvalError) -> Vec<Span> {
    match &e.kind {
        EvalErrorKind::Conflict { rules, .. } => rules.iter().map(|r| r.span).collect(),
        _ => vec![e.span],
    }
}

/// The first error of code `code` evaluating `inputs` gives.
fn first_error(p: &Program, inputs: &[Value], code: Code) -> Option<EvalError> {
    let results = p
        .evaluator()
        .record_traced(inputs, p.eval_order(), NoTrace)
        .0;
    results.into_iter().flatten().find_map(|r| match r {
        Err(e) if e.entry() == code => Some(e),
        _ => None,
    })
}

/// A reproduced finding's facts, shrunk: the same error (code and place) must still come first.
pub fn finding(
    p: &Program,
    (inputs, error): (Vec<Value>, EvalError),
    code: Code,
) -> (Vec<Value>, EvalError) {
    let at = place(&error);
    let shrunk = shrink(p, inputs.clone(), &mut |q| {
        first_error(p, q, code).is_some_and(|e| place(&e) == at)
    });
    match first_error(p, &shrunk, code) {
        Some(e) => (shrunk, e),
        // Cannot happen (every kept change reproduced it), but never show unchecked facts.
        None => (inputs, error),
    }
}
