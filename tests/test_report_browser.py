"""The report in a real headless Chromium: tables render, mention links land on their rows.

Needs Debian's ``chromium`` and ``chromium-driver`` (CI installs them) and selenium (dev extra). The page is
built from the seed brochure with a small regex stand-in for the engine, so this test does not depend on
the engine's rules; a screenshot lands in tests/artifacts/report.png (git-ignored) for a person to look at.
"""

from __future__ import annotations

import re
import shutil
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
    not (Path(CHROMIUM).is_file() and Path(CHROMEDRIVER).is_file()),
    reason="chromium and chromedriver are not installed (apt-get install chromium chromium-driver)",
)

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
        {"name": line[1:].strip(), "line": number}
        for number, line in enumerate(lines, start=1)
        if line.startswith("◆")
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


def test_report_renders_and_mentions_link_to_rows(
    browser: WebDriver, seed_report: tuple[Path, int, int]
) -> None:
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
    rows[-1].find_element(By.CSS_SELECTOR, "td:last-child a").click()
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
