"""Output folders are replaced whole or not at all, and two writers of one document take turns.

``pipeline.outputs.write.write_result`` writes ``DIR/<doc>/`` into a hidden sibling ``.<doc>.tmp-*`` and
swaps it in, holding ``DIR/.<doc>.lock``. These tests break a write part-way (an exception, or SIGKILL
of a writer process), race two writer processes, and leave behind what a killed run leaves, and check
what a reader of ``DIR/<doc>/`` sees.
"""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import pipeline
from pipeline.core.result import Result
from pipeline.outputs import write as outputs

DOC = "doc"

# A writer process: loads a pickled Result and writes it `repeat` times. With a marker path, it
# stops for good after the second file of its first write (holding the lock, the folder half
# written) and says so by creating the marker.
WRITER = """
import pickle, sys, time
from pathlib import Path
import pipeline.outputs.write as outputs
result_path, out_dir, marker, repeat = sys.argv[1:5]
result = pickle.loads(Path(result_path).read_bytes())
if marker:
    real, written = outputs._write_text, []
    def stalled(path, text):
        real(path, text)
        written.append(path)
        if len(written) == 2:
            Path(marker).write_text(str(path.parent))
            time.sleep(600)
    outputs._write_text = stalled
for _ in range(int(repeat)):
    outputs.write_result(result, out_dir)
"""


def _result(label: str) -> Result:
    """A small document whose every file differs from another label's."""
    return pipeline.extract(f"{label}: 平成21年度 文部科学省 関連予算134億円、約2,210社 {label}", doc=DOC)


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return {label: _result(label) for label in ("A", "B", "C")}


def _expected(result: Result) -> dict[str, bytes]:
    return {name: text.encode("utf-8") for name, text in outputs.document_files(result).items()}


def _on_disk(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def _hidden_leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(f".{DOC}.") and p.is_dir())


def _visible(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if not p.name.startswith("."))


def _spawn_writer(tmp_path: Path, result: Result, out: Path, marker: Path | None = None,
                  repeat: int = 1) -> subprocess.Popen[bytes]:
    pickled = tmp_path / f"result-{id(result)}.pickle"
    pickled.write_bytes(pickle.dumps(result))
    return subprocess.Popen([sys.executable, "-c", WRITER, str(pickled), str(out), str(marker or ""), str(repeat)],
                            stderr=subprocess.PIPE)


def _wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def killed_writers() -> Iterator[list[subprocess.Popen[bytes]]]:
    procs: list[subprocess.Popen[bytes]] = []
    yield procs
    for p in procs:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_exception_part_way_keeps_previous_output(results: dict[str, Result], tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards writing into a temporary folder and swapping it in (``write_files_atomically``).

    A writer step that fails on the third file leaves DIR/doc/ exactly as the previous run wrote it,
    and removes its own temporary folder.
    """
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    real, calls = outputs._write_text, []

    def failing(path: Path, text: str) -> None:
        calls.append(path)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        real(path, text)

    monkeypatch.setattr(outputs, "_write_text", failing)
    with pytest.raises(OSError, match="No space left"):
        outputs.write_result(results["B"], out)
    assert _on_disk(out / DOC) == _expected(results["A"])
    assert _visible(out) == [DOC]
    assert _hidden_leftovers(out) == []


def test_sigkill_mid_write_keeps_previous_output(results: dict[str, Result], tmp_path: Path,
                                                 killed_writers: list[subprocess.Popen[bytes]]) -> None:
    """Guards the temporary folder + swap, against a writer process killed with SIGKILL mid-write.

    Nothing half-written is visible under the doc's name; the next write removes the dead writer's
    ``.doc.tmp-*`` folder (``clean_leftovers``).
    """
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    marker = tmp_path / "stalled"
    proc = _spawn_writer(tmp_path, results["B"], out, marker)
    killed_writers.append(proc)
    _wait_for(marker.exists, 120, "the writer to start writing")
    proc.send_signal(signal.SIGKILL)
    proc.wait(30)
    half = Path(marker.read_text())
    assert half.name.startswith(f".{DOC}.tmp-") and len(list(half.iterdir())) == 2  # it was killed mid-write
    assert _on_disk(out / DOC) == _expected(results["A"])
    assert _visible(out) == [DOC]
    outputs.write_result(results["C"], out)
    assert _on_disk(out / DOC) == _expected(results["C"])
    assert _hidden_leftovers(out) == []


def test_second_writer_waits_for_the_lock(results: dict[str, Result], tmp_path: Path,
                                          killed_writers: list[subprocess.Popen[bytes]]) -> None:
    """Guards ``folder_lock``: a second writer of the same doc waits while the first holds the lock.

    Without the lock the second writer would go ahead at once and, cleaning up, delete the first
    writer's temporary folder under it.
    """
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    marker = tmp_path / "stalled"
    proc = _spawn_writer(tmp_path, results["B"], out, marker)
    killed_writers.append(proc)
    _wait_for(marker.exists, 120, "the first writer to start writing")
    half = Path(marker.read_text())
    errors: list[BaseException] = []

    def second() -> None:
        try:
            outputs.write_result(results["C"], out)
        except BaseException as e:  # re-raised below, in the test's thread
            errors.append(e)

    thread = threading.Thread(target=second)
    thread.start()
    time.sleep(1.5)
    assert thread.is_alive(), "the second writer did not wait for the first one's lock"
    assert half.is_dir(), "the second writer removed the first writer's folder while it was writing"
    proc.send_signal(signal.SIGKILL)  # a killed process's flock is released
    proc.wait(30)
    thread.join(60)
    assert not thread.is_alive() and not errors, errors
    assert _on_disk(out / DOC) == _expected(results["C"])
    assert _hidden_leftovers(out) == []


def test_two_writer_processes_never_mix_files(results: dict[str, Result], tmp_path: Path,
                                              killed_writers: list[subprocess.Popen[bytes]]) -> None:
    """Guards ``folder_lock`` with the swap: two processes writing different content for one doc, over
    and over at the same time, both succeed, and the folder ends entirely one or the other."""
    out = tmp_path / "out"
    procs = [_spawn_writer(tmp_path, results[label], out, repeat=15) for label in ("B", "C")]
    killed_writers.extend(procs)
    for p in procs:
        _, err = p.communicate(timeout=240)
        assert p.returncode == 0, err.decode(errors="replace")
    final = _on_disk(out / DOC)
    assert final in (_expected(results["B"]), _expected(results["C"]))
    assert _visible(out) == [DOC]
    assert _hidden_leftovers(out) == []


def test_leftovers_of_a_killed_run_are_removed_by_the_next(results: dict[str, Result], tmp_path: Path) -> None:
    """Guards ``clean_leftovers``: the next write of a doc removes ``.doc.tmp-*`` and ``.doc.old-*``
    folders a killed run left, and nothing that belongs to another doc or is not such a folder."""
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    stale = [out / f".{DOC}.tmp-ab12cd34", out / f".{DOC}.old-4242"]
    others = [out / f".{DOC}x.tmp-ab12cd34", out / f".{DOC}.tmp-keep", out / ".other.tmp-ab12cd34"]
    for folder in stale + others:
        folder.mkdir()
        (folder / "source.txt").write_text("half", encoding="utf-8")
    outputs.write_result(results["B"], out)
    assert _on_disk(out / DOC) == _expected(results["B"])
    assert not any(p.exists() for p in stale)
    assert all(p.is_dir() for p in others)


def test_kill_between_the_two_renames_loses_nothing(results: dict[str, Result], tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the restore in ``clean_leftovers``: where the atomic exchange is missing, a run killed
    between its two renames leaves only ``.doc.old-<pid>``; the next write puts it back first, so a
    failure of that write still leaves the previous output in place."""
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    os.rename(out / DOC, out / f".{DOC}.old-4242")  # the state after the first rename, then SIGKILL

    def failing(path: Path, text: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outputs, "_write_text", failing)
    with pytest.raises(OSError):
        outputs.write_result(results["B"], out)
    assert _on_disk(out / DOC) == _expected(results["A"])
    assert _hidden_leftovers(out) == []


def test_fallback_without_atomic_exchange(results: dict[str, Result], tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards the two-rename fallback of the swap (systems without ``renameat2``): the new folder
    replaces the old one whole, and the swapped-out folder is removed."""
    monkeypatch.setattr(outputs, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    outputs.write_result(results["A"], out)
    outputs.write_result(results["B"], out)
    assert _on_disk(out / DOC) == _expected(results["B"])
    assert _hidden_leftovers(out) == []


def test_files_reach_the_disk_before_the_swap(results: dict[str, Result], tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Guards durability with one sync per folder: the folder's file system is synced once, after its
    last file is written and before the swap; where syncfs fails (or is missing), every file is fsynced."""
    out = tmp_path / "out"
    events: list[str] = []
    real_write, real_exchange = outputs._write_text, outputs._exchange

    def write(path: Path, text: str) -> None:
        events.append("write")
        real_write(path, text)

    def exchange(a: Path, b: Path) -> bool:
        events.append("swap")
        return real_exchange(a, b)

    def syncfs(fd: int) -> int:
        events.append("syncfs")
        return 0

    monkeypatch.setattr(outputs, "_write_text", write)
    monkeypatch.setattr(outputs, "_exchange", exchange)
    monkeypatch.setattr(outputs, "_SYNCFS", syncfs)
    outputs.write_result(results["A"], out)
    outputs.write_result(results["B"], out)
    files = len(_expected(results["B"]))
    assert events == ["write"] * files + ["syncfs"] + ["write"] * files + ["syncfs", "swap"]

    synced: list[int] = []
    real_fsync = os.fsync
    monkeypatch.setattr(outputs, "_SYNCFS", lambda fd: -1)
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    outputs.write_result(results["C"], out)
    assert len(synced) == files + 1  # each file, then the parent folder after the swap
    assert _on_disk(out / DOC) == _expected(results["C"])
