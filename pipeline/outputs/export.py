"""``pipeline export``: output folders -> the files people open every day (Excel, Parquet, JSON, CSV).

Every table of every folder named is gathered into one table (the ``doc`` column tells documents
apart) and written as one sheet of ``pipeline.xlsx``, or one file per table in ``pipeline-parquet/``,
``pipeline-json/`` or ``pipeline-csv/``. The folders are read and validated the way ``pipeline load``
reads them, so the values carry their schema types: integers stay integers, booleans booleans, dates
dates, and an empty CSV cell is a missing value, never ``""``.

Text is written as text: a cell starting with ``=`` is never an Excel formula. Excel opens CSV as the
local code page unless the file starts with a byte order mark; ``--bom`` writes one for Japanese Excel.
"""

from __future__ import annotations

import argparse
import io
import json
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from pipeline.core.schema import BOOLEAN, DATE, INTEGER, NUMBER
from pipeline.outputs.load import DocData, LoadError, find_doc_dirs, output_root, read_doc
from pipeline.outputs.write import rows_csv, write_file
from pipeline.tables import TABLES

FORMATS = ("xlsx", "parquet", "json", "csv")
XLSX_NAME = "pipeline.xlsx"


class ExportError(Exception):
    """An export that cannot be written; the one-line message names the file and why."""


def gather(dirs: Sequence[str | Path]) -> dict[str, list[dict[str, Any]]]:
    """Every table's rows from every document folder in ``dirs``, validated, with Python values."""
    docs: list[DocData] = []
    seen: dict[str, Path] = {}
    for folder in find_doc_dirs(list(dirs)):
        data = read_doc(folder)
        if data.doc in seen:
            raise LoadError(f"{folder}: doc {data.doc!r} is also in {seen[data.doc]}; export one of them")
        seen[data.doc] = folder
        docs.append(data)
    tables: dict[str, list[dict[str, Any]]] = {}
    for name in TABLES:
        columns = TABLES[name].column_names  # the schema's columns only (no database row numbers)
        tables[name] = [{c: row[c] for c in columns} for data in docs for row in data.rows[name]]
    return tables


def xlsx_bytes(tables: dict[str, list[dict[str, Any]]]) -> bytes:
    """One workbook, one sheet per table, header row frozen, values with their types."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    book = Workbook()
    book.remove(book.active)
    for name, rows in tables.items():
        table = TABLES[name]
        sheet = book.create_sheet(name)
        sheet.append(table.column_names)
        sheet.freeze_panes = "A2"
        for r, row in enumerate(rows, start=2):
            for c, col in enumerate(table.columns, start=1):
                value = row[col.name]
                if value is None:
                    continue
                if isinstance(value, str):
                    # XML cannot hold control characters; U+FFFD marks where one was.
                    value = ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
                cell = sheet.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text, even when it starts with '=' (never a formula)
                elif col.type == DATE:
                    cell.number_format = "yyyy-mm-dd"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def parquet_bytes(name: str, rows: list[dict[str, Any]]) -> bytes:
    """One table as Parquet with Arrow types from the schema (int64, bool, date32, float64, string)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = {INTEGER: pa.int64(), BOOLEAN: pa.bool_(), DATE: pa.date32(), NUMBER: pa.float64()}
    table = TABLES[name]
    fields = [
        pa.field(c.name, arrow.get(c.type, pa.string()), nullable=not c.required,
                 metadata={"description": c.description})
        for c in table.columns
    ]
    schema = pa.schema(fields, metadata={"description": table.description})
    data = pa.Table.from_pylist(rows, schema=schema)
    buf = io.BytesIO()
    pq.write_table(data, buf)
    return buf.getvalue()


def json_bytes(rows: list[dict[str, Any]]) -> bytes:
    """One table as a JSON array of objects; dates as ISO text, missing values as null."""

    def default(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        raise TypeError(f"cannot write {type(value).__name__} as JSON")

    return (json.dumps(rows, ensure_ascii=False, indent=1, default=default) + "\n").encode("utf-8")


def csv_bytes(name: str, rows: list[dict[str, Any]], bom: bool = False) -> bytes:
    """One table as the contract's CSV; with ``bom`` prefixed by a UTF-8 byte order mark for Excel."""
    columns = TABLES[name].column_names
    text = rows_csv(name, ([r[c] for c in columns] for r in rows))
    return text.encode("utf-8-sig" if bom else "utf-8")


def export(dirs: Sequence[str | Path], fmt: str, out_dir: str | Path | None = None,
           bom: bool = False) -> list[Path]:
    """Export the folders in ``dirs`` as ``fmt`` into ``out_dir``; return the files written.

    ``out_dir`` defaults to the first output folder, beside ``pipeline.sqlite``. Each file is written
    to a temporary sibling and renamed into place, so a failure never leaves half a file.
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown format {fmt!r} (one of {', '.join(FORMATS)})")
    if bom and fmt != "csv":
        raise ExportError("--bom applies to --format csv only")
    tables = gather(dirs)
    out = Path(out_dir) if out_dir is not None else output_root(dirs)
    if out.exists() and not out.is_dir():
        raise ExportError(f"{out}: not a folder")
    if fmt == "xlsx":
        files = {out / XLSX_NAME: xlsx_bytes(tables)}
    else:
        folder = out / f"pipeline-{fmt}"
        makers = {
            "parquet": (".parquet", lambda n, rows: parquet_bytes(n, rows)),
            "json": (".json", lambda n, rows: json_bytes(rows)),
            "csv": (".csv", lambda n, rows: csv_bytes(n, rows, bom)),
        }
        suffix, make = makers[fmt]
        files = {folder / f"{name}{suffix}": make(name, rows) for name, rows in tables.items()}
    for path, data in files.items():
        write_file(path, data)
    return list(files)


def command(ns: argparse.Namespace) -> int:
    """``pipeline export DIR... --format xlsx|parquet|json|csv [--out DIR] [--bom]``."""
    written = export(ns.dirs, ns.format, ns.out, ns.bom)
    for path in written:
        print(path)
    return 0
