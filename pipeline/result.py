"""The container every stage enriches, and what ``pipeline.extract`` returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

    from .ingest import Source


@dataclass
class Result:
    source: Source
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    rules_hash: str = ""

    @property
    def doc(self) -> str:
        return self.source.doc

    @property
    def warnings(self) -> pd.DataFrame:
        return self.tables["warnings"]
