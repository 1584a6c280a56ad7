"""The history tables from linked editions, and the history folder written whole or not at all."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.history.editions import Edition, read_editions
from pipeline.history.link import LINKED_TABLES, Entity, EntityRules, link_editions, name_of
from pipeline.history.schema import HISTORY_TABLES

# The columns whose change between two editions is a "changed" row of changes.csv (names are renames).
COMPARED = {
    "projects": ("region", "fields", "companies", "companies_approx", "universities", "universities_approx",
                 "ended_fy"),
    "budget": ("ministry", "parent_id", "amount_yen"),
    "hubs": ("category", "municipalities", "universities", "partners"),
    "events": ("start_date", "end_date", "venue"),
}
CHANGE_ORDER = ("removed", "added", "renamed", "changed")
HISTORY_FILES = ("entities", "aliases", "links", "projects_history", "budget_history", "hubs_history",
                 "events_history", "changes", "warnings")


@dataclass
class History:
    """Every history table as rows (dicts keyed by the schema's columns), and the editions they span."""

    editions: list[Edition]
    tables: dict[str, list[dict[str, Any]]]


def load_entity_rules(rules_dir: str | Path | None) -> EntityRules:
    """``entities.yaml`` of a rules folder (default the project's rules/)."""
    from pipeline.core.rules import load_rules

    rules = load_rules(rules_dir)
    return EntityRules.from_data(rules.get("entities"), str(Path(rules.directory) / "entities.yaml"))


def build_history(dirs: list[str | Path], rules_dir: str | Path | None = None) -> History:
    """Read the editions in ``dirs``, link them and return the history tables."""
    editions = read_editions(dirs)
    rules = load_entity_rules(rules_dir)
    linked = link_editions(editions, rules)
    fy = {ed.doc: ed.fiscal_year for ed in editions}
    order = {ed.doc: k for k, ed in enumerate(editions)}
    tables: dict[str, list[dict[str, Any]]] = {name: [] for name in HISTORY_FILES}
    budget_ids = {(doc, name_of("budget", row)): e.id for e in linked["budget"].entities
                  for doc, row in e.rows.items()}

    def per_edition(e: Entity, doc: str) -> dict[str, Any]:
        row = dict(e.rows[doc])
        if e.table == "budget":
            row["parent_id"] = budget_ids.get((doc, row.get("parent") or ""), "")
        return row

    for table in LINKED_TABLES:
        linker = linked[table]
        for e in sorted(linker.entities, key=lambda e: e.id):
            docs = sorted(e.rows, key=order.__getitem__)
            tables["entities"].append({
                "id": e.id, "table": table, "name": e.names[docs[-1]], "first_edition": docs[0],
                "last_edition": docs[-1], "first_fiscal_year": fy[docs[0]], "last_fiscal_year": fy[docs[-1]],
                "editions": len(docs),
            })
            for doc in docs:
                tables["aliases"].append({"id": e.id, "name": e.names[doc], "edition": doc, "fiscal_year": fy[doc]})
                history = f"{table}_history"
                if history in HISTORY_TABLES:
                    row = per_edition(e, doc)
                    tables[history].append({c: row.get(c) for c in HISTORY_TABLES[history].column_names}
                                           | {"id": e.id, "edition": doc, "fiscal_year": fy[doc]})
        for link in sorted(linker.links, key=lambda k: (k.entity.id, order[k.after])):
            tables["links"].append({
                "id": link.entity.id, "table": table, "edition_before": link.before, "edition_after": link.after,
                "name_before": link.name_before, "name_after": link.name_after, "rule": link.rule,
                "score": link.score,
            })
        for w in sorted(linker.warnings, key=lambda w: (order[w.edition], w.name, w.code)):
            tables["warnings"].append({"table": w.table, "edition": w.edition, "name": w.name, "code": w.code,
                                       "message": w.message})
    tables["changes"] = _changes(editions, linked, per_edition)
    return History(editions, tables)


def _changes(editions: list[Edition], linked: dict[str, Any], per_edition: Any) -> list[dict[str, Any]]:
    out = []
    for before, after in zip(editions, editions[1:], strict=False):
        rows = []
        for table, columns in COMPARED.items():
            for e in linked[table].entities:
                was, now = before.doc in e.rows, after.doc in e.rows
                base = {"edition_before": before.doc, "edition_after": after.doc, "table": table, "id": e.id,
                        "columns": "", "before": "", "after": ""}
                if was and not now:
                    rows.append(base | {"change": "removed", "before": e.names[before.doc]})
                elif now and not was:
                    rows.append(base | {"change": "added", "after": e.names[after.doc]})
                elif was and now:
                    if e.names[before.doc] != e.names[after.doc]:
                        rows.append(base | {"change": "renamed", "before": e.names[before.doc],
                                            "after": e.names[after.doc]})
                    old, new = per_edition(e, before.doc), per_edition(e, after.doc)
                    changed = [c for c in columns if _comparable(old.get(c)) != _comparable(new.get(c))]
                    if changed:
                        rows.append(base | {
                            "change": "changed", "columns": ";".join(changed),
                            "before": json.dumps({c: _comparable(old.get(c)) for c in changed}, ensure_ascii=False),
                            "after": json.dumps({c: _comparable(new.get(c)) for c in changed}, ensure_ascii=False),
                        })
        tables = list(COMPARED)
        rows.sort(key=lambda r: (tables.index(r["table"]), CHANGE_ORDER.index(r["change"]), r["id"]))
        out.extend(rows)
    return out


def _comparable(value: Any) -> Any:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return value
    try:
        return int(value)
    except (TypeError, ValueError):
        return str(value)


def history_files(history: History, rules_dir: str | Path | None = None) -> dict[str, str]:
    """Every file of the history folder as text: one CSV per table and datapackage.json."""
    from pipeline import __version__
    from pipeline.core.rules import load_rules
    from pipeline.outputs.write import read_provenance

    files = {f"{name}.csv": _csv(name, history.tables[name]) for name in HISTORY_FILES}
    package = {
        "profile": "tabular-data-package",
        "name": "history",
        "title": "Editions linked into one history",
        "resources": [_resource(name) for name in HISTORY_FILES],
        "pipeline": {
            "version": __version__,
            "rules_hash": load_rules(rules_dir).hash,
            "editions": [{"doc": ed.doc, "fiscal_year": ed.fiscal_year,
                          "input_sha256": read_provenance(ed.path).get("input_sha256", "")}
                         for ed in history.editions],
        },
    }
    files["datapackage.json"] = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    return files


def _resource(name: str) -> dict[str, Any]:
    t = HISTORY_TABLES[name]
    return {
        "name": name.replace("_", "-"), "path": f"{name}.csv", "profile": "tabular-data-resource", "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "description": t.description,
        "schema": {"fields": [{"name": c.name, "type": c.type, "description": c.description}
                              | ({"constraints": {"required": True}} if c.required else {}) for c in t.columns],
                   "primaryKey": list(t.key)},
    }


def _csv(name: str, rows: list[dict[str, Any]]) -> str:
    import csv
    import io

    from pipeline.outputs.write import format_cell

    table = HISTORY_TABLES[name]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.column_names)
    for row in rows:
        w.writerow([_cell(row.get(c.name), c.type, format_cell) for c in table.columns])
    return buf.getvalue()


def _cell(value: Any, type_: str, format_cell: Any) -> str:
    if isinstance(value, float) and type_ == "number":
        return f"{value:g}"
    return format_cell(value, type_)


def write_history(history: History, out_dir: str | Path, rules_dir: str | Path | None = None) -> Path:
    """Write the history folder ``out_dir`` atomically (replaced whole or not at all)."""
    from pipeline.outputs.write import write_files_atomically

    return write_files_atomically(Path(out_dir), history_files(history, rules_dir))
