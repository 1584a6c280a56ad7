"""A text view with, for every character, the source offset it came from (what layout repair makes)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

# Dashes and the wave dash that NFKC leaves as they are, folded as NFKC folds their full-width forms: a text
# decoded from EUC-JP or a strict Shift_JIS, or read from a PDF's font, writes 日本−EU (U+2212) and 〜 (U+301C)
# where a cp932 text writes 日本－EU and ～, which NFKC makes - and ~. One character each, so offsets hold.
_FOLD = str.maketrans({"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2212": "-", "\u301c": "~"})
_FOLDED = re.compile("[\u2010-\u2013\u2212\u301c]")


def fold(s: str) -> str:
    """``s`` with the dashes and the wave dash of ``_FOLD`` as NFKC writes their full-width forms."""
    return s.translate(_FOLD) if _FOLDED.search(s) else s


def foldable(s: str) -> bool:
    """Whether ``s`` holds a character :func:`fold` changes."""
    return _FOLDED.search(s) is not None


def nfkc(s: str) -> str:
    """NFKC, and the dashes NFKC leaves apart folded (:func:`fold`): the normal form of every value."""
    return fold(unicodedata.normalize("NFKC", s))


@dataclass
class NormText:
    """Repaired text plus, for every character, the source offset it came from."""

    text: str
    origin: list[int]
    source_len: int
    # Source start -> source end for characters composed from several (ﾄﾞ -> ド).
    wide: dict[int, int] = field(default_factory=dict)

    def to_source(self, start: int, end: int) -> tuple[int, int]:
        """Source span ``[s, e)`` covering repaired span ``[start, end)``."""
        if end <= start:
            s = self.origin[start] if start < len(self.origin) else self.source_len
            return s, s
        last = self.origin[end - 1]
        return self.origin[start], self.wide.get(last, last + 1)

    def line_spans(self) -> list[tuple[int, int]]:
        """(start, end) of every line of the repaired text, without the newline."""
        spans, pos = [], 0
        for line in self.text.split("\n"):
            spans.append((pos, pos + len(line)))
            pos += len(line) + 1
        return spans
