"""The golden tables of every document in tests/golden/ match a fresh run, row by row.

The golden files were checked by hand against the source (and against ../shared/gold); a difference
here means a rule or code change moved a value: review it, then `pipeline check --update DOC`.
"""

from __future__ import annotations

from pipeline import __version__
from pipeline.audit.check import check_docs
from pipeline.core.rules import rules_hash
from pipeline.outputs.write import read_provenance

from .conftest import GOLDEN, ROOT, RULES


def test_golden_documents_match() -> None:
    differences = check_docs([], GOLDEN, ROOT / "raw", RULES)
    assert differences == []


def test_extracted_is_current() -> None:
    """extracted/ (committed) is what `make run` writes with today's rules: the golden run's files."""
    for golden_doc in GOLDEN.iterdir():
        if not golden_doc.is_dir():
            continue
        prov = read_provenance(golden_doc)
        assert prov["rules_hash"] == rules_hash(RULES), "rules/ changed since the golden run: `make run`, check"
        assert prov["version"] == __version__
        out = ROOT / "extracted" / golden_doc.name
        for f in golden_doc.iterdir():
            assert (out / f.name).read_bytes() == f.read_bytes(), f"extracted/{golden_doc.name}/{f.name} is stale"
