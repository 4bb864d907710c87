//! The options every command shares: `--lang` ([`Global`]) and the `--max-…` limits
//! ([`LimitArgs`]).
//!
//! `--max-…` options: the [`Limits`] a command compiles and evaluates under (the defaults of
//! [`Limits::DEFAULT`] when not given). Flatten [`LimitArgs`] into a command's arguments and pass
//! [`LimitArgs::limits`] to [`onshi::compile_with`].

use onshi::{Lang, Limits};

#[derive(clap::Args)]
pub struct Global {
    /// Language of messages: ja (default) or en. Also read from ONSHI_LANG.
    #[arg(long, global = true, env = "ONSHI_LANG", default_value = "ja")]
    lang: String,
}

impl Global {
    pub fn lang(&self) -> Lang {
        Lang::from_tag(&self.lang)
    }
}

const D: Limits = Limits::DEFAULT;
const M: Limits = Limits::MAX;

#[derive(clap::Args, Clone, Debug)]
#[command(next_help_heading = "Limits")]
pub struct LimitArgs {
    /// Bytes of one policy file (onshi::syntax::too_large).
    #[arg(long, value_name = "BYTES", default_value_t = D.max_source_bytes,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_source_bytes: u64,
    /// Brackets and もし/場合/not/任意</集合< open at once (onshi::syntax::too_deep).
    #[arg(long, value_name = "N", default_value_t = D.max_nesting,
          value_parser = clap::value_parser!(u64).range(1..=M.max_nesting))]
    pub max_nesting: u64,
    /// Depth of an expression, and of evaluation through table lookups (onshi::syntax::too_deep,
    /// onshi::limit::depth).
    #[arg(long, value_name = "N", default_value_t = D.max_depth,
          value_parser = clap::value_parser!(u64).range(1..=M.max_depth))]
    pub max_depth: u64,
    /// 定義 and 出力 of the program, imports included (onshi::limit::definitions).
    #[arg(long, value_name = "N", default_value_t = D.max_definitions,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_definitions: u64,
    /// Rows of one table (onshi::limit::table_rows).
    #[arg(long, value_name = "N", default_value_t = D.max_table_rows,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_table_rows: u64,
    /// Expression nodes evaluated for one set of facts (onshi::limit::steps).
    #[arg(long, value_name = "N", default_value_t = D.max_steps,
          value_parser = clap::value_parser!(u64).range(1..))]
    pub max_steps: u64,
}

impl LimitArgs {
    pub fn limits(&self) -> Limits {
        Limits {
            max_source_bytes: self.max_source_bytes,
            max_nesting: self.max_nesting,
            max_depth: self.max_depth,
            max_definitions: self.max_definitions,
            max_table_rows: self.max_table_rows,
            max_steps: self.max_steps,
        }
    }
}
