//! Types and units (`onshi::type::*`).

use super::{MismatchHint, TypeText};
use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

impl MismatchHint {
    fn text(&self) -> Text {
        match self {
            MismatchHint::MoneyUnit(n) => Text::new(
                format!("金額には単位を付けます: `{n}円`"),
                format!("money needs its unit: `{n}円`"),
            ),
            MismatchHint::PresenceOfRequired => Text::new(
                "`が ある`/`が ない` は任意の値（入力の `任意<…>` など）にだけ使えます",
                "`is present`/`is absent` applies only to optional values",
            ),
            MismatchHint::SetOfOneEnum => Text::new(
                "集合 `{…}` には同じ列挙の列挙子と群だけを書けます",
                "a set `{…}` holds variants and groups of one enumeration",
            ),
            MismatchHint::MatchOnEnum => Text::new(
                "`場合` は列挙の値で場合分けします。条件には `もし … ならば` を使ってください",
                "`match` works on enumerations; use `if … then` for conditions",
            ),
            MismatchHint::SetElementEnum => Text::new(
                "集合の要素は列挙型です（例: `集合<事業>`）",
                "sets hold variants of an enumeration (e.g. `set<事業>`)",
            ),
        }
    }
}

fn tt(t: &TypeText) -> (&str, &str) {
    (&t.ja, &t.en)
}

pub(super) fn mismatch(
    code: Code,
    span: &Span,
    expected: &TypeText,
    found: &TypeText,
    hint: &Option<MismatchHint>,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!(
            "型が合いません: {} が必要ですが {} です",
            expected.ja, found.ja
        ),
        format!(
            "type mismatch: expected {}, found {}",
            expected.en, found.en
        ),
    )
    .with_label(
        *span,
        Text::new(
            format!("{} の式", found.ja),
            format!("this is {}", found.en),
        ),
    )
    .with_help(hint.as_ref().map(MismatchHint::text).unwrap_or_else(|| {
        Text::new(
            format!("{} になる式を書いてください", expected.ja),
            format!("write an expression of type {}", expected.en),
        )
    }))
}

pub(super) fn unit(
    code: Code,
    span: &Span,
    op: &str,
    left: &TypeText,
    right: &TypeText,
    hint: &Option<Text>,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    let (lj, le) = tt(left);
    let (rj, re) = tt(right);
    err(
        format!("{lj} {op} {rj} は計算できません"),
        format!("cannot compute {le} {op} {re}"),
    )
    .with_label(*span, Text::new("単位が合いません", "the units do not fit"))
    .with_help(hint.clone().unwrap_or_else(|| {
        Text::new(
            "金額±金額、金額×割合、日付±期間、日付−日付 のように単位を揃えてください",
            "units must fit: money ± money, money × ratio, date ± duration, date − date",
        )
    }))
}

pub(super) fn not_comparable(
    code: Code,
    span: &Span,
    op: &str,
    left: &TypeText,
    right: &TypeText,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("{} と {} は `{op}` で比べられません", left.ja, right.ja),
        format!("cannot compare {} with {} using `{op}`", left.en, right.en),
    )
    .with_label(*span, Text::new("この比較", "this comparison"))
    .with_help(Text::new(
        "同じ型の値どうしを比べてください（集合には ∈ を使います）",
        "compare values of the same type (use ∈ for set membership)",
    ))
}

pub(super) fn optional_use(code: Code, span: &Span, name: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("`{name}` は未設定のことがある値です"),
        format!("`{name}` may be absent"),
    )
    .with_label(*span, Text::new("ここでは値が必要です", "a value is needed here"))
    .with_help(Text::new(
        format!("`もし {name} が ある ならば … そうでなければ …` で確かめるか、`既定値({name}, 値)` を使ってください"),
        format!("test it first with `if {name} is present then … else …`, or use `or_default({name}, value)`"),
    ))
}

pub(super) fn arity(
    code: Code,
    span: &Span,
    name: &str,
    expected: &str,
    found: &usize,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("`{name}` の引数の数が違います（{expected} 個必要、{found} 個あります）"),
        format!("`{name}` takes {expected} argument(s), found {found}"),
    )
    .with_label(*span, Text::new("この呼び出し", "this call"))
    .with_help(Text::new(
        "引数の数を合わせてください",
        "pass the right number of arguments",
    ))
}

pub(super) fn not_exhaustive(code: Code, span: &Span, missing: &[String]) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("場合分けに漏れがあります: {}", missing.join("、")),
        format!("the match does not cover: {}", missing.join(", ")),
    )
    .with_label(*span, Text::new("この場合分け", "this match"))
    .with_help(Text::new(
        format!(
            "{} の腕か、`その他 → …` を追加してください",
            missing.join("・")
        ),
        format!(
            "add arms for {}, or an `otherwise → …` arm",
            missing.join(", ")
        ),
    ))
}

pub(super) fn unreachable_arm(code: Code, span: &Span) -> Diagnostic {
    Diagnostic::new(
        code,
        Text::new(
            "この腕に到達することはありません",
            "this arm is never reached",
        ),
    )
    .with_label(
        *span,
        Text::new(
            "前の腕ですべて扱われています",
            "earlier arms cover all its cases",
        ),
    )
    .with_help(Text::new("この腕を削除してください", "remove this arm"))
}

pub(super) fn needs_context(code: Code, span: &Span) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        "この式の型が決まりません".to_string(),
        "cannot tell the type of this expression".to_string(),
    )
    .with_label(*span, Text::new("型が不明", "unknown type"))
    .with_help(Text::new(
        "`定義 x: 集合<事業> = {}` のように型を書いてください",
        "write the type, e.g. `define x: 集合<事業> = {}`",
    ))
}

pub(super) fn not_constant(code: Code, span: &Span) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        "ここには定数が必要です".to_string(),
        "a constant is needed here".to_string(),
    )
    .with_label(
        *span,
        Text::new(
            "入力や定義に依存しています",
            "depends on inputs or definitions",
        ),
    )
    .with_help(Text::new(
        "既定値と表のキーのセルには、値・列挙子・群・集合だけを書けます",
        "defaults and key cells may only hold values, variants, groups and sets",
    ))
}
