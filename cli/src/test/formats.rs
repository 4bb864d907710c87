//! `onshi test --format json | junit | lcov`: the run ([`Results`]) in the forms CI systems and
//! coverage tools read.
//!
//! - **json**: `{"examples": [one record per example: policy, policy_name, name, location, status,
//!   expected, actual, failures], "errors": [files that did not compile, each with its diagnostics
//!   as data: code, severity, file, line, column, message, help], "coverage": …, "passed",
//!   "failed"}`.
//! - **junit**: JUnit XML (GitLab, Jenkins, GitHub Actions): one `<testsuite>` per policy file,
//!   one `<testcase>` per example, `<failure>` with expected / actual, a file that does not compile
//!   as one `<testcase>` with an `<error>`.
//! - **lcov**: the tracefile format of `lcov`/`genhtml` (and editors' coverage gutters): each
//!   rule and table row is a line (`DA:<line>,<hits>`, 1 when an example made the rule win or
//!   matched the row); a rule that applied without ever winning is also a branch not taken
//!   (`BRDA`), so tools show it apart.

use super::collect::{coverage_counts, Results, Status};
use onshi::Lang;
use serde_json::{json, Value as Json};
use std::fmt::Write;

/// The JSON document.
pub fn to_json(results: &Results, files: &[String], coverage: bool) -> Json {
    let mut examples = Vec::new();
    let mut errors = Vec::new();
    for p in &results.policies {
        if p.errors.is_some() {
            errors.push(json!({"policy": p.path, "diagnostics": p.diagnostics}));
        }
        for c in &p.cases {
            let failures: Vec<Json> = c
                .failures
                .iter()
                .map(|(name, expected, actual)| {
                    json!({"name": name, "expected": expected, "actual": actual})
                })
                .collect();
            examples.push(json!({
                "policy": p.path,
                "policy_name": p.name,
                "name": c.name,
                "location": c.at,
                "status": if c.passed { "passed" } else { "failed" },
                "expected": c.expected,
                "actual": c.actual,
                "failures": failures,
            }));
        }
    }
    let mut doc = json!({
        "examples": examples,
        "errors": errors,
        "passed": results.passed(),
        "failed": results.failed(),
    });
    if coverage {
        let (covered, total) = coverage_counts(results, files);
        let items: Vec<Json> = results
            .tested_items(files)
            .map(|i| {
                json!({
                    "file": i.file,
                    "line": i.line,
                    "column": i.column,
                    "item": i.text,
                    "status": match i.status {
                        Status::Covered => "covered",
                        Status::AppliedOnly => "applied_without_winning",
                        Status::Uncovered => "uncovered",
                    },
                })
            })
            .collect();
        if let Some(obj) = doc.as_object_mut() {
            obj.insert(
                "coverage".into(),
                json!({"covered": covered, "total": total, "items": items}),
            );
        }
    }
    doc
}

/// Text for XML character data (line breaks kept).
fn xml_text(s: &str) -> String {
    xml(s).replace("&#10;", "\n")
}

/// Text for XML attribute values.
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\n' => out.push_str("&#10;"),
            '\t' => out.push_str("&#9;"),
            // Characters XML 1.0 does not allow (other control characters) are dropped.
            c if (c as u32) < 0x20 && c != '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// A JUnit class name for a policy path: its folders and file name joined by dots, without
/// `.onshi` and without the `.`/`..` steps of a relative path (`../shared/x.onshi` → `shared.x`).
fn classname(path: &str) -> String {
    path.trim_end_matches(".onshi")
        .split(['/', '\\'])
        .filter(|part| !part.is_empty() && *part != "." && *part != "..")
        .collect::<Vec<_>>()
        .join(".")
}

/// The JUnit XML document.
pub fn to_junit(results: &Results, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let tests: usize = results
        .policies
        .iter()
        .map(|p| p.cases.len().max(usize::from(p.errors.is_some())))
        .sum();
    let _ = writeln!(
        out,
        "<testsuites name=\"onshi test\" tests=\"{tests}\" failures=\"{}\" errors=\"{}\" time=\"0\">",
        results.failed(),
        results.broken()
    );
    // Files without examples (imported libraries) and without errors have nothing to report.
    for p in results
        .policies
        .iter()
        .filter(|p| !p.cases.is_empty() || p.errors.is_some())
    {
        let failures = p.cases.iter().filter(|c| !c.passed).count();
        let errors = usize::from(p.errors.is_some());
        let classname = classname(&p.path);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"0\" time=\"0\" file=\"{}\">",
            xml(p.name.as_deref().unwrap_or(&p.path)),
            p.cases.len().max(errors),
            xml(&p.path)
        );
        if let Some(e) = &p.errors {
            let msg = if ja {
                "ポリシーにエラーがあり、例を実行できません"
            } else {
                "the policy has errors; no example ran"
            };
            let _ = writeln!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"0\">\n      <error type=\"onshi::check\" message=\"{}\">{}</error>\n    </testcase>",
                xml(&p.path),
                xml(&classname),
                xml(msg),
                xml_text(e)
            );
        }
        for c in &p.cases {
            let _ = write!(
                out,
                "    <testcase name=\"{}\" classname=\"{}\" time=\"0\"",
                xml(&c.name),
                xml(&classname)
            );
            if c.passed {
                out.push_str("/>\n");
                continue;
            }
            let lines: Vec<String> = c
                .failures
                .iter()
                .map(|(n, e, a)| {
                    if ja {
                        format!("{n}: 期待 {e} / 実際 {a}")
                    } else {
                        format!("{n}: expected {e} / actual {a}")
                    }
                })
                .collect();
            let place = format!("{}:{}:{}", c.at.file, c.at.line, c.at.column);
            let _ = writeln!(
                out,
                ">\n      <failure type=\"onshi::example\" message=\"{}\">{}</failure>\n    </testcase>",
                xml(&lines.join("; ")),
                xml_text(&format!("{place}\n{}", lines.join("\n")))
            );
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

/// The lcov tracefile: one record per source file under test.
pub fn to_lcov(results: &Results, files: &[String]) -> String {
    let mut out = String::from("TN:onshi\n");
    let mut current: Option<&str> = None;
    // Lines found and hit, and branches found, in the current file.
    let (mut found, mut hit, mut branches) = (0usize, 0usize, 0usize);
    let close = |out: &mut String, f: usize, h: usize, b: usize| {
        if b > 0 {
            let _ = writeln!(out, "BRF:{b}\nBRH:0");
        }
        let _ = writeln!(out, "LF:{f}\nLH:{h}\nend_of_record");
    };
    let mut last_line = 0;
    for item in results.tested_items(files) {
        if current != Some(item.file.as_str()) {
            if current.is_some() {
                close(&mut out, found, hit, branches);
            }
            let _ = writeln!(out, "SF:{}", item.file);
            current = Some(item.file.as_str());
            (found, hit, branches, last_line) = (0, 0, 0, 0);
        }
        // Two items on one line (not written by the formatter, but possible) are one lcov line.
        if item.line == last_line {
            continue;
        }
        last_line = item.line;
        let covered = item.status == Status::Covered;
        let _ = writeln!(out, "DA:{},{}", item.line, usize::from(covered));
        found += 1;
        hit += usize::from(covered);
        if item.status == Status::AppliedOnly {
            // The rule was reached (its condition held) but its "wins" branch never taken.
            let _ = writeln!(out, "BRDA:{},0,0,0", item.line);
            branches += 1;
        }
    }
    if current.is_some() {
        close(&mut out, found, hit, branches);
    }
    out
}
