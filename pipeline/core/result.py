"""What ``pipeline.extract`` returns: the source and its tables."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.core.source import Source

Rows = list[dict[str, Any]]


class _Frames(Mapping[str, "pd.DataFrame"]):
    """Table name -> DataFrame, each built from the rows on first access (writers need only rows)."""

    def __init__(self, rows: dict[str, Rows], built: dict[str, pd.DataFrame]) -> None:
        self._rows, self._built = rows, built

    def __getitem__(self, name: str) -> pd.DataFrame:
        if name not in self._built:
            if name not in self._rows:
                raise KeyError(name)
            self._built[name] = rows_to_frame(name, self._rows[name])
        return self._built[name]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys([*self._built, *self._rows]))

    def __len__(self) -> int:
        return len(set(self._built) | set(self._rows))


def rows_to_frame(name: str, rows: Rows) -> pd.DataFrame:
    """A table's rows as a DataFrame with the schema's columns and nullable integer/boolean types."""
    import pandas as pd

    from pipeline.core.schema import BOOLEAN, INTEGER, TABLES

    table = TABLES[name]
    frame = pd.DataFrame(rows, columns=table.column_names)
    for col in table.columns:
        if col.type == INTEGER:
            frame[col.name] = frame[col.name].astype("Int64")
        elif col.type == BOOLEAN:
            frame[col.name] = frame[col.name].astype("boolean")
    return frame


@dataclass
class Result:
    """One extracted document.

    ``source`` is the text every offset points into (``source.txt``); ``input`` the decoded input with
    its provenance (doc id, encoding, pages, sha256); ``tables`` maps each table name to a DataFrame;
    ``rows`` holds the same tables as plain dicts (what the writers use).
    """

    input: Source
    frames: dict[str, pd.DataFrame] = field(default_factory=dict)
    rules_hash: str = ""
    rows: dict[str, Rows] = field(default_factory=dict)

    def __init__(self, input: Source, tables: dict[str, pd.DataFrame] | None = None, rules_hash: str = "",
                 rows: dict[str, Rows] | None = None) -> None:
        self.input = input
        self.frames = dict(tables or {})
        self.rules_hash = rules_hash
        self.rows = rows or {}

    @property
    def source(self) -> str:
        """The text the offsets point into."""
        return self.input.text

    @property
    def tables(self) -> Mapping[str, pd.DataFrame]:
        return _Frames(self.rows, self.frames)

    @property
    def doc(self) -> str:
        return self.input.doc

    @property
    def warnings(self) -> pd.DataFrame:
        return self.tables["warnings"]

    def counts(self) -> dict[str, int]:
        """Rows per table, without building any DataFrame."""
        counts = {name: len(frame) for name, frame in self.frames.items()}
        counts.update((name, len(rows)) for name, rows in self.rows.items())
        return counts

    def __repr__(self) -> str:
        # A notebook prints this for a bare `result`: a summary, never the whole source text.
        pages = len(self.input.page_starts) or 1
        rows = ", ".join(f"{name} {n}" for name, n in self.counts().items())
        return f"<Result {self.doc!r}: {pages} page(s), {len(self.source):,} chars; rows: {rows}>"

    __str__ = __repr__
