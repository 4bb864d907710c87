//! The parser on its own: shapes of the tree, error recovery per declaration, spans, keywords.

use onshi_grammar::ast::{BinOp, CellKind, CmpOp, Expr, ExprKind, FileId, Item, TableResult};
use onshi_grammar::{parse, parse_with, ParseLimits};

fn items(src: &str) -> Vec<Item> {
    let p = parse(FileId(0), src);
    assert!(p.errors.is_empty(), "{src}: {:?}", p.errors);
    p.module.items
}

fn codes(src: &str) -> Vec<&'static str> {
    parse(FileId(0), src)
        .errors
        .iter()
        .map(|e| e.code())
        .collect()
}

/// The body of the single definition in `src`.
fn body(src: &str) -> Expr {
    match items(src).into_iter().next() {
        Some(Item::Def(d)) => d.body.expect("a body"),
        other => panic!("{other:?}"),
    }
}

fn expr(e: &str) -> ExprKind {
    body(&format!("定義 x = {e}")).kind
}

#[test]
fn precedence_mul_over_add() {
    let ExprKind::Binary(BinOp::Add, _, r) = expr("1 + 2 × 3") else {
        panic!()
    };
    assert!(matches!(r.kind, ExprKind::Binary(BinOp::Mul, ..)));
}
#[test]
fn left_associative_subtraction() {
    let ExprKind::Binary(BinOp::Sub, l, _) = expr("10 - 3 - 2") else {
        panic!()
    };
    assert!(matches!(l.kind, ExprKind::Binary(BinOp::Sub, ..)));
}
#[test]
fn and_binds_tighter_than_or() {
    assert!(matches!(
        expr("真 または 偽 と 偽"),
        ExprKind::Binary(BinOp::Or, ..)
    ));
}
#[test]
fn to_is_and() {
    assert!(matches!(expr("a と b"), ExprKind::Binary(BinOp::And, ..)));
}
#[test]
fn katsu_is_and() {
    assert!(matches!(expr("a かつ b"), ExprKind::Binary(BinOp::And, ..)));
}
#[test]
fn name_ending_in_to_is_a_name() {
    assert!(matches!(expr("条件と"), ExprKind::Name(_)));
}
#[test]
fn name_starting_with_keyword_is_a_name() {
    assert!(matches!(expr("かつ丼"), ExprKind::Name(_)));
}
#[test]
fn moshikuha_is_a_name() {
    assert!(matches!(expr("もしくは"), ExprKind::Name(_)));
}
#[test]
fn presence() {
    assert!(matches!(expr("x が ある"), ExprKind::Present(_, true)));
}
#[test]
fn absence() {
    assert!(matches!(expr("x が ない"), ExprKind::Present(_, false)));
}
#[test]
fn presence_without_spaces_is_one_name() {
    assert!(matches!(expr("xがある"), ExprKind::Name(_)));
}
#[test]
fn postfix_not() {
    assert!(matches!(expr("x でない"), ExprKind::Not(_)));
}
#[test]
fn membership() {
    assert!(matches!(
        expr("x ∈ {a, b}"),
        ExprKind::Compare(CmpOp::In, ..)
    ));
}
#[test]
fn ascii_comparisons() {
    assert!(matches!(expr("a >= b"), ExprKind::Compare(CmpOp::Ge, ..)));
}
#[test]
fn unicode_comparisons() {
    assert!(matches!(expr("a ≤ b"), ExprKind::Compare(CmpOp::Le, ..)));
}
#[test]
fn field_access() {
    assert!(matches!(expr("内容(a, b).補助率"), ExprKind::Field(..)));
}
#[test]
fn call() {
    assert!(matches!(expr("最小(a, b, c)"), ExprKind::Call(_, ref args) if args.len() == 3));
}
#[test]
fn empty_set() {
    assert!(matches!(expr("{}"), ExprKind::Set(ref v) if v.is_empty()));
}
#[test]
fn if_with_else_ifs() {
    let ExprKind::If(branches, _) = expr("もし a ならば 1 そうでなければもし b ならば 2 そうでなければもし c ならば 3 そうでなければ 4") else { panic!() };
    assert_eq!(branches.len(), 3);
}
#[test]
fn match_arms_with_semicolons_and_newlines() {
    let ExprKind::Match(_, arms) = expr("場合 k {\n  A → 1; B | C → 2\n  その他 → 3\n}")
    else {
        panic!()
    };
    assert_eq!(arms.len(), 3);
    assert_eq!(arms[1].patterns.len(), 2);
    assert!(arms[2].patterns.is_empty());
}
#[test]
fn english_arrows() {
    assert!(matches!(
        expr("match k { A => 1; _ -> 2 }"),
        ExprKind::Match(..)
    ));
}
#[test]
fn comments_of_every_kind() {
    let src = "# 一行目\n定義 x = 1 // 後ろ\n※ 注記\n定義 y = 2 # (((\n";
    assert_eq!(items(src).len(), 2);
}
#[test]
fn full_width_space_separates() {
    assert!(matches!(expr("a　と　b"), ExprKind::Binary(BinOp::And, ..)));
}

#[test]
fn table_shape() {
    let src = "表 t(k: E, n: 整数) → (a: 割合, b: 金額)\n  | k | n | a | b |\n  |---|---|---|---|\n  | {A, B} | 40000以上 | 1/2 | 1円 |\n  | - | 1 〜 9 | 3/4 | 2円 |\n  | * | >= 5 | 1 | 3円 |\n";
    let Item::Table(t) = items(src).remove(0) else {
        panic!()
    };
    assert!(t.header.is_some());
    assert_eq!(t.rows.len(), 3);
    assert!(matches!(t.results, TableResult::Columns(ref c) if c.len() == 2));
    assert!(matches!(
        t.rows[0].cells[1].kind,
        CellKind::Compare(CmpOp::Ge, _)
    ));
    assert!(matches!(t.rows[1].cells[0].kind, CellKind::Any));
    assert!(matches!(t.rows[1].cells[1].kind, CellKind::Range(..)));
    assert!(matches!(
        t.rows[2].cells[1].kind,
        CellKind::Compare(CmpOp::Ge, _)
    ));
}

#[test]
fn table_without_header() {
    let Item::Table(t) = items("表 t(k: E) → 割合\n  | A | 1/2 |\n  | B | 3/4 |").remove(0)
    else {
        panic!()
    };
    assert!(t.header.is_none());
    assert_eq!(t.rows.len(), 2);
    assert!(matches!(t.results, TableResult::Single(_)));
}

#[test]
fn every_broken_declaration_is_reported() {
    let src = "定義 a = (1 +\n定義 b = 2\n定義 c = もし\n出力 d = 3\n";
    let p = parse(FileId(0), src);
    assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
    assert_eq!(p.module.items.len(), 2);
}

#[test]
fn error_spans_are_in_the_declaration() {
    let src = "定義 a = 1\n定義 b = 1 +\n定義 c = 2\n";
    let p = parse(FileId(0), src);
    let span = p.errors[0].to_diagnostic().primary_span().unwrap();
    let line2 = src.find("定義 b").unwrap();
    let line3 = src.find("定義 c").unwrap();
    assert!(
        span.start as usize >= line2 && span.start as usize <= line3,
        "{span:?}"
    );
}

#[test]
fn missing_spaces_around_keywords_get_a_hint() {
    let help = |src: &str| {
        parse(FileId(0), src).errors[0]
            .to_diagnostic()
            .help
            .unwrap()
    };
    let glued = help("定義 x = a がある");
    assert_eq!(
        parse(FileId(0), "定義 x = a がある").errors[0].code(),
        "onshi::syntax::unexpected"
    );
    // A hint of its own, not the generic one.
    assert_ne!(glued, help("定義 x = a )"));
}

#[test]
fn literal_errors_keep_parsing() {
    let p = parse(
        FileId(0),
        "定義 a = 令和7年2月30日\n定義 b = 平成31年5月1日\n定義 c = 1",
    );
    let codes: Vec<_> = p.errors.iter().map(|e| e.code()).collect();
    assert_eq!(
        codes,
        ["onshi::literal::no_such_day", "onshi::literal::era_range"]
    );
    assert_eq!(p.module.items.len(), 3);
}

#[test]
fn era_range_suggests_the_right_era() {
    let p = parse(FileId(0), "定義 a = 平成31年5月1日");
    let help = p.errors[0].to_diagnostic().help.unwrap();
    assert!(help.ja.contains("令和元年5月1日"), "{}", help.ja);
}

#[test]
fn fiscal_years() {
    for (text, year) in [
        ("令和7年度", 2025),
        ("2025年度", 2025),
        ("2025", 2025),
        ("令和元年度", 2019),
    ] {
        let it = items(&format!("年度 {text}"));
        assert!(
            matches!(it[0], Item::FiscalYear { year: y, .. } if y == year),
            "{text}"
        );
    }
}

#[test]
fn nesting_limit_is_configurable() {
    let limits = ParseLimits {
        max_nesting: 3,
        ..ParseLimits::default()
    };
    let p = parse_with(FileId(0), "定義 x = ((((1))))", limits);
    assert_eq!(p.errors[0].code(), "onshi::syntax::too_deep");
    assert!(parse_with(FileId(0), "定義 x = (((1)))", limits)
        .errors
        .is_empty());
}
#[test]
fn depth_limit_counts_operator_chains() {
    let limits = ParseLimits {
        max_depth: 10,
        ..ParseLimits::default()
    };
    let p = parse_with(
        FileId(0),
        &format!("定義 x = 1{}", " + 1".repeat(20)),
        limits,
    );
    assert_eq!(p.errors[0].code(), "onshi::syntax::too_deep");
}
#[test]
fn too_large() {
    let limits = ParseLimits {
        max_source_bytes: 10,
        ..ParseLimits::default()
    };
    assert_eq!(
        parse_with(FileId(0), "定義 x = 12345", limits).errors[0].code(),
        "onshi::syntax::too_large"
    );
}
#[test]
fn minus_signs_in_tables_are_not_nesting() {
    let mut src = String::from("表 t(k: 整数, d: 日付) → 整数\n  |---|---|---|\n");
    for _ in 0..200 {
        src.push_str("  | - | 2025-01-01 | -1 |\n");
    }
    assert_eq!(codes(&src), Vec::<&str>::new());
}
#[test]
fn keyword_followed_by_newline_still_counts_as_nesting() {
    assert_eq!(
        codes(&format!("定義 x = {}1", "if\ntrue\nthen\n".repeat(300)))[0],
        "onshi::syntax::too_deep"
    );
}
#[test]
fn parse_never_panics_on_lone_tokens() {
    for t in [
        "|",
        "→",
        "「",
        "\"",
        "{",
        "}",
        ")",
        "(",
        "表",
        "表 t",
        "列挙",
        "入力 x:",
        "出力",
        "場合 x {",
        "もし",
        "0/",
        "1,2",
        "令和",
        "円",
    ] {
        let _ = parse(FileId(0), t);
        let _ = parse(FileId(0), &format!("定義 x = {t}"));
    }
}
#[test]
fn last_fiscal_year_of_an_era() {
    assert!(matches!(
        items("年度 平成31年度")[0],
        Item::FiscalYear { year: 2019, .. }
    ));
}
#[test]
fn fiscal_year_outside_its_era() {
    assert_eq!(codes("年度 令和0年度"), ["onshi::literal::era_range"]);
}
#[test]
fn fiscal_year_past_its_era() {
    assert_eq!(codes("年度 平成32年度"), ["onshi::literal::era_range"]);
}
#[test]
fn byte_order_mark_and_crlf() {
    let src =
        "\u{FEFF}政策 \"p\"\r\n定義 a = 1\r\n  # c\r\n表 t(k: 整数) → 整数\r\n  | 1 | 2 |\r\n";
    assert_eq!(items(src).len(), 3);
}

/// Regression: each nested `もし` used to be tried twice (as an `expr` alternative and as a
/// primary), so a failing parse of nested ifs took time exponential in the nesting (25 levels ran
/// for minutes). 60 levels must fail at once with a located error.
#[test]
fn nested_ifs_without_a_final_else_fail_without_backtracking() {
    let src = format!(
        "入力 a: 真偽\n定義 x: 整数 = {}\n",
        "もし a ならば 1 そうでなければ ".repeat(60)
    );
    let p = parse(FileId(0), &src);
    assert_eq!(p.errors.len(), 1);
    assert_eq!(p.errors[0].code(), "onshi::syntax::unexpected");
    let ok = format!(
        "入力 a: 真偽\n定義 x: 整数 = {}1\n",
        "もし a ならば 1 そうでなければ ".repeat(40)
    );
    assert!(parse(FileId(0), &ok).errors.is_empty());
}

#[test]
fn outputs_are_found_in_either_spelling() {
    // Regression: the WASM build listed as policies only files with a line starting `出力`.
    let declares = |src: &str| parse(FileId(0), src).module.declares_outputs();
    assert!(declares("出力 x: 整数 = 1\n"));
    assert!(declares("input a: 整数\n  output x: 整数 = a\n"));
    assert!(declares("定義 y = 1 出力 x = y"));
    assert!(!declares("定義 x: 整数 = 1\n# 出力 in a comment\n"));
    assert!(!declares("列挙 種別 = 病院 | 診療所\n"));
}

mod office_dates {
    use super::*;
    use onshi_grammar::literal::{parse_date_fact, parse_yen_fact};
    use proptest::prelude::*;

    fn wide(s: &str) -> String {
        s.chars()
            .map(|c| match c.to_digit(10) {
                Some(d) => char::from_u32(u32::from('０') + d).unwrap_or(c),
                None => c,
            })
            .collect()
    }

    proptest! {
        /// Every date literal the grammar accepts in a policy, the facts' date reader reads to the
        /// same day; one the grammar rejects as a literal (out of its era, no such day), the facts'
        /// reader rejects too.
        #[test]
        fn policy_date_literals_and_facts_read_the_same_day(
            form in 0usize..7, era_year in 0u32..70, year in 1860i32..2101,
            month in 1u32..14, day in 1u32..33, full in any::<bool>(),
        ) {
            let eras = ["明治", "大正", "昭和", "平成", "令和"];
            let text = match eras.get(form) {
                Some(era) if era_year == 0 => format!("{era}元年{month}月{day}日"),
                Some(era) => format!("{era}{era_year}年{month}月{day}日"),
                None if form == 5 => format!("{year:04}-{month}-{day}"),
                None => format!("{year:04}年{month}月{day}日"),
            };
            let text = if full { wide(&text) } else { text };
            let p = parse(FileId(0), &format!("定義 x = {text}\n"));
            let grammar = match p.module.items.first() {
                Some(Item::Def(d)) if p.errors.is_empty() => match d.body.as_ref().map(|b| &b.kind) {
                    Some(ExprKind::Date(d)) => Some(*d),
                    other => panic!("{text}: {other:?}"),
                },
                _ => None,
            };
            match grammar {
                Some(d) => prop_assert_eq!(parse_date_fact(&text), Ok(d), "{}", text),
                None => prop_assert!(parse_date_fact(&text).is_err(), "{}: {:?}", text, p.errors),
            }
        }
    }

    #[test]
    fn office_forms_are_facts_only() {
        // The office forms are not policy literals: a policy keeps one way to write a date.
        assert!(parse_date_fact("2025/10/1").is_ok());
        assert!(parse_date_fact("R7.4.1").is_ok());
        assert!(parse_yen_fact("￥41,000").is_ok());
    }
}
