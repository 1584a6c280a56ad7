"""Batch runs (`pipeline run DIR`): parallel and Dask runs equal the serial one byte for byte,
unchanged documents are skipped, one bad input fails alone, and the exit codes follow the contract.

The corpus is made here from the seed: the seed itself, two copies with edited figures, and the
generated next edition (CP932, CRLF line ends).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from pipeline.batch.runner import Outcome, is_current, process_one, run_inputs
from pipeline.cli import main

from .conftest import RULES, SEED
from .editions import make_next_edition

DOCS = ("alpha", "beta", "gamma", "next-edition")


def _vary_figures(text: str, step: int) -> str:
    """The seed with every company count and university count moved by ``step``."""
    text = re.sub(r"約([0-9,]+)社", lambda m: f"約{int(m.group(1).replace(',', '')) + 10 * step:,}社", text)
    return re.sub(r"(\d+)大学", lambda m: f"{int(m.group(1)) + step}大学", text)


def make_corpus(folder: Path) -> Path:
    """Four documents of about 5,000 characters each in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    seed = SEED.read_text(encoding="utf-8")
    (folder / "alpha.txt").write_text(seed, encoding="utf-8")
    (folder / "beta.txt").write_text(_vary_figures(seed, 1), encoding="utf-8")
    (folder / "gamma.txt").write_text(_vary_figures(seed, 3), encoding="utf-8")
    (folder / "next-edition.txt").write_bytes(make_next_edition().to_bytes())
    return folder


def snapshot(out: Path) -> dict[str, bytes]:
    """Every output file under ``out`` (lock files aside), by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and not p.name.endswith(".lock")}


def stamps(out: Path) -> dict[str, tuple[int, int]]:
    """(inode, mtime in ns) of every file and folder under ``out``: any rewrite changes one."""
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in out.rglob("*")}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("batch") / "raw")


@pytest.fixture(scope="module")
def serial(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The corpus run with --jobs 1: what every other run is compared with."""
    out = tmp_path_factory.mktemp("serial")
    outcomes = run_inputs([str(corpus)], str(out), str(RULES), jobs=1, quiet=True)
    assert [(o.doc, o.status) for o in outcomes] == [(d, "written") for d in DOCS]
    return out


@pytest.fixture
def rerun_copy(serial: Path, tmp_path: Path) -> Path:
    """A copy of the serial output to rerun over (provenance intact)."""
    out = tmp_path / "out"
    shutil.copytree(serial, out)
    return out


def test_serial_run_writes_every_document(serial: Path) -> None:
    assert sorted(p.name for p in serial.iterdir() if p.is_dir()) == sorted(DOCS)
    for doc in DOCS:
        assert (serial / doc / "datapackage.json").is_file()
    # The edited figures reached the tables: the copies are different documents.
    assert (serial / "alpha" / "projects.csv").read_bytes() != (serial / "beta" / "projects.csv").read_bytes()


def test_parallel_run_is_byte_identical(corpus: Path, serial: Path, tmp_path: Path) -> None:
    out = tmp_path / "parallel"
    outcomes = run_inputs([str(corpus)], str(out), str(RULES), jobs=2, quiet=True)
    assert [o.status for o in outcomes] == ["written"] * len(DOCS)
    assert all(isinstance(o, Outcome) and o.chars > 4_000 for o in outcomes)
    assert snapshot(out) == snapshot(serial)


def test_rerun_of_unchanged_corpus_writes_nothing(corpus: Path, rerun_copy: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = stamps(rerun_copy)
    assert main(["run", str(corpus), "--out", str(rerun_copy), "--rules", str(RULES), "--jobs", "2"]) == 0
    err = capsys.readouterr().err
    assert "0 written, 4 skipped, 0 failed" in err
    assert "nothing to extract" in err
    assert stamps(rerun_copy) == before
    for path in sorted(corpus.iterdir()):
        assert process_one(str(path), str(rerun_copy), str(RULES)).status == "skipped"
    assert stamps(rerun_copy) == before


def test_force_reruns_every_document(corpus: Path, serial: Path, rerun_copy: Path,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(corpus), "--out", str(rerun_copy), "--rules", str(RULES), "--force"]) == 0
    err = capsys.readouterr().err
    assert "4 written, 0 skipped, 0 failed" in err
    assert "nothing to extract" not in err
    assert snapshot(rerun_copy) == snapshot(serial)


def test_changed_input_reruns_that_document_only(corpus: Path, rerun_copy: Path, tmp_path: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    beta = raw / "beta.txt"
    beta.write_text(_vary_figures(beta.read_text(encoding="utf-8"), 2), encoding="utf-8")
    (rerun_copy / "gamma" / "hubs.csv").unlink()  # an incomplete folder is not current either
    before = stamps(rerun_copy)
    assert main(["run", str(raw), "--out", str(rerun_copy), "--rules", str(RULES)]) == 0
    assert "2 written, 2 skipped, 0 failed" in capsys.readouterr().err
    after = stamps(rerun_copy)
    for doc in ("alpha", "next-edition"):
        assert {k: v for k, v in after.items() if k.startswith(doc + "/")} == \
            {k: v for k, v in before.items() if k.startswith(doc + "/")}
    assert (rerun_copy / "gamma" / "hubs.csv").is_file()
    assert after["beta/projects.csv"] != before["beta/projects.csv"]


def test_rule_change_reruns_everything(corpus: Path, serial: Path, rerun_copy: Path, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    # A copy of rules/ hashes the same: the serial output is current for it.
    assert all(is_current(p, rerun_copy, _rules_hash(rules)) for p in corpus.iterdir())
    with open(rules / "numbers.yaml", "a", encoding="utf-8") as fh:
        fh.write("# a comment changes the rules hash\n")
    assert main(["run", str(corpus), "--out", str(rerun_copy), "--rules", str(rules), "--quiet"]) == 0
    assert capsys.readouterr().err == ""
    new, old = snapshot(rerun_copy), snapshot(serial)
    assert new.keys() == old.keys()
    changed = sorted(k for k in new if new[k] != old[k])
    assert changed == [f"{d}/datapackage.json" for d in DOCS]  # only the recorded rules hash moved
    assert all(is_current(p, rerun_copy, _rules_hash(rules)) for p in corpus.iterdir())


def _rules_hash(rules: Path) -> str:
    from pipeline.core.rules import rules_hash

    return rules_hash(rules)


def test_bad_file_fails_alone(corpus: Path, serial: Path, tmp_path: Path,
                              capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    shutil.copytree(corpus, raw)
    (raw / "broken.txt").write_bytes(b"\x00\x01\x02\x03\xff\xfe\x00binary\x00" * 50)
    out = tmp_path / "out"
    assert main(["run", str(raw), "--out", str(out), "--rules", str(RULES), "--jobs", "2"]) == 1
    err = capsys.readouterr().err.splitlines()
    named = [line for line in err if "broken.txt" in line]
    assert len(named) == 1 and named[0].startswith("pipeline run: ")
    assert err[-1].startswith("pipeline run: 4 written, 0 skipped, 1 failed")
    assert not (out / "broken").exists()
    assert snapshot(out) == snapshot(serial)


def test_same_document_id_twice_fails_the_second(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        shutil.copy(SEED, tmp_path / folder / "brochure.txt")
    out = tmp_path / "out"
    code = main(["run", str(tmp_path / "a"), str(tmp_path / "b"), "--out", str(out), "--rules", str(RULES)])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'b' / 'brochure.txt'}: same document id 'brochure'" in err
    assert "1 written, 0 skipped, 1 failed" in err


def test_progress_lines_on_a_pipe(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(corpus / "alpha.txt"), str(corpus / "beta.txt"), "--out", str(tmp_path),
                 "--rules", str(RULES)]) == 0
    err = capsys.readouterr().err.splitlines()
    folder = re.escape(f"{tmp_path}{os.sep}")
    assert re.fullmatch(rf"\[1/2\] (alpha|beta): written to {folder}(alpha|beta){re.escape(os.sep)} "
                        r"\(1 written, 0 skipped, 0 failed; [\d,]+ chars/s\)", err[0])
    assert re.fullmatch(r"pipeline run: 2 written, 0 skipped, 0 failed in [\d.]+s \([\d,]+ chars/s\); "
                        rf"outputs in {re.escape(str(tmp_path) + os.sep)}", err[-1])


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--jobs", "0"], "--jobs must be at least 1"),
        (["--executor", "dask"], "--executor dask needs --scheduler ADDRESS"),
        (["--scheduler", "tcp://127.0.0.1:1"], "--scheduler is only used with --executor dask"),
        (["--rules", "no/such/rules"], "rules folder not found"),
    ],
)
def test_usage_errors_exit_2(corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                             args: list[str], message: str) -> None:
    assert main(["run", str(corpus), "--out", str(tmp_path / "out"), *args]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_missing_inputs_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(tmp_path / "nope.txt"), "--out", str(tmp_path / "out"), "--rules", str(RULES)]) == 2
    assert "no such input" in capsys.readouterr().err


def test_dask_run_is_byte_identical(corpus: Path, serial: Path, tmp_path: Path) -> None:
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    from distributed import LocalCluster

    out = tmp_path / "dask"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        outcomes = run_inputs([str(corpus)], str(out), str(RULES), quiet=True, executor="dask",
                              scheduler=cluster.scheduler_address)
        # Outcomes name the inputs as given, not as the workers saw them.
        assert [(o.path, o.status) for o in outcomes] == \
            [(str(corpus / f"{d}.txt"), "written") for d in DOCS]
        assert snapshot(out) == snapshot(serial)
        again = run_inputs([str(corpus)], str(out), str(RULES), quiet=True, executor="dask",
                           scheduler=cluster.scheduler_address)
        assert {o.status for o in again} == {"skipped"}


def test_unreachable_dask_scheduler_is_one_line(corpus: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("distributed", reason="dask[distributed] is not installed")
    import dask

    with dask.config.set({"distributed.comm.timeouts.connect": "1s"}):
        code = main(["run", str(corpus), "--out", str(tmp_path / "out"), "--rules", str(RULES),
                     "--executor", "dask", "--scheduler", "tcp://127.0.0.1:9", "--quiet"])
    assert code == 1
    err = capsys.readouterr().err
    assert "cannot reach the Dask scheduler at tcp://127.0.0.1:9" in err
