"""Issue 18, the stages past tokenisation: each fast path gives the same answers as a plain reference
version written here, on the seed and on random and hostile inputs.

- name runs: array tests over the Doc's attributes against spaCy's ``Matcher`` token by token;
"""

from __future__ import annotations

import copy
import random
import re

import pytest
from spacy.matcher import Matcher

from pipeline.core.rules import cached_rules
from pipeline.extractors.runs import NameRuns, name_runs
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
