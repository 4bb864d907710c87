//! `csv_baseline`: the hand-written reference for `onshi batch` — reads the records CSV, computes
//! the subsidy with the hand-written function and writes the CSV `onshi batch` writes (the seven
//! outputs, then error_line, error_code, error_field, error_message), streaming: the main thread
//! reads blocks of whole lines and writes the results in order; each block is split into `--jobs`
//! parts that are parsed, computed and formatted on their own threads.
//!
//! Usage: csv_baseline --input records.csv --output out.csv [--jobs N]

use peers::baseline::{subsidy, DEADLINE};
use peers::records::{name, parse_row, CLASSES, COLUMNS};
use std::fmt::Write as _;
use std::io::{BufRead, BufReader, BufWriter, Read, Write};

/// Bytes read, computed and written at a time (whole lines; about 60,000 records).
const BLOCK: usize = 4 << 20;

const HEADER: &str = "補助区分,補助率,補助限度額,対象事業額,申請期限,申請可,補助額,error_line,error_code,error_field,error_message,error_cell,error_help\n";

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
fn cells<'a>(
    line: &'a str,
    positions: &[usize],
    buf: &'a mut csv::StringRecord,
) -> [&'a str; COLUMNS.len()] {
    let mut out = [""; COLUMNS.len()];
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

/// Compute and format the lines of one block (`first_line` is the file line number of its first
/// line). Blank lines are skipped. Returns the number of records.
fn process(block: &[u8], first_line: usize, positions: &[usize], out: &mut String) -> u64 {
    let deadline = format!(
        "{:04}-{:02}-{:02}",
        DEADLINE / 10000,
        DEADLINE / 100 % 100,
        DEADLINE % 100
    );
    let mut quoted = csv::StringRecord::new();
    let mut records = 0;
    for (k, line) in block.split(|&b| b == b'\n').enumerate() {
        let row = match std::str::from_utf8(line) {
            Ok(l) if l.trim().is_empty() => continue,
            Ok(l) => parse_row(cells(l.trim_end_matches('\r'), positions, &mut quoted)),
            Err(_) => Err("not UTF-8".to_string()),
        };
        records += 1;
        match row {
            Ok(r) => {
                let s = subsidy(&r);
                let _ = writeln!(
                    out,
                    "{},{},{},{},{deadline},{},{},,,,,,",
                    name(&CLASSES, s.class),
                    rate_text(s.rate.0, s.rate.1),
                    s.cap,
                    s.cost,
                    // Truth values as `onshi batch` writes them, spreadsheet-style.
                    if s.eligible { "TRUE" } else { "FALSE" },
                    s.amount
                );
            }
            Err(message) => {
                let message = message.replace('"', "\"\"");
                let _ = writeln!(
                    out,
                    ",,,,,,,{},csv_baseline::bad_record,,\"{message}\",,",
                    first_line + k
                );
            }
        }
    }
    records
}

/// A rate as `onshi batch` writes it (a spreadsheet would read `3/4` as a date): the exact
/// decimal (`0.75`), or `n / d` when it has none.
fn rate_text(n: i64, d: i64) -> String {
    let (mut num, mut scale) = (n, 0u32);
    while d != 0 && num % d != 0 && scale < 18 {
        num *= 10;
        scale += 1;
    }
    if d == 0 || num % d != 0 {
        return format!("{n} / {d}");
    }
    let digits = format!("{:0>width$}", num / d, width = scale as usize + 1);
    let (int, frac) = digits.split_at(digits.len() - scale as usize);
    if frac.is_empty() {
        int.to_string()
    } else {
        format!("{int}.{frac}")
    }
}

/// Split `block` (whole lines) into `n` parts of about equal size at line ends.
fn split_lines(block: &[u8], n: usize) -> Vec<&[u8]> {
    let mut parts = Vec::with_capacity(n);
    let mut rest = block;
    for i in 0..n {
        let want = rest.len() / (n - i);
        let cut = match rest
            .get(want..)
            .and_then(|t| t.iter().position(|&b| b == b'\n'))
        {
            Some(p) if i + 1 < n => want + p + 1,
            _ => rest.len(),
        };
        let (part, tail) = rest.split_at(cut);
        parts.push(part);
        rest = tail;
    }
    parts
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
    // One chunk: BLOCK bytes or more of whole lines; the bytes after its last line end wait in
    // `carry` for the next chunk.
    let mut buf: Vec<u8> = Vec::with_capacity(BLOCK + (1 << 16));
    let mut outs: Vec<String> = vec![String::new(); args.jobs];
    loop {
        let mut eof = false;
        while buf.len() < BLOCK && !eof {
            let before = buf.len();
            buf.resize(before + (1 << 20), 0);
            let got = reader.read(&mut buf[before..]).map_err(io)?;
            buf.truncate(before + got);
            eof = got == 0;
        }
        if buf.is_empty() {
            break;
        }
        let end = match buf.iter().rposition(|&b| b == b'\n') {
            Some(p) if !eof => p + 1,
            _ => buf.len(),
        };
        let parts = split_lines(&buf[..end], args.jobs);
        let lines: Vec<usize> = parts
            .iter()
            .map(|part| part.iter().filter(|&&b| b == b'\n').count())
            .collect();
        let firsts: Vec<usize> = lines
            .iter()
            .scan(next_line, |line, n| {
                let first = *line;
                *line += n;
                Some(first)
            })
            .collect();
        let positions = &positions;
        let counts: Vec<u64> = std::thread::scope(|s| {
            let work = parts.iter().zip(&firsts).zip(outs.iter_mut());
            let handles: Vec<_> = work
                .map(|((part, &first), out)| {
                    out.clear();
                    s.spawn(move || process(part, first, positions, out))
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or(0)).collect()
        });
        for out in &outs {
            writer.write_all(out.as_bytes()).map_err(io)?;
        }
        total += counts.iter().sum::<u64>();
        next_line += lines.iter().sum::<usize>();
        buf.drain(..end);
        if eof && buf.is_empty() {
            break;
        }
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
