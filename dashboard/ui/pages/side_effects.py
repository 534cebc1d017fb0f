"""Side effects: drug against comparator, dosing-day effects apart from long-term risks."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import charts, filters, views
from dashboard.catalog import Catalog
from dashboard.pagespecs import BY_PATH, SIDE_EFFECT_PARAMS, SORT
from dashboard.schema import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, SIDE_EFFECTS, TIMEFRAMES
from dashboard.ui import nav, state, widgets
from dashboard.ui.pages.common import count_caption, figure, freeze, sourced_table

PAGE = "side-effects"
SUMMARY = [
    "effect",
    "body_system",
    "drug",
    "timeframe",
    "incidence_pct",
    "comparator_pct",
    "comparator",
    "population",
    "severity",
    "source_id",
]
TABLES_USED = ("side_effects", "sources")
PARAMS = (*SIDE_EFFECT_PARAMS, SORT)
ORDERS = {"body_system": BODY_SYSTEMS, "timeframe": TIMEFRAMES, "severity": SEVERITIES, "drug": EFFECT_DRUGS}
RATED = {
    "acute": "Dosing-day (acute) effects",
    "repeated use": "Effects over a course or in maintenance (repeated use)",
}
CHART_COLUMNS = [
    "effect",
    "drug",
    "incidence_pct",
    "incidence_max_pct",
    "comparator_pct",
    "comparator_max_pct",
    "comparator",
    "difference_pct",
    "n_drug",
    "n_comparator",
    "population",
    "source_id",
]
COLUMNS = [
    "effect",
    "body_system",
    "drug",
    "timeframe",
    "incidence_pct",
    "incidence_max_pct",
    "comparator_pct",
    "comparator_max_pct",
    "comparator",
    "difference_pct",
    "n_drug",
    "n_comparator",
    "population",
    "severity",
    "onset",
    "resolution",
    "notes",
    "source",
    "source_kind",
    "source_url",
    "more_source_ids",
]
LONG_TERM_COLUMNS = [
    "effect",
    "body_system",
    "drug",
    "severity",
    "population",
    "incidence_pct",
    "onset",
    "resolution",
    "notes",
    "source",
    "source_kind",
    "source_url",
]


def render() -> None:
    catalog = state.catalog()
    effects = sourced_table(catalog, "side_effects", views.with_difference)
    st.title(BY_PATH["side-effects"].h1)
    st.markdown(
        "Rates are the share of patients with each effect on the drug and on the comparator (usually "
        "placebo) in the same trials. Dosing-day effects, effects over a course, and long-term risks are "
        "kept apart: they answer different questions."
    )
    values = widgets.start(
        PAGE, PARAMS, {p.key: effects for p in SIDE_EFFECT_PARAMS}, ORDERS, version=state.version(catalog, TABLES_USED)
    )
    widgets.filter_panel(PAGE, effects, SIDE_EFFECT_PARAMS, values)
    widgets.reset_button(PAGE, PARAMS)
    everything = _selection(catalog, effects, values)
    count_caption(everything.total, len(effects), "rows")
    _summary(catalog, effects, values, everything.total)
    st.page_link(
        nav.page("glossary"), label="What do these terms mean? Open the glossary", icon=":material/dictionary:"
    )
    if not everything.total:
        st.info(
            "No rows match the current filters. Remove a filter or press Reset filters.",
            icon=":material/filter_alt_off:",
        )
        return
    widgets.choice_input(PAGE, SORT)
    for timeframe, heading in RATED.items():
        _rated_section(catalog, effects, values, timeframe, heading)
    long_term = _selection(catalog, effects, values, "long-term")
    if long_term.total:
        st.subheader("Long-term risks")
        st.markdown(
            "Risks of months to years of use, several known mainly from frequent recreational use. Most have no "
            "reliable rate, and they are not dosing-day effects: they are shown here, not in the charts above."
        )
        _table(
            effects,
            values,
            "long-term",
            long_term,
            key=f"{PAGE}:long-term",
            name="side-effects-long-term",
            columns=LONG_TERM_COLUMNS,
            alt="Long-term risks of ketamine use with their sources.",
        )
    st.subheader("All rows")
    _table(
        effects,
        values,
        None,
        everything,
        key=PAGE,
        name="side-effects",
        columns=COLUMNS,
        alt="Side effects with rates on drug and comparator, population and source.",
    )


def _summary(catalog: Catalog, effects: pd.DataFrame, values: dict[str, Any], total: int) -> None:
    acute = _selection(catalog, effects, values, "acute", rated=True)
    heading = RATED["acute"]
    chart = (
        figure(
            "incidence:acute",
            catalog,
            TABLES_USED,
            values,
            lambda: charts.build_incidence(acute.top, title=f"{heading}: drug vs comparator", total=acute.total),
        )
        if acute.total
        else None
    )
    every_row = _every_row(effects, values, None)
    widgets.summary_button(
        BY_PATH[PAGE], values, figure=chart, rows=lambda: views.pick(every_row(), SUMMARY), total=total, catalog=catalog
    )


def _matching(
    effects: pd.DataFrame, values: dict[str, Any], timeframe: str | None = None, rated: bool = False
) -> np.ndarray:
    """Rows matching the filters, optionally of one timeframe and with a rate."""
    keep = filters.mask(effects, values, SIDE_EFFECT_PARAMS)
    if timeframe is not None:
        keep &= (effects["timeframe"] == timeframe).to_numpy()
    if rated:
        keep &= effects["incidence_pct"].notna().to_numpy()
    return keep


def _selection(
    catalog: Catalog, effects: pd.DataFrame, values: dict[str, Any], timeframe: str | None = None, rated: bool = False
) -> views.Selection:
    """The top rows of a view and how many match: worked out once per data version and filters."""
    key = (*state.version(catalog, TABLES_USED), freeze(values), timeframe, rated)
    sort = str(values[SORT.key])
    return state.per_view(
        "side-effects",
        key,
        lambda: views.select_effects(
            effects, _matching(effects, values, timeframe, rated), sort, widgets.MAX_ROWS_SHOWN
        ),
    )


def _every_row(
    effects: pd.DataFrame, values: dict[str, Any], timeframe: str | None, rated: bool = False
) -> Callable[[], pd.DataFrame]:
    """All matching rows in order, computed when a download is clicked (no session keeps them)."""
    return lambda: views.sort_effects(effects[_matching(effects, values, timeframe, rated)], str(values[SORT.key]))


def _rated_section(
    catalog: Catalog, effects: pd.DataFrame, values: dict[str, Any], timeframe: str, heading: str
) -> None:
    part = _selection(catalog, effects, values, timeframe, rated=True)
    if not part.total:
        return
    st.subheader(heading)
    title = f"{heading}: drug vs comparator"
    fig = figure(
        f"incidence:{timeframe}",
        catalog,
        TABLES_USED,
        values,
        lambda: charts.build_incidence(part.top, title=title, total=part.total),
    )
    data = views.pick(part.top, CHART_COLUMNS)
    every_row = _every_row(effects, values, timeframe, rated=True)
    widgets.chart(
        fig,
        data,
        key=f"{PAGE}:{timeframe}",
        name=f"side-effects-{timeframe.replace(' ', '-')}",
        alt=f"{heading}: percent of patients on the drug and on the comparator, with sources.",
        config=widgets.column_config(SIDE_EFFECTS, data),
        total=part.total,
        rows=lambda: views.pick(every_row(), CHART_COLUMNS),
    )


def _table(
    effects: pd.DataFrame,
    values: dict[str, Any],
    timeframe: str | None,
    selection: views.Selection,
    *,
    key: str,
    name: str,
    columns: list[str],
    alt: str,
) -> None:
    widgets.show_table(
        selection.top,
        SIDE_EFFECTS,
        key=key,
        name=name,
        columns=columns,
        alt=alt,
        total=selection.total,
        rows=_every_row(effects, values, timeframe),
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
