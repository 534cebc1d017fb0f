"""What every chart shares: the palette, the layout, labels, the hover's source line, the empty figure.

- One colour-blind-safe palette (Okabe-Ito); series also differ by marker shape or bar pattern,
  so colour is never the only cue.
- Titles and axis labels carry units; hover text names the source of every point (``source_line``).
- Every string that comes from a CSV goes through ``dashboard.escape`` before plotly sees it: plotly
  renders a subset of HTML (links, styles) in labels, and CSV text must stay inert.
- An empty frame gives an annotated empty figure, never an exception.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.escape import escape, shorten

BLUE, VERMILLION, GREEN, PURPLE = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
ORANGE, SKY, BLACK, GREY = "#E69F00", "#56B4E9", "#000000", "#595959"
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, BLACK, ORANGE, SKY)

KIND_STYLE: dict[str, tuple[str, str]] = {
    "label": (BLUE, "circle"),
    "regulatory": (BLUE, "square"),
    "trial": (GREEN, "diamond"),
    "post hoc analysis": (GREEN, "diamond-open"),
    "meta-analysis": (GREEN, "star"),
    "review": (PURPLE, "triangle-up"),
    "consensus": (PURPLE, "triangle-down"),
    "observational": (BLACK, "hexagon"),
    "case series": (BLACK, "pentagon"),
    "preclinical": (GREY, "cross"),
    "secondary summary": (PURPLE, "hourglass"),
    "news": (GREY, "bowtie"),
    "clinic article": (VERMILLION, "x"),
}
DIRECTION_SYMBOL = {
    "block": "x",
    "increase": "triangle-up",
    "decrease": "triangle-down",
    "modulate": "diamond",
    "uncertain": "circle-open",
}
EVIDENCE_COLOUR = {"human": BLUE, "animal": ORANGE, "human and animal": GREEN}
CONFIDENCE_COLOUR = {"established": BLUE, "probable": GREEN, "hypothesised": ORANGE, "contested": VERMILLION}

AXIS = {
    "gridcolor": "#EBF0F8",
    "linecolor": "#EBF0F8",
    "zerolinecolor": "#EBF0F8",
    "zerolinewidth": 2,
    "ticks": "",
    "title": {"standoff": 15},
    "automargin": True,
}
"""The axes of plotly's "plotly_white" look, set directly: a template is deep-copied into every
figure and cost more than the rest of a small chart."""

MAX_BARS = 60
"""Most rows drawn as bars; more are summarised as the top ones (with a note in the title)."""


def first_of(title: str, shown: int, total: int | None, noun: str = "rows") -> str:
    """The title of a chart that draws only the first ``shown`` of ``total`` rows says so."""
    return f"{title} (first {shown} of {total} {noun})" if total is not None and total > shown else title


ROW_PX = 34

TITLE_WRAP = 32
"""Characters per line of a chart's title and its axis titles (larger type than the labels): about
the width of a 390 px phone, where plotly, which never wraps text by itself, cut them at the edge."""
TITLE_LINE_PX = 22
"""Height of one more line of the chart's title."""
TOOLS_PX = 30
"""A strip above the title for plotly's tool bar (26 px, 2 px from the top): a touch screen shows it
all the time, and on a phone it covered the title's first line."""


def wrap(text: str, width: int, *, hyphens: bool = False) -> str:
    """Plotly text broken into lines of at most ``width`` characters (plotly never wraps by itself);
    a longer word stays whole, unless ``hyphens`` lets it break after a hyphen that precedes a
    letter ("(2R,6R)-" then "hydroxynorketamine": textwrap's own rule wants letters on both sides)."""
    if hyphens:
        text = re.sub(r"-(?=[^\W\d_])", "-\x1f ", text)  # a break point, dropped again below
    lines = textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)
    return "<br>".join(line.replace("\x1f ", "").replace("\x1f", "") for line in lines) or text


def pattern(shape: str) -> dict[str, object]:
    """A bar pattern drawn as white lines over the bar's own colour ("overlay"). Plotly's default,
    "replace", draws the pattern instead of the fill; with white lines that is white on white."""
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "#ffffff", "solidity": 0.3}


MAX_LABEL = 60
"""Longest axis label in characters; hover text keeps the full value."""


def esc(value: object) -> str:
    """CSV text made inert for plotly's HTML-like labels."""
    return escape(value)


def short(value: object) -> str:
    """``esc`` for an axis label: long text cut at MAX_LABEL characters (hover keeps it whole)."""
    return shorten(value, MAX_LABEL)


def source_line(source_id: object, kind: object = None) -> str:
    """The last line of every hover text: which source the point comes from."""
    return f"Source: {esc(source_id)}" + (f" ({esc(kind)})" if kind is not None and esc(kind) else "")


def base_layout(title: str, height: int, *, top: int = 60) -> dict[str, Any]:
    """The layout every chart shares, as a plain dict. ``top`` is the room above the plot for a
    one-line title (and the first panel's heading, if any); a title wrapped to a phone gets more."""
    wrapped = wrap(title, TITLE_WRAP)
    top += wrapped.count("<br>") * TITLE_LINE_PX + TOOLS_PX
    return {
        "title": {
            "text": wrapped,
            "x": 0,
            "xanchor": "left",
            "y": 1,
            "yref": "container",
            "yanchor": "top",
            # plotly lifts a title of several lines 14 px: without more padding its first line was cut
            "pad": {"t": TOOLS_PX + (12 if wrapped == title else 26)},
        },
        "template": "none",
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "hovermode": "closest",
        "colorway": list(PALETTE),
        "font": {"size": 14, "color": "#1f1f1f"},
        "height": max(height + top - 60 - TOOLS_PX, 260) + TOOLS_PX,
        "margin": {"l": 10, "r": 20, "t": top, "b": 20},
        # Legend under the plot, at the figure's foot: on a phone it wraps onto several lines
        # without running into the title; plotly widens the bottom margin to fit it.
        "legend": {"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        "hoverlabel": {"align": "left"},
    }


def layout(fig: go.Figure, title: str, height: int, *, top: int = 60) -> go.Figure:
    """``base_layout`` applied to a figure built step by step."""
    fig.update_layout(base_layout(title, height, top=top))
    fig.update_yaxes(AXIS)
    fig.update_xaxes(AXIS)
    fig.for_each_xaxis(
        lambda axis: axis.update(title_text=wrap(axis.title.text, TITLE_WRAP)) if axis.title.text else None
    )
    return fig


def empty_figure(title: str, message: str = "No rows match the current filters.") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 16}, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return layout(fig, title, 260)


def unique_labels(df: pd.DataFrame, first: str, then: Sequence[str]) -> list[str]:
    """Row labels for a category axis: ``first``, with further columns added only where needed."""
    labels = df[first].map(short).tolist()
    for column in then:
        counts = pd.Series(labels).value_counts()
        labels = [f"{lab} · {short(v)}" if counts[lab] > 1 else lab for lab, v in zip(labels, df[column], strict=True)]
    return distinct(labels)


def distinct(labels: Sequence[str]) -> list[str]:
    """Labels made unique for a category axis: a repeat gets its count, "Nausea (2)"."""
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out
