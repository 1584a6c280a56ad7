"""The seed edition, read the way a careful person reads it."""

from __future__ import annotations

import pandas as pd


def _by(frame: pd.DataFrame, key: str) -> dict[str, dict]:
    return {r[key]: r for r in frame.to_dict("records")}


def test_every_mention_is_its_source_text(seed_result) -> None:
    text = seed_result.source
    m = seed_result.tables["mentions"]
    assert len(m) > 100
    for r in m.itertuples():
        assert text[r.start : r.end] == r.text
        assert r.line == text.count("\n", 0, r.start) + 1


def test_projects(seed_result) -> None:
    p = _by(seed_result.tables["projects"], "name")
    assert len(p) == 19
    assert p["情報ベンチャーの育成"]["ended_fy"] == 2007
    assert pd.isna(p["情報ベンチャーの育成"]["companies"])
    assert p["関西バイオクラスタープロジェクト"]["aliases"] == "Bio Cluster"
    assert p["九州地域環境・リサイクル産業交流プラザ(K-RIP)"]["companies"] == 540
    assert p["関西フロントランナープロジェクト"]["fields"] == "ものづくり;情報;エネルギー"
    assert p["地域産業活性化プロジェクト"]["region"] == "関東"  # from the group's header line
    assert p["次世代中核産業形成プロジェクト"]["region"] == "中国"  # explicit rule
    assert p["OKINAWA型産業振興プロジェクト"]["region"] == "沖縄"
    assert p["地域産業活性化プロジェクト"]["companies"] == 2210
    assert bool(p["地域産業活性化プロジェクト"]["companies_approx"]) is True
    assert bool(p["地域産業活性化プロジェクト"]["universities_approx"]) is False
    regions = seed_result.tables["projects"]["region"].value_counts().to_dict()
    assert regions == {"近畿": 3, "中部": 3, "関東": 3, "九州": 3, "北海道": 2, "中国": 2,
                       "四国": 1, "東北": 1, "沖縄": 1}


def test_budget_tree_and_audit(seed_result) -> None:
    b = _by(seed_result.tables["budget"], "item")
    assert len(b) == 13
    totals = seed_result.tables["budget"].query("parent == ''")["amount_yen"].sum()
    assert totals == 30_000_000_000
    assert b["第II期"]["parent"] == "知的クラスター創成事業"
    assert b["知的クラスター創成事業"]["children_sum_yen"] == 8_700_000_000
    assert b["知的クラスター創成事業"]["sum_check"] == "mismatch"
    assert b["地域イノベーション協創プログラム"]["sum_check"] == "ok"
    assert b["大学発事業創出実用化研究開発事業"]["ministry"] == "経済産業省"
    w = seed_result.tables["warnings"]
    assert list(w.loc[w.code == "budget_sum_mismatch", "line"]) == [126]


def test_hubs(seed_result) -> None:
    h = _by(seed_result.tables["hubs"], "name")
    assert list(h) == ["北大リサーチ&ビジネスパーク", "東海地域環境調和型高付加価値モノづくり拠点形成",
                       "関西バイオメディカルクラスター", "京都発未来創造型産業創成連携拠点",
                       "新成長産業クラスター連携融合拠点"]
    assert h["新成長産業クラスター連携融合拠点"]["partners"].split(";")[1] == "福岡県バイオ産業拠点推進会議"
    assert {r["category"] for r in h.values()} == {"グローバル産学官連携拠点"}


def test_events(seed_result) -> None:
    e = _by(seed_result.tables["events"], "name")
    assert e["第8回産学官連携推進会議"]["venue"] == "国立京都国際会館"
    assert (e["地域クラスターセミナー"]["start_date"], e["地域クラスターセミナー"]["end_date"]) == ("2008-11-20",) * 2


def test_organizations_spell_out_legal_forms(seed_result) -> None:
    o = _by(seed_result.tables["organizations"], "name")
    assert o["株式会社アメリオ"]["type"] == "company"
    assert o["パルステック工業株式会社"]["mentions"] == 2
    assert o["文部科学省"]["type"] == "government"
    assert "各大学" not in o and "関係府省" not in o


def test_page_furniture_is_not_a_count(seed_result) -> None:
    m = seed_result.tables["mentions"]
    assert not ((m.kind == "count") & m.value.isin(["10", "1312"]) & m.line.isin([4, 209])).any()
