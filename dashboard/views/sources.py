"""The sources page's data: every reference with the rows citing it, narrowed by the filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pandas as pd

from dashboard import charts
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.frameindex import index as build_index
from dashboard.links import safe_url
from dashboard.pagespecs import BARS, SOURCES_PAGE
from dashboard.schema import BY_NAME
from dashboard.views.common import Indexed, cited_ids
from dashboard.views.tablepage import Card, ChartBlock, TableView

USAGE = ("source_id", "kind", "year", "rows_citing")


@dataclass(frozen=True)
class Prepared(Indexed):
    """The sources with ``rows_citing`` (every table's rows citing each), and per source how many
    rows of each table cite it (the landing card lists them)."""

    citing: Mapping[str, Mapping[str, int]] = field(default_factory=dict)


def citations(sources: pd.DataFrame, tables: Mapping[str, pd.DataFrame | None]) -> dict[str, dict[str, int]]:
    """Per source id, the number of rows of each table that cite it (tables citing it at least once)."""
    found: dict[str, dict[str, int]] = {}
    for name, frame in tables.items():
        if frame is None or "source_id" not in frame:
            continue
        for source_id, rows in cited_ids(frame).value_counts().items():
            found.setdefault(str(source_id), {})[name] = int(rows)
    known = set(sources["source_id"].astype(str))
    return {source_id: per for source_id, per in found.items() if source_id in known}


def source_usage(sources: pd.DataFrame, citing: Mapping[str, Mapping[str, int]]) -> pd.DataFrame:
    """Sources with the number of rows citing each, over every table."""
    totals = {source_id: sum(per.values()) for source_id, per in citing.items()}
    out = sources.copy()
    out["rows_citing"] = out["source_id"].astype(str).map(totals).fillna(0).astype(int)
    out["url"] = out["url"].map(safe_url, na_action="ignore")
    return out


def prepare(frames: Frames) -> Prepared:
    sources = frames["sources"]
    assert sources is not None
    citing = citations(sources, {name: frame for name, frame in frames.items() if name != "sources"})
    usage = source_usage(sources, citing)
    params = SOURCES_PAGE.params
    return Prepared(usage, build_index(usage, params), params, citing)


def card(row: pd.Series, citing: Mapping[str, Mapping[str, int]]) -> Card:
    per = citing.get(str(row["source_id"]), {})
    cited = [f"{BY_NAME[name].title}: {rows}" for name, rows in per.items() if name in BY_NAME]
    url = row["url"] if isinstance(row["url"], str) else None
    lines = (str(row["citation"]), "Rows citing it: " + ("; ".join(cited) if cited else "none"))
    return Card("Selected source", lines, url)


def view(prepared: Prepared, values: Values) -> TableView:
    narrowed = prepared.narrow(values)
    shown = prepared.frame[narrowed.keep]
    usage = ChartBlock(
        "How often each source is cited",
        charts.build_source_usage(shown, bars=BARS.limit(values.get(BARS.key))),
        shown,
        "source-usage",
        "Number of table rows citing each source.",
        USAGE,
    )
    one = card(shown.iloc[0], prepared.citing) if len(shown) == 1 else None
    return TableView(narrowed.counts, shown, (usage,), one)
