//! `onshi doc`: the review documents as files (their rendering in Chromium, the screenshot and the
//! PDF are `doc.test.mjs`, run by `cargo xtask test-web`).

use crate::common;
use common::root;

use std::path::{Path, PathBuf};

struct Out {
    dir: PathBuf,
    code: i32,
    stdout: String,
    stderr: String,
}

impl Drop for Out {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Out {
    fn page(&self, name: &str) -> String {
        let p = self.dir.join(name);
        std::fs::read_to_string(&p)
            .unwrap_or_else(|e| panic!("{}: {e}\n{}", p.display(), self.stdout))
    }
}

fn doc(tag: &str, args: &[&str]) -> Out {
    let dir = std::env::temp_dir().join(format!("onshi-doc-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let o = common::onshi_command(&["doc"])
        .args(args)
        .arg("--out")
        .arg(&dir)
        .output()
        .unwrap();
    Out {
        dir,
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Nothing the page would fetch: no script, no style sheet, image or font from anywhere.
fn assert_self_contained(html: &str) {
    for bad in [
        "<script", "<link", "<img", "src=", "url(", "http://", "https://", "@import",
    ] {
        assert!(!html.contains(bad), "the page contains {bad}");
    }
}

/// The rows of the table that follows `heading`.
fn rows_after(html: &str, heading: &str) -> usize {
    let (_, rest) = html
        .split_once(heading)
        .unwrap_or_else(|| panic!("no {heading}"));
    let table = rest.split_once("</table>").unwrap().0;
    table.matches("<tr class=").count()
}

#[test]
fn the_subsidy_document_in_japanese() {
    let out = doc("ja", &["policies/r7/subsidy.onshi"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.page("subsidy.html");
    assert_self_contained(&html);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"ja\">"));
    assert!(html.contains("<h1>令和7年度 地域診療情報連携推進費補助金</h1>"));
    assert!(html.contains("令和7年度（2025年度）"));
    // A constant date: ISO with its 和暦, and the passage of the notice it comes from.
    assert!(
        html.contains("2026-01-15 (令和8年1月15日)"),
        "和暦 beside ISO"
    );
    assert!(html.contains("「補助金の申請期限は令和８年１月 15 日です」"));
    // The table as a real table: its 7 rows, money with separators, the quoted source beside it.
    assert_eq!(rows_after(&html, ">補助内容</h3>"), 7);
    assert!(html.contains("<td class=\"num\">411,000円</td>"));
    assert!(html.contains("「補助額は最大3.1万円（事業費に対し3&#x2f;4の補助）」"));
    // Inputs with type, default and allowed values.
    assert!(html.contains("<td><strong>事業</strong></td><td>事業</td><td><em>必須</em></td><td>訪問診療等, オンライン診療等, 外来診療等, 資格確認限定型（群 居宅同意取得型 = 訪問診療等, オンライン診療等, 外来診療等）</td>"));
    assert!(html.contains("<td><strong>モバイル端末費用</strong></td><td>金額</td><td>0円</td>"));
    // Every example ran and passed (4 of them under another reading); everything is covered.
    assert_eq!(
        html.matches("<span class=\"badge pass\">✓ 合格</span>")
            .count(),
        29
    );
    assert!(!html.contains("badge fail"));
    // This file's rules and rows, as `onshi test --coverage` counts them (not common/facility's).
    assert!(html.contains("100.0% (7 / 7)"), "coverage");
    assert!(html.contains("すべての規則と表の行が例で確かめられています"));
    assert!(html.contains("@page { size: A4;"), "print style sheet");
}

#[test]
fn rules_in_priority_order_with_what_they_win_over() {
    let out = doc("rules", &["policies/r7/obligation.onshi"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.page("obligation.html");
    let (_, rules) = html.split_once("id=\"def-判定\"").unwrap();
    let rules = rules.split_once("</table>").unwrap().0;
    let order: Vec<&str> = rules
        .split("<td><strong>")
        .skip(1)
        .map(|r| r.split_once("<br>").unwrap().0)
        .collect();
    assert_eq!(
        order,
        [
            "例外</strong> 受領委任なしの施行前",
            "例外</strong> 施行前",
            "例外</strong> 紙レセプト",
            "例外</strong> 施術所の対象外",
            "例外</strong> 経過措置中",
            "原則</strong> 義務化"
        ]
    );
    assert!(
        rules.contains("<td>原則 義務化、例外 経過措置中</td>"),
        "紙レセプト > 経過措置中"
    );
}

#[test]
fn rules_no_quoted_passage_supports_are_marked() {
    let out = doc("support", &["policies/r7/obligation.onshi"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.page("obligation.html");
    let (_, rules) = html.split_once("id=\"def-判定\"").unwrap();
    let rules = rules.split_once("</table>").unwrap().0;
    let row = |label: &str| {
        let (_, rest) = rules
            .split_once(&format!("</strong> {label}<br>"))
            .unwrap_or_else(|| panic!("no rule {label}"));
        rest.split_once("</tr>").unwrap().0.to_string()
    };
    let external = "<span class=\"badge unverified\">出典は外部資料だけ</span>";
    let comment = "<span class=\"badge unverified\">出典なし（注記だけ）</span>";
    // 施術所の対象外 cites only the 施術所 notice, which the project does not have …
    assert!(
        row("施術所の対象外").contains(external),
        "{}",
        row("施術所の対象外")
    );
    // … 施行前 has no 出典, only the comment above it (shown beside the rule) …
    let before = row("施行前");
    assert!(before.contains(comment), "{before}");
    assert!(
        before.contains("義務化の開始日（新規指定なら指定日）の前。"),
        "{before}"
    );
    // … and a rule quoting a seed is not marked.
    assert!(
        !row("義務化").contains("badge unverified"),
        "{}",
        row("義務化")
    );
    // A constant resting on an external notice only, and the count in the summary.
    let (_, limit) = html.split_once("id=\"def-施術所の期限\"").unwrap();
    assert!(limit.split_once("</article>").unwrap().0.contains(external));
    assert!(html.contains("資料の文で照合できない規則"));
}

#[test]
fn coverage_gaps_and_failing_examples_stand_out() {
    let out = doc(
        "cov",
        &[
            "cli/tests/fixtures/applied.onshi",
            "cli/tests/fixtures/failing.onshi",
            "tests/fixtures/coverage.onshi",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let applied = out.page("cli-tests-fixtures-applied.html");
    assert!(applied.contains("<tr class=\"applied\">"));
    assert!(applied.contains("<li class=\"applied\">義務 — 例外 紙レセプト"));
    let coverage = out.page("tests-fixtures-coverage.html");
    assert_eq!(coverage.matches("<tr class=\"uncovered\">").count(), 2);
    assert!(coverage.contains("66.6% (4 / 6)"));
    let failing = out.page("cli-tests-fixtures-failing.html");
    assert!(
        failing.contains("誤った期待 &lt;&amp;&gt;"),
        "names are escaped"
    );
    assert!(failing.contains("<span class=\"badge fail\">1 件不合格</span>"));
    assert!(failing.contains("補助額 = <strong>100,000円</strong> ✗"));
    let index = out.page("index.html");
    for f in [
        "cli-tests-fixtures-applied.html",
        "cli-tests-fixtures-failing.html",
        "tests-fixtures-coverage.html",
    ] {
        assert!(index.contains(&format!("<a href=\"{f}\">")), "{f}");
    }
}

#[test]
fn a_folder_in_english_with_an_index() {
    let out = doc("en", &["policies/", "--lang", "en"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let index = out.page("index.html");
    assert_self_contained(&index);
    assert!(index.contains("<html lang=\"en\">"));
    let links: Vec<&str> = index
        .split("<a href=\"")
        .skip(1)
        .map(|s| s.split_once('"').unwrap().0)
        .collect();
    assert_eq!(links.len(), 9, "{links:?}");
    for l in &links {
        assert!(Path::new(&out.dir.join(l)).is_file(), "{l}");
    }
    let subsidy = out.page("r7-subsidy.html");
    assert!(subsidy.contains("FY2025 (令和7年度)"));
    assert!(
        subsidy.contains("2026-01-15 (令和8年1月15日)"),
        "和暦 in English too"
    );
    assert!(subsidy.contains("Outputs (what this policy decides)"));
    assert!(subsidy.contains("<a href=\"index.html\">Index</a>"));
}

#[test]
fn compare_shows_changed_outputs_for_whom_and_why() {
    let out = doc(
        "cmp",
        &[
            "--compare",
            "policies/r7/subsidy.onshi",
            "cli/tests/fixtures/r8/subsidy.onshi",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.page("compare-policies-r7-subsidy-cli-tests-fixtures-r8-subsidy.html");
    assert_self_contained(&html);
    assert!(html.contains("入力・出力の名前と型は変わっていません"));
    let outputs: Vec<&str> = html
        .split("<h3>")
        .skip(1)
        .map(|s| s.split_once("</h3>").unwrap().0)
        .collect();
    assert_eq!(outputs, ["補助限度額", "申請期限", "申請可", "補助額"]);
    assert!(html.contains("施設種別 = 薬局 × 事業 ∈ {訪問診療等, 外来診療等}"));
    assert!(html.contains(
        "<td class=\"num\">85,000円</td><td class=\"num changed\"><strong>90,000円</strong></td>"
    ));
    assert!(html.contains("表 補助内容 の 2 行目 <span class=\"at\">policies&#x2f;r7&#x2f;subsidy.onshi:66</span><span class=\"badge applied\">文言が変わった</span>"));
    assert!(html.contains("2027-01-15 (令和9年1月15日)"));
    // Each edition's own document is beside it, and linked.
    for f in [
        "policies-r7-subsidy.html",
        "cli-tests-fixtures-r8-subsidy.html",
    ] {
        assert!(out.dir.join(f).is_file());
        assert!(html.contains(&format!("<a href=\"{f}\">")));
    }
}

#[test]
fn compare_r2_with_r7_lists_the_interface_changes() {
    let out = doc(
        "r2r7",
        &[
            "--compare",
            "policies/r2/subsidy.onshi",
            "policies/r7/subsidy.onshi",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = out.page("compare-r2-subsidy-r7-subsidy.html");
    assert!(html.contains("<li class=\"applied\">出力（旧のみ）: カードリーダー補助額, システム補助限度額, システム補助額</li>"));
    assert!(html.contains("入力（新のみ・必須のため探索）: 事業, 申請日"));
    // The page no longer implies 補助額 is unchanged: the editions compute it from different
    // inputs, and the page says that it agrees only while those stay at their defaults (issue 25).
    assert!(!html.contains("共通の出力はどれも変わりません"));
    assert!(html.contains("探索した範囲では、共通の出力に変わるものは見つかりませんでした"));
    if std::process::Command::new("z3")
        .arg("--version")
        .output()
        .is_ok()
        || std::process::Command::new("cvc5")
            .arg("--version")
            .output()
            .is_ok()
    {
        assert!(
            html.contains(
                "補助額: 一致するのは、片方の版にしかない入力（旧のみ: カードリーダー台数"
            ),
            "{html}"
        );
        assert!(html.contains("補助区分: どの事実でも変わらないことを証明済み"));
    } else {
        assert!(html.contains("探索のみ・未証明"));
    }
}

#[test]
fn a_policy_with_errors_fails_and_the_others_are_written() {
    let dir = std::env::temp_dir().join(format!("onshi-doc-src-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("bad.onshi");
    std::fs::write(&bad, "政策 \"壊れた\"\n出力 x: 金額 = 未定義の名前\n").unwrap();
    let out = doc(
        "bad",
        &[bad.to_str().unwrap(), "cli/tests/fixtures/failing.onshi"],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("未定義の名前"), "{}", out.stderr);
    assert!(out.stdout.contains("failing.html"));
    std::fs::remove_dir_all(&dir).unwrap();
    let missing = doc("missing", &["cli/tests/fixtures/none.onshi"]);
    assert_eq!(missing.code, 2);
}

#[test]
fn compare_two_year_folders_pairs_their_policies() {
    let out = doc("folders", &["--compare", "policies/r2", "policies/r7"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The one policy both years have is compared; every policy gets its page.
    let compare = out.page("compare-r2-subsidy-r7-subsidy.html");
    assert!(compare.contains("入力（新のみ・必須のため探索）: 事業, 申請日"));
    for f in ["r2-subsidy.html", "r7-subsidy.html", "r7-front_desk.html"] {
        assert!(out.dir.join(f).is_file(), "{f}: {}", out.stdout);
    }
    let index = out.page("index.html");
    assert_self_contained(&index);
    assert!(index.contains("<h2>改定の比較</h2>"), "{index}");
    // No shared output changes, but the interface does: the link says both.
    assert!(index
        .contains("<a href=\"compare-r2-subsidy-r7-subsidy.html\">変わる出力なし（入出力の変更 "));
    // The policies only the new year has are listed, each linked to its page.
    let only_new = index.split("<h2>新版だけにある政策</h2>").nth(1).unwrap();
    for f in [
        "r7-consent",
        "r7-front_desk",
        "r7-introduction",
        "r7-obligation",
    ] {
        assert!(only_new.contains(&format!("<a href=\"{f}.html\">")), "{f}");
    }
    assert!(!index.contains("旧版だけにある政策"));
    // A file and a folder cannot be compared.
    let mixed = doc(
        "mixed",
        &["--compare", "policies/r2/subsidy.onshi", "policies/r7"],
    );
    assert_eq!(mixed.code, 2);
    assert!(mixed.stderr.contains("two policy files or two folders"));
}

#[test]
fn each_page_counts_coverage_as_onshi_test_does() {
    let out = doc("coverage", &["policies/"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let mut files: Vec<String> = Vec::new();
    for year in ["r2", "r7", "common"] {
        for e in std::fs::read_dir(root().join("policies").join(year)).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".onshi") {
                files.push(format!("policies/{year}/{name}"));
            }
        }
    }
    files.sort();
    assert!(files.len() >= 6);
    for file in &files {
        let t = common::onshi_command(&["test", "--coverage", "--format", "json", file])
            .output()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&t.stdout).unwrap();
        let (covered, total) = (
            json["coverage"]["covered"].as_u64().unwrap(),
            json["coverage"]["total"].as_u64().unwrap(),
        );
        let page = out.page(&format!(
            "{}.html",
            file.trim_start_matches("policies/")
                .trim_end_matches(".onshi")
                .replace('/', "-")
        ));
        assert!(
            page.contains(&format!("({covered} / {total})")),
            "{file}: onshi test says {covered}/{total}; the page says {}",
            page.split_once("<strong>").map_or("", |(_, r)| r
                .split_once("</strong>")
                .map_or("", |(a, _)| a))
        );
        // Fully covered: no row or rule on the page says otherwise (an imported file's rows are
        // marked as counted on that file's page, not as unexercised here).
        if covered == total {
            assert!(
                !page.contains("badge uncovered"),
                "{file}: an unexercised mark on a fully covered page"
            );
        }
    }
}
