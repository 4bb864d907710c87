//! Snapshot tests of every diagnostic onshi can emit, rendered as miette text in Japanese and
//! English (`onshi::render::render`, no colour). One snapshot per code, named after the code
//! (`onshi::type::mismatch` → `snapshots/diagnostics__type_mismatch.snap`), plus a few variants.
//!
//! Each test also asserts the exact list of codes the input produces, so a wrong or an extra
//! diagnostic fails even when the snapshot is updated blindly. `every_code_has_a_snapshot` keeps the
//! list of codes complete: a code added to the sources without a snapshot here fails the suite.
//!
//! Tests marked `// BUG:` pin current behaviour that is wrong; see the comment for what is expected.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

mod common;
use common::codes_in_sources;

use onshi::{
    compile, compile_with, Compiled, Diagnostic, Lang, Limits, Program, Severity, SourceMap,
};
use onshi_cli::render::render;
use std::collections::BTreeMap;
use std::path::Path;

/// Every code onshi can emit and this file snapshots: the registry's (`onshi::codes::ALL`), but
/// for those that cannot be triggered.
fn all_codes() -> Vec<&'static str> {
    onshi::codes::ALL
        .iter()
        .map(|c| c.id)
        .filter(|c| !UNREACHABLE_CODES.contains(c))
        .collect()
}

/// Codes that exist but cannot be triggered from policy text or facts.
/// `onshi::eval::internal` reports a broken checker invariant; a checked program never reaches it.
const UNREACHABLE_CODES: &[&str] = &["onshi::eval::internal"];

const FACILITY: &str = include_str!("../../policies/common/facility.onshi");
const ENTRY: &str = "r7/policy.onshi";
const IMPORT_FACILITY: &str = "取込 \"../common/facility.onshi\"\n";

// ------------------------------------------------------------------ helpers

/// Compile `files` (plus `common/facility.onshi`, importable as `../common/facility.onshi`).
fn compile_files(files: &[(&str, &str)], entry: &str) -> Compiled {
    let mut map = BTreeMap::new();
    map.insert("common/facility.onshi".to_string(), FACILITY.to_string());
    for (path, text) in files {
        map.insert((*path).to_string(), (*text).to_string());
    }
    compile(&map, entry)
}

fn compile_src(src: &str) -> Compiled {
    compile_files(&[(ENTRY, src)], ENTRY)
}

fn codes(c: &Compiled) -> Vec<&'static str> {
    c.diagnostics.iter().map(|d| d.code).collect()
}

/// The snapshot text: the diagnostic in both languages.
fn both(d: &Diagnostic, sources: &SourceMap) -> String {
    format!(
        "--- ja ---\n{}\n--- en ---\n{}",
        render(d, sources, Lang::Ja),
        render(d, sources, Lang::En)
    )
}

/// Every diagnostic of a compilation, rendered (for assertion messages).
fn all_rendered(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| render(d, &c.sources, Lang::En))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Compile `src`, require exactly the diagnostics `expected` (by code, in order), and return the
/// first one rendered.
fn compile_expecting(src: &str, expected: &[&str]) -> String {
    let c = compile_src(src);
    expect_codes(&c, expected)
}

fn expect_codes(c: &Compiled, expected: &[&str]) -> String {
    assert_eq!(codes(c), expected, "diagnostics:\n{}", all_rendered(c));
    if c.diagnostics.iter().any(Diagnostic::is_error) {
        assert!(c.program.is_none(), "a program was produced despite errors");
    }
    both(&c.diagnostics[0], &c.sources)
}

/// Compile `src`, which must be free of errors.
fn program(src: &str) -> (Program, SourceMap) {
    let c = compile_src(src);
    assert!(
        !c.diagnostics.iter().any(Diagnostic::is_error),
        "unexpected errors:\n{}",
        all_rendered(&c)
    );
    (c.program.expect("a program"), c.sources)
}

/// Evaluate `src` with `facts`; the run must fail with `code` (facts or evaluation error).
fn run_failing(src: &str, facts: &str, code: &str) -> String {
    let (p, sources) = program(src);
    let err = match p.facts_from_str(facts) {
        Err(e) => e.to_diagnostic(),
        Ok(inputs) => match p.evaluator().record(&inputs) {
            Err(e) => e.to_diagnostic(),
            Ok(v) => panic!("evaluation succeeded: {v:?}"),
        },
    };
    assert_eq!(err.code, code, "{}", render(&err, &sources, Lang::En));
    both(&err, &sources)
}

/// The facility enums plus one input, for the facts tests.
const FACTS_POLICY: &str = "取込 \"../common/facility.onshi\"
入力 施設種別: 保険医療機関種別
入力 申請日: 日付
入力 処方箋受付回数: 整数 既定 0
入力 補助済: 真偽 既定 偽
出力 病院である: 真偽 = 施設種別 = 保険医療機関種別.病院
";

// ------------------------------------------------------------------ syntax

#[test]
fn syntax_unexpected() {
    let text = compile_expecting(
        "定義 上限: 金額 = 1000円 500円\n",
        &["onshi::syntax::unexpected"],
    );
    insta::assert_snapshot!("syntax_unexpected", text);
}

#[test]
fn syntax_unexpected_glued_keyword() {
    // `が` glued to the name before it: the help says to put spaces around keywords.
    let text = compile_expecting(
        "入力 受付日: 任意<日付>\n出力 受付済: 真偽 = 受付日 がある\n",
        &["onshi::syntax::unexpected"],
    );
    insta::assert_snapshot!("syntax_unexpected_glued_keyword", text);
}

#[test]
fn syntax_unexpected_eof() {
    // A declaration that ends early (`… +`) is reported where it ends (the `+`), not at the next one.
    let text = compile_expecting(
        "定義 上限: 金額 = 1000円 +\n定義 下限: 金額 = 0円\n",
        &["onshi::syntax::unexpected"],
    );
    insta::assert_snapshot!("syntax_unexpected_eof", text);
}

#[test]
fn syntax_unexpected_missing_colon() {
    // A missing `:` is reported on `日付`, saying that `:` is needed.
    let text = compile_expecting("入力 申請日 日付\n", &["onshi::syntax::unexpected"]);
    insta::assert_snapshot!("syntax_unexpected_missing_colon", text);
}

#[test]
fn syntax_too_deep() {
    let src = format!("定義 x: 整数 = {}1{}\n", "(".repeat(65), ")".repeat(65));
    let text = compile_expecting(&src, &["onshi::syntax::too_deep"]);
    insta::assert_snapshot!("syntax_too_deep", text);
}

#[test]
fn syntax_too_deep_chain() {
    // A long operator chain is a deep tree too (limit lowered so the snapshot stays readable).
    let src = "定義 合計: 整数 = 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8 + 9 + 10\n";
    let mut sources = SourceMap::default();
    let id = sources.add("policy.onshi", src.to_string());
    let limits = onshi_grammar::ParseLimits {
        max_depth: 4,
        ..Default::default()
    };
    let parsed = onshi_grammar::parse_with(id, src, limits);
    let diags: Vec<Diagnostic> = parsed.errors.iter().map(|e| e.to_diagnostic()).collect();
    let found: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(found, ["onshi::syntax::too_deep"]);
    insta::assert_snapshot!("syntax_too_deep_chain", both(&diags[0], &sources));
}

#[test]
fn syntax_too_large() {
    // Through `compile`, with the default limit (1 MiB).
    let mut src = String::from("政策 \"大きな政策\"\n");
    while src.len() <= 1 << 20 {
        src.push_str("# 埋め草のコメント行です。\n");
    }
    let text = compile_expecting(&src, &["onshi::syntax::too_large"]);
    insta::assert_snapshot!("syntax_too_large", text);
}

#[test]
fn syntax_too_large_with_limits() {
    let src = "政策 \"小さな上限\"\n定義 x: 整数 = 1\n";
    let limits = onshi_grammar::ParseLimits {
        max_source_bytes: 16,
        ..Default::default()
    };
    let parsed = onshi_grammar::parse_with(onshi_grammar::ast::FileId(0), src, limits);
    let found: Vec<&str> = parsed.errors.iter().map(|e| e.code()).collect();
    assert_eq!(found, ["onshi::syntax::too_large"]);
    assert!(parsed.module.items.is_empty());
}

#[test]
fn syntax_errors_are_collected() {
    // Two broken declarations around a good one: both are reported, each on its own line.
    let src = "定義 上限: 金額 = 1000円 500円\n定義 下限: 金額 = 0円\n定義 対象: 真偽 = 真 偽\n";
    let c = compile_src(src);
    assert_eq!(
        codes(&c),
        ["onshi::syntax::unexpected", "onshi::syntax::unexpected"],
        "{}",
        all_rendered(&c)
    );
    let lines: Vec<usize> = c
        .diagnostics
        .iter()
        .map(|d| c.sources.line_col(d.primary_span().unwrap()).0)
        .collect();
    assert_eq!(lines, [1, 3]);
}

// ------------------------------------------------------------------ literals

#[test]
fn literal_malformed() {
    // 万 then a remainder of 万 or more.
    let text = compile_expecting(
        "定義 上限: 金額 = 1万12000円\n",
        &["onshi::literal::malformed"],
    );
    insta::assert_snapshot!("literal_malformed", text);
}

#[test]
fn literal_no_such_day() {
    let text = compile_expecting(
        "定義 期限: 日付 = 令和7年2月30日\n",
        &["onshi::literal::no_such_day"],
    );
    insta::assert_snapshot!("literal_no_such_day", text);
}

#[test]
fn literal_era_range() {
    let text = compile_expecting(
        "定義 施行日: 日付 = 平成31年5月1日\n",
        &["onshi::literal::era_range"],
    );
    assert!(text.contains("令和元年5月1日"), "{text}");
    insta::assert_snapshot!("literal_era_range", text);
}

#[test]
fn literal_era_range_fiscal_year() {
    // 令和元年度 (fiscal year 2019) is fine; 令和0年度 is not a year of 令和.
    let text = compile_expecting("年度 令和0年度\n", &["onshi::literal::era_range"]);
    insta::assert_snapshot!("literal_era_range_fiscal_year", text);
}

#[test]
fn literal_before_gregorian() {
    let text = compile_expecting(
        "定義 基準日: 日付 = 明治5年12月1日\n",
        &["onshi::literal::before_gregorian"],
    );
    insta::assert_snapshot!("literal_before_gregorian", text);
}

#[test]
fn literal_overflow() {
    let text = compile_expecting(
        "定義 回数: 整数 = 99999999999999999999\n",
        &["onshi::literal::overflow"],
    );
    insta::assert_snapshot!("literal_overflow", text);
}

#[test]
fn literal_zero_denominator() {
    let text = compile_expecting(
        "定義 補助率: 割合 = 1/0\n",
        &["onshi::literal::zero_denominator"],
    );
    insta::assert_snapshot!("literal_zero_denominator", text);
}

// ------------------------------------------------------------------ names

#[test]
fn name_unknown() {
    let src = format!(
        "{IMPORT_FACILITY}入力 施設種別: 保険医療機関種別\n出力 区分: 保険医療機関種別 = 施設種類\n"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(text.contains("`施設種別`"), "{text}");
    insta::assert_snapshot!("name_unknown", text);
}

#[test]
fn name_unknown_glued_keyword() {
    // `申請日がある` is one identifier (が is a name character): the help points at the spaces.
    let src = "入力 申請日: 任意<日付>\n出力 申請済: 真偽 = 申請日がある\n";
    let text = compile_expecting(src, &["onshi::name::unknown"]);
    insta::assert_snapshot!("name_unknown_glued_keyword", text);
}

#[test]
fn name_unknown_type() {
    let src = format!("{IMPORT_FACILITY}入力 施設種別: 保険医療機関種類\n");
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    insta::assert_snapshot!("name_unknown_type", text);
}

#[test]
fn name_unknown_source() {
    let src = format!("{IMPORT_FACILITY}入力 申請日: 日付\n  出典 ポータブル \"申請期限\"\n");
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    insta::assert_snapshot!("name_unknown_source", text);
}

#[test]
fn name_unknown_function() {
    let src = "入力 補助額: 金額\n出力 支給額: 金額 = 切り捨てる(補助額, 1000円)\n";
    let text = compile_expecting(src, &["onshi::name::unknown"]);
    assert!(text.contains("`切り捨て`"), "{text}");
    insta::assert_snapshot!("name_unknown_function", text);
}

#[test]
fn name_unknown_function_tie() {
    // Regression: `最少` (a typo of 最小, same reading さいしょう) suggested `最大`, the opposite: both
    // are one edit away. A confusable character now wins the tie.
    let src = "入力 費用: 金額\n出力 対象額: 金額 = 最少(費用, 100円)\n";
    let text = compile_expecting(src, &["onshi::name::unknown"]);
    assert!(text.contains("`最小` のことですか"), "{text}");
}

#[test]
fn name_unknown_column() {
    let src = format!(
        "{IMPORT_FACILITY}表 内容(区分: 補助区分) → (補助率: 割合, 上限: 金額)
  | 区分 | 補助率 | 上限 |
  |---|---|---|
  | - | 1/2 | 10円 |
出力 率: 割合 = 内容(補助区分.病院).補助律
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    insta::assert_snapshot!("name_unknown_column", text);
}

#[test]
fn name_unknown_cascades_into_ambiguous() {
    // After an unknown name on the left of `=`, the bare variant on the right is not reported too.
    let src = format!(
        "{IMPORT_FACILITY}入力 施設種別: 保険医療機関種別\n出力 病院か: 真偽 = 施設種類 = 病院\n"
    );
    compile_expecting(&src, &["onshi::name::unknown"]);
}

#[test]
fn name_duplicate() {
    let src = "定義 上限: 金額 = 1000円\n定義 下限: 金額 = 0円\n定義 上限: 金額 = 2000円\n";
    let text = compile_expecting(src, &["onshi::name::duplicate"]);
    insta::assert_snapshot!("name_duplicate", text);
}

#[test]
fn name_duplicate_variant() {
    let text = compile_expecting(
        "列挙 事業 = 訪問診療等 | 外来診療等 | 訪問診療等\n",
        &["onshi::name::duplicate"],
    );
    insta::assert_snapshot!("name_duplicate_variant", text);
}

#[test]
fn name_duplicate_source() {
    // A source declared twice with different documents: "first declared here" is on line 2.
    let src = "政策 \"補助金\"\n出典 周知 = \"000.txt\"\n出典 周知 = \"001.txt\"\n";
    let text = compile_expecting(src, &["onshi::name::duplicate"]);
    insta::assert_snapshot!("name_duplicate_source", text);
}

#[test]
fn name_ambiguous() {
    // 病院 is a variant of both 保険医療機関種別 and 補助区分 (common/facility.onshi).
    let src = format!("{IMPORT_FACILITY}定義 既定の区分 = 病院\n");
    let text = compile_expecting(&src, &["onshi::name::ambiguous"]);
    insta::assert_snapshot!("name_ambiguous", text);
}

#[test]
fn name_cycle() {
    let src = "定義 上限: 金額 = 下限 + 1000円\n定義 下限: 金額 = 上限 - 1000円\n出力 差: 金額 = 上限 - 下限\n";
    let text = compile_expecting(src, &["onshi::name::cycle"]);
    assert!(text.contains("上限 → 下限 → 上限"), "{text}");
    insta::assert_snapshot!("name_cycle", text);
}

#[test]
fn name_cycle_across_files() {
    // The labels in the imported file are listed by location under the snippet.
    let entry =
        "取込 \"../common/limits.onshi\"\n定義 基準額: 金額 = 上限 ÷ 2\n出力 基準: 金額 = 基準額\n";
    let limits = "定義 上限: 金額 = 基準額 × 2\n";
    let c = compile_files(&[(ENTRY, entry), ("common/limits.onshi", limits)], ENTRY);
    let text = expect_codes(&c, &["onshi::name::cycle"]);
    assert!(text.contains("common/limits.onshi:1:"), "{text}");
    insta::assert_snapshot!("name_cycle_across_files", text);
}

// ------------------------------------------------------------------ citations (--sources)

/// The document citations are checked against in these tests: a PDF extraction with a broken line,
/// full-width digits and a radical look-alike.
const NOTICE: &str = "補助率は１／２です。限度額は\n 41.1万円 です。⻭科診療所も対象です。";

/// Compile `src` and check its citations against `通知.txt` (= [`NOTICE`]): every diagnostic's code
/// and the first rendered in both languages.
fn verify_expecting(src: &str, expected: &[&str]) -> String {
    let c = compile_src(src);
    assert!(c.program.is_some(), "{}", all_rendered(&c));
    let mut docs = BTreeMap::new();
    docs.insert("通知.txt".to_string(), NOTICE.to_string());
    let v = onshi::citations::verify(&c.sources, &docs, &Limits::default());
    let diags = v.diagnostics();
    let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(got, expected);
    both(&diags[0], &c.sources)
}

#[test]
fn source_not_found() {
    let text = verify_expecting(
        "出典 通知 = \"通知.txt\"\n定義 限度額: 金額 = 41.1万円\n  出典 通知 \"本文「限度額は41.2万円です」\"\n",
        &["onshi::source::not_found"],
    );
    insta::assert_snapshot!("source_not_found", text);
}

#[test]
fn source_not_found_every_passage_and_fragment_order() {
    // Every missing passage is reported, not only the first; `…` fragments must keep their order.
    let text = verify_expecting(
        "出典 通知 = \"通知.txt\"\n定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は1/3です」「歯科診療所…補助率は」\"\n",
        &["onshi::source::not_found", "onshi::source::not_found"],
    );
    assert!(text.contains("補助率は１／２です"), "{text}");
}

/// [`verify_expecting`] with the problems the coverage finds (範囲外 declarations).
fn coverage_expecting(src: &str, expected: &[&str]) -> String {
    let c = compile_src(src);
    assert!(c.program.is_some(), "{}", all_rendered(&c));
    let mut docs = BTreeMap::new();
    docs.insert("通知.txt".to_string(), NOTICE.to_string());
    let v = onshi::citations::verify(&c.sources, &docs, &Limits::default());
    let cov = onshi::citations::coverage::coverage(&c.sources, &docs, &Limits::default());
    let diags: Vec<_> = v
        .diagnostics()
        .into_iter()
        .chain(cov.errors.iter().map(|e| e.to_diagnostic()))
        .collect();
    let got: Vec<&str> = diags.iter().map(|d| d.code).collect();
    assert_eq!(got, expected);
    both(&diags[0], &c.sources)
}

#[test]
fn scope_not_found() {
    let text = coverage_expecting(
        "出典 通知 = \"通知.txt\"\n範囲外 通知 \"「補助率は1/3です」\" 理由 規則でない \"説明\"\n",
        &["onshi::scope::not_found"],
    );
    insta::assert_snapshot!("scope_not_found", text);
}

#[test]
fn scope_duplicate() {
    let text = coverage_expecting(
        "出典 通知 = \"通知.txt\"\n範囲外 通知 \"「補助率は1/2です」\" 理由 規則でない\n範囲外 通知 \"「1/2です」\" 理由 先送り\n",
        &["onshi::scope::duplicate"],
    );
    insta::assert_snapshot!("scope_duplicate", text);
}

#[test]
fn scope_cited() {
    let text = coverage_expecting(
        "出典 通知 = \"通知.txt\"\n定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は1/2です」\"\n範囲外 通知 \"「補助率は1/2」\" 理由 領域外 \"説明\"\n",
        &["onshi::scope::cited"],
    );
    insta::assert_snapshot!("scope_cited", text);
}

#[test]
fn source_missing_document() {
    let text = verify_expecting(
        "出典 通知 = \"通達.txt\"\n定義 率: 割合 = 1/2\n  出典 通知 \"「補助率は1/2です」\"\n",
        &["onshi::source::missing_document"],
    );
    insta::assert_snapshot!("source_missing_document", text);
}

#[test]
fn source_unquoted() {
    let text = verify_expecting(
        "出典 通知 = \"通知.txt\"\n出典 留意事項 = 外部 \"保連発\"\n定義 率: 割合 = 1/2\n  出典 通知 \"本文\"\n  出典 留意事項 \"(1)\"\n",
        &["onshi::source::unquoted"],
    );
    insta::assert_snapshot!("source_unquoted", text);
}

#[test]
fn name_import_not_found() {
    let text = compile_expecting(
        "取込 \"../common/facilty.onshi\"\n",
        &["onshi::name::import_not_found"],
    );
    insta::assert_snapshot!("name_import_not_found", text);
}

#[test]
fn name_entry_not_found() {
    // A missing entry file has a code of its own (library callers such as the WASM shell hit it).
    let c = compile_files(&[], "r7/missing.onshi");
    let text = expect_codes(&c, &["onshi::name::entry_not_found"]);
    insta::assert_snapshot!("name_entry_not_found", text);
}

#[test]
fn name_no_definition() {
    let text = compile_expecting("出力 補助額\n", &["onshi::name::no_definition"]);
    insta::assert_snapshot!("name_no_definition", text);
}

#[test]
fn reading_unknown_option() {
    let text = compile_expecting(
        "解釈 申請期限: 日付\n  案 周知依頼 = 令和8年1月15日\n  案 手引き = 令和8年1月31日\n  採用 手引\n",
        &["onshi::reading::unknown_option"],
    );
    insta::assert_snapshot!("reading_unknown_option", text);
}

// ------------------------------------------------------------------ types

#[test]
fn type_mismatch() {
    let text = compile_expecting("定義 上限: 金額 = 100\n", &["onshi::type::mismatch"]);
    assert!(text.contains("`100円`"), "{text}");
    insta::assert_snapshot!("type_mismatch", text);
}

#[test]
fn type_unit() {
    let text = compile_expecting(
        "入力 申請日: 日付\n定義 期限 = 申請日 + 1000円\n",
        &["onshi::type::unit"],
    );
    insta::assert_snapshot!("type_unit", text);
}

#[test]
fn type_not_comparable() {
    let text = compile_expecting(
        "入力 申請日: 日付\n定義 間に合う = 申請日 <= 1000円\n",
        &["onshi::type::not_comparable"],
    );
    insta::assert_snapshot!("type_not_comparable", text);
}

#[test]
fn type_optional() {
    let text = compile_expecting(
        "入力 受付日: 任意<日付>\n出力 期限: 日付 = 受付日 + 5日\n",
        &["onshi::type::optional"],
    );
    assert!(text.contains("既定値(受付日, 値)"), "{text}");
    insta::assert_snapshot!("type_optional", text);
}

#[test]
fn type_optional_tested_is_fine() {
    // The fixes the help suggests both compile.
    program("入力 受付日: 任意<日付>\n出力 期限: 日付 = もし 受付日 が ある ならば 受付日 + 5日 そうでなければ 令和8年1月15日\n");
    program("入力 受付日: 任意<日付>\n出力 期限: 日付 = 既定値(受付日, 令和8年1月15日) + 5日\n");
}

#[test]
fn type_arity() {
    let text = compile_expecting(
        "入力 補助額: 金額\n出力 支給額: 金額 = 切り捨て(補助額)\n",
        &["onshi::type::arity"],
    );
    insta::assert_snapshot!("type_arity", text);
}

#[test]
fn type_not_exhaustive() {
    let src = format!(
        "{IMPORT_FACILITY}入力 施設種別: 保険医療機関種別
出力 区分: 補助区分 =
  場合 施設種別 {{
    病院 → 補助区分.病院
    診療所 → 診療所・薬局
  }}
"
    );
    let text = compile_expecting(&src, &["onshi::type::not_exhaustive"]);
    insta::assert_snapshot!("type_not_exhaustive", text);
}

#[test]
fn type_unreachable_arm() {
    let src = format!(
        "{IMPORT_FACILITY}入力 施設種別: 保険医療機関種別
出力 区分: 補助区分 =
  場合 施設種別 {{
    病院 → 補助区分.病院
    その他 → 診療所・薬局
    薬局 → 大型チェーン薬局
  }}
"
    );
    let c = compile_src(&src);
    let text = expect_codes(&c, &["onshi::type::unreachable_arm"]);
    // A warning: the program is still produced.
    assert_eq!(c.diagnostics[0].severity, Severity::Warning);
    assert!(c.program.is_some());
    insta::assert_snapshot!("type_unreachable_arm", text);
}

#[test]
fn type_needs_annotation() {
    let text = compile_expecting("定義 補助済事業 = {}\n", &["onshi::type::needs_annotation"]);
    insta::assert_snapshot!("type_needs_annotation", text);
}

#[test]
fn type_not_constant() {
    let text = compile_expecting(
        "入力 申請日: 日付\n入力 受付日: 日付 既定 申請日\n",
        &["onshi::type::not_constant"],
    );
    insta::assert_snapshot!("type_not_constant", text);
}

#[test]
fn type_not_constant_table_key() {
    let src = "入力 基準回数: 整数
表 上限(回数: 整数) → 金額
  | 回数 | 上限 |
  |---|---|
  | 基準回数 | 10円 |
出力 x: 金額 = 上限(1)
";
    let text = compile_expecting(src, &["onshi::type::not_constant"]);
    insta::assert_snapshot!("type_not_constant_table_key", text);
}

#[test]
fn type_errors_are_collected() {
    // Three independent type errors in three declarations: all are reported.
    let src = "入力 申請日: 日付\n定義 上限: 金額 = 100\n定義 期限 = 申請日 + 1000円\n定義 対象: 真偽 = 1\n";
    let c = compile_src(src);
    assert_eq!(
        codes(&c),
        [
            "onshi::type::mismatch",
            "onshi::type::unit",
            "onshi::type::mismatch"
        ],
        "{}",
        all_rendered(&c)
    );
    let lines: Vec<usize> = c
        .diagnostics
        .iter()
        .map(|d| c.sources.line_col(d.primary_span().unwrap()).0)
        .collect();
    assert_eq!(lines, [2, 3, 4]);
    assert!(c.program.is_none());
}

// ------------------------------------------------------------------ tables

/// A one-column table over 補助区分 with `rows` (after the header and separator).
fn limit_table(header: &str, rows: &str) -> String {
    format!(
        "{IMPORT_FACILITY}表 上限(区分: 補助区分) → 金額
  {header}
  |------|------|
{rows}出力 病院の上限: 金額 = 上限(補助区分.病院)
"
    )
}

#[test]
fn table_width() {
    let src = limit_table(
        "| 区分 | 上限 |",
        "  | 病院 | 41.1万円 |\n  | 大型チェーン薬局 | 8.5万円 | 4.1万円 |\n  | - | 12.8万円 |\n",
    );
    let text = compile_expecting(&src, &["onshi::table::width"]);
    insta::assert_snapshot!("table_width", text);
}

#[test]
fn table_header() {
    let src = limit_table(
        "| 種別 | 上限 |",
        "  | 病院 | 41.1万円 |\n  | - | 12.8万円 |\n",
    );
    let text = compile_expecting(&src, &["onshi::table::header"]);
    insta::assert_snapshot!("table_header", text);
}

#[test]
fn table_pattern() {
    // `-` (any) is a key-cell pattern; in a result column it has no value.
    let src = limit_table("| 区分 | 上限 |", "  | 病院 | 41.1万円 |\n  | - | - |\n");
    let text = compile_expecting(&src, &["onshi::table::pattern"]);
    insta::assert_snapshot!("table_pattern", text);
}

#[test]
fn table_pattern_key() {
    // Enumerations are not ordered: `≥ 病院` is no pattern for an enum column.
    let src = limit_table(
        "| 区分 | 上限 |",
        "  | ≥ 病院 | 41.1万円 |\n  | - | 12.8万円 |\n",
    );
    let text = compile_expecting(&src, &["onshi::table::pattern"]);
    insta::assert_snapshot!("table_pattern_key", text);
}

#[test]
fn table_overlap() {
    // 病院 is in both rows, with different limits (hit policy: unique).
    let src = limit_table(
        "| 区分 | 上限 |",
        "  | 病院 | 41.1万円 |\n  | {病院, 大型チェーン薬局} | 8.5万円 |\n  | 診療所・薬局 | 12.8万円 |\n",
    );
    let text = compile_expecting(&src, &["onshi::table::overlap"]);
    insta::assert_snapshot!("table_overlap", text);
}

#[test]
fn table_gap() {
    // No row for 診療所・薬局: a warning that names it; the program is still produced.
    let src = limit_table(
        "| 区分 | 上限 |",
        "  | 病院 | 41.1万円 |\n  | 大型チェーン薬局 | 8.5万円 |\n",
    );
    let c = compile_src(&src);
    let text = expect_codes(&c, &["onshi::table::gap"]);
    assert_eq!(c.diagnostics[0].severity, Severity::Warning);
    assert!(c.program.is_some());
    assert!(text.contains("区分=診療所・薬局"), "{text}");
    insta::assert_snapshot!("table_gap", text);
}

// ------------------------------------------------------------------ limits

fn enum_with(n: usize) -> String {
    let names: Vec<String> = (1..=n).map(|i| format!("区分{i}")).collect();
    let lines: Vec<String> = names.chunks(16).map(|c| c.join(" | ")).collect();
    format!("列挙 細目 =\n  {}\n", lines.join("\n  | "))
}

#[test]
fn limit_variants() {
    let text = compile_expecting(&enum_with(129), &["onshi::limit::variants"]);
    insta::assert_snapshot!("limit_variants", text);
}

#[test]
fn limit_variants_128_is_allowed() {
    program(&enum_with(128));
}

#[test]
fn limit_rules() {
    let text = compile_expecting(&rules_with(129), &["onshi::limit::rules"]);
    insta::assert_snapshot!("limit_rules", text);
}

#[test]
fn limit_rules_128_is_allowed() {
    // 128 rules fill the u128 masks exactly: the last exception (bit 127) still wins.
    let (p, _) = program(&rules_with(128));
    let inputs = p.facts_from_str(r#"{"番号": 127}"#).unwrap();
    assert_eq!(
        p.evaluator().record(&inputs).unwrap(),
        [onshi::Value::Int(127)]
    );
    let inputs = p.facts_from_str(r#"{"番号": 500}"#).unwrap();
    assert_eq!(
        p.evaluator().record(&inputs).unwrap(),
        [onshi::Value::Int(0)]
    );
}

/// Compile `src` under `limits` (small ones, so the snapshots stay readable; the default limits
/// are exceeded in `tests/limits.rs` and the corpus).
fn compile_limited(src: &str, limits: Limits) -> Compiled {
    let mut map = BTreeMap::new();
    map.insert(ENTRY.to_string(), src.to_string());
    compile_with(&map, ENTRY, &limits)
}

#[test]
fn limit_definitions() {
    let src = "入力 区分: 整数\n定義 上限1: 金額 = 1000円\n定義 上限2: 金額 = 2000円\n出力 上限: 金額 = 上限1\n";
    let limits = Limits {
        max_definitions: 2,
        ..Limits::default()
    };
    let text = expect_codes(
        &compile_limited(src, limits),
        &["onshi::limit::definitions"],
    );
    insta::assert_snapshot!("limit_definitions", text);
    let limits = Limits {
        max_definitions: 3,
        ..Limits::default()
    };
    assert!(compile_limited(src, limits).program.is_some());
}

#[test]
fn limit_table_rows() {
    let src = "入力 点数: 整数
表 加算(点数: 整数) → 金額
  | 点数 | 加算 |
  |------|------|
  | 1    | 10円 |
  | 2    | 20円 |
  | 3    | 30円 |
出力 加算額: 金額 = 加算(点数)
";
    let limits = Limits {
        max_table_rows: 2,
        ..Limits::default()
    };
    let text = expect_codes(&compile_limited(src, limits), &["onshi::limit::table_rows"]);
    insta::assert_snapshot!("limit_table_rows", text);
    let limits = Limits {
        max_table_rows: 3,
        ..Limits::default()
    };
    assert!(compile_limited(src, limits).program.is_some());
}

/// Tables 段1 … 段n, each looking up the one before in its cell.
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
fn limit_depth() {
    let limits = Limits {
        max_depth: 8,
        ..Limits::default()
    };
    let text = expect_codes(
        &compile_limited(&nested_tables(4), limits),
        &["onshi::limit::depth"],
    );
    insta::assert_snapshot!("limit_depth", text);
    // Three tables nest 7 levels: within the limit.
    assert!(compile_limited(&nested_tables(3), limits).program.is_some());
}

#[test]
fn limit_steps() {
    let src = "入力 件数: 整数
表 倍1(k: 整数) → 整数
  | k | 倍1         |
  |---|-------------|
  | - | 件数 + 件数 |
表 倍2(k: 整数) → 整数
  | k | 倍2                   |
  |---|-----------------------|
  | - | 倍1(件数) + 倍1(件数) |
出力 合計: 整数 = 倍2(件数)
";
    // 倍2(件数) takes 10 steps (keys under `-` are not evaluated).
    let limits = Limits {
        max_steps: 9,
        ..Limits::default()
    };
    let c = compile_limited(src, limits);
    assert!(c.diagnostics.is_empty(), "{}", all_rendered(&c));
    let p = c.program.unwrap();
    let inputs = p.facts_from_str(r#"{"件数": 1}"#).unwrap();
    assert_eq!(p.evaluator().record_counting(&inputs).1, 9);
    let err = p
        .evaluator()
        .record(&inputs)
        .expect_err("over the step limit");
    let d = err.to_diagnostic();
    assert_eq!(d.code, "onshi::limit::steps");
    let c = compile_limited(
        src,
        Limits {
            max_steps: 10,
            ..limits
        },
    );
    let p = c.program.unwrap();
    assert_eq!(
        p.evaluator().record_counting(&inputs),
        (Ok(vec![onshi::Value::Int(4)]), 10)
    );
    insta::assert_snapshot!("limit_steps", both(&d, &c.sources));
}

/// A definition of `n` rules: a principle and `n - 1` exceptions.
fn rules_with(n: usize) -> String {
    let mut src = String::from("入力 番号: 整数\n出力 区分: 整数\n  原則: 0\n");
    for i in 1..n {
        src.push_str(&format!("  例外 規則{i}: もし 番号 = {i} ならば {i}\n"));
    }
    src
}

// ------------------------------------------------------------------ evaluation

#[test]
fn eval_overflow() {
    let text = run_failing(
        "入力 回数: 整数\n出力 二乗: 整数 = 回数 × 回数\n",
        r#"{"回数": 9999999999}"#,
        "onshi::eval::overflow",
    );
    insta::assert_snapshot!("eval_overflow", text);
}

#[test]
fn eval_division_by_zero() {
    let text = run_failing(
        "入力 費用: 金額\n入力 施設数: 整数\n出力 一施設あたり: 金額 = 費用 ÷ 施設数\n",
        r#"{"費用": 390000, "施設数": 0}"#,
        "onshi::eval::division_by_zero",
    );
    insta::assert_snapshot!("eval_division_by_zero", text);
}

#[test]
fn eval_no_row() {
    // Through `evaluate_json`, as the CLI and the WASM shell run it.
    let src = format!(
        "{IMPORT_FACILITY}入力 区分: 補助区分
表 上限(区分: 補助区分) → 金額
  | 区分 | 上限 |
  |------|------|
  | 病院 | 41.1万円 |
  | 大型チェーン薬局 | 8.5万円 |
出力 補助上限: 金額 = 上限(区分)
"
    );
    let (p, sources) = program(&src);
    let facts: serde_json::Value = serde_json::from_str(r#"{"区分": "診療所・薬局"}"#).unwrap();
    let err = p.evaluator().json(&facts).expect_err("no row matches");
    assert!(matches!(err, onshi::RunError::Eval(_)));
    let d = err.to_diagnostic();
    assert_eq!(d.code, "onshi::eval::no_row");
    insta::assert_snapshot!("eval_no_row", both(&d, &sources));
}

#[test]
fn eval_date_range() {
    let text = run_failing(
        "入力 申請日: 日付\n入力 延長: 期間\n出力 期限: 日付 = 申請日 + 延長\n",
        r#"{"申請日": "令和7年4月1日", "延長": "1000000年"}"#,
        "onshi::eval::date_range",
    );
    insta::assert_snapshot!("eval_date_range", text);
}

#[test]
fn eval_rounding_unit() {
    let text = run_failing(
        "入力 補助額: 金額\n入力 単位: 金額\n出力 支給額: 金額 = 切り捨て(補助額, 単位)\n",
        r#"{"補助額": 128000, "単位": 0}"#,
        "onshi::eval::rounding_unit",
    );
    insta::assert_snapshot!("eval_rounding_unit", text);
}

#[test]
fn eval_incomparable_durations() {
    let text = run_failing(
        "入力 猶予: 期間\n出力 短期: 真偽 = 猶予 <= 30日\n",
        r#"{"猶予": "1か月"}"#,
        "onshi::eval::incomparable_durations",
    );
    insta::assert_snapshot!("eval_incomparable_durations", text);
}

#[test]
fn eval_conflict() {
    // Two exceptions of equal rank both apply and give different values: the message names both
    // rules and each is labelled with its value.
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
"
    );
    let (p, sources) = program(&src);
    let facts: serde_json::Value = serde_json::from_str(
        r#"{"判定日": "令和7年4月1日", "紙レセプト請求": true, "届出済": true}"#,
    )
    .unwrap();
    let d = p
        .evaluator()
        .json(&facts)
        .expect_err("conflict")
        .to_diagnostic();
    assert_eq!(d.code, "onshi::eval::conflict");
    assert!(d.message.ja.contains("紙レセプト") && d.message.ja.contains("経過措置中"));
    assert!(d.message.en.contains("紙レセプト") && d.message.en.contains("経過措置中"));
    let lines: Vec<usize> = d
        .labels
        .iter()
        .map(|l| sources.line_col(l.span).0)
        .collect();
    assert_eq!(lines, [7, 8]);
    insta::assert_snapshot!("eval_conflict", both(&d, &sources));
}

#[test]
fn proof_conflict() {
    // The same two exceptions, found by `onshi check`'s proof (a solver) rather than by facts: both
    // rules labelled, the witness as a 例 block. Needs z3 or cvc5 (without one, nothing to show).
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
"
    );
    let (p, sources) = program(&src);
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_conflict: no solver, not run");
        return;
    };
    let report = onshi_solver::proof::prove(&p, backend);
    let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::proof::conflict"]);
    let d = &report.findings[0];
    assert!(!d.is_error());
    let lines: Vec<usize> = d
        .labels
        .iter()
        .map(|l| sources.line_col(l.span).0)
        .collect();
    assert_eq!(lines, [7, 8]);
    // 判定日 plays no part: the solver may pick any date, so it is left out of the snapshot.
    let text = both(d, &sources);
    let text: String = text
        .lines()
        .map(|l| match l.find("判定日 = ") {
            Some(i) => {
                let rest = &l[i..];
                let end = rest.find(", ").map_or(rest.len(), |e| e + 2);
                format!("{}{}", &l[..i], &rest[end..])
            }
            None => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    insta::assert_snapshot!("proof_conflict", text);
}

#[test]
fn proof_no_rule() {
    // No rule for exactly 40000: the solver finds that number, the interpreter reproduces it.
    let (p, sources) = program(
        "入力 件数: 整数
出力 区分: 整数
  原則 少ない: もし 件数 < 40000 ならば 1
  例外 多い: もし 件数 > 40000 ならば 2
",
    );
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("proof_no_rule: no solver, not run");
        return;
    };
    let report = onshi_solver::proof::prove(&p, backend);
    let codes: Vec<&str> = report.findings.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::proof::no_rule"]);
    insta::assert_snapshot!("proof_no_rule", both(&report.findings[0], &sources));
}

#[test]
fn eval_no_rule() {
    let src = format!(
        "{IMPORT_FACILITY}入力 施設種別: 施設種別
出力 義務化開始日: 日付
  原則 保険医療機関・薬局: もし 施設種別 ∈ 保険医療機関・薬局 ならば 令和5年4月1日
  例外 訪問看護: もし 施設種別 = 訪問看護ステーション ならば 令和6年12月2日
"
    );
    let text = run_failing(
        &src,
        r#"{"施設種別": "柔道整復施術所"}"#,
        "onshi::eval::no_rule",
    );
    insta::assert_snapshot!("eval_no_rule", text);
}

// ------------------------------------------------------------------ facts

#[test]
fn facts_json() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種別": "病院", "申請日": "2025-01-01""#,
        "onshi::facts::json",
    );
    insta::assert_snapshot!("facts_json", text);
}

#[test]
fn facts_json_not_an_object() {
    let text = run_failing(FACTS_POLICY, r#"["病院"]"#, "onshi::facts::json");
    insta::assert_snapshot!("facts_json_not_an_object", text);
}

#[test]
fn facts_unknown_field() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種類": "病院", "申請日": "2025-01-01"}"#,
        "onshi::facts::unknown_field",
    );
    assert!(text.contains("`施設種別`"), "{text}");
    insta::assert_snapshot!("facts_unknown_field", text);
}

#[test]
fn facts_missing() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種別": "病院"}"#,
        "onshi::facts::missing",
    );
    insta::assert_snapshot!("facts_missing", text);
}

#[test]
fn facts_type() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種別": "病院", "申請日": "2025-01-01", "補助済": "未定"}"#,
        "onshi::facts::type",
    );
    insta::assert_snapshot!("facts_type", text);
}

#[test]
fn facts_variant() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種別": "病完", "申請日": "2025-01-01"}"#,
        "onshi::facts::variant",
    );
    assert!(text.contains("`病院`"), "{text}");
    insta::assert_snapshot!("facts_variant", text);
}

#[test]
fn facts_literal() {
    let text = run_failing(
        FACTS_POLICY,
        r#"{"施設種別": "病院", "申請日": "令和7年2月30日"}"#,
        "onshi::facts::literal",
    );
    insta::assert_snapshot!("facts_literal", text);
}

#[test]
fn facts_spreadsheet_error() {
    let text = run_failing(
        FACTS_POLICY,
        r##"{"施設種別": "病院", "申請日": "#N/A"}"##,
        "onshi::facts::spreadsheet_error",
    );
    insta::assert_snapshot!("facts_spreadsheet_error", text);
}

/// A workbook that inflates past `--max-workbook-bytes`: `onshi batch` refuses it before reading
/// (the workbook is built here: a zip whose sheet is 2 MB of blanks).
#[test]
fn limit_workbook() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("onshi-diag-workbook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(&vec![b' '; 2 << 20]).unwrap();
    zip.finish().unwrap();
    let mut text = String::new();
    for lang in ["ja", "en"] {
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_onshi"))
            .args([
                "--lang",
                lang,
                "batch",
                "policies/r7/subsidy.onshi",
                "--input",
            ])
            .arg(&path)
            .args(["--max-workbook-bytes", "1000000"])
            .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr).replace(&dir.display().to_string(), "…");
        text.push_str(&format!("--- {lang} ---\n{}\n", err.trim_end()));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains("onshi::limit::workbook"), "{text}");
    insta::assert_snapshot!("limit_workbook", text);
}

// ------------------------------------------------------------------ rules (原則/例外)

/// The 判定 enum and inputs of the obligation policy, for the rule tests.
const RULES_POLICY: &str = "列挙 判定区分 = 施行前 | 義務 | 義務化対象外 | 経過措置
入力 判定日: 日付
入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
";

#[test]
fn rule_cycle() {
    // 紙レセプト > 経過措置中 and 経過措置中 > 紙レセプト: one error for the cycle, naming it.
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト > 経過措置中: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中 > 紙レセプト: もし 届出済 ならば 経過措置
"
    );
    let text = compile_expecting(&src, &["onshi::rule::cycle"]);
    assert!(
        text.contains("紙レセプト > 経過措置中 > 紙レセプト"),
        "{text}"
    );
    insta::assert_snapshot!("rule_cycle", text);
}

#[test]
fn rule_cycle_through_three() {
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 甲 > 丙: もし 紙レセプト請求 ならば 義務化対象外
  例外 乙 > 甲: もし 届出済 ならば 経過措置
  例外 丙 > 乙: もし 判定日 < 令和5年4月1日 ならば 施行前
"
    );
    let text = compile_expecting(&src, &["onshi::rule::cycle"]);
    assert!(text.contains("甲 > 丙 > 乙 > 甲"), "{text}");
}

#[test]
fn rule_unreachable() {
    // A condition that is never true: the rule can never give the value (a warning).
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 施行前: もし 令和5年4月1日 < 令和5年3月31日 ならば 施行前
"
    );
    let c = compile_src(&src);
    let text = expect_codes(&c, &["onshi::rule::unreachable"]);
    assert_eq!(c.diagnostics[0].severity, Severity::Warning);
    assert!(c.program.is_some());
    insta::assert_snapshot!("rule_unreachable", text);
}

#[test]
fn rule_unreachable_beaten() {
    // An exception that always applies always wins over the principle: the principle never counts.
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 対象外: 義務化対象外
  例外 経過措置中 > 対象外: もし 届出済 ならば 経過措置
"
    );
    let c = compile_src(&src);
    let text = expect_codes(&c, &["onshi::rule::unreachable"]);
    assert_eq!(c.diagnostics[0].severity, Severity::Warning);
    assert!(c.program.is_some());
    insta::assert_snapshot!("rule_unreachable_beaten", text);
}

#[test]
fn rule_conflict() {
    // Two unconditional principles with different constant values (a warning; every evaluation
    // then fails with onshi::eval::conflict).
    let src = format!(
        "{IMPORT_FACILITY}出力 上限: 金額
  原則 病院: 41.1万円
  原則 診療所: 12.8万円
"
    );
    let c = compile_src(&src);
    let text = expect_codes(&c, &["onshi::rule::conflict"]);
    assert_eq!(c.diagnostics[0].severity, Severity::Warning);
    assert!(c.program.is_some());
    insta::assert_snapshot!("rule_conflict", text);
}

#[test]
fn name_unknown_rule() {
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト > 存在しない: もし 紙レセプト請求 ならば 義務化対象外
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(text.contains("規則 `存在しない`"), "{text}");
    insta::assert_snapshot!("name_unknown_rule", text);
}

#[test]
fn name_unknown_rule_suggests_a_label() {
    let src = format!(
        "{RULES_POLICY}出力 判定: 判定区分
  原則 義務化: 義務
  例外 経過措置中: もし 届出済 ならば 経過措置
  例外 紙レセプト > 経過措置: もし 紙レセプト請求 ならば 義務化対象外
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(text.contains("`経過措置中` のことですか"), "{text}");
}

// ------------------------------------------------------------------ examples (例)

const EXAMPLE_POLICY: &str = "取込 \"../common/facility.onshi\"
入力 施設種別: 保険医療機関種別
入力 申請日: 日付
入力 補助済: 真偽 既定 偽
出力 申請可: 真偽 = 申請日 <= 令和8年1月15日 と 補助済 でない
";

#[test]
fn example_missing_input() {
    let src = format!(
        "{EXAMPLE_POLICY}例 \"期限内\"
  事実 施設種別 = 病院
  期待 申請可 = 真
"
    );
    let text = compile_expecting(&src, &["onshi::example::missing_input"]);
    assert!(text.contains("`申請日`"), "{text}");
    insta::assert_snapshot!("example_missing_input", text);
}

#[test]
fn name_unknown_input() {
    // A fact of an example names an input.
    let src = format!(
        "{EXAMPLE_POLICY}例 \"期限内\"
  事実 施設種別 = 病院, 申請月日 = 令和7年10月1日, 申請日 = 令和7年10月1日
  期待 申請可 = 真
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(text.contains("`申請日` のことですか"), "{text}");
    insta::assert_snapshot!("name_unknown_input", text);
}

#[test]
fn name_unknown_output() {
    // An expectation of an example names an output or definition.
    let src = format!(
        "{EXAMPLE_POLICY}例 \"期限内\"
  事実 施設種別 = 病院, 申請日 = 令和7年10月1日
  期待 申請化 = 真
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(text.contains("`申請可` のことですか"), "{text}");
    insta::assert_snapshot!("name_unknown_output", text);
}

#[test]
fn name_duplicate_fact_in_an_example() {
    // A fact given twice: "first declared here" is on the first binding, not the whole example.
    let src = format!(
        "{EXAMPLE_POLICY}例 \"期限内\"
  事実 施設種別 = 病院, 申請日 = 令和7年10月1日, 施設種別 = 薬局
  期待 申請可 = 真
"
    );
    let c = compile_src(&src);
    expect_codes(&c, &["onshi::name::duplicate"]);
    let at: Vec<(usize, usize)> = c.diagnostics[0]
        .labels
        .iter()
        .map(|l| c.sources.line_col(l.span))
        .collect();
    assert_eq!(at, [(7, 34), (7, 6)]);
}

#[test]
fn name_unknown_output_is_an_input() {
    // Expectations name outputs or definitions; an input there gets no did-you-mean.
    let src = format!(
        "{EXAMPLE_POLICY}例 \"期限内\"
  事実 施設種別 = 病院, 申請日 = 令和7年10月1日
  期待 申請日 = 令和7年10月1日
"
    );
    let text = compile_expecting(&src, &["onshi::name::unknown"]);
    assert!(!text.contains("のことですか"), "{text}");
    assert!(
        text.contains("例の `期待` には `出力` か `定義` の名前を書いてください"),
        "{text}"
    );
}

// ------------------------------------------------------------------ completeness

fn snapshot_name(code: &str) -> String {
    code.trim_start_matches("onshi::").replace("::", "_")
}

#[test]
fn every_code_has_a_snapshot() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots");
    let all_codes = all_codes();
    let mut missing = Vec::new();
    for code in &all_codes {
        let file = dir.join(format!("diagnostics__{}.snap", snapshot_name(code)));
        match std::fs::read_to_string(&file) {
            Ok(text) if text.contains(code) => {}
            Ok(_) => missing.push(format!("{code}: {} does not mention it", file.display())),
            Err(_) => missing.push(format!("{code}: no snapshot {}", file.display())),
        }
    }
    assert!(
        missing.is_empty(),
        "codes without a snapshot:\n{}",
        missing.join("\n")
    );

    // The list above is complete: every code in the sources is in it (or known unreachable).
    let in_sources = codes_in_sources();
    assert!(
        in_sources.len() >= all_codes.len(),
        "found only {in_sources:?}"
    );
    let unlisted: Vec<String> = in_sources
        .iter()
        .filter(|(c, _)| {
            !all_codes.contains(&c.as_str()) && !UNREACHABLE_CODES.contains(&c.as_str())
        })
        .map(|(c, f)| format!("{c} ({})", f.display()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes in the sources with no snapshot test here (add a test and add them to the registry):\n{}",
        unlisted.join("\n")
    );
    for code in all_codes.iter().chain(UNREACHABLE_CODES) {
        assert!(
            in_sources.contains_key(*code),
            "{code} is listed but no longer in the sources"
        );
    }
}
