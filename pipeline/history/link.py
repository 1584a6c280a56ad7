"""Link the rows of one entity across editions: exact keys first, then rules, then the rename detector.

Every link records the rule and the score that made it. A rename the detector proposes with a score
below the threshold is not made: it becomes a warning, and ``rules/entities.yaml`` can confirm it.
Names printed in the same edition are never one entity, whatever their likeness.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from pipeline.audit.diff import _name_score, _rename_compatible
from pipeline.core.normtext import nfkc
from pipeline.history.editions import Edition, HistoryError, Row
from pipeline.ja.numerals import ordinals_as_digits

# The tables linked, in output order; organisations are linked by exact name only (a renamed
# organisation is a merger or a split, not a spelling: rules/entities.yaml says so where it is not).
LINKED_TABLES = ("projects", "budget", "hubs", "events", "organizations")
RENAME_TABLES = ("projects", "budget", "hubs", "events")

# Link rules (the ``rule`` column of links.csv).
EXACT, ALIAS, SERIES, SAME, RENAME_NAME, RENAME_CHILDREN = (
    "key.exact", "key.alias", "event.series", "entities.same", "rename.name", "rename.children",
)


@dataclass
class Entity:
    """One thing followed over the editions: its row and name as written in each edition it is in."""

    table: str
    key: str
    rows: dict[str, Row] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)
    id: str = ""


@dataclass
class Link:
    """Two editions' rows joined into one entity, by ``rule`` with ``score`` (1.0 for keys and rules)."""

    entity: Entity
    before: str
    after: str
    name_before: str
    name_after: str
    rule: str
    score: float


@dataclass
class HistoryWarning:
    """Something a person should look at: a rename proposed below the threshold, a rule that did nothing."""

    table: str
    edition: str
    name: str
    code: str
    message: str


@dataclass
class EntityRules:
    """``rules/entities.yaml``: the rename threshold, event-series patterns, confirmed and split names."""

    threshold: float
    series_patterns: list[str]
    same: list[tuple[str, frozenset[str]]]
    different: list[tuple[str, frozenset[str]]]

    @classmethod
    def from_data(cls, data: dict[str, Any], where: str) -> EntityRules:
        def groups(key: str) -> list[tuple[str, frozenset[str]]]:
            out = []
            for i, g in enumerate(data.get(key) or []):
                if not isinstance(g, dict) or g.get("table") not in LINKED_TABLES or len(g.get("names") or []) < 2:
                    raise HistoryError(f"{where}: {key}[{i}] needs a table ({', '.join(LINKED_TABLES)}) "
                                       "and at least two names")
                out.append((g["table"], frozenset(_canonical(n) for n in g["names"])))
            return out

        threshold = data.get("threshold")
        if not isinstance(threshold, int | float) or not 0 < threshold <= 1:
            raise HistoryError(f"{where}: threshold must be a number in (0, 1]")
        return cls(float(threshold), list(data.get("series_patterns") or []), groups("same"), groups("different"))

    def confirmed(self, table: str, a: str, b: str) -> bool:
        return any(t == table and a in names and b in names for t, names in self.same)

    def split(self, table: str, a: str, b: str) -> bool:
        return any(t == table and a in names and b in names for t, names in self.different)


def _canonical(name: Any) -> str:
    return ordinals_as_digits(re.sub(r"\s+", "", nfkc(str(name))))


def name_of(table: str, row: Row) -> str:
    """The name as written of a row (a budget line's item)."""
    return str(row["item"] if table == "budget" else row["name"])


def series_name(name: str, patterns: list[str]) -> str:
    """An event's name with its edition marks removed (第9回, 2010): the name of its series."""
    for p in patterns:
        name = re.sub(p, "", name)
    return name.strip()


def _key(table: str, row: Row, rules: EntityRules) -> str:
    name = name_of(table, row)
    return series_name(name, rules.series_patterns) if table == "events" else name


def _id(table: str, key: str) -> str:
    # From the table and the first edition's key alone: the same history gives the same ids whatever
    # the order of rows or folders.
    digest = hashlib.sha1("\x1f".join((table, key)).encode("utf-8")).hexdigest()
    return f"{table}:{digest[:10]}"


def _compatible(table: str, old: Row, new: Row) -> bool:
    if table == "budget":
        a, b = old.get("ministry") or "", new.get("ministry") or ""
        return not a or not b or a == b
    return True


@dataclass
class _TableLinker:
    table: str
    editions: list[Edition]
    rules: EntityRules
    entities: list[Entity] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    warnings: list[HistoryWarning] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.names_by_edition = [{name_of(self.table, r) for r in ed.tables[self.table]} for ed in self.editions]

    def never_same(self, entity: Entity, name: str) -> bool:
        for old in set(entity.names.values()):
            if old == name:
                continue
            if self.rules.split(self.table, old, name):
                return True
            if any(old in names and name in names for names in self.names_by_edition):
                return True  # printed side by side: two things
        return False

    def confirmed(self, entity: Entity, name: str) -> bool:
        return any(self.rules.confirmed(self.table, old, name) for old in entity.names.values())

    def run(self) -> None:
        for k, ed in enumerate(self.editions):
            rows = sorted(ed.tables[self.table], key=lambda r: name_of(self.table, r))
            done: dict[int, Entity] = {}
            self._exact(ed, rows, done)
            self._by_rules(ed, rows, done)
            if self.table in RENAME_TABLES and k:
                self._renames(self.editions[k - 1], ed, rows, done)
            for i, row in enumerate(rows):
                if i not in done:
                    e = Entity(self.table, self._first_key(row))
                    self.entities.append(e)
                    self._attach(e, ed, row)
        used: set[str] = set()
        for e in self.entities:
            e.id = _id(self.table, e.key)
            if e.id in used:  # the same first key twice (a name split by the rules): date the second
                e.id = _id(self.table, f"{e.key}@{next(iter(e.rows))}")
            used.add(e.id)

    def _first_key(self, row: Row) -> str:
        key = _key(self.table, row, self.rules)
        return f"{row.get('ministry') or ''}/{key}" if self.table == "budget" else key

    def _attach(self, e: Entity, ed: Edition, row: Row) -> None:
        e.rows[ed.doc] = row
        e.names[ed.doc] = name_of(self.table, row)

    def _link(self, e: Entity, ed: Edition, row: Row, rule: str, score: float) -> None:
        last = next(reversed(e.rows))
        self.links.append(Link(e, last, ed.doc, e.names[last], name_of(self.table, row), rule, round(score, 3)))
        self._attach(e, ed, row)

    def _open(self, ed: Edition, done: dict[int, Entity]) -> list[Entity]:
        taken = {id(e) for e in done.values()}
        return [e for e in self.entities if ed.doc not in e.rows and id(e) not in taken]

    def _exact(self, ed: Edition, rows: list[Row], done: dict[int, Entity]) -> None:
        by_key: dict[str, list[Entity]] = {}
        by_alias: dict[str, list[Entity]] = {}
        # The most-seen entity first where two share a key (one of them was split by the rules).
        for e in sorted(self._open(ed, done), key=lambda e: -len(e.rows)):
            last = e.rows[next(reversed(e.rows))]
            by_key.setdefault(_key(self.table, last, self.rules), []).append(e)
            if self.table == "projects":
                for alias in filter(None, str(last.get("aliases") or "").split(";")):
                    by_alias.setdefault(alias, []).append(e)
                by_alias.setdefault(name_of(self.table, last), []).append(e)
        for i, row in enumerate(rows):
            name = name_of(self.table, row)
            candidates = [(e, EXACT if e.names[next(reversed(e.names))] == name else SERIES)
                          for e in by_key.get(_key(self.table, row, self.rules), [])
                          if _compatible(self.table, e.rows[next(reversed(e.rows))], row)]
            if self.table == "projects":
                new_aliases = filter(None, str(row.get("aliases") or "").split(";"))
                candidates += [(e, ALIAS) for alias in (name, *new_aliases) for e in by_alias.get(alias, [])]
            for e, rule in candidates:
                if any(d is e for d in done.values()):
                    continue
                if self.never_same(e, name) and not self.confirmed(e, name):
                    continue
                self._link(e, ed, row, rule, 1.0)
                done[i] = e
                break

    def _by_rules(self, ed: Edition, rows: list[Row], done: dict[int, Entity]) -> None:
        for i, row in enumerate(rows):
            if i in done:
                continue
            name = name_of(self.table, row)
            for e in self._open(ed, done):
                if self.confirmed(e, name):
                    if any(name in names and old in names for old in e.names.values()
                           for names in self.names_by_edition if old != name):
                        raise HistoryError(f"rules/entities.yaml: {self.table} {name} and "
                                           f"{e.names[next(reversed(e.names))]} are confirmed as one but are "
                                           "printed side by side in one edition")
                    self._link(e, ed, row, SAME, 1.0)
                    done[i] = e
                    break

    def _children(self, ed: Edition, item: str) -> set[int]:
        """The child entities (by object identity) of a budget line in one edition, as linked so far."""
        out = set()
        for e in self.entities:
            row = e.rows.get(ed.doc)
            if row is not None and row.get("parent") == item:
                out.add(id(e))
        return out

    def _score(self, prev: Edition, ed: Edition, e: Entity, row: Row) -> tuple[float, str] | None:
        old_row = e.rows[prev.doc]
        old, new = name_of(self.table, old_row), name_of(self.table, row)
        if self.table in ("projects", "hubs") and not _rename_compatible(self.table, old_row, row):
            return None
        if not _compatible(self.table, old_row, row):
            return None
        if self.table == "events":
            old, new = (series_name(n, self.rules.series_patterns) for n in (old, new))
        s = _name_score(old, new)
        best = (min(s, 1.0), RENAME_NAME) if s is not None else None
        if self.table == "budget":
            a, b = self._children(prev, old), self._children(ed, new)
            if a and b and len(a & b) / len(a | b) > (best[0] if best else 0.0):
                best = (len(a & b) / len(a | b), RENAME_CHILDREN)
        return best

    def _renames(self, prev: Edition, ed: Edition, rows: list[Row], done: dict[int, Entity]) -> None:
        # Budget lines bottom-up, one depth at a time: a renamed programme is known by its children once
        # they are linked, whether by key or as renamed themselves.
        depths = {i: self._depth(rows, i) if self.table == "budget" else 0 for i in range(len(rows))}
        for depth in sorted(set(depths.values()), reverse=True):
            self._pair(prev, ed, rows, [i for i in range(len(rows)) if depths[i] == depth and i not in done], done)

    def _pair(self, prev: Edition, ed: Edition, rows: list[Row], order: list[int], done: dict[int, Entity]) -> None:
        """Greedy best-first pairing of the unlinked rows ``order`` with entities of the previous edition."""
        open_ = [e for e in self._open(ed, done) if prev.doc in e.rows]
        candidates = []
        for rank, i in enumerate(order):
            name = name_of(self.table, rows[i])
            for n, e in enumerate(open_):
                if self.never_same(e, name):
                    continue
                scored = self._score(prev, ed, e, rows[i])
                if scored is not None:
                    candidates.append((-scored[0], rank, n, i, e, scored[1]))
        candidates.sort(key=lambda c: c[:3])
        warned: set[int] = set()
        for neg_score, _rank, _n, i, e, rule in candidates:
            if i in done or any(d is e for d in done.values()):
                continue
            if -neg_score < self.rules.threshold:
                if i not in warned:
                    warned.add(i)
                    self.warnings.append(HistoryWarning(
                        self.table, ed.doc, name_of(self.table, rows[i]), "history_possible_rename",
                        f"{e.names[prev.doc]} ({prev.doc}) -> {name_of(self.table, rows[i])} ({ed.doc}): "
                        f"score {-neg_score:.2f} below {self.rules.threshold}; not linked (confirm it in "
                        "rules/entities.yaml 'same')"))
                continue
            self._link(e, ed, rows[i], rule, -neg_score)
            done[i] = e

    def _depth(self, rows: list[Row], i: int) -> int:
        by_item = {r.get("item"): r for r in rows}
        depth, row, seen = 0, rows[i], set()
        while row.get("parent") and row["parent"] in by_item and row["parent"] not in seen:
            seen.add(row["parent"])
            row = by_item[row["parent"]]
            depth += 1
        return depth


def link_editions(editions: list[Edition], rules: EntityRules) -> dict[str, _TableLinker]:
    """Link every table over ``editions`` (ordered by fiscal year); table -> its entities, links, warnings."""
    out = {}
    for table in LINKED_TABLES:
        linker = _TableLinker(table, editions, rules)
        linker.run()
        out[table] = linker
        printed = set().union(*linker.names_by_edition) if editions else set()
        for t, names in rules.same:
            found = sorted(names & printed)
            if t == table and len(found) < 2 and editions:
                linker.warnings.append(HistoryWarning(
                    table, editions[-1].doc, sorted(names)[0], "history_rule_unused",
                    f"rules/entities.yaml same [{', '.join(sorted(names))}]: "
                    f"{'only ' + found[0] if found else 'none'} printed in these editions; it links nothing"))
    return out
