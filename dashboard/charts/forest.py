"""The forest plot: the difference between drug and comparator (or their ratio) with its 95%
interval, one panel per comparison (``panels``). The side-effect and outcome pages both draw it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import (
    BLACK,
    GREY,
    ROW_PX,
    VERMILLION,
    distinct,
    empty_figure,
    esc,
    first_of,
    short,
    source_line,
)
from dashboard.charts.panels import MARK, Panels, by_comparison, headroom, records

KEY = (("diamond", "95% interval excludes no effect"), ("circle-open", "95% interval includes no effect"))
"""The forest plot's legend: filled and open markers say whether an interval crosses no effect."""

MEASURES = {
    "difference": ("rd_pct", "rd_low_pct", "rd_high_pct", "Difference, drug minus comparator (percentage points)", 0.0),
    "ratio": ("rr", "rr_low", "rr_high", "Relative risk, drug / comparator (log scale)", 1.0),
}
FOREST_HOVER: tuple[str, ...] = ("drug", "comparator", "events_per_arm", "difference_ci", "ratio_ci")
FOREST_HOVER += ("number_needed", "comparison", "source_id")


def forest_order(rows: pd.DataFrame, group: str = "body_system") -> pd.DataFrame:
    """Rows with an interval, grouped by ``group`` (in the order groups first appear) and sorted by
    the difference within each group, largest first."""
    known = rows[rows["rd_pct"].notna()]
    difference = known["rd_pct"].to_numpy(dtype="float64")
    if known.empty or group not in known:
        return known.iloc[np.argsort(-difference, kind="stable")]
    names = known[group].astype(str).tolist()
    rank = {g: i for i, g in enumerate(dict.fromkeys(names))}
    order = np.lexsort((-difference, np.array([rank[g] for g in names])))  # by group, then largest first
    return known.iloc[order]


def build_forest(
    rows: pd.DataFrame,
    *,
    measure: str = "difference",
    title: str = "Difference between drug and comparator, with 95% intervals",
    headings: dict[str, str] | None = None,
    label: str = "effect",
    group: str = "body_system",
    rates: tuple[str, str] = ("incidence_pct", "comparator_pct"),
    total: int | None = None,
) -> go.Figure:
    """One line per row: the difference (or the ratio) and its 95% interval, a line at no effect,
    one panel per comparison, rows grouped by ``group`` and sorted by difference. A filled marker
    means the interval excludes no effect; an open one that it includes it. ``total``: the rows that
    matched, when ``rows`` holds only the first of them (the title says so)."""
    point, low, high, axis, null = MEASURES[measure]
    known = rows[rows["rd_pct"].notna()] if "rd_pct" in rows else rows.iloc[0:0]
    if known.empty:
        return empty_figure(title, "No row in this view has both group sizes, so no interval can be drawn.")
    groups = [(name, forest_order(part, group)) for name, part in by_comparison(known)]
    panels = Panels(groups, headings or {}, ROW_PX, mark=MARK)
    for row, (_, part) in enumerate(groups, start=1):
        names = [f"{short(g)}: {short(e)}" if group in part else short(e) for g, e in zip(
            part.get(group, part[label]), part[label], strict=True
        )]  # fmt: skip
        labels = distinct(names)
        clear = ((part[low] > null) | (part[high] < null)).to_numpy()
        panels.add(
            {
                "type": "scatter",
                "x": part[point].astype(float).tolist(),
                "y": labels,
                "mode": "markers",
                "showlegend": False,
                "marker": {
                    "symbol": np.where(clear, "diamond", "circle-open").tolist(),
                    "size": 12,
                    "color": VERMILLION,
                    "line": {"width": 2, "color": VERMILLION},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": (part[high] - part[point]).astype(float).tolist(),
                    "arrayminus": (part[point] - part[low]).astype(float).tolist(),
                    "color": BLACK,
                    "thickness": 2,
                    "width": 6,
                },
                "hovertext": [_forest_hover(r, label, rates) for r in records(part, (label, *rates, *FOREST_HOVER))],
                "hoverinfo": "text",
            },
            row,
        )
        panels.vline(row, null, {"color": GREY, "dash": "dash", "width": 2})
        panels.rows(row, labels)
        if measure == "ratio":
            panels.xaxes(row, type="log")
    panels.xaxes(len(groups), title={"text": axis})
    panels.key(KEY, VERMILLION)
    return panels.figure(first_of(title, len(rows), total), headroom(groups, headings or {}))


def _forest_hover(r: dict[str, object], label: str, rates: tuple[str, str]) -> str:
    def field(name: str) -> object:
        return r.get(name, "")

    def rate(name: str) -> str:
        value = field(name)
        return f"{value:g}%" if isinstance(value, float) and not np.isnan(value) else ""

    arms = f"{esc(field('drug'))} {rate(rates[0])} vs {esc(field('comparator'))} {rate(rates[1])}"
    counted = f" ({esc(field('events_per_arm'))})" if field("events_per_arm") else ""
    return (
        f"<b>{esc(field(label))}</b><br>{arms}{counted}"
        f"<br>Difference: {esc(field('difference_ci'))} points<br>Relative risk: {esc(field('ratio_ci'))}"
        f"<br>{esc(field('number_needed'))}<br>{esc(field('comparison'))}<br>{source_line(field('source_id'))}"
    )
