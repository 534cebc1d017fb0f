"""Side effects: drug against comparator, dosing-day effects apart from long-term risks."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, filters, views
from dashboard.pagespecs import SIDE_EFFECT_PARAMS, SORT
from dashboard.schema import BODY_SYSTEMS, EFFECT_DRUGS, SEVERITIES, SIDE_EFFECTS, TIMEFRAMES
from dashboard.ui import state, widgets
from dashboard.ui.pages.common import count_caption, sourced, table_or_stop

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
    effects = sourced(catalog, views.with_difference(table_or_stop(catalog, "side_effects")))
    st.title("Side effects")
    st.markdown(
        "Rates are the share of patients with each effect on the drug and on the comparator (usually "
        "placebo) in the same trials. Dosing-day effects, effects over a course, and long-term risks are "
        "kept apart: they answer different questions."
    )
    values = widgets.start(PAGE, PARAMS, {p.key: effects for p in SIDE_EFFECT_PARAMS}, ORDERS)
    widgets.filter_panel(PAGE, effects, SIDE_EFFECT_PARAMS, values)
    widgets.reset_button(PAGE, PARAMS)
    shown = filters.apply(effects, values, SIDE_EFFECT_PARAMS)
    count_caption(len(shown), len(effects), "rows")
    if shown.empty:
        st.info(
            "No rows match the current filters. Remove a filter or press Reset filters.",
            icon=":material/filter_alt_off:",
        )
        return
    sort = widgets.choice_input(PAGE, SORT)
    ordered = views.sort_effects(shown, sort)
    for timeframe, heading in RATED.items():
        part = ordered[(ordered["timeframe"] == timeframe) & ordered["incidence_pct"].notna()]
        if part.empty:
            continue
        st.subheader(heading)
        data = views.pick(part, CHART_COLUMNS)
        widgets.chart(
            charts.build_incidence(part, title=f"{heading}: drug vs comparator"),
            data,
            key=f"{PAGE}:{timeframe}",
            name=f"side-effects-{timeframe.replace(' ', '-')}",
            alt=f"{heading}: percent of patients on the drug and on the comparator, with sources.",
            config=widgets.column_config(SIDE_EFFECTS, data),
        )
    long_term = ordered[ordered["timeframe"] == "long-term"]
    if not long_term.empty:
        st.subheader("Long-term risks")
        st.markdown(
            "Risks of months to years of use, several known mainly from frequent recreational use. Most have no "
            "reliable rate, and they are not dosing-day effects: they are shown here, not in the charts above."
        )
        widgets.show_table(
            long_term,
            SIDE_EFFECTS,
            key=f"{PAGE}:long-term",
            name="side-effects-long-term",
            columns=LONG_TERM_COLUMNS,
            alt="Long-term risks of ketamine use with their sources.",
        )
    st.subheader("All rows")
    widgets.show_table(
        ordered,
        SIDE_EFFECTS,
        key=PAGE,
        name="side-effects",
        columns=COLUMNS,
        alt="Side effects with rates on drug and comparator, population and source.",
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
