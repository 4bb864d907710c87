//! A checked program described as data, for shells that build forms, run examples or show
//! diagnostics without reading the policy (the WASM package, the playground, scripts). Every piece
//! is a `#[derive(Serialize)]` type ([`model`], [`diagnostic`]); the `…_json` functions are the
//! same data as `serde_json` values:
//!
//! - [`Program::input_specs`] / [`Program::output_specs`]: names, types (with enumeration variants
//!   and groups), defaults, and 出典;
//! - [`Program::example_specs`]: the examples (例) as JSON facts and the expected values, in the
//!   JSON forms of `onshi eval --format json`, so another engine can run the same cases;
//! - [`DiagnosticData`]: diagnostics as data, each label with its byte range and line/column.
//!
//! Types are tagged by `kind`: `bool`, `int`, `money`, `ratio`, `decimal`, `date`, `duration`,
//! `text`, `enum` (with `name`, `variants`, `groups`), `set` (`of`: an enum type), `optional` (`of`),
//! and `row` (`table`, `columns`).

pub mod diagnostic;
pub mod model;

pub use diagnostic::{
    diagnostic_json, diagnostics_json, run_error_json, DiagnosticData, LabelData, Phase,
};
pub use model::{
    At, Bilingual, Citation, ColumnSpec, EnumSpec, ExampleSpec, GroupSpec, InputSpec, OutputSpec,
    PolicyInfo, RuleSpec, RuleTag, SourceInfo, TypeSpec,
};

use crate::program::{Cite, Program};
use crate::sources::SourceMap;
use crate::types::Type;
use onshi_grammar::ast::Span;
use onshi_grammar::Text;
use serde::Serialize;
use serde_json::{Map, Value as Json};

/// Data as a JSON value (`null` if it cannot be one, which none of these types can fail to be).
pub fn to_json<T: Serialize + ?Sized>(data: &T) -> Json {
    serde_json::to_value(data).unwrap_or(Json::Null)
}

/// `{"ja": …, "en": …}`
pub fn text_json(t: &Text) -> Json {
    to_json(&Bilingual::of(t))
}

/// The start of a span: file, line and column (1-based; columns count characters).
pub fn at(sources: &SourceMap, span: Span) -> At {
    let (line, column) = sources.line_col(span);
    let file = sources.get(span.file).map_or("", |f| f.path.as_str());
    At {
        file: file.to_string(),
        line,
        column,
    }
}

/// `{"file", "line", "column"}` of the start of a span.
pub fn at_json(sources: &SourceMap, span: Span) -> Json {
    to_json(&at(sources, span))
}

impl Program {
    /// The description of a type (tagged by `kind`).
    pub fn type_spec(&self, ty: &Type) -> TypeSpec {
        match ty {
            Type::Bool => TypeSpec::Bool,
            Type::Int => TypeSpec::Int,
            Type::Money => TypeSpec::Money,
            Type::Ratio => TypeSpec::Ratio,
            Type::Decimal => TypeSpec::Decimal,
            Type::Date => TypeSpec::Date,
            Type::Duration => TypeSpec::Duration,
            Type::Text => TypeSpec::Text,
            Type::Enum(e) => match self.enums.get(e.0 as usize) {
                Some(en) => TypeSpec::Enum(model::EnumSpec {
                    name: en.name.clone(),
                    variants: en.variants.clone(),
                    groups: en
                        .groups
                        .iter()
                        .map(|(name, bits)| model::GroupSpec {
                            name: name.clone(),
                            variants: self
                                .set_members(*e, *bits)
                                .into_iter()
                                .map(str::to_string)
                                .collect(),
                        })
                        .collect(),
                }),
                None => TypeSpec::Error,
            },
            Type::Set(e) => TypeSpec::Set {
                of: Box::new(self.type_spec(&Type::Enum(*e))),
            },
            Type::Optional(t) => TypeSpec::Optional {
                of: Box::new(self.type_spec(t)),
            },
            Type::Row(t) => match self.tables.get(t.0 as usize) {
                Some(table) => TypeSpec::Row {
                    table: table.name.clone(),
                    columns: table
                        .results
                        .iter()
                        .map(|c| model::ColumnSpec {
                            name: c.name.clone(),
                            ty: self.type_spec(&c.ty),
                        })
                        .collect(),
                },
                None => TypeSpec::Error,
            },
            Type::Absent => TypeSpec::Absent,
            Type::Error => TypeSpec::Error,
        }
    }

    /// [`Program::type_spec`] as JSON.
    pub fn type_json(&self, ty: &Type) -> Json {
        to_json(&self.type_spec(ty))
    }

    /// 出典 citations in the form explanations and the schema use.
    pub fn citations(&self, cites: &[Cite]) -> Vec<Citation> {
        cites
            .iter()
            .filter_map(|c| {
                let s = self.sources.get(c.source as usize)?;
                Some(Citation {
                    source: s.name.clone(),
                    document: s.document.clone(),
                    title: s.title.clone(),
                    external: s.external,
                    locator: c.locator.clone(),
                    place: c.place.clone(),
                    passages: c.passages.clone(),
                })
            })
            .collect()
    }

    /// [`Program::citations`] as JSON: `[{source, document, title, external, locator, place,
    /// passages}]`.
    pub fn cites_json(&self, cites: &[Cite]) -> Json {
        to_json(&self.citations(cites))
    }

    /// The policy itself: `name`, `fiscal_year` (Gregorian year the 年度 starts), and its declared
    /// sources `[{name, document, title, external}]`.
    pub fn info(&self) -> PolicyInfo {
        PolicyInfo {
            name: self.name.clone(),
            fiscal_year: self.fiscal_year,
            sources: self
                .sources
                .iter()
                .map(|s| SourceInfo {
                    name: s.name.clone(),
                    document: s.document.clone(),
                    title: s.title.clone(),
                    external: s.external,
                    issuer: s.issuer.clone(),
                    date: s.date.clone(),
                    number: s.number.clone(),
                })
                .collect(),
        }
    }

    /// [`Program::info`] as JSON.
    pub fn info_json(&self) -> Json {
        to_json(&self.info())
    }

    /// Every input, in declaration order.
    pub fn input_specs(&self, sources: &SourceMap) -> Vec<InputSpec> {
        self.inputs
            .iter()
            .map(|i| {
                let ty = self.type_spec(&i.ty);
                InputSpec {
                    name: i.name.clone(),
                    kind: ty.kind(),
                    ty,
                    type_text: self.type_text(&i.ty),
                    required: i.default.is_none(),
                    default: i.default.as_ref().map(|d| self.value_to_json(d, &i.ty)),
                    sources: self.citations(&i.cites),
                    at: at(sources, i.span),
                }
            })
            .collect()
    }

    /// [`Program::input_specs`] as JSON.
    pub fn inputs_json(&self, sources: &SourceMap) -> Json {
        to_json(&self.input_specs(sources))
    }

    /// Every output, in declaration order, with its 原則/例外 rules.
    pub fn output_specs(&self, sources: &SourceMap) -> Vec<OutputSpec> {
        self.output_defs()
            .map(|d| {
                let ty = self.type_spec(&d.ty);
                OutputSpec {
                    name: d.name.clone(),
                    kind: ty.kind(),
                    ty,
                    type_text: self.type_text(&d.ty),
                    sources: self.citations(&d.cites),
                    at: at(sources, d.span),
                    rules: d
                        .rules
                        .iter()
                        .map(|r| RuleSpec {
                            kind: r.kind.into(),
                            label: r.label.clone(),
                            sources: self.citations(&r.cites),
                            at: at(sources, r.span),
                        })
                        .collect(),
                }
            })
            .collect()
    }

    /// [`Program::output_specs`] as JSON.
    pub fn outputs_json(&self, sources: &SourceMap) -> Json {
        to_json(&self.output_specs(sources))
    }

    /// The examples (例) of the entry file as cases another engine can run.
    pub fn example_specs(&self, sources: &SourceMap) -> Vec<ExampleSpec> {
        self.examples
            .iter()
            .map(|ex| {
                let mut facts = Map::new();
                for (i, v) in &ex.given {
                    if let Some(input) = self.input(*i) {
                        facts.insert(input.name.clone(), self.value_to_json(v, &input.ty));
                    }
                }
                let mut expect = Map::new();
                let mut other = Map::new();
                for (d, v) in &ex.expect {
                    if let Some(def) = self.def(*d) {
                        let target = if def.output { &mut expect } else { &mut other };
                        target.insert(def.name.clone(), self.value_to_json(v, &def.ty));
                    }
                }
                ExampleSpec {
                    name: ex.name.clone(),
                    at: at(sources, ex.span),
                    facts,
                    expect,
                    expect_definitions: other,
                    readings: ex
                        .readings
                        .iter()
                        .map(|(r, o)| (r.clone(), Json::String(o.clone())))
                        .collect(),
                }
            })
            .collect()
    }

    /// [`Program::example_specs`] as JSON.
    pub fn examples_json(&self, sources: &SourceMap) -> Json {
        to_json(&self.example_specs(sources))
    }
}

#[cfg(test)]
mod tests;
