//! The language server's extra latency for the proofs (issue 25, item 6): the server on an
//! in-memory connection, each shipped policy opened alone, then one keystroke (a space typed at
//! the end of its first line, then taken back: each a real change); for each keystroke, the time
//! from `didChange` to the fast diagnostics, and to the proofs' log line (the moment the proofs'
//! findings are merged and published; the 250 ms debounce included). Needs z3 or cvc5 on PATH
//! (`ONSHI_SOLVER` chooses). Run with `cargo bench -p onshi-lsp --bench proofs` (`bench/proofs.sh`
//! runs it with the other proof timings).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

use lsp_server::{Connection, Message, Notification, Request, RequestId};
use serde_json::{json, Value};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const ROUNDS: usize = 5;

/// The CPU time of this process so far, its threads and the solver processes it waited for
/// included (Linux: `/proc/self/stat`, in clock ticks of 10 ms); `None` elsewhere.
fn cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<u64> = after
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|f| f.parse().ok())
        .collect();
    (fields.len() == 4).then(|| Duration::from_millis(fields.iter().sum::<u64>() * 10))
}

fn send_note(c: &Connection, method: &str, params: Value) {
    c.sender
        .send(Message::Notification(Notification::new(
            method.into(),
            params,
        )))
        .unwrap();
}

/// Waits for a notification of `method` (`None`: none within a minute).
fn wait(c: &Connection, method: &str) -> Option<Notification> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match c.receiver.recv_timeout(left).ok()? {
            Message::Notification(n) if n.method == method => return Some(n),
            _ => {}
        }
    }
}

fn main() {
    let Some(backend) = onshi_solver::Backend::detect() else {
        eprintln!("no z3 or cvc5 on PATH: nothing to measure");
        return;
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../policies")
        .canonicalize()
        .unwrap();
    let policies = [
        "r2/subsidy",
        "r7/consent",
        "r7/front_desk",
        "r7/introduction",
        "r7/obligation",
        "r7/subsidy",
    ];
    println!(
        "onshi lsp, {} (debug/release: as built), {ROUNDS} keystrokes per policy: didChange → fast diagnostics / → proofs done",
        backend.name()
    );
    for name in policies {
        let (server, client) = Connection::memory();
        let thread =
            std::thread::spawn(move || onshi_lsp::serve(&server, &onshi_lsp::Options::default()));
        client
            .sender
            .send(Message::Request(Request::new(
                RequestId::from(1),
                "initialize".into(),
                json!({"processId": null, "capabilities": {}, "locale": "en"}),
            )))
            .unwrap();
        loop {
            if let Message::Response(_) = client.receiver.recv().unwrap() {
                break;
            }
        }
        send_note(&client, "initialized", json!({}));
        let path = root.join(format!("{name}.onshi"));
        let uri = format!("file://{}", path.display());
        let text = std::fs::read_to_string(&path).unwrap();
        let typed = text.replacen('\n', " \n", 1);
        send_note(
            &client,
            "textDocument/didOpen",
            json!({"textDocument": {"uri": uri, "languageId": "onshi", "version": 1, "text": text}}),
        );
        let first = wait(&client, "window/logMessage").expect("the first proofs");
        let summary = first.params["message"].as_str().unwrap_or("").to_string();
        let (mut fast, mut proofs, mut cpus) = (Vec::new(), Vec::new(), Vec::new());
        for round in 0..ROUNDS {
            let now = if round % 2 == 0 { &typed } else { &text };
            let (start, cpu0) = (Instant::now(), cpu());
            send_note(
                &client,
                "textDocument/didChange",
                json!({"textDocument": {"uri": uri, "version": round + 2}, "contentChanges": [{"text": now}]}),
            );
            wait(&client, "textDocument/publishDiagnostics").expect("fast diagnostics");
            fast.push(start.elapsed());
            wait(&client, "window/logMessage").expect("proofs");
            proofs.push(start.elapsed());
            if let (Some(a), Some(b)) = (cpu0, cpu()) {
                cpus.push(b.saturating_sub(a));
            }
        }
        cpus.sort();
        fast.sort();
        proofs.sort();
        let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
        let mid = ROUNDS / 2;
        println!(
            "  {name:16} fast {:7.1} ms (median; max {:7.1}) | proofs {:7.0} ms (median; min {:5.0}, max {:5.0}; CPU {:5.0} ms median)",
            ms(&fast[mid]),
            ms(&fast[ROUNDS - 1]),
            ms(&proofs[mid]),
            ms(&proofs[0]),
            ms(&proofs[ROUNDS - 1]),
            cpus.get(cpus.len() / 2).map_or(f64::NAN, ms),
        );
        let outcome: Vec<&str> = summary.lines().skip(1).collect();
        println!("      {}", outcome.join("\n      "));
        drop(client);
        let _ = thread.join();
    }
}
