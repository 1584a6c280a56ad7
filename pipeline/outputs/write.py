"""Writers and readers of one document's output folder ``DIR/<doc>/``.

Only this module (and the database loader) touches the disk for outputs. A folder is written into a
hidden temporary sibling (``.<doc>.tmp-*``) and swapped in atomically, so a failed or killed run leaves
the previous output whole; a lock file (``.<doc>.lock``) keeps two runs from interleaving files in the
same folder, and the next write of a document removes what a killed one left behind. Readers skip
names that start with a dot.

A write never replaces what the pipeline did not write: an existing ``<doc>`` is only swapped out
when it is a folder whose ``datapackage.json`` carries the pipeline's provenance, and a document id
that could address the output folder itself, its parent or a hidden name is refused
(:func:`doc_id_problem`).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import io
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.core.schema import BOOLEAN, DATE, INTEGER, NUMBER, Column, ForeignKey
from pipeline.core.version import __version__
from pipeline.tables import TABLES

if TYPE_CHECKING:
    import pandas as pd

    from pipeline.core.result import Result


def format_cell(value: Any, type_: str) -> str:
    """One CSV cell per the contract: empty for none, true/false, integers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str) and type_ not in (BOOLEAN, INTEGER):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int) and type_ != BOOLEAN:
        return str(value)
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
    """One table as CSV text, from a DataFrame with the schema's columns."""
    return rows_csv(name, frame[TABLES[name].column_names].itertuples(index=False, name=None))


def rows_csv(name: str, rows: Iterable[Sequence[Any]]) -> str:
    """One table as CSV text, from value sequences in the schema's column order.

    The csv module writes a ``str`` as it is, ``None`` as ``""`` and an ``int`` as ``str(v)``, which is
    what :func:`format_cell` gives for them in most columns; a row whose cells are all such is handed
    over as it is. Rows are told apart by the types of their cells (a table has few such patterns): for
    each pattern, the cells that need :func:`format_cell` (a bool, a float, a list, an int in a boolean
    column...) are worked out once (tests/test_write_fast.py compares this with format_cell on every
    type).
    """
    table = TABLES[name]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.column_names)
    types = [c.type for c in table.columns]
    plans: dict[tuple[type, ...], list[tuple[int, Any]]] = {}
    out: list[Sequence[Any]] = []
    for row in rows:
        pattern = tuple(map(type, row))
        plan = plans.get(pattern)
        if plan is None:
            plan = plans[pattern] = _cell_plan(name, pattern, types)
        if plan:
            row = list(row)
            for k, convert in plan:
                row[k] = convert(row[k])
        out.append(row)
    w.writerows(out)
    return buf.getvalue()


_BOOL_TEXT = {True: "true", False: "false"}


def _cell_plan(name: str, pattern: tuple[type, ...], types: list[str]) -> list[tuple[int, Any]]:
    """(column, converter) for the cells of a row with these cell types that the csv module would not
    write as format_cell does."""
    if len(pattern) != len(types):
        raise ValueError(f"{name}: a row of {len(pattern)} values for {len(types)} columns")
    plan = []
    for k, (cls, t) in enumerate(zip(pattern, types, strict=True)):
        if cls is type(None) or (cls is str and t not in (BOOLEAN, INTEGER)) or (cls is int and t != BOOLEAN):
            continue  # written as format_cell writes it
        if cls is bool and t == BOOLEAN:
            plan.append((k, _BOOL_TEXT.__getitem__))
        else:
            plan.append((k, functools.partial(_format_as, t)))
    return plan


def _format_as(type_: str, value: Any) -> str:
    return format_cell(value, type_)


def datapackage(result: Result) -> dict[str, Any]:
    """Frictionless data package descriptor, built from the schema, with the run's provenance.

    Each CSV is a tabular resource with its fields (types, descriptions, required and enum
    constraints), primary key and foreign keys within the document; ``source.txt`` is listed as the
    text every offset points into, and the input file under ``sources``.
    """
    resources: list[dict[str, Any]] = [
        {
            "name": "source",
            "path": "source.txt",
            "format": "txt",
            "mediatype": "text/plain",
            "encoding": "utf-8",
            "description": "The decoded input text; every line, start and end column points into it.",
        }
    ]
    for name, t in TABLES.items():
        schema: dict[str, Any] = {
            "fields": [_field(c) for c in t.columns],
            "primaryKey": ["doc", *[k for k in t.key if k != "doc"]],
        }
        fks = [_foreign_key(name, fk) for fk in t.foreign_keys]
        if fks:
            schema["foreignKeys"] = fks
        resources.append(
            {
                "name": name,
                "path": f"{name}.csv",
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "description": t.description,
                "schema": schema,
            }
        )
    src = result.input
    sources = [{"title": Path(src.path).name}] if src.path else []
    return {
        "profile": "data-package",
        "name": _package_name(result.doc),
        "title": result.doc,
        "sources": sources,
        "resources": resources,
        "pipeline": provenance(result),
    }


def _foreign_key(table: str, fk: ForeignKey) -> dict[str, Any]:
    """A Table Schema foreign key for one file (one doc, so ``doc`` goes without saying).

    A column paired with its namesake (budget's ministry with ministry) says "within the same group";
    Table Schema cannot say that per row, and checks a key with any empty value as missing, so such
    pairs are left out here (the database enforces the whole key): parent -> item.
    """
    pairs = [(a, b) for a, b in zip(fk.columns, fk.target_columns, strict=True) if a != b]
    return {
        "fields": [a for a, _ in pairs],
        "reference": {"resource": "" if fk.target == table else fk.target, "fields": [b for _, b in pairs]},
    }


def _field(column: Column) -> dict[str, Any]:
    constraints: dict[str, Any] = {}
    if column.required:
        constraints["required"] = True
    if column.enum:
        constraints["enum"] = list(column.enum)
    field = {"name": column.name, "type": column.type, "description": column.description}
    return field | ({"constraints": constraints} if constraints else {})


def provenance(result: Result) -> dict[str, Any]:
    src = result.input
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
    files = {"source.txt": result.source}
    for name in TABLES:  # the registry's order
        if name in result.rows:  # plain rows from the engine: no DataFrame needed to write them
            files[f"{name}.csv"] = rows_csv(name, map(_values_of(TABLES[name].column_names), result.rows[name]))
        else:
            files[f"{name}.csv"] = table_csv(name, result.tables[name])
    files["datapackage.json"] = datapackage_json(datapackage(result))
    return files


_INDENTED: dict[str, str] = {}


def datapackage_json(package: dict[str, Any]) -> str:
    """``json.dumps(package, ensure_ascii=False, indent=2)`` and a line end, the same text.

    Python's JSON encoder is pure Python once it indents; the resources (every table's schema, the
    same for every document) are most of the descriptor, so each top-level member is indented on its
    own and the long ones are remembered, keyed by their compact encoding (which the C encoder makes).
    """
    members = []
    for key, value in package.items():
        if isinstance(value, (dict, list)) and value:
            compact = json.dumps(value, ensure_ascii=False)
            text = _INDENTED.get(compact)
            if text is None:
                # JSON text has no raw line breaks inside strings, so each one starts a line to indent.
                text = json.dumps(value, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                if len(compact) > 1000:
                    if len(_INDENTED) >= 8:  # schemas change only when tables are registered
                        _INDENTED.clear()
                    _INDENTED[compact] = text
        else:
            text = json.dumps(value, ensure_ascii=False)
        members.append(f"  {json.dumps(key, ensure_ascii=False)}: {text}")
    return "{\n" + ",\n".join(members) + "\n}\n" if members else "{}\n"


def _values_of(columns: Sequence[str]) -> Any:
    """A function giving a row dict's values in ``columns`` order, ``None`` for a column it lacks."""
    get = itemgetter(*columns)
    if len(columns) == 1:
        return lambda row: (row.get(columns[0]),)

    def values(row: dict[str, Any]) -> Sequence[Any]:
        try:
            return get(row)
        except KeyError:
            return [row.get(c) for c in columns]

    return values


@contextlib.contextmanager
def folder_lock(out_dir: Path, doc: str) -> Iterator[None]:
    """Exclusive lock on DIR/.<doc>.lock so two runs cannot interleave one document's files.

    ``filelock`` takes an OS lock (``flock`` on POSIX, ``msvcrt`` on Windows) that dies with its
    process, so a killed run never leaves the folder locked.
    """
    from filelock import FileLock

    out_dir.mkdir(parents=True, exist_ok=True)
    with FileLock(out_dir / f".{doc}.lock"):
        yield


def current_umask() -> int:
    """The process umask, read without changing it where the system tells it (Linux ``/proc``).

    ``os.umask`` can only be read by setting it, which for a moment leaves other threads creating
    files with no mask at all; that is the fallback only.
    """
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def follow_umask(path: Path) -> None:
    """Give ``path`` the mode a plain ``open``/``mkdir`` would have given it under the umask.

    Temporary files and folders are created private (0o600/0o700); what is swapped in as output must
    be readable like any other file the user writes (0o644/0o755 under umask 022).
    """
    base = 0o777 if path.is_dir() else 0o666
    os.chmod(path, base & ~current_umask())


def write_file(path: Path, data: bytes) -> None:
    """Write ``path`` whole or not at all, with the mode the umask gives a new file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        follow_umask(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _write_text(path: Path, text: str) -> None:
    """One file of a folder being built; the folder's files reach the disk together (``_sync_files``)."""
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)


def _libc_syncfs() -> Any:
    """syncfs(2) where the C library has it (Linux), else None."""
    try:
        import ctypes

        fn = ctypes.CDLL(None, use_errno=True).syncfs
    except (AttributeError, OSError, ImportError):
        return None
    fn.argtypes = [ctypes.c_int]
    return fn


_SYNCFS = _libc_syncfs() if os.name == "posix" else None


def _sync_files(folder: Path, paths: Iterable[Path]) -> None:
    """Flush ``paths`` (files inside ``folder``) to disk before the folder is swapped in.

    One syncfs(2) of the folder's file system where Linux has it: a folder's nine files cost one call
    (about 2 ms here) instead of nine fsyncs (about 11 ms). Where syncfs is missing or fails, an fsync
    per file.
    """
    if _SYNCFS is not None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            if _SYNCFS(fd) == 0:
                return
        finally:
            os.close(fd)
    for path in paths:
        _fsync_path(path)


def _fsync_path(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some filesystems cannot sync a directory; the rename is still atomic
        pass
    finally:
        os.close(fd)


_RENAME_EXCHANGE = 2  # linux/fs.h


def _exchange(a: Path, b: Path) -> bool:
    """Swap two existing paths in one atomic step (Linux ``renameat2``); False where unsupported."""
    import ctypes
    import errno

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    at_fdcwd = -100
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP):
        return False
    raise OSError(err, os.strerror(err), str(a))


def _leftovers(parent: Path, name: str) -> list[Path]:
    """Temporary and swapped-out folders of ``name`` that a killed or failed run left behind."""
    pattern = re.compile(rf"\.{re.escape(name)}\.(?:tmp-[A-Za-z0-9_]{{8}}|old-\d+)")
    prefix = f".{name}."
    # One scandir with a prefix test: a glob made a Path and an fnmatch of every entry, which in a
    # folder of thousands of documents cost milliseconds per document written.
    with os.scandir(parent) as entries:
        found = [parent / e.name for e in entries
                 if e.name.startswith(prefix) and pattern.fullmatch(e.name) and e.is_dir(follow_symlinks=False)]
    return sorted(found)


def clean_leftovers(target: Path) -> None:
    """Remove what an earlier, killed write of ``target`` left; call it holding the folder's lock.

    A run killed between the two renames of the fallback swap left the previous output as
    ``.<doc>.old-<pid>`` and no ``<doc>``: that one is put back first, so it is never lost.
    """
    leftovers = _leftovers(target.parent, target.name)
    olds = [p for p in leftovers if ".old-" in p.name]
    if not target.exists() and olds:
        os.rename(olds[-1], target)
        leftovers.remove(olds[-1])
    for p in leftovers:
        shutil.rmtree(p, ignore_errors=True)


class UnsafeOutputError(Exception):
    """A write that could address, replace or delete what the pipeline did not write; the message
    names the folder (or the document id) and the reason."""


# C0 and C1 controls and DEL: a doc id holding one would be a folder name a terminal or a shell
# shows as something else.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def doc_id_problem(doc: str) -> str | None:
    """Why ``doc`` cannot name a folder under ``--out`` (or None when it can).

    Refused rather than mapped, so two inputs can never end up in one folder: the empty id, ``.`` and
    ``..`` (the output folder itself or its parent), path separators, control characters, and a
    leading dot (hidden folders are where the writer keeps its temporary and lock files, and what
    ``load`` and ``diff`` skip).
    """
    if not doc:
        return "empty document id"
    if doc in (".", ".."):
        return f"document id {doc!r} would name the output folder or its parent"
    if "/" in doc or "\\" in doc:
        return f"document id {doc!r} holds a path separator"
    if _CONTROL.search(doc):
        return f"document id {doc!r} holds a control character"
    if doc.startswith("."):
        return f"document id {doc!r} starts with a dot (hidden folders are skipped by load and diff)"
    return None


def written_by_pipeline(folder: Path) -> bool:
    """True when ``folder`` is an output folder of this pipeline: its datapackage.json says so."""
    try:
        data = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return False
    prov = data.get("pipeline") if isinstance(data, dict) else None
    return isinstance(prov, dict) and "input_sha256" in prov and "rules_hash" in prov


def check_replaceable(target: Path) -> None:
    """Raise UnsafeOutputError unless ``target`` is absent or a folder this pipeline wrote."""
    if not target.exists() and not target.is_symlink():
        return
    if target.is_symlink() or not target.is_dir():
        raise UnsafeOutputError(f"{target}: exists and is not an output folder; not replacing it")
    if not written_by_pipeline(target):
        raise UnsafeOutputError(f"{target}: a folder the pipeline did not write (no datapackage.json "
                                "with its provenance); not replacing it, move it or choose another --out")


def write_files_atomically(target: Path, files: dict[str, str]) -> Path:
    """Write ``files`` as the folder ``target``, replacing it whole or not at all.

    The files are written into a hidden sibling ``.<doc>.tmp-*`` and swapped in: with one atomic
    exchange where the system has it (Linux), else with two renames. Readers never see a half-written
    ``<doc>``; a failure or a kill leaves the previous folder as it was. Call it holding
    :func:`folder_lock` when another process may write the same folder.
    """
    parent = target.parent
    parent.mkdir(parents=True, exist_ok=True)
    clean_leftovers(target)
    check_replaceable(target)
    tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    try:
        follow_umask(tmp)
        for name, text in files.items():
            _write_text(tmp / name, text)
        _sync_files(tmp, [tmp / name for name in files])
        if not target.exists():
            os.rename(tmp, target)
        elif _exchange(tmp, target):
            shutil.rmtree(tmp, ignore_errors=True)  # now the previous output
        else:
            old = parent / f".{target.name}.old-{os.getpid()}"
            os.rename(target, old)
            os.rename(tmp, target)
            shutil.rmtree(old, ignore_errors=True)
        _fsync_dir(parent)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return target


def write_text_atomically(path: str | Path, text: str) -> Path:
    """Write one file whole or not at all: into a hidden sibling, flushed, then renamed over ``path``."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(fd)
    try:
        _write_text(Path(tmp), text)
        _fsync_path(Path(tmp))
        follow_umask(Path(tmp))  # mkstemp made it private; the output is as readable as any new file
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target


def is_doc_dir(path: str | Path) -> bool:
    """True for one document's output folder: it holds source.txt, datapackage.json or a table's CSV."""
    p = Path(path)
    return p.is_dir() and (
        (p / "source.txt").is_file()
        or (p / "datapackage.json").is_file()
        or any((p / f"{name}.csv").is_file() for name in TABLES)
    )


def write_result(result: Result, out_dir: str | Path, extra_files: dict[str, str] | None = None) -> Path:
    """Write one document's output folder ``out_dir/<doc>/`` atomically; return its path."""
    problem = doc_id_problem(result.doc)
    if problem:
        raise UnsafeOutputError(f"{result.input.path or result.doc}: {problem}")
    out = Path(out_dir)
    files = document_files(result)
    if extra_files:
        files.update(extra_files)
    with folder_lock(out, result.doc):
        return write_files_atomically(out / result.doc, files)


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


def read_provenance(doc_dir: str | Path) -> dict[str, Any]:
    path = Path(doc_dir) / "datapackage.json"
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8")).get("pipeline", {})
