"""The pipeline as a product: options, rules found from anywhere, file modes, no POSIX-only imports."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

import pipeline
from pipeline.cli import build_parser, main
from pipeline.core import rules as rules_mod
from tests.conftest import ROOT, RULES

TEXT = "平成22年度の予算は約3億円。\n名古屋大学と株式会社テスト工業が参加した。\n"


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"pipeline {pipeline.__version__}"


@pytest.mark.parametrize(
    ("argv", "debug"),
    [(["run"], False), (["--debug", "run"], True), (["run", "--debug"], True),
     (["load", "x", "--debug"], True), (["--debug", "report", "d", "--debug"], True)],
)
def test_debug_before_or_after_the_subcommand(argv: list[str], debug: bool) -> None:
    assert build_parser().parse_args(argv).debug is debug


def test_default_rules_dir_is_not_the_working_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv(rules_mod.RULES_ENV, raising=False)
    assert rules_mod.default_rules_dir().resolve() == RULES.resolve()
    result = pipeline.extract(TEXT, doc="t")
    assert "名古屋大学" in set(result.tables["organizations"]["name"])


def test_pipeline_rules_variable_and_option_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in.txt").write_text(TEXT, encoding="utf-8")
    monkeypatch.setenv(rules_mod.RULES_ENV, str(tmp_path / "nowhere"))
    assert rules_mod.default_rules_dir() == tmp_path / "nowhere"
    assert main(["run", "in.txt", "--out", "out", "--quiet"]) == 2
    assert f"PIPELINE_RULES={tmp_path / 'nowhere'}: rules folder not found" in capsys.readouterr().err
    # --rules wins over the variable
    assert main(["run", "in.txt", "--out", "out", "--quiet", "--rules", str(RULES)]) == 0
    # a copy named by the variable is used (its hash is the copy's content, the same here)
    copy = tmp_path / "myrules"
    shutil.copytree(RULES, copy)
    monkeypatch.setenv(rules_mod.RULES_ENV, str(copy))
    assert main(["run", "in.txt", "--out", "out2", "--quiet"]) == 0
    assert (tmp_path / "out2" / "in" / "projects.csv").is_file()


def test_run_prints_each_written_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["run", "a.txt", "--out", "out"]) == 0
    err = capsys.readouterr().err
    assert f"a: written to {Path('out') / 'a'}{os.sep}" in err
    assert f"; outputs in out{os.sep}\n" in err


def test_load_defaults_to_a_database_in_the_output_folder(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(tmp_path / "out"), "--quiet"]) == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert main(["load", str(tmp_path / "out" / "a")]) == 0
    assert (tmp_path / "out" / "pipeline.sqlite").is_file()
    assert list(elsewhere.iterdir()) == []
    assert f"into sqlite:///{(tmp_path / 'out' / 'pipeline.sqlite').as_posix()}" in capsys.readouterr().err


def _modes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): stat.S_IMODE(p.stat().st_mode) for p in [root, *root.rglob("*")]
            if not p.name.startswith(".")}


def test_outputs_follow_the_umask(umask_022: None, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "--quiet"]) == 0
    assert main(["report", str(out / "a")]) == 0
    assert main(["export", str(out), "--format", "parquet"]) == 0
    modes = _modes(out)
    assert "a/report.html" in modes and "a/source.txt" in modes and "pipeline-parquet/hubs.parquet" in modes
    for name, mode in modes.items():
        assert mode == (0o755 if (out / name).is_dir() else 0o644), (name, oct(mode))
    # and a stricter umask is followed too
    os.umask(0o077)
    assert main(["run", str(tmp_path / "a.txt"), "--out", str(out), "--quiet", "--force"]) == 0
    assert stat.S_IMODE((out / "a").stat().st_mode) == 0o700
    assert stat.S_IMODE((out / "a" / "hubs.csv").stat().st_mode) == 0o600


def test_run_path_imports_no_fcntl(tmp_path: Path) -> None:
    """As on Windows: with ``fcntl`` unimportable, a run, a report and an export still work."""
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    script = (
        "import sys\n"
        "sys.modules['fcntl'] = None  # any import of it now raises ImportError\n"
        "from pipeline.cli import main\n"
        f"out = {str(tmp_path / 'out')!r}\n"
        f"assert main(['run', {str(tmp_path / 'a.txt')!r}, '--out', out, '--quiet']) == 0\n"
        "assert main(['report', out + '/a']) == 0\n"
        "assert main(['export', out, '--format', 'json']) == 0\n"
        "assert 'fcntl' not in [m for m, v in sys.modules.items() if v is not None]\n"
    )
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", script], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "out" / "a" / "report.html").is_file()


def test_result_prints_a_summary_not_the_source(seed_result: pipeline.core.result.Result) -> None:
    shown = repr(seed_result)
    assert shown == str(seed_result)
    assert len(shown) < 300 and seed_result.source[:40] not in shown
    assert f"{len(seed_result.source):,} chars" in shown
    for name, frame in seed_result.tables.items():
        assert f"{name} {len(frame)}" in shown
