"""What ``pipeline load`` refuses in a table, checked in one place for both ``load`` and ``run``.

A row must have its document id, every key column and every required column, and no two rows of a
table may share a key (``warnings`` rows are numbered instead). ``load`` refuses a folder that breaks
this; ``run`` checks its own rows the same way before writing them, drops the rows that would be
refused and says so in warnings.csv (``row_dropped``), so what ``run`` writes ``load`` always loads.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.schema import TABLES

# Tables whose rows are numbered in the database instead of keyed (warnings may repeat).
SURROGATE_KEYS = {"warnings": "seq"}


@dataclass(frozen=True)
class RowProblem:
    """Row ``index`` (0-based) cannot be loaded; ``first`` is the earlier row with the same key."""

    index: int
    problem: str
    first: int | None = None


def key_columns(name: str) -> list[str]:
    """The columns besides ``doc`` that identify a row of table ``name`` (none for numbered tables)."""
    return [] if name in SURROGATE_KEYS else [k for k in TABLES[name].key if k != "doc"]


def required_columns(name: str) -> list[str]:
    """Columns that may not be empty: ``doc``, the key, and the schema's required ones."""
    key = key_columns(name)
    return ["doc", *key, *(c.name for c in TABLES[name].columns if c.required and c.name not in key)]


def _empty(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, float) and value != value)


def row_problems(name: str, rows: Sequence[Mapping[str, Any]]) -> list[RowProblem]:
    """Every row of table ``name`` that ``load`` would refuse, in row order.

    Keys are compared by their text (as written to the CSV), so typed rows read back from a CSV and
    the engine's plain rows give the same answer.
    """
    must_have, key = required_columns(name), key_columns(name)
    seen: dict[tuple[str, ...], int] = {}
    problems = []
    for i, row in enumerate(rows):
        empty = next((c for c in must_have if _empty(row.get(c))), None)
        if empty is not None:
            problems.append(RowProblem(i, f"{empty} is empty"))
            continue
        if key:
            k = tuple(str(row[c]) for c in key)
            if k in seen:
                shown = ", ".join(f"{c}={row[c]!r}" for c in key)
                problems.append(RowProblem(i, f"duplicate key ({shown})", seen[k]))
                continue
            seen[k] = i
    return problems


def drop_unloadable(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Remove from ``rows`` (table -> rows, as the engine builds them) what ``load`` would refuse, and
    add one ``row_dropped`` warning per removed row, naming the table and the reason."""
    dropped: list[dict[str, Any]] = []
    for name, table_rows in rows.items():
        if name == "warnings" or name not in TABLES:
            continue
        problems = row_problems(name, table_rows)
        if not problems:
            continue
        bad = {p.index for p in problems}
        for p in problems:
            row = table_rows[p.index]
            what = ", ".join(f"{c}={row.get(c)!r}" for c in ("name", "item", "kind") if row.get(c) is not None)
            reason = p.problem + (" as an earlier row" if p.first is not None else "")
            line = row.get("line") or row.get("first_line") or 0
            dropped.append({"doc": row.get("doc"), "line": line, "code": "row_dropped",
                            "message": f"{name} row dropped ({what}): {reason}; pipeline load would refuse it"})
        rows[name] = [r for i, r in enumerate(table_rows) if i not in bad]
    if dropped:
        warnings = rows.setdefault("warnings", []) + dropped
        rows["warnings"] = sorted(warnings, key=lambda w: (w["line"] or 0, w["code"], w["message"]))
