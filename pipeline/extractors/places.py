"""Places in running text: prefectures (with or without their 都/府/県), large cities, and the nine
regional blocks with the words that imply them (``rules/places.yaml``). Offsets are into the text given."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pipeline.core.rules import Rules
from pipeline.core.spans import Span
from pipeline.extractors.common import alt, compiled

# The rules of rules/places.yaml this module fires (a mention's `rule`).
RULE_IDS = ("place.prefecture", "place.city", "place.block")


_CITY = "市"
_PLACE_LIST_SPLIT = re.compile(r"[・、,/]|及び")

# A municipality by its ending: two to five kanji (or kana) and 市, 町, 村 or 区 (帯広市, 北九州市, 八丈町).
_PLACE_JOINERS = "・･、,/ "
_MUNICIPALITY = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff\u3041-\u309f々ヶ]{1,5}[市町村区]")


_HIRAGANA_WORD = re.compile("[\u3041-\u3096]+")
_TO_KATAKANA = {c: c + 0x60 for c in range(0x3041, 0x3097)}


def place_set(text: str) -> frozenset[str]:
    """The parts of a list of places (宮城県・仙台市, 北海道、帯広市), as a set."""
    return frozenset(p for p in _PLACE_LIST_SPLIT.split(text.strip()) if p)


class PlaceExtractor:
    """Finds places; the table builders ask it which block a name points to."""

    def __init__(self, rules: Rules) -> None:
        places = rules.get("places")
        self.prefectures: list[str] = places["prefectures"]
        self._pref_suffixes: str = places["prefecture_suffixes"]
        self.short_pref = {self._short(p): p for p in self.prefectures if self._short(p) != p}
        self.cities: list[str] = places.get("cities", [])
        self.blocks: dict[str, list[str]] = places["blocks"]
        self._block_suffixes: tuple[str, ...] = tuple(places.get("block_suffixes") or ())
        self.pref_re = re.compile(alt(self.prefectures))
        self.short_re = re.compile(alt(list(self.short_pref) + self.cities))
        # Every block's words as one regex, longest first: read left to right, a word inside a longer
        # one is not found (京都 in 東京都, which is 東京's).
        self._block_of = {w: block for block, words in reversed(self.blocks.items()) for w in words}
        # A place written in hiragana (さっぽろ, はままつ), three kana at least, is written in katakana too
        # (サッポロバイオクラスター, ハママツ…): the same block.
        for w, block in list(self._block_of.items()):
            if len(w) >= 3 and _HIRAGANA_WORD.fullmatch(w):
                self._block_of.setdefault(w.translate(_TO_KATAKANA), block)
        self._blocks_re = re.compile(alt(self._block_of)) if self._block_of else None
        self._opening_of = {w: block for block, words in (places.get("name_opening_kana") or {}).items()
                            for w in words}

    def opening_region(self, name: str) -> str:
        """The block a name's opening word in kana points to when that word is an everyday word elsewhere
        (みえ, なら, さが, しが: ``name_opening_kana``): only as the name's first word, a kanji or katakana right
        after it (みえ次世代モビリティクラスター: 中部; みえる化 is none); else ""."""
        for w, block in self._opening_of.items():
            if name.startswith(w) and len(name) > len(w) and not ("\u3041" <= name[len(w)] <= "\u309f"):
                return block
        return ""

    def _short(self, pref: str) -> str:
        return pref[:-1] if pref[-1] in self._pref_suffixes and len(pref) > 2 else pref

    def is_prefecture(self, name: str) -> bool:
        return name in self.prefectures

    def label_block(self, word: str) -> str:
        """The block a label's word names (NFKC, no spaces): a block's own name or another of its words (北陸,
        東海, 関西, 山陰: an area of one block), with or without a word of ``block_suffixes`` after it (北海道地域,
        九州ブロック, 北陸地域), or a prefecture of one block; else ""."""
        for w in (word, *(word.removesuffix(s) for s in self._block_suffixes if word.endswith(s))):
            if w in self.blocks:
                return w
            if w in self._block_of:
                return self._block_of[w]
        if self.is_prefecture(word) or word in self.short_pref:
            hits = self.region_of(word)
            return hits[0] if len(hits) == 1 else ""
        return ""

    def prefecture_before_city(self, text: str) -> int:
        """How many characters of ``text`` (NFKC) are a prefecture's full name right before a city, ward, town or
        village that ends it (静岡県浜松市, 北海道函館市, 東京都千代田区: an address, or two lines of a cell joined);
        else 0."""
        for p in self.prefectures:
            if text.startswith(p) and len(text) > len(p):
                rest = text[len(p) :]
                if rest[:1] in _PLACE_JOINERS:
                    return 0  # 岡山県・倉敷市: a list of places, not one address
                return len(p) if rest in self.cities or _MUNICIPALITY.fullmatch(rest) is not None else 0
        return 0

    def is_place_list(self, text: str) -> bool:
        """Whether ``text`` (NFKC) is nothing but places set apart by ・、, or /: prefectures with or
        without their 都/府/県, the rules' cities, and names ending in 市, 町, 村 or 区 (宮城県・山形県,
        北海道、帯広市)."""
        parts = _PLACE_LIST_SPLIT.split(text.strip())
        return bool(parts) and all(
            p in self.prefectures or p in self.short_pref or p in self.cities or _MUNICIPALITY.fullmatch(p) is not None
            for p in parts)

    def find(self, text: str, token_starts: set[int], token_ends: set[int]) -> list[Span]:
        """Prefectures and cities in ``text``; a short name (島根, 横浜) only as a whole token."""
        out = []
        for m in self.pref_re.finditer(text):
            out.append(Span("place", m.start(), m.end(), m.group(), "place.prefecture"))
        for m in self.short_re.finditer(text):
            if m.start() in token_starts and m.end() in token_ends:
                word = m.group()
                if text.startswith(_CITY, m.end()) and m.end() + len(_CITY) in token_ends:
                    # 金沢市, 富山市: the city, 市 and all (富山 alone may be the prefecture)
                    out.append(Span("place", m.start(), m.end() + len(_CITY), word + _CITY, "place.city"))
                elif word in self.short_pref:
                    out.append(Span("place", m.start(), m.end(), self.short_pref[word], "place.prefecture"))
                else:
                    out.append(Span("place", m.start(), m.end(), word, "place.city"))
        return out

    def block_headings(self, lines: Iterable[tuple[int, int, str]]) -> list[Span]:
        """A line that is only a block's name (関　東 after repair) is a region heading."""
        out = []
        for a, _b, line in lines:
            word = line.strip()
            if word in self.blocks:
                s = a + line.index(word)
                out.append(Span("place", s, s + len(word), word, "place.block"))
        return out

    def region_of(self, text: str) -> list[str]:
        """Blocks whose words appear in ``text``, in order of first appearance; a word inside a longer
        one of another block does not count (東京都 is 関東 alone)."""
        if self._blocks_re is None:
            return []
        return list(dict.fromkeys(self._block_of[m.group()] for m in self._blocks_re.finditer(text)))


def place_extractor(rules: Rules) -> PlaceExtractor:
    """The place extractor of ``rules`` (compiled once per rules content)."""
    return compiled(PlaceExtractor, rules)
