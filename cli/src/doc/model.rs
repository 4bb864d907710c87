//! A checked policy as the review document shows it: plain serialisable data (every value already
//! worded in the reader's language: money with separators, 和暦 beside ISO dates), which the
//! templates only lay out.

use super::stamp::{self, Stamp};
use super::text::{fiscal_year_text, header_notes, meaning, readable, rule_text, value_text};
use onshi::examples::Coverage;
use onshi::program::{CKind, Cite, Matcher, Program};
use onshi::types::Type;
use onshi::{Lang, SourceMap};
use onshi_grammar::ast::{CmpOp, RuleKind, Span};
use serde::Serialize;

#[derive(Serialize)]
pub struct PolicyDoc {
    /// The policy file, as given.
    pub path: String,
    /// The document's file name in the output folder.
    pub file: String,
    pub title: String,
    pub year: Option<String>,
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
    pub type_text: String,
    /// The comment written above it in the policy.
    pub meaning: Vec<String>,
    /// How it is computed, as written (when it is not 原則/例外 rules).
    pub formula: Option<String>,
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
    pub kind: String,
    pub exception: bool,
    pub label: String,
    /// The rule as written, after its label.
    pub text: String,
    /// The rules it wins over (directly or through others).
    pub wins_over: Vec<String>,
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
    pub keys: Vec<String>,
    pub results: Vec<String>,
    pub status: Status,
    pub at: String,
}

#[derive(Serialize)]
pub struct InputDoc {
    pub name: String,
    pub type_text: String,
    pub meaning: Vec<String>,
    pub required: bool,
    pub default: Option<String>,
    pub allowed: Option<String>,
    pub citations: Vec<CitationDoc>,
}

#[derive(Serialize)]
pub struct ExampleDoc {
    pub name: String,
    pub at: String,
    pub passed: bool,
    pub facts: Vec<(String, String)>,
    pub expected: Vec<ExpectDoc>,
}

#[derive(Serialize)]
pub struct ExpectDoc {
    pub name: String,
    pub expected: String,
    pub actual: String,
    pub ok: bool,
}

#[derive(Serialize)]
pub struct CoverageDoc {
    pub covered: usize,
    pub total: usize,
    pub percent: String,
    /// The rules and rows no example exercised, and the rules that only applied: `(text, at)`.
    pub gaps: Vec<(String, String)>,
    pub applied: Vec<(String, String)>,
}

/// Build the document of one compiled policy: its examples are run for pass/fail and coverage.
pub fn policy_doc(
    path: &str,
    file: &str,
    p: &Program,
    sources: &SourceMap,
    lang: Lang,
) -> PolicyDoc {
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
    let ja = lang == Lang::Ja;
    let mut gaps = Vec::new();
    let mut applied = Vec::new();
    let (mut covered, mut total) = (0usize, 0usize);
    // Only this file's rules and rows count, as `onshi test --coverage <file>` counts them (those
    // of imported files count in their own documents).
    let own = |s: Span| sources.get(s.file).is_some_and(|f| f.path == path);
    let mut tally = |counted: bool, status: Status, text: String, place: String| {
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
            def.rules
                .get(k)
                .map(|r| rule_label(r.kind, r.label.as_deref(), lang))
                .unwrap_or_default()
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
                format!("{} — {label}", def.name),
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
                    kind: rule_kind(r.kind, lang).to_string(),
                    exception: r.kind == RuleKind::Exception,
                    label: r.label.clone().unwrap_or_default(),
                    text: readable(&rule_text(sources.snippet(r.span)), &lookups, lang),
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
            type_text: p.type_text(&def.ty).get(lang).to_string(),
            meaning: def_meaning,
            formula: match &def.body.kind {
                _ if !def.rules.is_empty() => None,
                // A constant: its value worded (和暦 beside ISO, yen with separators).
                CKind::Const(v) => Some(value_text(p, v, &def.ty, lang)),
                _ => Some(readable(
                    &rule_text(sources.snippet(def.span)),
                    &lookups,
                    lang,
                )),
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
            let text = if ja {
                format!("表 {} の {} 行目", table.name, k + 1)
            } else {
                format!("row {} of table {}", k + 1, table.name)
            };
            tally(own(row.span), status, text, at(row.span));
            rows.push(RowDoc {
                number: k + 1,
                keys: row
                    .keys
                    .iter()
                    .zip(table.keys.iter())
                    .map(|(m, col)| matcher_text(p, m, &col.ty, lang))
                    .collect(),
                results: row
                    .results
                    .iter()
                    .map(|e| match &e.kind {
                        CKind::Const(v) => value_text(p, v, &e.ty, lang),
                        _ => sources.snippet(e.span).trim().to_string(),
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
            type_text: p.type_text(&i.ty).get(lang).to_string(),
            meaning: meaning(sources, i.span),
            required: i.default.is_none(),
            default: i.default.as_ref().map(|v| value_text(p, v, &i.ty, lang)),
            allowed: allowed(p, &i.ty, lang),
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
                Some((input.name.clone(), value_text(p, v, &input.ty, lang)))
            })
            .collect();
        let expected = ex
            .expect
            .iter()
            .filter_map(|(d, v)| {
                let def = p.def(*d)?;
                let expected = value_text(p, v, &def.ty, lang);
                let miss = outcome.mismatches.iter().find(|m| m.name == def.name);
                Some(ExpectDoc {
                    name: def.name.clone(),
                    actual: miss.map_or_else(|| expected.clone(), |m| p.actual_text(m, lang)),
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
    let (title, year) = policy_title(path, p, lang);
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
pub fn policy_title(path: &str, p: &Program, lang: Lang) -> (String, Option<String>) {
    (
        p.name().map_or_else(|| path.to_string(), str::to_string),
        p.fiscal_year().map(|y| fiscal_year_text(y, lang)),
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

fn rule_kind(kind: RuleKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (RuleKind::Principle, Lang::Ja) => "原則",
        (RuleKind::Exception, Lang::Ja) => "例外",
        (RuleKind::Principle, _) => "principle",
        (RuleKind::Exception, _) => "exception",
    }
}

fn rule_label(kind: RuleKind, label: Option<&str>, lang: Lang) -> String {
    format!("{} {}", rule_kind(kind, lang), label.unwrap_or_default())
        .trim()
        .to_string()
}

/// A key cell: `-` (any), a value, variants, a comparison or a range.
fn matcher_text(p: &Program, m: &Matcher, ty: &Type, lang: Lang) -> String {
    match m {
        Matcher::Any => "-".to_string(),
        Matcher::Eq(v) => value_text(p, v, ty, lang),
        Matcher::OneOf(bits) => match ty.strip_optional() {
            Type::Enum(e) => p.set_members(*e, *bits).join(", "),
            _ => "?".to_string(),
        },
        Matcher::Cmp(op, v) => {
            let op = match op {
                CmpOp::Lt => "<",
                CmpOp::Le => "≤",
                CmpOp::Gt => ">",
                CmpOp::Ge => "≥",
                CmpOp::Ne => "≠",
                _ => "=",
            };
            format!("{op} {}", value_text(p, v, ty, lang))
        }
        Matcher::Range(a, b) => format!(
            "{} 〜 {}",
            value_text(p, a, ty, lang),
            value_text(p, b, ty, lang)
        ),
    }
}

/// The values an input takes, when they are few: variants (and named groups), 真/偽.
fn allowed(p: &Program, ty: &Type, lang: Lang) -> Option<String> {
    let ja = lang == Lang::Ja;
    let base = match ty.strip_optional() {
        Type::Bool => Some(if ja { "真, 偽" } else { "true, false" }.to_string()),
        Type::Enum(e) | Type::Set(e) => p.enums().get(e.0 as usize).map(|en| {
            let mut s = en.variants.join(", ");
            for (name, bits) in &en.groups {
                s.push_str(&format!(
                    "（{} {name} = {}）",
                    if ja { "群" } else { "group" },
                    p.set_members(*e, *bits).join(", ")
                ));
            }
            if matches!(ty.strip_optional(), Type::Set(_)) {
                s = if ja {
                    format!("次の値の集合: {s}")
                } else {
                    format!("a set of: {s}")
                };
            }
            s
        }),
        _ => None,
    };
    if ty.is_optional() {
        let absent = if ja { "未設定" } else { "absent" };
        Some(base.map_or_else(|| absent.to_string(), |b| format!("{b}, {absent}")))
    } else {
        base
    }
}
