"""``number_unclaimed`` warnings name figures no rule read, not the numbers of a list or a section."""

from __future__ import annotations

import pytest

import pipeline
from tests.conftest import RULES


def _unclaimed(text: str) -> list[str]:
    result = pipeline.extract(text, rules_dir=RULES, doc="audit")
    warnings = result.tables["warnings"]
    return [m.split(" in ")[0] for m in warnings[warnings.code == "number_unclaimed"]["message"]]


def test_list_and_section_numbers_are_not_unclaimed_figures() -> None:
    text = "①事業の目的\n（２）予算の概要\n3) 実施体制\n[4] 参考\n５．今後の予定\n"
    assert _unclaimed(text) == []


def test_a_section_number_of_two_levels_opening_its_line_is_no_unclaimed_figure() -> None:
    """３－１　主な成果 and ２－３－１　特許 number sections (digits joined by dashes, then a space)."""
    assert _unclaimed("第３章　成果\n３－１　主な成果\n２－３－１　特許\n") == []


def test_a_list_number_joined_to_the_line_above_is_still_a_list_number() -> None:
    """The flow view joins a prose line to the next across a blank line; the number opened its own line."""
    text = "平成２３年度　地域イノベーション戦略支援プログラムの概要\n\n１．事業の目的\n"
    assert _unclaimed(text) == []


def test_figures_inside_lines_are_still_reported() -> None:
    text = "１．概要\n市場は12.5の伸び、2～3秒で計測できる。\n"
    assert sorted(_unclaimed(text)) == ["12.5", "2", "3"]


def test_a_figure_with_its_decimal_point_or_separators_is_one_number() -> None:
    text = "売上は前年比の指数１．５（指数12,400）、比率は3,2と続く。\n"
    assert sorted(_unclaimed(text)) == ["1.5", "12,400", "3,2"]


def test_ordinals_are_not_unclaimed_figures() -> None:
    """第2期, 図3, 3年目 and 1地域あたり are no figures (the numbers rules read none of them as a count); 3期 is one."""
    text = "第２期計画の３年目に入り、図3のとおり4回目の会合を開いた。１地域あたり２件まで。事業は3期にわたる。\n"
    assert _unclaimed(text) == ["3"]
    assert "3 in '２件まで。事業は3期にわたる。'" in " ".join(
        pipeline.extract(text, rules_dir=RULES, doc="audit").tables["warnings"]["message"])


def test_times_of_day_are_not_unclaimed_figures() -> None:
    text = "日時：令和５年２月１５日（水）１３：００～１７：００、受付は9:30から。比は3:2:1。\n"
    assert sorted(_unclaimed(text)) == ["1", "2", "3"]


def test_times_of_day_in_kanji_and_lengths_of_time_are_not_unclaimed_figures() -> None:
    """12時間 is no time of day but a length of time (duration_after); the bare 4 after it is still reported."""
    text = "令和６年２月１４日（水）１３時３０分～１７時、受付は９時半から。研修は全12時間、うち実習は4。\n"
    assert _unclaimed(text) == ["4"]


def test_telephone_numbers_and_extensions_are_not_unclaimed_figures() -> None:
    text = "＜担当＞\n電話：03-5253-4111（内線4388）、FAX 092-123-4567\n指数は1.5。\n"
    assert _unclaimed(text) == ["1.5"]


def test_a_number_glued_to_latin_letters_is_a_code_but_an_era_initial_is_not() -> None:
    """ホールB7 and ISO9001 are codes; H99 (an era's initial and a year no rule read) is still reported."""
    text = "会場はホールＢ７、ISO9001認証の工場。試験はH99x7で行う。\n"
    assert _unclaimed(text) == ["99"]


def test_page_numbers_of_a_table_of_contents_are_not_unclaimed_figures() -> None:
    """A number closing its line after leaders (……, ・・・, ----) is a page reference; after leaders but with
    more words on the line it is still a figure."""
    text = ("目　次\n第１章　地域クラスター施策の概要　………………　３\n　１．知的クラスター創成事業　・・・・・・　１２\n"
            "第２章　予算の概要 ---------- 20\n指標は……　45に上昇した。\n")
    assert _unclaimed(text) == ["45"]


def test_rates_and_ratios_are_not_unclaimed_figures() -> None:
    """A figure before ％, 倍, 割 or ポイント (rate_after) is a rate; a bare figure beside them still counts."""
    text = "対前年度比１０２．５％、採択率３５％、応募は前年比1.5倍、うち３割、５ポイント上昇、指数は７７。\n"
    assert _unclaimed(text) == ["77"]


@pytest.mark.parametrize("text", [
    # ※1 and ＊2 (reference_before) number notes, at the note and after the name it is about
    "みちのく医療機器クラスター※1\n\n※1　平成２４年度をもって国の支援は終了。\n＊2　調査中\n市場は12.5の伸び。\n",
    # a web page's link to a PDF gives its size (size_after)
    "| 岡山地域 | (PDF:1,520KB) | (PDF:310KB) |\n事業計画（PDF：２ＭＢ）の中で12.5を示す。\n",
    # an address's numbers written in words, each after a place's kanji
    "会場：金沢市下本多町６番丁２７番地、東京都千代田区大手町１丁目３番５号\n伸び率は12.5であった。\n",
])
def test_notes_numbers_files_sizes_and_addresses_are_no_unclaimed_figures(text: str) -> None:
    """None of these is a figure the rules missed; the bare 12.5 beside them still is."""
    assert _unclaimed(text) == ["12.5"]
