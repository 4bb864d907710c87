//! The server driven over stdio as an editor drives it: initialize, didOpen, didChange (incremental,
//! with half-typed text), hover, definition, references, completion, formatting, rename, code
//! actions, code lenses, shutdown. Positions are UTF-16, in Japanese text.

use crate::common;

use common::{pos_of, root, uri, Client};
use serde_json::{json, Value};

fn subsidy() -> (String, String) {
    let path = root().join("policies/r7/subsidy.onshi");
    (uri(&path), std::fs::read_to_string(&path).unwrap())
}

fn td(uri: &str) -> Value {
    json!({"uri": uri})
}

fn at(uri: &str, pos: Value) -> Value {
    json!({"textDocument": td(uri), "position": pos})
}

fn hover_text(c: &mut Client, uri: &str, pos: Value) -> String {
    let r = c.result("textDocument/hover", at(uri, pos));
    r["contents"]["value"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_session_on_a_shipped_policy() {
    let (u, text) = subsidy();
    let mut c = Client::start(&[]);
    let init = c.initialize("ja");
    let caps = &init["capabilities"];
    assert_eq!(caps["positionEncoding"], "utf-16");
    assert_eq!(caps["hoverProvider"], true);
    assert_eq!(caps["textDocumentSync"], 2, "incremental sync");

    c.open(&u, &text);
    assert_eq!(
        c.diagnostics_for(&u),
        Vec::<Value>::new(),
        "the shipped policy is clean"
    );

    // Hover: an input's type (declared in an imported file), a constant output's value, a
    // built-in's signature, a table's 出典 with its quoted passage.
    let h = hover_text(&mut c, &u, pos_of(&text, "入力 施設種別", 4));
    assert!(h.contains("入力 施設種別: 保険医療機関種別"), "{h}");
    let h = hover_text(&mut c, &u, pos_of(&text, "解釈 外来診療等の申請期限", 4));
    assert!(h.contains("令和8年1月15日"), "{h}");
    let h = hover_text(&mut c, &u, pos_of(&text, "最小(", 1));
    assert!(h.contains("min") && h.contains("最小(a, b, …)"), "{h}");
    let h = hover_text(&mut c, &u, pos_of(&text, "表 補助内容", 3));
    assert!(
        h.contains("出典 **周知依頼**") && h.contains("> （訪問診療・訪問服薬指導等）"),
        "{h}"
    );

    // Definition across the import: the enumeration is declared in common/facility.onshi.
    let def = c.result(
        "textDocument/definition",
        at(&u, pos_of(&text, "施設種別: 保険医療機関種別", 7)),
    );
    let facility = root().join("policies/common/facility.onshi");
    let ftext = std::fs::read_to_string(&facility).unwrap();
    assert_eq!(def["uri"], uri(&facility));
    assert_eq!(
        def["range"]["start"],
        pos_of(&ftext, "保険医療機関種別 =", 0)
    );

    // References from the declaring file reach the policies that import it.
    let refs = c.result(
        "textDocument/references",
        json!({"textDocument": td(&uri(&facility)), "position": pos_of(&ftext, "保険医療機関種別 =", 1),
               "context": {"includeDeclaration": true}}),
    );
    let files: Vec<&str> = refs
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["uri"].as_str())
        .collect();
    assert!(
        files.contains(&u.as_str()) && files.contains(&uri(&facility).as_str()),
        "{refs}"
    );

    // Completion where a value of an enumeration is expected: its variants first.
    let items = c.result(
        "textDocument/completion",
        at(&u, pos_of(&text, "事業 = 外来診療等 と", 5)),
    );
    let items = items.as_array().unwrap();
    let first: Vec<&str> = items
        .iter()
        .filter(|i| i["sortText"].as_str().is_some_and(|s| s.starts_with('0')))
        .filter_map(|i| i["label"].as_str())
        .collect();
    assert!(
        first.contains(&"外来診療等") && first.contains(&"資格確認限定型"),
        "{first:?}"
    );
    assert!(
        !first.contains(&"病院"),
        "variants of another enumeration are not first: {first:?}"
    );
    let labels: Vec<&str> = items.iter().filter_map(|i| i["label"].as_str()).collect();
    for word in ["もし", "if", "最小", "round_down", "申請日", "金額"] {
        assert!(labels.contains(&word), "{word} offered");
    }

    // Code lenses: one per example, all passing; an output shows its value in the first example.
    let lenses = c.result("textDocument/codeLens", json!({"textDocument": td(&u)}));
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|l| l["command"]["title"].as_str())
        .collect();
    let examples = text.lines().filter(|l| l.starts_with("例 ")).count();
    assert_eq!(
        titles.iter().filter(|t| t.starts_with("✓")).count(),
        examples,
        "{titles:?}"
    );
    assert!(
        titles.iter().any(
            |t| t.starts_with("例「訪問診療等・病院") && t.contains("50%") || t.contains("1/2")
        ),
        "{titles:?}"
    );

    // A typo, typed as an incremental change: an unknown name with its code, a link to its page,
    // the did-you-mean, and the quick fix.
    let start = pos_of(&text, "申請日 <= 申請期限", 7);
    let end = pos_of(&text, "申請日 <= 申請期限", 11);
    c.clear();
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"range": {"start": start, "end": end}, "text": "申請期現"}]}),
    );
    let diags = c.diagnostics_for(&u);
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::name::unknown")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d["range"]["start"], start);
    assert_eq!(d["range"]["end"], end);
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`申請期限` のことですか"),
        "{d}"
    );
    assert!(d["codeDescription"]["href"]
        .as_str()
        .unwrap()
        .ends_with("docs/errors/onshi-name-unknown.md"));
    let actions = c.result(
        "textDocument/codeAction",
        json!({"textDocument": td(&u), "range": {"start": start, "end": start}, "context": {"diagnostics": []}}),
    );
    let edit = &actions[0]["edit"]["changes"][&u][0];
    assert_eq!(edit["newText"], "申請期限");
    assert_eq!(edit["range"]["start"], start);

    // Half-typed text: a declaration cut off. Every request still answers.
    let end_pos = pos_of(&text, "例 \"訪問診療等・病院", 0);
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 3},
               "contentChanges": [{"range": {"start": end_pos, "end": end_pos}, "text": "定義 途中: 金額 = もし 申請日 <\n"}]}),
    );
    let diags = c.diagnostics_for(&u);
    assert!(
        diags
            .iter()
            .any(|d| d["code"] == "onshi::syntax::unexpected"),
        "{diags:?}"
    );
    let h = hover_text(&mut c, &u, pos_of(&text, "入力 施設種別", 4));
    assert!(h.contains("施設種別"), "{h}");
    let r = c.request(
        "textDocument/formatting",
        json!({"textDocument": td(&u), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(
        r.get("error").is_some(),
        "broken text is not formatted: {r}"
    );
    c.shutdown();
}

#[test]
fn formatting_rename_and_english() {
    let dir = std::env::temp_dir().join(format!("onshi-lsp-protocol-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let lib = dir.join("共通.onshi");
    let main = dir.join("main.onshi");
    std::fs::write(
        &lib,
        "列挙 種別 = 病院 | 診療所\n定義 上限: 金額 = 10000円\n",
    )
    .unwrap();
    let main_text = "取込 \"共通.onshi\"\n入力 種別: 種別\n出力   額 : 金額 = もし 種別 = 病院 ならば 上限 そうでなければ 0円\n例 \"病院\" 事実 種別 = 病院 期待 額 = 10000円\n";
    std::fs::write(&main, main_text).unwrap();
    let (lu, mu) = (uri(&lib), uri(&main));

    let mut c = Client::start(&[]);
    c.initialize("en-US");
    c.open(&mu, main_text);
    assert!(c.diagnostics_for(&mu).is_empty());

    // Formatting: the canonical layout as one edit.
    let edits = c.result(
        "textDocument/formatting",
        json!({"textDocument": td(&mu), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    let want = onshi_grammar::fmt::format(main_text).unwrap();
    assert_eq!(edits[0]["newText"], want.as_str());

    // Rename a definition of the imported file from its use: both files are edited.
    let edit = c.result(
        "textDocument/rename",
        json!({"textDocument": td(&mu), "position": pos_of(main_text, "上限 そう", 1), "newName": "限度額"}),
    );
    assert_eq!(edit["changes"][&mu].as_array().unwrap().len(), 1);
    assert_eq!(
        edit["changes"][&lu][0]["range"]["start"],
        json!({"line": 1, "character": 3})
    );
    assert_eq!(edit["changes"][&lu][0]["newText"], "限度額");
    // Not a name: a clean error.
    let bad = c.request(
        "textDocument/rename",
        json!({"textDocument": td(&mu), "position": pos_of(main_text, "上限 そう", 1), "newName": "もし"}),
    );
    assert!(bad.get("error").is_some(), "{bad}");

    // An error in the imported file is reported on that file, in English (the client's locale).
    c.clear();
    let broken = "列挙 種別 = 病院 | 診療所\n定義 上限: 金額 = 10000円 + 真\n";
    c.open(&lu, broken);
    let diags = c.diagnostics_for(&lu);
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::type::unit")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .starts_with("cannot compute money"),
        "English: {d}"
    );
    assert_eq!(d["range"]["start"]["line"], 1);

    // A failing example: on its name, expected and actual.
    c.clear();
    let failing = main_text.replace("期待 額 = 10000円", "期待 額 = 5円");
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": mu, "version": 2}, "contentChanges": [{"text": failing}]}),
    );
    c.notify("textDocument/didClose", json!({"textDocument": td(&lu)}));
    let diags = loop {
        let d = c.diagnostics_for(&mu);
        if !d.is_empty() {
            break d;
        }
    };
    assert!(
        diags[0]["message"]
            .as_str()
            .unwrap()
            .contains("should be 5円 but is 10,000円"),
        "{diags:?}"
    );
    let lenses = c.result("textDocument/codeLens", json!({"textDocument": td(&mu)}));
    let t = lenses[0]["command"]["title"].as_str().unwrap();
    assert_eq!(t, "✗ 額: expected 5円, actual 10,000円");
    c.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lang_flag_wins_over_the_locale_and_unknown_requests_error() {
    let mut c = Client::start(&["--lang", "ja"]);
    c.initialize("en");
    let u = "untitled:Untitled-1";
    c.open(u, "定義 x: 金額 = y\n");
    let diags = c.diagnostics_for(u);
    assert!(
        diags[0]["message"].as_str().unwrap().contains("名前"),
        "{diags:?}"
    );
    let r = c.request("textDocument/unknownThing", json!({}));
    assert_eq!(r["error"]["code"], -32601);
    let r = c.request("textDocument/hover", json!({"bad": 1}));
    assert_eq!(r["error"]["code"], -32602);
    c.shutdown();
}

#[test]
fn citations_are_checked_against_the_documents() {
    let dir = std::env::temp_dir().join(format!("onshi-lsp-sources-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("n.txt"), "第1条 補助率は1/2とする。\n").unwrap();
    let policy = dir.join("p.onshi");
    let text = "出典 通知 = \"n.txt\" 「通知」\n出力 率: 割合 = 1/2\n  出典 通知 \"第1条「補助率は3/4とする」\"\n";
    std::fs::write(&policy, text).unwrap();
    let u = uri(&policy);
    let mut c = Client::start(&["--sources", dir.to_str().unwrap()]);
    c.initialize("ja");
    c.open(&u, text);
    let diags = c.diagnostics_for(&u);
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::source::not_found")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert_eq!(d["range"]["start"]["line"], 2);
    // The quoted passage fixed: no diagnostic.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2},
               "contentChanges": [{"text": text.replace("3/4", "1/2")}]}),
    );
    assert_eq!(c.diagnostics_for(&u), Vec::<Value>::new());
    c.shutdown();
    let _ = std::fs::remove_dir_all(&dir);
}

/// Positions count UTF-16 code units: 𠮷 (outside the BMP) is two, 定 one.
#[test]
fn utf16_positions_with_a_surrogate_pair() {
    let mut c = Client::start(&[]);
    c.initialize("ja");
    let u = "untitled:surrogates";
    c.open(u, "定義 𠮷野: 整数 = 1\n出力 x: 整数 = 𠮷野 + 1\n");
    assert!(c.diagnostics_for(u).is_empty());
    // On 野 (after the two units of 𠮷, which starts at character 11).
    let pos = json!({"line": 1, "character": 13});
    let h = c.result("textDocument/hover", at(u, pos.clone()));
    assert_eq!(
        h["range"],
        json!({"start": {"line": 1, "character": 11}, "end": {"line": 1, "character": 14}})
    );
    assert!(
        h["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("定義 𠮷野: 整数"),
        "{h}"
    );
    let d = c.result("textDocument/definition", at(u, pos));
    assert_eq!(
        d["range"],
        json!({"start": {"line": 0, "character": 3}, "end": {"line": 0, "character": 6}})
    );
    // An edit inside the line after the pair lands where the client meant.
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": 2}, "contentChanges": [
            {"range": {"start": {"line": 1, "character": 17}, "end": {"line": 1, "character": 18}}, "text": "2"}]}),
    );
    let lenses_or_diags = c.diagnostics_for(u);
    assert!(lenses_or_diags.is_empty(), "{lenses_or_diags:?}");
    let syms = c.result(
        "textDocument/documentSymbol",
        json!({"textDocument": td(u)}),
    );
    assert_eq!(
        syms[1]["selectionRange"]["start"],
        json!({"line": 1, "character": 3})
    );
    let edits = c.result(
        "textDocument/formatting",
        json!({"textDocument": td(u), "options": {"tabSize": 2, "insertSpaces": true}}),
    );
    assert!(edits.is_null(), "already formatted: {edits}");
    c.shutdown();
}
