"""Dosing: regimens as dose and time ranges, the article's claim beside them, a weight helper, the factors."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import charts, filters, views
from dashboard.pagespecs import BY_PATH, FACTOR_PARAMS, REGIMEN_PARAMS, WEIGHT
from dashboard.schema import (
    APPLIES_TO,
    DOSING_FACTORS,
    DOSING_REGIMENS,
    DRUGS,
    FACTOR_CATEGORIES,
    PURPOSES,
    ROUTES,
    SOURCE_KINDS,
)
from dashboard.ui import state, widgets
from dashboard.ui.pages.common import count_caption, figure, sourced_or_none, sourced_table

PAGE = "dosing"
SUMMARY = [
    "regimen_id",
    "drug",
    "route",
    "purpose",
    "population",
    "dose_min",
    "dose_max",
    "dose_unit",
    "duration_min_minutes",
    "duration_max_minutes",
    "frequency",
    "source_id",
]
TABLES_USED = ("dosing_regimens", "sources")
PARAMS = (*REGIMEN_PARAMS, WEIGHT, *FACTOR_PARAMS)
ORDERS = {
    "drug": DRUGS,
    "route": ROUTES,
    "purpose": PURPOSES,
    "source_kind": SOURCE_KINDS,
    "category": FACTOR_CATEGORIES,
    "applies_to": APPLIES_TO,
}
REGIMEN_COLUMNS = [
    "regimen_id",
    "drug",
    "brand",
    "route",
    "purpose",
    "population",
    "dose_min",
    "dose_max",
    "dose_unit",
    "duration_min_minutes",
    "duration_max_minutes",
    "frequency",
    "monitoring",
    "regulatory_status",
    "notes",
    "source",
    "source_kind",
    "source_url",
    "more_source_ids",
]
FACTOR_COLUMNS = [
    "factor",
    "category",
    "applies_to",
    "effect_on_treatment",
    "guidance",
    "source",
    "source_url",
    "more_source_ids",
]


def render() -> None:
    catalog = state.catalog()
    regimens = sourced_table(catalog, "dosing_regimens")
    factors = sourced_or_none(catalog, "dosing_factors")
    st.title(BY_PATH["dosing"].h1)
    st.markdown(
        "Each row is one way of giving ketamine or esketamine, from drug labels, trials and, for contrast, "
        "the anaesthetic label and the clinic article. Doses per kilogram and fixed doses are drawn on "
        "separate panels."
    )
    frames = {p.key: regimens for p in REGIMEN_PARAMS} | {p.key: factors for p in FACTOR_PARAMS if factors is not None}
    params = PARAMS if factors is not None else (*REGIMEN_PARAMS, WEIGHT)
    values = widgets.start(
        PAGE, params, frames, ORDERS, version=state.version(catalog, (*TABLES_USED, "dosing_factors"))
    )
    widgets.filter_panel(PAGE, regimens, REGIMEN_PARAMS, values, heading="Filter the regimens")
    widgets.reset_button(PAGE, params)
    shown = filters.apply(regimens, values, REGIMEN_PARAMS)
    regimen_values = {p.key: values[p.key] for p in REGIMEN_PARAMS}
    count_caption(len(shown), len(regimens), "regimens")
    dose_figure = figure("dose", catalog, TABLES_USED, regimen_values, lambda: charts.build_dose_ranges(shown))
    widgets.summary_button(
        BY_PATH[PAGE],
        values,
        figure=dose_figure,
        rows=lambda: views.pick(shown, SUMMARY),
        total=len(shown),
        catalog=catalog,
    )

    st.subheader("Dose of one administration")
    dose_data = shown[["regimen_id", "drug", "route", "dose_min", "dose_max", "dose_unit", "source_id", "source_kind"]]
    widgets.chart(
        dose_figure,
        dose_data,
        key=f"{PAGE}:dose",
        name="dose-ranges",
        alt="Dose range of each regimen with its unit and source.",
    )
    st.subheader("How long one dose takes to give")
    timed = shown.dropna(subset=["duration_min_minutes"])[
        ["regimen_id", "drug", "route", "duration_min_minutes", "duration_max_minutes", "source_id", "source_kind"]
    ]
    widgets.chart(
        figure("duration", catalog, TABLES_USED, regimen_values, lambda: charts.build_durations(shown)),
        timed,
        key=f"{PAGE}:duration",
        name="durations",
        alt="Administration time of each regimen in minutes, with its source.",
    )

    st.subheader("Weight-based arithmetic")
    st.warning(
        "Arithmetic only, not a prescription: it multiplies each per-kilogram dose in the table by a "
        "body weight. Doses are decided by the treating clinician.",
        icon=":material/calculate:",
    )
    kg = widgets.number_input(PAGE, WEIGHT)
    totals = views.weight_doses(shown, kg)
    widgets.show_table(
        totals,
        None,
        key=f"{PAGE}:weight",
        name="weight-arithmetic",
        alt="Total milligrams of each per-kilogram regimen at the chosen body weight.",
        config=_weight_config(),
    )

    st.subheader("All regimens")
    widgets.show_table(
        shown,
        DOSING_REGIMENS,
        key=f"{PAGE}:regimens",
        name="dosing-regimens",
        columns=REGIMEN_COLUMNS,
        alt="Dosing regimens with dose, time, frequency and source.",
    )
    _factors(values, factors)


def _weight_config() -> dict[str, object]:
    return {
        "weight_kg": st.column_config.NumberColumn("Weight (kg)", format="%g"),
        "dose_min": st.column_config.NumberColumn("Dose min (mg/kg)", format="%g"),
        "dose_max": st.column_config.NumberColumn("Dose max (mg/kg)", format="%g"),
        "total_mg_min": st.column_config.NumberColumn("Total min (mg)", format="%g"),
        "total_mg_max": st.column_config.NumberColumn("Total max (mg)", format="%g"),
    }


def _factors(values: dict[str, object], factors: pd.DataFrame | None) -> None:
    st.subheader("Factors that change dose, monitoring or eligibility")
    if factors is None:
        st.info("The dosing factors table is not available right now.", icon=":material/database_off:")
        return
    widgets.filter_panel(PAGE, factors, FACTOR_PARAMS, values, heading="Filter the factors")
    shown = filters.apply(factors, values, FACTOR_PARAMS)
    count_caption(len(shown), len(factors), "factors")
    widgets.show_table(
        shown,
        DOSING_FACTORS,
        key=f"{PAGE}:factors",
        name="dosing-factors",
        columns=FACTOR_COLUMNS,
        alt="Patient and clinical factors with their effect on treatment and sources.",
    )


if __name__ == "__main__":  # Streamlit runs each page file as a script
    render()
