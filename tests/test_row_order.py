"""Rows come in the order the document lists them, whichever of a table's readers found each."""

from __future__ import annotations

import pipeline
from tests.conftest import RULES


def test_events_found_by_different_readers_are_in_line_order() -> None:
    # A labelled block (event.labelled) after a table of dated rows (event.listed), and a sentence
    # (event.sentence) between them: three readers, one order.
    text = (
        "令和５年度　主な行事\n\n"
        "開催日　　　　　　　行事名　　　　　　　　　　会場\n"
        "2023/10/3　　　　　 技術交流会2023　　　　　　東京ビッグサイト\n\n"
        "令和５年１１月８日に成果報告会を仙台国際センターで開催した。\n\n"
        "■ものづくりセミナー\n　日時：令和５年１２月８日（金）\n　会場：札幌市産業振興センター\n"
    )
    events = pipeline.extract(text, rules_dir=RULES, doc="order").tables["events"]
    assert events["name"].tolist() == ["技術交流会2023", "成果報告会", "ものづくりセミナー"]
    assert events["line"].tolist() == sorted(events["line"].tolist())


def test_projects_and_hubs_found_by_different_readers_are_in_line_order() -> None:
    text = (
        "（東北地域）\n"
        "　みやぎ素材クラスター構想では、企業約４０社と大学等５機関が連携している。\n\n"
        "◆東北メディカルネットワーク（医療機器）\n　参加企業　約１２０社　参加大学　１１\n\n"
        "【地域中核産学官連携拠点】\n"
        "・みやぎ医工連携拠点（宮城県、仙台市、東北大学）\n\n"
        "拠点名：やまがた有機エレクトロニクス拠点\n提案自治体：山形県、米沢市\n"
    )
    tables = pipeline.extract(text, rules_dir=RULES, doc="order").tables
    assert tables["projects"]["name"].tolist() == ["みやぎ素材クラスター構想", "東北メディカルネットワーク"]
    assert tables["hubs"]["name"].tolist() == ["みやぎ医工連携拠点", "やまがた有機エレクトロニクス拠点"]
