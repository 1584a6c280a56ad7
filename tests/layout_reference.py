"""Layout repair as first written (before the fast paths of issue 18), kept as the reference
that tests/test_speed_stages.py compares pipeline/text/layout.py with. Not used by the pipeline.

Layout repair: undo the damage of PDF-to-text conversion, keeping a map back to the source.

The repaired text (``NormText.text``) is what tokens and extractors read; ``NormText.origin`` maps
each of its characters to the offset of the source character it came from, so every finding can be
reported as ``source.txt[start:end]``. Repairs, in order:

1. NFKC per character (full-width digits and Latin, ``㈱`` -> ``(株)``, ``～`` -> ``~``).
2. Page furniture (a lone page number, merged spread numbers such as ``1312``) is blanked; before it, in a
   text cut into pages by form feeds, the running heads and feet (added with the repair, not first written).
3. Runs doubled by overprinted text (``安心安心・安全か安全かつ``) are removed on lines that show it.
4. Letter-spaced headings (``関　東``, ``基 本 技 術``) lose their spaces.
4b. One space between a legal form and its name loses it (added with the repair itself, not first written).
5. Lines that wrapped at the right margin are joined to their continuation, across the blank lines
   a double-spaced conversion puts between them (``両`` / ``省主催`` -> ``両省主催``).

All thresholds and character classes come from ``rules/layout.yaml``.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pipeline.core.normtext import NormText

# The rules of rules/layout.yaml this module applies: repairs, proved by the mentions read after them.
RULE_IDS = ("layout.furniture", "layout.doubled", "layout.wrap")

_HIRAGANA = re.compile(r"[\u3041-\u309f]")
_KANJI_OR_KATAKANA = re.compile(r"[\u4e00-\u9fff\u3005\u30a1-\u30fa\u30fc]")


def display_width(s: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)


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
    return " " if ch == "\t" else unicodedata.normalize("NFKC", ch)


def _nfkc_lines(source: str) -> tuple[list[_Line], dict[int, int]]:
    """The source's lines, NFKC-normalised, each character with its source offset."""
    lines: list[_Line] = []
    wide: dict[int, int] = {}
    pos = 0
    for line in source.split("\n"):
        whole = unicodedata.normalize("NFKC", line).replace("\t", " ")
        # Without marks that merge into the character before, NFKC never shortens a line, so an
        # unchanged length means every character maps to exactly one (Ａ -> A, （ -> ().
        if len(whole) == len(line) and not _MERGING.search(line):
            chars, origins = whole, range(pos, pos + len(line))
        else:
            pieces: list[str] = []
            origins = []
            _nfkc_span(source, pos, pos + len(line), pieces, origins, wide)
            chars = "".join(pieces)
        end = pos + len(line)
        lines.append(_Line(chars, origins, end if end < len(source) else None))
        pos = end + 1
    return lines, wide


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
    patterns = [re.compile(p) for p in cfg["patterns"]]
    hit = []
    for i, line in enumerate(lines):
        s = line.text.strip().strip("\f")
        if not s or not any(p.fullmatch(s) for p in patterns):
            continue
        # (a page's edge counts as a blank line: the line opens with the form feed, or the next one does)
        prev_blank = i == 0 or _is_blank(lines[i - 1]) or line.text.startswith("\f")
        next_blank = i + 1 >= len(lines) or _is_blank(lines[i + 1]) or lines[i + 1].text.startswith("\f")
        if prev_blank and next_blank:
            keep = [c == "\f" for c in line.chars]
            line.keep(keep)
            hit.append(i)
    return hit


def blank_running_lines(lines: list[_Line], cfg: dict[str, Any]) -> list[int]:
    """Running heads and feet: page by page (a line holding a form feed opens a page), the first and last
    ``running_lines`` lines that are not blank; a line there of one or two runs of words (runs without a letter aside),
    whose runs of words stand in the same place (top or bottom) on at
    least ``running_min_pages`` pages and ``running_share`` of all pages, is blanked (its form feed kept)."""
    edge = int(cfg.get("running_lines", 0))
    pages: list[list[int]] = []
    for i, line in enumerate(lines):
        if i == 0 or "\f" in line.chars:
            pages.append([])
        if line.chars.replace("\f", "").strip():
            pages[-1].append(i)
    if edge <= 0:
        return []
    need = max(int(cfg.get("running_min_pages", 3)), math.ceil(len(pages) * float(cfg.get("running_share", 0.4))))
    where: dict[tuple[str, str], set[int]] = {}
    candidates = []
    for number, page in enumerate(pages):
        for zone, chosen in (("top", page[:edge]), ("bottom", page[-edge:])):
            for i in chosen:
                text = lines[i].chars.replace("\f", " ")
                words = [run for run in text.split() if any(c.isalpha() for c in run)]
                if len(words) not in (1, 2):
                    continue
                key = " ".join(words)
                where.setdefault((zone, key), set()).add(number)
                candidates.append((i, zone, key))
    hit = sorted({i for i, zone, key in candidates if len(where[(zone, key)]) >= need})
    if len(pages) < need:
        return []
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


def remove_letter_spacing(text: str) -> list[bool]:
    """Mask dropping the spaces inside letter-spaced words (``関　東``, ``基 本 技 術``, ``2 0 0 5 年``):
    character by character, a space goes when the words on both sides are single characters (non-ASCII
    or digits) of one run of such words holding a non-ASCII character."""
    keep = [True] * len(text)
    words = text.split()
    singles = [len(w) == 1 and (not w.isascii() or w.isdigit()) for w in words]
    # The run each word belongs to: consecutive single words share a number.
    run_of, run = [], 0
    for k, one in enumerate(singles):
        if not one or k == 0 or not singles[k - 1]:
            run += 1
        run_of.append(run)
    mixed = {run_of[k] for k, w in enumerate(words) if singles[k] and not w.isascii()}
    k = -1  # the index of the word the scan is in or has just left
    in_word = False
    for i, ch in enumerate(text):
        if not ch.isspace():
            if not in_word:
                k += 1
                in_word = True
            continue
        in_word = False
        if 0 <= k < len(words) - 1 and singles[k] and singles[k + 1] and run_of[k] == run_of[k + 1] \
                and run_of[k] in mixed:
            keep[i] = False
    return keep


def drop_legal_form_spaces(text: str, words: tuple[str, ...]) -> list[bool]:
    """Mask dropping one space between a legal form and its name (公益財団法人 みやぎ…, 日本電気 株式会社),
    looked for on every line: a space with a legal form on one side and a name character (no space, no
    、,。()・:) on the other; not before a form that a name character follows (仙台市 株式会社七十七銀行)."""
    mask = [True] * len(text)
    blocked = set(" 、,。()・:") | {c for c in text if c.isspace()}
    for w in words:
        at = text.find(w)
        while at >= 0:
            after, before = at + len(w), at - 1
            if after + 1 < len(text) and text[after] == " " and text[after + 1] not in blocked:
                mask[after] = False
            if (before >= 1 and text[before] == " " and text[before - 1] not in blocked
                    and (after >= len(text) or text[after] in blocked)):
                mask[before] = False
            at = text.find(w, at + 1)
    return mask


def _indent(s: str) -> int:
    return len(s) - len(s.lstrip())


def _joinable(prev: str, nxt: str, blank_between: bool, width: int, local_max: int,
              cfg: dict[str, Any], set_width: bool = False) -> bool:
    p, n = prev.rstrip(), nxt.strip()
    # (added later) a closing quote ends nothing when the next line opens with a particle on a word that is no
    # hiragana (を always; に, が, で, は, と, へ, も, の before anything else), no sentence's stop before the quote
    quote_on = (p[-1:] in ("」", "』") and not p[:-1].rstrip().endswith(("。", "．")) and n[:1] != "" and (
        n[0] == "を" or n[0] in "にがではとへもの" and not (len(n) > 1 and "\u3041" <= n[1] <= "\u309f")))
    if not p or not n or p[-1] in cfg["terminals"] and not quote_on or n[0] in cfg["item_starts"]:
        return False
    if not (_HIRAGANA.search(p) or any(c in p for c in cfg["prose_marks"]) or _open_bracket(p)):
        return False
    if local_max <= 0 or width < cfg["min_ratio"] * local_max:
        return False
    hanging = p.lstrip()[0] in cfg["item_starts"]
    if _indent(nxt) > _indent(prev) + (cfg["hanging_indent"] if hanging else 0):
        return False  # an indented line starts something new (a sub-item, a detail line)
    # Without a blank line between, only a continuation that cannot start a unit of its own
    # (a particle or inflection: を, に, な ...), or the rest of a figure the margin cut, proves the wrap.
    figure_cut = (p[-1] in cfg["figure_ends"] and n[0] in cfg["figure_starts"]) or (
        p[-1] in cfg["figure_prefix_ends"] and n[0].isascii() and n[0].isdigit())
    if blank_between or figure_cut or n[0] in cfg["continuation_starts"]:
        return True
    # (added later) single-spaced: a line filling its paragraph's width, or leaving a quote or bracket open,
    # runs on, unless either line holds a gap (a space beside a non-Latin character, a run, a tab)
    if _gapped(p.strip()) or _gapped(n):
        return False
    return set_width or p.count("「") > p.count("」") or p.count("(") > p.count(")")


def _open_bracket(line: str) -> bool:
    """(added later) more opening brackets than closing ones, and no gap: prose for wrapping."""
    return line.count("(") > line.count(")") and not _gapped(line.strip())


def _gapped(line: str) -> bool:
    """A space beside a character that is no Latin letter or digit, a run of spaces, or a tab."""
    for x, ch in enumerate(line):
        before = line[x - 1] if x > 0 else ""
        after = line[x + 1] if x + 1 < len(line) else ""
        if ch == "\t" or ch.isspace() and after.isspace() or ch == " " and not (
                _latin_alnum(before) and _latin_alnum(after)):
            return True
    return False


def _latin_alnum(ch: str) -> bool:
    return ch != "" and ch.isascii() and ch.isalnum()


def _fills(widths: list[int], k: int, window: int, tolerance: int) -> bool:
    around = widths[max(0, k - window) : k + window + 1]
    edge = max(around) - tolerance
    return widths[k] >= edge and len([w for w in around if w >= edge]) >= 2


def _wrap_pairs(lines: list[str], cfg: dict[str, Any]) -> dict[int, int]:
    """{i: j}: line i continues on line j (blank lines between are dropped)."""
    widths = [display_width(t.rstrip()) if t.strip() else 0 for t in lines]
    nonblank = [i for i, w in enumerate(widths) if w]
    prose = [bool(_HIRAGANA.search(t) or any(c in t for c in cfg["prose_marks"]) or _open_bracket(t)) for t in lines]
    window = cfg["window"]
    numbered = re.compile(cfg["list_number"]) if cfg.get("list_number") else None
    joins = {}
    for k, i in enumerate(nonblank[:-1]):
        j = nonblank[k + 1]
        if j - i - 1 > cfg["max_blank_lines"] or any("\f" in lines[x] for x in range(i, j + 1)):
            continue
        if numbered is not None and numbered.match(lines[j].strip()):
            continue  # (added later) a line opening with a list number is an item of its own
        if j - i > 1:  # (added later) across a blank line only where the lines around are double-spaced
            pairs = range(max(0, k - window), min(len(nonblank) - 1, k + window + 1))
            spaced = sum(1 for x in pairs if nonblank[x + 1] - nonblank[x] == 2)
            inside = 0 < k < len(nonblank) - 2 and nonblank[k] - nonblank[k - 1] == 2 and (
                nonblank[k + 2] - nonblank[k + 1] == 2)  # the pairs right before and after are spaced too
            if not inside and spaced < cfg.get("double_spaced_share", 0.0) * len(pairs):
                continue
        around = nonblank[max(0, k - window) : k + window + 1]
        local_max = max((widths[x] for x in around if prose[x]), default=0)
        tolerance = cfg.get("set_width_tolerance", 0)
        by_width = [widths[x] if prose[x] and not _gapped(lines[x].strip()) else 0 for x in nonblank]
        by_chars = [len(lines[x].rstrip()) if w else 0 for x, w in zip(nonblank, by_width, strict=True)]
        set_width = tolerance > 0 and j - i == 1 and (
            _fills(by_width, k, window, tolerance) or _fills(by_chars, k, window, 1))
        if _joinable(lines[i], lines[j], j - i > 1, widths[i], local_max, cfg, set_width):
            joins[i] = j
    return joins


def _view_lines(view: NormText) -> list[_Line]:
    lines = []
    for a, b in view.line_spans():
        nl = view.origin[b] if b < len(view.text) else None
        lines.append(_Line(view.text[a:b], view.origin[a:b], nl))
    return lines


def _assemble(lines: list[_Line], joins: dict[int, int], source_len: int, wide: dict[int, int]) -> NormText:
    out_c: list[str] = []
    out_o: list[int] = []
    continued = set(joins.values())
    skip_until = -1
    for i, line in enumerate(lines):
        if i <= skip_until and i not in continued:
            continue  # blank lines between a wrapped line and its continuation
        c, o = line.chars, line.origins
        if i in continued:
            k = next((k for k, ch in enumerate(c) if not ch.isspace()), len(c))
            c, o = c[k:], o[k:]
        if i in joins:
            k = len(c)
            while k > 0 and c[k - 1].isspace():
                k -= 1
            out_c.append(c[:k])
            out_o.extend(o[:k])
            skip_until = joins[i]
            continue
        out_c.append(c)
        out_o.extend(o)
        if line.nl_origin is not None:
            out_c.append("\n")
            out_o.append(line.nl_origin)
    out_o.append(source_len)
    return NormText("".join(out_c), out_o, source_len, wide)


def repair_lines(source: str, cfg: dict[str, Any]) -> NormText:
    """Repairs 1-4: the text keeps the source's line structure (what table builders read)."""
    lines, wide = _nfkc_lines(source)
    blank_running_lines(lines, cfg["furniture"])
    blank_furniture(lines, cfg["furniture"])
    dcfg = cfg["doubled_runs"]
    legal = tuple(cfg.get("legal_forms_joined") or ())
    for line in lines:
        # Each mask is computed on the line as the repair before it left it: a line can be both
        # overprinted and letter-spaced, and a mask of the original would not fit the shortened line.
        for repair in (lambda t: repair_doubled_runs(t, dcfg),
                       remove_letter_spacing,
                       lambda t: drop_legal_form_spaces(t, legal)):
            mask = repair(line.text)
            if not all(mask):
                line.keep(mask)
    bars = cfg.get("table_bars") or ""
    for line in lines:  # a table typed with bars: its bars become spaces, character by character
        body = line.text.strip()
        if (body and body[0] in bars and body[-1] in bars and len(body) > 1
                and sum(1 for c in line.text if c in bars) >= 3):
            line.chars = "".join(" " if c in bars else c for c in line.chars)
    return _assemble(lines, {}, len(source), wide)


def join_wrapped(view: NormText, cfg: dict[str, Any]) -> NormText:
    """Repair 5: join lines wrapped at the right margin (what running text extractors read)."""
    lines = _view_lines(view)
    texts = [ln.text for ln in lines]
    joins = _wrap_pairs(texts, cfg)
    joins.update(_vertical_joins(texts, cfg))
    return _assemble(lines, joins, view.source_len, view.wide)


def join_vertical(view: NormText, cfg: dict[str, Any]) -> NormText:
    """(added later) vertical runs joined in the line view as well."""
    lines = _view_lines(view)
    return _assemble(lines, _vertical_joins([ln.text for ln in lines], cfg), view.source_len, view.wide)


def _vertical_joins(texts: list[str], cfg: dict[str, Any]) -> dict[int, int]:
    # (added later) a run of lines of one character each (vertical text printed a character per line)
    joins: dict[int, int] = {}
    min_run = int(cfg.get("vertical_run_lines") or 0)

    def one(t: str) -> bool:
        t = t.strip()
        return len(t) == 1 or (len(t) == 2 and t.isascii() and t.isalnum())

    k = 0
    while min_run >= 2 and k < len(texts):
        end = k
        while end < len(texts) and one(texts[end]):
            end += 1
        run = texts[k:end]
        if len(run) >= min_run and sum(not t.strip().isascii() for t in run) > len(run) / 2:
            for x in range(k, end - 1):
                joins[x] = x + 1
        k = max(end, k + 1)
    return joins


@dataclass
class Layout:
    """The two repaired views of a source: line-faithful, and with wrapped lines joined."""

    lines: NormText
    flow: NormText


def repair_layout(source: str, cfg: dict[str, Any]) -> Layout:
    """Apply every repair to ``source``; ``cfg`` is ``rules/layout.yaml``."""
    lines = join_vertical(repair_lines(source, cfg), cfg["wrap"])
    return Layout(lines=lines, flow=join_wrapped(lines, cfg["wrap"]))
