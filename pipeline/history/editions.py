"""The editions a history is built from: output folders, each read once and dated by its fiscal year."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipeline.audit.diff import doc_dirs, is_doc_dir

HISTORY_INPUT_TABLES = ("projects", "budget", "hubs", "events", "organizations")
# A heading is a short line without a sentence end; the fiscal year it names dates a document that has
# no budget section.
HEADING_MAX_CHARS = 60
_FISCAL_YEAR = re.compile(r"^(\d{4})-04-01/(\d{4})-03-31$")

Row = dict[str, Any]


class HistoryError(Exception):
    """Editions that cannot make one history; the message names the folder and the problem."""


@dataclass
class Edition:
    """One edition: a document's output folder, the fiscal year it covers, and its rows."""

    doc: str
    path: Path
    fiscal_year: int
    tables: dict[str, list[Row]]


def _rows(doc_dir: Path, table: str) -> list[Row]:
    import pandas as pd

    from pipeline.outputs.write import read_table

    frame = read_table(doc_dir, table)
    return [{k: (None if v is pd.NA or (isinstance(v, float) and pd.isna(v)) else v) for k, v in r.items()}
            for r in frame.astype(object).to_dict("records")]


def _heading_fiscal_year(doc_dir: Path) -> int | None:
    """The latest single fiscal year named in a heading line of source.txt, from mentions.csv."""
    from pipeline.outputs.write import read_table

    source = doc_dir / "source.txt"
    if not source.is_file():
        return None
    lines = source.read_text(encoding="utf-8").split("\n")
    mentions = read_table(doc_dir, "mentions")
    years = []
    for r in mentions[mentions["kind"] == "period"].itertuples():
        m = _FISCAL_YEAR.match(str(r.value))
        if not m or int(m[2]) != int(m[1]) + 1 or r.line is None or not 0 < int(r.line) <= len(lines):
            continue
        text = lines[int(r.line) - 1].strip()
        if len(text) <= HEADING_MAX_CHARS and "。" not in text:
            years.append(int(m[1]))
    return max(years) if years else None


def fiscal_year_of(doc_dir: Path, budget: list[Row]) -> int:
    """The fiscal year a document covers: its budget section's, else the latest one a heading names."""
    years = [int(r["fiscal_year"]) for r in budget if r.get("fiscal_year") is not None]
    if years:
        return max(years)
    year = _heading_fiscal_year(doc_dir)
    if year is None:
        raise HistoryError(f"{doc_dir}: no fiscal year (no budget section and no heading naming one)")
    return year


def read_edition(doc_dir: Path) -> Edition:
    """One output folder as an :class:`Edition`."""
    tables = {t: _rows(doc_dir, t) for t in HISTORY_INPUT_TABLES}
    year = fiscal_year_of(doc_dir, tables["budget"])
    # A brochure may print an earlier year's overview beside its own: the edition's lines are its year's.
    tables["budget"] = [r for r in tables["budget"] if r.get("fiscal_year") in (None, year)]
    return Edition(doc=doc_dir.name, path=doc_dir, fiscal_year=year, tables=tables)


def read_editions(dirs: list[str | Path]) -> list[Edition]:
    """The editions in ``dirs`` (document folders, or folders of them), ordered by fiscal year."""
    folders: list[Path] = []
    for d in dirs:
        p = Path(d)
        if not p.is_dir():
            raise HistoryError(f"{p}: no such output folder")
        found = [p] if is_doc_dir(p) else list(doc_dirs(p).values())
        if not found:
            raise HistoryError(f"{p}: holds no document output folder")
        folders.extend(found)
    editions = [read_edition(f) for f in folders]
    by_year: dict[int, Edition] = {}
    for ed in editions:
        if ed.fiscal_year in by_year:
            raise HistoryError(f"{by_year[ed.fiscal_year].path} and {ed.path} both cover FY{ed.fiscal_year}")
        by_year[ed.fiscal_year] = ed
    if len({ed.doc for ed in editions}) != len(editions):
        raise HistoryError("two editions share a document id: " + ", ".join(str(f) for f in folders))
    return [by_year[y] for y in sorted(by_year)]
