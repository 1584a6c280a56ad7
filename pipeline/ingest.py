"""Ingest: bytes on disk -> the decoded source text, its pages and provenance.

Everything downstream points into ``Source.text`` (written out as ``source.txt``), so this is the only
stage that knows about encodings, line ends and file formats.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

SUPPORTED_SUFFIXES = (".txt", ".pdf")

# Encodings a Japanese government text file is realistically in, tried in this order after the BOMs.
# CP932 is a superset of Shift_JIS as Windows writes it; EUC-JP as older Unix tools write it.
_CANDIDATE_ENCODINGS = ("utf-8", "cp932", "euc_jp", "iso2022_jp")
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


class IngestError(Exception):
    """An input that cannot be read; the message names the file and the reason."""


@dataclass(frozen=True)
class Cell:
    """One cell of a ruled table found in a PDF; offsets point into ``Source.text``."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class RuledTable:
    page: int
    rows: tuple[tuple[Cell, ...], ...]


@dataclass
class Source:
    """The decoded document: the text every offset points into, and where it came from."""

    doc: str
    text: str
    page_starts: list[int] = field(default_factory=lambda: [0])
    sha256: str = ""
    encoding: str = "utf-8"
    path: str = ""
    ruled_tables: list[RuledTable] = field(default_factory=list)

    def page_of(self, offset: int) -> int:
        """1-based page holding ``offset``."""
        from bisect import bisect_right

        return bisect_right(self.page_starts, offset)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def page_starts_from_form_feeds(text: str) -> list[int]:
    starts = [0]
    starts.extend(i + 1 for i, ch in enumerate(text) if ch == "\f")
    return starts


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data[:4096]:
        return True
    controls = sum(1 for b in data[:4096] if b < 0x20 and b not in (0x09, 0x0A, 0x0C, 0x0D, 0x1B))
    return controls > 8


def _japanese_score(text: str) -> float:
    """Share of characters that are plausible in Japanese text; mis-decodings score low."""
    if not text:
        return 0.0
    good = 0
    for ch in text:
        o = ord(ch)
        if (
            ch.isascii()
            or 0x3000 <= o <= 0x30FF  # punctuation, kana
            or 0x4E00 <= o <= 0x9FFF  # CJK ideographs
            or 0xFF00 <= o <= 0xFFEF  # full-width forms
            or 0x2460 <= o <= 0x27BF  # circled numbers, shapes, arrows
            or 0x2150 <= o <= 0x218F  # roman numerals
            or 0x2000 <= o <= 0x206F  # general punctuation
            or 0x25A0 <= o <= 0x25FF  # geometric shapes (◆■)
        ):
            good += 1
    return good / len(text)


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """Decode a text file's bytes; return (text, encoding). Raise IngestError naming ``name``."""
    if not data.strip():
        raise IngestError(f"{name}: empty file")
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc).lstrip("\ufeff"), enc
            except UnicodeDecodeError as e:
                raise IngestError(f"{name}: starts with a {enc} byte-order mark but does not decode ({e.reason})")
    # UTF-16 without a BOM: every other byte of ASCII-range text is NUL.
    if len(data) >= 4 and data[1::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-le"), "utf-16-le"
        except UnicodeDecodeError:
            pass
    if len(data) >= 4 and data[0::2].count(0) > len(data) // 4:
        try:
            return data.decode("utf-16-be"), "utf-16-be"
        except UnicodeDecodeError:
            pass
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
        raise IngestError(f"{name}: cannot decode as UTF-8, UTF-16, CP932/Shift_JIS or EUC-JP text")
    return best[1], best[2]


def read_source(path: str | Path, doc: str | None = None) -> Source:
    """Read a .txt (any common Japanese encoding) or .pdf into a Source."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except OSError as e:
        raise IngestError(f"{p}: cannot read ({e.strerror or e})") from e
    doc = doc or p.stem
    sha = hashlib.sha256(data).hexdigest()
    suffix = p.suffix.lower()
    if suffix == ".pdf" or data[:5] == b"%PDF-":
        from .pdf import read_pdf

        src = read_pdf(p, data)
        src.doc, src.sha256, src.path = doc, sha, str(p)
        return src
    if suffix not in SUPPORTED_SUFFIXES:
        raise IngestError(f"{p}: unsupported file type {suffix or '(none)'}; expected .txt or .pdf")
    text, enc = decode_text(data, str(p))
    text = normalise_newlines(text)
    return Source(doc=doc, text=text, page_starts=page_starts_from_form_feeds(text), sha256=sha,
                  encoding=enc, path=str(p))


def source_from_text(text: str, doc: str = "text") -> Source:
    text = normalise_newlines(text)
    sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return Source(doc=doc, text=text, page_starts=page_starts_from_form_feeds(text), sha256=sha)
