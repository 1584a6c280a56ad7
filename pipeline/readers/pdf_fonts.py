"""Broken text layers: fonts whose glyphs do not map to the text they draw, per page and per font.

A PDF's text is only as good as its fonts' ToUnicode maps. Two failures are common in official
brochures and gazettes:

- no map at all: pdfminer reports the glyph as ``(cid:N)``;
- a wrong map: the glyphs come out as symbols, Latin-1 letters, punctuation or private-use code points
  (a gazette's digits read as ``™—›``) where a Japanese document has kana, kanji or digits.

Each page's glyphs are grouped by font. A font is broken on a page when most of its glyphs are
implausible in Japanese text, or when a digit slot (平成X年, X月, X億円) is filled with implausible glyphs
of that font: a figure is never read from such a font. Its glyphs are masked with ``〓`` (U+3013, the
geta mark printers use for a missing glyph), which no number rule reads, and ``(cid:N)`` glyphs are
masked in every font. The caller warns with the page and the font.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.source import PageNote

Char = dict[str, Any]

MASK = "〓"
"""What a glyph of a broken font reads as: no rule reads a figure, a name or a date from it."""
BROKEN_SHARE = 0.5
"""A font is broken on a page when at least this share of its visible glyphs is implausible."""
MIN_GLYPHS = 3
"""Fewer glyphs than this prove nothing by their share (a lone ™ is a trademark sign)."""

# What Japanese body text is made of: printable ASCII, CJK punctuation and kana, ideographs, full-width
# forms, circled numbers and shapes, arrows, Roman numerals, geometric shapes (◆■), ※, bullets and
# dingbats (a bullet font is not broken), Greek and Cyrillic (JIS X 0208 has them), maths operators.
_PLAUSIBLE = re.compile(
    "[\x20-\x7e\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2460-\u24ff"
    "\u2150-\u218f\u2190-\u21ff\u25a0-\u25ff\u2600-\u26ff\u203b\u2010-\u2015\u2018\u2019\u201c\u201d\u2025\u2026"
    "\u2212\u301c\u00a5\u00d7\u00f7\u00b1\u00a7\u00b0\u02d7\u2032\u2033\u3200-\u33ff\ufe30-\ufe4f"
    "\u2022\u2700-\u27bf\u0391-\u03c9\u0401-\u044f\u2200-\u22ff]"
)
# Digit slots: what sits between these words is a number in any Japanese document (kana and kanji,
# kanji numerals included, are never evidence; they are left out of the slot).
_NOT_KANA_KANJI = r"[^\s\u3040-\u30ff\u3400-\u9fff\x00"
_SLOTS = re.compile(
    rf"(?:平成|令和|昭和)(?P<a>{_NOT_KANA_KANJI}年]{{1,3}})年|(?P<b>{_NOT_KANA_KANJI}]{{1,2}})月"
    rf"|(?P<c>{_NOT_KANA_KANJI}]{{1,5}})億円"
)
_NUMERAL = re.compile(r"[0-9０-９〇一二三四五六七八九十百千万元,，.．]")


@dataclass(frozen=True)
class BrokenFont:
    """A font found broken on a page: its name, how many glyphs it drew there and why it is broken."""

    page: int
    font: str
    glyphs: int
    reason: str
    whole: bool = True  # every glyph of the font is masked, not only its (cid:N) glyphs


def font_name(char: Char) -> str:
    """A glyph's font name without the subset prefix (``ABCDEF+IPAMincho`` -> ``IPAMincho``)."""
    name = str(char.get("fontname") or "?")
    return name.split("+", 1)[1] if re.match(r"^[A-Z]{6}\+", name) else name


def is_cid(text: str) -> bool:
    """Whether pdfminer gave this glyph no Unicode (``(cid:N)``)."""
    return text.startswith("(cid:")


def implausible(text: str) -> bool:
    """Whether a glyph's text is unlikely in Japanese text: unmapped, or outside the plausible ranges."""
    return is_cid(text) or any(not _PLAUSIBLE.match(ch) for ch in text)


def _slot_evidence(chars: Sequence[Char]) -> Counter[str]:
    """Per font: glyphs in digit slots (平成X年, X月, X億円) that are neither digits nor numerals."""
    texts = [c["text"] if len(c["text"]) == 1 else "\x00" for c in chars]
    joined = "".join(texts)
    found: Counter[str] = Counter()
    for m in _SLOTS.finditer(joined):
        group = next(g for g in ("a", "b", "c") if m.group(g) is not None)
        s, e = m.span(group)
        slot = chars[s:e]
        if any(_NUMERAL.match(c["text"]) for c in slot):
            continue
        if 2 * sum(1 for c in slot if implausible(c["text"])) >= len(slot):
            for c in slot:
                found[font_name(c)] += 1
    return found


def find_broken_fonts(page: int, chars: Sequence[Char]) -> list[BrokenFont]:
    """The fonts of one page (its glyphs in content order) whose text cannot be trusted."""
    by_font: dict[str, list[Char]] = defaultdict(list)
    for c in chars:
        if not c["text"].isspace():
            by_font[font_name(c)].append(c)
    slots = _slot_evidence([c for c in chars if not c["text"].isspace()])
    broken = []
    for font, glyphs in by_font.items():
        n_cid = sum(1 for c in glyphs if is_cid(c["text"]))
        n_bad = sum(1 for c in glyphs if implausible(c["text"]))
        if n_cid and n_cid >= BROKEN_SHARE * len(glyphs):
            reason = f"{n_cid} of {len(glyphs)} glyphs have no Unicode mapping (cid:N)"
        elif len(glyphs) >= MIN_GLYPHS and n_bad >= BROKEN_SHARE * len(glyphs):
            sample = "".join(sorted({c["text"] for c in glyphs if implausible(c["text"])})[:6])
            reason = f"{n_bad} of {len(glyphs)} glyphs map to symbols, Latin-1 or private-use ({sample})"
        elif slots[font]:
            reason = f"{slots[font]} glyph(s) where a digit belongs (year, month or 億円) are not digits"
        elif n_cid:
            broken.append(BrokenFont(page, font, len(glyphs),
                                     f"{n_cid} of {len(glyphs)} glyphs have no Unicode mapping (cid:N)", False))
            continue
        else:
            continue
        broken.append(BrokenFont(page, font, len(glyphs), reason))
    return broken


def mask_broken(chars: Sequence[Char], broken: Sequence[BrokenFont]) -> list[Char]:
    """The glyphs with every glyph of a broken font, and every ``(cid:N)``, reading ``〓``."""
    fonts = {b.font for b in broken if b.whole}
    out = []
    for c in chars:
        if c["text"].isspace():
            out.append(c)
        elif is_cid(c["text"]) or font_name(c) in fonts:
            out.append({**c, "text": MASK})
        else:
            out.append(c)
    return out


def usable(chars: Sequence[Char]) -> bool:
    """Whether any glyph of a (masked) page carries readable text."""
    return any(not c["text"].isspace() and c["text"] != MASK for c in chars)


def screen_page(page: int, chars: Sequence[Char]) -> tuple[list[Char], list[PageNote]]:
    """One page's glyphs with broken fonts masked, and a ``text_layer_broken`` note per broken font."""
    broken = find_broken_fonts(page, chars)
    notes = [
        PageNote(page, "text_layer_broken",
                 f"page {page}, font {b.font}: {b.reason}; "
                 + ("its glyphs are masked (〓), no figure is read from them" if b.whole
                    else "those glyphs are masked (〓)"))
        for b in broken
    ]
    return (mask_broken(chars, broken) if broken else list(chars)), notes
