//! The wording of the proofs' findings (`onshi::proof::conflict`: both rules labelled;
//! `onshi::proof::no_rule`: the definition's rules labelled), with the witness facts as a `例` block
//! the author can paste into the policy.

use crate::dead::Dead;
use onshi::eval::{ConflictingRule, EvalError, EvalErrorKind};
use onshi::program::{DefId, Program};
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
            "ソルバーが見つけ、インタプリタで再現した事実です。条件のない `原則` を加えるか、この事実に当てはまる例外を加えてください（現実に起きない事実なら、出典を付けて `前提` で述べてください。証明はそれを仮定します）。正しい値を書いて例として貼れます:\n{}",
            example(def, "当てはまる規則なし", &facts, "（この事実での正しい値）")
        ),
        format!(
            "facts found by the solver and reproduced by the interpreter. Add an unconditional `原則`, or an exception for these facts (if the real world never produces them, state that with a cited `前提`, which proofs assume). Write the right value and paste this as an example:\n{}",
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
            "ソルバーが見つけ、インタプリタで再現した事実です。この組み合わせに当たる行（または `その他` の行）を表に加えるか、参照の前に条件で分けてください（現実に起きない事実なら、出典を付けて `前提` で述べてください。証明はそれを仮定します）。正しい値を書いて例として貼れます:\n{}",
            example(output, &title(Lang::Ja), &facts, "（この事実での正しい値）")
        ),
        format!(
            "facts found by the solver and reproduced by the interpreter. Add a row (or an `その他` row) that covers this combination, or guard the lookup with a condition (if the real world never produces these facts, state that with a cited `前提`, which proofs assume). Write the right value and paste this as an example:\n{}",
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

/// The finding for rule `i` of definition `d`, proved never to give its value.
pub(crate) fn dead_rule(p: &Program, d: DefId, i: usize, why: &Dead) -> Option<Diagnostic> {
    let def = p.def(d)?;
    let name = |k: usize| match def.rules.get(k).and_then(|r| r.label.clone()) {
        Some(l) => Text::new(l.clone(), l),
        None => Text::new("原則", "principle"),
    };
    let rule = def.rules.get(i)?;
    let this = name(i);
    let dn = &def.name;
    let d = match why {
        Dead::NeverApplies => Diagnostic::new(
            Code::PROOF_DEAD_RULE,
            Text::new(
                format!("{dn} の規則 {} が当てはまる事実はない", this.ja),
                format!("no facts make rule {} of {dn} apply", this.en),
            ),
        )
        .with_label(
            rule.span,
            Text::new(
                "この条件はどんな事実でも成り立たない",
                "this condition holds for no facts",
            ),
        )
        .with_help(Text::new(
            "ソルバーが、条件を満たす事実がないことを証明しました（入力の型と範囲の下で）。条件の比較や「と/または」を見直すか、要らない規則なら削除してください。",
            "the solver proved that no facts satisfy its condition (given the inputs' types and ranges). Check its comparisons and と/または, or remove the rule if it is not needed.",
        )),
        Dead::AlwaysBeaten(by) => {
            let list = |lang: Lang, sep: &str| {
                by.iter()
                    .map(|k| name(*k).get(lang).to_string())
                    .collect::<Vec<_>>()
                    .join(sep)
            };
            let mut diag = Diagnostic::new(
                Code::PROOF_DEAD_RULE,
                Text::new(
                    format!(
                        "{dn} の規則 {} は値を決めることがない: 当てはまるときは、いつも {} も当てはまって優先する",
                        this.ja,
                        list(Lang::Ja, "・")
                    ),
                    format!(
                        "rule {} of {dn} never decides: whenever it applies, {} applies too and wins",
                        this.en,
                        list(Lang::En, ", ")
                    ),
                ),
            )
            .with_label(
                rule.span,
                Text::new("この規則はいつも負ける", "this rule always loses"),
            );
            for k in by {
                if let Some(r) = def.rules.get(*k) {
                    diag = diag.with_label(
                        r.span,
                        Text::new(
                            format!("{} が優先する", name(*k).ja),
                            format!("{} wins over it", name(*k).en),
                        ),
                    );
                }
            }
            diag.with_help(Text::new(
                "ソルバーが、この規則が当てはまる事実ではいつも優先する規則も当てはまることを証明しました。優先順位（`例外 A > B`）か条件を見直してください。意図どおりなら、要らない規則として削除できます。",
                "the solver proved that every fact this rule applies to also makes a rule that beats it apply. Check the order (`例外 A > B`) or the conditions; if this is intended, the rule is not needed and can be removed.",
            ))
        }
    };
    Some(d)
}
