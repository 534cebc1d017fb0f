"""Source charts: how many rows of the tables cite each reference."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import KIND_STYLE, MAX_BARS, empty_figure, esc, first_of, layout, pattern, unique_labels
from dashboard.schema import SOURCE_KINDS

TEXT_ROOM = 1.2
"""The axis runs this far past the longest bar, so the count printed beyond it stays on screen."""


def build_source_usage(
    usage: pd.DataFrame, *, title: str = "Rows citing each source", bars: int = MAX_BARS
) -> go.Figure:
    """Horizontal bars of how many table rows cite each source, coloured and patterned by kind: the
    ``bars`` most cited (at most ``MAX_BARS``)."""
    used = usage[usage["rows_citing"] > 0].sort_values("rows_citing", ascending=False)
    if used.empty:
        return empty_figure(title, "No source in this view is cited by any row.")
    total = len(used)
    used = used.head(min(bars, MAX_BARS))
    title = first_of(f"{title} (count of rows)", len(used), total, "sources")
    labels = unique_labels(used, "source_id", ["year"])
    fig = go.Figure()
    patterns = ("", "/", ".", "x", "-", "|", "+", "\\")
    for i, kind in enumerate([k for k in SOURCE_KINDS if k in set(used["kind"])]):
        mask = (used["kind"] == kind).to_numpy()
        part = used[mask]
        fig.add_trace(
            go.Bar(
                name=kind,
                y=[lab for lab, m in zip(labels, mask, strict=True) if m],
                x=part["rows_citing"],
                orientation="h",
                text=part["rows_citing"],
                textposition="outside",
                marker={"color": KIND_STYLE[kind][0], "pattern": pattern(patterns[i % len(patterns)])},
                hovertext=[
                    f"<b>{esc(r.source_id)}</b> ({esc(r.kind)})<br>{esc(str(r.citation)[:160])}"
                    f"<br>Rows citing: {r.rows_citing}"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(title_text="Rows citing (count)")  # short: centred beside long labels on a phone
    # room past the longest bar for its count, which plotly clips at the plot's edge (a phone cut "54" to "5")
    fig.update_xaxes(range=[0, float(used["rows_citing"].max()) * TEXT_ROOM + 1])
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    return layout(fig, title, 160 + 26 * len(used))
