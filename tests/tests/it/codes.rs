//! The diagnostic codes onshi can emit: the one list the test harnesses check against. The corpus
//! (`corpus.rs`) needs a bad input for each, the rendered cases (`diagnostics.rs`) a snapshot in
//! both languages for each. The list is the registry's (`grammar/src/codes.rs`), checked against the
//! `"onshi::…"` strings in the sources, so a code used without an entry fails the suite.

/// Every code an input (policy text, facts, cited documents or a workbook) can trigger: the
/// registry's (`onshi::codes::ALL`), but for [`UNREACHABLE_CODES`].
pub static ALL_CODES: std::sync::LazyLock<Vec<&'static str>> = std::sync::LazyLock::new(|| {
    onshi::codes::ALL
        .iter()
        .map(|c| c.id)
        .filter(|c| !UNREACHABLE_CODES.contains(c))
        .collect()
});

/// Codes that exist but no input reaches: `onshi::eval::internal` reports a broken checker
/// invariant, which a checked program never hits.
pub const UNREACHABLE_CODES: &[&str] = &["onshi::eval::internal"];

#[test]
fn the_list_is_the_codes_in_the_sources() {
    let in_sources = onshi_tests::workspace::codes_in_sources();
    assert!(in_sources.len() >= 40, "found only {in_sources:?}");
    let unlisted: Vec<String> = in_sources
        .iter()
        .filter(|(c, _)| {
            !ALL_CODES.contains(&c.as_str()) && !UNREACHABLE_CODES.contains(&c.as_str())
        })
        .map(|(c, f)| format!("{c} ({})", f.display()))
        .collect();
    assert!(
        unlisted.is_empty(),
        "codes in the sources that are not in the registry (grammar/src/codes.rs: add them there, \
         with a case in tests/corpus/diagnostics/ and one in tests/corpus/):\n{}",
        unlisted.join("\n")
    );
    for code in ALL_CODES.iter().chain(UNREACHABLE_CODES) {
        assert!(
            in_sources.contains_key(*code),
            "{code} is listed but no longer in the sources"
        );
    }
}
