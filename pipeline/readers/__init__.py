"""The reader registry: which module turns which input file into a ``Source``.

A reader is declared once with its name, the file suffixes it reads and, where a file may carry the
wrong suffix, the magic bytes its format starts with (a ``.txt`` that is really a PDF is read as a
PDF). :func:`read_source` picks the reader, reads the bytes and fills in the doc id, sha256 and path;
``pipeline.extract``, ``pipeline run``'s folder discovery and ``pipeline check`` all ask this module,
so an unknown format fails everywhere with one line naming the file and the supported formats.

A reader's ``read(path, data)`` takes the file's bytes (``path`` only names it in messages) and
returns a ``Source`` or raises ``IngestError``. It may be given as ``"module:function"`` so the
module (and its libraries: pdfplumber for PDFs) is imported only when a file of that kind is read.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from pipeline.core.source import IngestError, Source

ReadFunction = Callable[[Path, bytes], Source]


@dataclass(frozen=True)
class Reader:
    """One input format: the suffixes it owns, its magic bytes, and the function that reads it."""

    name: str
    suffixes: tuple[str, ...]  # lower case, with the dot
    read: ReadFunction | str  # the function, or "module:function" imported on first use
    magic: tuple[bytes, ...] = ()  # a file starting with one of these is this format whatever its suffix

    def load(self) -> ReadFunction:
        """The read function (imported now when it was given by name)."""
        if callable(self.read):
            return self.read
        module, _, attr = self.read.partition(":")
        return getattr(importlib.import_module(module), attr)


READERS: dict[str, Reader] = {}


def register_reader(reader: Reader) -> Reader:
    """Add ``reader``; its name and suffixes must be new."""
    if reader.name in READERS:
        raise ValueError(f"reader {reader.name!r} is already registered")
    bad = [s for s in reader.suffixes if not s.startswith(".") or s != s.lower()]
    if bad:
        raise ValueError(f"reader {reader.name!r}: suffixes must be lower case and start with '.': {bad}")
    taken = [s for s in reader.suffixes if reader_for_suffix(s) is not None]
    if taken:
        raise ValueError(f"reader {reader.name!r}: suffix(es) {taken} already have a reader")
    READERS[reader.name] = reader
    return reader


def unregister_reader(name: str) -> None:
    """Remove a registered reader (a test's or a plug-in's)."""
    READERS.pop(name, None)


def supported_suffixes() -> tuple[str, ...]:
    """Every suffix some reader reads, in registration order."""
    return tuple(s for r in READERS.values() for s in r.suffixes)


def describe_formats() -> str:
    """The supported formats for a message: ``.txt (text), .pdf (pdf)``."""
    return ", ".join(f"{s} ({r.name})" for r in READERS.values() for s in r.suffixes)


def reader_for_suffix(suffix: str) -> Reader | None:
    """The reader of files ending in ``suffix`` (any case), or None."""
    suffix = suffix.lower()
    return next((r for r in READERS.values() if suffix in r.suffixes), None)


def reader_for(path: Path, data: bytes) -> Reader:
    """The reader for a file: by its magic bytes first (a suffix can lie), then by its suffix."""
    head = data[:64]
    for r in READERS.values():
        if any(head.startswith(m) for m in r.magic):
            return r
    found = reader_for_suffix(path.suffix)
    if found is None:
        raise IngestError(f"{path}: unsupported file type {path.suffix or '(none)'}; supported: {describe_formats()}")
    return found


def is_supported(path: str | Path) -> bool:
    """True when a reader owns the path's suffix (the contents are not looked at)."""
    return reader_for_suffix(Path(path).suffix) is not None


_FILE_SUFFIX = re.compile(r"\.[A-Za-z][A-Za-z0-9]{0,4}")  # not ".5": a decimal ends many a line


def looks_like_path(text: str) -> bool:
    """True for a string that names a file rather than holding a document's text.

    One line without spaces, ending in a file suffix (``brochure.docx``), or naming an existing file.
    """
    if "\n" in text or len(text) >= 4096 or not text.strip():
        return False
    p = Path(text)
    if _FILE_SUFFIX.fullmatch(p.suffix) and p.stem and not any(c.isspace() for c in text):
        return True
    try:
        return p.is_file()
    except (OSError, ValueError):  # too long for a file name, or a NUL in it: text
        return False


def read_source(path: str | Path, doc: str | None = None) -> Source:
    """Read an input file with its reader into a ``Source``; raise ``IngestError`` naming the file."""
    from pipeline.readers import limits as lim

    p = Path(path)
    limits = lim.current()
    try:
        lim.check_input_bytes(str(p), p.stat().st_size, limits)  # before the bytes are read
        data = p.read_bytes()
    except OSError as e:
        if not is_supported(p):  # say what the formats are before saying the file is missing
            reader_for(p, b"")
        raise IngestError(f"{p}: cannot read ({e.strerror or e})") from e
    src = reader_for(p, data).load()(p, data)
    lim.check_chars(str(p), len(src.text), limits)
    src.doc, src.sha256, src.path = doc or p.stem, hashlib.sha256(data).hexdigest(), str(p)
    return src


# The built-in readers, imported when a file of theirs is first read.
register_reader(Reader("text", (".txt",), "pipeline.readers.ingest:read_text"))
register_reader(Reader("pdf", (".pdf",), "pipeline.readers.pdf:read_pdf", magic=(b"%PDF-",)))

__all__ = [
    "READERS", "IngestError", "Reader", "Source", "describe_formats", "is_supported", "looks_like_path", "read_source",
    "reader_for", "register_reader", "supported_suffixes", "unregister_reader",
]  # fmt: skip
