"""The history tables, declared once: CSV headers, datapackage.json and the database read them here."""

from __future__ import annotations

from pipeline.core.schema import INTEGER, NUMBER, STRING, TABLES, Column, Table
from pipeline.core.schema import column as _c
from pipeline.tables import budget, hubs, projects  # noqa: F401  (registers the tables read below)


def _same_as(table: str, *names: str) -> tuple[Column, ...]:
    """The per-document table's own declarations of these columns (one description, one type)."""
    return tuple(TABLES[table].column(n) for n in names)


ID = _c("id", STRING, "Stable entity id: the table and a hash of the entity's key in its first edition.", True)
EDITION = _c("edition", STRING, "Document id of the edition (its output folder's name).", True)
FISCAL_YEAR = _c("fiscal_year", INTEGER, "Western fiscal year the edition covers.", True)

HISTORY_TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table("entities", "One row per thing followed over the editions.", (
            ID,
            _c("table", STRING, "The per-document table its rows come from.", True),
            _c("name", STRING, "Canonical name: the name as written in the latest edition it is in.", True),
            _c("first_edition", STRING, "First edition it is in."),
            _c("last_edition", STRING, "Last edition it is in."),
            _c("first_fiscal_year", INTEGER, "Fiscal year of the first edition."),
            _c("last_fiscal_year", INTEGER, "Fiscal year of the last edition."),
            _c("editions", INTEGER, "How many editions it is in."),
        ), ("id",)),
        Table("aliases", "Every name an entity is written with, per edition.", (
            ID, _c("name", STRING, "The name as written in that edition.", True), EDITION, FISCAL_YEAR,
        ), ("id", "edition")),
        Table("links", "Each join of an entity's rows in two editions, with the rule and score that made it.", (
            ID,
            _c("table", STRING, "The per-document table.", True),
            _c("edition_before", STRING, "The earlier edition.", True),
            _c("edition_after", STRING, "The later edition.", True),
            _c("name_before", STRING, "Name as written in the earlier edition."),
            _c("name_after", STRING, "Name as written in the later edition."),
            _c("rule", STRING, "key.exact, key.alias, event.series, entities.same, rename.name or rename.children.",
               True),
            _c("score", NUMBER, "1 for keys and rules; the detector's likeness for renames."),
        ), ("id", "edition_after")),
        Table("projects_history", "One row per project per edition.", (
            ID, EDITION, FISCAL_YEAR,
            _c("name", STRING, "Name as written in that edition."),
            *_same_as("projects", "region", "fields", "companies", "companies_approx", "universities",
                      "universities_approx", "ended_fy"),
        ), ("id", "edition")),
        Table("budget_history", "One row per budget line per edition.", (
            ID, EDITION, FISCAL_YEAR,
            _c("ministry", STRING, "Ministry the line belongs to in that edition."),
            _c("item", STRING, "Item as written in that edition."),
            _c("parent_id", STRING, "Entity id of its parent line in that edition; empty for a ministry total."),
            *_same_as("budget", "amount_yen", "children_sum_yen", "sum_check"),
        ), ("id", "edition")),
        Table("hubs_history", "One row per hub per edition.", (
            ID, EDITION, FISCAL_YEAR,
            _c("name", STRING, "Name as written in that edition."),
            *_same_as("hubs", "category", "municipalities", "universities", "partners"),
        ), ("id", "edition")),
        Table("events_history", "One row per event per edition (a series such as 第8回, 第9回 is one entity).", (
            ID, EDITION, FISCAL_YEAR,
            _c("name", STRING, "Name as written in that edition."),
            _c("start_date", STRING, "First day (ISO)."),
            _c("end_date", STRING, "Last day (ISO)."),
            _c("venue", STRING, "Venue as printed."),
        ), ("id", "edition")),
        Table("changes", "What changed between consecutive editions, entity by entity.", (
            _c("edition_before", STRING, "The earlier edition.", True),
            _c("edition_after", STRING, "The later edition.", True),
            _c("table", STRING, "The per-document table.", True),
            ID,
            _c("change", STRING, "added, removed, renamed or changed.", True),
            _c("columns", STRING, "The columns that changed (';'-joined), for changed."),
            _c("before", STRING, "The values before (name for renamed), ';'-joined in column order."),
            _c("after", STRING, "The values after, ';'-joined in column order."),
        ), ("edition_after", "table", "id", "change")),
        Table("warnings", "Links a person should look at.", (
            _c("table", STRING, "The per-document table.", True),
            EDITION,
            _c("name", STRING, "Name as written in that edition."),
            _c("code", STRING, "history_possible_rename or history_rule_unused.", True),
            _c("message", STRING, "What to look at, for a person."),
        ), ("table", "edition", "name", "code")),
    )
}
