"""Side effects: drug against comparator, dosing-day effects apart from long-term risks."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from dashboard import charts, filters, views
from dashboard.catalog import Catalog
from dashboard.pagespecs import SIDE_EFFECT_PARAMS, SORT
from dashboard.schema import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, SIDE_EFFECTS, TIMEFRAMES
from dashboard.ui import state, widgets
from dashboard.ui.pages.common import count_caption, figure, sourced_table

PAGE = "side-effects"
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
    st.title("Side effects")
    st.markdown(
        "Rates are the share of patients with each effect on the drug and on the comparator (usually "
        "placebo) in the same trials. Dosing-day effects, effects over a course, and long-term risks are "
        "kept apart: they answer different questions."
    )
    values = widgets.start(PAGE, PARAMS, {p.key: effects for p in SIDE_EFFECT_PARAMS}, ORDERS)
    widgets.filter_panel(PAGE, effects, SIDE_EFFECT_PARAMS, values)
    widgets.reset_button(PAGE, PARAMS)
    matching = int(_matching(effects, values).sum())
    count_caption(matching, len(effects), "rows")
    if not matching:
        st.info(
            "No rows match the current filters. Remove a filter or press Reset filters.",
            icon=":material/filter_alt_off:",
        )
        return
    widgets.choice_input(PAGE, SORT)
    for timeframe, heading in RATED.items():
        _rated_section(catalog, effects, values, timeframe, heading)
    if _matching(effects, values, timeframe="long-term").any():
        st.subheader("Long-term risks")
        st.markdown(
            "Risks of months to years of use, several known mainly from frequent recreational use. Most have no "
            "reliable rate, and they are not dosing-day effects: they are shown here, not in the charts above."
        )
        _table(
            effects,
            values,
            "long-term",
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
        key=PAGE,
        name="side-effects",
        columns=COLUMNS,
        alt="Side effects with rates on drug and comparator, population and source.",
    )


def _matching(
    effects: pd.DataFrame, values: dict[str, Any], *, timeframe: str | None = None, rated: bool = False
) -> np.ndarray:
    """Rows matching the filters, optionally of one timeframe and with a rate. Recomputed when
    needed (also by downloads), so no session keeps a row mask of a large table."""
    keep = filters.mask(effects, values, SIDE_EFFECT_PARAMS)
    if timeframe is not None:
        keep &= (effects["timeframe"] == timeframe).to_numpy()
    if rated:
        keep &= effects["incidence_pct"].notna().to_numpy()
    return keep


def _rated_section(
    catalog: Catalog, effects: pd.DataFrame, values: dict[str, Any], timeframe: str, heading: str
) -> None:
    part = _matching(effects, values, timeframe=timeframe, rated=True)
    total = int(part.sum())
    if not total:
        return
    sort = str(values[SORT.key])
    st.subheader(heading)
    top = views.top_effects_by(effects, part, sort, widgets.MAX_ROWS_SHOWN)
    title = f"{heading}: drug vs comparator"
    fig = figure(
        f"incidence:{timeframe}",
        catalog,
        ("side_effects", "sources"),
        values,
        lambda: charts.build_incidence(top, title=title, total=total),
    )
    data = views.pick(top, CHART_COLUMNS)

    def every_row() -> pd.DataFrame:
        rows = effects[_matching(effects, values, timeframe=timeframe, rated=True)]
        return views.pick(views.sort_effects(rows, sort), CHART_COLUMNS)

    widgets.chart(
        fig,
        data,
        key=f"{PAGE}:{timeframe}",
        name=f"side-effects-{timeframe.replace(' ', '-')}",
        alt=f"{heading}: percent of patients on the drug and on the comparator, with sources.",
        config=widgets.column_config(SIDE_EFFECTS, data),
        total=total,
        rows=every_row,
    )


def _table(
    effects: pd.DataFrame,
    values: dict[str, Any],
    timeframe: str | None,
    *,
    key: str,
    name: str,
    columns: list[str],
    alt: str,
) -> None:
    sort = str(values[SORT.key])
    keep = _matching(effects, values, timeframe=timeframe)
    widgets.show_table(
        views.top_effects_by(effects, keep, sort, widgets.MAX_ROWS_SHOWN),
        SIDE_EFFECTS,
        key=key,
        name=name,
        columns=columns,
        alt=alt,
        total=int(keep.sum()),
        rows=lambda: views.sort_effects(effects[_matching(effects, values, timeframe=timeframe)], sort),
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
