"""A policy as a vectorised (Arrow) DuckDB function over a table.

    python python/examples/duckdb_udf.py

`register(con, policy, name, output)` defines the SQL function `name(<every input, in order>)`
returning one output of the policy; DuckDB calls it with a chunk of rows as Arrow arrays, and
`evaluate_arrow` evaluates the chunk by columns. A row whose facts are bad or whose evaluation
fails gives NULL (use `evaluate_arrow` directly to see error_code/error_message).
"""

from __future__ import annotations

import inspect

import duckdb
import pyarrow as pa

import onshi

_SQL = {
    "bool": "BOOLEAN",
    "int": "BIGINT",
    "money": "BIGINT",
    "date": "DATE",
    "enum": "VARCHAR",
    "set": "VARCHAR[]",
}


def _kind(spec):
    while spec["kind"] == "optional":
        spec = spec["of"]
    return spec["kind"]


def register(con: duckdb.DuckDBPyConnection, policy: onshi.Policy, name: str, output: str) -> None:
    inputs = [(i["name"], _SQL.get(_kind(i["type"]), "VARCHAR")) for i in policy.inputs]
    out_kind = _kind(next(o for o in policy.outputs if o["name"] == output)["type"])
    names = [n for n, _ in inputs]

    def udf(*columns: pa.Array) -> pa.Array:
        table = pa.table(dict(zip(names, columns)))
        return policy.evaluate_arrow(table).column(output).combine_chunks()

    # DuckDB counts the function's parameters: one per input.
    udf.__signature__ = inspect.Signature(
        [inspect.Parameter(f"a{k}", inspect.Parameter.POSITIONAL_ONLY) for k in range(len(names))]
    )

    con.create_function(
        name,
        udf,
        [duckdb.sqltype(t) for _, t in inputs],
        duckdb.sqltype(_SQL.get(out_kind, "VARCHAR")),
        type="arrow",
        null_handling="special",
        side_effects=False,
    )


if __name__ == "__main__":
    con = duckdb.connect()
    policy = onshi.Policy.bundled("r7/subsidy")
    register(con, policy, "補助額", "補助額")
    con.sql(
        """
        CREATE TABLE facilities AS SELECT * FROM (VALUES
          ('A病院', '病院',   NULL::BIGINT, '訪問診療等',     41000, 781000, NULL::BIGINT, DATE '2025-10-01', []::VARCHAR[], NULL::BOOLEAN, NULL::BOOLEAN),
          ('B医院', '診療所', NULL,         'オンライン診療等', 30000, 400000, NULL,         DATE '2026-01-16', [],             NULL,          NULL)
        ) t(名称, 施設種別, グループ処方箋受付回数, 事業, モバイル端末費用, レセコン改修費用, 汎用機器費用, 申請日, 補助済事業, 義務化対象外, 機器故障時)
        """
    )
    args = ", ".join(f'"{i["name"]}"' for i in policy.inputs)
    print(con.sql(f"SELECT 名称, 補助額({args}) AS 補助額 FROM facilities"))
