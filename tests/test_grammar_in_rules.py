"""Grammar that used to sit in Python is read from rules/: a change to the rule file changes what is
read, with no code change (hub columns and heading marks, list bullets, page-number words)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import pipeline
from pipeline.core.rules import load_rules
from pipeline.readers import pdf

from .conftest import RULES

HUBS = (
    "【平成21年度グローバル産学官連携拠点選定地域】\n\n北大リサーチ＆\n\nビジネスパーク\n\n京都発未来創造型\n産業創成連携拠点\n\n"
    "北海道、札幌市\n\n京都府、京都市\n\n北海道大学\n\n京都大学\n\n北海道経済連合会\n\n京都商工会議所\n\n"
    "北海道科学技術振興財団\n\n京都産業振興財団\n\n拠点名 提案自治体 提案大学等 提案企業等 支援機関\n"
)


def _rules_copy(tmp_path: Path, stem: str, old: str, new: str) -> Path:
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / f"{stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return folder


def _hub_orgs(result: pipeline.core.result.Result) -> list[str]:
    m = result.tables["mentions"]
    return m[(m["kind"] == "organization") & (m["rule"] == "hub.cell")]["value"].tolist()


def test_a_hub_column_added_to_the_rules_is_read(tmp_path: Path) -> None:
    plain = pipeline.extract(HUBS, rules_dir=RULES)
    assert "北海道科学技術振興財団" not in _hub_orgs(plain)
    assert "hub_columns_unequal" in plain.tables["warnings"]["code"].tolist()  # a fifth column nobody named

    # a column labelled 支援機関, whose items are organisations
    partners = next(ln + "\n" for ln in (RULES / "hubs.yaml").read_text(encoding="utf-8").splitlines()
                    if ln.startswith("  partners: ["))
    folder = _rules_copy(tmp_path, "hubs", partners, partners + "  supporters: [支援機関]\n")
    text = (folder / "hubs.yaml").read_text(encoding="utf-8")
    text = text.replace("  partners: other\n", "  partners: other\n  supporters: other\n")
    (folder / "hubs.yaml").write_text(text, encoding="utf-8")
    read = pipeline.extract(HUBS, rules_dir=folder)
    assert read.tables["hubs"][["name", "partners"]].values.tolist() == [
        ["北大リサーチ&ビジネスパーク", "北海道経済連合会"], ["京都発未来創造型産業創成連携拠点", "京都商工会議所"]
    ]
    assert {"北海道科学技術振興財団", "京都産業振興財団"} <= set(_hub_orgs(read))
    assert "hub_columns_unequal" not in read.tables["warnings"]["code"].tolist()


def test_hub_heading_marks_come_from_the_rules(tmp_path: Path) -> None:
    # The cells run up from the header until a heading: once ★ is a heading mark, a ★ line inside the
    # list cuts it short.
    four_columns = HUBS.replace(" 支援機関", "").replace("北海道科学技術振興財団\n\n京都産業振興財団\n\n", "")
    starred = four_columns.replace("北海道大学\n\n", "★北海道大学\n\n")
    marked = _rules_copy(tmp_path, "hubs", 'heading_marks: "■【●◆□◇"', 'heading_marks: "■【●◆□◇★"')
    assert len(pipeline.extract(four_columns, rules_dir=marked).tables["hubs"]) == 2
    assert len(pipeline.extract(starred, rules_dir=RULES).tables["hubs"]) == 2
    assert len(pipeline.extract(starred, rules_dir=marked).tables["hubs"]) < 2


def test_list_bullets_come_from_the_rules(tmp_path: Path) -> None:
    text = "◉地域クラスターフォーラム（平成21年6月20日・名古屋市）\n"
    plain = pipeline.extract(text, rules_dir=RULES).tables["events"]["name"].tolist()
    assert plain == ["◉地域クラスターフォーラム"]
    folder = _rules_copy(tmp_path, "layout", 'bullets: "・●◆◇■□○◎▲△▼▽★☆※-*"', 'bullets: "・●◆◇■□○◎▲△▼▽★☆※-*◉"')
    assert pipeline.extract(text, rules_dir=folder).tables["events"]["name"].tolist() == ["地域クラスターフォーラム"]


def test_page_number_words_come_from_the_rules(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert pdf.is_page_number("12ページ") and pdf.is_page_number("頁 3")
    assert not pdf.is_page_number("12まい")
    folder = _rules_copy(tmp_path, "layout", "page_words: [ページ, 頁]", "page_words: [ページ, 頁, まい]")
    monkeypatch.setattr(pdf, "cached_rules", lambda: load_rules(folder))
    pdf._page_number_re.cache_clear()
    try:
        assert pdf.is_page_number("12まい")
    finally:
        pdf._page_number_re.cache_clear()
