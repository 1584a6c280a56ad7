"""Vertical writing (縦書き) in a PDF page: which glyphs run top to bottom, and their Japanese reading order.

Glyph direction. pdfminer reports vertical CID fonts as ``upright`` glyphs with an identity matrix, so
the flag does not tell vertical from horizontal writing. Like pdfminer's own layout analysis
(``LAParams(detect_vertical=True)`` groups each glyph with the next one in the content stream), the
direction comes from consecutive glyphs of the content stream: the next glyph directly below (same
column centre, touching) is a vertical link, directly to the right (same top, touching) a horizontal
link. A glyph with more vertical than horizontal links is vertical, unless its run of vertical glyphs
is spaced (not set solid) and mostly sits level with horizontal lines of text: that is a table column
of one-glyph cells drawn top to bottom (○, ×, ３ ...), a line's leading apart, not vertical writing.
pdfminer's layout analysis itself is not run: only its pairing is needed (its text boxes would still
need the tier and column order and the 縦中横 handling below), and on the seed rendered as a PDF it
adds about 30 % to the whole ingest time, where this pass adds almost nothing.

A glyph linked to neither stream neighbour is vertical when the glyphs before and after it are, and
one of them is within a few columns of it.

縦中横 (sideways digits set across a column, the ``21`` of 平成21年度): a short horizontal run, no wider
than a glyph and a half, directly above or below vertical glyphs of the same column, belongs to that
column and is read in its place, left to right.

Reading order: the vertical glyphs are cut into blocks, first into tiers (段) at empty horizontal bands
(at least ``TIER_GAP`` glyphs high) or at horizontal rules, top to bottom; a tier is cut into blocks at
wide empty vertical bands (``BLOCK_GAP`` glyphs), right to left, recursively. A block's columns are
read right to left, each column top to bottom (glyphs at the same height, 縦中横, left to right).
pdfplumber's ``extract_words(line_dir="rtl", char_dir="ttb")`` reads a known vertical region the same
way, but it clusters columns on their right edge, which puts the narrower 縦中横 digits in a column of
their own; columns are clustered here on their centres with ``cluster_objects``.

Vertical presentation forms (︑︒﹁﹂︵︶…, U+FE10-FE19 and U+FE30-FE4F) are written in their ordinary
form (NFKC of those characters only, ︙ and ︰ as … and ‥), as a horizontal text would have them; the
sesame dots set beside a column for emphasis (﹅﹆) are dropped.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from pdfplumber.utils import cluster_objects

Char = dict[str, Any]

TOUCH = 0.5
"""Two consecutive glyphs are linked when the gap between them is below this share of the glyph size."""
ROW_ALIGNED = 0.6
"""A vertical run of spaced glyphs that mostly sit level with horizontal lines of text is a table column
drawn top to bottom (one short cell a row), not vertical writing."""
SOLID_GAP = 0.1
"""... spaced: a mean gap of at least this share of the size; vertical writing is mostly set solid."""
OVERLAP = 0.2
"""... or when they overlap by less than this share (kerning, rounding)."""
ALIGN = 0.3
"""Centres (vertical link) or tops (horizontal link) within this share of the size are aligned."""
TATECHUYOKO_WIDTH = 1.5
"""A horizontal run at most this many glyph sizes wide can be 縦中横 inside a column."""
TIER_GAP = 0.8
"""An empty horizontal band at least this many glyph sizes high separates two tiers."""
BLOCK_GAP = 2.0
"""An empty vertical band at least this many glyph sizes wide separates two blocks of columns."""
COLUMN_SPACE = 0.5
"""A gap inside a column wider than this share of the glyph size is written as a space."""
MAX_CUT_DEPTH = 8

# Vertical presentation forms -> what a horizontal text has. NFKC gives one character for most; it turns
# the vertical ellipsis and two-dot leader into ASCII dots, where Japanese text has … and ‥, and leaves
# the sesame dots (傍点, emphasis marks beside a column, not text) alone.
_VERTICAL_FORMS: dict[int, str] = {
    cp: unicodedata.normalize("NFKC", chr(cp))
    for cp in [*range(0xFE10, 0xFE1A), *range(0xFE30, 0xFE50)]
    if len(unicodedata.normalize("NFKC", chr(cp))) == 1 and unicodedata.normalize("NFKC", chr(cp)) != chr(cp)
}
_VERTICAL_FORMS.update({0xFE19: "…", 0xFE30: "‥", 0xFE45: "", 0xFE46: ""})


@dataclass
class Column:
    """One column of vertical text: its text top to bottom and its bounding box."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass
class Rule:
    """A horizontal rule (a line or a thin rectangle) that may separate two tiers."""

    x0: float
    x1: float
    y: float


def normalise_vertical_forms(text: str) -> str:
    """Vertical presentation forms (︑ ︒ ﹁ ﹂ ︵ ︙ ...) -> their ordinary characters (、 。 「 」 ( … ...);
    sesame dots (﹅ ﹆, emphasis marks) are dropped."""
    return text.translate(_VERTICAL_FORMS)


def _size(c: Char) -> float:
    return float(c["size"]) or 10.0


def _x_mid(c: Char) -> float:
    return (c["x0"] + c["x1"]) / 2


def _y_mid(c: Char) -> float:
    return (c["top"] + c["bottom"]) / 2


def _link(a: Char, b: Char) -> str | None:
    """'v' if ``b`` follows ``a`` downwards in the same column, 'h' if rightwards on the same line."""
    size = min(_size(a), _size(b))
    if abs(_x_mid(a) - _x_mid(b)) <= ALIGN * size and -OVERLAP * size <= b["top"] - a["bottom"] <= TOUCH * size:
        return "v"
    if abs(a["top"] - b["top"]) <= ALIGN * size and -OVERLAP * size <= b["x0"] - a["x1"] <= TOUCH * size:
        return "h"
    return None


def _near(a: Char, b: Char) -> bool:
    """Whether ``b`` is within a few columns of ``a`` (a column pitch is rarely over two glyphs)."""
    return abs(_x_mid(a) - _x_mid(b)) <= 3 * max(_size(a), _size(b))


def split_directions(chars: Sequence[Char]) -> tuple[list[Char], list[Char]]:
    """The page's glyphs (in content-stream order) -> (horizontal glyphs, vertical glyphs), each in order.

    縦中横 runs are moved to the vertical glyphs of their column.
    """
    n = len(chars)
    if n < 2:
        return list(chars), []
    votes = [0] * n  # vertical links minus horizontal links
    h_next = [False] * n  # glyph i is horizontally linked to glyph i + 1
    v_next = [False] * n  # ... vertically
    for i in range(n - 1):
        kind = _link(chars[i], chars[i + 1])
        if kind == "v":
            votes[i] += 1
            votes[i + 1] += 1
            v_next[i] = True
        elif kind == "h":
            votes[i] -= 1
            votes[i + 1] -= 1
            h_next[i] = True
    vertical = [votes[i] > 0 for i in range(n)]
    if not any(vertical):
        return list(chars), []
    _drop_table_columns(chars, vertical, h_next, v_next)
    if not any(vertical):
        return list(chars), []
    linked = [h_next[i] or (i and h_next[i - 1]) or votes[i] != 0 for i in range(n)]
    for i in range(n):
        # A glyph linked to neither neighbour (a column of one glyph, the 。 carried over to a column of
        # its own) follows the stream around it when that is vertical on both sides.
        if not linked[i] and 0 < i < n - 1 and vertical[i - 1] and vertical[i + 1] and (
            _near(chars[i], chars[i - 1]) or _near(chars[i], chars[i + 1])
        ):
            vertical[i] = True
    _absorb_tatechuyoko(chars, vertical, h_next)
    return [c for c, v in zip(chars, vertical, strict=True) if not v], [
        c for c, v in zip(chars, vertical, strict=True) if v
    ]


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each maximal stretch of True."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(flags)
    while i < n:
        if not flags[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and flags[j + 1]:
            j += 1
        out.append((i, j))
        i = j + 1
    return out


def _linked_runs(next_flags: Sequence[bool]) -> list[tuple[int, int]]:
    """(first, last) index of each chain of two or more glyphs linked one to the next."""
    return [(i, j + 1) for i, j in _runs(next_flags)]


def _drop_table_columns(
    chars: Sequence[Char], vertical: list[bool], h_next: list[bool], v_next: list[bool]
) -> None:
    """Unmark vertical runs whose glyphs mostly sit level with horizontal lines, in place."""
    line_tops: set[int] = set()
    for i, j in _linked_runs(h_next):
        run = chars[i : j + 1]
        width = max(c["x1"] for c in run) - min(c["x0"] for c in run)
        if width > TATECHUYOKO_WIDTH * max(_size(c) for c in run):  # a line, not 縦中横 digits
            line_tops.update(round(c["top"]) for c in run)
    if not line_tops:
        return
    for i, j in _linked_runs(v_next):
        run = chars[i : j + 1]
        gaps = [(b["top"] - a["bottom"]) / _size(a) for a, b in zip(run, run[1:], strict=False)]
        if not gaps or sum(gaps) / len(gaps) < SOLID_GAP:
            continue  # glyphs set solid, one against the next: vertical writing, whatever lines are level
        aligned = sum(1 for c in run if any(round(c["top"]) + d in line_tops for d in (-1, 0, 1)))
        if aligned >= ROW_ALIGNED * len(run):
            for k in range(i, j + 1):
                vertical[k] = False


def _absorb_tatechuyoko(chars: Sequence[Char], vertical: list[bool], h_next: list[bool]) -> None:
    """Mark short horizontal runs sitting inside a vertical column as vertical, in place."""
    v_chars = sorted((c for c, v in zip(chars, vertical, strict=True) if v), key=_x_mid)
    v_mids = [_x_mid(c) for c in v_chars]
    i, n = 0, len(chars)
    while i < n:
        if vertical[i]:
            i += 1
            continue
        j = i
        while j + 1 < n and h_next[j] and not vertical[j + 1]:
            j += 1
        if _in_a_column(chars[i : j + 1], v_chars, v_mids):
            for k in range(i, j + 1):
                vertical[k] = True
        i = j + 1


def _in_a_column(run: Sequence[Char], v_chars: Sequence[Char], v_mids: Sequence[float]) -> bool:
    """Whether the run is no wider than 縦中横 and touches, above or below, a vertical glyph of the same
    column (``v_chars`` sorted on their centres ``v_mids``)."""
    x0, x1 = min(c["x0"] for c in run), max(c["x1"] for c in run)
    top, bottom = min(c["top"] for c in run), max(c["bottom"] for c in run)
    size = max(_size(c) for c in run)
    if x1 - x0 > TATECHUYOKO_WIDTH * size:
        return False
    mid = (x0 + x1) / 2
    lo, hi = bisect_left(v_mids, mid - ALIGN * 2 * size), bisect_right(v_mids, mid + ALIGN * 2 * size)
    for c in v_chars[lo:hi]:
        s = _size(c)
        if abs(_x_mid(c) - mid) > ALIGN * s:
            continue
        if -OVERLAP * s <= top - c["bottom"] <= TOUCH * s or -OVERLAP * s <= c["top"] - bottom <= TOUCH * s:
            return True
    return False


# ---------------------------------------------------------------------------------------------------
# Reading order


def vertical_units(chars: Sequence[Char], rules: Sequence[Rule] = ()) -> list[list[Column]]:
    """Vertical glyphs -> units in reading order, each unit a list of columns in reading order.

    A unit is a tier of the page's vertical text (the top-level cut): each is placed in the page's
    reading order at its top, and read whole.
    """
    if not chars:
        return []
    size = median(_size(c) for c in chars)
    tiers = _cut_y(list(chars), rules, size) or [list(chars)]
    units = []
    for tier in tiers:
        columns = [col for block in _blocks(tier, rules, size, 1) for col in _columns(block, size)]
        if columns:
            units.append(columns)
    return units


def _blocks(chars: list[Char], rules: Sequence[Rule], size: float, depth: int) -> list[list[Char]]:
    if depth >= MAX_CUT_DEPTH:
        return [chars]
    parts = _cut_y(chars, rules, size)
    if parts:
        return [b for p in parts for b in _blocks(p, rules, size, depth + 1)]
    parts = _cut_x(chars, size)
    if parts:
        return [b for p in parts for b in _blocks(p, rules, size, depth + 1)]
    return [chars]


def _intervals(chars: Sequence[Char], lo: str, hi: str) -> list[tuple[float, float, list[Char]]]:
    """Chars grouped into maximal overlapping intervals along one axis, in increasing order."""
    out: list[tuple[float, float, list[Char]]] = []
    for c in sorted(chars, key=lambda c: c[lo]):
        if out and c[lo] < out[-1][1]:
            a, b, group = out[-1]
            group.append(c)
            out[-1] = (a, max(b, c[hi]), group)
        else:
            out.append((c[lo], c[hi], [c]))
    return out


def _cut_y(chars: list[Char], rules: Sequence[Rule], size: float) -> list[list[Char]] | None:
    """Tiers, top to bottom, cut at empty bands or at rules across the block; None if there is one."""
    spans = _intervals(chars, "top", "bottom")
    if len(spans) < 2:
        return None
    x0, x1 = min(c["x0"] for c in chars), max(c["x1"] for c in chars)
    parts: list[list[Char]] = [spans[0][2]]
    for (_, end, _), (start, _, group) in zip(spans, spans[1:], strict=False):
        ruled = any(
            end <= r.y <= start and min(r.x1, x1) - max(r.x0, x0) >= 0.5 * (x1 - x0) for r in rules
        )
        if start - end >= TIER_GAP * size or ruled:
            parts.append(group)
        else:
            parts[-1] = parts[-1] + group
    return parts if len(parts) > 1 else None


def _cut_x(chars: list[Char], size: float) -> list[list[Char]] | None:
    """Blocks, right to left, cut at wide empty vertical bands; None if there is one."""
    spans = _intervals(chars, "x0", "x1")
    parts: list[list[Char]] = []
    prev_end = None
    for start, end, group in spans:
        if prev_end is not None and start - prev_end < BLOCK_GAP * size:
            parts[-1] = parts[-1] + group
        else:
            parts.append(group)
        prev_end = end if prev_end is None else max(prev_end, end)
    return parts[::-1] if len(parts) > 1 else None


def _columns(chars: Sequence[Char], size: float) -> list[Column]:
    """A block's columns, right to left, each read top to bottom."""
    columns = cluster_objects(list(chars), _x_mid, ALIGN * size + 0.5)
    columns.sort(key=lambda col: -max(_x_mid(c) for c in col))
    return [_column(col) for col in columns]


def _column(chars: list[Char]) -> Column:
    size = median(_size(c) for c in chars)
    cells = cluster_objects(chars, _y_mid, ALIGN * size)  # 縦中横 glyphs share a height
    cells.sort(key=lambda cell: min(_y_mid(c) for c in cell))
    parts: list[str] = []
    prev_bottom: float | None = None
    for cell in cells:
        cell.sort(key=lambda c: c["x0"])
        top = min(c["top"] for c in cell)
        if prev_bottom is not None and top - prev_bottom > COLUMN_SPACE * size:
            parts.append(" ")
        parts.append("".join(c["text"] for c in cell))
        prev_bottom = max(c["bottom"] for c in cell)
    return Column(
        text=normalise_vertical_forms("".join(parts)),
        x0=min(c["x0"] for c in chars),
        top=min(c["top"] for c in chars),
        x1=max(c["x1"] for c in chars),
        bottom=max(c["bottom"] for c in chars),
    )
