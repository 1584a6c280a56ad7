"""The text reader: a text file's bytes in any common Japanese encoding -> ``Source``.

Everything downstream points into ``Source.text`` (written out as ``source.txt``), so this is the only
module that knows about encodings and line ends. Which reader reads which file is decided by the
reader registry (:mod:`pipeline.readers`).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from pathlib import Path

from pipeline.core.source import IngestError, Source
from pipeline.readers.columns import reflow_columns

# Encodings a Japanese government text file is realistically in, tried in this order after the BOMs.
# CP932 is a superset of Shift_JIS as Windows writes it; EUC-JP as older Unix tools write it.
# Others (EUC-JIS-2004, Shift_JIS-2004) are left to charset-normalizer, the last resort below.
_CANDIDATE_ENCODINGS = ("utf-8", "cp932", "euc_jp")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


# C0 controls other than tab, line feed, carriage return and form feed: a NUL or an escape sequence
# in a text file is no text, and PostgreSQL refuses NUL in a string.
_STRAY_CONTROLS = re.compile("[\x00-\x08\x0b\x0e-\x1f]")


def remove_controls(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` without stray C0 controls, and one ``control_removed`` note per line that had some."""
    if not _STRAY_CONTROLS.search(text):
        return text, []
    notes = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = _STRAY_CONTROLS.findall(line)
        if found:
            kinds = ", ".join(sorted({f"U+{ord(c):04X}" for c in found}))
            notes.append((i + 1, "control_removed", f"removed {len(found)} control character(s) ({kinds}) "
                                                    "from this line of the input"))
            lines[i] = _STRAY_CONTROLS.sub("", line)
    return "\n".join(lines), notes


# A glyph a PDF-to-text conversion could not map to a character, printed as its font's code: (cid:1234).
_CID = re.compile(r"\(cid:\d+\)")
MASK = "〓"  # (as the PDF reader masks such glyphs: pipeline/readers/pdf_fonts.py)


def mask_cid_codes(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with every ``(cid:N)`` placeholder of a PDF-to-text conversion read as one ``〓`` (a glyph
    without a Unicode map: no figure is read from its code), and one ``text_layer_broken`` note per line that
    had some."""
    if "(cid:" not in text or not _CID.search(text):
        return text, []
    notes = []
    lines = text.split("\n")
    for i, line in enumerate(lines):
        found = len(_CID.findall(line))
        if found:
            notes.append((i + 1, "text_layer_broken",
                          f"{found} glyph(s) without a Unicode map in the input, written (cid:N) by a PDF-to-text "
                          f"conversion, read as {MASK}: no figure is read from them"))
            lines[i] = _CID.sub(MASK, line)
    return "\n".join(lines), notes


def page_starts_from_form_feeds(text: str) -> list[int]:
    starts = [0]
    at = text.find("\f")
    while at >= 0:  # str.find, not a loop over every character
        starts.append(at + 1)
        at = text.find("\f", at + 1)
    return starts


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:4096]:
        return True
    controls = sum(1 for b in data[:4096] if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > 8


_TEXT_CONTROLS = frozenset("\t\n\r\f")


def _japanese_score(text: str) -> float:
    """Share of characters that are plausible in Japanese text; mis-decodings score low."""
    if not text:
        return 0.0
    return 1 - len(_IMPLAUSIBLE.findall(text)) / len(text)


# Characters outside: printable ASCII and text controls (an ESC left over is not text), CJK
# punctuation and kana, ideographs, full-width forms, circled numbers/shapes/arrows, Roman numerals,
# general punctuation and geometric shapes (◆■).
_IMPLAUSIBLE = re.compile(
    "[^\x20-\x7e" + "".join(re.escape(c) for c in _TEXT_CONTROLS)
    + "\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef\u2460-\u27bf\u2150-\u218f\u2000-\u206f\u25a0-\u25ff]"
)


# ISO-2022-JP is 7-bit: it also decodes as UTF-8 (to escape-sequence garbage), so its escape
# sequences are looked for first. The _2004/_ext variants add JIS X 0213 and half-width kana.
_ISO2022_ESCAPES = (b"\x1b$B", b"\x1b$@", b"\x1b$(D", b"\x1b$(Q", b"\x1b(J", b"\x1b(I")
_ISO2022_ENCODINGS = ("iso2022_jp", "iso2022_jp_ext", "iso2022_jp_2004")


def _decode_iso2022(data: bytes) -> tuple[str, str] | None:
    if not any(esc in data for esc in _ISO2022_ESCAPES):
        return None
    for enc in _ISO2022_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        if "\x1b" not in text and _japanese_score(text) >= 0.9:
            return text, enc
    return None


def _decode_utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: whichever byte order reads as Japanese text, if either does."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for enc in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _japanese_score(text)
        if score >= 0.95 and (best is None or score > best[0]):
            best = (score, text, enc)
    return None if best is None else (best[1], best[2])


def _where_utf8_fails(data: bytes) -> str:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        return f"; not UTF-8 from byte {e.start} (line {line})"
    return ""


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding). Raise IngestError naming ``name``.

    Tried in order: a byte-order mark (UTF-8, UTF-16, UTF-32), ISO-2022-JP escape sequences, UTF-16
    without a mark, then UTF-8, CP932 and EUC-JP, keeping the decoding that reads most like Japanese,
    and charset-normalizer as a last resort.
    """
    if not data.strip():
        raise IngestError(f"{name}: empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc
            except UnicodeDecodeError as e:
                raise IngestError(
                    f"{name}: starts with a {enc} byte-order mark but does not decode ({e.reason} at byte {e.start})"
                ) from None
    iso = _decode_iso2022(data)
    if iso is not None:
        return iso
    if b"\x00" in data:
        utf16 = _decode_utf16_without_bom(data)
        if utf16 is not None:
            return utf16
    if _looks_binary(data):
        raise IngestError(f"{name}: binary data, not a text file")
    best: tuple[float, str, str] | None = None
    for enc in _CANDIDATE_ENCODINGS:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        score = _japanese_score(text)
        if enc == "utf-8" and score > 0.98:
            return text, enc
        if best is None or score > best[0]:
            best = (score, text, enc)
    if best is None or best[0] < 0.9:
        # Last resort: let charset-normalizer weigh the candidates statistically.
        from charset_normalizer import from_bytes

        match = from_bytes(data).best()
        if match is not None:
            text = str(match)
            if _japanese_score(text) >= 0.9:
                return text, match.encoding
        raise IngestError(f"{name}: cannot decode as UTF-8, UTF-16, CP932/Shift_JIS, EUC-JP or ISO-2022-JP "
                          f"text{_where_utf8_fails(data)}")
    return best[1], best[2]


def _prepared(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """Decoded text as the pipeline reads it: one kind of line break, two-column pages read column by
    column (``columns.py``), stray controls gone, (cid:N) placeholders masked, comma-separated rows as
    tab-separated cells; with the notes saying what changed."""
    text, split = reflow_columns(normalise_newlines(text))
    text, removed = remove_controls(text)
    text, masked = mask_cid_codes(text)
    text, tabbed = csv_rows_as_cells(text)
    return text, split + removed + masked + tabbed


_MIN_CSV_FIELDS = 3
_MIN_CSV_ROWS = 2
_CSV_LINE = re.compile(r'[^\n]*,[^\n]*,[^\n]*')  # two commas at least: a row of three fields may be one
# Outside quotes, what no comma-separated row holds: a sentence's stop, a thousands separator (a spaced table's
# 1,200), a gap of spaces (a spaced table's cells).
_NOT_CSV = re.compile(r"。|\d,\d{3}(?!\d)|\u3000|  ")


def csv_rows_as_cells(text: str) -> tuple[str, list[tuple[int, str, str]]]:
    """``text`` with each block of comma-separated rows (a spreadsheet saved as CSV: ``"北海道","…クラスター",
    "1,072"``) written as a table's rows, cells set apart by tabs and their quotes gone, as the table readers
    read a spreadsheet's text; one ``text_csv_rows`` note per block. A block is two lines at least in a row,
    each three fields or more and as many as the others, one of them holding Japanese; no line holding a tab,
    or outside its quotes a sentence's stop, a thousands separator or a gap (prose or a spaced table's row
    with commas is no row)."""
    if "," not in text:
        return text, []
    lines = text.split("\n")
    parsed: list[list[str] | None] = []
    for ln in lines:
        fields = None
        if "\t" not in ln and _CSV_LINE.fullmatch(ln):
            try:
                row = next(csv.reader([ln], strict=True))
            except (csv.Error, StopIteration):
                row = []
            unquoted = re.sub(r'"[^"]*"', "", ln)
            if len(row) >= _MIN_CSV_FIELDS and _NOT_CSV.search(unquoted) is None:
                fields = [f.strip() for f in row]
        parsed.append(fields)
    notes: list[tuple[int, str, str]] = []
    k = 0
    while k < len(lines):
        fields = parsed[k]
        end = k + 1
        while end < len(lines) and fields is not None and parsed[end] is not None and len(parsed[end]) == len(fields):
            end += 1
        block = parsed[k:end]
        if (fields is not None and end - k >= _MIN_CSV_ROWS
                and any(not f.isascii() for row in block if row for f in row)):
            for j in range(k, end):
                lines[j] = "\t".join(parsed[j] or ())
            notes.append((k + 1, "text_csv_rows", f"lines {k + 1}-{end}: comma-separated rows read as a table's "
                                                   f"cells ({len(fields)} a row)"))
        k = end
    return ("\n".join(lines), notes) if notes else (text, [])


def read_text(path: Path, data: bytes) -> Source:
    """A text file's bytes decoded into a ``Source`` (pages split at form feeds); ``path`` names it in errors."""
    text, enc = decode_text(data, str(path))
    text, notes = _prepared(text)
    return Source(doc="", text=text, page_starts=page_starts_from_form_feeds(text), encoding=enc, notes=notes)


def source_from_text(text: str, doc: str = "text") -> Source:
    """A Source for text given in memory (no file, no decoding)."""
    text, notes = _prepared(text)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(doc=doc, text=text, page_starts=page_starts_from_form_feeds(text), sha256=sha, notes=notes)
