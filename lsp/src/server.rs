//! The protocol loop: initialize, then every request answered (with a result or a clean error) and
//! every notification applied, until shutdown and exit. Documents are synchronised incrementally;
//! after each change every open document is re-checked and the diagnostics of each file it reads
//! are published.

use crate::proofs::Prover;
use crate::workspace::{key_of, uri_of, Workspace};
use crate::{actions, complete, diagnostics, hover, lens, navigate};
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{self as n, Notification as _};
use lsp_types::request::{self as r, Request as _};
use lsp_types::Diagnostic as LspDiagnostic;
use lsp_types::*;
use onshi::Lang;
use serde_json::Value;
use std::collections::{BTreeMap, BTreeSet};

pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(PositionEncodingKind::UTF16),
        text_document_sync: Some(TextDocumentSyncCapability::Kind(
            TextDocumentSyncKind::INCREMENTAL,
        )),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        document_formatting_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Right(RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".to_string(), "|".to_string()]),
            ..Default::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        ..Default::default()
    }
}

pub struct Server {
    pub ws: Workspace,
    /// The diagnostics last published, per file.
    pub(crate) published: BTreeMap<String, Vec<LspDiagnostic>>,
    /// `--lang` given on the command line: the client's locale does not override it.
    fixed_lang: bool,
    /// The proofs' worker (`None`: no solver, or a server without proofs).
    pub prover: Option<Prover>,
}

/// How the server was started: `--lang` (else the client's locale chooses), `--sources` (the
/// folder of the documents citations quote; also `initializationOptions.sources`).
#[derive(Clone, Debug, Default)]
pub struct Options {
    pub lang: Option<Lang>,
    pub sources: Option<std::path::PathBuf>,
    /// The limits policies are compiled and run under (`onshi lsp --max-…`).
    pub limits: onshi::Limits,
    /// The pages of the diagnostic codes (`onshi explain-error`), written where an editor can open
    /// them when the policies are not in the repository (see [`crate::diagnostics::Pages`]).
    pub explain: Option<crate::diagnostics::Explain>,
}

/// Serve on `conn` until the client exits.
pub fn serve(conn: &Connection, options: &Options) -> Result<(), String> {
    let lang = options.lang;
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    let params = conn.initialize(caps).map_err(|e| e.to_string())?;
    let init: InitializeParams = serde_json::from_value(params).unwrap_or_default();
    let fixed_lang = lang.is_some();
    let lang = lang.unwrap_or_else(|| init.locale.as_deref().map_or(Lang::Ja, Lang::from_tag));
    let mut server = Server {
        ws: Workspace::new(lang),
        published: BTreeMap::new(),
        fixed_lang,
        prover: None,
    };
    server.ws.limits = options.limits;
    server.ws.pages = crate::diagnostics::Pages::new(options.explain);
    for folder in init.workspace_folders.unwrap_or_default() {
        if let Some(p) = crate::text::uri_to_path(&folder.uri) {
            server.ws.roots.push(p);
        }
    }
    let from_client = init
        .initialization_options
        .as_ref()
        .and_then(|o| o.get("sources"))
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(|s| match server.ws.roots.first() {
            Some(root) => std::path::Path::new(root).join(s),
            None => std::path::PathBuf::from(s),
        });
    server.ws.documents = options
        .sources
        .clone()
        .or(from_client)
        .map(crate::workspace::Documents);
    #[allow(deprecated)] // root_uri: clients without workspace folders still send it.
    if let (true, Some(root)) = (server.ws.roots.is_empty(), init.root_uri.as_ref()) {
        if let Some(p) = crate::text::uri_to_path(root) {
            server.ws.roots.push(p);
        }
    }
    match onshi_solver::Backend::detect() {
        Some(b) => server.prover = Prover::start(b),
        None => conn
            .sender
            .send(crate::proofs::log(&crate::proofs::off_note(server.ws.lang)).into())
            .map_err(|e| e.to_string())?,
    }
    loop {
        let msg = match server.next(conn) {
            Some(crate::proofs::Event::Message(m)) => m,
            Some(crate::proofs::Event::Proved(done)) => {
                for out in server.proved(done) {
                    conn.sender.send(out.into()).map_err(|e| e.to_string())?;
                }
                continue;
            }
            None => return Ok(()),
        };
        match msg {
            Message::Request(req) => {
                if conn.handle_shutdown(&req).map_err(|e| e.to_string())? {
                    return Ok(());
                }
                let resp = server.request(req);
                conn.sender.send(resp.into()).map_err(|e| e.to_string())?;
            }
            Message::Notification(note) => {
                if note.method == n::Exit::METHOD {
                    return Ok(());
                }
                for out in server.notification(note) {
                    conn.sender.send(out.into()).map_err(|e| e.to_string())?;
                }
                server.submit_proofs();
            }
            Message::Response(_) => {}
        }
    }
}

fn parse<P: serde::de::DeserializeOwned>(params: Value) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

impl Server {
    pub fn new(lang: Lang) -> Server {
        Server {
            ws: Workspace::new(lang),
            published: BTreeMap::new(),
            fixed_lang: true,
            prover: None,
        }
    }

    /// Answer one request; a panic inside a handler becomes an internal error, not a dead server.
    pub fn request(&mut self, req: Request) -> Response {
        let id: RequestId = req.id.clone();
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.handle(req)));
        match result {
            Ok(Ok(v)) => Response::new_ok(id, v),
            Ok(Err((code, msg))) => Response::new_err(id, code as i32, msg),
            Err(_) => {
                Response::new_err(id, ErrorCode::InternalError as i32, "internal error".into())
            }
        }
    }

    fn handle(&mut self, req: Request) -> Result<Value, (ErrorCode, String)> {
        let lang = self.ws.lang;
        let json = |v: Result<Value, serde_json::Error>| {
            v.map_err(|e| (ErrorCode::InternalError, e.to_string()))
        };
        match req.method.as_str() {
            r::HoverRequest::METHOD => {
                let p: HoverParams = parse(req.params)?;
                let answer = self.at(&p.text_document_position_params, |a, f, o| {
                    let (text, span) = hover::hover(a, f, o, lang)?;
                    Some(Hover {
                        contents: HoverContents::Markup(MarkupContent {
                            kind: MarkupKind::Markdown,
                            value: text,
                        }),
                        range: Some(a.range(span)),
                    })
                });
                json(serde_json::to_value(answer))
            }
            r::GotoDefinition::METHOD => {
                let p: GotoDefinitionParams = parse(req.params)?;
                let answer = self.at(&p.text_document_position_params, navigate::definition);
                json(serde_json::to_value(
                    answer.map(GotoDefinitionResponse::Scalar),
                ))
            }
            r::References::METHOD => {
                let p: ReferenceParams = parse(req.params)?;
                let all = self.reaching(&p.text_document_position);
                let include = p.context.include_declaration;
                let answer = self.at(&p.text_document_position, |a, f, o| {
                    Some(navigate::references(a, f, o, &all, include))
                });
                json(serde_json::to_value(answer))
            }
            r::PrepareRenameRequest::METHOD => {
                let p: TextDocumentPositionParams = parse(req.params)?;
                match self.at(&p, |a, f, o| Some(navigate::prepare_rename(a, f, o, lang))) {
                    Some(Ok(answer)) => json(serde_json::to_value(answer)),
                    Some(Err(msg)) => Err((ErrorCode::RequestFailed, msg)),
                    None => Ok(Value::Null),
                }
            }
            r::Rename::METHOD => {
                let p: RenameParams = parse(req.params)?;
                let all = self.reaching(&p.text_document_position);
                let answer = self.at(&p.text_document_position, |a, f, o| {
                    Some(navigate::rename(a, f, o, &all, &p.new_name, lang))
                });
                match answer {
                    Some(Ok(edit)) => json(serde_json::to_value(edit)),
                    Some(Err(msg)) => Err((ErrorCode::RequestFailed, msg)),
                    None => Ok(Value::Null),
                }
            }
            r::DocumentSymbolRequest::METHOD => {
                let p: DocumentSymbolParams = parse(req.params)?;
                let answer = self.file(&p.text_document.uri, navigate::symbols);
                json(serde_json::to_value(
                    answer.map(DocumentSymbolResponse::Nested),
                ))
            }
            r::Formatting::METHOD => {
                let p: DocumentFormattingParams = parse(req.params)?;
                match self.file(&p.text_document.uri, |a, f| actions::format(a, f, lang)) {
                    Some(Ok(edits)) => json(serde_json::to_value(edits)),
                    Some(Err(msg)) => Err((ErrorCode::RequestFailed, msg)),
                    None => Ok(Value::Null),
                }
            }
            r::Completion::METHOD => {
                let p: CompletionParams = parse(req.params)?;
                let answer = self.at(&p.text_document_position, |a, f, o| {
                    Some(CompletionResponse::Array(complete::complete(a, f, o)))
                });
                json(serde_json::to_value(answer))
            }
            r::CodeActionRequest::METHOD => {
                let p: CodeActionParams = parse(req.params)?;
                let answer = self.file(&p.text_document.uri, |a, f| {
                    actions::quick_fixes(a, f, p.range, lang)
                });
                json(serde_json::to_value(answer))
            }
            r::CodeLensRequest::METHOD => {
                let p: CodeLensParams = parse(req.params)?;
                let answer = self.file(&p.text_document.uri, |a, f| lens::lenses(a, f, lang));
                json(serde_json::to_value(answer))
            }
            _ => Err((
                ErrorCode::MethodNotFound,
                format!("unknown method {}", req.method),
            )),
        }
    }

    /// Run `f` on the analysis holding the document and the byte offset of the position.
    fn at<T>(
        &self,
        p: &TextDocumentPositionParams,
        f: impl FnOnce(&crate::analysis::Analysis, onshi_grammar::ast::FileId, usize) -> Option<T>,
    ) -> Option<T> {
        let key = key_of(&p.text_document.uri);
        let a = self.ws.analysis_for(&key)?;
        let file = a.file_id(&key)?;
        let offset = a.offset(file, p.position);
        f(a, file, offset)
    }

    /// Every analysis that may refer to the symbol at a position: those that read the file it is
    /// declared in (which may not be the file the request is in), open or on disk.
    fn reaching(
        &self,
        p: &TextDocumentPositionParams,
    ) -> Vec<std::rc::Rc<crate::analysis::Analysis>> {
        let key = key_of(&p.text_document.uri);
        let Some(here) = self.ws.analysis_for(&key) else {
            return Vec::new();
        };
        let Some(file) = here.file_id(&key) else {
            return Vec::new();
        };
        let offset = here.offset(file, p.position);
        match navigate::anchor(here, file, offset) {
            Some(((decl, _), _)) => self.ws.analyses_reaching(here, &decl),
            None => Vec::new(),
        }
    }

    fn file<T>(
        &self,
        uri: &Uri,
        f: impl FnOnce(&crate::analysis::Analysis, onshi_grammar::ast::FileId) -> T,
    ) -> Option<T> {
        let key = key_of(uri);
        let a = self.ws.analysis_for(&key)?;
        let file = a.file_id(&key)?;
        Some(f(a, file))
    }

    /// Apply one notification; the diagnostics to publish after it.
    pub fn notification(&mut self, note: Notification) -> Vec<Notification> {
        let changed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.apply(note)));
        match changed {
            Ok(true) => self.publish(),
            _ => Vec::new(),
        }
    }

    fn apply(&mut self, note: Notification) -> bool {
        match note.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(note.params) else {
                    return false;
                };
                self.ws
                    .open(key_of(&p.text_document.uri), p.text_document.text);
                true
            }
            n::DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(note.params)
                else {
                    return false;
                };
                let key = key_of(&p.text_document.uri);
                let mut text = self.ws.files.open.get(&key).cloned().unwrap_or_default();
                for change in p.content_changes {
                    apply_change(&mut text, change);
                }
                self.ws.change(key, text);
                true
            }
            n::DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(note.params)
                else {
                    return false;
                };
                self.ws.close(&key_of(&p.text_document.uri));
                true
            }
            n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => {
                // A file changed on disk may be imported by an open document.
                self.ws.refresh(None);
                true
            }
            n::DidChangeConfiguration::METHOD => {
                if !self.fixed_lang {
                    let lang = note
                        .params
                        .pointer("/settings/onshi/lang")
                        .and_then(Value::as_str);
                    if let Some(l) = lang {
                        self.ws.lang = Lang::from_tag(l);
                        return true;
                    }
                }
                false
            }
            _ => false,
        }
    }

    /// `textDocument/publishDiagnostics` for each file the open documents read, and an empty one
    /// for each file that had diagnostics before and is no longer read.
    fn publish(&mut self) -> Vec<Notification> {
        self.publish_if(|_, _| true)
    }

    /// The diagnostics of every file the open documents read: the fast ones, and the proofs'
    /// findings made on the analysis that is current.
    fn diagnostics(&self) -> BTreeMap<String, Vec<LspDiagnostic>> {
        let mut by_file = diagnostics::collect_with(
            self.ws.analyses.values().map(|a| a.as_ref()),
            self.ws.lang,
            &self.ws.pages,
        );
        if let Some(p) = &self.prover {
            for (key, (id, findings)) in &p.found {
                match self.ws.analyses.get(key) {
                    Some(a) if a.id == *id => {
                        diagnostics::add(&mut by_file, a, findings, self.ws.lang, &self.ws.pages)
                    }
                    _ => {}
                }
            }
        }
        by_file
    }

    /// Publishes the diagnostics of each file for which `again(file, its diagnostics)` holds, and
    /// an empty list for each file published before and no longer read.
    pub(crate) fn publish_if(
        &mut self,
        again: impl Fn(&str, &[LspDiagnostic]) -> bool,
    ) -> Vec<Notification> {
        let by_file = self.diagnostics();
        let mut out = Vec::new();
        let mut now = BTreeMap::new();
        for (key, diags) in by_file {
            let Some(uri) = uri_of(&key) else { continue };
            if again(&key, &diags) {
                out.push(Notification::new(
                    n::PublishDiagnostics::METHOD.to_string(),
                    PublishDiagnosticsParams::new(uri, diags.clone(), None),
                ));
            }
            now.insert(key, diags);
        }
        let gone: BTreeSet<&String> = self
            .published
            .keys()
            .filter(|k| !now.contains_key(*k))
            .collect();
        for key in gone {
            if let Some(uri) = uri_of(key) {
                out.push(Notification::new(
                    n::PublishDiagnostics::METHOD.to_string(),
                    PublishDiagnosticsParams::new(uri, Vec::new(), None),
                ));
            }
        }
        self.published = now;
        out
    }
}

/// Apply one change: a range replaced (positions in UTF-16), or the whole text.
pub fn apply_change(text: &mut String, change: TextDocumentContentChangeEvent) {
    match change.range {
        Some(range) => {
            let idx = crate::text::LineIndex::new(text);
            let start = idx.offset(text, range.start);
            let end = idx.offset(text, range.end).max(start);
            if text.is_char_boundary(start) && text.is_char_boundary(end) {
                text.replace_range(start..end, &change.text);
            }
        }
        None => *text = change.text,
    }
}
