//! `onshi test` as data: every policy file run, each example's outcome with its expected and
//! actual values (text and JSON), and the coverage merged over the run. The formats (text, JSON,
//! JUnit, lcov) only word this.

use onshi::examples::{Actual, Coverage, Mismatch};
use onshi::schema::{at, At, DiagnosticData};
use onshi::{Compiled, Lang, Program};
use onshi_cli::render::render;
use serde_json::{json, Map, Value as Json};
use std::collections::BTreeMap;

/// One policy file of the run.
pub struct PolicyRun {
    /// The path as given (`policies/r7/subsidy.onshi`).
    pub path: String,
    /// `政策 "…"`, when the file compiled and has one.
    pub name: Option<String>,
    pub cases: Vec<Case>,
    /// The file did not compile: its rendered errors (no example ran).
    pub errors: Option<String>,
    /// The same errors as data: code, severity, file, line, column, message and help in the run's
    /// language (`onshi test --format json`).
    pub diagnostics: Vec<Json>,
}

/// One example (例) and how it came out.
pub struct Case {
    pub name: String,
    pub at: At,
    pub passed: bool,
    /// Every expected value (outputs and definitions), in the JSON forms of `onshi eval`.
    pub expected: Map<String, Json>,
    /// What came out for each of them: the value, or `{"error": {code, message}}`, or `null`
    /// when not evaluated.
    pub actual: Map<String, Json>,
    /// The values that did not come out, worded: (name, expected, actual).
    pub failures: Vec<(String, String, String)>,
}

/// How far the examples exercised a rule or a table row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    /// No example reached it.
    Uncovered,
    /// A rule whose condition held in some example, but that never won.
    AppliedOnly,
    /// An example made the rule win, or matched the row.
    Covered,
}

/// A rule or row of the run, merged over every policy that includes its file.
pub struct Item {
    pub file: String,
    pub line: usize,
    pub column: usize,
    /// `表 \`上限\` の 3 行目` in the run's language.
    pub text: String,
    pub status: Status,
}

/// A compile diagnostic as data: where (its primary label), what, and what to do, in `lang`.
fn diagnostic_json(d: &DiagnosticData, lang: Lang) -> Json {
    let primary = d.labels.iter().find(|l| l.primary).or(d.labels.first());
    json!({
        "code": d.code,
        "severity": match d.severity {
            onshi::Severity::Error => "error",
            onshi::Severity::Warning => "warning",
        },
        "file": primary.map(|l| l.file.as_str()),
        "line": primary.map(|l| l.line),
        "column": primary.map(|l| l.column),
        "end_line": primary.map(|l| l.end_line),
        "end_column": primary.map(|l| l.end_column),
        "message": d.message.get(lang),
        "help": d.help.as_ref().map(|h| h.get(lang)),
    })
}

/// The whole run.
#[derive(Default)]
pub struct Results {
    pub policies: Vec<PolicyRun>,
    /// By (file, byte offset): source order within a file.
    pub items: BTreeMap<(String, u32), Item>,
}

impl Results {
    pub fn passed(&self) -> usize {
        self.cases().filter(|c| c.passed).count()
    }
    pub fn failed(&self) -> usize {
        self.cases().filter(|c| !c.passed).count()
    }
    pub fn broken(&self) -> usize {
        self.policies.iter().filter(|p| p.errors.is_some()).count()
    }
    fn cases(&self) -> impl Iterator<Item = &Case> {
        self.policies.iter().flat_map(|p| p.cases.iter())
    }

    /// The items of the files under test (an imported file counts only when it is tested too).
    pub fn tested_items<'a>(&'a self, files: &'a [String]) -> impl Iterator<Item = &'a Item> {
        self.items.values().filter(|i| files.contains(&i.file))
    }

    /// A file that did not compile.
    pub fn add_broken(&mut self, path: &str, compiled: &Compiled, lang: Lang) {
        let text: Vec<String> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .map(|d| render(d, &compiled.sources, lang))
            .collect();
        let errors: Vec<_> = compiled
            .diagnostics
            .iter()
            .filter(|d| d.is_error())
            .cloned()
            .collect();
        let diagnostics = DiagnosticData::compile(&errors, &compiled.sources)
            .iter()
            .map(|d| diagnostic_json(d, lang))
            .collect();
        self.policies.push(PolicyRun {
            path: path.to_string(),
            name: None,
            cases: Vec::new(),
            errors: Some(text.join("\n")),
            diagnostics,
        });
    }

    /// Run the examples of a compiled file and merge its coverage.
    pub fn add(&mut self, path: &str, program: &Program, compiled: &Compiled, lang: Lang) {
        let sources = &compiled.sources;
        let mut cov = Coverage::default();
        let outcomes = program.run_examples(&mut cov);
        let specs = program.example_specs(sources);
        let mut cases = Vec::new();
        for (outcome, spec) in outcomes.iter().zip(specs.iter()) {
            let mut expected = spec.expect.clone();
            expected.extend(spec.expect_definitions.clone());
            let mut actual = expected.clone();
            let mut failures = Vec::new();
            for m in &outcome.mismatches {
                actual.insert(m.name.clone(), actual_json(program, m));
                failures.push((
                    m.name.clone(),
                    program.expected_text(m, lang),
                    program.actual_text(m, lang),
                ));
            }
            cases.push(Case {
                name: outcome.name.clone(),
                at: at(sources, outcome.span),
                passed: outcome.passed(),
                expected,
                actual,
                failures,
            });
        }
        self.policies.push(PolicyRun {
            path: path.to_string(),
            name: program.name().map(str::to_string),
            cases,
            errors: None,
            diagnostics: Vec::new(),
        });
        let applied: Vec<_> = program
            .applied_without_winning(&cov)
            .into_iter()
            .map(|u| (u.span.file, u.span.start))
            .collect();
        for (u, covered) in program.coverage_items(&cov) {
            let status = if covered {
                Status::Covered
            } else if applied.contains(&(u.span.file, u.span.start)) {
                Status::AppliedOnly
            } else {
                Status::Uncovered
            };
            let place = at(sources, u.span);
            let entry = self
                .items
                .entry((place.file.clone(), u.span.start))
                .or_insert(Item {
                    file: place.file,
                    line: place.line,
                    column: place.column,
                    text: u.item.text().get(lang).to_string(),
                    status,
                });
            entry.status = entry.status.max(status);
        }
    }
}

fn actual_json(program: &Program, m: &Mismatch) -> Json {
    match &m.actual {
        Actual::Value(v) => program.value_to_json(v, &m.ty),
        Actual::Error(e) => {
            let d = e.to_diagnostic();
            json!({"error": {"code": e.code(), "message": {"ja": d.message.ja, "en": d.message.en}}})
        }
        Actual::NotEvaluated => Json::Null,
    }
}

/// Covered items and all items, over the files under test.
pub fn coverage_counts(results: &Results, files: &[String]) -> (usize, usize) {
    let mut covered = 0;
    let mut total = 0;
    for i in results.tested_items(files) {
        total += 1;
        if i.status == Status::Covered {
            covered += 1;
        }
    }
    (covered, total)
}
