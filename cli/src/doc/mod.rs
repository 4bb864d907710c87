//! `onshi doc`: a policy as a document its reviewers can read and sign off. One self-contained,
//! static HTML file per policy (no script, no image, no font or request off the page; a print
//! style sheet for A4) and, for several, an `index.html`; `--compare <old> <new>` adds the page of
//! what changed between two editions, from `onshi diff`'s report.
//!
//! The pages are laid out by [minijinja] templates (`templates/`, compiled into the binary) over
//! plain data ([`model`], [`compare`]) in which every value is already written out (money with
//! separators, 和暦 beside ISO dates), in both languages where the reader's language matters; the
//! data of a page is worded in the reader's language once, as it is rendered ([`text::word`]).
//! minijinja escapes every value for HTML (the templates are `.html`), and the engine is strict
//! about undefined names, so a misspelt field fails the tests instead of printing nothing.

mod compare;
mod labels;
mod model;
mod readings;
mod sources;
mod stamp;
mod text;

use crate::fs;
use crate::options::LimitArgs;
use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};
use onshi::{compile_with, Lang};
use onshi_cli::render::print_errors;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use text::{word, Words};

#[derive(clap::Args)]
pub struct Args {
    /// Policy files or folders (searched for *.onshi).
    #[arg(required_unless_present = "compare")]
    paths: Vec<PathBuf>,
    /// Two editions: two policy files, or two folders (a fiscal year's policies each, paired by
    /// their path in the folder): the document of each policy and the page of what changed for
    /// each pair.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    compare: Option<Vec<PathBuf>>,
    /// The folder to write the documents into (created if missing).
    #[arg(long, default_value = "onshi-doc")]
    out: PathBuf,
    /// The folder of the documents the policies cite: also write `sources.html`, the coverage
    /// of each document (sentences cited, declared out of scope with their reasons, and neither).
    #[arg(long, value_name = "DIR")]
    sources: Option<PathBuf>,
    #[command(flatten)]
    limits: LimitArgs,
}

const CSS: &str = include_str!("templates/style.css");

/// The templates, compiled once.
pub(crate) fn environment() -> Result<Environment<'static>, minijinja::Error> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    env.add_template("base.html", include_str!("templates/base.html"))?;
    env.add_template("macros.html", include_str!("templates/macros.html"))?;
    env.add_template("policy.html", include_str!("templates/policy.html"))?;
    env.add_template("index.html", include_str!("templates/index.html"))?;
    env.add_template("compare.html", include_str!("templates/compare.html"))?;
    env.add_template("sources.html", include_str!("templates/sources.html"))?;
    Ok(env)
}

/// A document's file name: the policy's path below the folder the run shares, `/` → `-`
/// (`r7/subsidy.onshi` → `r7-subsidy.html`).
fn file_name(path: &str, base: &str) -> String {
    let rel = path
        .strip_prefix(base)
        .unwrap_or(path)
        .trim_start_matches('/');
    format!("{}.html", rel.trim_end_matches(".onshi").replace('/', "-"))
}

/// The folder every path lies in (`policies/` for `policies/r2/x.onshi`, `policies/r7/y.onshi`).
fn common_dir(paths: &[String]) -> String {
    let dirs: Vec<&str> = paths
        .iter()
        .map(|p| p.rsplit_once('/').map_or("", |(d, _)| d))
        .collect();
    let Some(first) = dirs.first() else {
        return String::new();
    };
    let mut common: Vec<&str> = first.split('/').collect();
    for d in dirs.iter().skip(1) {
        let parts: Vec<&str> = d.split('/').collect();
        let same = common
            .iter()
            .zip(parts.iter())
            .take_while(|(a, b)| a == b)
            .count();
        common.truncate(same);
    }
    common.join("/")
}

/// The editions `--compare` pairs: two files are one pair; two folders pair their policies by
/// path inside the folder (`r2/subsidy.onshi` with `r7/subsidy.onshi`). Also the files only one
/// folder has.
pub(crate) struct Pairs {
    pub pairs: Vec<(String, String)>,
    pub only_old: Vec<String>,
    pub only_new: Vec<String>,
}

fn pairs(old: &Path, new: &Path, lang: Lang) -> Result<Pairs, String> {
    match (old.is_dir(), new.is_dir()) {
        (false, false) => Ok(Pairs {
            pairs: vec![(fs::display(old), fs::display(new))],
            only_old: Vec::new(),
            only_new: Vec::new(),
        }),
        (true, true) => {
            let (o, n) = (fs::display(old), fs::display(new));
            let inside = |dir: &str, path: &str| {
                path.strip_prefix(dir)
                    .unwrap_or(path)
                    .trim_start_matches('/')
                    .to_string()
            };
            let olds = fs::expand(&[old.to_path_buf()], lang)?;
            let news = fs::expand(&[new.to_path_buf()], lang)?;
            let mut out = Pairs {
                pairs: Vec::new(),
                only_old: Vec::new(),
                only_new: Vec::new(),
            };
            for p in &olds {
                match news.iter().find(|q| inside(&n, q) == inside(&o, p)) {
                    Some(q) => out.pairs.push((p.clone(), q.clone())),
                    None => out.only_old.push(p.clone()),
                }
            }
            out.only_new = news
                .iter()
                .filter(|q| !olds.iter().any(|p| inside(&o, p) == inside(&n, q)))
                .cloned()
                .collect();
            Ok(out)
        }
        _ => Err(format!(
            "onshi doc --compare: {} and {}: give two policy files or two folders",
            old.display(),
            new.display()
        )),
    }
}

/// A policy that did not compile, for the index: its path and its errors, worded.
#[derive(serde::Serialize)]
struct BrokenDoc {
    path: String,
    /// `file:line:column: message [code]`, one per error.
    errors: Vec<Words>,
}

impl BrokenDoc {
    fn new(path: &str, compiled: &onshi::Compiled) -> BrokenDoc {
        let errors: Vec<onshi::Diagnostic> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        BrokenDoc {
            path: path.to_string(),
            errors: onshi::schema::DiagnosticData::compile(&errors, &compiled.sources)
                .iter()
                .map(|d| {
                    let at = d
                        .labels
                        .iter()
                        .find(|l| l.primary)
                        .map(|l| format!("{}:{}:{}: ", l.file, l.line, l.column))
                        .unwrap_or_default();
                    Words::by(|lang| format!("{at}{} [{}]", d.message.get(lang), d.code))
                })
                .collect(),
        }
    }
}

/// A page's data in the reader's language: the one place the document is worded ([`word`]), as
/// each page is rendered.
fn worded<T: serde::Serialize>(data: &T, lang: Lang) -> Value {
    word(&Value::from(Serde(data)), lang)
}

fn write(out: &Path, name: &str, html: &str) -> Result<(), String> {
    let path = out.join(name);
    std::fs::write(&path, html).map_err(|e| format!("{}: {e}", path.display()))
}

pub fn run(args: &Args, lang: Lang) -> ExitCode {
    match run_inner(args, lang) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(msg) => {
            eprintln!("{msg}");
            ExitCode::from(2)
        }
    }
}

/// Whether the entry file declares only sources and 範囲外 declarations.
fn declares_only_scope(c: &onshi::Compiled) -> bool {
    use onshi_grammar::ast::Item;
    c.modules.first().is_some_and(|(_, m)| {
        m.items.iter().any(|i| matches!(i, Item::Scope(_)))
            && m.items
                .iter()
                .all(|i| matches!(i, Item::Scope(_) | Item::Source(_) | Item::Policy { .. }))
    })
}

/// Ok(false): some policy did not compile (its diagnostics printed, the others written).
fn run_inner(args: &Args, lang: Lang) -> Result<bool, String> {
    let env = environment().map_err(|e| format!("onshi doc: template: {e}"))?;
    let mut files = fs::expand(&args.paths, lang)?;
    let pairs = match args.compare.as_deref() {
        Some([old, new]) => Some(pairs(old, new, lang)?),
        _ => None,
    };
    if let Some(p) = &pairs {
        for (old, new) in &p.pairs {
            files.extend([old.clone(), new.clone()]);
        }
        files.extend(p.only_old.iter().chain(&p.only_new).cloned());
    }
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let base = common_dir(&files);
    // One file pair needs no index; folders, or several policies, get one.
    let index = match &pairs {
        Some(p) => p.pairs.len() + p.only_old.len() + p.only_new.len() > 1,
        None => files.len() > 1,
    };
    let limits = args.limits.limits();
    let t = worded(&labels::labels(), lang);
    let lang_tag = if lang == Lang::Ja { "ja" } else { "en" };
    let render = |name: &str, ctx: Value| {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("onshi doc: {name}: {e:#}"))
    };
    let mut ok = true;
    let mut docs = Vec::new();
    let mut compiled_all = Vec::new();
    let mut scope_files = Vec::new();
    // Policies that did not compile: listed on the index with their errors.
    let mut broken: Vec<BrokenDoc> = Vec::new();
    for path in &files {
        if docs.iter().any(|d: &model::PolicyDoc| &d.path == path) {
            continue;
        }
        let compiled = compile_with(&fs::Disk, path, &limits);
        let Some(program) = &compiled.program else {
            print_errors(&compiled.diagnostics, &compiled.sources, lang);
            broken.push(BrokenDoc::new(path, &compiled));
            ok = false;
            continue;
        };
        // A file of 範囲外 declarations (policies/scope/) has no rules: it is on sources.html.
        if declares_only_scope(&compiled) {
            scope_files.push(compiled);
            continue;
        }
        let file = file_name(path, &base);
        let doc = model::policy_doc(path, &file, program, &compiled.sources);
        let rdocs = readings::readings_doc(program, &compiled.sources, path, lang);
        let html = render(
            "policy.html",
            context! { lang => lang_tag, t => t.clone(), css => CSS, index => index, stamp => Value::from(Serde(&doc.stamp)), policy => worded(&doc, lang), readings => Value::from(Serde(&rdocs)) },
        )?;
        write(&args.out, &file, &html)?;
        println!("{}", args.out.join(&file).display());
        docs.push(doc);
        compiled_all.push((path.clone(), compiled));
    }
    let mut comparisons = Vec::new();
    for (old, new) in pairs.iter().flat_map(|p| &p.pairs) {
        let find = |p: &str| compiled_all.iter().find(|(q, _)| q == p).map(|(_, c)| c);
        let (Some(o), Some(n)) = (find(old), find(new)) else {
            ok = false;
            continue;
        };
        let Some(page) = compare::compare_doc(old, o, new, n, &base) else {
            ok = false;
            continue;
        };
        let both = stamp::of_all([&o.sources, &n.sources]);
        let html = render(
            "compare.html",
            context! { lang => lang_tag, t => t.clone(), css => CSS, index => index, stamp => Value::from(Serde(&both)), cmp => worded(&page, lang) },
        )?;
        write(&args.out, &page.file, &html)?;
        println!("{}", args.out.join(&page.file).display());
        comparisons.push(page);
    }
    let mut sources_page = false;
    if let Some(dir) = &args.sources {
        let mut run = crate::citations::CitationRun::for_dir(dir.clone(), lang)?;
        let mut all = crate::coverage::AllFiles::default();
        for c in compiled_all.iter().map(|(_, c)| c).chain(&scope_files) {
            all.add(&c.sources);
        }
        let report = run.coverage(&all.map, &limits, lang);
        if run.errors > 0 {
            ok = false;
        }
        let page = sources::page(&report, &all.map);
        let stamp = stamp::of_all([&all.map]);
        let html = render(
            "sources.html",
            context! { lang => lang_tag, t => t.clone(), css => CSS, index => index, stamp => Value::from(Serde(&stamp)), page => worded(&page, lang) },
        )?;
        write(&args.out, "sources.html", &html)?;
        println!("{}", args.out.join("sources.html").display());
        sources_page = true;
    }
    if index {
        // Each policy only one edition has, with its page.
        let linked = |paths: &[String]| -> Vec<std::collections::BTreeMap<&str, String>> {
            paths
                .iter()
                .map(|p| {
                    std::collections::BTreeMap::from([
                        ("path", p.clone()),
                        ("file", file_name(p, &base)),
                    ])
                })
                .collect()
        };
        let (only_old, only_new) = pairs.as_ref().map_or((Vec::new(), Vec::new()), |p| {
            (linked(&p.only_old), linked(&p.only_new))
        });
        let all = stamp::of_all(compiled_all.iter().map(|(_, c)| &c.sources));
        let html = render(
            "index.html",
            context! {
                lang => lang_tag, t => t.clone(), css => CSS, index => false,
                stamp => Value::from(Serde(&all)),
                broken => worded(&broken, lang),
                policies => worded(&docs, lang),
                comparisons => worded(&comparisons, lang),
                only_old => Value::from(Serde(&only_old)),
                only_new => Value::from(Serde(&only_new)),
                sources_page => sources_page,
            },
        )?;
        write(&args.out, "index.html", &html)?;
        println!("{}", args.out.join("index.html").display());
    }
    Ok(ok)
}
