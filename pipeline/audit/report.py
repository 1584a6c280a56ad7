"""``DIR/report.html``: one self-contained page to audit a document's output.

The source text with every mention highlighted by kind, each a link to its row in the mentions table
(and every row a link back); the tables, whose rows link to their source line; the audit warnings; and,
given an older output folder, the edition diff. Inline CSS and a few lines of inline JS, no network,
no timestamps: the same output folder always gives the same file.

displacy is not used here: its templates cannot carry a per-mention link and id, which this page needs.
Overlapping mentions are not nested (an ``<a>`` inside an ``<a>`` is not valid HTML): of two that overlap,
the one starting first (the longer one at the same start) is highlighted, and the other is marked by an
empty anchor ``#m-N`` at its start, so that every mention row still links back to its place in the text.
"""

from __future__ import annotations

import html
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pipeline.audit import diff as differ
from pipeline.tables import TABLES, content_tables

if TYPE_CHECKING:
    import argparse

    import pandas as pd

log = logging.getLogger(__name__)

REPORT_NAME = "report.html"

# Colour of each mention kind (schema: mentions.kind); anything else is grey.
KIND_COLOURS = {
    "amount": "#ffd8a8",
    "count": "#b2f2bb",
    "date": "#a5d8ff",
    "period": "#d0bfff",
    "organization": "#ffc9c9",
    "place": "#96f2d7",
    "project": "#ffec99",
    "event": "#fcc2d7",
}
OTHER_COLOUR = "#dee2e6"

# Tables in page order; each row links to its source line through these columns.
LINE_COLUMNS = ("line", "first_line")
# Cells longer than this wrap; shorter ones stay on one line.
LONG_CELL = 30


@dataclass(frozen=True)
class Mark:
    """One mention to place in the text: its 1-based row number in mentions.csv and its span."""

    n: int
    start: int
    end: int
    kind: str
    value: str
    text: str


@dataclass(frozen=True)
class Layout:
    """Which mentions are highlighted, and which sit inside (or across) a highlighted one."""

    shown: list[Mark]
    hidden: list[Mark]  # inside or across a highlighted mention: an empty anchor marks their start
    inside: dict[int, int]  # hidden mention -> the highlighted mention that covers its start
    outside: list[Mark]  # offsets not within source.txt: nothing to point at


def kind_class(kind: str) -> str:
    """CSS class of a mention kind (``k-amount``); unknown kinds share ``k-other``."""
    return f"k-{kind}" if kind in KIND_COLOURS else "k-other"


def _int(value: Any) -> int | None:
    value = differ.json_value(value)
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str:
    value = differ.json_value(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def mention_marks(mentions: pd.DataFrame) -> list[Mark]:
    """The mentions as marks, numbered by their row in mentions.csv (1-based)."""
    marks = []
    for n, row in enumerate(differ.frame_rows(mentions), start=1):
        start, end = _int(row.get("start")), _int(row.get("end"))
        marks.append(
            Mark(
                n=n,
                start=-1 if start is None else start,
                end=-1 if end is None else end,
                kind=_text(row.get("kind")),
                value=_text(row.get("value")),
                text=_text(row.get("text")),
            )
        )
    return marks


def layout_mentions(marks: list[Mark], text_length: int) -> Layout:
    """Choose the highlighted mentions: no two overlap; earlier start, then longer span, then row wins."""
    valid = [m for m in marks if 0 <= m.start < m.end <= text_length]
    outside = [m for m in marks if not 0 <= m.start < m.end <= text_length]
    shown: list[Mark] = []
    hidden: list[Mark] = []
    inside: dict[int, int] = {}
    for mark in sorted(valid, key=lambda m: (m.start, -m.end, m.n)):
        # Highlighted marks never overlap and come in order, so only the last can overlap this one.
        if shown and mark.start < shown[-1].end:
            hidden.append(mark)
            inside[mark.n] = shown[-1].n
        else:
            shown.append(mark)
    return Layout(shown=shown, hidden=hidden, inside=inside, outside=outside)


def line_starts(text: str) -> list[int]:
    """Offset where each line of ``text`` starts (line 1 at offset 0)."""
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\n" and i + 1 < len(text))
    return starts


def _escape_text(text: str) -> str:
    return html.escape(text, quote=False).replace("\f", '<span class="pagebreak"></span>')


def render_source(text: str, layout: Layout) -> str:
    """The source text as a ``<pre>``: line anchors ``L1``…, highlighted mentions and hidden anchors."""
    starts = line_starts(text)
    line_at = {offset: number for number, offset in enumerate(starts, start=1)}
    opens = {m.start: m for m in layout.shown}
    closes = {m.end for m in layout.shown}
    anchors: dict[int, list[int]] = {}
    for mark in layout.hidden:
        anchors.setdefault(mark.start, []).append(mark.n)
    points = sorted(set(line_at) | set(opens) | closes | set(anchors))
    out = ['<pre class="source">']
    pos = 0
    for point in points:
        out.append(_escape_text(text[pos:point]))
        pos = point
        if point in closes:
            out.append("</a>")
        if point in line_at:
            number = line_at[point]
            out.append(f'<span class="ln" id="L{number}" data-n="{number}"></span>')
        if point in opens:
            m = opens[point]
            title = f"{m.kind}: {m.value}" if m.value else m.kind
            out.append(
                f'<a class="m {kind_class(m.kind)}" id="m-{m.n}" href="#row-mentions-{m.n}" '
                f'title="{html.escape(title)}">'
            )
        for n in anchors.get(point, []):
            out.append(f'<span class="anchor" id="m-{n}"></span>')
    out.append(_escape_text(text[pos:]))
    out.append("</pre>")
    return "".join(out)


def _cell(value: Any) -> str:
    return html.escape(_text(value))


def _line_link(value: Any, line_count: int) -> str:
    line = _int(value)
    if line is None:
        return _cell(value)
    if 1 <= line <= line_count:
        return f'<a href="#L{line}">{line}</a>'
    return f'<span class="bad" title="not a line of source.txt">{line}</span>'


def render_table(
    name: str,
    frame: pd.DataFrame,
    line_count: int,
    *,
    layout: Layout | None = None,
    source_text: str = "",
) -> str:
    """One table as HTML; rows are ``row-<table>-N`` (1-based), line columns link to ``#L<line>``."""
    rows = differ.frame_rows(frame)
    columns = [c for c in TABLES[name].column_names if c != "doc"]
    columns += [c for c in (frame.columns if len(frame.columns) else []) if c not in columns and c != "doc"]
    is_mentions = name == "mentions"
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    parts = [
        f'<section class="table" id="t-{name}">'
        f"<h2>{html.escape(name)} <small>({len(rows)} rows)</small></h2>",
        f'<div class="scroll"><table class="data {name}"><thead><tr><th>#</th>{head}</tr></thead><tbody>',
    ]
    outside = {m.n for m in layout.outside} if layout else set()
    inside = layout.inside if layout else {}
    for n, row in enumerate(rows, start=1):
        cells = []
        for c in columns:
            if c in LINE_COLUMNS:
                cells.append(f"<td>{_line_link(row.get(c), line_count)}</td>")
            elif is_mentions and c == "kind":
                kind = _text(row.get(c))
                cells.append(f'<td><span class="k {kind_class(kind)}">{html.escape(kind)}</span></td>')
            else:
                value = _text(row.get(c))
                wide = ' class="long"' if len(value) > LONG_CELL else ""
                cells.append(f"<td{wide}>{html.escape(value)}</td>")
        if is_mentions:
            if n in outside:
                first = f'<span class="bad" title="offsets outside source.txt">{n}</span>'
            else:
                note = f' <small>in <a href="#m-{inside[n]}">m-{inside[n]}</a></small>' if n in inside else ""
                first = f'<a class="back" href="#m-{n}">m-{n}</a>{note}'
            start, end = _int(row.get("start")), _int(row.get("end"))
            if start is not None and end is not None and source_text[start:end] != _text(row.get("text")):
                first += ' <span class="bad" title="text is not source.txt[start:end]">≠</span>'
        else:
            first = str(n)
        parts.append(f'<tr id="row-{name}-{n}"><td class="n">{first}</td>{"".join(cells)}</tr>')
    parts.append("</tbody></table></div></section>")
    return "\n".join(parts)


def render_warnings(frame: pd.DataFrame, line_count: int) -> str:
    """The audit warnings as a list linking to their source lines."""
    rows = differ.frame_rows(frame)
    if not rows:
        return '<section id="warnings"><h2>warnings <small>(none)</small></h2></section>'
    items = []
    for n, row in enumerate(rows, start=1):
        items.append(
            f'<li id="row-warnings-{n}"><span class="code">{_cell(row.get("code"))}</span> '
            f"line {_line_link(row.get('line'), line_count)}: {_cell(row.get('message'))}</li>"
        )
    return (
        f'<section id="warnings"><h2>warnings <small>({len(rows)})</small></h2>'
        f'<ul class="warnings">{"".join(items)}</ul></section>'
    )


def render_legend(marks: list[Mark], layout: Layout) -> str:
    """The colour legend, with how many mentions of each kind there are; a click hides a kind."""
    totals: dict[str, int] = {}
    for m in marks:
        totals[m.kind] = totals.get(m.kind, 0) + 1
    kinds = [k for k in KIND_COLOURS if k in totals] + sorted(k for k in totals if k not in KIND_COLOURS)
    items = "".join(
        f'<li><button type="button" class="k {kind_class(k)}" data-kind="{html.escape(k)}" '
        f'title="show or hide">{html.escape(k)} <span class="count">{totals[k]}</span></button></li>'
        for k in kinds
    )
    notes = []
    if layout.inside:
        notes.append(f"{len(layout.inside)} inside or across another mention (not highlighted)")
    if layout.outside:
        notes.append(f"{len(layout.outside)} with offsets outside source.txt")
    note = f'<p class="note">{html.escape("; ".join(notes))}</p>' if notes else ""
    return f'<ul class="legend">{items}</ul>{note}'


def _provenance_html(doc_dir: Path) -> str:
    from pipeline.outputs.write import read_provenance

    prov = read_provenance(doc_dir)
    if not prov:
        return ""
    shown = []
    for key in ("version", "input", "encoding", "pages", "input_sha256", "rules_hash"):
        value = prov.get(key)
        if value in (None, ""):
            continue
        text = str(value)[:12] if key.endswith(("sha256", "hash")) else str(value)
        shown.append(f"{html.escape(key)} <code>{html.escape(text)}</code>")
    return f'<p class="prov">{" · ".join(shown)}</p>'


def _against_dir(against: Path, doc_dir: Path) -> Path:
    if differ.is_doc_dir(against):
        return against
    if differ.is_doc_dir(against / doc_dir.name):
        return against / doc_dir.name
    raise ValueError(f"{against}: not an output folder (nor a folder holding {doc_dir.name}/)")


CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, "Noto Sans CJK JP", "Hiragino Sans", "Yu Gothic", sans-serif;
  color: #212529; height: 100vh; display: flex; flex-direction: column; }
header { padding: .5em 1em; border-bottom: 1px solid #ced4da; background: #f8f9fa; }
header h1 { font-size: 1.2em; margin: 0; display: inline; }
header nav { display: inline; margin-left: 1em; }
header nav a { margin-right: .8em; }
.prov { margin: .2em 0 0; color: #495057; font-size: .85em; }
main { flex: 1; min-height: 0; display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.2fr); }
.pane { overflow: auto; padding: 0 1em 2em; }
#source-pane { border-right: 1px solid #ced4da; }
@media (max-width: 900px) { body { display: block; height: auto; } main { display: block; }
  .pane { overflow: visible; } }
h2 { font-size: 1.05em; margin: 1em 0 .3em; }
h2 small, h3 small { font-weight: normal; color: #6c757d; }
pre.source { white-space: pre-wrap; word-break: break-all; margin: 0; padding-left: 3.6em;
  font: 14px/1.7 ui-monospace, "Noto Sans Mono CJK JP", monospace; }
.ln::before { content: attr(data-n); display: inline-block; width: 3.6em; margin-left: -4.5em;
  padding-right: .9em; text-align: right; color: #adb5bd; font-size: .8em; user-select: none; }
.ln:target::before { color: #c92a2a; font-weight: bold; }
.pagebreak::before { content: "— page —"; color: #adb5bd; font-size: .8em; user-select: none; }
a.m { color: inherit; text-decoration: none; border-radius: 3px; padding: 0 1px; }
a.m:hover { outline: 1px solid #495057; }
a.m:target { outline: 2px solid #c92a2a; }
.anchor:target::before { content: "▸"; color: #c92a2a; }
.legend { list-style: none; padding: 0; margin: .6em 0; display: flex; flex-wrap: wrap; gap: .35em; }
.legend button { border: 1px solid #adb5bd; border-radius: 3px; font: inherit; cursor: pointer; }
.legend .count { color: #495057; font-size: .85em; }
.note { color: #6c757d; font-size: .85em; margin: 0 0 .6em; }
.scroll { overflow-x: auto; }
table.data { border-collapse: collapse; font-size: .9em; }
table.data th, table.data td { border: 1px solid #dee2e6; padding: .1em .4em; vertical-align: top; }
table.data th { background: #f1f3f5; position: sticky; top: 0; }
table.data td { white-space: nowrap; }
table.data td.long { white-space: normal; min-width: 20em; }
table.data td.n { color: #6c757d; }
tr:target, li:target { background: #fff3bf; outline: 2px solid #f59f00; }
.bad { color: #c92a2a; font-weight: bold; }
.warnings { padding-left: 1.2em; } .warnings .code { font-family: ui-monospace, monospace; color: #c92a2a; }
.k { border-radius: 3px; padding: 0 .3em; }
""".strip()

JS = """
document.querySelectorAll('.legend button').forEach(function (b) {
  b.addEventListener('click', function () {
    document.body.classList.toggle('hide-' + b.className.split(' ')[1]);
    b.classList.toggle('off');
  });
});
""".strip()


def _kind_css() -> str:
    rules = [f".{kind_class(k)} {{ background: {c}; }}" for k, c in KIND_COLOURS.items()]
    rules.append(f".k-other {{ background: {OTHER_COLOUR}; }}")
    rules += [f"body.hide-{kind_class(k)} a.m.{kind_class(k)} {{ background: none; }}" for k in KIND_COLOURS]
    rules.append("body.hide-k-other a.m.k-other { background: none; }")
    rules.append(".legend button.off { opacity: .4; text-decoration: line-through; }")
    return "\n".join(rules)


def render_report(doc_dir: str | Path, against: str | Path | None = None) -> str:
    """The report page of one document's output folder, as a string."""
    from pipeline.outputs.write import read_table

    folder = Path(doc_dir)
    source_path = folder / "source.txt"
    if not source_path.is_file():
        raise FileNotFoundError(f"{folder}: no source.txt, not a document output folder")
    text = source_path.read_text(encoding="utf-8")
    line_count = len(line_starts(text))
    shown = content_tables()  # the registry's compared tables, mentions last
    tables = {name: read_table(folder, name) for name in (*shown, "warnings")}
    marks = mention_marks(tables["mentions"])
    layout = layout_mentions(marks, len(text))
    doc = folder.resolve().name
    diff_html = ""
    if against is not None:
        old = _against_dir(Path(against), folder)
        found = differ.diff_dirs(old, folder)

        def new_line_href(line: Any) -> str | None:
            number = _int(line)
            return f"#L{number}" if number is not None and 1 <= number <= line_count else None

        diff_html = (
            f'<section id="diff"><h2>changes since {html.escape(old.name)} '
            f"<small>({html.escape(differ.summary(found))})</small></h2>"
            f"{differ.format_html(found, new_line_href=new_line_href, heading_level=3, summaries=False)}"
            "</section>"
        )
    nav = ['<a href="#warnings">warnings</a>']
    if diff_html:
        nav.append('<a href="#diff">diff</a>')
    nav += [f'<a href="#t-{name}">{name}</a>' for name in shown]
    body = [
        f"<header><h1>{html.escape(doc)}</h1><nav>{''.join(nav)}</nav>{_provenance_html(folder)}</header>",
        "<main>",
        '<section class="pane" id="source-pane"><h2>source.txt '
        f"<small>({line_count} lines, {len(marks)} mentions)</small></h2>",
        render_legend(marks, layout),
        render_source(text, layout),
        "</section>",
        '<section class="pane" id="tables-pane">',
        render_warnings(tables["warnings"], line_count),
        diff_html,
        *(
            render_table(name, tables[name], line_count, layout=layout, source_text=text)
            if name == "mentions"
            else render_table(name, tables[name], line_count)
            for name in shown
        ),
        "</section>",
        "</main>",
    ]
    return (
        '<!DOCTYPE html>\n<html lang="ja">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(doc)} – report</title>\n"
        f"<style>\n{CSS}\n{_kind_css()}\n{differ.DIFF_CSS}\n</style>\n</head>\n<body>\n"
        + "\n".join(part for part in body if part)
        + f"\n<script>\n{JS}\n</script>\n</body>\n</html>\n"
    )


def write_report(doc_dir: str | Path, against: str | Path | None = None) -> Path:
    """Write ``doc_dir/report.html`` (replacing it whole) and return its path."""
    folder = Path(doc_dir)
    page = render_report(folder, against)
    from pipeline.outputs.write import write_text_atomically

    target = write_text_atomically(folder / REPORT_NAME, page)
    log.info("wrote %s", target)
    return target


def command(ns: argparse.Namespace) -> int:
    """``pipeline report DIR [--against OLD]``."""
    print(write_report(ns.dir, ns.against))
    return 0
