"""Benchmark PDF ingest: time ``pipeline.readers.pdf.read_pdf`` on the seed brochure drawn as a PDF.

Usage: ``python bench/pdf_ingest.py [--pages N] [--repeat R]``. Builds a PDF of about N pages (copies of
the seed's seven fixture pages) in a temporary folder, reads it R times and prints the best run as one
line: ``pdf_ingest: N pages in S s = P pages/s``.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))

import make_pdf_fixtures as fx  # noqa: E402

from pipeline.readers.pdf import read_pdf  # noqa: E402


def run(pages: int, repeat: int) -> tuple[int, float]:
    """Build the benchmark PDF and return (pages read, best seconds over ``repeat`` reads)."""
    copies = max(1, math.ceil(pages / len(fx.SEED_PAGES)))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.pdf"
        fx.make_seed_pdf(path, copies=copies)
        data = path.read_bytes()
        best = math.inf
        n = 0
        for _ in range(repeat):
            t0 = time.perf_counter()
            src = read_pdf(path, data)
            best = min(best, time.perf_counter() - t0)
            n = len(src.page_starts)
    return n, best


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=50, help="about this many pages (default 50)")
    parser.add_argument("--repeat", type=int, default=3, help="reads to take the best of (default 3)")
    args = parser.parse_args(argv)
    n, seconds = run(args.pages, args.repeat)
    sys.stdout.write(f"pdf_ingest: {n} pages in {seconds:.2f} s = {n / seconds:.1f} pages/s\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
