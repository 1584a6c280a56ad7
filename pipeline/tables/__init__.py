"""Table builders: one module per table, each reading the Document and adding rows and mentions."""
