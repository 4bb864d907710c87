//! Mangled versions of every shipped policy are accepted or rejected with an error diagnostic that
//! points inside the file; nothing panics. Accepted ones are checked and evaluated too.

use onshi::{compile, Compiled, Lang};
use onshi_tests::workspace::shipped_policies;
use proptest::prelude::*;
use serde_json::json;

/// Compile `path` with its text replaced by `text` (the other policies stay as shipped), and check
/// the promise: a program, or an error whose primary span lies inside its file.
fn check_mangled(path: &str, text: &str) -> Result<(), TestCaseError> {
    let mut files = shipped_policies();
    files.insert(path.to_string(), text.to_string());
    let c: Compiled = compile(&files, path);
    for d in &c.diagnostics {
        if let Some(span) = d.primary_span() {
            let file = c.sources.get(span.file);
            prop_assert!(file.is_some(), "{}: span in an unknown file", d.code);
            let t = &file.unwrap().text;
            prop_assert!(
                span.start <= span.end && span.end as usize <= t.len(),
                "{}: span {:?} outside {} bytes",
                d.code,
                span,
                t.len()
            );
            prop_assert!(
                t.is_char_boundary(span.start as usize) && t.is_char_boundary(span.end as usize),
                "{}: span not on char boundaries",
                d.code
            );
        }
        // Rendering never panics either.
        let _ = onshi_cli::render::render(d, &c.sources, Lang::Ja);
    }
    match &c.program {
        Some(p) => {
            // Accepted: evaluate on facts that fit the subsidy policy (other policies may refuse them).
            for facts in [
                json!({}),
                json!({"施設種別": "病院", "事業": "訪問診療等", "申請日": "2025-12-01", "モバイル端末費用": 41000}),
            ] {
                let _ = p.evaluator().json(&facts);
            }
        }
        None => {
            let located = c
                .diagnostics
                .iter()
                .any(|d| d.is_error() && d.primary_span().is_some());
            prop_assert!(
                located,
                "rejected without a located error: {:?}",
                c.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
            );
        }
    }
    Ok(())
}

/// Index of the `n mod count`-th char boundary of `s` (0 and `s.len()` included).
fn boundary(s: &str, n: usize) -> usize {
    let count = s.chars().count() + 1;
    s.char_indices()
        .map(|(i, _)| i)
        .chain([s.len()])
        .nth(n % count)
        .unwrap_or(0)
}

const JUNK: &[&str] = &[
    "(",
    ")",
    "{",
    "}",
    "<",
    ">",
    "|",
    ",",
    ";",
    ":",
    "=",
    "→",
    "=>",
    "->",
    ".",
    "-",
    "−",
    "+",
    "×",
    "÷",
    "/",
    "∪",
    "∩",
    "∈",
    "∉",
    "⊆",
    "≤",
    "≥",
    "≠",
    "%",
    "〜",
    "..",
    "\"",
    "「",
    "」",
    "#",
    "※",
    "//",
    "\n",
    " ",
    "\u{3000}",
    "政策",
    "年度",
    "出典",
    "取込",
    "列挙",
    "群",
    "入力",
    "既定",
    "定義",
    "出力",
    "表",
    "集合",
    "任意",
    "もし",
    "ならば",
    "そうでなければ",
    "そうでなければもし",
    "場合",
    "その他",
    "かつ",
    "と",
    "または",
    "でない",
    "not",
    "が",
    "ある",
    "ない",
    "真",
    "偽",
    "未設定",
    "以上",
    "未満",
    "超",
    "以下",
    "円",
    "万",
    "億",
    "千",
    "か月",
    "年",
    "日",
    "令和",
    "平成",
    "元",
    "0",
    "7",
    "12",
    "40000",
    "１２",
    "４１．１",
    "2025-12-01",
    "令和7年2月30日",
    "平成31年5月1日",
    "1/0",
    "75%",
    "41.1万円",
    "最小",
    "切り捨て",
    "翌日",
    "既定値",
    "要素数",
    "病院",
    "事業",
    "補助区分",
    "金額",
    "割合",
    "日付",
    "|---|",
    "| - |",
    "_",
    "x",
    "ｘ",
    "🙂",
    "\u{0301}",
    "\u{FEFF}",
    "\\",
];

/// 96 cases per property; `ONSHI_PROPTEST_CASES` raises it for a longer hunt.
fn cases() -> u32 {
    onshi_tests::cases(96)
}

fn junk() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(JUNK), 1..12).prop_map(|v| v.concat())
}

fn policy() -> impl Strategy<Value = (String, String)> {
    let all: Vec<(String, String)> = shipped_policies().into_iter().collect();
    prop::sample::select(all)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn truncated((path, text) in policy(), cut in any::<usize>()) {
        let at = boundary(&text, cut);
        check_mangled(&path, &text[..at])?;
    }

    #[test]
    fn slice_spliced((path, text) in policy(), a in any::<usize>(), b in any::<usize>(), at in any::<usize>()) {
        let (a, b) = (boundary(&text, a), boundary(&text, b));
        let slice = &text[a.min(b)..a.max(b)];
        let at = boundary(&text, at);
        let mangled = format!("{}{}{}", &text[..at], slice, &text[at..]);
        check_mangled(&path, &mangled)?;
    }

    #[test]
    fn junk_inserted((path, text) in policy(), at in prop::collection::vec(any::<usize>(), 1..4), junk in prop::collection::vec(junk(), 3)) {
        let mut mangled = text.clone();
        for (n, j) in at.iter().zip(junk.iter()) {
            let i = boundary(&mangled, *n);
            mangled.insert_str(i, j);
        }
        check_mangled(&path, &mangled)?;
    }

    #[test]
    fn slice_removed((path, text) in policy(), a in any::<usize>(), len in 1usize..40) {
        let start = boundary(&text, a);
        let end = text[start..].char_indices().nth(len).map_or(text.len(), |(i, _)| start + i);
        let mangled = format!("{}{}", &text[..start], &text[end..]);
        check_mangled(&path, &mangled)?;
    }

    #[test]
    fn pure_junk(junk in prop::collection::vec(junk(), 1..20)) {
        check_mangled("policies/r7/subsidy.onshi", &junk.concat())?;
    }
}

/// Every char-boundary truncation of the subsidy's first declarations (exhaustive, small).
#[test]
fn every_truncation_of_the_header() {
    let files = shipped_policies();
    let text = &files["policies/r7/subsidy.onshi"];
    let head: String = text.chars().take(700).collect();
    for (i, _) in head.char_indices().step_by(3) {
        check_mangled("policies/r7/subsidy.onshi", &head[..i]).unwrap();
    }
}

#[test]
fn shipped_policies_compile_as_they_are() {
    for (path, text) in shipped_policies() {
        check_mangled(&path, &text).unwrap();
        let c = compile(&shipped_policies(), &path);
        assert!(
            c.program.is_some(),
            "{path}: {:?}",
            c.diagnostics.iter().map(|d| d.code).collect::<Vec<_>>()
        );
    }
}
