//! The records (`bench/gen_records.py`'s CSV) as typed Rust values, the answers every engine gives
//! (補助額, 申請可, 補助区分) and their binary file form, shared by every engine and the driver.

use std::io::{Read, Write};
use std::path::Path;

/// 施設種別 (保険医療機関種別), in the policy's declaration order.
pub const KINDS: [&str; 4] = ["病院", "診療所", "歯科診療所", "薬局"];
pub const HOSPITAL: u8 = 0;
pub const PHARMACY: u8 = 3;

/// 事業, in the policy's declaration order.
pub const JIGYO: [&str; 4] = [
    "訪問診療等",
    "オンライン診療等",
    "外来診療等",
    "資格確認限定型",
];
pub const ONLINE: u8 = 1;
pub const OUTPATIENT: u8 = 2;
pub const QUALIFICATION_ONLY: u8 = 3;

/// 補助区分, in the policy's declaration order (the `class` of an [`Answer`]).
pub const CLASSES: [&str; 3] = ["病院", "大型チェーン薬局", "診療所・薬局"];

/// The CSV columns, in `gen_records.py`'s order.
pub const COLUMNS: [&str; 10] = [
    "施設種別",
    "グループ処方箋受付回数",
    "事業",
    "モバイル端末費用",
    "レセコン改修費用",
    "汎用機器費用",
    "申請日",
    "補助済事業",
    "義務化対象外",
    "機器故障時",
];

/// One record's facts. Enumerations are indexes into [`KINDS`] / [`JIGYO`]; 補助済事業 is a bit
/// set over [`JIGYO`]; 申請日 is `yyyymmdd` as a number (ordered like the date).
/// `exempt` is 義務化対象外 and `failure` is 機器故障時 (both default false).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record {
    pub kind: u8,
    pub group_count: i64,
    pub jigyo: u8,
    pub mobile: i64,
    pub rececon: i64,
    pub generic: i64,
    pub date: u32,
    pub done: u8,
    pub exempt: bool,
    pub failure: bool,
}

impl Record {
    /// 申請日 as ISO text (`2025-10-01`).
    pub fn iso_date(&self) -> String {
        let d = self.date;
        format!("{:04}-{:02}-{:02}", d / 10000, d / 100 % 100, d % 100)
    }

    /// 補助済事業 as names, in declaration order.
    pub fn done_names(&self) -> Vec<&'static str> {
        (0..4u8)
            .filter(|j| self.done & (1 << j) != 0)
            .filter_map(|j| JIGYO.get(usize::from(j)).copied())
            .collect()
    }

    /// The record as a JSON object with the policy's input names (the facts form of onshi, the
    /// data of JSONLogic and the context of ZEN). Dates are ISO text, sets are arrays of names.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::json!({
            "施設種別": name(&KINDS, self.kind),
            "グループ処方箋受付回数": self.group_count,
            "事業": name(&JIGYO, self.jigyo),
            "モバイル端末費用": self.mobile,
            "レセコン改修費用": self.rececon,
            "汎用機器費用": self.generic,
            "申請日": self.iso_date(),
            "補助済事業": self.done_names(),
            "義務化対象外": self.exempt,
            "機器故障時": self.failure,
        })
    }
}

pub fn name(names: &[&'static str], i: u8) -> &'static str {
    names.get(usize::from(i)).copied().unwrap_or("?")
}

fn index_of(names: &[&str], cell: &str, column: &str) -> Result<u8, String> {
    names
        .iter()
        .position(|n| *n == cell)
        .and_then(|i| u8::try_from(i).ok())
        .ok_or_else(|| format!("{column}: unknown value {cell:?}"))
}

/// An integer cell; empty means the policy's default 0.
fn int(cell: &str, column: &str) -> Result<i64, String> {
    if cell.is_empty() {
        return Ok(0);
    }
    cell.parse()
        .map_err(|_| format!("{column}: not an integer: {cell:?}"))
}

/// A boolean cell (`true`/`false`, as `bench/gen_records.py` writes them); empty means the
/// policy's default false.
fn boolean(cell: &str, column: &str) -> Result<bool, String> {
    match cell {
        "true" => Ok(true),
        "false" | "" => Ok(false),
        _ => Err(format!("{column}: not true or false: {cell:?}")),
    }
}

/// `2025-10-01` → 20251001.
fn date(cell: &str) -> Result<u32, String> {
    let bad = || format!("申請日: not an ISO date: {cell:?}");
    let mut parts = cell.split('-');
    let (Some(y), Some(m), Some(d), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let (y, m, d): (u32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return Err(bad());
    }
    Ok(y * 10000 + m * 100 + d)
}

/// One CSV row (cells in [`COLUMNS`] order) as a record.
pub fn parse_row<'a>(cells: impl IntoIterator<Item = &'a str>) -> Result<Record, String> {
    let mut c = cells.into_iter().map(str::trim);
    let mut next = || c.next().unwrap_or("");
    let kind = index_of(&KINDS, next(), "施設種別")?;
    let group_count = int(next(), "グループ処方箋受付回数")?;
    let jigyo = index_of(&JIGYO, next(), "事業")?;
    let mobile = int(next(), "モバイル端末費用")?;
    let rececon = int(next(), "レセコン改修費用")?;
    let generic = int(next(), "汎用機器費用")?;
    let date = date(next())?;
    let mut done = 0u8;
    for s in next().split(';').map(str::trim).filter(|s| !s.is_empty()) {
        done |= 1 << index_of(&JIGYO, s, "補助済事業")?;
    }
    let exempt = boolean(next(), "義務化対象外")?;
    let failure = boolean(next(), "機器故障時")?;
    Ok(Record {
        kind,
        group_count,
        jigyo,
        mobile,
        rececon,
        generic,
        date,
        done,
        exempt,
        failure,
    })
}

/// Every record of a CSV file with [`COLUMNS`] as its header.
pub fn load_csv(path: &Path) -> Result<Vec<Record>, String> {
    let mut reader =
        csv::Reader::from_path(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| format!("{}: {e}", path.display()))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    if header != COLUMNS {
        return Err(format!(
            "{}: expected the columns {COLUMNS:?}",
            path.display()
        ));
    }
    let mut out = Vec::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| format!("{}: {e}", path.display()))?;
        out.push(parse_row(row.iter()).map_err(|e| format!("record {}: {e}", i + 1))?);
    }
    Ok(out)
}

/// What every engine must agree on, per record.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Answer {
    /// 補助額 in yen.
    pub amount: i64,
    /// 申請可
    pub eligible: bool,
    /// 補助区分, an index into [`CLASSES`].
    pub class: u8,
}

/// Bytes per answer in the answers file: i64 little-endian, then two bytes (申請可, 補助区分).
/// The OpenFisca script writes the same layout with a packed numpy structured array.
pub const ANSWER_BYTES: usize = 10;

pub fn write_answers(path: &Path, answers: &[Answer]) -> Result<(), String> {
    let mut buf = Vec::with_capacity(answers.len() * ANSWER_BYTES);
    for a in answers {
        buf.extend_from_slice(&a.amount.to_le_bytes());
        buf.push(u8::from(a.eligible));
        buf.push(a.class);
    }
    std::fs::File::create(path)
        .and_then(|mut f| f.write_all(&buf))
        .map_err(|e| format!("{}: {e}", path.display()))
}

pub fn read_answers(path: &Path) -> Result<Vec<Answer>, String> {
    let mut buf = Vec::new();
    std::fs::File::open(path)
        .and_then(|mut f| f.read_to_end(&mut buf))
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if buf.len() % ANSWER_BYTES != 0 {
        return Err(format!("{}: not a whole number of answers", path.display()));
    }
    Ok(buf
        .chunks_exact(ANSWER_BYTES)
        .map(|c| {
            let mut amount = [0u8; 8];
            amount.copy_from_slice(&c[..8]);
            Answer {
                amount: i64::from_le_bytes(amount),
                eligible: c[8] != 0,
                class: c[9],
            }
        })
        .collect())
}
