"""Rerun inputs and compare the output with the golden folders (``tests/golden/<doc>/``).

The current output is written to a temporary folder by the same writer as ``pipeline run`` and read back,
so what is compared is exactly what would land on disk. Rows are matched on the contract's keys, with a
mention's offsets included; provenance columns (page, line, rule...) never count as a difference, but every
other value must come out exactly as in the golden CSV: a golden file is a regression test, and a change of
notation there is a change of the output.
"""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.audit import diff as differ
from pipeline.audit import diff_format
from pipeline.readers import describe_formats, supported_suffixes
from pipeline.tables import TABLES, content_tables

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

log = logging.getLogger(__name__)


def check_tables() -> tuple[str, ...]:
    """Every registered table, the compared ones first: warnings are golden output too (a new warning is
    a change of behaviour)."""
    content = content_tables()
    return (*content, *(name for name in TABLES if name not in content))


@dataclass(frozen=True)
class Difference:
    """One way a document's current output differs from its golden folder."""

    doc: str
    table: str  # a table name, "source.txt", or "golden" for a missing golden folder
    change: str  # added, removed, changed, renamed; or "missing" / "changed" for files
    entry: Any = None  # the diff entry (a row, or a changed/renamed record) for table differences
    message: str = ""

    def __str__(self) -> str:
        detail = self.message or diff_format.describe(self.table, self.change, self.entry)
        return f"{self.doc}: {detail}"


def resolve_input(doc: str | Path, raw_dir: str | Path) -> tuple[str, Path]:
    """``(doc id, input path)`` for a doc id (looked up as raw_dir/<doc> with each reader's suffix) or a path."""
    given = Path(doc)
    if given.is_file():
        return given.stem, given
    for suffix in supported_suffixes():
        candidate = Path(raw_dir) / f"{doc}{suffix}"
        if candidate.is_file():
            return str(doc), candidate
    expected = " or ".join(str(Path(raw_dir) / f"{doc}{s}") for s in supported_suffixes())
    raise FileNotFoundError(f"{doc}: no input file (looked for {expected}; supported: {describe_formats()})")


def golden_docs(golden_dir: str | Path) -> list[str]:
    """Every document that has a golden folder, sorted."""
    golden = Path(golden_dir)
    if not golden.is_dir():
        raise FileNotFoundError(f"{golden}: no golden folder")
    return list(differ.doc_dirs(golden))


def _first_difference(old: str, new: str) -> str:
    old_lines, new_lines = old.split("\n"), new.split("\n")
    for number, (a, b) in enumerate(zip(old_lines, new_lines, strict=False), start=1):
        if a != b:
            return f"line {number}: {a!r} -> {b!r}"
    number = min(len(old_lines), len(new_lines)) + 1
    return f"line {number}: {len(old_lines)} lines -> {len(new_lines)} lines"


def compare_with_golden(doc: str, golden_doc_dir: Path, current_doc_dir: Path) -> list[Difference]:
    """Differences between a golden document folder and a freshly written one."""
    if not golden_doc_dir.is_dir():
        return [
            Difference(
                doc,
                "golden",
                "missing",
                message=f"no golden output in {golden_doc_dir}; accept the current output with "
                f"`pipeline check --update {doc}`",
            )
        ]
    differences = []
    golden_source = golden_doc_dir / "source.txt"
    old_text = golden_source.read_text(encoding="utf-8") if golden_source.is_file() else ""
    new_text = (current_doc_dir / "source.txt").read_text(encoding="utf-8")
    if old_text != new_text:
        differences.append(
            Difference(
                doc,
                "source.txt",
                "changed",
                message=f"source.txt differs from golden at {_first_difference(old_text, new_text)}",
            )
        )
    found = differ.diff_dirs(
        golden_doc_dir, current_doc_dir, tables=check_tables(), mentions_match="key", normalise=False
    )
    differences.extend(
        Difference(doc, table, change, entry) for _, table, change, entry in differ.iter_entries(found)
    )
    return differences


def check_docs(
    docs: Iterable[str | Path],
    golden_dir: str | Path,
    raw_dir: str | Path,
    rules_dir: str | Path | None,
    update: bool = False,
) -> list[Difference]:
    """Extract each document again and compare its tables with ``golden_dir/<doc>/``.

    ``docs`` are doc ids (inputs found in ``raw_dir``) or input paths; none means every golden document.
    With ``update`` the current output of the named documents is written as their golden folder, and
    the differences returned are the ones that were accepted.
    """
    import pipeline
    from pipeline.outputs.write import write_result

    golden = Path(golden_dir)
    names = list(docs)
    if update and not names:
        raise ValueError("name the documents to accept as golden: pipeline check --update DOC...")
    if not names:
        names = list(golden_docs(golden))
        if not names:
            raise ValueError(f"{golden}: no golden documents yet; make one with pipeline check --update DOC")
    inputs = [resolve_input(name, raw_dir) for name in names]  # all found before any work starts
    differences: list[Difference] = []
    for doc, path in inputs:
        log.info("checking %s (%s)", doc, path)
        result = pipeline.extract(path, rules_dir=rules_dir)
        with tempfile.TemporaryDirectory(prefix="pipeline-check-") as tmp:
            current = write_result(result, tmp)
            differences.extend(compare_with_golden(result.doc, golden / result.doc, current))
        if update:
            written = write_result(result, golden)
            log.info("wrote %s", written)
    return differences


def command(ns: argparse.Namespace) -> int:
    """``pipeline check [DOC...] [--golden DIR] [--raw DIR] [--rules DIR] [--update]``."""
    from pipeline.outputs.terminal import terminal_safe

    golden = Path(ns.golden)
    docs = list(ns.docs) or ([] if ns.update else golden_docs(golden))
    differences = check_docs(docs, golden, ns.raw, ns.rules, update=ns.update)
    new = {d.doc for d in differences if d.change == "missing"}
    for difference in differences:
        if not (ns.update and difference.change == "missing"):
            print(terminal_safe(str(difference)))
    differing = sorted({d.doc for d in differences})
    ids = [resolve_input(name, ns.raw)[0] for name in docs]
    if ns.update:
        for doc in ids:
            accepted = sum(1 for d in differences if d.doc == doc)
            what = f"{accepted} difference{'s' if accepted != 1 else ''} accepted" if accepted else "same"
            print(f"wrote {golden / doc}/ ({'new' if doc in new else what})")
        return 0
    documents = f"{len(ids)} document{'s' if len(ids) != 1 else ''}"
    if differing:
        verb = "differs" if len(differing) == 1 else "differ"
        print(
            f"check: {len(differing)} of {documents} {verb} from {golden}/: {', '.join(differing)} "
            "(accept with `pipeline check --update DOC`)"
        )
        return 1
    print(f"check: {documents} {'match' if len(ids) != 1 else 'matches'} {golden}/")
    return 0
