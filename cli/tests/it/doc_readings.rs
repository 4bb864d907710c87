//! `onshi doc`: the section of a policy's readings (解釈) that approvers sign off — the passages
//! on each side, the adopted 案, and for every other 案 the facts it changes (onshi diff's groups),
//! pinned as a snapshot of the section for r7/subsidy (searched only: no solver, so the snapshot
//! does not depend on the machine).

/// The policy's page written by `onshi doc`, in `lang`, with no solver (`ONSHI_SOLVER=none`): the
/// page then says the same on every machine, whichever of z3 and cvc5 (or none) is installed (the
/// proofs' own lines are tested in `check_proofs.rs` and the solver crate).
fn page(tag: &str, policy: &str, lang: &str, file: &str) -> String {
    let dir = std::env::temp_dir().join(format!("onshi-doc-readings-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = crate::common::onshi_command(&["doc", policy, "--lang", lang, "--out"])
        .arg(&dir)
        .env("ONSHI_SOLVER", "none")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let html = std::fs::read_to_string(dir.join(file)).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    html
}

fn section(html: &str) -> &str {
    let start = html
        .find("<section id=\"readings\">")
        .expect("a readings section");
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn the_subsidy_readings_section() {
    let html = page("ja", "policies/r7/subsidy.onshi", "ja", "subsidy.html");
    let s = section(&html);
    // Both readings, each 案 with its passages, the adopted one marked, the others' affected facts.
    assert_eq!(s.matches("<article class=\"reading\">").count(), 2);
    assert_eq!(
        s.matches("<span class=\"badge pass\">採用</span>").count(),
        2
    );
    assert!(s.contains("「令和8年1月31日まで」"));
    assert!(s.contains("申請期限: 事業 = 外来診療等"));
    assert!(s.contains("採用の承認（氏名・日付）"));
    assert!(html.contains("<a href=\"#readings\">"));
    insta::assert_snapshot!("subsidy_readings_section", s);
}

#[test]
fn a_policy_without_readings_has_no_section() {
    let html = page("none", "policies/r2/subsidy.onshi", "en", "subsidy.html");
    assert!(!html.contains("id=\"readings\""));
}
