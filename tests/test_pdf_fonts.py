"""Broken fonts judged per page and per font, on glyph lists as pdfplumber gives them."""

from __future__ import annotations

import pytest

from pipeline.readers.pdf_fonts import MASK, find_broken_fonts, screen_page, usable


def _chars(*runs: tuple[str, str]) -> list[dict]:
    """Glyph dicts for (font, text) runs, one glyph per character ((cid:N) kept whole)."""
    out = []
    for font, text in runs:
        glyphs = [text] if text.startswith("(cid:") else list(text)
        out.extend({"text": g, "fontname": font} for g in glyphs)
    return out


@pytest.mark.parametrize(
    ("runs", "broken"),
    [
        ([("ABCDEF+Mincho", "予算は89億円です")], []),
        ([("Mincho", "予算は"), ("Digits", "™—›"), ("Mincho", "億円")], ["Digits"]),  # symbols for digits
        ([("Mincho", "平成"), ("Digits", "ƒ„"), ("Mincho", "年度")], ["Digits"]),  # a digit slot, 2 glyphs
        ([("Mincho", "第"), ("Digits", "ƒ"), ("Mincho", "回の会合")], []),  # one odd glyph proves nothing
        ([("Gothic", "(cid:12)"), ("Gothic", "(cid:40)"), ("Gothic", "(cid:7)")], ["Gothic"]),
        ([("Mincho", "地域クラスター"), ("Bullets", "•••✓")], []),  # a bullet font is not broken
        ([("Mincho", "毎月の報告、正月休み")], []),  # kanji before 月 is no digit slot
        ([("Mincho", "八十九億円の予算")], []),  # kanji numerals fill the slot legitimately
        ([("Mincho", "予算は89億円"), ("Mincho", "\ue001\ue002\ue003\ue004\ue005\ue006\ue007\ue008\ue009\ue00a")],
         ["Mincho"]),  # private use where text belongs
    ],
)
def test_broken_fonts(runs: list[tuple[str, str]], broken: list[str]) -> None:
    assert sorted(b.font for b in find_broken_fonts(3, _chars(*runs)) if b.whole) == broken


def test_masked_glyphs_read_as_geta_and_notes_name_page_and_font() -> None:
    chars = _chars(("Mincho", "予算は"), ("ABCDEF+Digits", "™—"), ("Mincho", "億円"), ("Mincho", "(cid:9)"))
    masked, notes = screen_page(7, chars)
    assert "".join(c["text"] for c in masked) == f"予算は{MASK}{MASK}億円{MASK}"
    assert [(n.page, n.code) for n in notes] == [(7, "text_layer_broken"), (7, "text_layer_broken")]
    assert "font Digits" in notes[0].message or "font Digits" in notes[1].message
    assert usable(masked)
    assert not usable(_chars(("X", MASK * 3)))
