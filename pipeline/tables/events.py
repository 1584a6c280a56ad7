"""events.csv: events with a calendar date: a name followed by (date or period ・ venue).

The name stands before the bracket on the same line (after the previous bracket, if any), or alone on
the line above it (a photo caption over its date line). An event known only by its fiscal year is not a row.
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from pipeline.core.document import Document, ViewLine, canonical_text
from pipeline.core.schema import DATE, DOC, LINE, STRING, Table, column
from pipeline.tables.common import bullets, leading_bullets, line_mentions, strip_bullets, view_index

_DAY_RE = re.compile(r"日|\d[/.]\d{1,2}[/.]\d")


def build(doc: Document) -> list[dict[str, Any]]:
    """One row per event with a calendar date; its name and venue become mentions."""
    cfg = doc.rules.get("events")
    seps = cfg["venue_separators"]
    marks = bullets(doc)
    lines = doc.view_lines(doc.lines)
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    for i, ln in enumerate(lines):
        brackets = outer_brackets(ln.text)
        if not brackets:
            continue
        # The line's dates once, with where each starts in the view: a line of many brackets is then
        # read in one pass, not once per bracket.
        on_line = line_mentions(doc, ln, ("date", "period"))
        at = [view_index(doc.lines, m.start) for m in on_line]
        prev_close = -1
        above: list[ViewLine | None] = []  # the line above, looked up once per line
        for open_at, close_at in brackets:
            name_from, prev_close = prev_close + 1, close_at
            inner_start = ln.start + open_at + 1
            # Only a date that opens the bracket dates it; the first date at or after the opening is
            # the one candidate, since any later one has that date (or more) before it.
            k = bisect.bisect_left(at, inner_start)
            if k == len(at) or at[k] >= ln.start + close_at or doc.lines.text[inner_start : at[k]].strip():
                continue
            when = on_line[k]
            if not _DAY_RE.search(doc.source.text[when.start : when.end]):
                continue  # known only to the month or the fiscal year: not a dated event
            start_date, end_date = _day_range(when.value)
            if start_date is None:
                continue  # an event needs a calendar day
            after = doc.lines.text[view_index(doc.lines, when.end) : ln.start + close_at]
            venue = canonical_text(after.strip().lstrip(seps).strip())
            # The name is what stands between the previous bracket on the line (or its start) and
            # this one, else the line above.
            name_s, name_e = ln.start + name_from, ln.start + open_at
            if not strip_bullets(doc.lines.text[name_s:name_e], marks):
                if not above:
                    above.append(_previous_nonblank(lines, i))
                prev = above[0]
                if prev is None:
                    continue
                name_s, name_e = prev.start, prev.end
            raw = doc.lines.text[name_s:name_e]
            lead = leading_bullets(raw, marks)
            name_s += lead
            name_e = name_s + len(raw[lead:].rstrip())
            name = canonical_text(doc.lines.text[name_s:name_e])
            if not name or name in seen:
                continue
            seen.add(name)
            doc.add_span(doc.lines, name_s, name_e, "event", name, "event.dated")
            if venue:
                v_start = view_index(doc.lines, when.end) + (len(after) - len(after.lstrip().lstrip(seps).lstrip()))
                doc.add_span(doc.lines, v_start, v_start + len(after.strip().lstrip(seps).strip()), "place", venue,
                             "event.dated")
            rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                         "line": lines[i].line if name_s >= ln.start else doc.line_of(doc.lines.origin[name_s])})
    return rows


def _previous_nonblank(lines: list[ViewLine], i: int) -> ViewLine | None:
    return next((lines[j] for j in range(i - 1, -1, -1) if not lines[j].blank), None)


def outer_brackets(text: str) -> list[tuple[int, int]]:
    """(open, close) positions of the outermost bracket pairs; inner ones (the weekday in
    ``6月20日(土)``) stay inside."""
    pairs: list[tuple[int, int]] = []
    if "(" not in text:
        return pairs
    depth, opened = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                opened = i
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                pairs.append((opened, i))
    return pairs


def _day_range(value: str) -> tuple[str | None, str | None]:
    """(start, end) ISO days of a date or period value known to the day."""
    if "/" in value:
        a, b = value.split("/", 1)
        if len(a) == 10:
            return a, (b if len(b) == 10 else None)
        return None, None
    if len(value) == 10:
        return value, value
    return None, None


TABLE = Table(
    "events",
    "One row per dated event.",
    (
        DOC,
        column("name", STRING, "Event name.", True),
        column("start_date", DATE, "First day."),
        column("end_date", DATE, "Last day (the start date for a one-day event)."),
        column("venue", STRING, "Venue as printed."),
        LINE,
    ),
    ("name",),
    builder=build,
    rules_file="events",
    rule_keys={"venue_separators": str},
    rule_ids=("event.dated",),
    renames=("start_date",),
)
