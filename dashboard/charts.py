"""Figure builders: ``build_x(df, ...) -> go.Figure``. Pure functions, one vocabulary.

- One colour-blind-safe palette (Okabe-Ito); series also differ by marker shape or bar pattern,
  so colour is never the only cue.
- Titles and axis labels carry units; hover text names the source of every point.
- Every string that comes from a CSV is escaped before plotly sees it: plotly renders a subset
  of HTML (links, styles) in labels, and CSV text must stay inert.
- An empty frame gives an annotated empty figure, never an exception.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.schema import CONFIDENCE, DIRECTIONS, SOURCE_KINDS

BLUE, VERMILLION, GREEN, PURPLE = "#0072B2", "#D55E00", "#009E73", "#CC79A7"
ORANGE, SKY, BLACK, GREY = "#E69F00", "#56B4E9", "#000000", "#595959"
PALETTE = (BLUE, VERMILLION, GREEN, PURPLE, BLACK, ORANGE, SKY)

KIND_STYLE: dict[str, tuple[str, str]] = {
    "label": (BLUE, "circle"),
    "regulatory": (BLUE, "square"),
    "trial": (GREEN, "diamond"),
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

MAX_BARS = 60
"""Most rows drawn as bars; more are summarised as the top ones (with a note in the title)."""

ROW_PX = 34


MAX_LABEL = 60
"""Longest axis label in characters; hover text keeps the full value."""

_BIDI_AND_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


def _text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    return _BIDI_AND_INVISIBLE.sub("", str(value))


def esc(value: object) -> str:
    """CSV text made inert for plotly's HTML-like labels; bidi overrides and invisible characters removed."""
    return html.escape(_text(value), quote=False)


def short(value: object) -> str:
    """``esc`` for an axis label: long text cut at MAX_LABEL characters (hover keeps it whole)."""
    text = _text(value)
    return html.escape(text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…", quote=False)


def _layout(fig: go.Figure, title: str, height: int) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0, "xanchor": "left"},
        template="plotly_white",
        colorway=list(PALETTE),
        font={"size": 14, "color": "#1f1f1f"},
        height=max(height, 260),
        margin={"l": 10, "r": 20, "t": 60, "b": 20},
        # Legend under the plot, at the figure's foot: on a phone it wraps onto several lines
        # without running into the title; plotly widens the bottom margin to fit it.
        legend={"orientation": "h", "yref": "container", "yanchor": "bottom", "y": 0, "x": 0},
        hoverlabel={"align": "left"},
    )
    fig.update_yaxes(automargin=True)
    fig.update_xaxes(automargin=True)
    return fig


def empty_figure(title: str, message: str = "No rows match the current filters.") -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, font={"size": 16}, xref="paper", yref="paper", x=0.5, y=0.5)
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title, 260)


def unique_labels(df: pd.DataFrame, first: str, then: Sequence[str]) -> list[str]:
    """Row labels for a category axis: ``first``, with further columns added only where needed."""
    labels = df[first].map(short).tolist()
    for column in then:
        counts = pd.Series(labels).value_counts()
        labels = [f"{lab} · {short(v)}" if counts[lab] > 1 else lab for lab, v in zip(labels, df[column], strict=True)]
    seen: dict[str, int] = {}
    out = []
    for lab in labels:
        seen[lab] = seen.get(lab, 0) + 1
        out.append(lab if seen[lab] == 1 else f"{lab} ({seen[lab]})")
    return out


# --- dosing -----------------------------------------------------------------------------


def _ranges(df: pd.DataFrame, low: str, high: str, labels: list[str], hover: list[str]) -> list[go.Scatter]:
    traces = []
    kinds = df["source_kind"].fillna("unknown").astype(str)
    for kind in [k for k in (*SOURCE_KINDS, "unknown") if k in set(kinds)]:
        rows = [i for i, k in enumerate(kinds) if k == kind]
        colour, symbol = KIND_STYLE.get(kind, (GREY, "circle"))
        xs: list[float | None] = []
        ys: list[str | None] = []
        texts: list[str | None] = []
        for i in rows:
            xs += [float(df[low].iat[i]), float(df[high].iat[i]), None]
            ys += [labels[i], labels[i], None]
            texts += [hover[i], hover[i], None]
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=kind,
                legendgroup=kind,
                line={"color": colour, "width": 6, "dash": "dot" if kind == "clinic article" else "solid"},
                marker={"color": colour, "symbol": symbol, "size": 13, "line": {"width": 1, "color": BLACK}},
                hovertext=texts,
                hoverinfo="text",
            )
        )
    return traces


def _regimen_hover(df: pd.DataFrame, unit_column: str | None, low: str, high: str, unit: str) -> list[str]:
    out = []
    for _, row in df.iterrows():
        u = esc(row[unit_column]) if unit_column else unit
        span = f"{row[low]:g}" if row[low] == row[high] else f"{row[low]:g}-{row[high]:g}"
        out.append(
            f"<b>{esc(row['regimen_id'])}</b><br>{esc(row['drug'])}, {esc(row['route'])}, {esc(row['purpose'])}"
            f"<br>{span} {u}<br>{esc(row['population'])}<br>Source: {esc(row['source_id'])}"
            f" ({esc(row['source_kind'])})"
        )
    return out


def build_dose_ranges(regimens: pd.DataFrame, *, title: str = "Dose of one administration, by regimen") -> go.Figure:
    """Dumbbells from dose_min to dose_max, one panel per unit, coloured and shaped by source kind."""
    if regimens.empty:
        return empty_figure(title)
    units = [u for u in ("mg/kg", "mg") if u in set(regimens["dose_unit"])]
    heights = [max(int((regimens["dose_unit"] == u).sum()), 1) for u in units]
    fig = make_subplots(rows=len(units), cols=1, row_heights=heights, vertical_spacing=0.12)
    shown: set[str] = set()
    for row, unit in enumerate(units, start=1):
        part = regimens[regimens["dose_unit"] == unit].sort_values(["drug", "dose_min", "dose_max"])
        labels = unique_labels(part, "regimen_id", ["population"])
        hover = _regimen_hover(part, "dose_unit", "dose_min", "dose_max", unit)
        for trace in _ranges(part, "dose_min", "dose_max", labels, hover):
            trace.showlegend = trace.name not in shown
            shown.add(str(trace.name))
            fig.add_trace(trace, row=row, col=1)
        fig.update_xaxes(title_text=f"Dose ({unit})", rangemode="tozero", row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=labels, row=row, col=1)
    return _layout(fig, title, 140 + ROW_PX * sum(heights) + 60 * len(units))


def build_durations(regimens: pd.DataFrame, *, title: str = "Time over which one dose is given") -> go.Figure:
    """Dumbbells of administration time in minutes, e.g. 40 min in trials against 2-4 h in the article."""
    timed = regimens.dropna(subset=["duration_min_minutes", "duration_max_minutes"])
    if timed.empty:
        return empty_figure(title, "No regimen in this view states an administration time.")
    timed = timed.sort_values(["duration_max_minutes", "regimen_id"])
    labels = unique_labels(timed, "regimen_id", ["population"])
    hover = _regimen_hover(timed, None, "duration_min_minutes", "duration_max_minutes", "min")
    fig = go.Figure(_ranges(timed, "duration_min_minutes", "duration_max_minutes", labels, hover))
    fig.update_xaxes(title_text="Administration time (minutes)", rangemode="tozero")
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return _layout(fig, title + " (minutes)", 160 + ROW_PX * len(timed))


# --- side effects -----------------------------------------------------------------------


def build_incidence(
    effects: pd.DataFrame, *, title: str = "Patients with each effect: drug vs comparator", total: int | None = None
) -> go.Figure:
    """Grouped bars of % on drug and % on comparator, in the order given (sort before calling).

    ``total`` is how many rows matched when ``effects`` holds only the top ones."""
    rated = effects[effects["incidence_pct"].notna()]
    if rated.empty:
        return empty_figure(title, "No rows with a rate match the current filters.")
    total = max(total or 0, len(rated))
    rated = rated.head(MAX_BARS)
    if total > len(rated):
        title = f"{title} (first {len(rated)} of {total} rows)"
    labels = unique_labels(rated, "effect", ["source_id", "population"])
    hover = [
        f"<b>{esc(r.effect)}</b><br>{esc(r.drug)}: {r.incidence_pct:g}%"
        + (f" ({esc(r.comparator)}: {r.comparator_pct:g}%)" if pd.notna(r.comparator_pct) else "")
        + f"<br>{esc(r.population)}<br>Source: {esc(r.source_id)}"
        for r in rated.itertuples()
    ]
    fig = go.Figure()
    fig.add_trace(
        go.Bar(
            name="On the drug",
            y=labels,
            x=rated["incidence_pct"],
            orientation="h",
            marker_color=VERMILLION,
            error_x=_range_error(rated, "incidence_pct", "incidence_max_pct"),
            text=_pct(rated["incidence_pct"]),
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.add_trace(
        go.Bar(
            name="On the comparator (e.g. placebo)",
            y=labels,
            x=rated["comparator_pct"],
            orientation="h",
            marker={"color": BLUE, "pattern": {"shape": "/", "fgcolor": "#ffffff", "solidity": 0.3}},
            error_x=_range_error(rated, "comparator_pct", "comparator_max_pct"),
            text=_pct(rated["comparator_pct"]),
            textposition="outside",
            hovertext=hover,
            hoverinfo="text",
        )
    )
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text="Patients with the effect (%)", range=[0, min(100, _top(rated) * 1.15 + 5)])
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    return _layout(fig, title + " (%)", 160 + 2 * ROW_PX * len(rated))


def _range_error(df: pd.DataFrame, low: str, high: str) -> dict[str, object]:
    if high not in df or df[high].isna().all():
        return {"visible": False}
    plus = (df[high] - df[low]).fillna(0).clip(lower=0)
    return {
        "type": "data",
        "symmetric": False,
        "array": plus.tolist(),
        "arrayminus": [0] * len(df),
        "color": BLACK,
        "thickness": 2,
    }


def _pct(values: pd.Series) -> list[str]:
    return ["" if pd.isna(v) else f"{v:g}%" for v in values]


def _top(df: pd.DataFrame) -> float:
    columns = [c for c in ("incidence_pct", "incidence_max_pct", "comparator_pct", "comparator_max_pct") if c in df]
    return float(df[columns].max().max())


# --- mechanism --------------------------------------------------------------------------


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
                    f"{esc(a)} → {esc(b)}<br>Confidence: {esc(c)}<br>Source: {esc(s)}"
                    for a, b, c, s in edges[["entity", "leads_to", "confidence", "source_id"]].itertuples(index=False)
                ],
                "hovertemplate": "%{customdata}<extra></extra>",
            },
        )
    )
    return _layout(fig, title + " (link shade = confidence of the step)", 420)


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
                    f"<br>Evidence in: {esc(r.evidence_in)}<br>Source: {esc(r.source_id)}"
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
    return _layout(fig, title + " (marker: direction; colour: evidence base)", 160 + ROW_PX * len(mechanism))


# --- sources ----------------------------------------------------------------------------


def build_source_usage(usage: pd.DataFrame, *, title: str = "Rows citing each source") -> go.Figure:
    """Horizontal bars of how many table rows cite each source, coloured and patterned by kind."""
    used = usage[usage["rows_citing"] > 0].sort_values("rows_citing", ascending=False)
    if used.empty:
        return empty_figure(title, "No source in this view is cited by any row.")
    total = len(used)
    used = used.head(MAX_BARS)
    if total > len(used):
        title = f"{title} (top {len(used)} of {total})"
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
                marker={"color": KIND_STYLE[kind][0], "pattern": {"shape": patterns[i % len(patterns)]}},
                hovertext=[
                    f"<b>{esc(r.source_id)}</b> ({esc(r.kind)})<br>{esc(str(r.citation)[:160])}"
                    f"<br>Rows citing: {r.rows_citing}"
                    for r in part.itertuples()
                ],
                hoverinfo="text",
            )
        )
    fig.update_xaxes(title_text="Rows citing the source (count)")
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    return _layout(fig, title + " (count of rows)", 160 + 26 * len(used))


__all__ = [
    "DIRECTIONS",
    "build_dose_ranges",
    "build_durations",
    "build_incidence",
    "build_mechanism_chain",
    "build_mechanism_matrix",
    "build_source_usage",
    "empty_figure",
    "esc",
]
