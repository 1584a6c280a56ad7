"""Japanese numerals: Arabic (half/full width, with commas), kanji, positional kanji and mixed notations.

``parse_number("5兆5,926億")`` -> Decimal('5592600000000'); ``to_kanji(134)`` -> '百三十四'.
Pure functions; the character tables are the only Japanese knowledge here because they are the
definition of the notation, not a rule that changes between editions.
"""

from __future__ import annotations

import unicodedata
from decimal import Decimal, InvalidOperation, localcontext

KANJI_DIGITS = {
    "〇": 0, "零": 0, "○": 0,
    "一": 1, "壱": 1, "壹": 1,
    "二": 2, "弐": 2, "貳": 2,
    "三": 3, "参": 3, "參": 3,
    "四": 4, "肆": 4,
    "五": 5, "伍": 5,
    "六": 6, "陸": 6,
    "七": 7, "漆": 7,
    "八": 8, "捌": 8,
    "九": 9, "玖": 9,
}  # fmt: skip
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "阡": 1000, "仟": 1000}
BIG_UNITS = {"万": 10**4, "萬": 10**4, "億": 10**8, "兆": 10**12, "京": 10**16, "垓": 10**20}

DIGIT_LIKE = frozenset("0123456789") | KANJI_DIGITS.keys() | SMALL_UNITS.keys()


def parse_number(text: str) -> Decimal | None:
    """Value of a Japanese number, or None when ``text`` is not one.

    Handles ``2,210``, ``２２１０``, ``百三十四``, ``三三一八`` (positional kanji), ``3318.7億``,
    ``1億5千万``, ``5兆5,926億``, ``500百万`` (= 5億). Units must come in decreasing order.
    """
    s = unicodedata.normalize("NFKC", text).replace(",", "").replace(" ", "")
    if not s or not any(ch in DIGIT_LIKE for ch in s):
        return None
    # Exact arithmetic however long the number: the default 28 significant digits would round.
    with localcontext() as ctx:
        ctx.prec = max(64, 4 * len(s) + 32)
        return _parse(s)


def _parse(s: str) -> Decimal | None:
    total = Decimal(0)
    section = Decimal(0)  # the part below the current big unit
    buf = ""  # pending digits (Arabic or positional kanji)
    last_big = None
    last_small = None
    try:
        for ch in s:
            if ch.isdigit() and ch.isascii() or ch == ".":
                buf += ch
            elif ch in KANJI_DIGITS:
                buf += str(KANJI_DIGITS[ch])
            elif ch in SMALL_UNITS:
                unit = SMALL_UNITS[ch]
                if last_small is not None and unit >= last_small:
                    return None
                section += (Decimal(buf) if buf else Decimal(1)) * unit
                buf, last_small = "", unit
            elif ch in BIG_UNITS:
                unit = BIG_UNITS[ch]
                if last_big is not None and unit >= last_big:
                    # 百万 style compound units multiply the section instead ("500百万" = 5億).
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


def parse_int(text: str) -> int | None:
    """``parse_number`` for whole numbers; None for fractions or non-numbers."""
    value = parse_number(text)
    if value is None or value != value.to_integral_value():
        return None
    return int(value)


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
