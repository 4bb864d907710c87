//! Embeds every shipped policy (`../policies`) into the module, as the WASM package does
//! (`onshi-bundle`).

fn main() -> Result<(), Box<dyn std::error::Error>> {
    onshi_bundle::generate(true)
}
