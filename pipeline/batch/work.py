"""One document's work in a batch: read it, extract it, write its folder, report a small Outcome.

Every executor runs :func:`process_one` per document (in this process, in a worker pool, or on a Dask
worker), so the runner and the Dask executor both import it from here.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.source import IngestError
from pipeline.core.version import __version__

log = logging.getLogger(__name__)

STATUSES = ("written", "skipped", "failed")


@dataclass(frozen=True)
class Outcome:
    """What one document's run hands back to the parent: small, whatever the document's size."""

    path: str
    doc: str
    status: str  # one of STATUSES
    message: str = ""
    chars: int = 0


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_current(path: Path, out_dir: Path, rules_hash: str) -> bool:
    """True when DIR/<doc>/ is whole and was made from these very input bytes, rules and version."""
    from pipeline.outputs.write import read_provenance
    from pipeline.tables import TABLES

    folder = out_dir / path.stem
    try:
        prov = read_provenance(folder)
    except (OSError, UnicodeDecodeError, ValueError, AttributeError):  # not ours, or damaged: rewrite decides
        return False
    if not prov or not path.is_file():
        return False
    if (prov.get("version"), prov.get("rules_hash")) != (__version__, rules_hash):
        return False
    if any(not (folder / name).is_file() for name in ("source.txt", *(f"{t}.csv" for t in TABLES))):
        return False
    return prov.get("input_sha256") == _sha256(path)


def process_one(path: str, out_dir: str, rules_dir: str, force: bool = False) -> Outcome:
    """Extract one input and write its folder ``out_dir/<stem>/``; never raises for a bad input.

    This is what every executor runs per document: it takes paths, reads the input and writes the
    output itself, and returns a small :class:`Outcome`.
    """
    from pipeline.core.rules import cached_rules
    from pipeline.engine import run_document
    from pipeline.outputs.write import UnsafeOutputError, write_result
    from pipeline.readers import read_source

    p = Path(path)
    try:
        rules = cached_rules(rules_dir)
        if not force and is_current(p, Path(out_dir), rules.hash):
            return Outcome(path, p.stem, "skipped", "unchanged")
        source = read_source(p)
        result = run_document(source, rules)
        write_result(result, out_dir)
        return Outcome(path, p.stem, "written", chars=len(source.text))
    except (IngestError, UnsafeOutputError) as e:
        return Outcome(path, p.stem, "failed", str(e))
    except Exception as e:  # any other failure still names the file, and the batch goes on
        log.debug("failure on %s", path, exc_info=True)
        return Outcome(path, p.stem, "failed", f"{path}: {type(e).__name__}: {e}")
