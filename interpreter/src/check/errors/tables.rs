//! Tables: their shape, their cells, rows that overlap and keys no row covers (`onshi::table::*`).

use super::TypeText;
use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

pub(super) fn table_width(code: Code, span: &Span, expected: &usize, found: &usize) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("表の行のセル数が違います（{expected} 個必要、{found} 個あります）"),
        format!("this table row has {found} cells, the table has {expected} columns"),
    )
    .with_label(*span, Text::new("この行", "this row"))
    .with_help(Text::new(
        "キーの列と結果の列の数だけ `|` で区切ったセルを書いてください",
        "write one cell per key and result column, separated by `|`",
    ))
}

pub(super) fn table_header(code: Code, span: &Span, expected: &str, found: &str) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("表の見出し `{found}` が列名 `{expected}` と違います"),
        format!("table header `{found}` does not match the column name `{expected}`"),
    )
    .with_label(*span, Text::new("この見出し", "this header"))
    .with_help(Text::new(
        format!("見出しを `{expected}` にしてください"),
        format!("name this header `{expected}`"),
    ))
}

pub(super) fn bad_pattern(code: Code, span: &Span, ty: &TypeText) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        format!("このセルは {} の列に書けません", ty.ja),
        format!("this cell cannot be used in a {} column", ty.en),
    )
    .with_label(*span, Text::new("このセル", "this cell"))
    .with_help(Text::new(
        "キーの列には 値・列挙子・群・`{a, b}`・`-`（何でも）、数と日付の列には `40000以上`・`a 〜 b` も書けます。結果の列には値（式）を書きます",
        "key columns take a value, a variant, a group, `{a, b}` or `-` (any), and for numbers and dates also `40000以上` or `a 〜 b`; result columns take a value (an expression)",
    ))
}

pub(super) fn table_overlap(code: Code, first: &Span, second: &Span) -> Diagnostic {
    let err = |ja: String, en: String| Diagnostic::new(code, Text::new(ja, en));
    err(
        "表の二つの行が同じ事実に当てはまり、結果が違います".to_string(),
        "two rows of the table match the same facts with different results".to_string(),
    )
    .with_label(*second, Text::new("この行", "this row"))
    .with_label(*first, Text::new("この行と重なり、結果が違います", "overlaps this row, with a different result"))
    .with_help(Text::new(
        "表は一意ヒット方式です: 結果の違う行どうしが同じ事実に当てはまらないよう、キーのセルを分けてください",
        "tables use the unique hit policy: rows with different results must not match the same facts; make their key cells disjoint",
    ))
}

pub(super) fn table_gap(code: Code, span: &Span, missing: &[String], more: &usize) -> Diagnostic {
    let extra_ja = if *more > 0 {
        format!(" ほか{more}通り")
    } else {
        String::new()
    };
    let extra_en = if *more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    Diagnostic::new(
        code,
        Text::new(
            format!("表のどの行にも当てはまらない組み合わせがあります: {}{extra_ja}", missing.join("、")),
            format!("no row covers: {}{extra_en}", missing.join(", ")),
        ),
    )
    .with_label(*span, Text::new("この表", "this table"))
    .with_help(Text::new(
        "その組み合わせに当てはまる行を加えてください（当てはまる行がないと評価時にエラーになります）",
        "add rows that cover them (a lookup with no matching row is an evaluation error)",
    ))
}
