"""``pipeline load``: output folders -> SQLite and PostgreSQL.

The folders are written here by hand, following :data:`pipeline.core.schema.TABLES`, so these tests do not
depend on the extractor. PostgreSQL tests use ``PIPELINE_TEST_PG_URL`` (default
``postgresql+psycopg://postgres@127.0.0.1:5432/test``), each in a schema of its own that is dropped
afterwards; they skip when no server answers.
"""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import BigInteger, Boolean, Date, DateTime, Engine, Text, create_engine, inspect, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from pipeline import cli
from pipeline.core.schema import link_tables
from pipeline.outputs import load as load
from pipeline.outputs.load import LoadError, build_metadata, load_dirs, parse_db_url
from pipeline.tables import TABLES

REPO = Path(__file__).resolve().parents[1]
DEFAULT_PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REAL_DOC = REPO / "extracted" / "chiiki-cluster-h21"

# ---------------------------------------------------------------------------------------------------
# Two small, realistic documents: rows in schema column order without the leading `doc`.

DOC_A = "chiiki-cluster-h20"
DOC_B = "chiiki-cluster-h22"

TABLES_A: dict[str, list[tuple[Any, ...]]] = {
    "mentions": [
        ("count", "約150社", "150", "社", True, 1, 12, 210, 215, "count.companies", False, ""),
        ("amount", "134億円", "13400000000", "JPY", False, 1, 31, 812, 817, "amount.oku", False, ">="),
        ("amount", "▲80億円", "-8000000000", "JPY", False, 1, 32, 840, 846, "amount.oku", False, ""),
        ("period", "平成21年度", "2009-04-01/2010-03-31", "", False, 1, 30, 790, 796, "period.fy", False, ""),
        ("date", "平成21年6月", "2009-06", "", False, 2, 50, 1310, 1317, "date.wareki", True, ""),
        ("organization", "北海道大学", "北海道大学", "", False, 1, 12, 190, 195, "org.university", False, ""),
    ],
    "projects": [
        ("北海道", "札幌ITカロッツェリア", "Sapporo IT Carrozzeria", "情報", 150, True, 5, False, None, 12),
        ("東北", "広域仙台地域", "", "ものづくり;情報;エネルギー", 120, False, 8, False, 2009, 15),
        ("関東", "首都圏西部", "", "バイオ;ものづくり", 300, True, 20, True, None, 18),
    ],
    "budget": [
        (2009, "経済産業省", "経済産業省", "", 20000000000, 20000000000, "ok", 30),
        (2009, "経済産業省", "産業クラスター計画", "経済産業省", 13400000000, None, "", 31),
        (2009, "経済産業省", "地域新生コンソーシアム研究開発事業", "経済産業省", 6600000000, None, "", 32),
        (2009, "文部科学省", "文部科学省", "", 10000000000, 9000000000, "mismatch", 33),
        (2009, "文部科学省", "知的クラスター創成事業", "文部科学省", 9000000000, None, "", 34),
    ],
    "hubs": [
        ("地域中核産学官連携拠点", "北海道バイオ拠点", "北海道;札幌市", "北海道大学", "北海道経済連合会", 40),
    ],
    "events": [
        ("産学官連携推進会議", "2009-06-20", "2009-06-21", "国立京都国際会館", 50),
        ("地域クラスターフォーラム", "2009-11-05", "2009-11-05", "東京国際フォーラム", 52),
        ("成果発表会", None, None, "", 54),
    ],
    "organizations": [
        ("北海道大学", "university", 3, 12),
        ("株式会社アメリオ", "company", 1, 20),
        ("経済産業省", "government", 4, 30),
    ],
    "warnings": [
        (33, "budget_sum_mismatch", "文部科学省: 子の合計 9000000000 が 10000000000 と一致しない", 1),
        (None, "unclaimed_number", "どのルールも拾わなかった数値: 100", None),
        (None, "unclaimed_number", "どのルールも拾わなかった数値: 100", None),
    ],
}

TABLES_B: dict[str, list[tuple[Any, ...]]] = {
    "mentions": [
        ("count", "約200社", "200", "社", True, 1, 9, 120, 125, "count.companies", False, ""),
        ("amount", "150億円", "15000000000", "JPY", False, 1, 22, 640, 645, "amount.oku", False, ""),
    ],
    "projects": [
        ("九州", "福岡先端システムLSI開発拠点", "", "情報", 200, True, 10, False, None, 9),
        ("沖縄", "沖縄バイオ", "", "バイオ", 40, False, 3, False, 2011, 11),
    ],
    "budget": [
        (2011, "経済産業省", "経済産業省", "", 15000000000, None, "", 22),
    ],
    "hubs": [],
    "events": [
        ("九州地域産学官連携フォーラム", "2011-02-01", "2011-02-01", "福岡国際会議場", 40),
    ],
    "organizations": [
        ("九州大学", "university", 2, 9),
    ],
    "warnings": [],
}


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def write_doc(root: Path, doc: str, tables: dict[str, list[tuple[Any, ...]]]) -> Path:
    """Write an output folder ``root/doc/`` as the pipeline does: one CSV per table + datapackage.json."""
    folder = root / doc
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in TABLES.items():
        with open(folder / f"{name}.csv", "w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(table.column_names)
            for row in tables.get(name, []):
                assert len(row) + 1 == len(table.columns), (name, row)
                w.writerow([doc, *map(_cell, row)])
    package = {
        "profile": "tabular-data-package",
        "name": doc,
        "title": doc,
        "resources": [{"name": n, "path": f"{n}.csv"} for n in TABLES],
        "pipeline": {
            "version": "0.1.0",
            "rules_hash": "3f9a0c1e" + doc[-3:],
            "input": f"{doc}.txt",
            "input_sha256": "ab" * 32,
            "encoding": "cp932",
            "pages": 2,
        },
    }
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), encoding="utf-8")
    (folder / "source.txt").write_text("…\n", encoding="utf-8")
    return folder


@pytest.fixture
def docs(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "extracted"
    return write_doc(root, DOC_A, TABLES_A), write_doc(root, DOC_B, TABLES_B)


def counts_of(tables: dict[str, list[tuple[Any, ...]]]) -> dict[str, int]:
    """Rows per table, the link tables counting the items of their ';' lists."""
    counts = {name: len(tables[name]) for name in TABLES}
    for name, (owner, link) in link_tables().items():
        at = owner.column_names.index(link.list_column) - 1  # the tuples leave out doc
        counts[name] = sum(len([v for v in (row[at] or "").split(";") if v]) for row in tables[owner.name])
    return counts


# ---------------------------------------------------------------------------------------------------
# Databases


@dataclass
class DB:
    """Where a test loads: ``url`` for the loader and the CLI, ``schema`` and ``engine`` to look inside."""

    kind: str
    url: str
    schema: str | None
    engine: Engine

    def load(self, *dirs: Path) -> dict[str, Any]:
        return load_dirs(dirs, self.url, schema=self.schema)

    def tables(self) -> dict[str, Any]:
        return {t.name: t for t in build_metadata(self.schema).sorted_tables}

    def count(self, table: str, doc: str | None = None) -> int:
        t = self.tables()[table]
        q = select(t)
        if doc is not None:
            q = q.where(t.c.doc == doc)
        with self.engine.connect() as c:
            return len(c.execute(q).all())

    def snapshot(self) -> dict[str, list[tuple[Any, ...]]]:
        """Every row of every table, in primary-key order."""
        out = {}
        with self.engine.connect() as c:
            for name, t in self.tables().items():
                out[name] = [tuple(r) for r in c.execute(select(t).order_by(*t.primary_key.columns))]
        return out


_pg_reachable: dict[str, str | None] = {}


def _pg_base_url() -> str:
    url = os.environ.get("PIPELINE_TEST_PG_URL", DEFAULT_PG_URL)
    if url not in _pg_reachable:
        engine = create_engine(parse_db_url(url), connect_args={"connect_timeout": 3})
        try:
            with engine.connect() as c:
                c.execute(text("select 1"))
            _pg_reachable[url] = None
        except OperationalError as e:
            _pg_reachable[url] = str(e.orig or e).strip().splitlines()[0]
        finally:
            engine.dispose()
    reason = _pg_reachable[url]
    if reason is not None:
        pytest.skip(
            f"PostgreSQL not reachable at {url} ({reason}); set PIPELINE_TEST_PG_URL to a SQLAlchemy URL "
            "of a database you may create schemas in, e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DB]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'db' / 'pipeline.sqlite'}"
        engine = create_engine(url)
        yield DB("sqlite", url, None, engine)
        engine.dispose()
        return
    base = _pg_base_url()
    schema = f"pipeline_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(parse_db_url(base))
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    # The CLI has no schema option: the URL points libpq's search_path at the test schema.
    url = parse_db_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    engine = create_engine(url)
    try:
        yield DB("postgresql", url.render_as_string(hide_password=False), schema, engine)
    finally:
        engine.dispose()
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


# ---------------------------------------------------------------------------------------------------
# Both databases


def test_two_docs_load_and_reload_is_idempotent(db: DB, docs: tuple[Path, Path]) -> None:
    a, b = docs
    first = db.load(a)
    assert first["docs"][DOC_A]["rows"] == counts_of(TABLES_A)
    db.load(b)
    before = db.snapshot()
    again = db.load(a)
    assert again["docs"][DOC_A]["rows"] == counts_of(TABLES_A)
    after = db.snapshot()

    for name in TABLES:
        assert db.count(name, DOC_A) == len(TABLES_A[name]), name
        assert db.count(name, DOC_B) == len(TABLES_B[name]), name
        assert after[name] == before[name], name
    # documents: the same provenance, only loaded_at moved on
    strip = [(r[:-1]) for r in before["documents"]], [(r[:-1]) for r in after["documents"]]
    assert strip[0] == strip[1]
    assert [r[0] for r in after["documents"]] == [DOC_A, DOC_B]
    assert after["documents"][0][-1] >= before["documents"][0][-1]

    docs_t = db.tables()["documents"]
    with db.engine.connect() as c:
        row = c.execute(select(docs_t).where(docs_t.c.doc == DOC_A)).mappings().one()
    assert row["input"] == f"{DOC_A}.txt"
    assert row["input_sha256"] == "ab" * 32
    assert row["rules_hash"] == "3f9a0c1eh20"
    assert row["pipeline_version"] == "0.1.0"
    assert row["encoding"] == "cp932"
    assert row["pages"] == 2
    assert isinstance(row["loaded_at"], datetime)

    # warnings whose schema key repeats are kept, numbered by their row in warnings.csv
    w = db.tables()["warnings"]
    with db.engine.connect() as c:
        got = c.execute(select(w.c.seq, w.c.line, w.c.code).where(w.c.doc == DOC_A).order_by(w.c.seq)).all()
    assert [tuple(r) for r in got] == [
        (1, 33, "budget_sum_mismatch"),
        (2, None, "unclaimed_number"),
        (3, None, "unclaimed_number"),
    ]


def test_types_are_integer_boolean_date(db: DB, docs: tuple[Path, Path]) -> None:
    db.load(*docs)
    insp = inspect(db.engine)
    columns = {
        name: {c["name"]: c["type"] for c in insp.get_columns(name, schema=db.schema)}
        for name in [*TABLES, "documents"]
    }
    for name, table in TABLES.items():
        assert set(columns[name]) >= set(table.column_names), name
        pk = insp.get_pk_constraint(name, schema=db.schema)["constrained_columns"]
        assert pk[0] == "doc", name
    assert set(insp.get_pk_constraint("projects", schema=db.schema)["constrained_columns"]) == {"doc", "name"}
    assert set(insp.get_pk_constraint("mentions", schema=db.schema)["constrained_columns"]) == {
        "doc",
        "kind",
        "start",
        "end",
    }
    assert set(insp.get_pk_constraint("warnings", schema=db.schema)["constrained_columns"]) == {"doc", "seq"}
    assert isinstance(columns["projects"]["companies"], BigInteger)
    assert isinstance(columns["budget"]["amount_yen"], BigInteger)
    assert isinstance(columns["projects"]["companies_approx"], Boolean)
    assert isinstance(columns["mentions"]["approx"], Boolean)
    assert isinstance(columns["events"]["start_date"], Date)
    assert isinstance(columns["events"]["end_date"], Date)
    assert isinstance(columns["mentions"]["value"], Text)
    assert isinstance(columns["documents"]["loaded_at"], DateTime)

    t = db.tables()
    with db.engine.connect() as c:
        p = (
            c.execute(select(t["projects"]).where(t["projects"].c.name == "札幌ITカロッツェリア"))
            .mappings()
            .one()
        )
        assert (p["companies"], p["companies_approx"], p["universities_approx"]) == (150, True, False)
        assert type(p["companies"]) is int and type(p["companies_approx"]) is bool
        assert p["ended_fy"] is None and p["aliases"] == "Sapporo IT Carrozzeria"
        ev = t["events"]
        e = c.execute(select(ev).where(ev.c.doc == DOC_A).order_by(ev.c.line)).mappings().all()
        assert (e[0]["name"], e[0]["start_date"], e[0]["end_date"]) == (
            "産学官連携推進会議",
            date(2009, 6, 20),
            date(2009, 6, 21),
        )
        assert e[2]["start_date"] is None  # 成果発表会 has no date
        b = t["budget"]
        totals = c.execute(
            select(b.c.ministry, b.c.amount_yen)
            .where(b.c.doc == DOC_A, b.c.parent.is_(None))
            .order_by(b.c.line)
        ).all()
        assert [tuple(r) for r in totals] == [("経済産業省", 20000000000), ("文部科学省", 10000000000)]
        m = t["mentions"]
        value = c.execute(select(m.c.value).where(m.c.doc == DOC_A, m.c.start == 840)).scalar_one()
        assert value == "-8000000000"  # mentions.value stays a string (dates like 2009-06, periods)
        # the database itself computes with the stored types, not with text
        total = c.execute(text("SELECT SUM(amount_yen) FROM budget WHERE parent IS NULL")).scalar_one()
        assert int(total) == 45000000000
        if db.kind == "sqlite":
            kinds = c.execute(
                text(
                    "SELECT typeof(companies), typeof(companies_approx), typeof(amount_yen) "
                    "FROM projects JOIN budget USING (doc) LIMIT 1"
                )
            ).one()
            assert tuple(kinds) == ("integer", "integer", "integer")
        else:
            late = c.execute(
                text("SELECT count(*) FROM events WHERE start_date > DATE '2010-01-01'")
            ).scalar_one()
            assert late == 1


def test_reload_replaces_exactly_that_doc(db: DB, tmp_path: Path, docs: tuple[Path, Path]) -> None:
    a, b = docs
    db.load(a, b)
    before_b = {name: rows for name, rows in db.snapshot().items()}
    changed = {k: list(v) for k, v in TABLES_A.items()}
    changed["projects"] = [TABLES_A["projects"][0][:4] + (160,) + TABLES_A["projects"][0][5:]]
    changed["warnings"] = []
    write_doc(tmp_path / "new", DOC_A, changed)
    db.load(tmp_path / "new" / DOC_A)

    t = db.tables()["projects"]
    with db.engine.connect() as c:
        got = c.execute(select(t.c.name, t.c.companies).where(t.c.doc == DOC_A)).all()
    assert [tuple(r) for r in got] == [("札幌ITカロッツェリア", 160)]
    assert db.count("warnings", DOC_A) == 0
    after = db.snapshot()
    for name in TABLES:
        assert [r for r in after[name] if r[0] == DOC_B] == [r for r in before_b[name] if r[0] == DOC_B]


def test_failure_part_way_leaves_database_as_it_was(
    db: DB, tmp_path: Path, docs: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    a, b = docs
    db.load(a, b)
    before = db.snapshot()

    changed = {k: list(v) for k, v in TABLES_A.items()}
    changed["projects"] = changed["projects"][:1]
    write_doc(tmp_path / "new", DOC_A, changed)

    real_insert = load._insert_rows
    calls: list[str] = []

    def failing_insert(conn: Any, table: Any, rows: list[dict[str, Any]]) -> None:
        calls.append(table.name)
        if len(calls) == 3:  # documents, mentions, then projects fails
            raise RuntimeError("disk full (injected)")
        real_insert(conn, table, rows)

    monkeypatch.setattr(load, "_insert_rows", failing_insert)
    with pytest.raises(RuntimeError, match="injected"):
        db.load(tmp_path / "new" / DOC_A)
    assert calls == ["documents", "mentions", "projects"]
    assert db.snapshot() == before


def test_two_processes_load_different_docs_at_once(db: DB, docs: tuple[Path, Path], tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "pipeline", "load", str(folder), "--db", db.url],
            cwd=tmp_path,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for folder in docs
    ]
    results = [(p.wait(timeout=60), p.stderr.read() if p.stderr else "") for p in procs]
    for rc, err in results:
        assert rc == 0, err
    assert "chiiki-cluster-h20: mentions 6, projects 3, budget 5" in results[0][1]
    for name in TABLES:
        assert db.count(name, DOC_A) == len(TABLES_A[name]), name
        assert db.count(name, DOC_B) == len(TABLES_B[name]), name
    assert db.count("documents") == 2


# ---------------------------------------------------------------------------------------------------
# Folders, URLs and the command line


@pytest.mark.parametrize(
    ("table", "edit", "problem"),
    [
        ("projects", lambda h, rows: (h[:-1], [r[:-1] for r in rows]), "missing column(s) line"),
        ("hubs", lambda h, rows: (h + ["extra"], [r + ["x"] for r in rows]), "not in the schema: extra"),
        ("projects", lambda h, rows: (h, [rows[0], rows[0]]), "duplicate key (name='札幌ITカロッツェリア')"),
        ("budget", lambda h, rows: (h, [rows[0][:3] + [""] + rows[0][4:]]), "line 2: item is empty"),
        (
            "projects",
            lambda h, rows: (h, [rows[0][:5] + ["約150"] + rows[0][6:]]),
            "companies: not an integer",
        ),
        ("mentions", lambda h, rows: (h, [rows[0][:5] + ["yes"] + rows[0][6:]]), "approx: not true/false"),
        ("events", lambda h, rows: (h, [rows[0][:2] + ["2009-06"] + rows[0][3:]]), "not a YYYY-MM-DD date"),
        ("events", lambda h, rows: (h, [rows[0][:2] + ["2009-02-30"] + rows[0][3:]]), "'2009-02-30'"),
        ("organizations", lambda h, rows: (h, [["other-doc"] + rows[0][1:]]), "doc is 'other-doc'"),
    ],
)
def test_bad_folder_is_refused_in_one_line(
    docs: tuple[Path, Path], tmp_path: Path, table: str, edit: Any, problem: str
) -> None:
    a, _ = docs
    path = a / f"{table}.csv"
    with open(path, encoding="utf-8", newline="") as fh:
        header, *rows = list(csv.reader(fh))
    header, rows = edit(header, rows)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows([header, *rows])
    db_file = tmp_path / "never.sqlite"
    with pytest.raises(LoadError) as err:
        load_dirs([a], f"sqlite:///{db_file}")
    message = str(err.value)
    assert "\n" not in message
    assert message.startswith(f"{a}: {table}.csv: ")
    assert problem in message
    assert not db_file.exists()  # refused before the database was touched


def test_missing_csv_and_datapackage(docs: tuple[Path, Path], tmp_path: Path) -> None:
    a, b = docs
    (a / "hubs.csv").unlink()
    with pytest.raises(LoadError, match=r"hubs\.csv: missing$"):
        load_dirs([a], f"sqlite:///{tmp_path / 'x.sqlite'}")
    (b / "datapackage.json").unlink()
    with pytest.raises(LoadError, match="not an output folder"):
        load_dirs([b], f"sqlite:///{tmp_path / 'x.sqlite'}")


def test_bad_urls_and_folders(docs: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = docs
    for url, problem in [
        ("not a url", "not a database URL"),
        ("nosuchdb://x/y", "Can't load plugin"),
        ("postgresql://nobody@127.0.0.1:1/none", "127.0.0.1"),
    ]:
        with pytest.raises(LoadError, match=problem) as err:
            load_dirs([a], url)
        assert "\n" not in str(err.value)
    with pytest.raises(LoadError, match="no such folder"):
        load_dirs([tmp_path / "nowhere"], f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert parse_db_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert parse_db_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert parse_db_url(None).render_as_string() == "sqlite:///extracted/pipeline.sqlite"
    assert make_url(parse_db_url("postgresql+psycopg://u@h/db")).drivername == "postgresql+psycopg"


def test_two_folders_with_the_same_doc_are_refused(docs: tuple[Path, Path], tmp_path: Path) -> None:
    a, _ = docs
    copy = write_doc(tmp_path / "other", DOC_A, TABLES_A)
    result = load_dirs([a, copy], f"sqlite:///{tmp_path / 'x.sqlite'}")
    assert list(result["docs"]) == [DOC_A]  # the first is loaded; the second reported, not loaded
    assert f"doc '{DOC_A}' is also in" in result["failed"][str(copy)]


def test_cli(docs: tuple[Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    assert cli.main(["load", str(docs[0]), str(docs[1]), "--db", url]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[0] == (
        f"pipeline load: {DOC_A}: "
        "mentions 6, projects 3, budget 5, hubs 1, events 3, organizations 3, warnings 3, "
        "project_fields 6, hub_universities 1, hub_municipalities 2, hub_partners 1"
    )
    assert err[1].startswith(f"pipeline load: {DOC_B}: mentions 2, projects 2")
    assert cli.main(["load", str(tmp_path / "missing"), "--db", url]) == 1
    assert capsys.readouterr().err == f"pipeline load: error: {tmp_path / 'missing'}: no such folder\n"
    assert cli.main(["load", str(docs[0]), "--db", "::"]) == 1
    assert capsys.readouterr().err.count("\n") == 1


def test_default_loads_every_doc_under_extracted(
    docs: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a half-written folder of the atomic writer is never loaded
    write_doc(tmp_path / "extracted", f".{DOC_A}.tmp-abc123", TABLES_B)
    monkeypatch.chdir(tmp_path)
    result = load_dirs([])
    assert sorted(result["docs"]) == [DOC_A, DOC_B]
    assert result["db"] == "sqlite:///extracted/pipeline.sqlite"
    engine = create_engine(f"sqlite:///{tmp_path / 'extracted' / 'pipeline.sqlite'}")
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM projects")).scalar_one() == 5
    engine.dispose()
    # a parent folder stands for the doc folders in it
    again = load_dirs(["extracted"], "sqlite:///other.sqlite")
    assert sorted(again["docs"]) == [DOC_A, DOC_B]


def test_folder_written_by_the_pipeline_writer(tmp_path: Path) -> None:
    """What ``pipeline.outputs.write.write_result`` writes loads as it is (datapackage, CSV cell formats)."""
    import pandas as pd

    from pipeline.core.result import Result
    from pipeline.core.source import Source
    from pipeline.outputs.write import write_result

    frames = {
        name: pd.DataFrame([(DOC_A, *row) for row in TABLES_A[name]], columns=table.column_names)
        for name, table in TABLES.items()
    }
    source = Source(
        doc=DOC_A,
        text="…\n",
        sha256="cd" * 32,
        encoding="euc_jp",
        path=f"raw/{DOC_A}.txt",
        page_starts=[0, 1],
    )
    folder = write_result(Result(input=source, tables=frames, rules_hash="r1"), tmp_path / "out")
    result = load_dirs([folder], f"sqlite:///{tmp_path / 'w.sqlite'}")
    assert result["docs"][DOC_A]["rows"] == counts_of(TABLES_A)
    engine = create_engine(f"sqlite:///{tmp_path / 'w.sqlite'}")
    with engine.connect() as c:
        doc_row = c.execute(
            text("SELECT input, input_sha256, rules_hash, encoding, pages FROM documents")
        ).one()
        ended = c.execute(text("SELECT ended_fy FROM projects WHERE name = '広域仙台地域'")).scalar_one()
    engine.dispose()
    assert tuple(doc_row) == (f"{DOC_A}.txt", "cd" * 32, "r1", "euc_jp", 2)
    assert ended == 2009


def test_no_extracted_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(LoadError, match="no extracted/ folder"):
        load_dirs([])


@pytest.mark.skipif(
    not (REAL_DOC / "datapackage.json").exists(),
    reason=f"{REAL_DOC.relative_to(REPO)}/ not extracted yet (run `pipeline run raw/chiiki-cluster-h21.txt`)",
)
def test_real_brochure(tmp_path: Path) -> None:
    result = load_dirs([REAL_DOC], f"sqlite:///{tmp_path / 'real.sqlite'}")
    assert result["docs"]["chiiki-cluster-h21"]["rows"]["projects"] == 19
    engine = create_engine(f"sqlite:///{tmp_path / 'real.sqlite'}")
    with engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM projects")).scalar_one() == 19
        total = c.execute(text("SELECT SUM(amount_yen) FROM budget WHERE parent IS NULL")).scalar_one()
    engine.dispose()
    assert total == 30000000000


# ---------------------------------------------------------------------------------------------------
# A database people can query: link tables, cascades, the budget tree as a key, indexes


def test_link_tables_cascade_and_budget_parent_key(db: DB, docs: tuple[Path, Path]) -> None:
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError

    db.load(*docs)
    engine = load.make_engine(db.url)  # foreign keys on, as the loader has them (SQLite needs the pragma)
    try:
        with engine.connect() as c:
            # "which hubs does 北海道大学 back": an equality join, no LIKE on the ';' column
            rows = c.execute(text(
                "SELECT h.doc, h.name, h.category FROM hub_universities u "
                "JOIN hubs h ON h.doc = u.doc AND h.name = u.hub WHERE u.university = :u"
            ), {"u": "北海道大学"}).all()
            assert [tuple(r) for r in rows] == [(DOC_A, "北海道バイオ拠点", "地域中核産学官連携拠点")]
            munis = c.execute(text(
                "SELECT municipality, position FROM hub_municipalities WHERE doc = :d ORDER BY position"
            ), {"d": DOC_A}).all()
            assert [tuple(r) for r in munis] == [("北海道", 1), ("札幌市", 2)]
            fields = c.execute(text(
                "SELECT project FROM project_fields WHERE field = 'ものづくり' ORDER BY project"
            )).scalars().all()
            assert fields == ["広域仙台地域", "首都圏西部"]
            # the ';' columns stay beside them
            assert c.execute(text("SELECT fields FROM projects WHERE name = '広域仙台地域'")).scalar() == \
                "ものづくり;情報;エネルギー"

        # a budget line whose parent is no item of its ministry is refused by the database
        with pytest.raises(IntegrityError), engine.begin() as c:
            c.execute(text(
                "INSERT INTO budget (doc, fiscal_year, ministry, item, parent, amount_yen) "
                "VALUES (:d, 2009, '文部科学省', '架空の事業', '産業クラスター計画', 1)"
            ), {"d": DOC_A})
        # nor may a parent be deleted from under its children
        with pytest.raises(IntegrityError), engine.begin() as c:
            c.execute(text("DELETE FROM budget WHERE doc = :d AND item = '経済産業省'"), {"d": DOC_A})

        # deleting a document removes its rows everywhere, link tables included, and nothing else
        before_b = {name: db.count(name, DOC_B) for name in db.tables()}
        with engine.begin() as c:
            c.execute(text("DELETE FROM documents WHERE doc = :d"), {"d": DOC_A})
        assert {name: db.count(name, DOC_A) for name in db.tables()} == dict.fromkeys(db.tables(), 0)
        assert {name: db.count(name, DOC_B) for name in db.tables()} == before_b

        with engine.connect() as c:
            insp = inspect(c)
            indexed = {tuple(ix["column_names"]) for ix in insp.get_indexes("projects", schema=db.schema)}
            assert ("region",) in indexed
            indexed = {tuple(ix["column_names"]) for ix in insp.get_indexes("hub_universities", schema=db.schema)}
            assert ("university",) in indexed
            fks = insp.get_foreign_keys("budget", schema=db.schema)
            parent = [fk for fk in fks if "parent" in fk["constrained_columns"]]
            assert parent and parent[0]["constrained_columns"] == ["doc", "ministry", "parent"]
            assert parent[0]["referred_columns"] == ["doc", "ministry", "item"]
    finally:
        engine.dispose()
    # and loading it again works (the parent rows go in before their children)
    db.load(docs[0])
    assert db.count("budget", DOC_A) == len(TABLES_A["budget"])


def test_budget_parent_must_name_an_item_of_its_ministry(docs: tuple[Path, Path], tmp_path: Path) -> None:
    bad = dict(TABLES_A)
    bad["budget"] = [*TABLES_A["budget"][:1], (2009, "文部科学省", "孤児の事業", "経済産業省", 1, None, "", 35)]
    folder = write_doc(tmp_path / "bad", DOC_A, bad)
    with pytest.raises(LoadError, match=r"budget\.csv: line 3: \(ministry='文部科学省', parent='経済産業省'\) "
                                        r"names no budget row \(ministry, item\)"):
        load.read_doc(folder)


def test_parents_are_inserted_first(tmp_path: Path) -> None:
    reordered = dict(TABLES_A)
    reordered["budget"] = list(reversed(TABLES_A["budget"]))  # children before their parents
    folder = write_doc(tmp_path / "rev", DOC_A, reordered)
    data = load.read_doc(folder)
    assert [r["item"] for r in data.rows["budget"]] == [r[2] for r in reordered["budget"]]  # as in the CSV
    items = [r["item"] for r in load._insert_order("budget", data.rows["budget"])]
    assert items.index("経済産業省") < items.index("産業クラスター計画")
    assert items.index("文部科学省") < items.index("知的クラスター創成事業")
    load_dirs([folder], f"sqlite:///{tmp_path / 'x.sqlite'}")
