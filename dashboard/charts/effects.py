"""Side-effect and outcome charts: the share of patients on each arm, and the difference with its
interval (a forest plot). Rows of different comparisons (a label pool, a trial, a cohort) are
never ranked on one axis: each comparison gets its own panel, headed by its name, sizes and design.

The module is a little over 300 lines because both charts share one panel layout, one row order and
one hover text (and the outcomes page draws the same forest plot); splitting them would repeat those.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import (
    AXIS,
    BLACK,
    BLUE,
    GREY,
    MAX_BARS,
    ROW_PX,
    VERMILLION,
    base_layout,
    distinct,
    empty_figure,
    esc,
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


class Panels:
    """One panel per comparison, stacked, each headed by its name, assembled as plain dicts and
    turned into a figure once (``figure``): plotly validates every update, so a figure built in one
    call costs a fifth of one built step by step."""

    def __init__(self, groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], per_row: int) -> None:
        self.titles = _titles(groups, headings)
        self.heights = [max(len(g), 1) * per_row + 60 for _, g in groups]
        self.data: list[dict[str, Any]] = []
        self.shapes: list[dict[str, Any]] = []
        self.axes: dict[str, dict[str, Any]] = {}
        self.domains: list[tuple[float, float]] = []
        total = sum(self.heights)
        gap = 70 / max(total, 1) if len(groups) > 1 else 0.0
        room = 1 - gap * (len(groups) - 1)
        top = 1.0
        for row, height in enumerate(self.heights, start=1):
            low = max(top - room * height / total, 0.0)
            self.axes[self._name("x", row)] = AXIS | {"anchor": self._ref("y", row)}
            self.axes[self._name("y", row)] = AXIS | {"anchor": self._ref("x", row), "domain": [low, top]}
            self.domains.append((low, top))
            top = low - gap

    @staticmethod
    def _name(axis: str, row: int) -> str:
        return f"{axis}axis" if row == 1 else f"{axis}axis{row}"

    @staticmethod
    def _ref(axis: str, row: int) -> str:
        return axis if row == 1 else f"{axis}{row}"

    def add(self, trace: dict[str, Any], row: int) -> None:
        self.data.append(trace | {"xaxis": self._ref("x", row), "yaxis": self._ref("y", row)})

    def yaxes(self, row: int, **settings: Any) -> None:
        self.axes[self._name("y", row)].update(settings)

    def xaxes(self, row: int, **settings: Any) -> None:
        axis = self.axes[self._name("x", row)]
        self.axes[self._name("x", row)] = axis | settings | {"title": axis["title"] | settings.get("title", {})}

    def vline(self, row: int, x: float, line: dict[str, object]) -> None:
        y = self._ref("y", row)
        self.shapes.append(
            {"type": "line", "x0": x, "x1": x, "xref": self._ref("x", row), "y0": 0, "y1": 1, "yref": f"{y} domain"}
            | {"line": line, "layer": "below"}
        )

    def figure(self, title: str, height: int, top: int, **more: Any) -> go.Figure:
        headings = [
            {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": high, "xanchor": "left"}
            | {"yanchor": "bottom", "align": "left", "showarrow": False, "font": {"size": 13}}
            for text, (_, high) in zip(self.titles, self.domains, strict=True)
            if text
        ]
        layout = base_layout(title, height, top=top) | self.axes | more
        return go.Figure(data=self.data, layout=layout | {"annotations": headings, "shapes": self.shapes})


HOVER = ("effect", "drug", "incidence_pct", "comparator", "comparator_pct", "population", "source_id")
FOREST_HOVER: tuple[str, ...] = ("drug", "comparator", "events_per_arm", "difference_ci", "ratio_ci")
FOREST_HOVER += ("number_needed", "comparison", "source_id")


def _records(rows: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, object]]:
    """The rows as dicts of just ``columns`` (absent ones empty): a loop over a wide frame's rows
    costs more than the chart itself."""
    present = {c: rows[c].tolist() for c in columns if c in rows}
    return [{c: present[c][i] if c in present else "" for c in columns} for i in range(len(rows))]


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
    if total > len(rated):
        title = f"{title} (first {len(rated)} of {total} rows)"
    groups = _groups(rated)
    panels = Panels(groups, headings or {}, 2 * ROW_PX)
    arms: tuple[tuple[str, str, dict[str, object]], ...] = (
        ("On the drug", "incidence", {"color": VERMILLION}),
        ("On the comparator (e.g. placebo)", "comparator", {"color": BLUE, "pattern": COMPARATOR_PATTERN}),
    )
    for row, (_, part) in enumerate(groups, start=1):
        labels = unique_labels(part, "effect", ["source_id", "population"])
        hover = [_hover(r) for r in _records(part, HOVER)]
        for name, arm, marker in arms:
            panels.add(_arm(part, labels, hover, name, arm, marker) | {"showlegend": row == 1}, row)
        panels.yaxes(row, categoryorder="array", categoryarray=labels[::-1])
        panels.xaxes(row, range=[0, min(100, _top(rated) * 1.15 + 5)])
    panels.xaxes(len(groups), title={"text": "Patients with the effect (%)"})
    height = 160 + sum(2 * ROW_PX * len(p) + 60 for _, p in groups)
    top = _room(groups, headings or {})
    return panels.figure(title + " (%)", height, top, barmode="group", bargap=0.25)


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


# --- the forest plot ------------------------------------------------------------------------------


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
) -> go.Figure:
    """One line per row: the difference (or the ratio) and its 95% interval, a line at no effect,
    one panel per comparison, rows grouped by ``group`` and sorted by difference. A filled marker
    means the interval excludes no effect; an open one that it includes it."""
    point, low, high, axis, null = MEASURES[measure]
    known = rows[rows["rd_pct"].notna()] if "rd_pct" in rows else rows.iloc[0:0]
    if known.empty:
        return empty_figure(title, "No row in this view has both group sizes, so no interval can be drawn.")
    groups = [(name, forest_order(part, group)) for name, part in _groups(known)]
    panels = Panels(groups, headings or {}, ROW_PX)
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
                "hovertext": [_forest_hover(r, label, rates) for r in _records(part, (label, *rates, *FOREST_HOVER))],
                "hoverinfo": "text",
            },
            row,
        )
        panels.vline(row, null, {"color": GREY, "dash": "dash", "width": 2})
        panels.yaxes(row, categoryorder="array", categoryarray=labels[::-1])
        if measure == "ratio":
            panels.xaxes(row, type="log")
    panels.xaxes(len(groups), title={"text": axis})
    for symbol, words in KEY:
        panels.add(
            {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": words, "hoverinfo": "skip"}
            | {
                "marker": {"symbol": symbol, "size": 12, "color": VERMILLION, "line": {"width": 2, "color": VERMILLION}}
            },
            1,
        )
    height = 160 + sum(ROW_PX * len(p) + 60 for _, p in groups)
    return panels.figure(title, height, _room(groups, headings or {}))


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
