"""Issue 14, data loss: a run never addresses the output folder itself, its parent or a hidden name,
and never replaces, renames or deletes what it did not write.

Each case reproduces one way a run once deleted or renamed files: an input named ``..txt`` (stem
``.``), ``...txt`` (stem ``..``), ``.hidden.txt``, a folder ``good/`` holding a user's file where the
run would write ``good/``, and a plain file ``notes`` where it would write ``notes/``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from pipeline.batch.runner import discover
from pipeline.cli import main
from pipeline.outputs.write import UnsafeOutputError, doc_id_problem, write_files_atomically

from .conftest import RULES

TEXT = "平成21年度の予算は約10億円である。\n"


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    code = main(["run", *args, "--rules", str(RULES), "--quiet"])
    return code, [ln for ln in capsys.readouterr().err.splitlines() if ln]


def _tree(root: Path) -> dict[str, bytes | None]:
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None)
            for p in sorted(root.rglob("*")) if not p.name.endswith(".lock")}


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """An output folder already holding a document, a database and a user's unrelated file."""
    out = tmp_path / "out"
    raw = tmp_path / "first"
    raw.mkdir()
    (raw / "other.txt").write_text(TEXT, encoding="utf-8")
    assert main(["run", str(raw), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    (out / "pipeline.sqlite").write_bytes(b"SQLite format 3\x00 pretend")
    (out / "unrelated.txt").write_text("keep me", encoding="utf-8")
    return out


@pytest.mark.parametrize("name", ["..txt", "...txt", ".hidden.txt"])
def test_an_input_whose_stem_is_dot_or_hidden_is_refused(name: str, out: Path, tmp_path: Path,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    before = _tree(out)
    raw = tmp_path / "raw"
    raw.mkdir()
    bad = raw / name
    bad.write_text(TEXT, encoding="utf-8")
    code, err = _run(capsys, str(bad), "--out", str(out))
    assert code == 1
    assert len(err) == 1 and str(bad) in err[0] and "document id" in err[0]
    assert _tree(out) == before
    assert _tree(tmp_path / "first")  # the parent's other contents are untouched too


@pytest.mark.parametrize("doc", ["", ".", "..", "a/b", "a\\b", "x\x1b[2Jy", "tab\there", ".hidden"])
def test_doc_id_problem_refuses_what_could_escape_the_folder(doc: str) -> None:
    assert doc_id_problem(doc)


@pytest.mark.parametrize("doc", ["chiiki-cluster-h21", "平成21年度", "a.b", "report.v2"])
def test_doc_id_problem_accepts_ordinary_ids(doc: str) -> None:
    assert doc_id_problem(doc) is None


def test_a_folder_the_pipeline_did_not_write_is_not_replaced(out: Path, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    (out / "good").mkdir()
    (out / "good" / "thesis.docx").write_bytes(b"PK\x03\x04 years of work")
    before = _tree(out)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(TEXT, encoding="utf-8")
    code, err = _run(capsys, str(raw), "--out", str(out))
    assert code == 1
    assert len(err) == 1 and "good" in err[0] and "did not write" in err[0]
    assert _tree(out) == before


def test_a_folder_with_a_broken_datapackage_fails_alone(out: Path, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    (out / "broken").mkdir()
    (out / "broken" / "datapackage.json").write_text("{not json", encoding="utf-8")
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "broken.txt").write_text(TEXT, encoding="utf-8")
    (raw / "fresh.txt").write_text(TEXT, encoding="utf-8")
    code, err = _run(capsys, str(raw), "--out", str(out))
    assert code == 1
    assert len(err) == 1 and "broken" in err[0] and "did not write" in err[0]
    assert (out / "fresh" / "source.txt").is_file()
    assert (out / "broken" / "datapackage.json").read_text(encoding="utf-8") == "{not json"


def test_a_plain_file_where_the_folder_would_go_is_not_renamed(out: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    (out / "notes").write_text("my notes", encoding="utf-8")
    before = _tree(out)
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "notes.txt").write_text(TEXT, encoding="utf-8")
    code, err = _run(capsys, str(raw), "--out", str(out))
    assert code == 1
    assert len(err) == 1 and "notes" in err[0] and "not an output folder" in err[0]
    assert _tree(out) == before
    assert not [p for p in os.listdir(out) if p.startswith(".notes.tmp-")]


def test_a_folder_the_pipeline_wrote_is_still_replaced(out: Path, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "other.txt").write_text(TEXT.replace("10", "12"), encoding="utf-8")
    code, err = _run(capsys, str(raw), "--out", str(out))
    assert code == 0, err
    assert "12" in (out / "other" / "source.txt").read_text(encoding="utf-8")


def test_write_files_atomically_refuses_a_symlink(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (tmp_path / "doc").symlink_to(elsewhere)
    with pytest.raises(UnsafeOutputError):
        write_files_atomically(tmp_path / "doc", {"source.txt": "x"})


def test_input_folders_report_what_they_skip(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "ok.txt").write_text(TEXT, encoding="utf-8")
    (raw / ".hidden.txt").write_text(TEXT, encoding="utf-8")
    (raw / "dir.txt").mkdir()
    (raw / "dangling.txt").symlink_to(raw / "missing.txt")
    (raw / "loop.txt").symlink_to(raw / "loop.txt")
    skipped: list[str] = []
    assert discover([str(raw)], skipped) == [raw / "ok.txt"]
    reasons = {Path(line.split(":")[0]).name: line for line in skipped}
    assert set(reasons) == {".hidden.txt", "dir.txt", "dangling.txt", "loop.txt"}
    assert "hidden" in reasons[".hidden.txt"] and "loop" in reasons["loop.txt"]
    assert "dangling" in reasons["dangling.txt"] and "not a regular file" in reasons["dir.txt"]


@pytest.mark.parametrize("how", ["read-only", "under-a-file"])
def test_unwritable_out_fails_once(how: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    for i in range(3):
        (raw / f"d{i}.txt").write_text(TEXT, encoding="utf-8")
    if how == "read-only" and os.geteuid() == 0:
        out = Path("/proc/self/pipeline-out")  # root writes through mode bits; nobody creates folders in /proc
    elif how == "read-only":
        out = tmp_path / "ro"
        out.mkdir()
        out.chmod(0o555)
    else:
        (tmp_path / "file").write_text("x", encoding="utf-8")
        out = tmp_path / "file" / "out"
    try:
        code, err = _run(capsys, str(raw), "--out", str(out))
    finally:
        if how == "read-only" and os.geteuid() != 0:
            out.chmod(0o755)
    assert code == 1
    assert len(err) == 1 and str(out) in err[0]
