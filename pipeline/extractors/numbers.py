"""Extractors for yen amounts, counts, dates and periods.

Regular expressions are assembled from ``rules/numbers.yaml`` and ``rules/dates.yaml`` (the words and
the numeral table) and this module (the grammar of a number). Every pattern is linear: a number is an
atomic group that may only start where no number character stands before it, so a line of digits is
read once, never re-split or re-tried from every position inside it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from pipeline.core.rules import Rules
from pipeline.core.spans import Span, StaticSpans
from pipeline.ja.dates import Era, PartialDate, decade_period, era_year, fiscal_month, period_value
from pipeline.ja.numerals import NumeralTable

# The rules of rules/numbers.yaml and rules/dates.yaml this module fires (a mention's `rule`).
RULE_IDS = (
    "amount.yen", "amount.shared_unit", "amount.table_unit", "count.counter", "count.shared_counter", "count.labelled",
    "date.era", "date.western", "date.era_context", "date.western_short", "date.year_context", "date.fiscal_month",
    "period.range", "period.fiscal_year", "period.era_context", "period.western_short", "period.decade",
    "date.relative", "period.relative", "period.open", "date.name_year", "date.weekday_context",
)

# A Western year glued to a name (after NFKC): イノベーション・ジャパン2024, BioJapan 2024, 交流会2025; not a
# year written as one (2024年), a figure (2,024) or a date (2024/8).
_NAME_YEAR = re.compile(r"(?<=[A-Za-z\u30a1-\u30fa\u30fc\u4e00-\u9fff])[ ]?((?:19|20)\d{2})(?![\d年,./])")
_NAME_YEAR_CHARS = 40  # how far before the date such a name may stand on its line
_WEEKDAY_IN_BRACKETS = re.compile(r"[(（]\s*(\S)")

# Atomic: once digits are read they are never re-split.
_ARABIC = r"(?>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
# A run of figures longer than this is a table of digits or noise, not an amount or a count.
MAX_NUMBER_CHARS = 40


@dataclass
class _Context:
    """The last full year read: what a year written without its era (50年度, 07年度) refers to."""

    pos: int
    year: int
    era: str | None  # None: a Western year
    fiscal: bool


# After a unit header's "(": the note saying what the bracketed figures are (( )内は前年度予算額).
_BRACKET_NOTE = re.compile(r"\s*\)\s*内[はの]")


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


# Dates that state their year (or take it from an era or year before them) and so date what follows.
_SETS_CONTEXT = frozenset({"date.era", "date.western", "date.era_context", "date.fiscal_month", "date.relative"})
_BLANK_RUN = re.compile(r"\n(?:[ \t\u3000]*\n)+")  # a line end, then blank lines
_BLANK_LINE = re.compile(r"\n[^\S\n]*\n")
_FIRST_LINE = re.compile(r"\s*([^\n]*\S[^\n]*)")  # the first line holding anything


_MONEY_BRACKET = re.compile(r"\([十百千万億]{0,3}円\)")  # (百万円), (千円), (円): a money column's unit


def _block_end(text: str, start: int) -> int:
    """Where the block of lines below the line of ``start`` ends: the first blank line after some text
    (blank lines right below are skipped), else the text's end."""
    line_end = text.find("\n", start)
    if line_end < 0:
        return len(text)
    first = _NON_BLANK.search(text, line_end)
    if first is None:
        return len(text)
    end = text.find("\n\n", first.start())
    return len(text) if end < 0 else end


_NON_BLANK = re.compile(r"[^\s]")


def _footed_block(text: str, h_start: int, h_end: int) -> tuple[int, int, bool] | None:
    """The block of lines right above a line that holds nothing but a unit header (one blank line between
    them allowed): (start, end, whether the header's line closes that block with no blank line), or None when
    the header shares its line or nothing stands above it."""
    line_start = text.rfind("\n", 0, h_start) + 1
    line_end = text.find("\n", h_end)
    line_end = len(text) if line_end < 0 else line_end
    if text[line_start:h_start].strip(" \t\u3000(（") or text[h_end:line_end].strip(" \t\u3000)）"):
        return None
    end = line_start - 1  # the newline before the header's line
    glued = True
    if end > 0 and text[text.rfind("\n", 0, end) + 1 : end].strip() == "":
        end, glued = text.rfind("\n", 0, end), False  # one blank line between the table and its footer
    if end <= 0:
        return None
    start = text.rfind("\n\n", 0, end)
    start = 0 if start < 0 else start + 2
    return (start, end, glued) if text[start:end].strip() else None


def _cls(chars: Iterable[str]) -> str:
    return "".join(re.escape(c) for c in sorted(set(chars)))


def _starts_with(number_start: str, *word_lists: Iterable[str]) -> str:
    """A lookahead for the characters a match can start with: a number (``number_start``, a class body)
    or the first character of an optional word before it. The engine then skips every other position
    at once instead of trying each optional group there (the scan cost several times the matching).
    Empty: no lookahead, when a word list is empty or holds "" (an empty optional word lets the space
    after it start the match)."""
    words = [list(ws) for ws in word_lists]
    if any(not ws or "" in ws for ws in words):
        return ""
    return rf"(?=[{number_start}{_cls(w[0] for ws in words for w in ws)}])"


_UNPARSED = object()
_PARSED_MAX = 100_000  # figures whose value is remembered (a bound for very long documents)


def _weekday_on(year: int, month: int, day: int | None) -> int | None:
    """The weekday (Monday 0) of a calendar date, None when there is no such day."""
    if day is None:
        return None
    try:
        return date(year, month, day).weekday()
    except ValueError:
        return None


class NumberExtractor:
    """Amounts, counts, dates and periods, configured by the rules."""

    def __init__(self, rules: Rules) -> None:
        num = rules.get("numbers")
        self.numerals = NumeralTable.from_rules(num["numerals"])
        t = self.numerals
        kd = _cls(list(t.digits) + list(t.small_units))  # starts a kanji number
        units = _cls(list(t.small_units) + list(t.big_units))
        self.unit_chars = set(t.small_units) | set(t.big_units)
        self.zeros = set(t.placeholder_zeros)
        # A legal (大字) digit alone is a word's character far more often than a figure (北陸, 参加, 伍する).
        self.lone_words = set(num["numerals"].get("legal_digits", ""))
        self._parsed: dict[str, Decimal | None] = {}
        allnum = rf"\d.,{kd}{_cls(t.big_units)}"
        # Atomic, and never started inside another number: a long run of figures is read once.
        # A dot counts as part of a number only after a digit (1.5): after dot leaders (事業……45億円) one starts.
        # A comma before it is a thousands separator only after a digit: after a word it parts a sentence
        # (…については，８９億円: a white paper's full-width comma).
        number = (rf"(?<![\d{kd}{_cls(t.big_units)}])(?<!\d,)(?<!\d\.)"
                  rf"(?>(?:{_ARABIC}|[{kd}])(?:{_ARABIC}|[{kd}{_cls(t.big_units)}])*)")
        self.number = number
        self.approx_after = tuple(num["approx_after"])
        self.bound_after: dict[str, str] = dict(num.get("bound_after", {}))
        self.bridges: dict[str, str] = dict(num.get("count_bridges", {}))
        self.word_ending_in_approx = set(num.get("word_ending_in_approx", []))
        self.unit_only_after = tuple(num.get("unit_only_after", []))
        pre = _alt(num["approx_before"])
        post = _alt(list(num["approx_after"]) + list(self.bound_after))
        neg = _alt(num["negative_signs"])
        yen = _alt(num["yen_units"])
        prefixes = _alt(num["yen_prefixes"])
        self.vague_before = num["vague_before"]
        number_start = rf"\d{kd}"
        amount_start = _starts_with(number_start, num["approx_before"], num["negative_signs"], num["yen_prefixes"])
        shared_start = _starts_with(number_start, num["approx_before"], num["negative_signs"])
        count_start = _starts_with(number_start, num["approx_before"])
        spaced_unit = rf"(?:[ ](?P<sb>[{units}]{{1,4}}))?"
        self.amount_re = re.compile(
            rf"{amount_start}(?:(?P<pre>{pre})[ ]?)?(?:(?P<neg>{neg})[ ]?)?"
            rf"(?:(?P<yp>{prefixes})[ ]?(?P<n1>{number})(?:{yen})?"
            rf"|(?P<n2>{number}){spaced_unit}[ ]?(?:{yen}))"
            rf"(?P<post>{post})?"
        )
        shared = _alt(num.get("shared_unit_separators", []))
        self.shared_re = re.compile(
            rf"{shared_start}(?:(?P<pre>{pre})[ ]?)?(?:(?P<neg>{neg})[ ]?)?(?P<n>{number})[ ]?(?:{shared})[ ]?"
            rf"(?=(?:{pre})?[ ]?(?:{neg})?[ ]?(?P<rn>{number}){spaced_unit.replace('sb', 'rsb')}[ ]?(?:{yen}))"
        )
        self.table_unit_re = re.compile(num["table_unit_pattern"]) if num.get("table_unit_pattern") else None
        self.column_unit_re = re.compile(num["column_unit_pattern"]) if num.get("column_unit_pattern") else None
        self.table_years = tuple(num.get("table_year_range", [0, -1]))
        plus = _alt(num.get("positive_signs") or [])
        # A cell stands apart by spaces, or holds last year's figure in brackets right after this year's
        # (89.5(100)) or in a bracketed column of its own ((1,300,000) between gaps: group "br"); a bracketed
        # figure opening its line is a list number ((1) 地域…), no cell (table_amounts checks that).
        cell_start = r"(?:(?<=\d\()|(?<=\s\()(?P<br>)|(?<![^\s]))"
        # (a note's reference mark may close a cell's figure: 14,200※2)
        refs = re.escape(num.get("reference_before") or "")
        cell_end = (rf"(?:[{refs}]\d{{0,2}})?" if refs else "") + r"(?![^\s()])(?!\)[^\s)])"
        self.cell_re = re.compile(rf"{cell_start}(?:(?P<neg>{neg})|{plus})?(?P<n>{_ARABIC}){cell_end}" if plus else
                                  rf"{cell_start}(?P<neg>{neg})?(?P<n>{_ARABIC}){cell_end}")
        bridges = _alt(self.bridges)
        # After a bridge ending in の, the front of a compound noun may stand before the counter
        # (19の産業クラスタープロジェクト, 200以上の研究開発プロジェクト).
        noun_max = int(num.get("count_noun_max_chars", 0))
        noun = rf"(?P<noun>(?<=の)[\u4e00-\u9fff\u30a1-\u30faー]{{1,{noun_max}}})?" if noun_max else ""
        count = (rf"{count_start}(?:(?P<pre>{pre})[ ]?)?(?<![A-Za-z])(?P<n>{number})(?P<mid>{bridges})?<NOUN>[ ]?"
                 rf"(?P<unit>{_alt(num['counters'])})(?P<post>{post})?")
        self.count_re = re.compile(count.replace("<NOUN>", noun))
        # The same without the noun: tried where the counter after a noun is no whole token (18の拠点:
        # 拠 as the noun and 点 as the counter), so the counter right after の is still found.
        self.count_plain_re = re.compile(count.replace("<NOUN>", "")) if noun else None
        self.count_shared_re = re.compile(
            rf"{count_start}(?:(?P<pre>{pre})[ ]?)?(?<![A-Za-z])(?P<n>{number})[ ]?(?:{shared})[ ]?"
            rf"(?=(?:{pre})?[ ]?(?P<rn>{number})[ ]?(?:{_alt(num['counters'])}))"
        )
        # 参画機関数は45, 参加企業数:約120: a figure with no counter after a counter and a label ending.
        label_end, seps = num.get("count_label_ending", ""), _alt(num.get("count_label_separators", []))
        self.count_label_re = re.compile(
            rf"(?P<unit>{_alt(num['counters'])}){re.escape(label_end)}[ ]?(?:{seps})?[ ]?(?:(?P<pre>{pre})[ ]?)?"
            rf"(?P<n>(?>{_ARABIC}|[{kd}][{kd}{units}]*))"
            rf"(?![\d,.{kd}{units}]|[ ]?(?:{_alt(num['counters'])}|{yen}|{shared}|[{units}%倍年月日時分]))"
        ) if label_end and seps else None
        # (and a note's reference mark: ※2　高専を含む is the note's number, no count of 高専)
        self.ordinal_before = num["ordinal_before"] + (num.get("reference_before") or "")
        # 第3~5回: the right side of an ordinal range is an ordinal too.
        self.ordinal_range_re = re.compile(
            rf"[{re.escape(num['ordinal_before'])}]{number}[ ]?(?:{shared})[ ]?$"
        )
        self.ordinal_after = tuple(num["ordinal_after"])
        self._dates(rules.get("dates"), kd, allnum)

    def _parse(self, raw: str) -> Decimal | None:
        if len(raw) > MAX_NUMBER_CHARS or set(raw) <= self.zeros or raw in self.lone_words:
            return None
        # The same figures come back on every page; a Decimal is immutable, so the value is shared.
        value = self._parsed.get(raw, _UNPARSED)
        if value is _UNPARSED:
            if len(self._parsed) >= _PARSED_MAX:
                self._parsed.clear()
            value = self._parsed[raw] = self.numerals.parse(raw)
        return value  # type: ignore[return-value]

    def _int(self, raw: str) -> int | None:
        v = self._parse(raw)
        return int(v) if v is not None and v == v.to_integral_value() else None

    def _qualifiers(self, text: str, m: re.Match[str]) -> tuple[int, bool, str]:
        """Start of the mention, whether it is approximate, and its bound, from the words around it."""
        start, approx, bound = m.start(), False, ""
        pre = m.group("pre")
        if pre:
            if text[max(0, m.start() - 1) : m.start()] + pre in self.word_ending_in_approx:
                start = m.start("pre") + len(pre)  # the 約 of 成約 is not "about"
                while start < len(text) and text[start] == " ":
                    start += 1
            else:
                approx = True
        post = m.group("post")
        if post:
            if post in self.bound_after:
                bound = self.bound_after[post]
            elif len(post) == 1 and _is_kanji(text[m.end() : m.end() + 1]):
                return start, approx, "?"  # 余地, 強化: a word, not a qualifier (caller trims)
            else:
                approx = True
        return start, approx, bound

    def _vague(self, text: str, ns: int, raw: str) -> bool:
        # 数十億円, 数百社: "several"; but 件数32件 is a count after its label.
        return ns > 0 and text[ns - 1] in self.vague_before and raw[0] in self.numerals.small_units

    def _unit_only_label(self, text: str, ns: int, raw: str) -> bool:
        if any(ch not in self.unit_chars for ch in raw):
            return False
        before = text[max(0, ns - 4) : ns].rstrip(" ")
        return any(before.endswith(w) for w in self.unit_only_after)

    # -- amounts ---------------------------------------------------------------------------------

    def amounts(self, text: str) -> list[Span]:
        """Yen amounts: written with 円 or ¥, and the left side of a range sharing the right's unit."""
        out = []
        for m in self.amount_re.finditer(text):
            raw = m.group("n1") or m.group("n2")
            ns = m.start("n1") if m.group("n1") else m.start("n2")
            if self._vague(text, ns, raw) or self._unit_only_label(text, ns, raw):
                continue
            value = self._parse(raw + (m.group("sb") or ""))
            if value is None:
                continue
            if m.group("neg"):
                value = -value
            start, approx, bound = self._qualifiers(text, m)
            end = m.end()
            if bound == "?":
                end, bound = m.start("post"), ""
            # Values are whole yen: a fraction of a yen (1.5円) is rounded and flagged approximate.
            whole = int(value.to_integral_value(ROUND_HALF_UP))
            out.append(Span("amount", start, end, str(whole), "amount.yen", "JPY", approx or whole != value,
                            bound=bound))
        taken = StaticSpans([(f.start, f.end) for f in out])
        for m in self.shared_re.finditer(text):
            raw, right = m.group("n"), m.group("rn") + (m.group("rsb") or "")
            if taken.overlaps(m.start("n"), m.end("n")) or self._vague(text, m.start("n"), raw):
                continue
            if raw[-1] not in self.numerals.big_units:
                k = len(right)
                while k > 0 and right[k - 1] in self.unit_chars:
                    k -= 1
                raw += right[k:]
            value = self._parse(raw)
            if value is None:
                continue
            if m.group("neg"):
                value = -value
            whole = int(value.to_integral_value(ROUND_HALF_UP))
            start = m.start() if m.group("pre") else m.start("neg") if m.group("neg") else m.start("n")
            out.append(Span("amount", start, m.end("n"), str(whole), "amount.shared_unit", "JPY",
                             bool(m.group("pre")) or whole != value))
        return out

    def _unit_headers(self, text: str) -> list[tuple[int, int, str, bool]]:
        """(start, end, unit, mixed) of every unit header, in text order: (単位:千円) and money columns
        (予算額(百万円)). A header is mixed when its table holds other columns (rates, counts)."""
        found = []
        if self.table_unit_re is not None:
            for h in self.table_unit_re.finditer(text):
                # (単位:百万円、%), (単位:事業、百万円): other columns hold rates or counts.
                tail = h.groupdict().get("tail") or ""
                if tail.rstrip().endswith("(") and _BRACKET_NOTE.match(text, h.end()):
                    tail = tail[: tail.rfind("(")]  # (単位:億円、( )内は前年度予算額): a note on the brackets
                others = (h.groupdict().get("head") or "") + tail
                found.append((h.start(), h.end(), h.group("unit") or "", bool(others.strip(" 、,"))))
        if self.column_unit_re is not None:
            for h in self.column_unit_re.finditer(text):
                if any(a <= h.start() < b for a, b, _, _ in found):
                    continue
                # 件数(件) or 伸び率(%) beside 予算額(百万円): the line's other bracketed headers are not money.
                line_start = text.rfind("\n", 0, h.start()) + 1
                line_end = text.find("\n", h.end())
                line = text[line_start : len(text) if line_end < 0 else line_end]
                # (a bracket of yen under another label, 前年度(百万円), is a money column too)
                money = max(len(self.column_unit_re.findall(line)), len(_MONEY_BRACKET.findall(line)))
                found.append((h.start(), h.end(), h.group("unit") or "", line.count("(") > money))
        return sorted(found)

    def table_amounts(self, text: str, taken: StaticSpans | None = None) -> list[Span]:
        """Bare figures under a unit header ((単位:千円), 予算額(百万円)): each is cell × unit, up to the next
        blank line or header. A blank line right under the header (a title line that states the unit, then
        the table) does not end it, nor does one under a block holding no figure (the table's header row
        set apart from its rows): the table below does."""
        headers = self._unit_headers(text)
        out = []
        read_to = 0  # where the figures read so far end (a footer reads no figure a header read)
        for i, (h_start, h_end, unit_text, mixed) in enumerate(headers):
            # A unit of 万 or 億 alone is one of it ((単位:億円)); as a figure in prose 億 is none.
            unit = (self._parse(unit_text) or self._parse("1" + unit_text)) if unit_text else Decimal(1)
            if unit is None:
                continue
            start, end = h_end, _block_end(text, h_end)
            if end < len(text) and self.cell_re.search(text, start, end) is None:
                # 事業名　令和５年度　令和６年度 over a blank line (a table's header row set apart, as pdftotext
                # writes its padding): a block with no figure is the header; the rows below are the table's
                end = _block_end(text, end + 1)
            if i + 1 < len(headers) and headers[i + 1][0] < end:
                if text.rfind("\n", h_end, headers[i + 1][0]) < 0:
                    continue  # 予算額(百万円) 決算額(百万円): one header row, read from its last header
                end = headers[i + 1][0]
            # A line of the unit alone under a table (…|　２０，９００ | over （単位：百万円）) is the table's when no
            # figure stands under it, or when it closes the table's block (no blank line between them).
            # (The table's last line holds a figure: a title over the header, 令和６年度予算, holds none.)
            above = _footed_block(text, h_start, h_end)
            if (above is not None and above[0] >= read_to
                    and self.cell_re.search(text, text.rfind("\n", 0, above[1]) + 1, above[1]) is not None
                    and (above[2] or self.cell_re.search(text, h_end, end) is None)):
                start, end = above[0], above[1]
            read_to = max(read_to, end)
            for c in self.cell_re.finditer(text, start, end):
                n = c.group("n")
                if c.group("br") is not None and not text[text.rfind("\n", 0, c.start()) + 1 : c.start() - 1].strip():
                    continue  # (1) opening its line: a list number
                if mixed and ("," not in n or "." in n):
                    continue
                if "," not in n and "." not in n and self.table_years[0] <= int(n) <= self.table_years[1]:
                    continue  # 2019 2020 2021: a heading row of years
                if taken is not None and taken.overlaps(c.start(), c.end()):
                    continue
                value = Decimal(n.replace(",", "")) * unit
                if c.group("neg"):
                    value = -value
                whole = int(value.to_integral_value(ROUND_HALF_UP))
                out.append(Span("amount", c.start(), c.end("n"), str(whole), "amount.table_unit", "JPY",
                                 whole != value))
        return out

    # -- counts ----------------------------------------------------------------------------------

    def counts(self, text: str, token_starts: set[int] | None = None,
               token_ends: set[int] | None = None, taken: StaticSpans | None = None) -> list[Span]:
        """Counts; with token boundaries, the counter must be whole tokens (3名古屋 is no count)."""
        out = []
        ordinal_before, ordinal_after = self.ordinal_before, self.ordinal_after
        ends = token_ends or set()
        # The tests are independent filters, cheapest first (set lookups before the slice and search).
        for found in self.count_re.finditer(text):
            m: re.Match[str] | None = found
            us, ue = found.span("unit")
            if token_starts is not None and (us not in token_starts or ue not in ends):
                if self.count_plain_re is None or not found.group("noun"):
                    continue
                m = self.count_plain_re.match(text, found.start())
                if m is None or m.start("unit") not in token_starts or m.end("unit") not in ends:
                    continue
                us, ue = m.span("unit")
            assert m is not None
            ns, ne = m.span("n")
            if ns > 0 and text[ns - 1] in ordinal_before:
                continue
            if text.startswith(ordinal_after, ue):
                continue
            if (us > ne and not m.group("mid") and not m.groupdict().get("noun")
                    and not text[text.rfind("\n", 0, ns) + 1 : ns].strip()):
                continue  # １　事業概要: a number opening its line, a space after it, numbers a heading
            if text[us - 1] == " " and _FIGURE_AFTER_LABEL.match(text, ue):
                continue  # 企業約2,210　大学134: past a gap the counter is the next figure's label, not this one's
            raw = m.group("n")
            if self._vague(text, ns, raw):
                continue
            if self.ordinal_range_re.search(text[max(0, ns - 24) : ns]):
                continue
            if taken is not None and taken.overlaps(ns, m.end()):
                continue
            if raw in self.numerals.digits and self.numerals.digits[raw] == 1:
                continue  # 一社, 一人 are idioms far more often than counts
            value = self._int(raw)
            if value is None:
                continue
            start, approx, bound = self._qualifiers(text, m)
            end = m.end()
            if bound == "?":
                end, bound = m.start("post"), ""
            mid = m.group("mid")
            if mid:
                if self.bridges[mid] == "~":
                    approx = True
                else:
                    bound = self.bridges[mid]
            out.append(Span("count", start, end, str(value), "count.counter", m.group("unit"), approx,
                            bound=bound))
        if self.count_label_re is not None:
            for m in self.count_label_re.finditer(text):
                ns, ne = m.span("n")
                value = self._int(m.group("n"))
                if value is None or taken is not None and taken.overlaps(ns, ne):
                    continue
                pre = m.group("pre")  # (no counter follows: no count.counter or shared count holds the figure)
                out.append(Span("count", m.start("pre") if pre else ns, ne, str(value), "count.labelled",
                                m.group("unit"), bool(pre)))
        # 3~5社: the left figure of a range shares the counter of the right one, once that is a count.
        right_of = {f.start: f for f in out}
        for m in self.count_shared_re.finditer(text):
            right = right_of.get(m.start("rn"))
            ns = m.start("n")
            if right is None or ns > 0 and text[ns - 1] in self.ordinal_before:
                continue
            if taken is not None and taken.overlaps(ns, m.end("n")):
                continue
            value = self._int(m.group("n"))
            if value is None or value > int(right.value):
                continue
            start = m.start() if m.group("pre") else ns
            out.append(Span("count", start, m.end("n"), str(value), "count.shared_counter", right.unit,
                            bool(m.group("pre"))))
        return out

    # -- dates -----------------------------------------------------------------------------------

    def _dates(self, d: dict[str, Any], kd: str, allnum: str) -> None:
        t = self.numerals
        self.fy_month = int(d["fiscal_year_start_month"])
        self.weekdays = d["weekdays"] if len(d["weekdays"]) == 7 else ""  # Monday first, as date.weekday() counts
        self.eras: dict[str, Era] = {}
        ordered = sorted(d["eras"], key=lambda e: int(e["first_year"]))
        self.era_years: dict[str, int | None] = {}  # how many years an era lasted (None: current)
        for i, e in enumerate(ordered):
            era = Era(e["name"], tuple(e.get("abbreviations", [])), int(e["first_year"]))
            nxt = int(ordered[i + 1]["first_year"]) if i + 1 < len(ordered) else None
            self.eras[era.name] = era
            self.era_years[era.name] = None if nxt is None else nxt - era.first_year + 1
            for a in era.abbreviations:
                self.eras[a] = era
        a = d.get("affixes", {})
        yr, fy_, mo_, dy, dec = (re.escape(a.get(k, v)) for k, v in
                            (("year", "年"), ("fiscal", "度"), ("month", "月"), ("day", "日"), ("decade", "代")))
        br = d.get("brackets", {"open": "(", "close": ")"})
        op, cl = _cls(br["open"]), _cls(br["close"])
        # PDF text may space out an era's characters (平 成 29 年度).
        names = "|".join("[ ]?".join(re.escape(ch) for ch in e["name"]) for e in d["eras"])
        abbrs = "".join(a for e in d["eras"] for a in e.get("abbreviations", []))
        plain_names = _alt([e["name"] for e in d["eras"]])
        first = _alt(d["first_year_words"])
        self.first_year_words = set(d["first_year_words"])
        small = rf"(?:\d{{1,2}}|[{kd}]{{1,3}})"
        digit4 = rf"(?:\d{{4}}|[{_cls(t.digits)}]{{4}})"  # 2016, 二〇一六
        # A day may carry its weekday: 6月20日(土), 13日(火曜日), 3日(月・祝).
        wsuf = _alt(d.get("weekday_suffixes", []))
        hol = _cls(d.get("holiday_marks", "祝"))
        latin = _alt(d.get("weekday_words") or [])
        latin_wd = rf"|(?:{latin})\.?" if latin else ""
        wd = rf"(?:[{op}](?:[{re.escape(d['weekdays'])}](?:{wsuf})?{latin_wd})(?:・?[{hol}]日?)?[{cl}])?"
        self.wd = wd
        self.close_brackets = br["close"]
        # A day with its weekday right after 、 (７日（木）、８日（金）): the next day of a list of days.
        self.weekday_day_re = re.compile(rf"[ ]?(?:\d{{1,2}}|[{kd}]{{1,3}})[ ]?{dy}{wd[:-1]}")
        # A day right after と (28日と29日): the next day of two, its weekday or not.
        self.plain_day_re = re.compile(rf"[ ]?(?:\d{{1,2}}|[{kd}]{{1,3}})[ ]?{dy}")
        ymd = rf"(?:[ ]?(?P<m>{small})[ ]?{mo_}(?:[ ]?(?P<d>{small})[ ]?{dy}{wd})?)?"
        western_note = rf"(?:[ ]?[{op}]\d{{4}}[{cl}])?"  # 平成32(2020)年度
        era_note = rf"(?:[ ]?[{op}](?:{names})[ ]?(?:{first}|{small})[ ]?(?:{yr})?[{cl}])?"  # 2021(令和3)年度
        # The other calendar's year in brackets after the year: 令和5年(2023年)11月29日, 令和5年度(2023年度),
        # 2023年(令和5年)11月29日.
        western_after = rf"(?:[ ]?[{op}]\d{{4}}[ ]?{yr}(?:{fy_})?[{cl}])?"
        era_after = rf"(?:[ ]?[{op}](?:{names})[ ]?(?:{first}|{small})[ ]?{yr}(?:{fy_})?[{cl}])?"
        seps = _alt(d["range_separators"])
        nb = re.escape(d.get("not_year_before", ""))
        self.relative_years: dict[str, int] = {str(k): int(v) for k, v in (d.get("relative_years") or {}).items()}
        rel_not = _alt(d.get("relative_year_not_followed_by") or ["代"])
        self.open_suffixes = tuple(d.get("open_range_suffixes") or ())
        # Every branch below starts with a figure (Arabic or kanji), an era's first character, an era
        # abbreviation or a relative year's first character: a lookahead for those lets the engine skip
        # every other position at once.
        firsts = [e["name"][:1] for e in d["eras"]] + [w[:1] for w in self.relative_years]
        date_start = "" if "" in firsts else rf"(?=[\d{kd}{_cls(t.digits)}{_cls(firsts)}{_cls(abbrs)}F])"
        self.date_re = re.compile(
            date_start + "(?:" + "|".join(
                [
                    # Year ranges with the affix written once: 2017~2020年度, 一八九九〜一九九〇年, 平成8~12年度.
                    rf"(?<![{allnum}])(?P<ly>{digit4})[ ]?(?:{seps})[ ]?(?P<ry>{digit4}|\d{{2}})[ ]?{yr}(?P<rfy>{fy_})?"
                    rf"(?!{dec})",
                    rf"(?P<lera>{names})[ ]?(?P<ely>{first}|{small})[ ]?(?:{seps})[ ]?(?:(?P<rera>{names})[ ]?)?"
                    rf"(?P<ery>{first}|{small})[ ]?{yr}(?P<efy>{fy_})?(?!{dec})",
                    rf"(?P<era>{names})[ ]?(?P<y>{first}|{small}){western_note}[ ]?{yr}(?P<dec>{dec})?"
                    rf"(?:[ ]?(?P<fy>{fy_}))?{western_after}{ymd}",
                    # H21.6.20, R5年度; the era's name dotted too: 令和5.10.26; slashed to the day: R6/12/10.
                    rf"(?<![A-Za-z])(?P<abbr>[{abbrs}]|{plain_names}(?=\d{{1,2}}[./]))(?P<ay>\d{{1,2}}|{first})(?:{yr}(?P<afy>{fy_})?(?:(?P<am>\d{{1,2}}){mo_}"
                    rf"(?:(?P<ad>\d{{1,2}}){dy}{wd})?)?|(?P<dsep>\.|/(?=\d{{1,2}}/\d))(?P<dm>\d{{1,2}})"
                    rf"(?:(?P=dsep)(?P<dd>\d{{1,2}})(?![\d./]){wd})?)(?![\d./])",  # H21.9.16(水): its weekday too
                    rf"(?<![{allnum}])(?P<wy>{digit4}){era_note}[ ]?{yr}(?P<wdec>{dec})?(?:[ ]?(?P<wfy>{fy_}))?"
                    + era_after + ymd.replace("<m>", "<wm>").replace("<d>", "<wd>"),
                    # FY2023, FY 2024: a fiscal year in the English abbreviation.
                    r"(?<![A-Za-z])FY ?(?P<fyy>\d{4})(?![\d年])",
                    rf"(?<![\d/.\-])(?P<sy>\d{{4}})(?P<ss>[/.\-])(?P<sm>\d{{1,2}})(?P=ss)(?P<sd>\d{{1,2}})"
                    rf"(?![\d/.]|(?P=ss)\d){wd}",  # 2009/9/30-10/2: a range, not a longer number
                    # Relative to the last full year: 同年9月, 翌年度, 同年 (not 同年代, 同年齢).
                    *([rf"(?<![\u3400-\u9fff])(?P<rel>{_alt(self.relative_years)})[ ]?{yr}(?!{rel_not})"
                       rf"(?:[ ]?(?P<relfy>{fy_}))?" + ymd.replace("<m>", "<relm>").replace("<d>", "<reld>")]
                      if self.relative_years else []),
                    # Without era or century: 50年度, 07年度, 23年度が; a month and day alone: 5月14日(金).
                    rf"(?<![{allnum}{nb}])(?P<by>\d{{1,2}}|[{kd}]{{1,3}})[ ]?{yr}(?:(?P<bdec>{dec})|(?P<bfy>{fy_})?)"
                    + ymd.replace("<m>", "<bm>").replace("<d>", "<bd>"),
                    # (a schedule may pad a one-digit day to its column: ９月　５日)
                    rf"(?<![{allnum}{nb}])(?P<mm>\d{{1,2}}|[{kd}]{{1,2}})[ ]?{mo_}"
                    rf"[ ]?(?P<md>\d{{1,2}}|[{kd}]{{1,3}})[ ]?{dy}{wd}",
                    # 8/24(火): a month and day with a slash, only with their weekday (8/24 alone may be a
                    # fraction or a score).
                    rf"(?<![\d/.\-])(?P<slm>\d{{1,2}})/(?P<sld>\d{{1,2}})(?![\d/])[ ]?{wd[:-1]}",
                ]
            )
            + ")"
        )
        self.range_sep_re = re.compile(rf"[ ]?(?P<sep>{seps})[ ]?")
        self.closed_only = set(d.get("closed_only_separators", []))
        self.range_closers = tuple(d["range_closers"])
        self.open_markers = tuple(d["open_range_markers"])
        self.right_re = re.compile(
            rf"(?:(?P<era>{names})?[ ]?(?P<y>{first}|{digit4}|{small})[ ]?{yr}(?P<fy>{fy_})?)?"
            rf"(?:(?P<m>{small})[ ]?{mo_})?(?:(?P<d>{small})[ ]?{dy}{wd})?"
        )
        # The right side of a range whose left side is a numeric date (H21.9.16～18, 2009/9/16-9/18): a day,
        # or a month and day, in the same notation, no affix.
        self.numeric_right_re = re.compile(rf"(?:(?P<m>\d{{1,2}})(?P<s>[./]))?(?P<d>\d{{1,2}})(?![\d./]){wd}")
        self.context_max = int(d.get("context_max_chars", 0))
        self.heading_context_max = int(d.get("heading_context_max_chars", 0))
        self.context_window = int(d.get("context_year_window", 0))
        self.context_followers = tuple(d.get("context_year_followers", []))
        self.context_not_followed = tuple(d.get("context_year_not_followed_by", []))
        self.context_not_after = tuple(d.get("context_year_not_after", []))
        self.duration_suffix = str(d.get("year_duration_suffix") or "")
        self.decade_pivot = int(d.get("two_digit_decade_pivot", 30))

    def _year(self, era: str | None, y: str) -> int | None:
        era = era.replace(" ", "") if era else era
        if y in self.first_year_words:
            n = 1
        else:
            n = self._int(y)
            if n is None:
                return None
        if era is None:
            return n
        if n < 1:
            return None  # an era's first year is 1 (元年); there is no year 0
        # Plans name years past an era's end (平成32年度 is FY2020), so only the start is checked here.
        return era_year(self.eras[era], n)

    def _plausible_in_era(self, era: str, n: int) -> bool:
        """A year inferred from context may pass its era's end only as far as plans look ahead."""
        length = self.era_years.get(self.eras[era.replace(" ", "")].name)
        return length is None or n <= length + self.context_window

    def _western(self, y: str) -> int | None:
        n = self._int(y)
        return n if n is not None and len(y) == 4 else None

    @staticmethod
    def _century(n: int, ctx_year: int) -> int:
        """A two-digit year in the century that puts it nearest the context year."""
        base = ctx_year - ctx_year % 100 + n
        return min((base - 100, base, base + 100), key=lambda y: abs(y - ctx_year))

    def _context_year(self, text: str, m: re.Match[str], ctx: _Context | None) -> tuple[int, str] | None:
        """Year and rule of a year written without era or century (50年度 after 昭和49年度)."""
        raw = m.group("by")
        n = self._int(raw)
        if n is None:
            return None
        fiscal, month = bool(m.group("bfy")), m.group("bm")
        if ctx is not None and m.start() - ctx.pos > self.context_max:
            ctx = None
        if self.context_not_after and text.endswith(self.context_not_after, 0, m.start()):
            return None  # 最長１０年度: how long, not when
        if m.group("bdec"):
            # 40年代 after 昭和: the era's forties; 90年代 alone: the 1990s, 10年代 the 2010s.
            if n % 10 or n == 0 and not raw.startswith("0"):
                return None
            if ctx is not None and ctx.era is not None:
                year = self._year(ctx.era, raw) if n and self._plausible_in_era(ctx.era, n) else None
            else:
                year = (1900 + n if n >= self.decade_pivot else 2000 + n) if len(raw) == 2 and raw.isascii() else None
            return (year, "period.decade") if year is not None else None
        if raw.startswith("0") and len(raw) == 2:
            # 07年度: a zero-padded year is Western (an era year has no leading zero).
            return self._century(n, ctx.year if ctx and ctx.era is None else 2000), "date.western_short"
        if ctx is None:
            return None
        if ctx.era is not None:
            year = self._year(ctx.era, raw) if self._plausible_in_era(ctx.era, n) else None
        else:
            year = self._century(n, ctx.year) if len(raw) == 2 and raw.isdigit() else None
        if year is None:
            return None
        if not fiscal and month is None:
            # 5年で, 3年後: a bare 年 is a year only near the context and followed by a particle.
            follow = text[m.end() : m.end() + 4]
            if abs(year - ctx.year) > self.context_window or not any(
                follow.startswith(w) for w in self.context_followers
            ) or any(follow.startswith(w) for w in self.context_not_followed):
                return None
        return year, "date.era_context"

    def _left(self, text: str, m: re.Match[str], ctx: _Context | None
              ) -> tuple[PartialDate, str, str | None, bool] | None:
        """The date a match starts with: (date, rule, era, is_decade)."""
        g = m.groupdict()
        decade = False
        if g["era"]:
            year = self._year(g["era"], g["y"])
            month, day, fy, rule, era = g["m"], g["d"], g["fy"], "date.era", g["era"]
            decade = bool(g["dec"])
        elif g["abbr"]:
            year = self._year(g["abbr"], g["ay"])
            month, day, fy = g["am"] or g["dm"], g["ad"] or g["dd"], g["afy"]
            rule, era = "date.era", g["abbr"]
        elif g["wy"]:
            year, month, day, fy = self._western(g["wy"]), g["wm"], g["wd"], g["wfy"]
            rule, era, decade = "date.western", None, bool(g["wdec"])
        elif g["sy"]:
            year, month, day, fy, rule, era = int(g["sy"]), g["sm"], g["sd"], None, "date.western", None
        elif g["fyy"]:
            year, month, day, fy, rule, era = int(g["fyy"]), None, None, "FY", "date.western", None
        elif g.get("rel"):
            # 同年9月, 翌年度: the year of the last full date, or the one after it, in the same paragraph (a
            # line break is no paragraph's end here: 同年 always points back; a blank line is).
            if ctx is None or _BLANK_LINE.search(text, ctx.pos, m.start()) is not None:
                return None
            year = ctx.year + self.relative_years[g["rel"]]
            month, day, fy, era = g["relm"], g["reld"], g["relfy"], ctx.era
            rule = "date.relative"
        elif g["by"]:
            found = self._context_year(text, m, ctx)
            if found is None:
                return None
            year, rule = found
            month, day, fy = g["bm"], g["bd"], g["bfy"]
            decade = rule == "period.decade"
            era = ctx.era if ctx is not None and rule == "date.era_context" else None
        else:
            # A month and day borrow a year only within the paragraph that states it, or from a heading
            # over their block (【平成23年度のイベント】 over a list of dated lines).
            month, day, fy, era = g["mm"] or g["slm"], g["md"] or g["sld"], None, ctx.era if ctx else None
            mo = self._int(month)
            if mo is None:
                return None
            if ctx is None or "\n" in text[ctx.pos : m.start()] and not self._under_heading(text, ctx.pos, m.start()):
                named = self._name_year(text, m, mo, self._int(day))
                if named is not None:
                    year, rule, era = named, "date.name_year", None
                else:  # the last full year before it, farther away, when the weekday is that year's
                    year = self._weekday_year(m, mo, self._int(day), ctx)
                    rule = "date.weekday_context"
                    if year is None and ctx is not None and ctx.fiscal and ctx.pos <= self._title_end and (
                            self._weekday(m, self._int(day)) is None):
                        # 令和５年度　活動報告 over paragraphs of 11月20日に…: the title's fiscal year is still the
                        # last one read, and no weekday says otherwise (a release's date line names no such span)
                        year, rule = (ctx.year + 1 if ctx.fiscal and mo < self.fy_month else ctx.year), \
                            "date.year_context"
                    if year is None:
                        return None
            else:
                # 1月15日 after 令和3年度 is in the calendar year 2022.
                year = ctx.year + 1 if ctx.fiscal and mo < self.fy_month else ctx.year
                rule = "date.year_context"
        if year is None:
            return None
        mo = self._int(month) if month else None
        if month and mo is None:
            return None
        if fy and mo is not None:
            # 2020年度12月 is December 2020; 令和2年度1月 is January 2021.
            year, fy = fiscal_month(year, mo, self.fy_month), None
            rule = "date.fiscal_month"
        pd = PartialDate(year, mo, self._int(day) if day else None, bool(fy))
        if not pd.is_valid():
            return None
        return pd, rule, era, decade

    def _name_year(self, text: str, m: re.Match[str], month: int, day: int | None) -> int | None:
        """The year a name on the date's line carries (イノベーション・ジャパン2024 ～大学見本市～　８月２２日（木）):
        a Western year glued to a word before the date, when the date's weekday is that year's. A date with
        no weekday, or whose weekday another year's calendar gives, takes nothing from it."""
        weekday = self._weekday(m, day)
        if weekday is None:
            return None
        line_start = text.rfind("\n", 0, m.start()) + 1
        years = list(_NAME_YEAR.finditer(text, max(line_start, m.start() - _NAME_YEAR_CHARS), m.start()))
        if not years:
            return None
        year = int(years[-1].group(1))
        return year if _weekday_on(year, month, day) == weekday else None

    def _weekday_year(self, m: re.Match[str], month: int, day: int | None, ctx: _Context | None) -> int | None:
        """The year of the last full date or fiscal year before a month and day (``ctx``), however far before
        them (令和６年度 in a title over ■主な行事 / ５月１０日（金）　総会), when the date's weekday is that
        year's (a month before the fiscal year's first is in the next calendar year: ２月３日（月） after
        令和６年度 is 2025's)."""
        weekday = self._weekday(m, day)
        if weekday is None or ctx is None:
            return None
        year = ctx.year + 1 if ctx.fiscal and month < self.fy_month else ctx.year
        return year if _weekday_on(year, month, day) == weekday else None

    def _weekday(self, m: re.Match[str], day: int | None) -> int | None:
        """The weekday in brackets after a date with its day (Monday 0), or None."""
        if day is None or not self.weekdays:
            return None
        weekday = _WEEKDAY_IN_BRACKETS.search(m.group())
        if weekday is None or weekday.group(1) not in self.weekdays:
            return None
        return self.weekdays.index(weekday.group(1))

    def _title_line_end(self, text: str) -> int:
        """Where the text's title ends: its first non-blank line when that is a heading (at most
        ``heading_context_max_chars`` characters, no 。), whose year the month-days of the paragraphs under it
        take while no other full year is read; -1 when the text opens with no such line."""
        if not self.heading_context_max:
            return -1
        first = _FIRST_LINE.match(text)
        if first is None:
            return -1
        line = first.group(1)
        return first.end(1) if len(line.strip()) <= self.heading_context_max and "。" not in line else -1

    def _under_heading(self, text: str, year_end: int, at: int) -> bool:
        """Whether the full year ending at ``year_end`` stands on a heading line (at most
        ``heading_context_max_chars`` characters, no 。) whose block reaches ``at``: no blank line between,
        or only the blank lines right under the heading (a title over a table of dated rows)."""
        if not self.heading_context_max:
            return False
        start = text.rfind("\n", 0, year_end) + 1
        end = text.find("\n", year_end)
        if end < 0 or end >= at:
            return False
        line = text[start:end]
        if len(line.strip()) > self.heading_context_max or "。" in line:
            return False
        gap = _BLANK_RUN.match(text, end)  # the blank lines right under the heading, if any
        return _BLANK_LINE.search(text, gap.end() if gap else end, at) is None

    def _right(self, text: str, pos: int, left: PartialDate, era: str | None) -> tuple[PartialDate, int] | None:
        m = self.right_re.match(text, pos)
        if not m or m.end() == pos:
            return None
        g = m.groupdict()
        if g["y"] is not None and g["m"] is None and not g["era"] and not g["fy"] and (
                text.startswith(self.context_not_followed, m.end())):
            # 令和4年度から5年間: a count of years, not the year 5. After a duration word (年間) it ends
            # the stretch that many years on; after any other (5年以内, 3年後) there is no right side.
            n = self._int(g["y"]) if len(g["y"]) <= 2 else None
            if n and self.duration_suffix and text.startswith(self.duration_suffix, m.end()) and left.month is None:
                return PartialDate(left.year + n - 1, None, None, left.fiscal), m.end() + len(self.duration_suffix)
            return None
        if g["y"] is not None:
            y = g["y"]
            if len(y) == 4:
                year = self._western(y)
            elif g["era"] or era:
                year = self._year(g["era"] or era, y)
            elif len(y) == 2 and y.isdigit():
                year = self._century(int(y), left.year)  # 2017年度~18年度
            else:
                year = None
            if year is None:
                return None
            month = self._int(g["m"]) if g["m"] else None
            day = self._int(g["d"]) if g["d"] else None
            right = PartialDate(year, month, day, bool(g["fy"]) and month is None)
        elif g["m"] is not None:
            right = PartialDate(left.year, self._int(g["m"]), self._int(g["d"]) if g["d"] else None)
            if left.month is not None and right.month is not None and right.month < left.month:
                right = PartialDate(left.year + 1, right.month, right.day)  # 12月~1月 crosses the year
        elif g["d"] is not None and left.month is not None:
            right = PartialDate(left.year, left.month, self._int(g["d"]))
        else:
            return None
        if right.month is None and g["m"] is not None or not right.is_valid():
            return None
        if right.last_day(self.fy_month) < left.first_day(self.fy_month):
            return None
        return right, m.end()

    def _full_right(self, text: str, pos: int, left: PartialDate) -> tuple[PartialDate, int] | None:
        """The right side of a range written as a date of its own in another notation (H22.4.1～H23.3.31,
        2010/4/1～2011/3/31): any full date the date pattern reads there, not before the left side."""
        m = self.date_re.match(text, pos)
        if m is None or not (m.group("abbr") or m.group("sy") or m.group("era") or m.group("wy")):
            return None
        parsed = self._left(text, m, None)
        if parsed is None or parsed[3]:
            return None
        right = parsed[0]
        if right.last_day(self.fy_month) < left.first_day(self.fy_month):
            return None
        return right, m.end()

    def _day_joiner(self, text: str, at: int) -> bool:
        """Whether ``text[at]`` joins a day to the next of a list: ・, 、 before a day with its weekday, or と
        before a day (28日と29日)."""
        if at >= len(text):
            return False
        return (text[at] == "・" or text[at] == "、" and self.weekday_day_re.match(text, at + 1) is not None
                or text[at] == "と" and self.plain_day_re.match(text, at + 1) is not None)

    def _next_days(self, text: str, pos: int, left: PartialDate, era: str | None,
                   m: re.Match[str] | None = None) -> tuple[PartialDate, int] | None:
        """Days joined to a day by ・, by 、 before a day with its weekday or by と, each the day after the one
        before (10日(水)・11日(木)・12日, 7日(木)、8日(金), 28日と29日): the last of them and where it ends; None
        unless at least one follows, and None for a list of days with a gap (10日・11日・13日). After a date in
        slashes or dots (``m``, the left side's match) a day in that notation with its weekday follows so
        (2024/10/3(木)・4(金))."""
        if left.day is None or left.fiscal:
            return None

        def following(at: int, before: PartialDate) -> tuple[PartialDate, int] | None:
            found = self._right(text, at, before, era)
            if found is None and m is not None and (found := self._numeric_right(text, at, before, m)) is not None and (
                    text[found[1] - 1 : found[1]] not in self.close_brackets):
                return None  # 2024/10/3・4: a bare figure after ・, no day of its own without its weekday
            return found

        last, end = left, pos
        while self._day_joiner(text, end):
            nxt = following(end + 1, last)
            if nxt is None or nxt[0].day is None or nxt[0].first_day() != last.first_day() + timedelta(days=1):
                break
            last, end = nxt
        if self._day_joiner(text, end) and following(end + 1, last) is not None:
            return None  # 10日・11日・13日: a list of days, not one stretch of them
        return (last, end) if last is not left else None

    def _numeric_right(self, text: str, pos: int, left: PartialDate,
                       m: re.Match[str]) -> tuple[PartialDate, int] | None:
        """The right side of a range after a date written with dots or slashes (H21.9.16～18: the 18th;
        2009/9/30-10/2: October 2nd), in the left side's notation; a later day than the left's."""
        notation = m.group("dd") and "." or m.group("ss") or (m.group("sld") and "/")
        if not notation or left.month is None or left.day is None:
            return None
        r = self.numeric_right_re.match(text, pos)
        if r is None or r.group("s") and r.group("s") != notation:
            return None
        month = int(r.group("m")) if r.group("m") else left.month
        year = left.year + 1 if month < left.month else left.year
        right = PartialDate(year, month, int(r.group("d")))
        if not right.is_valid() or right.first_day(self.fy_month) <= left.first_day(self.fy_month):
            return None
        return right, r.end()

    def _year_range(self, m: re.Match[str]) -> tuple[Span, int] | None:
        """2017~2020年度, 一八九九〜一九九〇年, 平成8~12年度: the affix is written once, on the right."""
        if m.group("ly"):
            left = self._western(m.group("ly"))
            ry = m.group("ry")
            right = self._western(ry) if len(ry) == 4 else (self._century(int(ry), left) if left else None)
            fy = bool(m.group("rfy"))
        else:
            left = self._year(m.group("lera"), m.group("ely"))
            right = self._year(m.group("rera") or m.group("lera"), m.group("ery"))
            fy = bool(m.group("efy"))
        if left is None or right is None or right < left:
            return None
        value = period_value(PartialDate(left, fiscal=fy), PartialDate(right, fiscal=fy), self.fy_month)
        return Span("period", m.start(), m.end(), value, "period.range"), right

    def dates(self, text: str) -> list[Span]:
        """Dates and periods, with years left incomplete read from the nearest full year before them."""
        out: list[Span] = []
        ctx: _Context | None = None
        self._title_end = self._title_line_end(text)
        pos = 0
        while True:
            m = self.date_re.search(text, pos)
            if m is None:
                return out
            if m.group("ly") or m.group("lera"):
                ranged = self._year_range(m)
                if ranged is not None:
                    out.append(ranged[0])
                    ctx = _Context(m.end(), ranged[1], m.group("rera") or m.group("lera"),
                                   bool(m.group("rfy") or m.group("efy")))
                    pos = m.end()
                    continue
                pos = m.start() + 1
                continue
            parsed = self._left(text, m, ctx)
            if parsed is None:
                pos = m.end()
                continue
            left, rule, era, decade = parsed
            if rule in _SETS_CONTEXT:
                ctx = _Context(m.end(), left.year, era if rule != "date.western" else None, left.fiscal)
                if rule == "date.fiscal_month":
                    ctx.fiscal = False
            end = m.end()
            if decade:
                out.append(Span("period", m.start(), end, decade_period(left.year), "period.decade"))
                pos = end
                continue
            sep = self.range_sep_re.match(text, end)
            if sep:
                right = self._right(text, sep.end(), left, era)
                full = self._full_right(text, sep.end(), left)
                if full is not None and (right is None or full[1] > right[1]):
                    right = full  # ～2025年(令和7年)3月: the whole date, not its year alone
                right = right or self._numeric_right(text, sep.end(), left, m)
                closer_needed = sep.group("sep") in self.closed_only
                if right is not None:
                    r, rend = right
                    closed = False
                    for closer in self.range_closers:
                        if text.startswith(closer, rend):
                            rend += len(closer)
                            closed = True
                            break
                    if closed or not closer_needed:
                        out.append(Span("period", m.start(), rend, period_value(left, r, self.fy_month),
                                         "period.range"))
                        if rule in _SETS_CONTEXT:  # a month-day range (6月18日～19日) keeps the year it took
                            ctx = _Context(rend, r.year, era, r.fiscal)
                        pos = rend
                        continue
                if sep.group("sep") in self.open_markers and not text[sep.end() : sep.end() + 1].isdigit():
                    out.append(Span("period", m.start(), sep.end(), period_value(left, None, self.fy_month),
                                     "period.range"))
                    pos = sep.end()
                    continue
            joined = self._next_days(text, end, left, era, m)
            if joined is not None:  # 2月10日(水)・11日(木): two days in a row are one two-day period
                r, rend = joined
                out.append(Span("period", m.start(), rend, period_value(left, r, self.fy_month), "period.range"))
                pos = rend
                continue
            opened = next((w for w in self.open_suffixes if text.startswith(w, end)), None)
            if opened is not None:  # 令和6年4月以降, 翌年度以降: an open period from that date on
                out.append(Span("period", m.start(), end + len(opened), period_value(left, None, self.fy_month),
                                "period.open"))
                pos = end + len(opened)
                continue
            if left.fiscal:
                fy_rule = {"date.era_context": "period.era_context", "date.western_short": "period.western_short",
                           "date.relative": "period.relative"}.get(rule, "period.fiscal_year")
                out.append(Span("period", m.start(), end, period_value(left, left, self.fy_month), fy_rule))
            else:
                out.append(Span("date", m.start(), end, left.iso(), rule))
            pos = end


# A figure right after a word (大学134, 大学約20, 大学 約20, 大学：134): the word labels it.
_FIGURE_AFTER_LABEL = re.compile(r"(?::[ ]?)?(?:[ ]?(?:約|およそ|概ね)[ ]?)?\d")


def _is_kanji(ch: str) -> bool:
    return bool(ch) and ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf")
