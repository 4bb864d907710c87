"""Type stubs of the onshi package (the public API of onshi/__init__.py)."""

import datetime
import decimal
from typing import Any, Dict, List, Literal, Mapping, Optional, TypedDict, Union

import pyarrow

from ._onshi import OnshiError as OnshiError

__all__ = ["Policy", "OnshiError", "version"]

def version() -> str: ...

class Bilingual(TypedDict):
    ja: str
    en: str

Fact = Union[bool, int, str, "decimal.Decimal", "datetime.date", List[str], None]
Lang = Literal["ja", "en"]

class Policy:
    @staticmethod
    def bundled(name: str, lang: Lang = "ja") -> Policy: ...
    @staticmethod
    def compile(files: Mapping[str, str], entry: str, lang: Lang = "ja") -> Policy: ...
    @staticmethod
    def bundled_names() -> List[str]: ...
    @staticmethod
    def bundled_digest(name: str) -> Optional[str]: ...
    @staticmethod
    def bundled_files() -> Dict[str, str]: ...
    @property
    def inputs(self) -> List[Dict[str, Any]]: ...
    @property
    def outputs(self) -> List[Dict[str, Any]]: ...
    @property
    def info(self) -> Dict[str, Any]: ...
    @property
    def warnings(self) -> List[Dict[str, Any]]: ...
    @property
    def arrow_schema(self) -> pyarrow.Schema: ...
    @property
    def arrow_output_types(self) -> Dict[str, str]: ...
    def evaluate(self, facts: Mapping[str, Any]) -> Dict[str, Any]: ...
    def explain(self, facts: Mapping[str, Any]) -> Dict[str, Any]: ...
    def evaluate_arrow(
        self,
        data: Union[pyarrow.Table, pyarrow.RecordBatch, pyarrow.RecordBatchReader, Any],
        extra_columns: Literal["error", "ignore"] = "error",
    ) -> pyarrow.Table: ...
