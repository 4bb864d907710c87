//! Bad facts as data: each variant carries the field's JSON path and the values at fault (the
//! text given, the type expected in both languages' names, the kind of JSON found); the wording
//! happens only in [`FactsError::to_diagnostic`].

use onshi_grammar::literal::LiteralError;
use onshi_grammar::{Diagnostic, Text};
use serde_json::Value as Json;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FactsError {
    /// The text is not JSON (the parser's message), or a record could not be read at all.
    Json { message: String },
    /// The facts are JSON, but not an object.
    NotObject { found: JsonKind },
    UnknownField {
        path: String,
        suggestion: Option<String>,
    },
    Missing {
        path: String,
        /// The input's type, named as the program names it in each language.
        ty: Text,
    },
    WrongType {
        path: String,
        expected: Text,
        found: JsonKind,
    },
    UnknownVariant {
        path: String,
        variant: String,
        enum_name: String,
        suggestion: Option<String>,
    },
    Literal {
        path: String,
        text: String,
        error: LiteralError,
    },
}

/// The kind of a JSON value given where another was expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JsonKind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl JsonKind {
    pub fn of(j: &Json) -> JsonKind {
        match j {
            Json::Null => JsonKind::Null,
            Json::Bool(_) => JsonKind::Bool,
            Json::Number(_) => JsonKind::Number,
            Json::String(_) => JsonKind::String,
            Json::Array(_) => JsonKind::Array,
            Json::Object(_) => JsonKind::Object,
        }
    }

    /// (Japanese, English)
    fn words(self) -> (&'static str, &'static str) {
        match self {
            JsonKind::Null => ("null", "null"),
            JsonKind::Bool => ("真偽 (true/false)", "a boolean (true/false)"),
            JsonKind::Number => ("数 (number)", "a number"),
            JsonKind::String => ("文字列 (string)", "a string"),
            JsonKind::Array => ("配列 (array)", "an array"),
            JsonKind::Object => ("オブジェクト (object)", "an object"),
        }
    }
}

impl FactsError {
    pub fn code(&self) -> &'static str {
        match self {
            FactsError::Json { .. } | FactsError::NotObject { .. } => "onshi::facts::json",
            FactsError::UnknownField { .. } => "onshi::facts::unknown_field",
            FactsError::Missing { .. } => "onshi::facts::missing",
            FactsError::WrongType { .. } => "onshi::facts::type",
            FactsError::UnknownVariant { .. } => "onshi::facts::variant",
            FactsError::Literal { .. } => "onshi::facts::literal",
        }
    }

    /// The JSON path of the field at fault (`$` for the whole document).
    pub fn path(&self) -> &str {
        match self {
            FactsError::Json { .. } | FactsError::NotObject { .. } => "$",
            FactsError::UnknownField { path, .. }
            | FactsError::Missing { path, .. }
            | FactsError::WrongType { path, .. }
            | FactsError::UnknownVariant { path, .. }
            | FactsError::Literal { path, .. } => path,
        }
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let did_you_mean = |s: &Option<String>| {
            s.as_ref().map(|s| {
                Text::new(
                    format!("`{s}` のことですか？"),
                    format!("did you mean `{s}`?"),
                )
            })
        };
        let unreadable = |ja: &str, en: &str| {
            (
                Text::new(
                    format!("事実の JSON を読み取れません: {ja}"),
                    format!("cannot read the facts JSON: {en}"),
                ),
                Some(Text::new(
                    "`{\"施設種別\": \"病院\"}` のような JSON オブジェクトを渡してください",
                    "pass a JSON object such as `{\"施設種別\": \"病院\"}`",
                )),
            )
        };
        // Keys and variants come from the facts and may be megabytes long: quote their start.
        let clip = |s: &str| onshi_grammar::diagnostic::clip(s, 100).into_owned();
        let (msg, help) = match self {
            FactsError::Json { message } => unreadable(message, message),
            FactsError::NotObject { found } => {
                let (ja, en) = found.words();
                unreadable(
                    &format!("expected an object, found {ja}"),
                    &format!("expected an object, found {en}"),
                )
            }
            FactsError::UnknownField { path, suggestion } => (
                Text::new(
                    format!("{}: この政策にない入力です", clip(path)),
                    format!("{}: this policy has no such input", clip(path)),
                ),
                did_you_mean(suggestion).or(Some(Text::new(
                    "`onshi check` の入力一覧にある名前を使ってください",
                    "use one of the policy's input names",
                ))),
            ),
            FactsError::Missing { path, ty } => (
                Text::new(
                    format!("{path}: 必須の入力がありません（{}）", ty.ja),
                    format!("{path}: required input is missing ({})", ty.en),
                ),
                Some(Text::new(
                    "この入力を事実に加えてください",
                    "add this input to the facts",
                )),
            ),
            FactsError::WrongType {
                path,
                expected,
                found,
            } => {
                let (ja, en) = found.words();
                (
                    Text::new(
                        format!("{path}: {} が必要ですが {ja} です", expected.ja),
                        format!("{path}: expected {}, found {en}", expected.en),
                    ),
                    Some(Text::new(
                        "値の形は policy-interfaces.md の表のとおりです（金額は整数か \"41.1万円\"、日付は \"2025-12-01\" か \"令和7年12月1日\"）",
                        "value forms follow policy-interfaces.md (money: an integer or \"41.1万円\"; dates: \"2025-12-01\" or \"令和7年12月1日\")",
                    )),
                )
            }
            FactsError::UnknownVariant {
                path,
                variant,
                enum_name,
                suggestion,
            } => (
                Text::new(
                    format!("{path}: `{}` は {enum_name} にありません", clip(variant)),
                    format!(
                        "{path}: `{}` is not a variant of {enum_name}",
                        clip(variant)
                    ),
                ),
                did_you_mean(suggestion),
            ),
            FactsError::Literal { path, text, error } => {
                let (m, h) = onshi_grammar::syntax::literal_message(text, error);
                (
                    Text::new(format!("{path}: {}", m.ja), format!("{path}: {}", m.en)),
                    Some(h),
                )
            }
        };
        let d = Diagnostic::error(self.code(), msg);
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}
