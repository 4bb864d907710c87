//! Hover: the type of a name; an input's default; a constant's value; a table cell's column and
//! value; for a definition or rule, its 出典 with the quoted passages; for a built-in, its
//! signature and an example; for a keyword, what it does.

use crate::analysis::Analysis;
use crate::catalog;
use crate::index::{Kind, Symbol};
use onshi::program::CKind;
use onshi::Lang;
use onshi_grammar::ast::*;

/// The hover text (Markdown) at `offset` of `file`, and the span it is about.
pub fn hover(a: &Analysis, file: FileId, offset: usize, lang: Lang) -> Option<(String, Span)> {
    if let Some((i, span)) = a.index.at(file, offset) {
        let sym = a.index.get(i)?;
        return Some((describe(a, sym, lang), span));
    }
    if let Some((word, (start, end))) = word_at(a.text(file), offset) {
        if let Some(text) = word_hover(word, lang) {
            return Some((text, Span::new(file, start, end)));
        }
    }
    cell(a, file, offset, lang)
}

/// A built-in function, keyword or built-in type.
fn word_hover(word: &str, lang: Lang) -> Option<String> {
    if let Some(b) = catalog::builtin(word) {
        return Some(format!(
            "```onshi\n{}\n```\n{} `{}` / `{}`\n\n{}: `{}`",
            b.signature_text(),
            words(lang, "組み込み関数", "built-in function"),
            b.ja,
            b.en,
            words(lang, "例", "example"),
            b.example
        ));
    }
    if let Some(k) = catalog::keyword(word) {
        let names: Vec<&str> = k.ja.into_iter().chain(k.en).collect();
        return Some(format!(
            "{} `{}`\n\n{}",
            words(lang, "キーワード", "keyword"),
            names.join("` / `"),
            k.doc
        ));
    }
    let (ja, en, _) = onshi::types::BUILTIN_TYPES
        .iter()
        .find(|(ja, en, _)| *ja == word || *en == word)?;
    Some(format!(
        "{} `{ja}` / `{en}`",
        words(lang, "組み込みの型", "built-in type")
    ))
}

fn words(lang: Lang, ja: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// The identifier-like word around `offset` (as the grammar spells names), and its byte range.
pub fn word_at(text: &str, offset: usize) -> Option<(&str, (usize, usize))> {
    let offset = offset.min(text.len());
    let is_word =
        |c: char| c.is_alphanumeric() || matches!(c, '_' | '・' | 'ー' | '々' | '〆' | 'ヶ');
    let before = text.get(..offset)?;
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| is_word(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let after = text.get(offset..)?;
    let end = offset
        + after
            .char_indices()
            .find(|(_, c)| !is_word(*c))
            .map_or(after.len(), |(i, _)| i);
    let word = text.get(start..end)?;
    (!word.is_empty()).then_some((word, (start, end)))
}

/// The declaration item a symbol comes from.
fn item_of<'a>(a: &'a Analysis, sym: &Symbol) -> Option<&'a Item> {
    a.module(sym.decl.file)?
        .items
        .iter()
        .find(|i| span_of(i) == Some(sym.item))
}

fn span_of(item: &Item) -> Option<Span> {
    Some(match item {
        Item::Source(s) => s.span,
        Item::Enum(e) => e.span,
        Item::Input(i) => i.span,
        Item::Def(d) => d.span,
        Item::Table(t) => t.span,
        Item::Reading(r) => r.span,
        _ => return None,
    })
}

fn describe(a: &Analysis, sym: &Symbol, lang: Lang) -> String {
    let en = lang == Lang::En;
    let mut out = format!("**{}** `{}`", sym.kind.word(en), sym.name);
    let program = a.program();
    match (sym.kind, item_of(a, sym)) {
        (Kind::Input, Some(Item::Input(i))) => {
            let p = program.and_then(|p| p.inputs().iter().find(|x| x.name == sym.name));
            let ty = p.map_or_else(
                || a.snippet(i.ty.span()).to_string(),
                |x| type_name(a, &x.ty, en),
            );
            out = format!("```onshi\n入力 {}: {ty}\n```", sym.name);
            match (
                p.and_then(|x| x.default.as_ref().map(|d| (d, &x.ty))),
                &i.default,
            ) {
                (Some((v, ty)), _) => {
                    let v = program
                        .map(|p| p.value_text(v, ty, lang))
                        .unwrap_or_default();
                    out.push_str(&format!("\n{}: `{v}`", words(lang, "既定値", "default")));
                }
                (None, Some(d)) => {
                    out.push_str(&format!(
                        "\n{}: `{}`",
                        words(lang, "既定値", "default"),
                        a.snippet(d.span)
                    ));
                }
                (None, None) => out.push_str(&format!(
                    "\n{}",
                    words(lang, "必須（既定値なし）", "required (no default)")
                )),
            }
            citations(a, &i.citations, &mut out);
        }
        (Kind::Def | Kind::Output, Some(Item::Def(d))) => {
            let kw = if d.output { "出力" } else { "定義" };
            let p = program.and_then(|p| p.defs().iter().find(|x| x.name == sym.name));
            let ty = match (p, &d.ty) {
                (Some(x), _) => type_name(a, &x.ty, en),
                (None, Some(t)) => a.snippet(t.span()).to_string(),
                (None, None) => "?".to_string(),
            };
            out = format!("```onshi\n{kw} {}: {ty}\n```", sym.name);
            if let (Some(p), Some(x)) = (program, p) {
                if let CKind::Const(v) = &x.body.kind {
                    out.push_str(&format!(
                        "\n{}: `{}`",
                        words(lang, "値", "value"),
                        p.value_text(v, &x.ty, lang)
                    ));
                }
            }
            citations(a, &d.citations, &mut out);
            for r in &d.rules {
                let kind = match r.kind {
                    RuleKind::Principle => "原則",
                    RuleKind::Exception => "例外",
                };
                let label = r.label.as_ref().map_or("", |l| l.name.as_str());
                out.push_str(&format!("\n\n**{kind} {label}**"));
                citations(a, &r.citations, &mut out);
            }
        }
        (Kind::Def, Some(Item::Reading(r))) => {
            // A reading (解釈): its type, the 案 (the adopted one marked) and the adopted value.
            let p = program.and_then(|p| p.reading(&sym.name).map(|x| (p, x)));
            let def = p.and_then(|(p, x)| p.def(x.def));
            let ty = def.map_or_else(
                || {
                    r.ty.as_ref()
                        .map_or("?".to_string(), |t| a.snippet(t.span()).to_string())
                },
                |d| type_name(a, &d.ty, en),
            );
            out = format!("```onshi\n解釈 {}: {ty}\n```", sym.name);
            for o in &r.options {
                let mark = if o.name.name == r.adopted.name {
                    words(lang, "（採用）", " (adopted)")
                } else {
                    ""
                };
                out.push_str(&format!(
                    "\n- 案 `{}`{mark}: `{}`",
                    o.name.name,
                    a.snippet(o.value.span)
                ));
            }
            if let (Some((p, _)), Some(d)) = (p, def) {
                if let CKind::Const(v) = &d.body.kind {
                    out.push_str(&format!(
                        "\n\n{}: `{}`",
                        words(lang, "値", "value"),
                        p.value_text(v, &d.ty, lang)
                    ));
                }
            }
            citations(a, &r.citations, &mut out);
        }
        (Kind::Rule, _) => {
            let def = sym.parent.and_then(|p| a.index.get(p));
            let rule = def.and_then(|d| item_of(a, d)).and_then(|i| match i {
                Item::Def(d) => d.rules.iter().find(|r| r.span == sym.item),
                _ => None,
            });
            if let Some(r) = rule {
                let kind = if r.kind == RuleKind::Principle {
                    "原則"
                } else {
                    "例外"
                };
                let of = def.map_or("", |d| d.name.as_str());
                out = format!(
                    "**{kind} {}** ({} `{of}`)",
                    sym.name,
                    words(lang, "定義", "of")
                );
                citations(a, &r.citations, &mut out);
            }
        }
        (Kind::Enum, Some(Item::Enum(e))) => {
            let vs: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
            out = format!("```onshi\n列挙 {} = {}\n```", sym.name, vs.join(" | "));
            for g in &e.groups {
                let ms: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
                out.push_str(&format!("\n- 群 `{}` = {}", g.name.name, ms.join(" | ")));
            }
            citations(a, &e.citations, &mut out);
        }
        (Kind::Variant | Kind::Group, _) => {
            let parent = sym.parent.and_then(|p| a.index.get(p));
            let of = parent.map_or("", |p| p.name.as_str());
            out.push_str(&format!(
                " ({} `{of}`)",
                words(lang, "列挙", "of enumeration")
            ));
            if let Some(Item::Enum(e)) = parent.and_then(|p| item_of(a, p)) {
                if let Some(g) = e.groups.iter().find(|g| g.name.span == sym.decl) {
                    let ms: Vec<&str> = g.members.iter().map(|m| m.name.as_str()).collect();
                    out.push_str(&format!("\n\n= {}", ms.join(" | ")));
                }
            }
        }
        (Kind::Table, Some(Item::Table(t))) => {
            let header = a.snippet(t.span).lines().next().unwrap_or_default();
            out = format!(
                "```onshi\n{header}\n```\n{} {}",
                t.rows.len(),
                words(lang, "行", "rows")
            );
            citations(a, &t.citations, &mut out);
        }
        (Kind::Column { .. }, _) => {
            let table = sym.parent.and_then(|p| a.index.get(p));
            if let Some(Item::Table(t)) = table.and_then(|t| item_of(a, t)) {
                let col = t.keys.iter().chain(match &t.results {
                    TableResult::Columns(c) => c.as_slice(),
                    TableResult::Single(_) => &[],
                });
                if let Some(c) = col.into_iter().find(|c| c.name.span == sym.decl) {
                    out.push_str(&format!(
                        ": `{}` ({} `{}`)",
                        a.snippet(c.ty.span()),
                        words(lang, "表", "table"),
                        t.name.name
                    ));
                }
            }
        }
        (Kind::Source, Some(Item::Source(s))) => {
            out.push_str(&format!("\n\n{}", s.document));
            if let Some(t) = &s.title {
                out.push_str(&format!("\n\n「{t}」"));
            }
            if s.external {
                out.push_str(&format!(
                    "\n\n{}",
                    words(
                        lang,
                        "外部の文書（照合しない）",
                        "an external document (not verified)"
                    )
                ));
            }
        }
        _ => {}
    }
    out
}

fn type_name(a: &Analysis, ty: &onshi::Type, en: bool) -> String {
    a.program()
        .map_or_else(String::new, |p| p.type_name(ty, en))
}

/// 出典 lines with the passages they quote.
fn citations(a: &Analysis, cites: &[Citation], out: &mut String) {
    for c in cites {
        let title = source_title(a, &c.source.name);
        out.push_str(&format!("\n\n出典 **{}**", c.source.name));
        if let Some(t) = title {
            out.push_str(&format!(" 「{t}」"));
        }
        if let Some(p) = &c.place {
            out.push_str(&format!(" {p}"));
        }
        for p in &c.passages {
            out.push_str(&format!("\n> {}", p.text));
        }
    }
}

fn source_title(a: &Analysis, name: &str) -> Option<String> {
    a.modules
        .iter()
        .flat_map(|(_, m)| &m.items)
        .find_map(|i| match i {
            Item::Source(s) if s.name.name == name => s.title.clone(),
            _ => None,
        })
}

/// The column of the table cell at `offset`, for hover: `列 区分 (補助内容): 病院`.
pub fn cell(a: &Analysis, file: FileId, offset: usize, lang: Lang) -> Option<(String, Span)> {
    let m = a.module(file)?;
    for item in &m.items {
        let Item::Table(t) = item else { continue };
        let inside = |s: Span| (s.start as usize) <= offset && offset <= s.end as usize;
        let Some(row) = t.rows.iter().find(|r| inside(r.span)) else {
            continue;
        };
        let (k, cell) = row.cells.iter().enumerate().find(|(_, c)| inside(c.span))?;
        let results: &[Column] = match &t.results {
            TableResult::Columns(c) => c,
            TableResult::Single(_) => &[],
        };
        let column = t
            .keys
            .get(k)
            .or_else(|| results.get(k.checked_sub(t.keys.len())?));
        let name = column.map_or("→", |c| c.name.name.as_str());
        let ty = column.map_or_else(
            || match &t.results {
                TableResult::Single(ty) => a.snippet(ty.span()),
                TableResult::Columns(_) => "",
            },
            |c| a.snippet(c.ty.span()),
        );
        let text = format!(
            "{} `{name}`: `{ty}` ({} `{}`)\n\n`{}`",
            words(lang, "列", "column"),
            words(lang, "表", "table"),
            t.name.name,
            a.snippet(cell.span).trim()
        );
        return Some((text, cell.span));
    }
    None
}
