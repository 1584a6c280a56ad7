"""Issue 18, the stages past tokenisation: each fast path gives the same answers as a plain reference
version written here, on the seed and on random and hostile inputs.

- name runs: array tests over the Doc's attributes against spaCy's ``Matcher`` token by token;
- layout: the whole repair against ``tests/layout_reference.py`` (the per-character version), display
  widths against ``east_asian_width``;
- the Document's view lines and line starts, ``Span.at``, the table builders' prefilters (hubs header,
  budget lines, ended notes, brackets), the organisation extractor's prefilters and caches, and the date
  regex's first-character lookahead, each against the plain loop or regex.

Random inputs are mixtures of seed lines and hostile pieces (furniture, overprinting, letter spacing,
NFKC that lengthens or shortens, Latin letters next to names), and the seed with lines dropped, doubled
or moved.
"""

from __future__ import annotations

import bisect
import copy
import dataclasses
import random
import re

import pytest
from spacy.matcher import Matcher

from pipeline.core.document import Document
from pipeline.core.rules import cached_rules
from pipeline.core.spans import Span
from pipeline.engine import STAGES
from pipeline.extractors.organizations import organization_extractor
from pipeline.extractors.runs import NameRuns, name_runs
from pipeline.readers.ingest import source_from_text
from pipeline.text.layout import repair_layout
from pipeline.text.tokens import japanese_nlp

from .conftest import RULES, SEED

# -- name runs --------------------------------------------------------------------------------------


def _runs_reference(nr: NameRuns, patterns: list, text: str) -> list[tuple[int, int]]:
    """Name runs as first written: the Matcher marks tokens over the whole Doc; on every line holding a
    cue word, adjacent marked tokens make a run, and a run is cut at whitespace."""
    doc = japanese_nlp().make_doc(text)
    matcher = Matcher(doc.vocab)
    matcher.add("NAME_TOKEN", patterns)
    marked = {s for _, s, _ in matcher(doc)}
    cue_lines = set()
    for m in nr.cue_re.finditer(text):
        a = text.rfind("\n", 0, m.start()) + 1
        b = text.find("\n", m.end())
        cue_lines.add((a, len(text) if b < 0 else b))
    spans = []
    for a, b in cue_lines:
        inside = [t.i for t in doc if a <= t.idx < b]
        runs: list[list[int]] = []
        for i in inside:
            if i in marked:
                if runs and runs[-1][1] == i:
                    runs[-1][1] = i + 1
                else:
                    runs.append([i, i + 1])
        for s, e in runs:
            ra = doc[s].idx
            rb = doc[e].idx if e < len(doc) else len(text)
            spans += [(ra + m.start(), ra + m.end()) for m in re.finditer(r"\S+", text[ra:rb])]
    return sorted(spans)


def _rules_patterns() -> list:
    org = cached_rules(RULES).get("organizations")
    return [org["name_run_pattern"], [{"ORTH": {"IN": list(org["name_run_words"])}}]]


_PIECES = ["大学", "機構", "研究所", "株式会社", "(株)", "フォーラム", "第3回", "第12回", "浜松", "医科", "静岡",
           "工業", "技術", "センター", "等", "ら", "の", "と", "、", "。", "高等", "専門", "学校", "1", "23",
           "四", "百", " ", "  ", "\u3000", "\t", "\n", "\n\n", "-", "EU", "abc", "する", "した", "先端", "・",
           "「", "」", "(", ")", "協議会", "推進", "会議", "シンポジウム", "県", "市"]


def _random_text(rng: random.Random, seed_lines: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 60)):
        if rng.random() < 0.15:
            parts.append(rng.choice(seed_lines))
        else:
            parts.append(rng.choice(_PIECES))
    return "".join(parts)


def _random_patterns(rng: random.Random) -> list:
    pos = ["NOUN", "PROPN", "NUM", "VERB", "ADP", "SYM", "PUNCT", "SPACE", "ADJ"]
    words = ["等", "ら", "大学", "の", "高等", "技術", "1", " "]
    tags = ["名詞-普通名詞", "名詞-固有名詞", "名詞-数詞", "補助記号-一般", "空白"]
    out = []
    for _ in range(rng.randint(1, 3)):
        spec: dict = {}
        if rng.random() < 0.7:
            spec["POS"] = {rng.choice(["IN", "NOT_IN"]): rng.sample(pos, rng.randint(1, 4))}
        if rng.random() < 0.5:
            spec["ORTH"] = {rng.choice(["IN", "NOT_IN"]): rng.sample(words, rng.randint(1, 4))}
        if rng.random() < 0.3:
            spec["TAG"] = rng.choice(tags) if rng.random() < 0.5 else {"IN": rng.sample(tags, 2)}
        out.append([spec or {"POS": "NOUN"}])
    return out


def test_name_runs_rules_pattern_takes_the_array_path() -> None:
    assert name_runs(cached_rules(RULES)).tests is not None


def test_name_runs_match_the_matcher_on_the_seed() -> None:
    rules = cached_rules(RULES)
    text = repair_layout(SEED.read_text(encoding="utf-8"), rules.get("layout")).flow.text
    nr = name_runs(rules)
    got = nr.find(japanese_nlp().make_doc(text), text)
    assert len(got) > 100
    assert got == _runs_reference(nr, _rules_patterns(), text)


@pytest.mark.parametrize("seed", range(4))
def test_name_runs_match_the_matcher_on_random_text_and_patterns(seed: int) -> None:
    """Random texts of cue words, names, digits, spaces and line breaks; the rules' patterns and random
    POS/ORTH/TAG IN/NOT_IN patterns; now and then a pattern outside the compiled subset (the Matcher's path)."""
    rng = random.Random(seed)
    seed_lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    base = name_runs(cached_rules(RULES))
    vocab = japanese_nlp().vocab
    for i in range(60):
        patterns = _rules_patterns() if i % 3 == 0 else _random_patterns(rng)
        if i % 10 == 9:
            patterns = patterns + [[{"LENGTH": {">=": 3}}]]
        nr = copy.copy(base)
        nr.use_patterns(patterns, vocab)
        assert (nr.tests is None) == (i % 10 == 9)
        text = _random_text(rng, seed_lines)
        want = _runs_reference(nr, patterns, text)
        assert nr.find(japanese_nlp().make_doc(text), text) == want, (patterns, text)


# -- layout -----------------------------------------------------------------------------------------

_LAYOUT_PIECES = [
    "地域の産学官連携を推進する", "ことにより", "研究開発を行い", "。", "、", "\n", "\n", "\n\n", "\n\n\n",
    "  ", "\u3000", "\t", "\f", "\f\n", "12", "1312", "- 12 -", "3 / 20", "P.12", "ページ",
    "ＡＢＣ", "１２３", "㈱", "(株)", "ｶﾞｷﾞｸﾞ", "ﾊﾟ", "ﾟ", "e\u0301", "\u0301", "\u1100\u1161", "①",
    "浜松医科浜松医科大学と静岡大学と静岡大学が参加", "安心安心・安全か安全かつ", "手術手術", "ますます",
    "関　東", "基 本 技 術", "九 州", "A B", "・", "●", "※", "【", "を", "に", "約", "100億円", "億円",
    "第", "8回", "abc", "  インデント", "    さらに", "。」", "\udc80", "x" * 30, "あ" * 40,
    "| 名称 | 142億円 |", "|---|---:|", "｜", "|", "\f| 1 |",
]


def _random_layout_text(rng: random.Random, seed_lines: list[str]) -> str:
    parts = []
    for _ in range(rng.randint(1, 80)):
        r = rng.random()
        if r < 0.2:
            parts.append(rng.choice(seed_lines) + "\n")
        elif r < 0.25:
            parts.append(rng.choice(_LAYOUT_PIECES) * rng.randint(2, 4))
        else:
            parts.append(rng.choice(_LAYOUT_PIECES))
    return "".join(parts)


def _same_layout(text: str) -> None:
    from . import layout_reference

    cfg = cached_rules(RULES).get("layout")
    got, want = repair_layout(text, cfg), layout_reference.repair_layout(text, cfg)
    for view in ("lines", "flow"):
        g, w = getattr(got, view), getattr(want, view)
        assert (g.text, list(g.origin), g.source_len, g.wide) == (w.text, list(w.origin), w.source_len, w.wide), (
            view, text)


def test_layout_matches_the_per_character_version_on_the_seed() -> None:
    _same_layout(SEED.read_text(encoding="utf-8"))


def test_layout_matches_the_per_character_version_on_vertical_runs() -> None:
    """Lines of one character each (vertical text printed a character per line), runs long and short."""
    _same_layout("概要\n平\n成\n21\n年\n度\nの\n予\n算\n\n1\n2\n3\n4\n北\n海\n道\n\n東\n北\n大\n学\nです。\n")


@pytest.mark.parametrize("seed", range(6))
def test_layout_matches_the_per_character_version_on_random_text(seed: int) -> None:
    """Wrapped prose, furniture, overprinted runs, letter spacing, NFKC that lengthens (㈱), shortens
    (ｶﾞ, jamo) or keeps lengths (Ａ), tabs, form feeds, a lone surrogate, in random mixtures."""
    rng = random.Random(seed)
    seed_lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    for _ in range(80):
        _same_layout(_random_layout_text(rng, seed_lines))


@pytest.mark.parametrize("text", [
    "", "\n", "\n\n\n", "あ", "手術手術手術手術\n" * 50, "安心" * 3000, "関 東 " * 2000, "ｶﾞ" * 3000,
    ("研究を行う\n\n" * 300), "1\n\n2\n\n3\n", "\f\n12\n\f", "㈱" * 500 + "\n" + "\u1100\u1161" * 500,
])
def test_layout_matches_the_per_character_version_on_hostile_text(text: str) -> None:
    _same_layout(text)


def test_display_width_matches_east_asian_width() -> None:
    import unicodedata

    from pipeline.text.layout import display_width

    rng = random.Random(7)
    for _ in range(300):
        s = "".join(chr(rng.choice([rng.randrange(0x20, 0x7f), rng.randrange(0x3000, 0x9fff),
                                    rng.randrange(0xff00, 0xffef), rng.randrange(0x80, 0x3000)]))
                    for _ in range(rng.randint(0, 30)))
        assert display_width(s) == sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in s)


# -- documents, tables, organisations, dates --------------------------------------------------------


def _seeded_document(text: str, upto: str) -> Document:
    rules = cached_rules(RULES)
    source = source_from_text(text, doc="t")
    layout = repair_layout(source.text, rules.get("layout"))
    doc = Document(source, rules, layout.lines, layout.flow)
    for name, stage in STAGES:
        if name == upto:
            break
        stage(doc)
    return doc


def _texts(n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    seed_lines = [ln for ln in SEED.read_text(encoding="utf-8").splitlines() if ln.strip()]
    seed_text = SEED.read_text(encoding="utf-8")
    mutated = []  # the seed with lines dropped, doubled or moved: its tables half kept
    for _ in range(n // 2):
        lines = seed_text.split("\n")
        for _ in range(rng.randint(1, 40)):
            k = rng.randrange(len(lines))
            op = rng.random()
            if op < 0.4:
                del lines[k]
            elif op < 0.7:
                lines.insert(k, lines[k])
            else:
                lines.insert(rng.randrange(len(lines)), lines.pop(k))
        mutated.append("\n".join(lines))
    # Documents hold no lone surrogates (ingest decodes UTF-8); layout alone is tried with one above.
    return [seed_text, *mutated] + [_random_layout_text(rng, seed_lines).replace("\udc80", "")
                                    for _ in range(n - n // 2)]


def test_view_lines_and_line_starts_match_to_source_and_a_scan() -> None:
    """Each view line as ``to_source``, ``line_of`` and ``strip`` give it; line starts as a scan finds them."""
    for text in _texts(40, seed=11):
        doc = _seeded_document(text, "tokens")
        src = doc.source.text
        assert doc._line_starts == [0] + [i + 1 for i, ch in enumerate(src) if ch == "\n"]
        for view in (doc.lines, doc.flow):
            want = []
            for a, b in view.line_spans():
                if a < b:
                    s, e = view.to_source(a, b)
                else:
                    s = e = view.origin[a] if a < len(view.origin) else len(src)
                want.append((view.text[a:b], a, b, s, e, bisect.bisect_right(doc._line_starts, s),
                             not view.text[a:b].strip()))
            assert [tuple(v) for v in doc.view_lines(view)] == want


def test_span_at_is_dataclasses_replace() -> None:
    """Every field set to a value other than its default: a field ``at`` forgot would differ."""
    values = {"kind": "count", "start": 1, "end": 2, "value": "3", "rule": "count.counter", "unit": "社",
              "approx": True, "org_type": "company", "bound": ">="}
    assert {f.name for f in dataclasses.fields(Span)} == set(values)
    span = Span(**values)
    assert span.at(10, 20) == dataclasses.replace(span, start=10, end=20)


def _header_reference(lines: list, columns: dict[str, list[str]]):  # type: ignore[no-untyped-def]
    for i, ln in enumerate(lines):
        flat = "".join(ln.text.split())
        found, taken = [], []
        for role, labels in columns.items():
            for label in sorted(labels, key=len, reverse=True):
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


def test_hubs_header_matches_the_unfiltered_scan() -> None:
    from pipeline.tables.hubs import _header

    columns = cached_rules(RULES).get("hubs")["columns"]
    labels = [w for ws in columns.values() for w in ws] + ["拠 点 名", "拠点", "名"]
    rng = random.Random(12)
    for text in _texts(20, seed=12):
        lines = text.split("\n")
        for _ in range(10):  # header-like lines inserted at random
            k = rng.randrange(len(lines) + 1)
            lines.insert(k, " ".join(rng.choice(labels) for _ in range(rng.randint(1, 5))))
        doc = _seeded_document("\n".join(lines), "tokens")
        view = doc.view_lines(doc.lines)
        for cols in (columns, {"name": []}, {k: v for k, v in columns.items() if k != "name"},
                     {"partners": columns["partners"], "name": columns["name"], "universities": ["大学"]}):
            assert _header(view, cols) == _header_reference(view, cols)


def _outer_brackets_reference(text: str) -> list[tuple[int, int]]:
    pairs, depth, opened = [], 0, 0
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


def test_outer_brackets_match_the_scan() -> None:
    from pipeline.tables.events import outer_brackets

    rng = random.Random(13)
    for _ in range(2000):
        text = "".join(rng.choice("()ab日(") for _ in range(rng.randint(0, 12)))
        assert outer_brackets(text) == _outer_brackets_reference(text)


def test_budget_and_note_prefilters_change_nothing() -> None:
    """The budget lines read with and without the amount prefilter, the ended notes with and without the
    marker prefilter (both references are the loops as first written)."""
    from pipeline.tables import budget, projects
    from pipeline.tables.common import fiscal_year_of, line_mentions

    def collect_reference(doc, lines, cfg, ministries):  # type: ignore[no-untyped-def]
        items, seen = [], set()
        partial = tuple(cfg.get("partial_prefixes") or ())
        for idx, ln in enumerate(lines):
            for k, (label, m) in enumerate(budget._segments(doc, ln)):
                name = budget._clean_label(label, cfg, budget.bullets(doc))
                if not name and k > 0:
                    continue
                if not name:
                    prev = next((p for p in reversed(lines[:idx]) if not p.blank), None)
                    if prev is not None and not line_mentions(doc, prev, ("amount",)):
                        name = budget._clean_label(prev.text, cfg, budget.bullets(doc))
                ministry = next((g for g in ministries if g in name), None)
                if ministry:
                    name = ministry
                if not budget._is_item(name, cfg) or any(w in name for w in cfg["comparison_words"]):
                    continue
                if name in seen:
                    doc.warn(ln.line, "budget_duplicate_item", f"{name}: listed twice; kept the first")
                    continue
                seen.add(name)
                indent = len(ln.text) - len(ln.text.lstrip()) if k == 0 else None
                items.append(budget._Item(name, int(m.value), ln.line, bool(ministry), indent=indent,
                                          partial=bool(partial) and not ministry and name.startswith(partial)))
        return items

    def notes_reference(doc, lines, cfg):  # type: ignore[no-untyped-def]
        out = {}
        for ln in lines:
            t = ln.text.strip()
            for mk in cfg["note_markers"]:
                m = re.match(re.escape(mk) + r"\d*", t)
                if not m or not any(w in t for w in cfg["ended_words"]):
                    continue
                dates = line_mentions(doc, ln, ("period", "date"))
                if dates:
                    year = fiscal_year_of(dates[0])
                    if year is not None:
                        out.setdefault(m.group(), year)
        return out

    rules = cached_rules(RULES)
    ministries = set(organization_extractor(rules).named("government"))
    for text in _texts(15, seed=14):
        doc = _seeded_document(text, "tables")
        lines = doc.view_lines(doc.lines)
        before = len(doc.warnings)
        got = budget._collect(doc, lines, rules.get("budget"), ministries)
        warned = doc.warnings[before:]
        del doc.warnings[before:]
        assert got == collect_reference(doc, lines, rules.get("budget"), ministries)
        assert doc.warnings[before:] == warned
        assert any(got) or text != SEED.read_text(encoding="utf-8")
        for cfg in (rules.get("projects"), {**rules.get("projects"), "note_markers": ["※", "*", ""]}):
            assert projects._ended_notes(doc, lines, cfg) == notes_reference(doc, lines, cfg)


def test_organizations_match_the_extractor_without_prefilters() -> None:
    """The gazetteer regex without its first-character lookahead, every run tried for a legal person and
    stop words, names canonicalised and runs typed afresh each time: the same organisations, on the seed,
    mutated seeds and random text with Latin letters, legal persons, stop words and digits next to names,
    and runs too long to be remembered."""
    from pipeline.text.tokens import token_boundaries

    rules = cached_rules(RULES)
    fast = organization_extractor(rules)
    plain = copy.copy(fast)
    plain.gov_re = re.compile(fast.gov_re.pattern[fast.gov_re.pattern.index("])") + 2 :])
    assert plain.gov_re.pattern.startswith("(?<![A-Za-z])")
    plain._legal_person_firsts = ("",)
    plain._stop_firsts = ("",)
    plain.canonical = plain._canonical  # type: ignore[method-assign]

    class Forgetful(dict):  # type: ignore[type-arg]
        def __setitem__(self, key: object, value: object) -> None:
            pass

    plain._run_cache = Forgetful()  # every run worked out afresh
    rng = random.Random(15)
    names = list(fast.named_type) + fast.legal_persons + fast.stop_prefixes + [
        "A", "x", "12", "約580社11大学", "国立大学法人", "県", "同志社大学", "研究" * 120 + "機構", "abcJST"]
    texts = _texts(10, seed=15)
    for _ in range(200):
        texts.append("".join(rng.choice(names if rng.random() < 0.5 else _PIECES) for _ in range(rng.randint(1, 12))))
    # The same run after a Latin letter and after none (the cache keys a run by the character before it);
    # an acronym the rules know (JST) is no name of its own inside a longer Latin word (xJST).
    for text in ("xJST静岡大学、JST静岡大学", "JST静岡大学、xJST静岡大学"):
        a, b = text.index("JST"), text.rindex("JST")
        runs = [(a, a + 7), (b, b + 7)]
        assert fast.find(text, runs) == plain.find(text, runs)
        assert not any(m.rule == "org.abbreviation" for m in fast.find(text, runs))
    for text in ("xJST、JST。", "JST、xJST。"):
        found = [(m.start, m.value) for m in fast.find(text, []) if m.rule == "org.abbreviation"]
        assert found == [(text.index("JST、") if text.startswith("JST") else text.rindex("JST"), "科学技術振興機構")]
    nr = name_runs(rules)
    for text in texts:
        flow = repair_layout(text, rules.get("layout")).flow.text
        doc = japanese_nlp().make_doc(flow)
        runs = nr.find(doc, flow)
        starts = token_boundaries(doc)[0]
        assert fast.find(flow, runs, starts) == plain.find(flow, runs, starts)
        # Runs anywhere (the extractor takes any spans): a run after a Latin letter, inside a name ...
        cuts = sorted(rng.sample(range(len(flow) + 1), min(len(flow) + 1, 2 * rng.randint(1, 20))))
        anywhere = list(zip(cuts[::2], cuts[1::2], strict=False))
        assert fast.find(flow, anywhere, starts) == plain.find(flow, anywhere, starts)
        assert fast.find(flow, anywhere, None) == plain.find(flow, anywhere, None)


def test_date_lookahead_changes_no_match() -> None:
    """The date regex finds the same matches with and without its first-character lookahead."""
    from pipeline.extractors.numbers import NumberExtractor

    x = NumberExtractor(cached_rules(RULES))
    pattern = x.date_re.pattern
    assert pattern.startswith("(?=[")
    plain = re.compile(pattern[pattern.index("])") + 2 :])
    rng = random.Random(16)
    pieces = ["平成", "平 成", "令和", "昭和", "H", "R", "S", "元", "21", "2009", "二〇〇九", "十二", "年", "年度",
              "月", "日", "(土)", "(月・祝)", "~", "〜", "-", "/", ".", " ", "から", "まで", "第", "代", "A",
              "3", "5", "14", "(2020)", "(令和3)"]
    texts = _texts(6, seed=16) + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
                                  for _ in range(300)]
    for text in texts:
        assert [m.groupdict() | {"span": m.span()} for m in x.date_re.finditer(text)] == \
               [m.groupdict() | {"span": m.span()} for m in plain.finditer(text)]


def test_mentions_in_with_adds_between_lookups() -> None:
    """Mentions added in batches between lookups (the index takes them in at the next lookup): each
    lookup sees exactly the mentions added so far, as a scan of them all finds them."""
    doc = _seeded_document(SEED.read_text(encoding="utf-8"), "tokens")
    rng = random.Random(17)
    size = len(doc.source.text)
    for _ in range(200):
        for _ in range(rng.randint(0, 30)):
            start = rng.randrange(size - 10)
            doc.add_source_span(start, start + rng.randint(0, 9), rng.choice(["count", "organization"]), "x",
                                "org.suffix")
        start = rng.randrange(size)
        end = start + rng.randint(0, 300)
        kinds = rng.choice([("count",), ("organization",), ("count", "organization")])
        want = sorted((m for m in doc.mentions if m.kind in kinds and start <= m.start < end and m.end <= end),
                      key=lambda m: (m.start, m.end, id(m)))
        assert doc.mentions_in(start, end, kinds) == want


def test_event_label_regex_matches_the_label_loop() -> None:
    """events._label (one regex per label set) against the plain loop over the labels, on random text
    made of label characters, separators and characters a regex class must escape."""
    from pipeline.tables import events

    def plain(text: str, labels: list[str], seps: str) -> int | None:
        for word in labels:
            if text.startswith(word) and len(text) > len(word) and text[len(word)] in seps:
                return len(word) + len(text[len(word):]) - len(text[len(word):].lstrip(seps))
        return None

    rng = random.Random(3)
    cases = [(["開催日時", "日時", "日", "会場", "場所"], ": 　"), (["会場"], ":"), ([], ":"), (["日時"], ""),
             (["a-b", "]x"], "]-\\")]
    alphabet = list("開催日時会場所:：　 ab-]x\\")
    for _ in range(20000):
        labels, seps = rng.choice(cases)
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 8)))
        assert events._label(text, labels, seps) == plain(text, labels, seps), (text, labels, seps)


def test_budget_sorts_amount_starts_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """The budget builder's line prefilter sorts the amounts' starts once per document, not once per
    fiscal-year section (per section, a document of many sections took time in the square of its size);
    the rows are those of the seed's one overview, once per copy."""
    from pipeline.tables import budget

    text = "\n\n".join([SEED.read_text(encoding="utf-8")] * 4)
    doc = _seeded_document(text, "tables")
    calls: list[int] = []
    real = budget.mention_starts

    def counted(d: Document, kinds: tuple[str, ...]) -> list[int]:
        calls.append(1)
        return real(d, kinds)

    monkeypatch.setattr(budget, "mention_starts", counted)
    rows = budget.build(doc)
    assert len(calls) == 1
    one = budget.build(_seeded_document(SEED.read_text(encoding="utf-8"), "tables"))
    assert len(one) > 0 and len(rows) == 4 * len(one)


def test_row_checks_match_the_cell_by_cell_versions() -> None:
    """row_problems (required cells fetched together) and flag_formula_cells (one joined search per
    column first) against cell-by-cell versions, on random rows with None, "", NaN, missing columns,
    formula starts, separators inside cells and repeated keys."""
    import copy

    from pipeline.tables import TABLES, validate

    def problems_plain(name: str, rows: list[dict]) -> list[validate.RowProblem]:  # type: ignore[type-arg]
        must_have, key = validate.required_columns(name), validate.key_columns(name)
        seen: dict[tuple[str, ...], int] = {}
        out = []
        for i, row in enumerate(rows):
            empty = next((c for c in must_have if validate._empty(row.get(c))), None)
            if empty is not None:
                out.append(validate.RowProblem(i, f"{empty} is empty"))
                continue
            if key:
                k = tuple(str(row[c]) for c in key)
                if k in seen:
                    shown = ", ".join(f"{c}={row[c]!r}" for c in key)
                    out.append(validate.RowProblem(i, f"duplicate key ({shown})", seen[k]))
                    continue
                seen[k] = i
        return out

    def flagged_plain(rows: dict) -> list[tuple[str, str]]:  # type: ignore[type-arg]
        seen = []
        for name, table_rows in rows.items():
            if name == "warnings" or name not in TABLES:
                continue
            cols = [c.name for c in TABLES[name].columns if c.type == validate.STRING]
            for row in table_rows:
                for col in cols:
                    if validate.formula_like(row.get(col)) and (name, col, row.get(col)) not in seen:
                        seen.append((name, col, row.get(col)))
        return [(f"{n}.{c}", v) for n, c, v in seen]

    rng = random.Random(23)
    texts = [None, "", float("nan"), "=SUM(A1)", "-3", "+x", "@a", "\tt", "a\x00=b", "東北大学", "x"]
    others = [None, "", float("nan"), 0, 1, 7, True]
    for _ in range(300):
        name = rng.choice([n for n in TABLES if n != "warnings"])
        columns = TABLES[name].columns
        rows = []
        for _ in range(rng.randint(0, 12)):
            row = {c.name: rng.choice(texts if c.type == validate.STRING else others) for c in columns
                   if rng.random() > 0.03}
            rows.append(row)
            if rows and rng.random() < 0.2:
                rows.append(dict(rng.choice(rows)))
        assert validate.row_problems(name, rows) == problems_plain(name, rows)
        table = {name: copy.deepcopy(rows), "warnings": []}
        validate.flag_formula_cells(table)
        got = [w["message"].rsplit(" starts with ", 1)[0] for w in table["warnings"]
               if w["code"] == "formula_like_cell"]
        assert sorted(got) == sorted(f"{where} {value!r}" for where, value in flagged_plain({name: rows}))


# -- table builders: one scan of the text instead of a test per line, figures looked up in a list ------


def test_lines_holding_matches_a_search_per_line() -> None:
    """lines_holding (one scan of the text) finds the lines a search line by line finds, for word lists
    with characters a regex must escape, an empty word and none, on blank and hostile lines."""
    from pipeline.tables.common import lines_holding, words_re

    rng = random.Random(31)
    alphabet = list("※◆ ・\u3000\t(日時)会場予算ab.*[\\") + ["\n"] * 4
    word_lists = [("※",), ("◆", "◇", "■"), ("日時", "開催日時"), ("(",), (".*", "[", "\\"), ("",), (), ("ab", "a")]
    texts = _texts(6, seed=31) + ["", "\n", "\n\n", "※", "※\n", "\n※"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(2000)]
    for text in texts:
        lines = text.split("\n")
        for words in word_lists:
            pattern = words_re(words)
            assert lines_holding(text, pattern) == [i for i, ln in enumerate(lines) if pattern.search(ln)], (
                text, words)
            assert lines_holding(text, pattern) == [i for i, ln in enumerate(lines) if any(w in ln for w in words)]


def test_figures_answer_as_mentions_in() -> None:
    """Figures (one sorted list per builder) against Document.mentions_in, on spans that start and end
    anywhere, mentions of one span and of several kinds."""
    from pipeline.tables.common import Figures, line_mentions

    rng = random.Random(32)
    for text in _texts(8, seed=32):
        doc = _seeded_document(text, "tables")
        size = len(doc.source.text)
        for _ in range(rng.randint(0, 20)):  # mentions of one span, of the same and of other kinds
            m = rng.choice(doc.mentions) if doc.mentions and rng.random() < 0.5 else None
            start = m.start if m else rng.randrange(size + 1)
            end = m.end if m else min(size, start + rng.randint(0, 9))
            doc.add_source_span(start, end, rng.choice(["count", "date", "period", "amount"]), "x", "org.suffix")
        for kinds in (("count",), ("date", "period"), ("period", "date"), ("amount",), ("organization",)):
            figures = Figures(doc, kinds)
            for ln in doc.view_lines(doc.lines):
                assert figures.on(ln) == line_mentions(doc, ln, kinds)
                assert figures.starts_on(ln) == any(ln.src_start <= m.start < ln.src_end
                                                    for m in doc.mentions if m.kind in kinds)
            for _ in range(50):
                start = rng.randrange(size + 2)
                end = start + rng.randint(0, 400)
                assert figures.within(start, end) == doc.mentions_in(start, end, kinds)


def _every_line(text: str, pattern: re.Pattern[str]) -> list[int]:
    return list(range(text.count("\n") + 1))


@pytest.mark.parametrize("module", ["projects", "events", "budget", "hubs"])
def test_builders_read_the_same_without_their_line_prefilters(module: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each builder whose loops look only at the lines holding its words (lines_holding) gives the same
    rows, mentions and warnings when it looks at every line, on the seed, mutated seeds and random text;
    the budget heading also as a pattern that is no plain text (tried line by line)."""
    import importlib

    from pipeline.tables import TABLES

    builder = TABLES[module].builder
    mod = importlib.import_module(f"pipeline.tables.{module}")
    texts = _texts(14, seed=33) + [
        "※平成19年度をもって終了\n◆情報ベンチャーの育成※\n　ＩＴ分野\n", "拠 点 名　提 案 自 治 体　大学等\n",
        "日時：平成22年2月3日\n会場：東京\n", "平成21年度予算\n文部科学省 関連予算 10億円\n"]

    def run(every: bool) -> tuple:  # type: ignore[type-arg]
        out = []
        for text in texts:
            doc = _seeded_document(text, "tables")
            with monkeypatch.context() as m:
                if every:
                    m.setattr(mod, "lines_holding", _every_line)
                rows = builder(doc)
            out.append((rows, [(s.kind, s.start, s.end, s.value, s.rule, s.org_type) for s in doc.mentions],
                        doc.warnings, doc.furniture))
        return tuple(out)

    assert run(every=False) == run(every=True)
    if module == "budget":
        rules = cached_rules(RULES)
        cfg = rules.get("budget")
        for pattern in ("予算", "^予算", "(予算|計画)", "予算$"):
            monkeypatch.setitem(cfg["heading"], "pattern", pattern)
            assert run(every=False) == run(every=True)


def test_region_of_matches_the_word_loop() -> None:
    """PlaceExtractor.region_of (one regex of every block word) against a walk over the text that takes
    the longest block word starting at each position and goes on after it."""
    from pipeline.extractors.places import place_extractor

    pl = place_extractor(cached_rules(RULES))

    def plain(text: str) -> list[str]:
        hits: list[str] = []
        i = 0
        while i < len(text):
            here = [(len(w), block) for block, words in pl.blocks.items() for w in words if text.startswith(w, i)]
            if not here:
                i += 1
                continue
            size = max(n for n, _ in here)
            block = next(b for n, b in here if n == size)  # the first block listing the word
            if block not in hits:
                hits.append(block)
            i += size
        return hits

    rng = random.Random(34)
    words = [w for ws in pl.blocks.values() for w in ws] + ["中国", "京", "関", "x", " ", "地方"]
    for text in _texts(6, seed=34) + ["".join(rng.choice(words) for _ in range(rng.randint(0, 8)))
                                      for _ in range(3000)]:
        assert pl.region_of(text) == plain(text), text


def test_project_fields_match_the_regexes_as_first_written() -> None:
    """projects._fields (regexes compiled once, spaces after a separator removed behind a lookbehind)
    against the per-call regexes with a group put back, on random detail lines and separators (some of
    them spaces)."""
    from pipeline.core.document import canonical_text
    from pipeline.tables import projects

    def plain(text: str, field_word: str, cfg: dict) -> list[str]:  # type: ignore[type-arg]
        import unicodedata

        t = unicodedata.normalize("NFKC", text)
        seps = f"[{re.escape(cfg['field_separators'])}]"
        # (the field word as a label before its fields, after a colon or, since 0aad923, a gap, or closing a
        # bracketed label, ［対象分野］…)
        labelled = re.search(rf"{re.escape(field_word)}(?:\s*[:：]\s*(\S+)|\s+(\w\S*)|[\]】〕〉>]\s*[:：]?\s*(\S+))", t)
        if labelled and not t[: labelled.start()].strip(" (（[【〔〈<"):
            found = labelled.group(1) or labelled.group(2) or labelled.group(3)
        else:
            before = re.sub(rf"({seps})\s+", r"\1", t.split(field_word)[0]).strip()
            found = re.split(r"\s", before)[-1] if before else ""
            found = re.sub(r"^[^\w]*", "", found)
        # (and since a later change, a slash or bar before another label ends the value: 分野：水産／企業：…)
        found = re.split(r"[/|](?=[^/|:\s]{1,12}:)", found, maxsplit=1)[0]
        # Split outside brackets; a field's own bracket names fields within it; each field once.
        parts, depth, start = [], 0, 0
        for k, ch in enumerate(found):
            depth = max(0, depth + (ch == "(") - (ch == ")"))  # a stray ) closes nothing
            if depth == 0 and re.fullmatch(seps, ch):
                parts.append(found[start:k])
                start = k + 1
        parts.append(found[start:])
        out: list[str] = []
        for part in parts:
            inner = re.search(r"\(([^()]+)\)$", part)
            names = [part[: inner.start()], *re.split(seps, inner.group(1))] if inner and inner.start() else [part]
            out.extend(f for f in map(canonical_text, names) if f and f not in out)
        return out

    rng = random.Random(35)
    pieces = ["ものづくり", "バイオ", "IT", "ＩＴ", "分野", "・", "、", ",", "/", " ", "\u3000", ":", "：", "(", "約",
              "1,200社", "-", "]", ")", "（", "）"]
    for _ in range(5000):
        seps = "".join(rng.sample(["・", "、", ",", "/", " ", "-", "]", "\\"], rng.randint(1, 4)))
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 10)))
        cfg = {"field_separators": seps}
        assert projects._fields(text, "分野", cfg) == plain(text, "分野", cfg), (text, seps)


def test_strip_stop_by_first_character_matches_the_loop() -> None:
    """strip_stop trying only the stop words that start with the next character (stop_index) against the
    loop over every stop word, with and without token starts; an empty stop word keeps the loop."""
    from pipeline.extractors.common import stop_index, strip_stop

    rules = cached_rules(RULES)
    stops = sorted(rules.get("organizations")["stop_prefixes"], key=len, reverse=True)
    assert stop_index(["", "各"]) is None
    rng = random.Random(36)
    pieces = stops + ["大学", "同志社", "国", "立", "x", " ", "各各", "関"]
    for _ in range(5000):
        words = stops if rng.random() < 0.5 else sorted(rng.sample(stops, rng.randint(1, 8)), key=len, reverse=True)
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 6)))
        offset = rng.randint(0, 5)
        starts = {offset + i for i in range(len(text) + 1) if rng.random() < 0.6} if rng.random() < 0.5 else None
        assert strip_stop(words, text, offset, starts, stop_index(words)) == strip_stop(words, text, offset, starts)
