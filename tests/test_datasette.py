"""The loaded database served by Datasette with the metadata generated from the schema."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.outputs.datasette import METADATA_NAME, metadata
from pipeline.tables import TABLES
from tests.conftest import ROOT

SEED_OUT = ROOT / "extracted" / "chiiki-cluster-h21"


def test_metadata_covers_every_table_and_column() -> None:
    from pipeline.outputs.load import build_metadata

    tables = metadata("pipeline", build_metadata())["databases"]["pipeline"]["tables"]
    for name, table in TABLES.items():
        assert tables[name]["description"] == table.description
        assert tables[name]["columns"] == {c.name: c.description for c in table.columns} | (
            {"seq": tables["warnings"]["columns"]["seq"]} if name == "warnings" else {}
        )
    assert "kind" in tables["mentions"]["facets"] and "region" in tables["projects"]["facets"]
    assert tables["hub_universities"]["facets"] == ["doc", "university"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_datasette_shows_the_descriptions(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not os.environ.get("CI"):  # on CI the dev extra has it: a missing datasette fails there
        pytest.importorskip("datasette", reason="datasette is an optional extra: pip install '.[datasette]'")
    out = tmp_path / "out"
    shutil.copytree(SEED_OUT, out / SEED_OUT.name, ignore=shutil.ignore_patterns("report.html"))
    assert main(["load", str(out)]) == 0
    assert f"Datasette metadata in {out / METADATA_NAME}" in capsys.readouterr().err
    assert json.loads((out / METADATA_NAME).read_text(encoding="utf-8"))["databases"]["pipeline"]

    port = _free_port()
    datasette = Path(sys.executable).with_name("datasette")
    proc = subprocess.Popen(
        [str(datasette), str(out / "pipeline.sqlite"), "-m", str(out / METADATA_NAME), "-h", "127.0.0.1",
         "-p", str(port)],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        page = ""
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/pipeline/hub_universities", timeout=5) as r:
                    page = r.read().decode("utf-8")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail(f"datasette exited: {proc.stdout.read().decode() if proc.stdout else ''}")
                time.sleep(0.3)
        assert page, "datasette did not answer within 60 s"
        assert "One row per university proposing a hub" in page  # the table's description
        assert "1-based position of the item in hubs.universities" in page  # a column's description
        assert "名古屋大学" in page  # the data, Japanese intact
        assert "facet-info" in page  # facets offered
    finally:
        proc.terminate()
        proc.wait(timeout=20)
