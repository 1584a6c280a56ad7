"""The Dask executor: ``pipeline run --executor dask --scheduler ADDRESS``.

Each document is one task running :func:`pipeline.batch.work.process_one` on a worker of a Dask
distributed cluster, exactly as the local executors run it, so the output folders are the same byte
for byte. What the cluster needs:

- every worker can ``import pipeline`` at the same version as the client (checked before any task);
- the inputs, the rules folder and the output folder are on a file system the workers share with
  the client (tasks carry absolute paths, never texts, and the workers write the outputs);
- one thread per worker process (``dask worker ADDRESS --nworkers N --nthreads 1``): the MeCab
  tagger and the compiled extractors are per process, so tasks in one process run one at a time.
"""

from __future__ import annotations

import importlib.util
import logging
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pipeline.batch.work import Outcome, process_one
from pipeline.core.version import __version__

log = logging.getLogger(__name__)

# One document at a time per worker process: the tokenizer and extractor caches are shared by the
# threads of a process and are not made for concurrent use.
_PROCESS_LOCK = threading.Lock()


class DaskRunError(RuntimeError):
    """The cluster cannot run the batch at all (unreachable, or workers without the pipeline)."""


def dask_available() -> bool:
    """True when ``dask.distributed`` can be imported here."""
    return importlib.util.find_spec("distributed") is not None


def worker_version() -> str:
    """The pipeline version a worker imports (run on every worker before the batch)."""
    return __version__


def process_one_locked(path: str, out_dir: str, rules_dir: str, force: bool = False) -> Outcome:
    """:func:`process_one`, one at a time within a worker process."""
    with _PROCESS_LOCK:
        return process_one(path, out_dir, rules_dir, force)


def connect(scheduler: Any) -> Any:
    """A ``distributed.Client`` on ``scheduler`` (an address, or a cluster object) whose workers
    run this very pipeline version; raise :class:`DaskRunError` otherwise.

    How long to try to connect is Dask's own setting ``distributed.comm.timeouts.connect``.
    """
    from distributed import Client

    try:
        client = Client(scheduler)
    except (OSError, TimeoutError) as e:
        raise DaskRunError(f"cannot reach the Dask scheduler at {scheduler}: {e}") from None
    try:
        versions = client.run(worker_version)
    except Exception as e:
        client.close()
        reason = f"{type(e).__name__}: {e}"
        raise DaskRunError(f"Dask workers at {scheduler} cannot import the pipeline: {reason}") from e
    if not versions:
        client.close()
        raise DaskRunError(f"the Dask scheduler at {scheduler} has no workers")
    wrong = {w: v for w, v in versions.items() if v != __version__}
    if wrong:
        client.close()
        raise DaskRunError(f"Dask workers run another pipeline version than {__version__}: {wrong}")
    crowded = [w for w, n in client.nthreads().items() if n > 1]
    if crowded:
        log.warning("Dask workers with more than one thread run one document at a time per process: %s",
                    ", ".join(crowded))
    return client


def run_on_dask(
    paths: list[Path], out_dir: str, rules_dir: str, force: bool, scheduler: Any
) -> Iterator[Outcome]:
    """Run every path on the Dask cluster at ``scheduler``, yielding Outcomes as tasks finish.

    At most two tasks per worker thread are in flight, so the client holds a few futures whatever the
    size of the batch. A task that dies with its worker fails alone, naming its file.
    """
    from distributed import as_completed

    out_abs, rules_abs = str(Path(out_dir).resolve()), str(Path(rules_dir).resolve())
    client = connect(scheduler)
    try:
        window = 2 * max(1, sum(client.nthreads().values()))
        todo = iter(paths)
        named: dict[str, Path] = {}  # task key -> the input as the user named it

        def submit_next() -> Any:
            p = next(todo, None)
            if p is None:
                return None
            future = client.submit(process_one_locked, str(p.resolve()), out_abs, rules_abs, force,
                                   pure=False)
            named[future.key] = p
            return future

        running = as_completed([f for f in (submit_next() for _ in range(window)) if f is not None])
        for future in running:
            p = named.pop(future.key)
            try:
                o: Outcome = future.result()
                # The worker saw the absolute path; report the input as it was named.
                outcome = Outcome(str(p), o.doc, o.status, o.message.replace(o.path, str(p)), o.chars)
            except Exception as e:  # the task or its worker died
                outcome = Outcome(str(p), p.stem, "failed", f"{p}: Dask task failed: {type(e).__name__}: {e}")
            future.release()
            nxt = submit_next()
            if nxt is not None:
                running.add(nxt)
            yield outcome
    finally:
        client.close()
