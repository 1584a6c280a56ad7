"""A PDF's paragraph spacing is a blank line in its text, as a text file's is.

The text builders end blocks at blank lines (a hub's labelled block, a project's lines, a paragraph's
year context); a PDF has no blank lines, only space between lines. A space between two lines of one
column wider than most of a glyph's height, and more than twice the page's usual line spacing, is
written as a blank line (``readers.pdf.paragraph_gaps``); a value does not wrap onto the next page.
"""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.readers.pdf import _Line, paragraph_gaps

from .conftest import RULES
from .grid_pdf import draw_grid


def _line(top: float, x0: float = 50.0, x1: float = 300.0, size: float = 9.0) -> _Line:
    return _Line(text="x", x0=x0, top=top, x1=x1, bottom=top + size)


def test_a_paragraph_space_between_lines_of_one_column_is_a_gap() -> None:
    # leading 13 pt (4 pt between 9 pt lines), then an empty line's height (17 pt), then leading again
    lines = [_line(100), _line(113), _line(126), _line(152), _line(165)]
    assert paragraph_gaps(lines) == {3}


def test_lines_of_another_column_or_above_are_no_gap() -> None:
    left = [_line(100, 50, 280), _line(113, 50, 280), _line(126, 50, 280)]
    right = [_line(100, 320, 550), _line(160, 320, 550)]  # the right column starts back at the top
    assert paragraph_gaps([*left, *right]) == {4}
    beside = [_line(100, 50, 200), _line(113, 50, 200), _line(160, 320, 550)]  # no shared width
    assert paragraph_gaps(beside) == set()


def test_a_page_of_short_paragraphs_shows_them_all() -> None:
    # one-line cells a blank line apart (a list printed column by column), one two-line cell among them:
    # most spaces are paragraph spaces, and the one tight pair tells the leading
    lines = [_line(100), _line(126), _line(152), _line(165), _line(191), _line(217)]
    assert paragraph_gaps(lines) == {1, 2, 4, 5}


def test_loose_leading_alone_makes_no_gaps() -> None:
    # every line 12 pt below the last (1.3 glyph heights): the page's usual spacing, not paragraphs
    assert paragraph_gaps([_line(100 + 21 * k) for k in range(6)]) == set()


BLOCKS = """■地域産学官連携拠点
○拠点名：しずおか光・電子技術拠点
　提案者：静岡県、浜松市
　参画大学等：静岡大学、浜松医科大学
　参画機関：浜松商工会議所

○拠点名：とやま医薬工連携拠点
　提案者：富山県、富山市
　参画大学等：富山大学、富山県立大学
　参画機関：富山商工会議所
"""

NEXT_PAGE = """知的クラスター創成事業の取組状況
　本事業では、地域の大学等の研究成果を活用している。
"""


def test_labelled_hubs_in_a_pdf_read_as_in_the_text(tmp_path: Path) -> None:
    pdf = draw_grid(tmp_path / "hubs.pdf", [BLOCKS, NEXT_PAGE], size=10, leading=1.5)
    from_pdf = pipeline.extract(pdf, rules_dir=RULES)
    from_text = pipeline.extract(BLOCKS + "\f" + NEXT_PAGE, rules_dir=RULES)
    cols = ["category", "name", "municipalities", "universities", "partners"]
    assert from_pdf.tables["hubs"][cols].values.tolist() == from_text.tables["hubs"][cols].values.tolist() == [
        ["地域産学官連携拠点", "しずおか光・電子技術拠点", "静岡県;浜松市", "静岡大学;浜松医科大学", "浜松商工会議所"],
        ["地域産学官連携拠点", "とやま医薬工連携拠点", "富山県;富山市", "富山大学;富山県立大学", "富山商工会議所"],
    ]
    source = from_pdf.source
    assert "浜松商工会議所\n\n" in source  # the paragraph space, as a blank line
    assert "\n\n\n" not in source


def test_a_value_does_not_wrap_onto_the_next_page() -> None:
    text = BLOCKS.split("\n\n")[0] + "\n\f" + NEXT_PAGE
    hubs = pipeline.extract(text, rules_dir=RULES).tables["hubs"]
    assert hubs["partners"].tolist() == ["浜松商工会議所"]
