//! The VS Code extension agrees with the language: the keyword lists of its TextMate grammar are
//! the grammar's `keyword` rule, its built-in functions and types the checker's; its manifest
//! points at files that exist.

use onshi_lsp::catalog;
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn vscode() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../editors/vscode")
}

fn json(path: &str) -> Value {
    serde_json::from_str(&std::fs::read_to_string(vscode().join(path)).unwrap()).unwrap()
}

/// The words of a `(?<!…)(?:a|b|c)(?!…)` pattern of the grammar's repository.
fn words(grammar: &Value, entry: &str) -> BTreeSet<String> {
    let m = grammar["repository"][entry]["match"].as_str().unwrap();
    let inner = m.split("(?:").nth(1).unwrap().split(")(?!").next().unwrap();
    inner.split('|').map(str::to_string).collect()
}

#[test]
fn textmate_keywords_are_the_grammars() {
    let pest = std::fs::read_to_string(
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../grammar/src/onshi.pest"),
    )
    .unwrap();
    let start = pest.find("\nkeyword = ").unwrap();
    let body = &pest[start..];
    let body = &body[..body.find("\n}").unwrap()];
    let grammar: BTreeSet<String> = body
        .split('"')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect();

    let tm = json("syntaxes/onshi.tmLanguage.json");
    let mut ours = BTreeSet::new();
    for entry in [
        "declaration-keywords",
        "control-keywords",
        "type-keywords",
        "constant-keywords",
    ] {
        ours.extend(words(&tm, entry));
    }
    assert_eq!(ours, grammar);

    let builtins: BTreeSet<String> = catalog::BUILTINS
        .iter()
        .flat_map(|b| [b.ja.to_string(), b.en.to_string()])
        .collect();
    assert_eq!(words(&tm, "builtins"), builtins);
    let types: BTreeSet<String> = onshi::types::BUILTIN_TYPES
        .iter()
        .flat_map(|(ja, en, _)| [ja.to_string(), en.to_string()])
        .collect();
    assert_eq!(words(&tm, "builtin-types"), types);
}

#[test]
fn the_manifest_points_at_its_files() {
    let pkg = json("package.json");
    let c = &pkg["contributes"];
    assert_eq!(c["languages"][0]["id"], "onshi");
    assert_eq!(c["languages"][0]["extensions"][0], ".onshi");
    for path in [
        c["languages"][0]["configuration"].as_str().unwrap(),
        c["grammars"][0]["path"].as_str().unwrap(),
        c["snippets"][0]["path"].as_str().unwrap(),
    ] {
        assert!(vscode().join(path).is_file(), "{path}");
    }
    // `main` is the esbuild bundle `cargo xtask vsix` builds from extension.js (not in the
    // repository; editors/vscode/test/bundle.test.mjs checks the built one).
    assert_eq!(pkg["main"], "./dist/extension.js");
    assert!(vscode().join("extension.js").is_file());
    // Every snippet's body parses as onshi once its placeholders take their defaults.
    let snippets = json("snippets/onshi.json");
    for (name, s) in snippets.as_object().unwrap() {
        assert!(
            s["prefix"].as_array().is_some_and(|p| !p.is_empty()),
            "{name}"
        );
        let body: Vec<&str> = s["body"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_str().unwrap())
            .collect();
        let text = expand(&body.join("\n"));
        // Expression snippets are tried as a definition's body.
        let text = if ["もし", "場合"].contains(&name.as_str()) {
            format!("定義 x = {text}")
        } else {
            text
        };
        let parsed = onshi_grammar::parse(onshi_grammar::ast::FileId(0), &text);
        assert!(
            parsed.errors.is_empty(),
            "snippet {name}:\n{text}\n{:?}",
            parsed.errors
        );
    }
    let conf = json("language-configuration.json");
    assert_eq!(conf["comments"]["lineComment"], "#");
}

/// A snippet body with each placeholder replaced by its default: `${1:名前}` → 名前, `${2|a,b|}`
/// → a, `${2}` → the default of placeholder 2, `$0` → nothing.
fn expand(body: &str) -> String {
    let mut defaults = std::collections::BTreeMap::new();
    let mut text = body.replace("$0", "");
    // Innermost placeholders first, left to right.
    while let Some(start) = text.find("${") {
        let end = start + text[start..].find('}').unwrap();
        let start = text[..end].rfind("${").unwrap();
        let inner = &text[start + 2..end];
        let num: String = inner.chars().take_while(char::is_ascii_digit).collect();
        let rest = &inner[num.len()..];
        let value = if let Some(d) = rest.strip_prefix(':') {
            d.to_string()
        } else if let Some(choices) = rest.strip_prefix('|') {
            choices.split([',', '|']).next().unwrap().to_string()
        } else {
            defaults.get(&num).cloned().unwrap_or_default()
        };
        defaults.entry(num).or_insert_with(|| value.clone());
        text.replace_range(start..=end, &value);
    }
    text + "\n"
}
