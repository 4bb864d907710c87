//! The diagnostic codes onshi can emit: the one list the test harnesses check against. The corpus
//! (`corpus.rs`) needs a bad input for each, the rendered cases (`diagnostics.rs`) a snapshot in
//! both languages for each. The list is checked against the `"onshi::…"` strings in the sources,
//! so a code added there without cases here fails the suite.

/// Every code an input (policy text, facts, cited documents or a workbook) can trigger.
pub const ALL_CODES: &[&str] = &[
    "onshi::syntax::unexpected",
    "onshi::syntax::too_deep",
    "onshi::syntax::too_large",
    "onshi::literal::malformed",
    "onshi::literal::no_such_day",
    "onshi::literal::era_range",
    "onshi::literal::before_gregorian",
    "onshi::literal::overflow",
    "onshi::literal::zero_denominator",
    "onshi::name::unknown",
    "onshi::name::duplicate",
    "onshi::name::ambiguous",
    "onshi::name::cycle",
    "onshi::name::import_not_found",
    "onshi::name::entry_not_found",
    "onshi::name::no_definition",
    "onshi::type::mismatch",
    "onshi::type::unit",
    "onshi::type::not_comparable",
    "onshi::type::optional",
    "onshi::type::arity",
    "onshi::type::not_exhaustive",
    "onshi::type::unreachable_arm",
    "onshi::type::needs_annotation",
    "onshi::type::not_constant",
    "onshi::table::width",
    "onshi::table::header",
    "onshi::table::pattern",
    "onshi::limit::variants",
    "onshi::limit::rules",
    "onshi::limit::definitions",
    "onshi::limit::table_rows",
    "onshi::limit::depth",
    "onshi::limit::steps",
    "onshi::rule::cycle",
    "onshi::rule::unreachable",
    "onshi::rule::conflict",
    "onshi::source::not_found",
    "onshi::source::missing_document",
    "onshi::source::unquoted",
    "onshi::table::overlap",
    "onshi::table::gap",
    "onshi::example::missing_input",
    "onshi::eval::conflict",
    "onshi::eval::no_rule",
    "onshi::eval::overflow",
    "onshi::eval::division_by_zero",
    "onshi::eval::no_row",
    "onshi::eval::date_range",
    "onshi::eval::rounding_unit",
    "onshi::eval::incomparable_durations",
    "onshi::facts::json",
    "onshi::facts::unknown_field",
    "onshi::facts::missing",
    "onshi::facts::type",
    "onshi::facts::variant",
    "onshi::facts::literal",
    "onshi::facts::spreadsheet_error",
    "onshi::limit::workbook",
];

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
        "codes in the sources that tests/tests/it/codes.rs does not list (add them to ALL_CODES, \
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
