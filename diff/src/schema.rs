//! How the two editions' interfaces differ, and its lines and JSON in a report.

use onshi_grammar::Lang;
use serde_json::{json, Value as Json};

/// How the two editions' interfaces differ.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Schema {
    /// Outputs both have, compared.
    pub outputs: Vec<String>,
    pub outputs_only_old: Vec<String>,
    pub outputs_only_new: Vec<String>,
    /// (output, old type, new type)
    pub output_types: Vec<(String, String, String)>,
    /// Inputs both have (with corresponding types).
    pub inputs: Vec<String>,
    /// (input, required): inputs only one side has. Required ones are searched, the others stay
    /// at their defaults.
    pub inputs_only_old: Vec<(String, bool)>,
    pub inputs_only_new: Vec<(String, bool)>,
    /// (input, old type, new type): compared as two one-sided inputs.
    pub input_types: Vec<(String, String, String)>,
    /// (input, old default, new default); `None`: required.
    pub defaults: Vec<(String, Option<String>, Option<String>)>,
    /// (input, variants): enumeration values only one side accepts (not searched).
    pub variants_only_old: Vec<(String, Vec<String>)>,
    pub variants_only_new: Vec<(String, Vec<String>)>,
    /// 前提 (by name) only one side states; proofs assume both sides' premises.
    pub premises_only_old: Vec<String>,
    pub premises_only_new: Vec<String>,
}

impl Schema {
    /// Whether the interfaces are the same (apart from the lists of what is shared).
    pub fn unchanged(&self) -> bool {
        self.outputs_only_old.is_empty()
            && self.outputs_only_new.is_empty()
            && self.output_types.is_empty()
            && self.inputs_only_old.is_empty()
            && self.inputs_only_new.is_empty()
            && self.input_types.is_empty()
            && self.defaults.is_empty()
            && self.variants_only_old.is_empty()
            && self.variants_only_new.is_empty()
            && self.premises_only_old.is_empty()
            && self.premises_only_new.is_empty()
    }
}

pub(crate) fn schema_lines(s: &Schema, lang: Lang) -> Vec<String> {
    let ja = lang == Lang::Ja;
    let mut lines = Vec::new();
    let list = |xs: &[String]| xs.join(", ");
    let mut add = |ja_label: &str, en_label: &str, body: String| {
        if !body.is_empty() {
            lines.push(format!("{}: {body}", if ja { ja_label } else { en_label }));
        }
    };
    add(
        "出力（旧のみ）",
        "outputs only in old",
        list(&s.outputs_only_old),
    );
    add(
        "出力（新のみ）",
        "outputs only in new",
        list(&s.outputs_only_new),
    );
    add(
        "出力の型",
        "output types",
        s.output_types
            .iter()
            .map(|(n, a, b)| format!("{n} {a} → {b}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let sided = |xs: &[(String, bool)], required: bool| {
        xs.iter()
            .filter(|(_, r)| *r == required)
            .map(|(n, _)| n.clone())
            .collect::<Vec<_>>()
            .join(", ")
    };
    add(
        "入力（旧のみ・既定値のまま）",
        "inputs only in old (held at their defaults)",
        sided(&s.inputs_only_old, false),
    );
    add(
        "入力（旧のみ・必須のため探索）",
        "inputs only in old (required, so searched)",
        sided(&s.inputs_only_old, true),
    );
    add(
        "入力（新のみ・既定値のまま）",
        "inputs only in new (held at their defaults)",
        sided(&s.inputs_only_new, false),
    );
    add(
        "入力（新のみ・必須のため探索）",
        "inputs only in new (required, so searched)",
        sided(&s.inputs_only_new, true),
    );
    add(
        "入力の型",
        "input types",
        s.input_types
            .iter()
            .map(|(n, a, b)| format!("{n} {a} → {b}"))
            .collect::<Vec<_>>()
            .join(", "),
    );
    let required = if ja { "必須" } else { "required" };
    add(
        "既定値",
        "defaults",
        s.defaults
            .iter()
            .map(|(n, a, b)| {
                format!(
                    "{n} {} → {}",
                    a.as_deref().unwrap_or(required),
                    b.as_deref().unwrap_or(required)
                )
            })
            .collect::<Vec<_>>()
            .join(", "),
    );
    let variants = |xs: &[(String, Vec<String>)]| {
        xs.iter()
            .map(|(n, vs)| format!("{n} {{{}}}", vs.join(", ")))
            .collect::<Vec<_>>()
            .join(", ")
    };
    add(
        "列挙値（旧のみ）",
        "enumeration values only in old",
        variants(&s.variants_only_old),
    );
    add(
        "列挙値（新のみ）",
        "enumeration values only in new",
        variants(&s.variants_only_new),
    );
    add(
        "前提（旧のみ・証明は新にも仮定）",
        "premises only in old (proofs assume them for new too)",
        list(&s.premises_only_old),
    );
    add(
        "前提（新のみ・証明は旧にも仮定）",
        "premises only in new (proofs assume them for old too)",
        list(&s.premises_only_new),
    );
    lines
}

pub(crate) fn schema_json(s: &Schema) -> Json {
    let sided = |xs: &[(String, bool)]| {
        xs.iter()
            .map(|(n, r)| json!({"name": n, "required": r}))
            .collect::<Vec<_>>()
    };
    json!({
        "outputs": s.outputs,
        "outputs_only_old": s.outputs_only_old,
        "outputs_only_new": s.outputs_only_new,
        "output_types": s.output_types.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "inputs": s.inputs,
        "inputs_only_old": sided(&s.inputs_only_old),
        "inputs_only_new": sided(&s.inputs_only_new),
        "input_types": s.input_types.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "defaults": s.defaults.iter().map(|(n, a, b)| json!({"name": n, "old": a, "new": b})).collect::<Vec<_>>(),
        "variants_only_old": s.variants_only_old.iter().map(|(n, v)| json!({"name": n, "variants": v})).collect::<Vec<_>>(),
        "variants_only_new": s.variants_only_new.iter().map(|(n, v)| json!({"name": n, "variants": v})).collect::<Vec<_>>(),
        "premises_only_old": s.premises_only_old,
        "premises_only_new": s.premises_only_new,
    })
}
