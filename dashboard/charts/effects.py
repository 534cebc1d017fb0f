"""The side-effect chart: the share of patients on each arm, as grouped bars, one panel per
comparison (``panels``). The difference with its interval is the forest plot (``forest``)."""

from __future__ import annotations

from typing import Any

import numpy as np
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
    first_of,
    pattern,
    source_line,
    unique_labels,
)
from dashboard.charts.panels import Panels, by_comparison, headroom, records

COMPARATOR_PATTERN = pattern("/")
"""The comparator's bars are hatched (white lines over the blue), so the two arms differ by more than colour."""

HOVER = ("effect", "drug", "incidence_pct", "comparator", "comparator_pct", "population", "source_id")


def _hover(r: dict[str, object]) -> str:
    drug = f"{esc(r['drug'])}: {r['incidence_pct']:g}%"
    comparator = f" ({esc(r['comparator'])}: {r['comparator_pct']:g}%)" if pd.notna(r["comparator_pct"]) else ""
    return f"<b>{esc(r['effect'])}</b><br>{drug}{comparator}<br>{esc(r['population'])}<br>{source_line(r['source_id'])}"


def build_incidence(
    effects: pd.DataFrame,
    *,
    title: str = "Patients with each effect: drug vs comparator",
    total: int | None = None,
    headings: dict[str, str] | None = None,
) -> go.Figure:
    """Grouped bars of % on drug and % on comparator, one panel per comparison, rows in the order
    given (sort before calling). ``total`` is how many rows matched when ``effects`` holds only the
    top ones; ``headings`` name each comparison's panel."""
    rated = effects[effects["incidence_pct"].notna()]
    if rated.empty:
        return empty_figure(title, "No rows with a rate match the current filters.")
    total = max(total or 0, len(rated))
    rated = rated.head(MAX_BARS)
    title = first_of(f"{title} (%)", len(rated), total)
    groups = by_comparison(rated)
    panels = Panels(groups, headings or {}, 2 * ROW_PX)
    arms: tuple[tuple[str, str, dict[str, object]], ...] = (
        ("On the drug", "incidence", {"color": VERMILLION}),
        ("On the comparator (e.g. placebo)", "comparator", {"color": BLUE, "pattern": COMPARATOR_PATTERN}),
    )
    for row, (_, part) in enumerate(groups, start=1):
        labels = unique_labels(part, "effect", ["source_id", "population"])
        hover = [_hover(r) for r in records(part, HOVER)]
        for name, arm, marker in arms:
            panels.add(_arm(part, labels, hover, name, arm, marker) | {"showlegend": row == 1}, row)
        panels.rows(row, labels)
        panels.xaxes(row, range=[0, min(100, _top(rated) * 1.15 + 5)])
    panels.xaxes(len(groups), title={"text": "Patients with the effect (%)"})
    top = headroom(groups, headings or {})
    return panels.figure(title, top, barmode="group")


def _arm(
    rated: pd.DataFrame, labels: list[str], hover: list[str], name: str, arm: str, marker: dict[str, object]
) -> dict[str, Any]:
    """One arm's bars: the rate (``{arm}_pct``), a whisker to the top of a range, the value as text."""
    low = f"{arm}_pct"
    return {
        "type": "bar",
        "name": name,
        "y": labels,
        "x": rated[low].astype(float).tolist(),
        "orientation": "h",
        "marker": marker,
        "error_x": _range_error(rated, low, f"{arm}_max_pct"),
        "text": _pct(rated[low]),
        "textposition": "outside",
        "hovertext": hover,
        "hoverinfo": "text",
        "legendgroup": name,
    }


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
    """The highest rate drawn (numpy over the four columns: pandas' reductions cost more here)."""
    columns = [c for c in ("incidence_pct", "incidence_max_pct", "comparator_pct", "comparator_max_pct") if c in df]
    values = np.concatenate([df[c].to_numpy(dtype="float64", na_value=np.nan) for c in columns])
    return float(np.nanmax(values)) if np.isfinite(values).any() else 0.0
