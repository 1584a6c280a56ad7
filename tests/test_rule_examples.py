"""Every example in every rule file of rules/ runs here: a rule cannot land without proof.

An example gives a text and what must (``mentions``, ``rows``) or must not (``no_mentions``, a table
given an empty list of rows, a table named in ``only_rows``: no row but those given) come out of the
whole pipeline for it. Fields are compared as the CSV
writes them (``true``, ``2009``, empty). A mention an example expects must come from the rule the
example sits under (its ``rule`` column), unless the spec names another rule (``rule: count.counter``
under a layout repair). Every rule id is bound to the code that applies it: a module's ``RULE_IDS`` or
a table's ``rule_ids``.
"""

from __future__ import annotations

import importlib
import pkgutil
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


def _ids_bound_to_code() -> dict[str, list[str]]:
    """Rule id -> the modules (or tables) that declare they fire or apply it."""
    bound: dict[str, list[str]] = {}
    for info in pkgutil.walk_packages(pipeline.__path__, "pipeline."):
        if info.name.endswith("__main__"):
            continue
        for rid in getattr(importlib.import_module(info.name), "RULE_IDS", ()):
            bound.setdefault(rid, []).append(info.name)
    for table in TABLES.values():
        for rid in table.rule_ids:
            bound.setdefault(rid, []).append(f"table {table.name}")
    return bound


def test_every_rule_is_bound_to_the_code_that_fires_it() -> None:
    rules = load_rules(RULES)
    bound = _ids_bound_to_code()
    assert sorted(set(rules.ids) - set(bound)) == [], "rules no code declares (RULE_IDS or Table.rule_ids)"
    assert sorted(set(bound) - set(rules.ids)) == [], "ids code declares that no rule file has"
    assert {rid: where for rid, where in bound.items() if len(where) > 1} == {}, "one rule, one place in code"


def test_a_mention_whose_rule_is_not_in_the_rules_is_refused(tmp_path: Any) -> None:
    """The ids come from the YAML: code firing an id no rule file declares fails instead of writing it."""
    import shutil

    from pipeline.core.rules import RulesError

    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "places.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("  - id: place.city", "  - id: place.town"), encoding="utf-8")
    assert len(pipeline.extract("静岡大学の会議", rules_dir=folder).tables["mentions"]) == 1  # no city here
    with pytest.raises(RulesError, match=r"'place.city' fired by the code is not the id of any rule"):
        pipeline.extract("横浜で開催", rules_dir=folder)


@pytest.mark.parametrize(("rule_id", "example"), _examples())
def test_rule_example(rule_id: str, example: dict[str, Any]) -> None:
    result = pipeline.extract(example["text"], rules_dir=RULES)
    mentions = [_as_csv("mentions", r) for r in result.tables["mentions"].to_dict("records")]
    for spec in example.get("mentions") or []:
        # A mention an example expects is its rule's own, unless the spec names another rule.
        spec = {"rule": rule_id, **spec}
        assert any(_matches(m, spec) for m in mentions), (
            f"{rule_id}: no mention {spec} in {[(m['kind'], m['text'], m['value'], m['rule']) for m in mentions]}"
        )
    for spec in example.get("no_mentions") or []:
        hits = [m for m in mentions if _matches(m, spec)]
        assert not hits, f"{rule_id}: unexpected {[(m['kind'], m['text'], m['value']) for m in hits]}"
    for table, specs in (example.get("rows") or {}).items():
        rows = [_as_csv(table, r) for r in result.tables[table].to_dict("records")]
        if not specs:  # `events: []`: the text gives no row of that table
            assert rows == [], f"{rule_id}: expected no {table} rows, got {rows}"
        for spec in specs:
            assert any(_matches(r, spec) for r in rows), f"{rule_id}: no {table} row {spec} in {rows}"
        if table in (example.get("only_rows") or []):  # the rows given are all the table holds
            assert len(rows) == len(specs), f"{rule_id}: {len(specs)} {table} row(s) expected, got {rows}"
