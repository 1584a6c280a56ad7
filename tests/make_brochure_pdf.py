"""The seed re-laid as a real brochure PDF, plus a broken-font page and a scanned page (drawn here).

Usage: ``python tests/make_brochure_pdf.py OUT.pdf``. Nothing binary is committed; tests build it
into ``tmp_path``. The layout is this module's own, not the seed's line-per-line one:

- a running header and a centred page number on every page, and a shaded caption band on page 1;
- page 1: a vertical title band down the left edge and, beside it, the projects in two columns (the
  seed's lines, left column read before the right one);
- the budget page: the two ministries' budgets as two side-by-side borderless boxes, each with its
  total on top, parents listed before their children and children indented by level, the amounts
  right-aligned;
- the hub list as a borderless table: aligned columns, one rule under the header, multi-line cells;
- an appendix page whose figures are drawn in embedded IPA fonts with a broken ToUnicode map: one font
  lost its map (glyphs come out as codes), the digits font has its digits mapped to ``™—›``-like
  symbols, as a real gazette's do;
- a scanned page: an image of text (rendered with Pillow in IPA Gothic) and no text layer.

``make_vertical_scan_pdf`` writes a separate one-page scan of vertical text, for OCR with ``jpn_vert``.

Requires reportlab, Pillow, pikepdf and Debian's fonts-ipafont-gothic/-mincho.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from reportlab.lib.pagesizes import A4
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

from tests import make_layout_pdfs as layout
from tests import make_pdf_fixtures as fx

IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
IPA_MINCHO = Path("/usr/share/fonts/opentype/ipafont-mincho/ipam.ttf")
BROKEN_TEXT_FONT = "IPAGothic"  # loses its ToUnicode map
BROKEN_DIGIT_FONT = "IPAMincho"  # its digits map to symbols

PAGE_W, PAGE_H = A4
MARGIN = 50.0
TOP = PAGE_H - 70.0
BOTTOM = 70.0
GUTTER = 30.0

CAPTION = "図　地域クラスター計画の全国展開"
TITLE_BAND = "地域クラスター関連施策の取組"
BAND_WIDTH = 30.0
# Seed lines per page: (first, last) 1-based inclusive; what the pages hold is said in the docstring.
PROJECT_LINES = (1, 50)
PROJECT_SPLIT = 26  # the left column ends with this seed line (a blank line between two regions)
PROSE_PAGES = ((51, 121), (174, 210), (211, 292), (293, 344))
BUDGET_LINES = (122, 173)
BUDGET_HEADING_LINE = 122

# (level, label, amount) of each box; the box's first entry is the ministry total.
BUDGET_BOXES: tuple[tuple[tuple[int, str, str], ...], ...] = (
    (
        (0, "文部科学省　関連予算", "134億円"),
        (0, "知的クラスター創成事業", "89億円"),
        (1, "グローバル拠点育成型", "12億円"),
        (1, "第Ⅱ期", "75億円"),
        (0, "都市エリア産学官連携促進事業", "45億円"),
        (1, "一般型", "15億円"),
        (1, "発展型", "30億円"),
    ),
    (
        (0, "経済産業省　関連予算", "166億円"),
        (0, "産業クラスター計画（第Ⅱ期）", "12億円"),
        (0, "地域イノベーション協創プログラム", "34億円"),
        (1, "イノベーション創出基盤形成事業", "13億円"),
        (1, "大学発事業創出実用化研究開発事業", "21億円"),
        (0, "戦略的技術支援事業", "120億円"),
    ),
)

APPENDIX_TITLE = "付録　予算の推移（参考）"
APPENDIX_PLAIN = "以下の数値は前年度の資料による。"
# Drawn in the font that loses its ToUnicode map: its figures must not be read.
APPENDIX_BROKEN_TEXT = "知的クラスター創成事業の予算は平成20年度に89億円"
# Label in a sound font, figure in the digits font with broken digits.
APPENDIX_LABEL, APPENDIX_DIGITS, APPENDIX_UNIT = "戦略的技術支援事業　前年度　", "89", "億円"

SCAN_LINES = (
    "付録　事業終了の記録",
    "地域連携拠点の整備費は総額52億円であった。",
    "平成22年3月31日に全ての事業を終了した。",
)
SCAN_DPI = 300


@dataclass
class Brochure:
    """Where things are in the brochure PDF (1-based pages)."""

    path: Path
    pages: int
    broken_page: int
    scanned_page: int


def register_ipa_fonts() -> None:
    """Register the IPA TrueType fonts (Debian's fonts-ipafont-*) with reportlab, once."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name, path in ((BROKEN_TEXT_FONT, IPA_GOTHIC), (BROKEN_DIGIT_FONT, IPA_MINCHO)):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(path)))


def _furniture(c: canvas.Canvas, number: int) -> None:
    c.setFont(fx.GOTHIC, 8)
    c.drawString(MARGIN, PAGE_H - 36, fx.RUNNING_HEADER)
    c.setLineWidth(0.5)
    c.line(MARGIN, PAGE_H - 41, PAGE_W - MARGIN, PAGE_H - 41)
    c.setFont(fx.MINCHO, 9)
    c.drawCentredString(PAGE_W / 2, 32, f"- {number} -")


def _draw_lines(c: canvas.Canvas, lines: Sequence[tuple[int, str]], x: float, width: float, top: float,
                bottom: float, size: float = 9.0) -> float:
    """Draw (seed line, text) pairs top-down in a box (blank lines as small gaps); return the y below.

    Text the seed shows doubled is drawn clean twice, a little offset (bold by overprinting).
    """
    n_text = sum(1 for _, t in lines if t.strip())
    n_blank = len(lines) - n_text
    leading = min(14.0, (top - bottom) / max(n_text + 0.35 * n_blank, 1))
    y = top
    for number, text in lines:
        if not text.strip():
            y -= 0.35 * leading
            continue
        heading = text.startswith(("◆", "●", "■")) or number in fx.OVERPRINTED_LINES
        font = fx.GOTHIC if heading else fx.MINCHO
        clean = fx.OVERPRINTED_LINES.get(number, text)
        c.setFont(font, fx._fit_size(clean, font, size, width))
        c.drawString(x, y, clean)
        if number in fx.OVERPRINTED_LINES:
            c.drawString(x + 0.3, y + 0.2, clean)
        y -= leading
    return y


def _seed(lines: Sequence[str], first: int, last: int, skip: Sequence[int] = ()) -> list[tuple[int, str]]:
    return [(n, lines[n - 1]) for n in range(first, last + 1)
            if n not in skip and n not in fx.SEED_PAGE_NUMBER_LINES]


def _projects_page(c: canvas.Canvas, seed: Sequence[str]) -> None:
    band_top = TOP + 8
    c.setFillGray(0.85)
    c.rect(MARGIN, band_top - 22, PAGE_W - 2 * MARGIN, 22, stroke=0, fill=1)
    c.setFillGray(0)
    c.setFont(fx.GOTHIC, 11)
    c.drawString(MARGIN + 8, band_top - 15, CAPTION)
    # A vertical title band down the left edge, then the two columns of projects beside it.
    layout.draw_vertical(c, MARGIN + 7, PAGE_H - (TOP - 40), [TITLE_BAND], size=12, per_column=30)
    left = MARGIN + BAND_WIDTH
    col_w = (PAGE_W - MARGIN - left - GUTTER) / 2
    first, last = PROJECT_LINES
    _draw_lines(c, _seed(seed, first, PROJECT_SPLIT), left, col_w, TOP - 40, BOTTOM)
    _draw_lines(c, _seed(seed, PROJECT_SPLIT + 1, last), left + col_w + GUTTER, col_w, TOP - 40, BOTTOM)


def _budget_page(c: canvas.Canvas, seed: Sequence[str]) -> None:
    first, last = BUDGET_LINES
    c.setFont(fx.GOTHIC, 12)
    c.drawString(MARGIN, TOP, seed[BUDGET_HEADING_LINE - 1].strip())
    box_w = (PAGE_W - 2 * MARGIN - 2 * GUTTER) / 2
    size, leading = 9.0, 16.0
    box_bottom = TOP
    for k, box in enumerate(BUDGET_BOXES):
        x = MARGIN + k * (box_w + 2 * GUTTER)
        y = TOP - 34
        for j, (level, label, amount) in enumerate(box):
            font = fx.GOTHIC if j == 0 else fx.MINCHO
            c.setFont(font, size + (1 if j == 0 else 0))
            c.drawString(x + 12 * level, y, label)
            c.drawRightString(x + box_w, y, amount)
            if j == 0:
                c.setLineWidth(0.8)
                c.line(x, y - 5, x + box_w, y - 5)
            y -= leading
        box_bottom = min(box_bottom, y)
    in_boxes = {n for n in range(first, last + 1) if "億円" in seed[n - 1]}
    rest = _seed(seed, first, last, skip=[BUDGET_HEADING_LINE, *in_boxes])
    _draw_lines(c, rest, MARGIN, PAGE_W - 2 * MARGIN, box_bottom - 20, BOTTOM)


def _hub_page(c: canvas.Canvas) -> None:
    c.setFont(fx.GOTHIC, 10)
    c.drawString(MARGIN, TOP, fx.HUB_TITLE)
    size, leading, pad = 8.0, 11.0, 4.0
    rows = [tuple((h,) for h in fx.HUB_HEADER), *fx.HUB_CELL_LINES]
    widths = [max(pdfmetrics.stringWidth(line, fx.MINCHO, size) for row in rows for line in row[k]) + 24
              for k in range(len(fx.HUB_HEADER))]
    scale = min(1.0, (PAGE_W - 2 * MARGIN) / sum(widths))
    size, leading = size * scale, leading * scale
    xs = [MARGIN]
    for w in widths:
        xs.append(xs[-1] + w * scale)
    y = TOP - 20
    for r, row in enumerate(rows):
        for col, cell in enumerate(row):
            c.setFont(fx.GOTHIC if r == 0 else fx.MINCHO, size)
            for k, line in enumerate(cell):
                c.drawString(xs[col], y - size - k * leading, line)
        height = max(len(cell) for cell in row) * leading + 2 * pad
        if r == 0:
            c.setLineWidth(0.6)
            c.line(xs[0], y - height + pad, xs[-1], y - height + pad)  # the one rule, under the header
        y -= height


def _appendix_page(c: canvas.Canvas) -> None:
    c.setFont(fx.GOTHIC, 12)
    c.drawString(MARGIN, TOP, APPENDIX_TITLE)
    c.setFont(fx.MINCHO, 10)
    c.drawString(MARGIN, TOP - 30, APPENDIX_PLAIN)
    c.setFont(BROKEN_TEXT_FONT, 10)
    c.drawString(MARGIN, TOP - 50, APPENDIX_BROKEN_TEXT)
    c.setFont(fx.MINCHO, 10)
    c.drawString(MARGIN, TOP - 70, APPENDIX_LABEL)
    x = MARGIN + pdfmetrics.stringWidth(APPENDIX_LABEL, fx.MINCHO, 10)
    c.setFont(BROKEN_DIGIT_FONT, 10)
    c.drawString(x, TOP - 70, APPENDIX_DIGITS)
    x += pdfmetrics.stringWidth(APPENDIX_DIGITS, BROKEN_DIGIT_FONT, 10)
    c.setFont(fx.MINCHO, 10)
    c.drawString(x, TOP - 70, APPENDIX_UNIT)


def scan_image(lines: Sequence[str] = SCAN_LINES, width_pt: float = PAGE_W - 2 * MARGIN) -> tuple[object, float]:
    """An image of text lines as a scanner would see it (Pillow, IPA Gothic); and its height in points."""
    from PIL import Image, ImageDraw, ImageFont

    px = SCAN_DPI / 72.0
    font = ImageFont.truetype(str(IPA_GOTHIC), int(12 * px))
    line_h = int(24 * px)
    img = Image.new("L", (int(width_pt * px), line_h * (len(lines) + 1)), 255)
    draw = ImageDraw.Draw(img)
    for k, line in enumerate(lines):
        draw.text((int(4 * px), int(line_h * (k + 0.5))), line, font=font, fill=0)
    return img, img.height / px


def _scanned_page(c: canvas.Canvas) -> None:
    img, height = scan_image()
    c.drawImage(ImageReader(img), MARGIN, TOP - height, width=PAGE_W - 2 * MARGIN, height=height)


VERTICAL_SCAN_COLUMNS = ("縦書きの記録", "整備費は総額52億円。", "平成22年3月31日に終了。")


def make_vertical_scan_pdf(out: Path, columns: Sequence[str] = VERTICAL_SCAN_COLUMNS) -> Path:
    """Write a one-page scan of vertical text (columns right to left) with no text layer to ``out``."""
    from PIL import Image, ImageDraw, ImageFont

    px = SCAN_DPI / 72.0
    font = ImageFont.truetype(str(IPA_GOTHIC), int(14 * px))
    width_pt, height_pt = 300.0, 40.0 + 16.0 * max(len(col) for col in columns)
    img = Image.new("L", (int(width_pt * px), int(height_pt * px)), 255)
    draw = ImageDraw.Draw(img)
    for k, col in enumerate(columns):
        x = img.width - int((40 + 30 * k) * px)
        for j, ch in enumerate(col):
            draw.text((x, int((10 + 16 * j) * px)), ch, font=font, fill=0)
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.drawImage(ImageReader(img), 100, PAGE_H - 100 - height_pt, width=width_pt, height=height_pt)
    c.showPage()
    c.save()
    return out


def break_fonts(data: bytes) -> bytes:
    """Drop the ToUnicode map of ``BROKEN_TEXT_FONT`` and map ``BROKEN_DIGIT_FONT``'s digits to symbols."""
    symbols = "™—›‰†‡•€ƒ„"
    pdf = pikepdf.open(io.BytesIO(data))
    for page in pdf.pages:
        fonts = page.Resources.get("/Font", {})
        for _, font in fonts.items():
            base = str(font.get("/BaseFont", ""))
            if BROKEN_TEXT_FONT in base and "/ToUnicode" in font:
                del font["/ToUnicode"]
            elif BROKEN_DIGIT_FONT in base and "/ToUnicode" in font:
                cmap = font.ToUnicode.read_bytes().decode("ascii")
                for d in range(10):
                    target = f"<{ord(str(d)):04X}>"
                    cmap = cmap.replace(f"> {target}", f"> <{ord(symbols[d]):04X}>")
                font.ToUnicode = pdf.make_stream(cmap.encode("ascii"))
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def make_brochure_pdf(out: Path) -> Brochure:
    """Write the brochure (seed re-laid, broken-font appendix, scanned page) to ``out``."""
    fx.register_fonts()
    layout.register_fonts()
    register_ipa_fonts()
    seed = fx.read_seed_lines()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)
    c.setTitle("chiiki-cluster-h21 brochure (test fixture)")
    number = 10
    steps = [
        lambda: _projects_page(c, seed),
        lambda: _draw_lines(c, _seed(seed, *PROSE_PAGES[0]), MARGIN, PAGE_W - 2 * MARGIN, TOP, BOTTOM),
        lambda: _budget_page(c, seed),
        *[lambda r=r: _draw_lines(c, _seed(seed, *r), MARGIN, PAGE_W - 2 * MARGIN, TOP, BOTTOM)
          for r in PROSE_PAGES[1:]],
        lambda: _hub_page(c),
        lambda: _appendix_page(c),
        lambda: _scanned_page(c),
    ]
    for k, step in enumerate(steps):
        if k + 1 < len(steps):  # a scanned page has no text layer at all, furniture included
            _furniture(c, number)
        step()
        c.showPage()
        number += 1
    c.save()
    out.write_bytes(break_fonts(buf.getvalue()))
    n = len(steps)
    return Brochure(out, n, broken_page=n - 1, scanned_page=n)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the brochure to the path given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python tests/make_brochure_pdf.py OUT.pdf\n")
        return 2
    b = make_brochure_pdf(Path(args[0]))
    sys.stdout.write(f"{b.path}: {b.pages} pages (broken fonts on {b.broken_page}, scanned {b.scanned_page})\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
