"""The tables the engine fills from its findings rather than a builder: mentions, organizations, warnings."""

from __future__ import annotations

from pipeline.core.schema import BOOLEAN, DOC, INTEGER, LINE, STRING, Table, column

MENTIONS = Table(
    "mentions",
    "Every atomic thing found in the text, one row each.",
    (
        DOC,
        column("kind", STRING, "amount, count, date, period, organization, place, project or event.", True,
               enum=("amount", "count", "date", "period", "organization", "place", "project", "event")),
        column("text", STRING, "Exactly source.txt[start:end].", True),
        column(
            "value",
            STRING,
            "Normalised value: integer yen, integer count, ISO date or START/END period, "
            "or the canonical name.",
        ),
        column("unit", STRING, "JPY for amounts; the counter (社, 大学, 機関...) for counts."),
        column("approx", BOOLEAN, "True where an approximation (約, およそ, 程度, 余り, 強, 弱...) qualifies "
               "the number; a bound (以上, 超) is not an approximation."),
        column("page", INTEGER, "1-based page (PDF page or form-feed separated page)."),
        LINE,
        column("start", INTEGER, "Character offset in source.txt where the text starts.", True),
        column("end", INTEGER, "Character offset in source.txt where the text ends.", True),
        column("rule", STRING, "Id of the rule that produced the row (a key in rules/)."),
        column("ocr", BOOLEAN, "True where the text was read by OCR (a scanned page, or a picture of text on a "
               "page; pipeline run --ocr)."),
        column("bound", STRING, "For a figure that is a limit: >= (以上), > (超, を超える), <= (以下), "
               "< (未満); empty otherwise."),
    ),
    ("kind", "start", "end"),
    detail=True,
)

ORGANIZATIONS = Table(
    "organizations",
    "One row per distinct organisation named.",
    (
        DOC,
        column("name", STRING, "Canonical name (legal form spelled out).", True),
        column("type", STRING, "university, company, government, research, association, municipality or other.",
               enum=("university", "company", "government", "research", "association", "municipality", "other")),
        column("mentions", INTEGER, "How many mentions name it."),
        column("first_line", INTEGER, "Line of the first mention."),
    ),
    ("name",),
)

WARNINGS = Table(
    "warnings",
    "What the audit found.",
    (
        DOC,
        LINE,
        column("code", STRING, "Machine-readable warning code.", True),
        column("message", STRING, "What is wrong, for a person."),
        column("page", INTEGER, "1-based page the warning is about (PDF page or form-feed separated page)."),
    ),
    ("line", "code", "message"),
    compared=False,
)
