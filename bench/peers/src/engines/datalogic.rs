//! datalogic-rs (JSONLogic). The rule is one JSONLogic expression, built below as a decision tree:
//! `if 申請可 then (事業 → 補助区分 → [補助額, true, 補助区分]) else [0, false, 補助区分]`, each leaf
//! holding one row of 補助内容 (JSONLogic has no tables and no local names, so the table becomes
//! the branches and 補助区分 is computed again where it is needed). `peers jsonlogic` prints it.
//!
//! Input form: each record's facts as JSON (the same object as onshi's facts) parsed once into an
//! arena (`&DataValue`, the zero-copy input of `Engine::evaluate`). Each evaluation uses a scratch
//! arena that is reset after the answer has been read.

use crate::baseline::{DEADLINE, FAILURE_OPENING, LARGE_CHAIN_COUNT};
use crate::harness::{measure, Timing};
use crate::records::{Answer, Record, CLASSES};
use datalogic_rs::bumpalo::Bump;
use datalogic_rs::{DataValue, Engine};
use serde_json::{json, Value as Json};

fn var(name: &str) -> Json {
    json!({ "var": name })
}

fn eq(a: Json, b: Json) -> Json {
    json!({ "==": [a, b] })
}

/// The branches of 補助区分の判定 (common/facility.onshi): `hospital` for 病院, `chain` for a 薬局
/// with at least 40,000 prescriptions a month in its group, `other` otherwise.
fn by_class(hospital: Json, chain: Json, other: Json) -> Json {
    json!({ "if": [
        eq(var("施設種別"), json!("病院")), hospital,
        { "and": [
            eq(var("施設種別"), json!("薬局")),
            { ">=": [var("グループ処方箋受付回数"), LARGE_CHAIN_COUNT] },
        ] }, chain,
        other,
    ] })
}

/// 補助区分 itself.
fn class() -> Json {
    let [h, c, o] = CLASSES.map(Json::from);
    by_class(h, c, o)
}

/// `yyyymmdd` → ISO text.
fn iso(date: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date / 10000,
        date / 100 % 100,
        date % 100
    )
}

/// 申請可 = 申請日 ≤ 申請期限 and not 同一システム補助済 and 事業 ∉ 補助済事業 and 対象施設 and not
/// 受付開始前. ISO dates compare as text.
fn eligible() -> Json {
    let deadline = iso(DEADLINE);
    let same_system = json!({ "and": [
        { "in": [var("事業"), ["オンライン診療等", "外来診療等"]] },
        { "or": [
            { "in": ["オンライン診療等", var("補助済事業")] },
            { "in": ["外来診療等", var("補助済事業")] },
        ] },
    ] });
    // 対象施設: 資格確認限定型 is for 義務化対象外 facilities only.
    let eligible_facility = json!({ "or": [
        { "!": [eq(var("事業"), json!("資格確認限定型"))] },
        var("義務化対象外"),
    ] });
    // 受付開始前: the 機器故障時 use of 外来診療等 before its opening day.
    let before_opening = json!({ "and": [
        eq(var("事業"), json!("外来診療等")),
        var("機器故障時"),
        { "<": [var("申請日"), iso(FAILURE_OPENING)] },
    ] });
    json!({ "and": [
        { "<=": [var("申請日"), deadline] },
        { "!": [same_system] },
        { "!": [{ "in": [var("事業"), var("補助済事業")] }] },
        eligible_facility,
        { "!": [before_opening] },
    ] })
}

/// 対象事業額 of the 居宅同意取得型 rows: min(端末費用, 端末上限) + min(改修費用, 改修上限).
fn capped_cost(device_cap: i64, modification_cap: i64) -> Json {
    json!({ "+": [
        { "min": [var("モバイル端末費用"), device_cap] },
        { "min": [var("レセコン改修費用"), modification_cap] },
    ] })
}

/// [補助額, true, 補助区分] for one row of 補助内容 (補助率 = num/den; amounts in yen).
fn leaf(rate: (i64, i64), cap: i64, cost: Json, class: Json) -> Json {
    let subsidy = json!({ "/": [{ "*": [rate.0, cost] }, rate.1] });
    // 切り捨て(x, 1000円) = x − x % 1000 (x ≥ 0).
    let floored = json!({ "-": [subsidy, { "%": [subsidy, 1000] }] });
    json!([{ "min": [cap, floored] }, true, class])
}

/// The whole rule.
pub fn rule() -> Json {
    // 補助区分 names: 病院, 大型チェーン薬局, 診療所・薬局.
    let [h, c, o] = CLASSES.map(Json::from);
    let online = by_class(
        leaf((1, 2), 390_000, capped_cost(0, 781_000), h.clone()),
        leaf((1, 2), 65_000, capped_cost(0, 130_000), c.clone()),
        leaf((3, 4), 97_000, capped_cost(0, 130_000), o.clone()),
    );
    let visit_or_outpatient = by_class(
        leaf((1, 2), 411_000, capped_cost(41_000, 781_000), h),
        leaf((1, 2), 85_000, capped_cost(41_000, 130_000), c),
        leaf((3, 4), 128_000, capped_cost(41_000, 130_000), o),
    );
    let by_jigyo = json!({ "if": [
        eq(var("事業"), json!("資格確認限定型")), leaf((3, 4), 31_000, var("汎用機器費用"), class()),
        eq(var("事業"), json!("オンライン診療等")), online,
        visit_or_outpatient,
    ] });
    json!({ "if": [eligible(), by_jigyo, [0, false, class()]] })
}

fn answer(v: &DataValue<'_>) -> Option<Answer> {
    let [amount, eligible, class] = v.as_array()? else {
        return None;
    };
    let amount = amount.as_f64()?;
    let class = CLASSES.iter().position(|c| Some(*c) == class.as_str())?;
    Some(Answer {
        amount: amount as i64,
        eligible: eligible.as_bool()?,
        class: u8::try_from(class).ok()?,
    })
    .filter(|_| amount.fract() == 0.0)
}

pub fn run(records: &[Record]) -> Result<(Vec<Answer>, Timing), String> {
    let engine = Engine::new();
    let logic = engine
        .compile(&rule().to_string())
        .map_err(|e| format!("JSONLogic rule: {e}"))?;
    let inputs_arena = Bump::new();
    let mut inputs: Vec<&DataValue<'_>> = Vec::with_capacity(records.len());
    for r in records {
        let text = inputs_arena.alloc_str(&r.to_json().to_string());
        let value = DataValue::from_str(text, &inputs_arena).map_err(|e| e.to_string())?;
        inputs.push(inputs_arena.alloc(value));
    }
    let mut arena = Bump::new();
    measure(records.len(), |start, out| {
        let input = inputs.get(start..start + out.len()).ok_or("range")?;
        for (k, (data, a)) in input.iter().zip(out.iter_mut()).enumerate() {
            let result = engine
                .evaluate(&logic, *data, &arena)
                .map_err(|e| format!("record {}: {e}", start + k + 1))?;
            *a = answer(result)
                .ok_or_else(|| format!("record {}: unexpected result {result}", start + k + 1))?;
            arena.reset();
        }
        Ok(())
    })
}
