"""The sources page's data: every reference with the rows citing it, narrowed by the filters."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard import charts
from dashboard.catalog import Frames
from dashboard.filterset import Values
from dashboard.links import safe_url
from dashboard.pagespecs import SOURCES_PAGE
from dashboard.schema import BY_NAME
from dashboard.views.common import Indexed, cited_ids

USAGE = ["source_id", "kind", "year", "rows_citing"]


def source_usage(sources: pd.DataFrame, tables: dict[str, pd.DataFrame | None]) -> pd.DataFrame:
    """Sources with the number of rows citing each, in total and per table."""
    out = sources.copy()
    total = pd.Series(0, index=out.index)
    for name, frame in tables.items():
        if frame is None or "source_id" not in frame:
            continue
        per = cited_ids(frame).value_counts()
        column = out["source_id"].map(per).fillna(0).astype(int)
        out[f"rows_{name}"] = column
        total += column
    out["rows_citing"] = total
    out["url"] = out["url"].map(safe_url, na_action="ignore")
    return out


def prepare(frames: Frames) -> Indexed:
    sources = frames["sources"]
    assert sources is not None
    usage = source_usage(sources, {name: frame for name, frame in frames.items() if name != "sources"})
    return Indexed.of(usage, SOURCES_PAGE.params)


@dataclass(frozen=True)
class Card:
    """The landing card when a row's source link opened the page on one source."""

    citation: str
    cited_by: str
    url: str | None


def card(row: pd.Series) -> Card:
    cited = [
        f"{BY_NAME[name].title}: {int(row[column])}"
        for column in row.index
        if str(column).startswith("rows_") and (name := str(column)[5:]) in BY_NAME and int(row[column]) > 0
    ]
    url = row["url"] if isinstance(row["url"], str) else None
    return Card(str(row["citation"]), "Rows citing it: " + ("; ".join(cited) if cited else "none"), url)


@dataclass(frozen=True)
class SourcesView:
    counts: dict[str, dict[str, int]]
    shown: pd.DataFrame
    figure: go.Figure
    card: Card | None


def view(prepared: Indexed, values: Values) -> SourcesView:
    narrowed = prepared.narrow(values)
    shown = prepared.frame[narrowed.keep]
    return SourcesView(
        counts=dict(narrowed.counts),  # type: ignore[arg-type]
        shown=shown,
        figure=charts.build_source_usage(shown),
        card=card(shown.iloc[0]) if len(shown) == 1 else None,
    )
