"""A text file of comma-separated rows (a spreadsheet saved as CSV, or pasted from one) reads as a table: each
block of such rows is written into ``source.txt`` as tab-separated cells, quotes gone, with a
``text_csv_rows`` warning; prose and spaced tables holding commas are left as they are."""

from __future__ import annotations

from pathlib import Path

import pipeline
from pipeline.readers.ingest import csv_rows_as_cells

from .conftest import RULES


def _rows(result: pipeline.Result, table: str, cols: list[str]) -> list[list[object]]:
    return result.tables[table][cols].astype(str).values.tolist()


def test_quoted_and_bare_fields_become_cells_and_a_quoted_thousands_separator_stays_in_its_figure() -> None:
    text = ('"地域","プロジェクト名","参加企業数","参加大学数"\n'
            '"北海道","とかち食農クラスター","1,072","5"\n'
            '四国,えひめ紙産業クラスター,41,2\n')
    out, notes = csv_rows_as_cells(text)
    assert out.split("\n")[:3] == ["地域\tプロジェクト名\t参加企業数\t参加大学数",
                                   "北海道\tとかち食農クラスター\t1,072\t5", "四国\tえひめ紙産業クラスター\t41\t2"]
    assert notes == [(1, "text_csv_rows", "lines 1-3: comma-separated rows read as a table's cells (4 a row)")]
    r = pipeline.extract_text(text, rules_dir=RULES)
    assert _rows(r, "projects", ["region", "name", "companies", "universities"]) == [
        ["北海道", "とかち食農クラスター", "1072", "5"], ["四国", "えひめ紙産業クラスター", "41", "2"]]
    assert "text_csv_rows" in set(r.tables["warnings"]["code"])


def test_a_csv_file_of_hubs_and_one_of_budget_lines_read_as_their_tables(tmp_path: Path) -> None:
    hubs = tmp_path / "hubs.txt"
    hubs.write_bytes('拠点名,提案自治体,提案大学等,経済団体等\r\nさっぽろ未来食拠点,"北海道、札幌市",北海道大学,'
                     '札幌商工会議所\r\nせんだい防災拠点,宮城県、仙台市,東北大学,仙台商工会議所\r\n'.encode("cp932"))
    r = pipeline.extract(hubs, rules_dir=RULES)
    assert _rows(r, "hubs", ["name", "municipalities", "universities", "partners"]) == [
        ["さっぽろ未来食拠点", "北海道;札幌市", "北海道大学", "札幌商工会議所"],
        ["せんだい防災拠点", "宮城県;仙台市", "東北大学", "仙台商工会議所"]]
    budget = ("令和６年度　地域科学技術関係予算（文部科学省）\n（単位：百万円）\n事業名,令和5年度,令和6年度\n"
              '共創の場形成支援プログラム,"13,800","14,200"\n地域中核研究大学強化促進事業,"4,300","5,000"\n')
    r = pipeline.extract_text(budget, rules_dir=RULES)
    assert _rows(r, "budget", ["item", "amount_yen"]) == [
        ["共創の場形成支援プログラム", "14200000000"], ["地域中核研究大学強化促進事業", "5000000000"]]


def test_prose_and_spaced_tables_with_commas_and_a_lone_row_are_left_as_they_are() -> None:
    for text in (
        "予算額は1,234,567千円である。\n前年度は1,100,000千円であった。\n",  # sentences
        "地域イノベーション推進事業　　1,200　　1,050\n産学連携人材育成事業　　　　350　　　420\n",  # a spaced table
        "地域イノベーション推進事業  1,200  1,050\n産学連携人材育成事業  1,350  1,420\n",
        "北海道,とかち食農クラスター,72,5\n",  # one row alone
        "Sapporo, Hokkaido, Japan\nSendai, Miyagi, Japan\n",  # no Japanese
    ):
        assert csv_rows_as_cells(text) == (text, []), text
