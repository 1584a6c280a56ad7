"""Shared fixtures: the project's paths and the seed brochure."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings

# The property-based tests explore new random inputs on every local run; CI (.ci/run sets
# HYPOTHESIS_PROFILE=ci, and so does a CI environment) runs a fixed set, so a run's result never depends on
# the draw: a counterexample found locally becomes an @example and a fix, not a red CI by chance.
settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("HYPOTHESIS_PROFILE") or os.environ.get("CI"):
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or "ci")

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"
RULES = ROOT / "rules"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="session")
def seed_result():
    """The seed brochure extracted once per test session."""
    import pipeline

    return pipeline.extract(SEED, rules_dir=RULES)


def dated_events(result: Any) -> list[tuple[str, str, str]]:
    """(name, start date, venue) of each event of an extraction, in order."""
    e = result.tables["events"]
    return [(n, str(d), v) for n, d, v in zip(e["name"], e["start_date"], e["venue"], strict=True)]


def project_counts(result: Any) -> list[tuple[str, int, int]]:
    """(name, companies, universities) of each project of an extraction, in order."""
    p = result.tables["projects"]
    return [(n, int(c), int(u)) for n, c, u in zip(p["name"], p["companies"], p["universities"], strict=True)]
