"""The one declaration of every output table.

The CSV writer, ``datapackage.json``, the database DDL and table validation all read this module,
so a column is added in exactly one place.
"""

from __future__ import annotations

from dataclasses import dataclass

# Frictionless Table Schema field types used here.
STRING, INTEGER, BOOLEAN, DATE, NUMBER = "string", "integer", "boolean", "date", "number"

# Columns that say where a value came from; they never make a row "changed" in a diff.
PROVENANCE = ("doc", "page", "line", "start", "end", "rule", "first_line")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(f"{self.name} has no column {name!r}")


def _c(name: str, type_: str, description: str, required: bool = False) -> Column:
    return Column(name, type_, description, required)


DOC = _c("doc", STRING, "Document id: the input file's stem.", True)
LINE = _c("line", INTEGER, "1-based line in source.txt where the row's text starts.")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "mentions",
            "Every atomic thing found in the text, one row each.",
            (
                DOC,
                _c("kind", STRING, "amount, count, date, period, organization, place, project or event.", True),
                _c("text", STRING, "Exactly source.txt[start:end].", True),
                _c(
                    "value",
                    STRING,
                    "Normalised value: integer yen, integer count, ISO date or START/END period, "
                    "or the canonical name.",
                ),
                _c("unit", STRING, "JPY for amounts; the counter (社, 大学, 機関...) for counts."),
                _c("approx", BOOLEAN, "True where an approximation (約, およそ, 程度, 余り, 強, 弱...) qualifies "
                   "the number; a bound (以上, 超) is not an approximation."),
                _c("page", INTEGER, "1-based page (PDF page or form-feed separated page)."),
                LINE,
                _c("start", INTEGER, "Character offset in source.txt where the text starts.", True),
                _c("end", INTEGER, "Character offset in source.txt where the text ends.", True),
                _c("rule", STRING, "Id of the rule that produced the row (a key in rules/)."),
                _c("bound", STRING, "For a figure that is a limit: >= (以上), > (超, を超える), <= (以下), "
                   "< (未満); empty otherwise."),
            ),
            ("kind", "start", "end"),
        ),
        Table(
            "projects",
            "One row per regional cluster project listed in the document.",
            (
                DOC,
                _c("region", STRING, "One of the nine regional blocks (北海道 ... 沖縄)."),
                _c("name", STRING, "Project name, NFKC, layout spaces and line breaks removed.", True),
                _c("aliases", STRING, "Other names (English names printed with it), ';'-joined."),
                _c("fields", STRING, "Fields of activity without the word 分野, ';'-joined."),
                _c("companies", INTEGER, "Number of companies taking part."),
                _c("companies_approx", BOOLEAN, "True where the company count is approximate (約)."),
                _c("universities", INTEGER, "Number of universities taking part."),
                _c("universities_approx", BOOLEAN, "True where the university count is approximate."),
                _c("ended_fy", INTEGER, "Western fiscal year in which support ended, where a note says so."),
                LINE,
            ),
            ("name",),
        ),
        Table(
            "budget",
            "One row per budget line, ministry totals included.",
            (
                DOC,
                _c("fiscal_year", INTEGER, "Western fiscal year the budget is for."),
                _c("ministry", STRING, "Ministry the line belongs to."),
                _c("item", STRING, "Budget line name as printed (NFKC); a ministry total is named after it.", True),
                _c("parent", STRING, "Parent item; empty for a ministry total."),
                _c("amount_yen", INTEGER, "Amount in yen."),
                _c("children_sum_yen", INTEGER, "Sum of the children's amounts, where the item has children."),
                _c("sum_check", STRING, "ok or mismatch where the item has children, empty otherwise."),
                LINE,
            ),
            ("ministry", "item"),
        ),
        Table(
            "hubs",
            "One row per selected industry-academia-government hub (拠点).",
            (
                DOC,
                _c("category", STRING, "Hub category (地域中核産学官連携拠点, グローバル産学官連携拠点...)."),
                _c("name", STRING, "Hub name.", True),
                _c("municipalities", STRING, "Proposing local governments, ';'-joined."),
                _c("universities", STRING, "Proposing universities, ';'-joined."),
                _c("partners", STRING, "Proposing companies, associations and chambers, ';'-joined."),
                LINE,
            ),
            ("name",),
        ),
        Table(
            "events",
            "One row per dated event.",
            (
                DOC,
                _c("name", STRING, "Event name.", True),
                _c("start_date", DATE, "First day."),
                _c("end_date", DATE, "Last day (the start date for a one-day event)."),
                _c("venue", STRING, "Venue as printed."),
                LINE,
            ),
            ("name",),
        ),
        Table(
            "organizations",
            "One row per distinct organisation named.",
            (
                DOC,
                _c("name", STRING, "Canonical name (legal form spelled out).", True),
                _c("type", STRING, "university, company, government, research, association, municipality or other."),
                _c("mentions", INTEGER, "How many mentions name it."),
                _c("first_line", INTEGER, "Line of the first mention."),
            ),
            ("name",),
        ),
        Table(
            "warnings",
            "What the audit found.",
            (
                DOC,
                LINE,
                _c("code", STRING, "Machine-readable warning code.", True),
                _c("message", STRING, "What is wrong, for a person."),
            ),
            ("line", "code", "message"),
        ),
    )
}

# Tables that `pipeline diff` and `pipeline check` compare, in report order.
CONTENT_TABLES = ("projects", "budget", "hubs", "events", "organizations", "mentions")
