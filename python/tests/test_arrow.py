"""evaluate_arrow against `onshi batch`: thousands of generated records per policy, typed columns
(bool, int64/decimal128 yen, date32, string and dictionary enumerations, list<string> sets) and text
columns, with nulls, bad values and evaluation errors; every answer and every error compared, rows
in order, nothing dropped."""

import datetime as dt

import pyarrow as pa
import pytest

import onshi
from records import MISSING, arrow_rows_as_json, generate, to_arrow, to_jsonl

N = 3000


def compare(p, policy, records, typed, table, batch):
    """Every row of ``evaluate_arrow(table)`` against `onshi batch` on the same records: the same
    outputs, or the same error code and message. Returns the number of errors."""
    got = p.evaluate_arrow(table)
    assert got.num_rows == len(records)
    assert got.column_names == [o["name"] for o in p.outputs] + ["error_code", "error_message"]
    want = batch(policy, to_jsonl(records, typed))
    assert len(want) == len(records)
    errors = 0
    for i, (g, w) in enumerate(zip(arrow_rows_as_json(p, got), want)):
        if "error" in w:
            errors += 1
            assert g.get("error") == {"code": w["error"]["code"], "message": w["error"]["message"]}, (i, records[i])
        else:
            assert g == w, (i, records[i])
    return errors


@pytest.mark.parametrize("policy", ["r7/subsidy", "r7/front_desk"])
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "text"])
def test_every_answer_matches_batch(policy, typed, batch):
    p = onshi.Policy.bundled(policy)
    records = generate(p, N, seed=hash((policy, typed)) % 1000, typed=typed)
    table = to_arrow(p, records, typed)
    # Several record batches of different sizes, to check that rows keep their order.
    table = pa.Table.from_batches(table.to_batches(max_chunksize=1234))
    errors = compare(p, policy, records, typed, table, batch)
    # The data exercises both paths.
    assert 0 < errors < N


@pytest.mark.parametrize("policy", ["r7/subsidy", "r7/front_desk"])
@pytest.mark.parametrize("form", ["plain", "dictionary"])
def test_typed_columns_with_nulls_match_batch(policy, form, batch):
    """Typed columns with nulls in every form and no bad value: whole chunks go in as typed
    columns (a null: the default, or the record's missing input)."""
    p = onshi.Policy.bundled(policy)
    records = generate(p, 5000, seed=7, typed=True, bad=False)
    table = to_arrow(p, records, True, form)
    assert any(t.null_count > 0 for t in table.columns)
    errors = compare(p, policy, records, True, table, batch)
    assert 0 < errors < len(records)


SUBSIDY = {"施設種別": "病院", "グループ処方箋受付回数": 0, "事業": "訪問診療等", "モバイル端末費用": 41000,
           "レセコン改修費用": 781000, "汎用機器費用": 0, "申請日": dt.date(2025, 10, 1), "補助済事業": [],
           "義務化対象外": False, "機器故障時": False}

# Each typed form at its edges: the dates the facts take (1873-01-01 to 9999-12-31) and the ones
# they refuse, int64's ends, names no variant has, set items that are no variant.
EDGES = [
    ("申請日", [dt.date(1800, 1, 1), dt.date(1872, 12, 31), dt.date(1873, 1, 1), dt.date(9999, 12, 31), dt.date(2026, 1, 15)]),
    ("モバイル端末費用", [2**63 - 1, -(2**63), -1, 0]),
    ("グループ処方箋受付回数", [2**63 - 1, -(2**63), 39999, 40000]),
    ("施設種別", ["存在しない区分", "病院 ", "", "薬局"]),
    ("事業", ["存在しない", "資格確認限定型"]),
    ("補助済事業", [["存在しない"], ["訪問診療等", "外来診療等"], ["外来診療等"]]),
    ("義務化対象外", [True]),
]


@pytest.mark.parametrize("form", ["plain", "dictionary"])
def test_typed_edges_match_batch(form, batch):
    """One record per edge value (the others as in a good record), each also with every other
    input left out, in one table: each typed form's errors are the JSON facts'."""
    policy = "r7/subsidy"
    p = onshi.Policy.bundled(policy)
    records = [dict(SUBSIDY)]
    for name, values in EDGES:
        for v in values:
            records.append({**SUBSIDY, name: v})
    for name in SUBSIDY:
        records.append({**SUBSIDY, name: MISSING})
    # Good records around them, so the bad ones share chunks with typed ones.
    records += [dict(SUBSIDY)] * 10
    table = to_arrow(p, records, True, "plain")
    if form == "dictionary":
        enc = [c.dictionary_encode() if pa.types.is_string(c.type) else c for c in table.columns]
        table = pa.table(enc, names=table.column_names)
    errors = compare(p, policy, records, True, table, batch)
    assert errors >= 8
    got = p.evaluate_arrow(table).column("error_code").to_pylist()
    # 1800-01-01 and 1872-12-31 refused as the JSON facts refuse them; 1873-01-01 (the first
    # date they take) and 9999-12-31 evaluated.
    assert got[1:5] == ["onshi::facts::literal", "onshi::facts::literal", None, None]


def test_dates_beyond_the_calendar():
    """A date32 no date of the facts has (beyond 9999-12-31, before 1873) is the record's error."""
    p = onshi.Policy.bundled("r7/subsidy")
    days = pa.array([2**31 - 1, -(2**31), 20362, None], pa.int32()).cast(pa.date32())
    n = len(days)
    t = p.evaluate_arrow(pa.table({"施設種別": ["病院"] * n, "事業": ["訪問診療等"] * n, "申請日": days}))
    assert t.column("error_code").to_pylist() == ["onshi::facts::literal"] * 2 + [None, "onshi::facts::missing"]
    assert t.column("error_message")[0].as_py().startswith("$.申請日: `2147483647`")
    # Before any date the calendar holds: said as before 1873, not as too large.
    before = t.column("error_message")[1].as_py()
    assert before.startswith("$.申請日: `-2147483648`") and "明治6年1月1日" in before, before
    assert t.column("申請期限").to_pylist()[2] == dt.date(2026, 1, 15)


def test_non_whole_decimal_amounts(batch):
    """A decimal128 amount that is not whole yen (that chunk read value by value): the same
    values as `onshi batch`, a 金額 output that is not whole yen a record error."""
    import decimal

    policy = "r7/subsidy"
    p = onshi.Policy.bundled(policy)
    amounts = [decimal.Decimal("41000.50"), decimal.Decimal("20000.50"), decimal.Decimal("1000.00"), None]
    records = [{**SUBSIDY, "モバイル端末費用": MISSING if a is None else a} for a in amounts]
    table = to_arrow(p, [{**r, "モバイル端末費用": None if r["モバイル端末費用"] is MISSING else 0} for r in records], True, "plain")
    table = table.set_column(table.column_names.index("モバイル端末費用"), "モバイル端末費用", pa.array(amounts, pa.decimal128(18, 2)))
    got = arrow_rows_as_json(p, p.evaluate_arrow(table))
    want = batch(policy, to_jsonl([{**r, "モバイル端末費用": MISSING if r["モバイル端末費用"] is MISSING else float(r["モバイル端末費用"])} for r in records], True))
    for g, w in zip(got, want):
        if "outputs" in w and all(float(v).is_integer() for v in w["outputs"].values() if isinstance(v, (int, float)) and not isinstance(v, bool)):
            assert g == w
        elif "outputs" in w:
            assert g["error"]["code"] == "onshi::python::not_whole_yen"
        else:
            assert g["error"] == {"code": w["error"]["code"], "message": w["error"]["message"]}


def test_types_of_output_columns():
    p = onshi.Policy.bundled("r7/subsidy")
    t = p.evaluate_arrow(pa.table({"施設種別": ["病院"], "事業": ["訪問診療等"], "申請日": pa.array([dt.date(2025, 10, 1)], pa.date32()),
                                   "モバイル端末費用": pa.array([41000], pa.int64()), "レセコン改修費用": pa.array([781000], pa.int64())}))
    assert t.schema.field("補助額").type == pa.int64()
    assert t.schema.field("申請期限").type == pa.date32()
    assert t.schema.field("申請可").type == pa.bool_()
    assert t.column("補助額").to_pylist() == [411000]
    assert t.column("error_code").to_pylist() == [None]


def test_record_batch_pandas_polars_inputs():
    p = onshi.Policy.bundled("r7/subsidy")
    records = generate(p, 200, seed=3, typed=True)
    table = to_arrow(p, records, True)
    want = p.evaluate_arrow(table)
    assert p.evaluate_arrow(table.to_batches()[0]).equals(want)
    assert p.evaluate_arrow(pa.RecordBatchReader.from_batches(table.schema, table.to_batches())).equals(want)
    import pandas as pd
    import polars as pl

    text = to_arrow(p, records, False)
    want_text = p.evaluate_arrow(text)
    assert p.evaluate_arrow(text.to_pandas()).equals(want_text)
    assert p.evaluate_arrow(pl.from_arrow(table)).equals(want)
    # and back: pandas and Polars through their Arrow conversion
    assert len(want.to_pandas()) == 200 and isinstance(want.to_pandas(), pd.DataFrame)
    assert pl.from_arrow(want).height == 200


def test_empty_and_missing_columns():
    p = onshi.Policy.bundled("r7/subsidy")
    empty = p.evaluate_arrow(pa.table({"施設種別": pa.array([], pa.string())}))
    assert empty.num_rows == 0
    # required inputs that are not columns: every record is an error naming the input
    t = p.evaluate_arrow(pa.table({"施設種別": ["病院", None]}))
    assert t.column("error_code").to_pylist() == ["onshi::facts::missing"] * 2


def test_column_type_errors():
    p = onshi.Policy.bundled("r7/subsidy")
    with pytest.raises(TypeError, match="no floats"):
        p.evaluate_arrow(pa.table({"モバイル端末費用": pa.array([1.5], pa.float64())}))
    with pytest.raises(TypeError, match="申請日"):
        p.evaluate_arrow(pa.table({"申請日": pa.array([True])}))
    with pytest.raises(ValueError, match="extra_columns"):
        p.evaluate_arrow(pa.table({"id": [1]}))
    t = p.evaluate_arrow(pa.table({"id": [1]}), extra_columns="ignore")
    assert t.num_rows == 1
    with pytest.raises(TypeError):
        p.evaluate_arrow([1, 2, 3])


def test_not_whole_yen_is_a_record_error():
    src = '政策 "x"\n入力 a: 金額\n出力 b: 金額 = a × 1/3\n'
    p = onshi.Policy.compile({"x.onshi": src}, "x.onshi")
    t = p.evaluate_arrow(pa.table({"a": pa.array([3, 1], pa.int64())}))
    assert t.column("b").to_pylist() == [1, None]
    assert t.column("error_code").to_pylist() == [None, "onshi::python::not_whole_yen"]
