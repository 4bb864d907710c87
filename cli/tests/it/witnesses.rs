//! Witnesses an approver can read: the facts a solver finds carry, for the inputs that do not
//! matter, whatever the solver picked (an unconstrained date comes back as 1970-01-01). After the
//! interpreter reproduced a finding, each input goes back to its default, else to the value the
//! policy's first example (例) gives it, whenever the finding still reproduces; `onshi check`'s 例
//! block shows the shrunk facts (`onshi diff`'s shrinking: `diff/src/tests.rs`). Run when z3 or
//! cvc5 is installed.

use std::path::{Path, PathBuf};

/// A rule conflict that needs only the two flags; 判定日 and 請求額 matter only to another output.
const POLICY: &str = "入力 紙レセプト請求: 真偽 既定 偽
入力 届出済: 真偽 既定 偽
入力 判定日: 日付 既定 令和7年4月1日
入力 請求額: 金額 既定 0円
出力 判定: 整数
  原則 義務化: 1
  例外 紙レセプト: もし 紙レセプト請求 ならば 2
  例外 経過措置中: もし 届出済 ならば 3
出力 期限内: 真偽
  原則 期限: 判定日 <= 令和8年3月31日 と 請求額 > 1000円
";

const EXAMPLE: &str = "例 \"期限内\"
  事実 判定日 = 令和7年5月1日, 請求額 = 2000円
  期待 期限内 = 真
";

fn solver() -> bool {
    let there = onshi_solver::Backend::detect().is_some();
    if !there {
        eprintln!("skipped: no z3 or cvc5 on PATH");
    }
    there
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn onshi(args: &[&std::ffi::OsStr]) -> String {
    let out = crate::common::onshi_command(&[])
        .args(args)
        .output()
        .expect("run onshi");
    format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// The `事実 …` line of `onshi check`'s finding.
fn facts(out: &str) -> String {
    out.lines()
        .map(str::trim)
        .find(|l| l.starts_with("事実 "))
        .unwrap_or_else(|| panic!("no 事実 line:\n{out}"))
        .to_string()
}

#[test]
fn a_check_witness_shows_the_default_of_an_input_that_does_not_matter() {
    if !solver() {
        return;
    }
    let dir = std::env::temp_dir().join(format!("onshi-witness-check-{}", std::process::id()));
    let path = write(&dir, "policy.onshi", POLICY);
    let out = onshi(&["check".as_ref(), path.as_os_str()]);
    // The solver leaves 判定日 free (its model says 1970-01-01); at its default it is not listed.
    assert_eq!(
        facts(&out),
        "事実 紙レセプト請求 = 真, 届出済 = 真",
        "{out}"
    );
    assert!(!out.contains("1970"), "{out}");

    // Without a default, the example's value, not the solver's.
    let required = POLICY.replace("入力 判定日: 日付 既定 令和7年4月1日", "入力 判定日: 日付");
    let path = write(&dir, "required.onshi", &format!("{required}{EXAMPLE}"));
    let out = onshi(&["check".as_ref(), path.as_os_str()]);
    assert_eq!(
        facts(&out),
        "事実 紙レセプト請求 = 真, 届出済 = 真, 判定日 = 2025-05-01",
        "{out}"
    );
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn dates_a_finding_needs_equal_move_together_to_an_examples_date() {
    if !solver() {
        return;
    }
    let policy = "入力 判定日: 日付
入力 期限日: 日付
出力 判定: 整数
  原則 通常: 1
  例外 当日: もし 判定日 = 期限日 ならば 2
  例外 期限前: もし 判定日 <= 期限日 ならば 3
例 \"期限前\"
  事実 判定日 = 令和7年5月1日, 期限日 = 令和8年3月31日
  期待 判定 = 3
";
    let dir = std::env::temp_dir().join(format!("onshi-witness-dates-{}", std::process::id()));
    let path = write(&dir, "policy.onshi", policy);
    let out = onshi(&["check".as_ref(), path.as_os_str()]);
    // Neither date alone can go to the example's value; both, shifted together, can.
    assert_eq!(
        facts(&out),
        "事実 判定日 = 2025-05-01, 期限日 = 2025-05-01",
        "{out}"
    );
    let _ = std::fs::remove_dir_all(dir);
}
