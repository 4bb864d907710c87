//! The values of a `(get-value …)` answer: `((x 3) (y (- 2)) (z (/ 1 2)) (b true))`.

use onshi_grammar::num::Num;
use std::collections::HashMap;

#[derive(Clone, Debug, PartialEq)]
enum S {
    Atom(String),
    List(Vec<S>),
}

fn parse(text: &str) -> Option<S> {
    let mut stack: Vec<Vec<S>> = vec![Vec::new()];
    let mut atom = String::new();
    let flush = |atom: &mut String, stack: &mut Vec<Vec<S>>| {
        if !atom.is_empty() {
            if let Some(top) = stack.last_mut() {
                top.push(S::Atom(std::mem::take(atom)));
            }
        }
    };
    for c in text.chars() {
        match c {
            '(' => {
                flush(&mut atom, &mut stack);
                stack.push(Vec::new());
            }
            ')' => {
                flush(&mut atom, &mut stack);
                let done = stack.pop()?;
                stack.last_mut()?.push(S::List(done));
            }
            c if c.is_whitespace() => flush(&mut atom, &mut stack),
            c => atom.push(c),
        }
    }
    flush(&mut atom, &mut stack);
    let mut top = stack.pop()?;
    (top.len() == 1).then(|| top.pop()).flatten()
}

/// A value of the model: a truth value or an exact number.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelValue {
    Bool(bool),
    Num(Num),
}

fn num(s: &S) -> Option<Num> {
    match s {
        S::Atom(a) => {
            if let Some((i, f)) = a.split_once('.') {
                let digits = format!("{i}{f}");
                let n: i128 = digits.parse().ok()?;
                let d = 10i128.checked_pow(u32::try_from(f.len()).ok()?)?;
                Num::new(n, d)
            } else {
                Some(Num::from_int(a.parse().ok()?))
            }
        }
        S::List(items) => match items.as_slice() {
            [S::Atom(op), x] if op == "-" => num(x)?.checked_neg(),
            [S::Atom(op), x, y] if op == "/" => num(x)?.checked_div(num(y)?),
            [S::Atom(op), x] if op == "to_real" => num(x),
            _ => None,
        },
    }
}

/// The name → value map of a `(get-value …)` answer; `None` when it cannot be read.
pub fn values(text: &str) -> Option<HashMap<String, ModelValue>> {
    let S::List(pairs) = parse(text)? else {
        return None;
    };
    let mut out = HashMap::new();
    for p in pairs {
        let S::List(kv) = p else { return None };
        let [S::Atom(k), v] = kv.as_slice() else {
            return None;
        };
        let v = match v {
            S::Atom(a) if a == "true" => ModelValue::Bool(true),
            S::Atom(a) if a == "false" => ModelValue::Bool(false),
            v => ModelValue::Num(num(v)?),
        };
        out.insert(k.clone(), v);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_z3_and_cvc5_values() {
        let v = values("((a 3) (b (- 2)) (c (/ 1 2)) (d true) (e (- (/ 3 4))) (f 2.5))")
            .unwrap_or_default();
        assert_eq!(v.get("a"), Some(&ModelValue::Num(Num::from_int(3))));
        assert_eq!(v.get("b"), Some(&ModelValue::Num(Num::from_int(-2))));
        assert_eq!(v.get("c"), Num::new(1, 2).map(ModelValue::Num).as_ref());
        assert_eq!(v.get("d"), Some(&ModelValue::Bool(true)));
        assert_eq!(v.get("e"), Num::new(-3, 4).map(ModelValue::Num).as_ref());
        assert_eq!(v.get("f"), Num::new(5, 2).map(ModelValue::Num).as_ref());
    }
}
