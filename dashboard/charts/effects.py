"""Side-effect charts: the share of patients with each effect on the drug and on the comparator."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import (
    BLACK,
    BLUE,
    MAX_BARS,
    ROW_PX,
    VERMILLION,
    empty_figure,
    esc,
    layout,
    source_line,
    unique_labels,
)


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
        + f"<br>{esc(r.population)}<br>{source_line(r.source_id)}"
        for r in rated.itertuples()
    ]
    arms: tuple[tuple[str, str, dict[str, object]], ...] = (
        ("On the drug", "incidence", {"color": VERMILLION}),
        ("On the comparator (e.g. placebo)", "comparator", {"color": BLUE, "pattern": COMPARATOR_PATTERN}),
    )
    fig = go.Figure([_arm(rated, labels, hover, name, arm, marker) for name, arm, marker in arms])
    fig.update_layout(barmode="group", bargap=0.25)
    fig.update_xaxes(title_text="Patients with the effect (%)", range=[0, min(100, _top(rated) * 1.15 + 5)])
    fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1])
    return layout(fig, title + " (%)", 160 + 2 * ROW_PX * len(rated))


COMPARATOR_PATTERN = {"shape": "/", "fgcolor": "#ffffff", "solidity": 0.3}
"""The comparator's bars are hatched, so the two arms differ by more than colour."""


def _arm(
    rated: pd.DataFrame, labels: list[str], hover: list[str], name: str, arm: str, marker: dict[str, object]
) -> go.Bar:
    """One arm's bars: the rate (``{arm}_pct``), a whisker to the top of a range, the value as text."""
    low = f"{arm}_pct"
    return go.Bar(
        name=name,
        y=labels,
        x=rated[low],
        orientation="h",
        marker=marker,
        error_x=_range_error(rated, low, f"{arm}_max_pct"),
        text=_pct(rated[low]),
        textposition="outside",
        hovertext=hover,
        hoverinfo="text",
    )


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
