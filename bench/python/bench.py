#!/usr/bin/env python3
"""The Python package side by side (issue 28 item 4; a bench, not a test).

    python bench/python/bench.py [records] [--spark N]

In the venv where `onshi` is installed (`maturin develop --release` in python/: measure release
builds only). Generates `records` (default 1,000,000) r7/subsidy records with bench/gen_records.py,
then prints records/s, best of 3, for:

- `evaluate_arrow` (Arrow in → Arrow out, every output column and the error columns);
- the Rust chunk evaluator alone (`Evaluator::chunk` over the same records' columns, read beforehand:
  the target is evaluate_arrow ≥ 70 % of it, i.e. the Arrow boundary costs little), and the
  same call's wall time, which also reads every column (what earlier runs printed as this row);
- OpenFisca's numpy model of the same rule (bench/peers/openfisca), in the same process, when
  openfisca-core is installed (`pip install -r bench/peers/openfisca/requirements.txt`);
- with `--spark N` (pyspark and Java needed), on a local Spark session (2 cores) over N records: the
  onshi mapInArrow job, the rule as Spark SQL CASE WHEN expressions, and a row-at-a-time Python UDF.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

import onshi

ROOT = Path(__file__).resolve().parents[2]
POLICY = "r7/subsidy"


def best_of(n, f):
    best = float("inf")
    out = None
    for _ in range(n):
        t = time.perf_counter()
        out = f()
        best = min(best, time.perf_counter() - t)
    return best, out


def load_arrow(csv_path: Path) -> pa.Table:
    money = {c: pa.int64() for c in ("グループ処方箋受付回数", "モバイル端末費用", "レセコン改修費用", "汎用機器費用")}
    t = pacsv.read_csv(
        csv_path,
        convert_options=pacsv.ConvertOptions(
            column_types={**money, "申請日": pa.date32(), "義務化対象外": pa.bool_(), "機器故障時": pa.bool_(),
                          "施設種別": pa.string(), "事業": pa.string(), "補助済事業": pa.string()},
            strings_can_be_null=False,
        ),
    )
    done = pc.split_pattern(t.column("補助済事業"), ";")
    # "" → [] (no member)
    done = pa.chunked_array([pa.array([[m for m in v if m] for v in c.to_pylist()], pa.list_(pa.string())) for c in done.chunks])
    t = t.set_column(t.column_names.index("補助済事業"), "補助済事業", done)
    for c in ("施設種別", "事業"):
        t = t.set_column(t.column_names.index(c), c, pc.dictionary_encode(t.column(c)))
    return t


def bench_local(table: pa.Table, csv_path: Path):
    p = onshi.Policy.bundled(POLICY)
    n = table.num_rows
    rows = []
    t_arrow, out = best_of(3, lambda: p.evaluate_arrow(table))
    assert out.num_rows == n
    rows.append(("onshi evaluate_arrow (Arrow in → Arrow out)", n / t_arrow))
    # `_time_columns` returns the seconds Evaluator::chunk alone takes (the columns are read
    # beforehand, outside that time); the whole call's wall time also reads every column.
    t_read, t_cols = float("inf"), float("inf")
    for _ in range(3):
        t = time.perf_counter()
        t_cols = min(t_cols, p._p._time_columns(table))
        t_read = min(t_read, time.perf_counter() - t)
    rows.append(("Rust chunk evaluator alone (Evaluator::chunk)", n / t_cols))
    rows.append(("reading the columns + the chunk evaluator (no output)", n / t_read))
    try:
        sys.path.insert(0, str(ROOT / "bench" / "peers" / "openfisca"))
        import run as of  # bench/peers/openfisca/run.py

        inputs = of.load(csv_path)
        system = of.model.tax_benefit_system()
        best = float("inf")
        for _ in range(3):
            sim = of.simulation(system, inputs, n)
            t = time.perf_counter()
            of.evaluate(sim)
            best = min(best, time.perf_counter() - t)
        rows.append(("OpenFisca (numpy), 補助額/申請可/補助区分", n / best))
    except ImportError as e:
        rows.append((f"OpenFisca: not installed ({e.name})", None))
    print(f"\n{n:,} records of {POLICY}, best of 3, one process")
    for name, rate in rows:
        print(f"  {name:48} {'-' if rate is None else f'{rate:>12,.0f} records/s'}")
    print(f"  evaluate_arrow / chunk evaluator: {t_cols / t_arrow:.0%}")
    print(f"  evaluate_arrow / (reading + chunk evaluator): {t_read / t_arrow:.0%}")


def bench_spark(table: pa.Table, n: int):
    sys.path.insert(0, str(ROOT / "python" / "examples"))
    import spark_job
    from pyspark.sql import functions as F
    from pyspark.sql.types import LongType

    spark = spark_job.local_session("onshi-bench")
    t = table.slice(0, n)
    t = pa.table([c.cast(pa.string()) if pa.types.is_dictionary(c.type) else c for c in t.columns], names=t.column_names)
    df = spark.createDataFrame(t).repartition(2).cache()
    df.count()
    rows = []

    sums = []
    import re

    names = sorted(set(df.columns) | {"区分", "内容", "事業額", "申請可", "端末", "限度", "改修"}, key=len, reverse=True)
    pattern = re.compile("'[^']*'|" + "|".join(map(re.escape, names)))

    def q(expr: str) -> str:
        """Spark SQL wants non-ASCII identifiers in backquotes (string literals stay as they are)."""
        return pattern.sub(lambda m: m.group(0) if m.group(0).startswith("'") else f"`{m.group(0)}`", expr)

    def E(expr: str):
        return F.expr(q(expr))

    def timed(name, frame):
        best, out = best_of(3, lambda: frame.agg(F.sum(F.col("補助額"))).collect())
        sums.append(out[0][0])
        rows.append((name, n / best))

    timed("onshi mapInArrow", spark_job.evaluate(df, POLICY))
    # The same rule as Spark SQL CASE WHEN (as bench/peers/README.md states it).
    sql_rule = """
      CASE WHEN 施設種別 = '病院' THEN '病院'
           WHEN 施設種別 = '薬局' AND グループ処方箋受付回数 >= 40000 THEN '大型チェーン薬局'
           ELSE '診療所・薬局' END"""
    d = df.withColumn("区分", E(sql_rule))
    def row(rn, rd, limit, dev, mod):
        return f"named_struct('n', {rn}, 'd', {rd}, '限度', {limit}, '端末', {dev}, '改修', {mod})"
    # 補助内容: the policy's seven rows.
    limits = f"""CASE
      WHEN 事業 = '資格確認限定型' THEN {row(3, 4, 31000, 0, 0)}
      WHEN 事業 IN ('訪問診療等', '外来診療等') AND 区分 = '病院' THEN {row(1, 2, 411000, 41000, 781000)}
      WHEN 事業 IN ('訪問診療等', '外来診療等') AND 区分 = '大型チェーン薬局' THEN {row(1, 2, 85000, 41000, 130000)}
      WHEN 事業 IN ('訪問診療等', '外来診療等') THEN {row(3, 4, 128000, 41000, 130000)}
      WHEN 区分 = '病院' THEN {row(1, 2, 390000, 0, 781000)}
      WHEN 区分 = '大型チェーン薬局' THEN {row(1, 2, 65000, 0, 130000)}
      ELSE {row(3, 4, 97000, 0, 130000)} END"""
    d = d.withColumn("内容", E(limits))
    d = d.withColumn("事業額", E("""CASE WHEN 事業 = '資格確認限定型' THEN 汎用機器費用
        ELSE least(モバイル端末費用, 内容.端末) + least(レセコン改修費用, 内容.改修) END"""))
    d = d.withColumn("申請可", E("""申請日 <= DATE '2026-01-15'
        AND NOT (事業 IN ('オンライン診療等', '外来診療等') AND (array_contains(補助済事業, 'オンライン診療等') OR array_contains(補助済事業, '外来診療等')))
        AND NOT array_contains(補助済事業, 事業)
        AND (事業 <> '資格確認限定型' OR 義務化対象外)
        AND NOT (事業 = '外来診療等' AND 機器故障時 AND 申請日 < DATE '2025-06-30')"""))
    d = d.withColumn("補助額", E("CASE WHEN 申請可 THEN least(内容.限度, ((内容.n * 事業額) div (内容.d * 1000)) * 1000) ELSE 0 END"))
    timed("Spark SQL CASE WHEN (the rule by hand)", d)
    p_name = POLICY

    @F.udf(LongType())
    def row_udf(*cells):
        import onshi

        # compiled once per Python worker (kept on the module), evaluated once per row
        cache = onshi.__dict__.setdefault("_bench_policies", {})
        p = cache.get(p_name) or cache.setdefault(p_name, onshi.Policy.bundled(p_name))
        facts = {k: v for k, v in zip(cols, cells) if v is not None}
        facts["申請日"] = facts["申請日"].isoformat()
        try:
            return p.evaluate(facts)["outputs"]["補助額"]
        except onshi.OnshiError:
            return None

    cols = [c for c in df.columns]
    timed("row-at-a-time Python UDF (policy.evaluate)", df.withColumn("補助額", row_udf(*[F.col(c) for c in cols])))
    spark.stop()
    # The three give the same total (every generated record evaluates without error).
    assert len(set(sums)) == 1, sums
    print(f"\nlocal Spark (2 cores), {n:,} records, best of 3 (sum of 補助額 over the DataFrame)")
    for name, rate in rows:
        print(f"  {name:48} {rate:>12,.0f} records/s")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("records", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--spark", type=int, default=0, help="records for the Spark comparison (0: skip)")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        base = Path(d) / "records"
        subprocess.run([sys.executable, str(ROOT / "bench" / "gen_records.py"), str(max(a.records, a.spark)), str(base)], check=True)
        table = load_arrow(base.with_suffix(".csv"))
        bench_local(table.slice(0, a.records), base.with_suffix(".csv"))
        if a.spark:
            bench_spark(table, a.spark)


if __name__ == "__main__":
    main()
