"""Small helpers the name extractors share: one compiled extractor per rules content, alternations,
reference words before a name."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TypeVar

from pipeline.core.rules import Rules

T = TypeVar("T")
_COMPILED: dict[tuple[Callable[..., object], str], object] = {}


def compiled(factory: Callable[[Rules], T], rules: Rules) -> T:
    """``factory(rules)``, built once per rules content (extractors compile their patterns once)."""
    key = (factory, rules.hash)
    if key not in _COMPILED:
        _COMPILED[key] = factory(rules)
    return _COMPILED[key]  # type: ignore[return-value]


def alt(words: Iterable[str]) -> str:
    """A regex alternation of literal words, longest first."""
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


def first_char_lookahead(words: Iterable[str]) -> str:
    """A lookahead for the characters ``words`` start with, to put in front of their alternation: the
    regex engine then skips every other position at once instead of trying the pattern there (a lookbehind
    in front of an alternation otherwise ran at every position). Empty when a word is empty."""
    words = list(words)
    if not words or "" in words:
        return ""
    return "(?=[" + "".join(re.escape(c) for c in sorted({w[0] for w in words})) + "])"


def stop_index(stop_prefixes: list[str]) -> dict[str, list[str]] | None:
    """``stop_prefixes`` by their first character, each list in their order: :func:`strip_stop` then tries
    only the words that can start at a place (a few of forty). None when one is empty (it starts anywhere)."""
    if "" in stop_prefixes:
        return None
    out: dict[str, list[str]] = {}
    for p in stop_prefixes:
        out.setdefault(p[0], []).append(p)
    return out


def strip_stop(stop_prefixes: list[str], text: str, offset: int = 0, token_starts: set[int] | None = None,
               by_first: dict[str, list[str]] | None = None) -> int:
    """How many leading characters of ``text`` are reference words (各, 両, 関係...) rather than name.

    ``stop_prefixes`` longest first; ``by_first``: their :func:`stop_index`, when the caller keeps it. With
    token starts, a stop word must be a whole token: 同志社大学 keeps its 同.
    """
    cut = 0
    changed = True
    firsts = tuple(stop_prefixes)
    while changed and text.startswith(firsts, cut):  # most names start with no stop word: one C call
        changed = False
        for p in stop_prefixes if by_first is None else by_first[text[cut]]:
            whole = token_starts is None or offset + cut + len(p) in token_starts
            if text.startswith(p, cut) and len(text) - cut > len(p) and whole:
                cut += len(p)
                changed = True
                break
    return cut


_ALL_HIRAGANA = re.compile(r"[\u3041-\u309f]+")
_KANA_PLACES: dict[str, tuple[str, ...]] = {}


def kana_places(rules: Rules) -> tuple[str, ...]:
    """The places' words written in hiragana alone (ながさき, とやま, みやぎ: the blocks of places.yaml), longest
    first."""
    words = _KANA_PLACES.get(rules.hash)
    if words is None:
        found = {w for ws in rules.get("places")["blocks"].values() for w in ws if _ALL_HIRAGANA.fullmatch(w)}
        words = _KANA_PLACES[rules.hash] = tuple(sorted(found, key=len, reverse=True))
    return words


def kana_place_front(text: str, at: int, floor: int, words: tuple[str, ...]) -> int | None:
    """Where a name that a pattern starts at ``at`` in ``text`` starts once a place written in hiragana in front
    of it is taken in: one the pattern cut at a kana it read as a particle (なが|さき海洋…, と|やま…), or one
    right before it (…でながさき|医工連携フォーラム). None when no such place stands there; never before
    ``floor``."""
    for w in words:
        for i in range(1, len(w) + 1):
            if at - i >= floor and text.startswith(w, at - i):
                return at - i
    return None
