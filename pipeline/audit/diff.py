"""Audit the difference between two output folders: rows added, removed, changed and renamed.

Two editions of a brochure (or one edition before and after a rules change) are compared table by table.
Rows are matched on the table's key from :mod:`pipeline.core.schema` without ``doc`` (two editions have
different doc ids); provenance columns (``schema.PROVENANCE``) are shown but never make a row changed,
and values are compared after normalisation so that a change of notation only is no change.

Mentions are keyed by their offsets, which shift between editions, so here they match on
``(kind, normalised value, unit, occurrence)`` instead: the unit keeps ``10大学`` and ``10地域`` apart,
and the occurrence counts the mentions of the same kind, value and unit in text order.

``pipeline check`` uses the same differ with ``mentions_match="key"`` (offsets included) and
``normalise=False`` (the golden CSVs must come out the same).
"""

from __future__ import annotations

import datetime
import difflib
import html
import json
import logging
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from pipeline.core.schema import PROVENANCE
from pipeline.outputs.terminal import terminal_safe
from pipeline.outputs.write import is_doc_dir
from pipeline.tables import TABLES, content_tables

if TYPE_CHECKING:
    import argparse

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

    ``"５８０"``, ``"580"`` and ``580`` are the same; ``"関　東"`` is ``"関東"``; an empty cell is None.
    """
    value = json_value(value)
    if isinstance(value, str):
        text = _WHITESPACE.sub("", unicodedata.normalize("NFKC", value))
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


def diff_table(
    table: str,
    old: pd.DataFrame | None,
    new: pd.DataFrame | None,
    *,
    mentions_match: MentionsMatch = "value",
    normalise: bool = True,
) -> TableDiff:
    """Added, removed, changed and renamed rows of one table (see :func:`diff_tables`)."""
    comparable = normalise_value if normalise else json_value
    # Matched on their value, two mentions that differ only in how it was printed (580社, ５８０社,
    # 百三十四大学 for 134大学) are the same: the text is then notation, not content.
    ignored = frozenset({"text"}) if table == "mentions" and mentions_match == "value" else frozenset()
    old_keyed = _keyed(table, frame_rows(old), mentions_match, comparable)
    new_keyed = _keyed(table, frame_rows(new), mentions_match, comparable)
    added = [row for key, row in new_keyed.items() if key not in old_keyed]
    removed = [row for key, row in old_keyed.items() if key not in new_keyed]
    changed = []
    for key, after in new_keyed.items():
        before = old_keyed.get(key)
        if before is None:
            continue
        columns = _changed_columns(table, before, after, comparable, ignored)
        if columns:
            changed.append(
                {
                    "key": _key_dict(table, after, key, mentions_match),
                    "columns": columns,
                    "before": before,
                    "after": after,
                }
            )
    renamed = []
    if table in TABLES and TABLES[table].renames and removed and added:
        pairs = _pair_renames(table, removed, added)
        for i, j in pairs:
            before, after = removed[i], added[j]
            renamed.append(
                {
                    "key": {k: before.get(k) for k in _key_columns(table)},
                    "old_name": before.get("name"),
                    "new_name": after.get("name"),
                    "columns": _changed_columns(table, before, after, comparable, ignored),
                    "before": before,
                    "after": after,
                }
            )
        paired_old = {i for i, _ in pairs}
        paired_new = {j for _, j in pairs}
        removed = [r for i, r in enumerate(removed) if i not in paired_old]
        added = [r for j, r in enumerate(added) if j not in paired_new]
    return {"added": added, "removed": removed, "changed": changed, "renamed": renamed}


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
        name: diff_table(
            name, old.get(name), new.get(name), mentions_match=mentions_match, normalise=normalise
        )
        for name in (content_tables() if tables is None else tables)
    }


def doc_dirs(parent: str | Path) -> dict[str, Path]:
    """The document folders inside ``parent``, doc id -> path, sorted by id."""
    return {
        p.name: p
        for p in sorted(Path(parent).iterdir())
        if p.is_dir() and not p.name.startswith(".") and is_doc_dir(p)
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
        result[doc] = diff_tables(
            _read_doc(old_docs.get(doc), tables), _read_doc(new_docs.get(doc), tables), **options
        )
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


# -- presentation -------------------------------------------------------------------------------------


def row_label(table: str, row: Row) -> str:
    """A short name for a row, as a person would look it up."""
    if table == "budget":
        return " / ".join(str(v) for v in (row.get("ministry"), row.get("item")) if v not in (None, ""))
    if table == "mentions":
        value = row.get("value")
        shown = f" = {value}" if value not in (None, "") and value != row.get("text") else ""
        return f"{row.get('kind')} 「{row.get('text')}」{shown}"
    if table == "warnings":
        return f"{row.get('code')}: {row.get('message')}"
    return str(row.get("name"))


def row_line(row: Row) -> Any:
    """The source line a row points to (``line``, or ``first_line`` for organizations)."""
    line = row.get("line")
    return row.get("first_line") if line is None else line


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _lines(before: Row | None, after: Row | None) -> str:
    old = None if before is None else row_line(before)
    new = None if after is None else row_line(after)
    if before is None or after is None:
        line = new if before is None else old
        return f"line {_shown(line) if line is not None else '?'}"
    if old == new:
        return f"line {_shown(old)}"
    return f"line {'?' if old is None else old} -> {'?' if new is None else new}"


def _content(table: str, row: Row) -> str:
    skip = set(PROVENANCE) | {"name"} | ({"ministry", "item"} if table == "budget" else set())
    if table == "mentions":
        skip |= {"kind", "text", "value"}
    if table == "warnings":
        skip |= {"code", "message"}
    parts = [f"{c} {_shown(v)}" for c, v in row.items() if c not in skip and v not in (None, "")]
    return ", ".join(parts)


def _column_changes(entry: Mapping[str, Any], skip: Iterable[str] = ()) -> str:
    skipped = set(skip)
    return ", ".join(
        f"{c} {_shown(entry['before'].get(c))} -> {_shown(entry['after'].get(c))}"
        for c in entry["columns"]
        if c not in skipped
    )


def describe(table: str, change: str, entry: Any) -> str:
    """One line for one difference, with its source line(s) and differing columns."""
    if change in ("added", "removed"):
        sign = "+" if change == "added" else "-"
        text = f"{table}: {sign} {row_label(table, entry)} ({_lines(None, entry)})"
        content = _content(table, entry)
        return f"{text}: {content}" if content else text
    before, after = entry["before"], entry["after"]
    if change == "renamed":
        text = f"{table}: renamed {entry['old_name']} -> {entry['new_name']} ({_lines(before, after)})"
        columns = _column_changes(entry, skip=("name",))
    else:
        text = f"{table}: ~ {row_label(table, after)} ({_lines(before, after)})"
        columns = _column_changes(entry)
    return f"{text}: {columns}" if columns else text


def summary(diff: Mapping[str, Any]) -> str:
    """``"2 added, 1 removed, 1 changed, 1 renamed"`` or ``"no differences"``."""
    counts = count_changes(diff)
    if not counts:
        return "no differences"
    return ", ".join(f"{counts[c]} {c}" for c in CHANGES if counts[c])


def format_text(diff: Mapping[str, Any]) -> str:
    """The human-readable diff: one line per difference, grouped by document and table."""
    lines = []
    for doc, tables in per_doc(diff):
        prefix = "" if doc is None else f"{doc}: "
        lines.extend(
            prefix + describe(table, change, entry) for _, table, change, entry in iter_entries(tables)
        )
        lines.append(prefix + summary(tables))
    return "\n".join(lines) + "\n"


DIFF_CSS = """
.diff table { border-collapse: collapse; margin: .3em 0 1em; }
.diff td, .diff th { border: 1px solid #ccc; padding: .15em .45em; vertical-align: top; text-align: left; }
.diff .added td.sign { color: #1a7f37; } .diff .removed td.sign { color: #cf222e; }
.diff .changed td.sign, .diff .renamed td.sign { color: #9a6700; }
.diff del { background: #ffebe9; text-decoration: line-through; }
.diff ins { background: #dafbe1; text-decoration: none; }
.diff .none { color: #666; font-style: italic; }
""".strip()

_SIGNS = {"added": "+", "removed": "−", "changed": "~", "renamed": "→"}


def _line_html(line: Any, href: LineHref | None) -> str:
    if line is None:
        return "?"
    target = href(line) if href else None
    text = html.escape(str(line))
    return f'<a href="{html.escape(target)}">{text}</a>' if target else text


def _entry_html(table: str, change: str, entry: Any, new_line_href: LineHref | None) -> str:
    esc = html.escape
    if change in ("added", "removed"):
        href = new_line_href if change == "added" else None
        label, line = row_label(table, entry), _line_html(row_line(entry), href)
        details = esc(_content(table, entry))
    else:
        before, after = entry["before"], entry["after"]
        label = (
            f"{entry['old_name']} → {entry['new_name']}" if change == "renamed" else row_label(table, after)
        )
        old_line = row_line(before)
        line = f"{_line_html(old_line, None)} → {_line_html(row_line(after), new_line_href)}"
        details = "; ".join(
            f"{esc(c)}: <del>{esc(_shown(before.get(c)))}</del> <ins>{esc(_shown(after.get(c)))}</ins>"
            for c in entry["columns"]
        )
    return (
        f'<tr class="{change}"><td class="sign">{_SIGNS[change]}</td><td>{esc(label)}</td>'
        f"<td>{line}</td><td>{details}</td></tr>"
    )


def format_html(
    diff: Mapping[str, Any],
    *,
    new_line_href: LineHref | None = None,
    heading_level: int = 2,
    summaries: bool = True,
) -> str:
    """The diff as an HTML fragment (``<section class="diff">``), escaped; style it with DIFF_CSS.

    ``new_line_href`` maps a line of the new edition to a link target (the report links to its own lines);
    ``summaries=False`` leaves out each document's summary heading (the report has its own).
    """
    esc = html.escape
    h, h2 = f"h{heading_level}", f"h{heading_level + 1}"
    parts = ['<section class="diff">']
    for doc, tables in per_doc(diff):
        title = f"{doc}: " if doc is not None else ""
        doc_diff = {doc: tables} if doc is not None else tables
        if summaries or doc is not None:
            parts.append(f"<{h}>{esc(title)}{esc(summary(doc_diff))}</{h}>")
        for table, table_diff in tables.items():
            rows = [
                _entry_html(table, change, entry, new_line_href)
                for change in CHANGES
                for entry in table_diff.get(change, [])
            ]
            if not rows:
                continue
            counts = ", ".join(f"{len(table_diff[c])} {c}" for c in CHANGES if table_diff.get(c))
            parts.append(f"<{h2}>{esc(table)} <small>({esc(counts)})</small></{h2}>")
            parts.append(
                '<table><thead><tr><th></th><th>row</th><th>line</th><th>what</th></tr></thead><tbody>'
            )
            parts.extend(rows)
            parts.append("</tbody></table>")
    parts.append("</section>")
    return "\n".join(parts)


def html_page(diff: Mapping[str, Any], title: str) -> str:
    """A standalone HTML page holding the diff (inline CSS, no scripts, no network)."""
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(title)}</title>\n"
        "<style>\nbody { font-family: system-ui, 'Noto Sans CJK JP', sans-serif; margin: 1.5em; }\n"
        f"{DIFF_CSS}\n</style>\n</head>\n<body>\n<h1>{html.escape(title)}</h1>\n"
        f"{format_html(diff)}\n</body>\n</html>\n"
    )


def command(ns: argparse.Namespace) -> int:
    """``pipeline diff OLD NEW [--format text|json|html] [--exit-code]``."""
    diff = diff_dirs(ns.old, ns.new)
    if ns.format == "json":
        print(json.dumps(diff, ensure_ascii=False, indent=2))
    elif ns.format == "html":
        print(html_page(diff, f"pipeline diff {ns.old} → {ns.new}"), end="")
    else:
        print(terminal_safe(format_text(diff)), end="")  # the documents' text may hold escape sequences
    return 1 if ns.exit_code and has_differences(diff) else 0
