"""Shapes other PDF-to-text converters give the seed, made by rewriting it: the tables read from each
must be the seed's own.

- Cells as paragraphs: a converter that takes the wide gaps of ``ものづくり分野　約2,210社　134大学`` for
  column gaps prints each cell as a paragraph of its own, a blank line after each.
- Pages with running heads: the text cut into pages by form feeds, a title over every page and a page
  number under it, wherever the cut falls (inside a project's block, between its name and its figures).
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

import pipeline

from .conftest import RULES, dated_events, project_counts
from .test_pdf_chromium import (
    BANDED_EVENTS,
    BANDED_PROJECTS,
    LINED_HUBS,
    LINED_PROJECTS,
    SPANNED_PROJECTS,
    TABLED_EVENTS,
    TABLED_PROJECTS,
)

SEED = Path(__file__).resolve().parents[1] / "raw" / "chiiki-cluster-h21.txt"
# A project's detail line: its field, then its counts, set apart by full-width spaces.
_DETAIL = re.compile(r"^(　\S*分野)　(約[\d,０-９，]+社)　([\d０-９]+大学)\s*$")


def _projects(text: str) -> list[tuple[str, str, str, str]]:
    rows = pipeline.extract_text(text, rules_dir=RULES).tables["projects"].to_dict("records")
    return [(r["name"], r["fields"], str(r["companies"]), str(r["universities"])) for r in rows]


@pytest.fixture(scope="module")
def seed_projects() -> list[tuple[str, str, str, str]]:
    return _projects(SEED.read_text(encoding="utf-8"))


def test_cells_printed_as_paragraphs(seed_projects) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    out: list[str] = []
    split = 0
    for line in lines:
        m = _DETAIL.match(line)
        if m is None:
            out.append(line)
            continue
        out += [m.group(1), "", m.group(2), "", m.group(3), ""]
        split += 1
    assert split >= 10  # the rewrite touched most projects
    assert _projects("\n".join(out)) == seed_projects


@pytest.mark.parametrize("page_lines", [23, 31, 37, 53])
def test_pages_with_running_heads(seed_projects, page_lines: int) -> None:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    out = ["地域クラスター施策の概要　平成２１年度版"]
    for k in range(0, len(lines), page_lines):
        if k:
            out += ["", f"－ {k // page_lines} －", "\f地域クラスター施策の概要　平成２１年度版"]
        out += lines[k : k + page_lines]
    text = "\n".join(out)
    assert text.count("\f") >= 6
    result = pipeline.extract_text(text, rules_dir=RULES)
    assert _projects(text) == seed_projects
    assert not result.tables["mentions"].query("text.str.contains('施策の概要')", engine="python").shape[0]


def _hubs(text: str) -> list[dict[str, str]]:
    rows = pipeline.extract_text(text, rules_dir=RULES).tables["hubs"].to_dict("records")
    return [{k: str(v) for k, v in r.items() if k not in ("doc", "line")} for r in rows]


def test_hub_grid_with_page_breaks_at_line_starts() -> None:
    # pdftotext starts a page with a form feed on its first line, blank line or none: here once inside a
    # hub's name (東海地域 / 環境調和型高付加価値 / \fモノづくり拠点形成, one cell) and once between two cells of
    # the partners' column (京都商工会議所 / \f福岡先端…, two cells with no blank line between them).
    seed = SEED.read_text(encoding="utf-8")
    text = seed.replace("\nモノづくり拠点形成\n", "\n\fモノづくり拠点形成\n", 1)
    text = re.sub(r"\n京都商工会議所\n\s*\n福岡先端", "\n京都商工会議所\n\f福岡先端", text, count=1)
    assert text.count("\f") == 2
    assert _hubs(text) == _hubs(seed)
    assert len(_hubs(seed)) == 5


# A hub table whose cells wrap: each row a block of lines, each column's pieces at its own position.
_HUB_ROWS = [
    (["とうほく次世代", "医工連携拠点"], ["宮城県、仙台市、", "山形県"], ["東北大学、山形大学、", "東北工業大学"],
     ["東北経済連合会"]),
    (["しずおか光技術拠点"], ["静岡県、浜松市"], ["静岡大学、浜松医科大学"], ["浜松商工会議所、", "静岡県経営者協会"]),
    (["ふくおか水素", "エネルギー", "連携拠点"], ["福岡県、北九州市"], ["九州大学"], ["福岡商工会議所"]),
]
_HUB_HEADER = ["拠点名", "提案自治体", "参画大学等", "参画機関"]


def _laid_out(width, starts: list[int]) -> str:  # type: ignore[no-untyped-def]
    """The table as text, each column's pieces starting at ``starts`` as ``width`` measures a string."""
    def line(parts: list[str]) -> str:
        out = ""
        for start, part in zip(starts, parts, strict=True):
            if part:
                out += " " * max(2, start - width(out)) + part if out else " " * start + part
        return out

    lines = ["令和６年度　産学官連携拠点一覧", "", "【地域中核産学官連携拠点】", line(_HUB_HEADER), ""]
    for row in _HUB_ROWS:
        depth = max(len(cell) for cell in row)
        lines += [line([cell[k] if k < len(cell) else "" for cell in row]) for k in range(depth)] + [""]
    return "\n".join(lines)


@pytest.mark.parametrize("measure", ["characters", "display"])
def test_hub_table_of_wrapped_cells(measure: str) -> None:
    # pdftotext -layout aligns columns by characters; a text typed in full-width characters, by width.
    import unicodedata

    def display(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)

    width = len if measure == "characters" else display
    starts = [0, 18, 34, 56] if measure == "characters" else [0, 24, 44, 72]
    rows = _hubs(_laid_out(width, starts))
    category = {"category": "地域中核産学官連携拠点"}
    assert rows == [
        {**category, "name": "とうほく次世代医工連携拠点", "municipalities": "宮城県;仙台市;山形県",
         "universities": "東北大学;山形大学;東北工業大学", "partners": "東北経済連合会"},
        {**category, "name": "しずおか光技術拠点", "municipalities": "静岡県;浜松市",
         "universities": "静岡大学;浜松医科大学", "partners": "浜松商工会議所;静岡県経営者協会"},
        {**category, "name": "ふくおか水素エネルギー連携拠点", "municipalities": "福岡県;北九州市",
         "universities": "九州大学", "partners": "福岡商工会議所"},
    ]


def test_two_rows_in_one_block_and_a_wrapped_one() -> None:
    # Rows of one line each may share a block; a line of every column after a cell left open (、) wraps.
    text = "\n".join([
        "拠点名　　　　　　　　提案自治体　　　　　参画大学等　　　　　　参画機関",
        "",
        "あおもり農工連携拠点　青森県、弘前市　　　弘前大学　　　　　　　青森商工会議所",
        "いわて素材共創拠点　　岩手県、盛岡市　　　岩手大学　　　　　　　盛岡商工会議所",
        "",
        "みやぎ医工連携拠点　　宮城県、　　　　　　東北大学、　　　　　　仙台商工会議所",
        "　　　　　　　　　　　仙台市　　　　　　　東北工業大学",
        "",
    ])
    assert [(r["name"], r["municipalities"], r["universities"]) for r in _hubs(text)] == [
        ("あおもり農工連携拠点", "青森県;弘前市", "弘前大学"),
        ("いわて素材共創拠点", "岩手県;盛岡市", "岩手大学"),
        ("みやぎ医工連携拠点", "宮城県;仙台市", "東北大学;東北工業大学"),
    ]


# -- two columns side by side, as pdftotext -layout prints a two-column page ---------------------------


def _side_by_side(left: list[str], right: list[str], gutter: int, title: str = "") -> str:
    """``left`` and ``right`` printed on shared lines, the right column from character ``gutter`` on (ASCII
    spaces pad, as pdftotext -layout does), under a title running across both."""
    lines = [title, ""] if title else []
    for k in range(max(len(left), len(right))):
        a = left[k] if k < len(left) else ""
        b = right[k] if k < len(right) else ""
        lines.append((a + " " * (gutter - len(a)) + b).rstrip() if b else a)
    return "\n".join(lines) + "\n"


def _project_lines() -> list[str]:
    lines = SEED.read_text(encoding="utf-8").split("\n")
    first = next(k for k, ln in enumerate(lines) if ln.startswith("◆"))
    last = next(k for k, ln in enumerate(lines) if "との連携" in ln and k > first)
    return [ln.rstrip() for ln in lines[first:last] if ln.strip() and ln.strip() not in ("10",)]


def _named_counts(text: str) -> list[tuple[str, str, str, str]]:
    return sorted(_projects(text))


def test_two_columns_side_by_side_are_read_one_after_the_other() -> None:
    block = _project_lines()
    half = next(k for k in range(len(block) // 2, len(block)) if block[k].startswith("◆"))
    text = _side_by_side(block[:half], block[half:], gutter=48,
                         title="　" * 10 + "地域クラスター計画の全国展開（平成２１年度）　" + "　" * 10)
    alone = "\n".join(block) + "\n"
    result = pipeline.extract_text(text, rules_dir=RULES)
    assert _named_counts(text) == _named_counts(alone)
    assert len(_named_counts(alone)) >= 15
    notes = result.tables["warnings"].query("code == 'text_columns_split'")
    assert len(notes) == 1 and "from character 49" in notes["message"].iloc[0]
    assert "地域クラスター計画の全国展開" in result.source.split("\n")[0]  # the title stays on top


@pytest.mark.parametrize("table", [
    # A budget of names and amounts, two names wrapped onto a line of their own: its right side is figures.
    ["知的クラスター創成事業" + " " * 20 + "89億円", "都市エリア産学官連携促進事業" + " " * 14 + "45億円",
     "産業クラスター計画（第Ⅱ期）における", "広域連携事業" + " " * 26 + "12億円",
     "地域イノベーション協創プログラム" + " " * 10 + "34億円"] * 3,
    # A table of four columns: a gutter at each.
    ["北海道   北海道バイオ産業成長戦略     バイオ     約160社   26大学",
     "東北     TOHOKUものづくりコリドー    ものづくり   約780社   48大学",
     "関東     地域産業活性化プロジェクト   ものづくり   約2,210社  134大学"] * 4,
])
def test_tables_are_not_read_as_two_columns(table: list[str]) -> None:
    text = "\n".join(table) + "\n"
    result = pipeline.extract_text(text, rules_dir=RULES)
    assert result.source == text
    assert "text_columns_split" not in set(result.tables["warnings"]["code"])


# Cards of two columns as pdftotext -layout prints them (our own cards): each card's name, field, counts and a
# sentence; the counts hold a gap of their own (参加企業 約２８０社   大学等 １８機関), a tempting false gutter.
_LEFT_CARDS = ["◆とかち食品バイオクラスター", "分野：食品・バイオ", "参加企業 約２８０社   大学等 １８機関",
               "十勝の食品企業と大学が組み、機能性食品の開発を", "進めている。", "",
               "◆いわて次世代モビリティクラスター", "分野：自動車・半導体", "参加企業 約４１０社   大学等 ２２機関",
               "岩手県を中心に部品供給網の高度化に取り組む。"]
_RIGHT_CARDS = ["◆はりま健康・医療クラスター", "分野：医療機器・創薬", "参加企業 約５２０社   大学等 ３５機関",
                "播磨の研究機関と中小企業の共同開発を支援して", "いる。", "",
                "◆おおいたグリーンエネルギークラスター", "分野：環境・エネルギー",
                "参加企業 約３６０社   大学等 ２０機関", "水素・再生可能エネルギーの実証を進めている。"]
_CARD_COUNTS = [("いわて次世代モビリティクラスター", "410", "22"),
                ("おおいたグリーンエネルギークラスター", "360", "20"),
                ("とかち食品バイオクラスター", "280", "18"), ("はりま健康・医療クラスター", "520", "35")]


def _card_counts(text: str) -> list[tuple[str, str, str]]:
    p = pipeline.extract_text(text, rules_dir=RULES).tables["projects"]
    return sorted(zip(p["name"], p["companies"].astype(str), p["universities"].astype(str), strict=True))


def test_two_columns_whose_lines_stand_at_other_heights_are_read_one_after_the_other() -> None:
    """A browser's or DTP tool's columns whose lines stand at other heights: pdftotext -layout prints each
    line of one side on a line of its own, the other side's lines between, and a gap inside the counts
    looks like a gutter too. The gutter no line runs across is the one; each card keeps its own figures
    (read as printed, a card took the field and counts of the one beside it)."""
    lines = ["令和６年度 地域クラスター事例集", ""]
    for a, b in zip(_LEFT_CARDS, _RIGHT_CARDS, strict=True):
        lines += [" " * 30 + b if b else "", a]
    text = "\n".join(lines) + "\n"
    assert _card_counts(text) == _CARD_COUNTS
    result = pipeline.extract_text(text, rules_dir=RULES)
    assert "text_columns_split" in set(result.tables["warnings"]["code"])


def test_two_columns_of_cards_whose_lines_all_pair_up_are_read_one_after_the_other() -> None:
    """Cards as long on both sides, so every line pairs up and no line holds one side alone: the same mark
    opening both sides (◆…　◆…) and running text on both say they are columns, not a table."""
    text = _side_by_side(_LEFT_CARDS, _RIGHT_CARDS, gutter=30, title="令和６年度 地域クラスター事例集")
    assert _card_counts(text) == _CARD_COUNTS


def test_two_columns_aligned_as_an_editor_shows_them_are_read_one_after_the_other() -> None:
    """Columns aligned in display columns, a full-width character two wide (typed in an editor, or from a
    converter that counts so): the right column starts at other character indexes on each line, at one
    display column. The same cards come out."""
    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)

    lines = ["令和６年度 地域クラスター事例集", ""]
    for a, b in zip(_LEFT_CARDS, _RIGHT_CARDS, strict=True):
        lines.append((a + " " * (52 - width(a)) + b).rstrip() if b else a)
    text = "\n".join(lines) + "\n"
    assert len({line.index("◆", 1) for line in lines if line.count("◆") == 2}) > 1  # not one character index
    assert _card_counts(text) == _CARD_COUNTS
    notes = pipeline.extract_text(text, rules_dir=RULES).tables["warnings"].query("code == 'text_columns_split'")
    assert len(notes) == 1 and "display column 53" in notes["message"].iloc[0]


# A budget table in the left column beside the right column's paragraphs, as pdftotext -layout prints such a
# page (our own figures and sentences): the table's header cells broken after 年 (令和５年 over 度), a blank
# line of padding under the header, a name the cell's width broke inside its ending (…促進事 over 業), and
# the right column's prose broken wherever the column's width fell, inside a name in quotes too.
_TABLE_LEFT = ["１．予算（単位：億円）", "", "     事業名        令和５年 令和６年", "                 度     度", "",
               "地域共創拠点形成プログラム     126   131", "地域イノベーション推進事業     52   57",
               "産学官連携基盤整備事業       21   24", "地域中核研究大学強化促進事", "業                  38   44",
               "合計                237   256"]
_PROSE_RIGHT = ["２．主な取組", "令和６年９月１１日（水）には、金沢市文化ホールにおいて「ほ",
                "くりく共創フォーラム２０２４」を開催し、企業や大学から約３", "２０名が参加した。", "",
                "また、山陰地域では「さんいん特殊鋼クラスター」",
                "を推進している。参加企業は約９０社、参加大学は島根大学など", "４校である。"]


def test_a_table_in_the_left_column_beside_paragraphs_is_read_as_two_columns() -> None:
    """The left column's table sets gaps of its own (rival gutters), but the right side of the gutter is
    running text: the page is two columns, each read whole. The table's rows take the latest year's
    column, and the wrapped name is one; the paragraphs' sentences are read across their line breaks."""
    text = _side_by_side(_TABLE_LEFT, _PROSE_RIGHT, gutter=34,
                         title="令和６年度 地域イノベーション関係予算と主な取組")
    result = pipeline.extract_text(text, rules_dir=RULES)
    assert "text_columns_split" in set(result.tables["warnings"]["code"])
    b = result.tables["budget"]
    assert dict(zip(b["item"], b["amount_yen"].astype(int), strict=True)) == {
        "地域共創拠点形成プログラム": 13_100_000_000, "地域イノベーション推進事業": 5_700_000_000,
        "産学官連携基盤整備事業": 2_400_000_000, "地域中核研究大学強化促進事業": 4_400_000_000, "合計": 25_600_000_000}
    e = result.tables["events"]
    assert [(n, str(s), v) for n, s, v in zip(e["name"], e["start_date"], e["venue"], strict=True)] == [
        ("ほくりく共創フォーラム2024", "2024-09-11", "金沢市文化ホール")]
    p = result.tables["projects"]
    assert [(n, int(c), int(u)) for n, c, u in zip(p["name"], p["companies"], p["universities"], strict=True)] == [
        ("さんいん特殊鋼クラスター", 90, 4)]


def test_a_table_under_two_columns_keeps_its_rows_whole() -> None:
    """A budget table under two columns of cards, its header running across the gutter and its last column
    right of it: the rows' right side is figures alone, so the band stays as printed and each row keeps the
    latest year's amount (split, the rows took last year's and this year's came after them, alone)."""
    cards = _side_by_side(_LEFT_CARDS, _RIGHT_CARDS, gutter=30, title="令和６年度 地域クラスター事例集")
    table = ("\n令和６年度 予算\n        事業名        令和５年度 令和６年度\n"
             " 地域クラスター形成支援事業     １２０億円   １３５億円\n"
             "  うち広域連携枠          ４０億円    ４５億円\n")
    result = pipeline.extract_text(cards + table, rules_dir=RULES)
    assert "text_columns_split" in set(result.tables["warnings"]["code"])
    b = result.tables["budget"]
    assert dict(zip(b["item"], b["amount_yen"].astype(int), strict=True)) == {
        "地域クラスター形成支援事業": 13_500_000_000, "うち広域連携枠": 4_500_000_000}
    assert _card_counts(cards + table) == _CARD_COUNTS


def _grid(cards: list[list[str]], width: int) -> list[str]:
    """Cards side by side as pdftotext -layout prints a grid: line k of each card on one line, each card
    ``width`` characters wide (ASCII spaces pad); a card with no line k leaves its width blank."""
    rows = max(len(card) for card in cards)
    return ["".join((card[k] if k < len(card) else "").ljust(width) for card in cards).rstrip()
            for k in range(rows)]


# Three hubs' cards side by side (our own), a name too long for its card (…株式会 / 社), and a table of events
# under them whose columns stand elsewhere.
_HUB_CARDS = [["【北海道】", "とかち食農共創拠点", "代表機関：帯広畜産大学", "参画自治体：北海道、帯広市",
               "参画企業：よつ葉乳業株式会", "社"],
              ["【東北】", "あおもり海洋資源拠点", "代表機関：弘前大学", "参画自治体：青森県、八戸市",
               "参画企業：八戸商工会議所"],
              ["【九州】", "くまもと半導体人材拠点", "代表機関：熊本大学", "参画自治体：熊本県、菊陽町",
               "参画企業：株式会社肥後銀行"]]


def test_three_cards_side_by_side_are_read_card_by_card() -> None:
    """A grid of three cards, each line's parts opening with the same label (代表機関：…　代表機関：…): a table
    does not repeat a label in every cell, so the page is cards, each read whole; the events table under
    them, its columns elsewhere, stays as printed."""
    lines = ["令和７年度 共創拠点のご紹介", *_grid(_HUB_CARDS, 18), "", "",
             "        開催日                イベント名             会場",
             "令和７年６月１６日          共創拠点成果報告会      札幌コンベンションセンター"]
    result = pipeline.extract_text("\n".join(lines) + "\n", rules_dir=RULES)
    h = result.tables["hubs"]
    assert [(n, m, u, p) for n, m, u, p in zip(h["name"], h["municipalities"], h["universities"], h["partners"],
                                               strict=True)] == [
        ("とかち食農共創拠点", "北海道;帯広市", "帯広畜産大学", "よつ葉乳業株式会社"),
        ("あおもり海洋資源拠点", "青森県;八戸市", "弘前大学", "八戸商工会議所"),
        ("くまもと半導体人材拠点", "熊本県;菊陽町", "熊本大学", "株式会社肥後銀行")]
    e = result.tables["events"]
    assert [(n, str(s), v) for n, s, v in zip(e["name"], e["start_date"], e["venue"], strict=True)] == [
        ("共創拠点成果報告会", "2025-06-16", "札幌コンベンションセンター")]
    assert "cards side by side" in " ".join(result.tables["warnings"]["message"])


def test_a_grid_of_project_cards_goes_on_past_blank_lines() -> None:
    """Project cards side by side whose counts and sentences stand a blank line under their names: the blocks
    whose parts start at the cards' edges go on with the grid; a name its card broke before the ending
    (【東北】みちのく医療機 / 器開発プロジェクト) is one name."""
    cards = [["【東北】みちのく医療機", "器開発プロジェクト", "分野：医療機器", "", "参加企業   約３１０社",
              "連携大学   １８大学", "", "企業と大学が連携し、製", "品の開発を進めている。"],
             ["【中部】ちゅうぶ航空宇", "宙部品プロジェクト", "分野：航空機・宇宙", "", "参加企業   約４２０社",
              "連携大学   ２５大学", "", "企業と大学が連携し、製", "品の開発を進めている。"],
             ["【九州】きゅうしゅう環", "境エネルギープロジェクト", "分野：環境・エネルギー", "",
              "参加企業   約５６０社", "連携大学   ２２大学", "", "企業と大学が連携し、製", "品の開発を進めている。"]]
    text = "\n".join(["産業クラスター計画 地域別プロジェクト（令和２年度）", *_grid(cards, 17)]) + "\n"
    p = pipeline.extract_text(text, rules_dir=RULES).tables["projects"]
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == [
        ("東北", "みちのく医療機器開発プロジェクト", 310, 18), ("中部", "ちゅうぶ航空宇宙部品プロジェクト", 420, 25),
        ("九州", "きゅうしゅう環境エネルギープロジェクト", 560, 22)]


# pdftotext -layout of tests/test_pdf_chromium.py's page of merged cells (our own tables: a budget, a schedule
# and a list of hubs, each cell merged over its rows printed on one line of them, or between two).
_MERGED_PAGE = [
    '令和６年度 地域科学技術振興関係予算',
    '                                                      （単位：百万円）',
    '',
    '   府省名              事業名                令和５年度           令和６年度',
    '                                        予算額             予算額',
    '           地域研究大学振興事業                      4,800             5,250',
    '文部科学省      共創拠点形成事業                        12,600            13,100',
    '           大学発起業支援事業                            ―              900',
    '           地域未来産業育成事業                      2,400             2,150',
    '経済産業省',
    '           産業集積連携強化事業                          780             820',
    '',
    '',
    '主な行事',
    '         開催日                     行事名                  会場',
    '                      放射光計測セミナー           仙台国際センター',
    '令和６年１０月９日（水）',
    '                      半導体人材育成ワークショップ      いわて県民情報交流センター',
    '令和７年２月６日（木）～７日（金）     量子技術シンポジウム２０２５      つくば国際会議場',
    '',
    '',
    '共創拠点一覧',
    '    区分                     拠点名                       参画大学等',
    '               みなと海洋工学拠点                   東京海洋大学',
    '国際展開型',
    '               はこだて水産科学拠点                  北海道大学',
    '地域密着型          ながの精密加工拠点                   信州大学',
]


def test_tables_whose_columns_happen_to_line_up_are_not_two_columns() -> None:
    """Three tables one under another, a column boundary of each near the same character, and merged cells
    alone on their lines: most lines holding both sides are rows of three cells or more, so the page is
    tables, not two columns, and each budget row keeps its figures (split, every row lost its amounts)."""
    result = pipeline.extract_text("\n".join(_MERGED_PAGE) + "\n", rules_dir=RULES)
    assert "text_columns_split" not in set(result.tables["warnings"]["code"])
    b = result.tables["budget"]
    assert dict(zip(b["item"], b["amount_yen"].astype(int), strict=True)) == {
        "地域研究大学振興事業": 5_250_000_000, "共創拠点形成事業": 13_100_000_000, "大学発起業支援事業": 900_000_000,
        "地域未来産業育成事業": 2_150_000_000, "産業集積連携強化事業": 820_000_000}
    # Each ministry's cell stands in the middle of its rows (文部科学省 on the second of three, 経済産業省 alone
    # between its two): every row takes the nearest cell's ministry.
    assert dict(zip(b["item"], b["ministry"], strict=True)) == {
        "地域研究大学振興事業": "文部科学省", "共創拠点形成事業": "文部科学省", "大学発起業支援事業": "文部科学省",
        "地域未来産業育成事業": "経済産業省", "産業集積連携強化事業": "経済産業省"}
    # The schedule's date cell stands alone between its two rows: both are events of that day.
    e = result.tables["events"]
    assert [(n, str(d), v) for n, d, v in zip(e["name"], e["start_date"], e["venue"], strict=True)] == [
        ("放射光計測セミナー", "2024-10-09", "仙台国際センター"),
        ("半導体人材育成ワークショップ", "2024-10-09", "いわて県民情報交流センター"),
        ("量子技術シンポジウム2025", "2025-02-06", "つくば国際会議場")]


# pdftotext -layout of tests/test_pdf_chromium.py's page of a ruled budget table in the left column beside the
# right column's paragraphs (our own figures and sentences).
_TABLED_PAGE = [
    '令和６年度 地域イノベーション関係予算と主な取組',
    '                              ２．主な取組',
    '１．予算（単位：億円）                   令和６年７月１０日（水）には、名古屋国際会議場にお',
    '',
    '     事業名        令和５年 令和６年     いて「中部共創フォーラム２０２４」を開催し、企業や',
    '                 度     度      大学から約４００名が参加した。',
    '',
    '共創の場形成支援プログラム     138   142   また、北陸地域では「ほくりく繊維複合材クラスター」',
    '                              を推進している。参加企業は約１２０社、参加大学は金',
    '地域中核研究大学強化促進事                 沢大学など５校である。',
    '業                  45   50',
    '                              さらに、令和７年１月２８日（火）、広島市のＲＣＣ文',
    '合計                183   192   化センターで「せとうち海洋技術シンポジウム」を開催',
    '                              した。',
]


def test_a_blank_line_across_the_page_inside_a_sentence_is_no_paragraph_break() -> None:
    """pdftotext puts a line blank across the page where the left column's table has padding: in the right
    column it falls inside a sentence (…名古屋国際会議場にお / blank / いて「…」を開催し), which goes on under it.
    The table's rows, wider than the right column's lines and holding gaps, set no paragraph's width either,
    so the sentence is read whole and gives its event."""
    result = pipeline.extract_text("\n".join(_TABLED_PAGE) + "\n", rules_dir=RULES)
    assert (dated_events(result), project_counts(result)) == (TABLED_EVENTS, TABLED_PROJECTS)  # as from the PDF


# pdftotext -layout of the Chromium page ``lined`` (tests/test_pdf_chromium.py): tables whose cells hold one name a
# line, or a name broken by hand whose second line is the longer.
_LINED_PAGE = [
    '令和６年度 地域中核産学官連携拠点一覧',
    '拠点名                 自治体    参画大学           参画機関',
    'はこだて海洋イノベーション拠点     北海道    北海道大学          函館商工会議所',
    '                    函館市    公立はこだて未来大学',
    '',
    'とちぎ次世代モビリティ拠点       栃木県    宇都宮大学          宇都宮商工会議所',
    '                    宇都宮市                  栃木県産業振興センター',
    '',
    'しずおか光技術連携拠点         静岡県    静岡大学           浜松商工会議所',
    '                    浜松市    浜松医科大学',
    '                           光産業創成大学院大学',
    '',
    '',
    'プロジェクト一覧',
    '地域     プロジェクト名                    参加企業数     参加大学数',
    '北海道    道南マリンバイオ                   約６５社      ４大学',
    '       産業創出プロジェクト',
    '',
    '関東     北関東次世代モビリティ                約２１０社     ７大学',
    '       部品供給ネットワーク',
    '\x0c',
]


def test_a_name_cell_broken_by_hand_goes_on_under_its_row_and_list_cells_are_lists() -> None:
    """A name cell's second line may be longer than its first (道南マリンバイオ / 産業創出プロジェクト): it still
    continues the row's name while it fits before the next column's label, and is no project of its own; a hub
    cell's lines are its list's items."""
    result = pipeline.extract_text("\n".join(_LINED_PAGE) + "\n", rules_dir=RULES)
    h, p = result.tables["hubs"], result.tables["projects"]
    assert [(n, m, u, q) for n, m, u, q in zip(h["name"], h["municipalities"], h["universities"], h["partners"],
                                              strict=True)] == [
        (name, ";".join(places), ";".join(universities), ";".join(partners))
        for name, places, universities, partners in LINED_HUBS]
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == [
        (region, "".join(name), c, u) for region, name, c, u in LINED_PROJECTS]


# pdftotext -layout of a ruled table printed by Chromium whose 区分 cells are merged over their rows (rowspan):
# pdftotext sets each on the middle of its group, on a row's line (国際展開型) or alone between two (地域密着型).
_CENTRED_HUBS_PAGE = [
    '令和６年度 共創拠点一覧',
    '  区分               拠点名     代表機関     参画自治体',
    '        みなと海洋工学拠点        東京海洋大学   東京都',
    '国際展開型   はこだて水産科学拠点       北海道大学    函館市',
    '        さっぽろ食品拠点         北海道大学    札幌市',
    '        ながの精密加工拠点        信州大学     長野県、諏訪市',
    '地域密着型',
    '        ぐんま次世代モビリティ拠点    群馬大学     群馬県',
    '\x0c',
]


def test_group_cells_set_in_the_middle_of_their_rows_give_each_row_its_group() -> None:
    """A group's cell printed in the middle of its rows (the rows above it and under it as many) is each row's
    group; every other line is one row of its own (no wrapped cell), as the PDF's own table reads."""
    h = pipeline.extract_text("\n".join(_CENTRED_HUBS_PAGE) + "\n", rules_dir=RULES).tables["hubs"]
    assert [(c, n, u, m) for c, n, u, m in zip(h["category"], h["name"], h["universities"], h["municipalities"],
                                              strict=True)] == [
        ("国際展開型", "みなと海洋工学拠点", "東京海洋大学", "東京都"),
        ("国際展開型", "はこだて水産科学拠点", "北海道大学", "函館市"),
        ("国際展開型", "さっぽろ食品拠点", "北海道大学", "札幌市"),
        ("地域密着型", "ながの精密加工拠点", "信州大学", "長野県;諏訪市"),
        ("地域密着型", "ぐんま次世代モビリティ拠点", "群馬大学", "群馬県")]


# pdftotext -layout of the Chromium page ``spanned_projects``: each region's cell set in the middle of its rows.
_SPANNED_PAGE = [
    '地域別プロジェクト一覧',
    '地域            プロジェクト名    参加企業数    参加大学数',
    '     みちのく医療機器プロジェクト     約２９０社    １６大学',
    '東北   さんりく水産加工プロジェクト     約８０社     ５大学',
    '     あいづ精密部品ネットワーク      約１２０社    ３大学',
    '     ひむか海洋エネルギープロジェクト   約６０社     ４大学',
    '九州',
    '     くまそ宇宙部品クラスター       約７５社     ４大学',
    '\x0c',
]


def test_region_cells_in_the_middle_of_a_projects_tables_rows_give_each_row_its_region() -> None:
    """The rows over and under a region cell printed in their middle are that region's, as the PDF's table reads;
    a row with its region cell blank is read from its own cells, not dropped."""
    p = pipeline.extract_text("\n".join(_SPANNED_PAGE) + "\n", rules_dir=RULES).tables["projects"]
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == [
        (region, name, c, u) for region, projects in SPANNED_PROJECTS for name, c, u in projects]


# pdftotext -layout of the Chromium page ``banded``: a header band, two columns, a ruled budget table beside the
# cards, and list items of events the right column broke inside their brackets (…６月１２ / 日、…; …岡山コ /
# ンベンションセンター）).
_BANDED_PAGE = [
    '令和７年度 中国地域イノベーション施策の概要',
    '中国経済産業局 地域経済部',
    '',
    '',
    '',
    '１．主なプロジェクト                          事業名     令和６年度 令和７年度',
    '                            地域未来投資促進事業        1,100   1,120',
    '◆せとうち海洋素材クラスター              地域中核企業創出・支援事業      450     480',
    '分野：素材・化学',
    '参加企業 約１８０社  連携大学 １２大学',
    '',
    '◆ひろしま次世代モビリティプロジェクト',
    '                                ３．主なイベント',
    '分野：自動車・部品                  ・中国地域産学官連携フォーラム（令和７年６月１２',
    '参加企業 約３２０社  連携大学 ９大学       日、広島国際会議場）',
    '◆やまぐち水素エネルギーネットワーク         ・せとうち素材技術交流会（令和７年９月３日、岡山コ',
    '分野：エネルギー                   ンベンションセンター）',
    '参加企業 ６５社  連携大学 ４大学',
    '',
    '２．予算（単位：百万円）',
    '                           令和７年１１月には、山口市内において水素エネルギー',
    '                           シンポジウムを開催する予定である。',
    '',
    '',
    '',
    '',
    '                        - 3 -',
]


def test_list_items_broken_inside_their_brackets_give_their_events() -> None:
    """A list item the column broke inside its bracket of date and venue goes on on the next line (the bracket is
    open), whether or not it holds hiragana, and the bracket is read whole: the events come out as from the PDF."""
    result = pipeline.extract_text("\n".join(_BANDED_PAGE) + "\n", rules_dir=RULES)
    e, p = result.tables["events"], result.tables["projects"]
    assert [(n, s, d, v) for n, s, d, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                               strict=True)] == BANDED_EVENTS
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == BANDED_PROJECTS


def _vertical_grid(columns: list[str], pitch: int = 4) -> str:
    """Vertical writing as pdftotext -layout prints it: each of ``columns`` (read right to left) a column of
    single characters ``pitch`` characters apart, a full-width space a blank cell."""
    rows = max(len(c) for c in columns)
    ordered = list(reversed(columns))
    lines = []
    for r in range(rows):
        cells = [(c[r] if r < len(c) and c[r] != "\u3000" else " ") for c in ordered]
        lines.append("".join(ch + " " * (pitch - 1) for ch in cells).rstrip())  # (pdftotext counts characters)
    return "\n".join(lines) + "\n"


def test_vertical_writing_printed_as_a_grid_of_characters_is_read_column_by_column() -> None:
    """pdftotext prints a page of vertical writing as a grid: a line per row of characters, the columns a gap
    apart. Read column by column from the right, each column is a line of the text again, and the project and
    the event come out as from the PDF (our own text)."""
    columns = ["平成二十三年度　地域産学官連携事業の歩み", "◆ぐんま次世代モビリティクラスター",
               "分野：自動車・電子部品", "参加企業　約一四〇社　大学等　六機関",
               "平成二十三年十月二十日、高崎市の高崎シティギャラリーにおいて成果発表会を開催した。"]
    result = pipeline.extract_text(_vertical_grid(columns), rules_dir=RULES)
    assert result.source.split("\n")[:2] == columns[:2]
    assert project_counts(result) == [("ぐんま次世代モビリティクラスター", 140, 6)]
    assert list(result.tables["projects"]["fields"]) == ["自動車;電子部品"]
    assert dated_events(result) == [("成果発表会", "2011-10-20", "高崎シティギャラリー")]
