//! `onshi doc --compare <old> <new>`: `onshi diff`'s report ([`onshi_diff::Report`]) as a page in
//! the document's style: the interface changes, then each changed output with, for whom (the
//! grouped witnesses), one minimal set of facts with the old and new values, and the rules and
//! table rows responsible on each side.

use super::model::policy_title;
use super::text::Words;
use onshi::{Compiled, Lang};
use onshi_diff::{self as diff, Change, Edition, Options, Responsible};
use serde::Serialize;

#[derive(Serialize)]
pub struct CompareDoc {
    pub file: String,
    pub old: EditionDoc,
    pub new: EditionDoc,
    /// One line per interface difference, in `onshi diff`'s words.
    pub interface: Vec<Words>,
    /// Changes grouped by output, in the report's order.
    pub outputs: Vec<OutputChanges>,
    /// (output, further differing combinations past the group limit)
    pub ungrouped: Vec<(String, String)>,
    pub searched: String,
    /// Per output the search found unchanged: proved, agreeing only at the defaults of the inputs
    /// one edition lacks, or only searched (why) — in the page's words.
    pub proofs: Vec<Words>,
    /// Every shared output proved unchanged for all facts.
    pub all_proved: bool,
    pub shared_outputs: usize,
    pub shared_inputs: usize,
}

#[derive(Serialize)]
pub struct EditionDoc {
    pub path: String,
    pub title: String,
    pub year: Option<Words>,
    /// The edition's own document, beside this page.
    pub file: String,
}

#[derive(Serialize)]
pub struct OutputChanges {
    pub output: String,
    pub groups: Vec<GroupDoc>,
}

#[derive(Serialize)]
pub struct GroupDoc {
    /// `施設種別 = 病院`, `事業 ∈ {訪問診療等, 外来診療等}`; empty: whatever the inputs.
    pub when: Vec<String>,
    /// Outputs with one value over the whole group (`補助区分 = 病院`).
    pub context: Vec<String>,
    pub points: String,
    pub facts: Vec<(String, String)>,
    pub old_value: String,
    pub new_value: String,
    pub responsible_old: Vec<ResponsibleDoc>,
    pub responsible_new: Vec<ResponsibleDoc>,
}

#[derive(Serialize)]
pub struct ResponsibleDoc {
    pub what: Words,
    pub at: String,
    pub changed: bool,
}

/// `1,234`
fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

fn responsible(rs: &[Responsible]) -> Vec<ResponsibleDoc> {
    rs.iter()
        .map(|r| ResponsibleDoc {
            what: r.what.clone().into(),
            at: r.at.clone(),
            changed: r.changed,
        })
        .collect()
}

fn group(c: &Change) -> GroupDoc {
    GroupDoc {
        when: c
            .when
            .iter()
            .map(|w| match w.values.as_slice() {
                [one] => format!("{} = {one}", w.input),
                many => format!("{} ∈ {{{}}}", w.input, many.join(", ")),
            })
            .collect(),
        context: c
            .context
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect(),
        points: thousands(c.points),
        facts: c
            .witness
            .facts
            .iter()
            .map(|f| (f.name.clone(), f.text.clone()))
            .collect(),
        old_value: c.witness.old.text.clone(),
        new_value: c.witness.new.text.clone(),
        responsible_old: responsible(&c.witness.responsible_old),
        responsible_new: responsible(&c.witness.responsible_new),
    }
}

/// What the solver said about the outputs the search found unchanged, for an approver: an output
/// that agrees only while the inputs one edition lacks stay at their defaults says which inputs.
pub(super) fn proof_lines(report: &diff::Report, lang: Lang) -> (Vec<String>, bool) {
    use diff::ProofStatus as P;
    let ja = lang == Lang::Ja;
    let Some(p) = &report.proofs else {
        return (
            vec![if ja {
                "探索のみ・未証明: ソルバーがなかったため、「変わらない」は試した組合せについてだけ言えることです".into()
            } else {
                "Searched, not proved: no solver was available, so \"unchanged\" holds only for the combinations tried".into()
            }],
            false,
        );
    };
    let names = |v: &[(String, bool)]| {
        v.iter()
            .map(|(n, _)| n.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let (only_old, only_new) = (
        names(&report.schema.inputs_only_old),
        names(&report.schema.inputs_only_new),
    );
    let mut all = true;
    let mut lines = Vec::new();
    for (o, st) in &p.outputs {
        lines.push(match (st, ja) {
            (P::Changed, _) => continue,
            (P::Proved { .. }, true) => format!("{o}: どの事実でも変わらないことを証明済み（{}）", p.backend),
            (P::Proved { .. }, false) => format!("{o}: proved unchanged for all facts ({})", p.backend),
            (P::OnlyAtDefaults { .. }, true) => {
                all = false;
                format!("{o}: 一致するのは、片方の版にしかない入力（旧のみ: {only_old}／新のみ: {only_new}）を既定値のままにしたときだけです。これらの入力に値が入ると変わりえます")
            }
            (P::OnlyAtDefaults { .. }, false) => {
                all = false;
                format!("{o}: agrees only while the inputs one edition lacks (old only: {only_old}; new only: {only_new}) stay at their defaults; with values there it can change")
            }
            (P::Searched { reason }, true) => {
                all = false;
                format!("{o}: 探索した範囲では変わらない（探索のみ・未証明: {reason}）")
            }
            (P::Searched { reason }, false) => {
                all = false;
                format!("{o}: unchanged where searched (searched, not proved: {reason})")
            }
        });
    }
    (lines, all)
}

/// The comparison page of two compiled editions (None when either did not compile).
pub fn compare_doc(
    old_path: &str,
    old: &Compiled,
    new_path: &str,
    new: &Compiled,
    base: &str,
) -> Option<CompareDoc> {
    let (op, np) = (old.program.as_ref()?, new.program.as_ref()?);
    let report = diff::diff(
        Edition {
            program: op,
            sources: &old.sources,
            label: old_path,
        },
        Edition {
            program: np,
            sources: &new.sources,
            label: new_path,
        },
        &Options::default(),
    );
    // The summary's first lines are the interface differences, in onshi diff's words.
    let tail = report.changes.len() + report.ungrouped.len() + usize::from(!report.differs());
    let interface_in = |lang: Lang| -> Vec<String> {
        let summary = report.summary(lang);
        let lines: Vec<&str> = summary.lines().collect();
        lines
            .iter()
            .take(lines.len().saturating_sub(tail))
            .map(|l| l.to_string())
            .collect()
    };
    let (ja, en) = (interface_in(Lang::Ja), interface_in(Lang::En));
    // (The two summaries have the same lines; a line one lacks shows the other's.)
    let interface = (0..ja.len().max(en.len()))
        .map(|i| {
            let (j, e) = (ja.get(i), en.get(i));
            Words {
                ja: j.or(e).cloned().unwrap_or_default(),
                en: e.or(j).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let mut outputs: Vec<OutputChanges> = Vec::new();
    for c in &report.changes {
        let g = group(c);
        match outputs.iter_mut().find(|o| o.output == c.output) {
            Some(o) => o.groups.push(g),
            None => outputs.push(OutputChanges {
                output: c.output.clone(),
                groups: vec![g],
            }),
        }
    }
    let edition = |path: &str, p: &onshi::Program| {
        let (title, year) = policy_title(path, p);
        EditionDoc {
            path: path.to_string(),
            title,
            year,
            file: super::file_name(path, base),
        }
    };
    let stem = |p: &str| {
        super::file_name(p, base)
            .trim_end_matches(".html")
            .to_string()
    };
    let (ja, all_proved) = proof_lines(&report, Lang::Ja);
    let (en, _) = proof_lines(&report, Lang::En);
    let proofs = ja
        .into_iter()
        .zip(en)
        .map(|(ja, en)| Words { ja, en })
        .collect();
    Some(CompareDoc {
        proofs,
        all_proved,
        file: format!("compare-{}-{}.html", stem(old_path), stem(new_path)),
        old: edition(old_path, op),
        new: edition(new_path, np),
        interface,
        outputs,
        ungrouped: report
            .ungrouped
            .iter()
            .map(|(o, n)| (o.clone(), thousands(*n)))
            .collect(),
        searched: thousands(report.points),
        shared_outputs: report.schema.outputs.len(),
        shared_inputs: report.schema.inputs.len(),
    })
}
