"""``DIR/report.html``: one self-contained page to audit a document's output.

The source text with every mention highlighted by kind, each a link to its row in the mentions table
(and every row a link back); the tables, whose rows link to their source line; the audit warnings; and,
given an older output folder, the edition diff. Inline CSS and a few lines of inline JS, no network,
no timestamps: the same output folder always gives the same file.

displacy is not used here: its templates cannot carry a per-mention link and id, which this page needs.
Overlapping mentions are not nested (an ``<a>`` inside an ``<a>`` is not valid HTML): of two that overlap,
the one starting first (the longer one at the same start) is highlighted, and the other is marked by an
empty anchor ``#m-N`` at its start, so that every mention row still links back to its place in the text.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.audit import charts, diff_format
from pipeline.audit import diff as differ
from pipeline.audit.templating import exact_yen, format_yen, render
from pipeline.tables import TABLES, content_tables

if TYPE_CHECKING:
    import argparse

    import pandas as pd

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"

# Colour of each mention kind (schema: mentions.kind); anything else is grey.
KIND_COLOURS = {
    "amount": "#ffd8a8",
    "count": "#b2f2bb",
    "date": "#a5d8ff",
    "period": "#d0bfff",
    "organization": "#ffc9c9",
    "place": "#96f2d7",
    "project": "#ffec99",
    "event": "#fcc2d7",
}
OTHER_COLOUR = "#dee2e6"

# Tables in page order; each row links to its source line through these columns.
LINE_COLUMNS = ("line", "first_line")
# Cells longer than this get room to wrap (a minimum width), so that they do not grow a tall narrow column.
LONG_CELL = 12
# Cells this short never wrap (a year, a ministry, true/false): wrapping them would only break a word.
SHORT_CELL = 8


@dataclass(frozen=True)
class Mark:
    """One mention to place in the text: its 1-based row number in mentions.csv and its span."""

    n: int
    start: int
    end: int
    kind: str
    value: str
    text: str


@dataclass(frozen=True)
class Layout:
    """Which mentions are highlighted, and which sit inside (or across) a highlighted one."""

    shown: list[Mark]
    hidden: list[Mark]  # inside or across a highlighted mention: an empty anchor marks their start
    inside: dict[int, int]  # hidden mention -> the highlighted mention that covers its start
    outside: list[Mark]  # offsets not within source.txt: nothing to point at


def kind_class(kind: str) -> str:
    """CSS class of a mention kind (``k-amount``); unknown kinds share ``k-other``."""
    return f"k-{kind}" if kind in KIND_COLOURS else "k-other"


def _int(value: Any) -> int | None:
    value = differ.json_value(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str:
    value = differ.json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def mention_marks(mentions: pd.DataFrame) -> list[Mark]:
    """The mentions as marks, numbered by their row in mentions.csv (1-based)."""
    marks = []
    for n, row in enumerate(differ.frame_rows(mentions), start=1):
        start, end = _int(row.get("start")), _int(row.get("end"))
        marks.append(
            Mark(
                n=n,
                start=-1 if start is None else start,
                end=-1 if end is None else end,
                kind=_text(row.get("kind")),
                value=_text(row.get("value")),
                text=_text(row.get("text")),
            )
        )
    return marks


def layout_mentions(marks: list[Mark], text_length: int) -> Layout:
    """Choose the highlighted mentions: no two overlap; earlier start, then longer span, then row wins."""
    valid = [m for m in marks if 0 <= m.start < m.end <= text_length]
    outside = [m for m in marks if not 0 <= m.start < m.end <= text_length]
    shown: list[Mark] = []
    hidden: list[Mark] = []
    inside: dict[int, int] = {}
    for mark in sorted(valid, key=lambda m: (m.start, -m.end, m.n)):
        # Highlighted marks never overlap and come in order, so only the last can overlap this one.
        if shown and mark.start < shown[-1].end:
            hidden.append(mark)
            inside[mark.n] = shown[-1].n
        else:
            shown.append(mark)
    return Layout(shown=shown, hidden=hidden, inside=inside, outside=outside)


def line_starts(text: str) -> list[int]:
    """Offset where each line of ``text`` starts (line 1 at offset 0)."""
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 < len(text))
    return starts


def source_segments(text: str, layout: Layout) -> list[tuple[Any, ...]]:
    """The source text cut where the page needs markup, for the template to draw.

    ``("t", text)`` plain text, ``("p",)`` a page break (form feed), ``("L", n)`` the start of line n,
    ``("o", mark, title, css class)`` a highlighted mention opens, ``("c",)`` it closes, ``("a", n)`` an empty
    anchor for a mention inside or across a highlighted one.
    """
    starts = line_starts(text)
    line_at = {offset: number for number, offset in enumerate(starts, start=1)}
    opens = {m.start: m for m in layout.shown}
    closes = {m.end for m in layout.shown}
    anchors: dict[int, list[int]] = {}
    for mark in layout.hidden:
        anchors.setdefault(mark.start, []).append(mark.n)
    points = sorted(set(line_at) | set(opens) | closes | set(anchors))
    out: list[tuple[Any, ...]] = []

    def plain(chunk: str) -> None:
        for i, piece in enumerate(chunk.split("\f")):
            if i:
                out.append(("p",))
            if piece:
                out.append(("t", piece))

    pos = 0
    for point in points:
        plain(text[pos:point])
        pos = point
        if point in closes:
            out.append(("c",))
        if point in line_at:
            out.append(("L", line_at[point]))
        if point in opens:
            m = opens[point]
            out.append(("o", m, f"{m.kind}: {m.value}" if m.value else m.kind, kind_class(m.kind)))
        out.extend(("a", n) for n in anchors.get(point, []))
    plain(text[pos:])
    return out


def _line_cell(value: Any, line_count: int) -> dict[str, Any]:
    line = _int(value)
    if line is None:
        return {"type": "text", "text": _text(value)}
    return {"type": "line", "line": line, "ok": 1 <= line <= line_count}


def _yen_cell(value: Any) -> dict[str, Any] | None:
    amount = _int(value)
    if amount is None:
        text = _text(value)
        amount = int(text) if text.isascii() and text.lstrip("-").isdigit() else None
    return None if amount is None else {"type": "yen", "text": format_yen(amount), "title": exact_yen(amount)}


def table_view(
    name: str,
    frame: pd.DataFrame,
    line_count: int,
    *,
    layout: Layout | None = None,
    source_text: str = "",
) -> dict[str, Any]:
    """One table for the template: rows ``row-<table>-N`` (1-based), line cells, amounts in 億円."""
    rows = differ.frame_rows(frame)
    columns = [c for c in TABLES[name].column_names if c != "doc"]
    columns += [c for c in (frame.columns if len(frame.columns) else []) if c not in columns and c != "doc"]
    is_mentions = name == "mentions"
    outside = {m.n for m in layout.outside} if layout else set()
    inside = layout.inside if layout else {}
    out_rows = []
    for n, row in enumerate(rows, start=1):
        cells = []
        for c in columns:
            value = row.get(c)
            cell: dict[str, Any] | None = None
            if c in LINE_COLUMNS:
                cell = _line_cell(value, line_count)
            elif is_mentions and c == "kind":
                kind = _text(value)
                cell = {"type": "kind", "text": kind, "class": kind_class(kind)}
            elif c.endswith("_yen") or (
                is_mentions and c == "value" and row.get("kind") == "amount" and row.get("unit") == "JPY"
            ):
                cell = _yen_cell(value)
            if cell is None:
                text = _text(value)
                cell = {"type": "text", "text": text, "long": len(text) > LONG_CELL, "short": len(text) <= SHORT_CELL}
            cells.append(cell)
        first: dict[str, Any] = {"n": n}
        if is_mentions:
            first["outside"] = n in outside
            first["inside"] = inside.get(n)
            start, end = _int(row.get("start")), _int(row.get("end"))
            first["text_differs"] = (
                start is not None and end is not None and source_text[start:end] != _text(row.get("text"))
            )
        out_rows.append({"first": first, "cells": cells})
    return {"name": name, "columns": columns, "rows": out_rows, "mentions": is_mentions}


def warnings_view(frame: pd.DataFrame, line_count: int) -> list[dict[str, Any]]:
    """The audit warnings, each with its line cell."""
    return [
        {
            "code": _text(row.get("code")),
            "line": _line_cell(row.get("line"), line_count),
            "message": _text(row.get("message")),
        }
        for row in differ.frame_rows(frame)
    ]


def legend_view(marks: list[Mark], layout: Layout) -> dict[str, Any]:
    """The colour legend: each kind with its count, and notes on mentions not highlighted."""
    totals: dict[str, int] = {}
    for m in marks:
        totals[m.kind] = totals.get(m.kind, 0) + 1
    kinds = [k for k in KIND_COLOURS if k in totals] + sorted(k for k in totals if k not in KIND_COLOURS)
    notes = []
    if layout.inside:
        notes.append(f"{len(layout.inside)} inside or across another mention (not highlighted)")
    if layout.outside:
        notes.append(f"{len(layout.outside)} with offsets outside source.txt")
    return {
        "kinds": [{"kind": k, "class": kind_class(k), "count": totals[k]} for k in kinds],
        "note": "; ".join(notes),
    }


def _provenance(doc_dir: Path) -> list[tuple[str, str]]:
    from pipeline.outputs.write import read_provenance

    prov = read_provenance(doc_dir)
    shown = []
    for key in ("version", "input", "encoding", "pages", "input_sha256", "rules_hash"):
        value = (prov or {}).get(key)
        if value in (None, ""):
            continue
        shown.append((key, str(value)[:12] if key.endswith(("sha256", "hash")) else str(value)))
    return shown


def _against_dir(against: Path, doc_dir: Path) -> Path:
    if differ.is_doc_dir(against):
        return against
    if differ.is_doc_dir(against / doc_dir.name):
        return against / doc_dir.name
    raise ValueError(f"{against}: not an output folder (nor a folder holding {doc_dir.name}/)")


def kind_colours() -> list[dict[str, str]]:
    """Each kind's CSS class and colour, for the stylesheet (unknown kinds share ``k-other``)."""
    return [{"class": kind_class(k), "colour": c} for k, c in KIND_COLOURS.items()] + [
        {"class": "k-other", "colour": OTHER_COLOUR}
    ]


def chart_views(tables: dict[str, pd.DataFrame]) -> list[dict[str, Any]]:
    """The report's charts: the budget tree, companies and universities per region and per project."""
    budget = differ.frame_rows(tables.get("budget"))
    projects = differ.frame_rows(tables.get("projects"))
    found = [
        ("chart-budget", "budget tree", charts.budget_chart(budget), len(budget)),
        (
            "chart-regions",
            "per region",
            charts.regions_chart(projects),
            len({_text(p.get("region")) for p in projects}),
        ),
        ("chart-projects", "per project", charts.projects_chart(projects), len(projects)),
    ]
    return [{"id": i, "title": t, "svg": svg, "rows": n} for i, t, svg, n in found if svg is not None]


def changes_view(old: Path, new: Path, line_count: int) -> dict[str, Any]:
    """The edition diff against ``old``: its chart (old vs new values) and its rows."""
    from pipeline.outputs.write import read_table

    found = differ.diff_dirs(old, new)

    def new_line_href(line: Any) -> str | None:
        number = _int(line)
        return f"#L{number}" if number is not None and 1 <= number <= line_count else None

    pairs = {
        name: differ.pair_rows(name, differ.frame_rows(read_table(old, name)), differ.frame_rows(read_table(new, name)))
        for name in ("projects", "budget")
    }
    return {
        "old": old.name,
        "summary": diff_format.summary(found),
        "docs": diff_format.diff_view(found, new_line_href),
        "chart": charts.changes_chart(pairs),
        "marks": {name: len(p) for name, p in pairs.items()},
    }


def render_report(doc_dir: str | Path, against: str | Path | None = None) -> str:
    """The report page of one document's output folder, as a string."""
    from pipeline.outputs.write import read_table

    folder = Path(doc_dir)
    source_path = folder / "source.txt"
    if not source_path.is_file():
        raise FileNotFoundError(f"{folder}: no source.txt, not a document output folder")
    text = source_path.read_text(encoding="utf-8")
    line_count = len(line_starts(text))
    shown = content_tables()  # the registry's compared tables, mentions last
    tables = {name: read_table(folder, name) for name in (*shown, "warnings")}
    marks = mention_marks(tables["mentions"])
    layout = layout_mentions(marks, len(text))
    changes = changes_view(_against_dir(Path(against), folder), folder, line_count) if against is not None else None
    return render(
        "report.html.j2",
        doc=folder.resolve().name,
        provenance=_provenance(folder),
        line_count=line_count,
        mention_count=len(marks),
        legend=legend_view(marks, layout),
        segments=source_segments(text, layout),
        warnings=warnings_view(tables["warnings"], line_count),
        charts=chart_views(tables),
        changes=changes,
        tables=[
            table_view(name, tables[name], line_count, layout=layout, source_text=text)
            if name == "mentions"
            else table_view(name, tables[name], line_count)
            for name in shown
        ],
        kind_colours=kind_colours(),
    )


def write_report(doc_dir: str | Path, against: str | Path | None = None) -> Path:
    """Write ``doc_dir/report.html`` (replacing it whole) and return its path."""
    folder = Path(doc_dir)
    page = render_report(folder, against)
    from pipeline.outputs.write import write_text_atomically

    target = write_text_atomically(folder / REPORT_NAME, page)
    log.info("wrote %s", target)
    return target


def command(ns: argparse.Namespace) -> int:
    """``pipeline report DIR [--against OLD]``."""
    print(write_report(ns.dir, ns.against))
    return 0
