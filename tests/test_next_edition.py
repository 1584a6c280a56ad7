"""A next edition made from the seed (tests/editions.py): CP932, CRLF, other figures and notations,
projects added, dropped and renamed. Its tables must match the plan with no code change."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.core.document import canonical_text

from .conftest import RULES
from .editions import make_next_edition, make_relaid_edition, make_reworded_edition, make_tabled_edition


@pytest.fixture(scope="module")
def edition(tmp_path_factory: pytest.TempPathFactory):
    ed = make_next_edition()
    path = Path(tmp_path_factory.mktemp("ed")) / "chiiki-cluster-h22.txt"
    path.write_bytes(ed.to_bytes())
    return ed, pipeline.extract(path, rules_dir=RULES)


def _by(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    return {r[key]: r for r in frame.to_dict("records")}


def test_decoded_from_cp932_crlf(edition) -> None:
    ed, result = edition
    assert result.input.encoding == "cp932"
    assert "\r" not in result.source
    assert result.source == ed.text


def test_projects_follow_the_plan(edition, seed_result) -> None:
    ed, result = edition
    plan = ed.planted["projects"]
    new = _by(result.tables["projects"], "name")
    old = _by(seed_result.tables["projects"], "name")
    for name, want in plan["added"].items():
        assert name in new and name not in old
        for col, value in want.items():
            assert new[name][col] == value, (name, col)
    for name in plan["removed"]:
        assert name in old and name not in new
    for before, after in plan["renamed"].items():
        assert before not in new and after in new
        assert new[after]["region"] == old[before]["region"] == "中部"
        assert new[after]["companies"] == old[before]["companies"]
    for name, cols in plan["changed"].items():
        for col, (was, now) in cols.items():
            assert old[name][col] == was and new[name][col] == now
    # Everything else is unchanged, full-width and kanji notations included.
    untouched = set(old) - set(plan["removed"]) - set(plan["renamed"]) - set(plan["changed"])
    cols = ["region", "fields", "companies", "companies_approx", "universities", "ended_fy", "aliases"]
    for name in untouched:
        assert {c: new[name][c] for c in cols} == {c: old[name][c] for c in cols}, name
    assert new["バイオベンチャーの育成"]["companies"] == 580
    assert new["地域産業活性化プロジェクト"]["universities"] == 134
    assert len(new) == len(old)


def test_budget_follows_the_plan(edition) -> None:
    ed, result = edition
    plan = ed.planted["budget"]
    rows = _by(result.tables["budget"], "item")
    assert set(result.tables["budget"]["fiscal_year"]) == {plan["fiscal_year"]["after"]}
    for item, want in plan["added"].items():
        assert rows[item]["parent"] == want["parent"]
        assert rows[item]["amount_yen"] == want["amount_yen"]
        assert rows[item]["ministry"] == "経済産業省"
    for item, cols in plan["changed"].items():
        for col, (_was, now) in cols.items():
            assert rows[item][col] == now, item
    assert rows["戦略的技術支援事業"]["amount_yen"] == 12_000_000_000  # 百二十億円
    assert rows["経済産業省"]["sum_check"] == "ok"
    assert rows["文部科学省"]["sum_check"] == "ok"
    assert rows["知的クラスター創成事業"]["sum_check"] == "mismatch"


def test_events_and_hubs(edition, seed_result) -> None:
    ed, result = edition
    events = _by(result.tables["events"], "name")
    for name, want in ed.planted["events"]["added"].items():
        assert events[name]["start_date"] == want["start_date"]
        assert events[name]["end_date"] == want["end_date"]
    for name in ed.planted["events"]["removed"]:
        assert name not in events
    pd.testing.assert_frame_equal(
        result.tables["hubs"].drop(columns=["doc", "line"]),
        seed_result.tables["hubs"].drop(columns=["doc", "line"]),
    )


def test_every_mention_points_at_its_text(edition) -> None:
    _, result = edition
    for r in result.tables["mentions"].itertuples():
        assert result.source[r.start : r.end] == r.text


def test_relaid_edition_gives_the_same_tables(tmp_path: Path, seed_result) -> None:
    """Header above the hub cells, kanji and abbreviated years, UTF-16 with CR line ends."""
    ed = make_relaid_edition()
    path = tmp_path / "relaid.txt"
    path.write_bytes(ed.to_bytes())
    result = pipeline.extract(path, rules_dir=RULES)
    assert result.input.encoding.startswith("utf-16")
    for table in ("projects", "budget", "hubs", "events"):
        pd.testing.assert_frame_equal(
            result.tables[table].drop(columns=["doc", "line"]),
            seed_result.tables[table].drop(columns=["doc", "line"]),
            obj=table,
        )


def test_reworded_edition_gives_the_same_projects_and_events(tmp_path: Path, seed_result) -> None:
    """Projects with their details on the marker line under ■, events as a labelled block, a sentence
    and a list line: the same projects and events as the seed."""
    ed = make_reworded_edition()
    assert "■北海道バイオ産業成長戦略（バイオ分野：約160社・26大学）" in ed.text
    path = tmp_path / "reworded.txt"
    path.write_bytes(ed.to_bytes())
    result = pipeline.extract(path, rules_dir=RULES)
    for table in ("projects", "events", "budget", "hubs"):
        pd.testing.assert_frame_equal(
            result.tables[table].drop(columns=["doc", "line"]),
            seed_result.tables[table].drop(columns=["doc", "line"]),
            obj=table,
        )
    events = result.tables["mentions"].query("kind == 'event' and rule.str.startswith('event.') "
                                             "and rule != 'event.name'")
    assert dict(zip(events["value"], events["rule"], strict=True)) == {
        "第8回産学官連携推進会議": "event.labelled", "地域クラスターセミナー": "event.sentence",
        "クラスタージャパン2008テクノフェア": "event.listed"}


@pytest.mark.parametrize(
    ("kind", "text", "value", "unit"),
    [
        ("count", "約５８０社", "580", "社"),
        ("count", "百三十四大学", "134", "大学"),
        ("count", "約１７５社", "175", "社"),
        ("amount", "百二十億円", "12000000000", "JPY"),
        ("amount", "1,800百万円", "1800000000", "JPY"),
        ("amount", "4,800百万円", "4800000000", "JPY"),
        ("period", "平成22年6月19日～20日", "2010-06-19/2010-06-20", ""),
    ],
)
def test_new_notations_are_mentions(edition, kind: str, text: str, value: str, unit: str) -> None:
    _, result = edition
    m = result.tables["mentions"]
    hits = m[(m.kind == kind) & (m.text == text)]
    assert list(hits["value"]) == [value]
    assert list(hits["unit"].fillna("")) == [unit]


def test_tabled_edition_gives_the_same_project_names_fields_and_counts(tmp_path: Path, seed_result) -> None:
    """Projects printed as a borderless table (full-width spaces between cells, long names wrapped onto
    a line of their own): each comes out with the seed's name, aliases, fields and counts."""
    ed = make_tabled_edition()
    path = tmp_path / "tabled.txt"
    path.write_bytes(ed.to_bytes())
    result = pipeline.extract(path, rules_dir=RULES)
    columns = ["name", "aliases", "fields", "companies", "companies_approx", "universities", "universities_approx"]
    got = result.tables["projects"].set_index("name")
    want = seed_result.tables["projects"].set_index("name")
    assert sorted(got.index) == sorted(want.index)
    tabled = [canonical_text(n) for n in ed.planted["tabled_projects"]["names"]]
    tabled = [want.index[[canonical_text(k) == n or n.startswith(canonical_text(k)) for k in want.index]][0]
              for n in tabled]
    assert len(tabled) >= 10
    pd.testing.assert_frame_equal(got.loc[tabled, columns[1:]], want.loc[tabled, columns[1:]], obj="projects")
    rules = result.tables["mentions"].query("kind == 'project'").set_index("value")["rule"]
    assert {rules[n] for n in tabled} == {"project.table"}
