//! `onshi::schema` on the shipped policies: the examples (例) as JSON cases — what the WASM package's
//! `policy.examples()` gives and its Node tests run — evaluate through `evaluate_json` to exactly the
//! expected outputs (so the JSON forms round-trip), and every input and output is described.

use onshi::compile;
use onshi_tests::workspace::shipped_policies;
use serde_json::Value;

#[test]
fn shipped_examples_round_trip_through_json() {
    let files = shipped_policies();
    let mut cases = 0;
    for path in files.keys() {
        let c = compile(&files, path);
        let Some(p) = c.program else {
            panic!("{path} does not compile: {:?}", c.diagnostics);
        };
        let inputs = p.inputs_json(&c.sources);
        let outputs = p.outputs_json(&c.sources);
        assert_eq!(inputs.as_array().unwrap().len(), p.inputs().len());
        for i in inputs.as_array().unwrap() {
            assert!(i["type"]["kind"].is_string(), "{path}: {i}");
            assert_eq!(i["kind"], i["type"]["kind"]);
            assert_eq!(i["required"].as_bool().unwrap(), i.get("default").is_none());
        }
        assert_eq!(outputs.as_array().unwrap().len(), p.outputs().len());
        if p.outputs().is_empty() {
            continue;
        }
        let examples = p.examples_json(&c.sources);
        assert_eq!(examples.as_array().unwrap().len(), p.examples().len());
        for ex in examples.as_array().unwrap() {
            let name = &ex["name"];
            // An example assuming another reading is evaluated under it by `onshi test` (and by
            // tests/tests/readings.rs), not by an engine of the adopted readings.
            if ex.get("readings").is_some() {
                continue;
            }
            let out = match p.evaluator().json(&ex["facts"]) {
                Ok(out) => out,
                Err(e) => panic!("{path} 例 {name}: {:?}", e.to_diagnostic().message.en),
            };
            for (k, v) in ex["expect"].as_object().unwrap() {
                assert_eq!(&out["outputs"][k], v, "{path} 例 {name}: {k}");
            }
            // Facts re-read from their own JSON give the same values.
            let again: Value = serde_json::from_str(&ex["facts"].to_string()).unwrap();
            assert_eq!(p.evaluator().json(&again).unwrap(), out);
            cases += 1;
        }
    }
    assert!(cases > 50, "only {cases} examples");
}
