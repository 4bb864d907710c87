//! onshi-lsp: the language server of onshi (`onshi lsp`), a front end of the core library like the
//! CLI and the WASM package.
//!
//! It speaks the Language Server Protocol over stdio (rust-analyzer's `lsp-server` and
//! `lsp-types`, synchronous), with UTF-16 positions. Each open document is compiled as an entry
//! with its 取込 imports (the editor's unsaved text wins over the disk); from the result it
//! publishes diagnostics (every phase, on the file they are in), and answers hover, definition,
//! references and rename across imports, document symbols, formatting, completion, quick fixes
//! and code lenses that run the examples (例).
//!
//! The editor analysis is built here, on the syntax tree's spans ([`index`]) and the checked
//! program's public API; the library is not changed for it.

pub mod actions;
pub mod analysis;
pub mod catalog;
pub mod complete;
pub mod diagnostics;
pub mod hover;
pub mod index;
pub mod lens;
pub mod navigate;
pub mod proofs;
pub mod server;
pub mod text;
pub mod workspace;

pub use server::{serve, Options, Server};

/// Serve on stdin/stdout until the client exits (see [`Options`]).
pub fn run_stdio(options: &Options) -> Result<(), String> {
    let (conn, io) = lsp_server::Connection::stdio();
    serve(&conn, options)?;
    drop(conn);
    io.join().map_err(|e| e.to_string())
}
