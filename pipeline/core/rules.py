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
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pipeline.core.schema import TABLES

# Where the rules are when nothing names a folder: the copy a wheel carries inside the package, else
# the top-level rules/ of a checkout (an editable install reads the editable source in place).
PACKAGED_RULES_DIR = Path(__file__).resolve().parents[1] / "rules"
CHECKOUT_RULES_DIR = Path(__file__).resolve().parents[2] / "rules"
RULES_ENV = "PIPELINE_RULES"


def default_rules_dir() -> Path:
    """The rules folder used when none is given: ``$PIPELINE_RULES``, else the installed rules.

    Never the current folder: a command run from anywhere reads the same rules.
    """
    env = os.environ.get(RULES_ENV)
    if env:
        return Path(env)
    if PACKAGED_RULES_DIR.is_dir():
        return PACKAGED_RULES_DIR
    return CHECKOUT_RULES_DIR


def resolve_rules_dir(directory: str | Path | None = None) -> Path:
    """``directory`` if given, else :func:`default_rules_dir`."""
    return Path(directory) if directory is not None else default_rules_dir()


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
        "wrap.hanging_indent": int, "wrap.continuation_starts": str, "wrap.figure_ends": str,
        "wrap.figure_starts": str, "wrap.figure_prefix_ends": str, "section_starts": str,
    },
    "numbers": {
        "approx_before": list, "approx_after": list, "negative_signs": list, "yen_units": list,
        "yen_prefixes": list, "vague_before": str, "counters": list, "ordinal_before": str, "ordinal_after": list,
        "numerals": dict, "numerals.digits": dict, "numerals.small_units": dict, "numerals.big_units": dict,
    },
    "dates": {
        "weekdays": str, "eras": list, "first_year_words": list, "fiscal_year_start_month": int,
        "range_separators": list, "range_closers": list, "open_range_markers": list,
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


EXAMPLE_KEYS = {"text", "mentions", "no_mentions", "rows", "only_rows", "note"}
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


class _FastLineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """The same loader on libyaml's parser where PyYAML has it (about ten times faster to parse)."""


_FastLineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _load_checked(text: str, where: str, loader_class: type) -> Any:
    """Parse once, refuse an alias bomb from the node tree, then build the values from the same tree."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        _check_expansion(node, where)
        return None if node is None else loader.construct_document(node)
    finally:
        loader.dispose()


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
    """Why ``pattern`` may backtrack catastrophically, or None.

    A structural check of the parsed pattern, not a proof. Refused:

    - a variable-length repeat inside a long or unbounded repeat (``(\\d+)+``);
    - inside such a repeat, an alternation whose branches can start with the same character, or one
      of which is empty (``(?:\\d|\\d\\d)+``, which the parser reads as ``(?:\\d(?:|\\d))+``): each
      is a way to cut one run of text in exponentially many ways;
    - unbounded repeats of overlapping characters one after the other with only optional items
      between (``\\d*\\d*\\d*回``), polynomial in the length of the run.

    Atomic groups ``(?>...)`` and possessive quantifiers (``++``, ``*+``) never give back what they
    matched, so a repeat directly around them is safe.
    """
    from re import _constants as sre_c  # the stdlib's own parser (private API)
    from re import _parser as sre_p

    repeats = (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT)
    parsed = sre_p.parse(pattern)

    def width(items: Any) -> tuple[int, int]:
        return sre_p.SubPattern(parsed.state, list(items)).getwidth()

    def alternation_risk(branches: list[Any]) -> str | None:
        firsts = [_first_chars(b, parsed.state) for b in branches]
        for i, a in enumerate(firsts):
            if any(_overlap(a, b) for b in firsts[i + 1 :]):
                return "alternatives that can match the same text inside a repeat"
        return None

    def walk(items: Any, outer: bool) -> str | None:
        before: list[Any] = []  # unbounded one-character repeats since the last required item
        for op, av in items:
            if op in repeats or op is sre_c.POSSESSIVE_REPEAT:
                lo, hi, body = av
                variable = hi != lo
                if op in repeats and outer and variable:
                    return "a variable-length repeat inside another repeat (nested quantifier)"
                long_ = hi == sre_c.MAXREPEAT or hi >= _LONG_REPEAT
                if op in repeats and long_ and width(body) == (1, 1):
                    chars = _first_chars(body, parsed.state)
                    if any(_overlap(chars, b) for b in before):
                        return "unbounded repeats of the same characters one after the other"
                    # A required repeat ends what came before it: only optional items are skipped.
                    before = [chars] if lo > 0 else [*before, chars]
                elif width([(op, av)])[0] > 0:
                    before = []
                found = walk(body, op in repeats and long_ or (outer and op in repeats))
            else:
                if width([(op, av)])[0] > 0:
                    before = []
                found = None
                if op is sre_c.ATOMIC_GROUP:
                    found = walk(av, False)
                elif op is sre_c.SUBPATTERN:
                    found = walk(av[-1], outer)
                elif op is sre_c.BRANCH:
                    found = (alternation_risk(av[1]) if outer else None) or next(
                        (r for b in av[1] if (r := walk(b, outer))), None)
                elif op in (sre_c.ASSERT, sre_c.ASSERT_NOT):
                    found = walk(av[1], False)
                elif op is sre_c.GROUPREF_EXISTS:
                    found = next((r for b in av[1:] if b is not None and (r := walk(b, outer))), None)
            if found:
                return found
        return None

    return walk(parsed, False)


# Characters tried when deciding whether two character classes overlap, besides the ends of their
# own ranges and literals: one of each kind a class escape or a negation can stand for.
_SAMPLE_CHARS = "0９aZ_ -.,/\n\t　あアｱ漢、。円万億年月日回第()（）〇一十"


def _first_chars(items: Any, state: Any) -> list[tuple[Any, str]] | None:
    """What the first character of ``items`` can be: one-character matchers, each with the characters
    worth trying against another set; None when unknown (then treated as anything)."""
    from re import _compiler as sre_compile
    from re import _constants as sre_c
    from re import _parser as sre_p

    items = list(items)
    while items and items[0][0] in (sre_c.SUBPATTERN, sre_c.ATOMIC_GROUP):
        inner = items[0][1][-1] if items[0][0] is sre_c.SUBPATTERN else items[0][1]
        items = list(inner) + items[1:]
    if not items:
        return None
    op, av = items[0]
    if op is sre_c.BRANCH:
        found: list[tuple[Any, str]] = []
        for branch in av[1]:
            chars = _first_chars(list(branch) + items[1:], state)
            if chars is None:
                return None
            found.extend(chars)
        return found
    if op in (sre_c.MAX_REPEAT, sre_c.MIN_REPEAT, sre_c.POSSESSIVE_REPEAT) and av[0] > 0:
        return _first_chars(av[2], state)
    if op not in (sre_c.LITERAL, sre_c.NOT_LITERAL, sre_c.IN, sre_c.ANY):
        return None
    probe: list[str] = []
    if op is sre_c.LITERAL:
        probe.append(chr(av))
    elif op is sre_c.IN:
        for kind, value in av:
            if kind is sre_c.LITERAL:
                probe.append(chr(value))
            elif kind is sre_c.RANGE:
                probe.extend((chr(value[0]), chr(value[1])))
    return [(sre_compile.compile(sre_p.SubPattern(state, [(op, av)])), "".join(probe))]


def _overlap(a: list[tuple[Any, str]] | None, b: list[tuple[Any, str]] | None) -> bool:
    """Whether two first-character sets may share a character (unknown ones always may).

    Two ranges that overlap share the larger of their lower ends, which is among the probes; class
    escapes and negations are tried on sample characters of every common kind.
    """
    if a is None or b is None:
        return True
    return any(ma.match(ch) and mb.match(ch)
               for ma, pa in a for mb, pb in b for ch in pa + pb + _SAMPLE_CHARS)


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
            only = ex.get("only_rows") or []
            if not isinstance(only, list) or any(t not in rows for t in only):
                raise RulesError(f"{where}:{_key_line(ex, 'only_rows', eline)}: an example's 'only_rows' must list "
                                 "tables its 'rows' gives")
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
        try:
            return _load_checked(text, where, _FastLineLoader)
        except yaml.YAMLError:  # read again by PyYAML's own parser: its marks and wording are the ones reported
            return _load_checked(text, where, _LineLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        if e.context_mark is not None and "end of stream" in (e.problem or ""):
            mark = e.context_mark  # where the unclosed quote or bracket began, not the file's end
        line = mark.line + 1 if mark else 1
        reason = " ".join(str(e.problem or e.context or "malformed YAML").split())
        opened = _quote_spanning_lines(text, line)
        if opened:
            line = opened
            reason = f"a quoted value opens on this line and does not close on it (unclosed quote?): {reason}"
        raise RulesError(f"{where}:{line}: YAML error: {reason}") from None
    except yaml.YAMLError as e:
        raise RulesError(f"{where}:1: YAML error: {' '.join(str(e).split())}") from None


def _quote_spanning_lines(text: str, error_line: int) -> int | None:
    """The line of a quoted scalar that runs over several lines before ``error_line``, if any.

    YAML lets a quoted value span lines, so a forgotten closing quote is only noticed where the next
    quote ends it, lines later; no rule value spans lines, so such a scalar is the likely cause.
    """
    found = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.line + 1 >= error_line:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'") \
                    and token.end_mark.line > token.start_mark.line:
                found = token.start_mark.line + 1
    except yaml.YAMLError:
        pass
    return found


# A rule file is a few hundred values; aliases that expand it past this are a "billion laughs" bomb
# that would take the validation (which walks the expanded values) hours.
MAX_EXPANDED_VALUES = 100_000


def _check_expansion(root: yaml.Node | None, where: str) -> None:
    """Refuse a document whose aliases expand it past MAX_EXPANDED_VALUES (counted without expanding)."""
    sizes: dict[int, int] = {}

    def size(node: yaml.Node) -> int:
        if id(node) in sizes:
            return sizes[id(node)]
        sizes[id(node)] = 1  # a recursive alias counts once rather than looping
        total = 1
        if isinstance(node, yaml.SequenceNode):
            total += sum(size(n) for n in node.value)
        elif isinstance(node, yaml.MappingNode):
            total += sum(size(k) + size(v) for k, v in node.value)
        sizes[id(node)] = total
        return total

    def children(node: yaml.Node) -> list[yaml.Node]:
        if isinstance(node, yaml.SequenceNode):
            return list(node.value)
        if isinstance(node, yaml.MappingNode):
            return [n for pair in node.value for n in pair]
        return []

    if root is None or size(root) <= MAX_EXPANDED_VALUES:
        return
    node, seen = root, {id(root)}  # down to the value that blows up, so the message names its line
    while (big := next((c for c in children(node) if size(c) > MAX_EXPANDED_VALUES and id(c) not in seen),
                       None)) is not None:
        node = big
        seen.add(id(big))
    raise RulesError(f"{where}:{node.start_mark.line + 1}: YAML aliases expand this value to more than "
                     f"{MAX_EXPANDED_VALUES:,} values (an alias bomb?); write the values out instead")


def load_rules(directory: str | Path | None = None) -> Rules:
    """Load and validate every ``*.yaml`` in ``directory`` (default: :func:`default_rules_dir`).

    The notation files and the file of every registered table must be there with their required keys
    (``pipeline.tables`` registers the built-in tables; the engine, ``run`` and ``check`` import it).
    """
    d = resolve_rules_dir(directory)
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
    d = resolve_rules_dir(directory)
    if not d.is_dir():
        raise RulesError(f"{d}: rules folder not found")
    # Sizes and modification times name the content cheaply; the hash is taken only when they move.
    stamp = tuple((p.name, st.st_mtime_ns, st.st_size) for p in sorted(d.rglob("*.yaml")) for st in [p.stat()])
    where = str(d.resolve())
    seen = _STAMPS.get(where)
    if seen is not None and seen[0] == stamp:
        return seen[1]
    key = (where, rules_hash(d))
    if key not in _CACHE:
        _CACHE[key] = load_rules(d)
    _STAMPS[where] = (stamp, _CACHE[key])
    return _CACHE[key]
