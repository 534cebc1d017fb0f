"""Command line: ``python -m dashboard validate [DIR]`` and helpers for the docs.

Examples:
  python -m dashboard validate            # the folder in DASHBOARD_DATA_DIR, else data/
  python -m dashboard validate my-csvs/   # an analyst's folder
  python -m dashboard schema              # the CSV schema as Markdown (README section)
  python -m dashboard datapackage > data/datapackage.json
  python -m dashboard readme README.md    # refresh the README's generated sections

Exit codes of validate: 0 every table valid, 1 problems found, 2 folder missing or unreadable.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard.catalog import load_catalog
from dashboard.describe import datapackage_json, markdown, update_readme
from dashboard.settings import Settings

EXIT_OK, EXIT_INVALID, EXIT_NO_FOLDER, EXIT_INTERNAL = 0, 1, 2, 3


def validate(folder: Path) -> int:
    if not folder.is_dir():
        print(f"error: {folder} is not a folder", file=sys.stderr)
        return EXIT_NO_FOLDER
    if not os.access(folder, os.R_OK | os.X_OK):
        print(f"error: {folder} cannot be read", file=sys.stderr)
        return EXIT_NO_FOLDER
    catalog = load_catalog(folder)
    problems = catalog.problems
    for problem in problems:
        print(problem)
    files = len({p.file for p in problems})
    total = len(catalog.tables)
    if problems:
        print(f"{len(problems)} problem(s) in {files} of {total} tables in {folder}")
        return EXIT_INVALID
    rows = sum(state.rows for state in catalog.tables.values())
    print(f"ok: {total} tables, {rows} rows, all valid in {folder}")
    return EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m dashboard",
        description="Check and describe the dashboard's CSV tables.",
        epilog=__doc__.split("\n\n", 1)[1],
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True)
    check = commands.add_parser("validate", help="check every table in a folder; one line per problem")
    check.add_argument(
        "folder", nargs="?", type=Path, help="folder of CSV files (default: DASHBOARD_DATA_DIR or data/)"
    )
    commands.add_parser("schema", help="print the CSV schema as Markdown")
    commands.add_parser("datapackage", help="print the Frictionless datapackage.json derived from the schema")
    readme = commands.add_parser("readme", help="rewrite the generated sections of a README in place")
    readme.add_argument("path", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.folder or Settings.from_env().data_dir)
        if args.command == "readme":
            args.path.write_text(update_readme(args.path.read_text(encoding="utf-8")), encoding="utf-8")
            return EXIT_OK
        sys.stdout.write(markdown() if args.command == "schema" else datapackage_json())
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - the promise is: no traceback for any input
        print(f"internal error: {type(err).__name__}; please report it with the file that caused it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
