"""A policy over a Spark DataFrame with `mapInArrow`: each task gets its partition as Arrow
record batches, and `evaluate_arrow` evaluates them by columns (the same engine as
`onshi batch`). Rows keep their partition order; `keep` columns (an id) are passed through.

    python python/examples/spark_job.py          # a local Spark session, two partitions

On a cluster the job is the same: install the onshi wheel on the executors (see the README's
Spark section) and submit this file with spark-submit.
"""

from __future__ import annotations

from typing import Iterator, List, Sequence

import pyarrow as pa

import onshi

# Spark SQL types of the Arrow columns `evaluate_arrow` writes.
_SPARK = {
    "bool": "BOOLEAN",
    "int64": "BIGINT",
    "date32[day]": "DATE",
    "string": "STRING",
    "list<item: string>": "ARRAY<STRING>",
}

_POLICIES = {}


def _policy(name: str) -> onshi.Policy:
    # Compiled once per Python worker: a Policy is not pickled, its name is.
    p = _POLICIES.get(name)
    if p is None:
        p = _POLICIES[name] = onshi.Policy.bundled(name)
    return p


def output_ddl(policy: onshi.Policy, keep: Sequence[str] = (), keep_types: Sequence[str] = ()) -> str:
    cols = [f"`{k}` {t}" for k, t in zip(keep, keep_types)]
    cols += [f"`{n}` {_SPARK.get(t, 'STRING')}" for n, t in policy.arrow_output_types.items()]
    return ", ".join(cols)


def evaluate(df, policy_name: str, keep: List[str] = ()):
    """`df` with the policy's outputs (and error_code/error_message) per row, by mapInArrow."""
    policy = _policy(policy_name)
    keep = list(keep)
    keep_types = [df.schema[k].dataType.simpleString().upper() for k in keep]
    inputs = [i["name"] for i in policy.inputs]
    # Spark reads string (and list) columns as Arrow's large types when this is on (Spark 4's
    # default): the output columns are cast to what it expects.
    large = df.sparkSession.conf.get("spark.sql.execution.arrow.useLargeVarTypes", "false") == "true"

    # Shipped to the executors by value (cloudpickle): it names only installed modules (onshi,
    # pyarrow) and the policy's name, and compiles the bundled policy once per task.
    def run(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        import onshi

        p = onshi.Policy.bundled(policy_name)

        def big(t: pa.DataType) -> pa.DataType:
            if pa.types.is_string(t):
                return pa.large_string()
            if pa.types.is_list(t):
                return pa.large_list(big(t.value_type))
            return t
        for batch in batches:
            facts = batch.select([c for c in batch.schema.names if c in inputs])
            out = p.evaluate_arrow(facts)
            if large:
                out = out.cast(pa.schema([pa.field(f.name, big(f.type)) for f in out.schema]))
            for k in reversed(keep):
                out = out.add_column(0, k, pa.chunked_array([batch.column(k)]))
            yield from out.to_batches()

    return df.mapInArrow(run, output_ddl(policy, keep, keep_types))


def local_session(app: str = "onshi"):
    """A local Spark session on two cores (the Python workers are this interpreter)."""
    import os
    import sys

    from pyspark.sql import SparkSession

    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    return (
        SparkSession.builder.master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )


if __name__ == "__main__":
    import datetime as dt

    spark = local_session()
    facts = pa.table(
        {
            "id": [1, 2],
            "施設種別": ["病院", "診療所"],
            "事業": ["訪問診療等", "オンライン診療等"],
            "モバイル端末費用": pa.array([41000, 30000], pa.int64()),
            "レセコン改修費用": pa.array([781000, 400000], pa.int64()),
            "申請日": pa.array([dt.date(2025, 10, 1), dt.date(2026, 1, 16)], pa.date32()),
        }
    )
    df = spark.createDataFrame(facts.to_pandas())
    evaluate(df, "r7/subsidy", keep=["id"]).select("id", "補助区分", "補助額", "error_code").show()
    spark.stop()
