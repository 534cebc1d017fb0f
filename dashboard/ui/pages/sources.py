"""Sources: every reference, its kind, year and link, and how many rows cite it."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, filters, views
from dashboard.pagespecs import BY_PATH, SOURCE_PARAMS
from dashboard.schema import SOURCE_KINDS, SOURCES, TABLES
from dashboard.ui import state, widgets
from dashboard.ui.pages.common import count_caption, figure, table_or_stop

PAGE = "sources"
SUMMARY = ["source_id", "kind", "year", "citation", "url", "rows_citing"]
COLUMNS = ["source_id", "kind", "year", "citation", "url", "identifier", "rows_citing", "accessed"]


def render() -> None:
    catalog = state.catalog()
    sources = table_or_stop(catalog, "sources")
    usage = state.derived(
        "sources:usage",
        state.version(catalog, [t.name for t in TABLES]),
        lambda: views.source_usage(sources, {t.name: catalog.frame(t.name) for t in TABLES if t.name != "sources"}),
    )
    st.title(BY_PATH["sources"].h1)
    st.markdown(
        "Every reference behind the tables: drug labels, trials, meta-analyses, reviews, and the clinic "
        "article that started the project, kept as one labelled source so its claims can be checked."
    )
    values = widgets.start(
        PAGE,
        SOURCE_PARAMS,
        {p.key: usage for p in SOURCE_PARAMS},
        {"kind": SOURCE_KINDS},
        version=state.version(catalog, [t.name for t in TABLES]),
    )
    widgets.filter_panel(PAGE, usage, SOURCE_PARAMS, values)
    widgets.reset_button(PAGE, SOURCE_PARAMS)
    shown = filters.apply(usage, values, SOURCE_PARAMS)
    count_caption(len(shown), len(usage), "sources")
    usage_figure = figure("usage", catalog, [t.name for t in TABLES], values, lambda: charts.build_source_usage(shown))
    widgets.summary_button(
        BY_PATH[PAGE],
        values,
        figure=usage_figure,
        rows=lambda: views.pick(shown, SUMMARY),
        total=len(shown),
        catalog=catalog,
    )
    if len(shown) == 1:
        _one(shown.iloc[0])
    widgets.chart(
        usage_figure,
        shown[["source_id", "kind", "year", "rows_citing"]],
        key=f"{PAGE}:usage",
        name="source-usage",
        alt="Number of table rows citing each source.",
    )
    widgets.show_table(
        shown,
        SOURCES,
        key=PAGE,
        name="sources",
        columns=COLUMNS,
        alt="References with kind, year, link and the number of rows citing each.",
        config={
            "rows_citing": st.column_config.NumberColumn(
                "Rows citing", help="Rows of all tables that cite this source.", format="%d"
            )
        },
    )


def _one(row: pd.Series) -> None:
    """The landing card when a row's source link opened this page."""
    with st.container(border=True):
        st.caption("Selected source")
        st.text(str(row["citation"]))
        cited = [
            f"{spec.title}: {int(row[f'rows_{spec.name}'])}"
            for spec in TABLES
            if f"rows_{spec.name}" in row and int(row[f"rows_{spec.name}"]) > 0
        ]
        st.text("Rows citing it: " + ("; ".join(cited) if cited else "none"))
        if isinstance(row["url"], str):
            st.link_button("Open the source", row["url"], icon=":material/open_in_new:")


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
