//! A minimal LSP client for the tests: it starts the server binary, writes framed JSON-RPC on its
//! stdin and reads its stdout on a thread, so every wait has a timeout (a hung server fails the
//! test instead of hanging it).
#![allow(dead_code)]

use serde_json::{json, Value};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

pub const TIMEOUT: Duration = Duration::from_secs(30);

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// The URI of a path (percent-encoding like the server's).
pub fn uri(path: &std::path::Path) -> String {
    let p = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let mut s = String::from("file://");
    for b in p.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            s.push(char::from(b));
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

pub struct Client {
    child: Child,
    stdin: ChildStdin,
    rx: Receiver<Value>,
    next_id: i64,
    /// Notifications received while waiting for responses.
    pub notifications: Vec<Value>,
}

impl Client {
    /// The server binary of this crate (`onshi-lsp`).
    pub fn start(args: &[&str]) -> Client {
        // Only set in onshi-lsp's own tests; elsewhere use `start_bin`.
        let bin = option_env!("CARGO_BIN_EXE_onshi-lsp").unwrap_or("onshi-lsp");
        Client::start_bin(bin, args, &[])
    }

    /// Another server binary (`onshi` with `lsp`, from cli/tests), with environment variables.
    pub fn start_bin(bin: &str, args: &[&str], env: &[(&str, &std::ffi::OsStr)]) -> Client {
        let mut child = Command::new(bin)
            .args(args)
            .envs(env.iter().map(|(k, v)| (*k, *v)))
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the server");
        let stdin = child.stdin.take().expect("stdin");
        let stdout = child.stdout.take().expect("stdout");
        let (tx, rx) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            loop {
                let mut len = None;
                loop {
                    let mut line = String::new();
                    if r.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(v) = line.strip_prefix("Content-Length: ") {
                        len = v.parse::<usize>().ok();
                    }
                }
                let mut body = vec![0; len.unwrap_or(0)];
                if r.read_exact(&mut body).is_err() {
                    return;
                }
                let Ok(v) = serde_json::from_slice::<Value>(&body) else {
                    return;
                };
                if tx.send(v).is_err() {
                    return;
                }
            }
        });
        Client {
            child,
            stdin,
            rx,
            next_id: 1,
            notifications: Vec::new(),
        }
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    pub fn notify(&mut self, method: &str, params: Value) {
        self.send(&json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Send a request and wait for its response (the whole response object).
    pub fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(&json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let what = format!("answer to {method}");
        recv_until(
            &self.rx,
            &what,
            |m| m.get("id") == Some(&json!(id)),
            |m| self.notifications.push(m),
        )
    }

    /// The result of a request, failing the test on an error response.
    pub fn result(&mut self, method: &str, params: Value) -> Value {
        let resp = self.request(method, params);
        assert!(resp.get("error").is_none(), "{method}: {resp}");
        resp["result"].clone()
    }

    /// The next diagnostics published for `uri` (waiting for them).
    pub fn diagnostics_for(&mut self, uri: &str) -> Vec<Value> {
        if let Some(i) = self.notifications.iter().position(|n| {
            n["method"] == "textDocument/publishDiagnostics" && n["params"]["uri"] == uri
        }) {
            let n = self.notifications.remove(i);
            return n["params"]["diagnostics"]
                .as_array()
                .cloned()
                .unwrap_or_default();
        }
        let what = format!("diagnostics for {uri}");
        let msg = recv_until(
            &self.rx,
            &what,
            |m| m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri,
            |m| self.notifications.push(m),
        );
        msg["params"]["diagnostics"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }

    /// The next notification of `method` (waiting for it), and every publishDiagnostics received
    /// before it, in order.
    pub fn until(&mut self, method: &str) -> (Value, Vec<Value>) {
        let mut seen = Vec::new();
        let mut kept = Vec::new();
        let mut found = None;
        for n in std::mem::take(&mut self.notifications) {
            if found.is_some() {
                kept.push(n);
            } else if n["method"] == method {
                found = Some(n);
            } else if n["method"] == "textDocument/publishDiagnostics" {
                seen.push(n);
            } else {
                kept.push(n);
            }
        }
        self.notifications = kept;
        if let Some(n) = found {
            return (n, seen);
        }
        let msg = recv_until(
            &self.rx,
            method,
            |m| m["method"] == method,
            |m| {
                if m["method"] == "textDocument/publishDiagnostics" {
                    seen.push(m);
                } else {
                    self.notifications.push(m);
                }
            },
        );
        (msg, seen)
    }

    /// Drop the notifications received so far.
    pub fn clear(&mut self) {
        self.notifications.clear();
        while self.rx.try_recv().is_ok() {}
    }

    pub fn initialize(&mut self, locale: &str) -> Value {
        self.initialize_at(&root().join("policies"), locale)
    }

    /// Initialize with `folder` as the root.
    pub fn initialize_at(&mut self, folder: &std::path::Path, locale: &str) -> Value {
        let root = uri(folder);
        let r = self.result(
            "initialize",
            json!({"processId": null, "rootUri": root, "capabilities": {}, "locale": locale}),
        );
        self.notify("initialized", json!({}));
        r
    }

    pub fn open(&mut self, uri: &str, text: &str) {
        self.notify(
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "onshi", "version": 1, "text": text}}),
        );
    }

    /// Shut down and exit; the server must end by itself, with success.
    pub fn shutdown(mut self) {
        let r = self.request("shutdown", Value::Null);
        assert!(r.get("error").is_none(), "{r}");
        self.notify("exit", Value::Null);
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "server exit status {status}");
                return;
            }
            assert!(Instant::now() < deadline, "server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Receives messages until `wanted` accepts one, which it returns; every message before it goes to
/// `aside`. Fails the test when none comes within [`TIMEOUT`] (`what` names what was awaited).
fn recv_until(
    rx: &Receiver<Value>,
    what: &str,
    wanted: impl Fn(&Value) -> bool,
    mut aside: impl FnMut(Value),
) -> Value {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let msg = rx
            .recv_timeout(left)
            .unwrap_or_else(|_| panic!("no {what} within {TIMEOUT:?}"));
        if wanted(&msg) {
            return msg;
        }
        aside(msg);
    }
}

/// A position `{line, character}` (UTF-16) of the first occurrence of `needle` in `text`, plus
/// `delta` UTF-16 units.
pub fn pos_of(text: &str, needle: &str, delta: u32) -> Value {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in text"));
    let before = &text[..at];
    let line = before.matches('\n').count();
    let col = before
        .rsplit('\n')
        .next()
        .unwrap_or("")
        .encode_utf16()
        .count() as u32;
    json!({"line": line, "character": col + delta})
}
