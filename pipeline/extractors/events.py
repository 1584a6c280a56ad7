"""Events named in running text: a bracketed name or a name-token run that ends in an event word
(フォーラム, 展示会...) or starts with an ordinal (第8回...), from ``rules/events.yaml``. Dated events
with a venue are the events table's (``pipeline/tables/events.py``)."""

from __future__ import annotations

import functools
import re
from typing import Any

from pipeline.core.document import canonical_text, display_text
from pipeline.core.rules import Rules
from pipeline.core.spans import Span
from pipeline.extractors.common import alt, compiled, stop_index, strip_stop

# The rule of rules/events.yaml this module fires (a mention's `rule`); event.dated is the table's.
RULE_IDS = ("event.name",)
_UNSEEN = object()
_STOP_CHARS = 4  # a stop word is at most this long: the token starts looked at before a run's name


def end_guard(suffixes: list[str] | tuple[str, ...], non_event: list[str] | tuple[str, ...]) -> str:
    """Lookbehinds to put right after an event word in a pattern: no word of ``non_event_words`` ends
    there (発展 ends in 展, the word of a show: 地域産業の発展 names no event)."""
    ends = tuple(suffixes)
    return "".join(f"(?<!{re.escape(w)})" for w in non_event if w.endswith(ends))


@functools.lru_cache(maxsize=8)
def _event_words_re(suffixes: tuple[str, ...], non_event: tuple[str, ...]) -> re.Pattern[str]:
    words = sorted({*suffixes, *non_event}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words)))


def has_event_word(text: str, cfg: dict[str, Any]) -> bool:
    """Whether ``text`` holds an event word of ``suffixes`` standing as a word of its own, not inside a word
    of ``non_event_words`` (展 in 展示会 or in 産業展, not in 事業展開 or 発展), longest words first."""
    suffixes = tuple(cfg.get("suffixes") or ())
    non_event = tuple(cfg.get("non_event_words") or ())
    if not any(w in text for w in suffixes):
        return False
    if not non_event:
        return True
    return any(m.group() not in non_event for m in _event_words_re(suffixes, non_event).finditer(text))


class EventExtractor:
    def __init__(self, rules: Rules) -> None:
        ev = rules.get("events")
        self.suffixes: list[str] = list(ev["suffixes"])
        self.ordinal_pattern: str = ev["ordinal_pattern"]
        guard = end_guard(self.suffixes, ev.get("non_event_words") or ())
        self.event_name_re = re.compile(rf"^.+?(?:{alt(self.suffixes)}){guard}(?:\d{{2,4}}年?)?$")
        self.event_bracket_re = re.compile(r"「([^「」\n]{2,40})」")
        self.ordinal_re = re.compile(self.ordinal_pattern)
        self.stop_prefixes = sorted(rules.get("organizations")["stop_prefixes"], key=len, reverse=True)
        self._stops_by_first = stop_index(self.stop_prefixes)
        self._stop_firsts = tuple(self.stop_prefixes)
        self._run_cache: dict[tuple[str, tuple[bool, ...]], tuple[int, str] | None] = {}

    def _run_event(self, run: str, whole: tuple[bool, ...] = ()) -> tuple[int, str] | None:
        """(where the name starts in ``run``, the name) when the run names an event, else None; ``whole``:
        whether a token starts after each of the run's first characters, when the tokens are known (a stop
        word is then a whole token: 全国大会 keeps its 全). Remembered (bounded): the same runs come back on
        every page."""
        key = (run, whole)
        if len(run) <= 200:  # longer runs are not remembered: the cache's memory stays bounded
            found = self._run_cache.get(key, _UNSEEN)
            if found is not _UNSEEN:
                return found  # type: ignore[return-value]
            if len(self._run_cache) >= 100_000:
                self._run_cache.clear()
        name = canonical_text(run)
        o = self.ordinal_re.match(name)
        found = None
        if o and len(name) > o.end() or self.event_name_re.match(name):
            starts = {k for k, w in enumerate(whole, 1) if w} if whole else None
            cut = strip_stop(self.stop_prefixes, run, token_starts=starts, by_first=self._stops_by_first)
            if canonical_text(run[cut:]) not in self.suffixes:  # (…のとおりフォーラムを: フォーラム alone: none)
                found = cut, display_text(run[cut:])
        if len(run) <= 200:
            self._run_cache[key] = found
        return found

    def find(self, text: str, runs: list[tuple[int, int]], token_starts: set[int] | None = None) -> list[Span]:
        """Event names in ``text``, given its name-token runs (and where tokens start, when known)."""
        out = []
        for m in self.event_bracket_re.finditer(text):
            inner = m.group(1)
            if self.event_name_re.match(canonical_text(inner)):
                out.append(Span("event", m.start(1), m.end(1), display_text(inner), "event.name"))
        # Runs joined by a hyphen (日本-EUクラスターフォーラム) are one name, and so is an ordinal set apart by
        # spaces with the run after it (第３回　九州…セミナー).
        merged: list[tuple[int, int]] = []
        ordinal = self.ordinal_re.fullmatch
        for s, e in runs:
            hyphen = merged and s == merged[-1][1] + 1 and text[merged[-1][1]] == "-"
            if hyphen or (merged and s > merged[-1][1] and not text[merged[-1][1] : s].strip(" \t\u3000")
                          and ordinal(canonical_text(text[merged[-1][0] : merged[-1][1]]))):
                merged[-1] = (merged[-1][0], e)
            else:
                merged.append((s, e))
        cache = self._run_cache
        known = bool(token_starts)  # asked once, not per run
        stops = self._stop_firsts
        for s, e in merged:
            run = text[s:e]
            # Where tokens start matters only to a run opening with a stop word (全国大会: 全 is no word of its own)
            whole = (tuple(s + k in token_starts for k in range(1, min(_STOP_CHARS, e - s) + 1))
                     if known and run.startswith(stops) else ())
            found = cache.get((run, whole), _UNSEEN)  # the same runs come back on every page: no call for them
            if found is _UNSEEN:
                found = self._run_event(run, whole)
            if found is not None:
                out.append(Span("event", s + found[0], e, found[1], "event.name"))
        return out


def event_extractor(rules: Rules) -> EventExtractor:
    """The event extractor of ``rules`` (compiled once per rules content)."""
    return compiled(EventExtractor, rules)
