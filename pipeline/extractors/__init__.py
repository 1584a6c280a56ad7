"""Extractors: one per kind of thing found in running text (numbers, names)."""
