"""hubs.csv: the selected industry-academia-government hubs.

The list is printed column by column: every cell is a group of lines between blank lines, and a
header line (拠点名 提案自治体 提案大学等 提案企業等) names the columns. The proposing local
governments are the easiest cells to recognise, so their run fixes the number of hubs N; the header's
column order then says which N cells are which column. A name cell broken after a joiner
(北大リサーチ＆ / ビジネスパーク) is mended. From a PDF, a ruled table feeds the same rows directly.
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
from pipeline.core.schema import DOC, LINE, STRING, LinkTable, Table, column
from pipeline.core.source import Cell, RuledTable
from pipeline.extractors.organizations import OrganizationExtractor, organization_extractor
from pipeline.extractors.places import PlaceExtractor, place_extractor
from pipeline.tables.common import ENUMERATOR, bullets, item_lead, leading_bullets, lines_holding, view_text
from pipeline.tables.project_table import header_line
from pipeline.tables.spaced import spaced_tables


@dataclass
class _Cell:
    line_indexes: list[int]
    text: str  # the cell's lines joined with no separator (Japanese wraps inside words)
    offsets: list[int]  # view offset of every character of text
    # The cell's list items by separators (see _items): a cell is read for its type, then for its row.
    known_items: dict[str, list[tuple[str, int, int]]] = field(default_factory=dict, compare=False, repr=False)

    @property
    def first(self) -> int:
        return self.line_indexes[0]


def _cell(lines: list[ViewLine], idxs: list[int]) -> _Cell:
    text, offsets = "", []
    for i in idxs:
        ln = lines[i]
        stripped = ln.text.strip()
        lead = ln.text.index(stripped[0]) if stripped else 0
        text += stripped
        offsets.extend(range(ln.start + lead, ln.start + lead + len(stripped)))
    return _Cell(idxs, text, offsets)


def _header(lines: list[ViewLine], columns: dict[str, list[str]], text: str | None = None,
            not_headers: Callable[[str], bool] | None = None) -> tuple[int, list[str]] | None:
    """(line index, column roles in header order) of the first header line, or None. ``text``: the text
    ``lines`` were cut from, when the caller has it; ``not_headers``: lines that head another table."""
    ordered = {role: sorted(labels, key=len, reverse=True) for role, labels in columns.items()}
    if not ordered.get("name"):
        return None
    # A header names the name column: a line holding none of its labels is none (one regex search).
    name_label = re.compile("|".join(re.escape(label) for label in ordered["name"]))
    # The lines that can hold one once their spaces are gone (拠 点 名): found in one scan of the text.
    if text is None:
        text = "\n".join(ln.text for ln in lines)
    for i in lines_holding(text, _spaced_words_re(tuple(ordered["name"]))):
        ln = lines[i]
        flat = "".join(ln.text.split())
        if not name_label.search(flat) or (not_headers is not None and not_headers(ln.text)):
            continue
        found: list[tuple[int, str]] = []
        taken: list[tuple[int, int]] = []
        for role, labels in ordered.items():
            for label in labels:
                pos = flat.find(label)
                while pos >= 0 and any(a <= pos < b for a, b in taken):
                    pos = flat.find(label, pos + 1)
                if pos >= 0:
                    found.append((pos, role))
                    taken.append((pos, pos + len(label)))
                    break
        roles = [r for _, r in sorted(found)]
        if "name" in roles and len(roles) >= 3:
            return i, roles
    return None


@functools.lru_cache(maxsize=32)
def _spaced_words_re(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words`` with spaces (no line break) allowed between its characters: the lines whose text
    holds one once its whitespace is removed."""
    gap = r"[^\S\n]*"
    return re.compile("|".join(gap.join(map(re.escape, w)) for w in words))


@functools.lru_cache(maxsize=32)
def _item_re(seps: str) -> re.Pattern[str]:
    """A list item: a run of characters other than ``seps``."""
    return re.compile(f"[^{re.escape(seps)}]+")


def _items(cell: _Cell, seps: str) -> list[tuple[str, int, int]]:
    """(item, start, end) in view offsets of the cell's list items (worked out once per cell)."""
    known = cell.known_items.get(seps)
    if known is None:
        known = cell.known_items[seps] = _read_items(cell, seps)
    return known


def _read_items(cell: _Cell, seps: str) -> list[tuple[str, int, int]]:
    out = []
    for m in _item_re(seps).finditer(cell.text):
        s, e = m.span()
        while s < e and cell.text[s].isspace():
            s += 1
        while e > s and cell.text[e - 1].isspace():
            e -= 1
        if s < e:
            out.append((canonical_text(cell.text[s:e]), cell.offsets[s], cell.offsets[e - 1] + 1))
    return out


def _item_type(text: str, name: str, default: str, orgs: OrganizationExtractor, pl: PlaceExtractor) -> str | None:
    """The type of a cell item (as printed, and as named) in a column of ``default`` type items, or None."""
    if default == "municipality" and pl.is_prefecture(text):
        return "municipality"
    return orgs.type_of(name, allow_municipality=default == "municipality")


def _is_anchor_cell(cell: _Cell, seps: str, org_type: str, orgs: OrganizationExtractor, pl: PlaceExtractor) -> bool:
    """True when every item of the cell names an organisation of the anchor column's type."""
    items = [t for t, _, _ in _items(cell, seps)]
    return bool(items) and all(_item_type(t, t, org_type, orgs, pl) == org_type for t in items)


def _cell_groups(lines: list[ViewLine], head: int, direction: int, heading_marks: str) -> list[list[int]]:
    """Blank-separated groups of lines next to the header, in text order, up to a heading or prose."""
    groups: list[list[int]] = []
    cur: list[int] = []
    i = head + direction
    while 0 <= i < len(lines):
        t = lines[i].text.strip()
        if not t:
            if cur:
                groups.append(sorted(cur))
                cur = []
        elif t[0] in heading_marks or "。" in t:
            break
        else:
            cur.append(i)
        i += direction
    if cur:
        groups.append(sorted(cur))
    return groups if direction > 0 else groups[::-1]


def _category(lines: list[ViewLine], before: int, categories: list[str]) -> str:
    for ln in reversed(lines[:before]):
        text = canonical_text(ln.text)  # once per line, not once per category
        hits = [c for c in categories if c in text]
        if len(hits) == 1:
            return hits[0]
    return ""


def build(doc: Document) -> list[dict[str, Any]]:
    """Hubs from a ruled table when the PDF has one, else from a tab-separated table in the text, else
    from a borderless one (a header line and a row per hub, cells set apart by full-width spaces), else
    from the column-major text, else from labelled blocks; and hubs listed as university: unit under a
    category heading (◆国際展開型 / 大阪大学：レーザー科学研究所), each hub once."""
    rows = _build(doc)
    named = {row["name"] for row in rows}
    rows += [row for row in _by_university(doc) if row["name"] not in named]
    named = {row["name"] for row in rows}
    # (a hub another reader named already is not read again: its members are no mentions twice)
    rows += _by_places(doc, named)
    named = {row["name"] for row in rows}
    rows += _by_sentences(doc, named)
    if not rows:  # a hub's own page: its title names it, a sentence referring to it lists its members
        rows = _titled(doc)
    rows.sort(key=itemgetter("line"))  # in the order the document lists them, whichever reader found each
    return rows


_TITLE_YEAR = re.compile(r"^(?:令和|平成)?(?:\d{1,4}|元)年度")  # 令和6年度ふくい…拠点: the year is no part of the name


def _titled(doc: Document) -> list[dict[str, Any]]:
    """The hub a document's title names (its first line: 令和６年度　みやぎ防災テック共創拠点の推進体制, past a
    fiscal year and the words of ``title_name_tails``; ending in one of ``heading_name_endings``) with the
    members the first sentence referring to it lists before a verb of taking part (本拠点は、東北大学を代表機関
    として、宮城県、仙台市…が連携し; two members at least; rule hub.sentence)."""
    cfg = doc.rules.get("hubs")
    verbs, endings = tuple(cfg.get("sentence_verbs") or ()), tuple(cfg.get("heading_name_endings") or ())
    tails = tuple(sorted(cfg.get("title_name_tails") or (), key=len, reverse=True))
    lines = doc.view_lines(doc.lines)
    first = next((ln for ln in lines if not ln.blank), None)
    if first is None or not verbs or not endings or "。" in first.text:
        return []
    words = first.text.split()
    name = _TITLE_YEAR.sub("", canonical_text(words[-1])) if words else ""
    name = next((name[: -len(t)] for t in tails if name.endswith(t) and len(name) > len(t)), name)
    references = (*(doc.rules.get("organizations").get("stop_prefixes") or ()), *(cfg.get("reference_words") or ()))
    if len(name) < 4 or not name.endswith(endings) or name.startswith(references):
        return []
    orgs, pl = organization_extractor(doc.rules), place_extractor(doc.rules)
    ref_re = _reference_re(tuple(sorted(references, key=len, reverse=True)), endings)
    verb_re = re.compile("|".join(map(re.escape, verbs)))
    flow = doc.flow.text
    sentences = flow.split("。")
    starts = [0, *itertools.accumulate(len(t) + 1 for t in sentences[:-1])]
    for sentence, s0 in zip(sentences, starts, strict=True):
        # The sentence opens a line (a text's first sentence after headings runs on from them up to its 。).
        at = next((m.start() for m in re.finditer(r"(?:^|(?<=\n))", sentence) if ref_re.match(sentence, m.start())),
                  None)
        if at is None:
            continue
        lead, s0 = sentence[at:], s0 + at
        ref = ref_re.match(lead)
        verbs_after = list(verb_re.finditer(lead, ref.end())) if ref is not None else []
        if ref is None or not verbs_after:
            continue
        members = _sentence_members(lead, ref.end(), verbs_after[-1].start(), orgs, pl)
        if len(members) < 2:
            continue
        members = [(t, s0 + a, s0 + b, kind) for t, a, b, kind in members]
        return [{"category": "", "name": name, **_sentence_columns(doc, orgs, members), "line": first.line}]
    return []


def _sentence_columns(doc: Document, orgs: OrganizationExtractor, members: list[tuple[str, int, int, str]]
                      ) -> dict[str, str]:
    """The member columns of a hub a sentence describes, from ``members`` (text, flow offsets, kind); each
    member a mention of rule hub.sentence."""
    by_column: dict[str, list[str]] = {"municipalities": [], "universities": [], "partners": []}
    for text, a, b, kind in members:
        value = text if kind == "municipality" else orgs.without_legal_person(orgs.canonical(text))
        doc.add_source_span(*doc.flow.to_source(a, b), "organization", value, "hub.sentence", kind)
        by_column[_LISTED_COLUMN.get(kind, "partners")].append(value)
    return {c: ";".join(v) for c, v in by_column.items()}


# A hub listed with its local governments in brackets: 北大リサーチ&ビジネスパーク(北海道、札幌市).
_PLACED_ITEM = re.compile(r"(?P<name>[^()。]{2,60}?)\s*\((?P<where>[^()]+)\)")
# A count in brackets after a category heading: グローバル産学官連携拠点(5拠点).
_HEADING_COUNT = re.compile(r"\s*\([^()]*\d[^()]*\)$")


def _by_places(doc: Document, known: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """Hubs listed an item each under a heading naming their category (（１）グローバル産学官連携拠点（５拠点）:
    a known category, or words ending in one of ``category_suffixes``), each item a name and its
    proposing local governments in brackets, nothing but places there (①とやま医薬工連携拠点（富山県、富山市）;
    rule hub.listed). Any other line ends the list."""
    cfg = doc.rules.get("hubs")
    categories = cfg["categories"]
    suffixes = tuple(cfg.get("category_suffixes") or ())
    lines = doc.view_lines(doc.lines)
    # Only a line ending in a bracket, or in a hub's name, can be an item: those are found in one scan,
    # then each run of them is read from the heading above it.
    endings = tuple(cfg.get("heading_name_endings") or ()) or ("\0",)
    ends = lines_holding(view_text(doc, lines), _bare_end_re(endings))
    if not ends:
        return []
    pl = place_extractor(doc.rules)
    marks = bullets(doc)
    # A project's or programme's name (…プロジェクト, …計画) in such a list is no hub.
    not_hub = tuple(cfg.get("listed_not_endings") or ())
    orgs = organization_extractor(doc.rules)
    # Each item: its lead, its name, where its bracket of members starts in the line (-1: none), members.
    items: dict[int, tuple[int, str, int, list[tuple[str, int, int, str]]]] = {}
    others: set[int] = set()  # items of the list that name a project or programme (…構想): in it, no hubs
    for i in ends:
        ln = lines[i]
        lead = item_lead(doc, ln.start, ln.text, marks)
        rest = ln.text[lead:].rstrip()
        m = _PLACED_ITEM.fullmatch(rest)
        if m is None:
            # A name alone after a list mark or number (○ふくい繊維拠点, ①福井県　「ふくい繊維拠点」): an item
            # only under a heading naming a category, checked below.
            name = _unquoted(pl, canonical_text(rest)) if lead else ""
            if (name.endswith(endings) and len(name) <= _MAX_HEADING_NAME and not _NO_BARE_NAME.search(name)
                    and not rest.startswith(_NO_BARE_START)):
                items[i] = (lead, name, -1, [])
            continue
        where = m.start("where")
        if (label := _MEMBERS_LABEL.match(m.group("where"))) is not None:
            where += label.end()  # （提案自治体：北海道、札幌市）: the label is no member
        members = _listed_members(rest[where : m.end("where")], orgs, pl)
        if members and canonical_text(m.group("name")).endswith(not_hub or "\0"):
            others.add(i)
        elif members:
            items[i] = (lead, _listed_name(pl, m), where, members)
    # Lines of members labelled under an item (　参画機関：北海道大学、…): the item's, read with it.
    labelled = _member_lines(doc, lines, items, cfg)
    member_of = {j: i for i, entry in labelled.items() for j in entry["lines"]}
    passed = set(member_of) | others  # lines a run of items goes on past
    rows: list[dict[str, Any]] = []
    for i in items:
        above = next((j for j in range(i - 1, -1, -1) if not lines[j].blank and j not in passed), None)
        if above in items:
            continue  # read with the run it belongs to
        run = _run(lines, items, i, passed)
        # Over items with labelled members a heading ending in 地域 names their category too.
        more = tuple(cfg.get("labelled_category_suffixes") or ()) if any(j in labelled for j in run) else ()
        category = _list_heading(lines[above].text, categories, suffixes + more, cfg) if above is not None else ""
        # Under any other heading, an item whose name ends as a hub's does (…拠点, …パーク) is still one,
        # when its members are in brackets after it; a name alone is a hub only under a category's heading.
        named = category or any(items[j][2] >= 0 and items[j][1].endswith(endings) for j in run)
        for k in run if named else ():
            ln, (lead, hub, where, members) = lines[k], items[k]
            if not category and (where < 0 or not hub.endswith(endings)) or hub in known:
                continue
            by_column: dict[str, list[str]] = {"municipalities": [], "universities": [], "partners": []}
            at = ln.start + lead + where
            found = [(name, *doc.lines.to_source(at + a, at + b), kind) for name, a, b, kind in members]
            for name, s, e, kind in found + labelled.get(k, {}).get("members", []):
                doc.add_source_span(s, e, "organization", name, "hub.listed", kind)
                by_column[_LISTED_COLUMN.get(kind, "partners")].append(name)
            rows.append({"category": category, "name": hub, **{c: ";".join(v) for c, v in by_column.items()},
                         "line": ln.line})
    return rows


def _member_lines(doc: Document, lines: list[ViewLine], items: dict[int, Any], cfg: dict[str, Any]
                  ) -> dict[int, dict[str, Any]]:
    """For each listed item followed by lines labelled with members (参画機関：…, 大学等：…; no name label),
    those lines (``lines``) and their members (``members``: name, source start, end, type), each item
    of a typed label in the column of its own type."""
    labels = _labels(cfg)
    if labels is None:
        return {}
    role_of, label_re, typed = labels
    orgs, pl = organization_extractor(doc.rules), place_extractor(doc.rules)
    marks = bullets(doc)
    column_type = cfg["organization_columns"]
    out: dict[int, dict[str, Any]] = {}
    for i in items:
        j = i + 1
        while j < len(lines) and j not in items and not lines[j].blank:
            ln = lines[j]
            m = label_re.match(ln.text, leading_bullets(ln.text, marks))
            role = role_of[m.group("label") or m.group("blabel")] if m is not None else None
            if role not in column_type:
                break
            label = m.group("label") or m.group("blabel")
            entry = out.setdefault(i, {"lines": [], "members": []})
            entry["lines"].append(j)
            for text, a, b in _items(_Cell([j], ln.text[m.end() :], list(range(ln.start + m.end(), ln.end))),
                                     cfg["item_separators"]):
                s, e = doc.lines.to_source(a, b)
                if _count_item(doc, text, s, e, orgs):
                    continue  # 参加企業 42社: how many members, not one of them
                kind = _item_kind(text, orgs, pl) if label in typed else column_type[role]
                name = text if kind == "municipality" else orgs.without_legal_person(orgs.canonical(text))
                entry["members"].append((name, s, e, kind))
            j += 1
    return out


_LISTED_COLUMN = {"municipality": "municipalities", "university": "universities"}


def _listed_name(pl: PlaceExtractor, m: re.Match[str]) -> str:
    """A listed hub's name: no place labelling its line (北海道：…, 北海道地域：…), no quotes around it, nor a
    place before such quotes (北海道　「北海道バイオ・ヘルスイノベーション拠点」)."""
    raw = m.group("name").strip()
    placed = _PLACE_APART.match(raw)
    front = canonical_text(placed.group(1)) if placed else ""
    if placed and (pl.label_block(front) or pl.is_place_list(front)):
        raw = raw[placed.end() :]  # 岩手県　いわて三陸…拠点: a place set apart in front labels the line
    hub = canonical_text(raw)
    label = _PLACE_LABEL.match(hub)
    if label and (pl.label_block(label.group(1)) or pl.is_place_list(label.group(1))):
        hub = hub[label.end() :]  # 北海道：北大リサーチ＆ビジネスパーク: the place labels the line
    return _unquoted(pl, hub)


_PLACE_APART = re.compile(r"([^\s:：()「」]{2,8})[ \u3000]+(?=\S)")  # a place, then a space, before a name


def _unquoted(pl: PlaceExtractor, name: str) -> str:
    """A hub's name (NFKC, no spaces) without the quotes around it, nor a place before them
    (北海道「北海道バイオ・ヘルスイノベーション拠点」); a word before quotes that is no place stays (新「…」)."""
    quoted = _PLACE_QUOTED.fullmatch(name)
    if quoted is None or (quoted.group(1) and not (pl.label_block(quoted.group(1))
                                                   or pl.is_place_list(quoted.group(1)))):
        return name
    return quoted.group(2)


# A hub's name in quotes, a place before them or not: ○北海道　「北海道バイオ…拠点」.
_PLACE_QUOTED = re.compile(r"([^「」:()\s]{0,16})「([^「」]+)」")


def _run(lines: list[ViewLine], items: dict[int, Any], i: int, passed: set[int] | None = None) -> list[int]:
    """The items listed one after another from line ``i`` (blank lines between them allowed, and the
    lines of ``passed``: an item's labelled members, the list's items that are no hubs)."""
    out = []
    k: int | None = i
    while k is not None and k in items:
        out.append(k)
        k = next((j for j in range(k + 1, len(lines)) if not lines[j].blank and j not in (passed or ())), None)
    return out


@functools.lru_cache(maxsize=8)
def _sentence_name_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A hub's name in a sentence, before its topic particle: in quotes anywhere (「…拠点」には), or unquoted
    opening the sentence or its paragraph, after a connective (また、…拠点では)."""
    ends = "|".join(map(re.escape, endings))
    return re.compile(rf"「(?P<q>[^「」。]{{2,40}}?(?:{ends}))」(?:には|では|は|に)"
                      rf"|(?:^|(?<=\n))[^\S\n]*(?:(?:また|さらに|なお|一方)、?)?(?P<u>[^\s、。「」(),]{{2,40}}?(?:{ends}))"
                      r"(?:には|では|は)")


# Between the members a sentence lists: 、 and the words joining the last two (及び, 並びに, や).
_MEMBER_SEP = re.compile(r"[、,]|及び|および|並びに|ならびに|や")
# Words around a member that are no part of it (…を中心に, …が, …など).
_MEMBER_TAIL = re.compile(r"(?:を(?:中心|中核|核|中核機関|代表機関|幹事機関)(?:として|とし|に|と)|をはじめ(?:とする)?"
                          r"|が(?:中心|中核)と(?:なり|なって)"
                          r"|など|等|ほか|が|を|に|で|と|は|も|の)+$")


def _by_sentences(doc: Document, known: set[str] | frozenset[str] = frozenset()) -> list[dict[str, Any]]:
    """A hub a sentence names with the members it lists and a verb of taking part (rule hub.sentence):
    「ぐんま次世代モビリティ拠点」には、群馬大学、前橋工科大学、群馬県、前橋市及び前橋商工会議所が参画している.
    Each member is an organisation the rules know or a whole prefecture or city (a local government);
    two at least make the hub. A reference (本拠点, 同拠点) names none. The category is the heading's above."""
    cfg = doc.rules.get("hubs")
    verbs = tuple(cfg.get("sentence_verbs") or ())
    endings = tuple(cfg.get("heading_name_endings") or ())
    flow = doc.flow.text
    if not verbs or not endings or not any(v in flow for v in verbs) or not any(w in flow for w in endings):
        return []
    orgs, pl = organization_extractor(doc.rules), place_extractor(doc.rules)
    references = (*(doc.rules.get("organizations").get("stop_prefixes") or ()), *(cfg.get("reference_words") or ()))
    name_re = _sentence_name_re(endings)
    verb_re = re.compile("|".join(map(re.escape, verbs)))
    selection = tuple(cfg.get("selection_verbs") or ())
    forming = tuple(cfg.get("forming_verbs") or ())
    ref_re = _reference_re(tuple(sorted(references, key=len, reverse=True)), endings)
    qualified_re = _qualified_name_re(verbs, endings, tuple(cfg.get("qualifying_words") or ()))
    lines = doc.view_lines(doc.lines)
    line_starts = [ln.src_start for ln in lines]
    rows: list[dict[str, Any]] = []

    def emit(name: str, name_s: int, name_e: int, members: list[tuple[str, int, int, str]], stated: str = "") -> None:
        """A row of the hub named at flow offsets [name_s, name_e) with ``members`` (flow offsets); none for a
        hub in ``known``. ``stated``: the category its sentence names, else the heading's."""
        if name in known:
            return
        i = max(0, bisect.bisect_right(line_starts, doc.flow.to_source(name_s, name_e)[0]) - 1)
        rows.append({"category": stated or _heading_category(lines, i, cfg), "name": name,
                     **_sentence_columns(doc, orgs, members), "line": lines[i].line})

    sentences = flow.split("。")
    starts = [0, *itertools.accumulate(len(t) + 1 for t in sentences[:-1])]
    for k, sentence in enumerate(sentences):
        s0 = starts[k]
        m = name_re.search(sentence)
        if m is None and "「" in sentence and (q := _ANY_QUOTED.search(sentence)) is not None:
            # 「関西バイオメディカルクラスター」は…で構成される under a hub category's heading: any ending
            src = doc.flow.to_source(s0 + q.start("q"), s0 + q.end("q"))[0]
            if _heading_category(lines, max(0, bisect.bisect_right(line_starts, src) - 1), cfg):
                m = q
        if ("「" in sentence and (m is None or m.group("q") and not verb_re.search(sentence, m.end()))
                and (q := qualified_re.search(sentence)) is not None and (m is None or q.start("q") == m.start("q"))):
            # 北海道大学を中核機関として、北海道、札幌市、札幌商工会議所が参画する「…拠点」が採択された (or では…,
            # with no verb of taking part after it): the members listed before a verb of taking part that qualifies
            # the quoted name
            name = canonical_text(q.group("q"))
            members = _sentence_members(sentence, sentence.rfind("\n", 0, q.start("v")) + 1, q.start("v"), orgs, pl)
            if len(members) >= 2 and not name.startswith(references):
                emit(name, s0 + q.start("q"), s0 + q.end("q"), [(t, s0 + a, s0 + b, kd) for t, a, b, kd in members])
            continue
        if m is None and forming and "「" in sentence and (f := _formed_re(forming, endings).search(sentence)):
            # 富山大学が中心となり、富山県、富山市及び富山商工会議所と連携して「…拠点」を形成している: the
            # members listed before a verb of taking part, the hub named after it as what they form
            verbs_before = list(verb_re.finditer(sentence, 0, f.start()))
            if verbs_before and not canonical_text(f.group("q")).startswith(references):
                verb_at = verbs_before[-1].start()  # (the members from the paragraph's start: no heading over it)
                members = _sentence_members(sentence, sentence.rfind("\n", 0, verb_at) + 1, verb_at, orgs, pl)
                if len(members) >= 2:
                    emit(canonical_text(f.group("q")), s0 + f.start("q"), s0 + f.end("q"),
                         [(t, s0 + a, s0 + b, kd) for t, a, b, kd in members])
            continue
        if m is None:
            if selection and "「" in sentence and any(v in sentence for v in selection):
                nxt = (sentences[k + 1], starts[k + 1]) if k + 1 < len(sentences) else ("", 0)
                found = _selected(sentence, s0, nxt, endings, selection, ref_re, verb_re, orgs, pl)
                if found is not None:
                    emit(*found)
                else:
                    # 地域中核産学官連携拠点として「…」…を選定: the category they are chosen as
                    category = next((c for c in cfg["categories"] if f"{c}として" in sentence), "")
                    for hub in _selected_list(sentence, s0, endings, selection, orgs, pl):
                        emit(*hub, category)
            continue
        group = "q" if m.group("q") else "u"  # quoted, or unquoted opening the sentence
        name = canonical_text(m.group(group))
        verbs_after = list(verb_re.finditer(sentence, m.end()))
        if not verbs_after or name.startswith(references):
            continue
        verb = verbs_after[-1]  # the last verb closes the list
        members = _sentence_members(sentence, m.end(), verb.start(), orgs, pl)
        lead = _LEAD_MEMBER.search(sentence, 0, m.start(group) - (group == "q"))
        if lead is not None and (kind := _member_kind(lead.group("m"), orgs, pl)) is not None:
            members.insert(0, (lead.group("m"), *lead.span("m"), kind))  # 北海道大学を中核とする「…」
        if len(members) < 2:
            continue
        emit(name, s0 + m.start(group), s0 + m.end(group), [(t, s0 + a, s0 + b, kd) for t, a, b, kd in members])
    return rows


@functools.lru_cache(maxsize=8)
def _qualified_name_re(verbs: tuple[str, ...], endings: tuple[str, ...], words: tuple[str, ...] = ()
                       ) -> re.Pattern[str]:
    """A hub's quoted name right after a verb of taking part in the form that qualifies it (…が参画する「…拠点」,
    …と連携する「…拠点」), or after one of ``words`` that qualify it so (…岡山経済同友会による「…拠点」)."""
    ends, doing = "|".join(map(re.escape, endings)), "|".join(map(re.escape, verbs))
    qualifying = "".join(f"|{re.escape(w)}" for w in words)
    return re.compile(rf"(?P<v>(?:{doing})(?:する|した|している){qualifying})「(?P<q>[^「」。]{{2,40}}?(?:{ends}))」")


@functools.lru_cache(maxsize=8)
def _reference_re(references: tuple[str, ...], endings: tuple[str, ...]) -> re.Pattern[str]:
    """A sentence opening with a reference to a hub named before it (本拠点には, 同拠点では, この拠点は)."""
    return re.compile(r"\s*(?:" + "|".join(map(re.escape, references)) + r")(?:"
                      + "|".join(map(re.escape, endings)) + r")(?:には|では|は|に)")


@functools.lru_cache(maxsize=8)
def _formed_re(verbs: tuple[str, ...], endings: tuple[str, ...]) -> re.Pattern[str]:
    """A hub's quoted name as what a sentence's members form (「…拠点」を形成, …を構築)."""
    ends = "|".join(map(re.escape, endings))
    return re.compile(rf"「(?P<q>[^「」。]{{2,40}}?(?:{ends}))」を(?:{'|'.join(map(re.escape, verbs))})")


# A hub selected in a sentence: its name in quotes, maybe a bracket of its members after it, then を
# (「北陸ライフサイエンス連携拠点」（提案自治体：石川県、富山県）を…拠点として選定した).
_SELECTED_NAME = re.compile(r"「(?P<q>[^「」。]{2,40})」(?:[(（](?P<b>[^()（）]{1,80})[)）])?を")
_MEMBERS_LABEL = re.compile(r"[^:：、,]{1,10}[:：]\s*")


def _selected(sentence: str, s0: int, nxt: tuple[str, int], endings: tuple[str, ...], selection: tuple[str, ...],
              ref_re: re.Pattern[str], verb_re: re.Pattern[str], orgs: OrganizationExtractor, pl: PlaceExtractor
              ) -> tuple[str, int, int, list[tuple[str, int, int, str]]] | None:
    """A hub a sentence says was selected (a word of ``selection_verbs`` after its quoted name and を), with
    the members its bracket lists (a label before them allowed: 提案自治体：) and those the next sentence
    lists when it opens with a reference to it (本拠点には金沢大学、富山大学が参画し…): (name, its flow
    offsets, members in flow offsets), or None when fewer than two members are named."""
    m = _SELECTED_NAME.search(sentence)
    if m is None or not m.group("q").endswith(endings) or not any(v in sentence[m.end() :] for v in selection):
        return None
    members: list[tuple[str, int, int, str]] = []
    if m.group("b"):
        label = _MEMBERS_LABEL.match(m.group("b"))
        at = m.start("b") + (label.end() if label else 0)
        members += [(t, s0 + at + a, s0 + at + b, kd)
                    for t, a, b, kd in _listed_members(sentence[at : m.end("b")], orgs, pl)]
    text, n0 = nxt
    ref = ref_re.match(text)
    verbs_after = list(verb_re.finditer(text, ref.end())) if ref is not None else []
    if ref is not None and verbs_after:
        # …が参画し、北陸経済連合会が協力する: each verb closes a list of its own
        a = ref.end()
        for verb in verbs_after:
            members += [(t, n0 + x, n0 + y, kd) for t, x, y, kd in _sentence_members(text, a, verb.start(), orgs, pl)]
            a = verb.end()
    if len(members) < 2:
        return None
    return canonical_text(m.group("q")), s0 + m.start("q"), s0 + m.end("q"), members


# Hubs a sentence lists as selected, each in quotes with its members in a bracket after it, joined by 及び, と or
# 、, the last before を or a count of them and を (「…拠点」（提案者：…）及び「…拠点」（提案者：…）の２拠点を選定).
_LISTED_HUB = re.compile(r"「(?P<q>[^「」。]{2,40})」[(（](?P<b>[^()（）]{1,80})[)）]")
_LIST_JOIN = re.compile(r"\s*(?:及び|および|並びに|ならびに|と|、|,)\s*")
_LIST_CLOSE = re.compile(r"\s*(?:の[\d一二三四五六七八九十]{1,3}[^\s、。を]{0,3})?を")


def _selected_list(sentence: str, s0: int, endings: tuple[str, ...], selection: tuple[str, ...],
                   orgs: OrganizationExtractor, pl: PlaceExtractor
                   ) -> list[tuple[str, int, int, list[tuple[str, int, int, str]]]]:
    """The hubs a sentence lists as selected, two or more, each quoted with the members its bracket lists (a
    label before them allowed), joined one to the next, the last before を (or …の２拠点を) and a word of
    ``selection_verbs`` after it: (name, its flow offsets, members in flow offsets) for each with two members
    at least."""
    items = list(_LISTED_HUB.finditer(sentence))
    for k in range(len(items)):
        chain = [items[k]]
        for nxt in items[k + 1 :]:
            if _LIST_JOIN.fullmatch(sentence, chain[-1].end(), nxt.start()) is None:
                break
            chain.append(nxt)
        close = _LIST_CLOSE.match(sentence, chain[-1].end())
        if len(chain) < 2 or close is None or not any(v in sentence[close.end() :] for v in selection):
            continue
        out = []
        for m in chain:
            if not m.group("q").endswith(endings):
                return []
            label = _MEMBERS_LABEL.match(m.group("b"))
            at = m.start("b") + (label.end() if label else 0)
            members = [(t, s0 + at + a, s0 + at + b, kd)
                       for t, a, b, kd in _listed_members(sentence[at : m.end("b")], orgs, pl)]
            if len(members) >= 2:
                out.append((canonical_text(m.group("q")), s0 + m.start("q"), s0 + m.end("q"), members))
        return out
    return []


# A name in quotes before a topic particle, whatever it ends in (read under a hub category's heading).
_ANY_QUOTED = re.compile(r"「(?P<q>[^「」。]{2,40})」(?:には|では|は|に)")
# The lead member named before the hub's name: 北海道大学を中核とする「…」, 東北大学が中心となる…
_LEAD_MEMBER = re.compile(r"(?:^|(?<=[、,\s]))(?P<m>[^、,。「」\s]{2,30}?)"
                          r"(?:を(?:中核|中心|代表機関|幹事機関)と(?:する|した)|が(?:中核|中心)と(?:なる|なった)"
                          r"|が(?:代表機関|幹事機関|中核機関|代表|幹事)を務め(?:る|た|ている)|が(?:主導|提案)(?:する|した))$")


def _sentence_members(sentence: str, a: int, b: int, orgs: OrganizationExtractor, pl: PlaceExtractor
                      ) -> list[tuple[str, int, int, str]]:
    """(text, start, end in ``sentence``, type) of the members listed in ``sentence[a:b]``: the pieces
    between 、 and the joining words, split at と where both sides are members, without a case particle or
    a word such as を中心に after them; a piece that names no known organisation or place is left out."""
    out: list[tuple[str, int, int, str]] = []
    cuts = [a, *(x for sep in _MEMBER_SEP.finditer(sentence, a, b) for x in sep.span()), b]
    for k in range(0, len(cuts), 2):
        s, e = cuts[k], cuts[k + 1]
        for ps, pe in _split_at_to(sentence, s, e, orgs, pl):
            text = sentence[ps:pe].strip()
            lead = sentence[ps:pe].index(text[0]) if text else 0
            text = _MEMBER_TAIL.sub("", text)
            kind = _member_kind(text, orgs, pl)
            if kind is not None:
                out.append((text, ps + lead, ps + lead + len(text), kind))
    return out


def _member_kind(text: str, orgs: OrganizationExtractor, pl: PlaceExtractor) -> str | None:
    """A whole prefecture or city as a local government, else the type of an organisation the rules know."""
    if len(text) < 2:
        return None
    name = canonical_text(text)
    if pl.is_place_list(name) and "・" not in name:
        return "municipality"
    kind = orgs.type_of(orgs.canonical(name))
    return kind if kind not in (None, "municipality") else None


def _split_at_to(sentence: str, s: int, e: int, orgs: OrganizationExtractor, pl: PlaceExtractor
                 ) -> list[tuple[int, int]]:
    """``sentence[s:e]`` cut at と where the words on both sides are members (静岡大学と浜松医科大学)."""
    k = sentence.find("と", s, e)
    while k > 0:
        left = sentence[s:k].strip()
        right = _MEMBER_TAIL.sub("", sentence[k + 1 : e].strip())
        if _member_kind(left, orgs, pl) and _member_kind(right, orgs, pl):
            return [(s, k), (k + 1, e)]
        k = sentence.find("と", k + 1, e)
    return [(s, e)]
_PLACE_LABEL = re.compile(r"([^:()\s]{2,8}):")


def _listed_members(where: str, orgs: OrganizationExtractor, pl: PlaceExtractor) -> list[tuple[str, int, int, str]]:
    """(name, start, end in ``where``, type) of the members a hub's bracket lists, places as local
    governments, when one at least is a place and every other one an organisation the rules know
    (（宮城県、仙台市、東北大学）); else [] (（平成21年度採択）, a bracket of anything else)."""
    out: list[tuple[str, int, int, str]] = []
    pieces = [(p.group(), p.start()) for p in re.finditer(r"[^、,/]+", where)]
    for text, at in pieces:
        lead = len(text) - len(text.lstrip())
        text = text.strip()
        if not text:
            return []
        parts = [(text, at + lead)]
        if "・" in text and pl.is_place_list(text):  # 宮城県・山形県: a place each
            parts, k = [], at + lead
            for part in text.split("・"):
                parts.append((part, k))
                k += len(part) + 1
        for part, a in parts:
            name = canonical_text(part)
            if pl.is_place_list(name):
                kind = "municipality"
            else:
                kind = orgs.type_of(orgs.canonical(name))
                if kind is None or kind == "municipality":
                    return []
                name = orgs.without_legal_person(orgs.canonical(name))
            out.append((name, a, a + len(part), kind))
    return out if any(kind == "municipality" for *_, kind in out) else []


_BRACKET_END = re.compile(r"\)[ ]*$", re.MULTILINE)


@functools.lru_cache(maxsize=8)
def _bare_end_re(endings: tuple[str, ...]) -> re.Pattern[str]:
    """A line ending in a bracket, or in a hub's name (…拠点, …拠点」): where a listed hub may be."""
    ends = "|".join(map(re.escape, endings))
    return re.compile(rf"(?:\)|(?:{ends})」?)[ ]*$", re.MULTILINE)


# A name alone on a list's line that is no hub's: a sentence, a bracket, a label (選定拠点：…).
_NO_BARE_NAME = re.compile(r"[。、:()]")
_NO_BARE_START = ("「",)


def _list_heading(text: str, categories: list[str], suffixes: tuple[str, ...], cfg: dict[str, Any]) -> str:
    """The category a heading line names (a known one, or words ending in a category suffix; in brackets
    of its own too, （国際競争力強化地域）), else ""."""
    if "。" in text:
        return ""
    words = _HEADING_COUNT.sub("", canonical_text(text)).strip(cfg["heading_marks"] + "【】[]「」 ")
    if words.startswith("(") and words.endswith(")") and "(" not in words[1:-1] and ")" not in words[1:-1]:
        words = words[1:-1].strip()
    words = words[ENUMERATOR.match(words).end() :] if ENUMERATOR.match(words) else words
    if _LABEL_VALUE.match(words):
        return ""  # (1)拠点名:とやま…拠点: a label and its value, no heading
    if any(words == w + s for w in cfg.get("status_words") or () for s in suffixes):
        return ""  # 採択拠点, 新規採択拠点: what the hubs under it are (chosen), no category of theirs
    if words in categories or (len(words) <= 40 and words.endswith(suffixes)):
        return words
    # 地域中核産学官連携拠点の概要: a known category before a heading's tail (not 採択拠点一覧, no category)
    tail = next((t for t in cfg.get("heading_tails") or () if words.endswith(t) and len(words) > len(t)), "")
    return words[: -len(tail)] if tail and words[: -len(tail)] in categories else ""


_LABEL_VALUE = re.compile(r"[^\s:()]{1,10}:")  # 拠点名:…, after NFKC
_UNIT_LINE = re.compile(r"(?P<university>[^\s:()]{2,20}?)[ ]?:[ ]?(?P<unit>[^\s:。、][^:。]{1,40})")


@functools.lru_cache(maxsize=8)
def _unit_line_re(university_ends: tuple[str, ...]) -> re.Pattern[str]:
    """A university's name ending, then a colon (大阪大学：…)."""
    return re.compile("(?:" + "|".join(map(re.escape, university_ends)) + ")[ ]?:")


def _by_university(doc: Document) -> list[dict[str, Any]]:
    """Hubs listed a line each as ``university: unit`` (after NFKC), two or more in a row under a heading
    that names their category (◆国際展開型, ■地域貢献型: a known category, or words ending in one of
    ``category_suffixes``). The hub is the unit of that university: its name is both (大阪大学レーザー科学
    研究所), its university the university (a mention of rule hub.university_list)."""
    cfg = doc.rules.get("hubs")
    orgs = organization_extractor(doc.rules)
    university_ends = doc.rules.get("organizations")["types"]["university"]["suffixes"]
    if not _unit_line_re(tuple(university_ends)).search(doc.lines.text):
        return []  # no line opens with a university and a colon: one search, not a walk over the lines
    marks = cfg["heading_marks"] + "◆◇"
    lines = doc.view_lines(doc.lines)
    rows: list[dict[str, Any]] = []
    category, run = "", []  # the heading's category, and the unit lines read under it

    def flush() -> None:
        if category and len(run) >= 2:
            for ln, m in run:
                university = orgs.canonical(m.group("university"))
                s, e = doc.lines.to_source(ln.start + m.start("university"), ln.start + m.end("university"))
                doc.add_source_span(s, e, "organization", university, "hub.university_list", "university")
                rows.append({"category": category, "name": university + canonical_text(m.group("unit")),
                             "municipalities": "", "universities": university, "partners": "", "line": ln.line})
        run.clear()
    for ln in lines:
        t = ln.text.strip()
        if not t:
            continue
        if t[0] in marks:
            flush()
            words = _heading_words(canonical_text(t), marks)
            known = [c for c in cfg["categories"] if c in words]
            category = known[0] if len(known) == 1 else (
                words if _ends_in(words, tuple(cfg.get("category_suffixes") or ())) else "")
            continue
        m = _UNIT_LINE.fullmatch(t)
        if category and m and orgs.type_of(orgs.canonical(m.group("university"))) == "university":
            run.append((ln, m))
        elif run:  # another kind of line ends the list; before the list it may describe the category
            flush()
            category = ""
    flush()
    return rows


def _build(doc: Document) -> list[dict[str, Any]]:
    orgs, pl = organization_extractor(doc.rules), place_extractor(doc.rules)
    cfg = doc.rules.get("hubs")
    tables: list[RuledTable] = list(doc.source.ruled_tables)
    from_tables = build_from_ruled_tables(doc, orgs, pl)
    if not from_tables and "\t" in doc.source.text:
        tables = tab_tables(doc.source.text)
        from_tables = build_from_ruled_tables(doc, orgs, pl, tables)
    # Headed by a name label, else by a label that names hubs only when its cells do (事業名 over …拠点).
    for labels in (cfg["columns"]["name"], cfg.get("ending_name_labels") or []):
        if from_tables or not labels:
            break
        tables = spaced_tables(doc.source.text, labels, wrapped_cells=False,  # a row per line
                               section_rows=True, aligned_blocks=True)  # or a block of lines per row
        if tables:
            from_tables = build_from_ruled_tables(doc, orgs, pl, tables)
    lines = doc.view_lines(doc.lines)
    if from_tables:
        # Hubs in labelled blocks elsewhere in the document (a page per hub after the list) are read
        # too, the tables' lines left out; a hub the tables named already is not read twice.
        named = {row["name"] for row in from_tables}
        spans = [(t.rows[0][0].start, max(c.end for r in t.rows for c in r)) for t in tables if t.rows and t.rows[0]]
        outside = [ln._replace(text="", blank=True) if any(a < ln.src_end and ln.src_start < b for a, b in spans)
                   else ln for ln in lines]
        return from_tables + [row for row in _labelled(doc, outside, cfg, orgs, pl) if row["name"] not in named]
    seps = cfg["item_separators"]
    # (地域名　クラスター名　参加企業数　参加大学等数 heads a projects table: no hub list)
    project_columns = doc.rules.get("projects").get("table_columns") or {}
    found = _header(lines, cfg["columns"], doc.lines.text, lambda t: header_line(t, project_columns))
    if found is None:
        return _labelled(doc, lines, cfg, orgs, pl)
    head, roles = found
    doc.furniture.append((lines[head].src_start, lines[head].src_end))
    # The cells follow the header, or (as the seed's conversion printed them) precede it: take the
    # side whose cells include local governments, the nearer one if both do.
    anchor = cfg["anchor_column"]
    anchor_type = cfg["organization_columns"].get(anchor, "")
    for direction in (1, -1):
        cells = [_cell(lines, g) for g in _cell_groups(lines, head, direction, cfg["heading_marks"])]
        muni = [_is_anchor_cell(c, seps, anchor_type, orgs, pl) for c in cells]
        if True in muni:
            break
    if anchor not in roles or True not in muni:
        doc.warn(lines[head].line, "hub_columns_unequal", "hub list: no column of local governments found")
        return []
    m_start = muni.index(True)
    n = 0
    while m_start + n < len(cells) and muni[m_start + n]:
        n += 1
    k_m = roles.index(anchor)
    missing = m_start + (len(roles) - k_m) * n - len(cells)
    if missing > 0:  # a page break with no blank line before it may part two cells after the anchor column
        cells = cells[: m_start + n] + _split_at_page_breaks(lines, cells[m_start + n :], missing)
    columns: dict[str, list[_Cell]] = {}
    for k, role in enumerate(roles):
        if k < k_m:
            continue
        a = m_start + (k - k_m) * n
        columns[role] = cells[a : a + n]
    # Columns before the anchor (the names): the n cells before them, mending joiner breaks.
    before = cells[:m_start]
    for k in range(k_m - 1, -1, -1):
        col: list[_Cell] = []
        while before and len(col) < n:
            c = before.pop()
            while before and before[-1].text and before[-1].text[-1] in cfg["joiners"]:
                prev = before.pop()
                c = _Cell(prev.line_indexes + c.line_indexes, prev.text + c.text, prev.offsets + c.offsets)
            col.insert(0, c)
        columns[roles[k]] = col
    after = len(cells) - (m_start + (len(roles) - k_m) * n)
    sizes = {r: len(c) for r, c in columns.items()}
    if len(set(sizes.values())) != 1 or after != 0:
        doc.warn(lines[head].line, "hub_columns_unequal",
                 f"hub list: columns have {sizes} cells and {after} cell(s) left over; rows may be misaligned")
    category = _category(lines, min(c.first for col in columns.values() for c in col) if n else head,
                         cfg["categories"])
    hub_columns = {r: [_from_text_cell(doc, lines, c, seps) for c in col] for r, col in columns.items()}
    return _rows(doc, cfg, orgs, pl, hub_columns, n, category)


def _split_at_page_breaks(lines: list[ViewLine], cells: list[_Cell], missing: int) -> list[_Cell]:
    """``cells`` with up to ``missing`` of them parted where a line inside them opens a page (京都商工会議所 /
    \f福岡先端システム…: two cells a page break joined, no blank line between them), the last first."""
    out: list[_Cell] = []
    for cell in reversed(cells):
        idxs = cell.line_indexes
        cut = next((k for k in range(len(idxs) - 1, 0, -1) if lines[idxs[k]].text.startswith("\f")), None)
        if missing > 0 and cut is not None:
            out += [_cell(lines, idxs[cut:]), _cell(lines, idxs[:cut])]
            missing -= 1
        else:
            out.append(cell)
    return out[::-1]


def _labels(cfg: dict[str, Any]) -> tuple[dict[str, str], re.Pattern[str], frozenset[str]] | None:
    """(column of each label, the pattern of a label opening a line's text, the typed labels) of the
    hubs' rules; None without label separators. Made once per rules (the callers read them, never change them)."""
    return _labels_of(cfg.get("label_separators") or "",
                      tuple((role, tuple(labels)) for role, labels in cfg["columns"].items()),
                      tuple(cfg.get("label_prefixes") or ()), tuple(cfg.get("typed_labels") or ()))


@functools.lru_cache(maxsize=8)
def _labels_of(label_seps: str, columns: tuple[tuple[str, tuple[str, ...]], ...], label_prefixes: tuple[str, ...],
               typed_labels: tuple[str, ...]) -> tuple[dict[str, str], re.Pattern[str], frozenset[str]] | None:
    if not label_seps:
        return None
    role_of = {canonical_text(label): role for role, labels in columns for label in labels}
    for label, role in list(role_of.items()):  # 参画大学等 is 参画大学, 提案企業 is 提案企業等
        role_of.setdefault(label[:-1] if label.endswith("等") else label + "等", role)
    sep = "[" + "".join(map(re.escape, label_seps)) + "]"
    # A label may carry a word in front (主な参画大学, 参加自治体: 参画大学, 自治体; label_prefixes).
    prefixes = "|".join(re.escape(w) for w in label_prefixes)
    words = "|".join(re.escape(x) for x in sorted(role_of, key=len, reverse=True))
    front = f"(?:{prefixes})?" if prefixes else ""
    # Or in brackets, with or without a separator after them (【拠点名】あおもり農工連携拠点).
    label_re = re.compile(f"(?:{front}(?P<label>{words})(?={sep}){sep}+"
                          f"|[【\\[〔〈<]{front}(?P<blabel>{words})[】\\]〕〉>]{sep}*)")
    typed = {canonical_text(label) for label in typed_labels}
    typed |= {label[:-1] if label.endswith("等") else label + "等" for label in typed}
    return role_of, label_re, frozenset(typed)


def _labelled(doc: Document, lines: list[ViewLine], cfg: dict[str, Any], orgs: OrganizationExtractor,
              pl: PlaceExtractor) -> list[dict[str, Any]]:
    """Hubs printed as labelled blocks, one per hub: 拠点名:name, then 提案自治体:…, 提案大学等:… (any
    column label of rules/hubs.yaml, a separator after it). Items under a label of ``typed_labels``
    (参画機関: a mix) go to the column of their type: universities, local governments, else partners.
    A value may wrap onto unlabelled lines (not onto the next page); a block ends at a blank line, a
    heading or the next name."""
    seps, marks = cfg["item_separators"], cfg["heading_marks"]
    labels = _labels(cfg)
    if labels is None:
        return []
    role_of, label_re, typed = labels
    bullet_marks = bullets(doc)
    weak = {canonical_text(label) for label in cfg.get("weak_name_labels") or []}
    column_of_type = {t: role for role, t in cfg["organization_columns"].items()}
    endings = tuple(cfg.get("heading_name_endings") or ())

    # Each block: its first line, then (role, label, value start in the view, line indexes) per value.
    blocks: list[tuple[int, list[tuple[str, str, int, list[int]]]]] = []
    named_lines: set[int] = set()  # lines that are hubs' names (behind a mark or a list number), no headings
    wrapped: list[int] | None = None  # the line indexes of the value a wrapped line continues
    for i, ln in enumerate(lines):
        stripped = ln.text.strip()
        if ln.text.startswith("\f"):
            wrapped = None  # a value does not wrap onto the next page
        # A label may follow a list mark or number (○拠点名:…, ・参画機関:…, (1)拠点名:…).
        m = label_re.match(ln.text, item_lead(doc, ln.start, ln.text, bullet_marks)) if stripped else None
        bracketed = m is None and _BRACKET_LABEL.match(stripped) is not None  # 【事業期間】5年間: a label
        if (m is None and not bracketed and stripped.startswith(tuple(marks)) and endings
                and (at := _heading_name_at(ln.text, endings, cfg, bullet_marks)) is not None
                and i + 1 < len(lines) and (nxt := label_re.match(lines[i + 1].text,
                                                                  leading_bullets(lines[i + 1].text, bullet_marks)))
                and role_of[nxt.group("label") or nxt.group("blabel")] != "name"):
            # ■北の未来食産業共創拠点 over 代表機関：…: a hub's name behind a heading's mark (its labels follow
            # at once, with no name label of their own), not a heading over hubs
            wrapped = None
            blocks.append((i, [("name", "", ln.start + at, [i])]))
            named_lines.add(i)
            continue
        if m is None and not bracketed and (not stripped or stripped.startswith(tuple(marks))):
            wrapped = None
            if blocks and blocks[-1][1]:
                blocks.append((i, []))  # closed: the next value needs a name first
            continue
        if m is None:
            if (i + 1 < len(lines) and (nxt := label_re.match(lines[i + 1].text,
                                                            leading_bullets(lines[i + 1].text, bullet_marks)))
                    and role_of[label_of := nxt.group("label") or nxt.group("blabel")] == cfg["anchor_column"]
                    and label_of not in typed and (at := _block_name_at(ln.text, cfg, bullet_marks)) is not None):
                # 【北海道】さっぽろヘルス… over 自治体：北海道、札幌市: a hub's name, whatever it ends in, when
                # its local governments' label follows it
                wrapped = None
                blocks.append((i, [("name", "", ln.start + at, [i])]))
                named_lines.add(i)
                continue
            if _OTHER_LABEL.match(stripped, len(stripped) - len(stripped.lstrip(bullet_marks + " "))):
                wrapped = None  # a label of no column (担当:…) ends the value above; it wraps into nothing
            elif wrapped is not None and "\t" in doc.source.text[ln.src_start : ln.src_end]:
                wrapped = None  # a table's row (cells a tab apart, as a PDF's table is written) is no value's wrap
            elif (endings and (at := _heading_name_at(ln.text, endings, cfg, bullet_marks)) is not None
                  and i + 1 < len(lines) and (nxt := label_re.match(lines[i + 1].text,
                                                                    leading_bullets(lines[i + 1].text, bullet_marks)))
                  and role_of[nxt.group("label") or nxt.group("blabel")] != "name"):
                # (1)つくば…拠点 over ［地域］…: a hub's name with no label of its own (no heading of the next hubs)
                wrapped = None
                blocks.append((i, [("name", "", ln.start + at, [i])]))
                named_lines.add(i)
            elif wrapped is not None:
                wrapped.append(i)
            continue
        label = m.group("label") or m.group("blabel")
        role = role_of[label]
        if role == "name":
            blocks.append((i, []))
        elif not blocks or not blocks[-1][1]:
            wrapped = None
            continue  # a label outside a hub's block
        wrapped = [i]
        blocks[-1][1].append((role, label, ln.start + m.end(), wrapped))

    rows: list[dict[str, Any]] = []
    for first, values in blocks:
        if not values or values[0][0] != "name":
            continue
        cells: dict[str, list[_HubCell]] = {role: [] for role in cfg["columns"]}
        items: dict[str, list[tuple[str, int, int]]] = {role: [] for role in cfg["columns"] if role != "name"}
        for role, label, start, idxs in values:
            cell = _from_text_cell(doc, lines, _value_cell(lines, start, idxs), seps)
            if role == "name":
                if cell.text[-1:] in "】]〕" and not any(c in cell.text for c in "【[〔"):
                    cell = _HubCell(cell.text[:-1].rstrip(), cell.items, cell.line)  # …パーク】: inside the brackets
                elif cell.text.endswith("」") and (inner := _unquoted(pl, canonical_text(cell.text))) != (
                        canonical_text(cell.text)):  # 北海道　「…拠点」 over 関係自治体：…: the name in the quotes
                    cell = _HubCell(inner, cell.items, cell.line)
                if not cells["name"]:
                    cells["name"].append(cell)
                continue
            for item in cell.items:
                target = role
                if label in typed:
                    target = column_of_type.get(_item_kind(item[0], orgs, pl), role)
                items[target].append(item)
        name = cells["name"][0]
        if not name.text:
            continue
        name_label = next(label for role, label, _, _ in values if role == "name")
        if name_label in weak and not items.get(cfg["anchor_column"]):
            continue  # 地域名:… names a hub only with its local governments (a cluster's region has it too)
        for role, found in items.items():
            cells[role].append(_HubCell("", found, name.line))
        rows.extend(_rows(doc, cfg, orgs, pl, cells, 1, _heading_category(
            lines, first, cfg, tuple(cfg.get("labelled_category_suffixes") or ()), named_lines)))
    return rows


def _heading_name_at(text: str, endings: tuple[str, ...], cfg: dict[str, Any], marks: str) -> int | None:
    """Where a hub's name starts in a line that is nothing but that name, past a list number or mark
    ((1)つくば国際ナノテクノロジー拠点): it ends in one of ``endings``, is no sentence and names no known
    category; else None."""
    lead = leading_bullets(text, marks)
    numbered = ENUMERATOR.match(text, lead)
    at = numbered.end() if numbered else lead
    name = text[at:].strip()
    at += len(text[at:]) - len(text[at:].lstrip())
    if (whole := _WHOLE_BRACKETED.fullmatch(name)) is not None:  # 【北大リサーチ＆ビジネスパーク】: the name inside
        name, at = whole.group(1).strip(), at + 1
    if (not name or len(name) > _MAX_HEADING_NAME or "。" in name or not name.endswith(endings)
            or any(c in name for c in cfg["categories"]) or name[0] in cfg["heading_marks"]):
        return None
    return at


# A line that is one name in heading brackets, after NFKC (【…パーク】, [..拠点], 〔…〕).
_WHOLE_BRACKETED = re.compile(r"[【\[〔]([^【】\[\]〔〕]+)[】\]〕]")


_MAX_HEADING_NAME = 40

# A short label in brackets before a name on its line (【北海道】, ［愛知］): the name follows it.
_LEAD_BRACKET = re.compile(r"(?:【[^】]{1,10}】|\[[^\]]{1,10}\]|〔[^〕]{1,10}〕)\s*")


def _block_name_at(text: str, cfg: dict[str, Any], marks: str) -> int | None:
    """Where a hub's name starts in a line right above its local governments' label, past a list number or
    mark and a short label in brackets (【北海道】さっぽろヘルスイノベーション): a name of any ending that is
    no sentence and names no known category; else None."""
    lead = leading_bullets(text, marks)
    numbered = ENUMERATOR.match(text, lead)
    at = numbered.end() if numbered else lead
    bracket = _LEAD_BRACKET.match(text, at)
    if bracket is not None and bracket.end() < len(text.rstrip()):
        at = bracket.end()
    name = text[at:].strip()
    if (not name or len(name) > _MAX_HEADING_NAME or "。" in name or any(c in name for c in cfg["categories"])
            or name[0] in cfg["heading_marks"] or _OTHER_LABEL.match(name)):
        return None
    return at + len(text[at:]) - len(text[at:].lstrip())

# A label of its own on a line (after NFKC): a short word, then a colon (問合せ先:…, 提案者:…).
_OTHER_LABEL = re.compile(r"[^\s:、,。()]{1,10}:|【[^】]{1,10}】")
# A label in brackets with its value after it on the line (not a heading in brackets alone).
_BRACKET_LABEL = re.compile(r"【[^】]{1,10}】\s*\S")


def _value_cell(lines: list[ViewLine], start: int, idxs: list[int]) -> _Cell:
    """A labelled value as a cell: from view offset ``start`` on the first line, then the wrapped lines."""
    head = lines[idxs[0]]
    raw = head.text[start - head.start :]
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    offsets = list(range(start + lead, start + lead + len(text)))
    for j in idxs[1:]:
        more = lines[j].text.strip()
        at = lines[j].start + lines[j].text.index(more[0])
        if more[0] in _ITEM_BULLETS:
            more = "、" + more[1:]  # ・東北大学 / ・宮城県 under 参画機関：, an item a line: the bullet parts the items
        text += more
        offsets.extend(range(at, at + len(more)))
    return _Cell(idxs, text, offsets)


_ITEM_BULLETS = "・●○◦-－"  # (after NFKC)


_MAX_BADGE = 15
# What a badge of a hub's category never holds (after NFKC): a gap, a label's colon, a sentence's marks.
_BADGE_STOP = re.compile(r"[\s:、。]")


def _heading_category(lines: list[ViewLine], before: int, cfg: dict[str, Any], more: tuple[str, ...] = (),
                      names: set[int] | frozenset[int] = frozenset()) -> str:
    """The category of a labelled hub: a known category in the nearest heading above it, else that
    heading's own words when they end in one of ``category_suffixes`` (【地域産学官連携科学技術振興拠点】)
    or ``more``; a badge right over the hub's first line, a category alone (グローバル型), comes first. The
    lines of ``names`` (hubs' names behind a heading's mark) are no headings."""
    marks = cfg["heading_marks"]
    suffixes = (*(cfg.get("category_suffixes") or ()), *more)
    if before > 0 and before - 1 not in names and not lines[before - 1].blank:
        # グローバル型 right over the hub's first line, a card's badge: a word or two naming a category, alone
        badge = canonical_text(lines[before - 1].text).strip()
        if (badge and len(badge) <= _MAX_BADGE and _BADGE_STOP.search(badge) is None
                and (category := _list_heading(badge, cfg["categories"], suffixes, cfg))):
            return category
    for k in range(before - 1, -1, -1):
        if k in names:
            continue
        ln = lines[k]
        t = canonical_text(ln.text)
        # ２．地域産学官連携拠点（９拠点）: a numbered heading naming a category is one without a mark
        if t and t[0] not in marks and ENUMERATOR.match(t) and (category := _list_heading(
                t, cfg["categories"], (*(cfg.get("category_suffixes") or ()), *more), cfg)):
            return category
        if t and t[0] == "(" and t[-1] == ")" and t.count("(") == 1:
            # （グローバル拠点） alone on its line: a heading in round brackets, when its words name a category
            words = t[1:-1].strip()
            hits = [c for c in cfg["categories"] if c in words]
            if len(hits) == 1:
                return hits[0]
            if _ends_in(words, (*(cfg.get("category_suffixes") or ()), *more)):
                return words
            continue  # （単位：百万円）: no heading of hubs
        if not t or t[0] not in marks:
            continue
        if (lead := _LEAD_BRACKET.match(t)) is not None and lead.end() < len(t):
            continue  # 【北海道】さっぽろ…, 【参画機関】…: a label and its value, no heading
        hits = [c for c in cfg["categories"] if c in t]
        if len(hits) == 1:
            return hits[0]
        words = _heading_words(t, marks)
        if _ends_in(words, (*(cfg.get("category_suffixes") or ()), *more)):
            return words
        return ""
    return _category(lines, before, cfg["categories"])


def _without_number(text: str) -> str:
    """``text`` without a list or section number in front (2.地域産学官連携拠点, (1)つくば…拠点)."""
    numbered = ENUMERATOR.match(text)
    return text[numbered.end() :].lstrip() if numbered and numbered.end() < len(text) else text


_BRACKET_PAIRS = {"【": "】", "[": "]", "(": ")", "「": "」", "〔": "〕", "<": ">", "〈": "〉", "《": "》"}


def _heading_words(text: str, marks: str) -> str:
    """A heading's words (after NFKC): its marks and the brackets around it gone, a bracket inside kept
    (【地域共創分野（本格型）】: 地域共創分野(本格型)); a bracket left open at either end goes too."""
    words = text.strip(marks + " ")
    while len(words) > 1 and words[0] in _BRACKET_PAIRS and words.endswith(_BRACKET_PAIRS[words[0]]):
        words = words[1:-1].strip(marks + " ")
    if words and words[0] in _BRACKET_PAIRS and _BRACKET_PAIRS[words[0]] not in words:
        words = words[1:].strip()
    closers = {v: k for k, v in _BRACKET_PAIRS.items()}
    if words and words[-1] in closers and closers[words[-1]] not in words:
        words = words[:-1].strip()
    return words


def _ends_in(words: str, suffixes: tuple[str, ...]) -> bool:
    """Whether ``words`` end in one of ``suffixes``, before a bracket at their end (…拠点(第2期)) or inside it
    (地域共創分野(本格型): 型)."""
    return bool(suffixes) and (words.endswith(suffixes) or _TRAILING_BRACKET.sub("", words).endswith(suffixes)
                               or words.endswith(")") and words[:-1].endswith(suffixes))


_TRAILING_BRACKET = re.compile(r"\([^()]*\)$")


def _table_category(lines: list[ViewLine], before: int, cfg: dict[str, Any]) -> str:
    """The category of a hub table: its title (the nearest non-blank line above it, no sentence) when it
    names a known category or ends in one of ``category_suffixes`` (地域産学官連携拠点), else the nearest
    line above naming a known category."""
    title = next((ln for ln in reversed(lines[:before]) if not ln.blank), None)
    if title is not None and "。" not in title.text:
        t = _without_number(canonical_text(title.text))
        hits = [c for c in cfg["categories"] if c in t]
        words = _heading_words(t, cfg["heading_marks"])
        if len(hits) == 1:
            return hits[0]
        if not hits and len(words) <= 40 and _ends_in(words, tuple(cfg.get("category_suffixes") or ())):
            return words
    return _category(lines, before, cfg["categories"])


@dataclass
class _HubCell:
    """A cell ready for a row: its text, its list items with source spans, its source line."""

    text: str
    items: list[tuple[str, int, int]]
    line: int


def _from_text_cell(doc: Document, lines: list[ViewLine], cell: _Cell, seps: str) -> _HubCell:
    items = [(t, *doc.lines.to_source(a, b)) for t, a, b in _items(cell, seps)]
    return _HubCell(canonical_text(cell.text), _without_notes(doc, items), lines[cell.first].line)


_TAIL_NOTE = re.compile(r"\(([^()]+)\)$")  # a bracket closing an item (after NFKC)


def _without_notes(doc: Document, items: list[tuple[str, int, int]]) -> list[tuple[str, int, int]]:
    """``items`` without a bracket closing one that notes its role or standing (広島大学（幹事機関）, 呉市（予定）:
    ``item_notes``), nor a note's reference mark closing it (札幌市※1); its source span ends before them."""
    notes = set(doc.rules.get("hubs").get("item_notes") or ())
    text = doc.source.text
    out = []
    for t, a, b in items:
        note = _TAIL_NOTE.search(t)
        if note is not None and note.start() > 0 and note.group(1).strip() in notes:
            cut = max(text.rfind("(", a, b), text.rfind("（", a, b))
            if cut > a:
                while cut > a and text[cut - 1] in " \u3000":
                    cut -= 1
                t, b = t[: note.start()].rstrip(), cut
        ref = _TAIL_REF.search(t)
        if ref is not None and ref.start() > 0:  # 札幌市※1: a note's reference mark, no part of the name
            cut = max(text.rfind(mark, a, b) for mark in _REF_MARKS)
            if cut > a:
                while cut > a and text[cut - 1] in " \u3000":
                    cut -= 1
                t, b = t[: ref.start()].rstrip(), cut
        out.append((t, a, b))
    return out


_PROVISIONAL = "(仮称)"  # (after NFKC)
_TAIL_REF = re.compile(r"\s*[※*]\d{0,2}$")  # a note's reference mark closing an item (after NFKC)
_REF_MARKS = ("※", "*", "＊")


def _from_ruled_cell(doc: Document, cell: Cell, seps: str) -> _HubCell:
    items = []
    for m in _item_re(seps).finditer(cell.text):
        raw = m.group()
        lead = len(raw) - len(raw.lstrip())
        text = raw.strip()
        if not text:
            continue
        a = m.start() + lead
        if cell.breaks and (parts := _parts_at_breaks(doc, cell, a, a + len(text))):
            # 静岡大学 / 浜松医科大学: one name a line, no separator between them
            items.extend((canonical_text(cell.text[s:e]), *_cell_span(cell, s, e)) for s, e in parts)
            continue
        if not cell.offsets:
            items.append((canonical_text(text), cell.start + a, cell.start + a + len(text)))
            continue
        # A cell gathered from several lines: an item on one line spans its characters; one wrapped onto the
        # next line (福岡県 / バイオ産業拠点推進会議) spans its first line's part (its text's start).
        first = cell.offsets[a]
        k = a
        while k + 1 < a + len(text) and cell.offsets[k + 1] == cell.offsets[k] + 1:
            k += 1
        items.append((canonical_text(text), first, cell.offsets[k] + 1))
    return _HubCell(canonical_text(cell.text), _without_notes(doc, items), doc.line_of(cell.start))


def _cell_span(cell: Cell, s: int, e: int) -> tuple[int, int]:
    """The source span of ``cell.text[s:e]`` (text on one line of the cell)."""
    return (cell.offsets[s], cell.offsets[e - 1] + 1) if cell.offsets else (cell.start + s, cell.start + e)


def _parts_at_breaks(doc: Document, cell: Cell, a: int, b: int) -> list[tuple[int, int]] | None:
    """The item at [a, b) of a ruled cell cut at the cell's line breaks (``Cell.breaks``: a line ended short
    of the cell's edge) when every part names an organisation or a place by itself; else None (a name the
    designer broke by hand, 公益財団法人北海道科学技術 / 総合振興センター, stays one)."""
    cuts = [k for k in cell.breaks if a < k < b]
    if not cuts:
        return None
    orgs, pl = organization_extractor(doc.rules), place_extractor(doc.rules)
    bounds = [a, *cuts, b]
    parts = [(s, e) for s, e in zip(bounds, bounds[1:], strict=False)]
    for s, e in parts:
        name = canonical_text(cell.text[s:e])
        if not name or (_item_type(name, name, "municipality", orgs, pl) is None):
            return None
    return parts


def _roles_of(header: list[str], columns: dict[str, list[str]], count_endings: tuple[str, ...] = ()
              ) -> list[str | None]:
    """The column each header cell labels: its label exactly, else a label inside it, but not in a label
    of a count (``count_endings``: 参画企業数 counts the partners, it lists none of them; its role is
    ``COUNT_ROLE``, a column the table is known by, never read)."""
    roles: list[str | None] = []
    for text in header:
        flat = "".join(text.split())
        role = next((r for r, labels in columns.items() if any(flat == lb for lb in labels)), None)
        if role is None:
            role = next((r for r, labels in columns.items() if any(lb in flat for lb in labels)), None)
            if role is not None and count_endings and flat.endswith(count_endings):
                role = COUNT_ROLE
        roles.append(role)
    return roles


COUNT_ROLE = "count"
"""The role of a column counting members (参画企業数): it says the table is one of hubs, its figures are no names."""


def tab_tables(text: str) -> list[RuledTable]:
    """Tables typed with tabs (a spreadsheet pasted as text): runs of lines cut by tabs into the same
    number of cells (three or more), blank lines between rows allowed; cells point into ``text``."""
    tables: list[RuledTable] = []
    rows: list[tuple[Cell, ...]] = []
    pos = 0
    for line in [*text.split("\n"), ""]:
        start, pos = pos, pos + len(line) + 1
        if not line.strip():
            continue  # a blank line between rows (double spacing) neither ends nor breaks a table
        cells, at = [], start
        for raw in line.split("\t"):
            lead = len(raw) - len(raw.lstrip())
            cells.append(Cell(raw.strip(), at + lead, at + lead + len(raw.strip())))
            at += len(raw) + 1
        if len(cells) < 3 or rows and len(cells) != len(rows[0]):
            if len(rows) >= 2:
                tables.append(RuledTable(0, tuple(rows)))
            rows = [tuple(cells)] if len(cells) >= 3 else []
            continue
        rows.append(tuple(cells))
    if len(rows) >= 2:
        tables.append(RuledTable(0, tuple(rows)))
    return tables


def build_from_ruled_tables(doc: Document, orgs: OrganizationExtractor, pl: PlaceExtractor,
                            tables: list[RuledTable] | None = None) -> list[dict[str, Any]]:
    """Hubs from a ruled table (PDF) or ``tables``: the header row names the columns, each row is a hub."""
    cfg = doc.rules.get("hubs")
    rows: list[dict[str, Any]] = []
    lines = doc.view_lines(doc.lines)
    typed = {canonical_text(label) for label in cfg.get("typed_labels") or []}
    typed |= {label[:-1] if label.endswith("等") else label + "等" for label in typed}
    weak = {canonical_text(label) for label in cfg.get("weak_name_labels") or []}
    not_hub = {canonical_text(label) for label in cfg.get("not_hub_labels") or []}
    column_of_type = {t: role for role, t in cfg["organization_columns"].items()}
    for table in doc.source.ruled_tables if tables is None else tables:
        if len(table.rows) < 2:
            continue
        head = table.rows[0]
        plain = _roles_of([c.text for c in head], cfg["columns"], tuple(cfg.get("count_header_endings") or ()))
        roles = _named_by_endings(head, table.rows[1:], plain, cfg)
        # A column whose label is typed (主な参画機関: a mix) puts each item in the column of its type.
        typed_at = {k for k, c in enumerate(head) if roles[k] and _bare_label(c.text, cfg) in typed}
        # Three columns at least; two when the names end as hubs' do and the other column is a typed mix.
        if "name" not in roles or len([r for r in roles if r]) < (2 if roles != plain and typed_at else 3):
            continue
        if any("".join(c.text.split()) in not_hub for c in head):
            continue  # 地域名　クラスター名　中核機関: a list of clusters, each named in its own column
        name_label = _bare_label(head[roles.index("name")].text, cfg)
        if name_label in weak and cfg["anchor_column"] not in roles and not typed_at:
            continue  # 地域名 names a hub only beside local governments (a project table has it too)
        doc.furniture.append((head[0].start, head[-1].end))
        before = next((i for i, ln in enumerate(lines) if ln.src_end > head[0].start), len(lines))
        category = _table_category(lines, before, cfg)
        # A row of one cell inside the table (a merged row, 【地域中核産学官連携拠点】) is the category of
        # the rows under it.
        parts: list[tuple[str, list[tuple[Cell, ...]]]] = [(category, [])]
        for row in table.rows[1:]:
            filled = [c for c in row if c.text.strip()]
            if len(filled) == 1 and len(roles) > 1:
                title = canonical_text(filled[0].text).strip("【】[]〔〕<>〈〉■□●○◆◇ ")
                parts.append((title or category, []))
                continue
            parts[-1][1].append(row)
        for part_category, part_rows in parts:
            columns: dict[str, list[_HubCell]] = {r: [] for r in [*roles, *column_of_type.values()] if r}
            for row in part_rows:
                # The row's cell per column; two columns of one role (申請者, 主な参画機関) make one cell.
                line = doc.line_of(row[0].start)
                cells: dict[str, _HubCell] = {}
                for k, (role, cell) in enumerate(zip(roles, row, strict=False)):
                    if not role or role == COUNT_ROLE:
                        continue
                    read = _from_ruled_cell(doc, cell, cfg["item_separators"])
                    own = cells.setdefault(role, _HubCell(read.text, [], read.line))
                    for item in read.items:
                        target = column_of_type.get(_item_kind(item[0], orgs, pl), role) if k in typed_at else role
                        cells.setdefault(target, _HubCell("", [], line)).items.append(item)
                    if not own.text:
                        own.text = read.text
                for role in columns:
                    columns[role].append(cells.get(role) or _HubCell("", [], line))
            rows.extend(_rows(doc, cfg, orgs, pl, columns, len(part_rows), part_category))
    return rows


def _named_by_endings(head: tuple[Cell, ...], body: tuple[tuple[Cell, ...], ...], roles: list[str | None],
                      cfg: dict[str, Any]) -> list[str | None]:
    """``roles`` with the column under a label of ``ending_name_labels`` (事業名) as the name column when every
    cell of it (in rows of two cells or more) ends in one of ``heading_name_endings`` (…拠点); another
    name column (地域名) then names nothing."""
    labels = {canonical_text(x) for x in cfg.get("ending_name_labels") or ()}
    endings = tuple(cfg.get("heading_name_endings") or ())
    if not labels or not endings:
        return roles
    rows = [r for r in body if sum(1 for c in r if c.text.strip()) >= 2]
    for k, cell in enumerate(head):
        if canonical_text(cell.text) not in labels:
            continue
        names = [canonical_text(r[k].text) for r in rows if k < len(r) and r[k].text.strip()]
        if names and all(n.endswith(endings) for n in names):
            return ["name" if j == k else (None if r == "name" else r) for j, r in enumerate(roles)]
    return roles


def _bare_label(text: str, cfg: dict[str, Any]) -> str:
    """A header label without spaces and without a word of ``label_prefixes`` in front (主な参画機関); a label
    of the rules' own that opens with such a word keeps it (参画機関 is no 機関)."""
    flat = canonical_text(text)
    known = {canonical_text(x) for labels in cfg["columns"].values() for x in labels}
    known |= {canonical_text(x) for x in cfg.get("typed_labels") or ()}
    if flat in known or flat.removesuffix("等") in known:
        return flat.removesuffix("等") if flat not in known else flat
    for word in cfg.get("label_prefixes") or ():
        if flat.startswith(word) and len(flat) > len(word):
            return flat[len(word) :]
    return flat


def _item_kind(item: str, orgs: OrganizationExtractor, pl: PlaceExtractor) -> str:
    """The type of an item of a typed column or label: its organisation type, a whole prefecture or
    city as a local government, else other."""
    kind = _item_type(item, orgs.canonical(item), "other", orgs, pl)
    if kind is None:  # a whole item that is a prefecture or a city, town or village
        kind = _item_type(item, orgs.canonical(item), "municipality", orgs, pl)
        kind = "municipality" if kind == "municipality" else None
    return kind or "other"


def _rows(doc: Document, cfg: dict[str, Any], orgs: OrganizationExtractor, pl: PlaceExtractor,
          columns: dict[str, list[_HubCell]], n: int, category: str) -> list[dict[str, Any]]:
    """One row per hub: every column of ``rules/hubs.yaml`` read, organisation columns as mentions."""
    rows = []
    org_columns: dict[str, str] = cfg["organization_columns"]
    names_col = columns.get("name", [])
    own_above = ""  # the category column's last cell that held one
    for r in range(min(n, len(names_col))):
        name = names_col[r].text
        if (ref := _TAIL_REF.search(name)) is not None and ref.start() > 0:
            name = name[: ref.start()]  # …拠点※1: the note's reference mark is no part of the name
        if name.endswith(_PROVISIONAL) and len(name) > len(_PROVISIONAL):
            name = name[: -len(_PROVISIONAL)]  # …拠点（仮称）: a name not yet settled, the name all the same
        row: dict[str, Any] = {"category": category, "name": name, "line": names_col[r].line}
        for role in cfg["columns"]:
            if role == "name":
                continue
            cells = columns.get(role, [])
            if role == "category":  # a column of the hub's own category (区分: グローバル型) outranks a heading's
                own = canonical_text((cells[r].text or ";".join(t for t, _, _ in cells[r].items))
                                     if r < len(cells) else "")
                # A blank cell under one that held a category: the cell merged over both rows, or left blank
                # for the same category.
                own_above = own or own_above
                row["category"] = own_above or category
                continue
            if r >= len(cells):
                row[role] = ""
                continue
            default = org_columns.get(role)
            if default is None:
                row[role] = ";".join(t for t, _, _ in cells[r].items)
                continue  # a list column, not organisations
            names = []
            for text, s, e in _place_items(cells[r].items, pl):
                if _count_item(doc, text, s, e, orgs):
                    continue  # 参加企業: 42社, 大学等7機関: how many members, not one of them
                text, e = _without_list_end(*_without_rest_count(doc, text, s, e), orgs)
                while e > s and doc.source.text[e - 1] in " \u3000":
                    e -= 1  # (…連合会　ほか１２機関: the space before ほか is no part of the name)
                # As the organisations table names it: legal forms spelled out, no legal person in front.
                name = orgs.without_legal_person(orgs.canonical(text))
                names.append(name)
                doc.add_source_span(s, e, "organization", name, "hub.cell",
                                    _item_type(text, name, default, orgs, pl) or default)
            row[role] = ";".join(names)
        rows.append(row)
    return rows


_LIST_ENDS = ("ほか", "など", "他", "等")
_NUMERALS = frozenset("0123456789〇一二三四五六七八九十百千")


def _without_rest_count(doc: Document, text: str, start: int, end: int) -> tuple[str, int]:
    """A list's last item without the count of the rest after it (群馬県商工会議所連合会　ほか１２機関: the count
    goes, the ほか that closes the list is :func:`_without_list_end`'s); ``end`` moved with it."""
    if _NUMERALS.isdisjoint(text):
        return text, end
    found = [m for m in doc.mentions_in(start, end, ("count",)) if m.end == end]
    if not found:
        return text, end
    before = doc.source.text[start : found[0].start].rstrip(" \u3000")
    kept = canonical_text(before)
    if not kept.endswith(_LIST_ENDS) or not text.startswith(kept):
        return text, end
    return kept, start + len(before)


def _count_item(doc: Document, text: str, start: int, end: int, orgs: OrganizationExtractor) -> bool:
    """Whether a cell item is a count of members (42社, 大学等7機関, 四十二社): a count ends it, and what
    comes before the count, past a closing ほか/等, names no organisation."""
    if _NUMERALS.isdisjoint(text):
        return False  # most items: no figure to look up
    found = [m for m in doc.mentions_in(start, end, ("count",)) if m.end == end]
    if not found:
        return False
    before = canonical_text(doc.source.text[start : found[0].start])
    for word in _LIST_ENDS:
        before = before.removesuffix(word)
    return not before or orgs.type_of(orgs.canonical(before)) is None


def _place_items(items: list[tuple[str, int, int]], pl: PlaceExtractor) -> list[tuple[str, int, int]]:
    """``items`` with an item of places joined by ・ (静岡県・浜松市), or a prefecture's full name right before a
    city's (北海道函館市: a cell's two lines joined), cut into one item per place, each with its own source span
    (when the item's text is as long as its source span)."""
    out: list[tuple[str, int, int]] = []
    for text, s, e in items:
        if len(text) == e - s and (k := pl.prefecture_before_city(text)):
            out += [(text[:k], s, s + k), (text[k:], s + k, e)]  # 北海道 / 函館市 on a cell's two lines, joined
            continue
        if "・" not in text or len(text) != e - s or not pl.is_place_list(text):
            out.append((text, s, e))
            continue
        at = 0
        for part in text.split("・"):
            if part:
                out.append((part, s + at, s + at + len(part)))
            at += len(part) + 1
    return out


def _without_list_end(text: str, end: int, orgs: OrganizationExtractor) -> tuple[str, int]:
    """A list's last item without the ほか/等 that closes the list (青森商工会議所ほか), when what is left
    names an organisation; ``end`` moved with it."""
    for word in _LIST_ENDS:
        if text.endswith(word) and len(text) > len(word) + 1 and orgs.type_of(orgs.canonical(text[: -len(word)])):
            return text[: -len(word)], end - len(word)
    return text, end


TABLE = Table(
    "hubs",
    "One row per selected industry-academia-government hub (拠点).",
    (
        DOC,
        column("category", STRING, "Hub category (地域中核産学官連携拠点, グローバル産学官連携拠点...)."),
        column("name", STRING, "Hub name.", True),
        column("municipalities", STRING, "Proposing local governments, ';'-joined."),
        column("universities", STRING, "Proposing universities, ';'-joined."),
        column("partners", STRING, "Proposing companies, associations and chambers, ';'-joined."),
        LINE,
    ),
    ("name",),
    builder=build,
    rules_file="hubs",
    rule_keys={
        "categories": list, "columns": dict, "columns.name": list, "anchor_column": str,
        "organization_columns": dict, "heading_marks": str, "item_separators": str, "joiners": str,
    },
    rule_ids=("hub.cell", "hub.university_list", "hub.listed", "hub.sentence"),
    renames=("category",),
    links=(
        LinkTable("hub_universities", "universities", "hub", "university",
                  "One row per university proposing a hub (hubs.universities split)."),
        LinkTable("hub_municipalities", "municipalities", "hub", "municipality",
                  "One row per local government proposing a hub (hubs.municipalities split)."),
        LinkTable("hub_partners", "partners", "hub", "partner",
                  "One row per company, association or chamber proposing a hub (hubs.partners split)."),
    ),
)
