"""Layout repair: each repair on its own, and the offset map back to the source."""

from __future__ import annotations

import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import pipeline
from pipeline.core.rules import load_rules
from pipeline.text.layout import remove_letter_spacing, repair_doubled_runs, repair_layout

from .conftest import RULES


@pytest.fixture(scope="module")
def cfg():
    return load_rules(RULES).get("layout")


def _keep(text: str, mask: list[bool]) -> str:
    return "".join(c for c, k in zip(text, mask, strict=True) if k)


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("高機能内視鏡高機能内視鏡と手術手術ナビゲーションシステム開発にム開発によるよる",
         "高機能内視鏡と手術ナビゲーションシステム開発による"),
        ("安心安心・安全か安全かつ迅速な迅速な医療行為の実現医療行為の実現", "安心・安全かつ迅速な医療行為の実現"),
        ("ますます発展する地域", "ますます発展する地域"),  # reduplication, not overprint
        ("2020年2020年度の予算", "2020年2020年度の予算"),  # one repeat is not an overprinted line
        ("会議会議", "会議会議"),
    ],
)
def test_doubled_runs(line: str, repaired: str, cfg) -> None:
    assert _keep(line, repair_doubled_runs(line, cfg["doubled_runs"])) == repaired


def test_doubled_runs_up_to_the_configured_length(cfg) -> None:
    """A 22-character run printed twice is repaired with rules/layout.yaml's max_run, not with 20."""
    run = "地域イノベーション戦略支援プログラム推進事業"
    assert len(run) == 22
    line = f"{run}{run}と手術手術支援"
    doubled = cfg["doubled_runs"]
    assert doubled["max_run"] >= len(run)
    assert _keep(line, repair_doubled_runs(line, doubled)) == f"{run}と手術支援"
    shorter = dict(doubled, max_run=20)
    assert _keep(line, repair_doubled_runs(line, shorter)) == line  # one strong repeat within 20: untouched


@pytest.mark.parametrize(
    ("line", "repaired"),
    [("関　東 ", "関東 "), ("基 本 技 術 の 開 発", "基本技術の開発"), ("文部科学省 関連予算", "文部科学省 関連予算"),
     ("A B C", "A B C")],
)
def test_letter_spacing(line: str, repaired: str) -> None:
    assert _keep(line, remove_letter_spacing(line)) == repaired


def test_views_and_offset_map(cfg) -> None:
    # (a double-spaced paragraph: a blank line after each of its lines)
    source = ("ｶﾞｲﾄﾞ　関　東\n\n10\n\n　地域の産学官の関係者が地域のクラスター形成のための戦略等を議論する場として、\n\n"
              "平成20年度には、両省が共催で地域の連携をより一層進めるため、「地域クラスターセ\n\n"
              "ミナー」を地方で３回開催しました。その成果は冊子にまとめられ、各地の関係者に配布されて\n\n"
              "います。\n")
    layout = repair_layout(source, cfg)
    assert layout.lines.text.splitlines()[0] == "ガイド 関東"
    assert "10" not in layout.lines.text  # a lone page number is furniture
    assert "「地域クラスターセミナー」を地方で3回開催" in layout.flow.text
    for view in (layout.lines, layout.flow):
        assert len(view.origin) == len(view.text) + 1
        assert view.origin == sorted(view.origin)
        i = view.text.index("3回")
        assert source[slice(*view.to_source(i, i + 2))] == "３回"
    i = layout.flow.text.index("セミナー")
    assert source[slice(*layout.flow.to_source(i, i + 4))] == "セ\n\nミナー"
    i = layout.lines.text.index("ガイド")
    assert source[slice(*layout.lines.to_source(i, i + 3))] == "ｶﾞｲﾄﾞ"


def test_white_paper_punctuation_reads_as_the_usual_marks(cfg) -> None:
    """Guards ``_white_paper_marks``: a full-width comma and full stop that part words and end sentences
    (，．) are 、 and 。 in the views, so the rules' sentences and lists hold; between digits they stay a
    thousands separator and a decimal point, and a list number's dot stays a dot. The source keeps them."""
    source = "１．概要\n本事業には，企業１，２００社が参加した．前年比２．５倍である．No．３\n　ア．人材育成\n"
    view = repair_layout(source, cfg).lines
    assert view.text.splitlines() == ["1.概要", "本事業には、企業1,200社が参加した。前年比2.5倍である。No.3",
                                      " ア.人材育成"]
    i = view.text.index("、")
    assert source[slice(*view.to_source(i, i + 1))] == "，"


def test_short_lines_and_lists_are_not_joined(cfg) -> None:
    source = ("◆東海ものづくり創生プロジェクト\n　ものづくり分野　約1,720社　28大学\n\n"
              "名古屋大学、名古屋工業大学、\n三重大学\n\n愛知県、岐阜県\n")
    flow = repair_layout(source, cfg).flow.text
    assert flow.count("\n") >= 5
    assert "プロジェクト\n" in flow and "名古屋工業大学、\n" in flow


def test_single_spaced_prose_that_fills_its_width_runs_on(cfg) -> None:
    """Single-spaced text as pdftotext writes a page: a line of prose as wide as its paragraph (in display
    columns, or in characters where NFKC made full-width digits half-width) runs on to the next line, and so
    does a line that leaves a quote open; a line holding a gap (a table's row), a short line and the last
    line of the paragraph do not."""
    lines = ["　令和６年５月２０日（月）には、高知市文化プラザにおいて「とさ海洋",
             "資源フォーラム」を開催し、県内外の企業や大学から多くの参加があった。",
             "また、会場では展示も行われ、参加した企業の間で商談が活発に行われた",
             "という。",
             "参加企業　　　　　　　　　　　　　　　　　　　　　　　　　　１２０社",
             "主な出展者",
             "高知大学"]
    flow = repair_layout("\n".join(lines) + "\n", cfg).flow.text
    assert "「とさ海洋資源フォーラム」を開催し、" in flow
    assert "あった。\nまた、" in flow  # a sentence's end is no wrap
    assert "行われたという。\n" in flow
    assert "\n参加企業" in flow and "120社\n主な出展者\n高知大学\n" in flow


def test_a_line_leaving_a_bracket_open_runs_on_whatever_it_holds(cfg) -> None:
    """A list item with no hiragana that the margin broke inside its bracket (…（令和７年６月１２ / 日、…）) goes on
    on the next line, in both implementations of the repair; a closed bracket, or a row holding a gap, does not."""
    text = ("・北陸地域産学官連携フォーラム（令和７年６月１２\n日、金沢市文化ホール）\n"
            "・東海技術交流会（令和７年７月３日、名古屋市）\n日程は変更となる場合がある。\n"
            "地域　　事業（単位\n百万円）\n")
    flow = repair_layout(text, cfg).flow.text
    assert "フォーラム(令和7年6月12日、金沢市文化ホール)\n" in flow
    assert "名古屋市)\n日程は" in flow
    assert "事業(単位\n百万円)" in flow
    from . import layout_reference
    assert layout_reference.repair_layout(text, cfg).flow.text == flow


def test_a_blank_line_joins_only_double_spaced_text(cfg) -> None:
    """A wrapped line continues across one blank line where the text around is double-spaced (a
    conversion's blank line after every line); in single-spaced text a blank line ends what came
    before: a title, a table's last row (its figure stays whole), a paragraph."""
    single = ("令和６年度　地域イノベーション施策の概要\n\n文部科学省・経済産業省\n\n１．予算の概要\n（単位：百万円）\n"
              "共創の場形成支援プログラム　１３，８００　１４，１００\n\n３０社が参加する拠点の一覧\n"
              "しずおか次世代農業共創拠点　静岡大学\n")
    flow = repair_layout(single, cfg).flow.text
    assert "施策の概要\n\n文部科学省" in flow
    assert "14,100\n\n30社" in flow
    double = "".join(line + "\n\n" for line in (
        "　地域の大学と企業が連携して新たな産業を育てる取組を進めており、平成",
        "２０年度には全国の拠点から成果を一堂に集めた展示会を横浜で開催して、地",
        "域の関係者が議論を深めました。"))
    flow = repair_layout(double, cfg).flow.text
    assert "平成20年度" in flow and "地域の関係者" in flow


def test_a_list_number_opens_a_line_of_its_own(cfg) -> None:
    """A line opening with a list number (２．, （３）, 1)) starts an item: never joined to the line before,
    even in double-spaced text and after a figure (14,100 and 2.採択拠点一覧, not 14,1002)."""
    lines = ["　地域の大学と企業が連携して新たな産業を育てる取組を進めており、その予算は",
             "　共創の場形成支援プログラムの令和６年度予算額は百万円単位で１４，１００",
             "２．採択拠点の一覧と各拠点の参画機関について紹介します",
             "（３）令和６年度に開かれた成果報告会とシンポジウムの",
             "1)地域の取組の紹介"]
    flow = repair_layout("".join(line + "\n\n" for line in lines), cfg).flow.text
    assert "14,100\n\n2.採択" in flow
    assert "について紹介します\n\n(3)" in flow and "シンポジウムの\n\n1)" in flow


def test_a_row_number_and_its_gap_open_a_row_of_its_own(cfg) -> None:
    """A table's row ending in a figure over a row opening with its number and a gap (cells parted by tabs,
    read as spaces) are two rows: the figure is no figure the margin cut (131 and 2 are no 1312); the rest of a
    cut figure runs on without a gap (約1,20 / 0社)."""
    rows = ("No.\t拠点名\t代表機関\t参画企業数\n1\tあきた洋上風力拠点\t秋田大学\t131\n"
            "2\tやまがた有機材料拠点\t山形大学\t288\n")
    flow = repair_layout(rows, cfg).flow.text
    assert "131\n2 やまがた" in flow
    cut = "平成21年度には両省の成果を一堂に集めた展示会を開催して、約1,20\n0社が参加しました。\n"
    assert "約1,200社が参加" in repair_layout(cut, cfg).flow.text


def test_vertical_text_printed_a_character_per_line_reads_as_one_line(cfg) -> None:
    """A run of four lines of one character or more (two half-width digits set across the column count as
    one) is vertical text a conversion printed a character per line: the flow view reads it as one line. A
    run of digits alone (a table's column) and a run of three stay lines."""
    vertical = "\n".join(["平", "成", "21", "年", "度", "の", "予", "算", "は", "８", "９", "億", "円"])
    source = f"概要\n{vertical}\n\n1\n2\n3\n4\n\n北\n海\n道\n"
    flow = repair_layout(source, cfg).flow.text
    assert "平成21年度の予算は89億円" in flow
    assert "1\n2\n3\n4" in flow and "北\n海\n道" in flow
    i = flow.index("89億円")
    layout = repair_layout(source, cfg)
    assert source[slice(*layout.flow.to_source(i, i + 4))] == "８\n９\n億\n円"


# -- every kind of damage on one line ------------------------------------------------------------

def test_overprinted_and_letter_spaced_on_one_line(cfg) -> None:
    """Issue 14: the second repair's mask was computed on the line before the first one shortened it."""
    line = "知的知的クラスター創成クラスター創成　関　東"
    layout = repair_layout(line, cfg)
    assert layout.lines.text == "知的クラスター創成 関東"  # NFKC makes the ideographic space a space
    assert "".join(unicodedata.normalize("NFKC", line[o]) for o in layout.lines.origin[:-1]) == layout.lines.text


_WORD = st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF) | st.sampled_from("クラスター創成事業"),
                min_size=2, max_size=6)
_DAMAGE = st.one_of(
    _WORD.map(lambda w: w + w),  # a run printed twice over itself
    _WORD.map(lambda w: "　".join(w)),  # a letter-spaced heading
    _WORD.map(lambda w: " ".join(w)),
    st.integers(1, 99).map(lambda n: f"\n\n{n}\n\n"),  # a lone page number between blank lines
    st.integers(10, 99).map(lambda n: f"\n{n}{n + 1}\n"),  # merged spread page numbers
    st.sampled_from(["を開発する", "により", "に", "\n", "\n\n", "ｶﾞｲﾄﾞ", "ﾊﾟﾈﾙ", "ｸﾗｽﾀｰ", "㈱", "（", "）"]),
    st.integers(0, 10**9).map(lambda n: f"{n:,}円"),
    _WORD,
)
_DAMAGED_LINE = st.lists(_DAMAGE, min_size=1, max_size=14).map("".join)


@settings(max_examples=300, deadline=None)
@given(_DAMAGED_LINE)
def test_layout_repair_never_raises_and_maps_back(cfg, text: str) -> None:
    """Whatever damage a line mixes, repair never raises and every repaired character maps to a source
    character that normalises to it (or to a newline, or to the start of a composed character)."""
    layout = repair_layout(text, cfg)
    for view in (layout.lines, layout.flow):
        assert len(view.origin) == len(view.text) + 1
        assert all(0 <= o <= len(text) for o in view.origin)
        assert view.origin == sorted(view.origin)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_DAMAGED_LINE)
def test_pipeline_on_mixed_damage_keeps_offsets_exact(text: str) -> None:
    """The whole pipeline over mixed damage: no exception, and every mention's text is source[start:end]."""
    result = pipeline.extract(text + "\n", rules_dir=RULES, doc="damage")
    source = result.source
    for row in result.rows["mentions"]:
        assert row["text"] == source[row["start"] : row["end"]]


def _pages(*pages: str) -> str:
    return "\f".join(pages)


def test_running_heads_and_feet_of_a_paged_text_are_blanked(cfg) -> None:
    # A title over every page (its page number differs) and a ministry's name under every page go; the
    # page's own heading, its body's last line (alike on each page but for a digit inside a word) and a
    # line seen at the foot of two pages of five stay.
    page = ("地域イノベーション施策　平成２２年度版　{n}\n■{head}\n本文の{n}行目です。\n{extra}\n"
            "文部科学省　科学技術・学術政策局\n")
    heads = ["クラスター", "拠点", "予算", "行事", "資料"]
    text = _pages(*(page.format(n=n, head=h, extra="見出しの再掲\n" if n <= 2 else "")
                    for n, h in enumerate(heads, 1)))
    lines = repair_layout(text, cfg).lines.text.split("\n")
    assert not any("地域イノベーション施策" in ln or "文部科学省" in ln for ln in lines)
    assert [ln.lstrip("\f") for ln in lines if "■" in ln] == [f"■{h}" for h in heads]
    assert [ln for ln in lines if "本文" in ln] == [f"本文の{n}行目です。" for n in range(1, 6)]
    assert sum("見出しの再掲" in ln for ln in lines) == 2
    assert text.count("\f") == "\n".join(lines).count("\f")  # the page breaks stay


def test_a_table_header_over_each_page_is_no_running_head(cfg) -> None:
    # Three runs of words (a budget table's columns) over each page the table runs onto: the builders
    # read its years, so it stays; so do lines of too few pages (two of seven).
    header = "事項　平成２２年度予算額　平成２１年度予算額"
    rows = ["知的クラスター創成事業　１０４億円　１２０億円", "都市エリア事業　３０億円　３８億円"]
    text = _pages(*[f"{header}\n{row}\n" for row in rows * 2], "あとがき\n", "付録\n", "索引\n")
    lines = repair_layout(text, cfg).lines.text
    assert lines.count("事項 平成22年度予算額 平成21年度予算額") == 4


def test_running_heads_need_enough_pages(cfg) -> None:
    # Two pages are too few for a running head (running_min_pages: 3), and a text without form feeds has
    # no pages at all.
    two = _pages("白書の題名\n本文です。\n", "白書の題名\n本文です。\n")
    assert repair_layout(two, cfg).lines.text.count("白書の題名") == 2
    none = "白書の題名\n本文です。\n" * 4
    assert repair_layout(none, cfg).lines.text.count("白書の題名") == 4
