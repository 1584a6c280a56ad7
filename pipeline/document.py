"""The container every stage enriches: the source, its repaired views, tokens, mentions, warnings.

Like spaCy's ``Doc``, one object travels through the stages; each stage reads what the earlier ones
left and adds its own findings. Mentions are kept in source offsets, so findings from the line view
and from the flow view meet on the same coordinates.
"""

from __future__ import annotations

import bisect
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from .extract_numbers import Found
    from .ingest import Source
    from .layout import NormText
    from .rules import Rules


@dataclass
class Mention:
    """One atomic finding; ``start``/``end`` are offsets into the source text."""

    kind: str
    start: int
    end: int
    value: str
    rule: str
    unit: str = ""
    approx: bool | None = None
    org_type: str = ""  # for organisations: university, company, ...

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.start, self.end)


@dataclass
class Warning_:
    line: int
    code: str
    message: str


def canonical_text(s: str) -> str:
    """NFKC with the spaces and line breaks that layout put inside a name removed."""
    s = unicodedata.normalize("NFKC", s)
    return "".join(s.split())


@dataclass
class Document:
    source: Source
    rules: Rules
    lines: NormText
    flow: NormText
    tokens: Doc | None = None
    mentions: list[Mention] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Source spans a table builder has read as table furniture (a header row): no names there.
    furniture: list[tuple[int, int]] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)

    def __post_init__(self) -> None:
        text = self.source.text
        self._line_starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\n"]

    # -- coordinates -----------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """1-based line of a source offset."""
        return bisect.bisect_right(self._line_starts, offset)

    def add(self, view: NormText, found: Found) -> Mention:
        start, end = view.to_source(found.start, found.end)
        m = Mention(found.kind, start, end, found.value, found.rule, found.unit, found.approx)
        self.mentions.append(m)
        return m

    def add_span(self, view: NormText, start: int, end: int, kind: str, value: str, rule: str,
                 org_type: str = "") -> Mention:
        s, e = view.to_source(start, end)
        return self.add_source_span(s, e, kind, value, rule, org_type)

    def add_source_span(self, start: int, end: int, kind: str, value: str, rule: str,
                        org_type: str = "") -> Mention:
        m = Mention(kind, start, end, value, rule, org_type=org_type)
        self.mentions.append(m)
        return m

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(Warning_(line, code, message))

    def mentions_in(self, start: int, end: int, kinds: tuple[str, ...]) -> list[Mention]:
        """Mentions of ``kinds`` lying inside the source span [start, end), in text order."""
        found = [m for m in self.mentions if m.kind in kinds and start <= m.start and m.end <= end]
        return sorted(found, key=lambda m: (m.start, m.end))

    def view_lines(self, view: NormText) -> list[ViewLine]:
        """The lines of a view, each with its source span and line number."""
        out = []
        for a, b in view.line_spans():
            if a < b:
                s, e = view.to_source(a, b)
            else:
                s = e = view.origin[a] if a < len(view.origin) else len(self.source.text)
            out.append(ViewLine(view.text[a:b], a, b, s, e, self.line_of(s)))
        return out


@dataclass(frozen=True)
class ViewLine:
    text: str
    start: int  # in the view
    end: int
    src_start: int
    src_end: int
    line: int  # 1-based source line

    @property
    def blank(self) -> bool:
        return not self.text.strip()
