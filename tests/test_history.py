"""`pipeline history` over a generated series of five editions (tests/series.py): links against the gold
written by hand (tests/golden_history/), long tables against the planted figures, changes against the
planted changes, corrections through rules/entities.yaml, and deterministic output."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import unicodedata
import uuid
from pathlib import Path

import pytest

from pipeline.cli import main
from pipeline.history import build_history
from pipeline.history.editions import Edition, HistoryError
from pipeline.history.link import EntityRules, link_editions
from pipeline.history.load import load_history

from .conftest import GOLDEN, ROOT, RULES
from .series import (
    ADD_YEAR,
    ADDED,
    DROP_YEAR,
    DROPPED,
    NEW_TOKAI,
    OLD_TOKAI,
    OLD_TOSHI,
    RENAME_YEAR,
    make_series,
    write_series,
)

GOLD_LINKS = ROOT / "tests" / "golden_history" / "links.csv"
SEED_DOC = GOLDEN / "chiiki-cluster-h21"


def _nfkc(name: str) -> str:
    return unicodedata.normalize("NFKC", name)


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture(scope="module")
def series(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("series")
    write_series(root / "raw")
    assert main(["run", str(root / "raw"), "--out", str(root / "out"), "--quiet"]) == 0
    assert main(["history", str(root / "out"), "--out", str(root / "history")]) == 0
    return make_series(), root


def _gold_links(plan) -> set[tuple[str, ...]]:
    """Every link the series must give: the hand-written renames and series, and each name printed in two
    consecutive editions joined to itself."""
    gold = {(r["table"], r["edition_before"], r["edition_after"], r["name_before"], r["name_after"])
            for r in _read(GOLD_LINKS)}
    seed_projects = [r["name"] for r in _read(SEED_DOC / "projects.csv")]
    hubs = [r["name"] for r in _read(SEED_DOC / "hubs.csv")]
    names: list[dict[str, set[str]]] = []
    for k, ed in enumerate(plan):
        projects = {NEW_TOKAI if n == OLD_TOKAI and k >= RENAME_YEAR else n for n in seed_projects}
        if k >= DROP_YEAR:
            projects.discard(DROPPED)
        if k >= ADD_YEAR:
            projects.add(ADDED)
        names.append({"projects": projects, "budget": {_nfkc(n) for n in ed.budget}, "hubs": set(hubs),
                      "events": set(ed.events) | {"地域クラスターセミナー"}})
    for k in range(1, len(plan)):
        for table in ("projects", "budget", "hubs", "events"):
            for name in names[k - 1][table] & names[k][table]:
                gold.add((table, plan[k - 1].doc, plan[k].doc, name, name))
    return gold


def test_links_precision_and_recall(series) -> None:
    plan, root = series
    found = {(r["table"], r["edition_before"], r["edition_after"], r["name_before"], r["name_after"])
             for r in _read(root / "history" / "links.csv") if r["table"] != "organizations"}
    gold = _gold_links(plan)
    true = found & gold
    assert (len(true) / len(found), len(true) / len(gold)) == (1.0, 1.0), (found - gold, gold - found)
    rules = {(r["table"], r["name_before"], r["name_after"]): r["rule"] for r in _read(root / "history" / "links.csv")}
    for r in _read(GOLD_LINKS):
        assert rules[(r["table"], r["name_before"], r["name_after"])] == r["rule"]
    organizations = [r for r in _read(root / "history" / "links.csv") if r["table"] == "organizations"]
    assert organizations and all(r["name_before"] == r["name_after"] and r["rule"] == "key.exact"
                                 for r in organizations)
    assert _read(root / "history" / "warnings.csv") == []


def test_entities_and_aliases(series) -> None:
    plan, root = series
    entities = _read(root / "history" / "entities.csv")
    by_name = {(e["table"], e["name"]): e for e in entities}
    tokai = by_name[("projects", NEW_TOKAI)]
    assert (tokai["first_edition"], tokai["last_edition"], tokai["editions"]) == (plan[0].doc, plan[-1].doc, "5")
    assert by_name[("projects", DROPPED)]["last_edition"] == plan[DROP_YEAR - 1].doc
    assert by_name[("projects", ADDED)]["first_edition"] == plan[ADD_YEAR].doc
    assert ("projects", "東海バイオものづくり創生プロジェクト") in by_name  # never merged with 東海ものづくり
    assert sum(e["table"] == "projects" for e in entities) == 20
    assert sum(e["table"] == "budget" for e in entities) == 14
    conference = by_name[("events", "第12回産学官連携推進会議")]
    aliases = [a["name"] for a in _read(root / "history" / "aliases.csv") if a["id"] == conference["id"]]
    assert aliases == [f"第{n}回産学官連携推進会議" for n in range(8, 13)]


def test_long_tables_equal_the_planted_figures(series) -> None:
    plan, root = series
    fy = {ed.doc: ed.fiscal_year for ed in plan}
    projects = _read(root / "history" / "projects_history.csv")
    seed = {r["name"]: r for r in _read(SEED_DOC / "projects.csv")}
    for ed in plan:
        rows = {r["name"]: r for r in projects if r["edition"] == ed.doc}
        for r in rows.values():
            assert int(r["fiscal_year"]) == fy[ed.doc]
        for name, figures in ed.projects.items():
            for col, value in figures.items():
                assert int(rows[name][col]) == value, (ed.doc, name, col)
        for name, row in rows.items():
            if name not in ed.projects and name != NEW_TOKAI:
                assert (row["companies"], row["universities"]) == (seed[name]["companies"],
                                                                   seed[name]["universities"]), name
    ids = {r["id"] for r in projects if r["name"] in (OLD_TOKAI, NEW_TOKAI)}
    assert len(ids) == 1  # one id over the rename
    budget = _read(root / "history" / "budget_history.csv")
    item_of = {(r["edition"], r["id"]): r["item"] for r in budget}
    for ed in plan:
        rows = {r["item"]: r for r in budget if r["edition"] == ed.doc}
        assert set(rows) == {_nfkc(n) for n in ed.budget}
        for name, line in ed.budget.items():
            row = rows[_nfkc(name)]
            assert int(row["amount_yen"]) == line.oku * 100_000_000, (ed.doc, name)
            assert item_of.get((ed.doc, row["parent_id"]), "") == _nfkc(line.parent), (ed.doc, name)
            assert row["ministry"] == line.ministry
            assert row["sum_check"] == ("mismatch" if name == "知的クラスター創成事業" else row["sum_check"])
        assert [r["item"] for r in rows.values() if r["sum_check"] == "mismatch"] == ["知的クラスター創成事業"]
    toshi = {r["id"] for r in budget if r["item"] in (OLD_TOSHI, "地域イノベーション戦略支援プログラム(都市エリア型)")}
    assert len(toshi) == 1


def _planted_changes(plan, renames: dict[tuple[str, str], str]) -> set[tuple[str, ...]]:
    """(before, after, table, change, name, columns) from the plan alone; ``renames`` maps (table, new name)
    to the old one for the linked renames."""
    seed_projects = {r["name"] for r in _read(SEED_DOC / "projects.csv")}
    out = set()
    for k in range(1, len(plan)):
        a, b = plan[k - 1], plan[k]
        pair = (a.doc, b.doc)

        def projects_of(j: int) -> set[str]:
            names = {NEW_TOKAI if n == OLD_TOKAI and j >= RENAME_YEAR else n for n in seed_projects}
            return (names - ({DROPPED} if j >= DROP_YEAR else set())) | ({ADDED} if j >= ADD_YEAR else set())

        before, after = projects_of(k - 1), projects_of(k)
        for name in after - before:
            old = renames.get(("projects", name))
            if old in before:
                out.add((*pair, "projects", "renamed", name, ""))
            else:
                out.add((*pair, "projects", "added", name, ""))
        for name in before - after:
            if name not in renames.values():
                out.add((*pair, "projects", "removed", name, ""))
        for name, figures in b.projects.items():
            old_name = renames.get(("projects", name), name) if name not in a.projects else name
            if old_name in a.projects:
                cols = [c for c in ("companies", "universities") if a.projects[old_name].get(c) != figures.get(c)]
                if cols:
                    out.add((*pair, "projects", "changed", name, ";".join(cols)))
        old_budget = {_nfkc(n): v for n, v in a.budget.items()}
        for raw, line in b.budget.items():
            name = _nfkc(raw)
            old_name = name if name in old_budget else renames.get(("budget", name))
            if old_name is None:
                out.add((*pair, "budget", "added", name, ""))
                continue
            if old_name != name:
                out.add((*pair, "budget", "renamed", name, ""))
            was = old_budget[old_name]
            def first_name(item: str) -> str:
                return renames.get(("budget", _nfkc(item)), _nfkc(item))

            cols = [c for c, changed in (("ministry", was.ministry != line.ministry),
                                         ("parent_id", first_name(was.parent) != first_name(line.parent)),
                                         ("amount_yen", was.oku != line.oku)) if changed]
            if cols:
                out.add((*pair, "budget", "changed", name, ";".join(cols)))
        for name in b.events:
            out.add((*pair, "events", "renamed", name, ""))
            out.add((*pair, "events", "changed", name, "start_date;end_date"))
    return out


def test_changes_equal_the_planted_changes(series) -> None:
    plan, root = series
    renames = {(r["table"], r["name_after"]): r["name_before"] for r in _read(GOLD_LINKS)}
    found = set()
    for r in _read(root / "history" / "changes.csv"):
        name = r["before"] if r["change"] == "removed" else (r["after"] if r["change"] in ("added", "renamed")
                                                               else None)
        if name is None:  # changed: the entity's name in the later edition
            name = next(a["name"] for a in _read(root / "history" / "aliases.csv")
                        if a["id"] == r["id"] and a["edition"] == r["edition_after"])
        found.add((r["edition_before"], r["edition_after"], r["table"], r["change"], name, r["columns"]))
    assert found == _planted_changes(plan, renames)


def test_output_is_deterministic_and_ids_stable(series, tmp_path: Path) -> None:
    plan, root = series
    docs = sorted((d for d in (root / "out").iterdir() if d.is_dir() and not d.name.startswith(".")), reverse=True)
    assert main(["history", *map(str, docs), "--out", str(tmp_path / "h")]) == 0
    for f in (root / "history").iterdir():
        assert (tmp_path / "h" / f.name).read_bytes() == f.read_bytes(), f.name
    package = json.loads((root / "history" / "datapackage.json").read_text(encoding="utf-8"))
    assert sorted(r["path"] for r in package["resources"]) == sorted(p.name for p in (root / "history").glob("*.csv"))
    assert [e["fiscal_year"] for e in package["pipeline"]["editions"]] == [2009, 2010, 2011, 2012, 2013]
    # Ids come from the first edition alone: the history of the first three editions gives the same ids.
    assert main(["history", *map(str, sorted(docs)[:3]), "--out", str(tmp_path / "h3")]) == 0
    aliases5 = {tuple(a.values()) for a in _read(root / "history" / "aliases.csv")}
    aliases3 = {tuple(a.values()) for a in _read(tmp_path / "h3" / "aliases.csv")}
    assert aliases3 and aliases3 <= aliases5


def _rules_copy(tmp_path: Path, entities_yaml: str) -> Path:
    rules = tmp_path / "rules"
    shutil.copytree(RULES, rules)
    (rules / "entities.yaml").write_text(entities_yaml, encoding="utf-8")
    return rules


def test_splitting_a_link_in_the_rules(series, tmp_path: Path) -> None:
    plan, root = series
    text = (RULES / "entities.yaml").read_text(encoding="utf-8")
    text += f"  - table: projects\n    names: [{OLD_TOKAI}, {NEW_TOKAI}]\n"
    rules = _rules_copy(tmp_path, text)
    history = build_history([root / "out"], rules)
    links = {(r["name_before"], r["name_after"]) for r in history.tables["links"]}
    assert (OLD_TOKAI, NEW_TOKAI) not in links
    changes = {(r["change"], r["before"] or r["after"]) for r in history.tables["changes"]
               if r["edition_after"] == plan[RENAME_YEAR].doc and r["table"] == "projects"}
    assert {("removed", OLD_TOKAI), ("added", NEW_TOKAI)} <= changes
    assert not any(c == "renamed" for c, _ in changes)


def test_confirming_a_link_below_the_threshold(series, tmp_path: Path) -> None:
    plan, root = series
    strict = (RULES / "entities.yaml").read_text(encoding="utf-8").replace("threshold: 0.75", "threshold: 0.95")
    history = build_history([root / "out"], _rules_copy(tmp_path / "a", strict))
    assert (OLD_TOKAI, NEW_TOKAI) not in {(r["name_before"], r["name_after"]) for r in history.tables["links"]}
    warned = [w for w in history.tables["warnings"] if w["code"] == "history_possible_rename"]
    assert [(w["table"], w["name"], w["edition"]) for w in warned] == [("projects", NEW_TOKAI, plan[RENAME_YEAR].doc)]
    confirmed = strict.replace("same: []", f"same:\n  - table: projects\n    names: [{OLD_TOKAI}, {NEW_TOKAI}]")
    history = build_history([root / "out"], _rules_copy(tmp_path / "b", confirmed))
    rules = {(r["name_before"], r["name_after"]): r["rule"] for r in history.tables["links"]}
    assert rules[(OLD_TOKAI, NEW_TOKAI)] == "entities.same"
    assert history.tables["warnings"] == []


def _edition(doc: str, year: int, projects: list[dict]) -> Edition:
    tables = {t: [] for t in ("budget", "hubs", "events", "organizations")}
    return Edition(doc, Path(doc), year, {"projects": projects, **tables})


def _project(name: str, companies: int = 100) -> dict:
    return {"name": name, "region": "中部", "companies": companies, "universities": 10, "aliases": None}


def test_names_printed_together_are_never_one_entity() -> None:
    """東海ものづくり and 東海バイオものづくり side by side in one edition, one of them gone the next year with
    like figures: never linked, even without the rules' `different` entry."""
    rules = EntityRules(0.5, [], [], [])
    editions = [
        _edition("a", 2009, [_project("東海ものづくり創生プロジェクト"),
                             _project("東海バイオものづくり創生プロジェクト")]),
        _edition("b", 2010, [_project("東海バイオものづくり創生プロジェクト")]),
        _edition("c", 2011, [_project("東海ものづくり創生プロジェクト", 110)]),
    ]
    linked = link_editions(editions, rules)["projects"]
    assert len(linked.entities) == 2
    assert all(k.name_before == k.name_after for k in linked.links)
    # Without the evidence of edition a, the detector would join them: the guard is what keeps them apart.
    alone = link_editions([editions[1], editions[2]], rules)["projects"]
    assert [k.rule for k in alone.links] == ["rename.name"]


def test_a_document_without_a_fiscal_year_is_an_error(tmp_path: Path) -> None:
    doc = tmp_path / "undated"
    doc.mkdir()
    (doc / "source.txt").write_text("地域の取組について。\n", encoding="utf-8")
    (doc / "projects.csv").write_text("doc,region,name\n", encoding="utf-8")
    with pytest.raises(HistoryError, match="undated: no fiscal year"):
        build_history([doc], RULES)
    assert main(["history", str(doc), "--out", str(tmp_path / "h")]) == 1
    assert not (tmp_path / "h").exists()


# -- the database ------------------------------------------------------------------------------------

DOCS_SQL = re.compile(r"```sql\n(.*?)```", re.S)


@pytest.fixture(params=["sqlite", "postgresql"])
def history_db(request: pytest.FixtureRequest, tmp_path: Path):
    """A database URL and schema for one test (PostgreSQL: a schema of its own, dropped afterwards)."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import OperationalError

    from pipeline.outputs.load import parse_db_url

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'history.sqlite'}"
        yield url, None, create_engine(url)
        return
    base = os.environ.get("PIPELINE_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
    admin = create_engine(parse_db_url(base), connect_args={"connect_timeout": 3})
    schema = f"pipeline_test_{uuid.uuid4().hex[:12]}"
    try:
        with admin.begin() as c:
            c.execute(text(f'CREATE SCHEMA "{schema}"'))
    except OperationalError as e:
        admin.dispose()
        if os.environ.get("CI"):
            raise
        pytest.skip(f"PostgreSQL not reachable at {base} ({str(e.orig).splitlines()[0]}); set PIPELINE_TEST_PG_URL")
    url = parse_db_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_engine(url)
    try:
        yield url.render_as_string(hide_password=False), schema, engine
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_history_loads_and_the_docs_queries_run(series, history_db) -> None:
    from sqlalchemy import text

    plan, root = series
    url, schema, engine = history_db
    counts = load_history(root / "history", url, schema=schema)
    assert counts["projects_history"] == len(_read(root / "history" / "projects_history.csv"))
    assert load_history(root / "history", url, schema=schema) == counts  # again: replaced, not doubled
    queries = DOCS_SQL.findall((ROOT / "docs" / "history.md").read_text(encoding="utf-8"))
    assert len(queries) == 5
    with engine.connect() as c:
        results = [[tuple(r) for r in c.execute(text(q))] for q in queries]
    toshi, tokai, totals, children, renames = results
    assert [(fy, amount) for fy, _item, amount in toshi] == [(2009 + k, (45 + k) * 100_000_000) for k in range(5)]
    assert [item for _fy, item, _a in toshi][RENAME_YEAR] == "地域イノベーション戦略支援プログラム(都市エリア型)"
    assert [(fy, companies) for fy, _n, companies, _u in tokai] == [(2009 + k, 1720 + 20 * k) for k in range(5)]
    mext = [r for r in totals if r[0] == "文部科学省"]
    assert [r[2] for r in mext] == [ed.budget["文部科学省"].oku * 100_000_000 for ed in plan]
    assert mext[0][3] is None and all(r[3] == 200_000_000 for r in mext[1:])  # 一般型 +1, 知的 +1 a year
    want = [(2009 + k, item) for k in range(5) for item in ("一般型", "発展型")]
    assert [(fy, item) for fy, _p, item, _a in children] == want
    assert len(renames) == len(_read(GOLD_LINKS))


def test_pipeline_load_takes_a_history_folder(series, tmp_path: Path) -> None:
    import sqlite3

    _, root = series
    db = tmp_path / "h.sqlite"
    assert main(["load", str(root / "history"), "--db", f"sqlite:///{db}"]) == 0
    with sqlite3.connect(db) as c:
        names = {r[0] for r in c.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        assert {"history_entities", "projects_history", "budget_history"} <= names
        assert "documents" not in names  # kept apart from the per-document tables


def test_pipeline_load_of_a_history_defaults_to_a_database_beside_it(series, tmp_path: Path) -> None:
    """Without --db the database goes beside the history folder (which the next history run replaces
    whole), never into the current folder's extracted/."""
    import shutil
    import sqlite3

    _, root = series
    hist = tmp_path / "out" / "history"
    shutil.copytree(root / "history", hist)
    assert main(["load", str(hist)]) == 0
    db = tmp_path / "out" / "pipeline.sqlite"
    assert db.is_file() and not (hist / "pipeline.sqlite").exists()
    with sqlite3.connect(db) as c:
        assert c.execute("SELECT count(*) FROM history_entities").fetchone()[0] > 0


def test_history_report(series, tmp_path: Path) -> None:
    from pipeline.history.report import render_report

    _, root = series
    out = tmp_path / "h"
    assert main(["history", str(root / "out"), "--out", str(out), "--report"]) == 0
    html = (out / "report.html").read_text(encoding="utf-8")
    assert html.count("<svg") == 3  # budget lines, companies, universities: inline, no script
    assert "<script" not in html
    assert "都市エリア産学官連携促進事業</td><td>地域イノベーション戦略支援プログラム(都市エリア型)" in html
    # Names are escaped: a hostile name in a CSV cannot become markup.
    links = (out / "links.csv").read_text(encoding="utf-8")
    (out / "links.csv").write_text(links.replace(NEW_TOKAI, "<script>alert(1)</script>"), encoding="utf-8")
    html = render_report(out)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>" not in html


def test_a_confirmation_that_links_nothing_is_a_warning(series, tmp_path: Path) -> None:
    _, root = series
    text = (RULES / "entities.yaml").read_text(encoding="utf-8").replace(
        "same: []",
        "same:\n  - table: projects\n    names: [北海道ITイノベーション戦略, 北海道情報産業イノベーション戦略]")
    history = build_history([root / "out"], _rules_copy(tmp_path, text))
    assert [(w["code"], w["name"]) for w in history.tables["warnings"]] == [
        ("history_rule_unused", "北海道ITイノベーション戦略")]


def test_fiscal_year_from_a_heading_without_a_budget(tmp_path: Path) -> None:
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "map-h23.txt").write_text(
        "地域クラスターの展開状況（平成23年度）\n\n"
        "◆北陸ものづくり創生プロジェクト\n　ものづくり分野　約410社　18大学\n\n"
        "　本事業は平成24年度に評価を受ける予定であり、その結果を踏まえて支援の継続を検討します。\n",
        encoding="utf-8")
    assert main(["run", str(raw), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    history = build_history([tmp_path / "out"], RULES)
    assert [ed.fiscal_year for ed in history.editions] == [2011]  # the heading's, not the later year in prose
    assert history.tables["projects_history"][0]["fiscal_year"] == 2011


def test_hubs_history_follows_every_edition(series) -> None:
    plan, root = series
    hubs = _read(root / "history" / "hubs_history.csv")
    seed = _read(SEED_DOC / "hubs.csv")
    assert len(hubs) == len(seed) * len(plan)
    for ed in plan:
        rows = {r["name"]: r for r in hubs if r["edition"] == ed.doc}
        assert {n: (r["category"], r["universities"]) for n, r in rows.items()} == {
            r["name"]: (r["category"], r["universities"]) for r in seed}


@pytest.mark.parametrize("make", ["missing", "empty"])
def test_bad_folders_are_one_line_errors(tmp_path: Path, make: str, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "editions"
    if make == "empty":
        folder.mkdir()
    assert main(["history", str(folder), "--out", str(tmp_path / "h")]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(folder) in err
    assert not (tmp_path / "h").exists()
