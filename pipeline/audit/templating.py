"""The Jinja2 environment of the audit pages (report, diff): templates, escaping and value filters.

Every page is a template under ``pipeline/audit/templates/`` rendered with autoescaping on, so a value
from a document can never become markup. On top of escaping, every ``{{ value }}`` passes through
:func:`neutralise_bidi`: a bidirectional control (U+202E and its kin) in a brochure would otherwise
reorder what a person reads on the page (an amount or a name shown backwards), so it is shown as its
code point instead.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined
from markupsafe import Markup

# Bidirectional formatting characters: marks, embeddings, overrides and isolates (Unicode UAX #9).
BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")

OKU = 100_000_000
MAN = 10_000


def neutralise_bidi(text: str) -> str:
    """``text`` with every bidirectional control replaced by a visible ``[U+202E]``."""
    return BIDI_CONTROLS.sub(lambda m: f"[U+{ord(m.group()):04X}]", text)


def _finalize(value: Any) -> Any:
    # Markup was built from already neutralised parts (the charts' SVG); everything else is data.
    if value is None:
        return ""
    if isinstance(value, Markup):
        return value
    if isinstance(value, str):
        return neutralise_bidi(value)
    return value


def format_yen(amount: int) -> str:
    """An amount of yen as a person reads it: ``134億円``, ``12億5,000万円``, ``4,500万円``, ``1,234円``."""
    sign, n = ("−", -amount) if amount < 0 else ("", amount)
    oku, rest = divmod(n, OKU)
    man, yen = divmod(rest, MAN)
    parts = [f"{oku:,}億" if oku else "", f"{man:,}万" if man else "", f"{yen:,}" if yen else ""]
    text = "".join(parts)
    return f"{sign}{text or '0'}円"


def exact_yen(amount: int) -> str:
    """The exact amount with separators, ``13,400,000,000円`` (shown on hover)."""
    return f"{amount:,}円"


@functools.cache
def environment() -> Environment:
    """The shared environment: package templates, autoescaping, bidi controls neutralised, strict names."""
    env = Environment(
        loader=PackageLoader("pipeline.audit", "templates"),
        autoescape=True,
        finalize=_finalize,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["yen"] = format_yen
    env.filters["exact_yen"] = exact_yen
    return env


def render(template: str, **context: Any) -> str:
    """Render one template of ``pipeline/audit/templates/`` with ``context``."""
    return environment().get_template(template).render(**context)
