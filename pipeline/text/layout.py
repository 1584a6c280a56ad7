"""Layout repair: undo the damage of PDF-to-text conversion, keeping a map back to the source.

The repaired text (``NormText.text``) is what tokens and extractors read; ``NormText.origin`` maps
each of its characters to the offset of the source character it came from, so every finding can be
reported as ``source.txt[start:end]``. Repairs, in order:

1. NFKC per character (full-width digits and Latin, ``㈱`` -> ``(株)``, ``～`` -> ``~``).
2. Page furniture (a lone page number, merged spread numbers such as ``1312``) is blanked, and so are
   the running heads and feet of a text cut into pages by form feeds (pdftotext's output): a line at a
   page's top or bottom that stands there, its digits aside, on many of the pages.
3. Runs doubled by overprinted text (``安心安心・安全か安全かつ``) are removed on lines that show it.
4. Letter-spaced headings (``関　東``, ``基 本 技 術``) lose their spaces.
5. One space between a legal form and its name (``公益財団法人 みやぎ産業振興機構``, ``日本電気 株式会社``) is
   dropped.
6. A table typed with bars (``| 名称 | 142億円 |``) loses its bars: spaces set its cells apart, as in a
   borderless table (the rule under its header, ``|---|``, keeps its dashes).
7. Lines that wrapped at the right margin are joined to their continuation, across the blank lines
   a double-spaced conversion puts between them (``両`` / ``省主催`` -> ``両省主催``).

All thresholds and character classes come from ``rules/layout.yaml``.

Most lines need none of this: a line NFKC leaves as long as it was keeps a ``range`` of origins, and
cheap tests (NFKC's quick check per line, array comparisons over the whole text for doubled runs, one
regex per line for letter spacing) pick out the few lines the character-by-character repairs run on.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from pipeline.core.normtext import NormText, fold, foldable, nfkc

# The rules of rules/layout.yaml this module applies: repairs, proved by the mentions read after them.
RULE_IDS = ("layout.furniture", "layout.doubled", "layout.wrap", "layout.legal_form_space", "layout.table_bars")

_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI_OR_KATAKANA = re.compile(r"[\u4e00-\u9fff\u3005\u30a1-\u30fa\u30fc]")


class _Widths(dict[str, int]):
    """Display width of each character seen so far (East Asian wide and full-width: 2)."""

    def __missing__(self, ch: str) -> int:
        if len(self) >= 65_536:  # a bound for texts of every character there is
            self.clear()
        w = self[ch] = 2 if unicodedata.east_asian_width(ch) in "WF" else 1
        return w


_WIDTHS = _Widths()


def display_width(s: str) -> int:
    return len(s) if s.isascii() else sum(map(_WIDTHS.__getitem__, s))


class _Line:
    """One line as its text with one origin per character; the newline after it is kept separately.

    The text is a string, not a list of characters: a list holds one string object per character
    (some 80 bytes each for kana and kanji), which on a long document costs gigabytes.
    """

    __slots__ = ("chars", "origins", "nl_origin")

    def __init__(self, chars: str, origins: Sequence[int], nl_origin: int | None) -> None:
        self.chars, self.origins, self.nl_origin = chars, origins, nl_origin

    @property
    def text(self) -> str:
        return self.chars

    def keep(self, mask: list[bool]) -> None:
        self.chars = "".join(c for c, k in zip(self.chars, mask, strict=True) if k)
        self.origins = [o for o, k in zip(self.origins, mask, strict=True) if k]


# Voiced sound marks (half-width, spacing, combining) and the combining diacritic blocks.
_MERGING = re.compile("[\uff9e\uff9f\u3099-\u309c\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@functools.lru_cache(maxsize=8192)
def _nfkc(ch: str) -> str:
    return " " if ch == "\t" else nfkc(ch)


def _nfkc_lines(source: str) -> tuple[list[_Line], dict[int, int]]:
    """The source's lines, NFKC-normalised, each character with its source offset."""
    lines: list[_Line] = []
    wide: dict[int, int] = {}
    pos = 0
    merging = _MERGING.search(source) is not None
    # A line NFKC leaves as it is holds a dash to fold only if the source holds one somewhere.
    folds = foldable(source)
    for line in source.split("\n"):
        # Most lines are NFKC already, which is quickly checked; only the others are normalised.
        if unicodedata.is_normalized("NFKC", line):
            whole = fold(line) if folds else line
        else:
            whole = fold(unicodedata.normalize("NFKC", line))
        if "\t" in whole:
            whole = whole.replace("\t", " ")
        # Without marks that merge into the character before, NFKC never shortens a line, so an
        # unchanged length means every character maps to exactly one (Ａ -> A, （ -> ().
        if len(whole) == len(line) and not (merging and _MERGING.search(line)):
            chars, origins = whole, range(pos, pos + len(line))
        else:
            pieces: list[str] = []
            origins = []
            _nfkc_span(source, pos, pos + len(line), pieces, origins, wide)
            chars = "".join(pieces)
        if "\uff0e" in line or "\uff0c" in line:
            chars = _white_paper_marks(chars, origins, source)
        end = pos + len(line)
        lines.append(_Line(chars, origins, end if end < len(source) else None))
        pos = end + 1
    return lines, wide


def _white_paper_marks(chars: str, origins: Sequence[int], source: str) -> str:
    """A line's full-width comma and full stop (，．, as white papers print 、。) as 、 and 。 where they part
    words and end sentences; NFKC made them , and . which every rule reads as a figure's separator or a
    list number's dot. Between digits they stay (１，２００, ２．５), and so does a full stop after a digit
    or a Latin letter (１．予算額, No．3) or after the one character opening the line (ア．…)."""
    out = list(chars)
    first = len(chars) - len(chars.lstrip())  # where the line's text starts
    for i, ch in enumerate(chars):
        if ch not in ",." or source[origins[i]] not in "\uff0c\uff0e":
            continue
        prev = chars[i - 1] if i else ""
        nxt = chars[i + 1] if i + 1 < len(chars) else ""
        if ch == "," and not (prev.isdigit() and nxt.isdigit()):
            out[i] = "、"
        elif (ch == "." and prev and not (prev.isdigit() or prev.isascii() and prev.isalpha())
              and i != first + 1):  # (ア．…: one character opening the line and a dot, a list's mark)
            out[i] = "。"
    return "".join(out)


def _nfkc_span(source: str, start: int, end: int, chars: list[str], origins: list[int],
               wide: dict[int, int]) -> None:
    """Character by character, for lines where NFKC changes lengths (㈱ -> (株), ｶﾞ -> ガ)."""
    for i in range(start, end):
        ch = source[i]
        n = _nfkc(ch)
        if n == ch:
            chars.append(ch)
            origins.append(i)
            continue
        if n and unicodedata.combining(n[0]) and chars:
            # Half-width voiced marks: compose with the previous character (ｶﾞ -> ガ).
            composed = unicodedata.normalize("NFC", chars[-1] + n)
            if len(composed) == 1:
                chars[-1] = composed
                wide[origins[-1]] = i + 1
                continue
        for c in n:
            chars.append(c)
            origins.append(i)


def _is_blank(line: _Line) -> bool:
    return not line.text.strip() or line.text.strip() == "\f"


def blank_furniture(lines: list[_Line], cfg: dict[str, Any]) -> list[int]:
    """Blank lines that are page furniture; return their indexes."""
    furniture = _furniture_re(tuple(cfg["patterns"]))
    hit = []
    # Whether each line is blank, once: blanking a line below changes no later answer, since the line
    # after a blanked one is blank itself (so never furniture).
    blank = [not (t := line.chars.strip()) or t == "\f" for line in lines]  # _is_blank, inlined
    for i, line in enumerate(lines):
        # Furniture stands between blank lines, or a page's edge: its first line (after the form feed) or
        # its last (before the next page's form feed: `- 3 -` then `\f` in a text file).
        if not (i == 0 or blank[i - 1] or line.chars.startswith("\f")) or not (
                i + 1 >= len(lines) or blank[i + 1] or lines[i + 1].chars.startswith("\f")):
            continue
        s = line.text.strip().strip("\f")
        if not s or furniture.fullmatch(s) is None:
            continue
        line.keep([c == "\f" for c in line.chars])
        hit.append(i)
    return hit


@functools.lru_cache(maxsize=8)
def _furniture_re(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One pattern for all of ``patterns`` (each matched whole): one regex call per line, not one each."""
    return re.compile("|".join(f"(?:{p})" for p in patterns) or "(?!)")


_RUNNING_CELLS = re.compile(r"\S+")


def blank_running_lines(lines: list[_Line], cfg: dict[str, Any]) -> list[int]:
    """Blank the running heads and feet of a text whose pages form feeds separate; return their indexes.

    A page's top is its first ``running_lines`` lines that are not blank, its bottom its last ones. A line
    there is a running head (or foot) when its runs of words (between spaces; a run without a letter,
    such as the page number, aside) stand in the same place on ``running_min_pages`` pages at least and
    on ``running_share`` of them: the brochure's title and edition over every page (地域イノベーション
    施策の概要　平成21年度　3), its ministry under it. A line of three runs of words or more, such as a
    table's header row repeated over each page the table runs onto, is kept: the builders read its
    columns. The form feed stays. ``cfg`` is ``furniture`` of ``rules/layout.yaml``."""
    edge = int(cfg.get("running_lines", 0))
    if edge <= 0:
        return []
    pages: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        if "\f" in line.chars and (pages[-1] or i):
            pages.append([])
        if line.chars.strip() and line.chars.strip() != "\f":
            pages[-1].append(i)
    threshold = max(int(cfg.get("running_min_pages", 3)), -(-len(pages) * float(cfg.get("running_share", 0.4)) // 1))
    if len(pages) < threshold:
        return []
    seen: dict[tuple[str, str], set[int]] = {}
    placed: list[tuple[int, str, str]] = []
    for p, page in enumerate(pages):
        for zone, idxs in (("top", page[:edge]), ("bottom", page[-edge:])):
            for i in idxs:
                text = lines[i].chars
                worded = [run for run in _RUNNING_CELLS.findall(text.replace("\f", " ")) if any(map(str.isalpha, run))]
                if not worded or len(worded) > 2:
                    continue
                key = " ".join(worded)
                seen.setdefault((zone, key), set()).add(p)
                placed.append((i, zone, key))
    hit = sorted({i for i, zone, key in placed if len(seen[(zone, key)]) >= threshold})
    for i in hit:
        lines[i].keep([c == "\f" for c in lines[i].chars])
    return hit


@functools.lru_cache(maxsize=4)
def _adjacent_repeat(max_run: int) -> re.Pattern[str]:
    return re.compile(rf"(\S{{2,{max_run}}}?)\1")


def _strong_double(run: str) -> bool:
    return len(_KANJI_OR_KATAKANA.findall(run)) >= 2 or (len(run) >= 3 and bool(_KANJI_OR_KATAKANA.search(run)))


def repair_doubled_runs(text: str, cfg: dict[str, Any]) -> list[bool]:
    """Mask of the characters to keep in a line printed twice over itself.

    A run of up to ``cfg["max_run"]`` characters that repeats the characters just before it is dropped
    (``手術手術`` -> ``手術``); the line is only touched when it holds at least ``cfg["min_doubles"]``
    strong repeats (two or more kanji/katakana), so ordinary reduplication (``ますます``) is left
    alone. ``cfg`` is ``doubled_runs`` of ``rules/layout.yaml``.
    """
    min_doubles, max_run = cfg["min_doubles"], cfg["max_run"]

    # Cheap test first: enough strong runs followed at once by themselves (a regex in C).
    strong = sum(1 for m in _adjacent_repeat(max_run).finditer(text) if _strong_double(m.group(1)))
    if strong < min_doubles:
        return [True] * len(text)

    def scan(strong_only: bool) -> tuple[list[bool], int]:
        keep = [True] * len(text)
        kept: list[str] = []
        i, count = 0, 0
        while i < len(text):
            skipped = False
            for m in range(min(max_run, len(kept), len(text) - i), 1, -1):
                if kept[-m] != text[i]:
                    continue  # cheap first-character test before comparing whole runs
                run = text[i : i + m]
                if "".join(kept[-m:]) != run or run.isdigit() or not run.strip():
                    continue
                if strong_only and not _strong_double(run):
                    continue
                if not strong_only and not re.search(r"[^\x00-\x7f]", run):
                    continue
                for j in range(i, i + m):
                    keep[j] = False
                i += m
                count += 1
                skipped = True
                break
            if not skipped:
                kept.append(text[i])
                i += 1
        return keep, count

    _, strong = scan(strong_only=True)
    if strong < min_doubles:
        return [True] * len(text)
    keep, _ = scan(strong_only=False)
    return keep


# Two single characters in a row, each a word of its own, one of them non-ASCII and the other non-ASCII or
# a digit: the only thing remove_letter_spacing changes (a line without this is left as it is).
_LETTER_SPACED = re.compile(r"(?<!\S)(?:[^\s\x00-\x7f]\s+[^\s\x00-\x2f\x3a-\x7f]|[0-9]\s+[^\s\x00-\x7f])(?!\S)")


def _doubled_candidates(lines: list[_Line], max_run: int) -> set[int]:
    """Indexes of the lines that may hold a run of 2..``max_run`` characters followed at once by itself
    (what ``repair_doubled_runs`` looks for): the others have none. Array comparisons over the whole text,
    one per run length: position i starts such a run of length m when text[i+k] == text[i+m+k] for k < m."""
    text = "\n".join(line.chars for line in lines)
    codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    hits: list[np.ndarray] = []
    for m in range(2, max_run + 1):
        if len(codes) < 2 * m:
            break
        run = codes[:-m] == codes[m:]  # run[i]: text[i+k] == text[i+m+k] for every k < width (now 1)
        width = 1
        while width < m:  # widen to m, at most doubling each step
            step = min(width, m - width)
            run = run[:-step] & run[step:]
            width += step
        hits.append(np.flatnonzero(run))
    if not hits:
        return set()
    starts = np.cumsum([0] + [len(line.chars) + 1 for line in lines[:-1]])
    return set((np.searchsorted(starts, np.concatenate(hits), side="right") - 1).tolist())


def remove_letter_spacing(text: str) -> list[bool]:
    """Mask dropping the spaces inside letter-spaced words (``関　東``, ``基 本 技 術``, ``2 0 0 5 年``).

    A run of single characters, each a word of its own, is one word when the characters are non-ASCII or
    digits and at least one is non-ASCII: digits alone (``1 2 3``, the cells of a row) stay apart."""
    keep = [True] * len(text)
    tokens = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]

    def single(t: tuple[int, int]) -> bool:
        return t[1] - t[0] == 1 and (not text[t[0]].isascii() or text[t[0]].isdigit())

    run: list[tuple[int, int]] = []
    for t in [*tokens, (len(text), len(text))]:
        if t[1] > t[0] and single(t):
            run.append(t)
            continue
        if len(run) >= 3 and not text[: run[0][0]].strip() and text[run[0][0]].isdigit() and not any(
                text[a].isdigit() for a, _ in run[1:]):
            run = run[1:]  # １　日　時: a list number opening the line, then a letter-spaced label (not 2 0 0 5 年)
        if len(run) >= 2 and any(not text[a].isascii() for a, _ in run):
            for a, b in zip(run, run[1:], strict=False):
                for j in range(a[1], b[0]):
                    keep[j] = False
        run = []
    return keep


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip())


def _joinable(prev: str, nxt: str, blank_between: bool, width: int, local_max: int,
              cfg: dict[str, Any], set_width: bool = False) -> bool:
    """Whether ``prev`` goes on on ``nxt``. ``set_width``: ``prev`` reaches the right margin of a paragraph
    set to a width (the widest prose lines around, two of them at least)."""
    p, n = prev.rstrip(), nxt.strip()
    if not p or not n or p[-1] in cfg["terminals"] and not _quote_goes_on(p, n) or n[0] in cfg["item_starts"]:
        return False
    if not _prose_re(cfg["prose_marks"]).search(p) and not _open_bracket(p):
        return False  # (a line leaving a bracket open goes on whatever it holds: …フォーラム（令和7年6月12)
    if local_max <= 0 or width < cfg["min_ratio"] * local_max:
        return False
    hanging = p.lstrip()[0] in cfg["item_starts"]
    if _indent(nxt) > _indent(prev) + (cfg["hanging_indent"] if hanging else 0):
        return False  # an indented line starts something new (a sub-item, a detail line)
    # Without a blank line between, only a continuation that cannot start a unit of its own
    # (a particle or inflection: を, に, な ...), or the rest of a figure the margin cut, proves the wrap.
    figure_cut = ((p[-1] in cfg["figure_ends"] and n[0] in cfg["figure_starts"]) or (
        p[-1] in cfg["figure_prefix_ends"] and n[0].isascii() and n[0].isdigit())) and not _cell_number(n) and (
        _NOTE_REFERENCE_END.search(p) is None)  # (…展示館※2 over 11月12日: a note's number, no figure cut)
    if figure_cut and _FIGURE_CELL_END.search(p) is not None and _LINE_GAP.search(n) is not None:
        figure_cut = False  # …展示館　120 over 11月12日(火)　…: a table's last cell, then the next row
    return (blank_between or figure_cut or n[0] in cfg["continuation_starts"]
            or _runs_on(p, n, set_width))


# A figure alone after a gap closing a line: a table row's last cell (…展示館　120).
_FIGURE_CELL_END = re.compile(r"(?:\s{2,}|\t|(?<![A-Za-z0-9]) )[\d,.]+$")
# A note's reference mark and its number closing a line (after NFKC: ※2, *1).
_NOTE_REFERENCE_END = re.compile(r"[※*]\d{1,2}$")
# A particle opening a line, on a word that is no hiragana (を推進, が参画, の取組): the sentence goes on.
_PARTICLE_OPENING = re.compile("を|[にがではとへもの](?![\u3041-\u309f])")


def _open_bracket(line: str) -> bool:
    """Whether a line (after NFKC) leaves a bracket open and holds no gap (a table's row): a list item of no
    hiragana that the margin broke inside its bracket of date and venue reads as prose does."""
    return line.count("(") > line.count(")") and _LINE_GAP.search(line.strip()) is None


def _quote_goes_on(p: str, n: str) -> bool:
    """Whether a line ending in a closing quote goes on: the next opens with a particle (…「…クラスター」 /
    を推進している), and no sentence ends before the quote closes."""
    return p[-1] in "」』" and not p[:-1].rstrip().endswith(("。", "．")) and _PARTICLE_OPENING.match(n) is not None


def _runs_on(p: str, n: str, set_width: bool) -> bool:
    """In single-spaced text, whether line ``p`` runs on to ``n`` though ``n`` opens with a character that
    may open a line (…「くす / りのシンポジウム…」): ``p`` fills its paragraph's width, or leaves a quote or a
    bracket open; neither line holds a gap (a table's row)."""
    if _LINE_GAP.search(p.strip()) or _LINE_GAP.search(n):
        return False
    return set_width or p.count("「") > p.count("」") or p.count("(") > p.count(")")


# A gap inside a line (after NFKC): a space beside a character that is no Latin letter or digit (a full-width
# space between Japanese words; Latin words keep one space between them), a run of spaces, a tab.
_LINE_GAP = re.compile(r"(?<![A-Za-z0-9]) | (?![A-Za-z0-9])|\s{2,}|\t")


_CELL_NUMBER = re.compile(r"[\d,.]+\s")


def _cell_number(line: str) -> bool:
    """Whether a line opens with a figure standing apart, a gap after it (a table's row number, ``2　あおもり…``):
    a cell of its own, never the rest of a figure the margin cut (``0社``, ``1年度``)."""
    return _CELL_NUMBER.match(line) is not None


@functools.lru_cache(maxsize=8)
def _prose_re(prose_marks: str) -> re.Pattern[str]:
    """Hiragana or one of the prose marks: a line of prose."""
    marks = "".join(re.escape(c) for c in sorted(set(prose_marks)))
    return re.compile(_HIRAGANA.pattern + (f"|[{marks}]" if marks else ""))


def _wrap_pairs(lines: list[str], cfg: dict[str, Any]) -> dict[int, int]:
    """{i: j}: line i continues on line j (blank lines between are dropped).

    The tests of :func:`_joinable`, cheapest first: a pair that ends a sentence or opens an item is
    dropped before the prose test, the widths and the local margin are looked at.
    """
    nonblank = [i for i, t in enumerate(lines) if t.strip()]
    if len(nonblank) < 2:
        return {}
    prose_re = _prose_re(cfg["prose_marks"])
    # Width of each non-blank line when it is prose, else 0 (widths are positive: the window's maximum
    # is the widest prose line, 0 when there is none). Only prose lines can wrap, so only theirs is needed.
    prose_widths = [display_width(lines[i].rstrip()) if prose_re.search(lines[i]) or _open_bracket(lines[i]) else 0
                    for i in nonblank]
    window, max_blank = cfg["window"], cfg["max_blank_lines"]
    terminals, item_starts = cfg["terminals"], cfg["item_starts"]
    pages = {i for i, t in enumerate(lines) if "\f" in t} if any("\f" in t for t in lines) else set()
    # Whether each pair of neighbouring non-blank lines has exactly one blank line between (the mark of
    # a double-spaced conversion), and how many such pairs come before each pair (window sums below).
    spaced = [nonblank[k + 1] - nonblank[k] == 2 for k in range(len(nonblank) - 1)]
    spaced_before = [0, *itertools.accumulate(spaced)]
    share = cfg.get("double_spaced_share", 0.0)
    numbered = _list_number_re(cfg.get("list_number") or "")
    tolerance = int(cfg.get("set_width_tolerance", 0))
    # Each prose line's display width and characters, 0 for a line holding a gap (a table's row sets no
    # paragraph's width), made when first asked for.
    fill: list[list[int]] = []

    def fill_widths() -> list[list[int]]:
        if not fill:
            gapless = [w if w and not _LINE_GAP.search(lines[x].strip()) else 0
                       for x, w in zip(nonblank, prose_widths, strict=True)]
            fill.append(gapless)
            fill.append([len(lines[x].rstrip()) if w else 0 for x, w in zip(nonblank, gapless, strict=True)])
        return fill

    joins = {}
    for k in range(len(nonblank) - 1):
        i, j = nonblank[k], nonblank[k + 1]
        if j - i - 1 > max_blank:
            continue
        p, n = lines[i].rstrip(), lines[j].strip()
        if (p[-1] in terminals and not _quote_goes_on(p, n) or n[0] in item_starts or not prose_widths[k]
                or not prose_re.search(p) and not _open_bracket(p)):
            continue
        if pages and any(x in pages for x in range(i, j + 1)):
            continue
        if numbered is not None and numbered.match(n):
            continue  # a list number opens the line (2.採択拠点一覧, (3)): a new item, never the rest of one
        if j - i > 1:
            # Across a blank line only where the lines around are double-spaced (the pairs right before and
            # after this one, or most pairs in the window): elsewhere a blank line ends a paragraph, a title
            # or a table (14,100 | blank | 2.採択拠点一覧 are two things).
            a, b = max(0, k - window), min(len(spaced), k + window + 1)
            if not (0 < k < len(spaced) - 1 and spaced[k - 1] and spaced[k + 1]) and (
                    spaced_before[b] - spaced_before[a] < share * (b - a)):
                continue
        around = prose_widths[max(0, k - window) : k + window + 1]
        local_max = max(around)
        set_width = tolerance > 0 and j - i == 1 and (
            _fills(fill_widths()[0], k, window, tolerance) or _fills(fill_widths()[1], k, window, 1))
        if _joinable(lines[i], lines[j], j - i > 1, prose_widths[k], local_max, cfg, set_width):
            joins[i] = j
    return joins


def _fills(widths: list[int], k: int, window: int, tolerance: int) -> bool:
    """Whether line ``k`` of ``widths`` (0: no prose) reaches within ``tolerance`` of the widest prose line
    around it, and another line there does too: a paragraph set to a width, this line filling it. Widths are
    display widths, or characters (a full-width digit NFKC made half-width still took a full column)."""
    around = widths[max(0, k - window) : k + window + 1]
    edge = max(around) - tolerance
    return widths[k] >= edge and sum(w >= edge for w in around) >= 2


def _one_cell(line: str) -> bool:
    """Whether a line is one character of vertical text as a conversion prints it: one character, or two
    half-width digits or letters set across the column (縦中横, the 21 of 平成21年度)."""
    t = line.strip()
    return len(t) == 1 or (len(t) == 2 and t.isascii() and t.isalnum())


def _vertical_runs(lines: list[str], min_run: int) -> dict[int, int]:
    """{i: i + 1} for the lines of each run of at least ``min_run`` lines of one character each, no blank
    line between, most of them not ASCII: vertical text a conversion printed a character per line (平 / 成 /
    21 / 年 / 度), read as one line."""
    joins: dict[int, int] = {}
    if min_run < 2:
        return joins
    i = 0
    while i < len(lines):
        if not _one_cell(lines[i]):
            i += 1
            continue
        j = i
        while j + 1 < len(lines) and _one_cell(lines[j + 1]):
            j += 1
        run = lines[i : j + 1]
        if len(run) >= min_run and 2 * sum(1 for t in run if not t.strip().isascii()) > len(run):
            joins.update((k, k + 1) for k in range(i, j))
        i = j + 1
    return joins


@functools.lru_cache(maxsize=8)
def _list_number_re(pattern: str) -> re.Pattern[str] | None:
    return re.compile(pattern) if pattern else None


def _assemble(lines: list[_Line], source_len: int, wide: dict[int, int]) -> NormText:
    """The lines joined by their line breaks, with their origins."""
    text = "\n".join(line.chars for line in lines)
    if all(type(line.origins) is range for line in lines):
        # Every line kept one origin per source character, and each line break is the source's: the
        # origins are the source offsets in order.
        return NormText(text, list(range(source_len + 1)), source_len, wide)
    out_o: list[int] = []
    for line in lines:
        out_o.extend(line.origins)
        if line.nl_origin is not None:
            out_o.append(line.nl_origin)
    out_o.append(source_len)
    return NormText(text, out_o, source_len, wide)


def repair_lines(source: str, cfg: dict[str, Any]) -> NormText:
    """Repairs 1-6: the text keeps the source's line structure (what table builders read)."""
    lines, wide = _nfkc_lines(source)
    if "\f" in source:
        blank_running_lines(lines, cfg["furniture"])
    blank_furniture(lines, cfg["furniture"])
    words = tuple(cfg.get("legal_forms_joined") or ())
    legal_space = _legal_space_re(words)
    legal_lines = _legal_space_lines(source, words) if legal_space is not None else set()
    dcfg = cfg["doubled_runs"]
    # A line with no run followed by itself has no strong doubles: fewer than min_doubles when that is 1+.
    doubled = _doubled_candidates(lines, dcfg["max_run"]) if dcfg["min_doubles"] >= 1 else range(len(lines))
    for i, line in enumerate(lines):
        # Each mask is computed on the line as the repair before it left it: a line can be both
        # overprinted and letter-spaced, and a mask of the original would not fit the shortened line.
        if i in doubled:
            mask = repair_doubled_runs(line.text, dcfg)
            if not all(mask):
                line.keep(mask)
        if _LETTER_SPACED.search(line.text):
            mask = remove_letter_spacing(line.text)
            if not all(mask):
                line.keep(mask)
        if i in legal_lines and legal_space is not None:
            line.keep(_without(line.text, legal_space))
    bars = cfg.get("table_bars") or ""
    if bars and any(b in source for b in bars):
        unbar_tables(lines, bars)
    return _assemble(lines, len(source), wide)


def unbar_tables(lines: list[_Line], bars: str) -> None:
    """Repair 5: a table typed with bars (| 共創の場… | 142億円 |, as Markdown or a web page's text has
    it) reads as a table set apart by spaces: each bar of such a line becomes a space (its origin kept).
    The rule under its header (|---|---:|) keeps its dashes: a line of no words, yet no blank line, so the
    rows stay in one block with their header. A line is a table's when it opens and closes with a bar and
    holds three bars at least."""
    cls = re.escape(bars)
    row = re.compile(rf"\s*[{cls}].*[{cls}]\s*")
    for line in lines:
        text = line.text
        if sum(text.count(b) for b in bars) >= 3 and row.fullmatch(text):
            line.chars = re.sub(f"[{cls}]", " ", text)


def _without(text: str, pattern: re.Pattern[str]) -> list[bool]:
    """A mask dropping the last character of each match of ``pattern`` in ``text`` (the space)."""
    mask = [True] * len(text)
    for m in pattern.finditer(text):
        mask[m.end() - 1] = False
    return mask


def _legal_space_lines(source: str, words: tuple[str, ...]) -> set[int]:
    """The lines of ``source`` (0-based) where one space stands next to a legal form: each form found by
    ``str.find`` (they are rare), its neighbours looked at, newlines counted between the finds (the
    repair then reads only those lines)."""
    spaces = " \u3000\t"
    hits: list[int] = []
    for w in words:
        pos = source.find(w)
        while pos >= 0:
            after, before = pos + len(w), pos - 1
            if (after + 1 < len(source) and source[after] in spaces and not source[after + 1].isspace()) or (
                    before >= 1 and source[before] in spaces and not source[before - 1].isspace()):
                hits.append(pos)
            pos = source.find(w, pos + 1)
    found: set[int] = set()
    line, at = 0, 0
    for pos in sorted(hits):
        line += source.count("\n", at, pos)
        at = pos
        found.add(line)
    return found


@functools.lru_cache(maxsize=8)
def _legal_space_re(words: tuple[str, ...]) -> re.Pattern[str] | None:
    """One space between a legal form and the name it belongs to (公益財団法人 みやぎ産業振興機構,
    日本電気 株式会社): not a gap of two or more, not before or after punctuation, and not before a legal form
    that a name follows at once (仙台市 株式会社七十七銀行: the form is that name's)."""
    if not words:
        return None
    alt = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    name_char = r"[^\s、,。()・:]"
    return re.compile(rf"(?:{alt})[ ](?={name_char})|(?<={name_char})[ ](?=(?:{alt})(?!{name_char}))")


def join_wrapped(view: NormText, cfg: dict[str, Any]) -> NormText:
    """Repair 5: join lines wrapped at the right margin (what running text extractors read).

    A join drops what lies between the wrapped line's last visible character and its continuation's
    first: trailing spaces, the line break, the blank lines, leading spaces. Everything else is copied in
    slices of the view."""
    spans = view.line_spans()
    text = view.text
    lines = [text[a:b] for a, b in spans]
    joins = _wrap_pairs(lines, cfg)
    joins.update(_vertical_runs(lines, int(cfg.get("vertical_run_lines") or 0)))
    return _joined(view, spans, lines, joins)


def join_vertical(view: NormText, cfg: dict[str, Any]) -> NormText:
    """Vertical text a conversion printed a character per line (平 / 成 / ２ / １ / 年 / 度 / 予 / 算) read as
    one line in the line-faithful view too: a heading printed so heads what follows it as any line does."""
    min_run = int(cfg.get("vertical_run_lines") or 0)
    if min_run < 2 or _vertical_hint(min_run).search(view.text) is None:
        return view  # (most documents: no run of one-character lines; one scan says so)
    spans = view.line_spans()
    lines = [view.text[a:b] for a, b in spans]
    return _joined(view, spans, lines, _vertical_runs(lines, min_run))


@functools.lru_cache(maxsize=4)
def _vertical_hint(min_run: int) -> re.Pattern[str]:
    """``min_run`` lines in a row of at most two characters each (what every vertical run holds)."""
    cell = r"[^\S\n]*\S{1,2}[^\S\n]*"
    return re.compile(rf"(?m)^(?:{cell}\n){{{min_run - 1}}}{cell}$")


def _joined(view: NormText, spans: list[tuple[int, int]], lines: list[str], joins: dict[int, int]) -> NormText:
    """``view`` with each line ``i`` of ``joins`` joined to line ``joins[i]`` (what lies between dropped)."""
    text = view.text
    if not joins:
        return NormText(text, view.origin[: len(text)] + [view.source_len], view.source_len, view.wide)
    out_c: list[str] = []
    out_o: list[int] = []
    cursor = 0
    for i, j in sorted(joins.items()):
        cut = spans[i][0] + len(lines[i].rstrip())
        resume = spans[j][0] + len(lines[j]) - len(lines[j].lstrip())
        out_c.append(text[cursor:cut])
        out_o.extend(view.origin[cursor:cut])
        cursor = resume
    out_c.append(text[cursor:])
    out_o.extend(view.origin[cursor : len(text)])
    out_o.append(view.source_len)
    return NormText("".join(out_c), out_o, view.source_len, view.wide)


@dataclass
class Layout:
    """The two repaired views of a source: line-faithful, and with wrapped lines joined."""

    lines: NormText
    flow: NormText


def repair_layout(source: str, cfg: dict[str, Any]) -> Layout:
    """Apply every repair to ``source``; ``cfg`` is ``rules/layout.yaml``."""
    lines = join_vertical(repair_lines(source, cfg), cfg["wrap"])
    return Layout(lines=lines, flow=join_wrapped(lines, cfg["wrap"]))
