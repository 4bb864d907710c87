//! The proofs of `onshi check` (`onshi_solver::proof`: no rule conflict, no output without an
//! applicable rule) in the editor, off the keystroke path. The fast diagnostics are published
//! first; each open document whose policy checked without error is then handed to one worker
//! thread, which waits until no newer version of it has come for [`DEBOUNCE`], proves the newest
//! version only (older ones are dropped unproved) and sends the findings back. The server shows
//! them only when the document is still the version that was proved (else they are ignored), merged
//! with the fast diagnostics. Without a solver nothing is proved and nothing is claimed: the
//! server logs once that the proofs are off.

use crate::workspace::Key;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use onshi::{Diagnostic, Lang, Program};
use onshi_solver::Backend;
use std::collections::BTreeMap;
use std::time::{Duration, Instant};

/// How long a document must stay unchanged before its proofs start.
pub const DEBOUNCE: Duration = Duration::from_millis(250);

/// One version of an open document to prove: its analysis's id and its checked program.
pub struct Job {
    pub key: Key,
    pub id: u64,
    pub program: Program,
    pub lang: Lang,
}

/// What the proofs of one version found.
pub struct Done {
    pub key: Key,
    pub id: u64,
    /// The findings (`onshi::proof::*`), each reproduced by the interpreter.
    pub findings: Vec<Diagnostic>,
    /// The proofs' summary lines (what was proved, what not and why), for the log.
    pub summary: String,
    /// From the moment the job was handed over to the findings (debounce included).
    pub took: Duration,
}

/// The worker's ends: jobs in, results out.
pub struct Prover {
    pub backend: Backend,
    jobs: Sender<(Job, Instant)>,
    pub done: Receiver<Done>,
    /// The analysis id last handed over, per document (so an unchanged analysis is not proved
    /// twice).
    sent: BTreeMap<Key, u64>,
    /// The latest findings per document, with the analysis id they belong to.
    pub found: BTreeMap<Key, (u64, Vec<Diagnostic>)>,
}

impl Prover {
    /// A worker thread proving with `backend` (`None` when the thread cannot be started).
    pub fn start(backend: Backend) -> Option<Prover> {
        let (jobs, inbox) = crossbeam_channel::unbounded();
        let (outbox, done) = crossbeam_channel::unbounded();
        std::thread::Builder::new()
            .name("onshi-proofs".into())
            .spawn(move || work(backend, &inbox, &outbox))
            .ok()?;
        Some(Prover {
            backend,
            jobs,
            done,
            sent: BTreeMap::new(),
            found: BTreeMap::new(),
        })
    }

    /// Hands over the analysis `id` of `key` unless it was already; `program` is asked for only
    /// then.
    pub fn submit(&mut self, key: &str, id: u64, lang: Lang, program: impl FnOnce() -> Program) {
        if self.sent.get(key) == Some(&id) {
            return;
        }
        self.sent.insert(key.to_string(), id);
        let job = Job {
            key: key.to_string(),
            id,
            program: program(),
            lang,
        };
        // A worker that is gone proves nothing; the fast diagnostics stay.
        let _ = self.jobs.send((job, Instant::now()));
    }

    /// Forgets the documents no longer open.
    pub fn retain(&mut self, open: impl Fn(&str) -> bool) {
        self.sent.retain(|k, _| open(k));
        self.found.retain(|k, _| open(k));
    }
}

/// The worker: the newest job of each document, once no newer one came for [`DEBOUNCE`].
fn work(backend: Backend, inbox: &Receiver<(Job, Instant)>, outbox: &Sender<Done>) {
    let mut pending: BTreeMap<Key, (Job, Instant)> = BTreeMap::new();
    loop {
        if pending.is_empty() {
            match inbox.recv() {
                Ok(j) => {
                    pending.insert(j.0.key.clone(), j);
                }
                Err(_) => return,
            }
        }
        loop {
            match inbox.recv_timeout(DEBOUNCE) {
                // A newer version replaces the one waiting: the older is never proved.
                Ok(j) => {
                    pending.insert(j.0.key.clone(), j);
                }
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        }
        let Some(key) = pending.keys().next().cloned() else {
            continue;
        };
        let Some((job, since)) = pending.remove(&key) else {
            continue;
        };
        let report = onshi_solver::proof::prove(&job.program, backend);
        let done = Done {
            key: job.key,
            id: job.id,
            findings: report.findings.clone(),
            summary: report.summary(job.lang, Some(backend)),
            took: since.elapsed(),
        };
        if outbox.send(done).is_err() {
            return;
        }
    }
}

/// The log line said once when no solver is found.
pub fn off_note(lang: Lang) -> String {
    match lang {
        Lang::Ja => "onshi: 証明はオフです（ソルバー z3/cvc5 が PATH に見つからないか、ONSHI_SOLVER=none）。規則の衝突や当てはまる規則のない事実は、例を実行したときにだけ見つかります。`onshi check` と同じ証明を使うには z3 か cvc5 を入れてください".into(),
        Lang::En => "onshi: proofs are off (no z3 or cvc5 on PATH, or ONSHI_SOLVER=none). Rule conflicts and facts no rule applies to are found only when an example runs into them. Install z3 or cvc5 for the proofs `onshi check` makes".into(),
    }
}

/// The log line after the proofs of one document.
pub fn done_note(done: &Done, lang: Lang) -> String {
    let ms = done.took.as_millis();
    match lang {
        Lang::Ja => format!("onshi: {} の証明（{ms} ms）\n{}", done.key, done.summary),
        Lang::En => format!("onshi: proofs of {} ({ms} ms)\n{}", done.key, done.summary),
    }
}

/// What the protocol loop waits for: a message from the client, or the proofs of a document.
pub enum Event {
    Message(lsp_server::Message),
    Proved(Done),
}

/// A `window/logMessage` at information level.
pub fn log(text: &str) -> lsp_server::Notification {
    use lsp_types::notification::Notification as _;
    lsp_server::Notification::new(
        lsp_types::notification::LogMessage::METHOD.to_string(),
        lsp_types::LogMessageParams {
            typ: lsp_types::MessageType::INFO,
            message: text.to_string(),
        },
    )
}

impl crate::Server {
    /// The next event (`None`: the client is gone).
    pub fn next(&mut self, conn: &lsp_server::Connection) -> Option<Event> {
        let Some(p) = &self.prover else {
            return conn.receiver.recv().ok().map(Event::Message);
        };
        crossbeam_channel::select! {
            recv(conn.receiver) -> m => m.ok().map(Event::Message),
            recv(p.done) -> d => match d {
                Ok(d) => Some(Event::Proved(d)),
                Err(_) => {
                    // The worker is gone: no more proofs, the fast diagnostics stay.
                    self.prover = None;
                    conn.receiver.recv().ok().map(Event::Message)
                }
            },
        }
    }

    /// Hands every open document whose policy checked without error over to the proofs (each
    /// version once).
    pub fn submit_proofs(&mut self) {
        let Some(p) = &mut self.prover else {
            return;
        };
        let open = |k: &str| self.ws.analyses.contains_key(k);
        p.retain(open);
        for (key, a) in &self.ws.analyses {
            let Some(program) = a.program() else {
                continue;
            };
            if program.outputs().is_empty() || a.compiled.diagnostics.iter().any(|d| d.is_error()) {
                continue;
            }
            p.submit(key, a.id, self.ws.lang, || program.clone());
        }
    }

    /// The proofs of one document are in: when they were made on its current version, the files
    /// whose diagnostics they change are published again (merged with the fast ones), and the
    /// summary is logged; proofs of an older version are dropped.
    pub fn proved(&mut self, done: Done) -> Vec<lsp_server::Notification> {
        let current = self.ws.analyses.get(&done.key).map(|a| a.id);
        let Some(p) = &mut self.prover else {
            return Vec::new();
        };
        if current != Some(done.id) {
            return Vec::new();
        }
        let note = log(&done_note(&done, self.ws.lang));
        p.found.insert(done.key, (done.id, done.findings));
        let before = self.published.clone();
        let mut out =
            self.publish_if(|key, diags| before.get(key).map(Vec::as_slice) != Some(diags));
        out.push(note);
        out
    }
}
