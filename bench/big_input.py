"""Peak memory and time of one big text input through ``pipeline run``.

Usage: ``python bench/big_input.py [--mb 50] [--out DIR]``.

Writes a UTF-8 text of ``--mb`` megabytes (copies of the seed brochure, each copy's figures moved so
no two are alike) to a temporary folder, runs ``pipeline run`` on it in a child process, and prints the
child's wall time and peak resident memory (``ru_maxrss`` of the child, from ``os.wait4``), in one
Markdown line for the README's Performance section.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"


def make_big_text(path: Path, megabytes: float) -> int:
    """Write at least ``megabytes`` MB of varied seed copies to ``path``; return the character count."""
    seed = SEED.read_text(encoding="utf-8")
    target = int(megabytes * 10**6)
    written = chars = 0
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        copy = 0
        while written < target:
            text = re.sub(r"(\d+)大学", lambda m, c=copy: f"{int(m.group(1)) + c % 7}大学", seed)
            fh.write(text + "\n")
            written += len(text.encode("utf-8")) + 1
            chars += len(text) + 1
            copy += 1
    return chars


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mb", type=float, default=50.0, help="size of the text input in MB (default 50)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="pipeline-big-") as tmp:
        path = Path(tmp) / "big.txt"
        chars = make_big_text(path, args.mb)
        size = path.stat().st_size
        cmd = [sys.executable, "-m", "pipeline", "run", str(path), "--out", str(Path(tmp) / "out"), "--quiet"]
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - t0
        err = proc.stderr.read() if proc.stderr else ""
        code = os.waitstatus_to_exitcode(status)
        peak_gb = usage.ru_maxrss * 1024 / 10**9
        print(f"- {size / 10**6:.0f} MB text input ({chars:,} characters): peak memory {peak_gb:.2f} GB, "
              f"{seconds:,.0f} s, exit {code}" + (f" ({err.strip().splitlines()[-1]})" if code and err.strip() else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
