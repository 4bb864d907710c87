//! Rhai: the rule is the script `rules/subsidy.rhai`, compiled once to an AST. Input form: per
//! record, the ten input values as `Dynamic`s (strings as Rhai strings, 申請日 as ISO text,
//! 補助済事業 as an array of names, 義務化対象外 and 機器故障時 as bools), built before timing;
//! each evaluation pushes them into a rewound `Scope` as constants and runs the AST, which returns
//! `[補助額, 申請可, 補助区分]`.

use crate::harness::{measure, Timing};
use crate::records::{name, Answer, Record, CLASSES, JIGYO, KINDS};
use rhai::{Array, Dynamic, Engine, Scope};

pub const SCRIPT: &str = include_str!("../../rules/subsidy.rhai");

/// The scope names, in the order of a record's values.
const NAMES: [&str; 10] = [
    "kind",
    "group_count",
    "jigyo",
    "mobile",
    "rececon",
    "generic",
    "date",
    "done",
    "exempt",
    "failure",
];

fn inputs(r: &Record) -> [Dynamic; 10] {
    let done: Array = r.done_names().into_iter().map(Dynamic::from).collect();
    [
        Dynamic::from(name(&KINDS, r.kind)),
        Dynamic::from(r.group_count),
        Dynamic::from(name(&JIGYO, r.jigyo)),
        Dynamic::from(r.mobile),
        Dynamic::from(r.rececon),
        Dynamic::from(r.generic),
        Dynamic::from(r.iso_date()),
        Dynamic::from_array(done),
        Dynamic::from(r.exempt),
        Dynamic::from(r.failure),
    ]
}

fn answer(result: &Array) -> Option<Answer> {
    let [amount, eligible, class] = result.as_slice() else {
        return None;
    };
    let class = class.clone().into_immutable_string().ok()?;
    let class = CLASSES.iter().position(|c| *c == class.as_str())?;
    Some(Answer {
        amount: amount.as_int().ok()?,
        eligible: eligible.as_bool().ok()?,
        class: u8::try_from(class).ok()?,
    })
}

pub fn run(records: &[Record]) -> Result<(Vec<Answer>, Timing), String> {
    let engine = Engine::new();
    let ast = engine
        .compile(SCRIPT)
        .map_err(|e| format!("rules/subsidy.rhai: {e}"))?;
    let prepared: Vec<[Dynamic; 10]> = records.iter().map(inputs).collect();
    let mut scope = Scope::new();
    measure(records.len(), |start, out| {
        let input = prepared.get(start..start + out.len()).ok_or("range")?;
        for (k, (values, a)) in input.iter().zip(out.iter_mut()).enumerate() {
            scope.rewind(0);
            for (n, v) in NAMES.iter().zip(values.iter()) {
                scope.push_constant_dynamic(*n, v.clone());
            }
            let result: Array = engine
                .eval_ast_with_scope(&mut scope, &ast)
                .map_err(|e| format!("record {}: {e}", start + k + 1))?;
            *a = answer(&result)
                .ok_or_else(|| format!("record {}: unexpected result {result:?}", start + k + 1))?;
        }
        Ok(())
    })
}
