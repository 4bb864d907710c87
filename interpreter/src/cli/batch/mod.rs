//! `onshi batch`: evaluate a policy over every record of a JSONL or CSV file, streaming, in chunks
//! spread over `--jobs` threads, writing one output record per input record in the same order.
//! A bad record becomes an error record (line, field, message) and is counted; nothing is dropped.

use super::{fs, print_diagnostics};
use onshi::eval::Scratch;
use onshi::{compile, FactsError, Lang, Program, RunError, Type, Value};
use onshi_grammar::num::Num;
use serde_json::{Map, Value as Json};
use std::collections::HashMap;
use std::io::{BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The policy to evaluate.
    policy: PathBuf,
    /// Records: `.jsonl` (one facts object per line) or `.csv` (columns = input names).
    #[arg(long, short)]
    input: PathBuf,
    /// Where to write the results (`.jsonl` or `.csv`); standard output when omitted, in the
    /// input's format.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Print totals and distributions per output at the end.
    #[arg(long)]
    summary: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Csv,
}

fn format_of(p: &Path) -> Format {
    match p.extension().and_then(|e| e.to_str()) {
        Some("csv") => Format::Csv,
        _ => Format::Jsonl,
    }
}

/// Records are read and evaluated this many at a time (memory stays flat).
const CHUNK: usize = 8192;

/// One input record: its line number and its facts (or why they could not be read).
struct Record {
    line: u64,
    facts: Result<Json, FactsError>,
}

/// One result: the output values, or the error.
type Outcome = Result<Vec<Value>, RunError>;

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let path = fs::display(&args.policy);
    let compiled = compile(&fs::Disk, &path);
    print_diagnostics(&compiled.diagnostics, &compiled.sources, lang);
    let Some(program) = compiled.program else {
        return ExitCode::from(1);
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let in_format = format_of(&args.input);
    let out_format = args.output.as_deref().map_or(in_format, format_of);
    let file = match std::fs::File::open(&args.input) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}: {e}", args.input.display());
            return ExitCode::from(2);
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let progress = progress_bar(size);
    let reader = BufReader::with_capacity(1 << 20, progress.wrap_read(file));
    let sink: Box<dyn Write> = match &args.output {
        Some(p) => match std::fs::File::create(p) {
            Ok(f) => Box::new(f),
            Err(e) => {
                eprintln!("{}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    let mut writer = Writer::new(
        &program,
        out_format,
        BufWriter::with_capacity(1 << 20, sink),
    );
    let mut stats = Summary::new(&program);
    let mut records = match Records::new(&program, in_format, reader) {
        Ok(r) => r,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(1);
        }
    };
    let (mut total, mut failed) = (0u64, 0u64);
    loop {
        let chunk = records.next_chunk(CHUNK);
        if chunk.is_empty() {
            break;
        }
        let outcomes = evaluate_chunk(&program, &chunk, jobs);
        for (record, outcome) in chunk.iter().zip(outcomes.iter()) {
            total += 1;
            if outcome.is_err() {
                failed += 1;
            }
            stats.add(outcome);
            if let Err(e) = writer.write(record.line, outcome) {
                eprintln!("write error: {e}");
                return ExitCode::from(2);
            }
        }
    }
    if let Err(e) = writer.finish() {
        eprintln!("write error: {e}");
        return ExitCode::from(2);
    }
    progress.finish_and_clear();
    let ja = lang == Lang::Ja;
    if args.summary {
        eprint!("{}", stats.render(&program, ja));
    }
    if ja {
        eprintln!(
            "{total} 件を評価: 成功 {} 件、失敗 {failed} 件",
            total - failed
        );
    } else {
        eprintln!(
            "evaluated {total} record(s): {} succeeded, {failed} failed",
            total - failed
        );
    }
    if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn progress_bar(size: u64) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(
        "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} 残り {eta}",
    ) {
        bar.set_style(style);
    }
    bar
}

/// Evaluate a chunk on `jobs` threads; results come back in record order.
fn evaluate_chunk(program: &Program, chunk: &[Record], jobs: usize) -> Vec<Outcome> {
    let per = chunk.len().div_ceil(jobs).max(1);
    if jobs == 1 || chunk.len() < 256 {
        let mut scratch = Scratch::default();
        return chunk
            .iter()
            .map(|r| evaluate(program, r, &mut scratch))
            .collect();
    }
    std::thread::scope(|s| {
        let handles: Vec<_> = chunk
            .chunks(per)
            .map(|part| {
                s.spawn(move || {
                    let mut scratch = Scratch::default();
                    part.iter()
                        .map(|r| evaluate(program, r, &mut scratch))
                        .collect::<Vec<Outcome>>()
                })
            })
            .collect();
        let mut out = Vec::with_capacity(chunk.len());
        for h in handles {
            match h.join() {
                Ok(part) => out.extend(part),
                Err(_) => out.extend(
                    std::iter::repeat_with(|| {
                        Err(RunError::Facts(FactsError::Json {
                            message: "worker thread failed".into(),
                        }))
                    })
                    .take(per),
                ),
            }
        }
        out.truncate(chunk.len());
        out
    })
}

fn evaluate(program: &Program, record: &Record, scratch: &mut Scratch) -> Outcome {
    let facts = record
        .facts
        .as_ref()
        .map_err(|e| RunError::Facts(e.clone()))?;
    let inputs = program.facts_from_json(facts).map_err(RunError::Facts)?;
    program
        .evaluate_in(&inputs, scratch)
        .map_err(RunError::Eval)
}

/// Reads records in chunks, from JSONL or CSV.
enum Records<R: Read> {
    Jsonl {
        lines: std::io::Lines<BufReader<R>>,
        line: u64,
    },
    Csv {
        reader: csv::Reader<BufReader<R>>,
        header: Vec<(String, Option<Type>)>,
        line: u64,
    },
}

impl<R: Read> Records<R> {
    fn new(program: &Program, format: Format, reader: BufReader<R>) -> Result<Self, String> {
        Ok(match format {
            Format::Jsonl => Records::Jsonl {
                lines: reader.lines(),
                line: 0,
            },
            Format::Csv => {
                let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
                let header = reader
                    .headers()
                    .map_err(|e| format!("CSV header: {e}"))?
                    .iter()
                    .map(|h| {
                        let name = h.trim().to_string();
                        let ty = program
                            .inputs
                            .iter()
                            .find(|i| i.name == name)
                            .map(|i| i.ty.clone());
                        (name, ty)
                    })
                    .collect();
                Records::Csv {
                    reader,
                    header,
                    line: 1,
                }
            }
        })
    }

    fn next_chunk(&mut self, n: usize) -> Vec<Record> {
        let mut out = Vec::with_capacity(n);
        while out.len() < n {
            match self {
                Records::Jsonl { lines, line } => {
                    let Some(next) = lines.next() else { break };
                    *line += 1;
                    let facts = match next {
                        Ok(text) if text.trim().is_empty() => continue,
                        Ok(text) => {
                            serde_json::from_str::<Json>(&text).map_err(|e| FactsError::Json {
                                message: e.to_string(),
                            })
                        }
                        Err(e) => Err(FactsError::Json {
                            message: e.to_string(),
                        }),
                    };
                    out.push(Record { line: *line, facts });
                }
                Records::Csv {
                    reader,
                    header,
                    line,
                } => {
                    let mut row = csv::StringRecord::new();
                    *line += 1;
                    match reader.read_record(&mut row) {
                        Ok(false) => break,
                        Ok(true) => out.push(Record {
                            line: *line,
                            facts: Ok(csv_facts(header, &row)),
                        }),
                        Err(e) => out.push(Record {
                            line: *line,
                            facts: Err(FactsError::Json {
                                message: format!("CSV: {e}"),
                            }),
                        }),
                    }
                }
            }
        }
        out
    }
}

/// A CSV row as JSON facts: empty cells are left out (the input's default applies); cells of
/// 真偽, 整数 and set inputs are converted from text; every other cell stays a string, which the
/// facts reader parses by the input's type (和暦, 万円, 75%, …). Unknown columns are kept, so the
/// facts reader reports them.
fn csv_facts(header: &[(String, Option<Type>)], row: &csv::StringRecord) -> Json {
    let mut map = Map::new();
    for ((name, ty), cell) in header.iter().zip(row.iter()) {
        let cell = cell.trim();
        if cell.is_empty() {
            continue;
        }
        let value = match ty.as_ref().map(Type::strip_optional) {
            Some(Type::Bool) => match cell {
                "true" | "真" | "TRUE" | "1" => Json::Bool(true),
                "false" | "偽" | "FALSE" | "0" => Json::Bool(false),
                other => Json::String(other.to_string()),
            },
            Some(Type::Set(_)) => match serde_json::from_str::<Json>(cell) {
                Ok(j @ Json::Array(_)) => j,
                _ => Json::Array(
                    cell.split([';', '、', '|'])
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| Json::String(s.to_string()))
                        .collect(),
                ),
            },
            _ => Json::String(cell.to_string()),
        };
        map.insert(name.clone(), value);
    }
    Json::Object(map)
}

/// Writes results as JSONL (`{"outputs": …}` or `{"error": …}` per line) or CSV (the output
/// columns, then `error_line`, `error_code`, `error_field`, `error_message`).
enum Writer<'p, W: Write> {
    Jsonl {
        program: &'p Program,
        out: W,
    },
    Csv {
        program: &'p Program,
        out: Box<csv::Writer<W>>,
        wrote_header: bool,
    },
}

impl<'p, W: Write> Writer<'p, W> {
    fn new(program: &'p Program, format: Format, out: W) -> Self {
        match format {
            Format::Jsonl => Writer::Jsonl { program, out },
            Format::Csv => Writer::Csv {
                program,
                out: Box::new(csv::Writer::from_writer(out)),
                wrote_header: false,
            },
        }
    }

    fn write(&mut self, line: u64, outcome: &Outcome) -> std::io::Result<()> {
        match self {
            Writer::Csv {
                program: p,
                out: w,
                wrote_header,
            } => {
                if !*wrote_header {
                    let mut head: Vec<String> = p.output_defs().map(|d| d.name.clone()).collect();
                    head.extend(
                        ["error_line", "error_code", "error_field", "error_message"]
                            .map(String::from),
                    );
                    w.write_record(&head)?;
                    *wrote_header = true;
                }
                let mut cells: Vec<String> = Vec::new();
                match outcome {
                    Ok(values) => {
                        for (d, v) in p.output_defs().zip(values.iter()) {
                            cells.push(csv_cell(&p.value_to_json(v, &d.ty)));
                        }
                        cells.extend([String::new(), String::new(), String::new(), String::new()]);
                    }
                    Err(e) => {
                        cells.extend(p.output_defs().map(|_| String::new()));
                        let (code, field, message) = describe(e);
                        cells.extend([line.to_string(), code, field, message]);
                    }
                }
                w.write_record(&cells)?;
                Ok(())
            }
            Writer::Jsonl { program: p, out } => {
                let json = match outcome {
                    Ok(values) => {
                        let mut outputs = Map::new();
                        for (d, v) in p.output_defs().zip(values.iter()) {
                            outputs.insert(d.name.clone(), p.value_to_json(v, &d.ty));
                        }
                        let mut m = Map::new();
                        m.insert("outputs".into(), Json::Object(outputs));
                        Json::Object(m)
                    }
                    Err(e) => {
                        let (code, field, message) = describe(e);
                        serde_json::json!({ "error": { "line": line, "code": code, "field": field, "message": message } })
                    }
                };
                serde_json::to_writer(&mut *out, &json)?;
                out.write_all(b"\n")
            }
        }
    }

    fn finish(&mut self) -> std::io::Result<()> {
        match self {
            Writer::Jsonl { out, .. } => out.flush(),
            Writer::Csv { out, .. } => out.flush(),
        }
    }
}

fn csv_cell(j: &Json) -> String {
    match j {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        Json::Array(items) => items
            .iter()
            .map(|i| i.as_str().map_or_else(|| i.to_string(), str::to_string))
            .collect::<Vec<_>>()
            .join(";"),
        other => other.to_string(),
    }
}

/// (code, field path, message) of a failed record.
fn describe(e: &RunError) -> (String, String, String) {
    let d = e.to_diagnostic();
    let field = match e {
        RunError::Facts(f) => f.path().to_string(),
        RunError::Eval(_) => String::new(),
    };
    (d.code.to_string(), field, d.message.ja.clone())
}

/// Totals per output: counts of each value for enumerations, 真偽, ratios and dates; count, sum,
/// min and max for amounts and whole numbers; and every amount summed per value of every
/// enumeration output (e.g. 補助額 per 補助区分).
struct Summary {
    failed: u64,
    counts: Vec<HashMap<Value, u64>>,
    sums: Vec<Option<Totals>>,
    by: HashMap<(usize, Value, usize), Num>,
}

#[derive(Clone, Copy)]
struct Totals {
    count: u64,
    sum: Num,
    min: Num,
    max: Num,
}

fn amount(v: &Value) -> Option<Num> {
    match v {
        Value::Money(n) => Some(*n),
        Value::Int(i) => Some(Num::from_int(i128::from(*i))),
        _ => None,
    }
}

impl Summary {
    fn new(program: &Program) -> Summary {
        let n = program.outputs.len();
        Summary {
            failed: 0,
            counts: vec![HashMap::new(); n],
            sums: vec![None; n],
            by: HashMap::new(),
        }
    }

    fn add(&mut self, outcome: &Outcome) {
        let Ok(values) = outcome else {
            self.failed += 1;
            return;
        };
        for (i, v) in values.iter().enumerate() {
            match amount(v) {
                Some(n) => {
                    if let Some(slot) = self.sums.get_mut(i) {
                        let t = slot.get_or_insert(Totals {
                            count: 0,
                            sum: Num::ZERO,
                            min: n,
                            max: n,
                        });
                        t.count += 1;
                        t.sum = t.sum.checked_add(n).unwrap_or(t.sum);
                        t.min = t.min.min(n);
                        t.max = t.max.max(n);
                    }
                }
                None => {
                    if let Some(c) = self.counts.get_mut(i) {
                        *c.entry(v.clone()).or_insert(0) += 1;
                    }
                }
            }
        }
        for (g, gv) in values
            .iter()
            .enumerate()
            .filter(|(_, v)| matches!(v, Value::Enum(_)))
        {
            for (k, kv) in values.iter().enumerate() {
                if let Some(n) = amount(kv) {
                    let e = self.by.entry((g, gv.clone(), k)).or_insert(Num::ZERO);
                    *e = e.checked_add(n).unwrap_or(*e);
                }
            }
        }
    }

    fn render(&self, program: &Program, ja: bool) -> String {
        let defs: Vec<_> = program.output_defs().collect();
        let show = |i: usize, v: &Value| {
            defs.get(i)
                .map_or_else(String::new, |d| program.value_to_text(v, &d.ty))
        };
        let money = |i: usize, n: Num| match defs.get(i).map(|d| &d.ty) {
            Some(Type::Money) => program.value_to_text(&Value::Money(n), &Type::Money),
            _ => n.to_string(),
        };
        let (count, sum, min, max) = if ja {
            ("件数", "合計", "最小", "最大")
        } else {
            ("count", "sum", "min", "max")
        };
        let mut out = String::from(if ja { "集計:\n" } else { "summary:\n" });
        for (i, d) in defs.iter().enumerate() {
            if let Some(Some(t)) = self.sums.get(i) {
                out.push_str(&format!(
                    "  {}: {count} {}  {sum} {}  {min} {}  {max} {}\n",
                    d.name,
                    t.count,
                    money(i, t.sum),
                    money(i, t.min),
                    money(i, t.max)
                ));
            }
            if let Some(counts) = self.counts.get(i).filter(|c| !c.is_empty()) {
                let mut parts: Vec<(String, u64)> =
                    counts.iter().map(|(v, n)| (show(i, v), *n)).collect();
                parts.sort();
                let parts: Vec<String> =
                    parts.into_iter().map(|(v, n)| format!("{v} {n}")).collect();
                out.push_str(&format!("  {}: {}\n", d.name, parts.join("、")));
            }
        }
        let mut groups: Vec<(String, String, String, String)> = self
            .by
            .iter()
            .filter_map(|((g, gv, k), total)| {
                let (gd, kd) = (defs.get(*g)?, defs.get(*k)?);
                Some((
                    gd.name.clone(),
                    show(*g, gv),
                    kd.name.clone(),
                    money(*k, *total),
                ))
            })
            .collect();
        groups.sort();
        for (g, gv, k, total) in groups {
            if ja {
                out.push_str(&format!("  {g} = {gv} の {k} {sum}: {total}\n"));
            } else {
                out.push_str(&format!("  {sum} of {k} where {g} = {gv}: {total}\n"));
            }
        }
        if self.failed > 0 {
            out.push_str(&format!(
                "  {}: {}\n",
                if ja { "失敗" } else { "failed" },
                self.failed
            ));
        }
        out
    }
}
