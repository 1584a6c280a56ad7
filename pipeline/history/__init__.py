"""Many editions, one history: entities linked across editions, long tables, changes (``pipeline history``)."""

from __future__ import annotations

import argparse
import sys

from pipeline.history.build import History, build_history, write_history

__all__ = ["History", "build_history", "command", "write_history"]


def command(ns: argparse.Namespace) -> int:
    """``pipeline history DIR... [--out DIR] [--rules DIR]``: write the history folder."""
    history = build_history(ns.dirs, ns.rules)
    out = write_history(history, ns.out, ns.rules)
    if getattr(ns, "report", False):
        from pipeline.history.report import write_report

        write_report(out)
    counts = {t: sum(1 for e in history.tables["entities"] if e["table"] == t) for t in ("projects", "budget")}
    print(f"{out}: {len(history.editions)} editions "
          f"(FY{history.editions[0].fiscal_year}-FY{history.editions[-1].fiscal_year}), "
          f"{counts['projects']} projects, {counts['budget']} budget lines, "
          f"{len(history.tables['changes'])} changes, {len(history.tables['warnings'])} warnings",
          file=sys.stderr)
    return 0
