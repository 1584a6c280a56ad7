"""The table registry: a table declared once, outside the package, reaches every output.

``tests/extra_table.py`` declares a small table; registering it must be enough for it to appear in
the CSVs, ``datapackage.json``, the SQLite database, ``diff``, ``check``'s table list and the report.
"""

from __future__ import annotations

import csv
import json
import shutil
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipeline.audit import diff as differ
from pipeline.audit.check import check_tables
from pipeline.audit.report import render_report
from pipeline.batch.runner import run_inputs
from pipeline.core.rules import RulesError, load_rules
from pipeline.outputs.load import load_dirs
from pipeline.tables import TABLES, content_tables, register, unregister

from . import extra_table
from .conftest import RULES

BUILT_IN = ("mentions", "projects", "budget", "hubs", "events", "organizations", "warnings")


@pytest.fixture
def extra_rules(tmp_path: Path) -> Iterator[Path]:
    """The project's rules plus the extra table's file, with the extra table registered."""
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "fiscal_years.yaml").write_text("min_mentions: 1\nrules: []\n", encoding="utf-8")
    register(extra_table.TABLE)
    try:
        yield rules
    finally:
        unregister(extra_table.TABLE.name)


def test_built_in_order_is_the_output_order() -> None:
    assert tuple(TABLES) == BUILT_IN
    assert content_tables() == ("projects", "budget", "hubs", "events", "organizations", "mentions")
    assert check_tables() == (*content_tables(), "warnings")


def test_registering_twice_or_a_bad_key_is_refused() -> None:
    with pytest.raises(ValueError, match="already registered"):
        register(TABLES["projects"])
    bad = extra_table.Table("x", "x", extra_table.TABLE.columns, ("no_such_column",))
    with pytest.raises(ValueError, match="no_such_column"):
        register(bad)


def test_a_registered_table_requires_its_rules_file(extra_rules: Path) -> None:
    (extra_rules / "fiscal_years.yaml").unlink()
    with pytest.raises(RulesError, match=r"missing rule file\(s\): fiscal_years\.yaml"):
        load_rules(extra_rules)
    (extra_rules / "fiscal_years.yaml").write_text("min_mentions: many\n", encoding="utf-8")
    with pytest.raises(RulesError, match=r"fiscal_years\.yaml:1: 'min_mentions' must be an integer"):
        load_rules(extra_rules)


def _csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_extra_table_reaches_csv_datapackage_database_diff_and_report(extra_rules: Path, tmp_path: Path) -> None:
    old_in, new_in = tmp_path / "old" / "fy.txt", tmp_path / "new" / "fy.txt"
    old_in.parent.mkdir()
    new_in.parent.mkdir()
    old_in.write_text("平成20年度の成果を報告する。\n平成21年度も続ける。\n令和2年度に終える。\n", encoding="utf-8")
    new_in.write_text("平成21年度の成果を報告する。\n平成22年度も続ける。\n平成21年度に見直す。\n", encoding="utf-8")
    for given, out in ((old_in, tmp_path / "out-old"), (new_in, tmp_path / "out-new")):
        outcomes = run_inputs([str(given)], str(out), str(extra_rules), quiet=True)
        assert [o.status for o in outcomes] == ["written"], outcomes
    old_dir, new_dir = tmp_path / "out-old" / "fy", tmp_path / "out-new" / "fy"

    # CSV, after the built-in tables
    assert _csv(new_dir / "fiscal_years.csv") == [
        {"doc": "fy", "fiscal_year": "2009", "mentions": "2", "first_line": "1"},
        {"doc": "fy", "fiscal_year": "2010", "mentions": "1", "first_line": "2"},
    ]
    assert [r["fiscal_year"] for r in _csv(old_dir / "fiscal_years.csv")] == ["2008", "2009", "2020"]

    # datapackage.json: a resource with the declared schema
    package = json.loads((new_dir / "datapackage.json").read_text(encoding="utf-8"))
    names = [r["name"] for r in package["resources"]]
    assert names == ["source", *BUILT_IN, "fiscal_years"]  # source.txt first, then the tables
    resource = package["resources"][-1]
    assert resource["schema"]["primaryKey"] == ["doc", "fiscal_year"]
    assert [(f["name"], f["type"]) for f in resource["schema"]["fields"]] == [
        ("doc", "string"), ("fiscal_year", "integer"), ("mentions", "integer"), ("first_line", "integer")
    ]

    # the SQLite database: a table with typed rows
    db = tmp_path / "fy.sqlite"
    loaded = load_dirs([new_dir], f"sqlite:///{db}")
    assert loaded["docs"]["fy"]["rows"]["fiscal_years"] == 2
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT fiscal_year, mentions FROM fiscal_years ORDER BY fiscal_year").fetchall() == [
            (2009, 2), (2010, 1)
        ]

    # diff: years added and removed, and the mentions count of 2009 changed
    found = differ.diff_dirs(old_dir, new_dir)["fiscal_years"]
    assert sorted(r["fiscal_year"] for r in found["added"]) == [2010]
    assert sorted(r["fiscal_year"] for r in found["removed"]) == [2008, 2020]
    assert [(c["key"], c["columns"]) for c in found["changed"]] == [({"fiscal_year": 2009}, ["mentions"])]
    assert "fiscal_years" in check_tables()

    # the report: a section and a nav link for the table, with its rows
    page = render_report(new_dir, against=old_dir)
    assert 'id="t-fiscal_years"' in page
    assert 'href="#t-fiscal_years"' in page
    assert "2010" in page.split('id="t-fiscal_years"', 1)[1]


def test_unregistered_table_leaves_outputs_as_before(tmp_path: Path) -> None:
    assert "fiscal_years" not in TABLES
    given = tmp_path / "in" / "fy.txt"
    given.parent.mkdir()
    given.write_text("平成21年度の成果。\n", encoding="utf-8")
    run_inputs([str(given)], str(tmp_path / "out"), str(RULES), quiet=True)
    assert sorted(p.name for p in (tmp_path / "out" / "fy").iterdir()) == sorted(
        ["source.txt", "datapackage.json", *(f"{n}.csv" for n in BUILT_IN)]
    )
