//! Errors of name resolution and type checking (data), and their wording in Japanese and English:
//! one function per error, in a file per family (`names`, `types`, `tables`, `rules`, `limits`);
//! [`CheckError::to_diagnostic`] only hands each variant's fields to its function.

mod limits;
mod names;
mod rules;
mod tables;
mod types;

use onshi_grammar::ast::Span;
use onshi_grammar::{Code, Diagnostic, Text};

/// A type, already spelled for both languages (types are named from the program being checked).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TypeText {
    pub ja: String,
    pub en: String,
}

/// What a type mismatch suggests, beyond "write an expression of the expected type"; worded when
/// rendered.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MismatchHint {
    /// A bare number where money is expected: `{0}円`.
    MoneyUnit(String),
    /// `が ある`/`が ない` on a value that is not optional.
    PresenceOfRequired,
    /// A set literal mixing enumerations (or holding non-variants).
    SetOfOneEnum,
    /// `場合` on a value that is not an enumeration.
    MatchOnEnum,
    /// `集合<T>` with T not an enumeration.
    SetElementEnum,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameKind {
    Value,
    Type,
    Source,
    Table,
    Function,
    Field,
    Rule,
    Input,
    Output,
    Reading,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CheckError {
    UnknownName {
        span: Span,
        name: String,
        kind: NameKind,
        suggestion: Option<String>,
    },
    Duplicate {
        span: Span,
        name: String,
        first: Span,
    },
    AmbiguousVariant {
        span: Span,
        name: String,
        enums: Vec<String>,
    },
    Cycle {
        /// The definitions in the cycle, each with the span of the reference to the next one.
        chain: Vec<(String, Span)>,
    },
    ImportNotFound {
        span: Span,
        path: String,
    },
    /// The policy asked for is not among the files given.
    EntryNotFound {
        path: String,
    },
    Mismatch {
        span: Span,
        expected: TypeText,
        found: TypeText,
        hint: Option<MismatchHint>,
    },
    Unit {
        span: Span,
        op: &'static str,
        left: TypeText,
        right: TypeText,
        hint: Option<Text>,
    },
    NotComparable {
        span: Span,
        op: &'static str,
        left: TypeText,
        right: TypeText,
    },
    OptionalUse {
        span: Span,
        name: String,
    },
    Arity {
        span: Span,
        name: String,
        expected: String,
        found: usize,
    },
    NotExhaustive {
        span: Span,
        missing: Vec<String>,
    },
    UnreachableArm {
        span: Span,
    },
    NeedsContext {
        span: Span,
    },
    NotConstant {
        span: Span,
    },
    TableWidth {
        span: Span,
        expected: usize,
        found: usize,
    },
    TableHeader {
        span: Span,
        expected: String,
        found: String,
    },
    BadPattern {
        span: Span,
        ty: TypeText,
    },
    TooManyVariants {
        span: Span,
        limit: usize,
    },
    NoOutputBody {
        span: Span,
        name: String,
    },
    /// A 前提 reads a definition or a table (`what`): it may read only inputs.
    PremiseReads {
        span: Span,
        premise: String,
        what: String,
    },
    /// `採用 X` where reading `reading` has no 案 `X`.
    UnknownOption {
        span: Span,
        reading: String,
        name: String,
        options: Vec<String>,
        suggestion: Option<String>,
    },
    TooManyRules {
        span: Span,
        limit: usize,
    },
    /// `例外 A > B` and `例外 B > A`: no rule can be more specific than itself.
    RuleCycle {
        /// The rules around the cycle, each with the span of its `>` target (the next rule).
        chain: Vec<(String, Span)>,
    },
    /// Warning: a rule that can never give the value.
    UnreachableRule {
        span: Span,
        /// The always-applicable rule that always wins over it (None: its condition is never true).
        by: Option<Span>,
    },
    /// Warning: two rules of equal rank that always apply and give different values.
    RuleConflict {
        first: Span,
        second: Span,
    },
    /// Two rows of a table can match the same facts with different results (hit policy: unique).
    TableOverlap {
        first: Span,
        second: Span,
    },
    /// Warning: key combinations no row covers (`span`: the table's name).
    TableGap {
        span: Span,
        missing: Vec<String>,
        more: usize,
    },
    /// An example does not give a required input (one without `既定`).
    ExampleMissing {
        span: Span,
        name: String,
    },
    /// More 定義/出力 than `Limits::max_definitions` (`span`: the first one over the limit).
    TooManyDefinitions {
        span: Span,
        count: usize,
        limit: u64,
    },
    /// A table with more rows than `Limits::max_table_rows` (`span`: the first row over the limit).
    TooManyRows {
        span: Span,
        table: Span,
        name: String,
        rows: usize,
        limit: u64,
    },
    /// Evaluation would nest deeper than `Limits::max_depth` through tables looked up inside table
    /// cells (`span`: the lookup; `chain`: the tables it goes through).
    TooDeepLookup {
        span: Span,
        depth: u64,
        limit: u64,
        chain: Vec<String>,
        /// The chain goes on beyond the tables named.
        more: bool,
    },
}

impl CheckError {
    pub fn is_warning(&self) -> bool {
        self.entry().is_warning()
    }

    /// Its entry in the registry of codes (which also says whether it is a warning).
    pub fn entry(&self) -> Code {
        match self {
            CheckError::TooManyRules { .. } => Code::LIMIT_RULES,
            CheckError::RuleCycle { .. } => Code::RULE_CYCLE,
            CheckError::UnreachableRule { .. } => Code::RULE_UNREACHABLE,
            CheckError::RuleConflict { .. } => Code::RULE_CONFLICT,
            CheckError::TableOverlap { .. } => Code::TABLE_OVERLAP,
            CheckError::TableGap { .. } => Code::TABLE_GAP,
            CheckError::ExampleMissing { .. } => Code::EXAMPLE_MISSING_INPUT,
            CheckError::UnknownName { .. } => Code::NAME_UNKNOWN,
            CheckError::Duplicate { .. } => Code::NAME_DUPLICATE,
            CheckError::AmbiguousVariant { .. } => Code::NAME_AMBIGUOUS,
            CheckError::Cycle { .. } => Code::NAME_CYCLE,
            CheckError::ImportNotFound { .. } => Code::NAME_IMPORT_NOT_FOUND,
            CheckError::EntryNotFound { .. } => Code::NAME_ENTRY_NOT_FOUND,
            CheckError::NoOutputBody { .. } => Code::NAME_NO_DEFINITION,
            CheckError::PremiseReads { .. } => Code::PREMISE_READS_DEFINITION,
            CheckError::UnknownOption { .. } => Code::READING_UNKNOWN_OPTION,
            CheckError::Mismatch { .. } => Code::TYPE_MISMATCH,
            CheckError::Unit { .. } => Code::TYPE_UNIT,
            CheckError::NotComparable { .. } => Code::TYPE_NOT_COMPARABLE,
            CheckError::OptionalUse { .. } => Code::TYPE_OPTIONAL,
            CheckError::Arity { .. } => Code::TYPE_ARITY,
            CheckError::NotExhaustive { .. } => Code::TYPE_NOT_EXHAUSTIVE,
            CheckError::UnreachableArm { .. } => Code::TYPE_UNREACHABLE_ARM,
            CheckError::NeedsContext { .. } => Code::TYPE_NEEDS_ANNOTATION,
            CheckError::NotConstant { .. } => Code::TYPE_NOT_CONSTANT,
            CheckError::TableWidth { .. } => Code::TABLE_WIDTH,
            CheckError::TableHeader { .. } => Code::TABLE_HEADER,
            CheckError::BadPattern { .. } => Code::TABLE_PATTERN,
            CheckError::TooManyVariants { .. } => Code::LIMIT_VARIANTS,
            CheckError::TooManyDefinitions { .. } => Code::LIMIT_DEFINITIONS,
            CheckError::TooManyRows { .. } => Code::LIMIT_TABLE_ROWS,
            CheckError::TooDeepLookup { .. } => Code::LIMIT_DEPTH,
        }
    }

    pub fn code(&self) -> &'static str {
        self.entry().id
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        let code = self.entry();
        match self {
            CheckError::UnknownName {
                span,
                name,
                kind,
                suggestion,
            } => names::unknown_name(code, span, name, kind, suggestion),
            CheckError::Duplicate { span, name, first } => {
                names::duplicate(code, span, name, first)
            }
            CheckError::AmbiguousVariant { span, name, enums } => {
                names::ambiguous_variant(code, span, name, enums)
            }
            CheckError::Cycle { chain } => names::cycle(code, chain),
            CheckError::ImportNotFound { span, path } => names::import_not_found(code, span, path),
            CheckError::EntryNotFound { path } => names::entry_not_found(code, path),
            CheckError::NoOutputBody { span, name } => names::no_output_body(code, span, name),
            CheckError::PremiseReads {
                span,
                premise,
                what,
            } => names::premise_reads(code, span, premise, what),
            CheckError::UnknownOption {
                span,
                reading,
                name,
                options,
                suggestion,
            } => names::unknown_option(code, span, reading, name, options, suggestion),
            CheckError::Mismatch {
                span,
                expected,
                found,
                hint,
            } => types::mismatch(code, span, expected, found, hint),
            CheckError::Unit {
                span,
                op,
                left,
                right,
                hint,
            } => types::unit(code, span, op, left, right, hint),
            CheckError::NotComparable {
                span,
                op,
                left,
                right,
            } => types::not_comparable(code, span, op, left, right),
            CheckError::OptionalUse { span, name } => types::optional_use(code, span, name),
            CheckError::Arity {
                span,
                name,
                expected,
                found,
            } => types::arity(code, span, name, expected, found),
            CheckError::NotExhaustive { span, missing } => {
                types::not_exhaustive(code, span, missing)
            }
            CheckError::UnreachableArm { span } => types::unreachable_arm(code, span),
            CheckError::NeedsContext { span } => types::needs_context(code, span),
            CheckError::NotConstant { span } => types::not_constant(code, span),
            CheckError::TableWidth {
                span,
                expected,
                found,
            } => tables::table_width(code, span, expected, found),
            CheckError::TableHeader {
                span,
                expected,
                found,
            } => tables::table_header(code, span, expected, found),
            CheckError::BadPattern { span, ty } => tables::bad_pattern(code, span, ty),
            CheckError::TableOverlap { first, second } => {
                tables::table_overlap(code, first, second)
            }
            CheckError::TableGap {
                span,
                missing,
                more,
            } => tables::table_gap(code, span, missing, more),
            CheckError::RuleCycle { chain } => rules::rule_cycle(code, chain),
            CheckError::UnreachableRule { span, by } => rules::unreachable_rule(code, span, by),
            CheckError::RuleConflict { first, second } => rules::rule_conflict(code, first, second),
            CheckError::ExampleMissing { span, name } => rules::example_missing(code, span, name),
            CheckError::TooManyRules { span, limit } => limits::too_many_rules(code, span, limit),
            CheckError::TooManyVariants { span, limit } => {
                limits::too_many_variants(code, span, limit)
            }
            CheckError::TooManyDefinitions { span, count, limit } => {
                limits::too_many_definitions(code, span, count, limit)
            }
            CheckError::TooManyRows {
                span,
                table,
                name,
                rows,
                limit,
            } => limits::too_many_rows(code, span, table, name, rows, limit),
            CheckError::TooDeepLookup {
                span,
                depth,
                limit,
                chain,
                more,
            } => limits::too_deep_lookup(code, span, depth, limit, chain, more),
        }
    }
}

/// A cycle (`chain`, each name with its span, the last leading back to the first): the message
/// names the path joined by `arrow`, and each name's label says how it leads to the next.
fn cycle(
    code: Code,
    chain: &[(String, Span)],
    arrow: &str,
    message: impl Fn(&str) -> Text,
    link: impl Fn(&str, &str) -> Text,
) -> Diagnostic {
    let mut names: Vec<&str> = chain.iter().map(|(n, _)| n.as_str()).collect();
    if let Some(first) = names.first().copied() {
        names.push(first);
    }
    let mut d = Diagnostic::new(code, message(&names.join(arrow)));
    let n = chain.len();
    for (i, (name, span)) in chain.iter().enumerate() {
        let next = chain
            .get((i + 1) % n.max(1))
            .map_or("", |(s, _)| s.as_str());
        d = d.with_label(*span, link(name, next));
    }
    d
}
