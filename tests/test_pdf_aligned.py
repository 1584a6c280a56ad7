"""Brochure pages set on a grid read as their text does (tests/grid_pdf.py draws them).

- Labelled amounts far to the right of their labels (a budget page) are the labels' lines, not a
  second column of text: a side of figures (億円, 百万円 figures, brackets) is no column
  (``readers.pdf._figures_side``).
- A borderless table whose longest cell ends one full-width space before the next column keeps its
  header and its columns: under a header's gap, a blank that wide in a row is the column gap
  (``readers.pdf_tables._narrow``).
- A budget name holding a particle (…による…) is an item though the PDF's text sets it apart from its
  amount by one space and loses the indentation (``budget.spaced_item_allows``).
- A heading one blank line under a table, which leaves the table's column gaps free, is no row of
  it: the table is found without it, and the page is not read as two columns of text
  (``readers.pdf_tables._paragraph_breaks``).
- Labelled values set far right on the line of each project's figures, a heading between them
  (参加企業数：約300社　　連携大学数：20校), are no column of text: a column has lines one after another
  (``readers.pdf.MIN_COLUMN_RUN``).
"""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.readers import read_source

from .conftest import RULES
from .grid_pdf import draw_grid

BUDGET = """令和６年度　地域経済産業関係予算（経済産業省）

１．地域未来投資促進事業　　　　　　　　　　　　　　５０．０億円（４５．０億円）
　（１）地域新成長産業創出促進事業　　　　　　　　　３０．０億円
　（２）地域中核企業支援事業　　　　　　　　　　　　２０．０億円
２．中小企業イノベーション創出推進事業　　　　　　１２０億円（新規）
"""

YEARS = """令和５年度　地域科学技術関係予算（文部科学省）
（単位：百万円）
　事業名　　　　　　　　　　　　　令和４年度　　令和５年度
　地域イノベーション推進事業　　　　　１，２００　　　１，０５０
　産学連携人材育成事業　　　　　　　　　　３５０　　　　　４２０
　合計　　　　　　　　　　　　　　　　１，５５０　　　１，４７０
"""

HUBS = """【産学官連携拠点一覧】
区分　　　　　　　拠点名　　　　　　　　　　　　提案自治体　　　　　　主な参画大学　　　　　　　主な参画機関
グローバル型　　　北大リサーチ＆ビジネスパーク　北海道、札幌市　　　　北海道大学　　　　　　　　北海道経済連合会
地域型　　　　　　ひろしま医工連携推進拠点　　　広島県　　　　　　　　広島大学、県立広島大学　　ひろしま産業振興機構
地域型　　　　　　とやま医薬工連携拠点　　　　　富山県、富山市　　　　富山大学　　　　　　　　　富山商工会議所
"""

BUDGET_COLS = ["fiscal_year", "ministry", "item", "parent", "amount_yen", "sum_check"]
HUB_COLS = ["category", "name", "municipalities", "universities", "partners"]


def _rows(result: pipeline.Result, table: str, cols: list[str]) -> list[list[object]]:
    return result.tables[table][cols].astype(str).values.tolist()


def test_a_budget_page_with_amounts_far_right_reads_as_its_text(tmp_path: Path) -> None:
    for name, text in (("budget", BUDGET), ("years", YEARS)):
        pdf = pipeline.extract(draw_grid(tmp_path / f"{name}.pdf", [text]), rules_dir=RULES)
        plain = pipeline.extract(text, rules_dir=RULES)
        assert _rows(pdf, "budget", BUDGET_COLS) == _rows(plain, "budget", BUDGET_COLS), name
    pdf = pipeline.extract(tmp_path / "budget.pdf", rules_dir=RULES)
    assert _rows(pdf, "budget", BUDGET_COLS) == [
        ["2024", "経済産業省", "地域未来投資促進事業", "", "5000000000", "ok"],
        ["2024", "経済産業省", "地域新成長産業創出促進事業", "地域未来投資促進事業", "3000000000", ""],
        ["2024", "経済産業省", "地域中核企業支援事業", "地域未来投資促進事業", "2000000000", ""],
        ["2024", "経済産業省", "中小企業イノベーション創出推進事業", "", "12000000000", ""],
    ]
    years = pipeline.extract(tmp_path / "years.pdf", rules_dir=RULES)
    assert _rows(years, "budget", ["item", "amount_yen"]) == [
        ["地域イノベーション推進事業", "1050000000"], ["産学連携人材育成事業", "420000000"],
        ["文部科学省", "1470000000"]]


def test_a_tight_borderless_hub_table_keeps_its_header_and_columns(tmp_path: Path) -> None:
    pdf = pipeline.extract(draw_grid(tmp_path / "hubs.pdf", [HUBS]), rules_dir=RULES)
    [table] = read_source(tmp_path / "hubs.pdf").ruled_tables
    assert [c.text for c in table.rows[0]] == ["区分", "拠点名", "提案自治体", "主な参画大学", "主な参画機関"]
    assert [c.text for c in table.rows[1]][1:3] == ["北大リサーチ＆ビジネスパーク", "北海道、札幌市"]
    assert _rows(pdf, "hubs", HUB_COLS) == _rows(pipeline.extract(HUBS, rules_dir=RULES), "hubs", HUB_COLS) == [
        ["グローバル型", "北大リサーチ&ビジネスパーク", "北海道;札幌市", "北海道大学", "北海道経済連合会"],
        ["地域型", "ひろしま医工連携推進拠点", "広島県", "広島大学;県立広島大学", "ひろしま産業振興機構"],
        ["地域型", "とやま医薬工連携拠点", "富山県;富山市", "富山大学", "富山商工会議所"],
    ]


SECTIONED_HUBS = """拠点名　　　　　　　　　　　　提案自治体　　　　　　提案大学等　　　　　　　提案企業等
【グローバル産学官連携拠点】
北大リサーチ＆ビジネスパーク　北海道、札幌市　　　　北海道大学　　　　　　　北海道経済連合会
【地域中核産学官連携拠点】
ひろしま医工連携推進拠点　　　広島県　　　　　　　　広島大学、県立広島大学　ひろしま産業振興機構
とやま医薬工連携拠点　　　　　富山県、富山市　　　　富山大学　　　　　　　　富山商工会議所
"""


def test_a_heading_row_inside_a_hub_table_is_its_rows_category(tmp_path: Path) -> None:
    pdf = pipeline.extract(draw_grid(tmp_path / "sections.pdf", [SECTIONED_HUBS]), rules_dir=RULES)
    text = pipeline.extract(SECTIONED_HUBS, rules_dir=RULES)
    want = [["グローバル産学官連携拠点", "北大リサーチ&ビジネスパーク"],
            ["地域中核産学官連携拠点", "ひろしま医工連携推進拠点"],
            ["地域中核産学官連携拠点", "とやま医薬工連携拠点"]]
    assert _rows(pdf, "hubs", ["category", "name"]) == _rows(text, "hubs", ["category", "name"]) == want


SECTIONED_PROJECTS = """プロジェクト名　　　　　　　　　　　　　　対象分野　　参加企業数　　参加大学数
【北海道】
バイオ産業成長戦略　　　　　　　　　　　　バイオ　　　約１６０社　　２６大学
【九州】
環境・リサイクル産業交流プラザ　　　　　　環境　　　　約５００社　　１０大学
シリコン・クラスター計画　　　　　　　　　半導体　　　約４３０社　　２６大学
"""


def test_a_heading_row_inside_a_project_table_gives_its_rows_region(tmp_path: Path) -> None:
    pdf = pipeline.extract(draw_grid(tmp_path / "projects.pdf", [SECTIONED_PROJECTS]), rules_dir=RULES)
    text = pipeline.extract(SECTIONED_PROJECTS, rules_dir=RULES)
    cols = ["region", "name", "companies", "universities"]
    assert _rows(pdf, "projects", cols) == _rows(text, "projects", cols) == [
        ["北海道", "バイオ産業成長戦略", "160", "26"], ["九州", "環境・リサイクル産業交流プラザ", "500", "10"],
        ["九州", "シリコン・クラスター計画", "430", "26"]]


REGION_HUBS_THEN_BUDGET = """選定地域一覧
地域名　　　　　　　　　申請者　　　　　　　　　　　　主な参画機関
とかち・東北海道　　　　北海道、帯広市　　　　　　　　帯広畜産大学、北見工業大学、帯広商工会議所
いわて北上　　　　　　　岩手県、北上市　　　　　　　　岩手大学、一関工業高等専門学校
ふくしま医療機器　　　　福島県　　　　　　　　　　　　福島県立医科大学、郡山商工会議所

プログラムの予算
　　　　　　　　　　平成２４年度　　平成２５年度
地域イノベーション戦略支援プログラム　　　　　　４５．０億円　　　４２．５億円
　　うち　グローバル型　　　　　　　　　　　　１２．０億円　　　１１．０億円
"""


def test_a_heading_one_blank_line_under_a_table_is_no_row_of_it(tmp_path: Path) -> None:
    """The heading under the table keeps the header's column gaps free; it is left out of the table
    (``pdf_tables._paragraph_breaks``), which then is found, so the page is not read as two columns."""
    pdf_path = draw_grid(tmp_path / "regions.pdf", [REGION_HUBS_THEN_BUDGET])
    [table] = read_source(pdf_path).ruled_tables
    assert [c.text for c in table.rows[0]] == ["地域名", "申請者", "主な参画機関"]
    assert len(table.rows) == 4
    pdf = pipeline.extract(pdf_path, rules_dir=RULES)
    text = pipeline.extract(REGION_HUBS_THEN_BUDGET, rules_dir=RULES)
    assert _rows(pdf, "hubs", HUB_COLS) == _rows(text, "hubs", HUB_COLS) == [
        ["", "とかち・東北海道", "北海道;帯広市", "帯広畜産大学;北見工業大学", "帯広商工会議所"],
        ["", "いわて北上", "岩手県;北上市", "岩手大学;一関工業高等専門学校", ""],
        ["", "ふくしま医療機器", "福島県", "福島県立医科大学", "郡山商工会議所"],
    ]
    assert _rows(pdf, "budget", ["item", "amount_yen"]) == _rows(text, "budget", ["item", "amount_yen"]) == [
        ["地域イノベーション戦略支援プログラム", "4250000000"], ["うちグローバル型", "1100000000"]]


MINISTRY_BOXES = """令和２年度　地域科学技術関連予算の概要

＜文部科学省＞　　　　　　　　　　　　　　　　　　　　　計　１３，４００百万円
　地域イノベーション・エコシステム形成プログラム　　　　　　８，９００百万円
　　うち新規分　　　　　　　　　　　　　　　　　　　　　　　１，２００百万円
　科学技術イノベーションによる地域社会課題解決　　　　　　　４，５００百万円

＜経済産業省＞　　　　　　　　　　　　　　　　　　　　　計　１６，６００百万円
　地域未来投資促進事業　　　　　　　　　　　　　　　　　　１２，０００百万円
　戦略的基盤技術高度化支援事業　　　　　　　　　　　　　　　４，６００百万円
"""


def test_a_name_holding_a_particle_far_left_of_its_amount_is_an_item_in_the_pdf_too(tmp_path: Path) -> None:
    """The PDF's text sets the name apart from its amount by one space where the text had a wide gap,
    and loses the indentation: the name is still an item (``spaced_item_allows``) and the sums place it."""
    pdf = pipeline.extract(draw_grid(tmp_path / "boxes.pdf", [MINISTRY_BOXES]), rules_dir=RULES)
    text = pipeline.extract(MINISTRY_BOXES, rules_dir=RULES)
    cols = ["ministry", "item", "parent", "amount_yen", "sum_check"]
    assert _rows(pdf, "budget", cols) == _rows(text, "budget", cols) == [
        ["文部科学省", "文部科学省", "", "13400000000", "ok"],
        ["文部科学省", "地域イノベーション・エコシステム形成プログラム", "文部科学省", "8900000000", ""],
        ["文部科学省", "うち新規分", "地域イノベーション・エコシステム形成プログラム", "1200000000", ""],
        ["文部科学省", "科学技術イノベーションによる地域社会課題解決", "文部科学省", "4500000000", ""],
        ["経済産業省", "経済産業省", "", "16600000000", "ok"],
        ["経済産業省", "地域未来投資促進事業", "経済産業省", "12000000000", ""],
        ["経済産業省", "戦略的基盤技術高度化支援事業", "経済産業省", "4600000000", ""],
    ]


EVENT_TABLE = """行事名　　　　　　　　会場　　　　　　　　　　開催日
成果発表会　　　　　　東京国際フォーラム　　　令和6年1月24日
地域連携フォーラム　　仙台国際センター　　　　令和6年2月8日（木）
"""


def test_an_event_table_closing_with_its_dates_reads_from_the_pdf_as_from_its_text(tmp_path: Path) -> None:
    """The PDF's borderless table sets its cells apart by tabs, one space after NFKC: the venue is still
    the last cell before the date (``events._date_last``)."""
    pdf = pipeline.extract(draw_grid(tmp_path / "events.pdf", [EVENT_TABLE]), rules_dir=RULES)
    text = pipeline.extract(EVENT_TABLE, rules_dir=RULES)
    cols = ["name", "start_date", "venue"]
    assert _rows(pdf, "events", cols) == _rows(text, "events", cols) == [
        ["成果発表会", "2024-01-24", "東京国際フォーラム"], ["地域連携フォーラム", "2024-02-08", "仙台国際センター"]]


NUMBERED_PROJECTS = """産業クラスター計画（第Ⅱ期中期計画）の概要

１．北海道地域
　（１）北海道スーパー・クラスター振興戦略（ＩＴ・バイオ）
　　　参加企業数：約３００社　　　　　　　　　　連携大学数：２０校
２．東北地域
　（１）ＴＯＨＯＫＵものづくりコリドー
　　　参加企業数：約７８０社　　　　　　　　　　連携大学数：４８校
３．関東地域
　（１）地域産業活性化プロジェクト
　　　参加企業数：約２，２１０社　　　　　　　　連携大学数：１３４校
"""


def test_values_far_right_beside_each_project_are_no_column(tmp_path: Path) -> None:
    cols = ["region", "name", "companies", "universities"]
    pdf = pipeline.extract(draw_grid(tmp_path / "numbered.pdf", [NUMBERED_PROJECTS]), rules_dir=RULES)
    plain = pipeline.extract(NUMBERED_PROJECTS, rules_dir=RULES)
    assert _rows(pdf, "projects", cols) == _rows(plain, "projects", cols) == [
        ["北海道", "北海道スーパー・クラスター振興戦略", "300", "20"],
        ["東北", "TOHOKUものづくりコリドー", "780", "48"],
        ["関東", "地域産業活性化プロジェクト", "2210", "134"],
    ]
