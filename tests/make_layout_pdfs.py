"""Generate the page-layout PDF fixtures: vertical writing (縦書き), tiers, columns with furniture in the
gutter, a vertical heading band beside horizontal text, side-by-side boxes (nothing binary is committed).

Usage: ``python tests/make_layout_pdfs.py OUTDIR`` writes every fixture into OUTDIR; the functions are
importable so that tests build them into ``tmp_path``.

Vertical text uses reportlab's built-in CID font HeiseiMin-W3 with the vertical encoding
(``UnicodeCIDFont(face, isVertical=True)``): each glyph advances one em downwards. 縦中横 (a run of one or
two half-width digits set across the column, the ``21`` of 平成21年度) is drawn with the horizontal font,
centred in its em square of the column, as typesetting software does. ``make_vertical_embedded_pdf``
uses the IPA Mincho TrueType font (Debian's fonts-ipafont-mincho), embedded, one glyph at a time, with
vertical presentation forms (︑︒﹁﹂).

- ``vertical_figures.pdf``: page 1 a horizontal introduction, page 2 prose with figures in vertical
  writing (full-width digits, kanji numerals, 縦中横 digits), right to left, and a page number. Latin
  letters in vertical text are set sideways (turned clockwise), as in ``two_tiers.pdf``.
  ``FIGURE_SENTENCES`` are the same sentences for a horizontal text.
- ``two_tiers.pdf``: vertical text in two tiers (段) separated only by a rule.
- ``columns_furniture.pdf``: three pages of two columns with a narrow gutter, a centred running header
  and a centred page number that both cross the gutter.
- ``heading_band.pdf``: a band of vertical headings (第２章 ...) at the right of horizontal body text.
- ``band_columns.pdf``: a vertical title band at the right of two horizontal columns, a small vertical
  caption band at the left edge, a page number between the columns.
- ``title_bar.pdf``: two columns, a title on a shaded bar across both, two more columns.
- ``boxes.pdf``: two framed boxes side by side (a rectangle, a rounded frame) whose lines sit at the
  same heights.
- ``three_columns.pdf``: three columns of project blocks, each under a bracketed heading (【北海道】), their
  lines at the same heights (as a table's rows would be), then a borderless table whose header has a colon
  inside brackets.
- ``header_rule.pdf``: a header band (a title, the publisher flush right) over a drawn rule across the
  page, then two columns: project blocks, and a budget table whose unit its heading states.
- ``cards.pdf``: a brochure's cards, three to a row in framed boxes: a bracketed region, a project's name
  its box wraps (the ending cut across the line break), a gap, its field and its members' counts.
- ``columns_then_table.pdf``: two columns of short lines (project blocks at the left, events at the right,
  a left line reaching into the gutter's edge), then, under a wide white band, a borderless table of
  names and amounts whose gap lines up with the gutter, and a centred page number.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Sequence
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

MINCHO = "HeiseiMin-W3"
MINCHO_V = "HeiseiMin-W3-V"
GOTHIC = "HeiseiKakuGo-W5"
IPA_MINCHO = "IPAMincho"
IPA_MINCHO_PATH = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")

PAGE_W, PAGE_H = A4
MARGIN = 50.0

# Prose with figures in the manner of the seed's cooperation pages (our own sentences). Digits written
# half-width here are set as 縦中横 in the vertical page; full-width digits and kanji numerals are set
# upright, one per em.
FIGURE_SENTENCES: tuple[str, ...] = (
    "平成２１年度は、全国１８地域で知的クラスター創成事業を実施しています。",
    "地域セミナーは平成２０年度に三ヶ所で開催し、延べ四百人が参加しました。",
    "関連予算は総額１３４億円で、前年度より１２億円増えました。",
    "成果発表会は平成21年10月5日から10月7日まで横浜で開催しました。",
    "事業期間は平成１８年度から平成２２年度までの五年間で、参加企業は約二百社、大学は三十五校です。",
    "このうち三社は、試作品の販売額が五千万円に達しました。",
)
FIGURE_INTRO = "地域の産学官連携の取組について、次の頁に縦書きでまとめました。"

TIER_TOP: tuple[str, ...] = (
    "上の段のはじめの文です。",
    "地域の大学と企業がLSIの研究を進めています。",
    "上の段の終わりの文です。",
)
TIER_BOTTOM: tuple[str, ...] = (
    "下の段のはじめの文です。",
    "成果は展示会で広く紹介されました。",
    "下の段の終わりの文です。",
)

EMBEDDED_EXPECTED = "「地域の連携」を進め、成果を上げた。"
VERTICAL_FORMS = {"「": "\ufe41", "」": "\ufe42", "、": "\ufe11", "。": "\ufe12"}  # ﹁ ﹂ ︑ ︒

FURNITURE_HEADER = "地域イノベーション通信　産学官連携の現場から"
FURNITURE_LEFT = (
    "地域の中核となる大学の研究成果をもとに、企業との共同研究を進め、新しい製品や技術を"
    "生み出す取組が各地で続いています。研究者と技術者が同じ場で議論することで、課題が早く見つかります。"
)
FURNITURE_RIGHT = (
    "自治体は拠点の運営を支え、金融機関は事業化の資金を用意します。こうした役割分担により、"
    "地域全体で技術の種を育てる仕組みが整い、若い人材が地元に残る流れも生まれています。"
)
FURNITURE_CHARS_PER_LINE = 23
PAGE_TAGS = ("（その一）", "（その二）", "（その三）", "（その四）")
"""Put before each page's column text so that no body line repeats from page to page."""

BAND_HEADINGS: tuple[str, ...] = ("第２章　地域の連携と成果", "産学官の取組")
BAND_BODY: tuple[str, ...] = (
    "この章では、各地域の連携の成果を紹介します。",
    "大学の研究成果を地元の企業が製品にした例が増えています。",
    "自治体は拠点の運営を支え、人材の育成にも力を入れています。",
    "展示会や商談会を通じて、新しい取引先も生まれました。",
    "今後も地域の強みを活かした取組を続けていきます。",
)

BAR_TITLE = "拠点の形成に向けて：全国の地域クラスターの取組"
BAR_LEFT = (
    "拠点では、大学の知的財産を活かした共同研究を重ね、地域の企業に技術を移す試みを続けています。"
    "参加する企業の数も年々増えてきました。"
)
BAR_RIGHT = (
    "人材の育成では、若手研究者と企業の技術者が共に学ぶ講座を設け、現場で役立つ知識を身につける"
    "機会を広げています。"
)
CAPTION_BAND = "写真：共同研究の打合せの様子"

BOX_TITLE = "関連予算の内訳"
BOX_LEFT: tuple[str, ...] = ("文部科学省", "知的クラスター創成事業　８９億円", "都市エリア事業　４５億円")
BOX_RIGHT: tuple[str, ...] = ("経済産業省", "産業クラスター計画　４４億円", "地域新生コンソーシアム　３０億円")
BOX_CLOSING = "金額は平成２１年度の予算額です。"


def register_fonts() -> None:
    """Register the horizontal and vertical CID fonts (idempotent)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (MINCHO, GOTHIC):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))
    if MINCHO_V not in registered:
        font = UnicodeCIDFont(MINCHO, isVertical=True)
        font.name = font.fontName = MINCHO_V  # reportlab names a CID font after its face; tell them apart
        pdfmetrics.registerFont(font)


def register_ipa() -> bool:
    """Register IPA Mincho (embedded TrueType) if Debian's fonts-ipafont-mincho is installed."""
    if IPA_MINCHO in pdfmetrics.getRegisteredFontNames():
        return True
    if not IPA_MINCHO_PATH.exists():
        return False
    pdfmetrics.registerFont(TTFont(IPA_MINCHO, str(IPA_MINCHO_PATH)))
    return True


# ---------------------------------------------------------------------------------------------------
# Vertical text


def _cells(text: str) -> list[str]:
    """A sentence as the cells of a column: one glyph each, a 縦中横 run of 1-2 ASCII digits, or a run
    of Latin letters (set sideways, turned clockwise)."""
    return re.findall(r"[0-9]{1,2}(?![0-9])|[A-Za-z]+|.", text)


def _columns(sentences: Sequence[str], per_column: int) -> list[list[str]]:
    cols: list[list[str]] = []
    for sentence in sentences:  # each sentence starts a new column, like a paragraph
        cells = _cells(sentence)
        cols.extend(cells[i : i + per_column] for i in range(0, len(cells), per_column))
    return cols


def draw_vertical(
    c: canvas.Canvas, x_right: float, top: float, sentences: Sequence[str], size: float = 10.0,
    per_column: int = 30, pitch: float = 1.8, spacing: float = 1.0,
) -> tuple[float, float]:
    """Draw sentences as vertical columns from ``x_right`` (centre of the first column) leftwards,
    starting ``top`` points from the top of the page, cells ``spacing`` em apart; return (x centre of
    the last column, bottom)."""
    x = x_right
    bottom = top
    for col in _columns(sentences, per_column):
        y = PAGE_H - top
        for cell in col:
            if cell.isascii() and cell.isdigit():  # 縦中横: across the column, centred in its em square
                c.setFont(MINCHO, size)
                width = pdfmetrics.stringWidth(cell, MINCHO, size)
                c.drawString(x - width / 2, y - 0.76 * size, cell)
            elif cell.isascii() and cell.isalpha():  # Latin turned clockwise, its baseline down the column
                c.saveState()
                c.translate(x - 0.35 * size, y - 0.12 * size)
                c.rotate(-90)
                c.setFont(MINCHO, size)
                c.drawString(0, 0, cell)
                c.restoreState()
                y -= pdfmetrics.stringWidth(cell, MINCHO, size) - size
            else:
                c.setFont(MINCHO_V, size)
                c.drawString(x, y, cell)
            y -= spacing * size
        bottom = max(bottom, PAGE_H - y)
        x -= pitch * size
    return x + pitch * size, bottom


def make_vertical_figures_pdf(out: Path) -> Path:
    """Page 1: a horizontal introduction; page 2: ``FIGURE_SENTENCES`` in vertical writing."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(MINCHO, 10)
    c.drawString(MARGIN, PAGE_H - 80, FIGURE_INTRO)
    c.drawCentredString(PAGE_W / 2, 30, "1")
    c.showPage()
    draw_vertical(c, PAGE_W - MARGIN - 10, 80, FIGURE_SENTENCES, per_column=28)
    c.setFont(MINCHO, 9)
    c.drawCentredString(PAGE_W / 2, 30, "2")
    c.showPage()
    c.save()
    return out


def make_two_tiers_pdf(out: Path) -> Path:
    """Vertical text in two tiers whose only separation is a rule (less than a glyph of space)."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    size, per_column = 10.0, 12
    _, bottom = draw_vertical(c, PAGE_W - MARGIN - 10, 80, TIER_TOP, size, per_column)
    rule_y = bottom + 0.3 * size
    c.setLineWidth(0.5)
    c.line(MARGIN, PAGE_H - rule_y, PAGE_W - MARGIN, PAGE_H - rule_y)
    draw_vertical(c, PAGE_W - MARGIN - 10, rule_y + 0.3 * size, TIER_BOTTOM, size, per_column)
    c.showPage()
    c.save()
    return out


def make_vertical_embedded_pdf(out: Path) -> Path:
    """One column in IPA Mincho (embedded), drawn glyph by glyph, whose font maps its brackets and
    punctuation to the vertical presentation forms (﹁﹂︑︒), as fonts with vertical glyphs do.

    IPA Mincho has no glyphs for U+FE11 and friends, so the ordinary characters are drawn and the
    font's ToUnicode map (written uncompressed) is then edited to name the presentation forms; the
    replacement has the same length, so the file's cross-reference offsets stay valid.
    """
    register_fonts()
    if not register_ipa():
        raise FileNotFoundError(f"{IPA_MINCHO_PATH} (Debian package fonts-ipafont-mincho)")
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1, pageCompression=0)
    size = 12.0
    c.setFont(IPA_MINCHO, size)
    x, y = PAGE_W - MARGIN - size, PAGE_H - 80
    for ch in EMBEDDED_EXPECTED:
        c.drawString(x, y, ch)
        y -= size
    c.showPage()
    c.save()
    data = out.read_bytes()
    for plain, vertical in VERTICAL_FORMS.items():
        old, new = f"<{ord(plain):04X}>".encode(), f"<{ord(vertical):04X}>".encode()
        if old not in data:
            raise ValueError(f"{out}: no ToUnicode entry for {plain!r} to rewrite")
        data = data.replace(old, new)
    out.write_bytes(data)
    return out


# ---------------------------------------------------------------------------------------------------
# Horizontal layouts


def _wrap(text: str, n: int) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


def make_columns_furniture_pdf(out: Path, pages: int = 3) -> Path:
    """Two columns with a narrow gutter; a centred running header and page number cross the gutter."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    size, leading, gutter = 10.0, 15.0, 16.0
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    assert FURNITURE_CHARS_PER_LINE * size <= col_w
    for k in range(pages):
        c.setFont(GOTHIC, 9)
        c.drawCentredString(PAGE_W / 2, PAGE_H - 36, FURNITURE_HEADER)
        c.setFont(MINCHO, size)
        for x, text in ((MARGIN + col_w + gutter, FURNITURE_RIGHT), (MARGIN, FURNITURE_LEFT)):
            for i, line in enumerate(_wrap(PAGE_TAGS[k % len(PAGE_TAGS)] + text, FURNITURE_CHARS_PER_LINE)):
                c.drawString(x, PAGE_H - 130 - i * leading, line)
        c.setFont(MINCHO, 9)
        c.drawCentredString(PAGE_W / 2, 30, f"- {k + 12} -")
        c.showPage()
    c.save()
    return out


def make_heading_band_pdf(out: Path) -> Path:
    """A band of vertical headings at the right, beside horizontal body lines."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    # the headings are letter-spaced (1.3 em a glyph), as short vertical headings often are
    draw_vertical(c, PAGE_W - MARGIN - 8, 60, BAND_HEADINGS, size=14.0, per_column=20, pitch=1.6, spacing=1.3)
    c.setFont(MINCHO, 10)
    for i, line in enumerate(BAND_BODY):
        c.drawString(MARGIN, PAGE_H - 62 - 10 - i * 16, line)
    c.drawCentredString(PAGE_W / 2, 30, "8")
    c.showPage()
    c.save()
    return out


def make_band_columns_pdf(out: Path) -> Path:
    """A vertical title band at the right of two columns of horizontal text; a page number between the
    columns and a caption band (vertical, small) at the left edge."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    size, leading, gutter = 10.0, 15.0, 20.0
    band_w = 50.0
    left = MARGIN + 20  # room for the caption band
    col_w = (PAGE_W - MARGIN - band_w - left - gutter) / 2
    draw_vertical(c, PAGE_W - MARGIN - 12, 70, BAND_HEADINGS, size=16.0, per_column=16, pitch=1.5)
    draw_vertical(c, MARGIN + 5, 400, (CAPTION_BAND,), size=8.0, per_column=40)
    n = int(col_w // size)
    c.setFont(MINCHO, size)
    for x, text in ((left + col_w + gutter, FURNITURE_RIGHT), (left, FURNITURE_LEFT)):
        for i, line in enumerate(_wrap(text, n)):
            c.drawString(x, PAGE_H - 80 - i * leading, line)
    c.drawCentredString(left + col_w + gutter / 2, 30, "24")
    c.showPage()
    c.save()
    return out


def make_title_bar_pdf(out: Path) -> Path:
    """Two columns, then a title on a shaded bar across both, then two more columns."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    size, leading, gutter = 10.0, 15.0, 20.0
    col_w = (PAGE_W - 2 * MARGIN - gutter) / 2
    n = int(col_w // size)
    top = 90.0
    for left, right in ((FURNITURE_LEFT, FURNITURE_RIGHT), (BAR_LEFT, BAR_RIGHT)):
        rows = 0
        c.setFont(MINCHO, size)
        for x, text in ((MARGIN + col_w + gutter, right), (MARGIN, left)):
            lines = _wrap(text, n)
            rows = max(rows, len(lines))
            for i, line in enumerate(lines):
                c.drawString(x, PAGE_H - top - i * leading, line)
        top += rows * leading + 20
        if left == FURNITURE_LEFT:
            c.setFillGray(0.85)
            c.rect(MARGIN, PAGE_H - top - 6, PAGE_W - 2 * MARGIN, 22, stroke=0, fill=1)
            c.setFillGray(0)
            c.setFont(GOTHIC, 12)
            c.drawString(MARGIN + 6, PAGE_H - top, BAR_TITLE)
            top += 40
    c.showPage()
    c.save()
    return out


def make_boxes_pdf(out: Path) -> Path:
    """A title, two framed boxes side by side (lines at the same heights; the left one a rectangle,
    the right one a rounded frame), a closing line."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 12)
    c.drawString(MARGIN, PAGE_H - 80, BOX_TITLE)
    box_w, box_h, top = 230.0, 80.0, 100.0
    for x, lines in ((MARGIN, BOX_LEFT), (MARGIN + box_w + 20, BOX_RIGHT)):
        c.setLineWidth(0.8)
        if lines is BOX_LEFT:
            c.rect(x, PAGE_H - top - box_h, box_w, box_h)
        else:  # a rounded frame is a curve in the PDF, not a rectangle
            c.roundRect(x, PAGE_H - top - box_h, box_w, box_h, 8)
        for i, line in enumerate(lines):
            c.setFont(GOTHIC if i == 0 else MINCHO, 10)
            c.drawString(x + 8, PAGE_H - top - 20 - i * 18, line)
    c.setFont(MINCHO, 10)
    c.drawString(MARGIN, PAGE_H - top - box_h - 30, BOX_CLOSING)
    c.showPage()
    c.save()
    return out


SPLIT_LEFT: tuple[str, ...] = ("◆さっぽろバイオクラスター構想", "　対象分野：バイオ、食品",
                              "　参加企業　約４０社　大学等　６機関", "", "◆九州半導体イノベーション", "　プロジェクト",
                              "　対象分野：半導体", "　企業１２０社　大学１５校")
SPLIT_RIGHT: tuple[str, ...] = ("主な行事", "・地域イノベーションフォーラム２０２４", "　令和６年１１月１５日（金）",
                               "　会場：仙台国際センター", "", "・成果発表会　令和７年２月３日　東京国際フォーラム")
SPLIT_TABLE: tuple[tuple[str, str, str], ...] = (
    ("事業名", "令和５年度", "令和６年度"), ("地域中核研究大学強化促進事業", "1,500", "2,000"),
    ("共創の場形成支援プログラム", "13,800", "14,200"), ("合計", "15,300", "16,200"))


def make_columns_then_table_pdf(out: Path) -> Path:
    """A title, two columns of short lines, then a borderless table of names and amounts (its gap where the
    columns' gutter is) under a wide white band, and a centred page number."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 16)
    c.drawString(60, PAGE_H - 60, "令和６年度　地域クラスター事業の概要")
    c.setFont(MINCHO, 10)
    for x, lines in ((60, SPLIT_LEFT), (320, SPLIT_RIGHT)):
        for i, line in enumerate(lines):
            c.drawString(x, PAGE_H - 110 - i * 16, line)
    c.setFont(MINCHO, 11)
    top = PAGE_H - 300
    c.drawString(60, top, "予算（単位：百万円）")
    for i, (name, last, this) in enumerate(SPLIT_TABLE):
        y = top - 20 - i * 18
        c.drawString(60, y, name)
        c.drawRightString(400, y, last)
        c.drawRightString(500, y, this)
    c.drawCentredString(PAGE_W / 2, 30, "- 1 -")
    c.showPage()
    c.save()
    return out


THREE_COLUMNS: tuple[tuple[str, ...], ...] = (
    ("【北海道】", "◆さっぽろバイオクラスター", "　分野：バイオ", "　企業４０社　大学６校", "",
     "◆はこだて海洋クラスター", "　分野：海洋", "　企業２５社　大学３校"),
    ("【東北】", "◆みやぎ次世代モビリティ", "　プロジェクト", "　分野：自動車", "　企業８０社　大学９校", "",
     "◆やまがた有機エレクトロ", "　ニクスクラスター", "　企業３５社　大学２校"),
    ("【九州】", "◆九州半導体イノベーション", "　プロジェクト", "　分野：半導体", "　企業１２０社　大学１５校", "",
     "◆くまもと医療バイオ構想", "　分野：医療", "　企業２２社　大学４校"),
)
THREE_COLUMNS_TABLE: tuple[tuple[str, str, str], ...] = (
    ("拠点名", "提案自治体（主な団体：県・市）", "参画大学"), ("とやま医薬工連携拠点", "富山県、富山市", "富山大学"),
    ("しずおか光技術拠点", "静岡県、浜松市", "静岡大学"))


def make_three_columns_pdf(out: Path) -> Path:
    """Three columns of project blocks under bracketed headings, lines at one pitch across the page, then a
    borderless table (its header's colon inside brackets) and a centred page number."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 14)
    c.drawString(40, PAGE_H - 50, "全国のクラスタープロジェクト（令和６年度）")
    c.setFont(MINCHO, 9)
    for k, column in enumerate(THREE_COLUMNS):
        for i, line in enumerate(column):
            c.drawString(40 + k * 180, PAGE_H - 90 - i * 13, line)
    for i, row in enumerate(THREE_COLUMNS_TABLE):
        for x, cell in zip((40, 200, 400), row, strict=True):
            c.drawString(x, PAGE_H - 260 - i * 16, cell)
    c.drawCentredString(PAGE_W / 2, 30, "- 5 -")
    c.showPage()
    c.save()
    return out


HEADER_RULE_LEFT: tuple[str, ...] = (
    "■クラスター事業の参加状況", "", "◆さっぽろバイオクラスター", "　バイオ分野　約２３０社　１８大学", "",
    "◆とうほく次世代素材プロジェクト", "　素材分野　約１９０社　１４大学")
HEADER_RULE_TABLE: tuple[tuple[str, str, str], ...] = (
    ("事項", "令和５年度", "令和６年度"), ("地域イノベーション推進", "１２，０００", "１２，５００"),
    ("　共創の場形成支援", "８，０００", "８，３００"), ("　地域中核大学支援", "４，０００", "４，２００"))


def make_header_rule_pdf(out: Path) -> Path:
    """A header band (a title at the left, the publisher set flush right under it) over a drawn rule across
    the page, then two columns: project blocks at the left, a budget table (its unit in the heading) at the
    right, and a centred page number."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 16)
    c.drawString(50, PAGE_H - 60, "令和６年度　地域イノベーション施策のご案内")
    c.setFont(MINCHO, 9)
    c.drawRightString(PAGE_W - 50, PAGE_H - 80, "文部科学省　科学技術・学術政策局")
    c.line(50, PAGE_H - 90, PAGE_W - 50, PAGE_H - 90)
    for i, line in enumerate(HEADER_RULE_LEFT):
        c.drawString(50, PAGE_H - 120 - i * 14, line)
    x = PAGE_W / 2 + 10
    c.drawString(x, PAGE_H - 120, "■令和６年度予算（単位：百万円）")
    for i, (name, last, this) in enumerate(HEADER_RULE_TABLE):
        y = PAGE_H - 148 - i * 14
        c.drawString(x, y, name)
        c.drawRightString(x + 170, y, last)
        c.drawRightString(x + 230, y, this)
    c.drawCentredString(PAGE_W / 2, 30, "- 3 -")
    c.showPage()
    c.save()
    return out


CARDS: tuple[tuple[str, str, str, str, str], ...] = (
    ("北海道", "十勝スマート農業プロジェクト", "農業・IT", "参画企業　３２社", "大学等　　５機関"),
    ("東北", "みやぎ水素エネルギー実証プロジェクト", "エネルギー", "参画企業　２１社", "大学等　　３機関"),
    ("関東", "つくば量子技術応用プロジェクト", "量子・材料", "参画企業　４７社", "大学等　　９機関"),
    ("中部", "あいち次世代モビリティプロジェクト", "自動車", "参画企業　６３社", "大学等　　７機関"),
    ("近畿", "けいはんな健康長寿プロジェクト", "健康・医療", "参画企業　３９社", "大学等　　８機関"),
    ("九州", "くまもと半導体人材育成プロジェクト", "半導体", "参画企業　５５社", "大学等　１１機関"),
)
CARD_NAME_CHARS = 14  # a name longer than this wraps inside its card


def make_cards_pdf(out: Path) -> Path:
    """A title, then ``CARDS`` three to a row in framed boxes: 【region】, the name (wrapped at
    ``CARD_NAME_CHARS``), a gap, 分野：…, the two counts."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 16)
    c.drawString(50, PAGE_H - 60, "令和６年度　地域イノベーション・プロジェクト紹介")
    width = (PAGE_W - 100) / 3
    for k, (region, name, field, companies, universities) in enumerate(CARDS):
        x, y = 50 + (k % 3) * width, PAGE_H - 110 - (k // 3) * 150
        c.rect(x + 3, y - 120, width - 6, 125)
        c.setFont(MINCHO, 9)
        c.drawString(x + 8, y - 8, f"【{region}】")
        c.setFont(GOTHIC, 10)
        for i, part in enumerate((name[:CARD_NAME_CHARS], name[CARD_NAME_CHARS:])):
            if part:
                c.drawString(x + 8, y - 24 - i * 13, part)
        c.setFont(MINCHO, 9)
        for i, line in enumerate((f"分野：{field}", companies, universities)):
            c.drawString(x + 8, y - 60 - i * 15, line)
    c.showPage()
    c.save()
    return out


BESIDE_BUDGET: tuple[tuple[str, str, str], ...] = (
    ("事業名", "令和６年度", "令和７年度"), ("共創の場形成支援プログラム", "138", "142"),
    ("地域中核研究大学強化促進事業", "50", "55"), ("合計", "188", "197"))
BESIDE_HUBS: tuple[tuple[str, str, str], ...] = (
    ("北の食と健康共創拠点", "代表機関：北海道大学", "参画機関：北海道、札幌市"),
    ("みやぎ未来医療共創拠点", "代表機関：東北大学", "参画機関：宮城県、仙台市"))


def make_budget_beside_cards_pdf(out: Path) -> Path:
    """A budget table (its amounts right-aligned) on the left and two framed cards of hubs side by side on the
    right, the table's title level with the cards' names: three strings on one line, as a borderless
    table's header would be, over lines at two pitches."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 14)
    c.drawString(40, PAGE_H - 50, "令和７年度　地域イノベーション施策")
    c.setFont(GOTHIC, 9)
    c.drawString(330, PAGE_H - 78, "■採択拠点")
    c.drawString(40, PAGE_H - 100, "■予算額（単位：億円）")
    y = PAGE_H - 122
    for name, before, after in BESIDE_BUDGET:
        c.drawString(40, y, name)
        c.drawRightString(240, y, before)
        c.drawRightString(290, y, after)
        y -= 18
    for k, card in enumerate(BESIDE_HUBS):
        x = 330 + k * 125
        c.rect(x - 4, PAGE_H - 150, 120, 65)
        for j, line in enumerate(card):
            c.drawString(x, PAGE_H - 100 - j * 15, line)
    c.showPage()
    c.save()
    return out


OFFSET_CARDS: tuple[tuple[str, str, str, str], ...] = (
    ("◆とかち食と農業クラスター", "分野：食品・農業", "参加企業　約１５０社　大学等　９機関",
     "十勝の農業者と食品企業が大学と組み、加工品の販路を広げている。"),
    ("◆いわて次世代電池クラスター", "分野：電池・材料", "参加企業　約９０社　大学等　６機関",
     "電池材料の評価拠点を軸に、県内の部品企業が開発に加わる。"),
    ("◆しが水環境技術クラスター", "分野：環境・水", "参加企業　約２３０社　大学等　１４機関",
     "湖の水質保全で培った技術を、海外の浄水事業に展開している。"),
    ("◆くまもと半導体人材クラスター", "分野：半導体", "参加企業　約３１０社　大学等　１７機関",
     "工場の立地に合わせ、高専と大学が技術者の育成を担っている。"),
)
"""Two cards a column: the name, a gap, the field, the counts, a paragraph of two lines."""
OFFSET_CHARS_PER_LINE = 22


def make_offset_columns_pdf(out: Path) -> Path:
    """Two columns of ``OFFSET_CARDS`` whose lines stand at other heights: the right column starts half a line
    lower, as a heading's margin sets it in a browser's or a DTP tool's columns, so hardly a row holds both
    columns' text; then a budget heading and lines across the page under both."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 16)
    c.drawString(MARGIN, PAGE_H - 60, "令和６年度　地域クラスター事例集")
    col_w, gutter = (PAGE_W - 2 * MARGIN - 20) / 2, 20.0
    bottom = PAGE_H
    for k, (name, field, counts, prose) in enumerate(OFFSET_CARDS):
        x = MARGIN + (k // 2) * (col_w + gutter)
        y = PAGE_H - 100 - (k // 2) * 9 - (k % 2) * 120
        c.setFont(GOTHIC, 12)
        c.drawString(x, y, name)
        c.setFont(MINCHO, 10)
        lines = [field, counts, *_wrap(prose, OFFSET_CHARS_PER_LINE)]
        for i, line in enumerate(lines):
            c.drawString(x, y - 26 - i * 15, line)
        bottom = min(bottom, y - 26 - (len(lines) - 1) * 15)
    c.setFont(GOTHIC, 12)
    c.drawString(MARGIN, bottom - 50, "令和６年度予算")
    c.setFont(MINCHO, 10)
    c.drawString(MARGIN, bottom - 72, "地域クラスター形成支援事業（経済産業省）　令和６年度予算額　４８億円")
    c.showPage()
    c.save()
    return out


def make_all(folder: Path) -> dict[str, Path]:
    """Write every fixture into ``folder``; return their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    made = {
        "vertical_figures": make_vertical_figures_pdf(folder / "vertical_figures.pdf"),
        "two_tiers": make_two_tiers_pdf(folder / "two_tiers.pdf"),
        "columns_furniture": make_columns_furniture_pdf(folder / "columns_furniture.pdf"),
        "heading_band": make_heading_band_pdf(folder / "heading_band.pdf"),
        "boxes": make_boxes_pdf(folder / "boxes.pdf"),
        "band_columns": make_band_columns_pdf(folder / "band_columns.pdf"),
        "title_bar": make_title_bar_pdf(folder / "title_bar.pdf"),
        "columns_then_table": make_columns_then_table_pdf(folder / "columns_then_table.pdf"),
        "header_rule": make_header_rule_pdf(folder / "header_rule.pdf"),
        "three_columns": make_three_columns_pdf(folder / "three_columns.pdf"),
        "cards": make_cards_pdf(folder / "cards.pdf"),
        "budget_beside_cards": make_budget_beside_cards_pdf(folder / "budget_beside_cards.pdf"),
        "offset_columns": make_offset_columns_pdf(folder / "offset_columns.pdf"),
    }
    if register_ipa():
        made["vertical_embedded"] = make_vertical_embedded_pdf(folder / "vertical_embedded.pdf")
    return made


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write every fixture into the folder given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python tests/make_layout_pdfs.py OUTDIR\n")
        return 2
    for name, path in make_all(Path(args[0])).items():
        sys.stdout.write(f"{name}: {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
