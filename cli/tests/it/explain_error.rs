//! The error pages (`docs/errors/<code>.md`) and `onshi explain-error`.
//!
//! - every code in the sources (found as `diagnostics.rs` finds them) has a page, and the binary
//!   prints it;
//! - every page's failing example really produces its code (and nothing else), its fixed example
//!   compiles and evaluates with no diagnostic at all, and its rendered diagnostics are the ones
//!   onshi prints today, in both languages.
//!
//! Run with `ONSHI_BLESS=1` to rewrite the rendered diagnostics in the pages after a wording change.
//!
//! A page is Markdown: `# <code>`, a `## 日本語` section, then a `## English` section. Each
//! section has fenced blocks tagged `onshi failing` / `json failing` (the example and its facts),
//! `text diagnostic` (the rendered diagnostic) and `onshi fixed` / `json fixed` (the fix; a
//! missing fixed block means the failing one is kept).

use crate::common;
use common::run as onshi;
use common::{codes_in_sources, policy_files, root};
use onshi_tests::workspace::seed_documents;

use onshi::{compile, Diagnostic, Lang, SourceMap};
use onshi_cli::render::render;
use std::path::PathBuf;

/// Where a page's example is compiled: beside the shipped `r7/` policies, so
/// `取込 "../common/facility.onshi"` resolves as it does in `policies/`.
const ENTRY: &str = "r7/example.onshi";

/// Codes whose failing example is too large to print whole: the page shows it abbreviated and
/// the test builds it here.
fn generated_example(code: &str) -> Option<String> {
    match code {
        "onshi::syntax::too_large" => {
            // More than 1 MiB (the default limit): a comment line repeated.
            let mut src = String::from("政策 \"大きな政策\"\n");
            while src.len() <= 1 << 20 {
                src.push_str("# 埋め草のコメント行です。\n");
            }
            Some(src)
        }
        "onshi::limit::rules" => {
            // 129 rules: a principle and 128 exceptions.
            let mut src = String::from("入力 番号: 整数\n出力 区分: 整数\n  原則 通常: 0\n");
            for i in 1..=128 {
                src.push_str(&format!("  例外 規則{i}: もし 番号 = {i} ならば {i}\n"));
            }
            Some(src)
        }
        "onshi::limit::definitions" => {
            // 2,001 definitions: 2,000 and the output (the default limit is 2,000).
            let mut src = String::from("入力 区分: 整数\n");
            for i in 1..=2000 {
                src.push_str(&format!("定義 上限{i}: 金額 = {i} × 1000円\n"));
            }
            src.push_str("出力 上限: 金額 = 上限1\n");
            Some(src)
        }
        "onshi::limit::table_rows" => {
            // 2,001 rows (the default limit is 2,000).
            let mut src =
                String::from("入力 点数: 整数\n表 加算(点数: 整数) → 金額\n  | 点数 | 加算 |\n  |------|------|\n");
            for i in 1..=2001 {
                src.push_str(&format!("  | {i} | 10円 |\n"));
            }
            src.push_str("出力 加算額: 金額 = 加算(点数)\n");
            Some(src)
        }
        "onshi::limit::depth" => {
            // 100 tables, each looking up the one before in its cell: about 200 levels.
            let mut src = String::from(
                "入力 回数: 整数\n表 段1(k: 整数) → 整数\n  | k | 段1 |\n  |---|---|\n  | - | 回数 + 1 |\n",
            );
            for i in 2..=100 {
                src.push_str(&format!(
                    "表 段{i}(k: 整数) → 整数\n  | k | 段{i} |\n  |---|---|\n  | - | 段{}(回数) + 1 |\n",
                    i - 1
                ));
            }
            src.push_str("出力 結果: 整数 = 段100(回数)\n");
            Some(src)
        }
        "onshi::limit::steps" => {
            // 20 tables, each looking up the one before twice: about 3 million steps.
            let mut src = String::from(
                "入力 件数: 整数\n表 倍1(k: 整数) → 整数\n  | k | 倍1 |\n  |---|---|\n  | - | 件数 + 件数 |\n",
            );
            for i in 2..=20 {
                src.push_str(&format!(
                    "表 倍{i}(k: 整数) → 整数\n  | k | 倍{i} |\n  |---|---|\n  | - | 倍{p}(件数) + 倍{p}(件数) |\n",
                    p = i - 1
                ));
            }
            src.push_str("出力 合計: 整数 = 倍20(件数)\n");
            Some(src)
        }
        _ => None,
    }
}

/// Codes with no policy example: the entry file is missing (the page shows the command), the
/// code reports a broken invariant that no input reaches, or it is about a workbook `onshi batch`
/// reads (its test builds the workbook: `batch_office.rs`).
const NO_POLICY_EXAMPLE: &[&str] = &[
    "onshi::name::entry_not_found",
    "onshi::eval::internal",
    "onshi::limit::workbook",
];

fn pages_dir() -> PathBuf {
    root().join("docs/errors")
}

/// `onshi::type::mismatch` → `onshi-type-mismatch.md`
fn page_file(code: &str) -> String {
    format!("{}.md", code.replace("::", "-"))
}

// ------------------------------------------------------------------ codes in the sources

// ------------------------------------------------------------------ pages

/// A fenced block: its info string and its body (without the fences).
#[derive(Debug)]
struct Block {
    info: String,
    body: String,
    /// Byte range of the body in the page.
    range: std::ops::Range<usize>,
}

fn blocks(text: &str, offset: usize) -> Vec<Block> {
    let mut out = Vec::new();
    let mut pos = 0;
    let mut open: Option<(String, usize)> = None;
    for line in text.split_inclusive('\n') {
        let start = pos;
        pos += line.len();
        let trimmed = line.trim_end();
        match &open {
            None => {
                if let Some(info) = trimmed.strip_prefix("```") {
                    open = Some((info.trim().to_string(), pos));
                }
            }
            Some((info, body_start)) => {
                if trimmed == "```" {
                    out.push(Block {
                        info: info.clone(),
                        body: text[*body_start..start].to_string(),
                        range: offset + body_start..offset + start,
                    });
                    open = None;
                }
            }
        }
    }
    assert!(open.is_none(), "an unclosed ``` block");
    out
}

struct Page {
    code: String,
    text: String,
    /// (language, the section's byte range)
    sections: Vec<(Lang, std::ops::Range<usize>)>,
}

fn read_page(code: &str) -> Page {
    let path = pages_dir().join(page_file(code));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{code}: no page {}: {e}", path.display()));
    let first = text.lines().next().unwrap_or("");
    assert_eq!(
        first,
        format!("# {code}"),
        "{code}: the page starts with `# {code}`"
    );
    let ja = text
        .find("\n## 日本語\n")
        .unwrap_or_else(|| panic!("{code}: no `## 日本語` section"));
    let en = text
        .find("\n## English\n")
        .unwrap_or_else(|| panic!("{code}: no `## English` section"));
    assert!(ja < en, "{code}: 日本語 comes before English");
    let sections = vec![(Lang::Ja, ja..en), (Lang::En, en..text.len())];
    Page {
        code: code.to_string(),
        text,
        sections,
    }
}

impl Page {
    fn blocks(&self, lang: Lang) -> Vec<Block> {
        let (_, range) = self.sections.iter().find(|(l, _)| *l == lang).unwrap();
        blocks(&self.text[range.clone()], range.start)
    }
    fn block<'a>(&self, blocks: &'a [Block], info: &str) -> Option<&'a Block> {
        let found: Vec<&Block> = blocks.iter().filter(|b| b.info == info).collect();
        assert!(found.len() <= 1, "{}: two `{info}` blocks", self.code);
        found.first().copied()
    }
}

// ------------------------------------------------------------------ running examples

/// Compile `policy` as [`ENTRY`] (or compile `entry` when there is no policy text) and run
/// `facts` on it; every diagnostic that came out, compile time first, and the sources.
fn run_example(
    policy: Option<&str>,
    entry: &str,
    facts: Option<&str>,
) -> (Vec<Diagnostic>, SourceMap) {
    run_example_with(policy, entry, facts, false, false)
}

/// [`run_example`], and with `documents` the citations checked against `../shared/seeds` as
/// `onshi check --sources ../shared/seeds` does (the `onshi::source::*` pages); with `proofs`, the
/// proofs `onshi check` runs when a solver is installed (the `onshi::proof::*` pages).
fn run_example_with(
    policy: Option<&str>,
    entry: &str,
    facts: Option<&str>,
    documents: bool,
    proofs: bool,
) -> (Vec<Diagnostic>, SourceMap) {
    let mut files = policy_files(&root().join("policies"));
    if let Some(text) = policy {
        files.insert(entry.to_string(), text.to_string());
    }
    let c = compile(&files, entry);
    let mut diags = c.diagnostics;
    // The proofs `onshi check` runs after the fast checks, when a solver is installed.
    if let (true, Some(program), Some(backend)) =
        (proofs, &c.program, onshi_solver::Backend::detect())
    {
        if !diags.iter().any(|d| d.is_error()) {
            diags.extend(onshi_solver::proof::prove(program, backend).findings);
        }
    }
    if documents && c.program.is_some() {
        let seeds = seed_documents();
        let v = onshi::citations::verify(&c.sources, &seeds, &onshi::Limits::default());
        diags.extend(v.diagnostics());
        let cov =
            onshi::citations::coverage::coverage(&c.sources, &seeds, &onshi::Limits::default());
        diags.extend(cov.errors.iter().map(|e| e.to_diagnostic()));
    }
    if let (Some(program), Some(facts)) = (c.program, facts) {
        let result = match serde_json::from_str::<serde_json::Value>(facts) {
            Err(e) => Err(onshi::FactsError::Json {
                message: e.to_string(),
            }
            .to_diagnostic()),
            Ok(json) => program
                .evaluator()
                .json(&json)
                .map_err(|e| e.to_diagnostic()),
        };
        if let Err(d) = result {
            diags.push(d);
        }
    }
    (diags, c.sources)
}

/// The rendered text as a page shows it: no trailing spaces.
fn tidy(s: &str) -> String {
    let mut out: String = s.lines().map(str::trim_end).collect::<Vec<_>>().join("\n");
    out.push('\n');
    out
}

/// Check one page; returns the page text with its `text diagnostic` blocks replaced by what onshi
/// renders now (for blessing), and the problems found.
fn check_page(code: &str) -> (String, Vec<String>) {
    let page = read_page(code);
    let mut problems = Vec::new();
    if code.starts_with("onshi::proof::") && onshi_solver::Backend::detect().is_none() {
        // Proof findings need a solver (z3 or cvc5): without one, the page is not checked.
        eprintln!("{code}: not checked (no solver)");
        let text = std::fs::read_to_string(pages_dir().join(page_file(code))).unwrap();
        return (text, problems);
    }
    let mut replacements: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut examples: Vec<(Lang, String, Option<String>)> = Vec::new();
    for (lang, _) in &page.sections {
        let lang = *lang;
        let blocks = page.blocks(lang);
        let failing = page.block(&blocks, "onshi failing").map(|b| b.body.clone());
        let failing_facts = page.block(&blocks, "json failing").map(|b| b.body.clone());
        let fixed = page.block(&blocks, "onshi fixed").map(|b| b.body.clone());
        let fixed_facts = page.block(&blocks, "json fixed").map(|b| b.body.clone());
        let diagnostic = page.block(&blocks, "text diagnostic");

        if NO_POLICY_EXAMPLE.contains(&code) {
            if code == "onshi::name::entry_not_found" {
                let (diags, sources) = run_example(None, "r7/存在しない.onshi", None);
                let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
                if codes != [code] {
                    problems.push(format!("{code}: a missing entry gives {codes:?}"));
                } else if let Some(block) = diagnostic {
                    replacements.push((
                        block.range.clone(),
                        tidy(&render(&diags[0], &sources, lang)),
                    ));
                }
                let (diags, _) = run_example(None, "r7/subsidy.onshi", None);
                if !diags.is_empty() {
                    problems.push(format!("{code}: r7/subsidy.onshi gives {diags:?}"));
                }
            }
            continue;
        }

        let generated = generated_example(code);
        let Some(failing) = generated.clone().or(failing) else {
            problems.push(format!("{code} ({lang:?}): no `onshi failing` block"));
            continue;
        };
        if fixed.is_none() && fixed_facts.is_none() {
            problems.push(format!(
                "{code} ({lang:?}): no `onshi fixed` or `json fixed` block"
            ));
        }
        examples.push((lang, failing.clone(), failing_facts.clone()));

        // The failing example gives exactly this code.
        let documents = code.starts_with("onshi::source::") || code.starts_with("onshi::scope::");
        let proofs = code.starts_with("onshi::proof::");
        let (diags, sources) = run_example_with(
            Some(&failing),
            ENTRY,
            failing_facts.as_deref(),
            documents,
            proofs,
        );
        let codes: Vec<&str> = diags.iter().map(|d| d.code).collect();
        if codes != [code] {
            let rendered: Vec<String> = diags
                .iter()
                .map(|d| render(d, &sources, Lang::En))
                .collect();
            problems.push(format!(
                "{code} ({lang:?}): the failing example gives {codes:?}, not [{code}]:\n{}",
                rendered.join("\n")
            ));
        } else {
            let now = tidy(&render(&diags[0], &sources, lang));
            match diagnostic {
                Some(block) => {
                    if tidy(&block.body) != now {
                        problems.push(format!(
                            "{code} ({lang:?}): the rendered diagnostic differs (ONSHI_BLESS=1 updates it); now:\n{now}"
                        ));
                    }
                    replacements.push((block.range.clone(), now));
                }
                None => problems.push(format!("{code} ({lang:?}): no `text diagnostic` block")),
            }
        }

        // The fixed example is clean: no diagnostic at compile time or when evaluated.
        let fixed = fixed.unwrap_or(failing);
        let facts = fixed_facts.or(failing_facts);
        let (diags, sources) =
            run_example_with(Some(&fixed), ENTRY, facts.as_deref(), documents, proofs);
        if !diags.is_empty() {
            let rendered: Vec<String> = diags
                .iter()
                .map(|d| render(d, &sources, Lang::En))
                .collect();
            problems.push(format!(
                "{code} ({lang:?}): the fixed example is not clean:\n{}",
                rendered.join("\n")
            ));
        }
    }
    // Both sections show the same example.
    if let [(_, ja, ja_facts), (_, en, en_facts)] = examples.as_slice() {
        if ja != en || ja_facts != en_facts {
            problems.push(format!("{code}: the 日本語 and English examples differ"));
        }
    }

    let mut text = page.text.clone();
    replacements.sort_by_key(|(r, _)| std::cmp::Reverse(r.start));
    for (range, body) in replacements {
        text.replace_range(range, &body);
    }
    (text, problems)
}

// ------------------------------------------------------------------ tests

#[test]
fn every_code_has_a_page() {
    let mut missing = Vec::new();
    for (code, file) in codes_in_sources() {
        let page = pages_dir().join(page_file(&code));
        if !page.exists() {
            missing.push(format!(
                "{code} (in {}): no {}",
                file.display(),
                page.display()
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "codes without an error page:\n{}",
        missing.join("\n")
    );
    // …and a line in the index.
    let index = std::fs::read_to_string(pages_dir().join("README.md")).unwrap();
    let unlisted: Vec<String> = codes_in_sources()
        .into_keys()
        .filter(|c| !index.contains(&format!("[`{c}`]({})", page_file(c))))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes missing from docs/errors/README.md: {unlisted:?}"
    );
}

#[test]
fn every_page_is_for_a_code() {
    let codes = codes_in_sources();
    let mut stray = Vec::new();
    for entry in std::fs::read_dir(pages_dir()).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        if name == "README.md" || !name.ends_with(".md") {
            continue;
        }
        if !codes.keys().any(|c| page_file(c) == name) {
            stray.push(name);
        }
    }
    assert!(
        stray.is_empty(),
        "pages for codes the sources no longer have: {stray:?}"
    );
}

#[test]
fn page_examples_fail_with_their_code_and_the_fixes_are_clean() {
    let bless = std::env::var_os("ONSHI_BLESS").is_some();
    let mut problems = Vec::new();
    for code in codes_in_sources().keys() {
        if !pages_dir().join(page_file(code)).exists() {
            continue; // every_code_has_a_page reports it
        }
        let (text, mut found) = check_page(code);
        if bless {
            std::fs::write(pages_dir().join(page_file(code)), text).unwrap();
            found.retain(|p| !p.contains("the rendered diagnostic differs"));
        }
        problems.extend(found);
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}

#[test]
fn explain_error_prints_the_japanese_page() {
    let (code, out, err) = onshi(&["explain-error", "onshi::type::mismatch"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("# onshi::type::mismatch\n"), "{out}");
    assert!(out.contains("## 日本語"), "{out}");
    assert!(!out.contains("## English"), "{out}");
    assert!(out.contains("定義 上限: 金額 = 100\n"), "{out}");
    assert!(out.contains("定義 上限: 金額 = 100円\n"), "{out}");
    assert!(out.contains("型が合いません"), "{out}");
}

#[test]
fn explain_error_prints_the_english_section() {
    for args in [
        &["explain-error", "onshi::type::mismatch", "--lang", "en"][..],
        &["--lang", "en", "explain-error", "type::mismatch"][..],
    ] {
        let (code, out, err) = onshi(args);
        assert_eq!(code, 0, "{err}");
        assert!(out.starts_with("# onshi::type::mismatch\n"), "{out}");
        assert!(out.contains("## English"), "{out}");
        assert!(!out.contains("## 日本語"), "{out}");
        assert!(out.contains("type mismatch: expected money"), "{out}");
    }
    let out = common::onshi_command(&["explain-error", "onshi-type-mismatch"])
        .env("ONSHI_LANG", "en")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("## English"));
}

#[test]
fn explain_error_unknown_code_suggests_one() {
    let (code, out, err) = onshi(&["explain-error", "onshi::type::mismatc"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(err.contains("`onshi::type::mismatch`"), "{err}");
    let (code, _, err) = onshi(&[
        "explain-error",
        "onshi::nothing::like_this_at_all",
        "--lang",
        "en",
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown diagnostic code"), "{err}");
    assert!(err.contains("onshi explain-error"), "{err}");
}

#[test]
fn explain_error_lists_the_codes() {
    let (code, out, err) = onshi(&["explain-error"]);
    assert_eq!(code, 0, "{err}");
    for c in codes_in_sources().keys() {
        assert!(
            out.contains(c.as_str()),
            "{c} missing from the list:\n{out}"
        );
    }
}

#[test]
fn explain_error_knows_every_code() {
    for (c, _) in codes_in_sources() {
        let (code, out, err) = onshi(&["explain-error", &c]);
        assert_eq!(code, 0, "{c}: {err}");
        assert!(out.starts_with(&format!("# {c}\n")), "{c}: {out}");
        let (code, out, err) = onshi(&["explain-error", &c, "--lang", "en"]);
        assert_eq!(code, 0, "{c}: {err}");
        assert!(out.contains("## English"), "{c}: {out}");
    }
}
