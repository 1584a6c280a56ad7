"""A text view with, for every character, the source offset it came from (what layout repair makes)."""

from __future__ import annotations

from dataclasses import dataclass, field


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
