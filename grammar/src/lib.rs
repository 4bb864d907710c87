//! onshi-grammar: the text end of the onshi pipeline.
//!
//! text → [`parser::parse`] → [`ast::Module`] (every node spanned) + [`syntax::SyntaxError`]s.
//! Literal parsers ([`literal`]) and exact numbers ([`num`]) live here because both the parser and
//! the interpreter's JSON facts reader use them. This crate does no IO.

pub mod ast;
pub mod codes;
pub mod depth;
pub mod diagnostic;
pub mod fmt;
pub mod literal;
pub mod num;
pub mod parser;
pub mod syntax;

pub use codes::Code;
pub use depth::with_stack;
pub use diagnostic::{suggest, typo_of, Diagnostic, Label, Lang, Severity, Text};
pub use parser::{parse, parse_with, ParseLimits, Parsed};
