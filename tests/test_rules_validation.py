"""Rule files are validated when they are loaded: a malformed one fails with ``file:line: reason``.

Each case copies rules/ into a temporary folder, breaks one file in one way, and checks that
``load_rules`` raises ``RulesError`` naming that file and the line of the mistake, and that
``pipeline run --rules DIR`` stops with that one line before any document is touched (no output
folder is created).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline import cli
from pipeline.core.rules import RulesError, backtracking_risk, load_rules
from pipeline.tables import TABLES

from .conftest import RULES, SEED


@dataclass(frozen=True)
class Breakage:
    """Replace ``old`` (once) by ``new`` in ``stem``.yaml; the error must point at the line of ``at``."""

    stem: str
    old: str
    new: str
    at: str  # text on the line the error must name ("" for the first line of the mapping)
    reason: str  # a regular expression the message must contain
    guards: str  # the protection in pipeline/core/rules.py this case depends on


CASES = {
    "bad_yaml": Breakage(
        "numbers", 'vague_before: "数幾何"', 'vague_before: 数: 幾何', "vague_before:",
        r"YAML error: mapping values are not allowed", "yaml.MarkedYAMLError -> RulesError in _read_yaml",
    ),
    "duplicate_yaml_key": Breakage(
        "dates", "fiscal_year_start_month: 4\n", "fiscal_year_start_month: 4\nfiscal_year_start_month: 1\n",
        "fiscal_year_start_month: 1", r"duplicate key 'fiscal_year_start_month'", "_construct_mapping",
    ),
    "missing_required_key": Breakage(
        "numbers", "counters:", "counter_words:", "", r"missing required key 'counters'", "_validate_required",
    ),
    "missing_weekdays": Breakage(
        "dates", "weekdays:", "weekday_chars:", "", r"missing required key 'weekdays'", "_validate_required (issue 14)",
    ),
    "missing_comparison_words": Breakage(
        "budget", "comparison_words:", "comparison:", "", r"missing required key 'comparison_words'",
        "_validate_required (issue 14)",
    ),
    "unclosed_quote": Breakage(
        "dates", 'weekdays: "月火水木金土日"', 'weekdays: "月火水木金土日', "weekdays:",
        r"YAML error: a quoted value opens on this line .*unclosed quote", "_read_yaml (issue 14)",
    ),
    "missing_nested_required_key": Breakage(
        "budget", "  pattern: '予算|概算要求'\n", "  regexp: '予算|概算要求'\n", "heading:",
        r"missing required key 'heading.pattern'", "_validate_required (dotted keys)",
    ),
    "wrong_type": Breakage(
        "dates", "fiscal_year_start_month: 4", "fiscal_year_start_month: 四月", "fiscal_year_start_month:",
        r"'fiscal_year_start_month' must be an integer", "_validate_required (types)",
    ),
    "bad_regex_in_pattern": Breakage(
        "events", "ordinal_pattern: '第\\d+回'", "ordinal_pattern: '第(\\d+回'", "ordinal_pattern:",
        r"bad regular expression .*missing \)", "_check_regex via _validate_regexes",
    ),
    "bad_regex_in_pattern_list": Breakage(
        "layout", "    - '-\\s*\\d{1,4}\\s*-'", "    - '-\\s*\\d{1,4\\s*-['", "\\d{1,4\\s*-[",
        r"bad regular expression", "_validate_regexes (list items, with their own line)",
    ),
    "bad_regex_in_key": Breakage(
        "budget", "/^第[IVX]+期$/", "/^第[IVX+期$/", "/^第[IVX+期$/", r"bad regular expression .*character set",
        "_validate_regexes (/.../ keys)",
    ),
    "nested_quantifier": Breakage(
        "events", "ordinal_pattern: '第\\d+回'", "ordinal_pattern: '第(\\d+)+回'", "ordinal_pattern:",
        r"may backtrack catastrophically", "backtracking_risk",
    ),
    "alternation_under_quantifier": Breakage(
        "events", "ordinal_pattern: '第\\d+回'", "ordinal_pattern: '第(?:\\d|\\d\\d)+回'", "ordinal_pattern:",
        r"may backtrack catastrophically: alternatives that can match the same text", "backtracking_risk (issue 14)",
    ),
    "adjacent_repeats": Breakage(
        "events", "ordinal_pattern: '第\\d+回'", "ordinal_pattern: '\\d*\\d*\\d*回'", "ordinal_pattern:",
        r"may backtrack catastrophically: unbounded repeats of the same characters", "backtracking_risk (issue 14)",
    ),
    "duplicate_rule_id": Breakage(
        "dates", "  - id: date.western", "  - id: date.era", "  - id: date.era\n    description: A Western",
        r"duplicate rule id 'date.era'", "_validate_file (ids)",
    ),
    "rule_without_id": Breakage(
        "dates", "  - id: date.western", "  - name: date.western", "  - name: date.western",
        r"every rule needs an 'id'", "_validate_file (id required)",
    ),
    "example_asserting_nothing": Breakage(
        "layout", '        no_mentions:\n          - {kind: count, value: "1312"}\n', "        note: no page number\n",
        '      - text: "◆北海道バイオ', r"example of 'layout.furniture' asserts nothing", "_validate_file (assertions)",
    ),
    "example_naming_an_unknown_rule": Breakage(
        "layout", "unit: 回, rule: count.counter}", "unit: 回, rule: count.kanji}", "unit: 回, rule: count.kanji}",
        r"expects a mention of rule 'count.kanji', which no rule file declares", "_validate_example_rules",
    ),
    "only_rows_naming_no_given_table": Breakage(
        "hubs", "        only_rows: [hubs]\n", "        only_rows: [events]\n", "        only_rows: [events]",
        r"'only_rows' must list tables its 'rows' gives", "_validate_file (only_rows)",
    ),
    "example_without_text": Breakage(
        "dates", "      - text: 2009年6月20日と2010/3/31", "      - note: 2009年6月20日と2010/3/31",
        "      - note: 2009年6月20日と2010/3/31", r"an example needs a 'text'", "_validate_file (examples)",
    ),
}


def break_rules(tmp_path: Path, case: Breakage) -> tuple[Path, Path, int]:
    """A copy of rules/ with one file broken; return (folder, broken file, expected line)."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / f"{case.stem}.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count(case.old) >= 1, f"{case.old!r} is no longer in {case.stem}.yaml: update the case"
    text = text.replace(case.old, case.new, 1)
    path.write_text(text, encoding="utf-8")
    if case.at:
        line = text.count("\n", 0, text.index(case.at)) + 1
    else:  # the first key of the file
        lines = text.split("\n")
        line = next(i for i, ln in enumerate(lines, 1) if ln.strip() and not ln.lstrip().startswith("#"))
    return folder, path, line


@pytest.mark.parametrize("name", sorted(CASES))
def test_malformed_rule_file_names_file_line_and_reason(name: str, tmp_path: Path) -> None:
    """Guards the load-time validation in pipeline/core/rules.py (see each case's ``guards``).

    Without it, ``load_rules`` returns and the mistake surfaces later (or never) inside a document.
    """
    case = CASES[name]
    folder, path, line = break_rules(tmp_path, case)
    with pytest.raises(RulesError) as info:
        load_rules(folder)
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"{path}:{line}: "), f"{case.guards}: {message}"
    assert re.search(case.reason, message), f"{case.guards}: {message}"


def test_rule_file_that_is_not_utf8_names_the_line(tmp_path: Path) -> None:
    """Guards the UTF-8 check in ``_read_yaml``: a file saved as Shift_JIS fails with the line of the first bad byte."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    path = folder / "events.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_bytes(text.encode("cp932", errors="replace"))
    first = next(i for i, ln in enumerate(text.split("\n"), 1) if not ln.isascii())
    with pytest.raises(RulesError, match=rf"^{re.escape(str(path))}:{first}: not UTF-8"):
        load_rules(folder)


def test_project_rules_load() -> None:
    """The validation accepts the project's own rules (guards against a check that refuses everything)."""
    rules = load_rules(RULES)
    assert "amount.yen" in rules.ids
    table_files = {t.rules_file for t in TABLES.values() if t.rules_file}
    assert {"projects", "budget", "hubs", "events"} <= table_files <= set(rules.files)


@pytest.mark.parametrize(
    ("pattern", "risky"),
    [
        (r"(\d+)+", True),
        (r"(?:\d+,)*", True),
        (r"(x*y*)*", True),
        (r"(?:\d{1,3}){2,20}", True),
        (r"(?:a|b+)*c", True),
        (r"(?>\d+)*", False),
        (r"(?:\d++)*", False),
        (r"(?:,\d{3})+", False),
        (r"\d{1,4}\s*/\s*\d{1,4}", False),
        (r"第\d+回", False),
        (r"第(?:\d|\d\d)+回", True),
        (r"\d*\d*\d*回", True),
        (r"(?:a|ab)+c", True),
        (r"(?:a|b|)+c", True),
        (r"\d+\.?\d*x", True),
        (r"(?:円|億)+", False),
        (r"(?:(?>\d+)|[一二三])*", False),
        (r"\s*\S+\s*", False),
        (r"[0-9]+[a-z]+", False),
    ],
)
def test_backtracking_risk(pattern: str, risky: bool) -> None:
    """Guards ``backtracking_risk``: nested variable quantifiers are refused, atomic/possessive ones pass."""
    assert (backtracking_risk(pattern) is not None) is risky


@pytest.mark.parametrize("name", ["bad_yaml", "bad_regex_in_pattern", "duplicate_rule_id", "rule_without_id",
                                  "example_without_text", "missing_required_key", "nested_quantifier"])
def test_pipeline_run_stops_before_any_document(name: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    """Guards runner.run_inputs loading the rules first, and the validation above.

    ``pipeline run --rules DIR`` with a broken rule file exits non-zero with one line naming file:line
    on stderr, and creates no output folder.
    """
    case = CASES[name]
    folder, path, line = break_rules(tmp_path, case)
    out = tmp_path / "out"
    status = cli.main(["run", str(SEED), "--out", str(out), "--rules", str(folder), "--quiet"])
    err = capsys.readouterr().err
    assert status != 0
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert f"{path}:{line}: " in lines[0]
    assert "Traceback" not in err
    assert not out.exists()


def test_console_script_with_broken_rules(tmp_path: Path) -> None:
    """Guards the same through the real console entry point (``python -m pipeline``), in a fresh process."""
    folder, path, line = break_rules(tmp_path, CASES["bad_regex_in_pattern"])
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-m", "pipeline", "run", str(SEED), "--out", str(out), "--rules", str(folder)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode != 0
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert f"{path}:{line}: bad regular expression" in lines[0]
    assert not out.exists()


def test_yaml_alias_bomb_is_refused_quickly(tmp_path: Path) -> None:
    """Issue 14: nine levels of nine aliases each (387 million values) once hung the loader silently."""
    folder = tmp_path / "rules"
    shutil.copytree(RULES, folder)
    levels = ["  l0: &l0 [x, x, x, x, x, x, x, x, x]"]
    levels += [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 10)]
    path = folder / "layout.yaml"
    text = path.read_text(encoding="utf-8") + "bomb:\n" + "\n".join(levels) + "\n"
    path.write_text(text, encoding="utf-8")
    t0 = time.perf_counter()
    with pytest.raises(RulesError, match=r"alias bomb") as info:
        load_rules(folder)
    assert time.perf_counter() - t0 < 5
    line = int(str(info.value).split(":")[1])
    assert text.split("\n")[line - 1].startswith("  l")  # the line of one of the bomb's values


def _same_with_lines(a: object, b: object, where: str) -> None:
    assert type(a) is type(b), where
    assert a == b, where
    for attr in ("line", "key_lines", "item_lines"):
        assert getattr(a, attr, None) == getattr(b, attr, None), f"{where}: {attr}"
    if isinstance(a, dict):
        for k in a:
            _same_with_lines(a[k], b[k], f"{where}.{k}")  # type: ignore[index]
    elif isinstance(a, list):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):  # type: ignore[call-overload]
            _same_with_lines(x, y, f"{where}[{i}]")


def test_libyaml_and_pyyaml_read_every_rule_file_alike() -> None:
    """Rule files are parsed by libyaml where PyYAML has it: the same values, with the same lines
    (the lines error messages and examples point at) as PyYAML's own parser."""
    from pipeline.core import rules as rules_module

    files = sorted(RULES.glob("*.yaml"))
    assert len(files) >= 10
    for path in files:
        text = path.read_text("utf-8")
        slow = rules_module._load_checked(text, str(path), rules_module._LineLoader)
        fast = rules_module._load_checked(text, str(path), rules_module._FastLineLoader)
        _same_with_lines(slow, fast, path.name)
