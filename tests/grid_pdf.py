"""Text pages drawn into a PDF as a layout tool sets them: every run of glyphs at its display column.

A line's full-width spaces and runs of spaces become blank space, not glyphs, and a column aligned by
them in the text (a budget's amounts, a table's cells) is aligned on the page at the same x, as in a
brochure set on a grid; an empty line is a line's height of space (a paragraph break). Drawn in IPA
Gothic (Debian's fonts-ipafont-gothic), embedded, so pdfplumber reads the glyphs back as text.
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

import pytest

IPA_GOTHIC = Path("/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf")
FONT = "IPAGothicGrid"


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def draw_grid(out: Path, pages: list[str], size: float = 9.0, leading: float = 1.6) -> Path:
    """Write ``pages`` (one text each, onto as many pages as it fills) to ``out``; skips (outside CI)
    without reportlab or the font."""
    canvas = pytest.importorskip("reportlab.pdfgen.canvas", reason="reportlab is needed to draw the PDF")
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if not IPA_GOTHIC.exists() and not os.environ.get("CI"):  # CI installs it: there, a missing font fails
        pytest.skip("Debian's fonts-ipafont-gothic is needed to draw Japanese text")
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, str(IPA_GOTHIC)))
    c = canvas.Canvas(str(out), pagesize=A4)
    for text in pages:
        y = A4[1] - 70
        for line in text.splitlines():
            if y < 60:  # a long text runs onto the next page
                c.showPage()
                y = A4[1] - 70
            col = 0
            for m in re.finditer(r"[^\s\u3000]+(?: [^\s\u3000]+)*|[\s\u3000]+", line):
                run = m.group()
                if run.strip():
                    c.setFont(FONT, size)
                    c.drawString(40 + col * size / 2, y, run)
                col += _width(run)
            y -= size * leading
        c.showPage()
    c.save()
    return out
