"""Throughput benchmark: characters per second of the whole pipeline against tokenisation alone.

Usage: ``python bench/throughput.py [--chars N] [--ginza-python PATH] [--ginza-docs N] [--profile] [--stages]
[--scaling [CHARS ...]]``.

Builds a corpus of at least ``--chars`` characters (default 1,000,000) in ``bench/corpus/`` (git-ignored):
copies of the seed brochure whose figures vary from copy to copy. Then, in one run, over the same files:

a. fugashi alone: ``fugashi.Tagger`` over each file's text, line by line (what the pipeline's tokenizer
   runs underneath);
b. ``pipeline run --jobs 1`` as a user runs it (a fresh process, wall clock, outputs written);
c. ``pipeline run --jobs 2``;
d. GiNZA (``spacy.load("ja_ginza")``, ``nlp.pipe`` over the same texts, entities counted), run by the
   interpreter of a separate venv (default ``bench/.ginza-venv``) so spaCy models and SudachiPy stay
   out of the project's environment;

plus ``pipeline.extract`` in this process once warm (no process start, no writing), over the whole corpus
and in blocks of 16 documents alternating with fugashi over the same 16 (the in-process ratio: sum of the
pipeline's block times / sum of fugashi's, robust to load that comes and goes). Prints a Markdown
table and writes it to ``bench/results.md``. ``--profile`` adds the pipeline's hotspots (cProfile over
``pipeline.extract`` of the seed, 20 times); ``--stages`` each stage's time over the corpus as a multiple of
fugashi's (row a's, and fugashi's over each document in the same pass); ``--scaling`` the stage times of one
document of 0.5M, 1M and 2M characters (or the sizes given).
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import io
import json
import math
import os
import platform
import pstats
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pipeline.readers import read_source  # noqa: E402

SEED = ROOT / "raw" / "chiiki-cluster-h21.txt"
RULES = ROOT / "rules"
CORPUS = ROOT / "bench" / "corpus"
RESULTS = ROOT / "bench" / "results.md"
GINZA_PYTHON = ROOT / "bench" / ".ginza-venv" / "bin" / "python"

# Run by the GiNZA venv's interpreter: argv[1] is a JSON list of files; prints one JSON object.
GINZA_SCRIPT = r"""
import json, sys, time
import spacy
files = json.loads(sys.argv[1])
nlp = spacy.load("ja_ginza")
# SudachiPy refuses inputs over 49,149 bytes: feed paragraphs, as a user of GiNZA would.
texts = [p for f in files for p in open(f, encoding="utf-8").read().split("\n\n") if p.strip()]
nlp("warm up")
t0 = time.perf_counter()
entities = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
seconds = time.perf_counter() - t0
print(json.dumps({"chars": sum(len(t) for t in texts), "seconds": seconds, "entities": entities,
                  "spacy": spacy.__version__, "model": nlp.meta.get("version", "?")}))
"""


@dataclass
class Row:
    """One line of the results table."""

    method: str
    chars: int
    seconds: float | None  # None: not measured
    found: str
    note: str = ""

    @property
    def rate(self) -> float | None:
        return self.chars / self.seconds if self.seconds else None


# -- corpus ------------------------------------------------------------------------------------


def varied_copy(seed: str, rng: random.Random) -> str:
    """The seed with its company counts, university counts and 億円 amounts moved at random."""
    def companies(m: re.Match[str]) -> str:
        return f"約{max(10, int(m.group(1).replace(',', '')) + rng.randint(-30, 30) * 10):,}社"

    text = re.sub(r"約([0-9,]+)社", companies, seed)
    text = re.sub(r"(\d+)大学", lambda m: f"{max(1, int(m.group(1)) + rng.randint(-3, 3))}大学", text)
    return re.sub(r"(\d+)億円", lambda m: f"{max(1, int(m.group(1)) + rng.randint(-5, 5))}億円", text)


def corpus_texts(count: int) -> list[tuple[str, str]]:
    """The corpus's first ``count`` documents as (name, text): the seed, then its varied copies."""
    seed = SEED.read_text(encoding="utf-8")
    rng = random.Random(7)
    return [(f"brochure-{i:04d}", seed if i == 0 else varied_copy(seed, rng)) for i in range(count)]


def build_corpus(folder: Path, min_chars: int) -> list[Path]:
    """Write enough varied copies of the seed into ``folder`` (emptied first) for ``min_chars``."""
    seed = SEED.read_text(encoding="utf-8")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for name, text in corpus_texts(max(1, math.ceil(min_chars / len(seed)))):
        path = folder / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


# -- measurements ------------------------------------------------------------------------------


def tokenise_alone(texts: list[str], repeat: int = 3) -> Row:
    """fugashi over every line of every text; the best of ``repeat`` passes."""
    import fugashi

    tagger = fugashi.Tagger()
    best, tokens = math.inf, 0
    for _ in range(repeat):
        t0 = time.perf_counter()
        tokens = sum(len(tagger(line)) for text in texts for line in text.split("\n"))
        best = min(best, time.perf_counter() - t0)
    return Row("a. fugashi tokenisation alone (line by line)", sum(map(len, texts)), best, f"{tokens:,} tokens")


def count_mentions(out: Path) -> int:
    """Rows of every mentions.csv under ``out``."""
    total = 0
    for path in out.glob("*/mentions.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            total += sum(1 for _ in csv.reader(fh)) - 1
    return total


def pipeline_run(files: list[Path], chars: int, jobs: int, label: str, repeat: int = 2) -> Row:
    """``pipeline run CORPUS --jobs N --force`` in a fresh process; wall clock from start to exit,
    the best of ``repeat`` runs."""
    best, mentions = math.inf, 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory(prefix="bench-out-") as tmp:
            cmd = [sys.executable, "-m", "pipeline", "run", str(files[0].parent), "--out", tmp,
                   "--rules", str(RULES), "--jobs", str(jobs), "--force", "--quiet"]
            t0 = time.perf_counter()
            done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
            best = min(best, time.perf_counter() - t0)
            if done.returncode != 0:
                raise SystemExit(f"bench: {' '.join(cmd)} failed:\n{done.stderr}")
            written = len(list(Path(tmp).glob("*/datapackage.json")))
            if written != len(files):
                raise SystemExit(f"bench: {label}: {written} of {len(files)} documents written")
            mentions = count_mentions(Path(tmp))
    return Row(label, chars, best, f"{mentions:,} mentions",
               f"best of {repeat}; process start and spaCy load included")


def extract_warm(files: list[Path], chars: int) -> Row:
    """``pipeline.extract`` over every file in this process, after one warm-up document."""
    import pipeline

    pipeline.extract(files[0], rules_dir=RULES)
    mentions = 0
    t0 = time.perf_counter()
    for path in files:
        mentions += pipeline.extract(path, rules_dir=RULES).counts()["mentions"]
    return Row("pipeline.extract in-process, warm", chars, time.perf_counter() - t0, f"{mentions:,} mentions",
               "no process start, no writing")


def block_ratio(files: list[Path], texts: list[str], block: int = 16) -> tuple[Row, float]:
    """``pipeline.extract`` over ``block`` documents, then fugashi alone over the same documents' lines,
    block after block over the corpus (both warm): the row, and the ratio of their summed times. Load on
    the machine in any one block weighs on both sides alike."""
    import fugashi

    import pipeline

    tagger = fugashi.Tagger()
    pipeline.extract(files[0], rules_dir=RULES)
    sum(len(tagger(line)) for line in texts[0].split("\n"))
    ours = theirs = 0.0
    mentions = 0
    for k in range(0, len(files), block):
        t0 = time.perf_counter()
        for path in files[k : k + block]:
            mentions += pipeline.extract(path, rules_dir=RULES).counts()["mentions"]
        t1 = time.perf_counter()
        for text in texts[k : k + block]:
            sum(len(tagger(line)) for line in text.split("\n"))
        t2 = time.perf_counter()
        ours += t1 - t0
        theirs += t2 - t1
    ratio = ours / theirs
    row = Row(f"pipeline.extract in-process, in blocks of {block} alternating with fugashi", sum(map(len, texts)),
              ours, f"{mentions:,} mentions",
              f"fugashi in the same blocks {theirs:.2f} s: **{ratio:.1f}x** fugashi's time")
    return row, ratio


def ginza(files: list[Path], python: Path, docs: int | None) -> Row:
    """GiNZA over the same files, in its own venv; a row saying why when it cannot run."""
    label = "d. GiNZA (ja_ginza, nlp.pipe)"
    chosen = files if docs is None else files[:docs]
    if not python.exists():
        return Row(label, 0, None, "", f"not run: no GiNZA interpreter at {python} (see bench/README.md)")
    done = subprocess.run([str(python), "-c", GINZA_SCRIPT, json.dumps([str(f) for f in chosen])],
                          capture_output=True, text=True)
    if done.returncode != 0:
        reason = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return Row(label, 0, None, "", f"not run: {reason}")
    r = json.loads(done.stdout.strip().splitlines()[-1])
    note = f"spaCy {r['spacy']}, ja_ginza {r['model']}; paragraphs; model load excluded"
    if docs is not None and docs < len(files):
        note += f"; first {docs} of {len(files)} documents"
    return Row(label, r["chars"], r["seconds"], f"{r['entities']:,} entities", note)


def profile_extract(times: int = 20) -> list[tuple[str, float, float, int]]:
    """Every function's cost in ``pipeline.extract`` of the seed, ``times`` times:
    (file:line:function, own seconds, cumulative seconds, calls)."""
    import pipeline

    pipeline.extract(SEED, rules_dir=RULES)
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(times):
        pipeline.extract(SEED, rules_dir=RULES)
    prof.disable()
    stats = pstats.Stats(prof, stream=io.StringIO()).stats  # type: ignore[attr-defined]
    rows = []
    for (filename, line, func), (_cc, calls, own, cum, _callers) in stats.items():
        path = Path(filename)
        if ROOT in path.parents:
            name = f"{path.relative_to(ROOT).as_posix()}:{line}:{func}"
        elif "site-packages" in path.parts:
            name = f"{'/'.join(path.parts[path.parts.index('site-packages') + 1 :])}:{line}:{func}"
        elif filename != "~":  # Cython modules report a relative .pyx/.pxd path
            name = f"{filename}:{line}:{func}"
        else:
            name = func
        rows.append((name, own, cum, calls))
    return rows


def hotspot_tables(rows: list[tuple[str, float, float, int]], top: int = 12) -> list[str]:
    """Two Markdown tables: the pipeline's own functions by cumulative time, everything by own time."""
    head = ["| function | own s | cumulative s | calls |", "|---|---:|---:|---:|"]

    def fmt(r: tuple[str, float, float, int]) -> str:
        return f"| `{r[0]}` | {r[1]:.3f} | {r[2]:.3f} | {r[3]:,} |"

    ours = [r for r in rows if r[0].startswith("pipeline/") and not r[0].endswith(("extract", "run_document"))]
    by_cum = sorted(ours, key=lambda r: r[2], reverse=True)[:top]
    by_own = sorted(rows, key=lambda r: r[1], reverse=True)[:top]
    return ["### The pipeline's functions by cumulative time", "", *head, *map(fmt, by_cum), "",
            "### All functions by own time", "", *head, *map(fmt, by_own)]


def stage_seconds(texts: list[str], fugashi_too: bool = False) -> dict[str, float]:
    """Seconds of each stage of ``pipeline.extract`` (layout, the engine's STAGES, to_rows) over ``texts``,
    with the cycle collector paused as ``run_document`` pauses it; with ``fugashi_too``, also fugashi alone
    over each text's lines right after its stages (key ``fugashi``)."""
    import fugashi

    from pipeline.core.rules import cached_rules
    from pipeline.engine import STAGES, Document, collector_paused, prepare_rows, repair_layout, to_rows
    from pipeline.readers.ingest import source_from_text

    rules = cached_rules(RULES)
    tagger = fugashi.Tagger()
    spent: dict[str, float] = {}

    def timed(name: str, fn, *args):  # type: ignore[no-untyped-def]
        t0 = time.perf_counter()
        out = fn(*args)
        spent[name] = spent.get(name, 0.0) + time.perf_counter() - t0
        return out

    for text in texts:
        source = source_from_text(text, doc="bench")
        with collector_paused():  # as run_document extracts a document
            layout = timed("layout", repair_layout, source.text, rules.get("layout"))
            doc = Document(source, rules, layout.lines, layout.flow)
            for name, stage in STAGES:
                timed(name, stage, doc)
            timed("to_rows", lambda d: prepare_rows(to_rows(d)), doc)
        if fugashi_too:
            timed("fugashi", lambda t: sum(len(tagger(line)) for line in t.split("\n")), text)
    return spent


def stage_table(texts: list[str], fugashi_seconds: float) -> list[str]:
    """Markdown: each stage's time over the corpus, in seconds and as a multiple of fugashi's time: row
    a's, and fugashi's over each document right after that document's stages (the same pass, so load
    on the machine weighs on both)."""
    stage_seconds(texts[:1], fugashi_too=True)  # warm: spaCy, MeCab, compiled rules
    spent = stage_seconds(texts, fugashi_too=True)
    alongside = spent.pop("fugashi")
    lines = [f"| stage | seconds | x fugashi (row a) | x fugashi (same pass, {alongside:.2f} s) |",
             "|---|---:|---:|---:|"]
    lines += [f"| {k} | {v:.2f} | {v / fugashi_seconds:.2f} | {v / alongside:.2f} |" for k, v in spent.items()]
    total = sum(spent.values())
    lines.append(f"| **all** | {total:.2f} | {total / fugashi_seconds:.2f} | {total / alongside:.2f} |")
    return lines


def scaling_table(sizes: list[int], repeats: int = 3) -> list[str]:
    """Markdown: one document of each size (varied seed copies joined): its stages' seconds run one
    after another on the whole document, and ``run_document``'s (what ``pipeline run`` does: a document
    over ``SECTION_CHARS`` is read section by section). Each the best of ``repeats`` runs, taken in
    rounds over all sizes (smallest to largest, then again), so a spell of load on this shared machine
    weighs on every size rather than on the one measured at that moment."""
    from pipeline.core.rules import cached_rules
    from pipeline.engine import SECTION_CHARS, run_document
    from pipeline.readers.ingest import source_from_text

    seed = SEED.read_text(encoding="utf-8")
    rng = random.Random(11)
    rules = cached_rules(RULES)
    stage_seconds([seed])
    run_document(source_from_text(seed, doc="bench"), rules)
    texts = {}
    for size in sizes:
        copies = [varied_copy(seed, rng) for _ in range(size // len(seed) + 1)]
        texts[size] = "\n".join(copies)[:size]
    spent: dict[int, dict[str, float]] = {}
    whole: dict[int, float] = {}
    for _ in range(repeats):
        for size, text in texts.items():
            stages = stage_seconds([text])
            if size not in spent or sum(stages.values()) < sum(spent[size].values()):
                spent[size] = stages
            t0 = time.perf_counter()
            run_document(source_from_text(text, doc="bench"), rules)
            whole[size] = min(whole.get(size, math.inf), time.perf_counter() - t0)
    head = list(next(iter(spent.values())))
    rows = [f"| {size:,} | " + " | ".join(f"{v:.2f}" for v in spent[size].values())
            + f" | {sum(spent[size].values()):.2f} | {whole[size]:.2f} |" for size in sizes]
    return ["| characters | " + " | ".join(head) + " | all stages | `run_document` |",
            "|---:|" + "---:|" * (len(head) + 2), *rows, "",
            f"Best of {repeats} rounds over all sizes. `run_document` reads a document over {SECTION_CHARS:,} "
            "characters section by section, as `pipeline run` does; the stage columns run each stage on the "
            "whole document."]


# -- report ------------------------------------------------------------------------------------


def table(rows: list[Row], base: float) -> str:
    """The Markdown results table; ratios are chars/s against tokenisation alone."""
    lines = ["| method | chars | seconds | chars/s | ratio to tokenisation | entities or mentions found | note |",
             "|---|---:|---:|---:|---:|---|---|"]
    for r in rows:
        if r.rate is None:
            lines.append(f"| {r.method} | | | n/a | n/a | | {r.note} |")
        else:
            lines.append(f"| {r.method} | {r.chars:,} | {r.seconds:.2f} | {r.rate:,.0f} | {r.rate / base:.3f} "
                         f"| {r.found} | {r.note} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000, help="corpus size at least (default 1,000,000)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="where to write the corpus (emptied first)")
    parser.add_argument("--ginza-python", type=Path, default=GINZA_PYTHON, help="interpreter with ja_ginza")
    parser.add_argument("--ginza-docs", type=int, help="run GiNZA on the first N documents only (it is slow)")
    parser.add_argument("--profile", action="store_true", help="add cProfile hotspots of pipeline.extract")
    parser.add_argument("--results", type=Path, default=RESULTS, help="Markdown file to write")
    parser.add_argument("--stages", action="store_true", help="add each stage's time over the corpus")
    parser.add_argument("--scaling", type=int, nargs="*", metavar="CHARS",
                        help="add stage times of one document of each size (default 500000 1000000 2000000)")
    args = parser.parse_args(argv)

    load_before = os.getloadavg()[0]
    files = build_corpus(args.corpus, args.chars)
    texts = [read_source(f).text for f in files]
    chars = sum(map(len, texts))
    say = sys.stderr.write
    say(f"bench: corpus of {len(files)} documents, {chars:,} characters in {args.corpus}\n")

    rows = [tokenise_alone(texts)]
    say(f"bench: {rows[-1].method}: {rows[-1].rate:,.0f} chars/s\n")
    for jobs, label in ((1, "b. pipeline run --jobs 1"), (2, "c. pipeline run --jobs 2")):
        rows.append(pipeline_run(files, chars, jobs, label))
        say(f"bench: {label}: {rows[-1].rate:,.0f} chars/s\n")
    rows.append(ginza(files, args.ginza_python, args.ginza_docs))
    say(f"bench: {rows[-1].method}: {rows[-1].rate or 0:,.0f} chars/s {rows[-1].note}\n")
    rows.append(extract_warm(files, chars))
    say(f"bench: {rows[-1].method}: {rows[-1].rate:,.0f} chars/s\n")
    blocks, in_process = block_ratio(files, texts)
    rows.append(blocks)
    say(f"bench: {blocks.method}: {in_process:.1f}x fugashi\n")

    base = rows[0].rate or 1.0
    by_method = {r.method[:2]: r for r in rows}
    slowdown = base / (by_method["b."].rate or 1.0)
    body = [
        "# Throughput",
        "",
        f"`python bench/throughput.py` on {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, {time.strftime('%Y-%m-%d')}: {len(files)} documents, {chars:,} characters "
        "(varied copies of the seed brochure). Load average before the run "
        f"{load_before:.2f}, after {os.getloadavg()[0]:.2f}: other processes on the machine share its cores, "
        "and the `--jobs 2` row is only meaningful when the load stays well under 1.",
        "",
        table(rows, base),
        "",
        f"Whole pipeline (`--jobs 1`) / tokenisation alone: **{slowdown:.1f}x slower** "
        f"(goal: within 2x); `--jobs 2` is {(by_method['c.'].rate or 0) / (by_method['b.'].rate or 1):.2f}x "
        "the speed of `--jobs 1`. In-process, warm, in blocks of 16 documents alternating with fugashi: "
        f"**{in_process:.1f}x** fugashi's time.",
    ]
    if args.stages:
        body += ["", "## Stages over the corpus (in-process, warm; x fugashi = seconds / fugashi's seconds)", "",
                 *stage_table(texts, rows[0].seconds or 1.0)]
    if args.scaling is not None:
        body += ["", "## One document of growing size: seconds per stage", "",
                 *scaling_table(args.scaling or [500_000, 1_000_000, 2_000_000])]
    if args.profile:
        body += ["", "## Hotspots: cProfile of `pipeline.extract` on the seed x20", "",
                 *hotspot_tables(profile_extract())]
    report = "\n".join(body) + "\n"
    args.results.write_text(report, encoding="utf-8")
    sys.stdout.write(report)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
