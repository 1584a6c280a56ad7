"""The reader registry: one module per format, chosen by suffix or by magic bytes; unknown formats
fail with one line naming the file and the supported formats, in the API, ``run`` and ``check``."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline
from pipeline.audit.check import resolve_input
from pipeline.batch.runner import discover, run_inputs
from pipeline.cli import main
from pipeline.readers import (
    READERS,
    IngestError,
    Reader,
    read_source,
    register_reader,
    supported_suffixes,
    unregister_reader,
)

from . import toy_reader
from .conftest import RULES

TOY_TEXT = "TOYDOC\n平成22年度の予算は約3億円である。\n---\n参加企業は15社。\n"


@pytest.fixture
def toy() -> Iterator[None]:
    register_reader(toy_reader.READER)
    try:
        yield
    finally:
        unregister_reader("toy")


def test_built_in_readers() -> None:
    assert list(READERS) == ["text", "pdf"]
    assert supported_suffixes() == (".txt", ".pdf")


@pytest.mark.parametrize("name", ["x.docx", "brochure.DOCX", "notes.md"])
def test_extract_of_an_unknown_format_is_one_clear_line(name: str, tmp_path: Path) -> None:
    for given in (name, tmp_path / name):
        with pytest.raises(IngestError) as err:
            pipeline.extract(given)
        message = str(err.value)
        assert "\n" not in message
        assert message.startswith(f"{given}: unsupported file type .")
        assert message.endswith("supported: .txt (text), .pdf (pdf)")


def test_extract_of_an_existing_unknown_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 not really a document")
    with pytest.raises(IngestError, match=r"report\.docx: unsupported file type \.docx; supported"):
        pipeline.extract(path)


@pytest.mark.parametrize("text", ["平成21年度の予算は5億円。", "予算は5億円、伸び率は3.14", "平成" * 200 + "5億円"])
def test_text_is_still_text(text: str) -> None:
    result = pipeline.extract(text, rules_dir=RULES)
    assert "500000000" in result.tables["mentions"]["value"].tolist()


def test_run_of_an_unknown_format_fails_with_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.docx"
    path.write_text("平成21年度", encoding="utf-8")
    code = main(["run", str(path), "--out", str(tmp_path / "out"), "--rules", str(RULES)])
    err = capsys.readouterr().err.splitlines()
    assert code == 1
    assert f"pipeline run: {path}: unsupported file type .docx; supported: .txt (text), .pdf (pdf)" in err
    assert not (tmp_path / "out" / "x").exists()


def test_a_txt_that_is_really_a_pdf_is_read_as_a_pdf(tmp_path: Path) -> None:
    path = tmp_path / "scan.txt"
    path.write_bytes(b"%PDF-1.4\n% nothing else\n")
    with pytest.raises(IngestError, match=r"scan\.txt: truncated PDF"):
        read_source(path)


def test_toy_reader_reaches_extract_run_and_check(toy: None, tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "plan.toy").write_bytes(TOY_TEXT.encode("utf-8"))
    (raw / "ignored.docx").write_text("x", encoding="utf-8")
    assert supported_suffixes() == (".txt", ".pdf", ".toy")

    src = read_source(raw / "plan.toy")
    assert (src.doc, src.encoding, src.page_starts) == ("plan", "toy", [0, 19])
    assert src.text == "平成22年度の予算は約3億円である。\f参加企業は15社。\n"
    result = pipeline.extract(raw / "plan.toy", rules_dir=RULES)
    mentions = result.tables["mentions"]
    amount = mentions[mentions["kind"] == "amount"].iloc[0]
    assert (amount["value"], amount["page"]) == ("300000000", 1)
    count = mentions[mentions["kind"] == "count"].iloc[0]
    assert (count["value"], count["unit"], count["page"]) == ("15", "社", 2)

    # run's folder discovery lists what a reader reads, and nothing else
    assert [p.name for p in discover([str(raw)])] == ["plan.toy"]
    outcomes = run_inputs([str(raw)], str(tmp_path / "out"), str(RULES), quiet=True)
    assert [(o.doc, o.status) for o in outcomes] == [("plan", "written")]
    assert (tmp_path / "out" / "plan" / "source.txt").read_text(encoding="utf-8") == src.text

    # check finds raw/<doc>.toy
    assert resolve_input("plan", raw) == ("plan", raw / "plan.toy")


def test_toy_magic_wins_over_a_lying_suffix(toy: None, tmp_path: Path) -> None:
    path = tmp_path / "disguised.txt"
    path.write_bytes(TOY_TEXT.encode("utf-8"))
    assert read_source(path).encoding == "toy"


def test_check_names_the_formats_it_looked_for(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match=r"supported: \.txt \(text\), \.pdf \(pdf\)"):
        resolve_input("missing", tmp_path)


def test_a_suffix_has_one_reader(toy: None) -> None:
    with pytest.raises(ValueError, match=r"\.toy"):
        register_reader(Reader("toy2", (".toy",), toy_reader.read_toy))
    assert "toy2" not in READERS
