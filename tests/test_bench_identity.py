"""Issue 18: speed changes keep outputs byte-identical on a sample of the benchmark corpus.

``tests/bench_sample.py`` writes six of the bench corpus's varied copies of the seed and the pipeline's
CSVs for them; their sha256s must be the ones in ``tests/golden_bench/SHA256SUMS`` (that file's docstring
says how to check them by hand and how to accept a deliberate change).
"""

from __future__ import annotations

from pathlib import Path

from .bench_sample import SUMS, sums


def test_bench_sample_outputs_are_byte_identical(tmp_path: Path) -> None:
    want = SUMS.read_text(encoding="utf-8").splitlines()
    got = sums(tmp_path).splitlines()
    assert [line for line in want if line.endswith(".txt")] == [line for line in got if line.endswith(".txt")], \
        "the sample inputs changed: bench/throughput.py's corpus is not what the sums were made from"
    assert len(want) > 6 * 3
    changed = sorted(set(want) ^ set(got))
    assert changed == [], f"outputs differ from tests/golden_bench/SHA256SUMS: {changed[:6]}"
