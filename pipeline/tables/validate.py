"""What ``pipeline load`` refuses in a table, checked in one place for both ``load`` and ``run``.

A row must have its document id, every key column and every required column, and no two rows of a
table may share a key (``warnings`` rows are numbered instead). ``load`` refuses a folder that breaks
this; ``run`` checks its own rows the same way before writing them and says so in warnings.csv:
duplicates and rows without a required column are dropped (``row_dropped``); a row with an empty key
column its table leaves empty on purpose is kept and reported (``row_unloadable``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from itertools import repeat
from operator import itemgetter
from typing import Any

from pipeline.core.schema import STRING
from pipeline.tables import TABLES

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
    # Every row passes here: its required cells are fetched at once and tested together (None, "" and a
    # float NaN are empty); only a row that has an empty one is looked at cell by cell.
    cells = itemgetter(*must_have) if len(must_have) > 1 else (lambda r: (r[must_have[0]],))
    key_of = itemgetter(*key) if key else None
    for i, row in enumerate(rows):
        try:
            values = cells(row)
            clean = not (None in values or "" in values or (float in map(type, values)
                                                           and any(v != v for v in values)))
        except (KeyError, TypeError, ValueError):  # a missing column, or a value that will not compare
            clean = False
        if not clean:
            empty = next((c for c in must_have if _empty(row.get(c))), None)
            if empty is not None:
                problems.append(RowProblem(i, f"{empty} is empty"))
                continue
        if key_of is not None:
            raw = key_of(row)
            k = tuple(map(str, raw)) if len(key) > 1 else (str(raw),)
            if k in seen:
                shown = ", ".join(f"{c}={row[c]!r}" for c in key)
                problems.append(RowProblem(i, f"duplicate key ({shown})", seen[k]))
                continue
            seen[k] = i
    return problems


def drop_unloadable(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Remove from ``rows`` (table -> rows, as the engine builds them) what ``load`` would refuse and
    the table can do without, and warn about every row ``load`` would refuse.

    A row repeating an earlier row's key, or missing a column the schema requires, is dropped with a
    ``row_dropped`` warning. A row whose only fault is an empty key column the table leaves empty on
    purpose (a budget line placed under no ministry) is kept, since the table means it, and reported
    as ``row_unloadable``: ``load`` then refuses that folder, says why, and loads the others.
    """
    found: list[dict[str, Any]] = []
    for name, table_rows in rows.items():
        if name == "warnings" or name not in TABLES:
            continue
        problems = row_problems(name, table_rows)
        if not problems:
            continue
        schema_required = {c.name for c in TABLES[name].columns if c.required}
        bad = set()
        for p in problems:
            row = table_rows[p.index]
            empty_key = p.first is None and p.problem.split(" ")[0] not in schema_required
            what = ", ".join(f"{c}={row.get(c)!r}" for c in ("name", "item", "kind") if row.get(c) is not None)
            reason = p.problem + (" as an earlier row" if p.first is not None else "")
            line = row.get("line") or row.get("first_line") or 0
            if empty_key:
                code, message = "row_unloadable", f"{name} row ({what}): {reason}; pipeline load will refuse it"
            else:
                bad.add(p.index)
                code, message = "row_dropped", f"{name} row dropped ({what}): {reason}; pipeline load would refuse it"
            found.append({"doc": row.get("doc"), "line": line, "page": row.get("page"), "code": code,
                          "message": message})
        rows[name] = [r for i, r in enumerate(table_rows) if i not in bad]
    if found:
        _add_warnings(rows, found)


# Characters that make a spreadsheet read a cell as a formula (OWASP, "CSV injection"); tab and
# carriage return too, as some spreadsheets skip them before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# A signed plain number (-200000000, the value of a △ amount) is read as a number, never run as a formula.
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def formula_like(value: Any) -> bool:
    """Whether a text cell would be run as a formula when a spreadsheet opens the CSV (a signed plain
    number, ``-200000000``, would not)."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value)


def neutralise_formula(value: Any) -> Any:
    """The value a spreadsheet export should write: a formula-like text cell behind a leading ``'``
    (OWASP's advice), so it shows as text; anything else unchanged."""
    return "'" + value if formula_like(value) else value


def flag_formula_cells(rows: dict[str, list[dict[str, Any]]]) -> None:
    """Add one ``formula_like_cell`` warning per distinct text cell a spreadsheet would run as a formula.

    The CSVs keep such cells exact (``text`` is ``source.txt[start:end]``, a contract); the warning
    says to open them as text, and a spreadsheet export uses :func:`neutralise_formula`.
    """
    seen: set[tuple[str, str, str]] = set()
    flagged: list[dict[str, Any]] = []
    for name, table_rows in rows.items():
        if name == "warnings" or name not in TABLES:
            continue
        text_columns = [c.name for c in TABLES[name].columns if c.type == STRING]
        if not any(_formula_in_column(table_rows, col) for col in text_columns):
            continue  # the common case, found with one join and one regex search per column
        for row in table_rows:
            for col in text_columns:
                value = row.get(col)  # formula_like inlined: every text cell passes here
                if (not (isinstance(value, str) and value.startswith(FORMULA_STARTS)) or (name, col, value) in seen
                        or _PLAIN_NUMBER.fullmatch(value)):
                    continue
                seen.add((name, col, value))
                shown = value if len(value) <= 40 else value[:40] + "…"
                flagged.append({"doc": row.get("doc"), "line": row.get("line") or row.get("first_line") or 0,
                                "page": row.get("page"), "code": "formula_like_cell",
                                "message": f"{name}.{col} {shown!r} starts with {value[0]!r}: a spreadsheet "
                                           "may run it as a formula; open the CSV as text"})
    if flagged:
        _add_warnings(rows, flagged)


def _formula_in_column(table_rows: Sequence[Mapping[str, Any]], column: str) -> bool:
    """Whether some text cell of ``column`` may be formula-like: never False when one is (each cell
    follows the separator in the joined text); True at worst for a cell holding the separator."""
    texts = [v for v in map(dict.get, table_rows, repeat(column)) if isinstance(v, str)]  # type: ignore[arg-type]
    if not texts:
        return False
    joined = "\x00" + "\x00".join(texts)
    return any("\x00" + c in joined for c in FORMULA_STARTS)


def prepare_rows(rows: dict[str, list[dict[str, Any]]]) -> None:
    """What ``run`` does to the engine's rows before writing: drop what ``load`` refuses, flag formulas."""
    drop_unloadable(rows)
    flag_formula_cells(rows)


def _add_warnings(rows: dict[str, list[dict[str, Any]]], new: list[dict[str, Any]]) -> None:
    warnings = rows.setdefault("warnings", []) + new
    rows["warnings"] = sorted(warnings, key=lambda w: (w["line"] or 0, w["code"], w["message"]))
