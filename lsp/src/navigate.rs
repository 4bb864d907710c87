//! Go to definition, find references and rename across 取込 imports, and the document outline.
//!
//! A symbol is known across compilations by where it is declared (file and byte offset of its
//! name): references are gathered from every compilation that reads the file, so a rename in
//! `common/facility.onshi` also renames the uses in each policy that imports it.

use crate::analysis::Analysis;
use crate::index::{publishes_only, Kind};
use crate::workspace::uri_of;
use lsp_types::{DocumentSymbol, Location, SymbolKind, TextEdit, Uri, WorkspaceEdit};
use onshi_grammar::ast::{FileId, Item, Span};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::rc::Rc;

/// The declaration of the name at `offset`.
pub fn definition(a: &Analysis, file: FileId, offset: usize) -> Option<Location> {
    let (i, _) = a.index.at(file, offset)?;
    a.location(a.index.get(i)?.decl)
}

/// Where a symbol is declared: (file key, byte offset of its name).
type Anchor = (String, u32);

fn anchor(a: &Analysis, file: FileId, offset: usize) -> Option<(Anchor, String)> {
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

/// The edits that rename the symbol at `offset` to `new_name`, or why not.
// lsp-types' WorkspaceEdit is keyed by Uri (its hash does not change once built).
#[allow(clippy::mutable_key_type)]
pub fn rename(
    here: &Analysis,
    file: FileId,
    offset: usize,
    analyses: &[Rc<Analysis>],
    new_name: &str,
) -> Result<WorkspaceEdit, String> {
    if !valid_name(new_name) {
        return Err(format!(
            "`{new_name}` は名前として使えません / is not a valid name"
        ));
    }
    let occ = occurrences(here, file, offset, analyses);
    if occ.is_empty() {
        return Err("ここに名前はありません / no name here".to_string());
    }
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
            Item::FiscalYear { .. } | Item::Import(_) => continue,
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
