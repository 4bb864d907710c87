"""Deterministic facts records generated from a policy's schema (``policy.inputs``), as Arrow
tables and as the JSONL `onshi batch` reads: the same records both ways, so every answer of
``evaluate_arrow`` can be checked against the CLI's."""

from __future__ import annotations

import datetime as dt
import json
import random
from typing import Any, Dict, List, Optional, Tuple

import pyarrow as pa

MISSING = object()  # a null cell / a key left out of the JSON record


def _kind(spec: Dict[str, Any]) -> Tuple[str, Dict[str, Any]]:
    while spec["kind"] == "optional":
        spec = spec["of"]
    return spec["kind"], spec


def _value(rng: random.Random, kind: str, spec: Dict[str, Any]) -> Any:
    if kind == "bool":
        return rng.random() < 0.5
    if kind == "int":
        return rng.choice([0, 1, 39999, 40000, 120000, rng.randrange(-5, 200_000)])
    if kind == "money":
        return rng.choice([0, 1000, 41000, 411000, 822000, rng.randrange(0, 1_000_000)])
    if kind == "date":
        return dt.date(2023, 1, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365))
    if kind == "enum":
        return rng.choice(spec["variants"])
    if kind == "set":
        variants = spec["of"]["variants"]
        return sorted(rng.sample(variants, rng.randrange(0, min(3, len(variants)) + 1)))
    if kind == "ratio":
        return rng.choice(["1/2", "3/4", "75%", "0"])
    if kind == "decimal":
        return rng.choice(["0.5", "1", "2.25"])
    if kind == "duration":
        return rng.choice(["6か月", "5日", "1年"])
    return rng.choice(["a", "テキスト", ""])


_BAD = {
    "enum": ["存在しない区分", "病院 ", ""],
    "set": [["存在しない"]],
    "date": ["2025-13-01", "平成31年5月1日", "昨日"],
    "money": ["abc", "-", "41.1万"],
    "int": ["1.5", "x"],
    "bool": ["はい"],
}


# In text mode every column is text but 真偽 (a bool column) and sets (list<string>).
_TEXT_BAD = ("enum", "set", "date", "money", "int")


def generate(policy, n: int, seed: int, typed: bool, bad: bool = True) -> List[Dict[str, Any]]:
    """``n`` records: per input a value, ``MISSING`` (about 4 %), or (about 1.5 %, when ``bad``) a
    bad value — in ``typed`` mode bad values only where the Arrow column is text (enumerations,
    sets)."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        rec: Dict[str, Any] = {}
        for inp in policy.inputs:
            kind, spec = _kind(inp["type"])
            r = rng.random()
            if r < 0.04:
                rec[inp["name"]] = MISSING
            elif bad and r < 0.055 and kind in _BAD and kind in (("enum", "set") if typed else _TEXT_BAD):
                rec[inp["name"]] = rng.choice(_BAD[kind])
            else:
                rec[inp["name"]] = _value(rng, kind, spec)
        out.append(rec)
    return out


def _json_cell(v: Any, typed: bool) -> Any:
    if isinstance(v, dt.date):
        return v.isoformat()
    if not typed and not isinstance(v, (str, list, bool)):
        return str(v)
    return v


def to_jsonl(records: List[Dict[str, Any]], typed: bool) -> str:
    """The records as JSONL for `onshi batch` (a null cell is a key left out)."""
    lines = []
    for r in records:
        obj = {k: _json_cell(v, typed) for k, v in r.items() if v is not MISSING}
        lines.append(json.dumps(obj, ensure_ascii=False))
    return "\n".join(lines) + "\n"


def to_arrow(policy, records: List[Dict[str, Any]], typed: bool, form: str = "mixed") -> pa.Table:
    """The records as an Arrow table: typed columns (bool, int64 or decimal128 yen, date32,
    string or dictionary enumerations, list<string> sets), or every cell as text (but bool
    and list<string> columns). ``form``: "mixed" gives every other enumeration as a dictionary
    and every other amount as decimal128; "plain" none, "dictionary" every enumeration as a
    dictionary and every amount as decimal128."""
    def other(k: int) -> bool:
        return {"mixed": k % 2 == 1, "plain": False, "dictionary": True}[form]

    cols = {}
    for k, inp in enumerate(policy.inputs):
        name = inp["name"]
        kind, _ = _kind(inp["type"])
        vals = [r[name] for r in records]
        vals = [None if v is MISSING else v for v in vals]
        if not typed and kind != "bool":
            cols[name] = pa.array(
                [None if v is None else (v if isinstance(v, list) else _json_cell(v, False)) for v in vals],
                type=pa.list_(pa.string()) if kind == "set" else pa.string(),
            )
            continue
        if kind == "bool":
            arr = pa.array(vals, pa.bool_())
        elif kind == "int":
            arr = pa.array(vals, pa.int64())
        elif kind == "money":
            if other(k):
                import decimal

                arr = pa.array([None if v is None else decimal.Decimal(v) for v in vals], pa.decimal128(18, 2))
            else:
                arr = pa.array(vals, pa.int64())
        elif kind == "date":
            arr = pa.array(vals, pa.date32())
        elif kind == "enum":
            arr = pa.array(vals, pa.string())
            if other(k):
                arr = arr.dictionary_encode()
        elif kind == "set":
            arr = pa.array(vals, pa.list_(pa.string()))
        else:
            arr = pa.array(vals, pa.string())
        cols[name] = arr
    return pa.table(cols)


def arrow_rows_as_json(policy, table: pa.Table) -> List[Dict[str, Any]]:
    """``evaluate_arrow``'s result as batch records: ``{"outputs": …}`` with the JSON value forms,
    or ``{"error": {"code", "message"}}``."""
    kinds = {o["name"]: _kind(o["type"])[0] for o in policy.outputs}
    rows = table.to_pylist()
    out = []
    for row in rows:
        if row["error_code"] is not None:
            out.append({"error": {"code": row["error_code"], "message": row["error_message"]}})
            continue
        outputs = {}
        for name, kind in kinds.items():
            v = row[name]
            if isinstance(v, dt.date):
                v = v.isoformat()
            elif kind == "decimal" and v is not None:
                v = json.loads(v)
            elif kind == "row" and v is not None:
                v = json.loads(v)
            outputs[name] = v
        out.append({"outputs": outputs})
    return out
