"""Organisations in running text: name-token runs that end in a type's suffix, gazetteer names, names
with a legal form or a legal person in front, universities named through one of their parts, and
companies listed after a label that says so (``rules/organizations.yaml``). Offsets are into the text
given."""

from __future__ import annotations

import re

from pipeline.core.document import canonical_text
from pipeline.core.rules import Rules
from pipeline.core.spans import Span
from pipeline.extractors.common import (
    alt,
    compiled,
    first_char_lookahead,
    kana_place_front,
    kana_places,
    stop_index,
    strip_stop,
)

_HIRAGANA = re.compile(r"[\u3041-\u309f]")


def _katakana(ch: str) -> bool:
    return "\u30a0" <= ch <= "\u30ff"


def _word_char(ch: str) -> bool:
    """Kanji or katakana: a character that would continue a name."""
    return "\u3400" <= ch <= "\u9fff" or "\u30a0" <= ch <= "\u30ff"

# The rules of rules/organizations.yaml this module fires (a mention's `rule`).
RULE_IDS = ("org.gazetteer", "org.legal_form", "org.suffix", "org.legal_person", "org.university_part",
            "org.company_cue", "org.abbreviation")


_TYPE_CACHE_MAX = 100_000  # names whose type is remembered (a bound for very long runs)
_CACHED_CHARS = 200  # longer texts are not remembered (the caches' memory stays bounded)
_UNSEEN = object()
_FRONT_CHARS = 12  # the longest front a joiner joins to a name (ふくおか産業・…)
# A word of katakana or Latin letters and digits (after NFKC): パナソニック, NTT.
_KANA_LATIN_WORD = re.compile(r"[\u30a1-\u30faー・A-Za-z0-9&]+")
_KATAKANA = re.compile(r"[\u30a1-\u30faー]")  # one katakana (or the long vowel mark)
# What may stand right before a list item: a list's separators (、, a slash), a label's colon, a bracket, a line break.
_ITEM_OPENERS = "、,:：(（「/／\n"
# What closes a list item right after a name (、, a full stop, a bracket, a space, 及び, 並びに); not a particle:
# (株)日立の技術者が… is no company's name.
_ITEM_CLOSERS = "、,。.)）」』 \u3000\n及並/／"
# The longest word joined by の that a name may open with (杜の都…, 北の達人…).
_NO_WORD_CHARS = 2


# Words of a government office (a bureau, a division): a run holding one before 大学 names no university.
_OFFICE_CHARS = "局課省庁室"


_KANJI_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")


class OrganizationExtractor:
    """Finds organisations and names their type; the table builders ask it about cells too."""

    def __init__(self, rules: Rules) -> None:
        org = rules.get("organizations")
        self.kana_places = kana_places(rules)
        self.types: dict[str, dict[str, list[str]]] = org["types"]
        self.legal_forms: dict[str, str] = org["legal_forms"]
        self._legal_canonical = [(canonical_text(k), v) for k, v in self.legal_forms.items()]
        self.stop_prefixes = sorted(org["stop_prefixes"], key=len, reverse=True)
        self._stop_firsts = tuple(self.stop_prefixes)
        self._stops_by_first = stop_index(self.stop_prefixes)
        # Names listed under any type (ministries, research agencies) are found as written.
        self.named_type = {n: t for t, cfg in self.types.items() for n in cfg.get("names", [])}
        self.gov_re = re.compile(rf"{first_char_lookahead(self.named_type)}(?<![A-Za-z])(?:{alt(self.named_type)})"
                                 r"(?![A-Za-z])")
        forms = list(self.legal_forms) + list(self.types["company"].get("prefixes", []))
        self.legal_re = re.compile(alt(forms))
        self.legal_persons = sorted(org.get("legal_person_prefixes", []), key=len, reverse=True)
        self._legal_person_firsts = tuple(self.legal_persons)
        self._about_persons = tuple(org.get("legal_person_topics", []))
        self.generic_names = set(org.get("generic_names", []))
        self.name_joiners = "".join(org.get("name_joiners", []))
        # What may front a name: legal persons and the types' prefixes (一般社団法人, 株式会社).
        type_prefixes = [p for cfg in self.types.values() for p in cfg.get("prefixes", [])]
        self._fronts = sorted({*self.legal_persons, *type_prefixes}, key=len, reverse=True)
        self._fronts_re = re.compile(alt(self._fronts)) if self._fronts else None
        particles = org.get("name_gap_particles")
        self._kana_gap = re.compile(rf"(?:(?![{re.escape(particles)}])[\u3041-\u309f]){{1,2}}") if particles else None
        self.reference_prefixes = set(org.get("reference_prefixes", []))
        self.role_words = sorted(org.get("role_words") or (), key=len, reverse=True)
        self._role_lasts = tuple({w[-1] for w in self.role_words})
        self.abbreviations: dict[str, str] = dict(org.get("abbreviations") or {})
        self.abbreviation_re = re.compile(alt(self.abbreviations)) if self.abbreviations else None
        parts = org.get("university_parts", [])
        self.university_part_re = re.compile(rf".+?大学(?=\S{{0,12}}?(?:{alt(parts)}))") if parts else None
        cues = org.get("company_cues") or {}
        self.company_label_re = re.compile(cues["label_pattern"]) if cues.get("label_pattern") else None
        seps = re.escape(cues.get("item_separators", "、"))
        self.company_item_re = re.compile(rf"[^{seps}()。\n]+")
        self.company_item_endings = tuple(sorted(cues.get("item_endings", []), key=len, reverse=True))
        self.company_item_max = int(cues.get("max_item_chars", 24))
        self.company_item_generic = tuple(cues.get("generic_endings", []))
        # (type, gazetteer, suffixes, prefixes) in the rules' order, for type_of.
        self._typed = [(t, frozenset(cfg.get("names", [])), tuple(cfg.get("suffixes", [])),
                        tuple(cfg.get("prefixes", []))) for t, cfg in self.types.items()]
        self._typed_by_name = {row[0]: row for row in self._typed}
        # A local government's department (愛知県産業労働部): a prefecture's or a large city's name, then words
        # holding no other type's suffix, ending in one of the government's local_departments.
        self._departments = tuple(self.types.get("government", {}).get("local_departments") or ())
        places = rules.get("places")
        self._department_heads = tuple(sorted([*places["prefectures"], *(f"{c}市" for c in places.get("cities", []))],
                                              key=len, reverse=True))
        self._other_suffixes = tuple({suf for t, _, sufs, _ in self._typed if t != "municipality" for suf in sufs})
        # A branch of an organisation (日本政策金融公庫仙台支店, 株式会社七十七銀行本店): the organisation, a place
        # maybe (a prefecture, short or whole, or a city, with 市 or without), then one of branch_words.
        self._branches = tuple(sorted(org.get("branch_words") or (), key=len, reverse=True))
        prefs = places["prefectures"]
        # (a block's kanji name too: 産業技術総合研究所東北センター, 中部センター)
        blocks = {w for words in (places.get("blocks") or {}).values() for w in words if _KANJI_WORD.fullmatch(w)}
        self._branch_places = tuple(sorted({*prefs, *(p[:-1] for p in prefs if p[-1] in places["prefecture_suffixes"]),
                                            *places.get("cities", []), *(f"{c}市" for c in places.get("cities", [])),
                                            *blocks}, key=len, reverse=True))
        self._type_cache: dict[tuple[str, bool], str | None] = {}
        self._canonical_cache: dict[str, str] = {}
        self._run_cache: dict[tuple[str, str, str], tuple[int, int, str, str, str] | None] = {}

    def named(self, org_type: str) -> list[str]:
        """The gazetteer of a type (the ministries for ``government``)."""
        return list(self.types.get(org_type, {}).get("names", []))

    def cue_words(self) -> list[str]:
        """Words that can end or start an organisation's name (a line without one has none)."""
        cues = [w for cfg in self.types.values() for k in ("suffixes", "prefixes") for w in cfg.get(k, [])]
        # The abbreviated forms too ((株), ㈱): a line naming a company only by one holds a name as well.
        return cues + list(self.legal_forms.values()) + list(self.legal_forms)

    def strip_stop(self, text: str, offset: int = 0, token_starts: set[int] | None = None) -> int:
        """How many leading characters are reference words (各, 両...) rather than name."""
        return strip_stop(self.stop_prefixes, text, offset, token_starts, self._stops_by_first)

    def canonical(self, text: str) -> str:
        """The name as the organisations table keys it: NFKC, layout spaces gone, legal forms spelled out, a
        short name of ``abbreviations`` as its full name."""
        if len(text) > _CACHED_CHARS:
            return self._canonical(text)
        name = self._canonical_cache.get(text)
        if name is None:  # the same names come back on every page
            if len(self._canonical_cache) >= _TYPE_CACHE_MAX:
                self._canonical_cache.clear()
            name = self._canonical_cache[text] = self._canonical(text)
        return name

    def _canonical(self, text: str) -> str:
        name = canonical_text(text)
        if "(" in name:  # abbreviated legal forms are bracketed after NFKC
            for short, full in self._legal_canonical:
                name = name.replace(short, full)
        return self.abbreviations.get(name, name)  # a whole short name (東北大, 産総研): the full name

    def without_legal_person(self, name: str) -> str:
        """A canonical name without the legal person in front (地方独立行政法人青森県産業技術センター ->
        青森県産業技術センター), as the organisations table keys it."""
        if name.startswith(self._legal_person_firsts):
            person = next((p for p in self.legal_persons if name.startswith(p) and len(name) > len(p) + 1), "")
            return name[len(person) :]
        return name

    def type_of(self, name: str, allow_municipality: bool = False) -> str | None:
        """Type of an organisation name by its gazetteer, suffixes or prefixes, or None when it is not one."""
        key = (name, allow_municipality)
        if key not in self._type_cache:  # the same names come back on every page
            if len(self._type_cache) >= _TYPE_CACHE_MAX:
                self._type_cache.clear()
            self._type_cache[key] = self._type_of(name, allow_municipality)
        return self._type_cache[key]

    def _type_of(self, name: str, allow_municipality: bool) -> str | None:
        # Each type's suffixes are tried first as one tuple (str.endswith in C); only a name ending in one
        # of them is checked suffix by suffix, for "longer than the suffix".
        for t, names, suffixes, _ in self._typed:
            if t == "municipality" and not allow_municipality:
                continue
            if name in names:
                return t
            if name.endswith(suffixes) and any(name.endswith(suf) and len(name) > len(suf) for suf in suffixes):
                return t
        for t, _, _, prefixes in self._typed:
            if name.startswith(prefixes) and any(name.startswith(pre) and len(name) > len(pre) for pre in prefixes):
                return t
        if self._departments and name.endswith(self._departments) and name.startswith(self._department_heads):
            head = next(h for h in self._department_heads if name.startswith(h))
            words = name[len(head) :]
            if len(words) >= 3 and not any(suf in words for suf in self._other_suffixes):
                return "government"
        if self._branches and name.endswith(self._branches):
            inner = name[: -len(next(b for b in self._branches if name.endswith(b)))]
            for head in ("", *(p for p in self._branch_places if inner.endswith(p))):
                t = self._type_of(inner[: len(inner) - len(head)], False) if len(inner) > len(head) else None
                if t is not None:
                    return t
        return None

    def _legal_prefixed_any(self, name: str) -> bool:
        """Whether a company's legal form opens the name, before more of it (株式会社…研究所)."""
        prefixes = self._typed_by_name["company"][3] if "company" in self._typed_by_name else ()
        return bool(prefixes) and name.startswith(prefixes) and any(
            name.startswith(p) and len(name) > len(p) for p in prefixes)

    def _legal_prefixed(self, name: str) -> bool:
        """True when only a company's legal form before the name (株式会社…) makes it an organisation."""
        if any(name.endswith(suffixes) and any(name.endswith(suf) and len(name) > len(suf) for suf in suffixes)
               for t, _, suffixes, _ in self._typed if t != "municipality"):
            return False
        prefixes = self._typed_by_name["company"][3]
        return name.startswith(prefixes) and any(name.startswith(p) and len(name) > len(p) for p in prefixes)

    def find(self, text: str, runs: list[tuple[int, int]], token_starts: set[int] | None = None) -> list[Span]:
        """Organisations in ``text``, given its name-token runs."""
        out: list[Span] = []
        for m in self.gov_re.finditer(text):
            # 国立研究開発法人物質・材料研究機構: the legal person in front belongs to the mention.
            start = next((m.start() - len(p) for p in self.legal_persons if text.endswith(p, 0, m.start())),
                         m.start())
            out.append(Span("organization", start, m.end(), m.group(), "org.gazetteer",
                            org_type=self.named_type[m.group()]))
        runs = self._across_kana(text, runs)
        run_end = {e: s for s, e in runs}
        run_start = {s: e for s, e in runs}
        for m in self.legal_re.finditer(text):
            s, e = m.span()
            # (a run of digits before it is a list number, ①㈱…, not a name)
            before = s in run_end and not text[run_end[s] : s].isdigit()
            if before and (e not in run_start or text[s - 1 : s] not in "、,"):
                start, end = run_end[s], e  # パルステック工業(株)
            elif e in run_start:
                start, end = s, self._dotted_katakana(text, run_start[e], run_start)  # (株)アメリオ
                end = self._through_no(text, e, end, run_start)  # 株式会社北の達人コーポレーション
                end = self._without_role(text, e, end)  # 株式会社ひろしまテック代表取締役: the person's role
            else:
                continue
            start += self.strip_stop(text[start:end], start, token_starts)
            name = self.canonical(text[start:end])
            # (独), (地独): a legal person, which the canonical name leaves out as it does 国立大学法人.
            bare = self.without_legal_person(name)
            # (株) is a company; (一社), (公財) front an association or an institute: the name says which,
            # else the legal form does ((独)…東北センター is a research agency's, not a company).
            # A company's legal form makes a company whatever the name ends in ((株)北の食品研究所), as 株式会社 in
            # front does in a run.
            form = self.legal_forms.get(m.group(), m.group())
            company = form in self._typed_by_name.get("company", ("", (), (), ()))[3]
            out.append(Span("organization", start, end, bare, "org.legal_form" if bare == name else "org.legal_person",
                            org_type="company" if company else self.type_of(bare) or self.type_of(name) or "company"))
        company_fronts = self._typed_by_name["company"][3] if "company" in self._typed_by_name else ()
        joined_to = -1  # the end of a run joined to the one before it (below): read no more on its own
        for s, e in runs:
            if s < joined_to:
                continue
            if True in map(str.isdigit, text[s:e]):  # counts glued to a name (約580社11大学) are not part of it
                s = max(i for i in range(s, e) if text[i].isdigit()) + 1
            if text.startswith(company_fronts, s):
                e = self._dotted_katakana(text, e, run_start)
                front = max((f for f in company_fronts if text.startswith(f, s)), key=len)
                e = joined_to = self._through_no(text, s + len(front), e, run_start)  # 株式会社北の達人…
                e = self._without_role(text, s + len(front), e)
            person = ""
            if text.startswith(self._legal_person_firsts, s):  # one C call rules most runs out
                person = next((p for p in self.legal_persons if text.startswith(p, s) and e - s > len(p)), "")
            # 国立大学法人…: the legal person is part of the name, not a stop word. Most runs start with no
            # stop word at all (one C call).
            if not person and text.startswith(self._stop_firsts, s, e):
                s += self.strip_stop(text[s:e], s, token_starts)
            if text[s : s + 1] in self.reference_prefixes and (token_starts is None or s + 1 in token_starts):
                continue  # 県工業技術センター: "the prefecture's", no particular one
            # What follows reads only the run's text, the character before it and the legal person: the
            # same runs come back on every page, so their outcome is remembered.
            if e - s > _CACHED_CHARS:
                found = self._typed_run(text, s, e, person)
            else:
                key = (person, text[s - 1 : s] if s else "", text[s:e])
                found = self._run_cache.get(key, _UNSEEN)
                if found is _UNSEEN:
                    if len(self._run_cache) >= _TYPE_CACHE_MAX:
                        self._run_cache.clear()
                    found = self._run_cache[key] = self._typed_run(text, s, e, person)
            if found is not None:
                ds, de, name, rule, t = found
                start = s + ds
                if ds == 0 and s and _HIRAGANA.match(text, s - 1):
                    start, name = self._kana_place_front(text, start, s + de, name)  # と|やま…協議会
                if rule == "org.suffix" and ds == 0:
                    start, name = self._joined(text, start, s + de, name, run_end)
                    start, name = self._no_front(text, start, s + de, name, run_end)  # 杜の都信用金庫
                    if t == "company" and start == s:
                        start, name = self._spaced_front(text, start, s + de, name, run_end)
                out.append(Span("organization", start, s + de, name, rule, org_type=t))
        return out + self.cued_companies(text) + self.abbreviated(text, token_starts)

    def _kana_place_front(self, text: str, s: int, e: int, name: str) -> tuple[int, str]:
        """A name whose run starts inside a place written in hiragana (the tokens read と of とやま as a particle:
        、と|やま医薬品産業振興協議会): from the place on, within the kana right before the run."""
        floor = s
        while floor and _HIRAGANA.match(text, floor - 1):
            floor -= 1
        front = kana_place_front(text, s, floor, self.kana_places)
        if front is None or front == s:
            return s, name
        return front, self.canonical(text[front:e])

    def _dotted_katakana(self, text: str, end: int, run_start: dict[int, int]) -> int:
        """Where a company's name after its legal form ends when katakana words a joiner (・) parts run on
        from ``end`` (株式会社ジェイ・ワークス): the end of the last such run."""
        while (text[end : end + 1] in self.name_joiners and end + 1 in run_start
               and _KATAKANA.fullmatch(text[end - 1 : end]) and _KATAKANA.match(text, end + 1)):
            end = run_start[end + 1]
        return end

    def _across_kana(self, text: str, runs: list[tuple[int, int]]) -> list[tuple[int, int]]:
        """``runs`` with a run that opens with a legal person or form and names nothing by itself joined to the next
        run across one or two kana that are no particle, when that run ends as a name does (一般社団法人ひだ /
        か / 地域振興会: 一般社団法人ひだか地域振興会)."""
        if self._kana_gap is None or self._fronts_re is None:
            return runs
        # Only runs opening where a legal person or form is written can join: found by one scan.
        index = {s: k for k, (s, _) in enumerate(runs)}
        joins: dict[int, int] = {}  # run index -> the end of the run it is joined to
        for f in self._fronts_re.finditer(text):
            k = index.get(f.start())
            if k is None or k + 1 >= len(runs) or k in joins or k - 1 in joins:
                continue
            (s, e), (s2, e2) = runs[k], runs[k + 1]
            if e - s > len(f.group()) and self._kana_gap.fullmatch(text, e, s2) is not None and (
                    self.type_of(self.canonical(text[f.end() : e])) is None
                    and self.type_of(self.canonical(text[f.end() : e2])) is not None):
                joins[k] = e2
        if not joins:
            return runs
        out: list[tuple[int, int]] = []
        skip = False
        for k, (s, e) in enumerate(runs):
            if skip:
                skip = False
                continue
            if k in joins:
                out.append((s, joins[k]))
                skip = True
            else:
                out.append((s, e))
        return out

    def _joined(self, text: str, s: int, e: int, name: str, run_end: dict[int, int]) -> tuple[int, str]:
        """A name whose run starts right after a joiner (・) that ends another run takes that run in front
        when it names nothing of its own (ふくおか産業・科学技術振興財団); 東北大学・東北学院大学 and
        宮城県・仙台市 stay two. Returns the start and the name."""
        if not self.name_joiners or s < 2 or text[s - 1] not in self.name_joiners or s - 1 not in run_end:
            return s, name
        left_start = run_end[s - 1]
        left = text[left_start : s - 1]
        # (a legal person or form in front of the words is the joined name's: 財団法人福岡県産業・科学技術振興財団)
        left = left[len(next((f for f in self._fronts if left.startswith(f) and len(left) > len(f)), "")) :]
        # A front is a few plain words: no figure, no name of its own (listed, typed or a place) in it,
        # no stop word opening it.
        if (not left.strip() or len(left) > _FRONT_CHARS or any(ch.isdigit() for ch in left)
                or self.gov_re.search(left) is not None
                or self.type_of(self.canonical(left), allow_municipality=True) is not None
                or any(left.startswith(w) for w in self.stop_prefixes)):
            return s, name
        return left_start, self.canonical(text[left_start:e])

    def _without_role(self, text: str, start: int, end: int) -> int:
        """Where a name after its legal form ends when a person's role closes its run (株式会社…テック代表取締役,
        …社長: ``role_words``): before the role, if a name is left."""
        if not self.role_words or not text.endswith(self._role_lasts, start, end):
            return end
        role = next((w for w in self.role_words if text.endswith(w, start, end)), "")
        return end - len(role) if role and end - len(role) > start else end

    def _through_no(self, text: str, start: int, end: int, run_start: dict[int, int]) -> int:
        """Where a company's name after its legal form ends when its first word is short and joined by の to
        the rest of the item (株式会社北の達人コーポレーション): the end of the run after の, when the item ends
        there; else ``end``."""
        if (end - start > _NO_WORD_CHARS or text[end : end + 1] != "の" or end + 1 not in run_start
                or any(ch.isdigit() for ch in text[start:end])):
            return end
        after = run_start[end + 1]
        return after if after >= len(text) or text[after] in _ITEM_CLOSERS else end

    def _no_front(self, text: str, s: int, e: int, name: str, run_end: dict[int, int]) -> tuple[int, str]:
        """A name whose run starts right after の takes the short word before の in front when that word opens
        a list item and is no reference, stop word, place or name of its own (、杜の都信用金庫: 杜の都信用金庫;
        not 県の工業技術センター, 東北大学の…). Returns the start and the name."""
        if s < 2 or text[s - 1] != "の" or s - 1 not in run_end:
            return s, name
        left_start = run_end[s - 1]
        left = text[left_start : s - 1]
        if (len(left) > _NO_WORD_CHARS or (left_start and text[left_start - 1] not in _ITEM_OPENERS + " \u3000")
                or any(ch.isdigit() for ch in left) or left in self.reference_prefixes
                or any(left.startswith(w) for w in self.stop_prefixes)
                or self.type_of(self.canonical(left), allow_municipality=True) is not None
                or self.gov_re.search(left) is not None):
            return s, name
        return left_start, self.canonical(text[left_start:e])

    def _spaced_front(self, text: str, s: int, e: int, name: str, run_end: dict[int, int]) -> tuple[int, str]:
        """A company's name whose words a space parts (パナソニック ホールディングス株式会社, ソニー グループ株式会社):
        a katakana or Latin word right before the space, opening a list item (after 、, a colon, a bracket or
        at the line's start), is the name's front. Returns the start and the name."""
        if s < 2 or text[s - 1] not in " \u3000" or s - 1 not in run_end or not _KANA_LATIN_WORD.match(text, s):
            return s, name
        left_start = run_end[s - 1]
        if (not _KANA_LATIN_WORD.fullmatch(text, left_start, s - 1) or s - 1 - left_start > _FRONT_CHARS
                or (left_start and text[left_start - 1] not in _ITEM_OPENERS)):
            return s, name
        return left_start, self.canonical(text[left_start:e])

    def abbreviated(self, text: str, token_starts: set[int] | None) -> list[Span]:
        """Universities and agencies by short name (東北大 -> 東北大学, 産総研 -> 産業技術総合研究所), where the short
        name is a whole word: it starts
        a token and a kanji word or no word follows it (東北大教授; not 北大リサーチパーク, a place's name);
        without tokens, no kanji or katakana on either side."""
        if self.abbreviation_re is None:
            return []
        out = []
        for m in self.abbreviation_re.finditer(text):
            s, e = m.span()
            if token_starts is not None:
                whole = s in token_starts and (e == len(text) or not _word_char(text[e])
                                               or e in token_starts and not _katakana(text[e]))
            else:
                whole = not (s and _word_char(text[s - 1])) and not (e < len(text) and _word_char(text[e]))
            if whole and m.group().isascii() and (s and text[s - 1].isascii() and text[s - 1].isalnum()
                                                  or e < len(text) and text[e].isascii() and text[e].isalnum()):
                whole = False  # NEDOSHOP, JSTAR: a Latin acronym inside a longer Latin word
            if whole and not text.startswith("学", e):
                full = self.abbreviations[m.group()]
                t = self.named_type.get(full) or self.type_of(full) or "university"
                branch = self._branch_after(text, e)  # 産総研東北センター: the agency's branch, named in full
                if branch:
                    full, e = full + text[e : e + branch], e + branch
                out.append(Span("organization", s, e, full, "org.abbreviation", org_type=t))
        return out

    def _branch_after(self, text: str, at: int) -> int:
        """How many characters from ``at`` name a branch: a place (a prefecture, a city, a block), then one of
        ``branch_words`` (東北センター, 仙台支所); else 0."""
        if not self._branches:
            return 0
        for place in self._branch_places:
            if text.startswith(place, at):
                b = next((w for w in self._branches if text.startswith(w, at + len(place))), "")
                if b:
                    return len(place) + len(b)
        return 0

    def _typed_run(self, text: str, s: int, e: int, person: str) -> tuple[int, int, str, str, str] | None:
        """(start, end relative to ``s``, name, rule, type) of the organisation a run names, or None."""
        s0 = s
        gov = self.gov_re.match(text, s, e)
        if gov and gov.end() < e:  # 文部科学省大学等…: the ministry is its own mention
            s = gov.end()
        rule, t = "org.suffix", None
        part = self.university_part_re.match(text, s, e) if self.university_part_re else None
        if part:  # 静岡大学工学部 names the university
            e, rule, t = part.end(), "org.university_part", "university"
        elif self.type_of(self.canonical(text[s:e])) is None:
            k = text.rfind("大学", s + 1, e)
            if k > s and not any(c in text[s:k] for c in _OFFICE_CHARS):
                # 明治大学研究・…: a university opens an untyped run (研究振興局大学研究基盤整備課 is a ministry's
                # division: a bureau's word before 大学 names no university)
                e, rule, t = k + 2, "org.university_part", "university"
        name = self.canonical(text[s + len(person) : e])
        if person:
            rule = "org.legal_person"
        t = t or self.type_of(name)
        if t not in (None, "company") and not person and self._legal_prefixed_any(name):
            t = "company"  # 株式会社北海道総合研究所: the company's legal form in front outranks the suffix
        # 学校法人立命館: a name with no suffix of its own is still named by its legal person, where a type's
        # prefixes list that legal person; not a word about such persons (国立大学法人運営費交付金, …法人化)
        if t is None and person and not name.endswith(self._about_persons):
            t = self.type_of(self.canonical(text[s:e]))
        if t is None or name in self.generic_names or len(name) < 2:
            return None
        if rule == "org.suffix" and t == "company" and self._legal_prefixed(name):
            rule = "org.legal_form"  # 株式会社日本エレクトロニクス is known by its spelled-out legal form
        return s - s0, e - s0, name, rule, t

    def cued_companies(self, text: str) -> list[Span]:
        """Companies listed after a label that says so (参画企業:アメリオ、浜松ホトニクス)."""
        if self.company_label_re is None:
            return []
        out = []
        for lab in self.company_label_re.finditer(text):
            bracket = lab.group().endswith("(")
            stop = [text.find(c, lab.end()) for c in ("\n", "。", ")" if bracket else "\n")]
            end = min([p for p in stop if p >= 0], default=len(text))
            if bracket and text.find(")", lab.end()) < 0:
                continue
            for item in self.company_item_re.finditer(text, lab.end(), end):
                s, e = item.span()
                while s < e and text[s] == " ":
                    s += 1
                while e > s and text[e - 1] == " ":
                    e -= 1
                for w in self.company_item_endings:
                    if text.endswith(w, s, e) and e - s > len(w):
                        e -= len(w)
                        break
                name = self.canonical(text[s:e])
                if not 2 <= len(name) <= self.company_item_max or any(ch.isdigit() for ch in name):
                    continue
                if name in self.generic_names or " " in text[s:e] or name.endswith(self.company_item_generic):
                    continue
                if _HIRAGANA.search(name) and self.type_of(name) is None:
                    continue  # 中小企業者に限る: a condition in prose, not a name
                out.append(Span("organization", s, e, name, "org.company_cue",
                                org_type=self.type_of(name) or "company"))
        return out


def organization_extractor(rules: Rules) -> OrganizationExtractor:
    """The organisation extractor of ``rules`` (compiled once per rules content)."""
    return compiled(OrganizationExtractor, rules)
