"""A PDF rendering of the seed (overprinted headings, page-number footers, the hub list as a ruled
table) yields the same tables as the text edition, and its mentions carry PDF page numbers."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

import pipeline

from .conftest import RULES

fixtures = pytest.importorskip("tests.make_pdf_fixtures", reason="reportlab is needed to draw the PDF")

COLUMNS = {
    "projects": ["region", "name", "fields", "companies", "companies_approx", "universities", "ended_fy"],
    "budget": ["fiscal_year", "ministry", "item", "parent", "amount_yen", "children_sum_yen", "sum_check"],
    "hubs": ["category", "name", "municipalities", "universities", "partners"],
    "events": ["name", "start_date", "end_date", "venue"],
}


@pytest.fixture(scope="module")
def pdf_result(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("pdf")) / "chiiki-cluster-h21.pdf"
    fixtures.make_seed_pdf(path)
    return pipeline.extract(path, rules_dir=RULES)


@pytest.mark.parametrize("table", list(COLUMNS))
def test_pdf_tables_equal_text_tables(pdf_result, seed_result, table: str) -> None:
    cols = COLUMNS[table]
    got = pdf_result.tables[table][cols].sort_values(cols[:2]).reset_index(drop=True)
    want = seed_result.tables[table][cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_pdf_hubs_come_from_the_ruled_table(pdf_result) -> None:
    assert pdf_result.input.ruled_tables
    hub_orgs = pdf_result.tables["mentions"].query("rule == 'hub.cell'")
    table_page = pdf_result.input.ruled_tables[0].page
    assert set(hub_orgs["page"]) == {table_page}
    text = pdf_result.source
    for r in hub_orgs.itertuples():
        assert text[r.start : r.end] == r.text


def test_pdf_mentions_carry_pages(pdf_result) -> None:
    m = pdf_result.tables["mentions"]
    assert m["page"].min() == 1 and m["page"].max() == len(pdf_result.input.page_starts)
    budget_total = m[(m.kind == "amount") & (m.value == "13400000000")]
    assert len(budget_total) == 1 and int(budget_total["page"].iloc[0]) > 1


def _draw_project_table(path: Path) -> Path:
    """A borderless project table: a header row, a rule under it, names wrapped over two lines in their
    cell, prose below; drawn here, not taken from the seed."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    fixtures.register_fonts()
    header = ["地域", "プロジェクト名", "分野", "参加企業数", "参加大学数"]
    rows = [
        [["北海道"], ["北海道スーパー・クラスター", "振興戦略"], ["情報・バイオ"], ["約300社"], ["17大学"]],
        [["関東"], ["地域産業活性化プロジェクト"], ["ものづくり"], ["約2,210社"], ["134大学"]],
        [["中国"], ["次世代中核産業形成", "プロジェクト"], ["ものづくり、バイオ"], ["430"], ["26"]],
    ]
    c = canvas.Canvas(str(path), pagesize=A4)
    _, height = A4
    c.setFont(fixtures.GOTHIC, 12)
    c.drawString(60, height - 60, "産業クラスター計画プロジェクト一覧（平成22年度）")
    xs, y, size, leading = [60, 120, 290, 400, 470, 540], height - 100, 9, 12
    for r, row in enumerate([[[h] for h in header], *rows]):
        for k, cell in enumerate(row):
            c.setFont(fixtures.GOTHIC if r == 0 else fixtures.MINCHO, size)
            for j, line in enumerate(cell):
                c.drawString(xs[k], y - j * leading, line)
        cell_height = max(len(cell) for cell in row) * leading + 6
        if r == 0:
            c.line(xs[0], y - cell_height + 8, xs[-1], y - cell_height + 8)
        y -= cell_height
    c.setFont(fixtures.MINCHO, 10)
    c.drawString(60, y - 30, "各プロジェクトでは、地域の中堅・中小企業等が大学等と連携している。")
    c.showPage()
    c.save()
    return path


def test_a_borderless_project_table_in_a_pdf_gives_one_project_per_row(tmp_path: Path) -> None:
    result = pipeline.extract(_draw_project_table(tmp_path / "projects.pdf"), rules_dir=RULES)
    got = result.tables["projects"][["region", "name", "fields", "companies", "companies_approx", "universities"]]
    assert got.astype(object).where(got.notna(), None).values.tolist() == [
        ["北海道", "北海道スーパー・クラスター振興戦略", "情報;バイオ", 300, True, 17],
        ["関東", "地域産業活性化プロジェクト", "ものづくり", 2210, True, 134],
        ["中国", "次世代中核産業形成プロジェクト", "ものづくり;バイオ", 430, False, 26],
    ]
    rules = set(result.tables["mentions"].query("kind == 'project'")["rule"])
    assert rules == {"project.table"}


def _draw_hub_grid(path: Path) -> Path:
    """A ruled hub table whose list cells hold one name a line (no separator), and whose name cells were
    broken by hand (ひょうご次世代 / 航空機拠点)."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
    if not font.exists() and not os.environ.get("CI"):  # CI installs it: there, a missing font fails
        pytest.skip("Debian's fonts-ipafont-gothic is needed to draw Japanese text")
    if "IPAGothicHubGrid" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("IPAGothicHubGrid", str(font)))
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont("IPAGothicHubGrid", 14)
    c.drawString(50, A4[1] - 60, "地域中核産学官連携拠点一覧（令和５年度採択）")
    xs = [50, 200, 300, 420, A4[0] - 50]
    rows = [(["拠点名"], ["自治体"], ["大学等"], ["参画機関"]),
            (["しずおか光未来拠点"], ["静岡県", "浜松市"], ["静岡大学", "浜松医科大学"],
             ["浜松商工会議所", "光産業創成大学院大学"]),
            (["ひょうご次世代", "航空機拠点"], ["兵庫県"], ["神戸大学"], ["神戸商工会議所"])]
    c.setFont("IPAGothicHubGrid", 9)
    top = A4[1] - 90
    c.line(xs[0], top, xs[-1], top)
    for row in rows:
        bottom = top - 8 - max(len(cell) for cell in row) * 13
        for x, cell in zip(xs, row, strict=False):
            for i, text in enumerate(cell):
                c.drawString(x + 4, top - 13 - i * 13, text)
        for x in xs:
            c.line(x, top, x, bottom)
        c.line(xs[0], bottom, xs[-1], bottom)
        top = bottom
    c.showPage()
    c.save()
    return path


def test_a_ruled_cell_of_one_name_a_line_lists_each_name(tmp_path: Path) -> None:
    """Lines of a ruled cell that end short of its edge part names (静岡大学 / 浜松医科大学: two items, each in the
    column of its type); a name broken by hand stays one name."""
    hubs = pipeline.extract(_draw_hub_grid(tmp_path / "hubs.pdf"), rules_dir=RULES).tables["hubs"]
    got = hubs[["name", "municipalities", "universities", "partners"]].values.tolist()
    assert got == [
        ["しずおか光未来拠点", "静岡県;浜松市", "静岡大学;浜松医科大学;光産業創成大学院大学", "浜松商工会議所"],
        ["ひょうご次世代航空機拠点", "兵庫県", "神戸大学", "神戸商工会議所"]]
