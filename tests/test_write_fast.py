"""The writer's fast paths give the same text as the plain versions they replace.

``rows_csv`` writes a ``str``, ``None`` or ``int`` cell without calling ``format_cell`` where the
column's type leaves it unchanged; ``datapackage_json`` indents the descriptor member by member and
remembers the long ones. Both are compared here with the plain code on every kind of value.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from pipeline.outputs.write import datapackage_json, document_files, format_cell, rows_csv
from pipeline.tables import TABLES
from tests.conftest import RULES, SEED


def plain_rows_csv(name: str, rows: list[list[object]]) -> str:
    """The writer before its fast path: ``format_cell`` on every cell."""
    table = TABLES[name]
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(table.column_names)
    types = [c.type for c in table.columns]
    for row in rows:
        w.writerow([format_cell(v, t) for v, t in zip(row, types, strict=True)])
    return buf.getvalue()


# Values of every kind a row may hold: plain, numpy, pandas missing values, bools, lists, odd text.
VALUES = ["", "名古屋大学", "a,b", 'say "x"', "line\nbreak", " 1", "true", None, 0, 1, -7, 12_000_000_000,
          True, False, 3.0, 2.5, float("nan"), np.int64(5), np.float64(1.5), np.bool_(True), pd.NA,
          ["a", "b"], ("x",), Decimal("1.50")]


@pytest.mark.parametrize("name", list(TABLES))
def test_rows_csv_equals_format_cell_on_every_value_and_column(name: str) -> None:
    width = len(TABLES[name].columns)
    # Every value in every column: shift the value list by one per row.
    rows = [[VALUES[(i + j) % len(VALUES)] for j in range(width)] for i in range(len(VALUES))]
    written = 0
    for row in rows:  # one row at a time: text in an integer column fails both ways alike
        assert outcome(rows_csv, name, [row]) == outcome(plain_rows_csv, name, [row])
        written += not isinstance(outcome(rows_csv, name, [row]), tuple)
    assert written >= 3


def outcome(write, name: str, rows: list[list[object]]) -> object:  # type: ignore[no-untyped-def]
    try:
        return write(name, rows)
    except (TypeError, ValueError) as e:
        return (type(e), str(e))


def test_rows_csv_refuses_a_row_of_the_wrong_width() -> None:
    with pytest.raises(ValueError, match="events: a row of 2 values"):
        rows_csv("events", [["doc", "name"]])


def test_document_files_write_a_missing_column_as_empty() -> None:
    """A row dict lacking a column (a Result built by hand) writes that cell empty, as before."""
    import pipeline

    result = pipeline.extract(SEED, rules_dir=RULES)  # its own: the rows are changed below
    first = result.rows["events"][0]
    del first["venue"]
    text = document_files(result)["events.csv"]
    header, line = text.split("\n")[:2]
    values = next(csv.reader([line]))
    assert values[header.split(",").index("venue")] == ""
    assert values[header.split(",").index("name")] == first["name"]


PACKAGES = [
    {},
    {"a": [], "b": {}, "c": None, "d": "é\n\"", "e": 1.5, "f": True},
    {"resources": [{"name": f"t{i}", "fields": [{"name": "x", "constraints": {"enum": ["a", "b"]}}]}
                   for i in range(40)], "pipeline": {"version": "1", "pages": 3}},
]


@pytest.mark.parametrize("package", PACKAGES)
def test_datapackage_json_equals_json_dumps(package: dict) -> None:  # type: ignore[type-arg]
    expected = json.dumps(package, ensure_ascii=False, indent=2) + "\n"
    assert datapackage_json(package) == expected
    assert datapackage_json(package) == expected  # the second time from the remembered text


def test_seed_datapackage_json_equals_json_dumps(seed_result) -> None:  # type: ignore[no-untyped-def]
    from pipeline.outputs.write import datapackage

    package = datapackage(seed_result)
    assert datapackage_json(package) == json.dumps(package, ensure_ascii=False, indent=2) + "\n"
