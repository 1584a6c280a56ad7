"""Budget trees that survive renamed and restructured programmes (tests/editions.py rewrites the seed).

When a programme is renamed, the rule naming its children's parent no longer applies; the tree must
still come out whole where exactly one placement adds up at every level, and never be guessed."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

import pipeline

from .conftest import RULES, SEED
from .editions import SEED_BUDGET, rewrite_budget

SEED_TEXT = SEED.read_text(encoding="utf-8")


def _nfkc(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def _extract(tmp_path: Path, text: str):
    path = tmp_path / "chiiki-cluster-h22.txt"
    path.write_text(text, encoding="utf-8")
    return pipeline.extract(path, rules_dir=RULES)


def _assert_tree(result, plan) -> None:
    rows = {r["item"]: r for r in result.tables["budget"].to_dict("records")}
    assert set(rows) == {_nfkc(n) for n in plan}
    for name, want in plan.items():
        row = rows[_nfkc(name)]
        got = (row["parent"], row["ministry"], row["amount_yen"])
        assert got == (_nfkc(want.parent), want.ministry, want.oku * 100_000_000), name
    mismatches = set(result.tables["budget"].query("sum_check == 'mismatch'")["item"])
    assert mismatches == {"知的クラスター創成事業"}  # the seed's own 89 vs 12 + 75, nothing else
    codes = list(result.tables["warnings"]["code"])
    assert "budget_unplaced" not in codes
    assert codes.count("budget_sum_mismatch") == 1


CASES = {
    # The case: MEXT's 都市エリア restructured under a new name, its children unchanged.
    "renamed-mext-programme": dict(
        renames={"都市エリア産学官連携促進事業": "地域連携推進プログラム（都市エリア型）"},
        amounts={"一般型": 14, "地域連携推進プログラム（都市エリア型）": 44},
    ),
    # The name alone changes: the figures are the seed's.
    "renamed-only": dict(
        renames={"都市エリア産学官連携促進事業": "地域連携推進プログラム（都市エリア型）"},
    ),
    # A METI programme renamed, with its two children that the rules still name under the old name.
    "renamed-meti-programme": dict(
        renames={"地域イノベーション協創プログラム": "地域新成長産業創出促進事業"},
        amounts={"大学発事業創出実用化研究開発事業": 19, "地域新成長産業創出促進事業": 32},
    ),
    # A child renamed: no rule knows it, it completes its parent next to its rule-named sibling.
    "renamed-child": dict(renames={"発展型": "広域展開型"}),
    # A parent and both children renamed: nothing is known by rule below the ministry.
    "renamed-family": dict(
        renames={"都市エリア産学官連携促進事業": "地域科学技術振興事業",
                 "一般型": "地域連携型", "発展型": "重点推進型"},
        amounts={"地域連携型": 16, "地域科学技術振興事業": 46},
    ),
    # A new line no rule knows next to a renamed programme at the other ministry.
    "renamed-and-added": dict(
        renames={"都市エリア産学官連携促進事業": "地域連携推進プログラム（都市エリア型）"},
        added={"新事業創出支援事業": ("経済産業省", 7)},
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_renamed_lines_give_the_whole_tree(tmp_path: Path, case: str) -> None:
    text, plan = rewrite_budget(SEED_TEXT, heisei=22, **CASES[case])
    result = _extract(tmp_path, text)
    assert set(result.tables["budget"]["fiscal_year"]) == {2010}
    _assert_tree(result, plan)


def test_the_generator_reprints_the_seed() -> None:
    text, plan = rewrite_budget(SEED_TEXT)
    assert text == SEED_TEXT
    assert {n: (b.parent, b.oku) for n, b in plan.items()} == SEED_BUDGET


def test_seed_tree_unchanged(seed_result) -> None:
    _, plan = rewrite_budget(SEED_TEXT)
    _assert_tree(seed_result, plan)
    rows = {r["item"]: r for r in seed_result.tables["budget"].to_dict("records")}
    assert rows["知的クラスター創成事業"]["children_sum_yen"] == 8_700_000_000


def test_two_consistent_trees_are_not_guessed(tmp_path: Path) -> None:
    """A renamed programme of 44 whose children add up to 44, beside an unknown 44 line at the same
    ministry: either could be the ministry's line, so neither is placed and both are warned about."""
    text, _ = rewrite_budget(
        SEED_TEXT,
        renames={"都市エリア産学官連携促進事業": "地域連携推進プログラム（都市エリア型）"},
        amounts={"一般型": 14, "地域連携推進プログラム（都市エリア型）": 44},
    )
    text = text.replace("グローバル拠点育成型　12億円", "グローバル拠点育成型　12億円\n\n地域再生支援事業　44億円")
    result = _extract(tmp_path, text)
    rows = {r["item"]: r for r in result.tables["budget"].to_dict("records")}
    assert rows["地域再生支援事業"]["parent"] == ""
    assert rows["地域連携推進プログラム(都市エリア型)"]["parent"] == ""
    unplaced = result.tables["warnings"].query("code == 'budget_unplaced'")["message"]
    assert any("地域再生支援事業" in m for m in unplaced)


def test_children_of_an_absent_parent_are_still_placed(tmp_path: Path) -> None:
    """The rules name 都市エリア産学官連携促進事業 as 一般型's and 発展型's parent; an edition without that line
    places them where their amounts complete the tree: directly under their ministry."""
    text = SEED_TEXT.replace("都市エリア産学官連携促進事業　　 45億円　", "")
    assert text != SEED_TEXT
    result = _extract(tmp_path, text)
    rows = {r["item"]: r for r in result.tables["budget"].to_dict("records")}
    for item in ("一般型", "発展型"):
        assert (rows[item]["parent"], rows[item]["ministry"]) == ("文部科学省", "文部科学省")
    assert rows["文部科学省"]["sum_check"] == "ok"
    assert "budget_unplaced" not in set(result.tables["warnings"]["code"])


def test_renamed_programme_in_the_next_edition(tmp_path: Path) -> None:
    """tests/editions.py's next edition (百万円, a new METI line no rule knows) with 都市エリア renamed too."""
    from .editions import make_next_edition

    ed = make_next_edition()
    new = "地域イノベーション戦略支援プログラム（都市エリア型）"
    text = ed.text.replace("都市エリア産学官連携促進事業　　 4,800百万円", f"{new}　　 4,800百万円")
    assert text != ed.text
    rows = {r["item"]: r for r in _extract(tmp_path, text).tables["budget"].to_dict("records")}
    new = _nfkc(new)
    assert (rows[new]["parent"], rows[new]["sum_check"]) == ("文部科学省", "ok")
    for item in ("一般型", "発展型"):
        assert (rows[item]["parent"], rows[item]["ministry"]) == (new, "文部科学省")
    assert rows["新事業創出支援事業"]["parent"] == "経済産業省"
    assert {r["item"] for r in rows.values() if r["sum_check"] == "mismatch"} == {"知的クラスター創成事業"}


def test_many_equal_lines_are_left_unplaced_quickly(tmp_path: Path) -> None:
    """Thirty 1億円 lines no rule knows under a 6億円 ministry: thousands of ways, so none is guessed."""
    lines = "".join(f"\n\n地域支援事業{i:02d}　1億円" for i in range(30))
    text = f"平成22年度関連予算\n\n経済産業省 予算額6億円{lines}\n"
    result = pipeline.extract(text, rules_dir=RULES)
    budget = result.tables["budget"]
    assert len(budget) == 31
    assert set(budget.loc[budget.item != "経済産業省", "parent"]) == {""}
    assert list(result.tables["warnings"]["code"]).count("budget_unplaced") == 30
