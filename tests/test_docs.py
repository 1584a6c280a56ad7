"""Docs that cannot drift: every command, query and Python example in them runs, and prints what they show.

The runner is ``tests/docs_check.py`` (also a script: ``--update`` rewrites the shown outputs).
"""

from __future__ import annotations

import re
import shlex
import sqlite3
import uuid
from decimal import Decimal
from pathlib import Path

import pytest

from pipeline.cli import build_parser
from tests import docs_check
from tests.conftest import ROOT

PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# The pages whose commands, queries and examples are run. A page joins by writing its steps in the
# runner's form (console / pycon / sql + text blocks, a load before its queries); docs/history.md does
# not yet (its queries need a history loaded first).
RUN = [ROOT / p for p in ("README.md", "docs/audit.md", "docs/database.md", "docs/python.md", "docs/contract.md")]


@pytest.mark.parametrize("page", RUN, ids=lambda p: str(p.relative_to(ROOT)))
def test_shown_output_is_what_the_commands_print(page: Path, tmp_path: Path) -> None:
    parsed = docs_check.run_page(docs_check.parse(page), docs_check.make_sandbox(tmp_path))
    assert not docs_check.problems(parsed), "\n".join(docs_check.problems(parsed)) + (
        f"\n(if the program is right, rewrite the page: python tests/docs_check.py --update {page.relative_to(ROOT)})"
    )


def test_the_walkthroughs_are_run() -> None:
    """The pages that show commands really hold steps (a renamed fence would silently run nothing)."""
    kinds = {p.name: {s.kind for s in docs_check.parse(p).steps} for p in RUN}
    assert kinds["audit.md"] == {"command"}
    assert kinds["database.md"] == {"command", "sql"}
    assert kinds["python.md"] == {"python"}
    assert "command" in kinds["README.md"]
    # every output shown in a walkthrough sits under a step (no unrun example blocks with output)
    for page in (ROOT / "docs" / "audit.md", ROOT / "docs" / "database.md"):
        text = page.read_text(encoding="utf-8")
        for m in docs_check.FENCE.finditer(text):
            if m.group(1) == "":
                assert m.group(2).count("\n") <= 1, f"{page.name}: an untested example block: {m.group(2)[:60]!r}"


def _pg_value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "1" if v else "0"
    if isinstance(v, Decimal):
        return str(int(v)) if v == v.to_integral_value() else str(v)
    return str(v)


def test_database_queries_run_unchanged_on_postgresql(tmp_path: Path) -> None:
    """database.md's queries give PostgreSQL the same rows as SQLite (booleans as 0/1, sums as integers)."""
    from sqlalchemy import create_engine, text

    from pipeline.outputs.load import load_dirs, parse_db_url
    from tests.test_load import _pg_base_url

    base = _pg_base_url()
    page = docs_check.parse(ROOT / "docs" / "database.md")
    sandbox = docs_check.make_sandbox(tmp_path)
    docs_check.run_page(page, sandbox)
    # A schema of its own per run: a name made from the test's temporary folder was the same in every run, so
    # two runs at once (or one a killed run left behind) collided on CREATE SCHEMA.
    schema = f"pipeline_docs_{uuid.uuid4().hex[:12]}"
    admin = create_engine(parse_db_url(base))
    with admin.begin() as c:
        c.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = parse_db_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        load_dirs([sandbox / "extracted"], url.render_as_string(hide_password=False))
        engine = create_engine(url)
        try:
            for step in (s for s in page.steps if s.kind == "sql"):
                with engine.begin() as c:
                    result = c.execute(text(step.text.replace(":", "\\:")))
                    if not result.returns_rows:
                        assert step.actual == f"{result.rowcount} row(s)\n"
                        continue
                    lines = [" | ".join(result.keys())]
                    lines += [" | ".join(_pg_value(v) for v in row) for row in result]
                assert "\n".join(lines) + "\n" == step.actual, step.text
        finally:
            engine.dispose()
    finally:
        with admin.begin() as c:
            c.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_readme_synopsis_names_only_real_options() -> None:
    """Each `pipeline COMMAND ... --option` line of the README's command list exists in the parser."""
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = text[text.index("## Commands"):text.index("```console", text.index("## Commands"))]
    lines = [line.strip() for line in block.splitlines() if line.startswith("    pipeline ")]
    assert len(lines) >= 7
    seen = set()
    for line in lines:
        words = shlex.split(line.split("#")[0].replace("[", " ").replace("]", " ").replace("|", " "))
        command = words[1]
        options = {w.split("=")[0] for w in words if w.startswith("--")}
        if command.startswith("--") or command == "COMMAND":
            known = {o for a in parser._actions for o in a.option_strings}
        else:
            known = {o for a in sub.choices[command]._actions for o in a.option_strings}
            seen.add(command)
        assert options <= known, (line, options - known)
    assert seen == set(sub.choices), "a command missing from the README's list"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_links_stay_inside_the_repository(page: Path) -> None:
    for target in re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
        if re.match(r"[a-z]+://", target):
            continue
        resolved = (page.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{page.name}: link outside the repository: {target}"
        assert resolved.exists(), f"{page.name}: broken link: {target}"


def test_matching_reads_ellipsis_and_timings() -> None:
    actual = "a\nb 1.2s (3,456 chars/s)\nc\nd\ne\n"
    assert docs_check.matches("a\nb 9.9s (1 chars/s)\nc\nd\ne\n", actual)
    assert docs_check.matches("a\n...\ne\n", actual)
    assert docs_check.matches("a\n...\nc\n...\n", actual)
    assert not docs_check.matches("a\n...\nx\n...\n", actual)
    assert not docs_check.matches("a\nc\n", actual)
    assert not docs_check.matches("...\nd\n", actual)


def test_a_drifted_page_is_caught(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text("```console\n$ echo hello\nhallo\n```\n\n```sql\nSELECT 1 AS one;\n```\n\n```text\none\n2\n```\n",
                    encoding="utf-8")
    sandbox = tmp_path / "box"
    (sandbox / "extracted").mkdir(parents=True)
    sqlite3.connect(sandbox / "extracted" / "pipeline.sqlite").close()
    parsed = docs_check.run_page(docs_check.parse(page), sandbox)
    found = docs_check.problems(parsed)
    assert len(found) == 2 and "+hello" in found[0] and "+1" in found[1]
    page.write_text(docs_check.updated_text(parsed), encoding="utf-8")
    assert docs_check.problems(docs_check.run_page(docs_check.parse(page), sandbox)) == []
