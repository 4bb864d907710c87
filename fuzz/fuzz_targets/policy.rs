//! Policy text → parse → check → evaluate. The input is the policy text, then optionally a 0xFF
//! byte and facts: JSON text if it parses, and in any case bytes that facts are generated from
//! (well-typed values for the program's inputs, with mistakes mixed in). The facts that read, and
//! the examples' inputs, are also evaluated as one chunk (`evaluate_columns`), which must give the
//! per-record answers.
#![no_main]

use arbitrary::Unstructured;
use libfuzzer_sys::fuzz_target;
use onshi_fuzz::{arbitrary_facts, by_chunk, compile_text, exercise, run_examples, split};

fuzz_target!(|data: &[u8]| {
    let (text, facts) = split(data);
    let text = String::from_utf8_lossy(text);
    let compiled = compile_text(&text);
    let Some(program) = compiled.program else {
        return;
    };
    run_examples(&program);
    if let Ok(json) = serde_json::from_slice::<serde_json::Value>(facts) {
        exercise(&program, &compiled.sources, &json);
    }
    let mut u = Unstructured::new(facts);
    let mut records = Vec::new();
    for _ in 0..4 {
        let json = arbitrary_facts(&program, &mut u);
        exercise(&program, &compiled.sources, &json);
        records.extend(program.facts_from_json(&json).ok());
        if u.is_empty() {
            break;
        }
    }
    // The examples' inputs too, so a chunk mixes records that take different branches.
    records.extend(program.examples().iter().map(|ex| program.example_inputs(ex)));
    by_chunk(&program, &records);
});
