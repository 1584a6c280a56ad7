"""The pipeline: the stages in order, each a function of the Document.

    ingest -> layout repair -> tokens -> numbers -> tables -> names -> organisations -> audit -> Result

Read top to bottom in ``STAGES``; a stage reads what the earlier ones left on the Document.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import gc
import logging
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

from pipeline.core.document import Document, Warning_
from pipeline.core.normtext import nfkc
from pipeline.core.result import Result
from pipeline.core.rules import Rules, cached_rules
from pipeline.core.source import RuledTable, Source
from pipeline.core.spans import Span, StaticSpans
from pipeline.extractors.events import event_extractor
from pipeline.extractors.numbers import NumberExtractor
from pipeline.extractors.organizations import organization_extractor
from pipeline.extractors.places import place_extractor
from pipeline.extractors.runs import name_runs
from pipeline.readers import looks_like_path, read_source
from pipeline.readers.ingest import source_from_text
from pipeline.readers.ocr import ocr_enabled
from pipeline.tables import TABLES, claimed_rule_ids
from pipeline.tables.common import view_index
from pipeline.tables.validate import prepare_rows
from pipeline.text.layout import repair_layout
from pipeline.text.tokens import token_boundaries, tokenize

log = logging.getLogger(__name__)

_NUMBERS: dict[str, NumberExtractor] = {}


def number_extractor(rules: Rules) -> NumberExtractor:
    """The number extractor compiled from ``rules`` (built once per rules content)."""
    if rules.hash not in _NUMBERS:
        _NUMBERS[rules.hash] = NumberExtractor(rules)
    return _NUMBERS[rules.hash]


# -- stages ------------------------------------------------------------------------------------


def tokens(doc: Document) -> None:
    doc.tokens = tokenize(doc.flow.text)  # in sections past spaCy's max_length


def numbers(doc: Document) -> None:
    """Amounts, dates and periods, then counts and table cells where nothing already stands."""
    num = number_extractor(doc.rules)
    text = doc.flow.text
    found = num.amounts(text) + num.dates(text)
    taken = StaticSpans([(f.start, f.end) for f in found])
    starts, ends = token_boundaries(doc.tokens)
    counts = [f for f in num.counts(text, starts, ends, taken) if not _list_marker(doc, f)]
    found += counts
    found += num.table_amounts(text, StaticSpans([(f.start, f.end) for f in found]))
    for f in found:
        doc.add(doc.flow, f)


def _list_marker(doc: Document, found: Span) -> bool:
    """A figure written as a circled or bracketed numeral (③地域) numbers a list item; it counts nothing."""
    s, _ = doc.flow.to_source(found.start, found.end)
    ch = doc.source.text[s : s + 1]
    return bool(ch) and unicodedata.decimal(ch, None) is None and unicodedata.digit(ch, None) is not None


def tables(doc: Document) -> None:
    """Every registered table that has a builder, in registry order (a builder may read earlier mentions)."""
    for name, table in TABLES.items():
        if table.builder is not None:
            doc.tables[name] = table.builder(doc)


def names(doc: Document) -> None:
    """Organisations, places and events in running text, behind what the tables already named."""
    rules = doc.rules
    text = doc.flow.text
    runs = name_runs(rules).find(doc.tokens, text)
    starts, ends = token_boundaries(doc.tokens)
    spans = (event_extractor(rules).find(text, runs, starts) + organization_extractor(rules).find(text, runs, starts)
             + place_extractor(rules).find(text, starts, ends))
    line_view = [(ln.start, ln.end, ln.text) for ln in doc.view_lines(doc.lines)]  # the builders' cached lines
    for s in place_extractor(rules).block_headings(line_view):
        doc.add(doc.lines, s)
    for s in spans:
        doc.add(doc.flow, s)


# Name mentions that overlap keep the most specific: what a table builder claimed, then events,
# organisations, places; within a rank the longer span. The table builders declare their rule ids.
_NAME_RANK = {"project": 0, "event": 1, "organization": 2, "place": 3}


def resolve_overlaps(doc: Document) -> None:
    table_rules = claimed_rule_ids()
    names_ = [m for m in doc.mentions if m.kind in _NAME_RANK]
    others = [m for m in doc.mentions if m.kind not in _NAME_RANK]

    def rank(m: Span) -> tuple[int, int, int, int]:
        return (0 if m.rule in table_rules else 1, _NAME_RANK[m.kind], -(m.end - m.start), m.start)

    figures = StaticSpans([(m.start, m.end) for m in others if m.kind in ("amount", "count")])
    furniture = StaticSpans(doc.furniture)
    kept: list[Span] = []
    # The characters kept spans cover: kept spans never overlap, so a span overlaps one of them exactly
    # when one of its characters is taken (a list insert per kept span made this quadratic). A name span
    # without characters names nothing and is dropped (no extractor makes one).
    taken = bytearray(len(doc.source.text) + 1)
    for m in sorted(names_, key=rank):
        if m.rule not in table_rules and (figures.overlaps(m.start, m.end) or furniture.contains(m.start, m.end)):
            continue  # 百三十四大学 is a count, not a university; a header row names nothing
        if m.end <= m.start or taken.find(1, m.start, m.end) != -1:
            continue
        taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        kept.append(m)
    unique: dict[tuple[str, int, int], Span] = {}
    for m in others + kept:
        unique.setdefault(m.key, m)
    doc.replace_mentions(sorted(unique.values(), key=lambda m: (m.start, m.end, m.kind)))


def organizations(doc: Document) -> None:
    """One row per distinct organisation, in order of first mention (an acronym the document defines after
    a name stands for that name: :func:`defined_acronyms`)."""
    defined_acronyms(doc)
    rows: dict[str, dict[str, Any]] = {}
    for m in doc.mentions:  # in text order
        if m.kind != "organization":
            continue
        row = rows.get(m.value)
        if row is None:
            rows[m.value] = {"name": m.value, "type": m.org_type or "other", "mentions": 1,
                             "first_line": doc.line_of(m.start)}
        else:
            row["mentions"] += 1
    doc.tables["organizations"] = list(rows.values())


# The rules of rules/*.yaml this module fires itself (the extractors' and builders' are theirs).
RULE_IDS = ("org.defined",)

# An acronym in brackets right after a name (科学技術振興機構（ＪＳＴ）): Latin capitals, maybe digits,
# & or -, in the source's full- or half-width forms.
_DEFINED = re.compile(r"[^\S\n]*[(（][^\S\n]*(?P<a>[A-ZＡ-Ｚ][A-ZＡ-Ｚ0-9０-９&＆\-－]{1,9})[^\S\n]*[)）]")
# A short name defined in so many words (（以下「産総研」という。）, （以下、「ＮＥＤＯ」と略す）), or a short form
# of kanji and katakana alone in brackets (産業技術総合研究所（産総研）).
_DEFINED_AS = re.compile(r"[^\S\n]*[(（][^\S\n]*以下[、,，]?[^\S\n]*[「『](?P<a>[^「」『』()（）\s]{2,12})[」』]"
                         r"[^\S\n]*(?:という|と(?:略|称|記)す|と呼ぶ)[^()（）\n]{0,6}[)）]")
_DEFINED_SHORT = re.compile(r"[^\S\n]*[(（](?P<a>[\u4e00-\u9fff\u30a1-\u30ffー々]{2,8})[)）]")
_LATIN_WORD = re.compile(r"[A-Za-z0-9Ａ-Ｚａ-ｚ０-９]")


def defined_acronyms(doc: Document) -> None:
    """An acronym the document defines in brackets right after an organisation's name (国立研究開発法人
    科学技術振興機構（ＪＳＴ）) stands for that organisation wherever the document writes it as a whole word
    (rule ``org.defined``): the mentions it had (JST from the gazetteer) and the ones it gets (an acronym no
    rule knows) take the name's value and type, so the organisations table counts one organisation."""
    text = doc.source.text
    orgs = [m for m in doc.mentions if m.kind == "organization"]
    if not orgs or ("(" not in text and "（" not in text):
        return
    defined: dict[str, Span] = {}  # acronym or short name (NFKC) -> the name it stands for
    bare_name = organization_extractor(doc.rules).without_legal_person
    for m in orgs:
        said = _DEFINED_AS.match(text, m.end)  # （以下「…」という。）: the document says so
        d = _DEFINED.match(text, m.end) or said or _DEFINED_SHORT.match(text, m.end)
        if d is None:
            continue
        acronym = nfkc(d.group("a"))
        if acronym != m.value and (sum(ch.isupper() for ch in acronym) >= 2 and acronym.isascii()
                                   or _abbreviates(acronym, bare_name(m.value), anchored=said is None)):
            defined.setdefault(acronym, m)
    if not defined:
        return
    kept: list[Span] = []
    covered = StaticSpans([(m.start, m.end) for m in doc.mentions])
    for m in doc.mentions:
        # (an acronym the rules know too has its full name as value already: looked up as written)
        full = (defined.get(m.value) or defined.get(nfkc(text[m.start : m.end]))) if m.kind == "organization" else None
        if full is not None and m is not full:
            m = Span("organization", m.start, m.end, full.value, "org.defined", org_type=full.org_type)
        kept.append(m)
    added = []
    for acronym, full in defined.items():
        for hit in _either_width(acronym).finditer(text):
            s, e = hit.span()
            if (s and _LATIN_WORD.match(text, s - 1)) or _LATIN_WORD.match(text, e) or covered.overlaps(s, e):
                continue  # inside a longer Latin word, or some mention's already
            added.append(Span("organization", s, e, full.value, "org.defined", org_type=full.org_type))
    if added:  # in the order resolve_overlaps left: start, end, kind
        kept += added
        kept.sort(key=lambda m: (m.start, m.end, m.kind))
    doc.replace_mentions(kept)


def _abbreviates(short: str, name: str, anchored: bool = True) -> bool:
    """Whether ``short`` is a Japanese short form of ``name``: shorter, its characters found in the name in
    order (産総研: 産業技術総合研究所; 東北大: 東北大学), and, ``anchored``, opening with the name's first
    character (a name defined in so many words may be its tail: 振興会 for みちのく産業振興会)."""
    if not (1 < len(short) < len(name)) or (anchored and short[0] != name[0]) or not short.isalpha():
        return False
    at = 0
    for ch in short:
        at = name.find(ch, at) + 1
        if at == 0:
            return False
    return True


@functools.lru_cache(maxsize=64)
def _either_width(word: str) -> re.Pattern[str]:
    """``word`` (ASCII) in half- or full-width letters and digits (JST, ＪＳＴ)."""
    return re.compile("".join(f"[{re.escape(ch)}{re.escape(chr(ord(ch) + 0xFEE0))}]" if "!" <= ch <= "~"
                              else re.escape(ch) for ch in word))


_DIGITS = re.compile(r"\d+")
# A figure as a reader sees it: digits with their decimal point or thousands separators (1.5, 12,300), so
# 前年比1.5倍 is one unclaimed figure, not two.
_FIGURE = re.compile(r"\d+(?:[.,]\d+)*")
# Latin letters right before a number make it part of a code (B7, ISO9001), unless the letter is alone
# and an era's initial (H21: 平成21).
_CODE_BEFORE = re.compile(r"(?:[A-Za-z]{2}|(?<![A-Za-z])[A-GI-LN-QU-Za-z])$")
# A number that opens a line as a list or section number (1. 事業の目的, (2), 3) 予算, [4], 【5】, or a number and
# a space before a word: １　浜松地域…): it counts nothing and is no figure a rule missed.
_LIST_NUMBER = re.compile(r"[^\S\n]*(?:\((?P<p>\d{1,3})\)|\[(?P<b>\d{1,3})\]|【(?P<k>\d{1,3})】"
                          r"|(?P<n>\d{1,3})[.)](?![\d.])"
                          r"|(?P<s>\d{1,2})(?=[ ]+[^\d\s])|(?P<d>\d{1,2}(?:-\d{1,2}){1,2})(?=[ ]+[^\d\s]))")
# A time of day: 13:30, or 13時30分 / 13時 (not 24時間, a duration).
_CLOCK = re.compile(r"\d{1,2}:\d{2}|\d{1,2}時(?!間)(?:\d{1,2}分)?")
# A telephone number (03-5253-4111) or an extension after 内線, a postal code (〒980-0856) or the block and
# house numbers of an address after its town's name (一ツ橋2-1-2, 青葉山1-2-3): digits, but no figure.
_PHONE = re.compile(r"(?<![\d-])\d{2,5}-\d{1,4}-\d{3,4}(?![\d-])|(?<=内線)\d{1,6}"
                    r"|(?<![\d-])\d{3}-\d{4}(?![\d-])"
                    r"|(?<=[\u3041-\u30ff\u4e00-\u9fff々])\d{1,4}(?:-\d{1,4}){1,3}(?![\d-])"
                    r"|(?<=[\u4e00-\u9fff々])\d{1,4}(?=丁目|番地|番丁|番町|番|号)")  # 下本多町6番丁27番地, 大手町1丁目


@functools.lru_cache(maxsize=8)
def _nth_re(after: tuple[str, ...]) -> re.Pattern[str]:
    """After an ordinal's or a rate's number: a counter of up to three characters and one of the numbers
    rules' ``ordinal_after`` words (3年目, 2回目, 1地域あたり, 1件当たり)."""
    words = "|".join(re.escape(w) for w in sorted(after, key=len, reverse=True)) or "(?!)"
    return re.compile(rf"[^\d\s、。,.()]{{0,3}}?(?:{words})")


def _list_number(doc: Document, s: int, e: int) -> bool:
    """Whether the source figure [s, e) is a list or section number: it opens its line in the line view
    (1. 事業の目的, (2), 3) 予算, [4], １　浜松…, ３－１　成果; the flow view may have joined that line to the one
    above), or it is one circled or bracketed character (①, ⑽)."""
    if e - s == 1 and unicodedata.decimal(doc.source.text[s], None) is None:
        return True
    a, b = doc.line_start(doc.line_of(s)), view_index(doc.lines, s)
    line_at = view_index(doc.lines, a)
    m = _LIST_NUMBER.match(doc.lines.text, line_at, line_at + (b - line_at) + 8)
    if m is None or m.lastgroup is None:
        return False
    lo, hi = doc.lines.to_source(*m.span(m.lastgroup))
    return (lo, hi) == (s, e) or m.lastgroup == "d" and lo <= s and e <= hi  # ３－１ 主な成果: a section's number


def _clock(text: str, start: int, end: int) -> bool:
    """Whether the figure text[start:end] is part of a time of day (13:00～17:00)."""
    for m in _CLOCK.finditer(text, max(0, start - 3), min(len(text), end + 6)):
        bounded = (m.start() == 0 or text[m.start() - 1] not in _CLOCK_NEIGHBOURS) and (
            m.end() == len(text) or text[m.end()] not in _CLOCK_NEIGHBOURS)
        if bounded and m.start() <= start and end <= m.end():
            return True
    return False


_CLOCK_NEIGHBOURS = "0123456789:"


def _phone(text: str, start: int, end: int) -> bool:
    """Whether the figure text[start:end] is part of a telephone number or an extension, a postal code or an
    address's block and house numbers."""
    return any(m.start() <= start and end <= m.end()
               for m in _PHONE.finditer(text, max(0, start - 12), min(len(text), end + 12)))


def _page_reference(text: str, start: int, end: int) -> bool:
    """Whether the figure text[start:end] is a page number after a leader closing its line (a table of
    contents: 第２章　予算の概要　……………　１２; NFKC made the leaders dots)."""
    return bool(_LEADER_BEFORE.search(text, max(0, start - 8), start)) and (
        end == len(text) or text[end : end + 1] == "\n" or not text[end:].split("\n", 1)[0].strip())


_LEADER_BEFORE = re.compile(r"(?:\.{2,}|・{2,}|-{3,}|ー{3,})[ \u3000]*$")


def audit(doc: Document) -> None:
    """Warn about numbers in the text that no rule claimed (layout furniture, list numbers, ordinals, times
    of day, lengths of time, rates, files' sizes, telephone numbers and a table of contents' page numbers
    aside; those are looked at only for the few figures nothing claimed). A figure with its decimal point or
    separators is one number (指数12.75: 12.75); where a rule claimed part of one, the rest is looked at digit
    run by digit run."""
    claimed = StaticSpans([(m.start, m.end) for m in doc.mentions])
    text = doc.flow.text
    numbers_cfg = doc.rules.get("numbers")
    ordinal_before = (numbers_cfg.get("ordinal_before") or "") + (numbers_cfg.get("reference_before") or "")
    nth = _nth_re(tuple(numbers_cfg.get("ordinal_after") or ()))
    durations = tuple(numbers_cfg.get("duration_after") or ())
    rates = tuple(numbers_cfg.get("rate_after") or ())
    sizes = tuple(numbers_cfg.get("size_after") or ())
    for run in _FIGURE.finditer(text):
        s, e = doc.flow.to_source(run.start(), run.end())
        if claimed.contains(s, e):
            continue
        pieces = _DIGITS.finditer(text, run.start(), run.end()) if claimed.overlaps(s, e) else (run,)
        for m in pieces:
            s, e = doc.flow.to_source(m.start(), m.end())
            if (claimed.contains(s, e) or _clock(text, m.start(), m.end()) or _list_number(doc, s, e)
                    or _phone(text, m.start(), m.end()) or _page_reference(text, m.start(), m.end())):
                continue
            if (m.start() > 0 and text[m.start() - 1] in ordinal_before) or nth.match(text, m.end()):
                continue  # 第2期, 図3, 3年目, 1地域あたり, ※1: an ordinal, a rate or a note's number, no figure
            if durations and text.startswith(durations, m.end()):
                continue  # ５年間, ６ヶ月: a length of time
            if rates and text.startswith(rates, m.end()):
                continue  # １０２．５％, 1.5倍, ３割: a rate or a ratio, no figure the numbers rules read
            if sizes and text.startswith(sizes, m.end()):
                continue  # (PDF:1,784KB): a linked file's size
            if _CODE_BEFORE.search(text, max(0, m.start() - 2), m.start()):
                continue  # ホールB7, ISO9001: a code; an era's initial alone (H21) is still looked at
            line = doc.line_of(s)
            context = doc.source.text[max(0, s - 8) : e + 8].replace("\n", " ")
            doc.warn(line, "number_unclaimed",
                     f"{m.group()} in '{context.strip()}' was not read as a count, amount or date")


STAGES: list[tuple[str, Callable[[Document], None]]] = [
    ("tokens", tokens),
    ("numbers", numbers),
    ("tables", tables),
    ("names", names),
    ("resolve_overlaps", resolve_overlaps),
    ("organizations", organizations),
    ("audit", audit),
]


# -- running -----------------------------------------------------------------------------------


# A document longer than this many characters is extracted section by section (spaCy's default
# ``max_length``): the per-character maps of the layout views, the tokens and the mention index of one
# section are freed before the next is read, so memory stays bounded by the section, not the input.
SECTION_CHARS = 1_000_000


def run_document(source: Source, rules: Rules, section_chars: int | None = None) -> Result:
    """Every stage over one decoded source; a long one in sections of at most ``section_chars``."""
    size = section_chars or SECTION_CHARS
    with collector_paused():
        rows = _document_rows(source, rules) if len(source.text) <= size else _sectioned_rows(source, rules, size)
        prepare_rows(rows)  # what `load` would refuse is dropped, formula-like cells flagged: with warnings
    return Result(input=source, rows=rows, rules_hash=rules.hash)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector off while one document is extracted, then as it was.

    The stages make millions of short-lived objects and no reference cycles (every one is freed by
    its reference count; tests/test_engine_gc.py holds that), so the collector's passes find nothing;
    yet each pass walks every live object, and a bigger document has more of them: on a 1,000,000
    character document they took 12-19% of the time, and made the time grow faster than the text.
    A caller that had turned the collector off finds it off afterwards.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _document_rows(source: Source, rules: Rules) -> dict[str, list[dict[str, Any]]]:
    layout = repair_layout(source.text, rules.get("layout"))
    doc = Document(source, rules, layout.lines, layout.flow)
    for note in source.page_notes:  # what the reader found on a page (broken fonts, scans, OCR)
        start = source.page_starts[note.page - 1] if note.page <= len(source.page_starts) else 0
        doc.warnings.append(Warning_(doc.line_of(start), note.code, note.message, note.page))
    for line, code, message in source.notes:  # what ingest removed (control characters)
        doc.warn(line, code, message)
    for name, stage in STAGES:
        log.debug("%s: %s", source.doc, name)
        stage(doc)
    return to_rows(doc)


def _sectioned_rows(source: Source, rules: Rules, size: int) -> dict[str, list[dict[str, Any]]]:
    """Rows of a long document, extracted section by section and joined in source coordinates.

    Each section ends where the document breaks most strongly near ``size`` characters (a page, then
    a blank line, then a line end; never inside a ruled table), so a table or a paragraph is rarely
    cut. A row's offsets, lines and pages are moved back into the whole document's coordinates;
    organisations named in several sections are one row. ``warnings.csv`` says the document was
    read in sections.
    """
    cuts = section_cuts(source, size, rules.get("layout").get("section_starts", ""))
    out: dict[str, list[dict[str, Any]]] = {}
    organizations: dict[str, dict[str, Any]] = {}
    lines_before = 0
    for a, b in zip(cuts, cuts[1:], strict=False):
        part, page_shift = _section_source(source, a, b, lines_before)
        rows = _document_rows(part, rules)
        log.debug("%s: section %d-%d", source.doc, a, b)
        for name, table_rows in rows.items():
            for row in table_rows:
                _shift(row, a, lines_before, page_shift)
            if name == "organizations":
                for row in table_rows:
                    seen = organizations.get(row["name"])
                    if seen is None:
                        organizations[row["name"]] = row
                    else:
                        seen["mentions"] += row["mentions"]
            else:
                out.setdefault(name, []).extend(table_rows)
        lines_before += source.text.count("\n", a, b)
        del part, rows
    out["organizations"] = list(organizations.values())
    out.setdefault("warnings", []).append({
        "doc": source.doc, "line": 1, "page": 1, "code": "document_sectioned",
        "message": f"{len(source.text):,} characters read in {len(cuts) - 1} sections of at most {size:,} "
                   f"(cut at page breaks, blank lines or line ends)"})
    out["warnings"].sort(key=lambda w: (w["line"] or 0, w["code"], w["message"]))
    return out


def _shift(row: dict[str, Any], chars: int, lines: int, pages: int) -> None:
    for col, by in (("start", chars), ("end", chars), ("line", lines), ("first_line", lines), ("page", pages)):
        if row.get(col) is not None:
            row[col] += by


def section_cuts(source: Source, size: int, heading_marks: str = "") -> list[int]:
    """Offsets ``[0, ..., len(text)]`` cutting ``source.text`` into sections of at most ``size``.

    Each cut is taken in the second half of the allowed window: the last page start there, else the
    last blank line before a line opening with one of ``heading_marks``, else the last blank line,
    else the last line end; a text with none of these there (one huge line) is cut at ``size``. A cut
    inside a ruled table moves to the table's start (or, if that is not past the section's start, its
    end).
    """
    text, n = source.text, len(source.text)
    tables = sorted((t.rows[0][0].start, max(c.end for r in t.rows for c in r))
                    for t in source.ruled_tables if t.rows and t.rows[0])
    heading = re.compile(f"\\n\\n(?=[ \\t\u3000]*[{re.escape(heading_marks)}])") if heading_marks else None
    page_starts = source.page_starts
    cuts = [0]
    while n - cuts[-1] > size:
        a = cuts[-1]
        hi, lo = a + size, a + size // 2
        cut = 0
        i = bisect.bisect_right(page_starts, hi) - 1
        if i >= 0 and page_starts[i] > lo:
            cut = page_starts[i]
        if not cut and heading is not None:
            ends = [m.end() for m in heading.finditer(text, lo, hi)]
            cut = ends[-1] if ends else 0
        if not cut:
            blank = text.rfind("\n\n", lo, hi)
            cut = blank + 2 if blank >= 0 else text.rfind("\n", lo, hi) + 1
        if cut <= lo:
            cut = hi
        for t_start, t_end in tables:
            if t_start < cut < t_end:
                cut = t_start if t_start > a else min(t_end, n)
        cuts.append(cut)
    cuts.append(n)
    return cuts


def _section_source(source: Source, a: int, b: int, lines_before: int) -> tuple[Source, int]:
    """``source.text[a:b]`` as a Source of its own, and how many pages lie before its first one."""
    first_page = source.page_of(a)
    starts = [0] + [p - a for p in source.page_starts if a < p < b]
    last_page = first_page + len(starts) - 1
    shift = first_page - 1
    line_count = source.text.count("\n", a, b) + 1
    tables = [
        RuledTable(t.page - shift, tuple(tuple(replace(c, start=c.start - a, end=c.end - a) for c in row)
                                        for row in t.rows))
        for t in source.ruled_tables if t.rows and t.rows[0] and a <= t.rows[0][0].start < b
    ]
    part = Source(
        doc=source.doc, text=source.text[a:b], page_starts=starts, sha256=source.sha256,
        encoding=source.encoding, path=source.path, ruled_tables=tables,
        page_notes=[replace(n, page=n.page - shift) for n in source.page_notes
                    if n.page <= len(source.page_starts) and a <= source.page_starts[n.page - 1] < b],
        ocr_pages=[p - shift for p in source.ocr_pages if first_page <= p <= last_page],
        ocr_spans=[(max(s, a) - a, min(e, b) - a) for s, e in source.ocr_spans if s < b and e > a],
        notes=[(line - lines_before, code, message) for line, code, message in source.notes
               if lines_before < line <= lines_before + line_count],
    )
    return part, shift


def to_rows(doc: Document) -> dict[str, list[dict[str, Any]]]:
    """Every table as plain rows with the schema's columns, ``doc`` first."""
    d = doc.source.doc
    text = doc.source.text
    ocr_pages = set(doc.source.ocr_pages)
    ocr_spans = doc.source.ocr_spans
    ocr_starts = [s for s, _ in ocr_spans]

    def read_by_ocr(page: int, start: int) -> bool:
        if page in ocr_pages:
            return True
        k = bisect.bisect_right(ocr_starts, start) - 1
        return k >= 0 and start < ocr_spans[k][1]
    page_of, line_of = doc.source.page_of, doc.line_of
    # Mention rows are made whole here, ``doc`` first and in the schema's column order, since they are
    # most of the rows (the other tables' rows are put in column order below).
    mention_rows = []
    for m in doc.mentions:
        page, figure = page_of(m.start), m.kind in ("amount", "count")
        mention_rows.append({
            "doc": d,
            "kind": m.kind,
            "text": text[m.start : m.end],
            "value": m.value,
            "unit": m.unit,
            "approx": m.approx if figure else None,
            "page": page,
            "line": line_of(m.start),
            "start": m.start,
            "end": m.end,
            "rule": m.rule,
            "ocr": read_by_ocr(page, m.start) if ocr_spans else page in ocr_pages,
            "bound": m.bound if figure else None,
        })
    warning_rows = [
        {"line": w.line, "code": w.code, "message": w.message,
         "page": w.page if w.page is not None else doc.source.page_of(doc.line_start(w.line))}
        for w in sorted(doc.warnings, key=lambda w: (w.line, w.code, w.message))
    ]
    data = dict(doc.tables, mentions=mention_rows, warnings=warning_rows)
    out = {}
    for name, table in TABLES.items():
        columns = table.column_names
        if name == "mentions" and (not mention_rows or list(mention_rows[0]) == columns):
            out[name] = mention_rows  # already whole (unless a column was added to the schema)
            continue
        rows = out[name] = []
        for r in data.get(name, ()):
            row = dict(zip(columns, map(r.get, columns), strict=True))
            row["doc"] = d
            rows.append(row)
    return out


def extract(path_or_text: str | Path, rules_dir: str | Path | None = None, doc: str | None = None,
            ocr: bool = False) -> Result:
    """Extract every table from an input file (any registered format), or from the text itself.

    A ``Path``, or a one-line string without spaces that ends in a file suffix (or names a file), is a
    file: an unknown format raises ``IngestError`` naming it and the supported formats. With ``ocr``,
    PDF pages without a usable text layer are read by Tesseract.
    """
    rules = cached_rules(rules_dir)
    if isinstance(path_or_text, Path) or looks_like_path(path_or_text):
        with ocr_enabled(ocr):
            source = read_source(path_or_text, doc=doc)
    else:
        source = source_from_text(str(path_or_text), doc=doc or "text")
    return run_document(source, rules)


def extract_text(text: str, rules_dir: str | Path | None = None, doc: str = "text") -> Result:
    """Extract every table from ``text`` itself, never taken for a file name (``"0.A"`` is text)."""
    return run_document(source_from_text(text, doc=doc), cached_rules(rules_dir))
