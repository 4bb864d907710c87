//! `onshi diff`: what changed between two editions of a policy, and for whom.
//!
//! [`diff`] compares every output two programs share (by name) over the inputs they share. An
//! input only one side has stays at its default; one without a default is searched too. The search
//! is systematic, then random (a fixed seed, so runs repeat):
//!
//! 1. every combination of the enumeration, 真偽 and set inputs (sets: empty, each singleton, each
//!    named group, everything; optionals also absent) — or, when the product exceeds a quarter of
//!    the budget, a greedy covering array of every pair of their values;
//! 2. the boundary values of every date, amount and integer either policy compares against — the
//!    day before, on and after each date literal; each money literal and cap ±1 yen, and each cap
//!    divided by each rate (the cost at which a cap starts to bind); integer literals ±1 — each
//!    crossed with those combinations (or, past the budget, with a rotation of them and random
//!    contexts);
//! 3. per combination, every amount and date at its largest and at its smallest boundary;
//! 4. seeded random samples.
//!
//! Each difference is shrunk to a minimal witness (inputs reset to their defaults one at a time while
//! the difference persists, amounts lowered to the smallest boundary that keeps it) and grouped by
//! the enumeration and 真偽 inputs that matter at the witness (those for which some other value
//! makes the difference vanish), so a reader sees "補助限度額 changed for 施設種別 = 病院 × 事業 ∈
//! {訪問診療等, 外来診療等}" once, with the number of searched combinations it covers, rather than a
//! thousand rows. Each witness names the rules and table rows responsible on each side (from the
//! [`Recorder`](onshi::trace::Recorder) trace): those whose text differs between the editions,
//! else every one the output used.
//!
//! [`check_assertion`] answers "does this edition ever give a larger value than that one?"
//! (`new.補助額 <= old.補助額`) over the same search, with a shrunk counterexample when it fails.
//!
//! No IO: programs and their sources come in, a [`Report`] (text or JSON) goes out.
//!
//! The modules follow the pipeline: `literals` (what a program compares against) and `space`
//! (the joint input space and its value generators) feed `search` (the points to evaluate) over
//! a `joint` pair of editions; differences are `shrink`-ed to witnesses and grouped in
//! `compare`, explained by `responsible`, and worded in `report` and `schema`; `assertions`
//! checks a comparison over the same search.

mod assertions;
mod compare;
mod joint;
mod literals;
mod prove;
mod report;
mod responsible;
mod rng;
mod schema;
mod search;
mod shrink;
mod space;
#[cfg(test)]
mod tests;

pub use assertions::{
    check_assertion, parse_assertion, AssertOp, AssertReport, Assertion, Counterexample, Operand,
};
pub use compare::diff;
pub use literals::Literals;
pub use prove::{ProofStatus, Proofs};
pub use report::{Change, Condition, Fact, Report, Shown, Witness};
pub use responsible::Responsible;
pub use schema::Schema;

use onshi::program::Program;
use onshi::sources::SourceMap;

/// One edition: its checked program, the sources it was compiled from (for lines and for telling
/// which rules changed), and how to name it in reports (usually its path).
#[derive(Clone, Copy)]
pub struct Edition<'a> {
    pub program: &'a Program,
    pub sources: &'a SourceMap,
    pub label: &'a str,
}

/// How hard to search.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Options {
    /// About how many input combinations the systematic phases may evaluate (each on both sides).
    pub budget: usize,
    /// Random samples after the systematic phases.
    pub samples: usize,
    /// Seed of the random phases: the same seed gives the same report.
    pub seed: u64,
    /// Groups shown per output; further differing combinations are only counted.
    pub max_groups: usize,
    /// Prove each output the search found no change for with a solver on `PATH` (z3, else cvc5;
    /// `ONSHI_SOLVER` picks one or `none`). Without one, the report says "searched, not proved".
    pub prove: bool,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            budget: 20_000,
            samples: 2_000,
            seed: 0x6f6e_7368_6921,
            max_groups: 12,
            prove: true,
        }
    }
}

/// Which edition: an assertion's operand, or the side of the joint input space, a program, a fact
/// or a witness being read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    Old,
    New,
}

impl Side {
    /// The other edition.
    pub fn other(self) -> Side {
        match self {
            Side::Old => Side::New,
            Side::New => Side::Old,
        }
    }

    /// `old` on the old side, `new` on the new one.
    pub fn pick<T>(self, old: T, new: T) -> T {
        match self {
            Side::Old => old,
            Side::New => new,
        }
    }
}
