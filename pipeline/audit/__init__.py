"""Audit tools over output folders: golden check, edition diff, HTML report."""
