//! The data types front ends receive as JSON, each `#[derive(Serialize)]`: places ([`At`]),
//! citations ([`Citation`]), types ([`TypeSpec`]), inputs, outputs, examples and the policy's
//! information. Field order is the JSON's key order. Explanations ([`crate::trace::Node`]) and
//! diagnostics ([`super::DiagnosticData`]) are built from the same pieces.

use onshi_grammar::Text;
use serde::{Serialize, Serializer};
use serde_json::{Map, Value as Json};

/// `{"ja": …, "en": …}` (for `#[serde(serialize_with = "text")]`).
pub fn text<S: Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
    Bilingual::of(t).serialize(s)
}

/// [`text`] for an optional message (`null` when absent).
pub fn opt_text<S: Serializer>(t: &Option<Text>, s: S) -> Result<S::Ok, S::Error> {
    t.as_ref().map(Bilingual::of).serialize(s)
}

/// A message in both languages, as JSON.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct Bilingual<'a> {
    pub ja: &'a str,
    pub en: &'a str,
}

impl Bilingual<'_> {
    pub fn of(t: &Text) -> Bilingual<'_> {
        Bilingual {
            ja: &t.ja,
            en: &t.en,
        }
    }
}

/// The start of a span: file, 1-based line, and column in characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct At {
    pub file: String,
    pub line: usize,
    pub column: usize,
}

/// A 出典 citation: `locator` as written, `place` the locator without its quotes (where in the
/// document), `passages` the quoted words of the document, `external` for a document declared
/// `外部` (not at hand, so not verifiable).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Citation {
    pub source: String,
    pub document: String,
    pub title: Option<String>,
    pub external: bool,
    pub locator: Option<String>,
    pub place: Option<String>,
    pub passages: Vec<String>,
}

/// A type, tagged by `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum TypeSpec {
    Bool,
    Int,
    Money,
    Ratio,
    Decimal,
    Date,
    Duration,
    Text,
    Enum(EnumSpec),
    Set {
        of: Box<TypeSpec>,
    },
    Optional {
        of: Box<TypeSpec>,
    },
    Row {
        table: String,
        columns: Vec<ColumnSpec>,
    },
    Absent,
    Error,
}

impl TypeSpec {
    /// The `kind` tag.
    pub fn kind(&self) -> &'static str {
        match self {
            TypeSpec::Bool => "bool",
            TypeSpec::Int => "int",
            TypeSpec::Money => "money",
            TypeSpec::Ratio => "ratio",
            TypeSpec::Decimal => "decimal",
            TypeSpec::Date => "date",
            TypeSpec::Duration => "duration",
            TypeSpec::Text => "text",
            TypeSpec::Enum(_) => "enum",
            TypeSpec::Set { .. } => "set",
            TypeSpec::Optional { .. } => "optional",
            TypeSpec::Row { .. } => "row",
            TypeSpec::Absent => "absent",
            TypeSpec::Error => "error",
        }
    }
}

/// An enumeration: its variants in order and its named groups (群).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EnumSpec {
    pub name: String,
    pub variants: Vec<String>,
    pub groups: Vec<GroupSpec>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct GroupSpec {
    pub name: String,
    pub variants: Vec<String>,
}

/// A result column of a table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ColumnSpec {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: TypeSpec,
}

/// One input: `kind` is its type's kind (so a tagged union can narrow on it); `default` is
/// present exactly when the input is not required (`null` for an optional input without one), in
/// the JSON form of facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InputSpec {
    pub name: String,
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub ty: TypeSpec,
    #[serde(serialize_with = "text")]
    pub type_text: Text,
    pub required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<Json>,
    pub sources: Vec<Citation>,
    pub at: At,
}

/// One output, and its 原則/例外 rules when it is written as rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutputSpec {
    pub name: String,
    pub kind: &'static str,
    #[serde(rename = "type")]
    pub ty: TypeSpec,
    #[serde(serialize_with = "text")]
    pub type_text: Text,
    pub sources: Vec<Citation>,
    pub at: At,
    pub rules: Vec<RuleSpec>,
}

/// A rule's kind, as every tag of the data is, in English: `"principle"` (原則) or
/// `"exception"` (例外).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleTag {
    Principle,
    Exception,
}

impl From<onshi_grammar::ast::RuleKind> for RuleTag {
    fn from(k: onshi_grammar::ast::RuleKind) -> RuleTag {
        match k {
            onshi_grammar::ast::RuleKind::Principle => RuleTag::Principle,
            onshi_grammar::ast::RuleKind::Exception => RuleTag::Exception,
        }
    }
}

/// A rule of an output (the WASM package's `RuleSpec` type), tagged like the rules of an
/// explanation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RuleSpec {
    pub kind: RuleTag,
    pub label: Option<String>,
    pub sources: Vec<Citation>,
    pub at: At,
}

/// An example (例) as a case another engine can run: `facts` (only the inputs the example
/// gives), `expect` (expected outputs) and `expect_definitions` (expected values of definitions
/// that are not outputs), all in the JSON forms of `onshi eval --format json`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ExampleSpec {
    pub name: String,
    pub at: At,
    pub facts: Map<String, Json>,
    pub expect: Map<String, Json>,
    pub expect_definitions: Map<String, Json>,
    /// The readings (解釈) it assumes, reading → 案 (absent when it assumes the adopted ones): an
    /// engine that evaluates only the adopted readings (the WASM package) cannot run it.
    #[serde(skip_serializing_if = "Map::is_empty")]
    pub readings: Map<String, Json>,
}

/// The policy itself: its name, the Gregorian year its 年度 starts, and its declared sources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PolicyInfo {
    pub name: Option<String>,
    pub fiscal_year: Option<i32>,
    pub sources: Vec<SourceInfo>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SourceInfo {
    pub name: String,
    pub document: String,
    pub title: Option<String>,
    pub external: bool,
    /// What people know the document by, each quoted from it (`発行`, `日付`, `番号`); left out
    /// when not declared.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}
