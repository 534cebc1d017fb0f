"""What the generic filtered-table page shows, as data: the facet counts, the rows that match,
the charts drawn from them and, when the filters leave one row, a card about it.

A view module of a ``TablePage`` (``dashboard.pagespec``) returns a ``TableView``; the page
(``dashboard.ui.tablepage``) lays it out and decides nothing about the data.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from dashboard.views.findings import Findings


@dataclass(frozen=True)
class ChartBlock:
    """One chart with its heading, and the rows behind it (its table twin and download)."""

    heading: str
    figure: go.Figure
    data: pd.DataFrame
    name: str
    """Stem of the download's file name, and of the widgets' keys."""
    alt: str
    columns: tuple[str, ...] | None = None
    """The table twin's columns (all of ``data`` when None)."""
    caption: str = ""


@dataclass(frozen=True)
class Card:
    """A note about the single row the filters left (a source opened from a row's link)."""

    heading: str
    lines: tuple[str, ...]
    url: str | None = None
    link_label: str = "Open the source"


@dataclass(frozen=True)
class TableView:
    counts: Mapping[str, Mapping[str, int]]
    shown: pd.DataFrame
    """Every row that matches the filters, with the columns the page lists."""
    charts: tuple[ChartBlock, ...]
    card: Card | None = None
    summary_chart: int = 0
    """Which chart the printable summary carries."""
    findings: Findings | None = None
    """The summary of findings of the pooled analyses that match (None: the page has none)."""

    @property
    def total(self) -> int:
        return len(self.shown)

    @property
    def figure(self) -> go.Figure | None:
        """The figure of the printable summary."""
        return self.charts[self.summary_chart].figure if self.charts else None
