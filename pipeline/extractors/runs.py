"""Runs of name tokens: the spans of running text a name can be, for the organisation and event
extractors. spaCy's ``Matcher`` marks the tokens (the pattern is ``name_run_pattern`` in
``rules/organizations.yaml``); adjacent ones make a run. Offsets are into the Doc's text."""

from __future__ import annotations

import bisect
import re

from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.core.rules import Rules
from pipeline.extractors.common import alt
from pipeline.extractors.events import event_extractor
from pipeline.extractors.organizations import organization_extractor
from pipeline.text.tokens import token_offsets

_NON_SPACE = re.compile(r"\S+")


class NameRuns:
    def __init__(self, rules: Rules, vocab: object) -> None:
        self.matcher = Matcher(vocab)
        org = rules.get("organizations")
        patterns = [org["name_run_pattern"]]
        if org.get("name_run_words"):  # 高等 (ADJ) inside 高等専門学校
            patterns.append([{"ORTH": {"IN": list(org["name_run_words"])}}])
        self.matcher.add("NAME_TOKEN", patterns)
        ev = event_extractor(rules)
        cues = organization_extractor(rules).cue_words() + ev.suffixes
        self.cue_re = re.compile(f"{alt(cues)}|{ev.ordinal_pattern}")

    def find(self, doc: Doc, text: str) -> list[tuple[int, int]]:
        """Character spans of maximal runs of name tokens in ``text`` (the Doc's text)."""
        offsets = token_offsets(doc)
        spans = []
        # Only lines holding a word that can end or start a name need the Matcher.
        lines: dict[int, int] = {}
        for m in self.cue_re.finditer(text):
            a = text.rfind("\n", 0, m.start()) + 1
            if a not in lines:
                b = text.find("\n", m.end())
                lines[a] = len(text) if b < 0 else b
        for a, b in sorted(lines.items()):
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
                # A run never crosses whitespace (table cells, "文部科学省 関連予算").
                spans.extend(m.span() for m in _NON_SPACE.finditer(text, ra, rb))
        return sorted(spans)


_BY_RULES: dict[str, NameRuns] = {}


def name_runs(rules: Rules) -> NameRuns:
    """The name-run finder of ``rules``, on the shared Japanese vocabulary (built once per rules content)."""
    if rules.hash not in _BY_RULES:
        from pipeline.text.tokens import japanese_nlp

        _BY_RULES[rules.hash] = NameRuns(rules, japanese_nlp().vocab)
    return _BY_RULES[rules.hash]
