"""``pipeline load``: output folders -> a database (SQLite by default, PostgreSQL or any SQLAlchemy URL).

Every table of :mod:`pipeline.core.schema` becomes a database table of the same name and columns, with proper
types (``integer`` -> BIGINT, ``boolean`` -> BOOLEAN, ``date`` -> DATE, ``string`` -> TEXT) and ``doc``
in every primary key. A ``documents`` table records each loaded doc with its provenance and the time
of the load.

Each folder is read and validated completely before the database is touched. Loading a doc again
replaces exactly that doc's rows: one transaction per doc deletes its rows in every table and inserts
the new ones, so a failure part-way leaves the database as it was. Table creation is safe against a
second process doing the same at the same moment (an advisory lock on PostgreSQL, ``BEGIN IMMEDIATE``
plus a busy timeout on SQLite, one retry elsewhere).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import re
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.schema import BOOLEAN, DATE, INTEGER, NUMBER, STRING, LinkTable, link_tables
from pipeline.outputs.terminal import terminal_safe
from pipeline.outputs.write import is_doc_dir, read_provenance, read_table
from pipeline.tables import TABLES
from pipeline.tables.validate import row_problems

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine, MetaData, Table
    from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

DEFAULT_ROOT = Path("extracted")
DEFAULT_DB_URL = "sqlite:///extracted/pipeline.sqlite"
DOCUMENTS = "documents"
# Tables whose schema key may repeat within a doc get a surrogate row number as key instead.
SURROGATE_KEYS = {"warnings": "seq"}
# Secondary indexes: the columns that queries across documents filter or join on (database.md's
# examples among them). Every primary key starts with doc, so a lookup by name alone needs its own.
INDEXES: dict[str, tuple[tuple[str, ...], ...]] = {
    "mentions": (("kind", "doc"),),
    "projects": (("region",), ("name",)),
    "budget": (("fiscal_year", "ministry"), ("sum_check",), ("doc", "ministry", "parent")),
    "hubs": (("name",),),
    "events": (("start_date",),),
    "organizations": (("name",), ("type",)),
}
SQLITE_BUSY_TIMEOUT_S = 60.0
PG_CONNECT_TIMEOUT_S = 10

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class LoadError(Exception):
    """A folder or database that cannot be loaded; the one-line message names where and why."""


@dataclass
class DocData:
    """One output folder, read and validated, with rows ready to insert (Python values, None for none)."""

    folder: Path
    doc: str
    provenance: dict[str, Any]
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        """Rows per table."""
        return {name: len(rows) for name, rows in self.rows.items()}


# --------------------------------------------------------------------------------------------------
# Finding and reading folders


def find_doc_dirs(dirs: Sequence[str | Path]) -> list[Path]:
    """The document folders to load: each DIR itself, or the doc folders directly inside it.

    With no DIR, every doc folder under ``extracted/``. Hidden folders (the writer's temporary
    ``.<doc>.tmp-*`` and ``.<doc>.old-*`` siblings) are never loaded.
    """
    if not dirs:
        if not DEFAULT_ROOT.is_dir():
            raise LoadError(f"no {DEFAULT_ROOT}/ folder here: run `pipeline run` first or name the folders")
        found = _doc_children(DEFAULT_ROOT)
        if not found:
            raise LoadError(f"no document folders (with a datapackage.json) under {DEFAULT_ROOT}/")
        return found
    out: list[Path] = []
    for d in dirs:
        path = Path(d)
        if not path.exists():
            raise LoadError(f"{path}: no such folder")
        if not path.is_dir():
            raise LoadError(f"{path}: not a folder")
        if is_doc_dir(path):
            out.append(path)
            continue
        children = _doc_children(path)
        if not children:
            raise LoadError(f"{path}: not an output folder (no datapackage.json in it or its subfolders)")
        out.extend(children)
    return out


def _doc_children(root: Path) -> list[Path]:
    return sorted(p for p in root.iterdir() if not p.name.startswith(".") and is_doc_dir(p))


def read_doc(folder: str | Path) -> DocData:
    """Read and validate one output folder; raise :class:`LoadError` naming folder, table and problem."""
    folder = Path(folder)
    if not is_doc_dir(folder) or not (folder / "datapackage.json").is_file():
        raise LoadError(f"{folder}: not an output folder (no datapackage.json)")
    try:
        package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        provenance = read_provenance(folder)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise LoadError(f"{folder}: datapackage.json: cannot read: {_one_line(e)}") from e
    if not isinstance(package, dict) or not isinstance(provenance, dict):
        raise LoadError(f"{folder}: datapackage.json: not a data package object")
    doc = str(package.get("title") or folder.name)
    if not provenance:
        log.warning("%s: datapackage.json has no pipeline provenance", folder)
    data = DocData(folder=folder, doc=doc, provenance=provenance)
    for name in _table_names():
        data.rows[name] = _read_rows(folder, doc, name)
    _check_references(folder, data)
    for name, (owner, link) in link_tables().items():
        data.rows[name] = link_rows(link, data.rows[owner.name])
    return data


def link_rows(link: LinkTable, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The rows of a link table: one per item of each row's ``;``-joined list, numbered from 1."""
    out: list[dict[str, Any]] = []
    for row in rows:
        items = [v.strip() for v in (row[link.list_column] or "").split(";") if v.strip()]
        for position, item in enumerate(items, start=1):
            out.append({"doc": row["doc"], link.owner: row["name"], "position": position, link.item: item})
    return out


def _check_references(folder: Path, data: DocData) -> None:
    """Every reference within the document (a budget line's parent) names an existing row."""
    for table in TABLES.values():
        for fk in table.foreign_keys:
            targets = {tuple(r[c] for c in fk.target_columns) for r in data.rows[fk.target]}
            for i, row in enumerate(data.rows[table.name]):
                ref = tuple(row[c] for c in fk.columns)
                if None in ref or ref in targets:
                    continue
                shown = ", ".join(f"{c}={v!r}" for c, v in zip(fk.columns, ref, strict=True))
                raise LoadError(f"{folder}: {table.name}.csv: line {i + 2}: ({shown}) names no {fk.target} row "
                                f"({', '.join(fk.target_columns)})")



def _insert_order(name: str, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` with each row after the row of the same table it references (budget parents first)."""
    table = TABLES.get(name)
    for fk in table.foreign_keys if table is not None else ():
        if fk.target == name:
            rows = _parents_first(rows, fk.columns, fk.target_columns)
    return rows


def _parents_first(rows: list[dict[str, Any]], columns: tuple[str, ...],
                   target: tuple[str, ...]) -> list[dict[str, Any]]:
    """``rows`` ordered by depth (a row after the row it references), stable otherwise."""
    parent_of = {tuple(r[c] for c in target): tuple(r[c] for c in columns) for r in rows}

    def depth(row: dict[str, Any]) -> int:
        seen, key, n = set(), tuple(row[c] for c in target), 0
        while key in parent_of and key not in seen:  # a cycle cannot loop forever
            seen.add(key)
            key, n = parent_of[key], n + 1
        return n

    return sorted(rows, key=depth)


def _table_names() -> list[str]:
    """Every registered table, in the order of the output files."""
    return list(TABLES)


def _read_rows(folder: Path, doc: str, name: str) -> list[dict[str, Any]]:
    import pandas as pd

    table = TABLES[name]
    where = f"{folder}: {name}.csv"
    path = folder / f"{name}.csv"
    if not path.is_file():
        raise LoadError(f"{where}: missing")
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        frame = read_table(folder, name)
    except (OSError, UnicodeDecodeError, ValueError, TypeError, pd.errors.ParserError) as e:
        raise LoadError(f"{where}: cannot read: {_one_line(e)}") from e

    expected = table.column_names
    missing = [c for c in expected if c not in raw.columns]
    extra = [c for c in raw.columns if c not in expected]
    if missing:
        raise LoadError(f"{where}: missing column(s) {', '.join(missing)}")
    if extra:
        raise LoadError(f"{where}: column(s) not in the schema: {', '.join(map(str, extra))}")
    if len(raw) != len(frame):
        raise LoadError(f"{where}: read {len(frame)} rows, expected {len(raw)}")

    surrogate = SURROGATE_KEYS.get(name)
    types = {c.name: c.type for c in table.columns}
    # typed values with every kind of missing (None, NaN, pd.NA) as None
    columns = {c: frame[c].astype(object).where(frame[c].notna(), None).tolist() for c in expected}
    raw_columns = {c: raw[c].tolist() for c in expected}

    rows: list[dict[str, Any]] = []
    for i in range(len(frame)):
        line = i + 2  # CSV line: the header is line 1
        row: dict[str, Any] = {}
        for col in expected:
            row[col] = _convert(columns[col][i], raw_columns[col][i], types[col], (where, line, col))
        if row["doc"] is not None and row["doc"] != doc:
            raise LoadError(f"{where}: line {line}: doc is {row['doc']!r}, expected {doc!r}")
        if surrogate:
            row[surrogate] = i + 1
        rows.append(row)
    # The same checks `run` makes before writing (pipeline.tables.validate).
    for problem in row_problems(name, rows)[:1]:
        if problem.first is not None:
            raise LoadError(f"{where}: {problem.problem} on lines {problem.first + 2} and {problem.index + 2}")
        raise LoadError(f"{where}: line {problem.index + 2}: {problem.problem}")
    return rows


def _convert(value: Any, raw: str, type_: str, at: tuple[str, int, str]) -> Any:
    """A typed cell from :func:`read_table` as a plain Python value; refuse what it silently dropped.

    ``at`` is (``folder: table.csv``, CSV line, column), for the error message.
    """
    if type_ == STRING:
        return raw if raw != "" else None
    text = raw.strip()
    if type_ == DATE:
        if text == "":
            return None
        try:
            if not _ISO_DATE.fullmatch(text):
                raise ValueError(text)
            return date.fromisoformat(text)
        except ValueError as e:
            raise LoadError(_at(at, f"not a YYYY-MM-DD date: {raw!r}")) from e
    if value is None:
        if text != "":
            kind = {INTEGER: "an integer", BOOLEAN: "true/false", NUMBER: "a number"}.get(type_, type_)
            raise LoadError(_at(at, f"not {kind}: {raw!r}"))
        return None
    if type_ == INTEGER:
        return int(value)
    if type_ == BOOLEAN:
        return bool(value)
    if type_ == NUMBER:
        return float(value)
    return value


def _at(at: tuple[str, int, str], problem: str) -> str:
    where, line, col = at
    return f"{where}: line {line}: {col}: {problem}"


# --------------------------------------------------------------------------------------------------
# Database


def build_metadata(schema: str | None = None) -> MetaData:
    """SQLAlchemy Core tables generated from :data:`pipeline.core.schema.TABLES`, plus ``documents``.

    Primary key of every table: ``doc`` + the schema's key columns; ``warnings`` (whose key may repeat)
    gets a surrogate ``seq`` column instead: the row's 1-based position in ``warnings.csv``.
    Every table's ``doc`` references ``documents.doc``.
    """
    from sqlalchemy import (
        BigInteger,
        Boolean,
        Column,
        Date,
        DateTime,
        Double,
        ForeignKey,
        ForeignKeyConstraint,
        Index,
        MetaData,
        Table,
        Text,
    )

    sql_types = {STRING: Text, INTEGER: BigInteger, BOOLEAN: Boolean, DATE: Date, NUMBER: Double}
    md = MetaData(schema=schema)
    Table(
        DOCUMENTS,
        md,
        Column("doc", Text, primary_key=True, comment="Document id: the input file's stem."),
        Column("input", Text, comment="Input file name."),
        Column("input_sha256", Text, comment="sha256 of the input file."),
        Column("rules_hash", Text, comment="Hash of the rules/ folder the run used."),
        Column("pipeline_version", Text, comment="Version of the pipeline that wrote the folder."),
        Column("encoding", Text, comment="Encoding the input was decoded from."),
        Column("pages", BigInteger, comment="Number of pages."),
        Column("loaded_at", DateTime(timezone=True), nullable=False, comment="When this doc was loaded."),
        comment="One row per loaded document, with its provenance.",
    )
    documents_doc = f"{schema}.{DOCUMENTS}.doc" if schema else f"{DOCUMENTS}.doc"
    for name in _table_names():
        spec = TABLES[name]
        surrogate = SURROGATE_KEYS.get(name)
        pk = {"doc", surrogate} if surrogate else {"doc", *spec.key}
        columns = []
        for c in spec.columns:
            args: list[Any] = [c.name, sql_types[c.type]]
            if c.name == "doc":
                args.append(ForeignKey(documents_doc, name=f"{name}_doc_fkey", ondelete="CASCADE"))
            columns.append(
                Column(
                    *args,
                    primary_key=c.name in pk,
                    nullable=not (c.required or c.name in pk),
                    autoincrement=False,
                    comment=c.description,
                )
            )
        if surrogate:
            columns.append(
                Column(
                    surrogate,
                    BigInteger,
                    primary_key=True,
                    autoincrement=False,
                    comment="1-based row number in the CSV (the schema key may repeat).",
                )
            )
        constraints = [
            ForeignKeyConstraint(
                ["doc", *fk.columns], [_qualified(schema, fk.target, c) for c in ("doc", *fk.target_columns)],
                # no cascade: deleting a parent from under its children is an error, not a silent
                # loss of the subtree (deleting the document removes them all at once);
                # checked at commit, so a document's rows may reference each other in any order
                name=f"{name}_{'_'.join(fk.columns)}_fkey",
                deferrable=True, initially="DEFERRED",
            )
            for fk in spec.foreign_keys
        ]
        Table(name, md, *columns, *constraints, *_indexes(name, Index), comment=spec.description)
    for name, (owner, link) in link_tables().items():
        Table(
            name,
            md,
            Column("doc", Text, ForeignKey(documents_doc, name=f"{name}_doc_fkey", ondelete="CASCADE"),
                   primary_key=True, comment=owner.column("doc").description),
            Column(link.owner, Text, primary_key=True, comment=f"{owner.name}.name of the row the item belongs to."),
            Column("position", BigInteger, primary_key=True, autoincrement=False,
                   comment=f"1-based position of the item in {owner.name}.{link.list_column}."),
            Column(link.item, Text, nullable=False, comment=owner.column(link.list_column).description),
            ForeignKeyConstraint(
                ["doc", link.owner], [_qualified(schema, owner.name, c) for c in ("doc", "name")],
                name=f"{name}_{link.owner}_fkey", ondelete="CASCADE",
            ),
            *_indexes(name, Index),
            comment=link.description,
        )
    return md


def _qualified(schema: str | None, table: str, column: str) -> str:
    return f"{schema}.{table}.{column}" if schema else f"{table}.{column}"


def _indexes(table: str, index: Any) -> list[Any]:
    links = link_tables()
    columns = ((links[table][1].item,), ("doc", links[table][1].owner)) if table in links else INDEXES.get(table, ())
    return [index(f"ix_{table}_{'_'.join(cols)}", *cols) for cols in columns]


def parse_db_url(db_url: str | None) -> URL:
    """The SQLAlchemy URL to load into; plain ``postgresql://`` / ``postgres://`` means psycopg 3."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    s = db_url or DEFAULT_DB_URL
    if "://" not in s:
        raise LoadError(f"not a database URL: {s!r} (for a SQLite file write sqlite:///{s})")
    try:
        url = make_url(s)
    except (ArgumentError, ValueError) as e:
        raise LoadError(f"not a database URL: {s!r}") from e
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def make_engine(db_url: str | None = None) -> Engine:
    """An engine for ``db_url`` (default the SQLite file ``extracted/pipeline.sqlite``).

    SQLite: a busy timeout so concurrent loaders wait for each other, ``BEGIN IMMEDIATE`` so a
    transaction takes the write lock up front (no deadlock between two upgrading readers), foreign
    keys on. The SQLite file's folder is created if needed.
    """
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import SQLAlchemyError

    url = parse_db_url(db_url)
    shown = url.render_as_string(hide_password=True)
    try:
        backend = url.get_backend_name()
        if backend == "sqlite":
            database = url.database or ""
            if database and database != ":memory:" and not database.startswith("file:"):
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_S})

            @event.listens_for(engine, "connect")
            def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
                dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
                cur = dbapi_conn.cursor()
                cur.execute("PRAGMA foreign_keys=ON")
                cur.close()

            @event.listens_for(engine, "begin")
            def _sqlite_begin(conn: Connection) -> None:
                conn.exec_driver_sql("BEGIN IMMEDIATE")

            return engine
        connect_args: dict[str, Any] = {}
        if backend == "postgresql" and "connect_timeout" not in url.query:
            connect_args["connect_timeout"] = PG_CONNECT_TIMEOUT_S
        return create_engine(url, connect_args=connect_args)
    except SQLAlchemyError as e:
        raise LoadError(f"{shown}: {_db_message(e)}") from e
    except ImportError as e:
        raise LoadError(f"{shown}: database driver not installed: {_one_line(e)}") from e
    except OSError as e:
        raise LoadError(f"{shown}: {_one_line(e)}") from e


def ensure_tables(engine: Engine, metadata: MetaData) -> None:
    """Create the tables that do not exist yet; check that existing ones have every column.

    On PostgreSQL a transaction-scoped advisory lock serialises two creators; SQLite serialises them
    with ``BEGIN IMMEDIATE``; on other databases a creator that lost the race retries once.
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError, ProgrammingError

    for attempt in (1, 2):
        try:
            with engine.begin() as conn:
                _lock(conn, "ddl", metadata.schema or "")
                metadata.create_all(conn, checkfirst=True)
                _check_columns(conn, metadata)
            return
        except DBAPIError as e:
            # Another creator won the race: "already exists" / a duplicate catalogue row. Not a lost
            # connection or a refused login, which a retry would only make slower.
            lost_race = isinstance(e, (IntegrityError, ProgrammingError)) or "already exists" in str(e)
            if attempt == 2 or not lost_race or e.connection_invalidated:
                raise
            log.debug("creating tables failed (%s); retrying once", _db_message(e))


def _check_columns(conn: Connection, metadata: MetaData) -> None:
    from sqlalchemy import inspect

    insp = inspect(conn)
    for table in metadata.sorted_tables:
        have = {c["name"] for c in insp.get_columns(table.name, schema=table.schema)}
        missing = [c.name for c in table.columns if c.name not in have]
        if missing:
            raise LoadError(
                f"table {table.name} in the database lacks column(s) {', '.join(missing)} "
                "(made by an older pipeline): add them or load into a new database"
            )


def _lock(conn: Connection, *parts: str) -> None:
    """Transaction-scoped advisory lock on PostgreSQL (SQLite's BEGIN IMMEDIATE already serialises)."""
    if conn.dialect.name != "postgresql":
        return
    from sqlalchemy import text

    digest = hashlib.sha256("\0".join(("pipeline.outputs.load", *parts)).encode()).digest()
    key = int.from_bytes(digest[:8], "big", signed=True)
    conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


def _insert_rows(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert ``rows`` into ``table`` (executemany); a no-op for none."""
    if rows:
        conn.execute(table.insert(), rows)


def load_doc(engine: Engine, metadata: MetaData, data: DocData) -> dict[str, int]:
    """Replace ``data.doc``'s rows in every table, in one transaction; return row counts per table."""
    tables = {t.name: t for t in metadata.sorted_tables}
    documents = tables[DOCUMENTS]
    p = data.provenance
    doc_row = {
        "doc": data.doc,
        "input": _opt_str(p.get("input")),
        "input_sha256": _opt_str(p.get("input_sha256")),
        "rules_hash": _opt_str(p.get("rules_hash")),
        "pipeline_version": _opt_str(p.get("version")),
        "encoding": _opt_str(p.get("encoding")),
        "pages": p.get("pages") if isinstance(p.get("pages"), int) else None,
        "loaded_at": datetime.now(UTC),
    }
    with engine.begin() as conn:
        _lock(conn, "doc", metadata.schema or "", data.doc)
        for name in reversed(data.rows):  # referencing tables first (a database made without cascades)
            t = tables[name]
            conn.execute(t.delete().where(t.c.doc == data.doc))
        conn.execute(documents.delete().where(documents.c.doc == data.doc))
        _insert_rows(conn, documents, [doc_row])
        for name, rows in data.rows.items():
            _insert_rows(conn, tables[name], _insert_order(name, rows))
    return data.counts()


def load_dirs(
    dirs: Iterable[str | Path],
    db_url: str | None = None,
    *,
    schema: str | None = None,
    on_loaded: Callable[[str, dict[str, Any]], None] | None = None,
) -> dict[str, Any]:
    """Load output folders into the database at ``db_url``; return what was loaded.

    ``dirs``: document folders (or folders of them); none means every doc folder under ``extracted/``.
    ``db_url``: any SQLAlchemy URL, default ``pipeline.sqlite`` in the first output folder
    (:func:`default_db_url`; ``extracted/pipeline.sqlite`` when no folder is named).
    ``schema``: database schema (PostgreSQL) to create and load the tables in; default the
    connection's own (``search_path``).
    ``on_loaded(doc, info)`` is called after each doc's transaction commits.

    Every folder is read and validated before the database is touched; then each valid doc is loaded in
    its own transaction. A folder that fails validation, or whose load the database refuses, is left out
    and reported, and the others are loaded. Returns ``{"db": url, "docs": {doc: {"folder": str, "rows":
    {table: count}}}, "failed": {folder: one-line message}}``. Raises :class:`LoadError` with a
    one-line message for a bad URL, an unusable database, or when no folder at all can be loaded.
    """
    from sqlalchemy.exc import SQLAlchemyError

    dirs = list(dirs)
    folders = find_doc_dirs(dirs)
    docs: list[DocData] = []
    by_doc: dict[str, Path] = {}
    failed: dict[str, str] = {}
    first_error: LoadError | None = None
    for folder in folders:
        try:
            data = read_doc(folder)
            if data.doc in by_doc:
                raise LoadError(f"{folder}: doc {data.doc!r} is also in {by_doc[data.doc]}; load one of them")
        except LoadError as e:
            failed[str(folder)] = str(e)
            first_error = first_error or e
            continue
        by_doc[data.doc] = folder
        docs.append(data)
    if not docs and first_error is not None:
        raise first_error  # nothing loadable: refused before the database is touched

    engine = make_engine(db_url or default_db_url(dirs))
    shown = engine.url.render_as_string(hide_password=True)
    metadata = build_metadata(schema)
    loaded: dict[str, Any] = {}
    try:
        try:
            ensure_tables(engine, metadata)
        except SQLAlchemyError as e:
            raise LoadError(f"{shown}: {_db_message(e)}") from e
        for data in docs:
            try:
                counts = load_doc(engine, metadata, data)
            except SQLAlchemyError as e:  # this document's transaction is rolled back; the others go on
                failed[str(data.folder)] = f"{data.folder}: loading into {shown}: {_db_message(e)}"
                continue
            info = {"folder": str(data.folder), "rows": counts}
            loaded[data.doc] = info
            log.debug("loaded %s from %s: %s", data.doc, data.folder, counts)
            if on_loaded is not None:
                on_loaded(data.doc, info)
    finally:
        engine.dispose()
    return {"db": shown, "docs": loaded, "failed": failed}


def output_root(dirs: Sequence[str | Path]) -> Path:
    """The first output folder named (``extracted/`` when none is).

    An output folder is what ``pipeline run --out`` writes into: for a document folder, the folder
    that holds it (never the document folder itself, which the next run replaces whole).
    """
    first = Path(dirs[0]) if dirs else DEFAULT_ROOT
    return first.parent if is_doc_dir(first) else first


def default_db_url(dirs: Sequence[str | Path]) -> str:
    """The SQLite file ``pipeline.sqlite`` in the first output folder loaded (:func:`output_root`)."""
    return f"sqlite:///{(output_root(dirs) / 'pipeline.sqlite').as_posix()}"


def command(ns: argparse.Namespace) -> int:
    """``pipeline load [DIR...] [--db URL]``: load folders, one summary line per doc on stderr."""

    def summary(doc: str, info: dict[str, Any]) -> None:
        counts = ", ".join(f"{name} {n}" for name, n in info["rows"].items())
        print(terminal_safe(f"pipeline load: {doc}: {counts}"), file=sys.stderr)

    result = load_dirs(ns.dirs or [], ns.db, on_loaded=summary)
    for message in result["failed"].values():
        print(terminal_safe(f"pipeline load: {message}"), file=sys.stderr)
    not_loaded = f"; {len(result['failed'])} folder(s) not loaded" if result["failed"] else ""
    print(f"pipeline load: {len(result['docs'])} doc(s) into {result['db']}{not_loaded}", file=sys.stderr)
    url = parse_db_url(result["db"])
    if url.get_backend_name() == "sqlite" and url.database and url.database != ":memory:":
        from pipeline.outputs.datasette import write_metadata

        written = write_metadata(url.database, build_metadata())
        print(f"pipeline load: Datasette metadata in {written} (datasette {url.database} -m {written})",
              file=sys.stderr)
    return 1 if result["failed"] else 0


def _opt_str(value: Any) -> str | None:
    return None if value in (None, "") else str(value)


def _one_line(e: BaseException) -> str:
    lines = str(e).strip().splitlines()
    return lines[0].strip() if lines else type(e).__name__


def _db_message(e: BaseException) -> str:
    """A database error's first line, without SQLAlchemy's SQL echo and background link."""
    orig = getattr(e, "orig", None)
    return _one_line(orig if orig is not None else e)
