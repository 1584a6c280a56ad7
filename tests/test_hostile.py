"""Hostile and broken input: encodings, undecodable bytes, a batch of bad files, megabyte lines.

- Ingest: the seed re-encoded in every common Japanese encoding, with LF/CRLF/CR line ends and form
  feeds as pages, decodes to the same text as the UTF-8 original; bytes that are no text fail with
  one line naming the file.
- Batch: ``pipeline run`` over a folder of bad files fails each alone with one line naming it, and
  still writes the good one; ``--debug`` shows the tracebacks.
- ReDoS: a megabyte on one line (digits, commas, era names, brackets) goes through
  ``pipeline.extract`` within a loose bound, in a child process so a crash or a hang is a failure
  and not a stuck test run; minimal reproducers pin down each stage that once was not linear.
"""

from __future__ import annotations

import codecs
import json
import os
import random
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from pipeline.readers import IngestError, read_source
from pipeline.readers.ingest import page_starts_from_form_feeds

from .conftest import ROOT, SEED

SEED_TEXT = SEED.read_text(encoding="utf-8")

# -- ingest: encodings --------------------------------------------------------------------------


@dataclass(frozen=True)
class Encoding:
    codec: str
    bom: bytes = b""


ENCODINGS = {
    "utf-8": Encoding("utf-8"),
    "utf-8-bom": Encoding("utf-8", codecs.BOM_UTF8),
    "utf-16-le-bom": Encoding("utf-16-le", codecs.BOM_UTF16_LE),
    "utf-16-be-bom": Encoding("utf-16-be", codecs.BOM_UTF16_BE),
    "utf-16-le-no-bom": Encoding("utf-16-le"),
    "utf-16-be-no-bom": Encoding("utf-16-be"),
    "utf-32-bom": Encoding("utf-32-le", codecs.BOM_UTF32_LE),
    "cp932": Encoding("cp932"),
    "euc-jp": Encoding("euc_jp"),
    "euc-jis-2004": Encoding("euc_jis_2004"),
    "iso-2022-jp": Encoding("iso2022_jp"),
    "iso-2022-jp-2004": Encoding("iso2022_jp_2004"),
}
LINE_ENDS = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


def _with_pages(text: str, every: int = 60) -> str:
    """The seed with a form feed starting a new page every ``every`` lines, as pdftotext writes them."""
    lines = text.split("\n")
    return "\n".join(("\f" + ln) if i and i % every == 0 else ln for i, ln in enumerate(lines))


def _encodable(text: str, codec: str) -> str:
    """``text`` without the few characters ``codec`` has no code for (EUC-JP has no ～ U+FF5E)."""
    kept = []
    for ch in text:
        try:
            ch.encode(codec)
        except UnicodeEncodeError:
            continue
        kept.append(ch)
    return "".join(kept)


@pytest.mark.parametrize("line_end", sorted(LINE_ENDS))
@pytest.mark.parametrize("name", list(ENCODINGS))
def test_seed_in_any_encoding_decodes_to_the_utf8_text(name: str, line_end: str, tmp_path: Path) -> None:
    """Guards ``decode_text`` (BOMs, ISO-2022-JP escapes, UTF-16 without BOM, the CP932/EUC-JP choice)
    and ``normalise_newlines`` / ``page_starts_from_form_feeds`` in ``read_source``."""
    enc = ENCODINGS[name]
    expected = _encodable(_with_pages(SEED_TEXT), enc.codec)
    assert len(expected) > 0.99 * len(_with_pages(SEED_TEXT))  # the case still tests the whole seed
    path = tmp_path / f"seed-{name}.txt"
    path.write_bytes(enc.bom + expected.replace("\n", LINE_ENDS[line_end]).encode(enc.codec))
    src = read_source(path)
    assert src.text == expected
    assert src.page_starts == page_starts_from_form_feeds(expected)
    assert len(src.page_starts) == 1 + SEED_TEXT.count("\n") // 60


# What an EUC-JP or ISO-2022-JP editor writes, and a PDF's fonts often map, for the seed's full-width
# dashes: the wave dash U+301C for ～ (U+FF5E), the minus sign U+2212 for － (U+FF0D), and the seed's
# Roman numerals spelled in Latin letters (EUC-JP has no Ⅰ, Ⅱ).
_EDITOR_FORMS = str.maketrans({"～": "〜", "－": "−", "Ⅰ": "I", "Ⅱ": "II"})


@pytest.mark.parametrize("codec", ["euc_jp", "iso2022_jp"])
def test_seed_as_an_euc_jp_editor_writes_it_gives_the_same_tables(codec: str, tmp_path: Path) -> None:
    """Guards the folding of dashes NFKC leaves apart (``pipeline.core.normtext.fold``): with 〜 and − in the
    source (every character of the seed now encodable), every table is the seed's, and so is every
    mention's value and every warning's line and code; the mentions' text and the warnings' messages
    keep the source's characters. Before, the event
    日本−EUクラスターフォーラム was read as EUクラスターフォーラム."""
    import pipeline

    text = SEED_TEXT.translate(_EDITOR_FORMS)
    path = tmp_path / "seed-editor.txt"
    path.write_bytes(text.encode(codec))
    assert "〜" in read_source(path).text and "−" in read_source(path).text
    got, want = pipeline.extract(path), pipeline.extract(SEED)
    for name, table in want.tables.items():
        if name == "mentions":
            assert got.tables[name]["value"].tolist() == table["value"].tolist()
            continue
        if name == "warnings":  # their messages quote the source as it is written
            assert got.tables[name][["line", "code"]].equals(table[["line", "code"]])
            continue
        assert got.tables[name].drop(columns="doc").equals(table.drop(columns="doc")), name
    assert "日本-EUクラスターフォーラム" in got.tables["mentions"]["value"].tolist()


@pytest.mark.parametrize("name", ["cp932", "euc-jp", "iso-2022-jp", "utf-16-le-no-bom"])
def test_one_short_line_in_any_encoding(name: str, tmp_path: Path) -> None:
    """Guards the encoding detection on little evidence: one short line, where statistics are weakest."""
    text = "平成21年度地域クラスター関連予算 約134億円（文部科学省）\n"
    path = tmp_path / "short.txt"
    path.write_bytes(text.encode(ENCODINGS[name].codec))
    assert read_source(path).text == text


def _random_high_bytes(n: int) -> bytes:
    rnd = random.Random(8)
    return bytes(rnd.randrange(0x80, 0x100) for _ in range(n))


UNDECODABLE = {
    "random-high-bytes": _random_high_bytes(4000),
    "utf8-with-a-bad-byte": "平成21年度予算\n".encode() * 50 + b"\xff\xfe" + "関連予算134億円\n".encode() * 50,
    "utf16-bom-odd-length": codecs.BOM_UTF16_LE + "平成".encode("utf-16-le") + b"\x00",
    "binary-with-nuls": bytes(range(256)) * 16,
    "truncated-cp932": "関東".encode("cp932") * 3 + b"\x82",
}


@pytest.mark.parametrize("name", sorted(UNDECODABLE))
def test_undecodable_bytes_fail_with_one_line_naming_the_file(name: str, tmp_path: Path) -> None:
    """Guards the IngestError paths of ``decode_text``: never mojibake, never a bare UnicodeDecodeError."""
    path = tmp_path / f"{name}.txt"
    path.write_bytes(UNDECODABLE[name])
    with pytest.raises(IngestError) as info:
        read_source(path)
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message


def test_undecodable_utf8_says_where(tmp_path: Path) -> None:
    """Guards ``_where_utf8_fails``: the error names the byte and line where UTF-8 stops decoding."""
    path = tmp_path / "bad.txt"
    path.write_bytes(UNDECODABLE["utf8-with-a-bad-byte"])
    with pytest.raises(IngestError, match=r"not UTF-8 from byte \d+ \(line 51\)"):
        read_source(path)


# -- batch of bad files ------------------------------------------------------------------------


def _run_cli(args: list[str], env: dict[str, str] | None = None,
             timeout: float = 300) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pipeline", *args], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, **(env or {})}, timeout=timeout)


@pytest.fixture
def bad_batch(tmp_path: Path) -> tuple[Path, Path, dict[str, str]]:
    """A folder with the seed and broken files, a wrongly named file outside it, and the reason each fails."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    reasons = {"empty.txt": "empty file", "binary.txt": "binary data", "random.pdf": "not a PDF"}
    (folder / "empty.txt").write_bytes(b"")
    rnd = random.Random(5)
    (folder / "binary.txt").write_bytes(bytes(rnd.randrange(256) for _ in range(3000)) + b"\x00\x00")
    (folder / "random.pdf").write_bytes(bytes(rnd.randrange(256) for _ in range(3000)))
    try:
        from .make_pdf_fixtures import make_truncated_pdf
    except ImportError:  # reportlab is a dev extra
        pass
    else:
        make_truncated_pdf(folder / "truncated.pdf")
        reasons["truncated.pdf"] = "truncated PDF"
    docx = tmp_path / "x.docx"
    docx.write_bytes(b"PK\x03\x04 not really a docx")
    reasons["x.docx"] = "unsupported file type .docx"
    return folder, docx, reasons


def test_batch_with_bad_files_fails_each_alone(bad_batch: tuple[Path, Path, dict[str, str]], tmp_path: Path) -> None:
    """Guards the per-file error handling of ``pipeline run`` (runner.process_one and ingest's
    IngestErrors): exit 1, one stderr line per bad file naming it and the reason, no traceback, and the
    good document is still written whole."""
    folder, docx, reasons = bad_batch
    out = tmp_path / "out"
    proc = _run_cli(["run", str(folder), str(docx), "--out", str(out), "--quiet"])
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    for name, reason in reasons.items():
        naming = [ln for ln in lines if re.search(rf"[/\\]{re.escape(name)}\b", ln)]
        assert len(naming) == 1, (name, proc.stderr)
        assert reason in naming[0], (name, naming[0])
    assert len(lines) == len(reasons)  # --quiet: failures only
    written = out / SEED.stem
    assert (written / "source.txt").read_text(encoding="utf-8") == SEED_TEXT
    assert (written / "datapackage.json").is_file() and (written / "mentions.csv").stat().st_size > 1000
    assert sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) == [SEED.stem]


# A failure that is not an IngestError, injected into every process of the run (workers included)
# through sitecustomize, so --debug has a traceback to show.
SITECUSTOMIZE = """
import os, signal
if os.environ.get("HOSTILE_FAIL_DOC") or os.environ.get("HOSTILE_CRASH_DOC"):
    import pipeline.engine as _engine
    _run_document = _engine.run_document
    def _failing(source, rules):
        if source.doc == os.environ.get("HOSTILE_FAIL_DOC"):
            raise RuntimeError("injected failure")
        if source.doc == os.environ.get("HOSTILE_CRASH_DOC"):
            os.kill(os.getpid(), signal.SIGKILL)  # what a segfault in MeCab does to a worker
        return _run_document(source, rules)
    _engine.run_document = _failing
"""


@pytest.fixture
def failing_doc_env(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    hook = tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(SITECUSTOMIZE, encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / SEED.name).write_bytes(SEED.read_bytes())
    (folder / "failing.txt").write_text("平成21年度 関連予算134億円\n", encoding="utf-8")
    env = {"HOSTILE_FAIL_DOC": "failing", "PYTHONPATH": os.pathsep.join([str(hook), str(ROOT)])}
    return folder, env


@pytest.mark.parametrize(
    "jobs",
    [
        "1",
        "2",
    ],
)
def test_debug_shows_the_traceback_of_a_per_file_failure(failing_doc_env: tuple[Path, dict[str, str]],
                                                         tmp_path: Path, jobs: str) -> None:
    """Guards the CLI's --debug contract for per-file failures: one line without it, the traceback with it."""
    folder, env = failing_doc_env
    plain = _run_cli(["run", str(folder), "--out", str(tmp_path / "a"), "--quiet", "--jobs", jobs], env)
    assert plain.returncode == 1
    assert "Traceback" not in plain.stderr
    assert "failing.txt: RuntimeError: injected failure" in plain.stderr
    debug = _run_cli(["--debug", "run", str(folder), "--out", str(tmp_path / "b"), "--quiet", "--jobs", jobs], env)
    assert debug.returncode == 1
    assert "Traceback" in debug.stderr and "injected failure" in debug.stderr


def test_a_crashing_worker_fails_its_document_alone(failing_doc_env: tuple[Path, dict[str, str]],
                                                   tmp_path: Path) -> None:
    """Guards the batch against a document that kills its worker process: that document fails with
    one line naming it, every other document is still written, exit status 1."""
    folder, env = failing_doc_env
    (folder / "failing.txt").rename(folder / "crash.txt")
    for k in range(3):
        (folder / f"seed{k}.txt").write_bytes(SEED.read_bytes())
    env = {**env, "HOSTILE_FAIL_DOC": "", "HOSTILE_CRASH_DOC": "crash"}
    out = tmp_path / "out"
    proc = _run_cli(["run", str(folder), "--out", str(out), "--quiet", "--jobs", "2"], env)
    assert proc.returncode == 1, proc.stderr
    assert [ln for ln in proc.stderr.splitlines() if "crash.txt" in ln], proc.stderr
    written = sorted(p.name for p in out.iterdir() if not p.name.startswith(".")) if out.exists() else []
    assert written == sorted([SEED.stem, "seed0", "seed1", "seed2"]), proc.stderr


# -- ReDoS and megabyte lines ------------------------------------------------------------------

MEGABYTE = 1_000_000
BOUND_SECONDS = 60.0


def _digits_commas_eras(n: int) -> str:
    rnd = random.Random(0)
    parts = ["1", "2", "3", "0", "9", ",", ",", "平成", "令和", "昭和", "年", "度", "円", "元"]
    out: list[str] = []
    size = 0
    while size < n:
        part = rnd.choice(parts)
        out.append(part)
        size += len(part)
    return "".join(out)[:n]


HOSTILE_LINES = {
    "digits_commas_eras": _digits_commas_eras,
    "one_comma_repeated": lambda n: "1," * (n // 2),
    "era_name_repeated": lambda n: "平成" * (n // 2),
    "approx_then_yen": lambda n: "約" * (n - 1) + "円",
    "open_brackets": lambda n: "(" * n,
    "digits": lambda n: "1" * n,
}

EXTRACT_TIMED = """
import json, sys, time
from pathlib import Path
import pipeline
pipeline.extract("平成21年度 134億円")  # spaCy and MeCab load outside the timing
t0 = time.perf_counter()
result = pipeline.extract(Path(sys.argv[1]))
seconds = time.perf_counter() - t0
text = result.source
bad = [r for r in result.tables["mentions"].itertuples() if text[r.start:r.end] != r.text]
print(json.dumps({"seconds": seconds, "mentions": len(result.tables["mentions"]), "bad_offsets": len(bad)}))
"""


def _timed_child(script: str, args: list[str], timeout: float) -> tuple[str, subprocess.CompletedProcess[str] | None]:
    """Run ``script`` in a fresh interpreter; ('ok'|'crashed'|'timeout', process)."""
    try:
        proc = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=ROOT,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return "timeout", None
    return ("ok" if proc.returncode == 0 else "crashed"), proc


@pytest.mark.slow
@pytest.mark.parametrize("name", list(HOSTILE_LINES))
def test_megabyte_line_finishes_in_bound(name: str, tmp_path: Path, record_property: pytest.RecordProperty) -> None:
    """Guards the linear-time regexes and tokenisation of every stage against a 1 MB hostile line:
    ``pipeline.extract`` finishes within BOUND_SECONDS without crashing, offsets still exact."""
    path = tmp_path / f"{name}.txt"
    path.write_text(HOSTILE_LINES[name](MEGABYTE), encoding="utf-8")
    status, proc = _timed_child(EXTRACT_TIMED, [str(path)], BOUND_SECONDS + 30)  # + interpreter start-up
    assert status == "ok", f"{name}: {status} {proc.returncode if proc else ''} {proc.stderr[-500:] if proc else ''}"
    assert proc is not None
    report = json.loads(proc.stdout.strip().splitlines()[-1])
    record_property("seconds", round(report["seconds"], 2))
    assert report["seconds"] < BOUND_SECONDS, report
    assert report["bad_offsets"] == 0, report


# Minimal reproducers of the above, each fast (seconds), so the module at fault is obvious.

NUMBER_REGEX_CHILD = """
import sys
from pipeline.extractors.numbers import NumberExtractor
from pipeline.core.rules import load_rules
ex = NumberExtractor(load_rules())
text = "1" * int(sys.argv[1])
ex.amounts(text)
ex.counts(text)
"""


def test_amount_and_count_regexes_are_linear_on_a_digit_run() -> None:
    """Guards extract_numbers' claim that every pattern is linear: 40 digits take no time (now: hours)."""
    status, proc = _timed_child(NUMBER_REGEX_CHILD, ["40"], 20)
    assert status == "ok", status


def test_number_patterns_have_no_nested_quantifier() -> None:
    """Guards the same statically, with the rule loader's ``backtracking_risk`` check."""
    from pipeline.core.rules import backtracking_risk, load_rules
    from pipeline.extractors.numbers import NumberExtractor

    ex = NumberExtractor(load_rules())
    risky = {name: backtracking_risk(getattr(ex, name).pattern)
             for name in ("amount_re", "count_re", "date_re", "range_sep_re", "right_re")}
    assert {k: v for k, v in risky.items() if v} == {}


NAME_RUNS_CHILD = """
import sys
from pipeline.core.rules import cached_rules
from pipeline.extractors.runs import name_runs
from pipeline.text.tokens import japanese_nlp
text = "1" * int(sys.argv[1]) + "大学"  # a cue word puts the line through the Matcher
name_runs(cached_rules()).find(japanese_nlp().make_doc(text), text)
"""


def test_name_runs_is_linear_in_the_run_length() -> None:
    """Guards name_runs against a run of 4,000 number tokens before 大学 (now: ~45 s; linear: well under a second)."""
    status, _ = _timed_child(NAME_RUNS_CHILD, ["4000"], 15)
    assert status == "ok", status


TOKENIZE_CHILD = """
import sys
from pipeline.text.tokens import japanese_nlp
text = sys.argv[1] * int(sys.argv[2])
doc = japanese_nlp().make_doc(text)
assert doc.text == text
"""


def test_tokenizer_survives_a_long_line() -> None:
    """Guards the tokenizer against a 400,000-character line (now: SIGSEGV in MeCab, which kills a
    serial ``pipeline run`` outright, with no message and no output for the documents after it)."""
    status, proc = _timed_child(TOKENIZE_CHILD, ["1,", "200000"], 60)
    assert status == "ok", f"{status} {proc.returncode if proc else ''}"


def test_tokenizer_is_linear_on_a_long_run_of_one_character_class() -> None:
    """Guards tokenisation time on 600,000 '(' (now: over a minute; in bounded chunks: a few seconds)."""
    status, _ = _timed_child(TOKENIZE_CHILD, ["(", "600000"], 20)
    assert status == "ok", status


def test_hostile_line_generators_are_the_right_size() -> None:
    """Keeps the megabyte cases honest: each is one line of about a million characters."""
    for name, make in HOSTILE_LINES.items():
        text = make(MEGABYTE)
        assert MEGABYTE - 2 <= len(text) <= MEGABYTE, name
        assert "\n" not in text, name
