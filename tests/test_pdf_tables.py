"""A PDF rendering of the seed (overprinted headings, page-number footers, the hub list as a ruled
table) yields the same tables as the text edition, and its mentions carry PDF page numbers."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipeline

from .conftest import RULES

fixtures = pytest.importorskip("tests.make_pdf_fixtures", reason="reportlab is needed to draw the PDF")

COLUMNS = {
    "projects": ["region", "name", "fields", "companies", "companies_approx", "universities", "ended_fy"],
    "budget": ["fiscal_year", "ministry", "item", "parent", "amount_yen", "children_sum_yen", "sum_check"],
    "hubs": ["category", "name", "municipalities", "universities", "partners"],
    "events": ["name", "start_date", "end_date", "venue"],
}


@pytest.fixture(scope="module")
def pdf_result(tmp_path_factory: pytest.TempPathFactory):
    path = Path(tmp_path_factory.mktemp("pdf")) / "chiiki-cluster-h21.pdf"
    fixtures.make_seed_pdf(path)
    return pipeline.extract(path, rules_dir=RULES)


@pytest.mark.parametrize("table", list(COLUMNS))
def test_pdf_tables_equal_text_tables(pdf_result, seed_result, table: str) -> None:
    cols = COLUMNS[table]
    got = pdf_result.tables[table][cols].sort_values(cols[:2]).reset_index(drop=True)
    want = seed_result.tables[table][cols].sort_values(cols[:2]).reset_index(drop=True)
    pd.testing.assert_frame_equal(got, want)


def test_pdf_hubs_come_from_the_ruled_table(pdf_result) -> None:
    assert pdf_result.input.ruled_tables
    hub_orgs = pdf_result.tables["mentions"].query("rule == 'hub.cell'")
    table_page = pdf_result.input.ruled_tables[0].page
    assert set(hub_orgs["page"]) == {table_page}
    text = pdf_result.source
    for r in hub_orgs.itertuples():
        assert text[r.start : r.end] == r.text


def test_pdf_mentions_carry_pages(pdf_result) -> None:
    m = pdf_result.tables["mentions"]
    assert m["page"].min() == 1 and m["page"].max() == len(pdf_result.input.page_starts)
    budget_total = m[(m.kind == "amount") & (m.value == "13400000000")]
    assert len(budget_total) == 1 and int(budget_total["page"].iloc[0]) > 1
