"""Table-driven notations: (text, expected values in order). Sentences written for these tests.

Extractors read the layout-repaired text, which is NFKC-normalised; so do these tests.
"""

from __future__ import annotations

import unicodedata

import pytest

from pipeline.core.rules import load_rules
from pipeline.extractors.numbers import NumberExtractor
from pipeline.ja.numerals import parse_number, to_kanji, to_positional_kanji

from .conftest import RULES


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


@pytest.fixture(scope="module")
def ex() -> NumberExtractor:
    return NumberExtractor(load_rules(RULES))


NUMBERS = [
    ("2,210", 2210), ("２，２１０", 2210), ("百三十四", 134), ("三三一八", 3318),
    ("三三一八億六八〇〇万", 331868000000),
    ("5兆5,926億", 5592600000000), ("1億5千万", 150000000), ("500百万", 500000000), ("3318.7億", 331870000000),
    ("十", 10), ("二千十", 2010), ("一万二千三百四十五", 12345), ("壱万", 10000), ("千", 1000),
]


@pytest.mark.parametrize(("text", "value"), NUMBERS)
def test_parse_number(text: str, value: int) -> None:
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["", "abc", "億", "万億", "1..2", "十百"])
def test_not_a_number(text: str) -> None:
    assert parse_number(text) is None


@pytest.mark.parametrize(("n", "kanji"), [(134, "百三十四"), (1500000000, "十五億"), (10, "十"), (2010, "二千十"),
                                          (0, "〇")])
def test_to_kanji(n: int, kanji: str) -> None:
    assert to_kanji(n) == kanji
    assert parse_number(kanji) == n


def test_positional_kanji() -> None:
    assert to_positional_kanji(3318) == "三三一八"


AMOUNTS = [
    ("関連予算134億円", [(13400000000, False)]),
    ("予算額は１３４億円", [(13400000000, False)]),
    ("百三十四億円を計上", [(13400000000, False)]),
    ("総額三三一八億六八〇〇万円", [(331868000000, False)]),
    ("5兆5,926億円", [(5592600000000, False)]),
    ("1億5千万円", [(150000000, False)]),
    ("4,500百万円", [(4500000000, False)]),
    ("12,345千円", [(12345000, False)]),
    ("3万円と800円", [(30000, False), (800, False)]),
    ("3318.7億円", [(331870000000, False)]),
    ("¥1,000", [(1000, False)]),
    ("￥２０，０００", [(20000, False)]),
    ("▲80億円", [(-8000000000, False)]),
    ("△1.5億円", [(-150000000, False)]),
    ("約5億円", [(500000000, True)]),
    ("およそ30億円", [(3000000000, True)]),
    ("10億円程度", [(1000000000, True)]),
    ("100億円余り", [(10000000000, True)]),
    ("1兆円超", [(1000000000000, False)]),  # 超 is a bound (mentions.bound), not an approximation
    ("1兆円余", [(1000000000000, True)]),
    ("1,000ドル", []),
    ("500ユーロ", []),
    ("数億円", []),
    ("平成21年度", []),
]


@pytest.mark.parametrize(("text", "want"), AMOUNTS)
def test_amounts(ex: NumberExtractor, text: str, want: list[tuple[int, bool]]) -> None:
    got = [(int(f.value), f.approx) for f in ex.amounts(_nfkc(text))]
    assert got == want


COUNTS = [
    ("約2,210社 134大学", [(2210, "社", True), (134, "大学", False)]),
    ("５８０社", [(580, "社", False)]),
    ("十二大学", [(12, "大学", False)]),
    ("270機関", [(270, "機関", False)]),
    ("11賞(17事例43名)", [(11, "賞", False), (17, "事例", False), (43, "名", False)]),
    ("3ヶ所、3か所、3カ所、3箇所", [(3, "ヶ所", False), (3, "か所", False), (3, "カ所", False), (3, "箇所", False)]),
    ("10地域", [(10, "地域", False)]),
    ("1,500社超", [(1500, "社", False)]),  # a bound
    ("1,500社余り", [(1500, "社", True)]),
    ("第8回", []),
    ("3回目", []),
    ("3次元", []),
    ("2~3秒", []),
    ("2009年", []),
]


@pytest.mark.parametrize(("text", "want"), COUNTS)
def test_counts(ex: NumberExtractor, text: str, want: list[tuple[int, str, bool]]) -> None:
    got = [(int(f.value), f.unit, f.approx) for f in ex.counts(_nfkc(text))]
    assert got == want


DATES = [
    ("平成21年度", ["2009-04-01/2010-03-31"]),
    ("平成２１年度", ["2009-04-01/2010-03-31"]),
    ("平成二十一年度", ["2009-04-01/2010-03-31"]),
    ("H21年度", ["2009-04-01/2010-03-31"]),
    ("令和元年度", ["2019-04-01/2020-03-31"]),
    ("令和元年5月1日", ["2019-05-01"]),
    ("R3.4.1", ["2021-04-01"]),
    ("昭和64年1月7日", ["1989-01-07"]),
    ("明治元年", ["1868"]),
    ("2009年6月", ["2009-06"]),
    ("2010年度", ["2010-04-01/2011-03-31"]),
    ("2009/06/20", ["2009-06-20"]),
    ("平成21年6月20日～21日", ["2009-06-20/2009-06-21"]),
    ("平成21年6月20日〜7月2日", ["2009-06-20/2009-07-02"]),
    ("平成20年12月31日～平成21年1月2日", ["2008-12-31/2009-01-02"]),
    ("平成14年度～平成18年度", ["2002-04-01/2007-03-31"]),
    ("平成21年度から平成23年度まで", ["2009-04-01/2012-03-31"]),
    ("平成21年度～", ["2009-04-01/.."]),
    ("平成21年度から実施", ["2009-04-01/.."]),
    ("平成20年度は平成19年度の", ["2008-04-01/2009-03-31", "2007-04-01/2008-03-31"]),
    ("平成21年13月", []),
    ("クラスタージャパン2008", []),
]


@pytest.mark.parametrize(("text", "want"), DATES)
def test_dates(ex: NumberExtractor, text: str, want: list[str]) -> None:
    assert [f.value for f in ex.dates(_nfkc(text))] == want
