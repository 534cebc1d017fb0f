"""Mechanism charts: the proposed chain of action, and direction and confidence per entity."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import (
    BLACK,
    CONFIDENCE_COLOUR,
    DIRECTION_SYMBOL,
    EVIDENCE_COLOUR,
    GREY,
    ROW_PX,
    empty_figure,
    esc,
    layout,
    source_line,
    unique_labels,
)
from dashboard.schema import CONFIDENCE


def build_mechanism_chain(edges: pd.DataFrame, *, title: str = "Proposed chain of action") -> go.Figure:
    """A Sankey diagram of the ``leads_to`` chain, links shaded by the confidence of each step."""
    if edges.empty:
        return empty_figure(title, "No step of the chain is in the current view.")
    nodes = list(dict.fromkeys([*edges["entity"], *edges["leads_to"]]))
    index = {n: i for i, n in enumerate(nodes)}
    colours = [CONFIDENCE_COLOUR.get(str(c), GREY) for c in edges["confidence"]]
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            node={
                "label": [esc(n) for n in nodes],
                "pad": 18,
                "thickness": 18,
                "color": "#9ecae1",
                "line": {"color": BLACK, "width": 1},
            },
            link={
                "source": [index[e] for e in edges["entity"]],
                "target": [index[e] for e in edges["leads_to"]],
                "value": [1] * len(edges),
                "color": [_rgba(c, 0.45) for c in colours],
                "customdata": [
                    f"{esc(a)} → {esc(b)}<br>Confidence: {esc(c)}<br>{source_line(s)}"
                    for a, b, c, s in edges[["entity", "leads_to", "confidence", "source_id"]].itertuples(index=False)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    return layout(fig, title + " (link shade = confidence of the step)", 420)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def build_mechanism_matrix(mechanism: pd.DataFrame, *, title: str = "What ketamine does to each entity") -> go.Figure:
    """Each entity placed by confidence; marker shape and text give the direction, colour the evidence base."""
    if mechanism.empty:
        return empty_figure(title)
    fig = go.Figure()
    order = unique_labels(mechanism, "entity", [])
    for evidence, colour in EVIDENCE_COLOUR.items():
        mask = (mechanism["evidence_in"] == evidence).to_numpy()
        part = mechanism[mask]
        if part.empty:
            continue
        fig.add_trace(
            go.Scatter(
                x=part["confidence"],
                y=part["entity"].map(esc),
                mode="markers+text",
                name=f"evidence in {evidence}",
                text=part["direction"].map(esc),
                textposition="middle right",
                marker={
                    "symbol": [DIRECTION_SYMBOL.get(d, "circle") for d in part["direction"]],
                    "size": 15,
                    "color": colour,
                    "line": {"width": 1, "color": BLACK},
                },
                hovertext=[
                    f"<b>{esc(r.entity)}</b><br>Direction: {esc(r.direction)}<br>Confidence: {esc(r.confidence)}"
                    f"<br>Evidence in: {esc(r.evidence_in)}<br>{source_line(r.source_id)}"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(
        title_text="Confidence in the finding",
        categoryorder="array",
        categoryarray=list(CONFIDENCE),
        range=[-0.5, len(CONFIDENCE) - 0.2],
    )
    fig.update_yaxes(categoryorder="array", categoryarray=order[::-1])
    return layout(fig, title + " (marker: direction; colour: evidence base)", 160 + ROW_PX * len(mechanism))
