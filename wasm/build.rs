//! Embeds the shipped policies into the package (see `onshi-bundle`, shared with the Python
//! package): every `*.onshi` under `../policies`, keyed by its repository path.
//!
//! Without the feature `all-policies` (the front-desk module), only the front-desk policy and the
//! files it imports, directly or not, are embedded.

use std::error::Error;

/// The stack of the WASM module, in linear memory: 8 MiB instead of Rust's default 1 MiB. Parsing
/// and checking recurse once per nesting level, and the stack cannot grow in WASM (an overflow
/// traps and leaves the module unusable); with the default limits (`onshi::Limits`) the deepest
/// accepted policy uses a small part of it (see `wasm/tests/limits.test.mjs`).
const WASM_STACK_BYTES: u32 = 8 << 20;

fn main() -> Result<(), Box<dyn Error>> {
    if std::env::var("CARGO_CFG_TARGET_FAMILY").is_ok_and(|f| f == "wasm") {
        println!("cargo:rustc-link-arg-cdylib=-zstack-size={WASM_STACK_BYTES}");
    }
    onshi_bundle::generate(std::env::var_os("CARGO_FEATURE_ALL_POLICIES").is_some())
}
