"""Limits on what one input may cost: a small file must not take gigabytes or minutes to read.

A PDF can be a bomb: a few kilobytes that inflate to a gigabyte stream (compressed twice), or that draw
millions of glyphs. Each limit below ends such an input with one line naming the file, the limit and
how to raise it, before the memory is spent:

=====================  =========================================================  ================
name                   what is counted                                           default
=====================  =========================================================  ================
``input_bytes``        size of the input file                                    512 MB
``stream_bytes``       one PDF stream once decompressed (each filter, Flate)     128 MB
``pages``              pages of a PDF                                            5,000
``glyphs_per_page``    glyphs drawn on one PDF page                              200,000
``chars``              characters of one document (text read, or PDF glyphs)     200,000,000
=====================  =========================================================  ================

They are set per run with ``pipeline run --limit NAME=VALUE`` (repeatable), or the environment
variable ``PIPELINE_LIMITS="name=value,name=value"``, which worker processes inherit; values take the
suffixes ``K``, ``M`` and ``G`` (powers of 1000). ``0`` means no limit.

The PDF limits are enforced inside pdfminer while it parses (:func:`pdf_guard`), by wrapping its
inflater, its page iterator and its glyph callback for the duration of one read. The wrapping is
process-wide, so two PDFs read at once in threads of one process share it (each counts its own glyphs).
"""

from __future__ import annotations

import contextlib
import os
import threading
import types
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, fields, replace
from typing import Any

from pipeline.core.source import IngestError

ENV = "PIPELINE_LIMITS"
_SUFFIX = {"K": 10**3, "M": 10**6, "G": 10**9}


class LimitError(IngestError):
    """An input over one of the limits; the message names the file, the limit and how to raise it."""


@dataclass(frozen=True)
class Limits:
    """What one input may cost (0: unlimited)."""

    input_bytes: int = 512 * 10**6
    stream_bytes: int = 128 * 10**6
    pages: int = 5_000
    glyphs_per_page: int = 200_000
    chars: int = 200 * 10**6


def parse_size(text: str) -> int:
    """``"256M"`` -> 256000000; plain digits, with an optional K/M/G suffix (powers of 1000)."""
    t = text.strip().upper().replace("_", "")
    factor = _SUFFIX.get(t[-1:], 1)
    digits = t[:-1] if t[-1:] in _SUFFIX else t
    if not digits.isdigit():
        raise ValueError(f"not a size: {text!r} (digits with an optional K, M or G)")
    return int(digits) * factor


def parse_limits(spec: str, base: Limits | None = None) -> Limits:
    """``"pages=100,glyphs_per_page=50K"`` applied over ``base`` (default limits)."""
    names = {f.name for f in fields(Limits)}
    changes: dict[str, int] = {}
    for item in filter(None, (s.strip() for s in spec.split(","))):
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or name not in names:
            raise ValueError(f"unknown limit {item!r}; expected NAME=VALUE with NAME one of {', '.join(sorted(names))}")
        changes[name] = parse_size(value)
    return replace(base or Limits(), **changes)


def current() -> Limits:
    """The limits in force: the defaults, with ``PIPELINE_LIMITS`` applied."""
    try:
        return parse_limits(os.environ.get(ENV, ""))
    except ValueError as e:
        raise IngestError(f"{ENV}: {e}") from None


def name_of(n: int) -> str:
    """A size for people: 256000000 -> '256M'."""
    for suffix, factor in (("G", 10**9), ("M", 10**6), ("K", 10**3)):
        if n >= factor and n % factor == 0:
            return f"{n // factor}{suffix}"
    return f"{n:,}"


def refuse(name: str, limit_name: str, what: str, limit: int) -> LimitError:
    """The one-line error for ``name`` going over ``limit_name``."""
    return LimitError(f"{name}: {what} (the {limit_name} limit is {name_of(limit)}; "
                      f"raise it with --limit {limit_name}=N, 0 for none)")


def check_input_bytes(name: str, size: int, limits: Limits) -> None:
    """Refuse a file larger than ``input_bytes`` before it is read."""
    if limits.input_bytes and size > limits.input_bytes:
        raise refuse(name, "input_bytes", f"too large: {size:,} bytes", limits.input_bytes)


def check_chars(name: str, chars: int, limits: Limits) -> None:
    """Refuse a decoded document longer than ``chars``."""
    if limits.chars and chars > limits.chars:
        raise refuse(name, "chars", f"too long: {chars:,} characters", limits.chars)


# -- inside pdfminer ---------------------------------------------------------------------------


class _Guard(threading.local):
    """What the read in progress (in this thread) has counted, and the first limit it went over."""

    def __init__(self) -> None:
        self.active: tuple[str, Limits] | None = None
        self.error: LimitError | None = None
        self.pages = 0
        self.chars = 0
        self.page_glyphs: dict[int, int] = {}


_GUARD = _Guard()
_LOCK = threading.Lock()
_installed = 0


def _trip(limit_name: str, what: str, limit: int) -> LimitError:
    name = _GUARD.active[0] if _GUARD.active else "PDF"
    err = refuse(name, limit_name, what, limit)
    if _GUARD.error is None:
        _GUARD.error = err
    return err


class _BoundedInflater:
    """``zlib.decompressobj()`` that refuses to produce more than ``stream_bytes`` in all."""

    def __init__(self, limit: int, *args: Any) -> None:
        self._d = zlib.decompressobj(*args)
        self._limit, self._out = limit, 0

    def _count(self, data: bytes) -> bytes:
        self._out += len(data)
        if self._limit and self._out > self._limit:
            raise _trip("stream_bytes", f"a stream inflates past {name_of(self._limit)} bytes (a PDF bomb?)",
                        self._limit)
        return data

    def decompress(self, data: bytes, max_length: int = 0) -> bytes:
        room = self._limit - self._out + 1 if self._limit else 0
        if room and (not max_length or max_length > room):
            max_length = room  # never inflate more than one byte past the limit
        return self._count(self._d.decompress(data, max_length))

    def flush(self, *args: Any) -> bytes:
        return self._count(self._d.flush(*args))

    def __getattr__(self, name: str) -> Any:
        return getattr(self._d, name)


def _bounded_zlib() -> types.ModuleType:
    """A stand-in for the ``zlib`` module pdfminer inflates streams with, bounded by the active limit."""
    shim = types.ModuleType("zlib")
    shim.__dict__.update({k: v for k, v in vars(zlib).items() if not k.startswith("__")})

    def limit() -> int:
        return _GUARD.active[1].stream_bytes if _GUARD.active else 0

    def decompressobj(*args: Any) -> _BoundedInflater:
        return _BoundedInflater(limit(), *args)

    def decompress(data: bytes, *args: Any) -> bytes:
        if not _GUARD.active:
            return zlib.decompress(data, *args)
        d = _BoundedInflater(limit(), *args[:1])
        out = d.decompress(data)
        while d.unconsumed_tail and not d.eof:
            out += d.decompress(d.unconsumed_tail)
        if not d.eof:  # as zlib.decompress does, so pdfminer's fallback for damaged streams still runs
            raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
        return out + d.flush()

    shim.decompressobj = decompressobj  # type: ignore[attr-defined]
    shim.decompress = decompress  # type: ignore[attr-defined]
    return shim


def _install() -> None:
    """Wrap pdfminer's inflater, page iterator and glyph callback (once per process)."""
    from pdfminer import pdftypes
    from pdfminer.converter import PDFLayoutAnalyzer
    from pdfminer.pdfpage import PDFPage

    pdftypes.zlib = _bounded_zlib()  # type: ignore[attr-defined]

    create_pages = PDFPage.create_pages.__func__  # type: ignore[attr-defined]

    def counted_pages(cls: type, document: Any) -> Iterator[Any]:
        for page in create_pages(cls, document):
            if _GUARD.active:
                _GUARD.pages += 1
                limit = _GUARD.active[1].pages
                if limit and _GUARD.pages > limit:
                    raise _trip("pages", f"more than {limit:,} pages", limit)
            yield page

    PDFPage.create_pages = classmethod(counted_pages)  # type: ignore[method-assign,assignment]

    render_char = PDFLayoutAnalyzer.render_char

    def counted_render_char(self: Any, *args: Any, **kwargs: Any) -> Any:
        if _GUARD.active:
            _, limits = _GUARD.active
            n = _GUARD.page_glyphs.get(id(self), 0) + 1
            _GUARD.page_glyphs[id(self)] = n
            _GUARD.chars += 1
            if limits.glyphs_per_page and n > limits.glyphs_per_page:
                raise _trip("glyphs_per_page", f"a page draws more than {limits.glyphs_per_page:,} glyphs",
                            limits.glyphs_per_page)
            if limits.chars and _GUARD.chars > limits.chars:
                raise _trip("chars", f"more than {limits.chars:,} glyphs in all", limits.chars)
        return render_char(self, *args, **kwargs)

    PDFLayoutAnalyzer.render_char = counted_render_char  # type: ignore[method-assign]


@contextlib.contextmanager
def pdf_guard(name: str, size: int, limits: Limits | None = None) -> Iterator[None]:
    """Read one PDF (``name``, ``size`` bytes) under the limits.

    Whatever error pdfminer or the reader raises once a limit was crossed (pdfplumber wraps exceptions,
    the reader turns them into "corrupt PDF" messages), what leaves this block is the limit's own
    one-line :class:`LimitError`.
    """
    global _installed
    limits = limits or current()
    check_input_bytes(name, size, limits)
    with _LOCK:
        if not _installed:
            _install()
            _installed = 1
    _GUARD.active, _GUARD.error, _GUARD.pages, _GUARD.chars = (name, limits), None, 0, 0
    _GUARD.page_glyphs = {}
    try:
        yield
    except Exception as e:
        if _GUARD.error is not None:
            raise _GUARD.error from e
        raise
    finally:
        _GUARD.active = None
        _GUARD.page_glyphs = {}
