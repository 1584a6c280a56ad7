"""Page layout for PDF ingest: framed boxes, rules, and placing self-contained units in the reading order.

A page is read as one horizontal flow (``pdf._order``: lines, tables, columns split at their gutter)
holding self-contained units, each read whole:

- a framed box (a drawn rectangle holding text, such as two budget boxes side by side) is read on its
  own, all of it, so that its lines are never interleaved with a neighbour's; boxes whose heights
  overlap are one row, read left to right (``find_boxes``, ``split_by_boxes``). The column logic
  places a row of boxes as it places a table, by its bounding box;
- a unit of vertical text (``pdf_vertical.vertical_units``: a tier of columns, or a band of vertical
  headings or captions beside horizontal text) is read whole in Japanese order and placed by
  ``insert_units``: before the first element of the flow below its top that shares its horizontal
  extent (in a two-column flow, the element of its own column), else before the first element below
  its top. A heading band level with the body's first line therefore comes before the body.

Elements are duck-typed on ``x0``, ``top``, ``x1``, ``bottom``, as the flow's lines and tables are.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any, Protocol, TypeVar

from pipeline.readers.pdf_vertical import Rule

Char = dict[str, Any]

BOX_MIN_WIDTH = 4.0
"""A frame narrower than this many glyph sizes is a cell, a bullet or a mark, not a box of text."""
BOX_MIN_HEIGHT = 1.2
BOX_MAX_PAGE_SHARE = 0.8
"""A frame over this share of the page area is a page border, not a box."""
FRAME_EDGE_SHARE = 0.1
"""A curve is a frame when its points all lie this share of its smaller side from an edge of its bbox."""
RULE_MAX_THICKNESS = 2.0
"""A rectangle at most this many points high is a drawn rule."""
MAX_BOX_CANDIDATES = 200
"""Only the largest frames are considered: a page of thousands (a chart's bars) is a drawing."""
PLACE_TOLERANCE = 2.0
"""Points of slack when comparing a unit's top with the flow's tops."""


class Boxed(Protocol):
    """Anything with a bounding box in pdfplumber's top-down coordinates."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Box:
    """A framed rectangle of the page (pdfplumber coordinates: top-down)."""

    x0: float
    top: float
    x1: float
    bottom: float

    def holds(self, x0: float, top: float, x1: float, bottom: float) -> bool:
        """Whether the centre of the given box lies inside this one."""
        h, v = (x0 + x1) / 2, (top + bottom) / 2
        return self.x0 <= h < self.x1 and self.top <= v < self.bottom


E = TypeVar("E", bound=Boxed)


def horizontal_rules(page: Any) -> list[Rule]:
    """The page's horizontal rules (lines, thin rectangles) as ``Rule``s."""
    rules = [Rule(ln["x0"], ln["x1"], (ln["top"] + ln["bottom"]) / 2)
             for ln in page.lines if abs(ln["bottom"] - ln["top"]) <= RULE_MAX_THICKNESS]
    rules += [Rule(r["x0"], r["x1"], (r["top"] + r["bottom"]) / 2)
              for r in page.rects if r["height"] <= RULE_MAX_THICKNESS and r["width"] > r["height"]]
    return rules


def find_boxes(
    rects: Sequence[dict[str, Any]], chars: Sequence[Char], tables: Sequence[Boxed], page_bbox: Sequence[float]
) -> list[list[Box]]:
    """The framed boxes holding some of ``chars``, outermost only, in rows (boxes side by side), top
    to bottom, each row left to right.

    ``rects`` are pdfplumber's rects and curves (a rounded frame is a curve; a curve counts only if
    it is frame-like, see ``_frame_like``).

    Rectangles inside a ruled table (its cells) are not boxes; neither is a page border.
    """
    if not rects or not chars:
        return []
    size = median(float(c["size"]) or 10.0 for c in chars)
    page_area = (page_bbox[2] - page_bbox[0]) * (page_bbox[3] - page_bbox[1])
    candidates: list[Box] = []
    shading = cell_shading(rects)
    for k, r in enumerate(rects):
        if r.get("object_type") == "curve" and not _frame_like(r.get("pts") or [], r):
            continue
        if k in shading:
            continue  # a table's cells shaded side by side (a zebra row, a header's band): no frame
        box = Box(r["x0"], r["top"], r["x1"], r["bottom"])
        w, h = box.x1 - box.x0, box.bottom - box.top
        if w < BOX_MIN_WIDTH * size or h < BOX_MIN_HEIGHT * size or w * h > BOX_MAX_PAGE_SHARE * page_area:
            continue
        if any(_within(box, t) for t in tables):
            continue
        candidates.append(box)
    if not candidates:
        return []
    candidates.sort(key=lambda b: (b.x1 - b.x0) * (b.bottom - b.top), reverse=True)
    kept: list[Box] = []
    for box in candidates[:MAX_BOX_CANDIDATES]:  # largest first: a box inside a kept box is part of it
        if not any(_overlap(box, k) for k in kept):
            kept.append(box)
    kept = [b for b in kept if any(b.holds(c["x0"], c["top"], c["x1"], c["bottom"]) for c in chars)]
    return _rows(kept)


def cell_shading(rects: Sequence[dict[str, Any]]) -> set[int]:
    """Indexes of the filled, unstroked rectangles that touch another such one of the same height at the same
    height side by side: a table row's cells shaded one by one (a zebra row, a header's band), which frame no
    box; cards side by side stand apart."""
    fills = [(k, r) for k, r in enumerate(rects)  # (a cell's height: a border drawn as a thin fill is a rule)
             if r.get("object_type") != "curve" and r.get("fill") and not r.get("stroke")
             and r["bottom"] - r["top"] >= SHADING_MIN_HEIGHT and r["x1"] - r["x0"] >= SHADING_MIN_HEIGHT]
    out: set[int] = set()
    by_row: dict[tuple[float, float], list[tuple[int, dict[str, Any]]]] = {}
    for k, r in fills:
        by_row.setdefault((round(r["top"], 1), round(r["bottom"], 1)), []).append((k, r))
    for row in by_row.values():
        row.sort(key=lambda kr: kr[1]["x0"])
        for (k1, a), (k2, b) in itertools.pairwise(row):
            if abs(b["x0"] - a["x1"]) <= _TOUCH:
                out.update((k1, k2))
    return out


_TOUCH = 0.5  # points between two cells' shading that still touch
SHADING_MIN_HEIGHT = 6.0
"""A cell's shading is this many points high and wide at least (a line of small text); a thinner fill is a rule."""


def _frame_like(pts: Sequence[tuple[float, float]], bbox: dict[str, Any]) -> bool:
    """Whether a curve is a frame (a rounded rectangle): closed, every point near an edge of its bbox.

    A circle, a chart's line or an arrow is not.
    """
    if len(pts) < 4:
        return False
    x0, top, x1, bottom = bbox["x0"], bbox["top"], bbox["x1"], bbox["bottom"]
    near = FRAME_EDGE_SHARE * min(x1 - x0, bottom - top)
    (ax, ay), (bx, by) = pts[0], pts[-1]
    if abs(ax - bx) > near or abs(ay - by) > near:
        return False
    return all(min(x - x0, x1 - x, y - top, bottom - y) <= near for x, y in pts)


def straddles(table: Boxed, boxes: Sequence[Sequence[Box]]) -> bool:
    """Whether ``table`` runs across a framed box's border: it overlaps a box of ``boxes`` (rows of them)
    without holding it whole or lying inside it. A table read from aligned glyphs that does so is text
    side by side with the box (a budget table beside cards of hubs whose first lines stand level with its
    title), not a table."""
    return any(_overlap(table, b) and not _within(b, table) and not _within(table, b) for row in boxes for b in row)


def _within(inner: Boxed, outer: Boxed, slack: float = 1.0) -> bool:
    return (inner.x0 >= outer.x0 - slack and inner.x1 <= outer.x1 + slack
            and inner.top >= outer.top - slack and inner.bottom <= outer.bottom + slack)


def _overlap(a: Boxed, b: Boxed) -> bool:
    return min(a.x1, b.x1) > max(a.x0, b.x0) and min(a.bottom, b.bottom) > max(a.top, b.top)


def _rows(boxes: list[Box]) -> list[list[Box]]:
    """Boxes in rows (boxes whose heights overlap), top to bottom, each row left to right."""
    boxes = sorted(boxes, key=lambda b: b.top)
    rows: list[list[Box]] = []
    for b in boxes:
        if rows and any(min(b.bottom, o.bottom) > max(b.top, o.top) for o in rows[-1]):
            rows[-1].append(b)
        else:
            rows.append([b])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def split_by_boxes(
    rows: Sequence[Sequence[Box]], chars: Sequence[Char], tables: Sequence[E]
) -> tuple[list[Char], list[E], list[list[tuple[Box, list[Char], list[E]]]]]:
    """(chars outside every box, tables outside every box, per row of boxes [(box, its chars, its
    tables)], boxes left with nothing left out)."""
    inside: list[tuple[Box, list[Char], list[E]]] = [(b, [], []) for row in rows for b in row]
    rest_chars: list[Char] = []
    rest_tables: list[E] = []
    for c in chars:
        for _, bc, _ in (u for u in inside if u[0].holds(c["x0"], c["top"], c["x1"], c["bottom"])):
            bc.append(c)
            break
        else:
            rest_chars.append(c)
    for t in tables:
        for _, _, bt in (u for u in inside if u[0].holds(t.x0, t.top, t.x1, t.bottom)):
            bt.append(t)
            break
        else:
            rest_tables.append(t)
    out: list[list[tuple[Box, list[Char], list[E]]]] = []
    k = 0
    for row in rows:
        filled = [u for u in inside[k : k + len(row)] if u[1] or u[2]]
        k += len(row)
        if filled:
            out.append(filled)
    return rest_chars, rest_tables, out


def insert_units(flow: list[E], units: Sequence[Sequence[E]]) -> list[E]:
    """``flow`` with each unit (a run of elements, in order) placed whole at its position.

    Units are placed in the order given; a unit never goes before the previous unit's place.
    """
    out = list(flow)
    floor = 0
    for unit in units:
        if not unit:
            continue
        x0, x1 = min(e.x0 for e in unit), max(e.x1 for e in unit)
        top = min(e.top for e in unit)
        at = _place(out, floor, x0, top, x1)
        out[at:at] = unit
        floor = at + len(unit)
    return out


def _place(flow: Sequence[Boxed], floor: int, x0: float, top: float, x1: float) -> int:
    below: Callable[[Boxed], bool] = lambda e: e.top >= top - PLACE_TOLERANCE  # noqa: E731
    shares: Callable[[Boxed], bool] = lambda e: min(e.x1, x1) > max(e.x0, x0)  # noqa: E731
    for k in range(floor, len(flow)):
        if below(flow[k]) and shares(flow[k]):
            return k
    last_above = max((k + 1 for k in range(floor, len(flow)) if shares(flow[k])), default=None)
    if last_above is not None:
        return last_above
    for k in range(floor, len(flow)):
        if below(flow[k]):
            return k
    return len(flow)
