//! The registry of diagnostic codes: every code onshi emits is one entry here — its id
//! (`onshi::type::mismatch`), whether it is an error or a warning, and its page
//! (`docs/errors/onshi-<phase>-<name>.md`, embedded). Each phase's error enum maps its variants to
//! these entries (`SyntaxError::entry`, `CheckError::entry`, …) and [`Diagnostic::new`] takes the
//! severity from the entry; `onshi explain-error` lists [`ALL`] and prints [`Code::page`], and the
//! tests read [`ALL`] as the list of every code.
//!
//! It lives in onshi-grammar, next to [`Diagnostic`], so that the parser's codes are in it without
//! the grammar crate importing the library. A `Code` cannot be made outside this crate
//! (`#[non_exhaustive]`), so a phase can only emit a registered code. (The WASM and Python
//! packages' own codes, `onshi::wasm::…` and `onshi::python::…`, are not the language's: they have
//! no page and go through [`Diagnostic::error`] with their id.)
//!
//! The pages are only in the binary that calls [`Code::page`] (the CLI, the language server): an
//! entry itself is two words and a severity, so the WASM package does not carry them.
//!
//! [`Diagnostic`]: crate::Diagnostic
//! [`Diagnostic::new`]: crate::Diagnostic::new
//! [`Diagnostic::error`]: crate::Diagnostic::error

use crate::diagnostic::Severity;

/// One diagnostic code of the registry.
/// `#[non_exhaustive]`: only this crate makes entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Code {
    /// Stable, e.g. `onshi::type::mismatch`.
    pub id: &'static str,
    pub severity: Severity,
}

impl Code {
    pub fn is_warning(self) -> bool {
        self.severity == Severity::Warning
    }

    /// The entry of `id`, if it is a registered code.
    pub fn find(id: &str) -> Option<Code> {
        ALL.iter().copied().find(|c| c.id == id)
    }
}

macro_rules! registry {
    ($($name:ident = $id:literal, $severity:ident, $page:literal;)*) => {
        impl Code {
            $(
                pub const $name: Code = Code {
                    id: $id,
                    severity: Severity::$severity,
                };
            )*

            /// Its page, `docs/errors/onshi-<phase>-<name>.md` (`# <code>`, then `## 日本語` and
            /// `## English`).
            pub fn page(self) -> &'static str {
                match self.id {
                    $($id => include_str!(concat!("../../docs/errors/", $page)),)*
                    _ => "",
                }
            }
        }

        /// Every code, in the order of the phases (the order `onshi explain-error` lists them).
        pub const ALL: &[Code] = &[$(Code::$name),*];
    };
}

registry! {
    SYNTAX_TOO_DEEP = "onshi::syntax::too_deep", Error, "onshi-syntax-too_deep.md";
    SYNTAX_TOO_LARGE = "onshi::syntax::too_large", Error, "onshi-syntax-too_large.md";
    SYNTAX_UNEXPECTED = "onshi::syntax::unexpected", Error, "onshi-syntax-unexpected.md";
    LITERAL_BEFORE_GREGORIAN = "onshi::literal::before_gregorian", Error, "onshi-literal-before_gregorian.md";
    LITERAL_ERA_RANGE = "onshi::literal::era_range", Error, "onshi-literal-era_range.md";
    LITERAL_MALFORMED = "onshi::literal::malformed", Error, "onshi-literal-malformed.md";
    LITERAL_NO_SUCH_DAY = "onshi::literal::no_such_day", Error, "onshi-literal-no_such_day.md";
    LITERAL_OVERFLOW = "onshi::literal::overflow", Error, "onshi-literal-overflow.md";
    LITERAL_ZERO_DENOMINATOR = "onshi::literal::zero_denominator", Error, "onshi-literal-zero_denominator.md";
    NAME_AMBIGUOUS = "onshi::name::ambiguous", Error, "onshi-name-ambiguous.md";
    NAME_CYCLE = "onshi::name::cycle", Error, "onshi-name-cycle.md";
    NAME_DUPLICATE = "onshi::name::duplicate", Error, "onshi-name-duplicate.md";
    NAME_ENTRY_NOT_FOUND = "onshi::name::entry_not_found", Error, "onshi-name-entry_not_found.md";
    NAME_IMPORT_NOT_FOUND = "onshi::name::import_not_found", Error, "onshi-name-import_not_found.md";
    NAME_NO_DEFINITION = "onshi::name::no_definition", Error, "onshi-name-no_definition.md";
    NAME_UNKNOWN = "onshi::name::unknown", Error, "onshi-name-unknown.md";
    READING_UNKNOWN_OPTION = "onshi::reading::unknown_option", Error, "onshi-reading-unknown_option.md";
    PREMISE_READS_DEFINITION = "onshi::premise::reads_definition", Error, "onshi-premise-reads_definition.md";
    TYPE_ARITY = "onshi::type::arity", Error, "onshi-type-arity.md";
    TYPE_MISMATCH = "onshi::type::mismatch", Error, "onshi-type-mismatch.md";
    TYPE_NEEDS_ANNOTATION = "onshi::type::needs_annotation", Error, "onshi-type-needs_annotation.md";
    TYPE_NOT_COMPARABLE = "onshi::type::not_comparable", Error, "onshi-type-not_comparable.md";
    TYPE_NOT_CONSTANT = "onshi::type::not_constant", Error, "onshi-type-not_constant.md";
    TYPE_NOT_EXHAUSTIVE = "onshi::type::not_exhaustive", Error, "onshi-type-not_exhaustive.md";
    TYPE_OPTIONAL = "onshi::type::optional", Error, "onshi-type-optional.md";
    TYPE_UNIT = "onshi::type::unit", Error, "onshi-type-unit.md";
    TYPE_UNREACHABLE_ARM = "onshi::type::unreachable_arm", Warning, "onshi-type-unreachable_arm.md";
    TABLE_GAP = "onshi::table::gap", Warning, "onshi-table-gap.md";
    TABLE_HEADER = "onshi::table::header", Error, "onshi-table-header.md";
    TABLE_OVERLAP = "onshi::table::overlap", Error, "onshi-table-overlap.md";
    TABLE_PATTERN = "onshi::table::pattern", Error, "onshi-table-pattern.md";
    TABLE_WIDTH = "onshi::table::width", Error, "onshi-table-width.md";
    RULE_CONFLICT = "onshi::rule::conflict", Warning, "onshi-rule-conflict.md";
    RULE_CYCLE = "onshi::rule::cycle", Error, "onshi-rule-cycle.md";
    RULE_UNREACHABLE = "onshi::rule::unreachable", Warning, "onshi-rule-unreachable.md";
    SOURCE_NOT_FOUND = "onshi::source::not_found", Error, "onshi-source-not_found.md";
    SOURCE_MISSING_DOCUMENT = "onshi::source::missing_document", Error, "onshi-source-missing_document.md";
    SOURCE_UNQUOTED = "onshi::source::unquoted", Warning, "onshi-source-unquoted.md";
    SCOPE_NOT_FOUND = "onshi::scope::not_found", Error, "onshi-scope-not_found.md";
    SCOPE_DUPLICATE = "onshi::scope::duplicate", Error, "onshi-scope-duplicate.md";
    SCOPE_CITED = "onshi::scope::cited", Error, "onshi-scope-cited.md";
    EXAMPLE_MISSING_INPUT = "onshi::example::missing_input", Error, "onshi-example-missing_input.md";
    LIMIT_RULES = "onshi::limit::rules", Error, "onshi-limit-rules.md";
    LIMIT_VARIANTS = "onshi::limit::variants", Error, "onshi-limit-variants.md";
    LIMIT_DEFINITIONS = "onshi::limit::definitions", Error, "onshi-limit-definitions.md";
    LIMIT_TABLE_ROWS = "onshi::limit::table_rows", Error, "onshi-limit-table_rows.md";
    LIMIT_DEPTH = "onshi::limit::depth", Error, "onshi-limit-depth.md";
    LIMIT_STEPS = "onshi::limit::steps", Error, "onshi-limit-steps.md";
    LIMIT_WORKBOOK = "onshi::limit::workbook", Error, "onshi-limit-workbook.md";
    FACTS_JSON = "onshi::facts::json", Error, "onshi-facts-json.md";
    FACTS_LITERAL = "onshi::facts::literal", Error, "onshi-facts-literal.md";
    FACTS_MISSING = "onshi::facts::missing", Error, "onshi-facts-missing.md";
    FACTS_TYPE = "onshi::facts::type", Error, "onshi-facts-type.md";
    FACTS_UNKNOWN_FIELD = "onshi::facts::unknown_field", Error, "onshi-facts-unknown_field.md";
    FACTS_VARIANT = "onshi::facts::variant", Error, "onshi-facts-variant.md";
    FACTS_SPREADSHEET_ERROR = "onshi::facts::spreadsheet_error", Error, "onshi-facts-spreadsheet_error.md";
    EVAL_CONFLICT = "onshi::eval::conflict", Error, "onshi-eval-conflict.md";
    EVAL_DATE_RANGE = "onshi::eval::date_range", Error, "onshi-eval-date_range.md";
    EVAL_HOLIDAY_CALENDAR = "onshi::eval::holiday_calendar", Error, "onshi-eval-holiday_calendar.md";
    EVAL_DIVISION_BY_ZERO = "onshi::eval::division_by_zero", Error, "onshi-eval-division_by_zero.md";
    EVAL_INCOMPARABLE_DURATIONS = "onshi::eval::incomparable_durations", Error, "onshi-eval-incomparable_durations.md";
    EVAL_INTERNAL = "onshi::eval::internal", Error, "onshi-eval-internal.md";
    EVAL_NO_ROW = "onshi::eval::no_row", Error, "onshi-eval-no_row.md";
    EVAL_NO_RULE = "onshi::eval::no_rule", Error, "onshi-eval-no_rule.md";
    EVAL_OVERFLOW = "onshi::eval::overflow", Error, "onshi-eval-overflow.md";
    EVAL_PREMISE = "onshi::eval::premise", Error, "onshi-eval-premise.md";
    EVAL_ROUNDING_UNIT = "onshi::eval::rounding_unit", Error, "onshi-eval-rounding_unit.md";
    PROOF_CONFLICT = "onshi::proof::conflict", Warning, "onshi-proof-conflict.md";
    PROOF_NO_RULE = "onshi::proof::no_rule", Warning, "onshi-proof-no_rule.md";
    PROOF_NO_ROW = "onshi::proof::no_row", Warning, "onshi-proof-no_row.md";
    PROOF_DEAD_RULE = "onshi::proof::dead_rule", Warning, "onshi-proof-dead_rule.md";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_its_page_and_one_id() {
        let mut seen = std::collections::HashSet::new();
        for code in ALL {
            assert!(seen.insert(code.id), "{} twice", code.id);
            let first = code.page().lines().next().unwrap_or_default();
            assert_eq!(first, format!("# {}", code.id), "the page of {}", code.id);
            assert_eq!(Code::find(code.id), Some(*code));
        }
        // (No quoted code here: the tests scan the sources for codes.)
        assert_eq!(Code::find(&["onshi", "type", "mismach"].join("::")), None);
    }
}
