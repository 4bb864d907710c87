//! Regression tests for the bugs fuzzing (`fuzz/`, see its README) and the bad-input corpus
//! (`tests/corpus/`) found. Each test says where its input came from.

use onshi::{compile, Lang, Program, SourceMap, Type, Value};
use onshi_grammar::literal::parse_decimal;
use onshi_grammar::num::Num;
use serde_json::json;
use std::collections::BTreeMap;

fn program(src: &str) -> (Program, SourceMap) {
    let mut files = BTreeMap::new();
    files.insert("policy.onshi".to_string(), src.to_string());
    let c = compile(&files, "policy.onshi");
    assert!(c.diagnostics.is_empty(), "{:?}", c.diagnostics);
    (c.program.unwrap(), c.sources)
}

/// fuzz/literals, artifact crash-bcaee2b0d8fa621d4b999bf688545cf756f36764: a decimal with 38
/// fraction digits was printed as the fraction `-219/100000000000000000000000000000000000000`
/// (denominators above u128::MAX / 10 were not expanded), which no reader of 小数 or 金額 accepts,
/// so `onshi eval --format json` gave a value that could not be fed back as a fact.
#[test]
fn a_decimal_with_38_fraction_digits_reads_back_from_its_json_form() {
    let text = "-0.00000000000000000000000000000000000219";
    let n = parse_decimal(text).unwrap();
    assert_eq!(n.to_string(), text);
    let p = Program::default();
    for ty in [Type::Decimal, Type::Money] {
        let v = match ty {
            Type::Money => Value::Money(n),
            _ => Value::Decimal(n),
        };
        let j = p.value_to_json(&v, &ty);
        assert_eq!(p.value_from_json(&j, &ty, "$"), Ok(v), "{j}");
    }

    // End to end: the output of one evaluation is a valid fact for the next.
    let (p, _) = program("入力 x: 小数\n出力 y: 小数 = x\n");
    let out = p.evaluator().json(&json!({ "x": text })).unwrap();
    let y = out["outputs"]["y"].clone();
    let again = p.evaluator().json(&json!({ "x": y })).unwrap();
    assert_eq!(again, out);

    // Every terminating value is expanded, whatever the size of its denominator.
    let tiny = Num::new(1, 1_i128 << 126).unwrap().to_string();
    assert!(
        tiny.starts_with("0.0000000000000000000000000000000000000117549"),
        "{tiny}"
    );
    assert_eq!(Num::new(1, 3).unwrap().to_string(), "1/3");
}

/// tests/corpus/policies/syntax-too-deep-if.onshi: when nesting passed the limit on a multibyte
/// character (`も` of `もし`), the `onshi::syntax::too_deep` label ended inside it, one byte after
/// its start; line/column and snippet code then worked on a broken span.
#[test]
fn the_too_deep_label_covers_a_whole_character() {
    let src = format!(
        "入力 a: 真偽\n定義 x: 整数 = {}0\n",
        "もし a ならば 1 そうでなければ ".repeat(200)
    );
    let mut files = BTreeMap::new();
    files.insert("policy.onshi".to_string(), src.clone());
    let c = compile(&files, "policy.onshi");
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert_eq!(codes, ["onshi::syntax::too_deep"]);
    let span = c.diagnostics[0].primary_span().unwrap();
    let (start, end) = (span.start as usize, span.end as usize);
    assert!(src.is_char_boundary(start) && src.is_char_boundary(end));
    assert_eq!(&src[start..end], "も");
    let rendered = onshi_cli::render::render(&c.diagnostics[0], &c.sources, Lang::Ja);
    assert!(rendered.contains("ここで上限を超えました"), "{rendered}");
}

/// tests/corpus (`a 10 MB field name in the facts` and the other huge facts): a fact key,
/// variant or literal of megabytes was quoted whole in the message (rendering took seconds and
/// printed megabytes), and the did-you-mean compared it with every name by edit distance
/// (quadratic). Messages now quote the first 100 characters, and `suggest` skips names whose
/// length alone rules them out.
#[test]
fn huge_facts_give_short_messages() {
    let (p, sources) = program(
        "列挙 施設 = 病院 | 薬局\n入力 施設種別: 施設\n入力 申請日: 日付 既定 令和7年4月1日\n出力 x: 真偽 = 施設種別 = 病院\n",
    );
    let huge = "病".repeat(1 << 20);
    for (facts, code) in [
        (json!({ huge.clone(): 1 }), "onshi::facts::unknown_field"),
        (json!({ "施設種別": huge.clone() }), "onshi::facts::variant"),
        (
            json!({ "施設種別": "病院", "申請日": huge.clone() }),
            "onshi::facts::literal",
        ),
    ] {
        let d = p.evaluator().json(&facts).unwrap_err().to_diagnostic();
        assert_eq!(d.code, code);
        for lang in [Lang::Ja, Lang::En] {
            let message = d.message.get(lang);
            assert!(message.chars().count() < 300, "{code}: {message}");
            assert!(message.contains("病病病…"), "{code}: {message}");
            let rendered = onshi_cli::render::render(&d, &sources, lang);
            assert!(rendered.len() < 2000, "{code}: {} bytes", rendered.len());
        }
    }
}

/// fuzz/policy, artifact timeout-f784867f81c435c8d0064beb0979a2fbabd9dd93 (a libFuzzer timeout:
/// more than 10 s for one input): the corpus file syntax-too-deep-if.onshi cut at the fuzzer's
/// 8192-byte limit, i.e. 189 nested `もし … そうでなければ` whose last one breaks off mid-word. Each
/// nested `もし` was tried twice on a failed parse, so the time doubled with every level (fixed in
/// grammar/src/onshi.pest by commit b5a19f3, with a pest call limit as a safety net).
#[test]
fn a_broken_deep_if_chain_fails_at_once() {
    let mut text = format!(
        "# expect: onshi::syntax::too_deep\n入力 a: 真偽\n定義 x: 整数 = {}0\n",
        "もし a ならば 1 そうでなければ ".repeat(200)
    )
    .into_bytes();
    text.truncate(8192);
    let text = String::from_utf8_lossy(&text).into_owned();
    assert!(
        text.ends_with("そうでなけ\u{FFFD}"),
        "{}",
        &text[text.len() - 40..]
    );
    let start = std::time::Instant::now();
    let mut files = BTreeMap::new();
    files.insert("policy.onshi".to_string(), text);
    let c = compile(&files, "policy.onshi");
    // One located syntax error (`too_deep` when pest's call limit stops it first).
    let codes: Vec<&str> = c.diagnostics.iter().map(|d| d.code).collect();
    assert!(
        codes == ["onshi::syntax::unexpected"] || codes == ["onshi::syntax::too_deep"],
        "{codes:?}"
    );
    assert!(start.elapsed().as_secs() < 10, "took {:?}", start.elapsed());

    // Every depth of a broken chain, quickly.
    for n in 1..=40 {
        let src = format!(
            "入力 a: 真偽\n定義 x: 整数 = {}もし a ならば 1 そうでなけ\n",
            "もし a ならば 1 そうでなければ ".repeat(n)
        );
        let mut files = BTreeMap::new();
        files.insert("policy.onshi".to_string(), src);
        let c = compile(&files, "policy.onshi");
        assert!(!c.diagnostics.is_empty(), "{n}");
    }
    assert!(start.elapsed().as_secs() < 20, "took {:?}", start.elapsed());
}

#[test]
fn suggest_still_finds_close_names() {
    let names = ["申請日", "施設種別", "補助済事業", "モバイル端末費用"];
    assert_eq!(
        onshi_grammar::suggest("申請月日", names).as_deref(),
        Some("申請日")
    );
    assert_eq!(
        onshi_grammar::suggest("施設種類", names).as_deref(),
        Some("施設種別")
    );
    assert_eq!(
        onshi_grammar::suggest("モバイル端末費", names).as_deref(),
        Some("モバイル端末費用")
    );
    assert_eq!(onshi_grammar::suggest(&"申".repeat(100_000), names), None);
    let clipped = onshi_grammar::diagnostic::clip("あいうえお", 3);
    assert_eq!(clipped, "あいう…");
    assert_eq!(onshi_grammar::diagnostic::clip("あいう", 3), "あいう");
}
