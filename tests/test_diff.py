"""pipeline diff: two editions' output folders, written here by hand as `pipeline run` would write them."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from pipeline.audit import diff as diff
from pipeline.audit import diff_format
from pipeline.cli import main
from pipeline.outputs.write import table_csv
from pipeline.tables import TABLES

ROOT = Path(__file__).resolve().parents[1]


def mention(
    source: str,
    kind: str,
    text: str,
    value: Any,
    unit: str | None = None,
    *,
    approx: bool | None = None,
    nth: int = 0,
    rule: str = "test",
) -> dict[str, Any]:
    """A mentions row pointing at the nth occurrence of ``text`` in ``source``."""
    start = -1
    for _ in range(nth + 1):
        start = source.index(text, start + 1)
    return {
        "kind": kind,
        "text": text,
        "value": str(value),
        "unit": unit,
        "approx": approx,
        "page": 1,
        "line": source.count("\n", 0, start) + 1,
        "start": start,
        "end": start + len(text),
        "rule": rule,
    }


def write_doc(parent: Path, doc: str, source: str, tables: dict[str, list[dict[str, Any]]]) -> Path:
    """An output folder parent/doc/ with source.txt and every table's CSV."""
    folder = parent / doc
    folder.mkdir(parents=True)
    (folder / "source.txt").write_text(source, encoding="utf-8")
    for name in TABLES:
        frame = pd.DataFrame(
            [{"doc": doc, **row} for row in tables.get(name, [])], columns=TABLES[name].column_names
        )
        (folder / f"{name}.csv").write_text(table_csv(name, frame), encoding="utf-8")
    return folder


H21 = """地域クラスター関連事業
◆北海道バイオ産業成長戦略
　バイオ分野　約160社　26大学
◆バイオベンチャーの育成
　バイオ分野　約580社　11大学
◆九州地域環境・リサイクル産業交流プラザ（K-RIP）
　環境分野　約540社　21大学
◆四国テクノブリッジ計画
　ものづくり、健康・バイオ分野　約500社　10大学
◆TOHOKUものづくりコリドー
　ものづくり分野　約780社　48大学
文部科学省 関連予算134億円
"""

# The next edition: a new first line shifts every line, Hokkaido gained companies, K-RIP lost its
# English name, Shikoku is gone, Okinawa is new, and some notations went full-width.
H22 = """平成22年度版
地域クラスター関連事業
◆北海道バイオ産業成長戦略
　バイオ分野　約175社　26大学
◆バイオベンチャーの育成
　バイオ分野　約５８０社　１１大学
◆九州地域環境・リサイクル産業交流プラザ
　環境分野　約560社　21大学
◆ＴＯＨＯＫＵものづくりコリドー
　ものづくり分野　約780社　48大学
◆OKINAWA型産業振興プロジェクト
　情報・健康・環境・加工交易分野　約120社　7大学
文部科学省 関連予算120億円
"""


def project(region: str, name: str, fields: str, companies: int, universities: int, line: int) -> dict[str, Any]:
    return {
        "region": region,
        "name": name,
        "aliases": None,
        "fields": fields,
        "companies": companies,
        "companies_approx": True,
        "universities": universities,
        "universities_approx": False,
        "ended_fy": None,
        "line": line,
    }


def h21_tables() -> dict[str, list[dict[str, Any]]]:
    s = H21
    return {
        "projects": [
            project("北海道", "北海道バイオ産業成長戦略", "バイオ", 160, 26, 2),
            project("関東", "バイオベンチャーの育成", "バイオ", 580, 11, 4),
            project("九州", "九州地域環境・リサイクル産業交流プラザ(K-RIP)", "環境", 540, 21, 6),
            project("四国", "四国テクノブリッジ計画", "ものづくり;健康;バイオ", 500, 10, 8),
            project("東北", "TOHOKUものづくりコリドー", "ものづくり", 780, 48, 10),
        ],
        "budget": [
            {
                "fiscal_year": 2009,
                "ministry": "文部科学省",
                "item": "文部科学省",
                "parent": None,
                "amount_yen": 13_400_000_000,
                "line": 12,
            },
        ],
        "mentions": [
            mention(s, "count", "約160社", 160, "社", approx=True),
            mention(s, "count", "約580社", 580, "社", approx=True),
            mention(s, "count", "11大学", 11, "大学"),
            mention(s, "amount", "134億円", 13_400_000_000, "JPY"),
        ],
        "organizations": [{"name": "文部科学省", "type": "government", "mentions": 1, "first_line": 12}],
    }


def h22_tables() -> dict[str, list[dict[str, Any]]]:
    s = H22
    return {
        "projects": [
            project("北海道", "北海道バイオ産業成長戦略", "バイオ", 175, 26, 3),
            project("関東", "バイオベンチャーの育成", "バイオ", 580, 11, 5),
            project("九州", "九州地域環境・リサイクル産業交流プラザ", "環境", 560, 21, 7),
            project("東北", "ＴＯＨＯＫＵものづくり コリドー", "ものづくり", 780, 48, 9),
            project("沖縄", "OKINAWA型産業振興プロジェクト", "情報;健康;環境;加工交易", 120, 7, 11),
        ],
        "budget": [
            {
                "fiscal_year": 2010,
                "ministry": "文部科学省",
                "item": "文部科学省",
                "parent": None,
                "amount_yen": 12_000_000_000,
                "line": 13,
            },
        ],
        "mentions": [
            mention(s, "count", "約175社", 175, "社", approx=True),
            mention(s, "count", "約５８０社", "５８０", "社", approx=True, rule="count-fullwidth"),
            mention(s, "count", "１１大学", 11, "大学"),
            mention(s, "amount", "120億円", 12_000_000_000, "JPY"),
        ],
        "organizations": [{"name": "文部科学省", "type": "government", "mentions": 1, "first_line": 13}],
    }


@pytest.fixture
def editions(tmp_path: Path) -> tuple[Path, Path]:
    old = write_doc(tmp_path / "old", "chiiki-cluster-h21", H21, h21_tables())
    new = write_doc(tmp_path / "new", "chiiki-cluster-h22", H22, h22_tables())
    return old, new


def names(rows: list[dict[str, Any]]) -> list[str]:
    return [r["name"] for r in rows]


def test_projects_added_removed_changed_renamed(editions: tuple[Path, Path]) -> None:
    result = diff.diff_dirs(*editions)
    projects = result["projects"]

    assert names(projects["added"]) == ["OKINAWA型産業振興プロジェクト"]
    assert projects["added"][0]["line"] == 11
    assert names(projects["removed"]) == ["四国テクノブリッジ計画"]
    assert projects["changed"] == [
        {
            "key": {"name": "北海道バイオ産業成長戦略"},
            "columns": ["companies"],
            "before": {
                **project("北海道", "北海道バイオ産業成長戦略", "バイオ", 160, 26, 2),
                "doc": "chiiki-cluster-h21",
            },
            "after": {
                **project("北海道", "北海道バイオ産業成長戦略", "バイオ", 175, 26, 3),
                "doc": "chiiki-cluster-h22",
            },
        }
    ]
    [renamed] = projects["renamed"]
    assert renamed["old_name"] == "九州地域環境・リサイクル産業交流プラザ(K-RIP)"
    assert renamed["new_name"] == "九州地域環境・リサイクル産業交流プラザ"
    assert renamed["key"] == {"name": "九州地域環境・リサイクル産業交流プラザ(K-RIP)"}
    assert renamed["columns"] == ["name", "companies"]
    assert (renamed["before"]["line"], renamed["after"]["line"]) == (6, 7)


def test_notation_and_provenance_only_changes_are_no_change(editions: tuple[Path, Path]) -> None:
    result = diff.diff_dirs(*editions)
    # TOHOKU -> ＴＯＨＯＫＵ and a layout space: the same project, unchanged though its line moved.
    changed = [c["key"]["name"] for c in result["projects"]["changed"]]
    assert "ＴＯＨＯＫＵものづくり コリドー" not in changed
    assert "TOHOKUものづくりコリドー" not in names(result["projects"]["removed"])
    # 約580社 -> 約５８０社 and 11大学 -> １１大学: same value, new offsets, line and rule; no change.
    mentions = result["mentions"]
    assert mentions["changed"] == []
    assert [(r["text"], r["value"]) for r in mentions["removed"]] == [
        ("約160社", "160"),
        ("134億円", "13400000000"),
    ]
    assert [(r["text"], r["value"]) for r in mentions["added"]] == [
        ("約175社", "175"),
        ("120億円", "12000000000"),
    ]
    # organizations only moved (first_line 12 -> 13): provenance, no change.
    assert result["organizations"] == {"added": [], "removed": [], "changed": [], "renamed": [], "shifts": []}


def test_budget_matched_on_ministry_and_item(editions: tuple[Path, Path]) -> None:
    [change] = diff.diff_dirs(*editions)["budget"]["changed"]
    assert change["key"] == {"ministry": "文部科学省", "item": "文部科学省"}
    assert change["columns"] == ["fiscal_year", "amount_yen"]
    assert (change["before"]["amount_yen"], change["after"]["amount_yen"]) == (13_400_000_000, 12_000_000_000)


def test_a_phase_in_roman_kanji_or_arabic_numerals_is_one_name(tmp_path: Path) -> None:
    """Guards ``ordinals_as_digits`` in ``normalise_value``: 第Ⅱ期 (NFKC: 第II期), 第二期 and 第２期 are one
    notation, so a programme printed with another next year is one row, changed, not removed and added."""
    def budget(item: str, amount: int) -> dict[str, list[dict[str, Any]]]:
        return {"budget": [{"fiscal_year": 2009, "ministry": "文部科学省", "item": item, "parent": "",
                            "amount_yen": amount, "line": 3}]}

    old = write_doc(tmp_path / "a", "x", "", budget("知的クラスター創成事業(第II期)", 7_500_000_000))
    for other in ("知的クラスター創成事業（第２期）", "知的クラスター創成事業（第二期）"):
        new = write_doc(tmp_path / other, "x", "", budget(other, 7_000_000_000))
        result = diff.diff_dirs(old, new)["budget"]
        assert (result["added"], result["removed"]) == ([], [])
        [change] = result["changed"]
        assert change["columns"] == ["amount_yen"]
    third = write_doc(tmp_path / "c", "x", "", budget("知的クラスター創成事業（第３期）", 7_000_000_000))
    assert len(diff.diff_dirs(old, third)["budget"]["added"]) == 1  # another phase is another programme


@pytest.mark.parametrize(
    ("old_text", "new_text"),
    [
        ("約580社", "約５８０社"),
        ("134大学", "百三十四大学"),
        ("約580社", "580社超"),
        ("120億円", "百二十億円"),
    ],
)
def test_mention_printed_otherwise_with_the_same_value_is_no_change(
    tmp_path: Path, old_text: str, new_text: str
) -> None:
    value, unit = {"社": (580, "社"), "学": (134, "大学"), "円": (12_000_000_000, "JPY")}[old_text[-1]]
    old_src, new_src = f"前文 {old_text}が参加", f"{new_text}が参加"
    kind = "amount" if unit == "JPY" else "count"
    old = write_doc(tmp_path, "a", old_src, {"mentions": [mention(old_src, kind, old_text, value, unit)]})
    new = write_doc(tmp_path, "b", new_src, {"mentions": [mention(new_src, kind, new_text, value, unit)]})
    assert diff.has_differences(diff.diff_dirs(old, new)) is False


def test_mention_with_another_qualifier_is_changed(tmp_path: Path) -> None:
    old_src, new_src = "約580社が参加", "580社が参加"
    old = write_doc(
        tmp_path, "a", old_src, {"mentions": [mention(old_src, "count", "約580社", 580, "社", approx=True)]}
    )
    new = write_doc(tmp_path, "b", new_src, {"mentions": [mention(new_src, "count", "580社", 580, "社", approx=False)]})
    [change] = diff.diff_dirs(old, new)["mentions"]["changed"]
    assert change["key"] == {"kind": "count", "value": "580", "unit": "社", "occurrence": 0}
    assert change["columns"] == ["approx"]
    assert diff_format.describe("mentions", "changed", change) == (
        "mentions: ~ count 「580社」 = 580 (line 1): approx true -> false"
    )


def test_provenance_only_changes_exit_zero_with_exit_code(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write_doc(tmp_path / "old", "chiiki-cluster-h21", H21, h21_tables())
    moved = h21_tables()
    for rows in moved.values():
        for row in rows:
            for column in ("line", "first_line", "page", "start", "end"):
                if column in row:
                    row[column] += 7
            if "rule" in row:
                row["rule"] = "another-rule"
    new = write_doc(tmp_path / "new", "chiiki-cluster-h21", "\n" * 7 + H21, moved)
    assert diff.has_differences(diff.diff_dirs(old, new)) is False
    assert main(["diff", str(old), str(new), "--exit-code"]) == 0
    assert capsys.readouterr().out == "no differences\n"


def test_text_output_and_exit_codes(editions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = editions
    assert main(["diff", str(old), str(new)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert "projects: ~ 北海道バイオ産業成長戦略 (line 2 -> 3): companies 160 -> 175" in out
    assert (
        "projects: renamed 九州地域環境・リサイクル産業交流プラザ(K-RIP) -> "
        "九州地域環境・リサイクル産業交流プラザ (line 6 -> 7): companies 540 -> 560"
    ) in out
    assert any(line.startswith("projects: - 四国テクノブリッジ計画 (line 8): region 四国") for line in out)
    assert any(line.startswith("projects: + OKINAWA型産業振興プロジェクト (line 11): region 沖縄") for line in out)
    assert (
        "budget: ~ 文部科学省 / 文部科学省 (line 12 -> 13): fiscal_year 2009 -> 2010, "
        "amount_yen 13400000000 -> 12000000000" in out
    )
    assert out[-1] == "3 added, 3 removed, 2 changed, 1 renamed"

    assert main(["diff", str(old), str(new), "--exit-code"]) == 1


def test_json_output_is_the_contract_object(editions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]) -> None:
    old, new = editions
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert list(data) == ["projects", "budget", "hubs", "events", "organizations", "mentions"]
    for table in data.values():
        assert set(table) == {"added", "removed", "changed", "renamed", "shifts"}
    [added] = data["projects"]["added"]
    assert added == {
        "doc": "chiiki-cluster-h22",
        "region": "沖縄",
        "name": "OKINAWA型産業振興プロジェクト",
        "aliases": None,
        "fields": "情報;健康;環境;加工交易",
        "companies": 120,
        "companies_approx": True,
        "universities": 7,
        "universities_approx": False,
        "ended_fy": None,
        "line": 11,
    }


def test_html_output_is_a_page_with_escaped_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = write_doc(tmp_path / "o", "a", "x", {"events": [{"name": "<b>セミナー</b>", "line": 1}]})
    new = write_doc(tmp_path / "n", "b", "x", {})
    assert main(["diff", str(old), str(new), "--format", "html", "--exit-code"]) == 1
    page = capsys.readouterr().out
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;セミナー&lt;/b&gt;" in page
    assert "<b>セミナー" not in page
    assert "1 removed" in page


def test_parent_folders_are_matched_by_doc(tmp_path: Path) -> None:
    write_doc(tmp_path / "before", "chiiki-cluster-h21", H21, h21_tables())
    write_doc(tmp_path / "before", "only-old", "x", {"events": [{"name": "成果発表会", "line": 1}]})
    after = h21_tables()
    after["projects"][0]["companies"] = 170
    write_doc(tmp_path / "after", "chiiki-cluster-h21", H21, after)
    write_doc(tmp_path / "after", "only-new", "x", {"hubs": [{"name": "福岡先端システムLSI開発拠点", "line": 1}]})

    result = diff.diff_dirs(tmp_path / "before", tmp_path / "after")
    assert list(result) == ["chiiki-cluster-h21", "only-new", "only-old"]
    [change] = result["chiiki-cluster-h21"]["projects"]["changed"]
    assert (change["key"], change["columns"]) == ({"name": "北海道バイオ産業成長戦略"}, ["companies"])
    assert names(result["only-new"]["hubs"]["added"]) == ["福岡先端システムLSI開発拠点"]
    assert names(result["only-old"]["events"]["removed"]) == ["成果発表会"]
    text = diff_format.format_text(result)
    assert "chiiki-cluster-h21: projects: ~ 北海道バイオ産業成長戦略 (line 2): companies 160 -> 170" in text
    assert "only-new: 1 added" in text


def test_a_doc_folder_against_a_parent_folder_is_an_error(
    editions: tuple[Path, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    old, new = editions
    with pytest.raises(ValueError, match="one document's output folder"):
        diff.diff_dirs(old, new.parent.parent)
    assert main(["diff", str(old), str(old.parent / "missing")]) == 1
    assert "pipeline diff: error:" in capsys.readouterr().err


def rename_candidate(old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    return diff.diff_table("projects", pd.DataFrame([old]), pd.DataFrame([new]))


@pytest.mark.parametrize(
    ("old", "new", "renamed"),
    [
        # similar name, same region, similar counts
        (
            project("近畿", "関西バイオクラスタープロジェクト", "バイオ", 340, 52, 1),
            project("近畿", "関西バイオクラスター計画", "バイオ", 350, 52, 1),
            True,
        ),
        # one name contains the other, though they are short and unlike otherwise
        (
            project("九州", "K-RIP", "環境", 540, 21, 1),
            project("九州", "九州地域環境・リサイクル産業交流プラザ(K-RIP)", "環境", 540, 21, 1),
            True,
        ),
        # another region: not the same project
        (
            project("近畿", "関西バイオクラスタープロジェクト", "バイオ", 340, 52, 1),
            project("中部", "関西バイオクラスタープロジェクト2", "バイオ", 340, 52, 1),
            False,
        ),
        # counts far apart
        (
            project("東海", "東海ものづくり創生プロジェクト", "ものづくり", 1720, 28, 1),
            project("東海", "東海ものづくり創生プロジェクトII", "ものづくり", 130, 28, 1),
            False,
        ),
        # unlike names
        (
            project("九州", "九州地域シリコン・クラスター計画", "半導体", 270, 22, 1),
            project("九州", "次世代中核産業形成プロジェクト", "半導体", 270, 22, 1),
            False,
        ),
    ],
)
def test_rename_recognition(old: dict[str, Any], new: dict[str, Any], renamed: bool) -> None:
    result = rename_candidate(old, new)
    assert len(result["renamed"]) == int(renamed)
    assert len(result["added"]) == len(result["removed"]) == int(not renamed)


def test_renames_pair_best_match_first() -> None:
    old = pd.DataFrame(
        [
            project("九州", "九州地域バイオクラスター計画", "バイオ", 40, 6, 1),
            project("九州", "九州地域シリコン・クラスター計画", "半導体", 270, 22, 2),
        ]
    )
    new = pd.DataFrame(
        [
            project("九州", "九州シリコン・クラスター計画", "半導体", 280, 22, 1),
            project("九州", "九州バイオクラスター計画", "バイオ", 45, 6, 2),
        ]
    )
    pairs = [(r["old_name"], r["new_name"]) for r in diff.diff_table("projects", old, new)["renamed"]]
    assert pairs == [
        ("九州地域シリコン・クラスター計画", "九州シリコン・クラスター計画"),
        ("九州地域バイオクラスター計画", "九州バイオクラスター計画"),
    ]


def test_hubs_renamed_within_a_category() -> None:
    old = pd.DataFrame([{"category": "グローバル", "name": "浜松オプトロニクスクラスター", "line": 3}])
    new = pd.DataFrame([{"category": "グローバル", "name": "浜松オプトロニクスクラスター拠点", "line": 4}])
    [renamed] = diff.diff_table("hubs", old, new)["renamed"]
    assert renamed["columns"] == ["name"]
    other = pd.DataFrame([{"category": "地域中核", "name": "浜松オプトロニクスクラスター拠点", "line": 4}])
    assert diff.diff_table("hubs", old, other)["renamed"] == []


def test_repeated_keys_match_by_occurrence() -> None:
    old = pd.DataFrame(
        [
            {"name": "地域クラスターセミナー", "venue": "札幌", "line": 1},
            {"name": "地域クラスターセミナー", "venue": "仙台", "line": 2},
        ]
    )
    new = pd.DataFrame(
        [
            {"name": "地域クラスターセミナー", "venue": "札幌", "line": 5},
            {"name": "地域クラスターセミナー", "venue": "福岡", "line": 6},
        ]
    )
    result = diff.diff_table("events", old, new)
    [change] = result["changed"]
    assert (change["before"]["venue"], change["after"]["venue"]) == ("仙台", "福岡")
    assert result["added"] == result["removed"] == []


def test_mentions_repeated_value_match_in_order() -> None:
    src_old = "約580社 ... 約580社"
    src_new = "前文 約580社 ... ５８０社"
    old = pd.DataFrame(
        [
            mention(src_old, "count", "約580社", 580, "社", approx=True),
            mention(src_old, "count", "約580社", 580, "社", approx=True, nth=1),
        ]
    )
    new = pd.DataFrame(
        [
            mention(src_new, "count", "５８０社", 580, "社", approx=False),
            mention(src_new, "count", "約580社", 580, "社", approx=True),
        ]
    )
    [change] = diff.diff_table("mentions", old, new)["changed"]
    assert change["key"] == {"kind": "count", "value": "580", "unit": "社", "occurrence": 1}
    assert change["columns"] == ["approx"]


def test_mentions_of_the_same_number_with_other_counters_do_not_match() -> None:
    src_old = "10大学 ... 10地域"
    src_new = "10地域"
    old = pd.DataFrame(
        [mention(src_old, "count", "10大学", 10, "大学"), mention(src_old, "count", "10地域", 10, "地域")]
    )
    new = pd.DataFrame([mention(src_new, "count", "10地域", 10, "地域")])
    result = diff.diff_table("mentions", old, new)
    assert result["changed"] == result["added"] == []
    assert [r["text"] for r in result["removed"]] == ["10大学"]


def test_key_mode_matches_mentions_on_offsets_and_can_be_exact() -> None:
    src = "約580社"
    old = pd.DataFrame([mention(src, "count", "約580社", 580, "社", approx=True)])
    new = pd.DataFrame([{**mention(src, "count", "約580社", 580, "社", approx=True), "start": 1}])
    result = diff.diff_table("mentions", old, new, mentions_match="key")
    assert (len(result["added"]), len(result["removed"]), result["changed"]) == (1, 1, [])
    fullwidth = pd.DataFrame([{**mention(src, "count", "約580社", 580, "社", approx=True), "value": "５８０"}])
    assert diff.diff_table("mentions", old, fullwidth, mentions_match="key")["changed"] == []
    [strict] = diff.diff_table("mentions", old, fullwidth, mentions_match="key", normalise=False)["changed"]
    assert strict["key"] == {"kind": "count", "start": 0, "end": 5}
    assert strict["columns"] == ["value"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("５８０", 580),
        ("580", 580),
        (580, 580),
        (580.0, 580),
        ("1,200", 1200),
        ("１，２００", 1200),
        ("13400000000", 13_400_000_000),
        ("0.5", 0.5),
        ("関　東", "関東"),
        ("ＴＯＨＯＫＵ", "TOHOKU"),
        ("(株)アメリオ", "(株)アメリオ"),
        ("（株）アメリオ", "(株)アメリオ"),
        ("九州地域環境・リサイクル産業\n交流プラザ", "九州地域環境・リサイクル産業交流プラザ"),
        ("2009-04-01/2010-03-31", "2009-04-01/2010-03-31"),
        ("", None),
        ("　", None),
        (None, None),
        (float("nan"), None),
        (pd.NA, None),
        (True, True),
        (pd.Timestamp("2010-06-19"), "2010-06-19"),
        (pd.NaT, None),
        (["情報", "健康"], "情報;健康"),
    ],
)
def test_normalise_value(value: Any, expected: Any) -> None:
    result = diff.normalise_value(value)
    assert result == expected
    assert type(result) is type(expected)


def test_rows_are_json_safe_from_typed_frames(editions: tuple[Path, Path]) -> None:
    from pipeline.outputs.write import read_table

    rows = diff.frame_rows(read_table(editions[0], "projects"))
    assert rows[0]["companies"] == 160 and type(rows[0]["companies"]) is int
    assert rows[0]["companies_approx"] is True
    assert rows[0]["ended_fy"] is None
    json.dumps(rows)


@pytest.mark.skipif(importlib.util.find_spec("pipeline.engine") is None, reason="engine not present")
def test_next_edition_of_the_seed_shows_what_was_planted(seed_result: Any, tmp_path: Path) -> None:
    """The engine's output for the seed and for a made-up next edition: the diff is the plan."""
    import pipeline

    editions = pytest.importorskip("tests.editions", reason="tests/editions.py not present")
    edition = editions.make_next_edition()
    path = tmp_path / "chiiki-cluster-h22.txt"
    path.write_bytes(edition.to_bytes())
    result = diff.diff_tables(seed_result.tables, pipeline.extract(path, rules_dir=ROOT / "rules").tables)
    plan = edition.planted

    projects = result["projects"]
    assert {
        r["name"]: {k: r[k] for k in ("region", "companies", "universities", "fields")} for r in projects["added"]
    } == plan["projects"]["added"]
    assert names(projects["removed"]) == plan["projects"]["removed"]
    assert {r["old_name"]: r["new_name"] for r in projects["renamed"]} == plan["projects"]["renamed"]
    assert {
        c["key"]["name"]: {col: (c["before"][col], c["after"][col]) for col in c["columns"]}
        for c in projects["changed"]
    } == plan["projects"]["changed"]

    budget = result["budget"]
    assert {r["item"]: {"parent": r["parent"], "amount_yen": r["amount_yen"]} for r in budget["added"]} == (
        plan["budget"]["added"]
    )
    amounts = {
        c["key"]["item"]: {"amount_yen": (c["before"]["amount_yen"], c["after"]["amount_yen"])}
        for c in budget["changed"]
        if "amount_yen" in c["columns"]
    }
    assert amounts == plan["budget"]["changed"]
    assert {(c["before"]["fiscal_year"], c["after"]["fiscal_year"]) for c in budget["changed"]} == {(2009, 2010)}
    # The fiscal year moved for every budget line: one shift, and the JSON keeps every row's detail...
    year = plan["budget"]["fiscal_year"]
    assert budget["shifts"] == [
        {
            "column": "fiscal_year",
            "before": year["before"],
            "after": year["after"],
            "rows": len(seed_result.tables["budget"]),
        }
    ]
    assert len(budget["changed"]) == len(seed_result.tables["budget"])
    # ... while text and HTML say it once and list only the lines whose own values changed.
    text = diff_format.format_text(result).splitlines()
    assert "budget: fiscal_year 2009 -> 2010 in all 13 matched rows" in text
    listed = [line for line in text if line.startswith("budget: ~ ")]
    assert {line.split(" / ")[1].split(" (")[0] for line in listed} == set(plan["budget"]["changed"])
    assert not any("fiscal_year" in line for line in listed)
    page = diff_format.html_page(result, "h21 → h22")
    assert page.count('<tr class="changed"><td class="sign">~</td><td>文部科学省 /') == sum(
        1 for line in listed if "文部科学省 /" in line
    )
    assert "in all 13 matched rows" in page

    events = result["events"]
    assert {r["name"]: {"start_date": r["start_date"], "end_date": r["end_date"]} for r in events["added"]} == (
        plan["events"]["added"]
    )
    assert names(events["removed"]) == plan["events"]["removed"]

    # The planted notations are numbers: no count or amount mention printed that way may be reported.
    mentions = result["mentions"]
    numbers = ("count", "amount")
    reported = {r["text"].strip() for r in mentions["added"] + mentions["removed"] if r["kind"] in numbers}
    reported |= {c["before"]["text"].strip() for c in mentions["changed"] if c["key"]["kind"] in numbers}
    for old_text, new_text in plan["notation_only"].items():
        assert old_text not in reported and new_text not in reported, (old_text, new_text)


def budget_line(item: str, year: int, amount: int, line: int) -> dict[str, Any]:
    return {"fiscal_year": year, "ministry": "文部科学省", "item": item, "amount_yen": amount, "line": line}


def test_a_column_moved_in_every_row_is_one_shift() -> None:
    old = pd.DataFrame([budget_line("甲", 2009, 10**9, 1), budget_line("乙", 2009, 2 * 10**9, 2)])
    new = pd.DataFrame([budget_line("甲", 2010, 10**9, 3), budget_line("乙", 2010, 3 * 10**9, 4)])
    result = diff.diff_tables({"budget": old}, {"budget": new}, tables=["budget"])
    budget = result["budget"]
    assert budget["shifts"] == [{"column": "fiscal_year", "before": 2009, "after": 2010, "rows": 2}]
    assert [c["columns"] for c in budget["changed"]] == [["fiscal_year"], ["fiscal_year", "amount_yen"]]
    assert diff_format.format_text(result).splitlines() == [
        "budget: fiscal_year 2009 -> 2010 in all 2 matched rows",
        "budget: ~ 文部科学省 / 乙 (line 2 -> 4): amount_yen 2000000000 -> 3000000000",
        "1 changed, 1 shift",
    ]


@pytest.mark.parametrize(
    ("old_years", "new_years"),
    [
        ((2009,), (2010,)),  # one row: its own change, not the document's
        ((2009, 2009), (2010, 2011)),  # moved two ways
        ((2008, 2009), (2010, 2010)),  # came from two values
    ],
)
def test_no_shift_unless_every_matched_row_moved_alike(old_years: tuple[int, ...], new_years: tuple[int, ...]) -> None:
    items = ["甲", "乙"]
    old = pd.DataFrame([budget_line(items[i], y, 10**9, i) for i, y in enumerate(old_years)])
    new = pd.DataFrame([budget_line(items[i], y, 10**9, i) for i, y in enumerate(new_years)])
    result = diff.diff_tables({"budget": old}, {"budget": new}, tables=["budget"])
    assert result["budget"]["shifts"] == []
    assert all("fiscal_year" in line for line in diff_format.format_text(result).splitlines()[:-1])


def test_pair_rows_keeps_unchanged_rows() -> None:
    old = [budget_line("甲", 2009, 10**9, 1), budget_line("乙", 2009, 10**9, 2)]
    new = [budget_line("乙", 2009, 2 * 10**9, 2), budget_line("丙", 2009, 10**9, 3), budget_line("甲", 2009, 10**9, 1)]
    statuses = [(s, (b or a or {}).get("item")) for s, b, a in diff.pair_rows("budget", old, new)]
    assert statuses == [("changed", "乙"), ("added", "丙"), ("same", "甲")]
