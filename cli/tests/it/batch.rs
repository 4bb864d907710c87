//! `onshi batch` end to end: same answers as `onshi eval`, in order, for JSONL and CSV; bad
//! records become error records; `--summary`; exit codes.

use crate::common;
use common::run as onshi;

use serde_json::{json, Value};
use std::path::PathBuf;

const SUBSIDY: &str = "policies/r7/subsidy.onshi";

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("onshi-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Facts for many hospitals/clinics/pharmacies and every 事業, deterministic.
fn records(n: usize) -> Vec<Value> {
    let kinds = ["病院", "診療所", "歯科診療所", "薬局"];
    let jigyo = [
        "訪問診療等",
        "オンライン診療等",
        "外来診療等",
        "資格確認限定型",
    ];
    let days = ["2025-10-01", "令和8年1月15日", "2026-01-16"];
    (0..n)
        .map(|i| {
            let count = [0, 39_999, 40_000][i % 3];
            json!({
                "施設種別": kinds[i % 4],
                "グループ処方箋受付回数": count,
                "事業": jigyo[(i / 4) % 4],
                "モバイル端末費用": (i * 7_919) % 60_000,
                "レセコン改修費用": format!("{}円", (i * 104_729) % 900_000),
                "汎用機器費用": (i * 31) % 50_000,
                "申請日": days[(i / 16) % 3],
            })
        })
        .collect()
}

fn eval_one(facts: &Value) -> Value {
    let path = tmp(&format!("facts-{}.json", facts.to_string().len()));
    std::fs::write(&path, facts.to_string()).unwrap();
    let (code, out, err) = onshi(&[
        "eval",
        SUBSIDY,
        "--input",
        path.to_str().unwrap(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn jsonl_gives_the_same_answers_as_eval_in_order() {
    let recs = records(300);
    let input = tmp("in.jsonl");
    let output = tmp("out.jsonl");
    let text: String = recs.iter().map(|r| format!("{r}\n")).collect();
    std::fs::write(&input, text).unwrap();
    let (code, _, err) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--jobs",
        "2",
    ]);
    assert_eq!(code, 0, "{err}");
    let lines: Vec<Value> = std::fs::read_to_string(&output)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 300);
    for k in [0, 1, 17, 150, 299] {
        assert_eq!(lines[k], eval_one(&recs[k]), "record {k}");
    }
    assert!(
        err.contains("300 件を評価: 成功 300 件、失敗 0 件"),
        "{err}"
    );
}

#[test]
fn csv_in_csv_out_with_an_error_record_and_a_summary() {
    let input = tmp("in.csv");
    let output = tmp("out.csv");
    std::fs::write(
        &input,
        "施設種別,事業,モバイル端末費用,レセコン改修費用,申請日,補助済事業\n\
         病院,訪問診療等,41000,78.1万円,令和7年10月1日,\n\
         診療所,外来診療等,41000,0,令和7年2月30日,\n\
         診療所,外来診療等,41000,0,2025-10-01,オンライン診療等\n\
         薬局,オンライン診療等,0,130000,2025-10-01,\n",
    )
    .unwrap();
    let (code, _, err) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        input.to_str().unwrap(),
        "--output",
        output.to_str().unwrap(),
        "--summary",
    ]);
    assert_eq!(code, 1, "a bad record makes the run exit 1: {err}");
    let out = std::fs::read_to_string(&output).unwrap();
    let rows: Vec<&str> = out.lines().collect();
    assert_eq!(rows.len(), 5, "a header and one row per record:\n{out}");
    assert!(rows[0]
        .starts_with("補助区分,補助率,補助限度額,対象事業額,申請期限,申請可,補助額,error_line"));
    assert!(
        rows[1].starts_with("病院,0.5,411000,822000,2026-01-15,TRUE,411000,"),
        "{}",
        rows[1]
    );
    assert!(
        rows[2].contains(",3,onshi::facts::literal,$.申請日,"),
        "line 3 of the file: {}",
        rows[2]
    );
    assert!(
        rows[3].contains(",FALSE,0,"),
        "already subsidised for the same system: {}",
        rows[3]
    );
    assert!(
        rows[4].starts_with("診療所・薬局,0.75,97000,130000,"),
        "{}",
        rows[4]
    );
    assert!(
        err.contains("補助区分 = 病院 の 補助額 合計: 411,000円"),
        "{err}"
    );
    assert!(err.contains("失敗: 1"), "{err}");
    assert!(err.contains("4 件を評価: 成功 3 件、失敗 1 件"), "{err}");
}

#[test]
fn malformed_jsonl_lines_are_error_records_not_dropped() {
    let input = tmp("bad.jsonl");
    std::fs::write(
        &input,
        "{\"施設種別\": \"病院\"\nnot json\n{\"施設種類\": \"病院\"}\n",
    )
    .unwrap();
    let (code, out, _) = onshi(&["batch", SUBSIDY, "--input", input.to_str().unwrap()]);
    assert_eq!(code, 1);
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0]["error"]["code"], "onshi::facts::json");
    assert_eq!(lines[1]["error"]["line"], 2);
    assert_eq!(lines[2]["error"]["code"], "onshi::facts::unknown_field");
    assert_eq!(lines[2]["error"]["field"], "$.施設種類");
}

#[test]
fn a_missing_input_file_is_a_usage_error() {
    let (code, _, err) = onshi(&["batch", SUBSIDY, "--input", "no/such/file.jsonl"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn english_error_records_and_summary_with_lang_en() {
    let input = tmp("en.jsonl");
    std::fs::write(
        &input,
        "{\"施設種別\": \"病院\", \"事業\": \"訪問診療等\", \"申請日\": \"2025-10-01\"}\n\
         {\"施設種類\": \"病院\"}\n{\"施設種別\": \"病院\", \"事業\": \"訪問診療等\", \"申請日\": \"令和7年2月30日\"}\n",
    )
    .unwrap();
    let (code, out, err) = onshi(&[
        "--lang",
        "en",
        "batch",
        SUBSIDY,
        "--input",
        input.to_str().unwrap(),
        "--summary",
    ]);
    assert_eq!(code, 1, "{err}");
    let lines: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(
        lines[1]["error"]["message"],
        "$.施設種類: this policy has no such input"
    );
    let message = lines[2]["error"]["message"].as_str().unwrap();
    assert!(message.starts_with("$.申請日: "), "{message}");
    assert!(
        !message.contains("日付") && !message.contains("ません"),
        "{message}"
    );
    // Values in the summary are in their English text forms; the separators are English too.
    assert!(err.contains("申請期限: 2026-01-15 1\n"), "{err}");
    assert!(err.contains("申請可: true 1\n"), "{err}");
    assert!(!err.contains('、'), "{err}");
    assert!(
        err.contains("evaluated 3 record(s): 1 succeeded, 2 failed"),
        "{err}"
    );
}
