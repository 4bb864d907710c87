//! The small limits of `tests/corpus/diagnostics/limit_*` at their edge: what one more allows.
//! (Each limit exceeded, with its rendering: those cases; each default limit and its code:
//! `limits_defaults.rs`.)

use onshi::{compile_with, Compiled, Limits, Value};
use onshi_tests::workspace::root;
use std::collections::BTreeMap;

const ENTRY: &str = "r7/policy.onshi";

/// The policy of a case in `tests/corpus/diagnostics/`.
fn case(name: &str) -> String {
    std::fs::read_to_string(root().join(format!("tests/corpus/diagnostics/{name}.onshi"))).unwrap()
}

fn compile_limited(src: &str, limits: Limits) -> Compiled {
    compile_with(
        &BTreeMap::from([(ENTRY.to_string(), src.to_string())]),
        ENTRY,
        &limits,
    )
}

#[test]
fn one_more_definition_or_table_row_is_allowed() {
    let limits = Limits {
        max_definitions: 3,
        ..Limits::default()
    };
    assert!(compile_limited(&case("limit_definitions"), limits)
        .program
        .is_some());
    let limits = Limits {
        max_table_rows: 3,
        ..Limits::default()
    };
    assert!(compile_limited(&case("limit_table_rows"), limits)
        .program
        .is_some());
}

/// Tables 段1 … 段n, each looking up the one before in its cell (`limit_depth.onshi` is n = 4).
fn nested_tables(n: usize) -> String {
    let mut src = String::from(
        "入力 回数: 整数\n表 段1(k: 整数) → 整数\n  | k | 段1 |\n  |---|---|\n  | - | 回数 + 1 |\n",
    );
    for i in 2..=n {
        src.push_str(&format!(
            "表 段{i}(k: 整数) → 整数\n  | k | 段{i} |\n  |---|---|\n  | - | 段{}(回数) + 1 |\n",
            i - 1
        ));
    }
    src.push_str(&format!("出力 結果: 整数 = 段{n}(回数)\n"));
    src
}

#[test]
fn three_nested_tables_are_within_a_depth_of_8() {
    assert_eq!(nested_tables(4), case("limit_depth"));
    let limits = Limits {
        max_depth: 8,
        ..Limits::default()
    };
    // Three tables nest 7 levels.
    assert!(compile_limited(&nested_tables(3), limits).program.is_some());
}

#[test]
fn steps_are_counted_up_to_the_limit() {
    // 倍2(件数) takes 10 steps (keys under `-` are not evaluated).
    let src = case("limit_steps");
    let limits = Limits {
        max_steps: 9,
        ..Limits::default()
    };
    let c = compile_limited(&src, limits);
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    let p = c.program.unwrap();
    let inputs = p.facts_from_str(r#"{"件数": 1}"#).unwrap();
    assert_eq!(p.evaluator().record_counting(&inputs).1, 9);
    let err = p
        .evaluator()
        .record(&inputs)
        .expect_err("over the step limit");
    assert_eq!(err.to_diagnostic().code, "onshi::limit::steps");
    let limits = Limits {
        max_steps: 10,
        ..limits
    };
    let p = compile_limited(&src, limits).program.unwrap();
    assert_eq!(
        p.evaluator().record_counting(&inputs),
        (Ok(vec![Value::Int(4)]), 10)
    );
}

#[test]
fn a_definition_of_128_rules_is_allowed_and_its_last_exception_wins() {
    // 128 rules fill the u128 masks exactly: the last exception (bit 127) still wins.
    // (`limit_rules.onshi` has 129.)
    let mut src = String::from("入力 番号: 整数\n出力 区分: 整数\n  原則: 0\n");
    for i in 1..128 {
        src.push_str(&format!("  例外 規則{i}: もし 番号 = {i} ならば {i}\n"));
    }
    assert!(case("limit_rules").starts_with(&src));
    let c = compile_limited(&src, Limits::default());
    let p = c.program.unwrap();
    let inputs = p.facts_from_str(r#"{"番号": 127}"#).unwrap();
    assert_eq!(p.evaluator().record(&inputs).unwrap(), [Value::Int(127)]);
    let inputs = p.facts_from_str(r#"{"番号": 500}"#).unwrap();
    assert_eq!(p.evaluator().record(&inputs).unwrap(), [Value::Int(0)]);
}
