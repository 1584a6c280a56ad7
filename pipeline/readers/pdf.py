"""PDF ingest: a PDF's text layer -> ``Source`` (text in reading order, pages, ruled tables).

Uses pdfplumber (on top of pdfminer.six). A page whose glyphs mostly run sideways or upside down (a
landscape table printed a quarter turn on a portrait page, or upright text a ``/Rotate`` turned) is read
again with its rotation changed so that they stand upright (``sideways_turn``). For each page:

1. pdfplumber's ``dedupe_chars`` (what ``Page.dedupe_chars`` runs) drops glyphs printed twice at
   (almost) the same spot, the "bold by overprinting" that turns ``高機能内視鏡`` into
   ``高機能内視鏡高機能内視鏡`` in a naive conversion. Its default tolerance of 1 pt is kept: overprints
   are offset by a fraction of a point, while two equal characters written one after the other are a
   glyph width apart.
2. Ruled tables are found with pdfplumber's line-based table finder (two rows and two columns at
   least; a lone box is not a table). Each table is written into the page text in its place, one row per
   line, cells separated by a tab, so that ``Cell`` offsets point at the cell text. Line breaks inside a
   cell are joined without a space (Japanese), with one space between two Latin letters or digits.
   Borderless tables (columns aligned by position under a header row, no rules or one under the
   header) are found from the glyphs (``readers/pdf_tables.py``) and written the same way.
3. Vertical writing (縦書き) and framed boxes are set apart (``_read_regions``): glyphs that run top to
   bottom are read by ``pdf_vertical`` in Japanese order (tiers top to bottom, columns right to left,
   縦中横 digits in place), and the text inside a drawn frame is read on its own; each such unit is
   placed whole in the flow of the other glyphs (``pdf_layout.insert_units``), never interleaved.
   The other glyphs are read in reading order. If a gutter (a vertical band with no glyphs, with text
   on both sides that reads as running text: three lines or more, six glyphs or more a line, filling
   their column; a few lines such as a centred running header or page number may cross it) splits
   the page, the left column is read before the right one, block by block between
   the lines that run across the gutter (titles); columns are split again the same way (three columns).
   Aligned label/amount pairs are not columns and stay on one line: a side whose lines are mostly
   figures, units and brackets (``_figures_side``: ５０．０億円（４５．０億円）) is never a column. Lines are built with
   ``x_tolerance_ratio``: a gap wider than a fifth of the glyph size is written as a space, so Japanese,
   which has no word spaces, is not broken up; blank glyphs are kept as written (``関　東``); single kanji or
   kana at even gaps up to a glyph and a fifth (letter-spacing) are one word (``_spaced_join``).
4. Page furniture is dropped: page numbers (a line that is only a page number, ``12``, ``- 12 -``,
   ``p. 12``, a spread's ``12 13``, in the top or bottom 12 % of the page) and running headers/footers
   (the same line, digits aside, in the top or bottom 12 % of at least 40 % of the pages, when that is
   three pages or more).

5. A paragraph's spacing becomes a blank line, as in a text file (the builders end a block there): a
   space between two lines of one column wider than ``PARAGRAPH_GAP`` of their glyph height and twice
   the page's usual space between lines (``paragraph_gaps``). A line set in from the leftmost line of
   the column or box it was read in starts with one ideographic space per glyph width (``line_indents``).

Before all this, each page's fonts are screened (``readers/pdf_fonts.py``): glyphs of a font with no
or a wrong Unicode mapping read ``〓`` and the page gets a ``text_layer_broken`` note naming the font; a
page with no usable text gets ``page_without_text``, or with ``ocr`` is read by Tesseract
(``readers/ocr.py``, a ``page_ocr`` note); with ``ocr``, a picture on a page of text that may hold text (a
table pasted as an image: ``images_to_read``) is read by Tesseract too and placed where it stands (an
``image_ocr`` note; ``Source.ocr_spans`` flag its lines). A document is refused only when no page has usable text.

Pages are joined with form feeds; every line, the last one of a page included, ends with ``\\n``.
Characters are kept as the PDF's fonts map them: a font that maps the wave dash to U+301C gives ``〜``
where a text file has ``～`` (U+FF5E), and ``−`` (U+2212) for ``－``; ``source.txt`` keeps them, and the values
fold them as NFKC folds the full-width forms (``pipeline.core.normtext.nfkc``).
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import logging
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from pathlib import Path
from statistics import median
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.psexceptions import PSException
from pdfplumber.utils import cluster_objects
from pdfplumber.utils.exceptions import PdfminerException
from pdfplumber.utils.text import WordExtractor

from pipeline.core.rules import cached_rules
from pipeline.core.source import Cell, IngestError, PageNote, RuledTable, Source
from pipeline.readers.limits import pdf_guard
from pipeline.readers.ocr import DPI, check_tesseract, ocr_page, ocr_region, ocr_requested
from pipeline.readers.pdf_fonts import screen_page, usable
from pipeline.readers.pdf_layout import (
    cell_shading,
    find_boxes,
    horizontal_rules,
    insert_units,
    split_by_boxes,
    straddles,
)
from pipeline.readers.pdf_tables import TableBox, find_borderless_tables
from pipeline.readers.pdf_vertical import split_directions, vertical_units

logger = logging.getLogger(__name__)

Char = dict[str, Any]

DEDUPE_TOLERANCE = 1.0
"""Points within which two identical glyphs count as one overprinted glyph (pdfplumber's default)."""
X_TOLERANCE_RATIO = 0.2
"""A horizontal gap wider than this share of the glyph size starts a new word (written as a space)."""
Y_TOLERANCE = 3.0
"""Glyph tops within this many points belong to the same line."""
TABLE_SETTINGS: dict[str, Any] = {
    "vertical_strategy": "lines",
    "horizontal_strategy": "lines",
    "snap_tolerance": 3,
    "join_tolerance": 3,
    "intersection_tolerance": 3,
}
MARGIN_ZONE = 0.12
"""Share of the page height at the top and at the bottom where page numbers and running heads live."""
RUNNING_MIN_PAGES = 3
RUNNING_SHARE = 0.4
MAX_COLUMN_DEPTH = 3
GUTTER_CROSSINGS = 3
"""Lines (title, running header, page number) that may cross a gutter besides the fewest-crossed band."""
CELL_SEPARATOR = "\t"

_EXTRACTOR = WordExtractor(
    x_tolerance_ratio=X_TOLERANCE_RATIO, y_tolerance=Y_TOLERANCE, keep_blank_chars=True
)
_DASHES = r"\s\-‐‑‒–—―−ー~〜()（）\[\]"


@functools.cache
def _page_number_re() -> re.Pattern[str]:
    # The words printed with a page number (ページ, 頁) are the project's rules/layout.yaml's.
    words = "|".join(re.escape(w) for w in cached_rules().get("layout")["furniture"]["page_words"])
    return re.compile(
        rf"^[{_DASHES}]*(?:p\.?|page|{words})?\s*\d{{1,4}}(?:\s*[/／]\s*\d{{1,4}}|\s+\d{{1,4}})?"
        rf"\s*(?:{words})?[{_DASHES}]*$",
        re.IGNORECASE,
    )


@dataclass
class _Line:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    vertical: bool = False  # a column of vertical text (never page furniture)
    flow: int = -1  # which run of the reading order (one column, one box) it was read in; -1: none
    ocr: bool = False  # read by OCR from an image on a page of text


@dataclass
class _Unit:
    """Elements read as one block (a row of framed boxes), placed in the page's flow as a table is."""

    elements: list[_Line | TableBox]
    x0: float
    top: float
    x1: float
    bottom: float


_Block = TableBox | _Unit
"""What the column logic places as a whole by its bounding box."""
_Element = _Line | TableBox | _Unit


@dataclass
class _Row:
    """A coarse line across the whole region (both columns), or a table, used to find gutters."""

    top: float
    chars: list[Char] = field(default_factory=list)
    table: _Block | None = None
    spans: list[tuple[float, float]] = field(default_factory=list)


@dataclass
class _Page:
    number: int
    top: float
    bottom: float
    elements: list[_Line | TableBox]


# ---------------------------------------------------------------------------------------------------
# Entry point


def read_pdf(path: Path, data: bytes, ocr: bool | None = None) -> Source:
    """Read a PDF's bytes into a ``Source``; ``path`` is only used in messages.

    The caller (``pipeline.readers.read_source``) fills in ``doc``, ``sha256`` and ``path``. Raises
    ``IngestError`` with a one-line message naming the file and the reason for an encrypted, truncated
    or corrupt PDF, or one where no page has usable text (all pages scanned images or in broken fonts)
    and OCR is off. With ``ocr`` (by default: whether OCR was requested, ``readers/ocr.py``), such
    pages are read by Tesseract.
    """
    name = str(path)
    _check_envelope(name, data)
    if ocr is None:
        ocr = ocr_requested()
    with pdf_guard(name, len(data)):  # size, stream, page and glyph limits (readers/limits.py)
        try:
            pdf = pdfplumber.open(io.BytesIO(data))
        except Exception as e:  # PdfminerException wrapping pdfminer's own, or anything a mangled file causes
            raise IngestError(f"{name}: {_reason(e)}") from e
        with pdf:
            pages, notes, ocr_pages = _read_pages(name, pdf, ocr)
    _drop_furniture(pages)
    src = _assemble(pages)
    src.page_notes, src.ocr_pages = notes, ocr_pages
    logger.debug("%s: %d pages, %d chars, %d ruled tables", name, len(pages), len(src.text),
                 len(src.ruled_tables))
    return src


def _check_envelope(name: str, data: bytes) -> None:
    if not data.strip():
        raise IngestError(f"{name}: empty file")
    if b"%PDF-" not in data[:1024]:
        raise IngestError(f"{name}: not a PDF file (no %PDF- header)")
    eof = data.rfind(b"%%EOF")
    if eof < 0:
        raise IngestError(f"{name}: truncated PDF (no %%EOF end marker)")
    if data.rfind(b"endobj") > eof:
        raise IngestError(f"{name}: truncated PDF (objects after the last %%EOF marker)")


def _one_line(exc: BaseException) -> str:
    detail = " ".join(str(exc).split())
    detail = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    return detail if len(detail) <= 160 else detail[:157] + "..."


def _reason(exc: BaseException) -> str:
    inner: BaseException = exc
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        inner = exc.args[0]
    if isinstance(inner, PDFPasswordIncorrect):
        return "encrypted (password-protected) PDF"
    if isinstance(inner, PDFEncryptionError):
        return f"encrypted PDF that cannot be decrypted ({_one_line(inner)})"
    if isinstance(inner, PSException):
        return f"corrupt or truncated PDF ({_one_line(inner)})"
    return f"unreadable PDF ({_one_line(inner)})"


def _read_pages(name: str, pdf: pdfplumber.PDF, ocr: bool = False) -> tuple[list[_Page], list[PageNote], list[int]]:
    try:
        plumber_pages = pdf.pages
    except Exception as e:
        raise IngestError(f"{name}: {_reason(e)}") from e
    if not plumber_pages:
        raise IngestError(f"{name}: corrupt PDF (no pages)")
    pages: list[_Page] = []
    notes: list[PageNote] = []
    ocr_pages: list[int] = []
    n_usable = 0
    checked = False  # tesseract is there (asked once, when a page or an image needs it)
    carried: tuple[tuple[float, float], ...] = ()  # the column gaps of a borderless table ending the page before
    for page in plumber_pages:
        carry_in, carried = carried, ()
        try:
            chars = page.chars  # parses the page; a broken content stream fails here
            _ = page.objects
            if (turn := sideways_turn(chars)) and (upright := _turned(pdf, page, turn)) is not None:
                page.close()
                page, chars = upright, upright.chars  # a page whose text runs sideways, read as if turned
                _ = page.objects
        except Exception as e:
            raise IngestError(f"{name}: {_reason(e)} on page {page.page_number}") from e
        try:
            # Broken fonts are judged per page and per font; their glyphs read 〓, never a figure.
            chars, page_notes = screen_page(page.page_number, chars)
            notes.extend(page_notes)
            if usable(chars):
                n_usable += 1
                read = _read_page(page, chars, carry_in)
                if ocr and (boxes := images_to_read(page, chars)):
                    if not checked:
                        check_tesseract()  # once, and only for a document that needs it
                        checked = True
                    units, image_notes = _read_images(page, boxes)
                    notes.extend(image_notes)
                    read.elements = insert_units(read.elements, units)
                pages.append(read)
                last = read.elements[-1] if read.elements else None
                # A borderless table ending the page may go on at the next one's top, with no header
                carried = last.gaps if isinstance(last, TableBox) else ()
            elif ocr:
                if not checked:
                    check_tesseract()  # once, and only for a document that needs it
                    checked = True
                lines, lang = ocr_page(page)
                n_usable += bool(lines)
                ocr_pages.append(page.page_number)
                notes.append(PageNote(page.page_number, "page_ocr",
                                      f"page {page.page_number}: no usable text layer; read by OCR "
                                      f"(tesseract {lang}, {DPI} dpi), {len(lines)} lines"))
                pages.append(_Page(page.page_number, page.bbox[1], page.bbox[3],
                                   [_Line(counter_gaps_closed(ln.text), ln.x0, ln.top, ln.x1, ln.bottom, flow=ln.block)
                                    for ln in lines]))
            else:
                if not page_notes:
                    notes.append(PageNote(page.page_number, "page_without_text",
                                          f"page {page.page_number}: no text layer (scanned image?); "
                                          "skipped, rerun with --ocr to read it"))
                pages.append(_Page(page.page_number, page.bbox[1], page.bbox[3],
                                   _order([c for c in chars if not c["text"].isspace()], [], 0)))
        finally:
            page.close()  # drop the page's parsed objects: memory stays flat on long documents
    if n_usable == 0:
        if ocr:
            raise IngestError(f"{name}: no text layer and no text found by OCR on any page")
        broken = "; broken fonts (no usable Unicode mapping) on every page" if notes and any(
            n.code == "text_layer_broken" for n in notes) else ""
        raise IngestError(f"{name}: no text layer (scanned image?){broken}; needs OCR (pipeline run --ocr)")
    return pages, notes, ocr_pages


IMAGE_OCR_SHARE = 0.04
"""With ``ocr``, an image on a page of text at least this share of the page's area (and 72 x 24 pt) with no text
laid over it is read by OCR: a table or a chart pasted as a picture."""
IMAGE_TEXT_GLYPHS = 12
"""More glyphs of the text layer than this over an image make it a background (or a scan with its OCR layer);
fewer (a page number stamped on a scanned page) leave it to read."""
IMAGE_OCR_CONFIDENCE = 60.0
"""Tesseract's mean word confidence under which an image's reading is dropped (a photograph reads as noise)."""
_IMAGE_FLOW = 100_000  # flows of the lines read from images: apart from the page's own runs


def images_to_read(page: pdfplumber.page.Page, chars: Sequence[Char]) -> list[tuple[float, float, float, float]]:
    """The boxes of a page's images that may hold text to read by OCR (``IMAGE_OCR_SHARE``): big enough, holding
    few glyphs of the text layer over them (``IMAGE_TEXT_GLYPHS``), none inside another."""
    x0_p, top_p, x1_p, bottom_p = page.bbox
    area = (x1_p - x0_p) * (bottom_p - top_p)
    boxes: list[tuple[float, float, float, float]] = []
    for im in sorted(page.images, key=lambda i: -(i["x1"] - i["x0"]) * (i["bottom"] - i["top"])):
        x0, top = max(im["x0"], x0_p), max(im["top"], top_p)
        x1, bottom = min(im["x1"], x1_p), min(im["bottom"], bottom_p)
        if x1 - x0 < 72 or bottom - top < 24 or (x1 - x0) * (bottom - top) < IMAGE_OCR_SHARE * area:
            continue
        if any(b[0] <= x0 and x1 <= b[2] and b[1] <= top and bottom <= b[3] for b in boxes):
            continue  # inside an image already read
        if sum(1 for c in chars if x0 <= (c["x0"] + c["x1"]) / 2 <= x1 and top <= (c["top"] + c["bottom"]) / 2 <= bottom
               and not c["text"].isspace()) > IMAGE_TEXT_GLYPHS:
            continue  # text laid over the image: read as text, the image is its background
        boxes.append((x0, top, x1, bottom))
    return sorted(boxes, key=itemgetter(1, 0))


def _read_images(page: pdfplumber.page.Page, boxes: list[tuple[float, float, float, float]]
                 ) -> tuple[list[list[_Line]], list[PageNote]]:
    """The lines OCR reads in each image box of ``page`` (one unit each, to be placed in the page's flow where
    the image stands), and a note for each image read; an image read with low confidence (a photograph) gives
    no lines."""
    units: list[list[_Line]] = []
    notes: list[PageNote] = []
    for k, box in enumerate(boxes):
        lines, lang, conf = ocr_region(page.crop(box))
        if not lines or conf < IMAGE_OCR_CONFIDENCE:
            continue
        units.append([_Line(counter_gaps_closed(ln.text), ln.x0, ln.top, ln.x1, ln.bottom,
                            flow=_IMAGE_FLOW * (k + 1) + max(ln.block, 0), ocr=True) for ln in lines])
        notes.append(PageNote(page.page_number, "image_ocr",
                              f"page {page.page_number}: an image at ({box[0]:.0f}, {box[1]:.0f}) pt read by OCR "
                              f"(tesseract {lang}, {DPI} dpi, confidence {conf:.0f}), {len(lines)} lines"))
    return units, notes


def counter_gaps_closed(text: str) -> str:
    """An OCR line without the gap Tesseract saw between a figure and its counter (a full-width digit's glyph
    stands apart from the kanji after it: ``約60社　3　大学`` is ``約60社　3大学``), for a figure that a gap or 約
    opens (a cell's), never a line's list number (``1　大学の取組``)."""
    return _counter_gap_re().sub(r"\1", text) if "\u3000" in text else text


@functools.lru_cache(maxsize=1)
def _counter_gap_re() -> re.Pattern[str]:
    counters = sorted(cached_rules().get("numbers")["counters"], key=len, reverse=True)
    words = "|".join(map(re.escape, counters))
    return re.compile(r"(?:(?<=\u3000)|(?<=約))(\d{1,4}(?:,\d{3})*)\u3000(?=" + words + ")")


SIDEWAYS_SHARE = 0.6
"""Share of a page's glyphs set sideways or upside down that makes the page read as if turned upright."""


def sideways_turn(chars: Sequence[Char]) -> int:
    """How many degrees a page must turn for its text to stand upright, when most of its glyphs run sideways:
    a landscape table printed turned on a portrait page, or a page whose ``/Rotate`` turned upright text on
    its side. -90 (clockwise glyphs, their matrix ``(0, -s, s, 0)``), 90, or 180 (upside down); 0 when most
    stand upright (the Latin letters a vertical line turns stay few)."""
    turned = Counter()
    n = 0
    for c in chars:
        if c["text"].isspace():
            continue
        n += 1
        a, b, cc, d = c["matrix"][:4]
        if abs(a) + abs(d) < 0.1 * (abs(b) + abs(cc)):
            turned[-90 if b < 0 else 90] += 1
        elif a < 0 and d < 0:
            turned[180] += 1  # upside down
    if not n or sum(turned.values()) < SIDEWAYS_SHARE * n:
        return 0
    return turned.most_common(1)[0][0]


def _turned(pdf: pdfplumber.PDF, page: pdfplumber.page.Page, turn: int) -> pdfplumber.page.Page | None:
    """``page`` read again as shown turned by ``turn`` degrees (its ``/Rotate`` changed for the reading), or
    None when the turned page's glyphs do not stand upright either."""
    obj = page.page_obj
    before = obj.attrs.get("Rotate", 0)
    rotate = (page.rotation + turn) % 360
    obj.rotate = rotate
    obj.attrs["Rotate"] = rotate
    upright = pdfplumber.page.Page(pdf, obj, page_number=page.page_number, initial_doctop=page.initial_doctop)
    if sideways_turn(upright.chars):
        upright.close()
        obj.rotate, obj.attrs["Rotate"] = page.rotation, before
        return None
    return upright


# ---------------------------------------------------------------------------------------------------
# One page


class _IndexedChars(list[Char]):
    """A list whose ``index`` is a dict look-up.

    pdfplumber's ``dedupe_chars`` (what ``Page.dedupe_chars`` runs) restores the original order with
    ``sorted(deduped, key=chars.index)``, which is quadratic in the number of glyphs on the page.
    """

    def __init__(self, chars: Iterable[Char]) -> None:
        super().__init__(chars)
        self._pos = {id(c): i for i, c in enumerate(self)}

    def index(self, value: Char, *args: Any) -> int:  # type: ignore[override]
        return self._pos[id(value)]


def dedupe_chars(chars: Sequence[Char], tolerance: float = DEDUPE_TOLERANCE) -> list[Char]:
    """Drop overprinted duplicate glyphs (same text, font and size within ``tolerance`` points).

    The same as pdfplumber's ``Page.dedupe_chars(tolerance=...)``, in n log n time.
    """
    return list(pdfplumber.utils.dedupe_chars(_IndexedChars(chars), tolerance=tolerance))


def _read_page(page: pdfplumber.page.Page, chars: Sequence[Char],
               carried: tuple[tuple[float, float], ...] = ()) -> _Page:
    deduped = without_ruby(dedupe_chars(chars))
    tables = []
    # Cells shaded one by one (a zebra table's rows, its header's band) rule no table: their edges would make
    # the shaded rows a table of their own and cut the unshaded rows off it (the glyphs' alignment finds it).
    shading = cell_shading(page.rects)
    shaded = {(r["x0"], r["top"], r["x1"], r["bottom"]) for k, r in enumerate(page.rects) if k in shading}
    ruled = page.filter(lambda o: o.get("object_type") != "rect"
                        or (o["x0"], o["top"], o["x1"], o["bottom"]) not in shaded) if shaded else page
    for found in ruled.find_tables(TABLE_SETTINGS):  # rules only: the glyphs come from ``deduped``
        table = _read_table(found, deduped)
        if table is not None:
            tables.append(table)
    chars = [c for c in deduped if not any(_inside(c, t) for t in tables)]
    elements = _read_regions(page, chars, tables, () if tables and min(t.top for t in tables) < min(
        (c["top"] for c in chars), default=page.bbox[3]) else carried)
    return _Page(page.page_number, page.bbox[1], page.bbox[3], elements)


def without_ruby(chars: list[Char]) -> list[Char]:
    """``chars`` without ruby: kana set at most ``RUBY_SIZE`` of the size of the glyphs right under them, their
    foot within a third of a base glyph above its top, over those glyphs (おおなん over 邑南), on a line of
    small glyphs that holds nothing but such kana (a caption in small type over a heading is text). A reading
    is no text of the line, and a line of it between two lines of a paragraph read as the paragraph's break."""
    small = [c for c in chars if _KANA_ONLY.fullmatch(c["text"])]
    if not small:
        return chars
    bases = sorted((c for c in chars if not c["text"].isspace()), key=itemgetter("top"))
    tops = [c["top"] for c in bases]
    ruby: set[int] = set()
    for c in small:
        size = c["size"] or 1.0
        k = bisect.bisect_left(tops, c["bottom"] - size)
        while k < len(bases) and bases[k]["top"] <= c["bottom"] + size:
            b = bases[k]
            if (b["size"] and size <= RUBY_SIZE * b["size"] and -size <= b["top"] - c["bottom"] <= b["size"] / 3
                    and b["x0"] - size <= (c["x0"] + c["x1"]) / 2 <= b["x1"] + size):
                ruby.add(id(c))
                break
            k += 1
    if not ruby:
        return chars
    # A small glyph that is no such kana on the line of one spoils the line: it is a small text's.
    spoilt = {(round(c["top"]), c["size"]) for c in chars
              if id(c) not in ruby and not c["text"].isspace()}
    ruby = {id(c) for c in small if id(c) in ruby and (round(c["top"]), c["size"]) not in spoilt}
    return [c for c in chars if id(c) not in ruby] if ruby else chars


RUBY_SIZE = 0.6
"""Ruby is set at most this share of its base text's size (usually half)."""
_KANA_ONLY = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc]")


def _read_regions(page: pdfplumber.page.Page, chars: list[Char], tables: list[TableBox],
                  carried: tuple[tuple[float, float], ...] = ()) -> list[_Line | TableBox]:
    """A page's elements in reading order: vertical text, framed boxes, the horizontal flow.

    ``chars`` are the page's glyphs outside ``tables``, in content-stream order. Vertical text is read
    by ``pdf_vertical`` and placed whole in the flow; each row of framed boxes becomes a ``_Unit``
    that the column logic places like a table (so a box across a gutter is read between the blocks
    above and below it), its boxes each read whole, left to right.
    """
    horizontal, vertical = split_directions(chars)
    # Borderless tables among the horizontal glyphs (columns of vertical text are no table).
    found = find_borderless_tables(horizontal, _cell_text, [e["top"] for e in page.horizontal_edges],
                                   _cell_text_breaks, carried,
                                   page.bbox[1] + MARGIN_ZONE * (page.bbox[3] - page.bbox[1]))
    if found:  # (a found table across a framed box's border is text beside the box: no table)
        frames = find_boxes([*page.rects, *page.curves], horizontal, tables, page.bbox)
        found = [t for t in found if not straddles(t, frames)]
    if found:
        tables = [*tables, *found]
        horizontal = [c for c in horizontal if not any(_inside(c, t) for t in tables)]
    boxes = find_boxes([*page.rects, *page.curves], horizontal, tables, page.bbox)
    rest, rest_tables, boxed = split_by_boxes(boxes, horizontal, tables)
    blocks: list[_Block] = list(rest_tables)
    for row in boxed:
        inner: list[_Line | TableBox] = []
        for _, box_chars, box_tables in row:
            inner.extend(_expand(_order(box_chars, box_tables, 1)))
        if inner:
            blocks.append(_Unit(inner, min(b.x0 for b, _, _ in row), min(b.top for b, _, _ in row),
                                max(b.x1 for b, _, _ in row), max(b.bottom for b, _, _ in row)))
    rules = horizontal_rules(page)
    elements = _expand(_order(rest, blocks, 0, [(r.x0, r.x1, r.y) for r in rules]))
    if vertical:
        units = [
            [_Line(_clean(col.text), col.x0, col.top, col.x1, col.bottom, vertical=True)
             for col in unit if col.text.strip()]
            for unit in vertical_units(vertical, rules)
        ]
        elements = insert_units(elements, units)
    return elements


def _expand(elements: Iterable[_Element]) -> list[_Line | TableBox]:
    """Elements with each ``_Unit`` replaced by its own elements."""
    out: list[_Line | TableBox] = []
    for el in elements:
        if isinstance(el, _Unit):
            out.extend(el.elements)
        else:
            out.append(el)
    return out


def _centre_in(char: Char, x0: float, top: float, x1: float, bottom: float) -> bool:
    """Whether the glyph's centre is in the box (how pdfplumber assigns glyphs to table cells)."""
    h_mid = (char["x0"] + char["x1"]) / 2
    v_mid = (char["top"] + char["bottom"]) / 2
    return x0 <= h_mid < x1 and top <= v_mid < bottom


def _inside(char: Char, table: TableBox) -> bool:
    return _centre_in(char, table.x0, table.top, table.x1, table.bottom)


def _read_table(found: Any, chars: Sequence[Char]) -> TableBox | None:
    """A found table with at least two rows and two columns and some text, else None (a mere box)."""
    rows = found.rows
    if len(rows) < 2 or max(len(r.cells) for r in rows) < 2:
        return None
    x0, top, x1, bottom = found.bbox
    inside = [c for c in chars if _centre_in(c, x0, top, x1, bottom)]
    texts: list[list[str]] = []
    breaks: list[list[tuple[int, ...]]] = []
    for row in rows:
        cells: list[str] = []
        row_breaks: list[tuple[int, ...]] = []
        for bbox in row.cells:
            if bbox is None:
                cells.append("")
                row_breaks.append(())
                continue
            text, at = _cell_text_breaks([c for c in inside if _centre_in(c, *bbox)], bbox[2])
            cells.append(text)
            row_breaks.append(at)
        texts.append(cells)
        breaks.append(row_breaks)
    if not any(cell for row_texts in texts for cell in row_texts):
        return None
    return TableBox(texts, x0, top, x1, bottom, breaks)


def _cell_text(chars: list[Char]) -> str:
    """The text of one table cell: its lines, joined."""
    return _join_cell_lines(line.text for line in _lines(chars))


def _cell_text_breaks(chars: list[Char], right: float) -> tuple[str, tuple[int, ...]]:
    """The text of one ruled cell (its lines joined) and where in it a line ended short of the cell's right
    edge ``right`` by more than two glyphs' width before the next line began: a line of its own (one name a
    line), not one the cell's width wrapped."""
    lines = _lines(chars)
    text = _join_cell_lines(ln.text for ln in lines)
    at: list[int] = []
    pos = 0
    for ln, nxt in zip(lines, lines[1:], strict=False):
        part = ln.text.strip(" \u3000")
        if not part:
            continue
        pos = text.find(part, pos) + len(part)
        size = ln.bottom - ln.top  # a glyph's height: a full-width glyph is as wide
        if right - ln.x1 > 2 * size and nxt.text.strip(" \u3000") and pos < len(text):
            at.append(pos)
    return text, tuple(at)


def _join_cell_lines(lines: Iterable[str]) -> str:
    """Join the lines inside a cell: no space in Japanese, one space between two Latin words."""
    out = ""
    for raw in lines:
        line = raw.strip(" \u3000")
        if not line:
            continue
        if out and _latin(out[-1]) and _latin(line[0]):
            out += " "
        out += line
    return out


_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _clean(text: str) -> str:
    """A glyph's text with control characters (tabs, form feeds, line breaks) turned into spaces.

    They would break the rows of a table, the pages or the lines of ``source.txt``.
    """
    return _CONTROLS.sub(" ", text)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def _lines(chars: Sequence[Char]) -> list[_Line]:
    """Chars -> text lines, top to bottom, each left to right."""
    if not chars:
        return []
    words = _EXTRACTOR.extract_words(_superscripts_lowered(chars))
    lines: list[_Line] = []
    for cluster in cluster_objects(words, itemgetter("top"), Y_TOLERANCE):
        cluster.sort(key=itemgetter("x0"))
        text = _clean(_spaced_join(cluster)).rstrip()
        if not text.strip():
            continue
        lines.append(_Line(
            text=text,
            x0=min(w["x0"] for w in cluster),
            top=min(w["top"] for w in cluster),
            x1=max(w["x1"] for w in cluster),
            bottom=max(w["bottom"] for w in cluster),
        ))
    return lines


def _superscripts_lowered(chars: Sequence[Char]) -> list[Char]:
    """``chars`` with each superscript (a glyph at most ``SUPERSCRIPT_SIZE`` of the size of the glyph right
    before it, raised within that glyph's height, ※1 after a name, 2 after 大学) set on its base glyph's line, so
    it is read on that line, after that glyph, not as a line of its own over it."""
    sizes = {c["size"] for c in chars}
    if len(sizes) < 2:
        return list(chars)
    out = list(chars)
    by_end = sorted(range(len(out)), key=lambda k: out[k]["x1"])
    ends = [out[k]["x1"] for k in by_end]
    raised: dict[int, float] = {}  # a lowered superscript's index -> its own top (the next glyph of it follows)
    for n in sorted(range(len(out)), key=lambda k: out[k]["x0"]):
        c = out[n]
        size = c["size"] or 1.0
        # The glyphs ending right before it (within half its size).
        for m in by_end[bisect.bisect_left(ends, c["x0"] - size / 2) : bisect.bisect_right(ends, c["x0"] + 0.5)]:
            b = out[m]
            if m in raised:  # ※ of ※1 lowered: the 1 after it, in its size and at its height, too
                follows = abs(b["size"] - c["size"]) < 0.1 and abs(c["top"] - raised[m]) <= size / 4
            else:
                follows = (b["size"] and size <= SUPERSCRIPT_SIZE * b["size"] and c["bottom"] <= b["bottom"]
                           and b["top"] - size / 2 <= c["top"] < b["top"] + b["size"] / 3)
            if follows and m != n:
                raised[n] = c["top"]
                out[n] = {**c, "top": b["top"], "bottom": b["bottom"]}
                break
    return out


SUPERSCRIPT_SIZE = 0.85
"""A superscript is set at most this share of the size of the glyph it follows."""


def _spaced_join(words: list[dict[str, Any]]) -> str:
    """A line's words joined by spaces, but a run of two or more single kanji or kana set apart by even gaps
    no wider than a glyph and a fifth (letter-spacing: a heading ``地 域 ク ラ ス タ ー``, a justified label
    ``分 野 ：``) written as the word it is."""
    out: list[str] = []
    k = 0
    while k < len(words):
        j = k
        while (j + 1 < len(words) and _spaced_letter(words[j])
               and (_spaced_letter(words[j + 1]) or j > k and words[j + 1]["text"][:1] in "：:")  # (分 野 ：…)
               and _even_gap(words, k, j + 1)):
            j += 1
        out.append("".join(w["text"] for w in words[k : j + 1]) if j > k else words[k]["text"])
        k = j + 1
    return " ".join(out)


def _spaced_letter(word: dict[str, Any]) -> bool:
    return len(word["text"]) == 1 and _CJK_LETTER.match(word["text"]) is not None


def _even_gap(words: list[dict[str, Any]], first: int, last: int) -> bool:
    """Whether the gap before ``words[last]`` is no wider than ``LETTER_SPACING`` glyphs and within a fifth of a
    glyph of the first gap of the run starting at ``first``."""
    a, b = words[last - 1], words[last]
    size = a["x1"] - a["x0"] or 1.0  # (a single letter's width: the glyph's)
    gap = b["x0"] - a["x1"]
    first_gap = words[first + 1]["x0"] - words[first]["x1"]
    return 0 < gap <= LETTER_SPACING * size and abs(gap - first_gap) <= 0.2 * size


LETTER_SPACING = 1.2
"""Letter-spacing up to this many glyph widths between single kanji or kana is no word gap."""
_CJK_LETTER = re.compile("[\u3041-\u3096\u30a1-\u30fa\u30fc\u4e00-\u9fff\u3005◆◇■□●○・]")  # (a heading's mark too)


def _flow(chars: Sequence[Char], tables: Sequence[_Block]) -> list[_Element]:
    flow = next(_FLOWS)
    lines = _lines(chars)
    for ln in lines:
        ln.flow = flow
    elements: list[_Element] = [*lines, *tables]
    elements.sort(key=lambda e: e.top)
    return elements


_FLOWS = itertools.count()
"""Ids of the runs of lines ``_flow`` reads (a column, a box): a line's indent is measured in its run."""


# ---------------------------------------------------------------------------------------------------
# Reading order: columns


def _merged_spans(chars: Sequence[Char], join: float) -> list[tuple[float, float]]:
    spans: list[tuple[float, float]] = []
    for c in sorted(chars, key=itemgetter("x0")):
        if spans and c["x0"] <= spans[-1][1] + join:
            spans[-1] = (spans[-1][0], max(spans[-1][1], c["x1"]))
        else:
            spans.append((c["x0"], c["x1"]))
    return spans


def _coarse_rows(chars: Sequence[Char], tables: Sequence[_Block], join: float) -> list[_Row]:
    rows = [
        _Row(top=min(c["top"] for c in cluster), chars=cluster, spans=_merged_spans(cluster, join))
        for cluster in cluster_objects(list(chars), itemgetter("top"), Y_TOLERANCE)
    ]
    rows.extend(_Row(top=t.top, table=t, spans=[(t.x0, t.x1)]) for t in tables)
    rows.sort(key=lambda r: r.top)
    return rows


def _order(chars: Sequence[Char], tables: Sequence[_Block], depth: int,
           rules: Sequence[tuple[float, float, float]] = ()) -> list[_Element]:
    """Elements (lines and tables) of a region in reading order, columns left to right; ``rules`` are the
    page's drawn horizontal rules (x0, x1, y): one across a gutter parts the columns above it from those below."""
    if not chars and not tables:
        return []
    if depth < MAX_COLUMN_DEPTH and len(chars) > 0:
        size = median(c["size"] for c in chars) or 10.0
        rows = _coarse_rows(chars, tables, join=0.5 * size)
        gutter = _find_gutter(rows, size)
        if gutter is not None:
            logger.debug("gutter at x=%.1f-%.1f (depth %d)", gutter[0], gutter[1], depth)
            return _order_bands(rows, gutter, size, depth, rules)
    return _flow(chars, tables)


def _order_bands(rows: list[_Row], gutter: tuple[float, float], size: float, depth: int,
                 rules: Sequence[tuple[float, float, float]] = ()) -> list[_Element]:
    """The rows of a region with a gutter, in reading order. A part of the region set apart by a wide band
    of white across it whose lines are labels on one side of the gutter and figures on the other (a table
    of names and amounts under two columns of text) is no part of the columns: it is read by itself, row
    by row unless it has columns of its own, and the gutter is looked for again without it."""
    bands = _bands(rows, size)
    figures = [_figure_band(band, gutter) for band in bands]
    if all(figures):
        return _order_columns(rows, gutter, depth, rules)
    if not any(figures):
        # White across the region parts what is above it from what is below (the columns of cards, then a
        # section under both): each band's columns are read before the next band.
        return [el for band in bands for el in _order_columns(band, gutter, depth, rules)]
    columns = [r for band, f in zip(bands, figures, strict=True) if not f for r in band]
    gutter = _find_gutter(columns, size) or gutter
    out: list[_Element] = []
    run: list[_Row] = []
    for band, is_table in zip(bands, figures, strict=True):
        if not is_table:
            run.extend(band)
            continue
        if run:
            out.extend(_order_columns(run, gutter, depth, rules))
            run = []
        out.extend(_order([c for r in band for c in r.chars], [r.table for r in band if r.table is not None],
                          depth + 1, rules))
    if run:
        out.extend(_order_columns(run, gutter, depth, rules))
    return out


def _figure_band(band: Sequence[_Row], gutter: tuple[float, float]) -> bool:
    """Whether a band's lines that stand on both sides of the gutter (two at least) hold figures on one side:
    a table's names and amounts, not two columns of text."""
    g0, g1 = gutter
    left: list[list[Char]] = []
    right: list[list[Char]] = []
    for r in band:
        if not r.chars or any(a < g1 and b > g0 for a, b in r.spans):
            continue
        lc = [c for c in r.chars if c["x1"] <= g0]
        rc = [c for c in r.chars if c["x0"] >= g1]
        if lc and rc:
            left.append(lc)
            right.append(rc)
    return len(left) >= 2 and (_figures_side(left) or _figures_side(right))


BAND_GAP = 3.0
"""White across the whole region this many times the text's size high (two blank lines and more) parts the
region into bands read one after another, each with its own columns or none; a blank line between
paragraphs, even level in both columns, does not."""


def _bands(rows: Sequence[_Row], size: float) -> list[list[_Row]]:
    """``rows`` (sorted by top) cut where white at least ``BAND_GAP`` sizes high runs across the region."""
    bands: list[list[_Row]] = [[]]
    bottom = -math.inf  # the lowest bottom of the rows so far
    for r in rows:
        if bands[-1] and r.top - bottom >= BAND_GAP * size:
            bands.append([])
        bands[-1].append(r)
        low = r.table.bottom if r.table is not None else max(c["bottom"] for c in r.chars)
        bottom = max(bottom, low)
    return bands


MIN_COLUMN_RUN = 3
"""A column of text has this many lines one after another at least; values set beside the lines of one
column, a line apart (参加企業数：約300社　　連携大学数：20校 under each project's heading), are no column."""


def _side_ok(rows: list[list[Char]], offset: bool = False) -> bool:
    """Whether the rows on one side of a candidate gutter look like a column of running text: most lines
    half the column's width at least; or, for columns whose lines stand at other heights (``offset``: the
    turns the sides take already say they are columns), two lines filling it (headings and a paragraph's
    last line are short)."""
    if len(rows) < 3:
        return False
    widths = [max(c["x1"] for c in r) - min(c["x0"] for c in r) for r in rows]
    extent = max(c["x1"] for r in rows for c in r) - min(c["x0"] for r in rows for c in r)
    counts = [sum(1 for c in r if not c["text"].isspace()) for r in rows]
    if offset:
        return sum(w >= 0.9 * extent for w in widths) >= 2 and median(counts) >= 6
    return median(widths) >= 0.5 * extent and median(counts) >= 6


_FIGURE_CHARS = frozenset("0123456789０１２３４５６７８９,.，．、・%％()（）△▲▼~～〜-－+＋"
                          "億万千百円十人社件名校年度月日")
"""Characters of a line of figures (５０．０億円（４５．０億円）, １，２００　１，０５０, 令和5年度 is not)."""


def _figures_side(rows: list[list[Char]]) -> bool:
    """Whether one side of a candidate gutter is a column of figures, most of its lines at least
    three-fifths figures, units and brackets: the amounts of labelled lines (the budget's items on the
    left, their 億円 on the right), which belong to the lines beside them, not a column of text."""
    def figure_share(row: list[Char]) -> float:
        glyphs = [c["text"] for c in row if not c["text"].isspace()]
        return sum(g in _FIGURE_CHARS for g in glyphs) / len(glyphs) if glyphs else 0.0
    return median(figure_share(r) for r in rows) >= 0.6 if rows else False


def _find_gutter(rows: Sequence[_Row], size: float) -> tuple[float, float] | None:
    """The vertical band that splits the rows into two columns of text, if there is one. A row that is only a
    page number counts as a row, but neither covers nor sides with any band (centred under both columns,
    it would cut the gutter short and stand at one side's edge)."""
    if sum(1 for r in rows if r.chars) < 6:
        return None
    rows = [r for r in rows if not (r.chars and is_page_number("".join(c["text"] for c in r.chars).strip()))]
    char_rows = [r for r in rows if r.chars]
    if not char_rows:
        return None
    tables = [r.table for r in rows if r.table is not None]
    x_lo = min(a for r in rows for a, _ in r.spans)
    x_hi = max(b for r in rows for _, b in r.spans)
    if x_hi - x_lo < 12 * size:
        return None
    lo = math.floor(x_lo)
    n = math.ceil(x_hi) - lo
    diff = [0] * (n + 1)
    for r in rows:
        for a, b in r.spans:
            diff[math.floor(a) - lo] += 1
            diff[math.ceil(b) - lo] -= 1
    cover: list[int] = []
    running = 0
    for d in diff[:n]:
        running += d
        cover.append(running)
    c0, c1 = int(0.2 * n), int(0.8 * n)
    floor_cover = min(cover[c0 : c1 + 1])
    if floor_cover > 0.5 * len(rows):
        return None
    best: tuple[tuple[int, int, float], tuple[float, float]] | None = None
    # A few lines may cross the gutter (a title, a centred running header or page number); each one
    # covers the whole gutter and may cut it into bands narrower than a glyph, so bands covered by up
    # to GUTTER_CROSSINGS more lines than the floor are tried too. The crossing lines are read as
    # lines across the page (``_order_columns``).
    for level in range(floor_cover, floor_cover + GUTTER_CROSSINGS + 1):
        i = 0
        while i < n:
            if cover[i] > level:
                i += 1
                continue
            j = i
            while j < n and cover[j] <= level:
                j += 1
            g0, g1 = float(lo + i), float(lo + j)
            if g1 - g0 >= size and j > c0 and i <= c1:
                score = _gutter_score(char_rows, g0, g1, tables)
                # At equal score the band crossed by fewer lines wins: a wider band that cuts into
                # the long lines of one column is no better a gutter.
                if score is not None and (best is None or (score, -level, g1 - g0) > best[0]):
                    best = ((score, -level, g1 - g0), (g0, g1))
            i = j
    return None if best is None else best[1]


def _gutter_score(rows: Sequence[_Row], g0: float, g1: float, tables: Sequence[_Block] = ()) -> int | None:
    """Number of rows with text on both sides of [g0, g1] if both sides read as columns, else None. Columns
    whose lines stand at other heights on each side (a heading's margin shifts one column's lines off the
    other's) share few rows: there the sides must take turns down the page instead (``OFFSET_TURNS``), and
    the score is the number of turns. A table standing wholly on one side, beside ``MIN_COLUMN_RUN`` lines of
    the other side's text at least, makes that side a column (a budget table in the left column beside the
    right column's paragraphs): the score is then the lines beside it and those on both sides."""
    left: list[list[Char]] = []
    right: list[list[Char]] = []
    held = ([t for t in tables if t.x1 <= g0], [t for t in tables if t.x0 >= g1])  # each side's own tables
    beside = [0, 0]  # lines of a side level with a table standing on the other side
    both = 0
    runs = [0, 0]  # the longest run of rows one after another with text on each side
    run = [0, 0]
    side_runs = [0, 0]  # the same where a row of the other side's text alone breaks no run
    side_run = [0, 0]
    turns = 0  # rows of one side's text alone right after a row of the other side's alone
    last_side = -1
    for r in rows:
        if any(a < g1 and b > g0 for a, b in r.spans):
            run = [0, 0]
            side_run = [0, 0]
            last_side = -1
            continue
        lc = [c for c in r.chars if c["x1"] <= g0]
        rc = [c for c in r.chars if c["x0"] >= g1]
        if lc:
            left.append(lc)
        if rc:
            right.append(rc)
        both += bool(lc and rc)
        for side, chars, other in ((0, lc, rc), (1, rc, lc)):
            if chars and not other and any(t.top <= chars[0]["top"] <= t.bottom for t in held[1 - side]):
                beside[side] += 1
        run = [run[0] + 1 if lc else 0, run[1] + 1 if rc else 0]
        runs = [max(runs[0], run[0]), max(runs[1], run[1])]
        side_run = [side_run[0] + 1 if lc else side_run[0] * bool(rc),
                    side_run[1] + 1 if rc else side_run[1] * bool(lc)]
        side_runs = [max(side_runs[0], side_run[0]), max(side_runs[1], side_run[1])]
        if bool(lc) != bool(rc):
            side = 0 if lc else 1
            turns += last_side not in (-1, side)
            last_side = side
    for side, text in ((0, left), (1, right)):  # one side a table, the other a column of text beside it
        if (held[1 - side] and beside[side] >= MIN_COLUMN_RUN and _side_ok(text) and not _figures_side(text)
                and runs[side] >= MIN_COLUMN_RUN):
            return both + beside[side]
    offset = both < 3 and turns >= OFFSET_TURNS
    if not (both >= 3 or offset) or not (_side_ok(left, offset) and _side_ok(right, offset)):
        return None
    if _figures_side(left) or _figures_side(right):
        return None
    if min(side_runs if offset else runs) < MIN_COLUMN_RUN:
        return None  # 参加企業数：約300社　連携大学数：20校 under each heading: values beside lines, no column
    l_top, l_bottom = min(r[0]["top"] for r in left), max(r[0]["bottom"] for r in left)
    r_top, r_bottom = min(r[0]["top"] for r in right), max(r[0]["bottom"] for r in right)
    overlap = min(l_bottom, r_bottom) - max(l_top, r_top)
    if overlap < 0.5 * min(l_bottom - l_top, r_bottom - r_top):
        return None
    return turns if offset else both


OFFSET_TURNS = 6
"""Columns whose lines share few heights need the reading to pass from one side's lines to the other's this many
times at least, going down the page (a label and its figure a line lower do not take turns so often)."""


def _order_columns(rows: Sequence[_Row], gutter: tuple[float, float], depth: int,
                   rules: Sequence[tuple[float, float, float]] = ()) -> list[_Element]:
    g0, g1 = gutter
    mid = (g0 + g1) / 2
    # A drawn rule across the gutter (under a header band: the title, the publisher at the right) ends the
    # columns above it: they are read before the columns below.
    breaks = sorted(y for x0, x1, y in rules if x0 < g0 and x1 > g1)
    out: list[_Element] = []
    left_chars: list[Char] = []
    right_chars: list[Char] = []
    left_tables: list[_Block] = []
    right_tables: list[_Block] = []
    text_rows: list[_Row] = []  # the rows of text in the buffers

    def flush() -> None:
        if len(text_rows) == 1 and not left_tables and not right_tables and left_chars and right_chars:
            # One row alone between rules across the gutter (地域…事業　３８億円　４２億円 between a table's
            # rules): a table's row, read whole
            out.extend(_lines(text_rows[0].chars))
        else:
            out.extend(_order(left_chars, left_tables, depth + 1, rules))
            out.extend(_order(right_chars, right_tables, depth + 1, rules))
        for buf in (left_chars, right_chars, left_tables, right_tables, text_rows):
            buf.clear()

    k = 0  # the next rule across the gutter
    for n, r in enumerate(rows):
        if k < len(breaks) and breaks[k] < r.top:
            head = _header_over_rule(rows, n, text_rows, breaks[k], gutter)
            if head is not None:  # 事業名　令和５年度予算額… right over the table's first rule: its header
                for c in head.chars:
                    (left_chars if (c["x0"] + c["x1"]) / 2 < mid else right_chars).remove(c)
                text_rows.remove(head)
            flush()
            if head is not None:
                out.extend(_lines(head.chars))
            while k < len(breaks) and breaks[k] < r.top:
                k += 1
        crosses = any(a < g1 and b > g0 for a, b in r.spans)
        if r.table is not None:
            if crosses:
                flush()
                out.append(r.table)
            elif (r.table.x0 + r.table.x1) / 2 < mid:
                left_tables.append(r.table)
            else:
                right_tables.append(r.table)
        elif crosses:
            flush()
            out.extend(_lines(r.chars))
        else:
            for c in r.chars:
                (left_chars if (c["x0"] + c["x1"]) / 2 < mid else right_chars).append(c)
            text_rows.append(r)
    flush()
    return out


def _header_over_rule(rows: Sequence[_Row], n: int, buffered: list[_Row], rule_y: float,
                      gutter: tuple[float, float]) -> _Row | None:
    """The row right over a rule across the gutter that heads what is under it (a table's header over its
    first rule): the last buffered row, with text on both sides of the gutter, its bottom within a line of
    the rule, and more white above it than a line's spacing; else None."""
    if not buffered or n < 2 or rows[n - 1] is not buffered[-1]:
        return None
    head, above = rows[n - 1], rows[n - 2]
    if not head.chars or above.table is not None or not above.chars:
        return None
    size = median(c["size"] for c in head.chars) or 10.0
    bottom = max(c["bottom"] for c in head.chars)
    above_bottom = max(c["bottom"] for c in above.chars)
    g0, g1 = gutter
    both = any(b <= g0 for _, b in head.spans) and any(a >= g1 for a, _ in head.spans)
    return head if both and rule_y - bottom <= size and head.top - above_bottom >= HEADER_WHITE * size else None


HEADER_WHITE = 1.5
"""A table's header row stands this many times the text's size below the text above it at least: the white
between a paragraph's lines is less."""


# ---------------------------------------------------------------------------------------------------
# Page furniture


def _zone(line: _Line, page: _Page) -> str | None:
    height = page.bottom - page.top
    if line.top < page.top + MARGIN_ZONE * height:
        return "top"
    if line.bottom > page.bottom - MARGIN_ZONE * height:
        return "bottom"
    return None


def _furniture_key(text: str) -> str:
    norm = unicodedata.normalize("NFKC", text)
    return re.sub(r"\d+", "#", "".join(norm.split()))


def is_page_number(text: str) -> bool:
    """Whether a line's text is just a page number (``12``, ``- 12 -``, ``p. 12``, ``12 / 40``, ``13 12``)."""
    return bool(_page_number_re().match(unicodedata.normalize("NFKC", text).strip()))


def _drop_furniture(pages: list[_Page]) -> None:
    """Remove page numbers and running headers/footers from the pages' elements, in place."""
    seen: dict[tuple[str, str], set[int]] = defaultdict(set)
    for page in pages:
        for el in page.elements:
            if isinstance(el, _Line) and not el.vertical and (zone := _zone(el, page)):
                seen[(zone, _furniture_key(el.text))].add(page.number)
    threshold = max(RUNNING_MIN_PAGES, math.ceil(RUNNING_SHARE * len(pages)))
    running = {key for key, on in seen.items() if len(on) >= threshold and key[1]}
    for page in pages:
        kept: list[_Line | TableBox] = []
        for el in page.elements:
            if isinstance(el, _Line) and not el.vertical and (zone := _zone(el, page)):
                furniture = is_page_number(el.text) or (zone, _furniture_key(el.text)) in running
                if furniture:
                    logger.debug("page %d: dropped %s furniture %r", page.number, zone, el.text)
                    continue
                if (tail := _PAGE_NUMBER_TAIL.search(el.text)) is not None and tail.start() > 0:
                    # 発行：…地域経済課　　－ 3 －: the page number closing a footer after a gap
                    el = replace(el, text=el.text[: tail.start()].rstrip())
            kept.append(el)
        page.elements = kept


# A page number set apart at the end of a line (a footer's): dashes around it, after a wide gap.
_PAGE_NUMBER_TAIL = re.compile(r"(?:[ \u3000]{2,}|\t)[-－‐―—–−]\s*\d{1,4}\s*[-－‐―—–−]\s*$")


# ---------------------------------------------------------------------------------------------------
# Text


PARAGRAPH_GAP = 0.8
"""A space between two lines of one column wider than this share of their glyph height, and wider than
twice the page's usual (tight) space between lines, is a paragraph break: a blank line in the text."""


def paragraph_gaps(elements: Sequence[_Line | TableBox]) -> set[int]:
    """Indexes of the lines that stand a paragraph's space below the line read before them.

    Only two horizontal lines one under the other in one column count (the second starts below the
    first and they share some width); the usual space is the tight end of such pairs on the page (a
    fifth of them closer), so a page set with loose leading does not turn every line into a paragraph,
    and a page of short paragraphs (a list of cells a blank line apart) still shows its blank lines."""
    pairs: list[tuple[int, float, float]] = []
    column_starts: set[int] = set()
    tables: list[tuple[int, float, float]] = []  # a table under a line or a line under a table: (i, gap, height)
    for i in range(1, len(elements)):
        a, b = elements[i - 1], elements[i]
        if isinstance(a, _Line) != isinstance(b, _Line):
            line = a if isinstance(a, _Line) else b
            if not line.vertical and isinstance(line, _Line):
                tables.append((i, b.top - a.bottom, line.bottom - line.top))
            continue
        if not (isinstance(a, _Line) and isinstance(b, _Line)) or a.vertical or b.vertical:
            continue
        gap = b.top - a.bottom
        if b.flow != a.flow and b.bottom <= a.top:
            column_starts.add(i)  # back up the page into another column: its text is a paragraph of its own
            continue
        if gap < 0:
            continue
        if min(a.x1, b.x1) <= max(a.x0, b.x0):
            if b.flow != a.flow and gap > PARAGRAPH_GAP * min(a.bottom - a.top, b.bottom - b.top):
                column_starts.add(i)  # under the last column's foot, well below it, another run (a band) starts
            continue
        pairs.append((i, gap, min(a.bottom - a.top, b.bottom - b.top)))
    if not pairs:
        return column_starts
    usual = sorted(g for _, g, _ in pairs)[(len(pairs) - 1) // 5]  # the tight end: a page of many paragraphs too
    # A table stands a paragraph apart from the text above or below it by the same measure (a card's last line
    # over a table of events); a heading set right over its table stays on the line above it.
    return column_starts | {i for i, gap, height in (*pairs, *tables)
                            if gap > PARAGRAPH_GAP * height and gap > 2 * usual}


INDENT = "\u3000"
"""What a line's indent is written with: one ideographic space per glyph width, as a text file indents."""


def line_indents(elements: Sequence[_Line | TableBox]) -> dict[int, int]:
    """Indexes of the lines of a page that start right of their run's leftmost line -> by how many glyph
    widths (the line's height).

    A run is what the reading order read as one flow (a column, a box), page furniture left out; a run
    of one line has no indent. A child line of a budget box set in by a level, a list item's wrapped
    line or a paragraph's first line keeps its indent, written as ideographic spaces as a text file
    indents, so the builders' indent rules read a PDF as they read a text file."""
    runs = _runs(elements)
    out: dict[int, int] = {}
    for run in runs.values():
        if len(run) < 2:
            continue
        left = min(elements[i].x0 for i in run)
        for i in run:
            el = elements[i]
            size = el.bottom - el.top
            if size > 0 and (n := round((el.x0 - left) / size)) > 0:
                out[i] = n
    return out


WRAP_LINES = 2
"""A run of lines whose right edge this many lines reach at least (text set to the column's width) wraps them."""
WRAP_MIN_CHARS = 12
"""A wrapped line holds this many characters at least: a card's short lines (its name over its labels) do not wrap."""


def _runs(elements: Sequence[_Line | TableBox]) -> dict[int, list[int]]:
    """The indexes of a page's horizontal lines by the run (a column, a box) the reading order read them in;
    page furniture (no run) left out."""
    runs: dict[int, list[int]] = defaultdict(list)
    for i, el in enumerate(elements):
        if isinstance(el, _Line) and el.flow >= 0 and not el.vertical:
            runs[el.flow].append(i)
    return runs


def _goes_on(text: str) -> bool:
    """Whether a line can go on with the line before it: it opens with no space (a drawn indent), bullet,
    mark, list number or label, and has no gap between its words."""
    return (bool(text[:1].strip()) and _GAP.search(text.strip()) is None and not text.startswith(_ITEM_STARTS)
            and _LIST_OPENING.match(text) is None and _LABEL_OPENING.match(text) is None)


def soft_wraps(elements: Sequence[_Line | TableBox], gaps: set[int]) -> set[int]:
    """Indexes of the lines of a page that the column's width wrapped: a line of prose (``WRAP_MIN_CHARS``
    at least, hiragana, and no gap but a space between Latin words: a label and its right-aligned amount are
    no prose; the next line no label's, ``代表機関：…``) that reaches its
    run's right edge (within a glyph and a half), the next line of the same run right under it (no
    paragraph's space) from the run's left edge, in a run whose right edge ``WRAP_LINES`` lines reach (text
    set to the column's width, not a list whose longest item is the widest). Such a line and the next are
    written as one line, as a sentence the column broke is one sentence."""
    runs = _runs(elements)
    out: set[int] = set()
    for run in runs.values():
        if len(run) < 3:
            continue
        left = min(elements[i].x0 for i in run)
        full = _full_lines(elements, run)
        if not full:
            continue
        body = _body_size(elements, run)
        for i in full:
            a, b = elements[i], elements[i + 1] if i + 1 < len(elements) else None
            if (isinstance(b, _Line) and b.flow == a.flow and not b.vertical and i + 1 not in gaps
                    and b.top > a.top and b.x0 - left < 0.5 * (b.bottom - b.top)
                    and (len(a.text.strip()) >= WRAP_MIN_CHARS and (_prose_line(a.text) or _open_bracket(a.text))
                         or _heading_wrap(a, b, body))
                    and (not a.text.rstrip().endswith(_WRAP_ENDS) or _particle_opening(b.text, a.text))
                    and _goes_on(b.text)):
                out.add(i)
    return out


def column_carries(elements: Sequence[_Line | TableBox]) -> set[int]:
    """Indexes of the column's last lines whose sentence the next column's first line goes on with: a line of
    prose (as :func:`soft_wraps` reads one) that reaches its column's right edge with no sentence's stop, the
    reading then going back up the page into the next column, whose first line starts at its left edge (no
    indent: no paragraph's first line) and opens no item. Such a line and the next are one line too (…産学官
    連携拠点の / 形成を支援している。), not a paragraph apart."""
    runs = _runs(elements)
    out: set[int] = set()
    for run in runs.values():
        i = run[-1]
        a, b = elements[i], elements[i + 1] if i + 1 < len(elements) else None
        if (not isinstance(b, _Line) or b.vertical or b.flow < 0 or b.flow == a.flow or b.bottom > a.top
                or len(run) <= WRAP_LINES or len(runs[b.flow]) <= WRAP_LINES
                or i not in _full_lines(elements, run)):
            continue
        left = min(elements[j].x0 for j in runs[b.flow])
        if (len(a.text.strip()) >= WRAP_MIN_CHARS and _prose_line(a.text)
                and not a.text.rstrip().endswith(_WRAP_ENDS) and b.x0 - left < 0.5 * (b.bottom - b.top)
                and _goes_on(b.text)):
            out.add(i)
    return out


HEADING_WRAP_MIN_CHARS = 8
"""A heading the column's width wrapped holds this many characters at least on its first line."""


def _body_size(elements: Sequence[_Line | TableBox], run: list[int]) -> float:
    """The line height of a run's text: the one most of its characters are set in (to half a point)."""
    chars: Counter[float] = Counter()
    for i in run:
        el = elements[i]
        chars[round(2 * (el.bottom - el.top)) / 2] += len(el.text.strip())
    return max(chars.items(), key=lambda kv: (kv[1], -kv[0]))[0]


def _heading_wrap(a: _Line, b: _Line, body: float) -> bool:
    """Whether ``a`` is a heading's first line, the column's width wrapping the rest of it onto ``b``: a font
    bigger than the run's text (a tenth at least), ``b`` in the same size, ``a`` one run of words with no
    sentence's stop (【東北】東北次世代医療機 / 器プロジェクト: a card's name wider than the card)."""
    size, below = a.bottom - a.top, b.bottom - b.top
    text = a.text.strip()
    return (size > 1.1 * body and abs(below - size) <= 0.1 * size and len(text) >= HEADING_WRAP_MIN_CHARS
            and "。" not in text and _GAP.search(text) is None)


def _full_lines(elements: Sequence[_Line | TableBox], run: list[int]) -> list[int]:
    """The lines of ``run`` that reach its right edge (within a glyph and a half): the farthest right edge
    ``WRAP_LINES`` lines reach, so a title wider than its column (a bigger font, over the column's text) sets
    no edge of its own."""
    def reach(i: int) -> float:
        return elements[i].x1 + 1.5 * (elements[i].bottom - elements[i].top)

    for edge in sorted((elements[i].x1 for i in run), reverse=True):
        full = [i for i in run if reach(i) >= edge and elements[i].x1 <= edge + 0.5]
        if len(full) >= WRAP_LINES:
            return full
    return []


# A line ending a sentence or a bracket is no wrap (the next line may be an item of its own); a line opening
# with a space (a drawn indent), a bullet, a mark or a list number opens an item (・世界レベルの…, ◆…, (2), ３．).
_WRAP_ENDS = tuple("。．！？!?)）」』】")
_ITEM_STARTS = tuple("・◆◇●○■□▲△▼※【〔*-→⇒①②③④⑤⑥⑦⑧⑨⑩")
_LABEL_OPENING = re.compile(r"[^\s:：。、]{1,10}[:：]")  # 代表機関：… opens a labelled line of its own
_NUMERAL = "0-9０-９一二三四五六七八九十"
_LIST_OPENING = re.compile(rf"[(（]?[{_NUMERAL}]{{1,2}}[)）.．、]|第[{_NUMERAL}]+[章節条]")


_HIRAGANA = re.compile("[\u3041-\u309f]")
# A particle opening a line, on a word that is no hiragana (を推進, が参画, の取組, は、): the sentence goes on.
_PARTICLE_OPENING = re.compile("を|[にがではとへもの](?![\u3041-\u309f])")


def _particle_opening(line: str, above: str) -> bool:
    """Whether ``line`` goes on with the sentence of ``above``, which ends in a closing bracket (「…クラスター」 /
    を推進している): it opens with a particle; not after a sentence's stop."""
    return not above.rstrip().endswith(tuple("。．！？!?")) and _PARTICLE_OPENING.match(line) is not None
_GAP = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])|\u3000")


def _open_bracket(text: str) -> bool:
    """Whether a line leaves a bracket open (・…フォーラム（令和７年６月１２: a list item of no hiragana whose date
    and venue the column's width broke): what follows goes on inside it."""
    return text.count("（") + text.count("(") > text.count("）") + text.count(")") and _GAP.search(text.strip()) is None


def _prose_line(text: str) -> bool:
    """Whether a line reads as running text: hiragana or a sentence's comma in it (令和６年１１月２０日（水）、
    仙台国際センタ: a sentence's words before its first kana), and no gap (a space beside a Japanese character,
    a full-width space) between its words."""
    return (_HIRAGANA.search(text) is not None or "、" in text) and _GAP.search(text.strip()) is None


def _assemble(pages: Sequence[_Page]) -> Source:
    parts: list[str] = []
    page_starts: list[int] = []
    tables: list[RuledTable] = []
    ocr_spans: list[tuple[int, int]] = []
    pos = 0

    def put(s: str) -> None:
        nonlocal pos
        parts.append(s)
        pos += len(s)

    for k, page in enumerate(pages):
        if k:
            put("\f")
        page_starts.append(pos)
        # (the page before ended in a table: one going on at this page's top may be its rest)
        last_was_table = k > 0 and bool(pages[k - 1].elements) and not isinstance(pages[k - 1].elements[-1], _Line)
        gaps = paragraph_gaps(page.elements)
        indents = line_indents(page.elements)
        carried = column_carries(page.elements)
        gaps -= {i + 1 for i in carried}
        wraps = soft_wraps(page.elements, gaps) | carried
        for i, el in enumerate(page.elements):
            if i in gaps:
                put("\n")  # a paragraph's space above the line: a blank line, as a text file has
            if isinstance(el, _Line):
                put(INDENT * indents.get(i, 0))
                if el.ocr:
                    ocr_spans.append((pos, pos + len(el.text)))
                put(el.text)
                if i not in wraps:
                    put("\n")
                elif el.text[-1:].isascii() and el.text[-1:].isalnum() and page.elements[i + 1].text[:1].isascii():
                    put(" ")  # a Latin word wrapped after another: the space the break stood for
                continue
            rows: list[tuple[Cell, ...]] = []
            # A table the page break cut, going on at the top of this page with no header of its own (its
            # first row is no copy of the one above's first): the rows of the table above
            carried_on = (i == 0 and k and last_was_table and tables and len(el.rows[0]) == len(tables[-1].rows[0])
                          >= 3 and list(el.rows[0]) != [c.text for c in tables[-1].rows[0]])  # (two cells: a label's)
            for r, row in enumerate(el.rows):
                cells: list[Cell] = []
                for j, cell_text in enumerate(row):
                    if j:
                        put(CELL_SEPARATOR)
                    breaks = el.breaks[r][j] if isinstance(el, TableBox) and el.breaks else ()
                    cells.append(Cell(cell_text, pos, pos + len(cell_text), breaks=breaks))
                    put(cell_text)
                put("\n")
                rows.append(tuple(cells))
            if carried_on:
                tables[-1] = RuledTable(page=tables[-1].page, rows=(*tables[-1].rows, *rows))
            else:
                tables.append(RuledTable(page=k + 1, rows=tuple(rows)))
    return Source(doc="", text="".join(parts), page_starts=page_starts, encoding="pdf", ruled_tables=tables,
                  ocr_spans=ocr_spans)
