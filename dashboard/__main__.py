"""Command line: ``python -m dashboard validate [DIR]`` and helpers for the docs.

Examples:
  python -m dashboard validate            # the folder in DASHBOARD_DATA_DIR, else data/
  python -m dashboard validate my-csvs/   # an analyst's folder
  python -m dashboard diff data/ my-csvs/ # what swapping my-csvs/ in would change, row by row
  python -m dashboard diff old/side_effects.csv new/side_effects.csv --format markdown
  python -m dashboard schema              # the CSV schema as Markdown (README section)
  python -m dashboard datapackage data > data/datapackage.json
  python -m dashboard readme README.md    # refresh the README's generated sections
  python -m dashboard bake site/          # the plain-language public pages, robots.txt and sitemap.xml
  python -m dashboard swap my-csvs/ live  # serve my-csvs/ through the link live, in one step
  python -m dashboard template side_effects > side_effects.csv   # header and one example row

Exit codes of validate: 0 every table valid (warnings, such as an optional column left out, are
printed), 1 any problem, 2 the folder or a table's file cannot be read.
Exit codes of bake: 0 site written, 1 a table the pages need is invalid (nothing written),
2 the data folder or the output folder cannot be used.
Exit codes of diff: 0 the same data, 1 differences, 2 either side missing, unreadable or invalid.
Exit codes of swap: 0 swapped, 1 the new set has problems (nothing changed), 2 a folder or the link
cannot be used.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from dashboard import diff as diffs
from dashboard.catalog import load_catalog
from dashboard.csvio import read_csv_file
from dashboard.describe import datapackage_json, markdown, update_readme
from dashboard.schema import BY_FILE, TABLES
from dashboard.settings import Settings
from dashboard.validate import check_table

EXIT_OK, EXIT_INVALID, EXIT_NO_FOLDER, EXIT_INTERNAL = 0, 1, 2, 3


def _unreadable(folder: Path) -> list[str]:
    """Tables' files that are there but cannot be read at all (permissions, a folder in their place)."""
    found = []
    for spec in TABLES:
        path = folder / spec.file
        if path.exists() and (not path.is_file() or not os.access(path, os.R_OK)):
            found.append(f"error: {path} cannot be read")
    return found


def validate(folder: Path) -> int:
    """Exit 0: valid (warnings are printed); 1: any error; 2: the folder or a file cannot be read."""
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
    for note in catalog.notes:
        print(f"warning: {note}")
    warned = f" ({len(catalog.notes)} warning(s) above)" if catalog.notes else ""
    files = len({p.file for p in problems})
    total = len(catalog.tables)
    unreadable = _unreadable(folder)
    for line in unreadable:
        print(line, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) in {files} of {total} tables in {folder}{warned}")
        return EXIT_NO_FOLDER if unreadable else EXIT_INVALID
    rows = sum(state.rows for state in catalog.tables.values())
    print(f"ok: {total} tables, {rows} rows, all valid in {folder}{warned}")
    return EXIT_OK


FORMATS = {"text": diffs.as_text, "markdown": diffs.as_markdown, "json": diffs.as_json}


def _frames(path: Path) -> tuple[dict[str, object] | None, list[str]]:
    """The tables of a folder, or of one CSV file named like a table, if valid; else the problems."""
    if path.is_dir():
        catalog = load_catalog(path)
        problems = [str(p) for p in catalog.problems]
        return (None, problems) if problems else ({n: s.frame for n, s in catalog.tables.items()}, [])
    if not path.is_file():
        return None, [f"{path}: not a file or folder"]
    spec = BY_FILE.get(path.name)
    if spec is None:
        return None, [f"{path}: not a table's file name ({', '.join(BY_FILE)})"]
    checked = check_table(spec, read_csv_file(path, spec.kinds()))
    problems = [str(p) for p in checked.problems]
    return (None, problems) if problems else ({spec.name: checked.frame}, [])


def diff(old: Path, new: Path, form: str) -> int:
    before, old_problems = _frames(old)
    after, new_problems = _frames(new)
    for side, problems in ((old, old_problems), (new, new_problems)):
        for problem in problems:
            print(f"{side}: {problem}", file=sys.stderr)
    if before is None or after is None:
        print("error: both sides must be readable and valid to compare them", file=sys.stderr)
        return EXIT_NO_FOLDER
    if before.keys() != after.keys():
        print("error: compare two folders, or two files of the same table", file=sys.stderr)
        return EXIT_NO_FOLDER
    found = [diffs.diff_frames(spec, before[spec.name], after[spec.name]) for spec in TABLES if spec.name in before]
    sys.stdout.write(FORMATS[form](found))
    same = all(d.same for d in found)
    if form == "text" and same:
        print("same data: no row added, removed or changed")
    return EXIT_OK if same else EXIT_INVALID


def swap_in(new: Path, link: Path) -> int:
    """Validate ``new`` (completed from the served version) as one set, then serve it in one step."""
    from dashboard.swap import SwapError, swap

    if not new.is_dir() or not os.access(new, os.R_OK | os.X_OK):
        print(f"error: {new} is not a readable folder", file=sys.stderr)
        return EXIT_NO_FOLDER
    before = load_catalog(link) if link.exists() else None
    try:
        done = swap(new, link)
    except (SwapError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return EXIT_NO_FOLDER
    for problem in done.problems:
        print(problem)
    for note in done.notes:
        print(f"warning: {note}")
    if done.kept:
        print(f"kept from the data served now (not in {new}): {', '.join(done.kept)}")
    if done.ignored:
        print(f"not copied (not a table's file): {', '.join(done.ignored)}")
    if done.version is None or done.catalog is None:
        files = len({p.file for p in done.problems})
        print(f"{len(done.problems)} problem(s) in {files} file(s): nothing swapped, {link} serves what it served")
        return EXIT_INVALID
    changed = [
        state.spec.file
        for name, state in done.catalog.tables.items()
        if before is None or before.tables[name].version != state.version
    ]
    rows = sum(state.rows for state in done.catalog.tables.values())
    print(f"swapped: {link} now serves {done.version.name} ({len(done.catalog.tables)} tables, {rows} rows)")
    if before is None:
        print(f"first version of {link}: point DASHBOARD_DATA_DIR at it")
    else:
        print(f"changed: {', '.join(changed) if changed else 'no table'}")
    return EXIT_OK


def template(name: str, data: Path) -> int:
    """Print a table's template: its header and one example row from the served data."""
    from dashboard.describe import template_frame
    from dashboard.export import to_csv_bytes
    from dashboard.schema import BY_NAME

    spec = BY_NAME.get(name.removesuffix(".csv"))
    if spec is None:
        print(f"error: no table {name!r}; the tables are: {', '.join(BY_NAME)}", file=sys.stderr)
        return EXIT_NO_FOLDER
    frame = None
    if (data / spec.file).is_file():
        checked = check_table(spec, read_csv_file(data / spec.file, spec.kinds()))
        frame = None if checked.problems else checked.frame
    sys.stdout.flush()
    sys.stdout.buffer.write(to_csv_bytes(template_frame(spec, frame)))
    return EXIT_OK


BAKE_NEEDS = ("outcomes", "side_effects", "sources", "studies", "claims", "dosing_regimens", "precautions")


def bake(out: Path, data: Path) -> int:
    from dashboard.bake.site import bake as bake_site  # Jinja2 is only needed here

    if not data.is_dir() or not os.access(data, os.R_OK | os.X_OK):
        print(f"error: {data} is not a readable folder", file=sys.stderr)
        return EXIT_NO_FOLDER
    if out.exists() and not out.is_dir():
        print(f"error: {out} exists and is not a folder", file=sys.stderr)
        return EXIT_NO_FOLDER
    catalog = load_catalog(data)
    broken = [p for p in catalog.problems if p.file.removesuffix(".csv") in BAKE_NEEDS]
    for problem in broken:
        print(problem, file=sys.stderr)
    if broken:
        print(f"error: {len(broken)} problem(s) in the tables the pages need; nothing written", file=sys.stderr)
        return EXIT_INVALID
    try:
        written = bake_site(catalog, out, Settings.from_env())
    except OSError as err:
        print(f"error: cannot write to {out}: {err.strerror}", file=sys.stderr)
        return EXIT_NO_FOLDER
    print(f"ok: {len(written)} files written to {out} (data version {catalog.version}, evidence as of {catalog.as_of})")
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
    compare = commands.add_parser(
        "diff", help="what changed between two folders (or two files of one table), row by row on each key"
    )
    compare.add_argument("old", type=Path, help="the folder (or CSV file) as it is now")
    compare.add_argument("new", type=Path, help="the folder (or CSV file) to compare it with")
    compare.add_argument("--format", choices=sorted(FORMATS), default="text", help="output format (default: text)")
    commands.add_parser("schema", help="print the CSV schema as Markdown")
    package = commands.add_parser(
        "datapackage",
        help="print the Frictionless datapackage.json of a folder (the schema, each file's hash and size)",
    )
    package.add_argument("folder", nargs="?", type=Path, help="folder of CSV files (default: data/)")
    site = commands.add_parser("bake", help="write the plain-language public pages (HTML, robots.txt, sitemap.xml)")
    site.add_argument("out", type=Path, help="output folder (created if missing)")
    site.add_argument(
        "--data", type=Path, help="folder of CSV files (default: DASHBOARD_DATA_DIR or data/)", default=None
    )
    swapping = commands.add_parser(
        "swap",
        help="serve a new folder of tables in one step: validated as one set, then a link is switched over",
    )
    swapping.add_argument("new", type=Path, help="folder of the new CSV files (tables left out stay as served)")
    swapping.add_argument(
        "link", nargs="?", type=Path, help="the app's data link (default: DASHBOARD_DATA_DIR); created if missing"
    )
    empty = commands.add_parser("template", help="print a table's CSV template: the header and one example row")
    empty.add_argument("table", help="the table's name, e.g. side_effects")
    empty.add_argument("--data", type=Path, default=None, help="where the example row comes from (default: data/)")
    readme = commands.add_parser("readme", help="rewrite the generated sections of a README in place")
    readme.add_argument("path", type=Path)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    sys.stdout.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    logging.getLogger("dashboard.catalog").setLevel(logging.ERROR)  # the commands print the problems themselves
    args = _parser().parse_args(argv)
    try:
        if args.command == "validate":
            return validate(args.folder or Settings.from_env().data_dir)
        if args.command == "diff":
            return diff(args.old, args.new, args.format)
        if args.command == "bake":
            return bake(args.out, args.data or Settings.from_env().data_dir)
        if args.command == "swap":
            return swap_in(args.new, args.link or Settings.from_env().data_dir)
        if args.command == "template":
            return template(args.table, args.data or Settings.from_env().data_dir)
        if args.command == "readme":
            args.path.write_text(update_readme(args.path.read_text(encoding="utf-8")), encoding="utf-8")
            return EXIT_OK
        if args.command == "datapackage":
            sys.stdout.write(datapackage_json(args.folder) if args.folder else datapackage_json())
            return EXIT_OK
        sys.stdout.write(markdown())
        return EXIT_OK
    except Exception as err:  # noqa: BLE001 - the promise is: no traceback for any input
        print(f"internal error: {type(err).__name__}; please report it with the file that caused it", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
