//! `onshi doc`: a policy as a document its reviewers can read and sign off. One self-contained,
//! static HTML file per policy (no script, no image, no font or request off the page; a print
//! style sheet for A4) and, for several, an `index.html`; `--compare <old> <new>` adds the page of
//! what changed between two editions, from `onshi diff`'s report.
//!
//! The pages are laid out by [minijinja] templates (`templates/`, compiled into the binary) over
//! plain data ([`model`], [`compare`]) in which every value is already worded (money with
//! separators, 和暦 beside ISO dates). minijinja escapes every value for HTML (the templates are
//! `.html`), and the engine is strict about undefined names, so a misspelt field fails the tests
//! instead of printing nothing.

mod compare;
mod labels;
mod model;
mod text;

use crate::fs;
use crate::options::LimitArgs;
use minijinja::value::Serde;
use minijinja::{context, Environment, UndefinedBehavior, Value};
use onshi::{compile_with, Lang};
use onshi_cli::render::print_errors;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// Policy files or folders (searched for *.onshi).
    #[arg(required_unless_present = "compare")]
    paths: Vec<PathBuf>,
    /// Two editions of a policy (files): the document of each and the page of what changed.
    #[arg(long, num_args = 2, value_names = ["OLD", "NEW"])]
    compare: Option<Vec<PathBuf>>,
    /// The folder to write the documents into (created if missing).
    #[arg(long, default_value = "onshi-doc")]
    out: PathBuf,
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

/// Ok(false): some policy did not compile (its diagnostics printed, the others written).
fn run_inner(args: &Args, lang: Lang) -> Result<bool, String> {
    let env = environment().map_err(|e| format!("onshi doc: template: {e}"))?;
    let mut paths = args.paths.clone();
    if let Some(pair) = &args.compare {
        paths.extend(pair.iter().cloned());
    }
    let files = fs::expand(&paths)?;
    std::fs::create_dir_all(&args.out).map_err(|e| format!("{}: {e}", args.out.display()))?;
    let base = common_dir(&files);
    let index = files.len() > 1 && args.compare.is_none();
    let limits = args.limits.limits();
    let labels = labels::labels(lang);
    let lang_tag = if lang == Lang::Ja { "ja" } else { "en" };
    let render = |name: &str, ctx: Value| {
        env.get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| format!("onshi doc: {name}: {e:#}"))
    };
    let mut ok = true;
    let mut docs = Vec::new();
    let mut compiled_all = Vec::new();
    for path in &files {
        if docs.iter().any(|d: &model::PolicyDoc| &d.path == path) {
            continue;
        }
        let compiled = compile_with(&fs::Disk, path, &limits);
        let Some(program) = &compiled.program else {
            print_errors(&compiled.diagnostics, &compiled.sources, lang);
            ok = false;
            continue;
        };
        let file = file_name(path, &base);
        let doc = model::policy_doc(path, &file, program, &compiled.sources, lang);
        let html = render(
            "policy.html",
            context! { lang => lang_tag, t => Value::from(Serde(&labels)), css => CSS, index => index, policy => Value::from(Serde(&doc)) },
        )?;
        write(&args.out, &file, &html)?;
        println!("{}", args.out.join(&file).display());
        docs.push(doc);
        compiled_all.push((path.clone(), compiled));
    }
    if index {
        let html = render(
            "index.html",
            context! { lang => lang_tag, t => Value::from(Serde(&labels)), css => CSS, index => false, policies => Value::from(Serde(&docs)) },
        )?;
        write(&args.out, "index.html", &html)?;
        println!("{}", args.out.join("index.html").display());
    }
    if let Some([old, new]) = args.compare.as_deref() {
        let (old, new) = (fs::display(old), fs::display(new));
        let find = |p: &str| compiled_all.iter().find(|(q, _)| q == p).map(|(_, c)| c);
        let (Some(o), Some(n)) = (find(&old), find(&new)) else {
            return Ok(false);
        };
        let page = compare::compare_doc(&old, o, &new, n, &base, lang);
        let Some(page) = page else {
            return Ok(false);
        };
        let html = render(
            "compare.html",
            context! { lang => lang_tag, t => Value::from(Serde(&labels)), css => CSS, index => false, cmp => Value::from(Serde(&page)) },
        )?;
        write(&args.out, &page.file, &html)?;
        println!("{}", args.out.join(&page.file).display());
    }
    Ok(ok)
}
