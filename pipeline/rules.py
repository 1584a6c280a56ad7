"""Rules: the Japanese knowledge in ``rules/*.yaml``, loaded, validated and hashed.

Each file is a mapping. Its ``rules`` list holds rules with an ``id`` (what the ``rule`` column of
mentions.csv shows) and ``examples`` that ``tests/test_rule_examples.py`` runs. A malformed file fails
with the file, the line and the reason before any document is touched.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

# What every file must provide, beyond `rules` (file stem -> required top-level keys).
REQUIRED_KEYS: dict[str, tuple[str, ...]] = {
    "layout": ("furniture", "wrap", "doubled_runs"),
    "numbers": ("approx_before", "approx_after", "negative_signs", "yen_units", "counters"),
    "dates": ("eras", "fiscal_year_start_month", "range_separators"),
    "organizations": ("types", "legal_forms", "stop_prefixes"),
    "places": ("prefectures", "blocks"),
    "projects": ("markers", "note_markers", "count_columns", "region_overrides"),
    "budget": ("heading", "parents"),
    "hubs": ("categories", "columns", "item_separators", "joiners"),
    "events": ("suffixes",),
}
EXAMPLE_KEYS = {"text", "mentions", "no_mentions", "rows", "note"}


class RulesError(Exception):
    """A rule file that cannot be used; the message names the file, the line and the reason."""


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict[str, Any]:
    mapping = _LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


class _LineDict(dict):
    line: int = 0


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(obj: Any) -> int:
    return getattr(obj, "line", 0)


@dataclass
class Rules:
    """All rule files of a rules folder, by file stem (``rules.get("numbers")``)."""

    directory: Path
    files: dict[str, dict[str, Any]]
    hash: str
    ids: dict[str, str] = field(default_factory=dict)  # rule id -> file stem

    def get(self, stem: str) -> dict[str, Any]:
        try:
            return self.files[stem]
        except KeyError:
            raise RulesError(f"{self.directory}/{stem}.yaml: missing rule file") from None

    def rule(self, stem: str, rule_id: str) -> dict[str, Any]:
        for r in self.get(stem).get("rules", []):
            if r["id"] == rule_id:
                return r
        raise RulesError(f"{self.directory}/{stem}.yaml: no rule with id {rule_id!r}")


def rules_hash(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        h.update(path.relative_to(directory).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


def _validate_regexes(obj: Any, where: str, line: int) -> None:
    """Compile every value under a key named ``pattern``/``patterns`` so a bad regex fails at load."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            ln = line_of(obj) or line
            if k in ("pattern", "patterns", "regex"):
                for pat in v if isinstance(v, list) else [v]:
                    if not isinstance(pat, str):
                        continue
                    try:
                        re.compile(pat)
                    except re.error as e:
                        raise RulesError(f"{where}:{ln}: bad regular expression {pat!r}: {e}") from None
            else:
                _validate_regexes(v, where, ln)
    elif isinstance(obj, list):
        for item in obj:
            _validate_regexes(item, where, line)


def _validate_file(stem: str, data: Any, where: str, ids: dict[str, str]) -> None:
    if not isinstance(data, dict):
        raise RulesError(f"{where}:1: a rule file must be a mapping of keys to values")
    for key in REQUIRED_KEYS.get(stem, ()):
        if key not in data:
            raise RulesError(f"{where}:{line_of(data) or 1}: missing required key {key!r}")
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise RulesError(f"{where}:{line_of(data)}: 'rules' must be a list")
    for r in rules:
        if not isinstance(r, dict) or "id" not in r:
            raise RulesError(f"{where}:{line_of(r) or line_of(data)}: every rule needs an 'id'")
        rid = r["id"]
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", rid):
            raise RulesError(f"{where}:{line_of(r)}: rule id {rid!r} must look like 'kind.name'")
        if rid in ids:
            raise RulesError(f"{where}:{line_of(r)}: duplicate rule id {rid!r} (also in {ids[rid]}.yaml)")
        ids[rid] = stem
        for ex in r.get("examples", []) or []:
            if not isinstance(ex, dict) or "text" not in ex:
                raise RulesError(f"{where}:{line_of(ex) or line_of(r)}: an example needs a 'text'")
            unknown = set(ex) - EXAMPLE_KEYS
            if unknown:
                raise RulesError(f"{where}:{line_of(ex)}: unknown example key(s) {sorted(unknown)}")
    _validate_regexes(data, where, 1)


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate every ``*.yaml`` in ``directory`` (default: the project's rules/)."""
    d = Path(directory) if directory is not None else DEFAULT_RULES_DIR
    if not d.is_dir():
        raise RulesError(f"{d}: rules folder not found")
    files: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    for path in sorted(d.glob("*.yaml")):
        where = str(path)
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
        except yaml.MarkedYAMLError as e:
            mark = e.problem_mark or e.context_mark
            ln = mark.line + 1 if mark else 0
            raise RulesError(f"{where}:{ln}: YAML error: {e.problem or e.context}") from None
        except (yaml.YAMLError, UnicodeDecodeError) as e:
            raise RulesError(f"{where}: cannot read: {e}") from None
        _validate_file(path.stem, data, where, ids)
        files[path.stem] = data
    missing = [stem for stem in REQUIRED_KEYS if stem not in files]
    if missing:
        raise RulesError(f"{d}: missing rule file(s): {', '.join(m + '.yaml' for m in missing)}")
    return Rules(directory=d, files=files, hash=rules_hash(d), ids=ids)


_CACHE: dict[tuple[str, str], Rules] = {}


def cached_rules(directory: str | Path | None = None) -> Rules:
    """``load_rules`` memoised on the folder's content hash (a changed file is reloaded)."""
    d = Path(directory) if directory is not None else DEFAULT_RULES_DIR
    if not d.is_dir():
        raise RulesError(f"{d}: rules folder not found")
    key = (str(d.resolve()), rules_hash(d))
    if key not in _CACHE:
        _CACHE[key] = load_rules(d)
    return _CACHE[key]
