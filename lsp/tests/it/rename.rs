//! Rename and find-references started at a use site reach every policy that imports the
//! declaring file, directly or not, open or not — on a copy of the shipped policies outside the
//! repository, with the editor's root the folder of the one open file (as Neovim's set-up gives
//! it) — and a rename to a name that is taken, or that is not a name, is refused with a message in
//! the client's language. Driven over stdio as an editor drives it.

use crate::common;

use common::{pos_of, root, uri, Client};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A copy of `policies/` in a fresh temporary folder; its path.
fn copy_policies(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("onshi-lsp-rename-{tag}-{}", std::process::id()))
        .join("policies");
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["common", "r2", "r7"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        for e in std::fs::read_dir(root().join("policies").join(sub)).unwrap() {
            let e = e.unwrap();
            std::fs::copy(e.path(), dir.join(sub).join(e.file_name())).unwrap();
        }
    }
    dir.canonicalize().unwrap()
}

/// Initialize with the folder of the open file as the root (as `vim.fs.dirname(file)` gives it).
fn start(root_dir: &Path, locale: &str) -> Client {
    let mut c = Client::start(&[]);
    c.result(
        "initialize",
        json!({"processId": null, "rootUri": uri(root_dir), "capabilities": {}, "locale": locale}),
    );
    c.notify("initialized", json!({}));
    c
}

fn at(u: &str, pos: Value) -> Value {
    json!({"textDocument": {"uri": u}, "position": pos})
}

/// Apply a `WorkspaceEdit`'s `changes` to the files on disk (edits of one file, last first).
fn apply(edit: &Value) -> Vec<String> {
    let mut touched = Vec::new();
    for (u, edits) in edit["changes"].as_object().unwrap() {
        let path = u.strip_prefix("file://").unwrap();
        let path = percent_decode(path);
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
        let mut edits: Vec<&Value> = edits.as_array().unwrap().iter().collect();
        edits.sort_by_key(|e| {
            let s = &e["range"]["start"];
            (
                s["line"].as_u64().unwrap(),
                s["character"].as_u64().unwrap(),
            )
        });
        for e in edits.into_iter().rev() {
            let (s, t) = (&e["range"]["start"], &e["range"]["end"]);
            assert_eq!(s["line"], t["line"]);
            let line = &mut lines[s["line"].as_u64().unwrap() as usize];
            let units: Vec<u16> = line.encode_utf16().collect();
            let (a, b) = (
                s["character"].as_u64().unwrap() as usize,
                t["character"].as_u64().unwrap() as usize,
            );
            let new: Vec<u16> = e["newText"].as_str().unwrap().encode_utf16().collect();
            let joined: Vec<u16> = [&units[..a], &new[..], &units[b..]].concat();
            *line = String::from_utf16(&joined).unwrap();
        }
        std::fs::write(&path, lines.join("\n")).unwrap();
        touched.push(path);
    }
    touched.sort();
    touched
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

/// The errors of every policy under `dir` compiled as an entry.
fn errors_under(dir: &Path) -> BTreeMap<String, Vec<String>> {
    struct Disk;
    impl onshi::Files for Disk {
        fn read(&self, path: &str) -> Option<String> {
            std::fs::read_to_string(path).ok()
        }
    }
    let mut out = BTreeMap::new();
    for sub in ["common", "r2", "r7"] {
        for e in std::fs::read_dir(dir.join(sub)).unwrap() {
            let p = e.unwrap().path().to_string_lossy().into_owned();
            let compiled = onshi::compile(&Disk, &p);
            let errs: Vec<String> = compiled
                .diagnostics
                .iter()
                .map(|d| format!("{}: {}", d.code, d.message.get(onshi::Lang::En)))
                .collect();
            if !errs.is_empty() {
                out.insert(p, errs);
            }
        }
    }
    out
}

#[test]
fn rename_from_a_use_site_reaches_every_importer_on_disk() {
    let dir = copy_policies("all");
    // A policy that reads common/facility.onshi through another file only.
    std::fs::write(
        dir.join("common/wrapper.onshi"),
        "取込 \"facility.onshi\"\n定義 既定の種別: 保険医療機関種別 = 病院\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("r7/indirect.onshi"),
        "取込 \"../common/wrapper.onshi\"\n入力 種: 保険医療機関種別\n出力 既定か: 真偽 = 種 = 既定の種別\n",
    )
    .unwrap();
    assert!(
        errors_under(&dir).is_empty(),
        "the copy is clean: {:#?}",
        errors_under(&dir)
    );
    let subsidy = dir.join("r7/subsidy.onshi");
    let text = std::fs::read_to_string(&subsidy).unwrap();
    let u = uri(&subsidy);
    // The editor's root is r7/ (the folder of the open file); r2/ and common/ are not under it.
    let mut c = start(&dir.join("r7"), "ja");
    c.open(&u, &text);
    assert!(c.diagnostics_for(&u).is_empty());
    let use_site = pos_of(&text, "施設種別: 保険医療機関種別", 7);

    // Find references from the use site: every policy that imports common/facility.onshi and
    // names the enumeration, open or not.
    let refs = c.result(
        "textDocument/references",
        json!({"textDocument": {"uri": u}, "position": use_site, "context": {"includeDeclaration": true}}),
    );
    let mut files: Vec<String> = refs
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["uri"].as_str().unwrap().to_string())
        .collect();
    files.sort();
    files.dedup();
    let want: Vec<String> = [
        "common/facility.onshi",
        "common/wrapper.onshi",
        "r2/subsidy.onshi",
        "r7/consent.onshi",
        "r7/indirect.onshi",
        "r7/subsidy.onshi",
    ]
    .iter()
    .map(|f| uri(&dir.join(f)))
    .collect();
    assert_eq!(files, want, "{refs}");
    // Every occurrence once: 2 in facility, 1 in wrapper, 1 in r2/subsidy, 2 in consent, 1 in
    // indirect, 1 in r7/subsidy.
    assert_eq!(refs.as_array().unwrap().len(), 8, "{refs}");

    // prepareRename: the name under the cursor.
    let prep = c.result("textDocument/prepareRename", at(&u, use_site.clone()));
    assert_eq!(prep["placeholder"], "保険医療機関種別", "{prep}");
    assert_eq!(prep["range"]["start"]["line"], use_site["line"]);

    // Rename from the use site: every file edited, every policy still compiles.
    let edit = c.result(
        "textDocument/rename",
        json!({"textDocument": {"uri": u}, "position": use_site, "newName": "医療機関の種別"}),
    );
    let touched = apply(&edit);
    assert_eq!(touched.len(), 6, "{edit}");
    let after = errors_under(&dir);
    assert!(after.is_empty(), "errors after the rename: {after:#?}");
    c.shutdown();
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}

#[test]
fn rename_to_a_taken_name_or_a_non_name_is_refused() {
    let dir = copy_policies("refused");
    let subsidy = dir.join("r7/subsidy.onshi");
    let text = std::fs::read_to_string(&subsidy).unwrap();
    let u = uri(&subsidy);
    let rename = |c: &mut Client, needle: &str, delta: u32, new: &str| {
        c.request(
            "textDocument/rename",
            json!({"textDocument": {"uri": u}, "position": pos_of(&text, needle, delta), "newName": new}),
        )
    };
    let message = |r: &Value| -> String {
        assert!(r.get("result").is_none_or(Value::is_null), "{r}");
        r["error"]["message"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };

    // The line a declaration starts on, in the copy (the messages name it).
    let line_of = |file: &str, start: &str| -> usize {
        let t = std::fs::read_to_string(dir.join(file)).unwrap();
        t.lines().position(|l| l.starts_with(start)).unwrap() + 1
    };
    let facility = line_of("common/facility.onshi", "列挙 施設種別 ");
    let verdicts = line_of("r7/obligation.onshi", "列挙 判定区分 ");
    let applied = line_of("r7/subsidy.onshi", "入力 申請日:");
    let mut c = start(&dir, "ja");
    c.open(&u, &text);
    assert!(c.diagnostics_for(&u).is_empty());
    // An enumeration to the name of another enumeration (declared in the imported file).
    let m = message(&rename(&mut c, "施設種別: 保険医療機関種別", 7, "施設種別"));
    assert!(
        m.contains("`施設種別` という列挙がすでにあります")
            && m.contains(&format!("facility.onshi:{facility}")),
        "{m}"
    );
    assert!(m.contains("onshi::lsp::rename_conflict"), "{m}");
    // … or of an enumeration of a policy that imports the declaring file without naming the
    // symbol (r7/obligation.onshi, not open): the two would clash there.
    let m = message(&rename(&mut c, "施設種別: 保険医療機関種別", 7, "判定区分"));
    assert!(
        m.contains(&format!("r7/obligation.onshi:{verdicts}")),
        "{m}"
    );
    // An output to the name of an input.
    let m = message(&rename(&mut c, "出力 申請期限", 4, "申請日"));
    assert!(m.contains("`申請日` という入力がすでにあります"), "{m}");
    // Not a name: a keyword, an amount.
    let m = message(&rename(&mut c, "出力 申請期限", 4, "もし"));
    assert!(m.contains("`もし` は名前として使えません"), "{m}");
    let m = message(&rename(&mut c, "出力 申請期限", 4, "1円"));
    assert!(m.contains("onshi::lsp::rename_invalid"), "{m}");
    // The same kind of name in another namespace is fine: an output named like an enumeration
    // (`出力 補助区分: 補助区分` is in the shipped policy).
    let ok = rename(&mut c, "出力 申請期限", 4, "保険医療機関種別");
    assert!(ok.get("error").is_none(), "{ok}");
    // Nothing to rename on a keyword.
    let prep = c.request(
        "textDocument/prepareRename",
        at(&u, pos_of(&text, "出力 申請期限", 0)),
    );
    assert!(prep.get("error").is_some(), "{prep}");
    c.shutdown();

    // In English with an English client.
    let mut c = start(&dir, "en-US");
    c.open(&u, &text);
    let m = message(&rename(&mut c, "出力 申請期限", 4, "申請日"));
    assert!(
        m.starts_with(&format!(
            "`申請日` is already the name of the input at r7/subsidy.onshi:{applied}"
        )),
        "{m}"
    );
    let m = message(&rename(&mut c, "出力 申請期限", 4, "もし"));
    assert!(m.contains("cannot be a name"), "{m}");
    c.shutdown();
    let _ = std::fs::remove_dir_all(dir.parent().unwrap());
}
