//! The hand reader against serde_json's: the same value for every text, an error for every text
//! serde_json refuses, worded the same where the position is the same.

use super::parse;
use serde_json::Value as Json;

fn same(text: &str) {
    let want: Result<Json, _> = serde_json::from_str(text);
    let got = parse(text);
    match (&want, &got) {
        (Ok(w), Ok(g)) => {
            assert_eq!(g, w, "{text}");
            // The same text back: the same keys in the same order, the same number digits.
            assert_eq!(g.to_string(), w.to_string(), "{text}");
        }
        (Err(_), Err(_)) => {}
        _ => panic!("{text}: serde_json {want:?}, hand reader {got:?}"),
    }
}

#[test]
fn reads_what_serde_json_reads() {
    for text in [
        "null",
        " true ",
        "false",
        "0",
        "-0",
        "12",
        "-12",
        "1.5",
        "1e5",
        "1E+05",
        "-2.50e-3",
        "123456789012345678901234567890",
        "\"\"",
        "\"令和7年12月1日\"",
        r#""a\"b\\c\/d\b\f\n\r\t""#,
        r#""\u00e9\u3042\ud83d\ude00""#,
        "[]",
        "[1, \"二\", [true, null], {}]",
        r#"{"受診日":"2025-12-01","提示書類":["マイナ保険証","資格確認書"],"オン資":"導入済","n":3}"#,
        r#"{"a":1,"b":2,"a":3}"#,
        "{ \"x\" : { \"y\" : [ ] } }\n",
    ] {
        same(text);
    }
}

#[test]
fn refuses_what_serde_json_refuses() {
    for text in [
        "",
        " ",
        "nul",
        "tru",
        "x",
        "01",
        "-",
        "1.",
        ".5",
        "1e",
        "+1",
        "\"abc",
        "\"a\u{1}b\"",
        r#""\x""#,
        r#""\u12""#,
        r#""\ud83d""#,
        r#""\ud83dx""#,
        r#""\ud83d\u0041""#,
        "[1,",
        "[1 2]",
        "[1,]",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1,}",
        "{\"a\":1",
        "1 2",
        "[] x",
    ] {
        same(text);
        assert!(parse(text).is_err(), "{text}");
    }
}

#[test]
fn errors_are_worded_as_serde_json_words_them() {
    for text in [
        "x",
        "[1 2]",
        "{1:2}",
        "{\"a\" 1}",
        "1 2",
        "\"a\u{1}b\"",
        r#""\x""#,
    ] {
        let want = serde_json::from_str::<Json>(text).map_err(|e| e.to_string());
        assert_eq!(parse(text), want, "{text}");
    }
}

#[test]
fn nesting_is_bounded_as_serde_json_bounds_it() {
    for depth in [127, 128, 129, 10_000] {
        for (open, close) in [("[", "]"), ("{\"k\":", "}")] {
            let text = format!("{}0{}", open.repeat(depth), close.repeat(depth));
            same(&text);
        }
    }
    let deep = format!("{}0{}", "[".repeat(129), "]".repeat(129));
    assert!(parse(&deep).is_err_and(|e| e.starts_with("recursion limit exceeded")));
}
