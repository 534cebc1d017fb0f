"""The open data API, baked beside the public pages the way Datasette and Our World in Data publish
theirs: every table, and the evidence the pages compute from two of them, as plain files.

For each dataset ``<name>.csv`` (formula-like cells neutralised by ``export.to_csv_bytes``),
``<name>.json`` (an array of objects: empty cells are null, dates YYYY-MM-DD) and
``<name>.metadata.json`` (title, description, columns with type, unit and description, the sources
the rows cite, licence, versions, date, row count); then ``index.json`` and ``index.html`` list them.

The rows are the catalog's frames and, for the evidence, the frames the Overview builds with the
same view functions (``views.evidence``, ``views.outcomes``): nothing is recomputed or restated here.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from dashboard import kinds, wording
from dashboard.catalog import Catalog, Frames, load_catalog
from dashboard.export import to_csv_bytes
from dashboard.kinds import ColumnKind
from dashboard.links import safe_url
from dashboard.schema import OUTCOMES, SIDE_EFFECTS, SOURCES, TABLES, TableSpec
from dashboard.settings import Settings
from dashboard.views import evidence, outcomes
from dashboard.views.common import with_sources, with_studies

TITLE = "Ketamine and esketamine for depression: open data"
DESCRIPTION = (
    "Every table of the dashboard, and the evidence its pages compute from the side-effect and outcome "
    "rows, as CSV and JSON files with a metadata file each. Each row cites its source; the metadata lists "
    "those sources with their citations."
)

FORMATS = ("csv", "json", "metadata")
LEFT_OUT = ("source", "study_kind", "study_name")
"""Columns the views add that the API leaves out: the link to the app's own Sources page, and the
study joins (``evidence`` is the study's kind; ``study_id`` names the study in studies.csv)."""

COMPUTED_KINDS: dict[str, ColumnKind] = {
    "source_kind": SOURCES.kind("kind"),
    "source_url": SOURCES.kind("url"),
    **{name: kinds.NUMBER for name in evidence.NUMBERS},
}
"""The kind of each computed column that is not text (joined columns keep their table's kind)."""
COMPUTED_UNITS = {"rd_pct": "percentage points", "rd_low_pct": "percentage points", "rd_high_pct": "percentage points"}
EXTRA = "A column the file holds beyond the schema, kept as written."


@dataclass(frozen=True)
class Dataset:
    """One dataset of the API: a table, or a view computed from tables."""

    name: str
    title: str
    description: str
    spec: TableSpec
    """The declared columns (for a view, the table whose rows it extends)."""
    tables: tuple[str, ...]
    """The tables its rows are read from: their versions are its versions."""
    build: Callable[[Frames], pd.DataFrame | None]

    @property
    def computed(self) -> bool:
        return self.tables != (self.spec.name,)

    def files(self) -> dict[str, str]:
        return {"csv": f"{self.name}.csv", "json": f"{self.name}.json", "metadata": f"{self.name}.metadata.json"}


def _table(spec: TableSpec) -> Dataset:
    return Dataset(spec.name, spec.title, spec.description, spec, (spec.name,), lambda frames: frames[spec.name])


def side_effect_evidence(frames: Frames) -> pd.DataFrame | None:
    """The side-effect rows with their evidence, built as the Overview builds them."""
    rows = frames["side_effects"]
    if rows is None:
        return None
    joined = with_sources(with_studies(rows, frames["studies"]), frames["sources"])
    return evidence.add(evidence.with_comparison(joined))


def outcome_evidence(frames: Frames) -> pd.DataFrame | None:
    """The outcome rows with their evidence, built as the Overview builds them."""
    rows = frames["outcomes"]
    if rows is None:
        return None
    return outcomes.with_evidence(with_sources(with_studies(rows, frames["studies"]), frames["sources"]))


VIEWS = (
    Dataset(
        "side-effects-evidence",
        "Side effects with their evidence",
        "Every row of side_effects.csv with what the dashboard's pages compute from it: patients with the effect "
        "per arm, the difference in percentage points and the relative risk with their 95% confidence intervals, "
        "the number needed to harm (or treat) with its interval, the difference in every 100 treated, the kind of "
        "evidence (the kind of the study the figure comes from) and why a row has no interval. Where the file "
        "leaves comparison empty it holds the source and population.",
        SIDE_EFFECTS,
        ("side_effects", "studies", "sources"),
        side_effect_evidence,
    ),
    Dataset(
        "outcomes-evidence",
        "Outcomes with their evidence",
        "Every row of outcomes.csv with what the dashboard's pages compute from it: for response, remission and "
        "relapse (proportions), the difference and relative risk with their 95% confidence intervals and the "
        "number needed to treat (or harm) from the counts; for score changes and other estimates a source "
        "reports, the estimate and interval as reported (the computed number columns stay empty). The kind of "
        "evidence is the kind of the study the figure comes from.",
        OUTCOMES,
        ("outcomes", "studies", "sources"),
        outcome_evidence,
    ),
)
"""The computed evidence views, after the tables."""


def datasets() -> tuple[Dataset, ...]:
    """Every dataset of the API, in order: the tables, then the evidence views."""
    return (*(_table(spec) for spec in TABLES), *VIEWS)


# --- one dataset's rows and metadata --------------------------------------------------------------


def rows(dataset: Dataset, catalog: Catalog) -> pd.DataFrame | None:
    """The rows the API writes for a dataset (None while a table it extends is unavailable)."""
    frame = dataset.build(catalog.frames(dataset.tables))
    if frame is None:
        return None
    return frame.drop(columns=[c for c in LEFT_OUT if c in frame and c not in dataset.spec.columns])


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Dates as YYYY-MM-DD text (empty stays empty); every other column as it is."""
    dates = [c for c in frame.columns if pd.api.types.is_datetime64_any_dtype(frame[c])]
    if not dates:
        return frame
    return frame.assign(**{str(c): frame[c].dt.strftime("%Y-%m-%d") for c in dates})


def csv_bytes(frame: pd.DataFrame) -> bytes:
    return to_csv_bytes(_plain(frame))


def json_bytes(frame: pd.DataFrame) -> bytes:
    text = _plain(frame).to_json(orient="records", double_precision=15, force_ascii=False)
    return (text or "[]").encode("utf-8")


def column_entry(spec: TableSpec, name: str) -> dict[str, Any]:
    """A column as the metadata describes it: declared columns from the schema, computed ones from
    ``wording.COLUMNS`` (their headings and help as the pages show them)."""
    if name in spec.columns:
        column = spec.columns[name]
        kind, unit = spec.kind(name), spec.unit(name)
        title, description, computed = column.title, str(column.description or ""), False
    elif name in wording.COLUMNS:
        label = wording.COLUMNS[name]
        kind, unit = COMPUTED_KINDS.get(name, kinds.TEXT), COMPUTED_UNITS.get(name)
        title, description, computed = label.title, label.help or label.title, True
    else:
        kind, unit, title, description, computed = kinds.TEXT, None, None, EXTRA, False
    entry: dict[str, Any] = {"name": name, "title": title or name, "type": kind.frictionless}
    if kind.frictionless_format:
        entry["format"] = kind.frictionless_format
    entry |= {"kind": kind.words, "unit": unit, "description": description, "computed": computed}
    return entry


def cited_ids(spec: TableSpec, frame: pd.DataFrame) -> list[str]:
    """Every source id the rows cite, in the columns whose kind cites sources.csv, sorted."""
    found: set[str] = set()
    for name in frame.columns:
        if name not in spec.columns or (cites := spec.kind(name).cites) is None:
            continue
        values = frame[name].dropna().astype(str)
        if cites == "many":
            values = values.str.split(";").explode().str.strip()
        found |= {v for v in values if v}
    return sorted(found)


def cited_sources(ids: Sequence[str], sources: pd.DataFrame | None) -> list[dict[str, Any]]:
    """Each cited id with its citation and web address from sources.csv (null where unknown)."""
    table = {} if sources is None else {str(r["source_id"]): r for r in sources.to_dict("records")}
    out = []
    for source_id in ids:
        row = table.get(source_id, {})
        citation = row.get("citation")
        out.append(
            {
                "source_id": source_id,
                "citation": None if pd.isna(citation) else str(citation),
                "url": safe_url(row.get("url")),
            }
        )
    return out


def versions(dataset: Dataset, catalog: Catalog) -> dict[str, str | None]:
    """The served version (sha256 of the file) of each table the dataset is read from."""
    return dict(catalog.versions(dataset.tables))


def version(dataset: Dataset, catalog: Catalog) -> str | None:
    """A table's own version; for a view, a sha256 over the versions of the tables it is read from."""
    found = versions(dataset, catalog)
    if not dataset.computed:
        return found[dataset.name]
    text = ";".join(f"{name}={v or '-'}" for name, v in sorted(found.items()))
    return hashlib.sha256(text.encode()).hexdigest()


def metadata(dataset: Dataset, frame: pd.DataFrame, catalog: Catalog, licence: str) -> dict[str, Any]:
    return {
        "name": dataset.name,
        "title": dataset.title,
        "description": dataset.description,
        "computed": dataset.computed,
        "licence": licence,
        "data_version": catalog.version,
        "version": version(dataset, catalog),
        "table_versions": versions(dataset, catalog),
        "last_updated": catalog.as_of,
        "rows": len(frame),
        "files": dataset.files(),
        "columns": [column_entry(dataset.spec, str(name)) for name in frame.columns],
        "sources": cited_sources(cited_ids(dataset.spec, frame), catalog.frame("sources")),
        "notice": wording.NOTICE,
    }


# --- writing ----------------------------------------------------------------------------------------


def _write(path: Path, data: bytes) -> Path:
    """Write beside the target, then rename over it: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.part")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return path


def _json(document: object) -> bytes:
    return (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_api(catalog: Catalog, out_dir: Path, *, licence: str | None = None) -> list[Path]:
    """Write every available dataset's files, ``index.json`` and ``index.html`` into ``out_dir``;
    return the paths written. An unavailable dataset is listed as such, and its files from an
    earlier run are removed (the index and the files always agree). ``licence``: by default
    the DASHBOARD_DATA_LICENCE setting."""
    licence = Settings.from_env().data_licence if licence is None else licence
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    listed: list[dict[str, Any]] = []
    for dataset in datasets():
        frame = rows(dataset, catalog)
        files = dataset.files()
        entry: dict[str, Any] = {"name": dataset.name, "title": dataset.title, "computed": dataset.computed}
        if frame is None:
            for file in files.values():
                (out_dir / file).unlink(missing_ok=True)
            listed.append(entry | {"available": False, "rows": None, "version": None, "files": {}})
            continue
        written += [
            _write(out_dir / files["csv"], csv_bytes(frame)),
            _write(out_dir / files["json"], json_bytes(frame)),
            _write(out_dir / files["metadata"], _json(metadata(dataset, frame, catalog, licence))),
        ]
        listed.append(
            entry | {"available": True, "rows": len(frame), "version": version(dataset, catalog), "files": files}
        )
    index = {
        "title": TITLE,
        "description": DESCRIPTION,
        "licence": licence,
        "data_version": catalog.version,
        "last_updated": catalog.as_of,
        "notice": wording.NOTICE,
        "datasets": listed,
    }
    written.append(_write(out_dir / "index.json", _json(index)))
    written.append(_write(out_dir / "index.html", index_html(index).encode("utf-8")))
    return written


def index_html(index: dict[str, Any]) -> str:
    """The index as a plain page: no script, no style, every value escaped."""

    def e(value: object) -> str:
        return html.escape(str(value), quote=True)

    items = []
    for d in index["datasets"]:
        if not d["available"]:
            items.append(f"<li><strong>{e(d['title'])}</strong> ({e(d['name'])}): unavailable right now</li>")
            continue
        links = ", ".join(f'<a href="{e(d["files"][f])}">{e(d["files"][f])}</a>' for f in FORMATS)
        count = f"{d['rows']:,} row{'' if d['rows'] == 1 else 's'}"
        items.append(f"<li><strong>{e(d['title'])}</strong> ({e(d['name'])}, {count}): {links}</li>")
    updated = index["last_updated"] or "unknown"
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{e(index['title'])}</title>",
            "</head>",
            "<body>",
            f"<h1>{e(index['title'])}</h1>",
            f"<p>{e(index['description'])}</p>",
            f"<p>Licence: {e(index['licence'])}. Data version {e(index['data_version'])}, last updated "
            f"{e(updated)}. Each dataset's metadata file gives its own version (the sha256 of its table's "
            "file, or of the tables it is computed from). The same list as JSON: "
            '<a href="index.json">index.json</a>.</p>',
            "<ul>",
            *items,
            "</ul>",
            f"<p>{e(index['notice'])}</p>",
            "</body>",
            "</html>",
            "",
        ]
    )


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dashboard.bake.api OUT_DIR``: the API of the tables in DASHBOARD_DATA_DIR."""
    args = sys.argv[1:] if argv is None else list(argv)
    if len(args) != 1:
        print("usage: python -m dashboard.bake.api OUT_DIR", file=sys.stderr)
        return 2
    settings = Settings.from_env()
    written = write_api(load_catalog(settings.data_dir), Path(args[0]), licence=settings.data_licence)
    print(f"wrote {len(written)} files into {args[0]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
