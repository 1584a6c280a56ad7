"""pipeline check: rerun inputs and compare with golden folders (a fake extract until the engine lands)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import pipeline
from pipeline.audit.check import Difference, check_docs
from pipeline.cli import main
from pipeline.core.result import Result
from pipeline.outputs.write import read_table, write_result
from pipeline.readers import read_source
from pipeline.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]

SOURCE = """◆北海道バイオ産業成長戦略
　バイオ分野　約160社　26大学
◆四国テクノブリッジ計画
　ものづくり、健康・バイオ分野　約500社　10大学
"""


def tables_for(
    source: str,
    doc: str,
    *,
    companies: int = 160,
    rule: str = "count",
    line: int = 1,
    shikoku: bool = True,
    warn: bool = False,
) -> dict[str, pd.DataFrame]:
    """What a fake engine extracts from SOURCE; keyword arguments make it misbehave in known ways."""
    start = source.index("約160社")
    rows: dict[str, list[dict[str, Any]]] = {
        "projects": [
            {
                "region": "北海道",
                "name": "北海道バイオ産業成長戦略",
                "fields": "バイオ",
                "companies": companies,
                "companies_approx": True,
                "universities": 26,
                "universities_approx": False,
                "line": line,
            },
        ],
        "mentions": [
            {
                "kind": "count",
                "text": "約160社",
                "value": "160",
                "unit": "社",
                "approx": True,
                "page": 1,
                "line": 2,
                "start": start,
                "end": start + 5,
                "rule": rule,
            },
        ],
        "warnings": [{"line": 4, "code": "unclaimed-number", "message": "10 is claimed by no rule"}]
        if warn
        else [],
    }
    if shikoku:
        rows["projects"].append(
            {
                "region": "四国",
                "name": "四国テクノブリッジ計画",
                "fields": "ものづくり;健康;バイオ",
                "companies": 500,
                "companies_approx": True,
                "universities": 10,
                "universities_approx": False,
                "line": 3,
            }
        )
    return {
        name: pd.DataFrame([{"doc": doc, **r} for r in rows.get(name, [])], columns=TABLES[name].column_names)
        for name in TABLES
    }


class FakeEngine:
    """Stands in for pipeline.extract: reads the input like ingest does, returns fixed tables."""

    def __init__(self, **options: Any) -> None:
        self.options = options
        self.calls: list[tuple[str, Any]] = []

    def __call__(self, path_or_text: str | Path, rules_dir: Any = None, doc: str | None = None) -> Result:
        self.calls.append((str(path_or_text), rules_dir))
        source = read_source(path_or_text, doc)
        return Result(input=source, tables=tables_for(source.text, source.doc, **self.options))


@pytest.fixture
def project(tmp_path: Path) -> dict[str, Path]:
    """raw/ with two inputs, rules/, and golden/ holding the current output of both."""
    raw, golden, rules = tmp_path / "raw", tmp_path / "golden", tmp_path / "rules"
    raw.mkdir()
    rules.mkdir()
    (raw / "chiiki-cluster-h21.txt").write_text(SOURCE, encoding="utf-8")
    (raw / "chiiki-cluster-h22.txt").write_text(SOURCE, encoding="cp932")
    for doc in ("chiiki-cluster-h21", "chiiki-cluster-h22"):
        write_result(FakeEngine()(raw / f"{doc}.txt"), golden)
    return {"raw": raw, "golden": golden, "rules": rules}


def use_engine(monkeypatch: pytest.MonkeyPatch, **options: Any) -> FakeEngine:
    engine = FakeEngine(**options)
    monkeypatch.setattr(pipeline, "extract", engine)
    return engine


def run_check(project: dict[str, Path], *args: str) -> int:
    return main(
        [
            "check",
            *args,
            "--golden",
            str(project["golden"]),
            "--raw",
            str(project["raw"]),
            "--rules",
            str(project["rules"]),
        ]
    )


def test_same_output_is_no_difference(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = use_engine(monkeypatch)
    assert check_docs([], project["golden"], project["raw"], project["rules"]) == []
    assert [Path(p).name for p, _ in engine.calls] == ["chiiki-cluster-h21.txt", "chiiki-cluster-h22.txt"]
    assert {rules for _, rules in engine.calls} == {project["rules"]}
    assert run_check(project) == 0
    assert capsys.readouterr().out == f"check: 2 documents match {project['golden']}/\n"


def test_provenance_only_changes_are_no_difference(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_engine(monkeypatch, rule="count-v2", line=7)
    assert check_docs([], project["golden"], project["raw"], project["rules"]) == []


def test_changed_and_removed_rows_are_reported(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_engine(monkeypatch, companies=175, shikoku=False, warn=True)
    differences = check_docs(["chiiki-cluster-h21"], project["golden"], project["raw"], project["rules"])
    assert [(d.doc, d.table, d.change) for d in differences] == [
        ("chiiki-cluster-h21", "projects", "removed"),
        ("chiiki-cluster-h21", "projects", "changed"),
        ("chiiki-cluster-h21", "warnings", "added"),
    ]
    assert differences[1].entry["columns"] == ["companies"]

    assert run_check(project, "chiiki-cluster-h21") == 1
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "chiiki-cluster-h21: projects: - 四国テクノブリッジ計画 (line 3): region 四国, "
        "fields ものづくり;健康;バイオ, companies 500, companies_approx true, universities 10, "
        "universities_approx false",
        "chiiki-cluster-h21: projects: ~ 北海道バイオ産業成長戦略 (line 1): companies 160 -> 175",
        "chiiki-cluster-h21: warnings: + unclaimed-number: 10 is claimed by no rule (line 4)",
        f"check: 1 of 1 document differs from {project['golden']}/: chiiki-cluster-h21 "
        "(accept with `pipeline check --update DOC`)",
    ]


def test_notation_changes_count_in_check(project: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """A golden file is exact: output that stops being NFKC-normalised is a regression."""
    use_engine(monkeypatch)
    golden_mentions = project["golden"] / "chiiki-cluster-h21" / "mentions.csv"
    golden_mentions.write_text(
        golden_mentions.read_text(encoding="utf-8").replace(",160,", ",１６０,"), encoding="utf-8"
    )
    [difference] = check_docs(["chiiki-cluster-h21"], project["golden"], project["raw"], project["rules"])
    assert difference.entry["key"] == {"kind": "count", "start": 21, "end": 26}
    assert difference.entry["columns"] == ["value"]
    assert (
        str(difference)
        == "chiiki-cluster-h21: mentions: ~ count 「約160社」 = 160 (line 2): value １６０ -> 160"
    )


def test_moved_mention_is_removed_and_added(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    use_engine(monkeypatch)
    (project["raw"] / "chiiki-cluster-h21.txt").write_text("\n" + SOURCE, encoding="utf-8")
    differences = check_docs(["chiiki-cluster-h21"], project["golden"], project["raw"], project["rules"])
    assert [(d.table, d.change) for d in differences] == [
        ("source.txt", "changed"),
        ("mentions", "added"),
        ("mentions", "removed"),
    ]
    assert "source.txt differs from golden at line 1: '◆北海道バイオ産業成長戦略' -> ''" in str(
        differences[0]
    )
    assert (differences[1].entry["start"], differences[2].entry["start"]) == (22, 21)


def test_update_writes_only_the_named_docs(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_engine(monkeypatch, companies=175)
    h22_before = (project["golden"] / "chiiki-cluster-h22" / "projects.csv").read_text(encoding="utf-8")
    assert run_check(project, "chiiki-cluster-h21", "--update") == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == f"wrote {project['golden'] / 'chiiki-cluster-h21'}/ (1 difference accepted)"
    assert read_table(project["golden"] / "chiiki-cluster-h21", "projects")["companies"].tolist() == [
        175,
        500,
    ]
    assert (project["golden"] / "chiiki-cluster-h22" / "projects.csv").read_text(
        encoding="utf-8"
    ) == h22_before
    # h21 now matches, h22 still has the old count.
    assert run_check(project) == 1
    assert (
        capsys.readouterr()
        .out.splitlines()[-1]
        .startswith(f"check: 1 of 2 documents differs from {project['golden']}/: chiiki-cluster-h22")
    )


def test_update_needs_named_docs(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_engine(monkeypatch)
    with pytest.raises(ValueError, match="name the documents"):
        check_docs([], project["golden"], project["raw"], project["rules"], update=True)
    assert run_check(project, "--update") == 1
    assert "name the documents to accept as golden" in capsys.readouterr().err


def test_new_doc_without_golden_then_update(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    use_engine(monkeypatch)
    new_input = project["raw"] / "chiiki-cluster-h23.txt"
    new_input.write_text(SOURCE, encoding="utf-8")
    [missing] = check_docs(["chiiki-cluster-h23"], project["golden"], project["raw"], project["rules"])
    assert (missing.table, missing.change) == ("golden", "missing")
    assert "pipeline check --update chiiki-cluster-h23" in str(missing)
    # An input path works as well as a doc id.
    assert run_check(project, str(new_input), "--update") == 0
    assert capsys.readouterr().out == f"wrote {project['golden'] / 'chiiki-cluster-h23'}/ (new)\n"
    assert check_docs([], project["golden"], project["raw"], project["rules"]) == []


def test_missing_input_is_a_one_line_error(
    project: dict[str, Path], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = use_engine(monkeypatch)
    assert run_check(project, "chiiki-cluster-h21", "no-such-doc") == 1
    err = capsys.readouterr().err
    assert err.startswith("pipeline check: error: no-such-doc: no input file")
    assert engine.calls == []  # every input is looked up before any is extracted


def test_difference_str_for_a_row() -> None:
    row = {"name": "北海道バイオ産業成長戦略", "region": "北海道", "line": 5}
    assert (
        str(Difference("d", "projects", "removed", row))
        == "d: projects: - 北海道バイオ産業成長戦略 (line 5): region 北海道"
    )


@pytest.mark.skipif(importlib.util.find_spec("pipeline.engine") is None, reason="engine not present")
def test_real_engine_matches_golden() -> None:
    golden = ROOT / "tests" / "golden"
    if not golden.is_dir() or not any(p.is_dir() for p in golden.iterdir()):
        pytest.skip("tests/golden holds no documents yet (pipeline check --update DOC makes them)")
    differences = check_docs([], golden, ROOT / "raw", ROOT / "rules")
    assert differences == [], "\n".join(str(d) for d in differences)
