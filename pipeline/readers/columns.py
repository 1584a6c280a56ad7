"""Side-by-side columns in a text file: what ``pdftotext -layout`` makes of a two-column page, each line
holding a line of the left column, a wide gap, then a line of the right column. Read as printed, two
projects run together on every line; read column by column, each is whole.

A page (the text between form feeds) is split when one gutter explains it: a character column ``g``
where, on many lines, text ends two characters or more before ``g`` and the right column's text starts
within a few characters after it; some lines of one side only (the columns' lines do not all pair up);
both sides' lines as long as a column's (a table's labels and figures are shorter); few lines whose
text runs across ``g`` (a title over both columns: it parts the page into bands, each read left column
first); and no second gutter nearly as strong (a table of three columns or more has one per column,
and is left as it is). Gaps are runs of three ASCII spaces or more, as ``pdftotext -layout`` pads; a
text whose columns full-width spaces set apart is never split.

The text the pipeline reads (and writes as ``source.txt``) is the rewritten one; a note per page says
where it was split.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

_GAP = re.compile(r"(?<=[^ ]) {3,}(?=[^ ])")  # full-width spaces are text here: a line's indent
# The right column's text starts at most this many characters after the gutter (its own indents).
_SLACK = 4
# A gutter needs this many lines with text on both sides, and this many lines of one side only (on
# either side, together).
_MIN_BOTH = 3
_MIN_ONE_SIDED = 2
_MIN_SCORE = 6
# Columns whose lines stand at other heights (no line holds both): the reading passes from one side's lines to
# the other's this many times at least.
_OFFSET_TURNS = 6
# Lines whose text runs across the gutter, as a share of the page's lines with text: at most this.
_MAX_CROSSING = 0.1
# Places counted in full as the gutter: the ones where most text starts after a gap.
_CANDIDATES = 8
# A page longer than this many lines is no printed page (a text without form feeds, a long table): left
# as it is, which also bounds the search's cost.
_MAX_PAGE_LINES = 200
# The median length of either side's text on lines with both sides: a column's lines are this long at
# least (a table's labels and figures are shorter).
_MIN_COLUMN_CHARS = 8
# Lines of three parts or more (a gap between each) on this share of the lines with text on both sides of
# the gutter make tables (a budget's names and two years' figures, a schedule's date, name and venue), not two
# columns of text, unless the right side is running text.
_TABLE_ROW_SHARE = 0.5
# A rival gutter this far away, with this share of the best one's two-sided lines, makes a table.
_RIVAL_DISTANCE = 6
_RIVAL_SHARE = 0.6


def reflow_columns(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with each two-column page read column by column, and one ``text_columns_split`` note per
    page split (its first line in the new text)."""
    if "   " not in text:
        return text, []
    pages = text.split("\f")
    out: list[str] = []
    notes: list[tuple[int, str, str]] = []
    line = 1
    for number, page in enumerate(pages, 1):
        lines = page.split("\n")
        # Vertical writing printed as a grid of characters first; three cards or more side by side next (two
        # of them would pass for two columns); then two columns.
        vertical = _vertical_grid(lines) if "   " in page else None
        cards = _card_columns(lines, _MIN_CARDS) if "   " in page and vertical is None else None
        gutter = _gutter(lines) if cards is None and vertical is None else None
        if vertical is not None:
            page = vertical
            notes.append((line, "text_columns_split",
                          f"page {number}: vertical writing printed a character per cell, read column by column "
                          "from the right"))
        elif cards is not None:
            page, first, grids = cards
            notes.append((line + first, "text_columns_split",
                          f"page {number}: cards side by side in {grids} grid(s) read card by card"))
        elif gutter is not None:
            page = "\n".join(_read_by_columns(lines, gutter))
            notes.append((line, "text_columns_split",
                          f"page {number}: two columns side by side (the right one from character {gutter + 1} "
                          "of its lines) read one after the other"))
        elif _FILL not in page and not page.isascii():
            # Aligned as an editor shows them, a full-width character two columns wide (typed by hand, or a
            # converter that counts display columns): the same search in display columns.
            wide = [_widen(ln) for ln in lines]
            gutter = _gutter(wide)
            if gutter is not None:
                page = "\n".join(_read_by_columns(wide, gutter)).replace(_FILL, "")
                notes.append((line, "text_columns_split",
                              f"page {number}: two columns side by side (the right one from display column "
                              f"{gutter + 1} of its lines, a full-width character two wide) read one after the other"))
        out.append(page)
        line += page.count("\n")
    return "\f".join(out), notes


_FILL = "\x00"  # after a full-width character while the display columns are searched: its second column


def _widen(line: str) -> str:
    """``line`` with a filler after each full-width character, so a character's index is its display column."""
    if line.isascii():
        return line
    return "".join(ch + _FILL if unicodedata.east_asian_width(ch) in "WF" else ch for ch in line)


def _segments(line: str) -> list[tuple[int, int]]:
    """(start, end) of the runs of text of ``line`` that gaps of three spaces or more part."""
    out: list[tuple[int, int]] = []
    at = 0
    for m in _GAP.finditer(line):
        piece = line[at : m.start()]
        out.append((at + len(piece) - len(piece.lstrip()), m.start()))
        at = m.end()
    rest = line[at:]
    if rest.strip():
        out.append((at + len(rest) - len(rest.lstrip()), len(line.rstrip())))
    return out


def _counts(segs: list[list[tuple[int, int]]], g: int) -> tuple[int, int, int, int, int]:
    """(two-sided, left-only, right-only, crossing, turns) lines for a gutter at ``g``; turns: one-sided lines
    of the other side than the one-sided line before them."""
    both = left_only = right_only = crossing = turns = 0
    last = ""
    for sg in segs:
        if not sg:
            continue
        if any(s < g and e > g - 2 for s, e in sg):
            crossing += 1
            last = ""
            continue
        left = any(e <= g - 2 for _, e in sg)
        right = [s for s, _ in sg if s >= g]
        near = bool(right) and right[0] <= g + _SLACK
        if left and near:
            both += 1
        elif left and not right:
            left_only += 1
            turns += last == "r"
            last = "l"
        elif near and not left:
            right_only += 1
            turns += last == "l"
            last = "r"
    return both, left_only, right_only, crossing, turns


_HIRAGANA = re.compile("[\u3041-\u309f]")


def _mirrored(lines: list[str], g: int) -> bool:
    """Whether the two sides of ``g`` are alike as two columns of cards are, though every line pairs up (the
    cards as long on each side): ``_MIN_BOTH`` lines open on both sides with the same mark (◆…　　◆…), or
    hold running text (hiragana) on both sides, which a table's labels and figures do not."""
    marks = prose = 0
    for ln in lines:
        left, right = ln[:g].strip(), ln[g:].strip()
        if not left or not right:
            continue
        marks += not left[0].isalnum() and left[0] == right[0] and not left[0].isspace()
        prose += bool(_HIRAGANA.search(left) and _HIRAGANA.search(right))
    return marks >= 2 or prose >= _MIN_BOTH


def _gutter(lines: list[str]) -> int | None:
    """The character column where a page's right column starts, or None (one column, or a table)."""
    if len(lines) > _MAX_PAGE_LINES:
        return None
    segs = [_segments(ln) for ln in lines]
    content = sum(1 for sg in segs if sg)
    if content < 8:
        return None
    # Where text starts after a gap, and how many such starts lie within _SLACK after each place: a bound
    # on the lines of both sides a gutter there has. Only the strongest few are counted in full.
    starts = Counter(s for sg in segs for s, _ in sg[1:])
    bound = {g: sum(starts[g + k] for k in range(_SLACK + 1)) for g in starts}
    bound.update({sg[0][0]: bound.get(sg[0][0], 0) for sg in segs if sg and sg[0][0] >= 10})
    candidates = sorted(bound, key=lambda g: (-bound[g], g))[:_CANDIDATES]
    if not candidates:
        return None
    counted = {g: _counts(segs, g) for g in candidates}

    def score(g: int) -> int:
        both, left_only, right_only, _, turns = counted[g]
        if both < _MIN_BOTH:
            # Columns whose lines stand at other heights: each line holds one side, the sides take turns.
            offset = left_only >= _MIN_BOTH and right_only >= _MIN_BOTH and turns >= _OFFSET_TURNS
            return turns if offset else 0
        if left_only + right_only < _MIN_ONE_SIDED and not _mirrored(lines, g):
            return 0
        return both + min(left_only + right_only, both)

    # A place that text runs across on many lines is no gutter, however many starts it has (the left column's
    # own gaps: 参加企業 約280社 大学等 18機関); among the others, the best scored.
    clean = [g for g in candidates if counted[g][3] <= _MAX_CROSSING * content]
    if not clean:
        return None
    best = max(clean, key=score)
    both, turns = counted[best][0], counted[best][4]
    if score(best) < _MIN_SCORE:
        return None
    strength = both if both >= _MIN_BOTH else turns // 2
    prose_right = _prose_side([ln[best:] for ln in lines])  # a table in the left column beside running text
    rows = sum(1 for sg in segs if len(sg) >= 3 and any(e <= best - 2 for _, e in sg) and any(s >= best for s, _ in sg))
    if both >= _MIN_BOTH and rows >= _TABLE_ROW_SHARE * both and not prose_right:
        return None  # most lines holding both sides are rows of three cells or more: tables, not two columns
    if any(abs(g - best) > _RIVAL_DISTANCE and bound[g] >= _RIVAL_SHARE * strength
           and (g not in counted or counted[g][3] <= _MAX_CROSSING * content)
           and not (prose_right and g < best) for g in bound):
        return None  # columns of a table: a gutter at each (as many starts there, or nearly), no text across it
    # Each side a column of text, not a table's labels or figures: their lines as long as a column's (the
    # lines with both sides; with too few of those, each side's own lines).
    paired = both >= _MIN_BOTH
    lefts = sorted(len(ln[:best].strip()) for ln in lines if ln[:best].strip() and (ln[best:].strip() or not paired))
    rights = sorted(len(ln[best:].strip()) for ln in lines if ln[best:].strip() and (ln[:best].strip() or not paired))
    if not lefts or not rights:
        return None
    if lefts[len(lefts) // 2] < _MIN_COLUMN_CHARS or rights[len(rights) // 2] < _MIN_COLUMN_CHARS:
        return None
    return best


# The right side of a gutter is running text when this many of its lines at least hold hiragana, and this
# share of them, their median this many characters long: the left column's own table (a budget's names and
# figures beside the right column's paragraphs) then sets no rival gutter.
_PROSE_LINES = 5
_PROSE_SHARE = 0.7
_PROSE_CHARS = 15


def _prose_side(parts: list[str]) -> bool:
    """Whether the parts of lines right of a gutter read as a column of running text."""
    texts = [t.strip() for t in parts if t.strip()]
    prose = sum(1 for t in texts if _HIRAGANA.search(t))
    lengths = sorted(len(t) for t in texts)
    return (prose >= _PROSE_LINES and prose >= _PROSE_SHARE * len(texts)
            and lengths[len(lengths) // 2] >= _PROSE_CHARS)


def _read_by_columns(lines: list[str], g: int) -> list[str]:
    """The page's lines, band by band (a line running across the gutter parts two bands): the left
    column's lines, then the right column's. A line blank on both sides stays blank in both; a line
    with text on one side only is left out of the other. A band whose right side holds no column's text
    (figures, short labels) is a table's rows: its lines stay as printed."""
    out: list[str] = []
    left: list[str] = []
    right: list[str] = []
    whole: list[str] = []  # the band's lines as printed

    def flush() -> None:
        if any(_column_text(part) for part in right):
            out.extend(left)
            out.extend(right)
        else:  # a band whose right side is figures alone (a table's last column under a header across the
            out.extend(whole)  # gutter: 地域…事業　１２０億円　１３５億円): its rows stay whole
        left.clear()
        right.clear()
        whole.clear()

    for line in lines:
        sg = _segments(line)
        if any(s < g and e > g - 2 for s, e in sg):
            flush()
            out.append(line)
            continue
        whole.append(line)
        lpart, rpart = line[:g].rstrip(), line[g:].rstrip() if len(line) > g else ""
        if not lpart.strip() and not rpart.strip():
            for side in (left, right):
                if not _mid_sentence(side):  # (the other column's spacing, inside this one's sentence: none)
                    side.append("")
            continue
        if lpart.strip():
            left.append(lpart)
        if rpart.strip():
            right.append(rpart)
    flush()
    return out


# A label opening a card's line (代表機関：, 参画自治体:), a heading's brackets (【東北】) or a mark (◆, ■).
_CARD_LEAD = re.compile(r"[^\s:：]{1,10}[:：]|【[^】]{1,10}】|[◆◇■□●○▼▽★☆]")
# Cards side by side need this many lines whose every part opens with the same label, bracket or mark.
_MIN_MIRRORED = 2
# A grid of cards is this many cards side by side at least (two are read as two columns).
_MIN_CARDS = 3
def _card_columns(lines: list[str], min_cards: int = 2) -> tuple[str, int, int] | None:
    """The page with each grid of cards set side by side read card by card, the index of the first grid's
    first line and how many grids were; None when there is none.

    A block (lines between blank lines) opens a grid when ``_MIN_MIRRORED`` of its lines at least are parts a
    gap apart (pdftotext's padding), as many on each, that all open with the same label, a heading's
    brackets or the same mark (代表機関：…　代表機関：…: a table does not repeat a label in every cell), the
    parts starting at the same places on those lines, and no line of the block runs across those places.
    The blocks right under it whose parts start exactly there too (a card's counts, its sentence) go on the
    grid. Each card (a column of the grid) is read whole, left to right; the other blocks stay as printed."""
    out: list[str] = []
    first: int | None = None
    grids = k = 0
    while k < len(lines):
        if not lines[k].strip():
            out.append(lines[k])
            k += 1
            continue
        end = _block_end(lines, k)
        found = _card_starts(lines[k:end])
        if found is None or len(found[0]) + 1 < min_cards:
            out.extend(lines[k:end])
            k = end
            continue
        starts, top = found
        out.extend(lines[k : k + top])  # a title over the cards, across them, stays as printed
        first = k + top if first is None else first
        grids += 1
        rows = list(range(k + top, end))
        while (nxt := next((j for j in range(end, len(lines)) if lines[j].strip()), None)) is not None and (
                _continues_grid(lines[nxt : _block_end(lines, nxt)], starts)):
            rows += range(end, _block_end(lines, nxt))
            end = _block_end(lines, nxt)
        cards: list[list[str]] = [[] for _ in range(len(starts) + 1)]
        for j in rows:
            ln = lines[j]
            cuts = [0, *starts, max(len(ln), starts[-1])]
            for c in range(len(cuts) - 1):
                part = ln[cuts[c] : cuts[c + 1]].strip()
                if part or not ln.strip():
                    cards[c].append(part)  # (a blank line of the grid stays a paragraph break in each card)
        for c, card in enumerate(cards):
            if c:
                out.append("")  # each card a paragraph of its own
            out.extend(card)
        k = end
    return ("\n".join(out), first, grids) if first is not None else None


def _block_end(lines: list[str], k: int) -> int:
    while k < len(lines) and lines[k].strip():
        k += 1
    return k


def _card_lead(line: str, at: int) -> str | None:
    """What opens a card's part at ``at``: its label (代表機関：), a heading's brackets (【】), a mark; else None."""
    m = _CARD_LEAD.match(line, at)
    if m is None:
        return None
    return "【】" if m.group().startswith("【") else m.group()


def _card_starts(block: list[str]) -> tuple[list[int], int] | None:
    """Where the second and later cards of a block start (character columns), and the block's line the
    cards start on (the lines above it, a title across the cards, are none of them); None (no cards)."""
    found: list[list[int]] = []
    top: int | None = None
    for i, ln in enumerate(block):
        segs = _segments(ln)
        if len(segs) < 2:
            continue
        leads = {_card_lead(ln, s) for s, _ in segs}
        if len(leads) == 1 and None not in leads:
            found.append([s for s, _ in segs[1:]])
            top = i if top is None else top
    if top is None or len(found) < _MIN_MIRRORED or len({len(f) for f in found}) != 1:
        return None
    starts = [min(f[c] for f in found) for c in range(len(found[0]))]
    if any(max(f[c] for f in found) - starts[c] > _SLACK for c in range(len(starts))):
        return None  # the cards' parts start at other places on each line: no columns
    return None if _runs_across(block[top:], starts) else (starts, top)


def _runs_across(block: list[str], starts: list[int]) -> bool:
    """Whether a line of ``block`` runs across a card's edge (text on both sides of it, no gap between)."""
    return any(s < g and e > g - 2 for ln in block for s, e in _segments(ln) for g in starts)


def _continues_grid(block: list[str], starts: list[int]) -> bool:
    """Whether a block under a grid of cards goes on with it: no line runs across the cards' edges, and on
    every line the first part in each card's width right of the first card starts exactly at the card's edge
    (its own gaps after that are the card's: 参加企業　約３１０社); a table under the cards keeps columns of its
    own, which start elsewhere."""
    if _runs_across(block, starts):
        return False
    edges = [*starts, 1 << 30]
    found = False
    for ln in block:
        segs = _segments(ln)
        for c, edge in enumerate(starts):
            inside = [s for s, _ in segs if edge - _SLACK <= s < edges[c + 1]]
            if inside and inside[0] != edge:
                return False
            found = found or bool(inside)
    return found


# A page of vertical writing as pdftotext -layout prints it: each line a row of single characters (or two
# Latin digits set across a column) a gap apart, on this share of its lines with text at least, this many
# lines.
_GRID_SHARE = 0.8
_GRID_LINES = 8


def _vertical_grid(lines: list[str]) -> str | None:
    """The page read as vertical writing when pdftotext printed it as a grid of characters (each column of
    the page a column of single characters, the columns a gap apart): each column top to bottom, the columns
    from the right, one line each (a row the column leaves blank, a space in the text, a full-width space).
    None when the page is no such grid."""
    rows = [ln for ln in lines if ln.strip()]
    if len(rows) < _GRID_LINES:
        return None
    cells: dict[int, dict[int, str]] = {}  # column position -> row -> character(s)
    gridded = 0
    for r, ln in enumerate(lines):
        tokens = [(m.start(), m.group()) for m in _TOKEN.finditer(ln)]
        if not tokens:
            continue
        if any(len(t) > 2 or len(t) == 2 and not t.isascii() for _, t in tokens):
            continue
        gridded += 1
        for at, t in tokens:
            cells.setdefault(at, {})[r] = t
    if gridded < _GRID_SHARE * len(rows) or len(cells) < 2:
        return None
    # The columns stand at a pitch: each position a gap (two spaces or more) from the next one.
    positions = sorted(cells)
    if any(b - a < 3 for a, b in zip(positions, positions[1:], strict=False)):
        return None
    out = []
    for at in reversed(positions):
        column = cells[at]
        first, last = min(column), max(column)
        out.append("".join(column.get(r, "\u3000") for r in range(first, last + 1)).rstrip("\u3000"))
    tail = len(lines) - len("\n".join(lines).rstrip("\n").split("\n"))  # the page's closing line breaks
    return "\n".join(out) + "\n" * tail


_TOKEN = re.compile(r"\S+")


def _mid_sentence(side: list[str]) -> bool:
    """Whether a column's last line stops in the middle of a sentence: running text (hiragana) that ends in no
    stop or closing bracket. A line blank across the page there (the other column's paragraph spacing, a
    table's padding) is no paragraph break of this column."""
    last = side[-1].strip() if side else ""
    return bool(last) and _HIRAGANA.search(last) is not None and last[-1] not in _SENTENCE_ENDS


_SENTENCE_ENDS = "。．.！？!?」』）)】"


def _column_text(part: str) -> bool:
    """Whether a line's part right of the gutter is a column's text: running text (hiragana), or as long as a
    column's line (``_MIN_COLUMN_CHARS``); a figure or a short label is a table's cell."""
    text = part.strip()
    return len(text) >= _MIN_COLUMN_CHARS or _HIRAGANA.search(text) is not None
