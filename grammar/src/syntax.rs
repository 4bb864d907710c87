//! Syntax errors (data) and their wording.

use crate::ast::Span;
use crate::codes::Code;
use crate::diagnostic::{Diagnostic, Text};
use crate::literal::{Era, LiteralError, LiteralKind};

#[derive(Clone, Debug, PartialEq)]
pub enum SyntaxError {
    /// The parser stopped here: it expected one of `expected`, and found `found` (None at the end).
    Unexpected {
        span: Span,
        expected: Vec<Expected>,
        found: Option<String>,
    },
    /// Brackets or nested `もし`/`場合`/`not` deeper than the limit.
    TooDeep { span: Span, limit: usize },
    /// The source is larger than the limit (bytes).
    TooLarge {
        span: Span,
        size: usize,
        limit: usize,
    },
    /// A literal that has the right shape but no value: `令和7年2月30日`, `平成31年5月1日`.
    Literal {
        span: Span,
        text: String,
        error: LiteralError,
    },
}

/// What the parser was looking for, in words an analyst knows.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Expected {
    Declaration,
    Name,
    Type,
    Expression,
    Literal,
    Operator,
    Keyword(&'static str),
    Token(String),
    Cell,
    EndOfFile,
}

impl Expected {
    fn words(&self) -> Text {
        match self {
            Expected::Declaration => Text::new(
                "宣言（政策・年度・出典・取込・列挙・入力・定義・出力・表）",
                "a declaration (policy, fiscal_year, source, import, enum, input, define, output, table)",
            ),
            Expected::Name => Text::new("名前", "a name"),
            Expected::Type => Text::new("型", "a type"),
            Expected::Expression => Text::new("式", "an expression"),
            Expected::Literal => Text::new("値", "a value"),
            Expected::Operator => Text::new("演算子", "an operator"),
            Expected::Keyword(k) => Text::new(format!("`{k}`"), format!("`{k}`")),
            Expected::Token(k) => Text::new(format!("`{k}`"), format!("`{k}`")),
            Expected::Cell => Text::new("表のセル", "a table cell"),
            Expected::EndOfFile => Text::new("ファイルの終わり", "the end of the file"),
        }
    }
}

/// The label under the error: what the parser wanted there.
fn expected_label(items: &[Expected]) -> Text {
    let ja: Vec<String> = items.iter().map(|e| e.words().ja).collect();
    let en: Vec<String> = items.iter().map(|e| e.words().en).collect();
    match en.len() {
        0 => Text::new("ここから先を読み取れません", "cannot read on from here"),
        1 => Text::new(
            format!("ここには{}が必要です", ja.join("")),
            format!("expected {}", en.join("")),
        ),
        n => {
            let (head, tail) = en.split_at(n - 1);
            Text::new(
                format!("ここには{}のいずれかが必要です", ja.join("、")),
                format!("expected {} or {}", head.join(", "), tail.join("")),
            )
        }
    }
}

impl SyntaxError {
    /// Its entry in the registry of codes.
    pub fn entry(&self) -> Code {
        match self {
            SyntaxError::Unexpected { .. } => Code::SYNTAX_UNEXPECTED,
            SyntaxError::TooDeep { .. } => Code::SYNTAX_TOO_DEEP,
            SyntaxError::TooLarge { .. } => Code::SYNTAX_TOO_LARGE,
            SyntaxError::Literal { error, .. } => literal_entry(error),
        }
    }

    pub fn code(&self) -> &'static str {
        self.entry().id
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = self.entry();
        match self {
            SyntaxError::Unexpected {
                span,
                expected,
                found,
            } => {
                let label = expected_label(expected);
                let msg = match found {
                    Some(f) => Text::new(
                        format!("構文エラー: `{f}` はここに書けません"),
                        format!("syntax error: `{f}` is not allowed here"),
                    ),
                    None => Text::new(
                        "構文エラー: 宣言が途中で終わっています",
                        "syntax error: the declaration ends too early",
                    ),
                };
                Diagnostic::new(code, msg)
                    .with_label(*span, label)
                    .with_help(unexpected_help(expected, found.as_deref()))
            }
            SyntaxError::TooDeep { span, limit } => Diagnostic::new(
                code,
                Text::new(
                    format!("式の入れ子が深すぎるか、式が長すぎます（上限 {limit} 段）"),
                    format!("the expression is nested too deeply or is too long (the limit is {limit} levels)"),
                ),
            )
            .with_label(
                *span,
                Text::new("ここで上限を超えました", "the limit is exceeded here"),
            )
            .with_help(Text::new(
                "途中の結果を `定義` で名前を付けて分けてください（または上限を上げてください: `--max-nesting`・`--max-depth`、WASM では limits の `maxNesting`・`maxDepth`）",
                "split the expression: give intermediate results a name with `define` (or raise the limit: `--max-nesting`, `--max-depth`; `maxNesting`, `maxDepth` in the WASM limits)",
            )),
            SyntaxError::TooLarge { span, size, limit } => Diagnostic::new(
                code,
                Text::new(
                    format!("ファイルが大きすぎます（{size} バイト、上限 {limit} バイト）"),
                    format!("the file is too large ({size} bytes; the limit is {limit})"),
                ),
            )
            .with_label(*span, Text::new("このファイル", "this file"))
            .with_help(Text::new(
                "政策を複数のファイルに分け、`取込` で読み込んでください（または上限を上げてください: `--max-source-bytes`、WASM では limits の `maxSourceBytes`）",
                "split the policy into several files and `import` them (or raise the limit: `--max-source-bytes`; `maxSourceBytes` in the WASM limits)",
            )),
            SyntaxError::Literal { span, text, error } => {
                literal_diagnostic(code, *span, text, error)
            }
        }
    }
}

fn unexpected_help(expected: &[Expected], found: Option<&str>) -> Text {
    if let Some(f) = found {
        if f.starts_with(|c: char| "がとかつまたはでない".contains(c)) || f.contains('が')
        {
            return Text::new(
                "キーワードと名前の間には空白が必要です（例: `x が ある`、`a と b`）",
                "put spaces around keywords (e.g. `x が ある`, `a と b`)",
            );
        }
    }
    if found.is_some()
        && expected.contains(&Expected::Operator)
        && expected.contains(&Expected::Declaration)
    {
        return Text::new(
            "式の続きなら演算子（`+`・`×`・`と` など）が必要です。新しい宣言なら `定義`・`入力` などのキーワードで始めてください",
            "if the expression goes on, it needs an operator (`+`, `×`, `and`, …); a new declaration starts with a keyword such as `define` or `input`",
        );
    }
    if expected.contains(&Expected::Declaration) {
        return Text::new(
            "各宣言は `定義`・`入力`・`出力`・`表` などのキーワードで始めます",
            "each declaration starts with a keyword such as `define`, `input`, `output` or `table`",
        );
    }
    Text::new(
        "この行の書き方を README の言語ガイドと見比べてください",
        "compare this line with the language tour in the README",
    )
}

/// The entry of a bad literal in the registry of codes.
pub fn literal_entry(error: &LiteralError) -> Code {
    match error {
        LiteralError::Malformed { .. } => Code::LITERAL_MALFORMED,
        LiteralError::NoSuchDay { .. } => Code::LITERAL_NO_SUCH_DAY,
        LiteralError::OutsideEra { .. } => Code::LITERAL_ERA_RANGE,
        LiteralError::BeforeGregorian => Code::LITERAL_BEFORE_GREGORIAN,
        LiteralError::Overflow { .. } => Code::LITERAL_OVERFLOW,
        LiteralError::ZeroDenominator => Code::LITERAL_ZERO_DENOMINATOR,
    }
}

fn kind_words(kind: LiteralKind) -> Text {
    match kind {
        LiteralKind::Date => Text::new("日付", "date"),
        LiteralKind::Money => Text::new("金額", "amount of money"),
        LiteralKind::Ratio => Text::new("割合", "ratio"),
        LiteralKind::Duration => Text::new("期間", "duration"),
        LiteralKind::Integer => Text::new("整数", "integer"),
        LiteralKind::Decimal => Text::new("小数", "decimal"),
    }
}

/// Wording of a literal error, shared by policy literals and JSON facts.
pub fn literal_message(text: &str, error: &LiteralError) -> (Text, Text) {
    let text = crate::diagnostic::clip(text, 100);
    match error {
        LiteralError::Malformed { kind } => {
            let k = kind_words(*kind);
            (
                Text::new(
                    format!("`{text}` は{}として読めません", k.ja),
                    format!("`{text}` is not a valid {}", k.en),
                ),
                match kind {
                    LiteralKind::Date => Text::new(
                        "`令和7年12月1日` または `2025-12-01` の形で書いてください",
                        "write a date as `令和7年12月1日` or `2025-12-01`",
                    ),
                    LiteralKind::Money => Text::new(
                        "`411,000円`、`41.1万円`、`0円` の形で書いてください",
                        "write money as `411,000円`, `41.1万円` or `0円`",
                    ),
                    LiteralKind::Ratio => Text::new(
                        "`1/2`、`75%` の形で書いてください",
                        "write a ratio as `1/2` or `75%`",
                    ),
                    LiteralKind::Duration => Text::new(
                        "`6か月`、`5日`、`1年` の形で書いてください",
                        "write a duration as `6か月`, `5日` or `1年`",
                    ),
                    LiteralKind::Integer | LiteralKind::Decimal => {
                        Text::new("数字で書いてください", "write digits, e.g. `40000` or `1.5`")
                    }
                },
            )
        }
        LiteralError::NoSuchDay { year, month, day } => (
            Text::new(
                format!("`{text}` という日はありません（{year}年{month}月には{day}日がありません）"),
                format!("`{text}` does not exist: {year}-{month:02} has no day {day}"),
            ),
            Text::new("暦にある日付を書いてください", "write a day that exists in the calendar"),
        ),
        LiteralError::OutsideEra {
            era,
            suggestion,
            ..
        } => {
            let range = era_range(*era);
            let msg = Text::new(
                format!("`{text}` は{}の期間（{}）の外です", era.name(), range.ja),
                format!("`{text}` is outside the {} era ({})", era.name(), range.en),
            );
            let help = match suggestion {
                Some(s) => Text::new(format!("`{s}` のことですか？"), format!("did you mean `{s}`?")),
                None => Text::new("元号と年を確かめてください", "check the era and the year"),
            };
            (msg, help)
        }
        LiteralError::BeforeGregorian => (
            Text::new(
                format!("`{text}` は明治6年1月1日（グレゴリオ暦の採用）より前の日付です"),
                format!("`{text}` is before 1873-01-01 (明治6年1月1日), when Japan adopted the Gregorian calendar"),
            ),
            Text::new(
                "明治6年1月1日以降の日付を書いてください",
                "write a date on or after 1873-01-01",
            ),
        ),
        LiteralError::Overflow { kind } => {
            let k = kind_words(*kind);
            (
                Text::new(
                    format!("`{text}` は{}として大きすぎます", k.ja),
                    format!("`{text}` is too large for {} {}", article(&k.en), k.en),
                ),
                Text::new("桁数を確かめてください", "check the number of digits"),
            )
        }
        LiteralError::ZeroDenominator => (
            Text::new(
                format!("`{text}` は分母が0です"),
                format!("`{text}` has a zero denominator"),
            ),
            Text::new("分母には0以外の数を書いてください", "use a non-zero denominator"),
        ),
    }
}

/// "a" or "an" before an English noun.
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

fn era_range(era: Era) -> Text {
    let first = era.first_day();
    match era.last_day() {
        Some(last) => Text::new(format!("{first}〜{last}"), format!("{first} to {last}")),
        None => Text::new(format!("{first}〜"), format!("from {first}")),
    }
}

fn literal_diagnostic(code: Code, span: Span, text: &str, error: &LiteralError) -> Diagnostic {
    let (msg, help) = literal_message(text, error);
    let fix = match error {
        LiteralError::OutsideEra { suggestion, .. } => suggestion.clone(),
        _ => None,
    };
    Diagnostic::new(code, msg)
        .with_label(span, Text::new("この値", "this literal"))
        .with_help(help)
        .with_fix(fix)
}
