"""history/report.html: budget lines and project counts over the years, renames, changes and warnings.

Charts are Altair (Vega-Lite) specifications rendered to inline SVG by vl-convert, so the page needs
no script and no network; the page is a Jinja2 template with autoescaping.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

OKU = 100_000_000


def _read(folder: Path, name: str) -> list[dict[str, str]]:
    with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _svg(chart: Any) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(chart.to_json())


def _line_chart(rows: list[dict[str, Any]], value: str, title: str) -> Any:
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame(rows, columns=["fiscal_year", "name", value])
    return (
        alt.Chart(frame, title=title)
        .mark_line(point=True)
        .encode(
            x=alt.X("fiscal_year:O", title="fiscal year"),
            y=alt.Y(f"{value}:Q", title=value),
            color=alt.Color("name:N", title=None, sort="ascending"),
            tooltip=["name:N", "fiscal_year:O", f"{value}:Q"],
        )
        .properties(width=560, height=300)
    )


def report_context(folder: Path) -> dict[str, Any]:
    """What the page shows, read from a history folder."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    editions = package["pipeline"]["editions"]
    names = {e["id"]: e["name"] for e in _read(folder, "entities")}
    budget = [{"fiscal_year": int(r["fiscal_year"]), "name": names[r["id"]],
               "amount_oku": int(r["amount_yen"]) / OKU}
              for r in _read(folder, "budget_history") if r["amount_yen"]]
    projects = _read(folder, "projects_history")
    counts = {col: [{"fiscal_year": int(r["fiscal_year"]), "name": names[r["id"]], col: int(r[col])}
                    for r in projects if r[col]] for col in ("companies", "universities")}
    charts = [
        {"id": "budget", "title": "Budget lines (億円), by the line's latest name",
         "svg": _svg(_line_chart(budget, "amount_oku", "budget (億円)"))},
        {"id": "companies", "title": "Companies per project",
         "svg": _svg(_line_chart(counts["companies"], "companies", "companies"))},
        {"id": "universities", "title": "Universities per project",
         "svg": _svg(_line_chart(counts["universities"], "universities", "universities"))},
    ]
    aliases = {(a["id"], a["edition"]): a["name"] for a in _read(folder, "aliases")}
    changes = [c | {"name": aliases.get((c["id"], c["edition_after"]))
                    or aliases.get((c["id"], c["edition_before"]), "")} for c in _read(folder, "changes")]
    return {
        "editions": editions,
        "first_year": editions[0]["fiscal_year"] if editions else "",
        "last_year": editions[-1]["fiscal_year"] if editions else "",
        "charts": charts,
        "renames": [r for r in _read(folder, "links") if r["name_before"] != r["name_after"]],
        "changes": changes,
        "warnings": _read(folder, "warnings"),
    }


def render_report(folder: str | Path) -> str:
    """The report page of a history folder, as HTML text."""
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("pipeline.history", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True))
    return env.get_template("report.html.j2").render(**report_context(Path(folder)))


def write_report(folder: str | Path) -> Path:
    """Write ``folder/report.html`` (atomically: a temporary file renamed into place)."""
    import os
    import tempfile

    folder = Path(folder)
    html = render_report(folder)
    fd, tmp = tempfile.mkstemp(prefix=".report.html.", dir=folder)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(html)
        os.chmod(tmp, 0o644)  # mkstemp makes it private; the page is for reading
        os.replace(tmp, folder / "report.html")
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return folder / "report.html"
