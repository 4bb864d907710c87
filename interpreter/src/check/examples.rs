//! Examples (例) are checked like rules: facts name inputs, expectations name definitions, and
//! every value is a constant of the right type (so 和暦, 万円 and bare variants work).

use super::errors::{CheckError, NameKind};
use super::expr::Lowering;
use super::Slot;
use crate::program::{DefId, Example, InputId};
use crate::types::Type;
use onshi_grammar::suggest;

impl Lowering<'_> {
    /// The readings example `ex` assumes (`採用 解釈 = 案`), each checked to exist.
    fn example_readings(&mut self, ex: &onshi_grammar::ast::Example) -> Vec<(String, String)> {
        let g = self.g;
        let mut out = Vec::new();
        for (reading, option) in &ex.readings {
            let Some((r, _, _)) = g
                .readings
                .iter()
                .find(|(r, _, _)| r.name.name == reading.name)
            else {
                self.errors.push(CheckError::UnknownName {
                    span: reading.span,
                    name: reading.name.clone(),
                    kind: NameKind::Reading,
                    suggestion: suggest(
                        &reading.name,
                        g.readings.iter().map(|(r, _, _)| r.name.name.as_str()),
                    ),
                });
                continue;
            };
            let names: Vec<String> = r.options.iter().map(|o| o.name.name.clone()).collect();
            if !names.contains(&option.name) {
                self.errors.push(CheckError::UnknownOption {
                    span: option.span,
                    reading: reading.name.clone(),
                    name: option.name.clone(),
                    suggestion: suggest(&option.name, names.iter().map(String::as_str)),
                    options: names,
                });
                continue;
            }
            out.push((reading.name.clone(), option.name.clone()));
        }
        out
    }

    pub(crate) fn lower_examples(&mut self) -> Vec<Example> {
        let g = self.g;
        let mut out = Vec::new();
        for ex in &g.examples {
            let mut given = Vec::new();
            let mut seen: Vec<(usize, onshi_grammar::ast::Span)> = Vec::new();
            for (name, value) in &ex.given {
                let Some(i) = g.inputs.iter().position(|x| x.name == name.name) else {
                    self.errors.push(CheckError::UnknownName {
                        span: name.span,
                        name: name.name.clone(),
                        kind: NameKind::Input,
                        suggestion: suggest(&name.name, g.inputs.iter().map(|x| x.name.as_str())),
                    });
                    continue;
                };
                if let Some((_, first)) = seen.iter().find(|(j, _)| *j == i) {
                    self.errors.push(CheckError::Duplicate {
                        span: name.span,
                        name: name.name.clone(),
                        first: *first,
                    });
                    continue;
                }
                seen.push((i, name.span));
                let ty = g.inputs.get(i).map_or(Type::Error, |x| x.ty.clone());
                let ce = self.check(value, &ty);
                if let Some(v) = self.constant(&ce) {
                    given.push((InputId(i as u32), v));
                }
            }
            let missing: Vec<String> = self
                .inputs_view()
                .iter()
                .enumerate()
                .filter(|(i, input)| {
                    input.default.is_none() && !given.iter().any(|(j, _)| j.index() == *i)
                })
                .map(|(_, input)| input.name.clone())
                .collect();
            for name in missing {
                self.errors.push(CheckError::ExampleMissing {
                    span: ex.name_span,
                    name,
                });
            }
            let mut expect = Vec::new();
            for (name, value) in &ex.expect {
                let def = match g.values.get(&name.name) {
                    Some((Slot::Def(d), _)) => *d,
                    other => {
                        // An input is no expectation: no did-you-mean, the help says what is.
                        let candidates = g.def_decls.iter().map(|(d, _)| d.name.name.as_str());
                        let suggestion = match other {
                            Some((Slot::Input(_), _)) => None,
                            _ => suggest(&name.name, candidates),
                        };
                        self.errors.push(CheckError::UnknownName {
                            span: name.span,
                            name: name.name.clone(),
                            kind: NameKind::Output,
                            suggestion,
                        });
                        continue;
                    }
                };
                let ty = self.def_type(def as usize, name.span);
                let ce = self.check(value, &ty);
                if let Some(v) = self.constant(&ce) {
                    expect.push((DefId(def), v));
                }
            }
            let readings = self.example_readings(ex);
            out.push(Example {
                name: ex.name.clone(),
                readings,
                given,
                expect,
                span: ex.span,
            });
        }
        out
    }
}
