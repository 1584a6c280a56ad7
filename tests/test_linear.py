"""Issue 14: lines whose cost once grew with the square of their length, now linear.

Each test times one line shape at 10 KB and at 100 KB and checks the ratio (near 10 when linear,
near 100 when quadratic), not absolute times, so a slow or busy machine does not fail it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest

import pipeline

from .conftest import RULES

pytestmark = pytest.mark.slow  # 100 KB lines through the whole pipeline

# Linear is a ratio near 10; quadratic was over 100. The margin absorbs a shared machine's noise.
MAX_RATIO = 30


def _seconds(text: str, repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t0 = time.perf_counter()
        pipeline.extract(text, rules_dir=RULES, doc="line")
        best = min(best, time.perf_counter() - t0)
    return best


def _ratio(make: Callable[[int], str]) -> float:
    pipeline.extract("平成21年度 134億円", rules_dir=RULES)  # spaCy and MeCab load outside the timing
    small = _seconds(make(10_000), repeat=3)
    large = _seconds(make(100_000))
    return large / max(small, 1e-3)


def _dated_brackets(n: int, named: bool) -> str:
    parts, size, i = [], 0, 0
    while size < n:
        part = (f"催し{i}" if named else "") + f"({1900 + i % 100}年{i % 12 + 1}月{i % 28 + 1}日)"
        parts.append(part)
        size += len(part)
        i += 1
    return "見出し\n" + "".join(parts) + "\n"


def test_dated_brackets_on_one_line_are_linear() -> None:
    """``(1900年1月1日)(1901年2月2日)…``: the events builder read every date of the line per bracket."""
    ratio = _ratio(lambda n: _dated_brackets(n, named=False))
    assert ratio < MAX_RATIO, ratio


def test_named_dated_brackets_on_one_line_are_linear_and_named_apart() -> None:
    """``催し0(…)催し1(…)…``: each event is named by the text since the previous bracket, not the whole
    line before it (which made the names, and the time, grow with the line)."""
    result = pipeline.extract(_dated_brackets(2_000, named=True), rules_dir=RULES, doc="line")
    names = [r["name"] for r in result.rows["events"]]
    assert names[:3] == ["催し0", "催し1", "催し2"]
    assert all("(" not in n and ")" not in n for n in names)
    ratio = _ratio(lambda n: _dated_brackets(n, named=True))
    assert ratio < MAX_RATIO, ratio


def _held_sentences(n: int) -> str:
    parts, size, i = [], 0, 0
    while size < n:
        part = f"第{i}回交流フォーラムを{1990 + i % 30}年{i % 12 + 1}月{i % 28 + 1}日に会館{i}で開催した。"
        parts.append(part)
        size += len(part)
        i += 1
    return "".join(parts) + "\n"


def test_event_sentences_on_one_line_are_linear() -> None:
    """``第N回…フォーラムを…日に会館Nで開催した。`` many times on one line: each sentence finds its own date
    by bisection over the line's dates, not by a scan of all of them; each is one events row."""
    result = pipeline.extract(_held_sentences(2_000), rules_dir=RULES, doc="line")
    events = result.rows["events"]
    assert events[0]["name"] == "第0回交流フォーラム" and events[0]["venue"] == "会館0"
    assert events[0]["start_date"] == "1990-01-01"
    assert len(events) == len(_held_sentences(2_000).split("。")) - 1
    ratio = _ratio(_held_sentences)
    assert ratio < MAX_RATIO, ratio


def _seed_copies(n: int) -> str:
    from .conftest import SEED

    seed = SEED.read_text(encoding="utf-8")
    return "\n".join([seed] * (n // len(seed) + 1))[:n]


def test_many_pages_grow_linearly() -> None:
    """Copies of the seed, 30,000 and 300,000 characters: every stage over many lines. The event finder
    once asked the token-start map its size per name run, and the map counted all its bytes each time
    (500,000 characters took 10 s in that stage alone, 1,000,000 took 40 s)."""
    pipeline.extract("平成21年度 134億円", rules_dir=RULES)
    small = _seconds(_seed_copies(30_000), repeat=2)
    large = _seconds(_seed_copies(300_000))
    assert large / max(small, 1e-3) < MAX_RATIO, (small, large)


def _projects_with_notes(n: int) -> str:
    return "".join(f"◆地域{i}ものづくりプロジェクト\n　ものづくり分野　約100社　5大学\n"
                   f"※地域{i}ものづくりプロジェクトは平成21年度をもって支援を終了\n\n" for i in range(n))


def test_notes_naming_projects_are_matched_linearly() -> None:
    """Each project's note (※…プロジェクトは平成21年度をもって支援を終了) is found by its name in one lookup: a
    note per project once meant every project looked at every note (quadratic: 4 MB of seed copies took 10 s
    in the tables stage instead of 2.5). The projects table builder alone, 300 and 3,000 projects."""
    from pipeline.engine import STAGES, Document, collector_paused, repair_layout
    from pipeline.readers.ingest import source_from_text
    from pipeline.tables.projects import build

    rules = pipeline.core.rules.cached_rules(RULES)

    def seconds(n: int) -> float:
        source = source_from_text(_projects_with_notes(n), doc="notes")
        layout = repair_layout(source.text, rules.get("layout"))
        doc = Document(source, rules, layout.lines, layout.flow)
        for _, stage in STAGES[:2]:  # tokens, numbers: what the builder reads
            stage(doc)
        with collector_paused():  # as run_document builds tables: a cycle pass over the suite's heap is no cost of ours
            t0 = time.perf_counter()
            rows = build(doc)
            spent = time.perf_counter() - t0
        assert len(rows) == n and {r["ended_fy"] for r in rows} == {2009}
        return spent

    seconds(30)
    small = min(seconds(300) for _ in range(2))
    large = min(seconds(3000) for _ in range(2))
    assert large / max(small, 1e-3) < MAX_RATIO, (small, large)
