"""The seed re-laid as a real brochure PDF (two columns, side-by-side borderless budget boxes, a
borderless hub table, caption band, running header, page numbers), with a page in broken fonts and a
scanned page: the four tables equal the text edition's; broken glyphs and missing text layers are
warned about per page and font, and never read as figures; ``--ocr`` reads the scanned page."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pipeline
from pipeline.readers import IngestError, read_source
from pipeline.readers.ocr import join_digit_runs, repair_numerals

from .conftest import RULES

pytest.importorskip("reportlab", reason="reportlab is needed to draw the PDF")
pytest.importorskip("pikepdf", reason="pikepdf is needed to break the fixture's fonts")
brochure = pytest.importorskip("tests.make_brochure_pdf")
fx = pytest.importorskip("tests.make_pdf_fixtures")

KEYS = {
    "projects": ["name", "region", "fields", "companies", "companies_approx", "universities", "ended_fy"],
    "budget": ["ministry", "item", "fiscal_year", "parent", "amount_yen", "children_sum_yen", "sum_check"],
    "hubs": ["name", "category", "municipalities", "universities", "partners"],
    "events": ["name", "start_date", "end_date", "venue"],
}
FIGURES = ("amount", "count", "date", "period")


def _need_ipa_fonts() -> None:
    missing = [p for p in (brochure.IPA_GOTHIC, brochure.IPA_MINCHO) if not p.exists()]
    if missing and not os.environ.get("CI"):
        pytest.skip(f"Debian's fonts-ipafont-gothic / fonts-ipafont-mincho are needed ({missing[0]} missing)")


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory):
    _need_ipa_fonts()
    return brochure.make_brochure_pdf(Path(tmp_path_factory.mktemp("brochure")) / "chiiki-cluster-h21.pdf")


@pytest.fixture(scope="module")
def result(made):
    return pipeline.extract(made.path, rules_dir=RULES)


def _same(got: pd.DataFrame, want: pd.DataFrame, cols: list[str]) -> None:
    got = got[cols].sort_values(cols).reset_index(drop=True)
    want = want[cols].sort_values(cols).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


@pytest.mark.parametrize("table", list(KEYS))
def test_brochure_tables_equal_text_tables(result, seed_result, table: str) -> None:
    _same(result.tables[table], seed_result.tables[table], KEYS[table])


def test_title_band_and_project_columns_are_read_whole(result) -> None:
    lines = result.source.splitlines()
    band = lines.index(brochure.TITLE_BAND)  # the vertical band, one line, read top to bottom
    left_last = lines.index("◆北陸ものづくり創生プロジェクト")  # the left column's last project
    right_first = lines.index("◆関西バイオクラスタープロジェクトBio Cluster")
    assert band < lines.index("◆地域産業活性化プロジェクト") < left_last < right_first


def test_hub_list_is_read_from_the_borderless_table(result, made) -> None:
    (table,) = result.input.ruled_tables  # the brochure draws no grid anywhere
    assert table.page == made.pages - 2
    assert [c.text for c in table.rows[0]] == list(fx.HUB_HEADER)
    assert [tuple(c.text for c in row) for row in table.rows] == list(fx.HUB_ROWS)
    for row in table.rows:
        for cell in row:
            assert result.source[cell.start : cell.end] == cell.text


def test_budget_boxes_are_read_box_by_box(result) -> None:
    lines = result.source.splitlines()
    left = [lines.index("\u3000" * level + f"{label} {amount}")
            for level, label, amount in brochure.BUDGET_BOXES[0][1:]]
    assert left == sorted(left)  # parents before children, in the box's order; children set in by a level
    assert result.tables["budget"].query("item == '都市エリア産学官連携促進事業'")["sum_check"].item() == "ok"


def test_broken_fonts_warn_with_page_and_font_and_give_no_figure(result, made) -> None:
    w = result.warnings
    broken = w[w.code == "text_layer_broken"]
    assert set(broken["page"]) == {made.broken_page}
    fonts = " ".join(broken["message"])
    assert brochure.BROKEN_TEXT_FONT in fonts and brochure.BROKEN_DIGIT_FONT in fonts
    m = result.tables["mentions"]
    on_page = m[m.page == made.broken_page]
    assert on_page[on_page.kind.isin(FIGURES)].empty
    starts = result.input.page_starts
    page_text = result.source[starts[made.broken_page - 1] : starts[made.broken_page]]
    assert "〓" in page_text and "89" not in page_text and "億円" in page_text
    assert brochure.APPENDIX_PLAIN in page_text  # the sound font on the same page is still read


def test_image_only_page_warns(result, made) -> None:
    w = result.warnings
    assert w[w.code == "page_without_text"]["page"].tolist() == [made.scanned_page]
    assert not result.tables["mentions"]["ocr"].any()


def test_a_document_is_refused_only_when_no_page_has_text(tmp_path: Path) -> None:
    path = fx.make_image_only_pdf(tmp_path / "scan.pdf")
    with pytest.raises(IngestError, match=r"scan\.pdf: no text layer.*--ocr"):
        read_source(path)


def _need_tesseract() -> None:
    ok = shutil.which("tesseract") is not None
    if ok:
        langs = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.split()
        ok = "jpn" in langs and "jpn_vert" in langs
    if not ok:
        if os.environ.get("CI"):
            pytest.fail("tesseract-ocr, tesseract-ocr-jpn and tesseract-ocr-jpn-vert must be installed on CI")
        pytest.skip("needs Debian's tesseract-ocr, tesseract-ocr-jpn and tesseract-ocr-jpn-vert")


def test_ocr_reads_the_scanned_page_and_flags_its_mentions(made, seed_result) -> None:
    _need_tesseract()
    r = pipeline.extract(made.path, rules_dir=RULES, ocr=True)
    m = r.tables["mentions"]
    scanned = m[m.page == made.scanned_page]
    assert scanned["ocr"].all() and not m[m.page != made.scanned_page]["ocr"].any()
    figures = set(zip(scanned.kind, scanned.value, strict=True))
    assert ("amount", "5200000000") in figures and ("date", "2010-03-31") in figures
    w = r.warnings
    assert w[w.code == "page_ocr"]["page"].tolist() == [made.scanned_page]
    assert w[w.code == "page_without_text"].empty
    for table in KEYS:
        _same(r.tables[table], seed_result.tables[table], KEYS[table])


def test_ocr_reads_a_vertical_scan_with_jpn_vert(tmp_path: Path) -> None:
    _need_tesseract()
    _need_ipa_fonts()
    r = pipeline.extract(brochure.make_vertical_scan_pdf(tmp_path / "tate.pdf"), rules_dir=RULES, ocr=True)
    assert "jpn_vert" in r.warnings.query("code == 'page_ocr'")["message"].item()
    m = r.tables["mentions"]
    figures = set(zip(m.kind, m.value, m.ocr, strict=True))
    assert {("amount", "5200000000", True), ("date", "2010-03-31", True)} <= figures


def test_ocr_without_tesseract_is_one_line_naming_the_packages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from pipeline.cli import main

    monkeypatch.delenv("PIPELINE_OCR", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))  # no tesseract on it
    src = tmp_path / "a.txt"
    src.write_text("平成21年度の予算は89億円。\n", encoding="utf-8")
    assert main(["run", str(src), "--out", str(tmp_path / "out"), "--rules", str(RULES), "--ocr", "--quiet"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "tesseract-ocr-jpn" in err[0] and "tesseract-ocr-jpn-vert" in err[0]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("ocr_text", "repaired"),
    [
        ("平成ニ十一年度", "平成二十一年度"),
        ("第ー回会議", "第一回会議"),
        ("ニ億円", "二億円"),
        ("三ー社", "三一社"),
        ("センター", "センター"),
        ("ニュース", "ニュース"),
        ("データー覧", "データー覧"),
        ("ニーズ調査を三回", "ニーズ調査を三回"),
    ],
)
def test_ocr_confusions_repaired_only_next_to_numerals(ocr_text: str, repaired: str) -> None:
    assert repair_numerals(ocr_text) == repaired


def test_ocr_keeps_the_gaps_between_a_list_lines_parts(tmp_path: Path) -> None:
    """Where Tesseract saw a gap between words (its text output's spaces), the OCR line keeps it: a list
    line of event, date and venue set apart by full-width spaces reads as one event, and a figure's
    thousands separator is no gap (約1,190社)."""
    _need_tesseract()
    _need_ipa_fonts()
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    img, height = brochure.scan_image(["◆とうほく次世代素材プロジェクト", "　素材分野　約１，１９０社　１４大学", "",
                                       "成果発表会　令和６年１１月２０日（水）　仙台国際センター"])
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=brochure.A4, invariant=1)
    c.drawImage(ImageReader(img), brochure.MARGIN, brochure.TOP - height, width=brochure.PAGE_W - 2 * brochure.MARGIN,
                height=height)
    c.showPage()
    c.save()
    r = pipeline.extract(path, rules_dir=RULES, ocr=True)
    events = r.tables["events"]
    assert list(zip(events["name"], events["start_date"].astype(str), events["venue"], strict=True)) == [
        ("成果発表会", "2024-11-20", "仙台国際センター")]
    projects = r.tables["projects"]
    assert list(projects["companies"]) == [1190]


@pytest.mark.parametrize(
    ("ocr_text", "joined"),
    [
        ("参加企業は約\u30001 5 0社", "参加企業は約\u3000150社"),  # full-width digits read a word each
        ("令和6年1 1月14日", "令和6年11月14日"),
        ("約3 0 0名が参加", "約300名が参加"),
        ("2024 25", "2024 25"),  # figures of several digits stay apart
        ("TEL 076-444-3250", "TEL 076-444-3250"),
        ("A4 5", "A4 5"),  # a digit right after a letter opens no run
    ],
)
def test_ocr_digits_a_space_apart_are_one_figure(ocr_text: str, joined: str) -> None:
    assert join_digit_runs(ocr_text) == joined


def test_ocr_reads_a_framed_side_box_a_paragraph_apart(tmp_path: Path) -> None:
    """Tesseract reads a framed box beside the text as a block of its own: its lines are a run of the reading
    order, a paragraph apart from the text beside it, so the box's label over its amount reads as a
    labelled budget line rather than the end of the text's last line."""
    _need_tesseract()
    _need_ipa_fonts()
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    width = brochure.PAGE_W - 2 * brochure.MARGIN
    text, text_h = brochure.scan_image(["ぎふ航空宇宙産業クラスター", "参加企業は約８０社である。"], width * 0.6)
    box, box_h = brochure.scan_image(["予算", "令和６年度予算額", "２億４，０００万円"], width * 0.3)
    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path), pagesize=brochure.A4, invariant=1)
    c.drawImage(ImageReader(text), brochure.MARGIN, brochure.TOP - text_h, width=width * 0.6, height=text_h)
    left = brochure.MARGIN + width * 0.7
    c.drawImage(ImageReader(box), left, brochure.TOP - box_h, width=width * 0.3, height=box_h)
    c.rect(left - 4, brochure.TOP - box_h - 4, width * 0.3 + 8, box_h + 8)
    c.showPage()
    c.save()
    r = pipeline.extract(path, rules_dir=RULES, ocr=True)
    lines = r.input.text.split("\n")
    assert lines[lines.index("予算") - 1] == ""
    b = r.tables["budget"]
    assert list(zip(b["amount_yen"], b["fiscal_year"], strict=True)) == [(240_000_000, 2024)]


SCANNED_TABLE = (("地域", "プロジェクト名", "分野", "参加企業数", "参加大学数"),
                 ("北海道", "北海道もりの資源循環プロジェクト", "環境", "約２１０社", "９大学"),
                 ("九州", "くまもと次世代医療機器クラスター", "医療", "約１３０社", "６大学"))


def _table_image(turn: int = 0) -> Any:
    """A picture of ``SCANNED_TABLE`` ruled (at the scans' resolution), turned ``turn`` degrees counterclockwise."""
    from PIL import Image, ImageDraw, ImageFont

    px = brochure.SCAN_DPI / 72.0
    font = ImageFont.truetype(str(brochure.IPA_GOTHIC), int(11 * px))
    widths = [int(w * px) for w in (50, 210, 45, 70, 70)]
    row_h, pad = int(22 * px), int(5 * px)
    img = Image.new("L", (sum(widths) + 2 * pad, row_h * len(SCANNED_TABLE) + 2 * pad), 255)
    draw = ImageDraw.Draw(img)
    for r, row in enumerate(SCANNED_TABLE):
        x = pad
        for w, cell in zip(widths, row, strict=True):
            draw.rectangle((x, pad + r * row_h, x + w, pad + (r + 1) * row_h), outline=0, width=2)
            draw.text((x + int(4 * px), pad + r * row_h + int(5 * px)), cell, font=font, fill=0)
            x += w
    return img.rotate(turn, expand=True, fillcolor=255) if turn else img


def _table_scan(path: Path, turn: int = 0) -> Path:
    """A one-page scan (no text layer) of ``SCANNED_TABLE`` ruled, turned ``turn`` degrees counterclockwise."""
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    px = brochure.SCAN_DPI / 72.0
    img = _table_image(turn)
    c = canvas.Canvas(str(path), pagesize=brochure.A4, invariant=1)
    width_pt, height_pt = img.width / px, img.height / px
    c.drawImage(ImageReader(img), brochure.MARGIN, brochure.TOP - height_pt, width=width_pt, height=height_pt)
    c.showPage()
    c.save()
    return path


def test_ocr_drops_a_ruled_tables_borders_read_as_bars(tmp_path: Path) -> None:
    """Tesseract reads the vertical rules of a scanned table as words of bars (|) here and there; they are
    no text, so each row still reads as its cells a gap apart and the table's counts reach their columns."""
    _need_tesseract()
    _need_ipa_fonts()
    r = pipeline.extract(_table_scan(tmp_path / "scan.pdf"), rules_dir=RULES, ocr=True)
    assert not any(ch in r.input.text for ch in "|｜│")
    p = r.tables["projects"]
    assert list(zip(p["name"], p["companies"], p["universities"], strict=True)) == [
        ("北海道もりの資源循環プロジェクト", 210, 9), ("くまもと次世代医療機器クラスター", 130, 6)]


@pytest.mark.parametrize("turn", [90, 270])
def test_ocr_reads_a_table_scanned_on_its_side_turned_upright(tmp_path: Path, turn: int) -> None:
    """A table scanned turned a quarter (a landscape page fed sideways): Tesseract's orientation detection
    says how to turn it, and the page is read upright."""
    _need_tesseract()
    _need_ipa_fonts()
    r = pipeline.extract(_table_scan(tmp_path / "side.pdf", turn), rules_dir=RULES, ocr=True)
    p = r.tables["projects"]
    assert list(zip(p["name"], p["companies"], p["universities"], strict=True)) == [
        ("北海道もりの資源循環プロジェクト", 210, 9), ("くまもと次世代医療機器クラスター", 130, 6)]


def test_ocr_reads_a_table_pasted_as_a_picture_on_a_page_of_text(tmp_path: Path) -> None:
    """A page of text with a table pasted as a picture between its paragraphs, and a photograph: with ``ocr``,
    the picture's table is read where it stands (its mentions flagged ``ocr``, the text's not, an
    ``image_ocr`` note), and the photograph, read as noise, gives nothing."""
    _need_tesseract()
    _need_ipa_fonts()
    import random

    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "OcrTestGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("OcrTestGothic", str(brochure.IPA_GOTHIC)))
    rng = random.Random(7)
    photo = Image.new("L", (900, 500))
    photo.putdata([rng.randrange(256) for _ in range(900 * 500)])
    px = brochure.SCAN_DPI / 72.0
    table = _table_image()
    path = tmp_path / "pasted.pdf"
    c = canvas.Canvas(str(path), pagesize=brochure.A4, invariant=1)
    c.setFont("OcrTestGothic", 11)
    y = brochure.TOP
    c.drawString(brochure.MARGIN, y, "各地域のクラスターの参加状況は下表のとおり（令和５年度）。")
    y -= 12 + table.height / px
    c.drawImage(ImageReader(table), brochure.MARGIN, y, width=table.width / px, height=table.height / px)
    y -= 24
    c.drawString(brochure.MARGIN, y, "令和６年２月８日に札幌市で北海道食クラスターフォーラムを開催した。")
    c.drawImage(ImageReader(photo), brochure.MARGIN, y - 230, width=300, height=200)
    c.showPage()
    c.save()
    plain = pipeline.extract(path, rules_dir=RULES)
    assert plain.tables["projects"].empty and "image_ocr" not in set(plain.tables["warnings"]["code"])
    r = pipeline.extract(path, rules_dir=RULES, ocr=True)
    p = r.tables["projects"]
    assert list(zip(p["name"], p["companies"], p["universities"], strict=True)) == [
        ("北海道もりの資源循環プロジェクト", 210, 9), ("くまもと次世代医療機器クラスター", 130, 6)]
    lines = r.source.split("\n")
    assert lines[0].startswith("各地域のクラスター") and lines[-2].startswith("令和６年２月８日")
    m = r.tables["mentions"]
    assert set(m[m.kind == "count"]["ocr"]) == {True} and set(m[m.kind == "date"]["ocr"]) == {False}
    notes = r.tables["warnings"].query("code == 'image_ocr'")
    assert len(notes) == 1 and "confidence" in notes["message"].item()


def test_ocr_reads_a_scanned_page_that_carries_a_page_number_in_its_text_layer(tmp_path: Path) -> None:
    """A scanned page whose only text layer is the page number stamped on it (a scanner's, or a binder's) has
    text, so it is no page without a text layer; with ``ocr`` its scan is read all the same."""
    _need_tesseract()
    _need_ipa_fonts()
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    if "OcrTestGothic" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("OcrTestGothic", str(brochure.IPA_GOTHIC)))
    px = brochure.SCAN_DPI / 72.0
    table = _table_image()
    path = tmp_path / "stamped.pdf"
    c = canvas.Canvas(str(path), pagesize=brochure.A4, invariant=1)
    c.drawImage(ImageReader(table), brochure.MARGIN, brochure.TOP - table.height / px, width=table.width / px,
                height=table.height / px)
    c.setFont("OcrTestGothic", 9)
    c.drawString(brochure.MARGIN + 200, brochure.TOP - table.height / px + 4, "- 3 -")  # over the scan
    c.showPage()
    c.save()
    r = pipeline.extract(path, rules_dir=RULES, ocr=True)
    p = r.tables["projects"]
    assert list(zip(p["name"], p["companies"], p["universities"], strict=True)) == [
        ("北海道もりの資源循環プロジェクト", 210, 9), ("くまもと次世代医療機器クラスター", 130, 6)]
