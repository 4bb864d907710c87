//! The editor features on small policies, in process: the keyword and built-in lists against the
//! grammar and the checker, quick fixes (did-you-mean, era boundary), the outline, completion of
//! table columns and enumeration variants, hover on a table cell and on a rule's 出典.
#![allow(clippy::mutable_key_type)]

use lsp_types::{Position, Range};
use onshi::Lang;
use onshi_lsp::workspace::Workspace;
use onshi_lsp::{actions, catalog, complete, hover, navigate};
use std::collections::BTreeSet;
use std::path::PathBuf;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The quoted words of a `rule = _{ "a" | "b" … }` of onshi.pest.
pub fn pest_rule_words(pest: &str, rule: &str) -> BTreeSet<String> {
    let start = pest.find(&format!("\n{rule} = ")).unwrap();
    let body = &pest[start..];
    let body = &body[..body.find("\n}").unwrap()];
    body.split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[test]
fn keywords_are_the_grammars() {
    let pest = std::fs::read_to_string(root().join("grammar/src/onshi.pest")).unwrap();
    let grammar = pest_rule_words(&pest, "keyword");
    let ours: BTreeSet<String> = catalog::keyword_words().map(str::to_string).collect();
    assert_eq!(ours, grammar);
    assert!(grammar.contains("そうでなければもし") && grammar.contains("else_if"));
}

fn ws_with(key: &str, text: &str) -> Workspace {
    let mut ws = Workspace::new(Lang::Ja);
    ws.open(key.to_string(), text.to_string());
    ws
}

const KEY: &str = "/nonexistent/p.onshi";

#[test]
fn quick_fix_for_a_date_outside_its_era() {
    let text = "定義 d: 日付 = 平成31年5月1日\n";
    let ws = ws_with(KEY, text);
    let a = ws.analysis_for(KEY).unwrap();
    let f = a.file_id(KEY).unwrap();
    let fixes = actions::quick_fixes(
        a,
        f,
        Range::new(Position::new(0, 0), Position::new(1, 0)),
        Lang::Ja,
    );
    assert_eq!(fixes.len(), 1, "{fixes:?}");
    let edit = &fixes[0].edit.as_ref().unwrap().changes.as_ref().unwrap();
    let e = &edit.values().next().unwrap()[0];
    assert_eq!(e.new_text, "令和元年5月1日");
    // The range is the literal, in UTF-16 units: `定義 d: 日付 = ` is 11 units.
    assert_eq!(e.range.start, Position::new(0, 11));
    assert_eq!(
        e.range.end,
        Position::new(0, 11 + "平成31年5月1日".encode_utf16().count() as u32)
    );
}

#[test]
fn quick_fix_for_a_name_glued_to_a_keyword() {
    let text = "入力 申請日: 任意<日付>\n出力 x: 真偽 = 申請日がある\n";
    let ws = ws_with(KEY, text);
    let a = ws.analysis_for(KEY).unwrap();
    let f = a.file_id(KEY).unwrap();
    let fixes = actions::quick_fixes(
        a,
        f,
        Range::new(Position::new(1, 0), Position::new(1, 30)),
        Lang::En,
    );
    let e = &fixes[0]
        .edit
        .as_ref()
        .unwrap()
        .changes
        .as_ref()
        .unwrap()
        .values()
        .next()
        .unwrap()[0];
    assert_eq!(e.new_text, "申請日 が ある");
}

const TABLE: &str = "\
出典 通知 = \"n.txt\" 「通知の題」
列挙 種別 = 病院 | 診療所 | 薬局
  群 医科 = 病院 | 診療所
入力 施設: 種別
表 内容(種別: 種別) → (補助率: 割合, 限度額: 金額)
  | 種別   | 補助率 | 限度額 |
  |--------|--------|--------|
  | 病院   | 1/2    | 10万円 |
  | 診療所 | 3/4    | 5万円  |
  | 薬局   | 3/4    | 5万円  |
定義 率: 割合
  原則 通常: 内容(施設).補助率
  例外 薬局は別: もし 施設 = 薬局 ならば 1/4
    出典 通知 \"第2条「薬局は四分の一」\"
出力 額: 金額 = 内容(施設).限度額
";

#[test]
fn outline_completion_and_hover_on_a_table_policy() {
    let ws = ws_with(KEY, TABLE);
    let a = ws.analysis_for(KEY).unwrap();
    assert!(
        a.compiled.diagnostics.is_empty(),
        "{:?}",
        a.compiled.diagnostics
    );
    let f = a.file_id(KEY).unwrap();

    let syms = navigate::symbols(a, f);
    let names: Vec<&str> = syms.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["通知", "種別", "施設", "内容", "率", "額"]);
    let enum_children: Vec<&str> = syms[1]
        .children
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(enum_children, ["病院", "診療所", "薬局", "医科"]);
    let rule_children: Vec<&str> = syms[4]
        .children
        .as_ref()
        .unwrap()
        .iter()
        .map(|s| s.name.as_str())
        .collect();
    assert_eq!(rule_children, ["通常", "薬局は別"]);

    // Columns after `内容(施設).`
    let dot = TABLE.find("内容(施設).限度額").unwrap() + "内容(施設).".len();
    let items = complete::complete(a, f, dot);
    let labels: BTreeSet<&str> = items.iter().map(|i| i.label.as_str()).collect();
    assert_eq!(labels, BTreeSet::from(["補助率", "限度額"]));

    // Variants of 種別 after `施設 = ` (and its group), ahead of everything else.
    let eq = TABLE.find("施設 = 薬局").unwrap() + "施設 = ".len();
    let items = complete::complete(a, f, eq);
    let first: BTreeSet<&str> = items
        .iter()
        .filter(|i| i.sort_text.as_deref().is_some_and(|s| s.starts_with('0')))
        .map(|i| i.label.as_str())
        .collect();
    assert_eq!(first, BTreeSet::from(["病院", "診療所", "薬局", "医科"]));

    // Hover on a result cell: its column and type.
    let cell = TABLE.find("1/2").unwrap() + 1;
    let (h, _) = hover::hover(a, f, cell, Lang::Ja).unwrap();
    assert!(h.contains("`補助率`: `割合`") && h.contains("`1/2`"), "{h}");
    // Hover on a rule label: its 出典 with the quoted passage and the source's title.
    let label = TABLE.find("薬局は別").unwrap();
    let (h, _) = hover::hover(a, f, label, Lang::Ja).unwrap();
    assert!(
        h.contains("出典 **通知** 「通知の題」 第2条") && h.contains("> 薬局は四分の一"),
        "{h}"
    );
    // Hover on a group: its members.
    let (h, _) = hover::hover(a, f, TABLE.find("医科").unwrap(), Lang::En).unwrap();
    assert!(h.contains("= 病院 | 診療所"), "{h}");
    // Definition of a variant used in a rule: its declaration in the enumeration.
    let use_at = TABLE.find("= 薬局 ならば").unwrap() + 2;
    let loc = navigate::definition(a, f, use_at).unwrap();
    assert_eq!(loc.range.start, Position::new(1, 19));
}

#[test]
fn sources_variants_and_rule_labels_resolve() {
    let ws = ws_with(KEY, TABLE);
    let a = ws.analysis_for(KEY).unwrap();
    let f = a.file_id(KEY).unwrap();
    let line_of = |offset: usize| TABLE[..offset].matches('\n').count() as u32;
    // The 出典 of a rule → the source's declaration on the first line.
    let cite = TABLE.find("出典 通知 \"第2条").unwrap() + "出典 ".len();
    assert_eq!(
        navigate::definition(a, f, cite).unwrap().range.start,
        Position::new(0, 3)
    );
    // 薬局: declared once, used in a table cell and in a rule.
    let decl = TABLE.find("薬局").unwrap();
    let all: Vec<_> = ws.analyses.values().cloned().collect();
    let refs = navigate::references(a, f, decl, &all, true);
    let lines: BTreeSet<u32> = refs.iter().map(|l| l.range.start.line).collect();
    let cell = TABLE.find("| 薬局   |").unwrap();
    let rule = TABLE.find("施設 = 薬局").unwrap();
    assert_eq!(lines, BTreeSet::from([1, line_of(cell), line_of(rule)]));
    // Without the declaration.
    assert_eq!(navigate::references(a, f, decl, &all, false).len(), 2);
    // A group's member refers to the variant too.
    let member = TABLE.find("群 医科 = 病院").unwrap() + "群 医科 = ".len();
    let loc = navigate::definition(a, f, member).unwrap();
    assert_eq!(loc.range.start, Position::new(1, 8));
    // Not a valid new name: keywords, literals, two words.
    for bad in ["もし", "123", "二 語", ""] {
        assert!(!navigate::valid_name(bad), "{bad}");
    }
    assert!(navigate::valid_name("新しい名前"));
}

#[test]
fn completion_in_example_bindings() {
    let text = format!("{TABLE}例 \"病院\"\n  事実 施設 = 病院\n  期待 額 = 10万円\n");
    let ws = ws_with(KEY, &text);
    let a = ws.analysis_for(KEY).unwrap();
    assert!(
        a.compiled.diagnostics.is_empty(),
        "{:?}",
        a.compiled.diagnostics
    );
    let f = a.file_id(KEY).unwrap();
    let first = |offset: usize| -> BTreeSet<String> {
        complete::complete(a, f, offset)
            .into_iter()
            .filter(|i| i.sort_text.as_deref().is_some_and(|s| s.starts_with('0')))
            .map(|i| i.label)
            .collect()
    };
    let given = text.find("事実 施設").unwrap() + "事実 ".len();
    assert_eq!(first(given), BTreeSet::from(["施設".to_string()]));
    let expect = text.find("期待 額").unwrap() + "期待 ".len();
    assert_eq!(
        first(expect),
        BTreeSet::from(["率".to_string(), "額".to_string()])
    );
    // After `施設 = `: the variants of its enumeration.
    let value = text.find("事実 施設 = ").unwrap() + "事実 施設 = ".len();
    assert!(first(value).contains("診療所"), "{:?}", first(value));
}

#[test]
fn an_import_not_found_is_found_once_the_file_is_opened() {
    let mut ws = Workspace::new(Lang::Ja);
    ws.open(
        "/nonexistent/a.onshi".into(),
        "取込 \"b.onshi\"\n出力 x: 整数 = y\n".into(),
    );
    let codes = |ws: &Workspace| -> Vec<&str> {
        ws.analysis_for("/nonexistent/a.onshi")
            .unwrap()
            .compiled
            .diagnostics
            .iter()
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(codes(&ws), ["onshi::name::import_not_found"]);
    ws.open("/nonexistent/b.onshi".into(), "定義 y: 整数 = 1\n".into());
    assert!(codes(&ws).is_empty(), "{:?}", codes(&ws));
    // A change in b re-checks a (which reads it); a's analysis is not kept stale.
    ws.change("/nonexistent/b.onshi".into(), "定義 z: 整数 = 1\n".into());
    assert_eq!(codes(&ws), ["onshi::name::unknown"]);
}

#[test]
fn hover_shows_defaults_values_and_the_fallback_when_the_program_has_errors() {
    let text = "入力 件数: 整数 既定 3\n定義 上限: 金額 = 41.1万円\n出力 y: 整数 = 件数\n";
    let ws = ws_with(KEY, text);
    let a = ws.analysis_for(KEY).unwrap();
    let f = a.file_id(KEY).unwrap();
    let (h, _) = hover::hover(a, f, text.find("件数").unwrap(), Lang::Ja).unwrap();
    assert!(
        h.contains("入力 件数: 整数") && h.contains("既定値: `3`"),
        "{h}"
    );
    let (h, _) = hover::hover(a, f, text.find("上限").unwrap(), Lang::En).unwrap();
    assert!(h.contains("value: `411,000円`"), "{h}");
    // With an error elsewhere there is no program: the declared type and default as written.
    let broken = format!("{text}出力 z: 整数 = 未知\n");
    let ws = ws_with(KEY, &broken);
    let a = ws.analysis_for(KEY).unwrap();
    assert!(a.program().is_none());
    let (h, _) = hover::hover(a, f, broken.find("件数").unwrap(), Lang::Ja).unwrap();
    assert!(
        h.contains("入力 件数: 整数") && h.contains("既定値: `3`"),
        "{h}"
    );
}
