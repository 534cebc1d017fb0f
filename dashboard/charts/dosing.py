"""Dosing charts: dose and administration-time ranges per regimen, styled by the kind of source."""

from __future__ import annotations

from typing import Any

import pandas as pd
import plotly.graph_objects as go

from dashboard.charts.base import BLACK, GREY, KIND_STYLE, ROW_PX, empty_figure, esc, source_line, unique_labels
from dashboard.charts.panels import MARK, Panels, headroom
from dashboard.ranges import span
from dashboard.schema import SOURCE_KINDS


def regimen_name(row: pd.Series) -> str:
    """What a reader calls a regimen: its short label (a trial or label), route and dose, such as
    "KARMA-Dep 2, IV 0.5 mg/kg"; the regimen id where the file gives no label."""
    given = row.get("label")
    if not isinstance(given, str) or not given.strip():
        return str(row["regimen_id"])
    return f"{given}, {row['route']} {span(row['dose_min'], row['dose_max'], row['dose_unit'])}"


def named(regimens: pd.DataFrame) -> pd.DataFrame:
    """The regimens with a ``name`` column for axis labels."""
    return regimens.assign(name=[regimen_name(row) for _, row in regimens.iterrows()])


def _ranges(df: pd.DataFrame, low: str, high: str, labels: list[str], hover: list[str]) -> list[dict[str, Any]]:
    """One trace per kind of source: a line from ``low`` to ``high`` per row, at that row's label."""
    traces = []
    kinds = df["source_kind"].fillna("unknown").astype(str).tolist()
    lows, highs = df[low].astype(float).tolist(), df[high].astype(float).tolist()
    for kind in [k for k in (*SOURCE_KINDS, "unknown") if k in set(kinds)]:
        rows = [i for i, k in enumerate(kinds) if k == kind]
        colour, symbol = KIND_STYLE.get(kind, (GREY, "circle"))
        xs: list[float | None] = []
        ys: list[str | None] = []
        texts: list[str | None] = []
        for i in rows:
            xs += [lows[i], highs[i], None]
            ys += [labels[i], labels[i], None]
            texts += [hover[i], hover[i], None]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines+markers",
                "name": kind,
                "legendgroup": kind,
                "line": {"color": colour, "width": 6, "dash": "dot" if kind == "clinic article" else "solid"},
                "marker": {"color": colour, "symbol": symbol, "size": 13, "line": {"width": 1, "color": BLACK}},
                "hovertext": texts,
                "hoverinfo": "text",
                # the axis starts at 0: a dose of 0.1 mg/kg sat on its edge, and the plot cut it in half
                "cliponaxis": False,
            }
        )
    return traces


def _regimen_hover(df: pd.DataFrame, unit_column: str | None, low: str, high: str, unit: str) -> list[str]:
    out = []
    for _, row in df.iterrows():
        u = esc(row[unit_column]) if unit_column else unit
        out.append(
            f"<b>{esc(regimen_name(row))}</b> ({esc(row['regimen_id'])})"
            f"<br>{esc(row['drug'])}, {esc(row['route'])}, {esc(row['purpose'])}"
            f"<br>{span(row[low], row[high], u)}<br>{esc(row['population'])}"
            f"<br>{source_line(row['source_id'], row['source_kind'])}"
        )
    return out


def _panel(
    panels: Panels, row: int, part: pd.DataFrame, low: str, high: str, hover: list[str], shown: set[str]
) -> None:
    """One panel of ranges, its rows listed top to bottom in the reverse of ``part``'s order (the
    smallest at the foot, next to the axis); a kind of source is named in the legend once."""
    labels = unique_labels(named(part), "name", ["population"])
    for trace in _ranges(part, low, high, labels, hover):
        trace["showlegend"] = trace["name"] not in shown
        shown.add(trace["name"])
        panels.add(trace, row)
    panels.rows(row, labels[::-1])
    panels.xaxes(row, rangemode="tozero")


def build_dose_ranges(regimens: pd.DataFrame, *, title: str = "Dose of one administration, by regimen") -> go.Figure:
    """Dumbbells from dose_min to dose_max, one panel per unit, coloured and shaped by source kind.

    Each row's label sits above its row (``Panels``), so a phone keeps the plot's whole width."""
    if regimens.empty:
        return empty_figure(title)
    units = [u for u in ("mg/kg", "mg") if u in set(regimens["dose_unit"])]
    groups = [
        ("", regimens[regimens["dose_unit"] == unit].sort_values(["drug", "dose_min", "dose_max"])) for unit in units
    ]
    panels = Panels(groups, {}, ROW_PX, mark=MARK)
    shown: set[str] = set()
    for row, (unit, (_, part)) in enumerate(zip(units, groups, strict=True), start=1):
        _panel(
            panels,
            row,
            part,
            "dose_min",
            "dose_max",
            _regimen_hover(part, "dose_unit", "dose_min", "dose_max", unit),
            shown,
        )
        panels.xaxes(row, title={"text": f"Dose ({unit})"})
    return panels.figure(title, headroom(groups, {}))


def build_durations(regimens: pd.DataFrame, *, title: str = "Time over which one dose is given") -> go.Figure:
    """Dumbbells of administration time in minutes, e.g. 40 min in trials against 2-4 h in the article.

    ``regimens`` are the rows that state a time (``views.dosing.timed``), so the chart and its data
    table show the same rows."""
    if regimens.empty:
        return empty_figure(title, "No regimen in this view states an administration time.")
    timed = regimens.sort_values(["duration_max_minutes", "regimen_id"])
    groups = [("", timed)]
    panels = Panels(groups, {}, ROW_PX, mark=MARK)
    hover = _regimen_hover(timed, None, "duration_min_minutes", "duration_max_minutes", "min")
    _panel(panels, 1, timed, "duration_min_minutes", "duration_max_minutes", hover, set())
    panels.xaxes(1, title={"text": "Administration time (minutes)"})
    return panels.figure(title + " (minutes)", headroom(groups, {}))
