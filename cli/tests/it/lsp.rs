//! `onshi lsp` (the CLI's shell over onshi-lsp) driven over stdio: on policies outside the
//! repository, a diagnostic's code links to a page an editor can open (a `file:` URI of the page
//! `onshi explain-error <code>` prints, written by the server, in the client's language), and the
//! `--max-…` limits the limit diagnostics suggest are accepted, as `onshi check` accepts them.

#[path = "../../../lsp/tests/it/common.rs"]
mod client;

use client::{uri, Client};
use std::path::{Path, PathBuf};
use std::process::Command;

const ONSHI: &str = env!("CARGO_BIN_EXE_onshi");

/// A fresh folder outside the repository.
fn scratch(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onshi-cli-lsp-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.canonicalize().unwrap()
}

fn explain(code: &str, lang: &str) -> String {
    let out = Command::new(ONSHI)
        .args(["--lang", lang, "explain-error", code])
        .output()
        .unwrap();
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// The file a `file:` URI names.
fn path_of(href: &str) -> PathBuf {
    let p = href.strip_prefix("file://").expect("a file: URI");
    let bytes = p.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&p[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    PathBuf::from(String::from_utf8(out).unwrap())
}

fn open_and_diagnose(c: &mut Client, file: &Path, text: &str) -> Vec<serde_json::Value> {
    std::fs::write(file, text).unwrap();
    c.open(&uri(file), text);
    c.diagnostics_for(&uri(file))
}

#[test]
fn diagnostic_links_open_outside_the_repository() {
    let dir = scratch("links");
    let cache = dir.join("cache");
    let policy = dir.join("方針.onshi");
    let text = "入力 申請日: 日付\n出力 可: 真偽 = 申請日 <= 申請期現\n";
    for (locale, lang, words) in [("ja", "ja", "## 日本語"), ("en-US", "en", "## English")] {
        let mut c = Client::start_bin(ONSHI, &["lsp"], &[("XDG_CACHE_HOME", cache.as_os_str())]);
        c.initialize_at(&dir, locale);
        let diags = open_and_diagnose(&mut c, &policy, text);
        let d = diags
            .iter()
            .find(|d| d["code"] == "onshi::name::unknown")
            .unwrap_or_else(|| panic!("{diags:?}"));
        let href = d["codeDescription"]["href"]
            .as_str()
            .unwrap_or_else(|| panic!("a link: {d}"));
        let page = path_of(href);
        assert!(page.starts_with(&cache), "{href}");
        assert!(
            page.ends_with(format!("{lang}/onshi-name-unknown.md")),
            "{href}"
        );
        let written = std::fs::read_to_string(&page).unwrap();
        assert_eq!(written, explain("onshi::name::unknown", lang));
        assert!(written.contains(words), "{written}");
        c.shutdown();
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn lsp_accepts_the_limits_its_messages_suggest() {
    let dir = scratch("limits");
    let policy = dir.join("多い.onshi");
    let text = "定義 a: 整数 = 1\n定義 b: 整数 = 2\n出力 c: 整数 = a + b\n";
    let mut c = Client::start_bin(
        ONSHI,
        &["lsp", "--max-definitions", "2", "--max-steps", "1000"],
        &[("XDG_CACHE_HOME", dir.join("cache").as_os_str())],
    );
    c.initialize_at(&dir, "en");
    let diags = open_and_diagnose(&mut c, &policy, text);
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::limit::definitions")
        .unwrap_or_else(|| panic!("{diags:?}"));
    assert!(
        d["message"].as_str().unwrap().contains("--max-definitions"),
        "{d}"
    );
    c.shutdown();
    // Without the flag, the same policy is clean; a value out of range is refused at start.
    let mut c = Client::start_bin(
        ONSHI,
        &["lsp"],
        &[("XDG_CACHE_HOME", dir.join("cache").as_os_str())],
    );
    c.initialize_at(&dir, "en");
    assert!(open_and_diagnose(&mut c, &policy, text).is_empty());
    c.shutdown();
    let bad = Command::new(ONSHI)
        .args(["lsp", "--max-definitions", "0"])
        .output()
        .unwrap();
    assert!(!bad.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
