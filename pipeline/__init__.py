"""Document extraction pipeline for Japanese regional-innovation brochures.

``pipeline.extract(path_or_text)`` runs every stage and returns a :class:`pipeline.core.result.Result`
whose ``.tables`` maps each table name to a pandas DataFrame and whose ``.source`` is the text that
every offset points into.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipeline.core.version import __version__

if TYPE_CHECKING:
    from pathlib import Path

    from pipeline.core.result import Result


def extract(path_or_text: str | Path, rules_dir: str | Path | None = None, doc: str | None = None,
            ocr: bool = False) -> Result:
    """Extract every table from a file path (.txt/.pdf) or from the text itself.

    With ``ocr``, PDF pages without a usable text layer are read by Tesseract.
    """
    from pipeline.engine import extract as _extract

    return _extract(path_or_text, rules_dir=rules_dir, doc=doc, ocr=ocr)


def extract_text(text: str, rules_dir: str | Path | None = None, doc: str = "text") -> Result:
    """Extract every table from the text itself; unlike ``extract``, a one-line string is never a path."""
    from pipeline.engine import extract_text as _extract_text

    return _extract_text(text, rules_dir=rules_dir, doc=doc)


__all__ = ["extract", "extract_text", "__version__"]
