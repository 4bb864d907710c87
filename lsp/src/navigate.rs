//! Go to definition, find references and rename across 取込 imports, and the document outline.
//!
//! A symbol is known across compilations by where it is declared (file and byte offset of its
//! name): references are gathered from every compilation that reads the file, so a rename in
//! `common/facility.onshi` also renames the uses in each policy that imports it.

use crate::analysis::Analysis;
use crate::index::{publishes_only, Kind};
use crate::workspace::uri_of;
use lsp_types::{
    DocumentSymbol, Location, PrepareRenameResponse, SymbolKind, TextEdit, Uri, WorkspaceEdit,
};
use onshi::Lang;
use onshi_grammar::ast::{FileId, Item, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// The declaration of the name at `offset`.
pub fn definition(a: &Analysis, file: FileId, offset: usize) -> Option<Location> {
    let (i, _) = a.index.at(file, offset)?;
    a.location(a.index.get(i)?.decl)
}

/// Where a symbol is declared: (file key, byte offset of its name).
pub type Anchor = (String, u32);

/// The symbol at `offset`: where it is declared, and its name.
pub fn anchor(a: &Analysis, file: FileId, offset: usize) -> Option<(Anchor, String)> {
    let (i, _) = a.index.at(file, offset)?;
    let sym = a.index.get(i)?;
    Some((
        (a.key(sym.decl.file)?.to_string(), sym.decl.start),
        sym.name.clone(),
    ))
}

/// Every occurrence (declaration included) of the symbol at `offset`, across `analyses`, each
/// once, as (file key, span in that analysis' numbering, the analysis).
fn occurrences(
    here: &Analysis,
    file: FileId,
    offset: usize,
    analyses: &[Rc<Analysis>],
) -> Vec<(String, Span, Rc<Analysis>)> {
    let Some((target, _)) = anchor(here, file, offset) else {
        return Vec::new();
    };
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for a in analyses {
        for (i, sym) in a.index.symbols.iter().enumerate() {
            let Some(key) = a.key(sym.decl.file) else {
                continue;
            };
            if (key, sym.decl.start) != (target.0.as_str(), target.1) {
                continue;
            }
            for span in a.index.occurrences(i) {
                let Some(k) = a.key(span.file) else { continue };
                if seen.insert((k.to_string(), span.start, span.end)) {
                    out.push((k.to_string(), span, Rc::clone(a)));
                }
            }
        }
    }
    out
}

pub fn references(
    here: &Analysis,
    file: FileId,
    offset: usize,
    analyses: &[Rc<Analysis>],
    include_declaration: bool,
) -> Vec<Location> {
    let decl = anchor(here, file, offset).map(|(a, _)| a);
    occurrences(here, file, offset, analyses)
        .into_iter()
        .filter(|(k, span, _)| {
            include_declaration || decl.as_ref() != Some(&(k.clone(), span.start))
        })
        .filter_map(|(_, span, a)| a.location(span))
        .collect()
}

/// Whether `name` can be written as a name: it parses as one identifier (not a keyword, not a
/// literal).
pub fn valid_name(name: &str) -> bool {
    let src = format!("定義 {name} = 1\n");
    let parsed = onshi_grammar::parse(FileId(0), &src);
    parsed.errors.is_empty()
        && matches!(parsed.module.items.as_slice(), [Item::Def(d)] if d.name.name == name)
}

/// Why a rename is refused, worded in `lang`.
fn refusal(lang: Lang, ja: String, en: String) -> String {
    if lang == Lang::En {
        en
    } else {
        ja
    }
}

/// Whether a symbol named like the new name would clash with `target` (in the analysis that
/// holds both): the names an expression reads (inputs, definitions, outputs, and the variants and
/// groups of enumerations) are one namespace; enumerations and tables (both name types) another;
/// sources another; variants of one enumeration, columns of one table, rules of one definition
/// among themselves.
fn clashes(target: &crate::index::Symbol, other: &crate::index::Symbol) -> bool {
    let value = |k: Kind| matches!(k, Kind::Input | Kind::Def | Kind::Output);
    let member = |k: Kind| matches!(k, Kind::Variant | Kind::Group);
    match (target.kind, other.kind) {
        (t, o) if value(t) => value(o) || member(o),
        (t, o) if member(t) => value(o) || (member(o) && other.parent == target.parent),
        (Kind::Enum | Kind::Table, o) => matches!(o, Kind::Enum | Kind::Table),
        (Kind::Source, o) => o == Kind::Source,
        (Kind::Column { .. }, Kind::Column { .. }) | (Kind::Rule, Kind::Rule) => {
            other.parent == target.parent
        }
        _ => false,
    }
}

/// Where `new_name` is already declared so that renaming the symbol anchored at `target` to it
/// would clash, in any of `analyses`: (its kind, where it is: `folder/file.onshi:line`).
fn existing(target: &Anchor, new_name: &str, analyses: &[Rc<Analysis>]) -> Option<(Kind, String)> {
    for a in analyses {
        let mine = a.index.symbols.iter().filter(|sym| {
            a.key(sym.decl.file) == Some(target.0.as_str()) && sym.decl.start == target.1
        });
        for t in mine {
            let found = a.index.named(new_name, |o| clashes(t, o));
            if let Some(o) = found.first().and_then(|&i| a.index.get(i)) {
                // Where it is: the file (with its folder) and the line.
                let key = a.key(o.decl.file).unwrap_or_default();
                let mut parts = key.rsplit('/');
                let name = parts.next().unwrap_or_default();
                let file = match parts.next() {
                    Some(dir) if !dir.is_empty() => format!("{dir}/{name}"),
                    _ => name.to_string(),
                };
                let line = a.range(o.decl).start.line + 1;
                return Some((o.kind, format!("{file}:{line}")));
            }
        }
    }
    None
}

/// `textDocument/prepareRename`: the name at `offset` and its range, or why there is nothing to
/// rename there.
pub fn prepare_rename(
    a: &Analysis,
    file: FileId,
    offset: usize,
    lang: Lang,
) -> Result<PrepareRenameResponse, String> {
    match a.index.at(file, offset) {
        Some((i, span)) => {
            let name = a.index.get(i).map(|s| s.name.clone()).unwrap_or_default();
            Ok(PrepareRenameResponse::RangeWithPlaceholder {
                range: a.range(span),
                placeholder: name,
            })
        }
        None => Err(refusal(
            lang,
            "ここには変更できる名前がありません（onshi::lsp::rename_nothing）".to_string(),
            "there is no name to rename here (onshi::lsp::rename_nothing)".to_string(),
        )),
    }
}

/// The edits that rename the symbol at `offset` to `new_name`, or why not (worded in `lang`):
/// `new_name` is not a name, or a name it would clash with already exists in a policy that reads
/// the symbol.
// lsp-types' WorkspaceEdit is keyed by Uri (its hash does not change once built).
#[allow(clippy::mutable_key_type)]
pub fn rename(
    here: &Analysis,
    file: FileId,
    offset: usize,
    analyses: &[Rc<Analysis>],
    new_name: &str,
    lang: Lang,
) -> Result<WorkspaceEdit, String> {
    if !valid_name(new_name) {
        return Err(refusal(
            lang,
            format!(
                "`{new_name}` は名前として使えません: 名前は一語で、キーワードや値（数、日付、金額）ではないものです（onshi::lsp::rename_invalid）"
            ),
            format!(
                "`{new_name}` cannot be a name: a name is one word that is not a keyword or a value (a number, date or amount) (onshi::lsp::rename_invalid)"
            ),
        ));
    }
    let Some((target, old)) = anchor(here, file, offset) else {
        return Err(refusal(
            lang,
            "ここには変更できる名前がありません（onshi::lsp::rename_nothing）".to_string(),
            "there is no name to rename here (onshi::lsp::rename_nothing)".to_string(),
        ));
    };
    if old != new_name {
        if let Some((kind, place)) = existing(&target, new_name, analyses) {
            return Err(refusal(
                lang,
                format!(
                    "`{new_name}` という{}がすでにあります（{place}）: 名前を変えると二つが区別できなくなります（onshi::lsp::rename_conflict）",
                    kind.word(false)
                ),
                format!(
                    "`{new_name}` is already the name of the {} at {place}: after the rename the two could not be told apart (onshi::lsp::rename_conflict)",
                    kind.word(true)
                ),
            ));
        }
    }
    let occ = occurrences(here, file, offset, analyses);
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (key, span, a) in occ {
        let Some(uri) = uri_of(&key) else { continue };
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit::new(a.range(span), new_name.to_string()));
    }
    Ok(WorkspaceEdit::new(changes))
}

/// The outline of one file: its declarations, enumerations with their variants and groups,
/// definitions with their rules, tables with their columns, and examples.
#[allow(deprecated)] // DocumentSymbol::deprecated must be written out.
pub fn symbols(a: &Analysis, file: FileId) -> Vec<DocumentSymbol> {
    let Some(m) = a.module(file) else {
        return Vec::new();
    };
    let sym = |name: &str, detail: Option<String>, kind: SymbolKind, item: Span, sel: Span| {
        DocumentSymbol {
            name: if name.is_empty() {
                "?".to_string()
            } else {
                name.to_string()
            },
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: a.range(item),
            selection_range: a.range(sel),
            children: None,
        }
    };
    let mut by_parent: BTreeMap<usize, Vec<DocumentSymbol>> = BTreeMap::new();
    for s in &a.index.symbols {
        let (Some(p), true) = (s.parent, s.decl.file == file) else {
            continue;
        };
        let kind = match s.kind {
            Kind::Variant => SymbolKind::ENUM_MEMBER,
            Kind::Group => SymbolKind::CONSTANT,
            Kind::Column { .. } => SymbolKind::FIELD,
            _ => SymbolKind::METHOD,
        };
        let item = if s.kind == Kind::Rule { s.item } else { s.decl };
        by_parent
            .entry(p)
            .or_default()
            .push(sym(&s.name, None, kind, item, s.decl));
    }
    let mut out = Vec::new();
    for item in &m.items {
        let (name, kind, span, sel, detail) = match item {
            Item::Policy { name, span } => (
                name.clone(),
                SymbolKind::FILE,
                *span,
                *span,
                Some("政策".to_string()),
            ),
            Item::Source(s) => (
                s.name.name.clone(),
                SymbolKind::STRING,
                s.span,
                s.name.span,
                Some(s.document.clone()),
            ),
            Item::Enum(e) => (
                e.name.name.clone(),
                SymbolKind::ENUM,
                e.span,
                e.name.span,
                Some("列挙".to_string()),
            ),
            Item::Input(i) => (
                i.name.name.clone(),
                SymbolKind::VARIABLE,
                i.span,
                i.name.span,
                Some(a.snippet(i.ty.span()).to_string()),
            ),
            Item::Def(d) if publishes_only(d) => (
                d.name.name.clone(),
                SymbolKind::EVENT,
                d.span,
                d.name.span,
                Some("出力".to_string()),
            ),
            Item::Def(d) => {
                let kind = if d.output {
                    SymbolKind::EVENT
                } else {
                    SymbolKind::FUNCTION
                };
                let detail = d.ty.as_ref().map(|t| a.snippet(t.span()).to_string());
                (d.name.name.clone(), kind, d.span, d.name.span, detail)
            }
            Item::Reading(r) => (
                r.name.name.clone(),
                SymbolKind::FUNCTION,
                r.span,
                r.name.span,
                Some("解釈".to_string()),
            ),
            Item::Premise(x) => (
                x.name.name.clone(),
                SymbolKind::BOOLEAN,
                x.span,
                x.name.span,
                Some("前提".to_string()),
            ),
            Item::Table(t) => (
                t.name.name.clone(),
                SymbolKind::STRUCT,
                t.span,
                t.name.span,
                Some("表".to_string()),
            ),
            Item::Example(x) => (
                x.name.clone(),
                SymbolKind::OBJECT,
                x.span,
                x.name_span,
                Some("例".to_string()),
            ),
            Item::FiscalYear { .. } | Item::Import(_) | Item::Scope(_) => continue,
        };
        let mut s = sym(&name, detail, kind, span, sel);
        let own = a
            .index
            .symbols
            .iter()
            .position(|x| x.decl == sel && x.parent.is_none());
        if let Some(children) = own.and_then(|i| by_parent.remove(&i)) {
            s.children = Some(children);
        }
        out.push(s);
    }
    out
}
