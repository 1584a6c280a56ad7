"""`pipeline run`: extract many inputs into DIR/<doc>/, in parallel, skipping unchanged documents.

A document is skipped when its output folder records the same input sha256, rules hash and pipeline
version (``datapackage.json``); ``--force`` reruns it. One bad input fails alone: a one-line error on
stderr naming the file, the others are still written, and the exit status is 1.
"""

from __future__ import annotations

import argparse
import hashlib
import logging
import sys
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from . import __version__
from .ingest import SUPPORTED_SUFFIXES, IngestError

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Outcome:
    path: str
    doc: str
    status: str  # written | skipped | failed
    message: str = ""
    chars: int = 0


def discover(inputs: Iterable[str]) -> list[Path]:
    """Every .txt/.pdf named, or inside a named folder (not recursive), sorted, without duplicates."""
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(sorted(q for q in p.iterdir() if q.is_file() and q.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            found.append(p)  # a missing or odd file fails alone, with its name, when it is read
    seen: set[Path] = set()
    unique = []
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def is_current(path: Path, out_dir: Path, rules_hash: str) -> bool:
    """True when DIR/<doc>/ was made from these very input bytes, rules and pipeline version."""
    from .outputs import read_provenance

    prov = read_provenance(out_dir / path.stem)
    return bool(prov) and prov.get("input_sha256") == _sha256(path) and prov.get("rules_hash") == rules_hash \
        and prov.get("version") == __version__


def process_one(path: str, out_dir: str, rules_dir: str, force: bool = False) -> Outcome:
    """Extract one input and write its folder; never raises for a bad input."""
    from .engine import run_document
    from .ingest import read_source
    from .outputs import write_result
    from .rules import cached_rules

    p = Path(path)
    try:
        rules = cached_rules(rules_dir)
        if not force and p.exists() and is_current(p, Path(out_dir), rules.hash):
            return Outcome(path, p.stem, "skipped", "unchanged")
        source = read_source(p)
        result = run_document(source, rules)
        write_result(result, out_dir)
        return Outcome(path, p.stem, "written", chars=len(source.text))
    except IngestError as e:
        return Outcome(path, p.stem, "failed", str(e))
    except Exception as e:  # any other failure still names the file, and the batch goes on
        log.debug("failure on %s", path, exc_info=True)
        return Outcome(path, p.stem, "failed", f"{path}: {type(e).__name__}: {e}")


class Progress:
    """Progress on stderr: a rich bar on a terminal, one line per document otherwise."""

    def __init__(self, total: int, quiet: bool) -> None:
        self.total, self.quiet, self.done, self.chars = total, quiet, 0, 0
        self.t0 = time.perf_counter()
        self._bar = None
        if not quiet and sys.stderr.isatty() and total > 1:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TimeRemainingColumn

            self._bar = Bar("[progress.description]{task.description}", BarColumn(), MofNCompleteColumn(),
                            TimeRemainingColumn(), transient=True)
            self._bar.start()
            self._task = self._bar.add_task("extracting", total=total)

    def update(self, o: Outcome) -> None:
        self.done += 1
        self.chars += o.chars
        if o.status == "failed":
            print(f"pipeline run: {o.message}", file=sys.stderr)
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=o.doc)
        elif not self.quiet and o.status != "failed":
            rate = self.chars / max(time.perf_counter() - self.t0, 1e-9)
            print(f"[{self.done}/{self.total}] {o.doc}: {o.status} ({rate:,.0f} chars/s)", file=sys.stderr)

    def close(self, outcomes: list[Outcome]) -> None:
        if self._bar is not None:
            self._bar.stop()
        if self.quiet:
            return
        counts = {s: sum(o.status == s for o in outcomes) for s in ("written", "skipped", "failed")}
        secs = time.perf_counter() - self.t0
        note = " (nothing to extract: inputs, rules and version unchanged)" if counts["written"] == 0 \
            and counts["skipped"] and not counts["failed"] else ""
        print(f"pipeline run: {counts['written']} written, {counts['skipped']} skipped, "
              f"{counts['failed']} failed in {secs:.1f}s{note}", file=sys.stderr)


def run_inputs(inputs: list[str], out_dir: str, rules_dir: str, jobs: int = 1, force: bool = False,
               quiet: bool = False, executor: str = "local", scheduler: str | None = None) -> list[Outcome]:
    from .rules import load_rules

    load_rules(rules_dir)  # a malformed rule file stops the run before any document is touched
    paths = discover(inputs)
    progress = Progress(len(paths), quiet)
    outcomes: list[Outcome] = []
    if executor == "dask":
        from .distributed import run_on_dask

        for o in run_on_dask(paths, out_dir, rules_dir, force, scheduler):
            outcomes.append(o)
            progress.update(o)
    elif jobs <= 1 or len(paths) <= 1:
        for p in paths:
            o = process_one(str(p), out_dir, rules_dir, force)
            outcomes.append(o)
            progress.update(o)
    else:
        with ProcessPoolExecutor(max_workers=jobs, max_tasks_per_child=50) as pool:
            futures = [pool.submit(process_one, str(p), out_dir, rules_dir, force) for p in paths]
            for f in as_completed(futures):
                o = f.result()
                outcomes.append(o)
                progress.update(o)
    progress.close(outcomes)
    return sorted(outcomes, key=lambda o: o.path)


def command(ns: argparse.Namespace) -> int:
    if ns.jobs < 1:
        print("pipeline run: --jobs must be at least 1", file=sys.stderr)
        return 2
    if ns.executor == "dask" and not ns.scheduler:
        print("pipeline run: --executor dask needs --scheduler ADDRESS", file=sys.stderr)
        return 2
    inputs = ns.inputs or ["raw"]
    missing = [i for i in inputs if not Path(i).exists()]
    if missing and len(missing) == len(inputs):
        print(f"pipeline run: no such input: {', '.join(missing)}", file=sys.stderr)
        return 2
    outcomes = run_inputs(inputs, ns.out, ns.rules, ns.jobs, ns.force, ns.quiet, ns.executor, ns.scheduler)
    if not outcomes:
        print(f"pipeline run: no .txt or .pdf inputs in {', '.join(inputs)}", file=sys.stderr)
        return 1
    return 1 if any(o.status == "failed" for o in outcomes) else 0
