"""The pipeline's version, recorded in every output folder's provenance (kept below everything that reads it)."""

__version__ = "0.1.0"
