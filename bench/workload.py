"""What the benchmark asks of each page: a first render and five filter changes, derived from each
page's spec and the shipped data; the side-effects workload at scale, the floor app's, and the warm-up."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from bench import servers
from bench.load import one_by_one
from dashboard.catalog import load_catalog
from dashboard.pagespec import PageSpec
from dashboard.pagespecs import PAGES

ROOT = Path(__file__).resolve().parent.parent

CHANGES = 4
"""Filter changes per session between the first render and the last (a render with no filter)."""


def page_queries(spec: PageSpec, frames: Mapping[str, pd.DataFrame | None]) -> list[str]:
    """A first render, four filter changes and a render with no filter, each change one parameter
    of the page set to an example its data holds (most common value first): up to three facets,
    then the page's controls (a sort order, a measure), then a search."""
    examples: dict[tuple[bool, bool], list[str]] = {}
    for param in spec.params:
        value = param.example(_present(param.reads, frames))
        if value is not None:
            group = (param.widget().spans, param.as_filter() is None)  # search boxes span the panel
            examples.setdefault(group, []).append(urlencode([(param.key, v) for v in param.to_query(value)]))
    facets, controls, searches = (examples.get(g, []) for g in ((False, False), (False, True), (True, False)))
    changes = [*facets[: CHANGES - 1], *controls, *searches, *facets[CHANGES - 1 :]]
    return ["", *changes[:CHANGES], *[""] * (CHANGES + 1 - len(changes[:CHANGES]))]


def _present(columns: tuple[str, ...], frames: Mapping[str, pd.DataFrame | None]) -> list[str]:
    """The values of the first column a parameter reads, most common first, from the first table
    that has it (none for a control, which reads no column)."""
    for frame in frames.values():
        if frame is not None and columns and columns[0] in frame:
            return [str(v) for v in frame[columns[0]].value_counts().index]
    return []


def _shipped() -> dict[str, list[str]]:
    catalog = load_catalog(ROOT / "data")
    return {spec.path: page_queries(spec, catalog.frames(spec.tables)) for spec in PAGES}


QUERIES = _shipped()
"""Each page's workload on the shipped data, derived from its spec: a new page or filter is covered."""
SCALE_QUERIES = [
    "",
    "timeframe=acute",
    "system=cardiovascular",
    "sort=difference",
    "severity=serious",
    "population=group+3",
]
FLOOR_QUERIES = ["", "timeframe=acute", "timeframe=long-term", "timeframe=repeated+use", "timeframe=acute", ""]
TTL_WAIT = 60


def warm(server: servers.Server, page: str, queries: list[str]) -> None:
    """A few sessions before measuring: first loads, compiled scripts, caches filled."""
    one_by_one(server.url, page, queries, 2)
