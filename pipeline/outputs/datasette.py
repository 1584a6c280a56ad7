"""Datasette metadata generated from the schema, so a loaded database is browsed with its documentation.

``pipeline load`` writes ``datasette-metadata.json`` beside a SQLite database; then

    datasette extracted/pipeline.sqlite -m extracted/datasette-metadata.json

shows every table and column with its description, and opens each table with facets on the columns
people slice by (region, ministry, kind...). Datasette itself is optional: ``pip install
'chiiki-pipeline[datasette]'``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.schema import link_tables
from pipeline.outputs.write import write_file
from pipeline.tables import TABLES

if TYPE_CHECKING:
    from sqlalchemy import MetaData

METADATA_NAME = "datasette-metadata.json"

# Columns offered as facets, beyond the closed vocabularies (columns with an enum) and link tables' items.
FACETS: dict[str, tuple[str, ...]] = {
    "mentions": ("unit", "rule"),
    "projects": ("region",),
    "budget": ("fiscal_year", "ministry"),
    "hubs": ("category",),
    "warnings": ("code",),
}


def facets(table: str) -> list[str]:
    """The columns Datasette offers as facets on ``table``."""
    links = link_tables()
    out = [c.name for c in TABLES[table].columns if c.enum] if table in TABLES else []
    out += [links[table][1].item] if table in links else []
    return out + [c for c in FACETS.get(table, ()) if c not in out]


def metadata(database: str, schema: MetaData) -> dict[str, Any]:
    """Datasette metadata for the database named ``database`` (the SQLite file's stem) whose tables
    ``schema`` declares (``pipeline.outputs.load.build_metadata()``: descriptions are its comments)."""
    tables: dict[str, Any] = {}
    for table in schema.sorted_tables:
        table_facets = facets(table.name)
        entry: dict[str, Any] = {
            "description": table.comment or "",
            "columns": {c.name: c.comment or "" for c in table.columns},
        }
        if table_facets:
            keyed_by_doc_alone = [c.name for c in table.primary_key.columns] == ["doc"]  # documents
            entry["facets"] = table_facets if keyed_by_doc_alone else ["doc", *table_facets]
        tables[table.name] = entry
    return {
        "title": "chiiki-pipeline",
        "description": "Facts from Japanese regional-innovation brochures, each traceable to its source text "
        "(source.txt of its document).",
        "databases": {database: {"tables": dict(sorted(tables.items(), key=lambda kv: _order(kv[0])))}},
    }


def _order(name: str) -> tuple[int, str]:
    names = [*TABLES, *link_tables()]
    return (names.index(name), name) if name in names else (-1, name)


def write_metadata(sqlite_file: str | Path, schema: MetaData) -> Path:
    """Write ``datasette-metadata.json`` beside ``sqlite_file``; return its path."""
    path = Path(sqlite_file).parent / METADATA_NAME
    text = json.dumps(metadata(Path(sqlite_file).stem, schema), ensure_ascii=False, indent=2) + "\n"
    write_file(path, text.encode("utf-8"))
    return path
