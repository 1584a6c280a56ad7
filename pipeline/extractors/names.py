"""Extractors for names in running text: organisations, places and events.

spaCy's ``Matcher`` finds runs of name tokens (the token pattern is in ``rules/organizations.yaml``);
the rule files decide which runs are names by their suffixes, prefixes and gazetteers. All offsets
here are into the flow view that the tokens were built from.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass

from spacy.matcher import Matcher
from spacy.tokens import Doc

from pipeline.core.document import canonical_text
from pipeline.core.rules import Rules
from pipeline.text.tokens import token_offsets

_NON_SPACE = re.compile(r"\S+")


@dataclass(frozen=True)
class NameSpan:
    kind: str
    start: int
    end: int
    value: str
    rule: str
    org_type: str = ""


def _alt(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


_BY_RULES: dict[str, NameExtractor] = {}


def name_extractor(rules: Rules) -> NameExtractor:
    """The name extractor compiled from ``rules`` (built once per rules content)."""
    if rules.hash not in _BY_RULES:
        from pipeline.text.tokens import japanese_nlp

        _BY_RULES[rules.hash] = NameExtractor(rules, japanese_nlp().vocab)
    return _BY_RULES[rules.hash]


class NameExtractor:
    def __init__(self, rules: Rules, vocab: object) -> None:
        org = rules.get("organizations")
        self.types: dict[str, dict[str, list[str]]] = org["types"]
        self.legal_forms: dict[str, str] = org["legal_forms"]
        self._legal_canonical = [(canonical_text(k), v) for k, v in self.legal_forms.items()]
        self.stop_prefixes = sorted(org["stop_prefixes"], key=len, reverse=True)
        self.matcher = Matcher(vocab)
        self.matcher.add("NAME_TOKEN", [org["name_run_pattern"]])
        self.gov_re = re.compile(_alt(self.types["government"].get("names", [])))
        forms = list(self.legal_forms) + list(self.types["company"].get("prefixes", []))
        self.legal_re = re.compile(_alt(forms))

        places = rules.get("places")
        self.prefectures: list[str] = places["prefectures"]
        self.short_pref = {self._short(p): p for p in self.prefectures if self._short(p) != p}
        self.cities: list[str] = places.get("cities", [])
        self.blocks: dict[str, list[str]] = places["blocks"]
        self.pref_re = re.compile(_alt(self.prefectures))
        self.short_re = re.compile(_alt(list(self.short_pref) + self.cities))

        ev = rules.get("events")
        suffixes = _alt(ev["suffixes"])
        self.event_name_re = re.compile(rf"^.+?(?:{suffixes})(?:\d{{2,4}}年?)?$")
        self.event_bracket_re = re.compile(r"「([^「」\n]{2,40})」")
        self.ordinal_re = re.compile(ev["ordinal_pattern"])
        cues = [w for cfg in self.types.values() for k in ("suffixes", "prefixes") for w in cfg.get(k, [])]
        cues += list(self.legal_forms.values()) + list(ev["suffixes"])
        self.cue_re = re.compile(f"{_alt(cues)}|{ev['ordinal_pattern']}")

    @staticmethod
    def _short(pref: str) -> str:
        return pref[:-1] if pref[-1] in "都府県" and len(pref) > 2 else pref

    # -- token runs ------------------------------------------------------------------------------

    def name_runs(self, doc: Doc, text: str) -> list[tuple[int, int]]:
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

    def _strip_stop(self, text: str, offset: int = 0, token_starts: set[int] | None = None) -> int:
        """How many leading characters are reference words (各, 両, 関係...) rather than name.

        With token starts, a stop word must be a whole token: 同志社大学 keeps its 同.
        """
        cut = 0
        changed = True
        while changed:
            changed = False
            for p in self.stop_prefixes:
                whole = token_starts is None or offset + cut + len(p) in token_starts
                if text.startswith(p, cut) and len(text) - cut > len(p) and whole:
                    cut += len(p)
                    changed = True
                    break
        return cut

    def canonical_org(self, text: str) -> str:
        name = canonical_text(text)
        if "(" in name:  # abbreviated legal forms are bracketed after NFKC
            for short, full in self._legal_canonical:
                name = name.replace(short, full)
        return name

    def org_type(self, name: str, allow_municipality: bool = False) -> str | None:
        """Type of an organisation name by its suffixes/prefixes, or None when it is not one."""
        for t, cfg in self.types.items():
            if t == "municipality" and not allow_municipality:
                continue
            if name in cfg.get("names", []):
                return t
            for suf in cfg.get("suffixes", []):
                if name.endswith(suf) and len(name) > len(suf):
                    return t
        for t, cfg in self.types.items():
            for pre in cfg.get("prefixes", []):
                if name.startswith(pre) and len(name) > len(pre):
                    return t
        return None

    # -- organisations ---------------------------------------------------------------------------

    def organizations(self, text: str, runs: list[tuple[int, int]],
                      token_starts: set[int] | None = None) -> list[NameSpan]:
        out: list[NameSpan] = []
        for m in self.gov_re.finditer(text):
            out.append(NameSpan("organization", m.start(), m.end(), m.group(), "org.gazetteer", "government"))
        run_end = {e: s for s, e in runs}
        run_start = {s: e for s, e in runs}
        for m in self.legal_re.finditer(text):
            s, e = m.span()
            if s in run_end and (e not in run_start or text[s - 1 : s] not in "、,"):
                start, end = run_end[s], e  # パルステック工業(株)
            elif e in run_start:
                start, end = s, run_start[e]  # (株)アメリオ
            else:
                continue
            start += self._strip_stop(text[start:end], start, token_starts)
            name = self.canonical_org(text[start:end])
            out.append(NameSpan("organization", start, end, name, "org.legal_form", "company"))
        for s, e in runs:
            digits = [i for i in range(s, e) if text[i].isdigit()]
            if digits:  # counts glued to a name (約580社11大学) are not part of it
                s = digits[-1] + 1
            s += self._strip_stop(text[s:e], s, token_starts)
            name = self.canonical_org(text[s:e])
            t = self.org_type(name)
            if t is None:
                continue
            out.append(NameSpan("organization", s, e, name, "org.suffix", t))
        return out

    # -- places ----------------------------------------------------------------------------------

    def places(self, text: str, token_starts: set[int], token_ends: set[int]) -> list[NameSpan]:
        out = []
        for m in self.pref_re.finditer(text):
            out.append(NameSpan("place", m.start(), m.end(), m.group(), "place.prefecture"))
        for m in self.short_re.finditer(text):
            if m.start() in token_starts and m.end() in token_ends:
                word = m.group()
                if word in self.short_pref:
                    out.append(NameSpan("place", m.start(), m.end(), self.short_pref[word], "place.prefecture"))
                else:
                    out.append(NameSpan("place", m.start(), m.end(), word, "place.city"))
        return out

    def block_headings(self, lines: Iterable[tuple[int, int, str]]) -> list[NameSpan]:
        """A line that is only a block's name (関　東 after repair) is a region heading."""
        out = []
        for a, _b, line in lines:
            word = line.strip()
            if word in self.blocks:
                s = a + line.index(word)
                out.append(NameSpan("place", s, s + len(word), word, "place.block"))
        return out

    def region_of(self, text: str) -> list[str]:
        """Blocks whose words appear in ``text``, in order of first appearance."""
        hits = []
        for block, words in self.blocks.items():
            positions = [text.find(w) for w in words if w in text]
            if positions:
                hits.append((min(positions), block))
        return [b for _, b in sorted(hits)]

    # -- events ----------------------------------------------------------------------------------

    def events(self, text: str, runs: list[tuple[int, int]]) -> list[NameSpan]:
        out = []
        for m in self.event_bracket_re.finditer(text):
            inner = m.group(1)
            if self.event_name_re.match(canonical_text(inner)):
                out.append(NameSpan("event", m.start(1), m.end(1), canonical_text(inner), "event.name"))
        # Runs joined by a hyphen (日本-EUクラスターフォーラム) are one name.
        merged: list[tuple[int, int]] = []
        for s, e in runs:
            if merged and s == merged[-1][1] + 1 and text[merged[-1][1]] == "-":
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        for s, e in merged:
            name = canonical_text(text[s:e])
            o = self.ordinal_re.match(name)
            if o and len(name) > o.end() or self.event_name_re.match(name):
                s += self._strip_stop(text[s:e])
                out.append(NameSpan("event", s, e, canonical_text(text[s:e]), "event.name"))
        return out
