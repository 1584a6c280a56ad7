"""The regional blocks of rules/places.yaml: every place the rules name points to exactly one block."""

from __future__ import annotations

import pytest

from pipeline.core.rules import cached_rules
from pipeline.extractors.places import place_extractor

from .conftest import RULES

PLACES = cached_rules(RULES).get("places")


@pytest.mark.parametrize("city", PLACES["cities"])
def test_every_listed_city_points_to_one_block(city: str) -> None:
    """A project heading that names a city alone (【浜松地域】) gets its region from the city."""
    assert len(set(place_extractor(cached_rules(RULES)).region_of(city))) == 1


@pytest.mark.parametrize("prefecture", PLACES["prefectures"])
def test_every_prefecture_points_to_one_block(prefecture: str) -> None:
    assert len(set(place_extractor(cached_rules(RULES)).region_of(prefecture))) == 1


def test_a_city_is_in_the_block_of_its_prefecture() -> None:
    region_of = place_extractor(cached_rules(RULES)).region_of
    for city, prefecture in [("浜松", "静岡県"), ("北九州", "福岡県"), ("金沢", "石川県"), ("盛岡", "岩手県"),
                             ("松山", "愛媛県"), ("那覇", "沖縄県"), ("つくば", "茨城県"), ("堺", "大阪府")]:
        assert region_of(city) == region_of(prefecture), city


def test_a_prefecture_in_hiragana_is_in_the_block_of_its_kanji() -> None:
    region_of = place_extractor(cached_rules(RULES)).region_of
    for kana, kanji in [("みやぎ", "宮城県"), ("しまね", "島根県"), ("ながの", "長野県"), ("ふくおか", "福岡県"),
                        ("とやま", "富山県"), ("えひめ", "愛媛県"), ("おきなわ", "沖縄県")]:
        assert region_of(kana) == region_of(kanji), kana
    assert region_of("なら") == region_of("みえ") == []  # two kana are everyday words: no block
