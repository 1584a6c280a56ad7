"""Borderless tables on small made-up pages: what is a table (aligned columns under a header row,
multi-line cells) and what is not (columns of prose, label/amount lists, a header of figures)."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.readers.pdf import read_pdf

fx = pytest.importorskip("tests.make_pdf_fixtures", reason="reportlab is needed to draw the PDF")


def _read(path: Path):
    return read_pdf(path, path.read_bytes())


def _rows(src) -> list[list[str]]:
    (table,) = src.ruled_tables
    return [[c.text for c in row] for row in table.rows]


def test_aligned_columns_under_a_header_are_a_table_with_multi_line_cells(tmp_path: Path) -> None:
    xs = (60, 200, 340)
    page = [(60, 60, "施設の一覧（令和4年度）")]
    page += [(x, 100, h) for x, h in zip(xs, ("施設名", "所在地", "運営主体"), strict=True)]
    # Rows 22 pt apart, the lines of a cell 12 pt apart.
    page += [(60, 122, "中央研究棟"), (200, 122, "仙台市"), (340, 122, "東北工業試験所")]
    page += [(60, 144, "海洋観測"), (60, 156, "センター"), (200, 144, "石巻市"), (340, 144, "水産振興協会")]
    page += [(60, 178, "資料館"), (200, 178, "気仙沼市"), (340, 178, "市教育委員会、"), (340, 190, "地域文化財団")]
    page += [(60, 240, "以上の施設は、いずれも一般公開されており、見学の申込みは各運営主体が受け付けている。")]
    path = fx.make_positioned_pdf(tmp_path / "t.pdf", [page], rules=[[(55, 104, 480, 104)]])
    src = _read(path)
    assert _rows(src) == [
        ["施設名", "所在地", "運営主体"],
        ["中央研究棟", "仙台市", "東北工業試験所"],
        ["海洋観測センター", "石巻市", "水産振興協会"],
        ["資料館", "気仙沼市", "市教育委員会、地域文化財団"],
    ]
    assert src.text.startswith("施設の一覧（令和4年度）\n施設名\t所在地\t運営主体\n")
    assert src.text.endswith("受け付けている。\n")


def test_evenly_spaced_rows_start_where_the_first_column_has_text(tmp_path: Path) -> None:
    page = [(60, 100, "品目"), (200, 100, "産地"), (340, 100, "出荷先")]
    page += [(60, 114, "りんご"), (200, 114, "青森県"), (340, 114, "関東各地")]
    page += [(340, 128, "関西各地")]
    page += [(60, 142, "みかん"), (200, 142, "愛媛県"), (340, 142, "九州各地")]
    src = _read(fx.make_positioned_pdf(tmp_path / "t.pdf", [page]))
    assert _rows(src)[1:] == [["りんご", "青森県", "関東各地関西各地"], ["みかん", "愛媛県", "九州各地"]]


def test_a_header_wrapped_over_two_lines_is_one_row(tmp_path: Path) -> None:
    page = [(60, 100, "地区"), (200, 100, "参加企業"), (340, 100, "協力大学")]
    page += [(200, 112, "（主なもの）")]
    page += [(60, 134, "北部"), (200, 134, "北部精機"), (340, 134, "北部工科大学")]
    page += [(60, 156, "南部"), (200, 156, "南部電子"), (340, 156, "南部大学")]
    src = _read(fx.make_positioned_pdf(tmp_path / "t.pdf", [page]))
    assert _rows(src) == [
        ["地区", "参加企業（主なもの）", "協力大学"],
        ["北部", "北部精機", "北部工科大学"],
        ["南部", "南部電子", "南部大学"],
    ]


def test_label_amount_lists_and_figure_rows_are_not_tables(tmp_path: Path) -> None:
    page = [(60, 100 + 14 * k, f"事業その{k + 1}") for k in range(5)]
    page += [(300, 100 + 14 * k, f"{10 + k}億円") for k in range(5)]
    page += [(60, 200, "令和3年"), (200, 200, "令和4年"), (340, 200, "令和5年")]  # a header of figures
    page += [(60, 214, "増加"), (200, 214, "横ばい"), (340, 214, "減少")]
    page += [(60, 228, "東部"), (200, 228, "西部"), (340, 228, "南部")]
    src = _read(fx.make_positioned_pdf(tmp_path / "t.pdf", [page]))
    assert src.ruled_tables == []
    assert "事業その1 10億円\n" in src.text


def test_three_columns_of_prose_are_not_a_table(tmp_path: Path) -> None:
    words = "地域の産学官が連携して新しい産業を育てる取組を全国で進めている"
    page = []
    for k in range(8):
        for x in (50, 225, 400):
            page.append((x, 100 + 14 * k, words[k : k + 15]))
    src = _read(fx.make_positioned_pdf(tmp_path / "t.pdf", [page]))
    assert src.ruled_tables == []


def test_a_table_set_smaller_than_the_body_is_found(tmp_path: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    body = [(60, 60 + 14 * k, "本文は十ポイントで組まれており、表だけが小さな文字で組まれている。") for k in range(6)]
    # 7-pt cells of four glyphs (28 pt) set 38 pt apart: gaps of 10 pt, over 1.2 table glyph sizes
    # (8.4 pt) but under 1.2 body glyph sizes (12 pt).
    cells = (
        ("区分名称", "件数内訳", "担当部署"),
        ("新規事業", "十二件中", "企画課内"),
        ("継続事業", "三十件中", "事業課内"),
    )
    path = tmp_path / "t.pdf"
    fx.register_fonts()
    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    c.setFont(fx.MINCHO, 10)
    for x, y, text in body:
        c.drawString(x, A4[1] - y, text)
    c.setFont(fx.MINCHO, 7)
    for r, row in enumerate(cells):
        for k, text in enumerate(row):
            c.drawString(60 + 38 * k, A4[1] - (200 + 12 * r), text)
    c.showPage()
    c.save()
    assert _rows(_read(path)) == [list(row) for row in cells]


def test_two_columns_one_full_width_space_apart_are_split_by_the_header(tmp_path: Path) -> None:
    # 参加企業数 and 参加大学数 stand one glyph apart (closer than a column gap): read as one column, their
    # cells hold a space each; the header's two labels, and two parts in every cell, split them again.
    xs = (60, 130, 300)
    page = [(x, 100, h) for x, h in zip(xs, ("地域名", "クラスター名", "参加企業数　参加大学数"), strict=True)]
    page += [(60, 120, "札幌周辺"), (130, 120, "札幌バイオクラスター構想"), (300, 120, "約３０社　　　５大学")]
    page += [(60, 140, "仙台"), (130, 140, "仙台先進予防クラスター"), (300, 140, "２５社　　　　３大学")]
    page += [(60, 160, "広島"), (130, 160, "広島バイオクラスター"), (300, 160, "")]
    src = _read(fx.make_positioned_pdf(tmp_path / "t.pdf", [page]))
    assert _rows(src) == [
        ["地域名", "クラスター名", "参加企業数", "参加大学数"],
        ["札幌周辺", "札幌バイオクラスター構想", "約３０社", "５大学"],
        ["仙台", "仙台先進予防クラスター", "２５社", "３大学"],
        ["広島", "広島バイオクラスター", "", ""],
    ]
