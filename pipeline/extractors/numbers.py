"""Extractors for yen amounts, counts, dates and periods.

Regular expressions are assembled from ``rules/numbers.yaml`` and ``rules/dates.yaml`` (the words)
and this module (the grammar of a number). Every pattern is linear: character classes and bounded
alternations, no nested quantifiers, so a megabyte of digits cannot make them backtrack.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP

from pipeline.core.rules import Rules
from pipeline.core.spans import Span, StaticSpans
from pipeline.ja.dates import Era, PartialDate, era_year, period_value
from pipeline.ja.numerals import parse_int, parse_number

# The rules of rules/numbers.yaml and rules/dates.yaml this module fires (a mention's `rule`).
RULE_IDS = ("amount.yen", "count.counter", "date.era", "date.western", "period.range", "period.fiscal_year")

_KANJI_NUM = "〇一二三四五六七八九十百千"
# Atomic: once digits are read they are never re-split, so a long digit run cannot backtrack.
_ARABIC = r"(?>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)"
# A number: Arabic or kanji atoms, joined by the big units 万/億/兆 (and 百/千 as in 500百万).
NUMBER = rf"(?:{_ARABIC}|[{_KANJI_NUM}])(?:{_ARABIC}|[{_KANJI_NUM}万億兆])*"
# A run of figures longer than this is a table of digits or noise, not an amount or a count.
MAX_NUMBER_CHARS = 40
SMALL_NUMBER = rf"(?:\d{{1,2}}|[{_KANJI_NUM}]{{1,3}})"


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


class NumberExtractor:
    """Amounts, counts, dates and periods, configured by the rules."""

    def __init__(self, rules: Rules) -> None:
        num = rules.get("numbers")
        self.approx_after = tuple(num["approx_after"])
        pre = _alt(num["approx_before"])
        post = _alt(num["approx_after"])
        neg = _alt(num["negative_signs"])
        yen = _alt(num["yen_units"])
        prefixes = _alt(num["yen_prefixes"])
        vague = re.escape(num["vague_before"])
        self.amount_re = re.compile(
            rf"(?P<pre>{pre})?(?:(?P<neg>{neg})[ ]?)?"
            rf"(?:(?P<yp>{prefixes})[ ]?(?P<n1>{NUMBER})(?:{yen})?"
            rf"|(?<![{vague}\d{_KANJI_NUM}])(?P<n2>{NUMBER})(?:{yen}))"
            rf"(?P<post>{post})?"
        )
        self.count_re = re.compile(
            rf"(?P<pre>{pre})?(?<![\d.,{_KANJI_NUM}A-Za-z])(?P<n>{NUMBER})(?P<unit>{_alt(num['counters'])})"
            rf"(?P<post>{post})?"
        )
        self.ordinal_before = num["ordinal_before"]
        self.ordinal_after = tuple(num["ordinal_after"])
        self.vague_before = num["vague_before"]

        d = rules.get("dates")
        self.fy_month = int(d["fiscal_year_start_month"])
        self.eras: dict[str, Era] = {}
        for e in d["eras"]:
            era = Era(e["name"], tuple(e.get("abbreviations", [])), int(e["first_year"]))
            self.eras[era.name] = era
            for a in era.abbreviations:
                self.eras[a] = era
        names = _alt(e["name"] for e in d["eras"])
        abbrs = "".join(a for e in d["eras"] for a in e.get("abbreviations", []))
        first = _alt(d["first_year_words"])
        self.first_year_words = set(d["first_year_words"])
        # A day may carry its weekday: 6月20日(土), 6月20日（土・祝）.
        wd = rf"(?:\([{re.escape(d['weekdays'])}](?:・?祝)?\))?"
        ymd = rf"(?:(?P<m>{SMALL_NUMBER})月(?:(?P<d>{SMALL_NUMBER})日{wd})?)?"
        self.date_re = re.compile(
            "|".join(
                [
                    rf"(?P<era>{names})[ ]?(?P<y>{first}|{SMALL_NUMBER})年(?P<fy>度)?{ymd}",
                    rf"(?<![A-Za-z])(?P<abbr>[{abbrs}])(?P<ay>\d{{1,2}})(?:年(?P<afy>度)?(?:(?P<am>\d{{1,2}})月"
                    rf"(?:(?P<ad>\d{{1,2}})日{wd})?)?|\.(?P<dm>\d{{1,2}})(?:\.(?P<dd>\d{{1,2}}))?)(?![\d.])",
                    rf"(?<!\d)(?P<wy>\d{{4}})年(?P<wfy>度)?(?:(?P<wm>\d{{1,2}})月(?:(?P<wd>\d{{1,2}})日{wd})?)?",
                    rf"(?<![\d/.])(?P<sy>\d{{4}})[/.](?P<sm>\d{{1,2}})[/.](?P<sd>\d{{1,2}})(?![\d/.]){wd}",
                ]
            )
        )
        seps = _alt(d["range_separators"])
        self.range_sep_re = re.compile(rf"[ ]?(?P<sep>{seps})[ ]?")
        self.range_closers = tuple(d["range_closers"])
        self.open_markers = tuple(d["open_range_markers"])
        self.right_re = re.compile(
            rf"(?:(?P<era>{names})?(?P<y>{first}|{SMALL_NUMBER}|\d{{4}})年(?P<fy>度)?)?"
            rf"(?:(?P<m>{SMALL_NUMBER})月)?(?:(?P<d>{SMALL_NUMBER})日{wd})?"
        )

    # -- amounts ---------------------------------------------------------------------------------

    def amounts(self, text: str) -> list[Span]:
        out = []
        for m in self.amount_re.finditer(text):
            raw = m.group("n1") or m.group("n2")
            if len(raw) > MAX_NUMBER_CHARS:
                continue
            value = parse_number(raw)
            if value is None:
                continue
            if m.group("neg"):
                value = -value
            # Values are whole yen: a fraction of a yen (1.5円) is rounded and flagged approximate.
            whole = int(value.to_integral_value(ROUND_HALF_UP))
            approx = bool(m.group("pre") or m.group("post")) or whole != value
            out.append(Span("amount", m.start(), m.end(), str(whole), "amount.yen", "JPY", approx))
        return out

    # -- counts ----------------------------------------------------------------------------------

    def counts(self, text: str, token_starts: set[int] | None = None,
               token_ends: set[int] | None = None, taken: StaticSpans | None = None) -> list[Span]:
        """Counts; with token boundaries, the counter must be whole tokens (3名古屋 is no count)."""
        out = []
        for m in self.count_re.finditer(text):
            ns, ne = m.span("n")
            us, ue = m.span("unit")
            if ns > 0 and text[ns - 1] in self.ordinal_before:
                continue
            if any(text.startswith(w, ue) for w in self.ordinal_after):
                continue
            if ns > 0 and text[ns - 1] in self.vague_before:
                continue
            if token_starts is not None and (us not in token_starts or ue not in (token_ends or set())):
                continue
            if taken is not None and taken.overlaps(m.start(), m.end()):
                continue
            raw = m.group("n")
            if len(raw) > MAX_NUMBER_CHARS:
                continue
            if raw == "一":  # 一社, 一人 are idioms far more often than counts
                continue
            value = parse_int(raw)
            if value is None:
                continue
            start = m.start() if m.group("pre") else ns
            approx = bool(m.group("pre") or m.group("post"))
            out.append(Span("count", start, m.end(), str(value), "count.counter", m.group("unit"), approx))
        return out

    # -- dates -----------------------------------------------------------------------------------

    def _year(self, era: str | None, y: str) -> int | None:
        if y in self.first_year_words:
            n = 1
        else:
            n = parse_int(y)
            if n is None:
                return None
        if era is None:
            return n
        if n < 1:
            return None  # an era's first year is 1 (元年); there is no year 0
        return era_year(self.eras[era], n)

    def _left(self, m: re.Match[str]) -> tuple[PartialDate, str, str | None] | None:
        g = m.groupdict()
        if g["era"]:
            year = self._year(g["era"], g["y"])
            month, day, fy, rule, era = g["m"], g["d"], g["fy"], "date.era", g["era"]
        elif g["abbr"]:
            year = self._year(g["abbr"], g["ay"])
            month, day, fy = g["am"] or g["dm"], g["ad"] or g["dd"], g["afy"]
            rule, era = "date.era", g["abbr"]
        elif g["wy"]:
            year, month, day, fy, rule, era = int(g["wy"]), g["wm"], g["wd"], g["wfy"], "date.western", None
        else:
            year, month, day, fy, rule, era = int(g["sy"]), g["sm"], g["sd"], None, "date.western", None
        if year is None:
            return None
        pd = PartialDate(year, parse_int(month) if month else None, parse_int(day) if day else None, bool(fy))
        if not pd.is_valid():
            return None
        return pd, rule, era

    def _right(self, text: str, pos: int, left: PartialDate, era: str | None) -> tuple[PartialDate, int] | None:
        m = self.right_re.match(text, pos)
        if not m or m.end() == pos:
            return None
        g = m.groupdict()
        if g["y"] is not None:
            y = g["y"]
            if len(y) == 4 and y.isdigit():
                year = int(y)
            else:
                year = self._year(g["era"] or era, y) if (g["era"] or era) else None
                if year is None:
                    return None
            month = parse_int(g["m"]) if g["m"] else None
            day = parse_int(g["d"]) if g["d"] else None
            right = PartialDate(year, month, day, bool(g["fy"]) and month is None)
        elif g["m"] is not None:
            right = PartialDate(left.year, parse_int(g["m"]), parse_int(g["d"]) if g["d"] else None)
        elif g["d"] is not None and left.month is not None:
            right = PartialDate(left.year, left.month, parse_int(g["d"]))
        else:
            return None
        if not right.is_valid() or right.last_day(self.fy_month) < left.first_day(self.fy_month):
            return None
        return right, m.end()

    def dates(self, text: str) -> list[Span]:
        out: list[Span] = []
        pos = 0
        while True:
            m = self.date_re.search(text, pos)
            if m is None:
                return out
            parsed = self._left(m)
            if parsed is None:
                pos = m.end()
                continue
            left, rule, era = parsed
            end = m.end()
            sep = self.range_sep_re.match(text, end)
            if sep:
                right = self._right(text, sep.end(), left, era)
                if right is not None:
                    r, rend = right
                    for closer in self.range_closers:
                        if text.startswith(closer, rend):
                            rend += len(closer)
                            break
                    out.append(Span("period", m.start(), rend, period_value(left, r, self.fy_month),
                                     "period.range"))
                    pos = rend
                    continue
                if sep.group("sep") in self.open_markers and not text[sep.end() : sep.end() + 1].isdigit():
                    out.append(Span("period", m.start(), sep.end(), period_value(left, None, self.fy_month),
                                     "period.range"))
                    pos = sep.end()
                    continue
            if left.fiscal:
                out.append(Span("period", m.start(), end, period_value(left, left, self.fy_month),
                                 "period.fiscal_year"))
            else:
                out.append(Span("date", m.start(), end, left.iso(), rule))
            pos = end
