"""Borderless tables in text: a header line and the rows under it, cells set apart by a full-width
space, a tab or two spaces or more (what PDF-to-text makes of a table without rules).

Only lines holding one of a builder's header labels are tried as headers, so a document without such
a table costs one regex search.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable

from pipeline.core.source import Cell, RuledTable, halves_in_turn

# Cells of a borderless table: set apart by a tab, a full-width space or two spaces or more, or by a
# vertical bar (a table typed with bars, | 拠点名 | 提案自治体 |, as Markdown or a web page's text has it).
_GAP = re.compile(r"[ ]*(?:\t|\u3000|  )[ \t\u3000]*")
_BAR = re.compile(r"[|｜]")
# The rule under a bar table's header: bars, dashes and colons only (|---|:---:|).
_BAR_RULE = re.compile(r"[ \t\u3000]*[|｜][ \t\u3000|｜:\-－—―]*")


# A line opening with one of these is a heading, never the wrapped rest of a cell.
HEADING_MARKS = "■□●○◆◇【[〔<〈"


def spaced_rows(text: str, pos: int, wrapped_cells: bool = True,
                section_rows: bool = False) -> list[tuple[Cell, ...]]:
    """The rows of a borderless table from the line starting at ``pos``: lines of two cells or more, cells
    set apart by ``_GAP``, one blank line between rows allowed (double spacing). With ``wrapped_cells``, a
    line of one cell right under a row (no heading mark, no sentence) is kept: the wrapped rest of a
    cell, which the reader places. With ``section_rows``, a line of one cell opening with a heading mark
    under the header (【地域中核産学官連携拠点】 over the rows of that category) is kept as a row of one
    cell, when rows follow it. A line repeating the first row's first cell (the next table's header:
    地域名 over another table's columns) ends the table, as does a new page unless the table goes on there with
    no header of its own (a first line of as many cells). Offsets point into ``text``."""
    rows: list[tuple[Cell, ...]] = []
    blanks = 0
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line, start, pos = text[pos:end], pos, end + 1
        if not line.strip():
            blanks += 1
            if blanks > 1:  # two blank lines end a table; one may be double spacing
                break
            continue
        if rows and line.startswith("\f"):
            # A new page: a table going on there repeats its header and is read from it; one of three columns
            # or more going on with no header, its first line as many cells as the header and no copy of it,
            # goes on here (two cells may be any label and its value: 表2　その他 is no row).
            going_on = _cells(line, start)
            if len(going_on) != len(rows[0]) or len(rows[0]) < 3 or going_on[0].text == rows[0][0].text:
                break
        if rows and _BAR_RULE.fullmatch(line):
            continue  # |---|---|: the rule under a bar table's header
        cells = _cells(line, start)
        barred = _bar_cells(line, start) is not None
        if rows and not barred and len(cells) > len(rows[0]) > 1:
            cells = _unsplit(text, cells, rows[0], len(cells) - len(rows[0]))
        wrapped = (wrapped_cells and rows and not blanks and len(cells) == 1 and "。" not in line
                   and not line.lstrip().startswith(tuple(HEADING_MARKS)))
        blanks = 0
        section = (section_rows and rows and len(cells) == 1 and "。" not in line
                   and line.lstrip().startswith(tuple(HEADING_MARKS)))
        if len(cells) < 2 and not wrapped and not section:
            break
        if rows and len(cells) > 1 and cells[0].text == rows[0][0].text:
            break  # the header again, or another header of the same first label: a new table starts here
        if rows and barred and len(cells) != len(rows[0]):
            break  # a table typed with bars keeps its number of cells: another one starts here
        rows.append(tuple(cells))
    while section_rows and len(rows) > 1 and len(rows[-1]) == 1 and rows[-1][0].text.startswith(tuple(HEADING_MARKS)):
        rows.pop()  # a heading after the last row is the next part's, not a section of this table (a wrapped
        # cell of the last row stays)
    return rows


def aligned_rows(text: str, pos: int, name_labels: tuple[str, ...] = ()) -> tuple[list[tuple[Cell, ...]], bool]:
    """The rows of a borderless table from its header line at ``pos`` when each row is a block of lines
    (blank lines between rows) and a cell may wrap onto the block's next lines beside the other cells' own
    wrapped lines (what ``pdftotext -layout`` prints of a table with wrapped cells). Each piece of a line
    goes to the column whose start is nearest to its own (the row's own line of every column, else the
    header, measured as :func:`_column_measure` finds the table aligned); a row has one cell
    per header column, its pieces joined, each character's offset kept (``Cell.offsets``); a second line
    of every column in one block is a row of its own. A line of one cell opening with a heading mark is a
    row of its own (a section inside the table). Two blank lines, a new page or a sentence end the table.
    A line leaving only columns before the name column (a header cell holding one of ``name_labels``) empty
    and filling every other one is a row of its own whose empty cells are the row's above (区分 printed once
    over its group: the group's cell). Returns the rows and whether they are such blocks: a line read as a
    wrapped part of a row, and two blocks
    at least, blank lines between them, or a wrapped line that leaves the first column empty (no blank lines
    needed: the empty first column says the line goes on with the row above)."""
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    header = _cells(text[pos:end], pos)
    if len(header) < 2:
        return [], False
    col = _column_measure(text, end + 1, header)
    head_starts = [col(text, pos, c.start) for c in header]
    centred = _grouped_rows(text, pos, header, col)
    if centred is not None:
        return centred, True
    name_col = next((k for k, c in enumerate(header) if any(lb in "".join(c.text.split()) for lb in name_labels)), -1)
    starts = head_starts  # where the row's columns start: its own full line's cells, else the header's
    rows: list[tuple[Cell, ...]] = [tuple(header)]
    pieces: list[list[Cell]] = [[] for _ in header]
    blanks = 0
    full = False  # the row read so far has a line of every column
    wrapped = False
    indented = False  # a line under a row left its first column empty (浜松市 under 静岡県): a wrapped row
    grouped = False  # a row under its group's cell (区分 printed once): read by position too
    last: list[Cell] = []  # the cells of the line read last
    parted = 0  # blocks of lines read (a blank line or the table's end closing each)

    def flush() -> None:
        nonlocal starts, full
        if any(pieces):
            rows.append(tuple(_joined(p, _short_pieces(text, col, p, starts, k)) for k, p in enumerate(pieces)))
        for p in pieces:
            p.clear()
        starts, full = head_starts, False

    pos = end + 1
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line, start, pos = text[pos:end], pos, end + 1
        if not line.strip():
            if any(pieces):
                parted += 1
            flush()
            blanks += 1
            if blanks > 1:
                break
            continue
        blanks = 0
        cells = _cells(line, start)
        if line.startswith("\f") or "。" in line or (len(rows) > 1 and cells and cells[0].text == header[0].text):
            break
        if len(cells) == 1 and line.lstrip().startswith(tuple(HEADING_MARKS)):
            flush()
            rows.append((cells[0],))
            continue
        if not any(pieces) and len(cells) < 2:
            break  # a row starts with a line of two cells or more: a lone line after a blank is no row
        if len(cells) == len(header) and not (full and any(c.text.endswith(_LIST_GOES_ON) for c in last)):
            # A line of every column: its cells in order, their starts the row's; a second one in the
            # block is the next row, unless a cell of the line above left its list open (大阪府、兵庫県、).
            if full:
                flush()
            starts, full, last = [col(text, start, c.start) for c in cells], True, cells
            for k, c in enumerate(cells):
                pieces[k].append(c)
            continue
        first = min(range(len(starts)), key=lambda j: abs(starts[j] - col(text, start, cells[0].start)))
        if 0 < first <= name_col and any(pieces) and len(cells) == len(header) - first:
            # 　　　　関西バイオメディカル拠点　大阪府…: a row of its own under its group's cell (区分), not the rest
            # of the row above
            flush()
            grouped = True
            for j in range(first):
                pieces[j].append(rows[-1][j])
            starts = head_starts[:first] + [col(text, start, c.start) for c in cells]
            full, last = True, cells
            for n, c in enumerate(cells):
                pieces[first + n].append(c)
            continue
        wrapped, last = wrapped or any(pieces), cells
        for n, c in enumerate(cells):
            at = col(text, start, c.start)
            k = min(range(len(starts)), key=lambda j: abs(starts[j] - at))
            if n == 0 and k > 0 and any(pieces):
                indented = True  # the first column left empty: the line goes on with the row above
            pieces[k].append(c)
    if any(pieces):
        parted += 1
    flush()
    while len(rows) > 1 and len(rows[-1]) == 1:
        rows.pop()  # a heading after the last row is the next part's
    # Blocks of lines between blank lines, or lines under a row leaving its first column empty: the rows' shape.
    return rows, wrapped and (parted >= 2 or indented) or grouped


_Measure = Callable[[str, int, int], int]


def _grouped_rows(text: str, pos: int, header: list[Cell] | None = None,
                 col: _Measure | None = None) -> list[tuple[Cell, ...]] | None:
    """The header line at ``pos`` and the rows under it when its first column's cells are centred over their
    groups (:func:`_centred_groups`), under either measure of columns; else None."""
    end = text.find("\n", pos)
    end = len(text) if end < 0 else end
    header = header if header is not None else _cells(text[pos:end], pos)
    if len(header) < 3:
        return None
    for measure in dict.fromkeys((col or _char_col, _char_col, _display_col)):  # (one line of every column
        centred = _centred_groups(text, end + 1, header, measure)  # can't tell which)
        if centred is not None:
            return [tuple(header), *centred]
    return None


def _centred_groups(text: str, pos: int, header: list[Cell], col: _Measure) -> list[tuple[Cell, ...]] | None:
    """The rows of a table whose first column's cells are merged over groups of rows and printed in the middle
    of their group (``pdftotext -layout``: 国際展開型 on the second of three rows, 地域密着型 alone on a line
    between two rows), each other line one row of its own: lines of every column, lines of every column but
    the first, and lines of the first column alone, no blank line between. Each group runs from where the one
    above ended, its label in its middle: as many rows under the label as over it. None for any other table."""
    read: list[tuple[int, list[Cell]]] = []
    while pos < len(text):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        line, start = text[pos:end], pos
        pos = end + 1
        if not line.strip() or line.startswith("\f") or "。" in line:
            break
        read.append((start, _cells(line, start)))
    n = len(header)
    if n < 3:
        return None
    # Where the first column's cells start (on lines of every column and on labels alone), and the second's.
    firsts = [col(text, at, cells[0].start) for at, cells in read if len(cells) in (1, n)]
    seconds = [col(text, at, cells[1].start) for at, cells in read if len(cells) == n]
    if not firsts:
        return None
    lines: list[tuple[str, list[Cell]]] = []  # (kind, cells): "full", "rest" (first column blank), "label"
    for at, cells in read:
        first = col(text, at, cells[0].start)
        if len(cells) == n:
            lines.append(("full", cells))
        elif len(cells) == n - 1 and first > max(firsts) + 1 and (
                not seconds or min(abs(first - x) for x in seconds) <= 2):
            lines.append(("rest", cells))
        elif len(cells) == 1 and first <= max(firsts):
            lines.append(("label", cells))
        else:
            return None
    kinds = [k for k, _ in lines]
    if "rest" not in kinds or not ({"full", "label"} & set(kinds)) or kinds[0] != "rest" and "label" not in kinds:
        return None  # (a group's cell printed on its first row, the rows under it blank, is read row by row)
    labels = [i for i, k in enumerate(kinds) if k != "rest"]
    rows: list[tuple[Cell, ...]] = []
    at = 0  # the first line of the group being read
    for n, i in enumerate(labels):
        label = lines[i][1][0]
        below = i - at  # as many rows under the label as over it
        stop = i + below + 1
        nxt = labels[n + 1] if n + 1 < len(labels) else len(lines)
        stop = len(lines) if n + 1 == len(labels) else min(max(stop, i + 1), nxt)
        for j in range(at, stop):
            kind, cells = lines[j]
            if kind == "full":
                rows.append(tuple(cells))
            elif kind == "rest":
                rows.append((label, *cells))
        at = stop
    if at < len(lines):
        return None
    return rows
# A cell ending in one of these goes on in the same column on the next line (a list, a name joined by ＆).
_LIST_GOES_ON = ("、", ",", "，", "・", "&", "＆")


def _char_col(text: str, line_start: int, at: int) -> int:
    """The column of offset ``at`` counted in characters (how ``pdftotext -layout`` aligns: one a glyph)."""
    return at - line_start


def _column_measure(text: str, pos: int, header: list[Cell], lines: int = 40) -> _Measure:
    """How the table under ``header`` aligns its columns: by characters (``pdftotext -layout``) or by display
    width (a text typed with full-width characters): the measure under which the starts of the cells of
    its lines of every column (up to ``lines`` lines) vary least."""
    full: list[tuple[int, list[Cell]]] = []
    for _ in range(lines):
        end = text.find("\n", pos)
        end = len(text) if end < 0 else end
        cells = _cells(text[pos:end], pos)
        if len(cells) == len(header):
            full.append((pos, cells))
        if end >= len(text):
            break
        pos = end + 1

    def spread(measure: _Measure) -> int:
        columns = list(zip(*[[measure(text, at, c.start) for c in cells] for at, cells in full], strict=True))
        return sum(max(c) - min(c) for c in columns)

    if len(full) < 2:
        return _display_col
    return _char_col if spread(_char_col) < spread(_display_col) else _display_col


def _display_col(text: str, line_start: int, at: int) -> int:
    """The display column of offset ``at`` on the line starting at ``line_start`` (wide characters: 2)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[line_start:at])


def _short_pieces(text: str, col: _Measure, pieces: list[Cell], starts: list[int], k: int) -> set[int]:
    """Which of a column's pieces (but the last) end short of the column's width by two glyphs or more: a line
    of its own (静岡大学 / 浜松医科大学, one name a line), not one the column's width wrapped. The width is up to
    the next column's start, less a glyph's gap; the last column's is its longest piece."""
    if len(pieces) < 2:
        return set()

    def width(c: Cell) -> int:
        line_start = text.rfind("\n", 0, c.start) + 1
        return col(text, line_start, c.end) - col(text, line_start, c.start)

    glyph = 1 if col is _char_col else 2  # a full-width glyph's width in the measure
    widths = [width(c) for c in pieces]
    room = starts[k + 1] - starts[k] - glyph if k + 1 < len(starts) else max(widths)
    return {j for j, w in enumerate(widths[:-1]) if room - w >= 2 * glyph}


def _joined(pieces: list[Cell], short: set[int] | None = None) -> Cell:
    """One cell of ``pieces`` (a column's pieces of one row, in line order), its characters' offsets kept;
    ``short``: the pieces after which the cell breaks (``Cell.breaks``)."""
    if not pieces:
        return Cell("", 0, 0)
    if len(pieces) == 1:
        return pieces[0]
    offsets = tuple(o for p in pieces for o in range(p.start, p.end))
    ends = [sum(len(p.text) for p in pieces[: j + 1]) for j in range(len(pieces))]
    breaks = tuple(ends[j] for j in sorted(short or ()))
    return Cell("".join(p.text for p in pieces), pieces[0].start, pieces[-1].end, offsets, breaks)


def _bar_cells(line: str, start: int) -> list[Cell] | None:
    """The cells of a line typed with bars (| a | b |), empty ones kept, or None for any other line."""
    body = line.strip()
    if len(body) < 2 or not (_BAR.match(body) and _BAR.match(body[-1])):
        return None
    lead = line.index(body[0])
    cells = []
    at = lead + 1
    for part in _BAR.split(body[1:-1]):
        text = part.strip()
        a = at + (part.index(text) if text else 0)
        cells.append(Cell(text, start + a, start + a + len(text)))
        at += len(part) + 1
    return cells


def _column(text: str, at: int) -> int:
    """The display column of offset ``at`` in its line (a full-width character is two columns wide)."""
    line_start = text.rfind("\n", 0, at) + 1
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text[line_start:at])


def _unsplit(text: str, cells: list[Cell], header: tuple[Cell, ...], extra: int) -> list[Cell]:
    """A row with ``extra`` more cells than its header, where a cell's words hold one full-width space (a
    person's name, 山田　太郎): a cell after one full-width space that starts under no header cell (two display
    columns either way) goes back to the cell before it, ``extra`` times at most."""
    starts = [_column(text, c.start) for c in header]
    out = [cells[0]]
    for c in cells[1:]:
        prev = out[-1]
        gap = text[prev.end : c.start]
        col = _column(text, c.start)
        if extra and gap.strip(" ") == "\u3000" and not any(abs(col - s) <= 2 for s in starts):
            out[-1] = Cell(text[prev.start : c.end], prev.start, c.end)
            extra -= 1
        else:
            out.append(c)
    return out


def _cells(line: str, start: int) -> list[Cell]:
    barred = _bar_cells(line, start)
    if barred is not None:
        return barred
    cells, at = [], 0
    for gap in [*_GAP.finditer(line), None]:
        end = gap.start() if gap else len(line)
        raw = line[at:end]
        if raw.strip():
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(raw.strip(), start + at + lead, start + at + lead + len(raw.strip())))
        at = gap.end() if gap else len(line)
    return cells


def spaced_tables(text: str, header_labels: list[str], wrapped_cells: bool = True,
                  section_rows: bool = False, aligned_blocks: bool = False,
                  centred_groups: bool = False) -> list[RuledTable]:
    """Tables whose first row is a line holding one of ``header_labels``, with the rows under it
    (:func:`spaced_rows`; ``wrapped_cells`` for a reader that places one-cell lines, ``section_rows`` for
    one that reads headings inside the table, ``aligned_blocks`` to read rows of wrapped cells by position,
    :func:`aligned_rows`, when a line wraps a row's cells, ``centred_groups`` to give each row the first column's
    cell merged over its group and printed in the group's middle, :func:`_centred_groups`); offsets point into
    ``text``. The caller decides which header it reads."""
    tables: list[RuledTable] = []
    read_to = -1  # the end of the lines read so far: a label there sits in a header or row already read
    for m in _label_re(tuple(header_labels)).finditer(text) if header_labels else ():
        if m.start() < read_to:
            continue  # so a table whose every row holds a label is read once, not once per row
        start = text.rfind("\n", 0, m.start()) + 1
        rows = spaced_rows(text, start, wrapped_cells, section_rows)
        if centred_groups and (grouped := _grouped_rows(text, start)) is not None:
            rows = grouped
        elif aligned_blocks:  # rows of wrapped cells, a block of lines each: read by position
            blocks, wrapped = aligned_rows(text, start, tuple(header_labels))
            if wrapped and len([r for r in blocks if len(r) > 1]) >= 3:
                rows = blocks
        line_end = text.find("\n", m.start())
        read_to = max(rows[-1][-1].end if rows and rows[-1] else 0, len(text) if line_end < 0 else line_end)
        if len(rows) >= 2:
            tables.append(RuledTable(0, halves_in_turn(rows)))  # (a long table set in halves side by side: one)
    return tables


@functools.lru_cache(maxsize=16)
def _label_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(lb) for lb in sorted(labels, key=len, reverse=True)))

