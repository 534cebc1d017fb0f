"""Documentation derived from the schema: column descriptions, the README section and a
Frictionless ``datapackage.json``. Nothing here is hand-kept twice."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pandera.pandas as pa

from dashboard.kinds import ColumnKind
from dashboard.schema import BY_NAME, TABLES, TableSpec
from dashboard.schema.spec import PAGES_TARGET, Reference
from dashboard.settings import DEFAULT_DATA_DIR


def _number(value: float) -> str:
    """A limit as a reader writes it: 100,000,000 rather than 1e+08."""
    return f"{int(value):,}" if float(value).is_integer() else f"{value:g}"


def _check_rule(check: pa.Check, kind: ColumnKind) -> str | None:
    stats = check.statistics or {}
    if "allowed_values" in stats:
        return "one of: " + ", ".join(stats["allowed_values"])
    if check.name == "in_range":
        return f"{_number(stats['min_value'])} to {_number(stats['max_value'])}"
    if check.name == "greater_than_or_equal_to":
        return f"at least {_number(stats['min_value'])}"
    if check.name == "str_length" and stats.get("max_value"):
        return f"at most {stats['max_value']} characters"
    if check.name == "str_matches" and kind.rule is None:  # the kind's own rule says it better
        return str(check.error).removeprefix("must be ")
    return None


def _reference_rule(ref: Reference) -> str:
    if ref.table == PAGES_TARGET:
        return "the path of a page of the dashboard"
    return f"{ref.target} present in {ref.table}.csv"


def column_rule(column: pa.Column, references: Sequence[Reference] = ()) -> str:
    """The rule a cell must follow, in words: what the declaration and its checks enforce."""
    kind: ColumnKind = column.metadata["kind"]
    rules = [] if column.nullable else ["required"]
    rules += [rule for check in column.checks if (rule := _check_rule(check, kind)) is not None]
    if kind.rule:
        rules.append(kind.rule)
    rules += [_reference_rule(ref) for ref in references if ref.column == column.name and not kind.cites]
    if column.unique:
        rules.append("unique")
    return "; ".join(rules)


def column_rows(spec: TableSpec) -> list[dict[str, str]]:
    return [
        {
            "column": name,
            "type": spec.kind(name).words,
            "unit": str(col.metadata["unit"] or ""),
            "rule": column_rule(col, spec.references),
            "presence": "optional column" if not col.required else "required column",
            "description": str(col.description or ""),
        }
        for name, col in spec.columns.items()
    ]


def template_frame(spec: TableSpec, frame: pd.DataFrame | None) -> pd.DataFrame:
    """A template of a table: its declared columns in order, with the first served row as an example
    (just the header when the table is unavailable)."""
    columns = list(spec.columns)
    if frame is None or frame.empty:
        return pd.DataFrame(columns=columns)
    return frame.reindex(columns=columns).head(1)


def table_for_file(name: str) -> TableSpec | None:
    """The table a file is for, from its name: ``side_effects.csv``, ``side_effects-template.csv``,
    ``side_effects (2).csv`` or ``Side-Effects_edited.CSV`` (the longest table name it starts with)."""
    stem = name.rsplit("/", 1)[-1].lower().replace("-", "_").replace(" ", "_")
    stem = stem.removesuffix(".csv")
    found = [spec for spec in TABLES if stem == spec.name or stem.startswith(spec.name + "_")]
    found += [spec for spec in TABLES if spec not in found and stem.startswith(spec.name)]
    return max(found, key=lambda spec: len(spec.name)) if found else None


def markdown() -> str:
    """The README's CSV schema section."""
    out: list[str] = []
    for spec in TABLES:
        out.append(f"#### `{spec.file}`: {spec.title}\n")
        key = ", ".join(spec.key)
        out.append(f"{spec.description} Key: `{key}` (unique).\n")
        out.append("| column | type | unit | rule | description |")
        out.append("| --- | --- | --- | --- | --- |")
        for row in column_rows(spec):
            name = f"`{row['column']}`" + (" (optional column)" if row["presence"] == "optional column" else "")
            out.append(f"| {name} | {row['type']} | {row['unit']} | {row['rule']} | {row['description']} |")
        checks = [c.message for c in spec.row_checks]
        if checks:
            out.append("\nRow rules: " + "; ".join(f"it is an error when {c}" for c in checks) + ".")
        out.append("")
    return "\n".join(out)


def _field(name: str, column: pa.Column) -> dict[str, Any]:
    kind: ColumnKind = column.metadata["kind"]
    field: dict[str, Any] = {"name": name, "type": kind.frictionless}
    if column.description:
        field["description"] = column.description
    if column.metadata["unit"]:
        field["unit"] = column.metadata["unit"]
    if kind.frictionless_format:
        field["format"] = kind.frictionless_format
    constraints: dict[str, Any] = {}
    if not column.nullable:
        constraints["required"] = True
    if column.unique:
        constraints["unique"] = True
    for check in column.checks:
        stats = check.statistics
        if "allowed_values" in stats:
            constraints["enum"] = list(stats["allowed_values"])
        elif check.name in ("in_range", "greater_than_or_equal_to"):
            constraints["minimum"] = stats["min_value"]
            if "max_value" in stats:
                constraints["maximum"] = stats["max_value"]
        elif check.name == "str_length" and stats.get("max_value"):
            constraints["maxLength"] = stats["max_value"]
        elif check.name == "str_matches":
            constraints["pattern"] = stats["pattern"]
    if constraints:
        field["constraints"] = constraints
    return field


def integrity(path: Path) -> dict[str, Any]:
    """Frictionless' ``hash`` and ``bytes`` of a file (standard tools check a file against them)."""
    if not path.is_file():
        return {}
    data = path.read_bytes()
    return {"hash": "sha256:" + hashlib.sha256(data).hexdigest(), "bytes": len(data)}


def datapackage(folder: Path = DEFAULT_DATA_DIR) -> dict[str, Any]:
    """The package of the tables in ``folder``: the schema, and each file's hash and size."""
    resources = []
    for spec in TABLES:
        schema: dict[str, Any] = {
            "fields": [_field(n, c) for n, c in spec.columns.items()],
            "primaryKey": list(spec.key),
            "missingValues": [""],
        }
        foreign = [
            {"fields": r.column, "reference": {"resource": r.table, "fields": r.target}}
            for r in spec.references
            if not r.many and r.table in BY_NAME
        ]
        if foreign:
            schema["foreignKeys"] = foreign
        resources.append(
            {
                "name": spec.name,
                "path": spec.file,
                "title": spec.title,
                "description": spec.description,
                "format": "csv",
                "encoding": "utf-8",
                **integrity(folder / spec.file),
                "schema": schema,
            }
        )
    return {
        "name": "ketamine-depression-evidence",
        "title": "Ketamine and esketamine for depression: mechanism, dosing, side effects, sources",
        "description": "Generated from dashboard/schema.py and the files beside it by `python -m dashboard "
        "datapackage`; do not edit by hand. Columns without a required constraint may be left out of a file; "
        "extra columns are kept and shown. Each resource's hash and bytes identify the version of its file.",
        "resources": resources,
    }


def datapackage_json(folder: Path = DEFAULT_DATA_DIR) -> str:
    return json.dumps(datapackage(folder), indent=2, ensure_ascii=False) + "\n"


def pages_markdown() -> str:
    """The README's table of pages and the query-string parameters each one keeps."""
    from dashboard.pagespecs import PAGES, url

    out = ["| page | path | link parameters |", "| --- | --- | --- |"]
    for page in PAGES:
        words = ", ".join(p.doc() for p in page.params) or "none"
        out.append(f"| {page.title} | `{url(page)}` | {words} |")
    return "\n".join(out) + "\n"


MARKERS = {"schema": markdown, "pages": pages_markdown}


def update_readme(text: str) -> str:
    """Replace each ``<!-- NAME:start -->`` ... ``<!-- NAME:end -->`` block with its generated text."""
    for name, build in MARKERS.items():
        start, end = f"<!-- {name}:start -->\n", f"<!-- {name}:end -->"
        before, _, rest = text.partition(start)
        _, _, after = rest.partition(end)
        if not rest:
            raise ValueError(f"README has no {start.strip()} marker")
        text = before + start + build() + end + after
    return text
