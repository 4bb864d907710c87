//! `onshi diff <old> <new>`: what changed between two editions of a policy, for whom
//! (`onshi_diff`). Two policy files, or two year folders whose files are matched by name. Exit 0
//! when nothing differs (or the `--assert`ion holds), 1 when something does (or it fails, or a
//! policy does not compile), 2 on usage errors.
//!
//! `onshi diff <policy> --reading 名前=案`: one policy (a file, or a folder of them) as it adopts
//! its readings against the same policy under the readings chosen: who the choice matters for.

use crate::eval::Format;
use crate::fs;
use onshi::{compile_with, Compiled, Lang, Limits};
use onshi_cli::render::print_diagnostics;
use onshi_diff::{self as diff, Edition, Options};
use serde_json::{json, Value as Json};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The old edition: a policy file, or a year folder (e.g. policies/r2).
    old: PathBuf,
    /// The new edition: a policy file, or a year folder (files matched by name). Without it,
    /// `--reading` compares the old edition with itself under the chosen readings.
    new: Option<PathBuf>,
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Instead of listing changes, check a comparison on every input searched, e.g.
    /// 'new.補助額 <= old.補助額' (also 旧./新., ≤ ≥ ≠ < > =, and literals such as 411,000円).
    #[arg(long)]
    assert: Option<String>,
    /// Random samples after the systematic search.
    #[arg(long, default_value_t = Options::default().samples)]
    samples: usize,
    /// About how many combinations the systematic search may evaluate.
    #[arg(long, default_value_t = Options::default().budget)]
    budget: usize,
    /// Seed of the random samples (the same seed gives the same report).
    #[arg(long, default_value_t = Options::default().seed)]
    seed: u64,
    #[command(flatten)]
    readings: crate::readings::ReadingArgs,
    #[command(flatten)]
    limits: crate::options::LimitArgs,
}

/// Print to standard output; a closed pipe (`| head`) is not an error worth a panic.
fn say(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}

/// One old/new pair of files to compare.
struct Pair {
    old: String,
    new: String,
}

/// The pairs to compare, and the files only one folder has.
struct Plan {
    pairs: Vec<Pair>,
    only_old: Vec<String>,
    only_new: Vec<String>,
}

fn plan(old: &Path, new: &Path, lang: Lang) -> Result<Plan, String> {
    let ja = lang == Lang::Ja;
    match (old.is_dir(), new.is_dir()) {
        (false, false) => {
            for p in [old, new] {
                if !p.is_file() {
                    return Err(if ja {
                        format!("{}: ファイルもフォルダもありません", p.display())
                    } else {
                        format!("{}: no such file or directory", p.display())
                    });
                }
            }
            Ok(Plan {
                pairs: vec![Pair {
                    old: fs::display(old),
                    new: fs::display(new),
                }],
                only_old: Vec::new(),
                only_new: Vec::new(),
            })
        }
        (true, true) => {
            let rel = |dir: &Path| -> Result<Vec<(String, String)>, String> {
                let files = fs::expand(&[dir.to_path_buf()], lang)?;
                let prefix = fs::display(dir);
                let prefix = prefix.trim_end_matches('/');
                Ok(files
                    .into_iter()
                    .map(|f| {
                        let r = f
                            .strip_prefix(prefix)
                            .map(|r| r.trim_start_matches('/').to_string())
                            .unwrap_or_else(|| f.clone());
                        (r, f)
                    })
                    .collect())
            };
            let (a, b) = (rel(old)?, rel(new)?);
            let mut pairs = Vec::new();
            let mut only_old = Vec::new();
            for (r, f) in &a {
                match b.iter().find(|(s, _)| s == r) {
                    Some((_, g)) => pairs.push(Pair {
                        old: f.clone(),
                        new: g.clone(),
                    }),
                    None => only_old.push(f.clone()),
                }
            }
            let only_new = b
                .iter()
                .filter(|(r, _)| !a.iter().any(|(s, _)| s == r))
                .map(|(_, f)| f.clone())
                .collect();
            Ok(Plan {
                pairs,
                only_old,
                only_new,
            })
        }
        _ => Err(if ja {
            "旧と新は、ファイル二つか年度フォルダ二つにしてください".to_string()
        } else {
            "give two policy files or two year folders".to_string()
        }),
    }
}

/// Compile both files of a pair; diagnostics go to standard error.
fn load(pair: &Pair, limits: &Limits, lang: Lang) -> Option<(Compiled, Compiled)> {
    let a = compile_with(&fs::Disk, &pair.old, limits);
    let b = compile_with(&fs::Disk, &pair.new, limits);
    print_diagnostics(&a.diagnostics, &a.sources, lang);
    print_diagnostics(&b.diagnostics, &b.sources, lang);
    (a.program.is_some() && b.program.is_some()).then_some((a, b))
}

fn edition<'a>(c: &'a Compiled, label: &'a str) -> Option<Edition<'a>> {
    Some(Edition {
        program: c.program.as_ref()?,
        sources: &c.sources,
        label,
    })
}

/// What comparing pairs of editions gathered (`onshi diff` of editions and of readings): whether
/// any pair differs (or breaks the assertion), how many pairs the assertion applied to, and each
/// pair's report as text and JSON.
#[derive(Default)]
pub struct Collected {
    pub failed: bool,
    pub applicable: usize,
    pub texts: Vec<String>,
    pub jsons: Vec<Json>,
}

impl Collected {
    /// Compares `old` with `new`, or checks `assertion` on them, and keeps the report; `Err` when
    /// the assertion is not about this pair (it names an output one of them lacks).
    pub fn compare(
        &mut self,
        old: Edition,
        new: Edition,
        assertion: Option<&diff::Assertion>,
        opts: &Options,
        lang: Lang,
    ) -> Result<(), onshi_grammar::Text> {
        let (text, json) = match assertion {
            None => {
                let report = diff::diff(old, new, opts);
                self.failed |= report.differs();
                (report.to_text(lang), report.to_json())
            }
            Some(a) => {
                let report = diff::check_assertion(old, new, a, opts)?;
                self.applicable += 1;
                self.failed |= !report.holds();
                (report.to_text(lang), report.to_json())
            }
        };
        self.texts.push(text);
        self.jsons.push(json);
        Ok(())
    }
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    let ja = lang == Lang::Ja;
    let Some(new) = &args.new else {
        return crate::diff_readings::run(args, lang);
    };
    if args.readings.any() {
        eprintln!(
            "{}",
            if ja {
                "--reading は政策一つ（旧だけ）と使います: onshi diff <政策> --reading 名前=案"
            } else {
                "--reading compares one policy with itself: onshi diff <policy> --reading name=option"
            }
        );
        return ExitCode::from(2);
    }
    let plan = match plan(&args.old, new, lang) {
        Ok(p) => p,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let assertion = match assertion(args, lang) {
        Ok(a) => a,
        Err(code) => return code,
    };
    let opts = args.options();
    let folders = args.old.is_dir();
    let mut broken = false;
    let mut got = Collected::default();
    for pair in &plan.pairs {
        let Some((a, b)) = load(pair, &args.limits.limits(), lang) else {
            broken = true;
            continue;
        };
        let (Some(old), Some(new)) = (edition(&a, &pair.old), edition(&b, &pair.new)) else {
            broken = true;
            continue;
        };
        match got.compare(old, new, assertion.as_ref(), &opts, lang) {
            Ok(()) => {}
            // In folders, a pair without the outputs is not what the assertion is about.
            Err(msg) if folders => {
                got.texts.push(format!(
                    "{} → {}\n  {}\n",
                    pair.old,
                    pair.new,
                    if ja {
                        format!("対象外: {}", msg.ja)
                    } else {
                        format!("skipped: {}", msg.en)
                    }
                ));
                got.jsons
                    .push(json!({"old": pair.old, "new": pair.new, "skipped": msg.get(lang)}));
            }
            Err(msg) => {
                eprintln!("--assert: {}", msg.get(lang));
                return ExitCode::from(2);
            }
        }
    }
    let Collected {
        mut failed,
        applicable,
        texts,
        jsons,
    } = got;
    if assertion.is_none() && (!plan.only_old.is_empty() || !plan.only_new.is_empty()) {
        failed = true;
    }
    if assertion.is_some() && applicable == 0 && !broken {
        return no_pair(lang);
    }
    match args.format {
        Format::Json => {
            let out = if folders {
                json!({
                    "old": fs::display(&args.old),
                    "new": fs::display(new),
                    "pairs": jsons,
                    "only_old": plan.only_old,
                    "only_new": plan.only_new,
                })
            } else {
                jsons.into_iter().next().unwrap_or(Json::Null)
            };
            say(&format!(
                "{}\n",
                serde_json::to_string_pretty(&out).unwrap_or_default()
            ));
        }
        Format::Text => {
            for t in &texts {
                say(t);
            }
            if assertion.is_none() {
                for (files, ja_label, en_label) in [
                    (&plan.only_old, "旧のみのファイル", "files only in old"),
                    (&plan.only_new, "新のみのファイル", "files only in new"),
                ] {
                    if !files.is_empty() {
                        say(&format!(
                            "{}: {}\n",
                            if ja { ja_label } else { en_label },
                            files.join(", ")
                        ));
                    }
                }
            }
        }
    }
    if broken || failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

impl Args {
    /// The old edition (with `--reading` alone: the policy compared with itself).
    pub fn policy(&self) -> &Path {
        &self.old
    }
    pub fn format(&self) -> Format {
        self.format
    }
    pub fn readings(&self) -> &crate::readings::ReadingArgs {
        &self.readings
    }
    pub fn limits(&self) -> Limits {
        self.limits.limits()
    }
    /// How hard to search.
    pub fn options(&self) -> Options {
        Options {
            samples: self.samples,
            budget: self.budget,
            seed: self.seed,
            ..Options::default()
        }
    }
}

/// `--assert` parsed; a malformed one is a usage error (printed; exit 2).
pub fn assertion(args: &Args, lang: Lang) -> Result<Option<diff::Assertion>, ExitCode> {
    match args.assert.as_deref().map(diff::parse_assertion) {
        None => Ok(None),
        Some(Ok(a)) => Ok(Some(a)),
        Some(Err(msg)) => {
            eprintln!("--assert: {}", msg.get(lang));
            Err(ExitCode::from(2))
        }
    }
}

/// `--assert` where no pair has the outputs it compares (exit 2).
pub fn no_pair(lang: Lang) -> ExitCode {
    eprintln!(
        "{}",
        if lang == Lang::Ja {
            "--assert: 比べられる組がありません"
        } else {
            "--assert: no pair of files has the outputs it compares"
        }
    );
    ExitCode::from(2)
}

/// Print to standard output (also for `diff_readings`).
pub fn print(text: &str) {
    say(text);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policies(year: &str) -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../policies")
            .join(year)
    }

    #[test]
    fn year_folders_are_matched_by_file_name() {
        let p = plan(&policies("r2"), &policies("r7"), Lang::En).unwrap();
        assert_eq!(p.pairs.len(), 1);
        assert!(p.pairs[0].old.ends_with("policies/r2/subsidy.onshi"));
        assert!(p.pairs[0].new.ends_with("policies/r7/subsidy.onshi"));
        assert!(p.only_old.is_empty());
        let names: Vec<&str> = p
            .only_new
            .iter()
            .map(|f| f.rsplit('/').next().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "consent.onshi",
                "front_desk.onshi",
                "introduction.onshi",
                "obligation.onshi"
            ]
        );
    }

    #[test]
    fn a_file_and_a_folder_do_not_pair() {
        let file = policies("r7").join("subsidy.onshi");
        assert!(plan(&file, &policies("r7"), Lang::En).is_err());
        assert!(plan(&file, &policies("r7").join("nothing.onshi"), Lang::Ja).is_err());
        let p = plan(&file, &file, Lang::En).unwrap();
        assert_eq!(p.pairs.len(), 1);
    }
}
