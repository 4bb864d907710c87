//! The readings (解釈) of a policy, for approvers: each with the passages that make the sources
//! ambiguous, every 案 with its expression and the passages on its side, the adopted one, and for
//! every other 案 what changes if the policy read it that way (the groups of `onshi diff <policy>
//! --reading 名前=案`, from the same search).

use super::model::{citations, CitationDoc};
use super::text::meaning;
use crate::diff_readings::reading_reports;
use onshi::{Lang, Program, SourceMap};
use onshi_diff::Options;
use serde::Serialize;

#[derive(Serialize)]
pub struct ReadingDoc {
    pub name: String,
    pub type_text: String,
    /// The comment lines above the declaration.
    pub meaning: Vec<String>,
    /// The passages that make the sources ambiguous.
    pub citations: Vec<CitationDoc>,
    pub options: Vec<OptionDoc>,
    pub adopted: String,
    pub at: String,
}

#[derive(Serialize)]
pub struct OptionDoc {
    pub name: String,
    /// The 案's expression as written.
    pub formula: String,
    pub adopted: bool,
    pub citations: Vec<CitationDoc>,
    /// For a 案 not adopted: one line per group of facts whose outputs it changes (empty: no
    /// searched facts change).
    pub affected: Vec<String>,
    /// One smallest case per change: the facts, and the output as adopted and under this 案.
    pub witnesses: Vec<String>,
    /// Per output the comparison found unchanged: proved, or only searched (why), in the page's
    /// words (as on the comparison page).
    pub proofs: Vec<String>,
    /// Input combinations the search evaluated.
    pub searched: usize,
    pub at: String,
}

/// Every reading `p` declares (its own and its imports'), worded in `lang`.
pub fn readings_doc(p: &Program, sources: &SourceMap, path: &str, lang: Lang) -> Vec<ReadingDoc> {
    if p.readings().is_empty() {
        return Vec::new();
    }
    let reports = reading_reports(p, sources, path, &Options::default(), lang);
    p.readings()
        .iter()
        .map(|r| {
            let ty = p
                .def(r.def)
                .map(|d| d.ty.clone())
                .unwrap_or(onshi::Type::Error);
            let options = r
                .options
                .iter()
                .enumerate()
                .map(|(i, o)| {
                    let report = reports
                        .iter()
                        .find(|(n, opt, _)| *n == r.name && *opt == o.name)
                        .map(|(_, _, rep)| rep);
                    OptionDoc {
                        name: o.name.clone(),
                        formula: sources.snippet(o.body.span).to_string(),
                        adopted: i == r.adopted,
                        citations: citations(p, &o.cites),
                        affected: report.map_or_else(Vec::new, |rep| {
                            if rep.differs() {
                                rep.summary(lang).lines().map(str::to_string).collect()
                            } else {
                                Vec::new()
                            }
                        }),
                        witnesses: report.map_or_else(Vec::new, |rep| witnesses(rep, lang)),
                        proofs: report
                            .map_or_else(Vec::new, |rep| super::compare::proof_lines(rep, lang).0),
                        searched: report.map_or(0, |rep| rep.points),
                        at: sources.locate(o.span),
                    }
                })
                .collect();
            ReadingDoc {
                name: r.name.clone(),
                type_text: p.type_text(&ty).get(lang).to_string(),
                meaning: meaning(sources, r.span),
                citations: citations(p, &r.cites),
                options,
                adopted: r.option_name(r.adopted).to_string(),
                at: sources.locate(r.span),
            }
        })
        .collect()
}

/// `補助額: 事業 = 外来診療等, … → 採用 0円 / この案 41,000円`, one per change.
fn witnesses(rep: &onshi_diff::Report, lang: Lang) -> Vec<String> {
    rep.changes
        .iter()
        .map(|c| {
            let facts: Vec<String> = c
                .witness
                .facts
                .iter()
                .map(|f| format!("{} = {}", f.name, f.text))
                .collect();
            let (sep, adopted, this) = match lang {
                Lang::Ja => ("、", "採用", "この案"),
                Lang::En => (", ", "adopted", "this option"),
            };
            format!(
                "{}: {} → {adopted} {} / {this} {}",
                c.output,
                facts.join(sep),
                c.witness.old.text,
                c.witness.new.text
            )
        })
        .collect()
}
