"""Reusable UI pieces: the filter panel kept in the URL, sourced tables with export, charts with their data."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from dashboard import filters, summary
from dashboard.catalog import Catalog
from dashboard.export import to_csv_bytes
from dashboard.filters import Choice, Facet, Number, Param, Search
from dashboard.links import safe_url
from dashboard.pagespecs import PageSpec
from dashboard.schema import TableSpec
from dashboard.texts import NOTICE
from dashboard.ui import state
from dashboard.views import analyst_columns

MAX_ROWS_SHOWN = 1000
"""Rows sent to the browser per table; the download always has every filtered row."""

PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"], "responsive": True}


# --- filters ----------------------------------------------------------------------------


def _widget_key(page: str, param: Param) -> str:
    return f"{page}:{param.key}"


def _url_query() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _start_page(page: str, params: Sequence[Param], choices: Mapping[str, Sequence[str]]) -> None:
    """Take the filters from the URL when it holds something this session did not write there.

    That is a page's first run (a shared link), or the browser's back and forward buttons; when a
    widget changes, the URL still holds what the previous run wrote, so the widgets win.
    """
    query = _url_query()
    if st.session_state.get("_page") == page and query == st.session_state.get("_written"):
        return
    values, ignored = filters.parse(query, params, choices)
    for param in params:
        value = values[param.key]
        st.session_state[_widget_key(page, param)] = list(value) if isinstance(param, Facet) else value
    st.session_state["_page"] = page
    st.session_state["_ignored"] = ignored


def _reset(page: str, params: Sequence[Param]) -> None:
    for param, value in zip(params, filters.defaults(params).values(), strict=True):
        st.session_state[_widget_key(page, param)] = list(value) if isinstance(param, Facet) else value


def current(page: str, params: Sequence[Param]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for param in params:
        value = st.session_state.get(_widget_key(page, param), filters.defaults([param])[param.key])
        out[param.key] = tuple(value) if isinstance(param, Facet) else value
    return out


def start(
    page: str,
    params: Sequence[Param],
    frames: Mapping[str, pd.DataFrame],
    orders: Mapping[str, Sequence[str]] | None = None,
    *,
    version: tuple[object, ...],
) -> dict[str, Any]:
    """Take the page's filters from the URL on its first run, write them back on every run.

    ``frames`` maps each facet key to the frame whose column it filters (for its options, which
    are worked out once per data ``version``). Returns every parameter's current value; draw the
    widgets with ``filter_panel`` and friends.
    """
    orders = orders or {}
    choices = state.derived(
        f"choices:{page}",
        version,
        lambda: {
            p.key: filters.options(frames[p.key], p.column, orders.get(p.column, ()))
            for p in params
            if isinstance(p, Facet)
        },
    )
    _start_page(page, params, choices)
    for param in params:
        key = _widget_key(page, param)
        if isinstance(param, Facet) and key in st.session_state:
            allowed = set(choices[param.key])
            st.session_state[key] = [v for v in st.session_state[key] if v in allowed]
    values = current(page, params)
    written = filters.to_query(values, params)
    if written != _url_query():
        st.query_params.from_dict(written)
    st.session_state["_written"] = written
    st.session_state[f"{page}:choices"] = choices
    return values


def filter_panel(
    page: str, frame: pd.DataFrame, params: Sequence[Param], values: Mapping[str, Any], *, heading: str = "Filters"
) -> None:
    """Search box, choices and facet multiselects (each value with the rows it would give)."""
    choices = st.session_state[f"{page}:choices"]
    with st.container(border=True):
        st.markdown(f"**{heading}**")
        _draw(page, frame, params, values, choices)


def reset_button(page: str, params: Sequence[Param]) -> None:
    st.button("Reset filters", key=f"{page}:reset", on_click=_reset, args=(page, params), icon=":material/restart_alt:")
    if st.session_state.get("_ignored"):
        st.caption(
            f"{st.session_state['_ignored']} link parameter(s) were not recognised or not valid and have been ignored."
        )


def number_input(page: str, param: Number) -> float:
    value = st.number_input(
        param.label, min_value=param.minimum, max_value=param.maximum, step=param.step, key=_widget_key(page, param)
    )
    return float(value)


def choice_input(page: str, param: Choice) -> str:
    return str(st.radio(param.label, param.options, key=_widget_key(page, param), horizontal=True))


def _draw(
    page: str,
    frame: pd.DataFrame,
    params: Sequence[Param],
    values: Mapping[str, Any],
    choices: Mapping[str, Sequence[str]],
) -> None:
    facets = [p for p in params if isinstance(p, Facet)]
    for param in params:
        if isinstance(param, Search):
            st.text_input(
                param.label,
                key=_widget_key(page, param),
                max_chars=filters.MAX_SEARCH,
                placeholder="Type words to find in the text columns",
            )
    columns = st.columns(min(len(facets), 3)) if facets else []
    tallies = filters.all_counts(frame, values, params)
    for i, facet in enumerate(facets):
        counts = tallies.get(facet.key, {})
        with columns[i % len(columns)]:
            st.multiselect(
                facet.label,
                choices[facet.key],
                key=_widget_key(page, facet),
                format_func=_with_count(counts),
                placeholder="All",
            )


def _with_count(counts: Mapping[str, int]) -> Callable[[str], str]:
    return lambda value: f"{value} ({counts.get(value, 0)})"


# --- tables -----------------------------------------------------------------------------


def _title(name: str, unit: str | None) -> str:
    words = name.replace("_pct", "").replace("_", " ")
    words = words[:1].upper() + words[1:]
    return f"{words} ({unit})" if unit and unit != "see dose_unit" else words


def column_config(spec: TableSpec | None, frame: pd.DataFrame) -> dict[str, Any]:
    """Labels with units, number formats, help text from the schema, links allow-listed upstream."""
    config: dict[str, Any] = {}
    columns = spec.columns if spec is not None else {}
    for name in frame.columns:
        column = columns.get(name)
        help_text = column.description if column is not None else "A column added by the data's analyst."
        unit = column.metadata["unit"] if column is not None else None
        kind = column.metadata["kind"] if column is not None else "text"
        label = _title(str(name), unit)
        if kind == "number":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="%g")
        elif kind == "integer":
            config[name] = st.column_config.NumberColumn(label, help=help_text, format="%d")
        elif kind == "url":
            config[name] = st.column_config.LinkColumn(label, help=help_text)
        else:
            config[name] = st.column_config.TextColumn(label, help=help_text)
    if "source" in frame.columns:
        config["source"] = st.column_config.LinkColumn(
            "Source", help="Open this row's source on the Sources page.", display_text=r"source=(.*)$"
        )
    if "source_url" in frame.columns:
        config["source_url"] = st.column_config.LinkColumn(
            "Source link", help="The source itself (DOI, PubMed, registry or label page).", display_text="open ↗"
        )
    if "source_kind" in frame.columns:
        config["source_kind"] = st.column_config.TextColumn("Source kind", help="What sort of source the row cites.")
    return config


def show_table(
    frame: pd.DataFrame,
    spec: TableSpec | None,
    *,
    key: str,
    name: str,
    alt: str,
    columns: Sequence[str] | None = None,
    config: Mapping[str, Any] | None = None,
    total: int | None = None,
    rows: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """A sourced table with a download of every matching row.

    ``frame`` holds the rows to show (at most MAX_ROWS_SHOWN are sent to the browser); ``total``
    says how many rows match, and ``rows`` produces all of them when the download is clicked
    (default: ``frame`` itself), so a session never holds a copy of a large table.
    """
    select = _selector(frame, spec, columns)
    shown = select(frame)
    total = len(shown) if total is None else total
    if not total:
        st.info(
            "No rows match the current filters. Remove a filter or press Reset filters.",
            icon=":material/filter_alt_off:",
        )
        return
    if total > min(len(shown), MAX_ROWS_SHOWN):
        st.caption(
            f"Showing the first {min(len(shown), MAX_ROWS_SHOWN):,} of {total:,} rows; the download has all of them."
        )
    settings = column_config(spec, shown) | dict(config or {})
    st.dataframe(
        shown.head(MAX_ROWS_SHOWN),
        hide_index=True,
        column_config=settings,
        key=f"{key}:table",
        alt=alt,
        width="stretch",
        placeholder="–",
    )
    download(lambda: select(rows()) if rows is not None else shown, key=key, name=name)


def _selector(
    frame: pd.DataFrame, spec: TableSpec | None, columns: Sequence[str] | None
) -> Callable[[pd.DataFrame], pd.DataFrame]:
    """The listed columns, then any column an analyst added to the file."""
    if columns is None:
        return lambda rows: rows
    extra = analyst_columns(frame, spec) if spec is not None else []
    wanted = [c for c in [*columns, *extra] if c in frame.columns]
    return lambda rows: rows[wanted]


def download(
    rows: pd.DataFrame | Callable[[], pd.DataFrame], *, key: str, name: str, label: str = "Download CSV"
) -> None:
    """A CSV made only when clicked (formula cells neutralised)."""
    st.download_button(
        label,
        data=lambda: to_csv_bytes(rows() if callable(rows) else rows),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"{key}:download",
        icon=":material/download:",
        on_click="ignore",
    )


def chart(
    fig: go.Figure,
    data: pd.DataFrame,
    *,
    key: str,
    name: str,
    alt: str,
    config: Mapping[str, Any] | None = None,
    total: int | None = None,
    rows: Callable[[], pd.DataFrame] | None = None,
) -> None:
    """A chart and, on a second tab, the same numbers as a table (for reading, copying, screen readers).

    ``data``, ``total`` and ``rows`` work as in ``show_table``.
    """
    chart_tab, table_tab = st.tabs(["Chart", "Chart data as a table"])
    with chart_tab:
        st.plotly_chart(fig, key=f"{key}:chart", config=PLOTLY_CONFIG, width="stretch", theme=None)
    with table_tab:
        total = len(data) if total is None else total
        if not total:
            st.info("No rows match the current filters.", icon=":material/filter_alt_off:")
            return
        if total > min(len(data), MAX_ROWS_SHOWN):
            st.caption(
                f"Showing the first {min(len(data), MAX_ROWS_SHOWN):,} of {total:,} rows; the download has all of them."
            )
        st.dataframe(
            data.head(MAX_ROWS_SHOWN),
            hide_index=True,
            key=f"{key}:data",
            alt=alt,
            column_config=dict(config or {}),
            width="stretch",
            placeholder="–",
        )
        download(
            rows if rows is not None else data, key=f"{key}:chartdata", name=name, label="Download chart data (CSV)"
        )


def permalink(spec: PageSpec, values: Mapping[str, Any]) -> str | None:
    """The address that reopens this view: the page's URL in the browser plus its query string."""
    base = safe_url(st.context.url)
    if base is None:
        return None
    query = filters.query_string(values, spec.params)
    return f"{base}?{query}" if query else base


def summary_button(
    spec: PageSpec,
    values: Mapping[str, Any],
    *,
    figure: go.Figure | None,
    rows: Callable[[], pd.DataFrame],
    total: int,
    catalog: Catalog,
) -> None:
    """Download a printable one-page summary of what is on screen; it is built only when clicked."""
    link = permalink(spec, values)
    words = filters.describe(values, spec.params)

    def make() -> bytes:
        view = summary.View(spec.title, words, link, figure, rows(), total, catalog.as_of, NOTICE)
        return summary.build(view, catalog.frame("sources"), datetime.now(UTC)).encode("utf-8")

    st.download_button(
        "Summary of this view (printable page)",
        data=make,
        file_name=f"ketamine-{spec.path}-summary.html",
        mime="text/html",
        key=f"{spec.path}:summary",
        icon=":material/print:",
        on_click="ignore",
        help="One self-contained page with the filters, the link back, the chart, the rows and their sources.",
    )
