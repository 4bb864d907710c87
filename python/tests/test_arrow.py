"""evaluate_arrow against `onshi batch`: thousands of generated records per policy, typed columns
(bool, int64/decimal128 yen, date32, string and dictionary enumerations, list<string> sets) and text
columns, with nulls, bad values and evaluation errors; every answer and every error compared, rows
in order, nothing dropped."""

import datetime as dt

import pyarrow as pa
import pytest

import onshi
from records import arrow_rows_as_json, generate, to_arrow, to_jsonl

N = 3000


@pytest.mark.parametrize("policy", ["r7/subsidy", "r7/front_desk"])
@pytest.mark.parametrize("typed", [True, False], ids=["typed", "text"])
def test_every_answer_matches_batch(policy, typed, batch):
    p = onshi.Policy.bundled(policy)
    records = generate(p, N, seed=hash((policy, typed)) % 1000, typed=typed)
    table = to_arrow(p, records, typed)
    # Several record batches of different sizes, to check that rows keep their order.
    table = pa.Table.from_batches(table.to_batches(max_chunksize=1234))
    got = p.evaluate_arrow(table)
    assert got.num_rows == N
    assert got.column_names == [o["name"] for o in p.outputs] + ["error_code", "error_message"]
    want = batch(policy, to_jsonl(records, typed))
    assert len(want) == N
    rows = arrow_rows_as_json(p, got)
    errors = 0
    for i, (g, w) in enumerate(zip(rows, want)):
        if "error" in w:
            errors += 1
            assert g.get("error") == {"code": w["error"]["code"], "message": w["error"]["message"]}, i
        else:
            assert g == w, i
    # The data exercises both paths.
    assert 0 < errors < N


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
