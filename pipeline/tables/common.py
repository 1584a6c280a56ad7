"""Small helpers the table builders share."""

from __future__ import annotations

import bisect
import re

from pipeline.core.document import Document, ViewLine
from pipeline.core.normtext import NormText
from pipeline.core.spans import Span


def view_index(view: NormText, src_offset: int) -> int:
    """First index of ``view`` whose character comes from ``src_offset`` or later."""
    return bisect.bisect_left(view.origin, src_offset, 0, len(view.text))


def line_mentions(doc: Document, line: ViewLine, kinds: tuple[str, ...]) -> list[Span]:
    return doc.mentions_in(line.src_start, line.src_end, kinds)


def mention_starts(doc: Document, kinds: tuple[str, ...]) -> list[int]:
    """Where the mentions of ``kinds`` start, sorted: with :func:`starts_on`, a one-bisect test that
    rules out the lines :func:`line_mentions` would find nothing on."""
    return sorted(m.start for m in doc.mentions if m.kind in kinds)


def starts_on(starts: list[int], line: ViewLine) -> bool:
    """Whether one of ``starts`` (sorted source offsets) lies on ``line``."""
    k = bisect.bisect_left(starts, line.src_start)
    return k < len(starts) and starts[k] < line.src_end


def fiscal_year_of(mention: Span) -> int | None:
    """Western (fiscal) year a date or period mention starts in."""
    m = re.match(r"(\d{4})", mention.value)
    return int(m.group(1)) if m else None


def bullets(doc: Document) -> str:
    """The list marks of ``rules/layout.yaml`` (・, ◆, ※ ...)."""
    return doc.rules.get("layout")["bullets"]


def strip_bullets(text: str, marks: str) -> str:
    """``text`` without surrounding spaces and the list marks ``marks`` before it."""
    return text.strip().lstrip(marks).strip()


def leading_bullets(text: str, marks: str) -> int:
    """How many leading characters are whitespace or list marks."""
    return len(text) - len(text.lstrip().lstrip(marks).lstrip()) if text.strip() else len(text)


def blocks_of(lines: list[ViewLine]) -> list[list[int]]:
    """Indexes of lines grouped into runs of non-blank lines (blank lines separate them)."""
    groups: list[list[int]] = []
    cur: list[int] = []
    for i, ln in enumerate(lines):
        if ln.blank:
            if cur:
                groups.append(cur)
                cur = []
        else:
            cur.append(i)
    if cur:
        groups.append(cur)
    return groups
