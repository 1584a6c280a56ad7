"""Rules: the Japanese knowledge in ``rules/*.yaml``, loaded, validated and hashed.

Each file is a mapping. Its ``rules`` list holds rules with an ``id`` (what the ``rule`` column of
mentions.csv shows) and ``examples`` that ``tests/test_rule_examples.py`` runs. A malformed file fails
with the file, the line and the reason before any document is touched: bad YAML, a duplicate key, a
missing required key or one of the wrong kind, a rule without an id or with a duplicate one, an example
without text, and a regular expression (a value under ``pattern``/``patterns``/``*_pattern``/``regex``/
``REGEX``, or a ``/.../`` key) that does not compile or nests quantifiers so it could backtrack
catastrophically on hostile input.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.schema import TABLES

DEFAULT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"

# What the notation files must provide, beyond `rules`: file stem -> {key: type}. A dotted key is a key
# of a mapping (``heading.pattern``). These are the keys the code reads unconditionally, so a file
# without one (or with a value of the wrong kind) fails at load instead of in every document. The
# files of the tables are declared with the tables (``Table.rules_file``/``rule_keys``): see
# :func:`required_keys`.
_NUMBER = (int, float)
REQUIRED_KEYS: dict[str, dict[str, type | tuple[type, ...]]] = {
    "layout": {
        "furniture": dict, "furniture.patterns": list, "furniture.page_words": list, "bullets": str,
        "doubled_runs": dict, "doubled_runs.min_doubles": int,
        "doubled_runs.max_run": int, "wrap": dict, "wrap.terminals": str, "wrap.item_starts": str,
        "wrap.prose_marks": str, "wrap.min_ratio": _NUMBER, "wrap.window": int, "wrap.max_blank_lines": int,
        "wrap.hanging_indent": int, "wrap.continuation_starts": str,
    },
    "numbers": {
        "approx_before": list, "approx_after": list, "negative_signs": list, "yen_units": list,
        "yen_prefixes": list, "vague_before": str, "counters": list, "ordinal_before": str, "ordinal_after": list,
        "numerals": dict, "numerals.digits": dict, "numerals.small_units": dict, "numerals.big_units": dict,
    },
    "dates": {
        "eras": list, "first_year_words": list, "fiscal_year_start_month": int, "range_separators": list,
        "range_closers": list, "open_range_markers": list,
    },
    "organizations": {"types": dict, "legal_forms": dict, "stop_prefixes": list, "name_run_pattern": list},
    "places": {"prefectures": list, "prefecture_suffixes": str, "blocks": dict},
    "events": {"suffixes": list, "ordinal_pattern": str},
}  # fmt: skip


def required_keys() -> dict[str, dict[str, type | tuple[type, ...]]]:
    """Every required rule file with its required keys: the notation files' and the registered tables'.

    The built-in tables are registered by importing :mod:`pipeline.tables` (the engine, ``run`` and
    ``check`` do); their files are required from then on.
    """
    out = {stem: dict(keys) for stem, keys in REQUIRED_KEYS.items()}
    for table in TABLES.values():
        if table.rules_file:
            out.setdefault(table.rules_file, {}).update(table.rule_keys)
    return out


EXAMPLE_KEYS = {"text", "mentions", "no_mentions", "rows", "note"}
ASSERTING_KEYS = ("mentions", "no_mentions", "rows")
# Values under these keys are regular expressions (``REGEX`` is spaCy's Matcher operator); so is a
# mapping key written ``/.../`` (budget parents).
_REGEX_KEY = re.compile(r"(?i)(?:regex|patterns?|\w+_patterns?)")
_TYPE_NAMES = {dict: "a mapping", list: "a list", str: "a string", int: "an integer", _NUMBER: "a number"}


class RulesError(Exception):
    """A rule file that cannot be used; the message names the file, the line and the reason."""


class _LineDict(dict):
    """A mapping from a rule file that knows its line, and the line of each key and list item."""

    def __init__(self, line: int = 0) -> None:
        super().__init__()
        self.line = line
        self.key_lines: dict[Any, int] = {}
        self.item_lines: dict[Any, list[int]] = {}


class _LineLoader(yaml.SafeLoader):
    """SafeLoader that remembers lines (for error messages) and refuses duplicate keys."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> _LineDict:
    loader.flatten_mapping(node)  # YAML merge keys (<<)
    mapping = _LineDict(node.start_mark.line + 1)
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value",
                                                    key_node.start_mark) from None
        if key in mapping:
            # PyYAML would silently keep the last one: an edit that "does nothing" is worse than an error.
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key {key!r} (first on line {mapping.key_lines[key]})", key_node.start_mark
            )
        mapping[key] = loader.construct_object(value_node, deep=True)
        mapping.key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            mapping.item_lines[key] = [n.start_mark.line + 1 for n in value_node.value]
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def line_of(obj: Any) -> int:
    return getattr(obj, "line", 0)


def _key_line(mapping: Any, key: Any, default: int = 0) -> int:
    return getattr(mapping, "key_lines", {}).get(key, default) or line_of(mapping) or default


def _item_lines(mapping: Any, key: Any, count: int, default: int) -> list[int]:
    lines = getattr(mapping, "item_lines", {}).get(key, [])
    return lines if len(lines) == count else [default] * count


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


def rules_hash(directory: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(directory.rglob("*.yaml")):
        h.update(path.relative_to(directory).as_posix().encode())
        h.update(b"\0")
        h.update(path.read_bytes())
        h.update(b"\0")
    return h.hexdigest()


# -- regular expressions -------------------------------------------------------------------------

# An outer repeat at least this long (or unbounded) around a variable-length inner repeat can split a
# run of characters in exponentially many ways before it gives up: (\d+)+, (?:a|b{1,3})*, (x*y*)*.
_LONG_REPEAT = 10


def backtracking_risk(pattern: str) -> str | None:
    """Why ``pattern`` may backtrack catastrophically (a nested quantifier), or None.

    A structural check of the parsed pattern, not a proof: a variable-length repeat inside a long or
    unbounded repeat is refused. Atomic groups ``(?>...)`` and possessive quantifiers (``++``, ``*+``)
    never give back what they matched, so a repeat directly around them is safe.
    """
    from re import _constants as sre_c  # the stdlib's own parser (private API)
    from re import _parser as sre_p

    repeats = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT)

    def walk(items: Any, outer: bool) -> str | None:
        for op, av in items:
            if op in repeats or op is sre_c.POSSESSIVE_REPEAT:
                lo, hi, body = av
                variable = hi != lo
                if op in repeats and outer and variable:
                    return "a variable-length repeat inside another repeat (nested quantifier)"
                long_ = hi == sre_c.MAXREPEAT or hi >= _LONG_REPEAT
                found = walk(body, op in repeats and long_ or (outer and op in repeats))
            elif op is sre_c.ATOMIC_GROUP:
                found = walk(av, False)
            elif op is sre_c.SUBPATTERN:
                found = walk(av[-1], outer)
            elif op is sre_c.BRANCH:
                found = next((r for b in av[1] if (r := walk(b, outer))), None)
            elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
                found = walk(av[1], False)
            elif op is sre_c.GROUPREF_EXISTS:
                found = next((r for b in av[1:] if b is not None and (r := walk(b, outer))), None)
            else:
                found = None
            if found:
                return found
        return None

    return walk(sre_p.parse(pattern), False)


def _check_regex(pattern: str, where: str, line: int) -> None:
    try:
        re.compile(pattern)
    except re.error as e:
        raise RulesError(f"{where}:{line}: bad regular expression {pattern!r}: {e}") from None
    risk = backtracking_risk(pattern)
    if risk:
        raise RulesError(f"{where}:{line}: regular expression {pattern!r} may backtrack catastrophically: "
                         f"{risk}; make the inner part atomic (?>...) or possessive (\\d++)")


def _validate_regexes(obj: Any, where: str, line: int) -> None:
    """Compile every regular expression in a rule file, so a bad one fails at load with its line."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            kline = _key_line(obj, k, line)
            if isinstance(k, str) and len(k) > 2 and k.startswith("/") and k.endswith("/"):
                _check_regex(k[1:-1], where, kline)
            if isinstance(k, str) and _REGEX_KEY.fullmatch(k) and isinstance(v, str):
                _check_regex(v, where, kline)
            elif isinstance(k, str) and _REGEX_KEY.fullmatch(k) and isinstance(v, list):
                for item, iline in zip(v, _item_lines(obj, k, len(v), kline), strict=True):
                    if isinstance(item, str):
                        _check_regex(item, where, iline)
                    else:
                        _validate_regexes(item, where, iline)
            else:
                _validate_regexes(v, where, kline)
    elif isinstance(obj, list):
        for item in obj:
            _validate_regexes(item, where, line_of(item) or line)


# -- structure -----------------------------------------------------------------------------------


def _validate_required(stem: str, data: dict[str, Any], where: str,
                       required: dict[str, dict[str, type | tuple[type, ...]]]) -> None:
    for dotted, type_ in required.get(stem, {}).items():
        holder: Any = data
        line = line_of(data) or 1
        *parents, key = dotted.split(".")
        for p in parents:
            line = _key_line(holder, p, line) if isinstance(holder, dict) else line
            holder = holder.get(p) if isinstance(holder, dict) else None
        if not isinstance(holder, dict):
            continue  # the parent itself is reported missing or of the wrong kind
        if key not in holder:
            raise RulesError(f"{where}:{line}: missing required key {dotted!r}")
        value = holder[key]
        if not isinstance(value, type_) or (type_ in (int, _NUMBER) and isinstance(value, bool)):
            raise RulesError(f"{where}:{_key_line(holder, key, 1)}: {dotted!r} must be {_TYPE_NAMES[type_]}, "
                             f"not {type(value).__name__} {value!r}"[:300])


def _validate_file(stem: str, data: Any, where: str, ids: dict[str, str],
                   required: dict[str, dict[str, type | tuple[type, ...]]]) -> None:
    if not isinstance(data, dict):
        raise RulesError(f"{where}:1: a rule file must be a mapping of keys to values")
    _validate_required(stem, data, where, required)
    rules = data.get("rules", [])
    if not isinstance(rules, list):
        raise RulesError(f"{where}:{_key_line(data, 'rules', 1)}: 'rules' must be a list")
    for r, rline in zip(rules, _item_lines(data, "rules", len(rules), line_of(data)), strict=True):
        if not isinstance(r, dict) or "id" not in r:
            raise RulesError(f"{where}:{line_of(r) or rline}: every rule needs an 'id'")
        rid = r["id"]
        if not isinstance(rid, str) or not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", rid):
            raise RulesError(f"{where}:{_key_line(r, 'id', rline)}: rule id {rid!r} must look like 'kind.name'")
        if rid in ids:
            raise RulesError(f"{where}:{_key_line(r, 'id', rline)}: duplicate rule id {rid!r} "
                             f"(also in {ids[rid]}.yaml)")
        ids[rid] = stem
        examples = r.get("examples") or []
        if not isinstance(examples, list):
            raise RulesError(f"{where}:{_key_line(r, 'examples', rline)}: 'examples' must be a list")
        for ex, eline in zip(examples, _item_lines(r, "examples", len(examples), rline), strict=True):
            if not isinstance(ex, dict) or "text" not in ex:
                raise RulesError(f"{where}:{line_of(ex) or eline}: an example needs a 'text'")
            if not isinstance(ex["text"], str):
                raise RulesError(f"{where}:{_key_line(ex, 'text', eline)}: an example's 'text' must be a string")
            unknown = set(ex) - EXAMPLE_KEYS
            if unknown:
                raise RulesError(f"{where}:{line_of(ex)}: unknown example key(s) {sorted(unknown)}")
            for key in ("mentions", "no_mentions"):
                specs = ex.get(key) or []
                if not isinstance(specs, list) or not all(isinstance(s, dict) for s in specs):
                    raise RulesError(f"{where}:{_key_line(ex, key, eline)}: an example's {key!r} must be a list "
                                     "of mappings")
            rows = ex.get("rows") or {}
            if not isinstance(rows, dict) or not all(isinstance(v, list) for v in rows.values()):
                raise RulesError(f"{where}:{_key_line(ex, 'rows', eline)}: an example's 'rows' must map table "
                                 "names to lists of rows")
            if not any(ex.get(k) for k in ASSERTING_KEYS):
                # A note alone cannot fail: such an example proves nothing about its rule.
                raise RulesError(f"{where}:{line_of(ex) or eline}: example of {rid!r} asserts nothing; give it "
                                 "mentions, no_mentions or rows")
    _validate_regexes(data, where, 1)


def _validate_example_rules(directory: Path, files: dict[str, dict[str, Any]], ids: dict[str, str]) -> None:
    """A mention an example expects may name the rule that makes it; that rule must exist."""
    for stem, data in files.items():
        for r in data.get("rules", []):
            for ex in r.get("examples") or []:
                for spec in ex.get("mentions") or []:
                    named = spec.get("rule")
                    if named is not None and named not in ids:
                        raise RulesError(f"{directory / (stem + '.yaml')}:{line_of(spec)}: example of "
                                         f"{r['id']!r} expects a mention of rule {named!r}, which no rule file "
                                         "declares")


def _read_yaml(path: Path) -> Any:
    where = str(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise RulesError(f"{where}:{line}: not UTF-8 text (byte {raw[e.start]:#04x})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(e.problem or e.context or "malformed YAML").split())
        raise RulesError(f"{where}:{line}: YAML error: {reason}") from None
    except yaml.YAMLError as e:
        raise RulesError(f"{where}:1: YAML error: {' '.join(str(e).split())}") from None


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate every ``*.yaml`` in ``directory`` (default: the project's rules/).

    The notation files and the file of every registered table must be there with their required keys
    (``pipeline.tables`` registers the built-in tables; the engine, ``run`` and ``check`` import it).
    """
    d = Path(directory) if directory is not None else DEFAULT_RULES_DIR
    if not d.is_dir():
        raise RulesError(f"{d}: rules folder not found")
    files: dict[str, dict[str, Any]] = {}
    ids: dict[str, str] = {}
    required = required_keys()
    for path in sorted(d.glob("*.yaml")):
        data = _read_yaml(path)
        _validate_file(path.stem, data, str(path), ids, required)
        files[path.stem] = data
    _validate_example_rules(d, files, ids)
    missing = [stem for stem in required if stem not in files]
    if missing:
        raise RulesError(f"{d}: missing rule file(s): {', '.join(m + '.yaml' for m in missing)}")
    return Rules(directory=d, files=files, hash=rules_hash(d), ids=ids)


_CACHE: dict[tuple[str, str], Rules] = {}
_STAMPS: dict[str, tuple[tuple[tuple[str, int, int], ...], Rules]] = {}


def cached_rules(directory: str | Path | None = None) -> Rules:
    """``load_rules`` memoised on the folder's content hash (a changed file is reloaded)."""
    d = Path(directory) if directory is not None else DEFAULT_RULES_DIR
    if not d.is_dir():
        raise RulesError(f"{d}: rules folder not found")
    # Sizes and modification times name the content cheaply; the hash is taken only when they move.
    stamp = tuple((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in sorted(d.rglob("*.yaml")))
    seen = _STAMPS.get(str(d.resolve()))
    if seen is not None and seen[0] == stamp:
        return seen[1]
    key = (str(d.resolve()), rules_hash(d))
    if key not in _CACHE:
        _CACHE[key] = load_rules(d)
    _STAMPS[str(d.resolve())] = (stamp, _CACHE[key])
    return _CACHE[key]
