"""budget.csv: the budget lines of a fiscal-year overview, rebuilt as a tree and audited.

The conversion prints sub-lines before their parents and the two ministries' columns interleaved, so
the tree is rebuilt from knowledge, not position: ``rules/budget.yaml`` names known parent-child
pairs, and lines no rule places are placed where their amounts complete a parent, consistently at
every level (children add up to their parent; see :func:`_place_by_sums`). Every parent's children are
summed and checked; a mismatch is a warning, and a line that cannot be placed is a warning, never a
guess. In a document whose lines stand in order, a line that rules and sums leave unplaced goes under
the nearest line above it indented less, if that line has room for its amount, with a warning saying
so; a line opening with うち (of which) is a part of the line above and is not summed.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from pipeline.core.document import Document, ViewLine, canonical_text
from pipeline.core.normtext import nfkc
from pipeline.core.schema import DOC, INTEGER, LINE, STRING, ForeignKey, Table, column
from pipeline.core.spans import Span
from pipeline.extractors.common import kana_place_front
from pipeline.extractors.organizations import organization_extractor
from pipeline.tables.common import (
    DETAIL_OPENING,
    ENUMERATOR,
    Figures,
    bullets,
    fiscal_year_of,
    item_lead,
    kana_place_words,
    leading_bullets,
    lines_holding,
    mention_starts,
    starts_on,
    strip_bullets,
    view_index,
)
from pipeline.text.layout import display_width
from pipeline.text.tokens import token_offsets

# (新規), (拡充), (一部新規), ※2: a note after a line's amount, or a note's reference mark (after NFKC)
_NOTE = re.compile(r"(?:\([^()。]{1,12}\)|[※*]\d{0,2})+")
# Columns of figures after a line's last amount (a rate 105.2%, a change +640 in a column of no unit, a dash
# in a column with no figure: －, ―): a table's row, not a sentence around its figure.
_FIGURE_COLUMNS = re.compile(r"(?:(?:[+\-±△▲▼]?[ ]?\d[\d,.]*[ ]?%?|[\-―—–‐─]{1,3})[ ]*)+")
# The end of a bracket holding a line's amount after its name (…プログラム（8億円、新規採択なし）): a short note.
_BRACKET_AMOUNT_END = re.compile(r"\s*(?:[、,][^()。、]{1,20})?\)")
_WORD = re.compile(r"[^\W\d_]")  # a letter of any script: a name holds one
_NUMBERED = re.compile(r"\(?\d{1,2}[.)]")  # 3. or (3): a numbered heading
# A chapter's or a part's number before a heading's words (第２章　予算, 第3節, II. 予算: Ⅱ after NFKC).
_CHAPTER_NUMBER = re.compile(r"第[\d一二三四五六七八九十]{1,3}[章節部編][ ]?|[IVX]{1,4}[.][ ]?")

# A regex that is plain text, or words of plain text between |, (no other character with a meaning in a
# pattern) matches what it spells: never a line break.
_PLAIN = re.compile(r"[^.^$*+?{}\[\]\\|()\n]*(?:\|[^.^$*+?{}\[\]\\|()\n]+)*")


@dataclass
class _Item:
    name: str
    amount: int
    line: int
    is_ministry: bool
    parent: str | None = None
    children: list[str] = field(default_factory=list)
    indent: int | None = None  # leading spaces of its line, when it is the line's only or first item
    partial: bool = False  # うち…: a part of the line above, already inside its amount
    orphan: bool = False  # a part whose whole line names no item (令和5年度予算額 28億円): no parent
    owner: str = ""  # the ministry a column of its line names (文部科学省　共創の場形成支援プログラム　13,800)


def _segments(doc: Document, ln: ViewLine, figures: Figures | None = None,
              stated: bool = False, partial: tuple[str, ...] = (),
              listed: Callable[[str], bool] | None = None) -> list[tuple[str, Span]]:
    """(label, amount) pairs of a line: each amount with the text between it and the one before.
    ``figures``: the document's amounts, when the caller has them. ``listed`` says whether a label is a
    list's item standing right before its amount (、経済産業省): the list's last amount may then close the
    sentence that states them all (…、経済産業省１６６億円となっている。). With ``stated``, the last amount may
    close a sentence that states it (平成21年度予算額は75億円である。). With ``partial``, a bracket after an
    amount opening with one of them holds a part of it (１４２億円（うち新規採択分　２０億円）: the part's label
    and amount)."""
    out = []
    prev_end = ln.start
    amounts = (figures or Figures(doc, ("amount",))).on(ln)
    for k, m in enumerate(amounts):
        a = view_index(doc.lines, m.start)
        b = view_index(doc.lines, m.end)
        after_end = view_index(doc.lines, amounts[k + 1].start) if k + 1 < len(amounts) else ln.end
        label = doc.lines.text[prev_end:a]
        trailing = doc.lines.text[b:after_end]
        prev_end = b
        if label.rstrip().endswith("("):  # ・共創の場形成支援プログラム（142億円）: the bracket holds the amount
            closed = _BRACKET_AMOUNT_END.match(trailing)
            if closed is None:
                continue  # more than the amount in the bracket
            label, trailing = label.rstrip()[:-1], trailing[closed.end() :]
        elif partial and (o := label.rfind("(")) >= 0 and label[o + 1 :].lstrip().startswith(partial) and (
                k or not label[:o].strip()) and (closed := _BRACKET_AMOUNT_END.match(trailing)) is not None:
            # （うち新規採択分　２０億円）: a part, after the whole's amount or on a line of its own under it
            label, trailing = label[o + 1 :], trailing[closed.end() :]
        rest = trailing.strip()
        if (rest and k + 1 == len(amounts) and not _NOTE.fullmatch(rest) and not _FIGURE_COLUMNS.fullmatch(rest)
                and not ((stated or k and listed is not None and listed(label)) and _STATED.fullmatch(rest))):
            continue  # an amount inside a sentence, not a label's figure (a bracketed note may follow it)
        out.append((label, m))
    return out


# What may close a sentence that states an amount (…予算額は75億円である。, …億円となっている。).
_STATED = re.compile(r"(?:\([^()]*\))?\s*(?:である|です|であった|でした|となっている|となった|となる"
                     r"|を計上している|を計上した|を措置している|を措置した)?\s*[。.]?")
# The end of a sentence: 。, or a full stop that is no decimal point (．, after NFKC .).
_SENTENCE_END = re.compile(r"。|\.(?!\d)")
# Leaders and separators between a label and its amount (知的クラスター創成事業：89億円, 事業……45億円).
_LEADERS = ":.…‥・-―—–=|/"


# A table's gap inside a line as the source has it: a tab, or two spaces or more (full-width ones too).
_ROW_GAP = re.compile(r"\t|[ \u3000]{2,}")
# Brackets closing a name (after NFKC): (…), 【…】, [...], 〔…〕.
_NAME_BRACKETS = (("(", ")"), ("【", "】"), ("[", "]"), ("〔", "〕"))
# A bracket opening a name (after NFKC): 【新規】, [拡充], (新), 〔継続〕, <組替>.
_STATUS_OPEN = re.compile(r"([【\[(〔<《])([^】\])〕>》]{1,6})[】\])〕>》]")
_STATUS_CLOSE = re.compile(r"[【\[〔<《]([^【】\[\]〔〕<>《》]{1,6})[】\]〕>》]$")


def _clean_label(label: str, cfg: dict[str, Any], marks: str) -> str:
    raw = nfkc(strip_bullets(label, marks)).strip()
    spaced = ENUMERATOR.match(raw)  # １　共創の場…: a list number set apart by a space, gone once spaces are
    if spaced is not None and spaced.end() < len(raw) and raw[spaced.end() - 1 : spaced.end()] == " ":
        raw = raw[spaced.end() :].lstrip(marks)
    name = canonical_text(raw).rstrip(_LEADERS)
    numbered = ENUMERATOR.match(name)
    if numbered and numbered.end() < len(name):
        name = name[numbered.end() :].lstrip(marks)  # 1.地域未来投資促進事業, (2)…: the list number is no name
    for prefix in cfg.get("partial_prefixes") or ():
        if name.startswith(prefix) and name[len(prefix) : len(prefix) + 1] in ("、", ","):
            name = prefix + name[len(prefix) + 1 :]  # うち、地域…プログラム is うち地域…プログラム
    if (note := _note_re(tuple(cfg.get("note_markers") or ())).search(name)) is not None and note.start():
        name = name[: note.start()].rstrip()  # 知的クラスター創成事業（注）, …事業※1: the note mark is no name
    status = cfg.get("status_notes") or ()
    if name.endswith(")") and (k := name.rfind("(")) > 0 and name[k + 1 : -1] in status:
        name = name[:k].rstrip()  # …強化促進事業（新規）: what kind of line it is, no part of the name
    if (opening := _STATUS_OPEN.match(name)) is not None and opening.group(2) in status and opening.end() < len(name):
        name = name[opening.end() :].lstrip()  # 【新規】地域中核…事業, ［拡充］…: the same in front
    if (closing := _STATUS_CLOSE.search(name)) is not None and closing.group(1) in status and closing.start() > 0:
        name = name[: closing.start()].rstrip()  # …支援事業【新規】: the same in heading brackets after it
    former = tuple(cfg.get("former_name_marks") or ())
    for opening, closing in _NAME_BRACKETS:
        if (former and name.endswith(closing) and (k := name.rfind(opening)) > 0
                and name[k + 1 : -1].startswith(former)):
            name = name[:k].rstrip()  # …プログラム（旧知的クラスター創成事業）, …【旧称：…】: the name it had
            break
    for w in sorted(cfg["total_words"], key=len, reverse=True):
        if name == w:
            break  # 合計 alone is the line's name (not 合 and 計)
        if name.endswith(w) and len(name) > len(w):
            name = name[: -len(w)]
            break
    return name


@functools.lru_cache(maxsize=8)
def _note_re(markers: tuple[str, ...]) -> re.Pattern[str]:
    """A note mark ending a name (after NFKC): one of ``markers`` in brackets with its number ((注), (注1),
    (※2)), or, when the marker is no letter (※, *), without brackets (※1)."""
    if not markers:
        return re.compile("(?!)")
    bracketed = "|".join(map(re.escape, markers))
    bare = "|".join(re.escape(m) for m in markers if not m.isalpha())
    return re.compile(rf"(?:\((?:{bracketed})\s*\d*\)" + (rf"|(?:{bare})\d*" if bare else "") + r")$")


@functools.lru_cache(maxsize=8)
def _note_line_re(markers: tuple[str, ...]) -> re.Pattern[str]:
    """A line opening with a note mark: one of ``markers`` in brackets ((注), （注１）), a marker that is no
    letter (※, *), or a letter marker set apart by a number, a colon or a space (注：, 注１ ; not 注目…)."""
    if not markers:
        return re.compile("(?!)")
    bracketed = "|".join(map(re.escape, markers))
    bare = "|".join(re.escape(m) for m in markers if not m.isalpha())
    letters = "|".join(re.escape(m) for m in markers if m.isalpha())
    forms = [rf"[(（]\s*(?:{bracketed})\s*[0-9０-９]*\s*[)）]"]
    if bare:
        forms.append(rf"(?:{bare})")
    if letters:
        forms.append(rf"(?:{letters})(?=[0-9０-９:：)）.．、\s])")
    return re.compile(r"\s*(?:" + "|".join(forms) + ")")


def _is_item(name: str, cfg: dict[str, Any], spaced: bool = False) -> bool:
    """Whether ``name`` can be a budget item: short enough, none of ``not_item_chars`` (prose). With
    ``spaced`` (a wide gap sets the name apart from its amount, as in a table) the particles of
    ``spaced_item_allows`` may stand in it (科学技術イノベーションによる地域社会課題解決　　4,500百万円)."""
    if not name or len(name) > cfg["max_item_chars"]:
        return False
    allowed = cfg.get("spaced_item_allows", "") if spaced else ""
    return not any(c in name and c not in allowed for c in cfg["not_item_chars"])


def _rule_parent(name: str, parents: dict[str, str]) -> str | None:
    if name in parents:
        return parents[name]
    for key, parent in parents.items():
        if key.startswith("/") and key.endswith("/") and re.search(key[1:-1], name):
            return parent
        if not key.startswith("/") and name.startswith(key) and name[len(key) : len(key) + 1] in "(（":
            return parent  # 産業クラスター計画(第II期) is 産業クラスター計画
    return None


def build(doc: Document) -> list[dict[str, Any]]:
    """The budget lines of every fiscal-year overview, placed in their tree and summed."""
    cfg = doc.rules.get("budget")
    orgs = organization_extractor(doc.rules)
    ministries = set(orgs.named("government"))
    # Ministries by their short names (経産省, 文科省: the organisations' abbreviations) are read as written
    # and named in full on the rows.
    short = {s: f for s, f in orgs.abbreviations.items() if f in ministries and s not in ministries}
    ministries |= set(short)
    heading_re = re.compile(cfg["heading"]["pattern"])
    lines = doc.view_lines(doc.lines)
    amounts, dated = Figures(doc, ("amount",)), Figures(doc, ("period", "date"))
    # A heading pattern that is plain text is found in one scan of the whole text; any other is tried
    # line by line (an anchor or a lookaround reads a line, not the text).
    plain = _PLAIN.fullmatch(cfg["heading"]["pattern"]) is not None
    candidates = lines_holding(doc.lines.text, heading_re) if plain else range(len(lines))
    sections: list[tuple[int, int]] = []  # (line index of heading, fiscal year)
    marks = bullets(doc)
    title_year: list[int | None] | None = None  # the title's fiscal year, looked for once, when a heading needs it
    amount_starts = mention_starts(doc, ("amount",))  # once: sorting per section made big documents quadratic
    note_line = _note_line_re(tuple(cfg.get("note_markers") or ()))
    item_labels = tuple(cfg.get("item_labels") or ())
    for i in candidates:
        ln = lines[i]
        if not heading_re.search(ln.text) or amounts.on(ln) or note_line.match(ln.text):
            continue  # (※（　）内は前年度予算額, （注）…: a note under a table, no heading)
        if item_labels and _amount_below(doc, lines, i, cfg, marks, amounts, dated,
                                         _item_label_re(item_labels, tuple(cfg.get("item_label_qualifiers") or ()))):
            continue  # 令和６年度予算額 over ３億円 alone: a programme's labelled budget, no overview's heading
        fy_mentions = dated.on(ln)
        year = fiscal_year_of(fy_mentions[0]) if fy_mentions else None
        own_columns = _year_columns(doc, ln, dated)
        if own_columns:  # 事項　令和３年度予算額　令和４年度予算案 (no title above): the latest year's table
            year = max(own_columns)
        if year is None:  # ２．予算 over a table whose header names its years: the latest is the table's
            # (a line with amounts is no header: 平成24年度予算額：82億円（平成23年度予算額：73億円）)
            header = next((years for j in itertools.islice(
                (j for j in range(i + 1, len(lines)) if not lines[j].blank), 6)
                if not amounts.on(lines[j]) and (years := _year_columns(doc, lines[j], dated, _next(lines, j)))),
                None)
            year = max(header) if header else None
        if (year is None and _bare_heading(ln.text, marks)
                and not any(w in ln.text for w in cfg["comparison_words"])  # （　）内は前年度予算額: a table's note
                and not _opens_with_year(doc, lines, i, dated, item_labels)):
            # ■予算 alone: the fiscal year of the document's title (地域クラスター事業の概要（平成22年度）);
            # not over a line opening with its own year (令和6年度予算額 2,840百万円: a labelled line)
            if title_year is None:
                title_year = [_title_year(lines, cfg, dated)]
            year = title_year[0]
            from_title = year is not None
        else:
            from_title = False
        if year is None and cfg["heading"].get("must_have_fiscal_year", True):
            continue
        if (sections and year == sections[-1][1]
                and not any(starts_on(amount_starts, lines[j]) for j in range(sections[-1][0] + 1, i))):
            continue  # 事項　令和６年度予算額 under the title: the header of the section the title opened
        if year is not None:
            sections.append((i, year))
            if from_title:
                doc.warn(ln.line, "budget_year_from_title",
                         f"the budget heading {canonical_text(ln.text.strip())!r} names no fiscal year: "
                         f"FY{year}, the one the document's title names")
    if not sections and (opened := _ministry_total_section(lines, cfg, ministries, amount_starts, dated)) is not None:
        sections.append(opened)
        total = canonical_text(lines[opened[0] + 1].text)
        doc.warn(lines[opened[0] + 1].line, "budget_year_from_title",
                 f"no budget heading: the lines from the ministry's total {total!r} are read as FY{opened[1]}'s, "
                 "the one fiscal year the document's title names")
    rows: list[dict[str, Any]] = []
    titles = _Titles(doc, lines, cfg, marks, dated, ministries)
    ends = _section_ends(doc, lines, sections, titles)
    for s_index, (head, year) in enumerate(sections):
        end = ends[s_index]
        total_name = ""
        numbered = _NUMBERED.match(canonical_text(strip_bullets(lines[head].text, marks)))
        if numbered is not None and _budget_heading(_section_words(lines[head].text, marks), cfg):
            # ２．平成23年度予算額 on a programme's page: its 計 is the programme the title names
            total_name = titles.at(head)
        named = {g for g in ministries if g in lines[head].text}
        named = {g for g in named if not any(g != h and g in h for h in named)}
        # 府省名　事業名　令和5年度予算額　令和6年度予算額 as the heading: the table's header too
        items = _collect(doc, lines[head + 1 : end], cfg, ministries, amount_starts, amounts, year, dated,
                         total_name, _year_columns(doc, lines[head], dated))
        # 令和6年度 地域経済産業関係予算（経済産業省）: the heading says whose lines these are
        rows.extend(_tree(doc, items, year, cfg, next(iter(named)) if len(named) == 1 else ""))
    named = {r["item"] for r in rows}  # once: a set per section made many sections quadratic
    for s_index, (head, year) in enumerate(sections):  # sentences in the sections: …には30億円を計上
        end = ends[s_index]
        for r in _sentences(doc, lines, head, end, year, cfg, ministries, amounts, dated):
            if r["item"] not in named:
                named.add(r["item"])
                rows.append(r)
    if not sections and lines:  # no budget section: sentences that say their year and 予算 (平成21年度予算では…)
        for r in _sentences(doc, lines, -1, len(lines), None, cfg, ministries, amounts, dated, heading_re):
            if r["item"] not in named:
                named.add(r["item"])
                rows.append(r)
    # Outside every section: before the first, and the pages of programmes of their own after a section.
    outside = [(0, sections[0][0] if sections else len(lines))]
    outside += [(e, sections[k + 1][0] if k + 1 < len(sections) else len(lines)) for k, e in enumerate(ends)]
    stated = {(r["fiscal_year"], r["item"], r["amount_yen"]): r for r in rows}
    for r in _labelled(doc, lines, cfg, ministries, amounts, dated, titles, [r for r in outside if r[0] < r[1]]):
        twin = stated.get((r["fiscal_year"], r["item"], r["amount_yen"]))
        if twin is None:
            rows.append(r)
        elif not twin["ministry"]:  # …事業 over 令和６年度予算額は４２億円: a sentence read the same line
            twin["ministry"] = r["ministry"]
    unowned = [r for r in rows if not r["ministry"]]
    publisher = _publisher(lines, cfg, ministries) if unowned else None
    if publisher:
        for r in unowned:
            r["ministry"] = publisher
        # A top line over lines of its own (計 over the programmes) unplaced for want of a ministry is the root
        # of the publisher's lines now: its budget_unplaced warning goes (a line of none stays unplaced).
        placed = {(r["line"], r["item"]) for r in unowned if not r["parent"] and r["children_sum_yen"] is not None}
        doc.warnings[:] = [w for w in doc.warnings if not (
            w.code == "budget_unplaced" and any(w.line == line and w.message.startswith(f"{item} (")
                                                for line, item in placed))]
        doc.warn(unowned[0]["line"], "budget_ministry_from_document",
                 f"{len(unowned)} budget line(s) name no ministry ({unowned[0]['item']}, ...): given to {publisher}, "
                 "the one ministry the document's title or publisher lines name")
    _totals_as_ministries(rows, cfg)
    for r in rows:
        for key in ("ministry", "item", "parent"):
            r[key] = short.get(r[key], r[key])
    return _latest_years(doc, rows)


def _totals_as_ministries(rows: list[dict[str, Any]], cfg: dict[str, Any]) -> None:
    """A total (合計, 計: ``ministry_total_words``) over lines that are all one ministry's, in a fiscal year with
    no line of that ministry's own, is that ministry's total: the ministry becomes its item, and its lines'
    parent (a document of one ministry's budget closes its table with 合計, not with the ministry's name)."""
    words = set(cfg.get("ministry_total_words") or ())
    for year in {r["fiscal_year"] for r in rows}:
        of_year = [r for r in rows if r["fiscal_year"] == year]
        totals = [r for r in of_year if r["item"] in words and not r["parent"] and r["children_sum_yen"] is not None]
        ministries = {r["ministry"] for r in of_year}
        if len(totals) != 1 or len(ministries) != 1 or not (ministry := ministries.pop()) or any(
                r["item"] == ministry for r in of_year):
            continue
        total, word = totals[0], totals[0]["item"]
        total["item"] = ministry
        for r in of_year:
            if r["parent"] == word:
                r["parent"] = ministry


def _ministry_total_section(lines: list[ViewLine], cfg: dict[str, Any], ministries: set[str],
                            amount_starts: list[int], dated: Figures) -> tuple[int, int] | None:
    """A budget section a document with no budget heading opens with a ministry's total (【文部科学省】関連予算
    １５０億円 under 地域イノベーション施策の概要（令和６年度）): (the line above it, the fiscal year of the
    document's title), when the title names one; else None."""
    words = [w for w in cfg["total_words"] if w not in (cfg.get("ministry_total_words") or ())]
    if not ministries or not words:
        return None
    def alternatives(names: Iterable[str]) -> str:
        return "|".join(map(re.escape, sorted(names, key=lambda w: (-len(w), w))))

    total_re = re.compile(f"(?:{alternatives(ministries)})" + r"[\s】\]〕)）]*" + f"(?:{alternatives(words)})")
    first = next((i for i, ln in enumerate(lines) if i and starts_on(amount_starts, ln) and total_re.search(ln.text)),
                 None)
    if first is None:
        return None
    year = _title_year(lines, cfg, dated)
    return None if year is None else (first - 1, year)


def _section_ends(doc: Document, lines: list[ViewLine], sections: list[tuple[int, int]],
                  titles: _Titles) -> list[int]:
    """Where each section ends: at the next section's heading, or before that at the first page whose own
    title names a programme other than the section's page's (…プログラムの概要 on a page of its own after an
    overview): that page's lines are the programme's, read as labelled lines, not the overview's."""
    ends = []
    page_starts = doc.source.page_starts
    line_starts: list[int] | None = None  # each line's source start, made if a section spans pages
    for k, (head, _year) in enumerate(sections):
        end = sections[k + 1][0] if k + 1 < len(sections) else len(lines)
        # (a line opening with a form feed is on the page the form feed opens)
        first, last = (doc.source.page_of(lines[j].src_start + lines[j].text.startswith("\f")) for j in (head, end - 1))
        for page in range(first + 1, last + 1):
            # (a title each page repeats, the overview's own running head, ends nothing)
            if titles.own(page) and titles.own(page) != titles.own(first):
                if line_starts is None:
                    line_starts = [ln.src_start for ln in lines]
                # the line holding the page's first character (its form feed may open that line)
                end = max(head + 1, bisect.bisect_right(line_starts, page_starts[page - 1]) - 1)
                break
        ends.append(end)
    return ends


def _section_words(text: str, marks: str) -> str:
    """A section heading's words past its marks and list number (２．平成23年度予算額: 平成23年度予算額)."""
    body = canonical_text(strip_bullets(text, marks))
    numbered = _NUMBERED.match(body) or _CHAPTER_NUMBER.match(body)
    return body[numbered.end() :] if numbered else body


def _bare_heading(text: str, marks: str) -> bool:
    """Whether a line is a heading of a few words and nothing else (■予算, ３．予算額, 【予算の概要】): no
    sentence, no list, at most ``_BARE_HEADING_CHARS`` characters past its list mark or number."""
    body = _section_words(text, marks).strip("【】[]〔〕<>()「」 ")
    return 0 < len(body) <= _BARE_HEADING_CHARS and not any(c in body for c in "。、,:")


_BARE_HEADING_CHARS = 12


def _opens_with_year(doc: Document, lines: list[ViewLine], i: int, dated: Figures, labels: tuple[str, ...]) -> bool:
    """Whether the first line after line ``i`` that is not blank opens with a date or period and a budget
    label, past its list marks (－ 令和８年度予算額 ２４億円): a labelled line, not a sentence (令和５年度の…)."""
    nxt = next((ln for ln in itertools.islice(lines, i + 1, None) if not ln.blank), None)
    if nxt is None:
        return False
    lead = leading_bullets(nxt.text, bullets(doc))
    text = doc.lines.text
    return any(view_index(doc.lines, m.start) == nxt.start + lead
               and text[view_index(doc.lines, m.end) : nxt.end].lstrip().startswith(labels) for m in dated.on(nxt))


def _title_year(lines: list[ViewLine], cfg: dict[str, Any], dated: Figures) -> int | None:
    """The one fiscal year the document's first ``publisher_lines`` non-blank lines (its title) name, else
    None (none, or several)."""
    first = itertools.islice((ln for ln in lines if not ln.blank), int(cfg.get("publisher_lines", 0)))
    years = {y for ln in first for m in dated.on(ln) if (y := fiscal_year_of(m)) is not None}
    return years.pop() if len(years) == 1 else None


def _latest_years(doc: Document, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per ministry and item (the table's key): where sections of several fiscal years list the
    same line (平成22年度予算, 平成23年度予算案), the latest year's row is kept, with a
    ``budget_year_superseded`` warning for each earlier one."""
    latest: dict[tuple[str, str], int] = {}
    for r in rows:
        key = (r["ministry"], r["item"])
        latest[key] = max(latest.get(key, 0), r["fiscal_year"] or 0)
    if all(latest[(r["ministry"], r["item"])] == (r["fiscal_year"] or 0) for r in rows):
        return rows
    kept = []
    for r in rows:
        newest = latest[(r["ministry"], r["item"])]
        if (r["fiscal_year"] or 0) < newest:
            doc.warn(r["line"], "budget_year_superseded",
                     f"{r['item']} ({r['ministry'] or 'no ministry'}): the FY{r['fiscal_year']} line is left out for "
                     f"the document's FY{newest} line (one row per ministry and item)")
            continue
        kept.append(r)
    return kept


def _sentences(doc: Document, lines: list[ViewLine], head: int, end: int, year: int | None, cfg: dict[str, Any],
               ministries: set[str], amounts: Figures, dated: Figures,
               budget_word: re.Pattern[str] | None = None) -> list[dict[str, Any]]:
    """A programme's budget stated in a sentence of a budget section (rule ``budget.sentence``):
    the programme's name (ending in one of ``sentence_item_endings``) and a particle, then an amount
    and a verb of ``sentence_verbs`` (…プログラムには、令和５年度予算として３０億円（前年度比２億円減）を
    計上した); programmes listed with their amounts before one verb are each read (…事業に８９億円、…事業に
    ４５億円を計上). An amount in brackets is a comparison; a fiscal year in the sentence before the amount
    outranks the section's. The ministry is the one the rules' parents lead to, if any. With
    ``budget_word`` (a document with no budget section), only a sentence holding it and a fiscal year
    before the amount is read (平成２１年度予算においては、…)."""
    verbs, endings = cfg.get("sentence_verbs") or [], cfg.get("sentence_item_endings") or []
    if not verbs or not endings or head + 1 >= end:
        return []
    item_re, verb_re = _sentence_patterns(tuple(endings), tuple(verbs), tuple(cfg.get("sentence_adverbs") or ()),
                                          tuple(cfg.get("sentence_objects") or ()))
    labels = tuple(cfg.get("sentence_labels") or ())
    label_re = _sentence_label_re(tuple(endings), labels) if labels else None
    bracket_re = _bracket_label_re(tuple(endings), labels) if labels else None
    parents = {canonical_text(k) if not k.startswith("/") else k: v for k, v in cfg["parents"].items()}
    references = tuple(doc.rules.get("organizations").get("stop_prefixes") or ())
    flow = doc.flow
    kana_places = kana_place_words(doc)
    a, b = view_index(flow, lines[head + 1].src_start), view_index(flow, lines[end - 1].src_end)
    # A budget word stating an amount has は or が after it (…の予算額は、): those are what is looked for.
    stated = tuple(w + p for w in labels for p in ("は", "が")) if label_re is not None else ()
    if not any(flow.text.find(v, a, b) >= 0 for v in (*verbs, *stated)) and (
            not labels or _bracket_opening_re(labels).search(flow.text, a, b) is None):
        return []  # no verb of budgeting, no budget word stating one or opening a bracket: no sentence states a budget
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    at = a
    last: tuple[int, dict[str, Any], int] | None = None  # (sentence number, row, its amount's end) of the last row made
    s_from = -1  # where the sentence starts (before the first: none)
    for n_sentence, sentence in enumerate(_SENTENCE_END.split(flow.text[a:b])):  # (each end: 。 or a full stop)
        prev_from, s_from, at = s_from, at, at + len(sentence) + 1  # (prev_from: where the sentence before starts)
        # Cheapest first: an amount in the sentence (a bisect), a verb or a budget word in it, then the patterns.
        src_s, src_e = flow.to_source(s_from, s_from + len(sentence))
        found = amounts.within(src_s, src_e)
        if not found:
            continue
        if (opener := _PARTS_OPENING.match(sentence)) is not None:
            if last is not None and last[0] == n_sentence - 1:
                # このうち、グローバル型には４０億円、都市エリア型には２８億円を充てている: parts of the line before
                rows.extend(_sentence_parts(doc, sentence, s_from, opener.end(), found, last[1], verbs, seen))
                continue
            years = [d for d in dated.within(src_s, src_e) if fiscal_year_of(d) is not None]
            whole = {"fiscal_year": fiscal_year_of(years[0]) if years else year, "ministry": "", "item": ""}
            parts = _sentence_parts(doc, sentence, s_from, opener.end(), found, whole, verbs, seen)
            if whole["fiscal_year"] is not None and parts:
                # 当初予算は総額３億円である。このうち、Aに２億円、Bに１億円を充てている: the whole names no line,
                # its parts are lines of their own
                rows.extend(parts)
                continue
        if budget_word is not None and not budget_word.search(sentence) and not any(
                v in sentence for v in cfg.get("budget_verbs") or ()):
            continue
        verb_in = any(v in sentence for v in verbs)
        bracketed = bracket_re is not None and "(" in sentence and any(w in sentence for w in labels)
        if not ((verb_in and item_re.search(sentence)) or any(w in sentence for w in stated) or bracketed):
            continue
        budgeted = (_budgeted(flow.text, found, s_from + len(sentence), verb_re, tuple(endings), flow) if verb_in
                    else [False] * len(found))
        for m, verbed in zip(found, budgeted, strict=True):
            m_s = view_index(flow, m.start)
            if last is not None and last[0] == n_sentence and (opened := flow.text.rfind("(", s_from, m_s)) >= last[2]:
                # １２億円（うち新規採択分３億円）: a part of the line the amount before the bracket stated
                part = _bracket_part(flow.text, opened, m_s, last, n_sentence, seen)
                if part is not None:
                    rows.append({**part, "amount_yen": int(m.value), "line": doc.line_of(m.start)})
                    continue
            # …事業（令和６年度予算額　１５０億円）: the bracket after the name states its budget
            in_label = (bracket_re.search(flow.text, max(s_from, m_s - _LABEL_WINDOW), m_s)
                        if bracketed and bracket_re is not None else None)
            if in_label is not None and any(w in in_label.group("label") for w in cfg["comparison_words"]):
                in_label = None  # （前年度予算額…）: a comparison
            if not verbed and in_label is None and (
                    label_re is None or flow.text[max(s_from, m_s - 4) : m_s].rstrip(" 、,")[-1:] not in ("は", "が")):
                continue  # (most amounts of a table: no verb after, no budget word and は before)
            before = flow.text[s_from:m_s]
            base = s_from  # where the offsets of the item's match count from (0: the flow's own offsets)
            if in_label is not None:
                items, base = [in_label], 0  # (a match in the flow's own offsets)
            elif before.count("(") > before.count(")"):
                continue  # a comparison in brackets
            elif verbed:
                items = list(item_re.finditer(before))
            elif label_re is not None and before.rstrip(" 、,")[-1:] in ("は", "が"):
                # no verb of budgeting after the amount: the name's budget word and は right before it (…の予算額は、),
                # looked for in the words right before the amount only (a section's table is one long "sentence")
                labelled = label_re.search(before, max(0, len(before) - _LABEL_WINDOW))
                items = [labelled] if labelled is not None else []
                if labelled is None and _bare_label_re(labels).search(before) is not None:
                    # 「…プログラム」を実施しており、平成２１年度予算額は１２３億円: the one programme the sentence
                    # names in quotes before its budget word
                    quoted = list(_quoted_item_re(tuple(endings)).finditer(before))
                    items = quoted if len(quoted) == 1 else []
                    if not quoted and (named := _named_before(flow.text, prev_from, s_from, m_s, endings, cfg)):
                        # 「…事業」を実施している。平成２１年度の予算額は８９億円である (or the paragraph under
                        # １．…事業): the one programme the sentence before names in quotes, else the heading over
                        # the paragraph
                        items, base, before = [named], 0, flow.text[max(prev_from, 0) : m_s]  # (its ministry too)
            else:
                items = []
            if not items:
                continue
            name = canonical_text(items[-1].group("item"))
            if (not _is_item(name, cfg) or any(w in name for w in cfg["comparison_words"])
                    or len(name) < int(cfg.get("min_title_item_chars", 4)) or name.startswith(references)):
                continue  # 本事業, 同プログラム: a reference, not a name
            # (the kana in front that the pattern read as particles: ながさき, にいがた, みなと)
            item_e = base + items[-1].end("item")
            item_s = _word_front(doc, base + items[-1].start("item"), base or s_from, kana_places)
            item_s = _after_dates(flow, item_s, item_e, dated)
            item_s = _after_clause(doc, item_s, item_e)
            owner = next((g for g in sorted(ministries, key=lambda g: (-len(g), g))
                          if flow.text.startswith(g + "の", item_s)), None)
            if owner is not None and item_s + len(owner) + 1 < item_e:
                item_s += len(owner) + 1  # 経済産業省の地域未来投資促進事業: the ministry is its column
            name = canonical_text(flow.text[item_s:item_e])
            if name in seen or len(name) < int(cfg.get("min_title_item_chars", 4)):
                continue
            years = [d for d in dated.within(src_s, m.start) if fiscal_year_of(d) is not None]
            if not years and year is None:
                continue  # outside any section the sentence must say its fiscal year
            seen.add(name)
            # The rules' parents lead to a ministry, else the one ministry the sentence names before the
            # amount (経済産業省は…計画に１５億円を計上した).
            ministry = _rules_ministry(name, parents, ministries)
            if not ministry:
                named = {g for g in ministries if g in before}
                named = {g for g in named if not any(g != h and g in h for h in named)}
                ministry = next(iter(named)) if len(named) == 1 else ""
            rows.append({"fiscal_year": fiscal_year_of(years[-1]) if years else year,
                         "ministry": ministry, "item": name, "parent": "",
                         "amount_yen": int(m.value), "children_sum_yen": None, "sum_check": "",
                         "line": doc.line_of(m.start)})
            last = (n_sentence, rows[-1], view_index(flow, m.end))
    return rows


def _named_before(text: str, prev_from: int, s_from: int, at: int, endings: list[str], cfg: dict[str, Any]
                  ) -> re.Match[str] | None:
    """The programme a sentence stating a budget with no name refers to (flow offsets): the one the sentence
    before it in its paragraph names in quotes, else the one the heading right over the paragraph names
    (１．知的クラスター創成事業, past a list number or mark); None when neither names exactly one."""
    par = text.rfind("\n", 0, at) + 1  # the paragraph's start: the flow's line holding the amount ``at``
    if prev_from >= 0 and max(prev_from, par) < s_from:  # (the sentence before, on the amount's line)
        quoted = list(_quoted_item_re(tuple(endings)).finditer(text, max(prev_from, par), s_from))
        if quoted:
            return quoted[0] if len(quoted) == 1 else None
    if par < 2 or text[par - 2] == "\n":
        return None  # no heading right over the paragraph (a blank line between)
    heading = _heading_item_re(tuple(endings)).fullmatch(text, text.rfind("\n", 0, par - 1) + 1, par - 1)
    if heading is None or not _is_item(canonical_text(heading.group("item")), cfg):
        return None
    return heading


@functools.lru_cache(maxsize=8)
def _heading_item_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A heading line that is a programme's name, past a list number or a mark (１．知的クラスター創成事業)."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    return re.compile(rf"\s*(?:{ENUMERATOR.pattern}|[■□◆◇●○【\[])?\s*"
                      rf"(?P<item>[^\s「」。、]{{2,40}}?(?:{ends}))[】\]]?\s*")


# The opening of a bracket right after an amount that names a part of it: （うち新規採択分３億円）, （うち、…は…）.
_BRACKET_PART = re.compile(r"\((?:この)?うち[、,]?\s*(?P<item>[^\s()、。,はが:]{2,30}?)\s*(?:は|が|:)?\s*$")


def _bracket_part(text: str, opened: int, amount_at: int, last: tuple[int, dict[str, Any], int] | None,
                  n_sentence: int, seen: set[str]) -> dict[str, Any] | None:
    """The row (without amount and line) of a part a bracket opened at view offset ``opened`` names before
    its amount at ``amount_at`` (（うち新規採択分３億円）), when the bracket follows right after the amount of the
    line ``last`` this sentence stated: a child of that line, inside its amount (not summed); else None."""
    found = _BRACKET_PART.match(text, opened, amount_at)
    if found is None or last is None or last[0] != n_sentence or text[last[2] : opened].strip():
        return None
    name = canonical_text(found.group("item"))
    whole = last[1]
    if name in seen or name == whole["item"]:
        return None
    seen.add(name)
    return {"fiscal_year": whole["fiscal_year"], "ministry": whole["ministry"], "item": name, "parent": whole["item"],
            "children_sum_yen": None, "sum_check": ""}


# A sentence opening with "of which" (このうち、, うち): its amounts are parts of the line before it.
_PARTS_OPENING = re.compile(r"\s*(?:この|その)?うち[、,]?\s*")
# A part's name right before its amount: after the opening or a comma, then a particle (…型には).
_PART_ITEM = re.compile(r"(?:^|[、,])\s*(?P<item>[^\s、。,「」()はがをにでと]{2,30}?)(?:には|に|として|へ)\s*$")


def _sentence_parts(doc: Document, sentence: str, s_from: int, opened: int, found: list[Span],
                    whole: dict[str, Any], verbs: list[str], seen: set[str]) -> list[dict[str, Any]]:
    """Rows of the parts a sentence opening with このうち lists with their amounts before a verb of
    budgeting (…には４０億円、…には２８億円を充てている): children of ``whole``, the line the sentence before
    stated, inside its amount (not summed: its sum_check stays empty)."""
    if not any(v in sentence for v in verbs):
        return []
    flow = doc.flow
    out = []
    for m in found:
        m_s = view_index(flow, m.start) - s_from
        before = sentence[opened:m_s]
        part = _PART_ITEM.search(before)
        if part is None or before.count("(") > before.count(")"):
            continue
        name = canonical_text(part.group("item"))
        if name in seen or name == whole["item"]:
            continue
        seen.add(name)
        out.append({"fiscal_year": whole["fiscal_year"], "ministry": whole["ministry"], "item": name,
                    "parent": whole["item"], "amount_yen": int(m.value), "children_sum_yen": None, "sum_check": "",
                    "line": doc.line_of(m.start)})
    return out


_ALL_HIRAGANA = re.compile(r"[\u3041-\u309f]+")
_FRONT_POS = ("NOUN", "PROPN")
_MIN_KANA_WORD = 3  # a word of hiragana shorter than this before a name is a particle or an ending, no part


def _word_front(doc: Document, at: int, floor: int, kana_places: tuple[str, ...]) -> int:
    """Where a programme's name that the item pattern starts at flow offset ``at`` really starts: a place
    written in hiragana that the pattern cut at one of its kana (なが|さき海洋…事業, と|やま医薬…事業: the kana
    the pattern takes for particles), then the words of nouns right before it (みなと医工連携事業, にいがた…:
    hiragana words of three kana or more), never before ``floor`` (the sentence's start)."""
    placed = kana_place_front(doc.flow.text, at, floor, kana_places)
    if placed is not None:
        return placed  # the place is the name's front, whatever the tokeniser made of it
    if doc.tokens is None or at <= floor:
        return at
    offsets = token_offsets(doc.tokens)
    k = bisect.bisect_right(offsets, at) - 1
    if k < 0:
        return at
    start = at
    t = doc.tokens[k]
    if t.idx == at and t.pos_ not in _FRONT_POS and _ALL_HIRAGANA.fullmatch(t.text):
        # これにより事業に…: より is a particle, no word of the name; the name starts at the next noun
        while k < len(doc.tokens) and doc.tokens[k].pos_ not in _FRONT_POS and _ALL_HIRAGANA.fullmatch(
                doc.tokens[k].text):
            k += 1
        return doc.tokens[k].idx if k < len(doc.tokens) else at
    if t.idx < at < t.idx + len(t.text) and t.pos_ in _FRONT_POS and t.idx >= floor:
        start = t.idx  # (にいが|た食品…: the pattern started inside the word)
    elif t.idx != at:
        return at
    while k > 0:
        t = doc.tokens[k - 1]
        if (t.idx + len(t.text) != start or t.idx < floor or t.pos_ not in _FRONT_POS
                or not _ALL_HIRAGANA.fullmatch(t.text) or len(t.text) < _MIN_KANA_WORD):
            break
        start, k = t.idx, k - 1
    return start


# Between two amounts of one list before its verb: a comma, the next programme's name and its particle
# (…事業に８９億円、…事業に４５億円を計上).
_LISTED_AMOUNT = re.compile(r"\s*[、,]\s*(?P<item>[^\s、。,()]{2,40}?)(?:には|に|として|へ)\s*")


def _budgeted(text: str, found: list[Span], stop: int, verb_re: re.Pattern[str], endings: tuple[str, ...],
              flow: Any) -> list[bool]:
    """For each amount of a sentence (``found``, in order): is it budgeted, a verb of budgeting right after
    it, or after the amounts listed after it with their programmes (…事業に８９億円、…事業に４５億円を計上)?"""
    out = [False] * len(found)
    for k in range(len(found) - 1, -1, -1):
        m_e = view_index(flow, found[k].end)
        if verb_re.match(text, m_e, stop):
            out[k] = True
        elif k + 1 < len(found) and out[k + 1]:
            listed = _LISTED_AMOUNT.fullmatch(text, m_e, view_index(flow, found[k + 1].start))
            out[k] = listed is not None and listed.group("item").endswith(endings)
    return out


# Characters before an amount in which its name and budget word are looked for (the name is 40 at most).
_LABEL_WINDOW = 80
# What may stand between a fiscal year opening a sentence's name and the name (令和5年度の…プログラム).
_AFTER_DATE = re.compile(r"[ ]*(?:の|における|、)?[ ]*")


def _after_clause(doc: Document, start: int, end: int) -> int:
    """Where a programme's name at flow offsets [start, end) starts past a clause describing it: after the
    last verb followed by a noun inside it (販路開拓を|支援する|地域ブランド展開支援事業: the pattern stops at を,
    and 支援する is the clause's verb, no word of the name; 産学連携を|担う|人材の育成事業)."""
    if doc.tokens is None:
        return start
    tokens = doc.tokens
    k = bisect.bisect_left(token_offsets(tokens), start)
    cut = start
    while k + 1 < len(tokens) and tokens[k + 1].idx < end:
        if tokens[k].pos_ == "VERB" and tokens[k + 1].pos_ in _FRONT_POS:
            cut = tokens[k + 1].idx
        k += 1
    return cut


def _after_dates(flow: Any, start: int, end: int, dated: Figures) -> int:
    """Where a programme's name that the pattern starts at flow offset ``start`` really starts: after a date
    or a fiscal year opening it and the particle after that (令和５年度の地域共創推進プログラムには: the name
    is 地域共創推進プログラム)."""
    src_s, src_e = flow.to_source(start, end)
    for d in dated.within(src_s, src_e):
        d_s, d_e = view_index(flow, d.start), view_index(flow, d.end)
        if d_s != start:
            break
        start = _AFTER_DATE.match(flow.text, d_e, end).end()
    return start


@functools.lru_cache(maxsize=8)
def _bracket_opening_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A bracket opening with a fiscal year maybe and one of ``labels`` (（令和６年度予算額): a section's cheap test."""
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(r"\([^()、。]{0,12}?(?:" + words + ")")


@functools.lru_cache(maxsize=8)
def _bracket_label_re(endings: tuple[str, ...], labels: tuple[str, ...]) -> re.Pattern[str]:
    """A programme's name, then a bracket opening with a fiscal year maybe and one of ``labels``, right before
    an amount (…強化促進事業（令和６年度予算額　): the bracket states the programme's budget."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?P<item>[^\s、。,「」『』()はがをにでと]{{2,40}}?(?:{ends}))[」』]?\("  # (in quotes too)
                      rf"(?P<label>[^()、。]{{0,12}}?(?:{words}))[ ]?[:]?[ ]*$")


@functools.lru_cache(maxsize=8)
def _sentence_label_re(endings: tuple[str, ...], labels: tuple[str, ...]) -> re.Pattern[str]:
    """A programme's name, の, a fiscal year maybe, and one of ``labels`` with は or が, right before an amount
    (…プログラムの令和５年度予算額は、): the sentence states the budget without a verb of budgeting."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?P<item>[^\s、。,「」『』()はがをにでと]{{2,40}}?(?:{ends}))[」』]?の[ ]?"  # (in quotes too)
                      rf"(?:[^\s、。,()はがを]{{1,12}}?年度の?[ ]?)?(?:{words})(?:は|が)[、,]?[ ]*$")


@functools.lru_cache(maxsize=8)
def _bare_label_re(labels: tuple[str, ...]) -> re.Pattern[str]:
    """A fiscal year maybe and one of ``labels`` with は or が closing the words before an amount, no name
    before them (…、平成２１年度予算額は)."""
    words = "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
    return re.compile(rf"(?:^|[、,\s])(?:[^\s、。,()はがを]{{1,12}}?年度の?[ ]?)?(?:{words})(?:は|が)[、,]?[ ]*$")


@functools.lru_cache(maxsize=8)
def _quoted_item_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A programme's name in quotes (「地域イノベーションクラスタープログラム」)."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    return re.compile(rf"「(?P<item>[^「」。]{{2,40}}?(?:{ends}))」")


@functools.lru_cache(maxsize=8)
def _sentence_patterns(endings: tuple[str, ...], verbs: tuple[str, ...], adverbs: tuple[str, ...] = (),
                       objects: tuple[str, ...] = ()) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(a programme's name and the particle after it, a bracket and a verb of budgeting after an amount,
    the amount's noun of ``objects`` allowed after it (…億円の基金を措置) and an adverb of ``adverbs`` before the
    verb (…を新たに措置))."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    # (in quotes too: 「地域未来投資促進事業」に１１２億円を計上)
    item = re.compile(rf"(?P<item>[^\s、。,「」『』()はがをにでと]{{2,40}}?(?:{ends}))[」』]?"
                      r"(?=には|には、|について|では|は、|は|に対し|として|に)")
    adverb = r"(?:(?:" + "|".join(map(re.escape, adverbs)) + r")、?\s*)?" if adverbs else ""
    noun = r"(?:の(?:" + "|".join(map(re.escape, objects)) + "))?" if objects else ""
    verb = re.compile(r"\s*(?:\([^()]*\))?\s*" + noun + r"(?:を|が)?\s*" + adverb
                      + "(?:" + "|".join(map(re.escape, verbs)) + ")")
    return item, verb


def _publisher(lines: list[ViewLine], cfg: dict[str, Any], ministries: set[str]) -> str | None:
    """The one ministry named on the document's first lines (its title) or on a line of its publisher
    (発行：文部科学省), or on the line right under a heading of its publisher that names none (３．問い合わせ先
    over 経済産業省　地域経済産業グループ…), if exactly one is named there; else None."""
    words = tuple(cfg.get("publisher_words") or ())
    first = int(cfg.get("publisher_lines", 0))
    bureaus: dict[str, str] = cfg.get("bureau_ministries") or {}

    def named_on(text: str) -> set[str]:  # a ministry, or the ministry of a regional bureau (関東経済産業局)
        return {g for g in ministries if g in text} | {m for b, m in bureaus.items() if b in text and m in ministries}

    nonblank = [ln for ln in lines if not ln.blank]
    named = {g for ln in nonblank[:first] for g in named_on(ln.text)}
    for k, ln in enumerate(nonblank):
        if any(w in ln.text for w in words):
            here = named_on(ln.text)
            if not here and k + 1 < len(nonblank):
                here = named_on(nonblank[k + 1].text)
            named |= here
    named = {g for g in named if not any(g != h and g in h for h in named)}  # 文部省 inside 文部科学省
    return next(iter(named)) if len(named) == 1 else None


def _labelled(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], ministries: set[str],
              amounts: Figures, dated: Figures, titles: _Titles | None = None,
              spans: list[tuple[int, int]] | None = None) -> list[dict[str, Any]]:
    """A programme's own budget, on a labelled line under its name (outside any overview):

        知的クラスター創成事業（第Ⅱ期）
        平成21年度予算額：75億円（前年度予算額：86億円）

    The label is a fiscal year and one of ``item_labels``; the name is the nearest non-blank line above,
    a heading (no amount, no sentence). The ministry is the one the rules' parents lead to; the line
    has no parent here (the overview that would place it is not in the document)."""
    labels = cfg.get("item_labels") or []
    if not labels:
        return []
    marks = bullets(doc)
    parents = {canonical_text(k) if not k.startswith("/") else k: v for k, v in cfg["parents"].items()}
    label_re = _item_label_re(tuple(labels), tuple(cfg.get("item_label_qualifiers") or ()))
    rows: list[dict[str, Any]] = []
    seen: set[str] = set()
    titles = titles or _Titles(doc, lines, cfg, marks, dated, ministries)
    name_labels = tuple(cfg.get("item_name_labels") or ())
    for i in lines_holding(doc.lines.text, label_re):
        ln = lines[i] if i < len(lines) else None
        if ln is None:
            break
        if spans is not None and not any(a <= i < b for a, b in spans):
            continue  # inside an overview section: its table reads the line
        plain = _segments(doc, ln, amounts)
        # …予算額は75億円である。: the amount closes a sentence; only a programme's own heading names it
        stated = _segments(doc, ln, amounts, stated=True)
        found = next(((m, y, m not in [p for _, p in plain]) for label, m in stated
                      if (y := _labelled_year(doc, ln, label, m, dated, label_re, marks)) is not None), None)
        if found is None and not plain:
            found = _amount_below(doc, lines, i, cfg, marks, amounts, dated, label_re)
        if found is None:
            continue  # no amount labelled by a fiscal year and a budget word, nothing else
        m, years0, by_sentence = found
        year = fiscal_year_of(years0)
        above = _name_line_above(lines, i, name_labels)
        if above is None or amounts.on(above) or "。" in above.text or year is None:
            continue
        numbered = _NUMBERED.match(canonical_text(strip_bullets(above.text, marks)))
        heading = _clean_label(above.text, cfg, marks) if numbered else ""
        # ■予算, 【予算額】: a heading of budget words alone names no programme, as ３．予算 does not
        bare = not numbered and _bare_heading(above.text, marks) and _budget_heading(
            _clean_label(above.text, cfg, marks), cfg)
        if numbered and heading and not _budget_heading(heading, cfg):
            name = heading  # １．知的クラスター創成事業: a numbered heading that names the programme
        elif numbered or bare:
            if by_sentence:
                continue  # a sentence under ２．予算額 names no programme: no chapter or title stands in
            # ３．予算 over the line is a numbered heading, not the programme's name: the chapter over it
            # (第１章　地域中核大学の振興) or the document's title may name it (令和6年度 地域イノベーション・
            # エコシステム形成プログラム 事業概要)
            chapter = _chapter_item(lines, i, cfg)
            titled = "" if chapter else titles.at(i)
            if not (chapter or titled):
                continue
            name = chapter or titled
        elif len(_ROW_GAP.findall(doc.source.text[above.src_start : above.src_end].strip())) >= 2 and not by_sentence:
            # a table's row right above, three cells at least (a selection list's last row): the programme the
            # title names, if any
            name = titles.at(i)
            if not name:
                continue
        else:
            detail = DETAIL_OPENING.match(above.text)  # 事業名：…: the label's value is the name
            name = _clean_label(above.text[detail.end() :] if detail is not None else above.text, cfg, marks)
        name, stated = _heading_name(name, cfg, ministries)
        if (not _is_item(name, cfg) or name in seen or any(w in name for w in cfg["comparison_words"])
                or not _WORD.search(name)):
            continue
        seen.add(name)
        ministry = stated or (name if name in ministries else "") or _rules_ministry(name, parents, ministries)
        rows.append({"fiscal_year": year, "ministry": ministry, "item": name, "parent": "", "amount_yen": int(m.value),
                     "children_sum_yen": None, "sum_check": "", "line": ln.line})
        rows.extend(_labelled_parts(doc, lines, i, name, year, ministry, cfg, marks, amounts))
    return rows


def _name_line_above(lines: list[ViewLine], i: int, name_labels: tuple[str, ...], reach: int = 4) -> ViewLine | None:
    """The line naming the programme of labelled line ``i``: the nearest non-blank line above, past the lines
    of details between them in one block (実施期間：…, 参加企業：約120社); a detail labelled by one of
    ``name_labels`` (事業名：…) names it. None when only details stand above, up to a blank line."""
    j = next((k for k in range(i - 1, -1, -1) if not lines[k].blank), None)  # no slice copy
    for _ in range(reach):
        if j is None:
            return None
        detail = DETAIL_OPENING.match(lines[j].text)
        if detail is None or detail.group(1).replace(" ", "").endswith(name_labels):
            return lines[j]
        j = j - 1 if j > 0 and not lines[j - 1].blank else None
    return None


def _budget_heading(heading: str, cfg: dict[str, Any]) -> bool:
    """Whether a numbered heading's words are about the budget or the document, not a programme's name
    (予算, 予算額, 事業概要, 概要): a budget word or a word of ``title_words`` or ``item_heading_words`` in it,
    or too short to be a name."""
    words = (*cfg["total_words"], *(cfg.get("item_labels") or ()), *(cfg.get("title_words") or ()),
             *(cfg.get("item_heading_words") or ()))
    return len(heading) < int(cfg.get("min_title_item_chars", 4)) or any(w in heading for w in words)


def _heading_name(name: str, cfg: dict[str, Any], ministries: set[str]) -> tuple[str, str]:
    """A programme's heading (cleaned) as (name, the ministry it states or ""): a ministry in brackets
    after the name says whose it is (地域イノベーション戦略支援プログラム（文部科学省）), a word of
    ``item_heading_words`` ends a heading about the programme (…の概要), not its name, and one of
    ``item_heading_notes`` in brackets before it says what kind of section it is (（参考）…)."""
    named = re.fullmatch(r"(?P<name>.+?)\((?P<ministry>[^()]+)\)", name)
    stated = named.group("ministry") if named and named.group("ministry") in ministries else ""
    if stated:
        name = named.group("name")
    opening = _STATUS_OPEN.match(name)
    if opening is not None and opening.group(2) in (cfg.get("item_heading_notes") or ()) and opening.end() < len(name):
        name = name[opening.end() :].lstrip()  # （参考）…の概要: what kind of section it is
    for word in cfg.get("item_heading_words") or ():
        if name.endswith(word) and len(name) > len(word):
            name = name[: -len(word)]
            break
    return name, stated


@functools.lru_cache(maxsize=8)
def _item_label_re(labels: tuple[str, ...], qualifiers: tuple[str, ...] = ()) -> re.Pattern[str]:
    """A budget word of ``item_labels`` after a fiscal year, maybe after one of ``qualifiers`` (平成18年度政府予算額);
    the label may also open a sentence (平成21年度予算額は89億円である)."""
    words = "|".join(re.escape(w) for w in sorted(qualifiers, key=len, reverse=True))
    front = f"(?:{words})?" if qualifiers else ""
    return re.compile(front + "(?:" + "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True))
                      + r")[\s:]*(?:(?:は|が)[\s、]*)?")


def _amount_below(doc: Document, lines: list[ViewLine], i: int, cfg: dict[str, Any], marks: str, amounts: Figures,
                  dated: Figures, label_re: re.Pattern[str]) -> tuple[Span, Span, bool] | None:
    """A label alone on line ``i`` (令和６年度予算額, as a box sets it over its figure) and an amount alone on
    the line right under it (３億２，０００万円): (the amount, the label's fiscal year, False); else None."""
    if i + 1 >= len(lines) or lines[i + 1].blank:
        return None
    below = _segments(doc, lines[i + 1], amounts)
    if len(below) != 1 or _clean_label(below[0][0], cfg, marks):
        return None
    ln = lines[i]
    years = dated.on(ln)
    if not years:
        return None
    year_text = canonical_text(doc.source.text[years[0].start : years[0].end])
    body = canonical_text(strip_bullets(ln.text.strip(), marks))
    if not body.startswith(year_text) or not label_re.fullmatch(body[len(year_text) :]):
        return None
    return below[0][1], years[0], False


def _labelled_year(doc: Document, ln: ViewLine, label: str, m: Span, dated: Figures,
                   label_re: re.Pattern[str], marks: str) -> Span | None:
    """The fiscal year that, with a budget word of ``label_re`` and nothing else, labels amount ``m`` of
    line ``ln`` (``label``: the text before it); None when the label is anything more. The label may
    open a sentence (本事業は…実施している。平成21年度予算額は89億円)."""
    at = view_index(doc.lines, m.start)
    since = at - len(label)  # where the label starts in the view
    body = label
    stops = list(_SENTENCE_END.finditer(label))
    if stops:  # the sentence that states it
        body = label[stops[-1].end() :]
        since += stops[-1].end()
    body = body.lstrip()
    years = [d for d in dated.on(ln) if since <= view_index(doc.lines, d.start) and view_index(doc.lines, d.end) <= at]
    if not years:
        return None
    year_text = canonical_text(doc.source.text[years[0].start : years[0].end])
    body_text = canonical_text(strip_bullets(body, marks))
    if not body_text.startswith(year_text) or not label_re.fullmatch(body_text[len(year_text) :]):
        return None
    return years[0]


def _labelled_parts(doc: Document, lines: list[ViewLine], i: int, name: str, year: int, ministry: str,
                    cfg: dict[str, Any], marks: str, amounts: Figures) -> list[dict[str, Any]]:
    """The parts (うち新規採択分 4億円) on the lines right under a programme's labelled budget line ``i``:
    children of the programme, inside its amount, not summed."""
    prefixes = tuple(canonical_text(p) for p in cfg.get("partial_prefixes") or ())
    rows: list[dict[str, Any]] = []
    parts_indent: int | None = None  # a line indented past the first part goes on its list (うち、A / 　　B)
    for ln in itertools.takewhile(lambda v: not v.blank, lines[i + 1 :]):
        segments = _segments(doc, ln, amounts)
        part = _clean_label(segments[0][0], cfg, marks) if len(segments) == 1 else ""
        indent = len(ln.text) - len(ln.text.lstrip())
        listed = parts_indent is not None and indent > parts_indent
        if (not prefixes or not (part.startswith(prefixes) or listed) or part in prefixes
                or not _is_item(part, cfg) or not _WORD.search(part)):
            break
        if not listed:
            parts_indent = indent
        rows.append({"fiscal_year": year, "ministry": ministry, "item": part, "parent": name,
                     "amount_yen": int(segments[0][1].value), "children_sum_yen": None, "sum_check": "",
                     "line": ln.line})
    return rows


class _Titles:
    """The programme the title of the page holding a line names (its first lines after the page break),
    else the one the document's title names; each looked for once, when a line needs it."""

    def __init__(self, doc: Document, lines: list[ViewLine], cfg: dict[str, Any], marks: str, dated: Figures,
                 ministries: set[str] | frozenset[str]) -> None:
        self.doc, self.lines, self.cfg, self.marks = doc, lines, cfg, marks
        self.dated, self.ministries = dated, ministries
        self._by_page: dict[int, str] = {}
        self._own: dict[int, str] = {}  # the programme a page's own title names (none: the document's)
        self._starts: list[int] | None = None

    def at(self, i: int) -> str:
        """The programme for line ``i`` of the lines given."""
        return self.of(self.lines[i].src_start) if self.lines else ""

    def own(self, page: int) -> str:
        """The programme the title of ``page`` names itself (page 1: the document's title), or ""."""
        self.of(self.doc.source.page_starts[page - 1] if page > 1 else 0)
        return self._own.get(page, "")

    def of(self, offset: int) -> str:
        """The programme for the line at source ``offset``."""
        page = self.doc.source.page_of(offset)
        if page not in self._by_page:
            if page <= 1:
                self._by_page[page] = self._own[page] = _title_item(self.doc, self.lines, self.cfg, self.marks,
                                                                    self.dated, self.ministries)
            else:
                if self._starts is None:
                    self._starts = [ln.src_start for ln in self.lines]
                # the line holding the page's first character (its form feed may open that line)
                first = max(0, bisect.bisect_right(self._starts, self.doc.source.page_starts[page - 1]) - 1)
                own = _title_item(self.doc, self.lines[first:], self.cfg, self.marks, self.dated, self.ministries)
                self._own[page] = own
                self._by_page[page] = own or self.of(0)
        return self._by_page[page]


def _title_item(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], marks: str, dated: Figures,
                ministries: set[str] | frozenset[str] = frozenset()) -> str:
    """The programme a document's title names, or "": among its first ``publisher_lines`` non-blank
    lines (a line of nothing but a date or a ministry, a press release's head, not counted), the first
    whose space-separated parts are, past a fiscal year before them and the words of ``title_words``
    after them (事業概要, パンフレット, 報道発表), one name of at least ``min_title_item_chars``, or that
    holds such a name in quotes (「地域イノベーション・エコシステム形成プログラム」の新規採択について)."""
    words = {canonical_text(w) for w in cfg.get("title_words") or ()}
    generic = {canonical_text(w) for w in (*cfg["total_words"], *(cfg.get("item_labels") or ()))}
    least = int(cfg.get("min_title_item_chars", 4))

    def good(name: str) -> bool:
        return (len(name) >= least and _is_item(name, cfg) and name not in generic and bool(_WORD.search(name))
                and not any(w in name for w in cfg["comparison_words"]))

    counted = 0
    for ln in (v for v in lines if not v.blank):
        if counted >= int(cfg.get("publisher_lines", 0)):
            break
        text = canonical_text(ln.text)
        on_line = dated.on(ln)
        if text in ministries or (len(on_line) == 1 and canonical_text(
                doc.source.text[on_line[0].start : on_line[0].end]) == text):
            continue  # 令和4年10月12日 / 文部科学省: the release's date and publisher
        counted += 1
        if "。" in ln.text or _NUMBERED.match(canonical_text(strip_bullets(ln.text, marks))):
            continue  # a sentence, or a numbered heading (３．予算): no title
        quoted = _TITLE_QUOTES.findall(text)
        if len(quoted) == 1 and good(quoted[0].strip()):
            return quoted[0].strip()
        lead = leading_bullets(ln.text, marks)
        body = ln.text[lead:]
        years = [d for d in on_line if view_index(doc.lines, d.start) == ln.start + lead]
        if years:  # the fiscal year the title opens with
            body = doc.lines.text[view_index(doc.lines, years[0].end) : ln.end]
        if any(doc.lines.text[view_index(doc.lines, d.start) - 1 : view_index(doc.lines, d.start)] == "の"
               for d in on_line if d not in years):
            continue  # 関東経済産業局の令和６年度主要施策: whose year's measures, no programme's name
        parts = [canonical_text(p) for p in body.split()]
        while parts and parts[-1] in words:
            parts.pop()
        if len(parts) != 1:
            continue
        name = parts[0]
        for word in sorted({*(cfg.get("item_heading_words") or ()), *words}, key=len, reverse=True):
            if name.endswith(word) and len(name) > len(word):
                name = name[: -len(word)]  # …の概要, …施策パンフレット: the words after the name
                break
        if good(name):
            return name
    return ""


def _chapter_item(lines: list[ViewLine], i: int, cfg: dict[str, Any]) -> str:
    """The name of the nearest chapter or section heading above line ``i`` (第１章　地域中核大学の振興), when
    it can be a budget item; else ""."""
    for ln in reversed(lines[:i]):
        m = _CHAPTER.match(canonical_text(ln.text))
        if m is not None:
            name = m.group("name")
            ok = len(name) >= int(cfg.get("min_title_item_chars", 4)) and _is_item(name, cfg) and _WORD.search(name)
            return name if ok else ""
    return ""


# A chapter's or section's heading (after NFKC): 第1章 name, 第二節 name.
_CHAPTER = re.compile(r"\s*第[0-9一二三四五六七八九十]{1,3}[章節部編]\s*(?P<name>\S.*?)\s*$")
# A name in quotes in a title line (「…プログラム」の新規採択について).
_TITLE_QUOTES = re.compile(r"[「『]([^「」『』]+)[」』]")


def _year_columns(doc: Document, ln: ViewLine, dated: Figures, below: ViewLine | None = None) -> list[int]:
    """The fiscal years of a table's header line, in order (事業名　令和4年度　令和5年度): two or more
    different fiscal years (年度), no sentence and no amount on the line; else []. Given the line ``below``,
    also a header whose cells the column's width broke after 年 (令和５年　令和６年 over 度　度)."""
    if ln.blank or "。" in ln.text or "年度" not in ln.text:  # (a header's years are 年度: one test for most lines)
        return _broken_year_columns(doc, ln, dated, below) if below is not None and "年" in ln.text else []
    on_line = dated.on(ln)
    if len(on_line) < 2 or any(d.kind != "period" or "年度" not in doc.source.text[d.start : d.end] for d in on_line):
        return []
    years = [fiscal_year_of(d) for d in on_line]
    return [y for y in years if y is not None] if len(set(years)) == len(years) and None not in years else []


def _broken_year_columns(doc: Document, ln: ViewLine, dated: Figures, below: ViewLine) -> list[int]:
    """The years of a header line whose cells each end in 年 (令和５年　令和６年), the line right below
    holding nothing but as many 度 (the rest of each cell, 年度, that the column's width broke); else []."""
    if "。" in ln.text or _YEAR_CELL_RESTS.fullmatch(below.text) is None:
        return []
    on_line = dated.on(ln)
    if len(on_line) < 2 or below.text.count("度") != len(on_line) or any(
            not doc.source.text[d.start : d.end].endswith("年") for d in on_line):
        return []
    years = [int(d.value[:4]) if _YEAR_VALUE.match(d.value) else None for d in on_line]
    return [y for y in years if y is not None] if len(set(years)) == len(years) and None not in years else []


_YEAR_CELL_RESTS = re.compile(r"\s*度(?:\s*度)+\s*")  # (spaced-out letters: 度度)
_YEAR_VALUE = re.compile(r"\d{4}")


def _next(lines: list[ViewLine], i: int) -> ViewLine | None:
    return lines[i + 1] if i + 1 < len(lines) else None


def _owner_column(label: str, cfg: dict[str, Any], marks: str, ministries: set[str]) -> str:
    """The ministry a label's first column names, set apart by spaces from the item's name after it
    (文部科学省　　共創の場形成支援プログラム); '' when the first word is no ministry or the rest is only
    budget words (文部科学省 関連予算: the ministry's own total)."""
    words = strip_bullets(label, marks).split()
    if len(words) < 2 or canonical_text(words[0]) not in ministries:
        return ""
    rest = _clean_label(" ".join(words[1:]), cfg, marks)
    if not rest or rest in cfg["total_words"] or any(g in rest for g in ministries):
        return ""
    return canonical_text(words[0])


_ARROWS = "→⇒➡➔▶>〉"


def _cells_before_name(doc: Document, ln: ViewLine) -> str:
    """The tabs parting a row's first cell from its name in the source (文部科学省\t共創… -> one tab; the
    layout reads a tab as a space); "" when spaces part them."""
    text = doc.source.text[ln.src_start : ln.src_end]
    first = text.split()[0] if not text[:1].isspace() and text.split() else ""
    gap = text[len(first) : len(text) - len(text[len(first) :].lstrip())]
    return gap if gap and gap == "\t" * len(gap) else ""


def _after_first_word(label: str) -> int:
    """Where the text after a label's first word (and the spaces after it) starts: 文部科学省　　共創… -> 7."""
    stripped = label.lstrip()
    lead = len(label) - len(stripped)
    first = stripped.split()[0] if stripped.split() else ""
    rest = stripped[len(first) :]
    return lead + len(first) + len(rest) - len(rest.lstrip())


def _column_slots(doc: Document, ln: ViewLine, segments: list[tuple[str, Span]]) -> list[int | None] | None:
    """The cells of a table's row in order, each the index of its segment or None for a dash cell, when
    a cell of the row is a dash (before, between or after the amounts); else None."""
    slots: list[int | None] = []
    for k, (label, _) in enumerate(segments):
        slots += [None] * _dash_cells(label) + [k]
    tail = doc.lines.text[view_index(doc.lines, segments[-1][1].end) : ln.end]
    if _DASH_CELLS.fullmatch(" " + tail.rstrip()):
        slots += [None] * _dash_cells(" " + tail)
    return slots if None in slots else None


def _dash_cells(text: str) -> int:
    """How many dash cells (a space, then －, ―…) close ``text``."""
    m = _DASH_CELLS.search(text.rstrip())
    return len(_DASH.findall(m.group())) if m else 0


_DASH = re.compile(r"[\-―—–‐─]{1,3}")
_DASH_CELLS = re.compile(r"(?:\s+[\-―—–‐─]{1,3})+$")


def _arrows_resolved(segments: list[tuple[str, Span]]) -> list[tuple[str, Span]]:
    """``138億円 → 141億円``: the amount after an arrow is the line's (this year's), the one before it the
    year before's; the pair is one segment, labelled as the first."""
    out: list[tuple[str, Span]] = []
    for label, m in segments:
        if out and label.strip() and not label.strip(_ARROWS + " \u3000"):
            out[-1] = (out[-1][0], m)
        else:
            out.append((label, m))
    return out


def _only_fiscal_year(doc: Document, ln: ViewLine, name: str, dated: Figures | None) -> bool:
    """Whether an item's ``name`` (its label without budget words) on ``ln`` is a fiscal year alone
    (令和5年度予算額 → 令和5年度)."""
    return dated is not None and any(
        d.kind == "period" and canonical_text(doc.source.text[d.start : d.end]) == name for d in dated.on(ln))


def _collect(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], ministries: set[str],
             amount_starts: list[int] | None = None, amounts: Figures | None = None,
             year: int | None = None, dated: Figures | None = None, total_name: str = "",
             columns: list[int] | None = None) -> list[_Item]:
    """The budget lines of one section. Under a header line naming two or more fiscal years (事業名
    令和4年度 令和5年度), a line's amounts are that header's columns in order, and the amount read is the
    one in the column of the section's year ``year``, wherever that column stands; elsewhere it is the
    line's first amount (a comparison with another year follows it). A total's line (計) under no
    ministry's heading is ``total_name``'s, when given (the programme the document's title names).
    ``columns`` are the years of the heading's own columns when the heading is the table's header."""
    items: list[_Item] = []
    columns = list(columns or ())  # the fiscal year of each amount column, from the last header line
    unnamed_above = False  # the last whole line had no name: the parts under it have no parent here
    seen: set[str] = set()
    partial = tuple(cfg.get("partial_prefixes") or ())
    marks = bullets(doc)
    # Where amounts start, sorted: a line where none starts has no segments (one bisect, not a lookup).
    if amount_starts is None:
        amount_starts = mention_starts(doc, ("amount",))
    if amounts is None:
        amounts = Figures(doc, ("amount",))
    heading_owner = ""  # the ministry a heading line names (【経済産業省】): the lines under it are its
    # Budget words that name no line by themselves (予算額, 予算案; 執行額, 決算額: amount_labels); a total's
    # words (計, 合計) do.
    totals = {*(cfg.get("ministry_total_words") or ()), *(cfg.get("grand_total_words") or ())}
    bare_labels = {w for w in (*cfg["total_words"], *(cfg.get("item_labels") or ()),
                               *(cfg.get("amount_labels") or ())) if w not in totals}
    parts_indent: int | None = None  # the indent of the part (うち…) the last line was
    # The ministry a column names, where the names after it start, and (a row of cells parted by tabs) the tabs
    # before them: a row whose cell under the ministry is blank starts with as many tabs.
    column: tuple[str, int, str] | None = None
    named_re = _names_re(tuple(sorted(ministries)))

    def ministry_listed(label: str) -> bool:
        return bool(_enumerated_ministry(label, ministries))

    named_by = _split_columns(doc, lines, amounts, amount_starts, cfg, marks)
    column_owners: list[tuple[int, str]] = []  # (display column, ministry) of a header of ministries' columns
    # The ministry column's cells, by view line index, and the lines whose cell was blank (a table whose cells
    # stand in the middle of the rows they merge over: a cell alone on a line between rows tells so).
    cells: dict[int, str] = {}
    blank_cells: dict[int, int] = {}  # view line index -> index in items of the line's item
    centred = False
    for idx, ln in enumerate(lines):
        if not starts_on(amount_starts, ln):
            if (column is not None and not ln.blank and (alone := _ministry_heading(ln.text, cfg, ministries))
                    and ln.text[: len(ln.text) - len(ln.text.lstrip())] == ""
                    and _between_rows(lines, idx, amount_starts)):
                # 経済産業省 alone on a line between rows whose ministry cell is blank: the cell merged over
                # the rows around it, its text set in their middle
                cells[idx], centred = alone, True
                column = (alone, column[1], column[2])
                continue
            header = _year_columns(doc, ln, dated, _next(lines, idx)) if dated is not None else []
            if header:
                columns = header
            elif not ln.blank and named_re is not None and (heads := _ministry_columns(ln.text, named_re)):
                column_owners = heads  # 文部科学省　　　　経済産業省: the columns under it are theirs
            elif (not ln.blank and len(ln.text) <= _MINISTRY_HEADING_CHARS  # a heading is short
                  and named_re is not None and named_re.search(ln.text)):
                heading_owner = _ministry_heading(ln.text, cfg, ministries) or heading_owner
                column_owners = []
            elif not ln.blank:
                column_owners = []  # another heading: the ministries' columns end
            continue
        segments = _arrows_resolved(_segments(doc, ln, amounts, partial=partial, listed=ministry_listed))
        if year in columns and segments and (slots := _column_slots(doc, ln, segments)) is not None:
            # A dash in a column with no figure (事業　－　５００，０００) is a cell: the amounts' columns
            # are counted past it, and a dash in the year's column means no amount for the year.
            k = slots[columns.index(year)] if len(slots) >= len(columns) else 0
            if k is None:
                doc.warn(ln.line, "budget_no_amount", f"{_clean_label(segments[0][0], cfg, marks) or 'a line'}: "
                         f"a dash in the column of fiscal year {year}; no amount for that year")
                continue
            segments = [(segments[0][0], segments[k][1])]
        pick = columns.index(year) if year in columns and len(segments) >= len(columns) else 0
        if pick and not any(_clean_label(lab, cfg, marks) for lab, _ in segments[1 : pick + 1]):
            segments = [(segments[0][0], segments[pick][1])]  # the label, and its amount in the year's column
        for k, (label, m) in enumerate(segments):
            wrapped_indent: int | None = None
            if k == 0 and (lead := item_lead(doc, ln.start, label, marks)) > leading_bullets(label, marks):
                label = label[lead:]  # ①地域…: a circled number (NFKC made it 1) is a list number
            name = _clean_label(label, cfg, marks)
            if not name and k > 0:
                continue  # another column of the same line's item (last year's amount, the change)
            if not name and k == 0 and idx in named_by:  # the names' column read before the amounts' column
                name = _clean_label(lines[named_by[idx]].text, cfg, marks)
            elif not name:  # the label sits on the line above the amount
                prev = next((p for p in reversed(lines[:idx]) if not p.blank), None)
                if prev is not None and not amounts.on(prev):
                    name = _clean_label(prev.text, cfg, marks)
                    # 地域中核・特色ある研究大学 / 　　1,500 / 強化促進事業: a cell set in the middle of its row,
                    # the name's two lines around the amounts' line
                    if k == 0 and prev is lines[idx - 1]:
                        name += _wrapped_rest(lines, idx, name, cfg, marks, amount_starts, named_re)
            elif k == 0 and (front := _wrapped_front(lines, idx, name, cfg, marks, amount_starts, named_re)):
                name = front + name  # 地域イノベーション戦略支援 / プログラム　60億円: the name wrapped
                wrapped_indent = len(lines[idx - 1].text) - len(lines[idx - 1].text.lstrip())
            elif k == 0 and (rest := _wrapped_rest(lines, idx, name, cfg, marks, amount_starts, named_re)):
                name += rest  # 地域中核・特色ある研究大学　1,500 / 強化促進事業: the name wrapped under its amount
            stated = ""
            if name and _only_fiscal_year(doc, ln, name, dated):
                # 平成24年度予算案 56億円 under the programme's heading (○地域イノベーション戦略推進事業（文部科学省）):
                # the heading's budget; under ２．予算 or a table's header of years, no one's.
                above, stated = _named_above(doc, lines, idx, cfg, marks, ministries, amount_starts, dated)
                if above is None:
                    doc.warn(ln.line, "budget_unnamed", f"{int(m.value):,} yen on a line labelled only by its "
                             f"fiscal year ({canonical_text(label.strip())}): no item to give it to")
                    unnamed_above = True
                    continue
                name = above
            owner = stated or _owner_column(label, cfg, marks, ministries)
            in_column = False  # under a ministry column's blank cell: its indent is the column's, no level
            blank = False  # the line's ministry cell is blank
            if owner and not stated:
                name = _clean_label(label.strip()[len(label.strip().split()[0]) :], cfg, marks)
                column = (owner, _after_first_word(label), _cells_before_name(doc, ln)) if k == 0 else None
                if k == 0:
                    cells[idx] = owner
            elif not owner and k == 0 and column is not None:
                # The ministry column's cell left blank (the line's name starts where the name of the line
                # above starts, past its ministry): the same ministry's line, not an indented child.
                lead = len(ln.text) - len(ln.text.lstrip())
                if lead == column[1] or (column[2] and doc.source.text.startswith(column[2], ln.src_start)
                                         and lead == len(column[2])):
                    owner, in_column, blank = column[0], True, True
                else:
                    column = None
            elif not owner and k == 0 and not cells and not ln.text[:1].strip() and _between_rows(
                    lines, idx, amount_starts, below_only=True):
                blank = True  # a blank cell over the table's first one (which may stand in the middle)
            if owner and not stated and name in (cfg.get("ministry_total_words") or ()):
                name, owner, in_column = owner, "", False  # 小計 in a ministry's column: that ministry's total
            elif heading_owner and not owner and name in (cfg.get("ministry_total_words") or ()):
                name = heading_owner  # 計 under 【文部科学省】: the ministry's total
            elif total_name and not owner and name in (cfg.get("ministry_total_words") or ()):
                name = total_name  # 計 on the page of a programme (…プログラムの概要 / ２．予算額): its budget
            if not owner and (alone := _enumerated_ministry(label, ministries)):
                # 予算額は、文部科学省１３４億円、経済産業省１６６億円: each ministry right before its amount, in a list
                name, label = alone, alone + " "
            ministry = None if owner else next((g for g in ministries if g in name), None)
            # Set apart from its amount (a table's gap; a PDF's reader writes one space for it), and not
            # ending in a particle or a stop as a sentence leading up to its figure does.
            spaced = label[-1:].isspace() and label.strip()[-1:] not in "。、をはがにでと"
            if ministry and not _is_item(name, cfg, spaced):
                continue  # 経済産業省では、…事業として１２５億円を計上: a sentence naming the ministry, not its total
            if ministry:
                name = ministry
            if (not _is_item(name, cfg, spaced) or not _WORD.search(name)
                    or any(w in name for w in cfg["comparison_words"]) or name in bare_labels):
                continue  # (予算額 alone over a figure: a column's header, no programme)
            if name in seen:
                doc.warn(ln.line, "budget_duplicate_item", f"{name}: listed twice; kept the first")
                continue
            seen.add(name)
            indent = len(ln.text) - len(ln.text.lstrip()) if k == 0 and not in_column else None
            if indent is not None and wrapped_indent is not None:
                indent = wrapped_indent  # the name's level is where it starts, on the line above
            # A line right under a part (うち、A 38億円), indented past it, goes on its list: a part too.
            listed = (parts_indent is not None and indent is not None and indent > parts_indent
                      and items[-1].line == ln.line - 1)
            item = _Item(name, int(m.value), ln.line, bool(ministry), indent=indent,
                         partial=bool(partial) and not ministry and (name.startswith(partial) or listed))
            item.orphan = item.partial and unnamed_above
            item.owner = owner or ("" if ministry else (_column_owner(doc, ln, label, m, column_owners)
                                                         or heading_owner))
            unnamed_above = unnamed_above and item.partial
            if not listed:
                parts_indent = indent if item.partial else None
            if blank:
                blank_cells[idx] = len(items)
            items.append(item)
    if centred:
        _centred_cells(lines, cells, blank_cells, items)
    return items


def _enumerated_ministry(label: str, ministries: set[str]) -> str:
    """The ministry a label ends in when it stands right before its amount as an item of a list: nothing
    before it but a list's separator (、), a label's colon or a topic's は (予算額は、文部科学省 / 、経済産業省が);
    else ''."""
    text = nfkc(label).strip().rstrip(":").rstrip()
    text = text[:-1] if text.endswith(("が", "は")) else text
    for g in ministries:
        if text.endswith(g):
            before = text[: -len(g)].rstrip()
            if before and not before.endswith(("、", ",", ":", "は")):
                return ""
            return g if before else ""
    return ""


def _between_rows(lines: list[ViewLine], idx: int, amount_starts: list[int], below_only: bool = False) -> bool:
    """Whether line ``idx`` stands among a table's rows: the lines right above and below it hold amounts (with
    ``below_only``, the line below)."""
    above = idx > 0 and starts_on(amount_starts, lines[idx - 1])
    below = idx + 1 < len(lines) and starts_on(amount_starts, lines[idx + 1])
    return below and (below_only or above)


def _centred_cells(lines: list[ViewLine], cells: dict[int, str], blank_cells: dict[int, int],
                   items: list[_Item]) -> None:
    """Give each row whose ministry cell is blank the ministry of the nearest cell in its block (no blank
    line between), the one above on a tie: each cell stands in the middle of the rows it merges over
    (文部科学省 on the second of three rows, 経済産業省 between its two)."""
    for idx, k in blank_cells.items():
        near = [(abs(at - idx), at > idx, at) for at in cells
                if not any(lines[j].blank for j in range(min(at, idx), max(at, idx) + 1))]
        if near:
            items[k].owner = cells[min(near)[2]]


def _ministry_columns(text: str, named_re: re.Pattern[str]) -> list[tuple[int, str]]:
    """(display column, ministry) of each ministry on a line that is nothing but two ministries or more set
    apart by gaps (文部科学省　　　　経済産業省): the header of side-by-side columns of their lines; else []."""
    found = [(m.start(), m.group()) for m in named_re.finditer(text)]
    if len(found) < 2 or named_re.sub("", text).strip(" \u3000()【】[]") or len({g for _, g in found}) < len(found):
        return []
    return [(display_width(text[:at]), g) for at, g in found]


def _column_owner(doc: Document, ln: ViewLine, label: str, m: Span, heads: list[tuple[int, str]]) -> str:
    """The ministry whose column (``heads``: :func:`_ministry_columns`) a line's segment stands in: the last
    header starting at or before the segment's name (two display columns of slack); '' without heads."""
    if not heads:
        return ""
    at = view_index(doc.lines, m.start) - ln.start - len(label)  # where the segment's label starts
    at += len(label) - len(label.lstrip())
    col = display_width(ln.text[:at])
    owners = [g for c, g in heads if c <= col + 2]
    return owners[-1] if owners else ""


# Joiners after which a name goes on: a line ending with one breaks a name off.
_JOINERS_AT_END = ("・", "及び", "並びに")


def _wrapped_front(lines: list[ViewLine], idx: int, name: str, cfg: dict[str, Any], marks: str,
                   amount_starts: list[int], named_re: re.Pattern[str] | None) -> str:
    """The first half of a budget line's name printed on the line right above it, when the name wrapped:
    the name on the amount's line cannot stand alone (an item's ending alone, プログラム　60億円 under
    地域イノベーション戦略支援, or the rest of one the margin cut, 業 under …促進事; a bracket alone,
    （産業クラスター計画）　40億円 under ・地域新成長産業創出促進事業),
    or the line above breaks off after a joiner (・, 及び), or it stands between two lines of amounts (a table's
    rows) and ends as no item does while the name on the amount's line does. The line above holds no amount,
    no sentence, no heading's brackets and no ministry's name, and the joined name is an item. "" when none."""
    if idx == 0:
        return ""
    above = lines[idx - 1]
    if above.blank or above.text.startswith("\f") or starts_on(amount_starts, above) or "。" in above.text:
        return ""
    front = _clean_label(above.text, cfg, marks)
    if not front or not _WORD.search(front) or front[0] in _HEADING_MARKS or front[-1] in _HEADING_MARKS:
        return ""
    endings = tuple(cfg.get("sentence_item_endings") or ())
    alone = _BRACKET_ALONE.fullmatch(name) is not None or (
        bool(endings) and _ending_alone_re(endings).fullmatch(name) is not None and not front.endswith(endings))
    # …研究大学強化促進事 over 業　４５　５０: the margin cut the item's ending itself (事 / 業), the name on
    # the amount's line nothing but the ending's rest
    alone = alone or any(len(name) < len(e) and e.endswith(name) and (front + name).endswith(e) for e in endings)
    # Between two lines of amounts (a table's rows), a line with none whose words end as no item does, over
    # a name that does: 地域イノベーション・エコシステム / 形成プログラム　３５　２８
    between = (idx >= 2 and starts_on(amount_starts, lines[idx - 2]) and bool(endings) and name.endswith(endings)
               and not front.endswith(endings))
    if not (alone or between or front.endswith(_JOINERS_AT_END)):
        return ""
    if (named_re is not None and named_re.search(front)) or not _is_item(front + name, cfg) or any(
            w in front for w in cfg["comparison_words"]):
        return ""
    return front


def _wrapped_rest(lines: list[ViewLine], idx: int, name: str, cfg: dict[str, Any], marks: str,
                  amount_starts: list[int], named_re: re.Pattern[str] | None) -> str:
    """The second half of a budget line's name printed on the line right under it, as a table whose cells
    are set at their top prints a wrapped name (地域中核・特色ある研究大学　1,500　1,000 / 強化促進事業): the name on
    the amount's line ends as no item does, the line under it holds no amount, no sentence, no heading's mark
    and no ministry's name, and ends as an item does; under it, another line of amounts, a blank line or the
    end. "" when none."""
    endings = tuple(cfg.get("sentence_item_endings") or ())
    if not endings or not name or name.endswith(endings) or idx + 1 >= len(lines):
        return ""
    below = lines[idx + 1]
    if below.blank or below.text.startswith("\f") or starts_on(amount_starts, below) or "。" in below.text:
        return ""
    rest = _clean_label(below.text, cfg, marks)
    if (not rest or not rest.endswith(endings) or rest[0] in _HEADING_MARKS or rest[-1] in _HEADING_MARKS
            or below.text.lstrip()[:1] in marks):
        return ""
    after = lines[idx + 2] if idx + 2 < len(lines) else None
    if after is not None and not after.blank and (not starts_on(amount_starts, after)
                                                  or _AMOUNT_ALONE.match(after.text) is not None):
        return ""  # (a line of an amount alone under it: the line is that amount's name, not this one's rest)
    if (named_re is not None and named_re.search(rest)) or not _is_item(name + rest, cfg) or any(
            w in rest for w in cfg["comparison_words"]):
        return ""
    return rest


# A line opening with its amount, no name before it (after NFKC): 　　150億円, 約1,500, △20.
_AMOUNT_ALONE = re.compile(r"\s*(?:約|およそ|概ね|[△▲-])?\s*\d")


# A name's second half that cannot stand alone: a bracket alone, or one of the items' endings alone
# (プログラム, 事業, 補助金) or with a bracket after it (事業（産業クラスター計画）).
_BRACKET_ALONE = re.compile(r"\([^()]+\)")


@functools.lru_cache(maxsize=8)
def _ending_alone_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """One of the items' endings, alone or with a bracket after it."""
    return re.compile("(?:" + "|".join(map(re.escape, sorted(endings, key=len, reverse=True))) + r")(?:\([^()]+\))?")


def _split_columns(doc: Document, lines: list[ViewLine], amounts: Figures, amount_starts: list[int],
                   cfg: dict[str, Any], marks: str) -> dict[int, int]:
    """A table a converter read column by column (pdftotext's default: every name, then every amount):
    a block of names with no figure, then, past blank lines, a block of lines that are each one amount
    alone (a header such as 予算額 on top allowed; a bracketed comparison after the amount too), as many
    as the names (the names' header, 事業名, on top allowed). Maps each amount line to its name line
    (indexes into ``lines``); empty when no such pair of blocks stands there."""
    blocks: list[list[int]] = []
    for i, ln in enumerate(lines):
        if ln.blank:
            if blocks and blocks[-1]:
                blocks.append([])
            continue
        if not blocks:
            blocks.append([])
        blocks[-1].append(i)
    blocks = [b for b in blocks if b]
    if len(blocks) < 2:
        return {}

    def amount_alone(i: int) -> bool:
        found = amounts.on(lines[i])
        if not found or not starts_on(amount_starts, lines[i]):
            return False
        rest = lines[i].text
        for m in found:
            rest = rest.replace(doc.lines.text[view_index(doc.lines, m.start) : view_index(doc.lines, m.end)], "")
        return not rest.strip().strip("()（）")

    def name_line(i: int) -> bool:
        t = lines[i].text
        return not amounts.on(lines[i]) and "。" not in t and 0 < len(strip_bullets(t, marks)) <= cfg["max_item_chars"]

    out: dict[int, int] = {}
    for k in range(len(blocks) - 1):
        names, figures = blocks[k], blocks[k + 1]
        if not starts_on(amount_starts, lines[figures[-1]]):
            continue  # (most blocks: their last line holds no amount)
        while figures and not amounts.on(lines[figures[0]]) and name_line(figures[0]):
            figures = figures[1:]  # the amounts' header (予算額, 令和６年度)
        if len(figures) < 2 or not all(amount_alone(i) for i in figures) or not all(name_line(i) for i in names):
            continue
        if len(names) == len(figures) + 1:
            names = names[1:]  # the names' header (事業名)
        if len(names) == len(figures):
            out.update(zip(figures, names, strict=True))
    return out


def _named_above(doc: Document, lines: list[ViewLine], idx: int, cfg: dict[str, Any], marks: str,
                 ministries: set[str], amount_starts: list[int], dated: Figures | None) -> tuple[str | None, str]:
    """The item a line labelled only by its fiscal year (平成24年度予算案 56億円) is the budget of: the
    heading right above it, as (name, the ministry it states); (None, "") when the line above is no
    programme's heading (blank, a figure, a sentence, a numbered heading such as ２．予算, a table's
    header of fiscal years, the unit)."""
    above = next((p for p in reversed(lines[:idx]) if not p.blank), None)
    if (above is None or starts_on(amount_starts, above) or "。" in above.text or "単位" in above.text
            or (dated is not None and _year_columns(doc, above, dated))
            or _NUMBERED.match(canonical_text(strip_bullets(above.text, marks)))):
        return None, ""
    name, stated = _heading_name(_clean_label(above.text, cfg, marks), cfg, ministries)
    if (len(name) < int(cfg.get("min_title_item_chars", 4)) or not _is_item(name, cfg) or not _WORD.search(name)
            or any(w in name for w in cfg["comparison_words"])
            or (dated is not None and any(fiscal_year_of(d) is not None for d in dated.on(above)))):
        return None, ""
    return name, stated


_HEADING_MARKS = "【】[]〔〕<>〈〉()■□●○◆◇・ "
_MINISTRY_HEADING_CHARS = 40  # a line longer than this (spaces included) is no ministry's heading


@functools.lru_cache(maxsize=8)
def _names_re(names: tuple[str, ...]) -> re.Pattern[str] | None:
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None


def _ministry_heading(text: str, cfg: dict[str, Any], ministries: set[str]) -> str:
    """The ministry a line with no amount names as a heading over budget lines (【経済産業省】,
    ■文部科学省関係: a ministry, then at most one of ``ministry_heading_words``), else ""."""
    word = canonical_text(text).strip(_HEADING_MARKS)
    for tail in ("", *(cfg.get("ministry_heading_words") or ())):
        if tail and not word.endswith(tail):
            continue
        name = word[: len(word) - len(tail)].strip(_HEADING_MARKS)
        if name in ministries:
            return name
    return ""


def _rules_ministry(name: str, parents: dict[str, str], ministries: set[str]) -> str:
    """The ministry the rules' parents lead ``name`` to (知的クラスター創成事業 -> 文部科学省), or ""."""
    walked, step = {name}, _rule_parent(name, parents)
    while step and step not in walked:
        if step in ministries:
            return step
        walked.add(step)
        step = _rule_parent(step, parents)
    return ""


def _tree(doc: Document, items: list[_Item], year: int, cfg: dict[str, Any], heading_ministry: str = ""
          ) -> list[dict[str, Any]]:
    """The section's lines as rows, placed and summed; ``heading_ministry``: the one ministry the section's
    heading names, whose lines are those no line or rule gives another ministry (placed, no warning)."""
    grand = _grand_totals(items, cfg)
    if grand:
        _warn_grand_totals(doc, items, grand)
        items = [it for it in items if it not in grand]
    by_name = {it.name: it for it in items}
    parents = {canonical_text(k) if not k.startswith("/") else k: v for k, v in cfg["parents"].items()}
    for k, it in enumerate(items):
        if it.is_ministry:
            continue
        if it.partial:  # うち新規採択分: a part of the nearest whole line above it
            above = None if it.orphan else next((q for q in reversed(items[:k]) if not q.partial), None)
            if it.indent is not None and above is not None and above.indent is None:
                # The nearest line above stood second on its line (two boxes read side by side, row by row): the
                # part opening its line is one of the line-opening item above it set in less (its own box's).
                left = next((q for q in reversed(items[:k])
                             if not q.partial and q.indent is not None and q.indent < it.indent), None)
                above = left or above
            it.parent = above.name if above is not None else None
            continue
        p = _rule_parent(it.name, parents)
        if p and p in by_name and p != it.name:
            it.parent = p
    _place_by_sums([it for it in items if not it.partial], by_name, cfg["max_children_by_sum"])
    if cfg.get("place_by_indent") and _place_by_indent(doc, items):
        # The lines indent placed are no longer candidates: sums that were ambiguous with them (90 + 60
        # completes a total of 150, and so does 90 + 35 + 25) may now have one answer.
        _place_by_sums([it for it in items if not it.partial], by_name, cfg["max_children_by_sum"])
    _place_under_heading_total(items, by_name)
    for it in items:
        if it.parent:
            by_name[it.parent].children.append(it.name)

    ministries = {it.name for it in items if it.is_ministry}
    ministries |= set(organization_extractor(doc.rules).named("government"))

    def ministry_of(it: _Item, start: _Item) -> str:
        seen = set()
        while it.parent and it.name not in seen and not it.owner:
            seen.add(it.name)
            it = by_name[it.parent]
        if it.is_ministry or it.owner:
            return it.name if it.is_ministry else it.owner
        # The rules' parents up to a ministry: from the top of its tree, else from the line itself (a
        # programme the rules know, under a 合計 they do not).
        return _rules_ministry(it.name, parents, ministries) or _rules_ministry(start.name, parents, ministries)

    found = {it.name: ministry_of(it, it) or heading_ministry for it in items}
    _infer_ministries(doc, items, by_name, found)
    items = _without_totals_of_ministries(doc, items, by_name, found, cfg)
    rows = []
    for it in items:
        whole = [c for c in it.children if not by_name[c].partial]  # a part is inside its parent's amount
        children_sum = sum(by_name[c].amount for c in whole) if whole else None
        check = "" if children_sum is None else ("ok" if children_sum == it.amount else "mismatch")
        if check == "mismatch":
            doc.warn(it.line, "budget_sum_mismatch",
                     f"{it.name}: children ({', '.join(it.children)}) add up to {children_sum:,} yen, "
                     f"not {it.amount:,} yen")
        ministry = found[it.name]
        # Under its ministry's heading or column, or a programme the rules put under a ministry: placed.
        if not it.is_ministry and not it.parent and not it.owner and not ministry:
            doc.warn(it.line, "budget_unplaced",
                     f"{it.name} ({it.amount:,} yen): no rule names its parent and no parent's amount "
                     "is completed by it")
        rows.append(
            {
                "fiscal_year": year,
                "ministry": ministry,
                "item": it.name,
                "parent": it.parent or "",
                "amount_yen": it.amount,
                "children_sum_yen": children_sum,
                "sum_check": check,
                "line": it.line,
            }
        )
    return rows


def _place_under_heading_total(items: list[_Item], by_name: dict[str, _Item]) -> None:
    """Lines under a ministry's heading (【経済産業省】) that nothing placed go under that ministry's total (its
    計) when that total has no line under it yet and they add up to it exactly: one line as much as several
    (a lone programme equal to its ministry's 計, which sums leave alone as a sum of one)."""
    groups: dict[str, list[_Item]] = {}
    for it in items:
        if it.owner and not it.parent and not it.partial and not it.is_ministry:
            groups.setdefault(it.owner, []).append(it)
    for owner, members in groups.items():
        total = by_name.get(owner)
        if total is None or not total.is_ministry or any(it.parent == owner for it in items):
            continue
        if sum(it.amount for it in members) == total.amount:
            for it in members:
                it.parent = owner


def _grand_totals(items: list[_Item], cfg: dict[str, Any]) -> list[_Item]:
    """The section's totals over several ministries (合計 under 文部科学省計 and 経済産業省計): a line of
    ``grand_total_words`` that no heading gives a ministry, below two or more ministries' totals and above
    none. Such a line sums those totals, not the lines under them: it is no parent of theirs, and it gets
    no row (every row is one ministry's)."""
    words = set(cfg.get("grand_total_words") or ())
    ministry_at = [k for k, it in enumerate(items) if it.is_ministry]
    if not words or len({items[k].name for k in ministry_at}) < 2:
        return []
    return [it for k, it in enumerate(items)
            if it.name in words and not it.is_ministry and not it.partial and not it.owner
            and sum(1 for m in ministry_at if m < k) >= 2 and not any(m > k for m in ministry_at)]


def _warn_grand_totals(doc: Document, items: list[_Item], grand: list[_Item]) -> None:
    """A ``budget_total_of_ministries`` warning per grand total: its amount, and whether the ministries'
    totals above it add up to it."""
    for g in grand:
        heads = [it for it in items if it.is_ministry and it.line < g.line]
        total = sum(h.amount for h in heads)
        check = "they add up to it" if total == g.amount else f"they add up to {total:,} yen, not {g.amount:,}"
        doc.warn(g.line, "budget_total_of_ministries",
                 f"{g.name} ({g.amount:,} yen) totals the ministries' lines ({', '.join(h.name for h in heads)}): "
                 f"{check}; no row, since each row is one ministry's")


def _without_totals_of_ministries(doc: Document, items: list[_Item], by_name: dict[str, _Item], found: dict[str, str],
                                  cfg: dict[str, Any]) -> list[_Item]:
    """``items`` without the totals (合計) whose lines are several ministries' (a table with a ministry
    column: 文部科学省　…プログラム, 経済産業省　…事業, then 合計): like a total of ministries' totals, such a line
    gets no row, since every row is one ministry's; its lines lose it as their parent, and a
    ``budget_total_of_ministries`` warning keeps its amount."""
    words = set(cfg.get("grand_total_words") or ())
    out = []
    for it in items:
        owners = [found[c] for c in it.children]
        if (it.name not in words or found[it.name] or it.is_ministry or it.partial or not owners
                or "" in owners or len(set(owners)) < 2):
            out.append(it)
            continue
        total = sum(by_name[c].amount for c in it.children)
        check = "they add up to it" if total == it.amount else f"they add up to {total:,} yen, not {it.amount:,}"
        named = ", ".join(dict.fromkeys(owners))
        doc.warn(it.line, "budget_total_of_ministries", f"{it.name} ({it.amount:,} yen) totals lines of several "
                 f"ministries ({named}): {check}; no row, since each row is one ministry's")
        for c in it.children:
            by_name[c].parent = None
        it.children = []
    return out


def _infer_ministries(doc: Document, items: list[_Item], by_name: dict[str, _Item], found: dict[str, str]) -> None:
    """Give a line whose ministry nothing states (``found`` is "") the one ministry of the lines it sums
    (合計 over 文部科学省's programmes), else its parent's: each with a ``budget_ministry_inferred``
    warning naming the evidence. Lines that sum several ministries' lines keep none."""
    for it in items:
        if found[it.name] or it.is_ministry:
            continue
        under = _ministries_below(it, by_name, found, {it.name})
        if len(under) == 1:
            found[it.name] = next(iter(under))
            doc.warn(it.line, "budget_ministry_inferred",
                     f"{it.name}: given to {found[it.name]}, the one ministry of the lines it sums")
    changed = True
    while changed:  # a parent may stand below its children (lines before their parents)
        changed = False
        for it in items:
            parent = by_name.get(it.parent or "")
            if not found[it.name] and parent is not None and found[parent.name]:
                found[it.name] = found[parent.name]
                changed = True
                doc.warn(it.line, "budget_ministry_inferred",
                         f"{it.name}: given to {found[it.name]}, the ministry of {parent.name}, its parent")


def _ministries_below(it: _Item, by_name: dict[str, _Item], found: dict[str, str], seen: set[str]) -> set[str]:
    """The ministries of the lines ``it`` sums: each child's own, else those of the lines it sums."""
    out: set[str] = set()
    for c in it.children:
        child = by_name[c]
        if child.partial or c in seen:
            continue
        seen.add(c)
        out |= {found[c]} if found[c] else _ministries_below(child, by_name, found, seen)
    return out


def _place_by_indent(doc: Document, items: list[_Item]) -> int:
    """Place what rules and sums left unplaced under the nearest line above it that is indented less
    and still has room for its amount; each such placement is reported (it rests on layout alone).
    Returns how many lines it placed."""
    placed = 0
    for k, it in enumerate(items):
        if it.is_ministry or it.parent or it.partial or it.indent is None:
            continue
        for q in reversed(items[:k]):
            if q.partial or q.indent is None or q.indent >= it.indent:
                continue
            used = sum(c.amount for c in items if c.parent == q.name and not c.partial)
            if used + it.amount <= q.amount:
                it.parent = q.name
                placed += 1
                doc.warn(it.line, "budget_placed_by_indent",
                         f"{it.name}: placed under {q.name}, the line above it indented less (no rule or sum "
                         "places it)")
            break
    return placed


# Past this many candidate placements the search for consistent trees is not tried (it doubles with
# each); the lines stay unplaced, with their warnings.
MAX_PLACEMENTS = 16

Placement = tuple[_Item, tuple[_Item, ...]]


def _place_by_sums(items: list[_Item], by_name: dict[str, _Item], max_children: int) -> None:
    """Place the lines no rule placed so that every parent they join adds up, at every level.

    A placement gives a parent the unplaced lines that complete its amount. A tree is a set of
    placements with no line placed twice, no parent filled twice and no cycle: a renamed programme and
    its unchanged children are placed together (the children complete the programme, which then
    completes its ministry). Of the trees that place the most lines, only the placements they all
    share are applied, so two consistent trees are never chosen between.
    """
    unplaced = [it for it in items if not it.is_ministry and not it.parent]
    if not unplaced:
        return
    placements = _placements(items, unplaced, max_children)
    if not placements or len(placements) > MAX_PLACEMENTS:
        return
    best: list[frozenset[int]] = []
    best_size = 0
    left = [sum(len(c) for _, c in placements[k:]) for k in range(len(placements) + 1)]

    def search(k: int, chosen: list[int], parent_of: dict[str, str], size: int) -> None:
        nonlocal best, best_size
        if size + left[k] < best_size:
            return  # even every remaining placement cannot reach the best tree
        if k == len(placements):
            if size > best_size:
                best, best_size = [frozenset(chosen)], size
            elif size == best_size:
                best.append(frozenset(chosen))
            return
        parent, children = placements[k]
        filled = {parent_of[c] for c in parent_of}
        if (parent.name not in filled and not any(c.name in parent_of for c in children)
                and not _makes_cycle(parent, children, parent_of, by_name)):
            placed = dict(parent_of, **{c.name: parent.name for c in children})
            search(k + 1, [*chosen, k], placed, size + len(children))
        search(k + 1, chosen, parent_of, size)

    search(0, [], {}, 0)
    for k in sorted(frozenset.intersection(*best)):
        parent, children = placements[k]
        for c in children:
            c.parent = parent.name


def _placements(items: list[_Item], unplaced: list[_Item], max_children: int) -> list[Placement]:
    """Every (parent, unplaced lines) pair whose amounts complete that parent's remaining amount."""
    out = []
    for p in items:
        children = [c for c in items if c.parent == p.name]
        remaining = p.amount - sum(c.amount for c in children)
        if remaining <= 0:
            continue
        # (a line in another ministry's column, or under another ministry's heading, is none of its lines)
        candidates = [u for u in unplaced if u is not p and u.amount <= remaining
                      and (not u.owner or not p.owner or u.owner == p.owner)]
        min_size = 1 if children else 2  # a lone child equal to its parent proves nothing
        for size in range(min_size, min(max_children, len(candidates)) + 1):
            for combo in itertools.combinations(candidates, size):
                if sum(c.amount for c in combo) == remaining:
                    out.append((p, combo))
                    if len(out) > MAX_PLACEMENTS:
                        return out  # too many ways already: the caller gives up, no need for the rest
    return out


def _makes_cycle(parent: _Item, children: tuple[_Item, ...], parent_of: dict[str, str],
                 by_name: dict[str, _Item]) -> bool:
    """True if one of ``children`` is ``parent`` or above it, by the rules' and the chosen placements."""
    names = {c.name for c in children}
    seen: set[str] = set()
    name: str | None = parent.name
    while name is not None and name not in seen:
        if name in names:
            return True
        seen.add(name)
        name = by_name[name].parent or parent_of.get(name)
    return False


TABLE = Table(
    "budget",
    "One row per budget line, ministry totals included.",
    (
        DOC,
        column("fiscal_year", INTEGER, "Western fiscal year the budget is for."),
        column("ministry", STRING, "Ministry the line belongs to."),
        column("item", STRING, "Budget line name as printed (NFKC); a ministry total is named after it.", True),
        column("parent", STRING, "Parent item; empty for a ministry total."),
        column("amount_yen", INTEGER, "Amount in yen."),
        column("children_sum_yen", INTEGER, "Sum of the children's amounts, where the item has children."),
        column("sum_check", STRING, "ok or mismatch where the item has children, empty otherwise.",
               enum=("ok", "mismatch")),
        LINE,
    ),
    ("ministry", "item"),
    builder=build,
    rules_file="budget",
    rule_ids=("budget.line", "budget.labelled", "budget.sentence"),
    rule_keys={
        "heading": dict, "heading.pattern": str, "parents": dict, "total_words": list, "not_item_chars": str,
        "max_item_chars": int, "max_children_by_sum": int, "comparison_words": list, "partial_prefixes": list,
        "place_by_indent": bool,
    },
    # a line's parent is an item of the same ministry (the key is (ministry, item))
    foreign_keys=(ForeignKey(("ministry", "parent"), "budget", ("ministry", "item")),),
)  # fmt: skip
