"""Make a "next edition" of the seed brochure, and say exactly what was planted in it.

The next real edition will change figures, notations, encodings, line breaks and projects. This
rewrites the seed the way such an edition would, and returns, next to the bytes, the changes it made,
so tests can check the extracted tables against the plan rather than against the pipeline's own
output. Run as a script to write the fixture: ``python tests/editions.py OUT.txt``.

Planted:
- fiscal year 平成21年度 -> 平成22年度 in the budget and project headings (FY2010);
- figures: 北海道バイオ産業成長戦略 160社 -> 175社 (written in full-width digits), TOHOKU 48大学 -> 50大学;
- notation only: 約580社 -> 約５８０社, 134大学 -> 百三十四大学, 戦略的技術支援事業 120億円 -> 百二十億円,
  都市エリア 45億円 -> 4,500百万円 (all the same values);
- budget: 一般型 15億円 -> 18億円 with its parent 都市エリア 45 -> 48億円 and 文部科学省 134 -> 137億円,
  written as 1,800百万円; a new METI line 新事業創出支援事業 7億円 with the METI total 166 -> 173億円 (no rule
  names its parent: the amounts must place it);
- projects: one added (九州地域半導体・エレクトロニクスクラスター計画 in the 九州 group), one dropped
  (循環・環境型社会形成プロジェクト), one renamed (東海ものづくり創生プロジェクト ->
  東海次世代ものづくり創生プロジェクト);
- an event moved: the 第8回 conference becomes the 第9回 on 平成22年6月19日～20日;
- layout: one prose paragraph loses its double spacing; CP932 with CRLF line ends.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "raw" / "chiiki-cluster-h21.txt"


@dataclass
class Edition:
    text: str
    encoding: str
    newline: str
    planted: dict[str, dict[str, object]] = field(default_factory=dict)

    def to_bytes(self) -> bytes:
        return self.text.replace("\n", self.newline).encode(self.encoding)


def _sub(text: str, old: str, new: str, count: int = 1) -> str:
    """Replace exactly ``count`` occurrences; fail loudly if the seed no longer reads as expected."""
    found = text.count(old)
    if found != count:
        raise ValueError(f"expected {count} x {old!r} in the seed, found {found}")
    return text.replace(old, new)


def make_next_edition(seed: str | None = None) -> Edition:
    t = seed if seed is not None else SEED.read_text(encoding="utf-8")
    # Fiscal year of the overview and the project map.
    t = _sub(t, "全国18の産業クラスター計画プロジェクトの地域展開状況（平成21年度）",
             "全国18の産業クラスター計画プロジェクトの地域展開状況（平成22年度）")
    t = _sub(t, "平成21年度地域クラスター関連予算の概要", "平成22年度地域クラスター関連予算の概要")
    # Figures and notations in the project map.
    t = _sub(t, "　バイオ分野　約160社　26大学", "　バイオ分野　約１７５社　26大学")
    t = _sub(t, "　ものづくり分野　約780社　48大学", "　ものづくり分野　約780社　50大学")
    t = _sub(t, "　バイオ分野　約580社　11大学", "　バイオ分野　約５８０社　11大学")
    t = _sub(t, "　ものづくり分野　約2,210社　134大学", "　ものづくり分野　約2,210社　百三十四大学")
    # Renamed, dropped and added projects.
    t = _sub(t, "◆東海ものづくり創生プロジェクト", "◆東海次世代ものづくり創生プロジェクト")
    t = _sub(t, "◆循環・環境型社会形成プロジェクト\n　環境分野　約290社　22大学\n", "")
    t = _sub(t, "◆九州地域バイオクラスター計画\n　バイオ分野　約40社　6大学\n",
             "◆九州地域バイオクラスター計画\n　バイオ分野　約40社　6大学\n"
             "◆九州地域半導体・エレクトロニクスクラスター計画\n　半導体分野　約310社　15大学\n")
    # Budget: new figures, 百万円 and kanji notations, one line no rule knows.
    t = _sub(t, "文部科学省 関連予算134億円 経済産業省 関連予算166億円",
             "文部科学省 関連予算137億円 経済産業省 関連予算173億円")
    t = _sub(t, "　　一般型 　　　　15億円", "　　一般型 　　　　1,800百万円")
    t = _sub(t, "都市エリア産学官連携促進事業　　 45億円", "都市エリア産学官連携促進事業　　 4,800百万円")
    t = _sub(t, "戦略的技術支援事業　　　　　　 120億円", "戦略的技術支援事業　　　　　　 百二十億円")
    t = _sub(t, "地域イノベーション協創プログラム　34億円",
             "地域イノベーション協創プログラム　34億円\n\n新事業創出支援事業　　7億円")
    # The conference moved on a year.
    t = _sub(t, "・第8回産学官連携推進会議 （平成21年6月20日～21日・国立京都国際会館）",
             "・第9回産学官連携推進会議 （平成22年6月19日～20日・国立京都国際会館）")
    # One double-spaced paragraph printed single-spaced.
    para_old = ("　なお、文部科学省施策のシーズ創出に係る成果を、経済産業省施策により\n\n"
                "実用化・事業化し、逆に市場ニーズをフィードバックすることにより新たな\n\n"
                "シーズを研究・開発に繋げる等、両政策は相互に補完し、活用し合う関係にあ\n\n"
                "ります。")
    t = _sub(t, para_old, para_old.replace("\n\n", "\n"))

    planted: dict[str, dict[str, object]] = {
        "projects": {
            "added": {"九州地域半導体・エレクトロニクスクラスター計画": {"region": "九州", "companies": 310,
                                                                "universities": 15, "fields": "半導体"}},
            "removed": ["循環・環境型社会形成プロジェクト"],
            "renamed": {"東海ものづくり創生プロジェクト": "東海次世代ものづくり創生プロジェクト"},
            "changed": {"北海道バイオ産業成長戦略": {"companies": (160, 175)},
                        "TOHOKUものづくりコリドー": {"universities": (48, 50)}},
        },
        "budget": {
            "added": {"新事業創出支援事業": {"parent": "経済産業省", "amount_yen": 700_000_000}},
            "changed": {
                "文部科学省": {"amount_yen": (13_400_000_000, 13_700_000_000)},
                "経済産業省": {"amount_yen": (16_600_000_000, 17_300_000_000)},
                "一般型": {"amount_yen": (1_500_000_000, 1_800_000_000)},
                "都市エリア産学官連携促進事業": {"amount_yen": (4_500_000_000, 4_800_000_000)},
            },
            "fiscal_year": {"before": 2009, "after": 2010},
        },
        "events": {
            "added": {"第9回産学官連携推進会議": {"start_date": "2010-06-19", "end_date": "2010-06-20"}},
            "removed": ["第8回産学官連携推進会議"],
        },
        # Same values, other notation: a diff must not report these.
        "notation_only": {"約580社": "約５８０社", "134大学": "百三十四大学", "120億円": "百二十億円"},
    }
    return Edition(text=t, encoding="cp932", newline="\r\n", planted=planted)


def make_relaid_edition(seed: str | None = None) -> Edition:
    """The same facts laid out and encoded otherwise: every table must come out as from the seed.

    The hub list's header moves above its cells, the budget heading's year is written in kanji, the
    map's year abbreviated (H21年度), a hub's name cell wraps elsewhere, and the file is UTF-16 with a
    BOM and old-Mac CR line ends.
    """
    t = seed if seed is not None else SEED.read_text(encoding="utf-8")
    header = "拠　点　名 提案自治体 提 案 大 学 等 提 案 企 業 等\n"
    t = _sub(t, header, "")
    t = _sub(t, "北大リサーチ＆\n\nビジネスパーク\n", header + "\n北大リサーチ＆\n\nビジネスパーク\n")
    t = _sub(t, "平成21年度地域クラスター関連予算の概要", "平成二十一年度地域クラスター関連予算の概要")
    t = _sub(t, "プロジェクトの地域展開状況（平成21年度）", "プロジェクトの地域展開状況（H21年度）")
    t = _sub(t, "関西バイオ\nメディカルクラスター", "関西バイオメディカル\nクラスター")
    return Edition(text=t, encoding="utf-16", newline="\r", planted={})


def make_reworded_edition(seed: str | None = None) -> Edition:
    """The same facts printed in the other forms brochures use: every project and event table must come
    out as from the seed.

    Projects whose field and counts stand on one line move them onto the marker line, in brackets
    after the name, and their marker becomes ■ (◆東海バイオものづくり創生プロジェクト / バイオ分野 約130社
    52大学 -> ■東海バイオものづくり創生プロジェクト（バイオ分野：約130社・52大学）). The three events are
    printed as a labelled block (日時:, 会場:), a sentence (…を…に…で開催した。) and a list line (name date
    venue).
    """
    t = seed if seed is not None else SEED.read_text(encoding="utf-8")
    t, moved = re.subn(r"◆([^\n]+?)[ 　]*\n　([^\n　]+分野)　(約[\d,]+社)　(\d+大学)[ 　]*\n",
                       r"■\1（\2：\3・\4）\n", t)
    assert moved >= 10, moved
    t = _sub(t, "・第8回産学官連携推進会議 （平成21年6月20日～21日・国立京都国際会館）　\n",
             "■第8回産学官連携推進会議\n　日時：平成21年6月20日～21日\n　会場：国立京都国際会館\n")
    t = _sub(t, "地域クラスターセミナー\n（平成20年11月20日・ビックパレットふくしま）\n",
             "平成20年11月20日、地域クラスターセミナーをビックパレットふくしまで開催した。\n")
    t = _sub(t, "クラスタージャパン2008テクノフェア\n（平成20年12月2日～12月3日・パシフィコ横浜）\n",
             "●クラスタージャパン2008テクノフェア　平成20年12月2日～12月3日　パシフィコ横浜\n")
    return Edition(text=t, encoding="utf-8", newline="\n", planted={"moved_projects": {"count": moved}})


def make_tabled_edition(seed: str | None = None) -> Edition:
    """The projects printed as a borderless table, as PDF-to-text gives one: a header row (プロジェクト名
    分野 参加企業数 参加大学数) and a row per project whose field and counts stood on one line, cells set
    apart by full-width spaces; long names wrap onto a line of their own under the name column. Their
    names, fields and counts must come out as from the seed (their regions need the group headers the
    table leaves behind, so they are not planted).
    """
    t = seed if seed is not None else SEED.read_text(encoding="utf-8")
    pattern = re.compile(r"◆([^\n]+?)[ 　]*\n　([^\n　]+)分野　(約[\d,]+社)　(\d+大学)[ 　]*\n")
    rows, names = [], []
    for m in pattern.finditer(t):
        name = m.group(1).replace("　", "")  # a cell holds no letter spacing
        names.append(name)
        if len(name) > 14:  # a long name wraps in its cell
            rows.append(f"{name[:14]}　{m.group(2)}　{m.group(3)}　{m.group(4)}")
            rows.append(name[14:])
        else:
            rows.append(f"{name}　{m.group(2)}　{m.group(3)}　{m.group(4)}")
    assert len(rows) >= 10, rows
    t = pattern.sub("", t)
    table = "プロジェクト名　分野　参加企業数　参加大学数\n" + "\n".join(rows) + "\n\n"
    t = _sub(t, " 経済産業省（産業クラスター計画）との連携", table + " 経済産業省（産業クラスター計画）との連携")
    return Edition(text=t, encoding="utf-8", newline="\n", planted={"tabled_projects": {"names": names}})


# The seed's budget tree as printed (item -> parent, 億円), read off the brochure by hand: the plan that
# budget rewrites start from. 知的クラスター創成事業 (89) has children printed as 12 + 75: a real mismatch.
SEED_BUDGET: dict[str, tuple[str, int]] = {
    "文部科学省": ("", 134),
    "経済産業省": ("", 166),
    "知的クラスター創成事業": ("文部科学省", 89),
    "グローバル拠点育成型": ("知的クラスター創成事業", 12),
    "第Ⅱ期": ("知的クラスター創成事業", 75),
    "都市エリア産学官連携促進事業": ("文部科学省", 45),
    "一般型": ("都市エリア産学官連携促進事業", 15),
    "発展型": ("都市エリア産学官連携促進事業", 30),
    "産業クラスター計画（第Ⅱ期）": ("経済産業省", 12),
    "戦略的技術支援事業": ("経済産業省", 120),
    "地域イノベーション協創プログラム": ("経済産業省", 34),
    "イノベーション創出基盤形成事業": ("地域イノベーション協創プログラム", 13),
    "大学発事業創出実用化研究開発事業": ("地域イノベーション協創プログラム", 21),
}
_MINISTRY_LINE = "文部科学省 関連予算{mext}億円 経済産業省 関連予算{meti}億円"
_BUDGET_HEADING = "平成21年度地域クラスター関連予算の概要"


def _printed(oku: int, millions: bool) -> str:
    return f"{oku * 100:,}百万円" if millions else f"{oku}億円"


@dataclass
class BudgetLine:
    """One planted budget line: its parent and ministry as a reader of the brochure would give them."""

    parent: str
    ministry: str
    oku: int


def rewrite_budget(
    text: str,
    *,
    renames: dict[str, str] | None = None,
    amounts: dict[str, int] | None = None,
    added: dict[str, tuple[str, int]] | None = None,
    heisei: int | None = None,
    millions: frozenset[str] = frozenset(),
) -> tuple[str, dict[str, BudgetLine]]:
    """Rewrite the seed's budget overview and return the text with the tree a reader would draw.

    ``renames`` maps a seed item to its new label (parent or child alike); ``amounts`` sets new 億円
    figures by the new label; ``added`` prints new lines (new label -> (parent, 億円)) right after their
    parent's line. Ministry totals are recomputed as the sum of their direct lines, so the only
    mismatch left is one planted in the tree itself (the seed's 89 vs 87). ``heisei`` moves the
    heading to that Heisei fiscal year; lines named in ``millions`` are printed in 百万円 (1,500百万円).
    Labels are replaced on their own budget line only.
    """
    renames = renames or {}
    amounts = amounts or {}
    added = added or {}
    tree: dict[str, list] = {}
    for item, (parent, oku) in SEED_BUDGET.items():
        name = renames.get(item, item)
        tree[name] = [renames.get(parent, parent), oku]
    for name, (parent, oku) in added.items():
        tree[name] = [parent, oku]
    for name, oku in amounts.items():
        tree[name][1] = oku
    for ministry in ("文部科学省", "経済産業省"):
        tree[ministry][1] = sum(oku for parent, oku in tree.values() if parent == ministry)

    head = text.index(_BUDGET_HEADING)
    end = text.index("シーズ創出から実用化", head)
    section = text[head:end]
    under_ministry = "".join(f"\n\n{new}　{a}億円" for new, (parent, a) in added.items()
                             if parent in ("文部科学省", "経済産業省"))
    section = _sub(section, _MINISTRY_LINE.format(mext=134, meti=166),
                   _MINISTRY_LINE.format(mext=tree["文部科学省"][1], meti=tree["経済産業省"][1]) + under_ministry)
    for item, (_parent, oku) in SEED_BUDGET.items():
        if item in ("文部科学省", "経済産業省"):
            continue
        name = renames.get(item, item)
        pattern = re.compile(rf"^([ 　]*){re.escape(item)}([ 　]+){oku}億円", re.M)
        if len(pattern.findall(section)) != 1:
            raise ValueError(f"expected one budget line {item!r} in the seed")
        extra = "".join(f"\n\n{new}　{a}億円" for new, (parent, a) in added.items() if parent == name)
        section = pattern.sub(lambda m, n=name, e=extra: f"{m[1]}{n}{m[2]}{_printed(tree[n][1], n in millions)}{e}",
                              section)
    if heisei is not None:
        section = _sub(section, "平成21年度", f"平成{heisei}年度")
    text = text[:head] + section + text[end:]

    def ministry_of(name: str) -> str:
        while tree[name][0]:
            name = tree[name][0]
        return name

    plan = {name: BudgetLine(parent, ministry_of(name), oku) for name, (parent, oku) in tree.items()}
    return text, plan


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python tests/editions.py OUT.txt", file=sys.stderr)
        return 2
    ed = make_next_edition()
    Path(argv[1]).write_bytes(ed.to_bytes())
    print(f"wrote {argv[1]}: the seed as a made-up next edition ({ed.encoding}; changes listed in tests/editions.py)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
