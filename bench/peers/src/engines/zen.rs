//! GoRules ZEN (`zen-engine`): the rule is the JDM decision model `rules/subsidy.zen.json` — two
//! decision tables (補助区分の判定, 補助内容; first hit, pass-through) and an expression node
//! (対象事業額, 同一システム補助済, 対象施設, 受付開始前, 申請可, 補助額). The model is compiled once
//! (`Decision::compile`). Input form: per record a `Variable` context with ASCII keys (ZEN
//! identifiers are ASCII; values keep the Japanese names), built before timing. Evaluation is
//! async; the whole pass runs inside one `block_on` on this thread.

use crate::harness::{measure, Timing};
use crate::records::{name, Answer, Record, CLASSES, JIGYO, KINDS};
use serde_json::json;
use std::sync::Arc;
use zen_engine::model::DecisionContent;
use zen_engine::{DecisionEngine, Variable};

pub const MODEL: &str = include_str!("../../rules/subsidy.zen.json");

fn context(r: &Record) -> Variable {
    Variable::from(json!({
        "kind": name(&KINDS, r.kind),
        "groupCount": r.group_count,
        "jigyo": name(&JIGYO, r.jigyo),
        "mobileCost": r.mobile,
        "receconCost": r.rececon,
        "genericCost": r.generic,
        "applicationDate": r.iso_date(),
        "subsidized": r.done_names(),
        "mandateExempt": r.exempt,
        "deviceFailure": r.failure,
    }))
}

fn answer(result: &Variable) -> Option<Answer> {
    let amount = result.dot("amount")?.as_number()?;
    let class = result.dot("class")?;
    let class = CLASSES.iter().position(|c| Some(*c) == class.as_str())?;
    Some(Answer {
        amount: i64::try_from(amount)
            .ok()
            .filter(|_| amount.fract().is_zero())?,
        eligible: result.dot("eligible")?.as_bool()?,
        class: u8::try_from(class).ok()?,
    })
}

pub fn run(records: &[Record]) -> Result<(Vec<Answer>, Timing), String> {
    let content: DecisionContent =
        serde_json::from_str(MODEL).map_err(|e| format!("rules/subsidy.zen.json: {e}"))?;
    let engine = DecisionEngine::default();
    let mut decision = engine
        .create_decision(Arc::new(content))
        .map_err(|e| format!("rules/subsidy.zen.json: {e:?}"))?;
    decision.compile();
    let contexts: Vec<Variable> = records.iter().map(context).collect();
    measure(records.len(), |start, out| {
        let input = contexts.get(start..start + out.len()).ok_or("range")?;
        futures::executor::block_on(async {
            for (k, (ctx, a)) in input.iter().zip(out.iter_mut()).enumerate() {
                let response = decision
                    .evaluate(ctx.shallow_clone())
                    .await
                    .map_err(|e| format!("record {}: {e:?}", start + k + 1))?;
                *a = answer(&response.result).ok_or_else(|| {
                    format!(
                        "record {}: unexpected result {:?}",
                        start + k + 1,
                        response.result
                    )
                })?;
            }
            Ok(())
        })
    })
}
