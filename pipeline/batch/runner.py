"""`pipeline run`: extract many inputs into DIR/<doc>/, in parallel, skipping unchanged documents.

A document is skipped when its output folder records the same input sha256, rules hash and pipeline
version (``datapackage.json``) and still holds every file; ``--force`` reruns it. One bad input fails
alone: a one-line error on stderr naming the file, the others are still written, and the exit status
is 1.

Executors (``--executor``): ``local`` runs the documents in this process (``--jobs 1``) or in a pool
of worker processes (``--jobs N``); ``dask`` sends them to a Dask cluster (:mod:`pipeline.batch.distributed`).
Either way a worker is handed a path, reads and writes the document itself, and returns only a small
:class:`Outcome`, so memory stays bounded per document whatever the size of the batch.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import logging
import multiprocessing
import os
import sys
import tempfile
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pipeline.tables  # noqa: F401 - registers the built-in tables, whose rule files load_rules requires
from pipeline.batch.work import STATUSES, Outcome, is_current, process_one
from pipeline.outputs.terminal import terminal_safe
from pipeline.outputs.write import doc_id_problem
from pipeline.readers import is_supported

log = logging.getLogger(__name__)

# A worker process is replaced after this many documents: spaCy's string store only grows, so a
# long-lived worker on a large corpus would grow with it. Not fewer: a new worker spends about a
# second loading spaCy, some fifteen brochures' worth of work.
TASKS_PER_WORKER = 500


# -- what to run -------------------------------------------------------------------------------


def discover(inputs: Iterable[str], skipped: list[str] | None = None) -> list[Path]:
    """Every file named, and every file a reader reads inside a named folder (not recursive), sorted,
    without duplicates. A named file of an unknown format fails alone, naming the supported ones.

    What a folder holds but is not run (hidden files, dangling or looping links, folders named like
    an input) is added to ``skipped`` as one line each, so nothing is left out silently.
    """
    found: list[Path] = []
    for item in inputs:
        p = Path(item)
        if p.is_dir():
            found.extend(_folder_inputs(p, skipped if skipped is not None else []))
        else:
            found.append(p)  # a missing or odd file fails alone, with its name, when it is read
    seen: set[Path] = set()
    unique = []
    for p in found:
        if p.resolve() not in seen:
            seen.add(p.resolve())
            unique.append(p)
    return unique


def _folder_inputs(folder: Path, skipped: list[str]) -> list[Path]:
    """The inputs directly inside ``folder``; what looks like one but is not goes to ``skipped``."""
    kept = []
    for q in sorted(folder.iterdir()):
        if not is_supported(q):
            continue
        if q.name.startswith("."):
            skipped.append(f"{q}: hidden file, skipped")
            continue
        try:
            q.stat()
        except OSError as e:  # a dangling link (ENOENT) or a link loop (ELOOP)
            reason = "a symbolic link loop" if e.errno == errno.ELOOP else "a dangling link"
            skipped.append(f"{q}: {reason}, skipped")
            continue
        if not q.is_file():
            skipped.append(f"{q}: not a regular file, skipped")
            continue
        kept.append(q)
    return kept


def split_clashes(paths: list[Path]) -> tuple[list[Path], list[Outcome]]:
    """Keep the first input of each doc id; later inputs with the same file stem fail, and so do
    inputs whose stem cannot be a folder name (``..txt``, ``.hidden.txt``; see ``doc_id_problem``).

    Two inputs with one stem (``a/x.txt`` and ``b/x.txt``, or ``x.txt`` and ``x.pdf``) would write the
    same folder ``DIR/x/``, and which one won would depend on timing.
    """
    first: dict[str, Path] = {}
    keep: list[Path] = []
    clashes: list[Outcome] = []
    for p in paths:
        problem = doc_id_problem(p.stem)
        if problem:
            clashes.append(Outcome(str(p), p.stem, "failed", f"{p}: {problem}; rename the input"))
        elif p.stem in first:
            message = f"{p}: same document id {p.stem!r} as {first[p.stem]}; rename one of them"
            clashes.append(Outcome(str(p), p.stem, "failed", message))
        else:
            first[p.stem] = p
            keep.append(p)
    return keep, clashes


# -- executors ---------------------------------------------------------------------------------


def run_in_process(paths: list[Path], out_dir: str, rules_dir: str, force: bool) -> Iterator[Outcome]:
    """One document after another in this process."""
    for p in paths:
        yield process_one(str(p), out_dir, rules_dir, force)


_PR_SET_PDEATHSIG = 1  # linux/prctl.h
WATCHDOG_SECONDS = 0.5


def die_with_parent(parent: int) -> None:
    """Make this process end when ``parent`` does, whatever kills it (SIGKILL included).

    On Linux the kernel sends SIGKILL on the parent's death (``prctl(PR_SET_PDEATHSIG)``); everywhere a
    daemon thread also checks ``os.getppid()`` and exits once the process has been re-parented. An
    orphaned worker would otherwise go on writing documents for minutes after the run was killed.
    """
    import signal
    import threading

    if sys.platform.startswith("linux"):
        import ctypes

        with contextlib.suppress(OSError, AttributeError):  # no prctl: the watchdog below still works
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(WATCHDOG_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


def _init_worker(level: int, parent: int) -> None:
    """Spawned workers start with no logging set up: give them the parent's level (for --debug); and
    tie their life to the parent's."""
    die_with_parent(parent)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if level > logging.DEBUG:
        logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as the command line (pipeline.cli.main) sets it


def _pool(jobs: int) -> ProcessPoolExecutor:
    # Workers are spawned, not forked: the parent may hold spaCy/MeCab state and threads (rich).
    return ProcessPoolExecutor(max_workers=jobs, mp_context=multiprocessing.get_context("spawn"),
                               max_tasks_per_child=TASKS_PER_WORKER, initializer=_init_worker,
                               initargs=(logging.getLogger().getEffectiveLevel(), os.getpid()))


def _isolated(p: Path, out_dir: str, rules_dir: str, force: bool) -> Outcome:
    """One document in a worker of its own: a crash (segfault, kill) is then this document's alone."""
    with _pool(1) as pool:
        try:
            return pool.submit(process_one, str(p), out_dir, rules_dir, force).result()
        except BrokenProcessPool:
            return Outcome(str(p), p.stem, "failed", f"{p}: the worker process died on this document "
                                                     "(killed, out of memory or a crash in a native library)")


def run_in_pool(paths: list[Path], out_dir: str, rules_dir: str, force: bool, jobs: int) -> Iterator[Outcome]:
    """Documents in ``jobs`` worker processes, yielded as they finish.

    At most two documents per worker are queued at a time, so a corpus of any size costs the parent
    a few paths and Outcomes, never the texts. A worker that dies breaks the whole pool: the
    documents it held are then rerun one per fresh process, so only the one that kills its
    worker fails, and the rest of the batch goes on in a new pool.
    """
    todo = deque(paths)
    while todo:
        pool = _pool(jobs)
        running: dict[Future[Outcome], Path] = {}
        suspects: list[Path] = []

        def submit_next(pool: ProcessPoolExecutor = pool, running: dict[Future[Outcome], Path] = running,
                        suspects: list[Path] = suspects) -> None:
            if todo:
                p = todo.popleft()
                try:
                    running[pool.submit(process_one, str(p), out_dir, rules_dir, force)] = p
                except BrokenProcessPool:
                    suspects.append(p)

        try:
            for _ in range(2 * jobs):
                submit_next()
            while running and not suspects:
                done, _ = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    p = running.pop(future)
                    try:
                        outcome = future.result()
                    except BrokenProcessPool:
                        suspects.append(p)
                        continue
                    except Exception as e:  # noqa: BLE001 - the worker could not even report
                        outcome = Outcome(str(p), p.stem, "failed", f"{p}: worker failed: {type(e).__name__}: {e}")
                    if not suspects:
                        submit_next()
                    yield outcome
        finally:
            # On an interrupt, documents not yet started are dropped; those running finish whole.
            pool.shutdown(wait=True, cancel_futures=True)
        if suspects:
            suspects.extend(running.values())
            log.warning("a worker died; rerunning %d document(s) one by one", len(suspects))
            for p in suspects:
                yield _isolated(p, out_dir, rules_dir, force)


def execute(paths: list[Path], out_dir: str, rules_dir: str, force: bool = False, jobs: int = 1,
            executor: str = "local", scheduler: str | None = None) -> Iterator[Outcome]:
    """Run ``process_one`` over ``paths`` on the chosen executor, yielding Outcomes as they finish."""
    if not paths:
        return iter(())
    if executor == "dask":
        from pipeline.batch.distributed import run_on_dask

        return run_on_dask(paths, out_dir, rules_dir, force, scheduler)
    if jobs <= 1 or len(paths) <= 1:
        return run_in_process(paths, out_dir, rules_dir, force)
    return run_in_pool(paths, out_dir, rules_dir, force, min(jobs, len(paths)))


# -- progress ----------------------------------------------------------------------------------


class Progress:
    """Progress on stderr: a rich bar on a terminal, one plain line per document otherwise.

    Failures are always shown, one line each naming the file, even with ``quiet``.
    """

    def __init__(self, total: int, quiet: bool = False, live: bool | None = None, out_dir: str = "") -> None:
        self.total, self.quiet, self.out_dir = total, quiet, out_dir
        self.done, self.chars = 0, 0
        self.counts = dict.fromkeys(STATUSES, 0)
        self.t0 = time.perf_counter()
        self._bar = None
        if live is None:
            live = sys.stderr.isatty()
        if not quiet and live and total > 1:
            from rich import progress as bar
            from rich.console import Console

            self._bar = bar.Progress(
                bar.TextColumn("[bold]extracting"),
                bar.BarColumn(),
                bar.MofNCompleteColumn(),
                bar.TextColumn("{task.fields[counts]}"),
                bar.TextColumn("{task.fields[rate]}"),
                bar.TimeElapsedColumn(),
                bar.TextColumn("left"),
                bar.TimeRemainingColumn(),
                bar.TextColumn("{task.description}", style="dim"),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._bar.start()
            self._task = self._bar.add_task("", total=total, counts=self._counts_text(), rate="")

    @property
    def rate(self) -> float:
        """Characters of written documents per second of wall time so far."""
        return self.chars / max(time.perf_counter() - self.t0, 1e-9)

    def _counts_text(self) -> str:
        return ", ".join(f"{self.counts[s]} {s}" for s in STATUSES)

    def _say(self, line: str) -> None:
        line = terminal_safe(line)  # file names and messages may hold escape sequences
        if self._bar is not None:
            self._bar.console.print(line, markup=False, highlight=False, soft_wrap=True)
        else:
            print(line, file=sys.stderr, flush=True)

    def update(self, o: Outcome) -> None:
        """Count one finished document and show it."""
        self.done += 1
        self.chars += o.chars
        self.counts[o.status] += 1
        if o.status == "failed":
            self._say(f"pipeline run: {o.message}")
        if self._bar is not None:
            self._bar.update(self._task, advance=1, description=o.doc, counts=self._counts_text(),
                             rate=f"{self.rate:,.0f} chars/s")
        elif not self.quiet and o.status == "written":
            where = f" to {Path(self.out_dir) / o.doc}{os.sep}" if self.out_dir else ""
            self._say(f"[{self.done}/{self.total}] {o.doc}: written{where} ({self._counts_text()}; "
                      f"{self.rate:,.0f} chars/s)")

    def close(self) -> None:
        """Stop the bar and print the summary line."""
        if self._bar is not None:
            self._bar.stop()
        if self.quiet:
            return
        secs = time.perf_counter() - self.t0
        nothing = self.counts["written"] == 0 and self.counts["failed"] == 0
        note = "; nothing to extract: inputs, rules and pipeline version unchanged" if nothing else ""
        rate = f" ({self.rate:,.0f} chars/s)" if self.counts["written"] else ""
        where = f"; outputs in {self.out_dir}{os.sep}" if self.out_dir else ""
        print(f"pipeline run: {self._counts_text()} in {secs:.1f}s{rate}{note}{where}", file=sys.stderr, flush=True)


# -- the run -----------------------------------------------------------------------------------


def run_inputs(inputs: list[str], out_dir: str, rules_dir: str, jobs: int = 1, force: bool = False,
               quiet: bool = False, executor: str = "local", scheduler: str | None = None) -> list[Outcome]:
    """Extract every input into ``out_dir``; return one Outcome per input, sorted by path.

    The rules are loaded (and validated) first, so a malformed rule file stops the run before any
    document is touched. Documents that are already current are skipped here, before any worker or
    cluster is started.
    """
    from pipeline.core.rules import cached_rules

    rules = cached_rules(rules_dir)  # validated; with --jobs 1 the documents reuse it
    skipped: list[str] = []
    paths, outcomes = split_clashes(discover(inputs, skipped))
    for line in skipped:
        print(terminal_safe(f"pipeline run: {line}"), file=sys.stderr)
    progress = Progress(len(paths) + len(outcomes), quiet, out_dir=out_dir)
    for o in outcomes:
        progress.update(o)
    stale = []
    for p in paths:
        if not force and is_current(p, Path(out_dir), rules.hash):
            o = Outcome(str(p), p.stem, "skipped", "unchanged")
            outcomes.append(o)
            progress.update(o)
        else:
            stale.append(p)
    try:
        for o in execute(stale, out_dir, rules_dir, force, jobs, executor, scheduler):
            outcomes.append(o)
            progress.update(o)
    finally:
        progress.close()
    return sorted(outcomes, key=lambda o: o.path)


def _usage(message: str) -> int:
    print(terminal_safe(f"pipeline run: {message}"), file=sys.stderr)
    return 2


def _unwritable(out: Path) -> str | None:
    """Why nothing can be written under ``out`` (checked once, not per document), or None."""
    probe = out  # the folder itself, or the nearest folder above it that the run would create it in
    while not probe.exists() and probe != probe.parent:
        probe = probe.parent
    if not probe.is_dir():
        return f"{probe} is not a folder"
    try:
        with tempfile.TemporaryFile(dir=probe):
            pass
    except OSError as e:
        return e.strerror or str(e)
    return None


def command(ns: argparse.Namespace) -> int:
    """``pipeline run``: 0 all done, 1 some input failed (the others are written), 2 usage."""
    from pipeline.batch.distributed import DaskRunError, dask_available
    from pipeline.core.rules import RulesError

    if ns.jobs < 1:
        return _usage("--jobs must be at least 1")
    if ns.executor == "dask":
        if not ns.scheduler:
            return _usage("--executor dask needs --scheduler ADDRESS")
        if not dask_available():
            return _usage("--executor dask needs dask: pip install 'dask[distributed]'")
    elif ns.scheduler:
        return _usage("--scheduler is only used with --executor dask")
    if Path(ns.out).exists() and not Path(ns.out).is_dir():
        return _usage(f"--out {ns.out}: not a folder")
    from pipeline.core.rules import RULES_ENV, resolve_rules_dir

    rules_dir = str(resolve_rules_dir(ns.rules))
    if not Path(rules_dir).is_dir():
        given = "--rules " if ns.rules else f"{RULES_ENV}=" if os.environ.get(RULES_ENV) else ""
        return _usage(f"{given}{rules_dir}: rules folder not found")
    if getattr(ns, "limit", None):
        from pipeline.readers.limits import ENV, parse_limits

        spec = ",".join([os.environ.get(ENV, ""), *ns.limit])
        try:
            parse_limits(spec)
        except ValueError as e:
            return _usage(f"--limit: {e}")
        os.environ[ENV] = spec  # read where each input is read, in this process and in the workers
    if getattr(ns, "ocr", False):
        from pipeline.readers.ocr import OcrUnavailable, request_ocr

        try:
            request_ocr()  # worker processes inherit it (remote Dask workers need PIPELINE_OCR=1 set)
        except OcrUnavailable as e:
            print(f"pipeline run: {e}", file=sys.stderr)
            return 1
    inputs = ns.inputs or ["raw"]
    missing = [i for i in inputs if not Path(i).exists()]
    if missing and len(missing) == len(inputs):
        return _usage(f"no such input: {', '.join(missing)}")
    unwritable = _unwritable(Path(ns.out))
    if unwritable:
        print(f"pipeline run: --out {ns.out}: cannot write there ({unwritable})", file=sys.stderr)
        return 1
    try:
        outcomes = run_inputs(inputs, ns.out, rules_dir, jobs=ns.jobs, force=ns.force, quiet=ns.quiet,
                              executor=ns.executor, scheduler=ns.scheduler)
    except (RulesError, DaskRunError) as e:  # nothing can run: a bad rule file, or an unusable cluster
        print(f"pipeline run: {e}", file=sys.stderr)
        return 1
    if not outcomes:
        print(f"pipeline run: no .txt or .pdf inputs in {', '.join(inputs)}", file=sys.stderr)
        return 1
    return 1 if any(o.status == "failed" for o in outcomes) else 0
