"""The container every stage enriches: the source, its repaired views, tokens, mentions, warnings.

Like spaCy's ``Doc``, one object travels through the stages; each stage reads what the earlier ones
left and adds its own findings. Mentions are kept in source offsets, so findings from the line view
and from the flow view meet on the same coordinates.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple

from sortedcontainers import SortedList

from pipeline.core.normtext import nfkc
from pipeline.core.rules import Rules, RulesError
from pipeline.core.spans import Span

if TYPE_CHECKING:
    from spacy.tokens import Doc

    from pipeline.core.normtext import NormText
    from pipeline.core.source import Source


@dataclass
class Warning_:
    line: int
    code: str
    message: str
    page: int | None = None  # None: the page of ``line``


@functools.lru_cache(maxsize=8192)
def canonical_text(s: str) -> str:
    """NFKC with the spaces and line breaks that layout put inside a name removed.

    Memoised: the builders ask for the same few hundred strings (their rules' labels, per document; the
    names a brochure repeats on every page) tens of thousands of times a run."""
    s = nfkc(s)
    return "".join(s.split())


# Whitespace beside a Latin word: a name's own space (BioJapan 2023, フォーラム in 九州), kept as one; not
# before a number glued to what follows (AER 21階: the floor's number), nor between two non-Latin words.
_LATIN_GAP = re.compile(r"(?<=[A-Za-z0-9])\s+(?=[A-Za-z]|[0-9]+(?:[A-Za-z]|\s|$))"
                        r"|(?<=[A-Za-z])\s+(?=[^\sA-Za-z0-9])|(?<=[^\sA-Za-z0-9])\s+(?=[A-Za-z])")


def display_text(s: str) -> str:
    """:func:`canonical_text`, except that a Latin word keeps one space on either side (BioJapan 2023, nano
    tech 2024, フォーラム in 九州): an event's or a venue's name as the tables give it."""
    s = nfkc(s).strip()
    return "\x00".join("".join(part.split()) for part in _LATIN_GAP.split(s)).replace("\x00", " ")


@dataclass
class Document:
    source: Source
    rules: Rules
    lines: NormText
    flow: NormText
    tokens: Doc | None = None
    mentions: list[Span] = field(default_factory=list)
    warnings: list[Warning_] = field(default_factory=list)
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # Source spans a table builder has read as table furniture (a header row): no names there.
    furniture: list[tuple[int, int]] = field(default_factory=list)
    _line_starts: list[int] = field(default_factory=list)
    # (start, end, id) of every mention, sorted. A SortedList keeps it in short sorted blocks: an insort
    # into one flat list moved every later entry, which made adding n mentions quadratic.
    _index: SortedList = field(default_factory=SortedList)
    # Index keys of mentions added since the last lookup: they join the index at the next one, in one
    # sorted batch (a stage that only adds never pays for the index).
    _pending: list[tuple[int, int, int]] = field(default_factory=list)
    _by_id: dict[int, Span] = field(default_factory=dict)
    _view_lines: dict[int, list[ViewLine]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        text = self.source.text
        # 0 and the offset after every line break (from the lines' lengths: no loop over characters).
        self._line_starts = [0, *itertools.accumulate(len(line) + 1 for line in text.split("\n")[:-1])]

    # -- coordinates -----------------------------------------------------------------------------

    def line_of(self, offset: int) -> int:
        """1-based line of a source offset."""
        return bisect.bisect_right(self._line_starts, offset)

    def line_start(self, line: int) -> int:
        """Source offset where a 1-based line starts."""
        return self._line_starts[min(max(line, 1), len(self._line_starts)) - 1]

    def _append(self, m: Span) -> Span:
        if m.rule not in self.rules.ids:  # a rule id is bound to a rule of rules/, with its examples
            raise RulesError(f"{m.rule!r} fired by the code is not the id of any rule in {self.rules.directory}")
        self.mentions.append(m)
        self._pending.append((m.start, m.end, id(m)))
        self._by_id[id(m)] = m
        return m

    def replace_mentions(self, mentions: list[Span]) -> None:
        """Keep ``mentions`` (checked like ``add``) instead of every mention so far; the index is built once,
        when next needed."""
        self.mentions, self._by_id = [], {}
        for m in mentions:
            if m.rule not in self.rules.ids:
                raise RulesError(f"{m.rule!r} fired by the code is not the id of any rule in {self.rules.directory}")
            self.mentions.append(m)
            self._by_id[id(m)] = m
        # The index is built at the next lookup, if any (after the last stage that replaces mentions,
        # none looks them up by span).
        self._index = SortedList()
        self._pending = [(m.start, m.end, id(m)) for m in self.mentions]

    def add(self, view: NormText, found: Span) -> Span:
        """Keep an extractor's span (offsets into ``view``) with source offsets."""
        start, end = view.to_source(found.start, found.end)
        return self._append(found.at(start, end))

    def add_span(self, view: NormText, start: int, end: int, kind: str, value: str, rule: str,
                 org_type: str = "", approx: bool | None = None) -> Span:
        s, e = view.to_source(start, end)
        if approx is not None:
            return self._append(Span(kind, s, e, value, rule, approx=approx))
        return self.add_source_span(s, e, kind, value, rule, org_type)

    def add_source_span(self, start: int, end: int, kind: str, value: str, rule: str,
                        org_type: str = "", approx: bool | None = None) -> Span:
        if approx is not None:
            return self._append(Span(kind, start, end, value, rule, approx=approx))
        return self._append(Span(kind, start, end, value, rule, org_type=org_type))

    def warn(self, line: int, code: str, message: str) -> None:
        self.warnings.append(Warning_(line, code, message))

    def mentions_in(self, start: int, end: int, kinds: tuple[str, ...]) -> list[Span]:
        """Mentions of ``kinds`` lying inside the source span [start, end), in text order."""
        if self._pending:
            self._index.update(self._pending)
            self._pending = []
        found = []
        # Every key starting before `end` sorts below (end, -1, -1).
        for _, e, key in self._index.irange((start, -1, -1), (end, -1, -1), inclusive=(True, False)):
            m = self._by_id[key]
            if m.kind in kinds and e <= end:
                found.append(m)
        return found

    def view_lines(self, view: NormText) -> list[ViewLine]:
        """The lines of a view, each with its source span and line number (computed once per view)."""
        cached = self._view_lines.get(id(view))
        if cached is not None:
            return cached
        out = []
        origin, wide, starts = view.origin, view.wide, self._line_starts
        n_origin, n_source = len(origin), len(self.source.text)
        get, line_of, make = wide.get, bisect.bisect_right, ViewLine._make
        a = 0
        for t in view.text.split("\n"):  # view.line_spans, view.to_source and line_of, inlined
            b = a + len(t)
            if t:
                s, last = origin[a], origin[b - 1]
                e = get(last, last + 1)
            else:
                s = e = origin[a] if a < n_origin else n_source
            out.append(make((t, a, b, s, e, line_of(starts, s), not t.strip())))
            a = b + 1
        self._view_lines[id(view)] = out
        return out


class ViewLine(NamedTuple):
    """One line of a view (a tuple: thousands are made per document, and read-only)."""

    text: str
    start: int  # in the view
    end: int
    src_start: int
    src_end: int
    line: int  # 1-based source line
    blank: bool  # nothing but whitespace
