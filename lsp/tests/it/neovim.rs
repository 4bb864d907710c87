//! End to end with a real editor's LSP client: headless Neovim (Debian's `neovim`, 0.7.2) with the
//! set-up the README gives (its `lua` block under "Neovim", copied from README.md into an
//! `init.lua`, with `onshi` on PATH the binary under test); editors/nvim/e2e.lua opens a shipped
//! policy, asks for hover, definition and a rename, introduces a typo, then a rule conflict the
//! proofs find, and writes what Neovim received; this test reads it. Run by `cargo xtask test-editors` (and `test-web`), which installs
//! Neovim and builds `onshi` (ONSHI_BIN); without ONSHI_BIN the server binary of this crate stands
//! in.

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
    let bin =
        std::env::var("ONSHI_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_onshi-lsp").to_string());
    let work = std::env::temp_dir().join(format!("onshi-nvim-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&work);
    // `onshi` on PATH, as the README's set-up runs it.
    let bin_dir = work.join("bin");
    std::fs::create_dir_all(&bin_dir).unwrap();
    std::os::unix::fs::symlink(&bin, bin_dir.join("onshi")).unwrap();
    let init = work.join("init.lua");
    std::fs::write(&init, readme_setup(&root)).unwrap();
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = work.join("out.json");
    let policy = root.join("policies/r7/subsidy.onshi");
    let mut child = Command::new("nvim")
        .args(["--headless", "--clean", "-u"])
        .arg(&init)
        .arg("-c")
        .arg(format!(
            "luafile {}",
            root.join("editors/nvim/e2e.lua").display()
        ))
        .env("PATH", path)
        .env("ONSHI_POLICY", &policy)
        .env("ONSHI_OUT", &out)
        .env("XDG_STATE_HOME", &work)
        .env("XDG_CACHE_HOME", &work)
        .spawn()
        .expect("nvim (apt-get install neovim)");
    let deadline = Instant::now() + Duration::from_secs(180);
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
    let _ = std::fs::remove_dir_all(&work);
    assert!(got.get("error").is_none(), "{got}");
    eprintln!("Neovim {}", got["version"]);
    assert_eq!(got["filetype"], "onshi", "{got}");
    assert_eq!(got["attached"], true, "{got}");
    assert_eq!(got["cmd"], serde_json::json!(["onshi", "lsp"]), "{got}");
    // The project folder: the repository (it has a .git).
    assert_eq!(
        got["root_dir"].as_str().map(PathBuf::from),
        Some(root.clone()),
        "{got}"
    );
    assert_eq!(got["encoding"], "utf-16", "{got}");

    // Rename from the use site: the declaring file and every policy that imports it.
    assert_eq!(got["prepare"]["placeholder"], "保険医療機関種別", "{got}");
    let files: Vec<&str> = got["rename_files"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for f in [
        "/policies/common/facility.onshi",
        "/policies/r2/subsidy.onshi",
        "/policies/r7/consent.onshi",
        "/policies/r7/subsidy.onshi",
    ] {
        assert!(files.iter().any(|u| u.ends_with(f)), "{f}: {got}");
        // … and applied by vim.lsp.buf.rename() to a buffer of each (none written).
        let buffers = got["renamed_buffers"].as_array().unwrap();
        assert!(
            buffers
                .iter()
                .any(|b| b.as_str().is_some_and(|b| b.ends_with(f))),
            "{f}: {got}"
        );
    }

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

    assert_eq!(got["clean_after_rename"], true, "{got}");

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

    // The proofs (when a solver is installed): the conflict, on one exception, the other as
    // related information.
    if onshi_solver::Backend::detect().is_some() {
        assert_eq!(got["got_proof"], true, "{got}");
        let p = &got["proof"];
        let line = got["conflict_line"].as_u64().unwrap();
        let mut lines = vec![p["lnum"].as_u64().unwrap()];
        lines.extend(
            p["related"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["line"].as_u64().unwrap()),
        );
        lines.sort();
        assert_eq!(lines, [line, line + 1], "{got}");
        assert_eq!(p["severity"], 2, "a warning: {got}");
        assert!(
            p["message"].as_str().unwrap().contains("申請日 = "),
            "{got}"
        );
    }
}

/// The `lua` block of the README's Neovim set-up, unindented.
fn readme_setup(root: &std::path::Path) -> String {
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let at = readme
        .find("3. **Neovim**")
        .expect("the README's Neovim set-up");
    let rest = &readme[at..];
    let start = rest.find("```lua\n").expect("its lua block") + "```lua\n".len();
    let body = &rest[start..];
    let end = body.find("```").expect("the end of its lua block");
    body[..end]
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n")
}
