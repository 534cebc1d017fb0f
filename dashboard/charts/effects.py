"""Side-effect and outcome charts: the share of patients on each arm, and the difference with its
interval (a forest plot). Rows of different comparisons (a label pool, a trial, a cohort) are
never ranked on one axis: each comparison gets its own panel, headed by its name, sizes and design.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.base import (
    BLACK,
    BLUE,
    GREY,
    MAX_BARS,
    ROW_PX,
    VERMILLION,
    empty_figure,
    esc,
    layout,
    short,
    source_line,
    unique_labels,
)

COMPARATOR_PATTERN = {"shape": "/", "fgcolor": "#ffffff", "solidity": 0.3}
"""The comparator's bars are hatched, so the two arms differ by more than colour."""

KEY = (("diamond", "95% interval excludes no effect"), ("circle-open", "95% interval includes no effect"))
"""The forest plot's legend: filled and open markers say whether an interval crosses no effect."""

MEASURES = {
    "difference": ("rd_pct", "rd_low_pct", "rd_high_pct", "Difference, drug minus comparator (percentage points)", 0.0),
    "ratio": ("rr", "rr_low", "rr_high", "Relative risk, drug / comparator (log scale)", 1.0),
}


def _groups(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Rows split by comparison, in the order the comparisons first appear."""
    if "comparison" not in rows:
        return [("", rows)]
    key = rows["comparison"].astype(str)
    return [(name, rows[key == name]) for name in dict.fromkeys(key)]


def _titles(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str]) -> list[str]:
    return ["<br>".join(esc(line) for line in textwrap.wrap(headings.get(name, name), 70)) for name, _ in groups]


def _room(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str]) -> int:
    """Room above the first panel: the title, and its heading (one line per 70 characters)."""
    first = _titles(groups, headings)[0] if groups else ""
    return 70 + (first.count("<br>") + 1) * 22 if first else 60


def _panels(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], per_row: int) -> go.Figure:
    heights = [max(len(g), 1) * per_row + 60 for _, g in groups]
    titles = _titles(groups, headings)
    fig = make_subplots(
        rows=len(groups),
        cols=1,
        row_heights=heights,
        vertical_spacing=min(0.3 / max(len(groups), 1), 80 / max(sum(heights), 1)),
        subplot_titles=titles if any(titles) else None,
    )
    # Panel headings start at the plot's left edge (the middle would run off a phone's screen).
    fig.update_annotations(xanchor="left", x=0, align="left", font={"size": 13})
    return fig


def _hover(r: object) -> str:
    drug = f"{esc(r.drug)}: {r.incidence_pct:g}%"  # type: ignore[attr-defined]
    comparator = f" ({esc(r.comparator)}: {r.comparator_pct:g}%)" if pd.notna(r.comparator_pct) else ""  # type: ignore[attr-defined]
    return f"<b>{esc(r.effect)}</b><br>{drug}{comparator}<br>{esc(r.population)}<br>{source_line(r.source_id)}"  # type: ignore[attr-defined]


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
    if total > len(rated):
        title = f"{title} (first {len(rated)} of {total} rows)"
    groups = _groups(rated)
    fig = _panels(groups, headings or {}, 2 * ROW_PX)
    arms: tuple[tuple[str, str, dict[str, object]], ...] = (
        ("On the drug", "incidence", {"color": VERMILLION}),
        ("On the comparator (e.g. placebo)", "comparator", {"color": BLUE, "pattern": COMPARATOR_PATTERN}),
    )
    for row, (_, part) in enumerate(groups, start=1):
        labels = unique_labels(part, "effect", ["source_id", "population"])
        hover = [_hover(r) for r in part.itertuples()]
        for name, arm, marker in arms:
            bars = _arm(part, labels, hover, name, arm, marker)
            bars.showlegend = row == 1
            fig.add_trace(bars, row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], row=row, col=1)
        fig.update_xaxes(range=[0, min(100, _top(rated) * 1.15 + 5)], row=row, col=1)
    fig.update_xaxes(title_text="Patients with the effect (%)", row=len(groups), col=1)
    fig.update_layout(barmode="group", bargap=0.25)
    height = 160 + sum(2 * ROW_PX * len(p) + 60 for _, p in groups)
    return layout(fig, title + " (%)", height, top=_room(groups, headings or {}))


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
        legendgroup=name,
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


# --- the forest plot ------------------------------------------------------------------------------


def forest_order(rows: pd.DataFrame, group: str = "body_system") -> pd.DataFrame:
    """Rows with an interval, grouped by ``group`` (in the order groups first appear) and sorted by
    the difference within each group, largest first."""
    known = rows[rows["rd_pct"].notna()]
    if known.empty or group not in known:
        return known.sort_values("rd_pct", ascending=False, kind="stable")
    rank = {g: i for i, g in enumerate(dict.fromkeys(known[group].astype(str)))}
    keys = known.assign(_g=known[group].astype(str).map(rank))
    return keys.sort_values(["_g", "rd_pct"], ascending=[True, False], kind="stable").drop(columns="_g")


def build_forest(
    rows: pd.DataFrame,
    *,
    measure: str = "difference",
    title: str = "Difference between drug and comparator, with 95% intervals",
    headings: dict[str, str] | None = None,
    label: str = "effect",
    group: str = "body_system",
    rates: tuple[str, str] = ("incidence_pct", "comparator_pct"),
) -> go.Figure:
    """One line per row: the difference (or the ratio) and its 95% interval, a line at no effect,
    one panel per comparison, rows grouped by ``group`` and sorted by difference. A filled marker
    means the interval excludes no effect; an open one that it includes it."""
    point, low, high, axis, null = MEASURES[measure]
    known = rows[rows["rd_pct"].notna()] if "rd_pct" in rows else rows.iloc[0:0]
    if known.empty:
        return empty_figure(title, "No row in this view has both group sizes, so no interval can be drawn.")
    groups = [(name, forest_order(part, group)) for name, part in _groups(known)]
    fig = _panels(groups, headings or {}, ROW_PX)
    for row, (_, part) in enumerate(groups, start=1):
        names = [f"{short(g)}: {short(e)}" if group in part else short(e) for g, e in zip(
            part.get(group, part[label]), part[label], strict=True
        )]  # fmt: skip
        labels = _distinct(names)
        clear = ((part[low] > null) | (part[high] < null)).to_numpy()
        fig.add_trace(
            go.Scatter(
                x=part[point],
                y=labels,
                mode="markers",
                name="interval excludes no effect" if row == 1 else None,
                showlegend=False,
                marker={
                    "symbol": np.where(clear, "diamond", "circle-open"),
                    "size": 12,
                    "color": VERMILLION,
                    "line": {"width": 2, "color": VERMILLION},
                },
                error_x={
                    "type": "data",
                    "symmetric": False,
                    "array": (part[high] - part[point]).tolist(),
                    "arrayminus": (part[point] - part[low]).tolist(),
                    "color": BLACK,
                    "thickness": 2,
                    "width": 6,
                },
                hovertext=[_forest_hover(r, label, rates) for r in part.itertuples()],
                hoverinfo="text",
            ),
            row=row,
            col=1,
        )
        fig.add_vline(x=null, line={"color": GREY, "dash": "dash", "width": 2}, row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=labels[::-1], row=row, col=1)
        if measure == "ratio":
            fig.update_xaxes(type="log", row=row, col=1)
    fig.update_xaxes(title_text=axis, row=len(groups), col=1)
    for symbol, words in (
        ("diamond", "95% interval excludes no effect"),
        ("circle-open", "95% interval includes no effect"),
    ):
        fig.add_trace(
            go.Scatter(
                x=[None], y=[None], mode="markers", name=words, hoverinfo="skip",
                marker={"symbol": symbol, "size": 12, "color": VERMILLION, "line": {"width": 2, "color": VERMILLION}},
            )
        )  # fmt: skip
    height = 160 + sum(ROW_PX * len(p) + 60 for _, p in groups)
    return layout(fig, title, height, top=_room(groups, headings or {}))


def _distinct(labels: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for text in labels:
        seen[text] = seen.get(text, 0) + 1
        out.append(text if seen[text] == 1 else f"{text} ({seen[text]})")
    return out


def _forest_hover(r: object, label: str, rates: tuple[str, str]) -> str:
    def field(name: str) -> object:
        return getattr(r, name, "")

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
