//! `peers`: the side-by-side benchmark of the 令和7年度 subsidy (bench/peers/README.md).
//!
//! ```text
//! peers run <engine> <records.csv> <answers.bin>   time one engine, write its answers
//! peers check <records.csv> <baseline.bin> <answers.bin> [engine]   compare every record
//! peers jsonlogic                                  print the JSONLogic rule
//! ```
//! Engines: native (the hand-written function), onshi, datalogic, rhai, zen. `run` prints one
//! tab-separated line on standard output: engine, records, best seconds, records/s, method.

use peers::records::{load_csv, read_answers, write_answers, Answer, Record, CLASSES};
use peers::{engines, harness};
use std::path::Path;
use std::process::ExitCode;

type EngineRun = fn(&[Record]) -> Result<(Vec<Answer>, harness::Timing), String>;

fn engine(name: &str) -> Option<EngineRun> {
    Some(match name {
        "native" => engines::native::run,
        "onshi" => engines::onshi::run,
        "datalogic" => engines::datalogic::run,
        "rhai" => engines::rhai::run,
        "zen" => engines::zen::run,
        _ => return None,
    })
}

fn run(name: &str, records: &Path, answers: &Path) -> Result<(), String> {
    let run = engine(name).ok_or_else(|| format!("unknown engine {name}"))?;
    let records = load_csv(records)?;
    let (out, timing) = run(&records)?;
    write_answers(answers, &out)?;
    println!("{}", timing.tsv(name));
    eprintln!(
        "{name}: {:.0} records/s ({} records, best {:.3} s; {})",
        timing.records_per_second(),
        timing.records,
        timing.best.as_secs_f64(),
        timing.method()
    );
    Ok(())
}

fn show(a: &Answer) -> String {
    format!(
        "補助額 {}, 申請可 {}, 補助区分 {}",
        a.amount,
        a.eligible,
        CLASSES.get(usize::from(a.class)).copied().unwrap_or("?")
    )
}

/// Compare an engine's answers with the baseline's on every record.
fn check(records: &Path, baseline: &Path, answers: &Path, name: &str) -> Result<bool, String> {
    let expected = read_answers(baseline)?;
    let actual = read_answers(answers)?;
    if expected.len() != actual.len() {
        println!(
            "{name}: FAILED: {} answers, the baseline has {}",
            actual.len(),
            expected.len()
        );
        return Ok(false);
    }
    let Some(i) = expected.iter().zip(&actual).position(|(e, a)| e != a) else {
        println!("{name}: all {} answers equal the baseline's", actual.len());
        return Ok(true);
    };
    let records = load_csv(records)?;
    println!(
        "{name}: FAILED: record {} (data line {}) differs",
        i + 1,
        i + 2
    );
    if let Some(r) = records.get(i) {
        println!("  facts:    {}", r.to_json());
    }
    if let (Some(e), Some(a)) = (expected.get(i), actual.get(i)) {
        println!("  baseline: {}", show(e));
        println!("  {name}: {}", show(a));
    }
    Ok(false)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["run", name, records, answers] => {
            run(name, Path::new(records), Path::new(answers)).map(|()| true)
        }
        ["check", records, baseline, answers] => check(
            Path::new(records),
            Path::new(baseline),
            Path::new(answers),
            "answers",
        ),
        ["check", records, baseline, answers, name] => check(
            Path::new(records),
            Path::new(baseline),
            Path::new(answers),
            name,
        ),
        ["jsonlogic"] => {
            println!("{:#}", engines::datalogic::rule());
            Ok(true)
        }
        _ => Err("usage: peers run <native|onshi|datalogic|rhai|zen> <records.csv> <answers.bin>\n       peers check <records.csv> <baseline.bin> <answers.bin> [engine]\n       peers jsonlogic".into()),
    };
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("peers: {e}");
            ExitCode::from(2)
        }
    }
}
