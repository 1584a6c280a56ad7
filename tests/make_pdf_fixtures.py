"""Generate the PDF fixtures for the PDF ingest tests and benchmark (nothing binary is committed).

Usage: ``python tests/make_pdf_fixtures.py OUTDIR`` writes every fixture into OUTDIR; the functions are
importable so that tests build them into ``tmp_path``.

The fixtures use reportlab's built-in Japanese CID fonts (HeiseiMin-W3, HeiseiKakuGo-W5), so no font
files are needed:

- ``seed.pdf``: the seed brochure ``raw/chiiki-cluster-h21.txt`` laid out over seven pages in the seed's
  own line order, one PDF line per seed line, with a running header and a page-number footer on every
  page. The seed's stray ``10`` and ``1312`` lines are the brochure's own page numbers (``1312`` is the
  spread 12-13 run together), so they become the footers of those pages instead of body lines; the
  pages are numbered 10 to 16 accordingly. Text that the seed shows doubled (bold made by printing
  twice) is drawn twice, offset by a fraction of a point, like the original overprint. The hub list at
  the end of the seed is drawn as a ruled table (grid lines).
- ``two_columns.pdf``: a title across the page, two different paragraphs side by side, a closing line.
- ``truncated.pdf`` (a valid PDF cut in half), ``encrypted.pdf`` (user password), ``image_only.pdf``
  (a rectangle and a bitmap, no text) and ``corrupt.pdf`` (a PDF header followed by junk).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfgen import canvas

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"

MINCHO = "HeiseiMin-W3"
GOTHIC = "HeiseiKakuGo-W5"

PAGE_W, PAGE_H = A4
MARGIN_X = 50.0
BODY_TOP = PAGE_H - 70.0
BODY_BOTTOM = 70.0
BODY_SIZE = 9.0
HEADER_Y = PAGE_H - 36.0
FOOTER_Y = 32.0

RUNNING_HEADER = "地域クラスター施策の概要　平成21年度"

# (first seed line, last seed line, printed page number), 1-based and inclusive. The last page holds
# the hub list, which is drawn as a ruled table rather than line by line.
SEED_PAGES: tuple[tuple[int, int, str], ...] = (
    (1, 50, "10"),
    (51, 121, "11"),
    (122, 173, "12"),
    (174, 210, "13"),
    (211, 292, "14"),
    (293, 344, "15"),
    (345, 406, "16"),
)
# Seed lines that are the brochure's page numbers (drawn as footers, not body text).
SEED_PAGE_NUMBER_LINES = (4, 209)
# Seed lines whose text the seed shows doubled: (seed line, clean text drawn twice).
OVERPRINTED_LINES: dict[int, str] = {
    225: "高機能内視鏡と手術ナビゲーションシステム開発による",
    226: "安心・安全かつ迅速な医療行為の実現",
}
# Headings drawn twice at exactly the same position (a second kind of overprint).
OVERPRINTED_HEADINGS = ("平成21年度地域クラスター関連予算の概要", "研究成果の発展事例")

HUB_HEADER = ("拠点名", "提案自治体", "提案大学等", "提案企業等")
# Each cell as the lines the seed breaks it into (seed lines 345-405, read column by column).
HUB_CELL_LINES: tuple[tuple[tuple[str, ...], ...], ...] = (
    (
        ("北大リサーチ＆", "ビジネスパーク"),
        ("北海道、札幌市",),
        ("北海道大学",),
        ("北海道経済連合会",),
    ),
    (
        ("東海地域", "環境調和型高付加価値", "モノづくり拠点形成"),
        ("愛知県、岐阜県、", "三重県、名古屋市"),
        ("名古屋大学、名古屋工業大学、", "豊橋技術科学大学、岐阜大学、", "三重大学"),
        ("名古屋商工会議所、社団法人中部経済連合会、", "社団法人岐阜県工業会"),
    ),
    (
        ("関西バイオ", "メディカルクラスター"),
        ("大阪府、兵庫県、", "神戸市、大阪市"),
        ("大阪大学、大阪府立大学、", "大阪市立大学、神戸大学、", "兵庫県立大学"),
        ("社団法人関西経済連合会、大阪商工会議所、", "大阪医薬品協会、神戸商工会議所"),
    ),
    (
        ("京都発未来創造型", "産業創成連携拠点"),
        ("京都府、京都市",),
        ("京都大学、同志社大学、", "京都工芸繊維大学"),
        ("京都商工会議所",),
    ),
    (
        ("新成長産業クラスター", "連携融合拠点"),
        ("福岡県、福岡市、", "北九州市"),
        ("九州大学、九州工業大学、", "北九州市立大学、久留米大学、", "早稲田大学"),
        (
            "福岡先端システムLSI開発拠点推進会議、福岡県",
            "バイオ産業拠点推進会議、福岡水素エネルギー",
            "戦略会議、北九州商工会議所、福岡商工会議所",
        ),
    ),
)
# The table as its cells should read once the lines inside each cell are joined.
HUB_ROWS: tuple[tuple[str, ...], ...] = (HUB_HEADER,) + tuple(
    tuple("".join(lines) for lines in row) for row in HUB_CELL_LINES
)
HUB_COL_WIDTHS = (112.0, 82.0, 124.0, 177.0)
HUB_TITLE = "【平成21年度グローバル産学官連携拠点一覧】"

TWO_COLUMN_TITLE = "二段組みの頁：左の段を先に読む"
TWO_COLUMN_LEFT = (
    "文部科学省では、経済産業省が推進している「産業クラスター計画」等との連携をより一層進めており、"
    "平成20年度には、両省主催によるクラスター活動の成果を一堂に集めた「クラスタージャパン2008」を"
    "横浜で開催しました。"
)
TWO_COLUMN_RIGHT = (
    "平成17年度から地域におけるクラスター政策の普及・浸透を図り、地域のイニシアティブに基づく"
    "クラスター形成を推進するため、地域クラスターセミナーを年3ヶ所ずつ実施しており、"
    "平成20年度は島根、福島及び愛媛で実施しました。"
)
TWO_COLUMN_CLOSING = "以上、左右二つの段落は別々の話題であり、左の段を読み終えてから右の段を読む。"
TWO_COLUMN_CHARS_PER_LINE = 21


@dataclass
class SeedLayout:
    """Where the seed's lines ended up in ``seed.pdf``."""

    path: Path
    pages: int
    page_of_line: dict[int, int] = field(default_factory=dict)  # seed line (1-based) -> PDF page
    page_numbers: list[str] = field(default_factory=list)  # printed footer of each PDF page


def register_fonts() -> None:
    """Register reportlab's built-in Japanese CID fonts (idempotent)."""
    registered = set(pdfmetrics.getRegisteredFontNames())
    for name in (MINCHO, GOTHIC):
        if name not in registered:
            pdfmetrics.registerFont(UnicodeCIDFont(name))


def read_seed_lines(seed: Path = SEED) -> list[str]:
    """The seed text's lines (without line ends)."""
    return seed.read_text(encoding="utf-8").splitlines()


def _fit_size(text: str, font: str, size: float, width: float) -> float:
    w = pdfmetrics.stringWidth(text, font, size)
    return size if w <= width else size * width / w * 0.99


def _furniture(c: canvas.Canvas, page_number: str) -> None:
    c.setFont(GOTHIC, 8)
    c.drawString(MARGIN_X, HEADER_Y, RUNNING_HEADER)
    c.setLineWidth(0.5)
    c.line(MARGIN_X, HEADER_Y - 5, PAGE_W - MARGIN_X, HEADER_Y - 5)
    c.setFont(MINCHO, 9)
    c.drawCentredString(PAGE_W / 2, FOOTER_Y, page_number)


def _draw_seed_lines(c: canvas.Canvas, lines: Sequence[tuple[int, str]]) -> None:
    """Draw (seed line number, text) pairs top-down; blank lines become small gaps."""
    body_width = PAGE_W - 2 * MARGIN_X
    n_text = sum(1 for _, t in lines if t.strip())
    n_blank = len(lines) - n_text
    leading = min(14.0, (BODY_TOP - BODY_BOTTOM) / (n_text + 0.35 * n_blank))
    y = BODY_TOP
    for number, text in lines:
        if not text.strip():
            y -= 0.35 * leading
            continue
        heading = text.startswith(("◆", "●", "■")) or text.strip() in OVERPRINTED_HEADINGS
        font = GOTHIC if heading or number in OVERPRINTED_LINES else MINCHO
        clean = OVERPRINTED_LINES.get(number, text)
        size = _fit_size(clean, font, BODY_SIZE, body_width)
        c.setFont(font, size)
        c.drawString(MARGIN_X, y, clean)
        if number in OVERPRINTED_LINES:
            c.drawString(MARGIN_X + 0.3, y + 0.2, clean)  # bold by printing twice, a little offset
        elif text.strip() in OVERPRINTED_HEADINGS:
            c.drawString(MARGIN_X, y, text)  # bold by printing twice, same position
        y -= leading


def _draw_hub_table(c: canvas.Canvas, top: float) -> float:
    """Draw the hub list as a ruled table whose top edge is at ``top``; return its bottom."""
    size, leading, pad = 8.0, 11.0, 4.0
    rows: list[tuple[tuple[str, ...], ...]] = [tuple((h,) for h in HUB_HEADER), *HUB_CELL_LINES]
    xs = [MARGIN_X]
    for w in HUB_COL_WIDTHS:
        xs.append(xs[-1] + w)
    y = top
    ys = [y]
    for r, row in enumerate(rows):
        height = max(len(cell) for cell in row) * leading + 2 * pad
        for col, cell in enumerate(row):
            c.setFont(GOTHIC if r == 0 else MINCHO, size)
            for k, line in enumerate(cell):
                c.drawString(xs[col] + pad, y - pad - size - k * leading, line)
        y -= height
        ys.append(y)
    c.setLineWidth(0.6)
    for x in xs:
        c.line(x, ys[0], x, ys[-1])
    for yy in ys:
        c.line(xs[0], yy, xs[-1], yy)
    return ys[-1]


def _check_hub_cells_in_seed(seed_lines: Sequence[str]) -> None:
    stripped = {line.strip().rstrip("　") for line in seed_lines}
    for row in HUB_CELL_LINES:
        for cell in row:
            for line in cell:
                if line not in stripped:
                    raise ValueError(f"hub table line {line!r} is not a line of the seed")


def _draw_seed_pages(
    c: canvas.Canvas, seed_lines: Sequence[str], layout: SeedLayout, first_page: int
) -> None:
    page = first_page
    for first, last, number in SEED_PAGES:
        page += 1
        _furniture(c, number)
        layout.page_numbers.append(number)
        for n in range(first, last + 1):
            layout.page_of_line[n] = page
        if (first, last, number) == SEED_PAGES[-1]:
            c.setFont(GOTHIC, 10)
            c.drawString(MARGIN_X, BODY_TOP, HUB_TITLE)
            c.drawString(MARGIN_X + 0.25, BODY_TOP, HUB_TITLE)  # overprinted heading
            _draw_hub_table(c, BODY_TOP - 14)
        else:
            lines = [
                (n, seed_lines[n - 1])
                for n in range(first, last + 1)
                if n not in SEED_PAGE_NUMBER_LINES
            ]
            _draw_seed_lines(c, lines)
        c.showPage()


def make_seed_pdf(out: Path, seed: Path = SEED, copies: int = 1) -> SeedLayout:
    """Write the seed brochure as a PDF (``copies`` times its seven pages, for benchmarks) to ``out``.

    ``page_of_line`` in the result maps each seed line to its page in the first copy.
    """
    register_fonts()
    seed_lines = read_seed_lines(seed)
    _check_hub_cells_in_seed(seed_lines)
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setTitle("chiiki-cluster-h21 (test fixture)")
    layout = SeedLayout(path=out, pages=0)
    for k in range(copies):
        copy_layout = layout if k == 0 else SeedLayout(path=out, pages=0)
        _draw_seed_pages(c, seed_lines, copy_layout, first_page=k * len(SEED_PAGES))
    c.save()
    layout.pages = copies * len(SEED_PAGES)
    return layout


def _wrap(text: str, n: int) -> list[str]:
    return [text[i : i + n] for i in range(0, len(text), n)]


def make_two_column_pdf(out: Path) -> Path:
    """Write a page with a title, two paragraphs side by side and a closing line to ``out``."""
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.setFont(GOTHIC, 12)
    c.drawString(MARGIN_X, BODY_TOP, TWO_COLUMN_TITLE)
    size, leading = 10.0, 15.0
    gutter = 25.0
    col_w = (PAGE_W - 2 * MARGIN_X - gutter) / 2
    left_x, right_x = MARGIN_X, MARGIN_X + col_w + gutter
    assert TWO_COLUMN_CHARS_PER_LINE * size <= col_w
    y0 = BODY_TOP - 30
    c.setFont(MINCHO, size)
    # Draw the right column first so that the content stream order cannot give the answer away.
    for x, paragraph in ((right_x, TWO_COLUMN_RIGHT), (left_x, TWO_COLUMN_LEFT)):
        for k, line in enumerate(_wrap(paragraph, TWO_COLUMN_CHARS_PER_LINE)):
            c.drawString(x, y0 - k * leading, line)
    n = max(len(_wrap(p, TWO_COLUMN_CHARS_PER_LINE)) for p in (TWO_COLUMN_LEFT, TWO_COLUMN_RIGHT))
    c.drawString(MARGIN_X, y0 - (n + 1) * leading, TWO_COLUMN_CLOSING)
    c.drawCentredString(PAGE_W / 2, FOOTER_Y, "3")
    c.showPage()
    c.save()
    return out


def _small_pdf_bytes(**canvas_kwargs: object) -> bytes:
    register_fonts()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1, **canvas_kwargs)
    c.setFont(MINCHO, 10)
    for k in range(40):
        line = f"知的クラスター創成事業　第{k + 1}行　地域イノベーションの創出"
        c.drawString(MARGIN_X, BODY_TOP - 15 * k, line)
    c.showPage()
    c.drawString(MARGIN_X, BODY_TOP, "二頁目")
    c.showPage()
    c.save()
    return buf.getvalue()


def make_truncated_pdf(out: Path) -> Path:
    """Write a valid two-page PDF cut in half to ``out``."""
    data = _small_pdf_bytes()
    out.write_bytes(data[: len(data) // 2])
    return out


def make_encrypted_pdf(out: Path, password: str = "secret") -> Path:
    """Write a PDF that needs the user password ``password`` to open (reportlab's standard encryption)."""
    out.write_bytes(_small_pdf_bytes(encrypt=password))
    return out


def make_image_only_pdf(out: Path) -> Path:
    """Write a PDF whose page holds only a rectangle and a bitmap, like a scan: no text layer."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader

    img = Image.new("L", (200, 100), 255)
    ImageDraw.Draw(img).rectangle((20, 20, 180, 80), outline=0, width=3)
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    c.rect(MARGIN_X, PAGE_H / 2, 200, 100)
    c.drawImage(ImageReader(img), MARGIN_X, PAGE_H / 2 - 150, width=200, height=100)
    c.showPage()
    c.save()
    return out


def make_corrupt_pdf(out: Path) -> Path:
    """Write a file that starts like a PDF and ends like one but has junk in between."""
    out.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 8 + b"\ntrailer\n<< /Root 99 0 R >>\n%%EOF\n")
    return out


def make_positioned_pdf(
    out: Path,
    pages: Sequence[Sequence[tuple[float, float, str]]],
    size: float = 10.0,
    rules: Sequence[Sequence[tuple[float, float, float, float]]] = (),
) -> Path:
    """Write a PDF with the given ``(x, y_from_top, text)`` strings on each page (for targeted tests).

    ``rules`` gives, per page, straight lines ``(x0, y0_from_top, x1, y1_from_top)`` to draw.
    """
    register_fonts()
    c = canvas.Canvas(str(out), pagesize=A4, invariant=1)
    for k, page in enumerate(pages):
        c.setFont(MINCHO, size)
        for x, y, text in page:
            c.drawString(x, PAGE_H - y, text)
        for x0, y0, x1, y1 in rules[k] if k < len(rules) else ():
            c.line(x0, PAGE_H - y0, x1, PAGE_H - y1)
        c.showPage()
    c.save()
    return out


def make_all(folder: Path) -> dict[str, Path]:
    """Write every fixture into ``folder``; return their paths by name."""
    folder.mkdir(parents=True, exist_ok=True)
    return {
        "seed": make_seed_pdf(folder / "seed.pdf").path,
        "two_columns": make_two_column_pdf(folder / "two_columns.pdf"),
        "truncated": make_truncated_pdf(folder / "truncated.pdf"),
        "encrypted": make_encrypted_pdf(folder / "encrypted.pdf"),
        "image_only": make_image_only_pdf(folder / "image_only.pdf"),
        "corrupt": make_corrupt_pdf(folder / "corrupt.pdf"),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write every fixture into the folder given as the only argument."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) != 1:
        sys.stderr.write("usage: python tests/make_pdf_fixtures.py OUTDIR\n")
        return 2
    for name, path in make_all(Path(args[0])).items():
        sys.stdout.write(f"{name}: {path}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
