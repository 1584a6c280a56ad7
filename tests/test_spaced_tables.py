"""Borderless tables in text (pipeline/tables/spaced.py): cells, wrapped rows, and one reading per table."""

from __future__ import annotations

import pytest

from pipeline.tables import spaced


def _texts(table) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return [[c.text for c in row] for row in table.rows]


def test_cells_are_set_apart_by_full_width_spaces_tabs_or_two_spaces() -> None:
    text = "前文\n名称　分野\t企業数  大学数\nA拠点　バイオ\t10社  2大学\nB センター  IT\t3社　1大学\n\n後文。\n"
    (table,) = spaced.spaced_tables(text, ["名称"])
    assert _texts(table) == [["名称", "分野", "企業数", "大学数"], ["A拠点", "バイオ", "10社", "2大学"],
                             ["B センター", "IT", "3社", "1大学"]]
    cell = table.rows[1][0]
    assert text[cell.start : cell.end] == "A拠点"


def test_one_blank_line_between_rows_is_double_spacing_two_end_the_table() -> None:
    text = "名称　分野\n\nA　バイオ\n\nB　IT\n\n\nC　環境\n"
    (table,) = spaced.spaced_tables(text, ["名称"])
    assert _texts(table) == [["名称", "分野"], ["A", "バイオ"], ["B", "IT"]]


def test_a_one_cell_line_is_kept_only_right_under_a_row() -> None:
    text = "名称　分野\nA 長い名前の　バイオ\n続き\n\n単独の行\n"
    (table,) = spaced.spaced_tables(text, ["名称"])
    assert _texts(table) == [["名称", "分野"], ["A 長い名前の", "バイオ"], ["続き"]]


def test_no_label_no_table() -> None:
    assert spaced.spaced_tables("拠点　分野\nA　B\n", ["名称"]) == []
    assert spaced.spaced_tables("名称　分野\nA　B\n", []) == []


def test_a_table_whose_every_row_holds_a_label_is_read_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each label match past the lines already read starts a reading: rows holding the label are not
    read again (that made such a table quadratic)."""
    calls = []
    real = spaced.spaced_rows
    monkeypatch.setattr(spaced, "spaced_rows", lambda text, pos, *rest: calls.append(pos) or real(text, pos, *rest))
    text = "名称　分野　企業数\n" + "".join(f"名称{i}　バイオ　{i}社\n" for i in range(500))
    (table,) = spaced.spaced_tables(text, ["名称"])
    assert len(table.rows) == 501
    assert calls == [0]


def test_the_header_again_starts_a_new_table() -> None:
    text = "名称　分野\nA　バイオ\n名称　分野\nB　IT\n"
    tables = spaced.spaced_tables(text, ["名称"])
    assert [_texts(t) for t in tables] == [[["名称", "分野"], ["A", "バイオ"]], [["名称", "分野"], ["B", "IT"]]]


def test_a_heading_under_a_row_is_no_wrapped_cell() -> None:
    text = "名称　分野\nA　バイオ\n【東北地域】\nB　IT\n"
    (table,) = spaced.spaced_tables(text, ["名称"])
    assert _texts(table) == [["名称", "分野"], ["A", "バイオ"]]


def test_without_wrapped_cells_a_one_cell_line_ends_the_table() -> None:
    text = "名称　分野\nA　バイオ\n地域拠点\nB　IT\n"
    (table,) = spaced.spaced_tables(text, ["名称"], wrapped_cells=False)
    assert _texts(table) == [["名称", "分野"], ["A", "バイオ"]]


def test_a_heading_inside_the_table_is_a_section_row_when_asked() -> None:
    text = ("拠点名　自治体　大学\n【グローバル型】\nA拠点　北海道　北海道大学\n【地域型】\nB拠点　富山県　富山大学\n"
            "【次の表】\n")
    rows = [[c.text for c in row] for row in spaced.spaced_rows(text, 0, wrapped_cells=False, section_rows=True)]
    assert rows == [["拠点名", "自治体", "大学"], ["【グローバル型】"], ["A拠点", "北海道", "北海道大学"],
                    ["【地域型】"], ["B拠点", "富山県", "富山大学"]]  # the heading after the last row is not kept
    assert len(spaced.spaced_rows(text, 0, wrapped_cells=False)) == 1  # not asked: the heading ends the table


def test_a_new_page_ends_the_table() -> None:
    text = "名称　分野\nA　バイオ\n\f表2　その他\nB　IT\n\f名称　分野\nC　環境\n"
    tables = spaced.spaced_tables(text, ["名称"])
    assert [_texts(t) for t in tables] == [[["名称", "分野"], ["A", "バイオ"]], [["名称", "分野"], ["C", "環境"]]]


def test_a_row_going_on_under_an_empty_first_column_and_its_lines_of_one_name() -> None:
    """As pdftotext -layout prints a ruled table with no blank line between rows: the line under a row that
    leaves the first column empty goes on with that row, and a column's line ending two glyphs or more short
    of the column's width is a line of its own (Cell.breaks: the reader of the cell decides, a hub's name
    broken by hand staying one name); the last column's longest line is no such line."""
    text = ("拠点名         自治体   大学等        参画機関\n"
            "しずおか光未来拠点   静岡県   静岡大学       浜松商工会議所\n"
            "            浜松市   浜松医科大学     光産業創成大学院大学\n"
            "くまもと半導体     熊本県   熊本大学       熊本県工業連合会\n"
            "人材育成拠点      菊陽町   熊本高等専門学校\n")
    (table,) = spaced.spaced_tables(text, ["拠点名"], wrapped_cells=False, section_rows=True, aligned_blocks=True)
    rows = [[(c.text, c.breaks) for c in row] for row in table.rows[1:]]
    assert rows == [
        [("しずおか光未来拠点", ()), ("静岡県浜松市", (3,)), ("静岡大学浜松医科大学", (4,)),
         ("浜松商工会議所光産業創成大学院大学", (7,))],
        [("くまもと半導体人材育成拠点", (7,)), ("熊本県菊陽町", (3,)), ("熊本大学熊本高等専門学校", (4,)),
         ("熊本県工業連合会", ())]]
