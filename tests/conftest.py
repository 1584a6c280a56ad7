"""Shared fixtures: the project's paths and the seed brochure."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"
RULES = ROOT / "rules"
GOLDEN = ROOT / "tests" / "golden"


@pytest.fixture(scope="session")
def seed_result():
    """The seed brochure extracted once per test session."""
    import pipeline

    return pipeline.extract(SEED, rules_dir=RULES)
