//! Completion: table columns after `.`; the variants (and groups) of the enumeration a value is
//! expected of (after `x =`, `x ≠`, `x ∈ {`, in a `場合 x {` arm, in a table cell of an enumeration
//! column, after `既定` of an enumeration input); source names after `出典`; otherwise keywords
//! (Japanese with their English aliases), built-ins, types and every name in scope.

use crate::analysis::Analysis;
use crate::catalog;
use crate::hover::word_at;
use crate::index::{Index, Kind};
use lsp_types::{CompletionItem, CompletionItemKind};
use onshi_grammar::ast::{FileId, Item, TableResult, TypeExpr};

pub fn complete(a: &Analysis, file: FileId, offset: usize) -> Vec<CompletionItem> {
    let text = a.text(file);
    let offset = offset.min(text.len());
    // The part of the word already typed.
    let start = match word_at(text, offset) {
        Some((_, (s, _))) if s < offset => s,
        _ => offset,
    };
    let before = text.get(..start).unwrap_or("");
    let line = before.rsplit('\n').next().unwrap_or("");
    let ix = &a.index;

    if let Some(rest) = before.strip_suffix('.') {
        return columns(ix, table_before(a, rest));
    }
    let trimmed = line.trim_end();
    if trimmed.ends_with("出典") || trimmed.ends_with("source") {
        return of_kind(ix, |k| k == Kind::Source, CompletionItemKind::REFERENCE);
    }
    if let Some(given) = binding_name(before) {
        let pick = |k: Kind| match given {
            true => k == Kind::Input,
            false => matches!(k, Kind::Def | Kind::Output),
        };
        let mut items = of_kind(ix, pick, CompletionItemKind::VARIABLE);
        items
            .iter_mut()
            .for_each(|i| i.sort_text = Some(format!("0{}", i.label)));
        return items;
    }
    if let Some(e) = expected_enum(a, file, start, line) {
        let mut items: Vec<CompletionItem> = ix
            .members(e)
            .map(|(_, s)| item(&s.name, kind_of(s.kind), Some(s.kind.word(false))))
            .collect();
        items
            .iter_mut()
            .for_each(|i| i.sort_text = Some(format!("0{}", i.label)));
        items.extend(general(ix));
        return items;
    }
    general(ix)
}

fn item(label: &str, kind: CompletionItemKind, detail: Option<&str>) -> CompletionItem {
    CompletionItem {
        label: label.to_string(),
        kind: Some(kind),
        detail: detail.map(str::to_string),
        sort_text: Some(format!("1{label}")),
        ..Default::default()
    }
}

fn kind_of(k: Kind) -> CompletionItemKind {
    match k {
        Kind::Input => CompletionItemKind::VARIABLE,
        Kind::Def | Kind::Output => CompletionItemKind::FUNCTION,
        Kind::Enum => CompletionItemKind::ENUM,
        Kind::Variant => CompletionItemKind::ENUM_MEMBER,
        Kind::Group => CompletionItemKind::CONSTANT,
        Kind::Table => CompletionItemKind::STRUCT,
        Kind::Column { .. } => CompletionItemKind::FIELD,
        Kind::Source => CompletionItemKind::REFERENCE,
        Kind::Rule => CompletionItemKind::METHOD,
    }
}

fn of_kind(
    ix: &Index,
    pick: impl Fn(Kind) -> bool,
    kind: CompletionItemKind,
) -> Vec<CompletionItem> {
    let mut seen = std::collections::BTreeSet::new();
    ix.symbols
        .iter()
        .filter(|s| pick(s.kind) && seen.insert(s.name.clone()))
        .map(|s| item(&s.name, kind, Some(s.kind.word(false))))
        .collect()
}

/// Keywords, built-ins, types and the names of the compilation.
fn general(ix: &Index) -> Vec<CompletionItem> {
    let mut out = Vec::new();
    for k in catalog::KEYWORDS {
        for w in k.ja.into_iter().chain(k.en) {
            let mut i = item(w, CompletionItemKind::KEYWORD, Some(k.doc));
            i.sort_text = Some(format!("3{w}"));
            out.push(i);
        }
    }
    for b in catalog::BUILTINS {
        let signature = b.signature_text();
        for w in [b.ja, b.en] {
            let mut i = item(w, CompletionItemKind::FUNCTION, Some(&signature));
            i.sort_text = Some(format!("2{w}"));
            out.push(i);
        }
    }
    for (ja, en, _) in onshi::types::BUILTIN_TYPES {
        for w in [*ja, *en] {
            let mut i = item(w, CompletionItemKind::TYPE_PARAMETER, Some("型"));
            i.sort_text = Some(format!("2{w}"));
            out.push(i);
        }
    }
    out.extend(of_kind(
        ix,
        |k| !matches!(k, Kind::Column { .. } | Kind::Rule | Kind::Source),
        CompletionItemKind::VARIABLE,
    ));
    // The kind of each name, not only "variable".
    for i in &mut out {
        if i.kind == Some(CompletionItemKind::VARIABLE) {
            if let Some(s) = ix
                .named(&i.label, |_| true)
                .first()
                .and_then(|&n| ix.get(n))
            {
                i.kind = Some(kind_of(s.kind));
            }
        }
    }
    out
}

/// The result columns of `table`, or of every table when it is not known.
fn columns(ix: &Index, table: Option<usize>) -> Vec<CompletionItem> {
    let mut seen = std::collections::BTreeSet::new();
    ix.symbols
        .iter()
        .filter(|s| s.kind == (Kind::Column { key: false }))
        .filter(|s| table.is_none() || s.parent == table)
        .filter(|s| seen.insert(s.name.clone()))
        .map(|s| item(&s.name, CompletionItemKind::FIELD, Some(s.kind.word(false))))
        .collect()
}

/// Inside an example (`例 "…" 事実 x = 1, … 期待 y = 2`), where a binding's name goes: `Some(true)`
/// after `事実` (an input), `Some(false)` after `期待` (a definition or output).
fn binding_name(before: &str) -> Option<bool> {
    // The declaration the cursor is in: from the last line that starts at column 0.
    let decl_start = before
        .match_indices('\n')
        .map(|(i, _)| i + 1)
        .rfind(|&i| {
            before
                .get(i..)
                .is_some_and(|r| r.starts_with(|c: char| !c.is_whitespace() && c != '#'))
        })
        .unwrap_or(0);
    let decl = before.get(decl_start..)?;
    if !(decl.starts_with("例") || decl.starts_with("example")) {
        return None;
    }
    let last = |words: [&str; 2]| words.iter().filter_map(|w| decl.rfind(w)).max();
    let (given, expect) = (last(["事実", "given"]), last(["期待", "expect"]));
    let (at, is_given) = match (given, expect) {
        (Some(g), Some(e)) if e > g => (e, false),
        (Some(g), _) => (g, true),
        (None, Some(e)) => (e, false),
        (None, None) => return None,
    };
    // A name goes right after the keyword or after a `,`, or at the start of a continuation line.
    let tail = decl.get(at..)?;
    let segment = tail.rsplit([',', '\n']).next().unwrap_or(tail);
    let segment = segment.trim_start();
    let segment = ["事実", "given", "期待", "expect"]
        .iter()
        .find_map(|k| segment.strip_prefix(k))
        .unwrap_or(segment);
    (!segment.contains('=')).then_some(is_given)
}

/// The table of `補助内容(事業, 区分)` or of a name whose type is a table row, just before a `.`.
fn table_before(a: &Analysis, text: &str) -> Option<usize> {
    let ix = &a.index;
    let text = text.trim_end();
    let name_end = if let Some(inner) = text.strip_suffix(')') {
        // Back to the matching `(`.
        let mut depth = 1usize;
        let mut cut = None;
        for (i, c) in inner.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' => {
                    depth -= 1;
                    if depth == 0 {
                        cut = Some(i);
                        break;
                    }
                }
                _ => {}
            }
        }
        inner.get(..cut?)?
    } else {
        text
    };
    let (name, _) = word_at(name_end, name_end.len())?;
    if let Some(&t) = ix.named(name, |s| s.kind == Kind::Table).first() {
        return Some(t);
    }
    // A definition of a row type: `定義 内容: 補助内容 = …`.
    let p = a.program()?;
    let def = p.defs().iter().find(|d| d.name == name)?;
    let onshi::Type::Row(t) = def.ty.strip_optional() else {
        return None;
    };
    let table = p.tables().get(t.0 as usize)?;
    ix.named(&table.name, |s| s.kind == Kind::Table)
        .first()
        .copied()
}

/// The enumeration a value is expected of at `offset`.
fn expected_enum(a: &Analysis, file: FileId, offset: usize, line: &str) -> Option<usize> {
    // `x = `, `x ≠ `, `x ∈ {a, `: the enumeration of x's type.
    let ops = ["==", "!=", "=", "≠", "∈", "∉", " in ", "既定", "default"];
    let cut = ops
        .iter()
        .filter_map(|op| line.rfind(op).map(|i| (i, *op)))
        .max_by_key(|(i, _)| *i);
    if let Some((i, op)) = cut {
        let lhs = line.get(..i).unwrap_or("");
        let (name, _) = word_at(lhs.trim_end(), lhs.trim_end().len()).or_else(|| {
            if op == "既定" || op == "default" {
                decl_name(lhs)
            } else {
                None
            }
        })?;
        if let Some(e) = enum_of_name(a, name) {
            return Some(e);
        }
    }
    // A `場合 x {` that is still open.
    let before = a.text(file).get(..offset).unwrap_or("");
    if let Some(i) = before.rfind("場合").or_else(|| before.rfind("match")) {
        let rest = before.get(i..).unwrap_or("");
        if rest.matches('{').count() > rest.matches('}').count() {
            let scrut = rest.split_once(char::is_whitespace).map(|(_, r)| r)?;
            let scrut = scrut.split('{').next().unwrap_or("").trim();
            if let Some(e) = enum_of_name(a, scrut) {
                return Some(e);
            }
        }
    }
    // A cell of a table column of an enumeration type.
    table_cell_enum(a, file, offset, line)
}

/// The declared name of an `入力 x: T 既定` line.
fn decl_name(lhs: &str) -> Option<(&str, (usize, usize))> {
    let colon = lhs.find(':')?;
    let head = lhs.get(..colon)?.trim_end();
    word_at(head, head.len())
}

/// The enumeration of the type of the input or definition `name`, or the enumeration `name`
/// belongs to when it is a variant.
fn enum_of_name(a: &Analysis, name: &str) -> Option<usize> {
    let ix = &a.index;
    if let Some(p) = a.program() {
        let ty = p
            .inputs()
            .iter()
            .find(|i| i.name == name)
            .map(|i| &i.ty)
            .or_else(|| p.defs().iter().find(|d| d.name == name).map(|d| &d.ty));
        if let Some(ty) = ty {
            let enum_name = match ty.strip_optional() {
                onshi::Type::Enum(e) | onshi::Type::Set(e) => {
                    p.enums().get(e.0 as usize).map(|x| x.name.clone())
                }
                _ => None,
            };
            if let Some(n) = enum_name {
                return ix.named(&n, |s| s.kind == Kind::Enum).first().copied();
            }
        }
    }
    // From the syntax: the declared type of an input or definition.
    for (_, m) in &a.modules {
        for item in &m.items {
            let ty = match item {
                Item::Input(i) if i.name.name == name => Some(&i.ty),
                Item::Def(d) if d.name.name == name => d.ty.as_ref(),
                _ => None,
            };
            if let Some(t) = ty {
                return enum_of_type(ix, t);
            }
        }
    }
    None
}

fn enum_of_type(ix: &Index, t: &TypeExpr) -> Option<usize> {
    match t {
        TypeExpr::Named(id) => ix
            .named(&id.name, |s| s.kind == Kind::Enum)
            .first()
            .copied(),
        TypeExpr::Set(inner, _) | TypeExpr::Optional(inner, _) => enum_of_type(ix, inner),
    }
}

/// In a table row (`| 病院 | …`), the enumeration of the column the cursor is in.
fn table_cell_enum(a: &Analysis, file: FileId, offset: usize, line: &str) -> Option<usize> {
    if !line.trim_start().starts_with('|') {
        return None;
    }
    let column = line.matches('|').count().checked_sub(1)?;
    let m = a.module(file)?;
    let table = m.items.iter().rev().find_map(|i| match i {
        Item::Table(t) if (t.span.start as usize) <= offset => Some(t),
        _ => None,
    })?;
    let results: Vec<&TypeExpr> = match &table.results {
        TableResult::Single(t) => vec![t],
        TableResult::Columns(c) => c.iter().map(|c| &c.ty).collect(),
    };
    let ty = table
        .keys
        .iter()
        .map(|c| &c.ty)
        .chain(results)
        .nth(column)?;
    enum_of_type(&a.index, ty)
}
