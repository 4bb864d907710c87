//! The registry of codes (`onshi_grammar::codes`) against the error enums: every entry is the code
//! of some variant of a phase's error enum, and every variant's diagnostic carries its entry's code
//! and severity. (That a variant's code is in the registry the types already say: `entry()`
//! returns a `Code`, which only the registry makes.)
//!
//! One value of each variant is built below; a new variant without a value here still compiles,
//! but a new registry entry that no value below produces fails `every_entry_is_produced`.

use crate::check::{CheckError, MismatchHint, NameKind, TypeText};
use crate::citations::CitationError;
use crate::facts::{FactsError, JsonKind};
use crate::ops::{ConflictingRule, EvalError, EvalErrorKind};
use onshi_grammar::ast::Span;
use onshi_grammar::codes::{Code, ALL};
use onshi_grammar::literal::{Era, LiteralError, LiteralKind};
use onshi_grammar::syntax::SyntaxError;
use onshi_grammar::{Diagnostic, Text};
use std::collections::BTreeSet;

/// Codes no enum of the library produces, with where they come from.
const ELSEWHERE: &[(&str, &str)] = &[
    (
        "onshi::limit::workbook",
        "onshi-cli's batch/sheet.rs (a workbook that inflates past --max-workbook-bytes)",
    ),
    (
        "onshi::proof::conflict",
        "onshi-solver's proof.rs (a conflict a solver found and the interpreter reproduced)",
    ),
    (
        "onshi::proof::no_rule",
        "onshi-solver's proof.rs (facts a solver found with no applicable rule, reproduced)",
    ),
    (
        "onshi::proof::no_row",
        "onshi-solver's proof.rs (facts a solver found whose table lookup has no row, reproduced)",
    ),
    (
        "onshi::proof::dead_rule",
        "onshi-solver's dead.rs (a rule a solver proved never gives its definition's value)",
    ),
];

fn tt(s: &str) -> TypeText {
    TypeText {
        ja: s.to_string(),
        en: s.to_string(),
    }
}

fn s(text: &str) -> String {
    text.to_string()
}

fn literal_errors() -> Vec<LiteralError> {
    vec![
        LiteralError::Malformed {
            kind: LiteralKind::Date,
        },
        LiteralError::NoSuchDay {
            year: 2025,
            month: 2,
            day: 30,
        },
        LiteralError::OutsideEra {
            era: Era::Heisei,
            era_year: 31,
            month: 5,
            day: 1,
            suggestion: None,
        },
        LiteralError::BeforeGregorian,
        LiteralError::Overflow {
            kind: LiteralKind::Money,
        },
        LiteralError::ZeroDenominator,
    ]
}

fn syntax_errors() -> Vec<SyntaxError> {
    let span = Span::default();
    let mut out = vec![
        SyntaxError::Unexpected {
            span,
            expected: Vec::new(),
            found: None,
        },
        SyntaxError::TooDeep { span, limit: 1 },
        SyntaxError::TooLarge {
            span,
            size: 2,
            limit: 1,
        },
    ];
    out.extend(
        literal_errors()
            .into_iter()
            .map(|error| SyntaxError::Literal {
                span,
                text: s("x"),
                error,
            }),
    );
    out
}

fn check_errors() -> Vec<CheckError> {
    let span = Span::default();
    let chain = vec![(s("a"), span), (s("b"), span)];
    vec![
        CheckError::UnknownName {
            span,
            name: s("x"),
            kind: NameKind::Value,
            suggestion: None,
        },
        CheckError::Duplicate {
            span,
            name: s("x"),
            first: span,
        },
        CheckError::AmbiguousVariant {
            span,
            name: s("x"),
            enums: vec![s("A"), s("B")],
        },
        CheckError::Cycle {
            chain: chain.clone(),
        },
        CheckError::ImportNotFound {
            span,
            path: s("a.onshi"),
        },
        CheckError::EntryNotFound { path: s("a.onshi") },
        CheckError::Mismatch {
            span,
            expected: tt("金額"),
            found: tt("整数"),
            hint: Some(MismatchHint::MoneyUnit(s("100"))),
        },
        CheckError::Unit {
            span,
            op: "+",
            left: tt("金額"),
            right: tt("日付"),
            hint: None,
        },
        CheckError::NotComparable {
            span,
            op: "<",
            left: tt("金額"),
            right: tt("日付"),
        },
        CheckError::OptionalUse { span, name: s("x") },
        CheckError::Arity {
            span,
            name: s("最小"),
            expected: s("2"),
            found: 1,
        },
        CheckError::NotExhaustive {
            span,
            missing: vec![s("A")],
        },
        CheckError::UnreachableArm { span },
        CheckError::NeedsContext { span },
        CheckError::NotConstant { span },
        CheckError::TableWidth {
            span,
            expected: 2,
            found: 1,
        },
        CheckError::TableHeader {
            span,
            expected: s("a"),
            found: s("b"),
        },
        CheckError::BadPattern {
            span,
            ty: tt("金額"),
        },
        CheckError::TooManyVariants { span, limit: 1 },
        CheckError::NoOutputBody { span, name: s("x") },
        CheckError::PremiseReads {
            span,
            premise: s("p"),
            what: s("d"),
        },
        CheckError::UnknownOption {
            span,
            reading: s("r"),
            name: s("x"),
            options: vec![s("a")],
            suggestion: None,
        },
        CheckError::TooManyRules { span, limit: 1 },
        CheckError::RuleCycle { chain },
        CheckError::UnreachableRule { span, by: None },
        CheckError::RuleConflict {
            first: span,
            second: span,
        },
        CheckError::TableOverlap {
            first: span,
            second: span,
        },
        CheckError::TableGap {
            span,
            missing: vec![s("A")],
            more: 0,
        },
        CheckError::ExampleMissing { span, name: s("x") },
        CheckError::TooManyDefinitions {
            span,
            count: 2,
            limit: 1,
        },
        CheckError::TooManyRows {
            span,
            table: span,
            name: s("t"),
            rows: 2,
            limit: 1,
        },
        CheckError::TooDeepLookup {
            span,
            depth: 2,
            limit: 1,
            chain: vec![s("t")],
            more: false,
        },
    ]
}

fn citation_errors() -> Vec<CitationError> {
    let span = Span::default();
    vec![
        CitationError::NotFound {
            span,
            source: s("s"),
            document: s("d.md"),
            fragment: s("f"),
            closest: None,
            out_of_order: false,
        },
        CitationError::MissingDocument {
            span,
            source: s("s"),
            document: s("d.md"),
        },
        CitationError::Unquoted {
            span,
            source: s("s"),
            document: s("d.md"),
        },
        CitationError::ScopeNotFound {
            span,
            source: s("s"),
            document: s("d.md"),
            fragment: s("f"),
            closest: None,
        },
        CitationError::ScopeDuplicate {
            span,
            first: span,
            source: s("s"),
            document: s("d.md"),
        },
        CitationError::ScopeCited {
            span,
            citation: span,
            source: s("s"),
            document: s("d.md"),
        },
    ]
}

fn facts_errors() -> Vec<FactsError> {
    let path = || s("$.x");
    let mut out = vec![
        FactsError::Json { message: s("m") },
        FactsError::NotObject {
            found: JsonKind::Array,
        },
        FactsError::UnknownField {
            path: path(),
            suggestion: None,
        },
        FactsError::Missing {
            path: path(),
            ty: Text::new("金額", "money"),
        },
        FactsError::WrongType {
            path: path(),
            expected: Text::new("金額", "money"),
            found: JsonKind::Bool,
        },
        FactsError::UnknownVariant {
            path: path(),
            variant: s("v"),
            enum_name: s("E"),
            suggestion: None,
        },
        FactsError::SpreadsheetError {
            path: path(),
            text: s("#N/A"),
        },
    ];
    out.extend(
        literal_errors()
            .into_iter()
            .map(|error| FactsError::Literal {
                path: path(),
                text: s("x"),
                error,
            }),
    );
    out
}

fn eval_errors() -> Vec<EvalError> {
    let rule = |label: &str| ConflictingRule {
        label: Some(s(label)),
        span: Span::default(),
        value: Text::new("1", "1"),
    };
    [
        EvalErrorKind::Overflow,
        EvalErrorKind::DivisionByZero,
        EvalErrorKind::NoRow {
            table: s("t"),
            keys: vec![(s("k"), Text::new("1", "1"))],
        },
        EvalErrorKind::DateOutOfRange,
        EvalErrorKind::HolidayCalendar {
            date: chrono::NaiveDate::from_ymd_opt(2028, 1, 4).unwrap_or_default(),
        },
        EvalErrorKind::RoundingUnit,
        EvalErrorKind::IncomparableDurations,
        EvalErrorKind::Conflict {
            def: s("d"),
            rules: vec![rule("a"), rule("b")],
        },
        EvalErrorKind::NoRule { def: s("d") },
        EvalErrorKind::Premise {
            name: s("p"),
            source: Some(s("通知 別添1")),
        },
        EvalErrorKind::Steps { limit: 1 },
        EvalErrorKind::Internal("a broken invariant"),
    ]
    .into_iter()
    .map(|kind| EvalError {
        kind,
        span: Span::default(),
    })
    .collect()
}

/// Every variant built above: its entry, and its diagnostic.
fn produced() -> Vec<(Code, Diagnostic)> {
    let mut out: Vec<(Code, Diagnostic)> = Vec::new();
    out.extend(
        syntax_errors()
            .iter()
            .map(|e| (e.entry(), e.to_diagnostic())),
    );
    out.extend(
        check_errors()
            .iter()
            .map(|e| (e.entry(), e.to_diagnostic())),
    );
    out.extend(
        citation_errors()
            .iter()
            .map(|e| (e.entry(), e.to_diagnostic())),
    );
    out.extend(
        facts_errors()
            .iter()
            .map(|e| (e.entry(), e.to_diagnostic())),
    );
    out.extend(eval_errors().iter().map(|e| (e.entry(), e.to_diagnostic())));
    out
}

#[test]
fn every_entry_is_produced() {
    let produced: BTreeSet<&str> = produced().iter().map(|(c, _)| c.id).collect();
    let missing: Vec<&str> = ALL
        .iter()
        .map(|c| c.id)
        .filter(|c| !produced.contains(c) && !ELSEWHERE.iter().any(|(e, _)| e == c))
        .collect();
    assert!(
        missing.is_empty(),
        "registry entries no error variant produces: {missing:?}"
    );
    for (code, _) in ELSEWHERE {
        assert!(Code::find(code).is_some(), "{code} is not in the registry");
        assert!(
            !produced.contains(code),
            "{code} is produced here after all"
        );
    }
}

#[test]
fn every_diagnostic_carries_its_entry() {
    for (code, d) in produced() {
        assert!(ALL.contains(&code), "{} is not in the registry", code.id);
        assert_eq!(d.code, code.id);
        assert_eq!(d.severity, code.severity, "{}", code.id);
    }
}
