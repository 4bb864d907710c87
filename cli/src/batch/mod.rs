//! `onshi batch`: evaluate a policy over every record of a JSONL or CSV file, streaming, in chunks
//! spread over `--jobs` threads, writing one output record per input record in the same order.
//! A bad record becomes an error record (line, field, message) and is counted; nothing is dropped.

//!
//! The reading thread only cuts the input into blocks of whole records ([`cut`]); `--jobs`
//! workers each take a block, split it into records ([`split`]), parse them into input values,
//! evaluate them by columns (`Program::evaluate_columns`: the tree is walked once per
//! [`RECORDS`] records) and format the results into bytes; the main thread writes the blocks'
//! bytes in input order. A bounded number of blocks is in flight, so memory stays flat.

mod cut;
mod encoding;
mod read;
mod sheet;
mod split;
mod summary;
mod write;

use crate::fs;
use cut::{Block, Cutter};
use encoding::{InputEncoding, OutputEncoding};
use onshi::eval::Columns;
use onshi::facts::CsvColumns;
use onshi::{compile_with, EvalError, EvalErrorKind, Lang, Program, RunError, Value};
use onshi_cli::render::print_diagnostics;
use split::Rec;
use std::io::{BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::mpsc::{sync_channel, Receiver, SyncSender};
use std::sync::Mutex;
use summary::Summary;

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
    /// makes its record an error record (code batch::unrepresentable), never a `?`.
    #[arg(long, value_enum, default_value = "utf-8")]
    output_encoding: OutputEncoding,
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
    #[command(flatten)]
    limits: crate::options::LimitArgs,
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

/// Spreadsheet rows handed to a worker at a time.
const ROWS: usize = 8192;

/// Records a worker evaluates together (`Program::evaluate_columns`).
const RECORDS: usize = 1024;

/// One result: the output values, or the error.
type Outcome = Result<Vec<Value>, RunError>;

/// What a worker gives back for a block.
struct Done {
    bytes: Vec<u8>,
    records: u64,
    failed: u64,
    summary: Option<Summary>,
}

/// The input as the reading thread has it.
enum Source {
    Cut(Cutter<Box<dyn Read + Send>>),
    Sheet(Vec<sheet::Row>),
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
    let jobs = args
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);
    let sheet_in = sheet::is_sheet(&args.input);
    let csv_in = sheet_in || format_of(&args.input) == Format::Csv;
    let csv_out = args
        .output
        .as_deref()
        .map_or(csv_in, |p| format_of(p) == Format::Csv);
    let progress;
    let mut lossy = false;
    let (source, header) = if sheet_in {
        progress = indicatif::ProgressBar::hidden();
        match sheet::read(&args.input, args.sheet.as_deref()) {
            Ok((header, rows)) => (Source::Sheet(rows), header),
            Err(msg) => {
                eprintln!("{msg}");
                return ExitCode::from(2);
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
            Ok((text, l)) => {
                lossy = l;
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
    let mut out = BufWriter::with_capacity(1 << 20, sink);
    let columns = program.csv_columns(&header);
    let mut stats = args.summary.then(|| Summary::new(&program));
    let work = Work {
        program: &program,
        columns: &columns,
        csv_in,
        csv_out,
        lossy,
        summary: args.summary,
        lang,
        encoding: args.output_encoding,
    };
    let counts = pump(source, work, jobs, &mut out, stats.as_mut()).and_then(|c| {
        out.flush()?;
        Ok(c)
    });
    let (total, failed) = match counts {
        Ok(c) => c,
        Err(e) => {
            eprintln!("write error: {e}");
            return ExitCode::from(2);
        }
    };
    progress.finish_and_clear();
    if let Some(stats) = &stats {
        eprint!("{}", stats.render(&program, lang));
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

/// Cuts the input on one thread, works on `jobs` threads and writes the blocks' results in
/// order. Returns (records, failed records).
fn pump(
    source: Source,
    work: Work<'_>,
    jobs: usize,
    out: &mut impl Write,
    stats: Option<&mut Summary>,
) -> std::io::Result<(u64, u64)> {
    if work.encoding == OutputEncoding::Utf8Bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    if work.csv_out {
        out.write_all(&encoding::encode(
            write::csv_header(work.program)?,
            work.encoding,
        )?)?;
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
                Source::Sheet(rows) => {
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

/// Writes each block's bytes as its answer arrives, in input order.
fn write_in_order(
    order: Receiver<Receiver<std::io::Result<Done>>>,
    out: &mut impl Write,
    mut stats: Option<&mut Summary>,
) -> std::io::Result<(u64, u64)> {
    let (mut total, mut failed) = (0u64, 0u64);
    for answer in order {
        let done = answer
            .recv()
            .map_err(|_| std::io::Error::other("worker thread failed"))??;
        total += done.records;
        failed += done.failed;
        if let (Some(stats), Some(part)) = (stats.as_deref_mut(), done.summary) {
            stats.merge(part);
        }
        out.write_all(&done.bytes)?;
    }
    Ok((total, failed))
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
    csv_in: bool,
    csv_out: bool,
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
                self.csv_out,
                self.lang,
                self.encoding == OutputEncoding::Cp932,
            ),
            columns: Columns::new(self.program),
            slots: Vec::with_capacity(RECORDS),
            summary: self.summary.then(|| Summary::new(self.program)),
            records: 0,
            failed: 0,
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
            records: w.records,
            failed: w.failed,
            summary: w.summary,
        })
    }
}

/// A worker's state over one job: records are parsed into `columns` and evaluated together.
struct Worker<'p> {
    work: Work<'p>,
    reader: read::Reader<'p>,
    part: write::Part<'p>,
    columns: Columns,
    /// Per record: its line and its row in `columns`, or why it has none.
    slots: Vec<(u64, Result<usize, RunError>)>,
    summary: Option<Summary>,
    records: u64,
    failed: u64,
}

impl Worker<'_> {
    fn add(&mut self, line: u64, rec: Rec<'_>) -> std::io::Result<()> {
        let k = self.columns.len();
        let slot = self
            .reader
            .read(rec, &mut self.columns)
            .map(|()| k)
            .map_err(RunError::Facts);
        self.slots.push((line, slot));
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
        let results = program.evaluate_columns(&columns);
        let part = &mut self.part;
        for (line, slot) in self.slots.drain(..) {
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(RunError::Eval(e.clone())),
                None => Ok(k),
            });
            let ok = match self.summary.as_mut() {
                None => match outcome {
                    Ok(k) => part.write_record(line, |o| results.value(o, k))?,
                    Err(e) => part.write_error(line, &e).map(|()| false)?,
                },
                Some(s) => {
                    let outcome = outcome.and_then(|k| results.record(k).map_err(RunError::Eval));
                    s.add(&outcome);
                    match &outcome {
                        Ok(values) => part.write_record(line, |o| {
                            values.get(o).cloned().ok_or(EvalError {
                                kind: EvalErrorKind::Internal("output index"),
                                span: Default::default(),
                            })
                        })?,
                        Err(e) => part.write_error(line, e).map(|()| false)?,
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
