"""Charts of the report, drawn with Altair (Vega-Lite) and rendered to inline SVG by vl-convert.

Each function takes plain rows (dicts, as :func:`pipeline.audit.diff.frame_rows` gives) and returns the
chart's SVG as Markup, or None when there is nothing to draw. SVG keeps the page one offline file (no
script, no font download) and prints as it shows; the same rows always give the same bytes, because
the spec holds only the rows, in the order given, and vl-convert renders without a clock or a random seed.

Labels are passed through :func:`pipeline.audit.templating.neutralise_bidi` before they enter a spec:
the SVG goes into the page as it is, past the templates' escaping.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup

from pipeline.audit.templating import OKU, format_yen, neutralise_bidi

Row = Mapping[str, Any]

_NAMESPACES = re.compile(r'\s+xmlns(?::\w+)?="[^"]*"')

FONT = "IPAexGothic, IPAGothic, Noto Sans CJK JP, sans-serif"
WIDTH = 560
BAR_HEIGHT = 18
MISMATCH = "#c92a2a"
STATUS_COLOURS = {
    "same": "#adb5bd",
    "changed": "#f08c00",
    "renamed": "#7048e8",
    "added": "#2f9e44",
    "removed": "#c92a2a",
}


def _label(value: Any) -> str:
    return neutralise_bidi("" if value is None else str(value))


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _unique(labels: Sequence[str]) -> list[str]:
    """Labels made distinct (a y axis merges equal ones): a repeated label gets ``(2)``, ``(3)``…"""
    seen: dict[str, int] = {}
    out = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        out.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return out


def to_svg(chart: Any) -> Markup:
    """One Altair chart as an inline ``<svg>`` element."""
    return _render(json.dumps(chart.to_dict(), sort_keys=True, ensure_ascii=False))


@functools.lru_cache(maxsize=64)
def _render(spec: str) -> Markup:
    # vl-convert takes a second or so per chart; a spec drawn again (a report rewritten) is drawn once.
    import vl_convert

    svg = vl_convert.vegalite_to_svg(json.loads(spec))
    # Inline in HTML the <svg> element needs no namespace declarations; dropping them keeps the page
    # free of any URL, so that "no address in the file" stays a simple check of self-containment.
    root_end = svg.index(">")
    return Markup(_NAMESPACES.sub("", svg[:root_end]) + svg[root_end:])


def _config(chart: Any) -> Any:
    return chart.configure(font=FONT).configure_view(stroke=None).configure_axis(labelLimit=460)


def budget_order(rows: Sequence[Row]) -> list[tuple[int, Row]]:
    """Budget lines in tree order, each with its depth: a parent, then its children, in table order.

    A line's parent is the line of the same ministry whose item is its ``parent``; a line whose parent
    is not found is a root. Each line is placed once, so a cycle in the table cannot loop.
    """

    def ident(row: Row) -> tuple[Any, Any]:
        return row.get("ministry"), row.get("item")

    items = {ident(r) for r in rows}
    children: dict[tuple[Any, Any], list[Row]] = {}
    roots = []
    for row in rows:
        parent = (row.get("ministry"), row.get("parent"))
        if row.get("parent") not in (None, "") and parent in items and parent != ident(row):
            children.setdefault(parent, []).append(row)
        else:
            roots.append(row)
    out: list[tuple[int, Row]] = []
    placed: set[int] = set()

    def visit(row: Row, depth: int) -> None:
        if id(row) in placed:
            return
        placed.add(id(row))
        out.append((depth, row))
        for child in children.get(ident(row), []):
            visit(child, depth + 1)

    for row in roots:
        visit(row, 0)
    for row in rows:  # lines in a parent cycle: no root reaches them
        visit(row, 0)
    return out


def budget_chart(rows: Sequence[Row]) -> Markup | None:
    """The budget tree to scale: one bar per line (億円), children under their parent, by ministry.

    A line whose children do not add up (``sum_check`` = mismatch) has a red outline, a tick at its
    children's sum and the two amounts written beside it.
    """
    import altair as alt
    import pandas as pd

    ordered = budget_order(rows)
    if not ordered:
        return None
    labels = _unique([("│ " * (depth - 1) + "└ " if depth else "") + _label(r.get("item")) for depth, r in ordered])
    data = []
    for label, (_, row) in zip(labels, ordered, strict=True):
        amount = _number(row.get("amount_yen"))
        children = _number(row.get("children_sum_yen"))
        mismatch = row.get("sum_check") == "mismatch"
        note = format_yen(int(amount)) if amount is not None else ""
        if mismatch and children is not None:
            note += f" ≠ 子の合計 {format_yen(int(children))}"
        data.append(
            {
                "line": label,
                "ministry": _label(row.get("ministry")),
                "oku": None if amount is None else amount / OKU,
                "children_oku": None if children is None else children / OKU,
                "mismatch": mismatch,
                "note": note,
                # The note starts past the bar and past the children's tick, whichever ends further right.
                "note_oku": max(v for v in (amount, children, 0.0) if v is not None) / OKU,
            }
        )
    frame = pd.DataFrame(data)
    y = alt.Y("line:N", sort=labels, title=None, axis=alt.Axis(labelAlign="left", labelPadding=250))
    base = alt.Chart(frame).encode(y=y)
    bars = base.mark_bar(height=BAR_HEIGHT - 4).encode(
        x=alt.X("oku:Q", title="億円"),
        color=alt.Color("ministry:N", title="ministry", legend=alt.Legend(orient="top")),
        stroke=alt.condition("datum.mismatch", alt.value(MISMATCH), alt.value(None)),
        strokeWidth=alt.condition("datum.mismatch", alt.value(3), alt.value(0)),
        description=alt.Description("line:N"),
    )
    ticks = (
        base.transform_filter("datum.mismatch && isValid(datum.children_oku)")
        .mark_tick(color=MISMATCH, thickness=3, size=BAR_HEIGHT + 2)
        .encode(x="children_oku:Q", description=alt.Description("note:N"))
    )
    notes = base.mark_text(align="left", dx=4, fontSize=11).encode(
        x="note_oku:Q",
        text="note:N",
        color=alt.condition("datum.mismatch", alt.value(MISMATCH), alt.value("#212529")),
    )
    chart = (bars + ticks + notes).properties(
        width=WIDTH, height=BAR_HEIGHT * len(data), title="予算の内訳（億円、子の合計が合わない行は赤枠）"
    )
    return to_svg(_config(chart))


def _counts_chart(frame: Any, y: str, order: list[str], title: str) -> Any:
    import altair as alt

    def panel(column: str, unit: str) -> Any:
        base = alt.Chart(frame).encode(y=alt.Y(f"{y}:N", sort=order, title=None))
        bars = base.mark_bar(height=BAR_HEIGHT - 4).encode(
            x=alt.X(f"{column}:Q", title=unit),
            color=alt.Color("region:N", title="region", legend=alt.Legend(orient="top")),
            description=alt.Description(f"{y}:N"),
        )
        text = base.mark_text(align="left", dx=3, fontSize=10).encode(
            x=f"{column}:Q", text=alt.Text(f"{column}:Q", format=",")
        )
        return (bars + text).properties(width=300, height=BAR_HEIGHT * len(order), title=unit)

    return alt.hconcat(panel("companies", "companies (社)"), panel("universities", "universities (大学)")).properties(
        title=title
    )


def projects_chart(rows: Sequence[Row]) -> Markup | None:
    """Companies and universities of each project, one bar each, coloured by region."""
    import pandas as pd

    if not rows:
        return None
    names = _unique([_label(r.get("name")) for r in rows])
    frame = pd.DataFrame(
        {
            "project": names,
            "region": [_label(r.get("region")) for r in rows],
            "companies": [_number(r.get("companies")) for r in rows],
            "universities": [_number(r.get("universities")) for r in rows],
        }
    )
    return to_svg(_config(_counts_chart(frame, "project", names, "プロジェクト別の企業数・大学数")))


def regions_chart(rows: Sequence[Row]) -> Markup | None:
    """Companies and universities summed per region (regions in table order), with the project count."""
    import pandas as pd

    totals: dict[str, dict[str, Any]] = {}
    for row in rows:
        region = _label(row.get("region")) or "(none)"
        total = totals.setdefault(region, {"region": region, "companies": 0, "universities": 0, "projects": 0})
        total["projects"] += 1
        for column in ("companies", "universities"):
            total[column] += int(_number(row.get(column)) or 0)
    if not totals:
        return None
    frame = pd.DataFrame(list(totals.values()))
    frame["label"] = [f"{t['region']}（{t['projects']}件）" for t in totals.values()]
    order = list(frame["label"])
    return to_svg(_config(_counts_chart(frame, "label", order, "地域別の企業数・大学数（プロジェクト数）")))


def changes_chart(pairs: Mapping[str, Sequence[tuple[str, Row | None, Row | None]]]) -> Markup | None:
    """Old against new values per project (companies, universities) and budget line (億円).

    ``pairs`` maps a table to :func:`pipeline.audit.diff.pair_rows` output. Each row is a line from its
    old value (hollow) to its new one (filled), coloured by status: same, changed, renamed, added, removed.
    """
    import altair as alt
    import pandas as pd

    measures = [
        ("projects", "companies", "companies (社)", 1),
        ("projects", "universities", "universities (大学)", 1),
        ("budget", "amount_yen", "budget (億円)", OKU),
    ]
    panels = []
    for table, column, title, scale in measures:
        rows = pairs.get(table) or []
        if not rows:
            continue
        labels = []
        data = []
        for status, before, after in rows:
            row = after if after is not None else before
            assert row is not None
            if table == "budget":
                name = f"{_label(row.get('ministry'))} / {_label(row.get('item'))}"
            elif status == "renamed" and before is not None:
                name = f"{_label(before.get('name'))} → {_label(row.get('name'))}"
            else:
                name = _label(row.get("name"))
            old = _number(before.get(column)) if before is not None else None
            new = _number(after.get(column)) if after is not None else None
            if status == "changed" and old == new:
                status = "same"  # changed in another column (or only by a shift): this value did not move
            labels.append(name)
            data.append(
                {
                    "status": status,
                    "old": None if old is None else old / scale,
                    "new": None if new is None else new / scale,
                }
            )
        labels = _unique(labels)
        frame = pd.DataFrame(data).assign(row=labels)
        frame["old_label"] = "old: " + frame["row"]
        frame["new_label"] = "new: " + frame["row"]
        y = alt.Y("row:N", sort=labels, title=None)
        colour = alt.Color(
            "status:N",
            scale=alt.Scale(domain=list(STATUS_COLOURS), range=list(STATUS_COLOURS.values())),
            legend=alt.Legend(orient="top", title="status"),
        )
        base = alt.Chart(frame).encode(y=y)
        rule = base.mark_rule(strokeWidth=2).encode(x=alt.X("old:Q", title=title), x2="new:Q", color=colour)
        old_points = base.mark_point(filled=False, size=50, strokeWidth=1.5).encode(
            x="old:Q", color=colour, description=alt.Description("old_label:N")
        )
        new_points = base.mark_point(filled=True, size=60, opacity=1).encode(
            x="new:Q", color=colour, description=alt.Description("new_label:N")
        )
        panels.append(
            (rule + old_points + new_points).properties(width=300, height=BAR_HEIGHT * len(labels), title=title)
        )
    if not panels:
        return None
    chart = alt.hconcat(*panels[:2]) if len(panels) > 1 and pairs.get("projects") else panels[0]
    rest = panels[2:] if len(panels) > 1 and pairs.get("projects") else panels[1:]
    if rest:
        chart = alt.vconcat(chart, *rest)
    chart = chart.properties(title="版の間の変化（○ 旧 → ● 新）").resolve_scale(color="shared")
    return to_svg(_config(chart))
