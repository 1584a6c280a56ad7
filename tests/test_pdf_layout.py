"""Reading order of PDF pages: vertical writing (縦書き), tiers, columns with furniture in the gutter, a
vertical heading band, side-by-side boxes (pipeline/readers/pdf.py, pdf_vertical.py, pdf_layout.py)."""

from __future__ import annotations

import math
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("reportlab", reason="the PDF fixtures are drawn with reportlab (dev extra)")

sys.path.insert(0, str(Path(__file__).resolve().parent))
import make_layout_pdfs as fx  # noqa: E402

import pipeline  # noqa: E402
from pipeline.core.source import Source  # noqa: E402
from pipeline.readers.pdf import read_pdf  # noqa: E402
from pipeline.readers.pdf_vertical import normalise_vertical_forms, split_directions  # noqa: E402

from .conftest import RULES  # noqa: E402

JO = Path(__file__).resolve().parent / "fixtures" / "jo.pdf"
FIGURE_KINDS = ("amount", "count", "date", "period")


def _read(path: Path) -> Source:
    return read_pdf(path, path.read_bytes())


def _lines(text: str) -> list[str]:
    return [line for line in text.replace("\f", "\n").split("\n") if line.strip()]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return fx.make_all(tmp_path_factory.mktemp("layout"))


# --- jo.pdf: a real two-tier vertical page ------------------------------------------------------------


def test_jo_reads_in_japanese_order_top_tier_first() -> None:
    src = _read(JO)
    lines = [line.strip("\u3000") for line in _lines(src.text)]
    assert len(lines) == 60
    assert lines[:3] == ["序", "わたくしといふ現象は", "假定された有機交流電燈の"]
    # the top tier ends with these two columns, the bottom tier starts with the next
    top_end = lines.index("（すべてがわたくしの中のみんなであるやうに")
    assert lines[top_end + 1 : top_end + 4] == [
        "みんなのおのおののなかのすべてですから）",
        "けれどもこれら新世代沖積世の",
        "巨大に明るい時間の集積のなかで",
    ]
    assert lines[-1] == "大正十三年一月廿日\u3000\u3000宮澤賢治"
    assert lines.index("わたくしといふ現象は") < lines.index("（ひかりはたもち、その電燈は失はれ）") < top_end
    # no grid of characters: every line is a whole column
    assert min(len(line) for line in lines) >= 1 and sum(len(line) == 1 for line in lines) == 1


def test_jo_columns_follow_the_page_geometry() -> None:
    """An oracle independent of the reader: the page's glyphs grouped by tier (above or below the empty
    band across the page) and by column position (x0 to 4 pt), tiers top to bottom, columns right to
    left, each top to bottom."""
    import pdfplumber

    with pdfplumber.open(JO) as pdf:
        chars = [c for c in pdf.pages[0].chars if not c["text"].isspace()]
    band = 300.0  # the empty band between the tiers (checked below)
    assert max(c["bottom"] for c in chars if c["top"] < band) < min(c["top"] for c in chars if c["top"] > band)
    columns: dict[tuple[bool, int], list[dict[str, Any]]] = {}
    for c in chars:
        columns.setdefault((c["top"] > band, round(c["x0"] / 4)), []).append(c)
    want = [
        "".join(c["text"] for c in sorted(col, key=lambda c: c["top"]))
        for (_, _), col in sorted(columns.items(), key=lambda kv: (kv[0][0], -kv[0][1]))
    ]
    got = ["".join(line.split()) for line in _lines(_read(JO).text)]
    assert got == want


# --- a vertical page with figures -------------------------------------------------------------------


def _figures(result: Any) -> Counter[tuple[str, str, str]]:
    m = result.tables["mentions"]
    m = m[m.kind.isin(FIGURE_KINDS)]
    return Counter(zip(m.kind, m.value.astype(str), m.unit.fillna("").astype(str), strict=True))


def test_vertical_page_gives_the_same_figures_as_horizontal_text(files: dict[str, Path]) -> None:
    vertical = pipeline.extract(files["vertical_figures"], rules_dir=RULES)
    horizontal = pipeline.extract("\n".join(fx.FIGURE_SENTENCES) + "\n", rules_dir=RULES)
    want = _figures(horizontal)
    assert len(want) >= 12  # the sentences do carry amounts, counts, dates and periods
    assert _figures(vertical) == want
    m = vertical.tables["mentions"]
    figures = m[m.kind.isin(FIGURE_KINDS)]
    assert set(figures.page) == {2}  # page 1 is the horizontal introduction
    for r in m.itertuples():
        assert vertical.source[r.start : r.end] == r.text
        assert vertical.input.page_of(r.start) == r.page


def test_vertical_text_keeps_tatechuyoko_digits_in_place(files: dict[str, Path]) -> None:
    text = _read(files["vertical_figures"]).text
    assert "成果発表会は平成21年10月5日から10月7日まで横浜で開催し" in text
    assert "平成２１年度は、全国１８地域で" in text
    assert "2\n" not in text.split("\f")[1]  # the horizontal page number is furniture


def test_split_directions_on_a_stream() -> None:
    def glyph(text: str, x0: float, top: float, size: float = 10.0) -> dict[str, object]:
        return {"text": text, "x0": x0, "x1": x0 + size, "top": top, "bottom": top + size, "size": size}

    column = [glyph(t, 300, 100 + 10 * k) for k, t in enumerate("平成")]
    tcy = [glyph("2", 300, 120, 5.0) | {"x1": 305.0}, glyph("1", 305, 120, 5.0) | {"x1": 310.0}]
    tcy = [dict(g, x0=g["x0"] - 2.5, x1=g["x1"] - 2.5, bottom=130.0, size=10.0) for g in tcy]
    rest = [glyph(t, 300, 130 + 10 * k) for k, t in enumerate("年度")]
    line = [glyph(t, 50 + 10 * k, 500) for k, t in enumerate("横書きの行")]
    horizontal, vertical = split_directions(column + tcy + rest + line)
    assert "".join(g["text"] for g in vertical) == "平成21年度"
    assert "".join(g["text"] for g in horizontal) == "横書きの行"


def test_vertical_presentation_forms_are_normalised(files: dict[str, Path]) -> None:
    assert normalise_vertical_forms("﹁連携﹂︑成果︒︵注︶") == "「連携」、成果。(注)"
    assert normalise_vertical_forms("﹃研究﹄︙︰﹅﹆〜") == "『研究』…‥〜"
    if "vertical_embedded" not in files:
        pytest.fail("IPA Mincho is missing: install Debian's fonts-ipafont-mincho")
    text = _read(files["vertical_embedded"]).text
    assert text == fx.EMBEDDED_EXPECTED + "\n"


def test_two_tiers_split_by_a_rule_read_top_tier_first(files: dict[str, Path]) -> None:
    lines = _lines(_read(files["two_tiers"]).text)
    joined = "".join(lines)
    assert joined == "".join(fx.TIER_TOP) + "".join(fx.TIER_BOTTOM)
    assert lines[0] == fx.TIER_TOP[0]
    assert lines.index(fx.TIER_TOP[-1]) < lines.index(fx.TIER_BOTTOM[0])


# --- horizontal layouts -----------------------------------------------------------------------------


def test_columns_found_across_a_centred_header_and_page_number(files: dict[str, Path]) -> None:
    src = _read(files["columns_furniture"])
    pages = src.text.split("\f")
    assert len(pages) == 3
    for k, page in enumerate(pages):
        tag = fx.PAGE_TAGS[k]
        flat = page.replace("\n", "")
        assert flat == tag + fx.FURNITURE_LEFT + tag + fx.FURNITURE_RIGHT
    assert fx.FURNITURE_HEADER not in src.text
    assert "- 12 -" not in src.text


def test_vertical_heading_band_is_read_whole_beside_the_body(files: dict[str, Path]) -> None:
    lines = _lines(_read(files["heading_band"]).text)
    assert lines == [*fx.BAND_HEADINGS, *fx.BAND_BODY]  # 第２章's ２ is kept; the page number 8 is not


def test_side_by_side_boxes_are_each_read_whole(files: dict[str, Path]) -> None:
    lines = _lines(_read(files["boxes"]).text)
    assert lines == [fx.BOX_TITLE, *fx.BOX_LEFT, *fx.BOX_RIGHT, fx.BOX_CLOSING]


def test_title_band_and_caption_band_beside_two_columns(files: dict[str, Path]) -> None:
    lines = _lines(_read(files["band_columns"]).text)
    assert lines[:2] == list(fx.BAND_HEADINGS)
    assert lines[-1] == fx.CAPTION_BAND
    body = "".join(lines[2:-1])
    assert body == fx.FURNITURE_LEFT + fx.FURNITURE_RIGHT  # left column first, the page number dropped


def test_a_table_under_two_columns_is_read_row_by_row_and_the_columns_whole(files: dict[str, Path]) -> None:
    """A borderless table of names and amounts under two columns, its gap where the columns' gutter is, is
    no part of the columns: each row reads name then amounts; the left column is read whole (a line that
    reaches towards the gutter and a centred page number do not cut it short), a blank line before the
    right column."""
    src = _read(files["columns_then_table"])
    text = src.text
    left = [ln for ln in fx.SPLIT_LEFT if ln]
    right = [ln for ln in fx.SPLIT_RIGHT if ln]
    lines = _lines(text)
    assert lines[0] == "令和６年度　地域クラスター事業の概要"
    assert lines[1 : 1 + len(left)] == left
    assert lines[1 + len(left) : 1 + len(left) + len(right)] == right
    assert f"{fx.SPLIT_LEFT[-1]}\n\n{fx.SPLIT_RIGHT[0]}" in text  # a column of its own: a paragraph
    assert lines[-len(fx.SPLIT_TABLE) :] == [" ".join(row) for row in fx.SPLIT_TABLE]
    assert "- 1 -" not in text
    budget = pipeline.extract(files["columns_then_table"], rules_dir=RULES).tables["budget"]
    assert dict(zip(budget["item"], budget["amount_yen"], strict=True)) == {
        "地域中核研究大学強化促進事業": 2_000_000_000, "共創の場形成支援プログラム": 14_200_000_000,
        "文部科学省": 16_200_000_000}


def test_a_rule_across_the_gutter_ends_the_header_band_above_the_columns(files: dict[str, Path]) -> None:
    """The publisher set flush right under the title, above a rule drawn across the page, is the header's: read
    before the columns under the rule (not at the top of the right column), so the budget table at the right is
    the publisher ministry's."""
    lines = _lines(_read(files["header_rule"]).text)
    assert lines[:3] == ["令和６年度　地域イノベーション施策のご案内", "文部科学省　科学技術・学術政策局",
                         "■クラスター事業の参加状況"]
    assert lines.index("■令和６年度予算（単位：百万円）") > lines.index("　素材分野　約１９０社　１４大学")
    tables = pipeline.extract(files["header_rule"], rules_dir=RULES).tables
    budget = tables["budget"]
    assert set(budget["ministry"]) == {"文部科学省"}
    assert dict(zip(budget["item"], budget["amount_yen"], strict=True)) == {
        "地域イノベーション推進": 12_500_000_000, "共創の場形成支援": 8_300_000_000, "地域中核大学支援": 4_200_000_000}
    assert list(tables["projects"]["companies"]) == [230, 190]


def test_three_columns_of_blocks_are_columns_not_a_table(files: dict[str, Path]) -> None:
    """Three columns of project blocks whose lines stand at one pitch across the page are read column by
    column: a line of bracketed headings, of ◆ marks, or of labels with values (分野：…) or a label twice heads
    no table; the borderless table under them still is one (a colon inside its header's brackets)."""
    src = _read(files["three_columns"])
    lines = _lines(src.text)
    want = [ln for column in fx.THREE_COLUMNS for ln in column if ln]
    assert lines[1 : 1 + len(want)] == want
    table = [[cell.text for cell in row] for row in src.ruled_tables[0].rows]
    assert table == [list(r) for r in fx.THREE_COLUMNS_TABLE]
    p = pipeline.extract(files["three_columns"], rules_dir=RULES).tables["projects"]
    got = {n: (r, int(c)) for n, r, c in zip(p["name"], p["region"], p["companies"], strict=True)}
    assert got == {"さっぽろバイオクラスター": ("北海道", 40), "はこだて海洋クラスター": ("北海道", 25),
                   "みやぎ次世代モビリティプロジェクト": ("東北", 80),
                   "やまがた有機エレクトロニクスクラスター": ("東北", 35),
                   "九州半導体イノベーションプロジェクト": ("九州", 120), "くまもと医療バイオ構想": ("九州", 22)}


@pytest.mark.parametrize("leading", [11.5, 12.0, 14.0])
def test_a_table_drawn_column_by_column_stays_horizontal(tmp_path: Path, leading: float) -> None:
    """Single-glyph cells drawn down a column, a line's leading apart, are not vertical writing."""
    import make_pdf_fixtures as pdf_fx

    labels = ["北海道", "東北", "関東", "中部", "近畿", "九州"]
    items = [(60, 100 + leading * k, label) for k, label in enumerate(labels)]
    items += [(200, 100 + leading * k, mark) for k, mark in enumerate("○×○○×○")]
    items += [(260, 100 + leading * k, mark) for k, mark in enumerate("３５２４１６")]
    src = _read(pdf_fx.make_positioned_pdf(tmp_path / "marks.pdf", [items]))
    assert _lines(src.text) == [f"{a} {b} {c}" for a, b, c in zip(labels, "○×○○×○", "３５２４１６", strict=True)]


def test_a_title_bar_across_two_columns_is_read_between_them(files: dict[str, Path]) -> None:
    text = _read(files["title_bar"]).text
    flat = text.replace("\n", "")
    assert flat == fx.FURNITURE_LEFT + fx.FURNITURE_RIGHT + fx.BAR_TITLE + fx.BAR_LEFT + fx.BAR_RIGHT
    assert fx.BAR_TITLE + "\n" in text


def test_find_boxes_takes_rounded_frames_not_circles_or_chart_lines() -> None:
    from pipeline.readers.pdf_layout import find_boxes

    def curve(pts: list[tuple[float, float]]) -> dict[str, object]:
        xs, ys = [x for x, _ in pts], [y for _, y in pts]
        return {"object_type": "curve", "pts": pts, "x0": min(xs), "x1": max(xs), "top": min(ys), "bottom": max(ys)}

    rounded = curve([(58, 100), (272, 100), (280, 108), (280, 172), (272, 180), (58, 180), (50, 172), (50, 108),
                     (58, 100)])
    circle = curve([(400 + 60 * math.cos(k * math.pi / 8), 300 + 60 * math.sin(k * math.pi / 8)) for k in range(17)])
    chart = curve([(50, 500), (120, 430), (190, 470), (260, 400)])
    glyphs = [{"text": "字", "x0": x, "x1": x + 10, "top": y, "bottom": y + 10, "size": 10.0}
              for x, y in ((100, 130), (395, 295), (150, 450))]
    rows = find_boxes([rounded, circle, chart], glyphs, [], (0, 0, 595, 842))
    assert [(b.x0, b.top, b.x1, b.bottom) for row in rows for b in row] == [(50, 100, 280, 180)]


def test_cards_give_each_project_its_wrapped_name_and_counts(files: dict[str, Path]) -> None:
    """A brochure's cards, framed three to a row: each card's name (wrapped by its box, the ending cut across
    the line break), then after a gap its field and counts, is one project, its region the card's bracketed
    heading."""
    p = pipeline.extract(files["cards"], rules_dir=RULES).tables["projects"]
    got = {n: (r, f, int(c), int(u)) for n, r, f, c, u in
           zip(p["name"], p["region"], p["fields"], p["companies"], p["universities"], strict=True)}
    assert got == {"十勝スマート農業プロジェクト": ("北海道", "農業;IT", 32, 5),
                   "みやぎ水素エネルギー実証プロジェクト": ("東北", "エネルギー", 21, 3),
                   "つくば量子技術応用プロジェクト": ("関東", "量子;材料", 47, 9),
                   "あいち次世代モビリティプロジェクト": ("中部", "自動車", 63, 7),
                   "けいはんな健康長寿プロジェクト": ("近畿", "健康;医療", 39, 8),
                   "くまもと半導体人材育成プロジェクト": ("九州", "半導体", 55, 11)}


def test_a_budget_table_beside_framed_cards_is_no_table_across_them(files: dict[str, Path]) -> None:
    """The table's title level with the cards' names reads as three cells of one header; the cards' frames say
    the text beside them is no table across them: the budget's rows and each card are read apart."""
    result = pipeline.extract(files["budget_beside_cards"], rules_dir=RULES)
    budget = result.tables["budget"]
    got = {i: int(a) for i, a in zip(budget["item"], budget["amount_yen"], strict=True)}
    assert got == {"共創の場形成支援プログラム": 14_200_000_000, "地域中核研究大学強化促進事業": 5_500_000_000,
                   "文部科学省": 19_700_000_000}
    hubs = result.tables["hubs"]
    assert list(hubs["name"]) == ["北の食と健康共創拠点", "みやぎ未来医療共創拠点"]
    assert list(hubs["universities"]) == ["北海道大学", "東北大学"]
    assert list(hubs["municipalities"]) == ["北海道;札幌市", "宮城県;仙台市"]



def test_columns_whose_lines_stand_at_other_heights_are_read_one_after_the_other(files: dict[str, Path]) -> None:
    """Two columns of cards, the right one half a line lower, so almost no row holds both columns' text: the
    sides take turns down the page, which makes them columns. Each card is read whole (read row by row,
    the left card's name took the right card's field and counts), and the section under both columns,
    after a wide white band, follows the right column as a paragraph of its own."""
    src = _read(files["offset_columns"])
    lines = _lines(src.text)
    for name, field, counts, prose in fx.OFFSET_CARDS:
        at = lines.index(name)
        assert lines[at + 1 : at + 4] == [field, counts, prose]  # the paragraph the column broke is one line
    assert lines[-2:] == ["令和６年度予算", "地域クラスター形成支援事業（経済産業省）　令和６年度予算額　４８億円"]
    assert "を担っている。\n\n令和６年度予算\n" in src.text
    p = pipeline.extract(files["offset_columns"], rules_dir=RULES).tables["projects"]
    got = {n: (f, int(c), int(u)) for n, f, c, u in
           zip(p["name"], p["fields"], p["companies"], p["universities"], strict=True)}
    assert got == {"とかち食と農業クラスター": ("食品;農業", 150, 9),
                   "いわて次世代電池クラスター": ("電池;材料", 90, 6),
                   "しが水環境技術クラスター": ("環境;水", 230, 14),
                   "くまもと半導体人材クラスター": ("半導体", 310, 17)}
