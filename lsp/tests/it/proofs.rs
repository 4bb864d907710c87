//! The proofs in the editor: the fast diagnostics first, then, off the keystroke path, the
//! findings of `onshi check`'s proofs merged in (a rule conflict with both rules' spans); a
//! version that changed again before its proofs finished never shows their findings; without a
//! solver, one log line says the proofs are off and nothing is claimed. Run when z3 or cvc5 is
//! installed (`cargo xtask solvers`); the no-solver test always runs.

use crate::common::{uri, Client};
use serde_json::{json, Value};

const CONFLICT: &str = "列挙 判定区分 = 施行前 | 義務 | 義務化対象外 | 経過措置
入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
出力 判定: 判定区分
  原則 義務化: 義務
  例外 紙レセプト: もし 紙レセプト請求 ならば 義務化対象外
  例外 経過措置中: もし 届出済 ならば 経過措置
";

/// The same policy with the conflict resolved: 紙レセプト wins over 経過措置中.
fn resolved() -> String {
    CONFLICT.replace("例外 紙レセプト:", "例外 紙レセプト > 経過措置中:")
}

fn policy(name: &str) -> (std::path::PathBuf, String) {
    let dir = std::env::temp_dir().join(format!("onshi-lsp-proofs-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("判定.onshi");
    std::fs::write(&path, CONFLICT).unwrap();
    let u = uri(&path);
    (dir, u)
}

fn solver() -> bool {
    let there = onshi_solver::Backend::detect().is_some();
    if !there {
        eprintln!("skipped: no z3 or cvc5 on PATH (cargo xtask solvers installs them)");
    }
    there
}

fn codes(publish: &Value) -> Vec<String> {
    publish["params"]["diagnostics"]
        .as_array()
        .map(|ds| {
            ds.iter()
                .filter_map(|d| d["code"].as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

fn for_uri<'a>(publishes: &'a [Value], u: &str) -> Vec<&'a Value> {
    publishes
        .iter()
        .filter(|p| p["params"]["uri"] == u)
        .collect()
}

fn change(c: &mut Client, u: &str, version: i64, text: &str) {
    c.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": u, "version": version}, "contentChanges": [{"text": text}]}),
    );
}

#[test]
fn a_conflict_shows_after_the_fast_diagnostics_with_both_rules() {
    if !solver() {
        return;
    }
    let (dir, u) = policy("conflict");
    let mut c = Client::start(&["--lang", "en"]);
    c.initialize("en");
    c.open(&u, CONFLICT);
    let (log, seen) = c.until("window/logMessage");
    let seen = for_uri(&seen, &u);
    // First the fast diagnostics, without any proof finding.
    let first = seen.first().expect("the fast diagnostics");
    assert!(codes(first).is_empty(), "{first}");
    // Then the merged set, with the conflict.
    let last = seen.last().unwrap();
    let diags = last["params"]["diagnostics"].as_array().unwrap();
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::proof::conflict")
        .unwrap_or_else(|| panic!("no conflict in {last}"));
    assert_eq!(d["severity"], 2, "a warning");
    // Both rules: one the diagnostic's range, the other its related information.
    let lines = [
        d["range"]["start"]["line"].as_u64().unwrap(),
        d["relatedInformation"][0]["location"]["range"]["start"]["line"]
            .as_u64()
            .unwrap(),
    ];
    let mut sorted = lines;
    sorted.sort();
    assert_eq!(sorted, [5, 6], "the two exceptions' lines: {d}");
    assert_eq!(d["relatedInformation"][0]["location"]["uri"], u.as_str());
    let message = d["message"].as_str().unwrap();
    assert!(
        message.contains("事実 紙レセプト請求 = 真, 届出済 = 真"),
        "{message}"
    );
    let log = log["params"]["message"].as_str().unwrap();
    assert!(log.contains("1 found"), "{log}");

    // Resolved: the finding goes, the next proofs say the output is proved.
    change(&mut c, &u, 2, &resolved());
    let (log, seen) = c.until("window/logMessage");
    let seen = for_uri(&seen, &u);
    assert!(!seen.is_empty());
    assert!(seen.iter().all(|p| codes(p).is_empty()), "{seen:?}");
    let log = log["params"]["message"].as_str().unwrap();
    assert!(
        log.contains("rule conflicts (") && log.contains("1 output(s) proved, 0 found"),
        "{log}"
    );
    c.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn proofs_of_a_version_changed_again_are_never_shown() {
    if !solver() {
        return;
    }
    let (dir, u) = policy("stale");
    let mut c = Client::start(&["--lang", "en"]);
    c.initialize("en");
    // The conflict, fixed at once: its proofs are dropped (or, when they ran, ignored).
    c.open(&u, CONFLICT);
    change(&mut c, &u, 2, &resolved());
    let (log, seen) = c.until("window/logMessage");
    let seen = for_uri(&seen, &u);
    assert!(seen.len() >= 2, "a fast publish per version: {seen:?}");
    assert!(seen.iter().all(|p| codes(p).is_empty()), "{seen:?}");
    let log = log["params"]["message"].as_str().unwrap();
    assert!(log.contains("0 found"), "{log}");
    // And back: the conflict is found again on the new version.
    change(&mut c, &u, 3, CONFLICT);
    let (_, seen) = c.until("window/logMessage");
    let last = *for_uri(&seen, &u).last().unwrap();
    assert_eq!(codes(last), ["onshi::proof::conflict"], "{last}");
    c.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn without_a_solver_proofs_are_off_and_said_so() {
    let (dir, u) = policy("off");
    let bin = env!("CARGO_BIN_EXE_onshi-lsp");
    let none = std::ffi::OsStr::new("none");
    let mut c = Client::start_bin(bin, &["--lang", "en"], &[("ONSHI_SOLVER", none)]);
    c.initialize("en");
    let (log, _) = c.until("window/logMessage");
    let log = log["params"]["message"].as_str().unwrap();
    assert!(log.contains("proofs are off"), "{log}");
    assert!(!log.contains("proved"), "claims nothing: {log}");
    c.open(&u, CONFLICT);
    let diags = c.diagnostics_for(&u);
    assert!(diags.is_empty(), "{diags:?}");
    // A request answered after the open: still no proof finding and no further log line.
    c.result(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": u}}),
    );
    assert!(
        c.notifications
            .iter()
            .all(|n| n["method"] != "window/logMessage"
                && !codes(n).iter().any(|c| c.starts_with("onshi::proof"))),
        "{:?}",
        c.notifications
    );
    c.shutdown();
    let _ = std::fs::remove_dir_all(dir);
}
