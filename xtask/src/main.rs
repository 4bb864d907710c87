//! Build tasks, by the cargo xtask convention (`cargo xtask <task>`, an alias in
//! `.cargo/config.toml`):
//!
//! - `wasm`: build the WASM package into `wasm/pkg/` (`node/` for Node's `require()`, `web/` an ES
//!   module for browsers, `desk/` the small front-desk module: `desk.rs`), with its `package.json`
//!   files and TypeScript types;
//! - `playground`: build `playground/dist/`: the playground (`index.html`, its script bundled by
//!   esbuild from `playground/src/`, CodeMirror included), the front-desk page and the web package;
//! - `test-web`: both builds, then the Node tests (every example of every bundled policy through
//!   WASM and the native CLI), the playground's unit tests, the `tsc` check of the types, and the
//!   headless Chromium tests of the playground and the front-desk page, and the bundler smoke test
//!   (`bundlers.rs`: a one-page app importing the package, built with Vite and with webpack);
//! - `vsix`: the VS Code extension packaged (`editors.rs`; `test-web` also builds it and runs the
//!   Neovim end-to-end test);
//! - `bench-wasm`: the size of the `.wasm` files (raw and gzipped), the time to compile every
//!   bundled policy, and records/s through `evaluate` and `evaluateMany`.
//!
//! Tools: the wasm32 target (added with rustup when missing), the wasm-bindgen CLI at exactly the
//! version of the `wasm-bindgen` crate in Cargo.lock (installed with `cargo install` when missing or
//! different), and `npm ci` at the root for wasm-opt (npm `binaryen`), `tsc`, `playwright-core`,
//! esbuild and CodeMirror, and Vite and webpack (the bundler smoke test).

mod bundlers;
mod desk;
mod doc;
mod editors;
mod python;

use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

const TARGET: &str = "wasm32-unknown-unknown";
/// The cargo profile of the full WASM build (`Cargo.toml`: release at `opt-level = 3`, for the
/// stack depth; the front-desk module has its own, `desk::PROFILE`).
const PROFILE: &str = "wasm-release";
/// The module's file name inside `wasm/pkg/node` and `wasm/pkg/web`.
const OUT_NAME: &str = "onshi";

#[derive(Debug)]
struct Error(String);

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Error {
        Error(e.to_string())
    }
}

type Result<T> = std::result::Result<T, Error>;

fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(Error(msg.into()))
}

const USAGE: &str = "usage: cargo xtask <task>

tasks:
  wasm        build the WASM package into wasm/pkg/ (node/, web/ and the front-desk module desk/)
  playground  build playground/dist/ (the playground index.html, front-desk.html, the web package)
  test-web    build both, then run the Node, tsc and headless Chromium tests
  bench-wasm  print the .wasm size (raw, gzipped) and the time to compile every bundled policy
  vsix        package the VS Code extension to editors/vscode/onshi-<version>.vsix
  test-editors  the Neovim end-to-end test and the VS Code extension's tests and package (also in test-web)
  test-python   the Python package (python/): a venv under target/, maturin develop, pytest (also in test-web)";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("wasm") => root().and_then(|r| wasm(&r)),
        Some("playground") => root().and_then(|r| wasm(&r).and_then(|()| playground(&r))),
        Some("test-web") => root().and_then(|r| test_web(&r)),
        // The SMT solvers `onshi diff` proves with (onshi-solver); the Rust tests run both.
        Some("solvers") => ensure_debian(&["z3", "cvc5"]),
        Some("bench-wasm") => root().and_then(|r| bench(&r)),
        Some("vsix") => root().and_then(|r| editors::vsix(&r).map(|_| ())),
        Some("test-python") => root().and_then(|r| python::test(&r)),
        Some("test-editors") => {
            root().and_then(|r| editors::neovim(&r).and_then(|()| editors::vsix(&r).map(|_| ())))
        }
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root (the parent of `xtask/`).
fn root() -> Result<PathBuf> {
    match Path::new(env!("CARGO_MANIFEST_DIR")).parent() {
        Some(p) => Ok(p.to_path_buf()),
        None => fail("cannot find the repository root"),
    }
}

fn show(cmd: &Command) -> String {
    let mut s = cmd.get_program().to_string_lossy().into_owned();
    for a in cmd.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

/// Run a command, echoing it; fail unless it succeeds.
fn run(cmd: &mut Command) -> Result<()> {
    let line = show(cmd);
    eprintln!("$ {line}");
    let status = cmd
        .status()
        .map_err(|e| Error(format!("{line}: cannot start: {e}")))?;
    if status.success() {
        Ok(())
    } else {
        fail(format!("{line}: {status}"))
    }
}

/// A command's standard output, or None when it cannot run or fails.
fn stdout_of(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
}

fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(d) => root.join(d),
        None => root.join("target"),
    }
}

/// The version of `package` in Cargo.lock.
fn locked_version(root: &Path, package: &str) -> Result<String> {
    let lock = std::fs::read_to_string(root.join("Cargo.lock"))?;
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            if let Some(v) = lines
                .next()
                .and_then(|l| l.trim().strip_prefix("version = \""))
                .and_then(|v| v.strip_suffix('"'))
            {
                return Ok(v.to_string());
            }
        }
    }
    fail(format!("{package} is not in Cargo.lock"))
}

fn ensure_target() -> Result<()> {
    let Some(installed) = stdout_of(Command::new("rustup").args(["target", "list", "--installed"]))
    else {
        // Not a rustup toolchain: the build says so if the target is missing.
        return Ok(());
    };
    if installed.lines().any(|l| l.trim() == TARGET) {
        return Ok(());
    }
    run(Command::new("rustup").args(["target", "add", TARGET]))
}

/// The wasm-bindgen CLI must be exactly the crate's version (a mismatch is a hard error).
fn ensure_wasm_bindgen(root: &Path) -> Result<()> {
    let version = locked_version(root, "wasm-bindgen")?;
    let have = stdout_of(Command::new("wasm-bindgen").arg("--version")).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(version.as_str()) {
        return Ok(());
    }
    eprintln!(
        "wasm-bindgen CLI {version} needed (found: {}); installing it",
        if have.trim().is_empty() {
            "none"
        } else {
            have.trim()
        }
    );
    // Without --locked: the CLI's own lockfile wants crates this registry may lack.
    run(cargo().args(["install", "wasm-bindgen-cli", "--version", &version]))
}

/// `npm ci` at the root when node_modules is missing or older than package-lock.json.
fn ensure_npm(root: &Path) -> Result<()> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let lock = modified(&root.join("package-lock.json"));
    let installed = modified(&root.join("node_modules").join(".package-lock.json"));
    let fresh = matches!((lock, installed), (Some(l), Some(i)) if i >= l);
    if fresh {
        return Ok(());
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund"])
        .current_dir(root))
}

fn write(path: &Path, text: &str) -> Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(path, text).map_err(|e| Error(format!("{}: {e}", path.display())))
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let path = entry.path();
        let dest = to.join(entry.file_name());
        if path.is_dir() {
            copy_dir(&path, &dest)?;
        } else {
            std::fs::copy(&path, &dest)
                .map_err(|e| Error(format!("{} → {}: {e}", path.display(), dest.display())))?;
        }
    }
    Ok(())
}

fn remove_dir(dir: &Path) -> Result<()> {
    if dir.exists() {
        std::fs::remove_dir_all(dir).map_err(|e| Error(format!("{}: {e}", dir.display())))?;
    }
    Ok(())
}

/// `wasm/pkg/package.json`: one npm package, `require()` gets the Node build, Node's `import` its
/// ES module entry (`NODE_ESM`), browsers and bundlers the web build's ES module; `onshi/desk` is
/// the front-desk module (`desk.rs`). The version is the workspace's.
fn package_json(version: &str) -> String {
    format!(
        r#"{{
  "name": "onshi",
  "version": "{version}",
  "description": "onshi (オンライン資格確認のルール言語) in WebAssembly: compile and evaluate policies, with the shipped policies bundled",
  "license": "MIT OR Apache-2.0",
  "main": "./node/onshi.js",
  "types": "./node/onshi.d.ts",
  "browser": "./web/onshi.js",
  "exports": {{
    ".": {{
      "node": {{
        "import": {{ "types": "./node/onshi.d.mts", "default": "./node/onshi.mjs" }},
        "default": {{ "types": "./node/onshi.d.ts", "default": "./node/onshi.js" }}
      }},
      "default": {{ "types": "./web/onshi.d.ts", "default": "./web/onshi.js" }}
    }},
    "./node": {{
      "import": {{ "types": "./node/onshi.d.mts", "default": "./node/onshi.mjs" }},
      "default": {{ "types": "./node/onshi.d.ts", "default": "./node/onshi.js" }}
    }},
    "./web": {{ "types": "./web/onshi.d.ts", "default": "./web/onshi.js" }},
    "./web/onshi_bg.wasm": "./web/onshi_bg.wasm",
    "./desk": {{ "types": "./desk/onshi.d.ts", "default": "./desk/onshi.js" }},
    "./desk/onshi_bg.wasm": "./desk/onshi_bg.wasm"
  }},
  "files": ["node/", "web/", "desk/", "README.md"],
  "engines": {{ "node": ">=20" }},
  "sideEffects": ["./web/onshi.js", "./desk/onshi.js"]
}}
"#
    )
}

/// `node/onshi.mjs`: the Node build as an ES module, so that code written for the web build
/// (`import init, { Policy } from 'onshi'; await init();`) also runs under Node (unit tests of a
/// front-desk app, server-side rendering). The CommonJS build is ready once loaded, so `init` and
/// `initSync` do nothing. Without it, Node's `import` of the CommonJS build makes `init` the exports
/// object, and `await init()` throws.
const NODE_ESM: &str = "// The Node build as an ES module (written by cargo xtask wasm): the exports of ./onshi.js, and
// init/initSync, which the web build needs and this one does not (it is ready once imported).
export * from './onshi.js';

export default async function init(_moduleOrPath) {}

export function initSync(_module) {}
";

/// The types of `NODE_ESM`.
const NODE_ESM_TYPES: &str = "export * from './onshi.js';

/** Nothing to do under Node (the module is ready once imported); kept so that code written for the web build runs unchanged. */
export default function init(moduleOrPath?: unknown): Promise<void>;

/** Nothing to do under Node (the module is ready once imported). */
export function initSync(module?: unknown): void;
";

fn wasm(root: &Path) -> Result<()> {
    ensure_target()?;
    ensure_wasm_bindgen(root)?;
    ensure_npm(root)?;
    run(cargo()
        .args([
            "build",
            "--package",
            "onshi-wasm",
            "--target",
            TARGET,
            "--profile",
            PROFILE,
        ])
        .current_dir(root))?;
    let module = target_dir(root)
        .join(TARGET)
        .join(PROFILE)
        .join("onshi_wasm.wasm");
    let pkg = root.join("wasm").join("pkg");
    remove_dir(&pkg)?;
    for (target, dir) in [("nodejs", "node"), ("web", "web")] {
        let out = pkg.join(dir);
        run(Command::new("wasm-bindgen")
            .args(["--target", target, "--out-name", OUT_NAME, "--out-dir"])
            .arg(&out)
            .arg(&module))?;
        let kind = if dir == "node" { "commonjs" } else { "module" };
        write(
            &out.join("package.json"),
            &format!(
                "{{\n  \"type\": \"{kind}\",\n  \"main\": \"./{OUT_NAME}.js\",\n  \"types\": \"./{OUT_NAME}.d.ts\"\n}}\n"
            ),
        )?;
    }
    write(&pkg.join("node").join(format!("{OUT_NAME}.mjs")), NODE_ESM)?;
    write(
        &pkg.join("node").join(format!("{OUT_NAME}.d.mts")),
        NODE_ESM_TYPES,
    )?;
    // Both targets get the same module from wasm-bindgen (only the JS glue differs): shrink it once.
    let bg = |dir: &str| pkg.join(dir).join(format!("{OUT_NAME}_bg.wasm"));
    let wasm_opt = root.join("node_modules").join(".bin").join("wasm-opt");
    let same = std::fs::read(bg("node"))? == std::fs::read(bg("web"))?;
    let dirs: &[&str] = if same { &["web"] } else { &["node", "web"] };
    for dir in dirs {
        // wasm-opt reads the enabled features from the module's target_features section.
        run(Command::new(&wasm_opt)
            .args(["-Oz", "--strip-debug", "--strip-producers"])
            .arg(bg(dir))
            .arg("-o")
            .arg(bg(dir)))?;
    }
    if same {
        std::fs::copy(bg("web"), bg("node"))?;
    }
    let desk = desk::build(root, &pkg, &wasm_opt)?;
    write(
        &pkg.join("package.json"),
        &package_json(env!("CARGO_PKG_VERSION")),
    )?;
    std::fs::copy(root.join("wasm").join("README.md"), pkg.join("README.md"))?;
    let size = std::fs::metadata(pkg.join("web").join(format!("{OUT_NAME}_bg.wasm")))?.len();
    let desk_size = std::fs::metadata(desk)?.len();
    eprintln!(
        "built {} ({size} bytes of wasm; the front-desk module desk/: {desk_size} bytes)",
        pkg.display()
    );
    Ok(())
}

/// `playground/dist/`: the two pages and their service workers, the front desk's `desk/` and the
/// `shared/` modules as they are, the playground's loader and style sheet (`src/boot.js`,
/// `src/playground.css`; not its sources, tests or screenshots), the playground's script bundled by
/// esbuild from `playground/src/` (CodeMirror and the web package's JS glue inside it), and the
/// web package (`pkg/`: `onshi_bg.wasm` for the playground) with the front-desk module inside it
/// (`pkg/desk/`: `onshi.js` and `onshi_bg.wasm` for the front-desk page).
fn playground(root: &Path) -> Result<()> {
    let src = root.join("playground");
    let dist = src.join("dist");
    remove_dir(&dist)?;
    std::fs::create_dir_all(&dist)?;
    // The two pages and their service workers, at the root (a worker's scope is its folder).
    copy_page_files(&src, &dist)?;
    // The front desk's modules and the shared ones, served as they are (the same folders as the
    // sources, so their imports resolve alike in the browser and in Node's unit tests).
    for folder in ["desk", "shared"] {
        std::fs::create_dir_all(dist.join(folder))?;
        copy_page_files(&src.join(folder), &dist.join(folder))?;
    }
    // The playground's files that are not bundled: its early loader and its style sheet.
    std::fs::create_dir_all(dist.join("src"))?;
    for file in ["boot.js", "playground.css"] {
        std::fs::copy(src.join("src").join(file), dist.join("src").join(file))?;
    }
    copy_dir(
        &root.join("wasm").join("pkg").join("web"),
        &dist.join("pkg"),
    )?;
    // The front-desk page loads the front-desk module (`desk.rs`).
    copy_dir(
        &root.join("wasm").join("pkg").join("desk"),
        &dist.join("pkg").join("desk"),
    )?;
    // One ES module for the playground page; esbuild runs offline from node_modules.
    let mut outfile = std::ffi::OsString::from("--outfile=");
    outfile.push(dist.join("playground.js"));
    run(
        Command::new(root.join("node_modules").join(".bin").join("esbuild"))
            .arg(src.join("src").join("main.js"))
            .args([
                "--bundle",
                "--format=esm",
                "--target=es2022",
                "--minify",
                "--sourcemap",
                "--log-level=warning",
            ])
            .arg(outfile)
            .current_dir(root),
    )?;
    check_worker_files(&dist)?;
    eprintln!("built {}", dist.display());
    Ok(())
}

/// The files of `from` (not its folders) a page serves: HTML, scripts, style sheets, images.
fn copy_page_files(from: &Path, to: &Path) -> Result<()> {
    for entry in std::fs::read_dir(from)? {
        let path = entry?.path();
        let page_file = path.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "html" | "js" | "mjs" | "css" | "svg" | "png"));
        if let (true, Some(name)) = (page_file, path.file_name()) {
            std::fs::copy(&path, to.join(name))?;
        }
    }
    Ok(())
}

/// The service workers of both pages (`sw.js`, `front-desk-sw.js`) name the files they cache in
/// `files: [...]` (their logic is `shared/sw-core.js`): each must be in `dist`, or the worker's install
/// fails and its page never works offline.
fn check_worker_files(dist: &Path) -> Result<()> {
    for worker in ["sw.js", "front-desk-sw.js"] {
        let text = std::fs::read_to_string(dist.join(worker))?;
        let Some((list, _)) = text
            .split_once("files: [")
            .and_then(|(_, rest)| rest.split_once(']'))
        else {
            return fail(format!("{worker}: no `files: [...]` list"));
        };
        let files: Vec<&str> = list.split(['\'', '"']).skip(1).step_by(2).collect();
        if !files.contains(&"shared/sw-core.js") {
            return fail(format!("{worker} does not cache shared/sw-core.js"));
        }
        if let Some(missing) = files.iter().find(|f| !dist.join(f).is_file()) {
            return fail(format!(
                "{worker} caches {missing}, which is not in {}",
                dist.display()
            ));
        }
    }
    Ok(())
}

/// The `*.test.mjs` files of a folder, sorted.
fn test_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.ends_with(".test.mjs"))
        {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

/// Debian's Chromium (the browser tests drive it with playwright-core) and CJK fonts (so that
/// screenshots show the Japanese text), installed with apt-get when missing. `CHROMIUM` names
/// another browser binary and skips the install.
fn ensure_chromium() -> Result<()> {
    let browser = std::env::var_os("CHROMIUM")
        .map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from);
    let mut packages = vec!["fonts-noto-cjk"];
    if !browser.exists() && std::env::var_os("CHROMIUM").is_none() {
        packages.push("chromium");
    }
    ensure_debian(&packages)
}

/// Installs the Debian packages of `packages` that are not installed (`dpkg -s`), with apt-get
/// (as root, or through sudo). Tests that drive an outside program (a browser, an editor, a
/// spreadsheet) get it this way, so the README's test command works on a fresh machine.
fn ensure_debian(packages: &[&str]) -> Result<()> {
    let installed = |p: &str| {
        Command::new("dpkg")
            .args(["-s", p])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    let missing: Vec<&str> = packages.iter().copied().filter(|p| !installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    eprintln!("installing {} (apt-get)", missing.join(" "));
    let root_user = stdout_of(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let apt = |args: &[&str]| {
        let mut c = if root_user {
            Command::new("apt-get")
        } else {
            let mut c = Command::new("sudo");
            c.arg("apt-get");
            c
        };
        c.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        c
    };
    run(&mut apt(&["update"]))?;
    let mut install = apt(&["install", "-y"]);
    install.args(&missing);
    run(&mut install)
}

fn test_web(root: &Path) -> Result<()> {
    ensure_debian(&["z3", "cvc5"])?;
    ensure_chromium()?;
    wasm(root)?;
    playground(root)?;
    // The native CLI the Node and Python tests compare against.
    let onshi = build_cli(root)?;
    python::test(root)?;
    let mut node_tests = test_files(&root.join("wasm").join("tests"))?;
    node_tests.extend(test_files(&root.join("playground").join("tests"))?);
    run(Command::new("node")
        .args(["--test", "--test-reporter=spec"])
        .args(&node_tests)
        .env("ONSHI_BIN", &onshi)
        .current_dir(root))?;
    run(
        Command::new(root.join("node_modules").join(".bin").join("tsc"))
            .arg("-p")
            .arg(root.join("wasm").join("tests").join("tsconfig.json"))
            .current_dir(root),
    )?;
    bundlers::test(root)?;
    doc::test(root)?;
    editors::neovim(root)?;
    editors::vsix(root)?;
    eprintln!("test-web: all passed");
    Ok(())
}

/// Builds the `onshi` binary (debug) the tests compare against, and returns its path.
fn build_cli(root: &Path) -> Result<PathBuf> {
    run(cargo()
        .args(["build", "--package", "onshi-cli", "--bin", "onshi"])
        .current_dir(root))?;
    Ok(target_dir(root).join("debug").join("onshi"))
}

fn bench(root: &Path) -> Result<()> {
    wasm(root)?;
    run(Command::new("node")
        .arg(root.join("wasm").join("bench").join("bench.mjs"))
        .current_dir(root))
}
