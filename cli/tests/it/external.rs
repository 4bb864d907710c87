//! `onshi test` and `onshi batch` output read by real consumers: the JUnit XML by junitparser
//! (Debian's python3-junitparser, the library CI tools use to merge and read JUnit reports), the
//! lcov tracefile by `genhtml` (Debian's lcov), and spreadsheets written and read by LibreOffice
//! (`soffice --convert-to`). These need the programs installed, so they are ignored by
//! `cargo test`; `cargo xtask test-web` installs them and runs these with `--ignored`.

use crate::common;
use common::root;

use std::path::{Path, PathBuf};
use std::process::Command;

fn onshi(args: &[&str]) -> std::process::Output {
    common::onshi_command(args).output().unwrap()
}

/// A fresh scratch directory for one test.
fn scratch(name: &str) -> PathBuf {
    common::scratch("ext", name)
}

fn run_ok(cmd: &mut Command) -> String {
    let o = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        o.status.success(),
        "{cmd:?}: {}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
#[ignore = "run by cargo xtask test-web (needs python3-junitparser)"]
fn junit_is_read_by_junitparser() {
    let dir = scratch("junit");
    let o = onshi(&[
        "test",
        "--format",
        "junit",
        "policies/",
        "cli/tests/fixtures/failing.onshi",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let file = dir.join("report.xml");
    std::fs::write(&file, &o.stdout).unwrap();
    let script = "import sys\nfrom junitparser import JUnitXml\nx = JUnitXml.fromfile(sys.argv[1])\n\
        for s in x:\n    print(s.name, s.tests, s.failures, s.errors, len(list(s)))\n    \
        for c in s:\n        for r in c.result:\n            print('>', c.name, type(r).__name__, r.message)\n";
    let out = run_ok(
        Command::new("/usr/bin/python3")
            .args(["-c", script])
            .arg(&file),
    );
    let lines: Vec<&str> = out.lines().collect();
    assert!(
        lines.contains(&"令和7年度 地域診療情報連携推進費補助金 29 0 0 29"),
        "{out}"
    );
    assert!(lines.contains(&"失敗する例 2 1 0 2"), "{out}");
    assert!(
        lines.contains(&"> 誤った期待 <&> Failure 補助額: 期待 90,000円 / 実際 100,000円"),
        "{out}"
    );
    assert_eq!(
        lines.iter().filter(|l| l.starts_with('>')).count(),
        1,
        "{out}"
    );
    // junitparser's own command line merges it, as CI jobs do with several reports.
    let merged = dir.join("merged.xml");
    run_ok(
        Command::new("/usr/bin/python3")
            .args(["-m", "junitparser", "merge"])
            .arg(&file)
            .arg(&file)
            .arg(&merged),
    );
    let text = std::fs::read_to_string(&merged).unwrap();
    assert_eq!(text.matches("<failure").count(), 2, "{text}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "run by cargo xtask test-web (needs lcov)"]
fn lcov_is_accepted_by_genhtml() {
    let dir = scratch("lcov");
    let o = onshi(&[
        "test",
        "--format",
        "lcov",
        "policies/",
        "cli/tests/fixtures/applied.onshi",
    ]);
    assert!(o.status.success());
    let info = dir.join("coverage.info");
    std::fs::write(&info, &o.stdout).unwrap();
    let html = dir.join("html");
    let out = run_ok(
        Command::new("genhtml")
            .args(["--branch-coverage", "--output-directory"])
            .arg(&html)
            .arg(&info)
            .current_dir(root()),
    );
    // Every rule and row of the shipped library is covered; the fixture's 紙レセプト is not.
    // Exactly one line (the fixture's rule) is not covered, however many the library has.
    let lines = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("lines......: "))
        .expect("a lines summary");
    let counts: Vec<u64> = lines
        .split(['(', ' ', ')'])
        .filter_map(|w| w.parse().ok())
        .collect();
    assert!(
        counts.len() == 2 && counts[0] + 1 == counts[1] && counts[1] > 60,
        "{out}"
    );
    assert!(out.contains("branches...: 0.0% (0 of 1 branch)"), "{out}");
    // genhtml drops the prefix the files share; find the fixture's page.
    let page = find(&html, "applied.onshi.gcov.html").expect("a page for the fixture");
    let text = std::fs::read_to_string(&page).unwrap();
    assert!(
        text.contains("例外 紙レセプト"),
        "the page shows the source"
    );
    assert!(Path::new(&html.join("index.html")).exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

fn find(dir: &Path, name: &str) -> Option<PathBuf> {
    for e in std::fs::read_dir(dir).ok()? {
        let p = e.ok()?.path();
        if p.is_dir() {
            if let Some(f) = find(&p, name) {
                return Some(f);
            }
        } else if p.file_name().is_some_and(|n| n == name) {
            return Some(p);
        }
    }
    None
}

/// `soffice --headless` with a profile of its own (so tests running at once do not share one).
fn soffice(dir: &Path, args: &[&str]) {
    let profile = format!(
        "-env:UserInstallation=file://{}",
        dir.join("lo-profile").display()
    );
    run_ok(
        Command::new("soffice")
            .arg(&profile)
            .arg("--headless")
            .args(args)
            .current_dir(dir),
    );
}

/// `onshi batch` on `args`; its standard output, lines without their ends.
fn batch(args: &[&str]) -> Vec<String> {
    let o = onshi(&[&["batch"][..], args].concat());
    String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

fn lines(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .map(str::to_string)
        .collect()
}

const SUBSIDY: &str = "policies/r7/subsidy.onshi";
/// LibreOffice's CSV filter options: comma, double quote, the character set (76 UTF-8, 60
/// MS-932), from line 1, every column as-is (no special numbers).
fn csv_filter(charset: u32) -> String {
    format!("CSV:44,34,{charset},1,,0,false,false,false,false,false,-1")
}

#[test]
#[ignore = "run by cargo xtask test-web (needs libreoffice-calc-nogui)"]
fn spreadsheets_written_by_libreoffice_read_like_the_csv() {
    let dir = scratch("lo-in");
    let csv = root().join("cli/tests/fixtures/facilities.csv");
    std::fs::copy(&csv, dir.join("facilities.csv")).unwrap();
    let want = batch(&[SUBSIDY, "--input", "cli/tests/fixtures/facilities.csv"]);
    assert_eq!(want.len(), 6);
    // CSV → .xlsx (dates become date cells, amounts numbers, =NA() an error cell).
    soffice(
        &dir,
        &[
            "--infilter=CSV:44,34,76,1,,0,false,true,false,false,false,-1",
            "--convert-to",
            "xlsx",
            "facilities.csv",
        ],
    );
    let xlsx = dir.join("facilities.xlsx");
    let from_xlsx = batch(&[SUBSIDY, "--input", xlsx.to_str().unwrap()]);
    // .xlsx → CSV in CP932, as Japanese Excel saves "CSV (コンマ区切り)".
    std::fs::create_dir_all(dir.join("sjis")).unwrap();
    soffice(
        &dir,
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,60",
            "--outdir",
            "sjis",
            "facilities.xlsx",
        ],
    );
    let sjis = dir.join("sjis/facilities.csv");
    assert!(
        std::str::from_utf8(&std::fs::read(&sjis).unwrap()).is_err(),
        "LibreOffice wrote CP932"
    );
    let from_sjis = batch(&[SUBSIDY, "--input", sjis.to_str().unwrap()]);
    for (name, got) in [("xlsx", &from_xlsx), ("cp932", &from_sjis)] {
        assert_eq!(got.len(), want.len(), "{name}: {got:?}");
        for (k, (g, w)) in got.iter().zip(&want).enumerate() {
            if k == 4 {
                // =NA(): an error record for the same row either way.
                assert!(g.starts_with(",,,,,,,5,onshi::facts::"), "{name}: {g}");
            } else {
                assert_eq!(g, w, "{name} line {k}");
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
#[ignore = "run by cargo xtask test-web (needs libreoffice-calc-nogui)"]
fn results_for_excel_open_in_libreoffice() {
    let dir = scratch("lo-out");
    let names = dir.join("names.csv");
    std::fs::write(
        &names,
        "施設名,費用\n髙橋医院,500000\n𠮷野クリニック,100000\n①番薬局,2000\n",
    )
    .unwrap();
    let names = names.to_str().unwrap();
    let cases = [
        ("subsidy", SUBSIDY, "cli/tests/fixtures/facilities.csv"),
        ("names", "cli/tests/fixtures/names.onshi", names),
    ];
    for (tag, policy, input) in cases {
        let want = batch(&[policy, "--input", input]);
        for (encoding, charset) in [("cp932", 60), ("utf-8-bom", 76)] {
            let file = format!("{tag}-{encoding}.csv");
            let out = dir.join(&file);
            onshi(&[
                "batch",
                policy,
                "--input",
                input,
                "--output",
                out.to_str().unwrap(),
                "--output-encoding",
                encoding,
            ]);
            // Opened as a spreadsheet, then saved as UTF-8 CSV: the same cells.
            let infilter = format!("--infilter={}", csv_filter(charset));
            soffice(&dir, &[&infilter, "--convert-to", "xlsx", &file]);
            let back = format!("{tag}-{encoding}.xlsx");
            std::fs::create_dir_all(dir.join("utf8")).unwrap();
            soffice(
                &dir,
                &[
                    "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76",
                    "--outdir",
                    "utf8",
                    &back,
                ],
            );
            let got = lines(&dir.join("utf8").join(&file));
            if tag == "names" && encoding == "cp932" {
                // 𠮷 is not in CP932: its row is an error record, everything else as in UTF-8.
                assert_eq!(got[1], want[1]);
                assert!(
                    got[2].starts_with(",,3,batch::unrepresentable,名称,"),
                    "{}",
                    got[2]
                );
                assert_eq!(got[3], want[3], "NEC extension ① round-trips");
                assert!(!got.join("\n").contains('?'));
            } else {
                assert_eq!(got, want, "{tag} {encoding}");
            }
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

/// The office list's results (issue 27 §1), opened as a Japanese user's LibreOffice opens a
/// CSV file — UTF-8 (the results have a BOM), the ja-JP locale, every other import option at its
/// default (special numbers detected: `1/2` would become 2 January, `=…` a formula) — and saved
/// back as CSV are the same cells; the workbook results, saved as CSV by LibreOffice, are the same
/// values (text in a workbook needs no `'` against formulas).
#[test]
#[ignore = "run by cargo xtask test-web (needs libreoffice-calc-nogui)"]
fn office_results_read_back_through_libreoffice_are_identical() {
    let dir = scratch("lo-office");
    let input = "cli/tests/fixtures/office/facilities-cp932.csv";
    let csv = dir.join("results.csv");
    let xlsx = dir.join("workbook.xlsx");
    for out in [&csv, &xlsx] {
        let o = onshi(&[
            "batch",
            SUBSIDY,
            "--input",
            input,
            "--output",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(1), "{o:?}");
    }
    let bytes = std::fs::read(&csv).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "a BOM for Excel");
    let want: Vec<String> = String::from_utf8(bytes[3..].to_vec())
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(want.len(), 21);
    assert!(want[1].contains(",病院,0.5,411000,"), "{}", want[1]);
    // CSV → LibreOffice (ja-JP defaults) → CSV.
    soffice(
        &dir,
        &[
            "--infilter=CSV:44,34,76,1,,1041",
            "--convert-to",
            "xlsx",
            "results.csv",
        ],
    );
    std::fs::create_dir_all(dir.join("back")).unwrap();
    soffice(
        &dir,
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76",
            "--outdir",
            "back",
            "results.xlsx",
        ],
    );
    assert_eq!(lines(&dir.join("back/results.csv")), want);
    // The workbook → CSV of its values (not as shown: `411,000` is 411000).
    soffice(
        &dir,
        &[
            "--convert-to",
            "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false",
            "--outdir",
            "back",
            "workbook.xlsx",
        ],
    );
    let got = lines(&dir.join("back/workbook.csv"));
    let unneutralised: Vec<String> = want
        .iter()
        .map(|l| l.replace(",'", ",").replace(",\"'", ",\""))
        .collect();
    assert_eq!(got, unneutralised);
    std::fs::remove_dir_all(&dir).unwrap();
}
