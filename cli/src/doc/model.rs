//! A checked policy as the review document shows it: plain serialisable data, which the templates
//! only lay out. Every value is already written out (money with separators, 和暦 beside ISO dates),
//! in both languages ([`Words`]) wherever the reader's language matters: the model makes no
//! language choice; a page is worded once, when it is rendered ([`super::text::word`]).

use super::stamp::{self, Stamp};
use super::text::{
    allowed, fiscal_year_text, header_notes, matcher_text, meaning, readable, row_text, rule_kind,
    rule_label, rule_text, value_text, Words,
};
use onshi::examples::Coverage;
use onshi::program::{CKind, Cite, Program};
use onshi::SourceMap;
use onshi_grammar::ast::{RuleKind, Span};
use serde::Serialize;

#[derive(Serialize)]
pub struct PolicyDoc {
    /// The policy file, as given.
    pub path: String,
    /// The document's file name in the output folder.
    pub file: String,
    pub title: String,
    pub year: Option<Words>,
    pub sources: Vec<SourceDoc>,
    pub outputs: Vec<DefDoc>,
    pub definitions: Vec<DefDoc>,
    pub tables: Vec<TableDoc>,
    pub inputs: Vec<InputDoc>,
    pub examples: Vec<ExampleDoc>,
    pub passed: usize,
    pub failed: usize,
    pub coverage: CoverageDoc,
    /// The comment block that opens the policy file, line by line.
    pub notes: Vec<String>,
    /// What a signature refers to: the digest of the files, the version, the day.
    pub stamp: Stamp,
    /// How many of this file's rules (and definitions computed by a formula) rest on no quoted
    /// seed passage.
    pub support: SupportDoc,
}

#[derive(Serialize)]
pub struct SourceDoc {
    pub name: String,
    pub document: String,
    pub title: Option<String>,
    pub external: bool,
    /// What people know it by, quoted from it (when the policy declares them).
    pub issuer: Option<String>,
    pub date: Option<String>,
    pub number: Option<String>,
}

/// A 出典 next to what it supports: where in the document, and the document's own words.
#[derive(Serialize)]
pub struct CitationDoc {
    pub source: String,
    pub document: String,
    pub external: bool,
    pub place: Option<String>,
    pub passages: Vec<String>,
}

/// What a rule's citations rest on, for a reviewer: `seed` (at least one passage of a document at
/// hand, checked with `--sources`), `external` (only documents the project does not have),
/// `comment` (no 出典, a `#` comment above it), `none` (no 出典 and no comment).
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Support {
    Seed,
    External,
    Comment,
    None,
}

impl Support {
    fn of(citations: &[CitationDoc], note: &[String]) -> Self {
        if citations.iter().any(|c| !c.external) {
            Self::Seed
        } else if !citations.is_empty() {
            Self::External
        } else if !note.is_empty() {
            Self::Comment
        } else {
            Self::None
        }
    }
}

/// The count of rules by what their citations rest on (those resting on a seed are not listed).
#[derive(Serialize, Default)]
pub struct SupportDoc {
    pub external: usize,
    pub comment: usize,
    pub none: usize,
}

impl SupportDoc {
    fn count(&mut self, s: Support) {
        match s {
            Support::Seed => {}
            Support::External => self.external += 1,
            Support::Comment => self.comment += 1,
            Support::None => self.none += 1,
        }
    }
}

/// `covered`: an example made the rule win (or matched the row); `applied`: the rule applied but
/// never won; `uncovered`: no example reached it.
#[derive(Serialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Covered,
    Applied,
    Uncovered,
    /// A rule or row of an imported file: counted on that file's own page, not here.
    Imported,
}

#[derive(Serialize)]
pub struct DefDoc {
    pub name: String,
    pub type_text: Words,
    /// The comment written above it in the policy.
    pub meaning: Vec<String>,
    /// How it is computed, as written (when it is not 原則/例外 rules).
    pub formula: Option<Words>,
    /// Its rules, strongest first.
    pub rules: Vec<RuleDoc>,
    pub citations: Vec<CitationDoc>,
    /// For a definition computed by a formula (no rules): what its citations rest on.
    pub support: Option<Support>,
    pub at: String,
}

#[derive(Serialize)]
pub struct RuleDoc {
    /// 原則 / 例外 (principle / exception).
    pub kind: Words,
    pub exception: bool,
    pub label: String,
    /// The rule as written, after its label.
    pub text: Words,
    /// The rules it wins over (directly or through others).
    pub wins_over: Vec<Words>,
    /// The comment written above the rule in the policy.
    pub note: Vec<String>,
    pub citations: Vec<CitationDoc>,
    /// What its citations rest on.
    pub support: Support,
    pub status: Status,
    pub at: String,
}

#[derive(Serialize)]
pub struct TableDoc {
    pub name: String,
    pub anchor: String,
    pub meaning: Vec<String>,
    pub keys: Vec<String>,
    pub results: Vec<String>,
    pub rows: Vec<RowDoc>,
    pub citations: Vec<CitationDoc>,
    pub at: String,
}

#[derive(Serialize)]
pub struct RowDoc {
    pub number: usize,
    pub keys: Vec<Words>,
    pub results: Vec<Words>,
    pub status: Status,
    pub at: String,
}

#[derive(Serialize)]
pub struct InputDoc {
    pub name: String,
    pub type_text: Words,
    pub meaning: Vec<String>,
    pub required: bool,
    pub default: Option<Words>,
    pub allowed: Option<Words>,
    pub citations: Vec<CitationDoc>,
}

#[derive(Serialize)]
pub struct ExampleDoc {
    pub name: String,
    pub at: String,
    pub passed: bool,
    pub facts: Vec<(String, Words)>,
    pub expected: Vec<ExpectDoc>,
}

#[derive(Serialize)]
pub struct ExpectDoc {
    pub name: String,
    pub expected: Words,
    pub actual: Words,
    pub ok: bool,
}

#[derive(Serialize)]
pub struct CoverageDoc {
    pub covered: usize,
    pub total: usize,
    pub percent: String,
    /// The rules and rows no example exercised, and the rules that only applied: `(text, at)`.
    pub gaps: Vec<(Words, String)>,
    pub applied: Vec<(Words, String)>,
}

/// Build the document of one compiled policy: its examples are run for pass/fail and coverage.
pub fn policy_doc(path: &str, file: &str, p: &Program, sources: &SourceMap) -> PolicyDoc {
    let mut cov = Coverage::default();
    let outcomes = p.run_examples(&mut cov);
    // Definitions that are a row looked up in a table: `内容.補助率` reads 「補助内容 の 補助率」.
    let lookups: Vec<(String, String)> = p
        .defs()
        .iter()
        .filter_map(|d| match &d.body.kind {
            CKind::Lookup(t, _) => p
                .tables()
                .get(t.0 as usize)
                .map(|t| (d.name.clone(), t.name.clone())),
            _ => None,
        })
        .collect();
    let at = |s: Span| sources.locate(s);
    let cites = |cs: &[Cite]| citations(p, cs);
    let mut gaps = Vec::new();
    let mut applied = Vec::new();
    let (mut covered, mut total) = (0usize, 0usize);
    // Only this file's rules and rows count, as `onshi test --coverage <file>` counts them (those
    // of imported files count in their own documents).
    let own = |s: Span| sources.get(s.file).is_some_and(|f| f.path == path);
    let mut tally = |counted: bool, status: Status, text: Words, place: String| {
        if !counted {
            return;
        }
        total += 1;
        match status {
            Status::Covered => covered += 1,
            Status::Applied => applied.push((text, place)),
            Status::Uncovered => gaps.push((text, place)),
            Status::Imported => {}
        }
    };

    let mut support = SupportDoc::default();
    let mut outputs = Vec::new();
    let mut definitions = Vec::new();
    for (d, def) in p.defs().iter().enumerate() {
        let beats: Vec<u128> = match &def.body.kind {
            CKind::Rules(rs) => rs.iter().map(|r| r.beats).collect(),
            _ => Vec::new(),
        };
        let label_of = |k: usize| {
            def.rules.get(k).map_or_else(
                || Words::same(""),
                |r| rule_label(r.kind, r.label.as_deref()),
            )
        };
        let mut rules: Vec<(u32, RuleDoc)> = Vec::new();
        for (k, r) in def.rules.iter().enumerate() {
            let key = (d as u32, k as u32);
            let status = if !own(r.span) {
                Status::Imported
            } else if cov.rules.contains(&key) {
                Status::Covered
            } else if cov.applied.contains(&key) {
                Status::Applied
            } else {
                Status::Uncovered
            };
            let mask = beats.get(k).copied().unwrap_or(0);
            let label = label_of(k);
            tally(
                own(r.span),
                status,
                label.map(|l| format!("{} — {l}", def.name)),
                at(r.span),
            );
            let note = meaning(sources, r.span);
            let citations = cites(&r.cites);
            let rests_on = Support::of(&citations, &note);
            if own(r.span) {
                support.count(rests_on);
            }
            rules.push((
                mask.count_ones(),
                RuleDoc {
                    kind: rule_kind(r.kind),
                    exception: r.kind == RuleKind::Exception,
                    label: r.label.clone().unwrap_or_default(),
                    text: readable(&rule_text(sources.snippet(r.span)), &lookups),
                    wins_over: (0..def.rules.len())
                        .filter(|i| mask & (1u128 << i) != 0)
                        .map(label_of)
                        .collect(),
                    note,
                    citations,
                    support: rests_on,
                    status,
                    at: at(r.span),
                },
            ));
        }
        // Strongest first: the more rules one wins over, the earlier (stable: as written).
        rules.sort_by_key(|r| std::cmp::Reverse(r.0));
        let def_meaning = meaning(sources, def.span);
        let def_citations = cites(&def.cites);
        let def_support = def.rules.is_empty().then(|| {
            let s = Support::of(&def_citations, &def_meaning);
            if own(def.span) {
                support.count(s);
            }
            s
        });
        let doc = DefDoc {
            name: def.name.clone(),
            type_text: p.type_text(&def.ty).into(),
            meaning: def_meaning,
            formula: match &def.body.kind {
                _ if !def.rules.is_empty() => None,
                // A constant: its value worded (和暦 beside ISO, yen with separators).
                CKind::Const(v) => Some(value_text(p, v, &def.ty)),
                _ => Some(readable(&rule_text(sources.snippet(def.span)), &lookups)),
            },
            rules: rules.into_iter().map(|(_, r)| r).collect(),
            citations: def_citations,
            support: def_support,
            at: at(def.span),
        };
        if def.output {
            outputs.push(doc);
        } else {
            definitions.push(doc);
        }
    }

    let mut tables = Vec::new();
    for (t, table) in p.tables().iter().enumerate() {
        let mut rows = Vec::new();
        for (k, row) in table.rows.iter().enumerate() {
            let status = if !own(row.span) {
                Status::Imported
            } else if cov.rows.contains(&(t as u32, k as u32)) {
                Status::Covered
            } else {
                Status::Uncovered
            };
            tally(
                own(row.span),
                status,
                row_text(&table.name, k),
                at(row.span),
            );
            rows.push(RowDoc {
                number: k + 1,
                keys: row
                    .keys
                    .iter()
                    .zip(table.keys.iter())
                    .map(|(m, col)| matcher_text(p, m, &col.ty))
                    .collect(),
                results: row
                    .results
                    .iter()
                    .map(|e| match &e.kind {
                        CKind::Const(v) => value_text(p, v, &e.ty),
                        _ => Words::same(sources.snippet(e.span).trim()),
                    })
                    .collect(),
                status,
                at: at(row.span),
            });
        }
        tables.push(TableDoc {
            name: table.name.clone(),
            anchor: format!("table-{}", t + 1),
            meaning: meaning(sources, table.span),
            keys: table.keys.iter().map(|c| c.name.clone()).collect(),
            results: table.results.iter().map(|c| c.name.clone()).collect(),
            rows,
            citations: cites(&table.cites),
            at: at(table.span),
        });
    }

    let inputs = p
        .inputs()
        .iter()
        .map(|i| InputDoc {
            name: i.name.clone(),
            type_text: p.type_text(&i.ty).into(),
            meaning: meaning(sources, i.span),
            required: i.default.is_none(),
            default: i.default.as_ref().map(|v| value_text(p, v, &i.ty)),
            allowed: allowed(p, &i.ty),
            citations: cites(&i.cites),
        })
        .collect();

    let mut examples = Vec::new();
    for (ex, outcome) in p.examples().iter().zip(outcomes.iter()) {
        let facts = ex
            .given
            .iter()
            .filter_map(|(i, v)| {
                let input = p.input(*i)?;
                Some((input.name.clone(), value_text(p, v, &input.ty)))
            })
            .collect();
        let expected = ex
            .expect
            .iter()
            .filter_map(|(d, v)| {
                let def = p.def(*d)?;
                let expected = value_text(p, v, &def.ty);
                let miss = outcome.mismatches.iter().find(|m| m.name == def.name);
                Some(ExpectDoc {
                    name: def.name.clone(),
                    actual: miss.map_or_else(
                        || expected.clone(),
                        |m| Words::by(|lang| p.actual_text(m, lang)),
                    ),
                    expected,
                    ok: miss.is_none(),
                })
            })
            .collect();
        examples.push(ExampleDoc {
            name: ex.name.clone(),
            at: at(ex.span),
            passed: outcome.passed(),
            facts,
            expected,
        });
    }
    let passed = outcomes.iter().filter(|o| o.passed()).count();
    let percent = match (covered * 1000).checked_div(total) {
        Some(h) => format!("{}.{}", h / 10, h % 10),
        None => "100".to_string(),
    };
    let (title, year) = policy_title(path, p);
    PolicyDoc {
        path: path.to_string(),
        file: file.to_string(),
        title,
        year,
        sources: p
            .sources()
            .iter()
            .map(|s| SourceDoc {
                name: s.name.clone(),
                document: s.document.clone(),
                title: s.title.clone(),
                external: s.external,
                issuer: s.issuer.clone(),
                date: s.date.clone(),
                number: s.number.clone(),
            })
            .collect(),
        outputs,
        definitions,
        tables,
        inputs,
        passed,
        failed: outcomes.len() - passed,
        examples,
        coverage: CoverageDoc {
            covered,
            total,
            percent,
            gaps,
            applied,
        },
        notes: sources
            .find(path)
            .and_then(|id| sources.get(id))
            .map(|f| header_notes(&f.text))
            .unwrap_or_default(),
        stamp: stamp::of_sources(sources),
        support,
    }
}

/// The policy's name (its path when it has none) and its 年度 in words.
pub fn policy_title(path: &str, p: &Program) -> (String, Option<Words>) {
    (
        p.name().map_or_else(|| path.to_string(), str::to_string),
        p.fiscal_year().map(fiscal_year_text),
    )
}

pub(super) fn citations(p: &Program, cs: &[Cite]) -> Vec<CitationDoc> {
    p.citations(cs)
        .into_iter()
        .map(|c| CitationDoc {
            source: c.source,
            document: c.document,
            external: c.external,
            place: c.place.filter(|s| !s.is_empty()),
            passages: c.passages,
        })
        .collect()
}
