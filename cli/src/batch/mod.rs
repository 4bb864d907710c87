//! `onshi batch`: evaluate a policy over every record of a JSONL or CSV file, streaming, in chunks
//! spread over `--jobs` threads, writing one output record per input record in the same order.
//! A bad record becomes an error record (line, every bad cell with its code, field, spreadsheet
//! cell, message and help) and is counted; nothing is dropped. Columns (CSV, sheets) and fields
//! (JSONL) that are not inputs, and not close to one, are carried into the results unchanged.

//!
//! The reading thread only cuts the input into blocks of whole records ([`cut`]); `--jobs`
//! workers each take a block, split it into records ([`split`]), parse them into input values,
//! evaluate them by columns (`Evaluator::chunk`: the tree is walked once per
//! [`RECORDS`] records) and format the results into bytes; the main thread writes the blocks'
//! bytes in input order. A bounded number of blocks is in flight, so memory stays flat.

mod cut;
mod encoding;
mod read;
mod sheet;
mod split;
mod summary;
mod write;
mod xlsx;

use crate::fs;
use cut::{Block, Cutter};
use encoding::{InputEncoding, OutputEncoding};
use onshi::eval::Columns;
use onshi::facts::CsvColumns;
use onshi::{compile_with, EvalError, EvalErrorKind, Lang, Program};
use onshi_cli::render::print_diagnostics;
use split::Rec;
use std::collections::BTreeSet;
use std::io::{BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use summary::Summary;
use write::{Carried, Failure, Target};
use xlsx::{XCell, XlsxOut};

#[derive(clap::Args)]
pub struct Args {
    /// The policy to evaluate.
    policy: PathBuf,
    /// Records: `.jsonl` (one facts object per line), `.csv` (columns = input names), or a
    /// spreadsheet `.xlsx`/`.xlsm`/`.xls`/`.ods` (first row = input names).
    #[arg(long, short)]
    input: PathBuf,
    /// The input's text encoding: detected (UTF-8 with or without a BOM, else CP932), or given.
    #[arg(long, value_enum, default_value = "auto")]
    encoding: InputEncoding,
    /// The sheet of a spreadsheet input (default: the first).
    #[arg(long, value_name = "NAME")]
    sheet: Option<String>,
    /// The results' encoding: utf-8-bom or cp932 for Excel users. A value CP932 cannot represent
    /// makes its record an error record (code batch::unrepresentable), never a `?`. Default:
    /// utf-8-bom for a `.csv` file when the input was CP932, UTF-8 with a BOM or a workbook, else
    /// utf-8.
    #[arg(long, value_enum)]
    output_encoding: Option<OutputEncoding>,
    /// Where to write the results (`.jsonl`, `.csv` or `.xlsx`); standard output when omitted,
    /// in the input's format (CSV for a workbook).
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Worker threads (default: all cores).
    #[arg(long, short)]
    jobs: Option<usize>,
    /// Print totals and distributions per output at the end (with `--output results.xlsx`, also
    /// as a second sheet).
    #[arg(long)]
    summary: bool,
    /// What a workbook input may inflate to, in bytes (default 256 MiB); past it the workbook
    /// is refused (onshi::limit::workbook).
    #[arg(long, value_name = "BYTES", default_value_t = sheet::DEFAULT_MAX_BYTES)]
    max_workbook_bytes: u64,
    #[command(flatten)]
    readings: crate::readings::ReadingArgs,
    #[command(flatten)]
    limits: crate::options::LimitArgs,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Jsonl,
    Csv,
    Xlsx,
}

fn format_of(p: &Path) -> Format {
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("csv") => Format::Csv,
        Some("xlsx") => Format::Xlsx,
        _ => Format::Jsonl,
    }
}

/// Spreadsheet rows handed to a worker at a time.
const ROWS: usize = 8192;

/// Records a worker evaluates together (`Evaluator::chunk`).
const RECORDS: usize = 1024;

/// What a worker gives back for a block.
struct Done {
    bytes: Vec<u8>,
    rows: Vec<Vec<XCell>>,
    records: u64,
    failed: u64,
    summary: Option<Summary>,
    /// JSONL: the fields carried.
    carried: BTreeSet<String>,
}

/// Where the results go.
enum Out<W: Write> {
    Bytes(W),
    Xlsx(Box<XlsxOut>),
}

/// The input as the reading thread has it.
enum Source {
    Cut(Cutter<Box<dyn Read + Send>>),
    Sheet(sheet::Sheet),
}

/// A worker's piece of work.
enum Job {
    Block(Block),
    Rows(Vec<sheet::Row>),
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let path = fs::display(&args.policy);
    let compiled = compile_with(&fs::Disk, &path, &args.limits.limits());
    print_diagnostics(&compiled.diagnostics, &compiled.sources, lang);
    let Some(program) = compiled.program else {
        return ExitCode::from(1);
    };
    let program = match args.readings.apply(program, &compiled.sources, lang) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let sheet_in = sheet::is_sheet(&args.input);
    let csv_in = sheet_in || format_of(&args.input) == Format::Csv;
    let target = match args.output.as_deref().map(format_of) {
        Some(Format::Csv) => Target::Csv,
        Some(Format::Xlsx) => Target::Xlsx,
        Some(Format::Jsonl) => Target::Jsonl,
        None if csv_in => Target::Csv,
        None => Target::Jsonl,
    };
    let progress;
    let mut decoded = encoding::Decoded::default();
    let (source, header) = if sheet_in {
        progress = indicatif::ProgressBar::hidden();
        match sheet::open(&args.input, args.sheet.as_deref(), args.max_workbook_bytes) {
            Ok((header, rows)) => (Source::Sheet(rows), header),
            Err(e) => {
                return match e.to_diagnostic() {
                    Some(d) => {
                        print_diagnostics(&[d], &compiled.sources, lang);
                        ExitCode::from(1)
                    }
                    None => {
                        eprintln!("{e}");
                        ExitCode::from(2)
                    }
                };
            }
        }
    } else {
        let file = match std::fs::File::open(&args.input) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("{}: {e}", args.input.display());
                return ExitCode::from(2);
            }
        };
        let size = file.metadata().map(|m| m.len()).unwrap_or(0);
        progress = progress_bar(size, lang);
        let raw = BufReader::with_capacity(1 << 20, progress.wrap_read(file));
        let text = match encoding::decode(raw, args.encoding) {
            Ok((text, d)) => {
                decoded = d;
                text
            }
            Err(e) => {
                eprintln!("{}: {e}", args.input.display());
                return ExitCode::from(2);
            }
        };
        if csv_in {
            match Cutter::csv(text) {
                Ok((cut, header)) => (Source::Cut(cut), header),
                Err(msg) => {
                    eprintln!("{msg}");
                    return ExitCode::from(1);
                }
            }
        } else {
            (Source::Cut(Cutter::jsonl(text)), Vec::new())
        }
    };
    let columns = program.csv_columns(&header);
    let carried: Vec<String> = columns.carried().map(|(_, n)| n.to_string()).collect();
    if !carried.is_empty() {
        say_carried(&carried, lang);
    }
    // Japanese Excel opens UTF-8 without a BOM as CP932 (garbled): an office's file gets one.
    let encoding = args.output_encoding.unwrap_or(
        if target == Target::Csv
            && args.output.is_some()
            && (decoded.lossy || decoded.bom || sheet_in)
        {
            OutputEncoding::Utf8Bom
        } else {
            OutputEncoding::Utf8
        },
    );
    let mut out = match (&args.output, target) {
        (Some(p), Target::Xlsx) => match XlsxOut::new(&write::header(&program, &carried), lang) {
            Ok(x) => Out::Xlsx(Box::new(x)),
            Err(e) => {
                eprintln!("{}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        (Some(p), _) => match std::fs::File::create(p) {
            Ok(f) => Out::Bytes(BufWriter::with_capacity(
                1 << 20,
                Box::new(f) as Box<dyn Write>,
            )),
            Err(e) => {
                eprintln!("{}: {e}", p.display());
                return ExitCode::from(2);
            }
        },
        (None, _) => Out::Bytes(BufWriter::with_capacity(
            1 << 20,
            Box::new(std::io::stdout().lock()) as Box<dyn Write>,
        )),
    };
    let mut stats = args.summary.then(|| Summary::new(&program));
    let work = Work {
        program: &program,
        columns: &columns,
        carried: &carried,
        csv_in,
        target,
        lossy: decoded.lossy,
        summary: args.summary,
        lang,
        encoding,
    };
    let counts = pump(source, work, jobs, &mut out, stats.as_mut());
    let (total, failed, keys) = match counts {
        Ok(c) => c,
        Err(e) => {
            eprintln!("write error: {e}");
            return ExitCode::from(2);
        }
    };
    let rendered = stats.as_ref().map(|s| s.render(&program, lang));
    let finished = match out {
        Out::Bytes(mut w) => w.flush(),
        Out::Xlsx(mut x) => {
            let summary = match &rendered {
                Some(text) => x.summary(text, lang),
                None => Ok(()),
            };
            match (summary, &args.output) {
                (Err(e), _) => Err(e),
                (Ok(()), Some(p)) => x.save(p),
                (Ok(()), None) => Ok(()),
            }
        }
    };
    if let Err(e) = finished {
        eprintln!("write error: {e}");
        return ExitCode::from(2);
    }
    progress.finish_and_clear();
    if !keys.is_empty() {
        let keys: Vec<String> = keys.into_iter().collect();
        say_carried(&keys, lang);
    }
    if let Some(text) = &rendered {
        eprint!("{text}");
    }
    if lang == Lang::Ja {
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

/// Says once, on standard error, which columns or fields are carried into the results.
fn say_carried(names: &[String], lang: Lang) {
    match lang {
        Lang::Ja => eprintln!("入力でない列をそのまま結果に写します: {}", names.join("、")),
        Lang::En => eprintln!(
            "columns that are not inputs, carried into the results unchanged: {}",
            names.join(", ")
        ),
    }
}

/// Records, failed records, and the JSONL fields carried.
type Counts = (u64, u64, BTreeSet<String>);

/// Cuts the input on one thread, works on `jobs` threads and writes the blocks' results in
/// order.
fn pump<W: Write>(
    source: Source,
    work: Work<'_>,
    jobs: usize,
    out: &mut Out<W>,
    stats: Option<&mut Summary>,
) -> std::io::Result<Counts> {
    if let Out::Bytes(out) = out {
        if work.encoding == OutputEncoding::Utf8Bom && work.target != Target::Xlsx {
            out.write_all(b"\xEF\xBB\xBF")?;
        }
        if work.target == Target::Csv {
            out.write_all(&encoding::encode(
                write::csv_header(work.program, if work.csv_in { work.carried } else { &[] })?,
                work.encoding,
            )?)?;
        }
    }
    type Reply = SyncSender<std::io::Result<Done>>;
    // Jobs wait for a worker; their answers are written in the order they were cut. At most
    // 2 × jobs + 2 blocks are in flight: memory stays flat.
    let (work_tx, work_rx) = sync_channel::<(Job, Reply)>(jobs);
    let (order_tx, order_rx) = sync_channel::<Receiver<std::io::Result<Done>>>(jobs + 1);
    let work_rx = Mutex::new(work_rx);
    std::thread::scope(|s| {
        s.spawn(move || {
            let send = |job: Job| {
                let (tx, rx) = sync_channel(1);
                order_tx.send(rx).is_ok() && work_tx.send((job, tx)).is_ok()
            };
            match source {
                Source::Cut(mut cut) => {
                    while let Some(block) = cut.next_block() {
                        if !send(Job::Block(block)) {
                            break;
                        }
                    }
                }
                Source::Sheet(sheet::Sheet::Stream(stream)) => {
                    stream.each(ROWS, |rows| send(Job::Rows(rows)));
                }
                Source::Sheet(sheet::Sheet::Rows(rows)) => {
                    let mut rows = rows.into_iter().peekable();
                    while rows.peek().is_some() {
                        if !send(Job::Rows(rows.by_ref().take(ROWS).collect())) {
                            break;
                        }
                    }
                }
            }
        });
        for _ in 0..jobs {
            let work_rx = &work_rx;
            s.spawn(move || loop {
                let next = match work_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok((job, reply)) = next else { return };
                let _ = reply.send(work.job(job));
            });
        }
        write_in_order(order_rx, out, stats)
    })
}

/// Writes each block's bytes or rows as its answer arrives, in input order.
fn write_in_order<W: Write>(
    order: Receiver<Receiver<std::io::Result<Done>>>,
    out: &mut Out<W>,
    mut stats: Option<&mut Summary>,
) -> std::io::Result<Counts> {
    let (mut total, mut failed, mut keys) = (0u64, 0u64, BTreeSet::new());
    for answer in order {
        let done = answer
            .recv()
            .map_err(|_| std::io::Error::other("worker thread failed"))??;
        total += done.records;
        failed += done.failed;
        keys.extend(done.carried);
        if let (Some(stats), Some(part)) = (stats.as_deref_mut(), done.summary) {
            stats.merge(part);
        }
        match out {
            Out::Bytes(w) => w.write_all(&done.bytes)?,
            Out::Xlsx(x) => x.write_rows(done.rows)?,
        }
    }
    Ok((total, failed, keys))
}

fn progress_bar(size: u64, lang: Lang) -> indicatif::ProgressBar {
    if !std::io::stderr().is_terminal() {
        return indicatif::ProgressBar::hidden();
    }
    let bar = indicatif::ProgressBar::new(size);
    if let Ok(style) = indicatif::ProgressStyle::with_template(match lang {
        Lang::Ja => "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} 残り {eta}",
        Lang::En => "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta} left",
    }) {
        bar.set_style(style);
    }
    bar
}

/// What every worker shares.
#[derive(Clone, Copy)]
struct Work<'p> {
    program: &'p Program,
    columns: &'p CsvColumns,
    /// The carried columns' names (CSV and sheet input).
    carried: &'p [String],
    csv_in: bool,
    target: Target,
    /// The input was decoded from CP932 (U+FFFD marks bytes that were not CP932).
    lossy: bool,
    summary: bool,
    /// The language of error records' messages.
    lang: Lang,
    encoding: OutputEncoding,
}

impl<'p> Work<'p> {
    /// One block or run of rows: split, parse, evaluate by columns, format.
    fn job(self, job: Job) -> std::io::Result<Done> {
        let mut w = Worker {
            work: self,
            reader: read::Reader::new(self.program, self.columns),
            part: write::Part::new(
                self.program,
                self.target,
                if self.csv_in { self.carried } else { &[] },
                self.lang,
                self.encoding == OutputEncoding::Cp932,
            ),
            columns: Columns::new(self.program),
            slots: Vec::with_capacity(RECORDS),
            summary: self.summary.then(|| Summary::new(self.program)),
            records: 0,
            failed: 0,
            keys: BTreeSet::new(),
        };
        match &job {
            Job::Block(block) => {
                split::each(block, self.csv_in, self.lossy, |line, rec| w.add(line, rec))?
            }
            Job::Rows(rows) => {
                for (line, row) in rows {
                    let rec = match row {
                        Ok(row) => Rec::Row(row),
                        Err(e) => Rec::Broken(e.clone()),
                    };
                    w.add(*line, rec)?;
                }
            }
        }
        w.flush()?;
        Ok(Done {
            bytes: w.part.take_bytes()?,
            rows: w.part.take_rows(),
            records: w.records,
            failed: w.failed,
            summary: w.summary,
            carried: w.keys,
        })
    }
}

/// A worker's state over one job: records are parsed into `columns` and evaluated together.
struct Worker<'p> {
    work: Work<'p>,
    reader: read::Reader<'p>,
    part: write::Part<'p>,
    columns: Columns,
    /// Per record: its line, its carried cells and its row in `columns`, or why it has none.
    slots: Vec<(u64, Carried, Result<usize, Vec<Failure>>)>,
    summary: Option<Summary>,
    records: u64,
    failed: u64,
    /// JSONL: the fields carried.
    keys: BTreeSet<String>,
}

impl Worker<'_> {
    fn add(&mut self, line: u64, rec: Rec<'_>) -> std::io::Result<()> {
        let k = self.columns.len();
        let mut carried = Carried::None;
        let work = self.work;
        let slot = self
            .reader
            .read(rec, &mut self.columns, &mut carried)
            .map(|()| k)
            .map_err(|errors| {
                let locate = |path: &str| {
                    if !work.csv_in {
                        return None;
                    }
                    work.columns
                        .column_of(path)
                        .map(|(c, name)| (c, name.to_string()))
                };
                // In the row's order, as a spreadsheet shows the cells.
                let mut located: Vec<(usize, Failure)> = errors
                    .iter()
                    .map(|e| {
                        let col = locate(e.path()).map_or(usize::MAX, |(c, _)| c);
                        (col, write::facts_failure(e, line, work.lang, locate))
                    })
                    .collect();
                located.sort_by_key(|(col, _)| *col);
                located.into_iter().map(|(_, f)| f).collect()
            });
        if let Carried::Json(fields) = &carried {
            if self.keys.len() < 1000 {
                self.keys.extend(fields.keys().cloned());
            }
        }
        self.slots.push((line, carried, slot));
        self.records += 1;
        if self.slots.len() >= RECORDS {
            self.flush()?;
        }
        Ok(())
    }

    /// Evaluates the records parsed so far (small enough that every column stays in cache) and
    /// formats their results.
    fn flush(&mut self) -> std::io::Result<()> {
        if self.slots.is_empty() {
            return Ok(());
        }
        let program = self.work.program;
        let columns = std::mem::replace(&mut self.columns, Columns::new(program));
        let results = program.evaluator().chunk(&columns);
        let part = &mut self.part;
        let lang = self.work.lang;
        for (line, carried, slot) in self.slots.drain(..) {
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(vec![write::eval_failure(e, lang)]),
                None => Ok(k),
            });
            let ok = match self.summary.as_mut() {
                None => match outcome {
                    Ok(k) => part.write_record(line, &carried, |o| results.value(o, k))?,
                    Err(e) => part.write_failures(line, &carried, &e).map(|()| false)?,
                },
                Some(s) => {
                    let outcome = outcome.and_then(|k| {
                        results
                            .record(k)
                            .map_err(|e| vec![write::eval_failure(&e, lang)])
                    });
                    s.add(outcome.as_ref().ok());
                    match &outcome {
                        Ok(values) => part.write_record(line, &carried, |o| {
                            values.get(o).cloned().ok_or(EvalError {
                                kind: EvalErrorKind::Internal("output index"),
                                span: Default::default(),
                            })
                        })?,
                        Err(e) => part.write_failures(line, &carried, e).map(|()| false)?,
                    }
                }
            };
            if !ok {
                self.failed += 1;
            }
        }
        Ok(())
    }
}
