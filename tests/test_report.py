"""pipeline report: the self-contained audit page of one output folder."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.audit import report as report
from pipeline.cli import main
from pipeline.outputs.write import table_csv
from pipeline.tables import TABLES

SOURCE = """地域クラスター関連事業 <平成21年度> & 関連予算
◆九州地域バイオクラスター計画
　バイオ分野　約40社　6大学
\f◆北海道バイオ産業成長戦略
　バイオ分野　約160社　26大学
文部科学省 関連予算134億円
"""


def write_doc(parent: Path, doc: str, source: str, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """An output folder parent/doc/ with source.txt and every table's CSV."""
    folder = parent / doc
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(source, encoding="utf-8")
    for name in TABLES:
        rows = [{"doc": doc, **row} for row in tables.get(name, [])]
        frame = pd.DataFrame(rows, columns=TABLES[name].column_names)
        (folder / f"{name}.csv").write_text(table_csv(name, frame), encoding="utf-8")
    return folder


def mention(kind: str, text: str, value: Any, *, nth: int = 0, source: str = SOURCE) -> dict[str, Any]:
    start = -1
    for _ in range(nth + 1):
        start = source.index(text, start + 1)
    line = source.count("\n", 0, start) + 1
    return {
        "kind": kind,
        "text": text,
        "value": str(value),
        "page": 1,
        "line": line,
        "start": start,
        "end": start + len(text),
        "rule": "test",
    }


def tables() -> dict[str, list[dict[str, Any]]]:
    return {
        "mentions": [
            mention("project", "九州地域バイオクラスター計画", "九州地域バイオクラスター計画"),  # 1
            mention("place", "九州", "九州", nth=0),  # 2: inside 1
            mention("count", "約40社", 40),  # 3
            mention("count", "6大学", 6),  # 4
            mention("project", "北海道バイオ産業成長戦略", "北海道バイオ産業成長戦略"),  # 5
            mention("place", "北海道", "北海道"),  # 6: inside 5
            mention("count", "約160社", 160),  # 7
            mention("amount", "134億円", 13_400_000_000),  # 8
            mention("organization", "文部科学省", "文部科学省"),  # 9
            {**mention("count", "26大学", 26), "text": "25大学"},  # 10: text is not source[start:end]
            {"kind": "date", "text": "x", "value": "2009", "line": 1, "start": 5000, "end": 5001},  # 11
        ],
        "projects": [
            {
                "region": "九州",
                "name": "九州地域バイオクラスター計画",
                "fields": "バイオ",
                "companies": 40,
                "companies_approx": True,
                "universities": 6,
                "line": 2,
            },
            {
                "region": "北海道",
                "name": "北海道バイオ産業成長戦略",
                "fields": "バイオ",
                "companies": 160,
                "companies_approx": True,
                "universities": 26,
                "line": 4,
            },
        ],
        "budget": [
            {
                "fiscal_year": 2009,
                "ministry": "文部科学省",
                "item": "文部科学省",
                "amount_yen": 13_400_000_000,
                "line": 6,
            }
        ],
        "organizations": [{"name": "文部科学省", "type": "government", "mentions": 1, "first_line": 6}],
        "warnings": [{"line": 3, "code": "unclaimed-number", "message": "<6> is claimed by no rule"}],
    }


@pytest.fixture
def doc_dir(tmp_path: Path) -> Path:
    return write_doc(tmp_path / "extracted", "chiiki-cluster-h21", SOURCE, tables())


class Page(HTMLParser):
    """Ids, internal links, elements by id and the text inside <pre class="source">."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.source_text = ""
        self.scripts = 0
        self._in_source = 0
        self.feed(page)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        self.tags.append((tag, a))
        if a.get("id"):
            self.ids.append(str(a["id"]))
        if tag == "a" and a.get("href"):
            self.hrefs.append(str(a["href"]))
        if tag == "script":
            self.scripts += 1
        if self._in_source:
            self._in_source += tag != "br"
        elif tag == "pre" and a.get("class") == "source":
            self._in_source = 1

    def handle_endtag(self, tag: str) -> None:
        if self._in_source:
            self._in_source -= 1

    def handle_data(self, data: str) -> None:
        if self._in_source:
            self.source_text += data

    def by_id(self, id_: str) -> tuple[str, dict[str, str | None]]:
        [found] = [(t, a) for t, a in self.tags if a.get("id") == id_]
        return found


def test_report_is_one_file_with_every_link_resolving(doc_dir: Path) -> None:
    path = report.write_report(doc_dir)
    assert path == doc_dir / "report.html"
    text = path.read_text(encoding="utf-8")
    page = Page(text)
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    internal = [h for h in page.hrefs if h.startswith("#")]
    assert internal == page.hrefs, "no link leaves the page"
    missing = sorted({h[1:] for h in internal} - set(page.ids))
    assert missing == [], "every internal link has its target"
    assert not re.search(r"""<(link|img|iframe)\b|\bsrc=|https?://""", text), "self-contained"
    assert page.scripts == 1


def test_source_text_is_shown_whole_and_escaped(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    assert "&lt;平成21年度&gt; &amp; 関連予算" in text
    # Tags stripped, the page's text is source.txt itself (the form feed becomes a page-break marker).
    assert Page(text).source_text == SOURCE.replace("\f", "")
    assert [i for i in Page(text).ids if re.fullmatch(r"L\d+", i)] == [f"L{n}" for n in range(1, 7)]


def test_mentions_link_to_their_rows_and_back(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    page = Page(text)
    tag, attrs = page.by_id("m-7")
    assert (tag, attrs["href"], attrs["class"]) == ("a", "#row-mentions-7", "m k-count")
    assert '<a class="m k-count" id="m-7" href="#row-mentions-7" title="count: 160">約160社</a>' in text
    assert page.by_id("row-mentions-7")[0] == "tr"
    assert '<tr id="row-mentions-7"><td class="n"><a class="back" href="#m-7">m-7</a></td>' in text
    highlighted = [a["id"] for t, a in page.tags if t == "a" and "m" in (a.get("class") or "").split()]
    assert highlighted == ["m-1", "m-3", "m-4", "m-5", "m-7", "m-10", "m-9", "m-8"]  # in text order


def test_overlapping_mentions_keep_the_outer_one(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    # 九州 (m-2) lies inside the project name (m-1): an anchor at its start, inside the outer link.
    assert (
        '<a class="m k-project" id="m-1" href="#row-mentions-1" '
        'title="project: 九州地域バイオクラスター計画">'
        '<span class="anchor" id="m-2"></span>九州地域バイオクラスター計画</a>'
    ) in text
    assert '<a class="back" href="#m-2">m-2</a> <small>in <a href="#m-1">m-1</a></small>' in text
    assert "2 inside or across another mention (not highlighted)" in text


def test_layout_is_deterministic_for_overlaps() -> None:
    marks = [
        report.Mark(1, 0, 4, "place", "", ""),
        report.Mark(2, 2, 8, "project", "", ""),  # crosses 1, starts later: hidden
        report.Mark(3, 0, 4, "organization", "", ""),  # same span as 1, later row: hidden
        report.Mark(4, 8, 10, "count", "", ""),  # touches 2's end, after 1: shown
        report.Mark(5, 0, 6, "event", "", ""),  # longest at 0: shown first
        report.Mark(6, 9, 30, "date", "", ""),  # past the text's end
    ]
    layout = report.layout_mentions(list(reversed(marks)), text_length=20)
    assert [m.n for m in layout.shown] == [5, 4]
    assert layout.inside == {1: 5, 3: 5, 2: 5}
    assert [m.n for m in layout.outside] == [6]


def test_bad_offsets_and_text_are_flagged(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    assert '<tr id="row-mentions-11"><td class="n"><span class="bad" title="offsets outside source.txt">11' in text
    assert '<a class="back" href="#m-10">m-10</a> <span class="bad" title="text is not source.txt[start:end]">' in text
    assert "1 with offsets outside source.txt" in text


def test_table_rows_link_to_their_source_line(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    page = Page(text)
    project_rows = [a["id"] for t, a in page.tags if t == "tr" and (a.get("id") or "").startswith("row-projects-")]
    assert project_rows == ["row-projects-1", "row-projects-2"]
    assert re.search(r'<tr id="row-projects-2">.*?<td class="ln-cell"><a href="#L4">4</a></td></tr>', text)
    assert re.search(r'<tr id="row-organizations-1">.*?<td class="ln-cell"><a href="#L6">6</a></td></tr>', text)
    assert re.search(r'<tr id="row-budget-1">.*?<td class="ln-cell"><a href="#L6">6</a></td></tr>', text)
    assert (
        '<li id="row-warnings-1"><span class="code">unclaimed-number</span> line <a href="#L3">3</a>: '
        "&lt;6&gt; is claimed by no rule</li>"
    ) in text


def test_legend_counts_kinds(doc_dir: Path) -> None:
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    assert 'data-kind="count" title="show or hide">count <span class="count">4</span>' in text
    assert 'data-kind="place" title="show or hide">place <span class="count">2</span>' in text


def test_report_is_deterministic(doc_dir: Path) -> None:
    first = report.write_report(doc_dir).read_bytes()
    second = report.write_report(doc_dir).read_bytes()
    assert first == second
    assert [p.name for p in doc_dir.iterdir() if p.name.startswith(".")] == []


def test_against_includes_the_edition_diff(doc_dir: Path, tmp_path: Path) -> None:
    older = tables()
    older["projects"][1].update(companies=150, line=5)
    older["projects"].append({"region": "四国", "name": "四国テクノブリッジ計画", "companies": 500, "line": 9})
    old_dir = write_doc(tmp_path / "previous", "chiiki-cluster-h20", SOURCE, older)
    text = report.write_report(doc_dir, against=old_dir).read_text(encoding="utf-8")
    assert 'id="diff"><h2>changes since chiiki-cluster-h20 <small>(1 removed, 1 changed)</small>' in text
    assert (
        '<tr class="changed"><td class="sign">~</td><td>北海道バイオ産業成長戦略</td>'
        '<td class="ln">5 → <a href="#L4">4</a></td><td>companies: <del>150</del> <ins>160</ins></td></tr>'
    ) in text
    assert '<td>四国テクノブリッジ計画</td><td class="ln">9</td>' in text
    # A parent folder holding an output of the same doc id works too.
    write_doc(tmp_path / "last-run", "chiiki-cluster-h21", SOURCE, older)
    again = report.write_report(doc_dir, against=tmp_path / "last-run").read_text(encoding="utf-8")
    assert "changes since chiiki-cluster-h21 <small>(1 removed, 1 changed)</small>" in again


def test_command(doc_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", str(doc_dir)]) == 0
    assert capsys.readouterr().out == f"{doc_dir / 'report.html'}\n"
    empty = tmp_path / "empty"
    empty.mkdir()
    assert main(["report", str(empty)]) == 1
    assert "pipeline report: error:" in capsys.readouterr().err
    assert not (empty / "report.html").exists()


def test_report_is_deterministic_with_its_charts(doc_dir: Path, tmp_path: Path) -> None:
    """Charts included, and with --against: the same folders give the same bytes."""
    older = tables()
    older["budget"][0]["amount_yen"] = 12_000_000_000
    old_dir = write_doc(tmp_path / "previous", "chiiki-cluster-h20", SOURCE, older)
    first = report.write_report(doc_dir, against=old_dir).read_bytes()
    assert first == report.write_report(doc_dir, against=old_dir).read_bytes()
    page = first.decode("utf-8")
    for chart in ("chart-budget", "chart-regions", "chart-projects", "chart-changes"):
        assert f'id="{chart}"' in page
    assert page.count("<svg") == 4


@pytest.mark.parametrize(
    ("yen", "shown"),
    [
        (13_400_000_000, "134億円"),
        (1_250_000_000, "12億5,000万円"),
        (45_000_000, "4,500万円"),
        (123_456_789_012, "1,234億5,678万9,012円"),
        (700_000_000, "7億円"),
        (10_000, "1万円"),
        (5, "5円"),
        (0, "0円"),
        (-300_000_000, "−3億円"),
    ],
)
def test_format_yen(yen: int, shown: str) -> None:
    from pipeline.audit.templating import exact_yen, format_yen

    assert format_yen(yen) == shown
    assert exact_yen(yen).replace(",", "") == f"{yen}円"


def test_amounts_show_in_oku_with_the_exact_yen_on_hover(tmp_path: Path) -> None:
    rows = tables()
    rows["mentions"][7]["unit"] = "JPY"
    doc_dir = write_doc(tmp_path, "yen", SOURCE, rows)
    text = report.write_report(doc_dir).read_text(encoding="utf-8")
    budget = text[text.index('id="row-budget-1"') :]
    assert '<td class="yen"><span class="yen" title="13,400,000,000円">134億円</span></td>' in budget
    # The amount mention's value too; the CSV keeps the integer.
    mention_row = text[text.index('id="row-mentions-8"') :]
    assert '<span class="yen" title="13,400,000,000円">134億円</span>' in mention_row.split("</tr>")[0]
    assert "13400000000" in (doc_dir / "budget.csv").read_text(encoding="utf-8")


BIDI = "\u202e"


def test_bidi_controls_are_shown_as_code_points(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A right-to-left override in the brochure must not reorder the page (text, tables, charts, diff)."""
    source = f"◆悪意{BIDI}あるプロジェクト\n　約10社　2大学\n予算\u2067 5億円\u2069\n"
    rows = {
        "projects": [
            {
                "region": f"九{BIDI}州",
                "name": f"悪意{BIDI}あるプロジェクト",
                "companies": 10,
                "universities": 2,
                "line": 1,
            }
        ],
        "budget": [
            {"fiscal_year": 2009, "ministry": "文部科学省", "item": f"予算{BIDI}", "amount_yen": 5 * 10**8, "line": 3}
        ],
        "mentions": [mention("project", f"悪意{BIDI}あるプロジェクト", "x", source=source)],
        "warnings": [{"line": 1, "code": "odd", "message": f"{BIDI}dlrow"}],
    }
    folder = write_doc(tmp_path / "new", "bidi", source, rows)
    old = write_doc(tmp_path / "old", "bidi", source, {**rows, "projects": []})
    page = report.write_report(folder, against=old).read_text(encoding="utf-8")
    assert BIDI not in page and "\u2067" not in page and "\u2069" not in page
    assert "悪意[U+202E]あるプロジェクト" in page
    assert "予算[U+2067] 5億円[U+2069]" in page
    assert ": [U+202E]dlrow</li>" in page
    # The source offsets still point into source.txt: the control is only shown otherwise.
    assert Page(page).source_text == source.replace(BIDI, "[U+202E]").replace("\u2067", "[U+2067]").replace(
        "\u2069", "[U+2069]"
    )

    assert main(["diff", str(old), str(folder), "--format", "html"]) == 0
    diff_page = capsys.readouterr().out
    assert BIDI not in diff_page and "悪意[U+202E]あるプロジェクト" in diff_page


def test_budget_tree_order() -> None:
    from pipeline.audit.charts import budget_order

    rows = [
        {"ministry": "A省", "item": "子1", "parent": "親"},
        {"ministry": "A省", "item": "A省", "parent": None},
        {"ministry": "A省", "item": "親", "parent": "A省"},
        {"ministry": "B省", "item": "親", "parent": "B省"},  # same name, other ministry: not A's child
        {"ministry": "A省", "item": "孤児", "parent": "どこにもない"},
        {"ministry": "C省", "item": "x", "parent": "y"},  # a cycle: placed anyway, once each
        {"ministry": "C省", "item": "y", "parent": "x"},
    ]
    order = [(depth, r["ministry"], r["item"]) for depth, r in budget_order(rows)]
    assert order == [
        (0, "A省", "A省"),
        (1, "A省", "親"),
        (2, "A省", "子1"),
        (0, "B省", "親"),
        (0, "A省", "孤児"),
        (0, "C省", "x"),
        (1, "C省", "y"),
    ]


def test_templates_ship_in_the_wheel() -> None:
    """Every template matches the package-data pattern in pyproject.toml, so an installed copy has it."""
    import fnmatch
    import tomllib

    root = Path(__file__).resolve().parents[1]
    config = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["pipeline.audit"]
    folder = root / "pipeline" / "audit"
    templates = sorted(p.relative_to(folder).as_posix() for p in (folder / "templates").iterdir())
    assert templates and all(any(fnmatch.fnmatch(t, pat) for pat in patterns) for t in templates)
