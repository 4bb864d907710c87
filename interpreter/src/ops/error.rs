//! Evaluation errors (data) and their wording: what an operation, a lookup, 原則/例外 or the step
//! limit reports, with the span of the expression.

use super::holidays::{FIRST_YEAR, LAST_YEAR};
use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EvalErrorKind {
    Overflow,
    DivisionByZero,
    /// No row of the table matched these key values.
    NoRow {
        table: String,
        /// Each key column and the value looked up, in both languages.
        keys: Vec<(String, Text)>,
    },
    DateOutOfRange,
    /// The national-holiday calendar (`祝日`, `祝日を除く営業日後`) does not know this date's year.
    HolidayCalendar {
        date: chrono::NaiveDate,
    },
    /// The unit of 切り捨て/切り上げ/四捨五入 is zero or negative.
    RoundingUnit,
    /// Durations in months and in days cannot be ordered (is 1か月 more than 30日?).
    IncomparableDurations,
    /// Two applicable rules of equal rank give different values (原則/例外).
    Conflict {
        def: String,
        rules: Vec<ConflictingRule>,
    },
    /// No rule of the definition applies to these facts.
    NoRule {
        def: String,
    },
    /// The facts break the 前提 `name` (cited from `source`, when it cites one).
    Premise {
        name: String,
        source: Option<String>,
    },
    /// One evaluation took more steps (expression nodes evaluated) than `Limits::max_steps`.
    Steps {
        limit: u64,
    },
    /// A broken invariant of the checker; reported, never a panic.
    Internal(&'static str),
}

/// One of two rules of equal rank that applied and gave different values.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConflictingRule {
    /// Its label; None for an unlabelled rule (worded 原則 / principle).
    pub label: Option<String>,
    pub span: Span,
    /// The value it gave, in both languages.
    pub value: Text,
}

impl ConflictingRule {
    fn name(&self) -> Text {
        match &self.label {
            Some(l) => Text::new(l.clone(), l.clone()),
            None => Text::new("原則", "principle"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub kind: EvalErrorKind,
    pub span: Span,
}

impl EvalError {
    /// Its entry in the registry of codes.
    pub fn entry(&self) -> Code {
        match self.kind {
            EvalErrorKind::Overflow => Code::EVAL_OVERFLOW,
            EvalErrorKind::DivisionByZero => Code::EVAL_DIVISION_BY_ZERO,
            EvalErrorKind::NoRow { .. } => Code::EVAL_NO_ROW,
            EvalErrorKind::DateOutOfRange => Code::EVAL_DATE_RANGE,
            EvalErrorKind::HolidayCalendar { .. } => Code::EVAL_HOLIDAY_CALENDAR,
            EvalErrorKind::RoundingUnit => Code::EVAL_ROUNDING_UNIT,
            EvalErrorKind::IncomparableDurations => Code::EVAL_INCOMPARABLE_DURATIONS,
            EvalErrorKind::Conflict { .. } => Code::EVAL_CONFLICT,
            EvalErrorKind::NoRule { .. } => Code::EVAL_NO_RULE,
            EvalErrorKind::Premise { .. } => Code::EVAL_PREMISE,
            EvalErrorKind::Steps { .. } => Code::LIMIT_STEPS,
            EvalErrorKind::Internal(_) => Code::EVAL_INTERNAL,
        }
    }

    pub fn code(&self) -> &'static str {
        self.entry().id
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        if let EvalErrorKind::Conflict { def, rules } = &self.kind {
            let names: Vec<Text> = rules.iter().map(ConflictingRule::name).collect();
            let quoted = |en: bool, sep: &str| {
                names
                    .iter()
                    .map(|n| format!("`{}`", if en { &n.en } else { &n.ja }))
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            let mut d = Diagnostic::new(
                self.entry(),
                Text::new(
                    format!(
                        "`{def}` の規則が衝突しています: {} が同時に当てはまり、値が違います",
                        quoted(false, " と ")
                    ),
                    format!(
                        "rules of `{def}` conflict: {} both apply and give different values",
                        quoted(true, " and ")
                    ),
                ),
            );
            for (rule, name) in rules.iter().zip(&names) {
                d = d.with_label(
                    rule.span,
                    Text::new(
                        format!("{} → {}", name.ja, rule.value.ja),
                        format!("{} gives {}", name.en, rule.value.en),
                    ),
                );
            }
            return d.with_help(Text::new(
                "どちらかを他方の例外にして `例外 A > B` で優先順位を付けてください",
                "make one an exception of the other with `exception A over B`",
            ));
        }
        let (msg, help) = match &self.kind {
            EvalErrorKind::Conflict { .. } => (Text::new("", ""), Text::new("", "")),
            EvalErrorKind::NoRule { def } => (
                Text::new(
                    format!("`{def}` のどの規則も当てはまりません"),
                    format!("no rule of `{def}` applies"),
                ),
                Text::new(
                    "条件のない `原則` を加えるか、この事実に当てはまる例外を加えてください",
                    "add an unconditional principle, or an exception for these facts",
                ),
            ),
            EvalErrorKind::Premise { name, source } => (
                match source {
                    Some(src) => Text::new(
                        format!("事実が前提 `{name}`（出典 {src}）に反しています"),
                        format!("the facts break premise `{name}` (source: {src})"),
                    ),
                    None => Text::new(
                        format!("事実が前提 `{name}`（政策の判断）に反しています"),
                        format!("the facts break premise `{name}` (a judgement of the policy)"),
                    ),
                },
                Text::new(
                    "前提は、現実に起きない事実の組み合わせです。入力の値を確かめてください（本当に起きる事実なら、前提を見直してください）",
                    "a premise states facts the real world never produces: check the input values (if these facts do occur, the premise is wrong)",
                ),
            ),
            EvalErrorKind::Overflow => (
                Text::new(
                    "計算結果が大きすぎます（桁あふれ）",
                    "the result is too large (overflow)",
                ),
                Text::new(
                    "入力の値の桁数を確かめてください",
                    "check the size of the input values",
                ),
            ),
            EvalErrorKind::DivisionByZero => (
                Text::new("0で割っています", "division by zero"),
                Text::new(
                    "割る数が0になる場合を `もし … ならば` で分けてください",
                    "handle the zero case first with `if … then … else`",
                ),
            ),
            EvalErrorKind::NoRow { table, keys } => (
                Text::new(
                    format!(
                        "（{}）に当てはまる行が表 `{table}` にありません",
                        keys.iter()
                            .map(|(k, v)| format!("{k}={}", v.ja))
                            .collect::<Vec<_>>()
                            .join("、")
                    ),
                    format!(
                        "no row of table `{table}` matches ({})",
                        keys.iter()
                            .map(|(k, v)| format!("{k}={}", v.en))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                ),
                Text::new(
                    "この組み合わせに当てはまる行を表に加えてください",
                    "add a row that covers this combination",
                ),
            ),
            EvalErrorKind::DateOutOfRange => (
                Text::new("日付が扱える範囲を超えました", "the date is out of range"),
                Text::new(
                    "日付と期間の値を確かめてください",
                    "check the dates and durations",
                ),
            ),
            EvalErrorKind::HolidayCalendar { date } => {
                let (first, last) = (FIRST_YEAR, LAST_YEAR);
                (
                    Text::new(
                        format!("{date} が祝日かどうか分かりません: onshi の祝日の暦は {first}年〜{last}年 だけを知っています"),
                        format!("onshi cannot tell whether {date} is a holiday: its national-holiday calendar knows only {first} to {last}"),
                    ),
                    Text::new(
                        format!("{first}年〜{last}年 の日付で使うか、祝日を数えない `営業日後` を使ってください（その年の春分の日・秋分の日は前年2月の官報で決まり、onshi の暦はそれを待って延ばします）"),
                        format!("use a date from {first} to {last}, or `business_days_after`, which does not skip holidays (a year's equinox holidays are fixed in the 官報 each February before it; onshi's calendar is extended then)"),
                    ),
                )
            }
            EvalErrorKind::RoundingUnit => (
                Text::new(
                    "丸めの単位が0以下です",
                    "the rounding unit is zero or negative",
                ),
                Text::new(
                    "`切り捨て(x, 1000円)` のように正の単位を指定してください",
                    "use a positive unit, e.g. `round_down(x, 1000円)`",
                ),
            ),
            EvalErrorKind::IncomparableDurations => (
                Text::new(
                    "月単位の期間と日単位の期間は比べられません",
                    "durations in months and in days cannot be compared",
                ),
                Text::new(
                    "比べる前に日付に足してください",
                    "add them to a date and compare the dates",
                ),
            ),
            EvalErrorKind::Steps { limit } => (
                Text::new(
                    format!("評価の手順が多すぎます（一度の評価で上限 {limit} 手順）"),
                    format!("the evaluation takes too many steps (the limit is {limit} for one evaluation)"),
                ),
                Text::new(
                    "表のセルの中の表の参照は、引くたびに評価されます。それを `定義` にしてセルではその名前を使うと、一度だけ評価されます。または上限を上げてください（`--max-steps`、WASM では limits の `maxSteps`）",
                    "a lookup inside a table cell is evaluated each time the table is looked up: move it into a `define` and use its name in the cell (a definition is evaluated once), or raise the limit (`--max-steps`; `maxSteps` in the WASM limits)",
                ),
            ),
            EvalErrorKind::Internal(what) => (
                Text::new(
                    format!("内部エラー: {what}"),
                    format!("internal error: {what}"),
                ),
                Text::new(
                    "onshi の不具合です。報告してください",
                    "this is a bug in onshi; please report it",
                ),
            ),
        };
        let here = match self.kind {
            EvalErrorKind::NoRule { .. } => Text::new("この定義", "this definition"),
            EvalErrorKind::Premise { .. } => Text::new("この前提", "this premise"),
            EvalErrorKind::Steps { .. } => {
                Text::new("ここで上限に達しました", "the limit was reached here")
            }
            _ => Text::new("この式", "this expression"),
        };
        Diagnostic::new(self.entry(), msg)
            .with_label(self.span, here)
            .with_help(help)
    }
}

/// The error `kind` at `span`.
pub(crate) fn fail(kind: EvalErrorKind, span: Span) -> EvalError {
    EvalError { kind, span }
}
