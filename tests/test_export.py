"""``pipeline export``: xlsx, Parquet, JSON and CSV read back equal to the output folder's CSVs."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.cli import main
from pipeline.core.schema import BOOLEAN, DATE, INTEGER
from pipeline.outputs.export import ExportError, export, xlsx_bytes
from pipeline.tables import TABLES
from tests.conftest import ROOT

SEED_OUT = ROOT / "extracted" / "chiiki-cluster-h21"


def as_text(value: Any, type_: str) -> str:
    """A value read back from an export, spelled as the contract's CSV spells it."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or value is pd.NaT:
        return ""
    if type_ == BOOLEAN:
        assert isinstance(value, bool) or type(value).__name__ == "bool_", (value, type(value))
        return "true" if value else "false"
    if type_ == INTEGER:
        assert float(value) == int(value)
        return str(int(value))
    if type_ == DATE:
        assert isinstance(value, date | datetime | pd.Timestamp), (value, type(value))
        return (value.date() if isinstance(value, datetime) else value).isoformat()
    assert isinstance(value, str), (value, type(value))
    return value


def csv_text(doc_dir: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(doc_dir / f"{name}.csv", dtype=str, keep_default_na=False, encoding="utf-8")


def assert_same_as_csv(frames: dict[str, pd.DataFrame], doc_dir: Path) -> None:
    for name in TABLES:
        table = TABLES[name]
        expected = csv_text(doc_dir, name)
        got = frames[name]
        assert list(got.columns) == table.column_names, name
        assert len(got) == len(expected), name
        for col in table.columns:
            shown = [as_text(v, col.type) for v in got[col.name].astype(object).tolist()]
            assert shown == expected[col.name].tolist(), (name, col.name)


def test_xlsx_reads_back_equal_to_the_csvs(tmp_path: Path) -> None:
    (path,) = export([SEED_OUT], "xlsx", tmp_path)
    assert path == tmp_path / "pipeline.xlsx"
    # dtype=object: each cell as openpyxl typed it (a bool column with gaps would become floats)
    frames = pd.read_excel(path, sheet_name=None, dtype=object)
    assert list(frames) == list(TABLES)
    assert_same_as_csv(frames, SEED_OUT)
    # proper types, not text: counts are numbers, Japanese names intact
    projects = frames["projects"]
    assert all(isinstance(v, int) for v in projects["companies"].dropna())
    assert "名古屋大学" in set(frames["organizations"]["name"])


def test_parquet_reads_back_equal_to_the_csvs(tmp_path: Path) -> None:
    paths = export([SEED_OUT], "parquet", tmp_path)
    assert [p.name for p in paths] == [f"{n}.parquet" for n in TABLES]
    frames = {p.stem: pd.read_parquet(p) for p in paths}
    assert_same_as_csv(frames, SEED_OUT)
    import pyarrow.parquet as pq

    def arrow_type(table: str, column: str) -> str:
        return str(pq.read_schema(tmp_path / "pipeline-parquet" / f"{table}.parquet").field(column).type)

    assert arrow_type("budget", "amount_yen") == "int64"
    assert arrow_type("events", "start_date") == "date32[day]"
    assert arrow_type("mentions", "approx") == "bool"


def test_json_and_csv_with_bom(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", str(SEED_OUT), "--format", "json", "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out.split()
    assert printed == [str(tmp_path / "pipeline-json" / f"{n}.json") for n in TABLES]
    rows = json.loads((tmp_path / "pipeline-json" / "budget.json").read_text(encoding="utf-8"))
    expected = csv_text(SEED_OUT, "budget")
    assert len(rows) == len(expected)
    assert [r["amount_yen"] for r in rows] == [int(v) if v else None for v in expected["amount_yen"]]
    # Japanese written as itself, not as \\u escapes
    assert f'"item": "{expected["item"][0]}"' in (tmp_path / "pipeline-json" / "budget.json").read_text("utf-8")

    assert main(["export", str(SEED_OUT), "--format", "csv", "--bom", "--out", str(tmp_path)]) == 0
    for name in TABLES:
        data = (tmp_path / "pipeline-csv" / f"{name}.csv").read_bytes()
        # one document: the export is its CSV exactly, behind the byte order mark Excel needs
        assert data == b"\xef\xbb\xbf" + (SEED_OUT / f"{name}.csv").read_bytes(), name


def test_several_docs_are_one_table(tmp_path: Path) -> None:
    other = tmp_path / "runs" / "other"
    other.parent.mkdir()
    for f in SEED_OUT.iterdir():
        if f.suffix in (".csv", ".json", ".txt"):
            other.mkdir(exist_ok=True)
            text = f.read_text(encoding="utf-8").replace("chiiki-cluster-h21", "other")
            (other / f.name).write_text(text, encoding="utf-8")
    (path,) = export([SEED_OUT, other], "xlsx", tmp_path / "x")
    projects = pd.read_excel(path, sheet_name="projects")
    assert projects["doc"].value_counts().to_dict() == {"chiiki-cluster-h21": 19, "other": 19}


def test_text_is_never_a_formula() -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    row = {c: None for c in TABLES["warnings"].column_names} | {"doc": "d", "code": "=HYPERLINK(\"x\")",
                                                                  "message": "ok\x07"}
    book = load_workbook(BytesIO(xlsx_bytes({"warnings": [row]})))
    cell = book["warnings"]["C2"]
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("x")'
    assert book["warnings"]["D2"].value == "ok\ufffd"


def test_errors(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="--bom applies to --format csv only"):
        export([SEED_OUT], "xlsx", tmp_path, bom=True)
    (tmp_path / "file").write_text("x")
    with pytest.raises(ExportError, match="not a folder"):
        export([SEED_OUT], "json", tmp_path / "file")
