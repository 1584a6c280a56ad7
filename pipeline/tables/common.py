"""Small helpers the table builders share."""

from __future__ import annotations

import bisect
import functools
import re
import unicodedata

from pipeline.core.document import Document, ViewLine
from pipeline.core.normtext import NormText
from pipeline.core.spans import Span
from pipeline.extractors.common import kana_places
from pipeline.ja.numerals import NumeralTable


def view_index(view: NormText, src_offset: int) -> int:
    """First index of ``view`` whose character comes from ``src_offset`` or later."""
    return bisect.bisect_left(view.origin, src_offset, 0, len(view.text))


def line_mentions(doc: Document, line: ViewLine, kinds: tuple[str, ...]) -> list[Span]:
    return doc.mentions_in(line.src_start, line.src_end, kinds)


class Figures:
    """The document's mentions of ``kinds`` (counts, amounts, dates: what the numbers stage found), looked
    up line by line with the answers of :func:`line_mentions`.

    A builder makes one when it starts and asks it about many lines. ``Document.mentions_in`` answers
    from the document's mention index, which takes in every mention added since its last lookup first:
    a builder that adds a name and then looks at the next line paid for an insert into the index each
    time, and every lookup walked the index's blocks. The builders add names, never figures, so the
    figures found here stay the document's while a builder runs; a lookup is then two bisects on a list.
    """

    __slots__ = ("starts", "spans")

    def __init__(self, doc: Document, kinds: tuple[str, ...]) -> None:
        # The index's order: by start, end, then the order of ids (mentions of one span).
        found = sorted((m for m in doc.mentions if m.kind in kinds), key=lambda m: (m.start, m.end, id(m)))
        self.spans = found
        self.starts = [m.start for m in found]

    def within(self, start: int, end: int) -> list[Span]:
        """The mentions lying inside the source span [start, end), in text order (``Document.mentions_in``)."""
        starts = self.starts
        k = bisect.bisect_left(starts, start)
        if k == len(starts) or starts[k] >= end:
            return []  # most lines hold no figure
        return [m for m in self.spans[k : bisect.bisect_left(starts, end, k)] if m.end <= end]

    def on(self, line: ViewLine) -> list[Span]:
        """The mentions on ``line`` (:func:`line_mentions`)."""
        return self.within(line.src_start, line.src_end)

    def starts_on(self, line: ViewLine) -> bool:
        """Whether one of the mentions starts on ``line`` (a cheap test before :meth:`on`)."""
        return starts_on(self.starts, line)


def mention_starts(doc: Document, kinds: tuple[str, ...]) -> list[int]:
    """Where the mentions of ``kinds`` start, sorted: with :func:`starts_on`, a one-bisect test that
    rules out the lines :func:`line_mentions` would find nothing on."""
    return sorted(m.start for m in doc.mentions if m.kind in kinds)


def starts_on(starts: list[int], line: ViewLine) -> bool:
    """Whether one of ``starts`` (sorted source offsets) lies on ``line``."""
    k = bisect.bisect_left(starts, line.src_start)
    return k < len(starts) and starts[k] < line.src_end


def lines_holding(text: str, pattern: re.Pattern[str]) -> list[int]:
    """Indexes of the lines of ``text`` on which a match of ``pattern`` starts, in order, each once.

    ``text`` is a view's text, whose line ``i`` is ``doc.view_lines(view)[i]`` (both cut at "\\n"). One
    regex scan over the whole text stands in for a test on every line: a builder looks closely only at
    the few lines holding the words it reads (a label, a marker, a verb). For a pattern that cannot match
    a line break (literal words), these are exactly the lines ``pattern.search(line)`` finds something on.
    """
    out: list[int] = []
    line = at = 0
    search, count, find = pattern.search, text.count, text.find
    while (m := search(text, at)) is not None:
        s = m.start()
        line += count("\n", at, s)
        out.append(line)
        at = find("\n", s) + 1  # on to the next line: one hit per line is enough
        if at == 0:
            break
        line += 1
    return out


@functools.lru_cache(maxsize=64)
def words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A regex matching any of ``words`` (literally), compiled once per word list; none: never matching."""
    if not words:
        return re.compile("(?!)")
    return re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)))


def view_text(doc: Document, lines: list[ViewLine]) -> str:
    """The text ``lines`` were cut from: the line view's own text when they are its lines, else joined."""
    return doc.lines.text if lines is doc.view_lines(doc.lines) else "\n".join(ln.text for ln in lines)


# A list number before an item's name, after NFKC: (1), 1., 1), [1], or a number and a space before a
# word (１　浜松地域オプトロニクスクラスター), or a kanji numeral in brackets or before 、 or a space ((一), 一、…,
# 二　…), or a katakana of the iroha or aiueo order before a dot or in brackets (ア．, (イ)); the name starts
# after it.
ENUMERATOR = re.compile(r"(?:\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2}[.)](?![\d.])|\d{1,2}(?=[ ]+[^\d\s])"
                        r"|\([一二三四五六七八九十]{1,3}\)|[一二三四五六七八九十]{1,3}(?:、|(?=[ ]+[^\d\s]))"
                        r"|[アイウエオカキクケコ][.)](?![.\d])|\([アイウエオカキクケコ]\))[ ]*")

# A short label (its characters maybe spaced out, as a justified label is) and a colon opening a line
# (企業：約４５社, 分 野 ：…): a detail of something, no heading naming it.
DETAIL_OPENING = re.compile(r"\s*((?:[^\s:：、。]\s?){1,6}?)\s?[:：]")


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


def item_lead(doc: Document, at: int, raw: str, marks: str, view: NormText | None = None) -> int:
    """How many characters of ``raw`` (``view`` from ``at``, the line view unless given) come before an
    item's name: spaces and list marks, then a list number ((1), 1., or a circled ① that NFKC made 1) and
    the marks after it."""
    lead = leading_bullets(raw, marks)
    m = ENUMERATOR.match(raw, lead)
    if m is not None and m.end() < len(raw.rstrip()):
        return m.end() + leading_bullets(raw[m.end() :], marks)
    origin = (view or doc.lines).origin
    if lead < len(raw) and at + lead < len(origin):
        src = origin[at + lead]
        ch = doc.source.text[src]
        if unicodedata.decimal(ch, None) is None and unicodedata.digit(ch, None) is not None:
            k = lead
            while k < len(raw) and at + k < len(origin) and origin[at + k] == src:
                k += 1  # ⑩ is two characters after NFKC, both from the one in the source
            if k < len(raw.rstrip()):
                return k + leading_bullets(raw[k:], marks)
    return lead


def after_page_break(lines: list[ViewLine], k: int, max_blank: int = 8) -> int | None:
    """The first line that is not blank from line ``k`` on, when the blank lines before it hold a page
    break (a form feed: what is left of a page's number and running head once blanked) and are at most
    ``max_blank``; else None. A block a page break cut (a name at one page's foot, its figures at the
    next page's top) goes on there."""
    crossed = False
    j = k
    while j < len(lines) and lines[j].blank and j - k < max_blank:
        crossed = crossed or "\f" in lines[j].text
        j += 1
    if j < len(lines) and not lines[j].blank and (crossed or lines[j].text.startswith("\f")) and j > k:
        return j
    return None


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


def kana_place_words(doc: Document) -> tuple[str, ...]:
    """The places' words written in hiragana alone (ながさき, とやま, みやぎ: the blocks of places.yaml), longest
    first."""
    return kana_places(doc.rules)


def rule_numerals(doc: Document) -> NumeralTable:
    """The numerals of the document's rules (one table per rules content)."""
    key = doc.rules.hash
    table = _NUMERALS.get(key)
    if table is None:
        table = _NUMERALS[key] = NumeralTable.from_rules(doc.rules.get("numbers")["numerals"])
    return table


_NUMERALS: dict[str, NumeralTable] = {}
