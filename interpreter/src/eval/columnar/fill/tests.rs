//! [`ColumnsBuilder`] against the record-by-record route it replaces: every record's value of
//! every input as [`typed_value`] (or the default, or the missing-input error) reads it, pushed
//! with [`Columns::push`]. Same facts errors (the first input's, per record), same values, same
//! outputs by chunk; the typed loops keep the narrow stored forms.

use super::*;
use crate::eval::columnar::col::Col;
use proptest::prelude::*;
use std::collections::BTreeMap;

const POLICY: &str = "列挙 種別 = 病院 | 診療所 | 薬局\n\
入力 種別: 種別\n\
入力 回数: 整数 既定 0\n\
入力 額: 金額 既定 0円\n\
入力 率: 割合 既定 1/2\n\
入力 小: 小数\n\
入力 日: 日付\n\
入力 紙: 真偽 既定 偽\n\
入力 済: 集合<種別> 既定 {}\n\
入力 任: 任意<整数>\n\
入力 期日: 任意<日付>\n\
出力 x: 金額 = 額 + 額 * 率\n\
出力 y: 真偽 = 紙 または 種別 ∈ 済\n\
出力 z: 日付 = 日\n";

fn program() -> Program {
    let mut files = BTreeMap::new();
    files.insert("a.onshi".to_string(), POLICY.to_string());
    let c = crate::compile(&files, "a.onshi");
    c.program.unwrap_or_else(|| panic!("{:?}", c.diagnostics))
}

/// The reference: record by record, each input read as before, the first error kept.
fn by_record(
    program: &Program,
    cols: &[(Vec<i64>, Option<Vec<u8>>)],
    n: usize,
) -> (Columns, Vec<Option<FactsError>>) {
    let mut columns = Columns::new(program);
    let mut errors = Vec::new();
    for i in 0..n {
        let mut record = Vec::new();
        let mut error = None;
        for (info, (values, present)) in program.inputs().iter().zip(cols) {
            let on = present.as_ref().is_none_or(|p| p[i] != 0);
            let v = match (on, &info.default) {
                (true, _) => typed_value(program, &info.ty, values[i], &path(info)),
                (false, Some(d)) => Ok(d.clone()),
                (false, None) => Err(missing(program, info)),
            };
            record.push(match v {
                Ok(v) => v,
                Err(e) => {
                    error.get_or_insert(e);
                    placeholder(&info.ty)
                }
            });
        }
        columns.push(record);
        errors.push(error);
    }
    (columns, errors)
}

/// Builds the columns `cols` except inputs `skip` (each left out for every record) and holds
/// them to the records' route.
fn check(mut cols: Vec<(Vec<i64>, Option<Vec<u8>>)>, n: usize, skip: &[usize]) {
    let p = program();
    let mut b = ColumnsBuilder::new(&p, n);
    for k in skip {
        cols[*k].1 = Some(vec![0; n]);
    }
    // In reverse order: the first input's error still wins.
    for (k, (values, present)) in cols.iter().enumerate().rev() {
        if !skip.contains(&k) {
            b.ints(k, values, present.as_deref()).unwrap();
        }
    }
    let (got, errors) = b.finish();
    let (want, want_errors) = by_record(&p, &cols, n);
    let mut got_errors = vec![None; n];
    for (i, e) in errors {
        assert!(got_errors[i].is_none(), "two errors for record {i}");
        got_errors[i] = Some(e);
    }
    assert_eq!(got_errors, want_errors);
    for (k, ty) in got.types.iter().enumerate() {
        let (g, w) = (got.cols[k].col(), want.cols[k].col());
        assert_eq!(g.values(n, ty, &p), w.values(n, ty, &p), "input {k}");
    }
    let (g, w) = (p.evaluator().chunk(&got), p.evaluator().chunk(&want));
    for i in 0..n {
        assert_eq!(g.record(i), w.record(i), "record {i}");
    }
    // The typed loops write the evaluator's typed columns.
    if skip.is_empty() {
        assert!(matches!(got.cols[0], Stored::Col(Col::Enum(_))));
        assert!(matches!(got.cols[2], Stored::Col(Col::Num(_))));
        assert!(matches!(got.cols[5], Stored::Col(Col::Date(_))));
        assert!(matches!(got.cols[7], Stored::Col(Col::Set(_))));
    }
}

/// Whole numbers around every type's edges: variant indices, 0/1, set bits, day numbers at
/// chrono's limits, i64's.
fn number() -> impl Strategy<Value = i64> {
    prop_oneof![
        -2i64..10,
        Just(256),
        Just(1 << 40),
        Just(i64::MAX),
        Just(i64::MIN),
        Just(20_000),
        Just(95_000_000),
        Just(-96_000_000),
        // Around 1873-01-01 and 9999-12-31: a date column whose short span crosses either end.
        -35_430i64..-35_426,
        2_932_895i64..2_932_899,
    ]
}

fn column(n: usize) -> impl Strategy<Value = (Vec<i64>, Option<Vec<u8>>)> {
    (
        proptest::collection::vec(number(), n),
        proptest::option::of(proptest::collection::vec(0u8..3, n)),
    )
}

/// A date column whose values lie within a month (the table path), near 1873-01-01, 1970 or
/// 9999-12-31, so that the span sometimes crosses the dates the facts take.
fn near_dates(n: usize) -> impl Strategy<Value = (Vec<i64>, Option<Vec<u8>>)> {
    prop_oneof![Just(-35_440i64), Just(0), Just(2_932_880)].prop_flat_map(move |base| {
        (
            proptest::collection::vec((base..base + 30).boxed(), n),
            proptest::option::of(proptest::collection::vec(0u8..3, n)),
        )
    })
}

proptest! {
    #[test]
    fn a_date_column_in_a_short_span_is_the_records_values(
        mut cols in proptest::collection::vec(column(40), 10),
        dates in near_dates(40),
    ) {
        cols[5] = dates;
        check(cols, 40, &[]);
    }

    #[test]
    fn typed_columns_are_the_records_values(cols in proptest::collection::vec(column(40), 10)) {
        check(cols, 40, &[]);
    }

    #[test]
    fn columns_not_given_are_left_out(
        cols in proptest::collection::vec(column(20), 10),
        skip in proptest::collection::vec(0usize..10, 0..10),
    ) {
        check(cols, 20, &skip);
    }
}

#[test]
fn a_clean_chunk_has_no_errors_and_values_pass_through() {
    let p = program();
    let n = 3;
    let mut b = ColumnsBuilder::new(&p, n);
    b.ints(0, &[0, 1, 2], None).unwrap();
    b.ints(4, &[1, 2, 3], None).unwrap();
    b.ints(5, &[20_000, 20_001, 0], None).unwrap();
    let (columns, errors) = b.finish();
    assert!(errors.is_empty(), "{errors:?}");
    // Inputs not given: one default for the chunk; an optional value absent in every record (a
    // typed column with its presence mask all false).
    assert!(matches!(
        &columns.cols[1],
        Stored::Col(Col::One(Value::Int(0)))
    ));
    assert!(
        matches!(&columns.cols[8], Stored::Col(Col::Opt(_, present)) if present.len() == n && !present.contains(&true))
    );
    let out = p.evaluator().chunk(&columns);
    let z = out.column(2).unwrap();
    assert_eq!(
        (0..n).map(|i| z.days(i)).collect::<Vec<_>>(),
        [Some(20_000), Some(20_001), Some(0)]
    );
    // 日 1970-01-01 is day 0; the values read back as the JSON facts would give them.
    let json = serde_json::json!({"種別": "薬局", "小": 3, "日": "1970-01-01"});
    let facts = p.facts_from_json(&json).unwrap();
    assert_eq!(out.record(2), p.evaluator().record(&facts));
}

#[test]
fn misuse_is_an_error_not_a_panic() {
    let p = program();
    let mut b = ColumnsBuilder::new(&p, 2);
    assert_eq!(
        b.ints(99, &[0, 0], None),
        Err(ColumnError::NoInput { input: 99 })
    );
    assert_eq!(
        b.ints(0, &[0], None),
        Err(ColumnError::Length {
            input: 0,
            expected: 2,
            found: 1
        })
    );
    assert_eq!(
        b.ints(0, &[0, 0], Some(&[1])),
        Err(ColumnError::Length {
            input: 0,
            expected: 2,
            found: 1
        })
    );
    let too_many = (0..3).map(|_| Ok(None));
    assert!(matches!(
        b.values(1, too_many),
        Err(ColumnError::Length { found: 3, .. })
    ));
    // Every input left out: the required ones are each record's error (the first input's).
    let (_, errors) = b.finish();
    let paths: Vec<_> = errors
        .iter()
        .map(|(i, e)| (*i, e.path().to_string()))
        .collect();
    assert_eq!(
        paths,
        [(0, "$.種別".to_string()), (1, "$.種別".to_string())]
    );
}

#[test]
fn a_day_number_takes_the_dates_the_json_facts_take() {
    // 1873-01-01 (明治6年1月1日) to 9999-12-31, with the JSON reader's error outside: a day
    // number is no way around the facts' range.
    let p = program();
    let ty = Type::Date;
    let day_of = |y, m, d| {
        let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
        i64::from(date.num_days_from_ce() - EPOCH_FROM_CE)
    };
    for (x, iso) in [
        (day_of(1873, 1, 1), "1873-01-01"),
        (day_of(9999, 12, 31), "9999-12-31"),
    ] {
        let json = serde_json::json!({ "種別": "薬局", "小": 3, "日": iso });
        let facts = p.facts_from_json(&json).unwrap();
        assert_eq!(typed_value(&p, &ty, x, "$.日").ok(), facts.get(5).cloned());
    }
    for (x, text) in [
        (day_of(1872, 12, 31), "1872-12-31"),
        (day_of(1800, 1, 1), "1800-01-01"),
    ] {
        let json = serde_json::json!({ "種別": "薬局", "小": 3, "日": text });
        let want = p.facts_from_json(&json).unwrap_err();
        let got = typed_value(&p, &ty, x, "$.日").unwrap_err();
        assert_eq!(got, want, "{text}");
    }
    // After 9999-12-31 (which JSON text cannot even write as a date): out of range.
    for x in [day_of(10000, 1, 1), i64::MAX] {
        let got = typed_value(&p, &ty, x, "$.日").unwrap_err();
        assert!(
            matches!(&got, FactsError::Literal { error: LiteralError::Overflow { .. }, text, .. } if *text == x.to_string()),
            "{got:?}"
        );
    }
    // Before any date a calendar holds: before 1873, not "too large".
    let got = typed_value(&p, &ty, i64::MIN, "$.日").unwrap_err();
    assert!(
        matches!(&got, FactsError::Literal { error: LiteralError::BeforeGregorian, text, .. } if *text == i64::MIN.to_string()),
        "{got:?}"
    );
}
