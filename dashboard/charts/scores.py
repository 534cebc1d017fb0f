"""The score-change forest plot: the difference between the arms' mean depression scores with its
95% interval as the source prints it, one panel per unit (points of one scale, or standard
deviations for a standardised difference), each panel with its own axis, headed by its unit and the direction.

Rows come from ``dashboard.views.scores.score_rows`` (ordered, with ``panel`` and ``label``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard import wording
from dashboard.charts.base import BLACK, GREY, ROW_PX, VERMILLION, distinct, empty_figure, esc, source_line
from dashboard.charts.panels import MARK, Panels, headroom, records
from dashboard.escape import shorten

KEY = (
    ("diamond", "95% interval excludes no difference"),
    ("circle-open", "95% interval includes no difference"),
    ("x-thin-open", "no interval printed (estimate only)"),
)
"""The legend: the marker says whether the interval excludes no difference, or that none was printed."""

LABEL = 60
"""Longest row label in characters (the hover keeps it whole), as ``base.MAX_LABEL``."""

HOVER = ("label", "estimate_ci", "favours", "comparator", "evidence", "definition", "source_id")


def symbols(rows: pd.DataFrame) -> list[str]:
    """Each row's marker: filled diamond where the interval excludes 0, open circle where it
    includes it, a cross where the source prints no interval."""
    low = rows["mean_difference_low"].to_numpy(dtype="float64", na_value=np.nan)
    high = rows["mean_difference_high"].to_numpy(dtype="float64", na_value=np.nan)
    missing = np.isnan(low) | np.isnan(high)
    clear = (low > 0) | (high < 0)
    return np.where(missing, KEY[2][0], np.where(clear, KEY[0][0], KEY[1][0])).tolist()


def row_labels(rows: pd.DataFrame) -> list[str]:
    """Each row's label, "drug: study, timepoint", cut to ``LABEL`` characters by shortening the
    study, never the timepoint (the part before any bracket): the hover keeps every word."""
    labels = []
    for drug, study, timepoint in zip(rows["drug"], rows["study"], rows["timepoint"], strict=True):
        when = str(timepoint).split(" (")[0].strip()
        when = when if len(when) <= LABEL // 2 else f"{when[: LABEL // 2 - 1]}…"
        labels.append(f"{shorten(f'{drug}: {study}', LABEL - len(when) - 2)}, {esc(when)}")
    return labels


def span(rows: pd.DataFrame) -> list[float]:
    """A panel's x range: every estimate and interval, and 0 (the line of no difference) never on
    the edge, with a margin on both sides."""
    values = rows[["mean_difference", "mean_difference_low", "mean_difference_high"]].to_numpy(
        dtype="float64", na_value=np.nan
    )
    low, high = min(float(np.nanmin(values)), 0.0), max(float(np.nanmax(values)), 0.0)
    margin = (high - low) * 0.08 or 1.0
    return [low - margin, high + margin]


HEADING_WRAP = 36
"""The row labels (drug, study, timepoint) take half the width or more: headings wrap sooner."""


def _error(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


def build_scores(
    rows: pd.DataFrame, *, title: str = "Score change: difference between drug and comparator, with 95% CI"
) -> go.Figure:
    """One line per row: the reported difference and its 95% interval around a dashed line at 0, one
    panel per unit (``panel``) with its own axis, rows in the order given."""
    if rows.empty:
        return empty_figure(title, "No score-change row in this view reports a difference between the arms.")
    groups = [(str(name), rows[rows["panel"] == name]) for name in dict.fromkeys(rows["panel"].astype(str))]
    headings = {name: wording.score_heading(name) for name, part in groups}
    panels = Panels(groups, headings, ROW_PX, HEADING_WRAP, mark=MARK)
    for row, (_, part) in enumerate(groups, start=1):
        labels = distinct(row_labels(part))
        estimate = part["mean_difference"].astype(float)
        panels.add(
            {
                "type": "scatter",
                "x": estimate.tolist(),
                "y": labels,
                "mode": "markers",
                "showlegend": False,
                "marker": {
                    "symbol": symbols(part),
                    "size": 12,
                    "color": VERMILLION,
                    "line": {"width": 2, "color": VERMILLION},
                },
                "error_x": {
                    "type": "data",
                    "symmetric": False,
                    "array": _error(part["mean_difference_high"].astype(float) - estimate),
                    "arrayminus": _error(estimate - part["mean_difference_low"].astype(float)),
                    "color": BLACK,
                    "thickness": 2,
                    "width": 6,
                },
                "hovertext": [_hover(r) for r in records(part, HOVER)],
                "hoverinfo": "text",
            },
            row,
        )
        panels.vline(row, 0.0, {"color": GREY, "dash": "dash", "width": 2})
        panels.rows(row, labels)
        panels.xaxes(row, range=span(part))
    panels.xaxes(len(groups), title={"text": wording.SCORE_AXIS})
    panels.key(KEY, VERMILLION)
    return panels.figure(title, headroom(groups, headings, HEADING_WRAP))


def _hover(r: dict[str, object]) -> str:
    return (
        f"<b>{esc(r['label'])}</b><br>Difference: {esc(r['estimate_ci'])} ({esc(r['favours'])})"
        f"<br>vs {esc(r['comparator'])}<br>{esc(r['definition'])}<br>{esc(r['evidence'])}"
        f"<br>{esc(wording.SCORE_DIRECTION)}<br>{source_line(r['source_id'])}"
    )
