"""Issue 14: what ``run`` writes, ``load`` loads; and one bad folder no longer blocks a load.

A brochure pasted twice into one file lists every project and budget line twice: ``run`` used to write
the duplicates and exit 0, and ``load`` then refused the folder (and, checking every folder first,
the whole batch). Now ``run`` drops duplicates with a ``row_dropped`` warning (and reports rows with an
empty key column as ``row_unloadable``), and ``load`` loads the valid folders and reports the others
with exit status 1.
"""

from __future__ import annotations

import csv
import sqlite3
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.tables.validate import drop_unloadable, row_problems

from .conftest import RULES, SEED


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_doubled_brochure_is_written_loadable_with_warnings(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    seed = SEED.read_text(encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "twice.txt").write_text(seed + "\n" + seed, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    projects = _rows(out / "twice" / "projects.csv")
    names = [r["name"] for r in projects]
    assert len(names) == len(set(names)) > 10
    budget = _rows(out / "twice" / "budget.csv")
    assert len({(r["ministry"], r["item"]) for r in budget}) == len(budget)
    dropped = [w for w in _rows(out / "twice" / "warnings.csv") if w["code"] == "row_dropped"]
    assert any("projects row dropped" in w["message"] and "duplicate key" in w["message"] for w in dropped)
    assert any("budget row dropped" in w["message"] for w in dropped)
    capsys.readouterr()
    db = tmp_path / "db.sqlite"
    assert main(["load", str(out / "twice"), "--db", f"sqlite:///{db}"]) == 0
    with sqlite3.connect(db) as con:
        assert con.execute("select count(*) from projects").fetchone()[0] == len(projects)


def test_a_budget_line_without_a_ministry_is_kept_and_reported() -> None:
    """The budget tree leaves a line no rule and no sum places under no ministry: the row stays (the
    table means it), and run says in warnings.csv that load will refuse it."""
    rows = {
        "budget": [{"doc": "d", "ministry": "文部科学省", "item": "甲事業", "line": 3},
                   {"doc": "d", "ministry": None, "item": "乙事業", "line": 5}],
        "warnings": [{"doc": "d", "line": 1, "code": "number_unclaimed", "message": "x"}],
    }
    drop_unloadable(rows)
    assert [r["item"] for r in rows["budget"]] == ["甲事業", "乙事業"]
    assert [(w["line"], w["code"]) for w in rows["warnings"]] == [(1, "number_unclaimed"), (5, "row_unloadable")]
    assert "ministry is empty" in rows["warnings"][1]["message"]
    rows["budget"].append({"doc": "d", "ministry": "文部科学省", "item": "甲事業", "line": 9})
    drop_unloadable(rows)
    assert [r["item"] for r in rows["budget"]] == ["甲事業", "乙事業"]  # the duplicate is dropped
    assert rows["warnings"][-1]["code"] == "row_dropped"
    assert [p.problem for p in row_problems("budget", rows["budget"])] == ["ministry is empty"]


def test_load_loads_the_valid_folders_and_reports_the_others(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    seed = SEED.read_text(encoding="utf-8")
    (raw / "good.txt").write_text(seed, encoding="utf-8")
    (raw / "bad.txt").write_text(seed.replace("134", "135"), encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    path = out / "bad" / "projects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text("".join([*lines, lines[1]]), encoding="utf-8")  # a project listed twice, by hand
    capsys.readouterr()
    db = tmp_path / "db.sqlite"
    assert main(["load", str(out), "--db", f"sqlite:///{db}"]) == 1
    err = capsys.readouterr().err
    assert f"{out / 'bad'}: projects.csv: duplicate key" in err
    assert "good:" in err and "1 folder(s) not loaded" in err
    with sqlite3.connect(db) as con:
        assert [r[0] for r in con.execute("select distinct doc from projects")] == ["good"]
