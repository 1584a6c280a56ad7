"""Projects printed as a table: a header row names the columns, then one project per row.

    地域　　プロジェクト名　　　　　　　分野　　　　参加企業数　参加大学数
    北海道　北海道スーパー・クラスター　情報・バイオ　約３００社　　１７大学

The header is a row whose cells are column labels of ``table_columns`` in ``rules/projects.yaml``
(a name column and a count column at least, three columns in all). Rows come from a PDF's ruled
tables, or from lines under a header line whose cells are set apart by a full-width space, a tab
or two spaces or more (what PDF-to-text makes of a borderless table). A row with as many cells as the
header is read in order; a row with an empty cell has fewer, and each of its cells goes to the column
whose label starts nearest above it. A line of one cell under the name column continues the name of
the row above (a wrapped cell). A table a converter read column by column (each column's label and values
a block of lines, blocks parted by blank lines) is read as the same table (:func:`column_tables`).

Counts are read from the count mentions inside a count column's cell (約300社, 17大学); a bare figure
there (300, 約300) counts too, since the header says what it counts.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import Any

from pipeline.core.document import Document, canonical_text
from pipeline.core.normtext import nfkc
from pipeline.core.source import Cell, RuledTable
from pipeline.extractors.places import PlaceExtractor
from pipeline.tables.common import rule_numerals
from pipeline.tables.spaced import HEADING_MARKS, spaced_tables
from pipeline.text.layout import display_width

_COUNT_COLUMNS = ("companies", "universities")


def _roles(header: tuple[Cell, ...], columns: dict[str, list[str]]) -> list[str | None]:
    """The column each header cell labels, each column once (:func:`_text_roles`)."""
    return _text_roles([cell.text for cell in header], columns)


def _is_header(roles: list[str | None]) -> bool:
    """Whether cells of these roles head a projects table: a name column, a count column, three in all."""
    return "name" in roles and bool(set(_COUNT_COLUMNS) & set(roles)) and sum(r is not None for r in roles) >= 3


def header_line(text: str, columns: dict[str, list[str]]) -> bool:
    """Whether a line (its cells set apart by spaces) is the header of a projects table that
    :func:`table_projects` reads (プロジェクト名　分野　参加企業数　参加大学数, or クラスター名 over counts year by
    year: 令和３年度　令和４年度)."""
    if not columns:
        return False
    cells = text.split()
    roles = _text_roles(cells, columns)
    return _is_header(roles) or ("name" in roles and sum(
        1 for c, r in zip(cells, roles, strict=True) if r is None and _YEAR_CELL.fullmatch(nfkc(c))) >= 2)


# A header cell that is a year alone (after NFKC): 令和3年度, R4年度, 2023年度, 2023年.
_YEAR_CELL = re.compile(r"(?:(?:令和|平成|昭和|[RHS])\s?(?:元|\d{1,2})|\d{4})\s?年度?")


def _text_roles(cells: list[str], columns: dict[str, list[str]]) -> list[str | None]:
    """The column each header cell's text labels, each column once: a cell is a label, or a label followed
    by 数, 等 or 等数 or by a bracket (企業数(社)); a count column's label may also follow a short qualifier when 数
    ends it (連携大学数, 協力企業数). 提案企業等 of a hub list labels nothing here."""
    by_label = {canonical_text(lb): role for role, lbs in columns.items() for lb in lbs}
    counted = sorted(((lb, role) for lb, role in by_label.items() if role in _COUNT_COLUMNS),
                     key=lambda p: len(p[0]), reverse=True)
    roles: list[str | None] = []
    for cell in cells:
        flat = re.sub(r"\(.*\)$", "", canonical_text(cell))
        # (参加大学等, 参画企業等数: 等 after a label widens it and labels the same column)
        role = by_label.get(flat) or by_label.get(flat.removesuffix("数")) or by_label.get(
            flat.removesuffix("数").removesuffix("等"))
        if role is None and flat.endswith("数"):
            counted_flat = flat.removesuffix("数")
            role = next((r for lb, r in counted if counted_flat.endswith(lb)
                         and 0 < len(counted_flat) - len(lb) <= _MAX_QUALIFIER
                         and _QUALIFIER.fullmatch(counted_flat[: -len(lb)])), None)
        roles.append(role if role not in roles else None)
    return roles


_MAX_QUALIFIER = 4
_QUALIFIER = re.compile(r"[\u4e00-\u9fff]+")  # 連携, 協力, 共同研究: kanji only (not a sentence's kana)


def _starts(text: str, cells: tuple[Cell, ...]) -> list[int]:
    """Display column where each cell starts on its line; on a line of cells set apart by tabs, the cell's
    field (how many tabs stand before it: ``\t\t企業\t大学`` under ``地域\tプロジェクト名\t参加機関数``), as a
    spreadsheet's text keeps its columns by tabs, not by width."""
    out = []
    for c in cells:
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.start)
        if "\t" in text[line_start : len(text) if line_end < 0 else line_end]:
            out.append(text.count("\t", line_start, c.start))
        else:
            out.append(display_width(text[line_start : c.start]))
    return out


@functools.lru_cache(maxsize=8)
def _kanji_figure_re(chars: str) -> re.Pattern[str]:
    """A cell's figure in kanji numerals (``chars``: their digits and small units), 約 or 余 around it allowed."""
    kanji = re.escape("".join(sorted(set(chars) - set("0123456789"))))
    return re.compile(rf"(?P<pre>\D{{0,4}}?)\s*(?P<n>[{kanji}]+)\s*(?P<post>\D{{0,4}})")


def _figure(doc: Document, cell: Cell, approx_before: tuple[str, ...],
            approx_after: tuple[str, ...]) -> tuple[int, bool] | None:
    """The count a count column's cell holds: its count mention, else a bare figure (300, 約1,200)."""
    found = doc.mentions_in(cell.start, cell.end, ("count",))
    if found:
        return int(found[0].value), bool(found[0].approx)
    raw = cell.text.rstrip()
    note = _CELL_NOTE.search(raw)
    if note is not None and note.start() > 0:
        raw = raw[: note.start()].rstrip()  # 120※1, 6（予定）: the note after the figure is no part of it
    t = nfkc(raw).strip()
    numerals = rule_numerals(doc)
    m = re.fullmatch(r"(?P<pre>\D{0,4}?)\s*(?P<n>\d{1,3}(?:,\d{3})+|\d+)\s*(?P<post>\D{0,4})", t) or (
        _kanji_figure_re("".join(sorted({*numerals.digits, *numerals.small_units}))).fullmatch(t))  # 四十五, 一二〇
    if m is None or (m.group("pre") and m.group("pre") not in approx_before):
        return None
    if m.group("post") and m.group("post") not in approx_after:
        return None
    value = numerals.parse_int(m.group("n"))
    if value is None:
        return None
    approx = bool(m.group("pre") or m.group("post"))
    # A bare figure (約300 under 参加企業数（社）) is a count the column's header qualifies: a mention of its
    # own, spanning the cell as printed, so the row's value is traceable to the text.
    lead = len(cell.text) - len(cell.text.lstrip())
    doc.add_source_span(cell.start + lead, cell.start + len(raw), "count", str(value), "project.table",
                        approx=approx)
    return value, approx


# A note after a count cell's figure: a note mark and its number (※1, ＊2, 注3) or a short bracket (（予定）).
_CELL_NOTE = re.compile(r"\s*(?:[※*＊][0-9０-９]{0,2}|注[0-9０-９]{1,2}|[(（][^()（）]{1,8}[)）])$")


def _title_region(text: str, header_start: int, regions: PlaceExtractor) -> str:
    """The region a table's title names (【関東地域】, 九州の産業クラスター計画 over the header), when it
    names one only: the nearest non-blank line above the header, a heading rather than a sentence."""
    end = text.rfind("\n", 0, header_start)
    while end > 0:
        start = text.rfind("\n", 0, end) + 1
        line = text[start:end].strip()
        if line:
            hits = set(regions.region_of(canonical_text(line))) if "。" not in line and len(line) <= 40 else set()
            return hits.pop() if len(hits) == 1 else ""
        end = start - 1
    return ""


SplitName = Callable[[str, list[str], PlaceExtractor], tuple[str, list[str], str]]


def table_projects(doc: Document, cfg: dict[str, Any], regions: PlaceExtractor, seen: set[str],
                   split_name: SplitName, ended: dict[str, int] | None = None) -> list[dict[str, Any]]:
    """Project rows from every table whose header names a project column and a count column; names in
    ``seen`` (read from marker lines already) are skipped. ``split_name`` reads a name cell as the
    marker reader reads a name (an English alias after it, a note marker). ``ended``: the fiscal year each
    note marker's note says support ended in (a row marked so, after its name or in a cell of its own, ended
    then)."""
    columns: dict[str, list[str]] = cfg.get("table_columns") or {}
    if not columns:
        return []
    tables = [*doc.source.ruled_tables, *spaced_tables(doc.source.text, columns["name"], section_rows=True,
                                                       centred_groups=True),
              *column_tables(doc.source.text, columns)]
    num = doc.rules.get("numbers")
    approx_before, approx_after = tuple(num.get("approx_before", ())), tuple(num.get("approx_after", ()))
    # A name column under a label that names projects alone (プロジェクト名) beside a region column heads a
    # projects table with no counts (地域名　…　プロジェクト名: a list of adopted projects).
    alone = {canonical_text(label) for label in cfg.get("project_name_labels") or ()}
    out: list[dict[str, Any]] = []
    for table in tables:
        for k, head in enumerate(table.rows[:-1]):
            roles = _roles(head, columns)
            body = k + 1
            if not _is_header(roles) and (two := _two_row_header(doc.source.text, head, table.rows[k + 1], roles,
                                                                 columns)):
                (head, roles), body = two, k + 2  # 参加機関数 over 企業　大学: a header of two rows
            if (not _is_header(roles) and "name" in roles and not set(_COUNT_COLUMNS) & set(roles)
                    and (by_year := _latest_year_column(doc, head, roles, table.rows[body:], columns)) is not None):
                # クラスター名　令和３年度　令和４年度　令和５年度 over counts (約１２０社): the latest year's column
                roles = [by_year[1] if j == by_year[0] else r for j, r in enumerate(roles)]
                out += _read(doc, cfg, regions, table.rows[body:], head, roles, seen, split_name,
                             (approx_before, approx_after), ended or {})
                break
            if not _is_header(roles) and not ("name" in roles and "region" in roles and (re.sub(
                    r"\(.*\)$", "", canonical_text(head[roles.index("name")].text)) in alone or _named_projects(
                    table.rows[body:], roles.index("name"), len(head), cfg, regions, split_name))):
                continue
            if body < len(table.rows) and _labels_only(table.rows[body], columns):
                body += 1  # 企業　大学 under 参加機関数, read apart from it: the header's second row, no project
            out += _read(doc, cfg, regions, table.rows[body:], head, roles, seen, split_name,
                         (approx_before, approx_after), ended or {})
            break
    return out


def _latest_year_column(doc: Document, head: tuple[Cell, ...], roles: list[str | None],
                        body: tuple[tuple[Cell, ...], ...], columns: dict[str, list[str]]) -> tuple[int, str] | None:
    """(index, count column) of a header's latest year when two of its cells or more are each a year alone
    (令和３年度, 2022年度: counts year by year) and the counts under the latest have a counter naming their column
    (社: companies, 大学: universities); else None."""
    years = []
    for j, cell in enumerate(head):
        if roles[j] is not None:
            continue
        found = doc.mentions_in(cell.start, cell.end, ("period", "date"))
        if len(found) == 1 and found[0].start <= cell.start and cell.end <= found[0].end + 2:
            years.append((found[0].value, j))
    if len(years) < 2:
        return None
    j = max(years)[1]
    units = {m.unit for row in body if len(row) == len(head)
             for m in doc.mentions_in(row[j].start, row[j].end, ("count",))}
    found_roles = {r for u in units for r in _text_roles([u], columns) if r in _COUNT_COLUMNS}
    return (j, found_roles.pop()) if len(found_roles) == 1 else None


def _named_projects(body: tuple[tuple[Cell, ...], ...], name_k: int, width: int, cfg: dict[str, Any],
                    regions: PlaceExtractor, split_name: SplitName) -> bool:
    """Whether the rows under a header of a region and a name column and no count (地域名　事業名　中核機関) list
    projects by their names: two rows at least, every full row's name ending as a project's does (…クラスター,
    …構想“Bio-S”), where a list of hubs or programmes ends otherwise."""
    endings = tuple(cfg.get("name_endings") or ())
    names = [split_name(canonical_text(row[name_k].text), cfg["note_markers"], regions)[0]
             for row in body if len(row) == width]
    return bool(endings) and len(names) >= 2 and all(name.endswith(endings) for name in names)


def _two_row_header(text: str, head: tuple[Cell, ...], sub: tuple[Cell, ...], roles: list[str | None],
                    columns: dict[str, list[str]]) -> tuple[tuple[Cell, ...], list[str | None]] | None:
    """The cells and roles of a header of two rows (a group's label, 参加機関数, over its columns' labels, 企業　大学,
    the other cells merged down the two rows), or None: the second row holds no figure and labels a column the
    first does not, and the two make a projects table's header. Rows of as many cells (a ruled table's) keep
    the first row's cells, each column's label under its group's, else the first row's; a spaced table's
    second row, its labels alone, stands in for the first row's cells from its own first one on."""
    if any(_DIGIT.search(c.text) for c in sub):
        return None
    below = _text_roles([c.text for c in sub], columns)
    if len(sub) == len(head):
        if not any(r is not None and r not in roles for r in below):
            return None
        merged = [b if b is not None else (r if not sub[j].text.strip() else None)
                  for j, (r, b) in enumerate(zip(roles, below, strict=True))]
        return (head, merged) if _is_header(merged) else None
    if not sub or any(r is None for r in below):
        return None
    first = _starts(text, sub)[0]
    kept = [j for j, at in enumerate(_starts(text, head)) if at < first and roles[j] is not None]
    cells = (*(head[j] for j in kept), *sub)
    merged = [*(roles[j] for j in kept), *below]
    return (cells, merged) if _is_header(merged) and len(set(merged)) == len(merged) else None


_DIGIT = re.compile(r"[0-9０-９]")


def _labels_only(row: tuple[Cell, ...], columns: dict[str, list[str]]) -> bool:
    """Whether every cell of a row that holds anything labels a column, and no cell holds a figure."""
    cells = [c.text for c in row if c.text.strip()]
    return bool(cells) and not any(_DIGIT.search(t) for t in cells) and all(
        r is not None for r in _text_roles(cells, columns))


def column_tables(text: str, columns: dict[str, list[str]]) -> list[RuledTable]:
    """Tables a converter read column by column (pdftotext's default order): a block of lines opening with
    the name column's label and the names under it, then, each after a blank line, blocks opening with another
    column's label and as many values as there are names (参加企業数 / 約１６０社 / 約７８０社 …). Given as rows
    of cells, the header first, as a ruled table's; offsets point into ``text``."""
    if not columns or not any(lb in text for lb in columns.get("name", ())):
        return []  # (no name label anywhere: one scan per label, most documents stop here)
    blocks: list[list[Cell]] = [[]]
    at = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            lead = len(line) - len(line.lstrip())
            blocks[-1].append(Cell(stripped, at + lead, at + lead + len(stripped)))
        elif blocks[-1]:
            blocks.append([])
        at += len(line) + 1
    tables = []
    k = 0
    while k < len(blocks):
        block = blocks[k]
        if len(block) < 3 or _text_roles([block[0].text], columns) != ["name"]:
            k += 1
            continue
        n = len(block) - 1
        heads, cols = [block[0]], [block[1:]]
        roles = {"name"}
        j = k + 1
        while j < len(blocks) and len(blocks[j]) == n + 1:
            role = _text_roles([blocks[j][0].text], columns)[0]
            if role is None or role in roles:
                break
            roles.add(role)
            heads.append(blocks[j][0])
            cols.append(blocks[j][1:])
            j += 1
        if _is_header(_text_roles([c.text for c in heads], columns)):
            tables.append(RuledTable(0, (tuple(heads), *zip(*cols, strict=True))))
        k = j
    return tables


def _read(doc: Document, cfg: dict[str, Any], regions: PlaceExtractor, body: tuple[tuple[Cell, ...], ...],
          head: tuple[Cell, ...], roles: list[str | None], seen: set[str], split_name: SplitName,
          approx: tuple[tuple[str, ...], tuple[str, ...]], ended: dict[str, int]) -> list[dict[str, Any]]:
    text = doc.source.text
    doc.furniture.extend((c.start, c.end) for c in head)  # (a column-by-column table's labels stand apart)
    head_at = _starts(text, head)
    name_k = roles.index("name")
    rows: list[dict[str, Cell]] = []
    sections: list[str] = []  # per row: the heading inside the table above it (【九州】), if any
    section = ""
    widest = 0  # the widest name cell so far: a wrapped line is no wider than its column
    # ... nor than the room the header leaves it before the next column's label (a name broken by hand may
    # go on with a longer line: 道南マリンバイオ / 産業創出プロジェクト)
    room = head_at[name_k + 1] - head_at[name_k] - 1 if name_k + 1 < len(head) else 0
    for cells in body:
        filled = [c for c in cells if c.text.strip()]
        if len(filled) == 1 and filled[0].text.lstrip()[:1] in HEADING_MARKS:
            section = filled[0].text.strip(HEADING_MARKS + "】]〕>〉 \u3000")
            continue
        if len(cells) == len(head):
            placed = dict(zip(range(len(head)), cells, strict=True))
        else:
            # Each cell under the label that starts nearest above it; two pieces under one label are one
            # cell with a full-width space inside (OKINAWA型　産業振興プロジェクト).
            placed = {}
            for c, at in zip(cells, _starts(text, cells), strict=True):
                k = min(range(len(head)), key=lambda j, at=at: abs(head_at[j] - at))
                if k in placed:
                    c = Cell(text[placed[k].start : c.end], placed[k].start, c.end)
                placed[k] = c
        if len(cells) == 1 and rows and name_k in placed:
            # A wrapped name: one cell under the name column, no wider than the column, continues the
            # name above; anything else ends the table.
            prev = rows[-1]["name"]
            if display_width(cells[0].text) > max(widest, room):
                break
            rows[-1]["name"] = Cell(prev.text + placed[name_k].text, prev.start, placed[name_k].end)
            continue
        if name_k not in placed:
            break
        row = {roles[k]: c for k, c in placed.items() if roles[k]}
        if "region" in roles and not (row["region"].text.strip() if "region" in row else "") and rows and (
                above := rows[-1].get("region")) is not None:
            row["region"] = above  # a region cell merged over its rows (or left blank for the same): the one above
        rows.append(row)
        sections.append(section)
        widest = max(widest, display_width(placed[name_k].text))
    out = []
    field_seps = f"[{re.escape(cfg['field_separators'])}]"
    field_word = cfg["field_word"]
    marks = doc.rules.get("layout")["bullets"]
    overrides = {canonical_text(k): v for k, v in cfg["region_overrides"].items()}
    title_region = _title_region(text, head[0].start, regions)
    for row, row_section in zip(rows, sections, strict=True):
        cell = row["name"]
        name, aliases, note = split_name(cell.text.lstrip(marks), cfg["note_markers"], regions)
        if not name or name in seen or not re.search(r"[^\d\s.,]", name):
            continue
        seen.add(name)
        region_text = canonical_text(row["region"].text) if "region" in row else ""
        # A region column names the block itself (中国, which alone is no region word) or a place in it.
        hits = [region_text] if region_text in regions.blocks else regions.region_of(region_text)
        section_hits = set(regions.region_of(canonical_text(row_section))) if row_section else set()
        in_name = regions.region_of(canonical_text(cell.text))  # a place in brackets after the name counts
        region = (overrides.get(name) or (hits[0] if hits else next(iter(in_name), ""))
                  or (section_hits.pop() if len(section_hits) == 1 else "") or title_region)
        if not region:
            doc.warn(doc.line_of(cell.start), "project_no_region", f"{name}: no rule gives its region")
        fields = []
        if "fields" in row:
            raw = canonical_text(row["fields"].text)
            fields = [f.removesuffix(field_word) for f in re.split(field_seps, raw) if f.removesuffix(field_word)]
        counts = {c: _figure(doc, row[c], *approx) if c in row else None for c in _COUNT_COLUMNS}
        doc.add_source_span(cell.start, cell.end, "project", name, "project.table")
        comp, univ = counts["companies"], counts["universities"]
        out.append({
            "region": region,
            "name": name,
            "aliases": ";".join(dict.fromkeys(aliases)),
            "fields": ";".join(fields),
            "companies": comp[0] if comp else None,
            "companies_approx": comp[1] if comp else None,
            "universities": univ[0] if univ else None,
            "universities_approx": univ[1] if univ else None,
            "ended_fy": _row_ended(row, note, ended, tuple(cfg["note_markers"])),
            "line": doc.line_of(cell.start),
        })
    return out


def _row_ended(row: dict[str, Cell], note: str, ended: dict[str, int], markers: tuple[str, ...]) -> int | None:
    """The fiscal year a note says a table row's project ended in: the note its name's marker points to
    (…コリドー※1), else the one a marker closing another of its cells points to (－　※: a cell of its own
    that the reader put under the nearest column)."""
    if not ended:
        return None
    if note and note in ended:
        return ended[note]
    for role, cell in row.items():
        if role == "name":
            continue
        last = nfkc(cell.text).split()[-1:] if cell.text.strip() else []  # (※１ is ※1)
        if last and last[0].startswith(markers) and last[0] in ended:
            return ended[last[0]]
    return None
