"""A reader that exists only for tests: the "toy" format.

A toy file starts with the line ``TOYDOC``; its text follows, with pages separated by lines holding
only ``---``. Declared as a reader module of the package would be, and registered by
``tests/test_readers.py``; nothing else in the package names it.
"""

from __future__ import annotations

from pathlib import Path

from pipeline.core.source import IngestError, Source
from pipeline.readers import Reader

MAGIC = b"TOYDOC\n"


def read_toy(path: Path, data: bytes) -> Source:
    """A toy file's pages as one text, pages joined by form feeds."""
    if not data.startswith(MAGIC):
        raise IngestError(f"{path}: not a toy document (no TOYDOC line)")
    pages = data[len(MAGIC) :].decode("utf-8").split("\n---\n")
    text, starts = "", []
    for k, page in enumerate(pages):
        if k:
            text += "\f"
        starts.append(len(text))
        text += page
    return Source(doc="", text=text, page_starts=starts, encoding="toy")


READER = Reader("toy", (".toy",), read_toy, magic=(MAGIC,))
