"""Brochures laid out by a real layout engine: HTML with CSS columns, grids, tables and vertical writing printed
to PDF by headless Chromium,
as brochures made with a browser or a word processor are, rather than drawn glyph by glyph with reportlab.

The columns' lines stand at other heights on each side (a card's heading has margins), so few rows hold
both columns' text; Chromium's fonts also come without a FontBBox, which pdfminer warns about on every
glyph run (the command line keeps that quiet). Needs Debian's ``chromium`` and the IPA fonts
(``fonts-ipafont-gothic``); CI installs them, and with CI set a missing browser fails instead of skipping.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

import pipeline
from pipeline.readers.pdf import read_pdf

from .conftest import RULES, dated_events, project_counts

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).is_file() and not os.environ.get("CI"),
    reason="chromium is not installed (apt-get install chromium fonts-ipafont-gothic)",
)

# Our own cards: (name, fields, companies, universities, a sentence long enough to wrap in its column).
CARDS = (
    ("◆おびひろ酪農イノベーションクラスター", "酪農・食品", 140, 8,
     "牧場と乳業の工場が大学と組み、チーズの新しい熟成技術を磨いている。"),
    ("◆あきた洋上風力クラスター", "エネルギー・機械", 260, 11,
     "港湾の整備にあわせ、地元の部品企業が保守の仕事に加わっている。"),
    ("◆はりま先端材料クラスター", "材料・化学", 480, 19,
     "放射光施設を使う共同研究が、中小企業の素材開発を後押ししている。"),
    ("◆おおいた宇宙港クラスター", "航空宇宙", 75, 4,
     "空港を拠点とする宇宙事業に向け、県内の企業が試験設備を整えている。"),
)
# A small note under the first card's name: every line of the left column under it stands lower than the
# right column's line beside it, as a card's photo, caption or extra line sets them off in a brochure.
NOTE = '<p class="note">平成３０年度から支援</p>'
FULL = str.maketrans("0123456789", "０１２３４５６７８９")


def _html() -> str:
    cards = "".join(
        f'<div class="card"><h3>{name}</h3>{NOTE if k == 0 else ""}<p>分野：{fields}</p>'
        f"<p>参加企業 約{companies}社　大学等 {universities}機関</p><p>{prose}</p></div>".translate(FULL)
        for k, (name, fields, companies, universities, prose) in enumerate(CARDS))
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
.cols {{ column-count: 2; column-gap: 10mm; }}
.note {{ font-size: 7pt; margin: 0; }}
.card {{ break-inside: avoid; margin-bottom: 6mm; }}
td {{ padding: 1mm 3mm; }} .num {{ text-align: right; }}
</style></head><body>
<h1>令和６年度 地域クラスター事例集</h1><p>経済産業省 地域経済産業グループ</p>
<div class="cols">{cards}</div>
<h2>令和６年度 予算</h2>
<table><tr><th>事業名</th><th>令和５年度</th><th>令和６年度</th></tr>
<tr><td>地域クラスター形成支援事業</td><td class="num">１２０億円</td><td class="num">１３５億円</td></tr>
<tr><td>　うち広域連携枠</td><td class="num">４０億円</td><td class="num">４５億円</td></tr>
</table></body></html>"""


# Hubs as framed cards in a CSS grid, three to a row, right over a ruled table of events (our own names).
HUBS = (("北海道", "さっぽろ未来食共創拠点", "北海道大学", "北海道、札幌市", "雪印メグミルク株式会社"),
        ("東北", "せんだい防災テック拠点", "東北大学", "宮城県、仙台市", "株式会社七十七銀行"),
        ("九州", "ふくおか半導体共創拠点", "九州大学", "福岡県、福岡市", "福岡商工会議所"))
EVENTS = (("令和７年５月１２日", "共創拠点キックオフシンポジウム", "東京国際フォーラム"),
          ("令和７年９月３０日～１０月１日", "拠点成果発表会２０２５", "パシフィコ横浜"))


def _grid_html() -> str:
    cards = "".join(f'<div class="card"><b>【{region}】</b><br>{name}<br>代表機関：{lead}<br>参画自治体：{cities}<br>'
                    f"参画企業：{firms}</div>" for region, name, lead, cities, firms in HUBS)
    rows = "".join(f"<tr><td>{d}</td><td>{n}</td><td>{v}</td></tr>" for d, n, v in EVENTS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 4mm; }}
.card {{ border: 0.5pt solid #888; padding: 2mm; }}
table {{ border-collapse: collapse; width: 100%; margin-top: 6mm; }}
td, th {{ border: 0.5pt solid #000; padding: 1mm; }}
</style></head><body><h1>令和７年度 共創拠点のご紹介</h1><div class="grid">{cards}</div>
<table><tr><th>開催日</th><th>イベント名</th><th>会場</th></tr>{rows}</table></body></html>"""


# Running text in two columns, each sentence long enough for the column to break it (our own sentences).
ARTICLE = (
    ("１．浜松地域", "平成２３年１０月１２日には、アクトシティ浜松において「光・医療フォーラム２０１１」を開催し、"
                    "約４００名が参加した。"),
    ("２．福岡地域", "平成２３年１１月２４日から２５日まで、福岡国際会議場で「シリコンシーベルトサミット福岡」を"
                    "開催した。"),
    ("３．広島地域", "広島地域では、医療機器の開発を目指す「ひろしま医工連携推進プロジェクト」を進めており、"
                    "参加企業は約９０社、参加大学は広島大学など３校である。"),
    # The column breaks this sentence before its first kana (…富山国際会議場メインホ / ール（富山市）において…).
    ("４．富山地域", "令和６年１２月３日（火）、富山国際会議場メインホール（富山市）において「北陸医薬品フォーラム"
                    "２０２４」を開催した。"),
)


def _article_html() -> str:
    body = "".join(f"<h2>{heading}</h2><p>{text}</p>" for heading, text in ARTICLE)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAMincho", serif; font-size: 10pt; line-height: 1.6; }}
.cols {{ column-count: 2; column-gap: 8mm; }} h2 {{ font-size: 12pt; margin: 3mm 0; }}
</style></head><body><h1>平成２３年度 地域イノベーション戦略推進地域の取組</h1>
<div class="cols">{body}</div></body></html>"""


# A page set in vertical writing (縦書き), kanji numerals as such pages write them (our own sentences).
VERTICAL = ("平成二十二年度　地域産学官連携事業の歩み", "◆とちぎ光産業クラスター", "分野：光・医療機器",
            "参加企業　約一二〇社　大学等　八機関",
            "平成二十二年十一月十五日、前橋市の群馬会館において成果発表会を開催した。")


def _vertical_html() -> str:
    body = "".join(f"<p>{line}</p>" for line in VERTICAL)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: "IPAMincho", serif; font-size: 11pt; }}
.v {{ writing-mode: vertical-rl; height: 170mm; }}
</style></head><body><div class="v">{body}</div></body></html>"""


# A ruled budget table whose ministry cells are merged over their programmes' rows (rowspan), the header
# naming two years (our own names and figures).
BUDGET = (("文部科学省", (("地域研究大学振興事業", "4,800", "5,250"), ("共創拠点形成事業", "12,600", "13,100"),
                         ("大学発起業支援事業", "―", "900"))),
          ("経済産業省", (("地域未来産業育成事業", "2,400", "2,150"), ("産業集積連携強化事業", "780", "820"))))


# Events under a merged date cell: two of one day, then one of two days (our own names).
DAYS = (("令和６年１０月９日（水）", (("放射光計測セミナー", "仙台国際センター"),
                                  ("半導体人材育成ワークショップ", "いわて県民情報交流センター"))),
        ("令和７年２月６日（木）～７日（金）", (("量子技術シンポジウム２０２５", "つくば国際会議場"),)))


# Hubs under a merged category cell (our own names).
KINDS = (("国際展開型", (("みなと海洋工学拠点", "東京海洋大学"), ("はこだて水産科学拠点", "北海道大学"))),
         ("地域密着型", (("ながの精密加工拠点", "信州大学"),)))


def _spanned(groups: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...]) -> str:
    """Table rows: each group's first cell merged over its rows (rowspan), then each row's own cells (a figure
    set right)."""
    def cell(text: str) -> str:
        return f'<td class="num">{text}</td>' if text[:1].isdigit() or text == "―" else f"<td>{text}</td>"

    return "".join((f'<tr><td rowspan="{len(items)}">{first}</td>' if k == 0 else "<tr>")
                   + "".join(map(cell, item)) + "</tr>" for first, items in groups for k, item in enumerate(items))


def _merged_html() -> str:
    rows, days, hubs = _spanned(BUDGET), _spanned(DAYS), _spanned(KINDS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #000; padding: 1mm 2mm; }}
.num {{ text-align: right; }}
</style></head><body><h2>令和６年度　地域科学技術振興関係予算</h2><p style="text-align: right">（単位：百万円）</p>
<table><tr><th>府省名</th><th>事業名</th><th>令和５年度<br>予算額</th><th>令和６年度<br>予算額</th></tr>{rows}</table>
<h2>主な行事</h2><table><tr><th>開催日</th><th>行事名</th><th>会場</th></tr>{days}</table>
<h2>共創拠点一覧</h2><table><tr><th>区分</th><th>拠点名</th><th>参画大学等</th></tr>{hubs}</table></body></html>"""


# A page's main column beside a framed side box, under a title in a bigger font wider than the column (our own
# sentences, each paragraph long enough for the column to break it).
SIDEBAR = ("とやま医薬品産業クラスターは、富山県内の製薬企業と大学が連携し、製剤技術の高度化と新たな医薬品の創出を"
           "目指す取組である。参加企業は約１５０社、参加大学は富山大学など６校である。",
           "令和６年１１月１４日（木）には、富山国際会議場において「くすりのシンポジウム２０２４」を開催し、約３００名が"
           "参加した。また、令和７年２月５日から７日まで、東京ビッグサイトで開催された「インターフェックス２０２５」に"
           "出展した。")


def _sidebar_html() -> str:
    main = "".join(f"<h3>{k}．</h3><p>{text}</p>" for k, text in enumerate(SIDEBAR, 1))
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAMincho", serif; font-size: 10pt; }} h1 {{ font-size: 15pt; }}
.wrap {{ display: flex; gap: 8mm; }} .main {{ flex: 2; }}
.side {{ flex: 1; border: 1px solid #666; padding: 3mm; font-family: "IPAGothic", sans-serif; font-size: 9pt; }}
</style></head><body><h1>令和６年度　とやま医薬品産業クラスターの取組</h1>
<div class="wrap"><div class="main">{main}</div>
<div class="side"><h3>予算</h3><p>令和６年度予算額<br>３億２，０００万円</p>
<h3>問い合わせ先</h3><p>富山県商工労働部<br>TEL 076-444-3250</p></div></div></body></html>"""


# Two columns: a ruled budget table in the left one, paragraphs in the right (our own sentences; the second
# paragraph's column breaks it right after a closing quote, before the particle that goes on).
TABLED = ("令和６年７月１０日（水）には、名古屋国際会議場において「中部共創フォーラム２０２４」を開催し、企業や大学から"
          "約４００名が参加した。",
          "また、北陸地域では「ほくりく繊維複合材クラスター」を推進している。参加企業は約１２０社、参加大学は金沢大学"
          "など５校である。",
          "さらに、令和７年１月２８日（火）、広島市のＲＣＣ文化センターで「せとうち海洋技術シンポジウム」を開催した。")


# What the page's paragraphs hold: (name, start date, venue) of each event, (name, companies, universities) of
# each project.
TABLED_EVENTS = [("中部共創フォーラム2024", "2024-07-10", "名古屋国際会議場"),
                 ("せとうち海洋技術シンポジウム", "2025-01-28", "RCC文化センター")]
TABLED_PROJECTS = [("ほくりく繊維複合材クラスター", 120, 5)]


def _tabled_html() -> str:
    body = "".join(f"<p>{text}</p>" for text in TABLED)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }} .cols {{ column-count: 2; column-gap: 8mm; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #000; padding: 1mm; }}
.num {{ text-align: right; }}
</style></head><body><h1>令和６年度　地域イノベーション関係予算と主な取組</h1><div class="cols">
<h3>１．予算（単位：億円）</h3><table><tr><th>事業名</th><th>令和５年度</th><th>令和６年度</th></tr>
<tr><td>共創の場形成支援プログラム</td><td class="num">138</td><td class="num">142</td></tr>
<tr><td>地域中核研究大学強化促進事業</td><td class="num">45</td><td class="num">50</td></tr>
<tr><td>合計</td><td class="num">183</td><td class="num">192</td></tr></table>
<h3>２．主な取組</h3>{body}</div></body></html>"""


# Three cards in a grid, each name in a bigger font than the card is wide (the card breaks it), each detail a
# paragraph of its own and the counts a small table (our own names and figures).
# The names have no hiragana (no prose), as most projects' names do not.
GRID3 = (("東北", "東北次世代医療機器開発プロジェクト", "医療機器・ヘルスケア", 310, 18),
         ("中部", "中部航空宇宙部品産業プロジェクト", "航空機・宇宙", 420, 25),
         ("九州", "九州環境エネルギー産業創出プロジェクト", "環境・エネルギー", 560, 22))


def _grid3_html() -> str:
    cards = "".join(
        f'<div class="card"><h2>【{region}】{name}</h2><p>分野：{fields}</p><table><tr><td>参加企業</td>'
        f"<td>約{str(companies).translate(FULL)}社</td></tr><tr><td>連携大学</td>"
        f"<td>{str(universities).translate(FULL)}大学</td></tr></table>"
        "<p>地域の企業と大学が連携し、製品の開発と販路の開拓を進めている。</p></div>"
        for region, name, fields, companies, universities in GRID3)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 12mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr 1fr; gap: 6mm; }}
.card {{ border: 1px solid #999; padding: 3mm; }} .card h2 {{ font-size: 11pt; margin: 0 0 2mm 0; }}
.card table {{ border-collapse: collapse; width: 100%; }}
</style></head><body><h1>産業クラスター計画　地域別プロジェクト（令和２年度）</h1>
<div class="grid">{cards}</div></body></html>"""


# A borderless table (a rule under its header only) whose cells list one name a line, and a table whose name
# cell wraps a long name (our own hubs and projects). Each list column's widest line sets its right edge.
LINED_HUBS = (("はこだて海洋イノベーション拠点", ("北海道", "函館市"), ("北海道大学", "公立はこだて未来大学"),
               ("函館商工会議所",)),
              ("とちぎ次世代モビリティ拠点", ("栃木県", "宇都宮市"), ("宇都宮大学",),
               ("宇都宮商工会議所", "栃木県産業振興センター")),
              ("しずおか光技術連携拠点", ("静岡県", "浜松市"), ("静岡大学", "浜松医科大学", "光産業創成大学院大学"),
               ("浜松商工会議所",)))
LINED_PROJECTS = (("北海道", ("道南マリンバイオ", "産業創出プロジェクト"), 65, 4),
                  ("関東", ("北関東次世代モビリティ", "部品供給ネットワーク"), 210, 7))


def _lined_html() -> str:
    hubs = "".join(f"<tr><td>{name}</td>" + "".join(f"<td>{'<br>'.join(cell)}</td>" for cell in cells) + "</tr>"
                   for name, *cells in LINED_HUBS)
    projects = "".join(f"<tr><td>{region}</td><td>{'<br>'.join(name)}</td><td>約{str(c).translate(FULL)}社</td>"
                       f"<td>{str(u).translate(FULL)}大学</td></tr>" for region, name, c, u in LINED_PROJECTS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 2mm; vertical-align: top; text-align: left; }}
th {{ border-bottom: 1px solid #333; }}
</style></head><body><h2>令和６年度　地域中核産学官連携拠点一覧</h2>
<table><tr><th>拠点名</th><th>自治体</th><th>参画大学</th><th>参画機関</th></tr>{hubs}</table>
<h2>プロジェクト一覧</h2>
<table><tr><th>地域</th><th>プロジェクト名</th><th>参加企業数</th><th>参加大学数</th></tr>{projects}</table>
</body></html>"""


# A ruled table of events with a column counting who came after the venue (our own events).
TABLE_EVENTS = (("2024年10月3日（木）", "地域イノベーションフォーラム", "東京国際フォーラム", "３５０名",
                 ("2024-10-03", "2024-10-03")),
                ("2025年1月22日（水）～23日（木）", "九州半導体人材育成セミナー", "熊本城ホール", "８０名",
                 ("2025-01-22", "2025-01-23")))


def _event_table_html() -> str:
    rows = "".join(f"<tr><td>{when}</td><td>{name}</td><td>{venue}</td><td>{came}</td></tr>"
                   for when, name, venue, came, _ in TABLE_EVENTS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }} body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #000; padding: 1mm; }}
</style></head><body><h2>令和６年度　イベント開催実績</h2>
<table><tr><th>開催日</th><th>イベント名</th><th>会場</th><th>参加者数</th></tr>{rows}</table></body></html>"""


# A ruled table of projects whose region cells are merged over their rows (rowspan); the names hold no place
# that would give their region (our own projects).
SPANNED_PROJECTS = (("東北", (("みちのく医療機器プロジェクト", 290, 16), ("さんりく水産加工プロジェクト", 80, 5),
                             ("あいづ精密部品ネットワーク", 120, 3))),
                    ("九州", (("ひむか海洋エネルギープロジェクト", 60, 4), ("くまそ宇宙部品クラスター", 75, 4))))


def _spanned_projects_html() -> str:
    rows = "".join(
        (f'<tr><td rowspan="{len(projects)}">{region}</td>' if k == 0 else "<tr>")
        + f"<td>{name}</td><td>約{str(c).translate(FULL)}社</td><td>{str(u).translate(FULL)}大学</td></tr>"
        for region, projects in SPANNED_PROJECTS for k, (name, c, u) in enumerate(projects))
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }} body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.5pt solid #000; padding: 1mm; }}
</style></head><body><h2>地域別プロジェクト一覧</h2>
<table><tr><th>地域</th><th>プロジェクト名</th><th>参加企業数</th><th>参加大学数</th></tr>{rows}</table></body></html>"""


# A brochure page: a header band with the publisher, two columns of project cards, a ruled budget table and a
# list of events whose first item the column's width breaks inside its date (…（令和７年６月１２ / 日、…）): a
# line of no hiragana, but its bracket is open, so the next line goes on with it (our own names and figures).
BANDED_EVENTS = [("中国地域産学官連携フォーラム", "2025-06-12", "2025-06-12", "広島国際会議場"),
                 ("せとうち素材技術交流会", "2025-09-03", "2025-09-03", "岡山コンベンションセンター")]
BANDED_PROJECTS = [("中国", "せとうち海洋素材クラスター", 180, 12),
                   ("中国", "ひろしま次世代モビリティプロジェクト", 320, 9),
                   ("中国", "やまぐち水素エネルギーネットワーク", 65, 4)]


def _banded_html() -> str:
    return """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 12mm; } body { font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }
header { background: #dde; padding: 3mm; } header h1 { font-size: 15pt; margin: 0; }
.cols { column-count: 2; column-gap: 8mm; margin-top: 4mm; }
h3 { font-size: 11pt; border-left: 4px solid #336; padding-left: 2mm; }
table { border-collapse: collapse; width: 100%; } td, th { border: 0.5pt solid #000; padding: 1mm; }
td.n { text-align: right; }
footer { position: fixed; bottom: 0; width: 100%; text-align: center; font-size: 8pt; }
</style></head><body>
<header><h1>令和７年度　中国地域イノベーション施策の概要</h1><div>中国経済産業局　地域経済部</div></header>
<div class="cols">
<h3>１．主なプロジェクト</h3>
<p>◆せとうち海洋素材クラスター<br>分野：素材・化学<br>参加企業　約１８０社　　連携大学　１２大学</p>
<p>◆ひろしま次世代モビリティプロジェクト<br>分野：自動車・部品<br>参加企業　約３２０社　　連携大学　９大学</p>
<p>◆やまぐち水素エネルギーネットワーク<br>分野：エネルギー<br>参加企業　６５社　　連携大学　４大学</p>
<h3>２．予算（単位：百万円）</h3>
<table><tr><th>事業名</th><th>令和６年度</th><th>令和７年度</th></tr>
<tr><td>地域未来投資促進事業</td><td class="n">1,100</td><td class="n">1,120</td></tr>
<tr><td>地域中核企業創出・支援事業</td><td class="n">450</td><td class="n">480</td></tr>
</table>
<h3>３．主なイベント</h3>
<p>・中国地域産学官連携フォーラム（令和７年６月１２日、広島国際会議場）</p>
<p>・せとうち素材技術交流会（令和７年９月３日、岡山コンベンションセンター）</p>
<p>令和７年１１月には、山口市内において水素エネルギーシンポジウムを開催する予定である。</p>
</div>
<footer>- 3 -</footer>
</body></html>
"""


# Two columns of prose over a table whose rows are parted by rules across the page (border-bottom): its header
# row stands above the first rule, level with nothing in the columns (our own programmes and figures).
RULED_ROWS = (("地域中堅企業飛躍支援事業", "３６億円", "４１億円"),
              ("ちいき共創ラボ形成プログラム", "１２８億円", "１３２億円"))


def _ruled_under_columns_html() -> str:
    rows = "".join(f'<tr><td>{name}</td><td class="n">{a}</td><td class="n">{b}</td></tr>'
                   for name, a, b in RULED_ROWS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; line-height: 1.6; }}
.cols {{ column-count: 2; column-gap: 10mm; }}
h2 {{ font-size: 11pt; margin: 3mm 0 1mm; }} p {{ margin: 0 0 2mm; text-indent: 1em; }}
table {{ width: 100%; border-collapse: collapse; margin-top: 6mm; }}
th, td {{ border-bottom: 1px solid #888; padding: 1mm 2mm; }} td.n {{ text-align: right; }}
</style></head><body>
<h1>令和６年度　地域振興施策のあらまし</h1>
<div class="cols">
<h2>１．中堅企業の飛躍</h2>
<p>経済産業省では、地域の中堅企業が新たな市場に挑む取組を後押しするため、「地域中堅企業飛躍支援事業」を実施している。</p>
<h2>２．共創の場づくり</h2>
<p>文部科学省は、大学と地域の企業が共に研究する場を各地に広げるため、「ちいき共創ラボ形成プログラム」を進めている。</p>
<h2>３．交流会の開催</h2>
<p>令和６年１１月１９日（火）、岡山コンベンションセンターにおいて「中国地域ラボ交流会２０２４」を開催し、約３００名が参加した。</p>
</div>
<table><tr><th style="text-align:left">事業名</th><th>令和５年度予算額</th><th>令和６年度予算額</th></tr>{rows}</table>
</body></html>"""


# Two balanced columns of prose: the left column ends mid-sentence, which the right column's first line goes on
# with (our own wording).
CARRIED = ("　経済産業省では、地域の部品企業が次世代の車づくりに加わる取組を後押しするため、"
           "「地域サプライヤー転換支援事業」を実施している。令和６年度は全国で３６件を採択した。",
           "　文部科学省は、大学を核にした共創の場を各地に広げている。令和６年度には、新たに"
           "「とやま医薬品製造共創拠点」を採択した。同拠点には、富山大学、富山県、高岡市、高岡商工会議所が"
           "参画し、製剤の新しい製法を共に研究している。",
           "　令和６年１０月２９日（火）、富山国際会議場において「北陸ものづくり共創フォーラム２０２４」を"
           "開催し、約２５０名が参加した。")


def _carried_html() -> str:
    paragraphs = "".join(f"<h2>{k + 1}．取組の紹介</h2><p>{text.lstrip('　')}</p>" for k, text in enumerate(CARRIED))
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "IPAMincho", serif; font-size: 10pt; line-height: 1.6; }}
.cols {{ column-count: 2; column-gap: 10mm; }}
h2 {{ font-family: "IPAGothic", sans-serif; font-size: 11pt; margin: 3mm 0 1mm; }}
p {{ margin: 0 0 2mm; text-indent: 1em; }}
</style></head><body><h1>令和６年度　地域の共創事例</h1><div class="cols">{paragraphs}</div></body></html>"""


# Cards whose names and labels a designer letter-spaced (CSS letter-spacing: gaps between single characters).
SPACED_CARDS = (("◆いわて金型技術クラスター", "金型", 85, 4), ("◆やまなし燃料電池クラスター", "水素・燃料電池", 40, 2))


def _letter_spaced_html() -> str:
    cards = "".join(f'<h2>{name}</h2><p><span class="lbl">分野</span>：{fields}</p>'
                    f'<p><span class="lbl">企業</span>：約{companies}社　大学等：{universities}機関</p>'.translate(FULL)
                    for name, fields, companies, universities in SPACED_CARDS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 18mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
h1 {{ letter-spacing: 0.5em; font-size: 16pt; }} h2 {{ letter-spacing: 0.3em; font-size: 12pt; }}
.lbl {{ letter-spacing: 1em; }}
</style></head><body><h1>地域クラスター事例集</h1>{cards}</body></html>"""


# A table with no rules whose header band and every other row are shaded cell by cell (a zebra table).
ZEBRA_HUBS = (("ふくしま再生エネルギー拠点", "福島県、郡山市", "福島大学、日本大学", "郡山商工会議所"),
              ("とくしまLED応用拠点", "徳島県、阿南市", "徳島大学", "徳島経済同友会"),
              ("えひめ柑橘バイオ拠点", "愛媛県、松山市", "愛媛大学", "松山商工会議所"),
              ("こうち海洋深層水拠点", "高知県、室戸市", "高知大学", "室戸商工会"))


def _zebra_html() -> str:
    rows = "".join(f"<tr><td>{n}</td><td>{m}</td><td>{u}</td><td>{p}</td></tr>" for n, m, u, p in ZEBRA_HUBS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ padding: 2mm; text-align: left; }}
tr:nth-child(even) {{ background: #e8eef8; }} th {{ background: #1f3d7a; color: #fff; }}
</style></head><body><h2>地域中核産学官連携拠点一覧</h2>
<table><tr><th>拠点名</th><th>自治体</th><th>大学等</th><th>経済団体等</th></tr>{rows}</table></body></html>"""


# Readings (ruby) over place names in a card and in a sentence: small kana right over their kanji.
def _ruby_html() -> str:
    return """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 18mm; }
body { font-family: "IPAGothic", sans-serif; font-size: 11pt; line-height: 2; }
</style></head><body>
<h2>◆<ruby>邑南<rt>おおなん</rt></ruby>町食農連携プロジェクト</h2>
<p>分野：食品</p><p>参加企業：約３５社　参加大学：２大学</p>
<p><small>写真：ぶどう畑の様子</small></p>
<h2>◆<ruby>隠岐<rt>おき</rt></ruby>海洋資源プロジェクト</h2>
<p>分野：水産</p><p>参加企業：約１２社　参加大学：１大学</p>
</body></html>"""


# Footnote markers set as superscripts after a card's name and after a count, their notes under the cards.
def _superscript_html() -> str:
    return """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 18mm; }
body { font-family: "IPAGothic", sans-serif; font-size: 11pt; }
</style></head><body>
<h2>◆くしろ湿原観光クラスター<sup>※1</sup></h2><p>分野：観光</p><p>参加企業：約５５社<sup>※2</sup>　参加大学：３大学</p>
<h2>◆おたる硝子工芸クラスター</h2><p>分野：工芸</p><p>参加企業：約２５社　参加大学：１大学</p>
<p style="font-size:8pt">※1　平成２３年度で終了　※2　令和６年３月末現在</p>
</body></html>"""


# A ruled projects table whose header is two rows: 参加機関数 over 企業 and 大学, the other header cells merged down.
TWO_ROW_PROJECTS = (("東北", "とうほく発酵食品クラスター", 240, 15), ("中国", "ひろしま医療機器クラスター", 80, 6))


def _two_row_header_html() -> str:
    rows = "".join(f'<tr><td>{r}</td><td>{n}</td><td class="n">約{c}</td><td class="n">{u}</td></tr>'.translate(FULL)
                   for r, n, c, u in TWO_ROW_PROJECTS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 0.8px solid #000; padding: 1.5mm; }}
td.n {{ text-align: right; }}
</style></head><body><h3>産業クラスター計画　プロジェクト一覧</h3>
<table><tr><th rowspan="2">地域</th><th rowspan="2">プロジェクト名</th><th colspan="2">参加機関数</th></tr>
<tr><th>企業</th><th>大学</th></tr>{rows}</table></body></html>"""


# Hub cards in a grid, each a badge naming its category over the hub's name and a list of labels and values
# (our own names).
BADGED_HUBS = (("グローバル型", "とかち食農イノベーション拠点", "帯広市、音更町", "帯広畜産大学",
                "帯広商工会議所、十勝信用組合"),
               ("グローバル型", "せとうち海洋エネルギー拠点", "広島県、呉市", "広島大学、呉工業高等専門学校",
                "呉商工会議所"),
               ("地域型", "あきた木材高度利用拠点", "秋田県、能代市", "秋田県立大学", "能代商工会議所、秋田銀行"),
               ("地域型", "ひむか農業ロボット拠点", "宮崎県、都城市", "宮崎大学", "都城商工会議所"))


def _badged_html() -> str:
    cards = "".join(f"""<div class="card"><div class="cat">{c}</div><h3>{n}</h3><dl><dt>参画自治体</dt><dd>{m}</dd>
<dt>参画大学</dt><dd>{u}</dd><dt>協力機関</dt><dd>{p}</dd></dl></div>""" for c, n, m, u, p in BADGED_HUBS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 12mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }}
.grid {{ display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }}
.card {{ border: 1px solid #333; border-radius: 3mm; padding: 3mm; }}
.cat {{ background: #246; color: #fff; display: inline-block; padding: 0.5mm 2mm; font-size: 8pt; }}
h3 {{ margin: 1mm 0 2mm; font-size: 11pt; }}
dl {{ display: grid; grid-template-columns: 22mm 1fr; margin: 0; row-gap: 1mm; }} dd {{ margin: 0; }}
</style></head><body><h1>産学官連携拠点の選定について</h1>
<p>次の４拠点を産学官連携拠点として選定した。</p><div class="grid">{cards}</div></body></html>"""


# A landscape table turned a quarter on a portrait page (CSS rotate: its glyphs run bottom to top).
TURNED_PROJECTS = (("東北", "みやぎ精密加工クラスター", "機械・金属", 150, 9),
                   ("中国", "ひろしま自動車部品クラスター", "自動車", 220, 12),
                   ("九州", "くまもと半導体クラスター", "半導体・電子", 310, 15))


def _turned_html() -> str:
    rows = "".join(f'<tr><td>{r}</td><td>{n}</td><td>{f}</td><td class="n">約{c}社</td><td class="n">{u}大学</td></tr>'
                   .translate(FULL) for r, n, f, c, u in TURNED_PROJECTS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4 portrait; margin: 10mm; }}
body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; margin: 0; }}
.land {{ width: 270mm; transform: rotate(-90deg) translate(-270mm, 0); transform-origin: top left; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: 1px solid #000; padding: 1.5mm 2mm; }}
td.n {{ text-align: right; }}
</style></head><body><div class="land"><h2>地域クラスター一覧（令和５年度）</h2>
<table><tr><th>地域</th><th>プロジェクト名</th><th>分野</th><th>参加企業数</th><th>参加大学数</th></tr>{rows}</table>
</div></body></html>"""


# A long borderless table set in two halves side by side, its header over each (our own names).
HALVES = ((("北海道", "さっぽろ食クラスター", 120, 8), ("東北", "みやぎ精密クラスター", 95, 6),
           ("関東", "つくば素材クラスター", 210, 12), ("中部", "はままつ光クラスター", 180, 9)),
          (("近畿", "きょうと創薬クラスター", 150, 11), ("中国", "ひろしま車部品クラスター", 230, 7),
           ("四国", "えひめ紙クラスター", 60, 3), ("九州", "ふくおか半導体クラスター", 300, 14)))


def _halves_html() -> str:
    def table(rows: tuple[tuple[str, str, int, int], ...]) -> str:
        body = "".join(f'<tr><td>{r}</td><td>{n}</td><td class="n">{c}社</td><td class="n">{u}大学</td></tr>'
                       for r, n, c, u in rows)
        return f"<table><tr><th>地域</th><th>プロジェクト名</th><th>企業数</th><th>大学数</th></tr>{body}</table>"
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4 landscape; margin: 12mm; }} body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
.row {{ display: flex; gap: 8mm; }} table {{ border-collapse: collapse; flex: 1; }} td, th {{ padding: 1.5mm 2mm; }}
td.n {{ text-align: right; }}
</style></head><body><h2>地域クラスター一覧</h2><div class="row">{"".join(map(table, HALVES))}</div></body></html>"""


# A ruled table long enough to go on over the page break, its header printed once (no <thead>: a word
# processor's table whose header row is not repeated). Our own names.
LONG_ROWS = tuple((("北海道", "東北", "関東", "中部", "近畿", "中国", "四国", "九州")[k * 8 // 44],
                   f"第{k + 1}地域連携クラスター", 20 + 7 * k, 1 + k % 9) for k in range(44))


def _unrepeated_html(border: str = "1px solid #000") -> str:
    rows = "".join(f'<tr><td>{r}</td><td>{n}</td><td class="n">{c}</td><td class="n">{u}</td></tr>'
                   for r, n, c, u in LONG_ROWS)
    return f"""<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page {{ size: A4; margin: 15mm; }} body {{ font-family: "IPAGothic", sans-serif; font-size: 10pt; }}
table {{ border-collapse: collapse; width: 100%; }} td, th {{ border: {border}; padding: 1.5mm 2mm; }}
td.n {{ text-align: right; }}
</style></head><body><h2>地域クラスター一覧</h2>
<table><tr><th>地域</th><th>プロジェクト名</th><th>参加企業数</th><th>参加大学数</th></tr>{rows}</table></body></html>"""


def _newsletter_html() -> str:
    """A newsletter's page: a title band, two columns of project blocks, a framed box of events, a budget line
    and its part, and a footer of the publisher with the page number after a gap (our own names)."""
    return """<!doctype html><html lang="ja"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 14mm; } body { font-family: "IPAGothic", sans-serif; font-size: 9.5pt; }
.band { background: #135; color: #fff; padding: 3mm; font-size: 15pt; }
.cols { column-count: 2; column-gap: 8mm; margin-top: 4mm; }
.box { border: 1px solid #135; padding: 2mm; margin: 3mm 0; break-inside: avoid; }
h3 { margin: 2mm 0 1mm; font-size: 11pt; }
.foot { position: fixed; bottom: 0; width: 100%; font-size: 8pt; text-align: center; }
</style></head><body>
<div class="band">地域イノベーション通信　令和６年度 第２号</div>
<div class="cols">
<h3>◆しずおか水素エネルギークラスター</h3>
<p>静岡県では、水素関連の企業約８５社と静岡大学など４大学が参画し、燃料電池の実用化に取り組んでいる。</p>
<h3>◆ぎふ航空宇宙クラスター</h3>
<p>分野：航空宇宙・材料</p>
<p>参加企業：１２０社　参加大学：３大学</p>
<div class="box"><b>イベント情報</b><br>
・中部航空宇宙フォーラム２０２４（令和６年１１月２１日・岐阜県立国際会議場）<br>
・水素社会実装セミナー（令和７年１月１６日・静岡県コンベンションアーツセンター）</div>
<h3>◆令和６年度予算</h3>
<p>地域イノベーション推進事業　　１２億円</p>
<p>（うち中部地域分　３億円）</p>
</div>
<div class="foot">発行：中部経済産業局 地域経済課　　－ 3 －</div>
</body></html>"""


def _print(folder: Path, name: str, html: str) -> Path:
    page = folder / f"{name}.html"
    page.write_text(html, encoding="utf-8")
    pdf = folder / f"{name}.pdf"
    subprocess.run([CHROMIUM, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    f"--user-data-dir={folder / 'profile'}", "--no-pdf-header-footer", f"--print-to-pdf={pdf}",
                    page.as_uri()], check=True, capture_output=True, timeout=120)
    return pdf


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each page above printed by Chromium, by name."""
    folder = tmp_path_factory.mktemp("chromium")
    pages = {"brochure": _html, "article": _article_html, "vertical": _vertical_html, "grid": _grid_html,
             "merged": _merged_html, "sidebar": _sidebar_html,
             "tabled": _tabled_html, "grid3": _grid3_html, "lined": _lined_html,
             "event_table": _event_table_html, "spanned_projects": _spanned_projects_html,
             "banded": _banded_html, "ruled_under_columns": _ruled_under_columns_html, "carried": _carried_html,
             "letter_spaced": _letter_spaced_html, "zebra": _zebra_html, "ruby": _ruby_html,
             "superscript": _superscript_html, "two_row_header": _two_row_header_html, "badged": _badged_html,
             "turned": _turned_html, "halves": _halves_html, "unrepeated": _unrepeated_html,
             "unrepeated_borderless": lambda: _unrepeated_html("none"), "newsletter": _newsletter_html}
    return {name: _print(folder, name, html()) for name, html in pages.items()}


def test_each_card_of_a_printed_two_column_page_is_read_whole(printed: dict[str, Path]) -> None:
    brochure = printed["brochure"]
    text = read_pdf(brochure, brochure.read_bytes()).text
    lines = [line.strip("\u3000") for line in text.split("\n") if line.strip()]
    for name, fields, companies, universities, prose in CARDS:
        at = lines.index(name)
        if lines[at + 1] == "平成３０年度から支援":
            at += 1  # the first card's note
        assert lines[at + 1] == f"分野：{fields}"
        assert lines[at + 2] == f"参加企業 約{companies}社　大学等 {universities}機関".translate(FULL)
        assert lines[at + 3] == prose  # the sentence its column wrapped, one line again


def test_a_printed_two_column_page_gives_each_project_its_own_figures(printed: dict[str, Path]) -> None:
    brochure = printed["brochure"]
    result = pipeline.extract(brochure, rules_dir=RULES)
    p = result.tables["projects"]
    got = {n: (f, int(c), int(u)) for n, f, c, u in
           zip(p["name"], p["fields"], p["companies"], p["universities"], strict=True)}
    assert got == {name.lstrip("◆"): (fields.replace("・", ";"), companies, universities)
                   for name, fields, companies, universities, _ in CARDS}
    b = result.tables["budget"]
    assert {i: int(a) for i, a in zip(b["item"], b["amount_yen"], strict=True)} == {
        "地域クラスター形成支援事業": 13_500_000_000, "うち広域連携枠": 4_500_000_000}


def test_the_command_line_keeps_pdfminer_font_warnings_quiet(printed: dict[str, Path], tmp_path: Path) -> None:
    brochure = printed["brochure"]
    done = subprocess.run([sys.executable, "-m", "pipeline", "run", str(brochure), "--out", str(tmp_path),
                           "--quiet"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert "FontBBox" not in done.stderr and done.stderr == ""
    assert (tmp_path / "brochure" / "projects.csv").read_text(encoding="utf-8").count("クラスター") == 4


def test_a_ruled_table_right_under_cards_is_a_paragraph_apart_and_no_hubs_value(printed: dict[str, Path]) -> None:
    """The last card's last value (参画企業：福岡商工会議所) stands right over a ruled table of events: the table
    is written a blank line under it, and the hub's partners end with the card (the table's rows ran into
    them); each event comes from its row."""
    grid = printed["grid"]
    text = read_pdf(grid, grid.read_bytes()).text
    assert "参画企業：福岡商工会議所\n\n開催日\tイベント名\t会場\n" in text
    result = pipeline.extract(grid, rules_dir=RULES)
    h = result.tables["hubs"]
    assert list(h["name"]) == [name for _, name, *_ in HUBS]
    assert list(h["universities"]) == [lead for _, _, lead, *_ in HUBS]
    assert list(h["municipalities"]) == [cities.replace("、", ";") for *_, cities, _ in HUBS]
    assert list(h["partners"]) == [firms for *_, firms in HUBS]
    e = result.tables["events"]
    assert [(n, str(s), str(t), v) for n, s, t, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                                         strict=True)] == [
        ("共創拠点キックオフシンポジウム", "2025-05-12", "2025-05-12", "東京国際フォーラム"),
        ("拠点成果発表会2025", "2025-09-30", "2025-10-01", "パシフィコ横浜")]


def test_sentences_a_column_broke_are_read_whole(printed: dict[str, Path]) -> None:
    """Each paragraph fills its column's width, so every sentence is broken across lines (…福岡国際 / 会議場で…):
    the reader writes each paragraph as one line, and the sentence readers find the events and the project
    (read line by line, the breaks cut the venues, the names and the verbs)."""
    article = printed["article"]
    text = read_pdf(article, article.read_bytes()).text
    lines = [line for line in text.split("\n") if line.strip()]
    assert [heading for heading, _ in ARTICLE] == [line for line in lines if line.endswith("地域")]
    for _, paragraph in ARTICLE:
        assert paragraph in lines
    result = pipeline.extract(article, rules_dir=RULES)
    e = result.tables["events"]
    assert [(n, str(s), str(t), v) for n, s, t, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                                         strict=True)] == [
        ("光・医療フォーラム2011", "2011-10-12", "2011-10-12", "アクトシティ浜松"),
        ("シリコンシーベルトサミット福岡", "2011-11-24", "2011-11-25", "福岡国際会議場"),
        ("北陸医薬品フォーラム2024", "2024-12-03", "2024-12-03", "富山国際会議場メインホール")]
    p = result.tables["projects"]
    assert [(n, int(c), int(u)) for n, c, u in zip(p["name"], p["companies"], p["universities"], strict=True)] == [
        ("ひろしま医工連携推進プロジェクト", 90, 3)]


def test_a_page_in_vertical_writing_reads_column_by_column_right_to_left(printed: dict[str, Path]) -> None:
    """Each vertical line a browser set right to left is one line of text, in Japanese reading order, and its
    kanji numerals are read: the project's counts and the event's date."""
    vertical = printed["vertical"]
    text = read_pdf(vertical, vertical.read_bytes()).text
    assert [line.strip("\u3000") for line in text.split("\n") if line.strip()] == list(VERTICAL)
    result = pipeline.extract(vertical, rules_dir=RULES)
    assert project_counts(result) == [("とちぎ光産業クラスター", 120, 8)]
    assert list(result.tables["projects"]["fields"]) == ["光;医療機器"]
    assert dated_events(result) == [("成果発表会", "2010-11-15", "群馬会館")]


def test_cells_merged_over_rows_give_each_row_their_ministry_or_date(printed: dict[str, Path]) -> None:
    """The table's rows under a merged ministry cell open with an empty cell (a tab): each is that ministry's
    programme, no child of the row above; each amount is the one in the latest year's column (the header
    names two), the dash in the other column no figure. So a date cell merged over two events' rows, and a
    category cell over two hubs' rows."""
    merged = printed["merged"]
    result = pipeline.extract(merged, rules_dir=RULES)
    b = result.tables["budget"]
    assert [(m, i, p, int(a), int(y)) for m, i, p, a, y in zip(b["ministry"], b["item"], b["parent"], b["amount_yen"],
                                                               b["fiscal_year"], strict=True)] == [
        (ministry, name, "", int(now.replace(",", "")) * 1_000_000, 2024)
        for ministry, items in BUDGET for name, _, now in items]
    e = result.tables["events"]  # a date merged over two events' rows dates both; no row reads the next as its own
    assert [(n, str(s), str(t), v) for n, s, t, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                                         strict=True)] == [
        ("放射光計測セミナー", "2024-10-09", "2024-10-09", "仙台国際センター"),
        ("半導体人材育成ワークショップ", "2024-10-09", "2024-10-09", "いわて県民情報交流センター"),
        ("量子技術シンポジウム2025", "2025-02-06", "2025-02-07", "つくば国際会議場")]
    h = result.tables["hubs"]
    assert [(c, n, u) for c, n, u in zip(h["category"], h["name"], h["universities"], strict=True)] == [
        (kind, name, lead) for kind, items in KINDS for name, lead in items]


def test_a_title_wider_than_its_column_sets_no_edge_for_the_columns_wrapped_lines(printed: dict[str, Path]) -> None:
    """The title over the main column is wider than the column (a bigger font): the column's own lines set its
    right edge, so its broken sentences are joined (read line by line, …連携 / し、… and 「くす / りの…」); the
    project whose next sentence counts its members and both events are read, and the side box's budget."""
    sidebar = printed["sidebar"]
    text = read_pdf(sidebar, sidebar.read_bytes()).text
    lines = [line for line in text.split("\n") if line.strip()]
    for paragraph in SIDEBAR:  # whole, broken only where a line ended with its sentence (。 is no wrap)
        held = [line for line in lines if line in paragraph]
        assert "".join(held) == paragraph and all(line.endswith("。") for line in held)
    result = pipeline.extract(sidebar, rules_dir=RULES)
    p = result.tables["projects"]
    assert [(n, int(c), int(u)) for n, c, u in zip(p["name"], p["companies"], p["universities"], strict=True)] == [
        ("とやま医薬品産業クラスター", 150, 6)]
    e = result.tables["events"]
    assert [(n, str(s), str(t), v) for n, s, t, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                                         strict=True)] == [
        ("くすりのシンポジウム2024", "2024-11-14", "2024-11-14", "富山国際会議場"),
        ("インターフェックス2025", "2025-02-05", "2025-02-07", "東京ビッグサイト")]
    b = result.tables["budget"]  # the side box's label over its amount: the budget of what the title names
    assert [(i, int(a), int(y)) for i, a, y in zip(b["item"], b["amount_yen"], b["fiscal_year"], strict=True)] == [
        ("とやま医薬品産業クラスター", 320_000_000, 2024)]


def test_a_table_in_one_column_beside_the_other_columns_text(printed: dict[str, Path]) -> None:
    """A ruled table fills the left column beside the right column's paragraphs: the page is read column by
    column (the table, then the paragraphs whole), not row by row across both; a sentence the column broke
    right after a closing quote goes on past it (…クラスター」 / を推進している)."""
    tabled = printed["tabled"]
    text = read_pdf(tabled, tabled.read_bytes()).text
    assert text.index("合計\t183\t192") < text.index("２．主な取組")
    lines = [line for line in text.split("\n") if line.strip()]
    for paragraph in TABLED:
        held = [line for line in lines if line in paragraph]
        assert "".join(held) == paragraph and all(line.endswith("。") for line in held)
    result = pipeline.extract(tabled, rules_dir=RULES)
    b = result.tables["budget"]
    assert [(i, int(a)) for i, a in zip(b["item"], b["amount_yen"], strict=True)] == [
        ("共創の場形成支援プログラム", 14_200_000_000), ("地域中核研究大学強化促進事業", 5_000_000_000),
        ("文部科学省", 19_200_000_000)]
    assert (dated_events(result), project_counts(result)) == (TABLED_EVENTS, TABLED_PROJECTS)


def test_a_cards_name_its_width_broke_is_one_line_and_its_paragraphs_are_its_details(
        printed: dict[str, Path]) -> None:
    """A card's name in a bigger font than its text, broken by the card's width (…医療機 / 器プロジェクト), is
    read as one line; its field, its counts and its sentence, each a paragraph of its own, are its details."""
    grid3 = printed["grid3"]
    text = read_pdf(grid3, grid3.read_bytes()).text
    for region, name, *_ in GRID3:
        assert f"【{region}】{name}\n" in text
    p = pipeline.extract(grid3, rules_dir=RULES).tables["projects"]
    assert [(r, n, f, int(c), int(u)) for r, n, f, c, u in zip(
        p["region"], p["name"], p["fields"], p["companies"], p["universities"], strict=True)] == [
        (region, name, fields.replace("・", ";"), companies, universities)
        for region, name, fields, companies, universities in GRID3]


def test_a_borderless_tables_cells_of_one_name_a_line_are_lists_and_a_wrapped_name_is_one(
        printed: dict[str, Path]) -> None:
    """In a table ruled under its header only, a cell's line ending short of its column's widest line was ended
    by hand: each line names one university or partner (北海道大学 / 公立はこだて未来大学), while a cell whose lines
    fill the column joins them (道南マリンバイオ / 産業創出プロジェクト is one name); a prefecture over its city
    (北海道 / 函館市, both as wide as the column) is two local governments."""
    result = pipeline.extract(printed["lined"], rules_dir=RULES)
    h = result.tables["hubs"]
    assert [(n, m, u, p) for n, m, u, p in zip(h["name"], h["municipalities"], h["universities"], h["partners"],
                                              strict=True)] == [
        (name, ";".join(places), ";".join(universities), ";".join(partners))
        for name, places, universities, partners in LINED_HUBS]
    p = result.tables["projects"]
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == [
        (region, "".join(name), c, u) for region, name, c, u in LINED_PROJECTS]


def test_a_ruled_table_of_events_reads_each_column_by_its_header(printed: dict[str, Path]) -> None:
    """開催日 / イベント名 / 会場 / 参加者数: each row's name, date and venue come from their columns; the count
    after the venue is no venue and the venue no part of the name."""
    e = pipeline.extract(printed["event_table"], rules_dir=RULES).tables["events"]
    assert [(n, s, d, v) for n, s, d, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"], strict=True)] == [
        (name, *days, venue) for _, name, venue, _, days in TABLE_EVENTS]


def test_a_region_cell_merged_over_its_rows_is_each_rows_region(printed: dict[str, Path]) -> None:
    """A ruled table's region cell spanning several rows (rowspan) is read on its first row only; the rows under
    it, their region cell blank, are that region's too."""
    p = pipeline.extract(printed["spanned_projects"], rules_dir=RULES).tables["projects"]
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == [
        (region, name, c, u) for region, projects in SPANNED_PROJECTS for name, c, u in projects]


def test_a_list_item_the_column_broke_inside_its_bracket_is_one_line(printed: dict[str, Path]) -> None:
    """A list item with no hiragana that the column's width broke inside its bracket of date and venue is written
    as one line, so its event is read; the page's cards, budget table and events all come out."""
    result = pipeline.extract(printed["banded"], rules_dir=RULES)
    e, p, b = result.tables["events"], result.tables["projects"], result.tables["budget"]
    assert [(n, s, d, v) for n, s, d, v in zip(e["name"], e["start_date"], e["end_date"], e["venue"],
                                               strict=True)] == BANDED_EVENTS
    assert [(r, n, int(c), int(u)) for r, n, c, u in zip(p["region"], p["name"], p["companies"], p["universities"],
                                                         strict=True)] == BANDED_PROJECTS
    assert [(m, i, int(a)) for m, i, a in zip(b["ministry"], b["item"], b["amount_yen"], strict=True)] == [
        ("経済産業省", "地域未来投資促進事業", 1_120_000_000),
        ("経済産業省", "地域中核企業創出・支援事業", 480_000_000)]


def test_a_tables_header_over_its_first_rule_under_two_columns_is_the_tables(printed: dict[str, Path]) -> None:
    """A table under two columns whose rows rules part across the gutter: its header row, right over the first
    rule, is no part of either column (the right column's lines keep no indent it would have set), and each
    row alone between two rules is one line, its name and its amounts."""
    path = printed["ruled_under_columns"]
    text = read_pdf(path, path.read_bytes()).text
    lines = [line for line in text.split("\n") if line.strip()]
    at = lines.index("事業名 令和５年度予算額 令和６年度予算額")
    assert lines[at + 1 :] == [f"{name} {a} {b}" for name, a, b in RULED_ROWS]
    assert not any(line.startswith("\u3000\u3000") for line in lines[:at])  # (no column set in by the header)
    result = pipeline.extract(path, rules_dir=RULES)
    b = result.tables["budget"]
    assert {i: int(a) for i, a in zip(b["item"], b["amount_yen"], strict=True)} == {
        "地域中堅企業飛躍支援事業": 4_100_000_000, "ちいき共創ラボ形成プログラム": 13_200_000_000}
    assert dated_events(result) == [("中国地域ラボ交流会2024", "2024-11-19", "岡山コンベンションセンター")]


def test_a_sentence_the_left_column_ends_in_goes_on_in_the_right_column(printed: dict[str, Path]) -> None:
    """The left column's last line stops mid-sentence at the column's edge and the right column's first line
    goes on with it from its left edge: one line, not a paragraph apart, so the sentence readers read it whole."""
    path = printed["carried"]
    text = read_pdf(path, path.read_bytes()).text
    lines = text.split("\n")
    for paragraph in CARRIED:
        assert paragraph in lines
    result = pipeline.extract(path, rules_dir=RULES)
    h = result.tables["hubs"]
    assert [(n, m, u, p) for n, m, u, p in zip(h["name"], h["municipalities"], h["universities"], h["partners"],
                                               strict=True)] == [
        ("とやま医薬品製造共創拠点", "富山県;高岡市", "富山大学", "高岡商工会議所")]
    assert dated_events(result) == [("北陸ものづくり共創フォーラム2024", "2024-10-29", "富山国際会議場")]


def test_letter_spaced_names_and_labels_read_as_words(printed: dict[str, Path]) -> None:
    """A title, card names and labels set with letter-spacing (single characters at even gaps up to a glyph
    wide) read as the words they are, so the cards' names, fields and counts are read."""
    path = printed["letter_spaced"]
    lines = [line for line in read_pdf(path, path.read_bytes()).text.split("\n") if line.strip()]
    assert lines[0] == "地域クラスター事例集"
    assert [line for line in lines if line.startswith("分野")] == [f"分野：{f}" for _, f, _, _ in SPACED_CARDS]
    result = pipeline.extract(path, rules_dir=RULES)
    assert project_counts(result) == [(name.lstrip("◆"), companies, universities)
                                      for name, _, companies, universities in SPACED_CARDS]


def test_a_zebra_tables_shaded_cells_frame_no_boxes_and_rule_no_table(printed: dict[str, Path]) -> None:
    """Cells shaded one by one (the header's band, every other row) are neither framed boxes nor the rules of a
    table of their own: the glyphs' alignment finds the whole table, and every row is a hub."""
    path = printed["zebra"]
    result = pipeline.extract(path, rules_dir=RULES)
    h = result.tables["hubs"]
    assert list(zip(h["name"], h["municipalities"], h["universities"], h["partners"], strict=True)) == [
        (n, m.replace("、", ";"), u.replace("、", ";"), p) for n, m, u, p in ZEBRA_HUBS]


def test_ruby_over_names_is_no_text(printed: dict[str, Path]) -> None:
    """Readings set small right over their kanji (おおなん over 邑南) are no line of the text; a caption in small
    type that holds kanji stays."""
    path = printed["ruby"]
    lines = [line.strip("\u3000") for line in read_pdf(path, path.read_bytes()).text.split("\n") if line.strip()]
    assert not any(line in ("おおなん", "おき") for line in lines)
    assert "写真：ぶどう畑の様子" in lines
    result = pipeline.extract(path, rules_dir=RULES)
    assert project_counts(result) == [("邑南町食農連携プロジェクト", 35, 2), ("隠岐海洋資源プロジェクト", 12, 1)]


def test_superscript_note_markers_stay_on_their_line(printed: dict[str, Path]) -> None:
    """A footnote marker set as a superscript (※1 after a card's name) is read on its line, after the name, not
    as a line of its own over it; its note then says which card's support ended."""
    path = printed["superscript"]
    lines = [line for line in read_pdf(path, path.read_bytes()).text.split("\n") if line.strip()]
    assert lines[0] == "◆くしろ湿原観光クラスター※1"
    assert "参加企業：約５５社※2　参加大学：３大学" in lines
    p = pipeline.extract(path, rules_dir=RULES).tables["projects"]
    assert [(n, None if pd.isna(e) else int(e)) for n, e in zip(p["name"], p["ended_fy"], strict=True)] == [
        ("くしろ湿原観光クラスター", 2011), ("おたる硝子工芸クラスター", None)]


def test_a_ruled_tables_header_of_two_rows_labels_its_count_columns(printed: dict[str, Path]) -> None:
    """参加機関数 over 企業 and 大学: the second row labels the count columns and is no project."""
    path = printed["two_row_header"]
    result = pipeline.extract(path, rules_dir=RULES)
    p = result.tables["projects"]
    assert list(zip(p["region"], p["name"], p["companies"], p["universities"], strict=True)) == list(TWO_ROW_PROJECTS)


def test_hub_cards_in_a_grid_each_under_its_category_badge(printed: dict[str, Path]) -> None:
    """A landscape page of framed cards two to a row: each card's badge (グローバル型) over the hub's name is its
    category, and its labelled lines (参画自治体　帯広市、音更町) are its columns."""
    path = printed["badged"]
    hubs = pipeline.extract(path, rules_dir=RULES).tables["hubs"]
    assert hubs[["category", "name", "municipalities", "universities", "partners"]].values.tolist() == [
        [c, n, m.replace("、", ";"), u.replace("、", ";"), p.replace("、", ";")] for c, n, m, u, p in BADGED_HUBS]


def _turned_rows(path: Path) -> list[tuple[object, ...]]:
    p = pipeline.extract(path, rules_dir=RULES).tables["projects"]
    return list(zip(p["region"], p["name"], p["fields"], p["companies"], p["universities"], strict=True))


def test_a_table_printed_turned_on_its_page_is_read_as_if_upright(printed: dict[str, Path], tmp_path: Path) -> None:
    """A landscape table set a quarter turn on a portrait page (its glyphs run bottom to top) is read as the
    page shows it turned upright; so is a page whose /Rotate turns its upright text on its side or upside
    down (a page turned in a viewer and saved)."""
    want = [(r, n, f.replace("・", ";"), c, u) for r, n, f, c, u in TURNED_PROJECTS]
    assert _turned_rows(printed["turned"]) == want
    pikepdf = pytest.importorskip("pikepdf", reason="pikepdf (a dev dependency) sets a page's /Rotate")
    upright = printed["two_row_header"]
    for rotate in (90, 180, 270):
        with pikepdf.open(upright) as pdf:
            for page in pdf.pages:
                page.Rotate = rotate
            pdf.save(tmp_path / f"rotated{rotate}.pdf")
        got = pipeline.extract(tmp_path / f"rotated{rotate}.pdf", rules_dir=RULES).tables["projects"]
        assert list(zip(got["region"], got["name"], got["companies"], got["universities"], strict=True)) == list(
            TWO_ROW_PROJECTS), rotate


def test_a_long_borderless_table_set_in_halves_side_by_side_is_one_table(printed: dict[str, Path]) -> None:
    """Two halves of one table side by side, no rules, the header over each: the header read twice in one line
    heads one table (not columns of text split at the name column's white), the left half's rows first."""
    path = printed["halves"]
    lines = [line for line in read_pdf(path, path.read_bytes()).text.split("\n") if line.strip()]
    assert lines[1] == "地域\tプロジェクト名\t企業数\t大学数"
    assert lines[2:] == [f"{r}\t{n}\t{c}社\t{u}大学" for half in HALVES for r, n, c, u in half]
    p = pipeline.extract(path, rules_dir=RULES).tables["projects"]
    assert sorted(zip(p["region"], p["name"], p["companies"], p["universities"], strict=True)) == sorted(
        row for half in HALVES for row in half)


def test_a_ruled_table_going_on_over_a_page_break_without_its_header_keeps_its_rows(printed: dict[str, Path]) -> None:
    """A table cut by the page break whose header is not printed again: the rows at the next page's top are
    the same table's (they were read as a table with no header and lost)."""
    for name in ("unrepeated", "unrepeated_borderless"):  # ruled, and aligned with no rules (its column gaps go on)
        path = printed[name]
        source = read_pdf(path, path.read_bytes())
        assert source.text.count("\f") == 1 and len(source.ruled_tables) == 1, name
        p = pipeline.extract(path, rules_dir=RULES).tables["projects"]
        assert list(zip(p["region"], p["name"], p["companies"], p["universities"], strict=True)) == list(
            LONG_ROWS), name


def test_a_newsletter_page_gives_its_projects_events_budget_and_a_footer_without_its_page_number(
        printed: dict[str, Path]) -> None:
    """Each table from one page of a newsletter; the footer's page number, set after a gap on the publisher's
    line, is page furniture (no unclaimed figure), the publisher's bureau stands for its ministry."""
    path = printed["newsletter"]
    result = pipeline.extract(path, rules_dir=RULES)
    t = result.tables
    assert result.source.rstrip().endswith("発行：中部経済産業局 地域経済課")
    assert list(zip(t["projects"]["name"], t["projects"]["companies"], t["projects"]["universities"], strict=True)) == [
        ("しずおか水素エネルギークラスター", 85, 4), ("ぎふ航空宇宙クラスター", 120, 3)]
    assert dated_events(result) == [("中部航空宇宙フォーラム2024", "2024-11-21", "岐阜県立国際会議場"),
                                    ("水素社会実装セミナー", "2025-01-16", "静岡県コンベンションアーツセンター")]
    b = t["budget"]
    assert list(zip(b["ministry"], b["item"], b["parent"], b["amount_yen"], strict=True)) == [
        ("経済産業省", "地域イノベーション推進事業", "", 1_200_000_000),
        ("経済産業省", "うち中部地域分", "地域イノベーション推進事業", 300_000_000)]
    assert "number_unclaimed" not in set(t["warnings"]["code"])
