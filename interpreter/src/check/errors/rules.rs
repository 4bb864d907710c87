//! 原則/例外 rules (`onshi::rule::*`) and examples (`onshi::example::*`).

use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

pub(super) fn rule_cycle(code: Code, chain: &[(String, Span)]) -> Diagnostic {
    super::cycle(
        code,
        chain,
        " > ",
        |path| {
            Text::new(
                format!("例外の優先順位が循環しています: {path}"),
                format!("the priorities of exceptions form a cycle: {path}"),
            )
        },
        |name, next| {
            Text::new(
                format!("`{name}` が `{next}` より優先"),
                format!("`{name}` wins over `{next}`"),
            )
        },
    )
    .with_help(Text::new(
        "`例外 A > B` は A が B より優先されることを表します。循環しないように直してください",
        "`exception A over B` makes A win over B: remove the cycle",
    ))
}

pub(super) fn unreachable_rule(code: Code, span: &Span, by: &Option<Span>) -> Diagnostic {
    let d = Diagnostic::new(
        code,
        Text::new(
            "この規則が値を決めることはありません",
            "this rule never gives the value",
        ),
    );
    match by {
        Some(b) => d
            .with_label(*span, Text::new("この規則", "this rule"))
            .with_label(
                *b,
                Text::new(
                    "常に適用され、常に優先される規則",
                    "this rule always applies and always wins",
                ),
            ),
        None => d.with_label(
            *span,
            Text::new("条件が常に偽です", "its condition is never true"),
        ),
    }
    .with_help(Text::new(
        "条件か優先順位（`>`）を見直すか、この規則を削除してください",
        "check its condition and priorities (`>`), or remove it",
    ))
}

pub(super) fn rule_conflict(code: Code, first: &Span, second: &Span) -> Diagnostic {
    Diagnostic::new(
        code,
        Text::new(
            "同じ順位の二つの規則が常に適用され、違う値を与えます",
            "two rules of equal rank always apply and give different values",
        ),
    )
    .with_label(*first, Text::new("一つ目", "one"))
    .with_label(*second, Text::new("二つ目", "the other"))
    .with_help(Text::new(
        "一方を例外にして `>` で優先順位を付けるか、条件で分けてください",
        "make one an exception of the other with `>`, or give them conditions",
    ))
}

pub(super) fn example_missing(code: Code, span: &Span, name: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("例に必須の入力 `{name}` がありません"),
        format!("the example does not give the required input `{name}`"),
    )
    .with_label(*span, Text::new("この例", "this example"))
    .with_help(Text::new(
        format!("`事実` に `{name} = …` を加えてください"),
        format!("add `{name} = …` to its facts (`given`)"),
    ))
}
