//! The wording of the proofs' findings (`onshi::proof::conflict`: both rules labelled;
//! `onshi::proof::no_rule`: the definition's rules labelled), with the witness facts as a `例` block
//! the author can paste into the policy.

use onshi::eval::{ConflictingRule, EvalError, EvalErrorKind};
use onshi::program::Program;
use onshi::types::Type;
use onshi::value::Value;
use onshi_grammar::{Code, Diagnostic, Lang, Text};

/// A value as a literal of the language (dates as ISO dates, the rest as the Japanese text).
fn literal(p: &Program, v: &Value, ty: &Type) -> String {
    match v {
        Value::Date(_) => p.value_text(v, ty, Lang::En),
        _ => p.value_text(v, ty, Lang::Ja),
    }
}

/// `a = 1, b = 真` (after `事実`): the inputs not at their default (and every required one).
fn facts_line(p: &Program, inputs: &[Value]) -> String {
    let parts: Vec<String> = p
        .inputs()
        .iter()
        .zip(inputs)
        .filter(|(i, v)| **v != Value::Absent && i.default.as_ref() != Some(*v))
        .map(|(i, v)| format!("{} = {}", i.name, literal(p, v, &i.ty)))
        .collect();
    // Three facts a line, so that a renderer that wraps long help lines never splits one (the
    // grammar allows a line break after a comma).
    parts
        .chunks(3)
        .map(|c| c.join(", "))
        .collect::<Vec<_>>()
        .join(",\n       ")
}

fn rule_name(r: &ConflictingRule) -> Text {
    match &r.label {
        Some(l) => Text::new(l.clone(), l.clone()),
        None => Text::new("原則", "principle"),
    }
}

/// The finding for a run-time error the interpreter reproduced with `inputs`.
pub(crate) fn finding(
    p: &Program,
    output: &str,
    inputs: &[Value],
    e: &EvalError,
) -> Option<Diagnostic> {
    match &e.kind {
        EvalErrorKind::Conflict { def, rules } => Some(conflict(p, inputs, def, rules)),
        EvalErrorKind::NoRule { def } => Some(no_rule(p, inputs, def, e)),
        EvalErrorKind::NoRow { table, keys } => Some(no_row(p, output, inputs, table, keys, e)),
        _ => None,
    }
}

fn example(def: &str, title: &str, facts: &str, expect: &str) -> String {
    format!("例 \"{def}: {title}\"\n  事実 {facts}\n  # 期待 {def} = {expect}")
}

/// The finding for a definition no rule of which applies to `inputs`.
fn no_rule(p: &Program, inputs: &[Value], def: &str, e: &EvalError) -> Diagnostic {
    let facts = facts_line(p, inputs);
    Diagnostic::new(
        Code::PROOF_NO_RULE,
        Text::new(
            format!("{def} のどの規則も当てはまらない事実がある"),
            format!("some facts make no rule of {def} apply"),
        ),
    )
    .with_label(
        e.span,
        Text::new("この事実ではどれも当てはまらない", "none applies to these facts"),
    )
    .with_help(Text::new(
        format!(
            "ソルバーが見つけ、インタプリタで再現した事実です。条件のない `原則` を加えるか、この事実に当てはまる例外を加えてください（現実に起きない事実なら、その旨を注記してください）。正しい値を書いて例として貼れます:\n{}",
            example(def, "当てはまる規則なし", &facts, "（この事実での正しい値）")
        ),
        format!(
            "facts found by the solver and reproduced by the interpreter. Add an unconditional `原則`, or an exception for these facts (if the real world never produces them, say so in a comment). Write the right value and paste this as an example:\n{}",
            example(def, "no applicable rule", &facts, "(the right value for these facts)")
        ),
    ))
}

/// The finding for a table lookup no row of which matches `inputs`.
fn no_row(
    p: &Program,
    output: &str,
    inputs: &[Value],
    table: &str,
    keys: &[(String, Text)],
    e: &EvalError,
) -> Diagnostic {
    let facts = facts_line(p, inputs);
    let shown = |lang: Lang, sep: &str| {
        keys.iter()
            .map(|(k, v)| format!("{k}={}", v.get(lang)))
            .collect::<Vec<_>>()
            .join(sep)
    };
    let title = |lang: Lang| match lang {
        Lang::Ja => format!("表 {table} に行がない"),
        Lang::En => format!("no row of table {table}"),
    };
    Diagnostic::new(
        Code::PROOF_NO_ROW,
        Text::new(
            format!("表 `{table}` のどの行にも当たらない参照をする事実がある"),
            format!("some facts make a lookup in table `{table}` match no row"),
        ),
    )
    .with_label(
        e.span,
        Text::new(
            format!("この参照（{}）に当たる行がない", shown(Lang::Ja, "、")),
            format!("no row for this lookup ({})", shown(Lang::En, ", ")),
        ),
    )
    .with_help(Text::new(
        format!(
            "ソルバーが見つけ、インタプリタで再現した事実です。この組み合わせに当たる行（または `その他` の行）を表に加えるか、参照の前に条件で分けてください（現実に起きない事実なら、その旨を注記してください）。正しい値を書いて例として貼れます:\n{}",
            example(output, &title(Lang::Ja), &facts, "（この事実での正しい値）")
        ),
        format!(
            "facts found by the solver and reproduced by the interpreter. Add a row (or an `その他` row) that covers this combination, or guard the lookup with a condition (if the real world never produces these facts, say so in a comment). Write the right value and paste this as an example:\n{}",
            example(output, &title(Lang::En), &facts, "(the right value for these facts)")
        ),
    ))
}

/// The finding for a conflict of `def` between `rules`, reproduced by `inputs`.
fn conflict(p: &Program, inputs: &[Value], def: &str, rules: &[ConflictingRule]) -> Diagnostic {
    let names: Vec<Text> = rules.iter().map(rule_name).collect();
    let join = |lang: Lang, sep: &str| {
        names
            .iter()
            .map(|n| n.get(lang).to_string())
            .collect::<Vec<_>>()
            .join(sep)
    };
    let values = |lang: Lang, sep: &str| {
        rules
            .iter()
            .map(|r| r.value.get(lang).to_string())
            .collect::<Vec<_>>()
            .join(sep)
    };
    let facts = facts_line(p, inputs);
    let ex = |title: &str, expect: &str| example(def, title, &facts, expect);
    let mut d = Diagnostic::new(
        Code::PROOF_CONFLICT,
        Text::new(
            format!(
                "{def} の規則 {} が同時に当てはまり、違う値を与える事実がある",
                join(Lang::Ja, " と ")
            ),
            format!(
                "some facts make rules {} of {def} both apply and give different values",
                join(Lang::En, " and ")
            ),
        ),
    );
    for (r, n) in rules.iter().zip(&names) {
        d = d.with_label(
            r.span,
            Text::new(
                format!("{} → {}", n.get(Lang::Ja), r.value.get(Lang::Ja)),
                format!("{} → {}", n.get(Lang::En), r.value.get(Lang::En)),
            ),
        );
    }
    d.with_help(Text::new(
        format!(
            "ソルバーが見つけ、インタプリタで再現した事実です。どちらが優先するか `例外 A > B` で書くか、条件を排他にしてください。正しい値を選んで例として貼れます:\n{}",
            ex("規則の衝突", &values(Lang::Ja, " または "))
        ),
        format!(
            "facts found by the solver and reproduced by the interpreter. Say which rule wins (`例外 A > B`) or make the conditions exclusive. Pick the right value and paste this as an example:\n{}",
            ex("rule conflict", &values(Lang::Ja, " or "))
        ),
    ))
}
