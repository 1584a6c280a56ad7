"""Audit the difference between two output folders: rows added, removed, changed and renamed.

Two editions of a brochure (or one edition before and after a rules change) are compared table by table.
Rows are matched on the table's key from :mod:`pipeline.core.schema` without ``doc`` (two editions have
different doc ids); provenance columns (``schema.PROVENANCE``) are shown but never make a row changed,
and values are compared after normalisation so that a change of notation only is no change.

Mentions are keyed by their offsets, which shift between editions, so here they match on
``(kind, normalised value, unit, occurrence)`` instead: the unit keeps ``10大学`` and ``10地域`` apart,
and the occurrence counts the mentions of the same kind, value and unit in text order.

A column that moved the same way in every matched row (the fiscal year of a new edition) is also
listed once per table under ``shifts``, so that a presentation can say it once.

``pipeline check`` uses the same differ with ``mentions_match="key"`` (offsets included) and
``normalise=False`` (the golden CSVs must come out the same). This module matches and compares;
:mod:`pipeline.audit.diff_format` presents the result as text, JSON or HTML.
"""

from __future__ import annotations

import datetime
import difflib
import logging
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pipeline.core.normtext import nfkc
from pipeline.core.schema import PROVENANCE
from pipeline.ja.numerals import ordinals_as_digits
from pipeline.outputs.write import is_doc_dir
from pipeline.tables import TABLES, content_tables

if TYPE_CHECKING:
    import pandas as pd

log = logging.getLogger(__name__)

Row = dict[str, Any]
TableDiff = dict[str, list[Any]]
MentionsMatch = Literal["value", "key"]
# Maps a source line number to a link target (or None for no link).
LineHref = Callable[[Any], str | None]

CHANGES = ("added", "removed", "changed", "renamed")

RENAME_MIN_RATIO = 0.5
# Counts of a renamed project may drift, but not by more than this factor.
RENAME_COUNT_COLUMNS = ("companies", "universities")
RENAME_MAX_COUNT_FACTOR = 2.0
# A column that moved the same way in fewer matched rows than this is left to the rows themselves.
MIN_SHIFT_ROWS = 2

_WHITESPACE = re.compile(r"\s+")
_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")


# -- values -------------------------------------------------------------------------------------------


def json_value(value: Any) -> Any:
    """A cell as a JSON-safe Python value: None, bool, int, float or str (lists ``;``-joined)."""
    if value is None:
        return None
    if isinstance(value, bool | str):
        return value
    if isinstance(value, list | tuple):
        return ";".join(str(v) for v in value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return None if math.isnan(value) else value
    try:
        import pandas as pd

        if pd.isna(value):  # pd.NA, pd.NaT, numpy NaN
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, datetime.datetime):
        return value.date().isoformat() if value.time() == datetime.time() else value.isoformat()
    if isinstance(value, datetime.date):
        return value.isoformat()
    # numpy scalars and the like
    if hasattr(value, "item"):
        return json_value(value.item())
    return str(value)


def normalise_value(value: Any) -> Any:
    """The value a comparison sees: NFKC without whitespace for strings, numbers as numbers.

    ``"５８０"``, ``"580"`` and ``580`` are the same; ``"関　東"`` is ``"関東"``; ``"第Ⅱ期"`` is ``"第2期"``; an
    empty cell is None.
    """
    value = json_value(value)
    if isinstance(value, str):
        text = ordinals_as_digits(_WHITESPACE.sub("", nfkc(value)))
        if not text:
            return None
        if _NUMBER.fullmatch(text):
            digits = text.replace(",", "")
            if "." not in digits:
                return int(digits)
            number = float(digits)
            return int(number) if number.is_integer() else number
        return text
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def frame_rows(frame: pd.DataFrame | None) -> list[Row]:
    """A DataFrame's rows as JSON-safe dicts keyed by column name, in the frame's order.

    An empty cell is None whatever the column's type, as the contract writes none as an empty cell.
    """
    if frame is None or len(frame.columns) == 0:
        return []
    return [
        {k: None if (v := json_value(value)) == "" else v for k, value in rec.items()}
        for rec in frame.to_dict("records")
    ]


# -- matching -----------------------------------------------------------------------------------------


def _key_columns(table: str) -> list[str]:
    return [k for k in TABLES[table].key if k != "doc"]


def _compared_columns(table: str, before: Row, after: Row, ignored: frozenset[str]) -> list[str]:
    names = [c for c in TABLES[table].column_names if c in before or c in after]
    names += sorted((set(before) | set(after)) - set(names))
    return [c for c in names if c not in PROVENANCE and c not in ignored]


def _mention_identity(row: Row, comparable: Callable[[Any], Any]) -> tuple[Any, ...]:
    value = comparable(row.get("value"))
    if value is None:
        value = comparable(row.get("text"))
    return (comparable(row.get("kind")), value, comparable(row.get("unit")))


def _int_or_zero(value: Any) -> int:
    value = json_value(value)
    return value if isinstance(value, int) else 0


def _keyed(
    table: str, rows: list[Row], mentions_match: MentionsMatch, comparable: Callable[[Any], Any]
) -> dict[tuple[Any, ...], Row]:
    """Rows by match key; a repeated key gets an occurrence index so that every row stays distinct."""
    by_value = table == "mentions" and mentions_match == "value"
    ordered = sorted(rows, key=lambda r: _int_or_zero(r.get("start"))) if by_value else rows
    seen: Counter[tuple[Any, ...]] = Counter()
    keyed: dict[tuple[Any, ...], Row] = {}
    for row in ordered:
        if by_value:
            base = _mention_identity(row, comparable)
        else:
            base = tuple(comparable(row.get(k)) for k in _key_columns(table))
        keyed[(*base, seen[base])] = row
        seen[base] += 1
    return keyed


def _key_dict(table: str, row: Row, match_key: tuple[Any, ...], mentions_match: MentionsMatch) -> Row:
    if table == "mentions" and mentions_match == "value":
        return {
            "kind": row.get("kind"),
            "value": row.get("value"),
            "unit": row.get("unit"),
            "occurrence": match_key[-1],
        }
    return {k: row.get(k) for k in _key_columns(table)}


def _changed_columns(
    table: str,
    before: Row,
    after: Row,
    comparable: Callable[[Any], Any],
    ignored: frozenset[str] = frozenset(),
) -> list[str]:
    return [
        c
        for c in _compared_columns(table, before, after, ignored)
        if comparable(before.get(c)) != comparable(after.get(c))
    ]


# -- renames ------------------------------------------------------------------------------------------


def _name_score(old: Any, new: Any) -> float | None:
    """How alike two names are, or None when too unlike for a rename."""
    a, b = normalise_value(old), normalise_value(new)
    if not isinstance(a, str) or not isinstance(b, str):
        return None
    ratio = difflib.SequenceMatcher(None, a, b).ratio()
    if a in b or b in a:
        return max(ratio, RENAME_MIN_RATIO) + 1.0  # containment outranks a mere likeness
    return ratio if ratio >= RENAME_MIN_RATIO else None


def _similar_counts(old: Row, new: Row) -> bool:
    for column in RENAME_COUNT_COLUMNS:
        a, b = normalise_value(old.get(column)), normalise_value(new.get(column))
        if not isinstance(a, int | float) or not isinstance(b, int | float):
            continue
        low, high = sorted((abs(a), abs(b)))
        if high and (low == 0 or high / low > RENAME_MAX_COUNT_FACTOR):
            return False
    return True


def _rename_compatible(table: str, old: Row, new: Row) -> bool:
    for column in TABLES[table].renames:
        a, b = normalise_value(old.get(column)), normalise_value(new.get(column))
        if table == "projects":
            if a != b:
                return False
        elif a is not None and b is not None and a != b:
            return False
    return table != "projects" or _similar_counts(old, new)


def _pair_renames(table: str, removed: list[Row], added: list[Row]) -> list[tuple[int, int]]:
    """Greedy best-first pairing of removed and added rows that look like one row renamed."""
    candidates = []
    for i, old in enumerate(removed):
        for j, new in enumerate(added):
            if not _rename_compatible(table, old, new):
                continue
            score = _name_score(old.get("name"), new.get("name"))
            if score is not None:
                candidates.append((-score, i, j))
    candidates.sort()
    used_old: set[int] = set()
    used_new: set[int] = set()
    pairs = []
    for _, i, j in candidates:
        if i not in used_old and j not in used_new:
            used_old.add(i)
            used_new.add(j)
            pairs.append((i, j))
    return sorted(pairs, key=lambda p: p[1])


# -- diff ---------------------------------------------------------------------------------------------


def pair_rows(
    table: str,
    old_rows: list[Row],
    new_rows: list[Row],
    *,
    mentions_match: MentionsMatch = "value",
    normalise: bool = True,
) -> list[tuple[str, Row | None, Row | None]]:
    """Every row of either side as ``(status, before, after)``, in the new side's order then the old's.

    Status is ``same``, ``changed``, ``renamed``, ``added`` (before is None) or ``removed`` (after is
    None): the matching :func:`diff_table` reports, with the unchanged rows kept (charts need them).
    """
    comparable = normalise_value if normalise else json_value
    ignored = _ignored_columns(table, mentions_match)
    old_keyed = _keyed(table, old_rows, mentions_match, comparable)
    new_keyed = _keyed(table, new_rows, mentions_match, comparable)
    removed = [row for key, row in old_keyed.items() if key not in new_keyed]
    added = [row for key, row in new_keyed.items() if key not in old_keyed]
    renameable = table in TABLES and bool(TABLES[table].renames)
    pairs = _pair_renames(table, removed, added) if renameable and removed and added else []
    renamed_to = {id(added[j]): removed[i] for i, j in pairs}
    paired_old = {id(removed[i]) for i, _ in pairs}
    out: list[tuple[str, Row | None, Row | None]] = []
    for key, after in new_keyed.items():
        before = old_keyed.get(key)
        if before is not None:
            changed = _changed_columns(table, before, after, comparable, ignored)
            out.append(("changed" if changed else "same", before, after))
        elif id(after) in renamed_to:
            out.append(("renamed", renamed_to[id(after)], after))
        else:
            out.append(("added", None, after))
    out.extend(("removed", row, None) for row in removed if id(row) not in paired_old)
    return out


def _ignored_columns(table: str, mentions_match: MentionsMatch) -> frozenset[str]:
    # Matched on their value, two mentions that differ only in how it was printed (580社, ５８０社,
    # 百三十四大学 for 134大学) are the same: the text is then notation, not content.
    return frozenset({"text"}) if table == "mentions" and mentions_match == "value" else frozenset()


def find_shifts(
    table: str,
    pairs: Iterable[tuple[str, Row | None, Row | None]],
    comparable: Callable[[Any], Any] = normalise_value,
) -> list[dict[str, Any]]:
    """Columns that moved from one value to one other value in every matched row of a table.

    A new edition moves its fiscal year for every budget line at once: that is one fact about the
    document, not a change of each row. A column is a shift when at least MIN_SHIFT_ROWS rows are
    matched (same key or renamed), each had the same old value and has the same new value, and the two
    differ. Each shift is ``{"column", "before", "after", "rows"}``.
    """
    matched = [(b, a) for status, b, a in pairs if b is not None and a is not None]
    if len(matched) < MIN_SHIFT_ROWS:
        return []
    columns = _compared_columns(table, matched[0][0], matched[0][1], frozenset())
    shifts = []
    for column in columns:
        olds = {comparable(b.get(column)) for b, _ in matched}
        news = {comparable(a.get(column)) for _, a in matched}
        if len(olds) == 1 and len(news) == 1 and olds != news:
            before, after = matched[0][0].get(column), matched[0][1].get(column)
            shifts.append({"column": column, "before": before, "after": after, "rows": len(matched)})
    return shifts


def diff_table(
    table: str,
    old: pd.DataFrame | None,
    new: pd.DataFrame | None,
    *,
    mentions_match: MentionsMatch = "value",
    normalise: bool = True,
) -> TableDiff:
    """Added, removed, changed and renamed rows of one table, and its shifts (see :func:`diff_tables`)."""
    comparable = normalise_value if normalise else json_value
    ignored = _ignored_columns(table, mentions_match)
    pairs = pair_rows(table, frame_rows(old), frame_rows(new), mentions_match=mentions_match, normalise=normalise)
    new_keys = _keyed(table, [a for _, _, a in pairs if a is not None], mentions_match, comparable)
    key_of = {id(row): key for key, row in new_keys.items()}
    result: TableDiff = {"added": [], "removed": [], "changed": [], "renamed": []}
    for status, before, after in pairs:
        if status == "added":
            result["added"].append(after)
        elif status == "removed":
            result["removed"].append(before)
        elif status == "changed":
            assert before is not None and after is not None
            result["changed"].append(
                {
                    "key": _key_dict(table, after, key_of[id(after)], mentions_match),
                    "columns": _changed_columns(table, before, after, comparable, ignored),
                    "before": before,
                    "after": after,
                }
            )
        elif status == "renamed":
            assert before is not None and after is not None
            result["renamed"].append(
                {
                    "key": {k: before.get(k) for k in _key_columns(table)},
                    "old_name": before.get("name"),
                    "new_name": after.get("name"),
                    "columns": _changed_columns(table, before, after, comparable, ignored),
                    "before": before,
                    "after": after,
                }
            )
    result["shifts"] = find_shifts(table, pairs, comparable)
    return result


def diff_tables(
    old: Mapping[str, pd.DataFrame],
    new: Mapping[str, pd.DataFrame],
    *,
    tables: Iterable[str] | None = None,
    mentions_match: MentionsMatch = "value",
    normalise: bool = True,
) -> dict[str, TableDiff]:
    """Compare two documents' tables, table name -> ``{"added", "removed", "changed", "renamed"}``.

    Rows match on the schema key without ``doc``, mentions on (kind, normalised value, unit, occurrence)
    unless ``mentions_match="key"``. Provenance columns never make a row changed. With ``normalise``,
    strings compare NFKC-normalised without whitespace and numbers as numbers. Unmatched removed and
    added rows of a table that declares rename columns (``Table.renames``) that look like one row renamed
    are listed under ``renamed``. ``tables`` defaults to every compared table of the registry.
    """
    return {
        name: diff_table(name, old.get(name), new.get(name), mentions_match=mentions_match, normalise=normalise)
        for name in (content_tables() if tables is None else tables)
    }


def doc_dirs(parent: str | Path) -> dict[str, Path]:
    """The document folders inside ``parent``, doc id -> path, sorted by id."""
    return {
        p.name: p for p in sorted(Path(parent).iterdir()) if p.is_dir() and not p.name.startswith(".") and is_doc_dir(p)
    }


def _read_doc(doc_dir: Path | None, tables: Iterable[str]) -> dict[str, pd.DataFrame]:
    from pipeline.outputs.write import read_table

    return {} if doc_dir is None else {name: read_table(doc_dir, name) for name in tables}


def diff_dirs(
    old_dir: str | Path,
    new_dir: str | Path,
    *,
    tables: Iterable[str] | None = None,
    mentions_match: MentionsMatch = "value",
    normalise: bool = True,
) -> dict[str, Any]:
    """Compare two output folders with :func:`diff_tables`.

    Two document folders give one table-keyed diff. Two parent folders holding several documents give
    a diff per document, keyed by doc (folder name); a document found on one side only shows all its
    rows as added or removed.
    """
    old_path, new_path = Path(old_dir), Path(new_dir)
    for p in (old_path, new_path):
        if not p.is_dir():
            raise FileNotFoundError(f"{p}: no such output folder")
    tables = content_tables() if tables is None else tuple(tables)
    options: dict[str, Any] = {"tables": tables, "mentions_match": mentions_match, "normalise": normalise}
    old_is_doc, new_is_doc = is_doc_dir(old_path), is_doc_dir(new_path)
    if old_is_doc and new_is_doc:
        return diff_tables(_read_doc(old_path, tables), _read_doc(new_path, tables), **options)
    if old_is_doc or new_is_doc:
        doc_side, parent_side = (old_path, new_path) if old_is_doc else (new_path, old_path)
        raise ValueError(
            f"{doc_side} is one document's output folder but {parent_side} is not; "
            "compare two document folders or two folders of documents"
        )
    old_docs, new_docs = doc_dirs(old_path), doc_dirs(new_path)
    if not old_docs and not new_docs:
        raise ValueError(f"neither {old_path} nor {new_path} holds any document output folder")
    result: dict[str, Any] = {}
    for doc in sorted(set(old_docs) | set(new_docs)):
        if doc not in old_docs or doc not in new_docs:
            log.info("%s is only in %s", doc, new_path if doc in new_docs else old_path)
        result[doc] = diff_tables(_read_doc(old_docs.get(doc), tables), _read_doc(new_docs.get(doc), tables), **options)
    return result


def per_doc(diff: Mapping[str, Any]) -> list[tuple[str | None, dict[str, TableDiff]]]:
    """``[(doc, table diff)]`` for a diff of either shape (one document: doc is None)."""
    if all(name in TABLES and isinstance(d, dict) and "added" in d for name, d in diff.items()):
        return [(None, dict(diff))]
    return [(doc, tables) for doc, tables in diff.items()]


def iter_entries(diff: Mapping[str, Any]) -> Iterator[tuple[str | None, str, str, Any]]:
    """Every difference as ``(doc, table, change, entry)``; change is added/removed/changed/renamed."""
    for doc, tables in per_doc(diff):
        for table, table_diff in tables.items():
            for change in CHANGES:
                for entry in table_diff.get(change, []):
                    yield doc, table, change, entry


def has_differences(diff: Mapping[str, Any]) -> bool:
    """True when any table of any document differs."""
    return next(iter_entries(diff), None) is not None


def count_changes(diff: Mapping[str, Any]) -> Counter[str]:
    """How many rows were added, removed, changed and renamed, over every table and document."""
    return Counter(change for _, _, change, _ in iter_entries(diff))
