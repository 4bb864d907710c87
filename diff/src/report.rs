//! What [`diff`](crate::diff) reports: the changes with their witnesses and what is responsible,
//! as text (ja/en) and as JSON.

use crate::joint::Outcome;
use crate::responsible::Responsible;
use crate::schema::{schema_json, schema_lines, Schema};
use crate::Side;
use onshi::program::Program;
use onshi::types::Type;
use onshi_grammar::num::Num;
use onshi_grammar::Lang;
use serde_json::{json, Map, Value as Json};

/// A value as shown: readable text and the JSON form of `onshi eval --format json` (an error is
/// `{"error": code}`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shown {
    pub text: String,
    pub json: Json,
}

pub(crate) fn shown(p: &Program, ty: Option<&Type>, r: &Outcome) -> Shown {
    match (r, ty) {
        (Ok(v), Some(ty)) => Shown {
            text: p.value_to_text(v, ty),
            json: p.value_to_json(v, ty),
        },
        (Ok(v), None) => Shown {
            text: format!("{v:?}"),
            json: Json::Null,
        },
        (Err(code), _) => Shown {
            text: format!("エラー {code}"),
            json: json!({ "error": code }),
        },
    }
}

/// One input of a witness: its text and its JSON fact on each side that has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fact {
    pub name: String,
    pub text: String,
    pub old: Option<Json>,
    pub new: Option<Json>,
}

/// A minimal set of facts on which the editions disagree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Witness {
    /// The inputs not at their defaults (and every required one).
    pub facts: Vec<Fact>,
    pub old: Shown,
    pub new: Shown,
    pub responsible_old: Vec<Responsible>,
    pub responsible_new: Vec<Responsible>,
}

/// An input that matters to a change, and the values for which the output changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Condition {
    pub input: String,
    pub values: Vec<String>,
}

/// One group of differences of one output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub output: String,
    /// The enumeration and 真偽 inputs that matter (at the witness), with the values for which the
    /// output changes. Empty: whatever their values.
    pub when: Vec<Condition>,
    /// Enumeration-valued outputs that are the same on both sides and had one value over every
    /// combination in the group (e.g. 補助区分 = 病院).
    pub context: Vec<(String, String)>,
    /// Searched combinations in this group.
    pub points: usize,
    pub witness: Witness,
}

/// What [`diff`](crate::diff) found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    pub old: String,
    pub new: String,
    pub schema: Schema,
    /// Input combinations evaluated on both sides.
    pub points: usize,
    /// Evaluations in all (search, shrinking, grouping, explaining).
    pub evaluations: usize,
    pub changes: Vec<Change>,
    /// (output, differing combinations no group shows, past `max_groups`)
    pub ungrouped: Vec<(String, usize)>,
    /// What a solver proved (`None`: no solver ran — searched, not proved).
    pub proofs: Option<crate::Proofs>,
}

impl Report {
    /// Whether the editions differ: a shared output changed, or the interfaces differ.
    pub fn differs(&self) -> bool {
        !self.changes.is_empty() || !self.ungrouped.is_empty() || !self.schema.unchanged()
    }

    /// One line per interface difference and per change (no counts, no witnesses): stable enough
    /// to pin in tests.
    pub fn summary(&self, lang: Lang) -> String {
        let mut lines = schema_lines(&self.schema, lang);
        for c in &self.changes {
            lines.push(format!("{}: {}", c.output, change_scope(c, lang)));
        }
        for (output, n) in &self.ungrouped {
            lines.push(match lang {
                Lang::Ja => format!("{output}: ほかに {} 通り", thousands(*n)),
                Lang::En => format!("{output}: {} more combinations", thousands(*n)),
            });
        }
        if !self.differs() {
            lines.push(match lang {
                Lang::Ja => "差分なし".to_string(),
                Lang::En => "no difference".to_string(),
            });
        }
        lines.join("\n")
    }

    /// The report for people: each change with its one-line witness and the rules responsible.
    pub fn to_text(&self, lang: Lang) -> String {
        let ja = lang == Lang::Ja;
        let mut out = format!("{} → {}\n", self.old, self.new);
        for line in schema_lines(&self.schema, lang) {
            out.push_str(&format!("  {line}\n"));
        }
        for c in &self.changes {
            let count = if ja {
                format!("{} 通り", thousands(c.points))
            } else {
                format!("{} combination(s)", thousands(c.points))
            };
            if ja {
                out.push_str(&format!(
                    "  {} が変わる: {} — {count}\n",
                    c.output,
                    change_scope(c, lang)
                ));
            } else {
                out.push_str(&format!(
                    "  {} changed {} — {count}\n",
                    c.output,
                    change_scope(c, lang)
                ));
            }
            out.push_str(&witness_lines(&c.witness, lang, "    "));
        }
        for (output, n) in &self.ungrouped {
            out.push_str(&if ja {
                format!(
                    "  {output}: ほかに {} 通り（グループの上限を超えた分）\n",
                    thousands(*n)
                )
            } else {
                format!(
                    "  {output}: {} more differing combination(s) past the group limit\n",
                    thousands(*n)
                )
            });
        }
        out.push_str(&proof_lines(self.proofs.as_ref(), lang));
        let (outputs, inputs, points) = (
            self.schema.outputs.len(),
            self.schema.inputs.len(),
            thousands(self.points),
        );
        let agree = self.changes.is_empty() && self.ungrouped.is_empty();
        out.push_str(&if agree {
            let head = match (ja, self.schema.unchanged()) {
                (true, true) => "差分なし: ",
                (true, false) => "入出力の違いは上のとおり。",
                (false, true) => "no difference: ",
                (false, false) => "interfaces differ as above; ",
            };
            if ja {
                format!("  {head}共有する出力 {outputs} 件は、共有する入力 {inputs} 件の {points} 通りの組み合わせですべて一致\n")
            } else {
                format!("  {head}the {outputs} shared output(s) agree on all {points} combinations of the {inputs} shared input(s) searched\n")
            }
        } else if ja {
            format!(
                "  変更 {} 件（共有する出力 {outputs} 件、共有する入力 {inputs} 件、{points} 通りを探索）\n",
                self.changes.len()
            )
        } else {
            format!(
                "  {} change(s) ({outputs} shared output(s), {inputs} shared input(s), {points} combinations searched)\n",
                self.changes.len()
            )
        });
        out
    }

    /// The report for tools.
    pub fn to_json(&self) -> Json {
        json!({
            "old": self.old,
            "new": self.new,
            "differs": self.differs(),
            "points": self.points,
            "schema": schema_json(&self.schema),
            "changes": self.changes.iter().map(|c| {
                let when: Map<String, Json> = c
                    .when
                    .iter()
                    .map(|w| (w.input.clone(), json!(w.values)))
                    .collect();
                let context: Map<String, Json> = c
                    .context
                    .iter()
                    .map(|(k, v)| (k.clone(), json!(v)))
                    .collect();
                json!({
                    "output": c.output,
                    "when": when,
                    "context": context,
                    "points": c.points,
                    "witness": witness_json(&c.witness),
                })
            }).collect::<Vec<_>>(),
            "ungrouped": self.ungrouped.iter().map(|(o, n)| json!({"output": o, "points": n})).collect::<Vec<_>>(),
            "proofs": self.proofs.as_ref().map(|p| json!({
                "solver": p.backend,
                "outputs": p.outputs.iter().map(|(o, st)| match st {
                    crate::ProofStatus::Proved { millis } => json!({"output": o, "status": "proved", "millis": millis}),
                    crate::ProofStatus::OnlyAtDefaults { millis } => json!({"output": o, "status": "only_at_defaults", "millis": millis}),
                    crate::ProofStatus::Changed => json!({"output": o, "status": "changed"}),
                    crate::ProofStatus::Searched { reason } => json!({"output": o, "status": "searched", "reason": reason}),
                }).collect::<Vec<_>>(),
            })),
        })
    }
}

/// Per shared output: proved (with the time), agreeing only at the defaults, or searched (why);
/// without a solver, one line saying the result is searched, not proved.
fn proof_lines(proofs: Option<&crate::Proofs>, lang: Lang) -> String {
    use crate::ProofStatus as P;
    let ja = lang == Lang::Ja;
    let Some(p) = proofs else {
        return if ja {
            "  探索のみ・未証明: ソルバー（z3 / cvc5）が見つからないため、下の「一致」は試した組み合わせについてだけ言えることです\n".to_string()
        } else {
            "  searched, not proved: no solver (z3 / cvc5) was found, so agreement below holds only for the combinations tried\n".to_string()
        };
    };
    let mut out = String::new();
    for (name, st) in &p.outputs {
        let line = match (st, ja) {
            (P::Changed, _) => continue,
            (P::Proved { millis }, true) => format!(
                "{name}: 証明済み — どの事実でも一致（{}、{millis} ms。金額・整数は絶対値1兆以下、日付は1910〜2090年の範囲で）",
                p.backend
            ),
            (P::Proved { millis }, false) => format!(
                "{name}: proved equal for all facts ({}, {millis} ms; amounts and integers within ±10^12, dates 1910–2090)",
                p.backend
            ),
            (P::OnlyAtDefaults { millis }, true) => format!(
                "{name}: 片方にしかない入力を既定値のままにしたときだけ一致（{}、{millis} ms）。その入力に値が入ると変わりえます",
                p.backend
            ),
            (P::OnlyAtDefaults { millis }, false) => format!(
                "{name}: agrees only while the inputs one edition lacks stay at their defaults ({}, {millis} ms); with values there it can change",
                p.backend
            ),
            (P::Searched { reason }, true) => {
                format!("{name}: 探索のみ・未証明（{reason}）")
            }
            (P::Searched { reason }, false) => {
                format!("{name}: searched, not proved ({reason})")
            }
        };
        out.push_str(&format!("  {line}\n"));
    }
    out
}

pub(crate) fn thousands(n: usize) -> String {
    onshi::value::group_thousands(&Num::from_int(i128::try_from(n).unwrap_or(i128::MAX)))
}

/// `施設種別 = 病院 × 事業 ∈ {訪問診療等, 外来診療等}（補助区分 = 病院）`
fn change_scope(c: &Change, lang: Lang) -> String {
    let ja = lang == Lang::Ja;
    let mut s = if c.when.is_empty() {
        if ja {
            "列挙・真偽の入力によらない".to_string()
        } else {
            "for every value of the enumeration and boolean inputs".to_string()
        }
    } else {
        let parts: Vec<String> = c
            .when
            .iter()
            .map(|w| match w.values.as_slice() {
                [one] => format!("{} = {one}", w.input),
                many => format!("{} ∈ {{{}}}", w.input, many.join(", ")),
            })
            .collect();
        let joined = parts.join(" × ");
        if ja {
            joined
        } else {
            format!("for {joined}")
        }
    };
    if !c.context.is_empty() {
        let ctx: Vec<String> = c
            .context
            .iter()
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        if ja {
            s.push_str(&format!("（{}）", ctx.join(", ")));
        } else {
            s.push_str(&format!(" ({})", ctx.join(", ")));
        }
    }
    s
}

pub(crate) fn facts_line(facts: &[Fact], lang: Lang) -> String {
    if facts.is_empty() {
        return match lang {
            Lang::Ja => "（すべて既定値）".to_string(),
            Lang::En => "(every input at its default)".to_string(),
        };
    }
    facts
        .iter()
        .map(|f| format!("{} = {}", f.name, f.text))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(crate) fn responsible_line(items: &[Responsible], lang: Lang) -> String {
    items
        .iter()
        .map(|r| {
            let mark = if r.changed { "*" } else { "" };
            format!("{}{mark} {}", r.what.get(lang), r.at)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn witness_lines(w: &Witness, lang: Lang, indent: &str) -> String {
    let ja = lang == Lang::Ja;
    let mut out = if ja {
        format!(
            "{indent}例: {} → 旧 {} / 新 {}\n",
            facts_line(&w.facts, lang),
            w.old.text,
            w.new.text
        )
    } else {
        format!(
            "{indent}witness: {} → old {} / new {}\n",
            facts_line(&w.facts, lang),
            w.old.text,
            w.new.text
        )
    };
    for (label, items) in [
        (if ja { "旧" } else { "old" }, &w.responsible_old),
        (if ja { "新" } else { "new" }, &w.responsible_new),
    ] {
        if !items.is_empty() {
            out.push_str(&format!(
                "{indent}{label}: {}\n",
                responsible_line(items, lang)
            ));
        }
    }
    out
}

/// The facts object of one side: each fact that side has.
pub(crate) fn facts_json(facts: &[Fact], side: Side) -> Json {
    Json::Object(
        facts
            .iter()
            .filter_map(|f| {
                let v = side.pick(&f.old, &f.new);
                v.clone().map(|v| (f.name.clone(), v))
            })
            .collect(),
    )
}

pub(crate) fn responsible_json(items: &[Responsible]) -> Json {
    Json::Array(
        items
            .iter()
            .map(|r| json!({"what": {"ja": r.what.ja, "en": r.what.en}, "at": r.at, "changed": r.changed}))
            .collect(),
    )
}

fn witness_json(w: &Witness) -> Json {
    json!({
        "facts": {
            "old": facts_json(&w.facts, Side::Old),
            "new": facts_json(&w.facts, Side::New),
        },
        "old": {"value": w.old.json, "text": w.old.text, "responsible": responsible_json(&w.responsible_old)},
        "new": {"value": w.new.json, "text": w.new.text, "responsible": responsible_json(&w.responsible_new)},
    })
}
