//! Run the examples from the editor: a code lens on each 例 of the entry file with pass or fail (on
//! failure, the expected and the actual value), and on each output its value for the first example.

use crate::analysis::Analysis;
use lsp_types::{CodeLens, Command};
use onshi::Lang;
use onshi_grammar::ast::{FileId, Item};

fn lens(a: &Analysis, span: onshi_grammar::ast::Span, title: String) -> CodeLens {
    CodeLens {
        range: a.range(span),
        // A lens without a command is not shown by every client; this one does nothing.
        command: Some(Command::new(title, String::new(), None)),
        data: None,
    }
}

pub fn lenses(a: &Analysis, file: FileId, lang: Lang) -> Vec<CodeLens> {
    let (Some(program), Some(m)) = (a.program(), a.module(file)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for o in &a.outcomes {
        if o.span.file != file {
            continue;
        }
        let title = if o.passed() {
            match lang {
                Lang::Ja => format!("✓ 例「{}」は通ります", o.name),
                Lang::En => format!("✓ example \"{}\" passes", o.name),
            }
        } else {
            let parts: Vec<String> = o
                .mismatches
                .iter()
                .map(|m| {
                    let (want, got) =
                        (program.expected_text(m, lang), program.actual_text(m, lang));
                    match lang {
                        Lang::Ja => format!("{}: 期待 {want}、実際 {got}", m.name),
                        Lang::En => format!("{}: expected {want}, actual {got}", m.name),
                    }
                })
                .collect();
            format!("✗ {}", parts.join("; "))
        };
        out.push(lens(a, o.span, title));
    }
    // The outputs' values for the first example of the entry file.
    let Some(first) = program.examples().first() else {
        return out;
    };
    if first.span.file != file {
        return out;
    }
    let values = program.evaluator().record(&program.example_inputs(first));
    for item in &m.items {
        let Item::Def(d) = item else { continue };
        if !d.output {
            continue;
        }
        let Some(k) = program.outputs().iter().position(|&i| {
            program
                .defs()
                .get(i.index())
                .is_some_and(|x| x.name == d.name.name)
        }) else {
            continue;
        };
        let text = match (&values, program.output_defs().nth(k)) {
            (Ok(vs), Some(def)) => vs.get(k).map(|v| program.value_text(v, &def.ty, lang)),
            (Err(e), _) => Some(format!(
                "{} ({})",
                e.code(),
                e.to_diagnostic().message.get(lang)
            )),
            _ => None,
        };
        if let Some(text) = text {
            let title = match lang {
                Lang::Ja => format!("例「{}」では {text}", first.name),
                Lang::En => format!("{text} in example \"{}\"", first.name),
            };
            out.push(lens(a, d.name.span, title));
        }
    }
    out
}
