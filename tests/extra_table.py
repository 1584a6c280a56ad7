"""A table that exists only for tests: one row per fiscal year the text mentions.

It is declared the way a new table module of the package would be (one ``Table`` with its columns,
key, builder and rules file) and registered by ``tests/test_registry.py``; nothing else in the
package names it.
"""

from __future__ import annotations

import re
from typing import Any

from pipeline.core.document import Document
from pipeline.core.schema import DOC, INTEGER, Table, column


def build(doc: Document) -> list[dict[str, Any]]:
    """Fiscal years in order of first mention, those mentioned at least ``min_mentions`` times."""
    cfg = doc.rules.get("fiscal_years")
    rows: dict[int, dict[str, Any]] = {}
    for m in doc.mentions:
        if m.kind != "period" or m.rule != "period.fiscal_year":
            continue
        year = int(re.match(r"\d{4}", m.value).group())  # type: ignore[union-attr]
        row = rows.setdefault(year, {"fiscal_year": year, "mentions": 0, "first_line": doc.line_of(m.start)})
        row["mentions"] += 1
    return [r for r in rows.values() if r["mentions"] >= cfg["min_mentions"]]


TABLE = Table(
    "fiscal_years",
    "One row per fiscal year the document mentions.",
    (
        DOC,
        column("fiscal_year", INTEGER, "Western year the fiscal year starts in.", True),
        column("mentions", INTEGER, "How many fiscal-year mentions name it."),
        column("first_line", INTEGER, "Line of the first mention."),
    ),
    ("fiscal_year",),
    builder=build,
    rules_file="fiscal_years",
    rule_keys={"min_mentions": int},
)
