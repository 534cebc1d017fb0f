"""Sourced tables with their download, charts with their numbers as a table, the printable summary.

One table block serves every table on every page (and the data tab of every chart): the empty
state, the "showing the first N" note, the dataframe and the CSV of every matching row.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import filterset, summary
from dashboard.catalog import Catalog
from dashboard.export import to_csv_bytes
from dashboard.kinds import TEXT
from dashboard.links import SOURCE_LINK_TEXT, safe_url
from dashboard.schema import SHARED_COLUMNS, TableSpec
from dashboard.ui import inview
from dashboard.ui.filterbar import FilterBar
from dashboard.views.common import shown_columns
from dashboard.views.tablepage import ChartBlock
from dashboard.wording import COLUMNS, NOTICE

MAX_ROWS_SHOWN = 1000
"""Rows sent to the browser per table; the download always has every matching row."""

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True}
NO_ROWS = "No rows match the current filters. Remove a filter or press Reset filters."

Rows = Callable[[], pd.DataFrame]

ROW_PX, HEADER_PX, BORDER_PX, MAX_GRID_PX = 35, 35, 1, 400
"""Streamlit's data grid: row and header height, border, and the tallest "auto" height (25rem)."""
TOOLBAR_PX, GAP_PX = 44, 16
"""The grid's tool bar (search, download, full screen), drawn in the 44 px just above the grid, and
the gap Streamlit leaves between two elements. A touch screen shows the tool bar all the time; it lay
over the end of the heading, text or expander label before a table, so a table starts with a space
that, with the gap, holds the tool bar."""


def grid_height(rows: int) -> int:
    """The height Streamlit's "auto" gives a grid of ``rows`` rows (all of them, up to ten), stated up
    front: the block keeps it while the grid's code loads, so nothing below the table moves."""
    return min(max(rows, 1) * ROW_PX + HEADER_PX + 2 * BORDER_PX, MAX_GRID_PX)


def _title(name: str, unit: str | None) -> str:
    words = name.replace("_pct", "").replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} ({unit})" if unit and unit != "see dose_unit" else words


_COLUMN_TYPES: dict[str, Callable[..., Any]] = {
    "text": st.column_config.TextColumn,
    "number": st.column_config.NumberColumn,
    "link": st.column_config.LinkColumn,
    "date": st.column_config.DateColumn,
}
"""The table widget's column type for each display style a column kind declares."""
_LINKS = {
    "source": lambda label: st.column_config.LinkColumn(label.title, help=label.help, display_text=SOURCE_LINK_TEXT),
    "source_url": lambda label: st.column_config.LinkColumn(label.title, help=label.help, display_text="open ↗"),
}
_NUMBERS = {"rd_pct": "%.1f", "rd_low_pct": "%.1f", "rd_high_pct": "%.1f", "rr": "%.2f", "rr_low": "%.2f"}
_NUMBERS |= {"rr_high": "%.2f"}


def _computed(name: str) -> Any:
    """A computed column's config: its words from the wording module, its kind of cell here."""
    label = COLUMNS[name]
    if name in _LINKS:
        return _LINKS[name](label)
    if name in _NUMBERS:
        return st.column_config.NumberColumn(label.title, help=label.help or None, format=_NUMBERS[name])
    return st.column_config.TextColumn(label.title, help=label.help)


def column_config(spec: TableSpec | None, columns: Sequence[str]) -> dict[str, Any]:
    """Labels with units, number formats, help text from the schema, links allow-listed upstream."""
    declared = spec.columns if spec is not None else SHARED_COLUMNS
    config: dict[str, Any] = {}
    for name in columns:
        if name in COLUMNS:
            config[name] = _computed(name)
            continue
        column = declared.get(name)
        kind = column.metadata["kind"] if column is not None else TEXT
        help_text = str(column.description) if column is not None else "A column added by the data's analyst."
        label = _title(str(name), column.metadata["unit"] if column is not None else None)
        style = _COLUMN_TYPES[kind.display.style]
        config[name] = style(label, help=help_text, **({"format": kind.display.format} if kind.display.format else {}))
    return config


def table(
    frame: pd.DataFrame,
    spec: TableSpec | None,
    *,
    key: str,
    name: str,
    alt: str,
    columns: list[str] | None = None,
    config: Mapping[str, Any] | None = None,
    total: int | None = None,
    rows: Rows | None = None,
    empty: str = NO_ROWS,
    download_label: str = "Download CSV",
) -> None:
    """``frame`` holds the rows to show (at most MAX_ROWS_SHOWN go to the browser); ``total`` says
    how many match, and ``rows`` builds all of them when the download is clicked (default: ``frame``),
    so no session holds a copy of a large table. Columns an analyst added are always shown."""
    wanted = shown_columns(frame, spec, columns)
    total = len(frame) if total is None else total
    if not total:
        st.info(empty, icon=":material/filter_alt_off:")
        return
    shown = min(len(frame), MAX_ROWS_SHOWN)
    if total > shown:
        st.caption(f"Showing the first {shown:,} of {total:,} rows; the download has all of them.")
    st.space(TOOLBAR_PX - GAP_PX)
    st.dataframe(
        frame[wanted].head(MAX_ROWS_SHOWN),
        hide_index=True,
        column_config=column_config(spec, wanted) | dict(config or {}),
        key=f"{key}:table",
        alt=alt,
        width="stretch",
        placeholder="–",
        height=grid_height(shown),
    )
    every = rows or (lambda: frame)

    def matching() -> pd.DataFrame:
        found = every()
        return found[[c for c in wanted if c in found.columns]]

    download(matching, key=key, name=name, label=download_label)


def download(rows: Rows, *, key: str, name: str, label: str = "Download CSV") -> None:
    """A CSV made only when clicked (formula cells neutralised)."""
    st.download_button(
        label,
        data=lambda: to_csv_bytes(rows()),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}:download",
        icon=":material/download:",
        on_click="ignore",
    )


def chart_block(block: ChartBlock, *, page: str, key: str) -> None:
    """A view's chart under its heading (and caption), with its table twin (``chart``)."""
    st.subheader(block.heading)
    if block.caption:
        st.caption(block.caption)
    columns = list(block.columns) if block.columns is not None else None
    chart(block.figure, block.data, None, page=page, key=key, name=block.name, alt=block.alt, columns=columns)


def chart(
    fig: go.Figure,
    data: pd.DataFrame,
    spec: TableSpec | None,
    *,
    page: str,
    key: str,
    name: str,
    alt: str,
    columns: list[str] | None = None,
    total: int | None = None,
    rows: Rows | None = None,
) -> None:
    """A chart and, on a second tab, the same rows as a table (for reading, copying, screen readers).

    The table is built and sent only when its tab is opened (Streamlit's lazy tabs): most visitors
    never open it, and a data grid is the heaviest thing a browser draws. The chart is drawn once the
    reader scrolls to ``page``'s charts (``inview``). Its height is reserved until then, and before
    plotly arrives, so nothing below it jumps."""
    chart_tab, table_tab = st.tabs(["Chart", "Chart data as a table"], key=f"{key}:tabs", on_change="rerun")
    with chart_tab:
        fixed = int(fig.layout.height) if fig.layout.height else None
        if inview.drawn(page, key=key, height=fixed):
            height: int | Literal["content"] = fixed or "content"
            st.plotly_chart(fig, key=f"{key}:chart", config=PLOTLY_CONFIG, width="stretch", height=height, theme=None)
    if not table_tab.open:
        return
    with table_tab:
        table(
            data,
            spec,
            key=f"{key}:data",
            name=name,
            alt=alt,
            columns=columns,
            total=total,
            rows=rows,
            empty="No rows match the current filters.",
            download_label="Download chart data (CSV)",
        )


def permalink(bar: FilterBar) -> str | None:
    """The address that reopens this view: the page's URL in the browser plus its query string."""
    base = safe_url(st.context.url)
    if base is None:
        return None
    query = filterset.query_string(bar.values, bar.params)
    return f"{base}?{query}" if query else base


def summary_button(
    bar: FilterBar,
    *,
    figure: go.Figure | None,
    rows: Rows,
    total: int,
    catalog: Catalog,
    notes: Sequence[str] = (),
) -> None:
    """Download a printable one-page summary of what is on screen; it is built only when clicked.
    ``notes`` are lines printed under the notice (what a reader must see before the rows)."""
    link = permalink(bar)
    words = filterset.describe(bar.values, bar.params)

    def make() -> bytes:
        view = summary.View(
            bar.spec.title, words, link, figure, rows(), total, catalog.as_of, NOTICE, catalog.version, tuple(notes)
        )
        return summary.build(view, catalog.frame("sources"), datetime.now(UTC)).encode("utf-8")

    st.download_button(
        "Summary of this view (printable page)",
        data=make,
        file_name=f"ketamine-{bar.spec.path}-summary.html",
        mime="text/html",
        key=f"{bar.spec.path}:summary",
        icon=":material/print:",
        on_click="ignore",
        help="One self-contained page with the filters, the link back, the chart, the rows and their sources.",
    )
