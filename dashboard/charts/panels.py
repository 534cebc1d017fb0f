"""The panels the side-effect and outcome charts share: rows of different comparisons (a label
pool, a trial, a cohort) are never ranked on one axis, so each comparison gets its own panel,
stacked and headed by its name, sizes and design.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import AXIS, TITLE_WRAP, base_layout, esc, wrap


def by_comparison(rows: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """Rows split by comparison, in the order the comparisons first appear."""
    if "comparison" not in rows:
        return [("", rows)]
    key = rows["comparison"].astype(str)
    return [(name, rows[key == name]) for name in dict.fromkeys(key)]


WRAP = 44
"""Characters per line of a panel's heading (13 px type, from the plot's left edge): it must end
inside a 390 px phone's chart, where a 70-character line ran 100 px past the edge."""


def _titles(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], width: int = WRAP) -> list[str]:
    return [wrap(esc(headings.get(name, name)), width) for name, _ in groups]


def headroom(groups: list[tuple[str, pd.DataFrame]], headings: dict[str, str], width: int = WRAP) -> int:
    """Room above the first panel: the title, and its heading (one line per ``width`` characters)."""
    first = _titles(groups, headings, width)[0] if groups else ""
    return 70 + (first.count("<br>") + 1) * 22 if first else 60


LABEL_WRAP = 44
"""Characters per line of a row's label: about the width of a 390 px phone's plot area."""
LINE_PX = 19
"""Height of one line of a row's label."""
ROW_GAP = 10
"""Extra room between one row's marker and the next row's label, so each label reads with its own row."""
MARK = 8
"""How far a forest plot's 12 px marker, with its 2 px line, reaches above its row's centre."""
SHARE = 0.75
"""Of a row's own height (``per_row``), the share its bars or marker take; the label sits above."""


class Panels:
    """One panel per comparison, stacked, each headed by its name, assembled as plain dicts and
    turned into a figure once (``figure``): plotly validates every update, so a figure built in one
    call costs a fifth of one built step by step.

    Each row's label sits above its row, at the plot's left edge, so the plot keeps the whole width:
    labels beside the rows left a 390 px phone's bars a quarter of it and were cut at the left."""

    def __init__(
        self,
        groups: list[tuple[str, pd.DataFrame]],
        headings: dict[str, str],
        per_row: int,
        width: int = WRAP,
        *,
        mark: float | None = None,
    ) -> None:
        """``per_row``: a row's own height; ``mark``: how far its bars or marker reach above its
        centre (bars: ``SHARE`` of the row), so that its label sits just clear of them."""
        self.titles = _titles(groups, headings, width)
        self.per_row = per_row
        self.bars = mark is None
        self.lift = (SHARE * per_row / 2 if mark is None else mark) + 4
        self.labels: list[list[str]] = [[] for _ in groups]
        self.data: list[dict[str, Any]] = []
        self.shapes: list[dict[str, Any]] = []
        self.axes: dict[str, dict[str, Any]] = {}
        for row in range(1, len(groups) + 1):
            self.axes[self._name("x", row)] = AXIS | {"anchor": self._ref("y", row)}
            self.axes[self._name("y", row)] = AXIS | {
                "anchor": self._ref("x", row),
                "showticklabels": False,
                "showgrid": False,
            }

    @property
    def lines(self) -> int:
        """Lines of the longest wrapped row label (every row gets room for it: one pitch per figure)."""
        return max((label.count("<br>") + 1 for labels in self.labels for label in labels), default=1)

    @property
    def pitch(self) -> int:
        """Pixels from one row's centre to the next: the row itself and its label's lines."""
        return self.per_row + self.lines * LINE_PX + ROW_GAP

    @property
    def above(self) -> float:
        """Rows of room above a panel's top row for its label, beyond the half row a category axis gives."""
        needed = self.lift + self.lines * LINE_PX + 16  # 16: clear of the panel's heading
        return max(0.0, needed - self.pitch / 2) / self.pitch

    def _heights(self) -> list[float]:
        return [(max(len(labels), 1) + self.above) * self.pitch + 60 for labels in self.labels]

    @property
    def height(self) -> int:
        """The figure's height for these panels: theirs, and room for the title, axis title and key."""
        return 160 + round(sum(self._heights()))

    @staticmethod
    def _name(axis: str, row: int) -> str:
        return f"{axis}axis" if row == 1 else f"{axis}axis{row}"

    @staticmethod
    def _ref(axis: str, row: int) -> str:
        return axis if row == 1 else f"{axis}{row}"

    def add(self, trace: dict[str, Any], row: int) -> None:
        self.data.append(trace | {"xaxis": self._ref("x", row), "yaxis": self._ref("y", row)})

    def rows(self, row: int, labels: Sequence[str]) -> None:
        """A panel's rows, top to bottom, by their (unique) labels: the traces' y values."""
        self.labels[row - 1] = list(labels)
        self.yaxes(row, categoryorder="array", categoryarray=list(labels)[::-1])

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

    def _row_labels(self) -> list[dict[str, Any]]:
        """Each row's label as an annotation just above its bars or marker, wrapped to a phone's width.

        A marker has the same size in pixels however tall plotly makes a row, so its label is lifted
        by pixels. Bars are a share of the row, and plotly stretches rows to fill the plot (a chart of
        one row has room for several): their label stands on the bars' top edge, in the axis's own
        units, or a stretched row's bars would reach up into it."""
        rise, shift = (self.top_of_bars, 4) if self.bars else (0.0, self.lift)
        found = []
        for row, labels in enumerate(self.labels, start=1):
            for position, text in enumerate(labels[::-1]):
                found.append(
                    {"text": wrap(text, LABEL_WRAP), "showarrow": False}
                    | {"xref": f"{self._ref('x', row)} domain", "x": 0, "xanchor": "left", "align": "left"}
                    | {"yref": self._ref("y", row), "y": position + rise, "yanchor": "bottom", "yshift": shift}
                )
        return found

    @property
    def bargap(self) -> float:
        """Of each row, the share left between its bars and the next row's: the bars take
        ``SHARE`` of the row's own height (``per_row``) out of its whole pitch."""
        return 1 - SHARE * self.per_row / self.pitch

    @property
    def top_of_bars(self) -> float:
        """How far a row's bars reach above its centre, in rows (the bars of a row are grouped about it)."""
        return (1 - self.bargap) / 2

    def figure(self, title: str, top: int, **more: Any) -> go.Figure:
        heights = self._heights()
        total = sum(heights)
        gap = 70 / max(total, 1) if len(heights) > 1 else 0.0
        room = 1 - gap * (len(heights) - 1)
        high = 1.0
        headings = []
        for row, (height, labels, text) in enumerate(zip(heights, self.labels, self.titles, strict=True), start=1):
            low = max(high - room * height / total, 0.0)
            axis = self.axes[self._name("y", row)]
            axis["domain"] = [low, high]
            axis.setdefault("range", [-0.5, max(len(labels), 1) - 0.5 + self.above])
            if text:
                headings.append(
                    {"text": text, "xref": "paper", "yref": "paper", "x": 0, "y": high, "xanchor": "left"}
                    | {"yanchor": "bottom", "align": "left", "showarrow": False, "font": {"size": 13}}
                )
            high = low - gap
        for name, axis in self.axes.items():  # an axis title wider than a phone's plot wraps
            if name.startswith("x") and axis["title"].get("text"):
                axis["title"] = axis["title"] | {"text": wrap(axis["title"]["text"], TITLE_WRAP)}
        bars = {"bargap": self.bargap, "bargroupgap": 0.0}
        layout = base_layout(title, self.height, top=top) | bars | self.axes | more
        annotations = headings + self._row_labels()
        return go.Figure(data=self.data, layout=layout | {"annotations": annotations, "shapes": self.shapes})


def records(rows: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, object]]:
    """The rows as dicts of just ``columns`` (absent ones empty): a loop over a wide frame's rows
    costs more than the chart itself."""
    present = {c: rows[c].tolist() for c in columns if c in rows}
    return [{c: present[c][i] if c in present else "" for c in columns} for i in range(len(rows))]
