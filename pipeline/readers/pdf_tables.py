"""Borderless tables: columns aligned by position, with no rules or one rule under the header.

pdfplumber's line-based finder only sees tables drawn with a grid. A borderless table is found from
its glyphs instead:

1. The page's glyphs are grouped into lines; each line into segments separated by gaps wider than
   ``SEGMENT_GAP`` glyph sizes (a Japanese line has no word spaces, and the blank of ``関　東`` is one
   glyph size wide, so a wider gap is a column gap).
2. A table starts at a header line: three segments or more, none holding a digit (a header names its
   columns; a line of figures, or a label/amount pair, is not a header), no label twice (but a header
   repeated side by side: a long table set in halves, read as one, the left half's rows first), no label with
   its value (分野：バイオ), and not every one opening with a list or heading mark (【北海道】　【東北】　【九州】:
   the headings of three columns of text whose lines stand at one pitch, as a table's rows would).
3. It grows downward while every column gap of the header stays free in the next line and the line
   follows within ``MAX_LINE_GAP`` glyph sizes: a line that runs across a gap (prose, a title) ends it.
   A line that leaves a blank of ``MIN_GAP_WIDTH`` glyph sizes inside the gap (a long cell one
   full-width space before the next column) does not run across it.
4. It is kept with two body rows at least, and unless every column is filled edge to edge by long
   lines like running text (columns of prose are not a table). If the lines it took in make no table,
   it is tried again without the lines after each paragraph's gap, last first: a heading or caption
   under a table, one blank line down, leaves its column gaps free yet is no row of it.
5. Lines are grouped into rows (the header row first): a new row starts where the line pitch opens up (the padding
   between rows is wider than the leading inside a multi-line cell), at a horizontal rule, or, when
   the pitch is even, where the first column has text.
6. A table ending a page may go on at the next page's top with no header: the lines there that keep its
   column gaps free are its rows (``carried``), a table of no header the page's reader joins to it.
7. Two columns set closer than a column gap (one full-width space) come out as one; where its header
   holds two labels set apart by a space and every filled cell under it as many parts, it is split.

Cells hold their lines joined by the caller's ``cell_text`` (readers/pdf.py joins Japanese without a
space), so the table is written into the page text as a ruled table is, with ``Cell`` offsets.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from operator import itemgetter
from statistics import median
from typing import Any

from pdfplumber.utils import cluster_objects

from pipeline.core.source import repeated_header

Char = dict[str, Any]

SEGMENT_GAP = 1.2
"""A gap wider than this many glyph sizes inside a line separates two cells."""
MIN_COLUMNS = 3
MIN_BODY_ROWS = 2
HEADING_SIZE = 1.2  # a line whose glyphs are this much bigger than the header's is a heading, no row
MAX_LINE_GAP = 3.0
"""Glyph sizes between two lines of the same table at most (row padding included)."""
MIN_GAP_WIDTH = 0.5
"""A column gap narrower than this many glyph sizes (after the lines below narrowed it) is closed."""
PROSE_FILL = 0.9
PROSE_MIN_GLYPHS = 8
"""A column whose lines fill it edge to edge with this many glyphs or more reads as running text."""
ROW_PITCH_JUMP = 1.3
Y_TOLERANCE = 3.0

_DIGIT = re.compile(r"[0-9０-９]")


CellBreaks = Callable[[list[Char], float], tuple[str, tuple[int, ...]]]
"""A cell's glyphs and its right edge -> its text and where a line ended short of the edge."""


@dataclass
class TableBox:
    """A table's rows of cell texts and its box (pdfplumber coordinates): ruled, or found by alignment."""

    rows: list[list[str]]
    x0: float
    top: float
    x1: float
    bottom: float
    # Per row, per cell: where a line ended short of the cell's right edge (``Cell.breaks``); a borderless
    # table's cell ends where its column's widest line does.
    breaks: list[list[tuple[int, ...]]] | None = None
    # A borderless table's column gaps (x ranges): a table going on at the next page's top keeps them.
    gaps: tuple[tuple[float, float], ...] = ()


@dataclass
class _TLine:
    chars: list[Char]
    top: float
    bottom: float
    segments: list[tuple[float, float]]

    @property
    def text(self) -> str:
        return "".join(c["text"] for c in sorted(self.chars, key=itemgetter("x0")))


def _segments(chars: Sequence[Char], gap: float) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for c in sorted(chars, key=itemgetter("x0")):
        if spans and c["x0"] <= spans[-1][1] + gap:
            spans[-1] = (spans[-1][0], max(spans[-1][1], c["x1"]))
        else:
            spans.append((c["x0"], c["x1"]))
    return spans


def _free_between(segments: Sequence[tuple[float, float]]) -> list[tuple[float, float]]:
    return [(a[1], b[0]) for a, b in zip(segments, segments[1:], strict=False)]


def _narrow(gaps: Sequence[tuple[float, float]], line: _TLine, min_width: float) -> list[tuple[float, float]] | None:
    """The gaps left free by ``line`` (each narrowed by its glyphs), or None if one is crossed.

    A line whose segment runs across a gap may still leave a blank there as wide as ``min_width``
    (a long name one full-width space before the next column: 北大リサーチ＆ビジネスパーク　北海道): under the
    header's gap, that blank is the column gap. Only a line with no such blank crosses it."""
    narrowed = _narrow_by(gaps, line.segments, min_width)
    if narrowed is None:
        narrowed = _narrow_by(gaps, _segments(line.chars, 0.9 * min_width), min_width)
    return narrowed


def _narrow_by(gaps: Sequence[tuple[float, float]], segments: Sequence[tuple[float, float]],
               min_width: float) -> list[tuple[float, float]] | None:
    out = []
    for g0, g1 in gaps:
        lo, hi = g0, g1
        for a, b in segments:
            if a < hi and b > lo:  # the segment intrudes into the gap
                if a <= lo and b >= hi:
                    return None
                if a <= lo:
                    lo = b
                elif b >= hi:
                    hi = a
                elif a - lo < hi - b:  # inside the gap: a wider or offset cell, of the nearer column
                    lo = b
                else:
                    hi = a
        if hi - lo < min_width:
            return None
        out.append((lo, hi))
    return out


def _lines(chars: Sequence[Char]) -> list[_TLine]:
    out = []
    for cluster in cluster_objects(list(chars), itemgetter("top"), Y_TOLERANCE):
        gap = SEGMENT_GAP * (median(c["size"] for c in cluster) or 10.0)  # a table may be set smaller
        out.append(_TLine(cluster, min(c["top"] for c in cluster), max(c["bottom"] for c in cluster),
                          _segments(cluster, gap)))
    out.sort(key=lambda ln: ln.top)
    return out


def _is_header(line: _TLine) -> bool:
    """Whether a line can head a table: three cells or more naming columns. A header holds no figure; its
    labels differ from one another; none is a label with its value (分野：バイオ; a colon inside brackets,
    予算額（単位：億円）, is the label's own); and they do not all open with a list or heading mark (【北海道】
    【東北】【九州】, ◆…　◆…: the headings of columns of text)."""
    if len(line.segments) < MIN_COLUMNS or _DIGIT.search(line.text):
        return False
    cells = _segment_texts(line)
    if (len(set(cells)) < len(cells) and not repeated_header(cells)) or any(
            _LABELLED.search(_BRACKETED.sub("", cell)) for cell in cells):
        return False
    return not all(cell[:1] in _MARKS for cell in cells)



def _segment_texts(line: _TLine) -> list[str]:
    """The text of each of a line's segments."""
    return ["".join(c["text"] for c in sorted(line.chars, key=itemgetter("x0")) if a <= c["x0"] and c["x1"] <= b + 0.01)
            for a, b in line.segments]


_MARKS = frozenset("◆◇■□●○◎・【［[〔〈《★☆▲△▼▽※")
_LABELLED = re.compile(r"\S[:：]\s*\S")
_BRACKETED = re.compile(r"[（(][^（）()]*[）)]")


def _looks_like_prose(lines: Sequence[_TLine], bounds: Sequence[tuple[float, float]]) -> bool:
    """Whether every column is filled edge to edge by long lines, like columns of running text."""
    for lo, hi in bounds:
        parts = [[c for c in ln.chars if lo <= (c["x0"] + c["x1"]) / 2 < hi] for ln in lines]
        parts = [p for p in parts if p]
        if not parts:
            return False
        left = min(c["x0"] for p in parts for c in p)
        right = max(c["x1"] for p in parts for c in p)
        fills = [(max(c["x1"] for c in p) - min(c["x0"] for c in p)) / max(right - left, 1e-6) for p in parts]
        if median(fills) < PROSE_FILL or median(len(p) for p in parts) < PROSE_MIN_GLYPHS:
            return False
    return True


def _row_groups(body: Sequence[_TLine], bounds: Sequence[tuple[float, float]],
                rules: Sequence[float]) -> list[list[_TLine]]:
    pitches = [b.top - a.top for a, b in zip(body, body[1:], strict=False)]
    leading = min(pitches) if pitches else 0.0
    even = not pitches or max(pitches) <= ROW_PITCH_JUMP * leading
    first_lo, first_hi = bounds[0]
    groups: list[list[_TLine]] = []
    for k, ln in enumerate(body):
        if k == 0:
            groups.append([ln])
            continue
        prev = body[k - 1]
        ruled = any(prev.bottom <= y <= ln.top for y in rules)
        if even:
            new_row = ruled or any(first_lo <= (c["x0"] + c["x1"]) / 2 < first_hi for c in ln.chars)
        else:
            new_row = ruled or ln.top - prev.top > ROW_PITCH_JUMP * leading
        if new_row:
            groups.append([ln])
        else:
            groups[-1].append(ln)
    return groups


def find_borderless_tables(
    chars: Sequence[Char],
    cell_text: Callable[[list[Char]], str],
    rules: Sequence[float] = (),
    cell_breaks: CellBreaks | None = None,
    carried: tuple[tuple[float, float], ...] = (),
    furniture_bottom: float = 0.0,
) -> list[TableBox]:
    """Borderless tables among a page's glyphs; ``rules`` are the y of its horizontal rules.

    ``cell_text`` turns the glyphs of one cell into its text (lines joined); ``cell_breaks``, given the
    column's right edge too, also says where a line ended short of it (``TableBox.breaks``). ``carried``: the
    column gaps of a table the page before ended with; the lines opening this page that keep them free (past
    lines above ``furniture_bottom``, a running head's) are that table's rows going on, a table of no header.
    """
    visible = [c for c in chars if not c["text"].isspace()]
    if not visible:
        return []
    lines = _lines(visible)
    tables: list[TableBox] = []
    i = 0
    if carried:
        while i < len(lines) and lines[i].bottom <= furniture_bottom and _narrow(
                carried, lines[i], MIN_GAP_WIDTH * (median(c["size"] for c in lines[i].chars) or 10.0)) is None:
            i += 1  # (a running head over the page's first row)
        size = (median(c["size"] for c in lines[i].chars) or 10.0) if i < len(lines) else 10.0
        block, gaps, i = _grow(lines, i, [], list(carried), size)
        going_on = _table(block, gaps, cell_text, rules, cell_breaks, headless=True) if block else None
        if going_on is not None:
            tables.append(going_on)
        else:
            i = 0
    while i < len(lines):
        head = lines[i]
        if not _is_header(head):
            i += 1
            continue
        size = median(c["size"] for c in head.chars) or 10.0
        gaps = _free_between(head.segments)
        block, gaps, j = _grow(lines, i + 1, [head], gaps, size, HEADING_SIZE * size)
        table = _table(block, gaps, cell_text, rules, cell_breaks)
        if table is None:  # a caption or heading after the table, past a paragraph's gap, spoilt it
            for k in _paragraph_breaks(block):
                table = _table(block[:k], _gaps_of(block[:k], size), cell_text, rules, cell_breaks)
                if table is not None:
                    j = i + k
                    break
        if table is None:
            i += 1
            continue
        tables.append(table)
        i = j
    return tables


def _grow(lines: Sequence[_TLine], j: int, block: list[_TLine], gaps: Sequence[tuple[float, float]], size: float,
          max_size: float | None = None) -> tuple[list[_TLine], list[tuple[float, float]], int]:
    """``block`` grown from line ``j`` down while each line follows within ``MAX_LINE_GAP`` glyph sizes, keeps
    the column ``gaps`` free (narrowing them) and, with ``max_size``, is set no bigger (a line set bigger than the
    header is a heading over what follows: the table ended above it); the block, its gaps, the next line."""
    gaps = list(gaps)
    while (j < len(lines) and (not block or lines[j].top - block[-1].bottom <= MAX_LINE_GAP * size)
           and (max_size is None or median(c["size"] for c in lines[j].chars) <= max_size)):
        narrowed = _narrow(gaps, lines[j], MIN_GAP_WIDTH * size)
        if narrowed is None:
            break
        gaps = narrowed
        block.append(lines[j])
        j += 1
    return block, gaps, j


def _paragraph_breaks(block: Sequence[_TLine]) -> list[int]:
    """Where the pitch between a block's lines opens past ``ROW_PITCH_JUMP`` times its tightest (a blank
    line's worth), last first, keeping a header and ``MIN_BODY_ROWS`` lines before each."""
    pitches = [b.top - a.top for a, b in zip(block, block[1:], strict=False)]
    if not pitches:
        return []
    leading = min(pitches)
    return [k for k in range(len(block) - 1, MIN_BODY_ROWS, -1)
            if block[k].top - block[k - 1].top > ROW_PITCH_JUMP * leading]


def _gaps_of(block: Sequence[_TLine], size: float) -> list[tuple[float, float]]:
    """The header's column gaps as the block's lines narrow them (they all keep them open)."""
    gaps = _free_between(block[0].segments)
    for ln in block[1:]:
        narrowed = _narrow(gaps, ln, MIN_GAP_WIDTH * size)
        if narrowed is None:
            break
        gaps = narrowed
    return gaps


def _table(block: Sequence[_TLine], gaps: Sequence[tuple[float, float]],
           cell_text: Callable[[list[Char]], str], rules: Sequence[float],
           cell_breaks: CellBreaks | None = None, headless: bool = False) -> TableBox | None:
    """The table of ``block`` under its column ``gaps``, its first row the header (``headless``: no header, the
    rows of a table the page before began); None when it reads as no table."""
    least = 1 if headless else 1 + MIN_BODY_ROWS
    if len(block) < least:
        return None
    x0 = min(c["x0"] for ln in block for c in ln.chars)
    x1 = max(c["x1"] for ln in block for c in ln.chars)
    cuts = [(a + b) / 2 for a, b in gaps]
    bounds = list(zip([x0, *cuts], [*cuts, x1 + 1], strict=True))
    if _looks_like_prose(block, bounds):
        return None
    groups = _row_groups(block, bounds, rules)  # a header wrapped over two lines stays one row
    if len(groups) < least:
        return None
    rows: list[list[str]] = []
    breaks: list[list[tuple[int, ...]]] = []
    # A column's right edge is where its widest line ends: a line of a cell ending short of it, another line
    # under it, was ended by hand (one name a line), not wrapped by the column's width.
    rights = [max((c["x1"] for ln in block for c in ln.chars if lo <= (c["x0"] + c["x1"]) / 2 < hi), default=hi)
              for lo, hi in bounds]
    for group in groups:
        cells, row_breaks = [], []
        for (lo, hi), right in zip(bounds, rights, strict=True):
            inside = [c for ln in group for c in ln.chars if lo <= (c["x0"] + c["x1"]) / 2 < hi]
            if cell_breaks is not None:
                text, at = cell_breaks(inside, right)
            else:
                text, at = cell_text(inside), ()
            cells.append(text)
            row_breaks.append(at)
        rows.append(cells)
        breaks.append(row_breaks)
    if headless:
        if not any(sum(1 for cell in row if cell) >= 2 for row in rows):
            return None
    elif sum(1 for row in rows[1:] if sum(1 for cell in row if cell) >= 2) < MIN_BODY_ROWS:
        return None
    if not headless and (width := repeated_header(rows[0])):
        # A long table set in halves side by side under one header repeated: one table, the left half's rows
        # first, then each next half's (the order they are read in)
        body = [(h, k) for h in range(0, len(rows[0]), width) for k in range(1, len(rows))
                if any(rows[k][h : h + width])]
        rows = [rows[0][:width], *(rows[k][h : h + width] for h, k in body)]
        breaks = [breaks[0][:width], *(breaks[k][h : h + width] for h, k in body)]
    split = _split_paired_columns(rows)
    if any(len(a) != len(b) for a, b in zip(split, rows, strict=True)):
        breaks = [[() for _ in row] for row in split]  # (a split cell's breaks would point past its text)
    top, bottom = min(ln.top for ln in block), max(ln.bottom for ln in block) + 0.01
    return TableBox(split, x0, top, x1 + 0.01, bottom, breaks if cell_breaks is not None else None, tuple(gaps))


def _split_paired_columns(rows: list[list[str]]) -> list[list[str]]:
    """Columns set closer than a column gap (参加企業数　参加大学数, one full-width space apart) come out as
    one column whose cells hold a space: such a column is split where its header holds labels of two
    characters or more set apart by spaces and every filled cell under it holds as many parts."""
    out = [list(row) for row in rows]
    for c in range(len(rows[0]) - 1, -1, -1):
        labels = rows[0][c].split()
        if len(labels) < 2 or any(len(label) < 2 for label in labels):
            continue
        body = [row[c].split() if c < len(row) else [] for row in rows[1:]]
        if not all(len(parts) in (0, len(labels)) for parts in body) or not any(body):
            continue
        for row, parts in zip(out, [labels, *body], strict=True):
            row[c : c + 1] = parts or [""] * len(labels)
    return out
