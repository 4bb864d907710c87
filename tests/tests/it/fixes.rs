//! The replacement a diagnostic proposes (`Diagnostic::fix`, an editor's quick fix) is data, not
//! read back out of the help text.

use crate::common;
use common::compile_src;

fn fixes(src: &str) -> Vec<(&'static str, Option<String>)> {
    compile_src(src)
        .diagnostics
        .into_iter()
        .map(|d| (d.code, d.fix))
        .collect()
}

#[test]
fn a_misspelt_name_proposes_the_name() {
    let got = fixes("政策 \"t\"\n入力 申請日: 日付\n出力 x: 真偽 = 申請目 > 2025-01-01\n");
    assert_eq!(got, [("onshi::name::unknown", Some("申請日".to_string()))]);
}

#[test]
fn a_day_outside_its_era_proposes_the_same_day_in_its_own_era() {
    let got = fixes("政策 \"t\"\n出力 x: 日付 = 平成31年5月1日\n");
    assert_eq!(got.len(), 1, "{got:?}");
    assert_eq!(got[0].1.as_deref(), Some("令和元年5月1日"), "{got:?}");
}

#[test]
fn no_fix_when_nothing_is_close() {
    let got = fixes("政策 \"t\"\n出力 x: 整数 = まったく別の名前\n");
    assert_eq!(got, [("onshi::name::unknown", None)]);
}
