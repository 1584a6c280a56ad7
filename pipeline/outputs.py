"""Writers and readers of one document's output folder ``DIR/<doc>/``.

Only this module (and the database loader) touches the disk for outputs. A folder is written into a
temporary sibling and swapped in with renames, so a failed or killed run leaves the previous output
whole, and a lock file keeps two runs from interleaving files in the same folder.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import __version__
from .schema import BOOLEAN, DATE, INTEGER, NUMBER, TABLES

if TYPE_CHECKING:
    import pandas as pd

    from .result import Result

CSV_TABLES = ("mentions", "projects", "budget", "hubs", "events", "organizations", "warnings")


def format_cell(value: Any, type_: str) -> str:
    """One CSV cell per the contract: empty for none, true/false, integers without '.0'."""
    if value is None:
        return ""
    try:
        import pandas as pd

        if value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
            return ""
    except (TypeError, ValueError):
        pass
    if type_ == BOOLEAN:
        return "true" if bool(value) else "false"
    if type_ == INTEGER:
        return str(int(value))
    if isinstance(value, (list, tuple)):
        return ";".join(str(v) for v in value)
    return str(value)


def table_csv(name: str, frame: pd.DataFrame) -> str:
    table = TABLES[name]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.column_names)
    types = [c.type for c in table.columns]
    for row in frame[table.column_names].itertuples(index=False, name=None):
        w.writerow([format_cell(v, t) for v, t in zip(row, types, strict=True)])
    return buf.getvalue()


def datapackage(result: Result) -> dict[str, Any]:
    """Frictionless data package descriptor, built from the schema, with the run's provenance."""
    resources = []
    for name in CSV_TABLES:
        t = TABLES[name]
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": t.description,
                "schema": {
                    "fields": [
                        {"name": c.name, "type": c.type, "description": c.description}
                        | ({"constraints": {"required": True}} if c.required else {})
                        for c in t.columns
                    ],
                    "primaryKey": ["doc", *[k for k in t.key if k != "doc"]],
                },
            }
        )
    return {
        "profile": "tabular-data-package",
        "name": _package_name(result.source.doc),
        "title": result.source.doc,
        "resources": resources,
        "pipeline": provenance(result),
    }


def provenance(result: Result) -> dict[str, Any]:
    src = result.source
    return {
        "version": __version__,
        "rules_hash": result.rules_hash,
        "input": Path(src.path).name if src.path else "",
        "input_sha256": src.sha256,
        "encoding": src.encoding,
        "pages": len(src.page_starts),
    }


def _package_name(doc: str) -> str:
    # Data package names are lower-case ASCII; keep the doc id readable where it already is.
    safe = "".join(ch if ch.isascii() and (ch.isalnum() or ch in "-_.") else "-" for ch in doc.lower())
    return safe.strip("-") or "document"


def document_files(result: Result) -> dict[str, str]:
    """Every file of a document's output folder, name -> text."""
    files = {"source.txt": result.source.text}
    for name in CSV_TABLES:
        files[f"{name}.csv"] = table_csv(name, result.tables[name])
    files["datapackage.json"] = json.dumps(datapackage(result), ensure_ascii=False, indent=2) + "\n"
    return files


@contextlib.contextmanager
def folder_lock(out_dir: Path, doc: str) -> Iterator[None]:
    """Exclusive lock on DIR/.<doc>.lock so two runs cannot interleave one document's files."""
    import fcntl

    out_dir.mkdir(parents=True, exist_ok=True)
    lock_path = out_dir / f".{doc}.lock"
    with open(lock_path, "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def write_files_atomically(target: Path, files: dict[str, str]) -> Path:
    """Write ``files`` as the folder ``target``, replacing it whole or not at all."""
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    try:
        for name, text in files.items():
            with open(tmp / name, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(text)
                fh.flush()
                os.fsync(fh.fileno())
        old = None
        if target.exists():
            old = parent / f".{target.name}.old-{os.getpid()}"
            os.rename(target, old)
        os.rename(tmp, target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def write_result(result: Result, out_dir: str | Path, extra_files: dict[str, str] | None = None) -> Path:
    """Write one document's output folder ``out_dir/<doc>/`` atomically; return its path."""
    out = Path(out_dir)
    files = document_files(result)
    if extra_files:
        files.update(extra_files)
    with folder_lock(out, result.source.doc):
        return write_files_atomically(out / result.source.doc, files)


def read_table(doc_dir: str | Path, name: str) -> pd.DataFrame:
    """Read one table of an output folder with the schema's types (nullable integers and booleans)."""
    import pandas as pd

    table = TABLES[name]
    path = Path(doc_dir) / f"{name}.csv"
    if not path.exists():
        return pd.DataFrame({c: pd.Series(dtype="object") for c in table.column_names})
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for col in table.columns:
        if col.name not in frame.columns:
            frame[col.name] = ""
        s = frame[col.name]
        if col.type == INTEGER:
            frame[col.name] = pd.to_numeric(s.replace("", None), errors="coerce").astype("Int64")
        elif col.type == BOOLEAN:
            frame[col.name] = s.map({"true": True, "false": False, "": None}).astype("boolean")
        elif col.type in (NUMBER,):
            frame[col.name] = pd.to_numeric(s.replace("", None), errors="coerce")
        elif col.type == DATE:
            frame[col.name] = s.replace("", None)
    extra = [c for c in frame.columns if c not in table.column_names]
    return frame[table.column_names + extra]


def read_tables(doc_dir: str | Path) -> dict[str, pd.DataFrame]:
    return {name: read_table(doc_dir, name) for name in CSV_TABLES}


def read_provenance(doc_dir: str | Path) -> dict[str, Any]:
    path = Path(doc_dir) / "datapackage.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pipeline", {})
