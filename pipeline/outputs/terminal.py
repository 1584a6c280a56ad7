"""Text bound for a terminal, made safe: what a document or a file name holds is shown, never obeyed.

An escape sequence inside a brochure's text or an input's name (``ESC[2J`` clears the screen, OSC 52
writes the clipboard) would otherwise reach the terminal through ``pipeline diff`` or the progress
lines. Control characters (C0 but tab and line feed, DEL, C1) and the bidirectional overrides that
reorder what follows them are written as visible escapes (``\\x1b``, ``\\u202e``) instead.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _visible(m: re.Match[str]) -> str:
    code = ord(m.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every character that could drive or reorder a terminal shown as an escape."""
    return _UNSAFE.sub(_visible, text)
