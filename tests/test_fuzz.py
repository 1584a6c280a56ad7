"""Property-based tests (hypothesis) of the numeral parser, the number/date extractors and the whole pipeline.

The inputs are built from the notations the brochures use (kanji, kana, half- and full-width digits,
era names, 円/億/万, ～, brackets, newlines, form feeds, spaces) as well as arbitrary Unicode. Each test
states the invariant it guards; the fixed-example tests are the smallest counterexamples hypothesis
once found.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal
from functools import cache

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import pipeline
from pipeline.core.rules import load_rules
from pipeline.core.spans import Span
from pipeline.extractors.numbers import NumberExtractor
from pipeline.ja.numerals import parse_int, parse_number, to_kanji, to_positional_kanji

from .conftest import RULES

FAST = settings(max_examples=200, deadline=None)
PIPELINE = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

FULL_WIDTH = str.maketrans("0123456789.,", "０１２３４５６７８９．，")
KANJI_CAP = 10**24  # beyond to_kanji's largest unit, 垓 (10**20)
DECIMAL_DIGITS = 28  # decimal's default context precision


@cache
def extractor() -> NumberExtractor:
    return NumberExtractor(load_rules(RULES))


# -- strategies --------------------------------------------------------------------------------

WORDS = [
    "平成", "令和", "昭和", "大正", "明治", "元", "年", "年度", "月", "日", "H", "R", "S",
    "円", "億", "万", "兆", "千", "百", "十", "約", "およそ", "超", "程度", "余り", "以上", "▲", "△", "マイナス",
    "¥", "￥", "\\", "数", "第", "目", "回", "社", "大学", "機関", "名", "地域", "ヶ所", "か所", "件",
    "～", "〜", "~", "－", "ー", "-", "から", "まで", "・", "、", "。", "/", ".", ",", "，", "．",
    "(", ")", "（", "）", "「", "」", "【", "】", "(株)", "㈱", "株式会社", "(土)", "文部科学省", "経済産業省",
    "関連予算", "予算", "事業", "プロジェクト", "分野", "◆", "●", "※", "関　東", "ＴＯＨＯＫＵ", "ｶﾞ",
    " ", "　", "\t", "\n", "\n\n", "\r\n", "\r", "\f",
]  # fmt: skip
KANJI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
KANA = st.characters(min_codepoint=0x3041, max_codepoint=0x30FA)
DIGIT = st.sampled_from("0123456789０１２３４５６７８９〇一二三四五六七八九")
ARABIC = st.integers(0, 10**13).map(lambda n: f"{n:,}" if n % 2 else str(n))
NUMBER_TEXT = st.one_of(ARABIC, ARABIC.map(lambda s: s.translate(FULL_WIDTH)),
                        st.integers(0, KANJI_CAP - 1).map(to_kanji), st.integers(0, 10**8).map(to_positional_kanji))
PIECE = st.one_of(st.sampled_from(WORDS), KANJI, KANA, DIGIT, NUMBER_TEXT)
JAPANESE_ISH = st.lists(PIECE, max_size=60).map("".join)
ANY_TEXT = st.one_of(JAPANESE_ISH, JAPANESE_ISH, st.text(max_size=80))
NUMBER_CHARS = st.text(st.sampled_from("0123456789.,〇一二三四五六七八九十百千万億兆京 "), max_size=30)

ISO_DATE = re.compile(r"\d{4}(?:-\d{2}(?:-\d{2})?)?")


def _mixed_notation(n: int) -> str:
    """``150000000`` -> ``1億5000万``: each 万-group in Arabic digits followed by its unit."""
    if n == 0:
        return "0"
    out = ""
    for unit, sym in ((10**16, "京"), (10**12, "兆"), (10**8, "億"), (10**4, "万")):
        d, n = divmod(n, unit)
        if d:
            out += f"{d}{sym}"
    return out + (str(n) if n else "")


# -- numerals ----------------------------------------------------------------------------------


@FAST
@given(st.integers(0, KANJI_CAP - 1))
@example(0)
@example(10**16)
@example(KANJI_CAP - 1)
def test_kanji_round_trip(n: int) -> None:
    """Guards to_kanji/parse_int agreeing on every integer the kanji units can write (below 10**20)."""
    assert parse_int(to_kanji(n)) == n


@FAST
@given(st.integers(0, 10**DECIMAL_DIGITS - 1))
@example(0)
@example(3318)
def test_positional_kanji_round_trip(n: int) -> None:
    """Guards parse_int reading digit-by-digit kanji (三三一八) back to the integer."""
    assert parse_int(to_positional_kanji(n)) == n


@FAST
@given(st.integers(0, KANJI_CAP - 1))
def test_arabic_full_width_and_mixed_notations_agree(n: int) -> None:
    """Guards parse_int on 2210, 2,210, ２，２１０ and 1億5000万 for the same integer."""
    assert parse_int(str(n)) == n
    assert parse_int(f"{n:,}") == n
    assert parse_int(f"{n:,}".translate(FULL_WIDTH)) == n
    assert parse_int(_mixed_notation(n)) == n


@FAST
@given(st.one_of(st.text(), NUMBER_CHARS))
def test_parse_number_never_raises(text: str) -> None:
    """Guards parse_number/parse_int returning None (never raising) on anything that is not a number."""
    value = parse_number(text)
    assert value is None or isinstance(value, Decimal)
    whole = parse_int(text)
    assert whole is None or (isinstance(whole, int) and value == whole)


@FAST
@given(NUMBER_CHARS)
def test_full_width_digits_equal_ascii(text: str) -> None:
    """Guards the NFKC step of parse_number: full-width digits, point and comma read as ASCII ones."""
    assert parse_number(text.translate(FULL_WIDTH)) == parse_number(text)


def test_to_kanji_beyond_its_units_is_a_clear_error_or_round_trips() -> None:
    """Guards to_kanji's contract for integers it cannot write: a ValueError, not an IndexError."""
    n = KANJI_CAP
    try:
        text = to_kanji(n)
    except ValueError:
        return
    assert parse_int(text) == n


def test_parse_int_is_exact_beyond_28_digits() -> None:
    """Guards parse_int's exactness on long digit strings (a 29-digit positional kanji number)."""
    n = 10**DECIMAL_DIGITS + 1
    assert parse_int(to_positional_kanji(n)) == n
    assert parse_int(str(n)) == n


# -- extractors --------------------------------------------------------------------------------


def _check_spans(found: list[Span], text: str) -> None:
    for f in found:
        assert 0 <= f.start < f.end <= len(text), f


@FAST
@given(ANY_TEXT)
def test_amounts_never_raise_and_have_valid_spans(text: str) -> None:
    """Guards NumberExtractor.amounts: no exception, spans inside the text, values that parse as numbers."""
    found = extractor().amounts(text)
    _check_spans(found, text)
    for f in found:
        assert f.kind == "amount" and f.unit == "JPY"
        assert parse_number(f.value.lstrip("-")) is not None, f


@FAST
@given(st.integers(-(10**15), 10**15), st.sampled_from(["", "約"]), st.sampled_from(["▲", "△", "マイナス"]))
def test_integer_amounts_come_back_as_canonical_integers(n: int, approx: str, minus: str) -> None:
    """Guards amount values for integer notations: the integer yen (negative after ▲), written as str(int)."""
    text = f"予算{approx}{minus if n < 0 else ''}{abs(n):,}円を計上"
    values = [f.value for f in extractor().amounts(text)]
    assert values == [str(n)]


@FAST
@given(st.integers(0, 9999), st.integers(1, 99), st.sampled_from(["", "", "万", "億"]))
def test_amount_values_are_integer_yen(whole: int, fraction: int, unit: str) -> None:
    """Guards mentions.value of an amount being an integer, whatever decimals the notation had."""
    text = f"{whole}.{fraction}{unit}円"
    for f in extractor().amounts(text):
        assert str(int(f.value)) == f.value, f


@FAST
@given(ANY_TEXT)
def test_counts_never_raise_and_are_integers(text: str) -> None:
    """Guards NumberExtractor.counts: no exception, valid spans, integer values, a counter as unit."""
    found = extractor().counts(text)
    _check_spans(found, text)
    for f in found:
        assert f.kind == "count" and f.unit and str(int(f.value)) == f.value, f


@FAST
@given(ANY_TEXT)
@example("平成21年度～")
@example("平成14年度～平成18年度")
@example("平成21年6月20日～21日")
@example("H21.6.20")
@example("令和元年５月１日")
def test_dates_are_iso_and_periods_are_ordered(text: str) -> None:
    """Guards NumberExtractor.dates: no exception, valid spans, values YYYY[-MM[-DD]] or START/END
    (END may be ``..``) with START <= END."""
    found = extractor().dates(text)
    _check_spans(found, text)
    for f in found:
        if f.kind == "date":
            assert ISO_DATE.fullmatch(f.value), f
            continue
        assert f.kind == "period", f
        start, end = f.value.split("/")
        assert ISO_DATE.fullmatch(start), f
        assert end == ".." or (ISO_DATE.fullmatch(end) and start <= end), f


def test_era_year_zero_is_not_a_date() -> None:
    """Guards the era arithmetic against a year that does not exist."""
    assert [f.value for f in extractor().dates("平成0年と H0.1.1")] == []


# -- the whole pipeline ------------------------------------------------------------------------


@PIPELINE
@given(ANY_TEXT)
@example("")
@example("\f\f\n")
@example("0.A")  # one line ending in a file-like suffix: still text for extract_text
@example("ｶﾞｶﾞ 約１，５００社超\r\n平成21年度～\f(株)アメリオ")
@example("一～一円")  # a range with its unit written once: the left side's 円 stands after it
@example("一～1回")  # and with its counter written once: the left side's 回 stands after it
def test_extract_never_raises_and_every_mention_points_at_its_text(text: str) -> None:
    """Guards the offset map end to end (layout repair -> tokens -> extractors -> mentions): no
    exception, every mention's text is exactly ``source.text[start:end]`` on its line and page, and
    that text still holds what the mention says (an amount its 円 or ¥, a count its counter), which a
    span shifted or cut by the offset map would lose."""
    result = pipeline.extract_text(text, rules_dir=RULES)
    source = result.source
    for row in result.tables["mentions"].itertuples(index=False):
        assert 0 <= row.start < row.end <= len(source), row
        assert source[row.start : row.end] == row.text, row
        assert row.line == source.count("\n", 0, row.start) + 1, row
        assert row.page == source.count("\f", 0, row.start) + 1, row
        said = "".join(unicodedata.normalize("NFKC", row.text).split())
        assert said, row
        if row.kind == "amount" and row.rule == "amount.shared_unit":
            # The left side of a range whose unit is written once after the right side (1～2億円,
            # 一～一円): its 円 stands after it, past the separator and the right side.
            after = unicodedata.normalize("NFKC", source[row.end : row.end + 24])
            assert "円" in after, row
        elif row.kind == "amount":
            assert "円" in said or said.lstrip("約およそ概ねほぼ▲△▼マイナス")[:1] in "¥\\", row
        elif row.kind == "count" and row.rule == "count.shared_counter":
            # The left side of a range whose counter is written once after the right side (3～5社, 一～1回).
            after = unicodedata.normalize("NFKC", source[row.end : row.end + 24])
            assert row.unit in after, row
        elif row.kind == "count":
            assert row.unit in said, row
