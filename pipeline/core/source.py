"""The decoded input every reader produces and everything downstream points into.

These records sit below the readers, the Document and the table builders, so none of them imports
another's module to name them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, field


class IngestError(Exception):
    """An input that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Cell:
    """One cell of a ruled table found in a PDF; offsets point into ``Source.text``. A cell gathered from
    pieces on several lines (a borderless table's wrapped cell in a text file) keeps each character's
    offset in ``offsets``; an empty tuple means its text is ``Source.text[start:end]`` itself. ``breaks``:
    where in ``text`` a line of the cell ended short of the cell's right edge and the next began (静岡大学 /
    浜松医科大学, one name a line), as opposed to a line the cell's width wrapped."""

    text: str
    start: int
    end: int
    offsets: tuple[int, ...] = ()
    breaks: tuple[int, ...] = ()


@dataclass(frozen=True)
class RuledTable:
    page: int
    rows: tuple[tuple[Cell, ...], ...]


MIN_REPEATED_COLUMNS = 3


def repeated_header(cells: Sequence[str]) -> int:
    """How many columns a table's header repeats side by side (地域　プロジェクト名　企業数　大学数　地域
    プロジェクト名　企業数　大学数: 4, a long table set in two halves side by side), three at least, its labels
    all different; else 0."""
    n = len(cells)
    for width in range(MIN_REPEATED_COLUMNS, n // 2 + 1):
        if n % width == 0 and len(set(cells[:width])) == width and list(cells) == list(cells[:width]) * (n // width):
            return width
    return 0


def halves_in_turn(rows: Sequence[Sequence[Cell]]) -> tuple[tuple[Cell, ...], ...]:
    """The rows of a table set in halves side by side under its header repeated (:func:`repeated_header`) as
    one table: the header once, the left half's rows, then each next half's; ``rows`` as they are when the
    header repeats nothing or a row holds another number of cells (its blank cells dropped: no half is sure)."""
    width = repeated_header([c.text for c in rows[0]]) if rows else 0
    if not width or any(len(r) != len(rows[0]) for r in rows[1:]):
        return tuple(tuple(r) for r in rows)
    halves = range(0, len(rows[0]), width)
    return (tuple(rows[0][:width]), *(tuple(r[h : h + width]) for h in halves for r in rows[1:]))


@dataclass(frozen=True)
class PageNote:
    """Something a reader found on one page (a broken font, a page without text, an OCR'd page)."""

    page: int
    code: str
    message: str


@dataclass
class Source:
    """The decoded document: the text every offset points into, and where it came from."""

    doc: str
    text: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    sha256: str = ""
    encoding: str = "utf-8"
    path: str = ""
    ruled_tables: list[RuledTable] = field(default_factory=list)
    page_notes: list[PageNote] = field(default_factory=list)  # become warnings with their page
    ocr_pages: list[int] = field(default_factory=list)  # 1-based pages whose text was read by OCR
    # (start, end) offsets of the lines read by OCR from images on pages of text, in order.
    ocr_spans: list[tuple[int, int]] = field(default_factory=list)
    # What ingest changed or noticed, as warnings for warnings.csv: (line, code, message).
    notes: list[tuple[int, str, str]] = field(default_factory=list)

    def page_of(self, offset: int) -> int:
        """1-based page holding ``offset``."""
        return bisect_right(self.page_starts, offset)
