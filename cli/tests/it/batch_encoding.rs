//! `onshi batch` with data as Japanese offices have it: CP932 (detected or `--encoding`), UTF-8
//! with or without a BOM, spreadsheets (a `.xlsx` written by LibreOffice), and results for Excel
//! (`--output-encoding utf-8-bom | cp932`), where a value CP932 cannot represent is an error
//! record, never a `?`. The live round trips through LibreOffice are in `external.rs`.

use crate::common;
use common::root;

use encoding_rs::SHIFT_JIS;
use std::path::PathBuf;

const SUBSIDY: &str = "policies/r7/subsidy.onshi";
const FACILITIES: &str = "cli/tests/fixtures/facilities.csv";
const NAMES: &str = "cli/tests/fixtures/names.onshi";

struct Scratch(PathBuf);

impl Scratch {
    fn new(tag: &str) -> Scratch {
        Scratch(common::scratch("enc", tag))
    }
    fn file(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn batch(args: &[&str]) -> (i32, Vec<u8>, String) {
    common::run_bytes(&[&["batch"], args].concat())
}

fn utf8_csv() -> Vec<u8> {
    std::fs::read(root().join(FACILITIES)).unwrap()
}

fn cp932(text: &str) -> Vec<u8> {
    let (b, _, bad) = SHIFT_JIS.encode(text);
    assert!(!bad);
    b.into_owned()
}

/// The results of the UTF-8 CSV without a BOM: what every other encoding must give.
fn reference() -> String {
    let (code, out, err) = batch(&[SUBSIDY, "--input", FACILITIES]);
    assert_eq!(code, 1, "one record has a bad cell: {err}");
    let text = String::from_utf8(out).unwrap();
    assert_eq!(text.lines().count(), 6, "{text}");
    text
}

#[test]
fn cp932_input_is_detected_or_named() {
    let s = Scratch::new("cp932");
    let text = String::from_utf8(utf8_csv()).unwrap();
    let file = s.file("sjis.csv", &cp932(&text));
    let expected = reference();
    for extra in [
        &[][..],
        &["--encoding", "cp932"][..],
        &["--encoding", "shift_jis"][..],
    ] {
        let mut args = vec![SUBSIDY, "--input", file.as_str()];
        args.extend_from_slice(extra);
        let (_, out, err) = batch(&args);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            expected,
            "{extra:?}: {err}"
        );
    }
    // Read as UTF-8, the CP932 header is not text: the run stops at it, as before.
    let (code, _, err) = batch(&[SUBSIDY, "--input", &file, "--encoding", "utf-8"]);
    assert_eq!(code, 1);
    assert!(err.contains("CSV header"), "{err}");
}

#[test]
fn utf8_with_a_bom_reads_like_without() {
    let s = Scratch::new("bom");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend(utf8_csv());
    let file = s.file("bom.csv", &bytes);
    let (_, out, _) = batch(&[SUBSIDY, "--input", &file]);
    assert_eq!(String::from_utf8(out).unwrap(), reference());
}

#[test]
fn bytes_that_are_not_cp932_make_an_error_record() {
    let s = Scratch::new("bad");
    let mut bytes = cp932("施設種別,事業,申請日\n病院,訪問診療等,2025-10-01\n");
    // 0x85 0x40 is not a CP932 character.
    bytes.extend(b"\x95\x61\x89\x40,\x85\x40,2025-10-01\n");
    bytes.extend(cp932("診療所,訪問診療等,2025-10-01\n"));
    let file = s.file("bad.csv", &bytes);
    let (code, out, _) = batch(&[SUBSIDY, "--input", &file, "--encoding", "cp932"]);
    assert_eq!(code, 1);
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert!(lines[1].starts_with("病院,0.5,"));
    assert!(lines[2].contains(",3,onshi::facts::json,"), "{}", lines[2]);
    assert!(lines[2].contains("CP932 (Shift_JIS) として読めないバイトがあります"));
    assert!(lines[3].starts_with("診療所・薬局,0.75,"));
}

#[test]
fn an_xlsx_written_by_libreoffice_reads_like_the_csv() {
    // facilities.xlsx is facilities.csv converted by LibreOffice (soffice --convert-to xlsx): its
    // dates are date cells, its amounts numbers, 1234.5 a fraction, =NA() an error cell.
    let (code, out, err) = batch(&[SUBSIDY, "--input", "cli/tests/fixtures/facilities.xlsx"]);
    assert_eq!(code, 1, "{err}");
    let text = String::from_utf8(out).unwrap();
    let want = reference();
    let (got_lines, want_lines): (Vec<&str>, Vec<&str>) =
        (text.lines().collect(), want.lines().collect());
    assert_eq!(got_lines.len(), want_lines.len(), "{text}");
    for (k, (g, w)) in got_lines.iter().zip(&want_lines).enumerate() {
        if k == 4 {
            // The error cell: an error record on the same row, naming the cell and the column.
            assert!(g.starts_with(",,,,,,,5,onshi::facts::spreadsheet_error,$.レセコン改修費用,E5 レセコン改修費用: `#N/A` は表計算ソフトのエラー値です（値がありません）,E5,"), "{g}");
            assert!(
                w.contains(",5,onshi::facts::literal,$.レセコン改修費用,"),
                "{w}"
            );
        } else {
            assert_eq!(g, w);
        }
    }
    let (code, _, err) = batch(&[
        SUBSIDY,
        "--input",
        "cli/tests/fixtures/facilities.xlsx",
        "--sheet",
        "無い",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("sheet 無い"), "{err}");
}

#[test]
fn output_for_excel_with_a_bom_or_in_cp932() {
    let s = Scratch::new("out");
    let want = reference();
    let bom = s.path("bom.csv");
    batch(&[
        SUBSIDY,
        "--input",
        FACILITIES,
        "--output",
        &bom,
        "--output-encoding",
        "utf-8-bom",
    ]);
    let bytes = std::fs::read(&bom).unwrap();
    assert_eq!(&bytes[..3], b"\xEF\xBB\xBF");
    assert_eq!(String::from_utf8(bytes[3..].to_vec()).unwrap(), want);
    let sjis = s.path("sjis.csv");
    batch(&[
        SUBSIDY,
        "--input",
        FACILITIES,
        "--output",
        &sjis,
        "--output-encoding",
        "cp932",
    ]);
    let bytes = std::fs::read(&sjis).unwrap();
    assert!(
        std::str::from_utf8(&bytes).is_err(),
        "written in CP932, not UTF-8"
    );
    let (text, _, bad) = SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert_eq!(text, want);
}

#[test]
fn a_value_cp932_cannot_represent_is_an_error_record_not_a_question_mark() {
    let s = Scratch::new("names");
    let input = s.file(
        "names.csv",
        "施設名,費用\n髙橋医院,500000\n𠮷野クリニック,100000\n①番薬局,2000\n".as_bytes(),
    );
    let out = s.path("out.csv");
    let (code, _, err) = batch(&[
        NAMES,
        "--input",
        &input,
        "--output",
        &out,
        "--output-encoding",
        "cp932",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("成功 2 件、失敗 1 件"), "{err}");
    let bytes = std::fs::read(&out).unwrap();
    assert!(!bytes.contains(&b'?'), "no silent ?");
    let (text, _, bad) = SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert_eq!(
        text,
        "名称,補助額,error_line,error_code,error_field,error_message,error_cell,error_help\n\
         髙橋医院,411000,,,,,,\n\
         ,,3,batch::unrepresentable,名称,出力 `名称` の値に CP932 (Shift_JIS) で書けない文字 U+20BB7 があります,,`--output-encoding utf-8-bom` で書いてください\n\
         ①番薬局,2000,,,,,,\n"
    );
    // In UTF-8 with a BOM the same name is written as it is.
    let (code, _, _) = batch(&[
        NAMES,
        "--input",
        &input,
        "--output",
        &out,
        "--output-encoding",
        "utf-8-bom",
    ]);
    assert_eq!(code, 0);
    assert!(String::from_utf8(std::fs::read(&out).unwrap())
        .unwrap()
        .contains("𠮷野クリニック,100000"));
    // A bad fact quoting an unrepresentable value: the error record itself stays writable.
    let input = s.file("bad.csv", "施設名,費用\n𠮷,多い\n".as_bytes());
    let (code, _, _) = batch(&[
        NAMES,
        "--input",
        &input,
        "--output",
        &out,
        "--output-encoding",
        "cp932",
    ]);
    assert_eq!(code, 1);
    let bytes = std::fs::read(&out).unwrap();
    let (text, _, bad) = SHIFT_JIS.decode(&bytes);
    assert!(!bad);
    assert!(text.contains(",2,onshi::facts::literal,$.費用,"), "{text}");
}
