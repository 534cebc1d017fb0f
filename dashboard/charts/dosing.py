"""Dosing charts: dose and administration-time ranges per regimen, styled by the kind of source."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts.base import BLACK, GREY, KIND_STYLE, ROW_PX, empty_figure, esc, layout, source_line, unique_labels
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


def _ranges(df: pd.DataFrame, low: str, high: str, labels: list[str], hover: list[str]) -> list[go.Scatter]:
    traces = []
    kinds = df["source_kind"].fillna("unknown").astype(str)
    for kind in [k for k in (*SOURCE_KINDS, "unknown") if k in set(kinds)]:
        rows = [i for i, k in enumerate(kinds) if k == kind]
        colour, symbol = KIND_STYLE.get(kind, (GREY, "circle"))
        xs: list[float | None] = []
        ys: list[str | None] = []
        texts: list[str | None] = []
        for i in rows:
            xs += [float(df[low].iat[i]), float(df[high].iat[i]), None]
            ys += [labels[i], labels[i], None]
            texts += [hover[i], hover[i], None]
        traces.append(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines+markers",
                name=kind,
                legendgroup=kind,
                line={"color": colour, "width": 6, "dash": "dot" if kind == "clinic article" else "solid"},
                marker={"color": colour, "symbol": symbol, "size": 13, "line": {"width": 1, "color": BLACK}},
                hovertext=texts,
                hoverinfo="text",
            )
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


def build_dose_ranges(regimens: pd.DataFrame, *, title: str = "Dose of one administration, by regimen") -> go.Figure:
    """Dumbbells from dose_min to dose_max, one panel per unit, coloured and shaped by source kind."""
    if regimens.empty:
        return empty_figure(title)
    units = [u for u in ("mg/kg", "mg") if u in set(regimens["dose_unit"])]
    heights = [max(int((regimens["dose_unit"] == u).sum()), 1) for u in units]
    fig = make_subplots(rows=len(units), cols=1, row_heights=heights, vertical_spacing=0.12)
    shown: set[str] = set()
    for row, unit in enumerate(units, start=1):
        part = regimens[regimens["dose_unit"] == unit].sort_values(["drug", "dose_min", "dose_max"])
        labels = unique_labels(named(part), "name", ["population"])
        hover = _regimen_hover(part, "dose_unit", "dose_min", "dose_max", unit)
        for trace in _ranges(part, "dose_min", "dose_max", labels, hover):
            trace.showlegend = trace.name not in shown
            shown.add(str(trace.name))
            fig.add_trace(trace, row=row, col=1)
        fig.update_xaxes(title_text=f"Dose ({unit})", rangemode="tozero", row=row, col=1)
        fig.update_yaxes(categoryorder="array", categoryarray=labels, row=row, col=1)
    return layout(fig, title, 140 + ROW_PX * sum(heights) + 60 * len(units))


def build_durations(regimens: pd.DataFrame, *, title: str = "Time over which one dose is given") -> go.Figure:
    """Dumbbells of administration time in minutes, e.g. 40 min in trials against 2-4 h in the article.

    ``regimens`` are the rows that state a time (``views.dosing.timed``), so the chart and its data
    table show the same rows."""
    if regimens.empty:
        return empty_figure(title, "No regimen in this view states an administration time.")
    timed = regimens.sort_values(["duration_max_minutes", "regimen_id"])
    labels = unique_labels(named(timed), "name", ["population"])
    hover = _regimen_hover(timed, None, "duration_min_minutes", "duration_max_minutes", "min")
    fig = go.Figure(_ranges(timed, "duration_min_minutes", "duration_max_minutes", labels, hover))
    fig.update_xaxes(title_text="Administration time (minutes)", rangemode="tozero")
    fig.update_yaxes(categoryorder="array", categoryarray=labels)
    return layout(fig, title + " (minutes)", 160 + ROW_PX * len(timed))
