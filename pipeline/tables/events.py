"""events.csv: events with a calendar date, in the three ways brochures print them.

- A name followed by (date or period ・ venue): the name stands before the bracket on the same line
  (after the previous bracket, if any), or alone on the line above it (a photo caption over its date
  line) (``event.dated``).
- A name on its own line over labelled lines: 日時:date, 会場:venue (``event.labelled``).
- A sentence that holds an event's name, its date and a venue before a verb of holding it:
  第10回…会議を平成23年6月25日に国立京都国際会館で開催した (``event.sentence``).
- A list line of name, date and venue set apart by spaces, the name ending in an event word
  (``event.listed``).
- A table whose header names a date column and a name column (開催日　イベント名　会場): a row per event
  (``event.table``).

The labels, verbs and name endings are in ``rules/events.yaml``. An event known only by its month or
fiscal year is not a row.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from operator import itemgetter
from typing import Any

from pipeline.core.document import Document, ViewLine, canonical_text, display_text
from pipeline.core.normtext import NormText, nfkc
from pipeline.core.schema import DATE, DOC, LINE, STRING, Table, column
from pipeline.core.source import Cell
from pipeline.core.spans import Span
from pipeline.extractors.common import kana_place_front
from pipeline.extractors.events import end_guard, has_event_word
from pipeline.tables.common import (
    DETAIL_OPENING,
    ENUMERATOR,
    Figures,
    bullets,
    item_lead,
    kana_place_words,
    leading_bullets,
    lines_holding,
    strip_bullets,
    view_index,
    view_text,
    words_re,
)
from pipeline.tables.spaced import spaced_tables
from pipeline.text.tokens import token_offsets

# A date written to its day (the source's: Ｒ６．１０．１７, or a month and day ４/２５ under a year); a value
# known only to the month is no day either way (_day_range).
_DAY_RE = re.compile(r"日|\d[/.／．]\d{1,2}[/.／．]\d|\d[/／]\d")
_OPEN_RE = re.compile(r"\(")


def build(doc: Document) -> list[dict[str, Any]]:
    """One row per event with a calendar date; its name and venue become mentions."""
    cfg = doc.rules.get("events")
    seps = cfg["venue_separators"]
    marks = bullets(doc)
    lines = doc.view_lines(doc.lines)
    dated = Figures(doc, ("date", "period"))  # the builder adds events and places, never dates
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    # Read in the flow view: a bracket of date and venue the margin broke (…（令和７年９月３日、岡山コ /
    # ンベンションセンター）) is one line there.
    view = doc.flow
    flow_lines = doc.view_lines(view)
    for i in lines_holding(view.text, _OPEN_RE):  # a line without a bracket has no (date ・ venue)
        ln = flow_lines[i]
        brackets = outer_brackets(ln.text)
        if not brackets:
            continue
        # The line's dates once, with where each starts in the view: a line of many brackets is then
        # read in one pass, not once per bracket.
        on_line = dated.on(ln)
        at = [view_index(view, m.start) for m in on_line]
        prev_close = -1
        above: list[ViewLine | None] = []  # the line above, looked up once per line
        for open_at, close_at in brackets:
            name_from, prev_close = prev_close + 1, close_at
            inner_start = ln.start + open_at + 1
            # Only a date that opens the bracket dates it; the first date at or after the opening is
            # the one candidate, since any later one has that date (or more) before it.
            k = bisect.bisect_left(at, inner_start)
            if k == len(at) or at[k] >= ln.start + close_at or view.text[inner_start : at[k]].strip():
                continue
            when = on_line[k]
            if not _DAY_RE.search(doc.source.text[when.start : when.end]):
                continue  # known only to the month or the fiscal year: not a dated event
            start_date, end_date = _day_range(when.value)
            if start_date is None:
                continue  # an event needs a calendar day
            after = view.text[view_index(view, when.end) : ln.start + close_at]
            venue_text = after.strip().lstrip(seps).strip()
            clock = _TIME_LEAD.match(venue_text)  # 13:00~17:30・東京国際フォーラム: the hours are no venue
            if clock is not None:
                venue_text = venue_text[clock.end() :].strip().lstrip(seps).strip()
            venue_text = _VENUE_LEAD.sub("", venue_text)  # 於 仙台国際センター
            labelled = _label(venue_text, cfg["venue_labels"], cfg["label_separators"])
            if labelled is not None:  # (令和７年２月１４日、会場：福岡国際会議場): the label is no part of it
                venue_text = venue_text[labelled:]
            v_end = view_index(view, when.end) + len(after.rstrip())
            venue_text = _without_count_tail(doc, view, venue_text, v_end, seps)
            venue = display_text(venue_text)
            # The name is what stands between the previous bracket on the line (or its start) and
            # this one, else the line above.
            name_s, name_e = ln.start + name_from, ln.start + open_at
            if not strip_bullets(view.text[name_s:name_e], marks):
                if not above:
                    above.append(_previous_nonblank(flow_lines, i))
                prev = above[0]
                if prev is None:
                    continue
                name_s, name_e = prev.start, prev.end
            raw = view.text[name_s:name_e]
            lead = item_lead(doc, name_s, raw, marks, view)
            lead += label_front(raw[lead:], cfg)  # 【開催報告】九州半導体フォーラム: a label, no part of the name
            month = _MONTH_COLUMN.match(raw, lead)  # ６月　　総会開催（…）: the month's column, no part of it
            if month is not None and month.end() < len(raw.rstrip()):
                lead = month.end()
            name_s += lead
            name_e = name_s + len(raw[lead:].rstrip())
            name_e = _before_reference(view.text, name_s, name_e)  # …セミナー※2（…）: the note's mark
            a, b = _without_doing(view.text[name_s:name_e], cfg)  # 「…フェア2024」に出展, 総会開催
            name_s, name_e = name_s + a, name_s + b
            name = display_text(view.text[name_s:name_e])
            if not name or name in seen:
                continue
            seen.add(name)
            doc.add_span(view, name_s, name_e, "event", name, "event.dated")
            if venue:
                v_s = v_end - len(after.rstrip()) + after.rstrip().rfind(venue_text) if venue_text else v_end
                doc.add_span(view, v_s, v_s + len(venue_text), "place", venue, "event.dated")
            rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                         "line": ln.line if name_s >= ln.start else doc.line_of(view.origin[name_s])})
    taken: set[int] = set()  # the dates (source starts) a name on another line took: they date no list line
    rows.extend(_table_events(doc, cfg, seen, dated, taken))
    rows.extend(_labelled(doc, cfg, lines, marks, seen, dated, taken))
    rows.extend(_inline_labelled(doc, cfg, lines, marks, seen, dated))
    rows.extend(_dated_under_heading(doc, cfg, lines, marks, seen, dated, taken))
    rows.extend(_sentences(doc, cfg, lines, seen, dated))
    rows.extend(_listed(doc, cfg, lines, marks, seen, dated, taken))
    _called_off(doc, cfg, rows)
    rows.sort(key=itemgetter("line"))  # in the order the document lists them, whichever reader found each
    return rows


_CALL_OFF_NOTE_CHARS = 8  # 開催中止, 延期（未定）: a word or two in the bracket


def _called_off(doc: Document, cfg: dict[str, Any], rows: list[dict[str, Any]]) -> None:
    """Events the document says were called off or put off (``cancel_words``: 中止, 延期): a bracket after the
    name saying so (…フォーラム２０２５（中止）) is no part of it, and each such event, or one whose sentence
    says so after its name (「…」は、中止となりました), keeps its row with an ``event_called_off`` warning."""
    words = tuple(cfg.get("cancel_words") or ())
    if not words or not any(w in doc.source.text for w in words):
        return
    events = {m.value: m for m in doc.mentions if m.kind == "event"}
    text = doc.source.text
    for row in rows:
        name, said = row["name"], ""
        note = _TAIL_BRACKET.search(name)
        if (note is not None and note.start() > 0 and len(note.group(1)) <= _CALL_OFF_NOTE_CHARS
                and (said := next((w for w in words if w in note.group(1)), ""))):
            row["name"] = name[: note.start()].rstrip()
            mention = events.get(name)
            if mention is not None:  # the name's mention ends before the bracket too
                cut = max(text.rfind("(", mention.start, mention.end), text.rfind("（", mention.start, mention.end))
                if cut > mention.start:
                    end = len(text[:cut].rstrip())
                    doc.replace_mentions([Span(m.kind, m.start, end, row["name"], m.rule) if m is mention else m
                                          for m in doc.mentions])
        elif (mention := events.get(name)) is not None:
            stop = text.find("。", mention.end)
            after = text[mention.end : stop if stop >= 0 else min(len(text), mention.end + 40)]
            said = next((w for w in words if w in after and "\n\n" not in after[: after.find(w)]), "")
        if said:
            doc.warn(row["line"], "event_called_off", f"{row['name']}: {said}, the document says (the row keeps its "
                     "planned date and venue)")


def _table_events(doc: Document, cfg: dict[str, Any], seen: set[str], dated: Figures,
                  taken: set[int]) -> list[dict[str, Any]]:
    """Events of a table whose header names a date column and a name column (開催日　イベント名　会場, as a
    PDF's table, a text's spaced or barred table): one row per event whose date cell holds a day; the venue
    cell bounded as a venue label's value. The dates it reads date no list line (``taken``)."""
    columns: dict[str, list[str]] = cfg.get("table_columns") or {}
    if not columns.get("date") or not columns.get("name"):
        return []
    labels = [w for words in columns.values() for w in words]
    tables = [*doc.source.ruled_tables, *spaced_tables(doc.source.text, labels, centred_groups=True)]
    by_label = {canonical_text(w): role for role, words in columns.items() for w in words}
    rows: list[dict[str, Any]] = []
    for table in tables:
        for k, head in enumerate(table.rows[:-1]):
            roles: list[str | None] = []
            for cell in head:
                role = by_label.get(canonical_text(cell.text))
                roles.append(role if role not in roles else None)
            if "date" in roles and "name" in roles:
                rows += _table_rows(doc, cfg, table.rows[k + 1 :], roles, seen, dated, taken)
                break
    return rows


def _table_rows(doc: Document, cfg: dict[str, Any], body: tuple[tuple[Cell, ...], ...], roles: list[str | None],
                seen: set[str], dated: Figures, taken: set[int]) -> list[dict[str, Any]]:
    out = []
    above: list[Span] = []  # the last row's day: a blank date cell under it is the same day (a merged cell)
    text = doc.source.text
    for cells in body:
        if cells and len(cells) < len(roles) and text[text.rfind("\n", 0, cells[0].start) + 1 : cells[0].start].strip(
                " \t\u3000") == "" and cells[0].start > text.rfind("\n", 0, cells[0].start) + 1:
            # \t食品加工ワークショップ\t…: the row opens with blank cells (its date merged with the row above)
            cells = (*(Cell("", cells[0].start, cells[0].start) for _ in range(len(roles) - len(cells))), *cells)
        if len(cells) != len(roles):
            continue  # (a wrapped line or a row of another shape: read by the list readers, if at all)
        cell = {role: c for role, c in zip(roles, cells, strict=True) if role}
        days = [m for m in dated.within(cell["date"].start, cell["date"].end)
                if _DAY_RE.search(doc.source.text[m.start : m.end])]
        if not days and not cell["date"].text.strip():
            days = above
        above = days
        if not days:
            continue
        start_date, end_date = _day_range(days[0].value)
        if start_date is None:
            continue
        raw = cell["name"].text
        a = len(raw) - len(raw.lstrip())
        b = len(raw.rstrip())
        if (ref := _REFERENCE_END.search(raw, a, b)) is not None and ref.start() > a:
            b = ref.start()  # …フェア※1: the note's reference mark is no part of the name
        if (quoted := _WHOLE_QUOTE.fullmatch(raw, a, b)) is not None:
            a, b = quoted.start(1), quoted.end(1)
        name = display_text(raw[a:b])
        if not name or name in seen or not (whole_name(name, cfg) or has_event_word(name, cfg)):
            continue  # (公募説明, 地域産業の発展: a row of the schedule that names no event)
        seen.add(name)
        taken.update(m.start for m in days)
        n_s, n_e = _cell_source(cell["name"], a, b)
        doc.add_source_span(n_s, n_e, "event", name, "event.table")
        venue = ""
        if "venue" in cell and (v_raw := cell["venue"].text).strip():
            v_a = len(v_raw) - len(v_raw.lstrip())
            body_text = v_raw.strip()
            norm = nfkc(body_text)
            x, y = _venue_bounds(norm, cfg) if len(norm) == len(body_text) else (0, len(body_text))
            venue = display_text(body_text[x:y])
            if venue:
                v_s, v_e = _cell_source(cell["venue"], v_a + x, v_a + y)
                doc.add_source_span(v_s, v_e, "place", venue, "event.table")
        out.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                    "line": doc.line_of(n_s)})
    return out


def _cell_source(cell: Cell, a: int, b: int) -> tuple[int, int]:
    """The source span of ``cell.text[a:b]``."""
    if cell.offsets:
        return cell.offsets[a], cell.offsets[b - 1] + 1
    return cell.start + a, cell.start + b


def _listed(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], marks: str,
            seen: set[str], dated: Figures | None = None, taken: set[int] | None = None) -> list[dict[str, Any]]:
    """A list line of name, date and venue set apart by spaces:
    ●クラスターフォーラム2010 平成22年2月3日 東京国際フォーラム. A date that ``taken`` holds dates the event
    named on the line above (…フォーラム2012 / 平成24年11月21日(水) 東京国際フォーラム(東京都千代田区)): its
    line names a venue, not an event."""
    if not cfg.get("suffixes"):
        return []
    rows = []
    dated = dated or Figures(doc, ("date", "period"))
    starts, bisect_left = dated.starts, bisect.bisect_left
    if not starts:
        return rows
    last = starts[-1]
    merged: tuple[int, Span] | None = None  # (line index, date) of the last row read that opened with its date
    alone: dict[int, Span] = {}  # lines that are a date alone (a table's date cell merged over the rows around)
    for idx, ln in enumerate(lines):
        if ln.blank or "。" in ln.text or ln.src_start > last and (merged is None or merged[0] != idx - 1):
            continue
        if ln.src_start > last or starts[bisect_left(starts, ln.src_start)] >= ln.src_end:
            # No date starts on the line (starts_on inlined: most lines pass here). Right under a row that
            # opened with its date, a row opening with a blank cell (a table's date cell merged over its
            # rows, or left blank for the same day) is another event of that day.
            if merged is not None and merged[0] == idx - 1 and ln.text[:1].isspace():
                row = _date_first(doc, cfg, ln, merged[1], ln.start, ln.text, seen)
                if row is not None:
                    rows.append(row)
                    merged = (idx, merged[1])
            continue
        when = _day_mention(doc, ln, ln.start, dated=dated)
        if when is None or taken and when.start in taken:
            continue
        w_s, w_e = view_index(doc.lines, when.start), view_index(doc.lines, when.end)
        lead = item_lead(doc, ln.start, ln.text, marks)
        lead += label_front(doc.lines.text[ln.start + lead : w_s], cfg)  # ・【終了】…フォーラム: a label
        before = doc.lines.text[ln.start + lead : w_s]
        after = doc.lines.text[w_e : ln.end]
        clock = _TIME_AFTER.match(after)  # …２月１３日（木）１４：００～　会場: the hours are no venue
        if clock is not None and after[clock.end() :].strip() and after[clock.end() : clock.end() + 1].isspace():
            w_e, after = w_e + clock.end(), after[clock.end() :]
        if not before.strip() and after.strip() and (after.lstrip() != after or after.startswith(("「", "『"))):
            below = lines[idx + 1] if idx + 1 < len(lines) and not lines[idx + 1].blank else None
            row = _date_first(doc, cfg, ln, when, w_e, after, seen, below)  # (a name in quotes may follow the date)
            if row is not None:
                rows.append(row)
                merged = (idx, when)
            continue
        if not before.strip() and not after.strip():
            row = _name_under_date(doc, cfg, lines, idx, when, marks, dated, seen)
            if row is not None:
                rows.append(row)
            else:
                alone[idx] = when
            continue
        if before.strip() and _TIME_TAIL.fullmatch(after) and before.rstrip() != before:
            row = _date_last(doc, cfg, ln, lead, before, when, seen)
            if row is not None:
                rows.append(row)
            continue
        if not before.strip() or before.rstrip() == before or not after.strip() or after.lstrip() == after:
            continue  # name, date and venue each stand apart
        venue_text = after.strip()
        at_mark = _VENUE_LEAD.match(venue_text)  # @東京国際フォーラム
        skip = at_mark.end() if at_mark is not None else 0
        venue_text = venue_text[skip:]
        # 宇都宮市・ライトキューブ宇都宮, …（宇都宮市中央1-1）: a city joined to it, an address after it: no part of it
        a, b = _venue_bounds(venue_text, cfg)
        skip, venue_text = skip + a, venue_text[a:b]
        name_s, name_e = ln.start + lead, ln.start + lead + len(before.rstrip())
        if (quoted := _WHOLE_QUOTE.fullmatch(before.strip())) is not None:  # 「…フォーラム2010」: not the quotes
            name_s, name_e, before = name_s + quoted.start(1), name_s + quoted.end(1), quoted.group(1)
        if (tail := _tail_chars(before.rstrip(), cfg)) and quoted is None:  # 産業交流展2024出展: the show
            before = before.rstrip()[:-tail]
            name_e -= tail
        ordinal_only = re.fullmatch(cfg["ordinal_pattern"], display_text(before)) is not None
        series = _series_name(doc, cfg, lines, idx, marks) if ordinal_only else None
        # CEATEC 2024: a Latin title and its year, between a list line's gaps before its date and venue
        titled = bool(cfg.get("latin_title_pattern")) and re.fullmatch(
            cfg["latin_title_pattern"], display_text(before)) is not None
        if series is None and not titled and not whole_name(before.strip(), cfg) or len(venue_text) > int(
                cfg.get("max_venue_chars", 30)):
            continue
        name = display_text(before) + (series or "")
        if not name or name in seen:
            continue
        v_s = w_e + len(after) - len(after.lstrip()) + skip
        venue = display_text(venue_text)
        start_date, end_date = _day_range(when.value)
        seen.add(name)
        doc.add_span(doc.lines, name_s, name_e, "event", name, "event.listed")
        doc.add_span(doc.lines, v_s, v_s + len(venue_text), "place", venue, "event.listed")
        rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                     "line": ln.line})
    if alone:
        rows.extend(_centred_dates(doc, cfg, lines, alone, dated, seen))
    return rows


def _name_under_date(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], idx: int, when: Span, marks: str,
                     dated: Figures, seen: set[str]) -> dict[str, Any] | None:
    """An event under a line that is its date alone (■令和６年１０月３日（木）～４日（金） / 地域フォーラム２０２４ /
    会場：東京国際フォーラム): the very next line is the name alone (an event word closing it, no label, no
    date), the venue is a venue-labelled line within ``label_reach`` lines under it, or the short line right
    under it when that names no event of its own (a schedule's second event of the day)."""
    if idx + 1 >= len(lines) or lines[idx + 1].blank:
        return None
    ln = lines[idx + 1]
    if "。" in ln.text or _is_label_line(ln.text, marks, cfg) or dated.on(ln):
        return None
    lead = item_lead(doc, ln.start, ln.text, marks)
    lead += label_front(ln.text[lead:], cfg)
    a, b = _heading_body(ln.text[lead:].rstrip(), cfg)
    name_s, name_e = ln.start + lead + a, ln.start + lead + b
    name_text = doc.lines.text[name_s:name_e]
    if (quoted := _WHOLE_QUOTE.fullmatch(name_text)) is not None:
        name_s, name_e, name_text = name_s + quoted.start(1), name_s + quoted.end(1), quoted.group(1)
    name = display_text(name_text)
    if not name or name in seen or not whole_name(name_text.strip(), cfg):
        return None
    venue_at = _venue_below(doc, cfg, lines, idx + 1, marks, dated)
    venue_text, v_s = "", 0
    if venue_at is not None:
        v_line, v_from = venue_at
        body = v_line.text[v_from:]
        if whole_name(body.strip(), cfg) and _label(v_line.text[leading_bullets(v_line.text, marks):],
                                                    cfg["venue_labels"], cfg["label_separators"]) is None:
            return None  # the day's second event, not a venue
        v_s = v_line.start + v_from + len(body) - len(body.lstrip())
        x, y = _venue_bounds(body.strip(), cfg)
        venue_text, v_s = body.strip()[x:y], v_s + x
    start_date, end_date = _day_range(when.value)
    seen.add(name)
    doc.add_span(doc.lines, name_s, name_e, "event", name, "event.listed")
    if venue_text:
        doc.add_span(doc.lines, v_s, v_s + len(venue_text), "place", display_text(venue_text), "event.listed")
    return {"name": name, "start_date": start_date, "end_date": end_date, "venue": display_text(venue_text),
            "line": ln.line}


def _centred_dates(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], alone: dict[int, Span],
                   dated: Figures, seen: set[str]) -> list[dict[str, Any]]:
    """Events of a table whose date cells stand in the middle of the rows they merge over, as pdftotext prints
    them: a date alone on a line between rows that open with a blank cell (放射光計測セミナー　仙台国際センター /
    令和６年１０月９日（水） / 半導体人材育成ワークショップ　…). Each such row, in the date's block (no blank
    line between) and holding no date of its own, is an event of the nearest such date, the one above on a
    tie."""
    rows = []
    for idx in sorted({j for at in alone for j in _block_rows(lines, at)}):
        ln = lines[idx]
        if idx in alone or not ln.text[:1].isspace() or "。" in ln.text or dated.on(ln):
            continue
        near = [(abs(at - idx), at > idx, at) for at in alone
                if not any(lines[j].blank for j in range(min(at, idx), max(at, idx) + 1))]
        if not near:
            continue
        row = _date_first(doc, cfg, ln, alone[min(near)[2]], ln.start, ln.text, seen)
        if row is not None:
            rows.append(row)
    return rows


def _block_rows(lines: list[ViewLine], at: int) -> range:
    """The lines of the block (no blank line) that line ``at`` stands in."""
    lo = at
    while lo > 0 and not lines[lo - 1].blank:
        lo -= 1
    hi = at
    while hi + 1 < len(lines) and not lines[hi + 1].blank:
        hi += 1
    return range(lo, hi + 1)


# A month alone opening a line, set apart by a gap: a schedule's column (６月　　総会開催（６月１２日、…）).
_MONTH_COLUMN = re.compile(r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:[ \t\u3000]{2,}|\t)")


def _without_doing(text: str, cfg: dict[str, Any]) -> tuple[int, int]:
    """Where an event's name stands in ``text`` without what was done about it after it (総会開催, …を開催:
    ``held_verbs``; 「…フェア２０２４」に出展: ``taking_part_tails``) and without quotes around all of it."""
    a, b = 0, len(text)
    for verb in cfg.get("held_verbs") or ():
        for tail in ("を" + verb, "の" + verb, verb):
            if text.endswith(tail, a, b) and b - len(tail) > a:
                b -= len(tail)
                break
        else:
            continue
        break
    for tail in sorted(cfg.get("taking_part_tails") or (), key=len, reverse=True):
        if text.endswith(tail, a, b) and b - len(tail) > a:
            b -= len(tail)
            break
    if (quoted := _WHOLE_QUOTE.fullmatch(text, a, b)) is not None:
        a, b = quoted.start(1), quoted.end(1)
    return a, b


def _series_name(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], i: int, marks: str) -> str | None:
    """The name of the series that a list line opening with an ordinal alone (第１回　令和６年６月５日（水）
    会場) is an item of: the heading right over the series' lines (■地域連携セミナー（全３回）), an event's
    name there, a bracket counting the series' parts (（全３回）) left out; None if there is none."""
    k = i - 1
    while k >= 0 and not lines[k].blank and re.match(cfg["ordinal_pattern"], display_text(
            lines[k].text[item_lead(doc, lines[k].start, lines[k].text, marks) :])):
        k -= 1  # the series' items above this one
    if k < 0 or lines[k].blank:
        return None
    raw = lines[k].text[item_lead(doc, lines[k].start, lines[k].text, marks) :].rstrip()
    a, b = _heading_body(raw, cfg)
    name = _SERIES_NOTE.sub("", display_text(raw[a:b]))
    return name if name and whole_name(name, cfg) else None


_SERIES_NOTE = re.compile(r"\([^()]*回[^()]*\)$")  # (全3回), (連続講座・全5回) after NFKC


def _date_last(doc: Document, cfg: dict[str, Any], ln: ViewLine, lead: int, before: str, when: Span,
               seen: set[str]) -> dict[str, Any] | None:
    """A list line closing with its date: name and venue before it, set apart by spaces (成果発表会
    東京国際フォーラム　令和6年1月24日). The name ends in an event word; the venue is the last spaced part."""
    body = before.rstrip()
    origin, src = doc.lines.origin, doc.source.text
    n_s = ln.start + lead
    # A gap of two spaces or more, or one that was a tab or a full-width space in the source (a table's
    # cell boundary; NFKC made it one space).
    gaps = [g for g in re.finditer(r"\s+", body)
            if g.end() - g.start() >= 2 or src[origin[n_s + g.start()]] in "\t\u3000"]
    name_text, venue_text = (body[: gaps[-1].start()].rstrip(), body[gaps[-1].end() :]) if gaps else (body, "")
    if not gaps and " " in body:
        return None  # (the name alone before the date, 地域産学官連携サミット　平成22年3月5日, has no venue)
    name_at = 0
    if (quoted := _WHOLE_QUOTE.fullmatch(name_text)) is not None:  # 「クラスターフォーラム2010」: not the quotes
        name_at, name_text = quoted.start(1), quoted.group(1)
    name = display_text(name_text)
    if (not name or name in seen or not whole_name(name_text.strip(), cfg) or gaps and not venue_text
            or len(venue_text) > int(cfg.get("max_venue_chars", 30))):
        return None
    start_date, end_date = _day_range(when.value)
    seen.add(name)
    doc.add_span(doc.lines, n_s + name_at, n_s + name_at + len(name_text), "event", name, "event.listed")
    if venue_text:
        v_s = n_s + gaps[-1].end()
        doc.add_span(doc.lines, v_s, v_s + len(venue_text), "place", display_text(venue_text), "event.listed")
    return {"name": name, "start_date": start_date, "end_date": end_date, "venue": display_text(venue_text),
            "line": ln.line}


def _date_first(doc: Document, cfg: dict[str, Any], ln: ViewLine, when: Span, w_e: int, after: str,
                seen: set[str], below: ViewLine | None = None) -> dict[str, Any] | None:
    """A list line opening with its date: 2019年2月8日　クラスターフォーラムin仙台（仙台国際センター）, or the
    venue set apart by spaces. The name holds an event word (or opens with 第N回); the venue is the
    closing bracket, else the last spaced part."""
    body = after.strip()
    b_s = w_e + len(after) - len(after.lstrip())  # view offset of body
    body = body[: _attendance_cut(body, cfg)]  # …（名古屋市・ウインクあいち）参加者約120名: who came, no venue
    brackets = outer_brackets(body)
    alone = False  # the name alone after the date
    if brackets and brackets[-1][1] == len(body) - 1 and brackets[-1][0] > 0:
        o, c = brackets[-1]
        inner = body[o + 1 : c]
        name_text, venue_text = body[:o].rstrip(), inner.strip()
        venue_at = o + 1 + len(inner) - len(inner.lstrip())
        gap = list(re.finditer(r"\s+", name_text))
        if gap and whole_name(name_text[: gap[-1].start()], cfg) and not whole_name(name_text, cfg):
            # 成果報告会　オンライン（Zoom）: the name, then the venue with its bracket
            name_text, venue_at = name_text[: gap[-1].start()], gap[-1].end()
            venue_text = body[venue_at:]
    elif (slash := body.rfind("/")) > 0 and body[slash + 1 :].strip() and whole_name(body[:slash].rstrip(), cfg):
        # 医工連携マッチング会／山口県産業技術センター: a slash parts the name from the venue
        name_text, venue_text = body[:slash].rstrip(), body[slash + 1 :].strip()
        venue_at = slash + 1 + len(body[slash + 1 :]) - len(body[slash + 1 :].lstrip())
    else:
        gaps = list(re.finditer(r"\s+", body))
        if gaps:
            name_text, venue_at, venue_text = body[: gaps[-1].start()], gaps[-1].end(), body[gaps[-1].end() :]
        elif whole_name(body, cfg):  # ６月２０日（木）　技術セミナー: the name alone, no venue
            name_text, venue_at, venue_text = body, len(body), ""
            alone = True
        else:
            return None
    at_mark = _VENUE_LEAD.match(venue_text)  # @東京国際フォーラム
    if at_mark is not None:
        venue_at, venue_text = venue_at + at_mark.end(), venue_text[at_mark.end() :]
    if (labelled := _label(venue_text, cfg["venue_labels"], cfg["label_separators"])) is not None:
        venue_at, venue_text = venue_at + labelled, venue_text[labelled:]  # （会場：福岡国際会議場）
    if venue_text:  # ＡＥＲ（仙台市青葉区）: the address in brackets after the venue is no part of it
        a, b = _venue_bounds(venue_text, cfg)
        venue_at, venue_text = venue_at + a, venue_text[a:b]
    if _is_label_line(name_text, "", cfg):
        return None  # 会場：東京国際フォーラム（東京都千代田区）: a venue's line, no event's
    name_at = label_front(name_text, cfg)  # ［予告］…セミナー: a label, no part of the name
    name_text = name_text[name_at:]
    if (quoted := _WHOLE_QUOTE.fullmatch(name_text)) is not None:  # 「イノベーション・ジャパン2017」: not the quotes
        name_at, name_text = name_at + quoted.start(1), quoted.group(1)
    elif (quoted := _quote_held_re(tuple(cfg.get("held_verbs") or ())).fullmatch(name_text)) is not None:
        name_at, name_text = name_at + quoted.start(1), quoted.group(1)  # 「…フェア2019」を開催: the quotes' name
    name_text = name_text[: len(name_text) - _tail_chars(name_text, cfg)]  # 産業交流展2024出展: the show
    name = display_text(name_text)
    if (not name or name in seen or not (venue_text or alone) or len(name) > int(cfg.get("max_name_chars", 60))
            or len(venue_text) > int(cfg.get("max_venue_chars", 30))):
        return None
    if not has_event_word(name, cfg) and not re.match(cfg["ordinal_pattern"], name) and not (
            cfg.get("latin_title_pattern") and re.fullmatch(cfg["latin_title_pattern"], name)):
        return None  # 公募開始　令和5年4月1日… is no event (nano tech 2025, a Latin title and its year, is one)
    start_date, end_date = _day_range(when.value)
    seen.add(name)
    doc.add_span(doc.lines, b_s + name_at, b_s + name_at + len(name_text), "event", name, "event.listed")
    if venue_text:
        doc.add_span(doc.lines, b_s + venue_at, b_s + venue_at + len(venue_text), "place", display_text(venue_text),
                     "event.listed")
    elif alone and below is not None and (labelled := _labelled_venue(below, cfg)) is not None:
        # 2024年6月12日（水）　…技術交流会 over 会場：札幌コンベンションセンター: the venue labelled right under it
        v_s, venue_text = labelled
        doc.add_span(doc.lines, v_s, v_s + len(venue_text), "place", display_text(venue_text), "event.listed")
    return {"name": name, "start_date": start_date, "end_date": end_date, "venue": display_text(venue_text),
            "line": ln.line}


def _without_count_tail(doc: Document, view: NormText, venue_text: str, v_end: int, seps: str) -> str:
    """``venue_text`` (ending at view offset ``v_end``) without what follows it after a separator and counts who
    came (…福岡国際会議場、参加者約６００名): a part holding a count mention is no part of the venue."""
    if not venue_text or not any(c in venue_text for c in seps):
        return venue_text
    v_start = v_end - len(venue_text)
    src_s, src_e = view.to_source(v_start, v_end)
    counts = doc.mentions_in(src_s, src_e, ("count",))
    if not counts:
        return venue_text
    first = view_index(view, counts[0].start) - v_start
    cut = max(venue_text.rfind(c, 0, first) for c in seps)
    return venue_text[:cut].rstrip() if cut > 0 else venue_text


def _labelled_venue(ln: ViewLine, cfg: dict[str, Any]) -> tuple[int, str] | None:
    """The venue a line gives after a venue label opening it (会場：…, past its indent), bounded as a venue
    label's value: (view offset, text), or None."""
    lead = len(ln.text) - len(ln.text.lstrip())
    at = _label(ln.text[lead:], cfg["venue_labels"], cfg["label_separators"])
    if at is None:
        return None
    body = ln.text[lead + at :].rstrip()
    a, b = _venue_bounds(body, cfg)
    return (ln.start + lead + at + a, body[a:b]) if body[a:b] else None


def _tail_chars(name: str, cfg: dict[str, Any]) -> int:
    """How many characters close an event's name as words of taking part in it (…展2024出展, …フェアに参加:
    ``taking_part_tails``), when an event's name is left before them; else 0."""
    for tail in sorted(cfg.get("taking_part_tails") or (), key=len, reverse=True):
        if name.endswith(tail) and whole_name(name[: -len(tail)].rstrip(), cfg):
            return len(name) - len(name[: -len(tail)].rstrip())
    return 0


# A name in quotes and nothing else: the quotes are no part of it.
_WHOLE_QUOTE = re.compile(r"[「『]([^「」『』]+)[」』]")


@functools.lru_cache(maxsize=8)
def _quote_held_re(verbs: tuple[str, ...]) -> re.Pattern[str]:
    """A name in quotes, then a verb of holding (「…フェア２０１９」を開催, …」開催): the name is the quotes'."""
    held = "|".join(map(re.escape, verbs)) or "(?!)"
    return re.compile(rf"[「『]([^「」『』]+)[」』]\s*を?\s*(?:{held})\S{{0,4}}")


def _label(text: str, labels: list[str], seps: str) -> int | None:
    """Where the value after a leading label (日時:, 会場 ) starts in ``text``, or None: the first of
    ``labels`` that opens ``text`` followed by a separator, the separators after it skipped."""
    m = _label_re(tuple(labels), seps).match(text)
    return m.end() if m else None


def _spaced(labels: tuple[str, ...]) -> str:
    """``labels`` as regex alternatives, each allowing one space between its characters: a flyer spaces
    its labels out to one width (日　時, と　き, 会　場; a full-width space is a space after NFKC)."""
    return "|".join(" ?".join(map(re.escape, w)) for w in sorted(labels, key=len, reverse=True))


@functools.lru_cache(maxsize=32)
def _spaced_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(_spaced(labels)) if labels else re.compile("(?!)")


@functools.lru_cache(maxsize=32)
def _label_re(labels: tuple[str, ...], seps: str) -> re.Pattern[str]:
    """A label followed by a separator (日時:), or a label in brackets (【開催日】, [会場]), then any
    separators."""
    if not labels:
        return re.compile("(?!)")
    words = _spaced(labels)
    sep = "[" + "".join(map(re.escape, seps)) + "]*" if seps else ""
    plain = f"(?:{words})(?=[{''.join(map(re.escape, seps))}])" if seps else "(?!)"
    return re.compile(f"(?:{plain}|[【\\[〔<〈](?:{words})[】\\]〕>〉]){sep}")


def _day_mentions(doc: Document, ln: ViewLine, dated: Figures | None = None,
                  view: NormText | None = None) -> tuple[list[int], list[Span]]:
    """The dates and periods known to the day on ``ln`` (a line of ``view``, the line view unless given),
    with the view index each starts at (sorted). ``dated``: the document's dates and periods, when the
    caller has them."""
    found = [m for m in (dated or Figures(doc, ("date", "period"))).on(ln)
             if _day_range(m.value)[0] is not None and _DAY_RE.search(doc.source.text[m.start : m.end])]
    return [view_index(view or doc.lines, m.start) for m in found], found


def _day_mention(doc: Document, ln: ViewLine, from_view: int,
                 on_line: tuple[list[int], list[Span]] | None = None, dated: Figures | None = None) -> Span | None:
    """The first date or period known to the day that starts on ``ln`` at or after view index ``from_view``."""
    at, found = on_line or _day_mentions(doc, ln, dated)
    k = bisect.bisect_left(at, from_view)
    return found[k] if k < len(found) else None


def _labelled(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], marks: str,
              seen: set[str], dated: Figures | None = None, taken: set[int] | None = None) -> list[dict[str, Any]]:
    """日時:date under a name line, with 会場:venue near it: one row per such block."""
    date_labels, venue_labels, seps = cfg["date_labels"], cfg["venue_labels"], cfg["label_separators"]
    weak_labels = cfg.get("weak_date_labels") or []
    reach = int(cfg.get("label_reach", 3))
    rows = []
    dated = dated or Figures(doc, ("date", "period"))
    # Only a line holding a date label can open with one: the others are not looked at.
    for i in lines_holding(view_text(doc, lines), _spaced_re(tuple([*date_labels, *weak_labels, *venue_labels]))):
        ln = lines[i]
        if ln.blank:
            continue
        lead = item_lead(doc, ln.start, ln.text, marks)  # (past a list number too: １．開催日時：)
        # 日時／場所：…: one label for the date and the venue, the venue after the date
        combined = _combined_label_re(tuple(date_labels), tuple(venue_labels), seps).match(ln.text, lead)
        at = combined.end() - lead if combined is not None else _label(ln.text[lead:], date_labels, seps)
        weak = at is None and weak_labels and (at := _label(ln.text[lead:], weak_labels, seps)) is not None
        venue_first = None  # 会場：富山県民会館　令和７年１月２２日（水）: the venue's label, the date after it
        if at is None and (v_at := _label(ln.text[lead:], venue_labels, seps)) is not None:
            when = _day_mention(doc, ln, ln.start + lead + v_at, dated=dated)
            d_at = view_index(doc.lines, when.start) - ln.start if when is not None else 0
            v_text = ln.text[lead + v_at : d_at]
            if when is None or not v_text.strip() or not _GAP_END.search(v_text):
                continue  # (a venue's line with no date after a gap: the date label's line reads it)
            v_s = ln.start + lead + v_at
            a, b = _venue_bounds(v_text.rstrip(), cfg)
            venue_first = (v_s + a, v_s + b)
        elif at is None:
            continue
        else:
            when = _day_mention(doc, ln, ln.start + lead + at, dated=dated)
        if when is None:
            continue
        # The nearest non-blank lines around it (not every line above it: that made many labels quadratic).
        near = list(itertools.islice((j for j in range(i - 1, -1, -1) if not lines[j].blank), reach + 1))
        near_after = list(itertools.islice((j for j in range(i + 1, len(lines)) if not lines[j].blank), reach))
        # A line labelled as the name (名称:, 【イベント名】) above or below, else the nearest unlabelled
        # line above.
        name_labels = cfg.get("name_labels") or []
        block = [*itertools.takewhile(lambda j: not lines[j].blank, range(i - 1, max(-1, i - reach - 2), -1)),
                 *itertools.takewhile(lambda j: not lines[j].blank, range(i + 1, min(len(lines), i + reach + 1)))]
        named = next((lines[j] for j in block  # the block's own name line: no blank line between
                      if _label(lines[j].text[leading_bullets(lines[j].text, marks):], name_labels, seps) is not None),
                     None)
        # A named line, else the nearest unlabelled line above; past a sentence there (a press release's lead,
        # 標記フォーラムを開催します。) to the title over it.
        skip = set(cfg.get("not_name_lines") or ())  # 記 over 1．日時：…: a press release's word, no name
        candidates = [named] if named is not None else [lines[j] for j in near
                                                        if not _is_label_line(lines[j].text, marks, cfg)
                                                        and not _detail_line(lines[j].text, cfg)
                                                        and lines[j].text.strip() not in skip]
        if named is None and candidates and any(_detail_line(lines[j].text, cfg) for j in near
                                                if lines[j].start > candidates[0].start):
            # 企業：約４５社 between the labels and the line above: that line names what those details are of (a
            # project), an event only if it says so (an event word)
            candidates = [c for c in candidates[:1] if has_event_word(c.text, cfg)]
        found = None
        for name_line in candidates:
            found = _name_on(doc, cfg, name_line, named is not None, marks, name_labels, seps)
            if found is not None or "。" not in name_line.text:
                break
        if found is None:
            continue
        name_s, name_e = found
        name = display_text(doc.lines.text[name_s:name_e])
        if name in seen or len(name) > int(cfg.get("max_name_chars", 60)):
            continue
        if weak and not has_event_word(name, cfg):
            continue  # 期間：… under a name holding no event word: a programme's or a call's period
        venue, v_span = "", None
        if venue_first is not None and venue_first[1] > venue_first[0]:
            venue, v_span = display_text(doc.lines.text[venue_first[0] : venue_first[1]]), venue_first
        for j in [k for k in near if lines[k].start > name_line.start] + near_after if v_span is None else []:
            vl = lines[j]
            v_lead = item_lead(doc, vl.start, vl.text, marks)
            v_at = _label(vl.text[v_lead:], venue_labels, seps)
            if v_at is not None:
                v_s = vl.start + v_lead + v_at
                v_e = vl.start + len(vl.text.rstrip())
                a, b = _venue_bounds(doc.lines.text[v_s:v_e], cfg)
                v_s, v_e = v_s + a, v_s + b
                venue, v_span = display_text(doc.lines.text[v_s:v_e]), (v_s, v_e)
                break
        if v_span is None and combined is not None:
            # 日時／場所：2004年6月18日(金) 18:00-20:30／東京国際フォーラム: the venue after the date and a slash
            v_s = view_index(doc.lines, when.end)
            tail = doc.lines.text[v_s : ln.start + len(ln.text.rstrip())]
            if (after := _AFTER_DATE_SLASH.match(tail)) is not None and after.end() < len(tail):
                a, b = _venue_bounds(tail[after.end() :], cfg)
                v_s, v_e = v_s + after.end() + a, v_s + after.end() + b
                if v_e > v_s:
                    venue, v_span = display_text(doc.lines.text[v_s:v_e]), (v_s, v_e)
        start_date, end_date = _day_range(when.value)
        seen.add(name)
        if taken is not None:
            taken.add(when.start)
        doc.add_span(doc.lines, name_s, name_e, "event", name, "event.labelled")
        if venue and v_span is not None:
            doc.add_span(doc.lines, v_span[0], v_span[1], "place", venue, "event.labelled")
        rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                     "line": name_line.line})
    return rows


@functools.lru_cache(maxsize=8)
def _combined_label_re(date_labels: tuple[str, ...], venue_labels: tuple[str, ...], seps: str) -> re.Pattern[str]:
    """A date label and a venue label as one, a slash or a dot between them, then a separator (日時／場所：,
    日時・会場　)."""
    return re.compile(rf"(?:{_spaced(date_labels)})\s*[/・]\s*(?:{_spaced(venue_labels)})[{re.escape(seps)}]+")



def _name_on(doc: Document, cfg: dict[str, Any], name_line: ViewLine, labelled: bool, marks: str,
             name_labels: list[str], seps: str) -> tuple[int, int] | None:
    """Where the event's name stands on ``name_line`` (view offsets): the value of its name label when
    ``labelled``, else the heading's body (「九州半導体フォーラム」を開催します holds it in its quotes); None when
    nothing there names one (a sentence)."""
    raw = name_line.text
    n_lead = item_lead(doc, name_line.start, raw, marks)
    if labelled:
        n_lead = leading_bullets(raw, marks)
        n_lead += _label(raw[n_lead:], name_labels, seps) or 0
        name_s, name_e = name_line.start + n_lead, name_line.start + len(raw.rstrip())
    else:
        n_lead += label_front(raw[n_lead:], cfg)  # 【開催案内】第５回…フォーラム: a label, no part of the name
        a, b = _heading_body(raw[n_lead:].rstrip(), cfg, named_quotes=True)
        name_s, name_e = name_line.start + n_lead + a, name_line.start + n_lead + b
    name_e = _before_reference(doc.lines.text, name_s, name_e)  # ■…フェア※1: the note's reference mark
    note = _SERIES_NOTE.search(doc.lines.text[name_s:name_e].rstrip())  # …セミナー（全３回）: how many parts
    if note is not None and note.start():
        name_e = name_s + len(doc.lines.text[name_s : name_s + note.start()].rstrip())
    name = display_text(doc.lines.text[name_s:name_e])
    return None if not name or name.endswith("。") else (name_s, name_e)


_SPACES = re.compile(r"\s+")
# The end of a venue set apart from the date after it by a space (a full-width one is a space after NFKC).
_GAP_END = re.compile(r"\S\s+$")
# Hours after a date (13:00~17:30, 13時30分~17時), a weekday in brackets before them: no venue.
_CLOCK_TIME = r"(?:(?:午前|午後)?\d{1,2}(?::\d{2}|時(?:\d{1,2}分|半)?)|正午)"
_TIME_LEAD = re.compile(rf"(?:\([月火水木金土日祝・]+\))?\s*{_CLOCK_TIME}(?:\s*[~〜\-–−]\s*{_CLOCK_TIME})?")
# Hours right after a date, an open end allowed (14:00~, 13:30~17:00).
_TIME_AFTER = re.compile(rf"\s*{_CLOCK_TIME}(?:\s*[~〜\-–](?:\s*{_CLOCK_TIME})?)?")
# After a date: its weekday and hours, then the slash before the venue (… (金) 18:00 - 21:00 / 会場).
_AFTER_DATE_SLASH = re.compile(rf"(?:\s*\([月火水木金土日祝・]+\))?"
                               rf"(?:\s*{_CLOCK_TIME}(?:\s*[~〜\-–−]\s*{_CLOCK_TIME})?)?\s*/\s*")
# "At" before a venue (於 仙台国際センター, 於:…, @東京国際フォーラム): no part of its name.
def _venue_bounds(text: str, cfg: dict[str, Any]) -> tuple[int, int]:
    """Where the venue proper starts and ends in a venue label's value (view text): past a postal code and
    the address parts before the venue's name (〒980-0856 仙台市青葉区青葉山 仙台国際センター), and before an
    address or places in brackets after it (…会議室（福岡市博多区博多駅中央街1-1）). A part that ends in one of
    ``venue_facility_words`` (…市民会館) is the venue, whatever it holds."""
    facility = tuple(cfg.get("venue_facility_words") or ())
    inner = _inner_venue_re(tuple(cfg.get("venue_labels") or ())).search(text)
    if inner is not None:  # 会場とオンラインのハイブリッド開催（会場：AER 21階 情報プラザ）: the bracket names it
        return inner.start("v"), inner.start("v") + len(inner.group("v").rstrip())
    a, b = 0, len(text.rstrip())
    postal = _POSTAL.match(text)
    if postal:
        a = postal.end()
    parts = [m for m in re.finditer(r"\S+", text[:b]) if m.start() >= a]
    # A place joined to the venue by a separator (福岡市・アクロス福岡): the place is no part of it.
    seps = cfg.get("venue_separators") or ""
    joined = (re.match(rf"([^\s{re.escape(seps)}]+)[{re.escape(seps)}](?=\S)", parts[0].group())
              if parts and seps else None)
    # (ending as a place's name does: 函館市国際水産・海洋総合研究センター is one venue's name)
    if (joined and _is_address(joined.group(1)) and _PLACE_END.search(joined.group(1))
            and not joined.group(1).endswith(facility)):
        a = parts[0].start() + joined.end()
        parts[0] = re.compile(r"\S+").match(text, a)  # type: ignore[call-overload]
    while len(parts) > 1 and _is_address(parts[0].group()) and not parts[0].group().endswith(facility):
        parts.pop(0)
        a = parts[0].start()
    for mark in cfg.get("venue_note_marks") or ():  # 仙台国際センター　※オンライン併催: the note is no part of it
        note_at = text.find(mark, a, b)
        if note_at > a:
            b = len(text[:note_at].rstrip())
    online = tuple(cfg.get("online_words") or ())
    if online:  # 東京国際フォーラム／オンライン併催, …ホール（オンライン同時配信）: the place, not the stream
        note = _online_note_re(online).search(text, a, b)
        if note is not None and note.start() > a:
            b = len(text[: note.start()].rstrip())
    tail = _TAIL_BRACKET.search(text[:b])  # (the stream's note gone first: …（仙台市…）及びオンライン)
    if tail and tail.start() > a and (_ADDRESS.match(tail.group(1)) and not tail.group(1).endswith(facility)
                                      or _count_note(tail.group(1), cfg)):
        b = len(text[:tail.start()].rstrip())  # …（仙台市青葉区…）, …（参加者約６００名）: no part of the venue
    return a, b


def _attendance_cut(text: str, cfg: dict[str, Any]) -> int:
    """Where a short note after a list line's venue that counts who came starts (…（ウインクあいち）参加者約120名,
    …　来場者1,200人; after NFKC): right after the closing bracket, or at the gap or comma before it; else the
    text's end."""
    counters = tuple(cfg.get("attendance_counters") or ())
    found = _attendance_re(counters).search(text) if counters else None
    if found is None:
        return len(text)
    cut = max(text.rfind(c, 0, found.start()) for c in ")）、, \u3000\t")
    note = text[cut + 1 :].strip()
    if cut <= 0 or not note or len(note) > _ATTENDANCE_NOTE_CHARS or any(c in note for c in "()（）「」"):
        return len(text)
    return cut + 1 if text[cut] in ")）" else cut


_ATTENDANCE_NOTE_CHARS = 14  # 参加者約1,200名程度: a label, a figure and its counter


def _count_note(text: str, cfg: dict[str, Any]) -> bool:
    """Whether a bracket after a venue counts who came (参加者約600名, 来場者1,200人; after NFKC)."""
    counters = tuple(cfg.get("attendance_counters") or ())
    return bool(counters) and _attendance_re(counters).search(text) is not None


@functools.lru_cache(maxsize=8)
def _attendance_re(counters: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(r"\d[\d,]*\s*(?:" + "|".join(map(re.escape, counters)) + r")(?:程度|以上|超)?\s*$")


@functools.lru_cache(maxsize=8)
def _online_note_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A note after a venue that the event is streamed too: a separator or a bracket, then an online word."""
    return re.compile(r"\s*(?:[/・、,+＋]|及び|および|\()\s*(?:" + "|".join(map(re.escape, words)) + r")")


@functools.lru_cache(maxsize=8)
def _inner_venue_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A bracket inside a venue's value that labels the venue itself ((会場:AER 21階 情報プラザ))."""
    words = "|".join(map(re.escape, sorted(labels, key=len, reverse=True))) or "(?!)"
    return re.compile(rf"\((?:{words})\s*:\s*(?P<v>[^()]+)\)")


_POSTAL = re.compile(r"〒?\s*\d{3}-\d{4}\s*")
# An address or a place: a prefecture, then a city, ward, county, town or village, then anything
# (宮城県仙台市青葉区青葉山, 福岡市博多区博多駅中央街1-1, 札幌市).
_ADDRESS = re.compile(r"(?:\S{2,3}?[都道府県])?\S{1,6}?[市区郡町村]\S*")
_ADDRESS_MARK = re.compile(r"[都道府県市区郡\d]")
_PLACE_END = re.compile(r"[都道府県市区郡町村\d]$")


def _is_address(part: str) -> bool:
    """Whether a venue's part is an address: a prefecture, city, ward or county, or a number in it, not only a
    town's name inside a building's (大手町プレイス, the venue)."""
    return _ADDRESS.fullmatch(part) is not None and _ADDRESS_MARK.search(part) is not None
_TAIL_BRACKET = re.compile(r"\(([^()]+)\)\s*$")

_VENUE_LEAD = re.compile(r"^(?:於|@|＠)[\s:：]*")


def _inline_labelled(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], marks: str,
                     seen: set[str], dated: Figures) -> list[dict[str, Any]]:
    """A name and its labelled date and venue on one line, set apart by spaces (■産学官連携フォーラム2023
    日時:2023年11月2日(木) 会場:名古屋国際会議場): the name is what stands before the date label."""
    date_labels, venue_labels, seps = cfg["date_labels"], cfg["venue_labels"], cfg["label_separators"]
    any_label = _label_re(tuple([*date_labels, *venue_labels, *cfg.get("other_labels", []),
                                 *cfg.get("name_labels", [])]), seps)
    date_re, venue_re = _label_re(tuple(date_labels), seps), _label_re(tuple(venue_labels), seps)
    rows = []
    for i in lines_holding(view_text(doc, lines), _spaced_re(tuple(date_labels))):
        ln = lines[i]
        lead = item_lead(doc, ln.start, ln.text, marks)
        # Each label after a run of spaces: where it starts, where its value starts, and which it is.
        found = [(m.start(), lm.end(), lm) for m in _SPACES.finditer(ln.text, lead)
                 if (lm := any_label.match(ln.text, m.end())) is not None]
        first_date = next((k for k, (_, _, lm) in enumerate(found) if date_re.fullmatch(lm.group())), None)
        if first_date is None or first_date != 0:
            continue  # the name stands right before the date label, with no other label between
        name_end = found[0][0]
        name = display_text(ln.text[lead:name_end])
        if (not name or name in seen or "。" in name or len(name) > int(cfg.get("max_name_chars", 60))
                or _label(ln.text[lead:], [*date_labels, *venue_labels, *cfg.get("other_labels", [])], seps)
                is not None):
            continue
        when = _day_mention(doc, ln, ln.start + found[0][1], dated=dated)
        if when is None or (len(found) > 1 and view_index(doc.lines, when.start) >= ln.start + found[1][0]):
            continue  # the date label's own value holds no day
        venue, v_span = "", None
        for k in range(1, len(found)):
            if venue_re.fullmatch(found[k][2].group()):
                v_end = found[k + 1][0] if k + 1 < len(found) else len(ln.text.rstrip())
                v_s, v_e = ln.start + found[k][1], ln.start + v_end
                venue, v_span = display_text(doc.lines.text[v_s:v_e]), (v_s, v_e)
                break
        start_date, end_date = _day_range(when.value)
        seen.add(name)
        doc.add_span(doc.lines, ln.start + lead, ln.start + name_end, "event", name, "event.labelled")
        if venue and v_span is not None:
            doc.add_span(doc.lines, v_span[0], v_span[1], "place", venue, "event.labelled")
        rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                     "line": ln.line})
    return rows


def _dated_under_heading(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], marks: str,
                         seen: set[str], dated: Figures, taken: set[int] | None = None) -> list[dict[str, Any]]:
    """A heading holding an event word over a line that opens with the date, the venue after it (after
    於 or a venue label: ■地域産学連携フォーラム / 令和5年10月5日(木) 於:仙台国際センター) or, when the date
    line holds nothing more than weekdays and times, on the next line (会場:東京国際フォーラム, or a
    short line of its own: 東京ビッグサイト)."""
    held = sentence_patterns(cfg)
    if held is None:
        return []
    venue_lead = re.compile(r"[\s" + re.escape(cfg["venue_separators"]) + r"]*(?:於|"
                            + "|".join(map(re.escape, cfg["venue_labels"])) + r")[\s:]*")
    rows = []
    # Only a line holding an event word can be the heading; the date line is the next non-blank one.
    for h in lines_holding(view_text(doc, lines), words_re(tuple(cfg["suffixes"]))):
        i = next((j for j in range(h + 1, len(lines)) if not lines[j].blank), None)
        if i is None:
            continue
        ln = lines[i]
        lead = leading_bullets(ln.text, marks)
        when = _day_mention(doc, ln, ln.start + lead, dated=dated)
        if when is None or "。" in ln.text or view_index(doc.lines, when.start) != ln.start + lead:
            continue  # the line opens with its date
        after_at = view_index(doc.lines, when.end) - ln.start
        v = venue_lead.match(ln.text, after_at)
        if v is None:  # past weekdays and a time the event starts at (（火）午後1時から 於:東京国際フォーラム)
            timed = _TIME_TAIL.match(ln.text, after_at)
            k = timed.end() if timed is not None else after_at
            k = _FROM.match(ln.text, k).end()  # type: ignore[union-attr]
            v = venue_lead.match(ln.text, k) if k > after_at else None
            if v is not None and not re.search(r"於|:", ln.text[k : v.end()]):
                v = None  # only 於 or a label sets the venue apart after a time
        if v is not None and v.end() > after_at and ln.text[v.end() :].strip():
            venue_at: tuple[ViewLine, int] | None = (ln, v.end())
        elif _TIME_TAIL.fullmatch(ln.text, after_at):
            venue_at = _venue_below(doc, cfg, lines, i, marks, dated)
        else:  # the venue after weekdays and times, set apart by spaces or 、 (令和5年11月2日(木)、名古屋国際会議場)
            venue_at = _venue_after(ln, after_at, cfg)
            if venue_at is None:
                continue
        heading = _event_heading(doc, cfg, lines, i, held[0], dated)
        if heading is None:
            continue
        if venue_at is None and not _TIME_TAIL.fullmatch(ln.text, after_at):
            continue
        rest = ln.text[_TIME_TAIL.match(ln.text, after_at).end() :]  # type: ignore[union-attr]
        if lines[h].text[:1].isspace() and _SPACES.search(lines[h].text.strip()) and (
                _named_row(rest, cfg) or not rest.strip()):
            # a table's rows: one opening with a blank cell (its date merged above), one with its own event; or
            # a date alone between two such rows (its cell merged over both, its text set in their middle)
            continue
        name_line, (name_s, name_e) = heading
        name = display_text(doc.lines.text[name_s:name_e])
        venue_text, v_s = "", 0
        if venue_at is not None:  # (none: a date line of days and hours alone, nothing under it names a place)
            v_line, v_from = venue_at
            venue_text = v_line.text[v_from:].strip()
            v_s = v_line.start + v_from + (len(v_line.text[v_from:]) - len(v_line.text[v_from:].lstrip()))
            a, b = _venue_bounds(venue_text, cfg)
            venue_text, v_s = venue_text[a:b], v_s + a
            if not venue_text:
                continue
        if not name or name in seen:
            continue
        seen.add(name)
        if taken is not None:
            taken.add(when.start)
        start_date, end_date = _day_range(when.value)
        doc.add_span(doc.lines, name_s, name_e, "event", name, "event.labelled")
        if venue_text:
            doc.add_span(doc.lines, v_s, v_s + len(venue_text), "place", display_text(venue_text), "event.labelled")
        rows.append({"name": name, "start_date": start_date, "end_date": end_date,
                     "venue": display_text(venue_text), "line": name_line.line})
    return rows


# What may stand before a venue opening a sentence: spaces and a connective (また、).
_SENTENCE_OPENING = re.compile(r"^\s*(?:(?:また|さらに|なお|一方|加えて)[、,]\s*)?")


def _named_row(after: str, cfg: dict[str, Any]) -> bool:
    """Whether what follows a line's date is a row's name and venue set apart by a gap, the name holding an
    event word (令和6年2月15日　量子技術シンポジウム2024　つくば国際会議場)."""
    parts = after.split()
    return len(parts) >= 2 and has_event_word(parts[0], cfg)


# What may follow the date on a date line before the venue's own line: weekdays and times of day
# ((水)13時30分~17時00分, (木)~30日(金), 13:30-17:00).
# Weekdays only in brackets: a venue may open with one of their characters (金沢市…, 日本科学未来館).
_TIME_TAIL = re.compile(
    r"(?:[\s・~\-–—−:]|\d{1,4}(?:月|日|時|分)?|\([月火水木金土日祝・]+\)|半|頃|予定|午前|午後|正午)*")
_FROM = re.compile(r"(?:から|より)?")  # 午後1時から: the time the event starts at
# A label of any kind opening a line (出展:, 主催:): such a line is no venue of its own.
_ANY_LABEL = re.compile(r"[^\s:]{1,8}:")


def _venue_after(ln: ViewLine, at: int, cfg: dict[str, Any]) -> tuple[ViewLine, int] | None:
    """The venue standing after the date on its line (from ``at``), past weekdays and times and a space
    or a separator: a short text holding no sentence word (``venue_not_words``: から, ます…), else None."""
    tail = _TIME_TAIL.match(ln.text, at)
    k = tail.end() if tail is not None else at
    while k > at and (ln.text[k - 1].isspace() or ln.text[k - 1] in cfg["venue_separators"]):
        k -= 1  # the weekdays and times end before the gap that sets the venue apart
    gap = re.compile(r"[\s" + re.escape(cfg["venue_separators"]) + r"]+").match(ln.text, k)
    if gap is None:
        return None  # the text goes on with no break: not a venue of its own (令和5年12月1日から…)
    body = ln.text[gap.end() :].strip()
    if (not body or len(body) > int(cfg.get("max_venue_chars", 30)) or "。" in body or _ANY_LABEL.match(body)
            or any(w in body for w in cfg.get("venue_not_words") or ())):
        return None
    return ln, gap.end()


def _venue_below(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], i: int, marks: str,
                 dated: Figures) -> tuple[ViewLine, int] | None:
    """The venue under the date line ``i``: a venue-labelled line (or one opening with 於) among the next
    ``label_reach`` non-blank lines, else the very next line when it is short and reads as a place of its own (no
    sentence, no label, no figure)."""
    reach = int(cfg.get("label_reach", 3))
    below = list(itertools.islice((j for j in range(i + 1, len(lines)) if not lines[j].blank), reach))
    for j in below:
        vl = lines[j]
        v_lead = leading_bullets(vl.text, marks)
        v_at = _label(vl.text[v_lead:], cfg["venue_labels"], cfg["label_separators"])
        if v_at is None and (at := _VENUE_LEAD.match(vl.text[v_lead:])) is not None and at.end():
            v_at = at.end()  # 於：アクロス福岡 on a line of its own
        if v_at is not None:
            return vl, v_lead + v_at
    if not below or below[0] != i + 1:
        return None  # a blank line between: the next paragraph, not the date's venue
    vl = lines[below[0]]
    v_lead = leading_bullets(vl.text, marks)
    body = vl.text[v_lead:].strip()
    if (not body or len(body) > int(cfg.get("max_venue_chars", 30)) or "。" in body or "、" in body
            or _ANY_LABEL.match(body) or _is_label_line(vl.text, marks, cfg) or dated.on(vl)):
        return None
    return vl, v_lead


def _detail_line(text: str, cfg: dict[str, Any]) -> bool:
    """Whether a line opens with a short label of another kind and a colon (企業：約４５社, 分 野 ：…): a detail of
    something, no event's name (a label holding an event word may be one: 第５回フォーラム：…)."""
    m = DETAIL_OPENING.match(text)
    return m is not None and not has_event_word(m.group(1).replace(" ", ""), cfg)


def _is_label_line(text: str, marks: str, cfg: dict[str, Any]) -> bool:
    body = text[leading_bullets(text, marks):]
    numbered = ENUMERATOR.match(body)  # ２．開催場所：
    if numbered is not None and numbered.end() < len(body):
        body = body[numbered.end() :]
    labels = [*cfg["date_labels"], *cfg["venue_labels"], *cfg.get("other_labels", [])]
    return _label(body, labels, cfg["label_separators"]) is not None


def _sentences(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], seen: set[str],
               dated: Figures | None = None) -> list[dict[str, Any]]:
    """An event's name, a date known to the day and a venue before a verb of holding, in one sentence: read
    in the flow view, where a sentence the margin wrapped is one line (…「くす / りのシンポジウム」を開催)."""
    view = doc.flow
    lines = doc.view_lines(view)
    held = sentence_patterns(cfg)
    if held is None:
        return []
    name_re, venue_re, quoted_venue_re = held
    marks = bullets(doc)
    facility = tuple(cfg.get("venue_facility_words") or ())
    rows = []
    dated = dated or Figures(doc, ("date", "period"))
    for i in lines_holding(view_text(doc, lines), words_re(tuple(cfg["held_verbs"]))):  # a verb of holding
        ln = lines[i]
        if ln.blank:
            continue
        on_line = _day_mentions(doc, ln, dated, view)
        if not on_line[1]:
            continue
        for sentence in re.finditer(r"[^。]+。?", ln.text):
            s0 = ln.start + sentence.start()
            when = _day_mention(doc, ln, s0, on_line)
            if when is None:
                continue
            w_s, w_e = view_index(view, when.start) - s0, view_index(view, when.end) - s0
            # The venue comes after the date, never inside it (…9月30日までオンラインで: not 9月30日ま).
            v = min((v for pattern in (venue_re, quoted_venue_re)
                     if (v := next((v for v in pattern.finditer(sentence.group()) if v.start("venue") >= w_e), None))),
                    key=lambda v: v.start("venue"), default=None)
            if v is None and (held_name := _held_then_name(cfg).match(sentence.group(), w_e)) is not None:
                # …１０日（金）に開催された「…フェア２０２３」（広島県立産業会館）に出展し: the date, a verb of holding,
                # then the name in quotes and its venue in brackets
                row = _quoted_after_held(doc, view, s0, held_name, when, seen)
                if row is not None:
                    rows.append(row)
                continue
            if v is None:
                # 仙台国際センターにおいて、令和６年１０月３日（木）に「…」を開催した: a venue opening the
                # sentence, right before the date
                v = next((f for f in venue_re.finditer(sentence.group()) if f.end() <= w_s
                          and not sentence.group()[f.end() : w_s].strip(" 、,")
                          and not _SENTENCE_OPENING.sub("", sentence.group()[: f.start("venue")])), None)
                if v is None:
                    # …は２月６日、「…サロン」を開催する。会場は金沢市文化ホール。: the quotes before a verb of holding
                    # name it, the next sentence's venue label its venue
                    row = _quoted_held_alone(doc, cfg, view, ln, sentence, s0, w_e, when, seen)
                    if row is not None:
                        rows.append(row)
                    continue
            elif w_s >= v.start("venue"):
                continue
            n = next((m for m in name_re.finditer(sentence.group()) if (m.end() <= w_s or m.start() >= w_e)
                      and (m.end() <= v.start("venue") or m.start() >= v.end())), None)
            name_line = ln
            quoted = _quoted_name(sentence.group(), (w_s, w_e), v.span("venue"), n,
                                  int(cfg.get("max_name_chars", 60)), _held_before_re(tuple(cfg["held_verbs"])))
            if quoted is not None:  # 「TAMA協会 技術交流会2023」を…: the quotes hold the whole name
                name_s, name_e = s0 + quoted[0], s0 + quoted[1]
                name_e = _before_subtitle(view.text, name_s, name_e)
            elif n is not None:
                name_s, name_e = s0 + n.start("name"), s0 + n.end("name")
                if not view.text[s0:name_s].strip():  # opening the sentence: past a list number too
                    name_s += item_lead(doc, name_s, view.text[name_s:name_e], marks, view)  # ５．…会議は
                else:
                    name_s += leading_bullets(view.text[name_s:name_e], marks)  # ●技術シーズ発表会を…
                name_s = _kana_front(doc, name_s, s0, view)  # …でものづくり技術交流会を: ものづくり is the name's
                name_s = _ordinal_front(view.text, name_s, s0, cfg["ordinal_pattern"])  # 第２回ふくしま…
            elif sentence.start() == 0 and not sentence.group()[:w_s].strip():
                # A sentence that opens with the date names no event: its heading does, on the line above
                # ((2) 地域シンポジウム in 仙台 / 令和6年2月8日(木)、仙台国際センターにて開催した。).
                heading = _event_heading(doc, cfg, lines, i, name_re, dated, view)
                if heading is None:
                    continue
                name_line, (name_s, name_e) = heading
            else:
                continue
            name = display_text(view.text[name_s:name_e])
            if not name or name in seen:
                continue
            v_s, v_e = s0 + v.start("venue"), s0 + v.end("venue")
            if (role := view.text.rfind("として", v_s, v_e)) >= 0 and role + 3 < v_e:
                v_s = role + 3  # 仙台高専を幹事校として仙台市内のホテルで: a role it played, then the venue
            vague = _VAGUE_VENUE.fullmatch(view.text, v_s, v_e)
            if v.re is quoted_venue_re:
                pass  # 「とうほう・みんなの文化センター」: the quotes hold the venue's whole name
            elif vague is not None:  # 東京都内（経済産業省本館）: the bracket names the place
                v_s, v_e = vague.span("inner")
            elif (of := _PLACE_OF.fullmatch(view.text, v_s, v_e)) is not None:
                v_s = of.start("inner")  # 仙台市のAER: the city says where the venue is
            elif (of := _FACILITY_OF.fullmatch(view.text, v_s, v_e)) is not None and any(
                    of.group("inner").endswith(w) and len(of.group("inner")) > len(w) for w in facility) and (
                    not view.text[v_s : of.start("inner") - 1].endswith(facility)):
                # (東京・霞が)関の文部科学省講堂: the facility after の is the venue (but 東北大学の大講堂 is one)
                v_s = of.start("inner")
            if v.re is not quoted_venue_re and vague is None and (tail := _TAIL_BRACKET.search(
                    view.text, v_s, v_e)) is not None and tail.start() > v_s and _ADDRESS.match(tail.group(1)) and (
                    not tail.group(1).endswith(facility)):
                v_e = v_s + len(view.text[v_s : tail.start()].rstrip())  # …メインホール（富山市）: where it is, no part
            venue = display_text(view.text[v_s:v_e])
            start_date, end_date = _day_range(when.value)
            seen.add(name)
            doc.add_span(view, name_s, name_e, "event", name, "event.sentence")
            doc.add_span(view, v_s, v_e, "place", venue, "event.sentence")
            rows.append({"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
                         "line": doc.line_of(view.origin[name_s])})  # (a flow line may start lines above)
    return rows


def _quoted_held_alone(doc: Document, cfg: dict[str, Any], view: NormText, ln: ViewLine, sentence: re.Match[str],
                       s0: int, w_e: int, when: Span, seen: set[str]) -> dict[str, Any] | None:
    """An event a sentence names in quotes right before を and a verb of holding, after its date and with no
    venue in it (…は２月６日、「…サロン」を開催する): its row, the venue the next sentence gives after a venue
    label and は (会場は金沢市文化ホール２階大会議室。), else none."""
    q = _quote_held_re(tuple(cfg.get("held_verbs") or ())).search(sentence.group(), w_e)
    if q is None or "を" not in sentence.group()[q.end(1) : q.end()] or "(" in sentence.group()[q.end(1) :]:
        return None  # (…」を開催（仙台国際センター）: a list's line, whose bracket gives the venue)
    name_s, name_e = s0 + q.start(1), s0 + q.end(1)
    name_e = _before_subtitle(view.text, name_s, name_e)
    name = display_text(view.text[name_s:name_e]).strip()
    if not name or name in seen or len(name) > int(cfg.get("max_name_chars", 60)):
        return None
    if not has_event_word(name, cfg) and "開催" not in q.group():
        return None  # 「地域DX推進事業」を実施する: a programme carried out, no event held
    venue = ""
    after = ln.start + sentence.end()
    label = _venue_is_re(tuple(cfg["venue_labels"])).match(view.text, after, ln.start + len(ln.text))
    if label is not None:
        v_s, v_e = label.span("venue")
        a, b = _venue_bounds(view.text[v_s:v_e], cfg)
        v_s, v_e = v_s + a, v_s + b
        if v_e > v_s:
            venue = display_text(view.text[v_s:v_e])
            doc.add_span(view, v_s, v_e, "place", venue, "event.sentence")
    start_date, end_date = _day_range(when.value)
    seen.add(name)
    doc.add_span(view, name_s, name_e, "event", name, "event.sentence")
    return {"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
            "line": doc.line_of(view.origin[name_s])}


# A note's reference mark and its number closing a cell (as printed: ※1, ＊2, *3).
_REFERENCE_END = re.compile(r"\s*[※*＊][0-9０-９]{0,2}\s*$")
def _before_reference(text: str, s: int, e: int) -> int:
    """Where a name in ``text[s:e]`` ends before a note's reference mark closing it (…フェア※1), if any."""
    ref = _REFERENCE_END.search(text, s, e)
    return ref.start() if ref is not None and ref.start() > s else e


# A subtitle closing a name between dashes or waves (…サロン　～技術シーズとニーズの出会い～, after NFKC).
_SUBTITLE = re.compile(r"\s*([~〜\-―—－])[^~〜\-―—－]{2,40}\1\s*$")


def _before_subtitle(text: str, s: int, e: int) -> int:
    """Where a name in ``text[s:e]`` ends before a subtitle closing it between dashes or waves, if any."""
    sub = _SUBTITLE.search(text, s, e)
    return sub.start() if sub is not None and sub.start() > s else e


@functools.lru_cache(maxsize=8)
def _venue_is_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A sentence opening with a venue label and は, then the venue up to the sentence's end (会場は…。)."""
    words = "|".join(map(re.escape, sorted(labels, key=len, reverse=True)))
    return re.compile(rf"\s*(?:{words})は、?\s*(?P<venue>[^。]{{2,40}}?)(?:です|である)?。")


@functools.lru_cache(maxsize=8)
def _held_then_name_re(verbs: tuple[str, ...]) -> re.Pattern[str]:
    held = "|".join(map(re.escape, verbs))
    return re.compile(rf"\s*(?:に|、)?\s*(?:{held})(?:された|される|した|する|の|た|る)\s*"
                      r"[「『](?P<q>[^「」『』。]{2,60})[」』](?:\s*\((?P<venue>[^()。:]{2,30})\))?")


def _held_then_name(cfg: dict[str, Any]) -> re.Pattern[str]:
    """After a date: a verb of holding, the event's name in quotes, maybe its venue in brackets."""
    return _held_then_name_re(tuple(cfg.get("held_verbs") or ()))


def _quoted_after_held(doc: Document, view: NormText, s0: int, m: re.Match[str], when: Span,
                       seen: set[str]) -> dict[str, Any] | None:
    """The row of an event a sentence names in quotes after its date and a verb of holding (rule
    event.sentence); the bracket after the quotes, if any, is its venue."""
    inner = m.group("q")
    name_s = s0 + m.start("q") + len(inner) - len(inner.lstrip())
    name_e = s0 + m.end("q") - (len(inner) - len(inner.rstrip()))
    name = display_text(view.text[name_s:name_e])
    if not name or name in seen:
        return None
    venue = ""
    if m.group("venue") is not None:
        raw = m.group("venue")
        v_s = s0 + m.start("venue") + len(raw) - len(raw.lstrip())
        v_e = s0 + m.end("venue") - (len(raw) - len(raw.rstrip()))
        venue = display_text(view.text[v_s:v_e])
        doc.add_span(view, v_s, v_e, "place", venue, "event.sentence")
    seen.add(name)
    doc.add_span(view, name_s, name_e, "event", name, "event.sentence")
    start_date, end_date = _day_range(when.value)
    return {"name": name, "start_date": start_date, "end_date": end_date, "venue": venue,
            "line": doc.line_of(view.origin[name_s])}


# A venue named only as somewhere in a prefecture or a city, with the place itself in brackets after it
# (東京都内（経済産業省本館）, 福岡市内（アクロス福岡）).
_VAGUE_VENUE = re.compile(r"[^()\s]{1,6}?(?:都|道|府|県|市|区|町)内\s*\((?P<inner>[^()]+)\)")
# A venue after the city or prefecture it is in and の (仙台市のAER, 福岡県の九州大学伊都キャンパス).
_PLACE_OF = re.compile(r"[^()\s の]{1,4}?(?:都|道|府|県|市|区|町|村)の(?P<inner>[^\sの]{2,})")
# A venue after a place of any kind and の (霞が関の文部科学省講堂, キャンパス内の大講義室): the part after の
# is the venue when it names a facility (venue_facility_words) by more than that word.
_FACILITY_OF = re.compile(r"[^()\sの]{1,8}?の(?P<inner>[^\sの]{2,})")
_QUOTED = re.compile(r"「(?P<q>[^「」。]+)」|『(?P<qq>[^『』。]+)』")


def _quoted_name(sentence: str, when: tuple[int, int], venue: tuple[int, int], n: re.Match[str] | None,
                 max_chars: int, held: re.Pattern[str] | None = None) -> tuple[int, int] | None:
    """Where the event's name stands in a sentence when quotes hold it: the quotes around the event
    word found (「TAMA協会 技術交流会2023」), or, with none found, quotes followed by を, が or は
    (「新価値創造展2023」が開催された) or right after a verb of holding that ``held`` finds before them
    (…で開催された「インターフェックス2025」に出展); never quotes around the date or the venue."""
    for m in _QUOTED.finditer(sentence):
        g = "q" if m.group("q") is not None else "qq"
        a, b = m.span(g)
        if a < when[1] and when[0] < b or a < venue[1] and venue[0] < b or b - a > max_chars:
            continue
        inner = sentence[a:b]
        a, b = a + len(inner) - len(inner.lstrip()), b - (len(inner) - len(inner.rstrip()))
        if n is not None:
            if a <= n.start("name") and n.end("name") <= b:
                return a, b
        elif sentence[m.end() : m.end() + 1] in ("を", "が", "は") or (
                held is not None and held.search(sentence, 0, m.start()) is not None):
            return a, b
    return None


@functools.lru_cache(maxsize=8)
def _held_before_re(verbs: tuple[str, ...]) -> re.Pattern[str]:
    """A verb of holding qualifying what follows it (開催された, 開かれる), at the end of the text searched."""
    held = "|".join(map(re.escape, verbs))
    return re.compile(rf"(?:{held})(?:された|される|した|する|た|る)\s*$")


def _event_heading(doc: Document, cfg: dict[str, Any], lines: list[ViewLine], i: int,
                   name_re: re.Pattern[str], dated: Figures,
                   view: NormText | None = None) -> tuple[ViewLine, tuple[int, int]] | None:
    """The line above line ``i`` as an event's heading, and where the name stands on it: a line of its
    own (no sentence, no label, no date) holding an event word (…シンポジウム in 仙台), list marks and
    numbers before it left out."""
    view = view or doc.lines  # (``lines`` are its lines)
    above = _previous_nonblank(lines, i)
    if above is None or "。" in above.text or _is_label_line(above.text, bullets(doc), cfg):
        return None
    if _day_mentions(doc, above, dated, view)[1]:
        return None
    lead = item_lead(doc, above.start, above.text, bullets(doc), view)
    if any(_MONTH_VALUE.match(m.value) and view_index(view, m.start) == above.start + lead
           for m in dated.on(above)):
        return None  # ・平成29年12月　…フォーラム: an item of the same list dated to the month, no heading
    a, b = _heading_body(above.text[lead:].rstrip(), cfg)
    body = above.text[lead + a : lead + b]
    if not body or len(body) > int(cfg.get("max_name_chars", 60)) or name_re.search(body) is None:
        return None
    return above, (above.start + lead + a, above.start + lead + b)


_MONTH_VALUE = re.compile(r"\d{4}-\d{2}")  # a date's value known to the month at least (2017-12)


def _heading_body(body: str, cfg: dict[str, Any], named_quotes: bool = False) -> tuple[int, int]:
    """Where an event's name stands in a heading's words: inside its quotes (「地域イノベーションフォーラム」
    開催報告), without a heading tail (…推進会議を開催, …のお知らせ) or a held verb after の
    (シンポジウムの開催). With ``named_quotes``, only quotes holding an event word hold the name
    (地域フォーラム「未来を拓く」: the quotes are a subtitle)."""
    a = 0
    quoted = _HEADING_QUOTE.search(body)
    if (quoted is not None and named_quotes and not has_event_word(quoted.group(1), cfg)
            and quoted.group() != body.strip()):
        quoted = None  # (quotes that are the whole heading hold its name: 『ものづくり企業と大学の出会いの場』)
    if quoted is not None:  # 「地域イノベーションフォーラム」開催報告: the quotes hold the name
        a, body = quoted.start(1), quoted.group(1)
    elif (bracketed := _HEADING_BRACKETS.fullmatch(body)) is not None:  # 【成果発表会】: the name inside
        a, body = bracketed.start(1), bracketed.group(1)
    tails = cfg.get("heading_tails") or ()
    while (tail := next((t for t in tails if body.endswith(t) and len(body) > len(t)), None)) is not None:
        body = body[: -len(tail)]  # …推進会議を開催, …のお知らせ; …セミナーの開催概要について: each tail in turn
        if body.endswith("の") and len(body) > 1:
            body = body[:-1]  # …セミナーの開催概要: the particle before the tail
    for verb in cfg["held_verbs"]:  # シンポジウムの開催(について): the heading's event is the シンポジウム
        if body.endswith("の" + verb):
            body = body[: -len(verb) - 1]
            break
    online = cfg.get("online_words") or ()
    if online and (note := _TAIL_BRACKET.search(body)) is not None and note.start() > 0 and (
            len(note.group(1)) <= _ONLINE_NOTE_CHARS and any(w in note.group(1) for w in online)):
        body = body[: note.start()].rstrip()  # 成果報告会（オンライン開催）: how it is held, no part of the name
    return a, a + len(body)


_ONLINE_NOTE_CHARS = 12  # オンライン・会場併催: a way of holding it, in a word or two


def label_front(text: str, cfg: dict[str, Any]) -> int:
    """How many characters open ``text`` as a short label in heading brackets before a name (【開催報告】,
    [終了], 〔予告〕: at most ``_LABEL_CHARS`` characters, no event word in it), spaces after it too; else 0."""
    m = _LABEL_FRONT.match(text)
    if m is None or not text[m.end() :].strip() or has_event_word(m.group(1), cfg):
        return 0
    return m.end()


_LABEL_CHARS = 8
_LABEL_FRONT = re.compile(rf"[【\[〔<〈]([^【】\[\]〔〕<>〈〉\s]{{1,{_LABEL_CHARS}}})[】\]〕>〉][ ]*")


_HEADING_QUOTE = re.compile(r"[「『]([^「」『』]+)[」』]")
_HEADING_BRACKETS = re.compile(r"[【\[〔]([^【】\[\]〔〕]+)[】\]〕]")  # a heading that is one bracketed name


_SENTENCE_PATTERNS: dict[tuple[str, ...], tuple[re.Pattern[str], re.Pattern[str]]] = {}


@functools.lru_cache(maxsize=8)
def _whole_name_re(suffixes: tuple[str, ...], ordinal: str, non_event: tuple[str, ...] = ()) -> re.Pattern[str]:
    """An event's name as a whole cell of a list line (ものづくり技術展示会): it ends in an event word, maybe
    its year and a subtitle after it, and kana of every kind may stand in it, as no sentence's particles
    can be read into it there."""
    word = r"[^\s、。,「」『』()（）]"
    ends = "|".join(re.escape(w) for w in sorted(suffixes, key=len, reverse=True))
    # After the event word: its year (…ジャパン2024, BioJapan 2024) and a subtitle between wave dashes
    # (～大学見本市～, after NFKC ~…~).
    return re.compile(rf"(?:(?:{ordinal})[ \t]*)?{word}{{0,40}}?(?:{ends}){end_guard(suffixes, non_event)}"
                      rf"(?:[ ]?\d{{2,4}}年?)?(?:~[^~\s]{{1,30}}~)?")


def whole_name(text: str, cfg: dict[str, Any]) -> bool:
    """Whether ``text`` is an event's name standing alone (a list line's name cell)."""
    return _whole_name_re(tuple(cfg.get("suffixes") or ()), cfg["ordinal_pattern"],
                          tuple(cfg.get("non_event_words") or ())).fullmatch(text) is not None


def sentence_patterns(cfg: dict[str, Any]) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]] | None:
    """(event name, venue + verb, quoted venue + verb) patterns of ``rules/events.yaml``, compiled once per
    rules content."""
    verbs, suffixes = cfg.get("held_verbs") or [], cfg.get("suffixes") or []
    if not verbs or not suffixes:
        return None
    non_event = cfg.get("non_event_words") or []
    key = (*verbs, "|", *suffixes, "|", *cfg["venue_particles"], cfg["ordinal_pattern"], "|", *non_event)
    if key not in _SENTENCE_PATTERNS:
        word = r"[^\s\u3041-\u309f、。,「」『』()（）]"
        ends = "|".join(re.escape(w) for w in sorted(suffixes, key=len, reverse=True))
        # An ordinal may stand apart from the name by spaces (第３回　九州…セミナー): the name's.
        name = re.compile(rf"(?<!{word})(?P<name>(?:(?:{cfg['ordinal_pattern']})[ \t]*)?{word}{{0,40}}?(?:{ends})"
                          rf"{end_guard(suffixes, non_event)}(?:\d{{2,4}}年?)?)(?!{word})")
        parts = "|".join(re.escape(w) for w in sorted(cfg["venue_particles"], key=len, reverse=True))
        held = "|".join(re.escape(w) for w in verbs)
        # The venue follows a particle, a comma or the end of a period (…を/に/、ビックパレットふくしまで,
        # …9月30日までオンラインで) and holds no particle itself; the verb follows its particle at once or
        # after the event's name (…においてフォーラムを開催).
        place = r"[^\s、。,「」『』()（）をにはがへ]"
        # A bracket may close it (東京都内（経済産業省本館）で).
        venue = re.compile(rf"(?:^|(?<=[\s、,をにはが])|(?<=まで)|(?<=から))"
                           rf"(?P<venue>{place}{{2,30}}?(?:\([^()。]{{1,30}}\))?)(?:{parts})"
                           rf"(?=[^。]{{0,60}}?(?:{held}))")
        # Or in quotes (福島市の「とうほう・みんなの文化センター」で開かれた).
        quoted = re.compile(rf"「(?P<venue>[^「」。]{{2,30}})」(?:{parts})(?=[^。]{{0,60}}?(?:{held}))")
        _SENTENCE_PATTERNS[key] = (name, venue, quoted)
    return _SENTENCE_PATTERNS[key]


_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_NAME_POS = ("NOUN", "PROPN")
# A word of hiragana alone this long or longer may open a name (ものづくり, ふくしま, いわて); a shorter one
# is as often a particle's tail misread (と|やま).
MIN_KANA_WORD = 3


def _kana_front(doc: Document, name_s: int, floor: int, view: NormText | None = None) -> int:
    """Where an event's name starts once the words of hiragana right before it that the tokeniser reads
    as nouns are taken in (…でものづくり技術交流会を: ものづくり, a noun; …、ふくしま医工連携フォーラムを:
    ふくしま, a proper noun); a particle, a verb or a short word of hiragana stops it, as does ``floor``
    (the sentence's start)."""
    view = view or doc.lines  # (``name_s`` and ``floor`` are its offsets)
    if name_s <= floor or not _HIRAGANA.match(view.text, name_s - 1):
        return name_s
    placed = kana_place_front(view.text, name_s, floor, kana_place_words(doc))
    if placed is not None:
        return placed  # …でながさき医工連携フォーラムを: a place in hiragana, whatever the tokeniser made of it
    if doc.tokens is None:
        return name_s
    src = view.origin[name_s]
    at = view_index(doc.flow, src)
    offsets = token_offsets(doc.tokens)
    k = bisect.bisect_left(offsets, at)
    if at >= len(doc.flow.text) or doc.flow.origin[at] != src or k >= len(offsets) or offsets[k] != at:
        return name_s  # the name starts inside a word: the tokeniser reads it otherwise
    start = at
    while k > 0:
        t = doc.tokens[k - 1]
        if (t.idx + len(t.text) != start or t.pos_ not in _NAME_POS
                or (_HIRAGANA.search(t.text) and len(t.text) < MIN_KANA_WORD)):
            break
        start, k = t.idx, k - 1
    if start == at:
        return name_s
    front = view_index(view, doc.flow.origin[start])
    return front if floor <= front < name_s else name_s


def _ordinal_front(text: str, name_s: int, floor: int, ordinal: str) -> int:
    """Where an event's name starts once an ordinal right before it, or one it starts inside, is taken in
    (第２回ふくしま…セミナー: the kana before the name took in 回 alone); ``floor``: the sentence's start."""
    for m in _ordinal_re(ordinal).finditer(text, max(floor, name_s - 8), min(len(text), name_s + 8)):
        if m.start() < name_s <= m.end():
            return m.start()
    return name_s


@functools.lru_cache(maxsize=8)
def _ordinal_re(ordinal: str) -> re.Pattern[str]:
    return re.compile(rf"(?:{ordinal})[ \t]*")


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
    rule_keys={"venue_separators": str, "date_labels": list, "venue_labels": list, "label_separators": str,
               "held_verbs": list, "venue_particles": list, "suffixes": list, "ordinal_pattern": str},
    rule_ids=("event.dated", "event.labelled", "event.sentence", "event.listed", "event.table"),
    renames=("start_date",),
)
