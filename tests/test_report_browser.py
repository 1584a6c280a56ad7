"""The report in a real headless Chromium: tables render, mention links land on their rows, charts draw.

Needs Debian's ``chromium`` and ``chromium-driver`` (CI installs them; with CI set a missing browser fails
instead of skipping) and selenium (dev extra). The link tests build the page from the seed brochure with a
small regex stand-in for the engine, so they do not depend on the engine's rules; the chart tests use the
seed's committed output (extracted/) and the engine's output for a made-up next edition (tests/editions.py).
Screenshots land in tests/artifacts/ (git-ignored) for a person to look at, with the printed PDF.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
import pytest

from pipeline.audit import report as report
from pipeline.outputs.write import table_csv
from pipeline.tables import TABLES

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,900",
)

pytestmark = pytest.mark.skipif(
    not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()) and not os.environ.get("CI"),
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)
SEED_OUTPUT = ROOT / "extracted" / SEED.stem

COUNT = re.compile(r"約?[0-9０-９,，]+(社|大学)")
AMOUNT = re.compile(r"[0-9]+億円")


def seed_output(parent: Path) -> Path:
    """An output folder for the seed brochure: counts, amounts and projects found by plain regexes."""
    doc = SEED.stem
    text = SEED.read_text(encoding="utf-8")
    mentions = []
    for m in sorted([*COUNT.finditer(text), *AMOUNT.finditer(text)], key=lambda m: m.start()):
        kind = "amount" if m.group().endswith("億円") else "count"
        mentions.append(
            {
                "kind": kind,
                "text": m.group(),
                "value": m.group(),
                "line": text.count("\n", 0, m.start()) + 1,
                "start": m.start(),
                "end": m.end(),
                "rule": "regex",
            }
        )
    lines = text.split("\n")
    projects = [
        {"name": line[1:].strip(), "line": number} for number, line in enumerate(lines, start=1) if line.startswith("◆")
    ]
    rows: dict[str, list[dict[str, Any]]] = {"mentions": mentions, "projects": projects}
    folder = parent / doc
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(text, encoding="utf-8")
    for name in TABLES:
        frame = pd.DataFrame(
            [{"doc": doc, **r} for r in rows.get(name, [])], columns=TABLES[name].column_names
        )
        (folder / f"{name}.csv").write_text(table_csv(name, frame), encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int, int]:
    folder = seed_output(tmp_path_factory.mktemp("extracted"))
    path = report.write_report(folder)
    projects = len(pd.read_csv(folder / "projects.csv"))
    mentions = len(pd.read_csv(folder / "mentions.csv"))
    return path, projects, mentions


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WebDriver]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    try:
        yield driver
    finally:
        driver.quit()


def in_view(driver: WebDriver, element_id: str) -> bool:
    """True when the element is inside the window and inside every scrolling pane that holds it."""
    return bool(
        driver.execute_script(
            """
            const el = document.getElementById(arguments[0]);
            const r = el.getBoundingClientRect();
            if (r.bottom <= 0 || r.top >= window.innerHeight) return false;
            for (let p = el.parentElement; p; p = p.parentElement) {
              const s = getComputedStyle(p);
              if (!/(auto|scroll)/.test(s.overflowY)) continue;
              const b = p.getBoundingClientRect();
              if (r.bottom <= b.top || r.top >= b.bottom) return false;
            }
            return true;
            """,
            element_id,
        )
    )


def test_report_renders_and_mentions_link_to_rows(browser: WebDriver, seed_report: tuple[Path, int, int]) -> None:
    from selenium.webdriver.common.by import By

    path, projects, mentions = seed_report
    assert (projects, mentions) == (19, 49)  # the seed brochure: 19 ◆ lines, 49 counts and amounts
    browser.get(path.as_uri())
    assert browser.title == "chiiki-cluster-h21 – report"

    rows = browser.find_elements(By.CSS_SELECTOR, "#t-projects tbody tr")
    assert len(rows) == projects
    assert rows[0].find_element(By.CSS_SELECTOR, "td:nth-child(3)").text == "地域産業活性化プロジェクト"
    assert len(browser.find_elements(By.CSS_SELECTOR, "#t-mentions tbody tr")) == mentions
    assert len(browser.find_elements(By.CSS_SELECTOR, "pre.source a.m")) == mentions

    # A mention far down the text: its row is far down the mentions table, out of view until clicked.
    n = mentions - 3
    assert not in_view(browser, f"row-mentions-{n}")
    link = browser.find_element(By.ID, f"m-{n}")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
    link.click()
    assert browser.execute_script("return location.hash") == f"#row-mentions-{n}"
    assert browser.execute_script("return document.querySelector(':target').id") == f"row-mentions-{n}"
    assert in_view(browser, f"row-mentions-{n}")
    target_bg = browser.find_element(By.ID, f"row-mentions-{n}").value_of_css_property("background-color")
    assert target_bg == "rgba(255, 243, 191, 1)"  # the :target highlight

    # ... and the row links back to the mention in the text.
    browser.find_element(By.CSS_SELECTOR, f"#row-mentions-{n} a.back").click()
    assert browser.execute_script("return location.hash") == f"#m-{n}"
    assert browser.execute_script("return document.querySelector(':target').id") == f"m-{n}"
    assert in_view(browser, f"m-{n}")

    # A project row's line link lands on its source line.
    line_link = rows[-1].find_element(By.CSS_SELECTOR, "td:last-child a")
    # Centred first: selenium scrolls a link to the window's top edge, under the sticky table header.
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", line_link)
    line_link.click()
    line_id = browser.execute_script("return location.hash")[1:]
    assert re.fullmatch(r"L\d+", line_id)
    assert in_view(browser, line_id)

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    shot = ARTIFACTS / "report.png"
    browser.find_element(By.ID, f"m-{n}").click()
    assert browser.save_screenshot(str(shot))
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_legend_hides_a_kind(browser: WebDriver, seed_report: tuple[Path, int, int]) -> None:
    from selenium.webdriver.common.by import By

    browser.get(seed_report[0].as_uri())
    mention = browser.find_element(By.CSS_SELECTOR, "pre.source a.m.k-count")
    shown = mention.value_of_css_property("background-color")
    browser.find_element(By.CSS_SELECTOR, '.legend button[data-kind="count"]').click()
    assert "hide-k-count" in browser.find_element(By.TAG_NAME, "body").get_attribute("class")
    assert mention.value_of_css_property("background-color") != shown


# -- charts -----------------------------------------------------------------------------------------------


def csv_rows(folder: Path, name: str) -> list[dict[str, Any]]:
    from pipeline.audit.diff import frame_rows
    from pipeline.outputs.write import read_table

    return frame_rows(read_table(folder, name))


def present(rows: list[dict[str, Any]], column: str) -> int:
    return sum(1 for r in rows if isinstance(r.get(column), int))


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The seed's committed output and the engine's output for the next edition, in a scratch folder."""
    import pipeline
    from pipeline.outputs.write import write_result
    from tests.editions import make_next_edition

    parent = tmp_path_factory.mktemp("editions")
    old = parent / "old" / SEED.stem
    shutil.copytree(SEED_OUTPUT, old, ignore=shutil.ignore_patterns("report.html"))
    raw = parent / "chiiki-cluster-h22.txt"
    raw.write_bytes(make_next_edition().to_bytes())
    new = write_result(pipeline.extract(raw, rules_dir=ROOT / "rules"), parent / "new")
    return old, new


def chart_marks(driver: WebDriver, chart_id: str, role: str, label_prefix: str = "") -> list[dict[str, str]]:
    """The marks of one role (bar, point, tick) drawn in a chart: aria-label, fill and stroke of each."""
    return driver.execute_script(
        """
        const [id, role, prefix] = arguments;
        return [...document.querySelectorAll('#' + id + ' svg [aria-roledescription="' + role + '"]')]
          .map(e => ({label: e.getAttribute('aria-label') || '', fill: e.getAttribute('fill') || '',
                      stroke: e.getAttribute('stroke') || ''}))
          .filter(m => m.label.startsWith(prefix));
        """,
        chart_id,
        role,
        label_prefix,
    )


def shoot(driver: WebDriver, element_id: str, name: str) -> Path:
    """A screenshot of one element under tests/artifacts/, checked to be a PNG of some size."""
    from selenium.webdriver.common.by import By

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / name
    element = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView()", element)
    assert element.screenshot(str(path))
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert element.size["width"] > 300 and element.size["height"] > 100
    return path


def test_seed_charts_draw_every_budget_line_project_and_region(browser: WebDriver, editions: tuple[Path, Path]) -> None:
    from selenium.webdriver.common.by import By

    from pipeline.audit import charts
    from pipeline.audit.templating import format_yen

    old, _ = editions
    page = report.write_report(old)
    browser.get(page.as_uri())
    budget = csv_rows(old, "budget")
    projects = csv_rows(old, "projects")
    assert (len(budget), len(projects)) == (13, 19)

    # The budget tree: one bar per line with an amount, in tree order, the mismatched parent outlined in red
    # with a tick at its children's sum and both amounts written beside it.
    bars = chart_marks(browser, "chart-budget", "bar")
    assert len(bars) == present(budget, "amount_yen") == 13
    assert [b["label"].split(" ")[-1] for b in bars][:2] == ["文部科学省", "知的クラスター創成事業"]
    mismatched = [r for r in budget if r["sum_check"] == "mismatch"]
    assert [r["item"] for r in mismatched] == ["知的クラスター創成事業"]
    outlined = [b["label"] for b in bars if b["stroke"] == charts.MISMATCH]
    assert [label.split(" ")[-1] for label in outlined] == ["知的クラスター創成事業"]
    assert len(chart_marks(browser, "chart-budget", "tick")) == len(mismatched)
    budget_text = browser.find_element(By.ID, "chart-budget").text
    row = mismatched[0]
    assert f"{format_yen(row['amount_yen'])} ≠ 子の合計 {format_yen(row['children_sum_yen'])}" in budget_text
    assert "89億円 ≠ 子の合計 87億円" in budget_text

    # Companies and universities: a bar per project that has the count, a pair per region.
    project_bars = chart_marks(browser, "chart-projects", "bar")
    assert len(project_bars) == present(projects, "companies") + present(projects, "universities")
    assert {b["label"] for b in project_bars} <= {p["name"] for p in projects}
    assert len({b["label"] for b in project_bars}) == len(projects) - sum(
        1 for p in projects if p["companies"] is None and p["universities"] is None
    )
    regions = {p["region"] for p in projects}
    assert len(chart_marks(browser, "chart-regions", "bar")) == 2 * len(regions)

    # Amounts in 億円 with the exact yen on hover; the CSV keeps the integer.
    cell = browser.find_element(By.CSS_SELECTOR, "#row-budget-1 td.yen span")
    assert (cell.text, cell.get_attribute("title")) == ("134億円", "13,400,000,000円")
    assert budget[0]["amount_yen"] == 13_400_000_000

    # One page scroll: no pane scrolls on its own, every table fits the 1400 px window, headers stick.
    assert browser.execute_script(
        "return [...document.querySelectorAll('main, .pane, section')]"
        ".every(e => !/(auto|scroll)/.test(getComputedStyle(e).overflowY))"
    )
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 1400
    widths = browser.execute_script(
        "return [...document.querySelectorAll('table.data')].map(t => t.getBoundingClientRect().right)"
    )
    assert widths and max(widths) <= browser.execute_script("return window.innerWidth")
    assert browser.find_element(By.CSS_SELECTOR, "#t-budget th").value_of_css_property("position") == "sticky"

    for chart_id in ("chart-budget", "chart-regions", "chart-projects"):
        shoot(browser, chart_id, f"{chart_id}.png")


def test_changes_chart_against_the_next_edition(browser: WebDriver, editions: tuple[Path, Path]) -> None:
    from selenium.webdriver.common.by import By

    from pipeline.audit import charts
    from pipeline.audit.diff import pair_rows

    old, new = editions
    page = report.write_report(new, against=old)
    browser.get(page.as_uri())
    before = {name: csv_rows(old, name) for name in ("projects", "budget")}
    after = {name: csv_rows(new, name) for name in ("projects", "budget")}

    # A filled point per new value, a hollow one per old value: counted from the two editions' tables.
    new_points = chart_marks(browser, "chart-changes", "point", "new: ")
    old_points = chart_marks(browser, "chart-changes", "point", "old: ")
    assert len(new_points) == sum(present(after["projects"], c) for c in ("companies", "universities")) + present(
        after["budget"], "amount_yen"
    )
    assert len(old_points) == sum(present(before["projects"], c) for c in ("companies", "universities")) + present(
        before["budget"], "amount_yen"
    )

    # Status colours: the renamed, added and changed projects, and budget lines moved by the fiscal year only.
    colour = {m["label"][len("new: ") :]: m["fill"] for m in new_points}
    assert (
        colour["東海ものづくり創生プロジェクト → 東海次世代ものづくり創生プロジェクト"]
        == charts.STATUS_COLOURS["renamed"]
    )
    assert colour["九州地域半導体・エレクトロニクスクラスター計画"] == charts.STATUS_COLOURS["added"]
    assert colour["文部科学省 / 一般型"] == charts.STATUS_COLOURS["changed"]
    assert colour["経済産業省 / 新事業創出支援事業"] == charts.STATUS_COLOURS["added"]
    assert colour["文部科学省 / 知的クラスター創成事業"] == charts.STATUS_COLOURS["same"]
    removed = [m for m in old_points if m["label"] == "old: 循環・環境型社会形成プロジェクト"]
    assert removed and all(m["stroke"] == charts.STATUS_COLOURS["removed"] for m in removed)
    pairs = pair_rows("budget", before["budget"], after["budget"])
    assert sum(1 for status, _, _ in pairs if status == "changed") == len(before["budget"])  # all moved year

    # The diff says the fiscal year once and lists only the budget lines whose amounts moved.
    diff = browser.find_element(By.ID, "diff")
    assert "fiscal_year: 2009 → 2010 in all 13 matched rows" in diff.text
    budget_rows = diff.find_elements(By.XPATH, ".//h4[starts-with(., 'budget')]/following-sibling::table[1]//tbody/tr")
    assert {r.find_element(By.CSS_SELECTOR, "td:nth-child(2)").text for r in budget_rows} == {
        "経済産業省 / 新事業創出支援事業",
        "文部科学省 / 文部科学省",
        "経済産業省 / 経済産業省",
        "文部科学省 / 一般型",
        "文部科学省 / 都市エリア産学官連携促進事業",
    }
    shoot(browser, "chart-changes", "chart-changes.png")


def test_print_to_pdf_has_pages_with_tables_and_charts(editions: tuple[Path, Path], tmp_path: Path) -> None:
    import pdfplumber

    old, _ = editions
    page = report.write_report(old)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTIFACTS / "report.pdf"
    pdf.unlink(missing_ok=True)
    subprocess.run(
        [
            CHROMIUM,
            *(f for f in CHROMIUM_FLAGS if not f.startswith("--window-size")),
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with pdfplumber.open(pdf) as doc:
        pages = [p.extract_text() or "" for p in doc.pages]
        first = doc.pages[0]
        assert first.width < first.height  # A4 portrait, as the print stylesheet asks
    text = "\n".join(pages)
    assert len(pages) >= 3
    assert "89億円 ≠ 子の合計 87億円" in text  # the budget chart's text is printed
    assert "地域別の企業数・大学数" in text and "プロジェクト別の企業数・大学数" in text
    assert "知的クラスター創成事業" in text and "134億円" in text  # the budget table, in 億円
    assert "TOHOKUものづくりコリドー" in text  # the projects table
    assert max(len(p) for p in pages) > 200  # pages carry text, not blank sheets
