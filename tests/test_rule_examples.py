"""Every example in every rule file of rules/ runs here: a rule cannot land without proof.

An example gives a text and what must (``mentions``, ``rows``) or must not (``no_mentions``) come out
of the whole pipeline for it. Fields are compared as the CSV writes them (``true``, ``2009``, empty).
"""

from __future__ import annotations

from typing import Any

import pytest

import pipeline
from pipeline.core.rules import load_rules
from pipeline.outputs.write import format_cell
from pipeline.tables import TABLES

from .conftest import RULES


def _examples() -> list[Any]:
    rules = load_rules(RULES)
    cases = []
    for stem, data in sorted(rules.files.items()):
        for rule in data.get("rules", []):
            for i, ex in enumerate(rule.get("examples") or []):
                cases.append(pytest.param(rule["id"], ex, id=f"{stem}:{rule['id']}:{i}"))
    return cases


def _as_csv(table: str, row: dict[str, Any]) -> dict[str, str]:
    types = {c.name: c.type for c in TABLES[table].columns}
    return {k: format_cell(v, types.get(k, "string")) for k, v in row.items()}


def _matches(row: dict[str, str], spec: dict[str, Any]) -> bool:
    for key, want in spec.items():
        want_s = ("true" if want else "false") if isinstance(want, bool) else ("" if want is None else str(want))
        if row.get(key, "") != want_s:
            return False
    return True


def test_every_rule_has_examples() -> None:
    rules = load_rules(RULES)
    bare = [r["id"] for d in rules.files.values() for r in d.get("rules", []) if not r.get("examples")]
    assert bare == []


@pytest.mark.parametrize(("rule_id", "example"), _examples())
def test_rule_example(rule_id: str, example: dict[str, Any]) -> None:
    result = pipeline.extract(example["text"], rules_dir=RULES)
    mentions = [_as_csv("mentions", r) for r in result.tables["mentions"].to_dict("records")]
    for spec in example.get("mentions") or []:
        assert any(_matches(m, spec) for m in mentions), (
            f"{rule_id}: no mention {spec} in {[(m['kind'], m['text'], m['value']) for m in mentions]}"
        )
    for spec in example.get("no_mentions") or []:
        hits = [m for m in mentions if _matches(m, spec)]
        assert not hits, f"{rule_id}: unexpected {[(m['kind'], m['text'], m['value']) for m in hits]}"
    for table, specs in (example.get("rows") or {}).items():
        rows = [_as_csv(table, r) for r in result.tables[table].to_dict("records")]
        for spec in specs:
            assert any(_matches(r, spec) for r in rows), f"{rule_id}: no {table} row {spec} in {rows}"
