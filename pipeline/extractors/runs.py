"""Runs of name tokens: the spans of running text a name can be, for the organisation and event
extractors. A token is a name token when it matches ``name_run_pattern`` in ``rules/organizations.yaml``
(a spaCy token pattern) or is one of ``name_run_words``; adjacent ones make a run. Offsets are into the
Doc's text.

The patterns are one-token patterns of ``IN``/``NOT_IN``/equality tests on ``ORTH``, ``TEXT``, ``POS``,
``TAG``, ``LEMMA``, ``NORM`` or ``LOWER``; those are compiled into tests on the Doc's attribute arrays
(numpy, one pass over the Doc), with the same answers as spaCy's ``Matcher``, which ran the same test token
by token in about twenty times the time. Patterns beyond that subset go to the ``Matcher`` itself."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from typing import Any

import numpy as np
from spacy.attrs import IDX, LEMMA, LOWER, NORM, ORTH, POS, TAG
from spacy.matcher import Matcher
from spacy.parts_of_speech import IDS as POS_IDS
from spacy.strings import get_string_id
from spacy.tokens import Doc

from pipeline.core.rules import Rules
from pipeline.extractors.common import alt
from pipeline.extractors.events import event_extractor
from pipeline.extractors.organizations import organization_extractor
from pipeline.text.tokens import token_offsets

_NON_SPACE = re.compile(r"\S+")
_SPACE = re.compile(r"\s")

# Token attributes a compiled pattern may test, with their array id and how a value becomes an array value.
_ATTRS: dict[str, tuple[int, Callable[[str], int]]] = {
    "ORTH": (ORTH, get_string_id), "TEXT": (ORTH, get_string_id), "TAG": (TAG, get_string_id),
    "LEMMA": (LEMMA, get_string_id), "NORM": (NORM, get_string_id), "LOWER": (LOWER, get_string_id),
    "POS": (POS, lambda v: POS_IDS[v]),
}


def _compile_token(spec: Any) -> list[tuple[int, str, list[int]]] | None:
    """A one-token pattern as (attribute, "IN"/"NOT_IN", values) tests, or None outside the subset."""
    if not isinstance(spec, dict) or not spec:
        return None
    tests = []
    for key, value in spec.items():
        if key not in _ATTRS:
            return None  # OP, REGEX, IS_* ...: the Matcher's
        attr, to_id = _ATTRS[key]
        if isinstance(value, str):
            op, values = "IN", [value]
        elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
            op, values = next(iter(value.items()))
            if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                return None
        else:
            return None
        try:
            ids = [to_id(v) for v in values]
        except KeyError:  # not a part of speech spaCy knows: let the Matcher say so
            return None
        tests.append((attr, op, ids))
    return tests


class NameRuns:
    def __init__(self, rules: Rules, vocab: object) -> None:
        org = rules.get("organizations")
        patterns = [org["name_run_pattern"]]
        if org.get("name_run_words"):  # 高等 (ADJ) inside 高等専門学校
            patterns.append([{"ORTH": {"IN": list(org["name_run_words"])}}])
        self.use_patterns(patterns, vocab)
        ev = event_extractor(rules)
        cues = organization_extractor(rules).cue_words() + ev.suffixes
        self.cue_re = re.compile(f"{alt(cues)}|{ev.ordinal_pattern}")

    def use_patterns(self, patterns: list[list[dict[str, Any]]], vocab: object) -> None:
        """Mark name tokens by ``patterns`` (spaCy token patterns; a token matching any is a name token)."""
        compiled = [_compile_token(p[0]) if isinstance(p, list) and len(p) == 1 else None for p in patterns]
        # Either every pattern compiles to array tests, or the Matcher runs them all.
        self.tests: list[list[tuple[int, str, list[int]]]] | None = (
            compiled if all(c is not None for c in compiled) else None)  # type: ignore[assignment]
        self.attrs = sorted({a for tests in self.tests or [] for a, _, _ in tests})
        self.matcher = Matcher(vocab)
        self.matcher.add("NAME_TOKEN", patterns)

    def _cue_lines(self, text: str) -> list[tuple[int, int]]:
        """Character spans of the lines holding a word that can end or start a name (only they can hold one)."""
        lines: dict[int, int] = {}
        search, at = self.cue_re.search, 0
        while (m := search(text, at)) is not None:
            a = text.rfind("\n", 0, m.start()) + 1
            b = text.find("\n", m.end())
            lines.setdefault(a, len(text) if b < 0 else b)
            if "\n" in m.group() or m.end() == m.start():
                at = m.end() + (m.end() == m.start())  # (a cue across a line break: read on right after it)
            elif b < 0:
                break  # the text's last line
            else:
                at = b + 1  # on to the next line: one cue is enough for a line
        return sorted(lines.items())

    def name_tokens(self, doc: Doc, table: np.ndarray | None = None) -> np.ndarray:
        """A boolean per token: does it match one of the patterns (compiled patterns only). ``table``:
        ``doc.to_array(self.attrs)`` when the caller has it, or the rows of it for the tokens asked about (a
        boolean per row then)."""
        assert self.tests is not None
        if table is None:
            table = doc.to_array(self.attrs)
        table = table.reshape(-1, len(self.attrs))
        n = len(table)
        cols = {a: table[:, i] for i, a in enumerate(self.attrs)}
        hit = np.zeros(n, dtype=bool)
        for tests in self.tests:
            ok = np.ones(n, dtype=bool)
            for attr, op, ids in tests:
                ok &= np.isin(cols[attr], np.array(ids, dtype=np.uint64), invert=op == "NOT_IN")
            hit |= ok
        return hit

    def find(self, doc: Doc, text: str) -> list[tuple[int, int]]:
        """Character spans of maximal runs of name tokens in ``text`` (the Doc's text)."""
        if self.tests is None:
            return self.find_with_matcher(doc, text)
        n = len(doc)
        lines = self._cue_lines(text)
        if not lines or n == 0:
            return []
        # Name tokens on the cue lines; a run starts at a name token after a non-name token, a line's
        # first token or the Doc's first, and ends before the next such start or a non-name token.
        table = doc.to_array([IDX, *self.attrs]).reshape(n, 1 + len(self.attrs))
        # Every token's character offset, then the text's end (where a run ending at the last token ends).
        cut = np.append(table[:, 0].astype(np.int64), len(text))
        bounds = np.array(lines, dtype=np.int64).reshape(-1, 2)
        first = np.searchsorted(cut[:n], bounds[:, 0], side="left")
        last = np.searchsorted(cut[:n], bounds[:, 1], side="left")
        inside = np.cumsum(np.bincount(first, minlength=n + 1)[:n] - np.bincount(last, minlength=n + 1)[:n]) > 0
        hit = np.zeros(n, dtype=bool)
        hit[inside] = self.name_tokens(doc, table[inside, 1:])  # (only the cue lines' tokens are asked about)
        opens = np.zeros(n + 1, dtype=bool)
        opens[first] = True  # a run never crosses a line's first token
        before = np.concatenate(([False], hit[:-1]))
        starts = np.flatnonzero(hit & (~before | opens[:n]))
        after = np.concatenate((hit[1:], [False]))
        ends = np.flatnonzero(hit & (~after | opens[1:])) + 1
        spans: list[tuple[int, int]] = []
        non_space, space = _NON_SPACE.finditer, _SPACE.search
        for ra, rb in zip(cut[starts].tolist(), cut[ends].tolist(), strict=True):
            # A run never crosses whitespace (table cells, "文部科学省 関連予算"); most hold none and are
            # kept whole after one search.
            if ra < rb and space(text, ra, rb) is None:
                spans.append((ra, rb))
            else:
                spans.extend(m.span() for m in non_space(text, ra, rb))
        return sorted(spans)

    def find_with_matcher(self, doc: Doc, text: str) -> list[tuple[int, int]]:
        """``find`` by spaCy's Matcher over each cue line: for patterns outside the compiled subset."""
        offsets = token_offsets(doc)
        spans = []
        for a, b in self._cue_lines(text):
            first, last = bisect.bisect_left(offsets, a), bisect.bisect_left(offsets, b)
            # The Matcher marks name tokens one by one; adjacent ones make a run.
            runs: list[list[int]] = []
            for _, s, e in sorted(self.matcher(doc[first:last]), key=lambda x: x[1]):
                if runs and runs[-1][1] == s:
                    runs[-1][1] = e
                else:
                    runs.append([s, e])
            for s, e in runs:
                ra = offsets[first + s]
                rb = offsets[first + e] if first + e < len(offsets) else len(text)
                spans.extend(m.span() for m in _NON_SPACE.finditer(text, ra, rb))
        return sorted(spans)


_BY_RULES: dict[str, NameRuns] = {}


def name_runs(rules: Rules) -> NameRuns:
    """The name-run finder of ``rules``, on the shared Japanese vocabulary (built once per rules content)."""
    if rules.hash not in _BY_RULES:
        from pipeline.text.tokens import japanese_nlp

        _BY_RULES[rules.hash] = NameRuns(rules, japanese_nlp().vocab)
    return _BY_RULES[rules.hash]
