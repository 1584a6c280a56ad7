"""Readers: bytes of a file (text in any Japanese encoding, PDF) to decoded text with pages."""
