//! Facts JSON against each shipped policy. The first byte picks the policy; the rest is JSON text
//! (evaluated when it parses) and the bytes facts are generated from.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use onshi_fuzz::{arbitrary_facts, exercise, shipped};

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let policies = shipped();
    let Some(s) = policies.get(usize::from(first) % policies.len()) else {
        return;
    };
    if let Ok(text) = std::str::from_utf8(rest) {
        // As the CLI and the WASM shell read facts: text, then JSON, then values.
        match s.program.facts_from_str(text) {
            Ok(inputs) => {
                let _ = s.program.evaluator().record(&inputs);
            }
            Err(e) => {
                let d = e.to_diagnostic();
                let _ = onshi_cli::render::render(&d, &s.sources, onshi::Lang::Ja);
                let _ = onshi_cli::render::render(&d, &s.sources, onshi::Lang::En);
            }
        }
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(text) {
            exercise(&s.program, &s.sources, &json);
            return;
        }
    }
    let mut u = Unstructured::new(rest);
    let json = arbitrary_facts(&s.program, &mut u);
    exercise(&s.program, &s.sources, &json);
});
