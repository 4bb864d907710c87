//! The limits of `onshi::Limits` the checker holds a policy to (`onshi::limit::*`).

use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

pub(super) fn too_many_rules(code: Code, span: &Span, limit: &usize) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("規則が多すぎます（上限 {limit}）"),
        format!("too many rules in one definition (the limit is {limit})"),
    )
    .with_label(*span, Text::new("この定義", "this definition"))
    .with_help(Text::new("定義を分けてください", "split the definition"))
}

pub(super) fn too_many_variants(code: Code, span: &Span, limit: &usize) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("列挙子が多すぎます（上限 {limit}）"),
        format!("too many variants (the limit is {limit})"),
    )
    .with_label(*span, Text::new("この列挙", "this enum"))
    .with_help(Text::new("列挙を分けてください", "split the enumeration"))
}

pub(super) fn too_many_definitions(
    code: Code,
    span: &Span,
    count: &usize,
    limit: &u64,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("定義と出力が多すぎます（取込を含めて {count} 個、上限 {limit} 個）"),
        format!("too many definitions and outputs ({count} with the imports; the limit is {limit})"),
    )
    .with_label(*span, Text::new(format!("{} 個目の定義", limit.saturating_add(1)), format!("definition number {}", limit.saturating_add(1))))
    .with_help(Text::new(
        "政策を分けるか、上限を上げてください（`--max-definitions`、WASM では limits の `maxDefinitions`）",
        "split the policy, or raise the limit (`--max-definitions`; `maxDefinitions` in the WASM limits)",
    ))
}

pub(super) fn too_many_rows(
    code: Code,
    span: &Span,
    table: &Span,
    name: &str,
    rows: &usize,
    limit: &u64,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("表 `{name}` の行が多すぎます（{rows} 行、上限 {limit} 行）"),
        format!("table `{name}` has too many rows ({rows}; the limit is {limit})"),
    )
    .with_label(*span, Text::new(format!("{} 行目", limit.saturating_add(1)), format!("row {}", limit.saturating_add(1))))
    .with_label(*table, Text::new("この表", "this table"))
    .with_help(Text::new(
        "表を分けるか（たとえばキーの列の値ごとに）、上限を上げてください（`--max-table-rows`、WASM では limits の `maxTableRows`）",
        "split the table (by the values of a key column, for example), or raise the limit (`--max-table-rows`; `maxTableRows` in the WASM limits)",
    ))
}

pub(super) fn too_deep_lookup(
    code: Code,
    span: &Span,
    depth: &u64,
    limit: &u64,
    chain: &[String],
    more: &bool,
) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    let mut path = chain.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>();
    if *more {
        path.push("…".to_string());
    }
    err(
        format!("表のセルの中で表を引く入れ子が深すぎます（評価が {depth} 段、上限 {limit} 段）"),
        format!("tables looked up inside table cells nest too deeply (evaluation is {depth} levels deep; the limit is {limit})"),
    )
    .with_label(*span, Text::new(
        format!("ここから {} と表のセルをたどります", path.join(" → ")),
        format!("from here evaluation goes through the cells of {}", path.join(" → ")),
    ))
    .with_help(Text::new(
        "セルの中の表の参照を `定義` にして、セルではその名前を使ってください（定義は一度だけ評価され、入れ子になりません）。または上限を上げてください（`--max-depth`、WASM では limits の `maxDepth`）",
        "move a lookup inside a cell into a `define` and use its name in the cell (a definition is evaluated once and does not nest), or raise the limit (`--max-depth`; `maxDepth` in the WASM limits)",
    ))
}
