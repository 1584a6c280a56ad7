"""Japanese numerals: Arabic (half/full width, with commas), kanji, positional kanji and mixed notations.

``parse_number("5兆5,926億")`` -> Decimal('5592600000000'); ``to_kanji(134)`` -> '百三十四'.
Pure functions over a ``NumeralTable``: the characters and their values live in ``rules/numbers.yaml``
(``numerals``), shared with the extractor that finds numbers in text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation, localcontext
from functools import lru_cache
from typing import Any


@dataclass(frozen=True)
class NumeralTable:
    """The characters of the notation and their values (``numerals`` in ``rules/numbers.yaml``).

    The parser here and the extractor's character classes both read this one table, so a character
    added there (壱, 萬) is both found in the text and understood.
    """

    digits: dict[str, int]
    small_units: dict[str, int]
    big_units: dict[str, int]
    placeholder_zeros: str = ""

    @classmethod
    def from_rules(cls, cfg: dict[str, Any]) -> NumeralTable:
        """The table from the ``numerals`` mapping of a numbers rule file."""
        return cls({str(k): int(v) for k, v in cfg["digits"].items()},
                   {str(k): int(v) for k, v in cfg["small_units"].items()},
                   {str(k): int(v) for k, v in cfg["big_units"].items()},
                   str(cfg.get("placeholder_zeros", "")))

    @property
    def digit_like(self) -> frozenset[str]:
        return frozenset("0123456789") | self.digits.keys() | self.small_units.keys()

    def parse(self, text: str) -> Decimal | None:
        """Value of a Japanese number, or None when ``text`` is not one.

        Handles ``2,210``, ``２２１０``, ``百三十四``, ``三三一八`` (positional kanji), ``3318.7億``,
        ``1億5千万``, ``5兆5,926億``, ``500百万`` (= 5億), ``壱億``. Units must come in decreasing order.
        """
        s = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
        digit_like = self.digit_like
        if not s or not any(ch in digit_like for ch in s):
            return None
        # Exact arithmetic however long the number: the default 28 significant digits would round.
        with localcontext() as ctx:
            ctx.prec = max(64, 4 * len(s) + 32)
            return self._parse(s)

    def _parse(self, s: str) -> Decimal | None:
        total = Decimal(0)
        section = Decimal(0)  # the part below the current big unit
        buf = ""  # pending digits (Arabic or positional kanji)
        last_big = None
        last_small = None
        try:
            for ch in s:
                if ch.isdigit() and ch.isascii() or ch == ".":
                    buf += ch
                elif ch in self.digits:
                    buf += str(self.digits[ch])
                elif ch in self.small_units:
                    unit = self.small_units[ch]
                    if last_small is not None and unit >= last_small:
                        return None
                    section += (Decimal(buf) if buf else Decimal(1)) * unit
                    buf, last_small = "", unit
                elif ch in self.big_units:
                    unit = self.big_units[ch]
                    if last_big is not None and unit >= last_big:
                        return None
                    section += Decimal(buf) if buf else Decimal(0)
                    if section == 0:
                        section = Decimal(1)
                    total += section * unit
                    section, buf, last_big, last_small = Decimal(0), "", unit, None
                else:
                    return None
            section += Decimal(buf) if buf else Decimal(0)
        except InvalidOperation:
            return None
        return total + section

    def parse_int(self, text: str) -> int | None:
        """``parse`` for whole numbers; None for fractions or non-numbers."""
        value = self.parse(text)
        if value is None or value != value.to_integral_value():
            return None
        return int(value)


@lru_cache(maxsize=1)
def default_table() -> NumeralTable:
    """The numeral table of the project's own ``rules/numbers.yaml``."""
    from pipeline.core.rules import cached_rules  # rules are data; this module stays free of I/O otherwise

    return NumeralTable.from_rules(cached_rules().get("numbers")["numerals"])


def parse_number(text: str) -> Decimal | None:
    """Value of a Japanese number with the default numeral table (see ``NumeralTable.parse``)."""
    return default_table().parse(text)


def parse_int(text: str) -> int | None:
    """``parse_number`` for whole numbers; None for fractions or non-numbers."""
    return default_table().parse_int(text)


_DIGIT_KANJI = "〇一二三四五六七八九"


def _small_to_kanji(n: int) -> str:
    out = ""
    for unit, sym in ((1000, "千"), (100, "百"), (10, "十")):
        d, n = divmod(n, unit)
        if d:
            out += ("" if d == 1 else _DIGIT_KANJI[d]) + sym
    if n:
        out += _DIGIT_KANJI[n]
    return out


def to_kanji(n: int) -> str:
    """Kanji notation of a non-negative integer below 10**24 (``1500000000`` -> ``十五億``)."""
    if n < 0 or n >= 10**24:
        raise ValueError("to_kanji takes an integer from 0 to 10**24 - 1")
    if n == 0:
        return "〇"
    out = ""
    for unit, sym in ((10**20, "垓"), (10**16, "京"), (10**12, "兆"), (10**8, "億"), (10**4, "万")):
        d, n = divmod(n, unit)
        if d:
            out += _small_to_kanji(d) + sym
    return out + _small_to_kanji(n)


def to_positional_kanji(n: int) -> str:
    """Digit-by-digit kanji (``3318`` -> ``三三一八``), as budget tables print them."""
    return "".join(_DIGIT_KANJI[int(d)] for d in str(n))


# An ordinal of a phase or a round written in Roman numerals (after NFKC: Ⅱ is II) or in kanji digits:
# 第II期, 第二期, 第3次 (a notation; 第2期 is the same phase).
_ORDINAL = re.compile(r"(?<=第)(?P<n>[IVX]{1,6}|[一二三四五六七八九十]{1,3})(?=期|次|回|弾|部|段階|フェーズ)")
_ROMAN = {"I": 1, "V": 5, "X": 10}
_KANJI = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


def _roman(s: str) -> int | None:
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total if total > 0 else None


def _kanji(s: str) -> int | None:
    if "十" not in s:
        return _KANJI[s] if len(s) == 1 else None
    tens, _, ones = s.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        return None
    return (_KANJI[tens] if tens else 1) * 10 + (_KANJI[ones] if ones else 0)


def ordinals_as_digits(text: str) -> str:
    """``text`` (NFKC) with the ordinals of phases and rounds in Arabic digits: 第II期 and 第二期 are 第2期,
    第十回 is 第10回. For comparing names across editions, whose notation may change; the values
    themselves keep the notation printed."""
    def digits(m: re.Match[str]) -> str:
        n = m.group("n")
        value = _roman(n) if n[0] in _ROMAN else _kanji(n)
        return str(value) if value else n

    return _ORDINAL.sub(digits, text) if "第" in text else text

