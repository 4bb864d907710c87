//! `onshi batch`: evaluate a policy over every record of a JSONL or CSV file, streaming, in chunks
//! spread over `--jobs` threads, writing one output record per input record in the same order.
//! A bad record becomes an error record (line, field, message) and is counted; nothing is dropped.

//!
//! Per chunk: the main thread reads raw records; `--jobs` workers each take a slice, parse it into
//! input values, evaluate it by columns (`Program::evaluate_columns`: the tree is walked once per
//! slice) and format the results into bytes; the main thread writes the parts in order.

mod encoding;
mod read;
mod sheet;
mod summary;
mod write;

use crate::fs;
use encoding::{InputEncoding, OutputEncoding};
use onshi::eval::Columns;
use onshi::facts::CsvColumns;
use onshi::{compile_with, EvalError, EvalErrorKind, Lang, Program, RunError, Value};
use onshi_cli::render::print_diagnostics;
use read::{Raw, Records};
use std::io::{BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
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

/// Records are read this many at a time (memory stays flat) and shared among the jobs.
const CHUNK: usize = 8192;

/// Records a worker evaluates together (`Program::evaluate_columns`).
const BLOCK: usize = 1024;

/// One result: the output values, or the error.
type Outcome = Result<Vec<Value>, RunError>;

/// What a worker gives back for its slice of a chunk.
struct Done {
    bytes: Vec<u8>,
    failed: u64,
    summary: Option<Summary>,
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
    let (records, header) = if sheet_in {
        progress = indicatif::ProgressBar::hidden();
        match sheet::read(&args.input, args.sheet.as_deref()) {
            Ok((header, rows)) => (Records::<Box<dyn Read + Send>>::sheet(rows), header),
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
        let (text, lossy) = match encoding::decode(raw, args.encoding) {
            Ok(x) => x,
            Err(e) => {
                eprintln!("{}: {e}", args.input.display());
                return ExitCode::from(2);
            }
        };
        match Records::new(csv_in, BufReader::with_capacity(1 << 20, text), lossy) {
            Ok(r) => r,
            Err(msg) => {
                eprintln!("{msg}");
                return ExitCode::from(1);
            }
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
        csv_out,
        summary: args.summary,
        lang,
        encoding: args.output_encoding,
    };
    let counts = pump(records, work, jobs, &mut out, stats.as_mut()).and_then(|c| {
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

/// Reads chunks on one thread while the workers evaluate the previous one; writes the results
/// in order. Returns (records, failed records).
fn pump<R: std::io::Read + Send>(
    mut records: Records<R>,
    work: Work<'_>,
    jobs: usize,
    out: &mut impl Write,
    mut stats: Option<&mut Summary>,
) -> std::io::Result<(u64, u64)> {
    let (mut total, mut failed) = (0u64, 0u64);
    if work.encoding == OutputEncoding::Utf8Bom {
        out.write_all(b"\xEF\xBB\xBF")?;
    }
    if work.csv_out {
        out.write_all(&encoding::encode(
            write::csv_header(work.program)?,
            work.encoding,
        )?)?;
    }
    std::thread::scope(|s| {
        // Two chunks in flight at most: memory stays flat.
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Raw>>(1);
        s.spawn(move || loop {
            let chunk = records.next_chunk(CHUNK);
            if chunk.is_empty() || tx.send(chunk).is_err() {
                break;
            }
        });
        for chunk in rx {
            total += chunk.len() as u64;
            for done in work.chunk(&chunk, jobs) {
                let done = done?;
                failed += done.failed;
                if let (Some(stats), Some(part)) = (stats.as_deref_mut(), done.summary) {
                    stats.merge(part);
                }
                out.write_all(&done.bytes)?;
            }
        }
        Ok((total, failed))
    })
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
    csv_out: bool,
    summary: bool,
    /// The language of error records' messages.
    lang: Lang,
    encoding: OutputEncoding,
}

impl Work<'_> {
    /// A chunk on `jobs` threads; the parts come back in record order.
    fn chunk(self, chunk: &[Raw], jobs: usize) -> Vec<std::io::Result<Done>> {
        if jobs == 1 || chunk.len() < 256 {
            return vec![self.slice(chunk)];
        }
        let per = chunk.len().div_ceil(jobs).max(1);
        std::thread::scope(|s| {
            let handles: Vec<_> = chunk
                .chunks(per)
                .map(|part| s.spawn(move || self.slice(part)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(std::io::Error::other("worker thread failed")))
                })
                .collect()
        })
    }

    /// One worker's slice: parse, evaluate by columns, format.
    fn slice(self, raws: &[Raw]) -> std::io::Result<Done> {
        let program = self.program;
        let cp932 = self.encoding == OutputEncoding::Cp932;
        let mut part = write::Part::new(program, self.csv_out, self.lang, cp932);
        let mut summary = self.summary.then(|| Summary::new(program));
        let mut failed = 0;
        for block in raws.chunks(BLOCK) {
            failed += self.block(block, &mut part, summary.as_mut())?;
        }
        Ok(Done {
            bytes: part.into_bytes()?,
            failed,
            summary,
        })
    }

    /// Records evaluated together (small enough that every column stays in cache); returns the
    /// number that failed.
    fn block(
        self,
        raws: &[Raw],
        part: &mut write::Part<'_>,
        mut summary: Option<&mut Summary>,
    ) -> std::io::Result<u64> {
        let program = self.program;
        let mut reader = read::Reader::new(program, self.columns);
        let mut columns = Columns::new(program);
        // Per record: its row in `columns`, or why it has none.
        let slots: Vec<Result<usize, RunError>> = raws
            .iter()
            .map(|raw| {
                let k = columns.len();
                reader
                    .read(raw, &mut columns)
                    .map(|()| k)
                    .map_err(RunError::Facts)
            })
            .collect();
        let results = program.evaluate_columns(&columns);
        let mut failed = 0;
        for (raw, slot) in raws.iter().zip(slots) {
            let outcome = slot.and_then(|k| match results.error(k) {
                Some(e) => Err(RunError::Eval(e.clone())),
                None => Ok(k),
            });
            let outcome = match summary.as_deref_mut() {
                None => match outcome {
                    Ok(k) => part.write_record(raw.line, |o| results.value(o, k))?,
                    Err(e) => part.write_error(raw.line, &e).map(|()| false)?,
                },
                Some(s) => {
                    let outcome = outcome.and_then(|k| results.record(k).map_err(RunError::Eval));
                    s.add(&outcome);
                    match &outcome {
                        Ok(values) => part.write_record(raw.line, |o| {
                            values.get(o).cloned().ok_or(EvalError {
                                kind: EvalErrorKind::Internal("output index"),
                                span: Default::default(),
                            })
                        })?,
                        Err(e) => part.write_error(raw.line, e).map(|()| false)?,
                    }
                }
            };
            if !outcome {
                failed += 1;
            }
        }
        Ok(failed)
    }
}
