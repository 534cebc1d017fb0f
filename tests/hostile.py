"""A data folder whose text cells carry HTML, script, markdown, formula, bidi and very long payloads.

Every table stays valid (payloads sit only in free-text cells and in an extra column), so the
dashboard serves them: a test then checks that they show up as inert text.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from dashboard import kinds
from dashboard.schema import TABLES, TableSpec

MARK = "__xss"
PAYLOADS = (
    f"<script>window.{MARK}=1;alert('script')</script>",
    f"<img src=x onerror=\"window.{MARK}=1;alert('img')\">",
    "javascript:alert('js-text')",
    "[click me](javascript:alert('md-link'))",
    "[evil link](https://evil.example/phish)",
    "![tracker](https://evil.example/pixel.png)",
    '<a href="https://evil.example/a">anchor</a><b onmouseover=alert(1)>bold</b>',
    "**bold** _it_ :red[red] $x^2$ :material/warning: <br> &lt;",
    "\u202eRTL override\u202c, zero\u200bwidth\u200d and \u2066isolate\u2069",
    '=HYPERLINK("https://evil.example","click")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A2)",
    "long " + "x" * 1900,
)
FORMULAS = tuple(p for p in PAYLOADS if p[0] in "=+-@")
EXTRA_COLUMN = "<img src=x onerror=\"alert('header')\">"


def text_limit(spec: TableSpec, name: str) -> int:
    return next(int(c.statistics["max_value"]) for c in spec.columns[name].checks if c.name == "str_length")


def text_columns(spec: TableSpec) -> dict[str, int]:
    """The free-text columns of a table where a payload may go without breaking a rule, with their
    length limits: text and label kinds that no pattern, reference or key constrains."""
    constrained = {ref.column for ref in spec.references} | {spec.key[0]}  # the first key column gets its own
    found: dict[str, int] = {}
    for name, column in spec.columns.items():
        if spec.kind(name) not in (kinds.TEXT, kinds.LABEL) or name in constrained:
            continue
        if any(check.name == "str_matches" for check in column.checks):
            continue
        found[name] = text_limit(spec, name)
    return found


TEXT_COLUMNS = {spec.name: text_columns(spec) for spec in TABLES}
"""Derived from the declarations: a new table or column is covered without an edit here."""


def write_hostile(source: Path, target: Path) -> Path:
    shutil.copytree(source, target)
    for spec in TABLES:
        path = target / spec.file
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            rows = list(reader)
            header = list(reader.fieldnames or [])
        added = [_hostile_row(spec, rows[0], i) for i in range(len(PAYLOADS))]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=[*header, EXTRA_COLUMN])
            writer.writeheader()
            for i, row in enumerate(rows + added):
                writer.writerow(row | {EXTRA_COLUMN: PAYLOADS[i % len(PAYLOADS)]})
    return target


def _hostile_row(spec: TableSpec, template: dict[str, str], i: int) -> dict[str, str]:
    row = dict(template)
    for j, (column, limit) in enumerate(TEXT_COLUMNS[spec.name].items()):
        row[column] = PAYLOADS[(i + j) % len(PAYLOADS)][:limit]
    key = spec.key[0]
    referencing = {ref.column for ref in spec.references}
    for name in spec.columns:  # another id column unique in its table (side effects' effect_id)
        if name != key and name not in referencing and spec.kind(name) == kinds.IDENTIFIER and row.get(name):
            row[name] = f"hostile-{name.replace('_', '-')}-{i}"
    if spec.kind(key) == kinds.IDENTIFIER:  # ids follow a pattern: a plain one that every id rule accepts
        row[key] = f"hostile-{i}"
    else:  # a text key carries a payload too, cut to its limit, and stays unique by its number
        limit = text_limit(spec, key)
        row[key] = (PAYLOADS[i] if limit >= 200 else PAYLOADS[i][:60]) + f" #{i}"
        row[key] = row[key][-limit:]
    return row
