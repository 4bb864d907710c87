//! The hand-written rule: policies/r7/subsidy.onshi as a plain Rust function (the baseline every
//! engine is checked against and compared with).

use crate::records::{Answer, Record, HOSPITAL, ONLINE, OUTPATIENT, PHARMACY, QUALIFICATION_ONLY};

/// 申請期限: 令和8年1月15日.
pub const DEADLINE: u32 = 20260115;
/// 機器故障時の受付開始日: the 機器故障時 use of 外来診療等 is accepted from 2025-06-30.
pub const FAILURE_OPENING: u32 = 20250630;
/// 大型チェーン薬局: グループの処方箋受付が月4万回以上.
pub const LARGE_CHAIN_COUNT: i64 = 40_000;

/// Every output of the policy (what `onshi batch` writes).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subsidy {
    /// 補助区分 (index into `records::CLASSES`).
    pub class: u8,
    /// 補助率 as (numerator, denominator), reduced.
    pub rate: (i64, i64),
    /// 補助限度額
    pub cap: i64,
    /// 対象事業額
    pub cost: i64,
    /// 申請可
    pub eligible: bool,
    /// 補助額
    pub amount: i64,
}

impl Subsidy {
    pub fn answer(&self) -> Answer {
        Answer {
            amount: self.amount,
            eligible: self.eligible,
            class: self.class,
        }
    }
}

/// A row of 補助内容: 補助率, 補助限度額, 端末上限, 改修上限.
struct Row {
    rate: (i64, i64),
    cap: i64,
    device_cap: i64,
    modification_cap: i64,
}

const fn row(rate: (i64, i64), cap: i64, device_cap: i64, modification_cap: i64) -> Row {
    Row {
        rate,
        cap,
        device_cap,
        modification_cap,
    }
}

/// 補助区分の判定 (common/facility.onshi).
#[inline]
pub fn class(kind: u8, group_count: i64) -> u8 {
    match kind {
        HOSPITAL => 0,
        PHARMACY if group_count >= LARGE_CHAIN_COUNT => 1,
        _ => 2,
    }
}

/// The table 補助内容(事業, 区分).
#[inline]
fn content(jigyo: u8, class: u8) -> Row {
    match (jigyo, class) {
        (QUALIFICATION_ONLY, _) => row((3, 4), 31_000, 0, 0),
        (ONLINE, 0) => row((1, 2), 390_000, 0, 781_000),
        (ONLINE, 1) => row((1, 2), 65_000, 0, 130_000),
        (ONLINE, _) => row((3, 4), 97_000, 0, 130_000),
        (_, 0) => row((1, 2), 411_000, 41_000, 781_000),
        (_, 1) => row((1, 2), 85_000, 41_000, 130_000),
        (_, _) => row((3, 4), 128_000, 41_000, 130_000),
    }
}

/// The whole policy for one record.
#[inline]
pub fn subsidy(r: &Record) -> Subsidy {
    let class = class(r.kind, r.group_count);
    let row = content(r.jigyo, class);
    let cost = if r.jigyo == QUALIFICATION_ONLY {
        r.generic
    } else {
        r.mobile.min(row.device_cap) + r.rececon.min(row.modification_cap)
    };
    let same_system_bits = (1 << ONLINE) | (1 << OUTPATIENT);
    let same_system =
        (r.jigyo == ONLINE || r.jigyo == OUTPATIENT) && r.done & same_system_bits != 0;
    // 対象施設: 資格確認限定型 is for 義務化対象外 facilities only.
    let eligible_facility = r.jigyo != QUALIFICATION_ONLY || r.exempt;
    // 受付開始前: the 機器故障時 use of 外来診療等 before its opening day.
    let before_opening = r.jigyo == OUTPATIENT && r.failure && r.date < FAILURE_OPENING;
    let eligible = r.date <= DEADLINE
        && !same_system
        && r.done & (1 << r.jigyo) == 0
        && eligible_facility
        && !before_opening;
    let (num, den) = row.rate;
    // 切り捨て(補助率 × 対象事業額, 1000円): floor(num × cost / den / 1000) × 1000, exactly.
    let floored = (num * cost).div_euclid(den * 1000) * 1000;
    let amount = if eligible { row.cap.min(floored) } else { 0 };
    Subsidy {
        class,
        rate: row.rate,
        cap: row.cap,
        cost,
        eligible,
        amount,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u8, jigyo: u8, costs: (i64, i64, i64), date: u32, done: u8) -> Record {
        flagged(kind, jigyo, costs, date, done, (false, false))
    }

    /// A record with (義務化対象外, 機器故障時).
    fn flagged(
        kind: u8,
        jigyo: u8,
        costs: (i64, i64, i64),
        date: u32,
        done: u8,
        (exempt, failure): (bool, bool),
    ) -> Record {
        Record {
            kind,
            group_count: 0,
            jigyo,
            mobile: costs.0,
            rececon: costs.1,
            generic: costs.2,
            date,
            done,
            exempt,
            failure,
        }
    }

    /// Some of the policy's 例 (policies/r7/subsidy.onshi).
    #[test]
    fn examples_of_the_policy() {
        let hospital_visit = record(HOSPITAL, 0, (41_000, 781_000, 0), 20251001, 0);
        assert_eq!(subsidy(&hospital_visit).amount, 411_000);
        assert_eq!(subsidy(&hospital_visit).cost, 822_000);
        let dental_outpatient = record(2, OUTPATIENT, (30_000, 101_000, 0), 20251001, 0);
        assert_eq!(subsidy(&dental_outpatient).amount, 98_000);
        let exempt = (true, false);
        let qualification = flagged(
            HOSPITAL,
            QUALIFICATION_ONLY,
            (0, 0, 40_500),
            20251001,
            0,
            exempt,
        );
        assert_eq!(subsidy(&qualification).amount, 30_000);
        let obliged = record(1, QUALIFICATION_ONLY, (0, 0, 50_000), 20251001, 0);
        assert!(!subsidy(&obliged).eligible);
        assert_eq!(subsidy(&obliged).amount, 0);
        let failure = (false, true);
        let early = flagged(1, OUTPATIENT, (41_000, 0, 0), 20250629, 0, failure);
        assert!(!subsidy(&early).eligible);
        let opening = flagged(1, OUTPATIENT, (41_000, 0, 0), FAILURE_OPENING, 0, failure);
        assert_eq!(subsidy(&opening).amount, 30_000);
        let usual_route = record(1, OUTPATIENT, (41_000, 0, 0), 20250629, 0);
        assert_eq!(subsidy(&usual_route).amount, 30_000);
        let other_jigyo = flagged(1, 0, (41_000, 0, 0), 20250629, 0, failure);
        assert_eq!(subsidy(&other_jigyo).amount, 30_000);
        let on_deadline = record(HOSPITAL, 0, (41_000, 0, 0), DEADLINE, 0);
        assert_eq!(subsidy(&on_deadline).amount, 20_000);
        let late = record(HOSPITAL, 0, (41_000, 0, 0), 20260116, 0);
        assert!(!subsidy(&late).eligible);
        let same_system = record(1, OUTPATIENT, (41_000, 0, 0), 20251001, 1 << ONLINE);
        assert_eq!(subsidy(&same_system).amount, 0);
        let both = record(1, ONLINE, (0, 130_000, 0), 20251001, 1);
        assert_eq!(subsidy(&both).amount, 97_000);
    }
}
