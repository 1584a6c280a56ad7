"""Run the commands and queries the docs show, and compare what they print with what the docs say.

In a Markdown file, a fenced block marked ``console`` holds commands (lines starting with ``$ ``), each
followed by the output it prints (stdout and stderr together). A block marked ``pycon`` holds Python
statements (lines starting with ``>>> ``), each followed by what the interactive interpreter shows;
they run in one namespace per file, in the sandbox folder. A block marked ``sql`` holds one query;
the ``text`` block right after it, if any, shows its result (a header line, then one line per row,
cells joined with `` | ``, empty for NULL). A line ``...`` in a shown output stands for any number of
lines; timings (``1.2s``, ``4,567 chars/s``) are compared as "some number".

Each file runs in a sandbox of its own: a temporary copy of ``raw/``, ``extracted/``, ``rules/``,
``tests/golden/``, ``tests/editions.py`` and the Makefile, with the project's ``.venv`` linked in and its
``bin/`` first on ``PATH``, so ``pipeline ...``, ``.venv/bin/pipeline ...``, ``python ...`` and
``make run`` work as a reader would type them. Commands run in order, so a walkthrough can build on
its earlier steps; queries run on ``extracted/pipeline.sqlite`` as the commands before them left it.

    python tests/docs_check.py docs/audit.md            # check; exit 1 and show the differences
    python tests/docs_check.py --update docs/audit.md   # rewrite the shown outputs from a real run

``--update`` writes every output in full: trim it by hand with ``...`` lines where it is long.
"""

from __future__ import annotations

import contextlib
import difflib
import io
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SANDBOX_COPY = ("raw", "extracted", "rules", "tests/golden", "tests/editions.py", "Makefile", "pyproject.toml")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```\n", re.M | re.S)
_TIMING = [(re.compile(r"\b\d+(\.\d+)?s\b"), "N.Ns"), (re.compile(r"[\d,]+ chars/s"), "N chars/s")]


@dataclass
class Step:
    """One command or query, where its shown output sits in the file (``span``), and what it printed."""

    kind: str  # "command", "python" or "sql"
    text: str
    shown: str
    span: tuple[int, int] | None  # character range of the shown output in the file, None if none shown
    actual: str = ""


@dataclass
class Page:
    path: Path
    text: str
    steps: list[Step] = field(default_factory=list)


def parse(path: Path) -> Page:
    """The steps of a Markdown file, in order."""
    text = path.read_text(encoding="utf-8")
    page = Page(path, text)
    blocks = list(FENCE.finditer(text))
    for i, m in enumerate(blocks):
        lang, body, body_start = m.group(1), m.group(2), m.start(2)
        if lang in ("console", "pycon"):
            prompt, kind = ("$ ", "command") if lang == "console" else (">>> ", "python")
            lines = body.splitlines(keepends=True)
            offset = body_start
            current: Step | None = None
            out_start = 0
            for line in lines:
                if line.startswith(prompt):
                    if current is not None:
                        current.span = (out_start, offset)
                        current.shown = text[out_start:offset]
                    current = Step(kind, line[len(prompt):].rstrip("\n"), "", None)
                    page.steps.append(current)
                    out_start = offset + len(line)
                offset += len(line)
            if current is not None:
                current.span = (out_start, offset)
                current.shown = text[out_start:offset]
        elif lang == "sql":
            step = Step("sql", body, "", None)
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if nxt is not None and nxt.group(1) == "text" and text[m.end():nxt.start()].strip() == "":
                step.span = (nxt.start(2), nxt.end(2))
                step.shown = nxt.group(2)
            page.steps.append(step)
    return page


def make_sandbox(root: Path) -> Path:
    """A copy of what the docs' commands read and write, with the project's venv linked in."""
    for rel in SANDBOX_COPY:
        src, dst = ROOT / rel, root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=shutil.ignore_patterns("report.html", "*.sqlite", "pipeline-*",
                                                                     "datasette-metadata.json", "__pycache__"))
        elif src.exists():
            shutil.copy2(src, dst)
    # `make run` must never think the linked venv is out of date and reinstall it from the sandbox
    if (root / "pyproject.toml").exists():
        os.utime(root / "pyproject.toml", (0, 0))
    (root / ".venv").symlink_to(ROOT / ".venv")
    return root


def run_command(command: str, sandbox: Path) -> str:
    # Run as a reader would from a shell: not inside `make test` (MAKELEVEL makes make print
    # "Entering directory"), nor with the suite's rules or paths.
    outer = ("PIPELINE_RULES", "PYTHONPATH", "MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")
    env = {k: v for k, v in os.environ.items() if k not in outer}
    env["PATH"] = f"{sandbox / '.venv' / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    env["COLUMNS"] = "200"
    proc = subprocess.run(["bash", "-c", command], cwd=sandbox, env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, text=True, timeout=600)
    return proc.stdout.replace(str(sandbox) + os.sep, "").replace(str(sandbox), ".")


def run_sql(query: str, sandbox: Path) -> str:
    db = sandbox / "extracted" / "pipeline.sqlite"
    if not db.is_file():
        raise AssertionError(f"no {db.relative_to(sandbox)} when the query runs: load before it")
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA foreign_keys=ON")  # as the docs tell a reader to (SQLite's default is off)
        cur = conn.execute(query)
        if cur.description is None:  # a statement without rows
            return f"{cur.rowcount} row(s)\n"
        lines = [" | ".join(d[0] for d in cur.description)]
        lines += [" | ".join("" if v is None else str(v) for v in row) for row in cur.fetchall()]
    return "\n".join(lines) + "\n"


def run_python(statement: str, namespace: dict[str, object], sandbox: Path) -> str:
    """One statement as the interactive interpreter runs it (an expression's repr is shown)."""
    buf = io.StringIO()
    cwd = Path.cwd()
    os.chdir(sandbox)
    try:
        with contextlib.redirect_stdout(buf):
            exec(compile(statement, "<docs>", "single"), namespace)  # noqa: S102 - the docs' own examples
    finally:
        os.chdir(cwd)
    return buf.getvalue()


def run_page(page: Page, sandbox: Path) -> Page:
    """Run every step of ``page`` in ``sandbox``, recording what each printed."""
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for step in page.steps:
        if step.kind == "command":
            step.actual = run_command(step.text, sandbox)
        elif step.kind == "python":
            step.actual = run_python(step.text, namespace, sandbox)
        else:
            step.actual = run_sql(step.text, sandbox)
    return page


def _norm(line: str) -> str:
    for pattern, repl in _TIMING:
        line = pattern.sub(repl, line)
    return line.rstrip()


def matches(shown: str, actual: str) -> bool:
    """True when ``actual`` is ``shown``, reading a ``...`` line as any number of lines."""
    want = [_norm(line) for line in shown.splitlines()]
    have = [_norm(line) for line in actual.splitlines()]
    if "..." not in want:
        return want == have
    chunks: list[list[str]] = [[]]
    for line in want:
        if line == "...":
            chunks.append([])
        else:
            chunks[-1].append(line)
    pos = 0
    for i, chunk in enumerate(chunks):
        if not chunk:
            continue
        first, last = i == 0, i == len(chunks) - 1
        if first:
            if have[: len(chunk)] != chunk:
                return False
            pos = len(chunk)
            continue
        if last:
            return len(have) - len(chunk) >= pos and have[len(have) - len(chunk):] == chunk
        for start in range(pos, len(have) - len(chunk) + 1):
            if have[start:start + len(chunk)] == chunk:
                pos = start + len(chunk)
                break
        else:
            return False
    return True  # the shown output ends with "...": the rest is free


def problems(page: Page) -> list[str]:
    """One message per step whose shown output does not match what it printed."""
    out = []
    for step in page.steps:
        if step.span is None:
            continue
        if not matches(step.shown, step.actual):
            diff = "".join(difflib.unified_diff(step.shown.splitlines(keepends=True),
                                                step.actual.splitlines(keepends=True), "shown", "actual"))
            out.append(f"{page.path.name}: {step.kind} {step.text.strip()[:80]!r} prints otherwise:\n{diff}")
    return out


def updated_text(page: Page) -> str:
    """The file with every shown output replaced by what its step printed (unless it still matches)."""
    text = page.text
    for step in sorted((s for s in page.steps if s.span is not None), key=lambda s: s.span[0], reverse=True):
        if matches(step.shown, step.actual):
            continue
        start, end = step.span
        text = text[:start] + step.actual + text[end:]
    return text


def check_file(path: Path, update: bool = False) -> list[str]:
    """Run ``path``'s steps in a fresh sandbox; rewrite it with ``update``; return the mismatches."""
    with tempfile.TemporaryDirectory(prefix="docs-check-") as tmp:
        page = run_page(parse(path), make_sandbox(Path(tmp)))
    if update:
        path.write_text(updated_text(page), encoding="utf-8")
        return []
    return problems(page)


def main(argv: list[str]) -> int:
    update = "--update" in argv
    files = [Path(a) for a in argv if a != "--update"]
    if not files:
        print("usage: python tests/docs_check.py [--update] FILE.md...", file=sys.stderr)
        return 2
    failed = False
    for path in files:
        for message in check_file(path, update):
            failed = True
            print(message)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
