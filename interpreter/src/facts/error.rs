//! Bad facts as data: each variant carries the field's JSON path and the values at fault (the
//! text given, the type expected in both languages' names, the kind of JSON found); the wording
//! happens only in [`FactsError::to_diagnostic`].

use onshi_grammar::literal::LiteralError;
use onshi_grammar::{Code, Diagnostic, Text};
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
    /// A spreadsheet's error value where a value belongs: `#N/A`, `#VALUE!`, `#DIV/0!` (an
    /// error cell of a workbook, or its text in a CSV file Excel or LibreOffice saved).
    SpreadsheetError { path: String, text: String },
}

/// Whether `text` is an error value as Excel or LibreOffice shows it in a cell (and writes it to
/// CSV): `#N/A`, `#VALUE!`, `#DIV/0!`, `#REF!`, `#NAME?`, `#NUM!`, `#NULL!`, `#SPILL!`, `#CALC!`,
/// `#GETTING_DATA`, or LibreOffice's `Err:502`.
pub fn is_spreadsheet_error(text: &str) -> bool {
    const ERRORS: [&str; 14] = [
        "#N/A",
        "#NA",
        "#VALUE!",
        "#DIV/0!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#UNKNOWN!",
        "#GETTING_DATA",
    ];
    if !text.starts_with(['#', 'E']) {
        return false;
    }
    ERRORS.contains(&text)
        || text
            .strip_prefix("Err:")
            .is_some_and(|n| (1..=4).contains(&n.len()) && n.bytes().all(|b| b.is_ascii_digit()))
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
    /// Its entry in the registry of codes.
    pub fn entry(&self) -> Code {
        match self {
            FactsError::Json { .. } | FactsError::NotObject { .. } => Code::FACTS_JSON,
            FactsError::UnknownField { .. } => Code::FACTS_UNKNOWN_FIELD,
            FactsError::Missing { .. } => Code::FACTS_MISSING,
            FactsError::WrongType { .. } => Code::FACTS_TYPE,
            FactsError::UnknownVariant { .. } => Code::FACTS_VARIANT,
            FactsError::Literal { .. } => Code::FACTS_LITERAL,
            FactsError::SpreadsheetError { .. } => Code::FACTS_SPREADSHEET_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        self.entry().id
    }

    /// The JSON path of the field at fault (`$` for the whole document).
    pub fn path(&self) -> &str {
        match self {
            FactsError::Json { .. } | FactsError::NotObject { .. } => "$",
            FactsError::UnknownField { path, .. }
            | FactsError::Missing { path, .. }
            | FactsError::WrongType { path, .. }
            | FactsError::UnknownVariant { path, .. }
            | FactsError::Literal { path, .. }
            | FactsError::SpreadsheetError { path, .. } => path,
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
                    Some(if expected.ja == "真偽" {
                        Text::new(
                            "真偽は true/false、\"TRUE\"/\"FALSE\"、\"真\"/\"偽\"、\"○\"/\"×\"、\"はい\"/\"いいえ\"、\"有\"/\"無\"、\"1\"/\"0\" のどれかで書いてください",
                            "write a truth value as true/false, \"TRUE\"/\"FALSE\", \"真\"/\"偽\", \"○\"/\"×\", \"はい\"/\"いいえ\", \"有\"/\"無\" or \"1\"/\"0\"",
                        )
                    } else {
                        Text::new(
                            "値の形は policy-interfaces.md の表のとおりです（金額は整数か \"41.1万円\"、日付は \"2025-12-01\" か \"令和7年12月1日\"）",
                            "value forms follow policy-interfaces.md (money: an integer or \"41.1万円\"; dates: \"2025-12-01\" or \"令和7年12月1日\")",
                        )
                    }),
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
                    Some(facts_forms(error).unwrap_or(h)),
                )
            }
            FactsError::SpreadsheetError { path, text } => (
                Text::new(
                    format!("{path}: `{}` は表計算ソフトのエラー値です（値がありません）", clip(text)),
                    format!("{path}: `{}` is a spreadsheet error value, not a value", clip(text)),
                ),
                Some(Text::new(
                    "元の表でこのセルの数式を直すか値を入れてください（空欄にすると入力の既定値が使われます）",
                    "fix the cell's formula in the spreadsheet or type its value (an empty cell takes the input's default)",
                )),
            ),
        };
        let d = Diagnostic::new(self.entry(), msg);
        match help {
            Some(h) => d.with_help(h),
            None => d,
        }
    }
}

/// The forms facts accept for a date or an amount that could not be read at all, for the help
/// (the literals' help names only the forms a policy may write).
fn facts_forms(error: &LiteralError) -> Option<Text> {
    use onshi_grammar::literal::LiteralKind;
    match error {
        LiteralError::Malformed {
            kind: LiteralKind::Date,
        } => Some(Text::new(
            "日付は `2025-12-01`、`2025/12/1`、`令和7年12月1日`、`R7.12.1`、`2025年12月1日` のどれかの形で書いてください",
            "write a date as `2025-12-01`, `2025/12/1`, `令和7年12月1日`, `R7.12.1` or `2025年12月1日`",
        )),
        LiteralError::Malformed {
            kind: LiteralKind::Money,
        } => Some(Text::new(
            "金額は `411000`、`411,000円`、`￥411,000`、`41.1万円` のどれかの形で書いてください",
            "write an amount as `411000`, `411,000円`, `￥411,000` or `41.1万円`",
        )),
        _ => None,
    }
}
