"""Command line: the only module that touches argv.

Heavy libraries (spaCy, pandas, SQLAlchemy) are imported inside the commands, so ``pipeline --help``
answers at once.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

COMMANDS = {
    "run": "pipeline.batch.runner",
    "check": "pipeline.audit.check",
    "diff": "pipeline.audit.diff_format",
    # History folders to their own tables, document folders on to pipeline.outputs.load.
    "load": "pipeline.history.load",
    "report": "pipeline.audit.report",
    "export": "pipeline.outputs.export",
    "history": "pipeline.history",
}


RULES_HELP = "rules folder (default $PIPELINE_RULES, else the rules installed with the pipeline)"


def build_parser() -> argparse.ArgumentParser:
    from pipeline import __version__

    p = argparse.ArgumentParser(
        prog="pipeline",
        description="Extract traceable tables from Japanese regional-innovation brochures.",
    )
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--debug", action="store_true", help="show tracebacks and debug logging")
    # The same global options after the subcommand (`pipeline run --debug`); SUPPRESS keeps a
    # subcommand that does not repeat them from resetting what was given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS)
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, parents=[common])

    run = add("run", "extract inputs into DIR/<doc>/")
    run.add_argument("inputs", nargs="*", metavar="INPUT", help=".txt/.pdf files or folders (default raw/)")
    run.add_argument("--out", default="extracted", metavar="DIR", help="output folder (default extracted/)")
    run.add_argument("--rules", metavar="DIR", help=RULES_HELP)
    run.add_argument("--jobs", type=int, default=1, metavar="N", help="documents in parallel (default 1)")
    run.add_argument("--force", action="store_true", help="rerun documents whose inputs are unchanged")
    run.add_argument("--executor", choices=("local", "dask"), default="local", help="where to run documents")
    run.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler address (with --executor dask)")
    run.add_argument("--quiet", action="store_true", help="no progress on stderr")
    run.add_argument("--ocr", action="store_true",
                     help="read PDF pages without a usable text layer, and pictures of text (a table pasted as an "
                          "image) on other pages, with Tesseract (jpn, jpn_vert)")
    run.add_argument("--limit", action="append", default=[], metavar="NAME=VALUE",
                     help="raise or lower an input limit (input_bytes, stream_bytes, pages, glyphs_per_page, "
                          "chars; K/M/G suffixes, 0 for none); repeatable")

    check = add("check", "rerun inputs and compare with the golden tables")
    check.add_argument("docs", nargs="*", metavar="DOC", help="document ids or input files (default all golden)")
    check.add_argument("--golden", default="tests/golden", metavar="DIR", help="golden folder")
    check.add_argument("--raw", default="raw", metavar="DIR", help="where the inputs are (default raw/)")
    check.add_argument("--rules", metavar="DIR", help=RULES_HELP)
    check.add_argument("--update", action="store_true", help="accept the current output as golden")

    diff = add("diff", "audit the difference between two output folders")
    diff.add_argument("old", metavar="OLD")
    diff.add_argument("new", metavar="NEW")
    diff.add_argument("--format", choices=("text", "json", "html"), default="text")
    diff.add_argument("--exit-code", action="store_true", help="exit 1 when they differ")

    load = add("load", "load output folders into a database")
    load.add_argument("dirs", nargs="*", metavar="DIR", help="output folders (default every doc in extracted/)")
    load.add_argument("--db", metavar="URL",
                      help="SQLAlchemy URL (default the SQLite file pipeline.sqlite in the first output folder)")

    report = add("report", "write DIR/report.html")
    report.add_argument("dir", metavar="DIR", help="one document's output folder")
    report.add_argument("--against", metavar="OLD", help="include the diff against this older output folder")

    export = add("export", "write output folders as Excel, Parquet, JSON or CSV")
    export.add_argument("dirs", nargs="+", metavar="DIR", help="output folders (document folders or folders of them)")
    export.add_argument("--format", choices=("xlsx", "parquet", "json", "csv"), required=True)
    export.add_argument("--out", metavar="DIR", help="where to write (default the first output folder)")
    export.add_argument("--bom", action="store_true", help="CSV: start with a UTF-8 byte order mark (for Excel)")

    history = add("history", "link several editions' outputs into one history")
    history.add_argument("dirs", nargs="+", metavar="DIR", help="output folders of editions (or folders of them)")
    history.add_argument("--out", default="history", metavar="DIR", help="history folder (default history/)")
    history.add_argument("--rules", metavar="DIR", help=RULES_HELP)
    history.add_argument("--report", action="store_true", help="also write DIR/report.html with charts")
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    try:
        ns = parser.parse_args(argv)
    except SystemExit as e:  # argparse exits 2 on usage errors, 0 on --help
        return int(e.code or 0)
    logging.basicConfig(
        level=logging.DEBUG if ns.debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    if not ns.debug:
        # pdfminer warns once per glyph run about fonts it reads anyway (a font descriptor with no FontBBox,
        # as Chromium writes them); what a font does to the text is screened and noted per page instead.
        logging.getLogger("pdfminer").setLevel(logging.ERROR)
    module = importlib.import_module(COMMANDS[ns.command])
    try:
        return int(module.command(ns))
    except KeyboardInterrupt:
        print("pipeline: interrupted", file=sys.stderr)
        return 130
    except Exception as e:  # one line for people; the traceback with --debug
        if ns.debug:
            raise
        from pipeline.outputs.terminal import terminal_safe

        print(terminal_safe(f"pipeline {ns.command}: error: {e}"), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
