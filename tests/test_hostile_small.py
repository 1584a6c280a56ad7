"""Issue 14, the smaller cases: control characters at ingest, escape sequences on the terminal, and
spreadsheet formula cells."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import main
from pipeline.outputs.terminal import terminal_safe
from pipeline.readers import read_source
from pipeline.readers.ingest import remove_controls
from pipeline.tables.validate import flag_formula_cells, formula_like, neutralise_formula

from .conftest import RULES, SEED

ESCAPES = "\x1b[2J\x1b]52;c;ZXZpbA==\x07\x9b31m\u202e"


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_nul_and_c0_controls_are_removed_at_ingest_with_a_warning(tmp_path: Path) -> None:
    """A NUL past the first 4 KB (where the binary test looks) once reached the CSVs and PostgreSQL."""
    seed = SEED.read_text(encoding="utf-8")
    lines = seed.split("\n")
    lines[150] = lines[150][:3] + "\x00\x01" + lines[150][3:]
    lines[151] = "\x1b" + lines[151] + "\x0b"  # only the controls go: ESC[31m would keep [31m
    path = tmp_path / "nul.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    source = read_source(path)
    assert source.text == seed
    assert [(line, code) for line, code, _ in source.notes] == [(151, "control_removed"), (152, "control_removed")]
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    assert "\x00" not in "".join(p.read_text(encoding="utf-8") for p in (out / "nul").glob("*.csv"))
    warned = [w for w in _rows(out / "nul" / "warnings.csv") if w["code"] == "control_removed"]
    assert [w["line"] for w in warned] == ["151", "152"] and "U+0000" in warned[0]["message"]


@pytest.mark.parametrize("keep", ["\t", "\n", "\f"])
def test_text_controls_are_kept(keep: str) -> None:
    assert remove_controls(f"a{keep}b") == (f"a{keep}b", [])


def test_terminal_safe_shows_escapes_instead_of_obeying_them() -> None:
    shown = terminal_safe("名前" + ESCAPES + "\n次\t行")
    assert shown.startswith("名前\\x1b[2J\\x1b]52;c;") and shown.endswith("\\u202e\n次\t行")
    assert not any(ch in shown for ch in "\x1b\x07\x9b\u202e")


def test_escape_sequences_in_file_names_do_not_reach_the_terminal(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / f"x{ESCAPES}.pdf"
    bad.write_bytes(b"not a pdf")
    assert main(["run", str(bad), "--out", str(tmp_path / "out"), "--rules", str(RULES)]) == 1
    err = capsys.readouterr().err
    assert "\\x1b[2J" in err and not any(ch in err for ch in "\x1b\x07\x9b\u202e")


def test_escape_sequences_in_the_text_do_not_reach_the_terminal_through_diff(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old, new = tmp_path / "old", tmp_path / "new"
    for out in (old, new):
        assert main(["run", str(SEED), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    projects = new / SEED.stem / "projects.csv"
    text = projects.read_text(encoding="utf-8")
    projects.write_text(text.replace("地域産業活性化プロジェクト", "地域産業" + ESCAPES + "プロジェクト", 1),
                        encoding="utf-8")
    capsys.readouterr()
    main(["diff", str(old), str(new)])
    out = capsys.readouterr().out
    assert "\\x1b[2J" in out and not any(ch in out for ch in "\x1b\x07\x9b\u202e")


def test_formula_like_cells_stay_exact_and_are_flagged(tmp_path: Path) -> None:
    """OWASP's CSV injection: the CSV keeps the cell (text is source[start:end]) and warns; an export
    to a spreadsheet uses neutralise_formula."""
    rows = {
        "organizations": [{"doc": "d", "name": "=HYPERLINK(\"http://x\")", "type": "other", "mentions": 1,
                           "first_line": 4},
                          {"doc": "d", "name": "@SUM(1)", "type": "other", "mentions": 1, "first_line": 9},
                          {"doc": "d", "name": "株式会社テスト", "type": "company", "mentions": 1, "first_line": 2}],
        "warnings": [],
    }
    flag_formula_cells(rows)
    assert rows["organizations"][0]["name"] == "=HYPERLINK(\"http://x\")"
    flagged = [(w["line"], w["code"]) for w in rows["warnings"]]
    assert flagged == [(4, "formula_like_cell"), (9, "formula_like_cell")]
    assert [formula_like(v) for v in ("=1", "+1+A1", "-1+2", "@a", "\tx", "普通", "", None, 5)] == \
        [True, True, True, True, True, False, False, False, False]
    # A signed plain number (the value of △200) opens as a number: no formula, no warning, left as it is.
    assert [formula_like(v) for v in ("-200000000", "+50", "-1.5", "-1e5", "-")] == [False, False, False, True, True]
    assert neutralise_formula("=1+2") == "'=1+2" and neutralise_formula("普通") == "普通"
    assert neutralise_formula("-200000000") == "-200000000"
    numbers = {"mentions": [{"doc": "d", "kind": "amount", "text": "△２００", "value": "-200000000", "line": 3}],
               "warnings": []}
    flag_formula_cells(numbers)
    assert numbers["warnings"] == []


def test_formula_like_text_in_a_document_is_flagged_in_warnings_csv(tmp_path: Path) -> None:
    path = tmp_path / "f.txt"
    path.write_text("・交流会 （平成21年6月20日・=東京国際会館）\n", encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(path), "--out", str(out), "--rules", str(RULES), "--quiet"]) == 0
    assert [r["venue"] for r in _rows(out / "f" / "events.csv")] == ["=東京国際会館"]  # kept exact
    flagged = [w["message"] for w in _rows(out / "f" / "warnings.csv") if w["code"] == "formula_like_cell"]
    assert any(m.startswith("events.venue '=東京国際会館'") for m in flagged)


def test_cid_placeholders_of_a_pdf_to_text_conversion_are_masked_not_read() -> None:
    """A text file from a PDF converter that printed unmapped glyphs as (cid:N): each reads 〓 with a
    text_layer_broken warning on its line, and no figure, amount or budget line is made of the codes."""
    text = ("平成２１年度予算（文部科学省）\n知的クラスター創成事業　(cid:1234)(cid:567)億円\n"
            "参加企業　(cid:21)(cid:22)社\n都市エリア事業　45億円\n")
    r = pipeline.extract(text, rules_dir=RULES, doc="cid")
    assert r.source.split("\n")[1:3] == ["知的クラスター創成事業　〓〓億円", "参加企業　〓〓社"]
    w = r.tables["warnings"]
    assert list(w[w.code == "text_layer_broken"]["line"]) == [2, 3]
    assert set(w.code) == {"text_layer_broken"}  # no number_unclaimed for the codes
    m = r.tables["mentions"]
    assert list(m[m.kind.isin(["amount", "count"])]["value"]) == ["4500000000"]
    assert list(r.tables["budget"]["item"]) == ["都市エリア事業"]
