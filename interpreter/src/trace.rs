//! Explanations: what each output was computed from — the inputs read, the definitions used, the
//! table rows that matched, the rule (原則/例外) that applied and the ones that did not — each with
//! its line and its 出典. Built as JSON (the `trace` member of `onshi eval --format json`); the text
//! form of `--explain` is rendered from that same tree.

use crate::eval::{DefResults, Tracer};
use crate::program::{Cite, Program};
use crate::sources::SourceMap;
use crate::value::Value;
use onshi_grammar::ast::{RuleKind, Span};
use serde_json::{json, Map, Value as Json};
use std::collections::HashSet;

/// How many definitions deep an explanation tree goes; below that a definition is shown with its
/// value but not what it was computed from (`"truncated": true`). Building, printing and reading
/// the tree recurse once per level, and a chain of definitions can be as long as the program
/// (the stack cannot grow in WASM); no person reads an explanation this deep.
pub const MAX_EXPLAIN_DEPTH: usize = 64;

/// What one definition read while it was evaluated (only the branches taken).
#[derive(Clone, Debug, Default)]
pub struct DefRecord {
    pub inputs: Vec<u32>,
    pub defs: Vec<u32>,
    pub rows: Vec<(u32, u32)>,
    /// (applicable, winners) for a definition written as rules.
    pub rules: Option<(u128, u128)>,
}

/// The tracer behind explanations.
#[derive(Clone, Debug, Default)]
pub struct Recorder {
    current: Option<usize>,
    pub defs: Vec<DefRecord>,
}

impl Recorder {
    pub fn new(defs: usize) -> Recorder {
        Recorder {
            current: None,
            defs: vec![DefRecord::default(); defs],
        }
    }
    fn cur(&mut self) -> Option<&mut DefRecord> {
        self.current.and_then(|c| self.defs.get_mut(c))
    }
}

fn push_unique(v: &mut Vec<u32>, x: u32) {
    if !v.contains(&x) {
        v.push(x);
    }
}

impl Tracer for Recorder {
    fn enter(&mut self, def: u32) {
        self.current = Some(def as usize);
    }
    fn input(&mut self, i: u32) {
        if let Some(r) = self.cur() {
            push_unique(&mut r.inputs, i);
        }
    }
    fn def(&mut self, i: u32) {
        if let Some(r) = self.cur() {
            push_unique(&mut r.defs, i);
        }
    }
    fn row(&mut self, table: u32, row: u32) {
        if let Some(r) = self.cur() {
            if !r.rows.contains(&(table, row)) {
                r.rows.push((table, row));
            }
        }
    }
    fn rules(&mut self, applicable: u128, winners: u128) {
        if let Some(r) = self.cur() {
            r.rules = Some((applicable, winners));
        }
    }
}

/// Builds explanation trees for one evaluation.
pub struct Explainer<'a> {
    pub program: &'a Program,
    pub sources: &'a SourceMap,
    pub record: &'a Recorder,
    pub results: &'a DefResults,
    pub inputs: &'a [Value],
}

impl Explainer<'_> {
    /// `{output name: tree}` for every output.
    pub fn outputs(&self) -> Json {
        let mut map = Map::new();
        for &o in &self.program.outputs {
            let mut seen = HashSet::new();
            if let Some(d) = self.program.defs.get(o as usize) {
                map.insert(d.name.clone(), self.def_node(o, &mut seen, 1));
            }
        }
        Json::Object(map)
    }

    fn at(&self, span: Span) -> Json {
        let (line, column) = self.sources.line_col(span);
        let file = self.sources.get(span.file).map_or("", |f| f.path.as_str());
        json!({ "file": file, "line": line, "column": column })
    }

    fn cites(&self, cites: &[Cite]) -> Json {
        self.program.cites_json(cites)
    }

    fn def_node(&self, i: u32, seen: &mut HashSet<u32>, depth: usize) -> Json {
        let p = self.program;
        let Some(def) = p.defs.get(i as usize) else {
            return Json::Null;
        };
        let mut node = Map::new();
        node.insert(
            "kind".into(),
            json!(if def.output { "output" } else { "definition" }),
        );
        node.insert("name".into(), json!(def.name));
        match self.results.get(i as usize).cloned().flatten() {
            Some(Ok(v)) => {
                node.insert("value".into(), p.value_to_json(&v, &def.ty));
                node.insert("text".into(), json!(p.value_to_text(&v, &def.ty)));
            }
            Some(Err(e)) => {
                node.insert("error".into(), json!(e.code()));
            }
            None => {}
        }
        node.insert("at".into(), self.at(def.span));
        node.insert("sources".into(), self.cites(&def.cites));
        if depth > MAX_EXPLAIN_DEPTH && !seen.contains(&i) {
            node.insert("truncated".into(), json!(true));
            return Json::Object(node);
        }
        if !seen.insert(i) {
            node.insert("repeated".into(), json!(true));
            return Json::Object(node);
        }
        let Some(rec) = self.record.defs.get(i as usize) else {
            return Json::Object(node);
        };
        if let Some((applicable, winners)) = rec.rules {
            let rule = |k: usize| {
                let info = def.rules.get(k)?;
                Some(json!({
                    "kind": match info.kind { RuleKind::Principle => "原則", RuleKind::Exception => "例外" },
                    "label": info.label,
                    "applicable": k < 128 && applicable & (1u128 << k) != 0,
                    "at": self.at(info.span),
                    "sources": self.cites(&info.cites),
                }))
            };
            let (applied, not): (Vec<usize>, Vec<usize>) =
                (0..def.rules.len()).partition(|k| *k < 128 && winners & (1u128 << k) != 0);
            node.insert(
                "rules".into(),
                json!({
                    "applied": applied.into_iter().filter_map(rule).collect::<Vec<_>>(),
                    "not_applied": not.into_iter().filter_map(rule).collect::<Vec<_>>(),
                }),
            );
        }
        if !rec.rows.is_empty() {
            let rows: Vec<Json> = rec
                .rows
                .iter()
                .filter_map(|(t, r)| {
                    let table = p.tables.get(*t as usize)?;
                    let row = table.rows.get(*r as usize)?;
                    Some(json!({
                        "table": table.name,
                        "row": r + 1,
                        "at": self.at(row.span),
                        "sources": self.cites(&table.cites),
                    }))
                })
                .collect();
            node.insert("rows".into(), Json::Array(rows));
        }
        let mut uses: Vec<Json> = Vec::new();
        for &inp in &rec.inputs {
            if let (Some(input), Some(v)) =
                (p.inputs.get(inp as usize), self.inputs.get(inp as usize))
            {
                uses.push(json!({
                    "kind": "input",
                    "name": input.name,
                    "value": p.value_to_json(v, &input.ty),
                    "text": p.value_to_text(v, &input.ty),
                    "at": self.at(input.span),
                    "sources": self.cites(&input.cites),
                }));
            }
        }
        for &d in &rec.defs {
            uses.push(self.def_node(d, seen, depth + 1));
        }
        node.insert("uses".into(), Json::Array(uses));
        Json::Object(node)
    }
}

/// The text form of an explanation tree (for `onshi eval --explain`).
pub fn render_text(node: &Json, out: &mut String) {
    line(node, "", "", out);
}

fn kind_word(kind: &str) -> &str {
    match kind {
        "output" => "出力",
        "definition" => "定義",
        "input" => "入力",
        _ => kind,
    }
}

fn at_text(at: &Json) -> String {
    format!(
        "{}:{}",
        at.get("file").and_then(Json::as_str).unwrap_or(""),
        at.get("line").and_then(Json::as_u64).unwrap_or(0)
    )
}

/// Each citation as lines: where (`出典 名前（文書）箇所`), then each quoted passage on a line of its
/// own, indented, so the source's words stand apart from the location.
fn sources_text(sources: &Json) -> Vec<String> {
    sources
        .as_array()
        .map(|a| {
            a.iter()
                .flat_map(|s| {
                    let name = s.get("source").and_then(Json::as_str).unwrap_or("");
                    let doc = s.get("document").and_then(Json::as_str).unwrap_or("");
                    let external = if s.get("external").and_then(Json::as_bool) == Some(true) {
                        "外部: "
                    } else {
                        ""
                    };
                    let mut lines = vec![format!("出典 {name}（{external}{doc}）")];
                    if let (Some(place), Some(first)) =
                        (s.get("place").and_then(Json::as_str), lines.first_mut())
                    {
                        first.push_str(place);
                    }
                    lines.extend(
                        s.get("passages")
                            .and_then(Json::as_array)
                            .into_iter()
                            .flatten()
                            .filter_map(Json::as_str)
                            .map(|p| format!("  「{p}」")),
                    );
                    lines
                })
                .collect()
        })
        .unwrap_or_default()
}

fn line(node: &Json, first: &str, rest: &str, out: &mut String) {
    let get = |k: &str| node.get(k).and_then(Json::as_str).unwrap_or("");
    let value = match node.get("error").and_then(Json::as_str) {
        Some(code) => format!("エラー {code}"),
        None => get("text").to_string(),
    };
    let repeated = if node.get("repeated").is_some() {
        "（上と同じ）"
    } else if node.get("truncated").is_some() {
        "（これより深い説明は省略）"
    } else {
        ""
    };
    out.push_str(&format!(
        "{first}{} = {value}  〔{}〕 {}{repeated}\n",
        get("name"),
        kind_word(get("kind")),
        node.get("at").map(at_text).unwrap_or_default()
    ));
    let mut notes: Vec<String> = Vec::new();
    notes.extend(node.get("sources").map(sources_text).unwrap_or_default());
    if let Some(rules) = node.get("rules") {
        for (key, word) in [("applied", "適用"), ("not_applied", "不適用")] {
            for r in rules
                .get(key)
                .and_then(Json::as_array)
                .into_iter()
                .flatten()
            {
                let label = r.get("label").and_then(Json::as_str).unwrap_or("");
                let kind = r.get("kind").and_then(Json::as_str).unwrap_or("");
                let why = if key == "not_applied" {
                    if r.get("applicable").and_then(Json::as_bool) == Some(true) {
                        "（当てはまるが、より優先される規則がある）"
                    } else {
                        "（条件に当てはまらない）"
                    }
                } else {
                    ""
                };
                notes.push(format!(
                    "{word}: {kind} {label}{why} {}",
                    r.get("at").map(at_text).unwrap_or_default()
                ));
                for c in r.get("sources").map(sources_text).unwrap_or_default() {
                    notes.push(format!("  {c}"));
                }
            }
        }
    }
    for r in node
        .get("rows")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        notes.push(format!(
            "表 {} の {} 行目 {}",
            r.get("table").and_then(Json::as_str).unwrap_or(""),
            r.get("row").and_then(Json::as_u64).unwrap_or(0),
            r.get("at").map(at_text).unwrap_or_default()
        ));
        for c in r.get("sources").map(sources_text).unwrap_or_default() {
            notes.push(format!("  {c}"));
        }
    }
    let uses = node
        .get("uses")
        .and_then(Json::as_array)
        .cloned()
        .unwrap_or_default();
    let bar = if uses.is_empty() { "   " } else { "│  " };
    for n in notes {
        out.push_str(&format!("{rest}{bar}· {n}\n"));
    }
    for (k, child) in uses.iter().enumerate() {
        let last = k + 1 == uses.len();
        let (f, r) = if last {
            ("└─ ", "   ")
        } else {
            ("├─ ", "│  ")
        };
        line(child, &format!("{rest}{f}"), &format!("{rest}{r}"), out);
    }
}
