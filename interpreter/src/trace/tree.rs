//! An explanation as a typed tree: serialized as the `trace` member of `onshi eval --format json`
//! (and `policy.evaluate(…, { explain: true })`), rendered to text in Japanese or English by
//! [`super::text`].

use super::why::Why;
pub use crate::schema::RuleTag;
use crate::schema::{At, Citation};
use onshi_grammar::Text;
use serde::ser::{SerializeMap, Serializer};
use serde::Serialize;
use serde_json::Value as Json;

/// The explanation of every output, in output order; as JSON `{output name: tree, …}`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Explanation {
    pub outputs: Vec<(String, Node)>,
}

impl Explanation {
    /// The tree of the output `name`.
    pub fn get(&self, name: &str) -> Option<&Node> {
        self.outputs.iter().find(|(n, _)| n == name).map(|(_, t)| t)
    }
}

impl Serialize for Explanation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.outputs.len()))?;
        for (name, tree) in &self.outputs {
            map.serialize_entry(name, tree)?;
        }
        map.end()
    }
}

/// A node, tagged by `kind`: an output or a definition and what it was computed from, or an input
/// it read.
#[derive(Clone, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Node {
    Output(DefNode),
    Definition(DefNode),
    Input(InputNode),
}

impl Node {
    pub fn name(&self) -> &str {
        match self {
            Node::Output(d) | Node::Definition(d) => &d.name,
            Node::Input(i) => &i.name,
        }
    }
}

/// A value in an explanation: its JSON form, and its readable form in both languages. In JSON
/// the `text` member is the Japanese form (`2026-01-15 (令和8年1月15日)`); the English one (ISO
/// dates, `true`/`false`) is for text in English.
pub(super) fn japanese<S: Serializer>(t: &Option<Text>, s: S) -> Result<S::Ok, S::Error> {
    t.as_ref().map(|t| t.ja.as_str()).serialize(s)
}

fn japanese_text<S: Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.ja)
}

pub(super) fn is_false(b: &bool) -> bool {
    !*b
}

/// An output or a definition.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DefNode {
    pub name: String,
    /// The value's JSON form; absent when it failed or was not evaluated.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Json>,
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "japanese")]
    pub text: Option<Text>,
    /// The error code, when this definition failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<&'static str>,
    pub at: At,
    pub sources: Vec<Citation>,
    /// Deeper than [`super::MAX_EXPLAIN_DEPTH`]: shown without what it was computed from.
    #[serde(skip_serializing_if = "is_false")]
    pub truncated: bool,
    /// Shown in full earlier in the same tree.
    #[serde(skip_serializing_if = "is_false")]
    pub repeated: bool,
    /// For a definition written as 原則/例外 rules.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rules: Option<Rules>,
    /// The table rows that matched.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowHit>,
    /// For a reading (解釈): the 案 it was evaluated under, and the one the policy adopts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reading: Option<ReadingNote>,
    /// What it was computed from (absent when truncated or repeated).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uses: Option<Vec<Node>>,
}

/// An input read.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct InputNode {
    pub name: String,
    pub value: Json,
    #[serde(serialize_with = "japanese_text")]
    pub text: Text,
    pub at: At,
    pub sources: Vec<Citation>,
}

/// The rules of a definition: those that gave the value, and the others.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rules {
    pub applied: Vec<RuleNode>,
    pub not_applied: Vec<RuleNode>,
}

/// One rule: whether its condition held (`applicable`: a rule not applied but applicable lost
/// to a rule that wins over it).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct RuleNode {
    pub kind: RuleTag,
    pub label: Option<String>,
    pub applicable: bool,
    pub at: At,
    pub sources: Vec<Citation>,
    /// For a rule with a condition (`もし … ならば`): why the condition held, or why not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub because: Option<Why>,
}

/// The 案 a reading was evaluated under (`option`) and the one the policy adopts (`adopted`):
/// equal unless evaluated with `--reading`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReadingNote {
    pub option: String,
    pub adopted: String,
}

impl ReadingNote {
    /// The note of definition `d`, when it is a reading.
    pub fn of(p: &crate::Program, d: crate::program::DefId) -> Option<ReadingNote> {
        p.reading_of(d).map(|r| ReadingNote {
            option: r.option_name(r.chosen).to_string(),
            adopted: r.option_name(r.adopted).to_string(),
        })
    }
}

/// A table row that matched (`row` is 1-based), with the table's 出典.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RowHit {
    pub table: String,
    pub row: u32,
    pub at: At,
    pub sources: Vec<Citation>,
}
