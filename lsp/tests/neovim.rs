//! End to end with a real editor's LSP client: headless Neovim (Debian's `neovim`) with the small
//! configuration editors/nvim/e2e.lua starts `onshi lsp`, opens a shipped policy, introduces a
//! typo, and writes what it received; this test reads it. Run by `cargo xtask test-web`, which
//! installs Neovim and builds `onshi` (ONSHI_BIN); without ONSHI_BIN the server binary of this
//! crate stands in.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde_json::Value;
use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

#[test]
#[ignore = "run by cargo xtask test-web (needs nvim)"]
fn neovim_shows_the_diagnostic_hover_and_definition() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .canonicalize()
        .unwrap();
    let (bin, args) = match std::env::var("ONSHI_BIN") {
        Ok(b) => (b, "lsp"),
        Err(_) => (env!("CARGO_BIN_EXE_onshi-lsp").to_string(), ""),
    };
    let out = std::env::temp_dir().join(format!("onshi-nvim-{}.json", std::process::id()));
    let _ = std::fs::remove_file(&out);
    let policy = root.join("policies/r7/subsidy.onshi");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(root.join("editors/nvim/e2e.lua"))
        .env("ONSHI_BIN", &bin)
        .env("ONSHI_ARGS", args)
        .env("ONSHI_POLICY", &policy)
        .env("ONSHI_OUT", &out)
        .env("XDG_STATE_HOME", std::env::temp_dir())
        .spawn()
        .expect("nvim (apt-get install neovim)");
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("nvim did not finish");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(status.success(), "nvim: {status}");
    let got: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let _ = std::fs::remove_file(&out);
    assert!(got.get("error").is_none(), "{got}");
    assert_eq!(got["encoding"], "utf-16", "{got}");

    // Hover: the input's type, from the imported enumeration.
    let hover = got["hover"].as_str().unwrap_or_default();
    assert!(hover.contains("入力 施設種別: 保険医療機関種別"), "{got}");

    // Definition: the enumeration in common/facility.onshi.
    let def = &got["definition"];
    assert!(
        def["uri"]
            .as_str()
            .unwrap()
            .ends_with("/policies/common/facility.onshi"),
        "{got}"
    );
    let facility = std::fs::read_to_string(root.join("policies/common/facility.onshi")).unwrap();
    let line = facility
        .lines()
        .position(|l| l.starts_with("列挙 保険医療機関種別"))
        .unwrap();
    assert_eq!(def["range"]["start"]["line"], line);
    assert_eq!(def["range"]["start"]["character"], 3);

    // The typo's diagnostic, where it is (Neovim turns the UTF-16 range into byte columns).
    assert_eq!(got["got_diagnostics"], true, "{got}");
    let diags = got["diagnostics"].as_array().unwrap();
    let d = diags
        .iter()
        .find(|d| d["code"] == "onshi::name::unknown")
        .unwrap_or_else(|| panic!("{got}"));
    assert_eq!(d["lnum"], got["typo_line"]);
    assert_eq!(d["col"], got["typo_col"]);
    assert_eq!(
        d["end_col"].as_u64().unwrap(),
        got["typo_col"].as_u64().unwrap() + "申請期現".len() as u64
    );
    assert!(
        d["message"]
            .as_str()
            .unwrap()
            .contains("`申請期限` のことですか"),
        "{d}"
    );
}
