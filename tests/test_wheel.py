"""The built wheel, installed in a fresh venv, works from an empty folder with no repository in sight.

The wheel is built from a copy of the files a source distribution holds (so nothing the checkout
happens to have slips in), without build isolation (offline). The fresh venv gets the wheel itself;
its dependencies come from the development venv through a ``.pth`` line, which adds that folder to
``sys.path`` without running its own ``.pth`` files, so the editable install of this checkout is not
importable there.
"""

from __future__ import annotations

import os
import shutil
import site
import sqlite3
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED

pytest.importorskip("reportlab", reason="the PDF fixture is drawn with reportlab (dev extra)")
sys.path.insert(0, str(Path(__file__).parent))
import make_pdf_fixtures as fx  # noqa: E402

SDIST_FILES = ("pyproject.toml", "setup.py", "MANIFEST.in", "README.md", "pipeline", "rules")


def _run(cmd: list[str], cwd: Path, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, f"{' '.join(cmd)}\n{proc.stdout}\n{proc.stderr}"
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel installed; returns its bin/ folder."""
    tmp = tmp_path_factory.mktemp("wheel")
    src = tmp / "src"
    src.mkdir()
    for name in SDIST_FILES:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy2)(ROOT / name, src / name)
    for cache in src.rglob("__pycache__"):
        shutil.rmtree(cache)
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIPELINE_RULES")}
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp / "dist"),
          str(src)], cwd=tmp, env=env)
    (wheel,) = (tmp / "dist").glob("chiiki_pipeline-*.whl")

    venv = tmp / "venv"
    _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=tmp, env=env)
    py = venv / "bin" / "python"
    _run([sys.executable, "-m", "pip", "--python", str(py), "install", "--no-deps", "-q", str(wheel)],
         cwd=tmp, env=env)
    purelib = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                        cwd=tmp, env=env).stdout.strip())
    dev_site = [p for p in {sysconfig.get_paths()["purelib"], *site.getsitepackages()} if Path(p).is_dir()]
    (purelib / "zz_dev_dependencies.pth").write_text("\n".join(sorted(dev_site)) + "\n")
    return venv / "bin"


def test_wheel_works_from_an_empty_folder(installed: Path, tmp_path: Path) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    shutil.copy2(SEED, inputs / SEED.name)
    fx.make_two_column_pdf(inputs / "columns.pdf")
    work = tmp_path / "work"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PIPELINE_RULES")}
    env["PATH"] = f"{installed}{os.pathsep}{env.get('PATH', '')}"

    probe = ("import os, sys, pipeline; from pipeline.core.rules import default_rules_dir; "
             "print(pipeline.__file__); print(default_rules_dir()); "
             f"print(any(os.path.abspath(p or '.') == {str(ROOT)!r} for p in sys.path))")
    where = _run([str(installed / "python"), "-c", probe], cwd=work, env=env).stdout.split()
    assert Path(where[0]).is_relative_to(installed.parent), where[0]  # the installed package
    assert Path(where[1]).is_relative_to(installed.parent), where[1]  # and the rules it carries
    assert where[2] == "False"  # no checkout on the path

    version = _run(["pipeline", "--version"], cwd=work, env=env).stdout.strip()
    assert version.startswith("pipeline ")

    run = _run(["pipeline", "run", str(inputs / SEED.name), str(inputs / "columns.pdf"), "--out", "out"],
               cwd=work, env=env)
    assert "2 written" in run.stderr
    seed_out = work / "out" / SEED.stem
    # the installed rules give the same tables as the checkout's
    for name in ("projects", "budget", "hubs", "events", "organizations"):
        assert (seed_out / f"{name}.csv").read_bytes() == (ROOT / "extracted" / SEED.stem / f"{name}.csv").read_bytes()
    assert (work / "out" / "columns" / "source.txt").read_text(encoding="utf-8").strip()

    _run(["pipeline", "load", "out"], cwd=work, env=env)
    with sqlite3.connect(work / "out" / "pipeline.sqlite") as db:
        assert db.execute("SELECT count(*) FROM projects WHERE doc = ?", (SEED.stem,)).fetchone()[0] == 19
        assert db.execute("SELECT count(*) FROM documents").fetchone()[0] == 2

    report = _run(["pipeline", "report", str(seed_out)], cwd=work, env=env)
    assert Path(report.stdout.strip()).name == "report.html"
    assert (seed_out / "report.html").stat().st_size > 1000

    _run(["pipeline", "export", "out", "--format", "xlsx"], cwd=work, env=env)
    assert (work / "out" / "pipeline.xlsx").is_file()

    # the Python API too, from the same empty folder
    script = f"import pipeline; r = pipeline.extract({str(inputs / SEED.name)!r}); print(len(r.tables['projects']))"
    api = _run([str(installed / "python"), "-c", script], cwd=work, env=env)
    assert api.stdout.strip() == "19"
    assert sorted(p.name for p in work.iterdir()) == ["out"]
