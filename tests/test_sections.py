"""Issue 14, big inputs: a document longer than the section size is extracted section by section.

Memory then follows the section, not the input (bench/big_input.py measures a 50 MB text). These
tests check that sections change nothing but what they must: a document cut at its page breaks gives
the tables of the whole, with every offset, line and page in the whole document's coordinates; cuts
fall where the document breaks most strongly; what the reader found on a page and what ingest removed
reach the section that holds it.
"""

from __future__ import annotations

import pytest
import yaml

import pipeline.engine as engine
from pipeline.core.rules import cached_rules
from pipeline.core.source import Cell, PageNote, RuledTable, Source
from pipeline.engine import run_document, section_cuts
from pipeline.readers.ingest import source_from_text

from .conftest import ROOT, RULES, SEED


def _prose_pages() -> list[str]:
    """Two pages of the prose corpus's sentences (no names or tables shared with the seed)."""
    corpus = yaml.safe_load((ROOT / "tests" / "prose_corpus.yaml").read_text("utf-8"))
    sentences = [s["text"] for s in corpus["sentences"]]
    half = len(sentences) // 2
    return ["\n\n".join(sentences[:half]) + "\n", "\n\n".join(sentences[half:]) + "\n"]


def _without_section_warning(rows: dict) -> dict:
    return dict(rows, warnings=[w for w in rows["warnings"] if w["code"] != "document_sectioned"])


def test_a_document_cut_at_its_page_breaks_gives_the_tables_of_the_whole() -> None:
    pages = [SEED.read_text("utf-8"), *_prose_pages()]
    text = "\f".join(pages)
    source = source_from_text(text, doc="t")
    rules = cached_rules(RULES)
    size = max(map(len, pages)) + 10
    cuts = section_cuts(source, size)
    assert cuts == [0, source.page_starts[1], len(text)]  # the seed's page, then the two prose pages
    whole = run_document(source, rules)
    cut = run_document(source, rules, section_chars=size)
    assert not [w for w in whole.rows["warnings"] if w["code"] == "document_sectioned"]
    [note] = [w for w in cut.rows["warnings"] if w["code"] == "document_sectioned"]
    assert note["line"] == 1 and f"{len(text):,} characters read in 2 sections" in note["message"]
    assert _without_section_warning(cut.rows) == whole.rows
    # The rows point into the whole text: a mention's text is its slice, on its line and page.
    mentions = cut.rows["mentions"]
    assert {m["page"] for m in mentions} == {1, 2, 3}
    for m in mentions:
        assert text[m["start"] : m["end"]] == m["text"]
        assert m["line"] == text.count("\n", 0, m["start"]) + 1
        assert m["page"] == text.count("\f", 0, m["start"]) + 1
    assert len(cut.rows["projects"]) == 19  # the seed's projects, all on page 1


def test_organisations_named_in_several_sections_are_one_row() -> None:
    line = "本事業は東北大学と株式会社テスト製作所が共同で実施する。\n\n"
    source = source_from_text(line * 40, doc="t")
    rows = run_document(source, cached_rules(RULES), section_chars=len(line) * 7).rows
    by_name = {r["name"]: r for r in rows["organizations"]}
    assert by_name["東北大学"]["mentions"] == 40 and by_name["東北大学"]["first_line"] == 1
    assert len(rows["organizations"]) == len(by_name)
    [note] = [w for w in rows["warnings"] if w["code"] == "document_sectioned"]
    assert "in 6 sections" in note["message"]  # seven lines each, the last five
    assert [m["line"] for m in rows["mentions"] if m["value"] == "東北大学"] == list(range(1, 80, 2))


def _source(text: str, **kw: object) -> Source:
    starts = [0] + [i + 1 for i, ch in enumerate(text) if ch == "\f"]
    return Source(doc="t", text=text, page_starts=starts, **kw)  # type: ignore[arg-type]


def test_cuts_prefer_pages_then_headings_then_blank_lines_then_line_ends() -> None:
    body = "あ" * 50
    # A page break in the second half of the window wins over blank lines nearer the limit.
    text = f"{body}\n\n{body}\f{body}\n\n{body}\n\n{body}"
    assert section_cuts(_source(text), 150)[1] == text.index("\f") + 1
    # Without a page break: a blank line before a heading mark, over a later plain blank line.
    text = f"{body}\n\n{body}\n\n■見出し\n{body}\n\n{body}"
    assert section_cuts(_source(text), 170, "■●【")[1] == text.index("■")
    assert section_cuts(_source(text), 170)[1] == text.rindex("\n\n", 0, 170) + 2
    # No blank line: a line end; no line end either: the size itself.
    text = f"{body}\n{body}\n{body}"
    assert section_cuts(_source(text), 120)[1] == 102
    assert section_cuts(_source("い" * 1000), 300) == [0, 300, 600, 900, 1000]


def test_every_section_fits_and_the_cuts_cover_the_text() -> None:
    text = SEED.read_text("utf-8") * 3
    for size in (500, 1_000, 4_000):
        cuts = section_cuts(_source(text), size, "■●【")
        assert cuts[0] == 0 and cuts[-1] == len(text)
        assert all(0 < b - a <= size for a, b in zip(cuts, cuts[1:], strict=False))


def test_a_cut_never_falls_inside_a_ruled_table() -> None:
    rows_text = [f"拠点{i}\t大学{i}" for i in range(20)]
    table_text = "\n".join(rows_text)
    text = "あ" * 100 + "\n" + table_text + "\n" + "い" * 100
    start = 101
    cells, pos = [], start
    for r in rows_text:
        a, b = r.split("\t")
        cells.append((Cell(a, pos, pos + len(a)), Cell(b, pos + len(a) + 1, pos + len(r))))
        pos += len(r) + 1
    table = RuledTable(1, tuple(cells))
    end = cells[-1][-1].end
    for size in (150, 200, 260):
        cuts = section_cuts(_source(text, ruled_tables=[table]), size)
        assert not any(start < c < end for c in cuts), (size, cuts)


def test_page_notes_ingest_notes_and_ocr_pages_reach_their_section() -> None:
    pages = [SEED.read_text("utf-8"), *_prose_pages()]
    text = "\f".join(pages)
    source = source_from_text(text, doc="t")
    third_line = text.count("\n", 0, source.page_starts[2]) + 1
    source.page_notes = [PageNote(3, "page_ocr", "page 3 was read by OCR")]
    source.ocr_pages = [3]
    source.notes = [(third_line + 2, "control_removed", "removed 1 control character(s) (U+0000)")]
    rules = cached_rules(RULES)
    whole = run_document(source, rules).rows
    cut = run_document(source, rules, section_chars=max(map(len, pages)) + 10).rows
    assert _without_section_warning(cut) == whole
    ocr = [w for w in cut["warnings"] if w["code"] == "page_ocr"]
    assert [(w["page"], w["line"]) for w in ocr] == [(3, third_line)]
    removed = [w for w in cut["warnings"] if w["code"] == "control_removed"]
    assert [(w["page"], w["line"]) for w in removed] == [(3, third_line + 2)]
    assert {m["page"] for m in cut["mentions"] if m["ocr"]} == {3}


def test_lines_read_by_ocr_from_images_keep_their_flag_in_every_section() -> None:
    """``Source.ocr_spans`` (lines read from pictures on pages of text) flag the mentions inside them, the
    same whether the text is read whole or in sections."""
    pages = [SEED.read_text("utf-8"), *_prose_pages()]
    text = "\f".join(pages)
    source = source_from_text(text, doc="t")
    at = text.index("壱億円", source.page_starts[2])  # a figure on the third page
    source.ocr_spans = [(at - 3, at + 5)]
    rules = cached_rules(RULES)
    whole = run_document(source, rules).rows
    cut = run_document(source, rules, section_chars=max(map(len, pages)) + 10).rows
    assert _without_section_warning(cut) == whole
    assert [(m["text"], m["page"]) for m in cut["mentions"] if m["ocr"]] == [("壱億円", 3)]


def test_extract_reads_a_long_text_in_sections(monkeypatch: pytest.MonkeyPatch) -> None:
    """Past ``SECTION_CHARS`` the engine sections on its own (the default is spaCy's max_length)."""
    assert engine.SECTION_CHARS == 1_000_000
    monkeypatch.setattr(engine, "SECTION_CHARS", 2_000)
    result = engine.extract_text(SEED.read_text("utf-8"), rules_dir=RULES)
    [note] = result.tables["warnings"].query("code == 'document_sectioned'")["message"].tolist()
    assert "sections of at most 2,000" in note
    text = result.source
    for m in result.rows["mentions"]:
        assert text[m["start"] : m["end"]] == m["text"]
