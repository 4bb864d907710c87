"""onshi (オンライン資格確認のルール言語) from Python.

A :class:`Policy` is compiled once (from the bundled policies or from sources) and evaluated any
number of times: one record at a time (:meth:`Policy.evaluate`, :meth:`Policy.explain`, answers
exactly as ``onshi eval --format json``), or a whole Arrow table at a time
(:meth:`Policy.evaluate_arrow`, by chunk with the columnar evaluator, without the GIL).
"""

from __future__ import annotations

import datetime as _dt
import decimal as _decimal
import json as _json
from typing import Any, Dict, List, Mapping

from . import _onshi
from ._onshi import OnshiError

__all__ = ["Policy", "OnshiError", "version"]


def version() -> str:
    """The version of onshi in this package."""
    return _onshi.version()


def _facts_json(facts: Mapping[str, Any]) -> str:
    def default(v: Any) -> Any:
        if isinstance(v, (_dt.date, _dt.datetime)):
            return v.isoformat()[:10]
        if isinstance(v, _decimal.Decimal):
            return str(v)
        if isinstance(v, (set, frozenset, tuple)):
            return sorted(v) if isinstance(v, (set, frozenset)) else list(v)
        if isinstance(v, float):
            raise TypeError("no floats: give amounts as int, decimal.Decimal or text")
        raise TypeError(f"cannot pass {type(v).__name__} as a fact")

    if not isinstance(facts, Mapping):
        raise TypeError("facts must be a dict of input name to value")
    for k, v in facts.items():
        if isinstance(v, float):
            raise TypeError(f"{k}: no floats: give amounts as int, decimal.Decimal or text")
    return _json.dumps(dict(facts), ensure_ascii=False, default=default)


class Policy:
    """A compiled policy."""

    __slots__ = ("_p", "_lang")

    def __init__(self, inner: _onshi.Policy, lang: str = "ja") -> None:
        self._p = inner
        self._lang = lang

    @staticmethod
    def bundled(name: str, lang: str = "ja") -> "Policy":
        """A shipped policy, by name (``"r7/subsidy"``; see :meth:`bundled_names`)."""
        return Policy(_onshi.Policy.bundled(name, lang), lang)

    @staticmethod
    def compile(files: Mapping[str, str], entry: str, lang: str = "ja") -> "Policy":
        """Compile ``entry`` from ``files`` (path → source; imports resolve inside it).

        Raises :class:`OnshiError` (``code``, ``file``, ``line``, ``message``, ``diagnostics``)
        when the policy has errors."""
        return Policy(_onshi.Policy.compile(dict(files), entry, lang), lang)

    @staticmethod
    def bundled_names() -> List[str]:
        return _onshi.Policy.bundled_names()

    @staticmethod
    def bundled_digest(name: str) -> "str | None":
        return _onshi.Policy.bundled_digest(name)

    @staticmethod
    def bundled_files() -> Dict[str, str]:
        return _onshi.Policy.bundled_files()

    @property
    def inputs(self) -> List[Dict[str, Any]]:
        """The inputs: names, types (with enumeration variants), defaults, 出典."""
        return _json.loads(self._p.inputs_json())

    @property
    def outputs(self) -> List[Dict[str, Any]]:
        """The outputs: names, types, 出典, 原則/例外 rules."""
        return _json.loads(self._p.outputs_json())

    @property
    def info(self) -> Dict[str, Any]:
        return _json.loads(self._p.info_json())

    @property
    def warnings(self) -> List[Dict[str, Any]]:
        return _json.loads(self._p.warnings_json())

    def evaluate(self, facts: Mapping[str, Any]) -> Dict[str, Any]:
        """The outputs for ``facts``: ``{"outputs": {...}}`` as ``onshi eval --format json``."""
        return _json.loads(self._p.evaluate_json(_facts_json(facts), False, self._lang))

    def explain(self, facts: Mapping[str, Any]) -> Dict[str, Any]:
        """``{"outputs", "trace"}`` as ``onshi eval --format json --explain``."""
        return _json.loads(self._p.evaluate_json(_facts_json(facts), True, self._lang))

    @property
    def arrow_schema(self) -> Any:
        """The ``pyarrow.Schema`` of :meth:`evaluate_arrow`'s result."""
        import pyarrow as pa

        return self._p.evaluate_arrow(pa.table({self.inputs[0]["name"]: pa.nulls(0)}), self._lang).schema

    @property
    def arrow_output_types(self) -> Dict[str, str]:
        """The Arrow type of each column of :meth:`evaluate_arrow`'s result, as pyarrow spells it."""
        return {f.name: str(f.type) for f in self.arrow_schema}

    def evaluate_arrow(self, data: Any, extra_columns: str = "error") -> Any:
        """Evaluate every row of ``data`` (a ``pyarrow.Table``, ``pyarrow.RecordBatch``, a
        ``RecordBatchReader`` or any object with ``__arrow_c_stream__``, e.g. a Polars DataFrame)
        and return a ``pyarrow.Table``: one typed column per output, then ``error_code`` and
        ``error_message`` (null when the row evaluated), one row per input row, in order.

        Columns are matched to inputs by name; a null cell is an absent value (the input's
        default applies). Columns that are not inputs raise ``ValueError`` unless
        ``extra_columns="ignore"``."""
        import pyarrow as pa

        if isinstance(data, pa.RecordBatch):
            data = pa.Table.from_batches([data])
        elif isinstance(data, pa.RecordBatchReader):
            data = data.read_all()
        elif not isinstance(data, pa.Table):
            if hasattr(data, "__arrow_c_stream__"):
                data = pa.table(data)
            else:
                try:
                    import pandas as pd
                except ImportError:  # pragma: no cover
                    pd = None
                if pd is not None and isinstance(data, pd.DataFrame):
                    data = pa.Table.from_pandas(data, preserve_index=False)
                else:
                    raise TypeError(
                        "evaluate_arrow takes a pyarrow Table or RecordBatch, a pandas or "
                        "Polars DataFrame, or an object with __arrow_c_stream__"
                    )
        names = {i["name"] for i in self.inputs}
        extra = [c for c in data.column_names if c not in names]
        if extra:
            if extra_columns == "ignore":
                data = data.select([c for c in data.column_names if c in names])
            elif extra_columns == "error":
                raise ValueError(
                    f"columns that are not inputs of the policy: {extra} "
                    f"(inputs: {sorted(names)}); pass extra_columns='ignore' to leave them out"
                )
            else:
                raise ValueError("extra_columns must be 'error' or 'ignore'")
        if data.num_columns == 0:
            # No input given: every input is absent (Arrow's C interface needs a column to carry
            # the row count).
            data = pa.table({self.inputs[0]["name"]: pa.nulls(data.num_rows)})
        return self._p.evaluate_arrow(data, self._lang)

    def __repr__(self) -> str:
        return f"<onshi.Policy {self.info.get('name', '')!r}>"
