"""Recall and precision per kind on a corpus of real-style public-sector sentences (issue 13).

Every sentence in ``tests/prose_corpus.yaml`` lists every amount, count, date, period and organisation
it holds; what the pipeline finds beyond that list is a false positive. The thresholds are those the
issue sets for real public text; a failure lists every miss and every false finding.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

import pipeline

from .conftest import RULES

CORPUS = Path(__file__).with_name("prose_corpus.yaml")
THRESHOLDS = {  # kind -> (recall, precision)
    "amount": (0.95, 0.97),
    "count": (0.95, 0.97),
    "date": (0.95, 0.97),
    "period": (0.95, 0.97),
    "organization": (0.85, 0.95),
}
FIGURES = ("amount", "count")


def _key(m: dict[str, Any]) -> tuple[str, ...]:
    kind = m["kind"]
    key = (kind, str(m["text"]), str(m["value"]))
    if kind in FIGURES:
        approx = m.get("approx")
        key += ("true" if approx is True or approx == "true" else "false", str(m.get("bound") or ""))
    return key


def _sentences() -> list[dict[str, Any]]:
    return yaml.safe_load(CORPUS.read_text(encoding="utf-8"))["sentences"]


@pytest.fixture(scope="module")
def scored() -> dict[str, Any]:
    tp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    misses: list[str] = []
    for s in _sentences():
        result = pipeline.extract(s["text"], rules_dir=RULES)
        got = Counter(
            _key(r) for r in result.tables["mentions"].to_dict("records") if r["kind"] in THRESHOLDS
        )
        want = Counter(_key(m) for m in s.get("mentions") or [])
        for k, n in (want & got).items():
            tp[k[0]] += n
        for k, n in (want - got).items():
            fn[k[0]] += n
            misses.append(f"missed {k} in {s['text']!r} ({s['cause']})")
        for k, n in (got - want).items():
            fp[k[0]] += n
            misses.append(f"false {k} in {s['text']!r} ({s['cause']})")
    return {"tp": tp, "fn": fn, "fp": fp, "misses": misses}


def test_corpus_is_large_enough() -> None:
    sentences = _sentences()
    assert len(sentences) >= 60
    causes = Counter(s["cause"] for s in sentences)
    assert all(n >= 1 for n in causes.values())


def test_units_checked(scored: dict[str, Any]) -> None:
    """Where a sentence gives a count's unit, the pipeline reads the same counter."""
    wrong = []
    for s in _sentences():
        want = [m for m in s.get("mentions") or [] if m["kind"] == "count" and "unit" in m]
        if not want:
            continue
        rows = pipeline.extract(s["text"], rules_dir=RULES).tables["mentions"].to_dict("records")
        units = {(r["text"], r["unit"]) for r in rows if r["kind"] == "count"}
        wrong += [(s["text"], m["text"], m["unit"]) for m in want if (m["text"], m["unit"]) not in units]
    assert wrong == []


@pytest.mark.parametrize("kind", list(THRESHOLDS))
def test_recall_and_precision(scored: dict[str, Any], kind: str) -> None:
    tp, fn, fp = scored["tp"][kind], scored["fn"][kind], scored["fp"][kind]
    if tp + fn == 0:
        pytest.skip(f"no {kind} in the corpus yet")
    recall = tp / (tp + fn)
    precision = tp / (tp + fp) if tp + fp else 1.0
    want_r, want_p = THRESHOLDS[kind]
    detail = "\n".join(m for m in scored["misses"] if f"('{kind}'," in m)
    assert recall >= want_r and precision >= want_p, (
        f"{kind}: recall {recall:.3f} (>= {want_r}), precision {precision:.3f} (>= {want_p})\n{detail}"
    )
