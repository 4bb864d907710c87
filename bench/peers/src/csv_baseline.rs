//! `csv_baseline`: the hand-written reference for `onshi batch` — reads the records CSV, computes
//! the subsidy with the hand-written function and writes the CSV `onshi batch` writes (the seven
//! outputs, then error_line, error_code, error_field, error_message), streaming in chunks whose
//! lines are parsed, computed and formatted on `--jobs` threads and written in order.
//!
//! Usage: csv_baseline --input records.csv --output out.csv [--jobs N]

use peers::baseline::{subsidy, DEADLINE};
use peers::records::{name, parse_row, CLASSES, COLUMNS};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, BufWriter, Write};

/// Lines read, computed and written at a time.
const CHUNK: usize = 16_384;

const HEADER: &str = "補助区分,補助率,補助限度額,対象事業額,申請期限,申請可,補助額,error_line,error_code,error_field,error_message\n";

struct Args {
    input: String,
    output: String,
    jobs: usize,
}

fn args() -> Result<Args, String> {
    let (mut input, mut output, mut jobs) = (None, None, 1);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().ok_or(format!("{a} needs a value"));
        match a.as_str() {
            "--input" | "-i" => input = Some(value()?),
            "--output" | "-o" => output = Some(value()?),
            "--jobs" | "-j" => jobs = value()?.parse().map_err(|_| "--jobs: not a number")?,
            _ => return Err(format!("unknown argument {a}")),
        }
    }
    Ok(Args {
        input: input.ok_or("--input is required")?,
        output: output.ok_or("--output is required")?,
        jobs: jobs.max(1),
    })
}

/// For each of [`COLUMNS`], its position in the file's header.
fn column_positions(header: &str) -> Result<Vec<usize>, String> {
    let cells: Vec<&str> = header.trim_end().split(',').map(str::trim).collect();
    COLUMNS
        .iter()
        .map(|c| {
            cells
                .iter()
                .position(|h| h == c)
                .ok_or(format!("the header has no column {c}"))
        })
        .collect()
}

/// The cells of one data line, in [`COLUMNS`] order (quoted cells through the csv crate).
fn cells<'a>(line: &'a str, positions: &[usize], buf: &'a mut csv::StringRecord) -> [&'a str; 8] {
    let mut out = [""; 8];
    if line.contains('"') {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line.as_bytes());
        if !matches!(reader.read_record(buf), Ok(true)) {
            buf.clear();
        }
        let row: &'a csv::StringRecord = buf;
        for (slot, &p) in out.iter_mut().zip(positions) {
            *slot = row.get(p).unwrap_or("");
        }
        return out;
    }
    let mut split = [""; 16];
    for (slot, cell) in split.iter_mut().zip(line.split(',')) {
        *slot = cell;
    }
    for (slot, &p) in out.iter_mut().zip(positions) {
        *slot = split.get(p).copied().unwrap_or("");
    }
    out
}

/// Compute and format the lines of one block (`first_line` is the file line number of the first).
fn process(block: &str, first_line: usize, positions: &[usize], out: &mut String) {
    let deadline = format!(
        "{:04}-{:02}-{:02}",
        DEADLINE / 10000,
        DEADLINE / 100 % 100,
        DEADLINE % 100
    );
    let mut quoted = csv::StringRecord::new();
    for (k, line) in block.lines().enumerate() {
        match parse_row(cells(line, positions, &mut quoted)) {
            Ok(r) => {
                let s = subsidy(&r);
                let _ = writeln!(
                    out,
                    "{},{}/{},{},{},{deadline},{},{},,,,",
                    name(&CLASSES, s.class),
                    s.rate.0,
                    s.rate.1,
                    s.cap,
                    s.cost,
                    s.eligible,
                    s.amount
                );
            }
            Err(message) => {
                let message = message.replace('"', "\"\"");
                let _ = writeln!(
                    out,
                    ",,,,,,,{},csv_baseline::bad_record,,\"{message}\"",
                    first_line + k
                );
            }
        }
    }
}

fn run(args: &Args) -> Result<u64, String> {
    let input = std::fs::File::open(&args.input).map_err(|e| format!("{}: {e}", args.input))?;
    let output =
        std::fs::File::create(&args.output).map_err(|e| format!("{}: {e}", args.output))?;
    let mut reader = BufReader::with_capacity(1 << 20, input);
    let mut writer = BufWriter::with_capacity(1 << 20, output);
    let io = |e: std::io::Error| e.to_string();
    let mut header = String::new();
    reader.read_line(&mut header).map_err(io)?;
    let positions = column_positions(&header)?;
    writer.write_all(HEADER.as_bytes()).map_err(io)?;
    let (mut next_line, mut total) = (2usize, 0u64);
    // One chunk: its lines back to back in `block`; `ends[i]` is where line i ends.
    let mut block = String::new();
    let mut ends: Vec<usize> = Vec::with_capacity(CHUNK);
    let mut parts: Vec<String> = vec![String::new(); args.jobs];
    loop {
        block.clear();
        ends.clear();
        while ends.len() < CHUNK {
            let before = block.len();
            if reader.read_line(&mut block).map_err(io)? == 0 {
                break;
            }
            if block[before..].trim().is_empty() {
                block.truncate(before);
                continue;
            }
            ends.push(block.len());
        }
        if ends.is_empty() {
            break;
        }
        let per = ends.len().div_ceil(args.jobs);
        std::thread::scope(|s| {
            let mut from = 0;
            for (i, out) in parts.iter_mut().enumerate().take(ends.len().div_ceil(per)) {
                let last = ((i + 1) * per).min(ends.len()) - 1;
                let to = ends.get(last).copied().unwrap_or(block.len());
                let (text, positions) = (&block[from..to], &positions);
                let first = next_line + i * per;
                from = to;
                out.clear();
                if args.jobs == 1 {
                    process(text, first, positions, out);
                } else {
                    s.spawn(move || process(text, first, positions, out));
                }
            }
        });
        for out in parts.iter().take(ends.len().div_ceil(per)) {
            writer.write_all(out.as_bytes()).map_err(io)?;
        }
        next_line += ends.len();
        total += ends.len() as u64;
    }
    writer.flush().map_err(io)?;
    Ok(total)
}

fn main() -> std::process::ExitCode {
    match args().and_then(|a| run(&a)) {
        Ok(total) => {
            eprintln!("csv_baseline: {total} records");
            std::process::ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("csv_baseline: {e}");
            std::process::ExitCode::from(2)
        }
    }
}
