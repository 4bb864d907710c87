//! Columnar evaluation (`Evaluator::chunk`) gives exactly the per-record answers
//! (`Evaluator::record`) — values and errors — record by record: for every shipped policy and for
//! policies written to reach the columnar evaluator's edge cases (errors in branches a record does
//! not take, `i64` overflow falling back to exact arithmetic, division by zero, rounding units,
//! optionals, 原則/例外 conflicts, tables with and without a row, computed cells, `場合`).
//! Facts come from each policy's own input schema (`onshi_tests::facts`); runs are deterministic.

use onshi::eval::{ChunkOutputs, Columns, OutputColumn};
use onshi::{compile, compile_with, Limits, Program, Value};
use onshi_tests::facts::{self, Facts};
use onshi_tests::workspace::shipped_policies;
use proptest::collection::vec;
use proptest::test_runner::{Config, RngAlgorithm, TestCaseError, TestRng, TestRunner};
use std::collections::BTreeMap;

fn cases() -> u32 {
    onshi_tests::cases(48)
}

/// Chunks of generated facts: the columnar answer of every record equals the per-record one.
fn same_answers(program: &Program, name: &str) {
    let config = Config {
        cases: cases(),
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]);
    let mut runner = TestRunner::new_with_rng(config, rng);
    let result = runner.run(&vec(facts::facts(program), 1..160), |chunk: Vec<Facts>| {
        let records: Vec<Vec<onshi::Value>> = chunk.iter().map(|f| f.values.clone()).collect();
        let out = program
            .evaluator()
            .chunk(&Columns::from_records(program, &records));
        for (i, r) in records.iter().enumerate() {
            let want = program.evaluator().record(r);
            let got = out.record(i);
            proptest::prop_assert_eq!(&got, &want, "record {} of {}: {:?}", i, name, chunk[i]);
            if let Ok(values) = &want {
                typed_outputs_agree(&out, values, i)
                    .map_err(|m| TestCaseError::fail(format!("record {i} of {name}: {m}")))?;
            }
        }
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
}

/// The typed output columns ([`ChunkOutputs::column`]) read record `i` (which has no error) as its
/// output values read: whole numbers, truth values, variant indexes, fractions (in lowest terms),
/// day numbers and set masks.
fn typed_outputs_agree(out: &ChunkOutputs, values: &[Value], i: usize) -> Result<(), String> {
    for (o, v) in values.iter().enumerate() {
        let Some(col) = out.column(o) else { continue };
        let whole = match v {
            Value::Int(x) => Some(*x),
            Value::Money(x) | Value::Ratio(x) | Value::Decimal(x) if x.is_integer() => {
                i64::try_from(x.numer()).ok()
            }
            _ => None,
        };
        let bool = match v {
            Value::Bool(b) => Some(*b),
            _ => None,
        };
        let ordinal = match v {
            Value::Enum(e) => Some(*e),
            _ => None,
        };
        let days = match v {
            Value::Date(d) => Some(onshi::eval::days(*d)),
            _ => None,
        };
        let mask = match v {
            Value::Set(m) => Some(*m),
            _ => None,
        };
        if (col.days(i), col.mask(i)) != (days, mask) {
            return Err(format!(
                "output {o}: typed {:?}/{:?}, value {v:?}",
                col.days(i),
                col.mask(i)
            ));
        }
        if let (Some(d), Value::Date(x)) = (days, v) {
            // The day number reads back as the date.
            if onshi::eval::day(i64::from(d)) != Some(*x) {
                return Err(format!("output {o}: day {d}, value {v:?}"));
            }
        }
        if let (OutputColumn::Fraction(f), Value::Ratio(x) | Value::Decimal(x)) = (col, v) {
            // Lowest terms: the same value gives the same pair.
            let (n, d) = f.reduced(i).ok_or("fraction out of the chunk")?;
            if (i128::from(n), i128::from(d)) != (x.numer(), x.denom()) {
                return Err(format!("output {o}: reduced {n}/{d}, value {v:?}"));
            }
        }
        if (col.whole(i), col.bool(i), col.ordinal(i)) != (whole, bool, ordinal) {
            return Err(format!(
                "output {o}: typed {:?}/{:?}/{:?}, value {v:?}",
                col.whole(i),
                col.bool(i),
                col.ordinal(i)
            ));
        }
        // An optional output: its mask says which records have a value, and the values under
        // it read as the value does.
        let col = match col {
            OutputColumn::Optional(opt) => {
                if opt.present(i) != Some(*v != Value::Absent) {
                    return Err(format!(
                        "output {o}: present {:?}, value {v:?}",
                        opt.present(i)
                    ));
                }
                opt.values()
            }
            col => col,
        };
        if let (OutputColumn::Fraction(f), Value::Money(x) | Value::Ratio(x) | Value::Decimal(x)) =
            (col, v)
        {
            let (n, d) = f.get(i).ok_or("fraction out of the chunk")?;
            // n/d = x exactly.
            if i128::from(n) * x.denom() != x.numer() * i128::from(d) || d <= 0 {
                return Err(format!("output {o}: fraction {n}/{d}, value {v:?}"));
            }
        }
    }
    Ok(())
}

#[test]
fn shipped_policies_give_the_same_answers_by_chunk() {
    let files = shipped_policies();
    let mut n = 0;
    for path in files
        .keys()
        .filter(|p| !p.starts_with("policies/common/") && !p.starts_with("policies/scope/"))
    {
        let program = compile(&files, path)
            .program
            .expect("shipped policies compile");
        same_answers(&program, path);
        n += 1;
    }
    assert!(n >= 6, "only {n} shipped policies");
}

/// Policies aimed at the columnar evaluator's edges.
const EDGES: &[(&str, &str)] = &[
    (
        "errors only in branches not taken",
        "入力 a: 金額\n入力 b: 金額\n入力 k: 整数\n\
         出力 q: 割合 = もし b = 0円 ならば 0 そうでなければ a / b\n\
         出力 r: 金額 = もし k > 3 ならば 切り捨て(a × k, 1000円) そうでなければ a\n\
         出力 s: 真偽 = b > 0円 と a / b > 1\n\
         出力 t: 真偽 = b = 0円 または a / b < 1\n",
    ),
    (
        "overflow falls back to exact arithmetic",
        "入力 a: 金額\n入力 k: 整数\n入力 r: 割合\n\
         出力 x: 金額 = a × k × k × k × k\n\
         出力 y: 整数 = k × k × k × k × k × k\n\
         出力 z: 金額 = 四捨五入(a × r × r × r, 1円) + 切り上げ(a × r, 10円)\n\
         出力 w: 金額 = 最大(a × k, a, 0円) - 最小(a, a × r)\n",
    ),
    (
        "division by zero and rounding units",
        "入力 a: 金額\n入力 u: 金額\n入力 k: 整数\n\
         出力 d: 割合 = k / (k - 1)\n\
         出力 e: 金額 = 切り捨て(a, u)\n\
         出力 f: 金額 = 四捨五入(a / 3, u + 1円)\n",
    ),
    (
        "optionals, presence and defaults",
        "入力 a: 任意<金額>\n入力 d: 任意<日付>\n入力 k: 整数\n\
         出力 x: 金額 = もし a が ある ならば a × 2 そうでなければ 0円\n\
         出力 y: 金額 = 既定値(a, 5円)\n\
         出力 z: 真偽 = d が ない\n\
         出力 w: 日付 = 既定値(d, 令和7年4月1日)\n",
    ),
    (
        "rules, conflicts and no rule",
        "入力 k: 整数\n入力 f: 真偽\n\
         出力 x: 金額\n  原則 A: 1円\n  例外 B: もし k > 2 ならば 2円\n  例外 C: もし f ならば 3円\n\
         出力 y: 金額\n  原則 D: もし k > 2 ならば 1円\n  例外 E: もし f ならば 1円\n\
         出力 z: 金額\n  原則 G: 12円 / (k - 3)\n  例外 H: もし 6 / (k - 2) > 1 ならば 12円 / (k - 4)\n\
           例外 I: もし f ならば 12円 / (k - 5)\n",
    ),
    (
        "tables: gaps, ranges, computed cells, match",
        "列挙 種 = 甲 | 乙 | 丙\n入力 s: 種\n入力 k: 整数\n入力 a: 金額\n\
         表 率(s: 種, k: 整数) → (r: 割合, c: 金額)\n\
         | s | k | r | c |\n|---|---|---|---|\n\
         | 甲 | < 10 | 1/2 | 100円 |\n| 甲 | >= 10 | 3/4 | 200円 |\n| 乙 | 0..5 | 1/3 | 300円 |\n\
         表 計(s: 種) → 金額\n| s | 計 |\n|---|---|\n| 甲 | a × 2 |\n| {乙, 丙} | a |\n\
         出力 r: 割合 = 率(s, k).r\n\
         出力 c: 金額 = 率(s, k).c + 計(s)\n\
         出力 m: 整数 = 場合 s { 甲 → k; 乙 → k × 2; その他 → 0 }\n",
    ),
    (
        "a complete table over an enumeration and whole-number intervals",
        "列挙 種 = 甲 | 乙 | 丙\n入力 s: 種\n入力 k: 整数\n\
         表 段(s: 種, k: 整数) → 整数\n\
         | s | k | 段 |\n|---|---|---|\n\
         | 甲 | < 0 | 1 |\n| 甲 | 0..9 | 2 |\n| 甲 | = 10 | 3 |\n| 甲 | > 10 | 4 |\n\
         | {乙, 丙} | <= 40000 | 5 |\n| {乙, 丙} | > 40000 | 6 |\n\
         出力 d: 整数 = 段(s, k)\n出力 e: 整数 = 段(s, k + 1) + 段(甲, k)\n",
    ),
    (
        "dates, sets and built-ins",
        "列挙 種 = 甲 | 乙 | 丙\n入力 d: 日付\n入力 s: 集合<種>\n入力 t: 種\n\
         出力 a: 日付 = 月末(d)\n出力 b: 日付 = 翌日(d) + 1か月\n\
         出力 c: 整数 = 要素数(s ∪ {t})\n出力 e: 真偽 = t ∈ s と d <= 令和8年1月15日\n\
         出力 f: 整数 = d - 令和7年4月1日\n",
    ),
    (
        "date arithmetic, date built-ins and their range",
        "入力 d: 日付\n入力 p: 期間\n入力 k: 整数\n\
         出力 a: 日付 = d + p\n出力 b: 日付 = d - p\n出力 c: 日付 = p + d\n\
         出力 e: 整数 = d - 令和7年4月1日 + (令和7年4月1日 - d)\n\
         出力 f: 日付 = 営業日後(d, k - 10)\n出力 g: 日付 = 満了日(d, p)\n\
         出力 h: 日付 = 翌日(前日(月初(月末(d))))\n\
         出力 i: 真偽 = d < 1873年3月1日 または d > 9999年11月30日\n\
         出力 j: 日付 = もし d < 令和7年4月1日 ならば 9999年12月31日 + p そうでなければ d - 1か月\n",
    ),
    (
        "optional dates, presence and defaults in date loops",
        "列挙 種 = 甲 | 乙 | 丙\n\
         入力 d: 日付\n入力 o: 任意<日付>\n入力 q: 任意<日付>\n入力 s: 任意<種>\n入力 k: 任意<整数>\n\
         定義 x: 任意<日付> = もし o が ある ならば o + 1か月 そうでなければ 未設定\n\
         出力 a: 任意<日付> = x\n\
         出力 b: 真偽 = x が ある と x > d\n\
         出力 c: 日付 = 既定値(q, d) - 3か月\n\
         出力 e: 任意<日付> = もし o が ある と o >= d ならば 満了日(o, 6か月) そうでなければ 未設定\n\
         出力 f: 真偽 = s が ある と s = 乙\n\
         出力 g: 整数 = もし k が ある ならば -k + 1 そうでなければ 0\n\
         出力 h: 日付 = もし q が ある ならば 最小(q, 令和7年9月30日) そうでなければ 営業日後(d, -5)\n\
         出力 i: 任意<日付>\n  原則 A: 令和5年4月1日\n  例外 B: もし s が ある と s = 甲 ならば o\n\
         出力 j: 真偽 = i が ない または d <= i\n",
    ),
    (
        "a table looked up with an optional key and a key that fails",
        "列挙 種 = 甲 | 乙 | 丙\n入力 s: 任意<種>\n入力 d: 日付\n\
         表 段(s: 種) → (n: 整数, p: 任意<期間>)\n\
         | s | n | p |\n|---|---|---|\n| 甲 | 1 | 3か月 |\n| 乙 | 2 | 未設定 |\n| 丙 | 3 | 1年 |\n\
         出力 n: 任意<整数> = もし s が ある ならば 段(s).n そうでなければ 未設定\n\
         出力 p: 任意<期間> = もし s が ある ならば 段(s).p そうでなければ 未設定\n\
         入力 k: 整数\n定義 t: 種\n  原則 D: もし k > 2 ならば 甲\n  例外 E: もし k > 4 ならば 丙\n\
         出力 m: 整数 = 段(t).n + 段(既定値(s, 乙)).n\n",
    ),
    (
        "lane selection: nested branches, と/または and 場合 over absent values and errors",
        "列挙 種 = 甲 | 乙 | 丙\n入力 s: 種\n入力 o: 任意<日付>\n入力 a: 任意<金額>\n入力 k: 整数\n入力 f: 真偽\n\
         表 段(s: 種, k: 整数) → 整数\n| s | k | 段 |\n|---|---|---|\n| 甲 | < 5 | 1 |\n| 乙 | >= 0 | 2 |\n\
         出力 x: 金額 = もし a が ある ならば (もし k > 2 ならば a / (k - 3) そうでなければ a × 2) そうでなければ 0円\n\
         出力 y: 真偽 = f と o が ある と o > 令和7年4月1日\n\
         出力 z: 真偽 = (o が ない または o < 令和7年4月1日) と (a が ない または a > 100円)\n\
         出力 w: 整数 = 場合 s { 甲 → もし f ならば 段(s, k) そうでなければ 0; 乙 → 段(s, k - 10); その他 → 既定値(o, 令和7年1月1日) - 令和7年1月1日 }\n\
         出力 v: 日付 = もし o が ない ならば 令和7年1月1日 そうでなければ もし f ならば o + 1か月 そうでなければ 翌日(o)\n\
         出力 u: 任意<日付> = もし f または k > 0 ならば 未設定 そうでなければ o\n",
    ),
    (
        "two-way branches and と/または whose sides are computed for every record",
        "列挙 種 = 甲 | 乙 | 丙\n入力 s: 種\n入力 t: 集合<種>\n入力 a: 金額\n入力 r: 割合\n入力 k: 整数\n\
         入力 d: 日付\n入力 f: 真偽\n\
         出力 m: 金額 = もし f ならば a × k × k × k × k × k × k そうでなければ a + 1円\n\
         出力 n: 整数 = もし k > 0 ならば k × k × k × k × k × k × k そうでなければ -k\n\
         出力 e: 日付 = もし f ならば d そうでなければ 令和7年4月1日\n\
         出力 g: 真偽 = もし s ∈ {甲, 乙} ならば f そうでなければ k > 100000\n\
         出力 h: 種 = もし s ∉ {甲} ならば s そうでなければ 丙\n\
         出力 i: 集合<種> = もし f ならば t ∪ {s} そうでなければ t ∩ {乙, 丙}\n\
         出力 j: 金額 = もし a / (k - 1) > 1円 ならば 最小(a, a × r, 5円) そうでなければ 最大(a × r, 0円, a)\n\
         出力 l: 期間 = もし f ならば 1か月 そうでなければ 2年\n\
         出力 o: 任意<金額> = もし f ならば 未設定 そうでなければ a\n\
         出力 p: 真偽 = k > 0 と a × k × k × k × k × k × k > 1円 と s ∈ t\n\
         出力 q: 真偽 = f または a × k × k × k × k × k × k × k < 0円 または s ∉ {乙, 丙}\n\
         出力 u: 金額 = もし k = 1 ならば a / (k - 1) そうでなければ 切り捨て(a × r, 1000円)\n",
    ),
    (
        "optional amounts, enumerations, truth values and sets through branches, rules and defaults",
        "列挙 種 = 甲 | 乙 | 丙\n\
         入力 a: 任意<金額>\n入力 r: 任意<割合>\n入力 s: 任意<種>\n入力 f: 任意<真偽>\n\
         入力 g: 任意<集合<種>>\n入力 k: 整数\n入力 d: 任意<日付>\n\
         定義 y: 任意<金額> = もし k > 0 ならば a そうでなければ 未設定\n\
         出力 b: 任意<金額> = もし a が ある と a > 100円 ならば a × 2 そうでなければ y\n\
         出力 c: 金額 = 既定値(b, 7円) + 既定値(y, 0円)\n\
         出力 e: 任意<割合>\n  原則 A: r\n  例外 B: もし k > 3 ならば 1/3\n  例外 C: もし k < -3 ならば 未設定\n\
         出力 h: 任意<種> = 場合 既定値(s, 丙) { 甲 → 乙; 乙 → s; その他 → 未設定 }\n\
         出力 i: 真偽 = 既定値(f, k > 1) または (h が ある と h = 乙)\n\
         出力 j: 任意<真偽> = もし d が ある ならば f そうでなければ 未設定\n\
         出力 m: 任意<集合<種>> = もし s が ある ならば 既定値(g, {甲}) そうでなければ g\n\
         出力 n: 任意<整数> = もし h が ある と e が ある と e > 1/4 ならば k そうでなければ 未設定\n\
         出力 o: 任意<日付> = もし f が ない ならば d そうでなければ 既定値(d, 令和7年4月1日)\n\
         出力 p: 金額 = もし e が ない または b が ない ならば 0円 そうでなければ 切り捨て(b × e, 1円)\n",
    ),
];

#[test]
fn edge_policies_give_the_same_answers_by_chunk() {
    for (name, src) in EDGES {
        let mut files = BTreeMap::new();
        files.insert("edge.onshi".to_string(), (*src).to_string());
        let compiled = compile(&files, "edge.onshi");
        let program = compiled
            .program
            .unwrap_or_else(|| panic!("{name} does not compile: {:?}", compiled.diagnostics));
        same_answers(&program, name);
    }
}

/// The fixtures that compile (conflicting rules, a wrong example, coverage, a draft edition).
#[test]
fn fixtures_give_the_same_answers_by_chunk() {
    let root = onshi_tests::workspace::root();
    for path in [
        "tests/fixtures/conflict.onshi",
        "tests/fixtures/coverage.onshi",
        "tests/fixtures/wrong_example.onshi",
    ] {
        let text = std::fs::read_to_string(root.join(path)).unwrap();
        let mut files = BTreeMap::new();
        files.insert(path.to_string(), text);
        if let Some(program) = compile(&files, path).program {
            same_answers(&program, path);
        }
    }
}

/// Under a step limit some evaluations exceed, chunks give the per-record answers too: the
/// limit's error for the records that reach it, values for the others.
#[test]
fn a_step_limit_applies_by_chunk_as_per_record() {
    let files = shipped_policies();
    let path = "policies/r7/subsidy.onshi";
    let full = compile(&files, path).program.expect("compiles");
    let limits = Limits {
        max_steps: full.max_steps() / 2,
        ..Limits::default()
    };
    let program = compile_with(&files, path, &limits)
        .program
        .expect("compiles under the limit");
    assert!(program.max_steps() > program.step_limit());
    same_answers(&program, "r7/subsidy with half the steps");
    let records: Vec<Vec<onshi::Value>> = program
        .examples()
        .iter()
        .map(|ex| program.example_inputs(ex))
        .collect();
    let out = program
        .evaluator()
        .chunk(&Columns::from_records(&program, &records));
    let limited = (0..records.len())
        .filter(|i| {
            out.error(*i)
                .is_some_and(|e| e.code() == "onshi::limit::steps")
        })
        .count();
    assert!(limited > 0, "no example reached half the steps");
}

/// Values beyond the typed columns (amounts past `i64`, fractions of a yen, absent optionals)
/// in the same chunk as plain ones.
#[test]
fn values_beyond_i64_in_a_chunk_give_the_per_record_answers() {
    use onshi_grammar::num::Num;
    let src = "入力 a: 金額\n入力 r: 割合\n入力 o: 任意<金額>\n\
               出力 x: 金額 = 切り捨て(a × r, 1000円) + 既定値(o, 1円)\n\
               出力 y: 真偽 = a × r > 1000円\n\
               出力 z: 金額 = 最小(a, 10億円) - a / 3\n";
    let mut files = BTreeMap::new();
    files.insert("big.onshi".to_string(), src.to_string());
    let program = compile(&files, "big.onshi").program.expect("compiles");
    let money = |n: i128, d: i128| onshi::Value::Money(Num::new(n, d).unwrap());
    let ratio = |n: i128, d: i128| onshi::Value::Ratio(Num::new(n, d).unwrap());
    let huge = 10i128.pow(30);
    let records = vec![
        vec![money(411_000, 1), ratio(1, 2), onshi::Value::Absent],
        vec![money(huge, 1), ratio(3, 4), money(5, 1)],
        vec![money(1, 3), ratio(huge, huge + 1), onshi::Value::Absent],
        vec![money(i128::from(i64::MAX), 1), ratio(2, 1), money(huge, 7)],
        vec![money(-7, 1), ratio(-1, 2), money(0, 1)],
        vec![money(i128::MAX / 2, 1), ratio(4, 1), onshi::Value::Absent],
    ];
    let out = program
        .evaluator()
        .chunk(&Columns::from_records(&program, &records));
    for (i, r) in records.iter().enumerate() {
        assert_eq!(out.record(i), program.evaluator().record(r), "record {i}");
    }
    assert!(
        out.record(5).is_err(),
        "i128 overflow is an error by chunk too"
    );
}

/// Optional outputs whose values have a typed form read back typed, with their presence: an
/// absent record is `present == Some(false)` and reads as no value, a present one as its value.
#[test]
fn optional_outputs_read_back_typed_with_their_presence() {
    use onshi_grammar::num::Num;
    let src = "列挙 種 = 甲 | 乙\n入力 k: 任意<整数>\n入力 s: 任意<種>\n入力 a: 任意<金額>\n\
               出力 x: 任意<整数> = もし k が ある ならば k + 1 そうでなければ 未設定\n\
               出力 y: 任意<種> = s\n\
               出力 z: 任意<金額> = もし a が ある と a > 0円 ならば a / 2 そうでなければ 未設定\n";
    let mut files = BTreeMap::new();
    files.insert("opt.onshi".to_string(), src.to_string());
    let program = compile(&files, "opt.onshi").program.expect("compiles");
    let yen = |n: i128, d: i128| Value::Money(Num::new(n, d).unwrap());
    let records = vec![
        vec![Value::Int(4), Value::Enum(1), yen(3, 1)],
        vec![Value::Absent, Value::Absent, Value::Absent],
        vec![Value::Int(-2), Value::Absent, yen(-5, 1)],
    ];
    let out = program
        .evaluator()
        .chunk(&Columns::from_records(&program, &records));
    let presence = |o: usize| match out.column(o) {
        Some(OutputColumn::Optional(opt)) => opt.presence().to_vec(),
        other => panic!("output {o} is not an optional column: {other:?}"),
    };
    assert_eq!(presence(0), [true, false, true]);
    assert_eq!(presence(1), [true, false, false]);
    assert_eq!(presence(2), [true, false, false]);
    let x = out.column(0).unwrap();
    assert_eq!(
        [x.whole(0), x.whole(1), x.whole(2)],
        [Some(5), None, Some(-1)]
    );
    let y = out.column(1).unwrap();
    assert_eq!(
        [y.ordinal(0), y.ordinal(1), y.ordinal(2)],
        [Some(1), None, None]
    );
    let Some(OutputColumn::Optional(z)) = out.column(2) else {
        panic!("z is not an optional column")
    };
    let OutputColumn::Fraction(f) = z.values() else {
        panic!("z's values are not fractions")
    };
    let (n, d) = f.get(0).unwrap();
    assert_eq!(n * 2, 3 * d);
    for (i, r) in records.iter().enumerate() {
        assert_eq!(out.record(i), program.evaluator().record(r));
    }
}
