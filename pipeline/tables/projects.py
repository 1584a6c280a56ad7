"""projects.csv: the regional cluster projects, each with its region, fields and counts.

A project starts at a marker line (◆); its name may wrap onto following lines; its fields (…分野) and
counts follow. The regional block is decided by rules, never by position: an explicit entry in
``rules/projects.yaml``, else a region word in the name, else one in the group's header line
(～広域関東圏…～), else the region its group mates agree on.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from pipeline.core.document import Document, ViewLine, canonical_text
from pipeline.core.normtext import NormText, nfkc
from pipeline.core.schema import BOOLEAN, DOC, INTEGER, LINE, STRING, LinkTable, Table
from pipeline.core.schema import column as col
from pipeline.core.spans import Span
from pipeline.extractors.places import PlaceExtractor, place_extractor, place_set
from pipeline.tables.common import (
    ENUMERATOR,
    Figures,
    after_page_break,
    blocks_of,
    bullets,
    fiscal_year_of,
    item_lead,
    leading_bullets,
    lines_holding,
    rule_numerals,
    view_index,
    view_text,
    words_re,
)
from pipeline.tables.project_table import header_line, table_projects

# A trailing English name, bare or in quotes (…クラスター構想“Bio-S”), is an alias.
_ALIAS_RE = re.compile(r"^(?P<name>.*[^\x00-\x7f“”])\s*(?P<q>[“\"])?(?P<alias>[A-Za-z][A-Za-z .'&-]*[A-Za-z])"
                       r"(?(q)[”\"])$")
_ABBR_RE = re.compile(r"\(([A-Za-z][A-Za-z0-9&.-]+)\)")
# Dashes and colons a name's details may follow (not ー, which ends センター).
_NAME_TRAILERS = "―—–-:/|"
_LOCATED_RE = re.compile(r"(?P<name>.+?)\((?P<where>[^()]+)\)")
_QUOTED_RE = re.compile(r"([「『])([^「『」』]+)[」』]")


@dataclass
class _Project:
    first: int  # index of the marker line
    name_lines: list[int]
    detail_lines: list[int]
    name: str = ""
    aliases: list[str] = field(default_factory=list)
    note: str = ""
    region: str = ""
    cut: int | None = None  # where the marker line's details start (in the line), if they share it
    rule: str = "project.marker"  # project.named: a name line with no marker
    name_at: int | None = None  # where the name starts in its first line, when not right after a marker
    fields: list[str] = field(default_factory=list)  # fields in a bracket after the name (…プロジェクト（ものづくり）)
    label_region: str = ""  # the block or prefecture labelling the name's line (東北：…)


def _marker_name(lines: list[ViewLine], ln: ViewLine, name_lines: list[int], cut: int | None) -> str:
    """A marker line's name as a first reading (its wrapped lines joined, before the cut, a note mark
    and a bracket after it dropped): enough to tell its ending."""
    text = ln.text[: cut] if cut is not None else "".join(lines[j].text.strip() for j in name_lines)
    name = canonical_text(text).rstrip("※*0123456789")
    return _TRAILING_BRACKET.sub("", name)


_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def _title_region(doc: Document, lines: list[ViewLine], places: PlaceExtractor, name: str, line: int) -> str:
    """The one region the document's title (its first line that is not blank, no sentence) points to
    (静岡県の産業クラスター施策について: 関東), with a ``project_region_from_title`` warning; else ""."""
    title = next((ln.text for ln in lines if not ln.blank), "")
    markers = tuple(doc.rules.get("projects")["markers"])
    if title.lstrip().startswith(markers):
        return ""  # ◆とかち食品バイオクラスター: a project opens the text; it has no title of its own
    hits = places.region_of(canonical_text(title)) if "。" not in title else []
    if len(hits) != 1:
        return ""
    doc.warn(line, "project_region_from_title", f"{name}: no rule gives its region; {hits[0]}, the one the "
             "document's title points to")
    return hits[0]


def _next_counts_only(doc: Document, lines: list[ViewLine], j: int, member_counts: Callable[[int], list[Span]],
                      max_blank: int = 2, counts: Callable[[int], list[Span]] | None = None,
                      labels: tuple[str, ...] = (), separators: str = "", min_blank: int = 1) -> int | None:
    """The next line from ``j`` on, past ``min_blank`` to ``max_blank`` blank lines, when it holds nothing
    but member counts (約2,210社, 134大学), or, given ``counts`` (every count of a line) and ``labels``, nothing
    but counts after their labels, one of them a member count (参加企業 約１４０社　大学等 ８機関); else None."""
    k = j
    while k < len(lines) and lines[k].blank and k - j < max_blank:
        k += 1
    if k - j < min_blank or k >= len(lines) or lines[k].blank:
        return None
    if not member_counts(k):
        return None
    found = counts(k) if counts is not None else member_counts(k)
    text, rest = lines[k].text, []
    at = lines[k].start
    for m in sorted(found, key=lambda m: m.start):
        a, b = view_index(doc.lines, m.start) - lines[k].start, view_index(doc.lines, m.end) - lines[k].start
        rest.append(text[at - lines[k].start : a])
        at = lines[k].start + b
    rest.append(text[at - lines[k].start :])
    left = [part.strip(separators + " \u3000") for part in rest]
    return k if all(not part or part in labels for part in left) else None


def _card_paragraphs(doc: Document, lines: list[ViewLine], j: int, cfg: dict[str, Any], stop: Callable[[int], bool],
                     member_counts: Callable[[int], list[Span]], counts: Callable[[int], list[Span]],
                     labels: tuple[str, ...], separators: str) -> list[int]:
    """The lines of a block's details printed as paragraphs of their own from line ``j`` on (a converter
    took each cell or box for a paragraph): paragraphs of lines holding nothing but counts after their
    labels, one a member count each (約2,210社 / 134大学; 参加企業 約310社 over 連携大学 18大学), or opening
    with the field label (分野：…), one or two blank lines apart; to the first other paragraph, or a line
    ``stop`` ends the block at (the next project's)."""
    out: list[int] = []
    while True:
        nxt = _next_counts_only(doc, lines, j, member_counts, counts=counts, labels=labels, separators=separators)
        if nxt is None and (head := _labels_row(lines, j, labels, separators)) is not None and not stop(head) and (
                _next_counts_only(doc, lines, head + 1, member_counts, max_blank=0, counts=counts, labels=labels,
                                  separators=separators, min_blank=0) is not None):
            out.append(head)  # 参加企業　参加大学 over ８４社　６大学: a row of labels over their counts (badges)
            nxt = head + 1
        if nxt is not None:
            out.append(nxt)
            j = nxt + 1
            while (more := _next_counts_only(doc, lines, j, member_counts, min_blank=0, counts=counts,
                                             labels=labels, separators=separators)) is not None and not stop(more):
                out.append(more)  # 参加企業 約310社 over 連携大学 18大学: the paragraph's lines, each counts only
                j = more + 1
            continue
        nxt = j + 1 if j < len(lines) and lines[j].blank else None
        if nxt is not None and nxt < len(lines) and lines[nxt].blank:
            nxt += 1
        if nxt is None or nxt >= len(lines) or stop(nxt) or not _opens_field_label(lines[nxt].text, cfg):
            return out
        while nxt < len(lines) and not lines[nxt].blank and not stop(nxt):
            out.append(nxt)
            nxt += 1
        j = nxt


def _labels_row(lines: list[ViewLine], j: int, labels: tuple[str, ...], separators: str) -> int | None:
    """The next line from ``j`` on, one or two blank lines past, when it is nothing but count labels set
    apart (参加企業　参加大学: the header of the counts on the line under it), else None."""
    k = j
    while k < len(lines) and lines[k].blank and k - j < 2:
        k += 1
    if k == j or k >= len(lines) or lines[k].blank:
        return None
    parts = [w.strip(separators) for w in lines[k].text.split()]
    return k if len(parts) >= 2 and all(w in labels for w in parts) else None


def _opens_field_label(text: str, cfg: dict[str, Any]) -> bool:
    """Whether a line opens with the field word as a label (分野：バイオ, 重点分野　IT, 【対象分野】食品)."""
    t = nfkc(text).lstrip(" \u3000(（[【〔〈<")
    word = cfg["field_word"]
    for prefix in ("", *cfg.get("field_label_prefixes", ())):
        if t.startswith(prefix + word) and t[len(prefix) + len(word) : len(prefix) + len(word) + 1] in (
                ":", "：", " ", "\u3000", ")", "）", "]", "】", "〕", "〉", ">"):
            return True
    return False


def _opens_list_item(text: str, indent: int) -> bool:
    """Whether a line opens with a list number (１．, （２）, ３　) indented no further than ``indent``."""
    lead = len(text) - len(text.lstrip())
    return lead <= indent and ENUMERATOR.match(text, lead) is not None and bool(text.strip())


def _one_count_each(idxs: list[int], member_counts: Callable[[int], list[Span]], column_of_unit: dict[str, str]
                    ) -> bool:
    """Whether the lines ``idxs`` count members, each count column on one line at most (参加企業数 123社 /
    参加大学 15機関), as one project's block does; a table of several projects counts a column on each row."""
    seen: set[str] = set()
    for j in idxs:
        columns = {column_of_unit.get(m.unit or "", "") for m in member_counts(j)}
        if columns & seen:
            return False
        seen |= columns
    return bool(seen)


def _name_cut(doc: Document, ln: ViewLine, field_word: str, seps: str, counts: Figures | None = None,
              labels: tuple[str, ...] = (), label_seps: str = "") -> int | None:
    """Where a marker line's details begin when they follow the name on the same line: the bracket or
    the gap before the first field word or count (◆名称（バイオ分野:約160社）, ◇名称　ものづくり分野　約1,720社),
    or before the count label (``labels``, then ``label_seps``) set apart in front of that count
    (◆名称　参加企業　約40社). ``counts``: the document's counts, when the caller has them."""
    text = ln.text
    body = len(text) - len(text.lstrip()) + 1  # after the marker
    at = text.find(field_word, body)
    starts = [ln.start + at] if at > 0 else []
    starts += [view_index(doc.lines, m.start) for m in (counts or Figures(doc, ("count",))).on(ln)]
    if not starts:
        return None
    first = min(starts) - ln.start
    if labels:
        before = text[body:first].rstrip(label_seps)
        word = next((w for w in labels if before.endswith(w)), None)
        if word is not None and len(before) > len(word) and before[-len(word) - 1] in "(\t \u3000:":
            first = body + len(before) - len(word)  # 参加企業　約40社: the label opens the details
    # ◆…コリドー／企業780社／大学48校, ◆…クラスター｜バイオ｜企業340社: a slash or a bar sets the details apart
    bars = [k for k in (text.find(c, body, first) for c in "/|") if k > body]
    if bars and text[body : min(bars)].strip():
        return min(bars)
    gap = first
    while True:  # the last bracket, space or colon before it that does not follow a field separator (バイオ、 IT)
        gap = max(text.rfind(c, body, gap) for c in "(\t \u3000:")
        if gap <= body or text[gap] in "(:" or text[gap - 1] not in seps + " \t\u3000":
            break
    if gap <= body or not text[body:gap].strip():
        return None  # no name before the details, or nothing sets them apart from it
    return gap


@functools.lru_cache(maxsize=8)
def _separators_re(separators: str) -> re.Pattern[str]:
    """Any one of ``separators``."""
    return re.compile(f"[{re.escape(separators)}]")


def _field_bracket(text: str, end: int, cfg: dict[str, Any]) -> tuple[int, list[str]] | None:
    """Where a bracket closing the name at ``end`` starts, and its fields, when every item in it is a
    field (one of ``field_names``, or a word and the field word): ◆東海ものづくり創生プロジェクト（ものづくり）,
    …戦略（IT、バイオ）. A bracket of anything else stays (（第Ⅱ期）, （K-RIP））."""
    t = text[:end].rstrip()
    if not t.endswith(")"):
        return None
    open_at = t.rfind("(")
    if open_at <= 0 or not t[:open_at].strip():
        return None
    field_word = cfg["field_word"]
    known = _known_fields(tuple(cfg.get("field_names") or ()))
    items = [canonical_text(x) for x in _separators_re(cfg["field_separators"]).split(t[open_at + 1 : -1])]
    if not items or not all(x in known or (x.endswith(field_word) and len(x) > len(field_word)) for x in items):
        return None
    return open_at, [x.removesuffix(field_word) for x in items]


@functools.lru_cache(maxsize=8)
def _known_fields(names: tuple[str, ...]) -> frozenset[str]:
    return frozenset(canonical_text(n) for n in names)


def _member_note(text: str, end: int, cfg: dict[str, Any]) -> int | None:
    """Where a bracket closing the name at ``end`` starts when it lists members rather than naming
    (◆…クラスター（金沢大学、富山大学ほか）): it holds a member word (大学, 機構…) and a list mark or ends
    in ほか/等. A bracket that names (（K-RIP）, （浜松地域）) stays in the name."""
    words, endings = cfg.get("member_words") or [], tuple(cfg.get("member_list_endings") or ())
    body = text[:end].rstrip()
    if not words or not body.endswith(")"):
        return None
    at = body.rfind("(")
    inner = body[at + 1 : -1].strip()
    if at <= 0 or not body[:at].strip() or "(" in inner:
        return None
    listed = "、" in inner or (bool(endings) and inner.endswith(endings))
    return at if listed and any(w in inner for w in words) else None


def _labelled_column(doc: Document, ln: ViewLine, m: Span, cfg: dict[str, Any],
                     view: NormText | None = None) -> str | None:
    """The count column a label right before count ``m`` names (大学等：8機関 -> universities), from
    ``count_labels``; None when no label of it stands there. ``ln``: a line of ``view`` (the line view
    unless given)."""
    labels: dict[str, list[str]] = cfg.get("count_labels") or {}
    if not labels:
        return None
    view = view or doc.lines
    if m.unit in (cfg.get("generic_counters") or ()):  # ５つの大学: the word after の names the column
        after = view.text[view_index(view, m.end) : ln.end]
        if after.startswith("の"):
            return next((column for column, words in labels.items()
                         if any(after.startswith(w, 1) for w in words)), None)
        return None
    whole = view.text[ln.start : view_index(view, m.start)]
    before = whole.rstrip(cfg.get("count_label_separators", ":　 "))
    particle = next((p for p in cfg.get("count_label_particles") or () if before.endswith(p)), "")
    if particle:  # 大学・研究機関は２６機関: the label is the topic of its count
        before = before[: -len(particle)].rstrip()
    apart = len(before) < len(whole)  # a label set apart from its count by a separator (大学等：8機関)
    for column, words in labels.items():
        word = next((w for w in words if before.endswith(w)), None)
        if word is None:
            continue
        # Else the label must be a whole item of a list (…、大学・研究機関9機関が参画; …社と大学等15機関), or
        # follow a clause or a particle (…をはじめとする大学等9機関), not end a word of kanji or katakana.
        prev = before[-len(word) - 1] if len(before) > len(word) else ""
        if (apart or not prev or not _WORD_CHAR.match(prev) or "\u3041" <= prev <= "\u309f"
                or before[: -len(word)].endswith(_LIST_JOINERS)):
            return column
    return None


def _bare_counts(doc: Document, ln: ViewLine, start: int,
                 cfg: dict[str, Any]) -> list[tuple[str, tuple[int, int], int, bool]]:
    """Figures with no counter after a label of ``count_labels`` (参加企業　約200, （企業35、大学10）):
    (column, view span of the figure, value, approximate). The label stands as a whole word (not the end
    of another: 中小企業35 is none); nothing but a separator or 約 between it and the figure; after the
    figure, no letter, kana or kanji (a counter there makes it a count of its own)."""
    setup = _bare_count_setup(doc, cfg)
    if setup is None:
        return []
    pattern, column_of = setup
    numerals = rule_numerals(doc)
    text = doc.lines.text
    out = []
    parts = tuple(doc.rules.get("budget").get("partial_prefixes") or ())
    for m in pattern.finditer(text, start, ln.end):
        if m.start() > ln.start and _WORD_CHAR.match(text[m.start() - 1]):
            # （うち企業１８０、…）: a part's word before the label leaves it a whole word
            part = next((p for p in parts if text.endswith(p, ln.start, m.start())), "")
            if not part or m.start() - len(part) > ln.start and _WORD_CHAR.match(text[m.start() - len(part) - 1]):
                continue
        taken = doc.mentions_in(*doc.lines.to_source(m.start("n"), m.end("n")), ("count", "amount", "date", "period"))
        if taken:
            continue
        value = numerals.parse(m.group("n"))  # 約200, 二十五
        if value is None or value != value.to_integral_value():
            continue
        out.append((column_of[m.group("label")], (m.start("pre") if m.group("pre") else m.start("n"), m.end("n")),
                    int(value), bool(m.group("pre"))))
    return out


def _bare_count_setup(doc: Document, cfg: dict[str, Any]) -> tuple[re.Pattern[str], dict[str, str]] | None:
    """The pattern of :func:`_bare_counts` and the column of each label word, once per rules content (None
    when the rules list no count labels)."""
    key = doc.rules.hash
    if key in _BARE_COUNT_SETUP:
        return _BARE_COUNT_SETUP[key]
    labels: dict[str, list[str]] = cfg.get("count_labels") or {}
    setup = None
    if labels:
        numerals = rule_numerals(doc)
        pattern = _bare_count_re(tuple((c, w) for c, words in labels.items() for w in words),
                                 cfg.get("count_label_separators", ":　 "),
                                 "".join(sorted({*numerals.digits, *numerals.small_units, *numerals.big_units})))
        setup = pattern, {w: c for c, words in reversed(labels.items()) for w in words}
    _BARE_COUNT_SETUP[key] = setup
    return setup


_BARE_COUNT_SETUP: dict[str, tuple[re.Pattern[str], dict[str, str]] | None] = {}


@functools.lru_cache(maxsize=8)
def _bare_count_re(labels: tuple[tuple[str, str], ...], seps: str, kanji: str = "") -> re.Pattern[str]:
    """A count label, separators, maybe 約, and a figure in digits or in kanji numerals (``kanji``: the
    numerals' characters)."""
    words = "|".join(re.escape(w) for _, w in sorted(labels, key=lambda cw: len(cw[1]), reverse=True))
    in_kanji = f"|[{re.escape(kanji)}]+" if kanji else ""
    # (a label in heading brackets too: 【参加大学】134)
    return re.compile(rf"(?P<label>{words})[\]】〕]?[{re.escape(seps)}]*(?P<pre>約)?"
                      rf"(?P<n>\d{{1,3}}(?:,\d{{3}})+|\d+{in_kanji})(?![\d.,]|[\w\u3040-\u30ff\u4e00-\u9fff々%])")


_LIST_JOINERS = ("と", "や", "及び", "および", "並びに")
# A sentence that refers back to the project the sentence before named: 同 and a name's last word (同クラスターには).
_SAME_REF = re.compile(r"\s*同([^\s、。]{1,8}?)(?:には|では|は|に|で)")
_WORD_CHAR = re.compile(r"[\w゠-ヿ一-鿿々]")


@functools.lru_cache(maxsize=8)
def _ended_bracket_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """A bracket ending a name that says its support ended ((平成20年度で終了)), after NFKC."""
    return re.compile(r"\((?=[^()]*(?:" + "|".join(map(re.escape, words)) + r"))[^()]*\)$")


def _split_name(raw: str, note_markers: list[str], places: PlaceExtractor | None = None,
                ended_words: tuple[str, ...] = ()) -> tuple[str, list[str], str]:
    """Name, aliases and note marker of a marker line's text (joined over wrapped lines).

    A trailing English name (``関西バイオクラスタープロジェクトBio Cluster``) is an alias; Latin
    words inside the name (``環境ビジネスKANSAIプロジェクト``) and numerals (``II``) are not. With
    ``places``, a bracket after the name that holds only places (``…プロジェクト（宮城県・山形県）``) says
    where the project is, and is no part of its name; with ``ended_words``, nor is a bracket saying its
    support ended (``…計画（平成２０年度で終了）``: the block's reading takes the year from it).
    """
    text = nfkc(raw).strip()
    note = ""
    for mk in note_markers:
        m = _note_end_re(mk).search(text)
        if m:
            note, text = m.group(), text[: m.start()].rstrip()
    if ended_words and text.endswith(")") and (m := _ended_bracket_re(ended_words).search(text)) and m.start():
        text = text[: m.start()].rstrip()
    if text.endswith(")") and (m := _PERIOD_BRACKET.search(text)) and m.start():
        text = text[: m.start()].rstrip()  # …クラスター（平成２０年度～平成２４年度）: the years it runs, no name
    if text.endswith(_PROVISIONAL) and len(text) > len(_PROVISIONAL):
        text = text[: -len(_PROVISIONAL)].rstrip()  # …クラスター（仮称）: a name not yet settled, the name all the same
    aliases = []
    m = _ALIAS_RE.match(text)
    if m and re.search(r"[a-z]| ", m.group("alias")):
        aliases.append(m.group("alias"))
        text = m.group("name")
    name = canonical_text(text).rstrip(_NAME_TRAILERS)  # …プロジェクト ― バイオ分野: the dash is no part of it
    if (labelled := _LABELLED_QUOTE.fullmatch(name)) is not None:
        name = labelled.group(1)  # 事業化プロジェクト：「…の創出」: a label, then the name in quotes
    quoted = _QUOTED_RE.fullmatch(name)  # 「北海道バイオ産業成長戦略」: the quotes are no part of the name
    if quoted:
        name = quoted.group(2)
    located = _LOCATED_RE.fullmatch(name) if places is not None else None
    if located and places is not None and places.is_place_list(located.group("where")):
        name = located.group("name")
        if quoted is None and (quoted := _QUOTED_RE.fullmatch(name)):  # 「…クラスター」（石川県、金沢市）
            name = quoted.group(2)
    aliases.extend(_ABBR_RE.findall(name))
    return name, aliases, note


_PROVISIONAL = "(仮称)"  # (after NFKC)
# A short label, a colon, then the whole rest in quotes (after NFKC): 事業化プロジェクト:「…製品の創出」.
_LABELLED_QUOTE = re.compile(r"[^\s:「」]{1,12}:\s?(「[^「」]+」)")
# A bracket closing a name that holds only the fiscal years of its support (after NFKC): (平成20年度~平成24年度),
# (H20~24年度), (2008年度-2012年度), (令和2年度から).
_PERIOD_BRACKET = re.compile(r"\((?:(?:令和|平成|昭和|[RHS])?\s*(?:元|\d{1,4})\s*年度?\s*"
                             r"(?:[~\-–〜から]+|まで)?\s*)+\)$")


def _period_cut(text: str, cut: int | None) -> int | None:
    """``cut``, or where a bracket of the years of its support closing a one-line name starts (…クラスター
    （平成２０年度～平成２４年度）: the project's mention ends before it)."""
    if cut is not None:
        return cut
    m = _PERIOD_BRACKET.search(text.rstrip())
    return m.start() if m is not None and text[: m.start()].strip() else None


@functools.lru_cache(maxsize=32)
def _note_end_re(marker: str) -> re.Pattern[str]:
    """A note marker (and its number) ending a name: ※, ※2."""
    return re.compile(re.escape(marker) + r"\d*$")


# A line opening with a short label and a colon (自治体：…, 代表機関:…, after NFKC).
_DETAIL_LABEL = re.compile(r"([^\s:、,。()]{1,10})\s*:")


def _signed_figure(doc: Document, ln: ViewLine, signed: list[Figures]) -> bool:
    """Whether the mark opening ``ln`` is the sign of a figure (an amount or a count starts at it)."""
    if not signed:
        signed.append(Figures(doc, ("amount", "count")))
    lead = len(ln.text) - len(ln.text.lstrip())
    at = doc.lines.to_source(ln.start + lead, ln.start + lead + 1)[0]
    return any(m.start == at for m in signed[0].on(ln))


def build(doc: Document) -> list[dict[str, Any]]:
    """One row per project marker, its region decided by rules."""
    regions = place_extractor(doc.rules)
    cfg = doc.rules.get("projects")
    markers = tuple(cfg["markers"])
    weak = tuple(cfg.get("weak_markers", []))
    bullets = tuple(cfg.get("sub_item_bullets", []))
    field_word = cfg["field_word"]
    name_ends = (*(cfg.get("name_endings") or ()), *(cfg.get("sentence_name_endings") or ()))
    name_labels = {*(cfg.get("name_labels") or ()), *(cfg.get("project_name_labels") or ())}
    sentence_ends = tuple(cfg.get("sentence_endings") or ("。",))
    section_words = {canonical_text(w) for w in cfg.get("section_words") or ()}
    marker_chars = "".join(markers) + "".join(cfg.get("weak_markers", [])) + " "
    lines = doc.view_lines(doc.lines)
    counts_at = Figures(doc, ("count",))
    dates: list[Figures] = []  # the document's dates and periods, made once if a block says support ended
    # Whether each line opens with a marker, once: the scans below ask about most lines several times.
    # Only a line holding a marker can open with one (one scan of the text finds them).
    any_marker = markers + weak
    marked = [False] * len(lines)
    marker_lines: list[int] = []
    signs = tuple(w for w in doc.rules.get("numbers").get("negative_signs") or () if w.startswith(weak))
    signed: list[Figures] = []  # the document's amounts and counts, made once, when first asked for
    for i in lines_holding(doc.lines.text, words_re(any_marker)):
        t = lines[i].text.lstrip()
        if t.startswith(any_marker):
            if t.startswith(signs) and _signed_figure(doc, lines[i], signed):
                continue  # ▲３億円, △１２０百万円: a negative figure's sign, no marker
            marked[i] = True  # a block ends there
            if _region_heading(lines[i], regions, cfg):
                continue  # ◆北海道 over the projects of the block: a region's heading, no project's
            marker_lines.append(i)
    # A circled number (①, ⑩; a digit after NFKC) opens a list item as a weak marker does: where its name
    # starts, by line.
    circled: dict[int, int] = {}
    for i in lines_holding(doc.lines.text, _DIGIT_OPENING):
        ln = lines[i]
        lead = len(ln.text) - len(ln.text.lstrip())
        at = item_lead(doc, ln.start, ln.text, "")
        if not marked[i] and at > lead and not ENUMERATOR.match(ln.text, lead):
            marked[i] = True
            circled[i] = at
    # A numbered line that is nothing but a project's name, in quotes or ending in one of name_endings, a
    # bracket of places after it allowed ((1)「北陸ライフサイエンスクラスター」（石川県、金沢市）): a weak
    # marker too, its block to count the members on one line (more such lines are a table under a heading).
    numbered: set[int] = set()
    named_line = _numbered_name_re((*(cfg.get("name_endings") or ()), *(cfg.get("sentence_name_endings") or ())))
    for i in lines_holding(doc.lines.text, _ENUM_OPENING):
        ln = lines[i]
        lead = len(ln.text) - len(ln.text.lstrip())
        enum = ENUMERATOR.match(ln.text, lead)
        if not marked[i] and enum is not None and named_line.fullmatch(ln.text[enum.end() :].strip()):
            marked[i] = True
            circled[i] = enum.end()
            numbered.add(i)
    if circled:
        marker_lines = sorted([*marker_lines, *circled])

    def is_marker(i: int) -> bool:
        return marked[i]

    def has_counts(i: int) -> bool:
        return bool(counts_at.on(lines[i]))

    member_units = {u for units in cfg["count_columns"].values() for u in units}
    # The count labels, longest first (参加企業数 before 企業数): one may open a line's details.
    count_label_words = tuple(sorted({w for words in (cfg.get("count_labels") or {}).values() for w in words},
                                     key=lambda w: (-len(w), w)))
    # The count column of a counter: the first of count_columns listing it.
    column_of_unit: dict[str, str] = {}
    for column, units in cfg["count_columns"].items():
        for u in units:
            column_of_unit.setdefault(u, column)

    label_separators = cfg.get("count_label_separators", ":　 ")

    def member_counts(i: int) -> list[Span]:
        return [m for m in counts_at.on(lines[i]) if m.unit in member_units]

    def has_member_counts(i: int) -> bool:
        return any(m.unit in member_units for m in counts_at.on(lines[i]))

    def card_paragraphs(j: int, stop: Callable[[int], bool]) -> list[int]:
        return _card_paragraphs(doc, lines, j, cfg, stop, member_counts, lambda k: counts_at.on(lines[k]),
                                count_label_words, label_separators)

    projects: list[_Project] = []
    for i in marker_lines:
        ln = lines[i]
        if ln.blank:
            continue
        cut = _name_cut(doc, ln, field_word, cfg["field_separators"], counts_at, count_label_words,
                        cfg.get("count_label_separators", ":　 "))
        if cut is None and i in numbered:
            cut = len(ln.text.rstrip())  # the numbered line is the whole name (it read as one)
        name_lines, detail = [i], []
        k = i + 1
        while (cut is None and k < len(lines) and not lines[k].blank and not is_marker(k)
               and not lines[k].text.startswith("\f")):  # a name does not run onto the next page
            t = lines[k].text.strip()
            if field_word in t or has_counts(k) or _bare_counts(doc, lines[k], lines[k].start, cfg):
                break  # the details: a field, a count, or a figure after a count label (企業数　20)
            if not signed:
                signed.append(Figures(doc, ("amount", "count")))
            if signed[0].on(lines[k]):
                break  # an amount (事業費　１２億円) is a detail, no part of a name
            if not dates:
                dates.append(Figures(doc, ("date", "period")))
            if any(view_index(doc.lines, m.start) - lines[k].start <= len(lines[k].text) - len(t)
                   for m in dates[0].on(lines[k])):
                break  # 平成３０年度から支援 under the name: a line opening with a date or a year is a detail
            if (label := _DETAIL_LABEL.match(t)) is not None and label.group(1) not in name_labels:
                break  # 自治体：宮城県、仙台市: a labelled detail, no more of the name
            if not t.startswith(bullets):
                name_lines.append(k)
            k += 1
        bracket_fields: list[str] = []
        if len(name_lines) == 1:  # a bracket of members or of fields after a one-line name is a detail
            in_brackets = _field_bracket(ln.text, len(ln.text) if cut is None else cut, cfg)
            if in_brackets is not None:
                cut, bracket_fields = in_brackets
            cut = _member_note(ln.text, len(ln.text) if cut is None else cut, cfg) or cut
            cut = _period_cut(ln.text, cut)
        numbered_at = len(ln.text) - len(ln.text.lstrip()) if i in numbered else -1
        if (cut is None and not has_counts(i) and k + 1 < len(lines) and lines[k].blank and not lines[k + 1].blank
                and not is_marker(k + 1) and (field_word in lines[k + 1].text or has_member_counts(k + 1))
                and _card_detail(lines[k + 1].text, cfg.get("table_columns") or {})):
            k += 1  # ◆…クラスター over a blank line, then its field or the lines counting its members (a card)
        while k < len(lines) and not lines[k].blank and not is_marker(k):
            if numbered_at >= 0 and _opens_list_item(lines[k].text, numbered_at):
                break  # (1)…戦略 / 参加企業数… / ２．東北地域: the next list item, at its level or above, ends it
            detail.append(k)
            k += 1
        if not detail and cut is None and not has_counts(i) and (j := after_page_break(lines, k)) is not None and (
                not is_marker(j) and (field_word in lines[j].text or has_counts(j))):
            # The name at one page's foot, its field and members at the next page's top.
            while j < len(lines) and not lines[j].blank and not is_marker(j):
                detail.append(j)
                j += 1
        # A converter that took the gaps of ものづくり分野　約2,210社　134大学 for columns printed each cell as a
        # paragraph of its own, or a card that printed each detail so: the block's too.
        detail += card_paragraphs(max([i, *name_lines, *detail]) + 1, is_marker)
        if not detail and not has_counts(i) and field_word not in ln.text and not bracket_fields:
            continue  # a marker line with nothing of a project after it
        if not detail and not has_counts(i) and not bracket_fields and ln.text.rstrip().endswith(field_word):
            continue  # ■地域共創分野 over the next marked block: a heading naming a track or a field, no project
        if cut is None and lines[name_lines[-1]].text.rstrip().endswith(sentence_ends):
            continue  # ◆…発表会を開催しました: a sentence, no project's name
        # (1)…計画 over 平成２１年度で終了。: a numbered project whose block counts nothing and says its support
        # ended (no field, no members: they are not printed for a project that has ended)
        ended_only = (i in numbered and bool(detail) and not any(member_counts(j) for j in detail)
                      and _ended_in_block(doc, lines, detail, cfg, dates) is not None)
        if i in numbered and not ended_only and not _one_count_each(detail, member_counts, column_of_unit):
            continue  # (1)…クラスター over a list or a table of members (a column counted twice): a heading
        if i in numbered and any(_region_heading(lines[j], regions, cfg) or named_line.fullmatch(lines[j].text.strip())
                                 for j in detail):
            continue  # ２．主なプロジェクト over 【東北】 over …創出プロジェクト: a section's heading over its projects
        if not ended_only and (i in circled or ln.text.lstrip().startswith(weak)
                               and not ln.text.lstrip().startswith(markers)) and (
                ln.text.rstrip().endswith("。") or not bracket_fields and not any(
                    field_word in lines[j].text or has_member_counts(j) for j in [i, *detail])):
            continue  # ■ is a heading too: under it a project must show a field or its members
        if not bracket_fields and not any(
                field_word in lines[j].text or has_member_counts(j) for j in [i, *detail]
                if not lines[j].text.lstrip().startswith(bullets)) and not (
                _marker_name(lines, ln, name_lines, cut).endswith(name_ends)):
            # ◇展示会への出展 over ・BioJapan…に企業10社が出展した。: a heading over a list, whose items
            # (sub-item bullets) only count what took part; a project shows a field or its members on
            # its own lines, or its name says it is one (…プロジェクト, …計画)
            continue
        if _marker_name(lines, ln, name_lines, cut).lstrip(marker_chars) in section_words:
            continue  # ■ 参加機関 over its members' counts: a part of a page, no project
        projects.append(_Project(i, name_lines, detail, cut=cut, fields=bracket_fields, name_at=circled.get(i)))
    projects.extend(_named(doc, lines, cfg, marked, projects, has_member_counts, bullets, member_counts,
                           card_paragraphs))

    groups = blocks_of(lines)
    group_of = {i: gi for gi, g in enumerate(groups) for i in g}
    # Lines a project block spans (sub-item bullets included) are not its group's header.
    claimed = {i for p in projects for i in range(p.first, max(p.name_lines + p.detail_lines) + 1)}
    overrides = {canonical_text(k): v for k, v in cfg["region_overrides"].items()}
    region_labels = tuple(cfg.get("region_labels") or ())
    # The programmes the budget rules know (産業クラスター計画, 知的クラスター創成事業): their counts are totals.
    programmes = {canonical_text(k) for k in doc.rules.get("budget").get("parents") or {} if not k.startswith("/")}

    rows = []
    for p in projects:
        first = lines[p.first]
        marker_at = first.text.index(first.text.lstrip()[0]) + 1 if p.name_at is None else p.name_at
        body = first.text[marker_at:]
        by_region = _REGION_LABEL.match(first.text, marker_at + len(body) - len(body.lstrip()))
        if (by_region is not None and by_region.end() < (len(first.text.rstrip()) if p.cut is None else p.cut)
                and (labelled := _label_region(by_region.group("region"), regions))):
            # ◆北海道地域：次世代…プロジェクト: the block labelling the name is its region, no part of it
            marker_at = p.name_at = by_region.end()
            p.label_region = p.label_region or labelled
        raw = first.text[marker_at : p.cut] + "".join(lines[j].text.strip() for j in p.name_lines[1:])
        if len(p.name_lines) == 1 and (lq := _LABELLED_QUOTE.match(raw, len(raw) - len(raw.lstrip()))) is not None and (
                lq.end() == len(raw.rstrip())):
            p.name_at = marker_at + lq.start(1)  # 事業化プロジェクト：「…」: the name's mention starts at its quotes
        p.name, p.aliases, p.note = _split_name(raw, cfg["note_markers"], regions, tuple(cfg["ended_words"]))
        if p.name in programmes:
            continue  # （２）産業クラスター計画 over its totals: a programme the budget rules know, no project
        # Region, most explicit evidence first (a place in brackets after the name is evidence too).
        if p.name in overrides:
            p.region = overrides[p.name]
        elif p.label_region:
            p.region = p.label_region
        else:
            # A bracket cut from the name as its members' note still says where it is (…クラスター（広島県、呉市）).
            after = _AFTER_BRACKET.match(first.text, p.cut) if p.cut is not None else None
            hits = regions.region_of(canonical_text(raw + (after.group() if after else "")))
            if hits:
                p.region = hits[0]
                if len(set(hits)) > 1:
                    doc.warn(first.line, "project_region_ambiguous",
                             f"{p.name}: name points to several regions ({', '.join(hits)}); took {hits[0]}")
            elif (labelled_at := _labelled_places(lines, p.detail_lines, region_labels, regions)):
                p.region = labelled_at  # 地域：静岡県、浜松市 among its details
            elif opening := regions.opening_region(p.name):
                p.region = opening  # みえ次世代モビリティクラスター: a prefecture in kana opens the name
            else:
                # The group's header lines: the nearest above the project that names a region (a group
                # may hold several regions' headings: １．北海道地域 … ２．東北地域 …), else any.
                header = [j for j in groups[group_of[p.first]] if j not in claimed]
                hits = next((found for j in reversed(header) if j < p.first
                             and (found := regions.region_of(lines[j].text))), None) or regions.region_of(
                    " ".join(lines[j].text for j in header))
                if hits:
                    p.region = hits[0]
        rows.append(p)

    headings: list[tuple[int, str]] | None = None  # region headings, looked for once, if a project needs them
    # The regions of each group's projects, kept as they are decided (a set per group: asking every
    # project about every other one was quadratic in a long document).
    group_regions: dict[int, set[str]] = {}
    for q in rows:
        if q.region:
            group_regions.setdefault(group_of[q.first], set()).add(q.region)
    for p in rows:  # group mates: projects printed together belong to one block
        if p.region:
            continue
        mates = set(group_regions.get(group_of[p.first], ()))  # (p itself has none)
        if headings is None:
            headings = _region_headings(lines, claimed, regions, cfg)
        # The nearest region heading above it (（東北地域）, 【九州】), blank lines between them or not.
        k = bisect.bisect_left(headings, (p.first, "")) - 1
        if k >= 0 and group_of[headings[k][0]] == group_of[p.first]:
            mates = set()  # ◆九州 … ◆四国 over it in one block: its own heading, nearer than its mates
        if len(mates) == 1:
            p.region = mates.pop()
            group_regions[group_of[p.first]].add(p.region)
            continue
        if k >= 0 and not mates:
            p.region = headings[k][1]
        elif not mates and (titled := _title_region(doc, lines, regions, p.name, lines[p.first].line)):
            p.region = titled
        else:
            doc.warn(lines[p.first].line, "project_no_region", f"{p.name}: no rule gives its region")
        if p.region:
            group_regions.setdefault(group_of[p.first], set()).add(p.region)

    notes = _ended_notes(doc, lines, cfg)
    out = []
    for p in rows:
        first = lines[p.first]
        start_v = first.start + (first.text.index(first.text.lstrip()[0]) + 1 if p.name_at is None else p.name_at)
        last = lines[p.name_lines[-1]]
        end_v = last.start + len(last.text[: p.cut].rstrip().rstrip(_NAME_TRAILERS + " "))
        doc.add_span(doc.lines, start_v, end_v, "project", p.name, p.rule)
        fields: list[str] = list(p.fields)
        counts: dict[str, tuple[int, bool]] = {}
        for j in [*p.name_lines, *p.detail_lines]:
            shown = lines[j].text[p.cut:] if j == p.first and p.cut is not None else lines[j].text
            if field_word in shown and not fields:
                fields = _fields(shown, field_word, cfg)
            elif not fields and j != p.first and (value := _field_label_value(shown, cfg)) is not None:
                fields = _fields(field_word + ":" + value, field_word, cfg)  # 対象：自動車・航空機: as 分野：…
            for m in counts_at.on(lines[j]):
                column = column_of_unit.get(m.unit)
                if column is None:  # 大学等：8機関: the label before the count names the column
                    column = _labelled_column(doc, lines[j], m, cfg)
                if column is not None and column not in counts:
                    counts[column] = (int(m.value), bool(m.approx))
            if len(counts) < len(cfg["count_columns"]):
                start = lines[j].start + (p.cut if j == p.first and p.cut is not None else 0)
                for column, (s_v, e_v), value, approx in _bare_counts(doc, lines[j], start, cfg):
                    if column not in counts:  # 参加企業　約200: the label says what the figure counts
                        counts[column] = (value, approx)
                        doc.add_span(doc.lines, s_v, e_v, "count", str(value), p.rule, approx=approx)
        ended = notes.get(p.note) if p.note else None
        if ended is None:  # ※平成22年度で終了 among the project's own lines, its name's bracket too
            ended = _ended_in_block(doc, lines, [*p.name_lines, *p.detail_lines], cfg, dates)
        comp = counts.get("companies")
        univ = counts.get("universities")
        out.append(
            {
                "region": p.region,
                "name": p.name,
                "aliases": ";".join(dict.fromkeys(p.aliases)),
                "fields": ";".join(fields),
                "companies": comp[0] if comp else None,
                "companies_approx": comp[1] if comp else None,
                "universities": univ[0] if univ else None,
                "universities_approx": univ[1] if univ else None,
                "ended_fy": ended,
                "line": first.line,
            }
        )
    out += table_projects(doc, cfg, regions, {row["name"] for row in out}, _split_name, notes)
    out += _sentences(doc, lines, cfg, regions, counts_at, column_of_unit, {row["name"] for row in out})
    chosen = _selected(doc, lines, cfg, regions, marked, {row["name"] for row in out})
    out = _members_by_label(doc, cfg, regions, out, chosen) + [row for row, _ in chosen]
    if not out:  # a project's own page: its name is the title, its text says 本クラスターには…が参加
        out += _title_project(doc, lines, cfg, regions, counts_at, column_of_unit)
    # A note naming a project says when its support ended, however the project was listed (a table row, a
    # marked line): ※TOHOKUものづくりコリドーは平成21年度をもって支援を終了.
    if notes_by_name := _ended_note_index(doc, lines, cfg):
        for row in out:
            if row["ended_fy"] is None:
                row["ended_fy"] = _ended_note_naming(doc, lines, notes_by_name, row["name"], dates, cfg)
    out.sort(key=itemgetter("line"))  # in the order the document lists them, whichever reader found each
    return _one_row_each(doc, out)


_MERGED = ("region", "fields", "companies", "companies_approx", "universities", "universities_approx", "ended_fy")


def _one_row_each(doc: Document, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with a project listed twice under its name with and without its alias in brackets (a list's
    北海道バイオ産業成長戦略 and a card's 北海道バイオ産業成長戦略（Bio-S）) read as one row: the name with the
    alias, the first listing's line, each value from whichever listing gives it; the bare name's mentions
    take the full name as their value. Listings whose values disagree stay apart."""
    full_of = {}
    for row in rows:
        for alias in filter(None, row["aliases"].split(";")):
            if row["name"].endswith(f"({alias})"):
                full_of.setdefault(row["name"][: -len(alias) - 2].rstrip(), row)
    if not full_of:
        return rows
    dropped: dict[int, str] = {}
    for row in rows:
        full = full_of.get(row["name"])
        if full is None or full is row or any(
                row[k] is not None and row[k] != "" and full[k] is not None and full[k] != "" and row[k] != full[k]
                for k in _MERGED):
            continue
        for k in _MERGED:
            if full[k] is None or full[k] == "":
                full[k] = row[k]
        full["line"] = min(full["line"], row["line"])
        dropped[id(row)] = full["name"]
    if not dropped:
        return rows
    bare = {row["name"]: name for row in rows if (name := dropped.get(id(row)))}
    doc.replace_mentions([Span(m.kind, m.start, m.end, bare[m.value], m.rule)
                          if m.kind == "project" and m.value in bare else m for m in doc.mentions])
    return [row for row in rows if id(row) not in dropped]


def _quoted_project(sentence: str, q: re.Match[str], endings: tuple[str, ...]) -> bool:
    """Whether a quoted name is a project's by its ending, inside the quotes or right after them."""
    return canonical_text(q.group("name")).endswith(endings) or sentence.startswith(endings, q.end())


def _sentences(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], regions: PlaceExtractor,
               counts_at: Figures, column_of_unit: dict[str, str], seen: set[str]) -> list[dict[str, Any]]:
    """A project named in quotes in a sentence that counts its members and says they take part
    (北海道では「北海道スーパー・クラスター振興戦略」として、IT、バイオ分野の企業約300社、大学20校が参加している;
    rule project.sentence). The name ends in one of ``name_endings`` or ``sentence_name_endings``; the
    region is the one place before the quotes names (北海道では), else the name's; the fields are the
    known fields (``field_names``) right before the field word. Read in the flow view, where a sentence
    the margin wrapped is one line."""
    view = doc.flow
    lines = doc.view_lines(view)
    verbs = tuple(cfg.get("sentence_verbs") or ())
    endings = tuple([*(cfg.get("name_endings") or ()), *(cfg.get("sentence_name_endings") or ())])
    if not verbs or not endings:
        return []
    label_words = tuple(w for words in (cfg.get("count_labels") or {}).values() for w in words if len(w) > 2)
    field_word, known = cfg["field_word"], _known_fields(tuple(cfg.get("field_names") or ()))
    # The programmes the budget rules know (産業クラスター計画, 知的クラスター創成事業): their counts are totals.
    programmes = {canonical_text(k) for k in doc.rules.get("budget").get("parents") or {} if not k.startswith("/")}
    seps = f"[{re.escape(cfg['field_separators'])}]"
    rows: list[dict[str, Any]] = []
    headings: list[tuple[int, str]] | None = None  # region headings, looked for once, if a sentence needs them
    opening = _opening_name_re(endings)
    references = (*(doc.rules.get("organizations").get("stop_prefixes") or ()), "この", "その", "あの", "上記", "前記")
    ended_words = tuple(cfg["ended_words"])
    dated: Figures | None = None  # made for the first sentence that says support ended, if any
    holding = lines_holding(view_text(doc, lines), _sentence_verbs_re(verbs))
    # A line right above one holding a verb too: its last sentence may name the project whose members the
    # next line's first sentence counts.
    for i in sorted({*holding, *(j - 1 for j in holding if j)}):
        ln = lines[i]
        count_ln = ln  # the line whose sentence counts the members
        sentences = ln.text.split("。")
        starts = [0, *itertools.accumulate(len(t) + 1 for t in sentences[:-1])]
        for k, sentence in enumerate(sentences):
            s_at = starts[k]
            # In quotes anywhere (「北海道バイオ産業成長戦略」のもと), or opening the sentence before its
            # topic particle (九州シリコン・クラスター計画では、…).
            quoted = [m for m in _QUOTED_IN.finditer(sentence) if _quoted_project(sentence, m, endings)]
            first = _QUOTED_IN.search(sentence) or opening.match(sentence)
            if first is None and (t := _topic_name_re(endings).match(sentence)) is not None and regions.region_of(
                    canonical_text(t.group("topic"))):
                first = t  # 四国では、四国テクノブリッジ計画のもと、…: a place's topic, then the name
            if first is None:
                continue
            # Several projects quoted in one sentence (「A」に約２５０社…が参加しているほか、「B」にも約９０社…):
            # each counts what follows it, up to the next.
            for n, q in enumerate(quoted if len(quoted) > 1 else [first]):
                upto = len(sentence) if n + 1 >= len(quoted) or len(quoted) < 2 else quoted[n + 1].start()
                # The members are counted after the name, or in the next sentence that refers back to it
                # (「信州スマートデバイスクラスター」に取り組んでいる。同クラスターには…企業約60社…が参加).
                c_from, c_to = s_at + q.end(), s_at + upto
                counts = None
                # (a verb counting nothing: …大学が連携し、…取組である)
                if any(v in sentence[q.end() :] for v in verbs):
                    counts = _span_counts(doc, ln, c_from, c_to, counts_at, column_of_unit, cfg, view)
                if not counts and upto < len(sentence):
                    continue  # (a name another follows in its sentence counts only up to that one)
                if not counts:
                    nxt = sentences[k + 1] if k + 1 < len(sentences) else ""
                    same = _SAME_REF.match(nxt)
                    if same is not None and same.group(1).endswith(endings) and any(v in nxt for v in verbs):
                        c_from, c_to = starts[k + 1] + same.end(), starts[k + 1] + len(nxt)
                    elif nxt.lstrip().startswith(label_words) and any(v in nxt for v in verbs):
                        # 「福岡…クラスター」を推進している。参加企業は約２２０社、参加大学は…８校である: the next
                        # sentence opens with a count label, so it counts the members of the project just named (in
                        # quotes, or opening its sentence: とやま…クラスターは、…取組である。参加企業は…)
                        c_from, c_to = starts[k + 1], starts[k + 1] + len(nxt)
                    elif not nxt.strip() and (below := _count_sentence_below(lines, i, label_words, verbs)):
                        count_ln, (c_from, c_to) = lines[i + 1], below  # the same, the count on the next line
                    else:
                        continue
                name = canonical_text(q.group("name"))
                name_end = q.end("name")
                if q.re is _QUOTED_IN and not name.endswith(endings) and (
                        tail := next((e for e in endings if sentence.startswith(e, q.end())), None)):
                    # 「ほくりく繊維イノベーション」プロジェクト: the ending after the quotes is the name's
                    name, name_end = name + tail, q.end() + len(tail)
                aliases = _ABBR_RE.findall(name) if q.re is not _QUOTED_IN else []
                bare = name[: name.rindex("(")] if aliases else name
                if not bare.endswith(endings) or name in seen or bare in programmes:
                    continue  # 「産業クラスター計画」には全国で約10,700社が参加: a programme's totals
                if q.re is not _QUOTED_IN and name.startswith(references):
                    continue  # 本計画では, このプロジェクトは: a reference, not a name
                counts = counts or _span_counts(doc, count_ln, c_from, c_to, counts_at, column_of_unit, cfg, view)
                if not counts:
                    continue
                before = regions.region_of(canonical_text(sentence[: q.start("name")]))
                in_name = regions.region_of(name)
                region = before[0] if len(before) == 1 else (in_name[0] if in_name else "")
                if not region:  # １．北海道地域 over the paragraph
                    if headings is None:
                        headings = _region_headings(lines, set(), regions, cfg)
                    h = bisect.bisect_left(headings, (i, "")) - 1
                    region = headings[h][1] if h >= 0 else ""
                fields: list[str] = []
                after = count_ln.text[c_from:c_to]
                if field_word in after:
                    for item in reversed(re.split(seps, after.split(field_word)[0])):
                        word = canonical_text(item)
                        if word not in known:
                            break
                        fields.insert(0, word)
                seen.add(name)
                doc.add_span(view, ln.start + s_at + q.start("name"), ln.start + s_at + name_end, "project",
                             name, "project.sentence")
                if not region and not (region := _title_region(doc, lines, regions, name, ln.line)):
                    doc.warn(ln.line, "project_no_region", f"{name}: no rule gives its region")
                comp, univ = counts.get("companies"), counts.get("universities")
                # …が参画しており、平成２６年度で支援を終了した: the sentence says when its support ended
                ended = None
                if any(w in sentence for w in ended_words):
                    dated = dated or Figures(doc, ("period", "date"))
                    ended = _ended_on(doc, ln, dated, ended_words, s_at + q.end(), s_at + len(sentence), view)
                rows.append({"region": region, "name": name, "aliases": ";".join(aliases), "fields": ";".join(fields),
                             "companies": comp[0] if comp else None, "companies_approx": comp[1] if comp else None,
                             "universities": univ[0] if univ else None,
                             "universities_approx": univ[1] if univ else None, "ended_fy": ended,
                             "line": doc.line_of(view.origin[ln.start + s_at + q.start("name")])})
    return rows


def _count_sentence_below(lines: list[ViewLine], i: int, label_words: tuple[str, ...],
                          verbs: tuple[str, ...]) -> tuple[int, int] | None:
    """Where the first sentence of the line under line ``i`` stands, when it opens with a count label and holds
    a verb of taking part (参加企業は約１５０社、…６校である。); else None."""
    if i + 1 >= len(lines):
        return None
    first = lines[i + 1].text.split("。")[0]
    if not first.lstrip().startswith(label_words) or not any(v in first for v in verbs):
        return None
    return 0, len(first)


def _span_counts(doc: Document, ln: ViewLine, a: int, b: int, counts_at: Figures, column_of_unit: dict[str, str],
                 cfg: dict[str, Any], view: NormText | None = None) -> dict[str, tuple[int, bool]]:
    """The member counts of a part [a, b) of line ``ln`` (offsets in the line, a line of ``view``, the line
    view unless given): column -> (value, approx), the first count of each column, by its counter (社, 大学),
    else by a label right before it (大学・研究機関15機関)."""
    counts: dict[str, tuple[int, bool]] = {}
    view = view or doc.lines
    for m in counts_at.within(*view.to_source(ln.start + a, ln.start + b)):
        column = column_of_unit.get(m.unit) or _labelled_column(doc, ln, m, cfg, view)
        if column is not None and column not in counts:
            counts[column] = (int(m.value), bool(m.approx))
    return counts


# A sentence opening with a reference to the project its page is about (本クラスターには, 当プロジェクトでは).
_OWN_REF = re.compile(r"\s*(?:本|当)(?P<word>[^\s、。]{1,8}?)(?:には|では|は|に)")
# Words after a name in a page's title that are no part of it (…クラスターの概要, …プロジェクトのご紹介).
_TITLE_TAIL = re.compile(r"(?:の)?(?:概要|ご紹介|紹介|ご案内|案内|について|の取組|取組|パンフレット)$")


def _title_project(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], regions: PlaceExtractor,
                   counts_at: Figures, column_of_unit: dict[str, str]) -> list[dict[str, Any]]:
    """The project a page is about, where nothing else on it lists one (rule project.sentence): its title names
    it (令和６年度　あいち次世代自動車クラスターの概要: a fiscal year and a heading word around the name), and a
    sentence opening with a reference to it (本クラスターには) counts its members before a verb of taking part."""
    verbs = tuple(cfg.get("sentence_verbs") or ())
    endings = tuple([*(cfg.get("name_endings") or ()), *(cfg.get("sentence_name_endings") or ())])
    title = next((ln for ln in lines if not ln.blank), None)
    if title is None or not verbs or not endings:
        return []
    parts = list(re.finditer(r"\S+", title.text))
    if not parts:
        return []
    last = parts[-1]
    tail = _TITLE_TAIL.search(last.group())
    raw = last.group()[: tail.start()] if tail else last.group()
    name = canonical_text(raw)
    programmes = {canonical_text(k) for k in doc.rules.get("budget").get("parents") or {} if not k.startswith("/")}
    word = next((e for e in endings if name.endswith(e)), None)
    if word is None or name == word or name in programmes or "年度" in name:
        return []
    for ln in lines:
        if ln.blank or ln is title or "本" not in ln.text and "当" not in ln.text:
            continue
        at = 0
        for sentence in ln.text.split("。"):
            s_at, at = at, at + len(sentence) + 1
            ref = _OWN_REF.match(sentence)
            if ref is None or ref.group("word") != word or not any(v in sentence for v in verbs):
                continue
            counts = _span_counts(doc, ln, s_at + ref.end(), s_at + len(sentence), counts_at, column_of_unit, cfg)
            if not counts:
                continue
            in_name = regions.region_of(name)
            region = in_name[0] if in_name else _title_region(doc, lines, regions, name, title.line)
            if not region:
                doc.warn(title.line, "project_no_region", f"{name}: no rule gives its region")
            doc.add_span(doc.lines, title.start + last.start(), title.start + last.start() + len(raw), "project",
                         name, "project.sentence")
            comp, univ = counts.get("companies"), counts.get("universities")
            return [{"region": region, "name": name, "aliases": "", "fields": "",
                     "companies": comp[0] if comp else None, "companies_approx": comp[1] if comp else None,
                     "universities": univ[0] if univ else None, "universities_approx": univ[1] if univ else None,
                     "ended_fy": None, "line": title.line}]
    return []


# A list item of places, then maybe an area in lenticular brackets and fields in round ones (after NFKC):
# 愛知県、名古屋市、岐阜県【東海広域】(ナノテクノロジー・材料、環境).
_PLACES_ITEM = re.compile(r"(?P<places>[^【】()\[\]。]+?)\s*(?:[【\[](?P<area>[^【】\[\]]{1,20})[】\]])?"
                          r"\s*(?:\((?P<fields>[^()。]{1,60})\))?\s*")
_FIELD_ITEM_CHARS = 15  # a field in such a bracket is a word or two


def _place_label(text: str, cfg: dict[str, Any], regions: PlaceExtractor) -> tuple[frozenset[str], str] | None:
    """A list item of places and an area (宮城県、仙台市【仙台広域】, 宮城県・仙台市（仙台広域）,
    札幌地域（北海道、札幌市）) as (its places, its area, canonical); None when ``text`` (NFKC) is no such item.
    The bracket after the places may hold fields (（ライフサイエンス）): then the area is empty."""
    item = _PLACES_ITEM.fullmatch(text)
    if item is None:
        return None
    places, area, bracket = item.group("places"), item.group("area") or "", item.group("fields") or ""
    area_words = tuple(cfg.get("area_suffixes") or ())
    if not area and bracket and not regions.is_place_list(places) and regions.is_place_list(bracket) and (
            canonical_text(places).endswith(area_words)):
        places, area = bracket, places  # 札幌地域（北海道、札幌市）: the area, its places
    elif not area and bracket and canonical_text(bracket).endswith(area_words):
        area = bracket  # 宮城県・仙台市（仙台広域）: an area in round brackets
    if not regions.is_place_list(places):
        return None
    return place_set(canonical_text(places)), canonical_text(area)


def _members_by_label(doc: Document, cfg: dict[str, Any], regions: PlaceExtractor, rows: list[dict[str, Any]],
                      chosen: list[tuple[dict[str, Any], tuple[frozenset[str], str] | None]]) -> list[dict[str, Any]]:
    """``rows`` without those a selection notice's later part lists by the places and area of a project it
    selected (○宮城県・仙台市（仙台広域） over 参画企業３５社…, under ・宮城県、仙台市【仙台広域】（…） over
    みやぎ…クラスター): their counts and fields go to that project, and the places are no project's name. A
    label matching no selected project, or several, stays a row of its own."""
    if not chosen or not any(label for _, label in chosen):
        return rows
    kept = []
    for row in rows:
        label = _place_label(row["name"], cfg, regions)
        targets = [] if label is None else [
            target for target, (places, area) in ((t, lb) for t, lb in chosen if lb is not None)
            if (area and area == label[1]) or (places == label[0] and (not area or not label[1]))]
        if len(targets) != 1 or targets[0]["companies"] is not None or targets[0]["universities"] is not None:
            kept.append(row)
            continue
        target = targets[0]
        for key in ("companies", "companies_approx", "universities", "universities_approx"):
            target[key] = row[key]
        target["fields"] = target["fields"] or row["fields"]
        target["ended_fy"] = target["ended_fy"] or row["ended_fy"]
        doc.replace_mentions([m for m in doc.mentions if not (
            m.kind == "project" and m.value == row["name"] and doc.line_of(m.start) == row["line"])])
    return kept


def _selected(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], regions: PlaceExtractor,
              marked: list[bool], seen: set[str]) -> list[tuple[dict[str, Any], tuple[frozenset[str], str] | None]]:
    """Projects listed as a selection notice lists them (rule ``project.selected``): a list item of places,
    maybe with an area in 【】 and fields in brackets, right over a line that is the project's name alone,
    ending in one of ``name_endings`` or ``sentence_name_endings`` (・愛知県、名古屋市、岐阜県【東海広域】
    （ナノテクノロジー・材料、環境） over 東海広域ナノテクものづくりクラスター). Its members are not counted there;
    the places give its region, the bracket its fields. Each row comes with its item's places and area
    (``_place_label``)."""
    endings = tuple([*(cfg.get("name_endings") or ()), *(cfg.get("sentence_name_endings") or ())])
    if not endings or not lines:
        return []
    marks = bullets(doc) + "•‣・"
    seps = f"[{re.escape(cfg['field_separators'])}]"
    field_word, most = cfg["field_word"], int(cfg.get("max_name_chars", 60))
    area_words = tuple(cfg.get("area_suffixes") or ())
    rows: list[tuple[dict[str, Any], tuple[frozenset[str], str] | None]] = []
    strong = tuple(cfg["markers"])
    for j in lines_holding(view_text(doc, lines), words_re(endings)):
        if j == 0 or marked[j] or lines[j - 1].blank or marked[j - 1] and lines[j - 1].text.lstrip().startswith(strong):
            continue  # (an item after a weak marker, ○北海道、札幌市【…】, lists places as ・ does)
        ln, above = lines[j], lines[j - 1]
        t = ln.text.strip()
        if t.startswith("「") and t.endswith("」"):
            t = t[1:-1]
        if (not t.endswith(endings) or len(t) > most or "。" in t or "、" in t or " " in t or "\u3000" in t
                or t[0] in marks):
            continue
        lead = leading_bullets(above.text, marks)
        item = _PLACES_ITEM.fullmatch(above.text, lead)
        if item is None:
            continue
        places, area, fields_text = item.group("places"), item.group("area"), item.group("fields")
        if (not area and fields_text and not regions.is_place_list(places) and regions.is_place_list(fields_text)
                and canonical_text(places).endswith(area_words)):
            places, area, fields_text = fields_text, places, None  # ・札幌地域（北海道、札幌市）: the area, its places
        if not (area or fields_text) or not regions.is_place_list(places):
            continue  # a list of places alone over a name may be anything; its area or fields say it is a notice
        name = canonical_text(t)
        if name in seen:
            continue
        seen.add(name)
        hits = (regions.region_of(canonical_text(places)) or regions.region_of(canonical_text(area or ""))
                or regions.region_of(name))
        if len(hits) > 1:
            doc.warn(ln.line, "project_region_ambiguous",
                     f"{name}: its places point to several regions ({', '.join(hits)}); took {hits[0]}")
        elif not hits:
            doc.warn(ln.line, "project_no_region", f"{name}: no rule gives its region")
        fields: list[str] = []
        for part in re.split(seps, fields_text or ""):
            word = canonical_text(part).removesuffix(field_word)
            if not word or len(word) > _FIELD_ITEM_CHARS or not _LETTER.search(word) or regions.is_place_list(word):
                fields = []  # not a bracket of fields after all
                break
            fields.append(word)
        start = ln.start + ln.text.index(t)
        doc.add_span(doc.lines, start, start + len(t), "project", name, "project.selected")
        rows.append(({"region": hits[0] if hits else "", "name": name, "aliases": "", "fields": ";".join(fields),
                      "companies": None, "companies_approx": None, "universities": None, "universities_approx": None,
                      "ended_fy": None, "line": ln.line},
                     (place_set(canonical_text(places)), canonical_text(area or ""))))
    return rows


@functools.lru_cache(maxsize=8)
def _sentence_verbs_re(verbs: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, verbs)))


@functools.lru_cache(maxsize=8)
def _opening_name_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A name opening a sentence (after spaces and a connective: また、), then its topic particle:
    九州シリコン・クラスター計画では、."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    # を, が and a clause's verb forms are never in a name; kana ones such as と, に, で are (せとうち, にいがた).
    # Its abbreviation may follow it in brackets (…交流プラザ（K-RIP）では、).
    return re.compile(r"\s*(?:(?:また|さらに|なお|一方|加えて)[、,])?"
                      r"(?P<name>(?:(?!する|した|して|による|として|におけ|におい)[^\s、。,「」()（）をが]){4,40}?"
                      rf"(?:{ends})(?:[(（][A-Za-zＡ-Ｚａ-ｚ][A-Za-z0-9Ａ-Ｚａ-ｚ０-９&.\-－]{{0,15}}[)）])?)"
                      rf"(?:では|には|は)(?=、|,|\s)")


_QUOTED_IN = re.compile(r"「(?P<name>[^「」。]{2,60})」")


@functools.lru_cache(maxsize=8)
def _topic_name_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A place as the sentence's topic, then a name and what it is to the members (四国では、四国テクノブリッジ
    計画のもと、: the caller checks that the topic is a place)."""
    ends = "|".join(re.escape(w) for w in sorted(endings, key=len, reverse=True))
    return re.compile(r"\s*(?P<topic>[^\s、。,「」()]{2,8}?)(?:では|は)[、,]\s*"
                      r"(?P<name>(?:(?!する|した|して|による|として|におけ|におい)[^\s、。,「」()（）をが]){4,40}?"
                      rf"(?:{ends}))(?:のもと|の下|として|において|では|には)[、,]")


@functools.lru_cache(maxsize=8)
def _name_label_re(name_words: tuple[str, ...]) -> re.Pattern[str] | None:
    """A label before a project's name (テーマ：), a separator after it; None without labels."""
    if not name_words:
        return None
    return re.compile("(?:" + "|".join(map(re.escape, sorted(name_words, key=len, reverse=True))) + r")[ ]?:[ ]?")


def _named(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], marked: list[bool], projects: list[_Project],
           has_member_counts: Any, bullets: tuple[str, ...], member_counts: Any = None,
           card_paragraphs: Callable[[int, Callable[[int], bool]], list[int]] | None = None) -> list[_Project]:
    """Projects with no marker: a line that is a project's name alone (no sentence, no figure, no
    table spacing, not in brackets, ending in one of ``name_endings``), with its members counted on
    the lines under it before a blank line (札幌バイオクラスター構想 over 企業32社、大学・研究機関9機関が参画),
    or on a card's paragraphs under it (``card_paragraphs``: 分野：… / 参加企業 約310社 / 連携大学 18大学)."""
    endings = tuple(cfg.get("name_endings") or ())
    if not endings:
        return []
    taken = {j for p in projects for j in (p.first, *p.name_lines, *p.detail_lines)}
    places = place_extractor(doc.rules)
    name_label = _name_label_re(tuple(cfg.get("name_labels") or ()))
    labelled: dict[int, str] = {}
    one_line: dict[int, int] = {}  # a name with its members on its own line: where the name ends
    closes: dict[int, int] = {}  # a name in heading brackets (【…クラスター構想】): where its closing bracket is

    def counts_in(i: int, a: int, b: int) -> bool:
        ln = lines[i]
        return member_counts is not None and any(
            ln.start + a <= view_index(doc.lines, c.start) < ln.start + b for c in member_counts(i))

    def has_member_counts_from(i: int, a: int) -> bool:
        return counts_in(i, a, len(lines[i].text))

    def has_member_counts_within(i: int, a: int, b: int) -> bool:
        return counts_in(i, a, b)

    def has_member_counts_block(k: int) -> bool:  # on a line of the block from line k to a blank line
        while k < len(lines) and not lines[k].blank and not marked[k] and k not in taken:
            if has_member_counts(k):
                return True
            k += 1
        return False

    table_columns: dict[str, list[str]] = cfg.get("table_columns") or {}
    names: dict[int, int] = {}  # line index -> where the name starts on it
    # Names ending as a sentence's project may (…計画, …コリドー): projects only when listed under region headings.
    list_ends = tuple(dict.fromkeys([*endings, *(cfg.get("sentence_name_endings") or ())]))
    extra_ends = tuple(w for w in list_ends if w not in endings)
    list_names: dict[int, int] = {}
    for i in lines_holding(view_text(doc, lines), words_re(list_ends)):
        if i in taken or marked[i]:
            continue
        text = lines[i].text
        at = len(text) - len(text.lstrip())
        numbered = ENUMERATOR.match(text, at)  # (1) 札幌バイオクラスター構想: the list number is no part of it
        if numbered is not None:
            at = numbered.end()
        labelled_as = name_label.match(text, at) if name_label is not None else None
        if labelled_as is not None:  # テーマ:札幌バイオクラスター構想: the label is no part of it
            at = labelled_as.end()
        by_region = _REGION_LABEL.match(text, at)
        if by_region is not None and _label_region(by_region.group("region"), places):
            continue  # 北海道:…戦略: read below, as a name labelled by its region
        placed = _PLACE_FRONT.match(text, at)  # 北海道　さっぽろバイオクラスター“Bio-S”: a place set apart in front
        front_region = _label_region(placed.group("place"), places) if placed is not None else ""
        if front_region:
            assert placed is not None
            at = placed.end()
        t = text[at:].rstrip()
        if (t and "。" not in t and has_member_counts(i)
                and (in_bracket := _members_in_bracket(t, bullets, list_ends, cfg, places)) is not None):
            # ・北海道バイオ産業成長戦略（参加企業：約150社、参加大学：20大学）: the name, its members in the bracket
            # after it (a sub-item's bullet before it allowed), none counted before the bracket
            name_at, bracket_at = in_bracket
            if not has_member_counts_within(i, at + name_at, at + bracket_at) and not (
                    table_columns and _under_table_header(lines, i, table_columns)):
                names[i], one_line[i] = at + name_at, at + bracket_at
            continue
        if not any(w in t for w in endings):  # only a list's name may end so (…計画, …コリドー)
            above = lines[i - 1] if i else None  # (a region heading or the list's name above it: checked first)
            if (above is not None and not above.blank and (above.text.rstrip().endswith(list_ends) or i - 1 in names
                                                           or _region_heading(above, places, cfg))
                    and t and "。" not in t and not t.startswith(bullets) and t[0] not in "【[(「『<" and "  " not in t
                    and "\u3000" not in t and len(t) <= int(cfg.get("max_name_chars", 60)) and not has_member_counts(i)
                    and _ends_as_name(t, list_ends, cfg, places)):
                list_names[i] = at
            continue
        if (whole := _WHOLE_HEADING.fullmatch(t)) is not None:
            # 【東海広域ナノテクものづくりクラスター構想】 over its members: the name inside the brackets
            inner = whole.group(1).strip()
            if (inner and "。" not in inner and len(inner) <= int(cfg.get("max_name_chars", 60))
                    and not has_member_counts(i) and _ends_as_name(inner, endings, cfg, places)):
                names[i] = at + t.index(inner)
                closes[i] = names[i] + len(inner)
            continue
        noted = _HEADING_NOTE.match(t)
        if noted is not None and noted.group(1) in (cfg.get("name_heading_notes") or ()) and noted.end() < len(t):
            at += noted.end()  # （参考）とやま医薬品クラスターの概要: what kind of section it is, no part of the name
            t = t[noted.end() :]
        tail = next((w for w in cfg.get("name_heading_tails") or () if t.endswith(w) and len(t) > len(w)), None)
        if (tail is not None and "。" not in t and not has_member_counts(i) and " " not in t
                and len(t) <= int(cfg.get("max_name_chars", 60)) and not t.startswith(bullets)
                and _ends_as_name(t[: -len(tail)], endings, cfg, places)
                and not (table_columns and _under_table_header(lines, i, table_columns))):
            names[i], closes[i] = at, at + len(t) - len(tail)  # …クラスターの概要: the words about it are no name
            continue
        if not t or "。" in t or t.startswith(bullets) or t[0] in "【[(「『<":
            continue
        if has_member_counts(i):
            # さっぽろバイオクラスター構想　　参加企業　約40社、大学等　6機関: the name, a gap, then its members (the
            # first gap after which the name ends as names do, no member counted before it); not a row of a
            # table under a header, which the table's reader reads (its name cell may wrap onto the next line)
            if _under_table_header(lines, i, table_columns):
                continue
            for gap in _SPACE_RUN.finditer(t):
                head = t[: gap.start()]
                if len(head) > int(cfg.get("max_name_chars", 60)) or has_member_counts_within(i, at, at + gap.start()):
                    break
                if has_member_counts_from(i, at + gap.end()) and _ends_as_name(head, endings, cfg, places):
                    names[i], one_line[i] = at, at + gap.start()
                    break
            continue
        if "  " in t or "\u3000" in t or len(t) > int(cfg.get("max_name_chars", 60)):
            continue
        in_table = bool(table_columns) and _under_table_header(lines, i, table_columns)
        if _ends_as_name(t, endings, cfg, places) and not in_table:
            names[i] = at  # (a name cell's wrapped line under a projects table's header is the table reader's)
            if front_region:
                labelled[i] = front_region
        elif any(w in t for w in extra_ends) and _ends_as_name(t, list_ends, cfg, places):
            list_names[i] = at
    # 【九州】 over 九州半導体・デジタルイノベーション over 参画企業 約340社 参画大学 9大学: a card right under a region
    # heading, its name alone over its companies and universities counted, whatever the name ends in.
    hub_ends = tuple(doc.rules.get("hubs").get("heading_name_endings") or ())  # (…拠点 over its members: a hub's)
    for c in range(len(lines)):
        if not has_member_counts(c) or c in taken or marked[c]:
            continue
        k, region = c - 1, ""
        # (a marked heading (◆九州) is a region's heading too)
        while k >= max(0, c - _CARD_REACH) and not lines[k].blank and not (
                region := _region_heading(lines[k], places, cfg)) and not marked[k]:
            k -= 1
        i = k + 1
        if k < 0 or lines[k].blank or not region or i >= c or i in names or i in list_names or i in taken:
            continue
        text = lines[i].text
        at = len(text) - len(text.lstrip())
        t = text[at:].rstrip()
        if (not _LETTER.search(t) or "。" in t or "  " in t or "\u3000" in t or t.startswith(bullets)
                or t[0] in "【[(「『<" or _DETAIL_LABEL.match(t) is not None or cfg["field_word"] in t
                or t.endswith(hub_ends)
                or len(t) > int(cfg.get("max_name_chars", 60)) or has_member_counts(i)
                or len(_counted_columns(cfg, member_counts, _block_under(lines, i))) < 2):
            continue
        names[i], labelled[i] = at, region
    # A name labelled by its block or prefecture (東北：TOHOKUものづくりコリドー（ものづくり）): the label
    # and the members counted under it make it a project, whatever its name ends in.
    for i in lines_holding(view_text(doc, lines), _REGION_LABEL_MARK):
        text = lines[i].text
        m = _REGION_LABEL.match(text, len(text) - len(text.lstrip()))
        if m is None or i in taken or marked[i] or i in names:
            continue
        region = _label_region(m.group("region"), places)
        t = text[m.end() :].rstrip()
        if has_member_counts(i) and region and "。" not in t:
            # 北海道：…振興戦略（IT、バイオ）　参加企業約300社、大学等17校: the name, then its members after a gap
            gap = _SPACE_RUN.search(t)
            if gap is None or not has_member_counts_from(i, m.end() + gap.end()) or has_member_counts_within(
                    i, m.end(), m.end() + gap.start()):
                continue
            t = t[: gap.start()]
            if not _LETTER.search(t) or len(t) > int(cfg.get("max_name_chars", 60)):
                continue
            names[i], labelled[i], one_line[i] = m.end(), region, m.end() + gap.start()
            continue
        if (not region or not t or "。" in t or "  " in t or "\u3000" in t or not _LETTER.search(t)
                or len(t) > int(cfg.get("max_name_chars", 60)) or has_member_counts(i)):
            continue
        names[i], labelled[i] = m.end(), region
    # A name under a label that names projects alone (クラスター名：…, プロジェクト名：…): the label and the
    # members counted under it make it one, whatever its name ends in.
    strong = cfg.get("project_name_labels") or []
    if strong:
        strong_re = re.compile("(?:" + "|".join(map(re.escape, sorted(strong, key=len, reverse=True))) + r")[ ]?:[ ]?")
        for i in lines_holding(view_text(doc, lines), strong_re):
            text = lines[i].text
            m = strong_re.match(text, len(text) - len(text.lstrip()))
            if m is None or i in taken or marked[i] or i in names:
                continue
            t = text[m.end() :].rstrip()
            if (not t or "。" in t or not _LETTER.search(t) or len(t) > int(cfg.get("max_name_chars", 60))
                    or has_member_counts(i)):
                continue
            names[i] = m.end()
    # A name its box wrapped, the ending cut across the line break (みやぎ水素エネルギー実証プロ / ジェクト): the
    # two lines are the name.
    wrapped: dict[int, int] = {}  # the name's first line -> its second
    max_chars = int(cfg.get("max_name_chars", 60))
    wrapped_re = _wrapped_ending_re(endings)
    for i in lines_holding(view_text(doc, lines), wrapped_re):
        if i in names or i in taken or marked[i] or i + 1 >= len(lines) or i + 1 in taken or marked[i + 1]:
            continue
        cut = wrapped_re.search(doc.lines.text, lines[i].start, lines[i + 1].end)
        if cut is None or cut.start() >= lines[i].end:
            continue  # (the ending cut across this line's own break, not one further down)
        text = lines[i].text
        at = len(text) - len(text.lstrip())
        numbered = ENUMERATOR.match(text, at)
        if numbered is not None:
            at = numbered.end()
        t = text[at:].rstrip() + lines[i + 1].text.strip()
        if (not t or "。" in t or " " in t or t[0] in "【[(「『<" or t.startswith(bullets) or len(t) > max_chars
                or has_member_counts(i) or has_member_counts(i + 1) or not _ends_as_name(t, endings, cfg, places)):
            continue
        names[i], wrapped[i] = at, i + 1
    # A name its box wrapped before the ending (【東北】東北次世代医療機 / 器開発プロジェクト): a name only by its
    # label, right over a line that is a name by its ending alone (no label, mark or number before it).
    for i in sorted(names):
        j = i + 1
        if i in wrapped or i in one_line or j not in names or j in one_line or j in labelled or j in wrapped:
            continue
        head, rest = lines[i].text[names[i] :].rstrip(), lines[j].text.strip()
        if (head.endswith(endings) or lines[j].text[: names[j]].strip() or len(head + rest) > max_chars
                or not _LETTER.search(head)):
            continue
        wrapped[i] = j
        del names[j]
    found: list[_Project] = []
    listed: list[_Project] = []  # names alone listed under region headings, counting no members
    for i, at in sorted({**names, **list_names}.items()):
        detail = []
        field_card = False  # its details are a card's paragraphs, its field among them
        k = wrapped.get(i, i) + 1  # the lines under it, to a blank line or the next project's name
        if (i not in one_line and k + 1 < len(lines) and lines[k].blank and not lines[k + 1].blank
                and k + 1 not in names and _card_detail(lines[k + 1].text, table_columns)
                and (cfg["field_word"] in lines[k + 1].text or has_member_counts(k + 1))
                and has_member_counts_block(k + 1)):
            k += 1  # a name alone over a blank line, then its field or the lines counting its members (a card)
        elif (i not in one_line and card_paragraphs is not None and k + 1 < len(lines) and lines[k].blank
              and _card_detail(lines[k + 1].text, table_columns)
              and ((_any_counts(has_member_counts, paragraphs := card_paragraphs(
                  k, lambda j: marked[j] or j in taken or j in names)))
                   or (field_card := i not in list_names and _opens_field_label(lines[k + 1].text, cfg)
                       and k + 1 in paragraphs))):
            # each detail a paragraph of its own: 分野：… / 参加企業 約310社 (a card whose counts did not come
            # through whole still names its field)
            detail, k = paragraphs, len(lines)
        while (i not in one_line and k < len(lines) and not lines[k].blank and not marked[k] and k not in taken
               and k not in names):
            detail.append(k)
            k += 1
        if (detail and card_paragraphs is not None and k < len(lines) and not _any_counts(has_member_counts, detail)
                and any(cfg["field_word"] in lines[j].text for j in detail)):
            # the name and its field over a blank line, then the counts a paragraph of their own (a card)
            detail += card_paragraphs(k, lambda j: marked[j] or j in taken or j in names)
        rule = "project.named"
        if i in list_names or i not in one_line and not field_card and not any(has_member_counts(j) for j in detail):
            # A list of names alone under region headings (北海道経済産業局 over …プロジェクト, 東北経済産業局 over
            # …コリドー): each name is a project whose members are not counted.
            up = i - 1
            while up >= 0 and (up in list_names or up in names and up not in one_line) and not lines[up].blank:
                up -= 1
            nxt = i + 1
            if i in wrapped or up < 0 or up in taken or not (
                    nxt >= len(lines) or lines[nxt].blank or nxt in list_names or nxt in names and nxt not in one_line
                    or nxt not in taken and _region_heading(lines[nxt], places, cfg)):
                continue
            head_region = _region_heading(lines[up], places, cfg)
            if not head_region:
                continue
            detail, rule = [], "project.listed"
            labelled.setdefault(i, head_region)  # the heading it is listed under gives its region
        text = lines[i].text
        in_brackets = _field_bracket(text, one_line.get(i, len(text)), cfg)
        if in_brackets is None and i in one_line:
            in_brackets = (one_line[i], [])
        cut, fields = in_brackets if in_brackets is not None else (closes.get(i), [])
        cut = _period_cut(text, cut)
        if i not in labelled and i and not lines[i - 1].blank and (above := _region_heading(lines[i - 1], places, cfg)):
            labelled[i] = above  # 中部地域 right over the card's name: the card says where it is
        project = _Project(i, [i, *([wrapped[i]] if i in wrapped else [])], detail, rule=rule,
                           name_at=at, cut=cut, fields=fields, label_region=labelled.get(i, ""))
        if rule == "project.listed":
            listed.append(project)
            continue
        taken.update([i, *detail])
        found.append(project)
    if len(listed) >= _MIN_LISTED:  # one name under a region heading is a heading's topic, not a list
        taken.update(p.first for p in listed)
        found.extend(listed)
    return found


_MIN_LISTED = 2


def _labelled_places(lines: list[ViewLine], idxs: list[int], labels: tuple[str, ...], regions: PlaceExtractor) -> str:
    """The block the places on a project's detail line labelled by one of ``labels`` (地域：静岡県、浜松市) lie in,
    when they lie in one; else ''."""
    if not labels:
        return ""
    for j in idxs:
        t = lines[j].text.strip()
        label = next((w for w in labels if t.startswith(w) and t[len(w) : len(w) + 1] in (":", " ")), None)
        if label is not None:
            hits = set(regions.region_of(canonical_text(t[len(label) + 1 :])))
            if len(hits) == 1:
                return hits.pop()
    return ""
_CARD_REACH = 3  # lines from a card's counts up to the region heading over its name


def _block_under(lines: list[ViewLine], i: int) -> list[int]:
    """The lines under line ``i`` before the next blank line."""
    out = []
    k = i + 1
    while k < len(lines) and not lines[k].blank:
        out.append(k)
        k += 1
    return out


def _counted_columns(cfg: dict[str, Any], member_counts: Callable[[int], list[Span]] | None,
                     idxs: list[int]) -> set[str]:
    """The count columns (companies, universities) the members counted on lines ``idxs`` fill."""
    if member_counts is None:
        return set()
    units = {m.unit for j in idxs for m in member_counts(j)}
    return {column for column, column_units in cfg["count_columns"].items() if units & set(column_units)}


def _any_counts(has_member_counts: Callable[[int], bool], idxs: list[int]) -> bool:
    return any(has_member_counts(j) for j in idxs)


def _card_detail(text: str, columns: dict[str, list[str]]) -> bool:
    """Whether a line under a blank line can open a card's details: no table's header or bar row (a heading
    ending in プロジェクト over a table is no project's name)."""
    return not text.lstrip().startswith(("|", "｜")) and not header_line(text, columns)


def _under_table_header(lines: list[ViewLine], i: int, columns: dict[str, list[str]]) -> bool:
    """Whether line ``i`` is in a block (no blank line between) under a projects table's header line."""
    k = i - 1
    while k >= 0 and not lines[k].blank:
        if header_line(lines[k].text, columns):
            return True
        k -= 1
    return False


# A name, then one bracket closing the line (after NFKC): …成長戦略(参加企業:約150社、参加大学:20大学).
# A bracketed word before a heading's name, saying what kind of section it heads (（参考）, 【別添】).
_HEADING_NOTE = re.compile(r"[(【\[〔]([^()【】\[\]〔〕]{1,6})[)】\]〕][ ]*")
_NAME_BRACKET = re.compile(r"(?P<name>[^()]+?)[ ]*\((?P<inner>[^()]+)\)[ ]*")


def _members_in_bracket(t: str, bullets: tuple[str, ...], endings: tuple[str, ...], cfg: dict[str, Any],
                        places: PlaceExtractor) -> tuple[int, int] | None:
    """Where the name starts and its bracket opens in a line that is a project's name (ending in one of
    ``endings``, after a sub-item's bullet or not) and one bracket after it, which the caller checks holds
    its members' counts; else None."""
    lead = 0
    if t.startswith(bullets):
        lead = len(t) - len(t.lstrip("".join(bullets)).lstrip())
    found = _NAME_BRACKET.fullmatch(t, lead)
    if found is None:
        return None
    name = found.group("name")
    if (len(name) > int(cfg.get("max_name_chars", 60)) or "  " in name or "\u3000" in name or name[0] in "【[「『<"
            or not _split_name(name, cfg["note_markers"], places)[0].endswith(endings)):
        return None
    return lead, found.start("name") + len(name)


def _ends_as_name(t: str, endings: tuple[str, ...], cfg: dict[str, Any], places: PlaceExtractor) -> bool:
    """Whether ``t`` is a project's name ending in one of ``endings`` (a bracket of fields after it allowed:
    …プロジェクト（ものづくり）, the name ending before it)."""
    in_brackets = _field_bracket(t, len(t), cfg)
    return _split_name(t[: in_brackets[0]] if in_brackets else t, cfg["note_markers"], places)[0].endswith(endings)


@functools.lru_cache(maxsize=8)
def _wrapped_ending_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A name ending cut across a line break, the rest of it alone on the next line (…プロ / ジェクト)."""
    cuts = sorted({re.escape(w[:k]) + r"[ ]*\n[ ]*" + re.escape(w[k:]) for w in endings for k in range(1, len(w))},
                  key=len, reverse=True)
    return re.compile("(?:" + "|".join(cuts) + r")[ ]*(?=\n|$)") if cuts else re.compile("(?!)")


# A line that is one name in heading brackets (after NFKC): 【…クラスター構想】, [..].
_WHOLE_HEADING = re.compile(r"[【\[〔]([^【】\[\]〔〕]+)[】\]〕]")
_DIGIT_OPENING = re.compile(r"^[ ]*\d", re.MULTILINE)  # a line opening with a digit (after NFKC)
_AFTER_BRACKET = re.compile(r"\s*\([^()]*\)")  # a bracket right after a name (after NFKC)
# A line opening with a list number (after NFKC), in digits or kanji numerals ((一), 二　, 三、).
_ENUM_OPENING = re.compile(r"^[ ]*(?:[(\[]?\d|\(?[一二三四五六七八九十]{1,3}[)、 ])", re.MULTILINE)


@functools.lru_cache(maxsize=8)
def _numbered_name_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A project's name alone (after a list number): in quotes, or ending in one of ``endings``; a bracket
    after it (places, after NFKC) allowed."""
    ends = "|".join(re.escape(e) for e in endings) or "(?!)"
    return re.compile(rf"(?:「[^「」。]{{2,60}}」|[^\s「」。、()]{{2,60}}?(?:{ends}))(?:\s*\([^()。]{{1,30}}\))?")
# A short label opening a line (北海道：), or a short word in brackets ((北海道), 【東北】; after NFKC).
_REGION_LABEL_MARK = re.compile(r"^[ ]*(?:[^\s:()、。]{2,8}?[ ]?:|[(【\[〔][^\s:()【】\[\]〔〕、。]{2,8}[)】\]〕])",
                                re.MULTILINE)
# A short label and a colon opening a line (after NFKC): 北海道:, 東北:, 九州・沖縄: (a block or prefecture); or
# the label in brackets, no colon: (北海道), 【東北】.
_REGION_LABEL = re.compile(r"(?P<open>[(【\[〔])?(?P<region>[^\s:()【】\[\]〔〕、。]{2,8}?)"
                           r"(?(open)[)】\]〕]\s*|\s*:\s*)")
_LETTER = re.compile(r"[^\W\d_]")
_SPACE_RUN = re.compile(r"\s+")
# A short word set apart by a space opening a line (after NFKC): a place in front of a name (北海道　…).
_PLACE_FRONT = re.compile(r"(?P<place>[^\s:()、。]{2,5})[ ]+(?=\S)")


def _region_headings(lines: list[ViewLine], claimed: set[int], places: PlaceExtractor,
                     cfg: dict[str, Any]) -> list[tuple[int, str]]:
    """(line index, block) of every line that is only a region's heading: a block or one prefecture,
    in brackets or after a mark or a list number, with or without a word of
    ``region_heading_suffixes`` (（東北地域）, 【九州】, ■中国ブロック, ２．近畿経済産業局), in line order."""
    out = []
    for i, ln in enumerate(lines):
        if i not in claimed and (region := _region_heading(ln, places, cfg)):
            out.append((i, region))
    return out


@functools.lru_cache(maxsize=8)
def _longest_first(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(sorted(words, key=len, reverse=True))


def _region_heading(ln: ViewLine, places: PlaceExtractor, cfg: dict[str, Any]) -> str:
    """The block a line names when it is only a region's heading (:func:`_region_headings`), else ''."""
    if ln.blank or len(ln.text) > _MAX_REGION_HEADING:
        return ""
    word = canonical_text(ln.text)
    numbered = ENUMERATOR.match(word)
    if numbered and numbered.end() < len(word):
        word = word[numbered.end() :]
    word = word.strip(_HEADING_MARKS)
    for tail in _longest_first(tuple(cfg.get("region_heading_tails") or ())):
        if word.endswith(tail) and len(word) > len(tail):
            word = word[: -len(tail)]  # 中部地域の取組: the heading's region, past the words after it
            break
    for suffix in _longest_first(tuple(cfg.get("region_heading_suffixes") or ())):
        if word.endswith(suffix) and len(word) > len(suffix):
            word = word[: -len(suffix)]
            break
    return _label_region(word, places) if word else ""


_MAX_REGION_HEADING = 20
_HEADING_MARKS = "【】[]()〔〕<>〈〉《》■□●○◆◇◎・~～ "


def _label_region(label: str, places: PlaceExtractor) -> str:
    """The block a line's label names: a block's own name or one prefecture of it (北海道, 東北, 宮城県,
    北海道地域)."""
    return places.label_block(canonical_text(label))


def _field_label_value(text: str, cfg: dict[str, Any]) -> str | None:
    """What follows a label of ``field_labels`` opening a detail line (対象：自動車・航空機), up to a gap or a
    sentence's end; None when no such label opens it."""
    t = nfkc(text).strip()
    for label in cfg.get("field_labels") or ():
        if t.startswith(label) and t[len(label) : len(label) + 1] == ":":
            value = re.split(r"\s{2,}|\u3000|。", t[len(label) + 1 :].strip())[0]
            return value or None
    return None


def _fields(text: str, field_word: str, cfg: dict[str, Any]) -> list[str]:
    """Fields of a detail line: before the field word (ものづくり・情報分野), or after it as a label
    (分野:バイオ、IT), up to the next gap."""
    t = nfkc(text)
    label_re, gap_re, seps_re = _field_res(field_word, cfg["field_separators"])
    labelled = label_re.search(t)
    # 分野：バイオ, also with a qualifier in front (重点分野：, 対象分野：), or set apart by a gap (対象分野　食品),
    # or in brackets ([対象分野]IT)
    # (a sentence may come before the label on its line: …参画大学は四大学。分野：医療・介護。)
    lead = t[: labelled.start()].rsplit("。", 1)[-1].strip(" (（[【〔〈<") if labelled else ""
    if labelled and (not lead or lead in cfg.get("field_label_prefixes", ())):
        found = (labelled.group(1) or labelled.group(2) or labelled.group(3) or labelled.group(4)).split("。")[0]
    else:
        before = gap_re.sub("", t.split(field_word)[0]).strip()  # ものづくり、 バイオ分野
        found = _SPACE_RE.split(before)[-1] if before else ""
        found = _LEAD_RE.sub("", found)
    found = _NEXT_LABEL.split(found, 1)[0]  # 分野：ものづくり／企業：約2,210: the next label's part is none of it
    out: list[str] = []
    parts = _top_level_split(found, seps_re)
    if any(_CLAUSE.search(p) for p in parts):
        # …大学・高専25校が参加し、情報、バイオ分野での…: a sentence before the field word; the fields are the
        # parts after its last clause
        tail: list[str] = []
        for p in reversed(parts):
            if _CLAUSE.search(p) or any(c.isdigit() for c in p):
                break
            tail.insert(0, p)
        parts = tail
    for part in parts:
        # ものづくり（自動車、造船）: the field, then the ones its bracket names within it
        inner = _FIELD_DETAIL.search(part)
        names = [part[: inner.start()], *seps_re.split(inner.group(1))] if inner and inner.start() else [part]
        out.extend(name for name in map(canonical_text, names) if name and name not in out)
    return out


_FIELD_DETAIL = re.compile(r"\(([^()]+)\)$")
# A slash or bar before another label (／企業：…) parts a line's labelled details.
_NEXT_LABEL = re.compile(r"[/|](?=[^/|:\s]{1,12}:)")
# A clause in a field's place: a particle or a verb's stem after a word (校が, 社と, 参加し, 本プロジェクトには).
_CLAUSE = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff\dA-Za-z](?:が|を|には|では|に|は|と|し|で)")


def _top_level_split(text: str, seps_re: re.Pattern[str]) -> list[str]:
    """``text`` split at the separators outside brackets (after NFKC, brackets are ASCII)."""
    if "(" not in text:
        return seps_re.split(text)
    parts, depth, start = [], 0, 0
    for k, ch in enumerate(text):
        depth = max(0, depth + (ch == "(") - (ch == ")"))  # a stray ) closes nothing
        if depth == 0 and seps_re.fullmatch(ch):
            parts.append(text[start:k])
            start = k + 1
    parts.append(text[start:])
    return parts


_SPACE_RE = re.compile(r"\s")
_LEAD_RE = re.compile(r"^[^\w]*")


@functools.lru_cache(maxsize=32)
def _field_res(field_word: str, separators: str) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """The field word as a label (分野:…), the spaces after a separator, a separator: compiled once. The
    spaces are matched behind a lookbehind and removed (a group put back by a template cost more than
    the rest of the line's reading)."""
    seps = f"[{re.escape(separators)}]"
    # (a label in brackets: [対象分野]IT、バイオ, 【分野】ものづくり)
    # (or as a sentence's topic: 分野は自動車、造船。, …造船である, …造船です)
    return (re.compile(rf"{re.escape(field_word)}(?:\s*[:：]\s*(\S+)|\s+(\w\S*)|[\]】〕〉>]\s*[:：]?\s*(\S+)"
                       r"|は[、,]?\s*([^\s。]+?)(?=。|です|である))"),
            re.compile(rf"(?<={seps})\s+"), re.compile(seps))


def _ended_in_block(doc: Document, lines: list[ViewLine], idxs: list[int], cfg: dict[str, Any],
                    dated: list[Figures]) -> int | None:
    """The fiscal year a line of a project's block says its support ended in (※平成22年度で終了,
    平成21年度をもって事業終了): a fiscal year, then one of ``ended_words`` after it, not planned (予定).
    ``dated`` holds the document's dates once made (the builder adds none): made at the first such line."""
    words = tuple(cfg["ended_words"])
    numbered = _numbered_note_re(tuple(cfg.get("note_markers") or ()))
    for j in idxs:
        if not any(w in lines[j].text for w in words):
            continue
        if numbered is not None and numbered.match(lines[j].text):
            continue  # ※1　平成22年度で終了 under the block: the note of the name marked ※1, not of every block
        if not dated:
            dated.append(Figures(doc, ("period", "date")))
        year = _ended_on(doc, lines[j], dated[0], words)
        if year is not None:
            return year
    return None


@functools.lru_cache(maxsize=8)
def _numbered_note_re(markers: tuple[str, ...]) -> re.Pattern[str] | None:
    """A line opening with a note marker and its number (※1, ※２, 注(1), *1): a numbered note, of whatever
    carries that marker."""
    if not markers:
        return None
    return re.compile(r"\s*(?:" + "|".join(map(re.escape, markers)) + r")\s*[(（]?[0-9０-９①-⑳]")


def _ended_on(doc: Document, ln: ViewLine, dated: Figures, words: tuple[str, ...], lo: int = 0,
              hi: int | None = None, view: NormText | None = None) -> int | None:
    """The fiscal year a line (of ``view``, the line view unless given) says support ended in (a fiscal
    year, then one of ``words`` within ``_ENDED_WITHIN`` characters, no 予定 after it), looking only at the
    line's text from ``lo`` to ``hi``."""
    t = ln.text[: len(ln.text) if hi is None else hi]
    for d in dated.on(ln):
        at = view_index(view or doc.lines, d.end) - ln.start
        year = fiscal_year_of(d)
        if year is None or at <= lo or at > len(t):
            continue
        after = t[at:]
        hit = min((after.find(w) for w in words if w in after), default=-1)
        if 0 <= hit <= _ENDED_WITHIN and "予定" not in after[hit : hit + 6]:
            return year
    return None


_ENDED_WITHIN = 12  # characters between the fiscal year and the word saying the support ended


def _ended_note_index(doc: Document, lines: list[ViewLine], cfg: dict[str, Any]) -> dict[str, list[tuple[int, int]]]:
    """The names that notes saying support ended may name, each with (line index, where the topic particle
    after the name starts): a line opening with a note marker and holding one of ``ended_words``
    (※TOHOKUものづくりコリドーは平成21年度をもって支援を終了), its text from past the marker (and an opening
    quote) up to each topic particle (は, については) a name candidate. Looked up by a project's name: one
    dictionary lookup per project, however many notes the document has."""
    markers, words = tuple(cfg["note_markers"]), tuple(cfg["ended_words"])
    index: dict[str, list[tuple[int, int]]] = {}
    for i in lines_holding(view_text(doc, lines), words_re(words)):
        text = lines[i].text
        body = text.lstrip()
        if body.startswith(markers):
            marker = next(m for m in markers if body.startswith(m))
            opens = [len(text) - len(body) + len(marker)]
        else:
            # A sentence of the text naming the project as its topic (なお、TOHOKUものづくりコリドーは令和４年度末を
            # もって支援を終了した。): from the line's start and after each 。 on it, past a connective.
            opens = [len(text) - len(body), *(m.end() for m in re.finditer("。", text))]
        for at in opens:
            at += len(text[at:]) - len(text[at:].lstrip())
            if (connective := _NOTE_CONNECTIVE.match(text, at)) is not None:
                at = connective.end()
            quoted = text.startswith("「", at)  # (the name may stand in quotes: ※「…コリドー」は)
            at += quoted
            for m in _TOPIC_RE.finditer(text, at):
                name = text[at : m.start()]
                if quoted:
                    if not name.endswith("」"):
                        continue
                    name = name[:-1]
                if name:
                    index.setdefault(name, []).append((i, m.start()))
    return index


# A connective opening a note's sentence before the project it names (なお、…は; after NFKC).
_NOTE_CONNECTIVE = re.compile(r"(?:なお|ただし|また|おって)[、,]\s*")


def _ended_note_naming(doc: Document, lines: list[ViewLine], index: dict[str, list[tuple[int, int]]], name: str,
                       dated: list[Figures], cfg: dict[str, Any]) -> int | None:
    """The fiscal year a note that names the project (``index``: :func:`_ended_note_index`) says its support
    ended in: a fiscal year after the name, then one of ``ended_words``, not planned (予定)."""
    for i, topic_at in index.get(name, ()):
        if not dated:
            dated.append(Figures(doc, ("period", "date")))
        year = _ended_on(doc, lines[i], dated[0], tuple(cfg["ended_words"]), topic_at)
        if year is not None:
            return year
    return None


_TOPIC_RE = re.compile("については|に関しては|では|は")


def _ended_notes(doc: Document, lines: list[ViewLine], cfg: dict[str, Any]) -> dict[str, int]:
    """Note marker -> fiscal year in which support ended, from notes like ※平成19年度をもって…終了。"""
    out: dict[str, int] = {}
    markers = [(mk, re.compile(re.escape(mk) + r"\d*")) for mk in cfg["note_markers"]]
    firsts = tuple(cfg["note_markers"])
    dated: Figures | None = None  # made at the first note: most documents have few or none
    # A note starts with its marker: only the lines holding one are looked at.
    for i in lines_holding(view_text(doc, lines), words_re(firsts)):
        ln = lines[i]
        t = ln.text.strip()
        if not t.startswith(firsts):  # a note starts with its marker: most lines are no note
            continue
        for _mk, marker in markers:
            m = marker.match(t)
            if not m or not any(w in t for w in cfg["ended_words"]):
                continue
            if dated is None:
                dated = Figures(doc, ("period", "date"))
            dates = dated.on(ln)
            if dates:
                year = fiscal_year_of(dates[0])
                if year is not None:
                    out.setdefault(m.group(), year)
    return out



TABLE = Table(
    "projects",
    "One row per regional cluster project listed in the document.",
    (
        DOC,
        col("region", STRING, "One of the nine regional blocks (北海道 ... 沖縄)."),
        col("name", STRING, "Project name, NFKC, layout spaces and line breaks removed.", True),
        col("aliases", STRING, "Other names (English names printed with it), ';'-joined."),
        col("fields", STRING, "Fields of activity without the word 分野, ';'-joined."),
        col("companies", INTEGER, "Number of companies taking part."),
        col("companies_approx", BOOLEAN, "True where the company count is approximate (約)."),
        col("universities", INTEGER, "Number of universities taking part."),
        col("universities_approx", BOOLEAN, "True where the university count is approximate."),
        col("ended_fy", INTEGER, "Western fiscal year in which support ended, where a note says so."),
        LINE,
    ),
    ("name",),
    builder=build,
    rules_file="projects",
    rule_keys={
        "markers": list, "note_markers": list, "count_columns": dict, "region_overrides": dict, "field_word": str,
        "field_separators": str, "ended_words": list,
    },
    rule_ids=("project.marker", "project.named", "project.listed", "project.table", "project.sentence",
              "project.selected"),
    renames=("region",),
    links=(LinkTable("project_fields", "fields", "project", "field",
                     "One row per field of activity of a project (projects.fields split)."),),
)  # fmt: skip
