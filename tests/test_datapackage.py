"""datapackage.json: a Frictionless package whose keys, foreign keys and enums really hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from frictionless import validate

from pipeline.tables import TABLES
from tests.conftest import ROOT

SEED_OUT = ROOT / "extracted" / "chiiki-cluster-h21"


def errors(folder: Path) -> list[tuple[str, str]]:
    report = validate(str(folder / "datapackage.json"))
    return [(task.name, e.type) for task in report.tasks for e in task.errors] + [
        ("package", e.type) for e in report.errors
    ]


def test_seed_package_is_valid_with_foreign_keys_and_enums() -> None:
    package = json.loads((SEED_OUT / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["name"]: r for r in package["resources"]}
    assert resources["source"]["path"] == "source.txt"
    assert package["sources"] == [{"title": "chiiki-cluster-h21.txt"}]
    budget = resources["budget"]["schema"]
    assert budget["foreignKeys"] == [{"fields": ["parent"], "reference": {"resource": "", "fields": ["item"]}}]
    fields = {(name, f["name"]): f for name, r in resources.items() if "schema" in r for f in r["schema"]["fields"]}
    enums = {(t.name, c.name): c.enum for t in TABLES.values() for c in t.columns if c.enum}
    assert set(enums) >= {("mentions", "kind"), ("budget", "sum_check"), ("organizations", "type")}
    for key, values in enums.items():
        assert fields[key]["constraints"]["enum"] == list(values)
    assert errors(SEED_OUT) == []


@pytest.mark.parametrize(
    ("table", "old", "new", "expected"),
    [
        ("budget", ",知的クラスター創成事業,7500000000,", ",存在しない事業,7500000000,", ("budget", "foreign-key")),
        ("mentions", ",amount,", ",money,", ("mentions", "constraint-error")),
        ("budget", ",mismatch,", ",wrong,", ("budget", "constraint-error")),
    ],
)
def test_broken_folders_are_invalid(tmp_path: Path, table: str, old: str, new: str,
                                    expected: tuple[str, str]) -> None:
    folder = tmp_path / SEED_OUT.name
    shutil.copytree(SEED_OUT, folder, ignore=shutil.ignore_patterns("report.html"))
    path = folder / f"{table}.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    assert expected in errors(folder)
