"""OCR for pages without a usable text layer: Tesseract (Debian's tesseract-ocr, -jpn, -jpn-vert).

A page is rendered at 300 dpi (pypdfium2, through pdfplumber's ``Page.to_image``) and read by the
``tesseract`` command with Japanese horizontal data (``jpn``); when that reads poorly (mean word
confidence under ``VERTICAL_RETRY_CONFIDENCE``) the page is read again as vertical text (``jpn_vert``)
and the better reading is kept; before that, a page Tesseract's orientation detection finds on its side or
upside down (a landscape table scanned turned) is read again turned upright. Tesseract's TSV output gives
each word's box, so every OCR line keeps
its place on the page (in PDF points), for the page-furniture rules; the same reading written as text
gives the line's spacing (a gap Tesseract saw between two words), which the TSV does not.

OCR confuses the kanji numerals 二 and 一 with the katakana ニ and the long-vowel mark ー. Inside a
numeral context only (next to a digit or a kanji numeral, or before a counter or unit) they are put
back; ニュース and センター are left alone.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from pipeline.core.source import IngestError

DPI = 300
VERTICAL_RETRY_CONFIDENCE = 60.0
OSD_CONFIDENCE = 2.0
"""Tesseract's orientation confidence under which a page is not turned (its own docs call 2 or more reliable)."""
TIMEOUT_SECONDS = 300
PACKAGES = "tesseract-ocr tesseract-ocr-jpn tesseract-ocr-jpn-vert"
LANGUAGES = ("jpn", "jpn_vert")
ENV_FLAG = "PIPELINE_OCR"
"""Set to 1 by ``pipeline run --ocr``: the batch workers, in other processes, read it."""


class OcrUnavailable(IngestError):
    """Tesseract or its Japanese data is not installed; the message names the Debian packages."""


@dataclass(frozen=True)
class OcrLine:
    """One line read by OCR, with its box in PDF points (top-left origin, as pdfplumber's)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    block: int = -1  # Tesseract's block (a column, a box): the run of the reading order the line is in


def check_tesseract() -> None:
    """Raise ``OcrUnavailable`` (one line naming the packages) unless tesseract can read Japanese."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise OcrUnavailable(f"--ocr needs the tesseract command: apt-get install {PACKAGES}")
    try:
        out = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError) as e:
        raise OcrUnavailable(f"--ocr: tesseract does not run ({e}); apt-get install {PACKAGES}") from e
    langs = set((out.stdout + out.stderr).split())
    missing = [lang for lang in LANGUAGES if lang not in langs]
    if missing:
        raise OcrUnavailable(f"--ocr needs Tesseract's {', '.join(missing)} data: apt-get install {PACKAGES}")


_REQUESTED: ContextVar[bool | None] = ContextVar("ocr_requested", default=None)


def request_ocr() -> None:
    """Check that Tesseract can read Japanese, then ask this process and its workers to OCR.

    Readers take ``(path, data)`` only (the reader registry), so the request travels in the
    environment, which worker processes inherit.
    """
    check_tesseract()
    os.environ[ENV_FLAG] = "1"


@contextmanager
def ocr_enabled(on: bool = True) -> Iterator[None]:
    """Within this block, PDF reading does (or does not) OCR, whatever the environment says."""
    token = _REQUESTED.set(on)
    try:
        yield
    finally:
        _REQUESTED.reset(token)


def ocr_requested() -> bool:
    """Whether OCR was asked for: by ``ocr_enabled`` around the call, else by ``pipeline run --ocr``."""
    here = _REQUESTED.get()
    return here if here is not None else os.environ.get(ENV_FLAG) == "1"


# Numeral context for the OCR confusions: digits and kanji numerals, and what follows a number.
_NUMERALS = "0-9０-９〇一二三四五六七八九十百千万億兆"
_COUNTERS = "年月日億万円社校件人名回期号条歳時分"
_CONFUSIONS = {"ニ": "二", "ー": "一"}
_CONFUSED = re.compile(
    f"(?<=[{_NUMERALS}])[ニー]|[ニー](?=[ニー]*[{_NUMERALS}{_COUNTERS}])(?<![ァ-ヺ][ニー])"
)


def repair_numerals(text: str) -> str:
    """Put back 二 and 一 that OCR read as ニ and ー, inside numeral contexts only.

    ``平成ニ十一年`` -> ``平成二十一年``, ``第ー回`` -> ``第一回``; ``センター`` and ``ニュース`` stay.
    """
    prev = None
    while prev != text:  # a run (ニーニ) is repaired from its numeral end inwards
        prev = text
        text = _CONFUSED.sub(lambda m: _CONFUSIONS[m.group()], text)
    return text


def _join_words(words: list[str]) -> str:
    out = ""
    for w in words:
        if out and out[-1].isascii() and out[-1].isalnum() and w[0].isascii() and w[0].isalnum():
            out += " "
        out += w
    return out


def _tesseract(png: bytes, lang: str, psm: int
               ) -> tuple[list[tuple[tuple[int, ...], dict[str, Any]]], float, list[str]]:
    """Tesseract's words (line key, box) with their mean confidence, and its plain-text lines: one reading,
    written both as TSV (the boxes) and as text (where Tesseract saw a gap between words: a space)."""
    exe = shutil.which("tesseract") or "tesseract"
    with tempfile.TemporaryDirectory(prefix="pipeline-ocr-") as tmp:
        base = os.path.join(tmp, "page")
        proc = subprocess.run(
            [exe, "stdin", base, "-l", lang, "--psm", str(psm), "--dpi", str(DPI), "tsv", "txt"],
            input=png, capture_output=True, timeout=TIMEOUT_SECONDS, check=False,
        )
        if proc.returncode != 0:
            detail = " ".join(proc.stderr.decode("utf-8", "replace").split())[:160]
            raise OcrUnavailable(f"tesseract failed ({detail}); apt-get install {PACKAGES}")
        with open(base + ".tsv", encoding="utf-8", errors="replace") as fh:
            tsv = fh.read()
        with open(base + ".txt", encoding="utf-8", errors="replace") as fh:
            txt_lines = [ln for ln in fh.read().split("\n") if ln.strip()]
    # A table's ruling read as bars (|, alone or glued to a cell's word) is no text but a gap between cells:
    # gone from both readings, its line with it when that is all the line held, so the two still list the
    # same lines.
    txt_lines = [kept for ln in txt_lines if (kept := _RULING.sub(" ", ln).strip())]
    words = []
    confs = []
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        text = _RULING.sub("", (row.get("text") or "").strip())
        if row.get("level") != "5" or not text:
            continue
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        words.append((key, {"text": text, "left": int(row["left"]), "top": int(row["top"]),
                            "width": int(row["width"]), "height": int(row["height"])}))
        confs.append(float(row["conf"]))
    return words, (sum(confs) / len(confs) if confs else 0.0), txt_lines


def _orientation(png: bytes) -> int:
    """The degrees (90, 180, 270) a page image must turn clockwise to stand upright, by Tesseract's
    orientation and script detection (``--psm 0``, the ``osd`` data every tesseract-ocr install has); 0 when
    it stands upright, or when the detection is unsure or finds too little text to judge."""
    exe = shutil.which("tesseract") or "tesseract"
    proc = subprocess.run([exe, "stdin", "stdout", "--psm", "0", "--dpi", str(DPI)], input=png,
                          capture_output=True, timeout=TIMEOUT_SECONDS, check=False)
    out = proc.stdout.decode("utf-8", "replace")
    turn = re.search(r"Rotate:\s*(\d+)", out)
    confident = re.search(r"Orientation confidence:\s*([\d.]+)", out)
    if proc.returncode != 0 or turn is None or confident is None or float(confident.group(1)) < OSD_CONFIDENCE:
        return 0
    return int(turn.group(1)) % 360


# Vertical bars: a table's ruling, not text.
_RULING = re.compile(r"[|｜│┃]+")
# A space Tesseract wrote after a thousands separator (約1, 190社): no gap in the figure.
_SEPARATOR_SPACE = re.compile(r"(?<=\d,) (?=\d{3}(?!\d))")
# Single digits a space apart (約 1 5 0社, 1 1月14日): a figure in full-width digits, whose glyphs stand far
# apart, that Tesseract read a word per digit; no Latin letter or figure on either side.
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z.,])\d(?: \d)+(?![0-9A-Za-z])")


def join_digit_runs(text: str) -> str:
    """``text`` with each run of single digits a space apart written as one figure (``約 1 5 0社`` ->
    ``約 150社``); figures of several digits a space apart (``2024 25``) stay apart."""
    return _DIGIT_RUN.sub(lambda m: m.group().replace(" ", ""), text)


def _spaced_line(words: list[str], txt: str | None) -> str:
    """A line's text: its words as Tesseract's text output spaced them (a gap it saw between two words
    stays, as a full-width space beside Japanese, a space between Latin words or digits), when that line
    holds the same characters; else the words joined (:func:`_join_words`)."""
    joined = _join_words(words)
    if txt is None or "".join(txt.split()) != "".join(joined.split()):
        return joined
    out = []
    for k, part in enumerate(txt.split()):
        if k:
            prev = out[-1][-1]
            out.append(" " if prev.isascii() and part[0].isascii() else "\u3000")
        out.append(part)
    return join_digit_runs(_SEPARATOR_SPACE.sub("", "".join(out)))


def ocr_page(page: Any) -> tuple[list[OcrLine], str]:
    """Read one pdfplumber page by OCR: its lines in reading order and the language data used."""
    lines, lang, _ = ocr_region(page)
    return lines, lang


def ocr_region(page: Any) -> tuple[list[OcrLine], str, float]:
    """Read a pdfplumber page, or a part of one cropped from it (``Page.crop``: an image of a table on a page
    of text), by OCR: its lines in reading order with their boxes on the page, the language data used and
    Tesseract's mean word confidence (0-100)."""
    image = page.to_image(resolution=DPI).original
    buf = io.BytesIO()
    image.convert("L").save(buf, format="PNG")
    png = buf.getvalue()
    words, conf, txt = _tesseract(png, "jpn", 3)
    lang = "jpn"
    if conf < VERTICAL_RETRY_CONFIDENCE and (turn := _orientation(png)):
        # A page scanned on its side (a landscape table) or upside down: read again turned upright, as
        # Tesseract's orientation detection says; the boxes are then the turned page's
        buf = io.BytesIO()
        image.convert("L").rotate(-turn, expand=True).save(buf, format="PNG")
        t_words, t_conf, t_txt = _tesseract(buf.getvalue(), "jpn", 3)
        if t_conf > conf:
            words, conf, txt, png = t_words, t_conf, t_txt, buf.getvalue()
    if conf < VERTICAL_RETRY_CONFIDENCE:
        v_words, v_conf, v_txt = _tesseract(png, "jpn_vert", 5)
        if v_conf > conf:
            words, lang, txt, conf = v_words, "jpn_vert", v_txt, v_conf
    scale = 72.0 / DPI
    x_off, y_off = page.bbox[0], page.bbox[1]
    lines: dict[tuple[int, ...], list[dict[str, Any]]] = {}
    for key, w in words:
        lines.setdefault(key, []).append(w)
    out = []
    # The text output lists the same lines in the same order: each TSV line takes its spacing from it
    # (only when the counts agree; a line whose characters differ keeps its words joined).
    spaced: list[str | None] = list(txt) if len(txt) == len(lines) else [None] * len(lines)
    for (block, *_), group, line_txt in zip(lines, lines.values(), spaced, strict=True):  # in reading order
        text = repair_numerals(_spaced_line([w["text"] for w in group], line_txt))
        out.append(OcrLine(
            block=block,
            text=text,
            x0=x_off + scale * min(w["left"] for w in group),
            top=y_off + scale * min(w["top"] for w in group),
            x1=x_off + scale * max(w["left"] + w["width"] for w in group),
            bottom=y_off + scale * max(w["top"] + w["height"] for w in group),
        ))
    return out, lang, conf
