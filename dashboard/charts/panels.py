"""The panels the side-effect and outcome charts share: rows of different comparisons (a label
pool, a trial, a cohort) are never ranked on one axis, so each comparison gets its own panel,
stacked and headed by its name, sizes and design.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import AXIS, base_layout, esc


def by_comparison(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Rows split by comparison, in the order the comparisons first appear."""
    if "comparison" not in rows:
        return [("", rows)]
    key = rows["comparison"].astype(str)
    return [(name, rows[key == name]) for name in dict.fromkeys(key)]


WRAP = 70
"""Characters per line of a panel's heading (it starts at the plot area's left edge and must end
inside the figure: a chart with long row labels has a narrower plot area and passes fewer)."""


def _titles(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], wrap: int = WRAP) -> list[str]:
    return ["<br>".join(esc(line) for line in textwrap.wrap(headings.get(name, name), wrap)) for name, _ in groups]


def headroom(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], wrap: int = WRAP) -> int:
    """Room above the first panel: the title, and its heading (one line per ``wrap`` characters)."""
    first = _titles(groups, headings, wrap)[0] if groups else ""
    return 70 + (first.count("<br>") + 1) * 22 if first else 60


class Panels:
    """One panel per comparison, stacked, each headed by its name, assembled as plain dicts and
    turned into a figure once (``figure``): plotly validates every update, so a figure built in one
    call costs a fifth of one built step by step."""

    def __init__(
        self, groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], per_row: int, wrap: int = WRAP
    ) -> None:
        self.titles = _titles(groups, headings, wrap)
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

    def key(self, symbols: Sequence[tuple[str, str]], colour: str) -> None:
        """Legend entries for marker symbols (symbol, words), drawn nowhere on the plot."""
        for symbol, words in symbols:
            marker = {"symbol": symbol, "size": 12, "color": colour, "line": {"width": 2, "color": colour}}
            entry = {"type": "scatter", "x": [None], "y": [None], "mode": "markers", "name": words, "hoverinfo": "skip"}
            self.add(entry | {"marker": marker}, 1)

    def figure(self, title: str, height: int, top: int, **more: Any) -> go.Figure:
        headings = [
            {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": high, "xanchor": "left"}
            | {"yanchor": "bottom", "align": "left", "showarrow": False, "font": {"size": 13}}
            for text, (_, high) in zip(self.titles, self.domains, strict=True)
            if text
        ]
        layout = base_layout(title, height, top=top) | self.axes | more
        return go.Figure(data=self.data, layout=layout | {"annotations": headings, "shapes": self.shapes})


def records(rows: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, object]]:
    """The rows as dicts of just ``columns`` (absent ones empty): a loop over a wide frame's rows
    costs more than the chart itself."""
    present = {c: rows[c].tolist() for c in columns if c in rows}
    return [{c: present[c][i] if c in present else "" for c in columns} for i in range(len(rows))]
