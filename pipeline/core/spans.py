"""The span: one finding, as every extractor returns it and the Document keeps it.

An extractor's span has offsets into the text view it read; the Document keeps the same record with
offsets into the source (``Document.add`` maps them), so numbers, names and table cells are one type.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True, init=False)
class Span:
    """One atomic finding: ``kind``, offsets ``[start, end)``, normalised ``value`` and the ``rule`` id."""

    kind: str
    start: int
    end: int
    value: str
    rule: str
    unit: str = ""
    approx: bool | None = None
    org_type: str = ""  # for organisations: university, company, ...
    bound: str = ""  # for figures: >=, >, <=, < (以上, 超/を超える, 以下, 未満)

    def __init__(self, kind: str, start: int, end: int, value: str, rule: str, unit: str = "",
                 approx: bool | None = None, org_type: str = "", bound: str = "") -> None:
        # A frozen dataclass's generated __init__ sets each field through object.__setattr__ (past its own
        # guard); a document makes about 500 spans per thousand characters, and filling the instance's
        # dict directly takes two fifths of that time. The instance stays frozen: assignment still raises.
        d = self.__dict__
        d["kind"], d["start"], d["end"], d["value"], d["rule"] = kind, start, end, value, rule
        d["unit"], d["approx"], d["org_type"], d["bound"] = unit, approx, org_type, bound

    @property
    def key(self) -> tuple[str, int, int]:
        return (self.kind, self.start, self.end)

    def at(self, start: int, end: int) -> Span:
        """The same finding at other offsets (``dataclasses.replace`` spelled out: a tenth of its time)."""
        return Span(self.kind, start, end, self.value, self.rule, self.unit, self.approx, self.org_type, self.bound)


class StaticSpans:
    """Fixed source spans, for "does any overlap / contain this span" in O(log n)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.max_end: list[int] = []
        best = -1
        for _, e in spans:
            best = max(best, e)
            self.max_end.append(best)

    def overlaps(self, start: int, end: int) -> bool:
        k = bisect.bisect_left(self.starts, end)  # spans starting before `end`
        return k > 0 and self.max_end[k - 1] > start

    def contains(self, start: int, end: int) -> bool:
        k = bisect.bisect_right(self.starts, start)  # spans starting at or before `start`
        return k > 0 and self.max_end[k - 1] >= end
