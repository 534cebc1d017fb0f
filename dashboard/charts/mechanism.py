"""Mechanism charts: the proposed chain of action, and direction and confidence per entity.

Both are read on a 390 px phone as well as a desktop: the chain runs top to bottom with its node
names wrapped, and the matrix names each entity above its row (``Panels``), so no text runs past
the chart's edge.
"""

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
    wrap,
)
from dashboard.charts.panels import MARK, Panels, records
from dashboard.schema import CONFIDENCE

NODE_WRAP = 14
"""Characters per line of a node's name in the chain (11 px type; a longer word breaks after a
hyphen): three nodes side by side fit a 390 px phone."""
LEVEL_PX = 90
"""Height of one step of the chain."""


def _depths(edges: pd.DataFrame, nodes: list[str]) -> dict[str, int]:
    """Each node's step in the chain: the longest run of links that leads to it (a cycle stops counting)."""
    depth = dict.fromkeys(nodes, 0)
    pairs = list(zip(edges["entity"], edges["leads_to"], strict=True))
    for _ in nodes:
        moved = False
        for a, b in pairs:
            if depth[b] < depth[a] + 1 <= len(nodes):
                depth[b], moved = depth[a] + 1, True
        if not moved:
            break
    return depth


def build_mechanism_chain(edges: pd.DataFrame, *, title: str = "Proposed chain of action") -> go.Figure:
    """A Sankey diagram of the ``leads_to`` chain, top to bottom, links shaded by the confidence of
    each step."""
    if edges.empty:
        return empty_figure(title, "No step of the chain is in the current view.")
    nodes = list(dict.fromkeys([*edges["entity"], *edges["leads_to"]]))
    index = {n: i for i, n in enumerate(nodes)}
    colours = [CONFIDENCE_COLOUR.get(str(c), GREY) for c in edges["confidence"]]
    steps = max(_depths(edges, nodes).values()) + 1
    fig = go.Figure(
        go.Sankey(
            arrangement="snap",
            orientation="v",
            textfont={"size": 11},
            node={
                "label": [wrap(esc(n), NODE_WRAP, hyphens=True) for n in nodes],
                "customdata": [esc(n) for n in nodes],
                "hovertemplate": "%{customdata}<extra></extra>",
                "pad": 18,
                "thickness": 8,
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
    return layout(fig, title + " (link shade = confidence of the step)", 100 + LEVEL_PX * steps)


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def build_mechanism_matrix(mechanism: pd.DataFrame, *, title: str = "What ketamine does to each entity") -> go.Figure:
    """Each entity placed by confidence, its label (above its row) naming it and the direction;
    marker shape also gives the direction, colour the evidence base."""
    if mechanism.empty:
        return empty_figure(title)
    groups = [("", mechanism)]
    panels = Panels(groups, {}, ROW_PX, mark=MARK)
    names = unique_labels(mechanism, "entity", [])
    labels = [f"{name}: {esc(d)}" for name, d in zip(names, mechanism["direction"], strict=True)]
    evidence = mechanism["evidence_in"].astype(str).tolist()
    rows = records(mechanism, ("entity", "direction", "confidence", "evidence_in", "source_id"))
    for base, colour in EVIDENCE_COLOUR.items():
        mine = [i for i, e in enumerate(evidence) if e == base]
        if not mine:
            continue
        panels.add(
            {
                "type": "scatter",
                "x": [rows[i]["confidence"] for i in mine],
                "y": [labels[i] for i in mine],
                "mode": "markers",
                "name": f"evidence in {base}",
                "marker": {
                    "symbol": [DIRECTION_SYMBOL.get(str(rows[i]["direction"]), "circle") for i in mine],
                    "size": 15,
                    "color": colour,
                    "line": {"width": 1, "color": BLACK},
                },
                "hovertext": [_matrix_hover(rows[i]) for i in mine],
                "hoverinfo": "text",
            },
            1,
        )
    panels.rows(1, labels)
    panels.xaxes(
        1,
        title={"text": "Confidence in the finding"},
        type="category",
        categoryorder="array",
        categoryarray=list(CONFIDENCE),
        range=[-0.5, len(CONFIDENCE) - 0.5],
        tickfont={"size": 12},
    )
    return panels.figure(title + " (marker: direction; colour: evidence base)", 60)


def _matrix_hover(r: dict[str, object]) -> str:
    return (
        f"<b>{esc(r['entity'])}</b><br>Direction: {esc(r['direction'])}<br>Confidence: {esc(r['confidence'])}"
        f"<br>Evidence in: {esc(r['evidence_in'])}<br>{source_line(r['source_id'])}"
    )
