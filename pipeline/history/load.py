"""History tables -> a database, kept apart from the per-document tables (``pipeline load history/``).

Each history table becomes a database table (``entities`` as ``history_entities`` and so on; the long
tables keep their names: ``projects_history``, ``budget_history``, ``events_history``) with the
schema's types and keys. A history is one whole: loading one replaces every history row in one
transaction, so a failure leaves the previous history in place.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.schema import BOOLEAN, DATE, INTEGER, NUMBER, STRING
from pipeline.history.build import HISTORY_FILES
from pipeline.history.schema import HISTORY_TABLES

if TYPE_CHECKING:
    from sqlalchemy import MetaData


def db_table_name(name: str) -> str:
    """The database name of a history table: the long tables keep theirs, the others gain ``history_``."""
    return name if name.endswith("_history") else f"history_{name}"


def is_history_dir(path: str | Path) -> bool:
    """True for a folder written by ``pipeline history`` (its data package is named ``history``)."""
    package = Path(path) / "datapackage.json"
    if not (Path(path) / "entities.csv").is_file() or not package.is_file():
        return False
    try:
        return json.loads(package.read_text(encoding="utf-8")).get("name") == "history"
    except (OSError, ValueError):
        return False


def build_history_metadata(schema: str | None = None) -> MetaData:
    """SQLAlchemy tables for the history, from :data:`pipeline.history.schema.HISTORY_TABLES`."""
    from sqlalchemy import BigInteger, Boolean, Column, Date, Double, MetaData, Table, Text

    sql_types = {STRING: Text, INTEGER: BigInteger, BOOLEAN: Boolean, DATE: Date, NUMBER: Double}
    md = MetaData(schema=schema)
    for name in HISTORY_FILES:
        spec = HISTORY_TABLES[name]
        surrogate = not spec.key or name == "warnings"
        columns = [Column(c.name, sql_types[c.type], primary_key=not surrogate and c.name in spec.key,
                          nullable=not (c.required or (not surrogate and c.name in spec.key)),
                          comment=c.description) for c in spec.columns]
        if surrogate:  # a warning may repeat: numbered by its row in the CSV
            columns.append(Column("seq", BigInteger, primary_key=True, autoincrement=False,
                                  comment="1-based row number in the CSV."))
        Table(db_table_name(name), md, *columns, comment=spec.description)
    return md


def _value(raw: str, type_: str, where: str) -> Any:
    if raw == "":
        return None
    try:
        if type_ == INTEGER:
            return int(raw)
        if type_ == NUMBER:
            return float(raw)
        if type_ == BOOLEAN:
            return {"true": True, "false": False}[raw]
    except (KeyError, ValueError):
        raise ValueError(f"{where}: {raw!r} is not a {type_}") from None
    return raw


def read_history(folder: Path) -> dict[str, list[dict[str, Any]]]:
    """Every history CSV of ``folder`` as typed rows; a missing file or column is an error naming it."""
    out = {}
    for name in HISTORY_FILES:
        spec = HISTORY_TABLES[name]
        path = folder / f"{name}.csv"
        if not path.is_file():
            raise ValueError(f"{path}: missing (write the folder again with `pipeline history`)")
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            missing = [c for c in spec.column_names if c not in (reader.fieldnames or [])]
            if missing:
                raise ValueError(f"{path}: lacks column(s) {', '.join(missing)}")
            rows = []
            for i, r in enumerate(reader, start=1):
                row = {c.name: _value(r[c.name], c.type, f"{path}:{i + 1}:{c.name}") for c in spec.columns}
                if name == "warnings":
                    row["seq"] = i
                rows.append(row)
        out[name] = rows
    return out


def load_history(folder: str | Path, db_url: str | None = None, *, schema: str | None = None) -> dict[str, int]:
    """Replace the history tables of the database at ``db_url`` with ``folder``'s; rows per table."""
    from sqlalchemy.exc import SQLAlchemyError

    from pipeline.outputs.load import LoadError, _db_message, ensure_tables, make_engine

    folder = Path(folder)
    try:
        rows = read_history(folder)
    except (OSError, UnicodeDecodeError, ValueError) as e:
        raise LoadError(str(e)) from e
    engine = make_engine(db_url)
    metadata = build_history_metadata(schema)
    tables = {t.name: t for t in metadata.sorted_tables}
    try:
        ensure_tables(engine, metadata)
        with engine.begin() as conn:
            for name, table_rows in rows.items():
                table = tables[db_table_name(name)]
                conn.execute(table.delete())
                if table_rows:
                    conn.execute(table.insert(), table_rows)
    except SQLAlchemyError as e:
        raise LoadError(f"{folder}: loading the history: {_db_message(e)}") from e
    finally:
        engine.dispose()
    return {db_table_name(name): len(r) for name, r in rows.items()}


def command(ns: argparse.Namespace) -> int:
    """``pipeline load [DIR...] [--db URL]``: history folders into the history tables, the rest as documents."""
    from pipeline.outputs import load as documents

    histories = [d for d in ns.dirs or [] if is_history_dir(d)]
    if histories and ns.db is None:
        # One database for everything named, as for document folders: in the first folder's output
        # root; a history folder is replaced whole by the next `pipeline history`, so beside it.
        first = Path(ns.dirs[0])
        root = first.parent if is_history_dir(first) else documents.output_root(ns.dirs)
        ns = argparse.Namespace(**{**vars(ns), "db": f"sqlite:///{(root / 'pipeline.sqlite').as_posix()}"})
    for folder in histories:
        counts = load_history(folder, ns.db)
        print(f"pipeline load: history {folder}: " + ", ".join(f"{k} {n}" for k, n in counts.items()),
              file=sys.stderr)
    if histories and len(histories) == len(ns.dirs):
        print(f"pipeline load: {len(histories)} history folder(s) into {ns.db}", file=sys.stderr)
        return 0
    rest = [d for d in ns.dirs or [] if d not in histories]
    return documents.command(argparse.Namespace(**{**vars(ns), "dirs": rest}))
