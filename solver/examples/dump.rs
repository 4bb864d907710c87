//! Debugging aid: `cargo run -p onshi-solver --example dump -- policies/r7/obligation.onshi 1`
//! prints each definition's value and error as z3 computes them for example 1, next to the
//! interpreter's.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use onshi::{compile, Files};
use onshi_solver::encode::eq;
use onshi_solver::{solve, Backend, Encoded, V};
use std::time::Duration;

struct Disk;
impl Files for Disk {
    fn read(&self, path: &str) -> Option<String> {
        std::fs::read_to_string(path).ok()
    }
}

fn terms(v: &V, out: &mut Vec<String>) {
    match v {
        V::Bool(t) | V::Int(t) | V::Real(t) | V::Date(t) | V::Enum(t) => out.push(t.clone()),
        V::Dur(m, d) => out.extend([m.clone(), d.clone()]),
        V::Set(b) => out.extend(b.iter().cloned()),
        V::Opt(p, v) => {
            out.push(p.clone());
            terms(v, out);
        }
        V::Row(c) => c.iter().for_each(|c| terms(c, out)),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let p = compile(&Disk, &args[1]).program.unwrap();
    let n: usize = args[2].parse().unwrap();
    let inputs = p.example_inputs(&p.examples()[n]);
    let mut enc = Encoded::new(&p, "p");
    let mut script = String::new();
    for (i, v) in inputs.iter().enumerate() {
        let ty = p.inputs()[i].ty.clone();
        let c = enc.constant(v, &ty);
        script.push_str(&format!("(assert {})\n", eq(enc.input(i).unwrap(), &c)));
    }
    let results = p
        .evaluator()
        .record_traced(&inputs, p.full_order(), onshi::eval::NoTrace)
        .0;
    for &d in p.full_order() {
        let e = enc.def(d).unwrap().clone();
        let mut ts = Vec::new();
        terms(&e.v, &mut ts);
        ts.extend(e.err.clone());
        let (a, _) = solve(
            Backend::Z3,
            &format!("{}{script}", enc.script),
            &ts,
            Duration::from_secs(10),
        );
        println!(
            "{}: {:?}\n    interpreter: {:?}",
            p.def(d).unwrap().name,
            a,
            results.get(d.index())
        );
    }
}
