//! Deeply nested and very long input is rejected with a diagnostic (or accepted), never a stack
//! overflow — in an ordinary test thread (2 MiB stack) of a debug build.

use crate::common;
use common::compile_src;

/// Compile on a thread with the default 2 MiB stack and return the error codes.
fn codes(src: String) -> Vec<&'static str> {
    std::thread::Builder::new()
        .stack_size(2 << 20)
        .spawn(move || {
            let c = compile_src(&src);
            for d in &c.diagnostics {
                let span = d.primary_span().expect("every diagnostic points somewhere");
                assert!(span.start <= span.end && span.end as usize <= src.len());
                // Rendering must not overflow either.
                let _ = onshi_cli::render::render(d, &c.sources, onshi::Lang::En);
            }
            if let Some(p) = &c.program {
                let _ = p.evaluator().json(&serde_json::json!({}));
            }
            c.diagnostics
                .iter()
                .filter(|d| d.is_error())
                .map(|d| d.code)
                .collect()
        })
        .unwrap()
        .join()
        .expect("no panic, no overflow")
}

fn too_deep(src: String) {
    let codes = codes(src);
    assert!(codes.contains(&"onshi::syntax::too_deep"), "{codes:?}");
}

#[test]
fn ten_thousand_parens() {
    too_deep(format!(
        "出力 x = {}1{}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_unclosed_parens() {
    too_deep(format!("出力 x = {}1", "(".repeat(10_000)));
}
#[test]
fn ten_thousand_braces() {
    too_deep(format!("出力 x = {}", "{".repeat(10_000)));
}
#[test]
fn ten_thousand_ifs() {
    too_deep(format!(
        "出力 x = {}1{}",
        "もし 真 ならば ".repeat(10_000),
        " そうでなければ 2".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_unfinished_ifs() {
    too_deep(format!("出力 x = {}", "もし 真 ならば ".repeat(10_000)));
}
#[test]
fn ten_thousand_if_conditions() {
    too_deep(format!("出力 x = {}真", "もし ".repeat(10_000)));
}
#[test]
fn ten_thousand_english_ifs_on_new_lines() {
    too_deep(format!("output x = {}1", "if\ntrue\nthen\n".repeat(10_000)));
}
#[test]
fn ten_thousand_ifs_with_bracketed_conditions() {
    too_deep(format!("output x = {}1", "if(true)then ".repeat(10_000)));
}
#[test]
fn ten_thousand_nots() {
    too_deep(format!("出力 x = {}真", "not ".repeat(10_000)));
}
#[test]
fn ten_thousand_nots_on_new_lines() {
    too_deep(format!("出力 x = {}真", "not\n".repeat(10_000)));
}
#[test]
fn ten_thousand_nots_with_brackets() {
    too_deep(format!(
        "出力 x = {}真{}",
        "not(".repeat(10_000),
        ")".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_postfix_nots() {
    too_deep(format!("出力 x = 真{}", " でない".repeat(10_000)));
}
#[test]
fn ten_thousand_minus_signs() {
    too_deep(format!("出力 x = {}1", "-".repeat(10_000)));
}
#[test]
fn ten_thousand_matches() {
    too_deep(format!(
        "列挙 E = A | B\n入力 e: E\n出力 x = {}1",
        "場合 e { A → 1; B → ".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_calls() {
    too_deep(format!(
        "出力 x = {}1{}",
        "最小(".repeat(10_000),
        ")".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_sets() {
    too_deep(format!("出力 x = {}", "{{".repeat(5_000)));
}
#[test]
fn ten_thousand_field_accesses() {
    too_deep(format!("出力 x = y{}", ".a".repeat(10_000)));
}
#[test]
fn ten_thousand_optional_types() {
    too_deep(format!(
        "入力 x: {}日付{}",
        "任意<".repeat(10_000),
        ">".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_set_types() {
    too_deep(format!(
        "入力 x: {}E{}",
        "集合<".repeat(10_000),
        ">".repeat(10_000)
    ));
}
#[test]
fn ten_thousand_table_cells() {
    let cell = "(".repeat(10_000);
    too_deep(format!("表 t(k: 整数) → 整数\n  | {cell} | 1 |"));
}

#[test]
fn chain_of_a_hundred_thousand_terms() {
    too_deep(format!("出力 x = 1{}", " + 1".repeat(99_999)));
}

#[test]
fn chain_of_a_hundred_thousand_ands() {
    too_deep(format!("出力 x = 真{}", " と 真".repeat(99_999)));
}

#[test]
fn chain_of_a_hundred_thousand_products() {
    too_deep(format!("出力 x = 1{}", " × 1".repeat(99_999)));
}

// Just under the limits, the same shapes compile and evaluate.

#[test]
fn sixty_four_parens_compile() {
    // The default nesting limit (onshi::Limits::max_nesting) is 64, brackets and もし together.
    assert_eq!(
        codes(format!("出力 x = {}1{}", "(".repeat(64), ")".repeat(64))),
        Vec::<&str>::new()
    );
}

#[test]
fn sixty_four_nested_ifs_compile() {
    let src = format!(
        "出力 x = {}1{}",
        "もし 真 ならば ".repeat(64),
        " そうでなければ 2".repeat(64)
    );
    assert_eq!(codes(src), Vec::<&str>::new());
}

#[test]
fn a_hundred_and_twenty_eight_terms_compile() {
    // The default depth limit (onshi::Limits::max_depth) is 128: a chain of n terms is n deep.
    assert_eq!(
        codes(format!("出力 x = 1{}", " + 1".repeat(127))),
        Vec::<&str>::new()
    );
    assert_eq!(
        codes(format!("出力 x = 1{}", " + 1".repeat(128))),
        ["onshi::syntax::too_deep"]
    );
}

#[test]
fn a_hundred_and_twenty_seven_subtractions_compile() {
    // Binary minus does not nest; only the tree depth limit applies.
    assert_eq!(
        codes(format!("出力 x = 1000{}", " - 1".repeat(127))),
        Vec::<&str>::new()
    );
}

#[test]
fn long_table_with_wildcards_compiles() {
    // Many `-` cells, ISO dates and separator rows are not nesting. (The rows are disjoint: tables
    // use the unique hit policy.)
    let mut src = String::from(
        "表 t(k: 整数, d: 日付) → 整数\n  | k | d | t |\n  |------|--------------|------|\n",
    );
    for i in 0..300 {
        let j = i + 1000;
        src.push_str(&format!(
            "  | {i} | - | {i} |\n  | {j} | 2025-01-01 | 0 |\n"
        ));
    }
    src.push_str("出力 x = t(299, 2025-01-02)\n");
    assert_eq!(codes(src), Vec::<&str>::new());
}

#[test]
fn many_sibling_ifs_compile() {
    // Ifs side by side (in arguments, in brackets) do not nest.
    let arg = "(もし 真 ならば 1 そうでなければ 2)";
    let src = format!("出力 x = 最大({})", vec![arg; 300].join(", "));
    assert_eq!(codes(src), Vec::<&str>::new());
}

#[test]
fn many_table_rows_with_ifs_compile() {
    let mut src = String::from("入力 n: 整数 既定 0\n表 t(k: 整数) → 整数\n");
    for i in 0..300 {
        src.push_str(&format!(
            "  | {i} | もし n > {i} ならば 1 そうでなければ 0 |\n"
        ));
    }
    src.push_str("出力 x = t(5)\n");
    assert_eq!(codes(src), Vec::<&str>::new());
}

#[test]
fn huge_file_is_rejected() {
    let src = format!("出力 x = 1\n# {}\n", "あ".repeat(1 << 19));
    assert!(codes(src).contains(&"onshi::syntax::too_large"));
}
