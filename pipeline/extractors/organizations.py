"""Organisations in running text: name-token runs that end in a type's suffix, gazetteer names, and
names with a legal form (``rules/organizations.yaml``). Offsets are into the text given."""

from __future__ import annotations

import re

from pipeline.core.document import canonical_text
from pipeline.core.rules import Rules
from pipeline.core.spans import Span
from pipeline.extractors.common import alt, compiled, strip_stop

# The rules of rules/organizations.yaml this module fires (a mention's `rule`).
RULE_IDS = ("org.gazetteer", "org.legal_form", "org.suffix")


class OrganizationExtractor:
    """Finds organisations and names their type; the table builders ask it about cells too."""

    def __init__(self, rules: Rules) -> None:
        org = rules.get("organizations")
        self.types: dict[str, dict[str, list[str]]] = org["types"]
        self.legal_forms: dict[str, str] = org["legal_forms"]
        self._legal_canonical = [(canonical_text(k), v) for k, v in self.legal_forms.items()]
        self.stop_prefixes = sorted(org["stop_prefixes"], key=len, reverse=True)
        self.gov_re = re.compile(alt(self.named("government")))
        forms = list(self.legal_forms) + list(self.types["company"].get("prefixes", []))
        self.legal_re = re.compile(alt(forms))

    def named(self, org_type: str) -> list[str]:
        """The gazetteer of a type (the ministries for ``government``)."""
        return list(self.types.get(org_type, {}).get("names", []))

    def cue_words(self) -> list[str]:
        """Words that can end or start an organisation's name (a line without one has none)."""
        cues = [w for cfg in self.types.values() for k in ("suffixes", "prefixes") for w in cfg.get(k, [])]
        return cues + list(self.legal_forms.values())

    def strip_stop(self, text: str, offset: int = 0, token_starts: set[int] | None = None) -> int:
        """How many leading characters are reference words (各, 両...) rather than name."""
        return strip_stop(self.stop_prefixes, text, offset, token_starts)

    def canonical(self, text: str) -> str:
        """The name as the organisations table keys it: NFKC, layout spaces gone, legal forms spelled out."""
        name = canonical_text(text)
        if "(" in name:  # abbreviated legal forms are bracketed after NFKC
            for short, full in self._legal_canonical:
                name = name.replace(short, full)
        return name

    def type_of(self, name: str, allow_municipality: bool = False) -> str | None:
        """Type of an organisation name by its gazetteer, suffixes or prefixes, or None when it is not one."""
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

    def _legal_prefixed(self, name: str) -> bool:
        """True when only a company's legal form before the name (株式会社…) makes it an organisation."""
        if any(name.endswith(suf) and len(name) > len(suf) for t, cfg in self.types.items()
               if t != "municipality" for suf in cfg.get("suffixes", [])):
            return False
        return any(name.startswith(p) and len(name) > len(p) for p in self.types["company"].get("prefixes", []))

    def find(self, text: str, runs: list[tuple[int, int]], token_starts: set[int] | None = None) -> list[Span]:
        """Organisations in ``text``, given its name-token runs."""
        out: list[Span] = []
        for m in self.gov_re.finditer(text):
            out.append(Span("organization", m.start(), m.end(), m.group(), "org.gazetteer", org_type="government"))
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
            start += self.strip_stop(text[start:end], start, token_starts)
            name = self.canonical(text[start:end])
            out.append(Span("organization", start, end, name, "org.legal_form", org_type="company"))
        for s, e in runs:
            digits = [i for i in range(s, e) if text[i].isdigit()]
            if digits:  # counts glued to a name (約580社11大学) are not part of it
                s = digits[-1] + 1
            s += self.strip_stop(text[s:e], s, token_starts)
            name = self.canonical(text[s:e])
            t = self.type_of(name)
            if t is None:
                continue
            # 株式会社日本エレクトロニクス is known by its spelled-out legal form, not by a suffix.
            rule = "org.legal_form" if t == "company" and self._legal_prefixed(name) else "org.suffix"
            out.append(Span("organization", s, e, name, rule, org_type=t))
        return out


def organization_extractor(rules: Rules) -> OrganizationExtractor:
    """The organisation extractor of ``rules`` (compiled once per rules content)."""
    return compiled(OrganizationExtractor, rules)
