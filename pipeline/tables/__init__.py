"""The table registry with the built-in tables, in output order.

Each table module declares its :class:`~pipeline.core.schema.Table` once (columns, key, builder, rules
file, rule ids, rename columns); this package registers them, so importing ``pipeline.tables`` gives
the full :data:`TABLES`. A new table is one module with a ``TABLE`` plus its rules file, registered here
(or, for a plug-in, by calling :func:`register` itself).
"""

from __future__ import annotations

from pipeline.core.schema import TABLES, Table, claimed_rule_ids, content_tables, register, unregister
from pipeline.tables import budget, events, findings, hubs, projects

for _table in (
    findings.MENTIONS,
    projects.TABLE,
    budget.TABLE,
    hubs.TABLE,
    events.TABLE,
    findings.ORGANIZATIONS,
    findings.WARNINGS,
):
    register(_table)

__all__ = ["TABLES", "Table", "claimed_rule_ids", "content_tables", "register", "unregister"]
