//! What is timed and how: one warm-up pass over the first records (untimed), then full passes over
//! every record until [`MIN_TIMED`] has passed or [`MAX_RUNS`] passes were made; the best pass
//! counts. Every pass writes each record's [`Answer`] into a slice the driver checks afterwards.

use crate::records::Answer;
use std::time::{Duration, Instant};

/// Records in the untimed warm-up pass (at most; fewer when there are fewer records).
pub const WARMUP_RECORDS: usize = 100_000;
/// Timed passes stop once their total reaches this …
pub const MIN_TIMED: Duration = Duration::from_secs(3);
/// … or after this many passes.
pub const MAX_RUNS: usize = 20;

/// The timing of one engine.
#[derive(Clone, Copy, Debug)]
pub struct Timing {
    pub records: usize,
    /// The fastest full pass.
    pub best: Duration,
    /// Full passes timed.
    pub runs: usize,
    /// Records in the warm-up pass.
    pub warmup: usize,
}

impl Timing {
    pub fn records_per_second(&self) -> f64 {
        self.records as f64 / self.best.as_secs_f64().max(1e-12)
    }

    /// How the time was taken, for the report: the number of full passes and the records of
    /// the warm-up pass before them.
    pub fn method(&self) -> String {
        format!("best of {} (warm-up {})", self.runs, self.warmup)
    }

    /// One tab-separated result line: engine, records, best seconds, records/s, method.
    pub fn tsv(&self, engine: &str) -> String {
        format!(
            "{engine}\t{}\t{:.6}\t{:.0}\t{}",
            self.records,
            self.best.as_secs_f64(),
            self.records_per_second(),
            self.method()
        )
    }
}

/// Time `pass` over `n` records. `pass(start, out)` evaluates records `start..start + out.len()`
/// into `out`. Returns the answers of the last full pass and the timing.
pub fn measure<F>(n: usize, mut pass: F) -> Result<(Vec<Answer>, Timing), String>
where
    F: FnMut(usize, &mut [Answer]) -> Result<(), String>,
{
    let mut answers = vec![Answer::default(); n];
    let warmup = n.min(WARMUP_RECORDS);
    pass(0, &mut answers[..warmup])?;
    let mut best = Duration::MAX;
    let mut total = Duration::ZERO;
    let mut runs = 0;
    while runs < MAX_RUNS && (runs == 0 || total < MIN_TIMED) {
        let start = Instant::now();
        pass(0, &mut answers)?;
        let took = start.elapsed();
        best = best.min(took);
        total += took;
        runs += 1;
    }
    Ok((
        answers,
        Timing {
            records: n,
            best,
            runs,
            warmup,
        },
    ))
}
