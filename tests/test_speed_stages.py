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
