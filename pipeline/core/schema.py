"""The table registry: every output table, declared once by the module that builds it.

A table module (``pipeline/tables/projects.py`` ...) declares a :class:`Table`: its name, columns with
types and descriptions, key, builder, rules file with the keys it must hold, the rule ids its builder
fires, and the columns that let ``diff`` see a renamed row. ``pipeline.tables`` registers the built-in
ones in output order; the engine, the CSV writer, ``datapackage.json``, the database DDL, ``diff``,
``check``, the report and rules validation all read :data:`TABLES`, so adding a table touches one
rules file and one module. A plug-in table (or a test's) calls :func:`register` the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pipeline.core.document import Document

# Frictionless Table Schema field types used here.
STRING, INTEGER, BOOLEAN, DATE, NUMBER = "string", "integer", "boolean", "date", "number"

# Columns that say where a value came from; they never make a row "changed" in a diff.
PROVENANCE = ("doc", "page", "line", "start", "end", "rule", "first_line")

Rows = list[dict[str, Any]]
Builder = Callable[["Document"], Rows]
# What a rules file must hold: key (dotted for a key inside a mapping) -> the type or types it must have.
RuleKeys = Mapping[str, type | tuple[type, ...]]


@dataclass(frozen=True)
class Column:
    """One column; ``enum`` lists the only values it may hold (a closed vocabulary), if it has one."""

    name: str
    type: str
    description: str
    required: bool = False
    enum: tuple[str, ...] = ()


@dataclass(frozen=True)
class ForeignKey:
    """Columns (besides ``doc``) that name a row of ``target`` in the same document.

    A column paired with its namesake (budget's ``ministry`` with ``ministry``) keeps the reference
    within the same group: a budget line's parent is an item of the same ministry.
    """

    columns: tuple[str, ...]
    target: str
    target_columns: tuple[str, ...]


@dataclass(frozen=True)
class LinkTable:
    """A ``;``-joined list column as a database table of its own: one row per list item.

    Rows are ``(doc, <owner>, position, <item>)``, where ``<owner>`` is the owning row's ``name``.
    """

    name: str
    list_column: str
    owner: str
    item: str
    description: str


@dataclass(frozen=True)
class Table:
    """One output table and everything the rest of the package needs to know about it.

    ``builder`` turns a Document into rows during the ``tables`` stage (tables the engine fills itself,
    mentions, organisations and warnings, have none). ``rule_ids`` are the ids of the rules the builder
    applies (rules in its rules file); a name a table claimed carries one of them and outranks what the
    running-text extractors find. ``renames``
    are the columns a removed and an added row must share to be reported as one renamed row by
    ``diff`` (empty: renames are not detected). ``compared`` tables are compared by ``diff``, ``check``
    and shown by the report; ``detail`` ones (one row per atomic finding) come after the others.
    """

    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    builder: Builder | None = None
    rules_file: str | None = None
    rule_keys: RuleKeys = field(default_factory=dict)
    rule_ids: tuple[str, ...] = ()
    renames: tuple[str, ...] = ()
    compared: bool = True
    detail: bool = False
    foreign_keys: tuple[ForeignKey, ...] = ()
    links: tuple[LinkTable, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def column(name: str, type_: str, description: str, required: bool = False,
           enum: tuple[str, ...] = ()) -> Column:
    """A column declaration (shorthand for the table modules)."""
    return Column(name, type_, description, required, enum)


DOC = column("doc", STRING, "Document id: the input file's stem.", True)
LINE = column("line", INTEGER, "1-based line in source.txt where the row's text starts.")

# The registry, in output order (CSV files, data package resources, database tables). Mutated in place
# so every module that imported it sees a table registered later.
TABLES: dict[str, Table] = {}


def register(table: Table) -> Table:
    """Add ``table`` to the registry (after the ones already there); its name must be new."""
    if table.name in TABLES:
        raise ValueError(f"table {table.name!r} is already registered")
    if not table.columns or table.columns[0].name != "doc":
        raise ValueError(f"table {table.name!r}: the first column must be 'doc'")
    names = table.column_names
    refs = [c for fk in table.foreign_keys for c in fk.columns] + [link.list_column for link in table.links]
    missing = [k for k in (*table.key, *table.renames, *refs) if k not in names]
    if missing:
        raise ValueError(f"table {table.name!r}: key, rename, reference or list column(s) {missing} are not columns")
    if table.links and "name" not in names:
        raise ValueError(f"table {table.name!r}: link tables need a 'name' column to point at")
    TABLES[table.name] = table
    return table


def unregister(name: str) -> None:
    """Remove a registered table (a test's or a plug-in's)."""
    TABLES.pop(name, None)


def content_tables() -> tuple[str, ...]:
    """The tables ``diff``, ``check`` and the report compare, summary tables first."""
    compared = [t for t in TABLES.values() if t.compared]
    return tuple(t.name for t in compared if not t.detail) + tuple(t.name for t in compared if t.detail)


def claimed_rule_ids() -> frozenset[str]:
    """Rule ids of the mentions table builders add (they outrank running-text names)."""
    return frozenset(r for t in TABLES.values() for r in t.rule_ids)


def link_tables() -> dict[str, tuple[Table, LinkTable]]:
    """Every registered table's link tables: link name -> (owning table, link)."""
    return {link.name: (t, link) for t in TABLES.values() for link in t.links}
