"""The edition diff as a person or a program reads it: text lines, a JSON object, an HTML page.

:mod:`pipeline.audit.diff` matches and compares; this module only presents. Text and HTML say each
document-level shift once (``budget: fiscal_year 2009 -> 2010 in all 12 matched rows``) and list as
changed only the rows whose own values changed; the JSON keeps every row's full detail, shifts included.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pipeline.audit.diff import CHANGES, Row, diff_dirs, has_differences, per_doc
from pipeline.audit.templating import exact_yen, format_yen, render
from pipeline.core.schema import PROVENANCE

if TYPE_CHECKING:
    import argparse

# Maps a source line number to a link target (or None for no link).
LineHref = Callable[[Any], str | None]

SIGNS = {"added": "+", "removed": "−", "changed": "~", "renamed": "→"}


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


def shown(value: Any) -> str:
    """A cell as text: ``(empty)`` for nothing, ``true``/``false`` for booleans."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- shifts ---------------------------------------------------------------------------------------------


def shifted_columns(table_diff: Mapping[str, Any]) -> set[str]:
    """The columns of a table that moved as a whole (see :func:`pipeline.audit.diff.find_shifts`)."""
    return {s["column"] for s in table_diff.get("shifts", [])}


def own_columns(entry: Mapping[str, Any], shifted: set[str]) -> list[str]:
    """The differing columns of a changed or renamed row, less the document-level shifts."""
    return [c for c in entry["columns"] if c not in shifted]


def shown_entries(table_diff: Mapping[str, Any]) -> Iterator[tuple[str, Any]]:
    """``(change, entry)`` worth a line: a changed row whose only differences are shifts is left out."""
    shifted = shifted_columns(table_diff)
    for change in CHANGES:
        for entry in table_diff.get(change, []):
            if change == "changed" and not own_columns(entry, shifted):
                continue
            yield change, entry


def describe_shift(table: str, shift: Mapping[str, Any]) -> str:
    """One line for one shift: ``budget: fiscal_year 2009 -> 2010 in all 12 matched rows``."""
    return (
        f"{table}: {shift['column']} {shown(shift['before'])} -> {shown(shift['after'])} "
        f"in all {shift['rows']} matched rows"
    )


def summary(diff: Mapping[str, Any]) -> str:
    """``"2 added, 1 removed, 1 changed, 1 renamed, 1 shift"`` or ``"no differences"``.

    Rows changed only by a shift are not counted: the shift is.
    """
    counts: Counter[str] = Counter()
    shifts = 0
    for _, tables in per_doc(diff):
        for table_diff in tables.values():
            counts.update(change for change, _ in shown_entries(table_diff))
            shifts += len(table_diff.get("shifts", []))
    parts = [f"{counts[c]} {c}" for c in CHANGES if counts[c]]
    if shifts:
        parts.append(f"{shifts} shift{'s' if shifts != 1 else ''}")
    return ", ".join(parts) if parts else "no differences"


# -- text -----------------------------------------------------------------------------------------------


def _lines(before: Row | None, after: Row | None) -> str:
    old = None if before is None else row_line(before)
    new = None if after is None else row_line(after)
    if before is None or after is None:
        line = new if before is None else old
        return f"line {shown(line) if line is not None else '?'}"
    if old == new:
        return f"line {shown(old)}"
    return f"line {'?' if old is None else old} -> {'?' if new is None else new}"


def _content_columns(table: str, row: Row) -> list[str]:
    skip = set(PROVENANCE) | {"name"} | ({"ministry", "item"} if table == "budget" else set())
    if table == "mentions":
        skip |= {"kind", "text", "value"}
    if table == "warnings":
        skip |= {"code", "message"}
    # A flag that is off (approx, ocr) says nothing about an added or removed row: only set ones are shown.
    return [c for c, v in row.items() if c not in skip and v not in (None, "") and v is not False]


def _content(table: str, row: Row) -> str:
    return ", ".join(f"{c} {shown(row[c])}" for c in _content_columns(table, row))


def describe(table: str, change: str, entry: Any, skip: Iterable[str] = ()) -> str:
    """One line for one difference, with its source line(s) and differing columns (less ``skip``)."""
    if change in ("added", "removed"):
        sign = "+" if change == "added" else "-"
        text = f"{table}: {sign} {row_label(table, entry)} ({_lines(None, entry)})"
        content = _content(table, entry)
        return f"{text}: {content}" if content else text
    before, after = entry["before"], entry["after"]
    skipped = set(skip)
    if change == "renamed":
        text = f"{table}: renamed {entry['old_name']} -> {entry['new_name']} ({_lines(before, after)})"
        skipped.add("name")
    else:
        text = f"{table}: ~ {row_label(table, after)} ({_lines(before, after)})"
    columns = ", ".join(
        f"{c} {shown(before.get(c))} -> {shown(after.get(c))}" for c in entry["columns"] if c not in skipped
    )
    return f"{text}: {columns}" if columns else text


def format_text(diff: Mapping[str, Any]) -> str:
    """The human-readable diff: shifts, then one line per difference, by document and table."""
    lines = []
    for doc, tables in per_doc(diff):
        prefix = "" if doc is None else f"{doc}: "
        for table, table_diff in tables.items():
            lines.extend(prefix + describe_shift(table, s) for s in table_diff.get("shifts", []))
            shifted = shifted_columns(table_diff)
            lines.extend(
                prefix + describe(table, change, entry, skip=shifted) for change, entry in shown_entries(table_diff)
            )
        lines.append(prefix + summary(tables))
    return "\n".join(lines) + "\n"


def format_json(diff: Mapping[str, Any]) -> str:
    """The full diff as JSON: every added, removed, changed and renamed row, and each table's shifts."""
    return json.dumps(diff, ensure_ascii=False, indent=2)


# -- HTML -----------------------------------------------------------------------------------------------


def _value(column: str, value: Any) -> dict[str, str]:
    """A cell for the page: amounts in 億円/万円 with the exact yen as the title."""
    if column.endswith("_yen") and isinstance(value, int) and not isinstance(value, bool):
        return {"text": format_yen(value), "title": exact_yen(value)}
    return {"text": shown(value), "title": ""}


def _line(line: Any, href: LineHref | None) -> dict[str, Any]:
    return {"text": "?" if line is None else str(line), "href": href(line) if href and line is not None else None}


def _entry_view(table: str, change: str, entry: Any, shifted: set[str], href: LineHref | None) -> dict[str, Any]:
    view: dict[str, Any] = {"change": change, "sign": SIGNS[change], "columns": [], "content": []}
    if change in ("added", "removed"):
        view["label"] = row_label(table, entry)
        view["lines"] = [_line(row_line(entry), href if change == "added" else None)]
        view["content"] = [{"column": c, **_value(c, entry[c])} for c in _content_columns(table, entry)]
        return view
    before, after = entry["before"], entry["after"]
    view["label"] = f"{entry['old_name']} → {entry['new_name']}" if change == "renamed" else row_label(table, after)
    view["lines"] = [_line(row_line(before), None), _line(row_line(after), href)]
    view["columns"] = [
        {"column": c, "before": _value(c, before.get(c)), "after": _value(c, after.get(c))}
        for c in own_columns(entry, shifted)
    ]
    return view


def diff_view(diff: Mapping[str, Any], new_line_href: LineHref | None = None) -> list[dict[str, Any]]:
    """The diff as plain data for the templates: per document, per table, shifts and shown rows."""
    docs = []
    for doc, tables in per_doc(diff):
        views = []
        for table, table_diff in tables.items():
            shifted = shifted_columns(table_diff)
            entries = list(shown_entries(table_diff))
            shifts = [
                {**s, "before_text": shown(s["before"]), "after_text": shown(s["after"])}
                for s in table_diff.get("shifts", [])
            ]
            if not entries and not shifts:
                continue
            counts = Counter(change for change, _ in entries)
            views.append(
                {
                    "table": table,
                    "counts": ", ".join(f"{counts[c]} {c}" for c in CHANGES if counts[c]),
                    "shifts": shifts,
                    "rows": [_entry_view(table, c, e, shifted, new_line_href) for c, e in entries],
                }
            )
        docs.append({"doc": doc, "summary": summary({doc: tables} if doc is not None else tables), "tables": views})
    return docs


def html_page(diff: Mapping[str, Any], title: str) -> str:
    """A standalone HTML page holding the diff (inline CSS, no scripts, no network)."""
    return render("diff_page.html.j2", title=title, docs=diff_view(diff))


def command(ns: argparse.Namespace) -> int:
    """``pipeline diff OLD NEW [--format text|json|html] [--exit-code]``."""
    diff = diff_dirs(ns.old, ns.new)
    if ns.format == "json":
        print(format_json(diff))
    elif ns.format == "html":
        print(html_page(diff, f"pipeline diff {ns.old} → {ns.new}"), end="")
    else:
        from pipeline.outputs.terminal import terminal_safe

        print(terminal_safe(format_text(diff)), end="")  # the documents' text may hold escape sequences
    return 1 if ns.exit_code and has_differences(diff) else 0
