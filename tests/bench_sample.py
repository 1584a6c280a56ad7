"""A small deterministic sample of the benchmark corpus and the sha256 of every output file it gives.

The sample is the bench corpus's documents 1 to 6 (``bench/throughput.py``'s seeded ``varied_copy``s
of the seed brochure: the company counts, university counts and 億円 amounts move from copy to copy),
extracted with today's rules and written as ``pipeline run`` writes them. ``tests/golden_bench/SHA256SUMS``
holds, in ``sha256sum`` format, the sha256 of each sample input and of each CSV the pipeline writes
for it; ``tests/test_bench_identity.py`` recomputes them. A speed change must leave them all equal.

How a person checks them by hand::

    python tests/bench_sample.py /tmp/sample     # writes inputs/ and outputs/ under /tmp/sample
    cd /tmp/sample && sha256sum -c /path/to/tests/golden_bench/SHA256SUMS

How to accept a deliberate change of outputs (a rule change, say), after reviewing the CSVs:
``python tests/bench_sample.py --update`` (rewrites SHA256SUMS).
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUMS = ROOT / "tests" / "golden_bench" / "SHA256SUMS"
SAMPLE = range(1, 7)  # the corpus's documents 1..6 (0 is the seed itself, golden already)


def write_sample(folder: Path, rules_dir: Path = ROOT / "rules") -> list[Path]:
    """Write the sample inputs to ``folder/inputs`` and their outputs to ``folder/outputs``; return
    every file to hash (inputs, then the CSVs), sorted."""
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from throughput import corpus_texts
    finally:
        sys.path.remove(str(ROOT / "bench"))
    import pipeline
    from pipeline.outputs.write import write_result

    inputs, outputs = folder / "inputs", folder / "outputs"
    inputs.mkdir(parents=True, exist_ok=True)
    outputs.mkdir(parents=True, exist_ok=True)
    for i, (name, text) in enumerate(corpus_texts(max(SAMPLE) + 1)):
        if i in SAMPLE:
            path = inputs / f"{name}.txt"
            path.write_text(text, encoding="utf-8")
            write_result(pipeline.extract(path, rules_dir=rules_dir), outputs)
    return sorted(inputs.glob("*.txt")) + sorted(outputs.glob("*/*.csv"))


def sums(folder: Path) -> str:
    """``sha256sum`` lines (paths relative to ``folder``) of the sample written into ``folder``."""
    lines = [f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(folder).as_posix()}"
             for p in write_sample(folder)]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="write the sample here (default: a temporary folder)")
    parser.add_argument("--update", action="store_true", help=f"rewrite {SUMS.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    if args.folder:
        text = sums(args.folder)
    else:
        with tempfile.TemporaryDirectory(prefix="bench-sample-") as tmp:
            text = sums(Path(tmp))
    if args.update:
        SUMS.parent.mkdir(parents=True, exist_ok=True)
        SUMS.write_text(text, encoding="utf-8")
        print(f"wrote {SUMS.relative_to(ROOT)} ({text.count(chr(10))} files)")
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
