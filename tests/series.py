"""A series of five annual editions made from the seed, with what was planted in each (tests/editions.py style).

FY2009 (平成21年度) is the seed as printed; each later year rewrites it the way a next edition would:
- figures drift every year: 北陸ものづくり創生プロジェクト +10社, 九州地域シリコン・クラスター計画 +1大学,
  東海ものづくり創生プロジェクト +20社; budget lines 一般型 +1億, 知的クラスター創成事業 and 第Ⅱ期 +1億,
  戦略的技術支援事業 +2億 (the ministry totals follow; 知的's real 2億 mismatch stays);
- notations: from FY2010 北陸's count in full-width digits and 一般型 in 百万円;
- FY2010: a METI line no rule knows, 新事業創出支援事業 7億円, under 経済産業省;
- FY2011 (year 3): 東海ものづくり創生プロジェクト renamed 東海次世代ものづくり創生プロジェクト, and
  都市エリア産学官連携促進事業 renamed 地域イノベーション戦略支援プログラム（都市エリア型） (children unchanged);
- FY2012: 循環・環境型社会形成プロジェクト dropped; 新事業創出支援事業 moved under 地域イノベーション協創プログラム;
- FY2013: 九州地域半導体・エレクトロニクスクラスター計画 added;
- events: 第8回, 第9回 ... 第12回産学官連携推進会議 and クラスタージャパン2008 ... 2012テクノフェア, one a year.

Run as a script to write the five files: ``python tests/series.py OUTDIR``.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from pathlib import Path

from tests.editions import SEED, BudgetLine, _sub, rewrite_budget

YEARS = 5
FIRST_HEISEI = 21
OLD_TOKAI, NEW_TOKAI = "東海ものづくり創生プロジェクト", "東海次世代ものづくり創生プロジェクト"
OLD_TOSHI, NEW_TOSHI = "都市エリア産学官連携促進事業", "地域イノベーション戦略支援プログラム（都市エリア型）"
DROPPED = "循環・環境型社会形成プロジェクト"
ADDED = "九州地域半導体・エレクトロニクスクラスター計画"
NEW_LINE = "新事業創出支援事業"
RENAME_YEAR, DROP_YEAR, ADD_YEAR, NEW_LINE_YEAR, MOVE_YEAR = 2, 3, 4, 1, 3
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


@dataclass
class SeriesEdition:
    """One generated edition and what a reader would take from it."""

    doc: str
    fiscal_year: int
    text: str
    projects: dict[str, dict[str, int]] = field(default_factory=dict)  # drifted and added projects
    project_names: set[str] = field(default_factory=set)
    budget: dict[str, BudgetLine] = field(default_factory=dict)
    events: dict[str, tuple[str, str]] = field(default_factory=dict)  # series events: name -> dates


def _edition(seed: str, k: int) -> SeriesEdition:
    heisei = FIRST_HEISEI + k
    t = seed
    ed = SeriesEdition(doc=f"chiiki-cluster-h{heisei}", fiscal_year=2009 + k, text="")
    if k:
        t = _sub(t, "地域展開状況（平成21年度）", f"地域展開状況（平成{heisei}年度）")
    # Projects: drifting figures, one notation change, a rename, a drop and an addition.
    hokuriku = 410 + 10 * k
    written = f"{hokuriku}".translate(_FULL_WIDTH) if k else f"{hokuriku}"
    t = _sub(t, "◆北陸ものづくり創生プロジェクト\n　ものづくり分野　約410社",
             f"◆北陸ものづくり創生プロジェクト\n　ものづくり分野　約{written}社")
    t = _sub(t, "　半導体分野　約270社　22大学", f"　半導体分野　約270社　{22 + k}大学")
    tokai = OLD_TOKAI if k < RENAME_YEAR else NEW_TOKAI
    t = _sub(t, f"◆{OLD_TOKAI}\n　ものづくり分野　約1,720社", f"◆{tokai}\n　ものづくり分野　約{1720 + 20 * k:,}社")
    ed.projects = {"北陸ものづくり創生プロジェクト": {"companies": hokuriku},
                   "九州地域シリコン・クラスター計画": {"universities": 22 + k},
                   tokai: {"companies": 1720 + 20 * k}}
    if k >= DROP_YEAR:
        t = _sub(t, f"◆{DROPPED}\n　環境分野　約290社　22大学\n", "")
    if k >= ADD_YEAR:
        kyushu_bio = "◆九州地域バイオクラスター計画\n　バイオ分野　約40社　6大学\n"
        t = _sub(t, kyushu_bio, f"{kyushu_bio}◆{ADDED}\n　半導体分野　約310社　15大学\n")
        ed.projects[ADDED] = {"companies": 310, "universities": 15}
    # Budget: drifting amounts, a new line, a renamed programme, a line moved under another parent.
    renames = {OLD_TOSHI: NEW_TOSHI} if k >= RENAME_YEAR else {}
    toshi = renames.get(OLD_TOSHI, OLD_TOSHI)
    amounts = {"一般型": 15 + k, toshi: 45 + k, "知的クラスター創成事業": 89 + k, "第Ⅱ期": 75 + k,
               "戦略的技術支援事業": 120 + 2 * k}
    added = {}
    if k >= MOVE_YEAR:
        added[NEW_LINE] = ("地域イノベーション協創プログラム", 7)
        amounts["地域イノベーション協創プログラム"] = 41
    elif k >= NEW_LINE_YEAR:
        added[NEW_LINE] = ("経済産業省", 7)
    t, ed.budget = rewrite_budget(t, renames=renames, amounts=amounts, added=added, heisei=heisei,
                                  millions=frozenset({"一般型"}) if k else frozenset())
    # Events: the conference and the fair, one edition a year.
    day = 20 - k
    conference = f"第{8 + k}回産学官連携推進会議"
    t = _sub(t, "・第8回産学官連携推進会議 （平成21年6月20日～21日・国立京都国際会館）",
             f"・{conference} （平成{heisei}年6月{day}日～{day + 1}日・国立京都国際会館）")
    fair = f"クラスタージャパン{2008 + k}テクノフェア"
    t = _sub(t, "クラスタージャパン2008テクノフェア\n（平成20年12月2日～12月3日・パシフィコ横浜）",
             f"{fair}\n（平成{20 + k}年12月2日～12月3日・パシフィコ横浜）")
    ed.events = {conference: (f"{2009 + k}-06-{day:02d}", f"{2009 + k}-06-{day + 1:02d}"),
                 fair: (f"{2008 + k}-12-02", f"{2008 + k}-12-03")}
    ed.text = t
    return ed


def make_series(seed: str | None = None) -> list[SeriesEdition]:
    """The five editions, FY2009 to FY2013."""
    text = seed if seed is not None else SEED.read_text(encoding="utf-8")
    return [_edition(text, k) for k in range(YEARS)]


def write_series(out_dir: Path, seed: str | None = None) -> list[Path]:
    """Write the editions as ``out_dir/<doc>.txt`` (UTF-8) and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for ed in make_series(seed):
        path = out_dir / f"{ed.doc}.txt"
        path.write_text(ed.text, encoding="utf-8")
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tests/series.py OUTDIR", file=sys.stderr)
        return 2
    write_series(Path(argv[1]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
