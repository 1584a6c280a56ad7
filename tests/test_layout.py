"""Layout repair: each repair on its own, and the offset map back to the source."""

from __future__ import annotations

import pytest

from pipeline.core.rules import load_rules
from pipeline.text.layout import remove_letter_spacing, repair_doubled_runs, repair_layout

from .conftest import RULES


@pytest.fixture(scope="module")
def cfg():
    return load_rules(RULES).get("layout")


def _keep(text: str, mask: list[bool]) -> str:
    return "".join(c for c, k in zip(text, mask, strict=True) if k)


@pytest.mark.parametrize(
    ("line", "repaired"),
    [
        ("高機能内視鏡高機能内視鏡と手術手術ナビゲーションシステム開発にム開発によるよる",
         "高機能内視鏡と手術ナビゲーションシステム開発による"),
        ("安心安心・安全か安全かつ迅速な迅速な医療行為の実現医療行為の実現", "安心・安全かつ迅速な医療行為の実現"),
        ("ますます発展する地域", "ますます発展する地域"),  # reduplication, not overprint
        ("2020年2020年度の予算", "2020年2020年度の予算"),  # one repeat is not an overprinted line
        ("会議会議", "会議会議"),
    ],
)
def test_doubled_runs(line: str, repaired: str, cfg) -> None:
    assert _keep(line, repair_doubled_runs(line, cfg["doubled_runs"])) == repaired


def test_doubled_runs_up_to_the_configured_length(cfg) -> None:
    """A 22-character run printed twice is repaired with rules/layout.yaml's max_run, not with 20."""
    run = "地域イノベーション戦略支援プログラム推進事業"
    assert len(run) == 22
    line = f"{run}{run}と手術手術支援"
    doubled = cfg["doubled_runs"]
    assert doubled["max_run"] >= len(run)
    assert _keep(line, repair_doubled_runs(line, doubled)) == f"{run}と手術支援"
    shorter = dict(doubled, max_run=20)
    assert _keep(line, repair_doubled_runs(line, shorter)) == line  # one strong repeat within 20: untouched


@pytest.mark.parametrize(
    ("line", "repaired"),
    [("関　東 ", "関東 "), ("基 本 技 術 の 開 発", "基本技術の開発"), ("文部科学省 関連予算", "文部科学省 関連予算"),
     ("A B C", "A B C")],
)
def test_letter_spacing(line: str, repaired: str) -> None:
    assert _keep(line, remove_letter_spacing(line)) == repaired


def test_views_and_offset_map(cfg) -> None:
    source = ("ｶﾞｲﾄﾞ　関　東\n\n10\n\n平成20年度には、両省が共催で地域の連携をより一層進めるため、「地域クラスターセ\n\n"
              "ミナー」を地方で３回開催しました。\n")
    layout = repair_layout(source, cfg)
    assert layout.lines.text.splitlines()[0] == "ガイド 関東"
    assert "10" not in layout.lines.text  # a lone page number is furniture
    assert "「地域クラスターセミナー」を地方で3回開催" in layout.flow.text
    for view in (layout.lines, layout.flow):
        assert len(view.origin) == len(view.text) + 1
        assert view.origin == sorted(view.origin)
        i = view.text.index("3回")
        assert source[slice(*view.to_source(i, i + 2))] == "３回"
    i = layout.flow.text.index("セミナー")
    assert source[slice(*layout.flow.to_source(i, i + 4))] == "セ\n\nミナー"
    i = layout.lines.text.index("ガイド")
    assert source[slice(*layout.lines.to_source(i, i + 3))] == "ｶﾞｲﾄﾞ"


def test_short_lines_and_lists_are_not_joined(cfg) -> None:
    source = ("◆東海ものづくり創生プロジェクト\n　ものづくり分野　約1,720社　28大学\n\n"
              "名古屋大学、名古屋工業大学、\n三重大学\n\n愛知県、岐阜県\n")
    flow = repair_layout(source, cfg).flow.text
    assert flow.count("\n") >= 5
    assert "プロジェクト\n" in flow and "名古屋工業大学、\n" in flow
