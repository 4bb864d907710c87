"""The DuckDB and Spark examples (python/examples/), every answer checked against `onshi batch`."""

import sys

import pyarrow as pa
import pyarrow.compute as pc
import pytest

import onshi
from conftest import ROOT
from records import arrow_rows_as_json, generate, to_arrow, to_jsonl

sys.path.insert(0, str(ROOT / "python" / "examples"))


def _plain(table: pa.Table) -> pa.Table:
    """Dictionary columns as strings, amounts as int64 yen (as the SQL tables are declared)."""
    cols = []
    for f, c in zip(table.schema, table.columns):
        if pa.types.is_dictionary(f.type):
            c = c.cast(pa.string())
        elif pa.types.is_decimal(f.type):
            c = c.cast(pa.int64())
        cols.append(c)
    return pa.table(cols, names=table.column_names)


def test_duckdb_udf_matches_batch(batch):
    duckdb = pytest.importorskip("duckdb")
    import duckdb_udf

    p = onshi.Policy.bundled("r7/subsidy")
    records = generate(p, 2000, seed=5, typed=True)
    facts = _plain(to_arrow(p, records, True))
    facts = facts.append_column("id", pa.array(range(len(records)), pa.int64()))
    con = duckdb.connect()
    con.register("facts_arrow", facts)
    con.sql("CREATE TABLE facts AS SELECT * FROM facts_arrow")
    duckdb_udf.register(con, p, "補助額", "補助額")
    duckdb_udf.register(con, p, "補助区分", "補助区分")
    args = ", ".join(f'"{i["name"]}"' for i in p.inputs)
    got = con.sql(f"SELECT id, 補助額({args}) AS a, 補助区分({args}) AS k FROM facts ORDER BY id").fetchall()
    want = batch("r7/subsidy", to_jsonl(records, True))
    assert len(got) == len(want) == 2000
    for (i, a, k), w in zip(got, want):
        if "error" in w:
            assert (a, k) == (None, None), i
        else:
            assert (a, k) == (w["outputs"]["補助額"], w["outputs"]["補助区分"]), i


def test_spark_map_in_arrow_matches_batch(batch):
    pytest.importorskip("pyspark")
    import spark_job

    p = onshi.Policy.bundled("r7/subsidy")
    records = generate(p, 3000, seed=9, typed=True)
    facts = _plain(to_arrow(p, records, True))
    facts = facts.append_column("id", pa.array(range(len(records)), pa.int64()))
    spark = spark_job.local_session("onshi-test")
    try:
        df = spark.createDataFrame(facts).repartition(3)
        out = spark_job.evaluate(df, "r7/subsidy", keep=["id"])
        got = pa.Table.from_pylist([r.asDict() for r in out.collect()])
    finally:
        spark.stop()
    got = got.sort_by("id")
    assert got.column("id").to_pylist() == list(range(3000))
    want = batch("r7/subsidy", to_jsonl(records, True))
    rows = arrow_rows_as_json(p, got.drop_columns(["id"]))
    assert rows == [
        w if "outputs" in w else {"error": {"code": w["error"]["code"], "message": w["error"]["message"]}}
        for w in want
    ]
