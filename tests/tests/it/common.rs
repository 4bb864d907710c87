//! Shared helpers: compile policy text held in memory, evaluate it on JSON facts, and read back
//! outputs or diagnostic codes. Each helper panics with the diagnostics when something unexpected
//! happens, so a failing test says why.
#![allow(dead_code)]

use onshi::{compile, Compiled, Lang, Program};
use serde_json::Value as Json;
use std::collections::BTreeMap;

pub const ENTRY: &str = "test.onshi";

/// Compile `src` as the file `test.onshi` (with `extra` files available for `取込`).
pub fn compile_with(src: &str, extra: &[(&str, &str)]) -> Compiled {
    let mut files = BTreeMap::new();
    files.insert(ENTRY.to_string(), src.to_string());
    for (path, text) in extra {
        files.insert((*path).to_string(), (*text).to_string());
    }
    compile(&files, ENTRY)
}

pub fn compile_src(src: &str) -> Compiled {
    compile_with(src, &[])
}

fn describe(c: &Compiled) -> String {
    c.diagnostics
        .iter()
        .map(|d| onshi_cli::render::render(d, &c.sources, Lang::En))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The program, or a panic showing every diagnostic.
pub fn program(src: &str) -> Program {
    let c = compile_src(src);
    match c.program {
        Some(p) => p,
        None => panic!("policy did not compile:\n{src}\n{}", describe(&c)),
    }
}

/// Evaluate `src` on `facts` and return the `outputs` object.
pub fn eval(src: &str, facts: Json) -> Json {
    let p = program(src);
    match p.evaluator().json(&facts) {
        Ok(out) => out.get("outputs").cloned().unwrap_or(Json::Null),
        Err(e) => panic!("evaluation failed: {:?}\n{src}", e),
    }
}

/// The value of output `x` of `src` evaluated on no facts.
pub fn out(src: &str) -> Json {
    eval(src, serde_json::json!({}))
        .get("x")
        .cloned()
        .unwrap_or_else(|| panic!("no output `x` in\n{src}"))
}

/// `出力 x: ty = expr` evaluated on no facts.
pub fn val(ty: &str, expr: &str) -> Json {
    out(&format!("出力 x: {ty} = {expr}\n"))
}

/// The codes of the error diagnostics of compiling `src` (warnings left out).
pub fn errors(src: &str) -> Vec<&'static str> {
    let c = compile_src(src);
    let codes: Vec<&'static str> = c
        .diagnostics
        .iter()
        .filter(|d| d.is_error())
        .map(|d| d.code)
        .collect();
    assert_eq!(
        c.program.is_none(),
        !codes.is_empty(),
        "a program is produced exactly when there is no error"
    );
    codes
}

/// The codes of the warnings of compiling `src`.
pub fn warnings(src: &str) -> Vec<&'static str> {
    compile_src(src)
        .diagnostics
        .iter()
        .filter(|d| !d.is_error())
        .map(|d| d.code)
        .collect()
}

/// The first error code of compiling `src`; panics when it compiles.
pub fn error(src: &str) -> &'static str {
    let codes = errors(src);
    match codes.first() {
        Some(c) => c,
        None => panic!("expected a compile error, but it compiled:\n{src}"),
    }
}

/// The code of the error evaluating `src` on `facts` (facts or evaluation); panics on success.
pub fn run_error(src: &str, facts: Json) -> &'static str {
    let p = program(src);
    match p.evaluator().json(&facts) {
        Ok(out) => panic!("expected an error, got {out}\n{src}"),
        Err(e) => e.to_diagnostic().code,
    }
}

/// The path of a workspace file (tests run with the package directory as working directory).
pub fn workspace_file(rel: &str) -> String {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf();
    std::fs::read_to_string(root.join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// The r7 subsidy policy with its import, from the workspace.
pub fn r7_subsidy() -> Program {
    let mut files = BTreeMap::new();
    for rel in [
        "policies/r7/subsidy.onshi",
        "policies/common/facility.onshi",
    ] {
        files.insert(rel.to_string(), workspace_file(rel));
    }
    let c = compile(&files, "policies/r7/subsidy.onshi");
    match c.program {
        Some(p) => p,
        None => panic!("r7 subsidy does not compile:\n{}", describe(&c)),
    }
}
