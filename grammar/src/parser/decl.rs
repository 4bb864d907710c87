//! The AST builder, one declaration kind at a time: items, rules, citations, types, tables.

use super::cells::parse_fiscal_year;
use super::chunk::meaningful_end;
use super::{ident_text, Builder, Rule};
use crate::ast::*;
use crate::syntax::SyntaxError;
use pest::iterators::Pair;

impl Builder {
    pub(super) fn item(&mut self, p: Pair<Rule>) -> Option<Item> {
        let span = self.span(&p);
        let rule = p.as_rule();
        let mut inner = p.into_inner();
        Some(match rule {
            Rule::policy_decl => Item::Policy {
                name: self.string(inner.next()?),
                span,
            },
            Rule::year_decl => {
                let fy = inner.next()?;
                let text = fy.as_str().to_string();
                match parse_fiscal_year(&text) {
                    Ok(year) => Item::FiscalYear { year, span },
                    Err(error) => {
                        let span = self.span(&fy);
                        self.errors.push(SyntaxError::Literal { span, text, error });
                        return None;
                    }
                }
            }
            Rule::source_decl => {
                let name = self.ident(inner.next()?);
                let mut next = inner.next()?;
                let external = next.as_rule() == Rule::external_mark;
                if external {
                    next = inner.next()?;
                }
                let document = self.string(next);
                let mut title = None;
                let mut attrs = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::string => title = Some(self.string(q)),
                        Rule::source_attr => {
                            let mut parts = q.into_inner();
                            let (Some(key), Some(text)) = (parts.next(), parts.next()) else {
                                continue;
                            };
                            let Some(key) = SourceAttrKey::from_word(key.as_str()) else {
                                continue;
                            };
                            let span = self.span(&text);
                            attrs.push(SourceAttr {
                                key,
                                text: self.string(text),
                                span,
                            });
                        }
                        _ => {}
                    }
                }
                Item::Source(SourceDecl {
                    name,
                    document,
                    title,
                    external,
                    attrs,
                    span,
                })
            }
            Rule::scope_decl => {
                let quote = self.citation(inner.next()?)?;
                let mut reason = None;
                let mut note = None;
                for q in inner {
                    match q.as_rule() {
                        Rule::scope_reason => reason = ScopeReason::from_word(q.as_str()),
                        Rule::string => note = Some(self.string(q)),
                        _ => {}
                    }
                }
                Item::Scope(ScopeDecl {
                    quote,
                    reason: reason?,
                    note,
                    span,
                })
            }
            Rule::import_decl => Item::Import(Import {
                path: self.string(inner.next()?),
                span,
            }),
            Rule::enum_decl => {
                let name = self.ident(inner.next()?);
                let mut variants = Vec::new();
                let mut groups = Vec::new();
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::ident => variants.push(self.ident(q)),
                        Rule::citation => citations.push(self.citation(q)?),
                        Rule::group_decl => {
                            let gspan = self.span(&q);
                            let mut gi = q.into_inner();
                            let gname = self.ident(gi.next()?);
                            let members = gi.map(|m| self.ident(m)).collect();
                            groups.push(GroupDecl {
                                name: gname,
                                members,
                                span: gspan,
                            });
                        }
                        _ => {}
                    }
                }
                Item::Enum(EnumDecl {
                    name,
                    variants,
                    groups,
                    citations,
                    span,
                })
            }
            Rule::input_decl => {
                let name = self.ident(inner.next()?);
                let ty = self.type_expr(inner.next()?)?;
                let mut default = None;
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::default => default = Some(self.expr(q.into_inner().next()?)?),
                        Rule::citation => citations.push(self.citation(q)?),
                        _ => {}
                    }
                }
                Item::Input(InputDecl {
                    name,
                    ty,
                    default,
                    citations,
                    span,
                })
            }
            Rule::def_decl | Rule::output_decl => {
                let name = self.ident(inner.next()?);
                let mut ty = None;
                let mut body = None;
                let mut rules = Vec::new();
                let mut citations = Vec::new();
                for q in inner {
                    match q.as_rule() {
                        Rule::type_expr => ty = Some(self.type_expr(q)?),
                        Rule::expr => body = Some(self.expr(q)?),
                        Rule::citation => citations.push(self.citation(q)?),
                        Rule::def_rule => rules.push(self.rule(q)?),
                        _ => {}
                    }
                }
                Item::Def(DefDecl {
                    name,
                    ty,
                    body,
                    rules,
                    output: rule == Rule::output_decl,
                    citations,
                    span,
                })
            }
            Rule::table_decl => Item::Table(self.table(inner, span)?),
            Rule::reading_decl => Item::Reading(self.reading(inner, span)?),
            Rule::premise_decl => {
                let name = self.ident(inner.next()?);
                let condition = self.expr(inner.next()?)?;
                let mut citations = Vec::new();
                for c in inner {
                    citations.push(self.citation(c)?);
                }
                Item::Premise(PremiseDecl {
                    name,
                    condition,
                    citations,
                    span,
                })
            }
            Rule::example_decl => {
                let head = inner.next()?;
                let name_span = self.span(&head);
                let name = match head.as_rule() {
                    Rule::string => self.string(head),
                    _ => ident_text(&head),
                };
                let (mut given, mut expect) = (Vec::new(), Vec::new());
                let mut readings = Vec::new();
                let mut expecting = false;
                for b in inner {
                    if b.as_rule() == Rule::expect_mark {
                        expecting = true;
                        continue;
                    }
                    if b.as_rule() == Rule::example_adopt {
                        let mut bi = b.into_inner();
                        let reading = self.ident(bi.next()?);
                        readings.push((reading, self.ident(bi.next()?)));
                        continue;
                    }
                    let mut bi = b.into_inner();
                    let id = self.ident(bi.next()?);
                    let value = self.expr(bi.next()?)?;
                    if expecting {
                        expect.push((id, value));
                    } else {
                        given.push((id, value));
                    }
                }
                Item::Example(Example {
                    name,
                    name_span,
                    readings,
                    given,
                    expect,
                    span,
                })
            }
            _ => return None,
        })
    }

    fn rule(&mut self, p: Pair<Rule>) -> Option<DefRule> {
        // pest keeps the blanks (and comments) after the rule in its pair: end at its last token.
        let mut span = self.span(&p);
        span.end = span
            .start
            .saturating_add(u32::try_from(meaningful_end(p.as_str())).unwrap_or(u32::MAX));
        let mut inner = p.into_inner();
        let head = inner.next()?;
        let kind = if head.as_rule() == Rule::principle {
            RuleKind::Principle
        } else {
            RuleKind::Exception
        };
        let mut label = None;
        let mut over = Vec::new();
        let mut condition = None;
        let mut value = None;
        for q in head.into_inner() {
            match q.as_rule() {
                Rule::ident if label.is_none() => label = Some(self.ident(q)),
                Rule::ident => over.push(self.ident(q)),
                Rule::rule_body => {
                    let mut parts: Vec<Pair<Rule>> = q.into_inner().collect();
                    let v = parts.pop()?;
                    if let Some(c) = parts.pop() {
                        condition = Some(self.expr(c)?);
                    }
                    value = Some(self.expr(v)?);
                }
                _ => {}
            }
        }
        let mut citations = Vec::new();
        for c in inner {
            citations.push(self.citation(c)?);
        }
        Some(DefRule {
            kind,
            label,
            over,
            condition,
            value: value?,
            citations,
            span,
        })
    }

    fn reading(&mut self, inner: pest::iterators::Pairs<Rule>, span: Span) -> Option<ReadingDecl> {
        let mut name = None;
        let mut ty = None;
        let mut citations = Vec::new();
        let mut options = Vec::new();
        let mut adopted = None;
        for q in inner {
            match q.as_rule() {
                Rule::ident => name = Some(self.ident(q)),
                Rule::type_expr => ty = Some(self.type_expr(q)?),
                Rule::citation => citations.push(self.citation(q)?),
                Rule::reading_option => {
                    let mut ospan = self.span(&q);
                    ospan.end = ospan.start.saturating_add(
                        u32::try_from(meaningful_end(q.as_str())).unwrap_or(u32::MAX),
                    );
                    let mut oi = q.into_inner();
                    let oname = self.ident(oi.next()?);
                    let value = self.expr(oi.next()?)?;
                    let mut ocites = Vec::new();
                    for c in oi {
                        ocites.push(self.citation(c)?);
                    }
                    options.push(ReadingOption {
                        name: oname,
                        value,
                        citations: ocites,
                        span: ospan,
                    });
                }
                Rule::adopt => adopted = Some(self.ident(q.into_inner().next()?)),
                _ => {}
            }
        }
        Some(ReadingDecl {
            name: name?,
            ty,
            citations,
            options,
            adopted: adopted?,
            span,
        })
    }

    fn citation(&self, p: Pair<Rule>) -> Option<Citation> {
        // pest keeps the blanks after the citation in its pair (before `!"="`): end at its last token.
        let mut span = self.span(&p);
        span.end = span
            .start
            .saturating_add(u32::try_from(meaningful_end(p.as_str())).unwrap_or(u32::MAX));
        let mut inner = p.into_inner();
        let source = self.ident(inner.next()?);
        let mut passages = Vec::new();
        let mut place = None;
        let locator = inner.next().map(|s| {
            let text = s.as_str();
            let content = self.string(s.clone());
            let at = self.span(&s).start as usize;
            if text.starts_with('「') {
                // `「…」`: the whole string is the quoted passage.
                let start = at + '「'.len_utf8();
                passages.push(Passage {
                    span: Span::new(self.file, start, start + content.len()),
                    text: content.clone(),
                });
            } else {
                place = place_of(&content);
                let start = at + 1;
                for (offset, text) in passages_of(&content) {
                    let from = start + offset;
                    passages.push(Passage {
                        span: Span::new(self.file, from, from + text.len()),
                        text,
                    });
                }
            }
            content
        });
        Some(Citation {
            source,
            locator,
            place,
            passages,
            span,
        })
    }

    fn type_expr(&self, p: Pair<Rule>) -> Option<TypeExpr> {
        let q = p.into_inner().next()?;
        let span = self.span(&q);
        Some(match q.as_rule() {
            Rule::ident => TypeExpr::Named(self.ident(q)),
            Rule::set_type => {
                TypeExpr::Set(Box::new(self.type_expr(q.into_inner().next()?)?), span)
            }
            Rule::opt_type => {
                TypeExpr::Optional(Box::new(self.type_expr(q.into_inner().next()?)?), span)
            }
            _ => return None,
        })
    }

    fn column(&self, p: Pair<Rule>) -> Option<Column> {
        let mut inner = p.into_inner();
        Some(Column {
            name: self.ident(inner.next()?),
            ty: self.type_expr(inner.next()?)?,
        })
    }

    fn table(&mut self, inner: pest::iterators::Pairs<Rule>, span: Span) -> Option<TableDecl> {
        let mut name = None;
        let mut keys = Vec::new();
        let mut results = None;
        let mut citations = Vec::new();
        let mut raw_rows: Vec<Option<Row>> = Vec::new();
        for q in inner {
            match q.as_rule() {
                Rule::ident => name = Some(self.ident(q)),
                Rule::column => keys.push(self.column(q)?),
                Rule::table_result => {
                    let mut cols = Vec::new();
                    let mut single = None;
                    for c in q.into_inner() {
                        match c.as_rule() {
                            Rule::column => cols.push(self.column(c)?),
                            Rule::type_expr => single = Some(self.type_expr(c)?),
                            _ => {}
                        }
                    }
                    results = Some(match single {
                        Some(t) => TableResult::Single(t),
                        None => TableResult::Columns(cols),
                    });
                }
                Rule::citation => citations.push(self.citation(q)?),
                Rule::table_row => {
                    let row = q.into_inner().next()?;
                    match row.as_rule() {
                        Rule::sep_row => raw_rows.push(None),
                        _ => {
                            let rspan = self.span(&row);
                            let mut cells = Vec::new();
                            for c in row.into_inner() {
                                cells.push(self.cell(c)?);
                            }
                            raw_rows.push(Some(Row { cells, span: rspan }));
                        }
                    }
                }
                _ => {}
            }
        }
        // A row followed by a `|---|` separator is the header, as in the source's tables.
        let mut header = None;
        let mut rows = Vec::new();
        let mut iter = raw_rows.into_iter().peekable();
        if let Some(Some(first)) = iter.peek().cloned() {
            let mut probe = iter.clone();
            probe.next();
            if matches!(probe.peek(), Some(None)) {
                header = Some(first);
                iter.next();
            }
        }
        rows.extend(iter.flatten());
        Some(TableDecl {
            name: name?,
            keys,
            results: results?,
            header,
            rows,
            citations,
            span,
        })
    }
}
