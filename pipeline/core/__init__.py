"""Shared records every stage uses: the document, its result, the table schema and the rules."""
