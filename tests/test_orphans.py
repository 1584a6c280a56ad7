"""Issue 14: workers die with their parent, whatever signal ends it (SIGKILL included).

``pipeline run --jobs 2`` is started on many inputs; once its workers are busy the parent is killed,
and every process it had started (workers, multiprocessing's resource tracker) must be gone within a
few seconds, instead of going on writing documents for minutes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.batch.runner import WATCHDOG_SECONDS

from .conftest import ROOT, SEED

GONE_WITHIN = 5.0


def _children(pid: int) -> list[int]:
    """Processes whose parent is ``pid`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
            found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["SIGKILL", "SIGTERM"])
def test_workers_die_with_their_parent(sig: signal.Signals, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    for i in range(40):
        (raw / f"doc{i:02d}.txt").write_text(seed.replace("134", str(100 + i)), encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "pipeline", "run", str(raw), "--out", str(tmp_path / "out"),
                               "--jobs", "2", "--quiet"], cwd=ROOT, stderr=subprocess.DEVNULL)
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            workers = _children(parent.pid)
            # two workers plus the resource tracker, and the first documents written: work is under way
            if len(workers) >= 3 and (tmp_path / "out").exists() and any((tmp_path / "out").iterdir()):
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the run never started its workers"
        os.kill(parent.pid, sig)
        parent.wait(timeout=30)
        gone_by = time.monotonic() + GONE_WITHIN + WATCHDOG_SECONDS
        while time.monotonic() < gone_by and any(_alive(w) for w in workers):
            time.sleep(0.1)
        left = [w for w in workers if _alive(w)]
        assert not left, f"still running {GONE_WITHIN} s after the parent died: {left}"
    finally:
        if parent.poll() is None:
            parent.kill()
        for w in workers:  # never leave one behind, even when the test fails
            with contextlib.suppress(ProcessLookupError):
                os.kill(w, signal.SIGKILL)
