//! `onshi batch` on a facility list as a Japanese office keeps it (issue 27 §1):
//! `fixtures/office/facilities-cp932.csv` is 20 rows saved as Japanese Excel saves CSV (CP932,
//! CRLF, a Japanese header), with the office's own columns (施設コード, 施設名, 備考), dates, amounts
//! and truth values in every form Excel and people write them, and 7 bad cells in 6 rows. Every
//! good row succeeds, every bad cell is reported at its cell, every input row is in the results,
//! in order, with its carried columns; the results as a workbook are typed.

use crate::common;
use common::root;
use common::run_bytes as onshi;

use calamine::{Data, Reader};
use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;

const SUBSIDY: &str = "policies/r7/subsidy.onshi";
const OFFICE: &str = "cli/tests/fixtures/office/facilities-cp932.csv";

fn scratch(tag: &str) -> PathBuf {
    common::scratch("office", tag)
}

/// The office file's rows (UTF-8), without the header.
fn office_rows() -> Vec<Vec<String>> {
    let bytes = std::fs::read(root().join(OFFICE)).unwrap();
    assert!(std::str::from_utf8(&bytes).is_err(), "the fixture is CP932");
    assert!(bytes.windows(2).any(|w| w == b"\r\n"), "with CRLF");
    let (text, _, bad) = encoding_rs::SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    let mut r = csv::Reader::from_reader(text.as_bytes());
    r.records()
        .map(|rec| rec.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// Results of the good rows: 施設コード, then the outputs (補助区分, 補助率, 補助限度額, 対象事業額,
/// 申請期限, 申請可, 補助額).
const GOOD: [&str; 14] = [
    "1310000011,東京中央病院,院長決裁済,病院,0.5,411000,822000,2026-01-15,TRUE,411000",
    "1310000029,髙橋内科クリニック,,診療所・薬局,0.75,128000,82000,2026-01-15,TRUE,61000",
    "1310000037,さくら歯科医院,\"'=HYPERLINK(\"\"http://example.com\"\",\"\"詳細\"\")\",診療所・薬局,0.75,97000,130000,2026-01-15,TRUE,97000",
    "1340000045,みどり薬局 本店,'-要確認,大型チェーン薬局,0.5,85000,171000,2026-01-15,TRUE,85000",
    "1310000052,北町診療所,紙レセプト請求,診療所・薬局,0.75,31000,20000,2026-01-15,TRUE,15000",
    "1310000060,南病院,'@担当: 佐藤,病院,0.5,390000,781000,2026-01-15,TRUE,390000",
    "1310000078,西が丘クリニック,,診療所・薬局,0.75,128000,41000,2026-01-15,TRUE,30000",
    "1340000086,ひかり薬局,'+α,診療所・薬局,0.75,128000,130000,2026-01-15,TRUE,97000",
    "1340000144,あおば薬局,期限後,診療所・薬局,0.75,31000,30000,2026-01-15,FALSE,0",
    "1310000169,駅前クリニック,,診療所・薬局,0.75,128000,41000,2026-01-15,TRUE,30000",
    "1310000177,いずみ歯科,,診療所・薬局,0.75,128000,41000,2026-01-15,TRUE,30000",
    "1340000185,つばさ薬局,,診療所・薬局,0.75,128000,130000,2026-01-15,TRUE,97000",
    "1310000193,山手病院,,病院,0.5,411000,41000,2026-01-15,TRUE,20000",
    "1310000201,はまなす医院,期限当日,診療所・薬局,0.75,97000,130000,2026-01-15,TRUE,97000",
];

/// Every bad cell of the file: (row, cell, code, column).
const BAD: [(usize, &str, &str, &str); 7] = [
    (10, "G10", "onshi::facts::literal", "レセコン改修費用"),
    (10, "I10", "onshi::facts::literal", "申請日"),
    (
        11,
        "G11",
        "onshi::facts::spreadsheet_error",
        "レセコン改修費用",
    ),
    (12, "C12", "onshi::facts::variant", "施設種別"),
    (13, "I13", "onshi::facts::literal", "申請日"),
    (14, "J14", "onshi::facts::type", "義務化対象外"),
    (16, "I16", "onshi::facts::spreadsheet_error", "申請日"),
];

#[test]
fn an_office_facility_list_runs_end_to_end() {
    let dir = scratch("csv");
    let out = dir.join("結果.csv");
    let (code, _, err) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        OFFICE,
        "--output",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "bad cells make the run exit 1: {err}");
    assert_eq!(
        err.matches("入力でない列をそのまま結果に写します: 施設コード、施設名、備考")
            .count(),
        1,
        "said once: {err}"
    );
    assert!(err.contains("20 件を評価: 成功 14 件、失敗 6 件"), "{err}");
    // The input was CP932: the results are UTF-8 with a BOM, which Japanese Excel opens as such.
    let bytes = std::fs::read(&out).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(
        header,
        [
            "施設コード",
            "施設名",
            "備考",
            "補助区分",
            "補助率",
            "補助限度額",
            "対象事業額",
            "申請期限",
            "申請可",
            "補助額",
            "error_line",
            "error_code",
            "error_field",
            "error_message",
            "error_cell",
            "error_help"
        ]
    );
    let results: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    let rows = office_rows();
    // Every input row is in the results, in order, with its code and name carried.
    assert_eq!(results.len(), rows.len());
    assert_eq!(results.len(), 20);
    for (k, (got, row)) in results.iter().zip(&rows).enumerate() {
        assert_eq!(&got[0], &row[0], "row {}", k + 2);
        assert_eq!(&got[1], &row[1], "row {}", k + 2);
    }
    // Every good row succeeds with the answers of its plain-form equivalent.
    let lines: Vec<&str> = text.lines().skip(1).collect();
    for want in GOOD {
        let line = lines
            .iter()
            .find(|l| l.starts_with(&want[..10]))
            .unwrap_or_else(|| panic!("{want}"));
        assert_eq!(*line, format!("{want},,,,,,"), "{want}");
    }
    // Every bad cell is reported, at its cell with its column, with the help of `onshi eval`.
    let mut reported = Vec::new();
    for got in &results {
        if got[10].is_empty() {
            continue;
        }
        let line: usize = got[10].parse().unwrap();
        let codes: Vec<&str> = got[11].split("; ").collect();
        let cells: Vec<&str> = got[14].split("; ").collect();
        let messages: Vec<&str> = got[13].split(" / ").collect();
        assert_eq!(cells.len(), messages.len(), "{got:?}");
        assert_eq!(cells.len(), codes.len(), "{got:?}");
        for (k, cell) in cells.iter().enumerate() {
            let code = codes[k];
            let column = messages[k]
                .strip_prefix(&format!("{cell} "))
                .and_then(|m| m.split(':').next())
                .unwrap_or_else(|| panic!("{}", messages[k]));
            reported.push((line, cell.to_string(), code.to_string(), column.to_string()));
        }
        // The outputs of a failed row are empty; its carried cells are there.
        assert!((3..10).all(|c| got[c].is_empty()), "{got:?}");
    }
    let want: Vec<(usize, String, String, String)> = BAD
        .iter()
        .map(|(l, c, code, col)| (*l, c.to_string(), code.to_string(), col.to_string()))
        .collect();
    assert_eq!(reported, want);
    let row13 = &results[11];
    assert!(
        row13[15].contains("`令和元年5月1日` のことですか？"),
        "{row13:?}"
    );
    let row10 = &results[8];
    assert!(
        row10[15].contains("`￥411,000`") && row10[13].contains("`七十八万円`"),
        "the accepted forms are in the help: {row10:?}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The office forms mean what their plain forms mean: each good row against `onshi eval` on
/// facts written with ISO dates, integers and true/false.
#[test]
fn office_forms_give_what_onshi_eval_gives_for_the_plain_forms() {
    let dir = scratch("eval");
    let plain = [
        // 東京中央病院: ￥41,000 / 781,000円 / 2025/10/1 / ×
        (
            "1310000011",
            r#"{"施設種別":"病院","事業":"訪問診療等","モバイル端末費用":41000,"レセコン改修費用":781000,"申請日":"2025-10-01","義務化対象外":false}"#,
        ),
        // 南病院: ￥４１，０００ / ７８．１万円 / ２０２５年１０月１日 / はい
        (
            "1310000060",
            r#"{"施設種別":"病院","事業":"オンライン診療等","モバイル端末費用":41000,"レセコン改修費用":781000,"申請日":"2025-10-01","義務化対象外":true}"#,
        ),
        // みどり薬局: 4.1万円 / ￥130,000 / R07.04.01 / FALSE
        (
            "1340000045",
            r#"{"施設種別":"薬局","事業":"外来診療等","グループ処方箋受付回数":40000,"モバイル端末費用":41000,"レセコン改修費用":130000,"申請日":"2025-04-01","義務化対象外":false}"#,
        ),
    ];
    let (_, out, _) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        OFFICE,
        "--output",
        dir.join("r.jsonl").to_str().unwrap(),
    ]);
    assert!(out.is_empty());
    let lines: Vec<Value> = std::fs::read_to_string(dir.join("r.jsonl"))
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 20);
    for (code, facts) in plain {
        let file = dir.join(format!("{code}.json"));
        std::fs::write(&file, facts).unwrap();
        let (status, out, err) = onshi(&[
            "eval",
            SUBSIDY,
            "--input",
            file.to_str().unwrap(),
            "--format",
            "json",
        ]);
        assert_eq!(status, 0, "{err}");
        let want: Value = serde_json::from_slice(&out).unwrap();
        let got = lines
            .iter()
            .find(|l| l["carried"]["施設コード"] == code)
            .unwrap();
        assert_eq!(got["outputs"], want["outputs"], "{code}");
        assert_eq!(
            got["carried"]["施設名"].as_str().map(str::is_empty),
            Some(false)
        );
    }
    // A JSONL error record carries the row's columns too, and lists every failure.
    let bad = lines
        .iter()
        .find(|l| l["carried"]["施設コード"] == "1310000094")
        .unwrap();
    assert_eq!(bad["error"]["cell"], "G10");
    assert_eq!(bad["error"]["errors"].as_array().unwrap().len(), 2);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_misspelt_column_is_an_error_with_its_did_you_mean_never_carried() {
    let dir = scratch("typo");
    let input = dir.join("typo.csv");
    std::fs::write(
        &input,
        "施設名,施設種別,事業,申請曰\r\n東京中央病院,病院,訪問診療等,2025/10/1\r\n",
    )
    .unwrap();
    let (code, out, err) = onshi(&["batch", SUBSIDY, "--input", input.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("写します: 施設名\n"),
        "only 施設名 is carried: {err}"
    );
    let text = String::from_utf8(out).unwrap();
    let row = text.lines().nth(1).unwrap();
    assert!(
        row.starts_with("東京中央病院,,,,,,,,2,onshi::facts::unknown_field; onshi::facts::missing,$.申請曰; $.申請日,D2 申請曰: この政策にない入力です"),
        "{row}"
    );
    assert!(row.contains("`申請日` のことですか？"), "{row}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn jsonl_fields_that_are_not_inputs_are_carried() {
    let dir = scratch("jsonl");
    let input = dir.join("in.jsonl");
    std::fs::write(
        &input,
        "{\"施設コード\": \"1310000011\", \"施設種別\": \"病院\", \"事業\": \"訪問診療等\", \"申請日\": \"R7.10.1\"}\n\
         {\"施設コード\": \"1310000029\", \"施設種別\": \"病院\", \"事業\": \"訪問診療等\", \"申請曰\": \"R7.10.1\"}\n",
    )
    .unwrap();
    let (code, out, err) = onshi(&["batch", SUBSIDY, "--input", input.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("写します: 施設コード\n"), "{err}");
    let lines: Vec<Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines[0]["carried"]["施設コード"], "1310000011");
    assert_eq!(lines[0]["outputs"]["補助額"], 0);
    assert_eq!(lines[1]["carried"]["施設コード"], "1310000029");
    assert_eq!(lines[1]["error"]["code"], "onshi::facts::unknown_field");
    assert_eq!(lines[1]["error"]["field"], "$.申請曰");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn results_as_a_workbook_are_typed() {
    let dir = scratch("xlsx");
    let out = dir.join("results.xlsx");
    let (code, stdout, err) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        OFFICE,
        "--output",
        out.to_str().unwrap(),
        "--summary",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(stdout.is_empty());
    let mut book = calamine::open_workbook_auto(&out).unwrap();
    assert_eq!(book.sheet_names(), ["結果", "集計"]);
    let sheet = book.worksheet_range("結果").unwrap();
    let rows: Vec<&[Data]> = sheet.rows().collect();
    assert_eq!(rows.len(), 21, "a header and every input row");
    assert_eq!(rows[0][0], Data::String("施設コード".into()));
    assert_eq!(rows[0][9], Data::String("補助額".into()));
    let first = rows[1];
    assert_eq!(
        first[0],
        Data::String("1310000011".into()),
        "codes stay text"
    );
    assert_eq!(first[3], Data::String("病院".into()));
    assert_eq!(first[4], Data::Float(0.5), "補助率 a number, shown as 1/2");
    assert_eq!(first[5], Data::Float(411000.0));
    assert!(
        matches!(&first[7], Data::DateTime(d) if d.as_datetime().map(|t| t.date().to_string()) == Some("2026-01-15".into())),
        "{:?}",
        first[7]
    );
    assert_eq!(first[8], Data::Bool(true));
    // A formula in a carried column is text, never a formula.
    assert_eq!(
        rows[3][2],
        Data::String("=HYPERLINK(\"http://example.com\",\"詳細\")".into())
    );
    let formulas = book.worksheet_formula("結果").unwrap();
    assert!(formulas.used_cells().all(|(_, _, f)| f.is_empty()));
    // The error columns of a bad row.
    let bad = rows[9];
    assert_eq!(bad[10], Data::Float(10.0));
    assert_eq!(bad[14], Data::String("G10; I10".into()));
    let summary = book.worksheet_range("集計").unwrap();
    let text: Vec<String> = summary
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| c.to_string())
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    assert!(text.iter().any(|l| l == "失敗|6"), "{text:?}");
    assert!(
        text.iter()
            .any(|l| l.starts_with("補助額|件数 14  合計 1,460,000円")),
        "{text:?}"
    );
    // A bold, frozen header: the sheet's pane and the header's style.
    let raw = std::fs::read(&out).unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(raw)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    assert!(xml.contains(r#"state="frozen""#), "{xml}");
    let mut styles = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("xl/styles.xml").unwrap(), &mut styles).unwrap();
    assert!(styles.contains("<b/>") && styles.contains("#,##0") && styles.contains("yyyy-mm-dd"));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A small facility workbook (header and two rows) written by rust_xlsxwriter; with `far`, a cell
/// in XFD1048576 too (a dense reading of the sheet would be 17 billion cells).
fn workbook(path: &std::path::Path, far: bool) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        ["施設名", "施設種別", "事業", "申請日", "レセコン改修費用"],
        [
            "東京中央病院",
            "病院",
            "訪問診療等",
            "2025/10/1",
            "781,000円",
        ],
        ["北町診療所", "診療所", "外来診療等", "R7.10.1", "41000"],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    if far {
        sheet.write_string(1_048_575, 16_383, "far").unwrap();
    }
    book.save(path).unwrap();
}

/// `src` with `blanks` spaces inside its first sheet's data: a workbook a few kilobytes long that
/// inflates to `blanks` bytes and more.
fn inflated(src: &std::path::Path, dst: &std::path::Path, blanks: usize) {
    use std::io::{Read, Write};
    let mut zin = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let mut zout = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for k in 0..zin.len() {
        let mut member = zin.by_index(k).unwrap();
        let name = member.name().unwrap().to_string();
        if name != "xl/worksheets/sheet1.xml" {
            zout.raw_copy_file(member).unwrap();
            continue;
        }
        let mut xml = String::new();
        member.read_to_string(&mut xml).unwrap();
        let (head, tail) = xml.split_once("</sheetData>").unwrap();
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        zout.start_file(name, options).unwrap();
        zout.write_all(head.as_bytes()).unwrap();
        let chunk = vec![b' '; 1 << 20];
        let mut left = blanks;
        while left > 0 {
            let n = left.min(chunk.len());
            zout.write_all(&chunk[..n]).unwrap();
            left -= n;
        }
        zout.write_all(b"</sheetData>").unwrap();
        zout.write_all(tail.as_bytes()).unwrap();
    }
    zout.finish().unwrap();
}

#[test]
fn a_workbook_that_inflates_past_the_limit_is_refused() {
    let dir = scratch("inflate");
    let small = dir.join("small.xlsx");
    workbook(&small, false);
    let big = dir.join("big.xlsx");
    inflated(&small, &big, 4 << 20);
    let size = std::fs::metadata(&big).unwrap().len();
    assert!(size < 100_000, "{size} bytes on disk");
    // Under the default limit (256 MiB) it is read: the blanks are nothing.
    let (code, out, err) = onshi(&["batch", SUBSIDY, "--input", big.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), 3);
    // Past a limit of 1 MB it is refused, with its code, before anything is evaluated.
    let (code, out, err) = onshi(&[
        "batch",
        SUBSIDY,
        "--input",
        big.to_str().unwrap(),
        "--max-workbook-bytes",
        "1000000",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(out.is_empty());
    assert!(err.contains("onshi::limit::workbook"), "{err}");
    assert!(err.contains("1000000 バイト"), "{err}");
    assert!(err.contains("--max-workbook-bytes"), "{err}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A sheet with a cell in XFD1048576 is read in flat memory: under a 2 GB address-space limit
/// (calamine's dense range would ask for hundreds of gigabytes).
#[test]
fn a_far_cell_does_not_make_the_sheet_dense() {
    let dir = scratch("far");
    let far = dir.join("far.xlsx");
    workbook(&far, true);
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v 2000000 && exec '{}' batch {SUBSIDY} --input '{}' --jobs 1",
            env!("CARGO_BIN_EXE_onshi"),
            far.display()
        ))
        .current_dir(root())
        .env_remove("ONSHI_LANG")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(0), "{err}");
    let out = String::from_utf8(o.stdout).unwrap();
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    assert!(
        lines[1].starts_with("東京中央病院,病院,0.5,411000,"),
        "{out}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// In a workbook as in CSV, every bad cell of a row is reported at its cell, with its column.
#[test]
fn every_bad_cell_of_a_workbook_row_is_named() {
    let dir = scratch("xlsx-bad");
    let path = dir.join("bad.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let rows = [
        [
            "施設名",
            "施設種別",
            "事業",
            "申請日",
            "レセコン改修費用",
            "義務化対象外",
        ],
        [
            "東京中央病院",
            "病院",
            "訪問診療等",
            "H31.5.1",
            "七十八万円",
            "多分",
        ],
        [
            "北町診療所",
            "診療所",
            "外来診療等",
            "R7.10.1",
            "￥41,000",
            "○",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    book.save(&path).unwrap();
    let (code, out, err) = onshi(&["batch", SUBSIDY, "--input", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    let out = String::from_utf8(out).unwrap();
    let mut reader = csv::Reader::from_reader(out.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(&rows[0][0], "東京中央病院");
    assert_eq!(&rows[0][12], "D2; E2; F2", "{:?}", rows[0]);
    assert_eq!(
        &rows[0][9],
        "onshi::facts::literal; onshi::facts::literal; onshi::facts::type"
    );
    assert!(
        rows[0][11].starts_with("D2 申請日: `H31.5.1` は平成の期間"),
        "{:?}",
        rows[0]
    );
    assert!(
        rows[0][13].contains("`令和元年5月1日` のことですか？"),
        "{:?}",
        rows[0]
    );
    assert_eq!(&rows[1][0], "北町診療所");
    assert_eq!(&rows[1][1], "診療所・薬局", "{:?}", rows[1]);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The rendering of `onshi::limit::workbook` in both languages (the snapshot of this code; the
/// others are in `tests/corpus/diagnostics/`): a workbook that inflates past
/// `--max-workbook-bytes`, which `onshi batch` refuses before reading (built here: a zip whose
/// sheet is 2 MB of blanks).
#[test]
fn limit_workbook() {
    use std::io::Write;
    let dir = std::env::temp_dir().join(format!("onshi-diag-workbook-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("big.xlsx");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(&path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options).unwrap();
    zip.write_all(&vec![b' '; 2 << 20]).unwrap();
    zip.finish().unwrap();
    let mut text = String::new();
    for lang in ["ja", "en"] {
        let o = common::onshi_command(&[
            "--lang",
            lang,
            "batch",
            "policies/r7/subsidy.onshi",
            "--input",
        ])
        .arg(&path)
        .args(["--max-workbook-bytes", "1000000"])
        .output()
        .unwrap();
        assert_eq!(o.status.code(), Some(1));
        let err = String::from_utf8_lossy(&o.stderr).replace(&dir.display().to_string(), "…");
        text.push_str(&format!("--- {lang} ---\n{}\n", err.trim_end()));
    }
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(text.contains("onshi::limit::workbook"), "{text}");
    insta::assert_snapshot!("limit_workbook", text);
}
